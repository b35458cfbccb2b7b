/*
 * dataset.c - a data file read (data.h): the checks every data file passes
 * (its size, UTF-8, no NUL byte, a UTF-16 file named as such), the format
 * chosen by the name's extension or the first byte, the readers called
 * (data_csv.c, data_json.c), a member by key, and the text dump of the rows.
 */
#include <string.h>

#include "data.h"

void
vb_datacur_init(vb_datacur_t *c, const char *buf, size_t len)
{
    c->buf = buf;
    c->len = len;
    c->off = 0;
    c->line = 1;
    c->col = 1;
}

void
vb_datacur_to(vb_datacur_t *c, size_t off)
{
    if (off > c->len)
        off = c->len;
    const unsigned char *s = (const unsigned char *)c->buf;
    for (size_t i = c->off; i < off; i++) {
        unsigned char b = s[i];
        if (b == '\n' || (b == '\r' && (i + 1 >= c->len || s[i + 1] != '\n'))) {
            c->line++;
            c->col = 1;
        } else if (b == '\r') {
            /* the CR of a CRLF: the LF ends the line */
        } else if ((b & 0xC0) != 0x80) {
            c->col++; /* a character's first byte */
        }
    }
    if (off > c->off)
        c->off = off;
}

char *
vb_data_text(vb_arena_t *arena, const char *s, size_t n, size_t *len)
{
    char *t = vb_arena_alloc_raw(arena, n + 1);
    if (!t)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            t[k++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
        } else {
            t[k++] = s[i];
        }
    }
    t[k] = 0;
    *len = k;
    return t;
}

const vb_val_t *
vb_val_get(const vb_val_t *obj, const char *key, size_t keylen)
{
    if (!obj || obj->kind != VB_VAL_OBJECT || !key)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strlen(obj->keys[i]) == keylen && memcmp(obj->keys[i], key, keylen) == 0)
            return &obj->items[i];
    return NULL;
}

/* True when name ends with ext (".csv"), letters compared without case. */
static bool
has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n <= e)
        return false;
    for (size_t i = 0; i < e; i++) {
        char c = name[n - e + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return false;
    }
    return true;
}

/* CSV or JSON: by the name's extension, else JSON when the first byte that is not a space is '[' or '{'. */
static vb_data_format_t
choose_format(const char *name, const char *buf, size_t len)
{
    if (has_ext(name, ".csv") || has_ext(name, ".tsv") || has_ext(name, ".txt"))
        return VB_DATA_CSV;
    if (has_ext(name, ".json"))
        return VB_DATA_JSON;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '[' || c == '{' ? VB_DATA_JSON : VB_DATA_CSV;
    }
    return VB_DATA_CSV;
}

/* Every byte valid UTF-8, none NUL: else the error at the first one that is not. */
static vb_status_t
check_text(const char *buf, size_t len, const char *name, vb_diag_t *d)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)buf[i];
        int n = 1;
        uint32_t cp;
        if (b >= 0x80)
            n = vb_utf8_decode_multi(buf + i, len - i, &cp);
        if (b == 0 || n == 0) {
            vb_datacur_t c;
            vb_datacur_init(&c, buf, len);
            vb_datacur_to(&c, i);
            if (b == 0)
                return vb_diag_set(d, VB_E_INPUT, "data.nul", name, c.line, c.col,
                                   "The data file contains a NUL byte: it is not a text file.");
            return vb_diag_set(d, VB_E_INPUT, "data.utf8", name, c.line, c.col,
                               "The data file is not UTF-8 (byte 0x%02X): save it as \"CSV UTF-8\" "
                               "(Excel) or with the character set \"Unicode (UTF-8)\" (LibreOffice).",
                               (unsigned)b);
        }
        i += (size_t)n;
    }
    return VB_OK;
}

