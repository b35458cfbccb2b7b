#!/usr/bin/env python3
"""A damaged outline the document prints is a font error, even outside the letters checked at opening.

    python3 tests/test_font_outlines.py build/vanban      (cwd = project root)

Opening a face reads the outlines of the letters vanban requires; the other glyphs' outlines are
read when a subset takes them (font.c, subset.c). The fonts-liberation2 family is copied to a
folder that a fonts.conf names as the system's, with the outline of "€" (U+20AC, no required
letter) overwritten in the regular face. A document printing "€" fails with font.damaged naming
the file and the glyph, exit 1 and no PDF; the same document without "€" renders.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SRC = "/usr/share/fonts/truetype/liberation2"
FAMILY = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
          "LiberationSerif-BoldItalic.ttf")

DOC = """---
issuer: CHI BỘ THÔN ĐÔNG
number: 05-BC/CB
place: Yên Lạc
date: 2023-08-12
kind: BÁO CÁO
title: Kết quả thu quỹ
signer:
  authority: T/M CHI BỘ
  post: BÍ THƯ
  name: Lê Văn Toàn
recipients:
  - Đảng ủy xã,
  - Lưu Chi bộ.
---

Quỹ chi bộ thu được {amount}.
"""


def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        out[tag.decode("latin1")] = (off, length)
    return out


def glyph_of(data, t, cp):
    """The glyph of cp through the cmap's format 4 subtable (3,1)."""
    off, _ = t["cmap"]
    n = struct.unpack(">H", data[off + 2:off + 4])[0]
    for i in range(n):
        pid, eid, sub = struct.unpack(">HHI", data[off + 4 + 8 * i:off + 12 + 8 * i])
        s = off + sub
        if pid != 3 or eid != 1 or struct.unpack(">H", data[s:s + 2])[0] != 4:
            continue
        seg2 = struct.unpack(">H", data[s + 6:s + 8])[0]
        ends = s + 14
        starts = ends + seg2 + 2
        deltas = starts + seg2
        ranges = deltas + seg2
        for k in range(seg2 // 2):
            end, start = (struct.unpack(">H", data[a + 2 * k:a + 2 * k + 2])[0] for a in (ends, starts))
            if start <= cp <= end:
                delta = struct.unpack(">h", data[deltas + 2 * k:deltas + 2 * k + 2])[0]
                ro = struct.unpack(">H", data[ranges + 2 * k:ranges + 2 * k + 2])[0]
                if ro == 0:
                    return (cp + delta) & 0xFFFF
                at = ranges + 2 * k + ro + 2 * (cp - start)
                g = struct.unpack(">H", data[at:at + 2])[0]
                return (g + delta) & 0xFFFF if g else 0
    return 0


def damage_outline(path, cp):
    data = bytearray(open(path, "rb").read())
    t = tables(data)
    g = glyph_of(data, t, cp)
    head, _ = t["head"]
    long_loca = struct.unpack(">h", data[head + 50:head + 52])[0]
    loca, _ = t["loca"]
    glyf, _ = t["glyf"]
    if long_loca:
        a, b = struct.unpack(">II", data[loca + 4 * g:loca + 4 * g + 8])
    else:
        a, b = (2 * x for x in struct.unpack(">HH", data[loca + 2 * g:loca + 2 * g + 4]))
    assert b - a >= 10, "glyph %d has no outline to damage" % g
    # a simple glyph whose contour count says 0x7FFF end points: arrays far past its bytes
    data[glyf + a:glyf + a + 2] = b"\x7f\xff"
    open(path, "wb").write(bytes(data))
    return g


def main(argv):
    cli = os.path.abspath(argv[1])
    tmp = tempfile.mkdtemp(prefix="vb-outline-")
    fails = []
    try:
        fonts = os.path.join(tmp, "fonts")
        os.mkdir(fonts)
        for f in FAMILY:
            shutil.copy(os.path.join(SRC, f), fonts)
        g = damage_outline(os.path.join(fonts, FAMILY[0]), 0x20AC)
        conf = os.path.join(tmp, "fonts.conf")
        with open(conf, "w") as f:
            f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                    "<fontconfig><dir>%s</dir><cachedir>%s/cache</cachedir></fontconfig>\n" % (fonts, tmp))
        env = dict(os.environ, FONTCONFIG_FILE=conf, LANGUAGE="en")
        for name, amount, want in (("ok", "12.500.000 đồng", 0), ("euro", "1.200 €", 1)):
            src = os.path.join(tmp, name + ".md")
            with open(src, "w", encoding="utf-8") as f:
                f.write(DOC.format(amount=amount))
            pdf = os.path.join(tmp, name + ".pdf")
            p = subprocess.run([cli, "render", src, "-o", pdf], env=env, capture_output=True, text=True)
            if p.returncode != want:
                fails.append("%s: exit %d, not %d: %s" % (name, p.returncode, want, p.stderr[-300:]))
            if want and ("[font.damaged]" not in p.stderr or "the outline of glyph %d" % g not in p.stderr or
                         FAMILY[0] not in p.stderr or os.path.exists(pdf)):
                fails.append("%s: want font.damaged naming glyph %d and the file, no PDF: %s" % (name, g, p.stderr))
            if not want and not os.path.exists(pdf):
                fails.append("%s: no PDF" % name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in fails:
        print("FAIL", f)
    print("%d failed" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
