/*
 * test_tablesrc.c - pipe tables with merged cells: the seed's Phụ lục 1, alignment, every error;
 * widths in the delimiter row, style markers, <br>, keep/split, framed boxes.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "input.h"

static vb_arena_t *arena;
static vb_diag_t diag;

/* Reads a table from text lines separated by '\n' (the last line may lack it). */
static vb_status_t
table(const char *text, int line0, vb_table_t **t)
{
    static const char *lines[128];
    static size_t lens[128];
    int n = 0;
    const char *s = text;
    while (*s && n < 128) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        lines[n] = s;
        lens[n] = len;
        n++;
        s += len + (nl ? 1 : 0);
    }
    memset(&diag, 0, sizeof diag);
    return vb_read_table(arena, lines, lens, n, "t.md", line0, t, &diag);
}

static const char *
text_of(const vb_cell_t *c)
{
    static char buf[512];
    static const char *const f[4] = {"", "b:", "i:", "bi:"};
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < c->text.n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s%s", i ? "|" : "", f[c->text.spans[i].face & 3],
                              c->text.spans[i].text);
    return buf;
}

static void
expect_error(const char *text, const char *id, int line, int col)
{
    vb_table_t *t = (vb_table_t *)1;
    CHECK_INT(table(text, 10, &t), id[6] == 't' && id[7] == 'o' ? VB_E_LIMIT : VB_E_INPUT);
    CHECK(t == NULL);
    CHECK_STR(diag.id, id);
    CHECK_STR(diag.source, "t.md");
    CHECK_INT(diag.line, line);
    CHECK_INT(diag.col, col);
}

static const char seed_pl1[] =
    "| STT | NỘI DUNG | KẾT QUẢ ĐẠT ĐƯỢC | <        | <        | Ghi chú |\n"
    "| ^   | ^        | Năm 2020         | Năm 2021 | năm 2022 | ^       |\n"
    "|:---:|:---------|:----------------:|:--------:|:--------:|:-------:|\n"
    "| **I** | **Xếp loại TCCSD** | **173** | **132** | **131** |   |\n"
    "|     | *Trong đó* |              |          |          |         |\n"
    "| 1   | - Hoàn thành tốt nhiệm vụ | 120 | 101 | 103 |         |\n"
    "| 2   | - Hoàn thành xuất sắc nhiệm vụ | 32 | 27 | 26 | |\n"
    "| 3   | - Hoàn thành nhiệm vụ | 17 | 03 | 02 | |\n"
    "| 4   | - Không hoàn thành nhiệm vụ | 04 | 01 | 0 | |\n"
    "| **II** | **Xếp loại cấp ủy** | **154** | **120** | **119** | |\n"
    "|     | *Trong đó* | | | | |\n"
    "| 1 | - Hoàn thành tốt nhiệm vụ | 103 | 88 | 88 | |\n"
    "| 2 | - Hoàn thành xuất sắc nhiệm vụ | 32 | 27 | 26 | |\n"
    "| 3 | - Hoàn thành nhiệm vụ | 15 | 04 | 04 | |\n"
    "| 4 | - Không hoàn thành nhiệm vụ | 04 | 01 | 01 | |\n";

