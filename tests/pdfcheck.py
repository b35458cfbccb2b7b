"""pdfcheck - what the whole-program PDF tests share.

The tests render a source with the vanban CLI and read the PDF back with the
Debian tools, never with vanban's own code, so a bug cannot hide on both sides:

  mutool draw -F stext   characters: quad, origin (baseline), font name, size
  mutool draw -F trace   drawn paths: rules, underlines, table borders
  pdftotext -raw         the text layer, in content order, without de-hyphenation
  pdffonts, qpdf         embedding and syntax
  pdftoppm               glyph ink (the page number's digit top)

Geometry is in points from the top-left corner of the page unless a name says
mm. The source side (front matter, Markdown) is read here too, with a small
reader for the subset the test documents use, so that a test can compute the
words a PDF must contain.

Only the Python standard library is used.
"""
import collections
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

MM = 72.0 / 25.4  # points per millimetre


def mm(pt):
    return pt / MM


def run(cmd, cwd=None, env=None, timeout=120):
    """(returncode, stdout, stderr) as text; a missing program is rc 127."""
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except FileNotFoundError as e:
        return 127, "", str(e)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Checker(object):
    """Prints one line per check and a final "N passed, M failed"."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s  %s%s" % ("PASS" if ok else "FAIL", name, ("  " + detail) if detail else ""))
        sys.stdout.flush()
        return ok

    def note(self, text):
        print("NOTE  " + text)
        sys.stdout.flush()

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


# --------------------------------------------------------------------------
# Source side
# --------------------------------------------------------------------------

def split_source(text):
    """(front-matter lines, body text, 1-based line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ValueError("no front matter")
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return lines[1:i], "\n".join(lines[i + 1:]), i + 2
    raise ValueError("front matter not closed")


def _yaml_scalar(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        inner = s[1:-1]
        if s[0] == "'":
            return inner.replace("''", "'")
        return inner.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in inner else inner
    m = re.search(r"\s#", s)  # a comment after a plain scalar
    return (s[:m.start()] if m else s).strip()


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def parse_front_matter(lines):
    """The YAML subset of vanban front matters: top-level `key: scalar`,
    `key: |-` / `key: |` literal blocks, and `key:` followed by an indented
    list of scalars or a one-level mapping of scalars. Comments and blank
    lines are skipped. Anything else raises ValueError (the test then says
    its reader is too small, instead of guessing)."""
    out = {}
    i, n = 0, len(lines)

    def block(i):
        """Indented lines (and blank ones inside) from i; returns (lines, next i)."""
        got = []
        while i < n and (not lines[i].strip() or _indent(lines[i]) > 0):
            got.append(lines[i])
            i += 1
        while got and not got[-1].strip():
            got.pop()
        return got, i

    while i < n:
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        if _indent(line) != 0 or ":" not in line:
            raise ValueError("front matter line %d: %r" % (i + 1, line))
        key, _, rest = line.partition(":")
        key = key.strip()
        rest = rest.strip()
        i += 1
        if rest in ("|", "|-"):
            got, i = block(i)
            ind = min(_indent(g) for g in got if g.strip()) if got else 0
            val = "\n".join(g[ind:] for g in got)
            out[key] = val + ("\n" if rest == "|" else "")
        elif rest == "" or rest.startswith("#"):
            got, i = block(i)
            got = [g for g in got if g.strip() and not g.lstrip().startswith("#")]
            if got and got[0].lstrip().startswith("- ") or (got and got[0].strip() == "-"):
                out[key] = [_yaml_scalar(g.lstrip()[1:]) for g in got]
            else:
                sub = {}
                for g in got:
                    k, _, v = g.strip().partition(":")
                    sub[k.strip()] = _yaml_scalar(v)
                out[key] = sub
        else:
            out[key] = _yaml_scalar(rest)
    return out


_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _is_punct(ch):
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


_SCRIPT = re.compile(r"(?<![\\^~\[])([\^~])([^\s\^~\\\[\]]+)\1(?![\^~])")
_NOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s\^\[]+)\]")


