/*
 * pdf_font.c - our own Identity-H fonts and raw text operators inside libharu.
 *
 * The only file that touches libharu internals (see pdf_font.h). Why not
 * libharu's own TrueType path: it addresses glyphs by code point, drops
 * zero-width marks, loses nested composite glyphs, writes an invalid ToUnicode
 * CMap and 15 KB of widths per face (feasibility notes §1-2). Instead:
 *
 * Fonts. Each face drawn with becomes a Type0 font (Encoding /Identity-H, so a
 * code is a 2-byte glyph id) over a CIDFontType2 with CIDToGIDMap /Identity.
 * The Type0 dict is created when the face is first drawn with (pages need it
 * in their resources); the rest is built in vb_pdf_fonts_finish, when the used
 * glyphs are known: W for the used glyphs only, a ToUnicode CMap, a CIDSet, a
 * FontDescriptor and the hb-subset font program (FontFile2, glyph ids kept).
 * The subset tag (ABCDEF+) is a hash of the used glyph set, so equal input
 * gives equal names.
 *
 * Widths. W holds each glyph's advance in whole 1/1000 em units: MuPDF
 * stores W entries as integers, so fractional widths would place its glyphs
 * differently from poppler's and Acrobat's. The text emitter tracks the pen a
 * viewer computes from exactly those numbers, in integer units of 1e-6
 * millipoint (width * size is exact), so the TJ numbers absorb the rounding
 * of the widths and rounding never accumulates.
 *
 * Text. A run is one BT/ET object: "/Fn size Tf", "1 0 0 1 x y Tm" at the first
 * glyph, then one TJ array. Before each glyph, when the pen is more than
 * 0.0005 pt away from the glyph's x, a TJ number (1/1000 text space, rounded
 * to 0.1) moves it; the pen takes the rounded value. Kerning, justification
 * and mark offsets all come out of this one rule. A glyph off the run's
 * baseline (a positioned mark) closes the array and sets the text rise (Ts),
 * which is reset to 0 at the end of the run because Ts outlives ET.
 *
 * ToUnicode. One entry per used glyph. The text comes from the glyph's
 * cluster: a one-glyph cluster maps to the whole cluster text (ligatures,
 * precomposed letters); a cluster of k glyphs and k code points maps glyph i
 * to code point i (base + combining marks); any other cluster maps its first
 * glyph to the whole text. A better kind of evidence replaces a weaker one,
 * otherwise the first mapping seen wins. Input is NFC (model.h), so a
 * precomposed letter always gets its precomposed text.
 */
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <libdeflate.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "pdf_font.h"
#include "subset.h"

/* How a glyph's ToUnicode text was found; a higher value replaces a lower one. */
enum {
    MAP_NONE = 0,
    MAP_FIRST_OF_CLUSTER, /* first glyph of an irregular cluster: whole text */
    MAP_ONE_TO_ONE,       /* glyph i of a k-glyph, k-code-point cluster */
    MAP_WHOLE_CLUSTER     /* the only glyph of its cluster */
};

/* PDF allows up to 512 bytes per bfchar destination, i.e. 256 UTF-16 units. */
#define MAX_UTF16_UNITS 256
#define BFCHAR_BLOCK 100

typedef struct gslot {
    const char *text; /* ToUnicode text: a slice of a run's text (the display list outlives the save) */
    uint32_t len;
    int32_t wmilli;   /* W width (whole 1/1000 em units) times 1000, as vb_fmt_milli takes it */
    uint8_t used;
    uint8_t map;      /* MAP_* */
} gslot_t;

/* Raw text a dict's write_fn appends before its ">>". */
typedef struct rawtext {
    char *s;
    size_t n;
} rawtext_t;

typedef struct pface {
    const vb_font_t *font;
    const vb_font_info_t *info;
    HPDF_Dict type0; /* NULL until the face is first drawn with */
    gslot_t *slots;  /* info->num_glyphs entries */
    VB_VEC(uint32_t) used;
    rawtext_t w;     /* the /W entry of the CIDFont dict */
} pface_t;

struct vb_pdf_fonts {
    HPDF_Doc pdf;
    const vb_fontset_t *fonts;
    vb_arena_t *arena;
    pface_t faces[VB_NFACES];
    /* scratch for building content and CMap text; malloc'd, reused */
    char *buf;
    size_t n, cap;
    bool nomem;
    bool hinting;     /* keep the TrueType hinting in the subsets */
    /* the page being drawn: its open text object or path, and the state set on it */
    HPDF_Page page;
    bool in_text, in_path;
    int tface;        /* face and size of the last Tf, or -1 */
    vb_len_t tsize;
    int64_t tx, ty;   /* the text line origin (PDF millipoints) the next Td moves from */
    vb_len_t lwidth;  /* the line width set on the page, -1 for the default */
};

/* ------------------------------------------------------------ helpers */

