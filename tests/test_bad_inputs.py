#!/usr/bin/env python3
"""The catalogue of bad inputs (tests/bad-inputs/catalogue.json), each run
through the CLI with exact expectations.

    python3 tests/test_bad_inputs.py build/vanban        (cwd = anywhere)
    python3 tests/test_bad_inputs.py build/vanban --show  (print what each entry gives, check nothing)
    python3 tests/test_bad_inputs.py build/vanban NAME... (only these entries)

Every entry runs in a fresh folder holding its files: the CLI's working
directory, so paths in messages are the short relative ones of the
catalogue. For each entry:
  - stderr is exactly the catalogue's line (or empty for a success) and the
    exit status is the catalogue's;
  - a failure leaves no output and no temporary file (".result.pdf.XXXXXX")
    anywhere in the folder; a success leaves the PDF and nothing else;
  - run again over an existing output, a failure leaves it byte-identical
    (and gives the same message), a success replaces it with a PDF;
  - each run stays within bounds against hangs and exhaustion, not
    benchmarks: 20 s of wall time, 1 GiB of address space (ulimit -v) and
    512 MiB resident (both relaxed, and ulimit -v dropped, for an
    AddressSanitizer build, which reserves terabytes of shadow memory). The
    peak RSS comes from wait4 and counts the pages the child shared with
    this script before exec, so it is an upper bound.
Interrupt entries send SIGINT or SIGTERM to a render of a long generated
document, either early (while it lays out: as soon as /proc/PID/status shows
the CLI's handler installed, then frozen with SIGSTOP so "no temporary file
yet" is exact; never after a guessed delay) or while its temporary file
exists (caught by polling, then frozen with SIGSTOP so the check is exact):
the CLI's handler must remove the temporary file and exit 128 + the signal,
and an earlier output must stay unchanged.

Only the Python standard library is used.
"""
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CAT_DIR = os.path.join(HERE, "bad-inputs")
sys.path.insert(0, HERE)

OLD_OUTPUT = b"%PDF-1.4\n% an earlier, good render that must survive\n" + bytes(range(256))
TIME_S = 20.0
AS_BYTES = 1 << 30
RSS_KIB = 512 * 1024

HEAD = ("---\n"
        "parent: ĐẢNG BỘ TỈNH THANH HOÁ\n"
        "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\n"
        "number: 12-BC/ĐUK\n"
        "place: Thanh Hoá\n"
        "date: 2023-07-06\n"
        "kind: BÁO CÁO\n"
        "title: Kiểm tra đầu vào xấu\n"
        "---\n"
        "\n")
WORDS = "Cấp ủy các cấp tiếp tục quán triệt và thực hiện nghiêm túc chương trình công tác năm".split()


# ---------------------------------------------------------------- generators

def words_to(n):
    """Vietnamese words joined by spaces, exactly n characters."""
    out, size, i = [], 0, 0
    while size < n:
        w = WORDS[i % len(WORDS)]
        out.append(w)
        size += len(w) + 1
        i += 1
    return " ".join(out)[:n].rstrip() + "." if n > 1 else "."


