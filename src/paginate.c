/*
 * paginate.c - placing the chunks of the flow on pages.
 *
 * First fit with backtracking: chunks go onto the page while they fit above
 * the bottom margin (a chunk's `fit`, its ink, must fit; its `height` is what
 * the flow advances). When one does not fit, the page ends at the last
 * chunk boundary on it where a break is allowed (a chunk not kept with its
 * predecessor), and the chunks after that boundary move to the next page. If
 * the whole page is one keep-chain, the rule gives way and the page breaks
 * where the overflow happened: a paragraph never runs off the page. Each
 * backtrack moves the page start forward, so the work is linear in the number
 * of chunks apart from the re-placed tail of each page.
 *
 * Space before a chunk is dropped at the top of a page. A table row that
 * starts a page gets its table's head rows repeated above it. Page numbers
 * follow the profile (first numbered page, format, ink top, centred on the
 * text block); they may restart at an appendix.
 */
#include <stdio.h>
#include <string.h>

#include "layout.h"
#include "limit.h"

typedef struct pageinfo {
    int start, end;       /* chunks [start, end) */
    vb_len_t head_height; /* repeated table head at the top */
    vb_chunk_t **head;
    int nhead;
    int number;           /* the page's number in its numbering sequence */
} pageinfo_t;

static bool
repeats_head(vb_chunk_t **chunks, int i)
{
    vb_chunk_t *c = chunks[i];
    return c->head && c->nhead > 0 && i > 0 && chunks[i - 1] != c->head[c->nhead - 1];
}

static vb_status_t
emit_items(vb_lctx_t *lc, vb_dlist_t *dl, vb_dpage_t **pg, int pidx, const vb_chunk_t *c, vb_len_t dx, vb_len_t y,
           vb_diag_t *d)
{
    for (int k = 0; k < c->items.n; k++) {
        vb_ditem_t *it = vb_dpage_add(dl, *pg, c->items.v[k].kind);
        if (!it)
            return vb_diag_nomem(d);
        *it = c->items.v[k];
        switch (it->kind) {
        case VB_DITEM_RUN: {
            /* glyphs move to the page, except a table head's, which later pages repeat */
            vb_dglyph_t *g = it->u.run.glyphs;
            if (c->is_head && !(g = VB_NEWN(lc->arena, vb_dglyph_t, it->u.run.n ? it->u.run.n : 1)))
                return vb_diag_nomem(d);
            for (int j = 0; j < it->u.run.n; j++) {
                g[j] = it->u.run.glyphs[j];
                g[j].x += dx;
                g[j].y += y;
            }
            it->u.run.glyphs = g;
            break;
        }
        case VB_DITEM_RULE:
            it->u.rule.x1 += dx;
            it->u.rule.x2 += dx;
            it->u.rule.y1 += y;
            it->u.rule.y2 += y;
            break;
        case VB_DITEM_BOX:
            it->u.box.x += dx;
            it->u.box.y += y;
            break;
        case VB_DITEM_IMAGE:
            it->u.image.x += dx;
            it->u.image.y += y;
            break;
        }
    }
    if (c->outline_title && c->outline_level > 0)
        if (vb_dlist_add_outline(dl, c->outline_level, c->outline_title, pidx, y))
            return vb_diag_nomem(d);
    return VB_OK;
}

static vb_status_t
add_page_number(vb_lctx_t *lc, vb_dlist_t *dl, vb_dpage_t *pg, int number, vb_len_t dx, vb_diag_t *d)
{
    /* centred on this page's text block (landscape pages are wider) */
    vb_len_t text_width = pg->width - lc->profile->margin_left - lc->profile->margin_right;
    const vb_pagenum_t *pn = &lc->profile->page_number;
    char num[16];
    snprintf(num, sizeof num, "%d", number);
    char text[128];
    size_t o = 0;
    for (const char *p = pn->format ? pn->format : "{page}"; *p && o < sizeof text - 16;) {
        if (!strncmp(p, "{page}", 6)) {
            size_t n = strlen(num);
            memcpy(text + o, num, n);
            o += n;
            p += 6;
        } else {
            text[o++] = *p++;
        }
    }
    char *s = vb_arena_strndup(lc->arena, text, o);
    if (!s)
        return vb_diag_nomem(d);
    pg->label = s;
    vb_span_t sp = {s, o, 0};
    vb_inline_t in = {&sp, 1};
    vb_style_t st = pn->style;
    st.indent = st.hang = 0;
    vb_lines_t lines;
    vb_status_t rc = vb_set_text(&lc->set, &in, &st, text_width, &lines, d);
    if (rc != VB_OK || lines.n == 0)
        return rc;
    /* the baseline sits so that the highest ink of the number is at ink_top */
    int top = 0;
    const vb_line_t *ln = &lines.v[0];
    const vb_font_t *f = NULL;
    for (int r = 0; r < ln->nruns; r++) {
        f = vb_fontset_face(lc->set.fonts, (vb_face_t)ln->runs[r].face);
        for (int g = 0; g < ln->runs[r].n; g++) {
            int t, b;
            vb_font_glyph_vextent(f, ln->runs[r].glyphs[g].gid, &t, &b);
            if (t > top)
                top = t;
        }
    }
    vb_len_t base = pn->ink_top + (f ? vb_font_scale(f, top, st.size) : 0);
    vb_chunk_t tmp;
    memset(&tmp, 0, sizeof tmp);
    rc = vb_chunk_add_line(lc, &tmp, ln, lc->text_left + dx, base, d);
    if (rc != VB_OK)
        return rc;
    for (int k = 0; k < tmp.items.n; k++) {
        vb_ditem_t *it = vb_dpage_add(dl, pg, tmp.items.v[k].kind);
        if (!it)
            return vb_diag_nomem(d);
        *it = tmp.items.v[k];
    }
    return VB_OK;
}

