#!/usr/bin/env python3
"""Signing, issuance and verification of vanban's PDFs (issue 12), checked with real clients.

    python3 tests/test_signing.py build/vanban      (cwd = project root)

Everything secret is made here, in a temporary folder: a throwaway root CA, a person's and a
body's certificates (openssl CLI), a SoftHSM2 token holding the body's key (pkcs11-tool), an NSS
database trusting only the root (certutil), for pdfsig. The document is samples/party05/
bao-cao-chua-so.md (number, day and month left blank until issuance); when the render carries no
signature fields (--no-sign-fields, or a build without them) the fields are added by
tests/signfixture.py's own incremental update.

The workflow: the signer signs Sig_NguoiKy (PKCS#12, with a blue signature image), the văn thư
issues it (number 5, date 2026-12-05, the body's PKCS#12 key, the red seal image), a third party
adds a signature with pdfsig. After each step: qpdf --check clean, pdfsig "Signature is Valid."
for each and "Total document signed" for the last only, the earlier bytes kept, mutool sign -v
agreeing, vanban verify agreeing with pdfsig. The CMS has contentType, messageDigest and
signingCertificateV2 and no signingTime (openssl cms -cmsout -print) and verifies with openssl cms.
One changed byte in a signed range gives pdfsig "Digest Mismatch" and vanban verify "INVALID". The
filled number lands in its field's rectangle (mutool draw -F stext). Every error of the issue's
item 6 gives a clear message, a non-zero exit, no output file, and leaves the input's bytes as they
were.

One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402
import pngmake  # noqa: E402
import signfixture as F  # noqa: E402

SAMPLE = "samples/party05/bao-cao-chua-so.md"
SIGNER, SEAL = "Sig_NguoiKy", "Sig_CoQuan"


def png_rgba(w, h, pix, ppm=0):
    """An 8-bit RGBA PNG from pix(x, y) -> (r, g, b, a); pHYs when ppm (pixels per metre)."""
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            raw += bytes(pix(x, y))
    out = b"\x89PNG\r\n\x1a\n" + pngmake.chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    if ppm:
        out += pngmake.chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    return out + pngmake.chunk(b"IDAT", zlib.compress(bytes(raw))) + pngmake.chunk(b"IEND", b"")


def signature_png():
    """A blue stroke on a transparent background, 200 x 80."""
    def pix(x, y):
        on = abs(y - (40 + 25 * ((x - 100) / 100.0) ** 3)) < 3
        return (20, 40, 200, 255) if on else (0, 0, 0, 0)
    return png_rgba(200, 80, pix)


def seal_png():
    """A red ring, 36 mm across at 100 dpi (142 px, pHYs 3937 px/m)."""
    def pix(x, y):
        r = ((x - 70.5) ** 2 + (y - 70.5) ** 2) ** 0.5
        return (220, 20, 20, 255) if 60 <= r <= 70 or r <= 6 else (0, 0, 0, 0)
    return png_rgba(142, 142, pix, ppm=3937)


def pdfsig(pdf, nss):
    """pdfsig's signatures: a list of {field, lines}; pdfsig exits 0 even for a digest mismatch."""
    rc, out, err = P.run(["pdfsig", "-nssdir", nss, pdf])
    sigs = []
    for block in re.split(r"^Signature #\d+:\n", out, flags=re.M)[1:]:
        m = re.search(r"Signature Field Name: (.*)", block)
        sigs.append({"field": m.group(1).strip() if m else "", "text": block})
    return sigs


def sig_state(s):
    t = s["text"]
    return ("Signature is Valid." in t, "Total document signed" in t and "Not total" not in t,
            "not signed" in t)


