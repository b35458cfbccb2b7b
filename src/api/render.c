/*
 * render.c - one render, from source bytes to the display list and the PDF:
 *
 *   text.c (UTF-8, NFC) -> frontmatter.c + input_md.c (model) -> catalog.c
 *   (the layout profile) -> validate.c -> coverage.c -> layout.c (display
 *   list) -> pdf.c (file, written atomically)
 *
 * The pipeline makes a document (document.c); the public calls here are the
 * one-call forms on top of it (vb_render_buffer, vb_render_file: new, save,
 * free) and the text dumps of a stage. Every public call clears the
 * vb_diag_t it is given first, and reads the options by their size rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "layout.h"
#include "limit.h"
#include "filetype.h"
#include "paste.h"
#include "pdf.h"
#include "validate.h"

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

vb_status_t
vb_render_loader(const vb_engine_t *e, const vb_render_options_t *opt, vb_arena_t *arena, vb_loader_t *ld,
                 vb_diag_t *d)
{
    return make_loader(e, opt, arena, ld, d);
}

/*
 * The options as the library knows them (the size rule of
 * vb_render_options_t): a caller's struct is read up to its size only, and a
 * larger one is accepted when the bytes past the library's struct are 0.
 */
vb_status_t
vb_render_options_read(const vb_render_options_t *opt, vb_render_options_t *out, vb_diag_t *d)
{
    static const vb_limits_t nolimits;
    if (opt && opt->size == 0 &&
        (opt->profile || opt->breaker || opt->creation_time || opt->duplex ||
         memcmp(&opt->limits, &nolimits, sizeof nolimits) || opt->on_tempfile || opt->tempfile_ctx ||
         opt->allow_nonconforming || opt->on_diagnostic || opt->diagnostic_ctx || opt->allow_dirs ||
         opt->nallow_dirs || opt->durable || opt->pdfa)) {
        memset(out, 0, sizeof *out);
        return vb_diag_set(d, VB_E_USAGE, "options.size", NULL, 0, 0,
                           "The render options have fields set but size 0: set size to "
                           "sizeof(vb_render_options_t).");
    }
    vb_status_t rc = vb_options_copy(opt, opt ? opt->size : 0, sizeof *out, out, "vb_render_options_t", d);
    out->size = sizeof *out;
    return rc;
}

/*
 * Where the render's diagnostics go: a warning is kept in the document (and
 * passed on to the caller's on_diagnostic by vb_document_warn), an error
 * goes to the caller's on_diagnostic only.
 */
static void
doc_diag(const vb_diag_t *dg, void *ctx)
{
    vb_document_t *doc = ctx;
    vb_diag_t c = *dg;
    /* found in the prepared (NFC) text: put where it was typed (text.c) */
    if (doc->map_live && doc->map && !strcmp(c.source, doc->name))
        vb_textmap_diag(doc->map, &c);
    /* a merged document: the data that printed what is at fault (merge.c) */
    if (doc->merge)
        vb_merge_note(doc->merge, &c);
    if (c.severity == VB_SEVERITY_WARNING) {
        vb_document_warn(&c, doc);
        return;
    }
    if (!doc->first_seen) {
        doc->first = c;
        doc->first_seen = true;
    }
    if (doc->user_fn)
        doc->user_fn(&c, doc->user_ctx);
}

static vb_status_t run_stages(vb_engine_t *e, const char *src, size_t len, const vb_render_options_t *opt,
                              bool model_only, vb_document_t *doc, vb_sink_t *sink, vb_diag_t *d);
static vb_status_t finish_stages(vb_engine_t *e, const vb_render_options_t *opt, const vb_limits_t *limp,
                                 const vb_loader_t *ldp, const char *text, size_t tlen, const vb_textmap_t *map,
                                 vb_document_t *doc, vb_sink_t *sink, vb_diag_t *d);
static vb_status_t run_made(vb_engine_t *e, vb_model_fn make, void *ctx, const vb_render_options_t *opt,
                            bool model_only, vb_document_t *doc, vb_sink_t *sink, vb_diag_t *d);
static vb_status_t run(vb_engine_t *e, const char *src, size_t len, vb_model_fn make, void *ctx, const char *src_name,
                       const vb_render_options_t *opt, bool model_only, vb_document_t *doc, vb_diag_t *d);

