/*
 * data_csv.c - a CSV data file (docs/data-files.md), the only libcsv user.
 *
 * The first line is the header (after an Excel "sep=X" line, which names the
 * separator); otherwise the separator is the one of comma, semicolon and tab
 * the header line holds most often (outside quotes; a tie goes to the first
 * of that order). libcsv reads the fields in strict mode (a quote inside a
 * cell that does not start with one, text after a closing quote and a quote
 * never closed are errors), keeping spaces as typed.
 *
 * libcsv tells a field's text, not where it was: the reader feeds it the file
 * in pieces that each end at a separator or a line end, the only bytes where
 * a field or a row can end, so a callback knows the byte that ended it, and
 * the field began after the previous one (after the line ends, for a row's
 * first field: libcsv skips blank lines).
 *
 * The header's names make the shape of every row: "don_vi.ten" a member of
 * the object don_vi, "bang.2.noi_dung" a member of the second item of the
 * list bang, "noi_nhan.3" the third text of the list noi_nhan. Items are
 * numbered from 1 without gaps; the items at the end of a row's list whose
 * every cell is empty are not items of that row.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"

enum { H_NEW = 0, H_LEAF, H_OBJ, H_LIST };

/* A node of the header's shape. */
typedef struct hnode {
    const char *name;      /* its part of the header ("bang", "2", "noi_dung") */
    const char *path;      /* the header up to it, as written ("bang.2"); "" for the row */
    int kind;
    long index;            /* as an item of a list: its number */
    int col;               /* H_LEAF: its column; else the first column under it */
    struct hnode **kids;   /* H_OBJ: in the order of the columns; H_LIST: sorted by index once read */
    int nkids, cap;
    const char **keys;     /* H_OBJ: the kids' names, shared by every row */
} hnode_t;

typedef struct cell {
    const char *text;
    size_t len;
    int line, col;
} cell_t;

typedef struct csvctx {
    vb_data_set_t *ds;
    vb_diag_t *d;
    vb_status_t rc;        /* the first error; the callbacks do nothing once it is set */
    const char *buf;
    size_t len;
    vb_datacur_t cur;
    size_t trig;           /* the last byte fed: where a field or a row that ends now ends */
    size_t field_start;
    bool skip_eol;         /* a row ended: the next field starts after the line ends */
    cell_t *cells;         /* the row being read (malloc'd, reused) */
    int ncells, cap;
    int rowno;             /* 0 while the header is read; then the data row being read */
    hnode_t *root;
    VB_VEC(vb_val_t) rows;
    int64_t values;
    int trailing_empty;    /* rows at the end whose every cell is empty */
} csvctx_t;

static int
no_space(unsigned char c)
{
    (void)c;
    return 0; /* spaces are kept as typed */
}

