#!/usr/bin/env python3
"""Batch templates at the command line (docs/templates.md).

    python3 tests/test_templates.py build/vanban      (cwd = project root)

- `vanban render` and `vanban dump` of a template are refused: one line
  "t.md:L:C: error: … [template.tags]" at the first tag, exit 1, no output.
- Once the data readers are built in (`vanban dump --stage=merge T --data F
  --row N`): the merged model of a CSV row prints values with Markdown and
  YAML characters as given, a missing column is template.missing naming the
  data file, row and the template's line:col.
- Once `vanban batch` is built in: each row's PDF is byte-identical to
  `vanban render` of the same document typed by hand.
The parts whose command is not built yet are noted, not failed.
"""
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

TEMPLATE = """---
issuer: |-
  ĐẢNG ỦY KHỐI
  {{dang_bo}}
number: "{{so}}-BC/ĐUK"
place: Thanh Hoá
date: 2024-03-01
kind: BÁO CÁO
title: Kết quả của {{ten}}
signer:
  authority: T/M ĐẢNG ỦY
  post: BÍ THƯ
  name: {{bi_thu}}
recipients:
  - {{#noi_nhan}}{{.}}{{/noi_nhan}}
  - Lưu.
---

Chi bộ {{ten}} báo cáo: {{ghi_chu}}
"""

# the rows, and each one typed by hand (Markdown characters escaped by hand)
CSV = ('dang_bo,so,ten,bi_thu,noi_nhan.1,noi_nhan.2,ghi_chu\r\n'
       'DOANH NGHIỆP,12,"SỞ KHOA HỌC *VÀ* CÔNG NGHỆ",Trần Văn Hải,Ban #1,"Ban: 2",100% | đạt\r\n'
       'CƠ QUAN,13,Chi bộ - 1,Lê Thị Hoa,Ban 3,,"a ""b"" c"\r\n')

HAND = ["""---
issuer: |-
  ĐẢNG ỦY KHỐI
  DOANH NGHIỆP
number: "12-BC/ĐUK"
place: Thanh Hoá
date: 2024-03-01
kind: BÁO CÁO
title: "Kết quả của SỞ KHOA HỌC *VÀ* CÔNG NGHỆ"
signer:
  authority: T/M ĐẢNG ỦY
  post: BÍ THƯ
  name: Trần Văn Hải
recipients:
  - Ban \\#1
  - "Ban\\\\: 2"
  - Lưu.
---

Chi bộ SỞ KHOA HỌC \\*VÀ\\* CÔNG NGHỆ báo cáo: 100% \\| đạt
""", """---
issuer: |-
  ĐẢNG ỦY KHỐI
  CƠ QUAN
number: "13-BC/ĐUK"
place: Thanh Hoá
date: 2024-03-01
kind: BÁO CÁO
title: Kết quả của Chi bộ - 1
signer:
  authority: T/M ĐẢNG ỦY
  post: BÍ THƯ
  name: Lê Thị Hoa
recipients:
  - Ban 3
  - Lưu.
---

Chi bộ Chi bộ - 1 báo cáo: a "b" c
"""]

DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? error: (?P<msg>\S.*?)(?: \[(?P<id>[A-Za-z0-9_.-]+)\])?$")


def env():
    e = dict(os.environ)
    e["FONTCONFIG_FILE"] = os.path.abspath("tests/fonts.conf")
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    return e


def main():
    exe = os.path.abspath(sys.argv[1])
    ck = P.Checker()
    with tempfile.TemporaryDirectory() as tmp:
        t = os.path.join(tmp, "t.md")
        with open(t, "w", encoding="utf-8") as f:
            f.write(TEMPLATE)
        out = os.path.join(tmp, "t.pdf")
        # 1. render and dump refuse a template, at its first tag
        for cmd in ([exe, "render", t, "-o", out], [exe, "dump", "--stage=model", t]):
            rc, so, se = P.run(cmd, env=env())
            lines = se.strip().splitlines()
            m = DIAG.match(lines[0]) if len(lines) == 1 else None
            ck.check("refused.%s" % cmd[1], rc == 1 and m and m.group("id") == "template.tags"
                     and m.group("line") == "4" and m.group("col") == "3" and "vanban batch --data" in se
                     and not os.path.exists(out), "rc %d, stderr %r" % (rc, se))
        # 2. the merged model (once the data readers are built in)
        data = os.path.join(tmp, "units.csv")
        with open(data, "w", encoding="utf-8", newline="") as f:
            f.write(CSV)
        rc, so, se = P.run([exe, "dump", "--stage=merge", t, "--data", data, "--row", "1"], env=env())
        if rc == 2 and ("--data" in se or "unknown" in se):
            ck.note("dump --stage=merge --data: not built in yet (%s)" % se.strip().splitlines()[0])
        else:
            want = ['meta issuer "ĐẢNG ỦY KHỐI\\nDOANH NGHIỆP"', 'meta number "12-BC/ĐUK"',
                    'recipient "Ban #1"', 'recipient "Ban: 2"',
                    'span r "Chi bộ SỞ KHOA HỌC *VÀ* CÔNG NGHỆ báo cáo: 100% | đạt"']
            missing = [w for w in want if w not in so]
            ck.check("merge.verbatim", rc == 0 and not missing, "rc %d, missing %s, stderr %r" % (rc, missing, se))
            rc, so, se = P.run([exe, "dump", "--stage=merge", t, "--data", data, "--row", "2"], env=env())
            ck.check("merge.quotes", rc == 0 and 'span r "Chi bộ Chi bộ - 1 báo cáo: a \\"b\\" c"' in so,
                     "rc %d, %r" % (rc, se or so[-300:]))
            bad = os.path.join(tmp, "bad.md")
            with open(bad, "w", encoding="utf-8") as f:
                f.write(TEMPLATE.replace("{{ghi_chu}}", "{{ghi_chu}} {{khong_co}}"))
            rc, so, se = P.run([exe, "dump", "--stage=merge", bad, "--data", data, "--row", "1"], env=env())
            ck.check("merge.missing", rc == 1 and "[template.missing]" in se and "bad.md:19:37:" in se
                     and "units.csv, row 1" in se, "rc %d, %r" % (rc, se))
        # 3. batch output byte-identical to a render typed by hand (once vanban batch is built in)
        rc, so, se = P.run([exe, "--help"], env=env())
        if " batch " not in so:
            ck.note("vanban batch: not built in yet")
        else:
            odir = os.path.join(tmp, "out")
            rc, so, se = P.run([exe, "batch", t, "--data", data, "-o", odir, "--name", "{{row}}.pdf", "-j", "1"],
                               env=env())
            ck.check("batch.ran", rc == 0, "rc %d, %r" % (rc, se))
            for i, hand in enumerate(HAND, 1):
                h = os.path.join(tmp, "t.md")  # the same name as the template's, as in the batch
                hd = os.path.join(tmp, "hand%d" % i)
                os.makedirs(hd, exist_ok=True)
                h = os.path.join(hd, "t.md")
                with open(h, "w", encoding="utf-8") as f:
                    f.write(hand)
                ho = os.path.join(hd, "t.pdf")
                rc, so, se = P.run([exe, "render", h, "-o", ho], env=env())
                bo = os.path.join(odir, "%d.pdf" % i)
                same = (rc == 0 and os.path.exists(bo)
                        and open(bo, "rb").read() == open(ho, "rb").read())
                ck.check("batch.byte-identical.row%d" % i, same, "render rc %d %r" % (rc, se))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
