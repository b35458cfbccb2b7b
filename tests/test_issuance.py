#!/usr/bin/env python3
"""Documents drafted before they are issued, documents reproduced as issued, and the lines that name
the parent document (issue 8 items 2, 3, 6, the V/v of item 5, the Kính gửi note of item 4).

    python3 tests/test_issuance.py build/vanban      (cwd = project root)

  - blank: a sequence number and a day (or day and month) left blank for the văn thư, in the state
    format and in both Party formats. Read back with mutool: the gap between "Số:" and "/KH-UBND"
    and between "ngày" and "tháng" is the profile's `blanks` width (10 mm, 6 mm) to within half a
    space; a numbered document has one space there. The Info dictionary says what is blank
    (pdfinfo -custom: /VanbanBlank "number day", /VanbanDate "2026-04") and has no made-up
    /CreationDate; a numbered document has neither mark and a creation date.
  - dates: "2026-13" is refused; a Party document dated "2026" or "2026-05" (05-HD took effect on
    27/5/2026) must name its profile (profile.ambiguous) and renders once it does.
  - nonconforming: a number without its leading zero and a signer form of the other regime are
    errors (exit 1, no PDF); with --allow-nonconforming, or `nonconforming: true`, the same source
    renders (exit 0) with one "file:line:col: warning: … [id]" per rule, at the same positions as
    the errors, and the number printed as typed.
  - kem_theo: the appendix's "(Kèm theo …)" line in each profile, as pdftotext reads it: the kind in
    sentence case ("Báo cáo"), the number, the date ("số … ngày" in the state format, "số …, ngày"
    in the Party formats), "của" and issuer_name; a công văn says "Văn bản" (state) or "Công văn"
    (Party); without issuer_name an error at the appendix's label (party-05, state), and no line at
    all under 36-HD (which has none); blank number and day left blank in the line too.
  - nolabel: an appendix with a line "\\nolabel" under its label, in each profile: its page has no
    label line ("PHỤ LỤC"/"Phụ lục" nowhere on it), the title is its first line (under 36-HD's
    appendix header), bold, centred on the text block and set where the label's top stands without
    "\\nolabel" (within 0.5 mm), and the outline entry (mutool show outline) is the title (two
    title lines joined by a space); "\\nolabel" with a label and title on one line (no title to
    print) and "\\nolabel" in the main text are markdown.nolabel errors at the line.
  - vv: a công văn title typed "V/v …" (or "v/v", "V/V") prints "V/v" once.
  - to_note: the note under the Kính gửi list: under its last line, italic, centred on the text
    block, in both regimes.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
from pdfcheck import mm  # noqa: E402

STATE = """---
profile: state
parent: ỦY BAN NHÂN DÂN TỈNH THANH HÓA
issuer: SỞ NỘI VỤ
issuer_name: Sở Nội vụ tỉnh Thanh Hóa
number: {number}
place: Thanh Hóa
date: {date}
kind: {kind}
title: {title}
{extra}signer:
  authority: KT. GIÁM ĐỐC
  post: PHÓ GIÁM ĐỐC
  name: Lê Thị Hồng Nhung
recipients:
  - "Lưu: VT, VTLT"
---

Nội dung văn bản.

Danh sách tại Phụ lục I kèm theo.

# Phụ lục

# DANH SÁCH

Danh sách kèm theo.
"""

PARTY = """---
profile: {profile}
parent: ĐẢNG BỘ TỈNH THANH HÓA
issuer: BAN TỔ CHỨC
issuer_name: Ban Tổ chức Tỉnh ủy Thanh Hóa
number: {number}
place: Thanh Hóa
date: {date}
kind: {kind}
title: {title}
{extra}signer:
  authority: K/T TRƯỞNG BAN
  post: PHÓ TRƯỞNG BAN
  name: Lê Văn Hùng
recipients:
  - Lưu VP
---

Nội dung văn bản.

# PHỤ LỤC

# DANH SÁCH

