#!/usr/bin/env python3
"""Writes a PNG test image: a red ring on a transparent background (a stand-in
for a seal), RGBA, with a pHYs chunk giving its resolution. Standard library
only, so tests can make images without any imaging package.

    tools/make_seal_png.py OUT.png [SIZE_PX] [DPI]
"""
import struct
import sys
import zlib


def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def seal(size=240, dpi=150):
    rows = []
    c = (size - 1) / 2.0
    r_out, r_in = size / 2.0 - 2, size / 2.0 - 14
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            d = ((x - c) ** 2 + (y - c) ** 2) ** 0.5
            on = r_in <= d <= r_out or abs(d - r_in * 0.6) < 3
            row += bytes((220, 20, 30, 255)) if on else bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    ppm = int(round(dpi / 0.0254))
    phys = struct.pack(">IIB", ppm, ppm, 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"pHYs", phys)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 240
    dpi = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    with open(sys.argv[1], "wb") as f:
        f.write(seal(size, dpi))
