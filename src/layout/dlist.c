/*
 * dlist.c - building the display list, and its text dump.
 *
 * Owns the growth of the page, item, outline and label arrays (all in the
 * display list's arena) and vb_dlist_dump, the stable text form that golden
 * tests diff. (The PDF writer hashes the same fields directly for its /ID.)
 *
 * Dump format, one line per record, lengths as integer millipoints:
 *   info title="..." author="..." subject="..." keywords="..." creator="..." date=2023-07-06T09:30:00+0700
 *   page 1 w=595276 h=841890 label="1" items=12
 *   run face=0 size=13000 x=85039 y=70866 text="Điều 1" glyphs=1234@85039 72@93707 ...
 *   rule x1=.. y1=.. x2=.. y2=.. w=..
 *   box kind=signature name="signature" no=7 index=0 role="signer" x=.. y=.. w=.. h=.. at="a.md":12:1
 *   box kind=line name="line" x=.. y=.. w=.. h=.. space=1043 overfull=0 at="a.md":30:1
 *   outline level=1 page=0 y=70866 title="..."
 *   label first=0 start=1 prefix="..."
 * A run's x/y are its first glyph's; a glyph whose y differs from the run's
 * is written gid@x,y. A run's or a box's source span ends its line:
 * at="file":line:col, or at="file":line:col-line:col when its end is known
 * (at=none when nothing in a file made it). A box writes no=N only with a
 * regulation box number, index= and role= only for a signer's box, space=
 * and overfull= only for a line. Strings escape '"', '\\' and control bytes as \xNN and
 * keep other UTF-8 as is, so a diff shows the Vietnamese text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlist.h"
#include "image.h"

vb_dpage_t *
vb_dlist_add_page(vb_dlist_t *dl, vb_len_t width, vb_len_t height)
{
    if (vb_vec_grow(dl->arena, (void **)&dl->pages, &dl->cap, sizeof(vb_dpage_t), dl->npages + 1) != 0)
        return NULL;
    vb_dpage_t *pg = &dl->pages[dl->npages++];
    memset(pg, 0, sizeof *pg);
    pg->width = width;
    pg->height = height;
    return pg;
}

vb_ditem_t *
vb_dpage_add(vb_dlist_t *dl, vb_dpage_t *pg, vb_ditem_kind_t kind)
{
    /* the room past n is never read, and each item is cleared here: no clearing of the room (vb_vec_grow_raw) */
    if (pg->n == pg->cap &&
        vb_vec_grow_raw(dl->arena, (void **)&pg->items, pg->n, &pg->cap, sizeof(vb_ditem_t), pg->n + 1) != 0)
        return NULL;
    vb_ditem_t *it = &pg->items[pg->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void
vb_ditem_move(vb_ditem_t *it, vb_len_t dx, vb_len_t dy)
{
    switch (it->kind) {
    case VB_DITEM_RUN:
        for (int g = 0; g < it->u.run.n; g++) {
            it->u.run.glyphs[g].x += dx;
            it->u.run.glyphs[g].y += dy;
        }
        break;
    case VB_DITEM_RULE:
        it->u.rule.x1 += dx;
        it->u.rule.x2 += dx;
        it->u.rule.y1 += dy;
        it->u.rule.y2 += dy;
        break;
    case VB_DITEM_BOX:
        it->u.box.x += dx;
        it->u.box.y += dy;
        break;
    case VB_DITEM_IMAGE:
        it->u.image.x += dx;
        it->u.image.y += dy;
        break;
    }
}

int
vb_dlist_add_outline(vb_dlist_t *dl, int level, const char *title, int page, vb_len_t y)
{
    /* The title is copied: callers often pass a scratch buffer. */
    char *t = vb_arena_strdup(dl->arena, title ? title : "");
    if (!t || vb_vec_grow(dl->arena, (void **)&dl->outline, &dl->outline_cap, sizeof(vb_doutline_t),
                          dl->noutline + 1) != 0)
        return -1;
    vb_doutline_t *o = &dl->outline[dl->noutline++];
    o->level = level;
    o->title = t;
    o->page = page;
    o->y = y;
    return 0;
}

int
vb_dlist_add_label(vb_dlist_t *dl, int first, int start, const char *prefix)
{
    char *p = NULL;
    if (prefix) {
        p = vb_arena_strdup(dl->arena, prefix);
        if (!p)
            return -1;
    }
    if (vb_vec_grow(dl->arena, (void **)&dl->labels, &dl->labels_cap, sizeof(vb_dlabel_t), dl->nlabels + 1) != 0)
        return -1;
    vb_dlabel_t *l = &dl->labels[dl->nlabels++];
    l->first = first;
    l->start = start;
    l->prefix = p;
    return 0;
}

int
vb_dlist_add_group(vb_dlist_t *dl, const vb_dgroup_t *g)
{
    /* each group written whole: the room past ngroups needs no clearing */
    if (dl->ngroups == dl->groups_cap && vb_vec_grow_raw(dl->arena, (void **)&dl->groups, dl->ngroups, &dl->groups_cap,
                                                         sizeof(vb_dgroup_t), dl->ngroups + 1) != 0)
        return 0;
    dl->groups[dl->ngroups++] = *g;
    return dl->ngroups;
}

static const char *const BOX_KINDS[] = {"?",     "text-block", "column",   "item",  "paragraph", "line",
                                        "table", "cell",       "footnote", "image", "signature", "seal"};

const char *
vb_dbox_kind_name(int kind)
{
    return kind > 0 && (size_t)kind < sizeof BOX_KINDS / sizeof BOX_KINDS[0] ? BOX_KINDS[kind] : "?";
}

void
vb_dbox_info(const vb_dlist_t *dl, const vb_dbox_t *b, vb_dboxinfo_t *out)
{
    memset(out, 0, sizeof *out);
    out->index = -1;
    out->name = vb_dbox_kind_name(b->kind);
    if (b->group <= 0 || b->group > dl->ngroups)
        return;
    const vb_dgroup_t *g = &dl->groups[b->group - 1];
    out->span = g->span;
    if ((int)g->kind != b->kind)
        return; /* a line of a paragraph: the paragraph's span, the line's own name */
    out->name = g->name ? g->name : out->name;
    out->official = g->official;
    out->index = g->index;
    out->role = g->role;
}

vb_dspan_t
vb_drun_span(const vb_dlist_t *dl, const vb_drun_t *r)
{
    if (r->group <= 0 || r->group > dl->ngroups)
        return (vb_dspan_t){0};
    return dl->groups[r->group - 1].span;
}

/* The union of two rectangles; an empty one (w = h = 0 and unset) takes the other. */
typedef struct rect {
    int64_t x0, y0, x1, y1;
    bool set;
} rect_t;

static void
rect_add(rect_t *r, vb_len_t x, vb_len_t y, vb_len_t w, vb_len_t h)
{
    if (!r->set) {
        *r = (rect_t){x, y, (int64_t)x + w, (int64_t)y + h, true};
        return;
    }
    if (x < r->x0)
        r->x0 = x;
    if (y < r->y0)
        r->y0 = y;
    if ((int64_t)x + w > r->x1)
        r->x1 = (int64_t)x + w;
    if ((int64_t)y + h > r->y1)
        r->y1 = (int64_t)y + h;
}

static int
int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int
vb_dlist_group_boxes(vb_dlist_t *dl)
{
    if (dl->ngroups == 0)
        return 0;
    /* the rectangles of the groups on the page being done, and which were touched (reset after each page) */
    rect_t *r = calloc((size_t)dl->ngroups, sizeof *r);
    int *touched = malloc((size_t)dl->ngroups * sizeof *touched);
    if (!r || !touched) {
        free(r);
        free(touched);
        return -1;
    }
    int rc = 0;
    for (int p = 0; p < dl->npages && rc == 0; p++) {
        vb_dpage_t *pg = &dl->pages[p];
        int nt = 0;
        int n = pg->n;
        for (int i = 0; i < n; i++) {
            const vb_ditem_t *it = &pg->items[i];
            if (it->kind != VB_DITEM_BOX)
                continue;
            const vb_dbox_t *b = &it->u.box;
            /* a box belongs to its group, the group's outer group, and so on */
            int ids[2] = {b->group, b->outer};
            for (int k = 0; k < 2; k++)
                for (int id = ids[k], depth = 0; id > 0 && id <= dl->ngroups && depth < 8;
                     id = dl->groups[id - 1].outer, depth++) {
                    if (!r[id - 1].set)
                        touched[nt++] = id - 1;
                    rect_add(&r[id - 1], b->x, b->y, b->w, b->h);
                }
        }
        /* the extents that only stand for their group (kind 0: a cell's piece) are dropped */
        int m = 0;
        for (int i = 0; i < n; i++)
            if (pg->items[i].kind != VB_DITEM_BOX || pg->items[i].u.box.kind != 0)
                pg->items[m++] = pg->items[i];
        pg->n = m;
        /* inner groups first (a cell before its table), each in the order they were made */
        qsort(touched, (size_t)nt, sizeof *touched, int_cmp);
        for (int pass = 0; pass < 2 && rc == 0; pass++)
            for (int t = 0; t < nt; t++) {
                int g = touched[t];
                const vb_dgroup_t *gr = &dl->groups[g];
                bool outer = gr->kind == VB_DBOX_COLUMN || gr->kind == VB_DBOX_TABLE;
                if (gr->direct || outer != (pass == 1))
                    continue;
                vb_ditem_t *it = vb_dpage_add(dl, pg, VB_DITEM_BOX);
                if (!it) {
                    rc = -1;
                    break;
                }
                vb_dbox_t *b = &it->u.box;
                b->kind = (uint8_t)gr->kind;
                b->space_permille = 1000;
                b->group = g + 1;
                b->outer = gr->outer;
                b->x = (vb_len_t)r[g].x0;
                b->y = (vb_len_t)r[g].y0;
                b->w = (vb_len_t)(r[g].x1 - r[g].x0);
                b->h = (vb_len_t)(r[g].y1 - r[g].y0);
            }
        for (int t = 0; t < nt; t++)
            r[touched[t]].set = false;
    }
    free(r);
    free(touched);
    return rc;
}

/* ---------------------------------------------------------------- owning */

/* Pointers already copied: old -> new, open addressing (a power-of-two table, malloc'd). */
typedef struct ownmap {
    const void **from;
    void **to;
    size_t *len;
    size_t cap, n;
    bool failed;
} ownmap_t;

static size_t
ptr_hash(const void *p, size_t len)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL ^ (uint64_t)len * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29));
}

