/*
 * test_linebreak.c - the line breaker: constructed paragraphs with known
 * answers, total fit against a brute-force search over every break set,
 * invariants over thousands of random paragraphs, and a 20,000-word
 * paragraph to show there is no quadratic blow-up.
 *
 * The reference model below (line start, width, ratio, badness, fitness,
 * demerits) is written again from the definitions in linebreak.c's essay,
 * not taken from it, so a disagreement shows up as a failed check.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "linebreak.h"

/* ------------------------------------------------------------ building paragraphs */

typedef struct para {
    vb_lbitem_t *v;
    int n, cap;
} para_t;

static void
push(para_t *p, vb_lbitem_t it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, (size_t)p->cap * sizeof(*p->v));
        if (!p->v) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    p->v[p->n++] = it;
}

static void
box(para_t *p, vb_len_t w)
{
    vb_lbitem_t it = {0};
    it.type = VB_LB_BOX;
    it.width = w;
    push(p, it);
}

static void
glue(para_t *p, vb_len_t w, vb_len_t y, vb_len_t z)
{
    vb_lbitem_t it = {0};
    it.type = VB_LB_GLUE;
    it.width = w;
    it.stretch = y;
    it.shrink = z;
    push(p, it);
}

static void
penalty(para_t *p, vb_len_t w, int32_t pen, int flagged)
{
    vb_lbitem_t it = {0};
    it.type = VB_LB_PENALTY;
    it.width = w;
    it.penalty = pen;
    it.flagged = (uint8_t)flagged;
    push(p, it);
}

/* The caller's ending: fil glue and a forced break. */
static void
finish(para_t *p)
{
    glue(p, 0, VB_LB_FIL, 0);
    penalty(p, 0, -VB_LB_INF, 0);
}

/* Words of the given widths (in points) separated by glue w/y/z (points). */
static void
words(para_t *p, const int *w, int nw, int gw, int gy, int gz)
{
    for (int i = 0; i < nw; i++) {
        if (i > 0)
            glue(p, VB_PT(gw), VB_PT(gy), VB_PT(gz));
        box(p, VB_PT(w[i]));
    }
}

static vb_lbparams_t
params(const vb_len_t *widths, int nwidths, vb_lb_algorithm_t alg)
{
    vb_lbparams_t p;
    memset(&p, 0, sizeof p);
    vb_lbparams_default(&p);
    p.widths = widths;
    p.nwidths = nwidths;
    p.algorithm = alg;
    return p;
}

/* ------------------------------------------------------------ reference model */

static int
is_forced_pen(const vb_lbitem_t *it)
{
    return it->type == VB_LB_PENALTY && it->penalty <= -VB_LB_INF;
}

static int
ref_legal(const vb_lbitem_t *v, int i)
{
    switch (v[i].type) {
    case VB_LB_BOX:
        return 0;
    case VB_LB_GLUE:
        return i >= 1 && v[i - 1].type == VB_LB_BOX;
    default:
        return v[i].penalty < VB_LB_INF;
    }
}

/* First item of the line after a break at b (b = -1: paragraph start, nothing discarded). */
static int
ref_start(const vb_lbitem_t *v, int n, int b)
{
    if (b < 0)
        return 0;
    int i = b + 1;
    while (i < n && v[i].type != VB_LB_BOX && !is_forced_pen(&v[i]))
        i++;
    return i;
}

typedef struct rline {
    long long w, y, z, fil;
    int boxes;
} rline_t;

static rline_t
ref_line(const vb_lbitem_t *v, int s, int b)
{
    rline_t l = {0, 0, 0, 0, 0};
    for (int i = s; i < b; i++) {
        if (v[i].type == VB_LB_BOX) {
            l.w += v[i].width;
            l.boxes++;
        } else if (v[i].type == VB_LB_GLUE) {
            l.w += v[i].width;
            l.z += v[i].shrink;
            if (v[i].stretch == VB_LB_FIL)
                l.fil++;
            else
                l.y += v[i].stretch;
        }
    }
    if (v[b].type == VB_LB_PENALTY)
        l.w += v[b].width;
    return l;
}

static int
ref_overfull(rline_t l, long long L)
{
    return l.w - l.z > L;
}

static double
ref_ratio(rline_t l, long long L)
{
    if (l.w == L)
        return 0;
    if (l.w > L)
        return l.z ? (double)(L - l.w) / (double)l.z : -INFINITY;
    if (l.fil)
        return 0;
    return l.y ? (double)(L - l.w) / (double)l.y : INFINITY;
}

/* The final pass (infinite tolerance) does not cap badness; see linebreak.c. */
static int ref_uncapped;

