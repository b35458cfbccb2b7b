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

typedef struct vb_wordcache vb_wordcache_t;

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

/*
 * As vb_shape, for one word (or one run of spaces), through the face's word
 * cache: shaped once per face for the life of its fontset (that is, once per
 * engine), in units independent of the size, and shared by every thread. The
 * glyphs are those vb_shape gives, to the millipoint. A word longer than
 * VB_WORDCACHE_MAX_WORD bytes is shaped without the cache.
 */
vb_status_t vb_shape_word(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena,
                          vb_shaped_t *out, vb_diag_t *d);

/* The word cache's bounds: its entries and table in bytes (then it is emptied), and the longest word kept. */
#define VB_WORDCACHE_MAX_BYTES ((size_t)4 << 20)
#define VB_WORDCACHE_MAX_WORD 256

/* A face's word cache (made and freed by font.c with the face); thread-safe. */
vb_wordcache_t *vb_wordcache_new(void);
void vb_wordcache_free(vb_wordcache_t *c);
/* Words held, lookups answered and words shaped, since the cache was made (tests, benchmarks). */
void vb_wordcache_stats(vb_wordcache_t *c, long *words, long *hits, long *misses);

/* Gives every face of fs its own cache (font.h, vb_fontset_add_cache); an engine does it once per fontset. */
bool vb_shape_add_caches(vb_fontset_t *fs);

#endif
