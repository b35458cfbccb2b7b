/*
 * tablesrc.c - vanban's pipe tables with merged cells, from source lines to vb_table_t.
 *
 * Owns: splitting rows into cells, finding the delimiter row, the head/body
 * split, column alignment, the "<" (merge left) and "^" (merge up) cells and
 * their validation. Cell text is inline Markdown, parsed by vb_md_inline
 * (input_md.c), since only that file may use cmark.
 *
 * Merges must form rectangles: an origin cell, "<" cells to its right in its
 * row, and in each row below "^" under the origin and "^" or "<" under the
 * rest. Cells are visited in row-major order; each merge cell takes the owner
 * of its left ("<") or upper ("^") neighbour, then two local checks keep every
 * owner's cells a rectangle:
 *   - a covered cell below the owner's row needs the cell above it to have the
 *     same owner, and one right of the owner's column needs its left neighbour
 *     to have the same owner (so every row of a merge is a run from the
 *     origin's column, never wider than the row above);
 *   - where such a run ends, the cell above the next cell must not belong to
 *     the owner (so the run is not narrower than the row above).
 * Together they give contiguous rows of equal width starting under the origin.
 * A "^" may not reach from the head into the body: head rows repeat on every
 * page and body rows may not.
 *
 * Writers' additions (docs/source-format.md, "Tables"):
 *   - a delimiter cell may hold a width between or after its dashes
 *     ("--- 30% ---", ":--- 25mm", "---12,5%:"): a percentage of the text
 *     block or a length in mm or cm;
 *   - a row may end with a style marker after its closing bar,
 *     "| (1) | (2) | {numbers}", and a cell may start with one,
 *     "| {center} 15 |": the words normal, bold, italic, left, center
 *     (centre), right and numbers; on the delimiter row the words keep and
 *     split (the table's keep-together, against the profile's);
 *   - lines of one cell each with no delimiter row are a framed box: one
 *     cell whose paragraphs are the lines, with a forced break between;
 *   - "<br>" in a cell is a forced line break (vb_md_inline_cell).
 *
 * Positions: the table is at its first '|'; a row at its first '|'; a cell at
 * its first non-blank character (or just after its left bar when empty); an
 * unclosed row at the end of its text, where the '|' is missing. Columns
 * count characters.
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "limit.h"

typedef struct rawcell {
    const char *s; /* trimmed text, "\|" still escaped */
    size_t n;
    vb_pos_t pos;
} rawcell_t;

typedef struct rawrow {
    rawcell_t *cells;
    int n;
    vb_pos_t pos;
    bool delim;
    bool delim_like;     /* shaped like a delimiter row, with a width that is not one */
    int bad_cell;        /* delim_like: the cell with the bad width */
    bool marked;         /* a style marker follows the closing bar */
    vb_cellfmt_t fmt;    /* its words */
    int keep;            /* its keep (1) or split (-1) */
    vb_pos_t mpos;       /* where the marker is */
} rawrow_t;

static const vb_cellfmt_t NOFMT = {-1, -1, VB_ALIGN_DEFAULT, false};

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * A width in a delimiter cell: "30%", "12,5 %", "25mm", "2.5 cm". A bare
 * number is not one (points or percent would be a guess).
 */
