#!/usr/bin/env python3
"""justify.py - how evenly vanban justifies, measured from the PDF alone.

    python3 tests/bench/justify.py                 (cwd = project root; the seed report)
    python3 tests/bench/justify.py SRC.md [--vanban build/vanban]
    python3 tests/bench/justify.py --pdf A.pdf [--pdf B.pdf]   (PDFs made elsewhere)

Renders the source twice, with total fit (the default) and with --greedy, and
prints for each, side by side with the peers' figures (shared/notes/peers.md):

  lines       justified body lines measured
  median, p95, max
              per line, the mean gap between its words divided by the mean
              natural space (the width of the space glyphs between them, 0.25 em
              in Times/Liberation); 1.000 is a line set at its natural width
  > 1.5       share of lines looser than 1.5 times the natural space
  token breaks
              line ends inside a token of the source ("89-KL/" then "ĐUK",
              "2020-" then "2025"), from pdftotext -raw
  rule breaks line ends the typography forbids: after "Số" before its number,
              after an opening bracket or quote, before closing punctuation
  letter-spaced
              justified lines whose letters were spread (the profile's
              breaking.letter_space, the last resort against a loose line):
              how many, and the largest median gap between two letters of a
              word on such a line, in em

How lines are found (tests/pdfcheck.py): characters from `mutool draw -F
stext`; the body flow is the 14 pt text below the title block and above
"Nơi nhận:"; a line whose letters are mostly bold is a heading; a paragraph
starts at the 10 mm indent or after a gap larger than the 18 pt leading. The
justified lines are every paragraph line but its last. A gap is measured from
the right edge of a word's last character (its pen position plus advance) to
the left edge of the next word's first character, which is exactly what the
typesetter places. Peers' numbers were measured the same way (mean gap over
0.25 em) on their PDFs of the same report.

Nothing is asserted here; tests/test_typography.py asserts that total fit has
a lower 95th percentile and maximum than greedy on the seed. Python standard
library and the Debian tools only.
"""
import argparse
import collections
import os
import re
import shutil
import statistics
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import pdfcheck as P  # noqa: E402

SAMPLE = os.path.join(ROOT, "samples", "196-BC-DUK.md")
LOOSE = 1.5
# The peers' figures, used when shared/notes/peers.md cannot be read.
PEERS_FALLBACK = [
    ("Typst 0.14 (total fit)", {"lines": 248, "median": 1.044, "p95": 1.239, "max": 1.434, "loose": 0.0,
                                "tokens": 4}),
    ("XeLaTeX (total fit)", {"lines": 268, "median": 1.052, "p95": 1.273, "max": 1.586, "loose": 0.7,
                             "tokens": 2}),
]
OPENING = ("(", "[", "“", "‘")
CLOSING = (")", "]", ",", ".", ";", ":", "%", "”", "’", "!", "?")


def justified_lines(pages):
    """The justified body lines: every paragraph line but the paragraph's last."""
    out = []
    for b in P.flow_blocks(pages):
        if b.kind == "para":
            out.extend(b.lines[:-1])
    return out


def source_words(src):
    """The words of a source file (front matter and body, emphasis marks removed), as a Counter."""
    text = open(src, encoding="utf-8").read()
    return collections.Counter(P.strip_inline(text.replace("|", " ")).split())


def raw_lines(pdf):
    text, rc, err = P.pdftotext_raw(pdf)
    if rc != 0:
        raise RuntimeError("pdftotext failed: " + err[-200:])
    return [l.split() for l in text.replace("\f", "\n").split("\n") if l.split()]


def break_faults(pdf, words):
    """(token breaks, rule breaks, examples) over consecutive pdftotext -raw lines."""
    lines = raw_lines(pdf)
    tokens, rules, ex = 0, 0, []
    for a, b in zip(lines, lines[1:]):
        last, first = a[-1], b[0]
        if words and words[last + first] > 0 and words[last] == 0 and re.search(r"[-/]$", last):
            tokens += 1
            ex.append("%s|%s" % (last, first))
        bad = ((last in ("Số", "số") and first[:1].isdigit()) or last.endswith(OPENING)
               or first.startswith(CLOSING))
        if bad:
            rules += 1
            ex.append("%s|%s" % (last, first))
    return tokens, rules, ex


def letter_gap(line):
    """Median gap between adjacent letters of a word on a line, in em (0 without letter-spacing)."""
    gaps = []
    prev = None
    for c in line.chars:
        if c.c.isspace():
            prev = None
            continue
        if prev is not None:
            gaps.append((c.x0 - prev.x1) / max(c.size, 1.0))
        prev = c
    return statistics.median(gaps) if gaps else 0.0


