/*
 * data_json.c - a JSON data file (docs/data-files.md), the only jansson user.
 *
 * The file is an array of rows, each an object ([{"so": "12", ...}, ...]),
 * or an object with one member holding that array ({"chi_bo": [...]}).
 * jansson reads it (a key twice in one object is an error; integers are read
 * as reals so that a long one is not an overflow), and the values are then
 * taken from jansson's tree in the order of the file while a scanner walks
 * the same text alongside: jansson keeps neither a value's position nor a
 * number as written, and the scanner gives both (a number is kept as its
 * text, "1.50" stays "1.50"). The text has been checked by jansson, so the
 * scanner only skips strings, numbers and the literals; were it ever to
 * disagree with the tree, the reading stops with data.json-internal.
 *
 * A path names a value inside its row: "so", "don_vi.ten", "bang[2].so_luong"
 * (items counted from 1, as the rows are).
 */
#include <jansson.h>
#include <string.h>

#include "data.h"

typedef struct jctx {
    vb_data_set_t *ds;
    vb_diag_t *d;
    const char *buf;
    size_t len, off;       /* the scanner */
    vb_datacur_t cur;
    int row;               /* the row being read, from 1 */
    int64_t values;
} jctx_t;

/*
 * Before jansson reads the file: an upper bound on its values (one for the
 * top, one for every ',' '[' '{' outside strings), and the row (counted from
 * 1; 0 before the first) holding byte stop, for jansson's errors.
 */
static void
prescan(const char *buf, size_t len, size_t stop, int64_t *values, size_t *over, int *row_at)
{
    int depth = 0, rows_depth = 0, row = 0;
    int64_t n = 1;
    bool in_str = false;
    *over = len;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (!rows_depth)
                rows_depth = c == '[' ? 1 : 2;
            depth++;
            n++;
            if (depth == rows_depth && i < stop)
                row = 1;
        } else if (c == ']' || c == '}') {
            depth--;
        } else if (c == ',') {
            n++;
            if (depth == rows_depth && i < stop && row)
                row++;
        }
        if (n > VB_DATA_MAX_VALUES && *over == len)
            *over = i;
    }
    *values = n;
    *row_at = row;
}

static vb_status_t
fail(jctx_t *x, vb_status_t code, const char *id, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static vb_status_t
fail(jctx_t *x, vb_status_t code, const char *id, size_t off, const char *fmt, ...)
{
    vb_datacur_to(&x->cur, off);
    va_list ap;
    va_start(ap, fmt);
    vb_status_t rc = vb_diag_vset(x->d, code, id, x->ds->name, x->cur.line, x->cur.col, fmt, ap);
    va_end(ap);
    return rc;
}

static vb_status_t
lost(jctx_t *x)
{
    return fail(x, VB_E_INPUT, "data.json-internal", x->off,
                "The JSON reader lost its place here (row %d); please report this file.", x->row);
}

static void
skip_ws(jctx_t *x)
{
    while (x->off < x->len &&
           (x->buf[x->off] == ' ' || x->buf[x->off] == '\t' || x->buf[x->off] == '\n' || x->buf[x->off] == '\r'))
        x->off++;
}

/* At a '"': past the closing one. */
static void
skip_string(jctx_t *x)
{
    x->off++;
    while (x->off < x->len) {
        char c = x->buf[x->off++];
        if (c == '\\')
            x->off++;
        else if (c == '"')
            break;
    }
}

/* Expects byte c (after spaces) and steps over it. */
static bool
expect(jctx_t *x, char c)
{
    skip_ws(x);
    if (x->off >= x->len || x->buf[x->off] != c)
        return false;
    x->off++;
    return true;
}

static const char *
type_word(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a text";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    default: return "null";
    }
}

