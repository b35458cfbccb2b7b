/*
 * model.h - the document model: what the source says, before any layout.
 *
 * Produced by the readers (frontmatter.c, input_md.c, tablesrc.c), consumed by
 * layout.c. All text is valid UTF-8 in NFC with no control characters except
 * '\n' inside a span (a hard line break the author typed). Everything lives in
 * the document's arena.
 */
#ifndef VB_MODEL_H
#define VB_MODEL_H

#include "base.h"

/* A position in the source, 1-based; 0 when unknown. */
typedef struct vb_pos {
    int line;
    int col;
} vb_pos_t;

/* A run of text in one face. '\n' inside text is a forced line break. */
typedef struct vb_span {
    const char *text;
    size_t len;
    uint8_t face; /* vb_face_t bits: 1 bold, 2 italic; and the VB_SPAN_ bits */
} vb_span_t;

/* Bits of vb_span_t.face above the two vb_face_t bits. */
#define VB_SPAN_SUPER 4   /* superscript (m^2^): smaller and raised, as the profile's `script` says */
#define VB_SPAN_SUB 8     /* subscript (Q~max~): smaller and lowered */
#define VB_SPAN_NOTE 16   /* a footnote reference [^x] (with SUPER): text is its number, model.notes[number - 1] */

/* Inline content: a sequence of spans. */
typedef struct vb_inline {
    vb_span_t *spans;
    int n;
} vb_inline_t;

typedef enum vb_align {
    VB_ALIGN_DEFAULT = 0, /* as the style says */
    VB_ALIGN_LEFT,
    VB_ALIGN_CENTER,
    VB_ALIGN_RIGHT,
    VB_ALIGN_JUSTIFY
} vb_align_t;

/*
 * What a style marker ("{normal center}" after a row, at the start of a cell)
 * changes in a cell's style; the row's marker first, the cell's on top.
 */
typedef struct vb_cellfmt {
    int8_t bold, italic;  /* -1: as the style says; 0 off; 1 on */
    vb_align_t align;     /* VB_ALIGN_DEFAULT: as the column or style says */
    bool numbers;         /* "{numbers}": the profile's column-number style (table.numbers) */
} vb_cellfmt_t;

/* One cell of a table grid. Cells covered by a span have covered = true. */
typedef struct vb_cell {
    vb_inline_t text;
    int colspan, rowspan; /* >= 1 for an origin cell */
    vb_align_t align;     /* from the column's delimiter; VB_ALIGN_DEFAULT if none */
    bool covered;         /* part of another cell's span; text is empty */
    vb_cellfmt_t fmt;     /* the markers of its row and its own */
    vb_pos_t pos;
} vb_cell_t;

/* A width the writer gave a column in the delimiter row ("---- 30%", "--- 25mm"). */
typedef enum vb_colwidth_kind {
    VB_COLW_AUTO = 0,     /* none: chosen from the content */
    VB_COLW_LEN,          /* v in millipoints */
    VB_COLW_PCT           /* v in thousandths of the text block's width (30% = 300) */
} vb_colwidth_kind_t;

typedef struct vb_colwidth {
    vb_colwidth_kind_t kind;
    int64_t v;
    vb_pos_t pos;         /* where it is written */
} vb_colwidth_t;

typedef struct vb_table {
    int nrows, ncols;
    int nhead;            /* the first nhead rows are the head, repeated on each page */
    vb_cell_t *cells;     /* nrows * ncols, row-major */
    vb_align_t *col_align;/* ncols */
    vb_colwidth_t *col_width; /* ncols; NULL when no column has a given width */
    int keep;             /* "{keep}" 1, "{split}" -1 on the delimiter row; 0: as the profile says */
    bool box;             /* a framed box: one-cell rows without a delimiter row, set as one cell */
    vb_pos_t delim_pos;   /* the delimiter row */
    vb_pos_t pos;
} vb_table_t;

#define VB_CELL(t, r, c) (&(t)->cells[(size_t)(r) * (size_t)(t)->ncols + (size_t)(c)])

typedef enum vb_block_kind {
    VB_BLOCK_PARA = 1,    /* a body paragraph */
    VB_BLOCK_HEADING,     /* level 1..6 from "#".."######" */
    VB_BLOCK_TABLE,
    VB_BLOCK_PAGEBREAK,   /* a line holding only "\pagebreak" */
    VB_BLOCK_IMAGE        /* a paragraph holding only an image: ![alt](file.png "40mm") */
} vb_block_kind_t;

typedef struct vb_block {
    vb_block_kind_t kind;
    int level;            /* headings: 1..6 */
    vb_inline_t text;     /* paragraphs and headings */
    vb_align_t align;     /* paragraphs: CENTER ("-> x <-") or RIGHT ("-> x ->") when marked, else DEFAULT */
    vb_table_t *table;    /* tables */
    struct vb_image *image; /* images (image.h) */
    vb_pos_t pos;
} vb_block_t;

