/*
 * band.c - setting a band of the profile: columns of templated items set side
 * by side from one top (the page-1 header, the title block, the closing block,
 * the appendix header and title). See profile.h for the item kinds.
 *
 * Each item is set once (templates expanded, text broken into lines inside
 * its column); then the items are placed top-down in each column. Items that
 * share a sync name across columns ("Số …" and the place/date line; "Nơi
 * nhận:" and the signer's authority) must share one baseline: the higher one
 * is moved down to the lower, and everything after it in its column follows.
 * That is repeated until nothing moves (a few passes at most, since items
 * only ever move down).
 */
#include <string.h>

#include "layout.h"

typedef struct setitem {
    const vb_pitem_t *it;
    vb_style_t style;
    vb_lines_t lines;         /* TEXT: the set lines; LIST: all entries' lines */
    bool skip;
    vb_len_t extra;           /* downward shift from baseline syncing */
    vb_len_t base;            /* first baseline from the last placement */
} setitem_t;

typedef struct tmpl_out {
    VB_VEC(vb_span_t) spans;
    int nfields, nempty;
} tmpl_out_t;

static int
add_span(vb_arena_t *a, tmpl_out_t *o, const char *s, size_t n, uint8_t face)
{
    if (n == 0)
        return 0;
    vb_span_t sp = {s, n, face};
    return VB_PUSH(a, o->spans, sp);
}

static const char *
field_text(const vb_lctx_t *lc, const char *name, size_t n)
{
    const vb_meta_t *m = &lc->model->meta;
#define F(key, val)                                         \
    if (n == sizeof(key) - 1 && memcmp(name, key, n) == 0) \
        return (val);
    F("parent", m->parent.text)
    F("issuer", m->issuer.text)
    F("number", m->number.text)
    F("place", m->place.text)
    F("date", lc->date_text)
    F("kind", m->kind.text)
    F("authority", m->signer.authority.text)
    F("post", m->signer.post.text)
    F("name", m->signer.name.text)
    if (!lc->appendix)
        F("title", m->title.text)
#undef F
    return NULL;
}

/*
 * Expands a template into inline text: literal parts in face 0, field values
 * as text (the appendix label and title keep their own faces).
 */
static vb_status_t
expand(vb_lctx_t *lc, const char *tmpl, vb_inline_t *out, bool *all_empty, vb_diag_t *d)
{
    vb_arena_t *a = lc->arena;
    tmpl_out_t o;
    memset(&o, 0, sizeof o);
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            if (add_span(a, &o, p, strlen(p), 0))
                return vb_diag_nomem(d);
            break;
        }
        if (add_span(a, &o, p, (size_t)(open - p), 0))
            return vb_diag_nomem(d);
        const char *name = open + 1;
        size_t n = (size_t)(close - name);
        o.nfields++;
        const vb_appendix_t *ap = lc->appendix;
        if (ap && n == 5 && !memcmp(name, "label", 5)) {
            if (ap->label.n == 0)
                o.nempty++;
            for (int i = 0; i < ap->label.n; i++)
                if (VB_PUSH(a, o.spans, ap->label.spans[i]))
                    return vb_diag_nomem(d);
        } else if (ap && n == 5 && !memcmp(name, "title", 5)) {
            if (ap->ntitle == 0)
                o.nempty++;
            for (int t = 0; t < ap->ntitle; t++) {
                if (t > 0 && add_span(a, &o, "\n", 1, 0))
                    return vb_diag_nomem(d);
                for (int i = 0; i < ap->title[t].n; i++)
                    if (VB_PUSH(a, o.spans, ap->title[t].spans[i]))
                        return vb_diag_nomem(d);
            }
        } else {
            const char *v = field_text(lc, name, n);
            if (!v || !*v)
                o.nempty++;
            else if (add_span(a, &o, v, strlen(v), 0))
                return vb_diag_nomem(d);
        }
        p = close + 1;
    }
    out->spans = o.spans.v;
    out->n = o.spans.n;
    *all_empty = o.nfields > 0 && o.nempty == o.nfields;
    return VB_OK;
}

static bool
ends_in_punct(const char *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return false;
    char c = s[n - 1];
    return c == ',' || c == ';' || c == '.' || c == ':';
}

