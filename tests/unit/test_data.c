/*
 * test_data.c - the data files of a batch (src/merge/data.h): CSV (BOM,
 * separators, quotes, embedded line ends, CRLF, empty cells, wrong cell
 * counts, the header's objects and lists) and JSON (rows, nesting, numbers as
 * written, duplicates, syntax errors with their place), values kept verbatim,
 * and every error's id, line and column.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"

static vb_diag_t diag;

/* Reads text (named name, so its extension picks the format) into a data set; NULL on error (in diag). */
static vb_data_set_t *
rd(const char *name, const char *text)
{
    memset(&diag, 0, sizeof diag);
    vb_data_set_t *ds = NULL;
    vb_status_t rc = vb_data_set_read(text, strlen(text), name, VB_DATA_AUTO, &ds, &diag);
    if ((rc == VB_OK) != (ds != NULL))
        return NULL;
    return ds;
}

/* An error is expected: its id, line and column. */
#define CHECK_ERR(name_, text_, id_, line_, col_) \
    do {                                              \
        vb_data_set_t *e_ = rd(name_, text_);         \
        CHECK(e_ == NULL);                            \
        vb_data_set_free(e_);                         \
        CHECK_STR(diag.id, id_);                      \
        CHECK_INT(diag.line, line_);                  \
        CHECK_INT(diag.col, col_);                    \
    } while (0)

/* The value at a dotted path of row r ("bang.2.noi_dung": list items by number from 1). */
static const vb_val_t *
at(const vb_data_set_t *ds, int r, const char *path)
{
    if (!ds || r < 0 || r >= ds->nrows)
        return NULL;
    const vb_val_t *v = &ds->rows[r];
    while (v && *path) {
        const char *e = strchr(path, '.');
        size_t n = e ? (size_t)(e - path) : strlen(path);
        if (v->kind == VB_VAL_LIST) {
            int i = atoi(path);
            v = i >= 1 && i <= v->n ? &v->items[i - 1] : NULL;
        } else {
            v = vb_val_get(v, path, n);
        }
        path += n + (e ? 1 : 0);
    }
    return v;
}

static const char *
txt(const vb_data_set_t *ds, int r, const char *path)
{
    const vb_val_t *v = at(ds, r, path);
    return v && (v->kind == VB_VAL_TEXT || v->kind == VB_VAL_BOOL) ? v->text : NULL;
}

static void
test_csv_basic(void)
{
    /* a BOM, a comma file, CRLF line ends, a trailing empty line */
    vb_data_set_t *ds = rd("u.csv", "\xEF\xBB\xBFma,ten,so\r\nCB01,Chi bộ 1,12\r\nCB02,\"Chi bộ 2\",\r\n\r\n");
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_INT(ds->format, VB_DATA_CSV);
    CHECK_INT(ds->delimiter, ',');
    CHECK_INT(ds->ncolumns, 3);
    CHECK_STR(ds->columns[0], "ma"); /* the BOM is not part of the first name */
    CHECK_INT(ds->nrows, 2);
    CHECK_STR(txt(ds, 0, "ten"), "Chi bộ 1");
    CHECK_STR(txt(ds, 1, "ten"), "Chi bộ 2"); /* quotes removed by the CSV rules */
    CHECK_STR(txt(ds, 1, "so"), "");          /* an empty cell is an empty value */
    const vb_val_t *v = at(ds, 1, "ten");
    CHECK_INT(v->pos.row, 2);
    CHECK_INT(v->pos.line, 3);
    CHECK_INT(v->pos.col, 6); /* the opening quote */
    CHECK_STR(v->pos.path, "ten");
    v = at(ds, 0, "so");
    CHECK_INT(v->pos.col, 15); /* characters, not bytes: "Chi bộ 1" is 8 */
    CHECK_INT(ds->rows[0].kind, VB_VAL_OBJECT);
    CHECK_INT(ds->rows[0].pos.line, 2);
    CHECK(vb_val_get(&ds->rows[0], "nope", 4) == NULL);
    CHECK(vb_val_get(at(ds, 0, "so"), "x", 1) == NULL); /* not an object */
    vb_data_set_free(ds);
}

