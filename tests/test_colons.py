#!/usr/bin/env python3
"""Colons in front-matter values, typed as clerks type them, print as typed.

    python3 tests/test_colons.py build/vanban      (cwd = project root)

YAML refuses "title: Về việc: tổng kết" (a second ": " on a line) and reads
"- Lưu: VT, VP." as a key and a value. vanban reads both as the text typed
(yamltree.c stand_in_colons, frontmatter.c typed_pair). Each case renders
and the text is found in the PDF by pdftotext; the cases that are real YAML
mistakes (a key indented wrongly, a real mapping in the recipients) stay
errors at their line:col, and an error after a rewritten line keeps its
position.
"""
import os
import shutil
import subprocess
import sys
import tempfile

DOC = """---
profile: state
issuer: SỞ NỘI VỤ
number: 15/SNV-VP
place: Ninh Bình
date: 2026-06-10
title: V/v: báo cáo kết quả: năm 2026
to: Ủy ban nhân dân tỉnh
signer:
  authority: KT. GIÁM ĐỐC
  post: PHÓ GIÁM ĐỐC
  name: Trần Văn: Hùng
recipients:
  - Như trên;
  - Lưu: VT, VP.
---

Sở Nội vụ báo cáo như sau: kết quả tốt.
"""

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def run(cli, tmp, text, name="t.md"):
    src = os.path.join(tmp, name)
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(tmp, "t.pdf")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, FONTCONFIG_FILE=os.path.abspath("tests/fonts.conf"))
    p = subprocess.run([cli, "render", name, "-o", "t.pdf"], cwd=tmp, env=env, capture_output=True, text=True)
    txt = ""
    if p.returncode == 0:
        txt = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True, text=True).stdout
    return p.returncode, p.stderr, txt


def main(argv):
    cli = os.path.abspath(argv[1])
    tmp = tempfile.mkdtemp(prefix="vb-colons-")
    try:
        rc, err, txt = run(cli, tmp, DOC)
        check(rc == 0, "the document with colons renders: %s" % err)
        for want in ("V/v: báo cáo kết quả: năm 2026", "Trần Văn: Hùng", "- Lưu: VT, VP."):
            check(want in txt, "printed as typed: %r" % want)
        # the same with the values quoted: the same text
        quoted = DOC.replace("title: V/v: báo cáo kết quả: năm 2026", 'title: "V/v: báo cáo kết quả: năm 2026"')
        quoted = quoted.replace("  - Lưu: VT, VP.", '  - "Lưu: VT, VP."')
        rc2, _, txt2 = run(cli, tmp, quoted)
        check(rc2 == 0 and txt2 == txt, "quoted or not, the same PDF text")
        # a key indented wrongly stays an error at its own colon
        bad = DOC.replace("  post: PHÓ GIÁM ĐỐC", "   post: PHÓ GIÁM ĐỐC: X")
        rc, err, _ = run(cli, tmp, bad)
        check(rc == 1 and "t.md:11:8: error:" in err and "[yaml.syntax]" in err, "misindented key: %s" % err)
        check(not os.path.exists(os.path.join(tmp, "t.pdf")), "no PDF for the misindented key")
        # a real mapping among the recipients stays a type error
        bad = DOC.replace("  - Lưu: VT, VP.", "  - Lưu: VT\n    Khác: VP")
        rc, err, _ = run(cli, tmp, bad)
        check(rc == 1 and "[frontmatter.type]" in err, "a real mapping in recipients: %s" % err)
        # an error after the rewritten line keeps its line:col
        bad = DOC.replace("date: 2026-06-10", "date: 2026-13-10")
        rc, err, _ = run(cli, tmp, bad)
        check(rc == 1 and "t.md:6:7: error:" in err, "a later error's position: %s" % err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
