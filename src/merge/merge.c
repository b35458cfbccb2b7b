/*
 * merge.c - a data row merged into a parsed template (see merge.h and
 * docs/templates.md).
 *
 * Every place a tag can stand holds its placeholder (tags.h) inside a text:
 * a YAML scalar, a span of a paragraph, heading, table cell, appendix title
 * or footnote. A text is cut into tokens (plain text, placeholders), and the
 * tokens are merged: a variable gives its value as text, a section repeats
 * the tokens up to its close, a comment gives nothing. A section tag alone
 * on its line is a paragraph of its own, and repeats the blocks up to its
 * close; a row whose first cell starts with {{#x}} repeats the rows up to the
 * one whose last cell ends with {{/x}}.
 */
#include <stdio.h>
#include <string.h>

#include "merge.h"

#define MAX_DEPTH 64

typedef struct scope {
    const vb_val_t *v[MAX_DEPTH];
    int n;
} scope_t;

/* A piece of a text being cut: plain text (tag < 0) or a placeholder. */
typedef struct tok {
    const char *s;
    size_t n;
    int tag;
    uint8_t face;
} tok_t;

typedef VB_VEC(tok_t) toks_t;
typedef VB_VEC(vb_span_t) spans_t;

/* How values are put: into a body's spans, or into a YAML scalar (escaped when read as Markdown). */
typedef struct put {
    bool yaml;
    bool md_escape;       /* a list entry of the front matter: read as inline Markdown, so escaped */
    spans_t *spans;       /* body */
    vb_buf_t *buf;        /* YAML */
} put_t;

static const vb_tag_t *
tag_of(const vb_merge_t *m, int i)
{
    return &m->tags->v[i];
}

static const vb_val_t *
val_get(const vb_val_t *obj, const char *key, size_t n)
{
    if (!obj || obj->kind != VB_VAL_OBJECT)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strlen(obj->keys[i]) == n && memcmp(obj->keys[i], key, n) == 0)
            return &obj->items[i];
    return NULL;
}

/* The rest of a dotted name (after its first part) inside v. */
static const vb_val_t *
descend(const vb_val_t *v, const char *name, size_t len)
{
    while (v && len > 0) {
        const char *dot = memchr(name, '.', len);
        size_t seg = dot ? (size_t)(dot - name) : len;
        v = val_get(v, name, seg);
        if (!dot)
            break;
        name = dot + 1;
        len -= seg + 1;
    }
    return v;
}

const vb_val_t *
vb_merge_lookup(const vb_val_t *row, const char *name, size_t len)
{
    return descend(row, name, len);
}

/* A name in the scopes, innermost first: its first part found, the rest must be inside that value. */
static const vb_val_t *
lookup(const scope_t *sc, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return sc->n ? sc->v[sc->n - 1] : NULL;
    const char *dot = memchr(name, '.', len);
    size_t seg = dot ? (size_t)(dot - name) : len;
    for (int i = sc->n - 1; i >= 0; i--) {
        const vb_val_t *v = val_get(sc->v[i], name, seg);
        if (v)
            return dot ? descend(v, dot + 1, len - seg - 1) : v;
    }
    return NULL;
}

const char *
vb_merge_where(const char *data_name, const vb_val_t *v, char *buf, size_t size)
{
    const char *path = v && v->pos.path ? v->pos.path : "";
    bool json = strchr(path, '[') != NULL;
    char at[48] = "";
    if (v && v->pos.line > 0)
        snprintf(at, sizeof at, ":%d:%d", v->pos.line, v->pos.col);
    snprintf(buf, size, "%s%s, row %d, %s%s%s", data_name ? data_name : "<data>", at, v ? v->pos.row : 0,
             json ? "at " : "column \"", path, json ? "" : "\"");
    return buf;
}

/* The row's number (1-based) for messages. */
static int
row_no(const vb_merge_t *m)
{
    return m->row ? m->row->pos.row : 0;
}

static vb_status_t
missing(const vb_merge_t *m, const scope_t *sc, const vb_tag_t *t, vb_diag_t *d)
{
    bool sect = t->kind != VB_TAG_VAR;
    /* inside a section: the item it was looked for in too ("bang[3]") */
    const vb_val_t *in = sc->n > 1 ? sc->v[sc->n - 1] : NULL;
    const char *path = in && in->pos.path && in->pos.path[0] ? in->pos.path : NULL;
    return vb_diag_set(d, VB_E_INPUT, sect ? "template.missing-section" : "template.missing", m->source,
                       t->pos.line, t->pos.col,
                       "%s, row %d%s%s%s, has no value named \"%s\" for the %s {{%s%s}}: add the column (an empty "
                       "cell is a value) or correct the name.",
                       m->data_name, row_no(m), path ? " (in " : "", path ? path : "", path ? ")" : "", t->name,
                       sect ? "section" : "tag", t->kind == VB_TAG_OPEN ? "#" : t->kind == VB_TAG_INVERT ? "^" : "",
                       t->name);
}

