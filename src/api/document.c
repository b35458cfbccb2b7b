/*
 * document.c - the document handle: a source laid out once (render.c's
 * pipeline), asked for its pages, boxes, runs and warnings, its PDF written
 * any number of times to a caller's writer, to memory or to a file (pdf.c).
 *
 * A document is immutable once vb_document_new returns: every query reads
 * it, and writing its PDF builds the PDF in that call's own memory, so any
 * number of threads may use one document at once. The library-wide calls
 * (version numbers, vb_free) live here too.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "image.h"
#include "pdf.h"

/* ---------------------------------------------------------------- library */

int
vb_version_number(void)
{
    return VB_VERSION_NUMBER;
}

int
vb_version_check(int major, int minor)
{
    return major == VB_VERSION_MAJOR && minor >= 0 && minor <= VB_VERSION_MINOR;
}

void
vb_free(void *p)
{
    free(p);
}

/* --------------------------------------------------------------- warnings */

/*
 * A warning found while the document was made: kept (a copy, as a warning:
 * errors stop the document) and passed to the caller's on_diagnostic. A
 * warning that cannot be kept for want of memory makes vb_document_new fail.
 */
void
vb_document_warn(const vb_diag_t *w, void *ctx)
{
    vb_document_t *doc = ctx;
    vb_diag_t copy = *w;
    copy.severity = VB_SEVERITY_WARNING;
    if (doc->ndiags == doc->cap_diags) {
        int cap = doc->cap_diags ? doc->cap_diags * 2 : 8;
        vb_diag_t *v = realloc(doc->diags, sizeof *v * (size_t)cap);
        if (!v)
            doc->diags_nomem = true;
        else {
            doc->diags = v;
            doc->cap_diags = cap;
        }
    }
    if (doc->ndiags < doc->cap_diags)
        doc->diags[doc->ndiags++] = copy;
    if (doc->user_fn)
        doc->user_fn(&copy, doc->user_ctx);
}

int
vb_document_diag_count(const vb_document_t *doc)
{
    return doc ? doc->ndiags : 0;
}

const vb_diag_t *
vb_document_diag(const vb_document_t *doc, int i)
{
    return doc && i >= 0 && i < doc->ndiags ? &doc->diags[i] : NULL;
}

/* ------------------------------------------------------------------ boxes */

static vb_srcspan_t
public_span(vb_dspan_t s)
{
    return (vb_srcspan_t){s.file, s.line, s.col, s.end_line, s.end_col};
}

/*
 * The page API's box for a display-list box: its kind (the internal kinds
 * have the public values, dlist.h), and what its group says it is (name,
 * the regulation's box number, the signer and role, where it was typed).
 */
static void
map_box(const vb_dlist_t *dl, const vb_dbox_t *b, vb_box_t *out)
{
    memset(out, 0, sizeof *out);
    vb_dboxinfo_t bi;
    vb_dbox_info(dl, b, &bi);
    out->kind = (vb_box_kind_t)b->kind;
    out->name = bi.name ? bi.name : vb_dbox_kind_name(b->kind);
    out->official = bi.official;
    out->index = bi.index;
    out->role = bi.role;
    out->x = b->x;
    out->y = b->y;
    out->w = b->w;
    out->h = b->h;
    out->span = public_span(bi.span);
    out->space_ratio_permille = b->kind == VB_DBOX_LINE ? b->space_permille : 0;
    out->overfull = b->kind == VB_DBOX_LINE && b->overfull;
}

