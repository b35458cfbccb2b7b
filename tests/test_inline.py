#!/usr/bin/env python3
"""Inline elements of issue 8 (items 4 and 5), read back from the PDF with
`mutool draw -F stext` and pdftotext: enumerator lines typed without blank
lines start paragraphs at the body indent; "-> x <-" lines are centred on the
text block and "-> x ->" lines end at its right edge; m^2^ and Q~max~ are set
at 65 % of the size, raised or lowered; a footnote's number is raised in the
text and its note sits at the foot of the same page under a short rule, in
the profile's footnote size; Nơi nhận entries print in bold and with a
subscript. Prints one line per check and "N passed, M failed"."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402

CLI = pdfcheck.find_cli(sys.argv)
ENV = pdfcheck.test_env()
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("PASS", name, detail)
    else:
        failed += 1
        print("FAIL", name, detail)


def render(src, out):
    r = subprocess.run([CLI, "render", src, "-o", out], env=ENV, capture_output=True, text=True)
    return r.returncode, r.stderr


def stext(pdf):
    xml = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf], capture_output=True, text=True).stdout
    return pdfcheck.parse_stext(xml)


def line_of(pages, text):
    """The first line (page, chars) whose text starts with text."""
    for pg in pages:
        for ln in pdfcheck.group_lines(pg, split_em=4):
            s = "".join(c.c for c in ln.chars).strip()
            if s.startswith(text):
                return pg, [c for c in ln.chars if not c.c.isspace()]
    return None, None


def main():
    tmp = tempfile.mkdtemp()
    pdf = os.path.join(tmp, "qd.pdf")
    rc, err = render("samples/state/quyet-dinh-chuthich.md", pdf)
    check("render.state", rc == 0, err.strip())
    if rc != 0:
        return
    pages = stext(pdf)
    mm = pdfcheck.mm
    left, right = 30.0, 210.0 - 15.0  # the ND30 profile's margins
    centre = (left + right) / 2

    # item 5: each enumerator line is its own paragraph, starting at the body indent (10 mm)
    for t in ("1.1. Diện tích", "1.2. Diện tích", "a) Nhiệt độ", "b) Có hệ thống", "c) Lưu lượng", "đ) Giá, tủ"):
        pg, ch = line_of(pages, t)
        check("enumerator " + t, ch is not None and abs(mm(ch[0].x0) - (left + 10)) < 0.8,
              "x0 %.1f mm" % mm(ch[0].x0) if ch else "not found")

    # centred and right-aligned paragraphs
    for t in ("PHẦN THỨ NHẤT", "YÊU CẦU KỸ THUẬT"):
        pg, ch = line_of(pages, t)
        mid = (mm(ch[0].x0) + mm(ch[-1].x1)) / 2 if ch else 0
        check("centred " + t, ch is not None and abs(mid - centre) < 0.8, "centre %.1f mm, want %.1f" % (mid, centre))
    pg, ch = line_of(pages, "trong đó n")
    check("right-aligned note ends at the margin", ch is not None and abs(mm(ch[-1].x1) - right) < 0.8,
          "x1 %.1f mm, want %.1f" % (mm(ch[-1].x1), right) if ch else "not found")
    check("right-aligned note is italic", ch is not None and all("Italic" in c.font for c in ch))

    # superscripts and subscripts: 65 % of 14 pt, raised 33 % / lowered 14 % of 14 pt
    pg, ch = line_of(pages, "1.1. Diện tích")
    m = [c for c in ch if c.c == "m"][-1] if ch else None
    two = [c for c in pg.chars if c.c == "2" and c.size < 10 and 0 <= c.x0 - m.x1 < 1 and abs(c.oy - m.oy) < 8] \
        if m else []
    check("m^2^ size", two and abs(two[0].size - 9.1) < 0.05, "size %.2f" % two[0].size if two else "")
    check("m^2^ raised", two and abs((m.oy - two[0].oy) - 14 * 0.33) < 0.1,
          "rise %.2f pt" % (m.oy - two[0].oy) if two else "")
    pg, ch = line_of(pages, "c) Lưu lượng")
    mn = [c for c in ch if c.size < 10] if ch else []
    base = [c for c in ch if c.size == 14] if ch else []
    check("Q~min~ lowered", mn and base and abs((mn[0].oy - base[0].oy) - 14 * 0.14) < 0.1 and
          "".join(c.c for c in mn) == "min", "drop %.2f pt" % (mn[0].oy - base[0].oy) if mn and base else "")

    # footnotes: number raised in the text, note at the foot of the same page, under a rule
    pg, ch = line_of(pages, "Ban hành kèm theo")
    ref = [c for c in pg.chars if c.c == "1" and c.size < 10 and 0 < ch[0].oy - c.oy < 8] if ch else []
    check("footnote reference raised", bool(ref), "rise %.2f pt" % (ch[0].oy - ref[0].oy) if ref else "")
    notes = [ln for ln in pdfcheck.group_lines(pg) if any(c.size == 12 for c in ln.chars)
             and "Nhà kho lưu trữ là" in "".join(c.c for c in ln.chars)] if pg else []
    check("footnote on the page of its reference", bool(notes))
    if notes:
        n = notes[0]
        bottom = 297.0 - 20.0
        check("footnote near the foot", mm(n.chars[0].oy) > 240 and mm(n.chars[0].oy) < bottom,
              "baseline %.1f mm" % mm(n.chars[0].oy))
        body = [c for c in pg.chars if c.size == 14]
        check("footnote below the text", max(c.oy for c in body) < n.chars[0].oy)
    # the rule: a 50 mm stroke at the left margin above the notes (read from the drawing trace)
    tr = subprocess.run(["mutool", "draw", "-F", "trace", "-o", "-", pdf, "1"], capture_output=True,
                        text=True).stdout
    check("footnote rule drawn", "stroke_path" in tr or "fill_path" in tr)
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    check("text layer keeps the scripts", "m2" in text and "Qmin" in text and "Hg10" in text)
    check("footnote 2 text", "Thời hạn tính theo ngày làm việc" in text)

    # Nơi nhận entries from inline Markdown: bold "Như Điều 3;" and the subscript "10"
    pg, ch = None, None
    for p in pages:
        for ln in pdfcheck.group_lines(p, split_em=4):
            s = "".join(c.c for c in ln.chars)
            if "Như Điều 3" in s:
                ch = [c for c in ln.chars if not c.c.isspace() and c.c not in "-"]
    check("recipient bold", ch is not None and all("Bold" in c.font for c in ch if c.c.isalpha()))
    pg, ch = line_of(pages, "- Lưu: VT")
    sub = [c for c in ch if c.size < 10] if ch else []
    check("recipient subscript", "".join(c.c for c in sub) == "10")

    # errors with positions
    bad = os.path.join(tmp, "bad.md")
    src = open("samples/state/quyet-dinh-chuthich.md", encoding="utf-8").read()
    open(bad, "w", encoding="utf-8").write(src.replace("[^han]:", "[^hanx]:"))
    rc, err = render(bad, os.path.join(tmp, "bad.pdf"))
    check("undefined footnote is an error", rc != 0 and "footnote-undefined" in err and
          not os.path.exists(os.path.join(tmp, "bad.pdf")), err.strip())
    open(bad, "w", encoding="utf-8").write(src.replace("-> PHẦN THỨ NHẤT <-", "-> PHẦN THỨ NHẤT"))
    rc, err = render(bad, os.path.join(tmp, "bad.pdf"))
    check("unclosed -> is an error", rc != 0 and "align-unclosed" in err and ":36:1:" in err, err.strip())


def unicode_scripts():
    """Superscript and subscript characters typed directly: those in Liberation
    Serif (², ₁) print as they are; one it lacks (⁰, U+2070) is set as a raised
    "0" at the script size instead of failing."""
    tmp = tempfile.mkdtemp()
    src, pdf = os.path.join(tmp, "u.md"), os.path.join(tmp, "u.pdf")
    open(src, "w", encoding="utf-8").write(FRONT + "Đơn vị Xm² và Yₐ₁, nhiệt độ 10⁰ hết.\n")
    rc, err = render(src, pdf)
    check("unicode scripts render", rc == 0, err.strip())
    if rc != 0:
        return
    pg = stext(pdf)[0]
    chars = pg.chars
    sq = [c for c in chars if c.c == "²"]
    check("² from the font at the body size", sq and sq[0].size == 14)
    sub1 = [c for c in chars if c.c == "₁"]
    check("₁ from the font", bool(sub1))
    one = [c for c in chars if c.c == "1" and c.size == 14]
    zero = [c for c in chars if c.c == "0" and c.size < 10]
    check("⁰ set as a raised 0 at 65 %", zero and one and abs(zero[0].size - 9.1) < 0.05 and
          abs((one[0].oy - zero[0].oy) - 14 * 0.33) < 0.1,
          "size %.2f rise %.2f" % (zero[0].size, one[0].oy - zero[0].oy) if zero and one else "")


FRONT = """---
profile: state
parent: UBND TỈNH HÀ TĨNH
issuer: SỞ XÂY DỰNG
number: 130/QĐ-SXD
place: Hà Tĩnh
date: 2026-05-14
kind: QUYẾT ĐỊNH
title: Về việc thử chú thích
signer:
  authority: GIÁM ĐỐC
  name: Phan Văn Hùng