/* How many times a section shows (and with which scope values: items, or the value itself). */
static vb_status_t
section_count(const vb_merge_t *m, const vb_tag_t *t, const vb_val_t *v, int *count, const vb_val_t **items,
              vb_diag_t *d)
{
    *items = NULL;
    *count = 0;
    switch (v->kind) {
    case VB_VAL_LIST:
        *count = v->n;
        *items = v->items;
        break;
    case VB_VAL_TEXT:
        *count = v->len > 0;
        *items = v;
        break;
    case VB_VAL_BOOL:
        *count = v->text && strcmp(v->text, "true") == 0;
        *items = v;
        break;
    case VB_VAL_NULL:
        break;
    case VB_VAL_OBJECT: {
        char w[600];
        return vb_diag_set(d, VB_E_INPUT, "template.section-kind", m->source, t->pos.line, t->pos.col,
                           "The section {{%c%s}} stands over an object (%s): a section goes over a list, a text "
                           "or true/false; name a member, {{%s.ten}}.",
                           t->kind == VB_TAG_OPEN ? '#' : '^', t->name, vb_merge_where(m->data_name, v, w, sizeof w),
                           t->name);
    }
    }
    if (t->kind == VB_TAG_INVERT) {
        *count = *count == 0;
        *items = NULL;
    }
    return VB_OK;
}

static vb_status_t
push_scope(const vb_merge_t *m, scope_t *sc, const vb_tag_t *t, const vb_val_t *v, vb_diag_t *d)
{
    if (sc->n >= MAX_DEPTH)
        return vb_diag_set(d, VB_E_LIMIT, "template.too-deep", m->source, t->pos.line, t->pos.col,
                           "Sections are nested more than %d deep.", MAX_DEPTH);
    sc->v[sc->n++] = v;
    return VB_OK;
}

/*
 * The value v as text (*out in the arena): NFC, line ends as '\n', checked as
 * typed text is; in the body tabs and runs of spaces become one space. A
 * character typed text may not hold is an error at the value.
 */
static vb_status_t
value_text(vb_merge_t *m, const vb_tag_t *t, const vb_val_t *v, bool body, const char **out, size_t *outlen,
           vb_diag_t *d)
{
    char w[600];
    *out = "";
    *outlen = 0;
    if (v->kind == VB_VAL_NULL)
        return VB_OK;
    if (v->kind == VB_VAL_LIST || v->kind == VB_VAL_OBJECT)
        return vb_diag_set(d, VB_E_INPUT, "template.not-text", m->source, t->pos.line, t->pos.col,
                           "{{%s}} names a %s (%s), not a text: print its items inside a section, "
                           "{{#%s}}...{{/%s}}.",
                           t->name, v->kind == VB_VAL_LIST ? "list" : "object",
                           vb_merge_where(m->data_name, v, w, sizeof w), t->name, t->name);
    if (!v->text || v->len == 0)
        return VB_OK;
    vb_diag_t vd;
    memset(&vd, 0, sizeof vd);
    char *p;
    size_t pl;
    vb_status_t st = vb_text_prepare(m->arena, v->text, v->len, "", &p, &pl, &vd);
    int bad_line = vd.line, bad_col = vd.col;
    const char *why = vd.msg;
    char cbuf[200];
    if (st == VB_OK) {
        /* characters typed text may not hold; tabs and spaces */
        char *q = p;
        int line = 1, col = 1;
        for (size_t i = 0; i < pl;) {
            uint32_t cp;
            int n = vb_utf8_decode(p + i, pl - i, &cp);
            if (n <= 0)
                n = 1, cp = (unsigned char)p[i];
            const char *id = NULL;
            if (cp != '\n' && cp != '\t' && vb_char_refused(cp, cbuf, sizeof cbuf, &id)) {
                st = VB_E_INPUT;
                bad_line = line, bad_col = col;
                snprintf(vd.id, sizeof vd.id, "%s", id);
                snprintf(vd.msg, sizeof vd.msg, "The value contains %s.", cbuf);
                break;
            }
            if (cp == '\n')
                line++, col = 1;
            else
                col++;
            if (body && (cp == ' ' || cp == '\t')) {
                if (q > p && q[-1] != ' ' && q[-1] != '\n')
                    *q++ = ' ';
            } else if (body && cp == '\n') {
                while (q > p && q[-1] == ' ')
                    q--;
                *q++ = '\n';
            } else if (cp == '\t') {
                *q++ = ' ';
            } else {
                memmove(q, p + i, (size_t)n);
                q += n;
            }
            i += (size_t)n;
        }
        if (st == VB_OK) {
            if (body)
                while (q > p && (q[-1] == ' ' || q[-1] == '\n'))
                    q--;
            *out = p;
            *outlen = (size_t)(q - p);
            return VB_OK;
        }
    }
    if (st == VB_E_NOMEM)
        return vb_diag_nomem(d);
    /* at the value in the data file */
    int line = v->pos.line > 0 ? v->pos.line + (bad_line > 1 ? bad_line - 1 : 0) : 0;
    int col = v->pos.line > 0 ? (bad_line > 1 ? bad_col : v->pos.col + (bad_col > 1 ? bad_col - 1 : 0)) : 0;
    return vb_diag_set(d, st, vd.id[0] ? vd.id : "utf8.invalid", m->data_name, line, col,
                       "%s (%s, printed by {{%s}} at %s:%d:%d)", why, vb_merge_where(m->data_name, v, w, sizeof w),
                       t->name, m->source, t->pos.line, t->pos.col);
}

