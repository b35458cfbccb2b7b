/*
 * vanban.h - the public API of libvanban.
 *
 * vanban typesets Vietnamese official documents (Party documents under
 * Huong dan 36-HD/VPTW and 05-HD/VPTW, state documents under Nghi dinh
 * 30/2020/ND-CP) from Markdown with a YAML front matter straight to PDF.
 *
 * Two lifetimes (see docs/architecture.md):
 *  - the engine (vb_engine_t) lives for the process: it finds and opens the
 *    fonts once, caches layout profiles, and may be shared by any number of
 *    threads once built;
 *  - a document (vb_document_t) is one source laid out: ask it for pages,
 *    boxes, runs and warnings, write its PDF to a file, a writer or memory,
 *    free it. vb_render_file is the one-call form: everything it allocates is
 *    released before it returns.
 *
 * Ownership: what the library returns through a pointer to pointer (a
 * document: vb_document_free; a dump, a PDF in memory: vb_free) belongs to the
 * caller; every other pointer it returns (names, boxes, diagnostics) belongs
 * to the document or engine it came from and lives as long as it does.
 * Threads: see vb_engine_new and vb_document_new.
 *
 * The library never prints, never aborts, reads no environment variable and
 * has no global mutable state. Every failing call returns a vb_status_t and,
 * when the caller passes one, fills a vb_diag_t naming the file, line and
 * column of the problem.
 */
#ifndef VANBAN_H
#define VANBAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VB_BUILDING_LIBRARY) && defined(__GNUC__)
#define VB_API __attribute__((visibility("default")))
#else
#define VB_API
#endif

/*
 * Versions. The header's version is VB_VERSION_*; the library's, at run time,
 * vb_version() and vb_version_number(). A program checks once, at start-up,
 * that the library it was linked with can serve the header it was built
 * with: VB_VERSION_OK() (same major version, a minor version at least the
 * header's).
 */
#define VB_VERSION_MAJOR 1
#define VB_VERSION_MINOR 0
#define VB_VERSION_PATCH 0
#define VB_VERSION_STRING "1.0.0"
#define VB_VERSION_NUMBER (VB_VERSION_MAJOR * 10000 + VB_VERSION_MINOR * 100 + VB_VERSION_PATCH)
#define VB_VERSION_OK() vb_version_check(VB_VERSION_MAJOR, VB_VERSION_MINOR)

/* Status codes. VB_OK is 0; every other value is a failure class. */
typedef enum vb_status {
    VB_OK = 0,
    VB_E_NOMEM,   /* an allocation failed */
    VB_E_IO,      /* a file could not be read or written */
    VB_E_INPUT,   /* the source document is malformed */
    VB_E_PROFILE, /* the layout profile is missing or malformed */
    VB_E_FONT,    /* no usable font, or a character the fonts do not cover */
    VB_E_LAYOUT,  /* the document cannot be laid out (e.g. a block taller than a page) */
    VB_E_PDF,     /* the PDF writer failed */
    VB_E_LIMIT,   /* a configured limit was exceeded */
    VB_E_USAGE    /* the API was called with invalid arguments */
} vb_status_t;

/* How grave a diagnostic is: an error stops the document; a warning does not. */
typedef enum vb_severity {
    VB_SEVERITY_ERROR = 0,
    VB_SEVERITY_WARNING
} vb_severity_t;

/*
 * A diagnostic: the failure class, a stable rule identifier ("frontmatter.missing",
 * "utf8.invalid", ...), the source file name, a 1-based line and column (0 when
 * the problem has no position; columns count characters as typed in the file,
 * before any normalisation) and one sentence. The range ends at end_line:end_col
 * (exclusive; both 0 when the diagnostic points at one place). Where the
 * library knows a correction, has_fix is 1 and fix holds the text that should
 * replace the range (e.g. "KT. GIÁM ĐỐC"); fix_note says what it does;
 * fix_safe is 1 when the fix may be applied without a person looking at it
 * (vanban check --fix applies only those): it rewrites only what the rule
 * knows for certain (a missing leading zero), never a guess (the nearest
 * kind).
 *
 * The message and fix_note are in the language of the caller's locale
 * (LC_MESSAGES, LANGUAGE) when the program bound the text domain "vanban" to
 * its catalogues (bindtextdomain; the vanban programs do); else English. The
 * library sets no locale. The id is never translated.
 *
 * Every call of the library that takes a vb_diag_t * clears it first, so a
 * reused vb_diag_t never reports an earlier call's problem; after a failing
 * call it holds the first error.
 */
typedef struct vb_diag {
    vb_status_t code;
    char id[48];
    char source[512];
    int line;
    int col;
    char msg[512];
    vb_severity_t severity;
    int end_line;
    int end_col;
    int has_fix;
    char fix[256];
    char fix_note[160];
    int fix_safe;
} vb_diag_t;

/*
 * Receives each diagnostic of a render or an engine as it is found, errors
 * and warnings alike, in the order found; d is valid only during the call.
 * The library never prints: this is how a caller sees every problem of a
 * document in one run.
 */
typedef void (*vb_diag_fn)(const vb_diag_t *d, void *ctx);

/*
 * Formats a diagnostic as "file:line:col: error: message [id]" into buf, or
 * "... warning: ..." when its severity is VB_SEVERITY_WARNING. Without a
 * position: "file:line: ..." or "file: ...". Control characters in the file
 * name and the message are escaped (\n, \x01), so the text is one line.
 */
VB_API void vb_diag_format(const vb_diag_t *d, char *buf, size_t size);

/* Formats any diagnostic as a warning: "file:line:col: warning: message [id]" into buf. */
VB_API void vb_diag_format_warning(const vb_diag_t *d, char *buf, size_t size);

/*
 * As vb_diag_format, with flags: VB_DIAG_FORMAT_FIX appends, when the
 * diagnostic has a fix, a second line
 *   "  fix: replace with “05-BC/ĐUK” (the sequence number with its leading zero)"
 * (the note in brackets only when fix_note is set). Without a fix, or
 * without the flag, the text is vb_diag_format's.
 */
#define VB_DIAG_FORMAT_FIX 1u
VB_API void vb_diag_format_ex(const vb_diag_t *d, unsigned flags, char *buf, size_t size);

/* The library's version, "1.0.0", and as a number (10000 * major + 100 * minor + patch). */
VB_API const char *vb_version(void);
VB_API int vb_version_number(void);

/* Non-zero when this library serves a program built against header version major.minor. */
VB_API int vb_version_check(int major, int minor);

/* Frees memory the library returned to the caller (a dump, a PDF in memory). NULL is ignored. */
VB_API void vb_free(void *p);