vb_status_t
vb_pdf_haru_fail(HPDF_Doc pdf, HPDF_STATUS st, const char *what, vb_diag_t *d)
{
    HPDF_STATUS code = st != HPDF_OK ? st : pdf ? HPDF_GetError(pdf) : HPDF_OK;
    HPDF_STATUS detail = pdf ? HPDF_GetErrorDetail(pdf) : HPDF_OK;
    (void)detail;
    if (code == HPDF_FAILD_TO_ALLOC_MEM)
        return vb_diag_nomem(d);
    /* what the PDF library refused, in words: its error numbers mean nothing to a writer */
    const char *why;
    switch (code) {
    case HPDF_PAGE_INVALID_SIZE:
        why = "the page is not a size a PDF page can have (3pt to 14400pt)";
        break;
    case HPDF_STRING_OUT_OF_RANGE:
        why = "a text is longer than a PDF string can be (65535 bytes)";
        break;
    case HPDF_PAGE_OUT_OF_RANGE:
    case HPDF_REAL_OUT_OF_RANGE:
    case HPDF_INVALID_PARAMETER:
        why = "a length or position is outside what a PDF can hold (at most 32767pt)";
        break;
    case HPDF_INVALID_PNG_IMAGE:
    case HPDF_LIBPNG_ERROR:
    case HPDF_INVALID_IMAGE:
    case HPDF_INVALID_COLOR_SPACE:
    case HPDF_INVALID_BIT_PER_COMPONENT:
        why = "the image is a kind of PNG the PDF library cannot embed";
        break;
    case HPDF_FILE_IO_ERROR:
    case HPDF_FILE_OPEN_ERROR:
        why = "a file could not be read or written";
        break;
    case HPDF_ZLIB_ERROR:
        why = "compressing a stream failed";
        break;
    default:
        why = "the PDF library stopped with an internal error";
        break;
    }
    return vb_diag_set(d, VB_E_PDF, "pdf.write", NULL, 0, 0, "The PDF could not be made while %s: %s.", what, why);
}

static void
buf_put(vb_pdf_fonts_t *pf, const char *s, size_t n)
{
    if (pf->nomem)
        return;
    if (pf->n + n > pf->cap) {
        size_t ncap = pf->cap ? pf->cap : 4096;
        while (ncap < pf->n + n)
            ncap *= 2;
        char *nb = realloc(pf->buf, ncap);
        if (!nb) {
            pf->nomem = true;
            return;
        }
        pf->buf = nb;
        pf->cap = ncap;
    }
    memcpy(pf->buf + pf->n, s, n);
    pf->n += n;
}

static void
buf_str(vb_pdf_fonts_t *pf, const char *s)
{
    buf_put(pf, s, strlen(s));
}

/* Appends v/1000 (locale-free) followed by sep (0 for none). */
static void
buf_milli(vb_pdf_fonts_t *pf, int64_t v, char sep)
{
    char tmp[32];
    int n = vb_fmt_milli(tmp, v);
    if (sep)
        tmp[n++] = sep;
    buf_put(pf, tmp, (size_t)n);
}

static void
buf_int(vb_pdf_fonts_t *pf, int64_t v, char sep)
{
    buf_milli(pf, v * 1000, sep);
}

/* Appends a TJ number of k tenths of a unit, without a leading zero (".2", "-.1", "12.5"). */
static void
buf_tj(vb_pdf_fonts_t *pf, int64_t k)
{
    char tmp[32];
    int n = vb_fmt_milli(tmp, k * 100);
    const char *s = tmp;
    if (s[0] == '0' && s[1] == '.') {
        s++;
        n--;
    } else if (s[0] == '-' && s[1] == '0' && s[2] == '.') {
        tmp[1] = '-';
        s++;
        n--;
    }
    buf_put(pf, s, (size_t)n);
}

static const char hexd[] = "0123456789ABCDEF";

/*
 * Appends a 2-byte code inside a literal string: the two bytes as they are,
 * escaping only what the string syntax needs (backslash, parentheses, and CR
 * and LF, which a reader would turn into a line end). Half the bytes of a hex
 * string, so half the bytes for zlib to compress.
 */
static void
buf_code16(vb_pdf_fonts_t *pf, unsigned v)
{
    char t[8];
    int n = 0;
    unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    for (int i = 0; i < 2; i++) {
        switch (b[i]) {
        case '\\':
        case '(':
        case ')':
            t[n++] = '\\';
            t[n++] = (char)b[i];
            break;
        case '\r':
            t[n++] = '\\';
            t[n++] = 'r';
            break;
        case '\n':
            t[n++] = '\\';
            t[n++] = 'n';
            break;
        default:
            t[n++] = (char)b[i];
        }
    }
    buf_put(pf, t, (size_t)n);
}

static void
buf_hex16(vb_pdf_fonts_t *pf, unsigned v)
{
    char t[4] = {hexd[(v >> 12) & 15], hexd[(v >> 8) & 15], hexd[(v >> 4) & 15], hexd[v & 15]};
    buf_put(pf, t, 4);
}

/* Font units to 1/1000 em, rounded to an integer (descriptor metrics). */
static int32_t
em1000(const vb_font_info_t *fi, int v)
{
    int64_t x = (int64_t)v * 1000;
    int64_t u = fi->upem > 0 ? fi->upem : 1000;
    return (int32_t)(x >= 0 ? (x + u / 2) / u : -((-x + u / 2) / u));
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* libharu calls this while writing the dict, just before its ">>". */
static HPDF_STATUS
write_raw(HPDF_Dict dict, HPDF_Stream stream)
{
    const rawtext_t *rt = dict->attr;
    if (!rt || rt->n == 0)
        return HPDF_OK;
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)rt->s, (HPDF_UINT)rt->n);
}

/* ------------------------------------------------------------ the table */

void
vb_pdf_fonts_set_hinting(vb_pdf_fonts_t *pf, bool hinting)
{
    pf->hinting = hinting;
}

vb_status_t
vb_pdf_fonts_new(HPDF_Doc pdf, const vb_fontset_t *fonts, vb_arena_t *arena, vb_pdf_fonts_t **out, vb_diag_t *d)
{
    *out = NULL;
    vb_pdf_fonts_t *pf = VB_NEW(arena, vb_pdf_fonts_t);
    if (!pf)
        return vb_diag_nomem(d);
    pf->pdf = pdf;
    pf->fonts = fonts;
    pf->arena = arena;
    *out = pf;
    return VB_OK;
}

void
vb_pdf_fonts_free(vb_pdf_fonts_t *pf)
{
    if (!pf)
        return;
    free(pf->buf);
    pf->buf = NULL;
    pf->n = pf->cap = 0;
}

