#!/usr/bin/env python3
"""Renders samples/196-BC-DUK.md and checks the PDF against the source and the
Party format (Hướng dẫn 36-HD/VPTW, profile party-36-2018).

    python3 tests/test_sample_pdf.py build/vanban      (cwd = project root)

One line per check, then "N passed, M failed"; exit 1 when a check fails.
Measurements come from the Debian tools (see tests/pdfcheck.py): character
quads and baselines from `mutool draw -F stext`, rules from `mutool draw -F
trace`, the text layer from `pdftotext -raw`, glyph ink from `pdftoppm`.
Positions are in mm from the top-left page corner. A line's left and right
edges are its first and last inked characters' quads (pen position to pen
position + advance), which is what the typesetter places; centres are the
middle of those edges.
"""
import collections
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
from pdfcheck import mm  # noqa: E402

SAMPLE = "samples/196-BC-DUK.md"
EXPECT = "tests/data/196-BC-DUK.expect.json"
CONFORM = "../shared/tools/conform.py"

# The Party format (36-HD) as the profile sets it, in mm and pt.
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, INDENT = 30.0, 195.0, 10.0
TOP, BOTTOM = 20.0, 277.0
BLOCK_CENTRE = (LEFT + RIGHT) / 2           # 112.5: kind, title, page numbers
LEFT_COL_CENTRE, RIGHT_COL_CENTRE = 70.0, 152.5
EDGE_TOL, CENTRE_TOL, BASE_TOL = 0.3, 0.5, 0.3
RULE_LEN_TOL = 1.0
PAGENO_INK_TOP, PAGENO_TOL = 10.0, 0.5
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
N_APPENDICES = 4


def fmt_date(iso):
    """The profile's date rule: "ngày DD tháng M năm YYYY", a zero before days
    below 10 and months below 3."""
    y, m, d = (int(x) for x in iso.split("-"))
    return "ngày %s tháng %s năm %d" % ("%02d" % d if d < 10 else d, "%02d" % m if m < 3 else m, y)


def profile_texts(fm, npages):
    """The text the profile adds around the author's body, as whole strings
    (their words are what the PDF must show besides the body). Read from
    layouts/party-36-2018.yaml by hand; keep in step with it:
      page 1 header: "ĐẢNG CỘNG SẢN VIỆT NAM", parent, issuer, "*",
                     "Số <number>", "<place>, ngày DD tháng M năm YYYY";
      title block:   kind, title, "-----";
      closing:       "Nơi nhận:", "- <recipient>" each, authority, post, name;
      page numbers:  2 .. N (numbering continues into the appendices);
      each appendix: the header again (see appendix_header)."""
    date_line = "%s, %s" % (fm["place"], fmt_date(fm["date"]))
    out = [PARTY_TITLE, fm.get("parent", ""), fm["issuer"], "*", "Số " + fm["number"], date_line,
           fm.get("kind", ""), fm.get("title", ""), "-----", "Nơi nhận:"]
    out += ["- " + r for r in fm.get("recipients", [])]
    sg = fm.get("signer", {})
    out += [sg.get("authority", ""), sg.get("post", ""), sg.get("name", "")]
    out += [str(n) for n in range(2, npages + 1)]
    for _ in range(N_APPENDICES):
        out += appendix_header(fm, date_line)
    return out


def appendix_header(fm, date_line):
    """The header band the profile repeats on each appendix's first page:
    as page 1's without the "Số" line (appendix.header in the profile)."""
    return [PARTY_TITLE, fm.get("parent", ""), fm["issuer"], "*", date_line]


def is_pageno(line):
    return re.fullmatch(r"\d{1,4}", line.text) is not None and mm(line.top) < TOP


def join_lines(lines):
    """Wrapped lines as one text: no space after a break that follows "x-" or "x/"."""
    out = ""
    for l in lines:
        out += ("" if not out or re.search(r"\w[-/]$", out) else " ") + l.text
    return out


