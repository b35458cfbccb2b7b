/*
 * test_merge.c - batch templates (src/merge/tags.c, merge.c, api/template.c)
 * with rows built by hand: every construct (variables, dotted names, outer
 * scopes, {{.}}, sections over lists, texts, booleans, null and empty lists,
 * inverted sections, comments, block sections, table-row sections, front
 * matter values and sequence items, "| markdown"), values printed verbatim
 * whatever Markdown or YAML characters they hold, the errors with their
 * positions (template line:col, data file, row and column), the file names
 * of vb_data_file_name, and a merged document's PDF byte-identical to the
 * same document typed by hand.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "vanban.h"

static vb_engine_t *eng;
static vb_arena_t *ar;

/* ---- values built by hand, as the readers would give them ---- */

static vb_val_t
T(const char *s)
{
    vb_val_t v;
    memset(&v, 0, sizeof v);
    v.kind = VB_VAL_TEXT;
    v.text = s;
    v.len = strlen(s);
    return v;
}

static vb_val_t
B(bool b)
{
    vb_val_t v = T(b ? "true" : "false");
    v.kind = VB_VAL_BOOL;
    return v;
}

static vb_val_t
N(void)
{
    vb_val_t v;
    memset(&v, 0, sizeof v);
    return v;
}

/* An object of n members: key, value, key, value... */
static vb_val_t
O(int n, ...)
{
    vb_val_t v;
    memset(&v, 0, sizeof v);
    v.kind = VB_VAL_OBJECT;
    v.n = n;
    v.keys = VB_NEWN(ar, const char *, n + 1);
    v.items = VB_NEWN(ar, vb_val_t, n + 1);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        v.keys[i] = va_arg(ap, const char *);
        v.items[i] = va_arg(ap, vb_val_t);
        v.items[i].pos.path = v.keys[i];
        v.items[i].pos.row = 14;
    }
    va_end(ap);
    return v;
}

static vb_val_t
L(int n, ...)
{
    vb_val_t v;
    memset(&v, 0, sizeof v);
    v.kind = VB_VAL_LIST;
    v.n = n;
    v.items = VB_NEWN(ar, vb_val_t, n + 1);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        v.items[i] = va_arg(ap, vb_val_t);
    va_end(ap);
    return v;
}

/* A data set of one row (row 14 of units.csv, for the messages). */
static vb_data_t *
data_of(vb_val_t row)
{
    vb_data_set_t *s = VB_NEW(ar, vb_data_set_t);
    s->name = "units.csv";
    s->rows = VB_NEW(ar, vb_val_t);
    s->rows[0] = row;
    s->rows[0].pos.row = 14;
    s->nrows = 1;
    vb_data_t *d = VB_NEW(ar, vb_data_t);
    d->set = s;
    return d;
}

#define FM "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\n---\n\n"

/* The merged model's dump; NULL (and *d) on failure. */
static char *
merged(const char *src, vb_val_t row, vb_diag_t *d)
{
    vb_template_t *t = NULL;
    char *out = NULL;
    if (vb_template_new(eng, src, strlen(src), "t.md", NULL, &t, d) != VB_OK)
        return NULL;
    vb_template_dump(t, data_of(row), 0, NULL, &out, NULL, d);
    vb_template_free(t);
    return out;
}

static void
expect_has(const char *src, vb_val_t row, const char *const *want)
{
    vb_diag_t d;
    char *out = merged(src, row, &d);
    CHECK(out != NULL);
    if (!out) {
        fprintf(stderr, "  error %s at %d:%d: %s\n", d.id, d.line, d.col, d.msg);
        return;
    }
    for (int i = 0; want[i]; i++) {
        bool in = strstr(out, want[i]) != NULL;
        CHECK(in);
        if (!in)
            fprintf(stderr, "  missing [%s] in:\n%s\n", want[i], out);
    }
    free(out);
}

static void
expect_not(const char *src, vb_val_t row, const char *absent)
{
    vb_diag_t d;
    char *out = merged(src, row, &d);
    CHECK(out != NULL);
    if (out) {
        CHECK(strstr(out, absent) == NULL);
        if (strstr(out, absent))
            fprintf(stderr, "  [%s] present in:\n%s\n", absent, out);
    }
    free(out);
}

