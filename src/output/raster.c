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
 *
 * The overlay (vb_png_write_ex) draws a plan made by overlay.c: the outlines
 * under the page's ink, the numbers, marks and legend over it, the legend on
 * a panel right of the page. Its colours, widths and sizes are constants
 * here (OV_*) and in overlay.h: the preview's look, not the document's format.
 */
#include "raster.h"

#include "image.h"

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdio.h>
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

/* ------------------------------------------------------------ the overlay (vb_png_write_ex) */

/*
 * The overlay's look: constants of the preview, not of the document's format
 * (which is all in the profile). Lengths in points at the page's scale, so
 * that the overlay keeps its proportions at every dpi.
 */
#define OV_PANEL_PT 250.0   /* the legend's panel, to the right of the page */
#define OV_INSET_PT 1.0     /* a numbered box is drawn this far inside its elements' union (neighbours stay apart) */
#define OV_LINE_PT 1.25     /* the numbered boxes' line width (at least one pixel) */
#define OV_CHIP_PT 8.0      /* the box number's size in its chip, at the box's top-left corner */
#define OV_TEXT_PT 10.0     /* the legend's text */
#define OV_TITLE_PT 12.0    /* the legend's title */
#define OV_MARGIN_PT 8.0    /* the margins' widths written in them */
#define OV_BAR_PT 4.0       /* a marked line's bar in the right margin, its width ... */
#define OV_BAR_GAP_PT 3.0   /* ... and its distance from the text block */
#define OV_PANEL_RGB 0xF3F3F3u
#define OV_GUIDE_RGB 0xD0D0D0u /* the text block's edges continued through the margins */
#define OV_TEXT_RGB 0x202020u
#define OV_MUTED_RGB 0x6E6E6Eu

static void
set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* A device-pixel rectangle [x0, x1) x [y0, y1), filled: exact colours, no antialiasing at its edges. */
static void
fill_px(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    if (x1 > x0 && y1 > y0) {
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        cairo_fill(cr);
    }
}

/*
 * The outline of the rectangle (x, y, w, h) in points, inset by inset, on
 * whole pixels, lw pixels wide, inside the rectangle; dash > 0: dashes of
 * that many pixels. The caller set the colour; the matrix is the identity.
 */
static void
outline_px(cairo_t *cr, double scale, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h, double inset, int lw, int dash)
{
    double x0 = round((pt(x) + inset) * scale), x1 = round((pt(x + w) - inset) * scale);
    double y0 = round((pt(y) + inset) * scale), y1 = round((pt(y + h) - inset) * scale);
    if (x1 - x0 < 2 * lw)
        x1 = x0 + 2 * lw;
    if (y1 - y0 < 2 * lw)
        y1 = y0 + 2 * lw;
    if (dash <= 0) {
        fill_px(cr, x0, y0, x1, y0 + lw);
        fill_px(cr, x0, y1 - lw, x1, y1);
        fill_px(cr, x0, y0, x0 + lw, y1);
        fill_px(cr, x1 - lw, y0, x1, y1);
        return;
    }
    for (double t = x0; t < x1; t += 2 * dash) {
        double e = t + dash < x1 ? t + dash : x1;
        fill_px(cr, t, y0, e, y0 + lw);
        fill_px(cr, t, y1 - lw, e, y1);
    }
    for (double t = y0; t < y1; t += 2 * dash) {
        double e = t + dash < y1 ? t + dash : y1;
        fill_px(cr, x0, t, x0 + lw, e);
        fill_px(cr, x1 - lw, t, x1, e);
    }
}

/* The legend's text: its faces and size (points, the page's scale is on the matrix). */
typedef struct ov_text {
    cairo_t *cr;
    cairo_font_face_t *regular, *bold, *italic;
} ov_text_t;

