/*
 * test_dlist.c - building a display list and its text dump.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dlist.h"

static void
test_dump(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    dl.info.title = "Quyết định \"số 1\"";
    dl.info.author = "Ủy ban\nnhân dân";
    dl.info.creator = "vanban 0.1.0";
    dl.info.year = 2023;
    dl.info.month = 7;
    dl.info.day = 6;
    dl.info.hour = 9;
    dl.info.minute = 30;
    dl.info.tz_minutes = 420;

    vb_dpage_t *pg = vb_dlist_add_page(&dl, 595276, 841890);
    CHECK(pg != NULL);
    pg->label = "1";
    vb_ditem_t *it = vb_dpage_add(&dl, pg, VB_DITEM_RUN);
    CHECK(it != NULL);
    CHECK_INT(it->kind, VB_DITEM_RUN);
    static const char text[] = "Hộ";
    vb_dglyph_t *g = VB_NEWN(a, vb_dglyph_t, 3);
    g[0] = (vb_dglyph_t){.gid = 43, .x = 85039, .y = 70866, .text_off = 0, .text_len = 1};
    g[1] = (vb_dglyph_t){.gid = 82, .x = 94425, .y = 70866, .text_off = 1, .text_len = 3};
    g[2] = (vb_dglyph_t){.gid = 900, .x = 95000, .y = 70500, .text_off = 1, .text_len = 0};
    it->u.run = (vb_drun_t){.face = 1, .size = 13000, .text = text, .text_len = strlen(text), .glyphs = g, .n = 3};
    it = vb_dpage_add(&dl, pg, VB_DITEM_RULE);
    it->u.rule = (vb_drule_t){.x1 = 100000, .y1 = 80000, .x2 = 200000, .y2 = 80000, .width = 500};
    it = vb_dpage_add(&dl, pg, VB_DITEM_BOX);
    vb_dgroup_t sig = {.kind = VB_DBOX_SIGNATURE, .name = "signature", .index = 0, .role = "signer", .direct = true};
    int sg = vb_dlist_add_group(&dl, &sig);
    CHECK_INT(sg, 1);
    it->u.box = (vb_dbox_t){.kind = VB_DBOX_SIGNATURE, .group = sg, .x = 300000, .y = 600000, .w = 200000, .h = 80000};
    CHECK_INT(pg->n, 3);

    char title[32];
    strcpy(title, "Điều 1");
    CHECK_INT(vb_dlist_add_outline(&dl, 1, title, 0, 70000), 0);
    strcpy(title, "overwritten");
    CHECK_STR(dl.outline[0].title, "Điều 1"); /* copied */
    CHECK_INT(vb_dlist_add_label(&dl, 0, 1, NULL), 0);
    CHECK_INT(vb_dlist_add_label(&dl, 1, 1, "Phụ lục "), 0);

    char *out = NULL;
    size_t len = 0;
    CHECK_INT(vb_dlist_dump(&dl, &out, &len), VB_OK);
    const char *expect =
        "info title=\"Quyết định \\\"số 1\\\"\" author=\"Ủy ban\\x0Anhân dân\" subject=null keywords=null "
        "creator=\"vanban 0.1.0\" date=2023-07-06T09:30:00+0700\n"
        "page 1 w=595276 h=841890 label=\"1\" items=3\n"
        "run face=1 size=13000 x=85039 y=70866 text=\"Hộ\" glyphs=43@85039 82@94425 900@95000,70500 at=none\n"
        "rule x1=100000 y1=80000 x2=200000 y2=80000 w=500\n"
        "box kind=signature name=\"signature\" index=0 role=\"signer\" x=300000 y=600000 w=200000 h=80000 at=none\n"
        "outline level=1 page=0 y=70000 title=\"Điều 1\"\n"
        "label first=0 start=1 prefix=null\n"
        "label first=1 start=1 prefix=\"Phụ lục \"\n";
    CHECK_STR(out, expect);
    CHECK_INT(len, strlen(expect));
    free(out);
    vb_arena_free(a);
}

