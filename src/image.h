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
} vb_image_t;

/* The bounds on what an image may cost (bytes, pixels) are limits: see src/limit.h. */

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
 * As vb_image_load_lim, opening open_path (the file's real path, checked by
 * the caller) and naming path (as the source wrote it) in the messages.
 */
vb_status_t vb_image_read(vb_arena_t *arena, const char *open_path, const char *path, const char *source, int line,
                          int col, const vb_limits_t *lim, vb_image_t *out, vb_diag_t *d);

/* The size the image takes on the page, at most max_width wide (keeping its proportions). */
void vb_image_size(const vb_image_t *img, vb_len_t max_width, vb_len_t *w, vb_len_t *h);

#endif
