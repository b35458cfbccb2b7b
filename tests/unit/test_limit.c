/*
 * test_limit.c - the limits of a render: names and defaults, the options of an
 * older caller, the message shape, and each limit enforced by its reader at
 * the place it is crossed (and not one character earlier).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input.h"
#include "limit.h"

static vb_arena_t *arena;
static vb_diag_t diag;

static const char head[] = "---\n"
                           "issuer: X\n"
                           "number: 01-BC/X\n"
                           "place: Hà Nội\n"
                           "date: 2024-03-01\n"
                           "---\n"; /* the body starts on line 7 */

/* Reads head + body as the pipeline does, within lim; then the paragraph check. */
static vb_status_t
read_doc(const char *body, const vb_limits_t *lim, vb_model_t *m)
{
    memset(&diag, 0, sizeof diag);
    size_t n = strlen(head) + strlen(body);
    char *src = malloc(n + 1);
    snprintf(src, n + 1, "%s%s", head, body);
    char *text = NULL;
    size_t tlen = 0;
    vb_status_t st = vb_text_prepare(arena, src, n, "l.md", &text, &tlen, &diag);
    if (st == VB_OK)
        st = vb_read_source_lim(arena, text, tlen, "l.md", lim, m, &diag);
    if (st == VB_OK)
        st = vb_limits_check_model(m, lim, &diag);
    free(src);
    return st;
}

static void
test_names(void)
{
    const char *name, *what;
    int64_t def;
    int n = 0;
    for (; vb_limits_info(n, &name, &def, &what); n++) {
        CHECK(def > 0);
        CHECK(what && *what);
        /* every listed name can be set, and setting it changes exactly what resolve gives */
        vb_limits_t l;
        memset(&l, 0, sizeof l);
        CHECK_INT(vb_limits_set(&l, name, 7, NULL), VB_OK);
        vb_render_options_t o;
        memset(&o, 0, sizeof o);
        o.size = sizeof o;
        o.limits = l;
        vb_limits_t r;
        vb_limits_resolve(&o, &r);
        int sevens = 0;
        for (size_t k = 0; k < sizeof r / sizeof(int64_t); k++)
            sevens += ((int64_t *)&r)[k] == 7;
        CHECK_INT(sevens, 1);
    }
    CHECK_INT(n, 10);
    CHECK_INT(n, (int)(sizeof(vb_limits_t) / sizeof(int64_t))); /* every field has a name */
    CHECK(!vb_limits_info(n, &name, &def, &what));
    CHECK(!vb_limits_info(-1, &name, &def, &what));

    vb_limits_t l;
    memset(&l, 0, sizeof l);
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_limits_set(&l, "trang", 5, &diag), VB_E_USAGE);
    CHECK_STR(diag.id, "limit.unknown");
    CHECK(strstr(diag.msg, "\"trang\"") && strstr(diag.msg, "table-cells"));
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_limits_set(&l, "pages", 0, &diag), VB_E_USAGE);
    CHECK_STR(diag.id, "limit.value");
    CHECK_INT(vb_limits_set(&l, "pages", 3, NULL), VB_OK);
    CHECK_INT(l.pages, 3);
    CHECK_INT(vb_limits_set(&l, "table-columns", 2, NULL), VB_OK);
    CHECK_INT(l.table_columns, 2);
}

static void
test_resolve(void)
{
    vb_limits_t r;
    vb_limits_resolve(NULL, &r);
    CHECK_INT(r.source_bytes, VB_LIMIT_SOURCE_BYTES);
    CHECK_INT(r.frontmatter_bytes, VB_LIMIT_FRONTMATTER_BYTES);
    CHECK_INT(r.pages, VB_LIMIT_PAGES);
    CHECK_INT(r.table_cells, VB_LIMIT_TABLE_CELLS);
    CHECK_INT(r.table_columns, VB_LIMIT_TABLE_COLUMNS);
    CHECK_INT(r.nesting, VB_LIMIT_NESTING);
    CHECK_INT(r.paragraph_chars, VB_LIMIT_PARAGRAPH_CHARS);
    CHECK_INT(r.image_pixels, VB_LIMIT_IMAGE_PIXELS);
    CHECK_INT(r.image_bytes, VB_LIMIT_IMAGE_BYTES);
    CHECK_INT(r.image_total_pixels, VB_LIMIT_IMAGE_TOTAL_PIXELS);

    /* a caller built before the limits existed passes a smaller size: its bytes past that are never read */
    vb_render_options_t o;
    const vb_render_options_t *op = &o; /* VB_OPT_HAS takes the pointer a caller passes */
    memset(&o, 0xff, sizeof o);         /* garbage where an old caller's struct would end */
    o.size = offsetof(vb_render_options_t, limits);
    CHECK(VB_OPT_HAS(op, duplex));
    CHECK(!VB_OPT_HAS(op, limits));
    CHECK(!VB_OPT_HAS(op, on_tempfile));
    vb_limits_resolve(&o, &r);
    CHECK_INT(r.pages, VB_LIMIT_PAGES);
    CHECK_INT(r.nesting, VB_LIMIT_NESTING);

    /* a new caller: 0 (or a negative value) is the default, anything else is kept */
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.limits.pages = 12;
    o.limits.nesting = -4;
    CHECK(VB_OPT_HAS(op, on_tempfile) && VB_OPT_HAS(op, tempfile_ctx));
    vb_limits_resolve(&o, &r);
    CHECK_INT(r.pages, 12);
    CHECK_INT(r.nesting, VB_LIMIT_NESTING);
    CHECK_INT(r.table_cells, VB_LIMIT_TABLE_CELLS);
}

