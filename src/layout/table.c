/*
 * table.c - setting a table: column widths, cells, rows and borders.
 *
 * Column widths fill the text block, as an HTML table with automatic layout
 * does: each column's natural width is its widest one-line cell (plus
 * padding) and its minimum its widest word. When the natural widths fit,
 * the spare width is shared in proportion to them; when they do not, every
 * column gets its minimum and the rest is shared in proportion to how much
 * each column wants beyond it. A merged cell wider than its columns widens
 * them evenly.
 *
 * Widths the writer gave in the delimiter row (a percentage of the text
 * block, or a length) are kept; the other columns share what is left by the
 * rule above; when every column has one and they add up to less than the
 * text block, the rest is shared in proportion to them. Widths adding up to
 * more than the text block, or a column too narrow for a word of one of its
 * cells, are errors at the source: text is never drawn across a border.
 *
 * A cell's style is the profile's head, cell or column-number style, with
 * the markers of its row and its own on top (bold, italic, alignment). A
 * framed box (model.h) is a one-cell table in the profile's box style and
 * padding.
 *
 * Each head row becomes one chunk of the page flow, and each body row (or the
 * body rows joined by a cell merged down) another; the head rows and the
 * first body row are kept together; a body chunk that starts a page gets the
 * head rows repeated above it (paginate.c). Body rows taller than a page's
 * text block (less the repeated head) are cut into several chunks at heights
 * where no line of any cell is cut; a cell cut by a page break is closed by
 * the chunks' caps (rules drawn only at the break). Cell text is centred
 * vertically; each cell draws its own four borders, so a row split from its
 * neighbours is still closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

typedef struct cellset {
    vb_lines_t lines;
    vb_style_t style;
    vb_len_t content;  /* height of the text: ascent + (n-1) leading + descent */
} cellset_t;

/* The table settings for t: a framed box has its own padding. */
static vb_ptable_t
table_params(const vb_lctx_t *lc, const vb_table_t *t)
{
    vb_ptable_t pt = lc->profile->table;
    if (t->box) {
        pt.pad_x = pt.box_pad_x;
        pt.pad_top = pt.box_pad_top;
        pt.pad_bottom = pt.box_pad_bottom;
    }
    return pt;
}

static vb_style_t
cell_style(const vb_lctx_t *lc, const vb_table_t *t, int r, int c)
{
    const vb_ptable_t *pt = &lc->profile->table;
    const vb_cell_t *cell = VB_CELL(t, r, c);
    const vb_cellfmt_t *f = &cell->fmt;
    vb_style_t st = t->box ? pt->box : f->numbers ? pt->numbers : r < t->nhead ? pt->head : pt->cell;
    st.indent = 0;
    st.hang = 0;
    st.balance = false;
    vb_align_t al = cell->align != VB_ALIGN_DEFAULT ? cell->align : t->col_align ? t->col_align[c] : VB_ALIGN_DEFAULT;
    if (al != VB_ALIGN_DEFAULT && r >= t->nhead && !f->numbers && !t->box)
        st.align = al;
    if (f->align != VB_ALIGN_DEFAULT)
        st.align = f->align;
    if (f->bold >= 0)
        st.face = (uint8_t)(f->bold ? st.face | VB_FACE_BOLD : st.face & ~VB_FACE_BOLD);
    if (f->italic >= 0)
        st.face = (uint8_t)(f->italic ? st.face | VB_FACE_ITALIC : st.face & ~VB_FACE_ITALIC);
    if (st.align == VB_ALIGN_JUSTIFY && !t->box)
        st.align = VB_ALIGN_LEFT;
    return st;
}

/* A cell's text measured in its own style: its width on one line and its widest word. */
static vb_status_t
measure_cell(vb_lctx_t *lc, const vb_table_t *t, int r, int c, vb_len_t *natural, vb_len_t *word, vb_diag_t *d)
{
    vb_style_t st = cell_style(lc, t, r, c);
    *natural = *word = 0;
    return vb_text_measure(&lc->set, &VB_CELL(t, r, c)->text, &st, natural, word, d);
}

/*
 * Natural and minimum widths of each column (padding and border included);
 * words (when not NULL, rows * columns) gets each cell's widest word.
 */