typedef struct vb_engine vb_engine_t;

typedef struct vb_engine_options {
    size_t size;              /* sizeof(vb_engine_options_t) */
    const char *layouts_dir;  /* where profiles live; NULL: the installed share/vanban/layouts */
    const char *fonts_dir;    /* a user's own fonts (e.g. Times New Roman); NULL: none. Takes precedence */
    /*
     * Called with the engine's own warnings, such as a broken profile in the
     * layouts folder (skipped, so that the other profiles still serve: at the
     * scan or when first picked, see vb_engine_new), from the thread that
     * found it. NULL: they are dropped.
     */
    vb_diag_fn on_diagnostic;
    void *diagnostic_ctx;
} vb_engine_options_t;

/*
 * Creates an engine. Fonts are found and opened lazily, once per family list,
 * the first time a profile asks for them. The layouts folder is scanned on the
 * first render that needs it, reading of each profile only its head (regime,
 * valid_from, valid_until: the keys before its first other key); a profile is
 * compiled the first time a render picks it, once per engine. When is a
 * broken profile of the folder reported? One whose file or head cannot be
 * read is skipped with a warning (on_diagnostic) at the scan; one whose head
 * is fine but which does not compile is skipped with a warning, naming the
 * file and the position of its error, the first time the regime scan would
 * pick it (once per engine), and the next profile of the regime that covers
 * the date serves; named by its id, it is that render's error. A profile
 * that writes regime, valid_from or valid_until after its other keys is
 * skipped by the regime scan with a warning (profile.order). On failure *out
 * is NULL.
 *
 * opt may be NULL (every default). opt->size must be set to
 * sizeof(vb_engine_options_t) by the caller, and is read by the size rule of
 * vb_render_options_t: a smaller (older) struct is read up to its size, a
 * larger one only when the bytes the library does not know are 0 (else
 * VB_E_USAGE, "options.size"). A field left 0 or NULL takes its default.
 *
 * Threads: once vb_engine_new returns, the engine may be used by any number
 * of threads at once (every cache inside it is immutable once filled, or
 * guarded); vb_engine_free must be called once, after every document made
 * with it has been freed and no other call is using it.
 */
VB_API vb_status_t vb_engine_new(const vb_engine_options_t *opt, vb_engine_t **out, vb_diag_t *diag);
VB_API void vb_engine_free(vb_engine_t *engine);

/*
 * Line- and page-breaking algorithm. Total fit (and page breaks chosen over
 * the whole document) is the default; greedy, first fit for lines and for
 * pages, is kept for comparison.
 */
typedef enum vb_breaker {
    VB_BREAKER_DEFAULT = 0, /* as the profile says (total fit) */
    VB_BREAKER_TOTAL_FIT,
    VB_BREAKER_GREEDY       /* first fit: lines, and pages each as full as the keep rules allow */
} vb_breaker_t;

/*
 * Bounds on what one render may read and produce, so that a broken or hostile
 * source gets a clear error (VB_E_LIMIT, whose message names the limit and how
 * to raise it) instead of exhausting memory or time. A field left 0 takes its
 * default; src/base/limit.h gives each default and its reason. Each limit has a
 * name, used in the messages and by vb_limits_set (the CLI's --limit NAME=N).
 */
typedef struct vb_limits {
    int64_t source_bytes;      /* "source-bytes": the source file (default 16 MiB) */
    int64_t frontmatter_bytes; /* "frontmatter-bytes": the front matter (default 64 KiB) */
    int64_t pages;             /* "pages": pages of the PDF (default 5000) */
    int64_t table_cells;       /* "table-cells": cells of one table, head rows included (default 50000) */
    int64_t table_columns;     /* "table-columns": columns of one table (default 64) */
    int64_t nesting;           /* "nesting": block quotes and list items, or emphasis, one in another (default 32) */
    int64_t paragraph_chars;   /* "paragraph-chars": characters of one paragraph, heading or cell (default 100000) */
    int64_t image_pixels;      /* "image-pixels": width x height of one image (default 64 Mi) */
    int64_t image_bytes;       /* "image-bytes": one image file (default 32 MiB) */
    int64_t image_total_pixels; /* "image-total-pixels": width x height of all images together (default 64 Mi) */
} vb_limits_t;

/*
 * Sets the limit called name ("pages", "table-cells", ...) to value (at least
 * 1). VB_E_USAGE for an unknown name or a value below 1.
 */
VB_API vb_status_t vb_limits_set(vb_limits_t *limits, const char *name, int64_t value, vb_diag_t *diag);

/*
 * The i-th limit, from 0, for listing them: its name, its default and a short
 * description. Returns 0 past the last one.
 */
VB_API int vb_limits_info(int i, const char **name, int64_t *default_value, const char **what);

/*
 * The options of a render (or of laying out a document). opt may be NULL, or
 * point at a struct whose every field is 0: each field then takes its default.
 * size is sizeof(vb_render_options_t) as the caller's header knows it; the
 * library reads only that many bytes, so a program built against an older
 * header keeps working, and a size larger than the library's struct is
 * accepted only when the bytes the library does not know are all 0 (else
 * VB_E_USAGE, "options.size"). size 0 with other fields set is VB_E_USAGE.
 */
/* vb_render_options_t.fit: the fit-to-issue rules as warnings or as errors. */
#define VB_FIT_WARN 1
#define VB_FIT_STRICT 2

/* creation_time for 1970-01-01T00:00:00Z, the one time that 0 (the document's date) cannot give. */
#define VB_TIME_EPOCH INT64_MIN

