/*
 * test_checking.c - api/checking.c's fixer (vb_fixes_apply: several fixes,
 * overlaps, the safe ones only, columns as characters, ranges at a line's
 * end), its JSON (vb_diags_json, read back by jansson), and
 * commands/caret.c's range printing (a caret and tildes under the exact
 * range, multi-byte text, a range over several lines: to the end of the
 * first), which is the CLI's and is compiled in here.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vanban.h"

#include "../../src/commands/caret.c"

static vb_diag_t
fix(int line, int col, int end_line, int end_col, const char *text, int safe)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    d.code = VB_E_INPUT;
    snprintf(d.id, sizeof d.id, "t.fix");
    d.line = line;
    d.col = col;
    d.end_line = end_line;
    d.end_col = end_col;
    d.has_fix = 1;
    d.fix_safe = safe;
    snprintf(d.fix, sizeof d.fix, "%s", text);
    return d;
}

static void
apply(const char *src, const vb_diag_t *d, int n, unsigned flags, const char *want, int want_applied)
{
    char *out = NULL;
    size_t len = 0;
    int applied = -1;
    vb_diag_t diag;
    CHECK_INT(vb_fixes_apply(src, strlen(src), d, n, flags, &out, &len, &applied, &diag), VB_OK);
    CHECK_STR(out, want);
    CHECK_INT(len, strlen(want));
    CHECK_INT(applied, want_applied);
    vb_free(out);
}

static void
test_fixes(void)
{
    const char *src = "number: Số 5-BC/ĐUK\nsigner: KT GIÁM ĐỐC\n";
    /* one fix, columns counted in characters ("Số" is 2 characters, 3 bytes) */
    vb_diag_t a[4];
    a[0] = fix(1, 9, 1, 20, "05-BC/ĐUK", 1);
    apply(src, a, 1, 0, "number: 05-BC/ĐUK\nsigner: KT GIÁM ĐỐC\n", 1);
    /* several in one text, given in any order: each where its diagnostic said (applied from the end) */
    a[0] = fix(2, 9, 2, 11, "KT.", 1);
    a[1] = fix(1, 9, 1, 12, "", 1);
    a[2] = fix(1, 12, 1, 13, "05", 1);
    apply(src, a, 3, 0, "number: 05-BC/ĐUK\nsigner: KT. GIÁM ĐỐC\n", 3);
    /* overlapping: only the first in the source */
    a[0] = fix(1, 9, 1, 20, "05-BC/ĐUK", 1);
    a[1] = fix(1, 12, 1, 13, "XX", 1);
    a[2] = fix(1, 9, 1, 11, "YY", 1);
    apply(src, a, 3, 0, "number: 05-BC/ĐUK\nsigner: KT GIÁM ĐỐC\n", 1);
    /* a fix that is not safe is left, unless VB_FIX_ALL */
    a[0] = fix(2, 9, 2, 11, "KT.", 0);
    apply(src, a, 1, 0, src, 0);
    apply(src, a, 1, VB_FIX_ALL, "number: Số 5-BC/ĐUK\nsigner: KT. GIÁM ĐỐC\n", 1);
    /* an insertion (an empty range) and a range up to the end of a line */
    a[0] = fix(2, 11, 0, 0, ".", 1);
    a[1] = fix(1, 20, 1, 20, " (x)", 1);
    apply(src, a, 2, 0, "number: Số 5-BC/ĐUK (x)\nsigner: KT. GIÁM ĐỐC\n", 2);
    /* positions past the text, without a fix, or without a position: skipped, the text unchanged */
    a[0] = fix(9, 1, 9, 2, "x", 1);
    a[1] = fix(1, 40, 1, 41, "x", 1);
    a[2] = fix(0, 0, 0, 0, "x", 1);
    a[3] = fix(1, 1, 1, 2, "x", 1);
    a[3].has_fix = 0;
    apply(src, a, 4, 0, src, 0);
    /* usage */
    vb_diag_t d;
    CHECK_INT(vb_fixes_apply(src, strlen(src), a, 1, 0, NULL, NULL, NULL, &d), VB_E_USAGE);
}

