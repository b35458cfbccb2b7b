/*
 * Unit tests of the layout modules (band.c, table.c, layout.c, paginate.c)
 * and of the public API (engine.c): small sources laid out with the Party
 * profile, then the display list is inspected directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "font.h"
#include "input.h"
#include "layout.h"
#include "profile.h"

static vb_fontset_t *fonts;
/* >= 0: every heading's keep_with_next is set to this before the layout (test_keep_with_next) */
static int keep_override = -1;

static const char header[] = "---\n"
                             "parent: ĐẢNG BỘ TỈNH THANH HOÁ\n"
                             "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\n"
                             "number: 12-BC/ĐUK\n"
                             "place: Thanh Hoá\n"
                             "date: 2023-02-05\n"
                             "kind: BÁO CÁO\n"
                             "title: kết quả công tác\n"
                             "signer: {authority: T/M ĐẢNG ỦY, post: BÍ THƯ, name: Trần Văn Hải}\n"
                             "recipients: [Ban Thường vụ Tỉnh ủy, Lưu VP]\n"
                             "---\n";

typedef struct doc {
    vb_arena_t *arena;
    vb_dlist_t dl;
    vb_status_t rc;
    vb_diag_t diag;
} doc_t;

static doc_t
lay(const char *body)
{
    doc_t r;
    memset(&r, 0, sizeof r);
    r.arena = vb_arena_new();
    size_t n = strlen(header) + strlen(body);
    char *src = malloc(n + 1);
    strcpy(src, header);
    strcat(src, body);
    vb_model_t m;
    vb_profile_t *p = NULL;
    char *text = NULL;
    size_t tlen = 0;
    r.rc = vb_text_prepare(r.arena, src, n, "t.md", &text, &tlen, &r.diag);
    if (r.rc == VB_OK)
        r.rc = vb_read_source(r.arena, text, tlen, "t.md", &m, &r.diag);
    if (r.rc == VB_OK)
        r.rc = vb_profile_load(r.arena, "layouts/party-36-2018.yaml", &p, &r.diag);
    if (r.rc == VB_OK && keep_override >= 0)
        for (int i = 0; i < 6; i++)
            p->headings[i].keep_with_next = keep_override;
    if (r.rc == VB_OK) {
        m.source = "t.md";
        r.dl.arena = r.arena;
        vb_layout_opts_t o = {.creation_time = -1};
        r.rc = vb_layout(&m, p, fonts, &o, &r.dl, &r.diag);
    }
    if (r.rc != VB_OK)
        fprintf(stderr, "layout failed: %s %s\n", r.diag.id, r.diag.msg);
    free(src);
    return r;
}

/* The first run on page pg (-1: any page) whose text starts with s. */
static const vb_drun_t *
find_run(const doc_t *r, int pg, const char *s, int *page_out)
{
    for (int p = 0; p < r->dl.npages; p++) {
        if (pg >= 0 && p != pg)
            continue;
        const vb_dpage_t *page = &r->dl.pages[p];
        for (int i = 0; i < page->n; i++) {
            const vb_ditem_t *it = &page->items[i];
            if (it->kind != VB_DITEM_RUN || it->u.run.n == 0)
                continue;
            const vb_drun_t *run = &it->u.run;
            size_t off = run->glyphs[0].text_off, k = strlen(s);
            if (run->text_len - off >= k && memcmp(run->text + off, s, k) == 0) {
                if (page_out)
                    *page_out = p;
                return run;
            }
        }
    }
    return NULL;
}

