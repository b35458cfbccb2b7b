#!/usr/bin/env python3
"""batch_expand.py - one data row substituted into a batch template as text.

    python3 tests/batch_expand.py TEMPLATE DATA ROW > row.md     (ROW 1-based)
    FONTCONFIG_FILE=tests/fonts.conf build/vanban render row.md -o row.pdf

A check of a template without `vanban batch` (written before the command
existed, kept to look at one row by hand): it does what the home-made scripts
of issue 11 did, with the quoting they missed. Front-matter values are written
as YAML double-quoted scalars (JSON strings), body values and list entries with a backslash
before each character Markdown would read (`*`, `_`, `#`, `|`, ...). It knows
the subset samples/batch/bao-cao.md uses: {{name}}, {{a.b}}, a front-matter list item
that is one whole section, block sections ({{#x}} / {{^x}} alone on a line)
and table-row sections (`| {{#bang}}… | …{{/bang}} |`). Not the real merge:
`vanban batch` parses the template once and never re-reads values as source.
Data: CSV (UTF-8 with or without BOM; ";" "," or tab from the header line;
columns bang.1.key make the list bang, a.b the object a) or JSON (an array of objects).
"""
import csv
import io
import json
import re
import sys

TAG = re.compile(r"\{\{\s*([#^/!]?)\s*([^}|]*?)\s*\}\}")
MD_SPECIAL = set("\\`*_#|^~[]<>&")


def read_rows(path):
    raw = open(path, "rb").read().decode("utf-8")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if path.endswith(".json"):
        return json.loads(raw)
    head = raw.split("\n", 1)[0]
    delim = max(";,\t", key=head.count)
    rows = []
    for rec in csv.DictReader(io.StringIO(raw, newline=""), delimiter=delim):
        row, lists = {}, {}
        for k, v in rec.items():
            parts = k.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                lists.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = v
            elif len(parts) == 2:
                row.setdefault(parts[0], {})[parts[1]] = v
            else:
                row[k] = v
        for name, items in lists.items():
            seq = [items[i] for i in sorted(items)]
            while seq and all(x == "" for x in seq[-1].values()):  # empty items at the end are no items
                seq.pop()
            row[name] = seq
        rows.append(row)
    return rows


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def lookup(name, ctx):
    if "." in name and name != ".":
        v = lookup(name.split(".")[0], ctx)
        for part in name.split(".")[1:]:
            if not isinstance(v, dict) or part not in v:
                raise KeyError("missing value %r" % name)
            v = v[part]
        return v
    for scope in reversed(ctx):
        if name == "." and not isinstance(scope, dict):
            return scope
        if isinstance(scope, dict) and name in scope:
            return scope[name]
    raise KeyError("missing value %r" % name)


def truthy(v):
    return not (v is None or v is False or v == "" or v == [])


def items_of(v):
    if isinstance(v, list):
        return v
    return [v] if truthy(v) else []


def subst(s, ctx, esc):
    def one(m):
        kind, name = m.group(1), m.group(2)
        if kind == "!":
            return ""
        if kind:
            raise ValueError("section tag %r inside a line" % m.group(0))
        return esc(text(lookup(name, ctx)))
    return TAG.sub(one, s)


def md_escape(s):
    return "".join("\\" + c if c in MD_SPECIAL else c for c in s)


def yaml_line(line, ctx):
    m = re.match(r"^(\s*(?:-\s+|[A-Za-z_]+:\s+))(.*)$", line)
    if not m or "{{" not in line:
        return [line]
    lead, val = m.group(1), m.group(2)
    # list entries (recipients, to, bases) are read like a line of the body: escape them as such
    esc = md_escape if lead.strip() == "-" else str
    sec = re.fullmatch(r"\{\{#\s*(\w+)\s*\}\}(.*)\{\{/\s*\1\s*\}\}", val.strip())
    if sec and lead.strip() == "-":
        return [lead + json.dumps(subst(sec.group(2), ctx + [it], esc), ensure_ascii=False)
                for it in items_of(lookup(sec.group(1), ctx))]
    if len(val) >= 2 and val[0] == '"' and val[-1] == '"':
        val = val[1:-1]
    return [lead + json.dumps(subst(val, ctx, esc), ensure_ascii=False)]


def body(lines, ctx):
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = re.fullmatch(r"\s*\{\{([#^])\s*(\w+)\s*\}\}\s*", line)
        if m:  # a block section: up to its closing line
            depth, j = 1, i + 1
            while depth:
                if re.fullmatch(r"\s*\{\{[#^]\s*\w+\s*\}\}\s*", lines[j]):
                    depth += 1
                elif re.fullmatch(r"\s*\{\{/\s*\w+\s*\}\}\s*", lines[j]):
                    depth -= 1
                j += 1
            inner = lines[i + 1:j - 1]
            v = lookup(m.group(2), ctx)
            if m.group(1) == "#":
                for it in items_of(v):
                    out += body(inner, ctx + [it])
            elif not truthy(v):
                out += body(inner, ctx)
            i = j
            continue
        m = re.match(r"^(\|\s*)\{\{#\s*(\w+)\s*\}\}(.*)\{\{/\s*\2\s*\}\}(\s*\|\s*)$", line)
        if m:  # a table row section on one row
            for it in items_of(lookup(m.group(2), ctx)):
                out.append(m.group(1) + subst(m.group(3), ctx + [it], md_escape) + m.group(4))
            i += 1
            continue
        out.append(subst(line, ctx, md_escape))
        i += 1
    return out


def expand(template, row):
    lines = template.split("\n")
    end = lines.index("---", 1)
    out = [lines[0]]
    for l in lines[1:end]:
        out += yaml_line(l, [row]) if not l.lstrip().startswith("#") else [l]
    out.append("---")
    out += body(lines[end + 1:], [row])
    return "\n".join(out)


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    rows = read_rows(argv[2])
    row = rows[int(argv[3]) - 1]
    sys.stdout.write(expand(open(argv[1], encoding="utf-8").read(), row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
