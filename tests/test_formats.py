#!/usr/bin/env python3
"""Renders every sample under samples/ (recursively) and checks each PDF
against its source and its format: the Party format of Hướng dẫn 36-HD/VPTW
(party-36-2018), of Hướng dẫn 05-HD/VPTW (party-05-2026) and the state format
of Nghị định 30/2020/NĐ-CP (state-30-2020).

    python3 tests/test_formats.py build/vanban [NAME...]   (cwd = project root)

NAME limits the run to samples whose path contains it. One line per check,
then "N passed, M failed"; exit 1 when a check fails.

Per sample:
  - the render succeeds quietly, with the profile the document's date and
    regime call for (the PDF's Keywords entry names it);
  - qpdf --check and pdffonts are clean;
  - the pdftotext round trip: the PDF's words are exactly the source's body
    words plus the words the profile adds (PROFILE_TEXT below, kept by hand in
    step with layouts/*.yaml), no word missing, none extra;
  - ../shared/tools/conform.py with the sample's regime reports 0 FAIL, except
    the checks listed in NOT_APPLICABLE with the reason the tool does not
    apply to that sample;
  - geometry read with mutool (pdfcheck.py): header, title block, marks,
    lists, signer block, footers, appendix pages, landscape pages, duplex
    margins, page numbers, per profile (see the check_* functions).

Positions are in mm from the top-left corner of the page.
"""
import collections
import json
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
from pdfcheck import mm  # noqa: E402

CONFORM = "../shared/tools/conform.py"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
BASE_TOL, CENTRE_TOL, EDGE_TOL, RULE_TOL = 0.3, 0.5, 0.5, 1.0

# The profiles, as layouts/*.yaml set them (mm, pt).
PROFILES = {
    "party-36-2018": dict(regime="party", conform="party", number="Số {}", left_col=(30, 110), right_col=(110, 195),
                          noinhan=(14, False, False), item_size=12, sep=",", last_sep=".", to_sep=",", to_last=".",
                          bases_sep=";", bases_last=",", bases_marker="- ", bases_italic=False, post_bold=False,
                          restart=False, kem_theo="(Kèm theo {kind} số {number}, {date} của {issuer_name})",
                          kem_theo_if="issuer_name", untyped="Công văn", appendix_dashes=False, appendix_header=True,
                          to_label_italic=True, footer=None, duplex=None),
    "party-05-2026": dict(regime="party", conform="party05", number="Số {}", left_col=(30, 110), right_col=(110, 195),
                          noinhan=(14, False, False), item_size=12, sep=";", last_sep=".", to_sep=";", to_last=";",
                          bases_sep=";", bases_last=".", bases_marker="- ", bases_italic=False, post_bold=False,
                          restart=True, kem_theo="(Kèm theo {kind} số {number}, {date} của {issuer_name})",
                          kem_theo_if=None, untyped="Công văn", appendix_dashes=True,
                          appendix_header=False, to_label_italic=True, footer="last", duplex=(15, 30)),
    "state-30-2020": dict(regime="state", conform="state", number="Số: {}", left_col=(30, 95), right_col=(95, 195),
                          noinhan=(12, True, True), item_size=11, sep=";", last_sep=".", to_sep=";", to_last=".",
                          bases_sep=";", bases_last=".", bases_marker="", bases_italic=True, post_bold=True,
                          restart=True, kem_theo="(Kèm theo {kind} số {number} {date} của {issuer_name})",
                          kem_theo_if=None, untyped="Văn bản", appendix_dashes=False,
                          appendix_header=False, to_label_italic=False, footer="first", duplex=None),
}

# conform.py checks that do not apply to a sample, with the reason. Keys are
# sample paths relative to samples/ (a trailing "/" matches a folder); values
# map a check id prefix to the reason.
NOT_APPLICABLE = {
    "*cong-van": {"kind": "a công văn has no tên loại (the tool looks for one)",
                  "title": "a công văn's trích yếu sits under the number, not under a tên loại"},
    "state/bao-cao": {"pageno.present": "appendix pages are numbered per appendix and page 1 of each shows no number"},
    "state/ke-hoach": {"pageno.present": "appendix pages are numbered per appendix and page 1 of each shows no number"},
    "party05/ke-hoach": {"pageno.present": "appendix pages are numbered per appendix and page 1 of each shows no number"},
    "party05/bao-cao": {"pageno.present": "the appendix is numbered on its own and its page 1 shows no number",
                        "margin.left.min": "duplex: back pages have the mirrored margins (left 15 mm)",
                        "pageno.centre": "duplex: a back page's number is centred on its own text block (97.5 mm)",
                        "closing.noinhan.left": "duplex: the closing is on a back page (left margin 15 mm)",
                        "closing.items.left": "duplex: the closing is on a back page (left margin 15 mm)",
                        "signer.centre": "duplex: the closing is on a back page (right column centre 137.5 mm)"},
    "party05/cong-van": {"closing.items.size": "box 12 (drafter, 11 pt) ends the Nơi nhận; the tool counts it as an item",
                         "closing.items.form": "box 12 (drafter) ends the Nơi nhận; the tool counts it as an item"},
    "*chuong-trinh": {"margin.top": "the circulation note (ô 11/11a) is 10 mm from the top edge by rule",
                      "header.party_title.top": "the circulation note above it is the first text of the page"},
    "party36/thong-bao": {"margin.top": "the circulation note (ô 11a) is 10 mm from the top edge",
                          "header.party_title.top": "the circulation note above it is the first text of the page",
                          "header.parent": "a tỉnh ủy has no upper body"},
    "party05/thong-bao": {"margin.bottom": "the note \"Không phổ biến …\" is 10 mm from the bottom edge by rule",
                          "header.parent": "a tỉnh uỷ has no upper body"},
    "party05/thong-bao-lien-tich": {"signer.post.style": "the authority \"K/T TRƯỞNG BAN TỔ CHỨC TỈNH ỦY\" wraps; the tool "
                                                        "takes its first line as the authority and its second, "
                                                        "bold, line as the post"},
    "party05/huong-dan": {"header.parent": "joint bodies have no upper body line",
                          "signer": "two signers side by side (the tool expects one under \"Nơi nhận:\"'s level)"},
    "party36/ke-hoach": {"signer": "two signers side by side (the tool expects one under \"Nơi nhận:\"'s level)"},
    "state/chuong-trinh": {"signer": "two signers side by side (the tool expects one under \"Nơi nhận:\"'s level)"},
    # documents drafted before issuance: the tool splits a line at a wide gap, so the gap of a blank
    # sequence number cuts "Số:" from "/KH-SNV" and the gap of a blank day cuts the date line
    "*-chua-so": {"header.number.form": "the sequence number is blank until issuance (a gap, then /KH-SNV)",
                  "header.number.centre": "the tool measures \"Số:\" alone, cut from the rest at the blank's gap",
                  "header.date": "the day is blank until issuance; the tool cuts the line at the gap",
                  "appendix.kem_theo": "the number and day are blank until issuance: no digit follows \"ngày\"",
                  "cv.trich_yeu.centre": "centred on the number line, which the tool measures as \"Số:\" alone"},
    "state/cong-van-chua-so": {"kinh_gui.items": "the note under the list (to_note, \"(sau đây gọi tắt là …)\") is "
                                                 "not a recipient; the tool reads every line under the label as one"},
}


