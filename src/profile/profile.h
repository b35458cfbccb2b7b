/*
 * profile.h - a layout profile: one official format as data.
 *
 * A profile file (layouts/<id>.yaml, schema 1) holds every value of a format:
 * page, margins, fonts, the header, title, closing and appendix blocks as
 * "bands" of templated text items, body and heading styles, tables, page
 * numbers, line and page breaking settings. profile.c reads and validates it;
 * layout.c interprets it. No format value lives in C.
 *
 * Templates: literal text with {field} placeholders. Fields: parent, issuer,
 * number, place, date (formatted by the profile's date rule), kind, title,
 * authority, post, name, authority2, post2, name2 (a second signer),
 * authority_line, urgency, secrecy, draft, circulation, footer_note, contact,
 * drafter, confirmation, page, label and title (appendix bands). An item
 * whose placeholders all resolve to empty text is skipped; an item whose
 * `when` condition fails is skipped too.
 */
#ifndef VB_PROFILE_H
#define VB_PROFILE_H

#include "base.h"
#include "model.h"

typedef struct vb_style {
    vb_len_t size;          /* font size */
    uint8_t face;           /* vb_face_t bits */
    bool underline;
    vb_align_t align;       /* LEFT, CENTER, RIGHT or JUSTIFY (never DEFAULT after loading) */
    vb_len_t leading;       /* baseline to baseline */
    vb_len_t space_before;
    vb_len_t space_after;
    vb_len_t indent;        /* first-line indent */
    vb_len_t hang;          /* indent of the lines after the first */
    bool uppercase;         /* print in capitals (used for nothing the author typed unless asked) */
    bool balance;           /* multi-line text: even line lengths, phrase breaks (breaking.phrase_breaks) */
    const char *split_at;   /* balanced text that wraps breaks after every word equal to this ("-": joint bodies) */
    int keep_with_next;     /* lines of the next block that must stay on the same page (headings) */
} vb_style_t;

typedef enum vb_rule_mode {
    VB_RULE_NONE = 0,
    VB_RULE_TEXT,           /* as long as the widest line of the item's text */
    VB_RULE_RATIO,          /* ratio (thousandths) of the widest line */
    VB_RULE_FIXED,          /* a fixed length */
    VB_RULE_FULL            /* the whole width of the column */
} vb_rule_mode_t;

/*
 * When an item is printed. All given conditions must hold; an empty
 * condition always holds. Fields are template field names ("kind", "to").
 */
typedef struct vb_pcond {
    const char **if_fields;     /* these fields must be present (non-empty) */
    int nif;
    const char **unless_fields; /* these fields must be absent */
    int nunless;
    const char **kinds;         /* the document's kind text must be one of these */
    int nkinds;
    const char **not_kinds;     /* ... and none of these */
    int nnot_kinds;
} vb_pcond_t;

typedef struct vb_prule {
    vb_rule_mode_t mode;
    int32_t ratio;          /* VB_RULE_RATIO, thousandths */
    vb_len_t length;        /* VB_RULE_FIXED */
    vb_len_t below;         /* distance from the last baseline of the item down to the rule */
    vb_len_t width;         /* stroke width */
    vb_len_t space_after;   /* extra space taken below the rule */
} vb_prule_t;

typedef enum vb_pitem_kind {
    VB_PITEM_TEXT = 1,      /* a template, wrapped inside the column */
    VB_PITEM_SPACE,         /* vertical space, optionally a named box (signature) */
    VB_PITEM_LIST           /* a list field (recipients), one entry per line group */
} vb_pitem_kind_t;

