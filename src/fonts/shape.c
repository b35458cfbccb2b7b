/*
 * shape.c - HarfBuzz shaping of one run (see shape.h); with font.c and
 * subset.c, the only HarfBuzz user.
 *
 * Shaping is thread-safe over a shared, immutable font: each call takes an
 * hb_buffer of its own from the face's small pool (reused across words,
 * documents and threads instead of one made per word). The buffer is set
 * explicitly to left to right, Latin, Vietnamese (the font's language, looked
 * up once when the face is opened; it selects a font's Vietnamese forms, when
 * it has any), with HarfBuzz's default cluster level (monotone graphemes): a
 * base letter and its combining marks form one cluster, and clusters are
 * byte offsets into the run because the text is added whole, from offset 0.
 * No features are passed, so the font's defaults apply (kerning, marks).
 *
 * HarfBuzz works in font units here (the font's scale is its upem); each
 * value is converted once, rounded, to millipoints at the run's size, and
 * the width is the sum of the rounded advances, so a line's width equals
 * the sum of what the PDF writer will place.
 *
 * The word cache (vb_shape_word): a word is shaped once per face and engine,
 * kept in whole 1/1000 em, which does not depend on the size (see em_units),
 * and scaled to each size it is asked at. The cache is an open-addressing
 * table (FNV-1a, linear probing) behind a read-write lock: any number of
 * renders look words up at once, a new word is shaped outside the lock and
 * inserted under the write lock. It is bounded: when its entries pass
 * VB_WORDCACHE_MAX_BYTES it is emptied and fills again, so a long-running
 * engine does not grow without limit.
 */
#include "shape.h"

#include <hb.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One glyph of a cached word: positions in whole 1/1000 em. */
typedef struct wglyph {
    uint32_t gid, cluster;
    int32_t adv, dx, dy;
} wglyph_t;

typedef struct wentry {
    uint64_t hash;
    uint32_t len;          /* bytes of the word, stored after the glyphs */
    uint32_t n;            /* glyphs */
    wglyph_t g[];
} wentry_t;

#define POOL_MAX 8

struct vb_wordcache {
    pthread_rwlock_t lock;
    wentry_t **slots;      /* cap entries, NULL when empty; cap is a power of two */
    size_t n, cap;
    size_t bytes;          /* of the entries and the table */
    pthread_mutex_t pool_lock;
    hb_buffer_t *pool[POOL_MAX];
    int npool;
    hb_shape_plan_t *plan; /* the face's one plan (LTR, Latin, its language, no features), under pool_lock */
    long hits, misses;     /* for the tests and benchmarks (atomic counters) */
};

static const char *
entry_text(const wentry_t *e)
{
    return (const char *)(e->g + e->n);
}

vb_wordcache_t *
vb_wordcache_new(void)
{
    vb_wordcache_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_rwlock_init(&c->lock, NULL);
    pthread_mutex_init(&c->pool_lock, NULL);
    return c;
}

static void
cache_clear(vb_wordcache_t *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->slots[i]);
    free(c->slots);
    c->slots = NULL;
    c->n = c->cap = c->bytes = 0;
}

void
vb_wordcache_free(vb_wordcache_t *c)
{
    if (!c)
        return;
    cache_clear(c);
    for (int i = 0; i < c->npool; i++)
        hb_buffer_destroy(c->pool[i]);
    hb_shape_plan_destroy(c->plan);
    pthread_rwlock_destroy(&c->lock);
    pthread_mutex_destroy(&c->pool_lock);
    free(c);
}

void
vb_wordcache_stats(vb_wordcache_t *c, long *words, long *hits, long *misses)
{
    pthread_rwlock_rdlock(&c->lock);
    *words = (long)c->n;
    pthread_rwlock_unlock(&c->lock);
    *hits = __atomic_load_n(&c->hits, __ATOMIC_RELAXED);
    *misses = __atomic_load_n(&c->misses, __ATOMIC_RELAXED);
}

