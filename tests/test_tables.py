#!/usr/bin/env python3
"""Tables as writers ask for them (issue 8 item 4), read back from the PDF:

  - `<br>` in a cell is a line break: the two parts on consecutive baselines
    one cell leading apart, at the same left edge; no "<br>" in the text;
  - widths in the delimiter row (`|:--- 10% |`, `| --- 25mm |`) put the
    column borders where asked; widths over the text block, a column too
    narrow for a word and a width that is not one are errors at their
    line:column with no PDF;
  - style markers: a `{numbers}` row is upright-not-bold italic and centred
    (the profile's table.numbers), a `{normal}` head cell is not bold, a
    `{center}` / `{right}` body cell is centred / right-aligned;
  - keep-together: a table that fits on a page moves whole to the next page
    (profile table.keep_together), `{split}` lets it split, a table taller
    than a page still splits by rows;
  - lead-in: a paragraph ending in ":" before a table kept whole that moves to the next page goes
    with it (profile breaking.lead_in_keep): at the filler count where the same paragraph ending in
    "." stays at the foot of the page before, the ":" one has its last line on the table's page,
    right above the head row (within two body lines);
  - a framed box (lines of one cell, no delimiter row) is one rectangle of
    rules around its text, with the profile's box padding, moved whole to the
    next page when it does not fit below;
  - pdftotext gives every word of every cell.

Prints one line per check and "N passed, M failed"."""
import collections
import os
import sys
import tempfile

import pdfcheck as P

CLI = P.find_cli(sys.argv)
ENV = P.test_env()
ck = P.Checker()

HEAD = """---
profile: party-36-2018
parent: ĐẢNG BỘ TỈNH THANH HOÁ
issuer: ĐẢNG ỦY KHỐI CƠ QUAN
number: 196-BC/ĐUK
place: Thanh Hoá
date: 2023-07-06
kind: BÁO CÁO
title: Thử bảng
signer:
  authority: T/M ĐẢNG ỦY
  post: BÍ THƯ
  name: Trần Văn Hải
recipients:
  - Lưu VP.
---

"""
LEFT, WIDTH = 30.0, 165.0  # party-36-2018 text block, mm
FILLER = ("Các cấp ủy đã tập trung lãnh đạo, chỉ đạo việc quán triệt, triển khai thực hiện chương trình "
          "bằng những kế hoạch cụ thể, sát với tình hình thực tế của từng cơ quan, doanh nghiệp.")


def render(tmp, body, name="d.md"):
    src = os.path.join(tmp, name)
    with open(src, "w", encoding="utf-8") as f:
        f.write(HEAD + body)
    out = os.path.join(tmp, name[:-3] + ".pdf")
    if os.path.exists(out):
        os.unlink(out)
    rc, so, se = P.run([CLI, "render", src, "-o", out], env=ENV)
    return rc, se, out


def lines_with(pages, text):
    return [l for p in pages for l in p.lines if text in l.text]


def near(a, b, tol=0.3):
    return abs(a - b) <= tol


def vrule_xs(page, y0, y1):
    """x (mm) of vertical rules crossing the band y0..y1 (points), merged within 0.2 mm."""
    xs = sorted(P.mm(r.x) for r in page.vrules if r.y0 <= y1 and r.y1 >= y0)
    out = []
    for x in xs:
        if not out or x - out[-1] > 0.2:
            out.append(x)
    return out


def table_body(filler, table, marker=""):
    return "\n\n".join([FILLER] * filler) + "\n\n" + table.replace("{MARK}", marker)