static void
test_message(void)
{
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_limit_fail(&diag, "x.too-big", "a.md", 3, 4, "pages", "There are more than %d pages", 9),
              VB_E_LIMIT);
    CHECK_INT(diag.code, VB_E_LIMIT);
    CHECK_STR(diag.id, "x.too-big");
    CHECK_STR(diag.msg, "There are more than 9 pages; raise the limit with --limit pages=N.");
    char buf[1200];
    vb_diag_format(&diag, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:4: error: There are more than 9 pages; raise the limit with --limit pages=N. [x.too-big]");
}

static void
test_tables(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    vb_model_t m;
    /* 2 head cells + 2 per body row: 6 cells fit a limit of 6; the 3rd body row (line 11) brings 8 */
    const char *t = "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n";
    lim.table_cells = 6;
    CHECK_INT(read_doc(t, &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "table.too-many-cells");
    CHECK_INT(diag.line, 11);
    CHECK_INT(diag.col, 1);
    CHECK(strstr(diag.msg, "more than 6 cells") && strstr(diag.msg, "--limit table-cells=N"));
    lim.table_cells = 8;
    CHECK_INT(read_doc(t, &lim, &m), VB_OK);
    CHECK_INT(m.body.n, 1);

    /* columns: 2 fit a limit of 2; a third is refused at its cell */
    lim.table_columns = 2;
    CHECK_INT(read_doc(t, &lim, &m), VB_OK);
    CHECK_INT(read_doc("| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "table.too-wide");
    CHECK_INT(diag.line, 7);
    CHECK_INT(diag.col, 11);
}

static void
test_nesting(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.nesting = 3;
    vb_model_t m;
    CHECK_INT(read_doc("> > > Ba tầng.\n", &lim, &m), VB_OK);
    CHECK_INT(m.body.n, 1); /* flattened into one paragraph */
    CHECK_INT(read_doc("> > > > Bốn tầng.\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "markdown.too-deep");
    CHECK_INT(diag.line, 7);
    CHECK_INT(diag.col, 7); /* the fourth '>' */
    /* list items count as levels too: "- " inside three quotes */
    CHECK_INT(read_doc("> > > - mục\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "markdown.too-deep");

    CHECK_INT(read_doc("*a _b *c x c* b_ a*\n", &lim, &m), VB_OK);
    CHECK_INT(read_doc("*a _b *c _d x d_ c* b_ a*\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "markdown.too-deep");
    CHECK_INT(diag.line, 7);
    CHECK(strstr(diag.msg, "Emphasis") && strstr(diag.msg, "--limit nesting=N"));
}

static void
test_paragraphs(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.paragraph_chars = 10;
    vb_model_t m;
    /* characters, not bytes: "Hà Nội ở đó" is 11 characters in 15 bytes */
    CHECK_INT(read_doc("Hà Nội ở đ\n", &lim, &m), VB_OK);
    CHECK_INT(read_doc("Ngắn.\n\nHà Nội ở đó\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "paragraph.too-long");
    CHECK_INT(diag.line, 9);
    CHECK_INT(diag.col, 1);
    CHECK(strstr(diag.msg, "has 11 characters, more than 10"));
    CHECK_INT(read_doc("# Một tiêu đề dài\n", &lim, &m), VB_E_LIMIT);
    CHECK(strstr(diag.msg, "heading"));
    CHECK_INT(read_doc("| A | B |\n|---|---|\n| 1 | Một ô rất dài |\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "paragraph.too-long");
    CHECK_INT(diag.line, 9);
    CHECK_INT(diag.col, 7);
    CHECK(strstr(diag.msg, "table cell"));
}

static void
test_frontmatter(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    vb_model_t m;
    /* the fields of `head` end 59 bytes in; its third line ("place: Hà Nội") ends 42 bytes in */
    lim.frontmatter_bytes = 59;
    CHECK_INT(read_doc("Văn bản.\n", &lim, &m), VB_OK);
    lim.frontmatter_bytes = 58;
    CHECK_INT(read_doc("Văn bản.\n", &lim, &m), VB_E_LIMIT);
    CHECK_INT(diag.line, 5);
    lim.frontmatter_bytes = 40;
    CHECK_INT(read_doc("Văn bản.\n", &lim, &m), VB_E_LIMIT);
    CHECK_STR(diag.id, "frontmatter.too-large");
    CHECK_INT(diag.line, 4);
    CHECK(strstr(diag.msg, "--limit frontmatter-bytes=N"));
}

int
main(void)
{
    arena = vb_arena_new();
    test_names();
    test_resolve();
    test_message();
    test_tables();
    test_nesting();
    test_paragraphs();
    test_frontmatter();
    vb_arena_free(arena);
    return check_done();
}