static vb_status_t
fail_at(csvctx_t *x, vb_status_t code, const char *id, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static vb_status_t
fail_at(csvctx_t *x, vb_status_t code, const char *id, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vb_status_t rc = vb_diag_vset(x->d, code, id, x->ds->name, line, col, fmt, ap);
    va_end(ap);
    if (!x->rc)
        x->rc = rc;
    return rc;
}

/* Where the field being read starts (after the line ends when it is a row's first). */
static size_t
field_start(csvctx_t *x)
{
    size_t s = x->field_start;
    if (x->skip_eol)
        while (s < x->len && (x->buf[s] == '\r' || x->buf[s] == '\n'))
            s++;
    return s;
}

/* ---- the header ---- */

static hnode_t *
new_node(csvctx_t *x, const char *name, size_t nlen, const char *path, size_t plen, int col)
{
    hnode_t *h = VB_NEW(x->ds->arena, hnode_t);
    if (!h || !(h->name = vb_arena_strndup(x->ds->arena, name, nlen)) ||
        !(h->path = vb_arena_strndup(x->ds->arena, path, plen)))
        return NULL;
    h->col = col;
    return h;
}

static bool
add_kid(csvctx_t *x, hnode_t *p, hnode_t *k)
{
    if (p->nkids == p->cap && vb_vec_grow(x->ds->arena, (void **)&p->kids, &p->cap, sizeof *p->kids,
                                          p->nkids + 1) != 0)
        return false;
    p->kids[p->nkids++] = k;
    return true;
}

static const char *
kind_word(int kind)
{
    return kind == H_LIST ? "a list (its next part is an item number)" : "an object (its next part is a name)";
}

/* Puts column c's name into the shape. */
static vb_status_t
add_column(csvctx_t *x, int c)
{
    const cell_t *cl = &x->cells[c];
    const char *h = cl->text;
    size_t n = cl->len;
    if (n == 0)
        return fail_at(x, VB_E_INPUT, "data.csv-header-empty", cl->line, cl->col,
                       "Column %d has no name in the header row: name it, or delete the column if it is empty "
                       "(Excel leaves such columns after cells once used).", c + 1);
    if (h[0] == ' ' || h[0] == '\t' || h[n - 1] == ' ' || h[n - 1] == '\t')
        return fail_at(x, VB_E_INPUT, "data.csv-header-name", cl->line, cl->col,
                       "The column name \"%s\" %s with a space: remove it (a template names the column "
                       "without it).", h, (h[0] == ' ' || h[0] == '\t') ? "starts" : "ends");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)h[i] < 0x20 || h[i] == 0x7F)
            return fail_at(x, VB_E_INPUT, "data.csv-header-name", cl->line, cl->col,
                           "The name of column %d holds a line break or a control character.", c + 1);
    hnode_t *node = x->root;
    int depth = 0;
    for (size_t i = 0; i <= n;) {
        size_t e = i;
        while (e < n && h[e] != '.')
            e++;
        if (e == i)
            return fail_at(x, VB_E_INPUT, "data.csv-header-name", cl->line, cl->col,
                           "The column name \"%s\" has an empty part: a dot %s.", h,
                           i == 0 ? "starts it" : e == n ? "ends it" : "follows a dot");
        if (++depth > VB_DATA_MAX_DEPTH)
            return fail_at(x, VB_E_LIMIT, "data.too-deep", cl->line, cl->col,
                           "The column name \"%.60s...\" has more than %d parts.", h, VB_DATA_MAX_DEPTH);
        bool num = node != x->root;
        long index = 0;
        for (size_t k = i; k < e && num; k++) {
            if (h[k] < '0' || h[k] > '9')
                num = false;
            else if (index <= 1000000)
                index = index * 10 + (h[k] - '0');
        }
        int want = num ? H_LIST : H_OBJ;
        if (node->kind == H_LEAF)
            return fail_at(x, VB_E_INPUT, "data.csv-header-conflict", cl->line, cl->col,
                           "The column \"%s\" puts a value inside \"%s\", which column %d (\"%s\") names as a "
                           "value itself: rename one of them.", h, node->path, node->col + 1,
                           x->ds->columns[node->col]);
        if (node->kind == H_NEW)
            node->kind = want;
        else if (node->kind != want)
            return fail_at(x, VB_E_INPUT, "data.csv-header-conflict", cl->line, cl->col,
                           "The column \"%s\" makes \"%s\" %s, but column %d (\"%s\") made it %s.", h,
                           node->path, kind_word(want), node->col + 1, x->ds->columns[node->col],
                           kind_word(node->kind));
        hnode_t *kid = NULL;
        for (int k = 0; k < node->nkids && !kid; k++) {
            hnode_t *o = node->kids[k];
            if (num ? o->index == index
                    : (strlen(o->name) == e - i && memcmp(o->name, h + i, e - i) == 0))
                kid = o;
        }
        if (kid && e == n)
            return fail_at(x, VB_E_INPUT, kid->kind == H_LEAF ? "data.csv-header-duplicate"
                                                               : "data.csv-header-conflict",
                           cl->line, cl->col,
                           kid->kind == H_LEAF ? "The column \"%s\" names the same value as column %d (\"%s\")."
                                               : "The column \"%s\" names as a value what column %d (\"%s\") "
                                                 "puts values inside: rename one of them.",
                           h, kid->col + 1, x->ds->columns[kid->col]);
        if (!kid) {
            kid = new_node(x, h + i, e - i, h, e, c);
            if (!kid || !add_kid(x, node, kid))
                return x->rc = vb_diag_nomem(x->d);
            kid->index = index;
        }
        node = kid;
        i = e + 1;
    }
    node->kind = H_LEAF;
    node->col = c;
    return VB_OK;
}