static int
map_grow(ownmap_t *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    const void **from = calloc(ncap, sizeof *from);
    void **to = calloc(ncap, sizeof *to);
    size_t *len = calloc(ncap, sizeof *len);
    if (!from || !to || !len) {
        free(from), free(to), free(len);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->from[i])
            continue;
        size_t k = ptr_hash(m->from[i], m->len[i]) & (ncap - 1);
        while (from[k])
            k = (k + 1) & (ncap - 1);
        from[k] = m->from[i], to[k] = m->to[i], len[k] = m->len[i];
    }
    free(m->from), free(m->to), free(m->len);
    m->from = from, m->to = to, m->len = len, m->cap = ncap;
    return 0;
}

/* The copy of len bytes at p in the arena (a NUL after them), made once per (p, len). */
static void *
own_bytes(vb_dlist_t *dl, ownmap_t *m, const void *p, size_t len)
{
    if (!p || m->failed)
        return NULL;
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0) {
        m->failed = true;
        return NULL;
    }
    size_t k = ptr_hash(p, len) & (m->cap - 1);
    while (m->from[k]) {
        if (m->from[k] == p && m->len[k] == len)
            return m->to[k];
        k = (k + 1) & (m->cap - 1);
    }
    char *c = vb_arena_alloc(dl->arena, len + 1);
    if (!c) {
        m->failed = true;
        return NULL;
    }
    memcpy(c, p, len);
    c[len] = 0;
    m->from[k] = p, m->to[k] = c, m->len[k] = len, m->n++;
    return c;
}