static bool
parse_width(const char *s, size_t n, vb_colwidth_t *w)
{
    char buf[32];
    size_t m = 0;
    for (size_t i = 0; i < n && m < sizeof buf - 1; i++)
        if (!is_ws(s[i]))
            buf[m++] = s[i] == ',' ? '.' : s[i]; /* the Vietnamese decimal comma; "30 mm" as "30mm" */
    if (m == 0 || m >= sizeof buf - 1)
        return false;
    n = m;
    if (buf[n - 1] == '%') {
        int32_t v;
        if (!vb_parse_milli(buf, n, &v) || v <= 0)
            return false;
        w->kind = VB_COLW_PCT;
        w->v = v;
        return true;
    }
    char last = buf[n - 1];
    if (!((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z')))
        return false;
    vb_len_t v;
    if (!vb_parse_length(buf, n, &v) || v <= 0)
        return false;
    w->kind = VB_COLW_LEN;
    w->v = v;
    return true;
}

/*
 * A delimiter cell: optional ':', one or more '-', optional ':', and
 * anywhere after the first '-' a width ("--- 30% ---", ":---: 10%",
 * ":--- 25mm"). 1: a delimiter cell; 0: not one; 2: shaped like one but its
 * width is not a width ("--- 30").
 */
static int
delim_cell(const char *s, size_t n, vb_align_t *al, vb_colwidth_t *w)
{
    /* the width: from the first digit to the next '-' or ':' */
    size_t t0 = 0;
    while (t0 < n && !(s[t0] >= '0' && s[t0] <= '9'))
        t0++;
    size_t t1 = t0;
    while (t1 < n && s[t1] != '-' && s[t1] != ':')
        t1++;
    size_t te = t1;
    while (te > t0 && is_ws(s[te - 1]))
        te--;
    /* blanks only around the width */
    size_t b0 = t0;
    while (b0 > 0 && is_ws(s[b0 - 1]))
        b0--;
    /* the rest is :?-+:? */
    char rest[4];
    size_t m = 0;
    bool dashes = false;
    for (size_t i = 0; i < n; i++) {
        if (i >= b0 && i < t1)
            continue;
        if (is_ws(s[i]))
            return 0;
        if (s[i] == '-') {
            if (m > 1 && rest[m - 1] == ':')
                return 0; /* "-:-" */
            if (dashes)
                continue;
            dashes = true;
        } else if (s[i] != ':' || m >= 3) {
            return 0;
        }
        rest[m++] = s[i];
    }
    /* what is left is "-", ":-", "-:" or ":-:" */
    rest[m] = 0;
    if (strcmp(rest, "-") && strcmp(rest, ":-") && strcmp(rest, "-:") && strcmp(rest, ":-:"))
        return 0;
    /* the width must follow a dash: "30%---" is not a delimiter */
    if (t0 < n) {
        size_t k = 0;
        while (k < t0 && s[k] != '-')
            k++;
        if (k == t0)
            return 0;
    }
    bool left = rest[0] == ':', right = m > 1 && rest[m - 1] == ':';
    vb_colwidth_t cw = {VB_COLW_AUTO, 0, {0, 0}};
    if (te > t0 && !parse_width(s + t0, te - t0, &cw))
        return 2;
    if (al)
        *al = left && right ? VB_ALIGN_CENTER : left ? VB_ALIGN_LEFT : right ? VB_ALIGN_RIGHT : VB_ALIGN_DEFAULT;
    if (w) {
        *w = cw;
        w->pos.col = 1 + vb_utf8_chars(s, t0); /* relative to the cell; the caller adds the cell's column */
    }
    return 1;
}

/*
 * The words of a style marker, s[0..n) between the braces. Returns false
 * with the first unknown word in *bad (and its offset in *badoff).
 */
static bool
marker_words(const char *s, size_t n, vb_cellfmt_t *f, int *keep, bool *any_style, const char **bad, size_t *badn,
             size_t *badoff)
{
    static const char *const names[] = {"normal", "bold", "italic", "left", "center", "centre", "right", "numbers",
                                        "keep", "split"};
    bool normal = false;
    *f = NOFMT;
    *keep = 0;
    *any_style = false;
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_ws(s[i]) || s[i] == ','))
            i++;
        size_t j = i;
        while (j < n && !is_ws(s[j]) && s[j] != ',')
            j++;
        if (j == i)
            break;
        size_t k = 0, nn = sizeof names / sizeof names[0];
        while (k < nn && !(strlen(names[k]) == j - i && memcmp(names[k], s + i, j - i) == 0))
            k++;
        switch (k) {
        case 0: normal = true; break;
        case 1: f->bold = 1; break;
        case 2: f->italic = 1; break;
        case 3: f->align = VB_ALIGN_LEFT; break;
        case 4:
        case 5: f->align = VB_ALIGN_CENTER; break;
        case 6: f->align = VB_ALIGN_RIGHT; break;
        case 7: f->numbers = true; break;
        case 8: *keep = 1; break;
        case 9: *keep = -1; break;
        default:
            *bad = s + i;
            *badn = j - i;
            *badoff = i;
            return false;
        }
        if (k < 8)
            *any_style = true;
        i = j;
    }
    if (normal) {
        if (f->bold < 0)
            f->bold = 0;
        if (f->italic < 0)
            f->italic = 0;
    }
    return true;
}

