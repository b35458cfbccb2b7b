/*
 * chunk.c - the pieces of the page flow (chunk.h): a new chunk in the
 * layout's list, the lines, rules and boxes it holds, and the groups of
 * boxes (dlist.h) that name what each element is and where it was typed.
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
        c->items.v = VB_NEWN(lc->arena, vb_ditem_t, line->nruns + 1); /* and the line's box */
        if (!c->items.v)
            return vb_diag_nomem(d);
        c->items.cap = line->nruns + 1;
    }
    vb_len_t asc = 0, desc = 0;
    for (int i = 0; i < line->nruns; i++) {
        vb_ditem_t it;
        memset(&it, 0, sizeof it);
        it.kind = VB_DITEM_RUN;
        it.u.run = line->runs[i];
        it.u.run.group = lc->box_group;
        vb_ditem_move(&it, x, baseline);
        if (VB_PUSH(lc->arena, c->items, it))
            return vb_diag_nomem(d);
        /* the line box's height: the tallest run's font ascent and descent at its size */
        const vb_font_t *f = lc->set.fonts ? vb_fontset_face(lc->set.fonts, (vb_face_t)(line->runs[i].face & 3)) : NULL;
        if (f) {
            vb_len_t a = vb_font_scale(f, vb_font_info(f)->ascender, line->runs[i].size);
            vb_len_t de = vb_font_scale(f, -vb_font_info(f)->descender, line->runs[i].size);
            if (a > asc)
                asc = a;
            if (de > desc)
                desc = de;
        }
    }
    if (line->nruns == 0)
        return VB_OK;
    vb_status_t rc =
        vb_chunk_add_box(lc, c, VB_DBOX_LINE, x + line->x0, baseline - asc, line->x1 - line->x0, asc + desc, d);
    if (rc == VB_OK) {
        vb_dbox_t *b = &c->items.v[c->items.n - 1].u.box;
        b->space_permille = line->space_permille;
        b->overfull = line->overfull;
    }
    return rc;
}

vb_status_t
vb_chunk_add_box(vb_lctx_t *lc, vb_chunk_t *c, int kind, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h,
                 vb_diag_t *d)
{
    vb_ditem_t it;
    memset(&it, 0, sizeof it);
    it.kind = VB_DITEM_BOX;
    it.u.box = (vb_dbox_t){.kind = (uint8_t)kind, .x = x, .y = y, .w = w, .h = h, .space_permille = 1000,
                           .group = lc->box_group, .outer = lc->box_outer};
    if (VB_PUSH(lc->arena, c->items, it))
        return vb_diag_nomem(d);
    return VB_OK;
}

vb_dspan_t
vb_layout_span(const vb_lctx_t *lc, vb_pos_t pos)
{
    vb_dspan_t s = {0};
    if (pos.line > 0 && lc->model) {
        s.file = lc->model->source;
        s.line = pos.line;
        s.col = pos.col;
    }
    return s;
}

int
vb_layout_group(vb_lctx_t *lc, vb_dbox_kind_t kind, const char *name, vb_pos_t pos, int outer)
{
    if (!lc->dl)
        return 0;
    vb_dgroup_t g = {.kind = kind, .name = name, .index = -1, .span = vb_layout_span(lc, pos), .outer = outer};
    return vb_dlist_add_group(lc->dl, &g);
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
