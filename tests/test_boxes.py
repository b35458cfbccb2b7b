#!/usr/bin/env python3
"""Boxes of the display list (issue 10 item 3), read from `vanban dump --stage=pages`.

    python3 tests/test_boxes.py build/vanban      (cwd = project root)

Dumps every sample (samples/*.md, samples/*/*.md: the three profiles) and
checks:

  header      page 1 has the profile's numbered header boxes with the
              regulation's numbers: ô 1 the tiêu đề (Party "ĐẢNG CỘNG SẢN
              VIỆT NAM"; state the Quốc hiệu and Tiêu ngữ), ô 2 the issuer,
              ô 3 the number, ô 4 the place and date, ô 5 the kind and title;
              ô 1 in the right column, ô 2 and ô 3 in the left, ô 3 below
              the issuer, ô 4 level with ô 3
  closing     ô 7 the signer's lines and a signature box, ô 9 the Nơi nhận
  joint       a document with two signers has two signature boxes with
              index 0 and 1 and distinct roles
  runs        every run lies inside a line box of its page (its baseline
              between the box's top and bottom, its glyphs between its ends)
  lines       every line box lies inside the page's text block or a band
              column (the page number aside); its metrics are there
              (space=, overfull=), no line of a sample is overfull, and
              justified lines have spaces other than natural
  spans       the title box's span is the `title:` line of the front matter
              (and the issuer's, number's, place's theirs); each paragraph's
              first run starts with a word of its span's source line
  nfd         the seed typed with decomposed accents (NFD): every span of
              the source has the column of the character as typed (the NFC
              dump's column moved by the marks typed before it), and an
              error on such a line names the column as typed

One line per check, then "N passed, M failed"; exit 1 when a check fails.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdfcheck as P  # noqa: E402

ENV = P.test_env()
SPAN_RE = re.compile(r' at=(?:none|"((?:[^"\\]|\\.)*)":(\d+):(\d+))')
KV_RE = re.compile(r'\b(kind|x|y|w|h|no|index|space|overfull)=(-?[\w-]+)')
STR_RE = re.compile(r'\b(name|role|text)="((?:[^"\\]|\\.)*)"')


def parse(dump):
    """Pages of records: each a dict with 'type' ('box' or 'run'), its keys, and 'span' (file, line, col) or None."""
    pages, info = [], {}
    for ln in dump.splitlines():
        if ln.startswith("info "):
            info = dict(STR_RE.findall(ln))
            m = re.search(r'keywords="([^"]*)"', ln)
            info["profile"] = m.group(1) if m else ""
            continue
        if ln.startswith("page "):
            pages.append([])
            continue
        if not pages or not (ln.startswith("box ") or ln.startswith("run ")):
            continue
        rec = {"type": ln.split(" ", 1)[0]}
        head = ln.split(" glyphs=")[0] if rec["type"] == "run" else ln
        for k, v in KV_RE.findall(head):
            rec[k] = v if k == "kind" else int(v)
        for k, v in STR_RE.findall(head):
            rec[k] = v
        m = SPAN_RE.search(ln)
        rec["span"] = (m.group(1), int(m.group(2)), int(m.group(3))) if m and m.group(1) else None
        if rec["type"] == "run":
            g = ln.split(" glyphs=")[1].split(" at=")[0].split()
            rec["gx"] = [int(t.split("@")[1].split(",")[0]) for t in g]
        pages[-1].append(rec)
    return info, pages


def dump(cli, path, cwd=None):
    p = subprocess.run([cli, "dump", "--stage=pages", path], capture_output=True, text=True, env=ENV, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def inside(a, b, tol=1000):
    return (a["x"] >= b["x"] - tol and a["y"] >= b["y"] - tol and a["x"] + a["w"] <= b["x"] + b["w"] + tol
            and a["y"] + a["h"] <= b["y"] + b["h"] + tol)


def boxes(page, kind=None, name=None):
    return [r for r in page if r["type"] == "box" and (kind is None or r["kind"] == kind)
            and (name is None or r.get("name") == name)]


def first_item(pages, name):
    for pg in pages:
        for b in boxes(pg, "item", name):
            return b
    return None


def check_header(ck, tag, info, pages, src_lines):
    state = info["profile"].startswith("state")
    p1 = pages[0]
    title1 = ["national-title", "motto"] if state else ["party-title"]
    want = {n: 1 for n in title1}
    want.update({"issuer": 2, "number": 3, "place": 4})
    bad = []
    for n, no in want.items():
        b = [x for x in boxes(p1, "item", n)]
        if not b or any(x.get("no") != no for x in b):
            bad.append("%s: %s" % (n, [x.get("no") for x in b] or "missing"))
    for n in ("kind", "title"):
        for x in boxes(p1, "item", n):
            if x.get("no") != 5:
                bad.append("%s: ô %s" % (n, x.get("no")))
    ck.check(tag + ".header.numbers", not bad, "; ".join(bad))
    t1, iss, num, pl = (first_item(pages, n) for n in (title1[0], "issuer", "number", "place"))
    ok = t1 and iss and num and pl
    ck.check(tag + ".header.places", ok and t1["x"] > iss["x"] + iss["w"] / 2 and num["y"] > iss["y"]
             and abs(num["x"] + num["w"] / 2 - (iss["x"] + iss["w"] / 2)) < 2000
             and abs(num["y"] - pl["y"]) < 3000 and pl["x"] > num["x"] + num["w"] / 2,
             "ô 1 %s, ô 2 %s, ô 3 %s, ô 4 %s" % tuple(
                 (b["x"], b["y"]) if b else None for b in (t1, iss, num, pl)))
    # spans: the field's line in the front matter
    bad, n = [], 0
    for name, key in (("title", "title:"), ("issuer", "issuer:"), ("number", "number:"), ("place", "place:")):
        b = first_item(pages, name)
        if not b:
            continue
        n += 1
        line = b["span"][1] if b["span"] else 0
        text = src_lines[line - 1] if 0 < line <= len(src_lines) else ""
        # the field's own line, or its first value line under a block scalar ("issuer: |-")
        key_line = text.startswith(key) or (line > 1 and src_lines[line - 2].startswith(key))
        if not key_line:
            bad.append("%s at %s %r" % (name, b["span"], text[:30]))
    ck.check(tag + ".spans.fields", n >= 3 and not bad, "%d fields; %s" % (n, "; ".join(bad)))


def check_closing(ck, tag, pages):
    sig = [b for pg in pages for b in boxes(pg, "signature")]
    items7 = [b for pg in pages for n in ("authority", "post", "name") for b in boxes(pg, "item", n)]
    nn = [b for pg in pages for n in ("recipients-label", "recipients") for b in boxes(pg, "item", n)]
    ck.check(tag + ".closing", sig and all(b.get("no") == 7 for b in sig + items7) and items7
             and all(b.get("no") == 9 for b in nn),
             "signature %s, signer lines %s, Nơi nhận %s" % ([b.get("no") for b in sig],
                                                             sorted(set(b.get("no") for b in items7)),
                                                             sorted(set(b.get("no") for b in nn))))
    return sig


def check_page_geometry(ck, tag, pages):
    runs_out, lines_out, nlines, overfull, spaced = [], [], 0, 0, 0
    for pi, pg in enumerate(pages):
        lines = boxes(pg, "line")
        tbs = boxes(pg, "text-block")
        cols = boxes(pg, "column")
        for r in pg:
            if r["type"] != "run" or not r.get("gx"):
                continue
            ok = any(lb["y"] <= r["y"] <= lb["y"] + lb["h"] and lb["x"] - 1 <= min(r["gx"])
                     and max(r["gx"]) <= lb["x"] + lb["w"] + 1 for lb in lines)
            if not ok:
                runs_out.append("p%d %r" % (pi + 1, r.get("text", "")[:20]))
        for lb in lines:
            nlines += 1
            if "space" not in lb or "overfull" not in lb:
                lines_out.append("p%d no metrics" % (pi + 1))
            overfull += lb.get("overfull", 0)
            spaced += lb.get("space", 1000) != 1000
            if lb.get("name") == "page-number":
                continue
            if not (any(inside(lb, t) for t in tbs) or any(inside(lb, c, 0) for c in cols)):
                lines_out.append("p%d line at %d,%d" % (pi + 1, lb["x"], lb["y"]))
    ck.check(tag + ".runs-in-lines", not runs_out, "%d runs outside: %s" % (len(runs_out), runs_out[:3]))
    ck.check(tag + ".lines-in-block", nlines > 0 and not lines_out,
             "%d lines, outside: %s" % (nlines, lines_out[:3]))
    ck.check(tag + ".metrics", overfull == 0 and spaced > 0,
             "%d overfull, %d justified with spaces other than natural, of %d" % (overfull, spaced, nlines))


def check_paragraph_spans(ck, tag, pages, src_lines, src_name):
    seen, bad, n = set(), [], 0
    for pg in pages:
        for b in boxes(pg, "paragraph"):
            if not b["span"] or b["span"][0] != src_name or b["span"] in seen:
                continue
            seen.add(b["span"])
            first = next((r for r in pg if r["type"] == "run" and r["span"] == b["span"] and r.get("text")), None)
            if not first:
                continue
            n += 1
            line = src_lines[b["span"][1] - 1]
            word = re.findall(r"\w+", first["text"])
            if word and word[0] not in line:
                bad.append("%d: %r not in %r" % (b["span"][1], word[0], line[:40]))
    ck.check(tag + ".spans.paragraphs", n > 0 and not bad, "%d paragraphs, %s" % (n, bad[:3]))


def typed_col(line_nfc, col):
    """The column as typed (NFD) of column col of an NFC line."""
    return len(unicodedata.normalize("NFD", line_nfc[:col - 1])) + 1


def check_nfd(ck, cli, tmp):
    src = "samples/party36/bao-cao-bang.md"
    text = open(src, encoding="utf-8").read()
    lines = text.split("\n")
    a = os.path.join(tmp, "nfc.md")
    b = os.path.join(tmp, "nfd.md")
    open(a, "w", encoding="utf-8").write(text)
    open(b, "w", encoding="utf-8").write(unicodedata.normalize("NFD", text))
    ra, da, _ = dump(cli, a)
    rb, db, _ = dump(cli, b)
    sa = [(m.group(1), int(m.group(2)), int(m.group(3))) for m in SPAN_RE.finditer(da) if m.group(1)]
    sb = [(m.group(1), int(m.group(2)), int(m.group(3))) for m in SPAN_RE.finditer(db) if m.group(1)]
    moved, bad, n = 0, [], 0
    for x, y in zip(sa, sb):
        if x[0] != a:
            continue
        n += 1
        want = typed_col(lines[x[1] - 1], x[2])
        moved += want != x[2]
        if y[0] != b or y[1] != x[1] or y[2] != want:
            bad.append("%d:%d -> %d:%d (want %d)" % (x[1], x[2], y[1], y[2], want))
    ck.check("nfd.spans", ra == 0 and rb == 0 and len(sa) == len(sb) and n > 0 and moved > 0 and not bad,
             "%d spans of the source, %d moved by NFD, wrong: %s" % (n, moved, bad[:3]))
    # an error on an NFD line: the column as typed
    fm = ("---\nparent: ĐẢNG BỘ TỈNH\nissuer: ĐẢNG ỦY KHỐI\nnumber: 12-BC/ĐUK\nplace: Thanh Hoá\n"
          "date: 2023-02-05\nkind: BÁO CÁO\ntitle: kết quả\n"
          "signer: {authority: T/M ĐẢNG ỦY, post: BÍ THƯ, name: Trần Văn Hải, chức: x}\n"
          "recipients: [Lưu VP]\n---\nMột đoạn.\n")
    line = fm.split("\n")[8]
    want = typed_col(line, line.index("chức") + 1)
    c = os.path.join(tmp, "bad.md")
    open(c, "w", encoding="utf-8").write(unicodedata.normalize("NFD", fm))
    p = subprocess.run([cli, "render", c, "-o", os.path.join(tmp, "bad.pdf")], capture_output=True, text=True,
                       env=ENV)
    m = re.search(r"bad\.md:(\d+):(\d+): error", p.stderr)
    ck.check("nfd.diagnostic", p.returncode != 0 and m and int(m.group(1)) == 9 and int(m.group(2)) == want
             and want > line.index("chức") + 1,
             "%s (want 9:%d)" % (p.stderr.strip()[:120], want))


def main(argv):
    ck, cli = P.checker_and_cli(argv)
    if not cli:
        return ck.done()
    # samples/batch/ holds batch templates, which `vanban render` refuses (tests/test_batch_samples.py)
    samples = sorted(s for s in glob.glob("samples/*.md") + glob.glob("samples/*/*.md")
                     if not s.startswith("samples/batch/"))
    ck.check("samples", len(samples) >= 30, "%d samples" % len(samples))
    joint = 0
    profiles = set()
    for s in samples:
        tag = os.path.splitext(os.path.relpath(s, "samples"))[0]
        rc, out, err = dump(cli, s)
        if not ck.check(tag + ".dump", rc == 0 and out, err.strip()[:200]):
            continue
        info, pages = parse(out)
        profiles.add(info["profile"])
        src_lines = open(s, encoding="utf-8").read().split("\n")
        check_header(ck, tag, info, pages, src_lines)
        sig = check_closing(ck, tag, pages)
        if len(sig) > 1:
            joint += 1
            ck.check(tag + ".joint", sorted(b.get("index") for b in sig) == [0, 1]
                     and len(set(b.get("role") for b in sig)) == 2 and all(b.get("role") for b in sig),
                     repr([(b.get("index"), b.get("role")) for b in sig]))
        check_page_geometry(ck, tag, pages)
        check_paragraph_spans(ck, tag, pages, src_lines, s)
    ck.check("profiles", len(profiles) == 3, repr(sorted(profiles)))
    ck.check("joint.samples", joint >= 3, "%d samples with two signers" % joint)
    with tempfile.TemporaryDirectory() as tmp:
        check_nfd(ck, cli, tmp)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
