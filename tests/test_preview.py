#!/usr/bin/env python3
"""vanban preview: PNG pages drawn from the display list (cairo), checked
against poppler's raster of the PDF drawn from the same display list.

    python3 tests/test_preview.py build/vanban      (cwd = project root)

- the seed at 72 dpi: as many PNGs as the PDF has pages, each the size of
  `pdftoppm -r 72`'s page; per page, >= 99% of the pixels within 64 grey
  levels of poppler's and the ink's bounding box (grey < 128) within 2 px on
  every side (the measured figures are printed);
- `-o -` writes page 1 (or the one --pages names) to standard output, the
  same bytes as the folder's file; -o FILE.png one page;
- wrong extensions are usage errors (exit 2) that write nothing: preview -o
  x.pdf, render -o x.png; render -o X.PDF and a name without extension work;
  -o - with several pages, a page past the end, a bad --dpi;
- a template row (samples/batch/bao-cao.md, row 2 of chi-bo.csv) previews as
  the row's PDF (made by `vanban batch` from that row alone) within the same
  tolerance, and differs from row 1's preview where the values differ;
- a template with no --data takes NAME.sample.csv beside it: the same image
  as --data that file;
- a document with an image (a seal with alpha) agrees with poppler's raster
  as the seed does;
- --profile state on a Party source draws it, its format errors printed as
  warnings (render refuses them), and the page differs from the Party one.

The PNGs are read here with zlib (8-bit RGB/RGBA/grey, not interlaced).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
import make_seal_png  # noqa: E402

SEED = os.path.join("samples", "196-BC-DUK.md")
TEMPLATE = os.path.join("samples", "batch", "bao-cao.md")
DATA = os.path.join("samples", "batch", "chi-bo.csv")
WITHIN = 64        # grey levels
MIN_SHARE = 0.95   # of the pixels within WITHIN (two antialiasing rasterizers: measured >= 95.8%)
MAX_MEAN = 10.0    # mean |difference| of a page, grey levels (measured <= 8.1)
BLOCK = 4          # 4x4 pixel blocks, averaged: where the ink is, whatever the antialiasing
BLOCK_WITHIN = 32  # grey levels
MIN_BLOCKS = 0.99  # of the blocks within BLOCK_WITHIN
BOX_PX = 2         # ink bounding boxes, each side


def read_png(data):
    """(width, height, grey rows as bytearrays) of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "depth %d interlace %d" % (depth, interlace)
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride = w * ch
    rows, prev, off = [], bytearray(stride), 0
    for _ in range(h):
        ft = raw[off]
        line = bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        prev = line
        if ch == 1:
            rows.append(line)
        else:
            rows.append(bytearray((line[i] + line[i + 1] + line[i + 2]) // 3 if ch >= 3 else line[i]
                                  for i in range(0, stride, ch)))
    return w, h, rows


def compare(a, b):
    """(share of pixels within WITHIN, largest ink-box side difference, mean |diff|) of two grey images."""
    wa, ha, ra = a
    wb, hb, rb = b
    assert (wa, ha) == (wb, hb)
    close = 0
    total = 0
    for y in range(ha):
        la, lb = ra[y], rb[y]
        if la == lb:
            close += wa
            continue
        for x in range(wa):
            d = abs(la[x] - lb[x])
            total += d
            close += d <= WITHIN
    boxes = [ink_box(a), ink_box(b)]
    if boxes[0] is None or boxes[1] is None:
        side = 0 if boxes[0] == boxes[1] else 10 ** 6
    else:
        side = max(abs(p - q) for p, q in zip(*boxes))
    nb = ok = 0
    for by in range(0, ha - BLOCK + 1, BLOCK):
        for bx in range(0, wa - BLOCK + 1, BLOCK):
            sa = sb = 0
            for y in range(by, by + BLOCK):
                la, lb = ra[y], rb[y]
                sa += sum(la[bx:bx + BLOCK])
                sb += sum(lb[bx:bx + BLOCK])
            nb += 1
            ok += abs(sa - sb) <= BLOCK_WITHIN * BLOCK * BLOCK
    return close / float(wa * ha), side, total / float(wa * ha), ok / float(nb)


