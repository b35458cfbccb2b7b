/*
 * raster.h - the second backend: one page of a display list to a PNG, through
 * cairo (the only cairo user) with FreeType faces (the only FreeType user).
 *
 * Drawn from the same display list as the PDF (pdf.c): glyphs by id at the
 * same positions, rules, images; boxes are not drawn, except as the
 * preview's overlay (vb_png_write_ex, overlay.h). The page is white, the ink
 * black, as in the PDF.
 */
#ifndef VB_RASTER_H
#define VB_RASTER_H

#include "dlist.h"
#include "font.h"
#include "overlay.h"

/* The resolutions vb_png_write accepts: VB_PNG_DPI_MIN..VB_PNG_DPI_MAX (vanban.h). */

/*
 * Writes page (0-based) of dl at dpi as an 8-bit RGB PNG through
 * write(ctx, data, len); a write that returns non-zero stops it (VB_E_IO,
 * io.write). The image is the page's size in points at dpi, rounded up to whole
 * pixels (as pdftoppm does): ceil(width * dpi / 72) by ceil(height * dpi / 72). dl and fonts are only read; each
 * call opens its own FreeType faces, so any number of threads may draw pages
 * of one display list at once.
 */
vb_status_t vb_png_write(const vb_dlist_t *dl, const vb_fontset_t *fonts, int page, int dpi, vb_write_fn write,
                         void *ctx, vb_diag_t *d);

/*
 * As vb_png_write; with ov (vb_overlay_plan of the same page), the overlay is
 * drawn over the page and its legend on a panel to the right of it, which
 * makes the image wider (docs/preview.md). ov NULL: the same bytes as
 * vb_png_write.
 */
vb_status_t vb_png_write_ex(const vb_dlist_t *dl, const vb_fontset_t *fonts, int page, int dpi,
                            const vb_overlay_t *ov, vb_write_fn write, void *ctx, vb_diag_t *d);

#endif