static void
test_csv_quotes(void)
{
    /* "" inside quotes, line ends inside a cell (CRLF and LF both read as LF), cells after it on the next line */
    vb_data_set_t *ds = rd("q.csv", "a,b,c\n\"say \"\"hi\"\"\",\"one\r\ntwo\nthree\",x\n\"\",\" sp \",\"a,b\"\n");
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_INT(ds->nrows, 2);
    CHECK_STR(txt(ds, 0, "a"), "say \"hi\"");
    CHECK_STR(txt(ds, 0, "b"), "one\ntwo\nthree");
    CHECK_INT(at(ds, 0, "b")->len, 13);
    CHECK_STR(txt(ds, 0, "c"), "x");
    CHECK_INT(at(ds, 0, "c")->pos.line, 4);
    CHECK_INT(at(ds, 0, "c")->pos.col, 8);
    CHECK_INT(at(ds, 1, "a")->pos.line, 5);
    CHECK_STR(txt(ds, 1, "a"), "");
    CHECK_STR(txt(ds, 1, "b"), " sp "); /* spaces kept as typed */
    CHECK_STR(txt(ds, 1, "c"), "a,b");
    vb_data_set_free(ds);

    /* spaces around unquoted cells are kept too; a lone CR ends a line */
    ds = rd("s.csv", "a,b\r  x , y\r");
    CHECK(ds && ds->nrows == 1);
    CHECK_STR(txt(ds, 0, "a"), "  x ");
    CHECK_STR(txt(ds, 0, "b"), " y");
    CHECK(ds && at(ds, 0, "b")->pos.line == 2);
    vb_data_set_free(ds);

    CHECK_ERR("e.csv", "a,b\nx,5\" screen\n", "data.csv-quote", 2, 4);
    CHECK_ERR("e.csv", "a,b\n\"abc\"def,1\n", "data.csv-quote", 2, 6);
    CHECK_ERR("e.csv", "a,b\n1,2\n\"open,3\n4,5\n", "data.csv-unclosed-quote", 3, 1);
}

static void
test_csv_counts(void)
{
    CHECK_ERR("e.csv", "a,b\n1,2\n1,2,3\n", "data.csv-extra-cells", 3, 5);
    CHECK(strstr(diag.msg, "Row 2") != NULL);
    CHECK_ERR("e.csv", "a,b,c\n1,2,3\n1\n", "data.csv-missing-cells", 3, 2);
    CHECK(strstr(diag.msg, "Row 2") && strstr(diag.msg, "\"b\""));
    /* a row of empty cells in the middle is a row; at the end of the file it is not */
    vb_data_set_t *ds = rd("e.csv", "a,b\n1,2\n,\n3,4\n,\n,\n");
    CHECK(ds && ds->nrows == 3);
    CHECK_STR(txt(ds, 1, "a"), "");
    CHECK_STR(txt(ds, 2, "b"), "4");
    vb_data_set_free(ds);
    CHECK_ERR("e.csv", "a,b\n,\n", "data.no-rows", 0, 0);
    CHECK_ERR("e.csv", "a,b\n", "data.no-rows", 0, 0);
    CHECK_ERR("e.csv", "", "data.empty", 1, 1);
    CHECK_ERR("e.csv", "\r\n\r\n", "data.empty", 1, 1);
}

