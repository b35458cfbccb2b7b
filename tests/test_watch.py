#!/usr/bin/env python3
"""vanban watch: renders again when the source, its profile or an image changes.

`vanban watch` runs on a temporary copy of the seed report (with a small PNG
placed at its end) and a temporary copy of the layouts folder (--layouts). Each
step changes one file and waits for the next line the command prints (generous
timeouts, no wall-clock assertion: the machine is shared):

  - the first render: one line "HH:MM:SS rendered OUT: N pages in X ms";
  - an editor's save (a new file renamed over the source): a new line, and the
    new text in the PDF (pdftotext);
  - an in-place write of the source: the same;
  - a broken source (a date that does not exist): the error's first line
    "doc.md:L:C: error: ... [frontmatter.date]" (L the date's line), the
    source line under it and a caret under the column, a status line, and the
    PDF left byte for byte as it was;
  - the source fixed: a new PDF with the new text;
  - the profile (touched in the layouts copy) and the image (rewritten): each a
    new render line;
  - a file beside them that is no input (written before an edit): the render
    that follows is the edit's, one line;
  - SIGINT: exit status 0, no temporary file (".doc.pdf.XXXXXX") left.
`vanban watch --once` renders once and exits 0; with a broken source, 1.
`vanban render --show-source` prints the same caret lines (and "^~~~~~~~" over
a diagnostic's range), without it (stderr not a terminal) one line as before.
A template watched with --data FILE --row N renders again when the data file
changes, with the row's new value in the PDF.
"""
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402
import pngmake  # noqa: E402

TIMEOUT = 60  # seconds for one render line: generous, the machine is shared
RENDERED = re.compile(r"^\d\d:\d\d:\d\d rendered (.*): (\d+) pages? in ([0-9.]+) ms$")
FAILED = re.compile(r"^\d\d:\d\d:\d\d error: ")


class Lines(object):
    """The lines a process prints on stdout and stderr, in a queue, read by two threads."""

    def __init__(self, p):
        self.q = queue.Queue()
        self.all = []
        for f, tag in ((p.stdout, "out"), (p.stderr, "err")):
            t = threading.Thread(target=self._read, args=(f, tag), daemon=True)
            t.start()

    def _read(self, f, tag):
        for raw in iter(f.readline, b""):
            self.q.put((tag, raw.decode("utf-8", "replace").rstrip("\n")))

    def also(self, got, done, timeout=TIMEOUT):
        """Reads more lines into got until done(got) holds: stdout and stderr are two pipes, so a
        status line on stdout may be read before the diagnostics the process wrote to stderr first."""
        end = time.monotonic() + timeout
        while not done(got):
            left = end - time.monotonic()
            if left <= 0:
                return got
            try:
                tag, line = self.q.get(timeout=left)
            except queue.Empty:
                return got
            got.append((tag, line))
            self.all.append((tag, line))
        return got

    def until(self, pattern, timeout=TIMEOUT):
        """Lines up to and including the first stdout line matching pattern; (match, lines) or (None, lines)."""
        got = []
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None, got
            try:
                tag, line = self.q.get(timeout=left)
            except queue.Empty:
                return None, got
            got.append((tag, line))
            self.all.append((tag, line))
            if tag == "out":
                m = pattern.match(line)
                if m:
                    return m, got


def pdf_text(pdf):
    rc, out, _ = pdfcheck.run(["pdftotext", "-layout", pdf, "-"])
    return out if rc == 0 else ""


