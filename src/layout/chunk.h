/*
 * chunk.h - the pieces of the page flow and the context the layout modules
 * share: a chunk (a line of a paragraph, a table row, a band) with the rules
 * that say where a page may break, and vb_lctx_t, what a layout is working
 * on. Under band.c, table.c and paginate.c; layout.c makes the context.
 */
#ifndef VB_CHUNK_H
#define VB_CHUNK_H

#include "dlist.h"
#include "model.h"
#include "para.h"
#include "profile.h"

typedef struct vb_chunk vb_chunk_t;
struct vb_chunk {
    vb_len_t height;        /* advance of the flow */
    vb_len_t fit;           /* extent below the chunk's top that must stay above the page bottom */
    vb_len_t space_before;  /* dropped at the top of a page */
    vb_len_t top;           /* >= 0: absolute top when the chunk starts a page (bands) */
    bool keep_with_prev;    /* no page break between the previous chunk and this one */
    bool break_before;      /* a forced page break before this chunk */
    bool restart_numbers;   /* page numbers restart at 1 on the page this chunk starts */
    VB_VEC(vb_ditem_t) items; /* y relative to the chunk's top */
    /* outline entry, if this chunk starts a heading or an appendix */
    const char *outline_title;
    int outline_level;
    bool absolute;          /* placed at `top` on its page without moving the flow (overlays) */
    vb_len_t anchor_bottom; /* > 0: its bottom edge goes at this y, below the flow (footers) */
    bool landscape;         /* set on a landscape page */
    bool is_head;           /* a table head row: emitted again on later pages, so never moved */
    /* table rows: the head rows to repeat when this row starts a page */
    vb_chunk_t **head;
    int nhead;
    /*
     * Items drawn only when a page break falls before this chunk (cap_top,
     * y relative to its top) or after it (cap_bottom): the borders that close
     * a table cell cut by the break.
     */
    VB_VEC(vb_ditem_t) cap_top;
    VB_VEC(vb_ditem_t) cap_bottom;
    vb_pos_t pos;           /* the source of what it sets (for layout.too-tall); 0 when unknown */
    const char *what;       /* what it sets, for messages ("The title block"); NULL: "This block" */
    /* footnotes first referred to in this chunk (a line): set at the foot of its page, under a rule */
    vb_chunk_t **notes;
    int nnotes;
};

/* Stand-ins in date_text for a day or month left blank until issuance; band.c prints the profile's gap. */
#define VB_BLANK_DAY '\x01'
#define VB_BLANK_MONTH '\x02'

typedef struct vb_lctx {
    vb_setctx_t set;
    const vb_model_t *model;
    const vb_profile_t *profile;
    vb_arena_t *arena;
    vb_len_t text_left, text_width;  /* the text block */
    vb_len_t text_height;            /* the text block's height (of a landscape page while in one) */
    VB_VEC(vb_chunk_t *) chunks;
    const char *date_text;           /* the formatted date; a blank day or month is VB_BLANK_DAY / VB_BLANK_MONTH */
    const vb_appendix_t *appendix;   /* while laying out an appendix */
    vb_chunk_t *first_footer;        /* page 1's footer band (not in the flow) */
    bool duplex;                     /* mirrored margins on even pages */
    int64_t max_pages;               /* > 0: the pages limit (limit.h) */
    vb_chunk_t **notes;              /* model->nnotes: each footnote's chunk once set, NULL before */
    /* boxes: what vb_chunk_add_line records each line as (see dlist.h, vb_dbox_t) */
    vb_dlist_t *dl;                  /* for vb_dlist_add_group */
    int box_group, box_outer;        /* the groups of the element being set (its runs' span), and of its column or table */
    /* the last table measured (table.c): an appendix's landscape test and its layout measure it once */
    const struct vb_table *measured;
    int64_t *meas_nat, *meas_min;
    vb_len_t *meas_words;
} vb_lctx_t;

/*
 * A new group of boxes of kind (dlist.h) named name around what is set next,
 * made where pos was typed in the source (pos.line 0: nowhere): its id, or 0
 * on out-of-memory.
 */
int vb_layout_group(vb_lctx_t *lc, vb_dbox_kind_t kind, const char *name, vb_pos_t pos, int outer);
/* The span of source position pos (the model's source; nowhere when pos.line is 0). */
vb_dspan_t vb_layout_span(const vb_lctx_t *lc, vb_pos_t pos);
/* Adds a box of kind to a chunk, in groups lc->box_group and lc->box_outer. */
vb_status_t vb_chunk_add_box(vb_lctx_t *lc, vb_chunk_t *c, int kind, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h,
                             vb_diag_t *d);

vb_chunk_t *vb_chunk_new(vb_lctx_t *lc);
/*
 * Adds the runs of a set line to a chunk at (x, baseline). The glyphs move:
 * their positions are shifted in place and the chunk refers to them, so a
 * line is added once.
 */
vb_status_t vb_chunk_add_line(vb_lctx_t *lc, vb_chunk_t *c, const vb_line_t *line, vb_len_t x, vb_len_t baseline,
                              vb_diag_t *d);
vb_status_t vb_chunk_add_rule(vb_lctx_t *lc, vb_chunk_t *c, vb_len_t x1, vb_len_t y1, vb_len_t x2, vb_len_t y2,
                              vb_len_t width, vb_diag_t *d);

#endif
