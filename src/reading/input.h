/*
 * input.h - reading a source: front matter + Markdown to the document model.
 *
 * text.c checks UTF-8 and normalises to NFC (the only utf8proc user);
 * frontmatter.c reads the YAML fields; input_md.c (the only cmark-gfm user)
 * reads the Markdown body; tablesrc.c reads the pipe tables with merged cells.
 */
#ifndef VB_INPUT_H
#define VB_INPUT_H

#include "model.h"
#include "yamltree.h"

/*
 * Checks that src[0..len) is valid UTF-8 without NUL bytes, drops a leading
 * BOM, turns CRLF and lone CR into LF, and normalises to NFC. The result is in
 * arena. Errors name the line and column of the first bad byte.
 */
vb_status_t vb_text_prepare(vb_arena_t *arena, const char *src, size_t len, const char *source, char **out,
                            size_t *out_len, vb_diag_t *d);

/* s[0..len) (prepared text) in capitals, NFC, in arena (*out_len bytes); NULL when memory is exhausted. */
char *vb_text_upper(vb_arena_t *arena, const char *s, size_t len, size_t *out_len);

/*
 * Where text was typed, for a source that NFC changed: a prepared text's
 * (line, column) back to the file's (see text.c). NULL stands for "no line
 * changed" everywhere.
 */
typedef struct vb_textmap vb_textmap_t;

/* As vb_text_prepare; *map (may be NULL) gets the columns as typed of the lines NFC changed, NULL when none. */
vb_status_t vb_text_prepare_map(vb_arena_t *arena, const char *src, size_t len, const char *source, char **out,
                                size_t *out_len, vb_textmap_t **map, vb_diag_t *d);
/* Turns a position in the prepared text (1-based) into the position as typed, in place. */
void vb_textmap_pos(const vb_textmap_t *m, int *line, int *col);
/* Every position of a model read from the prepared text, as typed (once: a position is mapped one time). */
void vb_textmap_model(const vb_textmap_t *m, vb_model_t *model);
/* A diagnostic's position (and end) found in the prepared text, as typed. */
void vb_textmap_diag(const vb_textmap_t *m, vb_diag_t *d);

/*
 * Whether code point cp may stand in a document (see text.c): NULL when it
 * may, else the phrase naming why not ("the control character U+0007"),
 * written into buf, and the diagnostic id in *id (may be NULL).
 */
const char *vb_char_refused(uint32_t cp, char *buf, size_t size, const char **id);
/* VB_OK when cp may stand in a document, else the error "<lead> <phrase>." at source:line:col. */
vb_status_t vb_char_check(vb_diag_t *d, const char *source, int line, int col, const char *lead, uint32_t cp);

/*
 * Checks the character references of Markdown text (&#x202E;, &#0;,
 * &#xFFFE;, &rlm;) before it is parsed: one that stands for a character
 * vb_char_refused refuses is an error at its position. text starts at
 * line0:col0; when fixed, every error is put at line0:col0 (a front-matter
 * value, whose columns a YAML escape may shift).
 */
vb_status_t vb_md_check_refs(const char *text, size_t len, const char *source, int line0, int col0, bool fixed,
                             vb_diag_t *d);

/*
 * Where code point cp is written in text (a prepared source, lines from 1)
 * at or after from: typed, or as a character reference that stands for it.
 * False when neither is found.
 */
bool vb_md_find_char(const char *text, size_t len, vb_pos_t from, uint32_t cp, vb_pos_t *at);

/* NFC of a UTF-8 string already known to be valid. */
vb_status_t vb_text_nfc(vb_arena_t *arena, const char *s, size_t len, char **out, size_t *out_len, vb_diag_t *d);

/*
 * Reads a whole source (after vb_text_prepare) into model: the front matter
 * between a first line "---" and the next "---" line, then the Markdown body.
 */
vb_status_t vb_read_source(vb_arena_t *arena, const char *text, size_t len, const char *source, vb_model_t *model,
                           vb_diag_t *d);

/*
 * As vb_read_source, within the limits lim (resolved, every field set: see
 * limit.h; NULL: the defaults): the front matter's size, and through
 * vb_read_markdown_lim the tables, nesting and images.
 */
vb_status_t vb_read_source_lim(vb_arena_t *arena, const char *text, size_t len, const char *source,
                               const vb_limits_t *lim, vb_model_t *model, vb_diag_t *d);

/*
 * As vb_read_source_lim, with images read through loader: only from the
 * source's folder and the loader's folders (NULL: the source's folder only).
 */
vb_status_t vb_read_source_ex(vb_arena_t *arena, const char *text, size_t len, const char *source,
                              const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model, vb_diag_t *d);

/*
 * As vb_read_source_ex, reporting through sink (base.h): every front-matter
 * field at fault (each left empty; the body is read all the same, and the
 * call returns VB_OK: vb_sink_status says whether any was), then a fatal
 * error (the YAML, the body), whose code it returns.
 */