static void
test_csv_delimiters(void)
{
    vb_data_set_t *ds = rd("d.csv", "ma;ten;ghi_chu\nCB01;Nguyễn, Văn A;1,5\n");
    CHECK(ds && ds->delimiter == ';' && ds->ncolumns == 3);
    CHECK_STR(txt(ds, 0, "ten"), "Nguyễn, Văn A");
    CHECK_STR(txt(ds, 0, "ghi_chu"), "1,5");
    vb_data_set_free(ds);
    ds = rd("d.tsv", "ma\tten\nCB01\tA; B, C\n");
    CHECK(ds && ds->delimiter == '\t');
    CHECK_STR(txt(ds, 0, "ten"), "A; B, C");
    vb_data_set_free(ds);
    /* a separator inside a quoted name is not counted */
    ds = rd("d.csv", "\"a;b;c\",d\n1,2\n");
    CHECK(ds && ds->delimiter == ',' && ds->ncolumns == 2);
    vb_data_set_free(ds);
    /* one column: no separator on the header, comma assumed */
    ds = rd("d.csv", "ten\nA; B\n");
    CHECK(ds && ds->ncolumns == 1);
    CHECK_STR(txt(ds, 0, "ten"), "A; B");
    vb_data_set_free(ds);
    /* Excel's "sep=" line: the separator named, the header on line 2 */
    ds = rd("d.csv", "\xEF\xBB\xBFsep=;\r\na,b;c\r\n1,2;3\r\n");
    CHECK(ds && ds->delimiter == ';' && ds->ncolumns == 2);
    CHECK_STR(txt(ds, 0, "a,b"), "1,2");
    CHECK(ds && at(ds, 0, "c")->pos.line == 3);
    vb_data_set_free(ds);
    CHECK_ERR("d.csv", "sep=;;\na\n1\n", "data.csv-sep", 1, 1);
}

static void
test_csv_shape(void)
{
    vb_data_set_t *ds =
        rd("t.csv", "so,don_vi.ten,don_vi.ma,bang.1.nd,bang.1.sl,bang.2.nd,bang.2.sl,bang.3.nd,bang.3.sl,"
                    "noi_nhan.1,noi_nhan.2,noi_nhan.3\n"
                    "1,Đảng ủy,DU,a,1,b,2,c,3,X,Y,Z\n"
                    "2,Chi bộ,CB,a,1,,,,,X,,\n"
                    "3,,,,,,,c,3,,Y,\n");
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_INT(at(ds, 0, "don_vi")->kind, VB_VAL_OBJECT);
    CHECK_INT(at(ds, 0, "don_vi")->n, 2);
    CHECK_STR(at(ds, 0, "don_vi")->keys[1], "ma");
    CHECK_STR(txt(ds, 0, "don_vi.ten"), "Đảng ủy");
    CHECK_STR(at(ds, 0, "don_vi.ten")->pos.path, "don_vi.ten");
    CHECK_STR(at(ds, 0, "bang.2")->pos.path, "bang.2");
    CHECK_INT(at(ds, 0, "bang")->kind, VB_VAL_LIST);
    CHECK_INT(at(ds, 0, "bang")->n, 3);
    CHECK_STR(txt(ds, 0, "bang.3.sl"), "3");
    CHECK_INT(at(ds, 0, "noi_nhan")->n, 3);
    CHECK_INT(at(ds, 0, "noi_nhan.2")->kind, VB_VAL_TEXT);
    CHECK_STR(txt(ds, 0, "noi_nhan.2"), "Y");
    /* the empty items at the end of a row's list are not items */
    CHECK_INT(at(ds, 1, "bang")->n, 1);
    CHECK_INT(at(ds, 1, "noi_nhan")->n, 1);
    /* empty items before a filled one are kept, with empty values */
    CHECK_INT(at(ds, 2, "bang")->n, 3);
    CHECK_STR(txt(ds, 2, "bang.1.nd"), "");
    CHECK_INT(at(ds, 2, "noi_nhan")->n, 2);
    CHECK_STR(txt(ds, 2, "don_vi.ten"), "");
    vb_data_set_free(ds);

    /* items numbered in any column order, and with leading zeros */
    ds = rd("t.csv", "l.02,l.01\nb,a\n");
    CHECK(ds != NULL);
    CHECK_STR(txt(ds, 0, "l.1"), "a");
    CHECK_STR(txt(ds, 0, "l.2"), "b");
    vb_data_set_free(ds);
    /* a first part made of digits is a name */
    ds = rd("t.csv", "2024,x\n1,2\n");
    CHECK(ds && at(ds, 0, "2024") && at(ds, 0, "2024")->kind == VB_VAL_TEXT);
    vb_data_set_free(ds);

    CHECK_ERR("t.csv", "x,bang.1.a,bang.3.a\n1,2,3\n", "data.csv-list-gap", 1, 12);
    CHECK_ERR("t.csv", "bang.0.a\n1\n", "data.csv-list-gap", 1, 1);
    CHECK_ERR("t.csv", "a,a.b\n1,2\n", "data.csv-header-conflict", 1, 3);
    CHECK_ERR("t.csv", "a.b,a\n1,2\n", "data.csv-header-conflict", 1, 5);
    CHECK_ERR("t.csv", "a.1,a.b\n1,2\n", "data.csv-header-conflict", 1, 5);
    CHECK_ERR("t.csv", "x,ten,ten\n1,2,3\n", "data.csv-header-duplicate", 1, 7);
    CHECK_ERR("t.csv", "l.1,l.01\n1,2\n", "data.csv-header-duplicate", 1, 5);
    CHECK_ERR("t.csv", "a,,b\n1,2,3\n", "data.csv-header-empty", 1, 3);
    CHECK_ERR("t.csv", "a,b,\n1,2,\n", "data.csv-header-empty", 1, 5);
    CHECK_ERR("t.csv", "a,ten \n1,2\n", "data.csv-header-name", 1, 3);
    CHECK_ERR("t.csv", "a,don_vi..ten\n1,2\n", "data.csv-header-name", 1, 3);
    CHECK_ERR("t.csv", "a.\n1\n", "data.csv-header-name", 1, 1);
    char deep[200] = "x";
    for (int i = 0; i < 40; i++)
        strcat(deep, ".a");
    strcat(deep, "\n1\n");
    CHECK_ERR("t.csv", deep, "data.too-deep", 1, 1);
}

