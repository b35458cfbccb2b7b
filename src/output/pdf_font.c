/*
 * pdf_font.c - our own one-byte CID fonts and raw page content inside libharu.
 *
 * The only file that touches libharu internals (see pdf_font.h). Why not
 * libharu's own TrueType path: it addresses glyphs by code point, drops
 * zero-width marks, loses nested composite glyphs, writes an invalid ToUnicode
 * CMap and 15 KB of widths per face (feasibility notes §1-2). Instead:
 *
 * Fonts. Each face drawn with gets one hb-subset font program (FontFile2,
 * glyphs renumbered) and one or more font objects of up to 254 glyphs. A glyph
 * gets a one-byte code the first time it is drawn: code 32 for the space
 * glyph, then printable ASCII, the rest, and the five bytes a literal string
 * must escape last; a full font object starts the next. Each font object is a
 * Type0 font whose Encoding is the one-byte identity CMap (code = CID, one
 * stream for the document) over a CIDFontType2 whose CIDToGIDMap stream
 * turns its CIDs into the subset's glyph ids; W, CIDSet and ToUnicode are per font object.
 * One byte per glyph instead of Identity-H's two, and code 32 lets Tw stretch
 * the spaces of a justified line instead of a TJ number at every space: a
 * third less page content. CIDs stay below 256, as MuPDF 1.21 keys the
 * ToUnicode by CID within the encoding's codespace. The Type0 dicts are
 * created when first drawn with (pages need them in their resources); the
 * rest is built in vb_pdf_fonts_finish. The subset tag (ABCDEF+) is a hash of
 * the used glyph set, so equal input gives equal names.
 *
 * Widths. W holds each glyph's advance in whole 1/1000 em units: MuPDF
 * stores W entries as integers, so fractional widths would place its glyphs
 * differently from poppler's and Acrobat's. DW is the most common width when
 * that makes W shorter. The text emitter tracks the pen a viewer computes
 * from exactly those numbers, in integer units of 1e-6 millipoint (width *
 * size is exact), so the TJ numbers absorb the rounding of the widths and
 * rounding never accumulates.
 *
 * Text. The runs between two rules or images share one BT/ET object; a run
 * is "/Fn size Tf" when the font or size changes (they outlive ET), "w Tw"
 * when its word spacing (the most common stretch of its spaces, whole
 * millipoints) changes, "1 0 0 1 x y Tm" at its first glyph, or "0 dy Td"
 * when it starts straight below the last run (viewers add Td moves in
 * floating point: an x so reached can round differently from the same x
 * given whole, so x is always given whole), then one TJ array. Before each glyph, when the pen is more than
 * 0.0005 pt away from the glyph's x, a TJ number (1/1000 text space, rounded
 * to 0.1) moves it; the pen takes the rounded value. Kerning, the odd space
 * of a justified line and mark offsets all come out of this one rule. A glyph
 * off the run's baseline (a positioned mark) closes the array and sets the
 * text rise (Ts), which is reset to 0 at the end of the run because Ts
 * outlives ET. Rules are path segments, a run of rules of one width stroked
 * once.
 *
 * ToUnicode. One entry per code. The text comes from the glyph's
 * cluster: a one-glyph cluster maps to the whole cluster text (ligatures,
 * precomposed letters); a cluster of k glyphs and k code points maps glyph i
 * to code point i (base + combining marks); any other cluster maps its first
 * glyph to the whole text. A better kind of evidence replaces a weaker one,
 * otherwise the first mapping seen wins. Input is NFC (model.h), so a
 * precomposed letter always gets its precomposed text.
 *
 * Saving. vb_pdf_compact_objects writes text strings as literal strings and
 * drops /ProcSet; vb_pdf_deflate_streams compresses every stream with
 * libdeflate (this file is libdeflate's one user) in place of libharu's zlib;
 * page content and the font objects' streams are compressed as they are
 * written, the font programs by the subset cache's pack function (pack_deflate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <libdeflate.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "pdf_font.h"
#include "shape.h"
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
    uint8_t coded;    /* code and sub are set */
    uint8_t code;     /* the glyph's one-byte code in its font object */
    uint16_t sub;     /* which of the face's font objects (psub_t) has it */
    uint16_t newgid;  /* its id in the subset font program (vb_pdf_fonts_finish) */
} gslot_t;

/* Codes in one font object: one byte each, code 32 for the space glyph (so Tw stretches it). */
#define SUB_CODES 256
#define SPACE_CODE 32

/* Raw text a dict's write_fn appends before its ">>". */
typedef struct rawtext {
    char *s;
    size_t n;
} rawtext_t;

/*
 * One font object of a face: up to 254 glyphs, each a one-byte code that is
 * also its CID (code 0 is never given: CID 0 stays .notdef). A Type0 font
 * with the one-byte identity encoding, over a CIDFont whose CIDToGIDMap
 * turns the CIDs into the glyph ids of the face's one subset font program.
 */
typedef struct psub {
    HPDF_Dict type0;
    uint32_t gid[SUB_CODES]; /* the glyph of each code */
    uint8_t has[SUB_CODES];
    int next;                /* the next free place in vb_pdf_fonts.order */
    rawtext_t w;             /* the /DW and /W entries of its CIDFont dict */
} psub_t;

typedef struct pface {
    const vb_font_t *font;
    const vb_font_info_t *info;
    gslot_t *slots;  /* info->num_glyphs entries; NULL until the face is first drawn with */
    VB_VEC(psub_t *) subs;
    VB_VEC(uint32_t) used;
} pface_t;