def not_applicable(rel):
    out = {}
    name = rel[:-3] if rel.endswith(".md") else rel
    for k, v in NOT_APPLICABLE.items():
        if k == name or (k.startswith("*") and name.endswith(k[1:])):
            out.update(v)
    return out


# --------------------------------------------------------------------------
# Source: a reader for the YAML the samples use (scalars, quoted scalars,
# "|-" blocks, lists of scalars, mappings, lists of mappings)
# --------------------------------------------------------------------------

def _scalar(s):
    return P._yaml_scalar(s)


def _ind(l):
    return len(l) - len(l.lstrip(" "))


def parse_yaml(lines):
    lines = [l.rstrip("\n") for l in lines]
    keep = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
    node, _ = _block(keep, 0, 0)
    return node


def _literal(lines, i, ind):
    got = []
    while i < len(lines) and _ind(lines[i]) > ind:
        got.append(lines[i])
        i += 1
    m = min(_ind(g) for g in got) if got else 0
    return "\n".join(g[m:] for g in got), i


def _block(lines, i, ind):
    """A mapping or a list at indentation ind, from line i."""
    if i < len(lines) and lines[i].lstrip().startswith("- ") or (i < len(lines) and lines[i].strip() == "-"):
        out = []
        ind = _ind(lines[i])
        while i < len(lines) and _ind(lines[i]) == ind and lines[i].lstrip().startswith("-"):
            rest = lines[i].lstrip()[1:].lstrip()
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if re.match(r"^[\w]+:(\s|$)", rest) and not (
                    re.match(r"^[\w ]+: \S", rest) and not (nxt and _ind(nxt) > ind)):
                # a mapping inside a list item (an item whose "key: value" stands alone on its
                # line is a text, "- Lưu: VT, VP.", as vanban reads it): re-read it with the dash as indentation
                sub = [" " * (ind + 2) + rest]
                j = i + 1
                while j < len(lines) and _ind(lines[j]) > ind:
                    sub.append(lines[j])
                    j += 1
                node, _ = _block(sub, 0, ind + 2)
                out.append(node)
                i = j
            else:
                out.append(_scalar(rest))
                i += 1
        return out, i
    out = {}
    ind = _ind(lines[i]) if i < len(lines) else ind
    while i < len(lines) and _ind(lines[i]) == ind:
        key, _, rest = lines[i].strip().partition(":")
        rest = rest.strip()
        i += 1
        if rest in ("|", "|-"):
            val, i = _literal(lines, i, ind)
            out[key] = val + ("\n" if rest == "|" else "")
        elif rest == "":
            if i < len(lines) and _ind(lines[i]) > ind:
                out[key], i = _block(lines, i, _ind(lines[i]))
            elif i < len(lines) and _ind(lines[i]) == ind and lines[i].lstrip().startswith("-"):
                out[key], i = _block(lines, i, ind)
            else:
                out[key] = None
        else:
            out[key] = _scalar(rest)
    return out, i


def as_list(v):
    if v is None:
        return []
    if isinstance(v, list):
        return [e for e in v if e not in (None, "")]
    return [v]


def signers(fm):
    s = fm.get("signer")
    if isinstance(s, list):
        return s
    return [s] if s else []


def fmt_date(iso):
    """The printed date; a day or month left blank until issuance ("2026-04", "2026") prints as a gap of
    no-break spaces, which the word lists read as space."""
    parts = [int(x) for x in str(iso).split("-")] + [0, 0]
    y, m, d = parts[:3]
    day = "" if not d else "%02d" % d if d < 10 else str(d)
    month = "" if not m else "%02d" % m if m < 3 else str(m)
    return "ngày %s tháng %s năm %d" % (day, month, y)


def printed_number(num):
    """The number as printed: blank marks typed for a sequence number left blank are a gap."""
    return re.sub(r"^[\s_.…]+(?=[/-])", "", num)


def printed_title(title, regime):
    """A công văn's trích yếu: the state profile prints "V/v"; one typed in the title is not repeated."""
    if regime == "state":
        title = re.sub(r"^[Vv]/[Vv]\s+", "", title)
    return title


def choose_profile(rel, fm):
    """The profile the engine must pick: the regime's profile in force on the date."""
    prof = fm.get("profile")
    if prof in PROFILES:
        return prof
    if prof == "state":
        return "state-30-2020"
    return "party-05-2026" if fm["date"] >= "2026-05-27" else "party-36-2018"


def ends_punct(s):
    return s.rstrip()[-1:] in (",", ";", ".", ":")


def list_texts(entries, marker, sep, last, single_marker=None, label=""):
    out = []
    for i, e in enumerate(entries):
        e = P.strip_inline(re.sub(r"^-\s+", "", e.strip()))  # entries are inline Markdown
        s = last if i == len(entries) - 1 else sep
        mk = single_marker if (single_marker is not None and len(entries) == 1) else marker
        out.append((label if i == 0 else "") + mk + e + ("" if ends_punct(e) else s))
    return out