/*
 * Footnotes: the height that chunk c's notes add at the foot of a page whose
 * notes already take `have` (0: none yet, so the rule comes with them).
 */
static vb_len_t
notes_need(const vb_lctx_t *lc, const vb_chunk_t *c, vb_len_t have)
{
    const vb_pfootnote_t *f = &lc->profile->footnote;
    vb_len_t h = 0;
    for (int i = 0; i < c->nnotes; i++) {
        if (have + h == 0)
            h += f->space_before + f->rule_width + f->space_after;
        else
            h += f->gap;
        h += c->notes[i]->height;
    }
    return h;
}

/* Sets the notes of chunks [from, to) at the foot of the page, above bottom, under the rule. */
static vb_status_t
emit_notes(vb_lctx_t *lc, vb_dlist_t *dl, vb_dpage_t **pg, int pidx, vb_chunk_t **ch, int from, int to,
           vb_len_t bottom, vb_len_t dx, vb_diag_t *d)
{
    const vb_pfootnote_t *f = &lc->profile->footnote;
    vb_len_t total = 0;
    for (int c = from; c < to; c++)
        total += notes_need(lc, ch[c], total);
    if (total == 0)
        return VB_OK;
    vb_len_t y = bottom - total + f->space_before;
    vb_ditem_t *it = vb_dpage_add(dl, *pg, VB_DITEM_RULE);
    if (!it)
        return vb_diag_nomem(d);
    it->u.rule = (vb_drule_t){lc->text_left + dx, y + f->rule_width / 2, lc->text_left + dx + f->rule_length,
                              y + f->rule_width / 2, f->rule_width};
    y += f->rule_width + f->space_after;
    bool first = true;
    for (int c = from; c < to; c++)
        for (int i = 0; i < ch[c]->nnotes; i++) {
            if (!first)
                y += f->gap;
            first = false;
            vb_status_t rc = emit_items(lc, dl, pg, pidx, ch[c]->notes[i], dx, y, d);
            if (rc != VB_OK)
                return rc;
            y += ch[c]->notes[i]->height;
        }
    return VB_OK;
}

/* The flow's bottom limit on page k (page 1 keeps room for its footer). */
static vb_len_t
page_bottom(const vb_lctx_t *lc, int k, bool landscape)
{
    const vb_profile_t *p = lc->profile;
    vb_len_t bottom = (landscape ? p->page_width : p->page_height) - p->margin_bottom;
    if (k == 0 && lc->first_footer) {
        vb_len_t top = lc->first_footer->anchor_bottom - lc->first_footer->fit;
        if (top < bottom)
            bottom = top;
    }
    return bottom;
}

