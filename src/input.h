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

/* Reads the front-matter tree into meta (validates types, dates, unknown keys). */
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

#endif