Danh sách kèm theo.
"""

MM = P.MM


def src(tmpl, **kw):
    d = dict(number="15/KH-SNV" if tmpl is STATE else "15-KH/BTCTU", date="2026-04-06", kind="KẾ HOẠCH", title="Tổ chức bồi dưỡng nghiệp vụ",
             extra="", profile="party-05-2026")
    d.update(kw)
    if d["kind"] is None:
        t = tmpl.replace("kind: {kind}\n", "")
        d.pop("kind")
        return t.format(**d)
    return tmpl.format(**d)


class Run(object):
    def __init__(self, cli, tmp):
        self.cli, self.tmp, self.n = cli, tmp, 0

    def render(self, text, *args):
        self.n += 1
        s = os.path.join(self.tmp, "d%02d.md" % self.n)
        out = os.path.join(self.tmp, "d%02d.pdf" % self.n)
        open(s, "w", encoding="utf-8").write(text)
        rc, so, se = P.run([self.cli, "render", s, "-o", out] + list(args), env=P.test_env())
        return s, out, rc, se


def info(pdf):
    rc, out, err = P.run(["pdfinfo", "-custom", pdf])
    d = {}
    for ln in out.splitlines():
        k, _, v = ln.partition(":")
        d[k.strip()] = v.strip()
    rc, out, err = P.run(["pdfinfo", pdf])
    d["_dates"] = [ln for ln in out.splitlines() if ln.startswith(("CreationDate", "ModDate"))]
    return d


def text(pdf):
    """pdftotext -raw (content order): a blank's gap makes the default mode read a line as two columns."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout


def flat(t):
    """Whitespace (the gaps' no-break spaces too) as one space."""
    return " ".join(t.split())


def chars_after(page, word):
    """The inked characters of page 1 in reading order, and the index just after the first `word`."""
    cs = sorted([c for c in page.chars], key=lambda c: (round(c.oy, 0), c.ox))
    s = "".join(c.c for c in cs)
    i = s.find(word)
    return cs, (i + len(word) if i >= 0 else -1)


def gap_after(page, word):
    """mm from the last letter of `word` to the next inked character on its line, and the size."""
    cs, i = chars_after(page, word)
    if i < 0:
        return None, None
    last = cs[i - 1]
    nxt = next((c for c in cs[i:] if not c.c.isspace() and abs(c.oy - last.oy) < 0.5), None)
    if nxt is None:
        return None, None
    return mm(nxt.x0 - last.x1), last.size


def check_gap(ck, name, page, word, want_mm, spaces):
    """The gap after `word` is want_mm of no-break spaces (nearest whole one) plus `spaces` spaces."""
    g, size = gap_after(page, word)
    if g is None:
        return ck.check(name, False, "%r not found" % word)
    sp = mm(0.25 * size)  # a space of Times New Roman / Liberation Serif: 250/1000 em
    extra = g - spaces * sp
    return ck.check(name, abs(extra - want_mm) <= sp / 2 + 0.05,
                    "gap %.2f mm = %d space(s) + %.2f mm (want %.1f ± %.2f)" % (g, spaces, extra, want_mm, sp / 2))


