/*
 * shape.c - HarfBuzz shaping of one run (see shape.h); with font.c and
 * subset.c, the only HarfBuzz user.
 *
 * Every call makes its own hb_buffer, so shaping is thread-safe over a
 * shared, immutable font. The buffer is set explicitly to left to right,
 * Latin, Vietnamese (the language selects a font's Vietnamese forms, when it
 * has any), with HarfBuzz's default cluster level (monotone graphemes): a
 * base letter and its combining marks form one cluster, and clusters are
 * byte offsets into the run because the text is added whole, from offset 0.
 * No features are passed, so the font's defaults apply (kerning, marks).
 *
 * HarfBuzz works in font units here (the font's scale is its upem); each
 * value is converted once, rounded, to millipoints at the run's size, and
 * the width is the sum of the rounded advances, so a line's width equals
 * the sum of what the PDF writer will place.
 */
#include "shape.h"

#include <hb.h>
#include <limits.h>

/*
 * Font units to millipoints at size, through whole 1/1000 em first. The PDF
 * writes glyph widths in whole 1/1000 em (W) and moves the pen in the same
 * units (TJ), so positions on this grid are exactly where a viewer puts the
 * glyphs, and the content stream needs a TJ number only where HarfBuzz or the
 * justification really moved a glyph (kerning, marks, stretched spaces).
 */
static vb_len_t
em_grid(const vb_font_t *f, int units, vb_len_t size)
{
    int64_t upem = vb_font_info(f)->upem;
    int64_t x = (int64_t)units * 1000;
    int64_t em = x >= 0 ? (x + upem / 2) / upem : -((-x + upem / 2) / upem);
    int64_t v = em * size;
    return (vb_len_t)(v >= 0 ? (v + 500) / 1000 : -((-v + 500) / 1000));
}

vb_status_t
vb_shape(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena, vb_shaped_t *out,
         vb_diag_t *d)
{
    if (!out)
        return vb_diag_set(d, VB_E_USAGE, "shape.usage", NULL, 0, 0, "vb_shape needs an out pointer.");
    *out = (vb_shaped_t){0};
    if (!f || !arena || (!text && len > 0) || size <= 0)
        return vb_diag_set(d, VB_E_USAGE, "shape.usage", NULL, 0, 0, "vb_shape was called without a font, "
                           "an arena or text, or with a size that is not positive.");
    if (len == 0)
        return VB_OK;
    if (len > INT_MAX)
        return vb_diag_set(d, VB_E_LIMIT, "shape.length", NULL, 0, 0, "A run of %zu bytes is too long to shape.",
                           len);

    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, HB_SCRIPT_LATIN);
    hb_buffer_set_language(buf, hb_language_from_string("vi", 2));
    hb_shape((hb_font_t *)vb_font_hb_font(f), buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf)) {
        hb_buffer_destroy(buf);
        return vb_diag_nomem(d);
    }

    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    vb_glyph_t *g = n ? VB_NEWN(arena, vb_glyph_t, n) : NULL;
    if (n && !g) {
        hb_buffer_destroy(buf);
        return vb_diag_nomem(d);
    }
    int64_t width = 0;
    int64_t upem = (int64_t)hb_face_get_upem((hb_face_t *)vb_font_hb_face(f));
    for (unsigned i = 0; i < n; i++) {
        /*
         * A glyph advanced, moved back or shifted by more than 16 em by the
         * font's positioning tables (GPOS, kern) is damage, not typography:
         * refused here, naming the file, before any length built on it.
         */
        int64_t adv = pos[i].x_advance, lim = 16 * upem;
        if (adv < -lim || adv > lim || pos[i].x_offset > lim || pos[i].x_offset < -lim || pos[i].y_offset > lim ||
            pos[i].y_offset < -lim) {
            hb_buffer_destroy(buf);
            return vb_diag_set(d, VB_E_FONT, "font.damaged", vb_font_info(f)->path, 0, 0,
                               "The font file %s is damaged: it positions glyph %u at an advance of %lld units "
                               "(%lld to the em). Install it again or remove it.",
                               vb_font_info(f)->path, (unsigned)info[i].codepoint, (long long)adv, (long long)upem);
        }
        g[i].gid = info[i].codepoint;
        g[i].cluster = info[i].cluster;
        g[i].x_advance = em_grid(f, pos[i].x_advance, size);
        g[i].x_offset = em_grid(f, pos[i].x_offset, size);
        g[i].y_offset = em_grid(f, pos[i].y_offset, size);
        width += g[i].x_advance;
    }
    hb_buffer_destroy(buf);
    if (width > INT32_MAX || width < INT32_MIN)
        return vb_diag_set(d, VB_E_LIMIT, "shape.width", NULL, 0, 0,
                           "A run of %zu bytes is too wide to measure in millipoints.", len);
    out->glyphs = g;
    out->n = (int)n;
    out->width = (vb_len_t)width;
    return VB_OK;
}