static double
text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* s from (x, baseline y), wrapped at spaces within width w, lines lead apart; the next baseline. */
static double
show_wrapped(cairo_t *cr, const char *s, double x, double y, double w, double lead)
{
    char line[512];
    size_t n = 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t wl = e ? (size_t)(e - p) : strlen(p);
        if (n + 1 + wl >= sizeof line)
            wl = sizeof line - n - 2;
        char trial[512];
        memcpy(trial, line, n);
        size_t m = n;
        if (m)
            trial[m++] = ' ';
        memcpy(trial + m, p, wl);
        trial[m + wl] = 0;
        if (n && text_width(cr, trial) > w) {
            line[n] = 0;
            cairo_move_to(cr, x, y);
            cairo_show_text(cr, line);
            y += lead;
            memcpy(line, p, wl);
            n = wl;
        } else {
            memcpy(line, trial, m + wl);
            n = m + wl;
        }
        p += wl;
        while (*p == ' ')
            p++;
    }
    if (n) {
        line[n] = 0;
        cairo_move_to(cr, x, y);
        cairo_show_text(cr, line);
        y += lead;
    }
    return y;
}

/* A length in millimetres, one decimal when it is not whole. */
static void
fmt_mm(char *buf, size_t size, vb_len_t v)
{
    double mm = pt(v) * 25.4 / 72.0;
    if (fabs(mm - round(mm)) < 0.05)
        snprintf(buf, size, "%.0f mm", mm);
    else
        snprintf(buf, size, "%.1f mm", mm);
}

static void
show_centred(cairo_t *cr, const char *s, double cx, double cy)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, cx - e.x_advance / 2, cy + e.height / 2);
    cairo_show_text(cr, s);
}

/* The text block and its edges continued through the margins. */
static void
draw_block(cairo_t *cr, const vb_overlay_t *ov, double scale)
{
    if (!ov->has_text_block)
        return;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    double x0 = round(pt(ov->tb_x) * scale), x1 = round(pt(ov->tb_x + ov->tb_w) * scale);
    double y0 = round(pt(ov->tb_y) * scale), y1 = round(pt(ov->tb_y + ov->tb_h) * scale);
    double W = round(pt(ov->page_w) * scale), H = round(pt(ov->page_h) * scale);
    set_rgb(cr, OV_GUIDE_RGB);
    fill_px(cr, x0, 0, x0 + 1, y0);
    fill_px(cr, x0, y1, x0 + 1, H);
    fill_px(cr, x1 - 1, 0, x1, y0);
    fill_px(cr, x1 - 1, y1, x1, H);
    fill_px(cr, 0, y0, x0, y0 + 1);
    fill_px(cr, x1, y0, W, y0 + 1);
    fill_px(cr, 0, y1 - 1, x0, y1);
    fill_px(cr, x1, y1 - 1, W, y1);
    set_rgb(cr, VB_OVERLAY_BLOCK_RGB);
    outline_px(cr, scale, ov->tb_x, ov->tb_y, ov->tb_w, ov->tb_h, 0, 1, 0);
    cairo_restore(cr);
}

/* The margins' widths, written in their middle. */
static void
draw_margin_labels(cairo_t *cr, const vb_overlay_t *ov, ov_text_t *tx)
{
    if (!ov->has_text_block)
        return;
    char buf[32];
    cairo_set_font_face(cr, tx->regular);
    cairo_set_font_size(cr, OV_MARGIN_PT);
    set_rgb(cr, OV_MUTED_RGB);
    /* the top and bottom ones near the left edge (the page number is centred), the side ones half-way down */
    double mx = pt(ov->tb_x) + 24, my = pt(ov->tb_y + ov->tb_h / 2);
    fmt_mm(buf, sizeof buf, ov->tb_y);
    show_centred(cr, buf, mx, pt(ov->tb_y) / 2);
    fmt_mm(buf, sizeof buf, ov->page_h - ov->tb_y - ov->tb_h);
    show_centred(cr, buf, mx, pt(ov->tb_y + ov->tb_h + (ov->page_h - ov->tb_y - ov->tb_h) / 2));
    fmt_mm(buf, sizeof buf, ov->tb_x);
    show_centred(cr, buf, pt(ov->tb_x) / 2, my);
    fmt_mm(buf, sizeof buf, ov->page_w - ov->tb_x - ov->tb_w);
    show_centred(cr, buf, pt(ov->tb_x + ov->tb_w + (ov->page_w - ov->tb_x - ov->tb_w) / 2), my);
}

