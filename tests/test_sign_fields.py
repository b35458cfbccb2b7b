#!/usr/bin/env python3
"""Signed-ready PDFs (issue 12 items 1 and 2): empty signature fields, issuance text fields and the
--sign-boxes sidecar.

    python3 tests/test_sign_fields.py build/vanban      (cwd = project root)

  - single: a công văn with one signer (state). pdfsig lists exactly Sig_NguoiKy and Sig_CoQuan,
    each "not signed"; qpdf --check is clean. The sidecar's rect of every field equals the /Rect
    read back with qpdf --json, and its top-left box is the same rectangle (top = page height -
    ury). The signer's field lies inside the page and inside the signature box of `vanban dump
    --stage=pages` (the gap between the post and the name), is the profile's 50 x 22 mm rounded
    inwards to whole points (140-142 x 61-63 pt), centred on the gap within 1 pt. The seal's field
    is a 36 mm (102 pt) square whose right edge is a third of the way into the signer's field
    (within 1 pt), left of it, vertically centred on it (within 1 pt), listed after it.
  - joint: two signers (state chương trình, Party 36 kế hoạch): Sig_NguoiKy, Sig_CoQuan,
    Sig_NguoiKy_2, Sig_CoQuan_2, each signer's field inside the signature box of its own index.
  - appendix: a kế hoạch with one appendix: Sig_PhuLuc on the appendix's first page (its outline
    entry's page), flush with the text block's right edge (within 1 pt), in the top margin (its
    bottom at or above the text block's top).
  - blank: documents with the number and the day left blank (state kế hoạch, Party 05 báo cáo):
    text fields (/FT /Tx) So and Ngay in the header and So_PL1, Ngay_PL1 in the appendix's "Kèm
    theo" line, one per run of no-break spaces of the dump, each starting at the gap's first glyph
    (within 1 pt, rounded outwards), as wide as the profile's blank (10 mm number, 6 mm day, within
    2 pt), over the gap's baseline; with a /DA naming /Helv and the form's /DR; pdftotext reads the
    same text as without fields; a numbered document of the same kind has no text field.
  - off: --no-sign-fields gives no /AcroForm (qpdf --json), no widget annotation and pdfsig finds no
    signature; the sidecar is written all the same; --sign-boxes without a PDF written (a failing
    render) leaves no sidecar; --sign-boxes naming the output is a usage error.
  - interop: poppler's pdfsig -sign fills Sig_NguoiKy then Sig_CoQuan (a throwaway certificate and
    NSS database): both "Signature is Valid.", the last "Total document signed", qpdf clean.
  - unchanged: for every sample, the PDF with fields and without has the same text with its layout
    (pdftotext -layout) and the same page contents (the content streams, by qpdf --json), and qpdf
    --check is clean with fields.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def env():
    e = dict(os.environ)
    e["FONTCONFIG_FILE"] = os.path.abspath("tests/fonts.conf")
    e["SOURCE_DATE_EPOCH"] = "1780000000"
    return e


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, env=env(), timeout=120)


def render(cli, src, pdf, *extra):
    r = run([cli, "render", src, "-o", pdf] + list(extra))
    check(r.returncode == 0, "render %s: exit %d %s" % (src, r.returncode, r.stderr.strip()))
    return r


def dump_pages(cli, src):
    r = run([cli, "dump", "--stage=pages", src])
    check(r.returncode == 0, "dump %s" % src)
    pages, cur = [], None
    for line in r.stdout.splitlines():
        if line.startswith("page "):
            m = re.match(r"page (\d+) w=(\d+) h=(\d+)", line)
            cur = {"w": int(m.group(2)), "h": int(m.group(3)), "boxes": [], "runs": []}
            pages.append(cur)
        elif line.startswith("box ") and cur is not None:
            b = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))
            cur["boxes"].append(b)
        elif line.startswith("run ") and cur is not None:
            m = re.search(r'text="(.*?)" glyphs=(.*?) at=', line)
            size = int(re.search(r"size=(\d+)", line).group(1))
            y = int(re.search(r" y=(\d+)", line).group(1))
            if m:
                xs = [int(g.split("@")[1]) for g in m.group(2).split() if "@" in g]
                cur["runs"].append({"text": m.group(1), "xs": xs, "y": y, "size": size})
    outline = [(int(m.group(1)), int(m.group(2))) for m in re.finditer(r"^outline level=(\d+) page=(\d+)", r.stdout, re.M)]
    return pages, outline


def pdfsig_fields(pdf):
    r = subprocess.run(["pdfsig", pdf], capture_output=True, text=True)
    names = re.findall(r"Signature Field Name: (\S+)", r.stdout)
    unsigned = r.stdout.count("The signature form field is not signed.")
    return names, unsigned, r.stdout + r.stderr


def qpdf_json(pdf, *extra):
    """qpdf --json (version 2): the document's keys, plus "objects" (number -> value, streams as
    their dict with "data") and "trailer"."""
    r = subprocess.run(["qpdf", "--json"] + list(extra) + [pdf], capture_output=True, text=True)
    j = json.loads(r.stdout)
    objs = {}
    for k, v in j["qpdf"][1].items():
        if k.startswith("obj:"):
            objs[k[4:]] = v["value"] if "value" in v else dict(v["stream"]["dict"], data=v["stream"].get("data"))
        elif k == "trailer":
            j["trailer"] = v["value"]
    j["objects"] = objs
    return j


def text(v):
    """A PDF string as qpdf's JSON writes it ("u:Sig_NguoiKy")."""
    return v[2:] if isinstance(v, str) and v[:2] in ("u:", "b:") else v


