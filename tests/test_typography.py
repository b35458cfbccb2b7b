#!/usr/bin/env python3
"""Typographic quality of what vanban prints (issue 3), checked from the PDF.

    python3 tests/test_typography.py build/vanban      (cwd = project root)

Renders the seed report (samples/196-BC-DUK.md), the same with --greedy, and
a generated document of about 60 pages (tests/gen_long.py: the seed's
paragraphs, one to many lines long, headings on three levels, some wrapping,
tables long enough to continue over pages, the closing block), then checks:

  lines       no line passes the right edge of the text block (195.3 mm);
              every justified line ends at 195.0 +- 0.3 mm
  breaks      no line ends with "Số" before its number, or with "(" or "“";
              none starts with closing punctuation; "13-CTr/ĐUK,",
              "07/4/2021", "2020-2025", "100%" are never cut (pdftotext -raw)
  pages       no heading is the last text on a page, and the first paragraph
              after a heading has at least 2 lines (or all of them) on the
              heading's page; no paragraph leaves a single line at the foot
              or the head of a page; the closing block's page holds at least
              2 body lines above "Nơi nhận:"; a table continued on a new page
              repeats its head rows there; every table line sits inside its
              row's borders on its page; no blank page
  titles      the title block is on page 1 in one piece; the 3-line title is
              balanced (shortest/longest line >= 0.6) and centred
  headings    their words are set at the natural space (not justified)
  help        --help lists every option the CLI accepts, and says that --greedy is first fit for
              lines and pages
  justification
              the 95th percentile and the maximum of the space ratio
              (tests/bench/justify.py) are lower with total fit than greedy;
              the loosest line of the seed is at most 1.434 (Typst's worst,
              issue 8 item 8), reached without breaking a token (the
              profile's letter_space as the last resort); every word of a
              letter-spaced line still reads whole in pdftotext

Paragraphs are found as tests/pdfcheck.py's flow_blocks says: the 14 pt body
text, a paragraph starting at the 10 mm indent or after a gap wider than the
18 pt leading, a heading being a line whose letters are mostly bold. Each
check also counts what it saw (headings, paragraphs split over pages,
continued tables), and fails when there was too little to check.

One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import collections
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "bench"))
import gen_long  # noqa: E402
import justify  # noqa: E402
import pdfcheck as P  # noqa: E402
from pdfcheck import mm  # noqa: E402

SAMPLE = "samples/196-BC-DUK.md"
LONG_PAGES = 60
LEFT, RIGHT = 30.0, 195.0
EDGE_TOL = 0.3
BLOCK_CENTRE = (LEFT + RIGHT) / 2
TOKENS = ["13-CTr/ĐUK,", "07/4/2021", "2020-2025", "100%"]
NEVER_LAST = ("Số", "(", "“")
NEVER_FIRST = (")", ",", ".", ";", ":", "%", "”")
TABLE_SIZE = 12.0
MAX_SPACE_RATIO = 1.434  # Typst 0.14's loosest line on the seed (../shared/notes/peers.md)


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-typo-")
    try:
        run_all(ck, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def render(ck, name, cli, src, pdf, greedy=False):
    cmd = [cli, "render", src, "-o", pdf] + (["--greedy"] if greedy else [])
    rc, out, err = P.run(cmd, env=P.test_env())
    return ck.check(name + ".render", rc == 0 and os.path.isfile(pdf),
                    "rc %d%s" % (rc, ("; " + (out + err).strip()[-300:]) if (out + err).strip() else ""))


def help_checks(ck, cli):
    """--help lists every option src/commands/main.c accepts, and says --greedy is first fit for pages too."""
    rc, out, err = P.run([cli, "--help"])
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "commands", "main.c"),
               encoding="utf-8").read()
    opts = sorted(set(re.findall(r'strn?cmp\(a, "(--[a-z-]+)', src)))
    missing = [o for o in opts if o not in out]
    ck.check("help.options", rc == 0 and len(opts) >= 10 and not missing, "%d options, missing %s" % (len(opts), missing))
    m = re.search(r"--greedy(.*?)\n  -", out, re.S)
    g = " ".join(m.group(1).split()) if m else ""
    ck.check("help.greedy", "line" in g and "page" in g, repr(g))


def run_all(ck, cli, tmp):
    help_checks(ck, cli)
    sample_pdf = os.path.join(tmp, "sample.pdf")
    greedy_pdf = os.path.join(tmp, "sample-greedy.pdf")
    long_src = os.path.join(tmp, "long.md")
    long_pdf = os.path.join(tmp, "long.pdf")
    with open(long_src, "w", encoding="utf-8") as f:
        f.write(gen_long.generate(LONG_PAGES))

    if render(ck, "sample", cli, SAMPLE, sample_pdf):
        pages = P.load_pdf(sample_pdf)
        line_checks(ck, "sample", pages)
        break_checks(ck, "sample", sample_pdf, SAMPLE)
        page_checks(ck, "sample", pages, expect_split=1, expect_headings=20, expect_continued=0)
        title_checks(ck, "sample", pages)
        heading_checks(ck, "sample", pages, expect_multiline=3)
    if render(ck, "long", cli, long_src, long_pdf):
        pages = P.load_pdf(long_pdf)
        ck.check("long.length", 0.8 * LONG_PAGES <= len(pages) <= 1.25 * LONG_PAGES,
                 "%d pages for about %d" % (len(pages), LONG_PAGES))
        line_checks(ck, "long", pages)
        break_checks(ck, "long", long_pdf, long_src)
        page_checks(ck, "long", pages, expect_split=10, expect_headings=40, expect_continued=2)
        title_checks(ck, "long", pages)
        heading_checks(ck, "long", pages, expect_multiline=5)
    if os.path.isfile(sample_pdf) and render(ck, "greedy", cli, SAMPLE, greedy_pdf, greedy=True):
        justification_checks(ck, sample_pdf, greedy_pdf)
    closing_sweep(ck, cli, tmp)


# --------------------------------------------------------------------------
# Lines: the right edge
# --------------------------------------------------------------------------

def right_limit(page):
    """The text block's right edge in mm: 195 on A4 portrait; on another page size (a landscape
    appendix) the page width less the same 15 mm right margin."""
    return RIGHT if abs(mm(page.w) - 210.0) < 1.0 else mm(page.w) - (210.0 - RIGHT)


def line_checks(ck, tag, pages):
    over = [l for p in pages for l in p.lines if mm(l.x1) > right_limit(p) + EDGE_TOL]
    widest = max((l for p in pages for l in p.lines), key=lambda l: l.x1 - P.MM * right_limit(l.page))
    other = sorted(set(p.n for p in pages if abs(mm(p.w) - 210.0) >= 1.0))
    ck.check(tag + ".lines.within_block", not over,
             "%d lines past the right edge; the closest ends %.2f mm from it (p%d %r)%s" % (
                 len(over), mm(widest.x1) - right_limit(widest.page), widest.page.n, widest.text[:40],
                 ("; pages not A4 portrait: %s" % other) if other else ""))
    just = justify.justified_lines(pages)
    off = [l for l in just if abs(mm(l.x1) - RIGHT) > EDGE_TOL]
    ck.check(tag + ".lines.justified_edge", just and not off,
             "%d justified lines, %d not at %.1f mm%s" % (
                 len(just), len(off), RIGHT,
                 ("; e.g. p%d %.2f mm %r" % (off[0].page.n, mm(off[0].x1), off[0].text[:50])) if off else ""))
    left = [l for l in just if abs(mm(l.x0) - LEFT) > EDGE_TOL and abs(mm(l.x0) - LEFT - 10.0) > EDGE_TOL]
    ck.check(tag + ".lines.left_edge", not left,
             "%d justified lines start elsewhere than 30 or 40 mm%s" % (
                 len(left), ("; e.g. p%d %.2f mm" % (left[0].page.n, mm(left[0].x0))) if left else ""))


# --------------------------------------------------------------------------
# Breaks: pdftotext -raw lines
# --------------------------------------------------------------------------

def break_checks(ck, tag, pdf, src):
    lines = justify.raw_lines(pdf)
    bad_last = ["%s | %s" % (" ".join(a[-3:]), " ".join(b[:2])) for a, b in zip(lines, lines[1:])
                if a[-1] in NEVER_LAST or a[-1].endswith(("(", "“"))]
    bad_first = ["%s | %s" % (" ".join(a[-3:]), " ".join(b[:2])) for a, b in zip(lines, lines[1:])
                 if b[0].startswith(NEVER_FIRST)]
    ck.check(tag + ".breaks.line_end", not bad_last, "%d lines end with Số ( or “%s" % (
        len(bad_last), ("; e.g. " + "; ".join(bad_last[:3])) if bad_last else ""))
    ck.check(tag + ".breaks.line_start", not bad_first, "%d lines start with closing punctuation%s" % (
        len(bad_first), ("; e.g. " + "; ".join(bad_first[:3])) if bad_first else ""))
    # a token cut at a line end: a proper prefix ends one line, the rest starts the next
    text = open(src, encoding="utf-8").read()
    cut, whole = [], 0
    for tok in TOKENS:
        if tok not in text:
            continue
        whole += sum(" ".join(l).count(tok) for l in lines)
        for a, b in zip(lines, lines[1:]):
            for k in range(1, len(tok)):
                if a[-1].endswith(tok[:k]) and b[0].startswith(tok[k:]):
                    cut.append("%s | %s" % (a[-1], b[0]))
    ck.check(tag + ".breaks.tokens", not cut and whole > 0,
             "%d of the tokens %s printed whole, %d cut%s" % (whole, " ".join(TOKENS), len(cut),
                                                               ("; e.g. " + "; ".join(cut[:3])) if cut else ""))
    tokens, rules, ex = justify.break_faults(pdf, justify.source_words(src))
    ck.check(tag + ".breaks.inside_words", tokens == 0,
             "%d line ends inside a source word%s" % (tokens, ("; e.g. " + ", ".join(ex[:3])) if ex else ""))


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------

def content_lines(page):
    """The page's lines without its page number (a lone number above the top margin)."""
    return [l for l in page.lines if not (re.fullmatch(r"\d{1,4}", l.text) and mm(l.base) < 20.0)]


