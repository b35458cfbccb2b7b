#!/usr/bin/env python3
"""vanban preview --overlay: the regulation's numbered boxes drawn over the
page, with a legend; overfull and very loose lines marked.

    python3 tests/test_overlay.py build/vanban      (cwd = project root)

What is expected is derived here from other sources than the overlay: the
boxes from `vanban dump --stage=pages` (the display list's boxes, as the
boxes API gives them), the names of the boxes and the body's box from the
profile's YAML text, the pixels from the PNG itself.

- the seed's page 1 at 96 dpi, with --overlay-legend: the numbered boxes the
  legend lists are exactly the unions of the dump's boxes of each number in
  each band column (and of the body's blocks, for the profile's official_boxes
  body box); each is drawn as an outline in the colour the legend gives, at
  those positions (pixels along its four edges, inset 1 pt, 2 px wide at 96
  dpi), and that colour is not there without --overlay;
- the legend: for every box of the profile's official_boxes, "here" when
  the dump has a box of that number on the page, else the first page where
  it does, else "empty", with the profile's name (seed: 1-6 here, 7 and 9 on
  page 10, 8 and 10-13 empty); the same for a state công văn (ô 9 Kính gửi on
  page 1) and another page of the seed;
- the image is the page's width plus the 250 pt panel, the page's height;
  without --overlay the PNG is the page's size and holds none of the
  overlay's colours;
- a document with an unbreakable number wider than its header column gets
  one overfull mark (the dump's line with overfull=1) and a red bar in the
  right margin level with it; one with a line stretched past the breaker's
  tolerance gets an orange one (threshold from the profile's space_stretch
  and tolerance); the seed's page 1 gets neither, and no red or orange in
  its right margin;
- a profile whose official_boxes names a number twice, leaves out a number
  an item uses, names a body box it does not list, or has a name that is
  not a number ("13a") is refused at the line and column of the fault;
- -o - --overlay writes the same image to standard output; with
  --overlay-legend - as well, a usage error (exit 2) that writes nothing;
- the pictures README.md and docs/preview.md show are PNG files there,
  docs/img/overlay.png among them, each under 150 KB.

The PNGs are read here with zlib (8-bit RGB, not interlaced).
"""
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

SEED = os.path.join("samples", "196-BC-DUK.md")
PROFILE = os.path.join("layouts", "party-36-2018.yaml")
PANEL_PT = 250.0   # the legend's panel (docs/preview.md)
INSET_PT = 1.0     # a numbered box's outline, inside its elements' union
LINE_PT = 1.25     # its width, at least one pixel
BAR_GAP_PT, BAR_PT = 3.0, 4.0
MIN_EDGE = 0.60    # share of an edge's pixels in the box's colour: the ink is drawn over the outlines, and the
                   # body's justified lines cover its sides (measured: 68.5% worst, the body's right side; 0% without
                   # --overlay)

failures = []


def check(name, ok, detail=""):
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail else ""))
    if not ok:
        failures.append(name)


def rnd(v):
    """C's round() for the positive values here."""
    return int(math.floor(v + 0.5))