static void
test_verbatim(void)
{
    /* Markdown and YAML characters mean nothing in a value */
    const char *csv = "a;b;c;d;e;f;g;h\n"
                      "- item;key: value;SỞ KHOA HỌC *VÀ* CÔNG NGHỆ;# heading;| x | y |;\"'q' \"\"w\"\"\";{{ten}};&anchor *alias\n";
    vb_data_set_t *ds = rd("v.csv", csv);
    CHECK(ds != NULL);
    CHECK_STR(txt(ds, 0, "a"), "- item");
    CHECK_STR(txt(ds, 0, "b"), "key: value");
    CHECK_STR(txt(ds, 0, "c"), "SỞ KHOA HỌC *VÀ* CÔNG NGHỆ");
    CHECK_STR(txt(ds, 0, "d"), "# heading");
    CHECK_STR(txt(ds, 0, "e"), "| x | y |");
    CHECK_STR(txt(ds, 0, "f"), "'q' \"w\"");
    CHECK_STR(txt(ds, 0, "g"), "{{ten}}");
    CHECK_STR(txt(ds, 0, "h"), "&anchor *alias");
    vb_data_set_free(ds);
    CHECK_ERR("v.csv", "a;b\n1;'q' \"w\"\n", "data.csv-quote", 2, 7); /* a quote mid-cell needs the cell quoted */
    ds = rd("v.json", "[{\"a\": \"- x: *y* # z | w\", \"b\": \"\\\"q\\\"\"}]");
    CHECK(ds != NULL);
    CHECK_STR(txt(ds, 0, "a"), "- x: *y* # z | w");
    CHECK_STR(txt(ds, 0, "b"), "\"q\"");
    vb_data_set_free(ds);
}