recipients:
  - Lưu VT
---

"""
FILL = ("Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn rà soát hiện trạng kho lưu trữ, lập kế hoạch "
        "cải tạo và báo cáo Giám đốc Sở.\n\n")
NOTE = ("[^a]: Ghichudai " + "nội dung chú thích dài để chiếm nhiều dòng ở cuối trang, " * 6 + "hết.\n")


def footnote_pages():
    """A long note referred to from every position down a page: the line that
    refers to it and the note are always on one page, the note under all the
    text and above the bottom margin."""
    tmp = tempfile.mkdtemp()
    bad = []
    for k in range(8, 30):
        src = os.path.join(tmp, "n%d.md" % k)
        pdf = os.path.join(tmp, "n%d.pdf" % k)
        body = FILL * k + "Mốcthamchiếu[^a] của đoạn văn.\n\n" + FILL * 3 + NOTE
        open(src, "w", encoding="utf-8").write(FRONT + body)
        rc, err = render(src, pdf)
        if rc != 0:
            bad.append("%d: %s" % (k, err.strip()))
            continue
        pages = stext(pdf)
        ref_pg = note_pg = None
        for pg in pages:
            t14 = "".join(c.c for c in pg.chars if c.size == 14)
            t12 = "".join(c.c for c in pg.chars if c.size == 12)
            if "Mốcthamchiếu" in t14:
                ref_pg = pg
            if "Ghichudai" in t12:
                note_pg = pg
        if ref_pg is None or ref_pg is not note_pg:
            bad.append("%d: reference on p%s, note on p%s" % (k, ref_pg and ref_pg.n, note_pg and note_pg.n))
            continue
        c12 = [c for c in note_pg.chars if c.size == 12]
        start = "".join(c.c for c in c12).index("Ghichudai")
        note = c12[start:]  # the note's text comes after the header's 12 pt lines
        note_top = min(c.y0 for c in note)
        note_bottom = max(c.y1 for c in note)
        text_bottom = max(c.y1 for c in note_pg.chars if c.size == 14)
        if not (text_bottom < note_top and pdfcheck.mm(note_bottom) <= 297.0 - 20.0 + 0.5):
            bad.append("%d: text to %.1f mm, note %.1f-%.1f mm" % (k, pdfcheck.mm(text_bottom),
                                                                  pdfcheck.mm(note_top), pdfcheck.mm(note_bottom)))
    check("footnote with its reference, every position (22 documents)", not bad, "; ".join(bad[:4]))


if __name__ == "__main__":
    if not CLI:
        print("no CLI")
        sys.exit(1)
    main()
    footnote_pages()
    unicode_scripts()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
