/*
 * template.h - the one expander of the profiles' "{field}" templates: the
 * items of a band (band.c), the date format (layout.c) and the page-number
 * format (paginate.c). profile.c checks every template when it reads the
 * profile (braces paired, each name known where it is used), so what reaches
 * the layout is well formed.
 *
 * A template is text with {name} fields; there is no escape for braces.
 */
#ifndef VB_TEMPLATE_H
#define VB_TEMPLATE_H

#include "base.h"

/*
 * Called for each part of a template in order: literal text (field false;
 * never empty) or a field's name without its braces (field true). Returns 0
 * to go on; anything else stops the walk and is its result.
 */
typedef int (*vb_tmpl_fn)(void *ctx, const char *s, size_t n, bool field);

/*
 * Walks tmpl (NUL-terminated; NULL is empty): a "{" with a "}" after it is
 * a field; a "{" without one ends the template as literal text. Returns 0,
 * or fn's first non-zero result.
 */
int vb_tmpl_walk(const char *tmpl, vb_tmpl_fn fn, void *ctx);

/* A field's value for vb_tmpl_expand. */
typedef struct vb_tmpl_var {
    const char *name;
    const char *value;
} vb_tmpl_var_t;

/*
 * Appends tmpl to b with every {name} of vars replaced by its value; a name
 * not in vars is kept as typed, braces and all. Returns 0, -1 when b ran out
 * of memory.
 */
int vb_tmpl_expand(vb_buf_t *b, const char *tmpl, const vb_tmpl_var_t *vars, int nvars);

#endif
