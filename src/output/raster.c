/*
 * raster.c - one page of a display list to a PNG, through cairo (the only cairo
 * user) and FreeType (the only FreeType user: cairo-ft draws from FT_Faces
 * this file opens). See raster.h.
 *
 * The glyphs are drawn by id at the display list's positions, unhinted (as
 * the PDF's glyphs, which a viewer scales), with grey antialiasing; the
 * faces are the files the font set opened (vb_font_info's path and face
 * index), opened again here for each call, so that no FreeType object is
 * shared between threads. cairo keeps a face for a while after its last use
 * (its cache of scaled fonts): each FT_Face has its own FT_Library, both
 * freed when cairo lets the face go.
 */
#include "raster.h"

#include "image.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ft_pair {
    FT_Library lib;
    FT_Face face;
} ft_pair_t;

static const cairo_user_data_key_t ft_key;

static void
ft_pair_free(void *p)
{
    ft_pair_t *fp = p;
    if (!fp)
        return;
    if (fp->face)
        FT_Done_Face(fp->face);
    if (fp->lib)
        FT_Done_FreeType(fp->lib);
    free(fp);
}

/* cairo's face for face i of fonts: an FT_Face of its file, owned by the cairo face. */
static vb_status_t
open_face(const vb_fontset_t *fonts, int i, cairo_font_face_t **out, vb_diag_t *d)
{
    *out = NULL;
    const vb_font_t *f = vb_fontset_face(fonts, (vb_face_t)i);
    const vb_font_info_t *fi = f ? vb_font_info(f) : NULL;
    if (!fi || !fi->path)
        return vb_diag_set(d, VB_E_FONT, "png.font", NULL, 0, 0, "The display list names font face %d, which the "
                           "font set does not have.", i);
    ft_pair_t *fp = calloc(1, sizeof *fp);
    if (!fp)
        return vb_diag_nomem(d);
    if (FT_Init_FreeType(&fp->lib)) {
        ft_pair_free(fp);
        return vb_diag_nomem(d);
    }
    FT_Error e = FT_New_Face(fp->lib, fi->path, fi->face_index, &fp->face);
    if (e) {
        fp->face = NULL;
        ft_pair_free(fp);
        return vb_diag_set(d, VB_E_FONT, "png.font", fi->path, 0, 0,
                           "The font file %s cannot be opened again to draw the preview (FreeType error %d).",
                           fi->path, (int)e);
    }
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(fp->face, FT_LOAD_NO_HINTING);
    if (cairo_font_face_status(cf) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        ft_pair_free(fp);
        return vb_diag_nomem(d);
    }
    if (cairo_font_face_set_user_data(cf, &ft_key, fp, ft_pair_free) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        ft_pair_free(fp);
        return vb_diag_nomem(d);
    }
    *out = cf;
    return VB_OK;
}

/* Reading a PNG held in memory (an image of the document). */
typedef struct mem_reader {
    const unsigned char *p;
    size_t left;
} mem_reader_t;