def strip_inline(s, notes=None):
    """Markdown inline syntax removed: backslash escapes resolved, `*`/`_`
    emphasis delimiter runs dropped (a run is a delimiter when it is left- or
    right-flanking, as CommonMark says; `_` inside a word is literal);
    vanban's `^x^` and `~x~` give x, and with a dict `notes` a footnote
    reference `[^x]` gives its number (numbered in order of first use). Code
    spans and links are not handled: the test documents have none."""
    if notes is not None:
        s = _NOTE_REF.sub(lambda m: str(notes.setdefault(m.group(1), len(notes) + 1)), s)
    s = _SCRIPT.sub(lambda m: m.group(2), s)
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and s[i + 1] in _ASCII_PUNCT:
            out.append(s[i + 1])
            i += 2
            continue
        if c in "*_":
            j = i
            while j < n and s[j] == c:
                j += 1
            prev = s[i - 1] if i > 0 else " "
            nxt = s[j] if j < n else " "
            left = not nxt.isspace() and (not _is_punct(nxt) or prev.isspace() or _is_punct(prev))
            right = not prev.isspace() and (not _is_punct(prev) or nxt.isspace() or _is_punct(nxt))
            if c == "_" and left and right:
                out.append(s[i:j])  # intraword underscore
            elif not (left or right):
                out.append(s[i:j])
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


_TABLE_LINE = re.compile(r"^ {0,3}\|")
_DELIM_CELL = re.compile(r"^:?-+:?$")
_WIDTH = re.compile(r"\d[\d.,]*\s*(?:%|mm|cm|pt|in)")
_ROW_MARKER = re.compile(r"\|\s*\{[^{}|]*\}\s*$")
_CELL_MARKER = re.compile(r"^\{([^{}]*)\}\s*")
_STYLE_WORDS = {"normal", "bold", "italic", "left", "center", "centre", "right", "numbers"}
_BR = re.compile(r"<br\s*/?>", re.I)


def is_delim_cell(c):
    """A delimiter cell, with or without a width ("--- 30% ---", ":---: 25mm")."""
    return bool(_DELIM_CELL.match(re.sub(r"\s+", "", _WIDTH.sub("", c, count=1))))


def cell_text(c):
    """A cell's text without its style marker ("{center} 15") and with <br> as a space."""
    m = _CELL_MARKER.match(c)
    if m and m.group(1).replace(",", " ").split() and set(m.group(1).replace(",", " ").split()) <= _STYLE_WORDS:
        c = c[m.end():]
    return _BR.sub(" ", c)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def table_cells(line):
    """Cells of a pipe-table row (outer bars dropped, `\\|` kept as a bar, a
    style marker after the closing bar dropped)."""
    s = _ROW_MARKER.sub("|", line.strip())
    cells, cur, i = [], [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur.append("\\|")
            i += 2
            continue
        if s[i] == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(s[i])
        i += 1
    cells.append("".join(cur))
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]


def md_blocks(body):
    """The body as (kind, plain text) pairs in source order, Markdown syntax
    removed: kind is "heading", "para" or "cell"; delimiter rows, merge
    markers (`<`, `^`), `\\pagebreak` and blank lines give nothing."""
    out = []
    para = []
    notes = {}   # footnote label -> number, in order of first reference
    defs = []    # [label, [text lines]]: footnote definitions, printed at the foot of pages
    in_def = False

    def flush():
        if para:
            out.append(("para", " ".join(para)))
            del para[:]

    for line in body.split("\n"):
        d = re.match(r"^\s*\[\^([^\]\s\^]+)\]:\s*(.*)$", line)
        if d:
            flush()
            defs.append([d.group(1), [d.group(2)]])
            in_def = True
            continue
        if in_def and line.strip():
            defs[-1][1].append(line.strip())
            continue
        in_def = False
        if not line.strip():
            flush()
            continue
        # "-> centred <-", "-> right ->": the arrows are not printed
        t0 = line.strip()
        if t0.startswith("->"):
            line = t0[2:]
        if re.search(r"\s(<-|->)\s*$", line) or line.strip() in ("<-", "->"):
            line = re.sub(r"(<-|->)\s*$", "", line.rstrip())
        if line.strip() == "\\pagebreak":
            flush()
            continue
        if _TABLE_LINE.match(line):
            flush()
            cells = table_cells(line)
            if cells and all(is_delim_cell(c) for c in cells):
                continue
            for c in cells:
                if c in ("<", "^", ""):
                    continue
                c = cell_text(c)
                c = {"\\<": "<", "\\^": "^"}.get(c, c)
                out.append(("cell", strip_inline(c.replace("\\|", "|"))))
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            out.append(("heading", strip_inline(m.group(2) or "", notes)))
            continue
        if re.match(r"^ {0,3}([-+*]|\d{1,9}[.)])[ \t]", line):
            flush()  # vanban: a marker line starts a new paragraph
        t = line.strip()
        if t.endswith("\\"):
            t = t[:-1]
        para.append(strip_inline(t, notes))
    flush()
    for label, lines in sorted(defs, key=lambda d: notes.get(d[0], 0)):
        out.append(("note", "%d %s" % (notes.get(label, 0), strip_inline(" ".join(lines)))))
    return out