/* An empty buffer from the face's pool, or a new one; NULL when memory is short. */
static hb_buffer_t *
buffer_take(vb_wordcache_t *c)
{
    hb_buffer_t *b = NULL;
    if (c) {
        pthread_mutex_lock(&c->pool_lock);
        if (c->npool > 0)
            b = c->pool[--c->npool];
        pthread_mutex_unlock(&c->pool_lock);
    }
    if (!b) {
        b = hb_buffer_create();
        if (!hb_buffer_allocation_successful(b)) {
            hb_buffer_destroy(b);
            return NULL;
        }
    }
    return b;
}

static void
buffer_give(vb_wordcache_t *c, hb_buffer_t *b)
{
    if (c) {
        hb_buffer_reset(b);
        pthread_mutex_lock(&c->pool_lock);
        if (c->npool < POOL_MAX) {
            c->pool[c->npool++] = b;
            b = NULL;
        }
        pthread_mutex_unlock(&c->pool_lock);
    }
    hb_buffer_destroy(b);
}

/*
 * Font units to whole 1/1000 em, and those to millipoints at size. The PDF
 * writes glyph widths in whole 1/1000 em (W) and moves the pen in the same
 * units (TJ), so positions on this grid are exactly where a viewer puts the
 * glyphs, and the content stream needs a TJ number only where HarfBuzz or the
 * justification really moved a glyph (kerning, marks, stretched spaces).
 */
static int32_t
em_units(int64_t upem, int units)
{
    int64_t x = (int64_t)units * 1000;
    return (int32_t)(x >= 0 ? (x + upem / 2) / upem : -((-x + upem / 2) / upem));
}

static vb_len_t
em_at(int32_t em, vb_len_t size)
{
    int64_t v = (int64_t)em * size;
    return (vb_len_t)(v >= 0 ? (v + 500) / 1000 : -((-v + 500) / 1000));
}

/*
 * The face's shape plan, made once: every run is shaped with the same
 * properties and no features, so HarfBuzz's plan lookup (hb_shape looks the
 * plan up at every call, a quarter of its cost on a one-word buffer) is done
 * once per face and engine. NULL without a cache: hb_shape then finds it.
 */
static hb_shape_plan_t *
face_plan(const vb_font_t *f, vb_wordcache_t *c, const hb_segment_properties_t *props)
{
    if (!c)
        return NULL;
    pthread_mutex_lock(&c->pool_lock);
    if (!c->plan)
        c->plan = hb_shape_plan_create_cached((hb_face_t *)vb_font_hb_face(f), props, NULL, 0, NULL);
    hb_shape_plan_t *plan = c->plan;
    pthread_mutex_unlock(&c->pool_lock);
    return plan;
}

/*
 * Shapes text[0..len) into buf and checks the positions. A glyph advanced,
 * moved back or shifted by more than 16 em by the font's positioning tables
 * (GPOS, kern) is damage, not typography: refused here, naming the file,
 * before any length built on it.
 */
static vb_status_t
run_hb(const vb_font_t *f, vb_wordcache_t *c, hb_buffer_t *buf, const char *text, size_t len, vb_diag_t *d)
{
    hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, HB_SCRIPT_LATIN);
    hb_buffer_set_language(buf, (hb_language_t)vb_font_hb_language(f));
    hb_segment_properties_t props;
    hb_buffer_get_segment_properties(buf, &props);
    hb_shape_plan_t *plan = face_plan(f, c, &props);
    if (plan)
        hb_shape_plan_execute(plan, (hb_font_t *)vb_font_hb_font(f), buf, NULL, 0);
    else
        hb_shape((hb_font_t *)vb_font_hb_font(f), buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf))
        return vb_diag_nomem(d);
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    int64_t upem = vb_font_info(f)->upem, lim = 16 * upem;
    for (unsigned i = 0; i < n; i++) {
        int64_t adv = pos[i].x_advance;
        if (adv < -lim || adv > lim || pos[i].x_offset > lim || pos[i].x_offset < -lim || pos[i].y_offset > lim ||
            pos[i].y_offset < -lim)
            return vb_diag_set(d, VB_E_FONT, "font.damaged", vb_font_info(f)->path, 0, 0,
                               "The font file %s is damaged: it positions glyph %u at an advance of %lld units "
                               "(%lld to the em). Install it again or remove it.",
                               vb_font_info(f)->path, (unsigned)info[i].codepoint, (long long)adv, (long long)upem);
    }
    return VB_OK;
}

