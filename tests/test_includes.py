#!/usr/bin/env python3
"""The modules of src/ depend on each other one way, in the order of the pipeline.

    python3 tests/test_includes.py build/vanban      (cwd = project root; the CLI is not used)

A module is a .c file and its .h (layout.c + layout.h). A header with no .c of its own (model.h,
input.h) is one module with the .c files, without a header of their own, that define what it
declares (input.h: text.c, frontmatter.c, input_md.c, tablesrc.c, model_dump.c). Module A depends on
module B when a file of A includes a header of B (`#include "…"`).

  - declared.home: every function a module's header declares is defined in that module's .c (a
    header declaring another file's functions, as layout.h once did for band.c, table.c and
    paginate.c, hides a dependency from the includes);
  - acyclic: the module graph has no cycle (it had one: layout.c → band.c → layout.c);
  - stages: a module depends only on modules of its own stage or of an earlier one:
    base ← reading ← merge ← profile ← fonts ← layout ← output ← signing ← api ← commands, with the exceptions
    listed in EXCEPTIONS, each with its reason.

Prints one line per check and "N passed, M failed"."""
import glob
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck as P  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
STAGES = ["base", "reading", "merge", "profile", "fonts", "layout", "output", "signing", "api", "commands"]

# (from module, to module): why a module may use a later stage's module
EXCEPTIONS = {
    ("limit", "model"): "limit.c names every limit of a render in one place, so it also walks the "
                        "model for the paragraph limits (vb_limits_check_model); model.h is types only, "
                        "and limit.c is used by the readers that make the model",
}


def strip(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def declared(header_text):
    """Functions a header declares (prototypes ending in ';', not static inline bodies)."""
    body = re.sub(r"^#.*?(?<!\\)$", "", header_text, flags=re.M | re.S)
    return set(m.group(1) for m in re.finditer(
        r"\b(vb_\w+)\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)?;", body, re.S))


def load():
    files = {}
    for p in sorted(glob.glob(os.path.join(ROOT, "src", "*", "*.[ch]")) +
                    glob.glob(os.path.join(ROOT, "src", "*", "*.def"))):
        files[os.path.relpath(p, os.path.join(ROOT, "src"))] = strip(open(p, encoding="utf-8").read())
    return files


def build(files):
    """(module of each file, stage of each module, edges {module: {module: [why]}}, misplaced declarations)."""
    defs = {}
    for f, t in files.items():
        if f.endswith(".c"):
            for m in re.finditer(r"^(vb_\w+)\s*\(", t, re.M):
                defs.setdefault(m.group(1), set()).add(f)
    stem = lambda f: os.path.splitext(f)[0]  # noqa: E731
    module = {f: os.path.basename(stem(f)) for f in files}
    misplaced = []
    for h, t in files.items():
        if not h.endswith(".h"):
            continue
        own = stem(h) + ".c"
        for fn in sorted(declared(t)):
            where = defs.get(fn, set())
            if own in files:
                misplaced += ["%s declares %s, defined in %s" % (h, fn, ", ".join(sorted(where)))
                              for _ in [0] if where and own not in where]
            else:
                # a header-only module: the .c files without their own header that define it join it
                for c in where:
                    if stem(c) + ".h" not in files:
                        module[c] = module[h]
    # a .c that joined two header-only modules (frontmatter.c: input.h and model.h) merges them
    changed = True
    while changed:
        changed = False
        for c in [f for f in files if f.endswith(".c")]:
            for h in [f for f in files if f.endswith(".h") and stem(f) + ".c" not in files]:
                fns = declared(files[h])
                if any(c in defs.get(fn, ()) for fn in fns) and stem(c) + ".h" not in files \
                        and module[h] != module[c]:
                    old, new = module[h], module[c]
                    for f in module:
                        if module[f] == old:
                            module[f] = new
                    changed = True
    stage = {}
    for f, m in module.items():
        stage.setdefault(m, set()).add(f.split("/")[0])
    by_name = {os.path.basename(f): f for f in files}
    edges = {}
    for f, t in files.items():
        for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)"', t, re.M):
            if inc not in by_name:
                continue  # include/vanban.h: the public API, under every module
            a, b = module[f], module[by_name[inc]]
            if a != b:
                edges.setdefault(a, {}).setdefault(b, []).append("%s includes %s" % (f, inc))
    return module, stage, edges, misplaced


def cycles(edges):
    """Every cycle found by a depth-first walk, as a list of modules."""
    found, state, path = [], {}, []

    def walk(m):
        state[m] = 1
        path.append(m)
        for n in sorted(edges.get(m, {})):
            if state.get(n) == 1:
                found.append(path[path.index(n):] + [n])
            elif n not in state:
                walk(n)
        path.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            walk(m)
    return found


def main():
    ck = P.Checker()
    files = load()
    module, stage, edges, misplaced = build(files)
    ck.check("modules.found", len(set(module.values())) >= 20, "%d modules" % len(set(module.values())))
    ck.check("declared.home", not misplaced, "; ".join(misplaced))
    mixed = {m: s for m, s in stage.items() if len(s) > 1}
    ck.check("modules.one-stage", not mixed, "modules across stage folders: %s" % mixed)
    cyc = cycles(edges)
    ck.check("acyclic", not cyc, "cycles: %s" % [" → ".join(c) for c in cyc])
    rank = lambda m: STAGES.index(sorted(stage[m])[0])  # noqa: E731
    back = []
    for a, outs in sorted(edges.items()):
        for b, why in sorted(outs.items()):
            if rank(b) > rank(a) and (a, b) not in EXCEPTIONS:
                back.append("%s (%s) → %s (%s): %s" % (a, sorted(stage[a])[0], b, sorted(stage[b])[0], why[0]))
    ck.check("stages", not back, "a stage uses a later one: %s" % back)
    used = [e for e in EXCEPTIONS if e[1] in edges.get(e[0], {})]
    ck.check("exceptions.current", len(used) == len(EXCEPTIONS),
             "exceptions that no longer occur (remove them): %s" % sorted(set(EXCEPTIONS) - set(used)))
    # the layout modules named in the issue: one way, layout.c at the top
    lay = {m: sorted(edges.get(m, {})) for m in ("layout", "band", "table", "paginate", "chunk")}
    ck.check("layout.one-way", "layout" not in sum(lay.values(), []) and "band" in lay["layout"]
             and "table" in lay["layout"] and "paginate" in lay["layout"], "layout modules: %s" % lay)
    return ck.done()


if __name__ == "__main__":
    sys.exit(main())