def widgets(pdf):
    """name -> (ft, rect, page number from 1, dict) for every widget, read with qpdf --json."""
    j = qpdf_json(pdf)
    objs = j["objects"]
    pages = [p["object"] for p in j.get("pages", [])]
    out = {}
    for key, o in objs.items():
        if not isinstance(o, dict) or o.get("/Subtype") != "/Widget":
            continue
        page = pages.index(o["/P"]) + 1 if o.get("/P") in pages else 0
        out[text(o.get("/T", ""))] = (o.get("/FT"), o.get("/Rect"), page, o)
    return out, j


def qpdf_clean(pdf):
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    return r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout


def sidecar(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def check_sidecar_matches(tag, sc, ws):
    check(sc.get("unit") == "pt" and sc.get("version") == 1, "%s: sidecar header" % tag)
    names = [f["name"] for f in sc["fields"]]
    check(sorted(names) == sorted(ws.keys()), "%s: sidecar names %s vs PDF %s" % (tag, names, sorted(ws)))
    for f in sc["fields"]:
        w = ws.get(f["name"])
        if not check(w is not None, "%s: %s in the PDF" % (tag, f["name"])):
            continue
        check([float(v) for v in w[1]] == [float(v) for v in f["rect"]],
              "%s: %s sidecar rect %s == /Rect %s" % (tag, f["name"], f["rect"], w[1]))
        check(w[2] == f["page"], "%s: %s page %s == %s" % (tag, f["name"], f["page"], w[2]))
        llx, lly, urx, ury = f["rect"]
        b, ph = f["box"], f["page_size"]["height"]
        check(abs(b["left"] - llx) < 1e-6 and abs(b["width"] - (urx - llx)) < 1e-6 and
              abs(b["height"] - (ury - lly)) < 1e-6 and abs(b["top"] - (ph - ury)) < 1e-3,
              "%s: %s top-left box %s is the rect %s" % (tag, f["name"], b, f["rect"]))
        check(0 <= llx < urx <= f["page_size"]["width"] and 0 <= lly < ury <= ph,
              "%s: %s inside the page" % (tag, f["name"]))


def sig_boxes(pages):
    """(page from 1, index, llx, lly, urx, ury in pt) of each signature box of the dump."""
    out = []
    for i, p in enumerate(pages):
        H = p["h"] / 1000.0
        for b in p["boxes"]:
            if b.get("kind") == "signature":
                x, y, w, h = (int(b[k]) / 1000.0 for k in ("x", "y", "w", "h"))
                out.append((i + 1, int(b["index"]), x, H - y - h, x + w, H - y))
    return out


def by_name(sc):
    return {f["name"]: f for f in sc["fields"]}


def test_single(cli, tmp):
    src = "samples/state/cong-van.md"
    pdf, js = os.path.join(tmp, "cv.pdf"), os.path.join(tmp, "cv.json")
    render(cli, src, pdf, "--sign-boxes", js)
    names, unsigned, out = pdfsig_fields(pdf)
    check(names == ["Sig_NguoiKy", "Sig_CoQuan"] and unsigned == 2, "single: pdfsig lists %s unsigned (%d)" % (names, unsigned))
    check(qpdf_clean(pdf), "single: qpdf --check")
    ws, j = widgets(pdf)
    sc = sidecar(js)
    check_sidecar_matches("single", sc, ws)
    f = by_name(sc)
    pages, _ = dump_pages(cli, src)
    boxes = sig_boxes(pages)
    if not check(len(boxes) == 1 and "Sig_NguoiKy" in f and "Sig_CoQuan" in f, "single: one signature box, two fields"):
        return
    pg, _, bx0, by0, bx1, by1 = boxes[0]
    s, seal = f["Sig_NguoiKy"], f["Sig_CoQuan"]
    llx, lly, urx, ury = s["rect"]
    check(s["page"] == pg and bx0 <= llx and urx <= bx1 and by0 <= lly and ury <= by1,
          "single: signer field %s inside the gap %s" % (s["rect"], (bx0, by0, bx1, by1)))
    check(140 <= urx - llx <= 142 and 61 <= ury - lly <= 63, "single: signer field 50 x 22 mm: %s" % s["rect"])
    check(abs((llx + urx) / 2 - (bx0 + bx1) / 2) <= 1 and abs((lly + ury) / 2 - (by0 + by1) / 2) <= 1,
          "single: signer field centred on the gap")
    sl, sb, sr, st = seal["rect"]
    check(sr - sl == 102 and st - sb == 102, "single: seal 36 mm square: %s" % seal["rect"])
    check(abs(sr - (llx + (urx - llx) / 3.0)) <= 1 and sl < llx, "single: seal's right edge at the signer's left third: %s vs %s" % (seal["rect"], s["rect"]))
    check(abs((sb + st) / 2 - (lly + ury) / 2) <= 1, "single: seal centred vertically on the signer's field")
    # the seal is drawn on top: after the signer in the page's /Annots
    objs = j["objects"]
    page_obj = j["pages"][pg - 1]["object"]
    annots = objs[page_obj].get("/Annots", [])
    order = [text(objs[a].get("/T", "")) for a in annots]
    check(order == ["Sig_NguoiKy", "Sig_CoQuan"], "single: /Annots order %s" % order)
    for name in ("Sig_NguoiKy", "Sig_CoQuan"):
        o = ws[name][3]
        check(o.get("/FT") == "/Sig" and o.get("/F") == 134 and "/V" not in o and o.get("/P") == page_obj,
              "single: %s is /FT /Sig /F 134 (print, locked, invisible) with /P and no /V: %s" % (name, o))
    # mupdf draws its own orange "SIGN" tag into an unsigned signature field unless it is invisible;
    # poppler draws nothing either way: the page as both show it has no such text
    shown = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf], capture_output=True, text=True)
    check(shown.returncode == 0 and "Kính gửi" in shown.stdout and "SIGN" not in shown.stdout,
          "single: mupdf draws the page and no SIGN tag into the unsigned fields")
    check(text(ws["Sig_NguoiKy"][3].get("/TU")) == "Chữ ký số của người có thẩm quyền", "single: /TU in Vietnamese")
    cat = objs[j["trailer"]["/Root"]]
    form = objs.get(cat.get("/AcroForm"), {}) if isinstance(cat.get("/AcroForm"), str) else {}
    check(form.get("/SigFlags") == 1 and len(form.get("/Fields", [])) == 2,
          "single: indirect /AcroForm, /SigFlags 1, 2 fields: %s" % form)


