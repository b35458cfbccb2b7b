/*
 * template.c - "{field}" templates: one walk over a template for every user
 * (see template.h), and the plain substitution of named values into a
 * buffer that the date and page-number formats need.
 */
#include "template.h"

#include <string.h>

int
vb_tmpl_walk(const char *tmpl, vb_tmpl_fn fn, void *ctx)
{
    const char *p = tmpl ? tmpl : "";
    int rc = 0;
    while (*p && rc == 0) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close)
            return fn(ctx, p, strlen(p), false);
        if (open > p && (rc = fn(ctx, p, (size_t)(open - p), false)) != 0)
            break;
        rc = fn(ctx, open + 1, (size_t)(close - open - 1), true);
        p = close + 1;
    }
    return rc;
}

typedef struct expand {
    vb_buf_t *b;
    const vb_tmpl_var_t *vars;
    int nvars;
} expand_t;

static int
expand_part(void *ctx, const char *s, size_t n, bool field)
{
    expand_t *e = ctx;
    if (field)
        for (int i = 0; i < e->nvars; i++)
            if (strlen(e->vars[i].name) == n && !memcmp(e->vars[i].name, s, n))
                return e->vars[i].value ? vb_buf_puts(e->b, e->vars[i].value) : 0;
    if (field)
        return vb_buf_putc(e->b, '{') || vb_buf_add(e->b, s, n) || vb_buf_putc(e->b, '}') ? -1 : 0;
    return vb_buf_add(e->b, s, n);
}

int
vb_tmpl_expand(vb_buf_t *b, const char *tmpl, const vb_tmpl_var_t *vars, int nvars)
{
    expand_t e = {b, vars, nvars};
    return vb_tmpl_walk(tmpl, expand_part, &e) ? -1 : (b->oom ? -1 : 0);
}
