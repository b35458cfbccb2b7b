/*
 * para.c - setting inline text into lines (see para.h).
 *
 * 1. Each span is cut at the author's '\n' into segments, and each segment is
 *    shaped once by HarfBuzz (shape.c) in its face and size. Shaping whole
 *    segments, not words, keeps it to one HarfBuzz call per run of one style.
 * 2. The glyphs become Knuth-Plass items: a box per word piece (glyphs
 *    between spaces), a glue per space (its natural width from the font, with
 *    the profile's stretch and shrink), a fil glue and a forced break per '\n'
 *    and at the end. A first-line indent is a box. Where typography forbids
 *    a break (see break_penalty), a penalty goes before the glue, so
 *    that glue is no longer a legal breakpoint.
 * 3. linebreak.c chooses the breaks: total fit for justified text, greedy
 *    first fit for ragged text (whose glue neither stretches nor shrinks).
 *    Balanced centred text (titles) is broken greedily at the narrowest width
 *    that still gives the same number of lines.
 * 4. Each line is justified exactly: the difference between the measure and
 *    the natural width is shared among the line's glues in proportion to their
 *    stretch (or shrink), in integer millipoints with the remainders carried,
 *    so a justified line ends exactly at the right edge.
 * 5. Glyphs are emitted as runs (one per segment per line) with absolute x;
 *    space glyphs are kept so the text layer has real spaces.
 */
#include "para.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "shape.h"

/* a cost no set of breaks reaches */
#define INFINITY_COST 1e300

typedef struct seg {
    const char *text;
    size_t len;
    uint8_t face;
    vb_len_t size;      /* the style's size, or a script's */
    vb_len_t rise;      /* baseline shift upwards (superscripts), negative downwards */
    vb_shaped_t sh;
    uint32_t *cl_len;   /* per glyph: length of its cluster text, 0 for continuation glyphs */
} seg_t;

typedef struct itemsrc {
    int seg;            /* -1: synthetic (indent, fil glue, penalty) */
    int g0, g1;         /* glyph range within the segment */
} itemsrc_t;

typedef struct build {
    VB_VEC(seg_t) segs;
    VB_VEC(vb_lbitem_t) items;
    VB_VEC(itemsrc_t) srcs;
} build_t;

static const vb_font_t *
face_font(const vb_setctx_t *ctx, int face)
{
    return vb_fontset_face(ctx->fonts, (vb_face_t)(face & 3));
}

vb_len_t
vb_style_ascent(const vb_setctx_t *ctx, const vb_style_t *st)
{
    const vb_font_t *f = face_font(ctx, st->face);
    return vb_font_scale(f, vb_font_info(f)->ascender, st->size);
}

vb_len_t
vb_style_descent(const vb_setctx_t *ctx, const vb_style_t *st)
{
    const vb_font_t *f = face_font(ctx, st->face);
    return vb_font_scale(f, -vb_font_info(f)->descender, st->size);
}

/*
 * The working lists of one vb_set_text (segments, items, glyphs) live in the
 * scratch arena and each element is written before it is read, so they grow
 * into memory that is not zeroed first (VB_PUSH's zeroing was a tenth of
 * setting a paragraph). Growth doubles, keeping the n elements in use.
 */
static int
grow_raw(vb_arena_t *a, void **v, int n, int *cap, size_t elem, int need)
{
    return vb_vec_grow_raw(a, v, n, cap, elem, need);
}

#define SCRATCH_RESERVE(arena, vec, need) \
    grow_raw((arena), (void **)&(vec).v, (vec).n, &(vec).cap, sizeof(*(vec).v), (need))
#define SCRATCH_PUSH(arena, vec, item)                                                 \
    (((vec).n < (vec).cap || SCRATCH_RESERVE((arena), (vec), (vec).n + 1) == 0)        \
         ? ((vec).v[(vec).n++] = (item), 0)                                            \
         : -1)

static int
push_item(vb_arena_t *a, build_t *b, vb_lbitem_t it, itemsrc_t src)
{
    if (SCRATCH_PUSH(a, b->items, it) || SCRATCH_PUSH(a, b->srcs, src))
        return -1;
    return 0;
}

static int
push_forced_break(vb_arena_t *a, build_t *b)
{
    vb_lbitem_t fil = {.type = VB_LB_GLUE, .stretch = VB_LB_FIL};
    vb_lbitem_t brk = {.type = VB_LB_PENALTY, .penalty = -VB_LB_INF};
    itemsrc_t none = {-1, 0, 0};
    return push_item(a, b, fil, none) || push_item(a, b, brk, none) ? -1 : 0;
}

/*
 * The word cache. A document repeats its words ("của", "và", "cấp ủy") and a
 * table's cells are measured and set more than once, so each distinct word is
 * looked up once per face and size and then copied. The lookup goes to the
 * engine's word cache (shape.c, vb_shape_word), where each word is shaped once
 * per face for every document; this one, the document's own, needs no lock. Words are shaped alone, as
 * TeX and Typst do: no kerning across an inter-word space, whose width the
 * justification changes anyway.
 *
 * The index is a small open-addressing table (FNV-1a, linear probing, grown
 * at half full). libc's hsearch_r was tried first: its additive hash made the
 * lookups cost more than shaping every word again (measured with callgrind).
 */
typedef struct centry {
    uint64_t hash;
    const char *word;     /* arena copy, NULL for an empty slot */
    uint32_t len;
    int32_t size;
    int face;
    const vb_shaped_t *sh;
} centry_t;

struct vb_shapecache {
    centry_t *slots;
    size_t n, cap;        /* cap is a power of two */
};

/*
 * The scratch arena holds what setting one text needs only while it runs:
 * shaped segments, breaker items, breaks. vb_set_text empties it when it
 * starts, so a document's memory grows with its lines, not with everything
 * used to compute them. (Without memory for it, the document arena serves.)
 */
static vb_arena_t *
scratch(vb_setctx_t *ctx)
{
    if (!ctx->scratch)
        ctx->scratch = vb_arena_new();
    return ctx->scratch ? ctx->scratch : ctx->arena;
}

void
vb_set_finish(vb_setctx_t *ctx)
{
    vb_arena_free(ctx->scratch);
    ctx->scratch = NULL;
    if (ctx->cache) {
        free(ctx->cache->slots);
        free(ctx->cache);
        ctx->cache = NULL;
    }
}

static uint64_t
word_hash(int face, vb_len_t size, const char *w, size_t n)
{
    return vb_hash_bytes(VB_FNV_SEED ^ (uint64_t)(face * 131 + size), w, n);
}

/* Doubles the table; false when memory is short (the cache then stops growing). */
static bool
cache_grow(vb_shapecache_t *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 4096;
    centry_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i].word)
            continue;
        size_t j = (size_t)c->slots[i].hash & (ncap - 1);
        while (ns[j].word)
            j = (j + 1) & (ncap - 1);
        ns[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = ns;
    c->cap = ncap;
    return true;
}