/* Cuts s[0..n) (face) into tokens. */
static vb_status_t
cut(vb_merge_t *m, const char *s, size_t n, uint8_t face, toks_t *out, vb_diag_t *d)
{
    size_t a = 0;
    for (size_t i = 0; i < n;) {
        int t = (unsigned char)s[i] == 0xF4 ? vb_tag_at(s + i, n - i) : -1;
        if (t < 0 || t >= m->tags->n) {
            i++;
            continue;
        }
        if (i > a) {
            tok_t k = {s + a, i - a, -1, face};
            if (VB_PUSH(m->arena, *out, k))
                return vb_diag_nomem(d);
        }
        tok_t k = {s + i, 4, t, face};
        i += 4;
        while (vb_tag_filler(s + i, n - i))
            i += 4;
        k.n = i - (size_t)(k.s - s);
        if (VB_PUSH(m->arena, *out, k))
            return vb_diag_nomem(d);
        a = i;
    }
    if (n > a) {
        tok_t k = {s + a, n - a, -1, face};
        if (VB_PUSH(m->arena, *out, k))
            return vb_diag_nomem(d);
    }
    return VB_OK;
}

static vb_status_t
span_out(vb_merge_t *m, put_t *p, const char *s, size_t n, uint8_t face, vb_diag_t *d)
{
    if (n == 0)
        return VB_OK;
    if (p->yaml)
        return vb_buf_add(p->buf, s, n) ? vb_diag_nomem(d) : VB_OK;
    vb_span_t sp = {s, n, face};
    return VB_PUSH(m->arena, *p->spans, sp) ? vb_diag_nomem(d) : VB_OK;
}

static vb_status_t
section_span(const vb_merge_t *m, const vb_tag_t *t, vb_diag_t *d)
{
    return vb_diag_set(d, VB_E_INPUT, "template.section-span", m->source, t->pos.line, t->pos.col,
                       "The section {{%c%s}} closes outside the text it opens in. A section inside a paragraph, "
                       "heading, cell or front-matter value closes in the same one; a section tag alone on its "
                       "line repeats whole paragraphs and tables, closed by {{/%s}} alone on its line; table rows "
                       "repeat from {{#%s}} at the start of a row's first cell to {{/%s}} at the end of a row's "
                       "last cell.",
                       t->kind == VB_TAG_OPEN ? '#' : t->kind == VB_TAG_INVERT ? '^' : '/', t->name, t->name,
                       t->name, t->name);
}

static vb_status_t merge_toks(vb_merge_t *m, const tok_t *tk, int from, int to, scope_t *sc, put_t *p,
                              vb_diag_t *d);

/* A variable's value put (as text, or read as Markdown with "| markdown"). */
static vb_status_t
put_var(vb_merge_t *m, const tok_t *k, scope_t *sc, put_t *p, vb_diag_t *d)
{
    const vb_tag_t *t = tag_of(m, k->tag);
    const vb_val_t *v = lookup(sc, t->name, t->len);
    if (!v)
        return missing(m, sc, t, d);
    const char *s;
    size_t n;
    vb_status_t st = value_text(m, t, v, !p->yaml, &s, &n, d);
    if (st != VB_OK)
        return st;
    vb_merge_origin_t o = {k->tag, v};
    if (VB_PUSH(m->arena, m->origins, o))
        return vb_diag_nomem(d);
    if (p->yaml) {
        if (!p->md_escape || t->markdown)
            return span_out(m, p, s, n, 0, d);
        /* a list entry is read as inline Markdown: every ASCII punctuation escaped, so the value stays as given */
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80 && c > ' ' && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) &&
                vb_buf_putc(p->buf, '\\'))
                return vb_diag_nomem(d);
            if (vb_buf_putc(p->buf, (char)c))
                return vb_diag_nomem(d);
        }
        return VB_OK;
    }
    if (!t->markdown)
        return span_out(m, p, s, n, k->face, d);
    vb_diag_t md;
    memset(&md, 0, sizeof md);
    st = vb_md_check_refs(s, n, m->source, t->pos.line, t->pos.col, true, &md);
    vb_inline_t in = {0};
    if (st == VB_OK)
        st = vb_md_inline(m->arena, s, n, &in, &md);
    if (st != VB_OK) {
        char w[600];
        return vb_diag_set(d, st, md.id, m->data_name, v->pos.line, v->pos.col, "%s (%s, printed by {{%s | markdown}} at %s:%d:%d)",
                           md.msg, vb_merge_where(m->data_name, v, w, sizeof w), t->name, m->source, t->pos.line,
                           t->pos.col);
    }
    for (int i = 0; i < in.n && st == VB_OK; i++)
        st = span_out(m, p, in.spans[i].text, in.spans[i].len, (uint8_t)(in.spans[i].face | k->face), d);
    return st;
}

/* A section over the tokens (from, to) between its open tag at tk[from - 1]... run count times. */
static vb_status_t
run_section(vb_merge_t *m, const vb_tag_t *t, scope_t *sc, const tok_t *tk, int from, int to, put_t *p,
            vb_diag_t *d)
{
    const vb_val_t *v = lookup(sc, t->name, t->len);
    if (!v)
        return missing(m, sc, t, d);
    int count;
    const vb_val_t *items;
    vb_status_t st = section_count(m, t, v, &count, &items, d);
    for (int r = 0; r < count && st == VB_OK; r++) {
        const vb_val_t *it = items ? (v->kind == VB_VAL_LIST ? &items[r] : items) : NULL;
        if (it && (st = push_scope(m, sc, t, it, d)) != VB_OK)
            break;
        st = merge_toks(m, tk, from, to, sc, p, d);
        if (it)
            sc->n--;
    }
    return st;
}