static void
test_header(void)
{
    doc_t r = lay("Một đoạn văn.\n");
    CHECK_INT(r.rc, VB_OK);
    CHECK_INT(r.dl.npages, 1);
    /* "Số 12-BC/ĐUK" and the date share a baseline (sync) */
    const vb_drun_t *so = find_run(&r, 0, "Số", NULL), *date = find_run(&r, 0, "Thanh Hoá", NULL);
    CHECK(so && date);
    if (so && date)
        CHECK_INT(so->glyphs[0].y, date->glyphs[0].y);
    /* the date's leading zeros: day 5 -> 05, month 2 -> 02 */
    CHECK(find_run(&r, 0, "ngày 05 tháng 02 năm 2023", NULL) != NULL);
    /* the long issuer wraps inside its column (x 30..110 mm) */
    const vb_drun_t *iss = find_run(&r, 0, "ĐẢNG ỦY KHỐI", NULL);
    CHECK(iss != NULL);
    if (iss)
        CHECK(iss->glyphs[0].x >= VB_MM(30) && iss->glyphs[iss->n - 1].x <= VB_MM(110));
    /* a rule under the party title, as long as the title's advance */
    const vb_drun_t *t = find_run(&r, 0, "ĐẢNG CỘNG SẢN", NULL);
    const vb_dpage_t *pg = &r.dl.pages[0];
    int rules = 0;
    for (int i = 0; i < pg->n; i++) {
        const vb_ditem_t *it = &pg->items[i];
        if (it->kind == VB_DITEM_RULE && t && it->u.rule.y1 > t->glyphs[0].y && it->u.rule.y1 < t->glyphs[0].y + VB_MM(5)) {
            rules++;
            CHECK_INT(it->u.rule.x1, t->glyphs[0].x);
            CHECK(it->u.rule.x2 - it->u.rule.x1 > VB_MM(70) && it->u.rule.x2 - it->u.rule.x1 < VB_MM(75));
        }
    }
    CHECK_INT(rules, 1);
    /* the signature box is recorded for the signing stage */
    int boxes = 0;
    for (int i = 0; i < pg->n; i++)
        if (pg->items[i].kind == VB_DITEM_BOX && pg->items[i].u.box.kind == VB_DBOX_SIGNATURE) {
            vb_dboxinfo_t bi;
            vb_dbox_info(&r.dl, &pg->items[i].u.box, &bi);
            CHECK_STR(bi.name, "signature");
            CHECK_INT(bi.index, 0);
            boxes++;
        }
    CHECK_INT(boxes, 1);
    /* "Nơi nhận:" and "T/M ĐẢNG ỦY" on one baseline; recipients get their separators */
    const vb_drun_t *nn = find_run(&r, 0, "Nơi nhận:", NULL), *tm = find_run(&r, 0, "T/M", NULL);
    CHECK(nn && tm);
    if (nn && tm)
        CHECK_INT(nn->glyphs[0].y, tm->glyphs[0].y);
    CHECK(find_run(&r, 0, "- Ban Thường vụ Tỉnh ủy,", NULL) != NULL);
    CHECK(find_run(&r, 0, "- Lưu VP.", NULL) != NULL);
    /* page 1 shows no number */
    CHECK(r.dl.pages[0].label == NULL);
    CHECK_STR(r.dl.info.creator, "vanban " VB_VERSION_STRING);
    vb_arena_free(r.arena);
}

/* A paragraph of n sentences. */
static char *
para(int n)
{
    static const char s[] = "Các cấp ủy đã tập trung lãnh đạo, chỉ đạo việc kiện toàn, củng cố tổ chức đảng. ";
    char *p = malloc(sizeof s * (size_t)n + 8);
    p[0] = 0;
    for (int i = 0; i < n; i++)
        strcat(p, s);
    strcat(p, "\n\n");
    return p;
}

static void
test_pages(void)
{
    /* headings and paragraphs over several pages */
    size_t cap = 1 << 17;
    char *body = malloc(cap);
    body[0] = 0;
    for (int i = 1; i <= 24; i++) {
        char h[64];
        snprintf(h, sizeof h, "## %d. Mục số %d\n\n", i, i);
        strcat(body, h);
        char *p = para(1 + (i * 7) % 9);
        strcat(body, p);
        free(p);
    }
    doc_t r = lay(body);
    free(body);
    CHECK_INT(r.rc, VB_OK);
    CHECK(r.dl.npages >= 3);
    for (int p = 0; p < r.dl.npages; p++) {
        const vb_dpage_t *pg = &r.dl.pages[p];
        /* pages >= 2 carry their number, with its ink top 10 mm from the edge */
        if (p > 0) {
            char want[16];
            snprintf(want, sizeof want, "%d", p + 1);
            CHECK_STR(pg->label, want);
        }
        /* no heading is the last text line of a page; the body never runs past the bottom margin */
        vb_len_t last_y = -1;
        const vb_drun_t *last = NULL;
        for (int i = 0; i < pg->n; i++) {
            const vb_ditem_t *it = &pg->items[i];
            if (it->kind != VB_DITEM_RUN)
                continue;
            CHECK(it->u.run.glyphs[0].y <= VB_MM(277));
            if (it->u.run.glyphs[0].y >= last_y) {
                last_y = it->u.run.glyphs[0].y;
                last = &it->u.run;
            }
        }
        CHECK(last != NULL);
        if (last && p < r.dl.npages - 1)
            CHECK(last->face == 0); /* body text (regular), not a bold heading */
    }
    /* an outline entry per heading, plus the title */
    CHECK_INT(r.dl.noutline, 25);
    vb_arena_free(r.arena);
}