/* The value j, whose text starts at the scanner (after spaces), into out; path names it in the row. */
static vb_status_t
walk(jctx_t *x, const json_t *j, vb_val_t *out, const char *path, int depth)
{
    vb_arena_t *a = x->ds->arena;
    skip_ws(x);
    size_t at = x->off;
    vb_datacur_to(&x->cur, at);
    out->pos.row = x->row;
    out->pos.line = x->cur.line;
    out->pos.col = x->cur.col;
    out->pos.path = path;
    if (++x->values > VB_DATA_MAX_VALUES)
        return fail(x, VB_E_LIMIT, "data.too-many-values", at,
                    "Row %d passes %lld values in the data file; split it into several files.", x->row,
                    (long long)VB_DATA_MAX_VALUES);
    if (at >= x->len)
        return lost(x);
    char c = x->buf[at];
    switch (json_typeof(j)) {
    case JSON_OBJECT:
    case JSON_ARRAY: {
        bool obj = json_is_object(j);
        if (c != (obj ? '{' : '['))
            return lost(x);
        if (depth >= VB_DATA_MAX_DEPTH)
            return fail(x, VB_E_LIMIT, "data.too-deep", at,
                        "Row %d nests lists and objects more than %d deep here (%s).", x->row, VB_DATA_MAX_DEPTH,
                        path[0] ? path : "the row");
        x->off++;
        size_t n = obj ? json_object_size(j) : json_array_size(j);
        out->kind = obj ? VB_VAL_OBJECT : VB_VAL_LIST;
        out->n = (int)n;
        if (n && !(out->items = VB_NEWN(a, vb_val_t, n)))
            return vb_diag_nomem(x->d);
        if (obj && n && !(out->keys = VB_NEWN(a, const char *, n)))
            return vb_diag_nomem(x->d);
        void *it = obj ? json_object_iter((json_t *)j) : NULL;
        for (size_t i = 0; i < n; i++) {
            if (i && !expect(x, ','))
                return lost(x);
            const json_t *v;
            const char *sub;
            if (obj) {
                if (!it)
                    return lost(x);
                const char *key = json_object_iter_key(it);
                v = json_object_iter_value(it);
                skip_ws(x);
                size_t ks = x->off;
                if (ks >= x->len || x->buf[ks] != '"')
                    return lost(x);
                skip_string(x);
                /* the key as written is the key read, unless it holds an escape */
                size_t klen = strlen(key), rlen = x->off - ks - 2;
                if (!memchr(x->buf + ks + 1, '\\', rlen) && (rlen != klen || memcmp(x->buf + ks + 1, key, klen)))
                    return lost(x);
                if (!expect(x, ':'))
                    return lost(x);
                out->keys[i] = vb_arena_strdup(a, key);
                sub = path[0] ? vb_arena_printf(a, "%s.%s", path, key) : vb_arena_strdup(a, key);
                it = json_object_iter_next((json_t *)j, it);
            } else {
                v = json_array_get(j, i);
                sub = vb_arena_printf(a, "%s[%zu]", path, i + 1);
            }
            if (!sub || (obj && !out->keys[i]))
                return vb_diag_nomem(x->d);
            vb_status_t rc = walk(x, v, &out->items[i], sub, depth + 1);
            if (rc != VB_OK)
                return rc;
        }
        return expect(x, obj ? '}' : ']') ? VB_OK : lost(x);
    }
    case JSON_STRING:
        if (c != '"')
            return lost(x);
        skip_string(x);
        out->kind = VB_VAL_TEXT;
        out->text = vb_data_text(a, json_string_value(j), json_string_length(j), &out->len);
        return out->text ? VB_OK : vb_diag_nomem(x->d);
    case JSON_INTEGER:
    case JSON_REAL: {
        size_t e = at;
        while (e < x->len && (strchr("+-.eE", x->buf[e]) || (x->buf[e] >= '0' && x->buf[e] <= '9')) &&
               x->buf[e])
            e++;
        if (e == at)
            return lost(x);
        x->off = e;
        out->kind = VB_VAL_TEXT;
        out->len = e - at;
        out->text = vb_arena_strndup(a, x->buf + at, e - at);
        return out->text ? VB_OK : vb_diag_nomem(x->d);
    }
    case JSON_TRUE:
    case JSON_FALSE: {
        bool t = json_is_true(j);
        size_t n = t ? 4 : 5;
        if (x->len - at < n || memcmp(x->buf + at, t ? "true" : "false", n))
            return lost(x);
        x->off += n;
        out->kind = VB_VAL_BOOL;
        out->text = t ? "true" : "false";
        out->len = n;
        return VB_OK;
    }
    default:
        if (x->len - at < 4 || memcmp(x->buf + at, "null", 4))
            return lost(x);
        x->off += 4;
        out->kind = VB_VAL_NULL;
        return VB_OK;
    }
}