static cairo_status_t
read_mem(void *closure, unsigned char *data, unsigned int len)
{
    mem_reader_t *r = closure;
    if (len > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, len);
    r->p += len;
    r->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

typedef struct png_sink {
    vb_write_fn write;
    void *ctx;
    bool failed; /* the caller's writer refused */
} png_sink_t;

static cairo_status_t
write_sink(void *closure, const unsigned char *data, unsigned int len)
{
    png_sink_t *s = closure;
    if (s->failed || s->write(s->ctx, data, len) != 0) {
        s->failed = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static double
pt(vb_len_t v)
{
    return (double)v / 1000.0;
}

static vb_status_t
cairo_fail(cairo_status_t cs, const char *what, vb_diag_t *d)
{
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return vb_diag_nomem(d);
    return vb_diag_set(d, VB_E_IO, "png.draw", NULL, 0, 0, "Drawing the preview failed while %s: %s.", what,
                       cairo_status_to_string(cs));
}

static vb_status_t
draw_image(cairo_t *cr, const vb_dimage_t *im, vb_diag_t *d)
{
    const vb_image_t *img = im->image;
    if (!img || !img->data || im->w <= 0 || im->h <= 0)
        return VB_OK; /* nothing to show (the PDF writer refuses such an image first) */
    mem_reader_t r = {img->data, img->len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    cairo_status_t cs = cairo_surface_status(s);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        if (cs == CAIRO_STATUS_NO_MEMORY)
            return vb_diag_nomem(d);
        return vb_diag_set(d, VB_E_INPUT, "png.image", img->source, img->line, img->col,
                           "The image %s cannot be decoded for the preview: %s.", img->path ? img->path : "",
                           cairo_status_to_string(cs));
    }
    int pw = cairo_image_surface_get_width(s), ph = cairo_image_surface_get_height(s);
    cairo_save(cr);
    cairo_translate(cr, pt(im->x), pt(im->y));
    cairo_scale(cr, pt(im->w) / pw, pt(im->h) / ph);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_rectangle(cr, 0, 0, pw, ph);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
    return VB_OK;
}

/*
 * A horizontal or vertical rule as a rectangle on whole pixels, at least one
 * wide (as PDF viewers adjust thin strokes, pdftoppm among them): crisp
 * rules, not a grey band two pixels wide.
 */
static void
snap_rule(cairo_t *cr, const vb_drule_t *ru)
{
    double half = pt(ru->width) / 2;
    double x0 = pt(ru->x1 < ru->x2 ? ru->x1 : ru->x2), x1 = pt(ru->x1 < ru->x2 ? ru->x2 : ru->x1);
    double y0 = pt(ru->y1 < ru->y2 ? ru->y1 : ru->y2), y1 = pt(ru->y1 < ru->y2 ? ru->y2 : ru->y1);
    if (ru->y1 == ru->y2) {
        y0 -= half;
        y1 += half;
    } else {
        x0 -= half;
        x1 += half;
    }
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    x0 = round(x0), y0 = round(y0), x1 = round(x1), y1 = round(y1);
    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= y0)
        y1 = y0 + 1;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_fill(cr);
    cairo_restore(cr);
}

static vb_status_t
draw_page(cairo_t *cr, const vb_dlist_t *dl, const vb_dpage_t *pg, const vb_fontset_t *fonts,
          cairo_font_face_t **faces, vb_diag_t *d)
{
    cairo_glyph_t stack[64];
    for (int i = 0; i < pg->n; i++) {
        const vb_ditem_t *it = &pg->items[i];
        switch (it->kind) {
        case VB_DITEM_RUN: {
            const vb_drun_t *r = &it->u.run;
            if (r->n <= 0)
                break;
            if (r->face < 0 || r->face >= VB_NFACES)
                return vb_diag_set(d, VB_E_FONT, "png.font", NULL, 0, 0, "A text run names font face %d, which the "
                                   "font set does not have.", r->face);
            if (!faces[r->face]) {
                vb_status_t vs = open_face(fonts, r->face, &faces[r->face], d);
                if (vs != VB_OK)
                    return vs;
            }
            cairo_glyph_t *g = r->n <= 64 ? stack : malloc(sizeof *g * (size_t)r->n);
            if (!g)
                return vb_diag_nomem(d);
            for (int k = 0; k < r->n; k++) {
                g[k].index = r->glyphs[k].gid;
                g[k].x = pt(r->glyphs[k].x);
                g[k].y = pt(r->glyphs[k].y);
            }
            cairo_set_font_face(cr, faces[r->face]);
            cairo_set_font_size(cr, pt(r->size));
            cairo_show_glyphs(cr, g, r->n);
            if (g != stack)
                free(g);
            break;
        }
        case VB_DITEM_RULE: {
            const vb_drule_t *ru = &it->u.rule;
            if (ru->x1 == ru->x2 || ru->y1 == ru->y2) {
                snap_rule(cr, ru);
                break;
            }
            cairo_move_to(cr, pt(ru->x1), pt(ru->y1));
            cairo_line_to(cr, pt(ru->x2), pt(ru->y2));
            cairo_set_line_width(cr, pt(ru->width));
            cairo_stroke(cr);
            break;
        }
        case VB_DITEM_BOX:
            break; /* the layout's boxes: nothing is drawn, as in the PDF */
        case VB_DITEM_IMAGE: {
            vb_status_t vs = draw_image(cr, &it->u.image, d);
            if (vs != VB_OK)
                return vs;
            break;
        }
        default:
            return vb_diag_set(d, VB_E_IO, "png.item", NULL, 0, 0, "A page holds an item of unknown kind %d.",
                               (int)it->kind);
        }
        cairo_status_t cs = cairo_status(cr);
        if (cs != CAIRO_STATUS_SUCCESS)
            return cairo_fail(cs, "drawing an item", d);
    }
    (void)dl;
    return VB_OK;
}

vb_status_t
vb_png_write(const vb_dlist_t *dl, const vb_fontset_t *fonts, int page, int dpi, vb_write_fn write, void *ctx,
             vb_diag_t *d)
{
    if (!dl || !fonts || !write)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing display list, fonts or writer.");
    if (page < 0 || page >= dl->npages)
        return vb_diag_set(d, VB_E_USAGE, "png.page", NULL, 0, 0, "The document has %d page%s, no page %d.",
                           dl->npages, dl->npages == 1 ? "" : "s", page + 1);
    if (dpi < VB_PNG_DPI_MIN || dpi > VB_PNG_DPI_MAX)
        return vb_diag_set(d, VB_E_USAGE, "png.dpi", NULL, 0, 0, "The resolution must be %d to %d dpi, not %d.",
                           VB_PNG_DPI_MIN, VB_PNG_DPI_MAX, dpi);
    const vb_dpage_t *pg = &dl->pages[page];
    double scale = dpi / 72.0;
    /* whole pixels, rounded up as pdftoppm does (A4 at 72 dpi: 596 x 842), so that the two rasters compare */
    double wpx = ceil(pt(pg->width) * scale - 1e-6), hpx = ceil(pt(pg->height) * scale - 1e-6);
    if (wpx < 1 || hpx < 1 || wpx > 32767 || hpx > 32767)
        return vb_diag_set(d, VB_E_USAGE, "png.size", NULL, 0, 0,
                           "Page %d would be %.0f x %.0f pixels at %d dpi: each side must be 1 to 32767.", page + 1,
                           wpx, hpx, dpi);

    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
    cairo_status_t cs = cairo_surface_status(surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return cairo_fail(cs, "making the page's image", d);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);

    cairo_font_face_t *faces[VB_NFACES] = {0};
    vb_status_t vs = draw_page(cr, dl, pg, fonts, faces, d);
    cairo_destroy(cr);
    for (int i = 0; i < VB_NFACES; i++)
        cairo_font_face_destroy(faces[i]); /* NULL is ignored */
    if (vs == VB_OK) {
        cairo_surface_flush(surf);
        png_sink_t sink = {write, ctx, false};
        cs = cairo_surface_write_to_png_stream(surf, write_sink, &sink);
        if (sink.failed)
            vs = vb_diag_set(d, VB_E_IO, "io.write", NULL, 0, 0, "The writer refused the preview's bytes.");
        else if (cs != CAIRO_STATUS_SUCCESS)
            vs = cairo_fail(cs, "encoding the PNG", d);
    }
    cairo_surface_destroy(surf);
    return vs;
}
