#!/usr/bin/env python3
"""The source tree keeps one of each shared piece (issue 10, item 7).

    python3 tests/test_tree.py build/vanban      (cwd = project root; the CLI is not used)

  - buffer: every growable byte buffer is base.c's vb_buf_t: no other module grows a char
    buffer with realloc.
  - reader: every file the library reads (sources, profiles, images, fonts, the profile read again
    for a message) is read by base.c's vb_file_read: no other module opens a file for reading
    (fopen, open without O_WRONLY, fread, mmap, HarfBuzz's or libyaml's own file readers).
  - template: the profiles' "{field}" templates (band items, the date format, the page-number format)
    are expanded by template.c alone: no layout module looks for a brace or compares "{name}" itself.
  - fields: the front matter's keys are one table, src/reading/fields.def, which model.h (the members),
    frontmatter.c (the reader), profile.c (the template names) include; the reader, the dump and
    band.c compare no key of the table by name; engine.c's coverage walk is vb_meta_each_field.
    (tests/unit/test_fields.c shows that every key is read, dumped, printed and walked.)

Prints one line per check and "N passed, M failed"."""
import glob
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def sources(exts=("c", "h")):
    """{path relative to src/: text without comments} for src/*/*.{c,h}."""
    out = {}
    for ext in exts:
        for p in sorted(glob.glob(os.path.join(ROOT, "src", "*", "*." + ext))):
            text = open(p, encoding="utf-8").read()
            text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
            text = re.sub(r"//[^\n]*", "", text)
            out[os.path.relpath(p, os.path.join(ROOT, "src"))] = text
    return out


def hits(srcs, pattern, allowed=()):
    """["file:line: text"] where pattern matches outside the allowed files."""
    out = []
    for f, text in srcs.items():
        if f in allowed:
            continue
        for i, ln in enumerate(text.splitlines(), 1):
            if re.search(pattern, ln):
                out.append("%s:%d: %s" % (f, i, ln.strip()))
    return out


def main():
    ck = P.Checker()
    srcs = sources()
    ck.check("tree.found", len(srcs) >= 40, "%d files" % len(srcs))

    # one growable buffer: vb_buf_t (base.c); char buffers grown elsewhere by realloc are not allowed
    ck.check("buffer.base", "typedef struct vb_buf {" in srcs.get("base/base.h", ""), "vb_buf_t not in base.h")
    grow = hits(srcs, r"\bchar\s*\*\s*\w+\s*=\s*realloc\s*\(|\brealloc\s*\(\s*\w+(->|\.)(p|s|buf)\b",
                allowed=("base/base.c",))
    ck.check("buffer.one", not grow, "byte buffers grown outside base.c: %s" % grow)
    users = [f for f, t in srcs.items() if "vb_buf_t" in t]
    ck.check("buffer.used", all(u in users for u in ("reading/model_dump.c", "reading/input_md.c",
                                                      "layout/dlist.c", "output/pdf_font.c")),
             "vb_buf_t users: %s" % users)

    # one file reader: vb_file_read (base.c); pdf.c's open of the temporary PDF writes (O_WRONLY),
    # and its open of the output's folder (O_DIRECTORY) is for fsync, reading nothing
    reads = hits(srcs, r"\bfopen\s*\(|\bfread\s*\(|\bmmap\s*\(|\bopen\s*\((?![^)]*(O_WRONLY|O_DIRECTORY))|"
                       r"hb_blob_create_from_file|yaml_parser_set_input_file|HPDF_Load\w*FromFile",
                 allowed=("base/base.c",))
    ck.check("reader.one", not reads, "files read outside base.c: %s" % reads)
    users = sorted(f for f, t in srcs.items() if re.search(r"\bvb_file_read(_padded)?\s*\(", t) and f.endswith(".c") and f != "base/base.c")
    ck.check("reader.used", {"fonts/font.c", "profile/profile.c", "reading/image.c"} <= set(users)
             and any(u.startswith("api/") for u in users), "vb_file_read callers: %s" % users)

    # one template expander: template.c (vb_tmpl_walk, vb_tmpl_expand)
    scans = hits({f: t for f, t in srcs.items() if f.startswith(("layout/", "output/"))},
                 r"(strchr|memchr|strcspn)\s*\([^;]*'\{'|(strn?cmp|memcmp)\s*\([^;]*\"\{\w+\}\"")
    ck.check("template.one", not scans, "templates expanded outside template.c: %s" % scans)
    users = sorted(f for f, t in srcs.items() if re.search(r"\bvb_tmpl_(walk|expand)\s*\(", t)
                   and f.endswith(".c") and f != "base/template.c")
    ck.check("template.used", users == ["layout/band.c", "layout/layout.c", "layout/paginate.c"],
             "vb_tmpl_walk/vb_tmpl_expand callers: %s" % users)

    # one table of front-matter fields: fields.def
    fd = open(os.path.join(ROOT, "src", "reading", "fields.def"), encoding="utf-8").read()
    keys = re.findall(r'^VB_META_(?:TEXT|LIST|BOOL)\("(\w+)"', fd, re.M)
    ck.check("fields.table", len(keys) >= 20, "%d keys in fields.def" % len(keys))
    inc = sorted(f for f, t in srcs.items() if '#include "fields.def"' in t)
    ck.check("fields.included", inc == ["profile/profile.c", "reading/frontmatter.c", "reading/model.h"],
             "fields.def included by %s" % inc)
    # what band.c does for one field beyond printing it: the gap of a blank number, an appendix's own
    # {title}, the hint of a missing issuer_name
    special = {"layout/band.c": ("number", "title", "issuer_name")}
    byname = []
    for f in ("reading/frontmatter.c", "reading/model_dump.c", "layout/band.c"):
        for k in keys:
            if k in special.get(f, ()):
                continue
            byname += ["%s: %s" % (f, h) for h in hits({f: srcs[f]}, r'(strn?cmp|memcmp)\s*\([^;]*"%s"' % k)]
    ck.check("fields.by-name", not byname, "keys of fields.def compared by name: %s" % byname)
    api = "\n".join(t for f, t in srcs.items() if f.startswith("api/"))
    ck.check("fields.coverage", "vb_meta_each_field(" in api
             and not re.search(r"&mt->(%s)\b" % "|".join(keys), api),
             "the coverage walk (src/api) does not use vb_meta_each_field")
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