def measure(pdf, words=None):
    """Figures for one PDF: a dict with lines, median, p95, max, loose (%), tokens, rules, ratios, examples."""
    pages = P.load_pdf(pdf)
    jl = justified_lines(pages)
    ratios = [r for r in (P.space_ratio(l) for l in jl) if r is not None]
    tracked = [letter_gap(l) for l in jl]
    tracked = [g for g in tracked if g > 0.005]
    tokens, rules, ex = break_faults(pdf, words)
    if not ratios:
        return {"lines": 0, "median": float("nan"), "p95": float("nan"), "max": float("nan"), "loose": 0.0,
                "tokens": tokens, "rules": rules, "ratios": [], "examples": ex, "pages": len(pages)}
    return {"lines": len(ratios), "median": statistics.median(ratios), "p95": P.percentile(ratios, 95),
            "max": max(ratios), "loose": 100.0 * sum(1 for r in ratios if r > LOOSE) / len(ratios),
            "tokens": tokens, "rules": rules, "ratios": ratios, "examples": ex, "pages": len(pages),
            "tracked": len(tracked), "track_max": max(tracked) if tracked else 0.0}


def render(cli, src, pdf, greedy):
    cmd = [cli, "render", src, "-o", pdf] + (["--greedy"] if greedy else [])
    rc, out, err = P.run(cmd, env=P.test_env())
    if rc != 0:
        raise RuntimeError("render failed (rc %d): %s" % (rc, (out + err)[-300:]))


def peers():
    """[(name, figures)] from the justification table of shared/notes/peers.md (the fallback when absent)."""
    for path in (os.path.join(ROOT, "..", "shared", "notes", "peers.md"), "/work/shared/notes/peers.md"):
        try:
            text = open(path, encoding="utf-8").read()
        except OSError:
            continue
        out = []
        for line in text.split("\n"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 7 or not re.match(r"^\d+$", cells[1]):
                continue
            try:
                out.append((cells[0], {"lines": int(cells[1]), "median": float(cells[2]), "p95": float(cells[3]),
                                       "max": float(cells[4]), "loose": float(cells[5].rstrip(" %")),
                                       "tokens": int(cells[6].split()[0])}))
            except ValueError:
                continue
        if out:
            return out
    return PEERS_FALLBACK


def fmt_row(label, cols, fmt):
    return "%-14s" % label + "".join("%-16s" % (fmt(c) if c is not None else "-") for c in cols)


def report(results):
    """Prints the table: results is [(name, figures)], vanban's first, then the peers."""
    names = [n for n, _ in results]
    figs = [f for _, f in results]
    print("%-14s" % "" + "".join("%-16s" % n[:15] for n in names))
    print(fmt_row("lines", figs, lambda f: "%d" % f["lines"]))
    for key in ("median", "p95", "max"):
        print(fmt_row(key, figs, lambda f, k=key: "%.3f" % f[k]))
    print(fmt_row("> %.1f" % LOOSE, figs, lambda f: "%.1f %%" % f["loose"]))
    print(fmt_row("token breaks", figs, lambda f: "%d" % f["tokens"]))
    print(fmt_row("rule breaks", figs, lambda f: "%d" % f["rules"] if "rules" in f else "-"))
    print(fmt_row("letter-spaced", figs, lambda f: "%d (%.3f em)" % (f["tracked"], f["track_max"])
                  if "tracked" in f else "-"))


def main(argv):
    ap = argparse.ArgumentParser(description="Justification quality measured from the PDF.")
    ap.add_argument("src", nargs="?", default=SAMPLE, help="source to render (default: the seed report)")
    ap.add_argument("--vanban", default=os.path.join(ROOT, "build", "vanban"), help="the CLI")
    ap.add_argument("--pdf", action="append", default=[], help="measure this PDF instead of rendering (repeatable)")
    a = ap.parse_args(argv)
    words = source_words(a.src) if os.path.isfile(a.src) else None
    results = []
    if a.pdf:
        for p in a.pdf:
            results.append((os.path.basename(p), measure(p, words)))
    else:
        cli = P.find_cli([None, a.vanban])
        if not cli:
            print("justify.py: no vanban CLI at %s (build first, or pass --vanban)" % a.vanban, file=sys.stderr)
            return 2
        tmp = tempfile.mkdtemp(prefix="vb-justify-")
        try:
            for name, greedy in (("vanban total", False), ("vanban greedy", True)):
                pdf = os.path.join(tmp, "greedy.pdf" if greedy else "total.pdf")
                render(cli, a.src, pdf, greedy)
                results.append((name, measure(pdf, words)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("Justification of %s (%s)" % (os.path.relpath(a.src, ROOT) if os.path.isfile(a.src) else a.src,
                                        ", ".join("%s: %d pages" % (n, f["pages"]) for n, f in results)))
    report(results + peers())
    for n, f in results:
        if f["examples"]:
            print("%s: breaks %s" % (n, ", ".join(f["examples"][:8])))
    if len(results) == 2 and not a.pdf:
        t, g = results[0][1], results[1][1]
        print("total fit vs greedy: p95 %.3f vs %.3f, max %.3f vs %.3f: %s" % (
            t["p95"], g["p95"], t["max"], g["max"],
            "total fit tighter" if t["p95"] < g["p95"] and t["max"] < g["max"] else "total fit NOT tighter"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
