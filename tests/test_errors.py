#!/usr/bin/env python3
"""Bad inputs: one precise diagnostic, exit status 1, and no output touched.

    python3 tests/test_errors.py build/vanban      (cwd = project root)

Each case is written into a temporary directory and rendered twice: once with
no output file (none may appear, nor any temporary file beside it), once over
an existing output file (it must stay byte-identical). stderr must be exactly
one line "<file>:<line>:<col>: error: <message>" (an " [id]" suffix is
allowed), naming the source path as given and the line and column of the
fault; columns count code points from 1. Where a fault belongs to a whole
value rather than a character (a missing key, an unknown profile) the column
may be left out; if given, it is the one listed per case.
Bad text is placed after ASCII on its line, so byte and code-point columns
agree and the expected column is unambiguous.
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

HEAD = [
    "---",
    "parent: ĐẢNG BỘ TỈNH THANH HOÁ",
    "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    "number: 12-BC/ĐUK",
    "place: Thanh Hoá",
    "date: 2023-07-06",
    "kind: BÁO CÁO",
    "title: Kiểm tra thông báo lỗi",
]
# a signer and recipients: a document fit to issue, so that a plain render has no issue.* warning
# (yaml-indent's own signer comes before these lines and fails to parse first)
TAIL = ["signer:", "  authority: T/M ĐẢNG ỦY", "  post: BÍ THƯ", "  name: Trần Văn Hải", "recipients:",
        "  - Như trên,", "  - Lưu VP.", "---", "", "Đoạn văn thứ nhất của văn bản.", ""]

DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? error: (?P<msg>\S.*?)(?: \[(?P<id>[A-Za-z0-9_.-]+)\])?$")


def doc(head=HEAD, extra_fm=(), body=()):
    return "\n".join(list(head) + list(extra_fm) + TAIL + list(body)) + "\n"


def cases():
    """(name, source bytes, line, allowed columns; None in the set = no column)."""
    out = []
    # 1. a required key missing: reported at the front matter's first line
    out.append(("missing-number", doc(head=[h for h in HEAD if not h.startswith("number:")]).encode(), 1, {None, 1}))
    # 2. malformed YAML: " post:" indented less than its sibling (libyaml: did
    #    not find expected key), at the mis-indented key
    fm = ["signer:", "  authority: T/M ĐẢNG ỦY", " post: BÍ THƯ", "  name: Trần Văn Hải"]
    out.append(("yaml-indent", doc(extra_fm=fm).encode(), len(HEAD) + 3, {2}))
    # 3. unknown profile: the profile line, at its value (or no column)
    out.append(("unknown-profile", doc(head=HEAD[:1] + ["profile: khong-co"] + HEAD[1:]).encode(), 2, {None, 10}))
    # 4. a table row without its closing bar: just after its last character,
    #    where the bar is missing
    row = "| 1   | Một"
    body = ["| STT | NỘI DUNG |", "| :-: | :------- |", row, "", "Đoạn cuối."]
    line = len(HEAD) + len(TAIL) + 3
    out.append(("table-unclosed-row", doc(body=body).encode(), line, {len(row) + 1}))
    # 5. an invalid UTF-8 byte in the body, after 15 ASCII characters
    text = doc(body=["Bad byte here: @ end of it."]).encode().replace(b"@", b"\xff")
    out.append(("utf8-invalid", text, len(HEAD) + len(TAIL) + 1, {16}))
    # 6. a character no font covers, after 9 ASCII characters
    out.append(("uncovered-char", doc(body=["Chu Han: 中 here."]).encode(), len(HEAD) + len(TAIL) + 1, {10}))
    return out


def run_case(ck, cli, tmp, name, data, line, cols):
    d = os.path.join(tmp, name)
    os.makedirs(os.path.join(d, "out"))
    src = os.path.join(d, name + ".md")
    with open(src, "wb") as f:
        f.write(data)
    outdir = os.path.join(d, "out")
    pdf = os.path.join(outdir, "result.pdf")
    env = P.test_env()

    # a) no output before: none after, and nothing else left in its folder
    rc, out, err = P.run([cli, "render", src, "-o", pdf], env=env)
    lines = err.splitlines()
    ck.check(name + ".exit", rc == 1, "rc %d" % rc)
    m = DIAG.match(lines[0]) if len(lines) == 1 else None
    ck.check(name + ".one_line", m is not None and not out.strip(), repr(err[:300]) if m is None else repr(lines[0]))
    if m:
        col = int(m.group("col")) if m.group("col") else None
        ck.check(name + ".file", m.group("file") in (src, os.path.abspath(src)), m.group("file"))
        ck.check(name + ".position", int(m.group("line")) == line and col in cols, "at %s:%s (want line %d, col %s)" % (
            m.group("line"), col, line, " or ".join("none" if c is None else str(c) for c in sorted(cols, key=lambda c: -1 if c is None else c))))
    left = os.listdir(outdir)
    ck.check(name + ".no_output", not left, "left behind: %s" % left if left else "nothing written")

    # b) an existing output stays byte-identical
    old = b"%PDF-1.4\n% an earlier, good render\n" + bytes(range(256))
    with open(pdf, "wb") as f:
        f.write(old)
    rc2, _, err2 = P.run([cli, "render", src, "-o", pdf], env=env)
    same = open(pdf, "rb").read() == old
    ck.check(name + ".keeps_existing", rc2 == 1 and same and os.listdir(outdir) == ["result.pdf"] and err2 == err,
             "rc %d, %s, folder %s%s" % (rc2, "unchanged" if same else "CHANGED", os.listdir(outdir),
                                          "" if err2 == err else ", different message"))


def main(argv):
    ck = P.Checker()
    cli = P.find_cli(argv)
    if not ck.check("cli.present", cli is not None, cli or "no vanban CLI"):
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-errors-")
    try:
        # control: the same document without a fault renders, so the failures
        # below come from the fault and not from the harness
        src = os.path.join(tmp, "good.md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(doc())
        pdf = os.path.join(tmp, "good.pdf")
        rc, out, err = P.run([cli, "render", src, "-o", pdf], env=P.test_env())
        ck.check("control.renders", rc == 0 and os.path.isfile(pdf) and not err.strip(), "rc %d %s" % (rc, err.strip()[:200]))
        for name, data, line, cols in cases():
            run_case(ck, cli, tmp, name, data, line, cols)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