def words(text):
    return text.split()


# --------------------------------------------------------------------------
# PDF side: characters and lines (stext)
# --------------------------------------------------------------------------

class Char(object):
    __slots__ = ("c", "x0", "y0", "x1", "y1", "ox", "oy", "font", "size")

    @property
    def bold(self):
        return face(self.font)[0]

    @property
    def italic(self):
        return face(self.font)[1]


def face(fontname):
    """(bold, italic) from a font name such as ABCDEF+LiberationSerif-BoldItalic;
    mutool cuts long names ("LiberationSerif-BoldItal"), so a cut suffix counts."""
    n = fontname.split("+", 1)[-1].lower()
    bold = "bold" in n or "black" in n or "heavy" in n
    italic = "italic" in n or "oblique" in n or bool(re.search(r"(?:bold|-|,)it(?:a|al|ali)?$", n))
    return bold, italic


def face_name(bold, italic):
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic",
            (True, True): "bold italic"}[(bold, italic)]


class Line(object):
    """Characters on one baseline with no wide gap: a visual line segment."""

    def __init__(self, page, chars):
        self.page = page
        self.chars = sorted(chars, key=lambda c: c.ox)
        ink = [c for c in self.chars if not c.c.isspace()] or self.chars
        self.ink = ink
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.top = min(c.y0 for c in ink)
        self.bottom = max(c.y1 for c in ink)
        self.base = statistics.median(c.oy for c in ink)
        self.size = collections.Counter(round(c.size, 2) for c in ink).most_common(1)[0][0]
        self.sizes = sorted(set(round(c.size, 2) for c in ink))
        letters = [c for c in ink if c.c.isalnum()] or ink
        self.faces = collections.Counter(face(c.font) for c in letters)
        self.bold, self.italic = self.faces.most_common(1)[0][0]
        self.all_bold = all(face(c.font)[0] for c in letters)
        self.any_bold = any(face(c.font)[0] for c in letters)
        self.all_italic = all(face(c.font)[1] for c in letters)
        self.any_italic = any(face(c.font)[1] for c in letters)
        self.text = self._text()

    def _text(self):
        out, prev = [], None
        for c in self.chars:
            if prev is not None and not c.c.isspace() and not prev.c.isspace():
                if c.x0 - prev.x1 > 0.15 * max(c.size, prev.size):
                    out.append(" ")
            out.append(c.c)
            prev = c
        return re.sub(r"\s+", " ", "".join(out)).strip()

    @property
    def cx(self):
        return (self.x0 + self.x1) / 2.0

    def __repr__(self):
        return "<p%d %.1fmm %r>" % (self.page.n, mm(self.base), self.text[:40])


class Rule(object):
    """A horizontal or vertical drawn segment: x0..x1 at y (horizontal) or
    y0..y1 at x (vertical), with its thickness."""

    def __init__(self, x0, y0, x1, y1, thick, kind):
        self.x0, self.x1 = min(x0, x1), max(x0, x1)
        self.y0, self.y1 = min(y0, y1), max(y0, y1)
        self.thick, self.kind = thick, kind

    @property
    def y(self):
        return (self.y0 + self.y1) / 2.0

    @property
    def x(self):
        return (self.x0 + self.x1) / 2.0

    @property
    def length(self):
        return max(self.x1 - self.x0, self.y1 - self.y0)

    def __repr__(self):
        return "<rule %.1f-%.1f x %.1f-%.1f mm %s>" % (mm(self.x0), mm(self.x1), mm(self.y0), mm(self.y1), self.kind)


class Page(object):
    def __init__(self, n, w, h):
        self.n, self.w, self.h = n, w, h
        self.chars = []
        self.lines = []
        self.hrules = []
        self.vrules = []


