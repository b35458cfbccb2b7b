/*
 * tmpl.c - batch templates (docs/templates.md): a source with {{tags}}
 * read once, then merged with one data row at a time into a document; and
 * the file names of a batch's documents from a pattern.
 *
 * A template is prepared (text.c), its tags replaced by placeholders
 * (merge/tags.c), its front matter parsed to a YAML tree and its body read to
 * the model (reading/), all positions as typed, and never written again:
 * vb_template_document merges a row (merge/merge.c) into the document's own
 * arena and runs the stages after reading (render.c), so any number of
 * threads may make documents of one template at once.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "limit.h"

struct vb_template {
    vb_engine_t *engine;
    vb_arena_t *arena;
    const char *name;
    vb_tags_t tags;       /* positions as typed */
    vb_ynode_t *front;    /* the front matter with placeholders, positions as typed */
    vb_model_t model;     /* the body: blocks, appendices, notes (meta unread), positions as typed */
};

/* A tree's positions as typed. */
static void
map_tree(const vb_textmap_t *map, vb_ynode_t *n)
{
    if (!n)
        return;
    vb_textmap_pos(map, &n->pos.line, &n->pos.col);
    for (int i = 0; n->kind != VB_Y_SCALAR && i < n->n; i++) {
        if (n->kind == VB_Y_MAP)
            vb_textmap_pos(map, &n->key_pos[i].line, &n->key_pos[i].col);
        map_tree(map, n->items[i]);
    }
}

/* The template's diagnostics, found in the prepared text, where they were typed. */
typedef struct tdiag {
    const vb_textmap_t *map;
    const char *name;
    vb_diag_fn fn;
    void *ctx;
} tdiag_t;

static void
tpl_diag(const vb_diag_t *dg, void *ctx)
{
    tdiag_t *t = ctx;
    vb_diag_t c = *dg;
    if (t->map && !strcmp(c.source, t->name))
        vb_textmap_diag(t->map, &c);
    if (t->fn)
        t->fn(&c, t->ctx);
}

