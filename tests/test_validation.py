#!/usr/bin/env python3
"""Sources that break a rule of their format are refused before layout.

    python3 tests/test_validation.py build/vanban      (cwd = project root)

Each case is a good source (state, Party 36-HD or Party 05-HD) with one field
changed. The good source must render; the changed one must make the CLI exit
with status 1, print "file:line:col: error: … [id]" pointing at the value at
fault (line and column counted from 1, the column in characters), and leave
no output file (nor a temporary one) behind.
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

STATE = """---
profile: state
parent: BỘ NỘI VỤ
issuer: CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC
issuer_name: Cục Văn thư và Lưu trữ nhà nước
number: 15/QĐ-VTLTNN
place: Hà Nội
date: 2026-06-10
kind: QUYẾT ĐỊNH
title: Về việc thành lập Đoàn kiểm tra
signer:
  authority: KT. CỤC TRƯỞNG
  post: PHÓ CỤC TRƯỞNG
  name: Trần Quốc Hưng
recipients:
  - "Lưu: VT, NVVTLT"
---

Điều 1. Thành lập Đoàn kiểm tra công tác văn thư, lưu trữ năm 2026 (danh sách tại Phụ lục I kèm theo).

# Phụ lục I
# DANH SÁCH ĐOÀN KIỂM TRA

Danh sách gồm 04 thành viên.
"""

PARTY36 = """---
parent: ĐẢNG BỘ TỈNH THANH HOÁ
issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH
number: 196-BC/ĐUK
place: Thanh Hoá
date: 2023-07-06
kind: BÁO CÁO
title: sơ kết thực hiện Chương trình số 13-CTr/ĐUK
signer:
  authority: T/M ĐẢNG ỦY
  post: BÍ THƯ
  name: Trần Văn Hải
recipients:
  - Lưu VP
---

Nội dung báo cáo.

# PHỤ LỤC 1
# XẾP LOẠI TỔ CHỨC CƠ SỞ ĐẢNG

Bảng số liệu.
"""

PARTY05 = """---
parent: ĐẢNG BỘ THÀNH PHỐ HÀ NỘI
issuer: ĐẢNG UỶ PHƯỜNG BA ĐÌNH
number: 125-QĐ/ĐU
place: Hà Nội
date: 2026-06-15
kind: QUYẾT ĐỊNH
title: ban hành Quy chế làm việc
signer:
  authority: T/M BAN THƯỜNG VỤ
  post: PHÓ BÍ THƯ
  name: Trần Minh Đức
recipients:
  - Lưu Văn phòng Đảng uỷ
---