def test_joint(cli, tmp):
    for src in ("samples/state/chuong-trinh.md", "samples/party36/ke-hoach.md"):
        pdf, js = os.path.join(tmp, "j.pdf"), os.path.join(tmp, "j.json")
        render(cli, src, pdf, "--sign-boxes", js)
        names, unsigned, _ = pdfsig_fields(pdf)
        check(names == ["Sig_NguoiKy", "Sig_CoQuan", "Sig_NguoiKy_2", "Sig_CoQuan_2"] and unsigned == 4,
              "joint %s: pdfsig %s" % (src, names))
        check(qpdf_clean(pdf), "joint %s: qpdf --check" % src)
        ws, _ = widgets(pdf)
        sc = sidecar(js)
        check_sidecar_matches("joint " + src, sc, ws)
        pages, _ = dump_pages(cli, src)
        boxes = {b[1]: b for b in sig_boxes(pages)}
        for f in sc["fields"]:
            if f["role"] != "signer":
                continue
            b = boxes.get(f["index"])
            llx, lly, urx, ury = f["rect"]
            check(b is not None and f["page"] == b[0] and b[2] <= llx and urx <= b[4] and b[3] <= lly and ury <= b[5],
                  "joint %s: %s inside signer %d's gap" % (src, f["name"], f["index"]))