vb_status_t
vb_template_new(vb_engine_t *e, const char *src, size_t len, const char *src_name, const vb_render_options_t *opt,
                vb_template_t **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (!e || !src || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", src_name, 0, 0, "Missing engine, template or template pointer.");
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    if (rc != VB_OK)
        return rc;
    vb_limits_t lim;
    vb_limits_resolve(&o, &lim);
    const char *name = src_name ? src_name : "<template>";
    if ((int64_t)len > lim.source_bytes)
        return vb_limit_fail(d, "source.too-large", name, 0, 0, "source-bytes",
                             "The template has %zu bytes, more than %lld", len, (long long)lim.source_bytes);
    vb_template_t *t = calloc(1, sizeof *t);
    if (!t || !(t->arena = vb_arena_new())) {
        free(t);
        return vb_diag_nomem(d);
    }
    t->engine = e;
    t->name = vb_arena_strdup(t->arena, name);
    char *text = NULL, *ttext = NULL;
    size_t tlen = 0, ttlen = 0;
    vb_textmap_t *map = NULL;
    vb_diag_t first;
    memset(&first, 0, sizeof first);
    tdiag_t td = {NULL, t->name, o.on_diagnostic, o.diagnostic_ctx};
    vb_sink_t sink;
    vb_sink_init(&sink, &first, tpl_diag, &td);
    rc = t->name ? vb_text_prepare_map(t->arena, src, len, t->name, &text, &tlen, &map, &first) : vb_diag_nomem(&first);
    td.map = map;
    if (rc == VB_OK)
        rc = vb_tags_scan(t->arena, text, tlen, t->name, &ttext, &ttlen, &t->tags, &first);
    if (rc != VB_OK) {
        vb_diag_t c = first;
        memset(&first, 0, sizeof first);
        vb_sink_take(&sink, &c);
    } else {
        /* images are read once, from the template's folder and the allowed ones, as a source's */
        vb_loader_t ld;
        rc = vb_render_loader(e, &o, t->arena, &ld, &first);
        if (rc == VB_OK)
            rc = vb_read_template_source(t->arena, ttext, ttlen, t->name, &lim, &ld, &t->front, &t->model, &sink);
        if (rc == VB_OK)
            rc = vb_sink_status(&sink);
        /* a key no document knows fails every row: said once, here */
        for (int i = 0; rc == VB_OK && t->front && t->front->kind == VB_Y_MAP && i < t->front->n; i++) {
            const char *k = t->front->keys[i];
            if (!vb_meta_key(k, strlen(k)))
                rc = vb_report(&sink, VB_SEVERITY_ERROR, VB_E_INPUT, "frontmatter.unknown-key", t->name,
                               (vb_range_t){t->front->key_pos[i].line, t->front->key_pos[i].col, 0, 0}, NULL,
                               "Unknown front matter key \"%s\" (docs/source-format.md lists the keys).", k);
        }
    }
    if (rc == VB_OK) {
        for (int i = 0; i < t->tags.n; i++)
            vb_textmap_pos(map, &t->tags.v[i].pos.line, &t->tags.v[i].pos.col);
        map_tree(map, t->front);
        vb_textmap_model(map, &t->model);
        /* sections that cannot be merged, tags where nothing is printed: said once, here */
        vb_merge_t m = {.arena = t->arena, .source = t->name, .tags = &t->tags};
        vb_diag_t cd;
        memset(&cd, 0, sizeof cd);
        rc = vb_merge_check(&m, t->front, &t->model, &cd);
        if (rc != VB_OK) {
            td.map = NULL; /* its position is as typed already */
            vb_sink_take(&sink, &cd);
            map = NULL;
        }
    }
    if (rc != VB_OK) {
        *d = first;
        if (d->line && map)
            vb_textmap_diag(map, d);
        vb_template_free(t);
        return rc;
    }
    *out = t;
    return VB_OK;
}

vb_status_t
vb_template_new_file(vb_engine_t *e, const char *src_path, const vb_render_options_t *opt, vb_template_t **out,
                     vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (!e || !src_path || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing engine, template path or template pointer.");
    char *buf = NULL;
    size_t len = 0;
    vb_status_t rc = vb_source_read_with_options(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_template_new(e, buf, len, src_path, opt, out, d);
    free(buf);
    return rc;
}

void
vb_template_free(vb_template_t *tpl)
{
    if (!tpl)
        return;
    vb_arena_free(tpl->arena);
    free(tpl);
}

/* One row merged: what vb_document_run_model's make is given. */
typedef struct mergein {
    const vb_template_t *tpl;
    const vb_data_set_t *set;
    int row;
} mergein_t;

static vb_status_t
make_merged(void *ctx, vb_document_t *doc, const vb_limits_t *lim, const vb_loader_t *ld, vb_sink_t *sink,
            vb_diag_t *d)
{
    (void)lim;
    (void)ld;
    const mergein_t *in = ctx;
    vb_merge_t *m = VB_NEW(doc->arena, vb_merge_t);
    if (!m)
        return vb_diag_nomem(d);
    m->arena = doc->arena;
    m->source = doc->name;
    m->tags = &in->tpl->tags;
    m->data_name = in->set->name ? in->set->name : "<data>";
    m->row = &in->set->rows[in->row];
    doc->merge = m;
    vb_ynode_t *root = NULL;
    vb_status_t rc = vb_merge_yaml(m, in->tpl->front, &root, d);
    if (rc != VB_OK)
        return rc;
    memset(&doc->model, 0, sizeof doc->model);
    doc->model.source = doc->name;
    rc = vb_read_frontmatter_sink(doc->arena, root, doc->name, &doc->model.meta, sink);
    if (rc != VB_OK && rc != VB_E_INPUT)
        return rc;
    return vb_merge_body(m, &in->tpl->model, &doc->model, d);
}

/* Runs the pipeline of row into a new document (model only, or laid out). */
static vb_status_t
merged_doc(const vb_template_t *tpl, const vb_data_t *data, int row, const vb_render_options_t *opt,
           bool model_only, vb_document_t **out, vb_diag_t *d)
{
    if (!tpl || !data || !data->set || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing template, data or document pointer.");
    if (row < 0 || row >= data->set->nrows)
        return vb_diag_set(d, VB_E_USAGE, "usage", data->set->name, 0, 0,
                           "Row %d does not exist: the data has %d rows (0-based here: 0 to %d).", row,
                           data->set->nrows, data->set->nrows - 1);
    vb_render_options_t o;
    vb_status_t rc = vb_render_options_read(opt, &o, d);
    if (rc != VB_OK)
        return rc;
    vb_document_t *doc = calloc(1, sizeof *doc);
    if (!doc)
        return vb_diag_nomem(d);
    mergein_t in = {tpl, data->set, row};
    rc = vb_document_run_model(tpl->engine, make_merged, &in, tpl->name, &o, model_only, doc, d);
    doc->merge = NULL; /* it points at the data, which may be freed before the document */
    if (model_only) {
        if (rc != VB_OK) {
            vb_document_free(doc);
            return rc;
        }
        *out = doc;
        return VB_OK;
    }
    return vb_document_made(doc, rc, out, d);
}

vb_status_t
vb_template_document(const vb_template_t *tpl, const vb_data_t *data, int row, const vb_render_options_t *opt,
                     vb_document_t **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    return merged_doc(tpl, data, row, opt, false, out, d);
}

vb_status_t
vb_template_dump(const vb_template_t *tpl, const vb_data_t *data, int row, const vb_render_options_t *opt,
                 char **out, size_t *out_len, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing output pointer.");
    vb_document_t *doc = NULL;
    vb_status_t rc = merged_doc(tpl, data, row, opt, true, &doc, d);
    size_t n = 0;
    if (rc == VB_OK && vb_model_dump(&doc->model, out, &n) != VB_OK)
        rc = vb_diag_nomem(d);
    if (rc == VB_OK && out_len)
        *out_len = n;
    vb_document_free(doc);
    return rc;
}

/* ---------------------------------------------------------------- file names */

/* The longest name made, in bytes (file systems allow 255; room for a temporary suffix). */
#define NAME_MAX_BYTES 200

/* Appends s[0..n) to b, each character that could leave the folder or trouble a file system replaced by '_'. */
static void
put_safe(vb_buf_t *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = vb_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            k = 1, cp = 0xFFFD;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == '/' || cp == '\\' || cp == ':' || cp == '*' ||
            cp == '?' || cp == '"' || cp == '<' || cp == '>' || cp == '|' || vb_char_refused(cp, NULL, 0, NULL))
            vb_buf_putc(b, '_');
        else
            vb_buf_add(b, s + i, (size_t)k);
        i += (size_t)k;
    }
}

vb_status_t
vb_data_file_name(const vb_data_t *data, int row, const char *pattern, char **out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (!data || !data->set || !pattern || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing data, pattern or output pointer.");
    const vb_data_set_t *set = data->set;
    if (row < 0 || row >= set->nrows)
        return vb_diag_set(d, VB_E_USAGE, "usage", set->name, 0, 0, "Row %d does not exist: the data has %d rows.",
                           row, set->nrows);
    const vb_val_t *r = &set->rows[row];
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    vb_buf_t b = {0};
    vb_status_t st = VB_OK;
    size_t plen = strlen(pattern);
    for (size_t i = 0; i < plen && st == VB_OK;) {
        const char *open = strstr(pattern + i, "{{");
        if (!open) {
            put_safe(&b, pattern + i, plen - i);
            break;
        }
        put_safe(&b, pattern + i, (size_t)(open - pattern) - i);
        const char *close = strstr(open + 2, "}}");
        size_t col = (size_t)(open - pattern) + 1;
        if (!close) {
            st = vb_diag_set(d, VB_E_USAGE, "name.pattern", "the name pattern", 1, (int)col,
                             "The tag at column %zu of the name pattern \"%s\" has no \"}}\".", col, pattern);
            break;
        }
        const char *p = open + 2, *e = close;
        while (p < e && *p == ' ')
            p++;
        while (e > p && e[-1] == ' ')
            e--;
        i = (size_t)(close - pattern) + 2;
        if ((size_t)(e - p) == 3 && memcmp(p, "row", 3) == 0) {
            vb_buf_printf(&b, "%d", row + 1);
            continue;
        }
        const vb_val_t *v = e > p && strchr("#^/!>&{", *p) == NULL ? vb_merge_lookup(r, p, (size_t)(e - p)) : NULL;
        if (e > p && strchr("#^/!>&{", *p)) {
            st = vb_diag_set(d, VB_E_USAGE, "name.tag", "the name pattern", 1, (int)col,
                             "The name pattern \"%s\" holds a tag other than {{name}} or {{row}} at column %zu.",
                             pattern, col);
            break;
        }
        if (!v) {
            st = vb_diag_set(d, VB_E_INPUT, "template.missing", "the name pattern", 1, (int)col,
                             "%s, row %d, has no value named \"%.*s\" for the name pattern (column %zu).", set->name,
                             r->pos.row, (int)(e - p), p, col);
            break;
        }
        if (v->kind == VB_VAL_LIST || v->kind == VB_VAL_OBJECT) {
            st = vb_diag_set(d, VB_E_INPUT, "template.not-text", "the name pattern", 1, (int)col,
                             "%s, row %d: \"%.*s\" is a list or an object, not a text, for the name pattern.",
                             set->name, r->pos.row, (int)(e - p), p);
            break;
        }
        if (v->text && v->len) {
            /* control characters (C0, DEL, C1) replaced before the text is prepared, which would refuse them */
            char *raw = vb_arena_alloc_raw(arena, v->len + 1);
            size_t rn = 0;
            if (!raw) {
                st = vb_diag_nomem(d);
                break;
            }
            for (size_t k = 0; k < v->len; k++) {
                unsigned char c = (unsigned char)v->text[k];
                if (c == 0xC2 && k + 1 < v->len && (unsigned char)v->text[k + 1] >= 0x80 &&
                    (unsigned char)v->text[k + 1] <= 0x9F) {
                    raw[rn++] = '_';
                    k++;
                } else
                    raw[rn++] = c < 0x20 || c == 0x7F ? '_' : (char)c;
            }
            char *nfc = NULL;
            size_t nlen = 0;
            vb_diag_t vd;
            memset(&vd, 0, sizeof vd);
            if (vb_text_prepare(arena, raw, rn, "", &nfc, &nlen, &vd) != VB_OK) {
                char w[600];
                st = vb_diag_set(d, VB_E_INPUT, vd.id, set->name, v->pos.line, v->pos.col, "%s (%s)", vd.msg,
                                 vb_merge_where(set->name, v, w, sizeof w));
                break;
            }
            put_safe(&b, nfc, nlen);
        }
    }
    vb_arena_free(arena);
    if (st == VB_OK && b.oom)
        st = vb_diag_nomem(d);
    if (st != VB_OK) {
        vb_buf_free(&b);
        return st;
    }
    /* no leading dot ("." "..", hidden files), no spaces at the ends */
    size_t a = 0, n = b.n;
    while (a < n && b.p[a] == ' ')
        a++;
    while (n > a && b.p[n - 1] == ' ')
        n--;
    for (size_t k = a; k < n && b.p[k] == '.'; k++)
        b.p[k] = '_';
    if (n == a) {
        vb_buf_free(&b);
        return vb_diag_set(d, VB_E_INPUT, "name.empty", set->name, r->pos.line, 0,
                           "Row %d gives an empty file name from the pattern \"%s\".", r->pos.row, pattern);
    }
    /* too long: the stem cut at a character, the extension (up to 16 bytes after the last '.') kept */
    if (n - a > NAME_MAX_BYTES) {
        const char *dot = NULL;
        for (size_t k = n; k > a; k--)
            if (b.p[k - 1] == '.') {
                dot = b.p + k - 1;
                break;
            }
        size_t ext = dot && (size_t)(b.p + n - dot) <= 16 ? (size_t)(b.p + n - dot) : 0;
        size_t keep = NAME_MAX_BYTES - ext;
        while (keep > 0 && ((unsigned char)b.p[a + keep] & 0xC0) == 0x80)
            keep--;
        memmove(b.p + a + keep, b.p + n - ext, ext);
        n = a + keep + ext;
    }
    char *res = malloc(n - a + 1);
    if (!res) {
        vb_buf_free(&b);
        return vb_diag_nomem(d);
    }
    memcpy(res, b.p + a, n - a);
    res[n - a] = 0;
    vb_buf_free(&b);
    *out = res;
    return VB_OK;
}
