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
 *  - a render is one call: it reads a source, lays it out with a profile and
 *    writes one PDF. Everything it allocates is released before it returns.
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

#define VB_VERSION_STRING "0.1.0"

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

/*
 * A diagnostic: the failure class, a stable identifier ("frontmatter.missing",
 * "utf8.invalid", ...), the source file name, a 1-based line and column (0 when
 * the problem has no position) and one English sentence.
 */
typedef struct vb_diag {
    vb_status_t code;
    char id[48];
    char source[512];
    int line;
    int col;
    char msg[512];
} vb_diag_t;

/* Formats a diagnostic as "file:line:col: error: message [id]" into buf. */
VB_API void vb_diag_format(const vb_diag_t *d, char *buf, size_t size);

/* Formats a warning as "file:line:col: warning: message [id]" into buf. */
VB_API void vb_diag_format_warning(const vb_diag_t *d, char *buf, size_t size);

/* The library version, "0.1.0". */
VB_API const char *vb_version(void);

typedef struct vb_engine vb_engine_t;

typedef struct vb_engine_options {
    size_t size;              /* sizeof(vb_engine_options_t) */
    const char *layouts_dir;  /* where profiles live; NULL: the installed share/vanban/layouts */
    const char *fonts_dir;    /* a user's own fonts (e.g. Times New Roman); NULL: none. Takes precedence */
} vb_engine_options_t;

/*
 * Creates an engine. Fonts are found and opened lazily, once per family list,
 * the first time a profile asks for them. On failure *out is NULL.
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

typedef struct vb_render_options {
    size_t size;             /* sizeof(vb_render_options_t) */
    const char *profile;     /* profile id, path, or regime ("party", "state") overriding the source's;
                                NULL: from the source; a regime picks its profile by the document's date */
    vb_breaker_t breaker;
    int64_t creation_time;   /* seconds since the epoch for the PDF dates; -1: the source's date */
    int duplex;              /* non-zero: mirrored margins on even pages (as the profile's duplex margins) */
    /* Fields below were added later; a caller built with an older header passes a smaller size and gets their defaults. */
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
     * Called once per warning, with a diagnostic laid out as an error's (its
     * code is the class the error would have had); the library never prints.
     * NULL: warnings are dropped. vb_diag_format_warning formats one.
     */
    void (*on_warning)(const vb_diag_t *w, void *ctx);
    void *warning_ctx;       /* passed to on_warning */
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
} vb_render_options_t;

/*
 * Renders the source file src_path to the PDF out_path. The PDF is written to a
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

/* Pipeline stages that can be dumped as text for tests. */
typedef enum vb_stage {
    VB_STAGE_MODEL = 1, /* the document model after reading the source */
    VB_STAGE_PAGES      /* the display list: pages of positioned glyph runs and rules */
} vb_stage_t;

/*
 * Runs the pipeline up to a stage and returns its text dump in *out (NUL
 * terminated, *out_len bytes), allocated with malloc; the caller frees it.
 */
VB_API vb_status_t vb_dump_stage(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                                 vb_stage_t stage, const vb_render_options_t *opt, char **out, size_t *out_len,
                                 vb_diag_t *diag);

/* As vb_dump_stage, reading the source from a file. */
VB_API vb_status_t vb_dump_file(vb_engine_t *engine, const char *src_path, vb_stage_t stage,
                                const vb_render_options_t *opt, char **out, size_t *out_len, vb_diag_t *diag);

#ifdef __cplusplus
}
#endif
#endif
