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

/* Line-breaking algorithm. Total fit is the default; greedy is kept for comparison. */
typedef enum vb_breaker {
    VB_BREAKER_DEFAULT = 0, /* as the profile says (total fit) */
    VB_BREAKER_TOTAL_FIT,
    VB_BREAKER_GREEDY
} vb_breaker_t;

typedef struct vb_render_options {
    size_t size;             /* sizeof(vb_render_options_t) */
    const char *profile;     /* profile id, path, or regime ("party", "state") overriding the source's;
                                NULL: from the source; a regime picks its profile by the document's date */
    vb_breaker_t breaker;
    int64_t creation_time;   /* seconds since the epoch for the PDF dates; -1: the source's date */
    int duplex;              /* non-zero: mirrored margins on even pages (as the profile's duplex margins) */
} vb_render_options_t;

/*
 * Renders the source file src_path to the PDF out_path. The PDF is written to a
 * temporary file in the same directory and renamed over out_path only when
 * complete, so a failed render leaves no output and an existing out_path intact.
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