static vb_status_t
shape_word(vb_setctx_t *ctx, int face, vb_len_t size, const char *w, size_t n, const vb_shaped_t **out, vb_diag_t *d)
{
    if (!ctx->cache && !ctx->no_cache) {
        ctx->cache = calloc(1, sizeof *ctx->cache);
        if (!ctx->cache || !cache_grow(ctx->cache)) {
            free(ctx->cache);
            ctx->cache = NULL;
            ctx->no_cache = true;
        }
    }
    vb_shapecache_t *c = ctx->cache;
    uint64_t h = word_hash(face, size, w, n);
    size_t slot = 0;
    if (c) {
        slot = (size_t)h & (c->cap - 1);
        for (; c->slots[slot].word; slot = (slot + 1) & (c->cap - 1)) {
            const centry_t *e = &c->slots[slot];
            if (e->hash == h && e->len == n && e->face == face && e->size == size && !memcmp(e->word, w, n)) {
                *out = e->sh;
                return VB_OK;
            }
        }
    }
    vb_shaped_t *sh = VB_NEW(ctx->arena, vb_shaped_t);
    if (!sh)
        return vb_diag_nomem(d);
    vb_status_t rc = vb_shape_word(face_font(ctx, face), size, w, n, ctx->arena, sh, d);
    if (rc != VB_OK)
        return rc;
    *out = sh;
    if (c && (c->n + 1) * 2 <= c->cap) {
        char *copy = vb_arena_strndup(ctx->arena, w, n);
        if (!copy)
            return vb_diag_nomem(d);
        c->slots[slot] = (centry_t){h, copy, (uint32_t)n, size, face, sh};
        if (++c->n * 2 > c->cap)
            cache_grow(c); /* on failure the cache simply stops taking words */
    }
    return VB_OK;
}

/* Shapes a segment word by word (spaces are words too) and joins the glyphs, clusters relative to text. */
static vb_status_t
shape_words(vb_setctx_t *ctx, int face, vb_len_t size, const char *text, size_t len, vb_shaped_t *out, vb_diag_t *d)
{
    VB_VEC(const vb_shaped_t *) parts = {0};
    VB_VEC(size_t) offs = {0};
    size_t i = 0;
    int total = 0;
    while (i < len) {
        bool sp = text[i] == ' ' || text[i] == '\t';
        size_t j = i;
        while (j < len && (text[j] == ' ' || text[j] == '\t') == sp)
            j++;
        const vb_shaped_t *sh = NULL;
        vb_status_t rc = shape_word(ctx, face, size, text + i, j - i, &sh, d);
        if (rc != VB_OK)
            return rc;
        if (SCRATCH_PUSH(scratch(ctx), parts, sh) || SCRATCH_PUSH(scratch(ctx), offs, i))
            return vb_diag_nomem(d);
        total += sh->n;
        i = j;
    }
    out->glyphs = vb_arena_alloc_raw(scratch(ctx), sizeof(vb_glyph_t) * (size_t)(total ? total : 1));
    if (!out->glyphs)
        return vb_diag_nomem(d);
    out->n = 0;
    out->width = 0;
    for (int p = 0; p < parts.n; p++) {
        const vb_shaped_t *sh = parts.v[p];
        for (int g = 0; g < sh->n; g++) {
            vb_glyph_t gl = sh->glyphs[g];
            gl.cluster += (uint32_t)offs.v[p];
            out->glyphs[out->n++] = gl;
        }
        out->width += sh->width;
    }
    return VB_OK;
}

char
vb_script_fallback(uint32_t cp, int *bit)
{
    static const char sup[] = "0i  456789+-=()n"; /* U+2070..U+207F; 2071-2073 are not digits */
    static const char sub[] = "0123456789+-=()";  /* U+2080..U+208E */
    *bit = VB_SPAN_SUPER;
    if (cp == 0xB9)
        return '1';
    if (cp == 0xB2)
        return '2';
    if (cp == 0xB3)
        return '3';
    if (cp >= 0x2070 && cp <= 0x207F && sup[cp - 0x2070] != ' ' && cp != 0x2071)
        return sup[cp - 0x2070];
    *bit = VB_SPAN_SUB;
    if (cp >= 0x2080 && cp <= 0x208E)
        return sub[cp - 0x2080];
    return 0;
}

/* Shapes one segment and adds it to b->segs. */
static vb_status_t
add_seg(vb_setctx_t *ctx, const vb_style_t *st, const char *text, size_t len, int face, build_t *b, vb_diag_t *d)
{
    seg_t s = {0};
    s.text = text;
    s.len = len;
    s.face = (uint8_t)((st->face | face) & 3);
    s.size = st->size;
    if (face & (VB_SPAN_SUPER | VB_SPAN_SUB)) {
        if (!ctx->script || !ctx->script->present)
            return vb_diag_set(d, VB_E_PROFILE, "layout.no-script", NULL, 0, 0,
                               "The text has a superscript or subscript (\"%.*s\") but the profile has no \"script\" "
                               "settings for their size and position.", (int)(len < 40 ? len : 40), text);
        s.size = (vb_len_t)((int64_t)st->size * ctx->script->size_ratio / 1000);
        s.rise = (vb_len_t)((int64_t)st->size * ((face & VB_SPAN_SUPER) ? ctx->script->rise : -ctx->script->drop) /
                            1000);
        if (s.size <= 0)
            s.size = 1;
    }
    if (s.len) {
        vb_status_t rc = shape_words(ctx, s.face, s.size, s.text, s.len, &s.sh, d);
        if (rc != VB_OK)
            return rc;
        s.cl_len = vb_arena_alloc_raw(scratch(ctx), sizeof(uint32_t) * (size_t)(s.sh.n ? s.sh.n : 1));
        if (!s.cl_len)
            return vb_diag_nomem(d);
        for (int g = 0; g < s.sh.n; g++) {
            uint32_t c = s.sh.glyphs[g].cluster;
            if (g > 0 && s.sh.glyphs[g - 1].cluster == c) {
                s.cl_len[g] = 0;
                continue;
            }
            uint32_t next = (uint32_t)s.len;
            for (int h = g + 1; h < s.sh.n; h++)
                if (s.sh.glyphs[h].cluster != c) {
                    next = s.sh.glyphs[h].cluster;
                    break;
                }
            s.cl_len[g] = next > c ? next - c : 0;
        }
    }
    if (SCRATCH_PUSH(scratch(ctx), b->segs, s))
        return vb_diag_nomem(d);
    return VB_OK;
}

/*
 * Adds a piece of a span (no '\n' in it) as segments: a superscript or
 * subscript character the font lacks ("⁰") becomes its ASCII character in a
 * segment of its own, raised or lowered; the rest as it is.
 */
static vb_status_t
add_piece(vb_setctx_t *ctx, const vb_style_t *st, const char *text, size_t len, int face, build_t *b, vb_diag_t *d)
{
    static const char ascii[] = "0123456789+-=()n";
    size_t from = 0;
    const vb_font_t *f = face_font(ctx, (st->face | face) & 3);
    for (size_t i = 0; i < len;) {
        /* the characters vb_script_fallback knows start with byte C2 (U+00B2, U+00B3, U+00B9) or E2
           (U+2070..U+208E); any other byte is passed over without decoding */
        unsigned char lead = (unsigned char)text[i];
        if (lead != 0xC2 && lead != 0xE2) {
            i++;
            continue;
        }
        uint32_t cp = 0;
        int n = vb_utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            n = 1;
        int bit;
        char a = cp >= 0x80 && !(face & (VB_SPAN_SUPER | VB_SPAN_SUB)) ? vb_script_fallback(cp, &bit) : 0;
        if (a && !vb_font_covers(f, cp)) {
            vb_status_t rc = from < i ? add_seg(ctx, st, text + from, i - from, face, b, d) : VB_OK;
            if (rc == VB_OK)
                rc = add_seg(ctx, st, strchr(ascii, a), 1, face | bit, b, d);
            if (rc != VB_OK)
                return rc;
            from = i + (size_t)n;
        }
        i += (size_t)n;
    }
    if (from < len || len == 0)
        return add_seg(ctx, st, text + from, len - from, face, b, d);
    return VB_OK;
}

