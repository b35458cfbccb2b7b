#!/usr/bin/env python3
"""No leak and no memory error on any sample, under valgrind.

    python3 tests/test_leaks.py build/vanban      (cwd = project root)

Renders every samples/**/*.md with
    valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
and asserts each render succeeds with no valgrind error and no definitely lost
block. The fuzz replayers (build/regress_fuzz_*, next to the CLI) run under
valgrind too, over tests/regress/: the error paths of the inputs that once
crashed, checked for leaks and for reads of uninitialised memory, which ASan
does not see. Skipped (with a message, exit 0) when valgrind is not installed or the
CLI is built with AddressSanitizer (valgrind cannot run it; LeakSanitizer
checks every test of that build instead).
"""
import concurrent.futures
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

VALGRIND = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=9",
            "--num-callers=30"]
LOST = re.compile(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks")
ERRORS = re.compile(r"ERROR SUMMARY: (\d+) errors")


def samples():
    out = []
    for d, _, files in os.walk("samples"):
        out += [os.path.join(d, f) for f in files if f.endswith(".md")]
    return sorted(out)


def is_asan(cli):
    with open(cli, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"libasan.so" in data


def check_one(cli, src, tmp):
    out = os.path.join(tmp, src.replace(os.sep, "_") + ".pdf")
    env = P.test_env()
    env.pop("SOURCE_DATE_EPOCH", None)
    rc, _, err = P.run(VALGRIND + [cli, "render", src, "-o", out], env=env, timeout=900)
    lost = LOST.search(err)
    errors = ERRORS.search(err)
    return src, rc, err, (int(lost.group(1).replace(",", "")) if lost else 0), (int(errors.group(1)) if errors else -1)


def main():
    ck = P.Checker()
    cli = P.find_cli(sys.argv)
    if not cli:
        print("vanban CLI not found")
        return 1
    if not shutil.which("valgrind"):
        print("SKIP  valgrind is not installed (apt-get install valgrind); no leak check run")
        return 0
    if is_asan(cli):
        print("SKIP  %s is built with AddressSanitizer; LeakSanitizer checks this build instead" % cli)
        return 0
    srcs = samples()
    ck.check("there are samples to render", len(srcs) > 0, "" if srcs else "none under samples/")
    with tempfile.TemporaryDirectory(prefix="vb-leaks-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for src, rc, err, lost, errors in pool.map(lambda s: check_one(cli, s, tmp), srcs):
                detail = ""
                if rc != 0:
                    tail = [l for l in err.splitlines() if l.strip()][-25:]
                    detail = "exit %d\n    " % rc + "\n    ".join(tail)
                ck.check("%s: renders under valgrind, no error, no definite leak (%d errors, %d bytes lost)"
                         % (src, max(errors, 0), lost), rc == 0 and errors == 0 and lost == 0, detail)
        # the fuzz replayers over the regression inputs (error paths)
        jobs = []
        for h in ("fuzz_source", "fuzz_table", "fuzz_profile", "fuzz_render", "fuzz_font", "fuzz_png",
                  "fuzz_data"):
            exe = os.path.join(os.path.dirname(cli), "regress_" + h)
            inputs = os.path.join("tests", "regress", h)
            if os.path.isfile(exe) and os.path.isdir(inputs):
                jobs.append((h, [exe, inputs]))
            else:
                ck.note("no %s or %s: not checked" % (exe, inputs))

        def replay(job):
            rc, out, err = P.run(VALGRIND + job[1], env=P.test_env(), timeout=1200)
            return job[0], rc, out, err

        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for h, rc, out, err in pool.map(replay, jobs):
                lost = LOST.search(err)
                errors = ERRORS.search(err)
                n = re.search(r"replayed (\d+) inputs", out)
                detail = ""
                if rc != 0:
                    tail = [l for l in (out + err).splitlines() if l.strip()][-25:]
                    detail = "exit %d\n    " % rc + "\n    ".join(tail)
                ck.check("regress_%s over tests/regress/%s (%s inputs): no valgrind error, no definite leak"
                         % (h, h, n.group(1) if n else "?"),
                         rc == 0 and errors and int(errors.group(1)) == 0 and
                         (not lost or int(lost.group(1).replace(",", "")) == 0), detail)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