static vb_status_t
measure_columns(vb_lctx_t *lc, const vb_table_t *t, int64_t *nat, int64_t *min, vb_len_t *words, vb_diag_t *d)
{
    vb_ptable_t ptv = table_params(lc, t);
    const vb_ptable_t *pt = &ptv;
    int nc = t->ncols;
    vb_len_t pad = 2 * pt->pad_x + pt->border;
    for (int c = 0; c < nc; c++)
        nat[c] = min[c] = pad;
    /* single-column cells first, then spans widen their columns */
    for (int pass = 0; pass < 2; pass++) {
        for (int r = 0; r < t->nrows; r++) {
            for (int c = 0; c < nc; c++) {
                const vb_cell_t *cell = VB_CELL(t, r, c);
                if (cell->covered || (pass == 0) != (cell->colspan == 1))
                    continue;
                vb_len_t n, ww;
                vb_status_t rc = measure_cell(lc, t, r, c, &n, &ww, d);
                if (rc != VB_OK)
                    return rc;
                if (words)
                    words[(size_t)r * (size_t)nc + (size_t)c] = ww;
                int64_t want_nat = n + pad, want_min = ww + pad;
                if (cell->colspan == 1) {
                    if (want_nat > nat[c])
                        nat[c] = want_nat;
                    if (want_min > min[c])
                        min[c] = want_min;
                    continue;
                }
                int64_t have_nat = 0, have_min = 0;
                for (int k = c; k < c + cell->colspan; k++)
                    have_nat += nat[k], have_min += min[k];
                for (int k = c; k < c + cell->colspan; k++) {
                    if (want_nat > have_nat)
                        nat[k] += (want_nat - have_nat) / cell->colspan + 1;
                    if (want_min > have_min)
                        min[k] += (want_min - have_min) / cell->colspan + 1;
                }
            }
        }
    }
    return VB_OK;
}

/*
 * measure_columns for table t, once: an appendix's table is measured for the
 * landscape test (vb_table_min_width) and then laid out; the second asks
 * for the same table and gets the same arrays (in lc's arena; nothing changes them
 * again: column_widths only raises a natural width to its minimum in place).
 */
static vb_status_t
measure_once(vb_lctx_t *lc, const vb_table_t *t, int64_t **nat, int64_t **min, vb_len_t **words, vb_diag_t *d)
{
    if (lc->measured == t) {
        *nat = lc->meas_nat;
        *min = lc->meas_min;
        *words = lc->meas_words;
        return VB_OK;
    }
    int nc = t->ncols ? t->ncols : 1;
    size_t cells = (size_t)(t->nrows ? t->nrows : 1) * (size_t)nc;
    *nat = VB_NEWN(lc->arena, int64_t, nc);
    *min = VB_NEWN(lc->arena, int64_t, nc);
    *words = VB_NEWN(lc->arena, vb_len_t, cells);
    if (!*nat || !*min || !*words)
        return vb_diag_nomem(d);
    vb_status_t rc = measure_columns(lc, t, *nat, *min, *words, d);
    if (rc == VB_OK) {
        lc->measured = t;
        lc->meas_nat = *nat;
        lc->meas_min = *min;
        lc->meas_words = *words;
    }
    return rc;
}

vb_status_t
vb_table_min_width(vb_lctx_t *lc, const vb_table_t *t, int64_t *width, vb_diag_t *d)
{
    int nc = t->ncols;
    int64_t *nat, *min;
    vb_len_t *words;
    vb_status_t rc = measure_once(lc, t, &nat, &min, &words, d);
    *width = 0;
    if (rc != VB_OK)
        return rc;
    for (int c = 0; c < nc; c++) {
        /* a column given a length is at least that wide */
        const vb_colwidth_t *w = t->col_width ? &t->col_width[c] : NULL;
        *width += w && w->kind == VB_COLW_LEN && w->v > min[c] ? w->v : min[c];
    }
    return rc;
}

/*
 * The widths the writer gave, resolved against the text block (-1 where
 * none); *nfree is the number of columns without one. Widths adding up to
 * more than the text block are an error at the width that passes it.
 */
static vb_status_t
given_widths(vb_lctx_t *lc, const vb_table_t *t, vb_len_t total, int64_t **out, int *nfree, vb_diag_t *d)
{
    *out = NULL;
    *nfree = t->ncols;
    if (!t->col_width)
        return VB_OK;
    int64_t *g = VB_NEWN(lc->arena, int64_t, t->ncols);
    if (!g)
        return vb_diag_nomem(d);
    int64_t sum = 0;
    for (int c = 0; c < t->ncols; c++) {
        const vb_colwidth_t *w = &t->col_width[c];
        g[c] = w->kind == VB_COLW_PCT ? (int64_t)total * w->v / 1000 : w->kind == VB_COLW_LEN ? w->v : -1;
        if (g[c] < 0)
            continue;
        (*nfree)--;
        sum += g[c];
        if (sum > total)
            return vb_diag_set(d, VB_E_LAYOUT, "table.widths", lc->model ? lc->model->source : NULL, w->pos.line,
                               w->pos.col,
                               "The column widths add up to %.1f mm here, more than the text block's %.1f mm "
                               "(percentages are of the text block).",
                               (double)sum * 25.4 / 72000.0, (double)total * 25.4 / 72000.0);
    }
    *out = g;
    return VB_OK;
}

