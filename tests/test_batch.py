#!/usr/bin/env python3
"""vanban batch: one template, a CSV of 6 rows, one PDF per row.

    python3 tests/test_batch.py build/vanban      (cwd = project root)

- determinism: -j1 and -j2 write the same files, byte for byte; a row's file
  is byte-identical to `vanban render` of the same document typed by hand;
- a bad row (a number the format refuses) fails alone: exit 1, the other five
  written, its file absent, the message naming the data file's line:col, the
  row and column, and the template's line:col; no temporary file left;
- shards: four runs (--shard 1/4, Kubernetes' JOB_COMPLETION_INDEX and
  JOB_COMPLETIONS, Slurm's SLURM_ARRAY_TASK_*, GNU parallel's PARALLEL_JOBSLOT
  with --shard-count) into one folder write exactly the files of one full
  run, byte for byte, each saying which shard and where it came from; bad
  shard values are usage errors (exit 2) and write nothing;
- names: two rows giving the same name (also differing only in case) are
  refused before anything is written (exit 2, no folder made); values and
  patterns holding "../" and "/" give files inside the folder, none beside it;
- --combine: qpdf --check, one page per row in row order (pdftotext of each
  page equal to the row's own file), one outline entry per row named by its
  file (mutool), fonts embedded as subsets and shared by the rows (pdffonts);
- progress lines when stderr is not a terminal, none with --quiet;
- SOURCE_DATE_EPOCH dates every file, else each document's own date;
- a template error and a missing data file: exit 2, nothing written; every
  row failing: exit 1, no file and no combined PDF;
- the docs' Job manifest and sbatch script agree with the parsing of their
  environment (the array's tasks write every row once).
"""
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

TEMPLATE = """---
issuer: "{{don_vi}}"
number: "{{so}}-BC/ĐUK"
place: Hà Nội
date: 2024-03-01
title: Báo cáo của {{don_vi}}
---

Đơn vị {{don_vi}} báo cáo: {{noi_dung}}.
"""

HEADER = "ma,don_vi,so,noi_dung\n"
ROWS = [
    ("a1", "CHI BỘ MỘT", "01", "việc thứ nhất"),
    ("a2", "CHI BỘ HAI", "02", "việc thứ hai"),
    ("a3", "CHI BỘ BA", "03", "việc thứ ba"),
    ("a4", "CHI BỘ BỐN", "04", "việc thứ tư"),
    ("a5", "CHI BỘ NĂM", "05", "việc: *thứ* năm | # - \"trích\""),
    ("a6", "CHI BỘ SÁU", "06", "việc thứ sáu"),
]


def csv_text(rows):
    def cell(v):
        return '"%s"' % v.replace('"', '""') if any(c in v for c in ',"\n') else v
    return HEADER + "".join(",".join(cell(v) for v in r) + "\n" for r in rows)


def files(d):
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def read(p):
    with open(p, "rb") as f:
        return f.read()


