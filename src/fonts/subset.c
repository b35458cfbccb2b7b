/*
 * subset.c - font subsetting for the PDF writer (the only hb-subset user).
 *
 * The subset holds the used glyphs plus the components of composite glyphs,
 * which hb-subset adds itself (libharu 2.3.0's own subsetter lost nested
 * components, see the feasibility notes §1), renumbered 0, 1, 2 ... in the
 * order of their old ids: the PDF's CIDToGIDMap streams name glyphs by the new
 * ids, which the caller gets with the program. Keeping the old ids
 * (RETAIN_GIDS) would leave loca and hmtx as long as the whole font's: with
 * Liberation, 14 KB of a 24 KB program per face.
 *
 * A PDF viewer draws glyphs by id and never shapes, so the layout tables are
 * dropped; the subset has no cmap for the same reason (a CIDFontType2's
 * program needs none, ISO 32000-1 §9.9), and hb-subset reads the face
 * without it, which halves its cost: the one font.c keeps in the font's own
 * blob without copying it (font_blob), or a copy (bare_face). Hinting (fpgm, prep, cvt
 * and glyph instructions) is dropped unless asked for: it is half of the
 * embedded bytes, printing never uses it, and most viewers (pdf.js, Chrome,
 * Acrobat, MuPDF) ignore it on screen.
 *
 * Subsetting costs more than anything else in writing a short document, and
 * an engine writes the same glyph sets again and again (the same document
 * rendered twice, letters that differ only in their body), so each face keeps
 * the font programs it made, keyed by the glyph set and the hinting flag: the
 * same face and glyph set give the same bytes, copied from the cache. The
 * cache holds the programs as the caller packed them (pdf_font.c compresses
 * them as the PDF embeds them), so a warm render neither subsets nor
 * compresses a font again. The
 * cache is a list, most recently used first, behind a mutex, bounded by
 * VB_SUBSETCACHE_MAX_BYTES and VB_SUBSETCACHE_MAX_ENTRIES (the least recently
 * used programs are dropped first).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "subset.h"

/*
 * Tables a PDF consumer never reads; hb-subset's default drop list already
 * holds more. The name table too: a PDF names the font in its descriptor
 * (/FontName, /BaseFont), and the license and version strings were a tenth of
 * the seed report's bytes (910 B of 70.6 KB).
 */