/*
 * Runs the pipeline up to the display list (or only the model) into doc. opt
 * is complete (vb_render_options_read). The source's name is copied: nothing
 * the document keeps points at the caller's memory.
 *
 * Every diagnostic goes through the sink (base.h): warnings into the
 * document, and all to opt->on_diagnostic; the first error to d. The checks
 * that go on after an error (the front matter's fields, paragraph limits,
 * validation, coverage) all run and report each fault; nothing is laid out
 * after one. A fatal error (a stage that cannot go on) stops the render where
 * it is found.
 */
vb_status_t
vb_document_run_pipeline(vb_engine_t *e, const char *src, size_t len, const char *src_name,
                         const vb_render_options_t *opt, bool model_only, vb_document_t *doc, vb_diag_t *d)
{
    return run(e, src, len, NULL, NULL, src_name, opt, model_only, doc, d);
}

vb_status_t
vb_document_run_model(vb_engine_t *e, vb_model_fn make, void *ctx, const char *name, const vb_render_options_t *opt,
                      bool model_only, vb_document_t *doc, vb_diag_t *d)
{
    return run(e, NULL, 0, make, ctx, name, opt, model_only, doc, d);
}

static vb_status_t
run(vb_engine_t *e, const char *src, size_t len, vb_model_fn make, void *ctx, const char *src_name,
    const vb_render_options_t *opt, bool model_only, vb_document_t *doc, vb_diag_t *d)
{
    doc->arena = vb_arena_new();
    if (!doc->arena)
        return vb_diag_nomem(d);
    if (!(doc->name = vb_arena_strdup(doc->arena, src_name ? src_name : "<input>")))
        return vb_diag_nomem(d);
    doc->user_fn = opt->on_diagnostic;
    doc->user_ctx = opt->diagnostic_ctx;
    vb_diag_t kept, fatal;
    memset(&kept, 0, sizeof kept);
    memset(&fatal, 0, sizeof fatal);
    vb_sink_t sink;
    vb_sink_init(&sink, d ? d : &kept, doc_diag, doc);
    vb_status_t rc = make ? run_made(e, make, ctx, opt, model_only, doc, &sink, &fatal)
                          : run_stages(e, src, len, opt, model_only, doc, &sink, &fatal);
    /*
     * A stage that stops at its first error set it the old way. After errors
     * already reported (a front-matter field at fault) one is most likely
     * their consequence (no date: no profile for the date), and is left out.
     */
    if (sink.errors == 0 || fatal.code == VB_E_NOMEM)
        vb_sink_take(&sink, &fatal);
    if (d && doc->first_seen)
        *d = doc->first; /* the first error as doc_diag passed it on: where it was typed */
    vb_status_t first = vb_sink_status(&sink);
    return first != VB_OK ? first : rc;
}

static vb_status_t
run_stages(vb_engine_t *e, const char *src, size_t len, const vb_render_options_t *opt, bool model_only,
           vb_document_t *doc, vb_sink_t *sink, vb_diag_t *d)
{
    const char *name = doc->name;
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    if ((int64_t)len > lim.source_bytes)
        return vb_limit_fail(d, "source.too-large", name, 0, 0, "source-bytes",
                             "The source has %zu bytes, more than %lld", len, (long long)lim.source_bytes);
    char *text = NULL;
    size_t tlen = 0;
    vb_loader_t ld;
    vb_textmap_t *map = NULL; /* positions as typed where NFC changed a line (text.c) */
    vb_status_t rc = make_loader(e, opt, doc->arena, &ld, d);
    if (rc == VB_OK) /* a .docx, a PDF, UTF-16: named, not a byte (reading/filetype.c) */
        rc = vb_filetype_check(src, len, name, d);
    if (rc == VB_OK)
        rc = vb_text_prepare_map(doc->arena, src, len, name, &text, &tlen, &map, d);
    /* until the model is moved to positions as typed, doc_diag moves each diagnostic */
    doc->map = map;
    doc->map_live = true;
    if (rc == VB_OK) /* old encodings, invisible characters (reading/paste.c) */
        vb_paste_scan(text, tlen, name, sink);
    vb_pos_t tag;
    if (rc == VB_OK && vb_tags_first(text, tlen, &tag))
        rc = vb_diag_set(d, VB_E_INPUT, "template.tags", name, tag.line, tag.col,
                         "This is a batch template ({{...}} tags, docs/templates.md): use vanban batch --data FILE "
                         "to make its documents.");
    if (rc == VB_OK)
        rc = vb_read_source_sink(doc->arena, text, tlen, name, &lim, &ld, &doc->model, sink);
    if (rc == VB_OK && model_only) {
        vb_textmap_model(map, &doc->model);
        doc->map_live = false;
    }
    if (rc != VB_OK || model_only)
        return rc;
    return finish_stages(e, opt, &lim, &ld, text, tlen, map, doc, sink, d);
}