def main():
    ck, cli = P.checker_and_cli(sys.argv)
    if not cli:
        return ck.done()
    rc, _, err = P.run([cli, "batch", "--help"])
    ck.check("vanban batch --help", rc == 0, err[-200:])
    with tempfile.TemporaryDirectory() as tmp:
        def path(*p):
            return os.path.join(tmp, *p)

        def write(name, text):
            with open(path(name), "w", encoding="utf-8") as f:
                f.write(text)
            return path(name)

        def batch(args, env_extra=None, data="good.csv"):
            env = P.test_env()
            for k in ("SOURCE_DATE_EPOCH", "JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "SLURM_ARRAY_TASK_ID",
                      "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_STEP",
                      "PARALLEL_JOBSLOT", "VANBAN_SHARDS"):
                env.pop(k, None)
            env.update(env_extra or {})
            return P.run([cli, "batch", tpl, "--data", path(data)] + args, env=env)

        tpl = write("bao-cao.md", TEMPLATE)
        write("good.csv", csv_text(ROWS))
        bad_rows = list(ROWS)
        bad_rows[2] = ("a3", "CHI BỘ BA", "x3", "việc thứ ba")
        write("bad.csv", csv_text(bad_rows))

        # 1. -j1 and -j2: the same files, byte for byte; default names
        rc1, _, e1 = batch(["-o", path("j1"), "-j", "1"])
        rc2, _, e2 = batch(["-o", path("j2"), "-j2"])
        names = ["bao-cao-%04d.pdf" % i for i in range(1, 7)]
        ck.check("-j1 writes the 6 rows, exit 0", rc1 == 0 and files(path("j1")) == names, e1[-200:])
        ck.check("-j2 writes the 6 rows, exit 0", rc2 == 0 and files(path("j2")) == names, e2[-200:])
        same = [n for n in names if os.path.exists(path("j1", n)) and os.path.exists(path("j2", n)) and
                read(path("j1", n)) == read(path("j2", n))]
        ck.check("-j1 and -j2 byte-identical", len(same) == 6, "%d of 6 identical" % len(same))
        ck.check("the summary counts 6 written, 0 failed", "6 written" in e2 and "0 failed" in e2, e2[-300:])
        ck.check("plain progress lines when stderr is no terminal", "6/6 (100%)" in e1, e1[-300:])
        # a row's file is the document typed by hand, rendered alone
        typed = TEMPLATE.replace("{{don_vi}}", ROWS[4][1]).replace("{{so}}", ROWS[4][2]) \
            .replace("{{noi_dung}}", ROWS[4][3].replace("*", "\\*").replace("|", "\\|").replace("#", "\\#"))
        src = write("typed.md", typed)
        rc, _, err = P.run([cli, "render", src, "-o", path("typed.pdf")], env=P.test_env())
        ck.check("row 5 (with * | # \" in its value) equals its document typed by hand and rendered alone",
                 rc == 0 and os.path.exists(path("j1", names[4])) and read(path("typed.pdf")) == read(
                     path("j1", names[4])), err[-200:])

        # 2. a bad row fails alone
        rc, _, err = batch(["-o", path("bad"), "-j", "2"], data="bad.csv")
        ck.check("a bad row: exit 1", rc == 1, "rc %d" % rc)
        ck.check("the other 5 rows are written, row 3's file is not",
                 files(path("bad")) == [n for n in names if n != names[2]], str(files(path("bad"))))
        m = re.search(r"bao-cao\.md:(\d+):(\d+): error: .*bad\.csv:(\d+):(\d+), row 3, column \"so\"", err)
        ck.check("its message names the template's line:col and the data's line:col, row and column",
                 bool(m) and m.group(1) == "3" and m.group(3) == "4", err[-500:])
        ck.check("the summary lists the failed row", "1 failed" in err and "failed rows: 3" in err, err[-200:])
        ck.check("no temporary file left", not [f for f in files(path("bad")) if f.startswith(".")])
        ok = [n for n in files(path("bad")) if read(path("bad", n)) == read(path("j1", n))]
        ck.check("the rows written beside a failure are the same bytes", len(ok) == 5, "%d of 5" % len(ok))
        rc, _, errq = batch(["-o", path("badq"), "--quiet"], data="bad.csv")
        ck.check("--quiet: no progress, the failure still printed, exit 1",
                 rc == 1 and "(100%)" not in errq and "row 3" in errq, errq[-300:])

        # 3. shards: four runs, four ways of saying which, one folder = one full run
        ways = [
            (["--shard", "1/4"], {}, "--shard"),
            ([], {"JOB_COMPLETION_INDEX": "1", "JOB_COMPLETIONS": "4"}, "Kubernetes"),
            ([], {"SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"}, "Slurm"),
            (["--shard-count", "4"], {"PARALLEL_JOBSLOT": "4"}, "GNU parallel"),
        ]
        written = []
        for k, (args, env, says) in enumerate(ways, 1):
            rc, _, err = batch(["-o", path("shards")] + args, env)
            ck.check("shard %d/4 from %s: exit 0, says so" % (k, says),
                     rc == 0 and ("shard %d/4" % k) in err and says in err, err[-200:])
            written.append(len(files(path("shards"))))
        ck.check("the shards write 1, 2, 1, 2 rows (floor((K-1)n/N) .. floor(Kn/N))",
                 written == [1, 3, 4, 6], str(written))
        union = files(path("shards"))
        ck.check("the union of the 4 shards is every row", union == names, str(union))
        ck.check("the union is byte-identical to one full run",
                 union == names and all(read(path("shards", n)) == read(path("j1", n)) for n in names))
        for args, env, why in [(["--shard", "5/4"], {}, "--shard 5/4"), (["--shard", "0/4"], {}, "--shard 0/4"),
                               (["--shard", "x"], {}, "--shard x"),
                               ([], {"JOB_COMPLETION_INDEX": "0"}, "JOB_COMPLETION_INDEX without JOB_COMPLETIONS"),
                               ([], {"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "0",
                                     "SLURM_ARRAY_TASK_COUNT": "2"}, "a Slurm task outside its array"),
                               ([], {"PARALLEL_JOBSLOT": "2"}, "PARALLEL_JOBSLOT without a count"),
                               (["--shard-count", "3"], {}, "--shard-count without PARALLEL_JOBSLOT")]:
            rc, _, err = batch(["-o", path("noshard")] + args, env)
            ck.check("%s: usage error, nothing written" % why, rc == 2 and not os.path.exists(path("noshard")),
                     "rc %d %s" % (rc, err[-200:]))

        # 4. names
        dup = list(ROWS)
        dup[3] = ("a4", "CHI BỘ MỘT", "04", "việc thứ tư")
        write("dup.csv", csv_text(dup))
        rc, _, err = batch(["-o", path("dup"), "--name", "{{don_vi}}.pdf"], data="dup.csv")
        ck.check("two rows giving the same name: exit 2, nothing written, both rows named",
                 rc == 2 and not os.path.exists(path("dup")) and "Rows 1 and 4" in err, err[-200:])
        dupc = list(ROWS)
        dupc[5] = ("a6", "Chi bộ một", "06", "việc thứ sáu")
        write("dupc.csv", csv_text(dupc))
        rc, _, err = batch(["-o", path("dupc"), "--name", "{{don_vi}}.pdf"], data="dupc.csv")
        ck.check("names equal but for case (CHI BỘ MỘT, Chi bộ một): exit 2, nothing written",
                 rc == 2 and not os.path.exists(path("dupc")) and "case-insensitive" in err, err[-200:])
        evil = list(ROWS)
        evil[0] = ("../../evil", "CHI BỘ MỘT", "01", "x")
        evil[1] = ("/etc/passwd", "CHI BỘ HAI", "02", "x")
        evil[2] = ("a/b\\c", "CHI BỘ BA", "03", "x")
        write("evil.csv", csv_text(evil))
        os.makedirs(path("evil"))
        rc, _, err = batch(["-o", path("evil", "out"), "--name", "{{ma}}.pdf"], data="evil.csv")
        got = files(path("evil", "out"))
        ck.check("values with ../ and / give files inside the folder", rc == 0 and len(got) == 6 and
                 files(path("evil")) == ["out"] and all("/" not in g and not g.startswith(".") for g in got),
                 "rc %s %s %s" % (rc, got, (err or "")[-300:]))
        ck.check("nothing written outside it", not os.path.exists(path("evil.pdf")) and
                 not os.path.exists(os.path.join(os.path.dirname(tmp), "evil.pdf")))
        # the pattern's own "/" and "../" are replaced as well: the files stay in the folder
        rc, _, err = batch(["-o", path("sub"), "--name", "x/{{ma}}.pdf"])
        got = files(path("sub"))
        ck.check("a pattern with a folder in it: the files inside the folder, no subfolder",
                 rc == 0 and len(got) == 6 and all(os.path.isfile(path("sub", g)) for g in got),
                 "rc %d %s" % (rc, got))
        rc, _, err = batch(["-o", path("dotdot"), "--name", "../{{ma}}.pdf"])
        got = files(path("dotdot"))
        ck.check("a pattern starting with ../: the files inside the folder, none beside it",
                 rc == 0 and len(got) == 6 and not [g for g in got if g.startswith(".")] and
                 not os.path.exists(path("a1.pdf")), "rc %d %s" % (rc, got))

        # 5. --combine (the same name in two folders: the name is the PDF's title)
        os.makedirs(path("c1"))
        os.makedirs(path("c2"))
        comb = path("c2", "all.pdf")
        rc, _, err = batch(["-o", path("comb"), "-j", "2", "--combine", comb], data="bad.csv")
        ck.check("--combine with a bad row: exit 1, the combined PDF written", rc == 1 and os.path.exists(comb),
                 err[-200:])
        rc1, _, err1 = batch(["-o", path("comb1"), "-j", "1", "--combine", path("c1", "all.pdf")], data="bad.csv")
        ck.check("the combined PDF is the same bytes with -j1 and -j2",
                 rc1 == 1 and os.path.exists(comb) and read(path("c1", "all.pdf")) == read(comb), err1[-300:])
        if os.path.exists(comb):
            rc, out, e = P.run(["qpdf", "--check", comb])
            ck.check("qpdf --check", rc == 0, (out + e)[-300:])
            rc, out, e = P.run(["qpdf", "--show-npages", comb])
            ck.check("5 pages, one per row written", out.strip() == "5", out + e)
            each = [n for n in names if n != names[2]]
            for i, n in enumerate(each, 1):
                rc, t1, _ = P.run(["pdftotext", "-f", str(i), "-l", str(i), comb, "-"])
                rc, t2, _ = P.run(["pdftotext", path("comb", n), "-"])
                ck.check("page %d's text is %s's" % (i, n), t1 == t2 and t1.strip() != "", t1[:80])
            rc, out, e = P.run(["mutool", "show", comb, "outline"])
            tops = re.findall(r'^[-+|]\t"([^"]*)"', out, re.M)
            ck.check("one top outline entry per row, its file name, in row order", tops == each, out[-400:])
            rows, rc, e = P.pdffonts(comb)
            ck.check("fonts embedded as subsets", rows and all(r["emb"] == "yes" and r["sub"] == "yes" for r in rows),
                     str(rows))
            single, _, _ = P.pdffonts(path("comb", each[0]))
            ck.check("the rows share the fonts (as many font objects as one row's)",
                     rows and len(rows) == len(single), "%d vs %d" % (len(rows), len(single)))
        rc, _, err = batch(["-o", path("combdup"), "--combine", path("combdup", "BAO-CAO-0001.pdf")])
        ck.check("a combined PDF taking a row's name in the folder: exit 2",
                 rc == 2 and not os.path.exists(path("combdup", "bao-cao-0002.pdf")), err[-200:])

        # SOURCE_DATE_EPOCH dates every file, as for vanban render
        rc, _, err = batch(["-o", path("epoch"), "-j", "2"], {"SOURCE_DATE_EPOCH": "86400"})
        dates = [re.findall(rb"/CreationDate\s*\((D:[^)]*)\)", read(path("epoch", n))) for n in files(path("epoch"))]
        ck.check("SOURCE_DATE_EPOCH=86400: every file dated 1970-01-02",
                 rc == 0 and len(dates) == 6 and all(d and d[0].startswith(b"D:19700102") for d in dates),
                 str(dates[:2]))
        own = re.findall(rb"/CreationDate\s*\((D:[^)]*)\)", read(path("j1", names[0])))
        ck.check("without it, the document's own date (2024-03-01)", own and own[0].startswith(b"D:20240301"),
                 str(own))

        # template and data errors: exit 2, nothing written
        tpl_ok = tpl
        tpl = write("broken.md", TEMPLATE + "\n{{#noi_dung}} never closed\n")
        rc, _, err = batch(["-o", path("broken")])
        ck.check("a template error: exit 2 with its line:col, nothing written",
                 rc == 2 and "broken.md:11:1" in err and not os.path.exists(path("broken")), err[-200:])
        tpl = tpl_ok
        rc, _, err = batch(["-o", path("nodata")], data="missing.csv")
        ck.check("a missing data file: exit 2, nothing written", rc == 2 and not os.path.exists(path("nodata")),
                 err[-200:])
        write("allbad.csv", HEADER + "a,X,x1,y\nb,Y,x2,z\n")
        rc, _, err = batch(["-o", path("allbad"), "--combine", path("allbad.pdf")], data="allbad.csv")
        ck.check("every row failing: exit 1, no file, no combined PDF",
                 rc == 1 and files(path("allbad")) == [] and not os.path.exists(path("allbad.pdf")), err[-200:])

        # 6. the docs' ready examples say what the environment parsing expects
        job = open(os.path.join("docs", "examples", "batch-job.yaml"), encoding="utf-8").read()
        comp = re.search(r"^\s*completions:\s*(\d+)", job, re.M)
        envc = re.search(r"name:\s*JOB_COMPLETIONS.*\n\s*value:\s*\"(\d+)\"", job)
        ck.check("the Job manifest: Indexed, JOB_COMPLETIONS equal to completions",
                 "completionMode: Indexed" in job and comp and envc and comp.group(1) == envc.group(1))
        sb = open(os.path.join("docs", "examples", "batch.sbatch"), encoding="utf-8").read()
        arr = re.search(r"^#SBATCH --array=(\d+)-(\d+)\s*$", sb, re.M)
        ck.check("the sbatch script: an array that is one range without steps", bool(arr) and "vanban batch" in sb)
        if arr and comp:
            lo, hi = int(arr.group(1)), int(arr.group(2))
            got = []
            for tid in range(lo, hi + 1):
                rc, _, err = batch(["-o", path("slurm")], {"SLURM_ARRAY_TASK_ID": str(tid),
                                                           "SLURM_ARRAY_TASK_MIN": str(lo),
                                                           "SLURM_ARRAY_TASK_COUNT": str(hi - lo + 1)})
                got.append(rc)
            ck.check("the sbatch array's tasks write every row once", got == [0] * (hi - lo + 1) and
                     files(path("slurm")) == names and
                     all(read(path("slurm", n)) == read(path("j1", n)) for n in names), str(got))
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