/* The column widths w for the measured natural and minimum widths (measure_columns, measured once per table). */
static vb_status_t
column_widths(vb_lctx_t *lc, const vb_table_t *t, vb_len_t total, bool narrow_first, int64_t *nat, const int64_t *min,
              vb_len_t *w, vb_diag_t *d)
{
    int nc = t->ncols;
    vb_status_t mrc;
    int64_t *given = NULL;
    int nfree = nc;
    if ((mrc = given_widths(lc, t, total, &given, &nfree, d)) != VB_OK)
        return mrc;
    int64_t sum_nat = 0, sum_min = 0, sum_given = 0;
    for (int c = 0; c < nc; c++) {
        if (nat[c] < min[c])
            nat[c] = min[c];
        if (given && given[c] >= 0)
            sum_given += given[c];
        else
            sum_nat += nat[c], sum_min += min[c];
    }
    if (given && nfree == 0) {
        /* every column given: what is left is shared in proportion */
        int64_t spent = 0;
        for (int c = 0; c < nc; c++) {
            int64_t v = given[c] + (sum_given > 0 ? (total - sum_given) * given[c] / sum_given : 0);
            w[c] = (vb_len_t)v;
            spent += v;
        }
        w[nc - 1] += (vb_len_t)(total - spent);
        return VB_OK;
    }
    /*
     * When the natural widths do not fit, narrow columns (those whose natural
     * width is within a fair share of what is left) keep their natural width,
     * so "Năm 2020" or "Ghi chú" never wrap to give a long text column a few
     * millimetres; the wide columns share the rest above their minimums.
     * Columns with a given width are fixed at it from the start.
     */
    bool *fixed = VB_NEWN(lc->arena, bool, nc), *isgiven = VB_NEWN(lc->arena, bool, nc);
    if (!fixed || !isgiven)
        return vb_diag_nomem(d);
    for (int c = 0; c < nc; c++)
        fixed[c] = isgiven[c] = given && given[c] >= 0;
    int64_t space = total - sum_given; /* what the free columns share */
    int64_t remaining = space;
    if (narrow_first && sum_nat > space) {
        for (bool changed = true; changed;) {
            changed = false;
            int nf = 0;
            for (int c = 0; c < nc; c++)
                nf += !fixed[c];
            if (nf <= 1)
                break;
            int64_t fair = remaining / nf;
            for (int c = 0; c < nc; c++)
                if (!fixed[c] && nat[c] <= fair) {
                    fixed[c] = true;
                    remaining -= nat[c];
                    changed = true;
                }
        }
        int64_t rmin = 0;
        for (int c = 0; c < nc; c++)
            if (!fixed[c])
                rmin += min[c];
        if (rmin > remaining) { /* the wide columns would starve: share by the usual rule */
            for (int c = 0; c < nc; c++)
                fixed[c] = isgiven[c];
            remaining = space;
        }
    }
    int64_t rnat = 0, rmin = 0;
    int nshare = 0; /* the free columns */
    for (int c = 0; c < nc; c++)
        if (!fixed[c])
            rnat += nat[c], rmin += min[c], nshare++;
    int64_t spent = 0;
    int last_free = -1;
    for (int c = 0; c < nc; c++) {
        int64_t v;
        if (isgiven[c])
            v = given[c];
        else if (fixed[c])
            v = nat[c];
        else if (rnat == 0) /* free columns all empty, with no border nor padding: an equal share */
            v = remaining > 0 ? remaining / nshare : 0;
        else if (rnat <= remaining)
            v = nat[c] + (remaining - rnat) * nat[c] / rnat;
        else if (rmin < remaining)
            v = min[c] + (remaining - rmin) * (nat[c] - min[c]) / (rnat - rmin);
        else
            v = rmin > 0 ? remaining * min[c] / rmin : 0; /* too narrow: check_fit says which cell */
        if (!isgiven[c])
            last_free = c;
        w[c] = (vb_len_t)v;
        spent += v;
    }
    /* rounding: the table is exactly the text width; a given width stays as given */
    w[last_free >= 0 ? last_free : nc - 1] += (vb_len_t)(total - spent);
    return VB_OK;
}

