#!/bin/sh
# bench_render.sh - how long and how much memory `vanban render` takes for the
# seed report, next to a minimal document (the start-up floor).
#
#   tests/bench/bench_render.sh [RUNS]        (cwd = project root; RUNS default 30)
#   VANBAN=path/to/vanban tests/bench/bench_render.sh
#
# Prints, per document: median, min and max wall time over RUNS renders (after
# one warm-up render), peak RSS (max of 3 runs under /usr/bin/time -f %M) and
# the PDF size, with the targets beside them. Nothing is asserted.
set -eu

RUNS=${1:-30}
VANBAN=${VANBAN:-build/vanban}
SEED=samples/196-BC-DUK.md

[ -x "$VANBAN" ] || { echo "bench_render.sh: no vanban at $VANBAN (build first, or set VANBAN)" >&2; exit 2; }
[ -f "$SEED" ] || { echo "bench_render.sh: run from the project root ($SEED not found)" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    echo "bench_render.sh: /usr/bin/time is missing (apt-get install time); peak RSS not measured" >&2
fi
# Same fonts as the tests, unless the caller chose a configuration.
if [ -z "${FONTCONFIG_FILE:-}" ] && [ -f tests/fonts.conf ]; then
    FONTCONFIG_FILE=$PWD/tests/fonts.conf
    export FONTCONFIG_FILE
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vb-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# The floor: a front matter and one paragraph.
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

python3 - "$VANBAN" "$RUNS" "$TMP" "$SEED" "$TMP/minimal.md" <<'PY'
import os, statistics, subprocess, sys, time
vanban, runs, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = [("seed", sys.argv[4]), ("minimal", sys.argv[5])]


def render(src, out, prefix=()):
    p = subprocess.run(list(prefix) + [vanban, "render", src, "-o", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("bench_render.sh: render of %s failed (rc %d): %s" % (src, p.returncode, p.stderr.decode()[-300:]))
    return p


res = {}
for name, src in docs:
    out = os.path.join(tmp, name + ".pdf")
    render(src, out)  # warm-up: font cache, page cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        render(src, out)
        times.append((time.perf_counter() - t0) * 1000.0)
    rss = None
    if os.access("/usr/bin/time", os.X_OK):
        vals = []
        for _ in range(3):
            p = render(src, out, ["/usr/bin/time", "-f", "%M"])
            vals.append(int(p.stderr.decode().strip().splitlines()[-1]))
        rss = max(vals) / 1024.0
    res[name] = (statistics.median(times), min(times), max(times), rss, os.path.getsize(out))

rows = [
    ("runs", lambda r: "%d" % runs, ""),
    ("median wall time", lambda r: "%.1f ms" % r[0], "<= 20 ms"),
    ("min / max", lambda r: "%.1f / %.1f ms" % (r[1], r[2]), ""),
    ("peak RSS", lambda r: "n/a" if r[3] is None else "%.1f MiB" % r[3], "<= 20 MiB"),
    ("PDF size", lambda r: "%.1f KB (%d B)" % (r[4] / 1000.0, r[4]), "<= 70 KB"),
]
print("%-18s %-24s %-24s %s" % ("", "seed 196-BC-DUK", "minimal (floor)", "target (seed)"))
for label, f, target in rows:
    print("%-18s %-24s %-24s %s" % (label, f(res["seed"]), f(res["minimal"]), target))
s, m = res["seed"], res["minimal"]
print("%-18s %-24s" % ("seed over floor", "+%.1f ms, +%s, +%.1f KB" % (
    s[0] - m[0], "n/a" if s[3] is None else "%.1f MiB" % (s[3] - m[3]), (s[4] - m[4]) / 1000.0)))
PY
