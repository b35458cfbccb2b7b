"""A small PNG writer for the tests (zlib + struct): every colour type, bit
depth and Adam7 interlacing, with optional tRNS, so the image path can be
driven through all of them. make_png(kind, depth, interlace, trns) returns the
file's bytes and, for each of the four quadrants of the image (top-left,
top-right, bottom-left, bottom-right), the 8-bit RGB colour it must show on a
white page (alpha composited)."""
import struct
import zlib

SIZE = 16  # pixels a side; each quadrant is 8 x 8

# the logical colours of the quadrants: RGB 0..1 and alpha 0..1
RGB = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0)]
GREY = [0, 1, 1 / 3, 2 / 3]


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _pack(samples, depth):
    """One scanline's samples (integers) packed at depth bits, MSB first."""
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, nbits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        nbits += depth
        if nbits == 8:
            out.append(acc)
            acc, nbits = 0, 0
    if nbits:
        out.append(acc << (8 - nbits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def _raw(pixels, w, h, depth, interlace):
    """pixels[y][x] is a list of samples; the filtered (type 0) image data."""
    out = bytearray()
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        for y in range(y0, h, dy):
            xs = list(range(x0, w, dx))
            if not xs:
                continue
            out.append(0)
            out += _pack([s for x in xs for s in pixels[y][x]], depth)
    return bytes(out)


def quadrant(x, y, w=SIZE, h=SIZE):
    return (1 if x >= w // 2 else 0) + (2 if y >= h // 2 else 0)


def make_png(kind, depth, interlace, trns=False, w=SIZE, h=SIZE):
    """kind: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. With alpha (4, 6,
    or tRNS) the bottom-right quadrant is fully transparent."""
    mx = (1 << depth) - 1
    plte = b""
    extra = b""
    expect = []
    # one entry per quadrant: samples, expected colour
    q = []
    for i in range(4):
        transparent = i == 3 and (kind in (4, 6) or trns)
        if kind in (0, 4):
            g = GREY[i] if depth > 1 else [0, 1, 0, 1][i]
            v = round(g * mx)
            s = [v] + ([0 if transparent else mx] if kind == 4 else [])
            c = round(v * 255 / mx)
            expect.append((255, 255, 255) if transparent else (c, c, c))
        elif kind in (2, 6):
            r = [round(c * mx) for c in RGB[i]]
            s = r + ([0 if transparent else mx] if kind == 6 else [])
            expect.append((255, 255, 255) if transparent else tuple(round(c * 255) for c in RGB[i]))
        else:
            idx = i if depth > 1 else i & 1
            s = [idx]
            if depth == 1:  # two entries: red, green; with tRNS green is transparent
                transparent = trns and idx == 1
            expect.append((255, 255, 255) if transparent else tuple(round(c * 255) for c in RGB[idx]))
        q.append(s)
    if kind == 3:
        n = 2 if depth == 1 else 4
        plte = chunk(b"PLTE", b"".join(bytes(round(c * 255) for c in RGB[k]) for k in range(n)))
        if trns:
            extra = chunk(b"tRNS", bytes([255] * (n - 1) + [0]))
    elif trns and kind == 0:
        v = q[3][0]
        extra = chunk(b"tRNS", struct.pack(">H", v))
        # the same grey elsewhere would be transparent too: no other quadrant has it
    elif trns and kind == 2:
        extra = chunk(b"tRNS", struct.pack(">HHH", *q[3]))
    pixels = [[q[quadrant(x, y, w, h)] for x in range(w)] for y in range(h)]
    ihdr = struct.pack(">IIBBBBB", w, h, depth, kind, 0, 0, 1 if interlace else 0)
    data = zlib.compress(_raw(pixels, w, h, depth, interlace))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + plte + extra + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return png, expect


# every (kind, depth, tRNS) the PNG format allows, each to be written plain and interlaced
COMBOS = ([(0, d, False) for d in (1, 2, 4, 8, 16)] + [(0, 8, True), (0, 16, True)]
          + [(2, d, False) for d in (8, 16)] + [(2, 8, True), (2, 16, True)]
          + [(3, d, t) for d in (1, 2, 4, 8) for t in (False, True)]
          + [(4, d, False) for d in (8, 16)] + [(6, d, False) for d in (8, 16)])