static const hb_tag_t drop_tables[] = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
    HB_TAG('M', 'A', 'T', 'H'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
    HB_TAG('k', 'e', 'r', 'x'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('f', 'e', 'a', 't'),
    HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'), HB_TAG('h', 'd', 'm', 'x'),
    HB_TAG('P', 'C', 'L', 'T'), HB_TAG('n', 'a', 'm', 'e'),
};

typedef struct sentry {
    struct sentry *next;
    uint64_t hash;
    bool hinting;
    vb_subset_pack_fn pack; /* how the program was packed (compressed) for the caller */
    int level;
    size_t rawlen;         /* the program's length before compression */
    int n;                 /* glyph ids, as the caller gave them */
    uint32_t *gids;
    uint16_t *newgids;     /* their ids in the subset */
    unsigned char *data;   /* the font program, zlib-compressed */
    size_t len;
} sentry_t;

struct vb_subsetcache {
    pthread_mutex_t lock;
    hb_face_t *bare;       /* the face without its cmap (bare_face), made on first use */
    sentry_t *head;        /* most recently used first */
    int n;
    size_t bytes;
    long hits, misses;
};

vb_subsetcache_t *
vb_subsetcache_new(void)
{
    vb_subsetcache_t *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void
entry_free(sentry_t *e)
{
    free(e->gids);
    free(e->newgids);
    free(e->data);
    free(e);
}

void
vb_subsetcache_free(vb_subsetcache_t *c)
{
    if (!c)
        return;
    for (sentry_t *e = c->head, *next; e; e = next) {
        next = e->next;
        entry_free(e);
    }
    hb_face_destroy(c->bare);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void
vb_subsetcache_stats(vb_subsetcache_t *c, long *programs, long *hits, long *misses)
{
    pthread_mutex_lock(&c->lock);
    *programs = c->n;
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}

static uint64_t
set_hash(const uint32_t *gids, int n, bool hinting)
{
    return vb_hash_bytes(VB_FNV_SEED ^ (hinting ? 1u : 0u), gids, (size_t)n * sizeof *gids);
}

/* A copy of the cached program for this glyph set in *data, moved to the front; false when there is none. */
static bool
cache_get(vb_subsetcache_t *c, uint64_t h, const uint32_t *gids, int n, bool hinting, vb_subset_pack_fn pack,
          int level, uint16_t *newgids, unsigned char **data, size_t *len, size_t *rawlen, bool *nomem)
{
    bool found = false;
    pthread_mutex_lock(&c->lock);
    for (sentry_t **pe = &c->head, *e; (e = *pe); pe = &e->next) {
        if (e->hash != h || e->n != n || e->hinting != hinting || e->pack != pack || e->level != level ||
            memcmp(e->gids, gids, (size_t)n * sizeof *gids))
            continue;
        found = true;
        *pe = e->next;
        e->next = c->head;
        c->head = e;
        c->hits++;
        memcpy(newgids, e->newgids, (size_t)n * sizeof *newgids);
        *rawlen = e->rawlen;
        if ((*data = malloc(e->len)))
            memcpy(*data, e->data, *len = e->len);
        else
            *nomem = true;
        break;
    }
    if (!found)
        c->misses++;
    pthread_mutex_unlock(&c->lock);
    return found;
}

/* Keeps a copy of a new program (nothing when memory is short: the cache is only a saving). */
static void
cache_put(vb_subsetcache_t *c, uint64_t h, const uint32_t *gids, int n, bool hinting, vb_subset_pack_fn pack,
          int level, const uint16_t *newgids, const unsigned char *data, size_t len, size_t rawlen)
{
    size_t size = len + (size_t)n * (sizeof *gids + sizeof *newgids) + sizeof(sentry_t);
    if (size > VB_SUBSETCACHE_MAX_BYTES)
        return;
    sentry_t *e = calloc(1, sizeof *e);
    if (!e || !(e->gids = malloc((size_t)n * sizeof *gids + 1)) ||
        !(e->newgids = malloc((size_t)n * sizeof *newgids + 1)) || !(e->data = malloc(len))) {
        if (e)
            entry_free(e);
        return;
    }
    e->hash = h;
    e->hinting = hinting;
    e->pack = pack;
    e->level = level;
    e->rawlen = rawlen;
    e->n = n;
    memcpy(e->gids, gids, (size_t)n * sizeof *gids);
    memcpy(e->newgids, newgids, (size_t)n * sizeof *newgids);
    memcpy(e->data, data, e->len = len);
    pthread_mutex_lock(&c->lock);
    bool dup = false;
    for (sentry_t *o = c->head; o && !dup; o = o->next)
        dup = o->hash == h && o->n == n && o->hinting == hinting && o->pack == pack && o->level == level && !memcmp(o->gids, gids, (size_t)n * sizeof *gids);
    if (dup) {
        pthread_mutex_unlock(&c->lock);
        entry_free(e); /* another render made it meanwhile */
        return;
    }
    e->next = c->head;
    c->head = e;
    c->n++;
    c->bytes += size;
    /* over a bound: drop the least recently used (the tail), never the new one */
    while (c->n > 1 && (c->bytes > VB_SUBSETCACHE_MAX_BYTES || c->n > VB_SUBSETCACHE_MAX_ENTRIES)) {
        sentry_t **pe = &c->head;
        while ((*pe)->next)
            pe = &(*pe)->next;
        sentry_t *last = *pe;
        *pe = NULL;
        c->n--;
        c->bytes -= last->len + (size_t)last->n * (sizeof *gids + sizeof *newgids) + sizeof(sentry_t);
        entry_free(last);
    }
    pthread_mutex_unlock(&c->lock);
}

static uint32_t
be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * A copy of face without its cmap, for hb-subset (a new reference to face
 * itself when it has none or its file is not a plain sfnt or collection; NULL
 * when memory is short). A plan over a face with a cmap first maps every
 * character of the font, to keep the characters of the glyphs kept: most of
 * the plan's cost (1.1 M instructions per Liberation face) for a table the
 * PDF never reads, as it names glyphs by id. The copy is the font file with
 * the cmap's entry taken out of its table directory (the offsets stay valid).
 */
static hb_face_t *
bare_face(hb_face_t *face)
{
    hb_blob_t *blob = hb_face_reference_blob(face);
    unsigned int len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &len);
    unsigned int index = hb_face_get_index(face);
    size_t dir = 0, nt = 0;
    bool ok = p && len >= 12;
    if (ok && !memcmp(p, "ttcf", 4)) {
        ok = index < be32(p + 8) && 16 + 4 * (size_t)index <= len;
        dir = ok ? be32(p + 12 + 4 * (size_t)index) : 0;
    } else {
        ok = ok && index == 0;
    }
    ok = ok && dir + 12 <= len;
    nt = ok ? be16(p + dir + 4) : 0;
    ok = ok && dir + 12 + 16 * nt <= len;
    size_t at = nt;
    for (size_t i = 0; ok && i < nt && at == nt; i++)
        if (!memcmp(p + dir + 12 + 16 * i, "cmap", 4))
            at = i;
    if (!ok || at == nt) {
        hb_blob_destroy(blob);
        return hb_face_reference(face);
    }
    unsigned char *copy = malloc(len);
    if (!copy) {
        hb_blob_destroy(blob);
        return NULL;
    }
    memcpy(copy, p, len);
    hb_blob_destroy(blob);
    unsigned char *t = copy + dir;
    memmove(t + 12 + 16 * at, t + 12 + 16 * (at + 1), 16 * (nt - at - 1));
    nt--;
    /* numTables, and the search fields that follow from it */
    unsigned es = 0;
    while ((2u << es) <= nt)
        es++;
    unsigned sr = 16u << es;
    unsigned vals[4] = {(unsigned)nt, sr, es, (unsigned)(16 * nt - sr)};
    for (int i = 0; i < 4; i++) {
        t[4 + 2 * i] = (unsigned char)(vals[i] >> 8);
        t[5 + 2 * i] = (unsigned char)vals[i];
    }
    hb_blob_t *nb = hb_blob_create_or_fail((const char *)copy, len, HB_MEMORY_MODE_READONLY, copy, free);
    if (!nb) {
        free(copy);
        return NULL;
    }
    hb_face_t *bare = hb_face_create(nb, index);
    hb_blob_destroy(nb);
    if (bare == hb_face_get_empty())
        return NULL;
    hb_face_make_immutable(bare);
    return bare;
}

/* The face without its cmap: the one font.c keeps in the font's blob, else a copy (bare_face). */
static hb_face_t *
bare_of(const vb_font_t *f, hb_face_t *face)
{
    hb_face_t *bare = (hb_face_t *)vb_font_hb_bare_face(f);
    return bare ? bare : bare_face(face);
}

static vb_status_t subset_now(hb_face_t *face, const vb_font_t *f, const uint32_t *gids, int n, bool hinting,
                              vb_subset_pack_fn pack, void *pack_ctx, int level, uint16_t *newgids,
                              unsigned char **data, size_t *len, size_t *rawlen, vb_diag_t *d);

vb_status_t
vb_subset_font(const vb_font_t *f, const uint32_t *gids, int n, bool hinting, vb_subset_pack_fn pack, void *pack_ctx,
               int level, uint16_t *newgids, unsigned char **data, size_t *len, size_t *rawlen, vb_diag_t *d)
{
    *data = NULL;
    *len = 0;
    *rawlen = 0;
    hb_face_t *face = (hb_face_t *)vb_font_hb_face(f);
    if (!face)
        return vb_diag_set(d, VB_E_FONT, "font.subset", vb_font_info(f)->path, 0, 0,
                           "The font has no face to subset.");
    vb_subsetcache_t *c = (vb_subsetcache_t *)vb_font_cache(f, VB_FACE_SUBSETS);
    if (!c || n < 0) {
        hb_face_t *bare = bare_of(f, face);
        if (!bare)
            return vb_diag_nomem(d);
        vb_status_t st = subset_now(bare, f, gids, n, hinting, pack, pack_ctx, level, newgids, data, len, rawlen, d);
        hb_face_destroy(bare);
        return st;
    }
    uint64_t h = set_hash(gids, n, hinting);
    bool nomem = false;
    if (cache_get(c, h, gids, n, hinting, pack, level, newgids, data, len, rawlen, &nomem))
        return nomem ? vb_diag_nomem(d) : VB_OK;
    /* the cache's bare face, made by the first render that needs it (a face is safe to share once made) */
    pthread_mutex_lock(&c->lock);
    if (!c->bare)
        c->bare = bare_of(f, face);
    hb_face_t *bare = c->bare;
    pthread_mutex_unlock(&c->lock);
    if (!bare)
        return vb_diag_nomem(d);
    vb_status_t st = subset_now(bare, f, gids, n, hinting, pack, pack_ctx, level, newgids, data, len, rawlen, d);
    if (st == VB_OK)
        cache_put(c, h, gids, n, hinting, pack, level, newgids, *data, *len, *rawlen);
    return st;
}

/* Runs hb-subset on face (f's, without its cmap) and packs the program. */
static vb_status_t
subset_now(hb_face_t *face, const vb_font_t *f, const uint32_t *gids, int n, bool hinting, vb_subset_pack_fn pack,
           void *pack_ctx, int level, uint16_t *newgids, unsigned char **data, size_t *len, size_t *rawlen,
           vb_diag_t *d)
{
    /* a glyph the document prints that the opening did not read (font.c); once a glyph set: cached after */
    char why[160];
    const char *bad = vb_font_outlines_damage(f, gids, n, why, sizeof why);
    if (bad)
        return vb_diag_set(d, VB_E_FONT, "font.damaged", vb_font_info(f)->path, 0, 0,
                           "The font file %s is damaged: %s. Install it again or remove it.", vb_font_info(f)->path,
                           bad);
    *data = NULL;
    *len = 0;
    const char *path = vb_font_info(f)->path;

    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return vb_diag_nomem(d);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0);
    for (int i = 0; i < n; i++)
        hb_set_add(glyphs, gids[i]);
    hb_set_clear(hb_subset_input_unicode_set(in));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop_tables / sizeof drop_tables[0]; i++)
        hb_set_add(drop, drop_tables[i]);
    hb_subset_input_set_flags(in, hinting ? HB_SUBSET_FLAGS_DEFAULT : HB_SUBSET_FLAGS_NO_HINTING);
    if (!hb_set_allocation_successful(glyphs) || !hb_set_allocation_successful(drop)) {
        hb_subset_input_destroy(in);
        return vb_diag_nomem(d);
    }

    /* the plan holds the glyph closure and its new ids; executing it makes the subset face */
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    hb_subset_input_destroy(in);
    hb_face_t *sub = NULL;
    if (plan) {
        const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
        bool all = true;
        for (int i = 0; i < n && all; i++) {
            hb_codepoint_t v = hb_map_get(map, gids[i]);
            all = v != HB_MAP_VALUE_INVALID && v <= 0xFFFF;
            newgids[i] = (uint16_t)v;
        }
        if (all)
            sub = hb_subset_plan_execute_or_fail(plan);
        hb_subset_plan_destroy(plan);
    }
    if (!sub)
        return vb_diag_set(d, VB_E_FONT, "font.subset", path, 0, 0, "The font file %s could not be subset for embedding in the PDF: it is damaged "
                           "or of a kind HarfBuzz cannot subset. Install it again or use another font.",
                           path);

    /* For a subset face the blob is built (serialised) on this call. */
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned int blen = 0;
    const char *bytes = hb_blob_get_data(blob, &blen);
    vb_status_t st = VB_OK;
    if (!bytes || blen == 0) {
        st = vb_diag_set(d, VB_E_FONT, "font.subset", path, 0, 0, "hb-subset produced an empty font.");
    } else {
        unsigned char *out = NULL;
        size_t zn = 0;
        if (!pack(pack_ctx, level, (const unsigned char *)bytes, blen, &out, &zn)) {
            st = vb_diag_nomem(d);
        } else {
            *data = out;
            *len = zn;
            *rawlen = blen;
        }
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return st;
}

static void *
cache_make(void)
{
    return vb_subsetcache_new();
}

static void
cache_free(void *c)
{
    vb_subsetcache_free(c);
}

bool
vb_subset_add_caches(vb_fontset_t *fs)
{
    return vb_fontset_add_cache(fs, VB_FACE_SUBSETS, cache_make, cache_free);
}