def test_appendix(cli, tmp):
    src = "samples/state/ke-hoach.md"
    pdf, js = os.path.join(tmp, "a.pdf"), os.path.join(tmp, "a.json")
    render(cli, src, pdf, "--sign-boxes", js)
    names, unsigned, _ = pdfsig_fields(pdf)
    check(names == ["Sig_NguoiKy", "Sig_CoQuan", "Sig_PhuLuc"] and unsigned == 3, "appendix: pdfsig %s" % names)
    check(qpdf_clean(pdf), "appendix: qpdf --check")
    ws, _ = widgets(pdf)
    sc = sidecar(js)
    check_sidecar_matches("appendix", sc, ws)
    pages, outline = dump_pages(cli, src)
    first = [p for (lv, p) in outline if lv == 1][-1] + 1
    f = by_name(sc).get("Sig_PhuLuc")
    if not check(f is not None and f["page"] == first, "appendix: Sig_PhuLuc on the appendix's first page %d" % first):
        return
    pg = pages[first - 1]
    tb = [b for b in pg["boxes"] if b.get("kind") == "text-block"][0]
    H = pg["h"] / 1000.0
    right = (int(tb["x"]) + int(tb["w"])) / 1000.0
    top = H - int(tb["y"]) / 1000.0
    llx, lly, urx, ury = f["rect"]
    check(abs(urx - right) <= 1 and lly >= top - 1e-6 and ury <= H, "appendix: top right, in the top margin: %s (block right %.2f top %.2f)" % (f["rect"], right, top))
    check(f["role"] == "appendix" and f["index"] == 0, "appendix: role and index")