struct vb_pdf_fonts {
    HPDF_Doc pdf;
    const vb_fontset_t *fonts;
    vb_arena_t *arena;
    pface_t faces[VB_NFACES];
    vb_buf_t buf;     /* the page's content not yet written, then CMap text; reused */
    struct libdeflate_compressor *z; /* for the streams written compressed here; made on first use */
    vb_buf_t zbuf;    /* their compressed bytes */
    bool hinting;     /* keep the TrueType hinting in the subsets */
    bool own_text;    /* ToUnicode texts copied into the arena (the display lists go before the save) */
    bool digits;      /* PDF/A: each face's first font object has the digits at their ASCII codes (issuance) */
    /* the page being drawn: its open text object or path, and the state set on it */
    HPDF_Page page;
    bool in_text;
    bool in_text_moved; /* a Tm was set in the open text object */
    int tfont;        /* face * 65536 + font object of the last Tf, or -1 */
    vb_len_t tsize;   /* its size */
    vb_len_t tw;      /* the word spacing (Tw) set, millipoints */
    /* the order codes are given out in: printable ASCII first, the five that need escaping last */
    uint8_t order[SUB_CODES];
    int norder;
    HPDF_Dict encoding; /* the one-byte identity CMap, shared by every font object */
    int64_t tx, ty;   /* the text line origin (PDF millipoints) the next Td moves from */
    vb_len_t lwidth;  /* the line width set on the page, -1 for the default */
    /* the page's rules not yet drawn (PDF millipoints; malloc'd, reused) */
    struct prule {
        int64_t x1, y1, x2, y2;
        vb_len_t width;
    } *rules;
    int nrules, caprules;
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
    vb_buf_add(&pf->buf, s, n);
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

/* The bytes a literal string escapes (buf_code8). */
static const bool escaped_code[256] = {['\\'] = true, ['('] = true, [')'] = true, ['\r'] = true, ['\n'] = true};

/*
 * Appends a one-byte code inside a literal string: the byte as it is,
 * escaping only what the string syntax needs (backslash, parentheses, and CR
 * and LF, which a reader would turn into a line end).
 */
static void
buf_code8(vb_pdf_fonts_t *pf, unsigned v)
{
    char t[2] = {'\\', (char)v};
    switch (v) {
    case '\\':
    case '(':
    case ')':
        buf_put(pf, t, 2);
        break;
    case '\r':
        t[1] = 'r';
        buf_put(pf, t, 2);
        break;
    case '\n':
        t[1] = 'n';
        buf_put(pf, t, 2);
        break;
    default:
        buf_put(pf, t + 1, 1);
    }
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

void
vb_pdf_fonts_set_own_text(vb_pdf_fonts_t *pf, bool own)
{
    pf->own_text = own;
}

void
vb_pdf_fonts_set_digits(vb_pdf_fonts_t *pf, bool digits)
{
    pf->digits = digits;
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
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int c = 0; c < SUB_CODES; c++) {
            bool escaped = c == '(' || c == ')' || c == '\\' || c == '\r' || c == '\n';
            bool first = c > 32 && c < 127 && !escaped;
            if (c != SPACE_CODE && c != 0 && (pass == 0) == first && (pass == 0 || !escaped))
                pf->order[n++] = (uint8_t)c;
        }
    for (int c = 0; c < SUB_CODES; c++)
        if (c == '(' || c == ')' || c == '\\' || c == '\r' || c == '\n')
            pf->order[n++] = (uint8_t)c;
    pf->norder = n;
    *out = pf;
    return VB_OK;
}

void
vb_pdf_fonts_free(vb_pdf_fonts_t *pf)
{
    if (!pf)
        return;
    vb_buf_free(&pf->buf);
    vb_buf_free(&pf->zbuf);
    if (pf->z)
        libdeflate_free_compressor(pf->z);
    pf->z = NULL;
    free(pf->rules);
    pf->rules = NULL;
    pf->nrules = pf->caprules = 0;
}

static vb_status_t new_sub(vb_pdf_fonts_t *pf, pface_t *pc, vb_diag_t *d);
static gslot_t *use_glyph(vb_pdf_fonts_t *pf, pface_t *pc, uint32_t gid);
static bool set_map(vb_pdf_fonts_t *pf, gslot_t *s, const char *text, size_t len, int kind);

/*
 * PDF/A: characters at their WinAnsi codes in the face's first font object,
 * so that an issuing tool draws with this embedded font (the AcroForm's /DR
 * names it, see vb_pdf_fonts_form_fonts) instead of a standard font, which
 * PDF/A forbids: the digits in every face (the number and the date, "(05)
 * Tj"), and in the regular face also printable ASCII and Đ at 0xD0 (the
 * place of WinAnsi's Ð), for an appendix's text signature ("196-BC/ĐU",
 * "2026-12-05T09:30:12+07:00").
 */
static vb_status_t
reserve_chars(vb_pdf_fonts_t *pf, pface_t *pc, bool ascii, vb_diag_t *d)
{
    vb_status_t vs = new_sub(pf, pc, d);
    if (vs != VB_OK)
        return vs;
    psub_t *sb = pc->subs.v[0];
    static const char dj[] = "\xC4\x90"; /* Đ, at 0xD0: the loop's 0x7F (DEL, no glyph) stands for it */
    for (int code = ascii ? 0x20 : '0'; code <= (ascii ? 0x7F : '9'); code++) {
        static const char all[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                  "abcdefghijklmnopqrstuvwxyz{|}~";
        const char *t = code == 0x7F ? dj : all + (code - 0x20);
        size_t tlen = code == 0x7F ? 2 : 1;
        int at = code == 0x7F ? 0xD0 : code;
        vb_shaped_t sh;
        if ((vs = vb_shape(pc->font, 1000, t, tlen, pf->arena, &sh, d)) != VB_OK)
            return vs;
        if (sh.n != 1 || sh.glyphs[0].gid == 0 || sh.glyphs[0].gid >= (uint32_t)pc->info->num_glyphs)
            continue; /* a font without the character: the issuing tool falls back to its own */
        uint32_t gid = sh.glyphs[0].gid;
        gslot_t *s = use_glyph(pf, pc, gid);
        if (!s || !set_map(pf, s, t, tlen, MAP_WHOLE_CLUSTER))
            return vb_diag_nomem(d);
        if (s->coded)
            continue;
        sb->gid[at] = gid;
        sb->has[at] = 1;
        s->code = (uint8_t)at;
        s->sub = 0;
        s->coded = 1;
    }
    return VB_OK;
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
    if (pc->slots)
        return VB_OK;
    const vb_font_t *f = pf->fonts ? vb_fontset_face(pf->fonts, (vb_face_t)face) : NULL;
    const vb_font_info_t *fi = f ? vb_font_info(f) : NULL;
    if (!fi || fi->num_glyphs == 0 || fi->upem <= 0)
        return vb_diag_set(d, VB_E_PDF, "pdf.face", NULL, 0, 0, "A text run names face %d, which has no font.",
                           face);
    pc->slots = VB_NEWN(pf->arena, gslot_t, fi->num_glyphs);
    if (!pc->slots)
        return vb_diag_nomem(d);
    pc->font = f;
    pc->info = fi;
    return pf->digits ? reserve_chars(pf, pc, face == VB_FACE_REGULAR, d) : VB_OK;
}

/* A new font object for the face: its Type0 dict is made now, as pages name it in their resources. */
static vb_status_t
new_sub(vb_pdf_fonts_t *pf, pface_t *pc, vb_diag_t *d)
{
    psub_t *sb = VB_NEW(pf->arena, psub_t);
    if (!sb || VB_PUSH(pf->arena, pc->subs, sb))
        return vb_diag_nomem(d);
    HPDF_Dict t0 = HPDF_Dict_New(pf->pdf->mmgr);
    if (!t0)
        return vb_pdf_haru_fail(pf->pdf, HPDF_FAILD_TO_ALLOC_MEM, "creating a font", d);
    HPDF_STATUS st = HPDF_Xref_Add(pf->pdf->xref, t0); /* frees t0 on failure */
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pf->pdf, st, "creating a font", d);
    sb->type0 = t0;
    return VB_OK;
}

/*
 * Gives gid its one-byte code (once): the space glyph (space) code 32 of the
 * first font object, every other glyph the next free code of the last one,
 * a new font object when that one is full.
 */
static vb_status_t
code_glyph(vb_pdf_fonts_t *pf, pface_t *pc, uint32_t gid, bool space, vb_diag_t *d)
{
    gslot_t *s = &pc->slots[gid];
    if (s->coded)
        return VB_OK;
    vb_status_t vs;
    if (pc->subs.n == 0 && (vs = new_sub(pf, pc, d)) != VB_OK)
        return vs;
    int k = pc->subs.n - 1, code;
    if (space && !pc->subs.v[0]->has[SPACE_CODE]) {
        k = 0;
        code = SPACE_CODE;
    } else {
        /* codes given already (the digits of a PDF/A, reserve_digits) are skipped; never so otherwise */
        psub_t *cur = pc->subs.v[k];
        while (cur->next < pf->norder && cur->has[pf->order[cur->next]])
            cur->next++;
        if (pc->subs.v[k]->next >= pf->norder) {
            if ((vs = new_sub(pf, pc, d)) != VB_OK)
                return vs;
            k++;
        }
        code = pf->order[pc->subs.v[k]->next++];
    }
    psub_t *sb = pc->subs.v[k];
    sb->gid[code] = gid;
    sb->has[code] = 1;
    s->code = (uint8_t)code;
    s->sub = (uint16_t)k;
    s->coded = 1;
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

/* false when memory is exhausted (copying the text of a combined PDF) */
static bool
set_map(vb_pdf_fonts_t *pf, gslot_t *s, const char *text, size_t len, int kind)
{
    if (s->map >= kind || len == 0)
        return true;
    if (pf->own_text) {
        /* a combined PDF: the run's display list is freed before the save */
        char *t = vb_arena_alloc(pf->arena, len);
        if (!t)
            return false;
        memcpy(t, text, len);
        text = t;
    }
    s->text = text;
    s->len = (uint32_t)len;
    s->map = (uint8_t)kind;
    return true;
}

/* Records the ToUnicode evidence of the cluster glyphs[i..j) (see the top comment); false when memory is exhausted. */
static bool
map_cluster(vb_pdf_fonts_t *pf, pface_t *pc, const vb_drun_t *run, int i, int j)
{
    const vb_dglyph_t *g = run->glyphs;
    if (!run->text || g[i].text_len == 0 || (size_t)g[i].text_off + g[i].text_len > run->text_len)
        return true;
    const char *t = run->text + g[i].text_off;
    size_t tl = g[i].text_len;
    if (j - i == 1)
        return set_map(pf, &pc->slots[g[i].gid], t, tl, MAP_WHOLE_CLUSTER);
    /* count code points; they map one to one when there are as many as glyphs */
    int ncp = 0;
    for (size_t o = 0; o < tl;) {
        uint32_t cp;
        int l = vb_utf8_decode(t + o, tl - o, &cp);
        if (l <= 0)
            return true; /* invalid UTF-8: no mapping rather than a wrong one */
        o += (size_t)l;
        ncp++;
    }
    if (ncp == j - i) {
        size_t o = 0;
        for (int k = i; k < j; k++) {
            uint32_t cp;
            int l = vb_utf8_decode(t + o, tl - o, &cp);
            if (!set_map(pf, &pc->slots[g[k].gid], t + o, (size_t)l, MAP_ONE_TO_ONE))
                return false;
            o += (size_t)l;
        }
    } else {
        return set_map(pf, &pc->slots[g[i].gid], t, tl, MAP_FIRST_OF_CLUSTER);
    }
    return true;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream);

/*
 * A stream's bytes, compressed already, kept in the build's arena and read
 * by libharu as it saves: its own memory stream would copy them in byte by
 * byte (HPDF_MemCpy) and out again. The dict's stream becomes a callback
 * reader over them; the arena outlives the save (pdf.c frees it after).
 */
typedef struct held {
    const unsigned char *p;
    size_t n, at;
} held_t;

static HPDF_STATUS
held_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    held_t *h = s->attr;
    size_t left = h->n - h->at, k = *size < left ? *size : left;
    memcpy(ptr, h->p + h->at, k);
    h->at += k;
    *size = (HPDF_UINT)k;
    return h->at >= h->n ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
held_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    held_t *h = s->attr;
    int64_t at = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (int64_t)h->at + pos : (int64_t)h->n + pos;
    if (at < 0 || at > (int64_t)h->n)
        return HPDF_STREAM_EOF;
    h->at = (size_t)at;
    return HPDF_OK;
}

static HPDF_INT32
held_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((held_t *)s->attr)->at;
}

