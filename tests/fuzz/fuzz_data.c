/*
 * fuzz_data.c - a batch's data file (src/merge/data.h): vb_data_set_read of
 * CSV (data_csv.c, libcsv) or JSON (data_json.c, jansson), then a walk over
 * every value checking the tree's promises, and the dump. data.json-internal
 * (the scanner beside jansson lost its place) is a finding, not a clean end.
 *
 * The first byte picks the format: 0 by the first byte of the data (the
 * name "fuzz" has no extension), 1 CSV, 2 JSON, 3 by the name "fuzz.tsv";
 * the rest is the file.
 */
#include "data.h"
#include "fuzz.h"

FUZZ_NO_INITIALIZE

/* Every value: a known kind, texts NUL-terminated at len without a NUL inside, a path, a position. */
static void
walk(const vb_val_t *v, int row, int depth)
{
    if (depth > VB_DATA_MAX_DEPTH + 2 || v->pos.row != row || !v->pos.path || v->pos.line < 1 || v->pos.col < 1)
        abort();
    switch (v->kind) {
    case VB_VAL_TEXT:
    case VB_VAL_BOOL:
        if (!v->text || strlen(v->text) != v->len)
            abort();
        break;
    case VB_VAL_NULL:
        break;
    case VB_VAL_OBJECT:
        for (int i = 0; i < v->n; i++)
            if (!v->keys[i])
                abort();
        /* fall through */
    case VB_VAL_LIST:
        if (v->n < 0 || (v->n > 0 && !v->items))
            abort();
        for (int i = 0; i < v->n; i++)
            walk(&v->items[i], row, depth + 1);
        break;
    default:
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const vb_data_format_t fmts[4] = {VB_DATA_AUTO, VB_DATA_CSV, VB_DATA_JSON, VB_DATA_AUTO};
    int sel = data[0] & 3;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_data_set_t *ds = NULL;
    vb_status_t rc = vb_data_set_read((const char *)data + 1, size - 1, sel == 3 ? "fuzz.tsv" : "fuzz", fmts[sel],
                                      &ds, &d);
    fuzz_check(rc, &d, "vb_data_set_read");
    /* the JSON scanner disagreeing with jansson's tree is a bug, however cleanly it ends */
    if (rc != VB_OK && !strcmp(d.id, "data.json-internal")) {
        fprintf(stderr, "vb_data_set_read: %s\n", d.msg);
        abort();
    }
    if ((rc == VB_OK) != (ds != NULL))
        abort();
    if (!ds)
        return 0;
    if (ds->nrows < 1)
        abort();
    for (int r = 0; r < ds->nrows; r++) {
        const vb_val_t *row = &ds->rows[r];
        if (row->kind != VB_VAL_OBJECT)
            abort();
        walk(row, r + 1, 0);
        /* keys are unique: each finds its own value */
        for (int i = 0; i < row->n; i++)
            if (vb_val_get(row, row->keys[i], strlen(row->keys[i])) != &row->items[i])
                abort();
    }
    vb_buf_t b = {0};
    vb_data_set_dump(ds, &b);
    if (b.oom)
        abort();
    vb_buf_free(&b);
    vb_data_set_free(ds);
    return 0;
}