def find(page, text):
    return [l for l in page.lines if l.text == text]


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-sample-")
    try:
        return run_checks(ck, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_checks(ck, cli, tmp):
    pdf = os.path.join(tmp, "196-BC-DUK.pdf")
    rc, out, err = P.run([cli, "render", SAMPLE, "-o", pdf], env=P.test_env())
    if not ck.check("render", rc == 0 and os.path.isfile(pdf), "rc %d%s" % (rc, ("; " + err.strip()[-300:]) if err.strip() else "")):
        return ck.done()
    ck.check("render.quiet", not err.strip() and not out.strip(), repr((out + err)[:200]) if (out + err).strip() else "no output")

    src = open(SAMPLE, encoding="utf-8").read()
    fm_lines, body, _ = P.split_source(src)
    fm = P.parse_front_matter(fm_lines)
    blocks = P.md_blocks(body)
    pages = P.load_pdf(pdf)
    n = len(pages)

    text_checks(ck, pdf, fm, blocks, n)
    tool_checks(ck, pdf, cli)
    geometry_checks(ck, pdf, pages, fm)
    conform_check(ck, pdf)
    return ck.done()


# --------------------------------------------------------------------------
# Text layer
# --------------------------------------------------------------------------

def text_checks(ck, pdf, fm, blocks, npages):
    expected = []
    for _, t in blocks:
        expected += P.words(t)
    for t in profile_texts(fm, npages):
        expected += P.words(t)
    want = collections.Counter(expected)
    text, rc, err = P.pdftotext_raw(pdf)
    ck.check("pdftotext.run", rc == 0 and not err.strip(), "rc %d %s" % (rc, err.strip()[:200]))
    got, joins = P.pdf_words(text, want)
    if joins:
        ck.note("words cut after a hyphen at a line end, joined back: " + ", ".join(joins[:8]))
    missing, extra = P.bag_diff(expected, got)
    ck.check("text.missing", not missing, "%d words expected, %d missing%s" % (
        len(expected), sum(missing.values()), (": " + P.fmt_bag(missing)) if missing else ""))
    ck.check("text.extra", not extra, "%d words in the PDF, %d extra%s" % (
        len(got), sum(extra.values()), (": " + P.fmt_bag(extra)) if extra else ""))
    nfc, fffd, pua = P.text_problems(text)
    ck.check("text.nfc", nfc, "pdftotext output is %sNFC" % ("" if nfc else "not "))
    ck.check("text.no_fffd", fffd == 0, "%d U+FFFD" % fffd)
    ck.check("text.no_private_use", not pua, " ".join("U+%04X" % ord(c) for c in pua[:8]) or "none")


def tool_checks(ck, pdf, cli):
    rows, rc, err = P.pdffonts(pdf)
    bad = ["%s %s/%s/%s" % (r["name"], r["emb"], r["sub"], r["uni"]) for r in rows
           if (r["emb"], r["sub"], r["uni"]) != ("yes", "yes", "yes") or "Type 3" in r["type"]]
    ck.check("pdffonts.embedded", rc == 0 and rows and not bad,
             "%d fonts: %s" % (len(rows), "; ".join(bad) if bad else ", ".join(r["name"] for r in rows)))
    ck.check("pdffonts.stderr", not err.strip(), err.strip()[:200] or "empty")
    rc, out, err = P.run(["qpdf", "--check", pdf])
    ck.check("qpdf.check", rc == 0 and "WARNING" not in out + err, "rc %d %s" % (rc, (out + err).strip().splitlines()[-1][:120] if (out + err).strip() else ""))
    # MuPDF reads the text through the fonts' ToUnicode too: no character it cannot name, no CMap warning
    rc, out, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf])
    cmap_warn = [l for l in err.splitlines() if "cmap" in l.lower()]
    ck.check("mutool.text", rc == 0 and "&#xfffd;" not in out.lower() and not cmap_warn,
             "rc %d, %d U+FFFD%s" % (rc, out.lower().count("&#xfffd;"), ("; " + cmap_warn[0][:120]) if cmap_warn else ""))
    # issue 10: the seed's PDF at most 70 KB (85 KB before); the size does not depend on the machine.
    # Issue 12's empty signature fields (6 here: signer, seal, one per appendix) come on top, at most
    # 300 bytes each
    bare = os.path.join(os.path.dirname(pdf), "no-fields.pdf")
    rc, _, _ = P.run([cli, "render", SAMPLE, "-o", bare, "--no-sign-fields"], env=P.test_env())
    size, fields = os.path.getsize(bare) if rc == 0 else 10 ** 9, os.path.getsize(pdf)
    nfields = open(pdf, "rb").read().count(b"/Widget")
    ck.check("pdf.size", size <= 70000 and fields - size <= 300 * nfields,
             "%d bytes (at most 70,000); with %d fields %d bytes (at most 300 more each)" % (size, nfields, fields))