/* Returns the face's state, creating its Type0 dict on first use. */
static vb_status_t
face_get(vb_pdf_fonts_t *pf, int face, pface_t **out, vb_diag_t *d)
{
    *out = NULL;
    if (face < 0 || face >= VB_NFACES)
        return vb_diag_set(d, VB_E_PDF, "pdf.face", NULL, 0, 0, "A text run names face %d, which does not exist.",
                           face);
    pface_t *pc = &pf->faces[face];
    *out = pc;
    if (pc->type0)
        return VB_OK;
    const vb_font_t *f = pf->fonts ? vb_fontset_face(pf->fonts, (vb_face_t)face) : NULL;
    const vb_font_info_t *fi = f ? vb_font_info(f) : NULL;
    if (!fi || fi->num_glyphs == 0 || fi->upem <= 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.face", NULL, 0, 0, "A text run names face %d, which has no font.",
                           face);
    pc->slots = VB_NEWN(pf->arena, gslot_t, fi->num_glyphs);
    if (!pc->slots)
        return vb_diag_nomem(d);
    HPDF_Dict t0 = HPDF_Dict_New(pf->pdf->mmgr);
    if (!t0)
        return vb_pdf_haru_fail(pf->pdf, HPDF_FAILD_TO_ALLOC_MEM, "creating a font", d);
    HPDF_STATUS st = HPDF_Xref_Add(pf->pdf->xref, t0); /* frees t0 on failure */
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pf->pdf, st, "creating a font", d);
    pc->font = f;
    pc->info = fi;
    pc->type0 = t0;
    return VB_OK;
}

/* Marks gid used (with its W width) and returns its slot. */
static gslot_t *
use_glyph(vb_pdf_fonts_t *pf, pface_t *pc, uint32_t gid)
{
    gslot_t *s = &pc->slots[gid];
    if (!s->used) {
        if (VB_PUSH(pf->arena, pc->used, gid) != 0)
            return NULL;
        /* whole units: MuPDF reads W as integers, so a fraction would move its glyphs */
        s->wmilli = em1000(pc->info, vb_font_glyph_advance(pc->font, gid)) * 1000;
        s->used = 1;
    }
    return s;
}

static void
set_map(gslot_t *s, const char *text, size_t len, int kind)
{
    if (s->map >= kind || len == 0)
        return;
    s->text = text;
    s->len = (uint32_t)len;
    s->map = (uint8_t)kind;
}

/* Records the ToUnicode evidence of the cluster glyphs[i..j) (see the top comment). */
static void
map_cluster(pface_t *pc, const vb_drun_t *run, int i, int j)
{
    const vb_dglyph_t *g = run->glyphs;
    if (!run->text || g[i].text_len == 0 || (size_t)g[i].text_off + g[i].text_len > run->text_len)
        return;
    const char *t = run->text + g[i].text_off;
    size_t tl = g[i].text_len;
    if (j - i == 1) {
        set_map(&pc->slots[g[i].gid], t, tl, MAP_WHOLE_CLUSTER);
        return;
    }
    /* count code points; they map one to one when there are as many as glyphs */
    int ncp = 0;
    for (size_t o = 0; o < tl;) {
        uint32_t cp;
        int l = vb_utf8_decode(t + o, tl - o, &cp);
        if (l <= 0)
            return; /* invalid UTF-8: no mapping rather than a wrong one */
        o += (size_t)l;
        ncp++;
    }
    if (ncp == j - i) {
        size_t o = 0;
        for (int k = i; k < j; k++) {
            uint32_t cp;
            int l = vb_utf8_decode(t + o, tl - o, &cp);
            set_map(&pc->slots[g[k].gid], t + o, (size_t)l, MAP_ONE_TO_ONE);
            o += (size_t)l;
        }
    } else {
        set_map(&pc->slots[g[i].gid], t, tl, MAP_FIRST_OF_CLUSTER);
    }
}

/* Appends pf->buf to the page's content stream. */
static vb_status_t
page_write(vb_pdf_fonts_t *pf, const char *what, vb_diag_t *d)
{
    if (pf->nomem)
        return vb_diag_nomem(d);
    if (pf->n == 0)
        return VB_OK;
    HPDF_PageAttr attr = (HPDF_PageAttr)pf->page->attr;
    HPDF_STATUS st = HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)pf->buf, (HPDF_UINT)pf->n);
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pf->pdf, st, what, d);
    return VB_OK;
}

/* Makes page the one drawn on: a new page starts with the default graphics state. */
static vb_status_t
use_page(vb_pdf_fonts_t *pf, HPDF_Page page, vb_diag_t *d)
{
    if (pf->page == page)
        return VB_OK;
    if (pf->in_text || pf->in_path)
        return vb_diag_set(d, VB_E_PDF, "pdf.page", NULL, 0, 0, "A page was left with its drawing open.");
    pf->page = page;
    pf->tface = -1;
    pf->tsize = 0;
    pf->lwidth = -1;
    return VB_OK;
}

/* Glyphs in one TJ array at most: each may add a string and a number, 2 * 2048 < 8191. */
#define TJ_GLYPHS 2048