typedef struct vb_pitem {
    vb_pitem_kind_t kind;
    const char *text;       /* TEXT: template */
    vb_style_t style;
    const char *sync;       /* items with the same sync name share one baseline across columns */
    vb_prule_t rule;        /* a rule under the item */
    bool required;          /* error when the template resolves to empty */
    const char **require;   /* fields that must have a value whenever the item is printed */
    int nrequire;
    /* SPACE */
    vb_len_t height;
    const char *box;        /* NULL, or the name of a box recorded in the display list */
    /* LIST */
    const char *list;       /* "recipients", "to" (Kính gửi) or "bases" (căn cứ) */
    const char *marker;     /* "- " printed before each entry, wrapped lines hang after it */
    const char *single_marker; /* the marker when the list has one entry (NULL: as marker) */
    const char *separator;  /* appended to each entry that does not end in punctuation */
    const char *last_separator; /* appended to the last entry instead */
    const char *label;      /* printed before the first entry ("Kính gửi: "); entries hang after it */
    int label_face;         /* vb_face_t bits of the label; -1: the item's own */
    vb_pcond_t when;        /* all kinds: when the item is printed */
    /* its box in the display list (dlist.h) */
    const char *name;       /* NULL: the first field of its template or its list ("issuer", "recipients") */
    int official;           /* the regulation's box number (Party ô 1-13, state ô 1-14); 0: none */
    int signer;             /* SPACE with a box: the signer it is for, 0 = the first */
    const char *role;       /* SPACE with a box: the signer's role; NULL: the column's name */
    vb_pos_t pos;           /* where the item is written in the profile */
} vb_pitem_t;

typedef struct vb_pcolumn {
    vb_len_t x, width;      /* from the page's left edge */
    vb_pitem_t *items;
    int n;
    const char *name;       /* the column's name ("signer", "joint-left"), NULL: none */
    int official;           /* the regulation's box number of the whole column; 0: none */
} vb_pcolumn_t;

/*
 * `official_boxes:` one of the regulation's numbered boxes (ô) of its layout
 * diagram, named, for the preview's overlay and its legend (docs/preview.md).
 */
typedef struct vb_pofficial {
    int no;                 /* the box's number, 1-99, as items' `official:` */
    const char *name;       /* what the regulation calls it, "Tên cơ quan ban hành" (NFC) */
    bool body;              /* `body:` names it: the body's blocks (paragraphs, tables, images) fill it */
} vb_pofficial_t;

/* A band: columns set side by side from a common top. */
typedef struct vb_band {
    bool present;
    vb_len_t top;           /* absolute top from the page's top edge; -1 = where the flow is */
    vb_len_t bottom;        /* footers: absolute y of the band's bottom edge (e.g. 277mm); 0 otherwise */
    vb_len_t space_before;  /* flow bands: space above */
    vb_len_t space_after;   /* space below the band */
    vb_pcolumn_t *cols;
    int ncols;
} vb_band_t;

typedef struct vb_pagenum {
    bool present;
    int first;              /* first page (1-based) that shows its number */
    const char *format;     /* template, "{page}" */
    vb_style_t style;
    vb_len_t ink_top;       /* top of the digits' ink from the page's top edge */
} vb_pagenum_t;

typedef struct vb_ptable {
    vb_style_t cell;        /* body cells: size, leading, face */
    vb_style_t head;        /* head cells */
    vb_style_t numbers;     /* a row or cell marked {numbers}: the column numbers "(1) (2) (3)" */
    vb_style_t box;         /* a framed box's text */
    vb_len_t border;        /* stroke width of cell borders */
    vb_len_t pad_x, pad_top, pad_bottom;
    vb_len_t box_pad_x, box_pad_top, box_pad_bottom; /* a framed box's padding */
    vb_len_t space_before, space_after;
    bool repeat_head;
    int32_t keep_together;  /* thousandths of the page's text block height: a table at most this tall
                               is kept on one page; 0 never */
} vb_ptable_t;

/* Where a phrase rule applies to a break of balanced text (breaking.phrase_breaks). */
typedef enum vb_phrase_at {
    VB_PHRASE_AFTER = 0,    /* the words before the break are the phrase (one punctuation token: the word ends with it) */
    VB_PHRASE_BEFORE,       /* the words after the break are the phrase */
    VB_PHRASE_WITHIN        /* the break falls between two words of the phrase */
} vb_phrase_at_t;

typedef struct vb_pphrase {
    vb_phrase_at_t at;
    const char *text;       /* NFC, words separated by single spaces */
    int32_t cost;           /* em² of imbalance; negative: a preferred break */
} vb_pphrase_t;