def check_blank(ck, r):
    cases = [
        ("state", STATE, dict(number='"/KH-SNV"', date="2026-04"), "Số:", "/KH-SNV", "number day", "2026-04"),
        ("state_marks", STATE, dict(number='"…/KH-SNV"', date="2026"), "Số:", "/KH-SNV", "number day month", "2026"),
        ("party05", PARTY, dict(number='"-KH/BTCTU"', date="2026-08"), "Số", "-KH/BTCTU", "number day", "2026-08"),
        ("party05_underscores", PARTY, dict(number="___-KH/BTCTU", date="2026-08"), "Số", "-KH/BTCTU",
         "number day", "2026-08"),
        ("party36", PARTY, dict(number='"-KH/BTCTU"', date="2023-07", profile="party-36-2018"), "Số", "-KH/BTCTU",
         "number day", "2023-07"),
    ]
    for name, tmpl, kw, so, rest, blank, ddate in cases:
        s, out, rc, se = r.render(src(tmpl, **kw))
        if not ck.check("blank.%s.render" % name, rc == 0 and se.strip() == "", "rc %d %s" % (rc, se.strip()[-300:])):
            continue
        p1 = P.load_pdf(out)[0]
        t = flat(text(out))
        ck.check("blank.%s.text" % name, (so + " " + rest) in t, "%r in the text layer" % (so + " " + rest))
        check_gap(ck, "blank.%s.number_gap" % name, p1, so, 10.0, 1)
        month = ddate[5:] if len(ddate) == 7 else ""
        if month:
            check_gap(ck, "blank.%s.day_gap" % name, p1, "ngày", 6.0, 2)
            ck.check("blank.%s.month" % name, ("ngày tháng %d năm %s" % (int(month), ddate[:4])) in t,
                     "month printed, day blank")
        else:
            check_gap(ck, "blank.%s.day_gap" % name, p1, "ngày", 6.0, 2)
            check_gap(ck, "blank.%s.month_gap" % name, p1, "tháng", 6.0, 2)
            ck.check("blank.%s.month" % name, ("ngày tháng năm %s" % ddate[:4]) in t, "day and month blank")
        inf = info(out)
        ck.check("blank.%s.info_blank" % name, inf.get("VanbanBlank") == blank, "/VanbanBlank %r" % inf.get("VanbanBlank"))
        ck.check("blank.%s.info_date" % name, inf.get("VanbanDate") == ddate and not inf["_dates"],
                 "/VanbanDate %r, %s" % (inf.get("VanbanDate"), inf["_dates"] or "no CreationDate"))
        ck.check("blank.%s.subject" % name, inf.get("Subject", "").startswith("Số …"), repr(inf.get("Subject")))
    # the same documents numbered and dated: one space after "Số:", no marks, a creation date
    for name, tmpl, kw, so in (("state", STATE, dict(number="15/KH-SNV"), "Số:"),
                               ("party05", PARTY, dict(number="15-KH/BTCTU", date="2026-08-05"), "Số")):
        s, out, rc, se = r.render(src(tmpl, **kw))
        if ck.check("numbered.%s.render" % name, rc == 0, se.strip()[-200:]):
            p1 = P.load_pdf(out)[0]
            g, size = gap_after(p1, so)
            ck.check("numbered.%s.gap" % name, g is not None and abs(g - mm(0.25 * size)) < 0.3, "gap %s mm" % g)
            inf = info(out)
            ck.check("numbered.%s.info" % name, "VanbanBlank" not in inf and "VanbanDate" not in inf and
                     any(x.startswith("CreationDate") for x in inf["_dates"]), str(sorted(inf)))


def check_dates(ck, r):
    s, out, rc, se = r.render(src(STATE, date="2026-13"))
    ck.check("date.bad_month", rc == 1 and "[frontmatter.date]" in se and not os.path.exists(out), se.strip()[-200:])
    for d in ("2026", "2026-05"):
        s, out, rc, se = r.render(src(PARTY, date=d, profile="party"))
        ck.check("date.ambiguous.%s" % d, rc == 1 and "[profile.ambiguous]" in se and "party-" in se,
                 se.strip()[-250:])
    s, out, rc, se = r.render(src(PARTY, date="2026-05", profile="party-05-2026"))
    ck.check("date.named_profile", rc == 0, se.strip()[-200:])
    s, out, rc, se = r.render(src(PARTY, date="2026-06", profile="party"))
    ck.check("date.month_in_one_profile", rc == 0 and "party-05-2026" in info(out).get("Keywords", ""),
             se.strip()[-200:])


def position(t, needle):
    i = t.index(needle)
    return t.count("\n", 0, i) + 1, i - (t.rfind("\n", 0, i) + 1) + 1


