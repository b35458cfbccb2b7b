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

/* Where something was typed: file, 1-based line and column (characters as typed), end exclusive; 0: unknown. */
typedef struct vb_dspan {
    const char *file;     /* the source's name, or the profile's path for a profile's own text; NULL: nowhere */
    int line, col;
    int end_line, end_col;
} vb_dspan_t;

typedef struct vb_drun {
    int face;             /* vb_face_t: index into the document's fontset */
    vb_len_t size;
    const char *text;     /* UTF-8 NFC */
    size_t text_len;
    vb_dglyph_t *glyphs;
    int n;
    int32_t group;        /* the element it sets (dlist groups): its source span; 0: none */
} vb_drun_t;

typedef struct vb_drule {
    vb_len_t x1, y1, x2, y2; /* centre line of the stroke */
    vb_len_t width;          /* stroke width */
} vb_drule_t;

/* What a box holds: the same values as the public vb_box_kind_t (vanban.h). */
typedef enum vb_dbox_kind {
    VB_DBOX_TEXT_BLOCK = 1, /* the page's text block (inside the margins) */
    VB_DBOX_COLUMN,         /* a column of a band */
    VB_DBOX_ITEM,           /* one item of a band (the issuer, the number, ...) */
    VB_DBOX_PARAGRAPH,      /* a body block: paragraph, heading */
    VB_DBOX_LINE,           /* one line of text */
    VB_DBOX_TABLE,
    VB_DBOX_CELL,           /* one table cell (merged cells: one box) */
    VB_DBOX_FOOTNOTE,
    VB_DBOX_IMAGE,
    VB_DBOX_SIGNATURE,      /* one signer's signature */
    VB_DBOX_SEAL            /* where the seal goes */
} vb_dbox_kind_t;

/*
 * A rectangle with what it holds: the layout of the page as boxes (nothing is
 * drawn for them). Kept small, as every line has one: what the box is (its
 * name, the regulation's number, the signer, the source span) is in the
 * display list's table of groups, groups[group - 1] (vb_dbox_info reads it).
 * A group is an element (a paragraph, a cell, a band item, a column, a
 * table): vb_dlist_group_boxes adds, on each page, one box around the boxes
 * of each group there (a paragraph cut by a page break gets a box on each
 * page); outer is the column or table a box lies in.
 */
typedef struct vb_dbox {
    uint8_t kind;         /* vb_dbox_kind_t; 0: only extends its group (a cell's piece), removed by
                             vb_dlist_group_boxes */
    bool overfull;        /* lines: wider than the measure */
    int32_t space_permille; /* lines: inter-word space over the natural space, thousandths (1000: natural) */
    int32_t group;        /* groups[group - 1]: its element; 0: none (the kind names it) */
    int32_t outer;        /* the group of the column or table it lies in; 0: none */
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
    const char *unfit;    /* the fit-to-issue rules its source broke, "issue.signer_name issue.recipients":
                             /VanbanUnfit, and vanban issue refuses the PDF (api/checking.c) */
    int year, month, day, hour, minute, second; /* creation date, local; year 0: none (/CreationDate left out) */
    int tz_minutes;       /* offset from UTC, e.g. +420 */
    bool keep_hinting;    /* keep TrueType hinting in the embedded fonts */
    bool duplex;          /* laid out for two-sided printing: /ViewerPreferences /Duplex */
    bool pdfa;            /* written as PDF/A-2b (XMP, sRGB output intent, widget appearances) */
} vb_dinfo_t;

/*
 * A gap printed for a field left blank until issuance (band.c's blank_gap):
 * count no-break spaces, width wide, in the element's text. The element's
 * k-th run of exactly count no-break spaces is its k-th gap.
 */
typedef struct vb_dgap {
    char what;            /* 'n' the number, 'd' the day, 'm' the month; 0: none */
    uint8_t count;
    vb_len_t width;
} vb_dgap_t;

#define VB_DGROUP_GAPS 4

/* An element laid out (a group of boxes), or what one box is when direct. */
typedef struct vb_dgroup {
    vb_dbox_kind_t kind;
    const char *name;     /* the profile's name ("issuer", "signature") or the block kind ("paragraph") */
    int official;         /* the regulation's box number (Party ô 1-13, state ô 1-14), from the profile; 0: none */
    int index;            /* signature and seal boxes: the signer, 0 = the first; else -1 */
    const char *role;     /* signature boxes: "signer", "joint-left" (from the profile); else NULL */
    vb_dspan_t span;      /* where it was typed */
    int outer;            /* the group it lies in (a cell's table, an item's column), 0: none */
    bool direct;          /* describes one box (a signature, an image): no box is made around its members */
    vb_dgap_t gaps[VB_DGROUP_GAPS]; /* band items: the gaps of blank fields in its text, in order */
} vb_dgroup_t;