/* An error: its id, line, col (and source) and a part of its message. */
static void
expect_err(const char *src, vb_val_t row, const char *id, const char *source, int line, int col, const char *part)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    char *out = merged(src, row, &d);
    CHECK(out == NULL);
    free(out);
    CHECK_STR(d.id, id);
    CHECK_STR(d.source, source);
    CHECK_INT(d.line, line);
    CHECK_INT(d.col, col);
    if (part) {
        CHECK(strstr(d.msg, part) != NULL);
        if (!strstr(d.msg, part))
            fprintf(stderr, "  [%s] not in: %s\n", part, d.msg);
    }
}

static void
test_variables(void)
{
    const char *src = FM "Kính gửi: {{ten}}, {{ don_vi.ten }} ({{don_vi.ma}}).\n";
    vb_val_t row = O(2, "ten", T("Chi bộ 1"), "don_vi", O(2, "ten", T("Phòng A"), "ma", T("PA")));
    expect_has(src, row, (const char *const[]){"span r \"Kính gửi: Chi bộ 1, Phòng A (PA).\"", NULL});
    /* an empty value is a value; null prints nothing */
    expect_has(FM "A{{x}}B {{y}}C.\n", O(2, "x", T(""), "y", N()), (const char *const[]){"span r \"AB C.\"", NULL});
    /* the face of the text around the tag: **{{x}}** bold */
    expect_has(FM "Số **{{so}}** và *{{so}}*.\n", O(1, "so", T("12")),
               (const char *const[]){"span b \"12\"", "span i \"12\"", NULL});
    /* a comment gives nothing; a paragraph left empty is no paragraph */
    expect_has(FM "A{{! ghi chú }}B\n\n{{x}}\n\nC\n", O(1, "x", T("")),
               (const char *const[]){"span r \"AB\"", "body 2", NULL});
}

static void
test_verbatim(void)
{
    /* Markdown, YAML and template characters in values are printed as given */
    const char *v = "SỞ KHOA HỌC *VÀ* CÔNG NGHỆ: # | \"x\" 'y' - z {{a}} m^2^ H~2~O &amp; <b> \\* [l](u) `c`";
    const char *want = "span r \"SỞ KHOA HỌC *VÀ* CÔNG NGHỆ: # | \\\"x\\\" 'y' - z {{a}} m^2^ H~2~O &amp; <b> \\\\* "
                       "[l](u) `c`\"";
    expect_has(FM "{{v}}\n", O(1, "v", T(v)), (const char *const[]){want, NULL});
    /* a leading "-" or "1." or "#" is no list item or heading */
    expect_has(FM "{{v}}\n", O(1, "v", T("- 1. # x")), (const char *const[]){"para @8:1\n  span r \"- 1. # x\"", NULL});
    /* in a table cell: "|" does not cut the cell */
    expect_has(FM "| A | B |\n|---|---|\n| {{v}} | z |\n", O(1, "v", T("a | b")),
               (const char *const[]){"table 2x2", "span r \"a | b\"", NULL});
    /* in the front matter: ":" "#" quotes and "~" stay text, never YAML */
    const char *fm = "---\nissuer: {{don_vi}}\nnumber: \"{{so}}-BC/X\"\nplace: {{noi}}\ndate: {{ngay}}\n"
                     "title: {{t}}\n---\n\nA.\n";
    expect_has(fm,
               O(5, "don_vi", T("SỞ: KHOA # HỌC *VÀ*"), "so", T("12"), "noi", T("~"), "ngay", T("2024-03-01"), "t",
                 T("\"trích\" - 'dẫn' {x}")),
               (const char *const[]){"meta issuer \"SỞ: KHOA # HỌC *VÀ*\"", "meta number \"12-BC/X\"",
                                     "meta place \"~\"", "meta date 2024-03-01",
                                     "meta title \"\\\"trích\\\" - 'dẫn' {x}\"", NULL});
    /* a list entry of the front matter is read as Markdown: the value is escaped, printed as given */
    const char *rec = "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\nrecipients:\n"
                      "  - {{#noi_nhan}}{{.}}{{/noi_nhan}}\n  - \"Lưu: {{luu}}.\"\n---\n\nA.\n";
    expect_has(rec,
               O(2, "noi_nhan", L(3, T("Sở *VÀ* Ban"), T("Như trên,"), T("")), "luu", T("VT_a_")),
               (const char *const[]){"meta recipients 3", "recipient \"Sở *VÀ* Ban\"", "recipient \"Như trên,\"",
                                     "recipient \"Lưu: VT_a_.\"", NULL});
    /* NFC: a value typed decomposed is composed as typed text is */
    expect_has(FM "{{v}}\n", O(1, "v", T("Vie\xcc\xa3\xcc\x82t")), (const char *const[]){"span r \"Việt\"", NULL});
    /* a line end in a value (CSV's CRLF too) is a line break; tabs and runs of spaces one space */
    expect_has(FM "{{v}}\n", O(1, "v", T("a\r\nb \t  c")), (const char *const[]){"span r \"a\\nb c\"", NULL});
}

