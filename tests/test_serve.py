#!/usr/bin/env python3
"""vanban watch --serve: the preview page in a real browser (headless Chromium, DevTools protocol over a pipe).

`vanban watch 'doc<i>.md' --serve 127.0.0.1:0 --overlay` runs on a copy of a small sample (its name
has HTML in it, to see that the page escapes it). The command prints the URL it bound; then:

  - HTTP, with a plain client: the page (text/html), /state.json (JSON, the source's name escaped:
    no "<i>" in the bytes), /page/1.png (a PNG), /page/99.png (404), /events (text/event-stream,
    "data: rendered N"), a foreign Host header (403), a POST (405);
  - Chromium loads the page: a word of the document in the page's text layer, every page's image
    loaded; the overlay checkbox draws the regulation's numbered boxes, and hides them;
  - an editor's save adds a new word: it appears in the page without a reload (a mark set on the
    window survives), the images' URLs change and the page's PNG is drawn again (other bytes);
  - a bad date: the page shows the error with its file:line:col, the source line and a caret, the
    last good pages dimmed below, the file name as text (no <i> element made of it);
  - the date fixed: the error goes, the pages come back;
  - the server stopped (SIGINT: exit status 0 with the browser connected), the source edited, the
    server started again on the same port: the page reconnects and shows the new word, no reload.

Every wait polls with a generous timeout (the machine is shared); nothing asserts a speed.
Also: an address that is not loopback is refused (exit status 2) before anything is rendered, and
`vanban render` neither links nor loads libmicrohttpd (ldd, and LD_DEBUG=libs of a real render).
"""
import fcntl
import http.client
import json
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
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402

TIMEOUT = 90  # seconds for one wait: generous, the machine is shared
SAMPLE = "samples/party36/giay-moi.md"
SRC = "doc<i>.md"
SERVING = re.compile(r"^serving the preview at (http://127\.0\.0\.1:(\d+)/)$")
RENDERED = re.compile(r"^\d\d:\d\d:\d\d rendered ")


class Lines(object):
    """A process's output lines in a queue, read by a thread per pipe (so the pipes never fill)."""

    def __init__(self, *pipes):
        self.q = queue.Queue()
        self.all = []
        self.open = len(pipes)
        for f in pipes:
            threading.Thread(target=self._read, args=(f,), daemon=True).start()

    def _read(self, f):
        for raw in iter(f.readline, b""):
            self.q.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self.q.put(None)  # this pipe is closed

    def until(self, pattern, timeout=TIMEOUT):
        """The first match of pattern in the lines to come; None at the timeout or when every pipe closed."""
        end = time.monotonic() + timeout
        while self.open:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.q.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self.open -= 1
                continue
            self.all.append(line)
            m = pattern.search(line)
            if m:
                return m
        return None


