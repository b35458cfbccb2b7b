#!/usr/bin/env python3
"""The sequence number's leading zero is the profile's `number.min_digits`, not C's.

    python3 tests/test_number_rule.py build/vanban      (cwd = project root)

The shipped profiles say 2 ("05-BC/ĐU"). Copies of layouts/ in a temporary folder with min_digits 1
and 3 (the only change) must change both what the check accepts and what `vanban issue` prints:

  - validation: the draft samples/party05/bao-cao-chua-so.md with its number typed "5-BC/ĐU",
    "05-BC/ĐU" or "005-BC/ĐU" renders (exit 0, "Số <number>" in the PDF's text) exactly when the
    number has the profile's digits; otherwise exit 1, no PDF, a number.zero error at the number's
    line:col whose fix is the number written the profile's way ("5-BC/ĐU", "05-BC/ĐU", "005-BC/ĐU");
  - issuance: the same draft with its number left blank, rendered and then issued with
    `--number 5` (and `--number 0005`), carries in its field So the value (/V) and the drawn digits
    (mutool draw -F stext, inside the field's rectangle) "5", "05", "005";
  - a bad value (0, 7, "two", a list) is a profile error at the value's line:col in the profile file
    (profile.value / profile.type), exit 1, no output, for render and for issue alike.

The key the issue signs with is a throwaway PKCS#12 made here with the openssl CLI
(tests/signfixture.py). One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
import signfixture as F  # noqa: E402

SAMPLE = "samples/party05/bao-cao-chua-so.md"
PROFILE = "party-05-2026.yaml"
KEY_LINE = re.compile(r"(?m)^(  min_digits: )2\b")


def layouts(tmp, name, value):
    """A copy of layouts/ whose party-05-2026 profile has min_digits `value`; (folder, line, col) of the value."""
    d = os.path.join(tmp, name)
    shutil.copytree("layouts", d)
    path = os.path.join(d, PROFILE)
    text = open(path, encoding="utf-8").read()
    m = KEY_LINE.search(text)
    assert m, "layouts/%s has no \"  min_digits: 2\" line" % PROFILE
    text = text[:m.start()] + m.group(1) + value + text[m.end():]
    open(path, "w", encoding="utf-8").write(text)
    return d, text.count("\n", 0, m.start()) + 1, len(m.group(1)) + 1


def source(number):
    t = open(SAMPLE, encoding="utf-8").read()
    t2 = t.replace('number: "-BC/ĐU"', "number: %s" % number, 1)
    assert t2 != t
    return t2


def position(text, needle):
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def field_value(pdf, name):
    """The newest /V of the field /T (name): our PDFs write both as literal strings."""
    data = open(pdf, "rb").read()
    v = None
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)endobj", data, re.S):
        body = m.group(1)
        if re.search(rb"/T \(%s\)" % re.escape(name.encode()), body):
            r = re.search(rb"/V \(([^)]*)\)", body)
            if r:
                v = r.group(1).decode("latin-1")
    return v


def field_rect(pdf, name):
    data = open(pdf, "rb").read()
    rect = None
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)endobj", data, re.S):
        if re.search(rb"/T \(%s\)" % re.escape(name.encode()), m.group(1)):
            r = re.search(rb"/Rect\s*\[\s*([-\d. ]+)\]", m.group(1))
            if r:
                rect = [float(v) for v in r.group(1).split()]
    return rect


def drawn_in(pdf, rect):
    """The characters mutool draws on page 1 inside rect (PDF points, bottom-left origin)."""
    rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf, "1"])
    pages = P.parse_stext(xml) if rc == 0 else []
    if not pages or not rect:
        return None
    pg = pages[0]
    return "".join(c.c for c in pg.chars if rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
                   pg.h - rect[3] - 2 <= c.oy <= pg.h - rect[1] + 2).strip()


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    missing = [t for t in ("openssl", "mutool", "pdftotext") if not shutil.which(t)]
    if not ck.check("tools.present", not missing, "missing: %s (scripts/deps.sh)" % missing):
        return ck.done()
    env = P.test_env()
    tmp = tempfile.mkdtemp(prefix="vb-number-")
    try:
        run_all(ck, cli, env, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


class Quiet(object):
    """A checker that prints a check's detail (often a whole stderr) only when it fails."""

    def __init__(self, ck):
        self.ck = ck

    def check(self, name, ok, detail=""):
        return self.ck.check(name, ok, "" if ok else detail)