def parse_stext(xml_text):
    """Pages with their characters from `mutool draw -F stext` XML."""
    pages = []
    root = ET.fromstring(xml_text)
    for n, pg in enumerate(root.iter("page"), 1):
        page = Page(n, float(pg.get("width")), float(pg.get("height")))
        for font in pg.iter("font"):
            fname, fsize = font.get("name", ""), float(font.get("size", "0"))
            for ch in font.iter("char"):
                c = Char()
                c.c = ch.get("c", "")
                if not c.c:
                    continue
                q = ch.get("quad")
                if q:
                    v = [float(t) for t in q.split()]
                    xs, ys = v[0::2], v[1::2]
                else:
                    v = [float(t) for t in ch.get("bbox").split()]
                    xs, ys = [v[0], v[2]], [v[1], v[3]]
                c.x0, c.x1, c.y0, c.y1 = min(xs), max(xs), min(ys), max(ys)
                c.ox = float(ch.get("x", c.x0))
                c.oy = float(ch.get("y", c.y1))
                c.font, c.size = fname, fsize
                page.chars.append(c)
        pages.append(page)
    return pages


def group_lines(page, split_em=1.5):
    """Lines of a page: characters grouped by baseline (within a quarter of
    the size), each group split where two inked characters are more than
    split_em times the size apart (two columns, table cells). Sorted top to
    bottom, then left to right."""
    chars = sorted(page.chars, key=lambda c: (c.oy, c.ox))
    groups = []
    for c in chars:
        if groups and abs(c.oy - groups[-1][0].oy) <= 0.25 * max(c.size, 1.0):
            groups[-1].append(c)
        else:
            groups.append([c])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c.ox)
        cur, last = [], None
        for c in g:
            if last is not None and not c.c.isspace() and c.x0 - last.x1 > split_em * max(c.size, last.size):
                lines.append(cur)
                cur = []
            cur.append(c)
            if not c.c.isspace():
                last = c
        if cur:
            lines.append(cur)
    out = [Line(page, l) for l in lines if any(not c.c.isspace() for c in l)]
    out.sort(key=lambda l: (round(l.base, 1), l.x0))
    return out


def parse_trace(xml_text):
    """Per page, (horizontal rules, vertical rules) from `mutool draw -F trace`:
    straight stroked segments and thin filled rectangles, in page space."""
    xml_text = re.sub(r"<\?xml[^>]*\?>", "", xml_text)
    root = ET.fromstring("<trace>" + xml_text + "</trace>")
    result = []
    for pg in root.iter("page"):
        hr, vr = [], []
        for el in pg.iter():
            if el.tag not in ("fill_path", "stroke_path"):
                continue
            m = [float(t) for t in el.get("transform", "1 0 0 1 0 0").split()]

            def tr(x, y, m=m):
                return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
            subs, cur = [], []
            for op in el:
                if op.tag == "moveto":
                    if cur:
                        subs.append(cur)
                    cur = [tr(float(op.get("x")), float(op.get("y")))]
                elif op.tag == "lineto":
                    cur.append(tr(float(op.get("x")), float(op.get("y"))))
                elif op.tag == "curveto":
                    cur.append(None)  # a curve: never a rule
                    cur.append(tr(float(op.get("x3")), float(op.get("y3"))))
                elif op.tag == "closepath":
                    if cur:
                        cur.append(cur[0])
                elif op.tag == "rect":
                    if cur:
                        subs.append(cur)
                    x, y = float(op.get("x", op.get("x1", "0"))), float(op.get("y", op.get("y1", "0")))
                    if op.get("w") is not None:
                        x2, y2 = x + float(op.get("w")), y + float(op.get("h"))
                    else:
                        x2, y2 = float(op.get("x2")), float(op.get("y2"))
                    subs.append([tr(x, y), tr(x2, y), tr(x2, y2), tr(x, y2), tr(x, y)])
                    cur = []
            if cur:
                subs.append(cur)
            scale = abs(m[0] * m[3] - m[1] * m[2]) ** 0.5 or 1.0
            lw = float(el.get("linewidth", "1")) * scale
            for sp in subs:
                if None in sp:
                    continue
                if el.tag == "stroke_path":
                    for a, b in zip(sp, sp[1:]):
                        if abs(a[1] - b[1]) < 0.05 and abs(a[0] - b[0]) > 1:
                            hr.append(Rule(a[0], a[1], b[0], b[1], lw, "stroke"))
                        elif abs(a[0] - b[0]) < 0.05 and abs(a[1] - b[1]) > 1:
                            vr.append(Rule(a[0], a[1], b[0], b[1], lw, "stroke"))
                else:
                    xs, ys = [p[0] for p in sp], [p[1] for p in sp]
                    w, h = max(xs) - min(xs), max(ys) - min(ys)
                    if h <= 3.0 and w > 2 * h and w > 1:
                        y = (min(ys) + max(ys)) / 2
                        hr.append(Rule(min(xs), y, max(xs), y, h, "fill"))
                    elif w <= 3.0 and h > 2 * w and h > 1:
                        x = (min(xs) + max(xs)) / 2
                        vr.append(Rule(x, min(ys), x, max(ys), w, "fill"))
        result.append((hr, vr))
    return result