/* Sets the entries of a LIST item one under the other. */
static vb_status_t
set_list(vb_lctx_t *lc, const vb_pcolumn_t *col, setitem_t *si, vb_diag_t *d)
{
    const vb_meta_t *m = &lc->model->meta;
    const vb_pitem_t *it = si->it;
    if (!it->list || strcmp(it->list, "recipients") != 0 || m->nrecipients == 0) {
        si->skip = true;
        return VB_OK;
    }
    const char *marker = it->marker ? it->marker : "";
    vb_inline_t mk = {&(vb_span_t){marker, strlen(marker), 0}, 1};
    vb_len_t mw = 0, ww = 0;
    vb_status_t rc = vb_text_measure(&lc->set, &mk, &si->style, &mw, &ww, d);
    if (rc != VB_OK)
        return rc;
    vb_style_t st = si->style;
    st.hang = mw;
    VB_VEC(vb_line_t) all = {0};
    for (int i = 0; i < m->nrecipients; i++) {
        const char *e = m->recipients[i].text;
        size_t n = strlen(e);
        bool last = i == m->nrecipients - 1;
        const char *sep = last ? it->last_separator : it->separator;
        if (!sep || ends_in_punct(e, n))
            sep = "";
        char *txt = vb_arena_printf(lc->arena, "%s%s%s", marker, e, sep);
        if (!txt)
            return vb_diag_nomem(d);
        vb_span_t *sp = VB_NEW(lc->arena, vb_span_t);
        if (!sp)
            return vb_diag_nomem(d);
        sp->text = txt;
        sp->len = strlen(txt);
        vb_inline_t in = {sp, 1};
        vb_lines_t ls;
        rc = vb_set_text(&lc->set, &in, &st, col->width, &ls, d);
        if (rc != VB_OK)
            return rc;
        for (int k = 0; k < ls.n; k++)
            if (VB_PUSH(lc->arena, all, ls.v[k]))
                return vb_diag_nomem(d);
    }
    si->lines.v = all.v;
    si->lines.n = all.n;
    return VB_OK;
}

/* Places one column's items; emits into c when c is not NULL. Returns the column height. */
static vb_status_t
place_column(vb_lctx_t *lc, const vb_pcolumn_t *col, setitem_t *items, vb_chunk_t *c, vb_len_t *height,
             vb_diag_t *d)
{
    int64_t cursor = 0;
    for (int i = 0; i < col->n; i++) {
        setitem_t *si = &items[i];
        const vb_pitem_t *it = si->it;
        if (si->skip)
            continue;
        if (it->kind == VB_PITEM_SPACE) {
            if (c && it->box) {
                vb_ditem_t *di = VB_NEW(lc->arena, vb_ditem_t);
                if (!di)
                    return vb_diag_nomem(d);
                di->kind = VB_DITEM_BOX;
                di->u.box.name = it->box;
                di->u.box.x = col->x;
                di->u.box.y = (vb_len_t)cursor;
                di->u.box.w = col->width;
                di->u.box.h = it->height;
                if (VB_PUSH(lc->arena, c->items, *di))
                    return vb_diag_nomem(d);
            }
            if (it->sync) {
                /* a synced space is an empty line whose leading is its height */
                vb_len_t A = vb_style_ascent(&lc->set, &si->style);
                int64_t base = cursor + si->extra + A;
                si->base = (vb_len_t)base;
                cursor = base + it->height - A;
            } else {
                cursor += it->height + si->extra;
            }
            continue;
        }
        const vb_style_t *st = &si->style;
        vb_len_t A = vb_style_ascent(&lc->set, st);
        int64_t base = cursor + st->space_before + A + si->extra;
        si->base = (vb_len_t)base;
        int64_t last = base;
        vb_len_t wx0 = 0, wx1 = 0;
        for (int k = 0; k < si->lines.n; k++) {
            const vb_line_t *ln = &si->lines.v[k];
            last = base + (int64_t)k * st->leading;
            if (ln->x1 - ln->x0 > wx1 - wx0)
                wx0 = ln->x0, wx1 = ln->x1;
            if (!c)
                continue;
            vb_status_t rc = vb_chunk_add_line(lc, c, ln, col->x, (vb_len_t)last, d);
            if (rc != VB_OK)
                return rc;
            if (st->underline) {
                const vb_font_t *f = vb_fontset_face(lc->set.fonts, (vb_face_t)(st->face & 3));
                const vb_font_info_t *fi = vb_font_info(f);
                vb_len_t th = fi->underline_thickness ? vb_font_scale(f, fi->underline_thickness, st->size)
                                                      : st->size / 20;
                vb_len_t pos = fi->underline_position ? vb_font_scale(f, -fi->underline_position, st->size)
                                                      : st->size / 10;
                rc = vb_chunk_add_rule(lc, c, col->x + ln->x0, (vb_len_t)last + pos + th / 2, col->x + ln->x1,
                                       (vb_len_t)last + pos + th / 2, th, d);
                if (rc != VB_OK)
                    return rc;
            }
        }
        cursor = last + (st->leading - A) + st->space_after;
        if (it->rule.mode != VB_RULE_NONE) {
            int64_t len = wx1 - wx0;
            if (it->rule.mode == VB_RULE_RATIO)
                len = len * it->rule.ratio / 1000;
            else if (it->rule.mode == VB_RULE_FIXED)
                len = it->rule.length;
            int64_t mid = col->x + (wx0 + wx1) / 2;
            int64_t x1 = st->align == VB_ALIGN_LEFT ? col->x + wx0 : mid - len / 2;
            int64_t y = last + it->rule.below;
            if (c) {
                vb_status_t rc = vb_chunk_add_rule(lc, c, (vb_len_t)x1, (vb_len_t)y, (vb_len_t)(x1 + len),
                                                   (vb_len_t)y, it->rule.width, d);
                if (rc != VB_OK)
                    return rc;
            }
            int64_t below = y + it->rule.width / 2 + it->rule.space_after;
            if (below > cursor)
                cursor = below;
        }
    }
    *height = (vb_len_t)cursor;
    return VB_OK;
}