# --------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------

def near(v, want, tol):
    return abs(v - want) <= tol


def check_line(ck, name, lines, size, bold, italic, centre=None):
    """One element: found, size, face (every letter), centred."""
    if not ck.check(name + ".found", bool(lines), "%d line(s)" % len(lines)):
        return False
    sizes = sorted(set(s for l in lines for s in l.sizes))
    ck.check(name + ".size", all(abs(s - size) <= 0.05 for s in sizes), "%s pt (want %g)" % (sizes, size))
    faces = collections.Counter()
    for l in lines:
        faces.update(l.faces)
    wrong = {P.face_name(*f): k for f, k in faces.items() if f != (bold, italic)}
    ck.check(name + ".face", not wrong, "%s%s" % (P.face_name(bold, italic), ("; also " + str(wrong)) if wrong else ""))
    if centre is not None:
        cs = [mm(l.cx) for l in lines]
        worst = max(cs, key=lambda c: abs(c - centre))
        ck.check(name + ".centre", near(worst, centre, CENTRE_TOL),
                 "centre %s mm (want %.1f ± %.1f)" % (", ".join("%.2f" % c for c in cs), centre, CENTRE_TOL))
    return True


def rule_below(page, line, max_mm=8.0):
    """The nearest horizontal rule below a line's baseline that overlaps it."""
    c = [r for r in page.hrules if line.base - 0.5 <= r.y <= line.base + max_mm * P.MM
         and min(r.x1, line.x1) > max(r.x0, line.x0)]
    return min(c, key=lambda r: r.y) if c else None


def geometry_checks(ck, pdf, pages, fm):
    n = len(pages)
    odd = ["p%d %.1f×%.1f" % (p.n, mm(p.w), mm(p.h)) for p in pages
           if not (near(mm(p.w), PAGE_W, 0.1) and near(mm(p.h), PAGE_H, 0.1))]
    ck.check("page.a4", not odd, "%d pages%s" % (n, ("; " + ", ".join(odd)) if odd else ", all 210×297 mm"))

    p1 = pages[0]
    # ---- page-1 header
    t = find(p1, PARTY_TITLE)
    check_line(ck, "header.party_title", t[:1], 15, True, False, RIGHT_COL_CENTRE)
    if t:
        r = rule_below(p1, t[0])
        if ck.check("header.party_rule.found", r is not None, "rule under the party title"):
            # the title's ink, rendered from its top to 1.5 mm under the baseline
            # (below the dots of Ộ/Ệ, above the rule 2 mm down)
            tl = t[0]
            ink = P.ink_box_mm(pdf, 1, mm(tl.x0) - 3, mm(tl.top) - 1, mm(tl.x1) + 3, mm(tl.base) + 1.5)
            iw = ink[2] - ink[0] if ink else 0.0
            ck.check("header.party_rule.length", ink is not None and near(mm(r.length), iw, RULE_LEN_TOL),
                     "rule %.2f mm, title ink %.2f mm (advance box %.2f; ± %.1f)" % (
                         mm(r.length), iw, mm(tl.x1 - tl.x0), RULE_LEN_TOL))
            ck.check("header.party_rule.centre", ink is not None and near(mm(r.x), (ink[0] + ink[2]) / 2, CENTRE_TOL),
                     "rule centre %.2f, title ink centre %.2f mm" % (mm(r.x), (ink[0] + ink[2]) / 2 if ink else 0))
    check_line(ck, "header.parent", find(p1, fm["parent"]), 14, False, False, LEFT_COL_CENTRE)
    iss = [l for part in fm["issuer"].split("\n") for l in find(p1, part)]
    check_line(ck, "header.issuer", iss, 14, True, False, LEFT_COL_CENTRE)
    ck.check("header.issuer.lines", len(iss) == 2, "%d lines: %r" % (len(iss), [l.text for l in iss]))
    num = find(p1, "Số " + fm["number"])
    star = [l for l in find(p1, "*") if mm(l.cx) < 110 and (not num or l.base < num[0].base)]
    check_line(ck, "header.star", star[:1], 14, False, False, LEFT_COL_CENTRE)
    check_line(ck, "header.number", num[:1], 14, False, False, LEFT_COL_CENTRE)
    date_line = "%s, %s" % (fm["place"], fmt_date(fm["date"]))
    dl = [l for l in find(p1, date_line) if mm(l.cx) > 110]
    check_line(ck, "header.date", dl[:1], 14, False, True, RIGHT_COL_CENTRE)
    if dl and num:
        d = mm(dl[0].base - num[0].base)
        ck.check("header.date.baseline", abs(d) <= BASE_TOL, "date − Số baseline %+.2f mm (± %.1f)" % (d, BASE_TOL))
    # ---- title block
    kind = find(p1, fm["kind"])
    check_line(ck, "kind", kind[:1], 16, True, False, BLOCK_CENTRE)
    dashes = [l for l in p1.lines if l.text == "-----"]
    ck.check("title.dashes", bool(dashes) and near(mm(dashes[0].cx), BLOCK_CENTRE, CENTRE_TOL),
             "'-----' centre %s" % ("%.2f mm" % mm(dashes[0].cx) if dashes else "not found"))
    if kind and dashes:
        tl = [l for l in p1.lines if kind[0].base < l.base < dashes[0].base]
        check_line(ck, "title", tl, 14, True, False, BLOCK_CENTRE)
        ck.check("title.text", join_lines(tl) == fm["title"], repr(" / ".join(l.text for l in tl))[:120])

    # ---- closing block
    close = None
    for p in pages:
        lab = find(p, "Nơi nhận:")
        if lab:
            close = (p, lab[0])
            break
    if ck.check("closing.found", close is not None, "'Nơi nhận:' on p%d" % close[0].n if close else "not found"):
        closing_checks(ck, close, fm)

    # ---- body
    body = body_lines(pages, dashes[0] if dashes else None, close)
    body_checks(ck, body)

    # ---- page numbers and margins
    pageno_checks(ck, pdf, pages)
    margin_checks(ck, pages)

    # ---- appendices
    appendix_checks(ck, pages, fm, close, date_line)


