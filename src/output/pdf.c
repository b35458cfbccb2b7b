/*
 * pdf.c - the PDF backend: a display list to PDF bytes, through libharu 2.3.0.
 *
 * Owns the document: pages, rules, outline, page labels, Info, the trailer
 * /ID, compression, and getting the bytes safely to disk. Text and fonts are
 * pdf_font.c's (the one file allowed into libharu internals); this file uses
 * libharu's public API only, plus that file's functions.
 *
 * Determinism: nothing here reads the clock. Dates come from the display
 * list, and the /ID is a hash of everything the display list's dump shows
 * plus the font names, so the same input gives byte-identical PDFs.
 *
 * Errors: libharu reports through a handler we give HPDF_New; it only records
 * the first error in an errctx_t (no longjmp), and every call's return value
 * is checked. Text strings (Info, outline titles, label prefixes) go through
 * libharu's UTF-8 encoder, which writes them as UTF-16BE with a BOM.
 *
 * Writing a file: the whole PDF is built in memory first, so a failure while
 * building touches no file. The bytes then go to a new file next to the
 * target (".name.XXXXXX", created with O_EXCL and mode 0666 so the umask
 * applies, as for any output file; mkstemp would force 0600) and renamed over
 * the target; durable: the file is fsync'ed before the rename and its folder
 * after it. Writing to a caller's writer (vb_pdf_write) streams libharu's
 * memory stream out in chunks. Any failure unlinks the temporary file, so the
 * target is either the complete new PDF or untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "pdf.h"
#include "icc.h"
#include "image.h"
#include "pdf_font.h"

/* Outline nesting deeper than this hangs under the deepest level kept. */
#define MAX_OUTLINE_DEPTH 16

typedef struct errctx {
    HPDF_STATUS first;
    HPDF_STATUS detail;
} errctx_t;

static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    errctx_t *ec = user_data;
    if (ec->first == HPDF_OK) {
        ec->first = error_no;
        ec->detail = detail_no;
    }
}

/*
 * An image embedded once, drawn wherever it is placed. data and len are the
 * image's file (its own copy, own, once the image's display list is gone: a
 * combined PDF).
 */
typedef struct placed_image {
    const vb_image_t *image;
    const unsigned char *data;
    size_t len;
    unsigned char *own;
    HPDF_Image obj;
} placed_image_t;

typedef struct builder {
    const vb_dlist_t *dl;
    const vb_fontset_t *fontset;
    HPDF_Doc pdf;
    errctx_t err;
    vb_pdf_fonts_t *fonts;
    vb_diag_t *d;
    placed_image_t *images;
    int nimages, cap_images;
    bool pdfa;               /* PDF/A-2b (a combined PDF: when a document added asks for it); texts cut shorter */
} builder_t;

/* A libharu call failed: report the first error libharu recorded, else st. */
static vb_status_t
fail(builder_t *b, HPDF_STATUS st, const char *what)
{
    return vb_pdf_haru_fail(b->pdf, b->err.first != HPDF_OK ? b->err.first : st, what, b->d);
}

/*
 * A text for an outline entry or the document information, at most
 * MAX_PDF_TEXT bytes of UTF-8 (libharu refuses a string over 65535 bytes;
 * MAX_PDFA_TEXT in a PDF/A):
 * a longer one (a heading of many thousand characters) is cut at a
 * character boundary and ends in "…"; the page itself prints it whole.
 * Returns s itself when short enough, else a malloc'd copy in *tofree.
 */
#define MAX_PDF_TEXT 32000
/* PDF/A-2 allows strings of at most 32767 bytes (ISO 19005-2 §6.1.13): as UTF-16, 16000 bytes of UTF-8 fit */
#define MAX_PDFA_TEXT 16000

static const char *
pdf_text(const builder_t *b, const char *s, char **tofree)
{
    *tofree = NULL;
    size_t n = s ? strlen(s) : 0, max = b->pdfa ? MAX_PDFA_TEXT : MAX_PDF_TEXT;
    if (n <= max)
        return s ? s : "";
    size_t k = max - 3;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    char *t = malloc(k + 4);
    if (!t)
        return NULL;
    memcpy(t, s, k);
    memcpy(t + k, "\xE2\x80\xA6", 4);
    *tofree = t;
    return t;
}

static HPDF_REAL
pt(int64_t mp)
{
    return (HPDF_REAL)((double)mp / 1000.0);
}

/* An image XObject of w x h 8-bit samples in colour space cs, its stream filled by the caller. */
static HPDF_Image
raw_image(builder_t *b, uint32_t w, uint32_t h, const char *cs)
{
    HPDF_Dict im = HPDF_DictStream_New(b->pdf->mmgr, b->pdf->xref);
    if (!im)
        return NULL;
    im->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    if (HPDF_Dict_AddName(im, "Type", "XObject") != HPDF_OK || HPDF_Dict_AddName(im, "Subtype", "Image") != HPDF_OK ||
        HPDF_Dict_AddNumber(im, "Width", (HPDF_INT32)w) != HPDF_OK ||
        HPDF_Dict_AddNumber(im, "Height", (HPDF_INT32)h) != HPDF_OK ||
        HPDF_Dict_AddName(im, "ColorSpace", cs) != HPDF_OK || HPDF_Dict_AddNumber(im, "BitsPerComponent", 8) != HPDF_OK)
        return NULL;
    im->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return im;
}

/* Decoding an image into its XObject (and its soft mask) row by row. */
typedef struct embed {
    builder_t *b;
    HPDF_Image img, mask;
    size_t color_len, alpha_len; /* bytes of a row */
} embed_t;

static vb_status_t
embed_begin(void *ctx, const vb_image_format_t *f)
{
    embed_t *e = ctx;
    e->img = raw_image(e->b, f->w, f->h, f->channels == 3 ? "DeviceRGB" : "DeviceGray");
    e->color_len = (size_t)f->w * (size_t)f->channels;
    if (e->img && f->alpha) {
        e->mask = raw_image(e->b, f->w, f->h, "DeviceGray");
        e->alpha_len = f->w;
        if (!e->mask || HPDF_Dict_Add(e->img, "SMask", e->mask) != HPDF_OK)
            e->img = NULL;
    }
    return e->img ? VB_OK : fail(e->b, HPDF_OK, "embedding an image");
}

static vb_status_t
embed_row(void *ctx, const unsigned char *color, const unsigned char *alpha)
{
    embed_t *e = ctx;
    HPDF_STATUS st = HPDF_Stream_Write(e->img->stream, color, (HPDF_UINT)e->color_len);
    if (st == HPDF_OK && alpha && e->mask)
        st = HPDF_Stream_Write(e->mask->stream, alpha, (HPDF_UINT)e->alpha_len);
    return st == HPDF_OK ? VB_OK : fail(e->b, st, "embedding an image");
}

/* The embedded image object for an image, loaded the first time it is drawn. */
static vb_status_t
image_object(builder_t *b, const vb_image_t *im, HPDF_Image *out)
{
    /* the same file placed twice (a seal on every appendix) is embedded once */
    for (int i = 0; i < b->nimages; i++)
        if ((b->images[i].image && b->images[i].image == im) ||
            (b->images[i].len == im->len && !memcmp(b->images[i].data, im->data, im->len))) {
            *out = b->images[i].obj;
            return VB_OK;
        }
    if (b->nimages == b->cap_images) {
        int ncap = b->cap_images ? b->cap_images * 2 : 8;
        placed_image_t *nv = realloc(b->images, (size_t)ncap * sizeof *nv);
        if (!nv)
            return vb_diag_nomem(b->d);
        b->images = nv;
        b->cap_images = ncap;
    }
    /*
     * libharu gets the decoded pixels, never the PNG: its PNG loader refuses
     * interlaced files and frees twice after failing on one with alpha. The
     * rows are written straight into the image's stream (and the alpha's,
     * its soft mask), so no second copy of the pixels is held.
     */
    embed_t e = {b, NULL, NULL, 0, 0};
    vb_status_t vs = vb_image_decode_rows(im, embed_begin, embed_row, &e, b->d);
    if (vs != VB_OK)
        return vs;
    HPDF_Image obj = e.img;
    vs = vb_pdf_compress_image(b->pdf, obj, b->d);
    if (vs != VB_OK)
        return vs;
    b->images[b->nimages] = (placed_image_t){.image = im, .data = im->data, .len = im->len, .obj = obj};
    b->nimages++;
    *out = obj;
    return VB_OK;
}