static const char *
own_str(vb_dlist_t *dl, ownmap_t *m, const char *s)
{
    return s ? own_bytes(dl, m, s, strlen(s)) : NULL;
}

static void
own_span(vb_dlist_t *dl, ownmap_t *m, vb_dspan_t *s)
{
    s->file = own_str(dl, m, s->file);
}

/* An image: its record, file bytes and strings, once per image. */
static const vb_image_t *
own_image(vb_dlist_t *dl, ownmap_t *m, const vb_image_t *im)
{
    if (!im)
        return NULL;
    /* keyed by the record's address with length 0: no text is ever keyed so */
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0) {
        m->failed = true;
        return NULL;
    }
    size_t k = ptr_hash(im, 0) & (m->cap - 1);
    while (m->from[k]) {
        if (m->from[k] == (const void *)im && m->len[k] == 0)
            return m->to[k];
        k = (k + 1) & (m->cap - 1);
    }
    vb_image_t *c = VB_NEW(dl->arena, vb_image_t);
    if (!c) {
        m->failed = true;
        return NULL;
    }
    *c = *im;
    c->data = own_bytes(dl, m, im->data, im->len);
    c->path = own_str(dl, m, im->path);
    c->alt = own_str(dl, m, im->alt);
    c->source = own_str(dl, m, im->source);
    /* own_bytes may have grown the table: find the slot again */
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0) {
        m->failed = true;
        return NULL;
    }
    k = ptr_hash(im, 0) & (m->cap - 1);
    while (m->from[k])
        k = (k + 1) & (m->cap - 1);
    m->from[k] = im, m->to[k] = c, m->len[k] = 0, m->n++;
    return c;
}

