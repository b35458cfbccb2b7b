/*
 * fields.c - the fields of a signed-ready PDF in the library API: the
 * document's list (vb_document_field) and its JSON, the sidecar that
 * `vanban render --sign-boxes` writes for signing tools that place a
 * signature by page and rectangle (docs/signing.md). The fields themselves
 * are the layout's (sigfields.c); the PDF writes them (pdf_font.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"

vb_status_t
vb_document_index_fields(vb_document_t *doc, vb_diag_t *d)
{
    const vb_dlist_t *dl = &doc->dl;
    doc->fields = NULL;
    if (dl->nfields <= 0)
        return VB_OK;
    doc->fields = VB_NEWN(doc->arena, vb_form_field_t, dl->nfields);
    if (!doc->fields)
        return vb_diag_nomem(d);
    for (int i = 0; i < dl->nfields; i++) {
        const vb_dfield_t *f = &dl->fields[i];
        vb_form_field_t *o = &doc->fields[i];
        o->role = (vb_field_role_t)f->role; /* the same values (dlist.h) */
        o->name = f->name;
        o->label = f->label;
        o->page = f->page;
        o->index = f->index;
        o->x = f->x, o->y = f->y, o->w = f->w, o->h = f->h;
        o->size = f->size;
    }
    return VB_OK;
}

int
vb_document_field_count(const vb_document_t *doc)
{
    return doc ? doc->dl.nfields : 0;
}

const vb_form_field_t *
vb_document_field(const vb_document_t *doc, int i)
{
    return doc && i >= 0 && i < doc->dl.nfields ? &doc->fields[i] : NULL;
}

const char *
vb_field_role_name(vb_field_role_t role)
{
    switch (role) {
    case VB_FIELD_SIGNER:
        return "signer";
    case VB_FIELD_SEAL:
        return "seal";
    case VB_FIELD_APPENDIX:
        return "appendix";
    case VB_FIELD_NUMBER:
        return "number";
    case VB_FIELD_DAY:
    case VB_FIELD_MONTH:
        return "date";
    }
    return NULL;
}

/* Millipoints as points: "595.276", "12", "-3.5" (at most three decimals, no trailing zeros). */
static void
put_pt(vb_buf_t *b, int64_t mp)
{
    if (mp < 0) {
        vb_buf_putc(b, '-');
        mp = -mp;
    }
    vb_buf_printf(b, "%lld", (long long)(mp / 1000));
    int frac = (int)(mp % 1000);
    if (frac) {
        char f[8];
        f[0] = '.', f[1] = (char)('0' + frac / 100), f[2] = (char)('0' + frac / 10 % 10), f[3] = (char)('0' + frac % 10);
        int n = 4;
        while (f[n - 1] == '0')
            n--;
        vb_buf_add(b, f, (size_t)n);
    }
}

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 as it is. */
static void
put_str(vb_buf_t *b, const char *s)
{
    vb_buf_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            vb_buf_putc(b, '\\'), vb_buf_putc(b, (char)c);
        else if (c < 0x20)
            vb_buf_printf(b, "\\u%04x", c);
        else
            vb_buf_putc(b, (char)c);
    }
    vb_buf_putc(b, '"');
}

vb_status_t
vb_document_fields_json(const vb_document_t *doc, char **out, size_t *len, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!doc || !out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing document or output pointer.");
    vb_buf_t b = {0};
    vb_buf_puts(&b, "{\n  \"format\": \"vanban-sign-boxes\",\n  \"version\": 1,\n  \"unit\": \"pt\",\n  \"fields\": [");
    for (int i = 0; i < doc->dl.nfields; i++) {
        const vb_form_field_t *f = &doc->fields[i];
        const vb_dpage_t *pg = &doc->dl.pages[f->page];
        int64_t ph = pg->height;
        vb_buf_puts(&b, i ? ",\n    {" : "\n    {");
        vb_buf_puts(&b, "\"name\": ");
        put_str(&b, f->name);
        vb_buf_puts(&b, ", \"role\": ");
        put_str(&b, vb_field_role_name(f->role));
        if (f->role == VB_FIELD_DAY || f->role == VB_FIELD_MONTH)
            vb_buf_puts(&b, f->role == VB_FIELD_DAY ? ", \"part\": \"day\"" : ", \"part\": \"month\"");
        vb_buf_puts(&b, ", \"type\": ");
        vb_buf_puts(&b, f->role == VB_FIELD_SIGNER || f->role == VB_FIELD_SEAL || f->role == VB_FIELD_APPENDIX
                            ? "\"signature\""
                            : "\"text\"");
        vb_buf_printf(&b, ", \"index\": %d, \"page\": %d,\n     \"label\": ", f->index, f->page + 1);
        put_str(&b, f->label);
        vb_buf_puts(&b, ",\n     \"page_size\": {\"width\": ");
        put_pt(&b, pg->width);
        vb_buf_puts(&b, ", \"height\": ");
        put_pt(&b, ph);
        vb_buf_puts(&b, "},\n     \"rect\": [");
        put_pt(&b, f->x);
        vb_buf_puts(&b, ", ");
        put_pt(&b, ph - f->y - f->h);
        vb_buf_puts(&b, ", ");
        put_pt(&b, f->x + f->w);
        vb_buf_puts(&b, ", ");
        put_pt(&b, ph - f->y);
        vb_buf_puts(&b, "],\n     \"box\": {\"left\": ");
        put_pt(&b, f->x);
        vb_buf_puts(&b, ", \"top\": ");
        put_pt(&b, f->y);
        vb_buf_puts(&b, ", \"width\": ");
        put_pt(&b, f->w);
        vb_buf_puts(&b, ", \"height\": ");
        put_pt(&b, f->h);
        vb_buf_puts(&b, "}}");
    }
    vb_buf_puts(&b, doc->dl.nfields ? "\n  ]\n}\n" : "]\n}\n");
    if (b.oom) {
        vb_buf_free(&b);
        return vb_diag_nomem(d);
    }
    size_t n = 0;
    *out = vb_buf_take(&b, &n);
    if (len)
        *len = n;
    return VB_OK;
}
