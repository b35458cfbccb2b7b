#!/usr/bin/env python3
"""gen_long - a long vanban source made from the seed report, deterministically.

    python3 tests/gen_long.py --pages 60 [-o OUT.md] [--seed 1]   (cwd = anywhere)

The body is built from the seed's own material (samples/196-BC-DUK.md): its
paragraphs whole, and new paragraphs of 1 to 6 of its sentences, so that there
are one-line, two-line, three-line and long paragraphs; numbered headings on
three levels (level 1 in capitals, some headings long enough to wrap); and
tables with two head rows and merged head cells, some long enough to run over
a page (so their head must repeat). The front matter is the seed's, so the
profile adds the header, the title block and the closing block (Nơi nhận and
the signer). Nothing random comes from Python's `random`: a small LCG of our
own gives the same document for the same arguments on any Python.

The length is estimated from line counts (about 92 characters a line at 14 pt
on the 165 mm measure, 18 pt a line, about 628 pt of such estimated content a
page); the real page count comes within about 10 % of --pages. Shared by tests/test_typography.py
and tests/bench/scale.py (import it and call generate()).

Only the Python standard library is used.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "samples", "196-BC-DUK.md")

PAGE_PT = 628.0          # estimated content a 728 pt text block holds, after keeps and page ends (measured)
FIRST_PAGE_PT = 400.0    # page 1 after the header and title block
CLOSING_PT = 200.0       # Nơi nhận and the signer
CHARS_PER_LINE = 92.0
LINE_PT = 18.0
PARA_GAP_PT = 6.0
ROW_PT = 20.4            # a one-line 12 pt table row with its padding
ROW_LINE_PT = 14.0       # each further line in a row

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX"]


class Lcg(object):
    """Knuth's MMIX LCG; the high bits are used. Deterministic everywhere."""

    def __init__(self, seed):
        self.s = (seed * 2654435761 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return self.s >> 33

    def below(self, n):
        return self.next() % n

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, percent):
        return self.below(100) < percent


def read_seed(path=SEED):
    """(front matter text with its --- lines, paragraphs, headings as (level, text without number), table
    cell texts) from the seed's body up to its first appendix."""
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    end = lines.index("---", 1)
    front = "\n".join(l for l in lines[:end + 1] if not l.startswith("#"))
    paras, heads, cells = [], [], []
    blocks = re.split(r"\n\s*\n", "\n".join(lines[end + 1:]))
    in_appendix = False
    for b in blocks:
        b = b.strip()
        if not b:
            continue
        if b.startswith("#"):
            for hl in b.split("\n"):
                m = re.match(r"^(#+)\s+(.*)$", hl)
                if not m:
                    continue
                t = m.group(2).strip()
                if re.match(r"(?i)^ph(ụ|Ụ) l(ụ|Ụ)c", t):
                    in_appendix = True
                    continue
                if in_appendix:
                    continue
                t = re.sub(r"^([IVX]+|\d+(\.\d+)*)\.\s+", "", t).rstrip(".")
                heads.append((len(m.group(1)), t))
            continue
        if b.startswith("|"):
            for row in b.split("\n")[3:]:
                cs = [c.strip() for c in row.strip().strip("|").split("|")]
                if len(cs) > 1 and cs[1].startswith("- "):
                    cells.append(cs[1][2:])
            continue
        if not in_appendix:
            paras.append(" ".join(b.split("\n")))
    return front, paras, heads, cells


def sentences(paras):
    """Sentences of the paragraphs, emphasis marks removed, each ending with "." or ";"."""
    out = []
    for p in paras:
        p = p.replace("*", "")
        p = re.sub(r"^(- |\d+\. )", "", p)
        for s in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹa-zđ(“])", p):
            s = s.strip()
            if len(s) > 25:
                out.append(s)
    return out


def est_lines(text, indent_chars=6):
    return max(1, int((len(text) + indent_chars) / CHARS_PER_LINE + 0.999))


def capitalise(s):
    return s[:1].upper() + s[1:]


def make_paragraph(rng, paras, sents):
    """A paragraph of one of five lengths, from the seed: one line, two, three, a few, or a seed paragraph."""
    kind = rng.below(100)
    if kind < 12:                      # one line: a short clause, often a list item
        cands = [s for s in sents if len(s) < 80] or sents
        s = rng.pick(cands).rstrip(";.") + "."
        return ("- " if rng.chance(60) else "") + capitalise(s)
    if kind < 27:                      # two lines
        target = (100, 170)
    elif kind < 42:                    # three lines
        target = (190, 260)
    elif kind < 70:                    # four to eight lines
        target = (300, 700)
    else:                              # a seed paragraph as written, emphasis included
        return rng.pick(paras)
    out = ""
    tries = 0
    while len(out) < target[0] and tries < 20:
        s = rng.pick(sents)
        tries += 1
        if out and len(out) + 1 + len(s) > target[1]:
            continue
        out = (out + " " + (capitalise(s) if out.endswith(".") else s)) if out else capitalise(s)
    out = out.rstrip(";") if out.endswith(";") else out
    if not out.endswith("."):
        out = out.rstrip(";,") + "."
    if rng.chance(20):
        out = "%d. %s" % (rng.below(9) + 1, out)
    return out


