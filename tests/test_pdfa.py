#!/usr/bin/env python3
"""PDF/A-2b output (vanban render --pdfa, `pdfa: true`): what can be checked without veraPDF (not in
Debian 12), with real clients: qpdf --check, qpdf --json (the catalog's /Metadata and /OutputIntents,
the ICC profile's header, every annotation's /AP /N, no /Encrypt, /JavaScript, /AA), the XMP parsed
by xml.etree (pdfaid part 2 conformance B, equal to the Info: title, author, producer, dates; a
hostile title escaped), pdffonts (every font embedded), the header version; then the PDF/A file
signed (vanban sign --image) and issued (vanban issue --seal) keeps those properties (the number and
the date drawn with the document's own embedded font), and pdfsig says both signatures are valid.
Without --pdfa nothing of it is written, and the pages are the same.

    python3 tests/test_pdfa.py build/vanban
"""
import base64
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
import signfixture as F  # noqa: E402
import test_signing as S  # noqa: E402

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/"}
SAMPLE = "samples/party05/bao-cao-chua-so.md"
HOSTILE = "<b>&amp; \"quoted\" 'single' ]]> </rdf:li> & < >"


def qjson(pdf):
    """qpdf --json (version 2) with the streams' decoded data: (objects by 'N 0 R', trailer dict)."""
    rc, out, err = P.run(["qpdf", "--json", "--json-stream-data=inline", pdf])
    if rc not in (0, 3):
        return None, None
    objs = json.loads(out)["qpdf"][1]
    return {k[4:]: v for k, v in objs.items() if k.startswith("obj:")}, objs["trailer"]["value"]


def deref(objs, v):
    """An indirect reference's value (a dict; a stream as {'dict':..., 'data': bytes})."""
    if isinstance(v, str) and v.endswith(" R"):
        o = objs.get(v, {})
        if "stream" in o:
            return {"dict": o["stream"]["dict"], "data": base64.b64decode(o["stream"].get("data", ""))}
        return o.get("value")
    return v


def text(v):
    """A PDF string from qpdf's JSON ('u:...' text, 'b:...' hex) as str."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        return b[2:].decode("utf-16-be") if b[:2] == b"\xfe\xff" else b.decode("latin-1")
    return v


def xmp_date(pdf_date):
    """D:20261205000000+07'00' -> 2026-12-05T00:00:00+07:00."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'?$", pdf_date or "")
    if not m:
        return None
    g = m.groups()
    return "%s-%s-%sT%s:%s:%s%s%s:%s" % g


