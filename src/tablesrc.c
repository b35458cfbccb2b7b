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
} rawrow_t;

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static int
char_col(const char *s, size_t off)
{
    int c = 1;
    for (size_t i = 0; i < off; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* A delimiter cell: optional ':', one or more '-', optional ':'. */
static bool
delim_cell(const char *s, size_t n, vb_align_t *al)
{
    size_t i = 0;
    bool left = false, right = false;
    if (i < n && s[i] == ':') {
        left = true;
        i++;
    }
    size_t d = i;
    while (i < n && s[i] == '-')
        i++;
    if (i == d)
        return false;
    if (i < n && s[i] == ':') {
        right = true;
        i++;
    }
    if (i != n)
        return false;
    if (al)
        *al = left && right ? VB_ALIGN_CENTER : left ? VB_ALIGN_LEFT : right ? VB_ALIGN_RIGHT : VB_ALIGN_DEFAULT;
    return true;
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
    row->pos.col = char_col(s, b);

    /* the last '|' must close the row: not the opening one, not escaped */
    size_t bs = 0;
    if (e >= 2)
        for (size_t k = e - 1; k > b && s[k - 1] == '\\'; k--)
            bs++;
    if (e - b < 2 || s[e - 1] != '|' || (bs & 1))
        return vb_diag_set(d, VB_E_INPUT, "table.unclosed-row", source, line, char_col(s, e),
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
        c.pos.col = char_col(s, a == z ? start : a);
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
    for (int k = 0; k < cells.n && row->delim; k++)
        row->delim = delim_cell(cells.v[k].s, cells.v[k].n, NULL);
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
    return vb_md_inline(arena, t, k, out, d);
}

static bool
is_mark(const rawcell_t *c, char m)
{
    return c->n == 1 && c->s[0] == m;
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
        if (delim < 0 && rows[i].delim) {
            delim = i;
            continue;
        }
        /* counted as the rows come, so a runaway table stops here, before its cells are parsed and set */
        if ((ncells += rows[i].n) > lim->table_cells)
            return vb_limit_fail(d, "table.too-many-cells", source, rows[i].pos.line, rows[i].pos.col, "table-cells",
                                 "This table has more than %lld cells", (long long)lim->table_cells);
    }
    if (delim < 0)
        return vb_diag_set(d, VB_E_INPUT, "table.no-delimiter", source, rows[0].pos.line, rows[0].pos.col,
                           "This table has no delimiter row (such as |---|---|) under its head.");
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
    t->cells = VB_NEWN(arena, vb_cell_t, (size_t)nrows * (size_t)ncols);
    t->col_align = VB_NEWN(arena, vb_align_t, ncols);
    int *owner = malloc(sizeof(int) * (size_t)nrows * (size_t)ncols);
    if (!t->cells || !t->col_align || !owner) {
        free(owner);
        return vb_diag_nomem(d);
    }
    for (int c = 0; c < ncols; c++)
        delim_cell(rows[delim].cells[c].s, rows[delim].cells[c].n, &t->col_align[c]);

    /* Pass 1: owners, and the checks that look up and left. */
    vb_status_t st = VB_OK;
    for (int r = 0; r < nrows && st == VB_OK; r++) {
        const rawrow_t *row = &rows[r < delim ? r : r + 1];
        for (int c = 0; c < ncols; c++) {
            const rawcell_t *rc = &row->cells[c];
            int me = r * ncols + c;
            vb_cell_t *cell = &t->cells[me];
            cell->pos = rc->pos;
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
            if (!t->cells[r * ncols + c].covered)
                st = cell_inline(arena, &row->cells[c], &t->cells[r * ncols + c].text, d);
        }
    }
    free(owner);
    if (st != VB_OK)
        return st;
    *out = t;
    return VB_OK;
}