/*
 * Text order for a second reader. pdf.js (Firefox's PDF engine) builds its
 * text layer glyph by glyph in content order, across BT/ET, comparing each
 * glyph with where the last one ended: a move back to the left by more than
 * 0.2 em while the baseline moves by at most half the font size ends the
 * item with nothing after it, neither a space nor a line end (it takes the
 * move for an overprint on the same line). A copy then runs the two words
 * together. That happens when a line follows, on nearly the same baseline,
 * a line further right: the second line of a head cell spanning two rows,
 * centred so it sits 4 pt below the next row's first line, then that row's
 * first cell ("Ghi chú" + "Năm 2020" gave "chúNăm"). Poppler is not
 * affected. So a page's runs are drawn in display-list order except that
 * such a run is drawn just before the run it would join: the reader then
 * meets a move forward on that line (a space) and a line end after it.
 * Only the order of the text runs among themselves changes; rules and
 * images keep their places, and what is drawn looks the same.
 */
typedef struct run_span {
    vb_len_t x0, y0;   /* origin of the first glyph a reader compares (not a space) */
    vb_len_t x1, y1;   /* the pen after the last such glyph with an advance */
    vb_len_t size;
    bool text;         /* false: nothing but spaces (never compared) */
} run_span_t;

/* True when the cluster text is only white space (a reader skips such glyphs). */
static bool
all_space(const char *t, size_t n)
{
    for (size_t o = 0; o < n;) {
        uint32_t cp;
        int l = vb_utf8_decode(t + o, n - o, &cp);
        if (l <= 0)
            return false;
        o += (size_t)l;
        if (!(cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
              cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF))
            return false;
    }
    return true;
}

/* True when the cluster starting at glyph i of r is only white space. */
static bool
cluster_space(const vb_drun_t *r, int i)
{
    const vb_dglyph_t *g = &r->glyphs[i];
    return r->text && (size_t)g->text_off + g->text_len <= r->text_len && all_space(r->text + g->text_off, g->text_len);
}

static run_span_t
span_of(const builder_t *b, const vb_drun_t *r)
{
    run_span_t sp = {0, 0, 0, 0, r->size, false};
    const vb_font_t *font = b->fontset ? vb_fontset_face(b->fontset, (vb_face_t)r->face) : NULL;
    const vb_font_info_t *fi = font ? vb_font_info(font) : NULL;
    /* the first glyph that is not a space (a cluster's first glyph decides for the glyphs after it) */
    bool space = false;
    int first = -1;
    for (int i = 0; i < r->n && first < 0; i++) {
        if (r->glyphs[i].text_len > 0)
            space = cluster_space(r, i);
        if (!space)
            first = i;
    }
    if (first < 0)
        return sp;
    sp.x0 = sp.x1 = r->glyphs[first].x;
    sp.y0 = sp.y1 = r->glyphs[first].y;
    sp.text = true;
    /* the pen after the last non-space glyph with an advance: clusters from the end, glyphs from the end */
    for (int end = r->n; end > first;) {
        int start = end - 1;
        while (start > first && r->glyphs[start].text_len == 0)
            start--;
        if (r->glyphs[start].text_len == 0 || !cluster_space(r, start))
            for (int i = end - 1; i >= start; i--) {
                const vb_dglyph_t *g = &r->glyphs[i];
                int adv = fi && fi->upem > 0 && g->gid < fi->num_glyphs ? vb_font_glyph_advance(font, g->gid) : 0;
                if (adv > 0) {
                    sp.x1 = g->x + (vb_len_t)((int64_t)adv * r->size / fi->upem);
                    sp.y1 = g->y;
                    return sp;
                }
            }
        end = start;
    }
    return sp;
}

/*
 * Would a reader join b's first glyph to a's last with nothing between? With
 * margins around pdf.js's thresholds (0.2 em back, half the size up or down),
 * so readers that round differently agree.
 */
static bool
joins_back(const run_span_t *a, const run_span_t *b)
{
    if (!a->text || !b->text)
        return false;
    int64_t dy = (int64_t)b->y0 - a->y1;
    if (dy < 0)
        dy = -dy;
    return (int64_t)b->x0 < (int64_t)a->x1 - a->size / 10 && dy * 10 <= (int64_t)a->size * 6;
}

/*
 * The order to draw the page's text runs in (indexes into pg->items), in
 * order[0..n): display-list order, with a run that would join back to the
 * one before it moved in front of that run when that joins nothing.
 */
static vb_status_t
text_order(const builder_t *b, const vb_dpage_t *pg, int **order_out, int *n_out)
{
    *order_out = NULL;
    *n_out = 0;
    int nruns = 0;
    for (int i = 0; i < pg->n; i++)
        nruns += pg->items[i].kind == VB_DITEM_RUN;
    if (nruns == 0)
        return VB_OK;
    int *order = malloc(sizeof *order * (size_t)nruns);
    run_span_t *span = malloc(sizeof *span * (size_t)nruns); /* span[k]: of order[k] */
    if (!order || !span) {
        free(order);
        free(span);
        return vb_diag_nomem(b->d);
    }
    int n = 0;
    for (int i = 0; i < pg->n; i++) {
        if (pg->items[i].kind != VB_DITEM_RUN)
            continue;
        run_span_t s = span_of(b, &pg->items[i].u.run);
        int at = n;
        if (n > 0 && joins_back(&span[n - 1], &s) && !joins_back(&s, &span[n - 1]) &&
            (n < 2 || !joins_back(&span[n - 2], &s)))
            at = n - 1;
        memmove(order + at + 1, order + at, sizeof *order * (size_t)(n - at));
        memmove(span + at + 1, span + at, sizeof *span * (size_t)(n - at));
        order[at] = i;
        span[at] = s;
        n++;
    }
    free(span);
    *order_out = order;
    *n_out = n;
    return VB_OK;
}

static vb_status_t draw_items(builder_t *b, const vb_dpage_t *pg, HPDF_Page page, const int *order, int nrun);

static vb_status_t
draw_page(builder_t *b, const vb_dpage_t *pg)
{
    HPDF_Page page = HPDF_AddPage(b->pdf);
    if (!page)
        return fail(b, HPDF_OK, "adding a page");
    HPDF_STATUS st = HPDF_Page_SetWidth(page, pt(pg->width));
    if (st == HPDF_OK)
        st = HPDF_Page_SetHeight(page, pt(pg->height));
    if (st != HPDF_OK)
        return fail(b, st, "setting the page size");

    int *order = NULL, nrun = 0;
    vb_status_t vs = text_order(b, pg, &order, &nrun);
    if (vs != VB_OK)
        return vs;
    vs = draw_items(b, pg, page, order, nrun);
    free(order);
    return vs;
}