def profile_texts(fm, pid, appendices):
    """The text the profile prints besides the body: whole strings, by band."""
    pr = PROFILES[pid]
    date_line = "%s, %s" % (fm["place"], fmt_date(fm["date"]))
    kind = fm.get("kind") or ""
    out = [fm.get("parent") or "", fm["issuer"], pr["number"].format(printed_number(fm["number"])), date_line]
    if pr["regime"] == "party":
        out += [PARTY_TITLE, "*"]
    else:
        out += [QUOC_HIEU, TIEU_NGU]
    for k in ("draft", "secrecy", "urgency", "circulation", "footer_note", "contact", "drafter", "confirmation"):
        out.append(fm.get(k) or "")
    title = fm.get("title") or ""
    if kind:
        out += [kind, title]
        if pr["regime"] == "party":
            out.append("-----")
    elif title:
        out.append(("V/v " if pr["regime"] == "state" else "") + printed_title(title, pr["regime"]))
    al = fm.get("authority_line") or ""
    if kind == "QUYẾT ĐỊNH":
        out.append((al + " QUYẾT ĐỊNH:") if pr["regime"] == "party" and al else "" if pr["regime"] == "party" else al)
        if pr["regime"] == "state":
            out.append("QUYẾT ĐỊNH:")
    else:
        out.append(al)
        if kind == "NGHỊ QUYẾT" and pr["regime"] == "state":
            out.append("QUYẾT NGHỊ:")
    to = as_list(fm.get("to"))
    if to:
        label = "Kính trình: " if (pid == "party-05-2026" and kind == "TỜ TRÌNH") else "Kính gửi: "
        out += list_texts(to, "- ", pr["to_sep"], pr["to_last"], single_marker="", label=label)
        out.append(fm.get("to_note") or "")
    out += list_texts(as_list(fm.get("bases")), pr["bases_marker"], pr["bases_sep"], pr["bases_last"])
    out.append("Nơi nhận:")
    out += list_texts(as_list(fm.get("recipients")), "- ", pr["sep"], pr["last_sep"])
    for sg in signers(fm):
        out += [sg.get(k) or "" for k in ("authority", "post", "name")]
    for _ in range(appendices):
        if pr["kem_theo"] and (not pr["kem_theo_if"] or fm.get(pr["kem_theo_if"])):
            out.append(pr["kem_theo"].format(kind=kind[:1] + kind[1:].lower() if kind else pr["untyped"],
                                              number=printed_number(fm["number"]), date=fmt_date(fm["date"]),
                                              issuer_name=fm.get("issuer_name") or ""))
        if pr["appendix_dashes"]:
            out.append("-----")
        if pr["appendix_header"]:
            out += [PARTY_TITLE, fm.get("parent") or "", fm["issuer"], "*", date_line]
    return out


def table_heads(body):
    """Per table of the body, the words of its head rows (the rows above the delimiter row)."""
    out, rows = [], []
    for line in body.split("\n") + [""]:
        if P._TABLE_LINE.match(line):
            cells = P.table_cells(line)
            if cells and all(P.is_delim_cell(c) for c in cells):
                c = collections.Counter()
                for r in rows:
                    for cell in r:
                        if cell not in ("<", "^", ""):
                            c.update(P.words(P.strip_inline(P.cell_text(cell))))
                out.append(c)
                rows = None
            elif rows is not None:
                rows.append(cells)
        else:
            rows = []
    return out


def pdf_words(text, expected):
    """pdfcheck.pdf_words, and a word cut after "/" at a line end is joined back too."""
    ws, joins = P.pdf_words(text, expected)
    out = []
    for w in ws:
        if out and out[-1].endswith("/") and expected[out[-1] + w] > 0 and expected[out[-1]] == 0:
            out[-1] += w
            joins.append(out[-1])
        else:
            out.append(w)
    return out, joins


# --------------------------------------------------------------------------
# PDF helpers
# --------------------------------------------------------------------------

def is_pageno(line, page):
    return re.fullmatch(r"\d{1,4}", line.text) is not None and mm(line.bottom) < 20.0


def near(a, b, tol):
    return abs(a - b) <= tol


def find_lines(pages, pred, page_nos=None):
    return [(p, l) for p in pages for l in p.lines if (page_nos is None or p.n in page_nos) and pred(l)]


def rule_under(page, line, max_mm=4.0):
    cands = [r for r in page.hrules if line.base - 0.5 <= r.y <= line.base + max_mm * P.MM
             and min(r.x1, line.x1) - max(r.x0, line.x0) > 0]
    return min(cands, key=lambda r: r.y) if cands else None


def col_centre(c):
    return (c[0] + c[1]) / 2.0


def appendix_starts(pages):
    """Page numbers where an appendix begins: a label line "Phụ lục …"/"PHỤ LỤC …" near the page top."""
    out = []
    for p in pages:
        for l in p.lines:
            if re.fullmatch(r"(?i)phụ lục( [0-9IVXLC]+)?", l.text) and l.all_bold:
                out.append(p.n)
                break
    return out


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------

def run_sample(ck, cli, rel, tmp):
    src_path = os.path.join("samples", rel)
    name = rel[:-3]
    text = open(src_path, encoding="utf-8").read()
    fm_lines, body, _ = P.split_source(text)
    fm = parse_yaml(fm_lines)
    pid = choose_profile(rel, fm)
    pr = PROFILES[pid]
    pdf = os.path.join(tmp, name.replace("/", "_") + ".pdf")
    rc, out, err = P.run([cli, "render", src_path, "-o", pdf], env=P.test_env())
    if not ck.check(name + ".render", rc == 0 and os.path.isfile(pdf), "rc %d %s" % (rc, err.strip()[-300:])):
        return
    ck.check(name + ".render.quiet", not (out + err).strip(), repr((out + err)[:200]))
    rc, info, _ = P.run(["pdfinfo", pdf])
    kw = re.search(r"^Keywords:\s*(\S+)", info, re.M)
    ck.check(name + ".profile", kw is not None and kw.group(1) == pid,
             "PDF names %s, want %s" % (kw.group(1) if kw else None, pid))

    # syntax and fonts
    rc, qout, qerr = P.run(["qpdf", "--check", pdf])
    ck.check(name + ".qpdf", rc == 0 and "No syntax or stream encoding errors" in qout and "WARNING" not in qout + qerr,
             (qout + qerr).strip().splitlines()[-1][:100] if (qout + qerr).strip() else "")
    rows, frc, ferr = P.pdffonts(pdf)
    bad = [r["name"] for r in rows if (r["emb"], r["sub"], r["uni"]) != ("yes", "yes", "yes") or "Type 3" in r["type"]]
    ck.check(name + ".fonts", frc == 0 and rows and not bad and "Syntax" not in ferr,
             "%d fonts%s" % (len(rows), "; bad: %s" % bad if bad else ""))

    pages = P.load_pdf(pdf)
    apx = appendix_starts(pages)

    # the pdftotext round trip
    blocks = P.md_blocks(body.replace("\\landscape", ""))
    expected = collections.Counter()
    for _, t in blocks:
        expected.update(P.words(t))
    for t in profile_texts(fm, pid, len(apx)):
        expected.update(P.words(t))
    for p in pages:
        for l in p.lines:
            if is_pageno(l, p):
                expected.update([l.text])
    raw, rc, err = P.pdftotext_raw(pdf)
    got, joins = pdf_words(raw, expected)
    miss, extra = P.bag_diff(expected, got)
    # a table that continues on the next page repeats its head rows there (repeat_head): those
    # words are printed once more per continuation page
    repeats = 0
    for head in table_heads(body):
        while head and not (head - extra):
            extra -= head
            repeats += 1
    ck.check(name + ".words", rc == 0 and not miss and not extra, "%d words%s%s%s" % (
        len(got), "; missing: " + P.fmt_bag(miss) if miss else "", "; extra: " + P.fmt_bag(extra) if extra else "",
        "; %d repeated table head%s" % (repeats, "s" if repeats > 1 else "") if repeats else ""))
    nfc, fffd, pua = P.text_problems(raw)
    ck.check(name + ".text_clean", nfc and not fffd and not pua, "NFC %s, U+FFFD %d, PUA %d" % (nfc, fffd, len(pua)))

    conform(ck, name, rel, pdf, pr, fm)
    check_header(ck, name, pages, fm, pid)
    check_title(ck, name, pages, fm, pid)
    check_closing(ck, name, pages, fm, pid)
    check_marks(ck, name, pages, fm, pid)
    check_pages(ck, name, pages, fm, pid, apx)
    check_appendices(ck, name, pages, fm, pid, apx)


