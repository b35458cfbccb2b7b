/*
 * paginate.c - placing the chunks of the flow on pages.
 *
 * A page that starts at a chunk is filled as far as the chunks fit above the
 * bottom margin (a chunk's `fit`, its ink, must fit; its `height` is what the
 * flow advances): fill_page. It may end before any chunk not kept with its
 * predecessor; if the whole page is one keep-chain, the rule gives way and the
 * page breaks where the overflow happened: a paragraph never runs off the
 * page. choose_pages picks the page ends over the whole document, a shortest
 * path over the possible ends: the fewest pages, then the least cost of the
 * pages' gaps (page_cost), so a page ends far short only where the keep rules
 * force it, and the shortfall is shared with the pages before it. With
 * opts.greedy each page is as full as it can be (the older first fit).
 *
 * A chunk that does not fit even at the top of an empty page cannot be
 * placed: that is the error layout.too-tall at its source position, never a
 * chunk drawn past the page's foot. Every such chunk is reported, before the
 * pages are chosen (every_too_tall).
 *
 * Space before a chunk is dropped at the top of a page. A table row that
 * starts a page gets its table's head rows repeated above it. Page numbers
 * follow the profile (first numbered page, format, ink top, centred on the
 * text block); they may restart at an appendix. A chunk's cap_top items
 * are drawn when it starts a page, its cap_bottom items when it ends one
 * (the borders of a table cell cut by the break). Footnotes go at the foot
 * of the page of the line that refers to them, under a rule: the fit test
 * counts them, so a line whose note would not fit moves on with it.
 */
#include <stdio.h>
#include <string.h>

#include "paginate.h"
#include "limit.h"
#include "template.h"

typedef struct pageinfo {
    int start, end;       /* chunks [start, end) */
    vb_len_t head_height; /* repeated table head at the top */
    vb_chunk_t **head;
    int nhead;
    int number;           /* the page's number in its numbering sequence */
} pageinfo_t;

typedef VB_VEC(pageinfo_t) pagevec_t;

static bool
repeats_head(vb_chunk_t **chunks, int i)
{
    vb_chunk_t *c = chunks[i];
    return c->head && c->nhead > 0 && i > 0 && chunks[i - 1] != c->head[c->nhead - 1];
}

/*
 * Text of a chunk of the flow that passes a side of its page's text block
 * (chunk coordinates: before the two-sided shift): layout.outside, a warning
 * at the chunk's source, once per chunk; not when an overfull line was
 * already reported there (para.c). Overlays and footers, placed by the
 * profile, are not checked.
 */
static void
check_outside(const vb_lctx_t *lc, const vb_chunk_t *c, bool land)
{
    if (!lc->set.sink || c->absolute || c->anchor_bottom > 0)
        return;
    const vb_profile_t *p = lc->profile;
    int64_t left = lc->text_left, right = (int64_t)(land ? p->page_height : p->page_width) - p->margin_right;
    for (int i = 0; i < c->items.n; i++) {
        const vb_ditem_t *it = &c->items.v[i];
        if (it->kind != VB_DITEM_RUN || it->u.run.n == 0)
            continue;
        const vb_drun_t *r = &it->u.run;
        const vb_font_t *font = vb_fontset_face(lc->set.fonts, (vb_face_t)r->face);
        int64_t x0 = r->glyphs[0].x, x1 = x0;
        /*
         * A glyph's width is looked up only when even the font's widest glyph
         * at its origin could pass the right side: x1 is then still the
         * largest origin plus width, as every glyph that could reach it is
         * measured.
         */
        int64_t widest = font ? vb_font_scale(font, vb_font_max_advance(font), r->size) : 0;
        int64_t near = right + VB_OVERFULL_SLACK - (widest > 0 ? widest : 0);
        for (int g = 0; g < r->n; g++) {
            int64_t gx = r->glyphs[g].x;
            int64_t adv = font && gx > near ? vb_font_scale(font, vb_font_glyph_advance(font, r->glyphs[g].gid), r->size) : 0;
            x0 = gx < x0 ? gx : x0;
            x1 = gx + adv > x1 ? gx + adv : x1;
        }
        if (x0 >= left - VB_OVERFULL_SLACK && x1 <= right + VB_OVERFULL_SLACK)
            continue;
        if (vb_set_overfull_at(&lc->set, c->pos))
            return;
        size_t n = r->text_len < 60 ? r->text_len : 60;
        while (n > 0 && n < r->text_len && ((unsigned char)r->text[n] & 0xC0) == 0x80)
            n--; /* never half a character */
        char by[24];
        vb_fmt_milli(by, x0 < left - VB_OVERFULL_SLACK ? left - x0 : x1 - right);
        vb_report(lc->set.sink, VB_SEVERITY_WARNING, VB_E_LAYOUT, "layout.outside", lc->set.source,
                  (vb_range_t){c->pos.line, c->pos.col, 0, 0}, NULL,
                  "%s passes the %s side of the text block by %s pt: \"%.*s\".", c->what ? c->what : "This text",
                  x0 < left - VB_OVERFULL_SLACK ? "left" : "right", by, (int)n, r->text);
        return;
    }
}