/* Many pages and items: growth keeps earlier content, and the dump stays consistent. */
static void
test_growth(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    for (int p = 0; p < 300; p++) {
        vb_dpage_t *pg = vb_dlist_add_page(&dl, 1000 + p, 2000);
        CHECK(pg != NULL);
        for (int i = 0; i < 40; i++) {
            vb_ditem_t *it = vb_dpage_add(&dl, pg, VB_DITEM_RULE);
            it->u.rule.x1 = p * 100 + i;
        }
    }
    CHECK_INT(dl.npages, 300);
    int bad = 0;
    for (int p = 0; p < 300; p++) {
        if (dl.pages[p].width != 1000 + p || dl.pages[p].n != 40)
            bad++;
        for (int i = 0; i < dl.pages[p].n; i++)
            if (dl.pages[p].items[i].u.rule.x1 != p * 100 + i || dl.pages[p].items[i].kind != VB_DITEM_RULE)
                bad++;
    }
    CHECK_INT(bad, 0);
    char *out = NULL;
    size_t len = 0;
    CHECK_INT(vb_dlist_dump(&dl, &out, &len), VB_OK);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += out[i] == '\n';
    CHECK_INT(lines, 1 + 300 * 41);
    CHECK(strstr(out, "page 300 w=1299 h=2000 label=null items=40\n") != NULL);
    free(out);

    /* an empty list dumps its info line only */
    vb_dlist_t empty = {.arena = a};
    CHECK_INT(vb_dlist_dump(&empty, &out, &len), VB_OK);
    CHECK_STR(out, "info title=null author=null subject=null keywords=null creator=null "
                   "date=0000-00-00T00:00:00+0000\n");
    free(out);
    vb_arena_free(a);
}

/* vb_ditem_move: every kind of item by (dx, dy), a run's glyphs in place. */
static void
test_move(void)
{
    vb_dglyph_t g[2] = {{1, 100, 200, 0, 1}, {2, 150, 210, 1, 1}};
    vb_ditem_t run = {.kind = VB_DITEM_RUN, .u.run = {.glyphs = g, .n = 2}};
    vb_ditem_move(&run, 10, -20);
    CHECK(run.u.run.glyphs == g);
    CHECK_INT(g[0].x, 110);
    CHECK_INT(g[0].y, 180);
    CHECK_INT(g[1].x, 160);
    CHECK_INT(g[1].y, 190);
    vb_ditem_t rule = {.kind = VB_DITEM_RULE, .u.rule = {1, 2, 3, 4, 5}};
    vb_ditem_move(&rule, 10, 100);
    CHECK(rule.u.rule.x1 == 11 && rule.u.rule.y1 == 102 && rule.u.rule.x2 == 13 && rule.u.rule.y2 == 104 &&
          rule.u.rule.width == 5);
    vb_ditem_t box = {.kind = VB_DITEM_BOX, .u.box = {.kind = VB_DBOX_SIGNATURE, .x = 1, .y = 2, .w = 30, .h = 40}};
    vb_ditem_move(&box, 10, 100);
    CHECK(box.u.box.x == 11 && box.u.box.y == 102 && box.u.box.w == 30 && box.u.box.h == 40);
    vb_ditem_t img = {.kind = VB_DITEM_IMAGE, .u.image = {NULL, 1, 2, 30, 40}};
    vb_ditem_move(&img, -1, -2);
    CHECK(img.u.image.x == 0 && img.u.image.y == 0 && img.u.image.w == 30 && img.u.image.h == 40);
}

static vb_dbox_t *
add_box(vb_dlist_t *dl, vb_dpage_t *pg, int kind, int group, int outer, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h)
{
    vb_ditem_t *it = vb_dpage_add(dl, pg, VB_DITEM_BOX);
    it->u.box = (vb_dbox_t){.kind = (uint8_t)kind, .space_permille = 1000, .group = group, .outer = outer,
                            .x = x, .y = y, .w = w, .h = h};
    return &it->u.box;
}

/*
 * Boxes around groups: a paragraph cut by a page break gets a box on each
 * page; a cell's pieces (kind 0) make its box and go; a table holds its
 * cells; a line's name is its own, its span its paragraph's. Then the
 * display list takes copies of every string, and the originals can go.
 */
