/*
 * merge.h - one data row merged into a parsed template (docs/templates.md).
 *
 * The template was parsed once with its tags standing as placeholders
 * (tags.h): its front matter as a YAML tree, its body as the document model.
 * A merge copies both into a document's arena with each placeholder replaced
 * by the row's value as text (never read as Markdown or YAML, but with
 * "| markdown"), sections repeated or dropped. The template is only read, so
 * any number of threads may merge rows into one template at once.
 */
#ifndef VB_MERGE_H
#define VB_MERGE_H

#include "data.h"
#include "tags.h"

/* Which value a tag gave, for naming the data in a later diagnostic (vb_merge_note). */
typedef struct vb_merge_origin {
    int tag;              /* the tag's index */
    const vb_val_t *val;  /* the value it printed */
} vb_merge_origin_t;

typedef struct vb_merge {
    vb_arena_t *arena;          /* the document's: everything merged lives in it */
    const char *source;         /* the template's name */
    const vb_tags_t *tags;      /* positions as typed */
    const char *data_name;      /* the data file's name */
    const vb_val_t *row;        /* a VB_VAL_OBJECT */
    VB_VEC(vb_merge_origin_t) origins; /* filled by the merge */
} vb_merge_t;

/* The front matter's tree in with the row's values: *out in m->arena. */
vb_status_t vb_merge_yaml(vb_merge_t *m, const vb_ynode_t *in, vb_ynode_t **out, vb_diag_t *d);

/*
 * The body of tpl (its blocks, appendices and footnotes) with the row's
 * values, into out (its meta left as it is).
 */
vb_status_t vb_merge_body(vb_merge_t *m, const vb_model_t *tpl, vb_model_t *out, vb_diag_t *d);

/*
 * Checks the parsed template once (m: arena, source and tags only): every
 * tag stands in a text that is printed (template.tag-lost), and every
 * section closes in the text it opens in, or is a block section (both tags
 * alone on their lines, in one list of blocks) or a row section
 * (template.section-span).
 */
vb_status_t vb_merge_check(vb_merge_t *m, const vb_ynode_t *front, const vb_model_t *body, vb_diag_t *d);

/*
 * A diagnostic about the merged document (source the template, a line
 * holding a tag that printed a value) gets the data that printed it added to
 * its message: " (data: units.csv, row 14, column \"so\")". Nothing is
 * changed for other diagnostics.
 */
void vb_merge_note(const vb_merge_t *m, vb_diag_t *dg);

/* The message naming where a value was read: "units.csv, row 14, column \"so\"" (into buf). */
const char *vb_merge_where(const char *data_name, const vb_val_t *v, char *buf, size_t size);

/*
 * The value of a dotted name in row (no outer scopes), NULL when absent; for
 * the file-name patterns of api/tmpl.c.
 */
const vb_val_t *vb_merge_lookup(const vb_val_t *row, const char *name, size_t len);

#endif