def table_lines(page):
    """12 pt lines that sit between two vertical rules (table cells, not the recipients list)."""
    out = []
    for l in page.lines:
        if abs(l.size - TABLE_SIZE) > 0.05:
            continue
        y = (l.top + l.bottom) / 2.0
        left = [r for r in page.vrules if r.x <= l.x0 + 0.5 and r.y0 <= y <= r.y1]
        right = [r for r in page.vrules if r.x >= l.x1 - 0.5 and r.y0 <= y <= r.y1]
        if left and right:
            out.append(l)
    return out


def page_checks(ck, tag, pages, expect_split, expect_headings, expect_continued):
    blocks = P.flow_blocks(pages)
    line_block = {}
    for b in blocks:
        for l in b.lines:
            line_block[id(l)] = b

    # no blank page
    blank = [p.n for p in pages if not content_lines(p)]
    ck.check(tag + ".pages.no_blank", not blank, "%d pages, blank: %s" % (len(pages), blank or "none"))

    # no heading is the last text on a page
    heads = [b for b in blocks if b.kind == "heading"]
    last_heads = []
    for p in pages:
        cl = content_lines(p)
        if not cl:
            continue
        low = max(cl, key=lambda l: l.bottom)
        b = line_block.get(id(low))
        if b is not None and b.kind == "heading":
            last_heads.append("p%d %r" % (p.n, low.text[:40]))
    ck.check(tag + ".pages.heading_not_last", len(heads) >= expect_headings and not last_heads,
             "%d headings, %d last on their page%s" % (len(heads), len(last_heads),
                                                      ("; e.g. " + ", ".join(last_heads[:3])) if last_heads else ""))

    # a heading keeps at least 2 lines of the paragraph that follows it (or all of it)
    thin = []
    for i, b in enumerate(blocks[:-1]):
        nxt = blocks[i + 1]
        if b.kind != "heading" or nxt.kind != "para":
            continue
        page_n = b.lines[-1].page.n
        pg = pages[page_n - 1]
        between = [l for l in table_lines(pg) if b.lines[-1].base < l.base < nxt.lines[0].base] \
            if nxt.lines[0].page.n == page_n else []
        if between:
            continue  # a table follows the heading: its head is kept with it (checked by heading_not_last)
        on_page = [l for l in nxt.lines if l.page.n == page_n]
        if len(on_page) < min(2, len(nxt.lines)):
            thin.append("p%d %r + %d of %d lines" % (page_n, b.text[:30], len(on_page), len(nxt.lines)))
    ck.check(tag + ".pages.heading_keeps_two", not thin,
             "%d headings with fewer than 2 following lines on their page%s" % (
                 len(thin), ("; e.g. " + ", ".join(thin[:3])) if thin else ""))

    # widows and orphans
    split = [b for b in blocks if b.kind == "para" and len(b.parts()) > 1]
    lonely = []
    for b in split:
        parts = b.parts()
        if len(parts[0][1]) < 2:
            lonely.append("orphan p%d %r" % (parts[0][0], b.text[:30]))
        if len(parts[-1][1]) < 2:
            lonely.append("widow p%d %r" % (parts[-1][0], parts[-1][1][0].text[:30]))
    ck.check(tag + ".pages.widows_orphans", len(split) >= expect_split and not lonely,
             "%d paragraphs split over pages, %d single lines%s" % (len(split), len(lonely),
                                                                   ("; " + ", ".join(lonely[:3])) if lonely else ""))

    # the closing block's page holds at least 2 body lines above "Nơi nhận:"
    ci, cl = P.closing_anchor(pages)
    if ck.check(tag + ".pages.closing_present", ci is not None, "Nơi nhận: %s" % (
            "on p%d" % (ci + 1) if ci is not None else "not found")):
        body_above = [l for l in P.flow_lines(pages)[ci] if line_block.get(id(l)) and
                      line_block[id(l)].kind == "para"]
        last_para = [b for b in blocks if b.kind == "para"][-1:] or [None]
        ck.check(tag + ".pages.closing_not_alone", len(body_above) >= 2,
                 "%d body lines above Nơi nhận: on p%d (the body's last paragraph: %s)" % (
                     len(body_above), ci + 1, last_para[0] and [n for n, _ in last_para[0].parts()]))

    # tables: continued pages repeat the head; every cell line inside its row's borders on its page
    continued, missing, unboxed, ntable = 0, [], [], 0
    for k, p in enumerate(pages):
        tl = table_lines(p)
        ntable += len(tl)
        for l in tl:
            # borders may be drawn cell by cell, and a line may run over several cells: each end of it
            # needs a rule above and below
            ok = True
            for x in (l.x0 + 0.5, l.x1 - 0.5):
                above = [r for r in p.hrules if r.y <= l.top + 0.5 and r.x0 <= x <= r.x1]
                below = [r for r in p.hrules if r.y >= l.bottom - 0.5 and r.x0 <= x <= r.x1]
                ok = ok and bool(above) and bool(below)
            if not ok:
                unboxed.append("p%d %r" % (p.n, l.text[:20]))
        if k == 0 or not tl:
            continue
        prev_cl = content_lines(pages[k - 1])
        cur_cl = content_lines(p)
        prev_tl = set(id(l) for l in table_lines(pages[k - 1]))
        if not prev_cl or not cur_cl:
            continue
        prev_last = max(prev_cl, key=lambda l: l.bottom)
        cur_first = min(cur_cl, key=lambda l: l.top)
        if id(prev_last) not in prev_tl or id(cur_first) not in set(id(l) for l in tl):
            continue
        continued += 1
        # the head: the text in the first two row bands (between the table's first three rules)
        ys = sorted(set(round(r.y, 1) for r in p.hrules if r.y >= cur_first.top - 12.0 and
                        r.x1 - r.x0 > 100.0))
        head_texts = " ".join(l.text for l in tl if len(ys) >= 3 and ys[0] < l.base < ys[2])
        if not ("STT" in head_texts and "NỘI DUNG" in head_texts and re.search(r"[Nn]ăm 20\d\d", head_texts)):
            missing.append("p%d %r" % (p.n, head_texts[:40]))
    ck.check(tag + ".tables.head_repeats", continued >= expect_continued and not missing,
             "%d table lines, %d pages continue a table, %d without the head%s" % (
                 ntable, continued, len(missing), ("; e.g. " + ", ".join(missing[:3])) if missing else ""))
    ck.check(tag + ".tables.rows_whole", not unboxed,
             "%d table lines outside a row box on their page%s" % (
                 len(unboxed), ("; e.g. " + ", ".join(unboxed[:3])) if unboxed else ""))