typedef struct vb_render_options {
    size_t size;             /* sizeof(vb_render_options_t) */
    const char *profile;     /* profile id, path, or regime ("party", "state") overriding the source's;
                                NULL: from the source; a regime picks its profile by the document's date */
    vb_breaker_t breaker;    /* 0: the profile's (total fit) */
    /*
     * The PDF's /CreationDate and /ModDate, seconds since the epoch. 0: the
     * document's own date (its `date:` field, at 00:00 Vietnam time, +07:00; no
     * creation date when the day is left blank until issuance), so that a
     * render is reproducible. The library reads no clock and no environment.
     * VB_TIME_EPOCH: the epoch itself, 1970-01-01T00:00:00Z (which 0 cannot
     * say; SOURCE_DATE_EPOCH=0 in the CLI). Other negative values: as 0.
     */
    int64_t creation_time;
    int duplex;              /* non-zero: mirrored margins on even pages (as the profile's duplex margins) */
    vb_limits_t limits;      /* all 0: every default */
    /*
     * Called with the temporary file's path just before the file is created,
     * and with NULL once it has been renamed over the output or removed. The
     * library installs no signal handler; a caller that does can remove the
     * file from its handler (the vanban CLI copies the path into a static
     * buffer and unlinks it on SIGINT and SIGTERM). NULL: not called.
     */
    void (*on_tempfile)(const char *path, void *ctx);
    void *tempfile_ctx;      /* passed to on_tempfile */
    /*
     * Reproducing an issued document that breaks a format rule (a number
     * without its leading zero): non-zero, or `nonconforming: true` in the
     * source's front matter, prints the fields as typed and turns the format
     * errors of the fields (number.form, number.zero, number.kind,
     * number.body, signer.form, appendix.numbering) into warnings. 0: they
     * stay errors.
     */
    int allow_nonconforming;
    /*
     * Called with every diagnostic of the render, errors and warnings, as
     * found (see vb_diag_fn): a document with three wrong fields reports all
     * three in one run. NULL: the caller sees only the first error (in the
     * vb_diag_t it passes) and the document's warnings (vb_document_diag).
     */
    vb_diag_fn on_diagnostic;
    void *diagnostic_ctx;    /* passed to on_diagnostic */
    /*
     * A source reads its images and a `profile:` path only from its own
     * folder and the layouts folder; these folders (nallow_dirs of them) are
     * allowed too. Names are compared after every symbolic link is resolved,
     * so a link out of an allowed folder is refused; so is anything outside,
     * with the same message whether it exists or not (image.outside,
     * profile.outside). A folder that does not exist is io.allow-dir.
     * The caller's own `profile` (above) may be anywhere.
     */
    const char *const *allow_dirs;
    int nallow_dirs;
    /*
     * Non-zero: a PDF written to a file is flushed to the disk (fsync of the
     * file, then of its folder after the rename) before the call returns, so
     * it survives a power cut. The CLI sets it for a single render; a batch
     * of thousands of files leaves it 0 and syncs once.
     */
    int durable;
    /*
     * Signed-ready PDFs (docs/signing.md). A PDF gets an empty signature
     * field per signer, the body's seal field, one per appendix, and text
     * fields over a number or day left blank until issuance, as the profile's
     * `signing:` says. Non-zero: vb_document_save leaves them out (for
     * signing tools that add their own by coordinates).
     */
    int no_sign_fields;
    /*
     * A path: vb_document_save also writes the fields' rectangles there as
     * JSON (vb_document_fields_json), atomically, after the PDF and only when
     * the PDF was written; with no_sign_fields too. NULL: none.
     */
    const char *sign_boxes;
    /*
     * Non-zero, or `pdfa: true` in the source's front matter: the PDF is
     * PDF/A-2b (ISO 19005-2, level B, docs/pdfa.md): PDF 1.7, XMP metadata
     * agreeing with the document information, an sRGB output intent, an
     * (empty) appearance on every field. 0: the usual PDF.
     */
    int pdfa;
    /*
     * Fit to issue (the issue.* rules: a signer with a name, recipients, a
     * trích yếu where the kind takes one, no placeholder text such as
     * "Nguyễn Văn A" left; the profile's `fit:`): VB_FIT_WARN reports what
     * they find as warnings (vanban render and check do), VB_FIT_STRICT as
     * errors, so that such a document is refused (--strict). 0: not checked
     * (vb_check_buffer checks them as warnings then).
     */
    int fit;
} vb_render_options_t;

/* ---- documents ----
 *
 * A document is a source laid out once: its pages of positioned text, rules,
 * images and boxes, its warnings, and what is needed to write its PDF any
 * number of times (to a file, a caller's writer, or memory). It owns all its
 * memory: the source buffer may be freed once vb_document_new returns.
 *
 * Threads: a document is immutable once made; any number of threads may read
 * it and write its PDF at once. vb_document_free is called once, when no other
 * call is using it, before its engine is freed.
 */
typedef struct vb_document vb_document_t;

/*
 * Reads and lays out the source (len bytes, src_name naming it in
 * diagnostics) with the engine. On success *out is the document (free it with
 * vb_document_free). On failure *out is NULL, diag holds the first error, and
 * every error found was passed to opt->on_diagnostic.
 */
VB_API vb_status_t vb_document_new(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                   const vb_render_options_t *opt, vb_document_t **out, vb_diag_t *diag);

/* As vb_document_new, reading the source file (a regular file, never waited on). */
VB_API vb_status_t vb_document_new_file(vb_engine_t *engine, const char *src_path, const vb_render_options_t *opt,
                                        vb_document_t **out, vb_diag_t *diag);

VB_API void vb_document_free(vb_document_t *doc);

/* The warnings of the document (errors stop it being made), i from 0; NULL past the last one. */
VB_API int vb_document_diag_count(const vb_document_t *doc);
VB_API const vb_diag_t *vb_document_diag(const vb_document_t *doc, int i);

/* The profile the document follows, "party-36-2018" etc. */
VB_API const char *vb_document_profile(const vb_document_t *doc);

/*
 * The files the document was made from, i from 0; NULL past the last one:
 * 0 is the source's name (as given to vb_document_new, which for a buffer
 * need not be a file), 1 the profile file it followed (the layouts folder's
 * or the `profile:` path; "" when it was read from no file), then each image
 * it placed, as the source's folder plus the name the source wrote, in the
 * order placed (one name may come twice). A data file merged into a template
 * is the caller's own and is not listed. For a watcher (`vanban watch`):
 * these are the files whose change changes the document. Valid while the
 * document lives.
 */
VB_API const char *vb_document_input(const vb_document_t *doc, int i);

/* Lengths in the page API are millipoints (1/1000 pt) from the page's top-left corner, y downwards. */
typedef struct vb_page_info {
    int64_t width, height;
    const char *label;       /* the printed page number, NULL when none is printed */
    int nruns;               /* text runs on the page */
    int nboxes;              /* boxes on the page */
} vb_page_info_t;

VB_API int vb_document_page_count(const vb_document_t *doc);
/* Fills *out for page i (from 0); VB_E_USAGE for a page that does not exist. */
VB_API vb_status_t vb_document_page(const vb_document_t *doc, int i, vb_page_info_t *out);

/* Where something was typed: a file, 1-based lines and columns (characters as typed), end exclusive. */
typedef struct vb_srcspan {
    const char *file;        /* the source's name, or the profile's path for a profile's own text; NULL: nowhere */
    int line, col;
    int end_line, end_col;
} vb_srcspan_t;