static HPDF_UINT32
held_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((held_t *)s->attr)->n;
}

/* Puts data[0..n) (copied into pf's arena) in place of dict's empty stream. */
static HPDF_STATUS
hold_bytes(vb_pdf_fonts_t *pf, HPDF_Dict dict, const void *data, size_t n)
{
    held_t *h = VB_NEW(pf->arena, held_t);
    unsigned char *copy = h ? vb_arena_alloc_raw(pf->arena, n ? n : 1) : NULL;
    if (!copy || n > UINT32_MAX)
        return HPDF_FAILD_TO_ALLOC_MEM;
    memcpy(copy, data, n);
    h->p = copy;
    h->n = n;
    HPDF_Stream st = HPDF_CallbackReader_New(pf->pdf->mmgr, held_read, held_seek, held_tell, held_size, h);
    if (!st)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_Stream_Free(dict->stream);
    dict->stream = st;
    return HPDF_OK;
}

/* Compresses data[0..n) into pf->zbuf (libdeflate, VB_PDF_DEFLATE_LEVEL); false when memory is short. */
static bool
deflate_to_zbuf(vb_pdf_fonts_t *pf, const void *data, size_t n)
{
    if (!pf->z && !(pf->z = libdeflate_alloc_compressor(VB_PDF_DEFLATE_LEVEL)))
        return false;
    size_t bound = libdeflate_zlib_compress_bound(pf->z, n);
    vb_buf_clear(&pf->zbuf);
    if (!vb_buf_reserve(&pf->zbuf, bound))
        return false;
    pf->zbuf.n = libdeflate_zlib_compress(pf->z, data, n, pf->zbuf.p, bound);
    return pf->zbuf.n > 0;
}

/*
 * Writes data[0..n) to the stream of dict compressed, with its /Filter
 * (vb_pdf_deflate_streams then leaves it alone): the compressed bytes are
 * held in the build's arena until libharu saves them (hold_bytes). Returns
 * libharu's status (HPDF_FAILD_TO_ALLOC_MEM when memory is short here, which
 * vb_pdf_haru_fail reports as such).
 */
static HPDF_STATUS
write_compressed(vb_pdf_fonts_t *pf, HPDF_Dict dict, const void *data, size_t n)
{
    if (!deflate_to_zbuf(pf, data, n))
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = hold_bytes(pf, dict, pf->zbuf.p, pf->zbuf.n);
    if (st != HPDF_OK)
        return st;
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    return HPDF_OK;
}

/*
 * Writes pf->buf, the page's content drawn since the last call, to the page's
 * content stream. At the page's end, into a stream still empty (no image
 * drawn on the page), compressed at once; else as it is, compressed later
 * with what libharu wrote (vb_pdf_deflate_streams).
 */
static vb_status_t
page_write(vb_pdf_fonts_t *pf, bool page_end, const char *what, vb_diag_t *d)
{
    if (pf->buf.oom)
        return vb_diag_nomem(d);
    if (pf->buf.n == 0)
        return VB_OK;
    HPDF_PageAttr attr = (HPDF_PageAttr)pf->page->attr;
    HPDF_STATUS st;
    if (page_end && attr->stream->size == 0 && attr->contents->filter == HPDF_STREAM_FILTER_FLATE_DECODE &&
        !attr->contents->write_fn) {
        st = write_compressed(pf, attr->contents, pf->buf.p, pf->buf.n);
        attr->stream = attr->contents->stream; /* the page's own pointer to its content stream, replaced */
    }
    else
        st = HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)pf->buf.p, (HPDF_UINT)pf->buf.n);
    vb_buf_clear(&pf->buf);
    return st == HPDF_OK ? VB_OK : vb_pdf_haru_fail(pf->pdf, st, what, d);
}

/* Makes page the one drawn on: a new page starts with the default graphics state. */
static vb_status_t
use_page(vb_pdf_fonts_t *pf, HPDF_Page page, vb_diag_t *d)
{
    if (pf->page == page)
        return VB_OK;
    if (pf->in_text || pf->nrules)
        return vb_diag_set(d, VB_E_PDF, "pdf.page", NULL, 0, 0, "A page was left with its drawing open.");
    pf->page = page;
    pf->tfont = -1;
    pf->tsize = 0;
    pf->tw = 0;
    pf->lwidth = -1;
    return VB_OK;
}

/* Glyphs in one TJ array at most: each may add a string and a number, 2 * 2048 < 8191. */
#define TJ_GLYPHS 2048

/* Appends "/Fn size Tf" for font object k of the face (adding it to the page's resources). */
static vb_status_t
set_font(vb_pdf_fonts_t *pf, HPDF_Page page, const pface_t *pc, int face, int k, vb_len_t size, vb_diag_t *d)
{
    const char *fname = HPDF_Page_GetLocalFontName(page, pc->subs.v[k]->type0);
    if (!fname)
        return vb_pdf_haru_fail(pf->pdf, HPDF_OK, "adding a font to a page", d);
    buf_str(pf, "/");
    buf_str(pf, fname);
    buf_str(pf, " ");
    buf_milli(pf, size, ' ');
    buf_str(pf, "Tf\n");
    pf->tfont = face * 65536 + k;
    pf->tsize = size;
    return VB_OK;
}

/*
 * The word spacing for a run: the most common stretch of its spaces (the
 * move from a space glyph to the next glyph beyond the space's W width), in
 * millipoints; false when no space glyph is followed by another on the line.
 */
#define TW_SAMPLES 64

