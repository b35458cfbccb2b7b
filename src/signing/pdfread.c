/*
 * pdfread.c - a small, strict reader of vanban's PDFs (see pdfread.h).
 *
 * Why not libqpdf (Debian 12 has libqpdf-dev 11.3 with the C API qpdf-c.h):
 * what the signer needs from a reader is the byte offsets of the file it
 * appends to (the last startxref, each object's place, each revision's end)
 * and the exact bytes of the values it copies into the update, and the C API
 * hides both behind its object model; it would also bring a C++ runtime into
 * the library for a few hundred lines of parsing of files we write ourselves.
 * qpdf stays what the tests check every output with (qpdf --check).
 */
#include "pdfread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_SECTIONS 4096

typedef struct parser {
    vb_arena_t *arena;
    const unsigned char *b;
    size_t len, pos;
    const char *name;
    vb_diag_t *d;
    int depth;
} parser_t;

static vb_status_t
bad(vb_diag_t *d, const char *name, const char *what, size_t off)
{
    return vb_diag_set(d, VB_E_INPUT, "sign.input", name, 0, 0,
                       "%s is damaged or not a PDF vanban can update: %s (at byte %zu).", name, what, off);
}

static bool
is_ws(unsigned char c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool
is_delim(unsigned char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '/' || c == '%';
}

static void
skip_ws(parser_t *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->b[p->pos];
        if (is_ws(c)) {
            p->pos++;
        } else if (c == '%') {
            while (p->pos < p->len && p->b[p->pos] != '\n' && p->b[p->pos] != '\r')
                p->pos++;
        } else {
            break;
        }
    }
}

/* The keyword kw at the position, followed by a delimiter, white space or the end. */
static bool
at_word(const parser_t *p, const char *kw)
{
    size_t n = strlen(kw);
    if (p->len - p->pos < n || memcmp(p->b + p->pos, kw, n))
        return false;
    return p->pos + n == p->len || is_ws(p->b[p->pos + n]) || is_delim(p->b[p->pos + n]);
}

/* A whole number (no sign) at the position; false when none. */
static bool
read_uint(parser_t *p, int64_t *out)
{
    size_t s = p->pos;
    int64_t v = 0;
    while (p->pos < p->len && p->b[p->pos] >= '0' && p->b[p->pos] <= '9') {
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (p->b[p->pos] - '0');
        p->pos++;
    }
    *out = v;
    return p->pos > s;
}

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static vb_status_t parse(parser_t *p, vb_pv_t *v);

static vb_status_t
parse_hex(parser_t *p, vb_pv_t *v)
{
    size_t s = ++p->pos, nd = 0;
    while (p->pos < p->len && p->b[p->pos] != '>') {
        if (hexval(p->b[p->pos]) >= 0)
            nd++;
        else if (!is_ws(p->b[p->pos]))
            return bad(p->d, p->name, "a hex string holds a character that is not a hex digit", p->pos);
        p->pos++;
    }
    if (p->pos >= p->len)
        return bad(p->d, p->name, "a hex string is not closed", s);
    char *out = vb_arena_alloc_raw(p->arena, nd / 2 + 2);
    if (!out)
        return vb_diag_nomem(p->d);
    size_t o = 0;
    int hi = -1;
    for (size_t i = s; i < p->pos; i++) {
        int h = hexval(p->b[i]);
        if (h < 0)
            continue;
        if (hi < 0) {
            hi = h;
        } else {
            out[o++] = (char)(hi * 16 + h);
            hi = -1;
        }
    }
    if (hi >= 0)
        out[o++] = (char)(hi * 16);
    out[o] = 0;
    p->pos++;
    v->kind = VB_PV_STR;
    v->s = out;
    v->slen = o;
    return VB_OK;
}