def test_cells(tmp):
    body = ("Đoạn mở đầu.\n\n"
            "| STT | Nội dung | Năm 2022 | {normal} Ghi chú |\n"
            "| (1) | (2) | (3) | (4) | {numbers}\n"
            "|:---: 10% |:--- 60% |--- 15% ---:|:---:|\n"
            "| 1 | Dòng một<br>dòng hai | 12 | {center} giữa |\n"
            "| 2 | **Đậm<br/>vẫn đậm** | {left} 13 | {right} phải |\n"
            "\n"
            "| STT | Tên |\n"
            "|--- 25mm |---|\n"
            "| 1 | Phòng Tổng hợp |\n")
    rc, err, pdf = render(tmp, body)
    if not ck.check("cells.render", rc == 0 and os.path.exists(pdf), err.strip()):
        return
    pages = P.load_pdf(pdf)
    pg = pages[0]

    # <br>: two baselines one leading (14 pt) apart, same left edge, in one cell
    a, b = lines_with(pages, "Dòng một"), lines_with(pages, "dòng hai")
    ok = len(a) == 1 and len(b) == 1
    ck.check("br.two-lines", ok and near(b[0].base - a[0].base, 14.0, 0.05) and near(a[0].x0, b[0].x0, 0.05),
             "%s / %s" % (a, b))
    a, b = lines_with(pages, "Đậm"), lines_with(pages, "vẫn đậm")
    ck.check("br.bold-across", len(a) == 1 and len(b) == 1 and a[0].all_bold and b[0].all_bold
             and near(b[0].base - a[0].base, 14.0, 0.05), "%s / %s" % (a, b))

    # given widths: borders at 30, 46.5, 145.5, 170.25 (15%), 195 mm
    stt = lines_with(pages, "STT")
    if ck.check("widths.found", len(stt) == 2, repr(stt)):
        xs = vrule_xs(pg, stt[0].top, stt[0].bottom)
        want = [LEFT, LEFT + 16.5, LEFT + 16.5 + 99.0, LEFT + 16.5 + 99.0 + 24.75, LEFT + WIDTH]
        ck.check("widths.percent", len(xs) == 5 and all(near(x, w) for x, w in zip(xs, want)),
                 "rules at %s mm, want %s" % (["%.2f" % x for x in xs], want))
        xs = vrule_xs(pg, stt[1].top, stt[1].bottom)
        want = [LEFT, LEFT + 25.0, LEFT + WIDTH]
        ck.check("widths.mm", len(xs) == 3 and all(near(x, w) for x, w in zip(xs, want)),
                 "rules at %s mm, want %s" % (["%.2f" % x for x in xs], want))

    # styles: head bold, its {normal} cell not; the {numbers} row not bold, italic, centred
    h = lines_with(pages, "Nội dung")
    g = lines_with(pages, "Ghi chú")
    ck.check("style.head-bold", len(h) == 1 and h[0].all_bold, repr(h))
    ck.check("style.head-normal-cell", len(g) == 1 and not g[0].any_bold, repr(g))
    stt0 = stt[0] if stt else None
    xs = vrule_xs(pg, stt0.top, stt0.bottom) if stt0 else []
    nums = [l for l in pg.lines if l.text in ("(1)", "(2)", "(3)", "(4)")]
    ok = len(nums) == 4 and len(xs) == 5
    ck.check("style.numbers-face", ok and all(not l.any_bold and l.all_italic for l in nums),
             repr([(l.text, l.faces) for l in nums]))
    if ok:
        off = [abs(l.cx - P.MM * (xs[i] + xs[i + 1]) / 2) for i, l in enumerate(sorted(nums, key=lambda l: l.x0))]
        ck.check("style.numbers-centred", max(off) < 0.5, "centre offsets %s pt" % ["%.2f" % o for o in off])
    # {center} in a centred column stays centred; {right} in a centred column is right-aligned;
    # {left} in a right column is left-aligned
    gi, ph, ba = lines_with(pages, "giữa"), lines_with(pages, "phải"), [l for l in pg.lines if l.text == "13"]
    if ok and len(gi) == 1 and len(ph) == 1 and len(ba) == 1:
        pad = 1.5
        ck.check("style.center", abs(gi[0].cx - P.MM * (xs[3] + xs[4]) / 2) < 0.5, repr(gi))
        ck.check("style.right", near(P.mm(ph[0].x1), xs[4] - pad, 0.3), "%.2f mm, want %.2f" % (
            P.mm(ph[0].x1), xs[4] - pad))
        ck.check("style.left", near(P.mm(ba[0].x0), xs[2] + pad, 0.3), "%.2f mm, want %.2f" % (
            P.mm(ba[0].x0), xs[2] + pad))
    else:
        ck.check("style.align-found", False, "%s %s %s" % (gi, ph, ba))

    # the text layer: every word of every cell, no markup
    expected = collections.Counter()
    for kind, t in P.md_blocks(body):
        expected.update(P.words(t))
    raw, rc, _ = P.pdftotext_raw(pdf)
    got = collections.Counter(raw.split())
    miss = expected - got
    ck.check("text.every-word", rc == 0 and not miss, "missing: %s" % P.fmt_bag(miss))
    ck.check("text.no-markup", "<br" not in raw and "{" not in raw and "%" not in raw, "")


def test_errors(tmp):
    cases = [
        ("widths-over", "| A | B |\n|--- 60% |--- 50% |\n| x | y |\n", "table.widths", 19, 15),
        ("narrow", "| A | B |\n|--- 5mm |---|\n| Nguyễn | y |\n", "table.narrow-column", 18, 3),
        ("not-a-width", "| A | B |\n|--- 30 |---|\n| x | y |\n", "table.width", 19, 2),
        ("style-word", "| A | B | {centered}\n|---|---|\n| x | y |\n", "table.style", 18, 12),
        ("box-style", "| một |\n| hai | {center}\n", "table.box-style", 19, 9),
    ]
    for name, body, eid, line, col in cases:
        rc, err, pdf = render(tmp, body, "e.md")
        want = "e.md:%d:%d: error:" % (line, col)
        ck.check("error." + name, rc != 0 and not os.path.exists(pdf) and want in err and "[%s]" % eid in err,
                 "rc %d: %s" % (rc, err.strip()))


