/*
 * linebreak.c - choosing the line breaks of a paragraph (see linebreak.h).
 * Owns the total-fit breaker (Knuth and Plass, "Breaking paragraphs into
 * lines", Software: Practice and Experience 11, 1981) and a greedy breaker
 * kept for comparison. Pure arithmetic on millipoints; calls only base.
 *
 * The model. A paragraph is a sequence of items. A box is material that
 * never breaks (a word, or a piece of one in another face). Glue is a space
 * with a natural width, a stretch and a shrink. A penalty is a possible break
 * with a cost (and a width, e.g. a hyphen, that only exists when the line
 * breaks there). A line may end at a glue that follows a box or at a penalty
 * below VB_LB_INF; a penalty at or below -VB_LB_INF forces a break. After a
 * break, the glue and ordinary penalties that follow it are discarded up to
 * the next box (or the next forced break, so two forced breaks in a row give
 * an empty line, as in the paper): a line never starts with a space. The
 * paragraph's own start is not a break, so nothing is discarded there.
 *
 * Why breaks only at glue. Vietnamese is written in syllables separated by
 * spaces, and official documents (ND 30/2020, HD 36) are never hyphenated: a
 * syllable is not cut. So the caller gives glue for spaces and penalties only
 * where a typographic rule forbids a break (+INF) or ends a line (-INF); the
 * breaker still honours finite and flagged penalties, which the tests use.
 *
 * Measuring a line. With w its natural width, y its total stretch, z its
 * total shrink and L the measure, the adjustment ratio is r = (L - w) / y
 * when the line is short and (L - w) / z when it is long. A line that needs
 * r < -1 would squeeze glue below its minimum: it is overfull and is never
 * chosen, except as the last resort below. Glue whose stretch is VB_LB_FIL
 * absorbs any shortfall, so such a line (the last one of a paragraph) has
 * r = 0. Sums are int64; r, badness and demerits are doubles.
 *
 * Letter spacing. A box may carry a stretch: the letter-space its glyphs
 * may take (the caller's choice, e.g. 0.03 em between two letters). It is
 * a last resort, as in microtype: a line uses it only for the part of its
 * shortfall that would stretch its glue beyond box_stretch_above. For the
 * breaker, a line whose boxes can take all of that part has the ratio
 * box_stretch_above (its spaces end exactly there); a line they cannot
 * bring down to it keeps its ratio as if boxes did not stretch, so that
 * letter spacing never makes a hopelessly loose line look acceptable (on
 * the seed report, discounting such lines by the letter-space they do get
 * moved the loosest line from one paragraph to another and raised the
 * maximum). The caller sets the line with whatever letter-space helps.
 * Lines within the threshold are measured exactly as without it.
 *
 * Cost of a line. Badness is 100 |r|^3, capped at 10000 ("infinitely bad",
 * also for a short line with nothing to stretch). A line is feasible when
 * -1 <= r <= tolerance. Its demerits are (line_penalty + badness)^2, plus
 * penalty^2 for a positive penalty, minus penalty^2 for a negative one that
 * is not forced; plus flagged_demerits when it and the previous line both
 * end at flagged penalties; plus fitness_demerits when its fitness class
 * differs by more than one from the previous line's; plus loose_demerits
 * when r > loose_ratio. Fitness classes: tight r < -0.5, decent r <= 0.5,
 * loose r <= 1, very loose above; the paragraph start counts as decent.
 *
 * Total fit. A dynamic programme over the feasible breakpoints: the best
 * way to reach a breakpoint depends only on the previous line's fitness
 * class and, for variable measures, the line number (widths[i] for line i,
 * the last width repeating), so one node is kept per (breakpoint, fitness
 * class, line number capped at nwidths - 1). The active list holds the nodes
 * from which a line may still end at a later breakpoint; a node leaves it
 * when the line from it would be overfull (every later line is longer) or a
 * forced break passes. The list is kept ordered by line number so that the
 * nodes one breakpoint creates are inserted where that order holds, and a
 * new node whose demerits exceed the breakpoint's best by more than
 * fitness_demerits is dropped: the best one always beats it later. The
 * answer is the cheapest node at the final forced penalty.
 *
 * Fallback. When no set of breaks keeps every line within tolerance, the
 * active list empties; the breaker then runs a second, final pass with an
 * infinite tolerance, where every line that is not overfull is feasible
 * and badness is not capped, so the optimisation still prefers tighter lines
 * and never leaves a lone unjustifiable word when it can stretch a line.
 * If even then every active node would end in an overfull line at a
 * breakpoint, the node nearest to it makes an overfull line there: that
 * line then holds only material with no legal break inside (with breaks at
 * spaces, one word wider than the measure) and is reported with ratio
 * < -1000, which the caller sets at full shrink. So total fit always ends,
 * and never fails on valid items.
 *
 * Complexity. Each breakpoint walks the active list once: O(n * active).
 * The active list is bounded by the number of breakpoints that fit on one
 * line (times the four fitness classes and the distinct measures), because
 * a node dies as soon as the line from it is overfull; in practice it stays
 * in the tens for any paragraph length. Nodes live in one growing array
 * (indices, not pointers) so that the chosen path can be traced back.
 *
 * Greedy. First fit: each line takes breakpoints as long as the line can be
 * shrunk to the measure (r >= -1), and ends at the last one that fitted, or
 * at the first breakpoint when a single unbreakable piece is already too
 * wide (overfull). Forced breaks are always taken; other penalties are only
 * places to break, their cost is ignored. The final line is set at its
 * natural width (ratio 0 unless it must shrink).
 */