static bool
run_word_spacing(const pface_t *pc, const vb_drun_t *run, vb_len_t *tw)
{
    int64_t v[TW_SAMPLES];
    int nv = 0;
    const vb_dglyph_t *g = run->glyphs;
    for (int i = 0; i + 1 < run->n && nv < TW_SAMPLES; i++) {
        const gslot_t *s = &pc->slots[g[i].gid];
        if (s->code != SPACE_CODE || s->sub != 0 || g[i + 1].y != g[i].y)
            continue;
        /* 1e-6 millipoint, then rounded to whole millipoints */
        int64_t ex = ((int64_t)g[i + 1].x - g[i].x) * 1000000 - (int64_t)s->wmilli * run->size;
        v[nv++] = ex >= 0 ? (ex + 500000) / 1000000 : -((-ex + 500000) / 1000000);
    }
    if (nv == 0)
        return false;
    /* the mode; a line's gaps are nearly all equal, so the first value usually wins at once */
    int best = 0, bestn = 0;
    for (int i = 0; i < nv && bestn * 2 <= nv; i++) {
        if (i > 0 && v[i] == v[best])
            continue;
        int c = 0;
        for (int j = i; j < nv; j++)
            c += v[j] == v[i];
        if (c > bestn)
            best = i, bestn = c;
    }
    *tw = (vb_len_t)v[best];
    return true;
}

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

    /* glyph use, codes and text first: a bad glyph id fails before anything is written */
    const vb_dglyph_t *g = run->glyphs;
    for (int i = 0; i < run->n; i++) {
        if (g[i].gid >= pc->info->num_glyphs)
            return vb_diag_set(d, VB_E_PDF, "pdf.glyph", pc->info->path, 0, 0,
                               "Glyph %u is not in the font (it has %u glyphs).", (unsigned)g[i].gid,
                               pc->info->num_glyphs);
        if (!pc->slots[g[i].gid].used && !use_glyph(pf, pc, g[i].gid))
            return vb_diag_nomem(d);
    }
    for (int i = 0; i < run->n;) {
        int j = i + 1;
        while (j < run->n && g[j].text_len == 0)
            j++;
        const gslot_t *s0 = &pc->slots[g[i].gid];
        if (j - i == 1 && s0->coded && s0->map == MAP_WHOLE_CLUSTER) {
            /* a glyph seen alone before: its code and text are known, nothing better can come */
            i = j;
            continue;
        }
        if (!map_cluster(pf, pc, run, i, j))
            return vb_diag_nomem(d);
        /* the space glyph: alone in a cluster whose text is one U+0020 */
        bool space = j - i == 1 && run->text && g[i].text_len == 1 && (size_t)g[i].text_off < run->text_len &&
                     run->text[g[i].text_off] == ' ';
        for (int k = i; k < j; k++)
            if ((vs = code_glyph(pf, pc, g[k].gid, space && k == i, d)) != VB_OK)
                return vs;
        i = j;
    }
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

    /* the run is appended to the page's content in pf->buf, written at the next flush */
    if (!pf->in_text) {
        /* one text object for the runs between two rules or images: BT starts the line origin at 0 0 */
        buf_str(pf, "BT\n");
        pf->in_text = true;
        pf->tx = pf->ty = 0;
        pf->in_text_moved = false;
    }
    /* the font, size and word spacing are graphics state: they outlive ET, so they are set when they change */
    int k0 = pc->slots[g[0].gid].sub;
    if (pf->tfont != run->face * 65536 + k0 || pf->tsize != run->size)
        if ((vs = set_font(pf, page, pc, run->face, k0, run->size, d)) != VB_OK)
            return vs;
    vb_len_t tw;
    if (run_word_spacing(pc, run, &tw) && tw != pf->tw) {
        buf_milli(pf, tw, ' ');
        buf_str(pf, "Tw\n");
        pf->tw = tw;
    }
    /* the run's origin: a Td move when only y changes (text lines), else a whole Tm */
    int64_t ox = x0, oy = (int64_t)page_height - base_y;
    if (ox == pf->tx && pf->in_text_moved) {
        buf_str(pf, "0 ");
        buf_milli(pf, oy - pf->ty, ' ');
        buf_str(pf, "Td\n[");
    } else {
        buf_str(pf, "1 0 0 1 ");
        buf_milli(pf, ox, ' ');
        buf_milli(pf, oy, ' ');
        buf_str(pf, "Tm\n[");
    }
    pf->in_text_moved = true;
    pf->tx = ox;
    pf->ty = oy;

    /* room for every code byte, so that most go straight in (buf_code8 for the rest) */
    vb_buf_reserve(&pf->buf, (size_t)run->n + 64);
    const int64_t size = run->size;
    const int64_t unit = size * 100; /* 0.1 TJ unit, in 1e-6 millipoint */
    const int64_t word = (int64_t)pf->tw * 1000000;
    int64_t pen = 0;                 /* 1e-6 millipoint from x0 */
    vb_len_t rise = 0;
    bool str_open = false;
    for (int i = 0; i < run->n; i++) {
        const gslot_t *s = &pc->slots[g[i].gid];
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
        if (pf->tfont != run->face * 65536 + s->sub) {
            /* a glyph of another font object of the face: a new array from where the pen stands */
            if (str_open)
                buf_str(pf, ")");
            str_open = false;
            buf_str(pf, "]TJ\n");
            if ((vs = set_font(pf, page, pc, run->face, s->sub, run->size, d)) != VB_OK)
                return vs;
            buf_str(pf, "[");
        } else if (i > 0 && i % TJ_GLYPHS == 0) {
            /* a new array from where the pen stands: within what readers take (Annex C: 8191 elements) */
            if (str_open)
                buf_str(pf, ")");
            str_open = false;
            buf_str(pf, "]TJ\n[");
        }
        if (!str_open)
            buf_str(pf, "(");
        str_open = true;
        unsigned c = s->code;
        if (!escaped_code[c] && pf->buf.n + 1 < pf->buf.cap) {
            pf->buf.p[pf->buf.n++] = (char)c; /* the common byte, straight in (terminated below) */
        } else {
            buf_code8(pf, c);
        }
        pen += (int64_t)s->wmilli * size + (s->code == SPACE_CODE ? word : 0);
    }
    if (str_open)
        buf_str(pf, ")");
    buf_str(pf, "]TJ\n");
    if (rise != 0)
        buf_str(pf, "0 Ts\n");
    return pf->buf.oom ? vb_diag_nomem(d) : VB_OK;
}

vb_status_t
vb_pdf_fonts_draw_rule(vb_pdf_fonts_t *pf, HPDF_Page page, vb_len_t page_height, const vb_drule_t *r, vb_diag_t *d)
{
    vb_status_t vs = use_page(pf, page, d);
    if (vs != VB_OK)
        return vs;
    if (pf->nrules == pf->caprules) {
        int ncap = pf->caprules ? pf->caprules * 2 : 64;
        struct prule *nv = realloc(pf->rules, sizeof *nv * (size_t)ncap);
        if (!nv)
            return vb_diag_nomem(d);
        pf->rules = nv;
        pf->caprules = ncap;
    }
    struct prule q = {r->x1, (int64_t)page_height - r->y1, r->x2, (int64_t)page_height - r->y2, r->width};
    /* each segment from its left or lower end, so that collinear ones sort together */
    if (q.x1 > q.x2 || (q.x1 == q.x2 && q.y1 > q.y2)) {
        struct prule t = {q.x2, q.y2, q.x1, q.y1, q.width};
        q = t;
    }
    pf->rules[pf->nrules++] = q;
    return VB_OK;
}

/* Horizontal rules first, then vertical ones, then the rest; by width, line, start. */
static int
cmp_rule(const void *a, const void *b)
{
    const struct prule *p = a, *q = b;
    int kp = p->y1 == p->y2 ? 0 : p->x1 == p->x2 ? 1 : 2, kq = q->y1 == q->y2 ? 0 : q->x1 == q->x2 ? 1 : 2;
    if (kp != kq)
        return kp < kq ? -1 : 1;
    if (p->width != q->width)
        return p->width < q->width ? -1 : 1;
    int64_t lp = kp == 1 ? p->x1 : p->y1, lq = kq == 1 ? q->x1 : q->y1; /* the line they lie on */
    if (lp != lq)
        return lp < lq ? -1 : 1;
    int64_t sp = kp == 1 ? p->y1 : p->x1, sq = kq == 1 ? q->y1 : q->x1;
    return sp < sq ? -1 : sp > sq;
}

/*
 * Draws the page's collected rules: black with butt caps (the PDF defaults,
 * never changed here), one path per width, stroked once. Rules on one line
 * that touch or overlap become one segment: the same ink (a table's cell
 * edges make a few long lines), each part painted once. Rules and text are
 * both opaque black, so drawing the rules after the text (and before any
 * image, whose order is kept) looks the same.
 */