static vb_status_t
merge_toks(vb_merge_t *m, const tok_t *tk, int from, int to, scope_t *sc, put_t *p, vb_diag_t *d)
{
    vb_status_t st = VB_OK;
    for (int i = from; i < to && st == VB_OK; i++) {
        const tok_t *k = &tk[i];
        if (k->tag < 0) {
            st = span_out(m, p, k->s, k->n, k->face, d);
            continue;
        }
        const vb_tag_t *t = tag_of(m, k->tag);
        switch (t->kind) {
        case VB_TAG_VAR:
            st = put_var(m, k, sc, p, d);
            break;
        case VB_TAG_COMMENT:
            break;
        case VB_TAG_CLOSE:
            return section_span(m, t, d);
        case VB_TAG_OPEN:
        case VB_TAG_INVERT: {
            int j = i + 1;
            while (j < to && tk[j].tag != t->match)
                j++;
            if (j >= to)
                return section_span(m, t, d);
            st = run_section(m, t, sc, tk, i + 1, j, p, d);
            i = j;
            break;
        }
        }
    }
    return st;
}

/* True when s[0..n) holds a placeholder. */
static bool
has_tag(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if ((unsigned char)s[i] == 0xF4 && vb_tag_at(s + i, n - i) >= 0)
            return true;
    return false;
}

static bool
inline_has_tag(const vb_inline_t *in)
{
    for (int i = 0; i < in->n; i++)
        if (has_tag(in->spans[i].text, in->spans[i].len))
            return true;
    return false;
}

/*
 * Spans as the reader gives them: neighbours of one face joined (never
 * footnote references), runs of spaces one space, none at the start, the
 * end, or beside a line break.
 */
static vb_status_t
tidy(vb_merge_t *m, const spans_t *in, vb_inline_t *out, vb_diag_t *d)
{
    out->spans = NULL;
    out->n = 0;
    if (in->n == 0)
        return VB_OK;
    vb_span_t *v = VB_NEWN(m->arena, vb_span_t, in->n);
    if (!v)
        return vb_diag_nomem(d);
    int n = 0;
    for (int i = 0; i < in->n;) {
        int j = i + 1;
        size_t len = in->v[i].len;
        uint8_t f = in->v[i].face;
        while (j < in->n && in->v[j].face == f && !(f & VB_SPAN_NOTE))
            len += in->v[j++].len;
        char *t = vb_arena_alloc_raw(m->arena, len + 1);
        if (!t)
            return vb_diag_nomem(d);
        size_t k = 0;
        for (int q = i; q < j; q++) {
            const char *s = in->v[q].text;
            for (size_t a = 0; a < in->v[q].len; a++) {
                char c = s[a];
                bool prev_sp = k > 0 ? t[k - 1] == ' ' || t[k - 1] == '\n'
                                     : n == 0 || (v[n - 1].len > 0 && (v[n - 1].text[v[n - 1].len - 1] == ' ' ||
                                                                       v[n - 1].text[v[n - 1].len - 1] == '\n'));
                if (c == ' ' && prev_sp)
                    continue;
                if (c == '\n' && k > 0 && t[k - 1] == ' ')
                    k--;
                t[k++] = c;
            }
        }
        t[k] = 0;
        if (k > 0 || (f & VB_SPAN_NOTE))
            v[n++] = (vb_span_t){t, k, f};
        i = j;
    }
    /* no space at the end */
    while (n > 0) {
        vb_span_t *l = &v[n - 1];
        while (l->len > 0 && l->text[l->len - 1] == ' ' && !(l->face & VB_SPAN_NOTE))
            l->len--;
        if (l->len > 0 || (l->face & VB_SPAN_NOTE))
            break;
        n--;
    }
    out->spans = v;
    out->n = n;
    return VB_OK;
}

/* An inline (paragraph, heading, cell) with the row's values; skip_first / skip_last drop a row section's tags. */
static vb_status_t
merge_inline(vb_merge_t *m, const vb_inline_t *in, scope_t *sc, bool skip_first, bool skip_last, vb_inline_t *out,
             vb_diag_t *d)
{
    if (!inline_has_tag(in)) {
        *out = *in;
        return VB_OK;
    }
    toks_t tk = {0};
    vb_status_t st = VB_OK;
    for (int i = 0; i < in->n && st == VB_OK; i++)
        st = cut(m, in->spans[i].text, in->spans[i].len, in->spans[i].face, &tk, d);
    if (st != VB_OK)
        return st;
    int from = 0, to = tk.n;
    if (skip_first)
        from++;
    if (skip_last)
        to--;
    spans_t sp = {0};
    put_t p = {.spans = &sp};
    st = merge_toks(m, tk.v, from, to, sc, &p, d);
    if (st == VB_OK)
        st = tidy(m, &sp, out, d);
    return st;
}