/* The cell's own marker over its row's. */
static vb_cellfmt_t
fmt_over(vb_cellfmt_t row, vb_cellfmt_t cell)
{
    if (cell.bold >= 0)
        row.bold = cell.bold;
    if (cell.italic >= 0)
        row.italic = cell.italic;
    if (cell.align != VB_ALIGN_DEFAULT)
        row.align = cell.align;
    row.numbers = row.numbers || cell.numbers;
    return row;
}

/*
 * A cell starting with "{words}" where every word is a style word: the
 * marker is taken off the cell's text into *f. Anything else ("{x} y") is
 * text and stays.
 */
static void
cell_marker(rawcell_t *c, vb_cellfmt_t *f)
{
    *f = NOFMT;
    if (c->n < 2 || c->s[0] != '{')
        return;
    const char *z = memchr(c->s, '}', c->n);
    if (!z)
        return;
    vb_cellfmt_t g;
    int keep;
    bool any;
    const char *bad;
    size_t badn, badoff;
    size_t inner = (size_t)(z - c->s) - 1;
    if (!marker_words(c->s + 1, inner, &g, &keep, &any, &bad, &badn, &badoff) || keep || !any)
        return;
    *f = g;
    size_t skip = inner + 2;
    while (skip < c->n && is_ws(c->s[skip]))
        skip++;
    c->pos.col += vb_utf8_chars(c->s, skip);
    c->s += skip;
    c->n -= skip;
}

/* Splits one row line into cells; fails with table.unclosed-row. */
static vb_status_t
split_row(vb_arena_t *arena, const char *s, size_t n, int line, const char *source, const vb_limits_t *lim,
          rawrow_t *row, vb_diag_t *d)
{
    size_t b = 0;
    while (b < n && b < 3 && s[b] == ' ')
        b++;
    size_t e = n;
    while (e > b && (is_ws(s[e - 1]) || s[e - 1] == '\r'))
        e--;
    row->pos.line = line;
    row->pos.col = 1 + vb_utf8_chars(s, b);
    row->fmt = NOFMT;
    row->keep = 0;
    row->marked = false;

    /* a style marker after the closing bar: "| (1) | (2) | {numbers}" */
    if (e > b && s[e - 1] == '}') {
        size_t k = e - 1;
        while (k > b && s[k - 1] != '{' && s[k - 1] != '|')
            k--;
        size_t z = k > b ? k - 1 : k;
        while (z > b && is_ws(s[z - 1]))
            z--;
        if (k > b && s[k - 1] == '{' && z > b && s[z - 1] == '|') {
            const char *bad;
            size_t badn, badoff;
            bool any;
            if (!marker_words(s + k, e - 1 - k, &row->fmt, &row->keep, &any, &bad, &badn, &badoff))
                return vb_diag_set(d, VB_E_INPUT, "table.style", source, line, 1 + vb_utf8_chars(s, k + badoff),
                                   "\"%.*s\" is not a table style word: write normal, bold, italic, left, center, "
                                   "right or numbers (keep or split on the delimiter row).",
                                   (int)badn, bad);
            row->marked = true;
            row->mpos.line = line;
            row->mpos.col = 1 + vb_utf8_chars(s, k - 1);
            e = z;
        }
    }

    /* the last '|' must close the row: not the opening one, not escaped */
    size_t bs = 0;
    if (e >= 2)
        for (size_t k = e - 1; k > b && s[k - 1] == '\\'; k--)
            bs++;
    if (e - b < 2 || s[e - 1] != '|' || (bs & 1))
        return vb_diag_set(d, VB_E_INPUT, "table.unclosed-row", source, line, 1 + vb_utf8_chars(s, e),
                           "This table row does not end with '|'.");

    VB_VEC(rawcell_t) cells = {0};
    size_t start = b + 1;
    for (size_t i = b + 1; i < e; i++) {
        if (s[i] == '\\' && i + 1 < e) {
            i++; /* a backslash escapes the next character, so "\|" is text */
            continue;
        }
        if (s[i] != '|')
            continue;
        rawcell_t c;
        size_t a = start, z = i;
        while (a < z && is_ws(s[a]))
            a++;
        while (z > a && is_ws(s[z - 1]))
            z--;
        c.s = s + a;
        c.n = z - a;
        c.pos.line = line;
        c.pos.col = 1 + vb_utf8_chars(s, a == z ? start : a);
        if (cells.n >= lim->table_columns)
            return vb_limit_fail(d, "table.too-wide", source, line, c.pos.col, "table-columns",
                                 "This table has more than %lld columns", (long long)lim->table_columns);
        if (VB_PUSH(arena, cells, c))
            return vb_diag_nomem(d);
        start = i + 1;
    }
    row->cells = cells.v;
    row->n = cells.n;
    row->delim = cells.n > 0;
    row->delim_like = false;
    for (int k = 0; k < cells.n && (row->delim || row->delim_like); k++) {
        int dc = delim_cell(cells.v[k].s, cells.v[k].n, NULL, NULL);
        if (dc == 2 && !row->delim_like) {
            row->delim_like = true;
            row->bad_cell = k;
        }
        if (dc != 1)
            row->delim = false;
        if (dc == 0)
            row->delim_like = false;
    }
    return VB_OK;
}

