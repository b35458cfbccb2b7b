#!/usr/bin/env python3
"""The text layer read by a second client: pdf.js, Firefox's PDF engine
(issue 8 item 11).

    python3 tests/test_pdfjs.py build/vanban [NAME...]   (cwd = project root)

Renders the seed (samples/196-BC-DUK.md) and every sample under samples/,
then reads each PDF with Debian's pdf.js (libjs-pdf, run by node through
tests/pdfjs_text.js: the text a copy from pdf.js's text layer gives, items
joined with nothing between them and a newline after an item with hasEOL)
and with poppler (`pdftotext -raw`). NAME limits the run to sources whose
path contains it. Per document:
  - pdfjs.runs: pdf.js read the PDF (a missing node or libjs-pdf is a
    failure with the reason, never a skip);
  - pdfjs.source_words: every word of the source's body, each table cell's
    included, is a separate word of pdf.js's text, as many times as the
    source has it (a fusion such as "chúNăm", the last word of a wrapped
    head cell run into the next row's first word, takes both away);
  - pdfjs.same_as_poppler: pdf.js's words are exactly poppler's (same
    multiset), so pdf.js adds no fusion and drops nothing of the header,
    closing and page numbers that the profile adds;
  - poppler.source_words: the same source words are in poppler's text (the
    full round trip, with the profile's words and exact counts, is
    tests/test_formats.py's and tests/test_sample_pdf.py's).
For the seed, seed.ghi_chu checks the case the issue reported: the Phụ lục 2
head gives "Ghi", "chú" and "Năm" as separate words and no "chúNăm".
Words are whitespace-separated; a word cut after a hyphen or "/" at a line
end is joined back when the source has the joined word, for both readers.
One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import collections
import glob
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "pdfjs_text.js")
SEED = "samples/196-BC-DUK.md"


def source_words(path):
    """The words of the body (headings, paragraphs, table cells) as a Counter."""
    text = open(path, encoding="utf-8").read()
    _, body, _ = P.split_source(text)
    c = collections.Counter()
    for _, t in P.md_blocks(body.replace("\\landscape", "")):
        c.update(P.words(t))
    return c


def reader_words(text, expected):
    """Words of a reader's text, with line-end cuts after "-" or "/" joined back (as tests/test_formats.py)."""
    ws, _ = P.pdf_words(text, expected)
    out = []
    for w in ws:
        if out and out[-1].endswith("/") and expected[out[-1] + w] > 0 and expected[out[-1]] == 0:
            out[-1] += w
        else:
            out.append(w)
    return out


def pdfjs_text(pdf):
    """(text, error): the text pdf.js gives, or None and why not."""
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        return None, "node is not installed (Debian package nodejs; scripts/deps.sh installs it)"
    rc, out, err = P.run([node, SCRIPT, pdf], timeout=300)
    if rc != 0:
        return None, "exit %d: %s" % (rc, err.strip()[-400:])
    return out, None


def check_doc(ck, cli, src, tmp):
    name = src[len("samples/"):-3] if src.startswith("samples/") else src
    pdf = os.path.join(tmp, name.replace("/", "_") + ".pdf")
    rc, out, err = P.run([cli, "render", src, "-o", pdf], env=P.test_env())
    if not ck.check(name + ".render", rc == 0 and os.path.isfile(pdf), "rc %d %s" % (rc, err.strip()[-300:])):
        return
    expected = source_words(src)
    js, why = pdfjs_text(pdf)
    if not ck.check(name + ".pdfjs.runs", js is not None, why or ""):
        return
    raw, prc, perr = P.pdftotext_raw(pdf)
    if not ck.check(name + ".poppler.runs", prc == 0, perr.strip()[-300:]):
        return
    # the source's words decide the joins (a raised "m2" then ";" in -raw), the same for both readers
    vocab = expected
    js_words = reader_words(js, vocab)
    pp_words = reader_words(raw, vocab)
    got_js, got_pp = collections.Counter(js_words), collections.Counter(pp_words)
    miss = expected - got_js
    ck.check(name + ".pdfjs.source_words", not miss, "%d source words, %d pdf.js words%s" % (
        sum(expected.values()), len(js_words), "; missing: " + P.fmt_bag(miss) if miss else ""))
    only_js, only_pp = got_js - got_pp, got_pp - got_js
    ck.check(name + ".pdfjs.same_as_poppler", not only_js and not only_pp, "%d words%s%s" % (
        len(js_words), "; only pdf.js: " + P.fmt_bag(only_js) if only_js else "",
        "; only poppler: " + P.fmt_bag(only_pp) if only_pp else ""))
    miss = expected - got_pp
    ck.check(name + ".poppler.source_words", not miss, "missing: " + P.fmt_bag(miss) if miss else "")
    if src == SEED:
        ok = all(got_js[w] > 0 for w in ("Ghi", "chú", "Năm")) and not any("chúNăm" in w for w in js_words)
        ck.check("seed.ghi_chu", ok, "Ghi %d, chú %d, Năm %d, fused %s" % (
            got_js["Ghi"], got_js["chú"], got_js["Năm"], [w for w in js_words if "chúN" in w][:3]))


def main(argv):
    cli = P.find_cli(argv)
    ck = P.Checker()
    if not ck.check("cli.found", cli is not None, "no vanban binary (give its path as argv[1])"):
        print("%d passed, %d failed" % (ck.passed, ck.failed))
        return 1
    only = [a for a in argv[2:] if not a.startswith("-")]
    # samples/batch/ holds batch templates, which `vanban render` refuses (tests/test_batch_samples.py)
    srcs = [SEED] + sorted(s for s in glob.glob("samples/*/*.md") if not s.startswith("samples/batch/"))
    srcs = [s for s in srcs if not only or any(o in s for o in only)]
    ck.check("sources.found", len(srcs) > (0 if only else 1), "%d sources" % len(srcs))
    tmp = tempfile.mkdtemp(prefix="vb-pdfjs-")
    try:
        for s in srcs:
            check_doc(ck, cli, s, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