static void
test_markdown_filter(void)
{
    expect_has(FM "Nội dung: {{v | markdown}}.\n", O(1, "v", T("**đậm** *nghiêng* m^2^ H~2~O")),
               (const char *const[]){"span b \"đậm\"", "span i \"nghiêng\"", "span r^ \"2\"", "span r_ \"2\"", NULL});
    /* without the filter: the same value as typed */
    expect_has(FM "{{v}}\n", O(1, "v", T("**đậm**")), (const char *const[]){"span r \"**đậm**\"", NULL});
}

static void
test_sections(void)
{
    vb_val_t row = O(4, "ds", L(2, O(1, "ten", T("An")), O(1, "ten", T("Bình"))), "co", B(true), "khong", B(false),
                     "chu", T("có"));
    /* inline: over a list (outer names visible), a true, a text ({{.}}), inverted */
    expect_has(FM "{{#ds}}[{{ten}}/{{chu}}]{{/ds}} {{#co}}C{{/co}}{{#khong}}K{{/khong}}{{^khong}}k{{/khong}} "
                  "{{#chu}}<{{.}}>{{/chu}}\n",
               row, (const char *const[]){"span r \"[An/có][Bình/có] Ck <có>\"", NULL});
    /* null, empty text and empty list: not shown; the inverted section is */
    expect_has(FM "{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{^a}}x{{/a}}{{^c}}y{{/c}}.\n",
               O(3, "a", N(), "b", T(""), "c", L(0)), (const char *const[]){"span r \"xy.\"", NULL});
    /* block sections: the tag alone on its line, no blank line needed around it */
    const char *blk = FM "Đầu.\n{{#ds}}\n## {{ten}}\n\nĐoạn của {{ten}}.\n{{/ds}}\nCuối.\n";
    expect_has(blk, row,
               (const char *const[]){"body 6", "span r \"Đầu.\"", "heading 2", "span r \"An\"",
                                     "span r \"Đoạn của An.\"", "span r \"Bình\"", "span r \"Cuối.\"", NULL});
    /* the close line right after a paragraph line is no lazy continuation */
    expect_not(blk, row, "{{");
    /* spaces around the tag on its line */
    expect_has(FM "Đầu.\n  {{#ds}}  \n{{ten}}\n {{/ds}}\t\nCuối.\n", row,
               (const char *const[]){"body 4", "span r \"An\"", "span r \"Bình\"", NULL});
    /* a block section around a whole table: one table per item */
    expect_has(FM "{{#ds}}\n| A |\n|---|\n| {{ten}} |\n{{/ds}}\n", row,
               (const char *const[]){"body 2", "table 2x1", "span r \"An\"", "span r \"Bình\"", NULL});
    /* table rows: a row section */
    const char *tab = FM "| STT | Tên |\n|---|---|\n| {{#ds}}{{ten}} | x{{/ds}} |\n| Tổng | 2 |\n";
    expect_has(tab, row,
               (const char *const[]){"table 4x2 head 1", "cell 1,0", "span r \"An\"", "cell 2,0",
                                     "span r \"Bình\"", "cell 3,0", "span r \"Tổng\"", NULL});
    /* two rows repeated together */
    const char *tab2 = FM "| A | B |\n|---|---|\n| {{#ds}}{{ten}} | 1 |\n| - | 2{{/ds}} |\n";
    expect_has(tab2, row, (const char *const[]){"table 5x2 head 1", "cell 4,1", NULL});
    /* nested sections, inner list over outer scope */
    vb_val_t nest = O(1, "cb", L(2, O(2, "ten", T("CB1"), "dv", L(2, T("a"), T("b"))), O(2, "ten", T("CB2"), "dv", L(0))));
    expect_has(FM "{{#cb}}{{ten}}:{{#dv}}{{.}}{{/dv}}{{^dv}}-{{/dv}};{{/cb}}\n", nest,
               (const char *const[]){"span r \"CB1:ab;CB2:-;\"", NULL});
    /* a front-matter sequence item per element */
    const char *fm = "---\nissuer: X\nnumber: 01-BC/X\nplace: Hà Nội\ndate: 2024-03-01\nbases:\n"
                     "  - {{#cc}}Căn cứ {{.}};{{/cc}}\n---\n\nA.\n";
    expect_has(fm, O(1, "cc", L(2, T("Điều lệ Đảng"), T("Quy định 1"))),
               (const char *const[]){"meta bases 2", "\"Căn cứ Điều lệ Đảng;\"", "\"Căn cứ Quy định 1;\"", NULL});
}