class Server(object):
    """vanban watch --serve, in tmp; url and port once it printed them."""

    def __init__(self, cli, tmp, addr, layouts):
        self.p = subprocess.Popen([cli, "watch", SRC, "--serve", addr, "--overlay", "--layouts", layouts],
                                  cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = Lines(self.p.stdout, self.p.stderr)
        m = self.lines.until(SERVING)
        self.url, self.port = (m.group(1), int(m.group(2))) if m else (None, None)

    def stop(self):
        """SIGINT; the exit status (None when it did not end)."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
        try:
            return self.p.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


class Browser(object):
    """Headless Chromium driven through the DevTools protocol over a pipe (--remote-debugging-pipe:
    JSON messages ended by a NUL byte, chromium reading fd 3 and writing fd 4), attached to its page."""

    last_lines = []

    def __init__(self, tmp):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        # chromium's ends moved to 10 and above first, so that "3<&A 4>&B" cannot overwrite one with the
        # other (bash: dash takes one-digit descriptors only)
        to_r, from_w = [self._high(fd) for fd in (to_r, from_w)]
        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--no-proxy-server",
                "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(tmp, "chromium-profile"),
                "about:blank"]
        self.p = subprocess.Popen(["bash", "-c", 'exec "$0" "$@" 3<&%d 4>&%d' % (to_r, from_w)] + args,
                                  pass_fds=(to_r, from_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, start_new_session=True)
        os.close(to_r)
        os.close(from_w)
        self.lines = Lines(self.p.stderr)
        Browser.last_lines = self.lines.all
        self.replies = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.n = 0
        self.session = None
        targets = self.call("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"]
        target = page[0]["targetId"] if page else self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    @staticmethod
    def _high(fd):
        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def _read(self):
        buf = b""
        while True:
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                self.replies.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                m = json.loads(msg.decode("utf-8"))
                if "id" in m:
                    self.replies.put(m)

    def call(self, method, **params):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params}
        if self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self.to_w, data):]
        while True:
            m = self.replies.get(timeout=TIMEOUT)
            if m is None:
                raise RuntimeError("chromium closed its pipe: %s" % "\n".join(self.lines.all[-5:]))
            if m["id"] == self.n:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]

    def js(self, expr):
        """The value of a JS expression (promises awaited); None when it throws."""
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            return None
        return r["result"].get("value")

    def wait(self, expr, timeout=TIMEOUT):
        """Polls expr until it is truthy; its last value."""
        end = time.monotonic() + timeout
        while True:
            v = self.js(expr)
            if v or time.monotonic() > end:
                return v
            time.sleep(0.1)

    def close(self):
        os.close(self.to_w)
        try:
            os.killpg(self.p.pid, signal.SIGTERM)
            self.p.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.p.wait()
        os.close(self.from_r)


def save_by_rename(path, text):
    """As an editor saves: a new file beside it, renamed over it."""
    tmp = os.path.join(os.path.dirname(path), ".#new")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def get(url, path, headers=None, method="GET"):
    """(status, headers dict lower-cased, body bytes)."""
    m = re.match(r"http://([^:/]+):(\d+)/", url)
    c = http.client.HTTPConnection(m.group(1), int(m.group(2)), timeout=TIMEOUT)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def first_event(url):
    """The event stream's content type and its lines up to the first "data:" line."""
    m = re.match(r"http://([^:/]+):(\d+)/", url)
    c = http.client.HTTPConnection(m.group(1), int(m.group(2)), timeout=TIMEOUT)
    c.request("GET", "/events")
    r = c.getresponse()
    lines = []
    while len(lines) < 20:
        line = r.fp.readline().decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        if line.startswith("data:"):
            break
    c.close()
    return r.getheader("Content-Type", ""), lines


PAGES_TEXT = "document.getElementById('pages').textContent"


class Checks(object):
    """pdfcheck's checker, the detail printed only for a failed check."""

    def __init__(self, ck):
        self.ck = ck

    def check(self, name, ok, detail=""):
        self.ck.check(name, bool(ok), "" if ok else str(detail)[:2000])


def browser_checks(ck, cli, tmp, layouts):
    src = os.path.join(tmp, SRC)
    text = open(SAMPLE, encoding="utf-8").read()
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    date_line = next(i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("date: "))

    srv = Server(cli, tmp, "127.0.0.1:0", layouts)
    ck.check("serve.url-printed", srv.url is not None and srv.port > 0, "\n".join(srv.lines.all[-5:]))
    if srv.url is None:
        srv.stop()
        return
    ck.check("serve.first-render", srv.lines.until(RENDERED) is not None, "\n".join(srv.lines.all[-5:]))
    # the line is printed before the server draws the pages: the state follows
    end = time.monotonic() + TIMEOUT
    while b'"version":0,' in get(srv.url, "/state.json")[2] and time.monotonic() < end:
        time.sleep(0.1)

    # plain HTTP
    st, h, body = get(srv.url, "/")
    ck.check("http.page", st == 200 and h.get("content-type", "").startswith("text/html") and b"EventSource" in body,
             "%d %s" % (st, h.get("content-type")))
    st, h, body = get(srv.url, "/state.json")
    try:
        state = json.loads(body.decode("utf-8"))
    except ValueError:
        state = {}
    ck.check("http.state", st == 200 and state.get("ok") is True and state.get("version", 0) >= 1
             and state.get("source") == SRC and len(state.get("pages", [])) >= 1, body[:200])
    ck.check("http.state-escaped", b"<i>" not in body and b"doc\\u003ci\\u003e.md" in body, body[:200])
    st, h, body = get(srv.url, "/page/1.png?v=x")
    ck.check("http.png", st == 200 and h.get("content-type") == "image/png" and body[:8] == b"\x89PNG\r\n\x1a\n",
             "%d %s" % (st, h.get("content-type")))
    st, _, _ = get(srv.url, "/page/99.png")
    ck.check("http.png-missing", st == 404, str(st))
    st, h, body = get(srv.url, "/boxes.json")
    try:
        boxes = json.loads(body.decode("utf-8"))["pages"]
    except (ValueError, KeyError):
        boxes = []
    ck.check("http.boxes", st == 200 and boxes and any(b["official"] > 0 and b["name"] for b in boxes[0]),
             body[:200])
    ctype, ev = first_event(srv.url)
    ck.check("http.events", ctype.startswith("text/event-stream") and re.match(r"^data: rendered \d+$", ev[-1]),
             "%s %r" % (ctype, ev))
    st, _, _ = get(srv.url, "/state.json", headers={"Host": "attacker.example:%d" % srv.port})
    ck.check("http.foreign-host", st == 403, str(st))
    st, _, _ = get(srv.url, "/state.json", method="POST")
    ck.check("http.post", st == 405, str(st))

    try:
        b = Browser(tmp)
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        ck.check("browser.start", False, "%s; chromium said: %s" % (e, "\n".join(Browser.last_lines[-10:])))
        srv.stop()
        return
    try:
        b.call("Page.navigate", url=srv.url)
        ok = b.wait("document.body && document.body.dataset.state === 'ok' && %s.includes('Hạc Thành')" % PAGES_TEXT)
        ck.check("browser.text", ok, repr(b.js(PAGES_TEXT + ".slice(0, 200)")))
        npages = len(state.get("pages", []))
        imgs = b.wait("(() => { const i = [...document.querySelectorAll('#pages img')];"
                      " return i.length === %d && i.every(x => x.complete && x.naturalWidth > 700) && i.length; })()"
                      % npages)
        ck.check("browser.images", imgs == npages, "%r of %d" % (imgs, npages))
        b.js("window.__mark = 'kept'")
        src1 = b.js("document.querySelector('#pages img').getAttribute('src')")

        # the overlay: a checkbox, the numbered boxes drawn, and hidden again
        visible = b.js("!document.getElementById('ovl').hidden")
        b.js("document.getElementById('boxes').click()")
        n = b.wait("document.querySelectorAll('#pages .box.official').length")
        shown = b.js("getComputedStyle(document.querySelector('#pages .boxes')).display")
        label = b.js("document.querySelector('#pages .box.official b').textContent")
        ck.check("browser.overlay-on", visible and n and shown == "block" and label.startswith("ô "),
                 "%r %r %r %r" % (visible, n, shown, label))
        b.js("document.getElementById('boxes').click()")
        hidden = b.wait("getComputedStyle(document.querySelector('#pages .boxes')).display === 'none'")
        ck.check("browser.overlay-off", hidden)

        # an edit: the new word, without a reload
        word = "Zanzibarquetzal"
        text2 = text.rstrip("\n") + "\n\nTừ khóa kiểm tra: %s.\n" % word
        png1 = get(srv.url, "/page/1.png")[2]
        save_by_rename(src, text2)
        ok = b.wait("%s.includes('%s')" % (PAGES_TEXT, word))
        src2 = b.js("document.querySelector('#pages img').getAttribute('src')")
        ck.check("browser.edit", ok and b.js("window.__mark") == "kept" and src2 != src1,
                 "%r %r %r" % (ok, src1, src2))
        png2 = get(srv.url, "/page/1.png")[2]
        ck.check("http.png-redrawn", png2[:8] == b"\x89PNG\r\n\x1a\n" and png2 != png1)

        # a bad date: the error in the page, the last good pages dimmed
        broken = text2.replace("date: 2025-10-06", "date: 2025-13-06")
        save_by_rename(src, broken)
        where = "%s:%d:7: error: " % (SRC, date_line)
        ok = b.wait("document.body.dataset.state === 'error' && "
                    "document.getElementById('errors').textContent.includes(%s)" % json.dumps(where))
        errors = b.js("document.getElementById('errors').innerText") or ""
        ck.check("browser.error", ok and "[frontmatter.date]" in errors, repr(errors[:300]))
        ck.check("browser.error-source", re.search(r"\n?\s*%d \| date: 2025-13-06\n\s*\|\s{7}\^" % date_line,
                                                   errors) is not None, repr(errors[:400]))
        ck.check("browser.error-escaped", b.js("document.querySelector('#errors i, #bar i, #pages i') === null")
                 and SRC in errors)
        ck.check("browser.error-dimmed", b.js("document.getElementById('pages').classList.contains('stale')")
                 and b.js("getComputedStyle(document.getElementById('errors')).display") == "block"
                 and word in (b.js(PAGES_TEXT) or "") and b.js("window.__mark") == "kept")

        # fixed: the pages again
        save_by_rename(src, text2)
        ok = b.wait("document.body.dataset.state === 'ok' && "
                    "!document.getElementById('pages').classList.contains('stale') && "
                    "getComputedStyle(document.getElementById('errors')).display === 'none'")
        ck.check("browser.fixed", ok and word in (b.js(PAGES_TEXT) or "") and b.js("window.__mark") == "kept")

        # the server stops and starts again on the same port: the page reconnects
        rc = srv.stop()
        ck.check("serve.sigint", rc == 0, "exit status %r" % rc)
        down = b.wait("document.getElementById('bar').className === 'off'")
        ck.check("browser.disconnected", down)
        word2 = "Quokkavelvet"
        save_by_rename(src, text2.replace(word, word2))
        port = srv.port
        for _ in range(60):  # the port may be held for a moment by another program's connection: try again
            srv = Server(cli, tmp, "127.0.0.1:%d" % port, layouts)
            if srv.url is not None or srv.p.wait(timeout=TIMEOUT) != 3:
                break
            time.sleep(0.5)
        ck.check("serve.restart", srv.url is not None, "\n".join(srv.lines.all[-5:]))
        ok = b.wait("%s.includes('%s') && document.body.dataset.state === 'ok'" % (PAGES_TEXT, word2))
        ck.check("browser.reconnect", ok and b.js("window.__mark") == "kept",
                 repr((b.js(PAGES_TEXT) or "")[-200:]))
    finally:
        b.close()
        rc = srv.stop()
    ck.check("serve.sigint-2", rc == 0, "exit status %r" % rc)


def main(argv):
    ck0, cli = pdfcheck.checker_and_cli(argv)
    if not cli:
        return ck0.done()
    ck = Checks(ck0)
    cli = os.path.abspath(cli)
    layouts = os.path.abspath("layouts")
    serve_prog = os.path.join(os.path.dirname(cli), "vanban-serve")

    # vanban render links and loads neither libmicrohttpd nor cairo; vanban-serve links libmicrohttpd
    rc, out, _ = pdfcheck.run(["ldd", cli])
    ck.check("render.ldd", rc == 0 and "libhpdf" in out and "microhttpd" not in out and "cairo" not in out, out)
    rc, out, _ = pdfcheck.run(["ldd", serve_prog])
    ck.check("serve.ldd", rc == 0 and "libmicrohttpd" in out, out)
    tmp = tempfile.mkdtemp(prefix="vb-serve-")
    try:
        env = dict(os.environ, LD_DEBUG="libs")
        rc, _, err = pdfcheck.run([cli, "render", SAMPLE, "-o", os.path.join(tmp, "x.pdf")], env=env)
        loaded = [ln for ln in err.split("\n") if "calling init:" in ln]
        ck.check("render.loaded", rc == 0 and any("libhpdf" in ln for ln in loaded)
                 and not any("microhttpd" in ln or "cairo" in ln for ln in loaded), "\n".join(loaded))

        # addresses: loopback only
        shutil.copy(SAMPLE, os.path.join(tmp, "a.md"))
        for addr in ["0.0.0.0:8265", "192.168.1.10", "[::]:8265", "example.com:80", "=10.0.0.1:80",
                     "127.0.0.2:8265", "127.0.0.1:65536", "localhost:http"]:
            args = ["--serve" + addr] if addr.startswith("=") else ["--serve", addr]
            rc, out, err = pdfcheck.run([cli, "watch", "a.md"] + args, cwd=tmp, timeout=60)
            ck.check("addr.refused %s" % addr, rc == 2 and "vanban: --serve" in err and "rendered" not in out
                     and not os.path.exists(os.path.join(tmp, "a.pdf")), "rc %d %r" % (rc, err))
        rc, _, err = pdfcheck.run([cli, "watch", "a.md", "--overlay"], cwd=tmp, timeout=60)
        ck.check("addr.overlay-alone", rc == 2 and "--overlay goes with --serve" in err, "rc %d %r" % (rc, err))
        rc, out, _ = pdfcheck.run([cli, "watch", "--help"], timeout=60)
        ck.check("help", rc == 0 and "--serve [ADDR]" in out and "--overlay" in out)

        # a file name that is not UTF-8, with HTML in it, and a broken source: the state is still JSON
        bad = os.path.join(tmp.encode(), b"bad\xff<&>.md")
        with open(SAMPLE, encoding="utf-8") as f:
            text = f.read().replace("date: 2025-10-06", "date: 2025-13-06")
        with open(bad, "wb") as f:
            f.write(text.encode("utf-8"))
        p = subprocess.Popen([cli.encode(), b"watch", b"bad\xff<&>.md", b"--serve", b":0", b"--layouts", layouts.encode()],
                             cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = Lines(p.stdout, p.stderr)
        m = lines.until(SERVING)
        state, body = {}, b""
        end = time.monotonic() + TIMEOUT
        while m and time.monotonic() < end:
            body = get(m.group(1), "/state.json")[2]
            state = json.loads(body.decode("utf-8"))
            if state.get("version"):
                break
            time.sleep(0.1)
        p.send_signal(signal.SIGINT)
        rc = p.wait(timeout=TIMEOUT)
        diags = state.get("diags") or [{}]
        ck.check("http.state-not-utf8", rc == 0 and state.get("ok") is False and state.get("source") == "bad\ufffd<&>.md"
                 and not re.search(rb"[<>&]", body) and diags[0].get("id") == "frontmatter.date"
                 and diags[0].get("text", "").startswith("bad\ufffd<&>.md:7:7: error: ")
                 and "    7 | date: 2025-13-06\n      |       ^" in diags[0].get("source", ""), body[:600])

        if not shutil.which("chromium"):
            ck.check("chromium.present", False, "apt install chromium (scripts/deps.sh)")
        else:
            browser_checks(ck, cli, tmp, layouts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ck0.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
