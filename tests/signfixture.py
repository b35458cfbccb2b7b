#!/usr/bin/env python3
"""Test fixtures for tests/test_signing.py: a throwaway PKI made with the openssl CLI, a SoftHSM2
token, an NSS database trusting the test root, and (for PDFs rendered without fields) empty
signature and text fields added by an incremental update written here, independently of vanban's C
code.

    python3 tests/signfixture.py add-fields IN.pdf OUT.pdf   (a manual check)
"""
import os
import re
import subprocess
import sys

EXT = """[ee]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
"""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def make_pki(d, password="secret"):
    """ca.pem, person.p12 (CN Nguyen Van A), body.p12 (the seal's), other.key; each .pem and .key."""
    def ok(cmd):
        r = run(cmd, cwd=d)
        if r.returncode:
            raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr))
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write(EXT)
    ok(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "3650", "-subj", "/CN=Test Root CA/O=vanban test/C=VN",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    for who, cn in (("person", "Nguyen Van A"), ("body", "Dang uy Dac khu Phu Quy"), ("other", "Someone Else")):
        ok(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
            "-subj", "/CN=%s/O=vanban test/C=VN" % cn])
        ok(["openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", who + ".pem", "-days", "825", "-extfile", "ext.cnf", "-extensions", "ee"])
        ok(["openssl", "pkcs12", "-export", "-inkey", who + ".key", "-in", who + ".pem", "-certfile", "ca.pem",
            "-out", who + ".p12", "-passout", "pass:" + password])
    with open(os.path.join(d, "pw.txt"), "w") as f:
        f.write(password + "\n")
    with open(os.path.join(d, "bad-pw.txt"), "w") as f:
        f.write("not-the-password\n")


def make_nssdb(d, ca):
    """A throwaway NSS database that trusts only the test root; returns the -nssdir argument."""
    db = os.path.join(d, "nss")
    os.makedirs(db, exist_ok=True)
    for cmd in (["certutil", "-N", "-d", "sql:" + db, "--empty-password"],
                ["certutil", "-A", "-d", "sql:" + db, "-n", "testroot", "-t", "CT,C,C", "-i", ca]):
        r = run(cmd)
        if r.returncode:
            raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr))
    return "sql:" + db


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def make_token(d, key_pem, cert_pem, label="vanban-test", pin="123456"):
    """A SoftHSM2 token (its config in d) holding key_pem and cert_pem as object 'seal'. Returns the env."""
    tokdir = os.path.join(d, "tokens")
    os.makedirs(tokdir, exist_ok=True)
    conf = os.path.join(d, "softhsm2.conf")
    with open(conf, "w") as f:
        f.write("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n" % tokdir)
    env = dict(os.environ, SOFTHSM2_CONF=conf)
    def ok(cmd):
        r = run(cmd, env=env)
        if r.returncode:
            raise RuntimeError("%s: %s %s" % (" ".join(cmd), r.stdout, r.stderr))
    ok(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "654321"])
    der_key = os.path.join(d, "tok-key.der")
    der_cert = os.path.join(d, "tok-cert.der")
    ok(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key_pem, "-outform", "DER", "-out", der_key])
    ok(["openssl", "x509", "-in", cert_pem, "-outform", "DER", "-out", der_cert])
    base = ["pkcs11-tool", "--module", SOFTHSM, "--token-label", label, "--login", "--pin", pin]
    ok(base + ["--write-object", der_key, "--type", "privkey", "--label", "seal", "--id", "01"])
    ok(base + ["--write-object", der_cert, "--type", "cert", "--label", "seal", "--id", "01"])
    return env


# ---- fields added by an incremental update (for a PDF rendered without them) ----

