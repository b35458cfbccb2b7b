/*
 * font.c - the four faces of a font family, opened once with HarfBuzz and
 * shared read-only (see font.h). With shape.c and subset.c, the only
 * HarfBuzz user; fontfind.c chooses the files.
 *
 * Each face is a blob of the file's bytes (read whole by base.c's vb_file_read,
 * the one file reader: a regular file only, and not mapped, so a file cut
 * short while it is in use cannot fault the process), an hb_face over it and an hb_font whose
 * scale is the face's units per em, so every metric HarfBuzz returns is in
 * font units and callers scale to millipoints themselves (vb_font_scale):
 * one rounding, at the end. Face and font are made immutable before
 * vb_fontset_open returns; HarfBuzz's lazily loaded tables are thread-safe
 * behind that, so any number of threads may shape with one fontset.
 *
 * Each face also holds what is looked up once for every render: the
 * Vietnamese hb_language, its glyph advances in a table, and the caches of
 * shaped words (shape.c) and of subset font programs (subset.c), which are
 * the only parts that change after opening, each behind its own lock.
 *
 * vb_font_info collects, once, what the PDF writer's FontDescriptor needs.
 * Values HarfBuzz has no API for (head bbox and macStyle, post angle and
 * pitch, OS/2 weight, fsSelection and PANOSE) are read from the raw tables,
 * with bounds checks, because a font file is outside input.
 */
#include "font.h"

#include <hb-ot.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontfind.h"

struct vb_font {
    hb_blob_t *blob; /* the file's bytes, kept for the subsetter (see font_blob) */
    bool bare;       /* blob holds the file without its cmap as face 1 (font_blob) */
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: results in font units */
    hb_language_t lang; /* "vi", for shaping */
    int32_t *adv;    /* every glyph's advance in font units, read once (nadv of them) */
    unsigned nadv;
    int max_adv;     /* the largest of them */
    void *caches[VB_FACE_NCACHES];          /* shape.c's words, subset.c's programs (font.h) */
    void (*cache_free[VB_FACE_NCACHES])(void *);
    vb_font_info_t info;
};

struct vb_fontset {
    vb_arena_t *arena; /* the info strings */
    vb_font_t faces[VB_NFACES];
};

static const char *const style_suffix[VB_NFACES] = {"", "-Bold", "-Italic", "-BoldItalic"};

/* ------------------------------------------------------------ raw tables */

static unsigned
get_u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int
get_s16(const unsigned char *p)
{
    unsigned v = get_u16(p);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static int32_t
get_s32(const unsigned char *p)
{
    uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (int32_t)v;
}

/* The fields of head, post and OS/2 that font_info needs; has_* say which tables were usable. */
typedef struct raw_tables {
    bool has_head, has_post, has_os2;
    int bbox[4];
    unsigned mac_style;
    int32_t italic_angle; /* Fixed 16.16 */
    int underline_position, underline_thickness;
    bool fixed_pitch;
    unsigned weight_class, fs_selection;
    unsigned char panose[10];
} raw_tables_t;

static void
read_tables(hb_face_t *face, raw_tables_t *rt)
{
    unsigned len;
    const unsigned char *p;
    hb_blob_t *b;

    /* head: xMin yMin xMax yMax at 36..43, macStyle at 44; the table is 54 bytes. */
    b = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    p = (const unsigned char *)hb_blob_get_data(b, &len);
    if (p && len >= 54) {
        rt->has_head = true;
        for (int i = 0; i < 4; i++)
            rt->bbox[i] = get_s16(p + 36 + 2 * i);
        rt->mac_style = get_u16(p + 44);
    }
    hb_blob_destroy(b);

    /* post: italicAngle (Fixed) at 4, underlinePosition and underlineThickness (FWORD) at 8 and 10,
     * isFixedPitch (uint32) at 12. */
    b = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
    p = (const unsigned char *)hb_blob_get_data(b, &len);
    if (p && len >= 16) {
        rt->has_post = true;
        rt->italic_angle = get_s32(p + 4);
        rt->underline_position = get_s16(p + 8);
        rt->underline_thickness = get_s16(p + 10);
        rt->fixed_pitch = get_s32(p + 12) != 0;
    }
    hb_blob_destroy(b);

    /* OS/2: usWeightClass at 4, panose[10] at 32, fsSelection at 62 (version 0 is 78 bytes). */
    b = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
    p = (const unsigned char *)hb_blob_get_data(b, &len);
    if (p && len >= 78) {
        rt->has_os2 = true;
        rt->weight_class = get_u16(p + 4);
        memcpy(rt->panose, p + 32, 10);
        rt->fs_selection = get_u16(p + 62);
    }
    hb_blob_destroy(b);
}

/*
 * The PostScript name from the name table, reduced to the characters a PDF
 * name may hold without escapes, and at most 63 of them (the OpenType limit,
 * which also leaves room for the 7-byte subset tag). A font without one gets
 * the family name without spaces plus the style suffix.
 */
static const char *
ps_name(hb_face_t *face, const char *family, vb_face_t style, vb_arena_t *a)
{
    char raw[256];
    unsigned size = sizeof raw;
    unsigned full = hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, raw);
    char out[64];
    size_t n = 0;
    for (unsigned i = 0; full > 0 && i < size && n < sizeof out - 1; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c > 0x20 && c < 0x7F && !strchr("[](){}<>/%#", c))
            out[n++] = (char)c;
    }
    if (n == 0) {
        for (const char *s = family; *s && n < sizeof out - 12; s++) {
            unsigned char c = (unsigned char)*s;
            if (c > 0x20 && c < 0x7F && !strchr("[](){}<>/%#", c))
                out[n++] = (char)c;
        }
        const char *suf = style_suffix[style];
        size_t sl = strlen(suf);
        memcpy(out + n, suf, sl);
        n += sl;
    }
    return vb_arena_strndup(a, out, n);
}

