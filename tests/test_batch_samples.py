#!/usr/bin/env python3
"""Renders the batch sample (samples/batch/bao-cao.md) with `vanban batch`
over its CSV and its JSON data, and checks every report.

    python3 tests/test_batch_samples.py build/vanban            (cwd = project root)
    python3 tests/test_batch_samples.py build/vanban --expand   (without the batch command)

Checks:
  - the two data files hold the same rows (python's csv and json modules read
    them; the CSV is Excel's "CSV UTF-8": BOM, ";", CRLF), at least 20, with
    tables of different lengths and the awkward names the sample is for;
  - `vanban batch … --data chi-bo.csv -o DIR --name "{{ma_chi_bo}}.pdf"`
    exits 0 and writes exactly one PDF per row, named by the pattern; the same
    over chi-bo.json; and the CSV once more with the default names
    (bao-cao-<row number with leading zeros>.pdf), one per row in row order;
  - the CSV and the JSON runs give byte-identical PDFs, row by row, and the
    default-named files (-j1) are byte-identical to the named ones (-j2);
  - `vanban render` of the template is refused (template.tags), no PDF;
  - each PDF: 3 pages (pdfinfo), qpdf --check clean, and its pdftotext holds
    its own row's values printed as given: the chi bộ's name, the đảng ủy above
    it (with "*" printed, not italics), the signer, each table item's content
    followed by its count, the shortcoming or the inverted section's sentence,
    the optional recipient or not, and no "{{" left;
  - ../shared/tools/conform.py --regime party05 passes on each PDF, with
    --expect holding the row's number, parent, issuer, place and date,
    signer, recipients, kind and page count.

--expand renders each row by substituting it into the template as text
(tests/batch_expand.py) and `vanban render`, to check the template and the data
before the batch command exists; the batch-only checks are left out then.
One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
import batch_expand as B  # noqa: E402

TEMPLATE = "samples/batch/bao-cao.md"
CSV = "samples/batch/chi-bo.csv"
JSON = "samples/batch/chi-bo.json"
CONFORM = "../shared/tools/conform.py"
INVERTED = "Chi bộ không có hạn chế lớn"
FIXED_RECIPIENTS = ["Các đồng chí đảng viên trong chi bộ", "Lưu Chi bộ"]


def text_rows(rows):
    """The rows with every value as the text a template prints (JSON numbers as written)."""
    def t(v):
        if isinstance(v, list):
            return [t(x) for x in v]
        if isinstance(v, dict):
            return {k: t(x) for k, x in v.items()}
        return B.text(v)
    return [t(r) for r in rows]


def flat(s):
    return " ".join(s.split())


def pdf_text(pdf):
    rc, out, err = P.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"])
    return flat(out) if rc == 0 else ""


def pages(pdf):
    rc, out, _ = P.run(["pdfinfo", pdf])
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def place_date(row):
    y, m, d = (int(x) for x in row["ngay"].split("-"))
    return "%s, ngày %02d tháng %s năm %d" % (row["noi"], d, "%02d" % m if m <= 2 else str(m), y)


def expectations(row):
    rec = [row["cap_uy_tren"] + " (để báo cáo)"] + ([row["nhan_them"]] if row["nhan_them"] else []) + FIXED_RECIPIENTS
    return {
        "kind": "BÁO CÁO",
        "pages": 3,
        "number": "Số %s-BC/%s" % (row["so"], row["ky_hieu"]),
        "parent": flat(row["cap_tren"]),
        "issuer": flat(row["ten_chi_bo"]),
        "place_date": place_date(row),
        "signer": ["T/M CHI BỘ", row["nguoi_ky"]["chuc_vu"], row["nguoi_ky"]["ho_ten"]],
        # party-05-2026 ends each item with ";" and the last with "."
        "recipients": ["- " + r + (";" if i + 1 < len(rec) else ".") for i, r in enumerate(rec)],
    }


def check_data(ck, csv_rows, json_rows):
    ck.check("data.rows", len(csv_rows) >= 20, "%d rows in %s" % (len(csv_rows), CSV))
    ck.check("data.same_rows", csv_rows == json_rows, "%s and %s hold the same rows" % (CSV, JSON))
    raw = open(CSV, "rb").read()
    ck.check("data.csv_excel", raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and raw.count(b"\n") ==
             raw.count(b"\r\n") + sum(v.count("\n") for r in csv_rows for v in r.values() if isinstance(v, str)),
             "BOM, CRLF row ends, LF only inside a cell")
    lens = sorted(set(len(r["bang"]) for r in csv_rows))
    ck.check("data.table_lengths", len(lens) >= 3, "table lengths %s" % lens)
    vals = " ".join(json.dumps(r, ensure_ascii=False) for r in json_rows)
    for c in (":", "*", " - ", "\\\"", "|", "#", "\\n"):
        ck.check("data.has %s" % c, c in vals, "some value holds %s" % c)


def check_pdf(ck, tag, pdf, row):
    if not ck.check(tag + ".written", os.path.isfile(pdf), pdf):
        return
    n = pages(pdf)
    ck.check(tag + ".pages", n == 3, "%d pages" % n)
    rc, out, err = P.run(["qpdf", "--check", pdf])
    ck.check(tag + ".qpdf", rc == 0, (out + err).strip().splitlines()[-1] if rc else "")
    txt = pdf_text(pdf)
    want = [("unit", row["chi_bo"]), ("above", row["cap_uy_tren"]), ("organisation", row["don_vi"]),
            ("signer", row["nguoi_ky"]["ho_ten"]), ("rating", "“%s”" % row["xep_loai"]),
            ("members", "hiện có %s đảng viên" % row["dang_vien"]), ("rate", "bình quân đạt %s" % row["ty_le"])]
    if row["han_che"]:
        want.append(("shortcoming", row["han_che"]))
    for name, w in want:
        ck.check("%s.text.%s" % (tag, name), flat(w) in txt, repr(w[:60]))
    ck.check(tag + ".text.inverted", (INVERTED in txt) != bool(row["han_che"]),
             "%r %s" % (INVERTED, "absent (han_che given)" if row["han_che"] else "present (han_che empty)"))
    if row["nhan_them"]:
        ck.check(tag + ".text.extra_recipient", row["nhan_them"] in txt, repr(row["nhan_them"]))
    pos, ok, bad = 0, True, ""
    for it in row["bang"]:
        i = txt.find(flat(it["noi_dung"]), pos)
        j = txt.find(it["so_luong"], i) if i >= 0 else -1
        if i < 0 or j < 0 or j - (i + len(flat(it["noi_dung"]))) > 8:
            ok, bad = False, "item %s %r / %s" % (it["stt"], it["noi_dung"][:40], it["so_luong"])
            break
        pos = j
    ck.check(tag + ".text.table", ok, bad or "%d items, each with its count, in order" % len(row["bang"]))
    ck.check(tag + ".text.no_tags", "{{" not in txt and "}}" not in txt)
    if os.path.isfile(CONFORM):
        fd, exp = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(expectations(row), f, ensure_ascii=False)
        # the page as printed: mupdf draws a "SIGN" marker into every unsigned signature field (pdfcheck.page_only)
        shown, tmp = P.page_only(pdf)
        try:
            rc, out, err = P.run([sys.executable, CONFORM, shown, "--regime", "party05", "--expect", exp], timeout=300)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
        os.unlink(exp)
        fails = [l for l in out.splitlines() if l.startswith("FAIL")]
        ck.check(tag + ".conform", rc == 0 and not fails, "%s%s" % (
            (out.strip().splitlines() or [err.strip()])[-1], "".join("\n      " + f for f in fails[:6])))


def batch(cli, data, out, extra=()):
    cmd = [cli, "batch", TEMPLATE, "--data", data, "-o", out] + list(extra)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    except FileNotFoundError as e:
        return 127, str(e)
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def tail(msg):
    """The start and the end (the summary) of a batch's messages."""
    m = msg.strip()
    return m if len(m) <= 900 else m[:400] + "\n  …\n" + m[-400:]


