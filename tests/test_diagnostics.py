#!/usr/bin/env python3
"""Every diagnostic of a document in one run, not the first one.

    python3 tests/test_diagnostics.py build/vanban      (cwd = project root)

Sources with several independent faults (front-matter fields, the number,
the signer's form, the appendix numbering, characters no font covers,
paragraphs over a limit) are rendered once. The CLI must print every fault,
each once, in the order the stages find them (front matter, limits,
validation, coverage), as "file:line:col: error: message [id]" with the line
and column (in characters, from 1) of the value at fault, a fix on the next
line ("  fix: replace with “…” (…)") where one is obvious, exit with status
1, and leave no PDF. With --allow-nonconforming the format faults are
warnings ("warning:") and the other faults still errors; a source whose only
faults are format faults then renders, printing each warning once. A
character no font has is named once, at its first place, and at most 100
are named (one more line says that more follow).
"""
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

STATE = """---
profile: state
parent: BỘ NỘI VỤ
issuer: CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC
issuer_name: Cục Văn thư và Lưu trữ nhà nước
number: 5/QĐ-VTLTNN
place: Hà Nội
date: 2026-06-10
kind: QUYẾT ĐỊNH
mau_chu: đỏ
urgency: KHẲN
title: Về việc thành lập Đoàn kiểm tra
signer:
  authority: T/M CỤC TRƯỞNG
  post: PHÓ CỤC TRƯỞNG
  name: Trần Quốc Hưng
recipients:
  - "Lưu: VT, NVVTLT"
---

Điều 1. Thành lập Đoàn kiểm tra (中) công tác văn thư, lưu trữ năm 2026 中 日. Danh sách tại Phụ lục số 1 kèm theo.

# Phụ lục 1
# DANH SÁCH ĐOÀN KIỂM TRA

Danh sách gồm 04 thành viên.
"""

# (id, the text the position points at, the fix or None, nonconforming turns it into a warning)
FAULTS = [
    ("frontmatter.unknown-key", "mau_chu", None, False),
    ("frontmatter.value", "KHẲN", None, False),
    ("number.zero", "5/QĐ-VTLTNN", "“05/QĐ-VTLTNN” (the sequence number with its leading zero)", True),
    ("signer.form", "T/M CỤC TRƯỞNG", "“TM. CỤC TRƯỞNG” (the signing form as this format writes it)", True),
    ("appendix.numbering", "Phụ lục 1", None, True),
    ("font.coverage", "中", None, False),
    ("font.coverage", "日", None, False),
]


def position(text, needle):
    """1-based line and column (in characters) of needle's first occurrence in text."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def diagnostics(stderr):
    """[(line, fix line or None)] from the CLI's standard error."""
    out = []
    for ln in stderr.splitlines():
        if ln.startswith("  fix: "):
            if out and out[-1][1] is None:
                out[-1] = (out[-1][0], ln)
            else:
                out.append(("(a fix without a diagnostic) " + ln, None))
        elif ln:
            out.append((ln, None))
    return out


def render(cli, tmp, name, text, *args):
    d = os.path.join(tmp, name)
    os.mkdir(d)
    src = os.path.join(d, "src.md")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(d, "out.pdf")
    rc, so, se = P.run([cli, "render", src, "-o", out] + list(args), env=P.test_env())
    return src, d, out, rc, se