typedef struct vb_pbreak {
    /* line breaking */
    int32_t space_stretch;  /* thousandths of the natural space, e.g. 500 (to 150 %) */
    int32_t space_shrink;   /* thousandths, e.g. 200 (to 80 %) */
    int32_t tolerance;      /* thousandths of adjustment ratio */
    int32_t line_penalty;
    int32_t fitness_demerits;
    int32_t loose_demerits;
    int32_t loose_ratio;    /* thousandths */
    bool greedy;            /* the greedy breaker instead of total fit */
    int32_t letter_space;   /* most letter-space added between two glyphs of a word, thousandths of an em (0: none) */
    int32_t letter_space_above; /* ... used only for what would stretch spaces beyond this, thousandths of natural */
    /* balanced text (style balance): the cost of a line of one short word, and the phrase rules */
    int32_t lone_word_cost;     /* em² */
    int lone_word_letters;      /* a word of at most this many letters is short */
    const vb_pphrase_t *phrases;
    int nphrases;
    /* page breaking */
    int orphans;            /* lines of a paragraph at the foot of a page */
    int widows;             /* lines at the head of a page */
    int closing_keep;       /* last body lines kept with the closing block */
    int lead_in_keep;       /* last lines of a paragraph ending in ':' kept with the block after it (0: none) */
    vb_len_t page_slack;    /* a page may end this far above its foot at no cost (paginate.c) */
} vb_pbreak_t;

typedef struct vb_pdate {
    const char *format;     /* "ngày {day} tháng {month} năm {year}" */
    int day_pad_below;      /* days below this get a leading zero (10) */
    int month_pad_below;    /* months below this get a leading zero (3) */
} vb_pdate_t;

/* How a document's sequence number is written (`number:`): by validate.c's check and by issuance. */
typedef struct vb_pnumber {
    int min_digits;         /* at least this many digits, with leading zeros: 2 gives "05", "10", "196"; 1: never
                               a leading zero; 0 (no `number:`): no rule, the number as typed or given */
} vb_pnumber_t;
/* The most digits `number.min_digits` may ask for. */
#define VB_NUMBER_MAX_DIGITS 6

/* Fields left blank until issuance: the width of the gap each is printed as. 0: not described. */
typedef struct vb_pblanks {
    vb_len_t number;        /* the sequence number: "Số:      /KH-UBND" */
    vb_len_t day;           /* "ngày      tháng 4 năm 2026" */
    vb_len_t month;         /* "tháng      năm 2026" */
} vb_pblanks_t;

/*
 * The fields of a signed-ready PDF (`signing:`, issue 12): empty signature
 * fields where the signatures go, and text fields over the gaps of a number
 * or a date left blank until issuance. Where they go is the layout's (the
 * signature boxes, the gaps); their names, labels and sizes are these.
 */
typedef struct vb_psignfield {
    const char *name;       /* the field's name (/T): ASCII letters, digits, '_' and '-'; NULL: no such field */
    const char *label;      /* what it is for the reader (/TU), Vietnamese */
    vb_len_t width, height; /* signer: the default box (clamped to the gap); seal: its diameter (width);
                               appendix: the box at the top right of its first page */
} vb_psignfield_t;

typedef struct vb_psigning {
    bool present;             /* `signing:` is given: the PDF is signed-ready */
    vb_psignfield_t signer;   /* one per signer, in the gap between the post and the name */
    vb_psignfield_t seal;     /* the body's seal, over the left part of the signer's box */
    int32_t seal_overlap;     /* how far into the signer's box the seal reaches from its left edge, thousandths */
    vb_psignfield_t appendix; /* the body's signature on each appendix's first page, top right */
    vb_psignfield_t number, day, month; /* text fields at the gaps (name and label only) */
    const char *next_signer;  /* the 2nd+ signer's (and appendix's) field names: name, this, n ("_": Sig_NguoiKy_2) */
    const char *in_appendix;  /* appendix n's copies of the text fields: name, this, n ("_PL": So_PL1) */
} vb_psigning_t;

typedef enum vb_numbering {
    VB_NUMBERING_ANY = 0,
    VB_NUMBERING_ARABIC,    /* "Phụ lục 1" (Party) */
    VB_NUMBERING_ROMAN      /* "Phụ lục I" (ND30) */
} vb_numbering_t;