/* Draws the page's items in order, the text runs in the order text_order chose. */
static vb_status_t
draw_items(builder_t *b, const vb_dpage_t *pg, HPDF_Page page, const int *order, int nrun)
{
    HPDF_STATUS st;
    int next_run = 0;
    for (int i = 0; i < pg->n; i++) {
        const vb_ditem_t *it = &pg->items[i];
        switch (it->kind) {
        case VB_DITEM_RUN: {
            if (next_run >= nrun)
                return vb_diag_set(b->d, VB_E_PDF, "pdf.item", NULL, 0, 0, "The text runs of a page were miscounted.");
            const vb_ditem_t *rit = &pg->items[order[next_run++]];
            vb_status_t vs = vb_pdf_fonts_draw_run(b->fonts, page, pg->height, &rit->u.run, b->d);
            if (vs != VB_OK)
                return vs;
            break;
        }
        case VB_DITEM_RULE: {
            vb_status_t vs = vb_pdf_fonts_draw_rule(b->fonts, page, pg->height, &it->u.rule, b->d);
            if (vs != VB_OK)
                return vs;
            break;
        }
        case VB_DITEM_BOX:
            /* a placeholder (the signature field comes later): nothing is drawn */
            break;
        case VB_DITEM_IMAGE: {
            const vb_dimage_t *im = &it->u.image;
            HPDF_Image obj = NULL;
            vb_status_t vs = image_object(b, im->image, &obj);
            if (vs == VB_OK)
                vs = vb_pdf_fonts_flush(b->fonts, false, b->d);
            if (vs != VB_OK)
                return vs;
            st = HPDF_Page_DrawImage(page, obj, pt(im->x), pt((int64_t)pg->height - im->y - im->h), pt(im->w),
                                     pt(im->h));
            if (st != HPDF_OK)
                return fail(b, st, "drawing an image");
            break;
        }
        default:
            return vb_diag_set(b->d, VB_E_PDF, "pdf.item", NULL, 0, 0, "A page holds an item of unknown kind %d.",
                               (int)it->kind);
        }
    }
    return vb_pdf_fonts_flush(b->fonts, true, b->d);
}

/* The outline entries of b->dl under root (NULL: the top), its pages from page0 of the PDF on. */
static vb_status_t
outline_entries(builder_t *b, HPDF_Outline root, int page0)
{
    const vb_dlist_t *dl = b->dl;
    HPDF_Outline stack[MAX_OUTLINE_DEPTH];
    int levels[MAX_OUTLINE_DEPTH];
    int depth = 0;
    for (int i = 0; i < dl->noutline; i++) {
        const vb_doutline_t *o = &dl->outline[i];
        if (o->page < 0 || o->page >= dl->npages)
            return vb_diag_set(b->d, VB_E_PDF, "pdf.outline", NULL, 0, 0,
                               "Outline entry %d points to page %d, but the document has %d pages.", i + 1,
                               o->page + 1, dl->npages);
        while (depth > 0 && levels[depth - 1] >= o->level)
            depth--;
        char *cut;
        const char *title = pdf_text(b, o->title, &cut);
        if (!title)
            return vb_diag_nomem(b->d);
        HPDF_Outline ol = HPDF_CreateOutline(b->pdf, depth ? stack[depth - 1] : root, title, NULL);
        free(cut);
        if (!ol)
            return fail(b, HPDF_OK, "adding an outline entry");
        HPDF_Page page = HPDF_GetPageByIndex(b->pdf, (HPDF_UINT)(page0 + o->page));
        if (!page)
            return fail(b, HPDF_OK, "adding an outline destination");
        int64_t top = (int64_t)dl->pages[o->page].height - o->y;
        /* [page /XYZ 0 top 1] inside the entry (zoom 1, as libharu's destinations had) */
        vb_status_t dvs = vb_pdf_outline_dest(b->pdf, ol, page, pt(top > 0 ? top : 0), b->d);
        if (dvs != VB_OK)
            return dvs;
        HPDF_STATUS st = HPDF_Outline_SetOpened(ol, HPDF_TRUE);
        if (st != HPDF_OK)
            return fail(b, st, "adding an outline entry");
        if (depth < MAX_OUTLINE_DEPTH) {
            stack[depth] = ol;
            levels[depth] = o->level;
            depth++;
        }
    }
    return VB_OK;
}

static vb_status_t
add_outline(builder_t *b)
{
    if (b->dl->noutline == 0)
        return VB_OK;
    vb_status_t vs = outline_entries(b, NULL, 0);
    if (vs != VB_OK)
        return vs;
    HPDF_STATUS st = HPDF_SetPageMode(b->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    if (st != HPDF_OK)
        return fail(b, st, "setting the page mode");
    return VB_OK;
}

static vb_status_t
add_labels(builder_t *b)
{
    const vb_dlist_t *dl = b->dl;
    int n = dl->nlabels;
    if (n == 0)
        return VB_OK;
    /* sorted by first page (insertion sort: a handful of entries) */
    const vb_dlabel_t **v = malloc(sizeof *v * (size_t)n);
    if (!v)
        return vb_diag_nomem(b->d);
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && v[j - 1]->first > dl->labels[i].first) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = &dl->labels[i];
    }
    vb_status_t vs = VB_OK;
    for (int i = 0; i < n && vs == VB_OK; i++) {
        if (v[i]->first < 0 || v[i]->first >= dl->npages || v[i]->start < 1 ||
            (i > 0 && v[i]->first == v[i - 1]->first))
            vs = vb_diag_set(b->d, VB_E_PDF, "pdf.label", NULL, 0, 0,
                             "Page label %d (first page %d, start %d) is out of range or repeated.", i + 1,
                             v[i]->first + 1, v[i]->start);
    }
    /* The label tree must cover page 0: number from 1 when the caller did not say. */
    if (vs == VB_OK && v[0]->first != 0) {
        HPDF_STATUS st = HPDF_AddPageLabel(b->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
        if (st != HPDF_OK)
            vs = fail(b, st, "adding a page label");
    }
    for (int i = 0; i < n && vs == VB_OK; i++) {
        /* the prefix is set afterwards: libharu would write it as raw bytes */
        HPDF_STATUS st = HPDF_AddPageLabel(b->pdf, (HPDF_UINT)v[i]->first, HPDF_PAGE_NUM_STYLE_DECIMAL,
                                           (HPDF_UINT)v[i]->start, NULL);
        if (st != HPDF_OK)
            vs = fail(b, st, "adding a page label");
        else if (v[i]->prefix && v[i]->prefix[0])
            vs = vb_pdf_set_last_label_prefix(b->pdf, v[i]->prefix, b->d);
    }
    free(v);
    return vs;
}

static vb_status_t add_date(builder_t *b, const vb_dinfo_t *in);

static vb_status_t
add_info(builder_t *b)
{
    const vb_dinfo_t *in = &b->dl->info;
    const struct {
        HPDF_InfoType type;
        const char *value;
    } attrs[] = {
        {HPDF_INFO_TITLE, in->title},       {HPDF_INFO_AUTHOR, in->author},   {HPDF_INFO_SUBJECT, in->subject},
        {HPDF_INFO_KEYWORDS, in->keywords}, {HPDF_INFO_CREATOR, in->creator},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (!attrs[i].value || !attrs[i].value[0])
            continue;
        char *cut;
        const char *v = pdf_text(b, attrs[i].value, &cut);
        if (!v)
            return vb_diag_nomem(b->d);
        HPDF_STATUS st = HPDF_SetInfoAttr(b->pdf, attrs[i].type, v);
        free(cut);
        if (st != HPDF_OK)
            return fail(b, st, "setting the document information");
    }
    /* which format the document followed: the profile's id and name */
    if (in->profile && in->creator && in->creator[0]) {
        vb_status_t vs = vb_pdf_set_info_text(b->pdf, "VanbanProfile", in->profile, b->d);
        if (vs != VB_OK)
            return vs;
    }
    /* a document drafted with its number or day blank, to be filled at issuance */
    const struct {
        const char *key, *value;
    } marks[] = {{"VanbanBlank", in->blank}, {"VanbanDate", in->doc_date}, {"VanbanUnfit", in->unfit}};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if (!marks[i].value || !in->creator || !in->creator[0])
            continue;
        vb_status_t vs = vb_pdf_set_info_text(b->pdf, marks[i].key, marks[i].value, b->d);
        if (vs != VB_OK)
            return vs;
    }
    return add_date(b, in);
}