static double
ref_badness(double r)
{
    if (isinf(r))
        return ref_uncapped ? 1e12 : 10000;
    double b = 100.0 * fabs(r) * fabs(r) * fabs(r);
    if (ref_uncapped)
        return b < 1e12 ? b : 1e12;
    return b < 10000 ? b : 10000;
}

static int
ref_fitness(double r)
{
    return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1.0 ? 2 : 3;
}

static int
ref_flagged(const vb_lbitem_t *v, int b)
{
    return b >= 0 && v[b].type == VB_LB_PENALTY && v[b].flagged;
}

static double
ref_demerits(const vb_lbitem_t *v, const vb_lbparams_t *p, int prev, int prevfit, int b, double r)
{
    double x = p->line_penalty + ref_badness(r);
    double d = x * x;
    if (v[b].type == VB_LB_PENALTY && v[b].penalty > -VB_LB_INF) {
        double q = v[b].penalty;
        if (v[b].penalty >= 0)
            d += q * q;
        else
            d -= q * q;
    }
    if (ref_flagged(v, prev) && ref_flagged(v, b))
        d += p->flagged_demerits;
    int df = ref_fitness(r) - prevfit;
    if (df > 1 || df < -1)
        d += p->fitness_demerits;
    if (r > p->loose_ratio / 1000.0)
        d += p->loose_demerits;
    return d;
}

static long long
ref_measure(const vb_lbparams_t *p, int line)
{
    return p->widths[line < p->nwidths ? line : p->nwidths - 1];
}

/* Total demerits of a given break set, as the reference model counts them. */
static double
ref_total(const vb_lbitem_t *v, int n, const vb_lbparams_t *p, const vb_lbbreak_t *br, int nb)
{
    double total = 0;
    int prev = -1, fit = 1;
    for (int k = 0; k < nb; k++) {
        rline_t l = ref_line(v, ref_start(v, n, prev), br[k].pos);
        double r = ref_ratio(l, ref_measure(p, k));
        total += ref_demerits(v, p, prev, fit, br[k].pos, r);
        fit = ref_fitness(r);
        prev = br[k].pos;
    }
    return total;
}

/* ------------------------------------------------------------ brute force */

typedef struct brute {
    const vb_lbitem_t *v;
    int n;
    const vb_lbparams_t *p;
    double tol;
    double best;
    long long paths;
} brute_t;

/* Every break set whose lines all have -1 <= r <= tol; forced breaks may not be skipped. */
static void
brute_rec(brute_t *bf, int prev, int fit, int line, double total)
{
    const vb_lbitem_t *v = bf->v;
    int s = ref_start(v, bf->n, prev);
    for (int b = prev + 1; b < bf->n; b++) {
        if (!ref_legal(v, b))
            continue;
        if (b >= s) {
            long long L = ref_measure(bf->p, line);
            rline_t l = ref_line(v, s, b);
            double r = ref_ratio(l, L);
            if (!ref_overfull(l, L) && r <= bf->tol) {
                double t = total + ref_demerits(v, bf->p, prev, fit, b, r);
                if (b == bf->n - 1) {
                    bf->paths++;
                    if (t < bf->best)
                        bf->best = t;
                } else {
                    brute_rec(bf, b, ref_fitness(r), line + 1, t);
                }
            }
        }
        if (is_forced_pen(&v[b]))
            break;
    }
}

static double
brute_min(const vb_lbitem_t *v, int n, const vb_lbparams_t *p, double tol, long long *paths)
{
    brute_t bf = {v, n, p, tol, INFINITY, 0};
    brute_rec(&bf, -1, 1, 0, 0.0);
    *paths = bf.paths;
    return bf.best;
}

/* ------------------------------------------------------------ random paragraphs */

static unsigned long long lcg_state = 20240601ULL;

static unsigned
rnd(unsigned m)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((lcg_state >> 33) % m);
}

/*
 * A random paragraph of 1..maxwords words; huge words happen when
 * allow_huge. Coarse paragraphs use round numbers so that ratios land
 * exactly on the class boundaries (-0.5, 0.5, 1) and ties happen.
 */