def check_nonconforming(ck, r):
    bad = src(STATE, number="5/KH-SNV").replace("authority: KT. GIÁM ĐỐC", "authority: K/T GIÁM ĐỐC")
    want = [("number.zero", "5/KH-SNV"), ("signer.form", "K/T GIÁM ĐỐC")]
    s, out, rc, se = r.render(bad)
    l, c = position(bad, "5/KH-SNV")
    ck.check("nonconforming.off.error", rc == 1 and se.startswith("%s:%d:%d: error: " % (s, l, c))
             and "[number.zero]" in se, se.strip()[-200:])
    ck.check("nonconforming.off.no_pdf", not os.path.exists(out), "no output")
    for how, text_, args in (("flag", bad, ["--allow-nonconforming"]),
                             ("frontmatter", bad.replace("---\nprofile:", "---\nnonconforming: true\nprofile:", 1), [])):
        s, out, rc, se = r.render(text_, *args)
        # each diagnostic on one line; a fix, when there is one, on the next ("  fix: replace with ...")
        fixes = [x for x in se.strip().splitlines() if x.startswith("  fix: ")]
        lines = [x for x in se.strip().splitlines() if x and not x.startswith("  fix: ")]
        ck.check("nonconforming.%s.fixes" % how, fixes == ["  fix: replace with \u201c05/KH-SNV\u201d (the sequence "
                                                          "number with its leading zero)",
                                                          "  fix: replace with \u201cKT. GIÁM ĐỐC\u201d (the signing "
                                                          "form as this format writes it)"], repr(fixes))
        wants = []
        for ident, at in want:
            l, c = position(text_, at)
            wants.append("%s:%d:%d: warning: " % (s, l, c))
        ok = rc == 0 and os.path.exists(out) and len(lines) == 2 and all(
            ln.startswith(w) and ln.endswith("[%s]" % ident) for ln, w, (ident, at) in zip(lines, wants, want))
        ck.check("nonconforming.%s.warnings" % how, ok, "rc %d, %r" % (rc, lines))
        if os.path.exists(out):
            ck.check("nonconforming.%s.as_typed" % how, "Số: 5/KH-SNV" in flat(text(out)), "number as typed")
    # a source that breaks no rule: no warning
    s, out, rc, se = r.render(src(STATE), "--allow-nonconforming")
    ck.check("nonconforming.clean", rc == 0 and se.strip() == "", se.strip()[-200:])


def kem_line(pdf):
    t = flat(text(pdf))
    m = re.search(r"\(Kèm theo [^)]*\)", t)
    return m.group(0) if m else None


def check_kem_theo(ck, r):
    cases = [
        ("state", STATE, {}, "(Kèm theo Kế hoạch số 15/KH-SNV ngày 06 tháng 4 năm 2026 của Sở Nội vụ tỉnh Thanh Hóa)"),
        ("state_cong_van", STATE, dict(kind=None, number="15/SNV-VP", title="V/v tổ chức bồi dưỡng"),
         "(Kèm theo Văn bản số 15/SNV-VP ngày 06 tháng 4 năm 2026 của Sở Nội vụ tỉnh Thanh Hóa)"),
        ("state_blank", STATE, dict(number='"/KH-SNV"', date="2026-04"),
         "(Kèm theo Kế hoạch số /KH-SNV ngày tháng 4 năm 2026 của Sở Nội vụ tỉnh Thanh Hóa)"),
        ("party05", PARTY, dict(kind="BÁO CÁO", number="196-BC/BTCTU", date="2026-07-06"),
         "(Kèm theo Báo cáo số 196-BC/BTCTU, ngày 06 tháng 7 năm 2026 của Ban Tổ chức Tỉnh ủy Thanh Hóa)"),
        ("party05_cong_van", PARTY, dict(kind=None, number="196-CV/BTCTU", date="2026-07-06", title="về việc bồi dưỡng"),
         "(Kèm theo Công văn số 196-CV/BTCTU, ngày 06 tháng 7 năm 2026 của Ban Tổ chức Tỉnh ủy Thanh Hóa)"),
        ("party36", PARTY, dict(kind="BÁO CÁO", number="196-BC/BTCTU", date="2023-07-06", profile="party-36-2018"),
         "(Kèm theo Báo cáo số 196-BC/BTCTU, ngày 06 tháng 7 năm 2023 của Ban Tổ chức Tỉnh ủy Thanh Hóa)"),
    ]
    for name, tmpl, kw, want in cases:
        s, out, rc, se = r.render(src(tmpl, **kw))
        if ck.check("kem_theo.%s.render" % name, rc == 0, se.strip()[-200:]):
            got = kem_line(out)
            ck.check("kem_theo.%s.text" % name, got == want, "got %r" % got)
    # without issuer_name: an error at the appendix's label (05-HD, ND30); no line under 36-HD
    for name, tmpl, kw in (("state", STATE, {}), ("party05", PARTY, dict(date="2026-07-06"))):
        t = src(tmpl, **kw)
        t = re.sub(r"issuer_name: .*\n", "", t)
        s, out, rc, se = r.render(t)
        l, c = position(t, "# P")
        ck.check("kem_theo.%s.no_issuer_name" % name, rc == 1 and se.startswith("%s:%d:" % (s, l)) and
                 "issuer_name" in se and "[frontmatter.missing]" in se and not os.path.exists(out), se.strip()[-200:])
    # a label with its title on one line, and a label without a number: printed as typed, one line
    t = src(STATE).replace("# Phụ lục\n\n# DANH SÁCH\n", "# Phụ lục I. DANH SÁCH ĐƠN VỊ\n")
    s_, out, rc, se = r.render(t)
    if ck.check("appendix.one_line.render", rc == 0, se.strip()[-200:]):
        pages = P.load_pdf(out)
        lab = [l for p in pages for l in p.lines if l.text == "Phụ lục I. DANH SÁCH ĐƠN VỊ"]
        ck.check("appendix.one_line", len(lab) == 1 and lab[0].all_bold and abs(mm(lab[0].cx) - 112.5) < 0.5 and
                 kem_line(out) is not None, "label line %s" % [l.text for l in lab])
    t = re.sub(r"issuer_name: .*\n", "", src(PARTY, date="2023-07-06", profile="party-36-2018"))
    s, out, rc, se = r.render(t)
    ck.check("kem_theo.party36.optional", rc == 0 and kem_line(out) is None, "no line without issuer_name")