static void
test_groups(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    char *file = strdup("g.md"), *pname = strdup("paragraph"), *text = strdup("Một hai");
    int para = vb_dlist_add_group(&dl, &(vb_dgroup_t){.kind = VB_DBOX_PARAGRAPH, .name = pname, .index = -1,
                                                     .span = {file, 7, 1, 0, 0}});
    int table = vb_dlist_add_group(&dl, &(vb_dgroup_t){.kind = VB_DBOX_TABLE, .name = "table", .index = -1});
    int cell = vb_dlist_add_group(&dl, &(vb_dgroup_t){.kind = VB_DBOX_CELL, .name = "cell", .index = -1,
                                                     .span = {file, 9, 12, 0, 0}, .outer = table});
    CHECK(para == 1 && table == 2 && cell == 3);
    vb_dpage_t *p1 = vb_dlist_add_page(&dl, 1000, 1000);
    add_box(&dl, p1, VB_DBOX_LINE, para, 0, 10, 10, 100, 12);
    add_box(&dl, p1, VB_DBOX_LINE, para, 0, 10, 30, 80, 12);
    vb_ditem_t *run = vb_dpage_add(&dl, p1, VB_DITEM_RUN);
    static vb_dglyph_t g = {.gid = 1, .x = 10, .y = 20, .text_off = 0, .text_len = 3};
    run->u.run = (vb_drun_t){.size = 1000, .text = text, .text_len = strlen(text), .glyphs = &g, .n = 1, .group = para};
    vb_dpage_t *p2 = vb_dlist_add_page(&dl, 1000, 1000);
    p1 = &dl.pages[0];
    add_box(&dl, p2, VB_DBOX_LINE, para, 0, 10, 10, 50, 12);
    add_box(&dl, p2, 0, cell, 0, 10, 100, 200, 40); /* a cell's pieces */
    add_box(&dl, p2, 0, cell, 0, 10, 140, 200, 20);
    CHECK_INT(vb_dlist_group_boxes(&dl), 0);
    /* page 1: 2 lines, the run, the paragraph */
    CHECK_INT(dl.pages[0].n, 4);
    const vb_dbox_t *pb = &dl.pages[0].items[3].u.box;
    CHECK(pb->kind == VB_DBOX_PARAGRAPH && pb->x == 10 && pb->y == 10 && pb->w == 100 && pb->h == 32);
    /* page 2: the line, the paragraph, the cell, the table (no pieces) */
    CHECK_INT(dl.pages[1].n, 4);
    const vb_dbox_t *cb = &dl.pages[1].items[2].u.box, *tb = &dl.pages[1].items[3].u.box;
    CHECK(dl.pages[1].items[1].u.box.kind == VB_DBOX_PARAGRAPH && dl.pages[1].items[1].u.box.h == 12);
    CHECK(cb->kind == VB_DBOX_CELL && cb->y == 100 && cb->h == 60 && cb->w == 200);
    CHECK(tb->kind == VB_DBOX_TABLE && tb->y == 100 && tb->h == 60);
    vb_dboxinfo_t in;
    vb_dbox_info(&dl, &dl.pages[0].items[0].u.box, &in);
    CHECK(!strcmp(in.name, "line") && in.span.line == 7 && in.official == 0 && in.index == -1);
    vb_dbox_info(&dl, cb, &in);
    CHECK(!strcmp(in.name, "cell") && in.span.line == 9 && in.span.col == 12);
    /* owning: the strings are copied, the originals may go */
    CHECK_INT(vb_dlist_own(&dl), 0);
    memset(file, 'x', 4), free(file);
    memset(pname, 'x', 9), free(pname);
    memset(text, 'x', strlen(text)), free(text);
    char *out = NULL;
    size_t len = 0;
    CHECK_INT(vb_dlist_dump(&dl, &out, &len), VB_OK);
    CHECK(out && strstr(out, "run face=0 size=1000 x=10 y=20 text=\"Một hai\" glyphs=1@10 at=\"g.md\":7:1\n"));
    CHECK(out && strstr(out, "box kind=paragraph name=\"paragraph\" x=10 y=10 w=100 h=32 at=\"g.md\":7:1\n"));
    CHECK(out && strstr(out, "box kind=line name=\"line\" x=10 y=30 w=80 h=12 space=1000 overfull=0 at=\"g.md\":7:1\n"));
    CHECK(out && strstr(out, "box kind=table name=\"table\" x=10 y=100 w=200 h=60 at=none\n"));
    free(out);
    vb_arena_free(a);
}

int
main(void)
{
    test_move();
    test_groups();
    test_dump();
    test_growth();
    return check_done();
}
