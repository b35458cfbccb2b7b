#!/usr/bin/env python3
"""Nothing is silently lost or drawn off the page (issue 8 item 1).

Renders generated documents that overflow a page in every way a real one
does, and reads each PDF back with the Debian tools:
  - a quyết định with 0..20 long căn cứ lines (state and Party profiles),
  - a Nơi nhận list of 40 entries,
  - a table whose one row is taller than a page,
  - a table with a cell merged down across a page break (one that fits a
    page and one that does not),
  - an image taller than the page, which must be an error (layout.too-tall)
    at the image's line and column, with no output file.
For each PDF: qpdf --check passes; every source word is in the pdftotext
text layer; every glyph's box (mutool draw -F stext) lies inside the page
and above the bottom margin (page height - 20 mm, tolerance 0.5 pt); every
table border too (mutool -F trace). For the quyết định: "QUYẾT ĐỊNH:" is on
the page of "Điều 1", the kind and the title are on one page, and page 1
holds more than the header. For the tall table row: the head row is
repeated on the page the row continues on, and each part of the row is
closed by a rule at its foot and at its top. Page breaks are chosen over the
whole document: in a long generated report no page but the last ones of a
part ends more than three body lines short.

    python3 tests/test_overflow.py build/vanban

Prints one line per check and "N passed, M failed". Only the Python
standard library and the Debian tools are used.
"""
import collections
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdfcheck  # noqa: E402

MM = pdfcheck.MM
BOTTOM_MM = 20.0  # the bottom margin of all three profiles
TOL = 0.5         # points