def exact(pages, text):
    return [l for p in pages for l in p.lines if l.text == text]


def table_pages(pages, first, last):
    """(page of the first row's text, page of the last row's text)."""
    a, b = exact(pages, first), exact(pages, last)
    return (a[0].page.n if a else None, b[-1].page.n if b else None)


def test_keep(tmp):
    rows = "".join("| %d | Nội dung hàng %d | %d |\n" % (i, i, i * 7) for i in range(1, 11))
    table = "| STT | Nội dung | Số |\n|:-:|:--|--:|{MARK}\n" + rows
    # the filler count that makes a splittable table start on one page and end on the next
    found = None
    for n in range(1, 30):
        rc, err, pdf = render(tmp, table_body(n, table, " {split}"), "k.md")
        if rc != 0:
            break
        f, l = table_pages(P.load_pdf(pdf), "Nội dung hàng 1", "Nội dung hàng 10")
        if f and l == f + 1:
            found = (n, f, l)
            break
    if not ck.check("keep.split-marker", found is not None, "{split}: rows 1-10 on pages %d-%d with %d paragraphs "
                    "before" % (found[1], found[2], found[0]) if found else "no filler count splits the table"):
        return
    n, f0, l0 = found
    rc, err, pdf = render(tmp, table_body(n, table), "k.md")
    pages = P.load_pdf(pdf)
    f, l = table_pages(pages, "Nội dung hàng 1", "Nội dung hàng 10")
    head = exact(pages, "STT")
    ck.check("keep.profile", rc == 0 and f == l0 and l == l0 and len(head) == 1 and head[0].page.n == l0,
             "first row p%s, last row p%s, head on %s" % (f, l, [h.page.n for h in head]))
    rc, err, pdf = render(tmp, table_body(n, table, " {keep}"), "k.md")
    f, l = table_pages(P.load_pdf(pdf), "Nội dung hàng 1", "Nội dung hàng 10")
    ck.check("keep.marker", rc == 0 and f == l0 and l == l0, "first row p%s, last row p%s" % (f, l))

    # taller than a page: still split by rows, the head repeated
    rows = "".join("| %d | Nội dung hàng %d | %d |\n" % (i, i, i * 7) for i in range(1, 61))
    rc, err, pdf = render(tmp, table_body(2, "| STT | Nội dung | Số |\n|:-:|:--|--:|\n" + rows), "k.md")
    pages = P.load_pdf(pdf)
    f, l = table_pages(pages, "Nội dung hàng 1", "Nội dung hàng 60")
    ck.check("keep.too-tall-splits", rc == 0 and f and l and l > f and len(exact(pages, "STT")) == l - f + 1,
             "first row p%s, last row p%s, head on %s" % (f, l, [h.page.n for h in exact(pages, "STT")]))


def test_lead_in(tmp):
    rows = "".join("| %d | Nội dung hàng %d | %d |\n" % (i, i, i * 7) for i in range(1, 11))
    table = "| STT | Nội dung | Số |\n|:-:|:--|--:|\n" + rows
    lead = ("Kết quả xếp loại tổ chức cơ sở đảng năm 2025 so với hai năm trước, tổng hợp từ báo cáo của các "
            "đảng bộ, chi bộ cơ sở trực thuộc, cụ thể như sau")
    # the filler count where a paragraph ending in "." stays behind on the page before the table
    found = None
    for n in range(1, 30):
        rc, err, pdf = render(tmp, table_body(n, lead + ".\n\n" + table), "l.md")
        if rc != 0:
            break
        pages = P.load_pdf(pdf)
        end = lines_with(pages, "cụ thể như sau.")
        f, l = table_pages(pages, "Nội dung hàng 1", "Nội dung hàng 10")
        if end and f and end[0].page.n == f - 1:
            found = (n, f)
            break
    if not ck.check("lead_in.plain-stays", found is not None, "a paragraph ending \".\" stays on p%d, the table on "
                    "p%d, with %d paragraphs before" % (found[1] - 1, found[1], found[0]) if found else
                    "no filler count moves the table alone"):
        return
    n, f0 = found
    rc, err, pdf = render(tmp, table_body(n, lead + ":\n\n" + table), "l.md")
    pages = P.load_pdf(pdf)
    end = lines_with(pages, "cụ thể như sau:")
    f, l = table_pages(pages, "Nội dung hàng 1", "Nội dung hàng 10")
    head = exact(pages, "STT")
    ok = (rc == 0 and end and head and f == f0 and l == f0 and end[0].page.n == f0 and head[0].page.n == f0 and
          0 < P.mm(head[0].top - end[0].bottom) < 2 * 18 / P.MM)
    ck.check("lead_in.kept", ok, "lead-in's last line p%s, table p%s-p%s, gap to the head %s" % (
        end[0].page.n if end else None, f, l,
        "%.1f mm" % P.mm(head[0].top - end[0].bottom) if end and head else None))