#include "linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Ratios are reported in thousandths, clamped to +-1000 (an infinitely loose or tight line). */
#define RATIO_CLAMP 1000000
#define BADNESS_INF 10000.0
#define FITNESS_DECENT 1

typedef struct node {
    int pos;        /* item the line ends at; -1 for the paragraph start */
    int start;      /* first item of the next line (after discarding) */
    int cls;        /* index of the next line, capped at nwidths - 1 */
    int fitness;    /* class of the line ending here */
    int prev;       /* node of the previous break, -1 at the start */
    int next;       /* next node in the active list, -1 at its end */
    int32_t ratio;  /* reported ratio of the line ending here */
    int skip;       /* the normal pass: no line from here ends at a break before this item (see skip_to) */
    double total;   /* demerits of the best path to here */
} node_t;

typedef struct cand {
    bool set;
    double total;
    int from;
    int32_t ratio;
} cand_t;

typedef struct ctx {
    const vb_lbitem_t *items;
    int n;
    const vb_lbparams_t *p;
    /* prefix sums over items[0..i): widths of boxes and glue, finite stretch, shrink, fil glue count,
       box (letter-space) stretch */
    int64_t *sw, *sy, *sz, *sfil, *sb;
    node_t *nodes;
    size_t nnodes, cap;
    int head;   /* first active node, -1 when none */
    int count;  /* number of active nodes */
    bool uncapped; /* the final pass: badness is not capped (see badness()) */
    double above;  /* p->box_stretch_above as a ratio */
    bool can_skip; /* no box or glue is narrower than nothing: widths only grow along a line (skip_to) */
    int64_t maxpen; /* the widest penalty (a hyphen), 0 when none is wider than nothing */
} ctx_t;

typedef struct line {
    int64_t w, y, z, fil, b;
} line_t;

static bool
is_forced(const vb_lbitem_t *it)
{
    return it->type == VB_LB_PENALTY && it->penalty <= -VB_LB_INF;
}

/* A legal breakpoint: glue right after a box, or a penalty below +INF. */
static bool
legal_break(const vb_lbitem_t *items, int i)
{
    if (items[i].type == VB_LB_GLUE)
        return i > 0 && items[i - 1].type == VB_LB_BOX;
    return items[i].type == VB_LB_PENALTY && items[i].penalty < VB_LB_INF;
}

/*
 * The first item of the line after a break at b: glue and penalties are
 * skipped up to the next box or the next forced penalty. May return n.
 */