def read_png(data):
    """(width, height, rows of RGB bytes) of an 8-bit RGB, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype == 2 and interlace == 0, (depth, ctype, interlace)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride, ch = w * 3, 3
    rows, prev, off = [], bytearray(stride), 0
    for _ in range(h):
        ft = raw[off]
        line = bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        if ft == 1:
            for i in range(ch, stride):
                line[i] = (line[i] + line[i - ch]) & 255
        elif ft == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif ft == 3:
            for i in range(stride):
                a = line[i - ch] if i >= ch else 0
                line[i] = (line[i] + ((a + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                a = line[i - ch] if i >= ch else 0
                b = prev[i]
                c = prev[i - ch] if i >= ch else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def pixel(img, x, y):
    w, h, rows = img
    if not (0 <= x < w and 0 <= y < h):
        return None
    r = rows[y]
    return (r[3 * x], r[3 * x + 1], r[3 * x + 2])


def rgb(hexcol):
    v = int(hexcol.lstrip("#"), 16)
    return ((v >> 16) & 255, (v >> 8) & 255, v & 255)


def env():
    e = dict(os.environ)
    e["FONTCONFIG_FILE"] = os.path.abspath(os.path.join("tests", "fonts.conf"))
    e["LANGUAGE"] = "en"
    return e


def run(cli, *args):
    return subprocess.run([cli] + list(args), capture_output=True, env=env(), timeout=120)


KV = re.compile(r'\b(kind|no|x|y|w|h|space|overfull)=(-?[\w-]+)')


def dump_pages(cli, src):
    """The dump's boxes, page by page (from 1): dicts with kind, no, x, y, w, h, space, overfull."""
    r = run(cli, "dump", "--stage=pages", src)
    assert r.returncode == 0, r.stderr.decode()
    pages = {}
    cur = None
    for line in r.stdout.decode().splitlines():
        if line.startswith("page "):
            cur = int(line.split()[1])
            pages[cur] = []
        elif line.startswith("box ") and cur:
            d = dict(KV.findall(line))
            b = {k: (d[k] if k == "kind" else int(d[k])) for k in d}
            b.setdefault("no", 0)
            pages[cur].append(b)
    return pages


def profile_boxes(path):
    """{no: name} of the profile's official_boxes.names, and its body box (read from the YAML text)."""
    text = open(path, encoding="utf-8").read()
    block = text[text.index("\nofficial_boxes:"):]
    body = int(re.search(r'^  body: (\d+)', block, re.M).group(1))
    names = {int(m.group(1)): m.group(2).strip() for m in re.finditer(r'^    (\d+): (.*)$', block, re.M)}
    return names, body


def inside(b, c):
    return c["x"] <= b["x"] and c["y"] <= b["y"] and b["x"] + b["w"] <= c["x"] + c["w"] and \
        b["y"] + b["h"] <= c["y"] + c["h"]


def box_number(b, columns, body):
    """The number b fills and the column it is counted in (None: the body), from the dump alone."""
    col = next((i for i, c in enumerate(columns) if inside(b, c)), None)
    if b["kind"] == "line":
        return 0, None
    if b["no"]:
        return b["no"], col
    if body and col is None and b["kind"] in ("paragraph", "table", "image"):
        return body, None
    return 0, None


def expected_rects(boxes, body):
    columns = [b for b in boxes if b["kind"] == "column"]
    rects = {}
    for b in boxes:
        no, col = box_number(b, columns, body)
        if not no or b["w"] <= 0 or b["h"] <= 0:
            continue
        r = rects.get((no, col))
        if r is None:
            rects[(no, col)] = [b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]]
        else:
            r[0], r[1] = min(r[0], b["x"]), min(r[1], b["y"])
            r[2], r[3] = max(r[2], b["x"] + b["w"]), max(r[3], b["y"] + b["h"])
    return sorted((no, r[0], r[1], r[2] - r[0], r[3] - r[1]) for (no, _), r in rects.items())


def expected_states(pages, page, names, body):
    """{no: "here" | "page=N" | "empty"} from the dump."""
    first = {}
    here = set()
    for p in sorted(pages):
        columns = [b for b in pages[p] if b["kind"] == "column"]
        for b in pages[p]:
            no, _ = box_number(b, columns, body)
            if no:
                first.setdefault(no, p)
                if p == page:
                    here.add(no)
    out = {}
    for no in set(names) | set(first):
        out[no] = "here" if no in here else ("page=%d" % first[no] if no in first else "empty")
    return out


LEG = re.compile(r'^legend no=(\d+) (here|page=\d+|empty) name=(null|"((?:[^"\\]|\\.)*)") colour=(#[0-9a-f]{6})$')
BOX = re.compile(r'^box no=(\d+) x=(-?\d+) y=(-?\d+) w=(\d+) h=(\d+) colour=(#[0-9a-f]{6})$')
MARK = re.compile(r'^mark (overfull|loose) x=(-?\d+) y=(-?\d+) w=(\d+) h=(\d+) space=(-?\d+) colour=(#[0-9a-f]{6})$')


