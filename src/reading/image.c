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
 * The PDF writer embeds the pixels vb_image_decode_rows gives it (libpng),
 * not the PNG file: libharu's own PNG loader refuses interlaced images and,
 * for one with alpha, frees its buffers twice after that failure. Rows are
 * handed over one at a time, so only an interlaced image is ever held whole
 * here (its last pass completes every row).
 */
#include "image.h"
#include "limit.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
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
    return vb_image_read(arena, path, path, source, line, col, lim, NULL, out, d);
}

vb_status_t
vb_image_read(vb_arena_t *arena, const char *open_path, const char *path, const char *source, int line, int col,
              const vb_limits_t *lim, int64_t *pixels_so_far, vb_image_t *out, vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    memset(out, 0, sizeof *out);
    /* a regular file only, never waited on; the size first, so that a huge file is refused before it is read */
    char *cbuf = NULL;
    size_t got = 0;
    vb_file_result_t fr;
    if (!vb_file_read(arena, open_path, lim->image_bytes, &cbuf, &got, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(d);
        if (fr.status == VB_FILE_TOO_LARGE)
            return vb_limit_fail(d, "image.too-large", source, line, col, "image-bytes",
                                 "The image %s has %lld bytes, more than %lld", path, (long long)fr.size,
                                 (long long)lim->image_bytes);
        return vb_diag_set(d, VB_E_INPUT, "image.read", source, line, col, "Cannot read the image %s: %s.", path,
                           vb_file_why(&fr));
    }
    return vb_image_check_mem((const unsigned char *)cbuf, got, path, source, line, col, lim, pixels_so_far, out, d);
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
    bool have_ihdr = false, have_iend = false, have_plte = false;
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
        } else if (!memcmp(type, "PLTE", 4)) {
            have_plte = true;
        } else if (!memcmp(type, "IDAT", 4)) {
            if (color == 3 && !have_plte) {
                rc = vb_diag_set(d, VB_E_INPUT, "image.corrupt", source, line, col,
                                 "The image %s is corrupt: it has a palette colour type but no palette (PLTE).", path);
                break;
            }
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

/* ---- decoding (libpng) ---- */

typedef struct pngrd {
    const unsigned char *data;
    size_t len, off;
    char msg[200]; /* libpng's error */
} pngrd_t;

static void
png_read_mem(png_structp png, png_bytep out, size_t n)
{
    pngrd_t *r = png_get_io_ptr(png);
    if (n > r->len - r->off)
        png_error(png, "the file ends early");
    memcpy(out, r->data + r->off, n);
    r->off += n;
}

static void
png_fail(png_structp png, png_const_charp msg)
{
    pngrd_t *r = png_get_error_ptr(png);
    snprintf(r->msg, sizeof r->msg, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* a warning (an unknown ancillary chunk, a bad gAMA) leaves the pixels usable */
}

/* One decoded row (all channels interleaved) split into colour and alpha, handed to row(). */
static vb_status_t
emit_row(const unsigned char *src, uint32_t w, int ch, bool alpha, unsigned char *color, unsigned char *a,
         vb_image_row_fn row, void *ctx)
{
    if (!alpha)
        return row(ctx, src, NULL);
    int all = ch + 1;
    for (uint32_t x = 0; x < w; x++) {
        for (int k = 0; k < ch; k++)
            color[(size_t)x * ch + k] = src[(size_t)x * all + k];
        a[x] = src[(size_t)x * all + ch];
    }
    return row(ctx, color, a);
}

vb_status_t
vb_image_decode_rows(const vb_image_t *img, vb_image_begin_fn begin, vb_image_row_fn row, void *ctx, vb_diag_t *d)
{
    pngrd_t r;
    memset(&r, 0, sizeof r);
    r.data = img->data;
    r.len = img->len;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_fail, png_warn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return vb_diag_nomem(d);
    }
    /* what a longjmp from libpng must still see */
    unsigned char *volatile buf = NULL, *volatile split = NULL;
    volatile vb_status_t st = VB_OK;
    if (setjmp(png_jmpbuf(png))) {
        free(buf);
        free(split);
        png_destroy_read_struct(&png, &info, NULL);
        return vb_diag_set(d, VB_E_INPUT, "image.decode", img->source, img->line, img->col,
                           "The image %s cannot be decoded: %s.", img->path, r.msg);
    }
    png_set_read_fn(png, &r, png_read_mem);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff); /* the pixel limits were checked (image-pixels) */
    png_read_info(png, info);
    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0, ilace = 0;
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &ilace, NULL, NULL);
    /* to 8-bit grey or RGB, with alpha when the image has it or a tRNS colour */
    if (ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    if (depth == 16)
        png_set_scale_16(png); /* read as sRGB, as viewers show a PNG without gAMA */
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int all = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    bool alpha = all == 2 || all == 4;
    int ch = alpha ? all - 1 : all;
    if (w != img->px_w || h != img->px_h || png_get_bit_depth(png, info) != 8 || all < 1 || all > 4 ||
        rowbytes != (size_t)w * (size_t)all)
        png_error(png, "its header does not match its pixels");
    /* an interlaced image is whole before its first row is known; any other is read a row at a time */
    uint64_t nbuf = (uint64_t)rowbytes * (passes > 1 ? h : 1);
    if (nbuf > (uint64_t)INT32_MAX)
        png_error(png, "it is too large");
    buf = malloc((size_t)nbuf);
    split = alpha ? malloc((size_t)w * (size_t)all) : NULL;
    if (!buf || (alpha && !split))
        st = vb_diag_nomem(d);
    vb_image_format_t fmt = {w, h, ch, alpha};
    if (st == VB_OK)
        st = begin(ctx, &fmt);
    unsigned char *color = split, *a = split ? split + (size_t)w * (size_t)ch : NULL;
    if (st == VB_OK && passes > 1) {
        for (int p = 0; p < passes; p++)
            for (png_uint_32 y = 0; y < h; y++)
                png_read_row(png, buf + (size_t)y * rowbytes, NULL);
        for (png_uint_32 y = 0; y < h && st == VB_OK; y++)
            st = emit_row(buf + (size_t)y * rowbytes, w, ch, alpha, color, a, row, ctx);
    } else {
        for (png_uint_32 y = 0; y < h && st == VB_OK; y++) {
            png_read_row(png, buf, NULL);
            st = emit_row(buf, w, ch, alpha, color, a, row, ctx);
        }
    }
    free(buf);
    free(split);
    png_destroy_read_struct(&png, &info, NULL);
    return st;
}

/* vb_image_decode's collector: the rows one after another in two buffers. */
typedef struct collect {
    vb_image_pixels_t *px;
    size_t y;
} collect_t;

static vb_status_t
collect_begin(void *ctx, const vb_image_format_t *f)
{
    collect_t *c = ctx;
    size_t n = (size_t)f->w * f->h;
    c->px->w = f->w;
    c->px->h = f->h;
    c->px->channels = f->channels;
    c->px->color = malloc(n * (size_t)f->channels);
    c->px->alpha = f->alpha ? malloc(n) : NULL;
    return c->px->color && (!f->alpha || c->px->alpha) ? VB_OK : VB_E_NOMEM;
}

static vb_status_t
collect_row(void *ctx, const unsigned char *color, const unsigned char *alpha)
{
    collect_t *c = ctx;
    size_t w = c->px->w;
    memcpy(c->px->color + c->y * w * (size_t)c->px->channels, color, w * (size_t)c->px->channels);
    if (alpha)
        memcpy(c->px->alpha + c->y * w, alpha, w);
    c->y++;
    return VB_OK;
}

vb_status_t
vb_image_decode(const vb_image_t *img, vb_image_pixels_t *out, vb_diag_t *d)
{
    memset(out, 0, sizeof *out);
    collect_t c = {out, 0};
    vb_status_t st = vb_image_decode_rows(img, collect_begin, collect_row, &c, d);
    if (st == VB_E_NOMEM)
        vb_diag_nomem(d);
    if (st != VB_OK)
        vb_image_pixels_free(out);
    return st;
}