typedef struct vb_pappendix {
    vb_numbering_t numbering; /* how appendix labels must be numbered (checked) */
    bool auto_landscape;    /* an appendix whose table is wider than the text block goes landscape */
    bool new_page;
    vb_band_t header;       /* repeated header on the first page of each appendix */
    vb_band_t title;        /* the label and title lines ({label}, {title}) */
    bool restart_page_numbers;
} vb_pappendix_t;

/* A document kind and its abbreviation in the number ("BÁO CÁO" -> "BC"). */
typedef struct vb_pkind {
    const char *name;
    const char *abbr;
} vb_pkind_t;

/* An issuing body whose abbreviation the format fixes ("ĐẢNG ỦY" -> "ĐU" under 05-HD). */
typedef struct vb_pbody {
    const char *prefix;     /* the issuer's name starts with this (NFC, as typed in capitals) */
    const char *abbr;       /* the number's body part must be this */
} vb_pbody_t;

typedef enum vb_number_form {
    VB_NUMBER_ANY = 0,
    VB_NUMBER_PARTY,        /* "196-BC/ĐUK": number "-" kind "/" body; never "Số" or ":" typed */
    VB_NUMBER_STATE         /* "15/QĐ-BNV": number "/" kind "-" body; công văn "05/BNV-VP" */
} vb_number_form_t;

/* Checks of the administrative fields against the format (validate.c). */
typedef struct vb_pvalidate {
    vb_number_form_t number;
    const char **signer_forms; /* allowed authority prefixes: "T/M", "K/T" ... or "TM.", "KT." ... */
    int nsigner_forms;
    vb_pkind_t *kinds;
    int nkinds;
    vb_pbody_t *bodies;
    int nbodies;
    const char **other_kinds;  /* kinds of the format without a fixed abbreviation (number.kind not checked) */
    int nother_kinds;
    vb_severity_t kind_unknown; /* kind.unknown: ERROR where the kinds are the regulation's whole list */
    const char *successor;     /* the profile in force after valid_until (profile.date names it) */
    const char *predecessor;   /* the profile in force before valid_from */
    const char *point_letters; /* the letters of điểm "a)", "b)" in order, separated by spaces (body.numbering);
                                  NULL: not checked */
    bool appendix_reference;   /* the body must refer to each appendix (appendix.reference) */
    const char **addressed_kinds;  /* kinds that name their recipients in `to:` ("CÔNG VĂN": no kind) ... */
    const char **addressed_labels; /* ... and the words printed before them ("Kính gửi", "Kính trình") */
    int naddressed;
    const char **printed_texts;    /* what the profile prints itself ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "NƠI NHẬN") ... */
    const char **printed_fields;   /* ... and the front matter's key it comes from ("recipients"; "-": none) */
    int nprinted;
    int title_case;            /* title.case: 0 any, 1 small first letter, 2 capital first letter, 3 normal
                                  case (not all capitals), for documents with a kind */
    int title_case_cv;         /* ... for a công văn (no kind) */
    const char **post_titles;  /* posts that hold a body's noun ("TRƯỞNG BAN"): what follows is a name (signer.post) */
    int npost_titles;
    /* regime.guess: a source without `profile:` read under this profile that looks like another regime's */
    const char *signs_profile;     /* what to write in `profile:` ("state"); NULL: no guess */
    const char **signs_issuers;    /* issuer name starts that are the other regime's ("ỦY BAN NHÂN DÂN", "SỞ") */
    int nsigns_issuers;
    const char **own_issuers;      /* issuer name starts of this regime ("ĐẢNG ỦY", "CHI BỘ"): never guessed away */
    int nown_issuers;
    vb_number_form_t signs_number; /* a number in this form is the other regime's sign */
} vb_pvalidate_t;

/*
 * What a document needs before it is issued (`fit:`, api/checking.c): the
 * kinds that take no trích yếu, the placeholder texts a draft must not keep
 * anywhere (substrings: "Nguyễn Văn A", "{{"), and the ones that are a
 * placeholder when they are a whole value or line ("…", "...").
 */