def expect(ck, name, src, text, se, faults, nonconforming):
    """Every fault printed once, in order, at its position, with its severity and fix."""
    got = diagnostics(se)
    ck.check(name + ".count", len(got) == len(faults), "%d diagnostics, want %d: %r" % (len(got), len(faults), got))
    for k, ((ident, at, fix, soft), (ln, fixln)) in enumerate(zip(faults, got)):
        line, col = position(text, at)
        sev = "warning" if (soft and nonconforming) else "error"
        if ident == "appendix.numbering":
            want = "%s:%d:" % (src, line)  # a heading: its line, at the "#"
        else:
            want = "%s:%d:%d: %s: " % (src, line, col, sev)
        ck.check("%s.%d.%s" % (name, k, ident), ln.startswith(want) and (" %s: " % sev) in ln and
                 ln.endswith("[%s]" % ident), "got %r, want %r … [%s]" % (ln, want, ident))
        wfix = ("  fix: replace with " + fix) if fix else None
        ck.check("%s.%d.fix" % (name, k), fixln == wfix, "got %r, want %r" % (fixln, wfix))
    lines = [ln for ln, _ in got]
    ck.check(name + ".once", len(set(lines)) == len(lines), "a diagnostic printed twice: %r" % lines)


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-diagnostics-")
    try:
        # seven faults in one source: every one reported, no PDF
        src, d, out, rc, se = render(cli, tmp, "all", STATE)
        ck.check("all.exit", rc == 1, "rc %d" % rc)
        ck.check("all.no_pdf", sorted(os.listdir(d)) == ["src.md"], "files: %s" % sorted(os.listdir(d)))
        expect(ck, "all", src, STATE, se, FAULTS, False)
        # the second 中 (a character is named once, at its first position)
        ck.check("all.char_once", se.count("'中'") == 1, "%d times" % se.count("'中'"))

        # --allow-nonconforming: the format faults are warnings, the others still errors
        src, d, out, rc, se = render(cli, tmp, "nonconforming", STATE, "--allow-nonconforming")
        ck.check("nonconforming.exit", rc == 1, "rc %d" % rc)
        ck.check("nonconforming.no_pdf", not os.path.exists(out))
        expect(ck, "nonconforming", src, STATE, se, FAULTS, True)

        # only format faults, nonconforming: it renders, each warning printed once
        only = STATE.replace("mau_chu: đỏ\n", "").replace("urgency: KHẲN\n", "urgency: KHẨN\n")
        only = only.replace("(中) ", "").replace(" 中 日.", ".")
        soft = [f for f in FAULTS if f[3]]
        src, d, out, rc, se = render(cli, tmp, "warnings", only, "--allow-nonconforming")
        ck.check("warnings.exit", rc == 0, "rc %d %r" % (rc, se.strip()[-300:]))
        ck.check("warnings.pdf", os.path.isfile(out))
        expect(ck, "warnings", src, only, se, soft, True)
        # and without the flag the same three are errors
        src, d, out, rc, se = render(cli, tmp, "format", only)
        ck.check("format.exit", rc == 1, "rc %d" % rc)
        ck.check("format.no_pdf", not os.path.exists(out))
        expect(ck, "format", src, only, se, soft, False)

        # front-matter faults only: every one, a required field missing among them
        fm = STATE.replace("place: Hà Nội\n", "").replace("date: 2026-06-10", "date: 2026-02-30")
        fm = fm.replace("5/QĐ-VTLTNN", "05/QĐ-VTLTNN").replace("T/M CỤC", "KT. CỤC").replace("Phụ lục 1", "Phụ lục I")
        fm = fm.replace("(中) ", "").replace(" 中 日.", ".")
        src, d, out, rc, se = render(cli, tmp, "frontmatter", fm)
        got = [ln for ln, _ in diagnostics(se)]
        ids = [ln[ln.rfind("[") + 1:-1] for ln in got]
        ck.check("frontmatter.ids", ids == ["frontmatter.date", "frontmatter.unknown-key", "frontmatter.value",
                                            "frontmatter.missing"], repr(got))
        ck.check("frontmatter.date_at", bool(got) and got[0].startswith("%s:%d:%d: error: " % (
            (src,) + position(fm, "2026-02-30"))), repr(got[:1]))
        ck.check("frontmatter.missing_place", bool(got) and '"place"' in got[-1] and got[-1].startswith(
            "%s:1:1: error: " % src), repr(got[-1:]))
        ck.check("frontmatter.exit", rc == 1 and not os.path.exists(out), "rc %d" % rc)
        # the model dump stops there too, with the same four
        rc2, so2, se2 = P.run([cli, "dump", "--stage=model", src], env=P.test_env())
        ck.check("frontmatter.dump", rc2 == 1 and not so2 and [ln for ln, _ in diagnostics(se2)] == got,
                 "rc %d %r" % (rc2, se2[-300:]))

        # two paragraphs over the paragraph limit: both named
        good = fm.replace("mau_chu: đỏ\n", "").replace("urgency: KHẲN\n", "").replace(
            "date: 2026-02-30", "place: Hà Nội\ndate: 2026-06-10")
        long_ = good.replace("Danh sách gồm 04 thành viên.", "Danh sách gồm bốn thành viên của Đoàn kiểm tra.")
        src, d, out, rc, se = render(cli, tmp, "limits", long_, "--limit", "paragraph-chars=40")
        got = [ln for ln, _ in diagnostics(se)]
        want = [position(long_, "Điều 1."), position(long_, "Danh sách gồm")]
        ck.check("limits.both", len(got) == 2 and all(
            g.startswith("%s:%d:%d: error: " % (src, l, c)) and g.endswith("[paragraph.too-long]")
            for g, (l, c) in zip(got, want)), repr(got))
        ck.check("limits.exit", rc == 1 and not os.path.exists(out), "rc %d" % rc)

        # 120 different characters no font has: the first 100 named, then one line saying there are more
        many = good.replace("Danh sách gồm 04 thành viên.", "".join(chr(0x4E00 + i) for i in range(120)))
        src, d, out, rc, se = render(cli, tmp, "many_chars", many)
        got = [ln for ln, _ in diagnostics(se)]
        named = [g for g in got if "No font covers" in g]
        ck.check("many_chars.count", len(got) == 101 and len(named) == 100 and "More characters" in got[-1] and
                 all(g.endswith("[font.coverage]") for g in got), "%d lines, %d named" % (len(got), len(named)))
        ck.check("many_chars.first", bool(named) and named[0].startswith("%s:%d:%d: error: No font covers '%s'" % (
            (src,) + position(many, chr(0x4E00)) + (chr(0x4E00),))), repr(named[:1]))

        # a clean source: nothing printed
        src, d, out, rc, se = render(cli, tmp, "clean", good)
        ck.check("clean", rc == 0 and os.path.isfile(out) and se.strip() == "", "rc %d %r" % (rc, se[-300:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