static void
test_template_errors(void)
{
    vb_val_t row = O(1, "a", T("x"));
    /* positions: the template's line:col as typed */
    expect_err(FM "Xin {{a\n}}\n", row, "template.tag-unclosed", "t.md", 8, 5, "one line");
    expect_err(FM "A {{>p}}\n", row, "template.tag-kind", "t.md", 8, 3, NULL);
    expect_err(FM "A {{{a}}}\n", row, "template.tag-kind", "t.md", 8, 3, NULL);
    expect_err(FM "A {{ }}\n", row, "template.tag-empty", "t.md", 8, 3, NULL);
    expect_err(FM "A {{a b}}\n", row, "template.tag-name", "t.md", 8, 3, NULL);
    expect_err(FM "A {{a | upper}}\n", row, "template.filter", "t.md", 8, 3, "markdown");
    expect_err(FM "A {{#a}}x\n", row, "template.section-unclosed", "t.md", 8, 3, "{{/a}}");
    expect_err(FM "A {{/a}}x\n", row, "template.section-unopened", "t.md", 8, 3, NULL);
    expect_err(FM "A {{#a}}{{#b}}x{{/a}}{{/b}}\n", row, "template.section-mismatch", "t.md", 8, 16, "{{/b}}");
    /* columns count characters as typed (NFC composed "ệ" typed decomposed) */
    expect_err(FM "Vie\xcc\xa3\xcc\x82t {{/a}}\n", row, "template.section-unopened", "t.md", 8, 8, NULL);
    /* a section tag alone on its line between two table rows */
    expect_err(FM "| A |\n|---|\n{{#a}}\n| x |\n{{/a}}\n", row, "template.table-tag", "t.md", 10, 1, "first cell");
    /* a section that opens in one paragraph and closes in another */
    expect_err(FM "A {{#a}} b\n\nc {{/a}}\n", row, "template.section-span", "t.md", 8, 3, NULL);
    /* a section in the front matter is closed in its value */
    expect_err("---\nissuer: {{#a}}X\nnumber: 1{{/a}}\nplace: P\ndate: 2024-03-01\n---\n", row,
               "template.section-span", "t.md", 2, 9, NULL);
    expect_err("---\nissuer: {{#a}}X\n---\n{{/a}}\n", row, "template.section-unclosed", "t.md", 2, 9, NULL);
    /* found when the template is read, whatever the row: a tag where nothing is printed */
    expect_err(FM "Xem [trang]({{url}}).\n", row, "template.tag-lost", "t.md", 8, 13, "dropped");
    /* a block section closed inside a paragraph */
    expect_err(FM "{{#a}}\nb {{/a}}\n", row, "template.section-span", "t.md", 8, 1, NULL);
    vb_template_t *t0 = NULL;
    vb_diag_t d0;
    const char *sp = FM "A {{#a}} b\n\nc {{/a}}\n";
    CHECK_INT(vb_template_new(eng, sp, strlen(sp), "t.md", NULL, &t0, &d0), VB_E_INPUT);
    CHECK_STR(d0.id, "template.section-span");
    CHECK(t0 == NULL);
    /* a front-matter key no document knows: when the template is read */
    vb_template_t *t = NULL;
    vb_diag_t d;
    const char *uk = "---\nissuer: X\nnumbr: 1\n---\n\nA {{a}}.\n";
    CHECK_INT(vb_template_new(eng, uk, strlen(uk), "t.md", NULL, &t, &d), VB_E_INPUT);
    CHECK_STR(d.id, "frontmatter.unknown-key");
    CHECK_INT(d.line, 3);
    CHECK(t == NULL);
    /* a character of the placeholders' range typed in the template */
    expect_err(FM "A \xf4\x80\x80\x81\n", row, "template.reserved-char", "t.md", 8, 3, NULL);
}