/*
 * Every cell's widest word fits between its borders and padding; the first
 * that does not is an error at the cell (a given width too small, or a table
 * too wide for the page).
 */
static vb_status_t
check_fit(vb_lctx_t *lc, const vb_table_t *t, const vb_len_t *colx, const vb_len_t *words, vb_diag_t *d)
{
    vb_ptable_t ptv = table_params(lc, t);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            if (cell->covered)
                continue;
            vb_len_t ww = words[(size_t)r * (size_t)t->ncols + (size_t)c]; /* measure_columns measured it */
            vb_len_t room = colx[c + cell->colspan] - colx[c] - 2 * ptv.pad_x;
            if (ww > room)
                return vb_diag_set(d, VB_E_LAYOUT, "table.narrow-column", lc->model ? lc->model->source : NULL,
                                   cell->pos.line, cell->pos.col,
                                   "A word of this cell needs %.1f mm but its column leaves %.1f mm inside the "
                                   "borders: widen the column (its width in the delimiter row) or the others' less.",
                                   (double)ww * 25.4 / 72000.0, (double)room * 25.4 / 72000.0);
        }
    return VB_OK;
}

/* A cell's bottom edge at y: a rule on the table's last row, else a cap drawn only at a page break. */
static vb_status_t
bottom_border(vb_lctx_t *lc, vb_chunk_t *ch, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t bw, bool last,
              vb_diag_t *d)
{
    if (last)
        return vb_chunk_add_rule(lc, ch, x, y, x + w, y, bw, d);
    vb_ditem_t cap;
    memset(&cap, 0, sizeof cap);
    cap.kind = VB_DITEM_RULE;
    cap.u.rule = (vb_drule_t){x, y, x + w, y, bw};
    return VB_PUSH(lc->arena, ch->cap_bottom, cap) ? vb_diag_nomem(d) : VB_OK;
}

/*
 * A table cell's borders, each edge drawn once: a cell draws its top and left
 * edges; the cell below and the cell to the right draw the edges it shares
 * with them (their top and left cover the same lines, merged cells
 * included). So the right edge is drawn only in the last column, and the
 * bottom only in the last row (last), else it goes to the chunk's cap_bottom:
 * drawn only when a page ends under the row, where no row below draws it.
 */
static vb_status_t
shared_borders(vb_lctx_t *lc, vb_chunk_t *ch, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h, vb_len_t bw,
               bool right, bool last, vb_diag_t *d)
{
    vb_status_t rc = vb_chunk_add_rule(lc, ch, x, y, x + w, y, bw, d);
    if (rc == VB_OK)
        rc = bottom_border(lc, ch, x, y + h, w, bw, last, d);
    if (rc == VB_OK)
        rc = vb_chunk_add_rule(lc, ch, x, y, x, y + h, bw, d);
    if (rc == VB_OK && right)
        rc = vb_chunk_add_rule(lc, ch, x + w, y, x + w, y + h, bw, d);
    return rc;
}

/* Sets every cell for the column widths w; fills colx, cs and the row heights; *height is their sum. */
static vb_status_t
set_cells(vb_lctx_t *lc, const vb_table_t *t, const vb_len_t *w, vb_len_t *colx, cellset_t *cs, vb_len_t *rowh,
          int64_t *height, vb_diag_t *d)
{
    vb_ptable_t ptv = table_params(lc, t);
    const vb_ptable_t *pt = &ptv;
    int nr = t->nrows, nc = t->ncols;
    vb_status_t rc;
    colx[0] = lc->text_left;
    for (int c = 0; c < nc; c++)
        colx[c + 1] = colx[c] + w[c];

    /* set the cells; single-row cells fix the row heights */
    for (int r = 0; r < nr; r++) {
        for (int c = 0; c < nc; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            if (cell->covered)
                continue;
            cellset_t *s = &cs[(size_t)r * (size_t)nc + (size_t)c];
            s->style = cell_style(lc, t, r, c);
            vb_len_t cw = colx[c + cell->colspan] - colx[c] - 2 * pt->pad_x;
            rc = vb_set_text(&lc->set, &cell->text, &s->style, cw > 0 ? cw : 1, &s->lines, d);
            if (rc != VB_OK)
                return rc;
            vb_len_t A = vb_style_ascent(&lc->set, &s->style), D = vb_style_descent(&lc->set, &s->style);
            int n = s->lines.n ? s->lines.n : 1;
            s->content = A + (n - 1) * s->style.leading + D;
            vb_len_t need = pt->pad_top + s->content + pt->pad_bottom;
            if (cell->rowspan == 1 && need > rowh[r])
                rowh[r] = need;
        }
    }
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            if (cell->covered || cell->rowspan == 1)
                continue;
            const cellset_t *s = &cs[(size_t)r * (size_t)nc + (size_t)c];
            vb_len_t need = pt->pad_top + s->content + pt->pad_bottom, have = 0;
            for (int k = r; k < r + cell->rowspan; k++)
                have += rowh[k];
            if (need > have)
                rowh[r + cell->rowspan - 1] += need - have;
        }
    *height = 0;
    for (int r = 0; r < nr; r++)
        *height += rowh[r];
    return VB_OK;
}