/* What a box holds. */
typedef enum vb_box_kind {
    VB_BOX_TEXT_BLOCK = 1,   /* the page's text block (inside the margins) */
    VB_BOX_COLUMN,           /* a column of a band (the header's left and right columns, the signer's column) */
    VB_BOX_ITEM,             /* one item of a band: the issuer, the number, the place and date, the title... */
    VB_BOX_PARAGRAPH,        /* a body block: paragraph, heading, list item, quote */
    VB_BOX_LINE,             /* one line of text */
    VB_BOX_TABLE,
    VB_BOX_CELL,             /* one table cell (merged cells: one box) */
    VB_BOX_FOOTNOTE,
    VB_BOX_IMAGE,
    VB_BOX_SIGNATURE,        /* one signer's signature: the gap between the post and the name */
    VB_BOX_SEAL              /* where the body's seal goes */
} vb_box_kind_t;

typedef struct vb_box {
    vb_box_kind_t kind;
    const char *name;        /* the profile's name for it ("issuer", "number", "signer") or the block kind */
    int official;            /* the regulation's box number: Party ô 1-13, state ô 1-14; 0 for none */
    int index;               /* signature and seal boxes: the signer, 0 = the first; else -1 */
    const char *role;        /* signature boxes: "signer", "joint-left", "joint-right"...; else NULL */
    int64_t x, y, w, h;      /* top-left corner and size */
    vb_srcspan_t span;       /* what in the source (or the profile) made it */
    /* VB_BOX_LINE: the justification's inter-word space over the natural space, in thousandths
       (1000: natural), and whether the line is wider than its measure */
    int space_ratio_permille;
    int overfull;
} vb_box_t;

/* Box i (from 0) of page p; NULL when either does not exist. Valid while the document lives. */
VB_API const vb_box_t *vb_document_box(const vb_document_t *doc, int page, int i);

/* ---- fields of a signed-ready PDF (docs/signing.md) ---- */

typedef enum vb_field_role {
    VB_FIELD_SIGNER = 1, /* a signer's signature, between the post and the name ("signer") */
    VB_FIELD_SEAL,       /* the body's signature shown as its seal, over the signer's left third ("seal") */
    VB_FIELD_APPENDIX,   /* the body's signature on an appendix's first page, top right ("appendix") */
    VB_FIELD_NUMBER,     /* a text field over the number left blank until issuance ("number") */
    VB_FIELD_DAY,        /* ... over the day left blank ("date", part "day") */
    VB_FIELD_MONTH       /* ... over the month left blank ("date", part "month") */
} vb_field_role_t;

typedef struct vb_form_field {
    vb_field_role_t role;
    const char *name;        /* the PDF field name: "Sig_NguoiKy", "Sig_CoQuan_2", "So", "Ngay_PL1" */
    const char *label;       /* its description (/TU), UTF-8 */
    int page;                /* from 0 */
    int index;               /* signer and seal: the signer (0 = first); in an appendix: the appendix; else -1 */
    int64_t x, y, w, h;      /* top-left corner and size on the page, millipoints, whole points in PDF space */
    int64_t size;            /* text fields: the size of the text around the gap; else 0 */
} vb_form_field_t;

/* How many fields the document's PDF carries (0 when its profile has no `signing:`). */
VB_API int vb_document_field_count(const vb_document_t *doc);
/* Field i (from 0), in the order the PDF lists them; NULL out of range. Valid while the document lives. */
VB_API const vb_form_field_t *vb_document_field(const vb_document_t *doc, int i);
/* "signer", "seal", "appendix", "number", "date" (day and month); NULL for a value not listed. */
VB_API const char *vb_field_role_name(vb_field_role_t role);
/*
 * The fields as the JSON of `vanban render --sign-boxes` (docs/signing.md):
 * each with its name, role, page (from 1), the rectangle in PDF points from
 * the bottom-left corner ([llx, lly, urx, ury], as the PDF's /Rect) and from
 * the top-left corner ({left, top, width, height}), and the page's size.
 * *out is malloc'd (vb_free), NUL-terminated; *len without the NUL.
 */
VB_API vb_status_t vb_document_fields_json(const vb_document_t *doc, char **out, size_t *len, vb_diag_t *diag);

typedef struct vb_run {
    const char *text;        /* UTF-8 (NFC) of the run, not NUL-terminated */
    size_t text_len;
    int64_t x, y;            /* the first glyph's origin; y is the baseline */
    int64_t width;           /* advance of the whole run */
    int64_t size;            /* font size */
    const char *font;        /* the font's family and style, "Liberation Serif Bold" */
    int nglyphs;
    vb_srcspan_t span;       /* where the run's first character was typed */
} vb_run_t;

/* Fills *out with run i (from 0) of page p; VB_E_USAGE when either does not exist. */
VB_API vb_status_t vb_document_run(const vb_document_t *doc, int page, int i, vb_run_t *out);

/*
 * Writes the document's PDF through write(ctx, data, len), which returns 0 on
 * success; any other value stops the writing: VB_E_IO ("io.write"). The same
 * document always gives the same bytes.
 */
typedef int (*vb_write_fn)(void *ctx, const void *data, size_t len);
VB_API vb_status_t vb_document_write_pdf(const vb_document_t *doc, vb_write_fn write, void *ctx, vb_diag_t *diag);

/* The document's PDF in memory: *data (free it with vb_free) of *len bytes. */
VB_API vb_status_t vb_document_pdf(const vb_document_t *doc, void **data, size_t *len, vb_diag_t *diag);

/* ---- preview: a page as a PNG (docs/preview.md) ---- */

/* The resolution vb_document_png uses for dpi 0, and the range it accepts. */
#define VB_PNG_DPI_DEFAULT 96
#define VB_PNG_DPI_MIN 9
#define VB_PNG_DPI_MAX 600

/*
 * Writes page (from 0) of the document as an 8-bit RGB PNG through write (as
 * vb_document_write_pdf: a non-zero return stops it, VB_E_IO "io.write"),
 * drawn from the same display list as the PDF by a second backend (cairo):
 * the same glyphs at the same positions, rules and images, the page white.
 * The image is the page's size in points at dpi (0: VB_PNG_DPI_DEFAULT),
 * rounded up to whole pixels as pdftoppm does (A4 at 96 dpi: 794 x 1123).
 * VB_E_USAGE for a page that does not exist or a dpi outside
 * VB_PNG_DPI_MIN..VB_PNG_DPI_MAX. Any
 * number of threads may draw pages of one document at once. A program that
 * calls it links cairo and FreeType (the CLI does so only in vanban-preview).
 */
VB_API vb_status_t vb_document_png(const vb_document_t *doc, int page, int dpi, vb_write_fn write, void *ctx,
                                   vb_diag_t *diag);