/* "\|" -> "|" (the table's own escape); other backslashes are left for the Markdown reader. */
static vb_status_t
cell_inline(vb_arena_t *arena, const rawcell_t *c, vb_inline_t *out, vb_diag_t *d)
{
    char *t = vb_arena_alloc(arena, c->n + 1);
    if (!t)
        return vb_diag_nomem(d);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->s[i] == '\\' && i + 1 < c->n) {
            if (c->s[i + 1] != '|')
                t[k++] = c->s[i];
            t[k++] = c->s[++i];
        } else {
            t[k++] = c->s[i];
        }
    }
    return vb_md_inline_cell(arena, t, k, out, d);
}

static bool
is_mark(const rawcell_t *c, char m)
{
    return c->n == 1 && c->s[0] == m;
}

/*
 * A framed box: rows of one cell each and no delimiter row. It is one cell
 * whose paragraphs are the rows, a forced break between them; a style
 * marker on its first row is the box's.
 */
static vb_status_t
read_box(vb_arena_t *arena, rawrow_t *rows, int nrows, const char *source, vb_table_t **out, vb_diag_t *d)
{
    vb_table_t *t = VB_NEW(arena, vb_table_t);
    if (!t || !(t->cells = VB_NEW(arena, vb_cell_t)) || !(t->col_align = VB_NEW(arena, vb_align_t)))
        return vb_diag_nomem(d);
    t->nrows = t->ncols = 1;
    t->box = true;
    t->pos = rows[0].pos;
    vb_cell_t *cell = t->cells;
    cell->colspan = cell->rowspan = 1;
    VB_VEC(vb_span_t) spans = {0};
    for (int i = 0; i < nrows; i++) {
        rawcell_t rc = rows[i].cells[0];
        vb_cellfmt_t own;
        cell_marker(&rc, &own);
        vb_cellfmt_t f = fmt_over(rows[i].fmt, own);
        if (i == 0) {
            cell->fmt = f;
            cell->pos = rc.pos;
        } else if (f.bold >= 0 || f.italic >= 0 || f.align != VB_ALIGN_DEFAULT || f.numbers) {
            vb_pos_t p = rows[i].marked ? rows[i].mpos : rows[i].cells[0].pos;
            return vb_diag_set(d, VB_E_INPUT, "table.box-style", source, p.line, p.col,
                               "A framed box has one style: put its marker on the box's first line.");
        }
        vb_inline_t in;
        vb_status_t st = cell_inline(arena, &rc, &in, d);
        if (st != VB_OK)
            return st;
        if (i > 0) {
            vb_span_t nl = {"\n", 1, 0};
            if (VB_PUSH(arena, spans, nl))
                return vb_diag_nomem(d);
        }
        for (int k = 0; k < in.n; k++)
            if (VB_PUSH(arena, spans, in.spans[k]))
                return vb_diag_nomem(d);
    }
    cell->text.spans = spans.v;
    cell->text.n = spans.n;
    *out = t;
    return VB_OK;
}

vb_status_t
vb_read_table(vb_arena_t *arena, const char *const *lines, const size_t *lens, int nlines, const char *source,
              int line0, vb_table_t **out, vb_diag_t *d)
{
    return vb_read_table_lim(arena, lines, lens, nlines, source, line0, NULL, out, d);
}