static int
line_start_after(const ctx_t *c, int b)
{
    int i = b;
    for (; i < c->n; i++) {
        if (c->items[i].type == VB_LB_BOX)
            break;
        if (i > b && is_forced(&c->items[i]))
            break;
    }
    return i;
}

/* The line from item start to the break at b (inclusive of a penalty's width at b). */
static inline line_t
line_measure(const ctx_t *c, int start, int b)
{
    line_t l;
    l.w = c->sw[b] - c->sw[start];
    l.y = c->sy[b] - c->sy[start];
    l.z = c->sz[b] - c->sz[start];
    l.fil = c->sfil[b] - c->sfil[start];
    l.b = c->sb[b] - c->sb[start];
    if (c->items[b].type == VB_LB_PENALTY)
        l.w += c->items[b].width;
    return l;
}

static int64_t
measure_of(const vb_lbparams_t *p, int line)
{
    return p->widths[line < p->nwidths - 1 ? line : p->nwidths - 1];
}

static bool
overfull(const line_t *l, int64_t L)
{
    return l->w - l->z > L;
}

/*
 * The adjustment ratio r of the line's glue (infinite when there is nothing
 * to stretch or shrink). A short line whose glue would stretch beyond the
 * box-stretch threshold but whose boxes can take all of the rest (letter
 * spacing) has r = the threshold; a line they cannot bring down to it is
 * measured as if they did not stretch at all (see "Letter spacing" above).
 */
static inline double
adjustment_ratio(const ctx_t *c, const line_t *l, int64_t L)
{
    if (l->w < L) {
        if (l->fil > 0)
            return 0.0;
        if (l->y <= 0)
            return INFINITY;
        double excess = (double)(L - l->w);
        double above = c->above;
        if (c->p->box_stretch_above > 0 && excess > above * (double)l->y && excess - above * (double)l->y <= (double)l->b)
            return above;
        return excess / (double)l->y;
    }
    if (l->w > L)
        return l->z > 0 ? (double)(L - l->w) / (double)l->z : -INFINITY;
    return 0.0;
}

/* r in thousandths for the caller; an overfull line always reports below -1000. */
static int32_t
report_ratio(double r, bool over)
{
    double t = r * 1000.0;
    if (t > RATIO_CLAMP)
        t = RATIO_CLAMP;
    if (t < -RATIO_CLAMP)
        t = -RATIO_CLAMP;
    int32_t v = (int32_t)floor(t + 0.5);
    if (over && v > -1001)
        v = -1001;
    if (!over && v < -1000)
        v = -1000;
    return v;
}

/*
 * Badness, capped at BADNESS_INF in the normal pass, where a line that bad
 * is outside any sane tolerance anyway. The final pass must still rank the
 * bad lines it has to choose from, so there the badness is not capped, and a
 * line with nothing to stretch (one word left on a justified line) costs
 * more than any stretched line: without that, a lone ragged word would cost
 * no more than a line spaced 3.5 times wide, and the breaker would pick it.
 */
#define BADNESS_NOTHING_TO_STRETCH 1e12

static double
badness(double r, bool uncapped)
{
    double a = fabs(r);
    if (isinf(a))
        return uncapped ? BADNESS_NOTHING_TO_STRETCH : BADNESS_INF;
    double b = 100.0 * a * a * a;
    if (uncapped)
        return b < BADNESS_NOTHING_TO_STRETCH ? b : BADNESS_NOTHING_TO_STRETCH;
    return b > BADNESS_INF ? BADNESS_INF : b;
}

static int
fitness_class(double r)
{
    if (r < -0.5)
        return 0;
    if (r <= 0.5)
        return 1;
    if (r <= 1.0)
        return 2;
    return 3;
}

static bool
flagged_at(const ctx_t *c, int pos)
{
    return pos >= 0 && c->items[pos].type == VB_LB_PENALTY && c->items[pos].flagged;
}