PROFILES = {
    "state": dict(profile="state", parent="BỘ NỘI VỤ", issuer="CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC",
                  number="215/{t}-VTLTNN", authority_line="CỤC TRƯỞNG CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC",
                  signer=("Q. CỤC TRƯỞNG", None, "Nguyễn Thị Minh Nguyệt"), heading=True),
    "party36": dict(profile="party-36-2018", parent="ĐẢNG BỘ TỈNH NINH BÌNH", issuer="ĐẢNG ỦY PHƯỜNG HOA LƯ",
                    number="18-{t}/ĐU", authority_line="BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG",
                    signer=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đinh Thị Hồng Vân"), heading=False),
    "party05": dict(profile="party-05-2026", parent="ĐẢNG BỘ TỈNH NINH BÌNH", issuer="ĐẢNG ỦY PHƯỜNG HOA LƯ",
                    number="18-{t}/ĐU", authority_line="BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG",
                    signer=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đinh Thị Hồng Vân"), heading=False),
}

BASIS = ("Căn cứ Nghị quyết số {n} ngày 15 tháng 3 năm 2025 của cơ quan có thẩm quyền về việc sắp xếp "
         "tổ chức bộ máy, tinh gọn biên chế, nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị "
         "ở cơ sở và các văn bản hướng dẫn thi hành có liên quan đến công tác văn thư, lưu trữ")
PARA = ("Cơ quan, tổ chức được kiểm tra có trách nhiệm cung cấp đầy đủ hồ sơ, tài liệu có liên quan, "
        "bố trí người làm việc với Đoàn kiểm tra và thực hiện nghiêm các kiến nghị sau kiểm tra {n}.")


def yq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front(p, kind="QUYẾT ĐỊNH", title="Về việc thành lập Đoàn kiểm tra công tác văn thư, lưu trữ năm 2026",
          bases=(), recipients=("Như Điều 3", "Lưu: VT"), date="2026-06-10"):
    a, post, name = p["signer"]
    out = ["---", "profile: " + p["profile"], "parent: " + p["parent"], "issuer: " + p["issuer"],
           "number: " + p["number"].format(t={"QUYẾT ĐỊNH": "QĐ", "THÔNG BÁO": "TB", "BÁO CÁO": "BC"}[kind]), "place: Hà Nội", "date: " + date]
    if kind:
        out += ["kind: " + kind, "title: " + title]
        if kind == "QUYẾT ĐỊNH":
            out.append("authority_line: " + p["authority_line"])
    if bases:
        out.append("bases:")
        out += ["  - " + yq(b) for b in bases]
    out += ["signer:", "  authority: " + a]
    if post:
        out.append("  post: " + post)
    out.append("  name: " + name)
    out.append("recipients:")
    out += ["  - " + yq(r) for r in recipients]
    out.append("---")
    return "\n".join(out) + "\n\n"


def article(p, n, title, paras):
    head = ("## Điều %d. %s\n\n" % (n, title)) if p["heading"] else ("**Điều %d.** %s\n\n" % (n, title))
    return head + "".join(x + "\n\n" for x in paras)


def source_words(strings):
    """The words of the source strings, as the PDF's text layer must have them (punctuation aside)."""
    out = collections.Counter()
    for s in strings:
        for w in s.replace("**", " ").replace("|", " ").split():
            w = w.strip(".,;:()\"'-")
            if w and w not in ("##", "^", "<"):
                out[w] += 1
    return out


class Doc(object):
    def __init__(self, name, text, words):
        self.name, self.text, self.words = name, text, words


def quyet_dinh(key, nbases):
    p = PROFILES[key]
    bases = [BASIS.format(n="%02d/NQ-TW" % (i + 1)) for i in range(nbases)]
    recipients = ["Như Điều 3", "Lưu: VT"]
    title = "Về việc thành lập Đoàn kiểm tra công tác văn thư, lưu trữ năm 2026"
    body = article(p, 1, "Thành lập Đoàn kiểm tra", [PARA.format(n=1)])
    body += article(p, 2, "Nhiệm vụ của Đoàn kiểm tra", [PARA.format(n=2), PARA.format(n=3)])
    body += article(p, 3, "Trách nhiệm thi hành", ["Quyết định này có hiệu lực kể từ ngày ký./."])
    text = front(p, bases=bases, recipients=recipients, title=title) + body
    strings = bases + recipients + [title, body, p["authority_line"], "QUYẾT ĐỊNH"] + [s for s in p["signer"] if s]
    return Doc("qd-%s-%02d" % (key, nbases), text, source_words(strings))


def noi_nhan(key, n=40):
    p = PROFILES[key]
    recipients = ["Ủy ban nhân dân xã số %02d thuộc huyện miền núi phía tây" % (i + 1) for i in range(n)]
    body = "".join(PARA.format(n=i) + "\n\n" for i in range(1, 12))
    title = "Về việc kiểm tra công tác văn thư"
    text = front(p, kind="THÔNG BÁO", title=title, recipients=recipients) + body
    strings = recipients + [title, body] + [s for s in p["signer"] if s]
    return Doc("noinhan-%s-%d" % (key, n), text, source_words(strings))


def cell_text(i, n):
    return " ".join("Nội dung dòng %d phần %d của ô rất dài." % (i, k) for k in range(n))


def tall_row(key):
    p = PROFILES[key]
    long_cell = cell_text(1, 260)
    body = ("Bảng dưới đây có một dòng cao hơn một trang.\n\n"
            "| STT | Nội dung | Ghi chú |\n|---|---|---|\n"
            "| 1 | %s | Dòng cao |\n| 2 | Dòng ngắn sau | Hết |\n\nĐoạn sau bảng.\n\n" % long_cell)
    title = "Về việc kiểm tra bảng dài"
    text = front(p, kind="BÁO CÁO", title=title) + body
    strings = [title, body] + [s for s in p["signer"] if s] + ["Như Điều 3", "Lưu: VT"]
    return Doc("tallrow-%s" % key, text, source_words(strings))


def rowspan(key, nlines, lead):
    """A table whose row 2 is merged down over rows 2..5, preceded by lead paragraphs so that it
    falls across a page break; nlines sentences in the merged cell."""
    p = PROFILES[key]
    body = "".join(PARA.format(n=i) + "\n\n" for i in range(lead))
    merged = cell_text(2, nlines)
    rows = ["| 1 | Nhóm một | Một dòng |",
            "| 2 | %s | Mục a |" % merged,
            "| ^ | ^ | Mục b |",
            "| ^ | ^ | Mục c |",
            "| ^ | ^ | Mục d |",
            "| 3 | Nhóm ba | Hết |"]
    # {split}: this table may break across pages (tables that fit a page are kept whole by default)
    body += "| STT | Nhóm | Mục |\n|---|---|---| {split}\n" + "\n".join(rows) + "\n\nĐoạn sau bảng.\n\n"
    title = "Về việc kiểm tra ô gộp"
    text = front(p, kind="BÁO CÁO", title=title) + body
    strings = [title, body.replace(" {split}", "")] + [s for s in p["signer"] if s] + ["Như Điều 3", "Lưu: VT"]
    return Doc("rowspan-%s-%d-%d" % (key, nlines, lead), text, source_words(strings))


def png(w, h):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([(x * 7 + y) % 256 for x in range(w)]) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ------------------------------------------------------------------ checks

def render(cli, env, tmp, doc, files=None):
    src = os.path.join(tmp, doc.name + ".md")
    with open(src, "w", encoding="utf-8") as f:
        f.write(doc.text)
    for name, data in (files or {}).items():
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(data)
    out = os.path.join(tmp, doc.name + ".pdf")
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.run([cli, "render", doc.name + ".md", "-o", out], cwd=tmp, env=env, capture_output=True, text=True)
    return p, out


def check_pdf(ck, doc, pdf):
    """The checks every PDF gets; returns (pages, page texts) or None."""
    rc, out, err = pdfcheck.run(["qpdf", "--check", pdf])
    ck.check(doc.name + ".qpdf", rc == 0, "" if rc == 0 else (out + err)[-200:].replace("\n", " "))
    text, rc, err = pdfcheck.pdftotext_raw(pdf)
    got, _ = pdfcheck.pdf_words(text, doc.words)
    got = collections.Counter(w.strip(".,;:()\"'-") for w in got)
    missing = doc.words - got
    ck.check(doc.name + ".words", not missing and rc == 0, "missing " + pdfcheck.fmt_bag(missing))
    pages = pdfcheck.load_pdf(pdf)
    bad = []
    for pg in pages:
        foot = pg.h - BOTTOM_MM * MM + TOL
        for c in pg.chars:
            if c.c.strip() and (c.x0 < -TOL or c.x1 > pg.w + TOL or c.y0 < -TOL or c.y1 > foot):
                bad.append("p%d %r y1=%.1fmm" % (pg.n, c.c, c.y1 / MM))
    ck.check(doc.name + ".glyphs-inside", not bad and pages,
             "%d glyphs off the text block, e.g. %s" % (len(bad), ", ".join(bad[:4])))
    bad = []
    for pg in pages:
        foot = pg.h - BOTTOM_MM * MM + TOL
        for r in pg.hrules + pg.vrules:
            if max(r.y0, r.y1) > foot or min(r.y0, r.y1) < -TOL:
                bad.append("p%d %r" % (pg.n, r))
    ck.check(doc.name + ".rules-inside", not bad, "; ".join(bad[:3]))
    return pages, text.split("\f")


def page_of(page_texts, s):
    """The first page (1-based) whose text has s (spaces and line ends ignored), or 0."""
    key = "".join(s.split())
    for i, t in enumerate(page_texts, 1):
        if key in "".join(t.split()):
            return i
    return 0


def main():
    cli = pdfcheck.find_cli(sys.argv)
    if not cli:
        print("FAIL  no CLI (give its path as the first argument)")
        return 1
    env = pdfcheck.test_env()
    ck = pdfcheck.Checker()
    with tempfile.TemporaryDirectory(prefix="vb-overflow-") as tmp:
        # a quyết định with 0..20 long căn cứ lines
        for key in ("state", "party36", "party05"):
            counts = range(0, 21) if key != "party05" else (0, 6, 12, 20)
            for n in counts:
                doc = quyet_dinh(key, n)
                p, pdf = render(cli, env, tmp, doc)
                if not ck.check(doc.name + ".render", p.returncode == 0 and os.path.exists(pdf), p.stderr.strip()):
                    continue
                pages, texts = check_pdf(ck, doc, pdf)
                decide, art1 = page_of(texts, "QUYẾT ĐỊNH:"), page_of(texts, "Điều 1.")
                ck.check(doc.name + ".decide-with-article-1", decide and decide == art1,
                         "QUYẾT ĐỊNH: p%d, Điều 1 p%d" % (decide, art1))
                title = "Về việc thành lập Đoàn kiểm tra"
                tp = page_of(texts, title)
                kp = 1 if "QUYẾTĐỊNH" in "".join(texts[0].split()) else 0
                ck.check(doc.name + ".kind-with-title", tp == 1 and kp == 1, "kind p%d title p%d" % (kp, tp))
                # page 1 holds more than the header: the title and the first căn cứ (when there is one)
                if n:
                    ck.check(doc.name + ".page1-not-header-only", page_of(texts, "Căn cứ Nghị quyết số 01/NQ-TW") == 1)
        # a Nơi nhận list of 40 entries
        for key in ("state", "party36"):
            doc = noi_nhan(key)
            p, pdf = render(cli, env, tmp, doc)
            if ck.check(doc.name + ".render", p.returncode == 0, p.stderr.strip()):
                pages, texts = check_pdf(ck, doc, pdf)
                last = page_of(texts, "xã số 40")
                sign = page_of(texts, PROFILES[key]["signer"][2])
                ck.check(doc.name + ".list-continues", last > sign > 0, "entry 40 p%d, signer p%d" % (last, sign))
        # a table row taller than a page
        for key in ("state", "party36"):
            doc = tall_row(key)
            p, pdf = render(cli, env, tmp, doc)
            if ck.check(doc.name + ".render", p.returncode == 0, p.stderr.strip()):
                pages, texts = check_pdf(ck, doc, pdf)
                first, last = page_of(texts, "dòng 1 phần 0 "), page_of(texts, "dòng 1 phần 259 ")
                ck.check(doc.name + ".row-spans-pages", first and last > first, "p%d..p%d" % (first, last))
                heads = sum(1 for t in texts if "Ghichú" in "".join(t.split()))
                ck.check(doc.name + ".head-repeated", heads >= last - first + 1,
                         "head on %d pages, row on %d" % (heads, last - first + 1))
                # each page the row is on: its part is closed, a rule spans the table under its last line
                for pg in pages[first - 1:last]:
                    rows = [l for l in pg.lines if "phần" in l.text]
                    if not rows:
                        continue
                    low = max(l.bottom for l in rows)
                    high = min(l.top for l in rows)
                    below = [r for r in pg.hrules if r.y >= low - TOL and r.length > 100 * MM]
                    above = [r for r in pg.hrules if high - 12 <= r.y <= high + TOL and r.length > 100 * MM]
                    ck.check("%s.p%d.part-closed" % (doc.name, pg.n), below and above,
                             "rules below %d, above %d" % (len(below), len(above)))
        # a merged cell across a page break: one that fits a page (kept whole), one that does not
        # (the leads put the page break inside the merged rows for 8 and 21 (state) or 20 (party36)
        # paragraphs before the table, and the table inside a page for 15)
        for key, leads in (("state", (8, 15, 21)), ("party36", (8, 15, 20))):
            pushed = 0
            for nlines in (6, 120):
                for lead in leads:
                    doc = rowspan(key, nlines, lead)
                    p, pdf = render(cli, env, tmp, doc)
                    if not ck.check(doc.name + ".render", p.returncode == 0, p.stderr.strip()):
                        continue
                    pages, texts = check_pdf(ck, doc, pdf)
                    a, d = page_of(texts, "dòng 2 phần 0 "), page_of(texts, "Mục d")
                    if nlines < 10:
                        ck.check(doc.name + ".group-kept", a and a == d == page_of(texts, "Mục a"),
                                 "merged cell p%d, Mục a p%d, Mục d p%d" % (a, page_of(texts, "Mục a"), d))
                        pushed += page_of(texts, "Nhóm một") < a
                    else:
                        z = page_of(texts, "dòng 2 phần %d " % (nlines - 1))
                        ck.check(doc.name + ".group-split", a and z > a, "merged cell p%d..p%d" % (a, z))
            ck.check("rowspan-%s.break-at-group" % key, pushed >= 2,
                     "the merged rows moved to a new page in %d cases, want 2" % pushed)
        # page breaks chosen over the whole document: in a long generated report (tests/gen_long.py),
        # no page ends more than 3 body lines short of the text block's foot, except the last one
        # and those before an appendix (the greedy choice left 3 such pages, up to 4.4 lines short)
        src = os.path.join(tmp, "long.md")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_long.py"), "--pages", "60", "-o", src], check=True)
        # its tables may split: a table kept whole (the default when it fits a page) forces its gap
        with open(src, encoding="utf-8") as f:
            lines = f.read().split("\n")
        delim = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(l + " {split}" if delim.match(l) else l for l in lines))
        sys.path.insert(0, os.path.join(HERE, "bench"))
        import short_pages  # noqa: E402
        npages, gaps = short_pages.gaps(cli, src, env)
        far = ["%.1f" % (g / short_pages.LINE) for g in gaps if g > 3 * short_pages.LINE]
        ck.check("long.no-far-short-page", npages > 40 and not far,
                 "%d pages; gaps over 3 lines: %s" % (npages, ", ".join(far) or "none"))
        # an image taller than the page: an error at its position, no output
        p = PROFILES["state"]
        doc = Doc("tall-image", front(p, kind="BÁO CÁO", title="Về việc ảnh cao") +
                  "Ảnh dưới đây cao hơn trang.\n\n![Ảnh](cao.png \"100mm\")\n", collections.Counter())
        r, pdf = render(cli, env, tmp, doc, {"cao.png": png(20, 200)})
        want = "tall-image.md:%d:1: error: The image is 1000.0 mm tall" % (doc.text.count("\n") - 1 + 1)
        ck.check("tall-image.error", r.returncode == 1 and "[layout.too-tall]" in r.stderr and
                 r.stderr.startswith(want), r.stderr.strip() + " (want " + want + ")")
        ck.check("tall-image.no-output", not os.path.exists(pdf))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
