/*
 * test_template.c - the one expander of "{field}" templates (template.c):
 * the parts a walk gives, substitution, unknown names kept, a "{" never
 * closed, output longer than the fixed buffers it replaced.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "template.h"

typedef struct rec {
    char s[256];
    int nparts, stop_at;
} rec_t;

static int
record(void *ctx, const char *s, size_t n, bool field)
{
    rec_t *r = ctx;
    size_t o = strlen(r->s);
    snprintf(r->s + o, sizeof r->s - o, field ? "<%.*s>" : "[%.*s]", (int)n, s);
    return ++r->nparts == r->stop_at ? 7 : 0;
}

static void
test_walk(void)
{
    rec_t r = {"", 0, 0};
    CHECK_INT(vb_tmpl_walk("Số: {number}/{issuer}", record, &r), 0);
    CHECK_STR(r.s, "[Số: ]<number>[/]<issuer>");
    r = (rec_t){"", 0, 0};
    CHECK_INT(vb_tmpl_walk("{a}{b}", record, &r), 0);
    CHECK_STR(r.s, "<a><b>"); /* no empty literal parts */
    r = (rec_t){"", 0, 0};
    CHECK_INT(vb_tmpl_walk("x {place", record, &r), 0);
    CHECK_STR(r.s, "[x {place]"); /* a "{" never closed is literal text */
    r = (rec_t){"", 0, 0};
    CHECK_INT(vb_tmpl_walk(NULL, record, &r), 0);
    CHECK_INT(r.nparts, 0);
    r = (rec_t){"", 0, 2};
    CHECK_INT(vb_tmpl_walk("a{b}c{d}", record, &r), 7); /* the callback's result stops the walk */
    CHECK_STR(r.s, "[a]<b>");
}

static void
test_expand(void)
{
    const vb_tmpl_var_t date[] = {{"day", "06"}, {"month", "7"}, {"year", "2023"}};
    vb_buf_t b = {0};
    CHECK_INT(vb_tmpl_expand(&b, "ngày {day} tháng {month} năm {year}", date, 3), 0);
    CHECK_STR(b.p, "ngày 06 tháng 7 năm 2023");
    vb_buf_clear(&b);
    const vb_tmpl_var_t page[] = {{"page", "12"}};
    CHECK_INT(vb_tmpl_expand(&b, "- {page} - {pages}", page, 1), 0);
    CHECK_STR(b.p, "- 12 - {pages}"); /* a name not given is kept as typed */
    vb_buf_clear(&b);
    /* longer than the 128 and 256 bytes the page and date formats were once cut at */
    char big[600];
    memset(big, 'x', 500);
    strcpy(big + 500, "{page}");
    CHECK_INT(vb_tmpl_expand(&b, big, page, 1), 0);
    CHECK_INT(b.n, 502);
    CHECK(!memcmp(b.p + 500, "12", 3));
    vb_buf_free(&b);
    b.oom = true; /* out of memory is reported */
    CHECK_INT(vb_tmpl_expand(&b, "{page}", page, 1), -1);
}

int
main(void)
{
    test_walk();
    test_expand();
    return check_done();
}