vb_status_t
vb_pdf_fonts_draw_run(vb_pdf_fonts_t *pf, HPDF_Page page, vb_len_t page_height, const vb_drun_t *run, vb_diag_t *d)
{
    if (run->n <= 0)
        return VB_OK;
    if (run->size <= 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.size", NULL, 0, 0, "A text run has font size %d millipoints.",
                           (int)run->size);
    pface_t *pc = NULL;
    vb_status_t vs = face_get(pf, run->face, &pc, d);
    if (vs != VB_OK)
        return vs;

    /* glyph use and text first: a bad glyph id fails before anything is written */
    const vb_dglyph_t *g = run->glyphs;
    for (int i = 0; i < run->n; i++) {
        if (g[i].gid >= pc->info->num_glyphs)
            return vb_diag_set(d, VB_E_PDF, "pdf.glyph", pc->info->path, 0, 0,
                               "Glyph %u is not in the font (it has %u glyphs).", (unsigned)g[i].gid,
                               pc->info->num_glyphs);
        if (!use_glyph(pf, pc, g[i].gid))
            return vb_diag_nomem(d);
    }
    for (int i = 0; i < run->n;) {
        int j = i + 1;
        while (j < run->n && g[j].text_len == 0)
            j++;
        map_cluster(pc, run, i, j);
        i = j;
    }

    const char *fname = HPDF_Page_GetLocalFontName(page, pc->type0);
    if (!fname)
        return vb_pdf_haru_fail(pf->pdf, HPDF_OK, "adding a font to a page", d);
    vs = use_page(pf, page, d);
    if (vs != VB_OK)
        return vs;

    /* The baseline is the first cluster-starting glyph's y: a run rarely starts with a mark. */
    vb_len_t base_y = g[0].y;
    for (int i = 0; i < run->n; i++)
        if (g[i].text_len > 0) {
            base_y = g[i].y;
            break;
        }
    vb_len_t x0 = g[0].x;

    pf->n = 0;
    if (pf->in_path)
        buf_str(pf, "S\n");
    pf->in_path = false;
    if (!pf->in_text) {
        /* one text object for the runs between two rules or images: BT starts the line origin at 0 0 */
        buf_str(pf, "BT\n");
        pf->in_text = true;
        pf->tx = pf->ty = 0;
    }
    if (pf->tface != run->face || pf->tsize != run->size) {
        /* the font and size are graphics state: they outlive ET, so they are set only when they change */
        buf_str(pf, "/");
        buf_str(pf, fname);
        buf_str(pf, " ");
        buf_milli(pf, run->size, ' ');
        buf_str(pf, "Tf\n");
        pf->tface = run->face;
        pf->tsize = run->size;
    }
    /* the run's origin as a move from the last one (exact: both are whole millipoints) */
    int64_t ox = x0, oy = (int64_t)page_height - base_y;
    buf_milli(pf, ox - pf->tx, ' ');
    buf_milli(pf, oy - pf->ty, ' ');
    buf_str(pf, "Td\n[");
    pf->tx = ox;
    pf->ty = oy;

    const int64_t size = run->size;
    const int64_t unit = size * 100; /* 0.1 TJ unit, in 1e-6 millipoint */
    int64_t pen = 0;                 /* 1e-6 millipoint from x0 */
    vb_len_t rise = 0;
    bool str_open = false;
    for (int i = 0; i < run->n; i++) {
        vb_len_t r = base_y - g[i].y;
        if (r != rise) {
            if (str_open)
                buf_str(pf, ")");
            str_open = false;
            buf_str(pf, "]TJ\n");
            buf_milli(pf, r, ' ');
            buf_str(pf, "Ts\n[");
            rise = r;
        }
        int64_t diff = ((int64_t)g[i].x - x0) * 1000000 - pen;
        if (diff > 500000 || diff < -500000) {
            /* a positive TJ number moves the pen left */
            int64_t num = -diff;
            int64_t k = num >= 0 ? (num + unit / 2) / unit : -((-num + unit / 2) / unit);
            if (k != 0) {
                if (str_open)
                    buf_str(pf, ")");
                str_open = false;
                buf_tj(pf, k);
                pen -= k * unit;
            }
        }
        if (i > 0 && i % TJ_GLYPHS == 0) {
            /* a new array from where the pen stands: within what readers take (Annex C: 8191 elements) */
            if (str_open)
                buf_str(pf, ")");
            str_open = false;
            buf_str(pf, "]TJ\n[");
        }
        if (!str_open)
            buf_str(pf, "(");
        str_open = true;
        buf_code16(pf, g[i].gid);
        pen += (int64_t)pc->slots[g[i].gid].wmilli * size;
    }
    if (str_open)
        buf_str(pf, ")");
    buf_str(pf, "]TJ\n");
    if (rise != 0)
        buf_str(pf, "0 Ts\n");
    return page_write(pf, "writing text", d);
}

vb_status_t
vb_pdf_fonts_draw_rule(vb_pdf_fonts_t *pf, HPDF_Page page, vb_len_t page_height, const vb_drule_t *r, vb_diag_t *d)
{
    vb_status_t vs = use_page(pf, page, d);
    if (vs != VB_OK)
        return vs;
    /* black, butt caps: the PDF defaults, never changed here; consecutive rules of a width are one path */
    pf->n = 0;
    if (pf->in_text)
        buf_str(pf, "ET\n");
    pf->in_text = false;
    if (r->width != pf->lwidth) {
        if (pf->in_path)
            buf_str(pf, "S\n");
        pf->in_path = false;
        buf_milli(pf, r->width, ' ');
        buf_str(pf, "w\n");
        pf->lwidth = r->width;
    }
    buf_milli(pf, r->x1, ' ');
    buf_milli(pf, (int64_t)page_height - r->y1, ' ');
    buf_str(pf, "m ");
    buf_milli(pf, r->x2, ' ');
    buf_milli(pf, (int64_t)page_height - r->y2, ' ');
    buf_str(pf, "l\n");
    pf->in_path = true;
    return page_write(pf, "drawing a rule", d);
}

vb_status_t
vb_pdf_fonts_flush(vb_pdf_fonts_t *pf, vb_diag_t *d)
{
    if (!pf->page)
        return VB_OK;
    pf->n = 0;
    if (pf->in_text)
        buf_str(pf, "ET\n");
    if (pf->in_path)
        buf_str(pf, "S\n");
    pf->in_text = pf->in_path = false;
    return page_write(pf, "ending the page's drawing", d);
}

