#!/usr/bin/env python3
"""Every precomposed Vietnamese letter, in every face, survives into the PDF.

    python3 tests/test_coverage_pdf.py build/vanban      (cwd = project root)

tests/data/coverage.md has the 134 letters (NFC) in four paragraphs: regular,
**bold**, *italic*, ***bold italic***. The test appends a fifth, regular
paragraph with the same letters decomposed (NFD: base letter + combining
marks), writes that to a temporary source, renders it and checks:
  - the text layer (pdftotext -raw) is NFC and holds the letters, in order,
    five times: the decomposed paragraph reads back as the precomposed letters;
  - per character (mutool stext), each letter of paragraph k is the expected
    code point and is set in a font whose name says the expected face.
"""
import os
import re
import shutil
import sys
import tempfile
import unicodedata

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

SOURCE = "tests/data/coverage.md"

# The 134 precomposed letters of Vietnamese: the 12 vowels a ă â e ê i o ô ơ u
# ư y with no tone mark (when not plain ASCII) or one of the five tone marks
# (huyền, hỏi, ngã, sắc, nặng), and đ; lower case, then capitals.
LOWER = ("à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ è ẻ ẽ é ẹ ê ề ể ễ ế ệ ì ỉ ĩ í ị "
         "ò ỏ õ ó ọ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ ù ủ ũ ú ụ ư ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ đ").split()
UPPER = ("À Ả Ã Á Ạ Ă Ằ Ẳ Ẵ Ắ Ặ Â Ầ Ẩ Ẫ Ấ Ậ È Ẻ Ẽ É Ẹ Ê Ề Ể Ễ Ế Ệ Ì Ỉ Ĩ Í Ị "
         "Ò Ỏ Õ Ó Ọ Ô Ồ Ổ Ỗ Ố Ộ Ơ Ờ Ở Ỡ Ớ Ợ Ù Ủ Ũ Ú Ụ Ư Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ Đ").split()
LETTERS = LOWER + UPPER
FACES = [(False, False), (True, False), (False, True), (True, True), (False, False)]
MARKS = ["", "**", "*", "***"]


def derived_letters():
    """The same set built from its definition, to check the literal lists."""
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    low = set()
    for b in "a ă â e ê i o ô ơ u ư y".split():
        for t in tones:
            ch = unicodedata.normalize("NFC", b + t)
            if not ch.isascii():
                low.add(ch)
    low.add("đ")
    return low | set(c.upper() for c in low)


def main(argv):
    ck = P.Checker()
    ck.check("letters.list", len(LETTERS) == 134 and len(set(LETTERS)) == 134
             and all(len(c) == 1 and unicodedata.is_normalized("NFC", c) for c in LETTERS)
             and set(LETTERS) == derived_letters(), "%d letters, %d distinct" % (len(LETTERS), len(set(LETTERS))))
    ck.check("letters.upper", [c.upper() for c in LOWER] == UPPER, "capitals match the lower-case list")

    src = open(SOURCE, encoding="utf-8").read()
    fm_lines, body, _ = P.split_source(src)
    paras = [t for k, t in P.md_blocks(body) if k == "para"]
    raw = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    want = " ".join(LETTERS)
    ck.check("source.paragraphs", paras == [want] * 4, "%d paragraphs of the 134 letters" % sum(p == want for p in paras))
    ck.check("source.emphasis", len(raw) == 4 and all(r.startswith(m) and r.endswith(m) and not r.startswith(m + "*")
                                                      for r, m in zip(raw, MARKS)),
             "regular, **bold**, *italic*, ***bold italic***")

    nfd = unicodedata.normalize("NFD", want)
    ck.check("nfd.decomposed", nfd != want and unicodedata.normalize("NFD", "ệ") == "e\u0323\u0302"
             and unicodedata.normalize("NFD", "Ữ") == "U\u031b\u0303"
             and sum(unicodedata.combining(c) > 0 for c in nfd) == 192,  # per case: 6×1 + 30×2 + 30×1 (đ has none)
             "%d code points for %d letters" % (len(nfd.replace(" ", "")), len(LETTERS)))

    cli = P.find_cli(argv)
    if not ck.check("cli.present", cli is not None, cli or "no vanban CLI"):
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-coverage-")
    try:
        doc = os.path.join(tmp, "coverage-nfd.md")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(src.rstrip("\n") + "\n\n" + nfd + "\n")
        pdf = os.path.join(tmp, "coverage.pdf")
        rc, out, err = P.run([cli, "render", doc, "-o", pdf], env=P.test_env())
        if ck.check("render", rc == 0 and os.path.isfile(pdf), "rc %d %s" % (rc, err.strip()[-300:])):
            pdf_checks(ck, pdf)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def pdf_checks(ck, pdf):
    letters = set(LETTERS)
    text, rc, err = P.pdftotext_raw(pdf)
    nfc, fffd, pua = P.text_problems(text)
    ck.check("text.nfc", nfc and fffd == 0 and not pua, "NFC %s, %d U+FFFD, %d private-use" % (nfc, fffd, len(pua)))
    seq = [w for w in text.split() if w in letters]
    for k in range(5):
        part = seq[134 * k:134 * (k + 1)]
        bad = [(i, a, b) for i, (a, b) in enumerate(zip(part, LETTERS)) if a != b]
        ck.check("text.paragraph%d" % (k + 1), part == LETTERS, "%d letters%s" % (
            len(part), ("; first differences " + repr(bad[:3])) if bad else " in order"))
    ck.check("text.count", len(seq) == 5 * 134, "%d single letters in the text layer" % len(seq))
    leftovers = [w for w in text.split() if any(unicodedata.combining(c) for c in w)]
    ck.check("text.no_combining", not leftovers, repr(leftovers[:5]) if leftovers else "no combining marks")

    # per character: the letter-only lines, in reading order
    pages = P.load_pdf(pdf)
    chars = []
    for p in pages:
        for l in p.lines:
            ink = [c for c in l.chars if not c.c.isspace()]
            if ink and all(c.c in letters for c in ink):
                chars.extend(ink)
    ck.check("glyphs.count", len(chars) == 5 * 134, "%d letter glyphs on letter-only lines" % len(chars))
    for k in range(5):
        part = chars[134 * k:134 * (k + 1)]
        wrong_c = [(i, c.c) for i, c in enumerate(part) if i < 134 and c.c != LETTERS[i]]
        wrong_f = [(c.c, c.font) for c in part if P.face(c.font) != FACES[k]]
        name = "glyphs.paragraph%d.%s" % (k + 1, P.face_name(*FACES[k]).replace(" ", "_"))
        ck.check(name, len(part) == 134 and not wrong_c and not wrong_f, "%d letters%s%s" % (
            len(part), ("; wrong letters " + repr(wrong_c[:3])) if wrong_c else "",
            ("; wrong face " + repr(wrong_f[:3])) if wrong_f else ", fonts " + ", ".join(sorted(set(c.font for c in part)))))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
