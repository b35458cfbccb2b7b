#!/usr/bin/env python3
"""Short pages: how far above the text block's foot each page's text ends.

    python3 tests/bench/short_pages.py [build/vanban] [SOURCE.md ...]

Without sources: the seed and every sample. For each page that is not the
last of the document nor the last before an appendix (whose page must end
early), the gap is the text block's foot (page height - bottom margin,
20 mm in every profile) less the lowest baseline on the page (runs and
rules from `vanban dump --stage=pages`). A page is "short" when the gap is
more than two body lines (36 pt) plus a descent, 40 pt. Prints per source:
pages, short pages, the largest gap and the sum of squared gaps (in body
lines), then the totals. Nothing is asserted.
"""
import glob
import os
import re
import subprocess
import sys

BOTTOM_MP = 56693          # 20 mm in millipoints
LINE = 18000.0             # a body line, millipoints
SHORT = 40000              # more than two lines and a descent


def gaps(cli, src, env):
    out = subprocess.run([cli, "dump", "--stage=pages", src], env=env, capture_output=True, text=True,
                         check=True).stdout
    pages, starts = [], set()
    for ln in out.splitlines():
        m = re.match(r"page (\d+) w=(\d+) h=(\d+)", ln)
        if m:
            pages.append({"h": int(m.group(3)), "low": 0})
            continue
        m = re.match(r"outline level=1 page=(\d+)", ln)
        if m:
            starts.add(int(m.group(1)))
            continue
        m = re.match(r"(run .* y=(\d+) )|(rule x1=\d+ y1=(\d+) x2=\d+ y2=(\d+))", ln)
        if m and pages:
            y = int(m.group(2)) if m.group(1) else max(int(m.group(4)), int(m.group(5)))
            pages[-1]["low"] = max(pages[-1]["low"], y)
    result = []
    for i, p in enumerate(pages):
        if i == len(pages) - 1 or (i + 1) in starts:
            continue
        result.append(p["h"] - BOTTOM_MP - p["low"])
    return len(pages), result


def main():
    args = sys.argv[1:]
    cli = args.pop(0) if args and not args[0].endswith(".md") else "build/vanban"
    srcs = args or ["samples/196-BC-DUK.md"] + sorted(s for s in glob.glob("samples/*/*.md")
                                                      if not s.startswith("samples/batch/"))  # batch templates
    env = dict(os.environ)
    env.setdefault("FONTCONFIG_FILE", os.path.abspath("tests/fonts.conf"))
    tp = ts = 0
    tmax = tsq = 0.0
    print("%-28s %5s %5s %9s %9s" % ("source", "pages", "short", "max gap", "sum gap²"))
    for src in srcs:
        n, g = gaps(cli, src, env)
        short = [x for x in g if x > SHORT]
        mx = max(g) / LINE if g else 0.0
        sq = sum((x / LINE) ** 2 for x in g)
        tp, ts, tmax, tsq = tp + n, ts + len(short), max(tmax, mx), tsq + sq
        print("%-28s %5d %5d %8.1fl %9.1f" % (os.path.relpath(src, "samples"), n, len(short), mx, sq))
    print("%-28s %5d %5d %8.1fl %9.1f" % ("total", tp, ts, tmax, tsq))


if __name__ == "__main__":
    main()
