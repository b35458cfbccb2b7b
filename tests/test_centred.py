#!/usr/bin/env python3
"""Line breaks of the centred elements (issue 8 item 7), checked from the PDF.

    python3 tests/test_centred.py build/vanban      (cwd = project root)

Renders, for each of the three profiles, documents whose header, title and
closing elements must wrap: a joint issuing body ("BAN TỔ CHỨC TỈNH ỦY - BAN
TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"), a long upper body, a long title, a long
signer authority ("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "KT. CHỦ TỊCH ỦY BAN NHÂN DÂN
TỈNH"), long Nơi nhận entries, and an issuer typed on two lines. Each element
is found in `mutool draw -F stext` as the run of consecutive lines of its
column whose words are the element's words, and checked:

  lone        no line of the element is one short word (at most 4 letters,
              "ƯƠNG", "TỈNH", "(b/c),") when the element has at least two
              words per line to spread
  balance     centred elements of two or more lines: shortest / longest
              line >= 0.5 (before: "T/M BAN CHẤP HÀNH TRUNG" / "ƯƠNG", 0.21);
              a joint issuer's bodies each on their own
  joint       the joint issuer breaks at " - ": a line ends with "-" and the
              next starts with the second body's first word "BAN"
  phrase      "TRUNG ƯƠNG" and "ỦY BAN NHÂN DÂN" stay on one line
  typed       an issuer typed on two lines ('\\n' in the field) keeps them
  inside      every line of an element inside its column

One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdfcheck as P  # noqa: E402
from pdfcheck import mm  # noqa: E402

LONG_TITLE = ("Kết quả thực hiện công tác kiểm tra, giám sát và thi hành kỷ luật đảng trong các tổ chức "
              "cơ sở đảng thuộc Đảng bộ Khối các cơ quan tỉnh năm 2023")
JOINT = "BAN TỔ CHỨC TỈNH ỦY - BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
JOINT_STATE = "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH - SỞ GIÁO DỤC VÀ ĐÀO TẠO"
RECIPIENTS = [
    "Ban Thường vụ Tỉnh ủy, Thường trực Hội đồng nhân dân tỉnh và Ủy ban nhân dân tỉnh (b/c)",
    "Các đảng bộ, chi bộ trực thuộc Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
    "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ Khối và Ủy ban Kiểm tra tỉnh",
    "Lưu VT",
]

# (profile, columns in mm: header left, signer, Nơi nhận; fields)
CASES = [
    ("party-36-2018", (30, 110), (110, 195), (30, 110), {
        "parent": "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH THANH HÓA",
        "issuer": JOINT, "number": "12-BC/BTCTU", "kind": "BÁO CÁO",
        "authority": "T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "post": "TỔNG BÍ THƯ"}),
    ("party-05-2026", (30, 110), (110, 195), (30, 110), {
        "parent": "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH THANH HÓA",
        "issuer": JOINT, "number": "12-BC/BTCTU", "kind": "BÁO CÁO",
        "authority": "T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "post": "TỔNG BÍ THƯ"}),
    ("state-30-2020", (30, 95), (95, 195), (30, 95), {
        "parent": "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        "issuer": JOINT_STATE, "number": "12/BC-SVHTTDL", "kind": "BÁO CÁO",
        "authority": "KT. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "post": "PHÓ CHỦ TỊCH"}),
]
SHORT_LETTERS = 4


def letters(w):
    return sum(1 for ch in w if ch.isalnum())


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source(profile, f, issuer_block=None):
    out = ["---", "profile: " + profile, "parent: " + yaml_str(f["parent"])]
    if issuer_block:
        out.append("issuer: |-")
        out.extend("  " + l for l in issuer_block)
    else:
        out.append("issuer: " + yaml_str(f["issuer"]))
    out += ["number: " + f["number"], "place: Thanh Hoá", "date: 2026-07-06", "kind: " + f["kind"],
            "title: " + yaml_str(LONG_TITLE), "signer:", "  authority: " + yaml_str(f["authority"]),
            "  post: " + yaml_str(f["post"]), "  name: Trần Văn Hải", "recipients:"]
    out += ["  - " + yaml_str(r) for r in RECIPIENTS]
    out += ["---", "", "Một đoạn văn ngắn của báo cáo, đủ để có thân văn bản.", ""]
    return "\n".join(out)


def words_of(text):
    return text.split()


def column_lines(page, x0, x1, size=None):
    """Lines wholly inside [x0, x1] mm (0.5 mm slack), top to bottom."""
    out = [l for l in page.lines if mm(l.x0) >= x0 - 0.5 and mm(l.x1) <= x1 + 0.5
           and (size is None or abs(l.size - size) < 0.05)]
    return sorted(out, key=lambda l: (l.base, l.x0))


def find_element(lines, text):
    """The consecutive lines whose words are exactly text's words (the first such run), or None."""
    want = words_of(text)
    for i in range(len(lines)):
        got = []
        for j in range(i, len(lines)):
            got += words_of(lines[j].text)
            if got == want:
                return lines[i:j + 1]
            if got != want[:len(got)]:
                break
    return None


def lone_lines(el, nwords):
    """Lines of one short word, when the element has >= 2 words per line."""
    if len(el) < 2 or nwords < 2 * len(el):
        return []
    return [l.text for l in el if len(l.text.split()) == 1 and letters(l.text) <= SHORT_LETTERS]


def balance(el):
    w = [l.x1 - l.x0 for l in el]
    return min(w) / max(w) if w else 0.0