/* Shapes every segment of text; fills b->segs. */
static vb_status_t
shape_segments(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, build_t *b, vb_diag_t *d)
{
    for (int i = 0; i < text->n; i++) {
        const vb_span_t *sp = &text->spans[i];
        size_t start = 0;
        for (size_t k = 0; k <= sp->len; k++) {
            if (k < sp->len) {
                const char *nl = memchr(sp->text + k, '\n', sp->len - k);
                k = nl ? (size_t)(nl - sp->text) : sp->len;
            }
            vb_status_t rc = add_piece(ctx, st, sp->text + start, k - start, sp->face, b, d);
            if (rc != VB_OK)
                return rc;
            /* a segment ended by '\n' is marked by a NULL-text sentinel */
            if (k < sp->len) {
                seg_t brk = {0};
                if (SCRATCH_PUSH(scratch(ctx), b->segs, brk))
                    return vb_diag_nomem(d);
            }
            start = k + 1;
        }
    }
    return VB_OK;
}

static bool
is_space_at(const seg_t *s, uint32_t cluster)
{
    if (cluster >= s->len)
        return false;
    char c = s->text[cluster];
    return c == ' ' || c == '\t';
}

/*
 * A word wider than the narrowest line (a pasted URL, a run of characters
 * with no space) would run into the margin. It is cut into pieces that each
 * fit, at cluster boundaries so no letter loses its marks, with a costly but
 * allowed break between the pieces: the one place vanban breaks inside a
 * word, and only where there is no other way to keep the margin.
 */
#define WORD_CUT_PENALTY 5000

static int
split_word(vb_arena_t *a, build_t *b, const seg_t *s, int seg, int g0, int g1, vb_len_t max_box)
{
    int start = g0;
    int64_t w = 0;
    for (int g = g0; g < g1; g++) {
        bool boundary = g > start && s->sh.glyphs[g].cluster != s->sh.glyphs[g - 1].cluster;
        if (boundary && w + s->sh.glyphs[g].x_advance > max_box) {
            vb_lbitem_t box = {.type = VB_LB_BOX, .width = (vb_len_t)w};
            vb_lbitem_t cut = {.type = VB_LB_PENALTY, .penalty = WORD_CUT_PENALTY};
            itemsrc_t src = {seg, start, g}, none = {-1, 0, 0};
            if (push_item(a, b, box, src) || push_item(a, b, cut, none))
                return -1;
            start = g;
            w = 0;
        }
        w += s->sh.glyphs[g].x_advance;
    }
    vb_lbitem_t box = {.type = VB_LB_BOX, .width = (vb_len_t)w};
    itemsrc_t src = {seg, start, g1};
    return push_item(a, b, box, src);
}

/* Gaps between letters inside glyphs [g0, g1) of a segment: cluster boundaries, not marks on their base. */
static int
letter_gaps(const seg_t *s, int g0, int g1)
{
    int n = 0;
    for (int g = g0 + 1; g < g1; g++)
        if (s->sh.glyphs[g].cluster != s->sh.glyphs[g - 1].cluster)
            n++;
    return n;
}

/* The most letter-space between two letters (millipoints), 0 when the profile allows none. */
static vb_len_t
letter_space_max(const vb_setctx_t *ctx, const vb_style_t *st)
{
    if (!ctx->brk || ctx->brk->letter_space <= 0 || ctx->brk->space_stretch <= 0 ||
        ctx->brk->letter_space_above <= 1000)
        return 0;
    return (vb_len_t)((int64_t)st->size * ctx->brk->letter_space / 1000);
}

/* Builds the items of the paragraph from its shaped segments. */
static vb_status_t
build_items(vb_setctx_t *ctx, const vb_style_t *st, bool ragged, vb_len_t max_box, build_t *b, vb_diag_t *d)
{
    vb_arena_t *a = scratch(ctx);
    itemsrc_t none = {-1, 0, 0};
    /* room for every item at once: at most one per glyph, two per forced break, the indent (cut words grow it) */
    int room = 4;
    for (int i = 0; i < b->segs.n; i++)
        room += b->segs.v[i].text ? b->segs.v[i].sh.n : 2;
    if (SCRATCH_RESERVE(a, b->items, room) || SCRATCH_RESERVE(a, b->srcs, room))
        return vb_diag_nomem(d);
    vb_len_t ls_max = ragged ? 0 : letter_space_max(ctx, st);
    if (st->indent > 0 && (st->align == VB_ALIGN_JUSTIFY || st->align == VB_ALIGN_LEFT)) {
        vb_lbitem_t ind = {.type = VB_LB_BOX, .width = st->indent};
        if (push_item(a, b, ind, none))
            return vb_diag_nomem(d);
    }
    for (int i = 0; i < b->segs.n; i++) {
        const seg_t *s = &b->segs.v[i];
        if (!s->text) {
            if (push_forced_break(a, b))
                return vb_diag_nomem(d);
            continue;
        }
        int g = 0;
        while (g < s->sh.n) {
            bool sp = is_space_at(s, s->sh.glyphs[g].cluster);
            int h = g;
            int64_t w = 0;
            while (h < s->sh.n && is_space_at(s, s->sh.glyphs[h].cluster) == sp)
                w += s->sh.glyphs[h++].x_advance;
            if (!sp && max_box > 0 && w > max_box) {
                /* a word wider than the line: cut it where it must be cut (see split_word) */
                if (split_word(a, b, s, i, g, h, max_box))
                    return vb_diag_nomem(d);
                g = h;
                continue;
            }
            vb_lbitem_t it = {.type = sp ? VB_LB_GLUE : VB_LB_BOX, .width = (vb_len_t)w};
            if (!sp && !ragged && ls_max)
                it.stretch = ls_max * letter_gaps(s, g, h);
            if (sp && !ragged) {
                it.stretch = (vb_len_t)(w * ctx->brk->space_stretch / 1000);
                it.shrink = (vb_len_t)(w * ctx->brk->space_shrink / 1000);
            }
            itemsrc_t src = {i, g, h};
            if (push_item(a, b, it, src))
                return vb_diag_nomem(d);
            g = h;
        }
    }
    if (push_forced_break(a, b))
        return vb_diag_nomem(d);
    return VB_OK;
}

/* First or last code point of a box's text. */
static uint32_t
box_char(const build_t *b, int k, bool last)
{
    const itemsrc_t *src = &b->srcs.v[k];
    if (src->seg < 0)
        return 0;
    const seg_t *s = &b->segs.v[src->seg];
    uint32_t start = s->sh.glyphs[src->g0].cluster;
    uint32_t end = src->g1 < s->sh.n ? s->sh.glyphs[src->g1].cluster : (uint32_t)s->len;
    if (end <= start)
        return 0;
    uint32_t cp = 0;
    if (!last) {
        vb_utf8_decode(s->text + start, end - start, &cp);
        return cp;
    }
    uint32_t p = end - 1;
    while (p > start && ((unsigned char)s->text[p] & 0xC0) == 0x80)
        p--;
    vb_utf8_decode(s->text + p, end - p, &cp);
    return cp;
}