vb_status_t
vb_data_set_read(const char *buf, size_t len, const char *name, vb_data_format_t fmt, vb_data_set_t **out,
                 vb_diag_t *d)
{
    *out = NULL;
    if (!name)
        name = "data";
    if ((!buf && len) || (fmt != VB_DATA_AUTO && fmt != VB_DATA_CSV && fmt != VB_DATA_JSON))
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing data or an unknown data format.");
    if ((int64_t)len > VB_DATA_MAX_BYTES)
        return vb_diag_set(d, VB_E_LIMIT, "data.too-large", name, 0, 0,
                           "The data file has more than %lld bytes (64 MiB); split it into several files.",
                           (long long)VB_DATA_MAX_BYTES);
    if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                     ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF)))
        return vb_diag_set(d, VB_E_INPUT, "data.utf16", name, 1, 1,
                           "The data file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\".");
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        buf += 3;
        len -= 3;
    }
    vb_status_t rc = check_text(buf, len, name, d);
    if (rc != VB_OK)
        return rc;
    if (fmt == VB_DATA_AUTO)
        fmt = choose_format(name, buf, len);

    vb_arena_t *arena = vb_arena_new();
    vb_data_set_t *ds = arena ? VB_NEW(arena, vb_data_set_t) : NULL;
    if (!ds || !(ds->name = vb_arena_strdup(arena, name))) {
        vb_arena_free(arena);
        return vb_diag_nomem(d);
    }
    ds->arena = arena;
    ds->format = fmt;
    rc = fmt == VB_DATA_CSV ? vb_data_csv_read(ds, buf ? buf : "", len, d)
                            : vb_data_json_read(ds, buf ? buf : "", len, d);
    if (rc == VB_OK && ds->nrows == 0)
        rc = vb_diag_set(d, VB_E_INPUT, "data.no-rows", name, 0, 0, "The data file has no rows%s.",
                         fmt == VB_DATA_CSV ? " under its header" : "");
    if (rc != VB_OK) {
        vb_arena_free(arena);
        return rc;
    }
    *out = ds;
    return VB_OK;
}

void
vb_data_set_free(vb_data_set_t *ds)
{
    if (ds)
        vb_arena_free(ds->arena);
}

/* ---- the dump ---- */

/* s[0..n) in double quotes, with \" \\ \n \t and \xNN for the other control characters. */
static void
put_quoted(vb_buf_t *b, const char *s, size_t n)
{
    vb_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            vb_buf_putc(b, '\\');
            vb_buf_putc(b, (char)c);
        } else if (c == '\n') {
            vb_buf_puts(b, "\\n");
        } else if (c == '\t') {
            vb_buf_puts(b, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            vb_buf_printf(b, "\\x%02x", c);
        } else {
            vb_buf_putc(b, (char)c);
        }
    }
    vb_buf_putc(b, '"');
}

static void
dump_val(vb_buf_t *b, const vb_val_t *v, int depth)
{
    static const char *kinds[] = {"null", "text", "bool", "list", "object"};
    vb_buf_printf(b, "%s", v->kind >= VB_VAL_NULL && v->kind <= VB_VAL_OBJECT ? kinds[v->kind] : "?");
    if (v->kind == VB_VAL_TEXT || v->kind == VB_VAL_BOOL) {
        vb_buf_putc(b, ' ');
        put_quoted(b, v->text ? v->text : "", v->text ? v->len : 0);
    } else if (v->kind == VB_VAL_LIST || v->kind == VB_VAL_OBJECT) {
        vb_buf_printf(b, " %d", v->n);
    }
    vb_buf_printf(b, " at=%d:%d path=", v->pos.line, v->pos.col);
    put_quoted(b, v->pos.path ? v->pos.path : "", v->pos.path ? strlen(v->pos.path) : 0);
    vb_buf_putc(b, '\n');
    for (int i = 0; (v->kind == VB_VAL_LIST || v->kind == VB_VAL_OBJECT) && i < v->n; i++) {
        for (int k = 0; k <= depth; k++)
            vb_buf_puts(b, "  ");
        if (v->kind == VB_VAL_OBJECT)
            put_quoted(b, v->keys[i], strlen(v->keys[i]));
        else
            vb_buf_printf(b, "%d", i + 1);
        vb_buf_puts(b, ": ");
        dump_val(b, &v->items[i], depth + 1);
    }
}

void
vb_data_set_dump(const vb_data_set_t *ds, vb_buf_t *b)
{
    vb_buf_puts(b, "data ");
    put_quoted(b, ds->name, strlen(ds->name));
    if (ds->format == VB_DATA_CSV) {
        vb_buf_puts(b, " format=csv delimiter=");
        char dl = (char)ds->delimiter;
        put_quoted(b, &dl, 1);
        vb_buf_printf(b, " columns=%d", ds->ncolumns);
    } else {
        vb_buf_puts(b, " format=json");
    }
    vb_buf_printf(b, " rows=%d\n", ds->nrows);
    for (int i = 0; i < ds->ncolumns; i++) {
        vb_buf_printf(b, "column %d ", i + 1);
        put_quoted(b, ds->columns[i], strlen(ds->columns[i]));
        vb_buf_putc(b, '\n');
    }
    for (int r = 0; r < ds->nrows; r++) {
        vb_buf_printf(b, "row %d: ", r + 1);
        dump_val(b, &ds->rows[r], 0);
    }
}
