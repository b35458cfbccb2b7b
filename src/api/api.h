/*
 * api.h - what the modules of the public API (src/api/) share: the engine's
 * insides and the steps of a render that live in their own modules.
 *
 *   engine.c    the engine: options, fonts opened once per family list
 *   catalog.c   the layout profiles: the regime scan, a profile by id, path or regime and date
 *   coverage.c  every character that can be printed is in the fonts
 *   render.c    the render pipeline (a source to a document) and the public render and dump calls
 *   tmpl.c      batch templates: read once, merged with a data row into a document; file names from patterns
 *   document.c  the document handle: pages, boxes, runs, warnings, its PDF to a writer, memory or file
 *   batch.c     the batch runner: names checked first, worker threads, shards, the combined PDF
 *   checking.c  vanban check: a source checked without a PDF, the fit-to-issue rules, fixes, JSON
 */
#ifndef VB_API_H
#define VB_API_H

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "dlist.h"
#include "font.h"
#include "input.h"
#include "merge.h"
#include "profile.h"

typedef struct fontcache {
    char *key;            /* the family list joined with '\n' */
    vb_fontset_t *fs;
    struct fontcache *next;
} fontcache_t;

/*
 * A profile of the layouts folder (catalog.c). The regime scan reads only its
 * head (regime, valid_from, valid_until: the keys before its first other
 * key); it is compiled the first time a render picks it, once per engine,
 * under its own lock, into its own arena, and never written again.
 */
typedef struct profinfo {
    const char *path;     /* layouts_dir/name.yaml, malloc'd */
    char regime[8];       /* "party" or "state", from the head */
    int from, until;      /* yyyymmdd from the head; 0 and 99999999 when open */
    pthread_mutex_t lock; /* guards what follows */
    int state;            /* 0 not compiled yet, 1 compiled, -1 does not compile (err) */
    bool head_ok;         /* the compiled profile agrees with its head: the regime scan may pick it */
    bool warned;          /* the engine's warning for it was given */
    vb_diag_t err;        /* state -1, or !head_ok: why */
    vb_pos_t stop;        /* where the scan stopped reading: the first key after the head */
    char stop_key[64];
    const vb_profile_t *profile;
    vb_arena_t *arena;    /* owns the profile */
    struct profinfo *next;
} profinfo_t;

struct vb_engine {
    char *layouts_dir;
    char *fonts_dir;
    pthread_mutex_t lock;
    fontcache_t *fonts;
    profinfo_t *profiles; /* the scanned heads, on first use; the list is immutable once scanned is set */
    bool scanned;
    vb_diag_fn on_diag;   /* the engine's own warnings (a profile skipped); NULL: dropped */
    void *diag_ctx;
};

/* What the page API shows of one page of the display list (document.c). */
typedef struct vb_docpage {
    int *runs;            /* the page's items that are text runs, in order */
    int nruns;
    vb_box_t *boxes;      /* its boxes, mapped from the display list's */
    int nboxes;
} vb_docpage_t;

/*
 * A document: everything one render made, in one arena. The display list
 * still points into the model (its text and images), so the arena holding
 * both lives as long as the document; the source buffer is not kept.
 */
struct vb_document {
    vb_arena_t *arena;    /* owns all below except diags */
    const char *name;     /* the source's name, copied */
    vb_model_t model;
    const vb_profile_t *profile; /* the engine's compiled profile, or one parsed into arena */
    const vb_fontset_t *fonts; /* the engine's */
    vb_dlist_t dl;
    vb_docpage_t *pages;  /* dl.npages of them */
    vb_form_field_t *fields; /* dl.nfields of them, mapped (fields.c) */
    const char *font_names[VB_NFACES]; /* "Liberation Serif Bold" */
    vb_diag_t *diags;     /* the warnings, malloc'd (grown as they come) */
    int ndiags, cap_diags;
    bool diags_nomem;     /* a warning could not be kept */
    vb_diag_fn user_fn;   /* the caller's on_diagnostic, each warning passed on */
    /* while the model's positions are the prepared text's (render.c, doc_diag) */
    const vb_textmap_t *map;
    bool map_live;
    const vb_merge_t *merge; /* a merged document (api/tmpl.c): names the data in diagnostics */
    bool first_seen;      /* first: the render's first error, where it was typed */
    vb_diag_t first;
    void *user_ctx;
};

/* The public copies of the display list's fields (fields.c), for vb_document_field. */
vb_status_t vb_document_index_fields(vb_document_t *doc, vb_diag_t *d);

/* The vb_diag_t a public call fills: the caller's, cleared (a reused one never shows an earlier call's error), or local. */
#define VB_CLEAR_DIAG(d, local)          \
    do {                                 \
        if (!(d))                        \
            (d) = &(local);              \
        memset((d), 0, sizeof *(d));     \
    } while (0)