/* ------------------------------------------------------------ finishing */

/* Appends the UTF-16BE hex of UTF-8 text (surrogate pairs above U+FFFF). */
static void
buf_utf16(vb_pdf_fonts_t *pf, const char *s, size_t n)
{
    int units = 0;
    for (size_t o = 0; o < n;) {
        uint32_t cp;
        int l = vb_utf8_decode(s + o, n - o, &cp);
        if (l <= 0)
            break;
        o += (size_t)l;
        if (cp > 0xFFFF) {
            if (units + 2 > MAX_UTF16_UNITS)
                break;
            cp -= 0x10000;
            buf_hex16(pf, 0xD800 + (cp >> 10));
            buf_hex16(pf, 0xDC00 + (cp & 0x3FF));
            units += 2;
        } else {
            if (units + 1 > MAX_UTF16_UNITS)
                break;
            buf_hex16(pf, cp);
            units++;
        }
    }
}

/* The ToUnicode CMap text (a CMap that maps codes to Unicode: bfchar only). */
static void
build_tounicode(vb_pdf_fonts_t *pf, const pface_t *pc)
{
    pf->n = 0;
    buf_str(pf, "/CIDInit /ProcSet findresource begin\n"
                "12 dict begin\n"
                "begincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n"
                "/CMapType 2 def\n"
                "1 begincodespacerange\n"
                "<0000> <FFFF>\n"
                "endcodespacerange\n");
    int i = 0;
    while (i < pc->used.n) {
        /* the next block: up to BFCHAR_BLOCK mapped glyphs */
        int cnt = 0, j = i;
        while (j < pc->used.n && cnt < BFCHAR_BLOCK) {
            if (pc->slots[pc->used.v[j]].map != MAP_NONE)
                cnt++;
            j++;
        }
        if (cnt > 0) {
            buf_int(pf, cnt, ' ');
            buf_str(pf, "beginbfchar\n");
            for (int k = i; k < j; k++) {
                const gslot_t *s = &pc->slots[pc->used.v[k]];
                if (s->map == MAP_NONE)
                    continue;
                buf_str(pf, "<");
                buf_hex16(pf, pc->used.v[k]);
                buf_str(pf, "> <");
                buf_utf16(pf, s->text, s->len);
                buf_str(pf, ">\n");
            }
            buf_str(pf, "endbfchar\n");
        }
        i = j;
    }
    buf_str(pf, "endcmap\n"
                "CMapName currentdict /CMap defineresource pop\n"
                "end\n"
                "end\n");
}

/* The /W entry: runs of consecutive glyph ids as "g [w w ...]". */
static vb_status_t
build_widths(vb_pdf_fonts_t *pf, pface_t *pc, vb_diag_t *d)
{
    pf->n = 0;
    buf_str(pf, "/W [");
    for (int i = 0; i < pc->used.n;) {
        int j = i + 1;
        while (j < pc->used.n && pc->used.v[j] == pc->used.v[j - 1] + 1)
            j++;
        buf_int(pf, pc->used.v[i], ' ');
        buf_str(pf, "[");
        for (int k = i; k < j; k++)
            buf_milli(pf, pc->slots[pc->used.v[k]].wmilli, k + 1 < j ? ' ' : 0);
        buf_str(pf, "]");
        if (j < pc->used.n)
            buf_str(pf, " ");
        i = j;
    }
    buf_str(pf, "]\012");
    if (pf->nomem)
        return vb_diag_nomem(d);
    pc->w.s = vb_arena_strndup(pf->arena, pf->buf, pf->n);
    if (!pc->w.s)
        return vb_diag_nomem(d);
    pc->w.n = pf->n;
    return VB_OK;
}

/* A new stream object, compressed, holding data[0..n). */
static HPDF_Dict
new_stream(vb_pdf_fonts_t *pf, const void *data, size_t n)
{
    HPDF_Dict s = HPDF_DictStream_New(pf->pdf->mmgr, pf->pdf->xref);
    if (!s)
        return NULL;
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (n && HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data, (HPDF_UINT)n) != HPDF_OK)
        return NULL;
    return s;
}

