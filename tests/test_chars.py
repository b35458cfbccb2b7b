#!/usr/bin/env python3
"""Every character reaches the checks, and the PDF library's limits never
reach the user as error numbers (issue 9, items 5 and 6).

    python3 tests/test_chars.py build/vanban      (cwd = project root)

1. A character written as a Markdown character reference (&#x4E2D;, &#20013;,
   &Afr;) or a YAML escape ("\\u4E2D", "\\U0001F600") is checked on the decoded
   text: one the fonts lack is font.coverage at the reference (or at the
   front-matter field), in the body, a table cell, a footnote, an appendix
   title and a list entry; one no document may hold (a control, NUL, a
   surrogate, a noncharacter, a bidirectional control) is refused like a typed
   one. Each: the exact stderr line, exit 1, nothing written.
2. A character the fonts have, written as a reference or an escape, prints and
   comes back from pdftotext.
3. A profile's own text the fonts lack is font.coverage at its place in the profile.
4. A 96,000-character heading prints whole (its bookmark is cut below
   libharu's 65,535-byte string limit); lines of more than 2048 glyphs are set
   as several TJ arrays and still read back whole.
5. No message in the PDF writer prints a libharu error number.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "Liberation Serif (/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf)"

HEAD = [
    "---",
    "parent: ĐẢNG BỘ TỈNH THANH HOÁ",
    "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    "number: 12-BC/ĐUK",
    "place: Thanh Hoá",
    "date: 2023-07-06",
    "kind: BÁO CÁO",
    "title: Kiểm tra ký tự",
]

failures = 0


def check(name, ok, detail=""):
    global failures
    print("%s  %s%s" % ("PASS" if ok else "FAIL", name, "" if ok else "  " + detail))
    if not ok:
        failures += 1


def doc(fm=(), body=(), title=None):
    head = list(HEAD)
    if title is not None:
        head[-1] = "title: " + title
    return "\n".join(head + list(fm) + ["---", ""] + list(body)) + "\n"


def render(cli, d, text, args=()):
    src = os.path.join(d, "t.md")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(d, "t.pdf")
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.run([cli, "render", "t.md", "-o", "t.pdf"] + list(args), cwd=d, capture_output=True,
                       text=True, timeout=120)
    # without the fit-to-issue warnings ([issue.*]) of these minimal documents (tests/test_check.py tests them)
    err = "\n".join(l for l in p.stderr.rstrip("\n").split("\n") if not re.search(r": warning: .* \[issue\.[a-z_]+\]$", l))
    return p.returncode, err, out


def coverage(line, col, ch, cp):
    return "t.md:%d:%d: error: No font covers '%s' (U+%04X): %s lacks it. [font.coverage]" % (line, col, ch, cp, FONT)


BIDI = "which would reorder the text unseen (vanban prints text in the order it is written)"


def refused_cases():
    """(name, source, expected stderr)."""
    L = len(HEAD) + 3  # the first body line
    c = []
    c.append(("entity-hex-body", doc(body=["Chữ Hán: &#x4E2D; ở đây."]), coverage(L, 10, "中", 0x4E2D)))
    c.append(("entity-dec-cell", doc(body=["| STT | Nội dung |", "|---|---|", "| 1 | Chữ &#20013; |"]),
              coverage(L + 2, 11, "中", 0x4E2D)))
    c.append(("entity-emoji-heading", doc(body=["# Mục &#x1F600;", "", "Văn bản."]),
              coverage(L, 7, "😀", 0x1F600)))
    c.append(("entity-named-note", doc(body=["Có chú thích[^1].", "", "[^1]: Ký hiệu &Afr; ở đây."]),
              coverage(L + 2, 15, "𝔄", 0x1D504)))
    c.append(("entity-appendix-title", doc(body=["Văn bản.", "", "# PHỤ LỤC 1", "# Bảng &#x4E2D;", "", "Nội dung."]),
              coverage(L + 3, 8, "中", 0x4E2D)))
    c.append(("entity-list-entry", doc(fm=["recipients:", '  - "Như trên &#x4E2D;"'], body=["Văn bản."]),
              coverage(len(HEAD) + 2, 5, "中", 0x4E2D)))
    c.append(("yaml-u-title", doc(title='"Báo cáo \\u4E2D"', body=["Văn bản."]), coverage(len(HEAD), 8, "中", 0x4E2D)))
    c.append(("yaml-U-emoji-title", doc(title='"Báo cáo \\U0001F600"', body=["Văn bản."]),
              coverage(len(HEAD), 8, "😀", 0x1F600)))
    c.append(("entity-noncharacter", doc(body=["Ký tự: &#xFFFE;."]),
              "t.md:%d:8: error: The character reference &#xFFFE; stands for U+FFFE, a noncharacter, which cannot "
              "be printed. [utf8.noncharacter]" % L))
    c.append(("entity-noncharacter-fdd0", doc(body=["Ký tự: &#64976;."]),
              "t.md:%d:8: error: The character reference &#64976; stands for U+FDD0, a noncharacter, which cannot "
              "be printed. [utf8.noncharacter]" % L))
    c.append(("entity-surrogate", doc(body=["Ký tự: &#xDC00;."]),
              "t.md:%d:8: error: The character reference &#xDC00; stands for U+DC00, a UTF-16 surrogate, which is "
              "not a character. [utf8.invalid]" % L))
    c.append(("entity-nul", doc(body=["Ký tự: &#0;."]),
              "t.md:%d:8: error: The character reference &#0; stands for the control character U+0000. "
              "[utf8.control]" % L))
    c.append(("entity-past-unicode", doc(body=["Ký tự: &#x110000;."]),
              "t.md:%d:8: error: The character reference &#x110000; stands for U+110000, which is past the last "
              "Unicode character (U+10FFFF). [utf8.invalid]" % L))
    c.append(("entity-control-c1", doc(body=["Ký tự: &#x9B;."]),
              "t.md:%d:8: error: The character reference &#x9B; stands for the control character U+009B. "
              "[utf8.control]" % L))
    c.append(("yaml-noncharacter", doc(title='"Báo cáo \\uFFFF"', body=["Văn bản."]),
              "t.md:%d:8: error: The value contains U+FFFF, a noncharacter, which cannot be printed. "
              "[utf8.noncharacter]" % len(HEAD)))
    c.append(("yaml-control", doc(title='"Báo cáo \\e"', body=["Văn bản."]),
              "t.md:%d:8: error: The value contains the control character U+001B. [utf8.control]" % len(HEAD)))
    for cp in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C):
        c.append(("bidi-typed-%04X" % cp, doc(body=["Chiều: a%sb." % chr(cp)]),
                  "t.md:%d:9: error: The text contains the bidirectional control U+%04X, %s. [utf8.bidi]" % (L, cp, BIDI)))
    c.append(("bidi-entity", doc(body=["Chiều: a&#x202e;b."]),
              "t.md:%d:9: error: The character reference &#x202e; stands for the bidirectional control U+202E, %s. "
              "[utf8.bidi]" % (L, BIDI)))
    c.append(("bidi-named-lrm", doc(body=["Chiều: a&lrm;b."]),
              "t.md:%d:9: error: The character reference &lrm; stands for the bidirectional control U+200E, %s. "
              "[utf8.bidi]" % (L, BIDI)))
    c.append(("bidi-yaml", doc(title='"Báo cáo \\u202D"', body=["Văn bản."]),
              "t.md:%d:8: error: The value contains the bidirectional control U+202D, %s. [utf8.bidi]" % (len(HEAD), BIDI)))
    c.append(("bidi-yaml-list", doc(fm=["recipients:", '  - "Như trên \\u2066"'], body=["Văn bản."]),
              "t.md:%d:5: error: The value contains the bidirectional control U+2066, %s. [utf8.bidi]" % (len(HEAD) + 2, BIDI)))
    return c


def pdftotext(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout


def mutool_text(pdf):
    """The text layer as MuPDF reads it (poppler's pdftotext drops words past about 7,300 on one
    14,400 pt wide page, so the widest pages are read back with MuPDF)."""
    return subprocess.run(["mutool", "draw", "-F", "text", "-o", "-", pdf], capture_output=True,
                          text=True).stdout


def main():
    cli = os.path.abspath(sys.argv[1])
    os.environ["FONTCONFIG_FILE"] = os.path.join(ROOT, "tests", "fonts.conf")
    tmp = tempfile.mkdtemp(prefix="vb-chars-")
    try:
        # 1. refused, at the position, nothing written
        for name, text, want in refused_cases():
            d = os.path.join(tmp, name)
            os.makedirs(d)
            rc, err, out = render(cli, d, text)
            check(name + ".message", err == want, "got %r, want %r" % (err, want))
            check(name + ".exit", rc == 1, "exit %d" % rc)
            check(name + ".nothing-written", sorted(os.listdir(d)) == ["t.md"], str(os.listdir(d)))

        # 2. covered characters by reference and escape print and round-trip
        d = os.path.join(tmp, "covered")
        os.makedirs(d)
        text = doc(title='"Kiểm tra \\u00E0 \\u1EC7"', fm=["recipients:", '  - "Lưu: VT &agrave;."'],
                   body=["Tham chiếu: &agrave; &#x1EC7; &#7879; &hellip; &hearts; &amp; e&#x301;.",
                         "", "| A | B |", "|---|---|", "| &ocirc; | &#x1B0; |"])
        rc, err, out = render(cli, d, text)
        check("covered.renders", rc == 0 and err == "", "exit %d: %s" % (rc, err))
        if rc == 0:
            t = pdftotext(out)
            flat = " ".join(t.split())
            for want in ("Tham chiếu: à ệ ệ … ♥ & é.", "KIỂM TRA À Ệ", "ô", "ư", "Lưu: VT à."):
                check("covered.roundtrip %r" % want, want in flat or want.lower() in flat.lower(), flat[:400])

        # 3. a profile text the fonts lack
        d = os.path.join(tmp, "profile-text")
        os.makedirs(d)
        prof = open(os.path.join(ROOT, "layouts", "party-36-2018.yaml"), encoding="utf-8").read()
        prof = prof.replace('- text: "ĐẢNG CỘNG SẢN VIỆT NAM"', '- text: "ĐẢNG CỘNG SẢN VIỆT NAM 中"', 1)
        open(os.path.join(d, "p.yaml"), "w", encoding="utf-8").write(prof)
        rc, err, out = render(cli, d, doc(body=["Văn bản."]), ["--profile", "p.yaml"])
        line = prof[:prof.index("中")].count("\n") + 1
        col = len(prof[:prof.index("中")].rsplit("\n", 1)[-1]) + 1
        want = "p.yaml:%d:%d: error: No font covers '中' (U+4E2D): %s lacks it. [font.coverage]" % (line, col, FONT)
        check("profile-text.message", err == want, "got %r" % err)
        check("profile-text.exit", rc == 1 and not os.path.exists(out), "exit %d" % rc)

        # 4a. a 96,000-character heading
        d = os.path.join(tmp, "long-heading")
        os.makedirs(d)
        words = ("Tiêu đề rất dài của mục %d " * 4000) % tuple(range(4000))
        heading = words[:96000].rstrip()
        rc, err, out = render(cli, d, doc(body=["# " + heading, "", "Văn bản."]))
        check("long-heading.renders", rc == 0 and err == "", "exit %d: %s" % (rc, err))
        if rc == 0:
            q = subprocess.run(["qpdf", "--check", out], capture_output=True, text=True)
            check("long-heading.qpdf", q.returncode == 0, q.stdout[-300:] + q.stderr[-300:])
            got = mutool_text(out).lower().replace("----", " ").split()
            want = heading.lower().split()
            # the heading's words, in order, in the text layer (the page header's words come first, the
            # page numbers between)
            i = 0
            for w in got:
                if i < len(want) and w == want[i]:
                    i += 1
            check("long-heading.roundtrip", i == len(want), "%d of %d words" % (i, len(want)))

        # 4b. lines of more than 2048 glyphs: a 5080 mm page (PDF's largest) and 4 pt text
        d = os.path.join(tmp, "long-run")
        os.makedirs(d)
        prof = open(os.path.join(ROOT, "layouts", "party-36-2018.yaml"), encoding="utf-8").read()
        prof = re.sub(r"(?m)^  width: 210mm", "  width: 5080mm", prof, count=1)
        prof = re.sub(r"(?m)^(body:.*\n  size:) 14pt", r"\1 4pt", prof, count=1)
        prof = re.sub(r"(?m)^(body:.*\n  size:.*\n  leading:) 18pt", r"\1 5pt", prof, count=1)
        open(os.path.join(d, "wide.yaml"), "w", encoding="utf-8").write(prof)
        body = " ".join("từ%d" % i for i in range(12000))
        rc, err, out = render(cli, d, doc(body=[body]), ["--profile", "wide.yaml", "--allow-nonconforming"])
        check("long-run.renders", rc == 0 and err == "", "exit %d: %s" % (rc, err))
        if rc == 0:
            qdf = os.path.join(d, "q.pdf")
            subprocess.run(["qpdf", "--qdf", "--normalize-content=n", "--object-streams=disable", out, qdf], check=True)
            raw = open(qdf, "rb").read()
            # one byte per glyph (one-byte codes): qpdf shows each string as hex or as a literal
            arrays = re.findall(rb"\[((?:\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F\s]*>|[^\[\]()<>])*)\]\s*TJ", raw, re.S)
            lit = rb"\(((?:[^()\\]|\\.)*)\)"
            glyphs = [sum(len(re.sub(rb"\\(\d{1,3}|.)", b"x", t)) for t in re.findall(lit, a, re.S)) +
                      sum(len(re.sub(rb"\s", b"", h)) // 2
                          for h in re.findall(rb"<([0-9a-fA-F\s]*)>", re.sub(lit, b"", a, flags=re.S)))
                      for a in arrays]
            most = max(glyphs) if glyphs else 0
            check("long-run.split", 0 < most <= 2048, "largest TJ array has %d glyphs" % most)
            check("long-run.really-long", sum(glyphs) > 2 * 2048 and len([g for g in glyphs if g == 2048]) > 0,
                  "no line reached 2048 glyphs: the test does not exercise the split")
            got = re.findall(r"từ\d+", mutool_text(out))
            check("long-run.roundtrip", got == ["từ%d" % i for i in range(12000)],
                  "%d words back; first difference at %s" % (len(got), next(
                      (i for i, w in enumerate(got) if w != "từ%d" % i), None)))

        # 5. no libharu error number in a message the user can see
        for f in ("src/output/pdf.c", "src/output/pdf_font.c", "src/api/engine.c"):
            src = open(os.path.join(ROOT, f), encoding="utf-8").read()
            check("no-error-number " + f, not re.search(r"\"[^\"\n]*(libharu|error) 0x%", src))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