static void
random_para(para_t *p, int maxwords, long long L, int allow_huge, int coarse)
{
    p->n = 0;
    int nw = 1 + (int)rnd((unsigned)maxwords);
    for (int i = 0; i < nw; i++) {
        if (i > 0) {
            unsigned k = rnd(100);
            if (k < 62) {
                if (coarse) {
                    const int ys[] = {0, 2500, 5000, 10000}, zs[] = {0, 2500, 5000};
                    glue(p, 2500, ys[rnd(4)], zs[rnd(3)]);
                } else {
                    int w = 2500 + (int)rnd(2500);
                    glue(p, w, (int)rnd((unsigned)w), (int)rnd((unsigned)w / 2 + 1));
                }
            } else if (k < 77) {
                /* a discretionary break inside a word: cost, maybe a hyphen width, maybe flagged */
                int flag = (int)rnd(2);
                penalty(p, flag ? (coarse ? 5000 : 2000 + (int)rnd(1000)) : 0, (int)rnd(1001) - 500, flag);
            } else if (k < 84) {
                /* a penalty before a space (the space is discarded when the line breaks there) */
                penalty(p, 0, (int)rnd(2001) - 1000, (int)rnd(2));
                glue(p, 5000, 2500, 1250);
            } else if (k < 91) {
                /* a space followed by a possible break: in the discarded run after a break at the space */
                glue(p, 5000, 2500, 1250);
                penalty(p, 0, (int)rnd(2001) - 1000, (int)rnd(2));
            } else if (k < 96) {
                /* a forced break, with fil glue so the line can end short; maybe glue to discard after it */
                glue(p, 0, VB_LB_FIL, 0);
                penalty(p, 0, -VB_LB_INF, 0);
                if (rnd(2))
                    glue(p, 20000, 0, 0);
            } else {
                glue(p, 5000, 0, 0); /* a space that neither stretches nor shrinks */
            }
        }
        long long w = coarse ? 2500 * (2 + (long long)rnd(14)) : 3000 + (long long)rnd(35000);
        if (allow_huge && rnd(40) == 0)
            w = L + 1 + (long long)rnd((unsigned)L);
        box(p, (vb_len_t)w);
    }
    finish(p);
}

static void
random_params(vb_lbparams_t *p, vb_len_t *widths, int randomize, int coarse)
{
    vb_lbparams_default(p);
    p->algorithm = VB_LB_TOTAL_FIT;
    p->nwidths = 1 + (int)rnd(3);
    for (int i = 0; i < p->nwidths; i++)
        widths[i] = coarse ? 2500 * (16 + (vb_len_t)rnd(36)) : 40000 + (vb_len_t)rnd(90000);
    p->widths = widths;
    if (randomize) {
        int32_t tols[] = {500, 1000, 2000, 3000};
        p->tolerance = tols[rnd(4)];
        p->line_penalty = (int32_t)rnd(50);
        const int32_t big[] = {0, 3000, 100000};
        p->flagged_demerits = big[rnd(3)];
        p->fitness_demerits = big[rnd(3)];
        p->loose_demerits = big[rnd(3)];
        p->loose_ratio = coarse ? 500 * (1 + (int32_t)rnd(3)) : 500 + (int32_t)rnd(1000);
    }
}

/*
 * The invariants every result must keep, for both algorithms. Returns the
 * number of lines found outside [-1, tolerance] (overfull or too loose).
 */
static int
check_invariants(const vb_lbitem_t *v, int n, const vb_lbparams_t *p, const vb_lbbreak_t *br, int nb,
                 int greedy_last_natural)
{
    int outside = 0, bad = 0;
    CHECK(nb >= 1);
    if (nb < 1)
        return 0;
    CHECK_INT(br[nb - 1].pos, n - 1);
    int prev = -1, nextbox = 0;
    for (int k = 0; k < nb; k++) {
        int b = br[k].pos;
        if (b <= prev || b >= n || !ref_legal(v, b)) {
            bad++;
            break;
        }
        /* a forced break cannot be skipped */
        for (int i = prev + 1; i < b; i++)
            if (is_forced_pen(&v[i]))
                bad++;
        int s = ref_start(v, n, prev);
        /* every box lands on exactly one line, in order: none in the discarded run */
        for (int i = prev + 1; i < b; i++) {
            if (v[i].type != VB_LB_BOX)
                continue;
            while (nextbox < n && v[nextbox].type != VB_LB_BOX)
                nextbox++;
            if (i != nextbox || i < s)
                bad++;
            nextbox++;
        }
        long long L = ref_measure(p, k);
        rline_t l = ref_line(v, s < b ? s : b, b);
        if (s > b)
            bad++;
        double r = ref_ratio(l, L);
        if (ref_overfull(l, L)) {
            outside++;
            /* only a single box wider than the measure may overflow */
            if (l.boxes != 1 || br[k].ratio >= -1000)
                bad++;
        } else {
            if (r > p->tolerance / 1000.0)
                outside++;
            double want = r * 1000.0;
            if (greedy_last_natural && k == nb - 1 && want > 0)
                want = 0;
            if (want > 1000000)
                want = 1000000;
            if (br[k].ratio < -1000 || fabs(br[k].ratio - want) > 0.5 + 1e-6)
                bad++;
        }
        prev = b;
    }
    while (nextbox < n && v[nextbox].type != VB_LB_BOX)
        nextbox++;
    CHECK_INT(nextbox, n); /* no box left over */
    CHECK_INT(bad, 0);
    return outside;
}