/* Six capital letters from a hash of the face and its used glyph set. */
static void
subset_tag(const pface_t *pc, char tag[7])
{
    uint64_t h = vb_fnv1a(0xcbf29ce484222325ULL, pc->info->ps_name, strlen(pc->info->ps_name));
    for (int i = 0; i < pc->used.n; i++) {
        uint32_t gid = pc->used.v[i];
        unsigned char b[4] = {(unsigned char)(gid >> 24), (unsigned char)(gid >> 16), (unsigned char)(gid >> 8),
                              (unsigned char)gid};
        h = vb_fnv1a(h, b, 4);
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

#define HCHK(expr)                \
    do {                          \
        if ((expr) != HPDF_OK)    \
            goto haru_fail;       \
    } while (0)

static vb_status_t
finish_face(vb_pdf_fonts_t *pf, pface_t *pc, vb_diag_t *d)
{
    HPDF_Doc pdf = pf->pdf;
    HPDF_MMgr mm = pdf->mmgr;
    const vb_font_info_t *fi = pc->info;
    unsigned char *ttf = NULL;
    size_t ttf_len = 0;
    vb_status_t vs;

    /* glyph 0 is in every subset; list it so W, CIDSet and ToUnicode agree */
    if (!use_glyph(pf, pc, 0))
        return vb_diag_nomem(d);
    qsort(pc->used.v, (size_t)pc->used.n, sizeof(uint32_t), cmp_u32);

    vs = vb_subset_font(pc->font, pc->used.v, pc->used.n, pf->hinting, &ttf, &ttf_len, d);
    if (vs != VB_OK)
        return vs;

    char tag[7];
    subset_tag(pc, tag);
    const char *ps = fi->ps_name && fi->ps_name[0] ? fi->ps_name : "Font";
    char *base = vb_arena_printf(pf->arena, "%s+%s", tag, ps);
    if (!base) {
        free(ttf);
        return vb_diag_nomem(d);
    }
    if ((vs = build_widths(pf, pc, d)) != VB_OK) {
        free(ttf);
        return vs;
    }

    /* the font program */
    HPDF_Dict ff = new_stream(pf, ttf, ttf_len);
    if (!ff)
        goto haru_fail;
    HCHK(HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)ttf_len));
    free(ttf);
    ttf = NULL;

    /* CIDSet: bit (7 - cid % 8) of byte cid / 8, for every glyph in the subset we asked for */
    uint32_t maxgid = pc->used.v[pc->used.n - 1];
    size_t nset = maxgid / 8 + 1;
    unsigned char *bits = vb_arena_alloc(pf->arena, nset);
    if (!bits)
        return vb_diag_nomem(d);
    for (int i = 0; i < pc->used.n; i++)
        bits[pc->used.v[i] / 8] |= (unsigned char)(0x80 >> (pc->used.v[i] % 8));
    HPDF_Dict cidset = new_stream(pf, bits, nset);
    if (!cidset)
        goto haru_fail;

    build_tounicode(pf, pc);
    if (pf->nomem)
        return vb_diag_nomem(d);
    HPDF_Dict tu = new_stream(pf, pf->buf, pf->n);
    if (!tu)
        goto haru_fail;

    HPDF_Dict fd = HPDF_Dict_New(mm);
    if (!fd)
        goto haru_fail;
    HCHK(HPDF_Xref_Add(pdf->xref, fd));
    HCHK(HPDF_Dict_AddName(fd, "Type", "FontDescriptor"));
    HCHK(HPDF_Dict_AddName(fd, "FontName", base));
    /* Flags: FixedPitch 1, Serif 2, Symbolic 4 (glyphs are addressed by id, not a Latin encoding), Italic 64 */
    HPDF_INT32 flags = 4 | (fi->fixed_pitch ? 1 : 0) | (fi->serif ? 2 : 0) | (fi->italic ? 64 : 0);
    HCHK(HPDF_Dict_AddNumber(fd, "Flags", flags));
    HPDF_Array bbox = HPDF_Array_New(mm);
    HCHK(HPDF_Dict_Add(fd, "FontBBox", bbox));
    for (int i = 0; i < 4; i++)
        HCHK(HPDF_Array_AddNumber(bbox, em1000(fi, fi->bbox[i])));
    if (fi->italic_angle % 1000 == 0)
        HCHK(HPDF_Dict_AddNumber(fd, "ItalicAngle", fi->italic_angle / 1000));
    else
        HCHK(HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)fi->italic_angle / 1000.0f));
    HCHK(HPDF_Dict_AddNumber(fd, "Ascent", em1000(fi, fi->ascender)));
    HCHK(HPDF_Dict_AddNumber(fd, "Descent", em1000(fi, fi->descender)));
    HCHK(HPDF_Dict_AddNumber(fd, "CapHeight", em1000(fi, fi->cap_height)));
    HCHK(HPDF_Dict_AddNumber(fd, "StemV", fi->stem_v > 0 ? em1000(fi, fi->stem_v) : 80));
    HCHK(HPDF_Dict_Add(fd, "FontFile2", ff));
    HCHK(HPDF_Dict_Add(fd, "CIDSet", cidset));

    HPDF_Dict cid = HPDF_Dict_New(mm);
    if (!cid)
        goto haru_fail;
    HCHK(HPDF_Xref_Add(pdf->xref, cid));
    HCHK(HPDF_Dict_AddName(cid, "Type", "Font"));
    HCHK(HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2"));
    HCHK(HPDF_Dict_AddName(cid, "BaseFont", base));
    HPDF_Dict csi = HPDF_Dict_New(mm);
    HCHK(HPDF_Dict_Add(cid, "CIDSystemInfo", csi));
    HCHK(HPDF_Dict_Add(csi, "Registry", HPDF_String_New(mm, "Adobe", NULL)));
    HCHK(HPDF_Dict_Add(csi, "Ordering", HPDF_String_New(mm, "Identity", NULL)));
    HCHK(HPDF_Dict_AddNumber(csi, "Supplement", 0));
    HCHK(HPDF_Dict_Add(cid, "FontDescriptor", fd));
    HCHK(HPDF_Dict_AddNumber(cid, "DW", 1000));
    HCHK(HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity"));
    cid->attr = &pc->w; /* /W, written raw by write_raw (three-decimal widths) */
    cid->write_fn = write_raw;

    HPDF_Dict t0 = pc->type0;
    HCHK(HPDF_Dict_AddName(t0, "Type", "Font"));
    HCHK(HPDF_Dict_AddName(t0, "Subtype", "Type0"));
    HCHK(HPDF_Dict_AddName(t0, "BaseFont", base));
    HCHK(HPDF_Dict_AddName(t0, "Encoding", "Identity-H"));
    HPDF_Array desc = HPDF_Array_New(mm);
    HCHK(HPDF_Dict_Add(t0, "DescendantFonts", desc));
    HCHK(HPDF_Array_Add(desc, cid));
    HCHK(HPDF_Dict_Add(t0, "ToUnicode", tu));
    return VB_OK;

haru_fail:
    free(ttf);
    return vb_pdf_haru_fail(pdf, HPDF_OK, "building a font", d);
}

vb_status_t
vb_pdf_fonts_finish(vb_pdf_fonts_t *pf, vb_diag_t *d)
{
    for (int i = 0; i < VB_NFACES; i++) {
        if (!pf->faces[i].type0)
            continue;
        vb_status_t vs = finish_face(pf, &pf->faces[i], d);
        if (vs != VB_OK)
            return vs;
    }
    return VB_OK;
}

/* ------------------------------------------------------------ document fixes */

vb_status_t
vb_pdf_set_id(HPDF_Doc pdf, const unsigned char id[16], vb_diag_t *d)
{
    HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
    if (!arr)
        return vb_pdf_haru_fail(pdf, HPDF_FAILD_TO_ALLOC_MEM, "setting the document ID", d);
    HPDF_STATUS st = HPDF_Dict_Add(pdf->trailer, "ID", arr);
    if (st == HPDF_OK)
        st = HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
    if (st == HPDF_OK)
        st = HPDF_Array_Add(arr, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "setting the document ID", d);
    return VB_OK;
}

vb_status_t
vb_pdf_compress_image(HPDF_Doc pdf, HPDF_Image img, vb_diag_t *d)
{
    /* libharu 2.3.0 writes an image's alpha channel (its SMask) uncompressed; ask for Flate */
    HPDF_Dict smask = HPDF_Dict_GetItem(img, "SMask", HPDF_OCLASS_DICT);
    if (smask)
        smask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    (void)pdf;
    (void)d;
    return VB_OK;
}

/* ------------------------------------------------------------ compression */

/* Writes the /Filter of a stream compressed here (libharu drops its own when its filter is NONE). */
static HPDF_STATUS
write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Grows *buf to hold n bytes (kept between streams). */
static bool
grow(unsigned char **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 65536;
    while (ncap < n)
        ncap *= 2;
    unsigned char *nb = realloc(*buf, ncap);
    if (!nb)
        return false;
    *buf = nb;
    *cap = ncap;
    return true;
}

vb_status_t
vb_pdf_deflate_streams(HPDF_Doc pdf, int level, vb_diag_t *d)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return vb_diag_nomem(d);
    unsigned char *in = NULL, *out = NULL;
    size_t incap = 0, outcap = 0;
    vb_status_t vs = VB_OK;
    HPDF_List entries = pdf->xref->entries;
    for (HPDF_UINT i = 0; i < entries->count && vs == VB_OK; i++) {
        HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
        const HPDF_Obj_Header *h = e ? e->obj : NULL;
        if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
            continue;
        HPDF_Dict dict = e->obj;
        HPDF_Stream st = dict->stream;
        /* only what libharu would have deflated itself, and only where the filter can be written for it */
        if (!st || st->type != HPDF_STREAM_MEMORY || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
            dict->write_fn || dict->filterParams)
            continue;
        size_t n = st->size, got = 0;
        if (!grow(&in, &incap, n ? n : 1)) {
            vs = vb_diag_nomem(d);
            break;
        }
        HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(st);
        for (HPDF_UINT k = 0; k < nbuf && got < n; k++) {
            HPDF_UINT len = 0;
            HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, k, &len);
            if (!p || len > n - got)
                break;
            memcpy(in + got, p, len);
            got += len;
        }
        if (got != n) {
            vs = vb_pdf_haru_fail(pdf, HPDF_OK, "compressing a stream", d);
            break;
        }
        size_t bound = libdeflate_zlib_compress_bound(c, n);
        if (!grow(&out, &outcap, bound)) {
            vs = vb_diag_nomem(d);
            break;
        }
        size_t zn = libdeflate_zlib_compress(c, in, n, out, bound);
        if (zn == 0) {
            vs = vb_pdf_haru_fail(pdf, HPDF_ZLIB_ERROR, "compressing a stream", d);
            break;
        }
        HPDF_MemStream_FreeData(st);
        HPDF_STATUS hs = HPDF_Stream_Write(st, out, (HPDF_UINT)zn);
        if (hs != HPDF_OK) {
            vs = vb_pdf_haru_fail(pdf, hs, "compressing a stream", d);
            break;
        }
        dict->filter = HPDF_STREAM_FILTER_NONE;
        dict->write_fn = write_flate_filter;
    }
    free(in);
    free(out);
    libdeflate_free_compressor(c);
    return vs;
}