def closing_checks(ck, close, fm):
    page, lab = close
    check_line(ck, "closing.noinhan", [lab], 14, False, False)
    ck.check("closing.noinhan.left", near(mm(lab.x0), LEFT, EDGE_TOL), "x %.2f mm" % mm(lab.x0))
    r = rule_below(page, lab, 4.0)
    if ck.check("closing.noinhan.underline", r is not None, "rule %s" % r):
        ck.check("closing.noinhan.underline.span", near(mm(r.x0), LEFT, EDGE_TOL) and near(mm(r.x1), mm(lab.x1), CENTRE_TOL),
                 "rule x %.2f–%.2f mm, text %.2f–%.2f mm" % (mm(r.x0), mm(r.x1), mm(lab.x0), mm(lab.x1)))
    # recipients: the left column under the label, up to a wide gap
    items, prev = [], lab
    for l in page.lines:
        if l.base <= lab.base + 0.1 or mm(l.cx) >= 105:
            continue
        if l.base - prev.base > 2.5 * max(l.size, prev.size):
            break
        if l.text.startswith("- ") or not items:
            items.append([l])
        else:
            items[-1].append(l)
        prev = l
    texts = [" ".join(l.text for l in it) for it in items]
    want = ["- " + r for r in fm["recipients"]]
    ck.check("closing.items.text", texts == want, "%d items%s" % (len(texts), "" if texts == want else ": %r" % texts))
    flat = [l for it in items for l in it]
    check_line(ck, "closing.items", flat, 12, False, False)
    ck.check("closing.items.left", flat and all(near(mm(it[0].x0), LEFT, EDGE_TOL) for it in items),
             "starts %s mm" % sorted(set("%.2f" % mm(it[0].x0) for it in items)))
    # signer: the right column from the label's baseline down
    right = [l for l in page.lines if mm(l.cx) > 110 and l.base >= lab.base - 1.0]
    sg = fm["signer"]
    for key, bold in (("authority", True), ("post", False), ("name", True)):
        ls = [l for l in right if l.text == sg[key]]
        check_line(ck, "signer." + key, ls[:1], 14, bold, False, RIGHT_COL_CENTRE)
    auth = [l for l in right if l.text == sg["authority"]]
    if auth:
        d = mm(auth[0].base - lab.base)
        ck.check("signer.level", abs(d) <= BASE_TOL, "'%s' − 'Nơi nhận:' baseline %+.2f mm" % (sg["authority"], d))