/* How vb_document_png_ex draws a page. */
typedef struct vb_png_options {
    int dpi;                 /* 0: VB_PNG_DPI_DEFAULT */
    int overlay;             /* non-zero: the overlay of the page's boxes, with its legend (docs/preview.md) */
} vb_png_options_t;

/*
 * As vb_document_png, with options (NULL: the defaults, no overlay). With
 * overlay, the page is drawn as without it and over it: the text block and
 * its margins, the band columns, the regulation's numbered boxes (ô) in
 * their colours around the elements that fill them, the lines wider than
 * their measure (red) or very loose (orange), marked in the right margin; the
 * legend (every box of the profile's `official_boxes`: on this page, on which
 * other page, or empty in the whole document) on a panel to the right of the
 * page, so the image is wider by the panel (250 pt at dpi). Without overlay
 * the bytes are vb_document_png's.
 */
VB_API vb_status_t vb_document_png_ex(const vb_document_t *doc, int page, const vb_png_options_t *opt,
                                      vb_write_fn write, void *ctx, vb_diag_t *diag);

/*
 * The overlay of page (from 0) as text, one fact a line (docs/preview.md):
 * the text block, the columns, each numbered box drawn (its number, its
 * rectangle in millipoints before the drawing's inset, its colour), each
 * marked line, and the legend (each box: "here", "page=N" or "empty", its
 * name). *out is malloc'd (vb_free), NUL-terminated; *len (may be NULL)
 * without the NUL.
 */
VB_API vb_status_t vb_document_overlay_text(const vb_document_t *doc, int page, char **out, size_t *len,
                                            vb_diag_t *diag);

/*
 * Writes the PDF to out_path atomically (a temporary file in the same folder,
 * renamed when complete), as vb_render_file does; opt gives on_tempfile and
 * durable (may be NULL).
 */
VB_API vb_status_t vb_document_save(const vb_document_t *doc, const char *out_path, const vb_render_options_t *opt,
                                    vb_diag_t *diag);

/*
 * Renders the source file src_path to the PDF out_path: vb_document_new_file,
 * vb_document_save and vb_document_free in one call. The PDF is written to a
 * temporary file in the same directory and renamed over out_path only when
 * complete, so a failed render leaves no output and an existing out_path intact.
 * An out_path that is the source file itself (by any name) is refused with
 * io.same-file before anything is read or written; one that exists and is not
 * a regular file (a folder, a device, a FIFO) with io.output-kind, and left as
 * it is. The source, like every file the library reads, must be a regular
 * file: it is opened without blocking, so a FIFO is an error, never a wait.
 */
VB_API vb_status_t vb_render_file(vb_engine_t *engine, const char *src_path, const char *out_path,
                                  const vb_render_options_t *opt, vb_diag_t *diag);

/* As vb_render_file, from a buffer; src_name is used in diagnostics. */
VB_API vb_status_t vb_render_buffer(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                    const char *out_path, const vb_render_options_t *opt, vb_diag_t *diag);

/* ---- check: every finding of a source, fixes, JSON (docs/check.md) ---- */
/*
 * Checks a source as vb_render_buffer would make it (reading, validation, the
 * fit-to-issue rules, fonts, layout), writing nothing: every finding, errors
 * and warnings, goes to opt->on_diagnostic; diag holds the first error.
 * VB_OK when the source has no error (it may have warnings). The
 * fit-to-issue findings (issue.*) are warnings, errors with opt->fit
 * VB_FIT_STRICT.
 */
VB_API vb_status_t vb_check_buffer(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                   const vb_render_options_t *opt, vb_diag_t *diag);

/*
 * Applies the fixes of diags (n of them, as a check of src reported them) to
 * src (len bytes): each replaces its range with its fix text. Only the safe
 * ones (fix_safe), unless flags has VB_FIX_ALL. Where two ranges overlap, only
 * the first in the source is applied; all are applied from the end of the
 * text backward, so each range is where its diagnostic said. *out (free with
 * vb_free) is the new text, NUL-terminated, *out_len its length, *applied how
 * many fixes were applied (0: *out is a copy of src).
 */
#define VB_FIX_ALL 1u
VB_API vb_status_t vb_fixes_apply(const char *src, size_t len, const vb_diag_t *diags, int n, unsigned flags,
                                  char **out, size_t *out_len, int *applied, vb_diag_t *diag);

/*
 * Findings as one JSON document, for editors and CI (docs/check.md):
 * {"version": 1, "files": [the files checked], "errors": E, "warnings": W,
 *  "findings": [{"file", "line", "col", "end_line", "end_col", "severity"
 *  ("error" or "warning"), "id", "message", "fix" (null when none),
 *  "fix_note" (null when none), "fix_safe"}, ...]}. end_line:end_col is
 * exclusive, and equals line:col when the finding points at one place.
 * *out is NUL-terminated UTF-8; free it with vb_free.
 */
VB_API vb_status_t vb_diags_json(const vb_diag_t *diags, int n, const char *const *files, int nfiles, char **out,
                                 vb_diag_t *diag);

/* ---- batch: one template, a data file, one document per row ----
 *
 * A template is a vanban source with {{tags}} (docs/templates.md) in its front
 * matter, body and table rows. It is read and parsed once; each row of a data
 * file (CSV or JSON: docs/data-files.md) is merged into the parsed document,
 * never re-read as text, so a value is printed as given, whatever characters
 * it holds. Templates and data sets are immutable once made: any number of
 * threads may merge rows of them at once.
 */
typedef struct vb_template vb_template_t;
typedef struct vb_data vb_data_t;

/* Reads a data file: CSV or JSON, by its extension, else by its first byte. */
VB_API vb_status_t vb_data_read_file(const char *path, vb_data_t **out, vb_diag_t *diag);
/* As vb_data_read_file, from memory; name (e.g. "units.csv") picks the format by extension as a path would. */
VB_API vb_status_t vb_data_read_buffer(const char *buf, size_t len, const char *name, vb_data_t **out,
                                       vb_diag_t *diag);
VB_API int vb_data_row_count(const vb_data_t *data);
VB_API void vb_data_free(vb_data_t *data);
/*
 * The rows of data as text, one value a line with its kind, text, the file's
 * line:col and its path (docs/data-files.md; `vanban dump --stage=data`).
 * *out: NUL-terminated, *out_len bytes (out_len may be NULL); free with vb_free.
 */
VB_API vb_status_t vb_data_dump(const vb_data_t *data, char **out, size_t *out_len, vb_diag_t *diag);

/* Reads and parses a template once (the engine is used for its profiles and fonts). */
VB_API vb_status_t vb_template_new(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                   const vb_render_options_t *opt, vb_template_t **out, vb_diag_t *diag);
VB_API vb_status_t vb_template_new_file(vb_engine_t *engine, const char *src_path, const vb_render_options_t *opt,
                                        vb_template_t **out, vb_diag_t *diag);