static vb_status_t
read_rows(jctx_t *x, const json_t *root)
{
    vb_data_set_t *ds = x->ds;
    const json_t *arr = root;
    skip_ws(x);
    if (json_is_object(root)) {
        void *it = json_object_iter((json_t *)root);
        arr = it ? json_object_iter_value(it) : NULL;
        if (json_object_size(root) != 1 || !json_is_array(arr))
            return fail(x, VB_E_INPUT, "data.json-top", x->off,
                        "A JSON data file is an array of rows, [{...}, {...}], or an object with one member "
                        "holding that array, {\"rows\": [{...}, {...}]}; this object has %zu members%s.",
                        json_object_size(root),
                        json_object_size(root) == 1 ? ", and its value is not an array" : "");
        if (!expect(x, '{'))
            return lost(x);
        skip_ws(x);
        if (x->off >= x->len || x->buf[x->off] != '"')
            return lost(x);
        skip_string(x);
        if (!expect(x, ':'))
            return lost(x);
    }
    if (!expect(x, '['))
        return lost(x);
    size_t n = json_array_size(arr);
    if (n > (size_t)VB_DATA_MAX_VALUES)
        return fail(x, VB_E_LIMIT, "data.too-many-values", x->off, "The data file has more than %lld rows.",
                    (long long)VB_DATA_MAX_VALUES);
    ds->nrows = 0;
    ds->rows = n ? VB_NEWN(ds->arena, vb_val_t, n) : NULL;
    if (n && !ds->rows)
        return vb_diag_nomem(x->d);
    for (size_t i = 0; i < n; i++) {
        if (i && !expect(x, ','))
            return lost(x);
        x->row = (int)i + 1;
        const json_t *r = json_array_get(arr, i);
        skip_ws(x);
        if (!json_is_object(r))
            return fail(x, VB_E_INPUT, "data.json-row", x->off,
                        "Row %d is %s, not an object of values ({\"name\": \"value\", ...}).", x->row,
                        type_word(r));
        vb_status_t rc = walk(x, r, &ds->rows[i], "", 0);
        if (rc != VB_OK)
            return rc;
        ds->nrows++;
    }
    return expect(x, ']') ? VB_OK : lost(x);
}

