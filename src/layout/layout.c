/*
 * layout.c - the document model to chunks of the page flow, then pages.
 *
 * Order of the flow (each piece as the profile says):
 *   page-1 header band, title band, body blocks, closing band,
 *   then per appendix: a forced page break, the appendix header band,
 *   the appendix title band, its blocks.
 * Page-breaking rules become flags on the chunks:
 *   - a paragraph of n lines may break after line k only when k >= orphans
 *     and n - k >= widows; other line chunks are kept with the previous one;
 *   - a heading's lines, and the first line after a heading, are kept with
 *     what precedes them, so a heading never ends a page;
 *   - a lead-in (a paragraph ending in ':') keeps its last lead_in_keep
 *     lines together and with the first chunk of the block after it, so a
 *     table that moves to the next page takes its "… như sau:" along;
 *   - a band is cut into chunks only between the lines of its lists and
 *     after them (band.c): the kind and title stay together, the căn cứ
 *     and the Nơi nhận lists break like paragraphs; the title band's first
 *     chunk is kept with the header, and the body's first line with the
 *     title band's last chunk ("QUYẾT ĐỊNH:" with Điều 1); the closing
 *     band's first chunk (the signer block) is kept with the last
 *     closing_keep lines of the body.
 * paginate.c then places the chunks.
 */
#include "layout.h"

#include "band.h"
#include "paginate.h"
#include "table.h"

#include "image.h"
#include "limit.h"
#include "template.h"
#include "sigfields.h"

#include <string.h>
#include <stdio.h>
#include <time.h>

/*
 * "ngày 06 tháng 7 năm 2023" from the profile's date rule. A day or month
 * left blank until issuance is VB_BLANK_DAY / VB_BLANK_MONTH in the text;
 * band.c prints it as the profile's gap ("ngày      tháng 4 năm 2026").
 */
static const char *
format_date(vb_lctx_t *lc, const vb_date_t *dt)
{
    const vb_pdate_t *pd = &lc->profile->date;
    if (!dt->year || !pd->format)
        return NULL;
    char day[8], month[8], year[16];
    snprintf(day, sizeof day, dt->day < pd->day_pad_below ? "%02d" : "%d", dt->day);
    snprintf(month, sizeof month, dt->month < pd->month_pad_below ? "%02d" : "%d", dt->month);
    if (!dt->day)
        snprintf(day, sizeof day, "%c", VB_BLANK_DAY);
    if (!dt->month)
        snprintf(month, sizeof month, "%c", VB_BLANK_MONTH);
    snprintf(year, sizeof year, "%d", dt->year);
    const vb_tmpl_var_t vars[] = {{"day", day}, {"month", month}, {"year", year}};
    vb_buf_t out = {0};
    int bad = vb_tmpl_expand(&out, pd->format, vars, 3);
    char *s = bad ? NULL : vb_arena_strndup(lc->arena, out.p ? out.p : "", out.n);
    vb_buf_free(&out);
    return s;
}

/*
 * Plain text of n pieces of inline content (for outline titles), joined by
 * spaces, line breaks as spaces, without footnote numbers.
 */