VB_API void vb_template_free(vb_template_t *tpl);

/*
 * Merges row (0-based) of data into the template and lays the result out, as
 * vb_document_new would the same document typed by hand (the same PDF bytes).
 * Errors name the data file, the row and the column, and the template's
 * line:col; every one found is passed to opt->on_diagnostic. The document
 * shares the template's unchanged parts (texts, tables, images): free it
 * before the template. It keeps nothing of the data, which may be freed at once.
 */
VB_API vb_status_t vb_template_document(const vb_template_t *tpl, const vb_data_t *data, int row,
                                        const vb_render_options_t *opt, vb_document_t **out, vb_diag_t *diag);

/*
 * The document model of row (0-based) merged into the template, as the
 * stable text `vanban dump --stage=model` prints for a source (*out: free
 * with vb_free); `vanban dump --stage=merge` prints it.
 */
VB_API vb_status_t vb_template_dump(const vb_template_t *tpl, const vb_data_t *data, int row,
                                    const vb_render_options_t *opt, char **out, size_t *out_len, vb_diag_t *diag);

/*
 * A file name for row (0-based) from pattern ("{{ma_chi_bo}}-{{so}}.pdf"):
 * the values as given, with what could leave the output folder or trouble a
 * file system replaced (docs/templates.md says how). *out: free with vb_free.
 */
VB_API vb_status_t vb_data_file_name(const vb_data_t *data, int row, const char *pattern, char **out,
                                     vb_diag_t *diag);

/* ---- batch runner: many documents, worker threads, shards ----
 *
 * vb_batch_run makes and saves one document per row of a batch with worker
 * threads over one engine, whatever makes the documents: the caller gives a
 * make function (a row to a document: vb_template_document, or anything
 * else) and a name function (a row to its file name: vb_data_file_name).
 *
 *  - Names first. Every row's name is computed and checked before anything is
 *    made or written, over all rows (not only the shard's, so that every shard
 *    refuses the same collision): a name that is empty, ".", "..", starts with
 *    "." (hidden; the temporary files start so), holds "/", "\", a control
 *    character or invalid UTF-8, or is longer than 255 bytes is refused
 *    (batch.name-unsafe); two rows giving the same name, compared in
 *    capitals after NFC, as a case-insensitive file system (macOS, Windows)
 *    would see them, are refused (batch.name-duplicate); so is a name equal to
 *    the combined file's in the output folder. Then nothing is written.
 *  - A failing row fails alone: its file is not written, its first error is
 *    kept in the result, the other rows are written.
 *  - Each file is saved atomically (vb_document_save, a temporary file
 *    renamed), not flushed one by one: the folder is flushed once at the end.
 *    Each document is freed as soon as it is saved (and, with combine, added
 *    to the combined PDF in row order), so memory stays flat in the number of
 *    rows; only small per-row results are kept.
 *  - Deterministic: the bytes written never depend on the number of threads
 *    or on timing. Callbacks (progress, on_row) are called one at a time,
 *    never two at once, from whichever worker finished a row; progress's done
 *    only grows.
 */

/* A slice of the rows: the K-th (1-based) of N. */
typedef struct vb_batch_shard {
    int index;          /* K, 1 <= K <= count */
    int count;          /* N; 1/1: every row */
    /*
     * Where it came from: "" (none: every row), "--shard", "Kubernetes
     * (JOB_COMPLETION_INDEX, JOB_COMPLETIONS)", "Slurm (SLURM_ARRAY_TASK_ID,
     * _MIN, _COUNT)", "GNU parallel (PARALLEL_JOBSLOT, --shard-count)" or
     * "... VANBAN_SHARDS)".
     */
    char source[80];
} vb_batch_shard_t;

/* Looks up an environment variable (getenv-like): NULL when unset. The library reads no environment itself. */
typedef const char *(*vb_getenv_fn)(void *ctx, const char *name);

/*
 * The shard of this process: from flag ("K/N", the CLI's --shard) when not
 * NULL, else from the environment of the scheduler that runs it, looked up
 * through env (ctx passed on), in this order: Kubernetes Indexed Jobs
 * (JOB_COMPLETION_INDEX, 0-based, and JOB_COMPLETIONS, which the manifest
 * sets from spec.completions), Slurm job arrays (SLURM_ARRAY_TASK_ID,
 * SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT; a step other than 1 is
 * refused), GNU parallel (PARALLEL_JOBSLOT, 1-based, with the count from
 * count, the CLI's --shard-count, when above 0, else VANBAN_SHARDS). None of
 * them: 1/1. A value that is not a whole number, an index outside 1..N, an
 * index without its count, or a count without its index is VB_E_USAGE
 * ("batch.shard") naming the variable.
 */
VB_API vb_status_t vb_batch_shard(const char *flag, int count, vb_getenv_fn env, void *ctx, vb_batch_shard_t *out,
                                  vb_diag_t *diag);

/* The rows [*first, *end) of shard K of N over nrows rows: [floor((K-1)·n/N), floor(K·n/N)). */
VB_API void vb_batch_slice(int nrows, int index, int count, int *first, int *end);

/* Makes row's document (row from 0); on failure *out is NULL and d holds the first error. */
typedef vb_status_t (*vb_batch_make_fn)(void *ctx, int row, vb_document_t **out, vb_diag_t *d);
/* Gives row's file name (a name in the output folder, no folder part); *name is freed by the runner with vb_free. */
typedef vb_status_t (*vb_batch_name_fn)(void *ctx, int row, char **name, vb_diag_t *d);

/* What became of one row, for vb_batch_options_t.on_row. */
typedef struct vb_batch_row {
    int row;                  /* from 0 */
    vb_status_t status;       /* VB_OK: written */
    const char *name;         /* its file name */
    const char *path;         /* the file written (output folder + name); NULL when it failed */
    const vb_diag_t *diag;    /* the first error, when it failed; else NULL */
    const vb_document_t *doc; /* the document (its pages, warnings) when made; else NULL. Valid during the call */
} vb_batch_row_t;