static int
cmp_index(const void *a, const void *b)
{
    long x = (*(hnode_t *const *)a)->index, y = (*(hnode_t *const *)b)->index;
    return x < y ? -1 : x > y;
}

/* Lists numbered 1..n without a gap; the keys of every object, shared by the rows. */
static vb_status_t
finish_shape(csvctx_t *x, hnode_t *h)
{
    if (h->kind == H_LIST) {
        qsort(h->kids, (size_t)h->nkids, sizeof *h->kids, cmp_index);
        for (int i = 0; i < h->nkids; i++) {
            hnode_t *k = h->kids[i];
            if (k->index != i + 1) {
                const cell_t *cl = &x->cells[k->col];
                if (k->index == 0)
                    return fail_at(x, VB_E_INPUT, "data.csv-list-gap", cl->line, cl->col,
                                   "The column \"%s\" numbers an item 0 of the list \"%s\": items are numbered "
                                   "from 1.", x->ds->columns[k->col], h->path);
                return fail_at(x, VB_E_INPUT, "data.csv-list-gap", cl->line, cl->col,
                               "The column \"%s\" is in item %s of the list \"%s\", but no column is in item %d: "
                               "items are numbered 1, 2, 3... without a gap.", x->ds->columns[k->col],
                               k->name, h->path, i + 1);
            }
        }
    } else if (h->kind == H_OBJ) {
        h->keys = VB_NEWN(x->ds->arena, const char *, h->nkids ? h->nkids : 1);
        if (!h->keys)
            return x->rc = vb_diag_nomem(x->d);
        for (int i = 0; i < h->nkids; i++)
            h->keys[i] = h->kids[i]->name;
    }
    for (int i = 0; i < h->nkids; i++) {
        vb_status_t rc = finish_shape(x, h->kids[i]);
        if (rc != VB_OK)
            return rc;
    }
    return VB_OK;
}

static vb_status_t
read_header(csvctx_t *x)
{
    vb_data_set_t *ds = x->ds;
    ds->ncolumns = x->ncells;
    ds->columns = VB_NEWN(ds->arena, const char *, x->ncells);
    x->root = new_node(x, "", 0, "", 0, 0);
    if (!ds->columns || !x->root)
        return x->rc = vb_diag_nomem(x->d);
    x->root->kind = H_OBJ;
    for (int c = 0; c < x->ncells; c++)
        ds->columns[c] = x->cells[c].text;
    for (int c = 0; c < x->ncells; c++) {
        vb_status_t rc = add_column(x, c);
        if (rc != VB_OK)
            return rc;
    }
    return finish_shape(x, x->root);
}

/* ---- the rows ---- */

static bool
all_empty(const csvctx_t *x, const hnode_t *h)
{
    if (h->kind == H_LEAF)
        return x->cells[h->col].len == 0;
    for (int i = 0; i < h->nkids; i++)
        if (!all_empty(x, h->kids[i]))
            return false;
    return true;
}