static void
test_data_errors(void)
{
    /* a missing name: the data file, row, and the template's position */
    expect_err(FM "A {{ten}}.\n", O(1, "a", T("x")), "template.missing", "t.md", 8, 3, "units.csv, row 14");
    expect_err(FM "{{#ds}}x{{/ds}}\n", O(1, "a", T("x")), "template.missing-section", "t.md", 8, 1, "\"ds\"");
    /* the template's column as typed (a letter typed decomposed before the tag) */
    expect_err(FM "Vie\xcc\xa3\xcc\x82t {{ten}}.\n", O(1, "a", T("x")), "template.missing", "t.md", 8, 8, NULL);
    /* inside a section: the item it was looked for in */
    vb_val_t ds = L(2, O(1, "ten", T("a")), O(1, "ma", T("b")));
    ds.items[1].pos.path = "ds[2]";
    expect_err(FM "{{#ds}}{{ten}}{{/ds}}\n", O(1, "ds", ds), "template.missing", "t.md", 8, 8,
               "units.csv, row 14 (in ds[2]), has no value named \"ten\"");
    /* a dotted name whose first part is missing; a section over an object; a list printed as text */
    expect_err(FM "{{dv.ten}}\n", O(1, "dv", O(1, "ma", T("x"))), "template.missing", "t.md", 8, 1, NULL);
    expect_err(FM "{{#dv}}x{{/dv}}\n", O(1, "dv", O(1, "ma", T("x"))), "template.section-kind", "t.md", 8, 1,
               "object");
    expect_err(FM "{{ds}}\n", O(1, "ds", L(1, T("x"))), "template.not-text", "t.md", 8, 1, "list");
    /* a character typed text may not hold: an error at the value in the data */
    vb_val_t bad = T("a\xe2\x80\xae" "b");
    bad.pos.line = 15;
    bad.pos.col = 7;
    vb_val_t row = O(1, "ten", bad);
    row.items[0].pos.line = 15;
    row.items[0].pos.col = 7;
    expect_err(FM "X {{ten}}\n", row, "utf8.bidi", "units.csv", 15, 8, "row 14, column \"ten\"");
    expect_err(FM "X {{ten}}\n", O(1, "ten", T("a\x07")), "utf8.control", "units.csv", 0, 0, "{{ten}} at t.md:8:3");
    /* a bad number in the data: validation's error names the row and column */
    vb_template_t *t = NULL;
    vb_diag_t d;
    const char *src = "---\nissuer: X\nnumber: \"{{so}}\"\nplace: Hà Nội\ndate: 2024-03-01\n---\n\nA.\n";
    CHECK_INT(vb_template_new(eng, src, strlen(src), "t.md", NULL, &t, &d), VB_OK);
    vb_document_t *doc = NULL;
    vb_status_t st = vb_template_document(t, data_of(O(1, "so", T("abc"))), 0, NULL, &doc, &d);
    CHECK(st != VB_OK);
    CHECK(doc == NULL);
    CHECK_INT(d.line, 3);
    CHECK(strstr(d.msg, "(from the data: units.csv, row 14, column \"so\")") != NULL);
    if (!strstr(d.msg, "from the data"))
        fprintf(stderr, "  %s: %s\n", d.id, d.msg);
    vb_template_free(t);
}

