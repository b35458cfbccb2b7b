/*
 * coverage.c - every character a document can print is in its fonts: the
 * source as typed, the decoded model (character references, YAML escapes) and
 * the profile's own texts. A character no face covers is font.coverage at the
 * position that wrote it; every such character is reported (once, at its
 * first position; at most MAX_REPORTED of them), so that one run names all
 * the characters to replace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "para.h"

/*
 * The decoded model: what is printed, after Markdown character references
 * ("&#x4E2D;", "&agrave;") and YAML escapes ("\u4E2D") are read. A character
 * the raw check above could not see is named at the reference that wrote it
 * (found from the element's position on), or at the front-matter field.
 */
typedef struct cov {
    const vb_fontset_t *fs;
    const char *text;      /* the prepared source, for finding a character reference */
    size_t len;
    const char *source;
    vb_diag_t *d;          /* a fatal error (vb_char_check) */
    vb_sink_t *sink;       /* each character no font covers */
    int reported;          /* characters reported so far */
    uint8_t seen[0x10000 / 8]; /* characters checked (covered, or reported) */
    uint32_t astral[64];   /* the same for characters above U+FFFF */
    int nastral;
} cov_t;

/* At most this many characters are named; one more diagnostic says that there are more. */
#define MAX_REPORTED 100

/* True when cp was checked before; marks it checked. */
static bool
cov_seen(cov_t *c, uint32_t cp)
{
    if (cp < 0x10000) {
        bool was = c->seen[cp >> 3] & (1u << (cp & 7));
        c->seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        return was;
    }
    for (int i = 0; i < c->nastral; i++)
        if (c->astral[i] == cp)
            return true;
    if (c->nastral < (int)(sizeof c->astral / sizeof c->astral[0]))
        c->astral[c->nastral++] = cp;
    return false;
}

static const vb_font_t *face_lacking(const vb_fontset_t *fs, uint32_t cp);

/*
 * cp, at line:col of src, is not in font: font.coverage, once per character
 * (at its first position); past MAX_REPORTED, one last diagnostic says more
 * were left unnamed.
 */
static void
cov_report(cov_t *c, const char *src, int line, int col, uint32_t cp, const vb_font_t *font)
{
    if (c->reported == MAX_REPORTED) {
        vb_report(c->sink, VB_SEVERITY_ERROR, VB_E_FONT, "font.coverage", src, (vb_range_t){line, col, 0, 0}, NULL,
                  "More characters no font covers follow; the first %d are named above.", MAX_REPORTED);
    }
    if (c->reported++ >= MAX_REPORTED)
        return;
    char ch[8] = {0};
    vb_utf8_encode(cp, ch);
    vb_range_t at = {line, col, line > 0 && col > 0 ? line : 0, line > 0 && col > 0 ? col + 1 : 0};
    vb_report(c->sink, VB_SEVERITY_ERROR, VB_E_FONT, "font.coverage", src, at, NULL,
              "No font covers '%s' (U+%04X): %s (%s) lacks it.", ch, (unsigned)cp, vb_font_info(font)->family,
              vb_font_info(font)->path);
}

/* Every character of the source must be in the fonts: each one that is not is an error at its first position. */
static void
check_coverage(cov_t *c, const char *text, size_t len, const char *source)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80) { /* ASCII, in every font fontfind accepts: only counted */
            if (b == '\n')
                line++, col = 1;
            else
                col++;
            i++;
            continue;
        }
        uint32_t cp;
        int n = vb_utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            n = 1, cp = '?';
        if (cp == '\n') {
            line++, col = 1;
            i += (size_t)n;
            continue;
        }
        /* a line separator in a source is reported by reading/paste.c (paste.line-separator) */
        if (cp >= 0x80 && cp != 0x2028 && cp != 0x2029 && !cov_seen(c, cp)) {
            const vb_font_t *font = face_lacking(c->fs, cp);
            if (font)
                cov_report(c, source, line, col, cp, font);
        }
        col++;
        i += (size_t)n;
    }
}

/* NULL when every face covers cp, else the first face that lacks it. */
static const vb_font_t *
face_lacking(const vb_fontset_t *fs, uint32_t cp)
{
    for (int f = 0; f < VB_NFACES; f++) {
        const vb_font_t *font = vb_fontset_face(fs, (vb_face_t)f);
        int bit;
        char a = vb_script_fallback(cp, &bit); /* set as a raised or lowered ASCII character instead */
        if (!vb_font_covers(font, cp) && !(a && vb_font_covers(font, (uint32_t)(unsigned char)a)))
            return font;
    }
    return NULL;
}

/* Where a profile text's character is typed in the profile file (read again only for the message). */
static vb_pos_t
profile_pos(const char *path, uint32_t cp)
{
    vb_pos_t at = {0, 0};
    char *buf = NULL;
    size_t n = 0;
    vb_file_result_t fr;
    if (!vb_file_read(NULL, path, VB_PROFILE_MAX_BYTES, &buf, &n, &fr))
        return at;
    if (!vb_md_find_char(buf, n, at, cp, &at))
        at.line = at.col = 0;
    free(buf);
    return at;
}