/* The value of node h in the row being read. */
static vb_status_t
build(csvctx_t *x, const hnode_t *h, vb_val_t *out)
{
    const cell_t *cl = &x->cells[h->col];
    out->pos.row = x->rowno;
    out->pos.line = cl->line;
    out->pos.col = cl->col;
    if (++x->values > VB_DATA_MAX_VALUES)
        return fail_at(x, VB_E_LIMIT, "data.too-many-values", cl->line, cl->col,
                       "Row %d passes %lld values in the data file; split it into several files.", x->rowno,
                       (long long)VB_DATA_MAX_VALUES);
    if (h->kind == H_LEAF) {
        out->kind = VB_VAL_TEXT;
        out->text = cl->text;
        out->len = cl->len;
        out->pos.path = x->ds->columns[h->col];
        return VB_OK;
    }
    out->pos.path = h->path;
    int n = h->nkids;
    if (h->kind == H_LIST) {
        out->kind = VB_VAL_LIST;
        while (n > 0 && all_empty(x, h->kids[n - 1]))
            n--;
    } else {
        out->kind = VB_VAL_OBJECT;
        out->keys = h->keys;
    }
    out->n = n;
    if (n > 0 && !(out->items = VB_NEWN(x->ds->arena, vb_val_t, n)))
        return x->rc = vb_diag_nomem(x->d);
    for (int i = 0; i < n; i++) {
        vb_status_t rc = build(x, h->kids[i], &out->items[i]);
        if (rc != VB_OK)
            return rc;
    }
    return VB_OK;
}

static void
on_field(void *s, size_t n, void *data)
{
    csvctx_t *x = data;
    if (x->rc)
        return;
    size_t start = field_start(x);
    x->skip_eol = false;
    x->field_start = x->trig + 1;
    vb_datacur_to(&x->cur, start);
    if (x->rowno == 0 && x->ncells >= VB_DATA_MAX_COLUMNS) {
        fail_at(x, VB_E_LIMIT, "data.csv-too-wide", x->cur.line, x->cur.col,
                "The header has more than %d columns.", VB_DATA_MAX_COLUMNS);
        return;
    }
    if (x->rowno > 0 && x->ncells >= x->ds->ncolumns) {
        fail_at(x, VB_E_INPUT, "data.csv-extra-cells", x->cur.line, x->cur.col,
                "Row %d has more cells than the header has columns (%d): this is cell %d. A cell holding the "
                "separator '%s' must be in quotes.", x->rowno, x->ds->ncolumns, x->ncells + 1,
                x->ds->delimiter == '\t' ? "\\t" : (char[]){(char)x->ds->delimiter, 0});
        return;
    }
    if (x->ncells == x->cap) {
        int cap = x->cap ? x->cap * 2 : 16;
        cell_t *nc = realloc(x->cells, sizeof *nc * (size_t)cap);
        if (!nc) {
            x->rc = vb_diag_nomem(x->d);
            return;
        }
        x->cells = nc;
        x->cap = cap;
    }
    cell_t *cl = &x->cells[x->ncells];
    cl->text = vb_data_text(x->ds->arena, s ? (const char *)s : "", s ? n : 0, &cl->len);
    if (!cl->text) {
        x->rc = vb_diag_nomem(x->d);
        return;
    }
    cl->line = x->cur.line;
    cl->col = x->cur.col;
    x->ncells++;
}

static void
on_row(int c, void *data)
{
    (void)c;
    csvctx_t *x = data;
    if (x->rc)
        return;
    x->field_start = x->trig + 1;
    x->skip_eol = true;
    if (x->rowno == 0) {
        if (read_header(x) == VB_OK)
            x->rowno = 1;
        x->ncells = 0;
        return;
    }
    vb_data_set_t *ds = x->ds;
    if (x->ncells < ds->ncolumns) {
        vb_datacur_to(&x->cur, x->trig);
        int missing = ds->ncolumns - x->ncells;
        fail_at(x, VB_E_INPUT, "data.csv-missing-cells", x->cur.line, x->cur.col,
                "Row %d has %d cell%s; the header has %d columns: %s\"%s\"%s %s missing. An empty value is an "
                "empty cell between two separators.", x->rowno, x->ncells, x->ncells == 1 ? "" : "s",
                ds->ncolumns, missing > 1 ? "from " : "", ds->columns[x->ncells],
                missing > 1 ? " on" : "", missing > 1 ? "are" : "is");
        return;
    }
    vb_val_t row;
    memset(&row, 0, sizeof row);
    if (build(x, x->root, &row) != VB_OK)
        return;
    if (VB_PUSH(ds->arena, x->rows, row) != 0) {
        x->rc = vb_diag_nomem(x->d);
        return;
    }
    bool empty = true;
    for (int i = 0; i < x->ncells && empty; i++)
        empty = x->cells[i].len == 0;
    x->trailing_empty = empty ? x->trailing_empty + 1 : 0;
    x->rowno++;
    x->ncells = 0;
}