/* What a field of a signed-ready PDF is for (the public vb_field_role_t's values). */
typedef enum vb_dfield_role {
    VB_DFIELD_SIGNER = 1, /* a signer's signature, in the gap between the post and the name */
    VB_DFIELD_SEAL,       /* the body's signature, shown as its seal over the signer's box */
    VB_DFIELD_APPENDIX,   /* the body's signature on an appendix's first page, top right */
    VB_DFIELD_NUMBER,     /* a text field over the gap of the number left blank */
    VB_DFIELD_DAY,        /* ... of the day left blank */
    VB_DFIELD_MONTH       /* ... of the month left blank */
} vb_dfield_role_t;

/*
 * A field of a signed-ready PDF (sigfields.c): signature fields and the text
 * fields the văn thư fills at issuance. Lengths are whole points (multiples
 * of 1000), so that the PDF's /Rect and the sidecar say the same numbers.
 */
typedef struct vb_dfield {
    vb_dfield_role_t role;
    const char *name;     /* the PDF field name (/T), ASCII */
    const char *label;    /* its description (/TU), UTF-8 */
    int page;             /* 0-based */
    int index;            /* signer and seal: the signer (0 = first); appendix fields: the appendix (0 = first); else -1 */
    vb_len_t x, y, w, h;  /* top-left corner and size, on the page */
    vb_len_t size;        /* text fields: the size of the text around the gap (their /DA) */
} vb_dfield_t;

/* What a box is, read from its group (see vb_dbox_t). */
typedef struct vb_dboxinfo {
    const char *name;
    int official, index;
    const char *role;
    vb_dspan_t span;
} vb_dboxinfo_t;

typedef struct vb_dlist {
    vb_arena_t *arena;    /* owns everything below (after vb_dlist_own) */
    vb_dpage_t *pages;
    int npages, cap;
    vb_doutline_t *outline;
    int noutline, outline_cap;
    vb_dlabel_t *labels;
    int nlabels, labels_cap;
    vb_dinfo_t info;
    vb_dgroup_t *groups;  /* groups[id - 1] */
    int ngroups, groups_cap;
    vb_dfield_t *fields;  /* the fields of the signed-ready PDF (sigfields.c), in the order written */
    int nfields;
} vb_dlist_t;

/* Appends an empty page; NULL on out-of-memory. Earlier page pointers may move. */
vb_dpage_t *vb_dlist_add_page(vb_dlist_t *dl, vb_len_t width, vb_len_t height);
/* Appends an item to a page; NULL on out-of-memory. */
vb_ditem_t *vb_dpage_add(vb_dlist_t *dl, vb_dpage_t *pg, vb_ditem_kind_t kind);
/* Moves an item by (dx, dy): a run's glyphs in place, a rule's both ends, a box's or an image's corner. */
void vb_ditem_move(vb_ditem_t *it, vb_len_t dx, vb_len_t dy);
int vb_dlist_add_outline(vb_dlist_t *dl, int level, const char *title, int page, vb_len_t y);
int vb_dlist_add_label(vb_dlist_t *dl, int first, int start, const char *prefix);

/* A new group of boxes: its id (from 1), 0 on out-of-memory. The strings are used as they are. */
int vb_dlist_add_group(vb_dlist_t *dl, const vb_dgroup_t *g);

/*
 * What box b of dl is: its group's name, number, signer and role when the
 * group is of the box's kind (the group's own box, a signature); else the
 * kind's name ("line", "text-block") with the group's span.
 */
void vb_dbox_info(const vb_dlist_t *dl, const vb_dbox_t *b, vb_dboxinfo_t *out);
/* The kind's name: "text-block", "column", "item", "paragraph", "line", ... ("?" when unknown). */
const char *vb_dbox_kind_name(int kind);
/* Where run r's text was typed (its element's span). */
vb_dspan_t vb_drun_span(const vb_dlist_t *dl, const vb_drun_t *r);

/*
 * On every page, one box per group around its members there (boxes whose
 * group or outer is the id, and the groups inside it), appended to the
 * page's items: paragraphs, cells, tables, footnotes, band items and
 * columns. Boxes of kind 0 only stand for their group's extent (a piece of
 * a cell, an empty band item) and are removed. Returns 0, -1 on out-of-memory.
 */
int vb_dlist_group_boxes(vb_dlist_t *dl);

/*
 * Copies into dl->arena everything the display list refers to and does not
 * own yet (run texts, outline titles, Info strings, labels, box names, roles,
 * span file names, images), so that it outlives the model, the source text
 * and the profile. Returns 0, -1 on out-of-memory.
 */
int vb_dlist_own(vb_dlist_t *dl);

/* Writes a stable text dump of the display list (for tests) into a malloc'd string. */
vb_status_t vb_dlist_dump(const vb_dlist_t *dl, char **out, size_t *len);

#endif
