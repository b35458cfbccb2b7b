/*
 * docpng.c - vb_document_png: a page of a document as a PNG (raster.c).
 *
 * In a file of its own, not in document.c, so that a program that never
 * previews (the vanban CLI's render) does not pull raster.c, and with it cairo
 * and FreeType, out of the static library: vanban-preview does.
 */
#include "api.h"
#include "raster.h"

vb_status_t
vb_document_png(const vb_document_t *doc, int page, int dpi, vb_write_fn write, void *ctx, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!doc || !write)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or writer.");
    return vb_png_write(&doc->dl, doc->fonts, page, dpi ? dpi : VB_PNG_DPI_DEFAULT, write, ctx, d);
}
