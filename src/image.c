/*
 * image.c - reading and checking PNG images (the only zlib user besides the
 * PDF library itself).
 *
 * A PNG is a signature and a list of chunks (length, type, data, CRC). The
 * checks: every chunk fits in the file and its CRC is right; IHDR comes first
 * with a valid width, height, bit depth and colour type; the IDAT chunks
 * inflate to exactly the number of bytes the header promises (each scanline
 * is a filter byte plus its pixels; interlaced images are seven smaller
 * passes); IEND ends it. Checking here first means that a broken file is an
 * error at its place in the source, with nothing written.
 *
 * The PDF writer embeds the pixels vb_image_decode gives it (libpng's
 * simplified API), not the PNG file: libharu's own PNG loader refuses
 * interlaced images and, for one with alpha, frees its buffers twice after
 * that failure.
 */
#include "image.h"
#include "limit.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes of image data (filter bytes included) for a w x h image of bpp bits per pixel. */
static uint64_t
raw_size(uint64_t w, uint64_t h, unsigned bpp, int interlace)
{
    if (!interlace)
        return h * (1 + (w * bpp + 7) / 8);
    /* Adam7: the seven passes' starting points and steps */
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    static const int y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    uint64_t total = 0;
    for (int p = 0; p < 7; p++) {
        uint64_t pw = w > (uint64_t)x0[p] ? (w - (uint64_t)x0[p] + (uint64_t)dx[p] - 1) / (uint64_t)dx[p] : 0;
        uint64_t ph = h > (uint64_t)y0[p] ? (h - (uint64_t)y0[p] + (uint64_t)dy[p] - 1) / (uint64_t)dy[p] : 0;
        if (pw && ph)
            total += ph * (1 + (pw * bpp + 7) / 8);
    }
    return total;
}

static unsigned
bits_per_pixel(unsigned depth, unsigned color, bool *ok)
{
    unsigned channels = 0;
    *ok = false;
    switch (color) {
    case 0: /* grey */
        channels = 1, *ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        break;
    case 2: /* RGB */
        channels = 3, *ok = depth == 8 || depth == 16;
        break;
    case 3: /* palette */
        channels = 1, *ok = depth == 1 || depth == 2 || depth == 4 || depth == 8;
        break;
    case 4: /* grey + alpha */
        channels = 2, *ok = depth == 8 || depth == 16;
        break;
    case 6: /* RGBA */
        channels = 4, *ok = depth == 8 || depth == 16;
        break;
    }
    return channels * depth;
}

vb_status_t
vb_image_load(vb_arena_t *arena, const char *path, const char *source, int line, int col, vb_image_t *out,
              vb_diag_t *d)
{
    return vb_image_load_lim(arena, path, source, line, col, NULL, out, d);
}

vb_status_t
vb_image_load_lim(vb_arena_t *arena, const char *path, const char *source, int line, int col,
                  const vb_limits_t *lim, vb_image_t *out, vb_diag_t *d)
{
    return vb_image_load_doc(arena, path, source, line, col, lim, NULL, out, d);
}

vb_status_t
vb_image_load_doc(vb_arena_t *arena, const char *path, const char *source, int line, int col,
                  const vb_limits_t *lim, int64_t *pixels_so_far, vb_image_t *out, vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return vb_diag_set(d, VB_E_INPUT, "image.read", source, line, col, "Cannot read the image %s: %s.", path,
                           strerror(errno));
    /* the size first, so that a huge file is refused before it is read */
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return vb_diag_set(d, VB_E_INPUT, "image.read", source, line, col, "Cannot read the image %s.", path);
    }
    if ((int64_t)size > lim->image_bytes) {
        fclose(f);
        return vb_limit_fail(d, "image.too-large", source, line, col, "image-bytes",
                             "The image %s has %ld bytes, more than %lld", path, size, (long long)lim->image_bytes);
    }
    unsigned char *buf = vb_arena_alloc(arena, (size_t)size + 1);
    if (!buf) {
        fclose(f);
        return vb_diag_nomem(d);
    }
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    if (got != (size_t)size)
        return vb_diag_set(d, VB_E_INPUT, "image.read", source, line, col, "Cannot read the image %s.", path);
    return vb_image_check_mem(buf, got, path, source, line, col, lim, pixels_so_far, out, d);
}