static vb_status_t
parse_literal(parser_t *p, vb_pv_t *v)
{
    size_t s = p->pos++;
    vb_buf_t b = {0};
    int depth = 1;
    while (p->pos < p->len) {
        unsigned char c = p->b[p->pos++];
        if (c == '\\') {
            if (p->pos >= p->len)
                break;
            unsigned char e = p->b[p->pos++];
            const char *map = "n\nr\rt\tb\bf\f((\\)\\\\";
            const char *m = NULL;
            for (const char *q = map; *q; q += 2)
                if ((unsigned char)*q == e) {
                    m = q + 1;
                    break;
                }
            if (m) {
                vb_buf_putc(&b, *m);
            } else if (e >= '0' && e <= '7') {
                int val = e - '0';
                for (int k = 0; k < 2 && p->pos < p->len && p->b[p->pos] >= '0' && p->b[p->pos] <= '7'; k++)
                    val = val * 8 + (p->b[p->pos++] - '0');
                vb_buf_putc(&b, (char)(val & 0xFF));
            } else if (e == '\r') {
                if (p->pos < p->len && p->b[p->pos] == '\n')
                    p->pos++;
            } else if (e != '\n') {
                vb_buf_putc(&b, (char)e);
            }
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            break;
        vb_buf_putc(&b, (char)c);
    }
    if (depth) {
        vb_buf_free(&b);
        return bad(p->d, p->name, "a string is not closed", s);
    }
    if (b.oom) {
        vb_buf_free(&b);
        return vb_diag_nomem(p->d);
    }
    v->kind = VB_PV_STR;
    v->slen = b.n;
    v->s = vb_arena_strndup(p->arena, b.p ? b.p : "", b.n);
    vb_buf_free(&b);
    return v->s ? VB_OK : vb_diag_nomem(p->d);
}

static vb_status_t
parse_name(parser_t *p, vb_pv_t *v)
{
    size_t s = ++p->pos;
    while (p->pos < p->len && !is_ws(p->b[p->pos]) && !is_delim(p->b[p->pos]))
        p->pos++;
    char *out = vb_arena_alloc_raw(p->arena, p->pos - s + 1);
    if (!out)
        return vb_diag_nomem(p->d);
    size_t o = 0;
    for (size_t i = s; i < p->pos; i++) {
        if (p->b[i] == '#' && i + 2 < p->pos && hexval(p->b[i + 1]) >= 0 && hexval(p->b[i + 2]) >= 0) {
            out[o++] = (char)(hexval(p->b[i + 1]) * 16 + hexval(p->b[i + 2]));
            i += 2;
        } else {
            out[o++] = (char)p->b[i];
        }
    }
    out[o] = 0;
    v->kind = VB_PV_NAME;
    v->s = out;
    v->slen = o;
    return VB_OK;
}

/* Growable list of values while an array or dictionary is read (malloc, then copied into the arena). */
typedef struct vlist {
    vb_pv_t *v;
    const char **k;
    int n, cap;
} vlist_t;

static bool
vlist_push(vlist_t *l, const char *key, const vb_pv_t *val)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        vb_pv_t *nv = realloc(l->v, sizeof *nv * (size_t)cap);
        if (!nv)
            return false;
        l->v = nv;
        const char **nk = realloc(l->k, sizeof *nk * (size_t)cap);
        if (!nk)
            return false;
        l->k = nk;
        l->cap = cap;
    }
    l->k[l->n] = key;
    l->v[l->n++] = *val;
    return true;
}

static vb_status_t
vlist_finish(parser_t *p, vlist_t *l, vb_pv_t *v, bool dict)
{
    v->n = l->n;
    v->items = VB_NEWN(p->arena, vb_pv_t, l->n ? l->n : 1);
    v->keys = dict ? VB_NEWN(p->arena, const char *, l->n ? l->n : 1) : NULL;
    if (!v->items || (dict && !v->keys)) {
        free(l->v);
        free(l->k);
        return vb_diag_nomem(p->d);
    }
    if (l->n)
        memcpy(v->items, l->v, sizeof *l->v * (size_t)l->n);
    if (dict && l->n)
        memcpy(v->keys, l->k, sizeof *l->k * (size_t)l->n);
    free(l->v);
    free(l->k);
    return VB_OK;
}

static vb_status_t
parse_container(parser_t *p, vb_pv_t *v, bool dict)
{
    size_t s = p->pos;
    p->pos += dict ? 2 : 1;
    vlist_t l = {0};
    vb_status_t rc = VB_OK;
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len) {
            rc = bad(p->d, p->name, dict ? "a dictionary is not closed" : "an array is not closed", s);
            break;
        }
        if (dict && p->pos + 1 < p->len && p->b[p->pos] == '>' && p->b[p->pos + 1] == '>') {
            p->pos += 2;
            break;
        }
        if (!dict && p->b[p->pos] == ']') {
            p->pos++;
            break;
        }
        const char *key = NULL;
        if (dict) {
            if (p->b[p->pos] != '/') {
                rc = bad(p->d, p->name, "a dictionary key is not a name", p->pos);
                break;
            }
            vb_pv_t k = {0};
            if ((rc = parse_name(p, &k)) != VB_OK)
                break;
            key = k.s;
            skip_ws(p);
        }
        vb_pv_t item = {0};
        if ((rc = parse(p, &item)) != VB_OK)
            break;
        if (!vlist_push(&l, key, &item)) {
            rc = vb_diag_nomem(p->d);
            break;
        }
    }
    if (rc != VB_OK) {
        free(l.v);
        free(l.k);
        return rc;
    }
    v->kind = dict ? VB_PV_DICT : VB_PV_ARRAY;
    return vlist_finish(p, &l, v, dict);
}

