#!/usr/bin/env python3
"""The format's rules (docs/rules.md): each with a failing and a passing example and its exact message.

    python3 tests/test_rules.py build/vanban      (cwd = project root)

1. catalogue: every tests/clerk-mistakes/rule-NAME.md (a whole document with one clerk's mistake)
   rendered from inside tests/clerk-mistakes (LANGUAGE=en, file name as given) prints exactly the
   finding lines of rule-NAME.expect (the first line of each finding, in order); exit 1 and no PDF
   when one is an error, exit 0 and a PDF when all are warnings.
2. fixes: in each case, every finding's fix ("fix: replace with “…”") is applied at its range (read
   from --show-source's caret line); the fixed document no longer has a finding of the rules that
   were fixed. A fix that re-checks with the same finding would be a fix that does not fix.
3. passing: the sample each case was made from (CASES below) renders with no finding at all, and
   each rule's own passing variants (PASSING below) render without that rule's finding.
4. the comparison of kinds: "QUYET DINH", "Quyết định", "BÁO CAÓ", "KỀ HOẠCH" are each reported
   with their kind as the fix, under each regime; a kind far from every kind is reported without one.
5. --profile state / party / party-05-2026 on a Sở's công văn without profile: no regime.guess
   (the caller chose); under state it is clean.
6. profiles: the new validation keys are checked when a profile is read (a wrong value is a
   profile error at its line).
7. po/vi.po: every format string of src/profile/rules_*.c has its msgid, and msgfmt -c (when
   installed) accepts the catalogue (the msgstr's conversions match the msgid's).

One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

CAT = "tests/clerk-mistakes"

# the sample each case was made from (one line changed or taken out)
CASES = {
    "rule-appendix-not-referred": "samples/state/ke-hoach.md",
    "rule-appendix-wrong-number": "samples/state/bao-cao.md",
    "rule-date-day-month-year": "samples/party36/cong-van.md",
    "rule-date-no-zeros": "samples/state/thong-bao.md",
    "rule-heading-gap": "samples/party05/bao-cao.md",
    "rule-kind-cong-van-typed": "samples/party36/cong-van.md",
    "rule-kinh-gui-in-body": "samples/state/cong-van.md",
    "rule-whole-document-pasted": "samples/state/cong-van.md",
    "rule-kind-misplaced-tone": "samples/party36/bao-cao.md",
    "rule-kind-no-diacritics": "samples/party05/quyet-dinh.md",
    "rule-kind-not-a-kind": "samples/party05/ke-hoach.md",
    "rule-kind-sentence-case": "samples/state/quyet-dinh.md",
    "rule-kind-wrong-tone": "samples/party05/ke-hoach.md",
    "rule-paragraph-number-repeated": "samples/party36/cong-van.md",
    "rule-point-letter-skipped": "samples/state/quyet-dinh-chuthich.md",
    "rule-post-with-body-party": "samples/party05/bao-cao.md",
    "rule-post-with-body-state": "samples/state/cong-van.md",
    "rule-profile-date-05-before": "samples/party36/bao-cao.md",
    "rule-profile-date-36-after": "samples/party05/bao-cao.md",
    "rule-recipients-comma-state": "samples/state/cong-van.md",
    "rule-recipients-semicolon-36": "samples/party36/cong-van.md",
    "rule-regime-so-no-profile": "samples/state/cong-van.md",
    "rule-regime-ubnd-no-profile": "samples/state/ke-hoach.md",
    "rule-roman-heading-gap": "samples/state/bao-cao.md",
    "rule-signer-kt-no-dot": "samples/state/cong-van.md",
    "rule-signer-party-form-in-state": "samples/state/quyet-dinh.md",
    "rule-signer-state-form-in-party": "samples/party05/bao-cao.md",
    "rule-title-all-capitals": "samples/party05/bao-cao.md",
    "rule-title-small-letter-state": "samples/state/quyet-dinh.md",
    "rule-to-kinh-gui-typed": "samples/party36/cong-van.md",
    "rule-to-missing-cong-van": "samples/state/cong-van.md",
    "rule-to-trinh-no-kinh-trinh": "samples/party05/to-trinh.md",
}

# (rule, sample, old text, new text): a variant of a sample that the rule must let pass
PASSING = [
    ("kind.unknown", "samples/party36/giay-moi.md", None, None),              # GIẤY MỜI: other_kinds of 36-HD
    ("kind.unknown", "samples/state/quyet-dinh.md", "kind: QUYẾT ĐỊNH", "kind: THƯ CÔNG"),
    ("profile.date", "samples/party05/bao-cao.md", "parent: ", "profile: party-05-2026\nparent: "),
    ("profile.date", "samples/party05/bao-cao.md", "parent: ", "profile: party\nparent: "),
    ("regime.guess", "samples/party05/cong-van.md", None, None),
    ("regime.guess", "samples/party05/bao-cao.md", "issuer: ĐẢNG UỶ ĐẶC KHU PHÚ QUÝ", "issuer: ĐẢNG UỶ SỞ Y TẾ"),
    ("body.numbering", "samples/party36/cong-van.md", "\n3. Hồ sơ", "\n1. Hồ sơ"),     # a list may start again
    ("list.punctuation", "samples/party36/cong-van.md", "  - Như trên\n", "  - Như trên,\n"),  # the profile's own mark
    ("list.punctuation", "samples/state/cong-van.md", "  - Như trên\n", "  - Như trên;\n"),
    ("signer.post", "samples/party36/cong-van.md", None, None),                  # K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN
    ("signer.post", "samples/party36/giay-moi.md", None, None),                  # PHÓ CHÁNH VĂN PHÒNG
    ("title.case", "samples/196-BC-DUK.md", None, None),                         # Party: "Sơ kết …" (normal case)
    ("to.missing", "samples/party36/bao-cao.md", None, None),                   # a báo cáo needs no "Kính gửi"
    ("appendix.reference", "samples/state/bao-cao.md", None, None),             # "(*chi tiết tại Phụ lục I*)"
]

FINDING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*) "
                     r"\[(?P<id>[a-z0-9.-]+)\]$")


def env():
    e = P.test_env()
    e["LANGUAGE"] = "en"
    e.pop("LC_ALL", None)
    return e


def render(cli, path, cwd=None, show=False):
    out = os.path.join(tempfile.gettempdir(), "vb-rules-%d.pdf" % os.getpid())
    if os.path.exists(out):
        os.remove(out)
    cmd = [cli, "render", path, "-o", out] + (["--show-source"] if show else [])
    rc, so, se = P.run(cmd, cwd=cwd, env=env())
    made = os.path.exists(out)
    if made:
        os.remove(out)
    return rc, se, made


def findings(stderr):
    """The findings of a render's stderr: (line, col, sev, id, first line, fix text or None, caret range)."""
    out = []
    lines = stderr.split("\n")
    i = 0
    while i < len(lines):
        m = FINDING.match(lines[i])
        if not m:
            i += 1
            continue
        f = dict(line=int(m.group("line")), col=int(m.group("col")), sev=m.group("sev"), id=m.group("id"),
                 text=lines[i], fix=None, width=None)
        j = i + 1
        while j < len(lines) and lines[j].startswith(" ") and not FINDING.match(lines[j]):
            s = lines[j]
            c = re.match(r"^ +\| ( *)(\^~*)$", s)
            if c:
                f["width"] = len(c.group(2))
            fx = re.match(r"^  fix: replace with “(.*)”(?: \(.*\))?$", s)
            if fx:
                f["fix"] = fx.group(1).replace("\\n", "\n")
            j += 1
        out.append(f)
        i = j
    return out