def test_blank(cli, tmp):
    # the source, the names expected (an appendix's after the header's), the blanks' widths (10 mm, 6 mm)
    cases = [("samples/state/ke-hoach-chua-so.md", ["So", "Ngay", "So_PL1", "Ngay_PL1"]),
             ("samples/party05/bao-cao-chua-so.md", ["So", "Ngay", "Thang"])]
    wnum, wday = 28.35, 17.0
    for src, expect in cases:
        pdf, js, bare = os.path.join(tmp, "b.pdf"), os.path.join(tmp, "b.json"), os.path.join(tmp, "b0.pdf")
        render(cli, src, pdf, "--sign-boxes", js)
        render(cli, src, bare, "--no-sign-fields")
        check(qpdf_clean(pdf), "blank %s: qpdf --check" % src)
        ws, j = widgets(pdf)
        sc = sidecar(js)
        check_sidecar_matches("blank " + src, sc, ws)
        texts = [f for f in sc["fields"] if f["type"] == "text"]
        pages, _ = dump_pages(cli, src)
        gaps = []
        for i, p in enumerate(pages):
            for r in p["runs"]:
                if "\u00a0" not in r["text"]:
                    continue
                # a gap is a run of its own (the dump cuts runs at spaces); anything else fails below
                alone = r["text"] == "\u00a0" * len(r["text"]) and len(r["xs"]) == len(r["text"])
                gaps.append((i + 1, r["xs"][0] / 1000.0 if alone else -1, r["xs"][-1] / 1000.0 if alone else -1,
                             p["h"] / 1000.0 - r["y"] / 1000.0))
        check(len(texts) == len(gaps) and len(gaps) >= 2, "blank %s: %d text fields for %d gaps" % (src, len(texts), len(gaps)))
        names = [f["name"] for f in texts]
        check(names == expect, "blank %s: names %s" % (src, names))
        for f, g in zip(texts, gaps):
            llx, lly, urx, ury = f["rect"]
            width = wnum if f["role"] == "number" else wday
            check(f["page"] == g[0] and llx <= g[1] < llx + 1 and urx >= g[2] and abs((urx - llx) - width) <= 2 and lly < g[3] < ury,
                  "blank %s: %s %s over the gap %s" % (src, f["name"], f["rect"], g))
            o = ws[f["name"]][3]
            check(o.get("/FT") == "/Tx" and "/Helv" in text(o.get("/DA", "")), "blank %s: %s is a text field with /DA" % (src, f["name"]))
        check(pdfcheck.pdftotext_raw(pdf) == pdfcheck.pdftotext_raw(bare), "blank %s: same text with and without fields" % src)
        root = j["trailer"]["/Root"]
        form = j["objects"][j["objects"][root]["/AcroForm"]]
        check("/DR" in form and "/DA" in form, "blank %s: the form's /DR and /DA" % src)
    # a numbered document: no text field
    pdf, js = os.path.join(tmp, "n.pdf"), os.path.join(tmp, "n.json")
    render(cli, "samples/state/ke-hoach.md", pdf, "--sign-boxes", js)
    check(not [f for f in sidecar(js)["fields"] if f["type"] == "text"], "blank: a numbered document has no text field")


def test_off(cli, tmp):
    src = "samples/state/cong-van.md"
    pdf, js = os.path.join(tmp, "off.pdf"), os.path.join(tmp, "off.json")
    render(cli, src, pdf, "--no-sign-fields", "--sign-boxes", js)
    j = qpdf_json(pdf)
    check(not j.get("acroform", {}).get("hasacroform", True), "off: no AcroForm")
    check(not [o for o in j["objects"].values() if isinstance(o, dict) and o.get("/Subtype") == "/Widget"], "off: no widget")
    names, _, out = pdfsig_fields(pdf)
    check(not names, "off: pdfsig finds no signature field: %s" % out.strip())
    check(os.path.exists(js) and len(sidecar(js)["fields"]) == 2, "off: the sidecar is written all the same")
    # a render that fails writes neither
    bad = os.path.join(tmp, "bad.md")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("---\nkind: BÁO CÁO\nnumber: 5/BC-UBND\n---\n\nx\n")
    bp, bj = os.path.join(tmp, "bad.pdf"), os.path.join(tmp, "bad.json")
    r = run([cli, "render", bad, "-o", bp, "--sign-boxes", bj])
    check(r.returncode != 0 and not os.path.exists(bp) and not os.path.exists(bj), "off: a failed render leaves no sidecar")
    r = run([cli, "render", src, "-o", pdf, "--sign-boxes", pdf])
    check(r.returncode == 2, "off: --sign-boxes naming the PDF is a usage error")
    left = [n for n in os.listdir(tmp) if n.startswith(".")]
    check(not left, "off: no temporary file left: %s" % left)


def page_streams(pdf):
    """The decoded content stream bytes of each page (qpdf --json, data inline)."""
    j = qpdf_json(pdf, "--json-stream-data=inline", "--decode-level=generalized")
    return [[j["objects"][c].get("data") for c in p["contents"]] for p in j["pages"]]