def generate(spec):
    """The text of a generated source (inputs too large to keep in the repository)."""
    kind = spec["kind"]
    if kind == "paragraph":          # one paragraph of `chars` characters on one line
        text = words_to(spec["chars"])
        return HEAD + text + "\n"
    if kind == "table":              # a two-column table with `rows` body rows
        rows = ["| STT | NỘI DUNG |", "|:---:|:---|"] + ["| %d | Dòng %d |" % (i, i) for i in range(1, spec["rows"] + 1)]
        return HEAD + "\n".join(rows) + "\n"
    if kind == "big-source":         # paragraphs up to `bytes` bytes
        para = (words_to(600) + "\n\n").encode("utf-8")
        n = (spec["bytes"] - len(HEAD.encode("utf-8"))) // len(para) + 1
        return HEAD + (para * n).decode("utf-8")
    if kind == "pagebreaks":         # `count` one-line pages
        return HEAD + "Trang.\n\n\\pagebreak\n\n" * spec["count"]
    if kind == "heading":            # one heading of `chars` characters
        return HEAD + "# " + words_to(spec["chars"]) + "\n\nVăn bản.\n"
    if kind == "long":               # tests/gen_long.py
        import gen_long
        return gen_long.generate(spec["pages"])
    if kind == "repeat":             # `before`, then `unit` repeated to `bytes` bytes in all, then `after`
        pre, unit, post = spec.get("before", ""), spec["unit"], spec.get("after", "")
        fixed = len((HEAD + pre + post).encode("utf-8"))
        return HEAD + pre + unit * ((spec["bytes"] - fixed) // len(unit.encode("utf-8"))) + post
    if kind == "wide-table":         # `columns` columns, one body row: `long` cells of `chars` characters, the rest empty
        body = "Văn bản.\n\n# PHỤ LỤC 1\n\n# Bảng\n\n" + ("\\landscape\n\n" if spec.get("landscape") else "")
        cols, cell = spec["columns"], words_to(spec["chars"])
        row = [cell] * spec["long"] + [" "] * (cols - spec["long"])
        lines = ["|" + "|".join(" " for _ in range(cols)) + "|", "|" + "|".join("---" for _ in range(cols)) + "|",
                 "|" + "|".join(row) + "|"]
        return HEAD + body + "\n".join(lines) + "\n"
    raise ValueError("unknown generator %r" % kind)


# ---------------------------------------------------------------- running

class Checker(object):
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s  %s%s" % ("PASS" if ok else "FAIL", name, ("  " + detail) if detail and not ok else ""))
        sys.stdout.flush()
        return ok

    def note(self, text):
        print("NOTE  " + text)
        sys.stdout.flush()


def is_asan(cli):
    try:
        with open(cli, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def can_drop_dac():
    """Root ignores permission bits; without CAP_DAC_OVERRIDE it does not. Can setpriv drop it here?"""
    if not shutil.which("setpriv"):
        return False
    p = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p.returncode == 0


def base_env(run_dir):
    env = dict(os.environ)
    for k in ("VANBAN_FONTS", "VANBAN_LAYOUTS", "SOURCE_DATE_EPOCH", "LC_ALL", "LANG"):
        env.pop(k, None)
    env["FONTCONFIG_FILE"] = os.path.join(HERE, "fonts.conf")
    env["VANBAN_LAYOUTS"] = os.path.join(ROOT, "layouts")
    return env


class Run(object):
    def __init__(self, rc, out, err, secs, rss_kib, timed_out):
        self.rc, self.out, self.err, self.secs, self.rss, self.timed_out = rc, out, err, secs, rss_kib, timed_out


def run_cli(cmd, cwd, env, asan, fsize=None, timeout=TIME_S):
    """Runs cmd within the bounds; a Run with its exit status (-N: killed by signal N), output, wall time
    and the child's own peak RSS in KiB (from wait4, so other children do not count)."""
    def limits():
        if not asan:
            resource.setrlimit(resource.RLIMIT_AS, (AS_BYTES, AS_BYTES))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    if asan:
        timeout *= 3
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                             preexec_fn=limits)
        timed_out = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        secs = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read()
    return Run(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), secs, ru.ru_maxrss,
               timed_out)


# ---------------------------------------------------------------- one entry

def snapshot(d):
    """Every path under d, with the content of files, for before/after comparisons. Links, FIFOs and devices
    are recorded by what they are (a link by its target, a device by its numbers), never opened: reading a
    FIFO would wait for a writer."""
    out = {}
    for base, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(base, n)
            rel = os.path.relpath(p, d)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link to %s" % os.readlink(p)
            elif stat.S_ISDIR(st.st_mode):
                out[rel + "/"] = None
            elif stat.S_ISFIFO(st.st_mode):
                out[rel] = "fifo"
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                out[rel] = "device %d,%d" % (os.major(st.st_rdev), os.minor(st.st_rdev))
            elif not stat.S_ISREG(st.st_mode):
                out[rel] = "special %o" % st.st_mode
            else:
                try:
                    with open(p, "rb") as f:
                        out[rel] = f.read()
                except OSError as e:
                    out[rel] = "unreadable: %s" % e
    return out


