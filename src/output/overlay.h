/*
 * overlay.h - what the preview's overlay shows on a page (`vanban preview
 * --overlay`, docs/preview.md): the text block and its margins, the band
 * columns, the regulation's numbered boxes (ô) around the elements that fill
 * them, the lines set wider than their measure or very loose, and a legend
 * (every box of the profile's `official_boxes`: on this page, on another
 * page, or empty in the whole document).
 *
 * A plan, not a drawing: raster.c draws it beside the page, and
 * vb_overlay_text says the same plan as text (for tests and for a reader who
 * cannot see colours), so that what is drawn and what is said cannot differ.
 * No cairo here.
 */
#ifndef VB_OVERLAY_H
#define VB_OVERLAY_H

#include "dlist.h"
#include "profile.h"

/* A rectangle of the overlay: a numbered box (official > 0) or a band column (official 0). */
typedef struct vb_ovrect {
    int official;
    vb_len_t x, y, w, h;
} vb_ovrect_t;

/* A line marked: wider than its measure (overfull), or its spaces stretched beyond the threshold. */
typedef struct vb_ovmark {
    bool overfull;          /* else very loose */
    int32_t space_permille; /* the line's inter-word space over the natural space */
    vb_len_t x, y, w, h;    /* the line's box */
} vb_ovmark_t;

/* One box of the legend. */
typedef struct vb_ovlegend {
    int no;
    const char *name;       /* from the profile; NULL when the profile does not name it */
    bool here;              /* filled on this page */
    int page;               /* the first page (from 0) where it is filled; -1: empty in the whole document */
} vb_ovlegend_t;

typedef struct vb_overlay {
    int page;               /* from 0 */
    vb_len_t page_w, page_h;
    bool has_text_block;
    vb_len_t tb_x, tb_y, tb_w, tb_h;
    const char *profile_id, *profile_name;
    vb_ovrect_t *columns;
    int ncolumns;
    vb_ovrect_t *boxes;     /* one per (number, column) on the page: the union of the boxes of that number there */
    int nboxes;
    vb_ovmark_t *marks;
    int nmarks;
    vb_ovlegend_t *legend;  /* the profile's boxes in its order, then numbers it does not name, ascending */
    int nlegend;
    int32_t loose_permille; /* a line whose space_permille is above this is very loose; 0: never */
} vb_overlay_t;

/*
 * The overlay of page (from 0) of dl, laid out under profile p, in arena a.
 * The body's blocks (paragraphs, tables, images outside any band or table)
 * take the number of the profile's `official_boxes.body`. A line is very loose
 * when its spaces stretch beyond what the line breaker accepts before its
 * retry without a limit: natural x (1 + space_stretch x tolerance).
 */
vb_status_t vb_overlay_plan(const vb_dlist_t *dl, int page, const vb_profile_t *p, vb_arena_t *a, vb_overlay_t *out,
                            vb_diag_t *d);

/* The colour of box no, 0xRRGGBB (a fixed palette: the overlay's, not the document's format). */
uint32_t vb_overlay_colour(int no);
/* The colours of the marks, the text block and the columns. */
#define VB_OVERLAY_OVERFULL_RGB 0xE00000u
#define VB_OVERLAY_LOOSE_RGB 0xFF8C00u
#define VB_OVERLAY_BLOCK_RGB 0x8C8C8Cu
#define VB_OVERLAY_COLUMN_RGB 0x7FA7CFu

/*
 * The plan as text, one fact a line (docs/preview.md): *out malloc'd,
 * NUL-terminated, *len without the NUL.
 */
vb_status_t vb_overlay_text(const vb_overlay_t *ov, char **out, size_t *len, vb_diag_t *d);

#endif