typedef struct vb_batch_options {
    size_t size;              /* sizeof(vb_batch_options_t); read by the size rule of vb_render_options_t */
    int rows;                 /* rows of the batch (all of them, whatever the shard) */
    int jobs;                 /* worker threads; 0: the number of online cores (at most 256, at most the rows) */
    int shard_index, shard_count; /* the K-th of N slices (vb_batch_shard); 0, 0: every row */
    const char *out_dir;      /* the output folder; made (one level) when missing */
    vb_batch_make_fn make;
    vb_batch_name_fn name;
    void *ctx;                /* passed to make and name */
    /*
     * Non-NULL: also writes one PDF of the shard's rows that were written, in
     * row order, each row one outline entry (its file name) over its own
     * outline, pages numbered through; written atomically once every row is
     * done. Fonts are shared across the rows.
     */
    const char *combine;
    /* After each row (written or failed), serialised; done only grows. NULL: not called. */
    void (*progress)(void *ctx, int done, int total, int failed);
    void (*on_row)(void *ctx, const vb_batch_row_t *row);
    void *callback_ctx;       /* passed to progress and on_row */
    /* Saving: on_tempfile (called from the worker threads: one temporary file per thread at once). durable is ignored. */
    const vb_render_options_t *save;
} vb_batch_options_t;

/* A failed row: which, and its first error. */
typedef struct vb_batch_failure {
    int row;
    vb_diag_t diag;
} vb_batch_failure_t;

typedef struct vb_batch_result {
    int first, end;           /* the rows of the shard: [first, end) */
    int written;              /* files written */
    int failed;               /* rows that failed */
    vb_batch_failure_t *failures; /* failed of them, in row order (free with vb_batch_result_free) */
    int jobs;                 /* the worker threads used */
    int combined_pages;       /* pages of the combined PDF; 0 when none was written */
} vb_batch_result_t;

/*
 * Runs the batch. VB_OK when it ran, even when rows failed (res->failed says
 * how many; each is in res->failures); another status when it could not run
 * at all, and then nothing was written: bad options (VB_E_USAGE), names
 * refused (VB_E_INPUT, batch.name-*; every refused name was passed to on_row
 * first), an output folder that cannot be made (VB_E_IO); or, once the rows
 * were written, the combined PDF could not be (its status). res may be NULL.
 */
VB_API vb_status_t vb_batch_run(const vb_batch_options_t *opt, vb_batch_result_t *res, vb_diag_t *diag);
VB_API void vb_batch_result_free(vb_batch_result_t *res);

/* Pipeline stages that can be dumped as text for tests. */
typedef enum vb_stage {
    VB_STAGE_MODEL = 1, /* the document model after reading the source */
    VB_STAGE_PAGES      /* the display list: pages of positioned glyph runs and rules */
} vb_stage_t;

/*
 * Runs the pipeline up to a stage and returns its text dump in *out (NUL
 * terminated, *out_len bytes); free it with vb_free. A NULL engine, source or
 * out is VB_E_USAGE.
 */
VB_API vb_status_t vb_dump_stage(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                 vb_stage_t stage, const vb_render_options_t *opt, char **out, size_t *out_len,
                                 vb_diag_t *diag);

/* As vb_dump_stage, reading the source from a file. */
VB_API vb_status_t vb_dump_file(vb_engine_t *engine, const char *src_path, vb_stage_t stage,
                                const vb_render_options_t *opt, char **out, size_t *out_len, vb_diag_t *diag);

/* ---- signing: sign, issue and verify vanban's PDFs (docs/signing-workflow.md) ----
 *
 * Every call works on a PDF in memory and returns a new one: an incremental
 * update appended to the input's bytes, which are never changed, so every
 * earlier signature stays valid. Signatures are PAdES B-B: a detached CMS
 * (ETSI.CAdES.detached), SHA-256, with contentType, messageDigest and ESS
 * signing-certificate-v2 signed, no signing-time (the time is the signature
 * dictionary's /M), and the signer's whole chain. Times are shown in Vietnam
 * time (+07:00), as Nghi dinh 30 asks. The signing calls read only the PDFs
 * vanban writes (a classic cross-reference table, no encryption); anything
 * else is refused with sign.input. Errors have the stable ids listed in
 * docs/signing-workflow.md (sign.password, sign.key-mismatch, sign.field,
 * sign.signed, sign.token, sign.input, ...); an expired certificate is a
 * warning (sign.expired) handed to on_diagnostic.
 */

/*
 * Reads a whole file (a key, an image, a PDF) as the library reads its own
 * inputs: a regular file only (a FIFO or a device is refused, never waited
 * on), at most 2 GiB. *data: free with vb_free (NUL-terminated).
 */
VB_API vb_status_t vb_file_load(const char *path, void **data, size_t *len, vb_diag_t *diag);

/* Who signs: a key and its certificate chain, or a callback that signs a hash. */
typedef struct vb_signer vb_signer_t;

/* A PKCS#12 file (.p12/.pfx) in memory and its password ("" for none): sign.password when it is wrong. */
VB_API vb_status_t vb_signer_from_p12(const void *p12, size_t len, const char *password, vb_signer_t **out,
                                      vb_diag_t *diag);

/*
 * A key on a PKCS#11 token (a USB token or a smart card), through OpenSSL's
 * "pkcs11" engine (Debian: libengine-pkcs11-openssl). module is the token's
 * PKCS#11 library; the key is uri ("pkcs11:token=...;object=...") or
 * key_label on the token labelled token, or in slot (its ID, as
 * pkcs11-tool -L shows it), or without either on any token; the
 * certificate is the token's object of the same label unless cert_pem (a
 * file) is given. sign.token when the module, the token or the key cannot
 * be reached or the PIN is refused.
 */
typedef struct vb_pkcs11_options {
    size_t size;          /* sizeof(vb_pkcs11_options_t) */
    const char *module;   /* e.g. /usr/lib/softhsm/libsofthsm2.so */
    const char *uri;      /* a pkcs11: URI naming the key; or: */
    const char *token;    /* the token's label */
    const char *key_label;
    const char *pin;
    const char *cert_pem; /* the certificate (and chain) in a PEM file; NULL: from the token */
    const char *slot;     /* the slot's ID (decimal), instead of token */
} vb_pkcs11_options_t;
VB_API vb_status_t vb_signer_from_pkcs11(const vb_pkcs11_options_t *opt, vb_signer_t **out, vb_diag_t *diag);

/*
 * A remote signer (a signing service, a token driven by other software):
 * sign_hash is given the SHA-256 hash (32 bytes) of the signed attributes
 * and writes the signature (RSA PKCS#1 v1.5 over that hash, or ECDSA, DER)
 * into sig, at most *sig_len bytes, setting *sig_len; it returns 0, or
 * non-zero when it failed. The signature is checked against cert before it
 * is used (sign.key-mismatch). cert_der is the signer's certificate, chain
 * the others (DER each), copied.
 */
typedef int (*vb_sign_hash_fn)(void *ctx, const unsigned char *hash, size_t hash_len, unsigned char *sig,
                               size_t *sig_len);
