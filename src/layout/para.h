/*
 * para.h - setting text into lines: shaping, breaking, justifying.
 *
 * Turns inline text (spans in faces) into lines of positioned glyph runs for a
 * given width and style. Used for body paragraphs, headings, the header,
 * title and closing bands, and table cells. Knows fonts and the breaker, not
 * pages.
 */
#ifndef VB_PARA_H
#define VB_PARA_H

#include "dlist.h"
#include "font.h"
#include "linebreak.h"
#include "model.h"
#include "profile.h"

typedef struct vb_shapecache vb_shapecache_t;

/* A line or a run may pass its measure by this much (rounding) before it is reported: 0.05 pt. */
#define VB_OVERFULL_SLACK 50

typedef struct vb_setctx {
    const vb_fontset_t *fonts;
    vb_arena_t *arena;
    const vb_pbreak_t *brk;   /* space stretch/shrink and breaker settings */
    bool greedy;              /* use the greedy breaker for justified text */
    vb_shapecache_t *cache;   /* words already shaped (created on first use) */
    vb_arena_t *scratch;      /* emptied at each vb_set_text (created on first use) */
    bool no_cache;            /* the cache could not be created */
    const vb_pscript_t *script; /* superscript and subscript settings (NULL: none) */
    /* a line wider than its measure (it could not be broken) is a warning, layout.overfull, here: */
    vb_sink_t *sink;          /* NULL: not reported */
    const char *source;       /* the source's name */
    vb_pos_t at;              /* where the text being set was typed (the block); 0: not known */
    VB_VEC(uint64_t) overfull; /* the lines reported (source position and text), each reported once */
} vb_setctx_t;

/*
 * For a superscript or subscript character (U+00B9, U+00B2, U+00B3,
 * U+2070..U+208E): the ASCII character it raises or lowers, and
 * VB_SPAN_SUPER or VB_SPAN_SUB in *bit; 0 for any other character. When
 * the font lacks such a character it is set as that ASCII character,
 * smaller and raised or lowered by the profile's `script`.
 */
char vb_script_fallback(uint32_t cp, int *bit);

/* True when an overfull line was reported for the text typed at at (so that it is not reported twice). */
bool vb_set_overfull_at(const vb_setctx_t *ctx, vb_pos_t at);

/* Releases what the context holds outside the arena (the word cache). */
void vb_set_finish(vb_setctx_t *ctx);

/* One set line. Glyph x are relative to the column's left edge, y is 0 at the baseline. */
typedef struct vb_line {
    vb_drun_t *runs;
    int nruns;
    vb_len_t x0, x1;          /* extent of the content after alignment */
    int32_t ratio;            /* adjustment ratio of justified lines, thousandths; 0 otherwise */
    bool justified;           /* stretched or shrunk to the full width */
    int32_t space_permille;   /* inter-word space as set over the natural space, thousandths (1000: natural) */
    bool overfull;            /* the content is wider than the measure */
} vb_line_t;

typedef struct vb_lines {
    vb_line_t *v;
    int n;
} vb_lines_t;

/*
 * Sets text in width with style st: its size, face (combined with each
 * span's face; VB_SPAN_SUPER and VB_SPAN_SUB spans smaller and moved as
 * ctx->script says, an error without it), alignment, first-line indent and hanging indent. Justified
 * text uses total fit (or greedy when ctx->greedy); the last line and lines
 * ending at a '\n' are ragged. Centred text with st->balance gets balanced
 * line lengths. Lines break only at spaces and never where a typographic rule
 * forbids (after "Số" before a number, after an opening bracket or quote,
 * before closing punctuation, before a lone dash).
 */
vb_status_t vb_set_text(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, vb_len_t width,
                        vb_lines_t *out, vb_diag_t *d);

/* The ascent and descent (both positive) of the style's face at its size. */
vb_len_t vb_style_ascent(const vb_setctx_t *ctx, const vb_style_t *st);
vb_len_t vb_style_descent(const vb_setctx_t *ctx, const vb_style_t *st);

/*
 * Measures text set on one line: its natural width and the width of its
 * widest word (the narrowest it can be set without overflowing).
 */
vb_status_t vb_text_measure(vb_setctx_t *ctx, const vb_inline_t *text, const vb_style_t *st, vb_len_t *natural,
                            vb_len_t *widest_word, vb_diag_t *d);

#endif