/* The PDF of a template merged with row, and of the same document typed by hand: the same bytes. */
static void
test_byte_identity(void)
{
    const char *tpl = "---\nissuer: |-\n  ĐẢNG ỦY KHỐI\n  {{dv}}\nnumber: \"{{so}}-BC/ĐUK\"\nplace: Thanh Hoá\n"
                      "date: {{ngay}}\nkind: BÁO CÁO\ntitle: Kết quả của {{ten}}\nsigner:\n  authority: T/M ĐẢNG ỦY\n"
                      "  post: BÍ THƯ\n  name: {{bi_thu}}\nrecipients:\n  - {{#nn}}{{.}}{{/nn}}\n  - Lưu.\n---\n\n"
                      "Chi bộ {{ten}} báo cáo: {{ghi_chu}}\n{{#muc}}\n## {{tieu_de}}\n\n{{noi_dung}}\n{{/muc}}\n\n"
                      "| STT | Nội dung | Số lượng |\n|---|---|---|\n| {{#bang}}{{stt}} | {{nd}} | {{sl}}{{/bang}} |\n";
    const char *hand = "---\nissuer: |-\n  ĐẢNG ỦY KHỐI\n  DOANH NGHIỆP\nnumber: \"12-BC/ĐUK\"\nplace: Thanh Hoá\n"
                       "date: 2024-03-01\nkind: BÁO CÁO\ntitle: \"Kết quả của Chi bộ: Phòng *A*\"\nsigner:\n"
                       "  authority: T/M ĐẢNG ỦY\n  post: BÍ THƯ\n  name: Trần Văn Hải\nrecipients:\n"
                       "  - Sở KH \\*VÀ\\* CN,\n  - Ban \\#1,\n  - Lưu.\n---\n\n"
                       "Chi bộ Chi bộ: Phòng \\*A\\* báo cáo: 100% \\| đạt\n\n## Mục một\n\nNội dung \\*một\\*.\n\n"
                       "## Mục hai\n\nNội dung hai.\n\n"
                       "| STT | Nội dung | Số lượng |\n|---|---|---|\n| 1 | Đảng viên \\| mới | 12 |\n"
                       "| 2 | Kết nạp | 3 |\n";
    vb_val_t row = O(10, "dv", T("DOANH NGHIỆP"), "so", T("12"), "ngay", T("2024-03-01"), "ten",
                     T("Chi bộ: Phòng *A*"), "bi_thu", T("Trần Văn Hải"), "nn", L(2, T("Sở KH *VÀ* CN,"), T("Ban #1,")),
                     "ghi_chu", T("100% | đạt"), "muc",
                     L(2, O(2, "tieu_de", T("Mục một"), "noi_dung", T("Nội dung *một*.")),
                       O(2, "tieu_de", T("Mục hai"), "noi_dung", T("Nội dung hai."))),
                     "bang",
                     L(2, O(3, "stt", T("1"), "nd", T("Đảng viên | mới"), "sl", T("12")),
                       O(3, "stt", T("2"), "nd", T("Kết nạp"), "sl", T("3"))),
                     "x", T(""));
    vb_diag_t d;
    vb_template_t *t = NULL;
    CHECK_INT(vb_template_new(eng, tpl, strlen(tpl), "doc.md", NULL, &t, &d), VB_OK);
    vb_document_t *a = NULL, *b = NULL;
    vb_status_t st = t ? vb_template_document(t, data_of(row), 0, NULL, &a, &d) : VB_E_USAGE;
    CHECK_INT(st, VB_OK);
    if (st != VB_OK)
        fprintf(stderr, "  %s %d:%d %s\n", d.id, d.line, d.col, d.msg);
    CHECK_INT(vb_document_new(eng, hand, strlen(hand), "doc.md", NULL, &b, &d), VB_OK);
    void *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    if (a && b) {
        CHECK_INT(vb_document_pdf(a, &pa, &na, &d), VB_OK);
        CHECK_INT(vb_document_pdf(b, &pb, &nb, &d), VB_OK);
        CHECK(na > 1000);
        CHECK_INT(na, nb);
        CHECK(na == nb && memcmp(pa, pb, na) == 0);
        CHECK_INT(vb_document_page_count(a), vb_document_page_count(b));
    }
    vb_free(pa);
    vb_free(pb);
    vb_document_free(a);
    vb_document_free(b);
    vb_template_free(t);
}

/* Many threads make documents of one template and one data set at once: each the same bytes. */
typedef struct job {
    const vb_template_t *t;
    const vb_data_t *data;
    void *pdf;
    size_t n;
    int ok;
} job_t;

static void *
run_job(void *arg)
{
    job_t *j = arg;
    for (int k = 0; k < 5; k++) {
        vb_document_t *doc = NULL;
        vb_diag_t d;
        void *p = NULL;
        size_t n = 0;
        if (vb_template_document(j->t, j->data, k % 2, NULL, &doc, &d) == VB_OK &&
            vb_document_pdf(doc, &p, &n, &d) == VB_OK) {
            if (k < 2) {
                /* rows 0 and 1: only row 0 kept to compare */
                if (k == 0) {
                    j->pdf = p;
                    j->n = n;
                    p = NULL;
                }
            } else if (k % 2 == 0 && n == j->n && memcmp(p, j->pdf, n) == 0) {
                j->ok++;
            }
        }
        vb_free(p);
        vb_document_free(doc);
    }
    return NULL;
}