VB_API vb_status_t vb_signer_external(const void *cert_der, size_t cert_len, const void *const *chain_der,
                                      const size_t *chain_len, int nchain, vb_sign_hash_fn sign_hash, void *ctx,
                                      vb_signer_t **out, vb_diag_t *diag);
VB_API void vb_signer_free(vb_signer_t *signer);

/* How to sign. Zero means the default for every member; size follows the size rule of docs/library.md. */
typedef struct vb_sign_options {
    size_t size;              /* sizeof(vb_sign_options_t) */
    const char *field;        /* the signature field; NULL: the first unsigned one (vb_pdf_issue: the seal's) */
    const void *image_png;    /* the signature's image (blue, transparent), centred in the field */
    size_t image_len;
    const void *seal_png;     /* the seal's image (red, transparent), at its real size (its pHYs; without one,
                                 as tall as the field), centred in the seal's own field, or over the left
                                 third of a wider one */
    size_t seal_len;
    const char *text;         /* a text appearance (an appendix: the parent number); the time is added */
    const char *reason;
    const char *location;
    int64_t time;             /* seconds since 1970; 0: now */
    size_t contents_size;     /* bytes kept for the CMS; 0: 16384 */
    vb_diag_fn on_diagnostic; /* warnings (an expired certificate); NULL: dropped */
    void *diagnostic_ctx;
} vb_sign_options_t;

/* Signs pdf (len bytes): *out (free with vb_free), *out_len bytes. */
VB_API vb_status_t vb_pdf_sign(const void *pdf, size_t len, vb_signer_t *signer, const vb_sign_options_t *opt,
                               void **out, size_t *out_len, vb_diag_t *diag);
/* As vb_pdf_sign, file to file; out is written to a temporary file and renamed, and only when all went well. */
VB_API vb_status_t vb_pdf_sign_file(const char *in_path, const char *out_path, vb_signer_t *signer,
                                    const vb_sign_options_t *opt, vb_diag_t *diag);

/*
 * Issuance: fills the number and date text fields left blank in the PDF
 * (number: the sequence number, "196" or "5", printed "196", "05" as the
 * document's profile says; date: "YYYY-MM-DD", whose year and month must
 * agree with the ones printed), as one incremental update, then signs the
 * body's seal field (opt->sign.field, or the profile's seal field, else the
 * last unsigned one), then each appendix's field with the parent's number
 * and the signing time, each signature its own update. The profile is the
 * one named in the PDF (/VanbanProfile), found through engine.
 */
typedef struct vb_issue_options {
    size_t size;              /* sizeof(vb_issue_options_t) */
    const char *number;
    const char *date;
    const vb_sign_options_t *sign; /* how to sign (the seal, the time, warnings); NULL: the defaults */
} vb_issue_options_t;
VB_API vb_status_t vb_pdf_issue(vb_engine_t *engine, const void *pdf, size_t len, vb_signer_t *signer,
                                const vb_issue_options_t *opt, void **out, size_t *out_len, vb_diag_t *diag);
VB_API vb_status_t vb_pdf_issue_file(vb_engine_t *engine, const char *in_path, const char *out_path,
                                     vb_signer_t *signer, const vb_issue_options_t *opt, vb_diag_t *diag);

/* What changed after a signature's revision. */
typedef enum vb_sig_changes {
    VB_SIG_UNCHANGED = 0,     /* it covers the whole file */
    VB_SIG_FORM_ONLY,         /* only form fields filled and signatures added since */
    VB_SIG_OTHER              /* anything else (pages, content, catalog) changed since */
} vb_sig_changes_t;

typedef struct vb_sig_info {
    char field[128];          /* the field's name */
    char signer[256];         /* the signer certificate's common name */
    char subject[512];        /* its whole distinguished name */
    char time[32];            /* /M as ISO 8601, "2026-12-05T09:30:00+07:00" */
    char subfilter[40];       /* "ETSI.CAdES.detached", ... */
    int valid;                /* 1: the bytes and the signature check; 0: not */
    int trusted;              /* 1/0: the chain reaches a trusted root; -1: not checked (no roots given) */
    int whole;                /* 1: the byte ranges cover the whole file */
    int signing_time_attr;    /* 1: the CMS has a signing-time attribute (PAdES forbids it) */
    vb_sig_changes_t changes;
    char problem[256];        /* why it is not valid, or what changed; "" */
} vb_sig_info_t;

typedef struct vb_verify_result {
    int count;                /* signatures */
    vb_sig_info_t *sigs;      /* in the order signed */
    int unsigned_fields;      /* empty signature fields */
} vb_verify_result_t;

/*
 * Checks every signature of pdf. roots_pem (may be NULL): trusted root
 * certificates, PEM, to check each chain against. Returns VB_OK when the
 * file could be read (each signature's own result is in *out, free with
 * vb_verify_result_free), an error when it could not.
 */
VB_API vb_status_t vb_pdf_verify(const void *pdf, size_t len, const char *roots_pem, vb_verify_result_t **out,
                                 vb_diag_t *diag);
VB_API void vb_verify_result_free(vb_verify_result_t *res);

/* ---- text pasted in the old Vietnamese encodings (docs/paste.md) ---- */
typedef enum vb_legacy {
    VB_LEGACY_AUTO = 0, /* find which (vb_legacy_detect) */
    VB_LEGACY_TCVN3,    /* TCVN 5712:1993 VN3, "ABC": .VnTime fonts ("Bé Y tÕ" for "Bộ Y tế") */
    VB_LEGACY_VNI,      /* VNI-Windows: VNI-Times fonts ("Coäng hoøa" for "Cộng hòa") */
    VB_LEGACY_VIQR      /* ASCII ("Vie^.t Nam" for "Việt Nam", RFC 1456) */
} vb_legacy_t;

/*
 * Converts text (len bytes) typed in an old encoding to Unicode (UTF-8, NFC).
 * text is what a paste gives, UTF-8 whose characters up to U+00FF stand for
 * the legacy bytes, or the legacy file's bytes themselves. TCVN3 capitals
 * with tone marks (typed in a capital font) come out as capitals in a line
 * of capitals. from VB_LEGACY_AUTO: the encoding is found by the score of
 * vb_legacy_detect; none found is an error ("paste.none"). *out: malloc'd,
 * NUL-terminated, *out_len bytes (may be NULL); free with vb_free.
 */
VB_API vb_status_t vb_convert_legacy(const char *text, size_t len, vb_legacy_t from, char **out, size_t *out_len,
                                     vb_diag_t *diag);
/* The old encoding text is in, judged by how many of its words become Vietnamese syllables; VB_LEGACY_AUTO: none. */
VB_API vb_legacy_t vb_legacy_detect(const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