def conform(ck, name, rel, pdf, pr, fm):
    if not os.path.isfile(CONFORM):
        ck.note("%s absent: conformance run skipped" % CONFORM)
        return
    fd, exp = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"kind": fm["kind"]} if fm.get("kind") else {}, f, ensure_ascii=False)
    # the page as printed: without the empty signature fields, where mupdf draws its own "SIGN" marker
    shown, tmp = P.page_only(pdf)
    rc, out, err = P.run([sys.executable, CONFORM, shown, "--regime", pr["conform"], "--expect", exp], timeout=300)
    os.unlink(exp)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    na = not_applicable(rel)
    fails, excused = [], []
    for l in out.splitlines():
        if not l.startswith("FAIL"):
            continue
        cid = l.split()[1]
        if any(cid == k or cid.startswith(k + ".") for k in na):
            excused.append(cid)
        else:
            fails.append(l)
    ck.check(name + ".conform", rc in (0, 1) and not fails, "%s%s%s" % (
        (out.strip().splitlines() or [""])[-1], "; not applicable: " + ", ".join(excused) if excused else "",
        "".join("\n      " + f for f in fails[:8])))


def find_line(page, want):
    """The line whose text is want: one segment, or (a field left blank until issuance prints as a wide
    gap, which cuts the line into segments) neighbouring segments on one baseline joined."""
    exact = [l for l in page.lines if l.text == want]
    if exact:
        return exact
    rows = collections.defaultdict(list)
    for l in page.lines:
        rows[round(l.base / P.MM * 5)].append(l)
    for row in rows.values():
        row.sort(key=lambda l: l.x0)
        for i in range(len(row)):
            for j in range(i + 1, len(row)):
                if " ".join(l.text for l in row[i:j + 1]) == want:
                    return [P.Line(page, [c for l in row[i:j + 1] for c in l.chars])]
    return []


def full_row(page, line):
    """All the segments on line's baseline as one line (a blank's gap cuts a centred line into segments)."""
    row = [l for l in page.lines if abs(l.base - line.base) < 0.2]
    return P.Line(page, [c for l in row for c in l.chars]) if len(row) > 1 else line


def number_line(page, pr, fm):
    return find_line(page, pr["number"].format(printed_number(fm["number"])))


def check_header(ck, name, pages, fm, pid):
    pr = PROFILES[pid]
    p1 = pages[0]
    lc, rc = pr["left_col"], pr["right_col"]
    date_line = "%s, %s" % (fm["place"], fmt_date(fm["date"]))
    num = number_line(p1, pr, fm)
    date = find_line(p1, " ".join(date_line.split()))
    if not ck.check(name + ".header.number", num and date, "Số line %s, date line %s" % (bool(num), bool(date))):
        return
    num, date = num[0], date[0]
    ck.check(name + ".header.number_date_baseline", near(mm(num.base), mm(date.base), BASE_TOL),
             "%s %.2f mm, date %.2f mm" % (num.text[:8], mm(num.base), mm(date.base)))
    ck.check(name + ".header.number_centre", near(mm(num.cx), col_centre(lc), CENTRE_TOL), "%.2f mm" % mm(num.cx))
    # the issuing body: every line inside its column and centred on it
    iss = [l for l in p1.lines if l.all_bold and mm(l.cx) < lc[1] and l.base < num.base
           and l.text in issuer_lines(fm["issuer"], p1)]
    ok_in = iss and all(mm(l.x0) >= lc[0] - 0.01 and mm(l.x1) <= lc[1] + 0.01 for l in iss)
    ok_c = iss and all(near(mm(l.cx), col_centre(lc), CENTRE_TOL) for l in iss)
    ck.check(name + ".header.issuer_in_column", ok_in and ok_c, "%d lines %s, centres %s (column %g–%g)" % (
        len(iss), [l.text for l in iss], ["%.2f" % mm(l.cx) for l in iss], lc[0], lc[1]))
    if pr["regime"] == "state":
        qh = [l for l in p1.lines if l.text == QUOC_HIEU]
        tn = [l for l in p1.lines if l.text == TIEU_NGU]
        if ck.check(name + ".state.quoc_hieu", qh and tn, "Quốc hiệu %s, Tiêu ngữ %s" % (bool(qh), bool(tn))):
            q, t = qh[0], tn[0]
            ck.check(name + ".state.qh_sizes", (q.size, t.size) in ((12, 13), (13, 14)) and q.all_bold and t.all_bold,
                     "%g/%g pt bold %s/%s" % (q.size, t.size, q.all_bold, t.all_bold))
            r = rule_under(p1, t)
            ck.check(name + ".state.tieu_ngu_rule", r is not None and near(mm(r.length), mm(t.x1 - t.x0), RULE_TOL)
                     and near(mm(r.x), mm(t.cx), CENTRE_TOL),
                     "rule %s vs text %.2f mm" % ("%.2f mm" % mm(r.length) if r else None, mm(t.x1 - t.x0)))
        if iss:
            widest = max(iss, key=lambda l: l.x1 - l.x0)
            r = rule_under(p1, iss[-1], 5.0)
            ratio = (r.length / (widest.x1 - widest.x0)) if r else 0
            ck.check(name + ".state.issuer_rule", r is not None and 1 / 3.0 - 0.01 <= ratio <= 0.5 + 0.01
                     and near(mm(r.x), mm(widest.cx), CENTRE_TOL), "rule %.2f of the widest line" % ratio)
        ck.check(name + ".state.number_colon", num.text.startswith("Số: "), repr(num.text))
    else:
        ck.check(name + ".party.number_no_colon", num.text.startswith("Số ") and ":" not in num.text, repr(num.text))
        star = [l for l in p1.lines if l.text == "*" and l.base < num.base]
        ck.check(name + ".party.star", star and near(mm(star[0].cx), col_centre(lc), CENTRE_TOL), "star found %s" % bool(star))