/* Demerits of the line from node a to the break at b, with ratio r (Knuth's formula). */
static double
line_demerits(const ctx_t *c, const node_t *a, int b, double r)
{
    const vb_lbparams_t *p = c->p;
    const vb_lbitem_t *it = &c->items[b];
    double lb = (double)p->line_penalty + badness(r, c->uncapped);
    double d = lb * lb;
    if (it->type == VB_LB_PENALTY && !is_forced(it)) {
        double pen = (double)it->penalty;
        d += it->penalty >= 0 ? pen * pen : -pen * pen;
    }
    if (flagged_at(c, b) && flagged_at(c, a->pos))
        d += p->flagged_demerits;
    if (abs(fitness_class(r) - a->fitness) > 1)
        d += p->fitness_demerits;
    if (r > (double)p->loose_ratio / 1000.0)
        d += p->loose_demerits;
    return d;
}

/* Appends a node to the pool; returns its index or -1 when memory is exhausted. */
static int
node_new(ctx_t *c)
{
    if (c->nnodes == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        if (ncap > (size_t)INT32_MAX)
            return -1;
        node_t *nv = realloc(c->nodes, ncap * sizeof(node_t));
        if (!nv)
            return -1;
        c->nodes = nv;
        c->cap = ncap;
    }
    memset(&c->nodes[c->nnodes], 0, sizeof(node_t));
    return (int)c->nnodes++;
}

/* Links node k into the active list after node after (-1: at the head). */
static void
link_after(ctx_t *c, int after, int k)
{
    if (after < 0) {
        c->nodes[k].next = c->head;
        c->head = k;
    } else {
        c->nodes[k].next = c->nodes[after].next;
        c->nodes[after].next = k;
    }
    c->count++;
}

/*
 * Turns the candidates of one line-number group at breakpoint b into nodes
 * linked after *after (which then points at the last one inserted). A
 * candidate costing more than the cheapest plus |fitness_demerits| is
 * dropped: whatever follows it, the cheapest one does at least as well.
 * *start caches the start of the line after b. Returns -1 on out-of-memory.
 */
static int
flush_candidates(ctx_t *c, int b, int cls, cand_t cand[4], int *after, int *start)
{
    double best = INFINITY;
    for (int f = 0; f < 4; f++)
        if (cand[f].set && cand[f].total < best)
            best = cand[f].total;
    double slack = fabs((double)c->p->fitness_demerits);
    if (*start < 0)
        *start = line_start_after(c, b);
    for (int f = 0; f < 4; f++) {
        if (!cand[f].set)
            continue;
        if (cand[f].total <= best + slack) {
            int k = node_new(c);
            if (k < 0)
                return -1;
            node_t *nd = &c->nodes[k];
            nd->pos = b;
            nd->start = *start;
            nd->cls = cls;
            nd->fitness = f;
            nd->prev = cand[f].from;
            nd->ratio = cand[f].ratio;
            nd->skip = 0;
            nd->total = cand[f].total;
            link_after(c, *after, k);
            *after = k;
        }
        cand[f].set = false;
    }
    return 0;
}

/*
 * Most pairs of an active node and a breakpoint are lines far too short:
 * their ratio is over the tolerance, and nothing is recorded. A line only
 * grows (its width, stretch and letter-space stretch are sums of items that
 * are not negative), so once a line from node a is too short at b, the first
 * item at which it might not be is found by bisection over the prefix sums,
 * and a is passed over until then. "Certainly too short" is taken with the
 * widest penalty added and a millipoint of margin, so no feasible line is
 * ever passed over: the breaks are the same as without it, found with a
 * fraction of the work (the seed report: 7.0 M instructions to 5.1 M).
 */
static bool
surely_short(const ctx_t *c, const node_t *a, int64_t L, int i)
{
    int s = a->start;
    if (c->sfil[i] - c->sfil[s] > 0)
        return false;
    double excess = (double)(L - (c->sw[i] - c->sw[s]) - c->maxpen) - 1.0;
    double y = (double)(c->sy[i] - c->sy[s]);
    double tol = (double)c->p->tolerance / 1000.0;
    if (!(excess > tol * y * (1.0 + 1e-9)))
        return false;
    if (c->p->box_stretch_above > 0 && !(excess > c->above * y * (1.0 + 1e-9) + (double)(c->sb[i] - c->sb[s])))
        return false;
    return true;
}