/* The text of box k (its glyphs' clusters). */
static const char *
box_text(const build_t *b, int k, size_t *len)
{
    const itemsrc_t *src = &b->srcs.v[k];
    *len = 0;
    if (src->seg < 0)
        return "";
    const seg_t *s = &b->segs.v[src->seg];
    uint32_t start = s->sh.glyphs[src->g0].cluster;
    uint32_t end = src->g1 < s->sh.n ? s->sh.glyphs[src->g1].cluster : (uint32_t)s->len;
    *len = end > start ? end - start : 0;
    return s->text + start;
}

static bool
is_opening(uint32_t c)
{
    return c == '(' || c == '[' || c == '{' || c == 0x201C || c == 0x2018 || c == 0xAB;
}

static bool
is_closing(uint32_t c)
{
    return c == ')' || c == ']' || c == '}' || c == 0x201D || c == 0x2019 || c == 0xBB || c == ',' || c == '.' ||
           c == ';' || c == ':' || c == '!' || c == '?' || c == '%' || c == 0x2026;
}

/*
 * The cost of a line break at the glue between box `prev` and box `next`:
 * 0 when free, VB_LB_INF when forbidden: after an opening bracket or quote,
 * before closing punctuation, before a lone dash (a line starting with "- "
 * reads as a list item), and between "Số" or "số" and its number. (A small
 * finite penalty for the lowercase "số" of running text was measured on the
 * seed: it broke three numbers from their "số" and made no line tighter, so
 * the rule stays absolute.)
 */
static int32_t
break_penalty(const build_t *b, int prev, int next)
{
    if (prev < 0 || next < 0)
        return 0;
    if (is_opening(box_char(b, prev, true)))
        return VB_LB_INF;
    uint32_t first = box_char(b, next, false);
    if (is_closing(first))
        return VB_LB_INF;
    size_t n;
    const char *t = box_text(b, next, &n);
    if ((n == 1 && t[0] == '-') || (n == 3 && (!memcmp(t, "\xE2\x80\x93", 3) || !memcmp(t, "\xE2\x80\x94", 3))))
        return VB_LB_INF;
    if (first >= '0' && first <= '9') {
        t = box_text(b, prev, &n);
        if (n == 4 && (!memcmp(t, "S\xE1\xBB\x91", 4) || !memcmp(t, "s\xE1\xBB\x91", 4)))
            return VB_LB_INF;
    }
    return 0;
}

/*
 * Inserts a penalty before every glue where a break costs something (see
 * break_penalty). The costs are found first; when there are any, the items
 * are copied once into arrays of the final size.
 */
static vb_status_t
apply_break_rules(vb_setctx_t *ctx, build_t *b, vb_diag_t *d)
{
    int n = b->items.n, extra = 0;
    int32_t *cost = NULL;
    for (int k = 1; k + 1 < n; k++) {
        if (b->items.v[k].type != VB_LB_GLUE || b->items.v[k - 1].type != VB_LB_BOX ||
            b->items.v[k + 1].type != VB_LB_BOX)
            continue;
        int32_t c = break_penalty(b, k - 1, k + 1);
        if (!c)
            continue;
        if (!cost && !(cost = VB_NEWN(scratch(ctx), int32_t, n)))
            return vb_diag_nomem(d);
        cost[k] = c;
        extra++;
    }
    if (!extra)
        return VB_OK;
    vb_lbitem_t *items = VB_NEWN(scratch(ctx), vb_lbitem_t, n + extra);
    itemsrc_t *srcs = VB_NEWN(scratch(ctx), itemsrc_t, n + extra);
    if (!items || !srcs)
        return vb_diag_nomem(d);
    int m = 0;
    for (int k = 0; k < n; k++) {
        if (cost[k]) {
            /* the break moves to the penalty (finite cost) or disappears (infinite) */
            items[m] = (vb_lbitem_t){.type = VB_LB_PENALTY, .penalty = cost[k]};
            srcs[m++] = (itemsrc_t){-1, 0, 0};
        }
        items[m] = b->items.v[k];
        srcs[m++] = b->srcs.v[k];
    }
    b->items.v = items;
    b->items.n = b->items.cap = m;
    b->srcs.v = srcs;
    b->srcs.n = b->srcs.cap = m;
    return VB_OK;
}

typedef struct pglyph {
    int seg, g;
    vb_len_t x, y;
} pglyph_t;

