/*
 * update.c - appends an incremental update (see update.h). The earlier bytes
 * are copied once and never touched again: every signature over them stays
 * valid.
 */
#include "update.h"

#include <stdlib.h>
#include <string.h>

vb_status_t
vb_pdfupd_begin(vb_pdfupd_t *u, const vb_pdfdoc_t *doc, vb_diag_t *d)
{
    memset(u, 0, sizeof *u);
    u->doc = doc;
    u->next = doc->size;
    if (!vb_buf_reserve(&u->out, doc->len + 65536))
        return vb_diag_nomem(d);
    vb_buf_add(&u->out, doc->buf, doc->len);
    if (doc->len && doc->buf[doc->len - 1] != '\n' && doc->buf[doc->len - 1] != '\r')
        vb_buf_putc(&u->out, '\n');
    return u->out.oom ? vb_diag_nomem(d) : VB_OK;
}

int
vb_pdfupd_new_num(vb_pdfupd_t *u)
{
    return u->next++;
}

void
vb_pdfupd_obj_begin(vb_pdfupd_t *u, int num)
{
    if (u->n == u->cap) {
        int cap = u->cap ? u->cap * 2 : 16;
        vb_updobj_t *o = realloc(u->objs, sizeof *o * (size_t)cap);
        if (!o) {
            u->failed = true;
            return;
        }
        u->objs = o;
        u->cap = cap;
    }
    u->objs[u->n].num = num;
    u->objs[u->n++].off = u->out.n;
    vb_buf_printf(&u->out, "%d 0 obj\n", num);
}

void
vb_pdfupd_obj_end(vb_pdfupd_t *u)
{
    vb_buf_puts(&u->out, "\nendobj\n");
}

void
vb_pdfupd_stream(vb_pdfupd_t *u, int num, const char *dict_keys, const void *data, size_t len)
{
    vb_pdfupd_obj_begin(u, num);
    vb_buf_printf(&u->out, "<< /Length %zu %s >>\nstream\n", len, dict_keys ? dict_keys : "");
    vb_buf_add(&u->out, data, len);
    vb_buf_puts(&u->out, "\nendstream");
    vb_pdfupd_obj_end(u);
}

void
vb_pdfupd_name(vb_pdfupd_t *u, const char *name)
{
    vb_buf_putc(&u->out, '/');
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x21 || *p > 0x7E || *p == '#' || strchr("()<>[]{}/%", *p))
            vb_buf_printf(&u->out, "#%02X", *p);
        else
            vb_buf_putc(&u->out, (char)*p);
    }
}

void
vb_pdfupd_dict_open(vb_pdfupd_t *u, const vb_pv_t *dict, const char *const *drop)
{
    vb_buf_puts(&u->out, "<<");
    for (int i = 0; dict && dict->kind == VB_PV_DICT && i < dict->n; i++) {
        bool skip = false;
        for (const char *const *k = drop; k && *k && !skip; k++)
            skip = !strcmp(*k, dict->keys[i]);
        if (skip)
            continue;
        vb_buf_putc(&u->out, ' ');
        vb_pdfupd_name(u, dict->keys[i]);
        vb_buf_putc(&u->out, ' ');
        vb_buf_add(&u->out, u->doc->buf + dict->items[i].off, dict->items[i].len);
    }
}

void
vb_pdfupd_string(vb_pdfupd_t *u, const char *s, size_t len)
{
    vb_buf_putc(&u->out, '(');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || c == ')' || c == '\\')
            vb_buf_printf(&u->out, "\\%c", c);
        else if (c < 0x20 || c > 0x7E)
            vb_buf_printf(&u->out, "\\%03o", c);
        else
            vb_buf_putc(&u->out, (char)c);
    }
    vb_buf_putc(&u->out, ')');
}

static int
cmp_obj(const void *a, const void *b)
{
    const vb_updobj_t *x = a, *y = b;
    return (x->num > y->num) - (x->num < y->num);
}

vb_status_t
vb_pdfupd_finish(vb_pdfupd_t *u, vb_diag_t *d)
{
    if (u->failed || u->out.oom)
        return vb_diag_nomem(d);
    qsort(u->objs, (size_t)u->n, sizeof *u->objs, cmp_obj);
    for (int i = 1; i < u->n; i++)
        if (u->objs[i].num == u->objs[i - 1].num)
            return vb_diag_set(d, VB_E_PDF, "sign.internal", u->doc->name, 0, 0,
                               "object %d was written twice in one update.", u->objs[i].num);
    size_t xref = u->out.n;
    vb_buf_puts(&u->out, "xref\n");
    for (int i = 0; i < u->n;) {
        int j = i;
        while (j + 1 < u->n && u->objs[j + 1].num == u->objs[j].num + 1)
            j++;
        vb_buf_printf(&u->out, "%d %d\n", u->objs[i].num, j - i + 1);
        for (int k = i; k <= j; k++)
            vb_buf_printf(&u->out, "%010zu 00000 n\r\n", u->objs[k].off);
        i = j + 1;
    }
    int size = u->next;
    for (int i = 0; i < u->n; i++)
        if (u->objs[i].num + 1 > size)
            size = u->objs[i].num + 1;
    const vb_pdfdoc_t *doc = u->doc;
    vb_buf_printf(&u->out, "trailer\n<< /Size %d /Root %d 0 R", size, doc->root);
    if (doc->info)
        vb_buf_printf(&u->out, " /Info %d 0 R", doc->info);
    const vb_pv_t *id = vb_pv_get(doc->trailer, "ID");
    if (id) {
        vb_buf_puts(&u->out, " /ID ");
        vb_buf_add(&u->out, doc->buf + id->off, id->len);
    }
    vb_buf_printf(&u->out, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", doc->startxref, xref);
    return u->out.oom ? vb_diag_nomem(d) : VB_OK;
}

void
vb_pdfupd_free(vb_pdfupd_t *u)
{
    vb_buf_free(&u->out);
    free(u->objs);
    memset(u, 0, sizeof *u);
}