/*
 * The numbered boxes: each an outline in its colour (with the columns' under
 * them; drawn before the page's ink, so the text stays whole where an edge
 * meets it), then (over the ink) its number in a chip at its top-left corner.
 */
static void
draw_outlines(cairo_t *cr, const vb_overlay_t *ov, double scale)
{
    int lw = (int)fmax(1, round(OV_LINE_PT * scale));
    cairo_save(cr);
    cairo_identity_matrix(cr);
    set_rgb(cr, VB_OVERLAY_COLUMN_RGB);
    for (int i = 0; i < ov->ncolumns; i++) {
        const vb_ovrect_t *r = &ov->columns[i];
        outline_px(cr, scale, r->x, r->y, r->w, r->h, 0, 1, (int)fmax(2, round(3 * scale)));
    }
    cairo_restore(cr);
    for (int i = 0; i < ov->nboxes; i++) {
        const vb_ovrect_t *r = &ov->boxes[i];
        uint32_t rgb = vb_overlay_colour(r->official);
        cairo_save(cr);
        cairo_identity_matrix(cr);
        set_rgb(cr, rgb);
        outline_px(cr, scale, r->x, r->y, r->w, r->h, OV_INSET_PT, lw, 0);
        cairo_restore(cr);
    }
}

static void
draw_chips(cairo_t *cr, const vb_overlay_t *ov, ov_text_t *tx)
{
    for (int i = 0; i < ov->nboxes; i++) {
        const vb_ovrect_t *r = &ov->boxes[i];
        uint32_t rgb = vb_overlay_colour(r->official);
        char num[16];
        snprintf(num, sizeof num, "%d", r->official);
        cairo_set_font_face(cr, tx->bold);
        cairo_set_font_size(cr, OV_CHIP_PT);
        double tw = text_width(cr, num);
        double cx = pt(r->x) + OV_INSET_PT, cy = pt(r->y) + OV_INSET_PT;
        double cw = tw + 4, ch = OV_CHIP_PT + 2;
        /* at the text block's left edge, the chip goes in the margin beside the corner, off the text */
        if (ov->has_text_block && r->x - ov->tb_x < 1000 && pt(r->x) > cw + 2)
            cx = pt(r->x) - cw;
        set_rgb(cr, rgb);
        cairo_rectangle(cr, cx, cy, cw, ch);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_move_to(cr, cx + 2, cy + ch - 2.2);
        cairo_show_text(cr, num);
    }
}

/* Each marked line: its box outlined, and a bar in the right margin level with it (TeX's overfull rule). */
static void
draw_marks(cairo_t *cr, const vb_overlay_t *ov, double scale)
{
    cairo_save(cr);
    cairo_identity_matrix(cr);
    for (int i = 0; i < ov->nmarks; i++) {
        const vb_ovmark_t *m = &ov->marks[i];
        set_rgb(cr, m->overfull ? VB_OVERLAY_OVERFULL_RGB : VB_OVERLAY_LOOSE_RGB);
        outline_px(cr, scale, m->x, m->y, m->w, m->h, 0, 1, 0);
        double bx = ov->has_text_block ? pt(ov->tb_x + ov->tb_w) + OV_BAR_GAP_PT : pt(ov->page_w) - 2 * OV_BAR_PT;
        double x0 = round(bx * scale), x1 = round((bx + OV_BAR_PT) * scale);
        double y0 = round(pt(m->y) * scale), y1 = round(pt(m->y + m->h) * scale);
        fill_px(cr, x0, y0, x1 > x0 ? x1 : x0 + 1, y1 > y0 ? y1 : y0 + 1);
    }
    cairo_restore(cr);
}

/* A small sample of a line style at (x, baseline y) in the legend's key. */
static void
key_sample(cairo_t *cr, double x, double y, uint32_t rgb, int style)
{
    set_rgb(cr, rgb);
    if (style == 0) { /* outline */
        cairo_set_line_width(cr, 1.0);
        cairo_rectangle(cr, x + 0.5, y - 7.5, 14, 8);
        cairo_stroke(cr);
    } else if (style == 1) { /* dashed outline */
        double dash = 2.0;
        cairo_set_dash(cr, &dash, 1, 0);
        cairo_set_line_width(cr, 1.0);
        cairo_rectangle(cr, x + 0.5, y - 7.5, 14, 8);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    } else { /* bar */
        cairo_rectangle(cr, x + 5, y - 9, OV_BAR_PT, 10);
        cairo_fill(cr);
    }
}