def test_box(tmp):
    box = ("| **Ghi chú:** Số liệu tổng hợp đến ngày 30/6/2023; các đơn vị báo cáo bổ sung trước ngày "
           "15/7/2023 để Văn phòng tổng hợp chung. |\n| Mọi vướng mắc liên hệ Văn phòng Đảng ủy. |\n")
    rc, err, pdf = render(tmp, "Đoạn mở đầu.\n\n" + box + "\nĐoạn sau.\n", "b.md")
    if not ck.check("box.render", rc == 0, err.strip()):
        return
    pages = P.load_pdf(pdf)
    pg = pages[0]
    first, last = lines_with(pages, "Ghi chú:"), lines_with(pages, "Mọi vướng mắc")
    if not ck.check("box.lines", len(first) == 1 and len(last) == 1, "%s %s" % (first, last)):
        return
    y0, y1 = first[0].top, last[0].bottom
    hr = [r for r in pg.hrules if r.y < y0 and y0 - r.y < 30 or r.y > y1 and r.y - y1 < 30]
    vr = [r for r in pg.vrules if r.y0 < y0 and r.y1 > y1]
    top = [r for r in hr if r.y < y0]
    bot = [r for r in hr if r.y > y1]
    ok = len(top) >= 1 and len(bot) >= 1 and len(vr) >= 2
    ck.check("box.frame", ok and all(near(P.mm(r.x0), LEFT) and near(P.mm(r.x1), LEFT + WIDTH) for r in top + bot)
             and sorted(set(round(P.mm(r.x), 1) for r in vr)) == [LEFT, LEFT + WIDTH],
             "top %s bottom %s sides %s" % (top, bot, vr))
    # no rule inside the frame: one cell
    inner = [r for r in pg.hrules if y0 < r.y < y1 and P.mm(r.x0) < LEFT + 1]
    ck.check("box.one-cell", not inner, repr(inner))
    # the text: body size 14, left edge 3 mm inside the frame, justified to 3 mm inside the right
    ls = [l for l in pg.lines if y0 - 1 <= l.base <= y1 + 1]
    ck.check("box.size", all(near(l.size, 14.0, 0.05) for l in ls), repr(sorted(set(l.size for l in ls))))
    ck.check("box.padding", all(near(P.mm(l.x0), LEFT + 3.0) for l in ls) and
             near(P.mm(first[0].x1), LEFT + WIDTH - 3.0), "x0 %s, first x1 %.2f" % (
                 ["%.2f" % P.mm(l.x0) for l in ls], P.mm(first[0].x1)))
    ck.check("box.paragraph-break", P.mm(last[0].x1) < LEFT + WIDTH - 20, "second paragraph ends at %.1f mm" %
             P.mm(last[0].x1))

    # kept on one page: moved whole to the next page when it does not fit below, though
    # more than two of its lines would have fitted there (the text block ends at 277 mm)
    height = P.mm(last[0].bottom - first[0].top)
    found = None
    for n in range(1, 40):
        rc, err, pdf = render(tmp, "\n\n".join([FILLER] * n) + "\n\n" + box + "\n" + "\n\n".join([FILLER] * 6),
                              "b.md")
        pages = P.load_pdf(pdf)
        a, b = lines_with(pages, "Ghi chú:"), lines_with(pages, "Mọi vướng mắc")
        fl = [l for l in lines_with(pages, "doanh nghiệp.") if l.base < a[0].base or l.page.n < a[0].page.n] if a else []
        if rc == 0 and a and b and fl and fl[-1].page.n == a[0].page.n - 1:
            found = (n, a[0].page.n, b[0].page.n, P.mm(fl[-1].bottom))
            break
    ck.check("box.kept", found is not None and found[1] == found[2] and 277.0 - found[3] > 2 * 18 / P.MM + 5
             and 277.0 - found[3] < height + 10,
             "with %s paragraphs: box on p%s-p%s, the page before ends at %.1f mm" % found if found else "never moved")


if CLI is None:
    print("vanban CLI not found")
    sys.exit(1)
with tempfile.TemporaryDirectory() as tmp:
    test_cells(tmp)
    test_errors(tmp)
    test_keep(tmp)
    test_lead_in(tmp)
    test_box(tmp)
sys.exit(ck.done())