def closing_sweep(ck, cli, tmp, profile=None):
    """Short documents whose body ends lower and lower on page 1 (k one-line
    paragraphs, then a four-line one): wherever the closing block no longer
    fits, at least the last 2 body lines must go with it to the next page."""
    front, paras, _, _ = gen_long.read_seed()
    short = [p for p in gen_long.sentences(paras) if 40 < len(p) < 75]
    last = "Cấp ủy các cấp tiếp tục quán triệt sâu sắc đến toàn thể đảng viên. " * 4
    moved, alone, cases = 0, [], 0
    for k in range(10, 26):
        body = "\n\n".join(gen_long.capitalise(short[i % len(short)]) for i in range(k))
        src = os.path.join(tmp, "closing%d.md" % k)
        pdf = os.path.join(tmp, "closing%d.pdf" % k)
        with open(src, "w", encoding="utf-8") as f:
            f.write(front + "\n\n" + body + "\n\n" + last.strip() + "\n")
        cmd = [cli, "render", src, "-o", pdf] + (["--profile", profile] if profile else [])
        rc, out, err = P.run(cmd, env=P.test_env())
        if rc != 0:
            alone.append("k=%d render failed rc %d" % (k, rc))
            continue
        pages = P.load_pdf(pdf)
        ci, _ = P.closing_anchor(pages)
        if ci is None:
            alone.append("k=%d no Nơi nhận:" % k)
            continue
        cases += 1
        if ci > 0:
            moved += 1
        blocks = P.flow_blocks(pages)
        on_page = [l for b in blocks if b.kind == "para" for l in b.lines if l.page.n == ci + 1]
        if len(on_page) < 2:
            alone.append("k=%d: %d body lines on p%d" % (k, len(on_page), ci + 1))
    ck.check("closing.sweep", cases == 16 and moved >= 2 and not alone,
             "%d documents, closing on page 2 in %d, with fewer than 2 body lines: %s" % (
                 cases, moved, ", ".join(alone[:4]) or "none"))


