#!/usr/bin/env python3
"""scale.py - does rendering time grow linearly with the document's length?

    python3 tests/bench/scale.py                       (cwd = project root)
    python3 tests/bench/scale.py --runs 5 --pages 10,100,1000,2000 [--vanban build/vanban]

For each size, writes a document of about that many pages with
tests/gen_long.py (the seed's paragraphs, headings on three levels, tables
with repeated heads, the closing block; the same text on every run), renders
it RUNS times after one warm-up render, and prints the median wall time of
the whole `vanban render` process, the time per page, the peak RSS (from
/usr/bin/time when installed) and the PDF size. Then:

  ratio       ms per page at each size over ms per page at the smallest one:
              about 1 (or below, as start-up is shared) when the time is linear
  fit         least squares time = start + slope x pages over the sizes,
              and the largest residual of that line

Nothing is asserted: timings depend on the machine (a shared 2-core one is
noisy). Uses tests/fonts.conf unless FONTCONFIG_FILE is set, as the tests do.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import gen_long  # noqa: E402
import pdfcheck as P  # noqa: E402


def pdf_pages(pdf):
    rc, out, err = P.run(["pdfinfo", pdf])
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def render_once(cli, src, pdf, env, prefix=()):
    t0 = time.perf_counter()
    p = subprocess.run(list(prefix) + [cli, "render", src, "-o", pdf], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("render of %s failed (rc %d): %s" % (src, p.returncode, p.stderr.decode()[-300:]))
    return dt, p.stderr.decode()


def fit_line(xs, ys):
    """(intercept, slope) of the least-squares line."""
    n = float(len(xs))
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def main(argv):
    ap = argparse.ArgumentParser(description="Rendering time against document length.")
    ap.add_argument("--pages", default="10,100,1000", help="sizes, comma-separated (default 10,100,1000)")
    ap.add_argument("--runs", type=int, default=3, help="timed renders per size (default 3)")
    ap.add_argument("--vanban", default=os.path.join(ROOT, "build", "vanban"), help="the CLI")
    a = ap.parse_args(argv)
    cli = P.find_cli([None, a.vanban])
    if not cli:
        print("scale.py: no vanban CLI at %s (build first, or pass --vanban)" % a.vanban, file=sys.stderr)
        return 2
    sizes = [int(s) for s in a.pages.split(",") if s.strip()]
    env = P.test_env()
    if not os.environ.get("FONTCONFIG_FILE"):
        env["FONTCONFIG_FILE"] = os.path.join(ROOT, "tests", "fonts.conf")
    have_time = os.access("/usr/bin/time", os.X_OK)
    tmp = tempfile.mkdtemp(prefix="vb-scale-")
    rows = []
    try:
        for n in sizes:
            src = os.path.join(tmp, "doc%d.md" % n)
            pdf = os.path.join(tmp, "doc%d.pdf" % n)
            text = gen_long.generate(n)
            with open(src, "w", encoding="utf-8") as f:
                f.write(text)
            render_once(cli, src, pdf, env)  # warm-up: font cache, page cache
            times = [render_once(cli, src, pdf, env)[0] for _ in range(max(1, a.runs))]
            rss = None
            if have_time:
                _, err = render_once(cli, src, pdf, env, ["/usr/bin/time", "-f", "%M"])
                rss = int(err.strip().splitlines()[-1]) / 1024.0
            pages = pdf_pages(pdf)
            med = statistics.median(times) * 1000.0
            rows.append({"asked": n, "pages": pages, "src_kb": len(text.encode("utf-8")) / 1000.0, "ms": med,
                         "min": min(times) * 1000.0, "max": max(times) * 1000.0,
                         "per_page": med / pages if pages else float("nan"), "rss": rss,
                         "pdf_kb": os.path.getsize(pdf) / 1000.0})
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    base = rows[0]["per_page"]
    print("vanban render, median of %d runs after a warm-up (%s)" % (a.runs, cli))
    print("%-7s %-6s %-9s %-11s %-19s %-9s %-7s %-10s %s" % ("asked", "pages", "source", "wall", "min / max",
                                                             "per page", "ratio", "peak RSS", "PDF"))
    for r in rows:
        print("%-7d %-6d %-9s %-11s %-19s %-9s %-7s %-10s %s" % (
            r["asked"], r["pages"], "%.0f KB" % r["src_kb"], "%.1f ms" % r["ms"],
            "%.1f / %.1f ms" % (r["min"], r["max"]), "%.2f ms" % r["per_page"], "%.2f" % (r["per_page"] / base),
            "n/a" if r["rss"] is None else "%.0f MiB" % r["rss"], "%.0f KB" % r["pdf_kb"]))
    if len(rows) >= 2:
        xs = [float(r["pages"]) for r in rows]
        ys = [r["ms"] for r in rows]
        a0, b0 = fit_line(xs, ys)
        res = [(abs(y - (a0 + b0 * x)), x, y) for x, y in zip(xs, ys)]
        worst = max(res)
        print("fit: time = %.1f ms + %.3f ms x pages; largest residual %.1f ms (at %d pages, %.0f %% of its time)" % (
            a0, b0, worst[0], worst[1], 100.0 * worst[0] / worst[2]))
        last, prev = rows[-1], rows[-2]
        print("ms per page, %d pages over %d pages: %.2f (1.00 = linear)" % (
            last["pages"], prev["pages"], last["per_page"] / prev["per_page"]))
        if all(r["rss"] for r in rows):
            print("peak RSS per page at %d pages: %.2f MiB" % (last["pages"], last["rss"] / last["pages"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