def parse_legend(text):
    """The overlay's text, page by page: {page: {"boxes": [...], "legend": {...}, "marks": [...], ...}}."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("page "):
            m = re.match(r'page (\d+) w=(\d+) h=(\d+) profile=(\S+) loose=(\d+)$', line)
            assert m, line
            cur = {"boxes": [], "legend": {}, "names": {}, "colours": {}, "marks": [], "loose": int(m.group(5)),
                   "tb": None}
            out[int(m.group(1))] = cur
        elif line.startswith("box "):
            m = BOX.match(line)
            assert m, line
            cur["boxes"].append((int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                                 int(m.group(5)), m.group(6)))
        elif line.startswith("legend "):
            m = LEG.match(line)
            assert m, line
            no = int(m.group(1))
            cur["legend"][no] = m.group(2)
            cur["names"][no] = m.group(4)
            cur["colours"][no] = m.group(5)
        elif line.startswith("mark "):
            m = MARK.match(line)
            assert m, line
            cur["marks"].append((m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                                 int(m.group(6)), m.group(7)))
        elif line.startswith("text-block "):
            cur["tb"] = tuple(int(v) for v in re.findall(r'[xywh]=(\d+)', line))
    return out


def preview(cli, src, out, page, *more):
    r = run(cli, "preview", src, "-o", out, "--pages", str(page), *more)
    return r


def edge_shares(img, rect, colour, dpi):
    """Share of each edge's pixels (top, bottom, left, right) in colour: the outline inset INSET_PT, LINE_PT wide."""
    s = dpi / 72.0
    lw = max(1, rnd(LINE_PT * s))
    no, x, y, w, h = rect
    x0, x1 = rnd((x / 1000.0 + INSET_PT) * s), rnd(((x + w) / 1000.0 - INSET_PT) * s)
    y0, y1 = rnd((y / 1000.0 + INSET_PT) * s), rnd(((y + h) / 1000.0 - INSET_PT) * s)
    c = rgb(colour)
    edges = {
        "top": [(px, y0 + k) for px in range(x0, x1) for k in range(lw)],
        "bottom": [(px, y1 - 1 - k) for px in range(x0, x1) for k in range(lw)],
        "left": [(x0 + k, py) for py in range(y0, y1) for k in range(lw)],
        "right": [(x1 - 1 - k, py) for py in range(y0, y1) for k in range(lw)],
    }
    return {e: sum(1 for p in pts if pixel(img, *p) == c) / float(len(pts)) for e, pts in edges.items()}


def bar_share(img, tb, line, colour, dpi):
    """Share of the pixels of the right margin's bar level with line (x, y, w, h) in colour."""
    s = dpi / 72.0
    right = (tb[0] + tb[2]) / 1000.0
    x0, x1 = rnd((right + BAR_GAP_PT) * s), rnd((right + BAR_GAP_PT + BAR_PT) * s)
    y0, y1 = rnd(line[1] / 1000.0 * s), rnd((line[1] + line[3]) / 1000.0 * s)
    pts = [(px, py) for px in range(x0, x1) for py in range(y0, y1)]
    return sum(1 for p in pts if pixel(img, *p) == rgb(colour)) / float(len(pts) or 1)


def write_doc(folder, name, number=None, body=None):
    src = open(os.path.join("samples", "party36", "bao-cao.md"), encoding="utf-8").read()
    fm = src.split("---\n")[1]
    if number:
        fm = fm.replace("number: 215-BC/ĐUK", "number: " + number)
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("---\n" + fm + "---\n\n" + (body or "Một đoạn ngắn của báo cáo.\n"))
    return path