static vb_status_t
parse_number(parser_t *p, vb_pv_t *v)
{
    size_t s = p->pos;
    bool neg = false, dot = false, digit = false;
    double val = 0, scale = 1;
    if (p->b[p->pos] == '+' || p->b[p->pos] == '-')
        neg = p->b[p->pos++] == '-';
    while (p->pos < p->len) {
        unsigned char c = p->b[p->pos];
        if (c >= '0' && c <= '9') {
            digit = true;
            if (dot)
                val += (c - '0') * (scale /= 10);
            else
                val = val * 10 + (c - '0');
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
        p->pos++;
    }
    if (!digit)
        return bad(p->d, p->name, "a number has no digits", s);
    v->kind = VB_PV_NUM;
    v->num = neg ? -val : val;
    /* "12 0 R": a reference */
    if (!neg && !dot && p->b[s] != '+') {
        parser_t q = *p;
        skip_ws(&q);
        int64_t gen;
        if (q.pos > p->pos && read_uint(&q, &gen)) {
            size_t after_gen = q.pos;
            skip_ws(&q);
            if (q.pos > after_gen && at_word(&q, "R") && val <= 2147483647.0 && gen <= 65535) {
                v->kind = VB_PV_REF;
                v->ref = (int)val;
                v->gen = (int)gen;
                p->pos = q.pos + 1;
            }
        }
    }
    return VB_OK;
}

static vb_status_t
parse(parser_t *p, vb_pv_t *v)
{
    skip_ws(p);
    memset(v, 0, sizeof *v);
    if (p->pos >= p->len)
        return bad(p->d, p->name, "a value is missing at the end of the file", p->pos);
    if (++p->depth > MAX_DEPTH)
        return bad(p->d, p->name, "values are nested too deep", p->pos);
    size_t s = p->pos;
    unsigned char c = p->b[p->pos];
    vb_status_t rc;
    if (c == '<' && p->pos + 1 < p->len && p->b[p->pos + 1] == '<')
        rc = parse_container(p, v, true);
    else if (c == '<')
        rc = parse_hex(p, v);
    else if (c == '[')
        rc = parse_container(p, v, false);
    else if (c == '(')
        rc = parse_literal(p, v);
    else if (c == '/')
        rc = parse_name(p, v);
    else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.')
        rc = parse_number(p, v);
    else if (at_word(p, "true") || at_word(p, "false")) {
        v->kind = VB_PV_BOOL;
        v->num = c == 't';
        p->pos += c == 't' ? 4 : 5;
        rc = VB_OK;
    } else if (at_word(p, "null")) {
        v->kind = VB_PV_NULL;
        p->pos += 4;
        rc = VB_OK;
    } else {
        rc = bad(p->d, p->name, "an unexpected character where a value should be", p->pos);
    }
    p->depth--;
    v->off = s;
    v->len = p->pos - s;
    return rc;
}

vb_status_t
vb_pdfread_value(vb_arena_t *arena, const unsigned char *text, size_t len, vb_pv_t *out, vb_diag_t *d)
{
    parser_t p = {arena, text, len, 0, "the value", d, 0};
    return parse(&p, out);
}

const vb_pv_t *
vb_pv_get(const vb_pv_t *dict, const char *key)
{
    if (!dict || dict->kind != VB_PV_DICT)
        return NULL;
    for (int i = dict->n - 1; i >= 0; i--) /* the last of a repeated key, as readers do */
        if (!strcmp(dict->keys[i], key))
            return &dict->items[i];
    return NULL;
}

bool
vb_pv_is_name(const vb_pv_t *v, const char *nm)
{
    return v && v->kind == VB_PV_NAME && !strcmp(v->s, nm);
}

vb_status_t
vb_pdfread_object_at(const vb_pdfdoc_t *doc, int num, size_t off, vb_pv_t *out, size_t *stream_off, vb_diag_t *d)
{
    parser_t p = {doc->arena, doc->buf, doc->len, off, doc->name, d, 0};
    int64_t n, g;
    char what[96];
    snprintf(what, sizeof what, "object %d is not where the cross-reference table says", num);
    if (!read_uint(&p, &n) || n != num)
        return bad(d, doc->name, what, off);
    skip_ws(&p);
    if (!read_uint(&p, &g))
        return bad(d, doc->name, what, off);
    skip_ws(&p);
    if (!at_word(&p, "obj"))
        return bad(d, doc->name, what, off);
    p.pos += 3;
    vb_status_t rc = parse(&p, out);
    if (rc != VB_OK)
        return rc;
    skip_ws(&p);
    if (stream_off)
        *stream_off = 0;
    if (at_word(&p, "stream")) {
        p.pos += 6;
        if (p.pos < p.len && p.b[p.pos] == '\r')
            p.pos++;
        if (p.pos < p.len && p.b[p.pos] == '\n')
            p.pos++;
        if (stream_off)
            *stream_off = p.pos;
        return VB_OK;
    }
    if (!at_word(&p, "endobj")) {
        snprintf(what, sizeof what, "object %d does not end with endobj", num);
        return bad(d, doc->name, what, p.pos);
    }
    return VB_OK;
}

vb_status_t
vb_pdfread_object(const vb_pdfdoc_t *doc, int num, vb_pv_t *out, size_t *stream_off, vb_diag_t *d)
{
    if (num <= 0 || num >= doc->size || !doc->offs[num]) {
        char what[80];
        snprintf(what, sizeof what, "object %d is referred to but not in the file", num);
        return bad(d, doc->name, what, 0);
    }
    return vb_pdfread_object_at(doc, num, doc->offs[num], out, stream_off, d);
}

const vb_pv_t *
vb_pdfread_resolve(const vb_pdfdoc_t *doc, const vb_pv_t *v, vb_pv_t *tmp, vb_diag_t *d)
{
    if (!v)
        return NULL;
    if (v->kind != VB_PV_REF)
        return v;
    return vb_pdfread_object(doc, v->ref, tmp, NULL, d) == VB_OK ? tmp : NULL;
}

/* Finds the last occurrence of word in buf[from, to). */
static size_t
rfind(const unsigned char *b, size_t from, size_t to, const char *word)
{
    size_t n = strlen(word);
    if (to - from < n)
        return (size_t)-1;
    for (size_t i = to - n + 1; i-- > from;)
        if (!memcmp(b + i, word, n))
            return i;
    return (size_t)-1;
}

/* Reads the cross-reference section at off (and, through /Prev, the older ones). */
static vb_status_t
read_section(vb_pdfdoc_t *doc, size_t off, bool *seen, int seen_n, vb_xsect_t *sects, int *nsects,
             const vb_pv_t **trailer_out, vb_diag_t *d)
{
    for (int i = 0; i < *nsects; i++)
        if (sects[i].off == off)
            return bad(d, doc->name, "the /Prev chain of the cross-reference tables loops", off);
    if (*nsects >= MAX_SECTIONS)
        return bad(d, doc->name, "too many cross-reference sections", off);
    parser_t p = {doc->arena, doc->buf, doc->len, off, doc->name, d, 0};
    if (off >= doc->len)
        return bad(d, doc->name, "startxref points past the end of the file", off);
    if (!at_word(&p, "xref")) {
        int64_t n;
        if (read_uint(&p, &n)) {
            skip_ws(&p);
            int64_t g;
            if (read_uint(&p, &g)) {
                skip_ws(&p);
                if (at_word(&p, "obj"))
                    return vb_diag_set(d, VB_E_INPUT, "sign.input", doc->name, 0, 0,
                                       "%s uses a cross-reference stream (PDF 1.5 and later), which vanban does not "
                                       "update; vanban's own PDFs have a classic table. An unsigned file can be "
                                       "rewritten first with: qpdf --object-streams=disable IN OUT.",
                                       doc->name);
            }
        }
        return bad(d, doc->name, "startxref does not point to a cross-reference table", off);
    }
    p.pos += 4;
    vb_xsect_t *s = &sects[(*nsects)++];
    s->off = off;
    VB_VEC(int) nums = {0};
    VB_VEC(size_t) noffs = {0};
    for (;;) {
        skip_ws(&p);
        if (at_word(&p, "trailer"))
            break;
        int64_t first, count;
        if (!read_uint(&p, &first))
            return bad(d, doc->name, "a cross-reference subsection has no first object number", p.pos);
        skip_ws(&p);
        if (!read_uint(&p, &count))
            return bad(d, doc->name, "a cross-reference subsection has no count", p.pos);
        if (first + count > 10000000 || count * 20 > (int64_t)(doc->len - p.pos))
            return bad(d, doc->name, "a cross-reference subsection is larger than the file", p.pos);
        while (p.pos < p.len && (p.b[p.pos] == ' ' || p.b[p.pos] == '\r' || p.b[p.pos] == '\n'))
            p.pos++;
        for (int64_t i = 0; i < count; i++) {
            const unsigned char *e = p.b + p.pos;
            if (p.len - p.pos < 20 || (e[17] != 'n' && e[17] != 'f') || e[10] != ' ' || e[16] != ' ')
                return bad(d, doc->name, "a cross-reference entry is not 20 bytes \"oooooooooo ggggg n\"", p.pos);
            int64_t o = 0;
            for (int k = 0; k < 10; k++) {
                if (e[k] < '0' || e[k] > '9')
                    return bad(d, doc->name, "a cross-reference offset is not a number", p.pos);
                o = o * 10 + (e[k] - '0');
            }
            int num = (int)(first + i);
            if (e[17] == 'n') {
                if (o <= 0 || (size_t)o >= doc->len)
                    return bad(d, doc->name, "a cross-reference offset points outside the file", p.pos);
                if (VB_PUSH(doc->arena, nums, num) < 0 || VB_PUSH(doc->arena, noffs, (size_t)o) < 0)
                    return vb_diag_nomem(d);
            }
            if (num < seen_n && !seen[num]) {
                seen[num] = true;
                doc->offs[num] = e[17] == 'n' ? (size_t)o : 0;
            }
            p.pos += 20;
        }
    }
    p.pos += 7;
    vb_pv_t *tr = VB_NEW(doc->arena, vb_pv_t);
    if (!tr)
        return vb_diag_nomem(d);
    vb_status_t rc = parse(&p, tr);
    if (rc != VB_OK)
        return rc;
    if (tr->kind != VB_PV_DICT)
        return bad(d, doc->name, "the trailer is not a dictionary", p.pos);
    s->nums = nums.v;
    s->offs = noffs.v;
    s->n = nums.n;
    size_t eof = p.pos;
    while (eof + 5 <= doc->len && memcmp(doc->buf + eof, "%%EOF", 5))
        eof++;
    s->end = eof + 5 <= doc->len ? eof + 5 : doc->len;
    while (s->end < doc->len && (doc->buf[s->end] == '\r' || doc->buf[s->end] == '\n'))
        s->end++;
    if (trailer_out)
        *trailer_out = tr;
    if (vb_pv_get(tr, "XRefStm"))
        return vb_diag_set(d, VB_E_INPUT, "sign.input", doc->name, 0, 0,
                           "%s is a hybrid file with a cross-reference stream (/XRefStm), which vanban does not update.",
                           doc->name);
    const vb_pv_t *prev = vb_pv_get(tr, "Prev");
    if (prev) {
        if (prev->kind != VB_PV_NUM || prev->num < 0 || prev->num >= (double)doc->len)
            return bad(d, doc->name, "the trailer's /Prev is not an offset in the file", prev->off);
        return read_section(doc, (size_t)prev->num, seen, seen_n, sects, nsects, NULL, d);
    }
    return VB_OK;
}

vb_status_t
vb_pdfread_open(vb_arena_t *arena, const unsigned char *buf, size_t len, const char *name, vb_pdfdoc_t *doc,
                vb_diag_t *d)
{
    memset(doc, 0, sizeof *doc);
    doc->arena = arena;
    doc->buf = buf;
    doc->len = len;
    doc->name = name ? name : "the PDF";
    if (len < 32 || memcmp(buf, "%PDF-1.", 7))
        return vb_diag_set(d, VB_E_INPUT, "sign.input", doc->name, 0, 0, "%s is not a PDF (it does not start with %%PDF-1.).",
                           doc->name);
    size_t tail = len > 1024 ? len - 1024 : 0;
    size_t sx = rfind(buf, tail, len, "startxref");
    if (sx == (size_t)-1 || rfind(buf, sx, len, "%%EOF") == (size_t)-1)
        return bad(d, doc->name, "no startxref and %%EOF at its end (a truncated file?)", len);
    parser_t p = {arena, buf, len, sx + 9, doc->name, d, 0};
    skip_ws(&p);
    int64_t x;
    if (!read_uint(&p, &x) || (size_t)x >= len)
        return bad(d, doc->name, "startxref has no offset in the file", sx);
    doc->startxref = (size_t)x;

    /* the size first, from the last trailer, to size the offset table */
    vb_xsect_t *sects = VB_NEWN(arena, vb_xsect_t, MAX_SECTIONS);
    if (!sects)
        return vb_diag_nomem(d);
    /* a first pass with no table reads the trailer's /Size; then the real one */
    size_t t = rfind(buf, doc->startxref, len, "trailer");
    if (t == (size_t)-1) {
        int ns = 0;
        return read_section(doc, doc->startxref, NULL, 0, sects, &ns, NULL, d); /* reports the stream or damage */
    }
    p.pos = t + 7;
    vb_pv_t tr;
    vb_status_t rc = parse(&p, &tr);
    if (rc != VB_OK)
        return rc;
    const vb_pv_t *size = vb_pv_get(&tr, "Size");
    if (!size || size->kind != VB_PV_NUM || size->num < 1 || size->num > (double)len)
        return bad(d, doc->name, "the trailer has no usable /Size", t);
    doc->size = (int)size->num;
    doc->offs = VB_NEWN(arena, size_t, doc->size);
    bool *seen = calloc((size_t)doc->size, 1);
    if (!doc->offs || !seen) {
        free(seen);
        return vb_diag_nomem(d);
    }
    int ns = 0;
    rc = read_section(doc, doc->startxref, seen, doc->size, sects, &ns, &doc->trailer, d);
    free(seen);
    if (rc != VB_OK)
        return rc;
    /* oldest first */
    doc->nsects = ns;
    doc->sects = VB_NEWN(arena, vb_xsect_t, ns);
    if (!doc->sects)
        return vb_diag_nomem(d);
    for (int i = 0; i < ns; i++)
        doc->sects[i] = sects[ns - 1 - i];
    if (vb_pv_get(doc->trailer, "Encrypt"))
        return vb_diag_set(d, VB_E_INPUT, "sign.input", doc->name, 0, 0,
                           "%s is encrypted; vanban signs only unencrypted PDFs.", doc->name);
    const vb_pv_t *root = vb_pv_get(doc->trailer, "Root");
    if (!root || root->kind != VB_PV_REF)
        return bad(d, doc->name, "the trailer has no /Root", doc->startxref);
    doc->root = root->ref;
    const vb_pv_t *info = vb_pv_get(doc->trailer, "Info");
    doc->info = info && info->kind == VB_PV_REF ? info->ref : 0;
    vb_pv_t cat;
    if ((rc = vb_pdfread_object(doc, doc->root, &cat, NULL, d)) != VB_OK)
        return rc;
    if (!vb_pv_is_name(vb_pv_get(&cat, "Type"), "Catalog"))
        return bad(d, doc->name, "/Root is not a catalog", cat.off);
    return VB_OK;
}

typedef VB_VEC(vb_pdffield_t) fieldvec_t;

static vb_status_t
walk_fields(const vb_pdfdoc_t *doc, const vb_pv_t *arr, const char *prefix, const char *ft, int depth,
            fieldvec_t *out, vb_diag_t *d)
{
    if (!arr || arr->kind != VB_PV_ARRAY)
        return VB_OK;
    if (depth > 16)
        return bad(d, doc->name, "form fields are nested too deep", arr->off);
    for (int i = 0; i < arr->n; i++) {
        const vb_pv_t *r = &arr->items[i];
        if (r->kind != VB_PV_REF)
            return bad(d, doc->name, "a form field is not an indirect object", r->off);
        vb_pv_t obj;
        vb_status_t rc = vb_pdfread_object(doc, r->ref, &obj, NULL, d);
        if (rc != VB_OK)
            return rc;
        if (obj.kind != VB_PV_DICT)
            return bad(d, doc->name, "a form field is not a dictionary", obj.off);
        const vb_pv_t *t = vb_pv_get(&obj, "T");
        const char *part = t && t->kind == VB_PV_STR ? t->s : NULL;
        const char *name = part ? (prefix && *prefix ? vb_arena_printf(doc->arena, "%s.%s", prefix, part)
                                                     : part)
                                : prefix ? prefix : "";
        if (!name)
            return vb_diag_nomem(d);
        const vb_pv_t *f = vb_pv_get(&obj, "FT");
        const char *myft = f && f->kind == VB_PV_NAME ? f->s : ft;
        const vb_pv_t *kids = vb_pv_get(&obj, "Kids");
        bool kid_fields = false;
        if (kids && kids->kind == VB_PV_ARRAY && kids->n > 0 && kids->items[0].kind == VB_PV_REF) {
            vb_pv_t k0;
            if ((rc = vb_pdfread_object(doc, kids->items[0].ref, &k0, NULL, d)) != VB_OK)
                return rc;
            kid_fields = vb_pv_get(&k0, "T") != NULL;
        }
        if (kid_fields) {
            if ((rc = walk_fields(doc, kids, name, myft, depth + 1, out, d)) != VB_OK)
                return rc;
            continue;
        }
        vb_pdffield_t fl = {0};
        fl.num = r->ref;
        fl.name = name;
        fl.ft = myft ? myft : "";
        fl.dict = obj;
        fl.v = vb_pv_get(&obj, "V");
        if (fl.v && fl.v->kind == VB_PV_NULL)
            fl.v = NULL;
        const vb_pv_t *rect = vb_pv_get(&obj, "Rect");
        if (rect && rect->kind == VB_PV_ARRAY && rect->n == 4)
            for (int k = 0; k < 4; k++)
                fl.rect[k] = rect->items[k].kind == VB_PV_NUM ? rect->items[k].num : 0;
        const vb_pv_t *pg = vb_pv_get(&obj, "P");
        fl.page = pg && pg->kind == VB_PV_REF ? pg->ref : 0;
        if (VB_PUSH(doc->arena, *out, fl) < 0)
            return vb_diag_nomem(d);
    }
    return VB_OK;
}

vb_status_t
vb_pdfread_fields(const vb_pdfdoc_t *doc, int *acroform_num, vb_pdffield_t **fields, int *n, vb_diag_t *d)
{
    *acroform_num = 0;
    *fields = NULL;
    *n = 0;
    vb_pv_t cat, tmp;
    vb_status_t rc = vb_pdfread_object(doc, doc->root, &cat, NULL, d);
    if (rc != VB_OK)
        return rc;
    const vb_pv_t *af = vb_pv_get(&cat, "AcroForm");
    if (!af)
        return VB_OK;
    *acroform_num = af->kind == VB_PV_REF ? af->ref : -1;
    const vb_pv_t *afd = vb_pdfread_resolve(doc, af, &tmp, d);
    if (!afd)
        return d ? d->code : VB_E_INPUT;
    if (afd->kind != VB_PV_DICT)
        return bad(d, doc->name, "/AcroForm is not a dictionary", afd->off);
    fieldvec_t out = {0};
    rc = walk_fields(doc, vb_pv_get(afd, "Fields"), NULL, NULL, 0, &out, d);
    if (rc != VB_OK)
        return rc;
    *fields = out.v;
    *n = out.n;
    return VB_OK;
}

const char *
vb_pdfread_info(const vb_pdfdoc_t *doc, const char *key)
{
    if (!doc->info)
        return NULL;
    vb_pv_t info;
    if (vb_pdfread_object(doc, doc->info, &info, NULL, NULL) != VB_OK)
        return NULL;
    const vb_pv_t *v = vb_pv_get(&info, key);
    if (!v || v->kind != VB_PV_STR)
        return NULL;
    vb_buf_t b = {0};
    const unsigned char *s = (const unsigned char *)v->s;
    if (v->slen >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        for (size_t i = 2; i + 1 < v->slen; i += 2) {
            uint32_t cp = (uint32_t)s[i] << 8 | s[i + 1];
            if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < v->slen) {
                uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
            char u[8];
            vb_buf_add(&b, u, (size_t)vb_utf8_encode(cp, u));
        }
    } else {
        for (size_t i = 0; i < v->slen; i++) {
            char u[8];
            vb_buf_add(&b, u, (size_t)vb_utf8_encode(s[i], u));
        }
    }
    const char *r = b.oom ? NULL : vb_arena_strndup(doc->arena, b.p ? b.p : "", b.n);
    vb_buf_free(&b);
    return r;
}
