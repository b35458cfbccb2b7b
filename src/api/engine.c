/*
 * engine.c - the engine: what every render shares. The fonts, opened once per
 * family list and immutable once open, and the list of profiles (catalog.c).
 * The font cache is guarded by the engine's mutex.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "shape.h"
#include "subset.h"

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

vb_status_t
vb_engine_new(const vb_engine_options_t *opt, vb_engine_t **out, vb_diag_t *diag)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(diag, local);
    if (!out)
        return vb_diag_set(diag, VB_E_USAGE, "usage", NULL, 0, 0, "Missing engine pointer.");
    *out = NULL;
    /* the size rule of the options (as vb_render_options_t's, render.c) */
    vb_engine_options_t eo;
    if (opt && opt->size == 0 && (opt->layouts_dir || opt->fonts_dir || opt->on_diagnostic || opt->diagnostic_ctx))
        return vb_diag_set(diag, VB_E_USAGE, "options.size", NULL, 0, 0,
                           "The engine options have fields set but size 0: set size to sizeof(vb_engine_options_t).");
    vb_status_t rc = vb_options_copy(opt, opt ? opt->size : 0, sizeof eo, &eo, "vb_engine_options_t", diag);
    if (rc != VB_OK)
        return rc;
    opt = &eo;
    vb_engine_t *e = calloc(1, sizeof *e);
    if (!e)
        return vb_diag_nomem(diag);
    e->layouts_dir = opt && opt->layouts_dir ? strdup(opt->layouts_dir) : strdup(VB_DATADIR "/layouts");
    e->fonts_dir = dup_or_null(opt ? opt->fonts_dir : NULL);
    if (!e->layouts_dir || (opt && opt->fonts_dir && !e->fonts_dir)) {
        vb_engine_free(e);
        return vb_diag_nomem(diag);
    }
    /* the warning callback: read only from a caller's struct that has it */
    if (opt && opt->size >= offsetof(vb_engine_options_t, diagnostic_ctx) + sizeof opt->diagnostic_ctx) {
        e->on_diag = opt->on_diagnostic;
        e->diag_ctx = opt->diagnostic_ctx;
    }
    pthread_mutex_init(&e->lock, NULL);
    *out = e;
    return VB_OK;
}

void
vb_engine_free(vb_engine_t *e)
{
    if (!e)
        return;
    for (fontcache_t *f = e->fonts, *next; f; f = next) {
        next = f->next;
        vb_fontset_free(f->fs);
        free(f->key);
        free(f);
    }
    vb_catalog_free(e);
    pthread_mutex_destroy(&e->lock);
    free(e->layouts_dir);
    free(e->fonts_dir);
    free(e);
}

/* The fontset for a profile's families, opened once per engine. */
vb_status_t
vb_engine_fonts(vb_engine_t *e, const vb_profile_t *p, const vb_fontset_t **out, vb_diag_t *d)
{
    size_t klen = 1;
    for (int i = 0; i < p->nfont_families; i++)
        klen += strlen(p->font_families[i]) + 1;
    char *key = malloc(klen);
    if (!key)
        return vb_diag_nomem(d);
    key[0] = 0;
    for (int i = 0; i < p->nfont_families; i++) {
        strcat(key, p->font_families[i]);
        strcat(key, "\n");
    }
    vb_status_t rc = VB_OK;
    pthread_mutex_lock(&e->lock);
    fontcache_t *f;
    for (f = e->fonts; f; f = f->next)
        if (!strcmp(f->key, key))
            break;
    if (!f) {
        vb_fontset_t *fs = NULL;
        rc = vb_fontset_open(p->font_families, p->nfont_families, e->fonts_dir, &fs, d);
        /* the engine's caches of shaped words and subset font programs, one per face */
        if (rc == VB_OK && (!vb_shape_add_caches(fs) || !vb_subset_add_caches(fs))) {
            vb_fontset_free(fs);
            rc = vb_diag_nomem(d);
        }
        if (rc == VB_OK) {
            f = calloc(1, sizeof *f);
            if (!f) {
                vb_fontset_free(fs);
                rc = vb_diag_nomem(d);
            } else {
                f->key = key;
                key = NULL;
                f->fs = fs;
                f->next = e->fonts;
                e->fonts = f;
            }
        }
    }
    pthread_mutex_unlock(&e->lock);
    free(key);
    if (rc == VB_OK)
        *out = f->fs;
    return rc;
}
