#!/usr/bin/env bash
# Cuts the samples and the layout profiles into small seed files for the
# fuzzers (tests/fuzz/README.md):
#   tests/fuzz/make_corpus.sh [OUTDIR]     (default: build-fuzz/corpus)
# writes OUTDIR/fuzz_source, fuzz_table, fuzz_profile, fuzz_render, fuzz_font and fuzz_data
# (the installed Liberation Serif faces, each after its selector byte). Seeds
# are at most 4 KiB (the fuzzers' -max_len; 8 KiB for profiles) except the
# whole profiles, so a seed is a front matter with a few body blocks, one
# table, or the sections every profile needs plus one more; fuzz_render gets
# each source twice, once alone and once after its profile and a NUL (the latter
# also in fuzz_render_profile, for runs that fuzz profiles only). The files are
# named by their content's hash: re-running adds nothing already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/build-fuzz/corpus}"
mkdir -p "$out"/fuzz_source "$out"/fuzz_table "$out"/fuzz_profile "$out"/fuzz_render "$out"/fuzz_render_profile \
    "$out"/fuzz_font "$out"/fuzz_data
python3 - "$root" "$out" <<'PY'
import hashlib, os, re, sys

root, out = sys.argv[1], sys.argv[2]
MAX = 4096
written = {}

def put(harness, data):
    if isinstance(data, str):
        data = data.encode()
    name = hashlib.sha1(data).hexdigest()[:16]
    path = os.path.join(out, harness, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    written[harness] = written.get(harness, 0) + 1

def samples():
    for d, _, files in os.walk(os.path.join(root, "samples")):
        for f in sorted(files):
            if f.endswith(".md"):
                yield os.path.join(d, f)
    yield os.path.join(root, "tests", "data", "coverage.md")

def split_source(text):
    """(front matter with its --- lines, body blocks separated by blank lines)."""
    m = re.match(r"(---\n.*?\n---\n)(.*)", text, re.S)
    fm, body = (m.group(1), m.group(2)) if m else ("", text)
    blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
    return fm, blocks

def pieces(fm, blocks):
    """Front matter + consecutive blocks up to MAX bytes; each block used once."""
    cur = fm + "\n"
    for b in blocks:
        if len((cur + b + "\n\n").encode()) > MAX and cur != fm + "\n":
            yield cur
            cur = fm + "\n"
        if len((fm + "\n" + b).encode()) <= MAX:
            cur += b + "\n\n"
    if cur != fm + "\n":
        yield cur

def strip_profile(text):
    """A profile without its comments and blank lines (about 11 KiB instead of 30)."""
    lines = [re.sub(r"\s+#.*$", "", l) for l in text.split("\n")]
    return "\n".join(l for l in lines if l.strip() and not l.lstrip().startswith("#")) + "\n"

PROFILES = {}
for f in sorted(os.listdir(os.path.join(root, "layouts"))):
    if f.endswith(".yaml"):
        PROFILES[f[:-5]] = strip_profile(open(os.path.join(root, "layouts", f), encoding="utf-8").read())
FOLDER_PROFILE = {"party36": "party-36-2018", "party05": "party-05-2026", "state": "state-30-2020"}

for path in samples():
    if not os.path.exists(path):
        continue
    text = open(path, encoding="utf-8").read()
    fm, blocks = split_source(text)
    srcs = list(pieces(fm, blocks))[:4]
    prof = PROFILES.get(FOLDER_PROFILE.get(os.path.basename(os.path.dirname(path)), "party-36-2018"))
    for i, s in enumerate(srcs):
        put("fuzz_source", s)
        # render: option byte first (bit 0 greedy, bit 1 duplex, bit 3 dump); vary it per piece
        put("fuzz_render", bytes([(0, 1, 2, 8)[i % 4]]) + s.encode())
        # bit 4: the profile of the sample's folder (fuzzed as a whole), a NUL, the source
        if prof:
            seed = bytes([16 | (0, 1, 2, 8)[i % 4]]) + prof.encode() + b"\0" + s.encode()
            put("fuzz_render", seed)
            put("fuzz_render_profile", seed)  # the same harness, fuzzing only inputs with a profile
    # the front matter alone and the body alone
    if fm:
        put("fuzz_source", fm)
    # every table: the run of lines starting with '|'
    for b in blocks:
        lines = b.split("\n")
        if lines and all(l.lstrip().startswith("|") for l in lines):
            t = "\n".join(lines).encode()
            if len(t) <= MAX:
                put("fuzz_table", t)
    # landscape and appendix markers with a table: the body's last blocks
    tail = [b for b in blocks if b.startswith("# PHỤ LỤC") or b.startswith("\\landscape")]
    if tail:
        put("fuzz_source", fm + "\n" + "\n\n".join(tail)[:MAX - len(fm)])

# profiles: whole, without comments, and the sections a profile needs
# (CORE) with each other section in turn, so the seeds get past the
# required-key checks into every section's reader
CORE = ["page", "margins", "fonts", "date", "styles", "body", "table"]
MAX_PROFILE = 8192
for f in sorted(os.listdir(os.path.join(root, "layouts"))):
    if not f.endswith(".yaml"):
        continue
    text = open(os.path.join(root, "layouts", f), encoding="utf-8").read()
    put("fuzz_profile", text)
    lines = [re.sub(r"\s+#.*$", "", l) for l in text.split("\n") if not l.lstrip().startswith("#") and l.strip()]
    head, sections, cur = [], {}, None
    for l in lines:
        if not l.startswith(" "):
            cur = None
            if re.match(r"(schema|id|name|regime|valid_\w+):", l):
                head.append(l)
            else:
                cur = l.split(":")[0]
                sections[cur] = [l]
        elif cur is not None:
            sections[cur].append(l)
    put("fuzz_profile", "\n".join(lines) + "\n")
    core = head + [l for k in CORE if k in sections for l in sections[k]]
    put("fuzz_profile", "\n".join(core) + "\n")
    for k, s in sections.items():
        if k not in CORE:
            body = "\n".join(core + s) + "\n"
            if len(body.encode()) <= MAX_PROFILE:
                put("fuzz_profile", body)

# fonts: the face selector byte (0 regular, 1 bold, 2 italic, 3 bold italic), then the installed
# Liberation Serif file of that face; copied here at each run, never committed (fonts are not)
lib = os.environ.get("VB_FUZZ_LIBERATION_DIR") or "/usr/share/fonts/truetype/liberation2"
for k, face in enumerate(("Regular", "Bold", "Italic", "BoldItalic")):
    path = os.path.join(lib, "LiberationSerif-%s.ttf" % face)
    if os.path.exists(path):
        put("fuzz_font", bytes([k]) + open(path, "rb").read())

# data files (fuzz_data): the selector byte (0 by the first byte, 1 CSV, 2 JSON, 3 by the name
# "fuzz.tsv"), then the test's data files and the batch samples' (their first 4 KiB)
for d in (os.path.join(root, "tests", "data", "data-files"), os.path.join(root, "samples", "batch")):
    if not os.path.isdir(d):
        continue
    for f in sorted(os.listdir(d)):
        ext = os.path.splitext(f)[1]
        if ext not in (".csv", ".tsv", ".json"):
            continue
        data = open(os.path.join(d, f), "rb").read()[:MAX - 1]
        put("fuzz_data", bytes([2 if ext == ".json" else 3 if ext == ".tsv" else 1]) + data)
        put("fuzz_data", b"\0" + data)

for h in sorted(written):
    print(f"{h}: {written[h]} seeds in {os.path.join(out, h)}")
PY