# --------------------------------------------------------------------------
# Title block
# --------------------------------------------------------------------------

def title_checks(ck, tag, pages):
    fm = P.parse_front_matter(P.split_source(open(SAMPLE, encoding="utf-8").read())[0])
    words = fm["title"].split()
    everywhere = [l for p in pages for l in p.lines]
    kind = [l for l in everywhere if l.text == fm["kind"]]
    dash = [l for l in everywhere if l.text == "-----"]
    if not ck.check(tag + ".title.found", kind and dash and kind[0].page.n == 1 and dash[0].page.n == 1,
                    "kind on p%s, ----- on p%s" % (kind[0].page.n if kind else "?", dash[0].page.n if dash else "?")):
        return
    p1 = pages[0]
    tl = [l for l in p1.lines if kind[0].base < l.base < dash[0].base]
    got = " ".join(l.text for l in tl).split()
    ck.check(tag + ".title.together", got == words, "%d title lines on p1 with %d of %d words" % (
        len(tl), len(got), len(words)))
    widths = [l.x1 - l.x0 for l in tl]
    ratio = min(widths) / max(widths) if widths else 0.0
    ck.check(tag + ".title.balanced", len(tl) == 3 and ratio >= 0.6,
             "%d lines, widths %s mm, shortest/longest %.2f" % (len(tl), " ".join("%.1f" % mm(w) for w in widths),
                                                                ratio))
    off = [l for l in tl if abs(mm(l.cx) - BLOCK_CENTRE) > 0.5]
    ck.check(tag + ".title.centred", tl and not off, "centres %s mm" % " ".join("%.2f" % mm(l.cx) for l in tl))