static const char *
inlines_text(vb_lctx_t *lc, const vb_inline_t *in, int n)
{
    size_t len = 0;
    for (int p = 0; p < n; p++)
        for (int i = 0; i < in[p].n; i++)
            len += in[p].spans[i].len + 1;
    char *s = vb_arena_alloc(lc->arena, len + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (int p = 0; p < n; p++) {
        if (p > 0)
            s[o++] = ' ';
        for (int i = 0; i < in[p].n; i++)
            for (size_t k = 0; k < in[p].spans[i].len && !(in[p].spans[i].face & VB_SPAN_NOTE); k++) /* no note numbers */
                s[o++] = in[p].spans[i].text[k] == '\n' ? ' ' : in[p].spans[i].text[k];
    }
    s[o] = 0;
    return s;
}

static const char *
inline_text(vb_lctx_t *lc, const vb_inline_t *in)
{
    return inlines_text(lc, in, 1);
}

/*
 * Sets footnote k (0-based) as a chunk outside the flow: its number raised,
 * a space, its text, in the profile's footnote style across the text block.
 */
static vb_status_t
note_chunk(vb_lctx_t *lc, int k, vb_chunk_t **out, vb_diag_t *d)
{
    const vb_footnote_t *fn = &lc->model->notes[k];
    const vb_pfootnote_t *fp = &lc->profile->footnote;
    if (!fp->present)
        return vb_diag_set(d, VB_E_PROFILE, "layout.no-footnote", lc->model->source, fn->ref.line, fn->ref.col,
                           "The text has a footnote but the profile %s has no \"footnote\" settings.",
                           lc->profile->id);
    VB_VEC(vb_span_t) sp = {0};
    char *num = vb_arena_printf(lc->arena, "%d", k + 1);
    vb_span_t a = {num, num ? strlen(num) : 0, VB_SPAN_SUPER}, b = {" ", 1, 0};
    if (!num || VB_PUSH(lc->arena, sp, a) || VB_PUSH(lc->arena, sp, b))
        return vb_diag_nomem(d);
    for (int i = 0; i < fn->text.n; i++)
        if (VB_PUSH(lc->arena, sp, fn->text.spans[i]))
            return vb_diag_nomem(d);
    vb_inline_t in = {sp.v, sp.n};
    vb_lines_t lines;
    vb_status_t rc = vb_set_text(&lc->set, &in, &fp->style, lc->text_width, &lines, d);
    if (rc != VB_OK)
        return rc;
    vb_chunk_t *c = VB_NEW(lc->arena, vb_chunk_t);
    if (!c)
        return vb_diag_nomem(d);
    c->top = -1;
    vb_len_t A = vb_style_ascent(&lc->set, &fp->style);
    for (int l = 0; l < lines.n; l++) {
        rc = vb_chunk_add_line(lc, c, &lines.v[l], lc->text_left, A + l * fp->style.leading, d);
        if (rc != VB_OK)
            return rc;
    }
    c->height = c->fit = lines.n * fp->style.leading;
    *out = c;
    return VB_OK;
}

/*
 * Gives each line its footnotes: a note goes with the line of its first
 * reference (a run whose text is the reference span's own text).
 */
static vb_status_t
attach_notes(vb_lctx_t *lc, const vb_inline_t *text, const vb_lines_t *lines, vb_chunk_t **chunks, vb_diag_t *d)
{
    for (int i = 0; i < text->n; i++) {
        const vb_span_t *sp = &text->spans[i];
        if (!(sp->face & VB_SPAN_NOTE))
            continue;
        int k = 0;
        for (size_t j = 0; j < sp->len; j++)
            k = k * 10 + (sp->text[j] - '0');
        k--;
        if (k < 0 || k >= lc->model->nnotes || lc->notes[k])
            continue;
        for (int l = 0; l < lines->n; l++)
            for (int r = 0; r < lines->v[l].nruns; r++) {
                if (lines->v[l].runs[r].text != sp->text || lc->notes[k])
                    continue;
                /* the note's lines are its own box's, typed where the note is defined */
                int sg = lc->box_group, so = lc->box_outer;
                lc->box_group = vb_layout_group(lc, VB_DBOX_FOOTNOTE, "footnote", lc->model->notes[k].pos, 0);
                lc->box_outer = 0;
                vb_status_t rc = lc->box_group ? note_chunk(lc, k, &lc->notes[k], d) : vb_diag_nomem(d);
                lc->box_group = sg, lc->box_outer = so;
                if (rc != VB_OK)
                    return rc;
                vb_chunk_t *c = chunks[l];
                vb_chunk_t **v = VB_NEWN(lc->arena, vb_chunk_t *, c->nnotes + 1);
                if (!v)
                    return vb_diag_nomem(d);
                for (int q = 0; q < c->nnotes; q++)
                    v[q] = c->notes[q];
                v[c->nnotes++] = lc->notes[k];
                c->notes = v;
            }
    }
    return VB_OK;
}

/*
 * Sets a paragraph or heading as one chunk per line. keep_first: the first
 * that many lines are kept with what precedes it (after a heading: its
 * style's keep_with_next). keep_last: the last
 * lines kept together (a lead-in's, which go with the block after it).
 */
static vb_status_t
flow_text(vb_lctx_t *lc, const vb_inline_t *text, const vb_style_t *st, bool heading, int keep_first,
          int keep_last, vb_chunk_t **first_out, vb_diag_t *d)
{
    const vb_pbreak_t *br = &lc->profile->breaking;
    vb_lines_t lines;
    vb_status_t rc = vb_set_text(&lc->set, text, st, lc->text_width, &lines, d);
    if (rc != VB_OK)
        return rc;
    vb_len_t A = vb_style_ascent(&lc->set, st), D = vb_style_descent(&lc->set, st);
    int n = lines.n;
    vb_chunk_t **made = VB_NEWN(lc->arena, vb_chunk_t *, n ? n : 1);
    if (!made)
        return vb_diag_nomem(d);
    for (int k = 0; k < n; k++) {
        vb_chunk_t *c = vb_chunk_new(lc);
        if (!c)
            return vb_diag_nomem(d);
        if (k == 0 && first_out)
            *first_out = c;
        made[k] = c;
        c->height = st->leading;
        c->fit = A + D;
        if (k == 0) {
            c->space_before = st->space_before;
            c->keep_with_prev = keep_first > 0;
        } else {
            /* lines k (0-based) starts after k lines: allowed iff k >= orphans and n - k >= widows */
            c->keep_with_prev = heading || k < br->orphans || n - k < br->widows || n - k < keep_last || k < keep_first;
        }
        if (k == n - 1)
            c->height += st->space_after;
        rc = vb_chunk_add_line(lc, c, &lines.v[k], lc->text_left, A, d);
        if (rc != VB_OK)
            return rc;
    }
    return lc->model->nnotes ? attach_notes(lc, text, &lines, made, d) : VB_OK;
}

/* A paragraph's or heading's style with the alignment the source marked ("-> x <-"). */
static const vb_style_t *
aligned_style(const vb_lctx_t *lc, const vb_block_t *b, const vb_style_t *st, vb_style_t *tmp)
{
    if (b->align != VB_ALIGN_CENTER && b->align != VB_ALIGN_RIGHT)
        return st;
    if (b->kind == VB_BLOCK_PARA)
        return b->align == VB_ALIGN_CENTER ? &lc->profile->body_center : &lc->profile->body_right;
    *tmp = *st;
    tmp->align = b->align;
    tmp->indent = tmp->hang = 0;
    return tmp;
}

/*
 * A lead-in: a paragraph whose text ends with ':' ("… như sau:"), which
 * introduces the block after it (trailing spaces and footnote numbers aside).
 */
static bool
is_lead_in(const vb_inline_t *text)
{
    for (int i = text->n - 1; i >= 0; i--) {
        const vb_span_t *sp = &text->spans[i];
        if (sp->face & VB_SPAN_NOTE)
            continue;
        size_t k = sp->len;
        while (k > 0 && (sp->text[k - 1] == ' ' || sp->text[k - 1] == '\n'))
            k--;
        if (k > 0)
            return sp->text[k - 1] == ':';
    }
    return false;
}

/*
 * A lower bound on the pages, kept while the blocks are laid out, so that a
 * document over the pages limit is refused as soon as that is certain rather
 * than after every chunk of it is made (16 MiB of long paragraphs is 3500
 * pages of chunks). A chunk on a page ends its fit above the page's foot, so
 * the advances of a page's chunks add up to at most the text block's height
 * plus the last one's advance beyond its fit; chunks placed at a given top
 * (bands) are left out, and every forced break starts a page.
 */
typedef struct pagebound {
    int seen;             /* chunks counted so far */
    int64_t sum;          /* their advances */
    vb_len_t maxh;        /* the largest advance beyond a chunk's fit */
    vb_len_t maxtext;     /* the tallest text block (portrait or landscape) */
    int64_t breaks;       /* forced page breaks */
} pagebound_t;

static vb_status_t
check_pages(vb_lctx_t *lc, pagebound_t *pb, vb_diag_t *d)
{
    if (lc->max_pages <= 0)
        return VB_OK;
    if (pb->seen > lc->chunks.n)
        pb->seen = lc->chunks.n;
    for (; pb->seen < lc->chunks.n; pb->seen++) {
        const vb_chunk_t *c = lc->chunks.v[pb->seen];
        pb->breaks += c->break_before;
        if (c->absolute || c->anchor_bottom > 0 || c->top >= 0)
            continue;
        pb->sum += c->height > 0 ? c->height : 0;
        if (c->height - c->fit > pb->maxh)
            pb->maxh = c->height - c->fit;
    }
    if (lc->text_height > pb->maxtext)
        pb->maxtext = lc->text_height;
    int64_t per_page = (int64_t)pb->maxtext + pb->maxh;
    int64_t lower = pb->breaks + 1;
    if (per_page > 0 && pb->sum / per_page > lower)
        lower = pb->sum / per_page;
    if (lower > lc->max_pages)
        return vb_limit_fail(d, "layout.too-many-pages", lc->model ? lc->model->source : NULL, 0, 0, "pages",
                             "The document runs to more than %lld pages", (long long)lc->max_pages);
    return VB_OK;
}

static vb_status_t
flow_blocks(vb_lctx_t *lc, const vb_blocks_t *blocks, bool keep_first, pagebound_t *pb, vb_diag_t *d)
{
    const vb_profile_t *p = lc->profile;
    int keep_next = keep_first ? 1 : 0; /* lines of the next block kept with what came before */
    bool force_break = false;
    for (int i = 0; i < blocks->n; i++) {
        const vb_block_t *b = &blocks->v[i];
        vb_style_t tmp;
        int before = lc->chunks.n;
        vb_status_t rc = VB_OK;
        lc->set.at = b->pos; /* for layout.overfull */
        lc->box_group = lc->box_outer = 0;
        switch (b->kind) {
        case VB_BLOCK_PARA: {
            lc->box_group = vb_layout_group(lc, VB_DBOX_PARAGRAPH, "paragraph", b->pos, 0);
            if (!lc->box_group)
                return vb_diag_nomem(d);
            /* a lead-in keeps its last lines with the block it introduces (breaking.lead_in_keep) */
            int lead = i + 1 < blocks->n && p->breaking.lead_in_keep > 0 && is_lead_in(&b->text)
                           ? p->breaking.lead_in_keep
                           : 0;
            rc = flow_text(lc, &b->text, aligned_style(lc, b, &p->body, &tmp), false, keep_next, lead, NULL, d);
            keep_next = lead > 0 ? 1 : 0;
            break;
        }
        case VB_BLOCK_HEADING: {
            int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
            vb_chunk_t *first = NULL;
            lc->box_group = vb_layout_group(lc, VB_DBOX_PARAGRAPH, "heading", b->pos, 0);
            if (!lc->box_group)
                return vb_diag_nomem(d);
            rc = flow_text(lc, &b->text, aligned_style(lc, b, &p->headings[lv - 1], &tmp), true, keep_next, 0, &first,
                           d);
            if (rc == VB_OK && first) {
                first->outline_title = inline_text(lc, &b->text);
                first->outline_level = lv + 1; /* level 1 is the document title */
            }
            keep_next = p->headings[lv - 1].keep_with_next;
            break;
        }
        case VB_BLOCK_TABLE:
            rc = vb_table_layout(lc, b->table, d);
            /* a table's rows are its lines here: the first keep_next rows stay with what came before */
            for (int k = before; rc == VB_OK && k < lc->chunks.n && k < before + keep_next; k++)
                lc->chunks.v[k]->keep_with_prev = true;
            keep_next = 0;
            break;
        case VB_BLOCK_PAGEBREAK:
            force_break = true;
            break;
        case VB_BLOCK_IMAGE: {
            /* centred, as wide as asked (or its own size), never wider than the text block */
            vb_chunk_t *c = vb_chunk_new(lc);
            vb_ditem_t it;
            memset(&it, 0, sizeof it);
            if (!c)
                return vb_diag_nomem(d);
            it.kind = VB_DITEM_IMAGE;
            it.u.image.image = b->image;
            vb_image_size(b->image, lc->text_width, &it.u.image.w, &it.u.image.h);
            it.u.image.x = lc->text_left + (lc->text_width - it.u.image.w) / 2;
            it.u.image.y = 0;
            if (VB_PUSH(lc->arena, c->items, it))
                return vb_diag_nomem(d);
            vb_dgroup_t g = {.kind = VB_DBOX_IMAGE, .name = "image", .index = -1,
                             .span = vb_layout_span(lc, b->pos), .direct = true};
            if (!(lc->box_group = vb_dlist_add_group(lc->dl, &g)))
                return vb_diag_nomem(d);
            rc = vb_chunk_add_box(lc, c, VB_DBOX_IMAGE, it.u.image.x, it.u.image.y, it.u.image.w, it.u.image.h, d);
            if (rc != VB_OK)
                return rc;
            c->fit = it.u.image.h;
            c->height = it.u.image.h + p->body.space_after;
            c->pos = b->pos;
            c->what = "The image";
            c->space_before = p->body.space_after;
            c->keep_with_prev = keep_next > 0;
            keep_next = 0;
            break;
        }
        }
        lc->box_group = lc->box_outer = 0;
        if (rc != VB_OK)
            return rc;
        for (int k = before; k < lc->chunks.n; k++)
            if (lc->chunks.v[k]->pos.line == 0)
                lc->chunks.v[k]->pos = b->pos;
        if (force_break && lc->chunks.n > before) {
            lc->chunks.v[before]->break_before = true;
            lc->chunks.v[before]->keep_with_prev = false;
            force_break = false;
        }
        /* the bound moves only when a block's worth of chunks is known (every 64 blocks: it is cheap anyway) */
        if ((i & 63) == 63 || i == blocks->n - 1) {
            rc = check_pages(lc, pb, d);
            if (rc != VB_OK)
                return rc;
        }
    }
    lc->set.at = (vb_pos_t){0, 0};
    return VB_OK;
}

/*
 * The creation date for the PDF: from the options, else the document's date
 * at 00:00 local (+07:00). A document whose day is blank until issuance has
 * no day to give: it gets no /CreationDate (rather than a made-up day), and
 * its partial date is recorded as /VanbanDate ("2026-04", "2026").
 */
static void
set_info_date(const vb_model_t *m, const vb_layout_opts_t *o, vb_dinfo_t *info)
{
    time_t t = o && o->creation_time >= 0 ? (time_t)o->creation_time : 0;
    struct tm tm;
    /* a time past year 9999 fits no PDF date (and past 2^55 s gmtime fails): the document's date then */
    if (o && o->creation_time >= 0 && o->creation_time <= 253402300799 && gmtime_r(&t, &tm)) {
        info->year = tm.tm_year + 1900;
        info->month = tm.tm_mon + 1;
        info->day = tm.tm_mday;
        info->hour = tm.tm_hour;
        info->minute = tm.tm_min;
        info->second = tm.tm_sec;
        info->tz_minutes = 0;
        return;
    }
    if (m->meta.date.year && !m->meta.date.day) {
        info->year = 0;
        return;
    }
    info->year = m->meta.date.year ? m->meta.date.year : 2000;
    info->month = m->meta.date.month ? m->meta.date.month : 1;
    info->day = m->meta.date.day ? m->meta.date.day : 1;
    info->tz_minutes = 7 * 60; /* Vietnam */
}

static const char *
one_line(vb_arena_t *a, const char *s)
{
    if (!s)
        return NULL;
    char *c = vb_arena_strdup(a, s);
    if (!c)
        return NULL;
    for (char *p = c; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return c;
}

/*
 * A band for a landscape text block delta wider than the portrait one:
 * columns that span the text block widen with it, columns in its right half
 * move right with its right edge, the others stay.
 */
static vb_status_t
adapt_band(vb_lctx_t *lc, const vb_band_t *b, vb_len_t portrait_width, vb_len_t delta, vb_band_t *out, vb_diag_t *d)
{
    *out = *b;
    if (!b->present || delta == 0)
        return VB_OK;
    out->cols = VB_NEWN(lc->arena, vb_pcolumn_t, b->ncols ? b->ncols : 1);
    if (!out->cols)
        return vb_diag_nomem(d);
    vb_len_t left = lc->text_left, mid = left + portrait_width / 2;
    for (int i = 0; i < b->ncols; i++) {
        vb_pcolumn_t c = b->cols[i];
        if (c.x <= left && c.x + c.width >= left + portrait_width)
            c.width += delta;
        else if (c.x + c.width / 2 > mid)
            c.x += delta;
        out->cols[i] = c;
    }
    return VB_OK;
}

/*
 * An appendix goes on landscape pages when it asks, or when one of its tables
 * cannot fit the text block even with every cell wrapped to its widest word.
 */
static vb_status_t
wants_landscape(vb_lctx_t *lc, const vb_appendix_t *ap, bool *out, vb_diag_t *d)
{
    *out = ap->landscape;
    if (*out || !lc->profile->appendix.auto_landscape)
        return VB_OK;
    for (int i = 0; i < ap->blocks.n && !*out; i++) {
        if (ap->blocks.v[i].kind != VB_BLOCK_TABLE)
            continue;
        int64_t w = 0;
        vb_status_t rc = vb_table_min_width(lc, ap->blocks.v[i].table, &w, d);
        if (rc != VB_OK)
            return rc;
        if (w > lc->text_width)
            *out = true;
    }
    return VB_OK;
}

static vb_status_t
layout_appendix(vb_lctx_t *lc, const vb_appendix_t *ap, pagebound_t *pb, vb_diag_t *d)
{
    const vb_profile_t *p = lc->profile;
    lc->appendix = ap;
    bool land = false;
    vb_status_t rc = wants_landscape(lc, ap, &land, d);
    if (rc != VB_OK)
        return rc;
    vb_len_t portrait = lc->text_width, delta = 0;
    vb_band_t header = p->appendix.header, title = p->appendix.title;
    if (land) {
        /* the page turns: its width is the portrait height; the margins keep their sides */
        lc->text_width = p->page_height - p->margin_left - p->margin_right;
        lc->text_height = p->page_width - p->margin_top - p->margin_bottom;
        delta = lc->text_width - portrait;
        rc = adapt_band(lc, &p->appendix.header, portrait, delta, &header, d);
        if (rc == VB_OK)
            rc = adapt_band(lc, &p->appendix.title, portrait, delta, &title, d);
        if (rc != VB_OK)
            return rc;
    }
    int first = lc->chunks.n;
    vb_chunk_t *c = NULL, *cl = NULL;
    rc = vb_band_flow(lc, &header, ap->pos, &c, &cl, d);
    int after_header = lc->chunks.n;
    if (rc == VB_OK)
        rc = vb_band_flow(lc, &title, ap->pos, &c, &cl, d);
    if (rc == VB_OK && c && after_header > first)
        c->keep_with_prev = true;
    for (int k = first; rc == VB_OK && k < lc->chunks.n; k++)
        lc->chunks.v[k]->what = "The appendix title block";
    if (rc == VB_OK && lc->chunks.n > first) {
        vb_chunk_t *f = lc->chunks.v[first];
        f->break_before = p->appendix.new_page || land;
        f->restart_numbers = p->appendix.restart_page_numbers;
        f->outline_level = 1;
        /* an appendix printed without its label is named by its title lines */
        f->outline_title = ap->nolabel ? inlines_text(lc, ap->title, ap->ntitle) : inline_text(lc, &ap->label);
    }
    if (rc == VB_OK)
        rc = flow_blocks(lc, &ap->blocks, lc->chunks.n > first, pb, d);
    if (rc == VB_OK && land) {
        for (int k = first; k < lc->chunks.n; k++)
            lc->chunks.v[k]->landscape = true;
        /* the page after a landscape appendix turns back */
    }
    lc->text_width = portrait;
    lc->text_height = p->page_height - p->margin_top - p->margin_bottom;
    lc->appendix = NULL;
    return rc;
}

vb_status_t
vb_layout(const vb_model_t *model, const vb_profile_t *profile, const vb_fontset_t *fonts,
          const vb_layout_opts_t *opts, vb_dlist_t *dl, vb_diag_t *d)
{
    vb_lctx_t lc;
    memset(&lc, 0, sizeof lc);
    pagebound_t pb;
    memset(&pb, 0, sizeof pb);
    lc.arena = dl->arena;
    lc.dl = dl;
    lc.model = model;
    lc.profile = profile;
    lc.set.fonts = fonts;
    lc.set.arena = dl->arena;
    lc.set.brk = &profile->breaking;
    lc.set.greedy = opts && opts->greedy;
    lc.set.script = &profile->script;
    lc.set.sink = opts ? opts->sink : NULL;
    lc.set.source = model->source;
    if (model->nnotes && !(lc.notes = VB_NEWN(lc.arena, vb_chunk_t *, model->nnotes)))
        return vb_diag_nomem(d);
    lc.text_left = profile->margin_left;
    lc.text_width = profile->page_width - profile->margin_left - profile->margin_right;
    lc.text_height = profile->page_height - profile->margin_top - profile->margin_bottom;
    lc.date_text = format_date(&lc, &model->meta.date);
    lc.duplex = profile->has_duplex && ((opts && opts->duplex) || model->meta.duplex);
    lc.max_pages = opts ? opts->max_pages : 0;
    const vb_meta_t *m = &model->meta;

    /* page 1: the overlay (outside the flow), the header, the footer (kept aside), the title */
    vb_chunk_t *c = NULL;
    vb_status_t rc = vb_band_layout(&lc, &profile->overlay, &c, d);
    bool have_overlay = rc == VB_OK && c;
    if (have_overlay) {
        c->absolute = true;
        c->height = c->fit = 0;
    }
    vb_chunk_t *cl = NULL;
    vb_pos_t top_pos = {1, 1};
    if (rc == VB_OK)
        rc = vb_band_flow(&lc, &profile->header, top_pos, &c, &cl, d);
    if (rc == VB_OK && c && have_overlay)
        c->keep_with_prev = true;
    if (rc == VB_OK) {
        vb_chunk_t *f = NULL;
        rc = vb_band_layout(&lc, &profile->first_footer, &f, d);
        if (rc == VB_OK && f) {
            lc.chunks.n--; /* not in the flow: paginate keeps room for it at the foot of page 1 */
            f->anchor_bottom = profile->first_footer.bottom;
            lc.first_footer = f;
        }
    }
    int before_title = lc.chunks.n;
    vb_pos_t title_pos = m->title.pos.line ? m->title.pos : m->kind.pos.line ? m->kind.pos : top_pos;
    if (rc == VB_OK)
        rc = vb_band_flow(&lc, &profile->title, title_pos, &c, &cl, d);
    for (int k = before_title; rc == VB_OK && k < lc.chunks.n; k++)
        lc.chunks.v[k]->what = "The title block";
    if (rc == VB_OK && lc.chunks.n > before_title) {
        c->keep_with_prev = true;
        c->outline_level = 1;
        c->outline_title = one_line(lc.arena, m->title.text ? m->title.text : m->kind.text);
    }
    if (rc == VB_OK)
        rc = flow_blocks(&lc, &model->body, lc.chunks.n > 0, &pb, d);

    /* the closing block, kept with the last lines of the body, and the last page's footer */
    if (rc == VB_OK) {
        int last = lc.chunks.n;
        const vb_band_t *closing =
            m->nsigners > 1 && profile->closing_joint.present ? &profile->closing_joint : &profile->closing;
        rc = vb_band_flow(&lc, closing,
                          m->signer.authority.pos.line ? m->signer.authority.pos
                          : m->recipients_pos.line     ? m->recipients_pos
                                                       : top_pos,
                          &c, &cl, d);
        for (int k = last; rc == VB_OK && k < lc.chunks.n; k++)
            lc.chunks.v[k]->what = "The closing block (Nơi nhận and the signer)";
        if (rc == VB_OK && c) {
            c->keep_with_prev = true;
            for (int k = 1; k < profile->breaking.closing_keep && last - k > 0; k++)
                lc.chunks.v[last - k]->keep_with_prev = true;
        }
    }
    if (rc == VB_OK) {
        vb_chunk_t *f = NULL;
        rc = vb_band_layout(&lc, &profile->last_footer, &f, d);
        if (rc == VB_OK && f) {
            f->keep_with_prev = true;
            f->anchor_bottom = profile->last_footer.bottom;
        }
    }
    for (int i = 0; rc == VB_OK && i < model->nappendices; i++)
        rc = layout_appendix(&lc, &model->appendices[i], &pb, d);
    if (rc != VB_OK) {
        vb_set_finish(&lc.set);
        return rc;
    }

    if (m->kind.text && m->title.text)
        dl->info.title = vb_arena_printf(lc.arena, "%s %s", m->kind.text, one_line(lc.arena, m->title.text));
    else
        dl->info.title = one_line(lc.arena, m->title.text ? m->title.text : m->kind.text);
    dl->info.author = one_line(lc.arena, m->issuer.text);
    dl->info.subject = m->number.text ? vb_arena_printf(lc.arena, "Số %s", m->number.text) : NULL;
    dl->info.keywords = profile->id;
    dl->info.profile = profile->name ? vb_arena_printf(lc.arena, "%s (%s)", profile->id, profile->name) : profile->id;
    dl->info.creator = opts && opts->creator ? opts->creator : "vanban " VB_VERSION_STRING;
    set_info_date(model, opts, &dl->info);
    if (m->number_blank && m->number.text)
        dl->info.subject = vb_arena_printf(lc.arena, "Số \xE2\x80\xA6%s" /* "Số …/KH-UBND" */, m->number.text);
    if (m->number_blank || (m->date.year && !m->date.day)) {
        /* /VanbanBlank: what the văn thư fills at issuance */
        dl->info.blank = vb_arena_printf(lc.arena, "%s%s%s", m->number_blank ? "number" : "",
                                         m->number_blank && !m->date.day ? " " : "",
                                         !m->date.day ? (m->date.month ? "day" : "day month") : "");
        if (!m->date.day)
            dl->info.doc_date = m->date.month ? vb_arena_printf(lc.arena, "%04d-%02d", m->date.year, m->date.month)
                                              : vb_arena_printf(lc.arena, "%04d", m->date.year);
    }
    dl->info.duplex = lc.duplex;
    /* a reference outside the text's paragraphs (an appendix title) has no line to carry its note */
    for (int k = 0; k < model->nnotes; k++)
        if (!lc.notes[k]) {
            vb_set_finish(&lc.set);
            return vb_diag_set(d, VB_E_INPUT, "layout.footnote-unplaced", model->source, model->notes[k].ref.line,
                               model->notes[k].ref.col,
                               "The footnote [^%s] is referred to where no footnote can be printed (an appendix "
                               "title): refer to it in a paragraph or a heading of the text.",
                               model->notes[k].label);
        }
    rc = vb_paginate(&lc, dl, d);
    vb_set_finish(&lc.set);
    /* the boxes around groups; then the display list takes copies of what it refers to, so it owns its memory */
    if (rc == VB_OK && (vb_dlist_group_boxes(dl) != 0 || vb_dlist_own(dl) != 0))
        rc = vb_diag_nomem(d);
    /* the fields of the signed-ready PDF, where the boxes and the gaps are */
    if (rc == VB_OK)
        rc = vb_sign_fields(dl, profile, model->nappendices, d);
    return rc;
}
