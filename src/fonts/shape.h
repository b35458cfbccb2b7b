/*
 * shape.h - HarfBuzz shaping of one run of text in one face.
 *
 * Script Latin, language vi, direction left to right, default features.
 * Positions are returned in millipoints at the requested size; clusters are
 * byte offsets into the run's text, so every glyph can be traced back to the
 * characters it shows (for ToUnicode and for line breaking).
 */
#ifndef VB_SHAPE_H
#define VB_SHAPE_H

#include "font.h"

typedef struct vb_glyph {
    uint32_t gid;
    uint32_t cluster;  /* byte offset of the glyph's cluster in the run text */
    vb_len_t x_advance;/* millipoints at size */
    vb_len_t x_offset;
    vb_len_t y_offset; /* up positive, as HarfBuzz */
} vb_glyph_t;

typedef struct vb_shaped {
    vb_glyph_t *glyphs;
    int n;
    vb_len_t width;    /* sum of advances */
} vb_shaped_t;

/*
 * Shapes text[0..len) with face f at size (millipoints). The glyph array is
 * allocated in arena. Thread-safe: the font is only read.
 */
vb_status_t vb_shape(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena,
                     vb_shaped_t *out, vb_diag_t *d);

#endif