typedef struct vb_blocks {
    vb_block_t *v;
    int n;
} vb_blocks_t;

/* An appendix: "# PHỤ LỤC 1" followed by title heading lines, then blocks. */
typedef struct vb_appendix {
    bool landscape;       /* a line "\landscape" in the appendix asked for landscape pages */
    bool nolabel;         /* a line "\nolabel" in the appendix: the label line is not printed, only the title */
    vb_inline_t label;    /* "PHỤ LỤC 1" as typed */
    vb_inline_t *title;   /* title lines as typed (each one heading line) */
    int ntitle;
    vb_blocks_t blocks;
    vb_pos_t pos;
} vb_appendix_t;

/* A text field from the front matter, with where it was written. */
typedef struct vb_field {
    const char *text;     /* NULL when absent; may contain '\n' (author's line breaks) */
    vb_pos_t pos;
    vb_inline_t in;       /* list entries (recipients, to, bases): the entry read as inline Markdown
                             (bold, italic, m^2^, Hg~10~), and text is then its plain text; empty elsewhere */
} vb_field_t;

typedef struct vb_date {
    int year, month, day; /* 0 when absent; a front-matter date may leave day, or day and month, 0:
                             blank until the document is issued ("date: 2026-04", "date: 2026") */
    vb_pos_t pos;
} vb_date_t;

typedef struct vb_signer {
    vb_field_t authority; /* "T/M ĐẢNG ỦY" */
    vb_field_t post;      /* "BÍ THƯ" */
    vb_field_t name;      /* "Trần Văn Hải" */
} vb_signer_t;

/*
 * The administrative fields of the front matter. The fields of fields.def
 * (texts, lists, booleans) are made from its entries; the rest is read by
 * its own code in frontmatter.c.
 */
typedef struct vb_meta {
#define VB_META_TEXT(key, member, use) vb_field_t member;
#define VB_META_LIST(key, member, scalar, item) \
    vb_field_t *member;                         \
    int n##member;                              \
    vb_pos_t member##_pos;
#define VB_META_BOOL(key, member) \
    bool member;                  \
    vb_pos_t member##_pos;
#include "fields.def"
    bool number_blank;    /* the sequence number is left blank for the văn thư to fill at issuance */
    vb_date_t date;
    vb_signer_t signer;     /* signers[0] */
    vb_signer_t *signers;   /* all signers; joint documents have 2 */
    int nsigners;
    bool line_paragraphs;   /* line_breaks: paragraphs -- every source line of the body is a paragraph */
} vb_meta_t;

/* ---- the table of the front matter's keys (fields.def; the table and its functions: input.h) ---- */
typedef enum vb_meta_kind {
    VB_META_KIND_TEXT,
    VB_META_KIND_LIST,
    VB_META_KIND_BOOL,
    VB_META_KIND_OTHER
} vb_meta_kind_t;

/* What a list field makes of a single text instead of a list. */
typedef enum vb_meta_scalar {
    VB_META_SCALAR_REFUSED, /* bases: a list only */
    VB_META_SCALAR_LINES,   /* recipients: one entry per line */
    VB_META_SCALAR_ONE      /* to: the whole text is one entry */
} vb_meta_scalar_t;

typedef struct vb_meta_key {
    const char *key;
    vb_meta_kind_t kind;
    bool printed;           /* TEXT: a template field {key} of the bands; the fonts must cover it */
    vb_meta_scalar_t scalar; /* LIST */
    const char *item;       /* LIST: what the dump calls one entry */
    size_t off;             /* TEXT, LIST, BOOL: offsetof the member in vb_meta_t */
    size_t off_n, off_pos;  /* LIST: of its count; LIST, BOOL: of its position */
} vb_meta_key_t;

/* A footnote: "[^x]: text" in the body; numbered in the order of first reference. */
typedef struct vb_footnote {
    const char *label;    /* "x" as typed */
    vb_inline_t text;
    vb_pos_t pos;         /* the definition */
    vb_pos_t ref;         /* the first reference */
} vb_footnote_t;

typedef struct vb_model {
    const char *source;   /* source name for diagnostics */
    vb_meta_t meta;
    vb_blocks_t body;
    vb_appendix_t *appendices;
    int nappendices;
    vb_footnote_t *notes; /* referenced footnotes, notes[k] is number k + 1 */
    int nnotes;
    bool template_body;   /* read as a batch template's body: a line holding only a section tag's
                             placeholder (merge/tags.h) is a block of its own */
} vb_model_t;

#endif