int
vb_dlist_own(vb_dlist_t *dl)
{
    ownmap_t m = {0};
    vb_dinfo_t *in = &dl->info;
    in->title = own_str(dl, &m, in->title);
    in->author = own_str(dl, &m, in->author);
    in->subject = own_str(dl, &m, in->subject);
    in->creator = own_str(dl, &m, in->creator);
    in->keywords = own_str(dl, &m, in->keywords);
    in->profile = own_str(dl, &m, in->profile);
    in->blank = own_str(dl, &m, in->blank);
    in->doc_date = own_str(dl, &m, in->doc_date);
    in->unfit = own_str(dl, &m, in->unfit);
    for (int p = 0; p < dl->npages; p++) {
        vb_dpage_t *pg = &dl->pages[p];
        pg->label = own_str(dl, &m, pg->label);
        for (int i = 0; i < pg->n; i++) {
            vb_ditem_t *it = &pg->items[i];
            switch (it->kind) {
            case VB_DITEM_RUN:
                it->u.run.text = own_bytes(dl, &m, it->u.run.text, it->u.run.text_len);
                break;
            case VB_DITEM_IMAGE:
                it->u.image.image = own_image(dl, &m, it->u.image.image);
                break;
            case VB_DITEM_BOX: /* what a box is lies in its group */
            case VB_DITEM_RULE:
                break;
            }
        }
    }
    for (int i = 0; i < dl->noutline; i++)
        dl->outline[i].title = own_str(dl, &m, dl->outline[i].title);
    for (int i = 0; i < dl->nlabels; i++)
        dl->labels[i].prefix = own_str(dl, &m, dl->labels[i].prefix);
    for (int i = 0; i < dl->ngroups; i++) {
        vb_dgroup_t *g = &dl->groups[i];
        g->name = own_str(dl, &m, g->name);
        g->role = own_str(dl, &m, g->role);
        own_span(dl, &m, &g->span);
    }
    bool failed = m.failed;
    free(m.from), free(m.to), free(m.len);
    return failed ? -1 : 0;
}

/* ---------------------------------------------------------------- dump */

typedef vb_buf_t sbuf_t;

static void
put(sbuf_t *b, const char *s, size_t n)
{
    vb_buf_add(b, s, n);
}

static void
puts_(sbuf_t *b, const char *s)
{
    vb_buf_puts(b, s);
}

#define putf vb_buf_printf /* only %d/%u/%s/%c/%02d are used here, which do not depend on the locale */

/* Writes key="value" with the escapes described at the top of the file. */
static void
put_str(sbuf_t *b, const char *key, const char *s, size_t n)
{
    putf(b, " %s=", key);
    if (!s) {
        puts_(b, "null");
        return;
    }
    put(b, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            put(b, s + start, i - start);
            if (c == '"' || c == '\\') {
                char e[2] = {'\\', (char)c};
                put(b, e, 2);
            } else {
                putf(b, "\\x%02X", (unsigned)c);
            }
            start = i + 1;
        }
    }
    put(b, s + start, n - start);
    put(b, "\"", 1);
}

static void
put_cstr(sbuf_t *b, const char *key, const char *s)
{
    put_str(b, key, s, s ? strlen(s) : 0);
}

/* Writes v in decimal into buf (at least 12 bytes); returns the length. */
static size_t
fmt_int(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0, o = 0;
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[o++] = '-';
    while (n)
        buf[o++] = tmp[--n];
    return o;
}

static void
put_span(sbuf_t *b, const vb_dspan_t *s)
{
    if (!s->file || s->line <= 0) {
        puts_(b, " at=none");
        return;
    }
    put_cstr(b, "at", s->file);
    putf(b, ":%d:%d", s->line, s->col);
    if (s->end_line > 0)
        putf(b, "-%d:%d", s->end_line, s->end_col);
}

static void
dump_box(sbuf_t *b, const vb_dlist_t *dl, const vb_dbox_t *x)
{
    vb_dboxinfo_t in;
    vb_dbox_info(dl, x, &in);
    putf(b, "box kind=%s", vb_dbox_kind_name(x->kind));
    put_cstr(b, "name", in.name);
    if (in.official > 0)
        putf(b, " no=%d", in.official);
    if (x->kind == VB_DBOX_SIGNATURE || x->kind == VB_DBOX_SEAL) {
        putf(b, " index=%d", in.index);
        put_cstr(b, "role", in.role);
    }
    putf(b, " x=%d y=%d w=%d h=%d", (int)x->x, (int)x->y, (int)x->w, (int)x->h);
    if (x->kind == VB_DBOX_LINE)
        putf(b, " space=%d overfull=%d", (int)x->space_permille, x->overfull ? 1 : 0);
    put_span(b, &in.span);
    puts_(b, "\n");
}