def outline(pdf):
    rc, out, err = P.run(["mutool", "show", pdf, "outline"])
    return [ln.split('"')[1] for ln in out.splitlines() if '"' in ln]


def check_nolabel(ck, r):
    cases = (("state", STATE, {}, "# Phụ lục\n"),
             ("party05", PARTY, dict(date="2026-07-06"), "# PHỤ LỤC\n"),
             ("party36", PARTY, dict(date="2023-07-06", profile="party-36-2018"), "# PHỤ LỤC\n"))
    for name, tmpl, kw, head in cases:
        plain = src(tmpl, **kw)
        t = plain.replace(head, head + "\\nolabel\n", 1)
        _, ref, rc0, se0 = r.render(plain)
        _, out, rc, se = r.render(t)
        if not ck.check("nolabel.%s.render" % name, rc == 0 and rc0 == 0, (se + se0).strip()[-200:]):
            continue
        pp, rp = P.load_pdf(out)[-1], P.load_pdf(ref)[-1]
        labels = [l.text for l in pp.lines if re.search(r"(?i)phụ lục", l.text)]
        rlabel = [l for l in rp.lines if l.text.lower() == head[2:-1].lower()]
        # the first line at or below where the label stood (36-HD's appendix header is above it)
        first = min([l for l in pp.lines if not rlabel or l.top > rlabel[0].top - 0.5 * MM] or pp.lines,
                    key=lambda l: l.top)
        ck.check("nolabel.%s.no_label" % name, not labels and rlabel, "label lines %r; without \\nolabel %r" % (
            labels, [l.text for l in rlabel]))
        ok = (first.text == "DANH SÁCH" and first.all_bold and abs(mm(first.cx) - 112.5) < 0.5 and rlabel and
              abs(mm(first.top - rlabel[0].top)) < 0.5)
        ck.check("nolabel.%s.title_first" % name, ok, "first line %r bold %s centre %.2f mm top %.2f mm; label top %s" % (
            first.text, first.all_bold, mm(first.cx), mm(first.top), "%.2f mm" % mm(rlabel[0].top) if rlabel else None))
        ol = outline(out)
        ck.check("nolabel.%s.outline" % name, ol[-1:] == ["DANH SÁCH"], "outline %r" % ol)
    # a title of two heading lines: the outline entry joins them with a space
    t = src(STATE).replace("# Phụ lục\n\n# DANH SÁCH\n", "# Phụ lục\n\\nolabel\n# DANH SÁCH\n# ĐƠN VỊ\n")
    _, out, rc, se = r.render(t)
    ck.check("nolabel.two_lines.outline", rc == 0 and outline(out)[-1:] == ["DANH SÁCH ĐƠN VỊ"],
             "rc %d, outline %r" % (rc, outline(out) if rc == 0 else se.strip()[-200:]))
    # nothing to print instead of the label, and outside an appendix: errors at the line
    one = src(STATE).replace("# Phụ lục\n\n# DANH SÁCH\n", "# Phụ lục I. DANH SÁCH ĐƠN VỊ\n\\nolabel\n")
    body = src(STATE).replace("Nội dung văn bản.\n", "Nội dung văn bản.\n\\nolabel\n")
    for what, t in (("one_line", one), ("body", body)):
        s, out, rc, se = r.render(t)
        l, c = position(t, "\\nolabel")
        ck.check("nolabel.error.%s" % what, rc == 1 and se.startswith("%s:%d:%d: error: " % (s, l, c)) and
                 "[markdown.nolabel]" in se and not os.path.exists(out), se.strip()[-200:])