/* The legend, on the panel right of the page: every box, where it is filled, and the key of the marks. */
static void
draw_legend(cairo_t *cr, const vb_overlay_t *ov, int npages, ov_text_t *tx)
{
    double px = pt(ov->page_w), pw = OV_PANEL_PT, ph = pt(ov->page_h);
    set_rgb(cr, OV_PANEL_RGB);
    cairo_rectangle(cr, px, 0, pw, ph);
    cairo_fill(cr);
    set_rgb(cr, OV_GUIDE_RGB);
    cairo_rectangle(cr, px, 0, 1, ph);
    cairo_fill(cr);
    double x = px + 14, w = pw - 28, y = 30, lead = OV_TEXT_PT * 1.3;
    char buf[600];

    set_rgb(cr, OV_TEXT_RGB);
    cairo_set_font_face(cr, tx->bold);
    cairo_set_font_size(cr, OV_TITLE_PT);
    snprintf(buf, sizeof buf, "Page %d of %d: boxes (ô)", ov->page + 1, npages);
    y = show_wrapped(cr, buf, x, y, w, OV_TITLE_PT * 1.3);
    if (ov->profile_name) {
        cairo_set_font_face(cr, tx->regular);
        cairo_set_font_size(cr, OV_TEXT_PT);
        set_rgb(cr, OV_MUTED_RGB);
        y = show_wrapped(cr, ov->profile_name, x, y, w, lead);
    }
    y += 6;
    for (int i = 0; i < ov->nlegend; i++) {
        const vb_ovlegend_t *l = &ov->legend[i];
        uint32_t rgb = vb_overlay_colour(l->no);
        set_rgb(cr, rgb);
        if (l->here) {
            cairo_rectangle(cr, x, y - 8, 9, 9);
            cairo_fill(cr);
        } else {
            cairo_set_line_width(cr, 1.0);
            cairo_rectangle(cr, x + 0.5, y - 7.5, 8, 8);
            cairo_stroke(cr);
        }
        cairo_set_font_face(cr, tx->bold);
        cairo_set_font_size(cr, OV_TEXT_PT);
        snprintf(buf, sizeof buf, "%d", l->no);
        cairo_move_to(cr, x + 13, y);
        cairo_show_text(cr, buf);
        set_rgb(cr, l->page < 0 ? OV_MUTED_RGB : OV_TEXT_RGB);
        cairo_set_font_face(cr, tx->regular);
        double yn = show_wrapped(cr, l->name ? l->name : "(not named by the profile)", x + 28, y, w - 28, lead);
        cairo_set_font_face(cr, tx->italic);
        if (l->here) {
            set_rgb(cr, rgb);
            snprintf(buf, sizeof buf, "on this page");
        } else if (l->page >= 0) {
            set_rgb(cr, OV_MUTED_RGB);
            snprintf(buf, sizeof buf, "on page %d", l->page + 1);
        } else {
            set_rgb(cr, OV_MUTED_RGB);
            snprintf(buf, sizeof buf, "empty: nothing in the document fills it");
        }
        y = show_wrapped(cr, buf, x + 28, yn, w - 28, lead) + 3;
    }

    /* the key */
    y += 8;
    set_rgb(cr, OV_GUIDE_RGB);
    cairo_rectangle(cr, x, y - 10, w, 1);
    cairo_fill(cr);
    y += 4;
    int nover = 0, nloose = 0;
    for (int i = 0; i < ov->nmarks; i++)
        ov->marks[i].overfull ? nover++ : nloose++;
    cairo_set_font_size(cr, OV_TEXT_PT);
    for (int k = 0; k < 4; k++) {
        uint32_t rgb = k == 0 ? VB_OVERLAY_BLOCK_RGB : k == 1 ? VB_OVERLAY_COLUMN_RGB : k == 2 ? VB_OVERLAY_OVERFULL_RGB
                                                                                              : VB_OVERLAY_LOOSE_RGB;
        key_sample(cr, x, y, rgb, k < 2 ? k : 2);
        if (k == 0) {
            char t[32], b[32], l[32], r[32];
            fmt_mm(t, sizeof t, ov->tb_y);
            fmt_mm(b, sizeof b, ov->page_h - ov->tb_y - ov->tb_h);
            fmt_mm(l, sizeof l, ov->tb_x);
            fmt_mm(r, sizeof r, ov->page_w - ov->tb_x - ov->tb_w);
            if (ov->has_text_block)
                snprintf(buf, sizeof buf, "text block; margins: top %s, bottom %s, left %s, right %s", t, b, l, r);
            else
                snprintf(buf, sizeof buf, "text block: none on this page");
        } else if (k == 1) {
            snprintf(buf, sizeof buf, "a column of a band (header, title, signer)");
        } else if (k == 2) {
            snprintf(buf, sizeof buf, "overfull line, wider than its measure: %d on this page", nover);
        } else if (ov->loose_permille > 0) {
            snprintf(buf, sizeof buf, "very loose line, spaces over %d%% of natural (the line breaker's tolerance): "
                     "%d on this page", (int)((ov->loose_permille + 5) / 10), nloose);
        } else {
            snprintf(buf, sizeof buf, "very loose line: not measured (the profile's spaces do not stretch)");
        }
        set_rgb(cr, OV_TEXT_RGB);
        cairo_set_font_face(cr, tx->regular);
        y = show_wrapped(cr, buf, x + 22, y, w - 22, lead) + 3;
    }
}

