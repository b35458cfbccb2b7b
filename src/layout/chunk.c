/*
 * chunk.c - the pieces of the page flow (chunk.h): a new chunk in the
 * layout's list, and the lines and rules it holds.
 */
#include "chunk.h"

#include <string.h>

vb_chunk_t *
vb_chunk_new(vb_lctx_t *lc)
{
    vb_chunk_t *c = VB_NEW(lc->arena, vb_chunk_t);
    if (!c)
        return NULL;
    c->top = -1;
    if (VB_PUSH(lc->arena, lc->chunks, c))
        return NULL;
    return c;
}

vb_status_t
vb_chunk_add_line(vb_lctx_t *lc, vb_chunk_t *c, const vb_line_t *line, vb_len_t x, vb_len_t baseline, vb_diag_t *d)
{
    /*
     * A chunk's first line gets exactly the items it needs: most chunks are one line of one run, and the
     * vector's first growth (8 items) made a document's chunks several times larger than their lines.
     */
    if (c->items.cap == 0 && line->nruns > 0) {
        c->items.v = VB_NEWN(lc->arena, vb_ditem_t, line->nruns);
        if (!c->items.v)
            return vb_diag_nomem(d);
        c->items.cap = line->nruns;
    }
    for (int i = 0; i < line->nruns; i++) {
        vb_ditem_t it;
        memset(&it, 0, sizeof it);
        it.kind = VB_DITEM_RUN;
        it.u.run = line->runs[i];
        vb_ditem_move(&it, x, baseline);
        if (VB_PUSH(lc->arena, c->items, it))
            return vb_diag_nomem(d);
    }
    return VB_OK;
}

vb_status_t
vb_chunk_add_rule(vb_lctx_t *lc, vb_chunk_t *c, vb_len_t x1, vb_len_t y1, vb_len_t x2, vb_len_t y2, vb_len_t width,
                  vb_diag_t *d)
{
    vb_ditem_t it;
    memset(&it, 0, sizeof it);
    it.kind = VB_DITEM_RULE;
    it.u.rule.x1 = x1;
    it.u.rule.y1 = y1;
    it.u.rule.x2 = x2;
    it.u.rule.y2 = y2;
    it.u.rule.width = width;
    if (VB_PUSH(lc->arena, c->items, it))
        return vb_diag_nomem(d);
    return VB_OK;
}