static void
test_seed(void)
{
    vb_table_t *t = NULL;
    CHECK_INT(table(seed_pl1, 100, &t), VB_OK);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_INT(t->nrows, 14);
    CHECK_INT(t->ncols, 6);
    CHECK_INT(t->nhead, 2);
    CHECK_INT(t->pos.line, 100);
    CHECK_INT(t->pos.col, 1);
    static const vb_align_t al[6] = {VB_ALIGN_CENTER, VB_ALIGN_LEFT,   VB_ALIGN_CENTER,
                                     VB_ALIGN_CENTER, VB_ALIGN_CENTER, VB_ALIGN_CENTER};
    for (int c = 0; c < 6; c++) {
        CHECK_INT(t->col_align[c], al[c]);
        CHECK_INT(VB_CELL(t, 5, c)->align, al[c]);
    }
    /* STT and NỘI DUNG and Ghi chú: rowspan 2 */
    const vb_cell_t *c = VB_CELL(t, 0, 0);
    CHECK_STR(text_of(c), "STT");
    CHECK(!c->covered);
    CHECK_INT(c->colspan, 1);
    CHECK_INT(c->rowspan, 2);
    CHECK_INT(c->pos.line, 100);
    CHECK_INT(c->pos.col, 3);
    CHECK(VB_CELL(t, 1, 0)->covered);
    CHECK_INT(VB_CELL(t, 1, 0)->text.n, 0);
    CHECK_STR(text_of(VB_CELL(t, 0, 1)), "NỘI DUNG");
    CHECK_INT(VB_CELL(t, 0, 1)->rowspan, 2);
    CHECK(VB_CELL(t, 1, 1)->covered);
    /* KẾT QUẢ ĐẠT ĐƯỢC: colspan 3 */
    c = VB_CELL(t, 0, 2);
    CHECK_STR(text_of(c), "KẾT QUẢ ĐẠT ĐƯỢC");
    CHECK_INT(c->colspan, 3);
    CHECK_INT(c->rowspan, 1);
    CHECK_INT(c->pos.col, 20);
    CHECK(VB_CELL(t, 0, 3)->covered);
    CHECK(VB_CELL(t, 0, 4)->covered);
    CHECK_INT(VB_CELL(t, 0, 4)->pos.line, 100);
    CHECK_STR(text_of(VB_CELL(t, 1, 2)), "Năm 2020");
    CHECK_STR(text_of(VB_CELL(t, 1, 4)), "năm 2022");
    CHECK(!VB_CELL(t, 1, 4)->covered);
    CHECK_INT(VB_CELL(t, 1, 4)->pos.line, 101);
    c = VB_CELL(t, 0, 5);
    CHECK_STR(text_of(c), "Ghi chú");
    CHECK_INT(c->colspan, 1);
    CHECK_INT(c->rowspan, 2);
    CHECK(VB_CELL(t, 1, 5)->covered);
    /* body: faces, list-like text kept, empty cells */
    CHECK_STR(text_of(VB_CELL(t, 2, 0)), "b:I");
    CHECK_STR(text_of(VB_CELL(t, 2, 1)), "b:Xếp loại TCCSD");
    CHECK_INT(VB_CELL(t, 2, 1)->pos.line, 103);
    CHECK_INT(VB_CELL(t, 2, 5)->text.n, 0);
    CHECK_STR(text_of(VB_CELL(t, 3, 1)), "i:Trong đó");
    CHECK_INT(VB_CELL(t, 3, 0)->text.n, 0);
    CHECK(!VB_CELL(t, 3, 0)->covered);
    CHECK_STR(text_of(VB_CELL(t, 4, 1)), "- Hoàn thành tốt nhiệm vụ");
    CHECK_STR(text_of(VB_CELL(t, 4, 0)), "1");
    CHECK_STR(text_of(VB_CELL(t, 13, 4)), "01");
    CHECK_INT(VB_CELL(t, 13, 4)->pos.line, 114);
    int covered = 0;
    for (int r = 0; r < t->nrows; r++)
        for (int k = 0; k < t->ncols; k++)
            covered += VB_CELL(t, r, k)->covered;
    CHECK_INT(covered, 5);
}

static void
test_shapes(void)
{
    vb_table_t *t = NULL;
    /* alignment, escapes, a 2x2 merge, no head, indentation, tabs */
    CHECK_INT(table("   |---|:--|--:|:-:|\n"
                    "   | a \\| b | `c` | \\< | \\^ |\n"
                    "|\tx\t| < | y | z |\n"
                    "| ^ | < | w | v |",
                    1, &t),
              VB_OK);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_INT(t->nhead, 0);
    CHECK_INT(t->nrows, 3);
    CHECK_INT(t->pos.col, 4);
    CHECK_INT(t->col_align[0], VB_ALIGN_DEFAULT);
    CHECK_INT(t->col_align[1], VB_ALIGN_LEFT);
    CHECK_INT(t->col_align[2], VB_ALIGN_RIGHT);
    CHECK_INT(t->col_align[3], VB_ALIGN_CENTER);
    CHECK_STR(text_of(VB_CELL(t, 0, 0)), "a | b");
    CHECK_STR(text_of(VB_CELL(t, 0, 1)), "c");
    CHECK_STR(text_of(VB_CELL(t, 0, 2)), "<");
    CHECK(!VB_CELL(t, 0, 2)->covered);
    CHECK_STR(text_of(VB_CELL(t, 0, 3)), "^");
    const vb_cell_t *c = VB_CELL(t, 1, 0);
    CHECK_STR(text_of(c), "x");
    CHECK_INT(c->colspan, 2);
    CHECK_INT(c->rowspan, 2);
    CHECK_INT(c->pos.col, 3);
    CHECK(VB_CELL(t, 1, 1)->covered && VB_CELL(t, 2, 0)->covered && VB_CELL(t, 2, 1)->covered);
    CHECK(!VB_CELL(t, 2, 2)->covered);

    /* several head rows and trailing spaces after the last bar */
    CHECK_INT(table("| A | B |  \n| C | D |\n| E | F |\n|---|---|\n| 1 | 2 |\t\n", 1, &t), VB_OK);
    CHECK_INT(t->nhead, 3);
    CHECK_INT(t->nrows, 4);
    CHECK_STR(text_of(VB_CELL(t, 3, 1)), "2");

    /* a later all-dash row is content */
    CHECK_INT(table("| A |\n|---|\n| - |\n|---|", 1, &t), VB_OK);
    CHECK_INT(t->nrows, 3);
    CHECK_STR(text_of(VB_CELL(t, 1, 0)), "-");
    CHECK_STR(text_of(VB_CELL(t, 2, 0)), "---");
}