/* The tag a paragraph that is a section tag alone on its line stands for; -1 for any other block. */
static int
line_tag(const vb_merge_t *m, const vb_block_t *b)
{
    if (b->kind != VB_BLOCK_PARA || b->text.n != 1)
        return -1;
    const vb_span_t *s = &b->text.spans[0];
    int t = vb_tag_at(s->text, s->len);
    if (t < 0 || t >= m->tags->n || !tag_of(m, t)->standalone ||
        s->len != 4 * (size_t)tag_of(m, t)->nchars)
        return -1;
    return t;
}

typedef VB_VEC(vb_block_t) blockv_t;

static vb_status_t merge_blocks(vb_merge_t *m, const vb_block_t *b, int n, scope_t *sc, blockv_t *out, vb_diag_t *d);

/* The first cell of row r that is no covered cell, from the left (dir 1) or the right (-1). */
static const vb_cell_t *
edge_cell(const vb_table_t *t, int r, int dir)
{
    for (int c = dir > 0 ? 0 : t->ncols - 1; c >= 0 && c < t->ncols; c += dir)
        if (!VB_CELL(t, r, c)->covered)
            return VB_CELL(t, r, c);
    return NULL;
}

/* The tag a cell starts (first) or ends (!first) with; -1 when none. */
static int
cell_edge_tag(const vb_merge_t *m, const vb_cell_t *c, bool first)
{
    if (!c || c->text.n == 0)
        return -1;
    const vb_span_t *s = &c->text.spans[first ? 0 : c->text.n - 1];
    if (first)
        return vb_tag_at(s->text, s->len);
    /* the last placeholder of the span, ending it */
    size_t i = s->len;
    while (i >= 4 && vb_tag_filler(s->text + i - 4, 4))
        i -= 4;
    if (i < 4)
        return -1;
    int t = vb_tag_at(s->text + i - 4, 4);
    if (t < 0 || t >= m->tags->n || (size_t)tag_of(m, t)->nchars * 4 != s->len - (i - 4))
        return -1;
    return t;
}

typedef VB_VEC(vb_cell_t) cellv_t;

/* Rows r0..r1 of t merged once into cells (with the row section's own tags dropped when sect). */
static vb_status_t
merge_rows(vb_merge_t *m, const vb_table_t *t, int r0, int r1, bool sect, scope_t *sc, cellv_t *cells, vb_diag_t *d)
{
    for (int r = r0; r <= r1; r++) {
        const vb_cell_t *first = edge_cell(t, r, 1), *last = edge_cell(t, r, -1);
        for (int c = 0; c < t->ncols; c++) {
            vb_cell_t cell = *VB_CELL(t, r, c);
            bool sf = sect && r == r0 && VB_CELL(t, r, c) == first;
            bool sl = sect && r == r1 && VB_CELL(t, r, c) == last;
            vb_status_t st = merge_inline(m, &VB_CELL(t, r, c)->text, sc, sf, sl, &cell.text, d);
            if (st != VB_OK)
                return st;
            if (VB_PUSH(m->arena, *cells, cell))
                return vb_diag_nomem(d);
        }
    }
    return VB_OK;
}

static vb_status_t
merge_table(vb_merge_t *m, const vb_table_t *t, scope_t *sc, vb_table_t **out, vb_diag_t *d)
{
    bool any = false;
    for (int i = 0; i < t->nrows * t->ncols && !any; i++)
        any = inline_has_tag(&t->cells[i].text);
    if (!any) {
        *out = (vb_table_t *)t;
        return VB_OK;
    }
    cellv_t cells = {0};
    vb_status_t st = VB_OK;
    for (int r = 0; r < t->nrows && st == VB_OK; r++) {
        int ot = r >= t->nhead ? cell_edge_tag(m, edge_cell(t, r, 1), true) : -1;
        const vb_tag_t *o = ot >= 0 && ot < m->tags->n ? tag_of(m, ot) : NULL;
        if (o && (o->kind == VB_TAG_OPEN || o->kind == VB_TAG_INVERT)) {
            /* a row section: the row whose last cell ends with its close */
            int r1 = r;
            while (r1 < t->nrows && cell_edge_tag(m, edge_cell(t, r1, -1), false) != o->match)
                r1++;
            if (r1 < t->nrows) {
                const vb_val_t *v = lookup(sc, o->name, o->len);
                if (!v)
                    return missing(m, sc, o, d);
                int count;
                const vb_val_t *items;
                st = section_count(m, o, v, &count, &items, d);
                for (int k = 0; k < count && st == VB_OK; k++) {
                    const vb_val_t *it = items ? (v->kind == VB_VAL_LIST ? &items[k] : items) : NULL;
                    if (it && (st = push_scope(m, sc, o, it, d)) != VB_OK)
                        break;
                    st = merge_rows(m, t, r, r1, true, sc, &cells, d);
                    if (it)
                        sc->n--;
                }
                r = r1;
                continue;
            }
        }
        st = merge_rows(m, t, r, r, false, sc, &cells, d);
    }
    if (st != VB_OK)
        return st;
    vb_table_t *nt = VB_NEW(m->arena, vb_table_t);
    if (!nt)
        return vb_diag_nomem(d);
    *nt = *t;
    nt->cells = cells.v;
    nt->nrows = t->ncols ? cells.n / t->ncols : 0;
    *out = nt;
    return VB_OK;
}