static vb_status_t
check_args(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena, vb_shaped_t *out,
           vb_diag_t *d)
{
    if (!out)
        return vb_diag_set(d, VB_E_USAGE, "shape.usage", NULL, 0, 0, "vb_shape needs an out pointer.");
    *out = (vb_shaped_t){0};
    if (!f || !arena || (!text && len > 0) || size <= 0)
        return vb_diag_set(d, VB_E_USAGE, "shape.usage", NULL, 0, 0, "vb_shape was called without a font, "
                           "an arena or text, or with a size that is not positive.");
    if (len > INT_MAX)
        return vb_diag_set(d, VB_E_LIMIT, "shape.length", NULL, 0, 0, "A run of %zu bytes is too long to shape.",
                           len);
    return VB_OK;
}

/* The glyphs of g[0..n) at size into out (in arena). */
static vb_status_t
scale_out(const wglyph_t *g, unsigned n, vb_len_t size, size_t len, vb_arena_t *arena, vb_shaped_t *out,
          vb_diag_t *d)
{
    vb_glyph_t *o = n ? VB_NEWN(arena, vb_glyph_t, n) : NULL;
    if (n && !o)
        return vb_diag_nomem(d);
    int64_t width = 0;
    for (unsigned i = 0; i < n; i++) {
        o[i].gid = g[i].gid;
        o[i].cluster = g[i].cluster;
        o[i].x_advance = em_at(g[i].adv, size);
        o[i].x_offset = em_at(g[i].dx, size);
        o[i].y_offset = em_at(g[i].dy, size);
        width += o[i].x_advance;
    }
    if (width > INT32_MAX || width < INT32_MIN)
        return vb_diag_set(d, VB_E_LIMIT, "shape.width", NULL, 0, 0,
                           "A run of %zu bytes is too wide to measure in millipoints.", len);
    out->glyphs = o;
    out->n = (int)n;
    out->width = (vb_len_t)width;
    return VB_OK;
}

/* The shaped glyphs of buf in 1/1000 em into g (room for n). */
static void
buffer_units(const vb_font_t *f, hb_buffer_t *buf, wglyph_t *g, unsigned n)
{
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, NULL);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    int64_t upem = vb_font_info(f)->upem;
    for (unsigned i = 0; i < n; i++) {
        g[i].gid = info[i].codepoint;
        g[i].cluster = info[i].cluster;
        g[i].adv = em_units(upem, pos[i].x_advance);
        g[i].dx = em_units(upem, pos[i].x_offset);
        g[i].dy = em_units(upem, pos[i].y_offset);
    }
}

vb_status_t
vb_shape(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena, vb_shaped_t *out,
         vb_diag_t *d)
{
    vb_status_t rc = check_args(f, size, text, len, arena, out, d);
    if (rc != VB_OK || len == 0)
        return rc;
    vb_wordcache_t *c = (vb_wordcache_t *)vb_font_cache(f, VB_FACE_WORDS);
    hb_buffer_t *buf = buffer_take(c);
    if (!buf)
        return vb_diag_nomem(d);
    rc = run_hb(f, c, buf, text, len, d);
    unsigned n = hb_buffer_get_length(buf);
    wglyph_t *g = rc == VB_OK && n ? malloc(n * sizeof *g) : NULL;
    if (rc == VB_OK && n && !g)
        rc = vb_diag_nomem(d);
    if (rc == VB_OK) {
        buffer_units(f, buf, g, n);
        rc = scale_out(g, n, size, len, arena, out, d);
    }
    free(g);
    buffer_give(c, buf);
    return rc;
}