def apply_fixes(text, fs):
    """text with each finding's fix put over its range (columns count characters; a point inserts)."""
    lines = text.split("\n")
    for f in sorted(fs, key=lambda f: (f["line"], f["col"]), reverse=True):
        if f["fix"] is None or f["width"] is None:
            continue
        k = f["line"] - 1
        ln = lines[k]
        a = f["col"] - 1
        b = a + (f["width"] if f["width"] > 1 or ln[a:a + 1] not in ("", "\n") else 1)
        if f["width"] == 1 and f["fix"].endswith("\n"):
            b = a  # an insertion (a point range): regime.guess's line
        lines[k] = ln[:a] + f["fix"] + ln[b:]
    return "\n".join(lines)


def check_catalogue(ck, cli):
    names = sorted(n[:-3] for n in os.listdir(CAT) if n.startswith("rule-") and n.endswith(".md"))
    ck.check("catalogue.count", len(names) >= 18, "%d cases" % len(names))
    ck.check("catalogue.mapped", sorted(CASES) == names, "unmapped: %r" % sorted(set(names) ^ set(CASES)))
    for n in names:
        want = open(os.path.join(CAT, n + ".expect"), encoding="utf-8").read().rstrip("\n").split("\n")
        rc, se, made = render(cli, n + ".md", cwd=CAT)
        got = [f["text"] for f in findings(se)]
        errors = any(" error: " in w for w in want)
        ck.check("catalogue.%s" % n, got == want and rc == (1 if errors else 0) and made == (not errors),
                 "rc %d, made %s, got %r" % (rc, made, got))