static vb_status_t
merge_blocks(vb_merge_t *m, const vb_block_t *b, int n, scope_t *sc, blockv_t *out, vb_diag_t *d)
{
    vb_status_t st = VB_OK;
    for (int i = 0; i < n && st == VB_OK; i++) {
        int lt = line_tag(m, &b[i]);
        if (lt >= 0) {
            const vb_tag_t *t = tag_of(m, lt);
            if (t->kind == VB_TAG_COMMENT)
                continue;
            if (t->kind == VB_TAG_CLOSE || t->kind == VB_TAG_VAR)
                return section_span(m, t, d);
            int j = i + 1;
            while (j < n && line_tag(m, &b[j]) != t->match)
                j++;
            if (j >= n)
                return section_span(m, t, d);
            const vb_val_t *v = lookup(sc, t->name, t->len);
            if (!v)
                return missing(m, sc, t, d);
            int count;
            const vb_val_t *items;
            st = section_count(m, t, v, &count, &items, d);
            for (int k = 0; k < count && st == VB_OK; k++) {
                const vb_val_t *it = items ? (v->kind == VB_VAL_LIST ? &items[k] : items) : NULL;
                if (it && (st = push_scope(m, sc, t, it, d)) != VB_OK)
                    break;
                st = merge_blocks(m, b + i + 1, j - i - 1, sc, out, d);
                if (it)
                    sc->n--;
            }
            i = j;
            continue;
        }
        vb_block_t nb = b[i];
        if (b[i].kind == VB_BLOCK_PARA || b[i].kind == VB_BLOCK_HEADING) {
            bool had = inline_has_tag(&b[i].text);
            st = merge_inline(m, &b[i].text, sc, false, false, &nb.text, d);
            if (st == VB_OK && had && nb.text.n == 0)
                continue; /* nothing left: as if the line were not typed */
        } else if (b[i].kind == VB_BLOCK_TABLE) {
            st = merge_table(m, b[i].table, sc, &nb.table, d);
        }
        if (st == VB_OK && VB_PUSH(m->arena, *out, nb))
            st = vb_diag_nomem(d);
    }
    return st;
}

static void
row_scope(const vb_merge_t *m, scope_t *sc)
{
    sc->n = 0;
    sc->v[sc->n++] = m->row;
}

vb_status_t
vb_merge_body(vb_merge_t *m, const vb_model_t *tpl, vb_model_t *out, vb_diag_t *d)
{
    scope_t sc;
    row_scope(m, &sc);
    blockv_t bv = {0};
    vb_status_t st = merge_blocks(m, tpl->body.v, tpl->body.n, &sc, &bv, d);
    if (st != VB_OK)
        return st;
    out->body.v = bv.v;
    out->body.n = bv.n;
    out->nappendices = tpl->nappendices;
    out->appendices = tpl->nappendices ? VB_NEWN(m->arena, vb_appendix_t, tpl->nappendices) : NULL;
    if (tpl->nappendices && !out->appendices)
        return vb_diag_nomem(d);
    for (int a = 0; a < tpl->nappendices && st == VB_OK; a++) {
        const vb_appendix_t *ta = &tpl->appendices[a];
        vb_appendix_t *oa = &out->appendices[a];
        *oa = *ta;
        st = merge_inline(m, &ta->label, &sc, false, false, &oa->label, d);
        if (ta->ntitle) {
            oa->title = VB_NEWN(m->arena, vb_inline_t, ta->ntitle);
            if (!oa->title)
                return vb_diag_nomem(d);
        }
        for (int k = 0; k < ta->ntitle && st == VB_OK; k++)
            st = merge_inline(m, &ta->title[k], &sc, false, false, &oa->title[k], d);
        blockv_t ab = {0};
        if (st == VB_OK)
            st = merge_blocks(m, ta->blocks.v, ta->blocks.n, &sc, &ab, d);
        oa->blocks.v = ab.v;
        oa->blocks.n = ab.n;
    }
    out->nnotes = tpl->nnotes;
    out->notes = tpl->nnotes ? VB_NEWN(m->arena, vb_footnote_t, tpl->nnotes) : NULL;
    if (tpl->nnotes && !out->notes)
        return vb_diag_nomem(d);
    for (int k = 0; k < tpl->nnotes && st == VB_OK; k++) {
        out->notes[k] = tpl->notes[k];
        st = merge_inline(m, &tpl->notes[k].text, &sc, false, false, &out->notes[k].text, d);
    }
    return st;
}

/* ---- the front matter ---- */

/* A scalar's tokens from..to merged into out's text (a value is text: never YAML's null). */
static vb_status_t
yaml_scalar(vb_merge_t *m, bool esc, scope_t *sc, const tok_t *tk, int from, int to, vb_ynode_t *out, vb_diag_t *d)
{
    vb_buf_t b = {0};
    put_t p = {.yaml = true, .md_escape = esc, .buf = &b};
    vb_status_t st = merge_toks(m, tk, from, to, sc, &p, d);
    if (st == VB_OK) {
        out->str = vb_arena_strndup(m->arena, b.p ? b.p : "", b.n);
        out->len = b.n;
        out->plain = false; /* a value is text: "~" or "null" from the data is not YAML's null */
        if (!out->str || b.oom)
            st = vb_diag_nomem(d);
    }
    vb_buf_free(&b);
    return st;
}

