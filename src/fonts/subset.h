/*
 * subset.h - font subsetting with hb-subset (the only hb-subset user).
 */
#ifndef VB_SUBSET_H
#define VB_SUBSET_H

#include "font.h"

typedef struct vb_subsetcache vb_subsetcache_t;

/*
 * Packs a font program in[0..n) as the caller keeps it (pdf_font.c: zlib at
 * compression level, with the compressor in ctx), in *out (malloc'd) and
 * *outlen; false when memory is short.
 */
typedef bool (*vb_subset_pack_fn)(void *ctx, int level, const unsigned char *in, size_t n, unsigned char **out,
                                  size_t *outlen);

/*
 * Subsets font f to the glyphs gids[0..n) (glyph 0 is always kept), dropping
 * the layout tables a PDF viewer never reads. The glyphs are renumbered: the
 * subset's id of gids[i] is written to newgids[i] (n entries; glyph 0 stays 0).
 * Without hinting, the TrueType instructions are dropped too, which halves
 * the embedded font. The TrueType program is returned as pack(pack_ctx, level, ...)
 * made it, in *data (malloc'd; the caller frees it), its own length in
 * *rawlen (a FontFile2's /Length1). The cache keeps the packed bytes.
 */
vb_status_t vb_subset_font(const vb_font_t *f, const uint32_t *gids, int n, bool hinting, vb_subset_pack_fn pack,
                           void *pack_ctx, int level, uint16_t *newgids, unsigned char **data, size_t *len,
                           size_t *rawlen, vb_diag_t *d);

/*
 * The face's cache of font programs (see subset.c): the same glyph set gives
 * the bytes made the first time. Bounded in bytes and in programs; thread-safe.
 */
#define VB_SUBSETCACHE_MAX_BYTES ((size_t)8 << 20)
#define VB_SUBSETCACHE_MAX_ENTRIES 64
vb_subsetcache_t *vb_subsetcache_new(void);
void vb_subsetcache_free(vb_subsetcache_t *c);
/* Programs held, requests answered from the cache and programs made (tests, benchmarks). */
void vb_subsetcache_stats(vb_subsetcache_t *c, long *programs, long *hits, long *misses);

/* Gives every face of fs its own cache (font.h, vb_fontset_add_cache); an engine does it once per fontset. */
bool vb_subset_add_caches(vb_fontset_t *fs);

#endif