/* Emits one line: items [start, end), justified to width w when asked. */
static vb_status_t
emit_line(vb_setctx_t *ctx, const build_t *b, int start, int end, vb_len_t w, vb_len_t xoff, const vb_style_t *st,
          bool last, int32_t ratio, vb_line_t *line, vb_diag_t *d)
{
    vb_arena_t *a = ctx->arena, *sa = scratch(ctx);
    int64_t natural = 0, stretch = 0, shrink = 0;
    bool fil = false;
    for (int k = start; k < end; k++) {
        const vb_lbitem_t *it = &b->items.v[k];
        if (it->type == VB_LB_PENALTY)
            continue;
        natural += it->width;
        if (it->type == VB_LB_GLUE) {
            if (it->stretch == VB_LB_FIL)
                fil = true;
            else
                stretch += it->stretch;
            shrink += it->shrink;
        }
    }
    int64_t excess = (int64_t)w - natural;
    /*
     * Stretch only full lines; but shrink any line that is too long, the last
     * one included: the breaker may end a paragraph on a line that fits only
     * with its spaces shrunk, and set at its natural width it would overflow.
     */
    bool justify = st->align == VB_ALIGN_JUSTIFY &&
                   ((excess > 0 && stretch > 0 && !fil && !last) || (excess < 0 && shrink > 0));
    int64_t grid = st->size >= 1000 ? st->size / 1000 : 1;
    /*
     * Letter spacing, the last resort (microtype's way): what would stretch
     * the spaces beyond the profile's letter_space_above goes between the
     * letters of the line's words, the same amount at every gap, in whole
     * 1/1000 em and at most letter_space; the spaces take the rest. The
     * breaker counted the same (the boxes' stretch), so this line was chosen
     * knowing it.
     */
    int64_t track = 0;
    vb_len_t ls_max = letter_space_max(ctx, st);
    if (justify && excess > 0 && ls_max > 0) {
        int64_t room = stretch * (ctx->brk->letter_space_above - 1000) / ctx->brk->space_stretch;
        int64_t gaps = 0;
        for (int k = start; k < end; k++)
            if (b->items.v[k].type == VB_LB_BOX && b->srcs.v[k].seg >= 0)
                gaps += letter_gaps(&b->segs.v[b->srcs.v[k].seg], b->srcs.v[k].g0, b->srcs.v[k].g1);
        if (gaps > 0 && excess > room) {
            track = (excess - room) / gaps;
            if (track > ls_max)
                track = ls_max;
            track -= track % grid;
            excess -= track * gaps;
        }
    }
    int64_t pool = excess > 0 ? stretch : shrink, given = 0;
    int last_glue = -1;
    for (int k = start; k < end; k++)
        if (b->items.v[k].type == VB_LB_GLUE && (excess > 0 ? b->items.v[k].stretch : b->items.v[k].shrink) > 0)
            last_glue = k;
    int64_t x = xoff;
    if (!justify) {
        if (st->align == VB_ALIGN_CENTER)
            x += excess / 2;
        else if (st->align == VB_ALIGN_RIGHT)
            x += excess;
    }
    line->x0 = (vb_len_t)x;
    line->justified = justify;
    line->ratio = justify ? ratio : 0;

    VB_VEC(pglyph_t) gl = {0};
    int nglyphs = 0;
    for (int k = start; k < end; k++)
        if (b->srcs.v[k].seg >= 0)
            nglyphs += b->srcs.v[k].g1 - b->srcs.v[k].g0;
    if (nglyphs && SCRATCH_RESERVE(sa, gl, nglyphs))
        return vb_diag_nomem(d);
    for (int k = start; k < end; k++) {
        const vb_lbitem_t *it = &b->items.v[k];
        const itemsrc_t *src = &b->srcs.v[k];
        if (it->type == VB_LB_PENALTY)
            continue;
        int64_t adv = it->width;
        if (it->type == VB_LB_GLUE && justify && it->stretch != VB_LB_FIL) {
            /*
             * Share the excess in proportion, each share cut to whole 1/1000
             * em (the PDF's TJ unit), the last glue taking what is left so the
             * line still ends exactly at the measure. Equal spaces then get
             * equal TJ numbers, which keeps the content stream small.
             */
            int64_t part = excess > 0 ? it->stretch : it->shrink;
            int64_t share;
            if (k == last_glue) {
                share = excess - given;
            } else {
                share = excess * part / pool;
                share -= share % grid;
            }
            adv += share;
            given += share;
        }
        if (src->seg >= 0) {
            const seg_t *s = &b->segs.v[src->seg];
            int64_t gx = x;
            for (int g = src->g0; g < src->g1; g++) {
                const vb_glyph_t *sg = &s->sh.glyphs[g];
                if (track && it->type == VB_LB_BOX && g > src->g0 && sg->cluster != s->sh.glyphs[g - 1].cluster) {
                    gx += track;
                    adv += track;
                }
                pglyph_t p = {src->seg, g, (vb_len_t)(gx + sg->x_offset), -sg->y_offset - s->rise};
                if (SCRATCH_PUSH(sa, gl, p))
                    return vb_diag_nomem(d);
                gx += sg->x_advance;
            }
        }
        if (it->type == VB_LB_BOX)
            line->x1 = (vb_len_t)(x + adv);
        x += adv;
    }
    if (line->x1 < line->x0)
        line->x1 = line->x0;
    /* the line's metrics for the display list: space as set over natural, and overflow of the measure */
    int64_t gnat = 0;
    for (int k = start; k < end; k++)
        if (b->items.v[k].type == VB_LB_GLUE && b->items.v[k].stretch != VB_LB_FIL)
            gnat += b->items.v[k].width;
    line->space_permille = gnat > 0 ? (int32_t)((gnat + given) * 1000 / gnat) : 1000;
    line->overfull = (int64_t)line->x1 > (int64_t)xoff + w;

    /* runs: one per segment */
    int nruns = 0;
    for (int i = 0; i < gl.n; i++)
        if (i == 0 || gl.v[i].seg != gl.v[i - 1].seg)
            nruns++;
    line->runs = VB_NEWN(a, vb_drun_t, nruns ? nruns : 1);
    if (!line->runs)
        return vb_diag_nomem(d);
    line->nruns = 0;
    for (int i = 0; i < gl.n;) {
        int j = i;
        while (j < gl.n && gl.v[j].seg == gl.v[i].seg)
            j++;
        const seg_t *s = &b->segs.v[gl.v[i].seg];
        vb_drun_t *r = &line->runs[line->nruns++];
        r->face = s->face;
        r->size = s->size;
        r->text = s->text;
        r->text_len = s->len;
        r->n = j - i;
        r->glyphs = VB_NEWN(a, vb_dglyph_t, r->n);
        if (!r->glyphs)
            return vb_diag_nomem(d);
        for (int k = i; k < j; k++) {
            const vb_glyph_t *sg = &s->sh.glyphs[gl.v[k].g];
            vb_dglyph_t *dg = &r->glyphs[k - i];
            dg->gid = sg->gid;
            dg->x = gl.v[k].x;
            dg->y = gl.v[k].y;
            dg->text_off = sg->cluster;
            dg->text_len = s->cl_len[gl.v[k].g];
        }
        i = j;
    }
    return VB_OK;
}

/*
 * Balanced breaking, for text whose style asks for it (centred header
 * bodies, titles, the signer's lines, Nơi nhận entries). The number of lines
 * is the fewest the text needs at the full width; among the ways to break it
 * into that many lines, a small dynamic programme over the breakpoints picks
 * the cheapest, the cost of a set of breaks being the sum of
 *  - each line's slack squared, in em² ((measure - width) / size)², so that
 *    lines of even length win; for left-aligned text (Nơi nhận entries) the
 *    last line's slack is free: the lines above are filled, as a clerk
 *    types them, and only a lone short word or a phrase rule moves a break
 *    (balancing them too split "Trung / ương" and "Phó Chủ / tịch" on the
 *    samples to even out two lines);
 *  - lone_word_cost for a line holding one word of at most
 *    lone_word_letters letters ("ƯƠNG" alone under "T/M BAN CHẤP HÀNH
 *    TRUNG"), so such a line is chosen only when nothing else fits;
 *  - the profile's phrase rules at each break: negative costs where a break
 *    reads well (after a comma, at the " - " between joint bodies, before
 *    "VÀ"), positive ones inside a fixed phrase ("TRUNG ƯƠNG");
 *  - a finite penalty's value / 100 (a word cut to fit, see split_word).
 * Breaks stay where the typographic rules allow them, the author's '\n'
 * stays a break, and every line fits the column: the text is never set
 * narrower than the column allows. Returns false (the caller keeps its
 * greedy breaks) when no such set exists (a word wider than the column) or
 * the text is too long for the programme (it is meant for short texts).
 */
#define BALANCE_MAX_BREAKS 400
#define BALANCE_MAX_LINES 40

typedef struct bword {
    const char *text;
    size_t len;
    int letters;
} bword_t;

static int
count_letters(const char *t, size_t n)
{
    int letters = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp = 0;
        int k = vb_utf8_decode(t + i, n - i, &cp);
        if (k <= 0)
            k = 1;
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
            (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF))
            letters++;
        i += (size_t)k;
    }
    return letters;
}

/* Word w equals the n bytes at t. */
static bool
word_is(const bword_t *words, int nwords, int w, const char *t, size_t n)
{
    return w >= 0 && w < nwords && words[w].len == n && memcmp(words[w].text, t, n) == 0;
}

/* What phrase_cost needs of each phrase rule, cut into words once per text rather than at every break tried. */
typedef struct phinfo {
    int words;          /* words in the phrase */
    const char **wt;    /* each word's start in the phrase's text */
    size_t *wl;         /* and its length */
    size_t len;         /* the phrase's bytes */
    bool no_letters;    /* punctuation only ("," ";"): also matches the end of a word */
} phinfo_t;

/* The words from..from+count of the phrase ph match words starting at index w. */
static bool
phrase_match(const bword_t *words, int nwords, int w, const phinfo_t *ph, int from, int count)
{
    for (int i = 0; i < count; i++) {
        if (from + i >= ph->words || !word_is(words, nwords, w + i, ph->wt[from + i], ph->wl[from + i]))
            return false;
    }
    return true;
}