vb_status_t
vb_data_json_read(vb_data_set_t *ds, const char *buf, size_t len, vb_diag_t *d)
{
    jctx_t x;
    memset(&x, 0, sizeof x);
    x.ds = ds;
    x.d = d;
    x.buf = buf;
    x.len = len;
    vb_datacur_init(&x.cur, buf, len);
    int64_t values;
    size_t over;
    int row;
    prescan(buf, len, 0, &values, &over, &row);
    if (values > VB_DATA_MAX_VALUES)
        return fail(&x, VB_E_LIMIT, "data.too-many-values", over,
                    "The data file has more than %lld values; split it into several files.",
                    (long long)VB_DATA_MAX_VALUES);
    json_error_t err;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
    if (!root) {
        size_t at = err.position > 0 ? (size_t)err.position - 1 : 0;
        prescan(buf, len, at, &values, &over, &row);
        char where[32] = "";
        if (row > 0)
            snprintf(where, sizeof where, " (row %d)", row);
        enum json_error_code code = json_error_code(&err);
        if (len == 0 || code == json_error_premature_end_of_input)
            at = len;
        if (code == json_error_duplicate_key && at < len && buf[at] == '"') {
            /* jansson stops after the key: point at its opening quote */
            size_t q = at;
            while (q > 0) {
                q--;
                size_t bs = 0;
                while (bs < q && buf[q - 1 - bs] == '\\')
                    bs++;
                if (buf[q] == '"' && bs % 2 == 0)
                    break;
            }
            at = q;
        }
        if (code == json_error_duplicate_key)
            return fail(&x, VB_E_INPUT, "data.json-duplicate", at, "A key appears twice in one object%s: %s.",
                        where, err.text);
        if (code == json_error_numeric_overflow)
            return fail(&x, VB_E_INPUT, "data.json-number", at,
                        "A number too large to read%s (%s): write it in quotes, as text.", where, err.text);
        return fail(&x, VB_E_INPUT, "data.json-syntax", at, "The JSON does not parse%s: %s.", where, err.text);
    }
    vb_status_t rc = read_rows(&x, root);
    json_decref(root);
    return rc;
}

/* s as a JSON string: a byte that is not UTF-8 becomes U+FFFD (jansson refuses such a string). */
static json_t *
utf8_string(const char *s)
{
    size_t n = strlen(s);
    vb_buf_t b = {0};
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = vb_utf8_decode(s + i, n - i, &cp);
        if (k > 0) {
            vb_buf_add(&b, s + i, (size_t)k);
            i += (size_t)k;
        } else {
            vb_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    json_t *j = b.oom ? NULL : json_string(b.p ? b.p : "");
    vb_buf_free(&b);
    return j;
}

/*
 * Diagnostics as JSON (vanban check --format json, through vb_diags_json):
 * written here, by jansson, because this is the module that uses it.
 */
char *
vb_json_diags(const vb_diag_t *diags, int n, const char *const *files, int nfiles, int errors, int warnings)
{
    json_t *root = json_object(), *arr = json_array(), *fl = json_array();
    bool ok = root && arr && fl;
    for (int i = 0; ok && i < nfiles; i++)
        ok = json_array_append_new(fl, utf8_string(files[i] ? files[i] : "")) == 0;
    for (int i = 0; ok && i < n; i++) {
        const vb_diag_t *d = &diags[i];
        json_t *o = json_pack("{s:o, s:i, s:i, s:i, s:i, s:s, s:s, s:o, s:o, s:o, s:b}", "file", utf8_string(d->source),
                              "line", d->line, "col", d->col, "end_line", d->end_line ? d->end_line : d->line,
                              "end_col", d->end_col ? d->end_col : d->col,
                              "severity", d->severity == VB_SEVERITY_WARNING ? "warning" : "error", "id", d->id,
                              "message", utf8_string(d->msg), "fix", d->has_fix ? utf8_string(d->fix) : json_null(),
                              "fix_note", d->has_fix && d->fix_note[0] ? utf8_string(d->fix_note) : json_null(),
                              "fix_safe", d->has_fix && d->fix_safe);
        ok = o && json_array_append_new(arr, o) == 0;
    }
    if (!ok) {
        json_decref(fl);
        json_decref(arr);
        json_decref(root);
        return NULL;
    }
    /* each _new takes its value, also when it fails */
    ok = json_object_set_new(root, "version", json_integer(1)) == 0;
    ok = json_object_set_new(root, "files", fl) == 0 && ok;
    ok = json_object_set_new(root, "errors", json_integer(errors)) == 0 && ok;
    ok = json_object_set_new(root, "warnings", json_integer(warnings)) == 0 && ok;
    ok = json_object_set_new(root, "findings", arr) == 0 && ok;
    char *out = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    return out;
}