def issuer_lines(issuer, page):
    """The printed lines of the issuing body (wrapped by the engine): lines whose words are the issuer's."""
    words = set(issuer.split())
    return set(l.text for l in page.lines if l.text.split() and set(l.text.split()) <= words)


def check_title(ck, name, pages, fm, pid):
    pr = PROFILES[pid]
    p1 = pages[0]
    kind = fm.get("kind")
    lc = pr["left_col"]
    num = number_line(p1, pr, fm)[0]
    if not kind and fm.get("title"):
        # công văn: the trích yếu under the number, centred in the left column
        first = fm["title"].split()[0]
        tl = [l for l in p1.lines if l.base > num.base and mm(l.cx) < lc[1] and
              (l.text.startswith("V/v " + first) if pr["regime"] == "state" else l.text.startswith(first))]
        first = printed_title(fm["title"], pr["regime"]).split()[0]
        tl = [l for l in p1.lines if l.base > num.base and mm(l.cx) < lc[1] and
              (l.text.startswith("V/v " + first) if pr["regime"] == "state" else l.text.startswith(first))]
        if ck.check(name + ".congvan.trich_yeu", tl, "under the number"):
            t = tl[0]
            if pr["regime"] == "state":
                ck.check(name + ".congvan.trich_yeu_style", t.size == 12 and not t.any_bold and not t.any_italic
                         and near(mm(t.base - num.base), mm(13 * 1.15 + 6 + 12 * 0.891 - 13 * 0.891), 0.5),
                         "%g pt, %.2f mm below the Số baseline" % (t.size, mm(t.base - num.base)))
            else:
                ck.check(name + ".congvan.trich_yeu_style", t.size == 12 and t.all_italic and not t.any_bold,
                         "%g pt italic %s" % (t.size, t.all_italic))
            ck.check(name + ".congvan.trich_yeu_centre", near(mm(t.cx), col_centre(lc), CENTRE_TOL), "%.2f mm" % mm(t.cx))
    to = as_list(fm.get("to"))
    if to:
        label = "Kính trình:" if (pid == "party-05-2026" and kind == "TỜ TRÌNH") else "Kính gửi:"
        labs = [(p, l) for p in pages[:1] for l in p.lines if l.text.startswith(label) or l.text == label]
        if ck.check(name + ".to.label", labs, repr(label)):
            lab = labs[0][1]
            lab_chars = [c for c in lab.chars if c.ox < lab.x0 + 1 + mm_to_pt(20)]
            italic = all(P.face(c.font)[1] for c in lab_chars if c.c.isalpha() and c.c in label)
            ck.check(name + ".to.label_style", italic == pr["to_label_italic"], "label italic %s" % italic)
            note = fm.get("to_note")
            names = [l for l in p1.lines if l.base >= lab.base - 0.1 and l.base < lab.base + len(to) * 30 and l is not lab
                     and l.x0 > lab.x0 and not (note and l.text == note)]
            last = list_texts(to, "- ", pr["to_sep"], pr["to_last"], single_marker="")[-1]
            alltext = " ".join([lab.text] + [l.text for l in names])
            ck.check(name + ".to.entries", alltext.rstrip().endswith(last.split()[-1]) and
                     (len(to) > 1 or lab.text.startswith(label + " ") or (names and near(mm(names[0].base), mm(lab.base), BASE_TOL))),
                     "first entry on the label's line; last ends %r" % last[-1])
            if note:
                # the note under the list: italic, centred on the text block, under the last entry
                nl = [l for l in p1.lines if l.text == note]
                below = max([lab] + names, key=lambda l: l.base)
                ck.check(name + ".to.note", nl and nl[0].all_italic and near(mm(nl[0].cx), (30 + 195) / 2.0, CENTRE_TOL)
                         and nl[0].base > below.base and mm(nl[0].base - below.base) < 10,
                         "%r %s" % (note, "at %.2f mm, centre %.2f mm" % (mm(nl[0].base), mm(nl[0].cx)) if nl else "missing"))
    bases = as_list(fm.get("bases"))
    if bases:
        first = re.sub(r"^-\s+", "", bases[0]).split()[:3]
        bl = [l for l in p1.lines if l.text.split()[len(pr["bases_marker"].split()):][:3] == first]
        if ck.check(name + ".bases.found", bl, "first căn cứ %r" % " ".join(first)):
            b = bl[0]
            ck.check(name + ".bases.style", b.all_italic == pr["bases_italic"] and not b.any_bold,
                     "italic %s (want %s)" % (b.all_italic, pr["bases_italic"]))
            want_last = list_texts(bases, pr["bases_marker"], pr["bases_sep"], pr["bases_last"])[-1]
            lines = [l for l in p1.lines if l.base >= b.base and mm(l.base - b.base) < 25 * len(bases)]
            ck.check(name + ".bases.last", any(l.text.endswith(want_last.split()[-1]) and l.text[-1] == pr["bases_last"]
                                                for l in lines), "last căn cứ ends %r" % pr["bases_last"])
    if kind == "QUYẾT ĐỊNH":
        want = "QUYẾT ĐỊNH:" if pr["regime"] == "state" else fm.get("authority_line", "") + " QUYẾT ĐỊNH:"
        ql = [(p, l) for p in pages for l in p.lines if l.text == want]
        ck.check(name + ".quyet_dinh.line", ql and ql[0][1].all_bold and near(mm(ql[0][1].cx), 112.5, CENTRE_TOL),
                 repr(want))
        if pr["regime"] == "state" and fm.get("authority_line"):
            al = [l for l in p1.lines if l.text == fm["authority_line"]]
            ck.check(name + ".quyet_dinh.authority_line", al and al[0].all_bold and near(mm(al[0].cx), 112.5, CENTRE_TOL),
                     repr(fm["authority_line"]))
        arts = [(p, l) for p in pages for l in p.lines if l.text.startswith("Điều 1.")]
        ck.check(name + ".quyet_dinh.article", arts and all(c.bold for c in arts[0][1].chars[:7] if c.c.strip()),
                 "'Điều 1.' bold")
    if kind == "NGHỊ QUYẾT" and pr["regime"] == "state":
        ck.check(name + ".nghi_quyet.line", find_lines(pages, lambda l: l.text == "QUYẾT NGHỊ:" and l.all_bold), "QUYẾT NGHỊ:")