static void
test_threads(void)
{
    const char *src = FM "Chi bộ {{ten}}:\n{{#ds}}\n- {{.}}\n{{/ds}}\n";
    vb_template_t *t = NULL;
    vb_diag_t d;
    CHECK_INT(vb_template_new(eng, src, strlen(src), "t.md", NULL, &t, &d), VB_OK);
    vb_data_set_t *s = VB_NEW(ar, vb_data_set_t);
    s->name = "units.json";
    s->nrows = 2;
    s->rows = VB_NEWN(ar, vb_val_t, 2);
    s->rows[0] = O(2, "ten", T("Một"), "ds", L(3, T("a"), T("b"), T("c")));
    s->rows[1] = O(2, "ten", T("Hai"), "ds", L(0));
    vb_data_t data = {s};
    job_t jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job_t){t, &data, NULL, 0, 0};
        CHECK_INT(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(jobs[i].ok, 2); /* rows 2 and 4 of the 5 (row 0 again) equal the first */
        CHECK(jobs[i].n > 1000 && jobs[i].n == jobs[0].n && memcmp(jobs[i].pdf, jobs[0].pdf, jobs[0].n) == 0);
    }
    for (int i = 0; i < 4; i++)
        vb_free(jobs[i].pdf);
    vb_template_free(t);
}

/* s with the first `from` replaced by `to` (malloc'd); NULL when from is not in s. */
static char *
replace(char *s, const char *from, const char *to)
{
    char *at = s ? strstr(s, from) : NULL;
    CHECK(at != NULL);
    if (!at) {
        free(s);
        return NULL;
    }
    size_t n = strlen(s), f = strlen(from), t = strlen(to);
    char *r = malloc(n - f + t + 1);
    memcpy(r, s, (size_t)(at - s));
    memcpy(r + (at - s), to, t);
    memcpy(r + (at - s) + t, at + f, n - (size_t)(at - s) - f + 1);
    free(s);
    return r;
}

/* The seed report made a template (front matter, body, an appendix table's rows) and merged with its own values: its PDF. */
static void
test_seed(void)
{
    FILE *f = fopen("samples/196-BC-DUK.md", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char *src = calloc(1, 1 << 20);
    size_t n = fread(src, 1, (1 << 20) - 1, f);
    fclose(f);
    char *tpl = strdup(src);
    tpl = replace(tpl, "number: 196-BC/ĐUK", "number: {{so}}-BC/ĐUK");
    tpl = replace(tpl, "name: Trần Văn Hải", "name: {{ bi_thu }}");
    tpl = replace(tpl, "có 121 tổ chức", "có {{so_tcd}} tổ chức");
    tpl = replace(tpl, "1.117 chi bộ trực thuộc", "{{don_vi.so_chi_bo}} chi bộ trực thuộc");
    tpl = replace(tpl, "| **173**          |", "| **{{tong}}**          |");
    tpl = replace(tpl,
                  "| 1      | - Hoàn thành tốt nhiệm vụ      | 120              | 101      | 103      |         |\n"
                  "| 2      | - Hoàn thành xuất sắc nhiệm vụ | 32               | 27       | 26       |         |\n"
                  "| 3      | - Hoàn thành nhiệm vụ          | 17               | 03       | 02       |         |\n"
                  "| 4      | - Không hoàn thành nhiệm vụ    | 04               | 01       | 0        |         |\n",
                  "| {{#xl}}{{stt}} | - {{nd}} | {{a}} | {{b}} | {{c}} | {{/xl}} |\n");
    CHECK(tpl != NULL);
    if (!tpl) {
        free(src);
        return;
    }
    vb_val_t row = O(7, "so", T("196"), "bi_thu", T("Trần Văn Hải"), "so_tcd", T("121"), "don_vi",
                     O(1, "so_chi_bo", T("1.117")), "tong", T("173"), "xl",
                     L(4, O(5, "stt", T("1"), "nd", T("Hoàn thành tốt nhiệm vụ"), "a", T("120"), "b", T("101"), "c", T("103")),
                       O(5, "stt", T("2"), "nd", T("Hoàn thành xuất sắc nhiệm vụ"), "a", T("32"), "b", T("27"), "c", T("26")),
                       O(5, "stt", T("3"), "nd", T("Hoàn thành nhiệm vụ"), "a", T("17"), "b", T("03"), "c", T("02")),
                       O(5, "stt", T("4"), "nd", T("Không hoàn thành nhiệm vụ"), "a", T("04"), "b", T("01"), "c", T("0"))),
                     "x", T(""));
    vb_diag_t d;
    vb_template_t *t = NULL;
    CHECK_INT(vb_template_new(eng, tpl, strlen(tpl), "seed.md", NULL, &t, &d), VB_OK);
    vb_document_t *a = NULL, *b = NULL;
    if (t)
        CHECK_INT(vb_template_document(t, data_of(row), 0, NULL, &a, &d), VB_OK);
    CHECK_INT(vb_document_new(eng, src, n, "seed.md", NULL, &b, &d), VB_OK);
    void *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    if (a && b) {
        CHECK_INT(vb_document_pdf(a, &pa, &na, &d), VB_OK);
        CHECK_INT(vb_document_pdf(b, &pb, &nb, &d), VB_OK);
        CHECK(vb_document_page_count(a) >= 3);
        CHECK_INT(vb_document_page_count(a), vb_document_page_count(b));
        CHECK_INT(na, nb);
        CHECK(na > 10000 && na == nb && memcmp(pa, pb, na) == 0);
    }
    vb_free(pa);
    vb_free(pb);
    vb_document_free(a);
    vb_document_free(b);
    vb_template_free(t);
    free(tpl);
    free(src);
}

static void
test_render_refused(void)
{
    const char *src = FM "Xin chào {{ten}}.\n";
    vb_diag_t d;
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new(eng, src, strlen(src), "t.md", NULL, &doc, &d), VB_E_INPUT);
    CHECK_STR(d.id, "template.tags");
    CHECK_INT(d.line, 8);
    CHECK_INT(d.col, 10);
    CHECK(strstr(d.msg, "vanban batch --data") != NULL);
}