/* The runs and boxes of each page, and the fonts' names, for the page API. */
static vb_status_t
index_pages(vb_document_t *doc, vb_diag_t *d)
{
    const vb_dlist_t *dl = &doc->dl;
    doc->pages = VB_NEWN(doc->arena, vb_docpage_t, dl->npages > 0 ? dl->npages : 1);
    if (!doc->pages)
        return vb_diag_nomem(d);
    for (int p = 0; p < dl->npages; p++) {
        const vb_dpage_t *pg = &dl->pages[p];
        vb_docpage_t *dp = &doc->pages[p];
        int nr = 0, nb = 0;
        for (int i = 0; i < pg->n; i++) {
            nr += pg->items[i].kind == VB_DITEM_RUN;
            nb += pg->items[i].kind == VB_DITEM_BOX;
        }
        dp->runs = VB_NEWN(doc->arena, int, nr ? nr : 1);
        dp->boxes = VB_NEWN(doc->arena, vb_box_t, nb ? nb : 1);
        if (!dp->runs || !dp->boxes)
            return vb_diag_nomem(d);
        for (int i = 0; i < pg->n; i++) {
            if (pg->items[i].kind == VB_DITEM_RUN)
                dp->runs[dp->nruns++] = i;
            else if (pg->items[i].kind == VB_DITEM_BOX)
                map_box(dl, &pg->items[i].u.box, &dp->boxes[dp->nboxes++]);
        }
    }
    for (int f = 0; f < VB_NFACES && doc->fonts; f++) {
        const vb_font_t *font = vb_fontset_face(doc->fonts, (vb_face_t)f);
        const vb_font_info_t *fi = font ? vb_font_info(font) : NULL;
        if (!fi || !fi->family)
            continue;
        doc->font_names[f] = vb_arena_printf(doc->arena, "%s%s%s", fi->family, (f & VB_FACE_BOLD) ? " Bold" : "",
                                             (f & VB_FACE_ITALIC) ? " Italic" : "");
        if (!doc->font_names[f])
            return vb_diag_nomem(d);
    }
    return VB_OK;
}

/* ------------------------------------------------------- making and freeing */

vb_status_t
vb_document_new(vb_engine_t *e, const char *src, size_t len, const char *src_name, const vb_render_options_t *opt,
                vb_document_t **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (!e || !src || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", src_name, 0, 0, "Missing engine, source or document pointer.");
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    if (rc != VB_OK)
        return rc;
    vb_document_t *doc = calloc(1, sizeof *doc);
    if (!doc)
        return vb_diag_nomem(d);
    rc = vb_document_run_pipeline(e, src, len, src_name, &o, false, doc, d);
    return vb_document_made(doc, rc, out, d);
}

vb_status_t
vb_document_made(vb_document_t *doc, vb_status_t rc, vb_document_t **out, vb_diag_t *d)
{
    if (rc == VB_OK)
        rc = index_pages(doc, d);
    if (rc == VB_OK)
        rc = vb_document_index_fields(doc, d);
    if (rc == VB_OK && doc->diags_nomem)
        rc = vb_diag_nomem(d);
    if (rc != VB_OK) {
        vb_document_free(doc);
        return rc;
    }
    /* the caller's on_diagnostic was the pipeline's; the document keeps no pointer it was given */
    doc->user_fn = NULL;
    doc->user_ctx = NULL;
    *out = doc;
    return VB_OK;
}

vb_status_t
vb_document_new_file(vb_engine_t *e, const char *src_path, const vb_render_options_t *opt, vb_document_t **out,
                     vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (!e || !src_path || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing engine, source path or document pointer.");
    char *buf = NULL;
    size_t len = 0;
    vb_status_t rc = vb_source_read_with_options(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_document_new(e, buf, len, src_path, opt, out, d);
    free(buf);
    return rc;
}

void
vb_document_free(vb_document_t *doc)
{
    if (!doc)
        return;
    vb_arena_free(doc->arena);
    free(doc->diags);
    free(doc);
}

/* ---------------------------------------------------------------- queries */

const char *
vb_document_profile(const vb_document_t *doc)
{
    return doc && doc->profile ? doc->profile->id : NULL;
}

/*
 * vb_file_load (vanban.h): here, not with the signing calls it serves, so
 * that a program using it alone (vanban's caret display) does not link
 * OpenSSL. As the signing calls read a file: base.c's reader, at most 2 GiB.
 */
vb_status_t
vb_file_load(const char *path, void **data, size_t *len, vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!path || !data || !len)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_file_load", 0, 0, "A path, data and len are needed.");
    *data = NULL;
    *len = 0;
    vb_file_result_t fr;
    char *b = NULL;
    if (!vb_file_read(NULL, path, (int64_t)1 << 31, &b, len, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(diag);
        return vb_diag_set(diag, VB_E_IO, "file.read", path, 0, 0, "Cannot read %s: %s.", path,
                           fr.status == VB_FILE_TOO_LARGE ? "it is larger than 2 GiB" : vb_file_why(&fr));
    }
    *data = b;
    return VB_OK;
}

/* The i-th image of blocks (from 0) into *i's countdown: its path when *i reaches it, else NULL. */
static const char *
nth_image(const vb_blocks_t *b, int *i)
{
    for (int k = 0; k < b->n; k++)
        if (b->v[k].kind == VB_BLOCK_IMAGE && b->v[k].image && (*i)-- == 0)
            return b->v[k].image->path;
    return NULL;
}

const char *
vb_document_input(const vb_document_t *doc, int i)
{
    if (!doc || i < 0)
        return NULL;
    if (i == 0)
        return doc->name;
    if (i == 1)
        return doc->profile && doc->profile->path ? doc->profile->path : "";
    i -= 2;
    const char *p = nth_image(&doc->model.body, &i);
    for (int a = 0; !p && a < doc->model.nappendices; a++)
        p = nth_image(&doc->model.appendices[a].blocks, &i);
    return p;
}

int
vb_document_page_count(const vb_document_t *doc)
{
    return doc ? doc->dl.npages : 0;
}

vb_status_t
vb_document_page(const vb_document_t *doc, int i, vb_page_info_t *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!doc || !out || i < 0 || i >= doc->dl.npages)
        return VB_E_USAGE;
    const vb_dpage_t *pg = &doc->dl.pages[i];
    out->width = pg->width;
    out->height = pg->height;
    out->label = pg->label;
    out->nruns = doc->pages[i].nruns;
    out->nboxes = doc->pages[i].nboxes;
    return VB_OK;
}

const vb_box_t *
vb_document_box(const vb_document_t *doc, int page, int i)
{
    if (!doc || page < 0 || page >= doc->dl.npages || i < 0 || i >= doc->pages[page].nboxes)
        return NULL;
    return &doc->pages[page].boxes[i];
}

vb_status_t
vb_document_run(const vb_document_t *doc, int page, int i, vb_run_t *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!doc || !out || page < 0 || page >= doc->dl.npages || i < 0 || i >= doc->pages[page].nruns)
        return VB_E_USAGE;
    const vb_drun_t *r = &doc->dl.pages[page].items[doc->pages[page].runs[i]].u.run;
    out->text = r->text;
    out->text_len = r->text_len;
    out->size = r->size;
    out->nglyphs = r->n;
    out->font = r->face >= 0 && r->face < VB_NFACES ? doc->font_names[r->face] : NULL;
    if (r->n > 0) {
        const vb_dglyph_t *first = &r->glyphs[0], *last = &r->glyphs[r->n - 1];
        out->x = first->x;
        out->y = first->y;
        /* from the first glyph's origin to the end of the last one's advance */
        const vb_font_t *font = doc->fonts ? vb_fontset_face(doc->fonts, (vb_face_t)r->face) : NULL;
        int64_t adv = font ? vb_font_scale(font, vb_font_glyph_advance(font, last->gid), r->size) : 0;
        out->width = (int64_t)last->x + adv - first->x;
    }
    out->span = public_span(vb_drun_span(&doc->dl, r)); /* its element's: a paragraph, a cell, a field */
    return VB_OK;
}

/* ------------------------------------------------------------------- PDF */

vb_status_t
vb_document_write_pdf(const vb_document_t *doc, vb_write_fn write, void *ctx, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!doc || !write)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or writer.");
    return vb_pdf_write(&doc->dl, doc->fonts, write, ctx, d);
}