def body_lines(pages, dashes, close):
    """Body text lines in reading order: page 1 below '-----' down to the
    closing block, page numbers left out."""
    last = close[0].n if close else len(pages)
    out = []
    for p in pages[:last]:
        for l in p.lines:
            if is_pageno(l):
                continue
            if p.n == 1 and dashes is not None and l.base <= dashes.base + 0.1:
                continue
            if close and p is close[0] and l.base >= close[1].base - 1.0:
                continue
            out.append(l)
    return out


def body_checks(ck, body):
    if not ck.check("body.found", len(body) > 50, "%d body lines" % len(body)):
        return
    sizes = collections.Counter(round(c.size, 2) for l in body for c in l.ink)
    ck.check("body.size", list(sizes) == [14.0], "sizes %s" % dict(sizes))
    flush = [l for l in body if near(mm(l.x0), LEFT, EDGE_TOL)]
    indented = [l for l in body if near(mm(l.x0), LEFT + INDENT, EDGE_TOL)]
    other = [l for l in body if l not in flush and l not in indented]
    ck.check("body.left", not other and len(flush) > 0, "%d lines at %.1f, %d at %.1f mm%s" % (
        len(flush), LEFT, len(indented), LEFT + INDENT,
        ("; elsewhere: " + "; ".join("%r at %.2f" % (l, mm(l.x0)) for l in other[:4])) if other else ""))
    ck.check("body.indent", len(indented) >= 40, "%d first lines indented %.1f mm (± %.1f)" % (len(indented), INDENT, EDGE_TOL))
    # a line is justified when the next body line continues its paragraph:
    # flush left, and on the same page one line pitch below (or first on the
    # next page). Headings (bold lines) are set ragged right by the profile
    # (styles.heading.align: left), so their wrapped lines are left out.
    just, ragged = [], 0
    for a, b in zip(body, body[1:]):
        if a.all_bold:
            ragged += 1
            continue
        if not near(mm(b.x0), LEFT, EDGE_TOL):
            continue
        if a.page is b.page:
            if not (0 < b.base - a.base < 1.9 * a.size):
                continue
        elif b.page.n != a.page.n + 1:  # a ends its page, b starts the next
            continue
        just.append(a)
    ends = [mm(l.x1) for l in just]
    bad = [(l, mm(l.x1)) for l in just if not near(mm(l.x1), RIGHT, EDGE_TOL)]
    if ck.check("body.justified.found", len(just) > 100, "%d justified lines (%d heading lines left out)" % (len(just), ragged)):
        ck.check("body.justified.right", not bad, "ends %.2f–%.2f mm (want %.1f ± %.1f)%s" % (
            min(ends), max(ends), RIGHT, EDGE_TOL,
            ("; off: " + "; ".join("%r %.2f" % b for b in bad[:4])) if bad else ""))
        ck.check("body.justified.overhang", max(ends) <= RIGHT + EDGE_TOL, "max %.2f mm" % max(ends))
    rights = [mm(l.x1) for l in body]
    ck.check("body.right.max", max(rights) <= RIGHT + EDGE_TOL, "rightmost body text %.2f mm" % max(rights))