def check_element(ck, tag, name, lines, text, centred, col):
    el = find_element(lines, text)
    if not ck.check("%s.%s.found" % (tag, name), el is not None,
                    "%r%s" % (text[:40], "" if el else " not found in the column's lines: %s" % (
                        [l.text for l in lines][:12]))):
        return None
    shape = " / ".join(l.text for l in el)
    lone = lone_lines(el, len(words_of(text)))
    ck.check("%s.%s.lone" % (tag, name), not lone, "%d lines: %s%s" % (
        len(el), shape, ("; lone: %s" % lone) if lone else ""))
    if centred and len(el) >= 2:
        # joint bodies: each body ("... -") is balanced on its own lines
        parts, cur = [], []
        for l in el:
            cur.append(l)
            if l.text.endswith(" -"):
                parts.append(cur)
                cur = []
        parts = [p for p in parts + [cur] if len(p) >= 2]
        r = min([balance(p) for p in parts] or [1.0])
        ck.check("%s.%s.balance" % (tag, name), r >= 0.5, "shortest/longest %.2f%s: %s" % (
            r, " (per body)" if len(parts) > 1 or len(parts[0] if parts else []) < len(el) else "", shape))
    out = [l for l in el if mm(l.x0) < col[0] - 0.3 or mm(l.x1) > col[1] + 0.3]
    ck.check("%s.%s.inside" % (tag, name), not out, "column %d-%d mm; outside: %s" % (
        col[0], col[1], ["%.1f-%.1f %s" % (mm(l.x0), mm(l.x1), l.text) for l in out]))
    return el


def run_case(ck, cli, tmp, profile, head, signer, recip, f):
    tag = profile
    src = os.path.join(tmp, profile + ".md")
    pdf = os.path.join(tmp, profile + ".pdf")
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(source(profile, f))
    rc, out, err = P.run([cli, "render", src, "-o", pdf], env=P.test_env())
    if not ck.check(tag + ".render", rc == 0 and os.path.isfile(pdf), (out + err).strip()[-300:]):
        return
    pages = P.load_pdf(pdf)
    p1 = pages[0]
    hl = column_lines(p1, *head)
    check_element(ck, tag, "parent", hl, f["parent"], True, head)
    el = check_element(ck, tag, "issuer", hl, f["issuer"], True, head)
    if el:
        second = f["issuer"].split(" - ", 1)[1].split()[0]
        at = [k for k in range(len(el) - 1) if el[k].text.endswith("-") and el[k + 1].text.split()[0] == second]
        ck.check(tag + ".issuer.joint", len(at) == 1, "breaks at \" - \": %s" % " / ".join(l.text for l in el))
    tl = column_lines(p1, 30, 195, 14.0)
    check_element(ck, tag, "title", [l for l in tl if l.bold], LONG_TITLE, True, (30, 195))
    # the closing: signer (14 pt) and Nơi nhận (12 pt) on the last page
    last = pages[-1]
    sl = column_lines(last, *signer)
    el = check_element(ck, tag, "authority", sl, f["authority"], True, signer)
    if el:
        joined = [l.text for l in el]
        keep = [p for p in ("TRUNG ƯƠNG", "ỦY BAN NHÂN DÂN") if p in f["authority"]]
        split = [p for p in keep if not any(p in t for t in joined)]
        ck.check(tag + ".authority.phrase", keep and not split, "%s kept whole in: %s" % (keep, " / ".join(joined)))
    # the Nơi nhận entries: the lines of the left column smaller than the signer's 14 pt (12 pt, 11 pt in ND30)
    rl = [l for l in column_lines(last, recip[0], recip[1]) if l.size < 13.0]
    for i, r in enumerate(RECIPIENTS):
        el = find_entry(rl, r)
        if not ck.check("%s.recipient%d.found" % (tag, i + 1), el is not None, r[:40]):
            continue
        lone = lone_lines(el, len(words_of(r)) + 1)
        ck.check("%s.recipient%d.lone" % (tag, i + 1), not lone, "%s%s" % (
            " / ".join(l.text for l in el), ("; lone: %s" % lone) if lone else ""))

    # an issuer typed on two lines keeps them
    typed = ["BAN TỔ CHỨC", "TỈNH ỦY THANH HÓA"]
    src2 = os.path.join(tmp, profile + "-typed.md")
    pdf2 = os.path.join(tmp, profile + "-typed.pdf")
    with open(src2, "w", encoding="utf-8") as fh:
        fh.write(source(profile, f, issuer_block=typed))
    rc, out, err = P.run([cli, "render", src2, "-o", pdf2], env=P.test_env())
    if ck.check(tag + ".typed.render", rc == 0, (out + err).strip()[-300:]):
        hl = column_lines(P.load_pdf(pdf2)[0], *head)
        el = find_element(hl, " ".join(typed))
        ck.check(tag + ".typed.kept", el is not None and [l.text for l in el] == typed,
                 "lines: %s" % ([l.text for l in el] if el else None))


def find_entry(lines, text):
    """A Nơi nhận entry: the lines whose words are "-", the entry's words and its separator."""
    for i, l in enumerate(lines):
        if not l.text.startswith("- "):
            continue
        got = []
        for j in range(i, len(lines)):
            if j > i and lines[j].text.startswith("- "):
                break
            got += words_of(lines[j].text)
            body = " ".join(got[1:])
            if re.sub(r"[,;.:]$", "", body) == text:
                return lines[i:j + 1]
    return None


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-centred-")
    try:
        for profile, head, signer, recip, f in CASES:
            run_case(ck, cli, tmp, profile, head, signer, recip, f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
