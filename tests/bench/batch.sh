#!/bin/sh
# batch.sh - `vanban batch` on the 1,117 chi bộ reports of samples/batch (3 pages each):
# documents per second with -j1 and -j2, peak RSS, the scaling from 1 to 2 threads, the same
# rows rendered one process per document, and memory over 200 and 1,117 rows, in one run.
#
#   tests/bench/batch.sh [RUNS]          (cwd = project root; RUNS of each batch, default 1: the median is shown)
#   VANBAN=path/to/vanban tests/bench/batch.sh
#   ROWS=1117 SMALL=200 SAMPLE=100 tests/bench/batch.sh
#
# The data come from samples/batch/gen.py (seed 196) into a temporary folder: ROWS rows (default
# 1,117 chi bộ under 121 organisations) and SMALL rows (default 200) as CSV. The one-process
# figure renders SAMPLE rows (default 100, spread over the set) each as its own one-row CSV
# through `vanban batch` (a process start, the template, the fonts and the profile per document),
# one at a time and two at a time, and extrapolates to ROWS. Peak RSS and CPU time are each
# process's own (os.wait4: the figures GNU time's %M, %U and %S report). PDFs are written to
# $TMPDIR. Nothing is asserted: timings depend on the machine; the targets of issue 11 are printed
# beside the figures. Uses tests/fonts.conf unless FONTCONFIG_FILE is set. Needs python3.
set -eu

RUNS=${1:-1}
VANBAN=${VANBAN:-build/vanban}
ROWS=${ROWS:-1117}
SMALL=${SMALL:-200}
SAMPLE=${SAMPLE:-100}
TEMPLATE=samples/batch/bao-cao.md
GEN=samples/batch/gen.py

[ -f "$TEMPLATE" ] || { echo "batch.sh: run from the project root ($TEMPLATE not found)" >&2; exit 2; }
[ -x "$VANBAN" ] || { echo "batch.sh: no vanban at $VANBAN (build first, or set VANBAN)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "batch.sh: python3 is missing" >&2; exit 2; }
if [ -z "${FONTCONFIG_FILE:-}" ] && [ -f tests/fonts.conf ]; then
    FONTCONFIG_FILE=$PWD/tests/fonts.conf
    export FONTCONFIG_FILE
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vb-batch-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

python3 - "$RUNS" "$VANBAN" "$TEMPLATE" "$GEN" "$TMP" "$ROWS" "$SMALL" "$SAMPLE" <<'PY'
import csv, hashlib, io, os, shutil, statistics, subprocess, sys, time

runs, cli, tpl, gen, tmp = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
rows, small, sample = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
NAME = "{{ma_chi_bo}}.pdf"
TARGET_RATE, TARGET_OVER = 150.0, 10.0  # issue 11: >= 150 documents/s on 2 cores, >= 10x one process per document


def die(msg):
    sys.stderr.write("batch.sh: %s\n" % msg)
    sys.exit(2)


def run(argv):
    """(wall s, user+sys s, peak RSS KiB, exit code, stderr) of one process."""
    err = os.path.join(tmp, "stderr")
    with open(err, "wb") as e:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=e)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(err, "rb") as e:
        msg = e.read().decode("utf-8", "replace")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, msg


def gen_csv(n, path):
    orgs = max(1, min(n, round(n * 121 / 1117)))
    subprocess.run([sys.executable, gen, "--rows", str(n), "--orgs", str(orgs), "--csv", path], check=True)


def batch(data, out, j):
    shutil.rmtree(out, ignore_errors=True)
    return run([cli, "batch", tpl, "--data", data, "-o", out, "--name", NAME, "-j", str(j)])


def count_pdfs(d):
    return len([f for f in os.listdir(d) if f.endswith(".pdf")]) if os.path.isdir(d) else 0


# The data, and one-row files for the one-process figure (the same CSV dialect: BOM, ";", CRLF).
big, little = os.path.join(tmp, "rows-%d.csv" % rows), os.path.join(tmp, "rows-%d.csv" % small)
gen_csv(rows, big)
gen_csv(small, little)
with open(big, encoding="utf-8-sig", newline="") as f:
    recs = list(csv.reader(f, delimiter=";"))
head, body = recs[0], recs[1:]
if len(body) != rows:
    die("gen.py wrote %d rows, not %d" % (len(body), rows))
