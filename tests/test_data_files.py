#!/usr/bin/env python3
"""The data files of a batch through the CLI: `vanban dump --stage=data FILE`.

    python3 tests/test_data_files.py build/vanban      (cwd = project root)

  - the same two rows saved by Excel in a Vietnamese locale ("CSV UTF-8": BOM, ';', CRLF), by Excel
    with its "sep=;" line, and by LibreOffice (tab, every cell quoted, LF) read as the same values,
    and the JSON file of tests/data/data-files/ as the same texts (its numbers as written);
  - values with Markdown and YAML characters, quotes, line breaks are dumped verbatim;
  - a malformed file: exit status 1, nothing on stdout, one line on stderr naming the file, the
    line and the column, with the error's id; a missing file: exit status 3.
Prints one line per check and "N passed, M failed"."""
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

DIR = os.path.join("tests", "data", "data-files")


def dump(cli, path):
    r = subprocess.run([cli, "dump", "--stage=data", path], capture_output=True)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def values(text):
    """The dump's value lines without their positions: what a template would see."""
    return [re.sub(r" at=\d+:\d+", "", ln) for ln in text.splitlines() if ln.startswith(("row ", " "))]


def main():
    cli = sys.argv[1]
    ck = P.Checker()

    outs = {}
    for f in ("excel-vi.csv", "excel-sep.csv", "libreoffice.tsv", "units.json"):
        rc, out, err = dump(cli, os.path.join(DIR, f))
        outs[f] = out
        ck.check("read." + f, rc == 0 and not err and "rows=2" in out.splitlines()[0], "rc %d, %s" % (rc, err.strip()))
    head = outs["excel-vi.csv"].splitlines()[0] if outs["excel-vi.csv"] else ""
    ck.check("csv.separator", 'format=csv delimiter=";" columns=9 rows=2' in head, head)
    ck.check("tsv.separator", 'delimiter="\\t"' in outs["libreoffice.tsv"], outs["libreoffice.tsv"][:80])
    base = values(outs["excel-vi.csv"])
    ck.check("csv.rows", len(base) == 26, "%d value lines" % len(base))
    for f in ("excel-sep.csv", "libreoffice.tsv"):
        ck.check("same-values." + f, values(outs[f]) == base,
                 "differs: %s" % [ln for ln in values(outs[f]) if ln not in base][:3])
    # the sep= line moves the header to line 2: every position one line down
    ck.check("sep.lines", "row 1: object 5 at=3:1" in outs["excel-sep.csv"]
             and "row 1: object 5 at=2:1" in outs["excel-vi.csv"])
    for want in ('"ten": text "SỞ KHOA HỌC *VÀ* CÔNG NGHỆ"', '1: text "- Ban Thường vụ"', '2: text "# Lưu"',
                 '"noi_dung": text "Chuyển sinh hoạt: đến"', '"ten": text "Chi bộ \\"Phòng 1\\"; Tổ 2"',
                 '"noi_dung": text "Dòng một\\nDòng hai"', '1: text "| VP |"', '"so": text "0013"'):
        ck.check("verbatim " + want[:30], all(want in outs[f] for f in outs), want)
    # the second row's lists: the empty second items are not items (noi_nhan after the two-line cell: line 4)
    ck.check("csv.empty-items", '"bang": list 1 at=3:' in outs["excel-vi.csv"]
             and '"noi_nhan": list 1 at=4:14' in outs["excel-vi.csv"])
    js = outs["units.json"]
    ck.check("json.numbers", '"so_luong": text "1.50"' in js and '"so": text "12"' in js)
    ck.check("json.paths", 'path="bang[2].so_luong"' in js and 'path="noi_nhan[1]"' in js)
    ck.check("json.kinds", '"mat": bool "false"' in js and '"ghi_chu": null' in js)

    # malformed files: one line naming file:line:col, exit 1, nothing on stdout
    cases = [
        ("extra.csv", "a,b\r\n1,2\r\n1,2,3\r\n", 3, 5, "data.csv-extra-cells"),
        ("missing.csv", "a;b;c\n1;2\n", 2, 4, "data.csv-missing-cells"),
        ("gap.csv", "x,bang.1.a,bang.3.a\n1,2,3\n", 1, 12, "data.csv-list-gap"),
        ("dup.csv", "ten,ten\n1,2\n", 1, 5, "data.csv-header-duplicate"),
        ("quote.csv", "a,b\n1,\"open\n2,3\n", 2, 3, "data.csv-unclosed-quote"),
        ("cp1258.csv", "ten\nS\xd0 KHOA\n".encode("latin-1"), 2, 2, "data.utf8"),
        ("dup.json", '[{"a": 1},\n {"b": 1, "b": 2}]', 2, 11, "data.json-duplicate"),
        ("syntax.json", '[{"a": 1}\n {"b": 2}]', 2, 2, "data.json-syntax"),
        ("row.json", '[{"a": 1}, 7]', 1, 12, "data.json-row"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, line, col, did in cases:
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            rc, out, err = dump(cli, path)
            lines = err.strip().splitlines()
            want = "%s:%d:%d: error: " % (path, line, col)
            ck.check("error." + name, rc == 1 and not out and len(lines) == 1 and lines[0].startswith(want)
                     and lines[0].endswith("[%s]" % did), "rc %d, stderr %r" % (rc, err))
        rc, out, err = dump(cli, os.path.join(tmp, "absent.csv"))
        ck.check("error.absent", rc == 3 and "absent.csv" in err and "[io.read]" in err, "rc %d, %r" % (rc, err))
    r = subprocess.run([cli, "dump", "--stage=nope", os.path.join(DIR, "units.json")], capture_output=True)
    ck.check("stage.unknown", r.returncode == 2 and b"data" in r.stderr, r.stderr.decode()[:120])
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
