/*
 * sigfields.c - the fields of a signed-ready PDF, from the display list.
 *
 * Signature fields. A signer's box (VB_DBOX_SIGNATURE, the profile's `space`
 * item with `box: signature`) is the gap between the post and the name,
 * across its column. The signer's field is the profile's default size,
 * clamped to the gap, centred in it (the column is centred on the signer's
 * lines), rounded inwards to whole points so that it stays inside the gap.
 * The seal's field is a square of the seal's diameter, centred vertically on
 * the signer's field, its right edge `overlap` of the way into it (ND30,
 * Phụ lục I: the seal covers about a third of the signature, on its left),
 * kept on the page. The signers are numbered by their index (0: the first
 * signer), whatever column they stand in.
 *
 * An appendix's field: the top right of its first page, in the top margin
 * right above the text block (ND30: "góc trên, bên phải, trang đầu").
 *
 * Text fields. band.c records, for each band item, the gaps it printed for
 * blank fields (number, day, month) as runs of no-break spaces; the k-th run
 * of exactly that many no-break spaces in the item's text is its k-th gap.
 * Its field starts at the first space's origin, is as wide as the gap, and
 * as tall as the line box it lies in, rounded outwards to whole points.
 * Fields in an appendix (its "Kèm theo" line) get the appendix's suffix.
 */
#include <stdlib.h>
#include <string.h>

#include "sigfields.h"

#define PT 1000

static vb_len_t
floor_pt(vb_len_t v)
{
    return (vb_len_t)(v >= 0 ? v / PT * PT : -((-(int64_t)v + PT - 1) / PT) * PT);
}

static vb_len_t
ceil_pt(vb_len_t v)
{
    return -floor_pt(-v);
}

static vb_len_t
round_pt(vb_len_t v)
{
    return floor_pt(v + PT / 2);
}

typedef enum { ROUND_IN, ROUND_OUT, ROUND_NEAR } rounding_t;

/*
 * The rectangle x0..x1, y0..y1 (top-left origin) rounded to whole points in
 * the PDF's own coordinates (origin bottom-left, page height ph), so that the
 * /Rect and the sidecar's [llx, lly, urx, ury] are whole numbers; into f.
 * Inwards keeps it inside, outwards keeps it around what it covers. false
 * when nothing is left.
 */
static bool
set_rect(vb_dfield_t *f, vb_len_t ph, vb_len_t x0, vb_len_t y0, vb_len_t x1, vb_len_t y1, rounding_t how)
{
    vb_len_t llx = x0, urx = x1, lly = ph - y1, ury = ph - y0;
    if (how == ROUND_IN)
        llx = ceil_pt(llx), lly = ceil_pt(lly), urx = floor_pt(urx), ury = floor_pt(ury);
    else if (how == ROUND_OUT)
        llx = floor_pt(llx), lly = floor_pt(lly), urx = ceil_pt(urx), ury = ceil_pt(ury);
    else
        llx = round_pt(llx), lly = round_pt(lly), urx = round_pt(urx), ury = round_pt(ury);
    if (urx <= llx || ury <= lly)
        return false;
    f->x = llx, f->w = urx - llx, f->y = ph - ury, f->h = ury - lly;
    return true;
}

typedef struct fctx {
    vb_dlist_t *dl;
    const vb_psigning_t *s;
    VB_VEC(vb_dfield_t) out;
    vb_diag_t *d;
} fctx_t;

/* base, then suffix and n when n is not 0 ("Sig_NguoiKy" "_" 2: "Sig_NguoiKy_2"). */
static const char *
field_name(fctx_t *c, const char *base, const char *suffix, int n)
{
    return n ? vb_arena_printf(c->dl->arena, "%s%s%d", base, suffix, n) : vb_arena_strdup(c->dl->arena, base);
}

/* A field over x0..x1, y0..y1 (top-left origin, rounded as how says); 0 also when it rounds to nothing. */
static int
add_field(fctx_t *c, vb_dfield_role_t role, const vb_psignfield_t *pf, const char *suffix, int n, int page,
          int index, vb_len_t x0, vb_len_t y0, vb_len_t x1, vb_len_t y1, rounding_t how, vb_len_t size)
{
    vb_dfield_t f = {.role = role, .page = page, .index = index, .size = size};
    if (!set_rect(&f, c->dl->pages[page].height, x0, y0, x1, y1, how))
        return 0;
    f.name = field_name(c, pf->name, suffix, n);
    f.label = vb_arena_strdup(c->dl->arena, pf->label);
    if (!f.name || !f.label)
        return -1;
    return VB_PUSH(c->dl->arena, c->out, f);
}

/* x0..x1 clamped to 0..limit, keeping its width where it fits. */
static void
keep_inside(vb_len_t *x, vb_len_t w, vb_len_t limit)
{
    if (*x + w > limit)
        *x = limit - w;
    if (*x < 0)
        *x = 0;
}