def diff(before, after):
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    parts = []
    if added:
        parts.append("added %s" % added)
    if removed:
        parts.append("removed %s" % removed)
    if changed:
        parts.append("changed %s" % changed)
    return "; ".join(parts)


class Writable(object):
    """Temporarily gives the owner write permission on a folder (a read-only output folder's setup)."""

    def __init__(self, path):
        self.path, self.mode = path, None

    def __enter__(self):
        if os.path.isdir(self.path):
            self.mode = os.stat(self.path).st_mode & 0o777
            os.chmod(self.path, self.mode | 0o700)
        return self

    def __exit__(self, *a):
        if self.mode is not None:
            os.chmod(self.path, self.mode)


GEN_CACHE = {}


def make(item, d):
    """One item of an entry's "make" list, in its folder d: ["fifo", PATH], ["dir", PATH], ["null-device",
    PATH] (a character device 1,3 like /dev/null, made with mknod: root only), ["link", PATH, TARGET],
    ["copy", FILE, PATH] (FILE from this folder, or "{layouts}/NAME")."""
    kind = item[0]
    path = os.path.join(d, item[2] if kind == "copy" else item[1])
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        os.makedirs(path)
    elif kind == "null-device":
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    elif kind == "link":
        os.symlink(item[2], path)
    elif kind == "copy":
        shutil.copy(os.path.join(CAT_DIR, item[1]) if "{layouts}" not in item[1] else expand(item[1], d), path)
    else:
        raise ValueError("unknown make item %r" % (item,))


def needs_root(entry):
    return any(item[0] == "null-device" for item in entry.get("make", []))


FONT_DIR = "/usr/share/fonts/truetype/liberation2"


def damaged_fonts(spec, d):
    """A fonts/ folder for --fonts: the four Liberation Serif faces, the Regular one damaged as spec
    says ({"table": TAG, "damage": "fill" (every byte 0xFF) | "short" (its length in the table
    directory cut to 4 bytes)} or {"damage": "truncate"}: the file cut in half). Made from the
    installed font at each run: no font file is kept in the repository."""
    import struct
    fd = os.path.join(d, "fonts")
    os.makedirs(fd)
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(os.path.join(FONT_DIR, "LiberationSerif-%s.ttf" % style), fd)
    path = os.path.join(fd, "LiberationSerif-Regular.ttf")
    data = bytearray(open(path, "rb").read())
    if spec["damage"] == "truncate":
        del data[len(data) // 2:]
    else:
        ntab = struct.unpack(">H", data[4:6])[0]
        for i in range(ntab):
            rec = 12 + 16 * i
            tag, _, off, ln = struct.unpack(">4sIII", data[rec:rec + 16])
            if tag.decode("latin-1") != spec["table"]:
                continue
            if spec["damage"] == "fill":
                data[off:off + ln] = b"\xff" * ln
            else:
                data[rec + 12:rec + 16] = struct.pack(">I", 4)
            break
        else:
            raise ValueError("no table %r" % spec["table"])
    with open(path, "wb") as f:
        f.write(data)


def prepare(entry, tmp):
    """The entry's folder: its files copied or generated, its setup applied. Returns (dir, src, out)."""
    d = os.path.join(tmp, entry["name"])
    os.makedirs(d)
    os.chmod(d, 0o755)
    for f in ([entry["source"]] if entry.get("source") else []) + entry.get("files", []):
        shutil.copy(os.path.join(CAT_DIR, f), os.path.join(d, f))
    src = entry.get("src") or entry.get("source") or entry["name"] + ".md"
    if "generate" in entry:
        key = json.dumps(entry["generate"], sort_keys=True)
        if key not in GEN_CACHE:
            GEN_CACHE[key] = generate(entry["generate"]).encode("utf-8")
        with open(os.path.join(d, src), "wb") as f:
            f.write(GEN_CACHE[key])
    if "font_damage" in entry:
        damaged_fonts(entry["font_damage"], d)
    out = entry.get("out", "out/result.pdf")
    outdir = os.path.dirname(out)
    setup = entry.get("setup")
    if setup != "missing-outdir" and outdir:
        os.makedirs(os.path.join(d, outdir), exist_ok=True)
    for item in entry.get("make", []):
        make(item, d)
    if setup == "output-is-dir":
        os.makedirs(os.path.join(d, out))
    elif setup == "source-is-dir":
        os.makedirs(os.path.join(d, src))
    elif setup == "readonly-outdir":
        os.chmod(os.path.join(d, outdir or "."), 0o555)
    return d, src, out


def expand(text, d):
    return text.replace("{layouts}", os.path.join(ROOT, "layouts")).replace("{dir}", d)


def without_fit(err):
    """stderr without the fit-to-issue warnings ([issue.*]: no signer, no recipients...), which these
    minimal documents all have and tests/test_check.py tests; every other line is kept."""
    return "\n".join(l for l in err.split("\n") if not re.search(r": warning: .* \[issue\.[a-z_]+\]$", l))


def entry_cmd(cli, entry, src, out, root_drop):
    cmd = [cli] + entry.get("command", ["render", src, "-o", out]) + entry.get("args", [])
    if root_drop:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] + cmd
    return cmd