static void
test_bytes(void)
{
    /* invalid UTF-8: the line and the column (characters) of the first bad byte */
    CHECK_ERR("b.csv", "a,b\nđ,x\xC3(\n", "data.utf8", 2, 4);
    CHECK_ERR("b.json", "[{\"a\": \"\xFF\"}]", "data.utf8", 1, 9);
    memset(&diag, 0, sizeof diag);
    vb_data_set_t *ds = NULL;
    CHECK_INT(vb_data_set_read("a,b\n1,\0x\n", 9, "b.csv", VB_DATA_AUTO, &ds, &diag), VB_E_INPUT);
    CHECK_STR(diag.id, "data.nul");
    CHECK_INT(diag.line, 2);
    CHECK_INT(diag.col, 3);
    CHECK_INT(vb_data_set_read("\xFF\xFE" "a\0", 4, "b.csv", VB_DATA_AUTO, &ds, &diag), VB_E_INPUT);
    CHECK(ds == NULL);
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_data_set_read("\xFF\xFE" "a\0", 4, "b.csv", VB_DATA_AUTO, &ds, &diag), VB_E_INPUT);
    CHECK_STR(diag.id, "data.utf16");
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_data_set_read("x", 1, "b.csv", (vb_data_format_t)7, &ds, &diag), VB_E_USAGE);
}

static void
test_json(void)
{
    const char *j = "[\n"
                    "  {\"so\": \"0012\", \"n\": 1.50, \"big\": 123456789012345678901234, \"ok\": true, \"no\": false,\n"
                    "   \"nil\": null, \"don_vi\": {\"ten\": \"A\\r\\nB\"},\n"
                    "   \"bang\": [{\"nd\": \"x\", \"sl\": 2}, {\"nd\": \"y\", \"sl\": -3e2}], \"noi_nhan\": [\"P\", \"Q\"]},\n"
                    "  {\"so\": \"13\", \"bang\": []}\n"
                    "]\n";
    vb_data_set_t *ds = rd("r.json", j);
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_INT(ds->format, VB_DATA_JSON);
    CHECK_INT(ds->nrows, 2);
    CHECK(ds->columns == NULL);
    CHECK_STR(txt(ds, 0, "so"), "0012");
    CHECK_STR(txt(ds, 0, "n"), "1.50"); /* numbers as written */
    CHECK_STR(txt(ds, 0, "big"), "123456789012345678901234");
    CHECK_INT(at(ds, 0, "ok")->kind, VB_VAL_BOOL);
    CHECK_STR(txt(ds, 0, "ok"), "true");
    CHECK_STR(txt(ds, 0, "no"), "false");
    CHECK_INT(at(ds, 0, "nil")->kind, VB_VAL_NULL);
    CHECK_STR(txt(ds, 0, "don_vi.ten"), "A\nB");
    CHECK_INT(at(ds, 0, "bang")->n, 2);
    CHECK_STR(txt(ds, 0, "bang.2.sl"), "-3e2");
    CHECK_STR(at(ds, 0, "bang.2.sl")->pos.path, "bang[2].sl");
    CHECK_INT(at(ds, 0, "bang.2.sl")->pos.line, 4);
    CHECK_INT(at(ds, 0, "bang.2.sl")->pos.col, 53);
    CHECK_INT(at(ds, 0, "bang.2.sl")->pos.row, 1);
    CHECK_STR(txt(ds, 0, "noi_nhan.2"), "Q");
    CHECK_STR(at(ds, 0, "noi_nhan.2")->pos.path, "noi_nhan[2]");
    CHECK_INT(at(ds, 1, "so")->pos.line, 5);
    CHECK_INT(at(ds, 1, "so")->pos.col, 10);
    CHECK_INT(at(ds, 1, "so")->pos.row, 2);
    CHECK_INT(at(ds, 1, "bang")->n, 0);
    CHECK_STR(ds->rows[0].keys[0], "so"); /* keys in the file's order */
    CHECK_STR(ds->rows[0].keys[7], "bang");
    vb_data_set_free(ds);

    /* an object with one member holding the rows; the format found by the first byte */
    ds = rd("data", "  {\"chi_bo\": [{\"a\": \"1\"}, {\"a\": \"2\"}]}");
    CHECK(ds && ds->format == VB_DATA_JSON && ds->nrows == 2);
    CHECK_STR(txt(ds, 1, "a"), "2");
    vb_data_set_free(ds);
    /* a BOM is dropped and not counted in columns; tabs and CR are spaces between values */
    ds = rd("b.json", "\xEF\xBB\xBF[{\"a\":\t\"1\"},\r\n{\"a\": 2}]");
    CHECK(ds && ds->nrows == 2);
    CHECK(ds && at(ds, 0, "a")->pos.col == 8);
    CHECK(ds && at(ds, 1, "a")->pos.line == 2);
    vb_data_set_free(ds);
    /* .txt is CSV whatever its first byte */
    ds = rd("x.txt", "[a],b\n1,2\n");
    CHECK(ds && ds->format == VB_DATA_CSV);
    vb_data_set_free(ds);

    CHECK_ERR("e.json", "[{\"a\": 1},\n {\"b\": 1, \"b\": 2}]", "data.json-duplicate", 2, 11);
    CHECK(strstr(diag.msg, "row 2") != NULL);
    CHECK_ERR("e.json", "[{\"a\": 1},\n {\"b\": 1,, \"c\": 2}]", "data.json-syntax", 2, 10);
    CHECK(strstr(diag.msg, "row 2") != NULL);
    CHECK_ERR("e.json", "[{\"a\": 1}", "data.json-syntax", 1, 10);
    CHECK_ERR("e.json", "[{\"a\": 1e999}]", "data.json-number", 1, 12);
    CHECK_ERR("e.json", "[{\"a\": 1},\n  \"x\"]", "data.json-row", 2, 3);
    CHECK(strstr(diag.msg, "Row 2 is a text") != NULL);
    CHECK_ERR("e.json", "{\"a\": [], \"b\": []}", "data.json-top", 1, 1);
    CHECK_ERR("e.json", "{\"a\": {}}", "data.json-top", 1, 1);
    CHECK_ERR("e.json", "[]", "data.no-rows", 0, 0);
    CHECK_ERR("e.json", "", "data.json-syntax", 1, 1);
    char deep[400] = "[{\"a\": ";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    strcat(deep, "}]");
    CHECK_ERR("e.json", deep, "data.too-deep", 1, 39);
}

