/*
 * linebreak.h - choosing the line breaks of a paragraph.
 *
 * The paragraph comes as Knuth-Plass items: boxes (unbreakable material),
 * glue (breakable, stretchable space) and penalties (possible breaks with a
 * cost). The module knows nothing of fonts or text; it is pure arithmetic on
 * millipoint widths, so it can be tested on constructed paragraphs.
 *
 * Conventions (as in Knuth and Plass, "Breaking paragraphs into lines", 1981):
 *  - a break may happen at a glue that follows a box, or at a penalty
 *    below VB_LB_INF; a penalty of -VB_LB_INF forces a break;
 *  - the caller ends a paragraph with glue(0, VB_LB_FIL, 0) and a forced
 *    penalty, so that the last line is set at its natural width (ragged);
 *  - glue at the start of a line (after a break) is discarded.
 */
#ifndef VB_LINEBREAK_H
#define VB_LINEBREAK_H

#include "base.h"

#define VB_LB_INF 10000
/* stretch value meaning "infinitely stretchable" (fil glue) */
#define VB_LB_FIL INT32_MAX

typedef enum vb_lb_type {
    VB_LB_BOX = 0,
    VB_LB_GLUE,
    VB_LB_PENALTY
} vb_lb_type_t;

typedef struct vb_lbitem {
    uint8_t type;      /* vb_lb_type_t */
    uint8_t flagged;   /* penalties: a flagged break (e.g. after a hyphen) */
    vb_len_t width;
    vb_len_t stretch;  /* glue: VB_LB_FIL for infinite; boxes: letter-space stretch (see box_stretch_above) */
    vb_len_t shrink;   /* glue */
    int32_t penalty;   /* penalties: -VB_LB_INF .. VB_LB_INF */
} vb_lbitem_t;

typedef enum vb_lb_algorithm {
    VB_LB_TOTAL_FIT = 0,
    VB_LB_GREEDY
} vb_lb_algorithm_t;

typedef struct vb_lbparams {
    vb_lb_algorithm_t algorithm;
    const vb_len_t *widths; /* line i has width widths[min(i, nwidths - 1)] */
    int nwidths;
    int32_t tolerance;      /* largest acceptable adjustment ratio, thousandths (e.g. 2000) */
    int32_t line_penalty;   /* added to badness before squaring (Knuth: 10) */
    int32_t flagged_demerits;
    int32_t fitness_demerits; /* for adjacent lines of very different tightness */
    int32_t loose_demerits;   /* extra demerits for a line looser than loose_ratio */
    int32_t loose_ratio;      /* thousandths */
    /*
     * Letter spacing as a last resort: a box's stretch (the letter-space it
     * may take between its glyphs) is used only for the part of a line's
     * shortfall that would stretch its glue beyond this adjustment ratio
     * (thousandths). The line's ratio is then that of its glue after the
     * boxes took their share. <= 0: box stretch is never used.
     */
    int32_t box_stretch_above;
    /*
     * Tests only: every active node is measured at every breakpoint, without
     * the bisection that passes over lines certainly too short (linebreak.c,
     * skip_to). The breaks are the same either way; test_linebreak checks it.
     */
    bool exhaustive;
} vb_lbparams_t;

/* Sensible defaults for widths/nwidths given by the caller. */
void vb_lbparams_default(vb_lbparams_t *p);

typedef struct vb_lbbreak {
    int pos;          /* index of the item at which the line ends (glue or penalty) */
    int32_t ratio;    /* adjustment ratio of the line, thousandths; stretch > 0, shrink < 0 */
} vb_lbbreak_t;

/*
 * Breaks items[0..n) into lines. On success *out (in arena) holds *nout
 * breaks, the last one at the final forced penalty. Total fit never fails:
 * when no set of breaks is within tolerance it retries with an infinite
 * tolerance, and a box wider than the line gets a line of its own (overfull;
 * reported with ratio < -1000). Greedy fills each line as far as it fits.
 */
vb_status_t vb_linebreak(const vb_lbitem_t *items, int n, const vb_lbparams_t *p, vb_arena_t *arena,
                         vb_lbbreak_t **out, int *nout, vb_diag_t *d);

#endif