vb_status_t
vb_paginate(vb_lctx_t *lc, vb_dlist_t *dl, vb_diag_t *d)
{
    const vb_profile_t *p = lc->profile;
    vb_chunk_t **ch = lc->chunks.v;
    int n = lc->chunks.n;
    vb_len_t top = p->margin_top;
    vb_len_t *ys = VB_NEWN(lc->arena, vb_len_t, n ? n : 1);
    if (!ys)
        return vb_diag_nomem(d);
    VB_VEC(pageinfo_t) pages = {0};

    int i = 0;
    int64_t y = 0;
    while (i < n) {
        /* start a page at chunk i */
        pageinfo_t pi;
        memset(&pi, 0, sizeof pi);
        pi.start = i;
        bool land = ch[i]->landscape;
        vb_len_t bottom = page_bottom(lc, pages.n, land);
        if (repeats_head(ch, i)) {
            pi.head = ch[i]->head;
            pi.nhead = ch[i]->nhead;
            for (int k = 0; k < pi.nhead; k++)
                pi.head_height += pi.head[k]->height;
        }
        y = (ch[i]->top >= 0 && !ch[i]->absolute ? ch[i]->top : top) + pi.head_height;
        int j = i;
        bool placed = false; /* a flow chunk is on the page (absolute ones do not count) */
        vb_len_t notes = 0;  /* the footnotes of the chunks placed so far, with their rule */
        while (j < n) {
            vb_chunk_t *c = ch[j];
            if (j > i && (c->break_before || c->landscape != land))
                break;
            if (c->absolute) {
                ys[j] = c->top;
                j++;
                continue;
            }
            if (!placed && c->top >= 0)
                y = c->top + pi.head_height; /* a band with its own top opens the page */
            vb_len_t sb = !placed ? 0 : c->space_before;
            vb_len_t limit = c->anchor_bottom > 0 ? c->anchor_bottom : bottom;
            /* a line with a footnote goes where its note fits on the same page */
            vb_len_t more = c->nnotes ? notes_need(lc, c, notes) : 0;
            if (!placed && more && y + c->fit + notes + more > limit) {
                int k = 0;
                while (k < lc->model->nnotes && lc->notes[k] != c->notes[0])
                    k++;
                const vb_footnote_t *fn = k < lc->model->nnotes ? &lc->model->notes[k] : NULL;
                return vb_diag_set(d, VB_E_LAYOUT, "layout.footnote-too-long", lc->model->source,
                                   fn ? fn->pos.line : 0, fn ? fn->pos.col : 0,
                                   "The footnote [^%s] with the line that refers to it is taller than a page.",
                                   fn ? fn->label : "?");
            }
            if (!placed || y + sb + c->fit + notes + more <= limit) {
                notes += more;
                ys[j] = (vb_len_t)(y + sb);
                if (c->anchor_bottom > 0 && c->anchor_bottom - c->fit > ys[j])
                    ys[j] = c->anchor_bottom - c->fit; /* footers sit as low as they may */
                y = ys[j] + c->height;
                placed = true;
                j++;
                continue;
            }
            /* does not fit: back up to the last allowed break on this page */
            int b = j;
            while (b > i && ch[b]->keep_with_prev)
                b--;
            if (b > i)
                j = b;
            break;
        }
        pi.end = j;
        if (lc->max_pages > 0 && pages.n >= lc->max_pages)
            return vb_limit_fail(d, "layout.too-many-pages", lc->model ? lc->model->source : NULL, 0, 0, "pages",
                                 "The document runs to more than %lld pages", (long long)lc->max_pages);
        if (VB_PUSH(lc->arena, pages, pi))
            return vb_diag_nomem(d);
        i = j;
    }

    /* numbering; the label ranges must be in page order */
    if (vb_dlist_add_label(dl, 0, 1, NULL))
        return vb_diag_nomem(d);
    int number = 0;
    for (int k = 0; k < pages.n; k++) {
        pageinfo_t *pi = &pages.v[k];
        if (k > 0 && ch[pi->start]->restart_numbers) {
            number = 0;
            if (vb_dlist_add_label(dl, k, 1, NULL))
                return vb_diag_nomem(d);
        }
        pi->number = ++number;
    }

    for (int k = 0; k < pages.n; k++) {
        pageinfo_t *pi = &pages.v[k];
        bool land = pi->start < n && ch[pi->start]->landscape;
        vb_dpage_t *pg = land ? vb_dlist_add_page(dl, p->page_height, p->page_width)
                              : vb_dlist_add_page(dl, p->page_width, p->page_height);
        if (!pg)
            return vb_diag_nomem(d);
        /* two-sided printing: even pages take the mirrored margins */
        vb_len_t dx = lc->duplex && k % 2 == 1 ? p->duplex_left - p->margin_left : 0;
        vb_len_t hy = top;
        for (int h = 0; h < pi->nhead; h++) {
            vb_status_t rc = emit_items(lc, dl, &pg, k, pi->head[h], dx, hy, d);
            if (rc != VB_OK)
                return rc;
            hy += pi->head[h]->height;
        }
        for (int c = pi->start; c < pi->end; c++) {
            vb_status_t rc = emit_items(lc, dl, &pg, k, ch[c], dx, ys[c], d);
            if (rc != VB_OK)
                return rc;
        }
        if (lc->notes) {
            /* above a footer anchored on this page (05-HD's last_footer), whose room the fit test counted */
            vb_len_t nb = page_bottom(lc, k, land);
            for (int c = pi->start; c < pi->end; c++)
                if (ch[c]->anchor_bottom > 0 && ys[c] < nb)
                    nb = ys[c];
            vb_status_t rc = emit_notes(lc, dl, &pg, k, ch, pi->start, pi->end, nb, dx, d);
            if (rc != VB_OK)
                return rc;
        }
        if (k == 0 && lc->first_footer) {
            vb_status_t rc = emit_items(lc, dl, &pg, k, lc->first_footer, dx,
                                        lc->first_footer->anchor_bottom - lc->first_footer->fit, d);
            if (rc != VB_OK)
                return rc;
        }
        if (p->page_number.present && pi->number >= p->page_number.first) {
            vb_status_t rc = add_page_number(lc, dl, pg, pi->number, dx, d);
            if (rc != VB_OK)
                return rc;
        }
    }
    return VB_OK;
}