TABLE_HEAD = ["| STT | NỘI DUNG | KẾT QUẢ ĐẠT ĐƯỢC | < | < | Ghi chú |",
              "| ^ | ^ | Năm 2020 | Năm 2021 | năm 2022 | ^ |",
              "| :-: | :-- | :-: | :-: | :-: | :-: |"]
LONG_CELLS = ["Cán bộ công chức cơ quan Đảng, MTTQ, tổ chức chính trị xã hội và các đơn vị sự nghiệp công lập "
              "trực thuộc Đảng bộ Khối",
              "Lãnh đạo quản lý và lao động trong các doanh nghiệp Nhà nước, doanh nghiệp cổ phần và doanh "
              "nghiệp tư nhân trên địa bàn tỉnh"]


def make_table(rng, cells, nrows):
    """Rows: a bold group row every 8 rows, numbered rows, sometimes a long two-line cell. Returns (text, est pt)."""
    rows = list(TABLE_HEAD)
    pt = 2 * ROW_PT + 12.0
    n = 0
    for r in range(nrows):
        if r % 8 == 0:
            g = ROMAN[(r // 8) % len(ROMAN)]
            rows.append("| **%s** | **%s** | **%d** | **%d** | **%d** | |" % (
                g, capitalise(rng.pick(cells)), 100 + rng.below(80), 90 + rng.below(60), 90 + rng.below(60)))
            pt += ROW_PT
            n = 0
            continue
        n += 1
        long_cell = rng.chance(10)
        text = rng.pick(LONG_CELLS) if long_cell else rng.pick(cells)
        rows.append("| %d | - %s | %d | %02d | %d | %s |" % (n, text, rng.below(300), rng.below(100),
                                                             rng.below(200), "" if rng.chance(80) else "x"))
        pt += ROW_PT + (ROW_LINE_PT if long_cell else 0.0)
    return "\n".join(rows), pt


def generate(pages, seed=1, seed_path=SEED):
    """The source text of a document of about `pages` pages (at least 1)."""
    rng = Lcg(seed * 7919 + pages)
    front, paras, heads, cells = read_seed(seed_path)
    sents = sentences(paras)
    h1 = [t.upper() for lv, t in heads if lv == 1] + [t.upper() for lv, t in heads if lv == 2]
    h2 = [t for lv, t in heads if lv == 2]
    h3 = [t for lv, t in heads if lv == 3]
    budget = max(1, pages) * PAGE_PT - (PAGE_PT - FIRST_PAGE_PT) - CLOSING_PT
    used = 0.0
    out = [front, ""]
    n1 = n2 = n3 = 0
    since_table = 0

    def add(text, pt):
        out.append(text)
        out.append("")
        return pt

    while used < budget:
        # a level-1 section every ~12 blocks, level-2 every ~5, level-3 sometimes
        r = rng.below(100)
        if n1 == 0 or r < 7:
            n1 += 1
            n2 = n3 = 0
            t = "%s. %s" % (ROMAN[(n1 - 1) % len(ROMAN)], rng.pick(h1))
            used += add("# " + t, est_lines(t, 6) * LINE_PT + PARA_GAP_PT)
        if n2 == 0 or r < 22:
            n2 += 1
            n3 = 0
            t = "%d. %s" % (n2, rng.pick(h2))
            used += add("## " + t, est_lines(t, 6) * LINE_PT + PARA_GAP_PT)
        if r >= 60 and r < 75:
            n3 += 1
            t = "%d.%d. %s" % (n2, n3, rng.pick(h3))
            used += add("### " + t, est_lines(t, 6) * LINE_PT + PARA_GAP_PT)
        npara = 0  # numbered paragraphs run 1, 2, ... under each heading, as vanban's body.numbering wants
        for _ in range(1 + rng.below(4)):
            p = make_paragraph(rng, paras, sents)
            m = re.match(r"\d+\. ", p)
            if m:
                npara += 1
                p = "%d. %s" % (npara, p[m.end():])
            used += add(p, est_lines(p) * LINE_PT + PARA_GAP_PT)
        since_table += 1
        if since_table >= 6 and rng.chance(35):
            since_table = 0
            nrows = 6 + rng.below(10) if rng.chance(50) else 30 + rng.below(30)
            if used + 2 * ROW_PT * nrows > budget + PAGE_PT:
                nrows = 8
            t, pt = make_table(rng, cells, nrows)
            used += add(t, pt)
    # the body ends on an ordinary paragraph of a few lines before the closing block
    used += add(make_paragraph(rng, paras, sents), 0)
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description="Writes a long vanban source built from the seed report.")
    ap.add_argument("--pages", type=int, default=60, help="about how many pages (default 60)")
    ap.add_argument("--seed", type=int, default=1, help="variant (default 1)")
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    a = ap.parse_args(argv)
    text = generate(a.pages, a.seed)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