def pageno_checks(ck, pdf, pages):
    p1 = [l for l in pages[0].lines if is_pageno(l)]
    ck.check("pageno.none_on_p1", not p1, "none" if not p1 else repr(p1[0]))
    found, missing = [], []
    for p in pages[1:]:
        ls = [l for l in p.lines if is_pageno(l)]
        if len(ls) == 1 and ls[0].text == str(p.n):
            found.append((p, ls[0]))
        else:
            missing.append("p%d %r" % (p.n, [l.text for l in ls]))
    ck.check("pageno.present", not missing and found, "%d of %d pages%s" % (
        len(found), len(pages) - 1, ("; wrong: " + ", ".join(missing)) if missing else ""))
    if not found:
        return
    sizes = sorted(set(s for _, l in found for s in l.sizes))
    ck.check("pageno.size", sizes == [14.0], "%s pt" % sizes)
    faces = set(f for _, l in found for f in l.faces)
    ck.check("pageno.face", faces == {(False, False)}, str(sorted(P.face_name(*f) for f in faces)))
    cs = [(mm(l.cx), p.n) for p, l in found]
    w = max(cs, key=lambda v: abs(v[0] - BLOCK_CENTRE))
    ck.check("pageno.centre", near(w[0], BLOCK_CENTRE, CENTRE_TOL), "worst %.2f mm on p%d (want %.1f ± %.1f)" % (
        w[0], w[1], BLOCK_CENTRE, CENTRE_TOL))
    # The digit's ink top, from a 600 dpi rendering of the number's box (so the
    # font's figure height and overshoot are what they are, not assumed).
    tops = []
    for p, l in found:
        box = P.ink_box_mm(pdf, p.n, mm(l.x0) - 1, max(0.0, mm(l.top) - 2), mm(l.x1) + 1, mm(l.bottom) + 1)
        if box:
            tops.append((box[1], p.n))
    ck.check("pageno.ink_found", len(tops) == len(found), "%d of %d rendered" % (len(tops), len(found)))
    if tops:
        w = max(tops, key=lambda v: abs(v[0] - PAGENO_INK_TOP))
        ck.check("pageno.ink_top", near(w[0], PAGENO_INK_TOP, PAGENO_TOL), "ink tops %.2f–%.2f mm, worst p%d (want %.1f ± %.1f)" % (
            min(t for t, _ in tops), max(t for t, _ in tops), w[1], PAGENO_INK_TOP, PAGENO_TOL))


def margin_checks(ck, pages):
    """Every page: the text (ascender-to-descender quads, page number left
    out) between 20 and 277 mm."""
    tops, bots = [], []
    for p in pages:
        ls = [l for l in p.lines if not is_pageno(l)]
        if not ls:
            continue
        tops.append((mm(min(l.top for l in ls)), p.n))
        bots.append((mm(max(l.bottom for l in ls)), p.n))
    t, b = min(tops), max(bots)
    ck.check("margin.top", t[0] >= TOP - 0.01, "highest text top %.2f mm on p%d (>= %.0f)" % (t[0], t[1], TOP))
    ck.check("margin.bottom", b[0] <= BOTTOM + 0.01, "lowest text bottom %.2f mm on p%d (<= %.0f)" % (b[0], b[1], BOTTOM))


def table_regions(page):
    """Bounding boxes (x0, y0, x1, y1 pt) of groups of vertical rules that
    overlap vertically: one box per ruled table on the page."""
    vs = sorted(page.vrules, key=lambda r: r.y0)
    boxes = []
    for r in vs:
        if boxes and r.y0 <= boxes[-1][3] + 1:
            b = boxes[-1]
            boxes[-1] = (min(b[0], r.x), b[1], max(b[2], r.x), max(b[3], r.y1))
        else:
            boxes.append((r.x, r.y0, r.x, r.y1))
    return [b for b in boxes if b[2] - b[0] > 40 * P.MM]