static void
test_table(void)
{
    /* 80 rows: the table continues on later pages with its head repeated */
    size_t cap = 1 << 16;
    char *body = malloc(cap);
    strcpy(body, "| STT | NỘI DUNG | KẾT QUẢ | < | Ghi chú |\n"
                 "| ^ | ^ | Năm 2021 | Năm 2022 | ^ |\n"
                 "|:-:|---|:-:|:-:|---|\n");
    for (int i = 1; i <= 80; i++) {
        char row[128];
        snprintf(row, sizeof row, "| %d | - Hoàn thành nhiệm vụ | %d | %d | |\n", i, i * 3, i * 5);
        strcat(body, row);
    }
    doc_t r = lay(body);
    free(body);
    CHECK_INT(r.rc, VB_OK);
    CHECK(r.dl.npages >= 3);
    for (int p = 1; p < r.dl.npages; p++) {
        int hp = -1;
        const vb_drun_t *head = find_run(&r, p, "KẾT QUẢ", &hp);
        if (p < r.dl.npages - 1 || find_run(&r, p, "- Hoàn", NULL))
            CHECK(head != NULL); /* the head is repeated on every continued page */
    }
    /* merged head: "KẾT QUẢ" is centred over two columns, between the borders of both */
    const vb_drun_t *kq = find_run(&r, 0, "KẾT QUẢ", NULL), *y1 = find_run(&r, 0, "Năm 2021", NULL),
                    *y2 = find_run(&r, 0, "Năm 2022", NULL);
    CHECK(kq && y1 && y2);
    if (kq && y1 && y2) {
        CHECK(kq->glyphs[0].x > y1->glyphs[0].x - VB_MM(20) && kq->glyphs[0].x < y2->glyphs[0].x);
        CHECK(kq->glyphs[0].y < y1->glyphs[0].y);
    }
    vb_arena_free(r.arena);
}

/* The lowest point of the ink of a page's runs (baseline + 0.3 em, above any descent) and rules. */
static vb_len_t
page_low(const vb_dpage_t *pg)
{
    vb_len_t low = 0;
    for (int i = 0; i < pg->n; i++) {
        const vb_ditem_t *it = &pg->items[i];
        vb_len_t y = 0;
        if (it->kind == VB_DITEM_RUN && it->u.run.n > 0)
            y = it->u.run.glyphs[0].y + it->u.run.size * 3 / 10;
        else if (it->kind == VB_DITEM_RULE)
            y = (it->u.rule.y1 > it->u.rule.y2 ? it->u.rule.y1 : it->u.rule.y2) - it->u.rule.width / 2;
        if (y > low)
            low = y;
    }
    return low;
}

static void
test_tall_row(void)
{
    /* a row taller than a page is cut between lines, the head repeated, nothing below 277 mm */
    size_t cap = 1 << 17;
    char *body = malloc(cap);
    strcpy(body, "| STT | NỘI DUNG | Ghi chú |\n|---|---|---|\n| 1 | ");
    char *p = para(200);
    p[strlen(p) - 2] = 0;
    strcat(body, p);
    free(p);
    strcat(body, "Hết ô. | x |\n| 2 | Sau | y |\n");
    doc_t r = lay(body);
    free(body);
    CHECK_INT(r.rc, VB_OK);
    CHECK(r.dl.npages >= 3);
    for (int pg = 0; pg < r.dl.npages; pg++) {
        CHECK(page_low(&r.dl.pages[pg]) <= VB_MM(277));
        if (pg > 0 && pg < r.dl.npages - 1)
            CHECK(find_run(&r, pg, "Ghi chú", NULL) != NULL);
    }
    CHECK(find_run(&r, -1, "Hết ô.", NULL) != NULL || find_run(&r, -1, "Hết", NULL) != NULL);
    vb_arena_free(r.arena);
}

static void
test_appendix(void)
{
    doc_t r = lay("Đoạn văn.\n\n# PHỤ LỤC 1\n# DANH SÁCH\n\n| A | B |\n|---|---|\n| 1 | 2 |\n");
    CHECK_INT(r.rc, VB_OK);
    CHECK_INT(r.dl.npages, 2);
    int p = -1;
    CHECK(find_run(&r, -1, "PHỤ LỤC 1", &p) != NULL);
    CHECK_INT(p, 1); /* a new page */
    CHECK(find_run(&r, 1, "ĐẢNG CỘNG SẢN", NULL) != NULL); /* the header is repeated */
    CHECK(find_run(&r, 1, "Số", NULL) == NULL);           /* without the number */
    CHECK_STR(r.dl.pages[1].label, "2");
    vb_arena_free(r.arena);
}