Điều 1. Ban hành Quy chế làm việc.
"""

# (name, good source, old text, new text, id, the text the position must point at)
CASES = [
    ("state.number_without_slash", STATE, "number: 15/QĐ-VTLTNN", "number: 15-QĐ-VTLTNN", "number.form", "15-QĐ-VTLTNN"),
    ("state.number_party_form", STATE, "number: 15/QĐ-VTLTNN", "number: 15-QĐ/VTLTNN", "number.form", "15-QĐ/VTLTNN"),
    ("state.signer_party_form", STATE, "authority: KT. CỤC TRƯỞNG", "authority: T/M CỤC TRƯỞNG", "signer.form",
     "T/M CỤC TRƯỞNG"),
    ("state.kind_abbreviation", STATE, "number: 15/QĐ-VTLTNN", "number: 15/QyĐ-VTLTNN", "number.kind", "15/QyĐ-VTLTNN"),
    ("state.appendix_arabic", STATE, "# Phụ lục I\n", "# Phụ lục 1\n", "appendix.numbering", "Phụ lục 1"),
    ("party36.number_with_so", PARTY36, "number: 196-BC/ĐUK", "number: \"Số: 196-BC/ĐUK\"", "number.form",
     "\"Số: 196-BC/ĐUK\""),
    ("party36.number_with_so_no_colon", PARTY36, "number: 196-BC/ĐUK", "number: Số 196-BC/ĐUK", "number.form",
     "Số 196-BC/ĐUK"),
    ("party36.number_state_form", PARTY36, "number: 196-BC/ĐUK", "number: 196/BC-ĐUK", "number.form", "196/BC-ĐUK"),
    ("party36.signer_state_form", PARTY36, "authority: T/M ĐẢNG ỦY", "authority: TM. ĐẢNG ỦY", "signer.form",
     "TM. ĐẢNG ỦY"),
    ("party36.kind_abbreviation", PARTY36, "number: 196-BC/ĐUK", "number: 196-TB/ĐUK", "number.kind", "196-TB/ĐUK"),
    ("party36.appendix_roman", PARTY36, "# PHỤ LỤC 1\n", "# PHỤ LỤC I\n", "appendix.numbering", "PHỤ LỤC I"),
    ("party05.signer_state_form", PARTY05, "authority: T/M BAN THƯỜNG VỤ", "authority: KT. BAN THƯỜNG VỤ",
     "signer.form", "KT. BAN THƯỜNG VỤ"),
    ("party05.signer_tu", PARTY05, "authority: T/M BAN THƯỜNG VỤ", "authority: T/U BAN THƯỜNG VỤ", "signer.form",
     "T/U BAN THƯỜNG VỤ"),
    ("party05.body_abbreviation", PARTY05, "number: 125-QĐ/ĐU", "number: 125-QĐ/ĐUP", "number.body", "125-QĐ/ĐUP"),
    ("party05.kind_abbreviation", PARTY05, "number: 125-QĐ/ĐU", "number: 125-QĐi/ĐU", "number.kind", "125-QĐi/ĐU"),
    # a sequence number left blank until issuance: the rest of the number is still checked
    ("state.blank_party_form", STATE, "number: 15/QĐ-VTLTNN", "number: \"-QĐ/VTLTNN\"", "number.form",
     "\"-QĐ/VTLTNN\""),
    ("state.blank_kind", STATE, "number: 15/QĐ-VTLTNN", "number: \"…/QyĐ-VTLTNN\"", "number.kind",
     "\"…/QyĐ-VTLTNN\""),
    ("party36.blank_state_form", PARTY36, "number: 196-BC/ĐUK", "number: \"/BC-ĐUK\"", "number.form", "\"/BC-ĐUK\""),
    ("party05.blank_body", PARTY05, "number: 125-QĐ/ĐU", "number: ___-QĐ/ĐUP", "number.body", "___-QĐ/ĐUP"),
    ("party05.date_blank_month_form", PARTY05, "date: 2026-06-15", "date: 2026-6", "frontmatter.date", "2026-6"),
]

# The good sources with the sequence number and the day (or day and month) left blank: they render.
BLANK_GOOD = [
    ("state", STATE, [("number: 15/QĐ-VTLTNN", "number: \"/QĐ-VTLTNN\""), ("date: 2026-06-10", "date: 2026-06")]),
    ("party36", PARTY36, [("number: 196-BC/ĐUK", "number: -BC/ĐUK"), ("date: 2023-07-06", "date: 2023")]),
    ("party05", PARTY05, [("number: 125-QĐ/ĐU", "number: \"…-QĐ/ĐU\""), ("date: 2026-06-15", "date: 2026-06")]),
]


def position(text, needle):
    """1-based line and column (in characters) of needle in text."""
    i = text.index(needle)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-validation-")
    try:
        for name, good in (("state", STATE), ("party36", PARTY36), ("party05", PARTY05)):
            src = os.path.join(tmp, name + "-good.md")
            open(src, "w", encoding="utf-8").write(good)
            out = os.path.join(tmp, name + "-good.pdf")
            rc, so, se = P.run([cli, "render", src, "-o", out], env=P.test_env())
            ck.check("good.%s" % name, rc == 0 and os.path.isfile(out), "rc %d %s" % (rc, se.strip()[-200:]))
        for name, good, subs in BLANK_GOOD:
            text = good
            for old, new in subs:
                assert text.count(old) == 1, name
                text = text.replace(old, new)
            src = os.path.join(tmp, name + "-blank.md")
            open(src, "w", encoding="utf-8").write(text)
            out = os.path.join(tmp, name + "-blank.pdf")
            rc, so, se = P.run([cli, "render", src, "-o", out], env=P.test_env())
            ck.check("blank.%s" % name, rc == 0 and os.path.isfile(out) and not se.strip(),
                     "rc %d %s" % (rc, se.strip()[-200:]))
        for name, good, old, new, ident, at in CASES:
            assert good.count(old) == 1, name
            text = good.replace(old, new)
            d = os.path.join(tmp, name)
            os.mkdir(d)
            src = os.path.join(d, "src.md")
            open(src, "w", encoding="utf-8").write(text)
            out = os.path.join(d, "out.pdf")
            rc, so, se = P.run([cli, "render", src, "-o", out], env=P.test_env())
            line, col = position(text, at)
            wants = ["%s:%d:%d: error: " % (src, line, col)]
            if ident == "appendix.numbering":
                # an appendix label is a heading: its line, at the "#" or at the numeral
                wants = ["%s:%d:%d: error: " % (src, line, c) for c in (1, col + len(at) - 1)]
            first = (se.strip().splitlines() or [""])[0]
            ck.check(name + ".exit", rc == 1, "rc %d" % rc)
            ck.check(name + ".message", any(first.startswith(w) for w in wants) and first.endswith("[%s]" % ident),
                     "got %r, want %r … [%s]" % (first, wants, ident))
            left = sorted(os.listdir(d))
            ck.check(name + ".no_output", left == ["src.md"], "files left: %s" % left)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
