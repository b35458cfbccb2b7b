/*
 * overlay.c - the plan of the preview's overlay on one page. See overlay.h.
 *
 * The numbered boxes come from the display list's boxes: a band item's or a
 * column's `official:` number (its group), and the body's blocks for the
 * profile's `official_boxes.body`. The boxes of one number in one column (or in
 * the body) are drawn as one rectangle, their union: ô 2 is the parent body,
 * the issuer and the star together, as on the regulation's diagram.
 */
#include "overlay.h"

#include <stdlib.h>
#include <string.h>

/*
 * The palette of the numbered boxes, by number (1 first, then again from
 * the start): distinct dark colours, none red or orange (the marks'), none
 * grey (the text block's). A constant of the preview, not of the document.
 */
static const uint32_t PALETTE[] = {0x1F5FBF, 0x1A9641, 0x8E44AD, 0xA0522D, 0xD6338A, 0x0F9BB0, 0x6B7A00, 0x2C3E91,
                                   0x009E73, 0xB8860B, 0x6A3D9A, 0x3B7EA1, 0xC0589E, 0x2E8B57, 0x7B3F00};

uint32_t
vb_overlay_colour(int no)
{
    int n = (int)(sizeof PALETTE / sizeof *PALETTE);
    return PALETTE[((no > 0 ? no : 1) - 1) % n];
}

/* The profile's body box, 0: none. */
static int
body_no(const vb_profile_t *p)
{
    for (int i = 0; p && i < p->nofficial_boxes; i++)
        if (p->official_boxes[i].body)
            return p->official_boxes[i].no;
    return 0;
}

/* The number box b fills (0: none), and the column (or 0: the body) it is counted in. */
static int
box_no(const vb_dlist_t *dl, const vb_dbox_t *b, int body, int32_t *outer)
{
    vb_dboxinfo_t in;
    vb_dbox_info(dl, b, &in);
    *outer = b->outer;
    if (in.official > 0 && b->kind != VB_DBOX_LINE)
        return in.official;
    if (body && b->outer == 0 && in.official == 0 &&
        (b->kind == VB_DBOX_PARAGRAPH || b->kind == VB_DBOX_TABLE || b->kind == VB_DBOX_IMAGE))
        return body;
    return 0;
}

static void
unite(vb_ovrect_t *r, const vb_dbox_t *b)
{
    vb_len_t x1 = r->x + r->w > b->x + b->w ? r->x + r->w : b->x + b->w;
    vb_len_t y1 = r->y + r->h > b->y + b->h ? r->y + r->h : b->y + b->h;
    r->x = r->x < b->x ? r->x : b->x;
    r->y = r->y < b->y ? r->y : b->y;
    r->w = x1 - r->x;
    r->h = y1 - r->y;
}

static int
legend_find(const vb_overlay_t *ov, int no)
{
    for (int i = 0; i < ov->nlegend; i++)
        if (ov->legend[i].no == no)
            return i;
    return -1;
}

vb_status_t
vb_overlay_plan(const vb_dlist_t *dl, int page, const vb_profile_t *p, vb_arena_t *a, vb_overlay_t *out,
                vb_diag_t *d)
{
    memset(out, 0, sizeof *out);
    if (!dl || page < 0 || page >= dl->npages)
        return vb_diag_set(d, VB_E_USAGE, "png.page", NULL, 0, 0, "The document has %d page%s, no page %d.",
                           dl ? dl->npages : 0, dl && dl->npages == 1 ? "" : "s", page + 1);
    const vb_dpage_t *pg = &dl->pages[page];
    out->page = page;
    out->page_w = pg->width;
    out->page_h = pg->height;
    out->profile_id = p ? p->id : NULL;
    out->profile_name = p ? p->name : NULL;
    if (p && p->breaking.space_stretch > 0 && p->breaking.tolerance > 0)
        out->loose_permille = 1000 + (int32_t)((int64_t)p->breaking.space_stretch * p->breaking.tolerance / 1000);
    int body = body_no(p);

    /* room: at most one rectangle or mark per box of the page; the legend: the profile's boxes and any others */
    int nbox = 0;
    for (int i = 0; i < pg->n; i++)
        nbox += pg->items[i].kind == VB_DITEM_BOX;
    int nnamed = p ? p->nofficial_boxes : 0;
    int maxno = 0;
    for (int q = 0; q < dl->npages; q++)
        for (int i = 0; i < dl->pages[q].n; i++)
            if (dl->pages[q].items[i].kind == VB_DITEM_BOX)
                maxno++;
    out->columns = VB_NEWN(a, vb_ovrect_t, nbox + 1);
    out->boxes = VB_NEWN(a, vb_ovrect_t, nbox + 1);
    int32_t *outers = VB_NEWN(a, int32_t, nbox + 1);
    out->marks = VB_NEWN(a, vb_ovmark_t, nbox + 1);
    out->legend = VB_NEWN(a, vb_ovlegend_t, nnamed + (maxno < 100 ? maxno : 100) + 1);
    if (!out->columns || !out->boxes || !outers || !out->marks || !out->legend)
        return vb_diag_nomem(d);

    for (int i = 0; i < nnamed; i++)
        out->legend[out->nlegend++] = (vb_ovlegend_t){p->official_boxes[i].no, p->official_boxes[i].name, false, -1};

    /* the legend: where each number is filled first, in the whole document */
    for (int q = 0; q < dl->npages; q++) {
        const vb_dpage_t *pq = &dl->pages[q];
        for (int i = 0; i < pq->n; i++) {
            if (pq->items[i].kind != VB_DITEM_BOX)
                continue;
            int32_t outer;
            int no = box_no(dl, &pq->items[i].u.box, body, &outer);
            if (!no)
                continue;
            int k = legend_find(out, no);
            if (k < 0) {
                if (out->nlegend >= nnamed + 100)
                    continue;
                /* a number the profile does not name: after the named ones, ascending */
                k = out->nlegend++;
                while (k > nnamed && out->legend[k - 1].no > no) {
                    out->legend[k] = out->legend[k - 1];
                    k--;
                }
                out->legend[k] = (vb_ovlegend_t){no, NULL, false, -1};
            }
            if (out->legend[k].page < 0)
                out->legend[k].page = q;
            if (q == page)
                out->legend[k].here = true;
        }
    }

    /* this page: the text block, the columns, one rectangle per number and column, the marked lines */
    for (int i = 0; i < pg->n; i++) {
        if (pg->items[i].kind != VB_DITEM_BOX)
            continue;
        const vb_dbox_t *b = &pg->items[i].u.box;
        if (b->kind == VB_DBOX_TEXT_BLOCK && !out->has_text_block) {
            out->has_text_block = true;
            out->tb_x = b->x, out->tb_y = b->y, out->tb_w = b->w, out->tb_h = b->h;
            continue;
        }
        if (b->kind == VB_DBOX_COLUMN) {
            out->columns[out->ncolumns++] = (vb_ovrect_t){0, b->x, b->y, b->w, b->h};
            /* a column numbered as a whole (`official:` on the column) is also a numbered box */
        }
        if (b->kind == VB_DBOX_LINE) {
            bool loose = out->loose_permille > 0 && b->space_permille > out->loose_permille;
            if (b->overfull || loose)
                out->marks[out->nmarks++] = (vb_ovmark_t){b->overfull, b->space_permille, b->x, b->y, b->w, b->h};
            continue;
        }
        int32_t outer;
        int no = box_no(dl, b, body, &outer);
        if (!no || b->w <= 0 || b->h <= 0)
            continue;
        int k = 0;
        while (k < out->nboxes && !(out->boxes[k].official == no && outers[k] == outer))
            k++;
        if (k == out->nboxes) {
            out->boxes[k] = (vb_ovrect_t){no, b->x, b->y, b->w, b->h};
            outers[k] = outer;
            out->nboxes++;
        } else {
            unite(&out->boxes[k], b);
        }
    }
    return VB_OK;
}

