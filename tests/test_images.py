#!/usr/bin/env python3
"""Images in documents: a PNG placed by `![alt](file.png "30mm")` is embedded
once at the asked size, centred on the text block, with its alpha mask
compressed; a missing, non-PNG, corrupt or oversized image is an error at the
image's line and column, with no output file. Prints one line per check and
"N passed, M failed"."""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import make_seal_png  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("PASS", name)
    else:
        failed += 1
        print("FAIL", name, detail)


HEAD = "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\n---\n"


def render(tmp, body, name="d.md"):
    src = os.path.join(tmp, name)
    with open(src, "w", encoding="utf-8") as f:
        f.write(HEAD + body)
    out = os.path.join(tmp, "out.pdf")
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.run([CLI, "render", src, "-o", out], capture_output=True, text=True, cwd=ROOT)
    return p, src, out


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


with tempfile.TemporaryDirectory() as tmp:
    seal = make_seal_png.seal(240, 150)
    with open(os.path.join(tmp, "seal.png"), "wb") as f:
        f.write(seal)

    # placed twice: embedded once, at 30 mm, centred on the text block (30..195 mm)
    p, src, out = render(tmp, "Trước.\n\n![Con dấu](seal.png \"30mm\")\n\nGiữa.\n\n![Con dấu](seal.png)\n\nSau.\n")
    check("render with images", p.returncode == 0 and os.path.exists(out), p.stderr)
    if p.returncode == 0:
        lst = subprocess.run(["pdfimages", "-list", out], capture_output=True, text=True).stdout
        rows = [l.split() for l in lst.splitlines()[2:] if l.strip()]
        objs = set((r[2], r[10]) for r in rows)  # (type, object id): pdfimages lists every placement
        check("placed twice, embedded once (one image and one mask object)",
              len(rows) == 4 and sorted(t for t, _ in objs) == ["image", "smask"], lst)
        check("mask compressed", all(r[13] != "100%" for r in rows) if rows else False, lst)
        check("qpdf --check", subprocess.run(["qpdf", "--check", out], capture_output=True).returncode == 0)
        dump = subprocess.run([CLI, "dump", "--stage=pages", src], capture_output=True, text=True, cwd=ROOT).stdout
        imgs = [dict(kv.split("=") for kv in re.findall(r"\b[xywh]=\d+", l)) for l in dump.splitlines()
                if l.startswith("image ")]
        check("two placements", len(imgs) == 2, dump[:300])
        if len(imgs) == 2:
            mm = 72000 / 25.4
            w0 = int(imgs[0]["w"]) / mm
            check("asked width 30 mm", abs(w0 - 30.0) < 0.01, "%.3f" % w0)
            cx = (int(imgs[0]["x"]) + int(imgs[0]["w"]) / 2) / mm
            check("centred on the text block", abs(cx - 112.5) < 0.01, "%.3f" % cx)
            w1 = int(imgs[1]["w"]) / mm
            check("own size from pHYs (240 px at 150 dpi = 40.64 mm)", abs(w1 - 40.64) < 0.01, "%.3f" % w1)
            check("square kept square", imgs[1]["w"] == imgs[1]["h"], str(imgs[1]))

    def expect_error(name, body, ident, line, col, files=None):
        for fn, data in (files or {}).items():
            with open(os.path.join(tmp, fn), "wb") as f:
                f.write(data)
        p, src, out = render(tmp, body, name + ".md")
        want = "%s:%d:%d: error:" % (src, line, col)
        ok = p.returncode == 1 and p.stderr.startswith(want) and ("[%s]" % ident) in p.stderr
        check("error " + name, ok and not os.path.exists(out), p.stderr.strip())

    # line 7 is the body's first line (6 lines of front matter)
    expect_error("missing", "![x](nope.png)\n", "image.read", 7, 1)
    expect_error("not-png", "Chữ.\n\n![x](a.jpg)\n", "image.format", 9, 1, {"a.jpg": b"\xff\xd8\xff\xe0JFIF"})
    bad_crc = bytearray(seal)
    bad_crc[40] ^= 0xFF
    expect_error("bad-crc", "![x](c.png)\n", "image.corrupt", 7, 1, {"c.png": bytes(bad_crc)})
    expect_error("truncated", "![x](t.png)\n", "image.corrupt", 7, 1, {"t.png": seal[: len(seal) // 2]})
    ihdr = struct.pack(">IIBBBBB", 10, 10, 8, 2, 0, 0, 0)
    short = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 50))
             + png_chunk(b"IEND", b""))
    expect_error("short-pixels", "![x](s.png)\n", "image.corrupt", 7, 1, {"s.png": short})
    huge = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    big = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", huge) + png_chunk(b"IEND", b"")
    expect_error("too-many-pixels", "![x](h.png)\n", "image.too-large", 7, 1, {"h.png": big})
    expect_error("bad-size", "![x](seal.png \"wide\")\n", "markdown.image-size", 7, 1)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