/*
 * Greedy is first fit: a line not ending at a forced break could not take
 * the next breakpoint without being overfull. Returns the number of lines
 * that could have.
 */
static int
greedy_short_lines(const vb_lbitem_t *v, int n, const vb_lbparams_t *p, const vb_lbbreak_t *br, int nb)
{
    int bad = 0, prev = -1;
    for (int k = 0; k < nb; k++) {
        int b = br[k].pos, s = ref_start(v, n, prev);
        if (!is_forced_pen(&v[b])) {
            int nx = b + 1;
            while (nx < n && !ref_legal(v, nx))
                nx++;
            if (nx < n && !ref_overfull(ref_line(v, s, nx), ref_measure(p, k)))
                bad++;
        }
        prev = b;
    }
    return bad;
}

/* ------------------------------------------------------------ tests */

static vb_status_t
run(vb_arena_t *a, const para_t *p, const vb_lbparams_t *prm, vb_lbbreak_t **br, int *nb)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    return vb_linebreak(p->v, p->n, prm, a, br, nb, &d);
}

static void
test_known(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_lbbreak_t *br;
    int nb;
    para_t p = {0};
    const vb_len_t W100[] = {VB_PT(100)};
    vb_lbparams_t kp = params(W100, 1, VB_LB_TOTAL_FIT);
    vb_lbparams_t gr = params(W100, 1, VB_LB_GREEDY);

    /* three words that fit: one line, the last, at natural width */
    {
        const int w[] = {20, 20, 20};
        p.n = 0;
        words(&p, w, 3, 10, 10, 5);
        finish(&p);
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 1);
        CHECK_INT(br[0].pos, 6);
        CHECK_INT(br[0].ratio, 0);
        CHECK_INT(run(a, &p, &gr, &br, &nb), VB_OK);
        CHECK_INT(nb, 1);
        CHECK_INT(br[0].pos, 6);
    }

    /*
     * A forced break in the middle is taken by both algorithms, and the 30pt
     * glue after it is discarded: "c d" (45 + 10 + 45) then fills the
     * measure exactly; kept, it would be overfull.
     */
    {
        const int w[] = {20, 20}, w2[] = {45, 45};
        p.n = 0;
        words(&p, w, 2, 10, 10, 5);
        finish(&p); /* items 3, 4 */
        glue(&p, VB_PT(30), 0, 0);
        words(&p, w2, 2, 10, 10, 5);
        finish(&p);
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 4);
        CHECK_INT(br[1].pos, p.n - 1);
        CHECK_INT(br[0].ratio, 0);
        CHECK_INT(br[1].ratio, 0);
        CHECK_INT(run(a, &p, &gr, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 4);
        CHECK_INT(br[1].pos, p.n - 1);
    }

    /*
     * Greedy and total fit differ. Measure 100, glue 10+10-5, words
     * a b c = 20, d = 25, e f = 30, g = 40. Greedy squeezes a b c d
     * (115 shrunk to 100, r = -1) and is left with "e f" at r = 3. Total
     * fit sets "a b c" at r = 1 and "d e f" at r = -0.5: the only
     * break set within tolerance 2.
     */
    {
        const int w[] = {20, 20, 20, 25, 30, 30, 40};
        p.n = 0;
        words(&p, w, 7, 10, 10, 5);
        finish(&p); /* a0 g1 b2 g3 c4 g5 d6 g7 e8 g9 f10 g11 g12 fil13 F14 */
        CHECK_INT(p.n, 15);
        CHECK_INT(run(a, &p, &gr, &br, &nb), VB_OK);
        CHECK_INT(nb, 3);
        CHECK_INT(br[0].pos, 7);
        CHECK_INT(br[0].ratio, -1000);
        CHECK_INT(br[1].pos, 11);
        CHECK_INT(br[1].ratio, 3000);
        CHECK_INT(br[2].pos, 14);
        CHECK_INT(br[2].ratio, 0);
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 3);
        CHECK_INT(br[0].pos, 5);
        CHECK_INT(br[0].ratio, 1000);
        CHECK_INT(br[1].pos, 11);
        CHECK_INT(br[1].ratio, -500);
        CHECK_INT(br[2].pos, 14);
        CHECK_INT(br[2].ratio, 0);
        /* (10+100)^2 + (10+12.5)^2 + 10^2, no fitness step larger than one class */
        CHECK(fabs(ref_total(p.v, p.n, &kp, br, nb) - 12706.25) < 1e-9);
    }

    /* a word wider than the measure gets a line of its own, overfull; neither algorithm fails */
    {
        const int w[] = {30, 150, 30};
        p.n = 0;
        words(&p, w, 3, 10, 10, 5);
        finish(&p); /* a0 g1 H2 g3 b4 fil5 F6 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 3);
        CHECK_INT(br[0].pos, 1);
        CHECK_INT(br[0].ratio, 1000000); /* nothing to stretch: infinitely loose, reported clamped */
        CHECK_INT(br[1].pos, 3);
        CHECK(br[1].ratio < -1000);
        CHECK_INT(br[2].pos, 6);
        CHECK_INT(run(a, &p, &gr, &br, &nb), VB_OK);
        CHECK_INT(nb, 3);
        CHECK_INT(br[0].pos, 1);
        CHECK_INT(br[1].pos, 3);
        CHECK(br[1].ratio < -1000);
        CHECK_INT(br[2].pos, 6);
    }

    /*
     * No break set within tolerance: the fallback takes the least bad one.
     * Words 40 with glue 10+4-1 in 100: "a b" is r = 2.5 (tolerance 2),
     * "a" alone cannot stretch, "a b c" is overfull.
     */
    {
        const int w[] = {40, 40, 40};
        p.n = 0;
        words(&p, w, 3, 10, 4, 1);
        finish(&p); /* a0 g1 b2 g3 c4 fil5 F6 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 3);
        CHECK_INT(br[0].ratio, 2500);
        CHECK_INT(br[1].pos, 6);
    }

    /*
     * Variable measures change the answer. Six words of 20, glue 10+10-5.
     * In 100: "a b c d" (110 shrunk, r = -2/3), then "e f".
     * In {50, 100}: "a b" fills the first line exactly, then "c d e f".
     */
    {
        const int w[] = {20, 20, 20, 20, 20, 20};
        p.n = 0;
        words(&p, w, 6, 10, 10, 5);
        finish(&p); /* ... f10 fil11 F12 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 7);
        CHECK_INT(br[0].ratio, -667);
        CHECK_INT(br[1].pos, 12);
        const vb_len_t W50[] = {VB_PT(50), VB_PT(100)};
        vb_lbparams_t kv = params(W50, 2, VB_LB_TOTAL_FIT);
        CHECK_INT(run(a, &p, &kv, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 3);
        CHECK_INT(br[0].ratio, 0);
        CHECK_INT(br[1].pos, 12);
        CHECK_INT(br[1].ratio, -667);
    }

    /*
     * A +INF penalty before a space forbids the break (a non-breaking
     * space). Words 30, glue 10+20-5 in 100: the best is "x a b" shrunk
     * (r = -1); with b tied to c the break after b is gone, so "x a" (r = 1.5).
     */
    {
        const int w[] = {30, 30, 30};
        p.n = 0;
        words(&p, w, 3, 10, 20, 5);
        glue(&p, VB_PT(10), VB_PT(20), VB_PT(5));
        box(&p, VB_PT(30));
        finish(&p); /* x0 g1 a2 g3 b4 g5 c6 fil7 F8 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 5);
        CHECK_INT(br[0].ratio, -1000);
        p.n = 0;
        words(&p, w, 3, 10, 20, 5);
        penalty(&p, 0, VB_LB_INF, 0);
        glue(&p, VB_PT(10), VB_PT(20), VB_PT(5));
        box(&p, VB_PT(30));
        finish(&p); /* x0 g1 a2 g3 b4 P5 g6 c7 fil8 F9 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 3);
        CHECK_INT(br[0].ratio, 1500);
        CHECK_INT(br[1].pos, 9);
    }

    /* a break at a penalty counts its width (a hyphen): r = 0.5, not 1 */
    {
        p.n = 0;
        box(&p, VB_PT(50));
        glue(&p, VB_PT(10), VB_PT(10), VB_PT(5));
        box(&p, VB_PT(30));
        penalty(&p, VB_PT(5), 50, 1);
        box(&p, VB_PT(30));
        glue(&p, VB_PT(10), VB_PT(10), VB_PT(5));
        box(&p, VB_PT(20));
        finish(&p);
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 3);
        CHECK_INT(br[0].ratio, 500);
        CHECK(fabs(ref_total(p.v, p.n, &kp, br, nb) - (22.5 * 22.5 + 2500 + 100)) < 1e-9);
    }

    /* two forced breaks in a row: an empty line between them, found by the fallback */
    {
        p.n = 0;
        box(&p, VB_PT(20));
        finish(&p);
        finish(&p); /* a0 fil1 F2 fil3 F4 */
        CHECK_INT(run(a, &p, &kp, &br, &nb), VB_OK);
        CHECK_INT(nb, 2);
        CHECK_INT(br[0].pos, 2);
        CHECK_INT(br[1].pos, 4);
    }

    /* misuse is reported, not crashed on */
    {
        vb_diag_t d;
        memset(&d, 0, sizeof d);
        p.n = 0;
        box(&p, VB_PT(20));
        CHECK_INT(vb_linebreak(p.v, p.n, &kp, a, &br, &nb, &d), VB_E_USAGE);
        CHECK_STR(d.id, "linebreak.unterminated");
        CHECK_INT(vb_linebreak(p.v, 0, &kp, a, &br, &nb, NULL), VB_OK);
        CHECK_INT(nb, 0);
        vb_lbparams_t nowidth = kp;
        nowidth.nwidths = 0;
        finish(&p);
        CHECK_INT(vb_linebreak(p.v, p.n, &nowidth, a, &br, &nb, NULL), VB_E_USAGE);
    }

    /* defaults as documented */
    {
        vb_lbparams_t d;
        vb_lbparams_default(&d);
        CHECK_INT(d.algorithm, VB_LB_TOTAL_FIT);
        CHECK_INT(d.tolerance, 2000);
        CHECK_INT(d.line_penalty, 10);
        CHECK_INT(d.flagged_demerits, 3000);
        CHECK_INT(d.fitness_demerits, 3000);
        CHECK_INT(d.loose_demerits, 0);
        CHECK_INT(d.loose_ratio, 1000);
    }
    free(p.v);
    vb_arena_free(a);
}

/*
 * Total fit is optimal: for small random paragraphs its demerits equal the
 * minimum over every break set within tolerance; when there is none, its
 * answer equals the minimum with an infinite tolerance, and when even that
 * is empty (a word wider than the measure) it still answers.
 */
/*
 * Passing over lines certainly too short (skip_to) changes nothing: random
 * paragraphs with letter-space stretch in their boxes and hyphen widths,
 * under random tolerances and box-stretch thresholds, break at the same
 * places with the same ratios as when every pair is measured.
 */
static void
test_skip_same_breaks(void)
{
    para_t p = {0};
    vb_len_t widths[3];
    int same = 0, total = 0;
    for (int iter = 0; iter < 600; iter++) {
        vb_lbparams_t prm;
        random_params(&prm, widths, 1, iter % 3 == 0);
        const int32_t above[] = {0, 0, 500, 1000, 1500, 3000};
        prm.box_stretch_above = above[rnd(6)];
        random_para(&p, 80, widths[0], iter % 4 == 0, iter % 3 == 0);
        for (int i = 0; i < p.n; i++)
            if (p.v[i].type == VB_LB_BOX && rnd(3) == 0)
                p.v[i].stretch = (vb_len_t)rnd((unsigned)(p.v[i].width / 8 + 1));
        vb_arena_t *a = vb_arena_new();
        vb_lbbreak_t *b1 = NULL, *b2 = NULL;
        int n1 = 0, n2 = 0;
        vb_diag_t d;
        CHECK(vb_linebreak(p.v, p.n, &prm, a, &b1, &n1, &d) == VB_OK);
        prm.exhaustive = true;
        CHECK(vb_linebreak(p.v, p.n, &prm, a, &b2, &n2, &d) == VB_OK);
        int ok = n1 == n2;
        for (int i = 0; ok && i < n1; i++)
            ok = b1[i].pos == b2[i].pos && b1[i].ratio == b2[i].ratio;
        same += ok;
        total++;
        vb_arena_free(a);
    }
    CHECK_INT(same, total);
    printf("skipping short lines: %d of %d paragraphs break the same\n", same, total);
    free(p.v);
}

static void
test_brute_force(void)
{
    vb_arena_t *a = vb_arena_new();
    para_t p = {0};
    vb_len_t widths[3];
    int compared = 0, fallback = 0, overfull = 0, mismatches = 0;
    for (int iter = 0; iter < 3000; iter++) {
        vb_lbparams_t prm;
        int coarse = iter % 2;
        random_params(&prm, widths, 1, coarse);
        random_para(&p, 12, widths[0], iter % 6 == 0, coarse);
        vb_lbbreak_t *br;
        int nb;
        if (run(a, &p, &prm, &br, &nb) != VB_OK) {
            CHECK(0);
            continue;
        }
        int outside = check_invariants(p.v, p.n, &prm, br, nb, 0);
        long long paths;
        double best = brute_min(p.v, p.n, &prm, prm.tolerance / 1000.0, &paths);
        double got = ref_total(p.v, p.n, &prm, br, nb);
        if (paths > 0) {
            compared++;
            if (outside != 0 || fabs(got - best) > 1e-9 * (1 + fabs(best))) {
                mismatches++;
                if (mismatches < 5)
                    fprintf(stderr, "iter %d: total fit %.6f, brute force %.6f, lines outside %d\n", iter,
                            got, best, outside);
            }
        } else {
            CHECK(outside > 0);
            ref_uncapped = 1;
            double best_inf = brute_min(p.v, p.n, &prm, INFINITY, &paths);
            double got_inf = ref_total(p.v, p.n, &prm, br, nb);
            ref_uncapped = 0;
            if (paths > 0) {
                fallback++;
                if (fabs(got_inf - best_inf) > 1e-9 * (1 + fabs(best_inf)))
                    mismatches++;
            } else {
                overfull++;
            }
        }
    }
    CHECK_INT(mismatches, 0);
    /* the generator must really reach all three cases */
    CHECK(compared > 1000);
    CHECK(fallback > 50);
    CHECK(overfull > 50);
    printf("brute force: %d optimal within tolerance, %d via fallback, %d with an overfull word\n", compared,
           fallback, overfull);
    free(p.v);
    vb_arena_free(a);
}

/* Invariants over 2000 random paragraphs of up to 60 words, both algorithms. */
static void
test_properties(void)
{
    vb_arena_t *a = vb_arena_new();
    para_t p = {0};
    vb_len_t widths[3];
    int lines_kp = 0, lines_gr = 0;
    for (int iter = 0; iter < 2000; iter++) {
        vb_lbparams_t prm;
        random_params(&prm, widths, iter % 2, iter % 3 == 0);
        random_para(&p, 60, widths[0], 1, iter % 3 == 0);
        vb_lbbreak_t *br;
        int nb;
        CHECK_INT(run(a, &p, &prm, &br, &nb), VB_OK);
        check_invariants(p.v, p.n, &prm, br, nb, 0);
        lines_kp += nb;
        prm.algorithm = VB_LB_GREEDY;
        CHECK_INT(run(a, &p, &prm, &br, &nb), VB_OK);
        check_invariants(p.v, p.n, &prm, br, nb, 1);
        CHECK_INT(greedy_short_lines(p.v, p.n, &prm, br, nb), 0);
        lines_gr += nb;
    }
    printf("properties: 2000 paragraphs, %d lines total fit, %d lines greedy\n", lines_kp, lines_gr);
    free(p.v);
    vb_arena_free(a);
}

/*
 * Hostile input: random item types, zero, negative and extreme widths,
 * penalties anywhere in their range, negative measures. Both algorithms
 * must still answer with increasing legal breaks ending at the last item.
 */
static void
test_garbage(void)
{
    vb_arena_t *a = vb_arena_new();
    para_t p = {0};
    const int32_t extremes[] = {0, 1, -1, INT32_MAX, INT32_MIN + 1, 1000, -1000};
    int bad = 0;
    for (int iter = 0; iter < 500; iter++) {
        p.n = 0;
        int n = 1 + (int)rnd(40);
        for (int i = 0; i < n; i++) {
            vb_lbitem_t it = {0};
            it.type = (uint8_t)rnd(3);
            it.width = rnd(4) ? (vb_len_t)rnd(60000) - 10000 : extremes[rnd(7)];
            if (it.type == VB_LB_GLUE) {
                it.stretch = rnd(5) ? (vb_len_t)rnd(5000) : (rnd(2) ? VB_LB_FIL : INT32_MAX - 1);
                it.shrink = rnd(5) ? (vb_len_t)rnd(5000) : INT32_MAX;
            }
            if (it.type == VB_LB_PENALTY) {
                it.penalty = rnd(3) ? (int32_t)rnd(4 * VB_LB_INF) - 2 * VB_LB_INF : extremes[rnd(7)];
                it.flagged = (uint8_t)rnd(2);
            }
            push(&p, it);
        }
        penalty(&p, 0, rnd(2) ? -VB_LB_INF : INT32_MIN, 0);
        vb_len_t widths[2] = {(vb_len_t)rnd(100000) - 10000, extremes[rnd(7)]};
        vb_lbparams_t prm = params(widths, 1 + (int)rnd(2), rnd(2) ? VB_LB_TOTAL_FIT : VB_LB_GREEDY);
        prm.tolerance = extremes[rnd(7)];
        prm.line_penalty = extremes[rnd(7)];
        prm.fitness_demerits = extremes[rnd(7)];
        vb_lbbreak_t *br;
        int nb;
        if (run(a, &p, &prm, &br, &nb) != VB_OK || nb < 1 || br[nb - 1].pos != p.n - 1) {
            bad++;
            continue;
        }
        for (int k = 0; k < nb; k++)
            if ((k > 0 && br[k].pos <= br[k - 1].pos) || !ref_legal(p.v, br[k].pos))
                bad++;
    }
    CHECK_INT(bad, 0);
    free(p.v);
    vb_arena_free(a);
}

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A 20,000-word paragraph: must finish quickly (time printed, not asserted). */
static void
test_long_paragraph(void)
{
    vb_arena_t *a = vb_arena_new();
    para_t p = {0};
    for (int i = 0; i < 20000; i++) {
        if (i > 0)
            glue(&p, 3300, 1650, 1100);
        box(&p, 8000 + (vb_len_t)rnd(30000));
    }
    finish(&p);
    const vb_len_t W[] = {VB_PT(450)};
    vb_lbparams_t prm = params(W, 1, VB_LB_TOTAL_FIT);
    vb_lbbreak_t *br;
    int nb;
    double t0 = now_seconds();
    CHECK_INT(run(a, &p, &prm, &br, &nb), VB_OK);
    double t1 = now_seconds();
    CHECK(nb > 1000);
    CHECK_INT(check_invariants(p.v, p.n, &prm, br, nb, 0), 0);
    prm.algorithm = VB_LB_GREEDY;
    double t2 = now_seconds();
    int nbg;
    vb_lbbreak_t *brg;
    CHECK_INT(run(a, &p, &prm, &brg, &nbg), VB_OK);
    double t3 = now_seconds();
    check_invariants(p.v, p.n, &prm, brg, nbg, 1);
    CHECK_INT(greedy_short_lines(p.v, p.n, &prm, brg, nbg), 0);
    printf("20000 words: total fit %d lines in %.3f s, greedy %d lines in %.3f s\n", nb, t1 - t0, nbg, t3 - t2);
    free(p.v);
    vb_arena_free(a);
}

/*
 * Letter spacing as a last resort: a box's stretch serves only the part of a
 * line's shortfall beyond box_stretch_above, and only a line it can bring
 * down to that ratio is measured at it. "a b" (40 + 10 + 40) on 100 pt,
 * its space stretching 5 pt: r = 2 without letter-space; with a threshold
 * of 1 and boxes that can take the other 5 pt, r = 1; boxes that can take
 * only 4 pt leave the line measured as before (r = 2).
 */
static void
test_letter_space(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_lbbreak_t *br;
    int nb;
    para_t p = {0};
    const vb_len_t W100[] = {VB_PT(100)};
    const int cases[][3] = {
        /* box stretch (pt), box_stretch_above, expected ratio of line 1 */
        {0, 1000, 2000},
        {3, 0, 2000},
        {3, 1000, 1000},
        {2, 1000, 2000},
        {3, 1500, 1500},
        {10, 2500, 2000}, /* below the threshold: glue alone */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const int w[] = {40, 40, 60};
        p.n = 0;
        words(&p, w, 3, 10, 5, 2);
        finish(&p);
        for (int i = 0; i < p.n; i++)
            if (p.v[i].type == VB_LB_BOX)
                p.v[i].stretch = VB_PT(cases[k][0]);
        for (int alg = 0; alg < 2; alg++) {
            vb_lbparams_t lp = params(W100, 1, alg ? VB_LB_GREEDY : VB_LB_TOTAL_FIT);
            lp.box_stretch_above = cases[k][1];
            CHECK_INT(run(a, &p, &lp, &br, &nb), VB_OK);
            CHECK_INT(nb, 2);
            if (nb == 2) {
                CHECK_INT(br[0].pos, 3);
                CHECK_INT(br[0].ratio, cases[k][2]);
            }
        }
    }
    /* a negative box stretch is a malformed item */
    p.n = 0;
    box(&p, VB_PT(10));
    p.v[0].stretch = -1;
    finish(&p);
    vb_lbparams_t lp = params(W100, 1, VB_LB_TOTAL_FIT);
    CHECK_INT(run(a, &p, &lp, &br, &nb), VB_E_USAGE);
    free(p.v);
    vb_arena_free(a);
}

int
main(void)
{
    test_known();
    test_letter_space();
    test_brute_force();
    test_skip_same_breaks();
    test_properties();
    test_garbage();
    test_long_paragraph();
    return check_done();
}