def qpdf_clean(pdf):
    rc, out, err = P.run(["qpdf", "--check", pdf])
    ok = rc == 0 and "No syntax or stream encoding errors found" in out and not err.strip()
    return ok, "" if ok else (out + err).strip()[-300:]


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def last_cms(pdf):
    """The DER of the last signature's /Contents (the zero padding cut off) and the signed bytes."""
    data = open(pdf, "rb").read()
    brs = list(re.finditer(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    a, b, n = (int(x) for x in brs[-1].groups())
    der = bytes.fromhex(data[a + 1:b - 1].decode())
    # the DER's own length (a SEQUENCE with a long-form length)
    ln = der[1] & 0x7F
    size = 2 + ln + int.from_bytes(der[2:2 + ln], "big") if der[1] & 0x80 else 2 + der[1]
    return der[:size], data[:a] + data[b:b + n], (a, b)


def field_rect(pdf, name):
    """The newest /Rect of the field /T (name) in the file (our PDFs write it as a literal)."""
    data = open(pdf, "rb").read()
    rect = None
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)endobj", data, re.S):
        if re.search(rb"/T \(%s\)" % re.escape(name.encode()), m.group(1)):
            r = re.search(rb"/Rect\s*\[\s*([-\d. ]+)\]", m.group(1))
            if r:
                rect = [float(v) for v in r.group(1).split()]
    return rect


def field_flags(pdf, name):
    """The newest /F of the field /T (name) in the file."""
    data = open(pdf, "rb").read()
    flags = None
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)endobj", data, re.S):
        if re.search(rb"/T \(%s\)" % re.escape(name.encode()), m.group(1)):
            f = re.search(rb"/F (\d+)", m.group(1))
            flags = int(f.group(1)) if f else None
    return flags


def ink_boxes(pdf, page=1):
    """Bounding boxes (points, top-left origin) of the blue and of the red pixels of a page at 72 dpi."""
    p = subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), pdf],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data = p.stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    boxes = {"blue": None, "red": None}
    for y in range(h):
        row = px[y * w * 3:(y + 1) * w * 3]
        for x in range(w):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            kind = "blue" if b > 120 and r < 110 and g < 130 else "red" if r > 150 and g < 100 and b < 100 else None
            if kind:
                bx = boxes[kind]
                boxes[kind] = [x, y, x + 1, y + 1] if not bx else [min(bx[0], x), min(bx[1], y),
                                                                   max(bx[2], x + 1), max(bx[3], y + 1)]
    return boxes, h


def within(box, rect, page_h, tol=1.0):
    """box (top-left origin) inside the PDF rect [x0 y0 x1 y1] (bottom-left origin)."""
    return box is not None and rect is not None and box[0] >= rect[0] - tol and box[2] <= rect[2] + tol and \
        box[1] >= page_h - rect[3] - tol and box[3] <= page_h - rect[1] + tol


def verify(cli, pdf, ca=None):
    args = [cli, "verify", pdf] + (["--ca", ca] if ca else [])
    rc, out, err = P.run(args)
    sigs = []
    for block in re.split(r"^Signature #\d+: ", out, flags=re.M)[1:]:
        sigs.append({"valid": block.startswith("valid"),
                     "whole": "covers the whole document: yes" in block,
                     "field": re.search(r"field: (.*)", block).group(1),
                     "changes": re.search(r"changed after it: (.*)", block).group(1),
                     "text": block})
    return rc, sigs, out + err


def agree(ours, theirs):
    """vanban verify and pdfsig say the same of every signature: its field, valid, whole document."""
    if len(ours) != len([t for t in theirs if not sig_state(t)[2]]):
        return False
    signed = [t for t in theirs if not sig_state(t)[2]]
    by_field = {t["field"]: sig_state(t) for t in signed}
    return all(o["field"] in by_field and by_field[o["field"]][:2] == (o["valid"], o["whole"]) for o in ours)


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    missing = [t for t in ("pdfsig", "qpdf", "mutool", "openssl", "certutil", "softhsm2-util", "pkcs11-tool")
               if not shutil.which(t)]
    if not ck.check("tools.present", not missing, "missing: %s (scripts/deps.sh)" % missing):
        return ck.done()
    env = P.test_env()
    env.pop("SOURCE_DATE_EPOCH", None)
    tmp = tempfile.mkdtemp(prefix="vb-sign-")
    old_umask = os.umask(0o022)
    try:
        run_all(ck, cli, env, tmp)
    finally:
        os.umask(old_umask)
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