vb_status_t
vb_image_check_mem(const unsigned char *buf, size_t got, const char *path, const char *source, int line, int col,
                   const vb_limits_t *lim, int64_t *pixels_so_far, vb_image_t *out, vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    memset(out, 0, sizeof *out);
    if ((int64_t)got > lim->image_bytes)
        return vb_limit_fail(d, "image.too-large", source, line, col, "image-bytes",
                             "The image %s has %zu bytes, more than %lld", path, got, (long long)lim->image_bytes);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (got < 8 || memcmp(buf, sig, 8) != 0)
        return vb_diag_set(d, VB_E_INPUT, "image.format", source, line, col,
                           "The image %s is not a PNG file; only PNG images are supported.", path);

    uint32_t w = 0, h = 0, ppm_x = 0, ppm_y = 0;
    unsigned depth = 0, color = 0, interlace = 0, bpp = 0;
    bool have_ihdr = false, have_iend = false;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    bool z_open = false;
    uint64_t inflated = 0, expected = 0;
    unsigned char sink[16384];
    vb_status_t rc = VB_OK;
    size_t p = 8;
    while (rc == VB_OK && !have_iend) {
        if (got - p < 12) {
            rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                             "The image %s is cut short (no IEND chunk).", path);
            break;
        }
        uint32_t len = be32(buf + p);
        const unsigned char *type = buf + p + 4, *data = buf + p + 8;
        if (len > got - p - 12) {
            rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                             "The image %s is corrupt: a chunk runs past the end of the file.", path);
            break;
        }
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), type, len + 4);
        if (crc != be32(data + len)) {
            bool named = true; /* a corrupt type must not reach the message as raw bytes */
            for (int k = 0; k < 4; k++)
                named = named && ((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z'));
            rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                             "The image %s is corrupt: the %.4s chunk fails its checksum.", path,
                             named ? (const char *)type : "????");
            break;
        }
        if (!have_ihdr && memcmp(type, "IHDR", 4) != 0) {
            rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                             "The image %s is corrupt: it does not start with its header (IHDR).", path);
            break;
        }
        if (!memcmp(type, "IHDR", 4)) {
            bool ok = false;
            if (len == 13) {
                w = be32(data), h = be32(data + 4), depth = data[8], color = data[9], interlace = data[12];
                bpp = bits_per_pixel(depth, color, &ok);
                ok = ok && w > 0 && h > 0 && w < (1u << 31) && h < (1u << 31) && data[10] == 0 && data[11] == 0 &&
                     interlace <= 1;
            }
            if (!ok || have_ihdr) {
                rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                                 "The image %s is corrupt: its header (IHDR) is not valid.", path);
                break;
            }
            if ((uint64_t)w * h > (uint64_t)lim->image_pixels) {
                rc = vb_limit_fail(d, "image.too-large", source, line, col, "image-pixels",
                                   "The image %s has %u x %u pixels, more than %lld", path, w, h,
                                   (long long)lim->image_pixels);
                break;
            }
            if (pixels_so_far && (int64_t)((uint64_t)w * h) > lim->image_total_pixels - *pixels_so_far) {
                rc = vb_limit_fail(d, "image.too-many-pixels", source, line, col, "image-total-pixels",
                                   "The images up to %s have %lld pixels in all, more than %lld", path,
                                   (long long)(*pixels_so_far + (int64_t)((uint64_t)w * h)),
                                   (long long)lim->image_total_pixels);
                break;
            }
            have_ihdr = true;
            expected = raw_size(w, h, bpp, (int)interlace);
        } else if (!memcmp(type, "pHYs", 4) && len == 9 && data[8] == 1) {
            ppm_x = be32(data), ppm_y = be32(data + 4);
        } else if (!memcmp(type, "IDAT", 4)) {
            if (!z_open) {
                if (inflateInit(&zs) != Z_OK) {
                    rc = vb_diag_nomem(d);
                    break;
                }
                z_open = true;
            }
            zs.next_in = (unsigned char *)data;
            zs.avail_in = len;
            while (zs.avail_in > 0) {
                zs.next_out = sink;
                zs.avail_out = sizeof sink;
                int zr = inflate(&zs, Z_NO_FLUSH);
                inflated += sizeof sink - zs.avail_out;
                if (zr == Z_STREAM_END)
                    break;
                if (zr != Z_OK || inflated > expected) {
                    rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                                     "The image %s is corrupt: its pixel data does not decompress.", path);
                    break;
                }
            }
        } else if (!memcmp(type, "IEND", 4)) {
            have_iend = true;
        }
        p += 12 + (size_t)len;
    }
    if (z_open) {
        /* whatever is still buffered in zlib */
        while (rc == VB_OK) {
            zs.next_out = sink;
            zs.avail_out = sizeof sink;
            int zr = inflate(&zs, Z_FINISH);
            inflated += sizeof sink - zs.avail_out;
            if (zr != Z_OK && zr != Z_BUF_ERROR)
                break;
            if (zs.avail_out == sizeof sink)
                break;
        }
        inflateEnd(&zs);
    }
    if (rc == VB_OK && (!z_open || inflated != expected))
        rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                         "The image %s is corrupt: its pixel data holds %llu bytes where %llu are expected.", path,
                         (unsigned long long)inflated, (unsigned long long)expected);
    if (rc != VB_OK)
        return rc;
    if (pixels_so_far)
        *pixels_so_far += (int64_t)((uint64_t)w * h);
    out->path = path;
    out->source = source;
    out->line = line;
    out->col = col;
    out->data = buf;
    out->len = got;
    out->px_w = w;
    out->px_h = h;
    out->ppm_x = ppm_x;
    out->ppm_y = ppm_y;
    return VB_OK;
}

