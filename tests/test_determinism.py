#!/usr/bin/env python3
"""Reproducible PDFs: equal input gives equal bytes.

    python3 tests/test_determinism.py build/vanban      (cwd = project root)

- the same source, profile and fonts rendered twice (to different output
  names) give byte-identical PDFs, dated from the document (no clock);
- with SOURCE_DATE_EPOCH set twice to the same value, identical PDFs whose
  /CreationDate and /ModDate are that instant in UTC;
- with another SOURCE_DATE_EPOCH the dates change and so does the /ID (it is
  a hash of the content, dates included), and nothing else but the dates and
  the /ID differs;
- two sources that differ in one word give different /IDs;
- a malformed SOURCE_DATE_EPOCH is a usage error (exit 2), not ignored.
"""
import os
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

SAMPLE = os.path.join("samples", "196-BC-DUK.md")
ID_RE = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
DATE_RE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")


def render(cli, src, out, epoch=None):
    env = P.test_env()
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    rc, _, err = P.run([cli, "render", src, "-o", out], env=env)
    data = open(out, "rb").read() if rc == 0 and os.path.exists(out) else None
    return rc, err, data


def pdf_id(data):
    m = ID_RE.search(data or b"")
    return m.group(1).decode() if m else None


def dates(data):
    return {k.decode(): v.decode() for k, v in DATE_RE.findall(data or b"")}


def utc_pdf_date(epoch):
    return time.strftime("D:%Y%m%d%H%M%S", time.gmtime(epoch))


def main():
    ck = P.Checker()
    cli = P.find_cli(sys.argv)
    if not cli:
        print("vanban CLI not found")
        return 1
    with tempfile.TemporaryDirectory(prefix="vb-determinism-") as tmp:
        out = lambda name: os.path.join(tmp, name)  # noqa: E731

        # 1. twice without SOURCE_DATE_EPOCH: the document's date, identical bytes
        rc1, err1, a = render(cli, SAMPLE, out("a.pdf"))
        rc2, err2, b = render(cli, SAMPLE, out("other-name.pdf"))
        ck.check("renders without SOURCE_DATE_EPOCH", rc1 == 0 and rc2 == 0 and a and b, err1 + err2)
        ck.check("two renders are byte-identical", a == b and a is not None,
                 "sizes %s and %s" % (len(a or b""), len(b or b"")))
        ck.check("the /ID is present", pdf_id(a) is not None)
        d = dates(a)
        ck.check("without SOURCE_DATE_EPOCH the dates are the document's (2023-07-06, +07:00)",
                 d.get("CreationDate", "").startswith("D:20230706000000+07") and d.get("ModDate") == d.get("CreationDate"),
                 str(d))

        # 2. SOURCE_DATE_EPOCH twice to the same value
        e1, e2 = 1700000000, 1800000000
        rc1, err1, c = render(cli, SAMPLE, out("c.pdf"), e1)
        rc2, err2, c2 = render(cli, SAMPLE, out("c2.pdf"), e1)
        ck.check("renders with SOURCE_DATE_EPOCH=%d" % e1, rc1 == 0 and rc2 == 0, err1 + err2)
        ck.check("same SOURCE_DATE_EPOCH twice: byte-identical", c == c2 and c is not None)
        d = dates(c)
        ck.check("CreationDate and ModDate are SOURCE_DATE_EPOCH in UTC (%s)" % utc_pdf_date(e1),
                 d.get("CreationDate", "").startswith(utc_pdf_date(e1)) and d.get("ModDate") == d.get("CreationDate"),
                 str(d))
        ck.check("SOURCE_DATE_EPOCH changes the date from the document's", dates(a) != d)

        # 3. another value: other dates, other /ID, nothing else differs
        rc3, err3, e = render(cli, SAMPLE, out("e.pdf"), e2)
        ck.check("renders with SOURCE_DATE_EPOCH=%d" % e2, rc3 == 0, err3)
        ck.check("another SOURCE_DATE_EPOCH changes the CreationDate",
                 dates(e).get("CreationDate", "").startswith(utc_pdf_date(e2)) and dates(e) != dates(c), str(dates(e)))
        ck.check("another SOURCE_DATE_EPOCH changes the /ID", pdf_id(c) and pdf_id(e) and pdf_id(c) != pdf_id(e),
                 "%s vs %s" % (pdf_id(c), pdf_id(e)))
        strip = lambda x: DATE_RE.sub(b"", ID_RE.sub(b"", x or b""))  # noqa: E731
        ck.check("only the dates and the /ID differ between the two", c and e and strip(c) == strip(e))
        # SOURCE_DATE_EPOCH=0 is the epoch itself, not "unset"
        rc0, err0, z = render(cli, SAMPLE, out("z.pdf"), 0)
        ck.check("SOURCE_DATE_EPOCH=0 gives 1970-01-01", rc0 == 0 and
                 dates(z).get("CreationDate", "").startswith("D:19700101000000"), err0 + str(dates(z)))

        # 4. the /ID is derived from the content: two sources one word apart
        text = open(SAMPLE, encoding="utf-8").read()
        changed = text.replace("Hiện nay,", "Hiện tại,", 1)
        ck.check("the sample has the word to change", changed != text)
        src2 = out("changed.md")
        with open(src2, "w", encoding="utf-8") as f:
            f.write(changed)
        rc4, err4, g = render(cli, src2, out("g.pdf"), e1)
        ck.check("renders the changed source", rc4 == 0, err4)
        ck.check("a different source gives a different /ID", pdf_id(g) and pdf_id(c) and pdf_id(g) != pdf_id(c),
                 "%s vs %s" % (pdf_id(g), pdf_id(c)))
        ck.check("the /ID's two parts are equal (a new file, not an update)", ID_RE.search(c or b"") and
                 ID_RE.search(c).group(1) == ID_RE.search(c).group(2))
        # the copy of the source under another name renders the same bytes (the file name is not in the PDF)
        src3 = out("copy.md")
        with open(src3, "w", encoding="utf-8") as f:
            f.write(text)
        rc5, err5, h = render(cli, src3, out("h.pdf"), e1)
        ck.check("the same text under another file name gives the same bytes", rc5 == 0 and h == c, err5)

        # 5. malformed values are refused, and no output is written
        for bad in ("yesterday", "-1", "1.5", "99999999999999999999"):
            rc, err, data = render(cli, SAMPLE, out("bad.pdf"), bad)
            ck.check("SOURCE_DATE_EPOCH=%s is a usage error" % bad,
                     rc == 2 and "SOURCE_DATE_EPOCH" in err and not os.path.exists(out("bad.pdf")), "rc %d" % rc)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
