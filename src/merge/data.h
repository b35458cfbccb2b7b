/*
 * data.h - the rows of a batch: what a data file (CSV or JSON) gives each
 * document, as a tree of values, before any template sees it.
 *
 *   data_csv.c   CSV files (the only libcsv user)
 *   data_json.c  JSON files (the only jansson user)
 *   dataset.c    the format chosen, the bounds, a member by key, the dump
 *
 * Produced by the readers, consumed by merge.c (a row into a template) and
 * api/batch.c (file names). Every value is text as written in the file (UTF-8
 * checked, not yet NFC: the merge passes it through the same preparation as
 * typed text). Everything lives in the data's arena and is immutable once
 * read, so any number of threads may merge rows of one data set at once.
 */
#ifndef VB_DATA_H
#define VB_DATA_H

#include "base.h"

typedef enum vb_val_kind {
    VB_VAL_NULL = 0,  /* JSON null */
    VB_VAL_TEXT,      /* a CSV cell, a JSON string or number (as written: "12", "1.5e3") */
    VB_VAL_BOOL,      /* JSON true/false: text is "true" or "false" */
    VB_VAL_LIST,      /* a JSON array; in CSV, columns "name.1.key", "name.2.key", ... */
    VB_VAL_OBJECT     /* a row; a JSON object; in CSV, columns "name.key" */
} vb_val_kind_t;

/*
 * Where a value was read: the data row (1-based: the first row after the CSV
 * header, the first element of the JSON array), the file's line and column
 * where it starts (0 when unknown: jansson keeps no positions of values), and
 * its path inside the row ("bang[3].so_luong"; the CSV column's header for a
 * cell). Errors about a value name all of them.
 */
typedef struct vb_datapos {
    int row;
    int line, col;
    const char *path;
} vb_datapos_t;

typedef struct vb_val {
    vb_val_kind_t kind;
    const char *text;       /* TEXT, BOOL: NUL-terminated; NULL otherwise */
    size_t len;
    struct vb_val *items;   /* LIST: its elements; OBJECT: its members' values */
    const char **keys;      /* OBJECT: keys[i] names items[i], in the file's order */
    int n;                  /* LIST, OBJECT: how many */
    vb_datapos_t pos;
} vb_val_t;

/* A data file read: its rows, each a VB_VAL_OBJECT. */
typedef struct vb_data_set {
    vb_arena_t *arena;      /* owns everything below */
    const char *name;       /* the file's name, for diagnostics */
    vb_val_t *rows;
    int nrows;
    const char **columns;   /* CSV: the header as written (ncolumns); JSON: NULL */
    int ncolumns;
    int format;             /* VB_DATA_CSV or VB_DATA_JSON: how it was read */
    int delimiter;          /* CSV: the separator found (',' ';' '\t', or a "sep=" line's); JSON: 0 */
} vb_data_set_t;

typedef enum vb_data_format {
    VB_DATA_AUTO = 0,       /* by the name's extension (.csv, .tsv, .txt / .json), then by the first byte */
    VB_DATA_CSV,
    VB_DATA_JSON
} vb_data_format_t;

/* A member of an object by key; NULL when absent (or obj is not an object). */
const vb_val_t *vb_val_get(const vb_val_t *obj, const char *key, size_t keylen);

/*
 * Reads a data file already in memory (len bytes, name for diagnostics) into
 * a new data set (*out; free with vb_data_set_free). Errors name the file,
 * the line and column, and the row.
 */
vb_status_t vb_data_set_read(const char *buf, size_t len, const char *name, vb_data_format_t fmt,
                             vb_data_set_t **out, vb_diag_t *d);
vb_status_t vb_data_csv_read(vb_data_set_t *ds, const char *buf, size_t len, vb_diag_t *d);   /* data_csv.c */
vb_status_t vb_data_json_read(vb_data_set_t *ds, const char *buf, size_t len, vb_diag_t *d);  /* data_json.c */
void vb_data_set_free(vb_data_set_t *ds);

/*
 * The findings of vanban check as one JSON document (data_json.c, the jansson
 * user): {"version": 1, "files": [...], "errors": E, "warnings": W,
 * "findings": [{"file", "line", "col", "end_line", "end_col", "severity", "id",
 * "message", "fix", "fix_note", "fix_safe"}, ...]}. malloc'd (free()); NULL
 * when memory ran out. A text that is not valid UTF-8 is refused by jansson:
 * NULL too.
 */
char *vb_json_diags(const vb_diag_t *diags, int n, const char *const *files, int nfiles, int errors, int warnings);

/*
 * Every row of ds as text, one value a line with its kind, text, file
 * line:col and path ("vanban dump --stage=data"; docs/data-files.md). Into
 * out (vb_buf_t: check out->oom).
 */
void vb_data_set_dump(const vb_data_set_t *ds, vb_buf_t *out);

/*
 * The bounds of one data file (fixed; the readers check them with the
 * position where they are passed): its bytes, its values (every cell, every
 * JSON value, every object and list a row makes: about 120 bytes each in
 * memory with its text, measured, so 4 Mi of them about 500 MiB), the nesting of a JSON value or the
 * parts of a CSV header, and the columns of a CSV header (Excel's maximum).
 */
#define VB_DATA_MAX_BYTES ((int64_t)64 << 20)
#define VB_DATA_MAX_VALUES ((int64_t)4 << 20)
#define VB_DATA_MAX_DEPTH 32
#define VB_DATA_MAX_COLUMNS 16384

/*
 * What the readers share (dataset.c). vb_data_set_read hands them the bytes
 * after the checks every data file passes: valid UTF-8 without NUL bytes,
 * the BOM dropped (so a column counts characters from the line's start, as
 * in the source's messages).
 *
 * A cursor gives the line and column (1-based, characters) of a byte offset;
 * it only moves forward, so a reader walking its file pays once for every
 * byte. CRLF, CR and LF each end a line.
 */
typedef struct vb_datacur {
    const char *buf;
    size_t len, off;
    int line, col;
} vb_datacur_t;
void vb_datacur_init(vb_datacur_t *c, const char *buf, size_t len);
/* Moves c to off (off >= c->off; past len: to len). */
void vb_datacur_to(vb_datacur_t *c, size_t off);
/* A value's text in the arena: s[0..n) with every CRLF and lone CR made LF; *len its bytes. NULL: no memory. */
char *vb_data_text(vb_arena_t *arena, const char *s, size_t n, size_t *len);

/* The public handle (include/vanban.h's vb_data_t). */
struct vb_data { vb_data_set_t *set; };

#endif