/* ------------------------------------------------------------ compact objects */

/* Appends a byte inside a literal string, escaping what its syntax needs (as buf_code16). */
static HPDF_STATUS
put_literal_byte(HPDF_Stream stream, unsigned char c)
{
    char t[2] = {'\\', (char)c};
    switch (c) {
    case '\\':
    case '(':
    case ')':
        return HPDF_Stream_Write(stream, (const HPDF_BYTE *)t, 2);
    case '\r':
        t[1] = 'r';
        return HPDF_Stream_Write(stream, (const HPDF_BYTE *)t, 2);
    case '\n':
        t[1] = 'n';
        return HPDF_Stream_Write(stream, (const HPDF_BYTE *)t, 2);
    default:
        return HPDF_Stream_Write(stream, (const HPDF_BYTE *)&c, 1);
    }
}

/*
 * Writes the dict's text strings that compact_texts hid: ASCII as it is, else
 * UTF-16BE with a BOM, both as literal strings of raw bytes. libharu writes
 * every encoded string as UTF-16 in hex, four characters per letter.
 */
static HPDF_STATUS
write_texts(HPDF_Dict dict, HPDF_Stream stream)
{
    for (HPDF_UINT i = 0; i < dict->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(dict->list, i);
        const HPDF_Obj_Header *h = el ? el->value : NULL;
        if (!h || !(h->obj_id & HPDF_OTYPE_HIDDEN) || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_STRING ||
            !((HPDF_String)el->value)->encoder)
            continue;
        HPDF_String str = el->value;
        const char *v = (const char *)str->value;
        size_t n = str->len;
        bool ascii = true;
        for (size_t k = 0; k < n && ascii; k++)
            ascii = (unsigned char)v[k] >= 0x20 && (unsigned char)v[k] < 0x7F;
        HPDF_STATUS st = HPDF_Stream_WriteChar(stream, '/');
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(stream, el->key);
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(stream, " (");
        if (st == HPDF_OK && !ascii) {
            st = put_literal_byte(stream, 0xFE);
            if (st == HPDF_OK)
                st = put_literal_byte(stream, 0xFF);
        }
        for (size_t o = 0; o < n && st == HPDF_OK;) {
            uint32_t cp;
            int l = ascii ? 1 : vb_utf8_decode(v + o, n - o, &cp);
            if (ascii) {
                st = put_literal_byte(stream, (unsigned char)v[o]);
                o++;
                continue;
            }
            if (l <= 0)
                l = 1, cp = 0xFFFD;
            o += (size_t)l;
            unsigned u[2] = {cp, 0};
            int nu = 1;
            if (cp > 0xFFFF) {
                u[0] = 0xD800 + ((cp - 0x10000) >> 10);
                u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
                nu = 2;
            }
            for (int k = 0; k < nu && st == HPDF_OK; k++) {
                st = put_literal_byte(stream, (unsigned char)(u[k] >> 8));
                if (st == HPDF_OK)
                    st = put_literal_byte(stream, (unsigned char)u[k]);
            }
        }
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(stream, ")\012");
        if (st != HPDF_OK)
            return st;
    }
    return HPDF_OK;
}