static int
phrase_words(const char *p)
{
    int n = 1;
    for (; *p; p++)
        if (*p == ' ')
            n++;
    return n;
}

/* The phrase rules' cost of a break between word pw and word nw. */
static double
phrase_cost(const vb_pbreak_t *brk, const phinfo_t *info, const bword_t *words, int nwords, int pw, int nw)
{
    double cost = 0;
    if (!brk || pw < 0 || nw < 0)
        return 0;
    for (int r = 0; r < brk->nphrases; r++) {
        const vb_pphrase_t *ph = &brk->phrases[r];
        int m = info[r].words;
        bool hit = false;
        if (ph->at == VB_PHRASE_AFTER) {
            hit = phrase_match(words, nwords, pw - m + 1, &info[r], 0, m);
            if (!hit && m == 1 && info[r].no_letters) {
                size_t n = info[r].len;
                hit = words[pw].len >= n && memcmp(words[pw].text + words[pw].len - n, ph->text, n) == 0;
            }
        } else if (ph->at == VB_PHRASE_BEFORE) {
            hit = phrase_match(words, nwords, nw, &info[r], 0, m);
        } else {
            for (int i = 1; i < m && !hit; i++)
                hit = phrase_match(words, nwords, pw - i + 1, &info[r], 0, i) &&
                      phrase_match(words, nwords, nw, &info[r], i, m - i);
        }
        if (hit)
            cost += ph->cost;
    }
    return cost;
}

static bool
balance_breaks(vb_setctx_t *ctx, const build_t *b, const vb_style_t *st, vb_len_t w0, vb_len_t w1, int nlines,
               vb_lbbreak_t **out, vb_diag_t *d, vb_status_t *rc)
{
    vb_arena_t *a = scratch(ctx);
    int n = b->items.n;
    const vb_lbitem_t *it = b->items.v;
    *rc = VB_OK;
    if (nlines < 2 || nlines > BALANCE_MAX_LINES || n < 2)
        return false;
    /* words: runs of boxes; each box's word */
    int *wordof = VB_NEWN(a, int, n);
    VB_VEC(bword_t) words = {0};
    VB_VEC(int) bp = {0};
    if (!wordof) {
        *rc = vb_diag_nomem(d);
        return false;
    }
    for (int k = 0; k < n; k++) {
        wordof[k] = -1;
        if (it[k].type == VB_LB_BOX) {
            size_t len;
            const char *t = box_text(b, k, &len);
            if (k > 0 && it[k - 1].type == VB_LB_BOX && words.n > 0) {
                bword_t *w = &words.v[words.n - 1];
                char *j = vb_arena_printf(a, "%.*s%.*s", (int)w->len, w->text, (int)len, t);
                if (!j) {
                    *rc = vb_diag_nomem(d);
                    return false;
                }
                w->text = j;
                w->len += len;
                w->letters += count_letters(t, len);
            } else {
                bword_t w = {t, len, count_letters(t, len)};
                if (VB_PUSH(a, words, w)) {
                    *rc = vb_diag_nomem(d);
                    return false;
                }
            }
            wordof[k] = words.n - 1;
        } else if ((it[k].type == VB_LB_GLUE && k > 0 && it[k - 1].type == VB_LB_BOX) ||
                   (it[k].type == VB_LB_PENALTY && it[k].penalty < VB_LB_INF)) {
            if (VB_PUSH(a, bp, k)) {
                *rc = vb_diag_nomem(d);
                return false;
            }
        }
    }
    int m = bp.n;
    if (m < 2 || m > BALANCE_MAX_BREAKS || bp.v[m - 1] != n - 1)
        return false;
    /* prefix widths of boxes and glue */
    int64_t *sw = VB_NEWN(a, int64_t, n + 1);
    double *cost = VB_NEWN(a, double, (size_t)(nlines + 1) * (size_t)m);
    int *from = VB_NEWN(a, int, (size_t)(nlines + 1) * (size_t)m);
    if (!sw || !cost || !from) {
        *rc = vb_diag_nomem(d);
        return false;
    }
    sw[0] = 0;
    for (int k = 0; k < n; k++)
        sw[k + 1] = sw[k] + (it[k].type == VB_LB_PENALTY ? 0 : it[k].width);
    for (size_t i = 0; i < (size_t)(nlines + 1) * (size_t)m; i++) {
        cost[i] = INFINITY_COST;
        from[i] = -2;
    }
    const vb_pbreak_t *brk = ctx->brk;
    phinfo_t *phi = NULL;
    if (brk && brk->nphrases > 0) {
        phi = VB_NEWN(a, phinfo_t, brk->nphrases);
        if (!phi) {
            *rc = vb_diag_nomem(d);
            return false;
        }
        for (int r = 0; r < brk->nphrases; r++) {
            const char *t = brk->phrases[r].text;
            phi[r].words = phrase_words(t);
            phi[r].len = strlen(t);
            phi[r].no_letters = count_letters(t, phi[r].len) == 0;
            phi[r].wt = VB_NEWN(a, const char *, phi[r].words);
            phi[r].wl = VB_NEWN(a, size_t, phi[r].words);
            if (!phi[r].wt || !phi[r].wl) {
                *rc = vb_diag_nomem(d);
                return false;
            }
            for (int i = 0; i < phi[r].words; i++) {
                const char *e = strchr(t, ' ');
                phi[r].wt[i] = t;
                phi[r].wl[i] = e ? (size_t)(e - t) : strlen(t);
                t = e ? e + 1 : t + phi[r].wl[i];
            }
        }
    }
    /*
     * What a line needs of its ends, found once rather than by walking the
     * line for every pair of breaks tried: the first box at or after each
     * item, the last box before it, and at each breakpoint the first word
     * after it and the phrase rules' cost of breaking there.
     */
    int *firstbox = VB_NEWN(a, int, n + 1), *lastbox = VB_NEWN(a, int, n + 1);
    double *pcost = VB_NEWN(a, double, m);
    if (!firstbox || !lastbox || !pcost) {
        *rc = vb_diag_nomem(d);
        return false;
    }
    firstbox[n] = n;
    for (int k = n - 1; k >= 0; k--)
        firstbox[k] = it[k].type == VB_LB_BOX ? k : firstbox[k + 1];
    lastbox[0] = -1;
    for (int k = 0; k < n; k++)
        lastbox[k + 1] = it[k].type == VB_LB_BOX ? k : lastbox[k];
    for (int i = 0; i < m; i++) {
        int e = bp.v[i], after = firstbox[e + 1]; /* e < n */
        int nw = after < n ? wordof[after] : -1;
        int lb = lastbox[e];
        pcost[i] = phrase_cost(brk, phi, words.v, words.n, lb >= 0 ? wordof[lb] : -1, nw);
    }
    double size = st->size > 0 ? (double)st->size : 1000.0;
    bool left = st->align != VB_ALIGN_CENTER;
    /* line j (0-based) from after breakpoint p (-1: the start) to breakpoint i */
    for (int j = 0; j < nlines; j++) {
        vb_len_t avail = j == 0 ? w0 : w1;
        for (int p = (j == 0 ? -1 : 0); p < m; p++) {
            double base = p < 0 ? 0.0 : cost[(size_t)j * (size_t)m + (size_t)p];
            if (p >= 0 && base >= INFINITY_COST)
                continue;
            if (p < 0 && j != 0)
                continue;
            /* the line's first item: after the break, glue and penalties discarded (not a forced one) */
            int s0 = p < 0 ? 0 : bp.v[p] + 1;
            while (s0 < n && it[s0].type != VB_LB_BOX && !(it[s0].type == VB_LB_PENALTY && it[s0].penalty <= -VB_LB_INF))
                s0++;
            for (int i = p + 1; i < m; i++) {
                int e = bp.v[i];
                if (e < s0 && !(it[e].type == VB_LB_PENALTY && it[e].penalty <= -VB_LB_INF))
                    continue;
                int64_t w = e >= s0 ? sw[e] - sw[s0] : 0;
                if (w > avail)
                    break;
                bool last = i == m - 1;
                if (last && j != nlines - 1)
                    break;
                /* words on the line: its first and last box, if it has one */
                int fb = firstbox[s0], lb = lastbox[e];
                int fw = fb < e ? wordof[fb] : -1, lw = lb >= s0 && lb >= 0 ? wordof[lb] : -1;
                double slack = (double)(avail - w) / size;
                double c = base + ((left && last) ? 0.0 : slack * slack);
                if (brk && fw >= 0 && fw == lw && brk->lone_word_cost > 0 && words.v[fw].letters <= brk->lone_word_letters)
                    c += brk->lone_word_cost;
                bool forced_here = it[e].type == VB_LB_PENALTY && it[e].penalty <= -VB_LB_INF;
                if (!last && !forced_here) {
                    c += lw >= 0 ? pcost[i] : 0.0; /* phrase_cost is 0 without a word before the break */
                    if (it[e].type == VB_LB_PENALTY && it[e].penalty > 0)
                        c += it[e].penalty / 100.0;
                }
                size_t at = (size_t)(j + 1) * (size_t)m + (size_t)i;
                if (c < cost[at]) {
                    cost[at] = c;
                    from[at] = p;
                }
                /* a forced break ends every line that reaches it */
                if (forced_here)
                    break;
            }
        }
    }
    size_t fin = (size_t)nlines * (size_t)m + (size_t)(m - 1);
    if (from[fin] < -1)
        return false;
    vb_lbbreak_t *v = VB_NEWN(a, vb_lbbreak_t, nlines);
    if (!v) {
        *rc = vb_diag_nomem(d);
        return false;
    }
    int i = m - 1;
    for (int j = nlines; j >= 1; j--) {
        v[j - 1].pos = bp.v[i];
        v[j - 1].ratio = 0;
        i = from[(size_t)j * (size_t)m + (size_t)i];
        if (i < 0 && j > 1)
            return false; /* cannot happen: only line 0 starts at the paragraph's start */
    }
    *out = v;
    return true;
}

