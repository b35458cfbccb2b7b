/*
 * test_tags.c - a template's tags found and replaced (src/merge/tags.c): each
 * placeholder has the tag's number of characters (so every other position
 * stays as typed), encodes the tag's index, marks a section tag alone on its
 * line; kinds, names, filters, nesting and their errors at line:col.
 */
#include <string.h>

#include "check.h"
#include "tags.h"

/* Characters of s[0..n). */
static int
chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static vb_status_t
scan(vb_arena_t *a, const char *s, char **out, size_t *n, vb_tags_t *t, vb_diag_t *d)
{
    memset(d, 0, sizeof *d);
    return vb_tags_scan(a, s, strlen(s), "t.md", out, n, t, d);
}

static void
test_placeholders(void)
{
    vb_arena_t *a = vb_arena_new();
    const char *src = "---\nnumber: \"{{so}}-BC\"\n---\n\nXin {{ ten }} và {{#ds}}{{.}}{{/ds}}.\n  {{#khoi}}  \n"
                      "Đoạn {{x | markdown}}{{! ghi chú }}\n{{/khoi}}\n";
    char *out;
    size_t n;
    vb_tags_t t;
    vb_diag_t d;
    CHECK_INT(scan(a, src, &out, &n, &t, &d), VB_OK);
    CHECK_INT(t.n, 9);
    /* every line keeps its number of characters */
    const char *p = src, *q = out;
    int lines = 0;
    while (*p) {
        const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
        CHECK(pe && qe);
        if (!pe || !qe)
            break;
        CHECK_INT(chars(q, (size_t)(qe - q)), chars(p, (size_t)(pe - p)));
        p = pe + 1, q = qe + 1, lines++;
    }
    CHECK_INT(lines, 8);
    CHECK(strstr(out, "{{") == NULL);
    /* kinds, names, positions (prepared text), the front matter, the filter */
    CHECK_INT(t.v[0].kind, VB_TAG_VAR);
    CHECK_STR(t.v[0].name, "so");
    CHECK(t.v[0].front);
    CHECK_INT(t.v[0].pos.line, 2);
    CHECK_INT(t.v[0].pos.col, 10);
    CHECK_STR(t.v[1].name, "ten");
    CHECK_INT(t.v[1].nchars, 9);
    CHECK_INT(t.v[1].pos.col, 5);
    CHECK(!t.v[1].front);
    CHECK_INT(t.v[2].kind, VB_TAG_OPEN);
    CHECK_INT(t.v[2].match, 4);
    CHECK_INT(t.v[4].match, 2);
    CHECK_STR(t.v[3].name, ".");
    CHECK_INT(t.v[4].kind, VB_TAG_CLOSE);
    /* a section tag alone on its line (spaces around it) */
    CHECK(t.v[5].standalone);
    CHECK(!t.v[2].standalone);
    CHECK(t.v[6].markdown);
    CHECK_STR(t.v[6].name, "x");
    CHECK_INT(t.v[7].kind, VB_TAG_COMMENT);
    CHECK(t.v[8].standalone);
    CHECK_INT(t.v[8].match, 5);
    /* the placeholder: the tag's index first, then fillers (of the line kind when standalone) */
    const char *ph = strstr(out, "Xin ") + 4;
    CHECK_INT(vb_tag_at(ph, 4), 1);
    CHECK(vb_tag_filler(ph + 4, 4));
    const char *line6 = strstr(out, "\n  ") + 3;
    CHECK_INT(vb_tag_at(line6, 4), 5);
    CHECK(memcmp(line6 + 4, "\xf4\x8f\xbf\xbc", 4) == 0);
    CHECK(memcmp(ph + 4, "\xf4\x8f\xbf\xbd", 4) == 0);
    /* no tags: the text itself */
    CHECK_INT(scan(a, "---\na: b\n---\nx } { }}\n", &out, &n, &t, &d), VB_OK);
    CHECK_INT(t.n, 0);
    CHECK_STR(out, "---\na: b\n---\nx } { }}\n");
    vb_pos_t at;
    CHECK(vb_tags_first("a\nb é {{x}}", 12, &at));
    CHECK_INT(at.line, 2);
    CHECK_INT(at.col, 5);
    CHECK(!vb_tags_first("a { } }}", 8, &at));
    vb_arena_free(a);
}

static void
expect(const char *src, const char *id, int line, int col)
{
    vb_arena_t *a = vb_arena_new();
    char *out;
    size_t n;
    vb_tags_t t;
    vb_diag_t d;
    CHECK(scan(a, src, &out, &n, &t, &d) != VB_OK);
    CHECK_STR(d.id, id);
    CHECK_STR(d.source, "t.md");
    CHECK_INT(d.line, line);
    CHECK_INT(d.col, col);
    vb_arena_free(a);
}

static void
test_errors(void)
{
    expect("x {{a\nb}}", "template.tag-unclosed", 1, 3);
    expect("ệ {{a", "template.tag-unclosed", 1, 3);
    expect("{{&a}}", "template.tag-kind", 1, 1);
    expect("{{=<% %>=}}", "template.tag-kind", 1, 1);
    expect("{{#}}", "template.tag-empty", 1, 1);
    expect("{{a..b}}", "template.tag-name", 1, 1);
    expect("{{#.}}{{/.}}", "template.tag-name", 1, 1);
    expect("{{a|}}", "template.filter", 1, 1);
    expect("{{#a | markdown}}", "template.filter", 1, 1);
    expect("a\n{{/a}}", "template.section-unopened", 2, 1);
    expect("{{#a}}\n{{^b}}\n{{/a}}", "template.section-mismatch", 3, 1);
    expect("{{#a}}\n{{^b}}\n{{/b}}", "template.section-unclosed", 1, 1);
    expect("---\nx: {{#a}}\n---\n{{/a}}", "template.section-unclosed", 2, 4);
    expect("---\n---\n| a |\n{{#r}}\n| b |\n{{/r}}\n", "template.table-tag", 4, 1);
    expect("x \xf4\x8f\xbf\xbd", "template.reserved-char", 1, 3);
}

int
main(void)
{
    test_placeholders();
    test_errors();
    return check_done();
}
