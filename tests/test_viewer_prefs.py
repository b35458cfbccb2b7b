#!/usr/bin/env python3
"""The catalog's /ViewerPreferences /Duplex (issue 8 item 9).

    python3 tests/test_viewer_prefs.py build/vanban      (cwd = project root)

A document laid out for two-sided printing (`duplex: true` in the front
matter, or --duplex, under a profile that has a duplex section) carries
/ViewerPreferences << /Duplex /DuplexFlipLongEdge >> in its catalog, so a
printer dialog and a checker know; every other document has no /Duplex. The
catalog is read back with `qpdf --json` (never with vanban's own code).
One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402


def catalog(pdf):
    """The catalog dictionary (qpdf's JSON v2), or None."""
    rc, out, err = P.run(["qpdf", "--json=2", "--json-key=qpdf", pdf])
    if rc != 0:
        raise RuntimeError("qpdf --json failed: " + err[-300:])
    objs = json.loads(out)["qpdf"][1]
    root = objs["trailer"]["value"]["/Root"]  # "1 0 R"
    key = "obj:" + root
    return objs[key]["value"] if key in objs else None


def main():
    cli = P.find_cli(sys.argv)
    ck = P.Checker()
    if not cli:
        ck.check("cli.found", False, "no vanban binary (give its path as argv[1])")
        print("%d passed, %d failed" % (ck.passed, ck.failed))
        return 1
    env = P.test_env()
    # (name, source, extra args, duplex expected)
    cases = [
        ("party05.front_matter", "samples/party05/bao-cao.md", [], True),
        ("party05.option", "samples/party05/nghi-quyet.md", ["--duplex"], True),
        ("party05.one_sided", "samples/party05/nghi-quyet.md", [], False),
        ("party36.one_sided", "samples/party36/bao-cao.md", [], False),
        # state-30-2020 has no duplex section: the option changes nothing, so no /Duplex either
        ("state.no_duplex_profile", "samples/state/nghi-quyet.md", ["--duplex"], False),
    ]
    with tempfile.TemporaryDirectory(prefix="vb-vp-") as tmp:
        for name, src, extra, want in cases:
            pdf = os.path.join(tmp, name + ".pdf")
            rc, _, err = P.run([cli, "render", src, "-o", pdf] + extra, env=env)
            if not ck.check(name + ".render", rc == 0, err.strip()[-300:]):
                continue
            cat = catalog(pdf) or {}
            vp = cat.get("/ViewerPreferences")
            if want:
                ck.check(name + ".duplex", isinstance(vp, dict) and vp.get("/Duplex") == "/DuplexFlipLongEdge",
                         "ViewerPreferences = %r" % (vp,))
            else:
                ck.check(name + ".no_duplex", not (isinstance(vp, dict) and "/Duplex" in vp),
                         "ViewerPreferences = %r" % (vp,))
            # asked for duplex under a profile without it: a warning says the pages are one-sided
            warned = "warning: The profile state-30-2020 describes no two-sided layout" in err and \
                "[duplex.ignored]" in err
            ck.check(name + ".warning", warned == name.startswith("state."), "stderr %r" % err.strip()[-200:])
            rc, out, err = P.run(["qpdf", "--check", pdf])
            ck.check(name + ".qpdf_check", rc == 0, "" if rc == 0 else (out + err).strip()[-200:])
        # the front-matter field: the warning points at it
        src = os.path.join(tmp, "dx.md")
        with open("samples/state/nghi-quyet.md", encoding="utf-8") as f:
            text = f.read().replace("\n---\n", "\nduplex: true\n---\n", 1)
        line = text.split("\n").index("duplex: true") + 1
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        rc, _, err = P.run([cli, "render", src, "-o", os.path.join(tmp, "dx.pdf")], env=env)
        ck.check("state.field.warning_position", rc == 0 and ("dx.md:%d:9: warning:" % line) in err,
                 "rc %d, stderr %r" % (rc, err.strip()[-200:]))
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