static void
dump_run(sbuf_t *b, const vb_dlist_t *dl, const vb_drun_t *r)
{
    vb_len_t x0 = r->n > 0 ? r->glyphs[0].x : 0, y0 = r->n > 0 ? r->glyphs[0].y : 0;
    putf(b, "run face=%d size=%d x=%d y=%d", r->face, (int)r->size, (int)x0, (int)y0);
    put_str(b, "text", r->text, r->text ? r->text_len : 0);
    puts_(b, " glyphs=");
    /* hand-formatted: this loop is most of a dump, and printf made it slow */
    for (int i = 0; i < r->n; i++) {
        const vb_dglyph_t *g = &r->glyphs[i];
        char tmp[48];
        size_t n = 0;
        if (i)
            tmp[n++] = ' ';
        n += fmt_int(tmp + n, g->gid);
        tmp[n++] = '@';
        n += fmt_int(tmp + n, g->x);
        if (g->y != y0) {
            tmp[n++] = ',';
            n += fmt_int(tmp + n, g->y);
        }
        put(b, tmp, n);
    }
    vb_dspan_t sp = vb_drun_span(dl, r);
    put_span(b, &sp);
    puts_(b, "\n");
}

vb_status_t
vb_dlist_dump(const vb_dlist_t *dl, char **out, size_t *len)
{
    sbuf_t b = {0};
    const vb_dinfo_t *in = &dl->info;

    puts_(&b, "info");
    put_cstr(&b, "title", in->title);
    put_cstr(&b, "author", in->author);
    put_cstr(&b, "subject", in->subject);
    put_cstr(&b, "keywords", in->keywords);
    put_cstr(&b, "creator", in->creator);
    int tz = in->tz_minutes < 0 ? -in->tz_minutes : in->tz_minutes;
    putf(&b, " date=%04d-%02d-%02dT%02d:%02d:%02d%c%02d%02d\n", in->year, in->month, in->day, in->hour,
         in->minute, in->second, in->tz_minutes < 0 ? '-' : '+', tz / 60, tz % 60);

    for (int p = 0; p < dl->npages; p++) {
        const vb_dpage_t *pg = &dl->pages[p];
        putf(&b, "page %d w=%d h=%d", p + 1, (int)pg->width, (int)pg->height);
        put_cstr(&b, "label", pg->label);
        putf(&b, " items=%d\n", pg->n);
        for (int i = 0; i < pg->n; i++) {
            const vb_ditem_t *it = &pg->items[i];
            switch (it->kind) {
            case VB_DITEM_RUN:
                dump_run(&b, dl, &it->u.run);
                break;
            case VB_DITEM_RULE: {
                const vb_drule_t *r = &it->u.rule;
                putf(&b, "rule x1=%d y1=%d x2=%d y2=%d w=%d\n", (int)r->x1, (int)r->y1, (int)r->x2, (int)r->y2,
                     (int)r->width);
                break;
            }
            case VB_DITEM_BOX:
                dump_box(&b, dl, &it->u.box);
                break;
            case VB_DITEM_IMAGE: {
                const vb_dimage_t *x = &it->u.image;
                puts_(&b, "image");
                put_cstr(&b, "path", x->image->path);
                putf(&b, " px=%ux%u x=%d y=%d w=%d h=%d\n", x->image->px_w, x->image->px_h, (int)x->x, (int)x->y,
                     (int)x->w, (int)x->h);
                break;
            }
            default:
                putf(&b, "unknown kind=%d\n", (int)it->kind);
                break;
            }
        }
    }
    for (int i = 0; i < dl->noutline; i++) {
        const vb_doutline_t *o = &dl->outline[i];
        putf(&b, "outline level=%d page=%d y=%d", o->level, o->page, (int)o->y);
        put_cstr(&b, "title", o->title);
        puts_(&b, "\n");
    }
    for (int i = 0; i < dl->nlabels; i++) {
        const vb_dlabel_t *l = &dl->labels[i];
        putf(&b, "label first=%d start=%d", l->first, l->start);
        put_cstr(&b, "prefix", l->prefix);
        puts_(&b, "\n");
    }
    *out = vb_buf_take(&b, len);
    return *out ? VB_OK : VB_E_NOMEM;
}