/* The first item after b at which a line from a might be long enough (c->n when none is). */
static int
skip_to(const ctx_t *c, const node_t *a, int64_t L, int b)
{
    int lo = b + 1, hi = c->n; /* surely_short holds below lo; the answer is in [lo, hi] */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (surely_short(c, a, L, mid))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Considers every active node as the start of a line ending at breakpoint b:
 * records the best candidates, creates their nodes and deactivates the nodes
 * that can no longer start a line (overfull here, or a forced break). In the
 * final pass, when that would empty the list, the deactivated node nearest
 * to b makes an overfull line (the last resort). Returns -1 on out-of-memory.
 */
static int
try_break(ctx_t *c, int b, double tolerance, bool final)
{
    const vb_lbparams_t *p = c->p;
    const bool forced = is_forced(&c->items[b]);
    cand_t cand[4];
    memset(cand, 0, sizeof cand);
    bool have_cand = false;
    int group = -1, after = -1, start = -1;
    int last_resort = -1; /* the overfull node with the latest break */
    double last_resort_r = 0.0;

    int k = c->head;
    while (k >= 0) {
        int next = c->nodes[k].next;
        int g = c->nodes[k].cls + 1 < p->nwidths - 1 ? c->nodes[k].cls + 1 : p->nwidths - 1;
        if (g != group) {
            /* New nodes of the previous group go here, keeping the list ordered by line number. */
            if (have_cand && flush_candidates(c, b, group, cand, &after, &start) < 0)
                return -1;
            have_cand = false;
            group = g;
        }
        bool deactivate = forced;
        node_t *a = &c->nodes[k];
        if (b >= a->start && (final || b >= a->skip)) {
            int64_t L = measure_of(p, a->cls);
            line_t l = line_measure(c, a->start, b);
            double r = adjustment_ratio(c, &l, L);
            if (overfull(&l, L)) {
                deactivate = true;
                if (last_resort < 0 || a->pos > c->nodes[last_resort].pos ||
                    (a->pos == c->nodes[last_resort].pos && a->total < c->nodes[last_resort].total)) {
                    last_resort = k;
                    last_resort_r = r;
                }
            } else if (final || r <= tolerance) {
                double total = a->total + line_demerits(c, a, b, r);
                int f = fitness_class(r);
                if (!cand[f].set || total < cand[f].total) {
                    cand[f].set = true;
                    cand[f].total = total;
                    cand[f].from = k;
                    cand[f].ratio = report_ratio(r, false);
                }
                have_cand = true;
            } else if (c->can_skip && !p->exhaustive && l.w < L) {
                a->skip = skip_to(c, a, L, b);
            }
        }
        if (deactivate) {
            if (after < 0)
                c->head = next;
            else
                c->nodes[after].next = next;
            c->count--;
        } else {
            after = k;
        }
        k = next;
    }
    if (have_cand && flush_candidates(c, b, group, cand, &after, &start) < 0)
        return -1;

    if (final && c->count == 0 && last_resort >= 0) {
        const node_t *a = &c->nodes[last_resort];
        int g = a->cls + 1 < p->nwidths - 1 ? a->cls + 1 : p->nwidths - 1;
        memset(cand, 0, sizeof cand);
        cand[0].set = true; /* an overfull line is tight */
        cand[0].total = a->total + line_demerits(c, a, b, last_resort_r);
        cand[0].from = last_resort;
        cand[0].ratio = report_ratio(last_resort_r, true);
        after = -1;
        if (flush_candidates(c, b, g, cand, &after, &start) < 0)
            return -1;
    }
    return 0;
}

/*
 * One pass of total fit. Returns 0 with *best the cheapest node at the
 * final item, 1 when the active list empties (no feasible breaks within
 * tolerance), -1 on out-of-memory.
 */
static int
total_fit_pass(ctx_t *c, double tolerance, bool final, int *best)
{
    c->uncapped = final;
    c->nnodes = 0;
    c->head = -1;
    c->count = 0;
    int k = node_new(c);
    if (k < 0)
        return -1;
    c->nodes[k].pos = -1;
    c->nodes[k].start = 0;
    c->nodes[k].cls = 0;
    c->nodes[k].fitness = FITNESS_DECENT;
    c->nodes[k].prev = -1;
    link_after(c, -1, k);

    for (int b = 0; b < c->n; b++) {
        if (!legal_break(c->items, b))
            continue;
        if (try_break(c, b, tolerance, final) < 0)
            return -1;
        if (c->head < 0)
            return 1;
    }
    *best = -1;
    for (k = c->head; k >= 0; k = c->nodes[k].next)
        if (c->nodes[k].pos == c->n - 1 && (*best < 0 || c->nodes[k].total < c->nodes[*best].total))
            *best = k;
    return *best < 0 ? 1 : 0;
}

static vb_status_t
total_fit(ctx_t *c, vb_arena_t *arena, vb_lbbreak_t **out, int *nout, vb_diag_t *d)
{
    int best = -1;
    double tolerance = (double)c->p->tolerance / 1000.0;
    int rc = total_fit_pass(c, tolerance, false, &best);
    if (rc == 1)
        rc = total_fit_pass(c, INFINITY, true, &best);
    if (rc < 0)
        return vb_diag_nomem(d);
    if (rc != 0) /* cannot happen: the final pass always keeps a node */
        return vb_diag_set(d, VB_E_LAYOUT, "linebreak.internal", NULL, 0, 0,
                           "The line breaker found no way to break a paragraph.");
    int nl = 0;
    for (int k = best; c->nodes[k].prev >= 0; k = c->nodes[k].prev)
        nl++;
    vb_lbbreak_t *v = VB_NEWN(arena, vb_lbbreak_t, nl);
    if (!v)
        return vb_diag_nomem(d);
    int i = nl;
    for (int k = best; c->nodes[k].prev >= 0; k = c->nodes[k].prev) {
        i--;
        v[i].pos = c->nodes[k].pos;
        v[i].ratio = c->nodes[k].ratio;
    }
    *out = v;
    *nout = nl;
    return VB_OK;
}

static vb_status_t
greedy(ctx_t *c, vb_arena_t *arena, vb_lbbreak_t **out, int *nout, vb_diag_t *d)
{
    vb_lbbreak_t *tmp = NULL;
    int ntmp = 0, cap = 0;
    int start = 0, line = 0, last_fit = -1;
    int b = 0;
    while (b < c->n) {
        if (!legal_break(c->items, b) || b < start) {
            b++;
            continue;
        }
        int64_t L = measure_of(c->p, line);
        line_t l = line_measure(c, start, b);
        bool fits = !overfull(&l, L);
        bool forced = is_forced(&c->items[b]);
        if (fits && !forced) {
            last_fit = b;
            b++;
            continue;
        }
        int at = fits ? b : (last_fit >= 0 ? last_fit : b);
        line_t la = line_measure(c, start, at);
        bool over = overfull(&la, L);
        double r = adjustment_ratio(c, &la, L);
        if (at == c->n - 1 && r > 0.0)
            r = 0.0; /* the last line keeps its natural width */
        if (ntmp == cap) {
            int ncap = cap ? cap * 2 : 64;
            vb_lbbreak_t *nv = realloc(tmp, (size_t)ncap * sizeof(*nv));
            if (!nv) {
                free(tmp);
                return vb_diag_nomem(d);
            }
            tmp = nv;
            cap = ncap;
        }
        tmp[ntmp].pos = at;
        tmp[ntmp].ratio = report_ratio(r, over);
        ntmp++;
        line++;
        start = line_start_after(c, at);
        last_fit = -1;
        b = at + 1;
    }
    vb_lbbreak_t *v = VB_NEWN(arena, vb_lbbreak_t, ntmp);
    if (!v) {
        free(tmp);
        return vb_diag_nomem(d);
    }
    if (ntmp)
        memcpy(v, tmp, (size_t)ntmp * sizeof(*v));
    free(tmp);
    *out = v;
    *nout = ntmp;
    return VB_OK;
}

void
vb_lbparams_default(vb_lbparams_t *p)
{
    memset(p, 0, sizeof *p); /* widths are the caller's; every other field has its default */
    p->algorithm = VB_LB_TOTAL_FIT;
    p->tolerance = 2000;
    p->line_penalty = 10;
    p->flagged_demerits = 3000;
    p->fitness_demerits = 3000;
    p->loose_demerits = 0;
    p->loose_ratio = 1000;
    p->box_stretch_above = 0;
}

/* Checks the arguments; the items must end with a forced break, glue may not have negative stretch or shrink. */
static vb_status_t
check_args(const vb_lbitem_t *items, int n, const vb_lbparams_t *p, vb_diag_t *d)
{
    if (!p || n < 0 || (n > 0 && !items) || !p->widths || p->nwidths < 1 ||
        (p->algorithm != VB_LB_TOTAL_FIT && p->algorithm != VB_LB_GREEDY))
        return vb_diag_set(d, VB_E_USAGE, "linebreak.usage", NULL, 0, 0,
                           "The line breaker was called without items, widths or a known algorithm.");
    for (int i = 0; i < n; i++) {
        const vb_lbitem_t *it = &items[i];
        if (it->type > VB_LB_PENALTY || (it->type == VB_LB_GLUE && (it->stretch < 0 || it->shrink < 0)) ||
            (it->type == VB_LB_BOX && it->stretch < 0))
            return vb_diag_set(d, VB_E_USAGE, "linebreak.item", NULL, 0, 0,
                               "Item %d given to the line breaker is malformed.", i);
    }
    if (n > 0 && !is_forced(&items[n - 1]))
        return vb_diag_set(d, VB_E_USAGE, "linebreak.unterminated", NULL, 0, 0,
                           "A paragraph given to the line breaker does not end with a forced break.");
    return VB_OK;
}

vb_status_t
vb_linebreak(const vb_lbitem_t *items, int n, const vb_lbparams_t *p, vb_arena_t *arena, vb_lbbreak_t **out,
             int *nout, vb_diag_t *d)
{
    *out = NULL;
    *nout = 0;
    vb_status_t st = check_args(items, n, p, d);
    if (st != VB_OK || n == 0)
        return st;

    ctx_t c;
    memset(&c, 0, sizeof c);
    c.items = items;
    c.n = n;
    c.p = p;
    c.head = -1;
    c.above = (double)p->box_stretch_above / 1000.0;
    int64_t *sums = malloc(5 * ((size_t)n + 1) * sizeof(int64_t));
    if (!sums)
        return vb_diag_nomem(d);
    c.sw = sums;
    c.sy = sums + (n + 1);
    c.sz = sums + 2 * ((size_t)n + 1);
    c.sfil = sums + 3 * ((size_t)n + 1);
    c.sb = sums + 4 * ((size_t)n + 1);
    c.sw[0] = c.sy[0] = c.sz[0] = c.sfil[0] = c.sb[0] = 0;
    c.can_skip = true;
    for (int i = 0; i < n; i++) {
        const vb_lbitem_t *it = &items[i];
        if (it->type == VB_LB_PENALTY) {
            if (it->width > c.maxpen)
                c.maxpen = it->width;
        } else if (it->width < 0) {
            c.can_skip = false;
        }
        c.sw[i + 1] = c.sw[i] + (it->type == VB_LB_PENALTY ? 0 : it->width);
        c.sy[i + 1] = c.sy[i];
        c.sz[i + 1] = c.sz[i];
        c.sfil[i + 1] = c.sfil[i];
        c.sb[i + 1] = c.sb[i] + (it->type == VB_LB_BOX && it->stretch > 0 ? it->stretch : 0);
        if (it->type == VB_LB_GLUE) {
            if (it->stretch == VB_LB_FIL)
                c.sfil[i + 1]++;
            else
                c.sy[i + 1] += it->stretch;
            c.sz[i + 1] += it->shrink;
        }
    }

    if (p->algorithm == VB_LB_GREEDY)
        st = greedy(&c, arena, out, nout, d);
    else
        st = total_fit(&c, arena, out, nout, d);
    free(c.nodes);
    free(sums);
    return st;
}