static vb_status_t merge_node(vb_merge_t *m, const vb_ynode_t *in, bool esc, bool top, scope_t *sc,
                              vb_ynode_t **out, vb_diag_t *d);

/* A sequence item that is one whole section: one item per element. */
static vb_status_t
merge_seq(vb_merge_t *m, const vb_ynode_t *in, bool esc, scope_t *sc, vb_ynode_t *o, vb_diag_t *d)
{
    VB_VEC(vb_ynode_t *) items = {0};
    vb_status_t st = VB_OK;
    for (int i = 0; i < in->n && st == VB_OK; i++) {
        const vb_ynode_t *it = in->items[i];
        if (it->kind == VB_Y_SCALAR && has_tag(it->str, it->len)) {
            toks_t tk = {0};
            st = cut(m, it->str, it->len, 0, &tk, d);
            if (st != VB_OK)
                break;
            const vb_tag_t *t = tk.n >= 2 && tk.v[0].tag >= 0 ? tag_of(m, tk.v[0].tag) : NULL;
            if (t && (t->kind == VB_TAG_OPEN || t->kind == VB_TAG_INVERT) && tk.v[tk.n - 1].tag == t->match) {
                const vb_val_t *v = lookup(sc, t->name, t->len);
                if (!v)
                    return missing(m, sc, t, d);
                int count;
                const vb_val_t *vals;
                st = section_count(m, t, v, &count, &vals, d);
                for (int k = 0; k < count && st == VB_OK; k++) {
                    const vb_val_t *e = vals ? (v->kind == VB_VAL_LIST ? &vals[k] : vals) : NULL;
                    if (e && (st = push_scope(m, sc, t, e, d)) != VB_OK)
                        break;
                    vb_ynode_t *n = VB_NEW(m->arena, vb_ynode_t);
                    if (!n)
                        return vb_diag_nomem(d);
                    *n = *it;
                    st = yaml_scalar(m, esc, sc, tk.v, 1, tk.n - 1, n, d);
                    if (e)
                        sc->n--;
                    /* an empty element gives no item */
                    if (st == VB_OK && n->len > 0 && VB_PUSH(m->arena, items, n))
                        st = vb_diag_nomem(d);
                }
                continue;
            }
        }
        vb_ynode_t *n;
        st = merge_node(m, it, esc, false, sc, &n, d);
        if (st == VB_OK && VB_PUSH(m->arena, items, n))
            st = vb_diag_nomem(d);
    }
    o->items = items.v;
    o->n = items.n;
    return st;
}

static vb_status_t
merge_node(vb_merge_t *m, const vb_ynode_t *in, bool esc, bool top, scope_t *sc, vb_ynode_t **out, vb_diag_t *d)
{
    vb_ynode_t *o = VB_NEW(m->arena, vb_ynode_t);
    if (!o)
        return vb_diag_nomem(d);
    *o = *in;
    *out = o;
    switch (in->kind) {
    case VB_Y_SCALAR: {
        if (!has_tag(in->str, in->len))
            return VB_OK;
        toks_t tk = {0};
        vb_status_t st = cut(m, in->str, in->len, 0, &tk, d);
        return st == VB_OK ? yaml_scalar(m, esc, sc, tk.v, 0, tk.n, o, d) : st;
    }
    case VB_Y_SEQ:
        return merge_seq(m, in, esc, sc, o, d);
    case VB_Y_MAP: {
        o->items = VB_NEWN(m->arena, vb_ynode_t *, in->n ? in->n : 1);
        if (!o->items)
            return vb_diag_nomem(d);
        for (int i = 0; i < in->n; i++) {
            if (has_tag(in->keys[i], strlen(in->keys[i]))) {
                int t = -1;
                for (size_t k = 0; in->keys[i][k] && t < 0; k++)
                    t = vb_tag_at(in->keys[i] + k, strlen(in->keys[i] + k));
                return vb_diag_set(d, VB_E_INPUT, "template.tag-in-key", m->source, in->key_pos[i].line,
                                   in->key_pos[i].col, "A tag stands in the key \"{{%s}}...\": tags stand in values only.",
                                   t >= 0 ? tag_of(m, t)->name : "");
            }
            /* the top-level list fields are read as inline Markdown: their values escaped */
            bool e = esc;
            if (top) {
                const vb_meta_key_t *mk = vb_meta_key(in->keys[i], strlen(in->keys[i]));
                e = esc || (mk && mk->kind == VB_META_KIND_LIST);
            }
            vb_status_t st = merge_node(m, in->items[i], e, false, sc, &o->items[i], d);
            if (st != VB_OK)
                return st;
        }
        return VB_OK;
    }
    }
    return VB_OK;
}

vb_status_t
vb_merge_yaml(vb_merge_t *m, const vb_ynode_t *in, vb_ynode_t **out, vb_diag_t *d)
{
    *out = NULL;
    if (!in)
        return VB_OK;
    scope_t sc;
    row_scope(m, &sc);
    return merge_node(m, in, false, true, &sc, out, d);
}