vb_status_t
vb_document_pdf(const vb_document_t *doc, void **data, size_t *len, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (!doc || !data || !len)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document, data or length pointer.");
    unsigned char *p = NULL;
    vb_status_t rc = vb_pdf_write_mem(&doc->dl, doc->fonts, &p, len, d);
    *data = p;
    return rc;
}

vb_status_t
vb_document_save(const vb_document_t *doc, const char *out_path, const vb_render_options_t *opt, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!doc || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or output path.");
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    if (rc != VB_OK)
        return rc;
    /* without the fields: the same display list with none (nothing else differs) */
    vb_dlist_t bare = doc->dl;
    if (o.no_sign_fields)
        bare.nfields = 0;
    if (o.pdfa)
        bare.info.pdfa = true;
    rc = vb_pdf_save(&bare, doc->fonts, out_path, o.on_tempfile, o.tempfile_ctx, o.durable != 0, d);
    if (rc == VB_OK && o.sign_boxes) {
        char *json = NULL;
        size_t len = 0;
        if ((rc = vb_document_fields_json(doc, &json, &len, d)) == VB_OK)
            rc = vb_file_save((const unsigned char *)json, len, o.sign_boxes, o.on_tempfile, o.tempfile_ctx,
                              o.durable != 0, d);
        free(json);
    }
    return rc;
}
