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

sys.path.insert(0, os.path.join(ROOT, "tests"))
import pngmake  # noqa: E402

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
    # the pixels of all images together: three 16 x 16 images (768 pixels) within a 600-pixel limit
    # fail at the third, the one that passes it, as its header is read
    png16, _ = pngmake.make_png(2, 8, 0)
    for k in range(3):
        with open(os.path.join(tmp, "q%d.png" % k), "wb") as f:
            f.write(png16)
    src = os.path.join(tmp, "total.md")
    with open(src, "w", encoding="utf-8") as f:
        f.write(HEAD + "![a](q0.png)\n\n![b](q1.png)\n\n![c](q2.png)\n")
    out = os.path.join(tmp, "total.pdf")
    p = subprocess.run([CLI, "render", src, "-o", out, "--limit", "image-total-pixels=600"], capture_output=True,
                       text=True, cwd=ROOT)
    check("image-total-pixels: the third image is refused at its place",
          p.returncode == 1 and not os.path.exists(out) and p.stderr.strip() ==
          "%s:11:1: error: The images up to %s/q2.png have 768 pixels in all, more than 600; raise the limit "
          "with --limit image-total-pixels=N. [image.too-many-pixels]" % (src, tmp), p.stderr)
    p = subprocess.run([CLI, "render", src, "-o", out, "--limit", "image-total-pixels=768"], capture_output=True,
                       text=True, cwd=ROOT)
    check("image-total-pixels: exactly at the limit renders", p.returncode == 0 and os.path.exists(out), p.stderr)
    # a palette image without its palette: refused when read, not when the PDF is written
    pal, _ = pngmake.make_png(3, 8, 0)
    i = pal.index(b"PLTE") - 4
    nopal = pal[:i] + pal[i + 12 + 12:]
    expect_error("palette-without-plte", "![x](np.png)\n", "image.corrupt", 7, 1, {"np.png": nopal})
    expect_error("bad-size", "![x](seal.png \"wide\")\n", "markdown.image-size", 7, 1)



def read_ppm(data):
    """(width, height, bytes) of a binary PPM (P6, maxval 255)."""
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6" and parts[3] == b"255", parts[:4]
    return int(parts[1]), int(parts[2]), parts[4]


# Every PNG colour type x bit depth (x tRNS) x interlacing renders: libharu
# gets decoded pixels (image.c), with the alpha as a soft mask. Before, an
# interlaced image with alpha crashed (a double free in libharu) and one
# without was refused with a libharu error code.
KIND = {0: "grey", 2: "rgb", 3: "palette", 4: "grey+alpha", 6: "rgba"}
with tempfile.TemporaryDirectory() as tmp:
    for kind, depth, trns in pngmake.COMBOS:
        for interlace in (0, 1):
            name = "%s-%d%s%s" % (KIND[kind], depth, "-trns" if trns else "", "-interlaced" if interlace else "")
            png, expect = pngmake.make_png(kind, depth, interlace, trns)
            with open(os.path.join(tmp, "i.png"), "wb") as f:
                f.write(png)
            p, src, out = render(tmp, "![x](i.png \"40mm\")\n", "i.md")
            if p.returncode != 0 or not os.path.exists(out):
                check(name + ": renders", False, p.stderr.strip())
                continue
            q = subprocess.run(["qpdf", "--check", out], capture_output=True, text=True)
            lst = subprocess.run(["pdfimages", "-list", out], capture_output=True, text=True).stdout
            rows = [r.split() for r in lst.splitlines()[2:] if r.strip()]
            alpha = kind in (4, 6) or trns
            color = "rgb" if kind in (2, 3, 6) else "gray"
            want = [("image", "16", "16", color, "8")] + ([("smask", "16", "16", "gray", "8")] if alpha else [])
            got = [(r[2], r[3], r[4], r[5], r[7]) for r in rows]
            dump = subprocess.run([CLI, "dump", "--stage=pages", src], capture_output=True, text=True,
                                  cwd=ROOT).stdout
            geo = [dict(kv.split("=") for kv in re.findall(r"\b[xywh]=\d+", l)) for l in dump.splitlines()
                   if l.startswith("image ")]
            ppm = subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", out], capture_output=True).stdout
            bad = []
            if len(geo) == 1 and ppm:
                pw, ph, pix = read_ppm(ppm)
                x, y, w, h = (int(geo[0][k]) / 1000 for k in "xywh")
                for i, (fx, fy) in enumerate(((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))):
                    px, py = int(x + fx * w), int(y + fy * h)
                    o = (py * pw + px) * 3
                    c = tuple(pix[o:o + 3])
                    if any(abs(a - b) > 3 for a, b in zip(c, expect[i])):
                        bad.append("quadrant %d: %s, expected %s" % (i, c, expect[i]))
            else:
                bad.append("no image in the dump or no rendering")
            check(name + ": renders, qpdf --check, pdfimages %s, pixel colours" % ("+ smask" if alpha else ""),
                  q.returncode == 0 and got == want and not bad,
                  "qpdf %d; images %s; %s" % (q.returncode, got, "; ".join(bad)))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