def ink_box(img):
    w, h, rows = img
    x0 = y0 = 10 ** 9
    x1 = y1 = -1
    for y in range(h):
        line = rows[y]
        xs = [x for x in range(w) if line[x] < 128]
        if xs:
            y0 = min(y0, y)
            y1 = y
            x0 = min(x0, xs[0])
            x1 = max(x1, xs[-1])
    return None if y1 < 0 else (x0, y0, x1, y1)


def run_bytes(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=P.test_env(), timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def poppler_pages(pdf, prefix, dpi=72):
    rc, _, err = P.run(["pdftoppm", "-r", str(dpi), "-png", pdf, prefix])
    assert rc == 0, err
    d = os.path.dirname(prefix)
    base = os.path.basename(prefix)
    names = sorted((f for f in os.listdir(d) if f.startswith(base + "-") and f.endswith(".png")),
                   key=lambda f: int(f[len(base) + 1:-4]))
    return [os.path.join(d, f) for f in names]


def check_against_pdf(c, label, pngs, pdf, tmp):
    ref = poppler_pages(pdf, os.path.join(tmp, label + "-ref"))
    c.check("%s: as many PNGs as the PDF has pages" % label, len(pngs) == len(ref) and pngs,
            "%d PNGs, %d pages" % (len(pngs), len(ref)))
    worst_share, worst_side, worst_mean, worst_blocks = 1.0, 0, 0.0, 1.0
    for i, (mine, theirs) in enumerate(zip(pngs, ref)):
        a = read_png(open(mine, "rb").read())
        b = read_png(open(theirs, "rb").read())
        if not c.check("%s page %d: the size of pdftoppm's (%dx%d)" % (label, i + 1, b[0], b[1]),
                       a[:2] == b[:2], "preview %dx%d" % a[:2]):
            continue
        share, side, mean, blocks = compare(a, b)
        worst_share = min(worst_share, share)
        worst_side = max(worst_side, side)
        worst_mean = max(worst_mean, mean)
        worst_blocks = min(worst_blocks, blocks)
        c.check("%s page %d: %.3f%% of pixels within %d levels (>= %.0f%%), mean |diff| %.2f (<= %.0f), "
                "%.3f%% of %dx%d blocks within %d (>= %.0f%%), ink box off by %d px (<= %d)"
                % (label, i + 1, 100 * share, WITHIN, 100 * MIN_SHARE, mean, MAX_MEAN, 100 * blocks, BLOCK, BLOCK,
                   BLOCK_WITHIN, 100 * MIN_BLOCKS, side, BOX_PX),
                share >= MIN_SHARE and mean <= MAX_MEAN and blocks >= MIN_BLOCKS and side <= BOX_PX)
    c.note("%s: worst page %.3f%% of pixels within %d levels, mean |diff| %.2f, %.3f%% of blocks within %d, "
           "ink boxes within %d px" % (label, 100 * worst_share, WITHIN, worst_mean, 100 * worst_blocks,
                                       BLOCK_WITHIN, worst_side))


def main():
    cli = P.find_cli(sys.argv)
    c = P.Checker()
    if not shutil.which("pdftoppm"):
        c.check("pdftoppm is installed (poppler-utils)", False)
        return c.done()
    tmp = tempfile.mkdtemp(prefix="vb-preview-")
    try:
        # ---- the seed against poppler
        pdf = os.path.join(tmp, "seed.pdf")
        rc, _, err = P.run([cli, "render", SEED, "-o", pdf], env=P.test_env())
        c.check("render the seed", rc == 0, err)
        outdir = os.path.join(tmp, "pages")
        rc, so, err = P.run([cli, "preview", SEED, "-o", outdir, "--dpi", "72"], env=P.test_env())
        c.check("preview the seed at 72 dpi into a folder", rc == 0, err)
        pngs = so.split()
        c.check("it names each file it wrote, NAME-N.png",
                pngs == [os.path.join(outdir, "196-BC-DUK-%d.png" % (i + 1)) for i in range(len(pngs))]
                and all(os.path.isfile(p) for p in pngs), " ".join(pngs[:3]))
        check_against_pdf(c, "seed", pngs, pdf, tmp)

        # ---- standard output and one file
        rc, data, err = run_bytes([cli, "preview", SEED, "-o", "-", "--dpi", "72"])
        c.check("-o - writes page 1 to standard output", rc == 0 and pngs and data == open(pngs[0], "rb").read(),
                err)
        rc, data, err = run_bytes([cli, "preview", SEED, "-o", "-", "--dpi", "72", "--pages", "2"])
        c.check("-o - --pages 2 writes page 2", rc == 0 and len(pngs) > 1 and data == open(pngs[1], "rb").read(),
                err)
        one = os.path.join(tmp, "one.PNG")
        rc, _, err = P.run([cli, "preview", SEED, "-o", one, "--pages", "3", "--dpi", "72"], env=P.test_env())
        c.check("-o FILE.PNG writes the one page asked", rc == 0 and len(pngs) > 2 and
                open(one, "rb").read() == open(pngs[2], "rb").read(), err)
        rc, data, err = run_bytes([cli, "preview", SEED, "-o", "-"])
        w, h = struct.unpack(">II", data[16:24]) if rc == 0 else (0, 0)
        c.check("the default resolution is 96 dpi: A4 is 794x1123", (w, h) == (794, 1123), "%dx%d" % (w, h))
        rc, data, err = run_bytes([cli, "preview", SEED, "-o", "-", "--dpi", "150", "--pages", "1"])
        w, h = struct.unpack(">II", data[16:24]) if rc == 0 else (0, 0)
        c.check("--dpi 150: A4 is 1241x1754, rounded up as pdftoppm does", (w, h) == (1241, 1754), "%dx%d" % (w, h))

        # ---- usage errors: exit 2, nothing written
        def refused(name, cmd, path):
            rc, so, err = P.run(cmd, env=P.test_env())
            c.check("%s: exit 2, nothing written" % name, rc == 2 and (path is None or not os.path.exists(path)),
                    "rc %d, %s" % (rc, err.strip()[:200]))
            return err
        x_pdf = os.path.join(tmp, "x.pdf")
        err = refused("preview -o x.pdf", [cli, "preview", SEED, "-o", x_pdf], x_pdf)
        c.check("... and the message names render", "render" in err, err.strip())
        x_png = os.path.join(tmp, "x.png")
        err = refused("render -o x.png", [cli, "render", SEED, "-o", x_png], x_png)
        c.check("... and the message names preview", "preview" in err, err.strip())
        x_txt = os.path.join(tmp, "x.Pdf.txt")
        refused("render -o x.Pdf.txt", [cli, "render", SEED, "-o", x_txt], x_txt)
        up = os.path.join(tmp, "UP.PDF")
        rc, _, err = P.run([cli, "render", SEED, "-o", up], env=P.test_env())
        c.check("render -o UP.PDF is accepted (case-insensitive)",
                rc == 0 and open(up, "rb").read(5) == b"%PDF-", err)
        bare = os.path.join(tmp, "noext")
        rc, _, err = P.run([cli, "render", SEED, "-o", bare], env=P.test_env())
        c.check("render -o a name without extension is accepted",
                rc == 0 and open(bare, "rb").read(5) == b"%PDF-", err)
        refused("preview -o - --pages 1-3", [cli, "preview", SEED, "-o", "-", "--pages", "1-3"], None)
        far = os.path.join(tmp, "far")
        refused("preview --pages 99", [cli, "preview", SEED, "-o", far, "--pages", "99"],
                os.path.join(far, "196-BC-DUK-99.png"))
        refused("preview --dpi 0", [cli, "preview", SEED, "-o", "-", "--dpi", "0"], None)
        refused("preview --dpi 601", [cli, "preview", SEED, "-o", "-", "--dpi", "601"], None)
        refused("preview --pages 3-2", [cli, "preview", SEED, "-o", "-", "--pages", "3-2"], None)

        # ---- an image (a red seal with alpha) against poppler
        idir = os.path.join(tmp, "img")
        os.mkdir(idir)
        with open(os.path.join(idir, "seal.png"), "wb") as f:
            f.write(make_seal_png.seal(240, 150))
        isrc = os.path.join(idir, "anh.md")
        with open(isrc, "w", encoding="utf-8") as f:
            f.write("---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\n---\n"
                    "Trước.\n\n![Con dấu](seal.png \"40mm\")\n\nSau.\n")
        ipdf = os.path.join(tmp, "anh.pdf")
        rc, _, err = P.run([cli, "render", isrc, "-o", ipdf], env=P.test_env())
        c.check("render a document with an image", rc == 0, err.strip()[:300])
        ipng = os.path.join(tmp, "anh-1.png")
        rc, _, err = P.run([cli, "preview", isrc, "-o", ipng, "--dpi", "72"], env=P.test_env())
        c.check("preview it", rc == 0, err.strip()[:300])
        if rc == 0:
            check_against_pdf(c, "image", [ipng], ipdf, tmp)

        # ---- under another profile: format errors as warnings
        party = os.path.join("samples", "party36", "cong-van.md")
        rc, st_png, err = run_bytes([cli, "preview", party, "--profile", "state", "-o", "-", "--dpi", "72"])
        c.check("preview --profile state of a Party source: drawn, exit 0", rc == 0 and st_png[:4] == b"\x89PNG",
                err.strip()[:300])
        c.check("... its format errors printed as warnings, with file:line:col",
                "cong-van.md:6:9: warning:" in err and "error:" not in err, err.strip()[:300])
        rc, _, err = run_bytes([cli, "render", party, "--profile", "state", "-o", os.path.join(tmp, "st.pdf")])
        c.check("... which render refuses (exit 1)", rc == 1 and "error:" in err, "rc %d" % rc)
        rc, pa_png, err = run_bytes([cli, "preview", party, "-o", "-", "--dpi", "72"])
        if rc == 0 and st_png[:4] == b"\x89PNG":
            share, _, _, _ = compare(read_png(st_png), read_png(pa_png))
            c.check("... and the page differs from the Party layout's: %.2f%% of pixels within %d"
                    % (100 * share, WITHIN), share < 0.999)
        else:
            c.check("preview the Party source", False, err.strip()[:300])

        # ---- a template row
        with open(DATA, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        one_row = os.path.join(tmp, "row2.csv")
        with open(one_row, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n" + lines[2] + "\n")
        bdir = os.path.join(tmp, "batch")
        rc, _, err = P.run([cli, "batch", TEMPLATE, "--data", one_row, "-o", bdir], env=P.test_env())
        made = sorted(f for f in os.listdir(bdir) if f.endswith(".pdf")) if rc == 0 else []
        c.check("vanban batch makes row 2's PDF", len(made) == 1, err.strip()[:300])
        rdir = os.path.join(tmp, "row2")
        rc, so, err = P.run([cli, "preview", TEMPLATE, "--data", DATA, "--row", "2", "-o", rdir, "--dpi", "72"],
                            env=P.test_env())
        rpngs = so.split()
        c.check("preview the template with --data --row 2", rc == 0 and rpngs, err.strip()[:300])
        if made and rpngs:
            check_against_pdf(c, "row2", rpngs, os.path.join(bdir, made[0]), tmp)
        rc, r1, err = run_bytes([cli, "preview", TEMPLATE, "--data", DATA, "--row", "1", "-o", "-", "--dpi", "72"])
        if rc == 0 and rpngs:
            share, side, _, _ = compare(read_png(r1), read_png(open(rpngs[0], "rb").read()))
            c.check("row 1's page 1 differs from row 2's (their values differ): %.2f%% of pixels within %d"
                    % (100 * share, WITHIN), share < 0.999)
        else:
            c.check("preview row 1 to standard output", False, err)
        refused("--row 30 of a 24-row file", [cli, "preview", TEMPLATE, "--data", DATA, "--row", "30", "-o", "-"],
                None)

        # ---- the template's own sample values
        sdir = os.path.join(tmp, "tpl")
        os.mkdir(sdir)
        shutil.copy(TEMPLATE, os.path.join(sdir, "bao-cao.md"))
        shutil.copy(one_row, os.path.join(sdir, "bao-cao.sample.csv"))
        rc, s1, err = run_bytes([cli, "preview", os.path.join(sdir, "bao-cao.md"), "-o", "-", "--dpi", "72"])
        c.check("a template with no --data previews its NAME.sample.csv", rc == 0 and rpngs and
                s1 == open(rpngs[0], "rb").read(), err.strip()[:300])
        c.check("... and says so on standard error", "bao-cao.sample.csv" in err, err.strip()[:300])
        refused("--row with neither --data nor a sample file", [cli, "preview", SEED, "--row", "2", "-o", "-"], None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
