#!/usr/bin/env python3
"""vanban check: output, caret ranges, JSON, --fix (atomic), exit codes, languages, the catalogue of messages.

    python3 tests/test_check.py build/vanban      (cwd = project root)

Each check runs the CLI as a user would; the documents are the catalogue's (tests/clerk-mistakes/).
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

CM = os.path.join("tests", "clerk-mistakes")


def env_for(lang="en", **extra):
    env = P.test_env()
    for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        env.pop(k, None)
    if lang:
        env["LANGUAGE"] = lang
    env.update(extra)
    return env


def run(cli, args, cwd=".", env=None, pre=()):
    p = subprocess.run(list(pre) + [os.path.abspath(cli)] + args, cwd=cwd, env=env or env_for(), capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def copy_case(tmp, name, new=None):
    dst = os.path.join(tmp, (new or name) + ".md")
    shutil.copyfile(os.path.join(CM, name + ".md"), dst)
    return dst


def main(argv):
    ck = P.Checker()
    cli = P.find_cli(argv)
    if not ck.check("cli.present", cli is not None, cli or "no vanban CLI"):
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-check-")
    try:
        body(ck, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def body(ck, cli, tmp):
    good = "samples/party36/bao-cao.md"
    # ---- exit codes
    rc, out, err = run(cli, ["check", good])
    ck.check("exit.clean", rc == 0 and out == "" and err == "", "rc %d, %r %r" % (rc, out[:100], err[:100]))
    rc, out, _ = run(cli, ["check", os.path.join(CM, "check-number-zero.md")])
    ck.check("exit.error", rc == 1, "rc %d" % rc)
    warn = os.path.join(CM, "issue-no-title.md")
    rc, out, _ = run(cli, ["check", warn])
    ck.check("exit.warning", rc == 0 and "warning:" in out, "rc %d" % rc)
    rc, out, _ = run(cli, ["check", "--strict", warn])
    ck.check("exit.strict", rc == 1 and "error: The document has no title" in out, "rc %d: %s" % (rc, out[:120]))
    rc, out, _ = run(cli, ["check", "no-such-file.md", good])
    ck.check("exit.unreadable", rc == 2 and out.startswith("no-such-file.md: error: ") and "in 2 files" in out,
             "rc %d: %r" % (rc, out[:160]))
    for args, what in ((["check"], "no file"), (["check", "--format", "xml", good], "bad format"),
                       (["check", "--frobnicate", good], "unknown option")):
        rc, out, err = run(cli, args)
        ck.check("exit.usage." + what.replace(" ", "-"), rc == 2 and err and not out, "rc %d %r" % (rc, err[:80]))

    # ---- several files: each checked, one summary at the end
    files = [os.path.join(CM, n + ".md") for n in ("check-two-errors", "issue-no-title", "check-number-zero")]
    rc, out, _ = run(cli, ["check", "--no-source"] + files)
    lines = out.splitlines()
    ck.check("several.summary", lines[-1] == "4 errors, 1 warning in 3 files" and len(lines) == 6 and rc == 1,
             repr(lines[-1:]))
    ck.check("several.order", [l.split(":")[0] for l in lines[:-1]] == [files[0]] * 3 + [files[1], files[2]],
             "findings grouped by file, in the order given")

    # ---- the source line and the caret under the exact range; the fix line after it
    rc, out, _ = run(cli, ["check", os.path.join(CM, "check-number-so.md")])
    lines = out.splitlines()
    want = ["    5 | number: Số 215-BC/ĐUK", "      |         ^" + "~" * 12, "  fix: replace with “215-BC/ĐUK” "
            "(the number without \"Số\" and \":\")"]
    ck.check("caret.range", lines[1:4] == want, "\n".join(lines[:4]))
    rc, out, _ = run(cli, ["check", os.path.join(CM, "issue-placeholder-date.md")])
    lines = out.splitlines()
    # "ngày … tháng … năm": 18 characters from column 22 (… is one character of three bytes)
    ck.check("caret.multibyte", len(lines) > 2 and lines[2] == "      |" + " " * 22 + "^" + "~" * 17, repr(lines[2:3]))
    rc, out, _ = run(cli, ["check", "--no-source", os.path.join(CM, "check-number-so.md")])
    ck.check("caret.no-source", len(out.splitlines()) == 2, repr(out))

    # ---- JSON: one document, every field, for editors and CI
    rc, out, _ = run(cli, ["check", "--format", "json", "no-such-file.md"] + files)
    try:
        doc = json.loads(out)
        ok = True
    except ValueError as e:
        doc, ok = None, False
        ck.check("json.parses", False, "%s: %r" % (e, out[:200]))
    if ok:
        fields = {"file", "line", "col", "end_line", "end_col", "severity", "id", "message", "fix", "fix_note", "fix_safe"}
        fs = doc["findings"]
        ck.check("json.parses", doc["version"] == 1 and doc["files"] == ["no-such-file.md"] + files and rc == 2,
                 "version 1, %d files, rc %d" % (len(doc["files"]), rc))
        ck.check("json.fields", all(set(f) == fields for f in fs) and len(fs) == 6,
                 "%d findings with %s" % (len(fs), sorted(fields)))
        ck.check("json.counts", doc["errors"] == 5 and doc["warnings"] == 1, "%d errors %d warnings" % (doc["errors"], doc["warnings"]))
        z = [f for f in fs if f["id"] == "number.zero"]
        ck.check("json.range", z and z[0]["line"] == 5 and z[0]["col"] == 9 and z[0]["end_line"] == 5 and
                 z[0]["end_col"] == 17 and z[0]["fix"] == "05-BC/ĐUK" and z[0]["fix_safe"] is True, repr(z[:1]))
        t = [f for f in fs if f["id"] == "issue.title"]
        ck.check("json.nofix", t and t[0]["fix"] is None and t[0]["fix_note"] is None and t[0]["severity"] == "warning",
                 repr(t[:1]))
        ck.check("json.unreadable", fs[0]["file"] == "no-such-file.md" and fs[0]["severity"] == "error", repr(fs[0]))
    rc, out, _ = run(cli, ["check", "--format", "json", "--lang", "vi", files[1]])
    ck.check("json.vi", json.loads(out)["findings"][0]["message"].startswith("Văn bản chưa có trích yếu")
             and json.loads(out)["findings"][0]["severity"] == "warning", out[:200])

    # ---- --fix: in place, atomically, the mode kept, several rounds; then what is left
    src = copy_case(tmp, "check-number-so-zero")
    os.chmod(src, 0o640)
    rc, out, _ = run(cli, ["check", "--fix", src])
    text = open(src, encoding="utf-8").read()
    ck.check("fix.applied", "number: 07-BC/ĐUK\n" in text and rc == 0 and "2 fixes applied" in out, "rc %d %r" % (rc, out))
    ck.check("fix.mode", stat.S_IMODE(os.stat(src).st_mode) == 0o640, oct(os.stat(src).st_mode))
    ck.check("fix.no-temp", sorted(os.listdir(tmp)) == ["check-number-so-zero.md"], repr(os.listdir(tmp)))
    rc, out, _ = run(cli, ["check", src])
    ck.check("fix.clean-after", rc == 0 and out == "", repr(out[:200]))
    # a guessed fix is never applied: a document with warnings only is left as it was
    src2 = copy_case(tmp, "issue-placeholder-name")
    before = open(src2, "rb").read()
    rc, out, _ = run(cli, ["check", "--fix", src2])
    ck.check("fix.nothing", open(src2, "rb").read() == before and "applied" not in out, repr(out[:120]))
    # a folder the fixes cannot be written to: exit 2, the file unchanged, nothing left beside it
    rod = os.path.join(tmp, "ro")
    os.mkdir(rod)
    src3 = copy_case(rod, "check-number-zero")
    before = open(src3, "rb").read()
    os.chmod(src3, 0o644)
    os.chmod(rod, 0o555)
    os.chmod(tmp, 0o755)
    pre = ()
    if os.geteuid() == 0:  # root writes anywhere: run as nobody, for whom the folder is read-only
        pre = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    try:
        rc, out, err = run(cli, ["check", "--fix", "--no-source", src3], pre=pre)
    finally:
        os.chmod(rod, 0o755)
    ck.check("fix.readonly", rc == 2 and open(src3, "rb").read() == before and os.listdir(rod) == [
        "check-number-zero.md"] and "[io.write]" in out and "[number.zero]" in out, "rc %d %r %r" % (rc, out, err[:200]))

    # ---- languages: --lang, LANG/LC_ALL naming an uninstalled Vietnamese locale, LANGUAGE first
    case = os.path.join(CM, "check-number-zero.md")
    en = "error: Numbers below 10 are written with a leading zero"
    vi = "lỗi: Số thứ tự nhỏ hơn 10 phải viết thêm số 0 ở đầu"
    for label, args, env, want_vi in (
            ("lang-vi", ["--lang", "vi"], env_for(None), True),
            ("lang-en", ["--lang", "en"], env_for("vi"), False),
            ("LANG", [], env_for(None, LANG="vi_VN.UTF-8"), True),
            ("LC_ALL", [], env_for(None, LC_ALL="vi_VN"), True),
            ("LC_MESSAGES", [], env_for(None, LC_MESSAGES="vi"), True),
            ("LANGUAGE-first", [], env_for("en", LANG="vi_VN.UTF-8"), False),
            ("default", [], env_for(None), False)):
        rc, out, _ = run(cli, ["check", "--no-source"] + args + [case], env=env)
        ck.check("lang." + label, (vi in out) if want_vi else (en in out), out.splitlines()[0] if out else "")
    rc, out, _ = run(cli, ["check", "--help", "--lang", "vi"])
    ck.check("lang.help", out.startswith("Cách dùng: vanban check"), out[:40])
    rc, out, _ = run(cli, ["check", "--no-source", "--lang", "vi", "--strict", os.path.join(CM, "issue-no-signer.md")])
    ck.check("lang.summary", out.splitlines()[-1] == "1 lỗi, 0 cảnh báo trong 1 tệp" and "[issue.signer_name]" in out,
             repr(out.splitlines()[-1:]))

    # ---- render: every error at once; fit to issue a warning, an error with --strict
    pdf = os.path.join(tmp, "out.pdf")
    rc, out, err = run(cli, ["render", os.path.join(CM, "check-two-errors.md"), "-o", pdf])
    ck.check("render.all-errors", rc == 1 and len([l for l in err.splitlines() if ": error: " in l]) == 3
             and not os.path.exists(pdf), "rc %d, %d error lines" % (rc, err.count(": error: ")))
    rc, out, err = run(cli, ["render", os.path.join(CM, "issue-no-signer-name.md"), "-o", pdf])
    ck.check("render.fit-warning", rc == 0 and os.path.isfile(pdf) and "warning: The signer has no name" in err,
             "rc %d %r" % (rc, err[:120]))
    os.unlink(pdf)
    rc, out, err = run(cli, ["render", "--strict", os.path.join(CM, "issue-no-signer-name.md"), "-o", pdf])
    ck.check("render.fit-strict", rc == 1 and not os.path.exists(pdf) and "error: The signer has no name" in err,
             "rc %d %r" % (rc, err[:120]))

    # ---- vanban issue: fit to issue, always. The render notes what its source lacked (/VanbanUnfit) and
    # issue refuses that PDF; the same document with its trích yếu issues
    import signfixture as F
    pki = os.path.join(tmp, "pki")
    os.mkdir(pki)
    F.make_pki(pki)
    p12 = ["--p12", os.path.join(pki, "body.p12"), "--password-file", os.path.join(pki, "pw.txt")]
    with open("samples/state/cong-van-chua-so.md", encoding="utf-8") as f:
        text = f.read()
    untitled = re.sub(r"(?m)^title:.*\n", "", text)
    results = {}
    for label, t in (("fit", text), ("untitled", untitled)):
        d = os.path.join(tmp, label)
        os.mkdir(d)
        with open(os.path.join(d, "cv.md"), "w", encoding="utf-8") as f:
            f.write(t)
        rc_r, _, err_r = run(cli, ["render", "--layouts", os.path.abspath("layouts"), "cv.md", "-o", "cv.pdf"], cwd=d)
        rc_i, _, err_i = run(cli, ["issue", "--layouts", os.path.abspath("layouts"), "cv.pdf", "-o", "issued.pdf",
                                   "--number", "15", "--date", "2026-09-18"] + p12, cwd=d)
        results[label] = (rc_r, err_r, rc_i, err_i, os.path.exists(os.path.join(d, "issued.pdf")),
                          b"/VanbanUnfit" in open(os.path.join(d, "cv.pdf"), "rb").read())
    r = results["fit"]
    ck.check("issue.fit-issued", r[0] == 0 and r[2] == 0 and r[4] and not r[5], "render %d, issue %d %r" % (r[0], r[2], r[3][:200]))
    r = results["untitled"]
    ck.check("issue.unfit-refused", r[0] == 0 and "[issue.title]" in r[1] and r[5] and r[2] == 1 and not r[4] and
             "[issue.title]" in r[3] and "not ready to be issued" in r[3], "render %d, issue %d %r" % (r[0], r[2], r[3][:300]))

    # ---- the catalogue of messages: every message of the sources has a Vietnamese translation
    pot = os.path.join(tmp, "fresh.pot")
    p = subprocess.run(["sh", "po/make-pot.sh", pot], capture_output=True)
    ck.check("po.pot", p.returncode == 0 and os.path.getsize(pot) > 10000, p.stderr.decode()[:200])
    merged = os.path.join(tmp, "merged.po")
    p = subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "po/vi.po", pot, "-o", merged], capture_output=True)
    s = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", merged], capture_output=True)
    stats = s.stderr.decode()
    m = re.match(r"(\d+) translated messages?\.$", stats.strip())
    ck.check("po.complete", p.returncode == 0 and s.returncode == 0 and m is not None and int(m.group(1)) >= 450,
             stats.strip() + ("" if m else "  (untranslated or fuzzy messages: translate them in po/vi.po)"))
    def messages(path):  # the pot without its "#:" references, which move with every edit of a source
        with open(path, encoding="utf-8") as f:
            return "\n".join(l for l in f.read().splitlines() if not l.startswith("#:"))
    fresh, kept = messages(pot), messages("po/vanban.pot")
    ck.check("po.pot-current", fresh == kept, "po/vanban.pot is what po/make-pot.sh makes" if fresh == kept else
             "po/vanban.pot is out of date: run sh po/make-pot.sh")
    mo = os.path.join(os.path.dirname(os.path.abspath(cli)), "locale", "vi", "LC_MESSAGES", "vanban.mo")
    ck.check("po.mo-built", os.path.isfile(mo), mo)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