def mm_to_pt(x):
    return x * P.MM


def check_closing(ck, name, pages, fm, pid):
    pr = PROFILES[pid]
    labs = [(p, l) for p in pages for l in p.lines if l.text == "Nơi nhận:"]
    if not ck.check(name + ".closing.found", len(labs) == 1, "%d 'Nơi nhận:' lines" % len(labs)):
        return
    page, lab = labs[0]
    size, bold, italic = pr["noinhan"]
    ck.check(name + ".closing.noinhan_style", lab.size == size and lab.all_bold == bold and lab.all_italic == italic,
             "%g pt bold %s italic %s" % (lab.size, lab.all_bold, lab.all_italic))
    if pr["regime"] == "party":
        r = rule_under(page, lab)
        ck.check(name + ".closing.noinhan_rule", r is not None and near(mm(r.length), mm(lab.x1 - lab.x0), RULE_TOL),
                 "rule %s, phrase %.2f mm" % ("%.2f mm" % mm(r.length) if r else None, mm(lab.x1 - lab.x0)))
    # recipients: the lines under the label in its column, grouped by "- "
    items = []
    for l in page.lines:
        if l.base <= lab.base + 0.1 or l.x0 < lab.x0 - 1 or l.x0 > lab.x0 + 40 or l.size > 12.5:
            continue
        if l.base - lab.base > 120 * P.MM:
            continue
        if fm.get("drafter") and l.text == fm["drafter"]:
            continue
        if l.text.startswith("- ") or not items:
            items.append([l])
        elif l.size == items[-1][-1].size and l.base - items[-1][-1].base < 1.6 * l.size:
            items[-1].append(l)
    texts = [" ".join(l.text for l in it) for it in items]
    want = list_texts(as_list(fm.get("recipients")), "- ", pr["sep"], pr["last_sep"])
    ck.check(name + ".closing.items", texts == want, "%d items%s" % (len(texts), "" if texts == want else ": %r" % texts))
    sizes = set(l.size for it in items for l in it)
    ck.check(name + ".closing.items_size", sizes == {pr["item_size"]}, "sizes %s" % sorted(sizes))
    if pr["regime"] == "state" and texts:
        ck.check(name + ".closing.luu", texts[-1].startswith("- Lưu: VT") and texts[-1].endswith("."), repr(texts[-1]))
    if fm.get("drafter"):
        dl = [l for l in page.lines if l.text == fm["drafter"]]
        ck.check(name + ".closing.drafter", dl and dl[0].size == 11 and near(mm(dl[0].x0), mm(lab.x0), EDGE_TOL)
                 and items and dl[0].base > items[-1][-1].base, "box 12 under the Nơi nhận at 11 pt")
    # signers: post weight per format, two signers side by side
    sgs = signers(fm)
    for k, sg in enumerate(sgs[:1] if fm.get("confirmation") else sgs):
        for key, bold in (("authority", True), ("post", pr["post_bold"]), ("name", True)):
            if not sg.get(key):
                continue
            first_line = sg[key].split("\n")[0]
            ls = [l for l in page.lines if (l.text == first_line or first_line.startswith(l.text + " "))
                  and l.base >= lab.base - 200 * P.MM]
            ck.check("%s.signer%d.%s" % (name, k + 1, key), ls and ls[0].all_bold == bold and ls[0].size == 14 and
                     not ls[0].any_italic, "%r bold %s (want %s)" % (first_line, ls[0].all_bold if ls else None, bold))
    if len(sgs) == 2 and not fm.get("confirmation"):
        n1 = [l for l in page.lines if l.text == sgs[0]["name"]]
        n2 = [l for l in page.lines if l.text == sgs[1]["name"]]
        if ck.check(name + ".joint.names", n1 and n2, "both names on the closing page"):
            a, b = n1[0], n2[0]
            ck.check(name + ".joint.side_by_side", near(mm(a.base), mm(b.base), BASE_TOL) and mm(b.cx) < 110 < mm(a.cx),
                     "lead %.1f mm at y %.2f, other %.1f mm at y %.2f" % (mm(a.cx), mm(a.base), mm(b.cx), mm(b.base)))
    if fm.get("confirmation"):
        cf = [l for l in page.lines if fm["confirmation"].startswith(l.text)]
        n1 = [l for l in page.lines if l.text == sgs[0]["name"]]
        n2 = [l for l in page.lines if l.text == sgs[1]["name"]]
        ck.check(name + ".confirmation", cf and n1 and n2 and n1[0].base < cf[0].base < n2[0].base
                 and mm(cf[0].cx) > 110 and near(mm(n2[0].cx), mm(n1[0].cx), CENTRE_TOL),
                 "signer, then the confirmation and the confirming signer under it")