static vb_status_t
cov_text(cov_t *c, const char *s, size_t n, vb_pos_t pos, bool find, const char *src)
{
    if (!s)
        return VB_OK;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x20 && b < 0x80) { /* printable ASCII, as below, without decoding */
            i++;
            continue;
        }
        uint32_t cp;
        int k = vb_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            k = 1, cp = 0xFFFD;
        i += (size_t)k;
        if (cp < 0x80 && (cp >= 0x20 || cp == '\n' || cp == '\t'))
            continue; /* ASCII is in every font fontfind accepts */
        if (cov_seen(c, cp) || ((cp == 0x2028 || cp == 0x2029) && c->text))
            continue; /* in a source, reported by reading/paste.c */
        char why[160];
        const vb_font_t *font = cp < 0x80 ? NULL : face_lacking(c->fs, cp);
        if (!font && !vb_char_refused(cp, why, sizeof why, NULL))
            continue; /* fine: its position, searched in the source, is needed only for a message */
        vb_pos_t at = pos;
        if (find && c->text && !vb_md_find_char(c->text, c->len, pos, cp, &at))
            at = pos;
        if (src != c->source && !pos.line)
            at = profile_pos(src, cp);
        vb_status_t st = vb_char_check(c->d, src, at.line, at.col, "The text contains", cp);
        if (st != VB_OK)
            return st;
        if (font)
            cov_report(c, src, at.line, at.col, cp, font);
    }
    return VB_OK;
}

static vb_status_t
cov_inline(cov_t *c, const vb_inline_t *in, vb_pos_t pos, bool find)
{
    for (int i = 0; i < in->n; i++) {
        vb_status_t st = cov_text(c, in->spans[i].text, in->spans[i].len, pos, find, c->source);
        if (st != VB_OK)
            return st;
    }
    return VB_OK;
}

static vb_status_t
cov_field(cov_t *c, const vb_field_t *f)
{
    return f->text ? cov_text(c, f->text, strlen(f->text), f->pos, false, c->source) : VB_OK;
}

static vb_status_t
cov_blocks(cov_t *c, const vb_blocks_t *b)
{
    vb_status_t st = VB_OK;
    for (int i = 0; i < b->n && st == VB_OK; i++) {
        const vb_block_t *bl = &b->v[i];
        if (bl->kind == VB_BLOCK_TABLE && bl->table) {
            const vb_table_t *t = bl->table;
            for (int k = 0; k < t->nrows * t->ncols && st == VB_OK; k++)
                st = cov_inline(c, &t->cells[k].text, t->cells[k].pos.line ? t->cells[k].pos : bl->pos, true);
        } else {
            st = cov_inline(c, &bl->text, bl->pos, true);
        }
    }
    return st;
}

static vb_status_t
cov_band(cov_t *c, const vb_band_t *b, const char *path)
{
    vb_pos_t none = {0, 0};
    vb_status_t st = VB_OK;
    for (int k = 0; k < b->ncols && st == VB_OK; k++)
        for (int i = 0; i < b->cols[k].n && st == VB_OK; i++) {
            const vb_pitem_t *it = &b->cols[k].items[i];
            const char *t[] = {it->text, it->marker, it->single_marker, it->separator, it->last_separator, it->label};
            for (size_t j = 0; j < sizeof t / sizeof t[0] && st == VB_OK; j++)
                st = t[j] ? cov_text(c, t[j], strlen(t[j]), none, false, path) : VB_OK;
        }
    return st;
}

static int
cov_field_cb(void *c, const vb_field_t *f)
{
    return (int)cov_field(c, f);
}

/* Every character that can be printed: the model's and the profile's own texts. */
static vb_status_t
check_model_coverage(cov_t *c, const vb_model_t *m, const vb_profile_t *p)
{
    /* every text of the front matter that may be printed (fields.def) */
    vb_status_t st = (vb_status_t)vb_meta_each_field(&m->meta, cov_field_cb, c);
    if (st == VB_OK)
        st = cov_blocks(c, &m->body);
    for (int a = 0; a < m->nappendices && st == VB_OK; a++) {
        const vb_appendix_t *ap = &m->appendices[a];
        st = cov_inline(c, &ap->label, ap->pos, true);
        for (int k = 0; k < ap->ntitle && st == VB_OK; k++)
            st = cov_inline(c, &ap->title[k], ap->pos, true);
        if (st == VB_OK)
            st = cov_blocks(c, &ap->blocks);
    }
    for (int i = 0; i < m->nnotes && st == VB_OK; i++)
        st = cov_inline(c, &m->notes[i].text, m->notes[i].pos, true);
    /* the profile's own texts ("Kính gửi:", "PHỤ LỤC", the date and page-number templates) */
    const vb_band_t *bands[] = {&p->header,       &p->title,           &p->closing,
                                &p->closing_joint, &p->overlay,        &p->first_footer,
                                &p->last_footer,  &p->appendix.header, &p->appendix.title};
    for (size_t i = 0; i < sizeof bands / sizeof bands[0] && st == VB_OK; i++)
        st = cov_band(c, bands[i], p->path);
    vb_pos_t none = {0, 0};
    if (st == VB_OK && p->date.format)
        st = cov_text(c, p->date.format, strlen(p->date.format), none, false, p->path);
    if (st == VB_OK && p->page_number.format)
        st = cov_text(c, p->page_number.format, strlen(p->page_number.format), none, false, p->path);
    return st;
}

vb_status_t
vb_coverage_report(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len,
                   const char *source, vb_sink_t *sink)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    cov_t *c = calloc(1, sizeof *c);
    if (!c)
        return vb_sink_take(sink, (vb_diag_nomem(&d), &d));
    c->fs = fs;
    c->text = text;
    c->len = len;
    c->source = source;
    c->d = &d;
    c->sink = sink;
    check_coverage(c, text, len, source);
    vb_status_t st = check_model_coverage(c, m, p);
    int reported = c->reported;
    free(c);
    if (st != VB_OK)
        return vb_sink_take(sink, &d);
    return reported ? VB_E_FONT : VB_OK;
}

vb_status_t
vb_coverage_check(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len,
                  const char *source, vb_diag_t *d)
{
    vb_sink_t sink;
    vb_sink_init(&sink, d, NULL, NULL);
    return vb_coverage_report(fs, m, p, text, len, source, &sink);
}