static void
put_rules(vb_pdf_fonts_t *pf)
{
    if (pf->nrules == 0)
        return;
    qsort(pf->rules, (size_t)pf->nrules, sizeof *pf->rules, cmp_rule);
    bool open = false;
    for (int i = 0; i < pf->nrules;) {
        struct prule cur = pf->rules[i++];
        int kind = cur.y1 == cur.y2 ? 0 : cur.x1 == cur.x2 ? 1 : 2;
        while (kind < 2 && i < pf->nrules) {
            const struct prule *n = &pf->rules[i];
            bool same_line = n->width == cur.width && (kind == 0 ? n->y1 == cur.y1 && n->y2 == n->y1
                                                                 : n->x1 == cur.x1 && n->x2 == n->x1);
            bool touches = kind == 0 ? n->x1 <= cur.x2 : n->y1 <= cur.y2;
            if (!same_line || !touches)
                break;
            if (kind == 0 && n->x2 > cur.x2)
                cur.x2 = n->x2;
            if (kind == 1 && n->y2 > cur.y2)
                cur.y2 = n->y2;
            i++;
        }
        if (cur.width != pf->lwidth) {
            if (open)
                buf_str(pf, "S\n");
            open = false;
            buf_milli(pf, cur.width, ' ');
            buf_str(pf, "w\n");
            pf->lwidth = cur.width;
        }
        buf_milli(pf, cur.x1, ' ');
        buf_milli(pf, cur.y1, ' ');
        buf_str(pf, "m ");
        buf_milli(pf, cur.x2, ' ');
        buf_milli(pf, cur.y2, ' ');
        buf_str(pf, "l\n");
        open = true;
    }
    if (open)
        buf_str(pf, "S\n");
    pf->nrules = 0;
}