vb_status_t
vb_read_table_lim(vb_arena_t *arena, const char *const *lines, const size_t *lens, int nlines, const char *source,
                  int line0, const vb_limits_t *lim, vb_table_t **out, vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    *out = NULL;
    if (nlines <= 0)
        return vb_diag_set(d, VB_E_USAGE, "table.empty", source, line0, 1, "A table needs at least one line.");
    rawrow_t *rows = VB_NEWN(arena, rawrow_t, nlines);
    if (!rows)
        return vb_diag_nomem(d);
    int delim = -1;
    int64_t ncells = 0;
    for (int i = 0; i < nlines; i++) {
        vb_status_t st = split_row(arena, lines[i], lens[i], line0 + i, source, lim, &rows[i], d);
        if (st != VB_OK)
            return st;
        if (delim < 0 && rows[i].delim_like) {
            const rawcell_t *bc = &rows[i].cells[rows[i].bad_cell];
            return vb_diag_set(d, VB_E_INPUT, "table.width", source, bc->pos.line, bc->pos.col,
                               "\"%.*s\" has no width a column can take: write a percentage of the text block "
                               "(\"--- 30%% ---\") or a length (\"--- 25mm ---\").",
                               (int)bc->n, bc->s);
        }
        if (delim < 0 && rows[i].delim) {
            delim = i;
            continue;
        }
        /* counted as the rows come, so a runaway table stops here, before its cells are parsed and set */
        if ((ncells += rows[i].n) > lim->table_cells)
            return vb_limit_fail(d, "table.too-many-cells", source, rows[i].pos.line, rows[i].pos.col, "table-cells",
                                 "This table has more than %lld cells", (long long)lim->table_cells);
    }
    /* the marker words each kind of row may hold */
    for (int i = 0; i < nlines; i++) {
        vb_cellfmt_t f = rows[i].fmt;
        bool style = f.bold >= 0 || f.italic >= 0 || f.align != VB_ALIGN_DEFAULT || f.numbers;
        if (i == delim && style)
            return vb_diag_set(d, VB_E_INPUT, "table.style", source, rows[i].mpos.line, rows[i].mpos.col,
                               "The delimiter row takes only keep or split; put a row's style after that row.");
        if (i != delim && rows[i].keep)
            return vb_diag_set(d, VB_E_INPUT, "table.style", source, rows[i].mpos.line, rows[i].mpos.col,
                               "keep and split belong on the delimiter row (|---|---| {keep}).");
    }
    if (delim < 0) {
        bool box = true;
        for (int i = 0; i < nlines && box; i++)
            box = rows[i].n == 1;
        if (box)
            return read_box(arena, rows, nlines, source, out, d);
        return vb_diag_set(d, VB_E_INPUT, "table.no-delimiter", source, rows[0].pos.line, rows[0].pos.col,
                           "This table has no delimiter row (such as |---|---|) under its head.");
    }
    int ncols = rows[delim].n;
    for (int i = 0; i < nlines; i++) {
        if (rows[i].n != ncols)
            return vb_diag_set(d, VB_E_INPUT, "table.ragged", source, rows[i].pos.line, rows[i].pos.col,
                               "This row has %d cells but the delimiter row has %d.", rows[i].n, ncols);
    }
    int nrows = nlines - 1;
    if (nrows == 0)
        return vb_diag_set(d, VB_E_INPUT, "table.empty", source, rows[0].pos.line, rows[0].pos.col,
                           "This table has a delimiter row but no rows.");

    vb_table_t *t = VB_NEW(arena, vb_table_t);
    if (!t)
        return vb_diag_nomem(d);
    t->nrows = nrows;
    t->ncols = ncols;
    t->nhead = delim;
    t->pos = rows[0].pos;
    t->delim_pos = rows[delim].pos;
    t->keep = rows[delim].keep;
    t->cells = VB_NEWN(arena, vb_cell_t, (size_t)nrows * (size_t)ncols);
    t->col_align = VB_NEWN(arena, vb_align_t, ncols);
    int *owner = malloc(sizeof(int) * (size_t)nrows * (size_t)ncols);
    if (!t->cells || !t->col_align || !owner) {
        free(owner);
        return vb_diag_nomem(d);
    }
    for (int c = 0; c < ncols; c++) {
        const rawcell_t *dc = &rows[delim].cells[c];
        vb_colwidth_t w;
        delim_cell(dc->s, dc->n, &t->col_align[c], &w);
        if (w.kind == VB_COLW_AUTO)
            continue;
        if (!t->col_width && !(t->col_width = VB_NEWN(arena, vb_colwidth_t, ncols))) {
            free(owner);
            return vb_diag_nomem(d);
        }
        w.pos.line = dc->pos.line;
        w.pos.col += dc->pos.col - 1;
        t->col_width[c] = w;
    }

    /* Pass 1: owners, and the checks that look up and left. */
    vb_status_t st = VB_OK;
    for (int r = 0; r < nrows && st == VB_OK; r++) {
        const rawrow_t *row = &rows[r < delim ? r : r + 1];
        for (int c = 0; c < ncols; c++) {
            const rawcell_t *rc = &row->cells[c];
            int me = r * ncols + c;
            vb_cell_t *cell = &t->cells[me];
            cell->pos = rc->pos;
            cell->fmt = NOFMT;
            cell->align = t->col_align[c];
            cell->colspan = cell->rowspan = 1;
            const char *why = NULL;
            int o = me;
            if (is_mark(rc, '<')) {
                if (c == 0)
                    why = "A '<' cell in the first column has no cell to merge into.";
                else
                    o = owner[me - 1];
            } else if (is_mark(rc, '^')) {
                if (r == 0)
                    why = "A '^' cell in the first row has no cell to merge into.";
                else if (r == delim)
                    why = "A '^' cell cannot merge a body cell into the head.";
                else
                    o = owner[me - ncols];
            }
            if (!why && o != me) {
                int orow = o / ncols, ocol = o % ncols;
                if (r > orow && owner[me - ncols] != o)
                    why = "This merge is not a rectangle: the cell above belongs to another cell.";
                else if (c > ocol && owner[me - 1] != o)
                    why = "This merge is not a rectangle: the cell on the left belongs to another cell.";
            }
            if (why) {
                st = vb_diag_set(d, VB_E_INPUT, "table.bad-span", source, rc->pos.line, rc->pos.col, "%s", why);
                break;
            }
            owner[me] = o;
            cell->covered = o != me;
        }
    }
    /* Pass 2: every row of a merge is as wide as the origin's row. */
    for (int r = 1; r < nrows && st == VB_OK; r++) {
        for (int c = 0; c + 1 < ncols; c++) {
            int me = r * ncols + c;
            int o = owner[me];
            if (owner[me + 1] == o || r == o / ncols)
                continue;
            if (owner[me + 1 - ncols] == o) {
                const vb_cell_t *cell = &t->cells[me + 1];
                st = vb_diag_set(d, VB_E_INPUT, "table.bad-span", source, cell->pos.line, cell->pos.col,
                                 "This merge is not a rectangle: this cell should be '^' or '<'.");
                break;
            }
        }
    }
    /* Pass 3: spans of the origins, and their text. */
    for (int i = 0; i < nrows * ncols && st == VB_OK; i++) {
        int o = owner[i];
        if (o == i)
            continue;
        vb_cell_t *oc = &t->cells[o];
        int w = i % ncols - o % ncols + 1, h = i / ncols - o / ncols + 1;
        if (w > oc->colspan)
            oc->colspan = w;
        if (h > oc->rowspan)
            oc->rowspan = h;
    }
    for (int r = 0; r < nrows && st == VB_OK; r++) {
        const rawrow_t *row = &rows[r < delim ? r : r + 1];
        for (int c = 0; c < ncols && st == VB_OK; c++) {
            vb_cell_t *cell = &t->cells[r * ncols + c];
            if (cell->covered)
                continue;
            rawcell_t rc = row->cells[c];
            vb_cellfmt_t own;
            cell_marker(&rc, &own);
            cell->fmt = fmt_over(row->fmt, own);
            cell->pos = rc.pos;
            st = cell_inline(arena, &rc, &cell->text, d);
        }
    }
    free(owner);
    if (st != VB_OK)
        return st;
    *out = t;
    return VB_OK;
}