/*
 * Whether a table of this height is kept on one page: at most the profile's
 * keep_together share of the page's text block ({keep}: all of it; {split}:
 * never); lc->text_height is a landscape page's while in one.
 */
static bool
keeps_together(const vb_lctx_t *lc, const vb_table_t *t, int64_t height)
{
    const vb_profile_t *p = lc->profile;
    int64_t share = t->keep > 0 ? 1000 : t->keep < 0 ? 0 : p->table.keep_together;
    if (share <= 0 || t->nrows < 2)
        return false;
    return height + p->table.space_before <= (int64_t)lc->text_height * share / 1000;
}

/* A table as set: what its rows' chunks are made from. */
typedef struct tabset {
    const vb_table_t *t;
    const vb_len_t *colx, *rowh;
    const cellset_t *cs;
    vb_chunk_t **head;
    const vb_ptable_t *pt; /* the table's settings (a framed box has its own padding) */
    int *cellgroup;        /* nrows * ncols: each origin cell's group of boxes (dlist.h) */
} tabset_t;

/* From here on, lines and boxes belong to cell (r, c): its group, and its span. */
static void
enter_cell(vb_lctx_t *lc, const tabset_t *ts, int r, int c)
{
    lc->box_group = ts->cellgroup[(size_t)r * (size_t)ts->t->ncols + (size_t)c];
    lc->box_outer = 0;
}

/* A head row as one chunk, repeated on later pages; a cell merged down draws over the rows below. */
static vb_status_t
head_row(vb_lctx_t *lc, const tabset_t *ts, int r, vb_chunk_t **out, vb_diag_t *d)
{
    const vb_ptable_t *pt = ts->pt;
    const vb_table_t *t = ts->t;
    int nc = t->ncols;
    vb_chunk_t *ch = vb_chunk_new(lc);
    if (!ch)
        return vb_diag_nomem(d);
    ch->height = ch->fit = ts->rowh[r];
    ch->pos = VB_CELL(t, r, 0)->pos;
    ch->what = "The table head row";
    for (int c = 0; c < nc; c++) {
        const vb_cell_t *cell = VB_CELL(t, r, c);
        if (cell->covered)
            continue;
        const cellset_t *s = &ts->cs[(size_t)r * (size_t)nc + (size_t)c];
        vb_len_t ch_h = 0;
        for (int k = r; k < r + cell->rowspan; k++)
            ch_h += ts->rowh[k];
        vb_len_t x = ts->colx[c], cw = ts->colx[c + cell->colspan] - ts->colx[c];
        vb_status_t rc = shared_borders(lc, ch, x, 0, cw, ch_h, pt->border, c + cell->colspan >= nc,
                                        r + cell->rowspan >= t->nrows, d);
        enter_cell(lc, ts, r, c);
        if (rc == VB_OK)
            rc = vb_chunk_add_box(lc, ch, 0, x, 0, cw, ch_h, d); /* the cell's extent (dlist.h) */
        if (rc != VB_OK)
            return rc;
        vb_len_t A = vb_style_ascent(&lc->set, &s->style);
        vb_len_t top = (ch_h - s->content) / 2;
        for (int k = 0; k < s->lines.n; k++) {
            rc = vb_chunk_add_line(lc, ch, &s->lines.v[k], x + pt->pad_x, top + A + k * s->style.leading, d);
            if (rc != VB_OK)
                return rc;
        }
    }
    ts->head[r] = ch;
    ch->is_head = true;
    *out = ch;
    return VB_OK;
}

