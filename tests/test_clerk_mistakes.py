#!/usr/bin/env python3
"""The clerk-mistakes catalogue (tests/clerk-mistakes/README.md) and the samples, through `vanban check`.

    python3 tests/test_clerk_mistakes.py build/vanban      (cwd = project root)

For every tests/clerk-mistakes/NAME.md:
  - `vanban check --no-source NAME.md`, run inside the folder with LANGUAGE=en, prints exactly the lines
    of NAME.expect (the first line of each finding, in order), and nothing else but the summary;
  - with LANGUAGE=vi the same findings come at the same places with the same rule ids, each with a
    message other than the English one (translated), and "lỗi"/"cảnh báo" for error/warning;
  - when a finding has a safe fix (--format json, fix_safe), `vanban check --fix` on a copy rewrites it
    and the copy then checks clean of every finding that had a safe fix.
Every sample document (samples/*.md, samples/*/*.md that are not batch templates or READMEs) checks
clean: no error, no warning, exit status 0.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

FOLDER = os.path.join("tests", "clerk-mistakes")
FINDING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<sev>error|warning|lỗi|cảnh báo): "
                     r"(?P<msg>.*) \[(?P<id>[a-z0-9_.-]+)\]$")
SUMMARY = re.compile(r"^\d+ (errors?|lỗi), \d+ (warnings?|cảnh báo) (in|trong) \d+ (files?|tệp)$")


def env_for(lang):
    env = P.test_env()
    for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        env.pop(k, None)
    env["LANGUAGE"] = lang
    return env


def run(cli, args, cwd, lang="en"):
    p = subprocess.run([os.path.abspath(cli)] + args, cwd=cwd, env=env_for(lang), capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def findings(out):
    """The finding lines of a --no-source run, and the lines that are neither findings nor the summary."""
    lines = [l for l in out.splitlines() if l]
    return [l for l in lines if FINDING.match(l)], [l for l in lines if not FINDING.match(l) and not SUMMARY.match(l)]


def key(line):
    m = FINDING.match(line)
    return (m.group("file"), m.group("line"), m.group("col"), m.group("id"))


def check_case(ck, cli, name):
    src = name + ".md"
    with open(os.path.join(FOLDER, name + ".expect"), encoding="utf-8") as f:
        want = [l for l in f.read().splitlines() if l]
    rc, out, err = run(cli, ["check", "--no-source", src], FOLDER)
    got, other = findings(out)
    ck.check(name + ".en", got == want and not other and rc in (0, 1),
             "rc %d, %d findings as expected" % (rc, len(got)) if got == want else
             "rc %d\n  want %s\n  got  %s\n  other %s %s" % (rc, want, got, other, err.strip()[:200]))
    ck.check(name + ".has-finding", len(want) > 0, "%d finding(s)" % len(want))
    # the exit status: 1 with an error, 0 with warnings only
    has_error = any(FINDING.match(l).group("sev") == "error" for l in want)
    ck.check(name + ".exit", rc == (1 if has_error else 0), "rc %d with%s an error" % (rc, "" if has_error else "out"))

    rc_vi, out_vi, _ = run(cli, ["check", "--no-source", src], FOLDER, lang="vi")
    vi, other_vi = findings(out_vi)
    same_places = [key(l) for l in vi] == [key(l) for l in got]
    en_msgs = [FINDING.match(l).group("msg") for l in got]
    vi_msgs = [FINDING.match(l).group("msg") for l in vi]
    translated = same_places and all(a != b for a, b in zip(en_msgs, vi_msgs))
    words = all(FINDING.match(l).group("sev") in ("lỗi", "cảnh báo") for l in vi)
    ck.check(name + ".vi", same_places and translated and words and rc_vi == rc and not other_vi,
             "%d findings, same ids and places, messages translated" % len(vi) if translated else
             "places %s, words %s, rc %d/%d\n  en %s\n  vi %s" % (same_places, words, rc, rc_vi, got, vi))

    rc_j, out_j, _ = run(cli, ["check", "--format", "json", src], FOLDER)
    try:
        doc = json.loads(out_j)
    except ValueError as e:
        ck.check(name + ".json", False, "not JSON: %s: %r" % (e, out_j[:200]))
        return 0
    ck.check(name + ".json", len(doc["findings"]) == len(want) and doc["files"] == [src],
             "%d findings in JSON" % len(doc["findings"]))
    safe = [f for f in doc["findings"] if f["fix_safe"]]
    if not safe:
        return 0
    tmp = tempfile.mkdtemp(prefix="vb-clerk-")
    try:
        copy = os.path.join(tmp, src)
        shutil.copyfile(os.path.join(FOLDER, src), copy)
        before = open(copy, "rb").read()
        rc_f, out_f, _ = run(cli, ["check", "--fix", "--no-source", src], tmp)
        after = open(copy, "rb").read()
        rc_a, out_a, _ = run(cli, ["check", "--format", "json", src], tmp)
        left = json.loads(out_a)["findings"]
        fixed_ids = {(f["id"], f["line"]) for f in safe}
        still = [f for f in left if (f["id"], f["line"]) in fixed_ids or f["fix_safe"]]
        ck.check(name + ".fix", after != before and not still and "fix" in out_f and sorted(os.listdir(tmp)) == [src],
                 "%d safe fix(es) applied, %d finding(s) left, none of them fixable" % (len(safe), len(left))
                 if not still else "still there: %s" % still)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1


def samples():
    out = []
    for p in sorted(glob.glob("samples/*.md") + glob.glob("samples/*/*.md")):
        if os.path.basename(p) == "README.md":
            continue
        with open(p, encoding="utf-8") as f:
            if "{{" in f.read():  # a batch template: vanban batch makes its documents
                continue
        out.append(p)
    return out


def main(argv):
    ck = P.Checker()
    cli = P.find_cli(argv)
    if not ck.check("cli.present", cli is not None, cli or "no vanban CLI"):
        return ck.done()
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(FOLDER, "*.md")) if not p.endswith("README.md"))
    ck.check("catalogue.expect", all(os.path.isfile(os.path.join(FOLDER, n + ".expect")) for n in names),
             "every case has its .expect")
    ck.check("catalogue.no-stray", all(os.path.isfile(os.path.join(FOLDER, p[:-7] + ".md"))
                                       for p in os.listdir(FOLDER) if p.endswith(".expect")), "no .expect without its .md")
    own = [n for n in names if n.startswith(("check-", "issue-"))]
    ck.check("catalogue.own", len(own) >= 12, "%d check-/issue- cases of %d in all" % (len(own), len(names)))
    fixes = 0
    for n in names:
        fixes += check_case(ck, cli, n)
    ck.check("catalogue.fixes", fixes >= 4, "%d cases fixed by --fix and checked again" % fixes)

    docs = samples()
    rc, out, err = run(cli, ["check", "--format", "json"] + docs, ".")
    try:
        res = json.loads(out)
        left = ["%s:%d:%d %s" % (f["file"], f["line"], f["col"], f["id"]) for f in res["findings"]]
    except ValueError:
        res, left = None, ["not JSON: %r %r" % (out[:200], err[:200])]
    ck.check("samples.clean", rc == 0 and res is not None and not left and len(res["files"]) == len(docs) >= 40,
             "%d samples, no finding" % len(docs) if not left else "rc %d: %s" % (rc, left[:10]))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