static void
expect_name(vb_val_t row, const char *pattern, const char *want)
{
    char *out = NULL;
    vb_diag_t d;
    vb_status_t st = vb_data_file_name(data_of(row), 0, pattern, &out, &d);
    CHECK_INT(st, VB_OK);
    CHECK_STR(out, want);
    vb_free(out);
}

static void
test_file_names(void)
{
    vb_val_t row = O(3, "ma", T("CB/01\\x"), "so", T("12:3*?\"<>|"), "dot", T(".."));
    expect_name(row, "{{ma}}-{{so}}.pdf", "CB_01_x-12_3______.pdf");
    expect_name(row, "{{row}}.pdf", "1.pdf");
    expect_name(row, "{{dot}}", "__");
    expect_name(row, "{{ dot }}/../x.pdf", "___.._x.pdf");
    expect_name(O(1, "a", T("a\nb\x7f" "c")), "{{a}}.pdf", "a_b_c.pdf");
    expect_name(O(1, "a", T("Vie\xcc\xa3\xcc\x82t Nam")), " {{a}} .pdf", "Việt Nam .pdf");
    /* too long: cut at a character, the extension kept */
    char longv[700];
    for (int i = 0; i < 300; i++)
        memcpy(longv + 2 * i, "\xc4\x91", 2); /* đ */
    longv[600] = 0;
    char *out = NULL;
    vb_diag_t d;
    CHECK_INT(vb_data_file_name(data_of(O(1, "a", T(longv))), 0, "{{a}}.pdf", &out, &d), VB_OK);
    CHECK(out && strlen(out) == 200);
    CHECK(out && strcmp(out + strlen(out) - 4, ".pdf") == 0);
    vb_free(out);
    /* errors: a missing name, an empty name */
    CHECK_INT(vb_data_file_name(data_of(row), 0, "{{nope}}.pdf", &out, &d), VB_E_INPUT);
    CHECK_STR(d.id, "template.missing");
    CHECK(strstr(d.msg, "row 14") != NULL);
    CHECK_INT(vb_data_file_name(data_of(O(1, "a", T(""))), 0, "{{a}}", &out, &d), VB_E_INPUT);
    CHECK_STR(d.id, "name.empty");
    CHECK(out == NULL);
}

static void
test_no_tags(void)
{
    /* a template without tags merges into the document as typed */
    expect_has(FM "Văn bản.\n", O(0), (const char *const[]){"span r \"Văn bản.\"", NULL});
}

int
main(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_diag_t d;
    if (vb_engine_new(&eo, &eng, &d) != VB_OK) {
        fprintf(stderr, "no engine: %s\n", d.msg);
        return 1;
    }
    ar = vb_arena_new();
    test_variables();
    test_verbatim();
    test_markdown_filter();
    test_sections();
    test_template_errors();
    test_data_errors();
    test_byte_identity();
    test_threads();
    test_seed();
    test_render_refused();
    test_file_names();
    test_no_tags();
    vb_arena_free(ar);
    vb_engine_free(eng);
    return check_done();
}
