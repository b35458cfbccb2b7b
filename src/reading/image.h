/*
 * image.h - images placed in a document (PNG), checked when the source is
 * read so that a missing, corrupt or oversized file is reported at the line
 * and column of its Markdown image, never half-way through writing the PDF.
 */
#ifndef VB_IMAGE_H
#define VB_IMAGE_H

#include "base.h"

typedef struct vb_image {
    const char *path;          /* as resolved (relative to the source's folder) */
    const unsigned char *data; /* the whole PNG file, in the document's arena */
    size_t len;
    uint32_t px_w, px_h;       /* pixels */
    uint32_t ppm_x, ppm_y;     /* pixels per metre from the pHYs chunk; 0 when absent */
    vb_len_t width;            /* width asked for in the source; 0: the image's own size */
    const char *alt;           /* the alternative text (for the PDF's text layer later) */
    const char *source;        /* where the image is placed, for errors found later (decoding) */
    int line, col;
} vb_image_t;

/* The bounds on what an image may cost (bytes, pixels) are limits: see src/base/limit.h. */

/*
 * Reads and checks a PNG file: signature, chunk lengths and CRCs, the IHDR
 * fields, and that the image data inflates to exactly the size the header
 * promises. Errors name source:line:col (the image in the Markdown) and the
 * file: image.read, image.format, image.corrupt, image.too-large.
 */
vb_status_t vb_image_load(vb_arena_t *arena, const char *path, const char *source, int line, int col,
                          vb_image_t *out, vb_diag_t *d);
/* As vb_image_load within the limits lim (image-bytes, image-pixels; NULL: the defaults). */
vb_status_t vb_image_load_lim(vb_arena_t *arena, const char *path, const char *source, int line, int col,
                              const vb_limits_t *lim, vb_image_t *out, vb_diag_t *d);

/*
 * Decoding, for the PDF: 8 bits a component, rows top to bottom,
 * de-interlaced, the palette and 16-bit samples converted, colour (grey or
 * RGB) apart from alpha (an alpha channel or a tRNS colour).
 */
typedef struct vb_image_format {
    uint32_t w, h;
    int channels; /* of colour: 1 grey, 3 RGB */
    bool alpha;   /* rows also have an alpha row */
} vb_image_format_t;
typedef vb_status_t (*vb_image_begin_fn)(void *ctx, const vb_image_format_t *f);
/* color: w * channels bytes; alpha: w bytes, or NULL when the image has none */
typedef vb_status_t (*vb_image_row_fn)(void *ctx, const unsigned char *color, const unsigned char *alpha);

/*
 * Decodes an image read by vb_image_load (libpng: every colour type, bit
 * depth and interlacing): begin once, then row for each row, top to bottom.
 * A callback's error stops it and is returned. image.decode (VB_E_INPUT, at
 * the image's place in the source) when libpng refuses the file.
 */
vb_status_t vb_image_decode_rows(const vb_image_t *img, vb_image_begin_fn begin, vb_image_row_fn row, void *ctx,
                                 vb_diag_t *d);

/* The whole image in two malloc'd buffers (for tests and the fuzzer); free with vb_image_pixels_free. */
typedef struct vb_image_pixels {
    uint32_t w, h;
    int channels;          /* 1 grey, 3 RGB */
    unsigned char *color;  /* w * h * channels bytes */
    unsigned char *alpha;  /* w * h bytes, or NULL */
} vb_image_pixels_t;
vb_status_t vb_image_decode(const vb_image_t *img, vb_image_pixels_t *out, vb_diag_t *d);
void vb_image_pixels_free(vb_image_pixels_t *px);

/*
 * As vb_image_load_lim, opening open_path (the file's real path, checked by
 * the caller) and naming path (as the source wrote it) in the messages; also
 * adding the image's pixels to *pixels_so_far (the document's images until
 * now; NULL: not counted) and refusing the image whose pixels take the sum
 * past lim->image_total_pixels (image.too-many-pixels), as soon as its header
 * is read.
 */
vb_status_t vb_image_read(vb_arena_t *arena, const char *open_path, const char *path, const char *source, int line,
                          int col, const vb_limits_t *lim, int64_t *pixels_so_far, vb_image_t *out, vb_diag_t *d);

/*
 * The checks of vb_image_load_doc on a PNG already in memory (buf[0..len),
 * which must outlive *out; path names it in the messages).
 */
vb_status_t vb_image_check_mem(const unsigned char *buf, size_t len, const char *path, const char *source, int line,
                               int col, const vb_limits_t *lim, int64_t *pixels_so_far, vb_image_t *out,
                               vb_diag_t *d);

/* The size the image takes on the page, at most max_width wide (keeping its proportions). */
void vb_image_size(const vb_image_t *img, vb_len_t max_width, vb_len_t *w, vb_len_t *h);

#endif