/* Emits n items of chunk c (its items or its caps) at (dx, y). */
static vb_status_t
emit_list(vb_lctx_t *lc, vb_dlist_t *dl, vb_dpage_t **pg, const vb_chunk_t *c, const vb_ditem_t *items, int n,
          vb_len_t dx, vb_len_t y, vb_diag_t *d)
{
    for (int k = 0; k < n; k++) {
        vb_ditem_t *it = vb_dpage_add(dl, *pg, items[k].kind);
        if (!it)
            return vb_diag_nomem(d);
        *it = items[k];
        /* glyphs move to the page, except a table head's, which later pages repeat */
        if (it->kind == VB_DITEM_RUN && c->is_head) {
            vb_dglyph_t *g = VB_NEWN(lc->arena, vb_dglyph_t, it->u.run.n ? it->u.run.n : 1);
            if (!g)
                return vb_diag_nomem(d);
            for (int j = 0; j < it->u.run.n; j++)
                g[j] = it->u.run.glyphs[j];
            it->u.run.glyphs = g;
        }
        vb_ditem_move(it, dx, y);
    }
    return VB_OK;
}

static vb_status_t
emit_items(vb_lctx_t *lc, vb_dlist_t *dl, vb_dpage_t **pg, int pidx, const vb_chunk_t *c, vb_len_t dx, vb_len_t y,
           vb_diag_t *d)
{
    vb_status_t rc = emit_list(lc, dl, pg, c, c->items.v, c->items.n, dx, y, d);
    if (rc != VB_OK)
        return rc;
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
    const vb_tmpl_var_t vars[] = {{"page", num}};
    vb_buf_t text = {0};
    int bad = vb_tmpl_expand(&text, pn->format ? pn->format : "{page}", vars, 1);
    size_t o = text.n;
    char *s = bad ? NULL : vb_arena_strndup(lc->arena, text.p ? text.p : "", o);
    vb_buf_free(&text);
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
    /* its line's box is named for what it is: it stands in the margin, outside the text block */
    vb_dgroup_t g = {.kind = VB_DBOX_LINE, .name = "page-number", .index = -1, .direct = true};
    lc->box_outer = 0;
    if (!(lc->box_group = vb_dlist_add_group(dl, &g)))
        return vb_diag_nomem(d);
    rc = vb_chunk_add_line(lc, &tmp, ln, lc->text_left + dx, base, d);
    lc->box_group = 0;
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
        if ((int64_t)have + h == 0)
            h = vb_len_add(h, (int64_t)f->space_before + f->rule_width + f->space_after);
        else
            h = vb_len_add(h, f->gap);
        h = vb_len_add(h, c->notes[i]->height);
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

/* Where the flow stands on the page being filled. */
typedef struct pagefill {
    int64_t y;        /* the flow's next top */
    vb_len_t bottom;  /* the flow's bottom limit on this page */
    bool placed;      /* a flow chunk is on the page (absolute ones do not count) */
    vb_len_t notes;   /* the footnotes of the chunks placed so far, with their rule */
} pagefill_t;

/* The space before c where it would go (none at the top of a page). */
static vb_len_t
space_before(const pagefill_t *pf, const vb_chunk_t *c)
{
    return pf->placed ? c->space_before : 0;
}

/* The lowest its ink may reach: the page's flow bottom, or a footer's own anchor. */
static vb_len_t
chunk_limit(const pagefill_t *pf, const vb_chunk_t *c)
{
    return c->anchor_bottom > 0 ? c->anchor_bottom : pf->bottom;
}

/* Whether chunk c, with its footnotes, fits on the page below what is already on it. */
static bool
chunk_fits(const vb_lctx_t *lc, const pagefill_t *pf, const vb_chunk_t *c)
{
    int64_t notes = pf->notes + (c->nnotes ? notes_need(lc, c, pf->notes) : 0);
    return pf->y + space_before(pf, c) + c->fit + notes <= chunk_limit(pf, c);
}

/* Millipoints as millimetres with one decimal, for messages. */
static void
mm_text(char *buf, size_t n, int64_t mp)
{
    int64_t t = (mp * 254 + 36000) / 72000; /* tenths of a millimetre */
    snprintf(buf, n, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
}

/* A chunk that does not fit on an empty page: layout.too-tall at its source. */
static vb_status_t
too_tall(const vb_lctx_t *lc, const pagefill_t *pf, const vb_chunk_t *c, vb_diag_t *d)
{
    if (c->nnotes) {
        /* a line that fits alone, with a note that does not: the note is at fault */
        int k = 0;
        while (k < lc->model->nnotes && lc->notes[k] != c->notes[0])
            k++;
        const vb_footnote_t *fn = k < lc->model->nnotes ? &lc->model->notes[k] : NULL;
        if (pf->y + c->fit <= chunk_limit(pf, c))
            return vb_diag_set(d, VB_E_LAYOUT, "layout.footnote-too-long", lc->model->source, fn ? fn->pos.line : 0,
                               fn ? fn->pos.col : 0,
                               "The footnote [^%s] with the line that refers to it is taller than a page.",
                               fn ? fn->label : "?");
    }
    char need[40], have[32];
    mm_text(need, sizeof need, c->fit);
    if (c->fit >= VB_LEN_MAX) /* a saturated length (base.h): its true size is not known */
        snprintf(need, sizeof need, "more than %lld", (long long)((int64_t)VB_LEN_MAX * 254 / 720000));
    mm_text(have, sizeof have, chunk_limit(pf, c) - pf->y);
    return vb_diag_set(d, VB_E_LAYOUT, "layout.too-tall", lc->model ? lc->model->source : NULL, c->pos.line,
                       c->pos.col,
                       "%s is %s mm tall but a page has only %s mm for it, and it cannot be broken across pages; "
                       "make it smaller.",
                       c->what ? c->what : "This block", need, have);
}

/*
 * Every chunk that fits no page even at the top of an empty one (page 1 for
 * the first chunk, a later page for the others, with its table's head rows
 * when they repeat): layout.too-tall for each, reported through
 * lc->set.sink, the first also in d, before the pages are chosen, so that
 * one run names them all. VB_E_LAYOUT when there is one.
 */
static vb_status_t
every_too_tall(const vb_lctx_t *lc, vb_diag_t *d)
{
    vb_chunk_t **ch = lc->chunks.v;
    int found = 0;
    for (int j = 0; j < lc->chunks.n; j++) {
        const vb_chunk_t *c = ch[j];
        if (c->absolute)
            continue;
        vb_len_t head = 0;
        if (repeats_head(ch, j))
            for (int k = 0; k < c->nhead; k++)
                head = vb_len_add(head, c->head[k]->height);
        pagefill_t pf = {(int64_t)(c->top >= 0 ? c->top : lc->profile->margin_top) + head,
                         page_bottom(lc, j == 0 ? 0 : 1, c->landscape), false, 0};
        if (chunk_fits(lc, &pf, c))
            continue;
        vb_diag_t one;
        memset(&one, 0, sizeof one);
        too_tall(lc, &pf, c, &one);
        if (found++ == 0 && d && d->code == VB_OK)
            *d = one;
        if (lc->set.sink)
            vb_sink_take(lc->set.sink, &one);
    }
    return found ? VB_E_LAYOUT : VB_OK;
}

/*
 * Where a page that starts at chunk i may end: each chunk index j before
 * which a break is allowed and the chunks [i, j) fit, with the gap the page
 * would leave (the flow's bottom less the lowest ink on it). The last end is
 * forced when the document ends there, or the next chunk must start a page
 * (a forced break, a page that turns); when no allowed break fits, the only
 * end is where the overflow happened (the keep rules give way).
 */
typedef struct pageends {
    int *end;           /* n + 1 entries, reused for each page */
    vb_len_t *gap;
    int n;
    bool forced;        /* the last end is forced: the page may end short there */
    bool give_way;      /* the end breaks a keep rule */
} pageends_t;

/*
 * Places the chunks from i on a fresh page (page 1 when first): fills ys for
 * them, pi's head rows, and pe with the page's possible ends.
 */
static vb_status_t
fill_page(vb_lctx_t *lc, int i, bool first, vb_len_t *ys, pageinfo_t *pi, pageends_t *pe, vb_diag_t *d)
{
    vb_chunk_t **ch = lc->chunks.v;
    int n = lc->chunks.n;
    memset(pi, 0, sizeof *pi);
    pe->n = 0;
    pe->forced = pe->give_way = false;
    pi->start = i;
    bool land = ch[i]->landscape;
    if (repeats_head(ch, i)) {
        pi->head = ch[i]->head;
        pi->nhead = ch[i]->nhead;
        for (int k = 0; k < pi->nhead; k++)
            pi->head_height = vb_len_add(pi->head_height, pi->head[k]->height);
    }
    vb_len_t top = lc->profile->margin_top;
    pagefill_t pf = {(ch[i]->top >= 0 && !ch[i]->absolute ? ch[i]->top : top) + pi->head_height,
                     page_bottom(lc, first ? 0 : 1, land), false, 0};
    int64_t low = pf.y; /* the lowest ink of the flow so far */
    for (int j = i; j < n; j++) {
        vb_chunk_t *c = ch[j];
        if (j > i && (c->break_before || c->landscape != land)) {
            pe->forced = true;
            break;
        }
        if (c->absolute) {
            ys[j] = c->top;
        } else {
            if (!pf.placed && c->top >= 0)
                pf.y = c->top + pi->head_height; /* a band with its own top opens the page */
            if (!chunk_fits(lc, &pf, c)) {
                if (!pf.placed)
                    return too_tall(lc, &pf, c, d);
                if (pe->n == 0) {
                    pe->end[0] = j;
                    pe->gap[0] = vb_len_sat(pf.bottom - pf.notes - low);
                    pe->n = 1;
                    pe->give_way = true;
                }
                return VB_OK;
            }
            ys[j] = vb_len_sat(pf.y + space_before(&pf, c));
            if (c->anchor_bottom > 0 && (int64_t)c->anchor_bottom - c->fit > ys[j])
                ys[j] = vb_len_add(c->anchor_bottom, -(int64_t)c->fit); /* footers sit as low as they may */
            else if ((int64_t)ys[j] + c->fit > low)
                low = (int64_t)ys[j] + c->fit;
            pf.y = (int64_t)ys[j] + c->height;
            pf.placed = true;
            if (c->nnotes)
                pf.notes = vb_len_add(pf.notes, notes_need(lc, c, pf.notes));
        }
        if (j + 1 == n || !ch[j + 1]->keep_with_prev || ch[j + 1]->break_before || ch[j + 1]->landscape != land) {
            pe->end[pe->n] = j + 1;
            pe->gap[pe->n] = vb_len_sat(pf.bottom - pf.notes - low);
            pe->n++;
        }
    }
    /* the document ends, or the next chunk must start a page */
    pe->forced = true;
    return VB_OK;
}

/*
 * The cost of a page that ends with gap (millipoints) above the foot of its
 * flow: nothing for a page whose end is forced; else the square of what the
 * gap exceeds the profile's page_slack by (two body lines: what a heading
 * kept with its first lines leaves anyway), plus the gap itself, small, so
 * that of two equal choices the fuller page wins.
 */
static int64_t
page_cost(const vb_lctx_t *lc, const pageends_t *pe, int k)
{
    if (pe->forced && k == pe->n - 1)
        return 0;
    int64_t g = pe->gap[k] < 0 ? 0 : pe->gap[k];
    int64_t over = g - lc->profile->breaking.page_slack;
    int64_t sq = over > 0 ? (over / 100) * (over / 100) : 0;
    return sq * 1000 + g / 100;
}

/*
 * Chooses the pages: with the keep rules as hard limits (a page ends only
 * where a break is allowed, or where a keep rule must give way), the fewest
 * pages that break a keep rule, then the fewest pages, then the least total
 * cost of the pages' gaps, over the whole document (a shortest path over the
 * possible page ends). Greedy
 * (opts.greedy): each page as full as the keep rules let it be.
 */
static vb_status_t
choose_pages(vb_lctx_t *lc, vb_len_t *ys, pagevec_t *pages, vb_diag_t *d)
{
    int n = lc->chunks.n;
    pageends_t pe;
    memset(&pe, 0, sizeof pe);
    pe.end = VB_NEWN(lc->arena, int, n + 1);
    pe.gap = VB_NEWN(lc->arena, vb_len_t, n + 1);
    int *npages = VB_NEWN(lc->arena, int, n + 1), *prev = VB_NEWN(lc->arena, int, n + 1);
    int *gave = VB_NEWN(lc->arena, int, n + 1); /* pages that break a keep rule */
    int64_t *cost = VB_NEWN(lc->arena, int64_t, n + 1);
    if (!pe.end || !pe.gap || !npages || !prev || !gave || !cost)
        return vb_diag_nomem(d);
    for (int j = 0; j <= n; j++)
        npages[j] = -1;
    npages[0] = 0;
    pageinfo_t pi;
    for (int i = 0; i < n; i++) {
        if (npages[i] < 0)
            continue;
        vb_status_t rc = fill_page(lc, i, i == 0, ys, &pi, &pe, d);
        if (rc != VB_OK)
            return rc;
        if (lc->max_pages > 0 && npages[i] >= lc->max_pages)
            return vb_limit_fail(d, "layout.too-many-pages", lc->model ? lc->model->source : NULL, 0, 0, "pages",
                                 "The document runs to more than %lld pages", (long long)lc->max_pages);
        for (int k = lc->set.greedy ? pe.n - 1 : 0; k < pe.n; k++) {
            int j = pe.end[k];
            int np = npages[i] + 1, g = gave[i] + pe.give_way;
            int64_t c = cost[i] + page_cost(lc, &pe, k);
            bool better = npages[j] < 0 || g < gave[j] ||
                          (g == gave[j] && (np < npages[j] || (np == npages[j] && c < cost[j])));
            if (better) {
                npages[j] = np;
                gave[j] = g;
                cost[j] = c;
                prev[j] = i;
            }
        }
    }
    /* the pages, in order, placed again */
    int count = npages[n] > 0 ? npages[n] : 0;
    int *start = VB_NEWN(lc->arena, int, count + 1);
    if (!start)
        return vb_diag_nomem(d);
    for (int j = n, k = count; k > 0; k--) {
        start[k - 1] = prev[j];
        j = prev[j];
    }
    start[count] = n;
    for (int k = 0; k < count; k++) {
        vb_status_t rc = fill_page(lc, start[k], k == 0, ys, &pi, &pe, d);
        if (rc != VB_OK)
            return rc;
        pi.end = start[k + 1];
        if (VB_PUSH(lc->arena, *pages, pi))
            return vb_diag_nomem(d);
    }
    return VB_OK;
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
    pagevec_t pages = {0};
    if (n > 0) {
        vb_status_t rc = every_too_tall(lc, d);
        if (rc == VB_OK)
            rc = choose_pages(lc, ys, &pages, d);
        if (rc != VB_OK)
            return rc;
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
        /* the page's text block, its first box */
        vb_ditem_t *tb = vb_dpage_add(dl, pg, VB_DITEM_BOX);
        if (!tb)
            return vb_diag_nomem(d);
        tb->u.box = (vb_dbox_t){.kind = VB_DBOX_TEXT_BLOCK, .space_permille = 1000, .x = p->margin_left + dx, .y = p->margin_top,
                                .w = pg->width - p->margin_left - p->margin_right,
                                .h = pg->height - p->margin_top - p->margin_bottom};
        vb_len_t hy = top;
        for (int h = 0; h < pi->nhead; h++) {
            vb_status_t rc = emit_items(lc, dl, &pg, k, pi->head[h], dx, hy, d);
            if (rc != VB_OK)
                return rc;
            hy += pi->head[h]->height;
        }
        for (int c = pi->start; c < pi->end; c++) {
            check_outside(lc, ch[c], land);
            vb_status_t rc = emit_items(lc, dl, &pg, k, ch[c], dx, ys[c], d);
            if (rc == VB_OK && c == pi->start && k > 0)
                rc = emit_list(lc, dl, &pg, ch[c], ch[c]->cap_top.v, ch[c]->cap_top.n, dx, ys[c], d);
            if (rc == VB_OK && c == pi->end - 1 && k < pages.n - 1)
                rc = emit_list(lc, dl, &pg, ch[c], ch[c]->cap_bottom.v, ch[c]->cap_bottom.n, dx, ys[c], d);
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