/* /CreationDate and /ModDate from in (none when in->year is 0). */
static vb_status_t
add_date(builder_t *b, const vb_dinfo_t *in)
{
    if (in->year > 0) {
        int tz = in->tz_minutes < 0 ? -in->tz_minutes : in->tz_minutes;
        HPDF_Date date = {
            .year = in->year,
            .month = in->month,
            .day = in->day,
            .hour = in->hour,
            .minutes = in->minute,
            .seconds = in->second,
            .ind = in->tz_minutes < 0 ? '-' : '+',
            .off_hour = tz / 60,
            .off_minutes = tz % 60,
        };
        HPDF_STATUS st = HPDF_SetInfoDateAttr(b->pdf, HPDF_INFO_CREATION_DATE, date);
        if (st == HPDF_OK)
            st = HPDF_SetInfoDateAttr(b->pdf, HPDF_INFO_MOD_DATE, date);
        if (st != HPDF_OK)
            return vb_diag_set(b->d, VB_E_PDF, "pdf.date", NULL, 0, 0,
                               "The creation date %04d-%02d-%02d %02d:%02d:%02d is not a valid date.", in->year,
                               in->month, in->day, in->hour, in->minute, in->second);
    }
    return VB_OK;
}

/* ------------------------------------------------------------ PDF/A-2b */

/* s as XML character data or attribute value: &, <, >, " and ' escaped; a control character XML 1.0
   cannot hold, even escaped, as U+FFFD (the document information's copy keeps it). */
static void
xml_text(vb_buf_t *x, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': vb_buf_add(x, "&amp;", 5); break;
        case '<': vb_buf_add(x, "&lt;", 4); break;
        case '>': vb_buf_add(x, "&gt;", 4); break;
        case '"': vb_buf_add(x, "&quot;", 6); break;
        case '\'': vb_buf_add(x, "&apos;", 6); break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                vb_buf_add(x, "\xEF\xBF\xBD", 3);
            else
                vb_buf_add(x, p, 1);
        }
    }
}

/* One simple XMP property <name>text</name>, left out when text is empty. */
static void
xmp_prop(vb_buf_t *x, const char *name, const char *text)
{
    if (!text || !text[0])
        return;
    vb_buf_printf(x, "   <%s>", name);
    xml_text(x, text);
    vb_buf_printf(x, "</%s>\n", name);
}

/* A language alternative (dc:title, dc:description) or an ordered list (dc:creator) of one item. */
static void
xmp_list(vb_buf_t *x, const char *name, const char *kind, const char *text)
{
    if (!text || !text[0])
        return;
    bool alt = !strcmp(kind, "Alt");
    vb_buf_printf(x, "   <%s><rdf:%s><rdf:li%s>", name, kind, alt ? " xml:lang=\"x-default\"" : "");
    xml_text(x, text);
    vb_buf_printf(x, "</rdf:li></rdf:%s></%s>\n", kind, name);
}

/*
 * The XMP packet of a PDF/A-2b file (ISO 19005-2 §6.6): pdfaid part 2,
 * conformance B, and each entry of the document information in its XMP
 * twin, equal to it (the same cut text, the same instant with its offset).
 */