def main():
    cli = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="vb-overlay-")
    try:
        names, body = profile_boxes(PROFILE)
        check("profile.names", len(names) == 13 and body == 6 and names[8] == "Dấu cơ quan",
              "%d boxes named, the body in %d" % (len(names), body))
        seed_pages = dump_pages(cli, SEED)

        # ---- the seed, page 1, at 96 dpi: with and without the overlay
        ov_png, plain_png = os.path.join(tmp, "ov.png"), os.path.join(tmp, "plain.png")
        leg_path = os.path.join(tmp, "seed.txt")
        r = preview(cli, SEED, ov_png, 1, "--overlay", "--overlay-legend", leg_path)
        check("seed.overlay.exit", r.returncode == 0, r.stderr.decode().strip())
        r2 = preview(cli, SEED, plain_png, 1)
        check("seed.plain.exit", r2.returncode == 0, r2.stderr.decode().strip())
        leg = parse_legend(open(leg_path, encoding="utf-8").read())[1]

        want = expected_rects(seed_pages[1], body)
        got = sorted(b[:5] for b in leg["boxes"])
        check("seed.boxes-as-dump", want == got and len(want) >= 6,
              "%d boxes: %s" % (len(got), ", ".join("ô %d" % b[0] for b in got)))
        states = expected_states(seed_pages, 1, names, body)
        check("seed.legend-states", leg["legend"] == states,
              "here %s; elsewhere %s; empty %s" % (
                  sorted(n for n, v in leg["legend"].items() if v == "here"),
                  sorted("%d:%s" % (n, v) for n, v in leg["legend"].items() if v.startswith("page")),
                  sorted(n for n, v in leg["legend"].items() if v == "empty")))
        check("seed.legend-expected", sorted(n for n, v in leg["legend"].items() if v == "here") == [1, 2, 3, 4, 5, 6]
              and leg["legend"][7] == "page=10" and leg["legend"][9] == "page=10"
              and sorted(n for n, v in leg["legend"].items() if v == "empty") == [8, 10, 11, 12, 13])
        check("seed.legend-names", all(leg["names"][n] == names[n] for n in names),
              "empty: " + "; ".join(names[n] for n in sorted(names) if leg["legend"][n] == "empty"))
        colours = set(leg["colours"].values())
        check("seed.colours-distinct", len(colours) == len(leg["colours"]), "%d colours" % len(colours))

        ov = read_png(open(ov_png, "rb").read())
        plain = read_png(open(plain_png, "rb").read())
        s = 96 / 72.0
        pw, ph = 595.276, 841.89
        check("seed.size", (ov[0], ov[1]) == (math.ceil((pw + PANEL_PT) * s), math.ceil(ph * s)) and
              (plain[0], plain[1]) == (math.ceil(pw * s), math.ceil(ph * s)),
              "overlay %dx%d, plain %dx%d" % (ov[0], ov[1], plain[0], plain[1]))
        worst, worst_plain = 1.0, 0.0
        for b in leg["boxes"]:
            sh = edge_shares(ov, b[:5], b[5], 96)
            sp = edge_shares(plain, b[:5], b[5], 96)
            worst = min(worst, min(sh.values()))
            worst_plain = max(worst_plain, max(sp.values()))
            check("seed.edges.%d" % b[0], min(sh.values()) >= MIN_EDGE and max(sp.values()) == 0,
                  "ô %d: %s" % (b[0], ", ".join("%s %.0f%%" % (e, 100 * v) for e, v in sh.items())))
        print("     worst edge of a box: %.1f%% in its colour (the plain page: %.1f%%)" % (100 * worst, 100 * worst_plain))
        overlay_rgbs = {rgb(c) for c in colours} | {rgb("#e00000"), rgb("#ff8c00")}
        plain_rgbs = set()
        for row in plain[2]:
            for i in range(0, len(row), 3):
                plain_rgbs.add((row[i], row[i + 1], row[i + 2]))
        check("seed.plain-has-no-overlay-colour", not (plain_rgbs & overlay_rgbs),
              "%d distinct colours in the plain page" % len(plain_rgbs))

        # ---- the seed's page 1 has no marked line: no red or orange in its right margin
        check("seed.no-marks", leg["marks"] == [] and
              not any(l.get("overfull") for l in seed_pages[1] if l["kind"] == "line"))
        tb = leg["tb"]
        x0, x1 = rnd(((tb[0] + tb[2]) / 1000.0) * s) + 1, rnd(pw * s)
        hot = sum(1 for py in range(ov[1]) for px in range(x0, x1)
                  if pixel(ov, px, py) in (rgb("#e00000"), rgb("#ff8c00")))
        check("seed.right-margin-clean", hot == 0, "%d red or orange pixels" % hot)

        # ---- another page of the seed (the signer's), and a state công văn (Kính gửi)
        for src, page in ((SEED, 10), (os.path.join("samples", "state", "cong-van.md"), 1)):
            tag = os.path.basename(src) + ".p%d" % page
            lp = os.path.join(tmp, "l.txt")
            prof = os.path.join("layouts", "state-30-2020.yaml" if "state" in src else "party-36-2018.yaml")
            pn, pb = profile_boxes(prof)
            r = preview(cli, src, os.path.join(tmp, "x.png"), page, "--overlay-legend", lp)
            pages = seed_pages if src == SEED else dump_pages(cli, src)
            lg = parse_legend(open(lp, encoding="utf-8").read())[page]
            ok = r.returncode == 0 and sorted(b[:5] for b in lg["boxes"]) == expected_rects(pages[page], pb) and \
                lg["legend"] == expected_states(pages, page, pn, pb)
            check(tag, ok, "here %s" % sorted(n for n, v in lg["legend"].items() if v == "here"))
        lp = os.path.join(tmp, "l.txt")
        lg = parse_legend(open(lp, encoding="utf-8").read())[1]
        # the signer and the Nơi nhận are on page 2: ô 9 on page 1 is the Kính gửi, a full-width box under the title
        k9 = [b for b in lg["boxes"] if b[0] == 9]
        check("cong-van.kinh-gui", lg["legend"].get(9) == "here" and lg["legend"].get(7) == "page=2" and
              len(k9) == 1 and k9[0][3] == lg["tb"][2], str(k9))

        # ---- an overfull line: a number wider than its header column
        src = write_doc(tmp, "overfull.md", number="215-BC/ĐUKHOIDOANHNGHIEPVACOQUANTINHNGHEANNHIEMKY")
        png, lp = os.path.join(tmp, "of.png"), os.path.join(tmp, "of.txt")
        r = preview(cli, src, png, 1, "--overlay-legend", lp)
        lg = parse_legend(open(lp, encoding="utf-8").read())[1]
        lines = [b for b in dump_pages(cli, src)[1] if b["kind"] == "line" and b.get("overfull")]
        marks = [m for m in lg["marks"] if m[0] == "overfull"]
        check("overfull.mark", r.returncode == 0 and b"layout.overfull" in r.stderr and len(lines) == 1 and
              len(marks) == 1 and marks[0][1:5] == (lines[0]["x"], lines[0]["y"], lines[0]["w"], lines[0]["h"]),
              "%d overfull line(s) in the dump, %d mark(s)" % (len(lines), len(marks)))
        if marks:
            img = read_png(open(png, "rb").read())
            share = bar_share(img, lg["tb"], marks[0][1:5], marks[0][6], 96)
            check("overfull.bar", share >= 0.95, "%.0f%% of the bar in %s" % (100 * share, marks[0][6]))

        # ---- a very loose line: a word alone before a long URL, justified
        yml = open(PROFILE, encoding="utf-8").read()
        stretch = float(re.search(r'^\s*space_stretch: (\d+)%', yml, re.M).group(1)) / 100
        tol = float(re.search(r'^\s*tolerance: ([\d.]+)', yml, re.M).group(1))
        src = write_doc(tmp, "loose.md", body="Tài liệu tại https://www.example.gov.vn/tai-lieu/huong-dan-so-36-HD-"
                        "VPTW-ve-the-thuc-van-ban-cua-dang-nam-2018-ban-day-du.pdf để tham khảo.\n")
        png, lp = os.path.join(tmp, "lo.png"), os.path.join(tmp, "lo.txt")
        r = preview(cli, src, png, 1, "--overlay-legend", lp)
        lg = parse_legend(open(lp, encoding="utf-8").read())[1]
        limit = rnd(1000 * (1 + stretch * tol))
        loose = [b for b in dump_pages(cli, src)[1] if b["kind"] == "line" and b["space"] > limit]
        marks = [m for m in lg["marks"] if m[0] == "loose"]
        check("loose.mark", r.returncode == 0 and lg["loose"] == limit and len(loose) == 1 and len(marks) == 1 and
              marks[0][1:5] == (loose[0]["x"], loose[0]["y"], loose[0]["w"], loose[0]["h"]),
              "threshold %d per mille; %d line(s) over it in the dump, %d mark(s)" % (limit, len(loose), len(marks)))
        if marks:
            img = read_png(open(png, "rb").read())
            share = bar_share(img, lg["tb"], marks[0][1:5], marks[0][6], 96)
            check("loose.bar", share >= 0.95, "%.0f%% of the bar in %s" % (100 * share, marks[0][6]))

        # ---- the profile key is validated
        base = yml
        bad = {
            "dup": (base.replace('    12: Ký hiệu người đánh máy', '    03: Ký hiệu người đánh máy'), "box 3 is named twice"),
            "missing": (re.sub(r'^    9: .*\n', '', base, flags=re.M), 'is box 9 ("official: 9")'),
            "body": (base.replace('  body: 6 ', '  body: 16 '), '"official_boxes.body" = 16 is not one of the boxes'),
            "number": (base.replace('    13: Thông tin', '    13a: Thông tin'), '"13a" is not a box number'),
        }
        for tag, (text, msg) in sorted(bad.items()):
            p = os.path.join(tmp, tag + ".yaml")
            open(p, "w", encoding="utf-8").write(text)
            r = run(cli, "render", os.path.join("samples", "party36", "bao-cao.md"), "--profile", p,
                    "-o", os.path.join(tmp, "x.pdf"))
            err = r.stderr.decode()
            check("profile." + tag, r.returncode != 0 and msg in err and "[profile.value]" in err and
                  re.search(re.escape(p) + r":\d+:\d+: error", err) is not None, err.strip())

        # ---- -o - with --overlay: the same image on standard output; with --overlay-legend - too: a usage error
        r = run(cli, "preview", SEED, "-o", "-", "--overlay")
        check("stdout.overlay", r.returncode == 0 and r.stdout == open(ov_png, "rb").read(),
              "%d bytes, the file's %d" % (len(r.stdout), os.path.getsize(ov_png)))
        r = run(cli, "preview", SEED, "-o", "-", "--overlay-legend", "-")
        check("stdout.both", r.returncode == 2 and r.stdout == b"" and b"standard output" in r.stderr,
              r.stderr.decode().strip())

        # ---- the README's and preview.md's picture: there, a PNG, small
        for doc in ("README.md", os.path.join("docs", "preview.md")):
            links = re.findall(r'!\[[^\]]*\]\(([^)\s]+)\)', open(doc, encoding="utf-8").read())
            paths = [os.path.normpath(os.path.join(os.path.dirname(doc), l)) for l in links]
            ok = bool(paths) and all(os.path.isfile(p) and open(p, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and
                                     os.path.getsize(p) < 150 * 1024 for p in paths)
            check("picture." + os.path.basename(doc), ok and os.path.join("docs", "img", "overlay.png") in paths,
                  ", ".join("%s %d KB" % (p, os.path.getsize(p) // 1024) for p in paths if os.path.isfile(p)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failed: %s" % (len(failures), ", ".join(failures)))
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