def check_fixes(ck, cli, tmp):
    for n in sorted(CASES):
        src = os.path.join(CAT, n + ".md")
        rc, se, _ = render(cli, src, show=True)
        fs = findings(se)
        fixed_ids = {f["id"] for f in fs if f["fix"] is not None}
        if not fixed_ids:
            continue
        text = apply_fixes(open(src, encoding="utf-8").read(), fs)
        path = os.path.join(tmp, n + ".md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc2, se2, _ = render(cli, path)
        left = [f["text"] for f in findings(se2) if f["id"] in fixed_ids]
        ck.check("fix.%s" % n, not left, "after the fixes of %s: %r" % (sorted(fixed_ids), left))


def check_passing(ck, cli, tmp):
    for s in sorted(set(CASES.values())):
        rc, se, made = render(cli, s)
        ck.check("passing.sample.%s" % s, rc == 0 and made and se == "", se.strip()[:300])
    for i, (rule, sample, old, new) in enumerate(PASSING):
        text = open(sample, encoding="utf-8").read()
        if old is not None:
            assert old in text, (sample, old)
            text = text.replace(old, new, 1)
        path = os.path.join(tmp, "pass%d.md" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, se, made = render(cli, path)
        bad = [f["text"] for f in findings(se) if f["id"] == rule]
        ck.check("passing.%s.%d" % (rule, i), not bad and made, "rc %d %r" % (rc, bad or se.strip()[:300]))


def check_kinds(ck, cli, tmp):
    # (sample, typed, the kind the fix names or None, severity)
    rows = [
        ("samples/party36/quyet-dinh.md", "QUYET DINH", "QUYẾT ĐỊNH", "error"),
        ("samples/party05/quyet-dinh.md", "Quyết định", "QUYẾT ĐỊNH", "error"),
        ("samples/state/quyet-dinh.md", "quyết định", "QUYẾT ĐỊNH", "error"),
        ("samples/state/bao-cao.md", "BÁO CAÓ", "BÁO CÁO", "error"),
        ("samples/party05/ke-hoach.md", "KỀ HOẠCH", "KẾ HOẠCH", "error"),
        ("samples/state/thong-bao.md", "THÔNG BÁ0", "THÔNG BÁO", "error"),
        ("samples/state/thong-bao.md", "THÔNG BÁO KẾT QUẢ", None, "error"),     # ND30's list is closed
        ("samples/party05/thong-bao.md", "THÔNG BÁO KẾT QUẢ", None, "warning"),  # 05-HD's is not
    ]
    for i, (sample, typed, want, sev) in enumerate(rows):
        text = re.sub(r"(?m)^kind: .*$", "kind: " + typed, open(sample, encoding="utf-8").read(), count=1)
        path = os.path.join(tmp, "kind%d.md" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, se, made = render(cli, path, show=True)
        fs = [f for f in findings(se) if f["id"] == "kind.unknown"]
        line = text[:text.index("kind: " + typed)].count("\n") + 1
        ok = len(fs) == 1 and fs[0]["line"] == line and fs[0]["col"] == 7 and fs[0]["sev"] == sev
        ok = ok and fs[0]["fix"] == want and fs[0]["width"] == len(typed)
        if want:
            ok = ok and ('did you mean "%s"?' % want) in fs[0]["text"]
        else:
            ok = ok and "no kind is near enough to suggest, so the kind in the number was not checked" in fs[0]["text"]
        ck.check("kinds.%d.%s" % (i, typed), ok and (made == (sev == "warning")), "%r" % se.strip()[:400])
    # the number is then checked against the suggested kind, and the message says so
    text = open("samples/party05/quyet-dinh.md", encoding="utf-8").read()
    text = re.sub(r"(?m)^kind: .*$", "kind: BAO CAO", text, count=1)
    path = os.path.join(tmp, "kindnum.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    rc, se, made = render(cli, path)
    ck.check("kinds.number_against_suggestion",
             'A BÁO CÁO (the kind suggested for "BAO CAO") is numbered with the abbreviation "BC", not "QĐ" '
             '(in "125-QĐ/ĐU"). [number.kind]' in se and rc == 1, se.strip()[:400])


def check_regime_option(ck, cli):
    """--profile names the regime: nothing is guessed; --profile state renders the Sở's công văn clean."""
    src = os.path.join(CAT, "rule-regime-so-no-profile.md")
    out = os.path.join(tempfile.gettempdir(), "vb-rules-opt-%d.pdf" % os.getpid())
    for prof, clean in (("state", True), ("party", False), ("party-05-2026", False)):
        rc, so, se = P.run([cli, "render", src, "-o", out, "--profile", prof], env=env())
        ids = [f["id"] for f in findings(se)]
        ok = "regime.guess" not in ids and (rc == 0 and se == "" if clean else rc == 1 and "number.form" in ids)
        ck.check("regime.option.%s" % prof, ok, se.strip()[:300])
        if os.path.exists(out):
            os.remove(out)


def check_profile_keys(ck, cli, tmp):
    cases = [
        ("kind_unknown", "  kind_unknown: warning", "  kind_unknown: maybe", "profile.value"),
        ("regime_signs.number", "    number: state\n", "    number: party\n", "profile.value"),
        ("title_case", "  title_case: normal ", "  title_case: upper ", "profile.value"),
        ("other_kinds", '  other_kinds: ["QUY HOẠCH"', '  other_kinds: ["BÁO CÁO"', "profile.value"),
    ]
    for key, old, new, rid in cases:
        d = os.path.join(tmp, "layouts-" + key.replace(".", "-"))
        shutil.copytree("layouts", d)
        p = os.path.join(d, "party-05-2026.yaml")
        text = open(p, encoding="utf-8").read()
        assert old in text, (key, old)
        line = text[:text.index(old)].count("\n") + 1
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        out = os.path.join(tmp, "k.pdf")
        rc, so, se = P.run([cli, "render", "samples/party05/bao-cao-chua-so.md", "-o", out, "--layouts", d,
                            "--profile", "party-05-2026"], env=env())
        ck.check("profile.%s" % key, rc == 1 and ("party-05-2026.yaml:%d:" % line) in se and ("[%s]" % rid) in se
                 and not os.path.exists(out), se.strip()[:300])


def c_strings(path):
    """The string literals of a C file, adjacent ones joined, unescaped."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    lit = r'"(?:[^"\\\n]|\\.)*"'
    out = []
    for m in re.finditer(r"(?:%s\s*)+" % lit, text):
        parts = re.findall(lit, m.group(0))
        s = "".join(p[1:-1] for p in parts)
        out.append(re.sub(r"\\(.)", lambda x: {"n": "\n", "t": "\t"}.get(x.group(1), x.group(1)), s))
    return out


def po_msgids(path):
    ids, cur, state = [], None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("msgid "):
            cur, state = line[6:], "id"
        elif line.startswith("msgstr "):
            ids.append(cur)
            state = "str"
        elif line.startswith('"') and state == "id":
            cur += line
    out = []
    for c in ids:
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', c)
        out.append(re.sub(r"\\(.)", lambda x: {"n": "\n"}.get(x.group(1), x.group(1)), "".join(parts)))
    return [i for i in out if i]


def check_po(ck):
    # the catalogue of every message is po/vi.po (test_check: each message of the sources has its
    # translation there); here: every message of the rule modules is one of its msgids
    po = "po/vi.po"
    srcs = ["src/profile/" + n for n in sorted(os.listdir("src/profile")) if n.startswith("rules_")]
    ids = po_msgids(po)
    rules = set()
    for p in srcs:
        rules.update(s for s in c_strings(p) if ("%" in s or s.endswith(".")) and " " in s)
    untranslated = sorted(rules - set(ids) - {"profile: %s\n"})  # the fix's YAML line, not a message
    ck.check("po.rules_translated", ids and not untranslated, "no msgid: %r" % untranslated[:3])
    if shutil.which("msgfmt"):
        rc, so, se = P.run(["msgfmt", "-c", "-o", os.devnull, po])
        ck.check("po.msgfmt", rc == 0, se.strip()[:300])


def main(argv):
    cli = os.path.abspath(argv[1]) if len(argv) > 1 else os.path.abspath("build/vanban")
    ck = P.Checker()
    tmp = tempfile.mkdtemp(prefix="vb-rules-")
    try:
        check_catalogue(ck, cli)
        check_fixes(ck, cli, tmp)
        check_passing(ck, cli, tmp)
        check_kinds(ck, cli, tmp)
        check_profile_keys(ck, cli, tmp)
        check_regime_option(ck, cli)
        check_po(ck)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
