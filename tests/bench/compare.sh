#!/bin/sh
# compare.sh - this tree's `vanban render` against the previous release, built in the same run.
#
#   tests/bench/compare.sh [RUNS]          (cwd = project root; RUNS default 20)
#   BASE=<commit> tests/bench/compare.sh   (default 30bb690, the release before issue 10)
#   VANBAN=path/to/vanban tests/bench/compare.sh
#
# Builds BASE in a git worktree under a temporary folder (RelWithDebInfo, the
# CLI target only), then measures both builds on the seed report and on a
# minimal document: callgrind instructions of the whole process (the stable
# figure), median wall time of RUNS renders (after one warm-up), peak RSS (max
# of 3 runs under /usr/bin/time) and PDF size; prints them with the ratios.
# Each build runs with its own layouts folder; both use tests/fonts.conf
# unless FONTCONFIG_FILE is set. Nothing is asserted: timings depend on the
# machine. Needs git, cmake, valgrind, python3 and /usr/bin/time.
set -eu

RUNS=${1:-20}
BASE=${BASE:-30bb690}
VANBAN=${VANBAN:-build/vanban}
SEED=samples/196-BC-DUK.md

[ -f "$SEED" ] || { echo "compare.sh: run from the project root ($SEED not found)" >&2; exit 2; }
[ -x "$VANBAN" ] || { echo "compare.sh: no vanban at $VANBAN (build first, or set VANBAN)" >&2; exit 2; }
for t in git cmake valgrind python3; do
    command -v "$t" >/dev/null || { echo "compare.sh: $t is missing" >&2; exit 2; }
done
if [ -z "${FONTCONFIG_FILE:-}" ] && [ -f tests/fonts.conf ]; then
    FONTCONFIG_FILE=$PWD/tests/fonts.conf
    export FONTCONFIG_FILE
fi

ROOT=$PWD
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vb-compare.XXXXXX")
cleanup() {
    git -C "$ROOT" worktree remove --force "$TMP/base" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

echo "compare.sh: building $BASE in $TMP/base ..." >&2
git -C "$ROOT" worktree add --detach "$TMP/base" "$BASE" >/dev/null 2>&1 ||
    { echo "compare.sh: cannot check out $BASE" >&2; exit 2; }
cmake -S "$TMP/base" -B "$TMP/base/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$TMP/base/build" --target vanban_cli -j2 >/dev/null
BASE_CLI=$TMP/base/build/vanban
[ -x "$BASE_CLI" ] || { echo "compare.sh: the build of $BASE made no vanban" >&2; exit 2; }

# The floor: a front matter and one paragraph (as bench_render.sh).
cat > "$TMP/minimal.md" <<'DOC'
---
parent: ĐẢNG BỘ TỈNH THANH HOÁ
issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH
number: 01-BC/ĐUK
place: Thanh Hoá
date: 2023-07-06
---

Một đoạn văn ngắn.
DOC

python3 - "$RUNS" "$TMP" "$BASE" "$BASE_CLI" "$TMP/base/layouts" "$ROOT/$VANBAN" "$ROOT/layouts" \
    "$ROOT/$SEED" "$TMP/minimal.md" <<'PY'
import os, re, statistics, subprocess, sys, time

runs, tmp, base_rev = int(sys.argv[1]), sys.argv[2], sys.argv[3]
builds = [("base " + base_rev, sys.argv[4], sys.argv[5]), ("this tree", sys.argv[6], sys.argv[7])]
docs = [("seed", sys.argv[8]), ("minimal", sys.argv[9])]
# Typst 0.10 CLI on the same seed report (../shared/notes/peers.md): it is not installed here
TYPST_SEED_MS = 215.0


def cmd(cli, layouts, src, out):
    return [cli, "render", src, "-o", out, "--layouts", layouts]


def render(argv, prefix=()):
    p = subprocess.run(list(prefix) + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("compare.sh: %s failed (rc %d): %s" % (" ".join(argv), p.returncode, p.stderr.decode()[-300:]))
    return p


res = {}
for dname, src in docs:
    argvs = {}
    for bname, cli, layouts in builds:
        out = os.path.join(tmp, "%s-%s.pdf" % (dname, bname.split()[0]))
        argv = argvs[bname] = cmd(cli, layouts, src, out)
        p = render(argv, ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"])
        m = re.search(r"Collected : (\d+)", p.stderr.decode())
        rss = None
        if os.access("/usr/bin/time", os.X_OK):
            vals = []
            for _ in range(3):
                q = render(argv, ["/usr/bin/time", "-f", "%M"])
                vals.append(int(q.stderr.decode().strip().splitlines()[-1]))
            rss = max(vals) / 1024.0
        render(argv)  # warm-up
        res[(bname, dname)] = dict(instr=int(m.group(1)) if m else None, rss=rss, size=os.path.getsize(out), t=[])
    # the two builds in turns, so that a change in the machine's load hits both alike
    for _ in range(runs):
        for bname, _, _ in builds:
            t0 = time.perf_counter()
            render(argvs[bname])
            res[(bname, dname)]["t"].append((time.perf_counter() - t0) * 1000.0)
    for bname, _, _ in builds:
        res[(bname, dname)]["ms"] = statistics.median(res[(bname, dname)]["t"])


def fmt(key, v):
    if v is None:
        return "n/a"
    return {"instr": "%.1f M" % (v / 1e6), "ms": "%.1f ms" % v, "rss": "%.1f MiB" % v,
            "size": "%.1f KB" % (v / 1000.0)}[key]


labels = [("instr", "instructions (callgrind)"), ("ms", "median wall time (%d runs)" % runs),
          ("rss", "peak RSS"), ("size", "PDF size")]
b0, b1 = builds[0][0], builds[1][0]
for dname, _ in docs:
    print("\n%s" % ("seed report (samples/196-BC-DUK.md)" if dname == "seed" else "minimal document (the floor)"))
    print("  %-28s %14s %14s %10s" % ("", b0, b1, "base/this"))
    for key, label in labels:
        a, b = res[(b0, dname)][key], res[(b1, dname)][key]
        ratio = "%.2fx" % (a / b) if a is not None and b else "n/a"
        print("  %-28s %14s %14s %10s" % (label, fmt(key, a), fmt(key, b), ratio))
s = res[(b1, "seed")]
print("\nseed, this tree: %.1f M instructions (target <= 65 M), %.1f KB (target <= 70 KB), "
      "%.1fx faster than the Typst 0.10 CLI's %.0f ms (peers.md; target >= 15x)"
      % (s["instr"] / 1e6 if s["instr"] else float("nan"), s["size"] / 1000.0, TYPST_SEED_MS / s["ms"], TYPST_SEED_MS))
PY