def pdfa_problems(pdf, fonts_embedded=True):
    """Every PDF/A-2b property this test can check that pdf lacks, as a list of strings (empty: all hold)."""
    bad = []
    data = open(pdf, "rb").read()
    if not data.startswith(b"%PDF-1.7\n%") or not all(c > 127 for c in data[10:14]):
        bad.append("header %r" % data[:14])
    ok, why = S.qpdf_clean(pdf)
    if not ok:
        bad.append("qpdf --check: " + why)
    objs, trailer = qjson(pdf)
    if objs is None:
        return bad + ["qpdf --json failed"]
    if "/Encrypt" in trailer:
        bad.append("/Encrypt in the trailer")
    if not (isinstance(trailer.get("/ID"), list) and len(trailer["/ID"]) == 2):
        bad.append("no trailer /ID")
    dump = json.dumps(objs)
    for key in ("/JavaScript", "/AA", "/OpenAction", "/Launch", "/NeedAppearances", "/LZWDecode", "/EmbeddedFile"):
        if '"%s"' % key in dump:
            bad.append("%s present" % key)
    cat = deref(objs, trailer["/Root"])
    info = deref(objs, trailer.get("/Info")) or {}
    # the output intent and its ICC profile
    ois = cat.get("/OutputIntents") or []
    oi = [deref(objs, o) for o in ois]
    gts = [o for o in oi if o and o.get("/S") == "/GTS_PDFA1"]
    if len(gts) != 1:
        bad.append("output intents %r" % oi)
    else:
        prof = deref(objs, gts[0].get("/DestOutputProfile"))
        icc = prof["data"] if isinstance(prof, dict) and "data" in prof else b""
        if len(icc) < 128 or icc[36:40] != b"acsp" or icc[16:20] != b"RGB " or prof["dict"].get("/N") != 3:
            bad.append("DestOutputProfile: %d bytes, %r %r" % (len(icc), icc[36:40], icc[16:20]))
        elif int.from_bytes(icc[:4], "big") != len(icc) or icc[8] > 4:
            bad.append("ICC size %d (header %d), version %d" % (len(icc), int.from_bytes(icc[:4], "big"), icc[8]))
    # the XMP: an uncompressed metadata stream that agrees with the Info
    meta = deref(objs, cat.get("/Metadata"))
    if not isinstance(meta, dict) or "data" not in meta:
        return bad + ["no /Metadata stream on the catalog"]
    md = meta["dict"]
    if md.get("/Type") != "/Metadata" or md.get("/Subtype") != "/XML" or "/Filter" in md:
        bad.append("metadata dict %r" % md)
    raw = meta["data"]
    try:
        root = ET.fromstring(raw.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    except (ET.ParseError, IndexError) as e:
        return bad + ["XMP does not parse: %s" % e]
    desc = root.find(".//rdf:Description", NS)

    def prop(path):
        el = desc.find(path, NS) if desc is not None else None
        return el.text if el is not None else None
    if prop("pdfaid:part") != "2" or prop("pdfaid:conformance") != "B":
        bad.append("pdfaid %r %r" % (prop("pdfaid:part"), prop("pdfaid:conformance")))
    pairs = [("dc:title/rdf:Alt/rdf:li", "/Title"), ("dc:creator/rdf:Seq/rdf:li", "/Author"),
             ("dc:description/rdf:Alt/rdf:li", "/Subject"), ("pdf:Keywords", "/Keywords"),
             ("xmp:CreatorTool", "/Creator"), ("pdf:Producer", "/Producer")]
    for path, key in pairs:
        if prop(path) != text(info.get(key)):
            bad.append("XMP %s %r != Info %s %r" % (path, prop(path), key, text(info.get(key))))
    for path, key in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate")):
        if prop(path) != xmp_date(text(info.get(key))):
            bad.append("XMP %s %r != Info %s %r" % (path, prop(path), key, text(info.get(key))))
    # every annotation has an appearance stream and is printed
    nannots = 0
    for o in objs.values():
        v = o.get("value")
        if not isinstance(v, dict) or v.get("/Type") != "/Page":
            continue
        for a in deref(objs, v.get("/Annots")) or []:
            a = deref(objs, a)
            nannots += 1
            ap = deref(objs, a.get("/AP")) or {}
            n = deref(objs, ap.get("/N"))
            if not (isinstance(n, dict) and "data" in n) or set(ap) != {"/N"}:
                bad.append("annotation %s: /AP %r" % (text(a.get("/T")), ap))
            if not int(a.get("/F", 0)) & 4 or int(a.get("/F", 0)) & (1 | 2 | 32):
                bad.append("annotation %s: /F %r" % (text(a.get("/T")), a.get("/F")))
    if fonts_embedded:
        rc, out, err = P.run(["pdffonts", pdf])
        rows = [ln for ln in out.splitlines()[2:] if ln.strip()]
        if rc or not rows or [r for r in rows if r.split()[-5] != "yes"]:
            bad.append("pdffonts: %s" % out.strip()[-400:])
    return bad, nannots, info


def longest_string(pdf):
    """The longest string object of pdf, in bytes as written (UTF-16 with its BOM for a text string)."""
    objs, trailer = qjson(pdf)
    most = [0]

    def walk(v):
        if isinstance(v, str) and v.startswith("u:"):
            t = v[2:]
            most[0] = max(most[0], len(t) if t.isascii() else 2 + len(t.encode("utf-16-be")))
        elif isinstance(v, str) and v.startswith("b:"):
            most[0] = max(most[0], len(v[2:]) // 2)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(objs)
    return most[0]


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    missing = [t for t in ("qpdf", "pdffonts", "pdfsig", "openssl", "certutil") if not shutil.which(t)]
    if not ck.check("tools.present", not missing, "missing: %s (scripts/deps.sh)" % missing):
        return ck.done()
    env = P.test_env()
    env.pop("SOURCE_DATE_EPOCH", None)
    tmp = tempfile.mkdtemp(prefix="vb-pdfa-")
    try:
        run_all(ck, cli, env, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def result(r):
    """pdfa_problems' list (a bare list when it stopped early)."""
    return r[0] if isinstance(r, tuple) else r


def run_all(ck, cli, env, tmp):
    def T(name):
        return os.path.join(tmp, name)

    # ---- every sample, with --pdfa ----
    samples = sorted(f for f in glob.glob("samples/*.md") + glob.glob("samples/*/*.md")
                     if not f.endswith("README.md") and "/batch/" not in f)
    n_ok, n_annots, failures = 0, 0, []
    for src in samples:
        out = T("s.pdf")
        rc, o, err = P.run([cli, "render", src, "-o", out, "--pdfa"], env=env)
        if rc:
            failures.append("%s: render: %s" % (src, err.strip()[-200:]))
            continue
        r = pdfa_problems(out)
        if result(r):
            failures.append("%s: %s" % (src, "; ".join(result(r))))
        else:
            n_ok += 1
            n_annots += r[1]
    ck.check("samples.pdfa", not failures and n_ok >= 20, "%d ok; %s" % (n_ok, "\n".join(failures)[:3000]))
    print("%d samples rendered as PDF/A, %d annotations, each with an appearance" % (n_ok, n_annots))

    # ---- without --pdfa: nothing of it; the pages are the same ----
    P.run([cli, "render", SAMPLE, "-o", T("plain.pdf")], env=env)
    P.run([cli, "render", SAMPLE, "-o", T("a.pdf"), "--pdfa"], env=env)
    plain = open(T("plain.pdf"), "rb").read()
    ck.check("plain.untouched", plain.startswith(b"%PDF-1.3") and b"/Metadata" not in plain and
             b"/OutputIntents" not in plain and b"/AP " not in plain, repr(plain[:12]))
    # the same pages: the same text, the same pixels (the PDF/A's fonts give the digits other codes)
    def look(pdf):
        rc, txt, err = P.run(["pdftotext", "-layout", pdf, "-"])
        r = subprocess.run(["pdftoppm", "-r", "60", "-gray", pdf], stdout=subprocess.PIPE)
        return txt, r.stdout
    (tp, ip), (ta, ia) = look(T("plain.pdf")), look(T("a.pdf"))
    ck.check("plain.same-pages", tp == ta and ip == ia and len(ip) > 1000,
             "text equal: %s, pixels equal: %s" % (tp == ta, ip == ia))

    # ---- `pdfa: true` in the front matter is --pdfa ----
    src = open(SAMPLE, encoding="utf-8").read()
    open(T("fm.md"), "w", encoding="utf-8").write(src.replace("\nprofile:", "\npdfa: true\nprofile:", 1))
    rc, o, err = P.run([cli, "render", T("fm.md"), "-o", T("fm.pdf")], env=env)
    ck.check("frontmatter.pdfa", rc == 0 and not result(pdfa_problems(T("fm.pdf"))),
             err + str(result(pdfa_problems(T("fm.pdf")))) if rc == 0 else err)

    # ---- PDF/A-2 allows strings of at most 32767 bytes: a heading of 24,000 characters (its outline
    # entry) is cut shorter than in a PDF ----
    open(T("long.md"), "w", encoding="utf-8").write(
        src.replace("# I. KẾT QUẢ THỰC HIỆN", "# " + ("Mục lớn " * 3000).strip(), 1))
    rc, o, err = P.run([cli, "render", T("long.md"), "-o", T("long.pdf"), "--pdfa"], env=env)
    longest = longest_string(T("long.pdf")) if rc == 0 else -1
    ck.check("pdfa.string-limit", rc == 0 and 16000 < longest <= 32767 and not result(pdfa_problems(T("long.pdf"))),
             "longest string %d bytes %s" % (longest, err.strip()[-200:]))

    # ---- a batch whose template says `pdfa: true`: each row's PDF and the combined one are PDF/A ----
    tpl = open("samples/batch/bao-cao.md", encoding="utf-8").read().replace("---\n", "---\npdfa: true\n", 1)
    open(T("tpl.md"), "w", encoding="utf-8").write(tpl)
    shutil.copy("samples/batch/chi-bo.csv", T("chi-bo.csv"))
    rc, o, err = P.run([cli, "batch", T("tpl.md"), "--data", T("chi-bo.csv"), "-o", T("rows"), "--name",
                        "{{ma_chi_bo}}.pdf", "--combine", T("all.pdf"), "-q"], env=env)
    rows = sorted(glob.glob(os.path.join(T("rows"), "*.pdf")))
    probs = [(os.path.basename(f), result(pdfa_problems(f))) for f in rows[:3] + [T("all.pdf")] if os.path.exists(f)]
    ck.check("batch.pdfa", rc == 0 and len(rows) >= 3 and len(probs) == 4 and not any(p for _, p in probs),
             "rc %d, %d rows: %s %s" % (rc, len(rows), probs, err.strip()[-300:]))

    # ---- a hostile title is escaped in the XMP, and equal to the Info's ----
    title_line = "title: '%s'" % HOSTILE.replace("'", "''")
    open(T("hostile.md"), "w", encoding="utf-8").write(re.sub(r"(?m)^title: .*$", lambda m: title_line, src, 1))
    rc, o, err = P.run([cli, "render", T("hostile.md"), "-o", T("hostile.pdf"), "--pdfa"], env=env)
    r = pdfa_problems(T("hostile.pdf")) if rc == 0 else (["render: " + err],)
    title = text(r[2].get("/Title")) if isinstance(r, tuple) and len(r) > 2 else ""
    ck.check("xmp.hostile-title", not result(r) and HOSTILE in (title or ""),
             "title %r: %s" % (title, result(r)))
    raw = open(T("hostile.pdf"), "rb").read()
    ck.check("xmp.escaped", b"&lt;b&gt;&amp;amp; &quot;quoted&quot; &apos;single&apos; ]]&gt;" in raw, "")

    # ---- sign, then issue, the PDF/A file ----
    F.make_pki(tmp)
    nss = F.make_nssdb(tmp, T("ca.pem"))
    open(T("sig.png"), "wb").write(S.signature_png())
    open(T("seal.png"), "wb").write(S.seal_png())
    p12 = lambda who: ["--p12", T(who + ".p12"), "--password-file", T("pw.txt")]  # noqa: E731
    rc, o, err = P.run([cli, "sign", T("a.pdf"), "-o", T("signed.pdf"), "--field", S.SIGNER,
                        "--image", T("sig.png")] + p12("person"), env=env)
    if not ck.check("sign", rc == 0, err.strip()):
        return
    r = pdfa_problems(T("signed.pdf"))
    ck.check("sign.pdfa", not result(r), "; ".join(result(r)))
    sigs = {s["field"]: S.sig_state(s) for s in S.pdfsig(T("signed.pdf"), nss)}
    ck.check("sign.pdfsig", sigs.get(S.SIGNER, (0, 0))[:2] == (True, True), str(sigs))

    rc, o, err = P.run([cli, "issue", T("signed.pdf"), "-o", T("issued.pdf"), "--number", "5",
                        "--date", "2026-12-05", "--seal", T("seal.png")] + p12("body"), env=env)
    if not ck.check("issue", rc == 0, err.strip()):
        return
    # the number and the date are drawn with the document's embedded fonts (/DR /VbF0 ...), not standard Times
    r = pdfa_problems(T("issued.pdf"))
    ck.check("issue.pdfa", not result(r), "; ".join(result(r)))
    issued = open(T("issued.pdf"), "rb").read()
    upd = issued[len(open(T("signed.pdf"), "rb").read()):]
    ck.check("issue.own-font", b"/Times" not in upd and len(re.findall(rb"\(0[1-9]\) Tj", upd)) >= 2,
             repr(re.findall(rb"/Tx BMC.{0,80}", upd)))
    rc, out, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("issued.pdf"), "1"])
    pages = P.parse_stext(out)
    line = [ln for ln in P.group_lines(pages[0]) if "BC/" in ln.text] if pages else []
    ck.check("issue.number-drawn", line and "05-BC/" in line[0].text.replace(" ", ""),
             line[0].text if line else "no number line")
    sigs = {s["field"]: S.sig_state(s) for s in S.pdfsig(T("issued.pdf"), nss)}
    ck.check("issue.pdfsig", sigs.get(S.SIGNER, (0, 0))[:2] == (True, False) and
             sigs.get(S.SEAL, (0, 0))[:2] == (True, True), str(sigs))

    # ---- a document with an appendix: issue fills its copies and signs the appendix with a text (the
    # parent's number and the time), drawn with the document's regular font, embedded ----
    src = open("samples/party05/bao-cao.md", encoding="utf-8").read()
    src = src.replace("number: 24-BC/ĐU", "number: -BC/ĐU").replace("date: 2026-07-10", "date: 2026-07")
    open(T("bc.md"), "w", encoding="utf-8").write(src)
    rc, o, err = P.run([cli, "render", T("bc.md"), "-o", T("bc.pdf"), "--pdfa"], env=env)
    if not ck.check("apx.render", rc == 0 and not result(pdfa_problems(T("bc.pdf"))), err.strip()[-300:]):
        return
    rc1, o, e1 = P.run([cli, "sign", T("bc.pdf"), "-o", T("bc1.pdf"), "--image", T("sig.png")] + p12("person"))
    rc2, o, e2 = P.run([cli, "issue", T("bc1.pdf"), "-o", T("bc2.pdf"), "--number", "24", "--date", "2026-07-10",
                        "--seal", T("seal.png")] + p12("body"), env=env)
    if not ck.check("apx.issue", rc1 == 0 and rc2 == 0, (e1 + e2).strip()[-300:]):
        return
    r = pdfa_problems(T("bc2.pdf"))
    ck.check("apx.pdfa", not result(r), "; ".join(result(r)))
    sigs = [(s["field"], S.sig_state(s)[:2]) for s in S.pdfsig(T("bc2.pdf"), nss)]
    ck.check("apx.pdfsig", [f for f, _ in sigs] == ["Sig_NguoiKy", "Sig_CoQuan", "Sig_PhuLuc"] and
             all(v for _, (v, w) in sigs) and [w for _, (v, w) in sigs] == [False, False, True], str(sigs))
    rect = S.field_rect(T("bc2.pdf"), "Sig_PhuLuc")
    rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("bc2.pdf")])
    pages = P.parse_stext(xml)
    txt = "".join(c.c for pg in pages for c in pg.chars if rect and abs(c.size - 10) < 0.01 and
                  rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
                  pg.h - rect[3] - 1 <= c.y0 and c.y1 <= pg.h - rect[1] + 1)
    fonts = {c.font for pg in pages for c in pg.chars if abs(c.size - 10) < 0.01 and rect and
             rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and pg.h - rect[3] - 1 <= c.y0}
    ck.check("apx.text", txt.startswith("24-BC/\u0110U") and "+07:00" in txt and
             all("Liberation" in f for f in fonts), "%r in %s" % (txt, fonts))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