vb_status_t
vb_pdf_fonts_flush(vb_pdf_fonts_t *pf, bool page_end, vb_diag_t *d)
{
    if (!pf->page)
        return VB_OK;
    if (pf->in_text)
        buf_str(pf, "ET\n");
    pf->in_text = false;
    put_rules(pf);
    return page_write(pf, page_end, "ending the page's drawing", d);
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

/* Appends the one-byte code c as "<XX>". */
static void
buf_hex8(vb_pdf_fonts_t *pf, unsigned c)
{
    char t[4] = {'<', hexd[(c >> 4) & 15], hexd[c & 15], '>'};
    buf_put(pf, t, 4);
}

/* The ToUnicode CMap text of font object sb (a CMap that maps codes to Unicode: bfchar only). */
static void
build_tounicode(vb_pdf_fonts_t *pf, const pface_t *pc, const psub_t *sb)
{
    vb_buf_clear(&pf->buf);
    buf_str(pf, "/CIDInit /ProcSet findresource begin\n"
                "12 dict begin\n"
                "begincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n"
                "/CMapType 2 def\n"
                "1 begincodespacerange\n"
                "<00> <FF>\n"
                "endcodespacerange\n");
    int c = 0;
    while (c < SUB_CODES) {
        /* the next block: up to BFCHAR_BLOCK mapped codes */
        int cnt = 0, e = c;
        while (e < SUB_CODES && cnt < BFCHAR_BLOCK) {
            if (sb->has[e] && pc->slots[sb->gid[e]].map != MAP_NONE)
                cnt++;
            e++;
        }
        if (cnt > 0) {
            buf_int(pf, cnt, ' ');
            buf_str(pf, "beginbfchar\n");
            for (int k = c; k < e; k++) {
                const gslot_t *s = sb->has[k] ? &pc->slots[sb->gid[k]] : NULL;
                if (!s || s->map == MAP_NONE)
                    continue;
                buf_hex8(pf, (unsigned)k);
                buf_str(pf, " <");
                buf_utf16(pf, s->text, s->len);
                buf_str(pf, ">\n");
            }
            buf_str(pf, "endbfchar\n");
        }
        c = e;
    }
    buf_str(pf, "endcmap\n"
                "CMapName currentdict /CMap defineresource pop\n"
                "end\n"
                "end\n");
}

/* The one-byte identity encoding: each code is its CID (the CIDToGIDMap then gives the glyph). */
static const char identity_cmap[] = "/CIDInit /ProcSet findresource begin\n"
                                    "12 dict begin\n"
                                    "begincmap\n"
                                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n"
                                    "/CMapName /Vanban-Identity-1 def\n"
                                    "/CMapType 1 def\n"
                                    "1 begincodespacerange\n"
                                    "<00> <FF>\n"
                                    "endcodespacerange\n"
                                    "1 begincidrange\n"
                                    "<00> <FF> 0\n"
                                    "endcidrange\n"
                                    "endcmap\n"
                                    "CMapName currentdict /CMap defineresource pop\n"
                                    "end\n"
                                    "end\n";

/* Appends "/DW dw /W [...]" for sb's codes: runs of consecutive codes as "c [w w ...]", leaving out width dw (-1: none). */
static void
put_widths(vb_pdf_fonts_t *pf, const pface_t *pc, const psub_t *sb, int32_t dw)
{
    buf_str(pf, "/DW ");
    buf_milli(pf, dw >= 0 ? dw : 1000000, ' ');
    buf_str(pf, "/W [");
    bool first = true;
    for (int c = 0; c < SUB_CODES;) {
        if (!sb->has[c] || pc->slots[sb->gid[c]].wmilli == dw) {
            c++;
            continue;
        }
        int e = c + 1;
        while (e < SUB_CODES && sb->has[e] && pc->slots[sb->gid[e]].wmilli != dw)
            e++;
        if (!first)
            buf_str(pf, " ");
        first = false;
        buf_int(pf, c, ' ');
        buf_str(pf, "[");
        for (int k = c; k < e; k++)
            buf_milli(pf, pc->slots[sb->gid[k]].wmilli, k + 1 < e ? ' ' : 0);
        buf_str(pf, "]");
        c = e;
    }
    buf_str(pf, "]\012");
}

/*
 * The CIDFont's /DW and /W: the most common width as DW, the others listed,
 * unless listing them all (DW 1000) is shorter.
 */
static vb_status_t
build_widths(vb_pdf_fonts_t *pf, const pface_t *pc, psub_t *sb, vb_diag_t *d)
{
    /* the mode of the widths, from a sorted copy */
    uint32_t ws[SUB_CODES];
    int n = 0;
    for (int c = 0; c < SUB_CODES; c++)
        if (sb->has[c])
            ws[n++] = (uint32_t)pc->slots[sb->gid[c]].wmilli;
    qsort(ws, (size_t)n, sizeof *ws, cmp_u32);
    int32_t mode = -1;
    for (int i = 0, best = 0; i < n;) {
        int j = i;
        while (j < n && ws[j] == ws[i])
            j++;
        if (j - i > best)
            best = j - i, mode = (int32_t)ws[i];
        i = j;
    }
    vb_buf_clear(&pf->buf);
    put_widths(pf, pc, sb, -1);
    size_t all = pf->buf.n;
    vb_buf_clear(&pf->buf);
    put_widths(pf, pc, sb, mode);
    if (pf->buf.n >= all) {
        vb_buf_clear(&pf->buf);
        put_widths(pf, pc, sb, -1);
    }
    if (pf->buf.oom)
        return vb_diag_nomem(d);
    sb->w.s = vb_arena_strndup(pf->arena, pf->buf.p, pf->buf.n);
    if (!sb->w.s)
        return vb_diag_nomem(d);
    sb->w.n = pf->buf.n;
    return VB_OK;
}

/* A new stream object holding data[0..n), compressed here (NULL on failure, memory short included). */
static HPDF_Dict
new_stream(vb_pdf_fonts_t *pf, const void *data, size_t n)
{
    HPDF_Dict s = HPDF_DictStream_New(pf->pdf->mmgr, pf->pdf->xref);
    if (!s || write_compressed(pf, s, data, n) != HPDF_OK)
        return NULL;
    return s;
}

/*
 * The subset cache's packing of a font program (vb_subset_pack_fn): zlib at
 * level, as FontFile2 embeds it, with the document's one compressor (ctx is
 * pf; a compressor at level 1 is a few hundred KB set up and paged in, once
 * per document rather than once per font).
 */
static bool
pack_deflate(void *ctx, int level, const unsigned char *in, size_t n, unsigned char **out, size_t *outlen)
{
    vb_pdf_fonts_t *pf = ctx;
    *out = NULL;
    *outlen = 0;
    if (level != VB_PDF_DEFLATE_LEVEL)
        return false; /* the one level this writer packs at */
    if (!pf->z && !(pf->z = libdeflate_alloc_compressor(VB_PDF_DEFLATE_LEVEL)))
        return false;
    size_t bound = libdeflate_zlib_compress_bound(pf->z, n);
    unsigned char *p = malloc(bound);
    size_t zn = p ? libdeflate_zlib_compress(pf->z, in, n, p, bound) : 0; /* the bound always suffices */
    if (zn == 0) {
        free(p);
        return false;
    }
    *out = p;
    *outlen = zn;
    return true;
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

/* The CIDFont system info every dict here names: Adobe-Identity-0. */
static HPDF_STATUS
add_identity_csi(HPDF_MMgr mm, HPDF_Dict dict)
{
    HPDF_Dict csi = HPDF_Dict_New(mm);
    HPDF_STATUS st = HPDF_Dict_Add(dict, "CIDSystemInfo", csi);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(csi, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(csi, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    if (st == HPDF_OK)
        st = HPDF_Dict_AddNumber(csi, "Supplement", 0);
    return st;
}

static vb_status_t
finish_face(vb_pdf_fonts_t *pf, pface_t *pc, vb_diag_t *d)
{
    HPDF_Doc pdf = pf->pdf;
    HPDF_MMgr mm = pdf->mmgr;
    const vb_font_info_t *fi = pc->info;
    unsigned char *ttf = NULL;
    size_t ttf_len = 0;
    vb_status_t vs;

    /* glyph 0 is in every subset */
    if (!use_glyph(pf, pc, 0))
        return vb_diag_nomem(d);
    qsort(pc->used.v, (size_t)pc->used.n, sizeof(uint32_t), cmp_u32);

    uint16_t *newgids = VB_NEWN(pf->arena, uint16_t, pc->used.n);
    if (!newgids)
        return vb_diag_nomem(d);
    size_t raw_len = 0;
    vs = vb_subset_font(pc->font, pc->used.v, pc->used.n, pf->hinting, pack_deflate, pf, VB_PDF_DEFLATE_LEVEL, newgids,
                        &ttf, &ttf_len, &raw_len, d);
    if (vs != VB_OK)
        return vs;
    for (int i = 0; i < pc->used.n; i++)
        pc->slots[pc->used.v[i]].newgid = newgids[i];

    char tag[7];
    subset_tag(pc, tag);
    const char *ps = fi->ps_name && fi->ps_name[0] ? fi->ps_name : "Font";
    char *base = vb_arena_printf(pf->arena, "%s+%s", tag, ps);
    if (!base) {
        free(ttf);
        return vb_diag_nomem(d);
    }

    /* the font program, shared by the face's font objects: compressed already (the subset cache keeps it so) */
    HPDF_Dict ff = HPDF_DictStream_New(mm, pdf->xref);
    if (!ff || hold_bytes(pf, ff, ttf, ttf_len) != HPDF_OK)
        goto haru_fail;
    ff->filter = HPDF_STREAM_FILTER_NONE;
    ff->write_fn = write_flate_filter;
    HCHK(HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)raw_len));
    free(ttf);
    ttf = NULL;

    if (!pf->encoding) {
        HPDF_Dict enc = new_stream(pf, identity_cmap, sizeof identity_cmap - 1);
        if (!enc)
            goto haru_fail;
        HCHK(HPDF_Dict_AddName(enc, "Type", "CMap"));
        HCHK(HPDF_Dict_AddName(enc, "CMapName", "Vanban-Identity-1"));
        HCHK(add_identity_csi(mm, enc));
        pf->encoding = enc;
    }

    for (int k = 0; k < pc->subs.n; k++) {
        psub_t *sb = pc->subs.v[k];
        if ((vs = build_widths(pf, pc, sb, d)) != VB_OK)
            return vs;

        /* CIDToGIDMap: the subset's glyph id of each CID (code), two bytes big-endian; CID 0 is glyph 0 */
        int maxc = 0;
        unsigned char map[2 * SUB_CODES];
        memset(map, 0, sizeof map);
        /* CIDSet: bit (7 - cid % 8) of byte cid / 8, for each CID in use, .notdef's included */
        unsigned char bits[SUB_CODES / 8];
        memset(bits, 0, sizeof bits);
        bits[0] = 0x80;
        for (int c = 1; c < SUB_CODES; c++) {
            if (!sb->has[c])
                continue;
            unsigned ng = pc->slots[sb->gid[c]].newgid;
            map[2 * c] = (unsigned char)(ng >> 8);
            map[2 * c + 1] = (unsigned char)ng;
            bits[c / 8] |= (unsigned char)(0x80 >> (c % 8));
            maxc = c;
        }
        HPDF_Dict c2g = new_stream(pf, map, 2 * (size_t)(maxc + 1));
        HPDF_Dict cidset = new_stream(pf, bits, (size_t)maxc / 8 + 1);
        if (!c2g || !cidset)
            goto haru_fail;

        build_tounicode(pf, pc, sb);
        if (pf->buf.oom)
            return vb_diag_nomem(d);
        HPDF_Dict tu = new_stream(pf, pf->buf.p, pf->buf.n);
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
        HCHK(add_identity_csi(mm, cid));
        HCHK(HPDF_Dict_Add(cid, "FontDescriptor", fd));
        HCHK(HPDF_Dict_Add(cid, "CIDToGIDMap", c2g));
        cid->attr = &sb->w; /* /DW and /W, written raw by write_raw (three-decimal widths) */
        cid->write_fn = write_raw;

        HPDF_Dict t0 = sb->type0;
        HCHK(HPDF_Dict_AddName(t0, "Type", "Font"));
        HCHK(HPDF_Dict_AddName(t0, "Subtype", "Type0"));
        HCHK(HPDF_Dict_AddName(t0, "BaseFont", base));
        HCHK(HPDF_Dict_Add(t0, "Encoding", pf->encoding));
        HPDF_Array desc = HPDF_Array_New(mm);
        HCHK(HPDF_Dict_Add(t0, "DescendantFonts", desc));
        HCHK(HPDF_Array_Add(desc, cid));
        HCHK(HPDF_Dict_Add(t0, "ToUnicode", tu));
    }
    return VB_OK;

haru_fail:
    free(ttf);
    return vb_pdf_haru_fail(pdf, HPDF_OK, "building a font", d);
}

vb_status_t
vb_pdf_fonts_finish(vb_pdf_fonts_t *pf, vb_diag_t *d)
{
    for (int i = 0; i < VB_NFACES; i++) {
        if (!pf->faces[i].slots)
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

vb_status_t
vb_pdf_deflate_streams(HPDF_Doc pdf, int level, vb_diag_t *d)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return vb_diag_nomem(d);
    vb_buf_t inb = {0}, outb = {0}; /* kept between streams */
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
        vb_buf_clear(&inb);
        if (!vb_buf_reserve(&inb, n ? n : 1)) {
            vs = vb_diag_nomem(d);
            break;
        }
        unsigned char *in = (unsigned char *)inb.p;
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
        vb_buf_clear(&outb);
        if (!vb_buf_reserve(&outb, bound)) {
            vs = vb_diag_nomem(d);
            break;
        }
        unsigned char *out = (unsigned char *)outb.p;
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
    vb_buf_free(&inb);
    vb_buf_free(&outb);
    libdeflate_free_compressor(c);
    return vs;
}

/* ------------------------------------------------------------ compact objects */

/* Bytes on their way to a libharu stream, written in blocks rather than one call per byte. */
typedef struct litbuf {
    HPDF_Stream stream;
    size_t n;
    char b[256];
} litbuf_t;

static HPDF_STATUS
lit_flush(litbuf_t *lb)
{
    HPDF_STATUS st = lb->n ? HPDF_Stream_Write(lb->stream, (const HPDF_BYTE *)lb->b, (HPDF_UINT)lb->n) : HPDF_OK;
    lb->n = 0;
    return st;
}

/* Appends a byte inside a literal string, escaping what its syntax needs (as buf_code8). */
static HPDF_STATUS
put_literal_byte(litbuf_t *lb, unsigned char c)
{
    if (lb->n + 2 > sizeof lb->b) {
        HPDF_STATUS st = lit_flush(lb);
        if (st != HPDF_OK)
            return st;
    }
    switch (c) {
    case '\\':
    case '(':
    case ')':
        lb->b[lb->n++] = '\\';
        lb->b[lb->n++] = (char)c;
        break;
    case '\r':
        lb->b[lb->n++] = '\\';
        lb->b[lb->n++] = 'r';
        break;
    case '\n':
        lb->b[lb->n++] = '\\';
        lb->b[lb->n++] = 'n';
        break;
    default:
        lb->b[lb->n++] = (char)c;
    }
    return HPDF_OK;
}

/*
 * Writes the dict's text strings that hide_texts hid (libharu hides none of
 * its own strings outside images): UTF-8 kept as it is, written as ASCII when
 * it is, else as UTF-16BE with a BOM, both as literal strings of raw bytes.
 * libharu's UTF-8 encoder writes UTF-16 in hex, four characters per letter.
 */
static HPDF_STATUS
write_texts(HPDF_Dict dict, HPDF_Stream stream)
{
    for (HPDF_UINT i = 0; i < dict->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(dict->list, i);
        const HPDF_Obj_Header *h = el ? el->value : NULL;
        if (!h || !(h->obj_id & HPDF_OTYPE_HIDDEN) || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_STRING)
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
        litbuf_t lb;
        lb.stream = stream;
        lb.n = 0;
        if (st == HPDF_OK && !ascii) {
            st = put_literal_byte(&lb, 0xFE);
            if (st == HPDF_OK)
                st = put_literal_byte(&lb, 0xFF);
        }
        for (size_t o = 0; o < n && st == HPDF_OK;) {
            uint32_t cp;
            int l = ascii ? 1 : vb_utf8_decode(v + o, n - o, &cp);
            if (ascii) {
                st = put_literal_byte(&lb, (unsigned char)v[o]);
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
                st = put_literal_byte(&lb, (unsigned char)(u[k] >> 8));
                if (st == HPDF_OK)
                    st = put_literal_byte(&lb, (unsigned char)u[k]);
            }
        }
        if (st == HPDF_OK)
            st = lit_flush(&lb);
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(stream, ")\012");
        if (st != HPDF_OK)
            return st;
    }
    return HPDF_OK;
}

/* Leaves dict's text strings to write_texts (a dict whose write_fn is taken keeps them). */
static void
hide_texts(HPDF_Dict dict)
{
    if (dict->stream || dict->write_fn)
        return;
    bool any = false;
    for (HPDF_UINT k = 0; k < dict->list->count; k++) {
        HPDF_DictElement el = HPDF_List_ItemAt(dict->list, k);
        HPDF_Obj_Header *vh = el ? el->value : NULL;
        if (!vh || (vh->obj_id & HPDF_OTYPE_HIDDEN) || (vh->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_STRING)
            continue;
        vh->obj_id |= HPDF_OTYPE_HIDDEN;
        any = true;
    }
    if (any)
        dict->write_fn = write_texts;
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
        hide_texts(dict);
    }
    (void)d;
    return VB_OK;
}

/*
 * libharu saves only to its memory stream (HPDF_SaveToStream) or a file of
 * its own: the stream it saves to is the document's pdf->stream, made on
 * first use. A callback stream put there instead takes every token as it is
 * written (HPDF_SaveToStream frees the data only of a memory stream), into a
 * buffer handed to the writer 64 KiB at a time: the bytes are copied once,
 * not into libharu's memory byte by byte and out again.
 */
typedef struct saveto {
    vb_write_fn write;
    void *ctx;
    size_t n, written;
    bool stopped;          /* the writer returned non-zero */
    unsigned char buf[65536];
} saveto_t;

static bool
saveto_flush(saveto_t *s)
{
    if (s->n && !s->stopped) {
        if (s->write(s->ctx, s->buf, s->n) != 0)
            s->stopped = true;
        else
            s->written += s->n;
    }
    s->n = 0;
    return !s->stopped;
}

static HPDF_STATUS
saveto_write(HPDF_Stream stream, const HPDF_BYTE *p, HPDF_UINT n)
{
    saveto_t *s = stream->attr;
    while (n > 0) {
        size_t k = sizeof s->buf - s->n < n ? sizeof s->buf - s->n : n;
        memcpy(s->buf + s->n, p, k);
        s->n += k;
        p += k;
        n -= (HPDF_UINT)k;
        if (s->n == sizeof s->buf && !saveto_flush(s))
            return HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

int
vb_pdf_save_to(HPDF_Doc pdf, vb_write_fn write, void *ctx, size_t *written)
{
    *written = 0;
    saveto_t *s = malloc(sizeof *s);
    if (!s)
        return -1;
    s->write = write;
    s->ctx = ctx;
    s->n = s->written = 0;
    s->stopped = false;
    HPDF_Stream st = HPDF_CallbackWriter_New(pdf->mmgr, saveto_write, s);
    if (!st) {
        free(s);
        return -1;
    }
    if (pdf->stream)
        HPDF_Stream_Free(pdf->stream);
    pdf->stream = st;
    HPDF_STATUS rc = HPDF_SaveToStream(pdf);
    if (rc == HPDF_OK)
        saveto_flush(s);
    HPDF_Stream_Free(st);
    pdf->stream = NULL;
    *written = s->written;
    int ret = s->stopped ? 1 : rc != HPDF_OK ? -1 : 0;
    free(s);
    return ret;
}

vb_status_t
vb_pdf_outline_dest(HPDF_Doc pdf, HPDF_Outline ol, HPDF_Page page, HPDF_REAL top, vb_diag_t *d)
{
    HPDF_Array dst = HPDF_Array_New(pdf->mmgr);
    if (!dst)
        return vb_pdf_haru_fail(pdf, HPDF_FAILD_TO_ALLOC_MEM, "adding an outline destination", d);
    HPDF_STATUS st = HPDF_Dict_Add(ol, "Dest", dst); /* frees dst on failure */
    if (st == HPDF_OK)
        st = HPDF_Array_Add(dst, page);
    if (st == HPDF_OK)
        st = HPDF_Array_AddName(dst, "XYZ");
    if (st == HPDF_OK)
        st = HPDF_Array_AddNumber(dst, 0);
    if (st == HPDF_OK)
        st = HPDF_Array_AddReal(dst, top);
    if (st == HPDF_OK)
        st = HPDF_Array_AddNumber(dst, 1);
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "adding an outline destination", d);
    return VB_OK;
}

vb_status_t
vb_pdf_set_info_text(HPDF_Doc pdf, const char *key, const char *utf8, vb_diag_t *d)
{
    /* libharu creates the Info dictionary with the first standard entry; call after one is set */
    if (!pdf->info)
        return vb_pdf_haru_fail(pdf, HPDF_OK, "adding to the document information", d);
    /* UTF-8 as it is: vb_pdf_compact_objects writes it as a text string */
    HPDF_STATUS st = HPDF_Dict_Add(pdf->info, key, HPDF_String_New(pdf->mmgr, utf8, NULL));
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
    if (!last)
        return vb_pdf_haru_fail(pdf, HPDF_OK, "setting a page label prefix", d);
    HPDF_STATUS st = HPDF_Dict_Add(last, "P", HPDF_String_New(pdf->mmgr, utf8, NULL));
    if (st != HPDF_OK)
        return vb_pdf_haru_fail(pdf, st, "setting a page label prefix", d);
    /* the label dict is inside the /Nums array, out of vb_pdf_compact_objects' reach: hide its texts now */
    hide_texts(last);
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

/* A length in millipoints as a PDF number ("13", "10.5"). */
static void
pdf_num(char *buf, size_t n, vb_len_t v)
{
    if (v % 1000 == 0)
        snprintf(buf, n, "%d", (int)(v / 1000));
    else
        snprintf(buf, n, "%d.%03d", (int)(v / 1000), (int)(v % 1000 < 0 ? -(v % 1000) : v % 1000));
}

/*
 * The fields of a signed-ready PDF (sigfields.c, ../shared/notes/signing.md
 * §1.1): each a merged field and widget, an indirect dict in its page's
 * /Annots (in the list's order: a seal after its signer, so that it is drawn
 * on top) and in the catalog's /AcroForm /Fields (an indirect AcroForm, so a
 * signer rewrites only it). Signature fields: /FT /Sig, /F 134 (print,
 * locked, invisible), no /V (unsigned); /SigFlags 1. The invisible flag
 * because mupdf (and SumatraPDF over it) ignores any appearance of an
 * unsigned signature field and draws, and prints, its own orange "SIGN" tag
 * in the field's corner; ISO 32000-1 §12.5.3 limits the flag to annotation
 * types a reader does not know, so poppler, Acrobat and PDFium draw the
 * field as usual, mupdf and pdf.js not at all. A signer clears the flag
 * (signpdf.c writes /F 132). A PDF/A may not set it (ISO 19005-2 §6.3.2):
 * there the field is /F 132 and mupdf shows its tag. Text fields: /FT /Tx, /F 4 (print),
 * a minimal /DA in Helvetica at the size of the text around the gap, with
 * the form's /DR: the issuing tool writes the number or the day in the
 * document's own font when it fills the field. No appearance streams:
 * viewers draw their own "sign here" marker (mupdf does even over one of
 * ours), a signer writes the signature's; but a PDF/A (dl->info.pdfa) needs
 * one on every widget: an empty form XObject of the field's size. Names and
 * labels are text strings (write_texts).
 */
vb_status_t
vb_pdf_add_fields(HPDF_Doc pdf, const vb_dlist_t *dl, vb_diag_t *d)
{
    if (!dl->nfields)
        return VB_OK;
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Dict form = HPDF_Dict_New(mm);
    HPDF_Array fields = NULL;
    bool sig = false, text = false;
    if (!form)
        goto haru_fail;
    HCHK(HPDF_Xref_Add(pdf->xref, form)); /* frees form on failure */
    if (!(fields = HPDF_Array_New(mm)))
        goto haru_fail;
    HCHK(HPDF_Dict_Add(form, "Fields", fields));
    for (int i = 0; i < dl->nfields; i++) {
        const vb_dfield_t *f = &dl->fields[i];
        HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)f->page);
        if (!page || f->page >= dl->npages)
            goto haru_fail;
        vb_len_t ph = dl->pages[f->page].height;
        bool is_sig = f->role == VB_DFIELD_SIGNER || f->role == VB_DFIELD_SEAL || f->role == VB_DFIELD_APPENDIX;
        sig |= is_sig;
        text |= !is_sig;
        HPDF_Dict w = HPDF_Dict_New(mm);
        if (!w)
            goto haru_fail;
        HCHK(HPDF_Xref_Add(pdf->xref, w));
        HCHK(HPDF_Dict_AddName(w, "Type", "Annot"));
        HCHK(HPDF_Dict_AddName(w, "Subtype", "Widget"));
        HCHK(HPDF_Dict_AddName(w, "FT", is_sig ? "Sig" : "Tx"));
        HCHK(HPDF_Dict_Add(w, "T", HPDF_String_New(mm, f->name, NULL)));
        HCHK(HPDF_Dict_Add(w, "TU", HPDF_String_New(mm, f->label, NULL)));
        HPDF_Array rect = HPDF_Array_New(mm);
        if (!rect)
            goto haru_fail;
        HCHK(HPDF_Dict_Add(w, "Rect", rect));
        /* whole points (sigfields.c rounds them so), bottom-left origin */
        HCHK(HPDF_Array_AddNumber(rect, (HPDF_INT32)(f->x / 1000)));
        HCHK(HPDF_Array_AddNumber(rect, (HPDF_INT32)((ph - f->y - f->h) / 1000)));
        HCHK(HPDF_Array_AddNumber(rect, (HPDF_INT32)((f->x + f->w) / 1000)));
        HCHK(HPDF_Array_AddNumber(rect, (HPDF_INT32)((ph - f->y) / 1000)));
        HCHK(HPDF_Dict_AddNumber(w, "F", !is_sig ? 4 : dl->info.pdfa ? 132 : 134));
        HCHK(HPDF_Dict_Add(w, "P", page));
        if (dl->info.pdfa) {
            /* PDF/A: every widget has an appearance; an empty form the field's size (a signer replaces it) */
            HPDF_Dict ap = HPDF_DictStream_New(mm, pdf->xref), apd;
            HPDF_Array bbox;
            if (!ap || !(apd = HPDF_Dict_New(mm)))
                goto haru_fail;
            HCHK(HPDF_Dict_Add(w, "AP", apd));
            HCHK(HPDF_Dict_Add(apd, "N", ap));
            HCHK(HPDF_Dict_AddName(ap, "Type", "XObject"));
            HCHK(HPDF_Dict_AddName(ap, "Subtype", "Form"));
            if (!(bbox = HPDF_Array_New(mm)))
                goto haru_fail;
            HCHK(HPDF_Dict_Add(ap, "BBox", bbox));
            HCHK(HPDF_Array_AddNumber(bbox, 0));
            HCHK(HPDF_Array_AddNumber(bbox, 0));
            HCHK(HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->w / 1000)));
            HCHK(HPDF_Array_AddNumber(bbox, (HPDF_INT32)(f->h / 1000)));
        }
        if (!is_sig) {
            char da[48], num[24];
            pdf_num(num, sizeof num, f->size);
            snprintf(da, sizeof da, "/Helv %s Tf 0 g", num);
            HCHK(HPDF_Dict_Add(w, "DA", HPDF_String_New(mm, da, NULL)));
        }
        hide_texts(w);
        HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
        if (!annots) {
            if (!(annots = HPDF_Array_New(mm)))
                goto haru_fail;
            HCHK(HPDF_Dict_Add(page, "Annots", annots));
        }
        HCHK(HPDF_Array_Add(annots, w));
        HCHK(HPDF_Array_Add(fields, w));
    }
    if (sig)
        HCHK(HPDF_Dict_AddNumber(form, "SigFlags", 1));
    if (text) {
        HPDF_Dict dr, fonts, helv;
        if (!(dr = HPDF_Dict_New(mm)))
            goto haru_fail;
        HCHK(HPDF_Dict_Add(form, "DR", dr));
        if (!(fonts = HPDF_Dict_New(mm)))
            goto haru_fail;
        HCHK(HPDF_Dict_Add(dr, "Font", fonts));
        if (!(helv = HPDF_Dict_New(mm)))
            goto haru_fail;
        HCHK(HPDF_Dict_Add(fonts, "Helv", helv));
        HCHK(HPDF_Dict_AddName(helv, "Type", "Font"));
        HCHK(HPDF_Dict_AddName(helv, "Subtype", "Type1"));
        HCHK(HPDF_Dict_AddName(helv, "BaseFont", "Helvetica"));
        HCHK(HPDF_Dict_AddName(helv, "Encoding", "WinAnsiEncoding"));
        HCHK(HPDF_Dict_Add(form, "DA", HPDF_String_New(mm, "/Helv 0 Tf 0 g", NULL)));
        hide_texts(form);
    }
    HCHK(HPDF_Dict_Add(pdf->catalog, "AcroForm", form));
    return VB_OK;
haru_fail:
    return vb_pdf_haru_fail(pdf, HPDF_OK, "adding the signature and issuance fields", d);
}

vb_status_t
vb_pdf_fonts_form_fonts(vb_pdf_fonts_t *pf, vb_diag_t *d)
{
    HPDF_Doc pdf = pf->pdf;
    HPDF_Dict form = HPDF_Dict_GetItem(pdf->catalog, "AcroForm", HPDF_OCLASS_DICT);
    HPDF_Dict dr = form ? HPDF_Dict_GetItem(form, "DR", HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict fonts = dr ? HPDF_Dict_GetItem(dr, "Font", HPDF_OCLASS_DICT) : NULL;
    if (!fonts || !pf->digits)
        return VB_OK;
    for (int i = 0; i < VB_NFACES && i < 10; i++) {
        const pface_t *pc = &pf->faces[i];
        if (!pc->slots || pc->subs.n == 0 || !pc->subs.v[0]->has['0'])
            continue;
        char key[8] = {'V', 'b', 'F', (char)('0' + i), 0};
        HPDF_STATUS st = HPDF_Dict_Add(fonts, key, pc->subs.v[0]->type0);
        if (st != HPDF_OK)
            return vb_pdf_haru_fail(pdf, st, "naming the fonts of the issuance fields", d);
    }
    return VB_OK;
}