/* Runs the breaker over the built items for the given first/other line widths. */
static vb_status_t
break_lines(vb_setctx_t *ctx, const build_t *b, vb_len_t w0, vb_len_t w1, bool greedy, vb_lbbreak_t **brk, int *nbrk,
            vb_diag_t *d)
{
    vb_lbparams_t p;
    vb_lbparams_default(&p);
    vb_len_t widths[2] = {w0, w1};
    p.widths = widths;
    p.nwidths = 2;
    p.algorithm = greedy ? VB_LB_GREEDY : VB_LB_TOTAL_FIT;
    if (ctx->brk) {
        if (ctx->brk->tolerance > 0)
            p.tolerance = ctx->brk->tolerance;
        if (ctx->brk->line_penalty > 0)
            p.line_penalty = ctx->brk->line_penalty;
        if (ctx->brk->fitness_demerits > 0)
            p.fitness_demerits = ctx->brk->fitness_demerits;
        p.loose_demerits = ctx->brk->loose_demerits;
        if (ctx->brk->loose_ratio > 0)
            p.loose_ratio = ctx->brk->loose_ratio;
        if (ctx->brk->letter_space > 0 && ctx->brk->space_stretch > 0 && ctx->brk->letter_space_above > 1000)
            p.box_stretch_above =
                (int32_t)((int64_t)(ctx->brk->letter_space_above - 1000) * 1000 / ctx->brk->space_stretch);
    }
    return vb_linebreak(b->items.v, b->items.n, &p, scratch(ctx), brk, nbrk, d);
}

/*
 * The text as a style sets it: with `uppercase`, a copy in capitals (in the
 * context's arena, as the runs point into it); footnote numbers as they are.
 */
static vb_status_t
styled_text(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, vb_inline_t *tmp,
            const vb_inline_t **out, vb_diag_t *d)
{
    *out = text;
    if (!st->uppercase || text->n <= 0)
        return VB_OK;
    tmp->spans = VB_NEWN(ctx->arena, vb_span_t, text->n);
    if (!tmp->spans)
        return vb_diag_nomem(d);
    tmp->n = text->n;
    for (int i = 0; i < text->n; i++) {
        tmp->spans[i] = text->spans[i];
        if (text->spans[i].face & VB_SPAN_NOTE)
            continue;
        tmp->spans[i].text = vb_text_upper(ctx->arena, text->spans[i].text, text->spans[i].len, &tmp->spans[i].len);
        if (!tmp->spans[i].text)
            return vb_diag_nomem(d);
    }
    *out = tmp;
    return VB_OK;
}

bool
vb_set_overfull_at(const vb_setctx_t *ctx, vb_pos_t at)
{
    uint64_t key = vb_fnv1a(VB_FNV_SEED ^ 1, &at, sizeof at);
    for (int i = 0; i < ctx->overfull.n; i++)
        if (ctx->overfull.v[i] == key)
            return true;
    return false;
}

/* A line wider than its measure w: layout.overfull (a warning) at ctx->at, once per line of text there. */
static void
report_overfull(vb_setctx_t *ctx, const vb_line_t *line, vb_len_t w)
{
    char text[160];
    size_t n = 0;
    for (int r = 0; r < line->nruns && n < 120; r++) {
        const vb_drun_t *run = &line->runs[r];
        size_t k = run->text_len < 120 - n ? run->text_len : 120 - n;
        memcpy(text + n, run->text, k);
        n += k;
    }
    bool cut = n >= 120;
    while (n > 0 && ((unsigned char)text[n - 1] & 0xC0) == 0x80)
        n--; /* never half a character */
    if (n > 0 && ((unsigned char)text[n - 1] & 0xC0) == 0xC0)
        n--;
    text[n] = 0;
    if (n == 0)
        return; /* no text: what overflows is not the author's */
    uint64_t key = vb_fnv1a(VB_FNV_SEED, text, n);
    key = vb_fnv1a(key, &ctx->at, sizeof ctx->at);
    for (int i = 0; i < ctx->overfull.n; i++)
        if (ctx->overfull.v[i] == key)
            return;
    uint64_t at = vb_fnv1a(VB_FNV_SEED ^ 1, &ctx->at, sizeof ctx->at);
    if (VB_PUSH(ctx->arena, ctx->overfull, key) ||
        (!vb_set_overfull_at(ctx, ctx->at) && VB_PUSH(ctx->arena, ctx->overfull, at)))
        return;
    char over[24], meas[24];
    vb_fmt_milli(over, (int64_t)line->x1 - line->x0 - w);
    vb_fmt_milli(meas, w);
    vb_report(ctx->sink, VB_SEVERITY_WARNING, VB_E_LAYOUT, "layout.overfull", ctx->source,
              (vb_range_t){ctx->at.line, ctx->at.col, 0, 0}, NULL,
              "A line is %s pt wider than its measure (%s pt) and could not be broken: \"%s%s\".", over, meas, text,
              cut ? "..." : "");
}