def same_files(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        return f.read() == g.read()


def main(argv):
    ck = P.Checker()
    cli = P.find_cli(argv)
    if not cli:
        ck.check("cli.present", False, "no vanban CLI at %r" % (argv[1:2] or ["build/vanban"]))
        return ck.done()
    expand = "--expand" in argv[2:]
    csv_rows = text_rows(B.read_rows(CSV))
    json_rows = text_rows(B.read_rows(JSON))
    check_data(ck, csv_rows, json_rows)
    rows = csv_rows
    tmp = tempfile.mkdtemp(prefix="vb-batch-samples-")
    try:
        dirs = {}
        for kind, data, rws in (("csv", CSV, csv_rows), ("json", JSON, json_rows)):
            d = dirs[kind] = os.path.join(tmp, kind)
            if expand:
                os.makedirs(d)
                tpl = open(TEMPLATE, encoding="utf-8").read()
                for r in B.read_rows(data):
                    src = os.path.join(tmp, "row.md")
                    with open(src, "w", encoding="utf-8") as f:
                        f.write(B.expand(tpl, r))
                    rc, _, err = P.run([cli, "render", src, "-o", os.path.join(d, B.text(r["ma_chi_bo"]) + ".pdf")])
                    ck.check("%s.%s.render" % (kind, r["ma_chi_bo"]), rc == 0, err.strip()[:300])
                continue
            rc, msg = batch(cli, data, d, ["--name", "{{ma_chi_bo}}.pdf", "-j", "2"])
            if rc == 2 and re.search(r"(?i)unknown (command|option)", msg):
                # no batch command: one clear failure, not one per row
                ck.check("batch.command", False, "this build has no `vanban batch` (issue 11): %s" %
                         msg.strip().splitlines()[0][:200])
                return ck.done()
            ck.check(kind + ".batch", rc == 0, "rc %d: %s" % (rc, tail(msg)) if rc else "")
            got = sorted(os.listdir(d)) if os.path.isdir(d) else []
            want = sorted(r["ma_chi_bo"] + ".pdf" for r in rws)
            ck.check(kind + ".one_pdf_per_row", got == want, "%d files for %d rows%s" % (
                len(got), len(rws), "; unexpected: %s" % sorted(set(got) ^ set(want))[:5] if got != want else ""))
        if not expand:
            out = os.path.join(tmp, "render.pdf")
            rc, _, err = P.run([cli, "render", TEMPLATE, "-o", out])
            ck.check("render.refused", rc != 0 and "template.tags" in err and not os.path.exists(out),
                     "rc %d: %s" % (rc, err.strip()[:200]))
            d = os.path.join(tmp, "default")
            rc, msg = batch(cli, CSV, d, ["-j", "1"])
            ck.check("default.batch", rc == 0, "rc %d: %s" % (rc, tail(msg)) if rc else "")
            got = sorted(os.listdir(d)) if os.path.isdir(d) else []
            nums = [re.fullmatch(r"bao-cao-(0*\d+)\.pdf", f) for f in got]
            ok = all(nums) and [int(m.group(1)) for m in nums] == list(range(1, len(rows) + 1)) and \
                len(set(len(m.group(1)) for m in nums)) == 1
            ck.check("default.names", ok, "%d files: %s … %s" % (len(got), got[:1], got[-1:]))
            if ok:
                named = [os.path.join(dirs["csv"], r["ma_chi_bo"] + ".pdf") for r in rows]
                same = all(os.path.isfile(n) and same_files(os.path.join(d, f), n) for f, n in zip(got, named))
                ck.check("default.same_as_named", same, "bao-cao-N.pdf is row N's {{ma_chi_bo}}.pdf, byte for byte (-j1 and -j2)")
        for r in rows:
            a = os.path.join(dirs["csv"], r["ma_chi_bo"] + ".pdf")
            b = os.path.join(dirs["json"], r["ma_chi_bo"] + ".pdf")
            ck.check("row.%s.csv_json_identical" % r["ma_chi_bo"], os.path.isfile(a) and os.path.isfile(b) and
                     same_files(a, b))
            check_pdf(ck, "row.%s" % r["ma_chi_bo"], a, r)
        if not os.path.isfile(CONFORM):
            ck.note("%s absent: conformance runs skipped" % CONFORM)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