def run_all(ck, cli, env, tmp):
    def chk(name, ok, detail=""):
        """A check whose detail (often a tool's whole output) is printed only when it fails."""
        return ck.check(name, ok, "" if ok else detail)

    def T(name):
        return os.path.join(tmp, name)

    F.make_pki(tmp)
    nss = F.make_nssdb(tmp, T("ca.pem"))
    open(T("sig.png"), "wb").write(signature_png())
    open(T("seal.png"), "wb").write(seal_png())
    p12 = lambda who: ["--p12", T(who + ".p12"), "--password-file", T("pw.txt")]  # noqa: E731

    # ---- the draft, signed-ready ----
    rc, out, err = P.run([cli, "render", SAMPLE, "-o", T("draft.pdf")], env=env)
    if not chk("render", rc == 0, err.strip()[-300:]):
        return
    fields = pdfsig(T("draft.pdf"), nss)
    names = [s["field"] for s in fields]
    if SIGNER not in names or not field_rect(T("draft.pdf"), "So"):
        data = F.add_fields(open(T("draft.pdf"), "rb").read(),
                            [("Sig", SIGNER, 0, [330, 120, 472, 182], 0),
                             ("Sig", SEAL, 0, [318, 100, 420, 202], 0),
                             ("Tx", "So", 0, [120, 708, 149, 724], 14)])
        open(T("draft.pdf"), "wb").write(data)
        fields = pdfsig(T("draft.pdf"), nss)
        print("note: the render has no fields; tests/signfixture.py added %s" % [s["field"] for s in fields])
    chk("draft.fields-unsigned", {SIGNER, SEAL} <= {s["field"] for s in fields if sig_state(s)[2]},
             "pdfsig: %s" % [(s["field"], sig_state(s)) for s in fields])
    ok, why = qpdf_clean(T("draft.pdf"))
    chk("draft.qpdf", ok, "" if ok else why)

    # ---- 1. the signer signs ----
    h_draft = sha(T("draft.pdf"))
    rc, out, err = P.run([cli, "sign", T("draft.pdf"), "-o", T("signed.pdf")] + p12("person") +
                         ["--field", SIGNER, "--image", T("sig.png"), "--reason", "Ký duyệt", "--location", "Phú Quý"])
    if not chk("sign.p12", rc == 0 and os.path.isfile(T("signed.pdf")), err.strip()):
        return
    chk("sign.input-untouched", sha(T("draft.pdf")) == h_draft)
    draft, signed = open(T("draft.pdf"), "rb").read(), open(T("signed.pdf"), "rb").read()
    chk("sign.incremental", signed.startswith(draft) and len(signed) > len(draft),
             "%d -> %d bytes" % (len(draft), len(signed)))
    ok, why = qpdf_clean(T("signed.pdf"))
    chk("sign.qpdf", ok, why)
    s1 = [s for s in pdfsig(T("signed.pdf"), nss) if s["field"] == SIGNER]
    chk("sign.pdfsig", s1 and sig_state(s1[0])[:2] == (True, True) and
             "ETSI.CAdES.detached" in s1[0]["text"] and "Certificate is Trusted." in s1[0]["text"],
             "" if s1 and sig_state(s1[0])[:2] == (True, True) else s1[0]["text"] if s1 else "no signature")
    upd = signed[len(draft):]
    reason = "<FEFF" + "Ký duyệt".encode("utf-16-be").hex().upper() + ">"
    chk("sign.dictionary", re.search(rb"/SubFilter /ETSI\.CAdES\.detached", upd) and
        re.search(rb"/M \(D:\d{14}\+07'00'\)", upd) and reason.encode() in upd and
        re.search(rb"/SigFlags 3\b", upd) and not re.search(rb"/SigFlags [^3]", upd), upd[:400])
    chk("sign.mode-umask", (os.stat(T("signed.pdf")).st_mode & 0o777) == 0o644,
             oct(os.stat(T("signed.pdf")).st_mode & 0o777))
    chk("sign.no-temp", not [f for f in os.listdir(tmp) if ".tmp" in f], str(os.listdir(tmp)))

    der, content, (a, b) = last_cms(T("signed.pdf"))
    open(T("sig1.der"), "wb").write(der)
    open(T("sig1.content"), "wb").write(content)
    rc, out, err = P.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", T("sig1.der")])
    attrs = re.findall(r"object: (\S+) \(", out.split("signedAttrs:")[1].split("signatureAlgorithm")[0]) \
        if "signedAttrs:" in out else []
    chk("cms.attributes", sorted(attrs) == ["contentType", "id-smime-aa-signingCertificateV2",
                                                  "messageDigest"], "signedAttrs: %s" % attrs)
    chk("cms.no-signing-time", rc == 0 and "signingTime" not in out)
    chk("cms.sha256", "sha256" in out.lower())
    chk("cms.chain", out.count("subject:") >= 2 and "Test Root CA" in out, "certificates in the CMS")
    rc, out, err = P.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", T("sig1.der"),
                          "-content", T("sig1.content"), "-CAfile", T("ca.pem"), "-purpose", "any",
                          "-out", os.devnull])
    chk("cms.openssl-verify", rc == 0 and "Verification successful" in err, err.strip())

    # ---- 2. the văn thư issues: number, date, the seal ----
    h_signed = sha(T("signed.pdf"))
    rc, out, err = P.run([cli, "issue", T("signed.pdf"), "-o", T("issued.pdf"), "--number", "5",
                          "--date", "2026-12-05", "--seal", T("seal.png")] + p12("body"), env=env)
    if not chk("issue.p12", rc == 0 and os.path.isfile(T("issued.pdf")), err.strip()):
        return
    chk("issue.input-untouched", sha(T("signed.pdf")) == h_signed)
    issued = open(T("issued.pdf"), "rb").read()
    chk("issue.incremental", issued.startswith(signed))
    ok, why = qpdf_clean(T("issued.pdf"))
    chk("issue.qpdf", ok, why)
    sigs = {s["field"]: sig_state(s) for s in pdfsig(T("issued.pdf"), nss)}
    chk("issue.pdfsig", sigs.get(SIGNER, (0, 0))[:2] == (True, False) and sigs.get(SEAL, (0, 0))[:2] == (True, True),
             str(sigs))
    rc, out, err = P.run(["mutool", "sign", "-v", T("issued.pdf")])
    chk("issue.mutool", out.count("Verifying signature") == 2 and
             out.count("The signature is valid but there have been edits since signing") == 1 and
             out.count("The document is unchanged since signing") == 1 and "invalid" not in out.lower(),
             out.strip()[-400:])
    # the number "05" drawn inside the field So (stext: points from the top-left corner)
    rect = field_rect(T("issued.pdf"), "So")
    rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("issued.pdf"), "1"])
    pages = P.parse_stext(xml)
    ph = pages[0].h if pages else 842
    inside = [c for c in pages[0].chars if rect and rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
              ph - rect[3] - 2 <= c.oy <= ph - rect[1] + 2] if pages else []
    chk("issue.number-in-field", "".join(c.c for c in inside).strip() == "05",
             "rect %s: %r" % (rect, "".join(c.c for c in inside)))

    # the appearances: the blue signature inside the signer's field, the red seal inside the seal's,
    # over the signature's left part
    boxes, ph = ink_boxes(T("issued.pdf"))
    r_sig, r_seal = field_rect(T("issued.pdf"), SIGNER), field_rect(T("issued.pdf"), SEAL)
    chk("appearance.signature", within(boxes["blue"], r_sig, ph), "blue ink %s, field %s" % (boxes["blue"], r_sig))
    chk("appearance.seal", within(boxes["red"], r_seal, ph) and boxes["blue"] and
             boxes["red"][0] < boxes["blue"][0] < boxes["red"][2], "red ink %s, field %s" % (boxes["red"], r_seal))
    seal_mm = (boxes["red"][2] - boxes["red"][0]) / P.MM if boxes["red"] else 0
    chk("appearance.seal-real-size", abs(seal_mm - min(36.0, (r_seal[2] - r_seal[0]) / P.MM)) < 1.0,
             "%.1f mm across" % seal_mm)

    # unsigned, the fields are invisible to mupdf (its own "SIGN" tag); signed, they are shown everywhere
    chk("appearance.flags", field_flags(T("draft.pdf"), SIGNER) == 134 and
        field_flags(T("issued.pdf"), SIGNER) == 132 and field_flags(T("issued.pdf"), SEAL) == 132,
        "draft %s, issued %s %s" % (field_flags(T("draft.pdf"), SIGNER), field_flags(T("issued.pdf"), SIGNER),
                                    field_flags(T("issued.pdf"), SEAL)))
    rc, ours, text = verify(cli, T("issued.pdf"), T("ca.pem"))
    chk("verify.issued", rc == 0 and [o["valid"] for o in ours] == [True, True] and
             ours[0]["changes"].startswith("only form fields") and "certificate: trusted" in text, text[-600:])
    chk("verify.agrees-pdfsig", agree(ours, pdfsig(T("issued.pdf"), nss)))

    # ---- 3. a third signature, by another tool (poppler), after ours ----
    P.run(["pk12util", "-i", T("body.p12"), "-d", nss, "-W", "secret"])
    rc, out, err = P.run(["pdfsig", "-nssdir", nss, "-add-signature", "-nick",
                          "Dang uy Dac khu Phu Quy - vanban test", "-new-signature-field-name", "Sig_Them",
                          T("issued.pdf"), T("third.pdf")])
    if chk("third.pdfsig-sign", rc == 0 and os.path.isfile(T("third.pdf")), err.strip()):
        sigs = pdfsig(T("third.pdf"), nss)
        st = [sig_state(s) for s in sigs]
        chk("third.all-valid", len(st) == 3 and all(s[0] for s in st) and [s[1] for s in st] == [False, False, True],
                 str([(s["field"], sig_state(s)) for s in sigs]))
        rc, ours, text = verify(cli, T("third.pdf"))
        chk("third.verify", rc == 0 and len(ours) == 3 and all(o["valid"] for o in ours) and
                 [o["changes"].startswith("only form") for o in ours] == [True, True, False], text[-500:])
        chk("third.agrees-pdfsig", agree(ours, sigs))
        ok, why = qpdf_clean(T("third.pdf"))
        chk("third.qpdf", ok, why)

    # ---- tampering ----
    data = bytearray(issued)
    i = data.find(b"/Producer")
    data[i + 2] ^= 0x20  # /PrOducer: one byte of the first revision, signed by both
    open(T("tampered.pdf"), "wb").write(bytes(data))
    sigs = pdfsig(T("tampered.pdf"), nss)
    chk("tamper.byte.pdfsig", len(sigs) >= 2 and all("Digest Mismatch" in s["text"] for s in sigs[:2]),
             str([s["text"][-120:] for s in sigs]))
    rc, ours, text = verify(cli, T("tampered.pdf"))
    chk("tamper.byte.verify", rc == 1 and ours and not any(o["valid"] for o in ours) and "digest mismatch" in text,
             text[-300:])
    chk("tamper.byte.agrees", agree(ours, sigs))
    der, content, (a, b) = last_cms(T("issued.pdf"))
    data = bytearray(issued)
    k = a + 1 + 2 * (len(der) - 20)  # a hex digit of the RSA signature value, at the end of the DER
    data[k] = ord("0") if data[k] != ord("0") else ord("1")
    open(T("badsig.pdf"), "wb").write(bytes(data))
    sigs = pdfsig(T("badsig.pdf"), nss)
    chk("tamper.sig.pdfsig", "Signature is Invalid" in sigs[-1]["text"] if sigs else False)
    rc, ours, text = verify(cli, T("badsig.pdf"))
    chk("tamper.sig.verify", rc == 1 and ours and ours[0]["valid"] and not ours[-1]["valid"], text[-300:])
    # an update after the signatures that changes more than fields: the catalog gets a key
    m = re.search(rb"/Root (\d+) 0 R", issued[issued.rfind(b"trailer"):])
    root = int(m.group(1))
    cat = re.findall(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % root, issued, re.S)[-1]
    sx = int(re.findall(rb"startxref\s+(\d+)", issued)[-1])
    size = int(re.findall(rb"/Size (\d+)", issued)[-1])
    upd = bytearray(issued)
    off = len(upd)
    upd += b"%d 0 obj\n%s\nendobj\n" % (root, cat[:-2] + b" /Lang (vi) >>")
    x = len(upd)
    upd += b"xref\n%d 1\n%010d 00000 n\r\ntrailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        root, off, size, root, sx, x)
    open(T("changed.pdf"), "wb").write(bytes(upd))
    rc, ours, text = verify(cli, T("changed.pdf"))
    chk("changed.verify", rc == 1 and ours and all(o["valid"] for o in ours) and
             all(o["changes"].startswith("other") for o in ours) and "the catalog" in text, text[-400:])

    # ---- the PKCS#11 path: the body's key on a SoftHSM2 token ----
    tokenv = F.make_token(tmp, T("body.key"), T("body.pem"))
    # libp11 0.4.12's engine (libengine-pkcs11-openssl) keeps its RSA method and some engine data after
    # ENGINE_free when a key fails to load (770 bytes in 5 allocations under AddressSanitizer, shown by a
    # dozen lines using OpenSSL's ENGINE calls alone): not ours, so leak detection is off for the token runs
    tokenv["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    open(T("pin.txt"), "w").write("123456\n")
    open(T("badpin.txt"), "w").write("000000\n")
    tok = ["--pkcs11", F.SOFTHSM, "--token", "vanban-test", "--key-label", "seal"]
    rc, out, err = P.run([cli, "issue", T("signed.pdf"), "-o", T("issued11.pdf"), "--number", "196",
                          "--date", "2026-12-05"] + tok + ["--pin-file", T("pin.txt")], env=dict(env, **tokenv))
    if chk("pkcs11.issue", rc == 0, err.strip()[-400:]):
        sigs = {s["field"]: sig_state(s) for s in pdfsig(T("issued11.pdf"), nss)}
        chk("pkcs11.pdfsig", sigs.get(SEAL, (0, 0))[:2] == (True, True) and sigs.get(SIGNER, (0,))[0], str(sigs))
        ok, why = qpdf_clean(T("issued11.pdf"))
        chk("pkcs11.qpdf", ok, why)
        rect = field_rect(T("issued11.pdf"), "So")
        rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("issued11.pdf"), "1"])
        pg = P.parse_stext(xml)[0]
        got = "".join(c.c for c in pg.chars if rect and rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
                      pg.h - rect[3] - 2 <= c.oy <= pg.h - rect[1] + 2).strip()
        chk("pkcs11.number-196", got == "196", repr(got))

    # the same key named by its slot's ID (as softhsm2-util and pkcs11-tool -L show it)
    rc, o, e = P.run(["softhsm2-util", "--show-slots"], env=dict(env, **tokenv))
    slot = [b.split()[0] for b in re.split(r"^Slot ", o, flags=re.M)[1:] if re.search(r"Label:\s*vanban-test\s", b)]
    m = re.match(r"(\d+)$", slot[0]) if slot else None
    if chk("pkcs11.slot-found", m is not None, o[-300:]):
        rc, o, e = P.run([cli, "sign", T("signed.pdf"), "-o", T("slot.pdf"), "--pkcs11", F.SOFTHSM, "--slot", m.group(1),
                          "--key-label", "seal", "--pin-file", T("pin.txt"), "--field", SEAL], env=dict(env, **tokenv))
        sigs = {s["field"]: sig_state(s) for s in pdfsig(T("slot.pdf"), nss)} if rc == 0 else {}
        chk("pkcs11.slot", rc == 0 and sigs.get(SEAL, (0, 0))[:2] == (True, True), e.strip()[-300:] + str(sigs))

    # ... and by a pkcs11: URI (the certificate found as the same object's type=cert)
    rc, o, e = P.run([cli, "sign", T("signed.pdf"), "-o", T("uri.pdf"), "--pkcs11", F.SOFTHSM, "--pkcs11-uri",
                      "pkcs11:token=vanban-test;object=seal;type=private", "--pin-env", "VB_TEST_PIN", "--field", SEAL],
                     env=dict(env, VB_TEST_PIN="123456", **tokenv))
    sigs = {s["field"]: sig_state(s) for s in pdfsig(T("uri.pdf"), nss)} if rc == 0 else {}
    chk("pkcs11.uri", rc == 0 and sigs.get(SEAL, (0, 0))[:2] == (True, True), e.strip()[-300:] + str(sigs))

    # ---- errors: one line of message, a non-zero exit, no output, the input as it was ----
    def refused(name, args, want, env_extra=None, src=None, out=None):
        src = src or T("signed.pdf")
        out = out or T("out-%s.pdf" % name)
        before = sha(src)
        rc, o, e = P.run([cli] + args[:1] + [src, "-o", out] + args[1:], env=dict(env, **(env_extra or {})))
        temps = [f for f in os.listdir(os.path.dirname(out)) if ".tmp" in f]
        chk("error." + name, rc == 1 and want in e and e.strip().count("\n") == 0 and not os.path.exists(out) and
            not temps and sha(src) == before,
                 "rc %d, stderr: %s" % (rc, e.strip()[-300:]))

    refused("wrong-password", ["sign", "--p12", T("person.p12"), "--password-file", T("bad-pw.txt"),
                               "--field", SEAL], "[sign.password]")
    refused("key-mismatch", ["sign"] + tok + ["--pin-file", T("pin.txt"), "--cert", T("person.pem"),
                                              "--field", SEAL], "[sign.key-mismatch]", tokenv)
    refused("no-such-field", ["sign"] + p12("person") + ["--field", "Nope"], "no signature field named 'Nope'")
    refused("already-signed", ["sign"] + p12("person") + ["--field", SIGNER], "[sign.signed]")
    refused("token-absent", ["sign", "--pkcs11", F.SOFTHSM, "--token", "no-such-token", "--key-label", "seal",
                             "--pin-file", T("pin.txt")], "no such token", tokenv)
    refused("token-wrong-pin", ["sign"] + tok + ["--pin-file", T("badpin.txt")], "refused the PIN", tokenv)
    refused("module-absent", ["sign", "--pkcs11", T("nothere.so"), "--key-label", "seal",
                              "--pin-file", T("pin.txt")], "Cannot open the PKCS#11 module", tokenv)
    refused("placeholder", ["sign"] + p12("body") + ["--field", SEAL, "--contents-size", "1024"], "[sign.placeholder]")
    refused("issue-date", ["issue", "--number", "7", "--date", "2025-12-05"] + p12("body"),
            "does not agree with the year and month")
    refused("issue-number", ["issue", "--number", "7a", "--date", "2026-12-05"] + p12("body"), "[sign.issue]")
    refused("issue-twice", ["issue", "--number", "8", "--date", "2026-12-05"] + p12("body"), "filled already",
            src=T("issued.pdf"))
    cut = open(T("signed.pdf"), "rb").read()
    open(T("damaged.pdf"), "wb").write(cut[:len(cut) - 300])
    refused("damaged", ["sign"] + p12("body"), "[sign.input]", src=T("damaged.pdf"))
    rc, o, e = P.run(["qpdf", "--empty", T("foreign.pdf")])
    refused("not-vanban", ["sign"] + p12("body"), "not a PDF written by vanban", src=T("foreign.pdf"))
    rc, o, e = P.run(["qpdf", "--object-streams=generate", T("draft.pdf"), T("xrefstream.pdf")])
    refused("xref-stream", ["sign"] + p12("body"), "cross-reference stream", src=T("xrefstream.pdf"))
    rc, o, e = P.run([cli, "sign", T("signed.pdf"), "-o", T("x.pdf"), "--p12", T("person.p12"), "--password", "x"])
    chk("error.password-on-argv", rc == 2 and "not accepted on the command line" in e and
             not os.path.exists(T("x.pdf")), e.strip()[-200:])

    # a text appearance (an appendix: the parent's number and the signing time, 10 pt)
    when = int(time.time()) + 60
    iso = time.strftime("%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(when + 7 * 3600))
    rc, o, e = P.run([cli, "sign", T("draft.pdf"), "-o", T("text.pdf"), "--field", SIGNER, "--text", "196-BC/ĐU"] +
                     p12("body"), env=dict(env, SOURCE_DATE_EPOCH=str(when)))
    if chk("text.sign", rc == 0 and not e.strip(), e.strip()[-300:]):
        rect = field_rect(T("text.pdf"), SIGNER)
        rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("text.pdf"), "1"])
        pg = P.parse_stext(xml)[0]
        got = [c for c in pg.chars if rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
               pg.h - rect[3] - 1 <= c.y0 and c.y1 <= pg.h - rect[1] + 1]
        txt = "".join(c.c for c in got)
        chk("text.appearance", "196-BC/\u00d0U" in txt and iso in txt and
                 all(abs(c.size - 10) < 0.01 for c in got), repr(txt))
    refused("text-not-winansi", ["sign"] + p12("body") + ["--field", SEAL, "--text", "Số 196"], "[sign.text]")

    # a document with an appendix, number and day blank: issue fills So, Ngay and their copies in the
    # appendix's "(Kèm theo …)" line (italic there, as the line), then signs the seal and the appendix
    src = open("samples/party05/bao-cao.md", encoding="utf-8").read()
    src = src.replace("number: 24-BC/ĐU", "number: -BC/ĐU").replace("date: 2026-07-10", "date: 2026-07")
    open(T("bc.md"), "w", encoding="utf-8").write(src)
    rc, o, e = P.run([cli, "render", T("bc.md"), "-o", T("bc.pdf")], env=env)
    names = [s["field"] for s in pdfsig(T("bc.pdf"), nss)]
    if chk("apx-doc.render", rc == 0 and "Sig_PhuLuc" in names and field_rect(T("bc.pdf"), "So_PL1"),
           "rc %d %s, fields %s" % (rc, e.strip()[-200:], names)):
        rc1, o, e1 = P.run([cli, "sign", T("bc.pdf"), "-o", T("bc1.pdf")] + p12("person"))
        rc2, o, e2 = P.run([cli, "issue", T("bc1.pdf"), "-o", T("bc2.pdf"), "--number", "24", "--date", "2026-07-10"]
                           + p12("body"), env=env)
        chk("apx-doc.issue", rc1 == 0 and rc2 == 0, (e1 + e2).strip()[-300:])
        sigs = pdfsig(T("bc2.pdf"), nss)
        st = [(s["field"], sig_state(s)[:2]) for s in sigs]
        chk("apx-doc.pdfsig", [f for f, _ in st] == ["Sig_NguoiKy", "Sig_CoQuan", "Sig_PhuLuc"] and
            all(v for _, (v, w) in st) and [w for _, (v, w) in st] == [False, False, True], str(st))
        ok, why = qpdf_clean(T("bc2.pdf"))
        chk("apx-doc.qpdf", ok, why)
        rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("bc2.pdf")])
        pages = P.parse_stext(xml)
        for fname, want, italic in (("So", "24", False), ("Ngay", "10", True), ("So_PL1", "24", True),
                                    ("Ngay_PL1", "10", True)):
            rect = field_rect(T("bc2.pdf"), fname)
            hits = []
            for pg in pages:
                got = [c for c in pg.chars if c.font.startswith("Times") and rect and rect[0] - 0.5 <= c.x0 and
                       c.x1 <= rect[2] + 0.5 and pg.h - rect[3] - 1 <= c.oy <= pg.h - rect[1] + 1]
                # the line's own baseline: the document's characters just before the gap
                line = [c for c in pg.chars if not c.font.startswith("Times") and got and abs(c.oy - got[0].oy) < 1.0]
                if got:
                    hits.append(("".join(c.c for c in got), got[0].font, got[0].oy,
                                 min((abs(c.oy - got[0].oy) for c in line), default=9)))
            ok = len(hits) == 1 and hits[0][0] == want and (hits[0][1] == "Times-Italic") == italic and hits[0][3] < 0.2
            chk("apx-doc.filled.%s" % fname, ok, str(hits))
        rect = field_rect(T("bc2.pdf"), "Sig_PhuLuc")
        txt = "".join(c.c for pg in pages for c in pg.chars if c.font.startswith("Times") and c.size == 10 and
                      rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
                      pg.h - rect[3] - 1 <= c.y0 and c.y1 <= pg.h - rect[1] + 1)
        chk("apx-doc.appendix-text", txt.startswith("24-BC/\u00d0U") and "+07:00" in txt, repr(txt))

    # an appendix issued as a file of its own: its only signature field gets the parent's number
    # (the Subject's "Số …-BC/ĐU" with the number in the gap) and the signing time, in 10 pt
    apx = F.add_fields(open(T("draft.pdf"), "rb").read(),
                       [("Sig", "Sig_PhuLuc", 0, [360, 770, 558, 804], 0), ("Tx", "So", 0, [120, 708, 149, 724], 14)])
    open(T("appendix.pdf"), "wb").write(apx)
    rc, o, e = P.run([cli, "issue", T("appendix.pdf"), "-o", T("appendix-issued.pdf"), "--number", "196",
                      "--date", "2026-12-05"] + p12("body"), env=dict(env, SOURCE_DATE_EPOCH=str(when)))
    if chk("appendix.issue", rc == 0, e.strip()[-300:]):
        sigs = pdfsig(T("appendix-issued.pdf"), nss)
        chk("appendix.pdfsig", [(s["field"], sig_state(s)[:2]) for s in sigs] == [("Sig_PhuLuc", (True, True))],
            str([(s["field"], sig_state(s)) for s in sigs]))
        rect = field_rect(T("appendix-issued.pdf"), "Sig_PhuLuc")
        rc, xml, err = P.run(["mutool", "draw", "-F", "stext", "-o", "-", T("appendix-issued.pdf"), "1"])
        pg = P.parse_stext(xml)[0]
        txt = "".join(c.c for c in pg.chars if rect[0] - 0.5 <= c.x0 and c.x1 <= rect[2] + 0.5 and
                      pg.h - rect[3] - 1 <= c.y0 and c.y1 <= pg.h - rect[1] + 1)
        chk("appendix.text", txt == "196-BC/\u00d0U" + iso, repr(txt))
        ok, why = qpdf_clean(T("appendix-issued.pdf"))
        chk("appendix.qpdf", ok, why)

    # an expired certificate: a warning, and the signature is made
    later = str(int(time.time()) + 900 * 86400)
    rc, o, e = P.run([cli, "sign", T("signed.pdf"), "-o", T("late.pdf"), "--field", SEAL] + p12("body"),
                     env=dict(env, SOURCE_DATE_EPOCH=later))
    chk("warning.expired", rc == 0 and "warning:" in e and "expired on" in e and "[sign.expired]" in e and
             os.path.isfile(T("late.pdf")), e.strip()[-300:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