/* The separator: the one of , ; \t the header line holds most often outside quotes (a tie: that order). */
static int
detect_delimiter(const char *s, size_t len)
{
    int count[3] = {0, 0, 0};
    static const char cand[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\r' || c == '\n'))
            break;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                count[k] += c == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

vb_status_t
vb_data_csv_read(vb_data_set_t *ds, const char *buf, size_t len, vb_diag_t *d)
{
    csvctx_t x;
    memset(&x, 0, sizeof x);
    x.ds = ds;
    x.d = d;
    x.buf = buf;
    x.len = len;
    vb_datacur_init(&x.cur, buf, len);
    size_t start = 0;
    /* Excel's "sep=;" first line names the separator */
    if (len >= 4 && !memcmp(buf, "sep=", 4)) {
        size_t e = 4;
        while (e < len && buf[e] != '\r' && buf[e] != '\n')
            e++;
        if (e != 5 || buf[4] == '"' || (unsigned char)buf[4] >= 0x80)
            return vb_diag_set(d, VB_E_INPUT, "data.csv-sep", ds->name, 1, 1,
                               "The first line \"sep=...\" must name one separator character, as \"sep=;\".");
        ds->delimiter = (unsigned char)buf[4];
        start = e;
    } else {
        size_t s = 0;
        while (s < len && (buf[s] == '\r' || buf[s] == '\n'))
            s++;
        ds->delimiter = detect_delimiter(buf + s, len - s);
    }

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return vb_diag_nomem(d);
    csv_set_delim(&p, (unsigned char)ds->delimiter);
    csv_set_space_func(&p, no_space);
    x.field_start = start;
    x.skip_eol = true;
    for (size_t i = start; i < len && !x.rc;) {
        size_t j = i;
        while (j < len && buf[j] != (char)ds->delimiter && buf[j] != '\r' && buf[j] != '\n')
            j++;
        size_t end = j < len ? j + 1 : len;
        x.trig = end - 1;
        size_t got = csv_parse(&p, buf + i, end - i, on_field, on_row, &x);
        if (got != end - i && !x.rc) {
            if (csv_error(&p) != CSV_EPARSE) {
                x.rc = vb_diag_nomem(d);
                break;
            }
            size_t at = i + got, fs = field_start(&x);
            vb_datacur_to(&x.cur, at);
            if (fs < len && buf[fs] == '"' && fs != at)
                fail_at(&x, VB_E_INPUT, "data.csv-quote", x.cur.line, x.cur.col,
                        "After the quote that closes a cell comes '%c', not a separator or a line end (%s): "
                        "a quote inside a quoted cell is written twice (\"\").",
                        buf[at] >= 0x20 && (unsigned char)buf[at] < 0x80 ? buf[at] : '?',
                        x.rowno ? "a data row" : "the header");
            else
                fail_at(&x, VB_E_INPUT, "data.csv-quote", x.cur.line, x.cur.col,
                        "A quote inside a cell that does not start with one: put the whole cell in quotes and "
                        "write the quote twice (\"5\"\" screen\"), as spreadsheets do.");
        }
        i = end;
    }
    if (!x.rc) {
        x.trig = len;
        if (csv_fini(&p, on_field, on_row, &x) != 0 && !x.rc) {
            vb_datacur_to(&x.cur, field_start(&x));
            fail_at(&x, VB_E_INPUT, "data.csv-unclosed-quote", x.cur.line, x.cur.col,
                    "This quote opens a cell that is never closed: the rest of the file would be one cell.");
        }
    }
    csv_free(&p);
    free(x.cells);
    if (x.rc)
        return x.rc;
    if (!x.root)
        return vb_diag_set(d, VB_E_INPUT, "data.empty", ds->name, 1, 1,
                           "The data file is empty: a CSV file starts with a header row naming its columns.");
    ds->rows = x.rows.v;
    ds->nrows = x.rows.n - x.trailing_empty;
    return VB_OK;
}