def appendix_checks(ck, pages, fm, close, date_line):
    labels = []
    for k in range(1, N_APPENDICES + 1):
        hit = [(p, l) for p in pages for l in p.lines if l.text == "PHỤ LỤC %d" % k]
        labels.append(hit[0] if hit else None)
    ck.check("appendix.found", all(labels), "labels on pages %s" % [h[0].n if h else None for h in labels])
    if not all(labels):
        return
    pns = [p.n for p, _ in labels]
    ck.check("appendix.new_pages", pns == sorted(set(pns)) and (not close or pns[0] > close[0].n),
             "pages %s after the closing on p%s" % (pns, close[0].n if close else "?"))
    allowed = set([PARTY_TITLE, fm.get("parent", ""), "*", date_line, "Số " + fm["number"]] + fm["issuer"].split("\n"))
    intruders = []
    for p, lab in labels:
        for l in p.lines:
            if l.base < lab.base - 0.1 and not is_pageno(l) and l.text not in allowed:
                intruders.append("p%d %r" % (p.n, l.text[:30]))
    ck.check("appendix.page_top", not intruders, "only the header above each label%s" % (
        ("; also: " + ", ".join(intruders[:4])) if intruders else ""))
    # the repeated header stands where page 1's does: same baselines and centres
    # (the date on the line the "Số" line takes on page 1, as the profile's
    # appendix.header says and reference p11 shows)
    p1 = {l.text: l for l in pages[0].lines if l.text in allowed}
    moved = []
    for p, _ in labels:
        seen = set()
        for l in p.lines:
            if l.text in p1 and l.text not in seen and not is_pageno(l):
                seen.add(l.text)
                ref = p1[l.text]
                if abs(mm(l.base - ref.base)) > BASE_TOL or abs(mm(l.cx - ref.cx)) > CENTRE_TOL:
                    moved.append("p%d %r at %.2f mm (p1 %.2f)" % (p.n, l.text[:24], mm(l.base), mm(ref.base)))
        missing = [t for t in allowed if t != "Số " + fm["number"] and t not in seen]
        moved += ["p%d lacks %r" % (p.n, t[:24]) for t in missing]
    ck.check("appendix.header_as_p1", not moved, "; ".join(moved[:4]) if moved else "header lines at page 1's places")
    # table cells: everything inside the ruled tables is 12 pt. Cell texts are
    # regrouped with a narrow gap (0.8 em) so that neighbouring cells stay apart.
    first = pns[0]
    sizes, counts, centred, offc, cells = collections.Counter(), [], 0, [], []
    for p in pages[first - 1:]:
        regions = table_regions(p)
        k = 0
        for (x0, y0, x1, y1) in regions:
            cols = sorted(set(r.x for r in p.vrules if r.y0 < y1 and r.y1 > y0))
            for l in P.group_lines(p, split_em=0.8):
                if not (x0 <= l.cx <= x1 and y0 <= l.base <= y1):
                    continue
                k += 1
                cells.append(l)
                sizes.update(round(c.size, 2) for c in l.ink)
                if re.fullmatch(r"[0-9]+|[IVX]+", l.text):
                    a = max([c for c in cols if c <= l.x0] or [x0])
                    b = min([c for c in cols if c >= l.x1] or [x1])
                    if near(mm(l.cx), mm((a + b) / 2), CENTRE_TOL):
                        centred += 1
                    else:
                        offc.append("p%d %r %.2f vs %.2f" % (p.n, l.text, mm(l.cx), mm((a + b) / 2)))
        counts.append((p.n, len(regions), k))
    ck.check("table.found", all(any(c[0] == pn and c[1] and c[2] for c in counts) for pn in pns),
             "pages with a ruled table and text: %s" % [c[0] for c in counts if c[1] and c[2]])
    ck.check("table.cell_size", list(sizes) == [12.0], "sizes %s" % dict(sizes))
    ck.check("table.numbers_centred", centred > 50 and not offc, "%d number cells centred%s" % (
        centred, ("; off: " + "; ".join(offc[:4])) if offc else ""))
    # styles as in the reference picture: group rows (I, II) bold, "Trong đó" italic
    grp = [l for l in cells if l.text in ("Xếp loại TCCSD", "Xếp loại cấp ủy", "I. Tổng số")]
    tro = [l for l in cells if l.text == "Trong đó"]
    ck.check("table.group_rows_bold", len(grp) == 3 and all(l.all_bold for l in grp),
             "%d of 3 found, %d bold" % (len(grp), sum(l.all_bold for l in grp)))
    ck.check("table.trong_do_italic", len(tro) == 3 and all(l.all_italic and not l.any_bold for l in tro),
             "%d of 3 found, %d italic" % (len(tro), sum(l.all_italic for l in tro)))


def conform_check(ck, pdf):
    if not os.path.isfile(CONFORM):
        ck.note("%s absent: conformance run skipped" % CONFORM)
        return
    # the page as printed: without the empty signature fields, where mupdf draws its own "SIGN" marker
    shown, tmp = P.page_only(pdf)
    rc, out, err = P.run([sys.executable, CONFORM, shown, "--expect", EXPECT], timeout=300)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    fails = [l for l in out.splitlines() if l.startswith("FAIL")]
    summary = (out.strip().splitlines() or [""])[-1]
    ck.check("conform", rc == 0 and not fails, summary + "".join("\n      " + f for f in fails[:12]) + (err.strip()[-300:] if rc not in (0, 1) else ""))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
