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
 *   box name="signature" x=.. y=.. w=.. h=..
 *   outline level=1 page=0 y=70866 title="..."
 *   label first=0 start=1 prefix="..."
 * A run's x/y are its first glyph's; a glyph whose y differs from the run's
 * is written gid@x,y. Strings escape '"', '\\' and control bytes as \xNN and
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
    if (vb_vec_grow(dl->arena, (void **)&pg->items, &pg->cap, sizeof(vb_ditem_t), pg->n + 1) != 0)
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
dump_run(sbuf_t *b, const vb_drun_t *r)
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
                dump_run(&b, &it->u.run);
                break;
            case VB_DITEM_RULE: {
                const vb_drule_t *r = &it->u.rule;
                putf(&b, "rule x1=%d y1=%d x2=%d y2=%d w=%d\n", (int)r->x1, (int)r->y1, (int)r->x2, (int)r->y2,
                     (int)r->width);
                break;
            }
            case VB_DITEM_BOX: {
                const vb_dbox_t *x = &it->u.box;
                puts_(&b, "box");
                put_cstr(&b, "name", x->name);
                putf(&b, " x=%d y=%d w=%d h=%d\n", (int)x->x, (int)x->y, (int)x->w, (int)x->h);
                break;
            }
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
