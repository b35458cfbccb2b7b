#!/usr/bin/env python3
"""The embedded font programs: renumbered subsets without a cmap (issue 10 item 5).

    python3 tests/test_subset_pdf.py build/vanban      (cwd = project root)

Each face's FontFile2 is an hb-subset program whose glyphs are renumbered
(no RETAIN_GIDS): its glyph count is that of the glyphs used (far below the
whole font's), loca and hmtx are as short as that count makes them, and there
is no cmap (a CIDFontType2 names glyphs through its CIDToGIDMap). The map must
then name the right glyphs: for every code listed in a font's /W, the advance
of the glyph its CIDToGIDMap names, read from the subset's own hmtx, is the
width /W gives. The PDF is read back with `qpdf --json` (never with vanban's
own code). One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import base64
import json
import os
import struct
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

SOURCES = ["samples/196-BC-DUK.md", "samples/state/quyet-dinh-chuthich.md", "samples/party05/bao-cao-bang.md"]
# what a CIDFontType2 program may hold once hb-subset has dropped the rest
ALLOWED = {"glyf", "loca", "head", "hhea", "hmtx", "maxp", "OS/2", "name", "post", "gasp", "cvt ", "fpgm", "prep"}


def objects(pdf):
    rc, out, err = P.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                          "--decode-level=generalized", pdf])
    if rc != 0:
        raise RuntimeError("qpdf --json failed: " + err[-300:])
    return json.loads(out)["qpdf"][1]


def deref(objs, v):
    if isinstance(v, str) and v.endswith(" R"):
        o = objs.get("obj:" + v)
        return o.get("value", o.get("stream")) if o else None
    return v


def tables(data):
    n = struct.unpack(">H", data[4:6])[0]
    t = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        t[tag.decode("latin-1")] = data[off:off + ln]
    return t


def widths(w):
    """/W as {cid: width}: entries "c [w1 w2 ...]" and "c1 c2 w"."""
    out, i = {}, 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            for k, x in enumerate(w[i + 1]):
                out[w[i] + k] = x
            i += 2
        else:
            for c in range(w[i], w[i + 1] + 1):
                out[c] = w[i + 2]
            i += 3
    return out


def check_pdf(ck, tag, pdf):
    objs = objects(pdf)
    nfonts = 0
    for key, o in objs.items():
        v = o.get("value")
        if not isinstance(v, dict) or v.get("/Subtype") != "/CIDFontType2":
            continue
        nfonts += 1
        fd = deref(objs, v["/FontDescriptor"])
        ff = deref(objs, fd["/FontFile2"])
        prog = base64.b64decode(ff["data"])
        name = "%s.%s" % (tag, fd["/FontName"].split("+")[-1])
        t = tables(prog)
        ck.check(name + ".no_cmap", "cmap" not in t, "tables %s" % sorted(t))
        ck.check(name + ".tables", set(t) <= ALLOWED, "extra tables %s" % sorted(set(t) - ALLOWED))
        ng = struct.unpack(">H", t["maxp"][4:6])[0]
        upem = struct.unpack(">H", t["head"][18:20])[0]
        long_loca = struct.unpack(">h", t["head"][50:52])[0] == 1
        nhm = struct.unpack(">H", t["hhea"][34:36])[0]
        # renumbered: a document uses a few hundred glyphs of a face's 2,600
        ck.check(name + ".renumbered", 0 < ng < 1000, "numGlyphs %d" % ng)
        ck.check(name + ".loca_short", len(t["loca"]) == (ng + 1) * (4 if long_loca else 2),
                 "loca %d bytes for %d glyphs" % (len(t["loca"]), ng))
        ck.check(name + ".hmtx_short", nhm <= ng and len(t["hmtx"]) == 4 * nhm + 2 * (ng - nhm),
                 "hmtx %d bytes, %d metrics, %d glyphs" % (len(t["hmtx"]), nhm, ng))

        def advance(gid):
            i = min(gid, nhm - 1)
            return struct.unpack(">H", t["hmtx"][4 * i:4 * i + 2])[0]

        c2g = base64.b64decode(deref(objs, v["/CIDToGIDMap"])["data"])
        gids = [struct.unpack(">H", c2g[2 * c:2 * c + 2])[0] for c in range(len(c2g) // 2)]
        ck.check(name + ".map_in_font", all(g < ng for g in gids), "a CID maps past glyph %d" % (ng - 1))
        w = widths(deref(objs, v.get("/W", [])) or [])
        bad = []
        for c, width in sorted(w.items()):
            if c >= len(gids) or gids[c] >= ng:
                continue
            got = int(advance(gids[c]) * 1000 / upem + 0.5)
            if abs(got - width) > 0:
                bad.append("cid %d: W %s, glyph %d advance %d" % (c, width, gids[c], got))
        ck.check(name + ".widths_match", len(w) > 0 and not bad, "%d of %d differ: %s" % (len(bad), len(w), bad[:3]))
    ck.check(tag + ".fonts", nfonts >= 2, "%d CIDFontType2 fonts" % nfonts)


def main():
    cli = P.find_cli(sys.argv)
    ck = P.Checker()
    if not cli:
        ck.check("cli.found", False, "no vanban binary (give its path as argv[1])")
        print("%d passed, %d failed" % (ck.passed, ck.failed))
        return 1
    env = P.test_env()
    with tempfile.TemporaryDirectory(prefix="vb-sub-") as tmp:
        for src in SOURCES:
            tag = os.path.splitext(src.replace("samples/", "").replace("/", "_"))[0]
            pdf = os.path.join(tmp, tag + ".pdf")
            rc, _, err = P.run([cli, "render", src, "-o", pdf], env=env)
            if not ck.check(tag + ".render", rc == 0, err.strip()[-300:]):
                continue
            check_pdf(ck, tag, pdf)
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