def test_unchanged(cli, tmp):
    # samples/batch/ holds a batch template (render refuses it) and its README
    srcs = sorted(f for f in glob.glob("samples/*.md") + glob.glob("samples/*/*.md") if not f.startswith("samples/batch/"))
    for src in srcs:
        a, b = os.path.join(tmp, "u1.pdf"), os.path.join(tmp, "u0.pdf")
        render(cli, src, a)
        render(cli, src, b, "--no-sign-fields")
        ta = subprocess.run(["pdftotext", "-layout", a, "-"], capture_output=True).stdout
        tb = subprocess.run(["pdftotext", "-layout", b, "-"], capture_output=True).stdout
        check(ta == tb and ta, "unchanged %s: pdftotext -layout identical" % src)
        sa, sb = page_streams(a), page_streams(b)
        check(sa == sb and len(sa) > 0 and all(x[0] for x in sa), "unchanged %s: the pages' content streams identical" % src)
        check(qpdf_clean(a), "unchanged %s: qpdf --check with fields" % src)
        names, unsigned, _ = pdfsig_fields(a)
        check(names and unsigned == len(names), "unchanged %s: signature fields unsigned" % src)


def test_interop(cli, tmp):
    """A field-name signer fills our fields: poppler's pdfsig -sign Sig_NguoiKy, then Sig_CoQuan, with a
    throwaway self-signed certificate in a throwaway NSS database; both signatures valid, the last one
    covering the whole document, qpdf --check clean at each step."""
    import shutil
    if not (shutil.which("certutil") and shutil.which("pk12util") and shutil.which("openssl")):
        print("note: certutil, pk12util or openssl missing: interop skipped")
        return
    pdf = os.path.join(tmp, "i.pdf")
    render(cli, "samples/state/cong-van.md", pdf)
    k, c, p12, db = (os.path.join(tmp, n) for n in ("k.pem", "c.pem", "k.p12", "nss"))
    os.mkdir(db)
    steps = [["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", k, "-out", c, "-days", "30",
              "-subj", "/CN=Nguyen Van A/O=UBND tinh X/C=VN"],
             ["openssl", "pkcs12", "-export", "-inkey", k, "-in", c, "-out", p12, "-passout", "pass:x", "-name", "signer"],
             ["certutil", "-N", "-d", "sql:" + db, "--empty-password"],
             ["pk12util", "-i", p12, "-d", "sql:" + db, "-W", "x"],
             ["certutil", "-M", "-n", "signer", "-t", "CT,C,C", "-d", "sql:" + db]]
    for st in steps:
        r = subprocess.run(st, capture_output=True, text=True)
        if not check(r.returncode == 0, "interop: %s: %s" % (st[0], r.stderr.strip()[-200:])):
            return
    prev = pdf
    for i, field in enumerate(("Sig_NguoiKy", "Sig_CoQuan")):
        out = os.path.join(tmp, "i%d.pdf" % (i + 1))
        r = subprocess.run(["pdfsig", "-sign", field, "-nssdir", "sql:" + db, "-nick", "signer", prev, out],
                           capture_output=True, text=True)
        check(r.returncode == 0 and os.path.exists(out), "interop: pdfsig -sign %s: %s" % (field, r.stderr.strip()[-200:]))
        check(qpdf_clean(out), "interop: qpdf --check after signing %s" % field)
        prev = out
    r = subprocess.run(["pdfsig", "-nssdir", "sql:" + db, prev], capture_output=True, text=True)
    blocks = r.stdout.split("Signature #")[1:]
    check(len(blocks) == 2 and all("Signature is Valid." in b for b in blocks) and
          "Total document signed" in blocks[1] and "Sig_CoQuan" in blocks[1],
          "interop: both signatures valid, the last covers the document: %s" % r.stdout.strip()[-400:])


def main():
    cli = pdfcheck.find_cli(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        for t in (test_single, test_joint, test_appendix, test_blank, test_off, test_interop, test_unchanged):
            d = os.path.join(tmp, t.__name__)
            os.mkdir(d)
            t(cli, d)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