def pdffonts(pdf):
    """(rows as dicts name/type/enc/emb/sub/uni, returncode, stderr). Read from
    the right: a long name pushes the columns out of their header widths."""
    rc, out, err = run(["pdffonts", pdf])
    rows = []
    for ln in out.splitlines()[2:]:
        t = ln.split()
        if len(t) < 8:
            continue
        rows.append({"name": t[0], "type": " ".join(t[1:-6]), "enc": t[-6], "emb": t[-5], "sub": t[-4],
                     "uni": t[-3]})
    return rows, rc, err


_STRIP_ANNOTS_JS = """var doc = new PDFDocument(scriptArgs[0]);
for (var i = 0; i < doc.countPages(); i++) doc.findPage(i).delete("Annots");
doc.save(scriptArgs[1], "");
"""


def page_only(pdf):
    """The PDF itself, or when it has signature fields that mupdf draws its own "SIGN" marker into
    (unsigned, without the invisible flag: a PDF/A's, which may not set it) a copy without
    annotations: that marker is no part of the page. vanban's other PDFs are measured as they are
    (their unsigned fields are /F 134, which mupdf leaves blank). Returns (path, temporary folder or None)."""
    with open(pdf, "rb") as f:
        data = f.read()
    if b"/Widget" not in data or not re.search(rb"/FT /Sig[^>]*/F 132|/F 132[^>]*/FT /Sig", data):
        return pdf, None
    tmp = tempfile.mkdtemp(prefix="pdfcheck-")
    js, out = os.path.join(tmp, "strip.js"), os.path.join(tmp, "page-only.pdf")
    with open(js, "w") as f:
        f.write(_STRIP_ANNOTS_JS)
    rc, _, err = run(["mutool", "run", js, pdf, out])
    if rc != 0:
        raise RuntimeError("mutool run (annotations removed) failed: " + err[-300:])
    return out, tmp


def load_pdf(pdf):
    """Pages with .chars, .lines, .hrules, .vrules. Font names cut by mutool
    are restored from pdffonts (a name that is a prefix of exactly one)."""
    shown, tmp = page_only(pdf)
    try:
        return _load_pdf(pdf, shown)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _load_pdf(pdf, shown):
    rc, xml_text, err = run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", shown])
    if rc != 0:
        raise RuntimeError("mutool stext failed: " + err[-300:])
    pages = parse_stext(xml_text)
    rc, trace, err = run(["mutool", "draw", "-q", "-F", "trace", "-o", "-", shown])
    if rc != 0:
        raise RuntimeError("mutool trace failed: " + err[-300:])
    for page, (hr, vr) in zip(pages, parse_trace(trace)):
        page.hrules, page.vrules = hr, vr
    full = [r["name"].split("+", 1)[-1] for r in pdffonts(pdf)[0]]
    fix = {}
    for p in pages:
        for c in p.chars:
            if c.font not in fix:
                base = c.font.split("+", 1)[-1]
                longer = [f for f in full if f.startswith(base)]
                fix[c.font] = min(longer, key=len) if longer else base
            c.font = fix[c.font]
        p.lines = group_lines(p)
    return pages


# --------------------------------------------------------------------------
# Text layer and word bags
# --------------------------------------------------------------------------

def pdftotext_raw(pdf):
    """(text, returncode, stderr) of `pdftotext -raw`: content order, and a
    line-final hyphen is kept (the default mode drops it and joins the words)."""
    rc, out, err = run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"])
    return out, rc, err


def pdf_words(text, expected):
    """Words of a pdftotext -raw text. A word the line breaker cut after a
    hyphen ("2020-" at a line end, "2025" first on the next line), or one
    pdftotext cut after a superscript ("m2" and ";"), is joined back when the
    joined word is one the source has (expected: a Counter) and the cut piece
    is not; returns (words, joins) with the joins made."""
    lines = [l.split() for l in text.replace("\f", "\n").split("\n")]
    lines = [l for l in lines if l]
    out, joins = [], []
    pending = None
    for ws in lines:
        ws = list(ws)
        if pending is not None:
            joined = pending + ws[0]
            if expected[joined] > 0 and expected[pending] == 0:
                ws[0] = joined
                joins.append(joined)
            else:
                out.append(pending)
            pending = None
        if len(ws[-1]) > 1 and ws[-1].endswith("-"):
            pending = ws.pop()
        elif expected[ws[-1]] == 0:
            # pdftotext -raw ends a line after a raised or lowered glyph ("m2" then ";"):
            # joined back under the same rule when the joined word is the source's
            pending = ws.pop()
        out.extend(ws)
    if pending is not None:
        out.append(pending)
    return out, joins


