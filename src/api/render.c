/*
 * render.c - one render, from source bytes to the display list and the PDF:
 *
 *   text.c (UTF-8, NFC) -> frontmatter.c + input_md.c (model) -> catalog.c
 *   (the layout profile) -> validate.c -> coverage.c -> layout.c (display
 *   list) -> pdf.c (file, written atomically)
 *
 * and the public calls that run it: vb_render_buffer, vb_render_file and the
 * text dumps of a stage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "layout.h"
#include "limit.h"
#include "pdf.h"
#include "validate.h"

typedef struct job {
    vb_arena_t *arena;
    vb_model_t model;
    vb_profile_t *profile;
    const vb_fontset_t *fonts;
    vb_dlist_t dl;
} job_t;

/*
 * The folders this render may read images and a profile from, besides the
 * source's own (base.c, vb_loader_resolve): the layouts folder and the
 * caller's --allow-dir folders, each as its real path. A layouts folder that
 * cannot be resolved is left out (reading a profile from it fails anyway); a
 * folder the caller named that does not exist is an error.
 */
static vb_status_t
make_loader(const vb_engine_t *e, const vb_render_options_t *opt, vb_arena_t *arena, vb_loader_t *ld, vb_diag_t *d)
{
    int nallow = VB_OPT_HAS(opt, nallow_dirs) && opt->allow_dirs && opt->nallow_dirs > 0 ? opt->nallow_dirs : 0;
    const char **dirs = VB_NEWN(arena, const char *, nallow + 1);
    if (!dirs)
        return vb_diag_nomem(d);
    int n = 0;
    for (int i = -1; i < nallow; i++) {
        const char *dir = i < 0 ? e->layouts_dir : opt->allow_dirs[i];
        if (!dir)
            continue;
        char *r = realpath(dir, NULL);
        struct stat st;
        if (!r || stat(r, &st) != 0 || !S_ISDIR(st.st_mode)) {
            int err = r ? ENOTDIR : errno;
            free(r);
            if (i < 0)
                continue;
            return vb_diag_set(d, VB_E_IO, "io.allow-dir", dir, 0, 0,
                               "The folder %s allowed for images and profiles cannot be used: %s.", dir,
                               strerror(err));
        }
        dirs[n] = vb_arena_strdup(arena, r);
        free(r);
        if (!dirs[n++])
            return vb_diag_nomem(d);
    }
    ld->dirs = dirs;
    ld->ndirs = n;
    return VB_OK;
}

/* A diagnostic about the source found in its prepared text, put where it was typed (text.c). */
static void
map_diag(const vb_textmap_t *map, const char *name, vb_diag_t *d)
{
    if (map && d && name && !strcmp(d->source, name))
        vb_textmap_diag(map, d);
}

/* The caller's warning callback, given positions as typed. */
typedef struct mapwarn {
    vb_diag_fn fn;
    void *ctx;
    const vb_textmap_t *map;
    const char *name;
} mapwarn_t;

static void
mapped_warn(const vb_diag_t *w, void *ctx)
{
    const mapwarn_t *mw = ctx;
    vb_diag_t c = *w;
    map_diag(mw->map, mw->name, &c);
    mw->fn(&c, mw->ctx);
}