static void
test_api(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_engine_new(&eo, &e, &d), VB_OK);
    const char *src = "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\n---\nMột câu.\n";
    char *out = NULL;
    size_t len = 0;
    CHECK_INT(vb_dump_stage(e, src, strlen(src), "a.md", VB_STAGE_PAGES, NULL, &out, &len, &d), VB_OK);
    CHECK(out && strstr(out, "Một câu.") != NULL);
    free(out);
    /* an error leaves no file */
    char path[] = "/tmp/vb-layout-XXXXXX";
    CHECK(mkdtemp(path) != NULL);
    char pdf[300];
    snprintf(pdf, sizeof pdf, "%s/out.pdf", path);
    const char *bad = "---\nissuer: X\nplace: Hà Nội\ndate: 2024-03-01\n---\nMột câu.\n";
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_buffer(e, bad, strlen(bad), "b.md", pdf, NULL, &d), VB_E_INPUT);
    CHECK_STR(d.id, "frontmatter.missing");
    CHECK(access(pdf, F_OK) != 0);
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_buffer(e, src, strlen(src), "a.md", pdf, NULL, &d), VB_OK);
    CHECK(access(pdf, F_OK) == 0);
    unlink(pdf);
    rmdir(path);
    vb_engine_free(e);
}

/*
 * A heading's keep_with_next is a count of lines: the heading and that many
 * lines of the next block share a page. A heading is moved down the page by
 * filler paragraphs until it meets the page foot; a paragraph of ten forced
 * lines ("Dòng 1" ... "Dòng 10") follows it. With 6, at every position, lines
 * 1 to 6 are on the heading's page; with 1 (the old reading as a boolean:
 * one line) some position leaves lines 3 to 6 on the next page, which shows
 * the sweep reaches the page foot.
 */
static void
test_keep_with_next(void)
{
    int split_with_one = 0, kept_with_six = 0, positions = 0;
    for (int keep = 1; keep <= 6; keep += 5) {
        for (int fill = 14; fill <= 30; fill++) {
            char body[4096];
            size_t o = 0;
            for (int i = 0; i < fill; i++)
                o += (size_t)snprintf(body + o, sizeof body - o, "Đoạn %d.\n\n", i + 1);
            o += (size_t)snprintf(body + o, sizeof body - o, "## Mục giữ dòng\n\n");
            for (int i = 1; i <= 10; i++)
                o += (size_t)snprintf(body + o, sizeof body - o, "Dòng %d%s\n", i, i < 10 ? "\\" : "");
            keep_override = keep;
            doc_t r = lay(body);
            keep_override = -1;
            CHECK_INT(r.rc, VB_OK);
            int ph = -1, p6 = -1, p1 = -1;
            find_run(&r, -1, "Mục giữ dòng", &ph);
            find_run(&r, -1, "Dòng 1", &p1);
            find_run(&r, -1, "Dòng 6", &p6);
            CHECK(ph >= 0 && p1 >= 0 && p6 >= 0);
            if (keep == 6) {
                positions++;
                kept_with_six += ph == p6;
            } else {
                CHECK_INT(p1, ph); /* one line: kept as before */
                split_with_one += ph != p6;
            }
            vb_arena_free(r.arena);
        }
    }
    CHECK_INT(kept_with_six, positions);
    CHECK(split_with_one > 0);
    printf("keep_with_next: 6 kept at %d of %d positions; 1 split lines 1-6 at %d\n", kept_with_six, positions,
           split_with_one);
}

/*
 * The display list owns its memory: laid out from a model, a profile and a
 * source in one arena into a display list with its own, it dumps the same
 * after that arena and the source are freed (under AddressSanitizer, a
 * pointer left into them is a use after free). Its boxes: two signers told
 * apart, and a table's cells inside the table.
 */