# --------------------------------------------------------------------------
# Headings: not justified
# --------------------------------------------------------------------------

def heading_checks(ck, tag, pages, expect_multiline):
    heads = [b for b in P.flow_blocks(pages) if b.kind == "heading"]
    multi = [b for b in heads if len(b.lines) > 1]
    gaps, bad = 0, []
    for b in heads:
        for l in b.lines:
            for g, nat in P.word_gaps(l):
                gaps += 1
                if abs(g - nat) > 0.02 * nat + 0.01:
                    bad.append("p%d %.2f/%.2f pt %r" % (l.page.n, g, nat, l.text[:30]))
    ck.check(tag + ".headings.natural_spaces", len(multi) >= expect_multiline and gaps > 0 and not bad,
             "%d headings (%d on several lines), %d gaps, %d not at the natural space%s" % (
                 len(heads), len(multi), gaps, len(bad), ("; e.g. " + ", ".join(bad[:2])) if bad else ""))
    caps = [b for b in heads if b.text == b.text.upper() and re.search(r"[A-ZĐ]", b.text)]
    ragged = [b for b in multi if all(mm(l.x1) < RIGHT - 1.0 for l in b.lines[:-1])]
    ck.check(tag + ".headings.ragged", len(ragged) == len(multi),
             "%d of %d multi-line headings end short of the right edge (%d in capitals)" % (
                 len(ragged), len(multi), len(caps)))