static void
test_json(void)
{
    vb_diag_t d[2];
    d[0] = fix(1, 9, 1, 20, "05-BC/ĐUK", 1);
    snprintf(d[0].source, sizeof d[0].source, "a \"quoted\".md");
    snprintf(d[0].msg, sizeof d[0].msg, "Bad byte \xFF here, a line\nbreak");
    memset(&d[1], 0, sizeof d[1]);
    d[1].code = VB_E_INPUT;
    d[1].severity = VB_SEVERITY_WARNING;
    snprintf(d[1].id, sizeof d[1].id, "issue.title");
    snprintf(d[1].source, sizeof d[1].source, "b.md");
    d[1].line = 3;
    d[1].col = 2;
    const char *files[] = {"a \"quoted\".md", "b.md"};
    char *out = NULL;
    vb_diag_t diag;
    CHECK_INT(vb_diags_json(d, 2, files, 2, &out, &diag), VB_OK);
    json_error_t err;
    json_t *j = out ? json_loads(out, 0, &err) : NULL;
    CHECK(j != NULL);
    if (j) {
        CHECK_INT(json_integer_value(json_object_get(j, "errors")), 1);
        CHECK_INT(json_integer_value(json_object_get(j, "warnings")), 1);
        json_t *f = json_object_get(j, "findings");
        CHECK_INT(json_array_size(f), 2);
        json_t *a = json_array_get(f, 0), *b = json_array_get(f, 1);
        CHECK_STR(json_string_value(json_object_get(a, "file")), "a \"quoted\".md");
        CHECK_STR(json_string_value(json_object_get(a, "message")), "Bad byte \xEF\xBF\xBD here, a line\nbreak");
        CHECK_STR(json_string_value(json_object_get(a, "fix")), "05-BC/ĐUK");
        CHECK(json_is_true(json_object_get(a, "fix_safe")));
        CHECK_INT(json_integer_value(json_object_get(a, "end_col")), 20);
        CHECK_STR(json_string_value(json_object_get(b, "severity")), "warning");
        CHECK(json_is_null(json_object_get(b, "fix")));
        CHECK_INT(json_integer_value(json_object_get(b, "end_line")), 3); /* a point: its own line and column */
        CHECK_INT(json_integer_value(json_object_get(b, "end_col")), 2);
        json_decref(j);
    }
    vb_free(out);
}

static void
caret(const char *text, int line, int col, int end_line, int end_col, const char *want)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    d.line = line;
    d.col = col;
    d.end_line = end_line;
    d.end_col = end_col;
    char buf[512];
    format_diag_source(&d, text, strlen(text), buf, sizeof buf);
    CHECK_STR(buf, want);
}

static void
test_caret(void)
{
    const char *t = "number: Số 5-BC/ĐUK\n\tkind: QUYẾT ĐỊNH\nline three\n";
    caret(t, 1, 9, 1, 20, "    1 | number: Số 5-BC/ĐUK\n      |         ^~~~~~~~~~~");
    caret(t, 1, 12, 0, 0, "    1 | number: Số 5-BC/ĐUK\n      |            ^");
    caret(t, 1, 12, 1, 13, "    1 | number: Số 5-BC/ĐUK\n      |            ^");
    /* a tab stays a tab under the line, so the caret sits under the character on a terminal */
    caret(t, 2, 8, 2, 18, "    2 | \tkind: QUYẾT ĐỊNH\n      | \t      ^~~~~~~~~~");
    /* a range over several lines: from the column to the end of the first */
    caret(t, 2, 2, 3, 5, "    2 | \tkind: QUYẾT ĐỊNH\n      | \t^~~~~~~~~~~~~~~~");
    /* combining marks take no column: "Q" + U+0301 is one character wide */
    caret("Qu\xCC\x81y x\n", 1, 6, 1, 7, "    1 | Qu\xCC\x81y x\n      |     ^");
    /* no line: nothing */
    caret(t, 0, 0, 0, 0, "");
    caret(t, 9, 1, 0, 0, "");
}

int
main(void)
{
    test_fixes();
    test_json();
    test_caret();
    return check_done();
}
