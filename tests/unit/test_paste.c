/* test_paste.c - the scan of a prepared source for what clerks paste (paste.c) and file types (filetype.c). */
#include "check.h"
#include "filetype.h"
#include "paste.h"

#include <string.h>

typedef struct got {
    vb_diag_t v[16];
    int n;
} got_t;

static void
collect(const vb_diag_t *d, void *ctx)
{
    got_t *g = ctx;
    if (g->n < 16)
        g->v[g->n++] = *d;
}

static got_t
scan(const char *text)
{
    got_t g;
    memset(&g, 0, sizeof g);
    vb_sink_t sink;
    vb_sink_init(&sink, NULL, collect, &g);
    vb_paste_scan(text, strlen(text), "t.md", &sink);
    return g;
}

/* A paragraph over two lines: one finding, its range from the first line to the second. */
static void
test_ranges(void)
{
    got_t g = scan("---\ntitle: x\n---\n\nĐoạn đúng.\n\nCéng hoµ x· héi\nchñ nghÜa ViÖt Nam\n");
    CHECK_INT(g.n, 1);
    CHECK_STR(g.v[0].id, "paste.tcvn3");
    CHECK_INT(g.v[0].line, 7);
    CHECK_INT(g.v[0].col, 1);
    CHECK_INT(g.v[0].end_line, 8);
    CHECK_INT(g.v[0].end_col, 15); /* after "ViÖt" */
    CHECK_STR(g.v[0].fix, "Cộng hoà xã hội\nchủ nghĩa Việt");
    CHECK_INT(g.v[0].severity, VB_SEVERITY_WARNING);
    /* each front-matter line alone: two fields, two findings */
    g = scan("---\nissuer: Bé Y tÕ\ntitle: B¸o c¸o kÕt qu¶\n---\n\nĐoạn.\n");
    CHECK_INT(g.n, 2);
    CHECK_INT(g.v[0].line, 2);
    CHECK_INT(g.v[0].col, 9);
    CHECK_STR(g.v[0].fix, "Bộ Y tế");
    CHECK_INT(g.v[1].line, 3);
    CHECK_INT(g.v[1].col, 8);
    CHECK_STR(g.v[1].fix, "Báo cáo kết quả");
    /* a line separator: an error, its fix a space */
    g = scan("---\nx: y\n---\n\nMột\xE2\x80\xA8hai\n");
    CHECK_INT(g.n, 1);
    CHECK_STR(g.v[0].id, "paste.line-separator");
    CHECK_INT(g.v[0].severity, VB_SEVERITY_ERROR);
    CHECK_INT(g.v[0].line, 5);
    CHECK_INT(g.v[0].col, 4);
    CHECK_STR(g.v[0].fix, " ");
    /* three zero-width spaces in a row: one finding over the three */
    g = scan("Một\xE2\x80\x8B\xE2\x80\x8B\xE2\x80\x8Bhai\n");
    CHECK_INT(g.n, 1);
    CHECK_INT(g.v[0].col, 4);
    CHECK_INT(g.v[0].end_col, 7);
    CHECK_STR(g.v[0].fix, "");
    /* nothing in correct text, nor in a no-break space */
    g = scan("---\ntitle: Báo cáo\n---\n\nCộng hòa xã hội chủ nghĩa Việt Nam, Điều\xC2\xA0" "5.\n");
    CHECK_INT(g.n, 0);
}

static void
test_filetypes(void)
{
    struct {
        const char *bytes;
        size_t n;
        const char *id;
    } c[] = {
        {"PK\3\4....word/document.xml", 25, "input.docx"},
        {"PK\3\4mimetypeapplication/vnd.oasis.opendocument.text", 51, "input.odt"},
        {"PK\3\4other", 9, "input.zip"},
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12, "input.doc"},
        {"{\\rtf1 x}", 9, "input.rtf"},
        {"%PDF-1.7\n", 9, "input.pdf"},
        {"\xFF\xFE-\0-\0-\0", 8, "input.utf16"},
        {"-\0-\0-\0\n\0t\0i\0t\0l\0e\0", 18, "input.utf16"},
        {"\0-\0-\0-\0\n\0t\0i\0t\0l\0e", 18, "input.utf16"},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        vb_diag_t d;
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_filetype_check(c[i].bytes, c[i].n, "f", &d), VB_E_INPUT);
        CHECK_STR(d.id, c[i].id);
        CHECK_INT(d.line, 1);
    }
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    const char *md = "---\ntitle: Báo cáo\n---\n";
    CHECK_INT(vb_filetype_check(md, strlen(md), "f", &d), VB_OK);
    CHECK_INT(vb_filetype_check("", 0, "f", &d), VB_OK);
    CHECK_INT(vb_filetype_check("P", 1, "f", &d), VB_OK);
}

int
main(void)
{
    test_ranges();
    test_filetypes();
    return check_done();
}