/* The slot of text in the table: its entry, or the empty slot where it would go. Under a lock. */
static size_t
find_slot(const vb_wordcache_t *c, uint64_t h, const char *text, size_t len)
{
    size_t i = (size_t)h & (c->cap - 1);
    for (const wentry_t *e; (e = c->slots[i]); i = (i + 1) & (c->cap - 1))
        if (e->hash == h && e->len == len && !memcmp(entry_text(e), text, len))
            break;
    return i;
}

/* Doubles the table (under the write lock); false when memory is short. */
static bool
cache_grow(vb_wordcache_t *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 1024;
    wentry_t **ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < c->cap; i++) {
        wentry_t *e = c->slots[i];
        if (!e)
            continue;
        size_t j = (size_t)e->hash & (ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = e;
    }
    free(c->slots);
    c->bytes += (ncap - c->cap) * sizeof *ns;
    c->slots = ns;
    c->cap = ncap;
    return true;
}

/* Adds e (malloc'd) to the table, or frees it when the word is there already or memory is short. */
static void
cache_insert(vb_wordcache_t *c, wentry_t *e, size_t esize)
{
    pthread_rwlock_wrlock(&c->lock);
    if (c->bytes + esize > VB_WORDCACHE_MAX_BYTES)
        cache_clear(c); /* full: start again, rather than grow without limit */
    if ((c->n + 1) * 2 > c->cap && !cache_grow(c)) {
        pthread_rwlock_unlock(&c->lock);
        free(e);
        return;
    }
    size_t i = find_slot(c, e->hash, entry_text(e), e->len);
    if (c->slots[i]) {
        free(e); /* another render shaped it meanwhile */
    } else {
        c->slots[i] = e;
        c->n++;
        c->bytes += esize;
    }
    pthread_rwlock_unlock(&c->lock);
}

vb_status_t
vb_shape_word(const vb_font_t *f, vb_len_t size, const char *text, size_t len, vb_arena_t *arena, vb_shaped_t *out,
              vb_diag_t *d)
{
    vb_status_t rc = check_args(f, size, text, len, arena, out, d);
    if (rc != VB_OK || len == 0)
        return rc;
    vb_wordcache_t *c = (vb_wordcache_t *)vb_font_cache(f, VB_FACE_WORDS);
    if (!c || len > VB_WORDCACHE_MAX_WORD)
        return vb_shape(f, size, text, len, arena, out, d);
    uint64_t h = vb_hash_bytes(VB_FNV_SEED, text, len);
    pthread_rwlock_rdlock(&c->lock);
    if (c->cap) {
        const wentry_t *e = c->slots[find_slot(c, h, text, len)];
        if (e) {
            rc = scale_out(e->g, e->n, size, len, arena, out, d);
            pthread_rwlock_unlock(&c->lock);
            __atomic_fetch_add(&c->hits, 1, __ATOMIC_RELAXED);
            return rc;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    __atomic_fetch_add(&c->misses, 1, __ATOMIC_RELAXED);

    hb_buffer_t *buf = buffer_take(c);
    if (!buf)
        return vb_diag_nomem(d);
    rc = run_hb(f, c, buf, text, len, d);
    unsigned n = hb_buffer_get_length(buf);
    size_t esize = sizeof(wentry_t) + n * sizeof(wglyph_t) + len;
    wentry_t *e = rc == VB_OK ? malloc(esize) : NULL;
    if (rc == VB_OK && !e)
        rc = vb_diag_nomem(d);
    if (rc == VB_OK) {
        e->hash = h;
        e->len = (uint32_t)len;
        e->n = n;
        buffer_units(f, buf, e->g, n);
        memcpy((char *)(e->g + n), text, len);
        rc = scale_out(e->g, n, size, len, arena, out, d);
    }
    buffer_give(c, buf);
    if (rc == VB_OK)
        cache_insert(c, e, esize);
    else
        free(e);
    return rc;
}

static void *
cache_make(void)
{
    return vb_wordcache_new();
}

static void
cache_free(void *c)
{
    vb_wordcache_free(c);
}

bool
vb_shape_add_caches(vb_fontset_t *fs)
{
    return vb_fontset_add_cache(fs, VB_FACE_WORDS, cache_make, cache_free);
}