def check_vv(ck, r):
    for typed in ("V/v tổ chức bồi dưỡng", "v/v tổ chức bồi dưỡng", "V/V tổ chức bồi dưỡng", "tổ chức bồi dưỡng"):
        s, out, rc, se = r.render(src(STATE, kind=None, number="15/SNV-VP", title=typed))
        if ck.check("vv.%s.render" % typed.split()[0], rc == 0, se.strip()[-200:]):
            t = flat(text(out))
            n = len(re.findall(r"(?i)v/v", t))
            ck.check("vv.%s.once" % typed.split()[0], n == 1 and "V/v tổ chức bồi dưỡng" in t, "%d × V/v" % n)


def check_to_note(ck, r):
    note = "(sau đây gọi tắt là các cơ quan, đơn vị)"
    extra = "to:\n  - Các sở, ban, ngành thuộc tỉnh\n  - Ủy ban nhân dân các xã, phường\nto_note: %s\n" % note
    for name, tmpl, kw in (("state", STATE, dict(kind=None, number="15/SNV-VP", title="V/v bồi dưỡng")),
                           ("party05", PARTY, dict(kind=None, number="15-CV/BTCTU", title="về việc bồi dưỡng")),
                           ("party36", PARTY, dict(kind=None, number="15-CV/BTCTU", title="về việc bồi dưỡng",
                                                   date="2023-07-06", profile="party-36-2018"))):
        s, out, rc, se = r.render(src(tmpl, extra=extra, **kw))
        if not ck.check("to_note.%s.render" % name, rc == 0, se.strip()[-200:]):
            continue
        p1 = P.load_pdf(out)[0]
        nl = [l for l in p1.lines if l.text == note]
        last = [l for l in p1.lines if l.text.endswith("Ủy ban nhân dân các xã, phường" + (";" if name == "party05" else "."))]
        ok = nl and last and nl[0].base > last[0].base and mm(nl[0].base - last[0].base) < 10
        ck.check("to_note.%s.under_list" % name, ok, "note %s, last entry %s" % (
            "%.2f mm" % mm(nl[0].base) if nl else None, "%.2f mm" % mm(last[0].base) if last else None))
        if nl:
            ck.check("to_note.%s.style" % name, nl[0].all_italic and abs(mm(nl[0].cx) - 112.5) < 0.5,
                     "italic %s, centre %.2f mm (text block 112.5)" % (nl[0].all_italic, mm(nl[0].cx)))


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    tmp = tempfile.mkdtemp(prefix="vb-issuance-")
    try:
        r = Run(cli, tmp)
        check_blank(ck, r)
        check_dates(ck, r)
        check_nonconforming(ck, r)
        check_kem_theo(ck, r)
        check_nolabel(ck, r)
        check_vv(ck, r)
        check_to_note(ck, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
