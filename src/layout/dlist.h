/*
 * dlist.h - the display list: pages of positioned glyphs and rules.
 *
 * The one output of layout and the one input of every backend (PDF now, PNG
 * preview later). Coordinates are millipoints from the page's top-left corner,
 * y growing downwards; a glyph's y is its baseline. Text is kept with the
 * glyphs (cluster text) so backends can write a text layer.
 */
#ifndef VB_DLIST_H
#define VB_DLIST_H

#include "base.h"

typedef struct vb_dglyph {
    uint32_t gid;
    vb_len_t x, y;        /* origin of the glyph, offsets already applied */
    uint32_t text_off;    /* the glyph's cluster text in the run's text ... */
    uint32_t text_len;    /* ... 0 for the 2nd+ glyph of a cluster */
} vb_dglyph_t;

typedef struct vb_drun {
    int face;             /* vb_face_t: index into the document's fontset */
    vb_len_t size;
    const char *text;     /* UTF-8 NFC */
    size_t text_len;
    vb_dglyph_t *glyphs;
    int n;
} vb_drun_t;

typedef struct vb_drule {
    vb_len_t x1, y1, x2, y2; /* centre line of the stroke */
    vb_len_t width;          /* stroke width */
} vb_drule_t;

/* A named rectangle: where a later stage puts something (the signature field). */
typedef struct vb_dbox {
    const char *name;     /* "signature" */
    vb_len_t x, y, w, h;  /* top-left corner and size */
} vb_dbox_t;

/* An image placed on the page (a PNG, checked when read; see image.h). */
typedef struct vb_dimage {
    const struct vb_image *image;
    vb_len_t x, y, w, h;  /* top-left corner and size */
} vb_dimage_t;

typedef enum vb_ditem_kind {
    VB_DITEM_RUN = 1,
    VB_DITEM_RULE,
    VB_DITEM_BOX,
    VB_DITEM_IMAGE
} vb_ditem_kind_t;

typedef struct vb_ditem {
    vb_ditem_kind_t kind;
    union {
        vb_drun_t run;
        vb_drule_t rule;
        vb_dbox_t box;
        vb_dimage_t image;
    } u;
} vb_ditem_t;

typedef struct vb_dpage {
    vb_len_t width, height;
    const char *label;    /* printed page number ("2"), NULL when none is printed */
    vb_ditem_t *items;
    int n, cap;
} vb_dpage_t;

/* An outline (bookmark) entry. */
typedef struct vb_doutline {
    int level;            /* 1 = top */
    const char *title;    /* UTF-8 */
    int page;             /* 0-based page index */
    vb_len_t y;           /* top of the heading on that page */
} vb_doutline_t;

/* Page labels: from page `first` on, decimal labels starting at `start`. */
typedef struct vb_dlabel {
    int first;            /* 0-based page index */
    int start;
    const char *prefix;   /* UTF-8, may be NULL */
} vb_dlabel_t;

typedef struct vb_dinfo {
    const char *title;    /* kind + title */
    const char *author;   /* issuing body */
    const char *subject;  /* number */
    const char *creator;  /* "vanban 1.0.0" */
    const char *keywords; /* layout profile id the document followed */
    const char *profile;  /* the profile followed, "id (name)": recorded as /VanbanProfile in Info */
    const char *blank;    /* fields left blank until issuance, "number", "day", "number day month": /VanbanBlank */
    const char *doc_date; /* the document's partial date ("2026-04", "2026") when its day is blank: /VanbanDate */
    int year, month, day, hour, minute, second; /* creation date, local; year 0: none (/CreationDate left out) */
    int tz_minutes;       /* offset from UTC, e.g. +420 */
    bool keep_hinting;    /* keep TrueType hinting in the embedded fonts */
    bool duplex;          /* laid out for two-sided printing: /ViewerPreferences /Duplex */
} vb_dinfo_t;

typedef struct vb_dlist {
    vb_arena_t *arena;    /* owns everything below */
    vb_dpage_t *pages;
    int npages, cap;
    vb_doutline_t *outline;
    int noutline, outline_cap;
    vb_dlabel_t *labels;
    int nlabels, labels_cap;
    vb_dinfo_t info;
} vb_dlist_t;

/* Appends an empty page; NULL on out-of-memory. Earlier page pointers may move. */
vb_dpage_t *vb_dlist_add_page(vb_dlist_t *dl, vb_len_t width, vb_len_t height);
/* Appends an item to a page; NULL on out-of-memory. */
vb_ditem_t *vb_dpage_add(vb_dlist_t *dl, vb_dpage_t *pg, vb_ditem_kind_t kind);
/* Moves an item by (dx, dy): a run's glyphs in place, a rule's both ends, a box's or an image's corner. */
void vb_ditem_move(vb_ditem_t *it, vb_len_t dx, vb_len_t dy);
int vb_dlist_add_outline(vb_dlist_t *dl, int level, const char *title, int page, vb_len_t y);
int vb_dlist_add_label(vb_dlist_t *dl, int first, int start, const char *prefix);

/* Writes a stable text dump of the display list (for tests) into a malloc'd string. */
vb_status_t vb_dlist_dump(const vb_dlist_t *dl, char **out, size_t *len);

#endif