/*
 * The render options as the library knows them: opt's first opt->size bytes
 * (NULL: every default), checked by the size rule of vb_render_options_t
 * (render.c). d is not cleared.
 */
vb_status_t vb_render_options_read(const vb_render_options_t *opt, vb_render_options_t *out, vb_diag_t *d);

/*
 * Runs the pipeline (render.c) into doc (zeroed by the caller): up to the
 * model only, or to the display list. opt is as vb_render_options_read made
 * it. Every warning goes to vb_document_warn. On failure doc->arena may be set:
 * vb_document_free releases it.
 */
vb_status_t vb_document_run_pipeline(vb_engine_t *e, const char *src, size_t len, const char *name,
                                     const vb_render_options_t *opt, bool model_only, vb_document_t *doc,
                                     vb_diag_t *d);

/*
 * The folders a render may read images and a profile from besides the
 * source's own (render.c): the layouts folder and opt's allowed folders, each
 * as its real path, in arena.
 */
vb_status_t vb_render_loader(const vb_engine_t *e, const vb_render_options_t *opt, vb_arena_t *arena, vb_loader_t *ld,
                             vb_diag_t *d);

/*
 * Makes doc->model (positions as typed; doc->arena and doc->name are set)
 * for vb_document_run_model: every fault it can go on after through sink,
 * a fatal one into d.
 */
typedef vb_status_t (*vb_model_fn)(void *ctx, vb_document_t *doc, const vb_limits_t *lim, const vb_loader_t *ld,
                                   vb_sink_t *sink, vb_diag_t *d);

/*
 * As vb_document_run_pipeline, with the model made by make(ctx, ...)
 * instead of read from a source (a template merged with a data row); the
 * stages after it are the same.
 */
vb_status_t vb_document_run_model(vb_engine_t *e, vb_model_fn make, void *ctx, const char *name,
                                  const vb_render_options_t *opt, bool model_only, vb_document_t *doc, vb_diag_t *d);

/*
 * Reads a source file for a render or a dump into *buf (malloc'd), refusing
 * one over opt's source-bytes limit before reading it, and anything but a
 * regular file (render.c).
 */
vb_status_t vb_source_read(const char *src_path, const vb_render_options_t *opt, char **buf, size_t *len,
                           vb_diag_t *d);

/* As vb_source_read, under a caller's public options (checked first: their size rule) (render.c). */
vb_status_t vb_source_read_with_options(const char *src_path, const vb_render_options_t *opt, char **buf,
                                        size_t *len, vb_diag_t *d);

/*
 * A document the pipeline ran into (with rc, its status) handed to the
 * caller in *out, its pages indexed; freed on failure (document.c).
 */
vb_status_t vb_document_made(vb_document_t *doc, vb_status_t rc, vb_document_t **out, vb_diag_t *d);

/* Keeps a warning in the document and passes it to the caller's on_diagnostic (document.c; ctx is the document). */
void vb_document_warn(const vb_diag_t *w, void *ctx);

/* The fontset for a profile's families, opened once per engine (engine.c). */
vb_status_t vb_engine_fonts(vb_engine_t *e, const vb_profile_t *p, const vb_fontset_t **out, vb_diag_t *d);

/*
 * The profile for a document (catalog.c): the caller's, the source's, or the
 * one of the regime ("party" when none is named) covering the document's date.
 */
vb_status_t vb_catalog_profile(vb_engine_t *e, vb_arena_t *arena, const vb_model_t *m, const vb_render_options_t *opt,
                               const vb_loader_t *ld, const vb_profile_t **out, vb_diag_t *d);
/* Frees the engine's compiled profiles (catalog.c). */
void vb_catalog_free(vb_engine_t *e);

/*
 * Every character of the prepared source text and of the decoded model and
 * the profile's own texts is in every face of fs (coverage.c). text may be
 * NULL (a merged document, api/tmpl.c: the model is all there is to check).
 */
vb_status_t vb_coverage_check(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text,
                              size_t len, const char *source, vb_diag_t *d);
/* As vb_coverage_check, reporting every character no font covers through sink (VB_E_FONT when any). */
vb_status_t vb_coverage_report(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text,
                               size_t len, const char *source, vb_sink_t *sink);

/*
 * The fit-to-issue rules (checking.c): the signer's name, recipients, a
 * trích yếu unless the profile's fit.untitled_kinds lists the kind, and the
 * profile's placeholders in text (the prepared source; NULL: not scanned).
 * Warnings, or errors when strict. *unfit (in arena) is the ids of the rules
 * broken, "issue.signer_name issue.title", for the PDF's /VanbanUnfit; NULL
 * when none.
 */
void vb_fit_report(const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len, bool strict,
                   vb_sink_t *sink, vb_arena_t *arena, const char **unfit);

#endif
