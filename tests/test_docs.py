#!/usr/bin/env python3
"""The documentation keeps up with the code.

    python3 tests/test_docs.py build/vanban      (cwd = project root; the CLI is not used)

  - modules: every module of src/ (src/STAGE/*.c) is named in docs/architecture.md, and in the row
    of its folder (`src/STAGE/`) in README.md's "Layout of the repository" table;
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
                  glob.glob(os.path.join(root, "src", "*", "*.c")))
    ck.check("modules.in-folders", not glob.glob(os.path.join(root, "src", "*.c")),
             "src/ holds modules outside a stage folder")
    ck.check("modules.found", len(mods) >= 25, "%d modules" % len(mods))
    missing = [f for f in mods if not re.search(r"(?<![\w])%s\b" % re.escape(os.path.basename(f)), arch)]
    ck.check("modules.architecture", not missing, "not in docs/architecture.md: %s" % missing)
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `src/(\w+)/` \|(.*)$", table, re.M)}
    missing = [f for f in mods if "`%s`" % os.path.basename(f) not in rows.get(os.path.dirname(f), "")]
    ck.check("modules.readme", table and not missing, "not in README's layout table: %s" % missing)
    for doc in ("docs/profile-format.md", "docs/source-format.md"):
        rows = [ln for ln in read(doc).splitlines() if ln.startswith("| `duplex` |")]
        ck.check("duplex." + os.path.basename(doc), rows and "/ViewerPreferences" in rows[0] and "/Duplex" in rows[0],
                 "the duplex row: %r" % (rows[0][:80] if rows else None))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
