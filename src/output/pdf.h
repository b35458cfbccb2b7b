/*
 * pdf.h - the PDF backend: a display list to a PDF file, through libharu.
 *
 * Only pdf.c and pdf_font.c include libharu headers (and only pdf_font.c
 * reaches into libharu internals); only subset.c calls hb-subset. Shaped text
 * goes out as our own Type0 fonts with one-byte codes (an identity CMap, a
 * CIDToGIDMap per font object), subset with hb-subset keeping glyph ids, with
 * our own W, ToUnicode and CIDSet, and raw TJ operators; streams compressed
 * with libdeflate. See pdf_font.c and ../shared/notes/libharu-harfbuzz.md.
 */
#ifndef VB_PDF_H
#define VB_PDF_H

#include "dlist.h"
#include "font.h"

/*
 * Writes dl as a PDF to path: to a temporary file in the same directory first,
 * renamed over path only when complete. On failure no file is left behind and
 * an existing path is untouched.
 */
vb_status_t vb_pdf_write_file(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path, vb_diag_t *d);

/*
 * As vb_pdf_write_file; on_tempfile (when not NULL) is called with the
 * temporary file's path just before each attempt to create it, and with NULL
 * once it has been renamed or removed (see vb_render_options_t).
 */
vb_status_t vb_pdf_write_file_cb(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path,
                                 void (*on_tempfile)(const char *path, void *ctx), void *ctx, vb_diag_t *d);

/*
 * As vb_pdf_write_file_cb (which is this with durable true); durable false
 * skips the fsync of the file and of its folder (a batch syncs once).
 */
vb_status_t vb_pdf_save(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path,
                        void (*on_tempfile)(const char *path, void *ctx), void *ctx, bool durable, vb_diag_t *d);

/*
 * Writes len bytes to path as vb_pdf_save writes a PDF (a temporary file in
 * the same directory renamed over path when complete): the signing sidecar.
 */
vb_status_t vb_file_save(const unsigned char *bytes, size_t len, const char *path,
                         void (*on_tempfile)(const char *path, void *ctx), void *ctx, bool durable, vb_diag_t *d);
/*
 * Writes dl as a PDF through write(ctx, data, len), in chunks; a write that
 * returns non-zero stops it (VB_E_IO, io.write). dl and fonts are only read:
 * any number of threads may write the same display list at once.
 */
vb_status_t vb_pdf_write(const vb_dlist_t *dl, const vb_fontset_t *fonts, vb_write_fn write, void *ctx,
                         vb_diag_t *d);

/* Writes dl as a PDF into a malloc'd buffer. */
vb_status_t vb_pdf_write_mem(const vb_dlist_t *dl, const vb_fontset_t *fonts, unsigned char **out, size_t *len,
                             vb_diag_t *d);

#endif