vb_status_t vb_read_source_sink(vb_arena_t *arena, const char *text, size_t len, const char *source,
                                const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model,
                                vb_sink_t *sink);

/*
 * As vb_read_source_sink for a batch template (merge/tags.h: its tags stand as
 * placeholders): the front matter is parsed into *tree but not read (its
 * values are not there yet), the body is read as a template's
 * (model->template_body).
 */
vb_status_t vb_read_template_source(vb_arena_t *arena, const char *text, size_t len, const char *source,
                                    const vb_limits_t *lim, const vb_loader_t *loader, vb_ynode_t **tree,
                                    vb_model_t *model, vb_sink_t *sink);

/* Reads a front-matter tree into meta, every field at fault reported through sink (see vb_read_source_sink). */
vb_status_t vb_read_frontmatter_sink(vb_arena_t *arena, const vb_ynode_t *root, const char *source, vb_meta_t *meta,
                                     vb_sink_t *sink);

/* Reads the front-matter tree into meta (validates types, dates, unknown keys; d: the first error). */
vb_status_t vb_read_frontmatter(vb_arena_t *arena, const vb_ynode_t *root, const char *source, vb_meta_t *meta,
                                vb_diag_t *d);

/*
 * Reads the Markdown body (line0 = source line of its first line, 1-based).
 * model->meta must be read (or zeroed) first: line_paragraphs changes how
 * lines join.
 */
vb_status_t vb_read_markdown(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                             vb_model_t *model, vb_diag_t *d);
/* As vb_read_markdown within the limits lim (NULL: the defaults). */
vb_status_t vb_read_markdown_lim(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                                 const vb_limits_t *lim, vb_model_t *model, vb_diag_t *d);

/* As vb_read_markdown_lim, with images read through loader (see vb_read_source_ex). */
vb_status_t vb_read_markdown_ex(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                                const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model, vb_diag_t *d);

/* As vb_read_markdown_ex, warning through warn (may be NULL) of Markdown that will not do what it looks like. */
vb_status_t vb_read_markdown_sink(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                                  const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model,
                                  vb_sink_t *warn, vb_diag_t *d);

/*
 * Parses the lines of one pipe table (lines[0..nlines), each without its '\n',
 * starting at source line line0) into a table.
 */
vb_status_t vb_read_table(vb_arena_t *arena, const char *const *lines, const size_t *lens, int nlines,
                          const char *source, int line0, vb_table_t **out, vb_diag_t *d);
/* As vb_read_table within the limits lim (NULL: the defaults): table-columns and table-cells. */
vb_status_t vb_read_table_lim(vb_arena_t *arena, const char *const *lines, const size_t *lens, int nlines,
                              const char *source, int line0, const vb_limits_t *lim, vb_table_t **out, vb_diag_t *d);

/*
 * Parses the text of one table cell as inline Markdown (emphasis, code spans,
 * escapes; never block structure, so "- x" or "1. x" stay as typed) into out.
 * Implemented in input_md.c (the only cmark-gfm user) for tablesrc.c.
 */
vb_status_t vb_md_inline(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d);
/* As vb_md_inline, with "<br>" (also "<br/>", "<br />", any case) a forced line break: a table cell's text. */
vb_status_t vb_md_inline_cell(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d);

/*
 * As vb_md_inline for a front-matter text: each line is parsed alone and the
 * author's line breaks stay ('\n' spans). Bold, italic, m^2^ and Hg~10~ as in
 * the body; used for the list entries (recipients, to, bases).
 */
vb_status_t vb_md_inline_text(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d);

/* Writes the model as stable text (for tests) into a malloc'd string. */
vb_status_t vb_model_dump(const vb_model_t *m, char **out, size_t *len);

/* ---- the table of the front matter's keys (fields.def; types in model.h), in frontmatter.c ---- */
extern const vb_meta_key_t vb_meta_keys[];
extern const int vb_meta_nkeys;

/* The entry of key[0..n); NULL when the front matter has no such key. */
const vb_meta_key_t *vb_meta_key(const char *key, size_t n);
/* A TEXT entry's field in m. */
#define VB_META_TEXT_OF(m, k) ((const vb_field_t *)((const char *)(m) + (k)->off))
/* A LIST entry's entries in m (NULL when none), their count in *n and, when pos is not NULL, where the list is. */
const vb_field_t *vb_meta_list(const vb_meta_t *m, const vb_meta_key_t *k, int *n, vb_pos_t *pos);
/* The printed text field of m that a template names {name[0..n)}; NULL when none is. */
const vb_field_t *vb_meta_printed(const vb_meta_t *m, const char *name, size_t n);
/*
 * Calls fn for every text of m the document may print: the printed text
 * fields in the table's order, every signer's authority, post and name, then
 * the entries of every list field. Stops at and returns fn's first non-zero
 * result; 0 when every field was taken.
 */
int vb_meta_each_field(const vb_meta_t *m, int (*fn)(void *ctx, const vb_field_t *f), void *ctx);

#endif
