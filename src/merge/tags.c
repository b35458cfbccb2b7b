/*
 * tags.c - the {{tags}} of a template found, checked and replaced by
 * placeholders of the same number of characters (see tags.h).
 */
#include <string.h>

#include "tags.h"

/* Characters in s[0..n). */
static int
nchars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static bool
is_sp(char c)
{
    return c == ' ' || c == '\t';
}

/* A line "---" (the front matter's fences), spaces after it allowed. */
static bool
fence_line(const char *s, size_t n)
{
    while (n > 0 && is_sp(s[n - 1]))
        n--;
    return n == 3 && memcmp(s, "---", 3) == 0;
}

/* A pipe-table line: up to three spaces, then '|'. */
static bool
table_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    return i < n && s[i] == '|';
}

/* A name: "." or dotted segments of letters, digits, '_', '-' and any non-ASCII character. */
static bool
good_name(const char *s, size_t n)
{
    if (n == 1 && s[0] == '.')
        return true;
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' && s[i + 1] == '.')
            return false;
        if (!(c >= 0x80 || c == '.' || c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

typedef struct scan {
    vb_arena_t *arena;
    const char *source;
    vb_diag_t *d;
    VB_VEC(vb_tag_t) tags;
} scan_t;

/*
 * Reads the tag whose "{{" is at s[0] of a line (the rest of the line: n
 * bytes); *used gets its bytes. pos: where it is.
 */
static vb_status_t
read_tag(scan_t *sc, const char *s, size_t n, vb_pos_t pos, bool front, size_t *used)
{
    const char *close = NULL;
    for (size_t i = 2; i + 1 < n; i++)
        if (s[i] == '}' && s[i + 1] == '}') {
            close = s + i;
            break;
        }
    if (!close)
        return vb_diag_set(sc->d, VB_E_INPUT, "template.tag-unclosed", sc->source, pos.line, pos.col,
                           "This tag has no \"}}\" on its line: a tag is written on one line, "
                           "\"{{name}}\".");
    /* "{{{x}}}": close at the first "}}", one '}' left after it */
    *used = (size_t)(close - s) + 2;
    const char *p = s + 2, *e = close;
    while (p < e && is_sp(*p))
        p++;
    while (e > p && is_sp(e[-1]))
        e--;
    vb_tag_t t;
    memset(&t, 0, sizeof t);
    t.pos = pos;
    t.front = front;
    t.match = -1;
    t.nchars = nchars(s, *used);
    if (p < e && *p == '!') {
        t.kind = VB_TAG_COMMENT;
        t.name = "";
    } else {
        if (p < e && (*p == '{' || *p == '&' || *p == '>' || *p == '<' || *p == '=' || *p == '$' || *p == '%'))
            return vb_diag_set(sc->d, VB_E_INPUT, "template.tag-kind", sc->source, pos.line, pos.col,
                               "Unknown kind of tag \"{{%c\": a template knows {{name}}, {{#name}}, {{^name}}, "
                               "{{/name}}, {{! comment }} and {{name | markdown}}.",
                               *p);
        t.kind = VB_TAG_VAR;
        if (p < e && (*p == '#' || *p == '^' || *p == '/')) {
            t.kind = *p == '#' ? VB_TAG_OPEN : *p == '^' ? VB_TAG_INVERT : VB_TAG_CLOSE;
            p++;
            while (p < e && is_sp(*p))
                p++;
        }
        const char *bar = e > p ? memchr(p, '|', (size_t)(e - p)) : NULL;
        const char *ne = bar ? bar : e;
        while (ne > p && is_sp(ne[-1]))
            ne--;
        if (bar) {
            const char *f = bar + 1;
            while (f < e && is_sp(*f))
                f++;
            if (t.kind != VB_TAG_VAR || (size_t)(e - f) != 8 || memcmp(f, "markdown", 8) != 0)
                return vb_diag_set(sc->d, VB_E_INPUT, "template.filter", sc->source, pos.line, pos.col,
                                   "Unknown filter \"%.*s\": the one filter is \"| markdown\", after a name "
                                   "({{name | markdown}}).",
                                   (int)(e - f), f);
            t.markdown = true;
        }
        if (ne == p)
            return vb_diag_set(sc->d, VB_E_INPUT, "template.tag-empty", sc->source, pos.line, pos.col,
                               "This tag names nothing: write a name, \"{{ten_don_vi}}\".");
        if (!good_name(p, (size_t)(ne - p)) || (t.kind != VB_TAG_VAR && ne - p == 1 && *p == '.'))
            return vb_diag_set(sc->d, VB_E_INPUT, "template.tag-name", sc->source, pos.line, pos.col,
                               "\"%.*s\" is not a name: names are letters, digits, '_' and '-', parts joined by "
                               "'.' (\"don_vi.ten\"), or \".\" for the item itself.",
                               (int)(ne - p), p);
        t.name = vb_arena_strndup(sc->arena, p, (size_t)(ne - p));
        if (!t.name)
            return vb_diag_nomem(sc->d);
        t.len = (size_t)(ne - p);
    }
    if (sc->tags.n >= VB_TAG_MAX)
        return vb_diag_set(sc->d, VB_E_LIMIT, "template.too-many-tags", sc->source, pos.line, pos.col,
                           "The template has more than %d tags.", VB_TAG_MAX);
    if (VB_PUSH(sc->arena, sc->tags, t))
        return vb_diag_nomem(sc->d);
    return VB_OK;
}

static void
put_cp(char **w, uint32_t cp)
{
    *w += vb_utf8_encode(cp, *w);
}

bool
vb_tags_first(const char *text, size_t len, vb_pos_t *at)
{
    int line = 1;
    size_t ls = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] == '\n') {
            line++;
            ls = i + 1;
        } else if (text[i] == '{' && text[i + 1] == '{') {
            at->line = line;
            at->col = nchars(text + ls, i - ls) + 1;
            return true;
        }
    }
    return false;
}

