/*
 * docpng.c - vb_document_png: a page of a document as a PNG (raster.c), with
 * the overlay of its boxes when asked (overlay.c), and the overlay as text.
 *
 * In a file of its own, not in document.c, so that a program that never
 * previews (the vanban CLI's render) does not pull raster.c, and with it cairo
 * and FreeType, out of the static library: vanban-preview does.
 */
#include "api.h"
#include "overlay.h"
#include "raster.h"

vb_status_t
vb_document_png(const vb_document_t *doc, int page, int dpi, vb_write_fn write, void *ctx, vb_diag_t *d)
{
    vb_png_options_t o = {dpi, 0};
    return vb_document_png_ex(doc, page, &o, write, ctx, d);
}

vb_status_t
vb_document_png_ex(const vb_document_t *doc, int page, const vb_png_options_t *opt, vb_write_fn write, void *ctx,
                   vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!doc || !write)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or writer.");
    int dpi = opt && opt->dpi ? opt->dpi : VB_PNG_DPI_DEFAULT;
    if (!opt || !opt->overlay)
        return vb_png_write(&doc->dl, doc->fonts, page, dpi, write, ctx, d);
    vb_arena_t *a = vb_arena_new();
    if (!a)
        return vb_diag_nomem(d);
    vb_overlay_t ov;
    vb_status_t st = vb_overlay_plan(&doc->dl, page, doc->profile, a, &ov, d);
    if (st == VB_OK)
        st = vb_png_write_ex(&doc->dl, doc->fonts, page, dpi, &ov, write, ctx, d);
    vb_arena_free(a);
    return st;
}

vb_status_t
vb_document_overlay_text(const vb_document_t *doc, int page, char **out, size_t *len, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!doc || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or output.");
    *out = NULL;
    if (len)
        *len = 0;
    vb_arena_t *a = vb_arena_new();
    if (!a)
        return vb_diag_nomem(d);
    vb_overlay_t ov;
    vb_status_t st = vb_overlay_plan(&doc->dl, page, doc->profile, a, &ov, d);
    size_t n = 0;
    if (st == VB_OK)
        st = vb_overlay_text(&ov, out, &n, d);
    if (len)
        *len = n;
    vb_arena_free(a);
    return st;
}