typedef struct vb_pfit {
    bool present;
    const char **untitled_kinds;
    int nuntitled_kinds;
    const char **placeholders;
    int nplaceholders;
    const char **values;
    int nvalues;
} vb_pfit_t;

/* Superscripts and subscripts (m^2^, Q~max~, footnote numbers), in thousandths of the text's size. */
typedef struct vb_pscript {
    bool present;           /* the profile has `script`; without it a script in the text is an error */
    int32_t size_ratio;     /* the script's size: 650 = 65 % of the text around it */
    int32_t rise;           /* superscript baseline raised by this much of the text's size */
    int32_t drop;           /* subscript baseline lowered by this much */
} vb_pscript_t;

/* Footnotes at the foot of the page, under a short rule. */
typedef struct vb_pfootnote {
    bool present;           /* the profile has `footnote`; without it a footnote is an error */
    vb_style_t style;       /* the notes' text (size, leading, indent ...) */
    vb_len_t rule_length;   /* the separator rule, from the text block's left edge */
    vb_len_t rule_width;
    vb_len_t space_before;  /* from the last line of text to the rule (at least) */
    vb_len_t space_after;   /* from the rule to the top of the first note */
    vb_len_t gap;           /* between two notes */
} vb_pfootnote_t;

typedef struct vb_profile {
    const char *id;         /* "party-36-2018" */
    const char *name;
    const char *regime;     /* "party" or "state" */
    const char *path;       /* file it was read from */
    vb_date_t valid_from;   /* documents dated from this day (0 = no bound) ... */
    vb_date_t valid_until;  /* ... to this day inclusive use this profile when the source names only the regime */
    vb_len_t page_width, page_height;
    vb_len_t margin_top, margin_bottom, margin_left, margin_right;
    bool has_duplex;        /* duplex printing is described: */
    vb_len_t duplex_left, duplex_right; /* even pages' left and right margins */
    const char **font_families;
    int nfont_families;
    vb_pdate_t date;
    vb_pnumber_t number;    /* `number:` */
    vb_pblanks_t blanks;    /* `blanks:` */
    vb_band_t header;       /* page 1 header */
    vb_band_t title;        /* kind, title, "-----" */
    vb_band_t closing;      /* Nơi nhận and the signer */
    vb_band_t closing_joint;/* two signers side by side ({authority2}, {post2}, {name2}); absent: closing */
    vb_band_t overlay;      /* page 1, at its own top, outside the flow (circulation note) */
    vb_band_t first_footer; /* page 1, anchored at `bottom` (ND30 box 13) */
    vb_band_t last_footer;  /* the page of the closing block, anchored at `bottom` (05-HD box 13, note) */
    vb_style_t body;        /* body paragraphs */
    vb_style_t headings[6]; /* "#" .. "######" */
    vb_style_t body_center; /* "-> x <-" paragraphs (absent: the body style centred, no indent) */
    vb_style_t body_right;  /* "-> x ->" paragraphs (absent: the body style right-aligned, no indent) */
    vb_pscript_t script;
    vb_pfootnote_t footnote;
    vb_ptable_t table;
    vb_pagenum_t page_number;
    vb_pbreak_t breaking;
    vb_pappendix_t appendix;
    vb_pvalidate_t validate;
    vb_pfit_t fit;          /* fit to issue (the issue.* rules) */
    vb_psigning_t signing;  /* `signing:` (optional) */
    vb_pofficial_t *official_boxes; /* `official_boxes:` in the order written; NULL: not given */
    int nofficial_boxes;
} vb_profile_t;

/*
 * Reads a profile file into arena. Unknown keys, wrong types, negative
 * lengths and missing required values are errors with file:line:col.
 */
vb_status_t vb_profile_load(vb_arena_t *arena, const char *path, vb_profile_t **out, vb_diag_t *d);
/* A profile file is at most this long (profile.too-large). */
#define VB_PROFILE_MAX_BYTES (1024 * 1024)
/* As vb_profile_load, from a buffer. */
vb_status_t vb_profile_parse(vb_arena_t *arena, const char *buf, size_t len, const char *source, vb_profile_t **out,
                             vb_diag_t *d);

#endif