vb_status_t
vb_set_text(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, vb_len_t width, vb_lines_t *out,
            vb_diag_t *d)
{
    build_t b;
    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    vb_inline_t upper;
    if (styled_text(ctx, text, st, &upper, &text, d) != VB_OK)
        return VB_E_NOMEM;
    if (ctx->scratch)
        vb_arena_reset(ctx->scratch);
    bool ragged = st->align != VB_ALIGN_JUSTIFY;
    vb_status_t rc = shape_segments(ctx, text, st, &b, d);
    if (rc == VB_OK)
        rc = build_items(ctx, st, ragged, (st->hang > 0 && st->hang < width ? width - st->hang : width) - (st->indent > 0 ? st->indent : 0), &b, d);
    if (rc == VB_OK)
        rc = apply_break_rules(ctx, &b, d);
    if (rc != VB_OK)
        return rc;

    vb_len_t hang = st->hang > 0 && st->hang < width ? st->hang : 0;
    vb_len_t w0 = width, w1 = width - hang;
    bool greedy = ragged || ctx->greedy || (ctx->brk && ctx->brk->greedy);
    vb_lbbreak_t *brk = NULL;
    int nbrk = 0;
    rc = break_lines(ctx, &b, w0, w1, greedy, &brk, &nbrk, d);
    if (rc != VB_OK)
        return rc;

    if (st->balance && st->split_at && *st->split_at && nbrk > 1) {
        /*
         * Text that wraps breaks after every split_at word: joint issuing
         * bodies "BAN TỔ CHỨC TỈNH ỦY - BAN TUYÊN GIÁO …" start each body on
         * a line of its own. The space after the word becomes a forced break.
         */
        size_t sl = strlen(st->split_at);
        int forced = 0;
        for (int k = 1; k < b.items.n; k++) {
            size_t len;
            if (b.items.v[k].type != VB_LB_GLUE || b.items.v[k - 1].type != VB_LB_BOX ||
                (k >= 2 && b.items.v[k - 2].type == VB_LB_BOX))
                continue;
            const char *t = box_text(&b, k - 1, &len);
            if (len != sl || memcmp(t, st->split_at, sl) != 0 || k + 1 >= b.items.n ||
                b.items.v[k + 1].type != VB_LB_BOX)
                continue;
            /* between names only: "NHIỆM KỲ 2026 - 2028" is a range, not two bodies */
            int pb = k - 2;
            while (pb >= 0 && b.items.v[pb].type != VB_LB_BOX)
                pb--;
            uint32_t before = pb >= 0 ? box_char(&b, pb, true) : 0, after = box_char(&b, k + 1, false);
            if ((before >= '0' && before <= '9') || (after >= '0' && after <= '9'))
                continue;
            b.items.v[k] = (vb_lbitem_t){.type = VB_LB_PENALTY, .penalty = -VB_LB_INF};
            b.srcs.v[k] = (itemsrc_t){-1, 0, 0};
            forced++;
        }
        if (forced) {
            rc = break_lines(ctx, &b, w0, w1, greedy, &brk, &nbrk, d);
            if (rc != VB_OK)
                return rc;
        }
    }
    vb_lbbreak_t *bal = NULL;
    if (st->balance && (st->align == VB_ALIGN_CENTER || st->align == VB_ALIGN_LEFT) && nbrk > 1 &&
        balance_breaks(ctx, &b, st, w0, w1, nbrk, &bal, d, &rc)) {
        brk = bal;
    } else if (rc != VB_OK) {
        return rc;
    } else if (st->balance && st->align == VB_ALIGN_CENTER && nbrk > 1) {
        /* the narrowest width that keeps the number of lines: binary search */
        vb_len_t lo = width / nbrk, hi = width;
        vb_lbbreak_t *best = brk;
        int nbest = nbrk;
        while (hi - lo > 100) {
            vb_len_t mid = lo + (hi - lo) / 2;
            vb_lbbreak_t *tb = NULL;
            int nt = 0;
            rc = break_lines(ctx, &b, mid, mid, true, &tb, &nt, d);
            if (rc != VB_OK)
                return rc;
            bool overfull = false;
            for (int i = 0; i < nt; i++)
                if (tb[i].ratio < -1000)
                    overfull = true;
            if (nt <= nbrk && !overfull) {
                hi = mid;
                best = tb;
                nbest = nt;
            } else {
                lo = mid;
            }
        }
        brk = best;
        nbrk = nbest;
        /* lines were chosen at the narrower width; they are centred in the full width */
    }

    out->v = VB_NEWN(ctx->arena, vb_line_t, nbrk ? nbrk : 1);
    if (!out->v)
        return vb_diag_nomem(d);
    int prev = -1;
    for (int l = 0; l < nbrk; l++) {
        int start = prev + 1;
        /* discard glue and penalties at the start of a line (but never the indent box) */
        while (start < brk[l].pos && b.items.v[start].type != VB_LB_BOX)
            start++;
        int end = brk[l].pos;
        bool last = l == nbrk - 1;
        vb_len_t lw = l == 0 ? w0 : w1, xoff = l == 0 ? 0 : hang;
        rc = emit_line(ctx, &b, start, end, lw, xoff, st, last, brk[l].ratio, &out->v[out->n], d);
        if (rc != VB_OK)
            return rc;
        if (ctx->sink && (int64_t)out->v[out->n].x1 - out->v[out->n].x0 > (int64_t)lw + VB_OVERFULL_SLACK)
            report_overfull(ctx, &out->v[out->n], lw);
        out->n++;
        prev = brk[l].pos;
    }
    return VB_OK;
}

vb_status_t
vb_text_measure(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, vb_len_t *natural,
                vb_len_t *widest_word, vb_diag_t *d)
{
    build_t b;
    memset(&b, 0, sizeof b);
    vb_inline_t upper;
    if (styled_text(ctx, text, st, &upper, &text, d) != VB_OK)
        return VB_E_NOMEM;
    if (ctx->scratch)
        vb_arena_reset(ctx->scratch);
    vb_style_t s = *st;
    s.indent = 0;
    vb_status_t rc = shape_segments(ctx, text, &s, &b, d);
    if (rc == VB_OK)
        rc = build_items(ctx, &s, true, 0, &b, d);
    if (rc != VB_OK)
        return rc;
    int64_t line = 0, best_line = 0, word = 0, best_word = 0;
    for (int k = 0; k < b.items.n; k++) {
        const vb_lbitem_t *it = &b.items.v[k];
        if (it->type == VB_LB_PENALTY && it->penalty <= -VB_LB_INF) {
            if (line > best_line)
                best_line = line;
            line = 0;
        }
        if (it->type == VB_LB_BOX) {
            word += it->width;
            if (word > best_word)
                best_word = word;
        } else {
            word = 0;
        }
        if (it->type != VB_LB_PENALTY)
            line += it->width;
    }
    if (line > best_line)
        best_line = line;
    *natural = (vb_len_t)best_line;
    *widest_word = (vb_len_t)best_word;
    return VB_OK;
}