def save_by_rename(path, text):
    """As an editor saves: a new file beside it, renamed over it."""
    tmp = os.path.join(os.path.dirname(path), ".#" + os.path.basename(path) + ".new")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def write_in_place(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    ck, cli = pdfcheck.checker_and_cli(argv)
    if not cli:
        return ck.done()
    env = pdfcheck.test_env()
    tmp = tempfile.mkdtemp(prefix="vb-watch-")
    try:
        work = os.path.join(tmp, "work")
        layouts = os.path.join(tmp, "layouts")
        os.mkdir(work)
        shutil.copytree("layouts", layouts)
        with open("samples/196-BC-DUK.md", encoding="utf-8") as f:
            seed = f.read()
        png, _ = pngmake.make_png(2, 8, 0)
        with open(os.path.join(work, "img.png"), "wb") as f:
            f.write(png)
        base = seed.rstrip("\n") + "\n\n![hình](img.png \"20mm\")\n"
        word = "Thanh Hoá"  # in the seed's front matter (place) and body
        if not ck.check("seed.has-word", word in base):
            return ck.done()
        src = os.path.join(work, "doc.md")
        out = os.path.join(work, "doc.pdf")
        write_in_place(src, base)

        # --once: one render, exit status as render's
        r = subprocess.run([cli, "watch", src, "-o", out, "--layouts", layouts, "--once"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        ck.check("once.renders", r.returncode == 0 and RENDERED.match(r.stdout.decode().strip()) is not None
                 and os.path.isfile(out), "rc %d, %r %r" % (r.returncode, r.stdout[-200:], r.stderr[-200:]))
        os.unlink(out)

        p = subprocess.Popen([cli, "watch", src, "-o", out, "--layouts", layouts], env=env, cwd=work,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = Lines(p)
        try:
            m, _ = lines.until(RENDERED)
            ok = ck.check("first.render-line", m is not None and m.group(1) == out and int(m.group(2)) >= 2,
                          repr(lines.all[-5:]))
            if not ok:
                return ck.done()
            ck.check("first.pdf", "Thanh Hoá" in pdf_text(out))

            # an editor's save: rename over the source
            text1 = base.replace(word, "Xứ Thanh Một")
            save_by_rename(src, text1)
            m, _ = lines.until(RENDERED)
            ck.check("rename.render-line", m is not None, repr(lines.all[-5:]))
            ck.check("rename.new-text", "Xứ Thanh Một" in pdf_text(out))

            # an in-place write
            text2 = base.replace(word, "Xứ Thanh Hai")
            write_in_place(src, text2)
            m, _ = lines.until(RENDERED)
            # an in-place write may be seen half-done (truncated, then written): wait for the text
            for _ in range(3):
                if m is None or "Xứ Thanh Hai" in pdf_text(out):
                    break
                m, _ = lines.until(RENDERED)
            ck.check("in-place.render-line", m is not None, repr(lines.all[-5:]))
            ck.check("in-place.new-text", "Xứ Thanh Hai" in pdf_text(out))

            # a broken source: the error with its line and caret, the PDF unchanged
            with open(out, "rb") as f:
                good = f.read()
            date_line = next(i + 1 for i, ln in enumerate(text2.split("\n")) if ln.startswith("date: "))
            broken = text2.replace("date: 2023-07-06", "date: 2023-13-06")
            ck.check("broken.edit", broken != text2)
            save_by_rename(src, broken)
            m, got = lines.until(FAILED)
            ck.check("broken.status-line", m is not None, repr(lines.all[-5:]))
            first = "%s:%d:7: error: " % (src, date_line)
            # the caret line comes two lines after the error's first line
            lines.also(got, lambda g: sum(1 for t, ln in g if t == "err" and ln.startswith(first)) > 0 and
                       len([ln for t, ln in g if t == "err"]) >= 3)
            errs = [ln for tag, ln in got if tag == "err"]
            idx = next((i for i, ln in enumerate(errs) if ln.startswith(first)), None)
            ok = ck.check("broken.first-line", idx is not None and errs[idx].endswith("[frontmatter.date]"),
                          repr(errs[:4]))
            if ok:
                src_line = errs[idx + 1] if idx + 1 < len(errs) else ""
                caret = errs[idx + 2] if idx + 2 < len(errs) else ""
                ck.check("broken.source-line", src_line == "%5d | date: 2023-13-06" % date_line, repr(src_line))
                ck.check("broken.caret", caret == "      |       ^" or caret.startswith("      |       ^~"),
                         repr(caret))
            with open(out, "rb") as f:
                ck.check("broken.pdf-unchanged", f.read() == good)

            # fixed
            text3 = base.replace(word, "Xứ Thanh Ba")
            save_by_rename(src, text3)
            m, _ = lines.until(RENDERED)
            ck.check("fixed.render-line", m is not None, repr(lines.all[-5:]))
            ck.check("fixed.new-text", "Xứ Thanh Ba" in pdf_text(out))

            # the profile: touched in the layouts copy
            prof = os.path.join(layouts, "party-36-2018.yaml")
            os.utime(prof)
            m, _ = lines.until(RENDERED)
            ck.check("profile.render-line", m is not None, repr(lines.all[-5:]))

            # the image: rewritten (an RGBA one, another file's bytes)
            png2, _ = pngmake.make_png(6, 8, 0)
            with open(os.path.join(work, ".img.new"), "wb") as f:
                f.write(png2)
            os.rename(os.path.join(work, ".img.new"), os.path.join(work, "img.png"))
            m, _ = lines.until(RENDERED)
            ck.check("image.render-line", m is not None, repr(lines.all[-5:]))

            # a file that is no input, then an edit: one render line, the edit's
            for _ in range(3):  # let the image's burst settle: drain its renders
                mm, _ = lines.until(RENDERED, timeout=2)
                if mm is None:
                    break
            write_in_place(os.path.join(work, "notes.txt"), "not an input\n")
            save_by_rename(src, base.replace(word, "Xứ Thanh Bốn"))
            m, got = lines.until(RENDERED)
            ck.check("unrelated.one-line", m is not None and "Xứ Thanh Bốn" in pdf_text(out)
                     and sum(1 for tag, ln in got if tag == "out") == 1, repr(got[-5:]))
        finally:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
            try:
                rc = p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
        ck.check("sigint.exit-0", rc == 0, "exit %d" % rc)
        left = sorted(n for n in os.listdir(work) if n.startswith(".doc.pdf"))
        ck.check("sigint.no-temporaries", not left, repr(left))

        # --once with the broken source: status 1, the error with its caret
        save_by_rename(src, broken)
        r = subprocess.run([cli, "watch", src, "-o", out, "--layouts", layouts, "--once"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        e = r.stderr.decode("utf-8", "replace")
        ck.check("once.broken", r.returncode == 1 and "[frontmatter.date]" in e and "      |       ^" in e,
                 "rc %d %r" % (r.returncode, e[:300]))

        # vanban render --show-source: the same first line, then the source line and the caret
        r = subprocess.run([cli, "render", src, "-o", out + ".2.pdf", "--layouts", layouts, "--show-source"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        e = r.stderr.decode("utf-8", "replace").split("\n")
        ck.check("render.show-source", r.returncode == 1 and len(e) >= 3 and e[0].startswith(first)
                 and e[1] == "%5d | date: 2023-13-06" % date_line and e[2].startswith("      |       ^"),
                 repr(e[:3]))
        # without it (not a terminal): one line, as before
        r = subprocess.run([cli, "render", src, "-o", out + ".2.pdf", "--layouts", layouts],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        e = r.stderr.decode("utf-8", "replace").strip().split("\n")
        ck.check("render.plain", r.returncode == 1 and len(e) == 1 and e[0].startswith(first), repr(e[:3]))

        # a range: "^~~~" under the whole field (number.zero, 8 characters "5-BC/ĐUK")
        write_in_place(src, base.replace("number: 196-BC/ĐUK", "number: 5-BC/ĐUK"))
        r = subprocess.run([cli, "render", src, "-o", out + ".2.pdf", "--layouts", layouts, "--show-source"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        e = r.stderr.decode("utf-8", "replace").split("\n")
        ck.check("render.range", r.returncode == 1 and len(e) >= 4 and e[0].endswith("[number.zero]")
                 and e[1].endswith("| number: 5-BC/ĐUK") and e[2] == "      |         ^~~~~~~~"
                 and e[3].startswith("  fix: "), repr(e[:4]))

        # a template and its data file: an edit of the row re-renders
        tdir = os.path.join(tmp, "batch")
        os.mkdir(tdir)
        shutil.copy("samples/batch/bao-cao.md", tdir)
        shutil.copy("samples/batch/chi-bo.csv", tdir)
        csv = os.path.join(tdir, "chi-bo.csv")
        tout = os.path.join(tdir, "row2.pdf")
        p = subprocess.Popen([cli, "watch", os.path.join(tdir, "bao-cao.md"), "--data", csv, "--row", "2",
                              "-o", tout, "--layouts", layouts], env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = Lines(p)
        try:
            m, _ = lines.until(RENDERED)
            ck.check("data.first", m is not None and "TỔNG HỢP" in pdf_text(tout), repr(lines.all[-3:]))
            with open(csv, encoding="utf-8") as f:
                rows = f.read()
            ck.check("data.edit", "TỔNG HỢP" in rows)
            save_by_rename(csv, rows.replace("TỔNG HỢP", "TỔNG QUÁT"))
            m, _ = lines.until(RENDERED)
            ck.check("data.render-line", m is not None and "TỔNG QUÁT" in pdf_text(tout), repr(lines.all[-3:]))
        finally:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
            try:
                rc = p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
        ck.check("data.sigint", rc == 0, "exit %d" % rc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
