/*
 * tags.h - the {{tags}} of a batch template (docs/templates.md), found in the
 * prepared template text and replaced by placeholders.
 *
 *   tags.c   scans and checks the tags; each becomes a placeholder of the
 *            same number of characters, so that the front matter's YAML and
 *            the body's Markdown are parsed once with the tags standing as
 *            plain text and every other position stays where it was typed
 *   merge.c  puts a data row's values where the placeholders stand
 *
 * A placeholder is one character VB_TAG_CP0 + the tag's index followed by
 * fillers (VB_TAG_FILL; VB_TAG_FILL_LINE for a section tag alone on its line,
 * which the Markdown reader makes a block of its own). These are characters of
 * the Supplementary Private Use Area-B, which a template may not hold itself.
 */
#ifndef VB_TAGS_H
#define VB_TAGS_H

#include "input.h"

#define VB_TAG_CP0 0x100000u      /* U+100000 + index: the first character of a placeholder */
#define VB_TAG_MAX 0xF000         /* tags a template may hold */
#define VB_TAG_FILL 0x10FFFDu     /* the fillers of a placeholder */
#define VB_TAG_FILL_LINE 0x10FFFCu /* the fillers of a standalone section tag's placeholder */

typedef enum vb_tag_kind {
    VB_TAG_VAR = 1,   /* {{name}}, {{name | markdown}}, {{.}} */
    VB_TAG_OPEN,      /* {{#name}} */
    VB_TAG_INVERT,    /* {{^name}} */
    VB_TAG_CLOSE,     /* {{/name}} */
    VB_TAG_COMMENT    /* {{! ... }} */
} vb_tag_kind_t;

typedef struct vb_tag {
    vb_tag_kind_t kind;
    const char *name;   /* NUL-terminated (in the arena): "ten", "don_vi.ten", "."; "" for a comment */
    size_t len;
    bool markdown;      /* VAR: "| markdown" */
    bool standalone;    /* alone on its line (body only): a block section */
    bool front;         /* in the front matter */
    int match;          /* OPEN, INVERT: the index of its CLOSE; CLOSE: of its OPEN; else -1 */
    int nchars;         /* characters of the tag as typed ("{{x}}": 5) */
    vb_pos_t pos;       /* where its "{{" is, in the prepared text */
} vb_tag_t;

typedef struct vb_tags {
    vb_tag_t *v;
    int n;
} vb_tags_t;

/*
 * Scans text[0..len) (a prepared template, vb_text_prepare) for tags: *out
 * (in arena, *out_len bytes) is the text with each tag replaced by its
 * placeholder, tags the tags in order. Errors (template.*) at the tag's
 * line:col in the prepared text: a tag across a line end or unclosed, an
 * unknown kind, a bad name or filter, sections unclosed or mismatched, a
 * section tag alone on its line inside a table, a character of the
 * placeholders' range typed in the template. A text without tags gives
 * tags->n == 0 and *out == text.
 */
vb_status_t vb_tags_scan(vb_arena_t *arena, const char *text, size_t len, const char *source, char **out,
                         size_t *out_len, vb_tags_t *tags, vb_diag_t *d);

/* Only finds the first tag of text (a source given to `vanban render`): true and its position when there is one. */
bool vb_tags_first(const char *text, size_t len, vb_pos_t *at);

/* The index of the placeholder whose first character starts s[0..n) (4 bytes); -1 when s starts none. */
static inline int
vb_tag_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 4 || u[0] != 0xF4 || u[1] < 0x80 || u[1] > 0x8E)
        return -1;
    uint32_t cp = ((uint32_t)(u[0] & 7) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) | ((uint32_t)(u[2] & 0x3F) << 6) |
                  (u[3] & 0x3F);
    return cp >= VB_TAG_CP0 && cp < VB_TAG_CP0 + VB_TAG_MAX ? (int)(cp - VB_TAG_CP0) : -1;
}

/* True when s[0..n) is a filler (4 bytes) */
static inline bool
vb_tag_filler(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    return n >= 4 && u[0] == 0xF4 && u[1] == 0x8F && u[2] == 0xBF && (u[3] == 0xBD || u[3] == 0xBC);
}

#endif
