/*
 * coverage.c - every character a document can print is in its fonts: the
 * source as typed, the decoded model (character references, YAML escapes) and
 * the profile's own texts. A character no face covers is font.coverage at the
 * position that wrote it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "para.h"

/* Every character of the source must be in the fonts; the first one that is not is an error at its position. */
static vb_status_t
check_coverage(const vb_fontset_t *fs, const char *text, size_t len, const char *source, vb_diag_t *d)
{
    uint8_t seen[0x10000 / 8];
    memset(seen, 0, sizeof seen);
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = vb_utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            n = 1, cp = '?';
        if (cp == '\n') {
            line++, col = 1;
            i += (size_t)n;
            continue;
        }
        if (cp >= 0x80 && !(cp < 0x10000 && (seen[cp >> 3] & (1u << (cp & 7))))) {
            for (int f = 0; f < VB_NFACES; f++) {
                const vb_font_t *font = vb_fontset_face(fs, (vb_face_t)f);
                int bit;
                char a = vb_script_fallback(cp, &bit); /* set as a raised or lowered ASCII character instead */
                if (!vb_font_covers(font, cp) && !(a && vb_font_covers(font, (uint32_t)(unsigned char)a))) {
                    char ch[8] = {0};
                    vb_utf8_encode(cp, ch);
                    return vb_diag_set(d, VB_E_FONT, "font.coverage", source, line, col,
                                       "No font covers '%s' (U+%04X): %s (%s) lacks it.", ch, (unsigned)cp,
                                       vb_font_info(font)->family, vb_font_info(font)->path);
                }
            }
            if (cp < 0x10000)
                seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        }
        col++;
        i += (size_t)n;
    }
    return VB_OK;
}

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
    vb_diag_t *d;
    uint8_t seen[0x10000 / 8];
} cov_t;

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
        uint32_t cp;
        int k = vb_utf8_decode(s + i, n - i, &cp);
        if (k <= 0)
            k = 1, cp = 0xFFFD;
        i += (size_t)k;
        if (cp < 0x10000 && (c->seen[cp >> 3] & (1u << (cp & 7))))
            continue;
        if (cp < 0x80 && (cp >= 0x20 || cp == '\n' || cp == '\t'))
            continue; /* ASCII is in every font fontfind accepts */
        char why[160];
        const vb_font_t *font = cp < 0x80 ? NULL : face_lacking(c->fs, cp);
        if (!font && !vb_char_refused(cp, why, sizeof why, NULL)) {
            /* fine: its position, searched in the source, is needed only for a message */
            if (cp < 0x10000)
                c->seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            continue;
        }
        vb_pos_t at = pos;
        if (find && !vb_md_find_char(c->text, c->len, pos, cp, &at))
            at = pos;
        if (src != c->source && !pos.line)
            at = profile_pos(src, cp);
        vb_status_t st = vb_char_check(c->d, src, at.line, at.col, "The text contains", cp);
        if (st != VB_OK)
            return st;
        if (font) {
            char ch[8] = {0};
            vb_utf8_encode(cp, ch);
            return vb_diag_set(c->d, VB_E_FONT, "font.coverage", src, at.line, at.col,
                               "No font covers '%s' (U+%04X): %s (%s) lacks it.", ch, (unsigned)cp,
                               vb_font_info(font)->family, vb_font_info(font)->path);
        }
        if (cp < 0x10000)
            c->seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
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
check_model_coverage(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text,
                     size_t len, const char *source, vb_diag_t *d)
{
    cov_t *c = calloc(1, sizeof *c);
    if (!c)
        return vb_diag_nomem(d);
    c->fs = fs;
    c->text = text;
    c->len = len;
    c->source = source;
    c->d = d;
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
    free(c);
    return st;
}

vb_status_t
vb_coverage_check(const vb_fontset_t *fs, const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len,
                  const char *source, vb_diag_t *d)
{
    vb_status_t rc = check_coverage(fs, text, len, source, d);
    return rc == VB_OK ? check_model_coverage(fs, m, p, text, len, source, d) : rc;
}