static void
test_errors(void)
{
    /* unclosed rows: at the end of the row text, where the '|' is missing */
    expect_error("| a | b\n|---|---|\n", "table.unclosed-row", 10, 8);
    expect_error("| a | b |\n|---|---|\n| Đề | bài  \n", "table.unclosed-row", 12, 11);
    expect_error("| a | b \\|\n|---|---|\n", "table.unclosed-row", 10, 11);
    expect_error("|\n", "table.unclosed-row", 10, 2);
    /* no delimiter row: at the table */
    expect_error("  | a | b |\n  | c | d |\n", "table.no-delimiter", 10, 3);
    expect_error("| a | b |\n| -- | :x: |\n", "table.no-delimiter", 10, 1);
    /* ragged: at the row */
    expect_error("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "table.ragged", 12, 1);
    expect_error("| a |\n|---|---|\n", "table.ragged", 10, 1);
    expect_error(" | a | b |\n |---|---|\n | 1 |\n", "table.ragged", 12, 2);
    /* bad spans: at the cell */
    expect_error("| < | a |\n|---|---|\n", "table.bad-span", 10, 3);
    expect_error("| a | ^ |\n|---|---|\n", "table.bad-span", 10, 7);
    expect_error("|---|---|\n| ^ | a |\n", "table.bad-span", 11, 3);
    expect_error("| Đầu | b |\n|---|---|\n| ^ | c |\n", "table.bad-span", 12, 3);      /* head into body */
    expect_error("| A | < |\n| B | ^ |\n|---|---|\n", "table.bad-span", 11, 7);      /* overlap */
    expect_error("| A | b |\n| ^ | < |\n|---|---|\n", "table.bad-span", 11, 7);      /* L shape */
    expect_error("| A | < | x |\n| ^ | y | z |\n|---|---|---|\n", "table.bad-span", 11, 7); /* short row */
    expect_error("| A | < | < |\n| ^ | < | q |\n|---|---|---|\n", "table.bad-span", 11, 11);
    expect_error("| A | x |\n| ^ | ^ |\n| ^ | < |\n|---|---|\n", "table.bad-span", 12, 7);
    /* only a delimiter row */
    expect_error("|---|---|\n", "table.empty", 10, 1);
    /* too many columns */
    char wide[512];
    size_t k = 0;
    for (int i = 0; i < 70; i++)
        k += (size_t)snprintf(wide + k, sizeof wide - k, "| x ");
    snprintf(wide + k, sizeof wide - k, "|\n");
    expect_error(wide, "table.too-wide", 10, 259);
}

static void
test_writer_additions(void)
{
    vb_table_t *t = NULL;
    /* widths: after the dashes, between them, after the colon; decimal comma; mm and cm; none */
    CHECK_INT(table("| A | B | C | D | E |\n"
                    "|:--- 10% |--- 12,5 % ---:|:---: 30mm| --- 2.5cm | --- |\n"
                    "| 1 | 2 | 3 | 4 | 5 |",
                    7, &t),
              VB_OK);
    CHECK(t && t->col_width);
    if (!t || !t->col_width)
        return;
    CHECK_INT(t->col_align[0], VB_ALIGN_LEFT);
    CHECK_INT(t->col_align[1], VB_ALIGN_RIGHT);
    CHECK_INT(t->col_align[2], VB_ALIGN_CENTER);
    CHECK_INT(t->col_width[0].kind, VB_COLW_PCT);
    CHECK_INT(t->col_width[0].v, 100);
    CHECK_INT(t->col_width[0].pos.line, 8);
    CHECK_INT(t->col_width[0].pos.col, 7);
    CHECK_INT(t->col_width[1].kind, VB_COLW_PCT);
    CHECK_INT(t->col_width[1].v, 125);
    CHECK_INT(t->col_width[2].kind, VB_COLW_LEN);
    CHECK_INT(t->col_width[2].v, 85039); /* 30 mm */
    CHECK_INT(t->col_width[3].v, 70866); /* 2.5 cm */
    CHECK_INT(t->col_width[4].kind, VB_COLW_AUTO);
    CHECK_INT(t->keep, 0);
    CHECK(!t->box);

    /* blanks only around a width: "- -" and ": ---" are text, as before */
    CHECK_INT(table("| - - |\n|---|\n| 1 |", 1, &t), VB_OK);
    CHECK(t && t->nhead == 1);
    CHECK_INT(table("| : --- |\n|---|\n| 1 |", 1, &t), VB_OK);
    CHECK(t && t->nhead == 1);

    /* a table without widths has none */
    CHECK_INT(table("| A |\n|:-:|\n| 1 |", 1, &t), VB_OK);
    CHECK(t && !t->col_width);

    /* markers: a row's after its bar, a cell's at its start, the cell's on top; keep on the delimiter */
    CHECK_INT(table("| STT | Nội dung |\n"
                    "| (1) | (2) | {numbers}\n"
                    "|:---:|:---| {keep}\n"
                    "| {normal center} 1 | Dòng một<br>dòng hai<BR/>ba |   {italic, right}  \n"
                    "| {x} y | **đậm<br />vẫn đậm** |\n",
                    1, &t),
              VB_OK);
    if (!t)
        return;
    CHECK_INT(t->nhead, 2);
    CHECK_INT(t->keep, 1);
    const vb_cell_t *c = VB_CELL(t, 1, 0);
    CHECK(c->fmt.numbers && c->fmt.bold < 0 && c->fmt.align == VB_ALIGN_DEFAULT);
    CHECK_STR(text_of(c), "(1)");
    CHECK(!VB_CELL(t, 0, 0)->fmt.numbers && VB_CELL(t, 0, 0)->fmt.bold < 0);
    c = VB_CELL(t, 2, 0);
    CHECK_STR(text_of(c), "1");
    CHECK_INT(c->pos.col, 19); /* at the text, after the marker */
    CHECK_INT(c->fmt.bold, 0);
    CHECK_INT(c->fmt.italic, 0); /* normal: the row's italic is overridden */
    CHECK_INT(c->fmt.align, VB_ALIGN_CENTER);
    c = VB_CELL(t, 2, 1);
    CHECK_STR(text_of(c), "Dòng một\ndòng hai\nba");
    CHECK_INT(c->fmt.italic, 1);
    CHECK_INT(c->fmt.bold, -1);
    CHECK_INT(c->fmt.align, VB_ALIGN_RIGHT);
    CHECK_STR(text_of(VB_CELL(t, 3, 0)), "{x} y"); /* not style words: text */
    CHECK_STR(text_of(VB_CELL(t, 3, 1)), "b:đậm\nvẫn đậm");
    CHECK_INT(VB_CELL(t, 3, 0)->fmt.bold, -1);

    /* split */
    CHECK_INT(table("| A |\n|---| {split}\n| 1 |", 1, &t), VB_OK);
    CHECK(t && t->keep == -1);

    /* a framed box: one-cell lines, no delimiter row; its lines are its paragraphs */
    CHECK_INT(table("| {center} **Ghi chú:** một |\n|  hai<br>ba |\n| bốn |", 20, &t), VB_OK);
    if (!t)
        return;
    CHECK(t->box);
    CHECK_INT(t->nrows, 1);
    CHECK_INT(t->ncols, 1);
    CHECK_INT(t->nhead, 0);
    CHECK_INT(t->pos.line, 20);
    CHECK_INT(VB_CELL(t, 0, 0)->fmt.align, VB_ALIGN_CENTER);
    CHECK_STR(text_of(VB_CELL(t, 0, 0)), "b:Ghi chú:| một|\n|hai\nba|\n|bốn");

    /* errors */
    expect_error("| a | b |\n|--- 30 |---|\n", "table.width", 11, 2);
    expect_error("| a | b |\n|---|--- 0% |\n", "table.width", 11, 6);
    expect_error("| a | b | {bold centered}\n|---|---|\n", "table.style", 10, 17);
    expect_error("| a | b | {keep}\n|---|---|\n", "table.style", 10, 11);
    expect_error("| a | b |\n|---|---| {center}\n", "table.style", 11, 11);
    expect_error("| a |\n| b | {italic}\n", "table.box-style", 11, 7);
    expect_error("| a | {split}\n| b |\n", "table.style", 10, 7);
}

int
main(void)
{
    arena = vb_arena_new();
    test_seed();
    test_shapes();
    test_errors();
    test_writer_additions();
    vb_arena_free(arena);
    return check_done();
}