/* Text between double quotes, with " and \ escaped and control characters as \xNN (as the dump's). */
static void
put_quoted(vb_buf_t *b, const char *s)
{
    if (!s) {
        vb_buf_puts(b, "null");
        return;
    }
    vb_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            vb_buf_putc(b, '\\');
            vb_buf_putc(b, (char)c);
        } else if (c < 0x20 || c == 0x7f) {
            vb_buf_printf(b, "\\x%02x", (unsigned)c);
        } else {
            vb_buf_putc(b, (char)c);
        }
    }
    vb_buf_putc(b, '"');
}

vb_status_t
vb_overlay_text(const vb_overlay_t *ov, char **out, size_t *len, vb_diag_t *d)
{
    vb_buf_t b = {0};
    vb_buf_printf(&b, "page %d w=%d h=%d profile=", ov->page + 1, (int)ov->page_w, (int)ov->page_h);
    put_quoted(&b, ov->profile_id);
    vb_buf_printf(&b, " loose=%d\n", (int)ov->loose_permille);
    if (ov->has_text_block)
        vb_buf_printf(&b, "text-block x=%d y=%d w=%d h=%d colour=#%06x\n", (int)ov->tb_x, (int)ov->tb_y,
                      (int)ov->tb_w, (int)ov->tb_h, VB_OVERLAY_BLOCK_RGB);
    for (int i = 0; i < ov->ncolumns; i++) {
        const vb_ovrect_t *r = &ov->columns[i];
        vb_buf_printf(&b, "column x=%d y=%d w=%d h=%d colour=#%06x\n", (int)r->x, (int)r->y, (int)r->w, (int)r->h,
                      VB_OVERLAY_COLUMN_RGB);
    }
    for (int i = 0; i < ov->nboxes; i++) {
        const vb_ovrect_t *r = &ov->boxes[i];
        vb_buf_printf(&b, "box no=%d x=%d y=%d w=%d h=%d colour=#%06x\n", r->official, (int)r->x, (int)r->y,
                      (int)r->w, (int)r->h, vb_overlay_colour(r->official));
    }
    for (int i = 0; i < ov->nmarks; i++) {
        const vb_ovmark_t *m = &ov->marks[i];
        vb_buf_printf(&b, "mark %s x=%d y=%d w=%d h=%d space=%d colour=#%06x\n", m->overfull ? "overfull" : "loose",
                      (int)m->x, (int)m->y, (int)m->w, (int)m->h, (int)m->space_permille,
                      m->overfull ? VB_OVERLAY_OVERFULL_RGB : VB_OVERLAY_LOOSE_RGB);
    }
    for (int i = 0; i < ov->nlegend; i++) {
        const vb_ovlegend_t *l = &ov->legend[i];
        vb_buf_printf(&b, "legend no=%d ", l->no);
        if (l->here)
            vb_buf_puts(&b, "here");
        else if (l->page >= 0)
            vb_buf_printf(&b, "page=%d", l->page + 1);
        else
            vb_buf_puts(&b, "empty");
        vb_buf_puts(&b, " name=");
        put_quoted(&b, l->name);
        vb_buf_printf(&b, " colour=#%06x\n", vb_overlay_colour(l->no));
    }
    char *s = vb_buf_take(&b, len);
    if (!s)
        return vb_diag_nomem(d);
    *out = s;
    return VB_OK;
}