def _objects(data):
    """Object number → offset, from the classic xref table(s) (newest first through /Prev)."""
    offs = {}
    sx = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    while True:
        m = re.compile(rb"xref\s+").match(data, sx)
        pos = m.end()
        while True:
            h = re.compile(rb"(\d+) (\d+)\s+").match(data, pos)
            if not h:
                break
            first, count = int(h.group(1)), int(h.group(2))
            pos = h.end()
            for i in range(count):
                e = data[pos:pos + 20]
                if e[17:18] == b"n" and first + i not in offs:
                    offs[first + i] = int(e[:10])
                pos += 20
        t = re.compile(rb"\s*trailer\s*(<<.*?>>)\s*startxref", re.S).match(data, pos)
        prev = re.search(rb"/Prev (\d+)", t.group(1))
        if not prev:
            return offs, t.group(1), sx
        sx = int(prev.group(1))


def _obj(data, offs, n):
    m = re.compile(rb"%d 0 obj\s*(.*?)\s*endobj" % n, re.S).match(data, offs[n])
    return m.group(1)


def add_fields(data, fields):
    """fields: [(kind, name, page_index, [x0, y0, x1, y1], size)]; kind 'Sig' or 'Tx'. Returns new bytes."""
    offs, trailer, sx = _objects(data)
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
    info = re.search(rb"/Info (\d+) 0 R", trailer)
    tid = re.search(rb"/ID\s*(\[.*?\])", trailer, re.S)
    cat = _obj(data, offs, root)
    pages_n = int(re.search(rb"/Pages (\d+) 0 R", cat).group(1))
    kids = [int(k) for k in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", _obj(data, offs, pages_n), re.S).group(1))]
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    new = {}
    nxt = size
    af = nxt
    nxt += 1
    widgets = {}
    refs = []
    for kind, name, page, rect, fsize in fields:
        n = nxt
        nxt += 1
        r = " ".join("%g" % v for v in rect)
        extra = "/DA (/TiRo %g Tf 0 g)" % fsize if kind == "Tx" else ""
        new[n] = ("<< /Type /Annot /Subtype /Widget /FT /%s /T (%s) /Rect [%s] /F %d /P %d 0 R %s >>"
                  % (kind, name, r, 132 if kind == "Sig" else 4, kids[page], extra)).encode()
        widgets.setdefault(kids[page], []).append(n)
        refs.append(n)
    new[af] = ("<< /Fields [%s] /SigFlags 1 /DR << /Font << /TiRo %d 0 R >> >> >>"
               % (" ".join("%d 0 R" % n for n in refs), nxt)).encode()
    new[nxt] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>"
    nxt += 1
    cat = re.sub(rb"/AcroForm\s+\d+ 0 R", b"", cat)  # a render's own fields are replaced
    new[root] = cat.rstrip()[:-2] + b" /AcroForm %d 0 R >>" % af
    for p, ws in widgets.items():
        pd = _obj(data, offs, p)
        annots = " ".join("%d 0 R" % w for w in ws).encode()
        pd = re.sub(rb"/Annots\s*(\[[^\]]*\]|\d+ 0 R)", b"", pd)
        pd = pd.rstrip()[:-2] + b" /Annots [" + annots + b"] >>"
        new[p] = pd
    pos = {}
    for n in sorted(new):
        pos[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, new[n])
    x = len(out)
    out += b"xref\n"
    for n in sorted(new):
        out += b"%d 1\n%010d 00000 n\r\n" % (n, pos[n])
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (nxt, root)
    if info:
        out += b" /Info %s 0 R" % info.group(1)
    if tid:
        out += b" /ID " + tid.group(1)
    out += b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (sx, x)
    return bytes(out)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "add-fields":
    src = open(sys.argv[2], "rb").read()
    res = add_fields(src, [("Sig", "Sig_NguoiKy", 0, [350, 150, 492, 212], 0),
                           ("Sig", "Sig_CoQuan", 0, [340, 130, 442, 232], 0),
                           ("Tx", "So", 0, [100, 700, 128, 716], 14)])
    open(sys.argv[3], "wb").write(res)