typedef struct sigbox {
    int page, index;
    const vb_dbox_t *b;
} sigbox_t;

static vb_status_t
signature_fields(fctx_t *c)
{
    const vb_dlist_t *dl = c->dl;
    const vb_psigning_t *s = c->s;
    if (!s->signer.name)
        return VB_OK;
    VB_VEC(sigbox_t) boxes = {0};
    for (int p = 0; p < dl->npages; p++)
        for (int i = 0; i < dl->pages[p].n; i++) {
            const vb_ditem_t *it = &dl->pages[p].items[i];
            if (it->kind != VB_DITEM_BOX || it->u.box.kind != VB_DBOX_SIGNATURE)
                continue;
            vb_dboxinfo_t in;
            vb_dbox_info(dl, &it->u.box, &in);
            sigbox_t sb = {p, in.index > 0 ? in.index : 0, &it->u.box};
            if (VB_PUSH(dl->arena, boxes, sb))
                return vb_diag_nomem(c->d);
        }
    /* by signer: the first signer's fields first, wherever its column stands (insertion sort: a few boxes) */
    for (int i = 1; i < boxes.n; i++)
        for (int j = i; j > 0 && boxes.v[j - 1].index > boxes.v[j].index; j--) {
            sigbox_t t = boxes.v[j];
            boxes.v[j] = boxes.v[j - 1];
            boxes.v[j - 1] = t;
        }
    for (int i = 0; i < boxes.n; i++) {
        const vb_dbox_t *g = boxes.v[i].b;
        const vb_dpage_t *pg = &dl->pages[boxes.v[i].page];
        vb_len_t w = s->signer.width < g->w ? s->signer.width : g->w;
        vb_len_t h = s->signer.height < g->h ? s->signer.height : g->h;
        vb_len_t x = g->x + (g->w - w) / 2, y = g->y + (g->h - h) / 2;
        int n = boxes.v[i].index, page = boxes.v[i].page;
        /* inwards to whole points: inside the gap */
        size_t before = (size_t)c->out.n;
        if (add_field(c, VB_DFIELD_SIGNER, &s->signer, s->next_signer, n ? n + 1 : 0, page, n, x, y, x + w, y + h,
                      ROUND_IN, 0))
            return vb_diag_nomem(c->d);
        if ((size_t)c->out.n == before || !s->seal.name)
            continue; /* a gap under a point has nothing to sign in */
        const vb_dfield_t *sf = &c->out.v[c->out.n - 1];
        vb_len_t dia = round_pt(s->seal.width);
        vb_len_t right = sf->x + (vb_len_t)((int64_t)sf->w * s->seal_overlap / 1000);
        vb_len_t sx = right - dia, sy = sf->y + sf->h / 2 - dia / 2;
        keep_inside(&sx, dia, pg->width);
        keep_inside(&sy, dia, pg->height);
        if (add_field(c, VB_DFIELD_SEAL, &s->seal, s->next_signer, n ? n + 1 : 0, page, n, sx, sy, sx + dia, sy + dia,
                      ROUND_NEAR, 0))
            return vb_diag_nomem(c->d);
    }
    return VB_OK;
}

/* The first page of each appendix: the last nappendices level-1 outline entries; -1 when not found. */
static void
appendix_pages(const vb_dlist_t *dl, int nappendices, int *first)
{
    int k = nappendices;
    for (int i = dl->noutline - 1; i >= 0 && k > 0; i--)
        if (dl->outline[i].level == 1)
            first[--k] = dl->outline[i].page;
    for (int i = 0; i < k; i++)
        first[i] = -1;
}

/* The appendix page p belongs to (0-based), or -1 for the main text. */
static int
appendix_of(const int *first, int nappendices, int p)
{
    int a = -1;
    for (int i = 0; i < nappendices; i++)
        if (first[i] >= 0 && p >= first[i])
            a = i;
    return a;
}

static vb_status_t
appendix_fields(fctx_t *c, const int *first, int nappendices)
{
    const vb_psigning_t *s = c->s;
    if (!s->appendix.name)
        return VB_OK;
    for (int i = 0; i < nappendices; i++) {
        if (first[i] < 0)
            continue;
        const vb_dpage_t *pg = &c->dl->pages[first[i]];
        const vb_dbox_t *tb = NULL;
        for (int k = 0; k < pg->n && !tb; k++)
            if (pg->items[k].kind == VB_DITEM_BOX && pg->items[k].u.box.kind == VB_DBOX_TEXT_BLOCK)
                tb = &pg->items[k].u.box;
        if (!tb)
            continue;
        /* in the top margin, right above the text block, flush with its right edge */
        vb_len_t w = s->appendix.width, h = s->appendix.height;
        vb_len_t x = tb->x + tb->w - w, y = tb->y - h;
        keep_inside(&x, w, pg->width);
        keep_inside(&y, h, pg->height);
        if (add_field(c, VB_DFIELD_APPENDIX, &s->appendix, s->next_signer, i ? i + 1 : 0, first[i], i, x, y, x + w,
                      y + h, ROUND_IN, 0))
            return vb_diag_nomem(c->d);
    }
    return VB_OK;
}