static void
test_owns_memory(void)
{
    static const char src[] =
        "---\n"
        "parent: ĐẢNG BỘ TỈNH THANH HOÁ\n"
        "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\n"
        "number: 12-BC/ĐUK\n"
        "place: Thanh Hoá\n"
        "date: 2023-02-05\n"
        "kind: BÁO CÁO\n"
        "title: kết quả công tác\n"
        "signer:\n"
        "  - {authority: T/M ĐẢNG ỦY, post: BÍ THƯ, name: Trần Văn Hải}\n"
        "  - {authority: T/M CÔNG ĐOÀN, post: CHỦ TỊCH, name: Lê Văn Bình}\n"
        "recipients: [Ban Thường vụ Tỉnh ủy, Lưu VP]\n"
        "---\n"
        "# Phần một\n"
        "\n"
        "Một đoạn văn có chú thích[^a].\n"
        "\n"
        "| Cột một | Cột hai |\n"
        "|---|---|\n"
        "| ô một | ô hai |\n"
        "\n"
        "[^a]: Lời chú thích.\n";
    vb_arena_t *ma = vb_arena_new(), *da = vb_arena_new();
    char *copy = malloc(sizeof src);
    memcpy(copy, src, sizeof src);
    char *name = malloc(8);
    strcpy(name, "own.md");
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_model_t m;
    vb_profile_t *p = NULL;
    char *text = NULL;
    size_t tlen = 0;
    vb_dlist_t dl = {.arena = da};
    vb_status_t rc = vb_text_prepare(ma, copy, sizeof src - 1, name, &text, &tlen, &d);
    if (rc == VB_OK)
        rc = vb_read_source(ma, text, tlen, name, &m, &d);
    if (rc == VB_OK)
        rc = vb_profile_load(ma, "layouts/party-36-2018.yaml", &p, &d);
    if (rc == VB_OK) {
        m.source = name;
        vb_layout_opts_t o = {.creation_time = -1};
        rc = vb_layout(&m, p, fonts, &o, &dl, &d);
    }
    CHECK_INT(rc, VB_OK);
    if (rc != VB_OK) {
        fprintf(stderr, "layout failed: %s %s\n", d.id, d.msg);
        free(copy), free(name), vb_arena_free(ma), vb_arena_free(da);
        return;
    }
    char *before = NULL, *after = NULL;
    size_t nb = 0, na = 0;
    CHECK_INT(vb_dlist_dump(&dl, &before, &nb), VB_OK);
    /* the model, the profile, the prepared text and the source go */
    memset(copy, 'x', sizeof src - 1);
    memset(name, 'x', 6);
    free(copy);
    free(name);
    vb_arena_free(ma);
    CHECK_INT(vb_dlist_dump(&dl, &after, &na), VB_OK);
    CHECK(before && after && nb == na && !strcmp(before, after));
    CHECK(after && strstr(after, "at=\"own.md\":16:1") != NULL); /* the paragraph's span, file name copied */
    CHECK(after && strstr(after, "text=\"Một đoạn văn có chú thích\"") != NULL);
    /* two signature boxes, told apart */
    int sig[2] = {0, 0}, cells = 0, tables = 0, notes = 0;
    const char *roles[2] = {NULL, NULL};
    for (int pg = 0; pg < dl.npages; pg++)
        for (int i = 0; i < dl.pages[pg].n; i++) {
            const vb_ditem_t *it = &dl.pages[pg].items[i];
            if (it->kind != VB_DITEM_BOX)
                continue;
            vb_dboxinfo_t bi;
            vb_dbox_info(&dl, &it->u.box, &bi);
            if (it->u.box.kind == VB_DBOX_SIGNATURE && bi.index >= 0 && bi.index < 2) {
                sig[bi.index]++;
                roles[bi.index] = bi.role;
                CHECK_INT(bi.official, 7);
            }
            cells += it->u.box.kind == VB_DBOX_CELL;
            tables += it->u.box.kind == VB_DBOX_TABLE;
            notes += it->u.box.kind == VB_DBOX_FOOTNOTE;
        }
    CHECK(sig[0] == 1 && sig[1] == 1);
    CHECK(roles[0] && roles[1] && strcmp(roles[0], roles[1]) != 0);
    CHECK_INT(cells, 4);
    CHECK_INT(tables, 1);
    CHECK_INT(notes, 1);
    free(before);
    free(after);
    vb_arena_free(da);
}

int
main(void)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    const char *fam[] = {"Liberation Serif"};
    if (vb_fontset_open(fam, 1, NULL, &fonts, &d) != VB_OK) {
        fprintf(stderr, "no fonts: %s\n", d.msg);
        return 1;
    }
    test_header();
    test_pages();
    test_table();
    test_tall_row();
    test_appendix();
    test_api();
    test_keep_with_next();
    test_owns_memory();
    vb_fontset_free(fonts);
    return check_done();
}