/* Fills f->info; false when out of memory. */
static bool
font_info(vb_font_t *f, const char *path, const char *family, vb_face_t style, vb_arena_t *a)
{
    vb_font_info_t *in = &f->info;
    raw_tables_t rt = {0};
    hb_position_t pos;

    read_tables(f->face, &rt);
    in->path = vb_arena_strdup(a, path);
    in->family = vb_arena_strdup(a, family);
    in->ps_name = ps_name(f->face, family, style, a);
    if (!in->path || !in->family || !in->ps_name)
        return false;
    in->upem = (int)hb_face_get_upem(f->face);
    in->num_glyphs = hb_face_get_glyph_count(f->face);

    /* HarfBuzz takes OS/2 typo metrics when USE_TYPO_METRICS is set, hhea otherwise. */
    in->ascender = hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &pos)
                       ? pos
                       : in->upem * 8 / 10;
    in->descender = hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &pos)
                        ? pos
                        : -(in->upem * 2 / 10);
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &pos) && pos > 0) {
        in->cap_height = pos;
    } else {
        /* OS/2 before version 2 has no sCapHeight: measure the H. */
        hb_codepoint_t g;
        hb_glyph_extents_t ext;
        if (hb_font_get_nominal_glyph(f->font, 'H', &g) && hb_font_get_glyph_extents(f->font, g, &ext))
            in->cap_height = ext.y_bearing;
        else
            in->cap_height = in->ascender * 7 / 10;
    }

    if (rt.has_head)
        memcpy(in->bbox, rt.bbox, sizeof in->bbox);
    else {
        in->bbox[0] = 0;
        in->bbox[1] = in->descender;
        in->bbox[2] = in->upem;
        in->bbox[3] = in->ascender;
    }
    /* Fixed 16.16 degrees to degrees * 1000, rounded half away from zero. */
    int64_t ang = (int64_t)rt.italic_angle * 1000;
    in->italic_angle = (int)((ang + (ang >= 0 ? 32768 : -32768)) / 65536);
    in->underline_position = rt.underline_position;
    in->underline_thickness = rt.underline_thickness > 0 ? rt.underline_thickness : 0;
    in->fixed_pitch = rt.fixed_pitch;

    unsigned weight = rt.has_os2 ? rt.weight_class : ((rt.mac_style & 1) ? 700 : 400);
    in->bold = rt.has_os2 ? weight >= 600 : (rt.mac_style & 1) != 0;
    in->italic = (rt.has_os2 && (rt.fs_selection & 1)) || (rt.mac_style & 2) || in->italic_angle != 0;
    /* PANOSE family kind 2 is Latin text; serif styles 2..10 are serifs, 11..15 sans. */
    in->serif = rt.has_os2 && rt.panose[0] == 2 && rt.panose[1] >= 2 && rt.panose[1] <= 10;
    /*
     * No table gives StemV; the usual estimate from the weight class
     * (regular 400 gives 95, bold 700 gives 168) is all a viewer needs.
     */
    if (weight < 100 || weight > 1000)
        weight = 400;
    in->stem_v = 10 + (int)(220 * (weight - 50) / 900);
    return true;
}