vb_status_t
vb_band_layout(vb_lctx_t *lc, const vb_band_t *band, vb_chunk_t **out, vb_diag_t *d)
{
    *out = NULL;
    if (!band->present || band->ncols == 0)
        return VB_OK;
    vb_chunk_t *c = vb_chunk_new(lc);
    if (!c)
        return vb_diag_nomem(d);
    setitem_t **cols = VB_NEWN(lc->arena, setitem_t *, band->ncols);
    if (!cols)
        return vb_diag_nomem(d);
    /* set every item once */
    for (int ci = 0; ci < band->ncols; ci++) {
        const vb_pcolumn_t *col = &band->cols[ci];
        cols[ci] = VB_NEWN(lc->arena, setitem_t, col->n ? col->n : 1);
        if (!cols[ci])
            return vb_diag_nomem(d);
        for (int i = 0; i < col->n; i++) {
            setitem_t *si = &cols[ci][i];
            si->it = &col->items[i];
            si->style = col->items[i].style;
            vb_status_t rc = VB_OK;
            if (si->it->kind == VB_PITEM_TEXT) {
                vb_inline_t in;
                bool empty = false;
                rc = expand(lc, si->it->text ? si->it->text : "", &in, &empty, d);
                if (rc != VB_OK)
                    return rc;
                if (empty || in.n == 0) {
                    if (si->it->required)
                        return vb_diag_set(d, VB_E_INPUT, "frontmatter.missing", lc->model->source, 1, 1,
                                           "The profile %s needs a value for \"%s\" in the front matter.",
                                           lc->profile->id, si->it->text);
                    si->skip = true;
                    continue;
                }
                rc = vb_set_text(&lc->set, &in, &si->style, col->width, &si->lines, d);
            } else if (si->it->kind == VB_PITEM_LIST) {
                rc = set_list(lc, col, si, d);
            }
            if (rc != VB_OK)
                return rc;
        }
    }
    /* sync baselines: items only move down, so this settles */
    for (int pass = 0; pass < 8; pass++) {
        vb_len_t h;
        for (int ci = 0; ci < band->ncols; ci++) {
            vb_status_t rc = place_column(lc, &band->cols[ci], cols[ci], NULL, &h, d);
            if (rc != VB_OK)
                return rc;
        }
        bool moved = false;
        for (int ci = 0; ci < band->ncols; ci++) {
            for (int i = 0; i < band->cols[ci].n; i++) {
                setitem_t *si = &cols[ci][i];
                if (si->skip || !si->it->sync || si->it->kind == VB_PITEM_LIST)
                    continue;
                vb_len_t target = si->base;
                for (int cj = 0; cj < band->ncols; cj++)
                    for (int j = 0; j < band->cols[cj].n; j++) {
                        setitem_t *sj = &cols[cj][j];
                        if (!sj->skip && sj->it->sync && sj->it->kind != VB_PITEM_LIST &&
                            !strcmp(sj->it->sync, si->it->sync) && sj->base > target)
                            target = sj->base;
                    }
                if (target > si->base) {
                    si->extra += target - si->base;
                    moved = true;
                }
            }
        }
        if (!moved)
            break;
    }
    vb_len_t height = 0;
    for (int ci = 0; ci < band->ncols; ci++) {
        vb_len_t h;
        vb_status_t rc = place_column(lc, &band->cols[ci], cols[ci], c, &h, d);
        if (rc != VB_OK)
            return rc;
        if (h > height)
            height = h;
    }
    c->height = height + band->space_after;
    c->fit = height;
    c->space_before = band->space_before;
    c->top = band->top;
    *out = c;
    return VB_OK;
}