/* A row group with more candidate cuts than this is cut into pieces of at least 1/ROW_PIECES_PER_PAGE page. */
#define ROW_FINE_CUTS 256
#define ROW_PIECES_PER_PAGE 8

/* One line of a cell in a group of rows: its ink from top to bottom, its baseline. */
typedef struct cellline {
    vb_len_t top, bottom;
} cellline_t;

/* The top of a cell's first line below the cell's top (text is centred vertically). */
static vb_len_t
text_top(const cellset_t *s, vb_len_t cell_h)
{
    return (cell_h - s->content) / 2;
}

/*
 * Body rows [g0, g1) tied by merged cells (or one row), set as one chunk
 * when they fit a page (avail), else cut into chunks at heights where no
 * line of any cell is cut: row boundaries and the tops of lines. Each cell
 * draws its borders inside each chunk it reaches; a cell cut by a break is
 * closed by the chunks' caps, drawn only when a page breaks there.
 */
static vb_status_t
body_rows(vb_lctx_t *lc, const tabset_t *ts, int g0, int g1, vb_len_t avail, vb_chunk_t **first,
          vb_chunk_t **last, vb_diag_t *d)
{
    const vb_ptable_t *pt = ts->pt;
    const vb_table_t *t = ts->t;
    int nc = t->ncols, n = g1 - g0;
    vb_len_t *rt = VB_NEWN(lc->arena, vb_len_t, n + 1);
    if (!rt)
        return vb_diag_nomem(d);
    rt[0] = 0;
    for (int i = 0; i < n; i++)
        rt[i + 1] = rt[i] + ts->rowh[g0 + i];
    vb_len_t gh = rt[n];

    /* the cuts: 0, then (only when the rows fit no page) every height that cuts no line, then gh */
    VB_VEC(vb_len_t) cut = {0};
    if (VB_PUSH(lc->arena, cut, 0))
        return vb_diag_nomem(d);
    if (gh > avail) {
        VB_VEC(cellline_t) lines = {0};
        VB_VEC(vb_len_t) cand = {0};
        for (int i = 1; i < n; i++)
            if (VB_PUSH(lc->arena, cand, rt[i]))
                return vb_diag_nomem(d);
        for (int r = g0; r < g1; r++)
            for (int c = 0; c < nc; c++) {
                const vb_cell_t *cell = VB_CELL(t, r, c);
                if (cell->covered)
                    continue;
                const cellset_t *s = &ts->cs[(size_t)r * (size_t)nc + (size_t)c];
                vb_len_t ct = rt[r - g0], cb = rt[r - g0 + cell->rowspan < n ? r - g0 + cell->rowspan : n];
                vb_len_t A = vb_style_ascent(&lc->set, &s->style), D = vb_style_descent(&lc->set, &s->style);
                vb_len_t y = ct + text_top(s, cb - ct);
                for (int k = 0; k < s->lines.n; k++, y += s->style.leading) {
                    cellline_t l = {y, y + A + D};
                    if (VB_PUSH(lc->arena, lines, l) || VB_PUSH(lc->arena, cand, y))
                        return vb_diag_nomem(d);
                }
            }
        if (cand.n)
            qsort(cand.v, (size_t)cand.n, sizeof *cand.v, vb_len_cmp);
        if (lines.n)
            qsort(lines.v, (size_t)lines.n, sizeof *lines.v, vb_len_cmp); /* by top: top is the first member */
        /*
         * A height cuts no line when every line starting above it ends above it: one sweep over the lines
         * sorted by top, keeping the lowest bottom of those above (linear after the sorts; comparing each
         * candidate with every line was quadratic, 20,000 lines of a narrow cell took seconds).
         * A row group with more candidate cuts than ROW_FINE_CUTS (a row of hundreds of lines, running
         * over pages: a long text in a narrow column) is cut only where the piece since the last cut is
         * at least 1/ROW_PIECES_PER_PAGE of a page: every piece draws all its cells' borders, so cutting
         * at every line made memory grow with lines times columns (20,000 lines of 64 columns passed
         * 800 MB). A page may then end up to that share short.
         */
        vb_len_t min_piece = cand.n > ROW_FINE_CUTS ? avail / ROW_PIECES_PER_PAGE : 0;
        int64_t below = 0; /* the lowest bottom of the lines starting above y */
        int li = 0;
        for (int i = 0; i < cand.n; i++) {
            vb_len_t y = cand.v[i];
            while (li < lines.n && lines.v[li].top < y) {
                if (lines.v[li].bottom > below)
                    below = lines.v[li].bottom;
                li++;
            }
            if (y <= cut.v[cut.n - 1] || y >= gh || y - cut.v[cut.n - 1] < min_piece)
                continue;
            if (below <= y && VB_PUSH(lc->arena, cut, y))
                return vb_diag_nomem(d);
        }
    }
    if (VB_PUSH(lc->arena, cut, gh))
        return vb_diag_nomem(d);

    /* per cell, the first line not yet placed: lines go down, so each piece starts where the last ended */
    int *next = VB_NEWN(lc->arena, int, (size_t)n * (size_t)nc);
    if (!next)
        return vb_diag_nomem(d);
    for (int p = 0; p + 1 < cut.n; p++) {
        vb_len_t a = cut.v[p], b = cut.v[p + 1];
        vb_chunk_t *ch = vb_chunk_new(lc);
        if (!ch)
            return vb_diag_nomem(d);
        if (p == 0)
            *first = ch;
        *last = ch;
        ch->height = ch->fit = b - a;
        ch->pos = VB_CELL(t, g0, 0)->pos;
        ch->what = cut.n > 2 ? "A line of this table row" : "This table row";
        if (pt->repeat_head && t->nhead > 0) {
            ch->head = ts->head;
            ch->nhead = t->nhead;
        }
        vb_status_t rc = VB_OK;
        for (int r = g0; r < g1 && rc == VB_OK; r++)
            for (int c = 0; c < nc && rc == VB_OK; c++) {
                const vb_cell_t *cell = VB_CELL(t, r, c);
                if (cell->covered)
                    continue;
                const cellset_t *s = &ts->cs[(size_t)r * (size_t)nc + (size_t)c];
                vb_len_t ct = rt[r - g0], cb = rt[r - g0 + cell->rowspan < n ? r - g0 + cell->rowspan : n];
                if (cb <= a || ct >= b)
                    continue;
                vb_len_t x = ts->colx[c], w = ts->colx[c + cell->colspan] - ts->colx[c], bw = pt->border;
                vb_len_t y0 = (ct > a ? ct : a) - a, y1 = (cb < b ? cb : b) - a;
                /* each edge once (shared_borders): a bottom inside the piece is the top of the cell below */
                if (ct >= a)
                    rc = vb_chunk_add_rule(lc, ch, x, y0, x + w, y0, bw, d);
                if (rc == VB_OK && (cb < b ? r + cell->rowspan >= t->nrows : cb == b))
                    rc = bottom_border(lc, ch, x, y1, w, bw, r + cell->rowspan >= t->nrows, d);
                if (rc == VB_OK)
                    rc = vb_chunk_add_rule(lc, ch, x, y0, x, y1, bw, d);
                if (rc == VB_OK && c + cell->colspan >= nc)
                    rc = vb_chunk_add_rule(lc, ch, x + w, y0, x + w, y1, bw, d);
                /* a cell cut by a page break is closed on both pages */
                vb_ditem_t cap;
                memset(&cap, 0, sizeof cap);
                cap.kind = VB_DITEM_RULE;
                cap.u.rule = (vb_drule_t){x, 0, x + w, 0, bw};
                if (rc == VB_OK && ct < a && VB_PUSH(lc->arena, ch->cap_top, cap))
                    return vb_diag_nomem(d);
                cap.u.rule.y1 = cap.u.rule.y2 = b - a;
                if (rc == VB_OK && cb > b && VB_PUSH(lc->arena, ch->cap_bottom, cap))
                    return vb_diag_nomem(d);
                enter_cell(lc, ts, r, c);
                if (rc == VB_OK)
                    rc = vb_chunk_add_box(lc, ch, 0, x, y0, w, y1 - y0, d); /* the cell's extent here */
                vb_len_t A = vb_style_ascent(&lc->set, &s->style);
                int *k = &next[(size_t)(r - g0) * (size_t)nc + (size_t)c];
                for (; *k < s->lines.n && rc == VB_OK; (*k)++) {
                    vb_len_t y = ct + text_top(s, cb - ct) + *k * s->style.leading;
                    if (y >= b)
                        break;
                    if (y >= a)
                        rc = vb_chunk_add_line(lc, ch, &s->lines.v[*k], x + pt->pad_x, y - a + A, d);
                }
            }
        if (rc != VB_OK)
            return rc;
    }
    return VB_OK;
}

