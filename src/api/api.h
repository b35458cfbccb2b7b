/*
 * api.h - what the modules of the public API (src/api/) share: the engine's
 * insides and the steps of a render that live in their own modules.
 *
 *   engine.c    the engine: options, fonts opened once per family list
 *   catalog.c   the layout profiles: the regime scan, a profile by id, path or regime and date
 *   coverage.c  every character that can be printed is in the fonts
 *   render.c    the render pipeline and the public render and dump calls
 */
#ifndef VB_API_H
#define VB_API_H

#include <pthread.h>
#include <stdbool.h>

#include "font.h"
#include "input.h"
#include "profile.h"

typedef struct fontcache {
    char *key;            /* the family list joined with '\n' */
    vb_fontset_t *fs;
    struct fontcache *next;
} fontcache_t;

/* What the engine knows of each profile in the layouts folder, for choosing one by regime and date. */
typedef struct profinfo {
    char *path;
    char *regime;
    int from, until;      /* yyyymmdd; 0 and 99999999 when open */
    struct profinfo *next;
} profinfo_t;

struct vb_engine {
    char *layouts_dir;
    char *fonts_dir;
    pthread_mutex_t lock;
    fontcache_t *fonts;
    profinfo_t *profiles; /* read once, on first use */
    bool scanned;
};


/* The fontset for a profile's families, opened once per engine (engine.c). */
vb_status_t vb_engine_fonts(vb_engine_t *e, const vb_profile_t *p, const vb_fontset_t **out, vb_diag_t *d);

/*
 * The profile for a document (catalog.c): the caller's, the source's, or the
 * one of the regime ("party" when none is named) covering the document's date.
 */
vb_status_t vb_catalog_profile(vb_engine_t *e, vb_arena_t *arena, const vb_model_t *m, const vb_render_options_t *opt,
                               const vb_loader_t *ld, vb_profile_t **out, vb_diag_t *d);
/* Frees the engine's list of profiles (catalog.c). */
void vb_catalog_free(vb_engine_t *e);

/*
 * Every character of the prepared source text and of the decoded model and
 * the profile's own texts is in every face of fs (coverage.c).
 */
vb_status_t vb_coverage_check(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text,
                              size_t len, const char *source, vb_diag_t *d);
/* As vb_coverage_check, reporting every character no font covers through sink (VB_E_FONT when any). */
vb_status_t vb_coverage_report(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text,
                               size_t len, const char *source, vb_sink_t *sink);

#endif