def bag_diff(expected, got):
    """(missing, extra) Counters: words the PDF lacks, words it has too often."""
    e, g = collections.Counter(expected), collections.Counter(got)
    return e - g, g - e


def fmt_bag(c, limit=12):
    items = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
    s = ", ".join("%r×%d" % kv if kv[1] > 1 else repr(kv[0]) for kv in items[:limit])
    return s + (" …" if len(items) > limit else "")


def text_problems(text):
    """(is NFC, count of U+FFFD, private-use characters found)."""
    nfc = unicodedata.normalize("NFC", text) == text
    pua = sorted(set(c for c in text if 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000))
    return nfc, text.count("\ufffd"), pua


# --------------------------------------------------------------------------
# Ink
# --------------------------------------------------------------------------

def ink_box_mm(pdf, page_no, x0, y0, x1, y1, dpi=600):
    """Ink bounding box (mm, page top-left origin) of a region given in mm,
    from a grey pdftoppm rendering (a pixel darker than 128 is ink); None
    when the region is blank. At 600 dpi a pixel is 0.042 mm."""
    s = dpi / 25.4
    X, Y = int(x0 * s), int(y0 * s)
    W, H = max(1, int((x1 - x0) * s)), max(1, int((y1 - y0) * s))
    with tempfile.TemporaryDirectory(prefix="vb-ink-") as d:
        prefix = os.path.join(d, "ink")
        rc, _, err = run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page_no), "-l", str(page_no),
                          "-x", str(X), "-y", str(Y), "-W", str(W), "-H", str(H), "-singlefile", pdf, prefix])
        if rc != 0:
            raise RuntimeError("pdftoppm failed: " + err[-200:])
        data = open(prefix + ".pgm", "rb").read()
    return pgm_ink_box(data, X / s, Y / s, s)


