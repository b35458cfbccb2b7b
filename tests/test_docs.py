#!/usr/bin/env python3
"""The documentation keeps up with the code.

    python3 tests/test_docs.py build/vanban      (cwd = project root; the CLI is not used)

  - modules: every module of src/ (src/*.c, src/cli/*.c) is named in docs/architecture.md and in
    README.md's "Layout of the repository" table (src/cli/ by its folder there);
  - duplex: docs/profile-format.md and docs/source-format.md both say that a duplex document has
    /ViewerPreferences /Duplex in its PDF, where duplex is described.

Prints one line per check and "N passed, M failed"."""
import glob
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402


def main():
    ck = P.Checker()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    read = lambda p: open(os.path.join(root, p), encoding="utf-8").read()  # noqa: E731
    arch, readme = read("docs/architecture.md"), read("README.md")
    m = re.search(r"## Layout of the repository\n(.*?)\n## ", readme + "\n## ", re.S)
    table = m.group(1) if m else ""
    mods = sorted(os.path.relpath(p, os.path.join(root, "src")) for p in
                  glob.glob(os.path.join(root, "src", "*.c")) + glob.glob(os.path.join(root, "src", "cli", "*.c")))
    ck.check("modules.found", len(mods) >= 25, "%d modules" % len(mods))
    missing = [f for f in mods if not re.search(r"(?<![\w/])%s\b" % re.escape(f), arch)]
    ck.check("modules.architecture", not missing, "not in docs/architecture.md: %s" % missing)
    missing = [f for f in mods if not ("/" in f and "`src/%s/`" % f.split("/")[0] in table or
                                       "`%s`" % f in table)]
    ck.check("modules.readme", table and not missing, "not in README's layout table: %s" % missing)
    for doc in ("docs/profile-format.md", "docs/source-format.md"):
        rows = [ln for ln in read(doc).splitlines() if ln.startswith("| `duplex` |")]
        ck.check("duplex." + os.path.basename(doc), rows and "/ViewerPreferences" in rows[0] and "/Duplex" in rows[0],
                 "the duplex row: %r" % (rows[0][:80] if rows else None))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