vb_status_t
vb_pdf_compact_objects(HPDF_Doc pdf, vb_diag_t *d)
{
    HPDF_List entries = pdf->xref->entries;
    for (HPDF_UINT i = 0; i < entries->count; i++) {
        HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
        const HPDF_Obj_Header *h = e ? e->obj : NULL;
        if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT)
            continue;
        HPDF_Dict dict = e->obj;
        /* /ProcSet is obsolete (PDF 1.4 and later ignore it); libharu adds one to every page */
        if (h->obj_class == (HPDF_OCLASS_DICT | HPDF_OSUBCLASS_PAGE)) {
            HPDF_Dict res = HPDF_Dict_GetItem(dict, "Resources", HPDF_OCLASS_DICT);
            if (res && HPDF_Dict_GetItem(res, "ProcSet", HPDF_OCLASS_ARRAY))
                HPDF_Dict_RemoveElement(res, "ProcSet");
        }
        if (dict->stream || dict->write_fn)
            continue;
        /* text strings (outline titles, Info entries) are written by write_texts */
        bool any = false;
        for (HPDF_UINT k = 0; k < dict->list->count; k++) {
            HPDF_DictElement el = HPDF_List_ItemAt(dict->list, k);
            HPDF_Obj_Header *vh = el ? el->value : NULL;
            if (!vh || (vh->obj_id & HPDF_OTYPE_HIDDEN) || (vh->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_STRING ||
                !((HPDF_String)el->value)->encoder)
                continue;
            vh->obj_id |= HPDF_OTYPE_HIDDEN;
            any = true;
        }
        if (any)
            dict->write_fn = write_texts;
    }
    (void)d;
    return VB_OK;
}

vb_status_t
vb_pdf_set_info_text(HPDF_Doc pdf, const char *key, const char *utf8, vb_diag_t *d)
{
    /* libharu creates the Info dictionary with the first standard entry; call after one is set */
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
    if (!pdf->info || !enc)
        return vb_pdf_haru_fail(pdf, HPDF_OK, "adding to the document information", d);
    HPDF_STATUS st = HPDF_Dict_Add(pdf->info, key, HPDF_String_New(pdf->mmgr, utf8, enc));
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "adding to the document information", d);
    return VB_OK;
}

vb_status_t
vb_pdf_set_last_label_prefix(HPDF_Doc pdf, const char *utf8, vb_diag_t *d)
{
    HPDF_Dict labels = HPDF_Dict_GetItem(pdf->catalog, "PageLabels", HPDF_OCLASS_DICT);
    HPDF_Array nums = labels ? HPDF_Dict_GetItem(labels, "Nums", HPDF_OCLASS_ARRAY) : NULL;
    HPDF_UINT n = nums ? HPDF_Array_Items(nums) : 0;
    HPDF_Dict last = n ? HPDF_Array_GetItem(nums, n - 1, HPDF_OCLASS_DICT) : NULL;
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
    if (!last || !enc)
        return vb_pdf_haru_fail(pdf, HPDF_OK, "setting a page label prefix", d);
    HPDF_STATUS st = HPDF_Dict_Add(last, "P", HPDF_String_New(pdf->mmgr, utf8, enc));
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "setting a page label prefix", d);
    return VB_OK;
}

vb_status_t
vb_pdf_set_duplex(HPDF_Doc pdf, vb_diag_t *d)
{
    HPDF_Dict vp = HPDF_Dict_GetItem(pdf->catalog, "ViewerPreferences", HPDF_OCLASS_DICT);
    HPDF_STATUS st = HPDF_OK;
    if (!vp) {
        vp = HPDF_Dict_New(pdf->mmgr);
        if (!vp)
            return vb_pdf_haru_fail(pdf, HPDF_FAILD_TO_ALLOC_MEM, "setting the duplex preference", d);
        st = HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", vp); /* frees vp on failure */
    }
    /* flip on the long edge: portrait pages turned like a book's */
    if (st == HPDF_OK)
        st = HPDF_Dict_AddName(vp, "Duplex", "DuplexFlipLongEdge");
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "setting the duplex preference", d);
    return VB_OK;
}
