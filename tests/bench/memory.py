#!/usr/bin/env python3
"""memory.py - peak memory and time per source MiB, for each kind of block.

    python3 tests/bench/memory.py                       (cwd = project root)
    python3 tests/bench/memory.py --sizes 1,4,16 --kinds para,blank [--vanban build/vanban] [--baseline OLD_CLI]

For each kind of block below and each size (MiB of source, 1, 4 and 16 by
default; 16 MiB is the source-bytes limit), writes a source made of that
block repeated after the usual front matter, renders it once with each CLI
(the build's, and --baseline when given: an older build, e.g. main's, so
the two columns come from the same run on the same machine), and prints
the exit status (0, or the limit id that stopped it), the wall time, the
peak RSS (/usr/bin/time -f %M, Debian package `time`), then the peak RSS
and the time per source MiB.

    kind     block                                   what it stresses
    para     "a" and a blank line                    one block per 3 bytes
    heading  "# a"                                   blocks with no blank line between
    blank    blank lines (two one-word paragraphs)   lines that make nothing
    quote    "> a"                                   one block quote, one paragraph of every line
    list     "- a"                                   list-like lines (paragraphs with their marker)
    row      "| a | b |" under a head row            table rows (the table-cells limit)
    long     3,600-character paragraphs              real text: lines, pages, the PDF

The target (issue 9): every kind stays under 1 GiB and 60 s at 16 MiB, or
stops at a limit early with little memory. Nothing is asserted: this is not
a ctest test (tests/bad-inputs/catalogue.json holds the bounded cases).
Uses tests/fonts.conf unless FONTCONFIG_FILE is set, as the tests do.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

HEAD = ("---\n"
        "parent: ĐẢNG BỘ TỈNH THANH HOÁ\n"
        "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\n"
        "number: 12-BC/ĐUK\n"
        "place: Thanh Hoá\n"
        "date: 2023-07-06\n"
        "kind: BÁO CÁO\n"
        "title: Đo bộ nhớ\n"
        "---\n"
        "\n")
SENTENCE = "Cấp ủy các cấp tiếp tục quán triệt và thực hiện nghiêm túc chương trình công tác năm. "

KINDS = {
    "para": ("", "a\n\n", ""),
    "heading": ("", "# a\n", ""),
    "blank": ("Mở đầu.\n", "\n", "Kết thúc.\n"),
    "quote": ("", "> a\n", ""),
    "list": ("", "- a\n", ""),
    "row": ("| STT | NỘI DUNG |\n|:---:|:---|\n", "| a | b |\n", ""),
    "long": ("", (SENTENCE * 41).rstrip() + "\n\n", ""),
}
ORDER = ["para", "heading", "blank", "quote", "list", "row", "long"]


def source(kind, mib):
    pre, unit, post = KINDS[kind]
    fixed = len((HEAD + pre + post).encode("utf-8"))
    n = max(1, (int(mib * (1 << 20)) - fixed - 16) // len(unit.encode("utf-8")))
    return HEAD + pre + unit * n + post


def run(cli, src, pdf, env, cap_mib, timeout):
    timer = "/usr/bin/time"
    have_timer = os.path.exists(timer)
    cmd = ([timer, "-f", "@@RSS %M"] if have_timer else []) + [cli, "render", src, "-o", pdf]

    def limits():
        # the seed passes 4 GiB on some kinds: an address-space cap makes it fail instead of swamping the machine
        cap = cap_mib << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limits,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout %d s" % timeout, time.perf_counter() - t0, float("nan")
    secs = time.perf_counter() - t0
    err = p.stderr.decode("utf-8", "replace")
    m = re.search(r"@@RSS (\d+)", err)
    rss = int(m.group(1)) / 1024.0 if m else float("nan")
    err = re.sub(r"@@RSS \d+\s*", "", err)
    err = re.sub(r"Command (exited with non-zero status|terminated by signal) \d+\s*", "", err)
    ids = re.findall(r"\[([a-z0-9.-]+)\]\s*$", err.strip())
    if p.returncode == 0:
        status = "ok"
    elif ids:
        status = ids[-1]
    elif "memory" in err.lower() or p.returncode < 0 or p.returncode > 128:
        status = "no memory (cap %d MiB)" % cap_mib
    else:
        status = "exit %d" % p.returncode
    return status, secs, rss


def main(argv):
    ap = argparse.ArgumentParser(description="Peak memory and time per source MiB, for each kind of block.")
    ap.add_argument("--sizes", default="1,4,16", help="MiB of source, comma-separated (default 1,4,16)")
    ap.add_argument("--kinds", default=",".join(ORDER), help="kinds, comma-separated (default: all)")
    ap.add_argument("--vanban", default=os.path.join(ROOT, "build", "vanban"), help="the CLI")
    ap.add_argument("--baseline", help="an older CLI measured in the same run (e.g. a build of main)")
    ap.add_argument("--cap-mib", type=int, default=3072,
                    help="address-space cap of each render, MiB (default 3072): what passes it fails as out of memory")
    ap.add_argument("--timeout", type=int, default=300, help="seconds before a render is stopped (default 300)")
    a = ap.parse_args(argv)
    clis = [("this", os.path.abspath(a.vanban))]
    if a.baseline:
        clis.insert(0, ("baseline", os.path.abspath(a.baseline)))
    for _, c in clis:
        if not os.access(c, os.X_OK):
            print("memory.py: no vanban CLI at %s (build first, or pass --vanban)" % c, file=sys.stderr)
            return 2
    env = dict(os.environ)
    env.setdefault("FONTCONFIG_FILE", os.path.join(ROOT, "tests", "fonts.conf"))
    env.setdefault("VANBAN_LAYOUTS", os.path.join(ROOT, "layouts"))
    sizes = [float(s) for s in a.sizes.split(",") if s.strip()]
    kinds = [k for k in a.kinds.split(",") if k.strip()]
    for k in kinds:
        if k not in KINDS:
            print("memory.py: unknown kind %r (one of %s)" % (k, ", ".join(ORDER)), file=sys.stderr)
            return 2
    tmp = tempfile.mkdtemp(prefix="vb-bench-memory-")
    try:
        print("%-8s %5s  %-9s %-24s %8s %9s %10s %9s" % ("kind", "MiB", "cli", "result", "time s", "peak MiB",
                                                       "MiB/MiB", "s/MiB"))
        for k in kinds:
            for mib in sizes:
                src = os.path.join(tmp, "%s-%g.md" % (k, mib))
                with open(src, "w", encoding="utf-8") as f:
                    f.write(source(k, mib))
                real = os.path.getsize(src) / float(1 << 20)
                for label, cli in clis:
                    status, secs, rss = run(cli, src, os.path.join(tmp, "out.pdf"), env, a.cap_mib, a.timeout)
                    print("%-8s %5g  %-9s %-24s %8.2f %9.0f %10.1f %9.2f" % (k, mib, label, status, secs, rss,
                                                                           rss / real, secs / real))
                    sys.stdout.flush()
                os.remove(src)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\ntarget: under 1024 MiB and 60 s at 16 MiB, or a limit error early with little memory")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