static void
test_public(void)
{
    vb_diag_t d;
    vb_data_t *data = NULL;
    const char *csv = "ma,ten\nCB01,\"A\nB\"\nCB02,C\n";
    CHECK_INT(vb_data_read_buffer(csv, strlen(csv), "u.csv", &data, &d), VB_OK);
    CHECK_INT(vb_data_row_count(data), 2);
    char *text = NULL;
    size_t n = 0;
    CHECK_INT(vb_data_dump(data, &text, &n, &d), VB_OK);
    CHECK(text && strlen(text) == n);
    CHECK(text && strstr(text, "data \"u.csv\" format=csv delimiter=\",\" columns=2 rows=2\n") == text);
    CHECK(text && strstr(text, "  \"ten\": text \"A\\nB\" at=2:6 path=\"ten\"\n") != NULL);
    vb_free(text);
    vb_data_free(data);
    CHECK_INT(vb_data_row_count(NULL), 0);
    vb_data_free(NULL);

    data = (vb_data_t *)&d; /* set to NULL on failure */
    CHECK_INT(vb_data_read_buffer("a,b\n1\n", 6, "u.csv", &data, &d), VB_E_INPUT);
    CHECK(data == NULL);
    CHECK_STR(d.source, "u.csv");
    CHECK_INT(vb_data_read_file("tests/unit/no-such-file.csv", &data, &d), VB_E_IO);
    CHECK_STR(d.id, "io.read");
    CHECK_INT(vb_data_read_file("tests/unit", &data, &d), VB_E_IO); /* a folder */
    CHECK_INT(vb_data_read_file(NULL, &data, &d), VB_E_USAGE);
    CHECK_INT(vb_data_dump(NULL, &text, NULL, &d), VB_E_USAGE);
}

int
main(void)
{
    test_csv_basic();
    test_csv_quotes();
    test_csv_counts();
    test_csv_delimiters();
    test_csv_shape();
    test_verbatim();
    test_bytes();
    test_json();
    test_public();
    return check_done();
}