/* ------------------------------------------------------------ validation */

/* A table's bytes (NULL and 0 when absent); release with hb_blob_destroy(*b). */
static const unsigned char *
table(hb_face_t *face, hb_tag_t tag, hb_blob_t **b, unsigned *len)
{
    *b = hb_face_reference_table(face, tag);
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(*b, len);
    if (!p)
        *len = 0;
    return p;
}

/*
 * One glyph of glyf, data[0..n): the arrays its header announces must fit,
 * and a composite's components must name glyphs of the font.
 */
static bool
glyph_ok(const unsigned char *g, size_t n, unsigned nglyphs)
{
    if (n == 0)
        return true; /* an empty glyph (the space) */
    if (n < 10)
        return false;
    int nc = get_s16(g);
    if (nc >= 0) {
        size_t o = 10 + 2 * (size_t)nc;
        if (o + 2 > n)
            return false;
        for (int i = 1; i < nc; i++)
            if (get_u16(g + 10 + 2 * i) < get_u16(g + 8 + 2 * i))
                return false;
        return o + 2 + get_u16(g + o) <= n; /* the instructions */
    }
    size_t o = 10;
    for (;;) {
        if (o + 4 > n)
            return false;
        unsigned flags = get_u16(g + o), gid = get_u16(g + o + 2);
        if (gid >= nglyphs)
            return false;
        o += 4 + ((flags & 0x1) ? 4 : 2);
        o += (flags & 0x8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0;
        if (o > n)
            return false;
        if (!(flags & 0x20))
            return true;
    }
}

/*
 * Glyph g's outline, read through loca (whose offsets face_damage checked
 * against glyf): NULL when sound, else what is wrong (in buf).
 */
static const char *
outline_damage(const unsigned char *glyf, unsigned glen, const unsigned char *loca, int loca_long, unsigned nglyphs,
               unsigned g, char *buf, size_t size)
{
    size_t a = loca_long ? (size_t)(uint32_t)get_s32(loca + 4 * g) : 2 * (size_t)get_u16(loca + 2 * g);
    size_t b = loca_long ? (size_t)(uint32_t)get_s32(loca + 4 * (g + 1)) : 2 * (size_t)get_u16(loca + 2 * (g + 1));
    if (b < a || b > glen || !glyph_ok(glyf + a, b - a, nglyphs)) {
        snprintf(buf, size, "the outline of glyph %u in its glyf table cannot be read", g);
        return buf;
    }
    return NULL;
}

const char *
vb_font_outlines_damage(const vb_font_t *f, const uint32_t *gids, int n, char *buf, size_t size)
{
    hb_blob_t *hb, *gb, *lb;
    unsigned hlen, glen, llen;
    const unsigned char *head = table(f->face, HB_TAG('h', 'e', 'a', 'd'), &hb, &hlen);
    const unsigned char *glyf = table(f->face, HB_TAG('g', 'l', 'y', 'f'), &gb, &glen);
    const unsigned char *loca = table(f->face, HB_TAG('l', 'o', 'c', 'a'), &lb, &llen);
    unsigned nglyphs = hb_face_get_glyph_count(f->face);
    int loca_long = head && hlen >= 54 ? get_s16(head + 50) : 0;
    const char *bad = NULL;
    /* a CFF font has no glyf: its outlines are the subsetter's to read; the sizes were checked at opening */
    if (glyf && loca && llen >= ((size_t)nglyphs + 1) * (loca_long ? 4 : 2))
        for (int i = 0; i < n && !bad; i++)
            if (gids[i] < nglyphs)
                bad = outline_damage(glyf, glen, loca, loca_long, nglyphs, gids[i], buf, size);
    hb_blob_destroy(hb);
    hb_blob_destroy(gb);
    hb_blob_destroy(lb);
    return bad;
}

/*
 * What the engine relies on in a face, checked when it is opened so that a
 * damaged file (truncated, or a table overwritten) is a font error naming
 * it, not glyph garbage in the PDF or a failure far away in line breaking:
 * head's units per em, the glyph count, the horizontal metrics for every
 * glyph with sane advances, glyf and loca agreeing, the character map
 * giving every letter fontfind requires, and each of those glyphs readable.
 * The other glyphs' outlines are read when a subset takes them
 * (vb_font_outlines_damage): reading all of them cost a render 0.8 M
 * instructions for glyphs it never prints.
 * Returns NULL when the face is sound, else what is wrong.
 */
static const char *
face_damage(hb_face_t *face, hb_font_t *font, bool letters, char *buf, size_t size, int32_t **adv_out,
            unsigned *nadv_out)
{
    hb_blob_t *b;
    unsigned len;
    const unsigned char *p = table(face, HB_TAG('h', 'e', 'a', 'd'), &b, &len);
    unsigned upem = p && len >= 54 ? get_u16(p + 18) : 0;
    int loca_long = p && len >= 54 ? get_s16(p + 50) : -1;
    hb_blob_destroy(b);
    if (upem < 16 || upem > 16384)
        return "its head table is missing or gives no valid units per em";
    p = table(face, HB_TAG('m', 'a', 'x', 'p'), &b, &len);
    unsigned nglyphs = p && len >= 6 ? get_u16(p + 4) : 0;
    hb_blob_destroy(b);
    if (nglyphs == 0)
        return "its maxp table is missing or counts no glyphs";
    p = table(face, HB_TAG('h', 'h', 'e', 'a'), &b, &len);
    unsigned nhm = p && len >= 36 ? get_u16(p + 34) : 0;
    hb_blob_destroy(b);
    if (nhm == 0 || nhm > nglyphs)
        return "its hhea table is missing or counts no horizontal metrics";
    p = table(face, HB_TAG('h', 'm', 't', 'x'), &b, &len);
    hb_blob_destroy(b);
    if ((size_t)len < 4 * (size_t)nhm + 2 * (size_t)(nglyphs - nhm)) {
        snprintf(buf, size, "its hmtx table has %u bytes, fewer than its %u glyphs need", len, nglyphs);
        return buf;
    }
    /* every advance in one call (HarfBuzz's batch path, the same values as glyph by glyph) */
    hb_position_t *advs = malloc((size_t)nglyphs * sizeof *advs);
    hb_codepoint_t *gids = malloc((size_t)nglyphs * sizeof *gids);
    if (advs && gids) {
        for (unsigned g = 0; g < nglyphs; g++)
            gids[g] = g;
        hb_font_get_glyph_h_advances(font, nglyphs, gids, sizeof *gids, advs, sizeof *advs);
    } else {
        free(advs); /* no memory for the table: glyph by glyph, and the caller reads them again */
        advs = NULL;
    }
    free(gids);
    for (unsigned g = 0; g < nglyphs; g++) {
        hb_position_t adv = advs ? advs[g] : hb_font_get_glyph_h_advance(font, g);
        if (adv < 0 || adv > 16 * (hb_position_t)upem) {
            free(advs);
            snprintf(buf, size, "its hmtx table gives glyph %u a width of %d units (%u to the em)", g, (int)adv,
                     upem);
            return buf;
        }
    }
    if (adv_out) {
        *adv_out = advs;
        *nadv_out = nglyphs;
    } else
        free(advs);

    hb_blob_t *gb;
    unsigned glen;
    const unsigned char *glyf = table(face, HB_TAG('g', 'l', 'y', 'f'), &gb, &glen);
    const unsigned char *loca = NULL;
    hb_blob_t *lb = NULL;
    unsigned llen = 0;
    const char *bad = NULL;
    if (glyf) {
        loca = table(face, HB_TAG('l', 'o', 'c', 'a'), &lb, &llen);
        size_t need = ((size_t)nglyphs + 1) * (loca_long ? 4 : 2);
        if ((loca_long != 0 && loca_long != 1) || llen < need) {
            snprintf(buf, size, "its loca table has %u bytes, fewer than its %u glyphs need", llen, nglyphs);
            bad = buf;
        }
        size_t prev = 0;
        for (unsigned g = 0; !bad && g <= nglyphs; g++) {
            size_t off = loca_long ? (size_t)(uint32_t)get_s32(loca + 4 * g) : 2 * (size_t)get_u16(loca + 2 * g);
            if (off < prev || off > glen) {
                snprintf(buf, size, "its loca table points outside its glyf table (glyph %u)", g);
                bad = buf;
            } else if (!letters && g > 0 && !glyph_ok(glyf + prev, off - prev, nglyphs)) {
                /* a file of a fonts folder, checked before fontconfig lists it: every outline */
                snprintf(buf, size, "the outline of glyph %u in its glyf table cannot be read", g - 1);
                bad = buf;
            }
            prev = off; /* opening a face: the letters' outlines below, the rest when a subset takes them */
        }
    } else {
        hb_blob_t *cb;
        unsigned clen;
        table(face, HB_TAG('C', 'F', 'F', ' '), &cb, &clen);
        hb_blob_destroy(cb);
        if (!clen) {
            table(face, HB_TAG('C', 'F', 'F', '2'), &cb, &clen);
            hb_blob_destroy(cb);
        }
        if (!clen)
            bad = "it has no glyf table and no CFF table: no glyph outlines";
    }
    /* every letter fontfind requires: in the character map, and its glyph readable */
    for (int i = 0; letters && !bad && i < 0x7F - 0x20 + VB_FONTFIND_NVIETNAMESE; i++) {
        uint32_t cp = i < 0x7F - 0x20 ? (uint32_t)(0x20 + i) : vb_fontfind_vietnamese[i - (0x7F - 0x20)];
        hb_codepoint_t g;
        if (!hb_font_get_nominal_glyph(font, cp, &g) || g >= nglyphs) {
            char ch[8] = {0};
            vb_utf8_encode(cp, ch);
            snprintf(buf, size, "its cmap table gives no glyph for '%s' (U+%04X)", ch, (unsigned)cp);
            bad = buf;
        } else if (glyf && loca) {
            bad = outline_damage(glyf, glen, loca, loca_long, nglyphs, g, buf, size);
        }
    }
    hb_blob_destroy(lb);
    hb_blob_destroy(gb);
    if (bad)
        return bad;
    /* OS/2, which the PDF's font descriptor and the subsetter read: as long as its version says */
    p = table(face, HB_TAG('O', 'S', '/', '2'), &b, &len);
    if (p) {
        unsigned ver = len >= 2 ? get_u16(p) : 99;
        static const unsigned need[] = {78, 86, 96, 96, 96, 100};
        if (ver > 5 || len < need[ver]) {
            snprintf(buf, size, "its OS/2 table (version %u, %u bytes) is damaged", ver, len);
            bad = buf;
        }
    }
    hb_blob_destroy(b);
    return bad;
}

/* The largest font file read: far above any real one (a CJK collection is some tens of megabytes). */
#define FONT_MAX_BYTES ((int64_t)256 << 20)

/*
 * A font file's bytes as a blob (freed with it); NULL when it cannot be read.
 *
 * The subsetter reads the font without its cmap (hb-subset first maps every
 * character of a cmap it is given, most of its work, for a table the PDF
 * never reads). Rather than a copy of the file, the blob holds both: the
 * file is read behind a TrueType collection header naming two directories,
 * the file's own (face 0) and, after the file's bytes, a copy of it without
 * the cmap's entry (face 1), both pointing at the same tables (their offsets
 * moved by the header's length). No byte of the tables is copied, and
 * HarfBuzz reads a collection as it reads any font. *bare says whether face
 * 1 is there: not for a file that is already a collection, nor for one whose
 * directory cannot be read (then the blob is the file as it is, face
 * numbers unchanged, and the subsetter makes its own copy).
 */
#define WRAP_HEAD 20u /* "ttcf", version 1.0, two fonts, two offsets */

static uint32_t
get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void
put_u16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A mapped font's release (font_blob). */
static void
unmap_font(void *m)
{
    vb_file_unmap(m);
    free(m);
}

static hb_blob_t *
font_blob(const char *path, bool *bare)
{
    *bare = false;
    char *buf = NULL;
    size_t len = 0;
    vb_file_result_t fr;
    /* room for the header before and the second directory (at most 65535 records) after */
    size_t tail = 3 + 12 + 16 * (size_t)65535;
    /* mapped: the pages HarfBuzz reads come in as it reads them, none copied; read when it cannot be */
    vb_filemap_t *map = malloc(sizeof *map);
    unsigned char *mapped = map ? vb_file_map_padded(path, FONT_MAX_BYTES, WRAP_HEAD, tail, map, &len, &fr) : NULL;
    void *owner;
    hb_destroy_func_t release;
    if (mapped) {
        buf = (char *)mapped - WRAP_HEAD;
        owner = map;
        release = unmap_font;
    } else {
        free(map);
        if (fr.status != VB_FILE_OK || !vb_file_read_padded(path, FONT_MAX_BYTES, WRAP_HEAD, tail, &buf, &len, &fr))
            return NULL;
        owner = buf;
        release = free;
    }
    unsigned char *b = (unsigned char *)buf, *f = b + WRAP_HEAD;
    uint32_t ver = len >= 12 ? get_u32(f) : 0;
    unsigned nt = len >= 12 ? get_u16(f + 4) : 0;
    bool sfnt = ver == 0x00010000u || ver == 0x74727565u /* true */ || ver == 0x4F54544Fu /* OTTO */;
    size_t at = nt; /* the cmap's record */
    bool ok = sfnt && nt > 1 && 12 + 16 * (size_t)nt <= len && len <= UINT32_MAX - WRAP_HEAD - tail;
    for (unsigned i = 0; ok && i < nt; i++) {
        const unsigned char *r = f + 12 + 16 * (size_t)i;
        if (!memcmp(r, "cmap", 4))
            at = i;
        ok = get_u32(r + 8) <= len; /* offsets past the file stay as bad as they were, never wrap */
    }
    if (!ok || at == nt) {
        /* on failure HarfBuzz releases the bytes itself */
        return hb_blob_create_or_fail((const char *)f, (unsigned)len, HB_MEMORY_MODE_READONLY, owner, release);
    }
    for (unsigned i = 0; i < nt; i++) {
        unsigned char *r = f + 12 + 16 * (size_t)i;
        put_u32(r + 8, get_u32(r + 8) + WRAP_HEAD);
    }
    size_t second = WRAP_HEAD + ((len + 3) & ~(size_t)3);
    unsigned char *d = b + second;
    memcpy(d, f, 12);
    size_t k = 0;
    for (unsigned i = 0; i < nt; i++)
        if (i != at)
            memcpy(d + 12 + 16 * k++, f + 12 + 16 * (size_t)i, 16);
    unsigned n2 = nt - 1, es = 0;
    while ((2u << es) <= n2)
        es++;
    unsigned sr = 16u << es;
    put_u16(d + 4, n2);
    put_u16(d + 6, sr);
    put_u16(d + 8, es);
    put_u16(d + 10, 16 * n2 - sr);
    memcpy(b, "ttcf", 4);
    put_u32(b + 4, 0x00010000u);
    put_u32(b + 8, 2);
    put_u32(b + 12, WRAP_HEAD);
    put_u32(b + 16, (uint32_t)second);
    size_t total = second + 12 + 16 * (size_t)n2;
    hb_blob_t *blob = hb_blob_create_or_fail(buf, (unsigned)total, HB_MEMORY_MODE_READONLY, owner, release);
    *bare = blob != NULL;
    return blob;
}

const char *
vb_font_file_damage(const char *path, char *buf, size_t size)
{
    bool bare;
    hb_blob_t *blob = font_blob(path, &bare);
    if (!blob)
        return NULL; /* unreadable: the caller says so itself */
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    unsigned upem = hb_face_get_upem(face);
    hb_font_set_scale(font, (int)upem, (int)upem);
    const char *bad = hb_face_get_glyph_count(face) == 0 ? "it holds no usable face"
                                                         : face_damage(face, font, false, buf, size, NULL, NULL);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return bad;
}

/* Opens one face of the set; the error names the file. */
static vb_status_t
open_face(vb_font_t *f, const vb_fontfile_t *file, const char *family, vb_face_t style, vb_arena_t *a,
          vb_diag_t *d)
{
    f->blob = font_blob(file->path, &f->bare);
    if (!f->blob)
        return vb_diag_set(d, VB_E_IO, "font.open", file->path, 0, 0, "The font file %s cannot be read.",
                           file->path);
    f->face = hb_face_create(f->blob, f->bare ? 0 : (unsigned)file->index);
    if (hb_face_get_glyph_count(f->face) == 0 || hb_face_get_upem(f->face) == 0)
        return vb_diag_set(d, VB_E_FONT, "font.invalid", file->path, 0, 0,
                           "The font file %s holds no usable face.", file->path);
    hb_face_make_immutable(f->face);
    f->font = hb_font_create(f->face);
    int upem = (int)hb_face_get_upem(f->face);
    hb_font_set_scale(f->font, upem, upem);
    hb_font_make_immutable(f->font);
    char why[160];
    int32_t *advs = NULL;
    unsigned nadvs = 0;
    const char *bad = face_damage(f->face, f->font, true, why, sizeof why, &advs, &nadvs);
    if (bad) {
        free(advs);
        return vb_diag_set(d, VB_E_FONT, "font.damaged", file->path, 0, 0,
                           "The font file %s is damaged: %s. Install it again or remove it.", file->path, bad);
    }
    f->adv = advs; /* freed with the face, even if what follows fails */
    if (!font_info(f, file->path, family, style, a))
        return vb_diag_nomem(d);
    f->info.face_index = file->index;
    f->lang = hb_language_from_string("vi", 2);
    /* the advances, which the PDF writer asks for glyph by glyph: the table the check read */
    f->nadv = nadvs;
    if (nadvs != hb_face_get_glyph_count(f->face)) {
        free(f->adv);
        f->nadv = hb_face_get_glyph_count(f->face);
        if (!(f->adv = malloc(f->nadv * sizeof *f->adv)))
            return vb_diag_nomem(d);
        for (unsigned g = 0; g < f->nadv; g++)
            f->adv[g] = hb_font_get_glyph_h_advance(f->font, g);
    }
    for (unsigned g = 0; g < f->nadv; g++)
        if (f->adv[g] > f->max_adv)
            f->max_adv = f->adv[g];
    return VB_OK;
}

vb_status_t
vb_fontset_open(const char *const *families, int nfamilies, const char *user_dir, vb_fontset_t **out,
                vb_diag_t *d)
{
    if (!out)
        return vb_diag_set(d, VB_E_USAGE, "font.usage", NULL, 0, 0, "vb_fontset_open needs an out pointer.");
    *out = NULL;
    vb_fontfile_t files[VB_NFACES];
    int fam = 0;
    vb_status_t st = vb_fontfind(families, nfamilies, user_dir, vb_font_file_damage, files, &fam, d);
    if (st != VB_OK)
        return st;

    vb_fontset_t *fs = calloc(1, sizeof *fs);
    if (!fs || !(fs->arena = vb_arena_new())) {
        free(fs);
        vb_fontfind_release(files);
        return vb_diag_nomem(d);
    }
    for (int i = 0; i < VB_NFACES && st == VB_OK; i++)
        st = open_face(&fs->faces[i], &files[i], families[fam], (vb_face_t)i, fs->arena, d);
    vb_fontfind_release(files);
    if (st != VB_OK) {
        vb_fontset_free(fs);
        return st;
    }
    *out = fs;
    return VB_OK;
}

void
vb_fontset_free(vb_fontset_t *fs)
{
    if (!fs)
        return;
    for (int i = 0; i < VB_NFACES; i++) {
        /* HarfBuzz accepts NULL in its destroy functions. */
        for (int k = 0; k < VB_FACE_NCACHES; k++)
            if (fs->faces[i].cache_free[k])
                fs->faces[i].cache_free[k](fs->faces[i].caches[k]);
        free(fs->faces[i].adv);
        hb_font_destroy(fs->faces[i].font);
        hb_face_destroy(fs->faces[i].face);
        hb_blob_destroy(fs->faces[i].blob);
    }
    vb_arena_free(fs->arena);
    free(fs);
}

const vb_font_t *
vb_fontset_face(const vb_fontset_t *fs, vb_face_t face)
{
    return &fs->faces[(unsigned)face & 3u];
}

const vb_font_info_t *
vb_font_info(const vb_font_t *f)
{
    return &f->info;
}

/*
 * Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt):
 * HarfBuzz hides these characters (soft hyphen, zero-width space and joiners,
 * bidi controls, variation selectors...), so a font need not have them.
 */
static const uint32_t ignorable[][2] = {
    {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},   {0x17B4, 0x17B5},
    {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F},   {0x3164, 0x3164},
    {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8},   {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
};

bool
vb_font_covers(const vb_font_t *f, uint32_t cp)
{
    hb_codepoint_t g;
    if (hb_font_get_nominal_glyph(f->font, cp, &g))
        return true;
    for (size_t i = 0; i < sizeof ignorable / sizeof ignorable[0]; i++)
        if (cp >= ignorable[i][0] && cp <= ignorable[i][1])
            return true;
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
    /* HarfBuzz draws a missing space separator (U+2002, U+202F...) with the space glyph, resized. */
    if (gc == HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR)
        return hb_font_get_nominal_glyph(f->font, 0x20, &g);
    /*
     * A combining mark the font lacks still shows when HarfBuzz composes it
     * with its base into a letter the font has (e + U+0323 -> ẹ). Whether it
     * composes depends on the base, which is not known here; a mark that
     * composes with some basic Latin letter into a glyph of the font is taken
     * as covered, as the Vietnamese marks (U+0300 U+0301 U+0302 U+0303 U+0306
     * U+0309 U+031B U+0323) are in every face fontfind accepts.
     */
    if (gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK) {
        for (uint32_t base = 'A'; base <= 'z'; base++) {
            hb_codepoint_t ab;
            if ((base <= 'Z' || base >= 'a') && hb_unicode_compose(uf, base, cp, &ab) &&
                hb_font_get_nominal_glyph(f->font, ab, &g))
                return true;
        }
    }
    return false;
}

int
vb_font_max_advance(const vb_font_t *f)
{
    return f->max_adv;
}

int
vb_font_glyph_advance(const vb_font_t *f, uint32_t gid)
{
    return gid < f->nadv ? f->adv[gid] : hb_font_get_glyph_h_advance(f->font, gid);
}

void
vb_font_glyph_vextent(const vb_font_t *f, uint32_t gid, int *top, int *bottom)
{
    hb_glyph_extents_t ext;
    if (hb_font_get_glyph_extents(f->font, gid, &ext)) {
        /* HarfBuzz gives the top (y_bearing) and a negative height downwards. */
        *top = ext.y_bearing;
        *bottom = ext.y_bearing + ext.height;
    } else {
        *top = *bottom = 0;
    }
}

void *
vb_font_hb_face(const vb_font_t *f)
{
    return f->face;
}

void *
vb_font_hb_bare_face(const vb_font_t *f)
{
    if (!f->bare)
        return NULL;
    hb_face_t *bare = hb_face_create(f->blob, 1);
    if (bare == hb_face_get_empty())
        return NULL;
    hb_face_make_immutable(bare);
    return bare;
}

void *
vb_font_hb_font(const vb_font_t *f)
{
    return f->font;
}

void *
vb_font_hb_language(const vb_font_t *f)
{
    return (void *)f->lang;
}

bool
vb_fontset_add_cache(vb_fontset_t *fs, vb_face_cache_t which, void *(*make)(void), void (*free_fn)(void *))
{
    for (int i = 0; i < VB_NFACES; i++) {
        vb_font_t *f = &fs->faces[i];
        if (f->caches[which])
            continue;
        if (!(f->caches[which] = make()))
            return false;
        f->cache_free[which] = free_fn;
    }
    return true;
}

void *
vb_font_cache(const vb_font_t *f, vb_face_cache_t which)
{
    return f->caches[which];
}