static bool
is_nbsp(const vb_drun_t *r, int i)
{
    const vb_dglyph_t *g = &r->glyphs[i];
    return g->text_len == 2 && (size_t)g->text_off + 2 <= r->text_len && (unsigned char)r->text[g->text_off] == 0xC2 &&
           (unsigned char)r->text[g->text_off + 1] == 0xA0;
}

/* The line box of page pg around the point (x, baseline); NULL when none. */
static const vb_dbox_t *
line_box(const vb_dpage_t *pg, vb_len_t x, vb_len_t base)
{
    for (int k = 0; k < pg->n; k++) {
        const vb_ditem_t *it = &pg->items[k];
        if (it->kind != VB_DITEM_BOX || it->u.box.kind != VB_DBOX_LINE)
            continue;
        const vb_dbox_t *b = &it->u.box;
        if (b->y <= base && base <= b->y + b->h && b->x <= x && x < b->x + b->w)
            return b;
    }
    return NULL;
}

static vb_status_t
gap_fields(fctx_t *c, const int *first, int nappendices)
{
    vb_dlist_t *dl = c->dl;
    const vb_psigning_t *s = c->s;
    int *seen = dl->ngroups ? calloc((size_t)dl->ngroups, sizeof *seen) : NULL; /* gaps found so far, per group */
    if (dl->ngroups && !seen)
        return vb_diag_nomem(c->d);
    vb_status_t rc = VB_OK;
    for (int p = 0; p < dl->npages && rc == VB_OK; p++) {
        const vb_dpage_t *pg = &dl->pages[p];
        int ap = appendix_of(first, nappendices, p);
        for (int i = 0; i < pg->n && rc == VB_OK; i++) {
            const vb_ditem_t *it = &pg->items[i];
            if (it->kind != VB_DITEM_RUN || it->u.run.group <= 0 || it->u.run.group > dl->ngroups)
                continue;
            const vb_drun_t *r = &it->u.run;
            const vb_dgroup_t *g = &dl->groups[r->group - 1];
            int *k = &seen[r->group - 1];
            for (int j = 0; j < r->n && *k < VB_DGROUP_GAPS && g->gaps[*k].what;) {
                if (!is_nbsp(r, j)) {
                    j++;
                    continue;
                }
                int e = j;
                while (e < r->n && is_nbsp(r, e))
                    e++;
                const vb_dgap_t *gap = &g->gaps[*k];
                if (e - j == gap->count) {
                    (*k)++;
                    const vb_psignfield_t *pf = gap->what == 'n' ? &s->number : gap->what == 'd' ? &s->day : &s->month;
                    vb_dfield_role_t role = gap->what == 'n'   ? VB_DFIELD_NUMBER
                                            : gap->what == 'd' ? VB_DFIELD_DAY
                                                               : VB_DFIELD_MONTH;
                    vb_len_t x = r->glyphs[j].x, base = r->glyphs[j].y;
                    const vb_dbox_t *lb = line_box(pg, x, base);
                    /* the line's box; without one, the text's size above the baseline and a quarter below */
                    vb_len_t top = lb ? lb->y : base - r->size, bottom = lb ? lb->y + lb->h : base + r->size / 4;
                    if (pf->name && add_field(c, role, pf, s->in_appendix, ap >= 0 ? ap + 1 : 0, p, ap, x, top,
                                              x + gap->width, bottom, ROUND_OUT, r->size))
                        rc = vb_diag_nomem(c->d);
                }
                j = e;
            }
        }
    }
    free(seen);
    return rc;
}

vb_status_t
vb_sign_fields(vb_dlist_t *dl, const vb_profile_t *p, int nappendices, vb_diag_t *d)
{
    dl->fields = NULL;
    dl->nfields = 0;
    if (!p->signing.present)
        return VB_OK;
    fctx_t c = {.dl = dl, .s = &p->signing, .d = d};
    int *first = nappendices > 0 ? VB_NEWN(dl->arena, int, nappendices) : NULL;
    if (nappendices > 0 && !first)
        return vb_diag_nomem(d);
    appendix_pages(dl, nappendices, first);
    vb_status_t rc = signature_fields(&c);
    if (rc == VB_OK)
        rc = appendix_fields(&c, first, nappendices);
    if (rc == VB_OK)
        rc = gap_fields(&c, first, nappendices);
    if (rc != VB_OK)
        return rc;
    dl->fields = c.out.v;
    dl->nfields = c.out.n;
    return VB_OK;
}