def pgm_ink_box(data, ox_mm, oy_mm, px_per_mm):
    """Ink box of a binary PGM (P5, 8 bit) whose top-left pixel is at (ox_mm, oy_mm)."""
    m = re.match(rb"P5\s+(?:#[^\n]*\s+)*(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():m.end() + w * h]
    rows = [r for r in range(h) if min(px[r * w:(r + 1) * w]) < 128]
    if not rows:
        return None
    cols = [c for c in range(w) if min(px[c::w][:h]) < 128]
    return (ox_mm + cols[0] / px_per_mm, oy_mm + rows[0] / px_per_mm,
            ox_mm + (cols[-1] + 1) / px_per_mm, oy_mm + (rows[-1] + 1) / px_per_mm)


def find_cli(argv):
    """The CLI path from argv[1], or build/vanban; None when absent."""
    cli = argv[1] if len(argv) > 1 else os.path.join("build", "vanban")
    return os.path.abspath(cli) if os.path.isfile(cli) and os.access(cli, os.X_OK) else None


def checker_and_cli(argv):
    """(Checker, CLI path or None) for a test's main: a missing CLI is already
    a failed check, so the test only has to return ck.done()."""
    ck = Checker()
    cli = find_cli(argv)
    if not cli:
        ck.check("cli.present", False, "no vanban CLI at %r" % (argv[1:] or ["build/vanban"]))
    return ck, cli


def test_env():
    """The environment for the CLI: tests/fonts.conf unless a configuration is
    set; a relative FONTCONFIG_FILE is made absolute (fontconfig would look
    for it under /etc/fonts)."""
    env = dict(os.environ)
    fc = env.get("FONTCONFIG_FILE")
    if not fc and os.path.isfile("tests/fonts.conf"):
        env["FONTCONFIG_FILE"] = os.path.abspath("tests/fonts.conf")
    elif fc and not os.path.isabs(fc) and os.path.isfile(fc):
        env["FONTCONFIG_FILE"] = os.path.abspath(fc)
    return env


# --------------------------------------------------------------------------
# Self-test of the helpers on synthetic input: python3 tests/pdfcheck.py
# --------------------------------------------------------------------------

def _selftest():
    ck = Checker()
    ck.check("strip.italic", strip_inline("(*đạt chỉ tiêu*).") == "(đạt chỉ tiêu).")
    ck.check("strip.bold_italic", strip_inline("***a b*** **c**") == "a b c")
    ck.check("strip.escapes", strip_inline(r"\*lit\* 2 * 3 \\") == "*lit* 2 * 3 \\")
    ck.check("strip.underscore", strip_inline("snake_case _em_") == "snake_case em")
    body = ("# I. A #\n\nPara *x*\nline two\n- item\n\n| STT | B | < |\n| ^ | c | d |\n"
            "|:-:|---|---|\n| **1** | \\| e | \\< |\n\n\\pagebreak\n### 2.1. Ba\n")
    got = md_blocks(body)
    want = [("heading", "I. A"), ("para", "Para x line two"), ("para", "- item"), ("cell", "STT"), ("cell", "B"),
            ("cell", "c"), ("cell", "d"), ("cell", "1"), ("cell", "| e"), ("cell", "<"), ("heading", "2.1. Ba")]
    ck.check("md_blocks", got == want, repr(got))
    fm = parse_front_matter(["# c", "a: Thanh Hoá # note", "b: |-", "  X VÀ", "  Y", "s:", "  k: v",
                             "l:", "  - one,", "  - 'two'", "d: 2023-07-06"])
    ck.check("front_matter", fm == {"a": "Thanh Hoá", "b": "X VÀ\nY", "s": {"k": "v"}, "l": ["one,", "two"],
                                    "d": "2023-07-06"}, repr(fm))
    exp = collections.Counter(["a", "2020-2025", "b", "c", "-", "d", "x-"])
    ws, joins = pdf_words("a 2020-\n2025 b\nc -\nd x-\n\fy\n", exp)
    ck.check("pdf_words.join", ws == ["a", "2020-2025", "b", "c", "-", "d", "x-", "y"] and joins == ["2020-2025"],
             repr((ws, joins)))
    miss, extra = bag_diff(["a", "a", "b"], ["a", "b", "b"])
    ck.check("bag_diff", miss == collections.Counter(["a"]) and extra == collections.Counter(["b"]))
    pgm = b"P5 4 3 255\n" + bytes([255] * 4 + [255, 0, 255, 255] + [255] * 4)
    ck.check("pgm_ink_box", pgm_ink_box(pgm, 10.0, 20.0, 2.0) == (10.5, 20.5, 11.0, 21.0))
    ck.check("face", [face(n) for n in ("AB+LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-BoldItal",
                                        "Liberation-Serif-Bold-It", "TimesNewRomanPS-ItalicMT")]
             == [(False, False), (True, False), (True, True), (True, True), (False, True)])
    xml = ('<document><page width="595" height="842"><block><line><font name="X-Bold" size="14">'
           '<char quad="10 20 18 20 10 36 18 36" x="10" y="32" c="A"/><char quad="18 20 22 20 18 36 22 36" x="18" y="32" c=" "/>'
           '<char quad="22 20 30 20 22 36 30 36" x="22" y="32" c="B"/>'
           '<char quad="200 20 208 20 200 36 208 36" x="200" y="32" c="C"/></font></line></block></page></document>')
    pg = parse_stext(xml)[0]
    ls = group_lines(pg)
    ck.check("stext.lines", [(l.text, l.x0, l.x1, l.base, l.bold) for l in ls] == [("A B", 10, 30, 32, True),
                                                                                   ("C", 200, 208, 32, True)],
             repr([(l.text, l.x0, l.x1) for l in ls]))
    tr = ('<?xml version="1.0"?><document><page mediabox="0 0 595 842"><stroke_path linewidth=".5" '
          'transform="1 0 0 -1 0 842"><moveto x="100" y="800"/><lineto x="300" y="800"/></stroke_path>'
          '<fill_path winding="nonzero" transform="1 0 0 -1 0 842"><moveto x="50" y="100"/><lineto x="50.5" y="100"/>'
          '<lineto x="50.5" y="300"/><lineto x="50" y="300"/><closepath/></fill_path></page></document>')
    (hr, vr), = parse_trace(tr)
    ck.check("trace.rules", len(hr) == 1 and (hr[0].x0, hr[0].x1, hr[0].y) == (100, 300, 42) and len(vr) == 1
             and (vr[0].y0, vr[0].y1) == (542, 742), repr((hr, vr)))
    return ck.done()


if __name__ == "__main__":
    sys.exit(_selftest())


# --------------------------------------------------------------------------
# The body flow: paragraphs and headings across pages (tests/test_typography.py,
# tests/bench/justify.py). Appended after the self-test so that the lines
# above stay as they were; importing the module defines these as usual.
# --------------------------------------------------------------------------

class FlowBlock(object):
    """A paragraph ("para") or heading ("heading") of the body: its lines in
    order, possibly on several pages (each Line knows its .page)."""

    def __init__(self, kind):
        self.kind = kind
        self.lines = []

    @property
    def text(self):
        return " ".join(l.text for l in self.lines)

    def parts(self):
        """[(page number, lines on it)] in order."""
        out = []
        for l in self.lines:
            if out and out[-1][0] == l.page.n:
                out[-1][1].append(l)
            else:
                out.append((l.page.n, [l]))
        return out

    def __repr__(self):
        return "<%s p%s %d lines %r>" % (self.kind, "/".join(str(n) for n, _ in self.parts()), len(self.lines),
                                         self.text[:40])


def closing_anchor(pages, label="Nơi nhận:"):
    """(page index, Line) of the closing block's "Nơi nhận:" line, or (None, None)."""
    for i, p in enumerate(pages):
        for l in p.lines:
            if l.text == label:
                return i, l
    return None, None


def flow_lines(pages, body_size=14.0, top_mm=20.0, title_end="-----"):
    """Per page index, the lines of the body flow: of the body's size, below
    the top margin (not the page number), below the title block's "-----" on
    page 1, above "Nơi nhận:" on the closing page, and none on the pages after
    it (appendices). Table cells (12 pt) and the header, title and closing
    bands are left out."""
    ci, cl = closing_anchor(pages)
    out = []
    for i, p in enumerate(pages):
        ls = [l for l in p.lines if abs(l.size - body_size) < 0.05 and mm(l.base) > top_mm]
        if i == 0:
            ends = [l for l in p.lines if l.text == title_end]
            ls = [l for l in ls if ends and l.base > ends[0].base + 1.0]
        if ci is not None and i == ci:
            ls = [l for l in ls if l.base < cl.base - 1.0]
        if ci is not None and i > ci:
            ls = []
        out.append(sorted(ls, key=lambda l: (l.base, l.x0)))
    return out


def flow_blocks(pages, body_size=14.0, leading=18.0, left_mm=30.0, indent_mm=10.0):
    """The body's paragraphs and headings, in order. A heading line is one whose
    letters are mostly bold. A block starts at a line indented by indent_mm, at
    a change of kind, or after a gap larger than the leading (paragraph
    spacing, a table); a page's first line continues the previous page's last
    block when it starts at the left margin and is of the same kind."""
    blocks = []
    prev = None
    for ls in flow_lines(pages, body_size):
        for k, l in enumerate(ls):
            kind = "heading" if l.bold else "para"
            indented = abs(mm(l.x0) - (left_mm + indent_mm)) < 0.5
            at_left = abs(mm(l.x0) - left_mm) < 0.5
            new = True
            if prev is not None and blocks and blocks[-1].kind == kind and not indented:
                if k == 0:
                    new = not at_left or prev.page.n != l.page.n - 1
                else:
                    new = l.base - prev.base > leading + 1.0
            if new:
                blocks.append(FlowBlock(kind))
            blocks[-1].lines.append(l)
            prev = l
        # a page whose flow ends early (a table, the closing) breaks nothing: the next page decides
    return blocks


def word_gaps(line):
    """[(gap, natural)] in points between the words of a line: gap from the
    previous word's last character's right edge to the next word's first
    character's left edge; natural, the summed widths of the space characters
    between them (their advance in the font, as the PDF's widths say)."""
    out = []
    prev_ink, spaces = None, 0.0
    for c in line.chars:
        if c.c.isspace():
            spaces += c.x1 - c.x0
            continue
        if prev_ink is not None and spaces > 0:
            out.append((c.x0 - prev_ink.x1, spaces))
        prev_ink, spaces = c, 0.0
    return out


def space_ratio(line):
    """Mean inter-word gap over the mean natural space of a line; None without a space."""
    g = word_gaps(line)
    if not g:
        return None
    return sum(a for a, _ in g) / sum(b for _, b in g)


def percentile(values, q):
    """The q-th percentile (0..100) of values, linear between closest ranks (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    pos = (len(v) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)
