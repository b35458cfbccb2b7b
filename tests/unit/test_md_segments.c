/*
 * test_md_segments.c - the body read in segments (input_md.c, SEG_SPLIT_BYTES):
 * a cut never falls inside what cmark still has open (an HTML comment or
 * block, fenced code), the blocks and their positions and alignments are the
 * same in pieces, and the limits checked while reading (40 blocks a page of
 * the pages limit, 8 bytes a character of paragraph-chars for text that runs
 * on) fire where they should.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input.h"
#include "limit.h"

static vb_arena_t *arena;
static vb_model_t model;
static vb_diag_t diag;

typedef struct sb {
    char *p;
    size_t n, cap;
} sb_t;

static void
add(sb_t *b, const char *s)
{
    size_t n = strlen(s);
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, s, n + 1);
    b->n += n;
}

/* n copies of line (with its '\n'). */
static void
addn(sb_t *b, const char *line, int n)
{
    for (int i = 0; i < n; i++)
        add(b, line);
}

static vb_status_t
md(const sb_t *b, const vb_limits_t *lim)
{
    memset(&model, 0, sizeof model);
    memset(&diag, 0, sizeof diag);
    model.source = "b.md";
    return vb_read_markdown_lim(arena, b->p, b->n, "b.md", 1, lim, &model, &diag);
}

static const vb_block_t *
last(void)
{
    static vb_block_t none;
    return model.body.n ? &model.body.v[model.body.n - 1] : &none;
}

static char *
text_of(const vb_block_t *blk)
{
    static char buf[256];
    size_t k = 0;
    for (int i = 0; i < blk->text.n && k + 1 < sizeof buf; i++) {
        size_t n = blk->text.spans[i].len;
        if (n > sizeof buf - 1 - k)
            n = sizeof buf - 1 - k;
        memcpy(buf + k, blk->text.spans[i].text, n);
        k += n;
    }
    buf[k] = 0;
    return buf;
}

/* 3000 one-line paragraphs (about 100 KiB): the body is cut at least once before what follows. */
static void
filler(sb_t *b)
{
    addn(b, "Đoạn văn bản ngắn dùng để lấp đầy phân đoạn.\n\n", 2000);
}

static void
test_cut_and_same_blocks(void)
{
    sb_t b = {0};
    filler(&b);
    add(&b, "-> Dòng căn giữa <-\n\n# Tiêu đề\n- Việc một\n- Việc hai\nTiếp theo.\n");
    CHECK_INT(md(&b, NULL), VB_OK);
    CHECK_INT(model.body.n, 2000 + 4);
    const vb_block_t *c = &model.body.v[2000];
    CHECK_STR(text_of(c), "Dòng căn giữa");
    CHECK_INT(c->align, VB_ALIGN_CENTER);
    CHECK_INT(c->pos.line, 4001);
    CHECK_INT(model.body.v[2001].kind, VB_BLOCK_HEADING);
    CHECK_INT(model.body.v[2001].pos.line, 4003);
    CHECK_STR(text_of(&model.body.v[2002]), "- Việc một");
    CHECK_STR(text_of(last()), "- Việc hai Tiếp theo.");
    CHECK_INT(last()->pos.line, 4005);
    CHECK_INT(model.body.v[1999].align, VB_ALIGN_DEFAULT);
    free(b.p);
}

/* Past 64 KiB, a blank line inside an HTML comment is no place to cut: the comment stays one block. */
static void
test_no_cut_in_html_comment(void)
{
    sb_t b = {0};
    filler(&b);
    add(&b, "<!--\n");
    addn(&b, "dòng chú thích\n", 5000); /* 80 KB: the segment is past 64 KiB at the blank line below */
    add(&b, "\nđuôi\n\n-->\n\nSau.\n");
    CHECK_INT(md(&b, NULL), VB_OK);
    CHECK_INT(model.body.n, 2000 + 2);
    CHECK_STR(text_of(last()), "Sau.");
    const char *t = text_of(&model.body.v[2000]);
    CHECK(strncmp(t, "<!-- dòng chú thích", 20) == 0);
    free(b.p);
}

/* Nor a heading line inside an HTML block that a blank line would end (<div>). */
static void
test_no_cut_in_html_block(void)
{
    sb_t b = {0};
    filler(&b);
    add(&b, "<div>\n");
    addn(&b, "nội dung khối\n", 5000);
    add(&b, "# không phải tiêu đề\n</div>\n\nSau.\n");
    CHECK_INT(md(&b, NULL), VB_OK);
    CHECK_INT(model.body.n, 2000 + 2);
    CHECK_INT(model.body.v[2000].kind, VB_BLOCK_PARA);
    CHECK_STR(text_of(last()), "Sau.");
    free(b.p);
}

/* Nor a blank line in fenced code: the code stays one paragraph with its line breaks. */
static void
test_no_cut_in_fence(void)
{
    sb_t b = {0};
    filler(&b);
    add(&b, "```\n");
    addn(&b, "mã\n", 30000);
    add(&b, "\n\ncuối\n```\n\nSau.\n");
    CHECK_INT(md(&b, NULL), VB_OK);
    CHECK_INT(model.body.n, 2000 + 2);
    CHECK_STR(text_of(last()), "Sau.");
    free(b.p);
}

/* More than 40 blocks a page of the pages limit: an error at the block that passes it, as it is read. */
static void
test_block_limit(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.pages = 2;
    sb_t b = {0};
    addn(&b, "a\n\n", 80);
    CHECK_INT(md(&b, &lim), VB_OK);
    CHECK_INT(model.body.n, 80);
    add(&b, "# b\n");
    CHECK_INT(md(&b, &lim), VB_E_LIMIT);
    CHECK_STR(diag.id, "layout.too-many-pages");
    CHECK_INT(diag.line, 161);
    CHECK(strstr(diag.msg, "more than 80 paragraphs") != NULL);
    free(b.p);
}

/* Text run on for more than 8 bytes a character of paragraph-chars: refused from its first line. */
static void
test_run_limit(void)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.paragraph_chars = 1000;
    sb_t b = {0};
    add(&b, "Mở đầu.\n\n");
    addn(&b, "> a\n", 1999); /* 7996 bytes: within 8000 */
    CHECK_INT(md(&b, &lim), VB_OK);
    add(&b, "> a\n");
    add(&b, "> a\n");
    CHECK_INT(md(&b, &lim), VB_E_LIMIT);
    CHECK_STR(diag.id, "paragraph.too-long");
    CHECK_INT(diag.line, 3);
    CHECK_INT(diag.col, 1);
    /* the same bytes in paragraphs between blank lines are fine */
    sb_t c = {0};
    addn(&c, "> a\n\n", 3000);
    CHECK_INT(md(&c, &lim), VB_OK);
    CHECK_INT(model.body.n, 3000);
    free(b.p);
    free(c.p);
}

int
main(void)
{
    arena = vb_arena_new();
    test_cut_and_same_blocks();
    test_no_cut_in_html_comment();
    test_no_cut_in_html_block();
    test_no_cut_in_fence();
    test_block_limit();
    test_run_limit();
    vb_arena_free(arena);
    return check_done();
}
