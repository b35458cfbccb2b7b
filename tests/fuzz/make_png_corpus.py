#!/usr/bin/env python3
"""Seeds for fuzz_png (tests/fuzz/README.md): every PNG colour type x bit depth
x tRNS x interlacing of tests/pngmake.py at a few odd sizes (so the Adam7
passes are partly empty), and the images of tests/ and samples/.
    tests/fuzz/make_png_corpus.py OUTDIR"""
import hashlib
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(root, "tests"))
import pngmake  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 0


def put(data):
    global n
    path = os.path.join(out, hashlib.sha1(data).hexdigest()[:16])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    n += 1


for kind, depth, trns in pngmake.COMBOS:
    for interlace in (0, 1):
        for w, h in ((1, 1), (3, 5), (16, 16)):
            put(pngmake.make_png(kind, depth, interlace, trns, w, h)[0])
for d in ("tests", "samples"):
    for dirpath, _, files in os.walk(os.path.join(root, d)):
        for f in files:
            p = os.path.join(dirpath, f)
            if f.endswith(".png") and os.path.getsize(p) <= 65536:
                put(open(p, "rb").read())
print("fuzz_png: %d seeds in %s" % (n, out))