sample = min(sample, rows)
picked = [body[i * rows // sample] for i in range(sample)]
singles = []
for i, rec in enumerate(picked):
    path = os.path.join(tmp, "one-%04d.csv" % i)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(head)
    w.writerow(rec)
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    singles.append(path)

# Is there a batch command? A one-row run, which also warms the caches.
probe = os.path.join(tmp, "probe")
wall, cpu, rss, rc, msg = batch(singles[0], probe, 1)
if rc != 0 or count_pdfs(probe) != 1:
    die("`%s batch` failed on a one-row data set (exit %d, %d PDFs): %s\n"
        "  this build has no working batch command (issue 11); build one that has it, or set VANBAN"
        % (cli, rc, count_pdfs(probe), " ".join(msg.split())[:300] or "no message"))
sys.stderr.write("batch.sh: %d and %d rows, %d run%s each, -j1 and -j2; %d rows one process each ...\n"
                 % (rows, small, runs, "s" if runs > 1 else "", sample))

res = {}
for n, data in ((rows, big), (small, little)):
    for j in (1, 2):
        out = os.path.join(tmp, "out-%d-j%d" % (n, j))
        walls, cpus, rsss = [], [], []
        for _ in range(runs):
            wall, cpu, rss, rc, msg = batch(data, out, j)
            if rc != 0:
                die("vanban batch -j%d over %d rows exited %d: %s" % (j, n, rc, msg.strip()[-600:]))
            got = count_pdfs(out)
            if got != n:
                die("vanban batch -j%d over %d rows wrote %d PDFs" % (j, n, got))
            walls.append(wall), cpus.append(cpu), rsss.append(rss)
        res[(n, j)] = dict(wall=statistics.median(walls), cpu=statistics.median(cpus), rss=max(rsss), out=out)


def digests(d):
    h = {}
    for f in sorted(os.listdir(d)):
        with open(os.path.join(d, f), "rb") as g:
            h[f] = hashlib.sha256(g.read()).hexdigest()
    return h


identical = digests(res[(rows, 1)]["out"]) == digests(res[(rows, 2)]["out"])
size = sum(os.path.getsize(os.path.join(res[(rows, 2)]["out"], f)) for f in os.listdir(res[(rows, 2)]["out"]))
for n in (rows, small):
    for j in (1, 2):
        shutil.rmtree(res[(n, j)]["out"], ignore_errors=True)

# One process per document, one at a time, then two at a time.
one = {}
for par in (1, 2):
    out = os.path.join(tmp, "one-p%d" % par)
    os.makedirs(out)
    cpus, rsss, fails = [], [], []
    t0 = time.perf_counter()
    pending = list(singles)
    live = {}
    while pending or live:
        while pending and len(live) < par:
            path = pending.pop(0)
            e = open(os.path.join(tmp, "err-%d" % len(pending)), "wb")
            p = subprocess.Popen([cli, "batch", tpl, "--data", path, "-o", out, "--name", NAME, "-j", "1"],
                                 stdout=subprocess.DEVNULL, stderr=e)
            live[p.pid] = (p, e, path)
        pid, status, ru = os.wait4(-1, 0)
        if pid not in live:
            continue
        p, e, path = live.pop(pid)
        e.close()
        cpus.append(ru.ru_utime + ru.ru_stime)
        rsss.append(ru.ru_maxrss)
        if os.waitstatus_to_exitcode(status) != 0:
            fails.append(path)
    wall = time.perf_counter() - t0
    if fails or count_pdfs(out) != sample:
        die("one process per row, %d at a time: %d failed, %d PDFs of %d (first: %s)"
            % (par, len(fails), count_pdfs(out), sample, fails[:1]))
    one[par] = dict(wall=wall, cpu=sum(cpus), rss=max(rsss))
    shutil.rmtree(out, ignore_errors=True)


def mib(kib):
    return "%.1f MiB" % (kib / 1024.0)


print("\nvanban batch, samples/batch/bao-cao.md (3-page chi bộ report), %s; %d CPUs online; median of %d run%s"
      % (cli, os.cpu_count() or 0, runs, "s" if runs > 1 else ""))
print("  %-44s %9s %9s %12s %10s" % ("", "wall", "docs/s", "CPU ms/doc", "peak RSS"))
for n in (rows, small):
    for j in (1, 2):
        r = res[(n, j)]
        print("  %-44s %8.2fs %9.1f %12.2f %10s" % ("batch -j%d, %d rows" % (j, n), r["wall"], n / r["wall"],
                                                   r["cpu"] * 1000.0 / n, mib(r["rss"])))
for par in (1, 2):
    o = one[par]
    rate = sample / o["wall"]
    print("  %-44s %8.2fs %9.1f %12.2f %10s" % ("one process per row, %d at a time (%d rows)" % (par, sample),
                                               o["wall"], rate, o["cpu"] * 1000.0 / sample, mib(o["rss"])))
    print("  %-44s %8.1fs" % ("  extrapolated to %d rows" % rows, rows / rate))
b1, b2 = res[(rows, 1)], res[(rows, 2)]
rate2 = rows / b2["wall"]
best_one = max(sample / one[p]["wall"] for p in one)
s1, s2 = res[(small, 2)]["rss"], b2["rss"]
print("\n  scaling -j1 -> -j2 (%d rows): %.2fx" % (rows, b1["wall"] / b2["wall"]))
print("  batch -j2: %.1f documents/s (target >= %.0f on 2 cores)" % (rate2, TARGET_RATE))
print("  batch -j2 over the faster one-process-per-row run: %.1fx (target >= %.0fx)" % (rate2 / best_one, TARGET_OVER))
print("  peak RSS %d -> %d rows: -j1 %s -> %s, -j2 %s -> %s (%+.1f%%; target: flat)"
      % (small, rows, mib(res[(small, 1)]["rss"]), mib(b1["rss"]), mib(s1), mib(s2), (s2 - s1) * 100.0 / s1))
print("  PDFs of -j1 and -j2 byte-identical: %s; %d PDFs, %.1f KB each on average"
      % ("yes" if identical else "NO", rows, size / 1000.0 / rows))
PY
