/*
 * layout.h - from the document model to the display list.
 *
 * layout.c walks the model and turns every element into chunks (chunk.h):
 * vertical pieces of the page flow (a line of a paragraph, a table row, a
 * whole band such as the header or the closing block) with the rules that
 * say where a page may break. band.c (band.h) sets the profile's bands
 * (columns of templated items), table.c (table.h) sets tables, paginate.c
 * (paginate.h) places the chunks on pages. Each of them depends on chunk.h
 * and none on layout.c: the includes go one way, layout.c at the top.
 */
#ifndef VB_LAYOUT_H
#define VB_LAYOUT_H

#include "dlist.h"
#include "model.h"
#include "para.h" /* the fontset; vb_script_fallback for engine.c's coverage check */
#include "profile.h"

typedef struct vb_layout_opts {
    bool greedy;            /* greedy line and page breaking (for comparison) */
    bool duplex;            /* mirrored margins on even pages (also when the source asks) */
    int64_t creation_time;  /* -1: from the document's date */
    const char *creator;    /* "vanban 1.0.0" */
    int64_t max_pages;      /* > 0: more pages is layout.too-many-pages (limit.h) */
    vb_sink_t *sink;        /* warnings: overfull lines, text outside the text block; NULL: none */
} vb_layout_opts_t;

/* Lays out model with profile and fonts into dl (whose arena must be set). */
vb_status_t vb_layout(const vb_model_t *model, const vb_profile_t *profile, const vb_fontset_t *fonts,
                      const vb_layout_opts_t *opts, vb_dlist_t *dl, vb_diag_t *d);

#endif