def run_all(ck, cli, env, tmp):
    ck = Quiet(ck)

    def T(name):
        return os.path.join(tmp, name)

    folders = {"2": ("layouts", 0, 0)}
    folders["1"] = layouts(tmp, "L1", "1")
    folders["3"] = layouts(tmp, "L3", "3")
    written = {"1": "5", "2": "05", "3": "005"}

    # ---- validation: each number renders exactly under the profile that writes it so ----
    for digits, (folder, _, _) in sorted(folders.items()):
        for typed in ("5", "05", "005"):
            name = "check.min%s.%s" % (digits, typed)
            text = source(typed + "-BC/ĐU")
            src, out = T("n%s-%s.md" % (digits, typed)), T("n%s-%s.pdf" % (digits, typed))
            open(src, "w", encoding="utf-8").write(text)
            rc, o, e = P.run([cli, "render", src, "-o", out, "--layouts", folder], env=env)
            if typed == written[digits]:
                ptext = P.pdftotext_raw(out)[0] if os.path.exists(out) else ""
                ck.check(name + ".accepted", rc == 0 and "Số %s-BC/ĐU" % typed in ptext,
                         "rc %d: %s" % (rc, e.strip()[-300:]))
            else:
                l, c = position(text, typed + "-BC/ĐU")
                fix = "  fix: replace with \u201c%s-BC/ĐU\u201d" % written[digits]
                ck.check(name + ".refused", rc == 1 and not os.path.exists(out) and
                         e.startswith("%s:%d:%d: error: " % (src, l, c)) and "[number.zero]" in e and
                         fix in e and ('"%s"' % written[digits]) in e.splitlines()[0],
                         "rc %d: %s" % (rc, e.strip()[-300:]))

    # ---- issuance: `vanban issue --number 5` prints the profile's digits ----
    try:
        F.make_pki(tmp)
    except RuntimeError as x:
        ck.check("pki", False, str(x)[-300:])
        return
    p12 = ["--p12", T("body.p12"), "--password-file", T("pw.txt")]
    for digits, (folder, _, _) in sorted(folders.items()):
        draft = T("draft%s.pdf" % digits)
        rc, o, e = P.run([cli, "render", SAMPLE, "-o", draft, "--layouts", folder], env=env)
        if not ck.check("issue.min%s.render" % digits, rc == 0 and field_rect(draft, "So"), e.strip()[-300:]):
            continue
        for given in ("5", "0005"):
            out = T("issued%s-%s.pdf" % (digits, given))
            rc, o, e = P.run([cli, "issue", draft, "-o", out, "--number", given, "--date", "2026-12-05",
                              "--layouts", folder] + p12, env=env)
            v = field_value(out, "So") if rc == 0 else None
            drawn = drawn_in(out, field_rect(out, "So")) if rc == 0 else None
            ck.check("issue.min%s.number-%s" % (digits, given), rc == 0 and v == written[digits] and
                     drawn == written[digits], "rc %d, /V %r, drawn %r: %s" % (rc, v, drawn, e.strip()[-300:]))

    # ---- a bad value: a profile error at its line:col, for render and for issue ----
    for value, ident in (("0", "profile.value"), ("7", "profile.value"), ("two", "profile.type"),
                         ("[2]", "profile.type")):
        folder, l, c = layouts(tmp, "bad-" + re.sub(r"\W", "", value), value)
        where = "%s:%d:%d: error: " % (os.path.join(folder, PROFILE), l, c)
        out = T("bad.pdf")
        rc, o, e = P.run([cli, "render", SAMPLE, "-o", out, "--layouts", folder], env=env)
        ck.check("bad.%s.render" % value, rc == 1 and not os.path.exists(out) and where in e and
                 ("[%s]" % ident) in e and "min_digits" in e, "rc %d: %s" % (rc, e.strip()[-300:]))
        rc, o, e = P.run([cli, "issue", T("draft2.pdf"), "-o", out, "--number", "5", "--date", "2026-12-05",
                          "--layouts", folder] + p12, env=env)
        ck.check("bad.%s.issue" % value, rc != 0 and not os.path.exists(out) and where in e and
                 ("[%s]" % ident) in e, "rc %d: %s" % (rc, e.strip()[-300:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