# --------------------------------------------------------------------------
# Justification: total fit against greedy
# --------------------------------------------------------------------------

def justification_checks(ck, total_pdf, greedy_pdf):
    words = justify.source_words(SAMPLE)
    t = justify.measure(total_pdf, words)
    g = justify.measure(greedy_pdf, words)
    ck.note("space ratio   total fit: %d lines, median %.3f, p95 %.3f, max %.3f, %.1f %% > 1.5" % (
        t["lines"], t["median"], t["p95"], t["max"], t["loose"]))
    ck.note("space ratio   greedy:    %d lines, median %.3f, p95 %.3f, max %.3f, %.1f %% > 1.5" % (
        g["lines"], g["median"], g["p95"], g["max"], g["loose"]))
    ck.check("justify.measured", t["lines"] >= 200 and g["lines"] >= 200,
             "%d and %d justified lines" % (t["lines"], g["lines"]))
    ck.check("justify.p95_below_greedy", t["p95"] < g["p95"], "%.3f < %.3f" % (t["p95"], g["p95"]))
    ck.check("justify.max_below_greedy", t["max"] < g["max"], "%.3f < %.3f" % (t["max"], g["max"]))
    ck.check("justify.no_token_breaks", t["tokens"] == 0 and t["rules"] == 0,
             "%d token breaks, %d rule breaks" % (t["tokens"], t["rules"]))
    ck.check("justify.max_at_most_1434", t["max"] <= MAX_SPACE_RATIO,
             "loosest justified line %.3f <= %.3f" % (t["max"], MAX_SPACE_RATIO))
    # the letter-spaced lines read whole: every word of the source paragraph's first line, in order
    text, rc, _ = P.pdftotext_raw(total_pdf)
    want = "Thực hiện Chỉ thị số 10-CT/TW của Ban Bí thư, Kết luận số 18-KL/TW"
    got = [l.strip() for l in text.split("\n") if l.startswith("Thực hiện Chỉ thị số 10-CT/TW")]
    ck.check("justify.letter_spaced_text", rc == 0 and got and " ".join(got[0].split()).startswith(want),
             "pdftotext: %r" % (got[:1],))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
