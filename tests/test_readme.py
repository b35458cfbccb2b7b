#!/usr/bin/env python3
"""Every command README.md shows works as typed (after the two commands of "Two commands").

    python3 tests/test_readme.py build/vanban      (cwd = project root)

The shell blocks after "## Use" are run in order, line by line (a line ending in "\\" goes on), in a
temporary folder that holds the repository's samples, tests, layouts and data (linked) and an empty
out/, with `vanban` on the PATH as the build's binary. Each command must exit 0, but `vanban check`
on the draft with a mistake, which says so with exit 1 by design. `vanban watch`, which runs until
stopped, is left out here (tests/test_watch.py and test_serve.py run it).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXPECT = {"vanban check --strict --lang vi out/draft.md": 1}


def commands(readme):
    text = open(readme, encoding="utf-8").read()
    text = text[text.index("## Use"):]
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        pending = ""
        for line in block.split("\n"):
            line = pending + line
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            cmd = re.sub(r"\s+#.*$", "", line).strip()
            if cmd and not cmd.startswith("#"):
                out.append(cmd)
    return out


def main(argv):
    cli = os.path.abspath(argv[1])
    root = os.getcwd()
    tmp = tempfile.mkdtemp(prefix="vb-readme-")
    fails = 0
    try:
        for d in ("samples", "tests", "layouts", "data"):
            os.symlink(os.path.join(root, d), os.path.join(tmp, d))
        os.mkdir(os.path.join(tmp, "out"))
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        for prog in ("vanban", "vanban-sign", "vanban-preview", "vanban-serve"):
            src = os.path.join(os.path.dirname(cli), prog)
            if os.path.exists(src):
                os.symlink(src, os.path.join(bindir, prog))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                   FONTCONFIG_FILE=os.path.join(root, "tests", "fonts.conf"), LANGUAGE="", LANG="C.UTF-8")
        env.pop("LC_ALL", None)
        cmds = commands(os.path.join(root, "README.md"))
        ran = 0
        for cmd in cmds:
            if cmd.startswith("vanban watch"):
                continue
            p = subprocess.run(["bash", "-c", cmd], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
            want = EXPECT.get(cmd, 0)
            ran += 1
            if p.returncode != want:
                fails += 1
                print("FAIL  %s\n      exit %d, not %d: %s" % (cmd, p.returncode, want, (p.stderr or p.stdout)[-400:]))
            else:
                print("ok    %s" % cmd)
        if ran < 30:
            fails += 1
            print("FAIL  only %d commands found in README.md" % ran)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