def check_marks(ck, name, pages, fm, pid):
    pr = PROFILES[pid]
    p1 = pages[0]
    lc = pr["left_col"]
    num = number_line(p1, pr, fm)[0]
    for key in ("secrecy", "urgency", "draft"):
        v = fm.get(key)
        if not v:
            continue
        ls = [l for l in p1.lines if l.text == v]
        ok = ls and ls[0].base > num.base and near(mm(ls[0].cx), col_centre(lc), CENTRE_TOL)
        if ok and key != "draft":
            ok = ls[0].all_bold and ls[0].size in ((13,) if pr["regime"] == "state" else (14,))
        if ok and key == "draft" and pr["regime"] == "party":
            ok = ls[0].all_italic and ls[0].size == 14
        ck.check("%s.mark.%s" % (name, key), ok, "%r under the number, centred in the left column" % v)
        if ok and key == "urgency" and not fm.get("kind") and fm.get("title"):
            t = [l for l in p1.lines if num.base < l.base < ls[0].base + 40 * P.MM and mm(l.cx) < lc[1] and l.size == 12]
            ck.check(name + ".mark.urgency_under_trich_yeu", t and ls[0].base > max(l.base for l in t), "công văn")
    if fm.get("circulation"):
        ls = [l for l in p1.lines if l.text == fm["circulation"]]
        ck.check(name + ".mark.circulation", ls and near(mm(ls[0].top), 10.0, 0.5) and ls[0].all_bold
                 and near(mm(ls[0].x1), 195.0, EDGE_TOL), "top %.2f mm, right %.2f mm" % (
                     mm(ls[0].top), mm(ls[0].x1)) if ls else "not found")
    if fm.get("footer_note"):
        last = pages_of_closing(pages)
        ls = [l for l in last.lines if l.text == fm["footer_note"]] if last else []
        ck.check(name + ".mark.footer_note", ls and near(mm(ls[0].bottom), 287.0, 0.5) and near(mm(ls[0].cx), 112.5, CENTRE_TOL),
                 "bottom %.2f mm, centre %.2f mm" % (mm(ls[0].bottom), mm(ls[0].cx)) if ls else "not on the closing page")
    if fm.get("contact"):
        page = pages[0] if pr["footer"] == "first" else pages_of_closing(pages)
        first = fm["contact"].split()[:3]
        ls = [l for l in page.lines if l.text.split()[:3] == first] if page else []
        if ck.check(name + ".contact.found", ls, "on page %s" % (page.n if page else None)):
            c = ls[0]
            want = 11 if pr["regime"] == "state" else 10
            rules = [r for r in page.hrules if r.y < c.top and c.top - r.y < 4 * P.MM]
            r = max(rules, key=lambda r: r.y) if rules else None
            ck.check(name + ".contact.style", c.size == want and not c.any_bold and not c.any_italic, "%g pt" % c.size)
            ck.check(name + ".contact.rule", r is not None and near(mm(r.x0), 30, EDGE_TOL) and near(mm(r.x1), 195, EDGE_TOL),
                     "rule %s above the line" % ("%.1f–%.1f mm" % (mm(r.x0), mm(r.x1)) if r else None))
            body_bottom = max([mm(l.bottom) for l in page.lines if l.base < c.base - 1 and l is not c] or [0])
            ck.check(name + ".contact.inside", mm(c.bottom) <= 277.01 and (r is None or mm(r.y) > body_bottom),
                     "contact bottom %.2f mm; text above ends %.2f mm" % (mm(c.bottom), body_bottom))


def pages_of_closing(pages):
    for p in pages:
        if any(l.text == "Nơi nhận:" for l in p.lines):
            return p
    return None


def check_pages(ck, name, pages, fm, pid, apx):
    pr = PROFILES[pid]
    duplex = fm.get("duplex") == "true" and pr["duplex"]
    # page numbers: main text 2..N; appendices continue (36-HD) or restart each (ND30, 05-HD)
    want = {}
    starts = apx + [len(pages) + 1]
    for p in pages:
        if p.n < (apx[0] if apx else len(pages) + 1):
            want[p.n] = str(p.n) if p.n >= 2 else None
    for k, s in enumerate(apx):
        for n in range(s, starts[k + 1]):
            idx = n - s + 1 if pr["restart"] else n
            want[n] = str(idx) if idx >= 2 else None
    wrong = []
    for p in pages:
        got = [l for l in p.lines if is_pageno(l, p)]
        if want[p.n] is None:
            if got:
                wrong.append("p%d shows %s" % (p.n, got[0].text))
            continue
        if len(got) != 1 or got[0].text != want[p.n]:
            wrong.append("p%d shows %s, want %s" % (p.n, [l.text for l in got], want[p.n]))
            continue
        land = p.w > p.h
        left = 30.0
        right = (297.0 if land else 210.0) - 15.0
        if duplex and p.n % 2 == 0:
            left, right = duplex
            right = 210.0 - right
        if not near(mm(got[0].cx), (left + right) / 2, CENTRE_TOL):
            wrong.append("p%d number at %.2f mm, want %.2f" % (p.n, mm(got[0].cx), (left + right) / 2))
    ck.check(name + ".page_numbers", not wrong, "; ".join(wrong[:4]) if wrong else "%d pages%s" % (
        len(pages), ", restarting per appendix" if pr["restart"] and apx else ""))
    land = [p for p in pages if p.w > p.h]
    if land:
        ok = all(near(mm(p.w), 297, 0.5) and near(mm(p.h), 210, 0.5) for p in land)
        ck.check(name + ".landscape", ok and all(p.n >= apx[0] for p in land) if apx else False,
                 "pages %s landscape 297×210, all in appendices" % [p.n for p in land])
        # every table on a landscape page fits its text block
        over = [p.n for p in land for r in p.vrules if mm(r.x) > 282.5 or mm(r.x) < 29.5]
        ck.check(name + ".landscape.block", not over, "table rules inside x 30…282 mm%s" % (
            "; outside on p%s" % over if over else ""))
    if duplex:
        bad = []
        for p in pages:
            body = [l for l in p.lines if not is_pageno(l, p) and l.size >= 11]
            if not body or p.w > p.h:
                continue
            x0 = min(mm(l.x0) for l in body)
            x1 = max(mm(l.x1) for l in body)
            lo, hi = (duplex[0], 210.0 - duplex[1]) if p.n % 2 == 0 else (30.0, 195.0)
            main_text = not apx or p.n < apx[0]  # appendix pages: a centred table need not touch the margins
            if not ((near(x0, lo, EDGE_TOL) if main_text else x0 >= lo - EDGE_TOL) and x1 <= hi + EDGE_TOL):
                bad.append("p%d text %.1f–%.1f mm, want %g–%g" % (p.n, x0, x1, lo, hi))
        ck.check(name + ".duplex", not bad and len(pages) >= 2, "; ".join(bad) if bad else "back pages mirrored")
    if pid == "party-05-2026":
        pitches = []
        for p in pages:
            ls = [l for l in p.lines if l.size == 14 and not l.any_bold and not is_pageno(l, p)]
            for a, b in zip(ls, ls[1:]):
                d = b.base - a.base
                if 0 < d < 1.5 * 18 and abs(mm(b.x0) - 30) < 0.6:
                    pitches.append(d)
        ck.check(name + ".body.leading", pitches and all(18 - 0.05 <= d <= 22.05 for d in pitches),
                 "%d pitches %.2f–%.2f pt (18–22)" % (len(pitches), min(pitches or [0]), max(pitches or [0])))