def check_run(ck, label, entry, run, d, asan):
    want_err = expand(entry["stderr"], d)
    got = run.err[:-1] if run.err.endswith("\n") else run.err
    got = without_fit(got)
    ok = ck.check(label + ".exit", run.rc == entry["exit"], "exit %s, want %s; stderr %r" % (run.rc, entry["exit"], run.err[:400]))
    ck.check(label + ".stderr", got == want_err, "\n      got:  %r\n      want: %r" % (got, want_err))
    ck.check(label + ".stdout", run.out == "", repr(run.out[:200]))
    # an entry may set tighter bounds ("max_seconds", "max_rss_mib"), relaxed alike for AddressSanitizer
    tbound = entry.get("max_seconds", TIME_S) * (3 if asan else 1)
    rbound = entry.get("max_rss_mib", RSS_KIB // 1024) * 1024 * (4 if asan else 1)
    ck.check(label + ".bounded", not run.timed_out and run.secs < tbound and (run.rss or 0) < rbound,
             "%.1f s (bound %.0f s%s), peak RSS %s MiB (bound %d MiB)" % (
                 run.secs, tbound, ", timed out" if run.timed_out else "", (run.rss or 0) // 1024,
                 rbound // 1024))
    return ok


def run_entry(ck, cli, entry, tmp, asan, root_drop_ok):
    name = entry["name"]
    if needs_root(entry) and os.geteuid() != 0:
        ck.note("%s: skipped: making a device node (mknod) needs root" % name)
        return
    d, src, out = prepare(entry, tmp)
    outdir = os.path.join(d, os.path.dirname(out) or ".")
    setup = entry.get("setup")
    root_drop = setup == "readonly-outdir" and os.geteuid() == 0
    if root_drop and not root_drop_ok:
        ck.note("%s: skipped: running as root, and setpriv cannot drop CAP_DAC_OVERRIDE here, so no folder is "
                "read-only to us" % name)
        return
    env = base_env(d)
    for k, v in entry.get("env", {}).items():
        env[k] = expand(v, d)
    fsize = entry["ulimit_f"] * 1024 if "ulimit_f" in entry else None
    cmd = entry_cmd(cli, entry, src, out, root_drop)
    success = entry["exit"] == 0

    # a) no output before
    before = snapshot(d)
    run = run_cli(cmd, d, env, asan, fsize)
    check_run(ck, name, entry, run, d, asan)
    after = snapshot(d)
    if success:
        pdf = after.get(out)
        ck.check(name + ".output", isinstance(pdf, bytes) and pdf.startswith(b"%PDF-") and
                 set(after) == set(before) | {out}, diff(before, after) or "no PDF at %s" % out)
    else:
        ck.check(name + ".nothing_written", after == before, diff(before, after))

    # b) over an existing output: a failure keeps it byte-identical, a success replaces it
    if setup in ("missing-outdir", "output-is-dir", "same-file") or entry.get("command") or \
            any(item[1] == out for item in entry.get("make", [])):
        return
    with Writable(outdir):
        with open(os.path.join(d, out), "wb") as f:
            f.write(OLD_OUTPUT)
    before = snapshot(d)
    run2 = run_cli(cmd, d, env, asan, fsize)
    after = snapshot(d)
    if success:
        pdf = after.get(out)
        ck.check(name + ".replaces_existing", run2.rc == 0 and isinstance(pdf, bytes) and pdf.startswith(b"%PDF-") and
                 set(after) == set(before), "exit %d; %s" % (run2.rc, diff(before, after)))
    else:
        ck.check(name + ".keeps_existing", run2.rc == run.rc and run2.err == run.err and after == before,
                 "exit %d; %s%s" % (run2.rc, diff(before, after) or "unchanged",
                                    "" if run2.err == run.err else "; a different message: %r" % run2.err[:300]))


# ---------------------------------------------------------------- interrupts

def temp_files(outdir, out_base):
    try:
        return [n for n in os.listdir(outdir) if n.startswith("." + out_base + ".")]
    except OSError:
        return []


def sig_caught(pid, sig):
    """True when the process has a handler for sig (the SigCgt mask of /proc/PID/status); None when the
    status cannot be read (the process is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    except OSError:
        return None
    raise RuntimeError("/proc/%d/status has no SigCgt line: this test needs Linux's /proc" % pid)


def wait_handler(p, sig, timeout):
    """Waits until the running child p has installed its handler for sig: a state, not a guess at a delay.
    False when p ended or the time ran out first. Popen returns after the exec, so the mask read is the
    CLI's own, not this script's (which catches SIGINT) inherited across the fork."""
    t0 = time.monotonic()
    while p.poll() is None and time.monotonic() - t0 < timeout:
        if sig_caught(p.pid, sig):
            return True
        time.sleep(0.0005)
    return False


def wait_stopped(p, timeout):
    """Waits until the child p is stopped (state T in /proc/PID/stat) after a SIGSTOP."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            with open("/proc/%d/stat" % p.pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("T", "t"):
                    return True
        except OSError:
            return False
        time.sleep(0.0005)
    return False


def interrupt_once(cli, entry, d, src, out, env, asan):
    """One render, interrupted as the entry says. Returns (caught, rc, stderr): caught is False when the
    render ended before the moment the entry asks for, so the try proves nothing."""
    spec = entry["interrupt"]
    sig = getattr(signal, spec["signal"])
    outdir = os.path.join(d, os.path.dirname(out) or ".")
    base = os.path.basename(out)

    def limits():
        if not asan:
            resource.setrlimit(resource.RLIMIT_AS, (AS_BYTES, AS_BYTES))
    with tempfile.TemporaryFile() as fe:
        p = subprocess.Popen([cli, "render", src, "-o", out] + entry.get("args", []), cwd=d, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=fe, preexec_fn=limits)
        caught = False
        t0 = time.monotonic()
        try:
            if spec["when"] == "early":
                # while it reads and lays out, long before the PDF is written: as soon as the kernel shows the
                # handler installed (main installs it first thing), frozen so that "no temporary file yet" is
                # a fact when the signal is sent
                if wait_handler(p, sig, TIME_S * (3 if asan else 1)):
                    p.send_signal(signal.SIGSTOP)
                    if wait_stopped(p, TIME_S) and not temp_files(outdir, base):
                        p.send_signal(sig)
                        caught = True
                    p.send_signal(signal.SIGCONT)
            else:
                while p.poll() is None and time.monotonic() - t0 < TIME_S * (3 if asan else 1):
                    names = temp_files(outdir, base)
                    if names:
                        # frozen (seen stopped in /proc, not merely sent SIGSTOP), the file's presence is a fact:
                        # it is renamed only after we resume, and the pending signal is handled first
                        p.send_signal(signal.SIGSTOP)
                        if wait_stopped(p, TIME_S) and os.path.exists(os.path.join(outdir, names[0])):
                            p.send_signal(sig)
                            caught = True
                        p.send_signal(signal.SIGCONT)
                        break
            p.wait(timeout=TIME_S * (3 if asan else 1))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        fe.seek(0)
        err = fe.read().decode("utf-8", "replace")
    return caught, p.returncode, err


def run_interrupt(ck, cli, entry, tmp, asan):
    name = entry["name"]
    d, src, out = prepare(entry, tmp)
    env = base_env(d)
    tries = entry["interrupt"].get("tries", 10)
    for attempt in range(tries):
        with open(os.path.join(d, out), "wb") as f:
            f.write(OLD_OUTPUT)
        before = snapshot(d)
        caught, rc, err = interrupt_once(cli, entry, d, src, out, env, asan)
        after = snapshot(d)
        if not caught:
            continue
        # the shell's convention, 128 + N; Python shows a death by the signal itself as -N
        ck.check(name + ".exit", rc == entry["exit"], "exit %s, want %s (attempt %d)" % (rc, entry["exit"], attempt + 1))
        ck.check(name + ".stderr", without_fit(err) == expand(entry["stderr"], d), repr(err[:300]))
        ck.check(name + ".no_temp_and_output_kept", after == before, diff(before, after))
        return
    ck.check(name + ".caught", False, "the render always finished before the moment to interrupt it (%d tries)" % tries)


# ---------------------------------------------------------------- main

def load_catalogue():
    with open(os.path.join(CAT_DIR, "catalogue.json"), encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    show = "--show" in argv
    if not args:
        print("usage: test_bad_inputs.py path/to/vanban [--show] [NAME...]", file=sys.stderr)
        return 2
    cli = os.path.abspath(args[0])
    only = set(args[1:])
    cat = load_catalogue()
    entries = [e for e in cat["entries"] if not only or e["name"] in only]
    ck = Checker()
    if not ck.check("cli.present", os.access(cli, os.X_OK), cli):
        return 1
    names = [e["name"] for e in cat["entries"]]
    ck.check("catalogue.names_unique", len(names) == len(set(names)), str(sorted(n for n in names if names.count(n) > 1)))
    for e in cat["entries"]:
        for f in ([e["source"]] if e.get("source") else []) + e.get("files", []):
            if not os.path.isfile(os.path.join(CAT_DIR, f)):
                ck.check("catalogue.%s.file" % e["name"], False, "no tests/bad-inputs/%s" % f)
    asan = is_asan(cli)
    if asan:
        ck.note("AddressSanitizer build: no ulimit -v, time and RSS bounds relaxed")
    root_drop_ok = os.geteuid() != 0 or can_drop_dac()
    tmp = tempfile.mkdtemp(prefix="vb-bad-inputs-")
    try:
        for e in entries:
            if show:
                d, src, out = prepare(e, tmp)
                env = base_env(d)
                for k, v in e.get("env", {}).items():
                    env[k] = expand(v, d)
                if "interrupt" in e:
                    print("%-32s (interrupt entry)" % e["name"])
                    continue
                fsize = e["ulimit_f"] * 1024 if "ulimit_f" in e else None
                r = run_cli(entry_cmd(cli, e, src, out, e.get("setup") == "readonly-outdir" and os.geteuid() == 0),
                            d, env, asan, fsize)
                print("%-32s exit %d  %.2f s  %d MiB\n    %s" % (e["name"], r.rc, r.secs, (r.rss or 0) // 1024,
                                                                r.err.rstrip("\n").replace(d, "{dir}")))
                continue
            if "interrupt" in e:
                run_interrupt(ck, cli, e, tmp, asan)
            else:
                run_entry(ck, cli, e, tmp, asan, root_drop_ok)
    finally:
        for base, dirs, _ in os.walk(tmp):
            for n in dirs:
                try:
                    os.chmod(os.path.join(base, n), 0o755)
                except OSError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)
    if show:
        return 0
    print("%d entries; %d passed, %d failed" % (len(entries), ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