/* What goes under the page's ink: the text block, the columns, the numbered boxes' outlines. */
static void
draw_overlay_under(cairo_t *cr, const vb_overlay_t *ov, double scale)
{
    cairo_save(cr);
    draw_block(cr, ov, scale);
    draw_outlines(cr, ov, scale);
    cairo_restore(cr);
}

/* What goes over it: the margins' widths, the boxes' numbers, the marked lines, the legend's panel. */
static vb_status_t
draw_overlay(cairo_t *cr, const vb_overlay_t *ov, int npages, const vb_fontset_t *fonts, cairo_font_face_t **faces,
             double scale, vb_diag_t *d)
{
    static const int want[] = {VB_FACE_REGULAR, VB_FACE_BOLD, VB_FACE_ITALIC};
    for (int k = 0; k < 3; k++) {
        if (!faces[want[k]]) {
            vb_status_t vs = open_face(fonts, want[k], &faces[want[k]], d);
            if (vs != VB_OK)
                return vs;
        }
    }
    ov_text_t tx = {cr, faces[VB_FACE_REGULAR], faces[VB_FACE_BOLD], faces[VB_FACE_ITALIC]};
    cairo_save(cr);
    draw_margin_labels(cr, ov, &tx);
    draw_chips(cr, ov, &tx);
    draw_marks(cr, ov, scale);
    draw_legend(cr, ov, npages, &tx);
    cairo_restore(cr);
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cairo_fail(cs, "drawing the overlay", d);
    return VB_OK;
}

vb_status_t
vb_png_write(const vb_dlist_t *dl, const vb_fontset_t *fonts, int page, int dpi, vb_write_fn write, void *ctx,
             vb_diag_t *d)
{
    return vb_png_write_ex(dl, fonts, page, dpi, NULL, write, ctx, d);
}

vb_status_t
vb_png_write_ex(const vb_dlist_t *dl, const vb_fontset_t *fonts, int page, int dpi, const vb_overlay_t *ov,
                vb_write_fn write, void *ctx, vb_diag_t *d)
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
    double wpx = ceil((pt(pg->width) + (ov ? OV_PANEL_PT : 0)) * scale - 1e-6), hpx = ceil(pt(pg->height) * scale - 1e-6);
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
    if (ov) {
        draw_overlay_under(cr, ov, scale);
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
    vb_status_t vs = draw_page(cr, dl, pg, fonts, faces, d);
    if (vs == VB_OK && ov)
        vs = draw_overlay(cr, ov, dl->npages, fonts, faces, scale, d);
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