/* The model made by make (a template merged with a row: api/tmpl.c), positions as typed; then as a source's. */
static vb_status_t
run_made(vb_engine_t *e, vb_model_fn make, void *ctx, const vb_render_options_t *opt, bool model_only,
         vb_document_t *doc, vb_sink_t *sink, vb_diag_t *d)
{
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    vb_loader_t ld;
    vb_status_t rc = make_loader(e, opt, doc->arena, &ld, d);
    if (rc == VB_OK)
        rc = make(ctx, doc, &lim, &ld, sink, d);
    if (rc == VB_OK && model_only)
        rc = vb_sink_status(sink);
    /* front-matter fields at fault were reported: validation and coverage still run, as for a source */
    if (rc != VB_OK || model_only)
        return rc;
    return finish_stages(e, opt, &lim, &ld, NULL, 0, NULL, doc, sink, d);
}

/*
 * The stages after the model: profile, validation, coverage (of text, the
 * prepared source, when there is one, and of the model), layout.
 */
static vb_status_t
finish_stages(vb_engine_t *e, const vb_render_options_t *opt, const vb_limits_t *limp, const vb_loader_t *ldp,
              const char *text, size_t tlen, const vb_textmap_t *map, vb_document_t *doc, vb_sink_t *sink,
              vb_diag_t *d)
{
    const char *name = doc->name;
    vb_limits_t lim = *limp;
    vb_loader_t ld = *ldp;
    vb_status_t rc;
    const char *unfit = NULL; /* the fit-to-issue rules broken: /VanbanUnfit */
    doc->model.source = name;
    /* the checks that go on after an error (limits, validation, coverage) all run; layout only without errors */
    vb_limits_report_model(&doc->model, &lim, sink);
    rc = vb_catalog_profile(e, doc->arena, &doc->model, opt, &ld, &doc->profile, d);
    if (rc == VB_OK) {
        /* --allow-nonconforming or `nonconforming: true`: the format errors become warnings */
        vb_validate_opts_t vo = {
            .nonconforming = opt->allow_nonconforming || doc->model.meta.nonconforming,
            .sink = sink,
            .profile_named = opt->profile != NULL,
        };
        vb_validate_opts(&doc->model, doc->profile, &vo, d);
        if (opt->fit) /* checking.c: issue.* */
            vb_fit_report(&doc->model, doc->profile, text, tlen, opt->fit >= VB_FIT_STRICT, sink, doc->arena, &unfit);
        /* two-sided printing asked of a profile that describes none: said, never silently dropped */
        bool duplex = doc->model.meta.duplex || opt->duplex;
        if (duplex && !doc->profile->has_duplex) {
            const vb_pos_t *at = &doc->model.meta.duplex_pos;
            vb_range_t r = {doc->model.meta.duplex ? at->line : 0, doc->model.meta.duplex ? at->col : 0, 0, 0};
            vb_report(sink, VB_SEVERITY_WARNING, VB_E_INPUT, "duplex.ignored", name, r, NULL,
                      "The profile %s describes no two-sided layout: the pages are laid out one-sided.",
                      doc->profile->id);
        }
    }
    if (rc == VB_OK)
        rc = vb_engine_fonts(e, doc->profile, &doc->fonts, d);
    if (rc == VB_OK)
        vb_coverage_report(doc->fonts, &doc->model, doc->profile, text, tlen, name, sink);
    if (rc == VB_OK)
        rc = vb_sink_status(sink);
    if (rc != VB_OK)
        return rc;
    /* from here on, positions are as typed: the layout's diagnostics and the display list's spans */
    vb_textmap_model(map, &doc->model);
    doc->map_live = false;
    doc->dl.arena = doc->arena;
    vb_layout_opts_t lo = {
        .greedy = opt->breaker == VB_BREAKER_GREEDY,
        .duplex = opt->duplex,
        /* 0 (and any other negative time): the document's own date; VB_TIME_EPOCH: 0 s */
        .creation_time = opt->creation_time == VB_TIME_EPOCH ? 0
                         : opt->creation_time > 0       ? opt->creation_time
                                                        : -1,
        .creator = NULL,
        .max_pages = lim.pages,
    };
    /* the layout's warnings (overfull lines, text outside the text block) count only if it succeeds */
    vb_sink_t ls;
    vb_held_t held;
    vb_sink_hold(&ls, &held, doc->arena);
    lo.sink = &ls;
    rc = vb_layout(&doc->model, doc->profile, doc->fonts, &lo, &doc->dl, d);
    doc->dl.info.pdfa = opt->pdfa || doc->model.meta.pdfa;
    doc->dl.info.unfit = unfit;
    vb_held_release(&held, sink, rc == VB_OK); /* its errors (every block too tall) in any case */
    return rc;
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

/*
 * Reads a source for a render or a dump into *buf (malloc'd), refusing one
 * over the size limit before reading it, and anything but a regular file
 * (base.c, vb_file_read: a FIFO is never waited on).
 */
vb_status_t
vb_source_read(const char *src_path, const vb_render_options_t *opt, char **buf, size_t *len, vb_diag_t *d)
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
vb_render_buffer(vb_engine_t *e, const char *src, size_t len, const char *name, const char *out_path,
                 const vb_render_options_t *opt, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!e || !src || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing engine, source or output path.");
    vb_status_t rc = check_output(out_path, d);
    if (rc != VB_OK)
        return rc;
    vb_document_t *doc = NULL;
    rc = vb_document_new(e, src, len, name, opt, &doc, d);
    if (rc == VB_OK)
        rc = vb_document_save(doc, out_path, opt, d);
    vb_document_free(doc);
    return rc;
}

/* The source file, read under the caller's options (their size rule, the source-bytes limit). */
vb_status_t
vb_source_read_with_options(const char *src_path, const vb_render_options_t *opt, char **buf, size_t *len, vb_diag_t *d)
{
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    return rc == VB_OK ? vb_source_read(src_path, &o, buf, len, d) : rc;
}

vb_status_t
vb_render_file(vb_engine_t *e, const char *src_path, const char *out_path, const vb_render_options_t *opt,
               vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!e || !src_path || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing engine, source or output path.");
    /* before anything is read or written: writing the PDF would replace the source */
    struct stat ss, os;
    if (stat(src_path, &ss) == 0 && stat(out_path, &os) == 0 && ss.st_dev == os.st_dev && ss.st_ino == os.st_ino)
        return vb_diag_set(d, VB_E_IO, "io.same-file", out_path, 0, 0,
                           "The output %s is the source file itself; writing the PDF would replace the source. "
                           "Choose another output name (e.g. one ending in .pdf).",
                           out_path);
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = vb_source_read_with_options(src_path, opt, &buf, &len, d);
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
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!e || !src_path || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing engine, source path or output.");
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = vb_source_read_with_options(src_path, opt, &buf, &len, d);
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
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!e || !src || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing engine, source or output.");
    if (stage != VB_STAGE_MODEL && stage != VB_STAGE_PAGES)
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Unknown stage %d.", (int)stage);
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    if (rc != VB_OK)
        return rc;
    vb_document_t doc;
    memset(&doc, 0, sizeof doc);
    size_t n = 0;
    rc = vb_document_run_pipeline(e, src, len, name, &o, stage == VB_STAGE_MODEL, &doc, d);
    if (rc == VB_OK) {
        if (stage == VB_STAGE_MODEL)
            rc = vb_model_dump(&doc.model, out, &n);
        else
            rc = vb_dlist_dump(&doc.dl, out, &n);
        if (rc != VB_OK)
            vb_diag_nomem(d);
        else if (out_len)
            *out_len = n;
    }
    vb_arena_free(doc.arena);
    free(doc.diags);
    return rc;
}