def check_appendices(ck, name, pages, fm, pid, apx):
    """Each appendix's first page: the label and title centred, then the profile's own lines:
    the "(Kèm theo …)" line and its rule (state), the "(Kèm theo …)" line and "-----" (05-HD), the
    page 1 header again (36-HD)."""
    pr = PROFILES[pid]
    for n in apx:
        p = pages[n - 1]
        land = p.w > p.h
        centre = (30.0 + (297.0 if land else 210.0) - 15.0) / 2
        lab = [l for l in p.lines if re.fullmatch(r"(?i)phụ lục( [0-9IVXLC]+)?", l.text)][0]
        ok = lab.all_bold and near(mm(lab.cx), centre, CENTRE_TOL)
        if pr["kem_theo"] and (not pr["kem_theo_if"] or fm.get(pr["kem_theo_if"])):
            kt = [full_row(p, l) for l in p.lines if l.text.startswith("(Kèm theo")][:1]
            # the line may wrap: it runs to the line that ends with ")"
            for l in sorted(p.lines, key=lambda l: l.base):
                l = full_row(p, l)
                if kt and l.base > kt[-1].base and not kt[-1].text.endswith(")"):
                    kt.append(l)
            ok = ok and kt and kt[0].all_italic and near(mm(kt[0].cx), centre, CENTRE_TOL) and kt[0].base > lab.base
            if ok and pr["regime"] == "state":
                r = rule_under(p, kt[-1], 5.0)
                ok = r is not None and near(mm(r.x), centre, CENTRE_TOL)
            if ok and pr["appendix_dashes"]:
                ok = any(l.text == "-----" and l.base > kt[-1].base and near(mm(l.cx), centre, CENTRE_TOL) for l in p.lines)
        if pr["appendix_header"]:
            ok = ok and any(l.text == PARTY_TITLE for l in p.lines)
        ck.check("%s.appendix.p%d" % (name, n), ok, "%r%s" % (lab.text, " (landscape)" if land else ""))
        if pr["regime"] == "state":
            ck.check("%s.appendix.p%d.roman" % (name, n), re.fullmatch(r"Phụ lục( [IVXLC]+)?", lab.text) is not None,
                     repr(lab.text))
        else:
            ck.check("%s.appendix.p%d.arabic" % (name, n), re.fullmatch(r"(?i)phụ lục( \d+)?", lab.text) is not None,
                     repr(lab.text))


def main(argv):
    ck = P.Checker()
    cli = P.find_cli(argv)
    if not cli:
        ck.check("cli.present", False, "no vanban CLI at %r" % (argv[1:2] or ["build/vanban"]))
        return ck.done()
    only = argv[2:]
    rels = []
    for d, _, files in os.walk("samples"):
        if os.path.relpath(d, "samples").split(os.sep)[0] == "batch":
            continue  # batch templates: `vanban render` refuses them (tests/test_batch_samples.py)
        for f in files:
            if f.endswith(".md"):
                rels.append(os.path.relpath(os.path.join(d, f), "samples"))
    rels.sort()
    if only:
        rels = [r for r in rels if any(o in r for o in only)]
    kinds = ("bao-cao", "quyet-dinh", "cong-van", "nghi-quyet", "ke-hoach", "to-trinh", "thong-bao", "huong-dan",
             "chuong-trinh", "giay-moi")
    if not only:
        for reg in ("state", "party05", "party36"):
            have = [k for k in kinds if "%s/%s.md" % (reg, k) in rels]
            ck.check("samples.%s" % reg, len(have) == len(kinds), "%d of %d kinds" % (len(have), len(kinds)))
    tmp = tempfile.mkdtemp(prefix="vb-formats-")
    try:
        for rel in rels:
            try:
                run_sample(ck, cli, rel, tmp)
            except Exception as e:  # one broken sample must not hide the others
                import traceback
                ck.check(rel + ".crash", False, "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()[-600:]))
        if not only:
            wrap_test(ck, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def wrap_test(ck, cli, tmp):
    """Long body names typed on one line wrap inside their column, every line centred on it."""
    cases = [
        ("state", "state-30-2020", "BỘ NỘI VỤ", "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", "15/BC-VTLTNN", (30, 95)),
        ("party", "party-36-2018", "ĐẢNG BỘ TỈNH THANH HOÁ", "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "12-BC/ĐUK", (30, 110)),
        ("party", "party-05-2026", "ĐẢNG BỘ TỈNH THANH HOÁ", "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ",
         "12-BC/BCĐ", (30, 110)),
    ]
    for regime, pid, parent, issuer, number, col in cases:
        date = "2026-06-10" if pid != "party-36-2018" else "2025-06-10"
        src = os.path.join(tmp, "wrap-%s.md" % pid)
        with open(src, "w", encoding="utf-8") as f:
            f.write("---\nprofile: %s\nparent: %s\nissuer: %s\nnumber: %s\nplace: Hà Nội\ndate: %s\nkind: BÁO CÁO\n"
                    "title: Kết quả công tác năm\n---\n\nNội dung báo cáo.\n" % (
                        regime, parent, issuer, number, date))
        pdf = src[:-3] + ".pdf"
        rc, out, err = P.run([cli, "render", src, "-o", pdf], env=P.test_env())
        if not ck.check("wrap.%s.render" % pid, rc == 0, err.strip()[-200:]):
            continue
        p1 = P.load_pdf(pdf)[0]
        words = set(issuer.split())
        ls = [l for l in p1.lines if l.all_bold and set(l.text.split()) <= words and mm(l.cx) < col[1]]
        text = " ".join(l.text for l in ls)
        inside = all(mm(l.x0) >= col[0] - 0.01 and mm(l.x1) <= col[1] + 0.01 for l in ls)
        centred = all(near(mm(l.cx), col_centre(col), CENTRE_TOL) for l in ls)
        ck.check("wrap.%s" % pid, len(ls) >= 2 and text == issuer and inside and centred,
                 "%d lines %r, x %s, centres %s (column %g–%g)" % (
                     len(ls), [l.text for l in ls], ["%.1f–%.1f" % (mm(l.x0), mm(l.x1)) for l in ls],
                     ["%.2f" % mm(l.cx) for l in ls], col[0], col[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