void
vb_image_size(const vb_image_t *img, vb_len_t max_width, vb_len_t *w, vb_len_t *h)
{
    int64_t width = img->width;
    if (width <= 0) {
        /* the image's own size: its pHYs resolution, or 96 pixels per inch (a screen's) */
        int64_t ppm = img->ppm_x ? img->ppm_x : 3780;
        width = vb_len_mul_div((int64_t)img->px_w * 72000, 10000, ppm * 254);
    }
    if (width > max_width)
        width = max_width;
    if (width < 1)
        width = 1;
    int64_t ppm_x = img->ppm_x ? img->ppm_x : 1, ppm_y = img->ppm_y ? img->ppm_y : 1;
    /*
     * keep the aspect ratio, with non-square pixels as pHYs says; a strip of
     * 1 x 8000 pixels, or a pHYs ratio of 2^32, saturates (and is then too
     * tall for any page) instead of wrapping to a negative height
     */
    int64_t height = vb_len_mul_div(width * img->px_h, ppm_x, (int64_t)img->px_w * ppm_y);
    *w = (vb_len_t)width;
    *h = (vb_len_t)(height > 0 ? height : 1);
}

void
vb_image_pixels_free(vb_image_pixels_t *px)
{
    if (!px)
        return;
    free(px->color);
    free(px->alpha);
    px->color = px->alpha = NULL;
}

vb_status_t
vb_image_decode(const vb_image_t *img, vb_image_pixels_t *out, vb_diag_t *d)
{
    memset(out, 0, sizeof *out);
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, img->data, img->len))
        return vb_diag_set(d, VB_E_INPUT, "image.decode", img->source, img->line, img->col, "The image %s cannot be decoded: %s.",
                           img->path, pi.message);
    bool color = (pi.format & PNG_FORMAT_FLAG_COLOR) != 0, alpha = (pi.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    pi.format = (color ? PNG_FORMAT_FLAG_COLOR : 0) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0);
    /* 16-bit samples without gAMA or sRGB are sRGB, as every viewer shows them, not linear */
    pi.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
    int ch = color ? 3 : 1, all = ch + (alpha ? 1 : 0);
    /* the header was checked by vb_image_load: the same sizes, within the pixel limit */
    uint64_t n = (uint64_t)pi.width * pi.height;
    if (pi.width != img->px_w || pi.height != img->px_h || n * (uint64_t)all > (uint64_t)INT32_MAX) {
        png_image_free(&pi);
        return vb_diag_set(d, VB_E_INPUT, "image.decode", img->source, img->line, img->col,
                           "The image %s cannot be decoded: it has %u x %u pixels.", img->path, pi.width, pi.height);
    }
    unsigned char *buf = malloc((size_t)n * (size_t)all);
    unsigned char *a = alpha ? malloc((size_t)n) : NULL;
    if (!buf || (alpha && !a)) {
        free(buf);
        free(a);
        png_image_free(&pi);
        return vb_diag_nomem(d);
    }
    if (!png_image_finish_read(&pi, NULL, buf, 0, NULL)) {
        free(buf);
        free(a);
        png_image_free(&pi);
        return vb_diag_set(d, VB_E_INPUT, "image.decode", img->source, img->line, img->col, "The image %s cannot be decoded: %s.",
                           img->path, pi.message);
    }
    png_image_free(&pi);
    if (alpha) {
        /* the colour packed in place at the start, the alpha apart (the PDF's soft mask) */
        for (size_t i = 0; i < (size_t)n; i++) {
            const unsigned char *s = buf + i * (size_t)all;
            unsigned char *c = buf + i * (size_t)ch;
            a[i] = s[ch];
            for (int k = 0; k < ch; k++)
                c[k] = s[k];
        }
        unsigned char *shrunk = realloc(buf, (size_t)n * (size_t)ch);
        if (shrunk)
            buf = shrunk;
    }
    out->w = img->px_w;
    out->h = img->px_h;
    out->channels = ch;
    out->color = buf;
    out->alpha = a;
    return VB_OK;
}
