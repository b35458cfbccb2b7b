/*
 * test_overlay.c - the plan of the preview's overlay (overlay.c) on a
 * display list built by hand: the unions per number and column, the body's
 * box, the legend's states, the marked lines, the text.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "overlay.h"

static vb_ditem_t *
add_box(vb_dlist_t *dl, int page, vb_dbox_kind_t kind, int group, int outer, vb_len_t x, vb_len_t y, vb_len_t w,
        vb_len_t h)
{
    vb_ditem_t *it = vb_dpage_add(dl, &dl->pages[page], VB_DITEM_BOX);
    it->u.box = (vb_dbox_t){.kind = (uint8_t)kind, .space_permille = 1000, .group = group, .outer = outer,
                            .x = x, .y = y, .w = w, .h = h};
    return it;
}

static int
group(vb_dlist_t *dl, vb_dbox_kind_t kind, const char *name, int official, int outer)
{
    vb_dgroup_t g = {.kind = kind, .name = name, .official = official, .index = -1, .outer = outer};
    return vb_dlist_add_group(dl, &g);
}

static const vb_ovrect_t *
find_box(const vb_overlay_t *ov, int no, vb_len_t x)
{
    for (int i = 0; i < ov->nboxes; i++)
        if (ov->boxes[i].official == no && ov->boxes[i].x == x)
            return &ov->boxes[i];
    return NULL;
}

static void
test_plan(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    CHECK(vb_dlist_add_page(&dl, 595276, 841890) != NULL);
    CHECK(vb_dlist_add_page(&dl, 595276, 841890) != NULL);

    int col = group(&dl, VB_DBOX_COLUMN, "column", 0, 0);
    int col2 = group(&dl, VB_DBOX_COLUMN, "column", 0, 0);
    int parent = group(&dl, VB_DBOX_ITEM, "parent", 2, col);
    int issuer = group(&dl, VB_DBOX_ITEM, "issuer", 2, col);
    int number = group(&dl, VB_DBOX_ITEM, "number", 3, col);
    int other2 = group(&dl, VB_DBOX_ITEM, "other", 2, col2); /* ô 2 in another column: a box of its own */
    int mark = group(&dl, VB_DBOX_ITEM, "mark", 11, col2);   /* a number the profile does not name */
    int p1 = group(&dl, VB_DBOX_PARAGRAPH, "paragraph", 0, 0);
    int p2 = group(&dl, VB_DBOX_PARAGRAPH, "heading", 0, 0);
    int tab = group(&dl, VB_DBOX_TABLE, "table", 0, 0);
    int incell = group(&dl, VB_DBOX_PARAGRAPH, "paragraph", 0, tab);
    int note = group(&dl, VB_DBOX_FOOTNOTE, "footnote", 0, 0);
    int signer = group(&dl, VB_DBOX_ITEM, "name", 7, 0);

    add_box(&dl, 0, VB_DBOX_TEXT_BLOCK, 0, 0, 85039, 56693, 467717, 728504);
    add_box(&dl, 0, VB_DBOX_ITEM, parent, col, 85039, 57000, 226772, 15000);
    add_box(&dl, 0, VB_DBOX_ITEM, issuer, col, 90000, 73000, 200000, 31000);
    add_box(&dl, 0, VB_DBOX_ITEM, number, col, 85039, 121000, 226772, 15000);
    add_box(&dl, 0, VB_DBOX_ITEM, other2, col2, 311811, 57000, 240945, 16000);
    add_box(&dl, 0, VB_DBOX_ITEM, mark, col2, 311811, 100000, 100000, 16000);
    /* lines: one overfull, one very loose (2500 > 2000), one loose but within the tolerance */
    vb_ditem_t *l1 = add_box(&dl, 0, VB_DBOX_LINE, parent, col, 80000, 57000, 240000, 15000);
    l1->u.box.overfull = true;
    vb_ditem_t *l2 = add_box(&dl, 0, VB_DBOX_LINE, p1, 0, 85039, 250000, 467717, 15000);
    l2->u.box.space_permille = 2500;
    vb_ditem_t *l3 = add_box(&dl, 0, VB_DBOX_LINE, p1, 0, 85039, 268000, 467717, 15000);
    l3->u.box.space_permille = 1900;
    add_box(&dl, 0, VB_DBOX_PARAGRAPH, p1, 0, 85039, 250000, 467717, 40000);
    add_box(&dl, 0, VB_DBOX_PARAGRAPH, p2, 0, 85039, 300000, 200000, 15000);
    add_box(&dl, 0, VB_DBOX_TABLE, tab, 0, 85039, 330000, 467717, 100000);
    add_box(&dl, 0, VB_DBOX_PARAGRAPH, incell, tab, 85039, 700000, 10000, 10000); /* not the body's (in a table) */
    add_box(&dl, 0, VB_DBOX_FOOTNOTE, note, 0, 85039, 760000, 467717, 20000);     /* not the body's */
    add_box(&dl, 0, VB_DBOX_COLUMN, col, 0, 85039, 57000, 226772, 79000);
    add_box(&dl, 0, VB_DBOX_COLUMN, col2, 0, 311811, 57000, 240945, 79000);
    add_box(&dl, 1, VB_DBOX_ITEM, signer, 0, 311811, 400000, 240945, 15000);

    vb_pofficial_t named[] = {{2, "Hai", false}, {3, "Ba", false}, {6, "Sáu", true}, {7, "Bảy", false},
                              {8, "Tám", false}};
    vb_profile_t p = {.id = "test", .name = "Thử", .official_boxes = named, .nofficial_boxes = 5};
    p.breaking.space_stretch = 500;
    p.breaking.tolerance = 2000;

    vb_overlay_t ov;
    vb_diag_t d = {0};
    CHECK_INT(vb_overlay_plan(&dl, 0, &p, a, &ov, &d), VB_OK);
    CHECK_INT(ov.loose_permille, 2000);
    CHECK(ov.has_text_block && ov.tb_x == 85039 && ov.tb_w == 467717);
    CHECK_INT(ov.ncolumns, 2);
    CHECK_INT(ov.nboxes, 5); /* 2 (col), 3, 2 (col2), 11, 6 (the body) */
    const vb_ovrect_t *b2 = find_box(&ov, 2, 85039);
    CHECK(b2 && b2->y == 57000 && b2->w == 226772 && b2->h == 104000 - 57000); /* parent and issuer, united */
    CHECK(find_box(&ov, 3, 85039) != NULL);
    CHECK(find_box(&ov, 2, 311811) != NULL);
    CHECK(find_box(&ov, 11, 311811) != NULL);
    const vb_ovrect_t *b6 = find_box(&ov, 6, 85039);
    CHECK(b6 && b6->y == 250000 && b6->w == 467717 && b6->h == 430000 - 250000); /* paragraphs and table only */

    CHECK_INT(ov.nmarks, 2);
    CHECK(ov.nmarks == 2 && ov.marks[0].overfull && ov.marks[0].x == 80000);
    CHECK(ov.nmarks == 2 && !ov.marks[1].overfull && ov.marks[1].space_permille == 2500);

    CHECK_INT(ov.nlegend, 6); /* the five named, then 11 */
    CHECK(ov.legend[0].no == 2 && ov.legend[0].here && ov.legend[0].page == 0);
    CHECK(ov.legend[2].no == 6 && ov.legend[2].here);
    CHECK(ov.legend[3].no == 7 && !ov.legend[3].here && ov.legend[3].page == 1);
    CHECK(ov.legend[4].no == 8 && !ov.legend[4].here && ov.legend[4].page == -1);
    CHECK(ov.legend[5].no == 11 && ov.legend[5].here && ov.legend[5].name == NULL);

    char *text = NULL;
    size_t len = 0;
    CHECK_INT(vb_overlay_text(&ov, &text, &len, &d), VB_OK);
    CHECK(text && strlen(text) == len);
    CHECK(text && strstr(text, "page 1 w=595276 h=841890 profile=\"test\" loose=2000\n") == text);
    CHECK(text && strstr(text, "\nbox no=2 x=85039 y=57000 w=226772 h=47000 colour=#"));
    CHECK(text && strstr(text, "\nmark overfull x=80000 y=57000 w=240000 h=15000 space=1000 colour=#e00000\n"));
    CHECK(text && strstr(text, "\nmark loose x=85039 y=250000 w=467717 h=15000 space=2500 colour=#ff8c00\n"));
    CHECK(text && strstr(text, "\nlegend no=7 page=2 name=\"Bảy\" colour=#"));
    CHECK(text && strstr(text, "\nlegend no=8 empty name=\"Tám\" colour=#"));
    CHECK(text && strstr(text, "\nlegend no=11 here name=null colour=#"));
    free(text);

    /* page 2: only ô 7; no text block; the legend says where the others are */
    CHECK_INT(vb_overlay_plan(&dl, 1, &p, a, &ov, &d), VB_OK);
    CHECK_INT(ov.nboxes, 1);
    CHECK(!ov.has_text_block);
    CHECK(ov.legend[0].no == 2 && !ov.legend[0].here && ov.legend[0].page == 0);
    CHECK(ov.legend[3].no == 7 && ov.legend[3].here);

    /* no profile: the numbers only, no body box, no threshold */
    CHECK_INT(vb_overlay_plan(&dl, 0, NULL, a, &ov, &d), VB_OK);
    CHECK_INT(ov.loose_permille, 0);
    CHECK_INT(ov.nmarks, 1);
    CHECK_INT(ov.nboxes, 4);
    CHECK_INT(ov.nlegend, 4); /* 2, 3, 7, 11, ascending */
    CHECK(ov.nlegend == 4 && ov.legend[0].no == 2 && ov.legend[2].no == 7 && ov.legend[3].no == 11);

    /* a page that does not exist */
    CHECK_INT(vb_overlay_plan(&dl, 2, &p, a, &ov, &d), VB_E_USAGE);
    CHECK_STR(d.id, "png.page");

    /* the palette: distinct colours for 1-15, none the marks' */
    for (int i = 1; i <= 15; i++) {
        CHECK(vb_overlay_colour(i) != VB_OVERLAY_OVERFULL_RGB && vb_overlay_colour(i) != VB_OVERLAY_LOOSE_RGB);
        for (int j = 1; j < i; j++)
            CHECK(vb_overlay_colour(i) != vb_overlay_colour(j));
    }
    vb_arena_free(a);
}

int
main(void)
{
    test_plan();
    return check_done();
}