vb_status_t
vb_table_layout(vb_lctx_t *lc, const vb_table_t *t, vb_diag_t *d)
{
    vb_ptable_t ptv = table_params(lc, t);
    const vb_ptable_t *pt = &ptv;
    int nr = t->nrows, nc = t->ncols;
    if (nr == 0 || nc == 0)
        return VB_OK;
    vb_len_t *colx = NULL, *rowh = NULL;
    cellset_t *cs = NULL;
    /*
     * Two ways to share the width (see column_widths); the one giving the
     * shorter table wins, so a long text column is not squeezed into many
     * lines to keep a head such as "Năm 2020" on one line, nor the reverse.
     */
    /* the cells measured once: both ways and check_fit use the same widths */
    int64_t *nat, *min;
    vb_len_t *words;
    vb_status_t rc = measure_once(lc, t, &nat, &min, &words, d);
    if (rc != VB_OK)
        return rc;
    int64_t best = -1;
    const vb_len_t *prev_w = NULL;
    for (int mode = 0; mode < 2; mode++) {
        vb_len_t *cw = VB_NEWN(lc->arena, vb_len_t, nc);
        vb_len_t *cx = VB_NEWN(lc->arena, vb_len_t, nc + 1);
        vb_len_t *rh = VB_NEWN(lc->arena, vb_len_t, nr);
        cellset_t *cc = VB_NEWN(lc->arena, cellset_t, (size_t)nr * (size_t)nc);
        if (!cw || !cx || !rh || !cc)
            return vb_diag_nomem(d);
        rc = column_widths(lc, t, lc->text_width, mode == 0, nat, min, cw, d);
        if (rc != VB_OK)
            return rc;
        /* the same widths give the same cells: setting them again (a long cell twice) would change nothing */
        if (mode == 1 && !memcmp(cw, prev_w, sizeof *cw * (size_t)nc))
            break;
        prev_w = cw;
        int64_t height = 0;
        rc = set_cells(lc, t, cw, cx, cc, rh, &height, d);
        if (rc != VB_OK)
            return rc;
        if (best < 0 || height < best) {
            best = height;
            colx = cx, rowh = rh, cs = cc;
        }
    }
    rc = check_fit(lc, t, colx, words, d);
    if (rc != VB_OK)
        return rc;
    bool keep_all = keeps_together(lc, t, best);
    /* a row must be kept with the previous one while a span from above covers it */
    bool *tied = VB_NEWN(lc->arena, bool, nr);
    if (!tied)
        return vb_diag_nomem(d);
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            if (!cell->covered)
                for (int k = r + 1; k < r + cell->rowspan && k < nr; k++)
                    tied[k] = true;
        }

    vb_chunk_t **head = VB_NEWN(lc->arena, vb_chunk_t *, t->nhead ? t->nhead : 1);
    if (!head)
        return vb_diag_nomem(d);
    tabset_t ts = {t, colx, rowh, cs, head, pt, NULL};
    /* the boxes: the table's, and one per cell (merged cells one), inside it */
    int tg = vb_layout_group(lc, VB_DBOX_TABLE, "table", t->pos, 0);
    ts.cellgroup = VB_NEWN(lc->arena, int, (size_t)nr * (size_t)nc);
    if (!tg || !ts.cellgroup)
        return vb_diag_nomem(d);
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            if (cell->covered)
                continue;
            int g = vb_layout_group(lc, VB_DBOX_CELL, r < t->nhead ? "head-cell" : "cell", cell->pos, tg);
            if (!g)
                return vb_diag_nomem(d);
            ts.cellgroup[(size_t)r * (size_t)nc + (size_t)c] = g;
        }
    /* a body row (or rows tied by a merged cell) taller than this is cut: it fits no page whole */
    vb_len_t avail = lc->text_height;
    if (pt->repeat_head)
        for (int r = 0; r < t->nhead; r++)
            avail -= rowh[r];
    for (int r = 0; r < nr;) {
        int g1 = r + 1;
        while (r >= t->nhead && g1 < nr && tied[g1])
            g1++;
        vb_chunk_t *first = NULL, *last = NULL;
        rc = r < t->nhead ? head_row(lc, &ts, r, &first, d) : body_rows(lc, &ts, r, g1, avail, &first, &last, d);
        if (rc != VB_OK)
            return rc;
        if (r == 0)
            first->space_before = pt->space_before;
        else
            first->keep_with_prev = keep_all || tied[r] || r <= t->nhead;
        if (g1 == nr)
            (last ? last : first)->height += pt->space_after;
        r = g1;
    }
    return VB_OK;
}