static vb_status_t
xmp_packet(builder_t *b, const vb_dinfo_t *in, vb_buf_t *x)
{
    struct {
        const char *value;
        char *cut;
    } v[5] = {{in->title, NULL}, {in->author, NULL}, {in->subject, NULL}, {in->keywords, NULL}, {in->creator, NULL}};
    for (int i = 0; i < 5; i++)
        if (v[i].value && !(v[i].value = pdf_text(b, v[i].value, &v[i].cut)))
            v[i].value = "";
    const char *producer = HPDF_GetInfoAttr(b->pdf, HPDF_INFO_PRODUCER);
    vb_buf_printf(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    vb_buf_printf(x, "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                     " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                     "  <rdf:Description rdf:about=\"\"\n"
                     "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                     "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                     "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                     "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                     "   <pdfaid:part>2</pdfaid:part>\n"
                     "   <pdfaid:conformance>B</pdfaid:conformance>\n");
    xmp_list(x, "dc:title", "Alt", v[0].value);
    xmp_list(x, "dc:creator", "Seq", v[1].value);
    xmp_list(x, "dc:description", "Alt", v[2].value);
    xmp_prop(x, "pdf:Keywords", v[3].value);
    xmp_prop(x, "xmp:CreatorTool", v[4].value);
    xmp_prop(x, "pdf:Producer", producer);
    if (in->year > 0) {
        int tz = in->tz_minutes < 0 ? -in->tz_minutes : in->tz_minutes;
        char when[40];
        snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", in->year, in->month, in->day,
                 in->hour, in->minute, in->second, in->tz_minutes < 0 ? '-' : '+', tz / 60, tz % 60);
        xmp_prop(x, "xmp:CreateDate", when);
        xmp_prop(x, "xmp:ModifyDate", when);
        xmp_prop(x, "xmp:MetadataDate", when);
    }
    vb_buf_printf(x, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* room for an editor to rewrite the packet in place, as the XMP specification suggests */
    for (int i = 0; i < 20; i++)
        vb_buf_printf(x, "%99s\n", "");
    vb_buf_printf(x, "<?xpacket end=\"w\"?>");
    for (int i = 0; i < 5; i++)
        free(v[i].cut);
    return x->oom ? vb_diag_nomem(b->d) : VB_OK;
}

/*
 * PDF/A-2b: the header %PDF-1.7, the XMP metadata (an uncompressed
 * /Type /Metadata /Subtype /XML stream on the catalog), and an output intent
 * (GTS_PDFA1) with an sRGB ICC profile, for the DeviceRGB and DeviceGray the
 * pages use. The fonts are embedded already (pdf_font.c), the fields get
 * their appearances in vb_pdf_add_fields, the trailer has its /ID; nothing
 * else the format forbids (encryption, JavaScript, actions) is ever written.
 * Call after add_info (the XMP copies the document information, in).
 */
static vb_status_t
add_pdfa(builder_t *b, const vb_dinfo_t *in)
{
    HPDF_Doc pdf = b->pdf;
    HPDF_MMgr mm = pdf->mmgr;
    pdf->pdf_version = HPDF_VER_17;
    vb_buf_t x = {0};
    unsigned char *icc = NULL;
    size_t icc_len = 0;
    vb_status_t vs = xmp_packet(b, in, &x);
    if (vs == VB_OK)
        vs = vb_icc_srgb(&icc, &icc_len, b->d);
    if (vs != VB_OK)
        goto done;
    HPDF_Dict meta = HPDF_DictStream_New(mm, pdf->xref); /* filter none: the XMP stays readable */
    HPDF_Dict prof = HPDF_DictStream_New(mm, pdf->xref);
    HPDF_Dict oi = HPDF_Dict_New(mm);
    HPDF_Array ois = HPDF_Array_New(mm);
    HPDF_STATUS st = meta && prof && oi && ois ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (st == HPDF_OK)
        st = HPDF_Xref_Add(pdf->xref, oi);
    if (st == HPDF_OK)
        st = HPDF_Dict_AddName(meta, "Type", "Metadata");
    if (st == HPDF_OK)
        st = HPDF_Dict_AddName(meta, "Subtype", "XML");
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.p, (HPDF_UINT)x.n);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(pdf->catalog, "Metadata", meta);
    if (st == HPDF_OK)
        st = HPDF_Dict_AddNumber(prof, "N", 3);
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(prof->stream, icc, (HPDF_UINT)icc_len);
    if (st == HPDF_OK) {
        prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE; /* vb_pdf_deflate_streams compresses it */
        st = HPDF_Dict_AddName(oi, "Type", "OutputIntent");
    }
    if (st == HPDF_OK)
        st = HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(oi, "OutputConditionIdentifier", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(oi, "DestOutputProfile", prof);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(pdf->catalog, "OutputIntents", ois);
    if (st == HPDF_OK)
        st = HPDF_Array_Add(ois, oi);
    if (st != HPDF_OK)
        vs = fail(b, st, "writing the PDF/A metadata");
done:
    vb_buf_free(&x);
    free(icc);
    return vs;
}

/*
 * The content hash behind the /ID: two lanes with different seeds, fed field
 * by field (values, not struct bytes, so padding never matters). It covers
 * everything vb_dlist_dump shows, and the font names, without formatting a
 * dump: that took half the time of a 14-page write.
 */
typedef struct idhash {
    uint64_t a, b;
} idhash_t;

static void
mix(idhash_t *h, uint64_t v)
{
    h->a = (h->a ^ v) * 0x100000001b3ULL;
    h->b = (h->b ^ (v + 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
    h->b ^= h->b >> 29;
}

static void
mix_str(idhash_t *h, const char *s, size_t n)
{
    if (!s) {
        mix(h, 0xffffffffffffffffULL);
        return;
    }
    mix(h, n);
    mix(h, vb_hash_bytes(0xcbf29ce484222325ULL, s, n)); /* the bytes once, into both lanes */
}

static void
mix_cstr(idhash_t *h, const char *s)
{
    mix_str(h, s, s ? strlen(s) : 0);
}

static uint64_t
finalize(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* The hash behind the /ID of dl drawn with fonts, in *h1, *h2. */
static void
id_of(const vb_dlist_t *dl, const vb_fontset_t *fonts, uint64_t *h1_out, uint64_t *h2_out)
{
    idhash_t h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    mix_cstr(&h, "vanban pdf 1");
    const vb_dinfo_t *in = &dl->info;
    mix_cstr(&h, in->title);
    mix_cstr(&h, in->author);
    mix_cstr(&h, in->subject);
    mix_cstr(&h, in->creator);
    mix_cstr(&h, in->keywords);
    mix_cstr(&h, in->profile);
    if (in->duplex) /* mixed only when set: one-sided documents keep their /ID */
        mix_cstr(&h, "duplex");
    if (in->pdfa) /* the same: only PDF/A files differ */
        mix_cstr(&h, "pdfa");
    const int date[] = {in->year, in->month, in->day, in->hour, in->minute, in->second, in->tz_minutes};
    for (size_t i = 0; i < sizeof date / sizeof date[0]; i++)
        mix(&h, (uint64_t)(int64_t)date[i]);
    for (int p = 0; p < dl->npages; p++) {
        const vb_dpage_t *pg = &dl->pages[p];
        mix(&h, ((uint64_t)(uint32_t)pg->width << 32) | (uint32_t)pg->height);
        mix_cstr(&h, pg->label);
        /* the boxes that only describe the layout (all but a signature's) change nothing printed */
        int nhashed = 0;
        for (int i = 0; i < pg->n; i++)
            nhashed += pg->items[i].kind != VB_DITEM_BOX || pg->items[i].u.box.kind == VB_DBOX_SIGNATURE;
        mix(&h, (uint64_t)nhashed);
        for (int i = 0; i < pg->n; i++) {
            const vb_ditem_t *it = &pg->items[i];
            if (it->kind == VB_DITEM_BOX && it->u.box.kind != VB_DBOX_SIGNATURE)
                continue;
            mix(&h, (uint64_t)it->kind);
            if (it->kind == VB_DITEM_RUN) {
                const vb_drun_t *r = &it->u.run;
                mix(&h, ((uint64_t)(uint32_t)r->face << 32) | (uint32_t)r->size);
                /*
                 * The text of the run's own clusters (from the first to the last), not the whole r->text: a
                 * line's run points into its paragraph's text, so hashing all of it on every line made the /ID
                 * quadratic in a paragraph's length (a 100,000-character cell in a narrow column has 20,000
                 * lines).
                 */
                mix(&h, r->text ? (uint64_t)r->text_len : 0xffffffffffffffffULL);
                mix(&h, (uint64_t)r->n);
                /* the glyphs into one multiply-xor lane, mixed into both at the run's end: a third of the work */
                uint64_t gh = 0x9e3779b97f4a7c15ULL;
                for (int g = 0; g < r->n; g++) {
                    const vb_dglyph_t *gl = &r->glyphs[g];
                    /* each glyph and where it stands; its height only where it changes (a raised or lowered one) */
                    gh = (gh ^ (((uint64_t)gl->gid << 32) | (uint32_t)gl->x)) * 0x100000001b3ULL;
                    if (g == 0 || gl->y != r->glyphs[g - 1].y)
                        gh = (gh ^ (uint32_t)gl->y) * 0xff51afd7ed558ccdULL;
                }
                mix(&h, gh);
                /* the text from the first glyph's cluster to the end of the last one's, hashed once */
                if (r->text && r->n > 0) {
                    size_t lo = r->glyphs[0].text_off;
                    size_t hi = (size_t)r->glyphs[r->n - 1].text_off + r->glyphs[r->n - 1].text_len;
                    if (lo > hi) {
                        size_t t = lo;
                        lo = hi;
                        hi = t;
                    }
                    if (hi > r->text_len)
                        hi = r->text_len;
                    if (hi > lo)
                        mix_str(&h, r->text + lo, hi - lo);
                }
            } else if (it->kind == VB_DITEM_RULE) {
                const vb_drule_t *r = &it->u.rule;
                mix(&h, ((uint64_t)(uint32_t)r->x1 << 32) | (uint32_t)r->y1);
                mix(&h, ((uint64_t)(uint32_t)r->x2 << 32) | (uint32_t)r->y2);
                mix(&h, (uint32_t)r->width);
            } else if (it->kind == VB_DITEM_BOX) {
                const vb_dbox_t *x = &it->u.box;
                vb_dboxinfo_t bi;
                vb_dbox_info(dl, x, &bi);
                mix_cstr(&h, bi.name);
                mix(&h, ((uint64_t)(uint32_t)x->x << 32) | (uint32_t)x->y);
                mix(&h, ((uint64_t)(uint32_t)x->w << 32) | (uint32_t)x->h);
            } else if (it->kind == VB_DITEM_IMAGE) {
                const vb_dimage_t *x = &it->u.image;
                mix(&h, vb_fnv1a(VB_FNV_SEED, x->image->data, x->image->len));
                mix(&h, ((uint64_t)(uint32_t)x->x << 32) | (uint32_t)x->y);
                mix(&h, ((uint64_t)(uint32_t)x->w << 32) | (uint32_t)x->h);
            }
        }
    }
    for (int i = 0; i < dl->noutline; i++) {
        const vb_doutline_t *o = &dl->outline[i];
        mix(&h, ((uint64_t)(uint32_t)o->level << 32) | (uint32_t)o->page);
        mix(&h, (uint32_t)o->y);
        mix_cstr(&h, o->title);
    }
    for (int i = 0; i < dl->nlabels; i++) {
        const vb_dlabel_t *l = &dl->labels[i];
        mix(&h, ((uint64_t)(uint32_t)l->first << 32) | (uint32_t)l->start);
        mix_cstr(&h, l->prefix);
    }
    for (int f = 0; fonts && f < VB_NFACES; f++) {
        const vb_font_t *font = vb_fontset_face(fonts, (vb_face_t)f);
        const vb_font_info_t *fi = font ? vb_font_info(font) : NULL;
        mix_cstr(&h, fi ? fi->ps_name : NULL);
        mix(&h, fi ? fi->num_glyphs : 0);
    }
    uint64_t h1 = finalize(h.a), h2 = finalize(h.b ^ h1);
    *h1_out = h1;
    *h2_out = h2;
}

static vb_status_t
set_id(builder_t *b, uint64_t h1, uint64_t h2)
{
    unsigned char id[16];
    for (int i = 0; i < 8; i++) {
        id[i] = (unsigned char)(h1 >> (56 - 8 * i));
        id[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
    }
    return vb_pdf_set_id(b->pdf, id, b->d);
}

/* The trailer /ID: a hash of the display list and the fonts, so equal input gives equal bytes. */
static vb_status_t
add_id(builder_t *b, const vb_fontset_t *fonts)
{
    uint64_t h1, h2;
    id_of(b->dl, fonts, &h1, &h2);
    return set_id(b, h1, h2);
}

/*
 * Saves the document through write(ctx, data, len) as libharu writes it
 * (each call has its own libharu document: two threads writing at once share
 * nothing). A write that returns non-zero stops it: io.write.
 */
static vb_status_t
emit_bytes(builder_t *b, vb_write_fn write, void *ctx)
{
    size_t got = 0;
    int w = vb_pdf_save_to(b->pdf, write, ctx, &got);
    if (w > 0)
        return vb_diag_set(b->d, VB_E_IO, "io.write", NULL, 0, 0,
                           "The PDF could not be written: the writer stopped after %zu bytes.", got);
    if (w < 0)
        return fail(b, HPDF_FAILD_TO_ALLOC_MEM, "saving the document");
    if (got == 0)
        return fail(b, HPDF_OK, "saving the document");
    return VB_OK;
}

/* A PDF in memory: the writer appends to a vb_buf_t, whose only failure is an allocation. */
static int
mem_write(void *ctx, const void *data, size_t len)
{
    return vb_buf_add(ctx, data, len);
}


/*
 * Builds the PDF of dl and hands its bytes to write. Everything it changes is
 * its own (the libharu document, the font subsets, a scratch arena): dl and
 * fonts are only read, so any number of calls may run at once on one display
 * list.
 */
static vb_status_t
build(const vb_dlist_t *dl, const vb_fontset_t *fonts, vb_write_fn write, void *ctx, vb_diag_t *d)
{
    if (!dl)
        return vb_diag_set(d, VB_E_USAGE, "pdf.usage", NULL, 0, 0, "No display list was given.");
    if (dl->npages <= 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.nopages", NULL, 0, 0, "The document has no pages.");

    builder_t b = {.dl = dl, .fontset = fonts, .d = d, .pdfa = dl->info.pdfa};
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    vb_status_t vs = VB_OK;
    b.pdf = HPDF_New(on_error, &b.err);
    if (!b.pdf) {
        vs = vb_diag_nomem(d);
        goto done;
    }
    /*
     * No encoder: text strings are kept as UTF-8 and written by vb_pdf_compact_objects (loading libharu's
     * UTF-8 encoder cost more than the whole outline). Streams are compressed by vb_pdf_deflate_streams.
     */
    HPDF_STATUS st = HPDF_SetCompressionMode(b.pdf, HPDF_COMP_ALL);
    if (st != HPDF_OK) {
        vs = fail(&b, st, "setting up the document");
        goto done;
    }
    if ((vs = vb_pdf_fonts_new(b.pdf, fonts, arena, &b.fonts, d)) == VB_OK) {
        vb_pdf_fonts_set_hinting(b.fonts, dl->info.keep_hinting);
        vb_pdf_fonts_set_digits(b.fonts, dl->info.pdfa && dl->nfields > 0);
    }
    if (vs != VB_OK)
        goto done;
    for (int p = 0; p < dl->npages; p++)
        if ((vs = draw_page(&b, &dl->pages[p])) != VB_OK)
            goto done;
    if (dl->info.duplex && (vs = vb_pdf_set_duplex(b.pdf, d)) != VB_OK)
        goto done;
    if ((vs = vb_pdf_add_fields(b.pdf, dl, d)) != VB_OK ||
        (dl->info.pdfa && (vs = vb_pdf_fonts_form_fonts(b.fonts, d)) != VB_OK))
        goto done;
    if ((vs = add_outline(&b)) != VB_OK || (vs = add_labels(&b)) != VB_OK || (vs = add_info(&b)) != VB_OK ||
        (vs = add_id(&b, fonts)) != VB_OK || (dl->info.pdfa && (vs = add_pdfa(&b, &dl->info)) != VB_OK) ||
        (vs = vb_pdf_fonts_finish(b.fonts, d)) != VB_OK ||
        (vs = vb_pdf_compact_objects(b.pdf, d)) != VB_OK || (vs = vb_pdf_deflate_streams(b.pdf, VB_PDF_DEFLATE_LEVEL, d)) != VB_OK)
        goto done;
    vs = emit_bytes(&b, write, ctx);
done:
    vb_pdf_fonts_free(b.fonts);
    free(b.images);
    if (b.pdf)
        HPDF_Free(b.pdf);
    vb_arena_free(arena);
    return vs;
}

vb_status_t
vb_pdf_write_mem(const vb_dlist_t *dl, const vb_fontset_t *fonts, unsigned char **out, size_t *len, vb_diag_t *d)
{
    *out = NULL;
    *len = 0;
    vb_buf_t m = {0};
    vb_diag_t local;
    memset(&local, 0, sizeof local);
    vb_status_t vs = build(dl, fonts, mem_write, &m, &local);
    bool oom = m.oom;
    char *p = vb_buf_take(&m, len);
    if (vs != VB_OK || !p) {
        free(p);
        *len = 0;
        /* the writer's only failure is an allocation */
        if (oom || vs == VB_OK)
            return vb_diag_nomem(d);
        if (d && d->code == VB_OK)
            *d = local;
        return vs;
    }
    *out = (unsigned char *)p;
    return VB_OK;
}

vb_status_t
vb_pdf_write(const vb_dlist_t *dl, const vb_fontset_t *fonts, vb_write_fn write, void *ctx, vb_diag_t *d)
{
    if (!write)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "No writer was given.");
    return build(dl, fonts, write, ctx, d);
}

/* ------------------------------------------------------------ files */

static vb_status_t
io_fail(vb_diag_t *d, const char *path, const char *what, int err)
{
    char msg[128];
    if (strerror_r(err, msg, sizeof msg) != 0)
        msg[0] = 0;
    return vb_diag_set(d, VB_E_IO, "io.write", path, 0, 0, "Cannot %s %s: %s.", what, path,
                       msg[0] ? msg : "unknown error");
}

/*
 * Adds the output path to a diagnostic set while building ("... (writing
 * out.pdf)."), so every failed write names the file it did not write.
 */
static void
name_output(vb_diag_t *d, const char *path)
{
    if (!d || d->code == VB_OK || strstr(d->msg, path))
        return;
    size_t n = strlen(d->msg);
    if (n > 0 && d->msg[n - 1] == '.')
        d->msg[--n] = 0;
    snprintf(d->msg + n, sizeof d->msg - n, " (writing %s).", path);
    if (!d->source[0])
        snprintf(d->source, sizeof d->source, "%s", path);
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The longest output name kept whole in the temporary name: "." + name + ".XXXXXX" within NAME_MAX (255). */
#define TEMP_BASE_MAX (255 - 8)

/*
 * Creates "<dir>/.<base>.XXXXXX" exclusively; the six letters mix the pid, the
 * clock and the attempt number (no global state, no shared generator).
 */
static int
open_temp(char *tmp, size_t suffix_at, void (*on_tempfile)(const char *, void *), void *ctx)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                    (uint64_t)(uintptr_t)tmp;
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t h = vb_fnv1a(seed, &attempt, sizeof attempt);
        for (int i = 0; i < 6; i++) {
            tmp[suffix_at + (size_t)i] = letters[h % 62];
            h /= 62;
        }
        /* the caller learns the name first, so a signal between open and the callback cannot strand the file */
        if (on_tempfile)
            on_tempfile(tmp, ctx);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

vb_status_t
vb_pdf_write_file(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path, vb_diag_t *d)
{
    return vb_pdf_write_file_cb(dl, fonts, path, NULL, NULL, d);
}

vb_status_t
vb_pdf_write_file_cb(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path,
                     void (*on_tempfile)(const char *, void *), void *ctx, vb_diag_t *d)
{
    return vb_pdf_save(dl, fonts, path, on_tempfile, ctx, true, d);
}

/* Flushes the folder dir, so that a rename in it survives a power cut. */
static int
sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/*
 * Failures after the temporary file exists name the output path, not the
 * temporary name: that is the file the user asked for, and the message stays
 * the same from one run to the next.
 */
static vb_status_t save_atomic(const vb_dlist_t *dl, const vb_fontset_t *fonts, const unsigned char *bytes,
                               size_t nbytes, const char *path, void (*on_tempfile)(const char *, void *), void *ctx,
                               bool durable, vb_diag_t *d);

vb_status_t
vb_pdf_save(const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *path,
            void (*on_tempfile)(const char *, void *), void *ctx, bool durable, vb_diag_t *d)
{
    return save_atomic(dl, fonts, NULL, 0, path, on_tempfile, ctx, durable, d);
}

vb_status_t
vb_file_save(const unsigned char *bytes, size_t len, const char *path, void (*on_tempfile)(const char *, void *),
             void *ctx, bool durable, vb_diag_t *d)
{
    return save_atomic(NULL, NULL, bytes, len, path, on_tempfile, ctx, durable, d);
}

/* The PDF of dl, or bytes when dl is NULL, written to path through a temporary file. */
static vb_status_t
save_atomic(const vb_dlist_t *dl, const vb_fontset_t *fonts, const unsigned char *bytes, size_t nbytes,
            const char *path, void (*on_tempfile)(const char *, void *), void *ctx, bool durable, vb_diag_t *d)
{
    if (!path || !path[0])
        return vb_diag_set(d, VB_E_USAGE, "pdf.usage", NULL, 0, 0, "No output path was given.");
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!base[0])
        return vb_diag_set(d, VB_E_IO, "io.write", path, 0, 0, "The output path %s names a directory.", path);
    size_t dirlen = slash ? (size_t)(slash - path) : 0;

    /* dir: "." for a bare name, "/" for a file in the root */
    size_t tmpcap = dirlen + strlen(base) + 16;
    char *tmp = malloc(tmpcap);
    char *dir = malloc(dirlen + 2);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        return vb_diag_nomem(d);
    }
    if (slash) {
        memcpy(dir, path, dirlen);
        dir[dirlen] = 0;
        if (dirlen == 0)
            strcpy(dir, "/");
    } else {
        strcpy(dir, ".");
    }
    /*
     * ".<base>.XXXXXX" is 8 bytes longer than the output's name: a name of
     * 248 to 255 bytes (NAME_MAX) would give a temporary name too long for
     * the folder, so the base is cut to fit, at a character's start.
     */
    size_t blen = strlen(base);
    if (blen > TEMP_BASE_MAX) {
        blen = TEMP_BASE_MAX;
        while (blen > 0 && ((unsigned char)base[blen] & 0xC0) == 0x80)
            blen--;
    }
    int n = slash ? snprintf(tmp, tmpcap, "%.*s/.%.*s.", (int)dirlen, path, (int)blen, base)
                  : snprintf(tmp, tmpcap, ".%.*s.", (int)blen, base);
    size_t suffix_at = (size_t)n;
    memcpy(tmp + suffix_at, "XXXXXX", 7);

    unsigned char *pdf = NULL;
    size_t len = 0;
    vb_status_t vs;
    struct stat sb;
    int fd = -1;
    /* checked first: no point building a PDF that cannot be written */
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        vs = vb_diag_set(d, VB_E_IO, "io.write", path, 0, 0, "The output directory %s does not exist.", dir);
        goto out;
    }
    if (!dl) {
        len = nbytes;
        vs = VB_OK;
    } else if ((vs = vb_pdf_write_mem(dl, fonts, &pdf, &len, d)) != VB_OK) {
        name_output(d, path);
        goto out;
    }
    fd = open_temp(tmp, suffix_at, on_tempfile, ctx);
    if (fd < 0) {
        vs = io_fail(d, dir, "create a temporary file in", errno);
        if (on_tempfile)
            on_tempfile(NULL, ctx);
        goto out;
    }
    if (write_all(fd, dl ? pdf : bytes, len) != 0) {
        vs = io_fail(d, path, "write", errno);
        goto unlink_tmp;
    }
    if (durable && fsync(fd) != 0) {
        vs = io_fail(d, path, "flush", errno);
        goto unlink_tmp;
    }
    int rc = close(fd);
    fd = -1;
    if (rc != 0) {
        vs = io_fail(d, path, "close", errno);
        goto unlink_tmp;
    }
    /* only a regular file is replaced: a device, FIFO or folder put there meanwhile stays (io.output-kind) */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        vb_file_result_t fr = {.status = VB_FILE_KIND, .mode = (unsigned)sb.st_mode};
        vs = vb_diag_set(d, VB_E_IO, "io.output-kind", path, 0, 0,
                         "The output %s cannot be replaced: %s; only a regular file is replaced.", path,
                         vb_file_why(&fr));
        goto unlink_tmp;
    }
    if (rename(tmp, path) != 0) {
        vs = io_fail(d, path, "replace", errno);
        goto unlink_tmp;
    }
    if (on_tempfile)
        on_tempfile(NULL, ctx);
    /* the PDF is complete and in place; only its surviving a power cut is in doubt */
    if (durable && sync_dir(dir) != 0)
        vs = io_fail(d, dir, "flush the folder", errno);
    goto out;

unlink_tmp:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    if (on_tempfile)
        on_tempfile(NULL, ctx);
out:
    free(tmp);
    free(dir);
    free(pdf);
    return vs;
}

/* ------------------------------------------------------------ a combined PDF */

/* The font table of one font set in a combined PDF (rows on different profiles may use different fonts). */
typedef struct book_fonts {
    const vb_fontset_t *fontset;
    vb_pdf_fonts_t *pf;
} book_fonts_t;

struct vb_pdf_book {
    builder_t b;            /* the document, its error slot and its images; dl and fonts are the last added */
    vb_arena_t *arena;      /* the font tables and the glyphs' texts */
    book_fonts_t *tables;
    int ntables;
    int npages;
    int ndocs;
    char *title;
    idhash_t id;            /* over each added document's /ID hash and entry title */
    bool dated;             /* the dates and creator were set (from the first document) */
    bool finished;
    vb_dinfo_t info;        /* what the Info says: the title, the first document's creator and dates */
};

vb_status_t
vb_pdf_book_new(const char *title, vb_pdf_book_t **out, vb_diag_t *d)
{
    *out = NULL;
    vb_pdf_book_t *bk = calloc(1, sizeof *bk);
    if (!bk)
        return vb_diag_nomem(d);
    bk->id = (idhash_t){0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    mix_cstr(&bk->id, "vanban combined pdf 1");
    mix_cstr(&bk->id, title);
    bk->b.d = d;
    if (!(bk->arena = vb_arena_new()) || (title && !(bk->title = strdup(title)))) {
        vb_pdf_book_free(bk);
        return vb_diag_nomem(d);
    }
    bk->b.pdf = HPDF_New(on_error, &bk->b.err);
    if (!bk->b.pdf) {
        vb_pdf_book_free(bk);
        return vb_diag_nomem(d);
    }
    HPDF_STATUS st = HPDF_SetCompressionMode(bk->b.pdf, HPDF_COMP_ALL);
    if (st != HPDF_OK) {
        vb_status_t vs = fail(&bk->b, st, "setting up the combined document");
        vb_pdf_book_free(bk);
        return vs;
    }
    *out = bk;
    return VB_OK;
}

int
vb_pdf_book_pages(const vb_pdf_book_t *bk)
{
    return bk ? bk->npages : 0;
}

/* The font table for fonts: one per font set, made on first use. */
static vb_status_t
book_table(vb_pdf_book_t *bk, const vb_dlist_t *dl, const vb_fontset_t *fonts, vb_pdf_fonts_t **out, vb_diag_t *d)
{
    for (int i = 0; i < bk->ntables; i++)
        if (bk->tables[i].fontset == fonts) {
            *out = bk->tables[i].pf;
            return VB_OK;
        }
    book_fonts_t *nt = realloc(bk->tables, sizeof *nt * (size_t)(bk->ntables + 1));
    if (!nt)
        return vb_diag_nomem(d);
    bk->tables = nt;
    vb_pdf_fonts_t *pf = NULL;
    vb_status_t vs = vb_pdf_fonts_new(bk->b.pdf, fonts, bk->arena, &pf, d);
    if (vs != VB_OK)
        return vs;
    vb_pdf_fonts_set_hinting(pf, dl->info.keep_hinting);
    vb_pdf_fonts_set_own_text(pf, true);
    nt[bk->ntables++] = (book_fonts_t){fonts, pf};
    *out = pf;
    return VB_OK;
}

/*
 * The images placed so far keep a copy of their file, so that a later
 * document placing the same file (a logo on every row) shares the object once
 * this document is freed.
 */
static vb_status_t
book_own_images(vb_pdf_book_t *bk, vb_diag_t *d)
{
    for (int i = 0; i < bk->b.nimages; i++) {
        placed_image_t *pi = &bk->b.images[i];
        if (pi->own || !pi->image)
            continue;
        pi->own = malloc(pi->len ? pi->len : 1);
        if (!pi->own)
            return vb_diag_nomem(d);
        memcpy(pi->own, pi->data, pi->len);
        pi->data = pi->own;
        pi->image = NULL;
    }
    return VB_OK;
}

vb_status_t
vb_pdf_book_add(vb_pdf_book_t *bk, const vb_dlist_t *dl, const vb_fontset_t *fonts, const char *title,
                vb_diag_t *d)
{
    if (!bk || !dl || bk->finished)
        return vb_diag_set(d, VB_E_USAGE, "pdf.usage", NULL, 0, 0, "No combined document or display list.");
    if (dl->npages <= 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.nopages", NULL, 0, 0, "The document has no pages.");
    builder_t *b = &bk->b;
    b->dl = dl;
    b->fontset = fonts;
    b->d = d;
    b->pdfa |= dl->info.pdfa; /* the rows of a batch share their template: all or none */
    vb_status_t vs = book_table(bk, dl, fonts, &b->fonts, d);
    int page0 = bk->npages;
    for (int p = 0; p < dl->npages && vs == VB_OK; p++)
        vs = draw_page(b, &dl->pages[p]);
    if (vs != VB_OK)
        return vs;
    bk->npages += dl->npages;
    /* one top-level entry for the document (closed), its own outline under it */
    char *cut;
    const char *t = pdf_text(b, title ? title : "", &cut);
    if (!t)
        return vb_diag_nomem(d);
    HPDF_Outline row = HPDF_CreateOutline(b->pdf, NULL, t, NULL);
    free(cut);
    HPDF_Page first = HPDF_GetPageByIndex(b->pdf, (HPDF_UINT)page0);
    if (!row || !first)
        return fail(b, HPDF_OK, "adding an outline entry");
    if ((vs = vb_pdf_outline_dest(b->pdf, row, first, pt(dl->pages[0].height), d)) != VB_OK)
        return vs;
    HPDF_STATUS st = HPDF_Outline_SetOpened(row, HPDF_FALSE);
    if (st != HPDF_OK)
        return fail(b, st, "adding an outline entry");
    if ((vs = outline_entries(b, row, page0)) != VB_OK)
        return vs;
    if (!bk->dated) {
        /* the first document's dates and creator: the combined PDF is as reproducible as its rows */
        const vb_dinfo_t *in = &dl->info;
        if (in->creator && in->creator[0] && (st = HPDF_SetInfoAttr(b->pdf, HPDF_INFO_CREATOR, in->creator)) != HPDF_OK)
            return fail(b, st, "setting the document information");
        if ((vs = add_date(b, in)) != VB_OK)
            return vs;
        bk->info = (vb_dinfo_t){.year = in->year, .month = in->month, .day = in->day, .hour = in->hour,
                                .minute = in->minute, .second = in->second, .tz_minutes = in->tz_minutes};
        if (in->creator && !(bk->info.creator = vb_arena_strdup(bk->arena, in->creator)))
            return vb_diag_nomem(d);
        bk->dated = true;
    }
    uint64_t h1, h2;
    id_of(dl, fonts, &h1, &h2);
    mix(&bk->id, h1);
    mix(&bk->id, h2);
    mix_cstr(&bk->id, title);
    bk->ndocs++;
    vs = book_own_images(bk, d);
    b->dl = NULL;
    b->fontset = NULL;
    return vs;
}

static vb_status_t
produce_book(void *pctx, unsigned char **out, size_t *len, vb_diag_t *d)
{
    vb_pdf_book_t *bk = pctx;
    builder_t *b = &bk->b;
    b->d = d;
    *out = NULL;
    *len = 0;
    if (bk->finished)
        return vb_diag_set(d, VB_E_USAGE, "pdf.usage", NULL, 0, 0, "The combined document was saved already.");
    bk->finished = true;
    if (bk->npages == 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.nopages", NULL, 0, 0, "The combined document has no pages.");
    vb_status_t vs = VB_OK;
    HPDF_STATUS st = HPDF_SetPageMode(b->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    if (st != HPDF_OK)
        return fail(b, st, "setting the page mode");
    if (bk->title && bk->title[0]) {
        char *cut;
        const char *t = pdf_text(b, bk->title, &cut);
        if (!t)
            return vb_diag_nomem(d);
        st = HPDF_SetInfoAttr(b->pdf, HPDF_INFO_TITLE, t);
        free(cut);
        if (st != HPDF_OK)
            return fail(b, st, "setting the document information");
    }
    uint64_t h1 = finalize(bk->id.a), h2 = finalize(bk->id.b ^ h1);
    if ((vs = set_id(b, h1, h2)) != VB_OK)
        return vs;
    bk->info.title = bk->title;
    if (b->pdfa && (vs = add_pdfa(b, &bk->info)) != VB_OK)
        return vs;
    for (int i = 0; i < bk->ntables; i++)
        if ((vs = vb_pdf_fonts_finish(bk->tables[i].pf, d)) != VB_OK)
            return vs;
    if ((vs = vb_pdf_compact_objects(b->pdf, d)) != VB_OK ||
        (vs = vb_pdf_deflate_streams(b->pdf, VB_PDF_DEFLATE_LEVEL, d)) != VB_OK)
        return vs;
    vb_buf_t m = {0};
    vs = emit_bytes(b, mem_write, &m);
    bool oom = m.oom;
    char *p = vb_buf_take(&m, len);
    if (vs != VB_OK || !p) {
        free(p);
        *len = 0;
        return vs != VB_OK && !oom ? vs : vb_diag_nomem(d);
    }
    *out = (unsigned char *)p;
    return VB_OK;
}

vb_status_t
vb_pdf_book_save(vb_pdf_book_t *bk, const char *path, void (*on_tempfile)(const char *, void *), void *ctx,
                 bool durable, vb_diag_t *d)
{
    if (!bk)
        return vb_diag_set(d, VB_E_USAGE, "pdf.usage", NULL, 0, 0, "No combined document.");
    unsigned char *bytes = NULL;
    size_t len = 0;
    vb_status_t vs = produce_book(bk, &bytes, &len, d);
    if (vs == VB_OK)
        vs = vb_file_save(bytes, len, path, on_tempfile, ctx, durable, d);
    free(bytes);
    return vs;
}

void
vb_pdf_book_free(vb_pdf_book_t *bk)
{
    if (!bk)
        return;
    for (int i = 0; i < bk->ntables; i++)
        vb_pdf_fonts_free(bk->tables[i].pf);
    free(bk->tables);
    for (int i = 0; i < bk->b.nimages; i++)
        free(bk->b.images[i].own);
    free(bk->b.images);
    if (bk->b.pdf)
        HPDF_Free(bk->b.pdf);
    vb_arena_free(bk->arena);
    free(bk->title);
    free(bk);
}
