#!/usr/bin/env python3
"""What clerks paste (docs/paste.md): each rule's failing and passing example
with its exact finding line, `vanban convert` on files in each encoding, and
files that are not text (.docx, .doc, .odt, RTF, PDF, UTF-16) made here.

    python3 tests/test_paste.py build/vanban      (cwd = project root)

A finding is the first line `FILE:LINE:COL: warning|error: message [id]`
(vanban render prints the same lines as check), followed by `  fix: ...`
when it has a fix; both are compared exactly.
"""
import io
import os
import subprocess
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True

VB = os.path.abspath(sys.argv[1])
HEAD = [
    "---",
    "parent: ĐẢNG BỘ TỈNH THANH HOÁ",
    "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    "number: 12-BC/ĐUK",
    "place: Thanh Hoá",
    "date: 2023-07-06",
    "kind: BÁO CÁO",
    "title: Kiểm tra văn bản dán vào",
    "---",
    "",
]
BODY_LINE = len(HEAD) + 1  # the first body line's number

failed = 0
passed = 0


def check(cond, what):
    global failed, passed
    if cond:
        passed += 1
        print("ok   ", what)
    else:
        failed += 1
        print("FAIL ", what)


def run(args, cwd, stdin=None):
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
    p = subprocess.run([VB] + args, cwd=cwd, capture_output=True, env=env, timeout=120, input=stdin)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def render(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    out = os.path.join(tmp, "out.pdf")
    if os.path.exists(out):
        os.unlink(out)
    rc, _, err = run(["render", name, "-o", "out.pdf"], tmp)
    return rc, [l for l in err.splitlines() if l], os.path.exists(out)


def doc(*body, head=HEAD):
    return "\n".join(list(head) + list(body)) + "\n"


def finding_lines(err, ids):
    """The finding lines (and their fix lines) of the given rule ids, in order."""
    out = []
    keep = False
    for l in err:
        if l.startswith("  fix:"):
            if keep:
                out.append(l)
            continue
        keep = any(l.endswith("[%s]" % i) for i in ids)
        if keep:
            out.append(l)
    return out


LEGACY = ("paste.tcvn3", "paste.vni", "paste.viqr")
MSG = ('This text is in the old {enc} encoding ({fonts}), pasted as Latin letters: "{before}" should read '
       '"{after}". Replace it with the converted text (vanban convert --from {low} FILE converts a whole file).')
FONTS = {"TCVN3": "ABC, typed in a .VnTime font", "VNI": "typed in a VNI-Times font",
         "VIQR": "Vietnamese written in ASCII"}


def legacy_line(line, col, endcol, enc, before, after, clear=True):
    msg = MSG.format(enc=enc, fonts=FONTS[enc], before=before, after=after, low=enc.lower())
    note = "the converted text" if clear else "the converted text (read it over)"
    return ["d.md:%d:%d: warning: %s [paste.%s]" % (line, col, msg, enc.lower()),
            "  fix: replace with “%s” (%s)" % (after, note)]


def test_legacy(tmp):
    # TCVN3 in the body: the whole paragraph, at its range
    t3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    rc, err, made = render(tmp, "d.md", doc("Đoạn đầu đúng.", "", t3, ""))
    got = finding_lines(err, LEGACY)
    # the range: from the first word the conversion changes to the last ("Nam" is the same in both)
    exp = legacy_line(BODY_LINE + 2, 1, 0, "TCVN3", t3[:-4], "Cộng hoà xã hội chủ nghĩa Việt")
    check(got == exp, "paste.tcvn3 in a paragraph: %r" % got)
    check(rc == 0 and made, "a TCVN3 paragraph is a warning: the PDF is made (rc %d)" % rc)
    # TCVN3 in a front-matter field, the field's value only
    head = [h if not h.startswith("issuer:") else "issuer: §¶NG ñY KHèI C¥ QUAN" for h in HEAD]
    rc, err, made = render(tmp, "d.md", doc("Đoạn văn.", head=head))
    got = finding_lines(err, LEGACY)
    check(got == legacy_line(3, 9, 0, "TCVN3", "§¶NG ñY KHèI C¥", "ĐẢNG ỦY KHỐI CƠ"),
          "paste.tcvn3 in the issuer field, capitals: %r" % got)
    # a TCVN3 run inside a paragraph typed correctly: only the run
    rc, err, made = render(tmp, "d.md", doc("Căn cứ Điều lệ Đảng, Bé Y tÕ đã ban hành."))
    got = finding_lines(err, LEGACY)
    check(got == legacy_line(BODY_LINE, 22, 0, "TCVN3", "Bé Y tÕ", "Bộ Y tế"),
          "paste.tcvn3 run inside a correct paragraph: %r" % got)
    # VNI
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    rc, err, made = render(tmp, "d.md", doc(vni))
    got = finding_lines(err, LEGACY)
    check(got == legacy_line(BODY_LINE, 1, 0, "VNI", vni[:-4], "Cộng hòa xã hội chủ nghĩa Việt"),
          "paste.vni: %r" % got)
    # VIQR
    viqr = "Ha` No^.i, nga`y 5 tha'ng 3 na(m 2023"
    rc, err, made = render(tmp, "d.md", doc(viqr))
    got = finding_lines(err, LEGACY)
    check(got == legacy_line(BODY_LINE, 1, 0, "VIQR", viqr[:-5], "Hà Nội, ngày 5 tháng 3 năm"),
          "paste.viqr: %r" % got)
    # passing: correct Vietnamese, French, German, English, a Latin-1-only Vietnamese line
    fr = ("Le café est très bon à Paris, où l'été dure longtemps. Les élèves ont reçu leurs diplômes "
          "après une année difficile; on a fêté ça à la brasserie « Chez Hélène ».")
    de = ("Die Größe der Bäume über dem Fluß ist schön. Müller fährt früh zur Universität und hört "
          "unterwegs Nachrichten über die Wirtschaft in Österreich.")
    en = "It's five o'clock: don't you think we're late? I'm sure they'll wait for us (a+b)^2."
    vi = "Cộng hòa xã hội chủ nghĩa Việt Nam. Bé Út ở Hà Tây; nhiệt độ 30°C, 2×3 m, § 5."
    for name, para in (("French", fr), ("German", de), ("English", en), ("Vietnamese", vi)):
        rc, err, made = render(tmp, "d.md", doc(para))
        check(rc == 0 and not finding_lines(err, LEGACY), "no finding on a %s paragraph: %r" % (name, err))


INVIS = ("An invisible character, %s (U+%04X), is pasted here: it cannot be seen, but it stays in the PDF's text (a "
         "search for the word will not find it). Delete it.")


def test_invisible(tmp):
    body = "Kế\u200bhoạch số\u00ad5 và\ufeff\ufeffnăm\u2060nay."
    rc, err, made = render(tmp, "d.md", doc(body))
    L = BODY_LINE
    exp = [
        "d.md:%d:3: warning: %s [paste.invisible]" % (L, INVIS % ("a zero-width space", 0x200B)),
        "  fix: replace with “” (delete it)",
        "d.md:%d:12: warning: %s [paste.invisible]" % (L, INVIS % ("a soft hyphen", 0xAD)),
        "  fix: replace with “” (delete it)",
        "d.md:%d:17: warning: %s [paste.invisible]" % (L, INVIS % ("a zero-width no-break space (a byte order mark "
                                                                   "inside the text)", 0xFEFF)),
        "  fix: replace with “” (delete it)",
        "d.md:%d:22: warning: %s [paste.invisible]" % (L, INVIS % ("a word joiner", 0x2060)),
        "  fix: replace with “” (delete it)",
    ]
    got = finding_lines(err, ("paste.invisible",))
    check(got == exp, "paste.invisible, one finding per run, each named: %r" % got)
    check(rc == 0 and made, "invisible characters are warnings (rc %d)" % rc)
    rc, err, made = render(tmp, "d.md", doc("Dòng một\u2028dòng hai."))
    exp = ["d.md:%d:9: error: A line break from Word, a line separator (U+2028), stands here; no font draws it. "
           "Replace it with a space, or leave an empty line to start a new paragraph. [paste.line-separator]" % BODY_LINE,
           "  fix: replace with “ ” (a space)"]
    check(finding_lines(err, ("paste.line-separator",)) == exp, "paste.line-separator: %r" % err)
    check(rc == 1 and not made and not any("font.coverage" in l for l in err),
          "a line separator is an error, said once (no font.coverage): rc %d %r" % (rc, err))
    # passing: a no-break space and ordinary text
    rc, err, made = render(tmp, "d.md", doc("Điều\u00a05 và Điều 6."))
    check(rc == 0 and not finding_lines(err, ("paste.invisible",)), "no finding on a no-break space")


def test_markdown(tmp):
    rc, err, made = render(tmp, "d.md", doc("**Lưu ý:**đã gửi báo cáo."))
    exp = ['d.md:%d:9: warning: These "**" are printed as typed, not as bold: after punctuation, closing stars '
           'need a space (or punctuation) after them. Put a space after them. [md.stars-literal]' % BODY_LINE,
           "  fix: replace with “** ” (a space after the stars)"]
    check(finding_lines(err, ("md.stars-literal",)) == exp, "md.stars-literal: %r" % err)
    rc, err, made = render(tmp, "d.md", doc("Đã gửi**\"Báo cáo\"** hôm qua."))
    exp = ['d.md:%d:7: warning: These "**" are printed as typed, not as bold: before punctuation, opening stars '
           'need a space (or punctuation) before them. Put a space before them. [md.stars-literal]' % BODY_LINE,
           "  fix: replace with “ **” (a space before the stars)"]
    check(finding_lines(err, ("md.stars-literal",)) == exp, "md.stars-literal, opening: %r" % err)
    rc, err, made = render(tmp, "d.md", doc("Diện tích 2*3*4 mét."))
    exp = ['d.md:%d:11: warning: "2*3*4" prints the number between the stars in italics, without the stars. For '
           'a multiplication write "×"; to keep the stars, write \\* for each. [md.stars-italic]' % BODY_LINE,
           "  fix: replace with “2\\*3\\*4” (the stars printed as typed)"]
    check(finding_lines(err, ("md.stars-italic",)) == exp, "md.stars-italic: %r" % err)
    # passing: the fixes, and bold and italic as meant
    for ok in ("**Lưu ý:** đã gửi báo cáo.", "Diện tích 2\\*3\\*4 mét.", "Diện tích 2×3×4 mét.",
               "Đây là **in đậm** và *in nghiêng*, 2 * 3 = 6."):
        rc, err, made = render(tmp, "d.md", doc(ok))
        check(rc == 0 and not finding_lines(err, ("md.stars-literal", "md.stars-italic")),
              "no Markdown finding on %r: %r" % (ok, err))


def test_joined_lines(tmp):
    # one paragraph a line, as Word pastes them: a line that ends a sentence and one that starts
    # with a capital are joined by Markdown; said once a paragraph, at the second line's start
    rc, err, made = render(tmp, "d.md", doc("- Lệ phí: theo quy định.", "Trong quá trình thực hiện, có vướng mắc."))
    exp = ['d.md:%d:1: warning: This line is printed as part of the paragraph above it: the lines of a paragraph '
           'join until an empty line. If it starts a new paragraph, leave an empty line before it; if every line of '
           'the text is a paragraph (text pasted from Word), add "line_breaks: paragraphs" to the front matter. '
           '[md.joined-lines]' % (BODY_LINE + 1),
           "  fix: replace with “\\n” (an empty line before it: a paragraph of its own)"]
    got = finding_lines(err, ("md.joined-lines",))
    check(got[:1] == exp[:1] and len([l for l in got if not l.startswith("  fix")]) == 1 and made,
          "md.joined-lines: %r" % err)
    # a numbered heading typed on its line, its text on the next
    rc, err, made = render(tmp, "d.md", doc("1. Đánh giá kết quả", "Chi bộ đã hoàn thành 8/10 chỉ tiêu."))
    check([l for l in finding_lines(err, ("md.joined-lines",)) if not l.startswith("  fix")] ==
          [exp[0].replace(":%d:1:" % (BODY_LINE + 1), ":%d:1:" % (BODY_LINE + 1))],
          "md.joined-lines after a numbered line: %r" % err)
    three = doc("Câu một kết thúc.", "Câu hai bắt đầu.", "Ông Ba đến.")
    rc, err, made = render(tmp, "d.md", three)
    check(len([l for l in finding_lines(err, ("md.joined-lines",)) if not l.startswith("  fix")]) == 1,
          "md.joined-lines once a paragraph: %r" % err)
    # passing: an empty line between, a sentence going on over lines, every line a paragraph
    for ok in (doc("- Lệ phí: theo quy định.", "", "Trong quá trình thực hiện."),
               doc("Sở Giáo dục và Đào tạo đề nghị", "các đơn vị thực hiện."),
               doc("Theo đề nghị của phòng,", "Ủy ban nhân dân xã quyết định."),
               doc("1. Đánh giá kết quả 6 tháng đầu năm và", "các chỉ tiêu còn lại."),
               doc("Câu một kết thúc.", "Câu hai bắt đầu.", head=HEAD[:-2] + ["line_breaks: paragraphs", "---", ""])):
        rc, err, made = render(tmp, "d.md", ok)
        check(rc == 0 and not finding_lines(err, ("md.joined-lines",)), "no md.joined-lines on %r: %r" % (ok, err))


def test_filetypes(tmp):
    text = doc("Đoạn văn.")
    cases = []
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    cases.append(("d.docx", b.getvalue(), "input.docx",
                  "This is a Word file (.docx), not text: open it in Word, Save As -> Plain Text (UTF-8), or copy the "
                  "text into a .md file."))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    cases.append(("d.odt", b.getvalue(), "input.odt",
                  "This is an OpenDocument file (.odt), not text: open it in LibreOffice Writer, Save As -> Text "
                  "(.txt) in UTF-8, or copy the text into a .md file."))
    cases.append(("d.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(504), "input.doc",
                  "This is an old Word file (.doc), not text: open it in Word, Save As -> Plain Text (UTF-8), or copy "
                  "the text into a .md file."))
    utf16 = ("This file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8: open it in Notepad and Save As with "
             "Encoding UTF-8, or convert it: iconv -f UTF-16 -t UTF-8 FILE > NEW.md.")
    cases.append(("d16.md", text.encode("utf-16"), "input.utf16", utf16))
    cases.append(("d16le.md", text.encode("utf-16-le"), "input.utf16", utf16))
    cases.append(("d16be.md", text.encode("utf-16-be"), "input.utf16", utf16))
    cases.append(("d.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 C\\'f4ng v\\'e3n\\par}", "input.rtf",
                  "This is a rich text file (.rtf), not plain text: open it in Word or WordPad, Save As -> Plain Text "
                  "(UTF-8), or copy the text into a .md file."))
    # a real PDF: vanban's own
    rc, _, _ = render(tmp, "src.md", text)
    with open(os.path.join(tmp, "out.pdf"), "rb") as f:
        pdf = f.read()
    cases.append(("d.pdf.md", pdf, "input.pdf",
                  "This is a PDF file, not a source: vanban makes PDFs from .md text. Copy the text out of the PDF "
                  "into a .md file (and check its Vietnamese letters)."))
    for name, data, rid, msg in cases:
        rc, err, made = render(tmp, name, data)
        exp = ["%s:1:1: error: %s [%s]" % (name, msg, rid)]
        check(err == exp and rc == 1 and not made, "%s named (%s): rc %d %r" % (name, rid, rc, err))


def test_convert(tmp):
    files = {
        "t3.txt": ("tcvn3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode("utf-8")),
        "t3raw.txt": ("tcvn3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode("latin-1")),
        "vni.txt": ("vni", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n".encode("utf-8")),
        "viqr.txt": ("viqr", b"Co^.ng ho`a xa~ ho^.i chu? nghi~a Vie^.t Nam\nDDo^.c la^.p - Tu+. do - Ha.nh phu'c\n"),
    }
    want = {
        "tcvn3": "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n",
        "vni": "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n",
        "viqr": "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n",
    }
    for name, (enc, data) in files.items():
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(data)
        rc, out, err = run(["convert", "--from", enc, name], tmp)
        check(rc == 0 and out == want[enc], "convert --from %s %s to stdout: %r" % (enc, name, out))
        rc, out, err = run(["convert", name], tmp)
        check(rc == 0 and out == want[enc], "convert (auto) %s finds %s: %r %r" % (name, enc, out, err))
        dest = os.path.join(tmp, "out-" + name)
        with open(dest, "w") as f:
            f.write("old")
        rc, out, err = run(["convert", "--from=" + enc, name, "-o", "out-" + name], tmp)
        with open(dest, encoding="utf-8") as f:
            got = f.read()
        left = [x for x in os.listdir(tmp) if x.startswith("out-" + name + ".")]
        check(rc == 0 and out == "" and got == want[enc] and not left,
              "convert -o replaces the file whole, no temporary file left: %r %r" % (got, left))
    with open(os.path.join(tmp, "plain.txt"), "w") as f:
        f.write("Hello world, nothing old here.\n")
    rc, out, err = run(["convert", "plain.txt"], tmp)
    check(rc == 1 and out == "" and err.strip() == "plain.txt: error: No TCVN3, VNI or VIQR text was found: name the "
          "encoding with --from. [paste.none]", "convert auto on plain text: exit 1: %r" % err)
    rc, out, err = run(["convert", "--from", "utf7", "plain.txt"], tmp)
    check(rc == 2 and "use tcvn3, vni, viqr or auto" in err, "convert --from unknown: exit 2")
    rc, out, err = run(["convert", "--from", "tcvn3", "missing.txt"], tmp)
    check(rc == 3 and not os.path.exists(os.path.join(tmp, "missing.txt")), "convert a missing file: exit 3")
    rc, out, err = run(["convert", "--help"], tmp)
    check(rc == 0 and "--from tcvn3" in out and "-o OUT" in out, "convert --help")
    rc, out, err = run(["--help"], tmp)
    check("vanban convert --from" in out, "vanban --help lists convert")


def test_samples_clean(tmp):
    srcs = []
    for d in ("samples", "samples/party05", "samples/party36", "samples/state"):
        srcs += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".md")]
    bad = []
    for s in srcs:
        rc, _, err = run(["render", os.path.abspath(s), "-o", os.path.join(tmp, "s.pdf")], os.getcwd())
        for l in err.splitlines():
            if any(k in l for k in ("[paste.", "[md.stars", "[input.")):
                bad.append(l)
    check(len(srcs) >= 40 and not bad, "%d samples: no paste, Markdown or file-type finding: %r" % (len(srcs), bad))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_legacy(tmp)
        test_invisible(tmp)
        test_markdown(tmp)
        test_joined_lines(tmp)
        test_filetypes(tmp)
        test_convert(tmp)
        test_samples_clean(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
