/*
 * limit.c - the limits of a render: names, defaults, resolving the caller's
 * options, the limit error, and the paragraph-length check on the model.
 * The bounds and their reasons are in limit.h.
 */
#include "limit.h"

#include <stdio.h>
#include <string.h>

typedef struct limdef {
    const char *name;
    size_t off; /* of the field in vb_limits_t */
    int64_t def;
    const char *what;
} limdef_t;

#define LIM(name, field, def, what) {name, offsetof(vb_limits_t, field), def, what}

static const limdef_t defs[] = {
    LIM("source-bytes", source_bytes, VB_LIMIT_SOURCE_BYTES, "bytes of the source file"),
    LIM("frontmatter-bytes", frontmatter_bytes, VB_LIMIT_FRONTMATTER_BYTES, "bytes of the front matter"),
    LIM("pages", pages, VB_LIMIT_PAGES, "pages of the PDF"),
    LIM("table-cells", table_cells, VB_LIMIT_TABLE_CELLS, "cells of one table, head rows included"),
    LIM("table-columns", table_columns, VB_LIMIT_TABLE_COLUMNS, "columns of one table"),
    LIM("nesting", nesting, VB_LIMIT_NESTING, "block quotes and list items, or emphasis, one inside another"),
    LIM("paragraph-chars", paragraph_chars, VB_LIMIT_PARAGRAPH_CHARS,
        "characters of one paragraph, heading or table cell"),
    LIM("image-pixels", image_pixels, VB_LIMIT_IMAGE_PIXELS, "pixels (width x height) of one image"),
    LIM("image-bytes", image_bytes, VB_LIMIT_IMAGE_BYTES, "bytes of one image file"),
    LIM("image-total-pixels", image_total_pixels, VB_LIMIT_IMAGE_TOTAL_PIXELS,
        "pixels of all the images of a document together"),
};
#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

static int64_t *
field(vb_limits_t *l, const limdef_t *def)
{
    return (int64_t *)(void *)((char *)l + def->off);
}

int
vb_limits_info(int i, const char **name, int64_t *default_value, const char **what)
{
    if (i < 0 || i >= NDEFS)
        return 0;
    if (name)
        *name = defs[i].name;
    if (default_value)
        *default_value = defs[i].def;
    if (what)
        *what = defs[i].what;
    return 1;
}

vb_status_t
vb_limits_set(vb_limits_t *limits, const char *name, int64_t value, vb_diag_t *d)
{
    if (d) /* a reused vb_diag_t never reports an earlier call's problem */
        memset(d, 0, sizeof *d);
    if (!limits || !name)
        return vb_diag_set(d, VB_E_USAGE, "limit.usage", NULL, 0, 0, "vb_limits_set needs limits and a name.");
    for (int i = 0; i < NDEFS; i++) {
        if (strcmp(defs[i].name, name) != 0)
            continue;
        if (value < 1)
            return vb_diag_set(d, VB_E_USAGE, "limit.value", NULL, 0, 0,
                               "The %s limit must be a whole number of at least 1, not %lld.", name,
                               (long long)value);
        *field(limits, &defs[i]) = value;
        return VB_OK;
    }
    char known[256];
    size_t o = 0;
    known[0] = 0;
    for (int i = 0; i < NDEFS && o < sizeof known; i++)
        o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", i ? ", " : "", defs[i].name);
    return vb_diag_set(d, VB_E_USAGE, "limit.unknown", NULL, 0, 0, "Unknown limit \"%s\" (known: %s).", name, known);
}

void
vb_limits_resolve(const vb_render_options_t *opt, vb_limits_t *out)
{
    memset(out, 0, sizeof *out);
    if (VB_OPT_HAS(opt, limits))
        *out = opt->limits;
    for (int i = 0; i < NDEFS; i++) {
        int64_t *v = field(out, &defs[i]);
        if (*v <= 0)
            *v = defs[i].def;
    }
}

vb_status_t
vb_limit_fail(vb_diag_t *d, const char *id, const char *source, int line, int col, const char *name,
              const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, vb_tr(fmt), ap);
    va_end(ap);
    return vb_diag_set(d, VB_E_LIMIT, id, source, line, col, "%s; raise the limit with --limit %s=N.", what, name);
}

/* ---- paragraph length: the line breaker's cost grows faster than linearly in it ---- */

static int64_t
chars_of(const vb_inline_t *in)
{
    int64_t n = 0;
    for (int i = 0; i < in->n; i++) {
        const char *s = in->spans[i].text;
        for (size_t k = 0; k < in->spans[i].len; k++)
            n += ((unsigned char)s[k] & 0xC0) != 0x80;
    }
    return n;
}

/* A paragraph over the limit: paragraph.too-long, reported; the check goes on. */
static vb_status_t
too_long(const char *source, vb_pos_t pos, const char *what, int64_t n, const vb_limits_t *lim, vb_sink_t *sink)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_limit_fail(&d, "paragraph.too-long", source, pos.line, pos.col, "paragraph-chars",
                  "This %s has %lld characters, more than %lld", what, (long long)n, (long long)lim->paragraph_chars);
    return vb_sink_take(sink, &d);
}

static vb_status_t
check_blocks(const vb_model_t *m, const vb_blocks_t *bs, const vb_limits_t *lim, vb_sink_t *sink)
{
    vb_status_t st = VB_OK;
    for (int i = 0; i < bs->n; i++) {
        const vb_block_t *b = &bs->v[i];
        if (b->kind == VB_BLOCK_PARA || b->kind == VB_BLOCK_HEADING) {
            int64_t n = chars_of(&b->text);
            if (n > lim->paragraph_chars)
                st = too_long(m->source, b->pos, b->kind == VB_BLOCK_PARA ? "paragraph" : "heading", n, lim, sink);
        } else if (b->kind == VB_BLOCK_TABLE && b->table) {
            const vb_table_t *t = b->table;
            for (int64_t c = 0; c < (int64_t)t->nrows * t->ncols; c++) {
                int64_t n = chars_of(&t->cells[c].text);
                if (n > lim->paragraph_chars)
                    st = too_long(m->source, t->cells[c].pos, "table cell", n, lim, sink);
            }
        }
    }
    return st;
}

vb_status_t
vb_limits_report_model(const vb_model_t *m, const vb_limits_t *lim, vb_sink_t *sink)
{
    vb_status_t st = check_blocks(m, &m->body, lim, sink);
    for (int a = 0; a < m->nappendices; a++) {
        const vb_appendix_t *ap = &m->appendices[a];
        int64_t n = chars_of(&ap->label);
        for (int k = 0; k < ap->ntitle && n <= lim->paragraph_chars; k++)
            n = chars_of(&ap->title[k]);
        if (n > lim->paragraph_chars)
            st = too_long(m->source, ap->pos, "appendix heading", n, lim, sink);
        vb_status_t bst = check_blocks(m, &ap->blocks, lim, sink);
        if (bst != VB_OK)
            st = bst;
    }
    return st;
}

vb_status_t
vb_limits_check_model(const vb_model_t *m, const vb_limits_t *lim, vb_diag_t *d)
{
    vb_sink_t sink;
    vb_sink_init(&sink, d, NULL, NULL);
    vb_limits_report_model(m, lim, &sink);
    return vb_sink_status(&sink);
}