/* The error of a section tag alone on its line between two rows of a table. */
static vb_status_t
table_tag(scan_t *sc, const vb_tag_t *t)
{
    return vb_diag_set(sc->d, VB_E_INPUT, "template.table-tag", sc->source, t->pos.line, t->pos.col,
                       "A tag alone on its line ends the table. To repeat table rows, put {{#%s}} at the start "
                       "of the first cell of the row to repeat and {{/%s}} at the end of its last cell: "
                       "\"| {{#%s}}{{stt}} | ... | {{so_luong}}{{/%s}} |\".",
                       t->name, t->name, t->name, t->name);
}

vb_status_t
vb_tags_scan(vb_arena_t *arena, const char *text, size_t len, const char *source, char **out, size_t *out_len,
             vb_tags_t *tags, vb_diag_t *d)
{
    scan_t sc;
    memset(&sc, 0, sizeof sc);
    sc.arena = arena;
    sc.source = source;
    sc.d = d;
    tags->v = NULL;
    tags->n = 0;
    *out = (char *)text;
    *out_len = len;
    /* at most 4 bytes a character: every tag's characters at 4 bytes each */
    char *buf = vb_arena_alloc_raw(arena, len * 4 + 1);
    if (!buf)
        return vb_diag_nomem(d);
    char *w = buf;
    int line = 1;
    int fences = 0; /* "---" lines seen at the start: 1 inside the front matter, 2 in the body */
    VB_VEC(int) stack = {0};
    bool prev_table = false;  /* the line before was a table line */
    int pending_table = -1;   /* a standalone tag after a table line: an error if a table line follows */
    vb_status_t st = VB_OK;
    size_t s = 0;
    while (s < len && st == VB_OK) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        const char *ln = text + s;
        size_t n = e - s;
        bool front = fences == 1;
        if (fences < 2 && fence_line(ln, n) && (fences == 1 || line == 1)) {
            if (fences == 1 && stack.n > 0) {
                const vb_tag_t *t = &sc.tags.v[stack.v[stack.n - 1]];
                st = vb_diag_set(d, VB_E_INPUT, "template.section-unclosed", source, t->pos.line, t->pos.col,
                                 "The section {{%c%s}} is not closed in the front matter: a section there stands "
                                 "inside one value; close it with {{/%s}}.",
                                 t->kind == VB_TAG_OPEN ? '#' : '^', t->name, t->name);
                break;
            }
            fences++;
        }
        int first = sc.tags.n;
        size_t ls = 0; /* line start in bytes, for columns */
        char *ph_end = w; /* the end of the line's last placeholder */
        for (size_t i = 0; i < n && st == VB_OK;) {
            unsigned char c = (unsigned char)ln[i];
            if (c == '{' && i + 1 < n && ln[i + 1] == '{') {
                vb_pos_t pos = {line, nchars(ln + ls, i) + 1};
                size_t used = 0;
                st = read_tag(&sc, ln + i, n - i, pos, front, &used);
                if (st != VB_OK)
                    break;
                int idx = sc.tags.n - 1;
                put_cp(&w, VB_TAG_CP0 + (uint32_t)idx);
                for (int k = 1; k < sc.tags.v[idx].nchars; k++)
                    put_cp(&w, VB_TAG_FILL);
                ph_end = w;
                i += used;
                continue;
            }
            if (c >= 0xF0) {
                uint32_t cp;
                int l = vb_utf8_decode(ln + i, n - i, &cp);
                if (l > 0 && cp >= VB_TAG_CP0) {
                    st = vb_diag_set(d, VB_E_INPUT, "template.reserved-char", source, line, nchars(ln, i) + 1,
                                     "A template may not hold U+%04X: the characters U+100000 to U+10FFFF stand "
                                     "for its tags while it is read.",
                                     (unsigned)cp);
                    break;
                }
            }
            *w++ = (char)c;
            i++;
        }
        if (st != VB_OK)
            break;
        /* nesting */
        for (int k = first; k < sc.tags.n; k++) {
            vb_tag_t *t = &sc.tags.v[k];
            if (t->kind == VB_TAG_OPEN || t->kind == VB_TAG_INVERT) {
                if (VB_PUSH(arena, stack, k)) {
                    st = vb_diag_nomem(d);
                    break;
                }
            } else if (t->kind == VB_TAG_CLOSE) {
                if (stack.n == 0) {
                    st = vb_diag_set(d, VB_E_INPUT, "template.section-unopened", source, t->pos.line, t->pos.col,
                                     "{{/%s}} closes no section: no {{#%s}} or {{^%s}} is open here.", t->name,
                                     t->name, t->name);
                    break;
                }
                vb_tag_t *o = &sc.tags.v[stack.v[stack.n - 1]];
                if (strcmp(o->name, t->name) != 0) {
                    st = vb_diag_set(d, VB_E_INPUT, "template.section-mismatch", source, t->pos.line, t->pos.col,
                                     "{{/%s}} closes the section {{%c%s}} opened at line %d, column %d: close "
                                     "that one first with {{/%s}}.",
                                     t->name, o->kind == VB_TAG_OPEN ? '#' : '^', o->name, o->pos.line, o->pos.col,
                                     o->name);
                    break;
                }
                t->match = stack.v[stack.n - 1];
                o->match = k;
                stack.n--;
            }
        }
        /* a section tag (or a comment) alone on its line, in the body: a block of its own */
        bool tline = table_line(ln, n);
        if (st == VB_OK && fences >= 2 && !front && sc.tags.n == first + 1) {
            vb_tag_t *t = &sc.tags.v[first];
            size_t a = 0, b = n;
            while (a < n && is_sp(ln[a]))
                a++;
            while (b > a && is_sp(ln[b - 1]))
                b--;
            if (t->kind != VB_TAG_VAR && b > a && (int)nchars(ln + a, b - a) == t->nchars) {
                t->standalone = true;
                /* the fillers of its placeholder mark the line for the Markdown reader */
                char *p = ph_end;
                for (int k = 1; k < t->nchars; k++) {
                    p -= 4;
                    vb_utf8_encode(VB_TAG_FILL_LINE, p);
                }
                if (t->kind != VB_TAG_COMMENT && prev_table)
                    pending_table = first;
            }
        }
        if (st == VB_OK && pending_table >= 0 && tline) {
            st = table_tag(&sc, &sc.tags.v[pending_table]);
            break;
        }
        if (sc.tags.n != first + 1 || !sc.tags.v[first].standalone)
            pending_table = -1;
        prev_table = tline || (pending_table >= 0 && prev_table);
        if (nl)
            *w++ = '\n';
        s = e + 1;
        line++;
    }
    if (st == VB_OK && stack.n > 0) {
        const vb_tag_t *t = &sc.tags.v[stack.v[stack.n - 1]];
        st = vb_diag_set(d, VB_E_INPUT, "template.section-unclosed", source, t->pos.line, t->pos.col,
                         "The section {{%c%s}} is never closed: end it with {{/%s}}.",
                         t->kind == VB_TAG_OPEN ? '#' : '^', t->name, t->name);
    }
    if (st != VB_OK)
        return st;
    *w = 0;
    tags->v = sc.tags.v;
    tags->n = sc.tags.n;
    if (tags->n) {
        *out = buf;
        *out_len = (size_t)(w - buf);
    }
    return VB_OK;
}