void
vb_merge_note(const vb_merge_t *m, vb_diag_t *dg)
{
    /* the merge's own errors name the data already */
    if (!m || !dg->line || strcmp(dg->source, m->source) != 0 || strncmp(dg->id, "template.", 9) == 0)
        return;
    const vb_val_t *seen[3];
    int ns = 0;
    for (int i = 0; i < m->origins.n && ns < 3; i++) {
        const vb_merge_origin_t *o = &m->origins.v[i];
        if (tag_of(m, o->tag)->pos.line != dg->line || o->val->kind == VB_VAL_NULL)
            continue;
        bool dup = false;
        for (int k = 0; k < ns; k++)
            dup = dup || seen[k] == o->val;
        if (!dup)
            seen[ns++] = o->val;
    }
    if (!ns)
        return;
    size_t len = strlen(dg->msg);
    for (int k = 0; k < ns && len + 1 < sizeof dg->msg; k++) {
        char w[600];
        vb_merge_where(m->data_name, seen[k], w, sizeof w);
        int r = snprintf(dg->msg + len, sizeof dg->msg - len, "%s%s", k ? "; " : " (from the data: ", w);
        if (r < 0)
            break;
        len += (size_t)r;
        if (len >= sizeof dg->msg)
            len = sizeof dg->msg - 1;
    }
    if (len + 2 <= sizeof dg->msg) {
        dg->msg[len] = ')';
        dg->msg[len + 1] = 0;
    }
}

/* ---- the template's structure, checked once ---- */

typedef struct chk {
    vb_merge_t *m;        /* arena, source and tags only */
    int *where;           /* per tag: the container it stands in, 0 where none was found */
    int next;             /* the next container's number */
} chk_t;

static void
chk_text(chk_t *c, const char *s, size_t n, int container)
{
    for (size_t i = 0; i + 3 < n; i++) {
        int t = (unsigned char)s[i] == 0xF4 ? vb_tag_at(s + i, n - i) : -1;
        if (t >= 0 && t < c->m->tags->n)
            c->where[t] = container;
    }
}

static void
chk_inline(chk_t *c, const vb_inline_t *in)
{
    int k = ++c->next;
    for (int i = 0; i < in->n; i++)
        chk_text(c, in->spans[i].text, in->spans[i].len, k);
}

static void
chk_table(chk_t *c, const vb_table_t *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        chk_inline(c, &t->cells[i].text);
    /* a row section: its two tags in the table's own container */
    int k = ++c->next;
    for (int r = t->nhead; r < t->nrows; r++) {
        int ot = cell_edge_tag(c->m, edge_cell(t, r, 1), true);
        if (ot < 0 || ot >= c->m->tags->n)
            continue;
        const vb_tag_t *o = tag_of(c->m, ot);
        if (o->kind != VB_TAG_OPEN && o->kind != VB_TAG_INVERT)
            continue;
        for (int r1 = r; r1 < t->nrows; r1++)
            if (cell_edge_tag(c->m, edge_cell(t, r1, -1), false) == o->match) {
                c->where[ot] = c->where[o->match] = k;
                break;
            }
    }
}

static void
chk_blocks(chk_t *c, const vb_blocks_t *b)
{
    int k = ++c->next;
    for (int i = 0; i < b->n; i++) {
        int lt = line_tag(c->m, &b->v[i]);
        if (lt >= 0)
            c->where[lt] = k;
        else if (b->v[i].kind == VB_BLOCK_TABLE)
            chk_table(c, b->v[i].table);
        else
            chk_inline(c, &b->v[i].text);
    }
}

static void
chk_yaml(chk_t *c, const vb_ynode_t *n)
{
    if (!n)
        return;
    if (n->kind == VB_Y_SCALAR) {
        chk_text(c, n->str, n->len, ++c->next);
        return;
    }
    for (int i = 0; i < n->n; i++) {
        if (n->kind == VB_Y_MAP)
            chk_text(c, n->keys[i], strlen(n->keys[i]), ++c->next);
        chk_yaml(c, n->items[i]);
    }
}

vb_status_t
vb_merge_check(vb_merge_t *m, const vb_ynode_t *front, const vb_model_t *body, vb_diag_t *d)
{
    if (m->tags->n == 0)
        return VB_OK;
    chk_t c = {m, VB_NEWN(m->arena, int, m->tags->n), 0};
    if (!c.where)
        return vb_diag_nomem(d);
    chk_yaml(&c, front);
    chk_blocks(&c, &body->body);
    for (int a = 0; a < body->nappendices; a++) {
        chk_inline(&c, &body->appendices[a].label);
        for (int k = 0; k < body->appendices[a].ntitle; k++)
            chk_inline(&c, &body->appendices[a].title[k]);
        chk_blocks(&c, &body->appendices[a].blocks);
    }
    for (int k = 0; k < body->nnotes; k++)
        chk_inline(&c, &body->notes[k].text);
    for (int i = 0; i < m->tags->n; i++) {
        const vb_tag_t *t = tag_of(m, i);
        if (!c.where[i])
            return vb_diag_set(d, VB_E_INPUT, "template.tag-lost", m->source, t->pos.line, t->pos.col,
                               "This tag stands where nothing of the document is printed (a link's address, an "
                               "image, an HTML comment, an unused footnote): it would be dropped. Write it in the "
                               "text, or as a comment {{! ... }}.");
        if ((t->kind == VB_TAG_OPEN || t->kind == VB_TAG_INVERT) && c.where[i] != c.where[t->match])
            return section_span(m, t, d);
    }
    return VB_OK;
}