/* Runs the pipeline up to the display list (or only the model). */
static vb_status_t
run(vb_engine_t *e, const char *src, size_t len, const char *name, const vb_render_options_t *opt, bool model_only,
    job_t *j, vb_diag_t *d)
{
    memset(j, 0, sizeof *j);
    j->arena = vb_arena_new();
    if (!j->arena)
        return vb_diag_nomem(d);
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    if ((int64_t)len > lim.source_bytes)
        return vb_limit_fail(d, "source.too-large", name, 0, 0, "source-bytes",
                             "The source has %zu bytes, more than %lld", len, (long long)lim.source_bytes);
    char *text = NULL;
    size_t tlen = 0;
    vb_loader_t ld;
    vb_textmap_t *map = NULL; /* positions as typed where NFC changed a line (text.c) */
    vb_status_t rc = make_loader(e, opt, j->arena, &ld, d);
    if (rc == VB_OK)
        rc = vb_text_prepare_map(j->arena, src, len, name, &text, &tlen, &map, d);
    if (rc == VB_OK) {
        rc = vb_read_source_ex(j->arena, text, tlen, name, &lim, &ld, &j->model, d);
        if (rc != VB_OK)
            map_diag(map, name, d);
        else if (model_only)
            vb_textmap_model(map, &j->model);
    }
    if (rc != VB_OK || model_only)
        return rc;
    j->model.source = name;
    rc = vb_limits_check_model(&j->model, &lim, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_catalog_profile(e, j->arena, &j->model, opt, &ld, &j->profile, d);
    if (rc == VB_OK) {
        /* --allow-nonconforming or `nonconforming: true`: the format errors become warnings */
        vb_validate_opts_t vo = {
            .nonconforming = (VB_OPT_HAS(opt, allow_nonconforming) && opt->allow_nonconforming) ||
                             j->model.meta.nonconforming,
            .warn = VB_OPT_HAS(opt, on_diagnostic) ? opt->on_diagnostic : NULL,
            .ctx = VB_OPT_HAS(opt, diagnostic_ctx) ? opt->diagnostic_ctx : NULL,
        };
        /* the model's positions are still the prepared text's: warnings go out as typed */
        mapwarn_t mw = {vo.warn, vo.ctx, map, name};
        if (map && vo.warn) {
            vo.warn = mapped_warn;
            vo.ctx = &mw;
        }
        rc = vb_validate_opts(&j->model, j->profile, &vo, d);
        if (rc != VB_OK)
            map_diag(map, name, d);
        /* two-sided printing asked of a profile that describes none: said, never silently dropped */
        bool duplex = j->model.meta.duplex || (VB_OPT_HAS(opt, duplex) && opt->duplex);
        if (rc == VB_OK && duplex && !j->profile->has_duplex && vo.warn) {
            vb_diag_t w;
            memset(&w, 0, sizeof w);
            const vb_pos_t *at = &j->model.meta.duplex_pos;
            vb_diag_set(&w, VB_E_INPUT, "duplex.ignored", name, j->model.meta.duplex ? at->line : 0,
                        j->model.meta.duplex ? at->col : 0,
                        "The profile %s describes no two-sided layout: the pages are laid out one-sided.",
                        j->profile->id);
            vo.warn(&w, vo.ctx);
        }
    }
    if (rc == VB_OK)
        rc = vb_engine_fonts(e, j->profile, &j->fonts, d);
    if (rc == VB_OK) {
        rc = vb_coverage_check(j->fonts, &j->model, j->profile, text, tlen, name, d);
        if (rc != VB_OK)
            map_diag(map, name, d); /* found in the prepared text */
    }
    if (rc != VB_OK)
        return rc;
    /* from here on, positions are as typed: the layout's diagnostics and the display list's spans */
    vb_textmap_model(map, &j->model);
    j->dl.arena = j->arena;
    vb_layout_opts_t lo = {
        .greedy = opt && opt->breaker == VB_BREAKER_GREEDY,
        .duplex = VB_OPT_HAS(opt, duplex) && opt->duplex,
        .creation_time = opt ? opt->creation_time : -1,
        .creator = NULL,
        .max_pages = lim.pages,
    };
    return vb_layout(&j->model, j->profile, j->fonts, &lo, &j->dl, d);
}

/*
 * The output replaces only a regular file (or a link to one): an existing
 * folder, device, FIFO or socket at out_path is io.output-kind and stays as it
 * is. Checked before the work, and again by pdf.c just before the rename.
 */
static vb_status_t
check_output(const char *out_path, vb_diag_t *d)
{
    struct stat st;
    if (stat(out_path, &st) != 0 || S_ISREG(st.st_mode))
        return VB_OK;
    vb_file_result_t fr = {.status = VB_FILE_KIND, .mode = (unsigned)st.st_mode};
    return vb_diag_set(d, VB_E_IO, "io.output-kind", out_path, 0, 0,
                       "The output %s cannot be replaced: %s; only a regular file is replaced.", out_path,
                       vb_file_why(&fr));
}

vb_status_t
vb_render_buffer(vb_engine_t *e, const char *src, size_t len, const char *name, const char *out_path,
                 const vb_render_options_t *opt, vb_diag_t *d)
{
    if (!e || !src || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing engine, source or output path.");
    vb_status_t rc = check_output(out_path, d);
    if (rc != VB_OK)
        return rc;
    job_t j;
    rc = run(e, src, len, name ? name : "<input>", opt, false, &j, d);
    if (rc == VB_OK)
        rc = vb_pdf_write_file_cb(&j.dl, j.fonts, out_path, VB_OPT_HAS(opt, on_tempfile) ? opt->on_tempfile : NULL,
                                  VB_OPT_HAS(opt, tempfile_ctx) ? opt->tempfile_ctx : NULL, d);
    vb_arena_free(j.arena);
    return rc;
}

/*
 * Reads a source for a render or a dump into *buf (malloc'd), refusing one
 * over the size limit before reading it, and anything but a regular file
 * (base.c, vb_file_read: a FIFO is never waited on).
 */
static vb_status_t
read_source(const char *src_path, const vb_render_options_t *opt, char **buf, size_t *len, vb_diag_t *d)
{
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    vb_file_result_t fr;
    if (vb_file_read(NULL, src_path, lim.source_bytes, buf, len, &fr))
        return VB_OK;
    if (fr.status == VB_FILE_NOMEM)
        return vb_diag_nomem(d);
    if (fr.status == VB_FILE_TOO_LARGE)
        return vb_limit_fail(d, "source.too-large", src_path, 0, 0, "source-bytes",
                             "The source has more than %lld bytes", (long long)lim.source_bytes);
    return vb_diag_set(d, VB_E_IO, "io.read", src_path, 0, 0, "Cannot read the source: %s.", vb_file_why(&fr));
}

vb_status_t
vb_render_file(vb_engine_t *e, const char *src_path, const char *out_path, const vb_render_options_t *opt,
               vb_diag_t *d)
{
    if (!src_path || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing source or output path.");
    /* before anything is read or written: writing the PDF would replace the source */
    struct stat ss, os;
    if (stat(src_path, &ss) == 0 && stat(out_path, &os) == 0 && ss.st_dev == os.st_dev && ss.st_ino == os.st_ino)
        return vb_diag_set(d, VB_E_IO, "io.same-file", out_path, 0, 0,
                           "The output %s is the source file itself; writing the PDF would replace the source. "
                           "Choose another output name (e.g. one ending in .pdf).",
                           out_path);
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = read_source(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_render_buffer(e, buf, len, src_path, out_path, opt, d);
    free(buf);
    return rc;
}

vb_status_t
vb_dump_file(vb_engine_t *e, const char *src_path, vb_stage_t stage, const vb_render_options_t *opt, char **out,
             size_t *out_len, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    if (!src_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing source path.");
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = read_source(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_dump_stage(e, buf, len, src_path, stage, opt, out, out_len, d);
    free(buf);
    return rc;
}

vb_status_t
vb_dump_stage(vb_engine_t *e, const char *src, size_t len, const char *name, vb_stage_t stage,
              const vb_render_options_t *opt, char **out, size_t *out_len, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    job_t j;
    vb_status_t rc = run(e, src, len, name ? name : "<input>", opt, stage == VB_STAGE_MODEL, &j, d);
    if (rc == VB_OK) {
        if (stage == VB_STAGE_MODEL)
            rc = vb_model_dump(&j.model, out, out_len);
        else
            rc = vb_dlist_dump(&j.dl, out, out_len);
        if (rc != VB_OK)
            vb_diag_nomem(d);
    }
    vb_arena_free(j.arena);
    return rc;
}
