/*
 * engine.c - the public API: the engine (fonts and settings shared by every
 * render) and the render pipeline:
 *
 *   read the file -> text.c (UTF-8, NFC) -> frontmatter.c + input_md.c (model)
 *   -> profile.c (the layout profile) -> font coverage of every character
 *   -> layout.c (display list) -> pdf.c (file, written atomically)
 *
 * The engine's font cache is the only state shared between threads; it is
 * guarded by a mutex and its fontsets are immutable once opened.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "font.h"
#include "input.h"
#include "layout.h"
#include "limit.h"
#include "pdf.h"
#include "profile.h"
#include "validate.h"

/* A source that names no profile follows the Party format in force on its date. */
#define DEFAULT_REGIME "party"

typedef struct fontcache {
    char *key;            /* the family list joined with '\n' */
    vb_fontset_t *fs;
    struct fontcache *next;
} fontcache_t;

/* What the engine knows of each profile in the layouts folder, for choosing one by regime and date. */
typedef struct profinfo {
    char *path;
    char *regime;
    int from, until;      /* yyyymmdd; 0 and 99999999 when open */
    struct profinfo *next;
} profinfo_t;

struct vb_engine {
    char *layouts_dir;
    char *fonts_dir;
    pthread_mutex_t lock;
    fontcache_t *fonts;
    profinfo_t *profiles; /* read once, on first use */
    bool scanned;
};

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

vb_status_t
vb_engine_new(const vb_engine_options_t *opt, vb_engine_t **out, vb_diag_t *diag)
{
    *out = NULL;
    vb_engine_t *e = calloc(1, sizeof *e);
    if (!e)
        return vb_diag_nomem(diag);
    e->layouts_dir = opt && opt->layouts_dir ? strdup(opt->layouts_dir) : strdup(VB_DATADIR "/layouts");
    e->fonts_dir = dup_or_null(opt ? opt->fonts_dir : NULL);
    if (!e->layouts_dir || (opt && opt->fonts_dir && !e->fonts_dir)) {
        vb_engine_free(e);
        return vb_diag_nomem(diag);
    }
    pthread_mutex_init(&e->lock, NULL);
    *out = e;
    return VB_OK;
}

void
vb_engine_free(vb_engine_t *e)
{
    if (!e)
        return;
    for (fontcache_t *f = e->fonts, *next; f; f = next) {
        next = f->next;
        vb_fontset_free(f->fs);
        free(f->key);
        free(f);
    }
    for (profinfo_t *p = e->profiles, *next; p; p = next) {
        next = p->next;
        free(p->path);
        free(p->regime);
        free(p);
    }
    pthread_mutex_destroy(&e->lock);
    free(e->layouts_dir);
    free(e->fonts_dir);
    free(e);
}

/* The fontset for a profile's families, opened once per engine. */
static vb_status_t
engine_fonts(vb_engine_t *e, const vb_profile_t *p, const vb_fontset_t **out, vb_diag_t *d)
{
    size_t klen = 1;
    for (int i = 0; i < p->nfont_families; i++)
        klen += strlen(p->font_families[i]) + 1;
    char *key = malloc(klen);
    if (!key)
        return vb_diag_nomem(d);
    key[0] = 0;
    for (int i = 0; i < p->nfont_families; i++) {
        strcat(key, p->font_families[i]);
        strcat(key, "\n");
    }
    vb_status_t rc = VB_OK;
    pthread_mutex_lock(&e->lock);
    fontcache_t *f;
    for (f = e->fonts; f; f = f->next)
        if (!strcmp(f->key, key))
            break;
    if (!f) {
        vb_fontset_t *fs = NULL;
        rc = vb_fontset_open(p->font_families, p->nfont_families, e->fonts_dir, &fs, d);
        if (rc == VB_OK) {
            f = calloc(1, sizeof *f);
            if (!f) {
                vb_fontset_free(fs);
                rc = vb_diag_nomem(d);
            } else {
                f->key = key;
                key = NULL;
                f->fs = fs;
                f->next = e->fonts;
                e->fonts = f;
            }
        }
    }
    pthread_mutex_unlock(&e->lock);
    free(key);
    if (rc == VB_OK)
        *out = f->fs;
    return rc;
}

static bool
has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int
ymd(const vb_date_t *d, int open)
{
    return d->year ? d->year * 10000 + d->month * 100 + d->day : open;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the regime and validity of every profile in the layouts folder, once. */
static vb_status_t
scan_profiles(vb_engine_t *e, vb_diag_t *d)
{
    if (e->scanned)
        return VB_OK;
    DIR *dir = opendir(e->layouts_dir);
    if (!dir)
        return vb_diag_set(d, VB_E_PROFILE, "profile.dir", e->layouts_dir, 0, 0,
                           "Cannot open the layouts folder: %s.", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    vb_status_t rc = VB_OK;
    for (struct dirent *de; (de = readdir(dir));) {
        if (!has_suffix(de->d_name, ".yaml") || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 8) * sizeof *names);
            if (!nn) {
                rc = vb_diag_nomem(d);
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = vb_diag_nomem(d);
            break;
        }
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    profinfo_t **tail = &e->profiles;
    for (size_t i = 0; i < n && rc == VB_OK; i++) {
        vb_arena_t *a = vb_arena_new();
        char *path = a ? vb_arena_printf(a, "%s/%s", e->layouts_dir, names[i]) : NULL;
        vb_profile_t *p = NULL;
        if (!path)
            rc = vb_diag_nomem(d);
        else
            rc = vb_profile_load(a, path, &p, d);
        if (rc == VB_OK) {
            profinfo_t *pi = calloc(1, sizeof *pi);
            if (!pi || !(pi->path = strdup(path)) || !(pi->regime = strdup(p->regime))) {
                if (pi)
                    free(pi->path);
                free(pi);
                rc = vb_diag_nomem(d);
            } else {
                pi->from = ymd(&p->valid_from, 0);
                pi->until = ymd(&p->valid_until, 99999999);
                *tail = pi;
                tail = &pi->next;
            }
        }
        vb_arena_free(a);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == VB_OK)
        e->scanned = true;
    return rc;
}

/*
 * The profile for a document: an id ("party-05-2026") or a path names one
 * file; a regime ("party", "state", or nothing: party) picks the profile of
 * that regime whose validity covers the document's date, so a 2023 report
 * keeps the 36-HD format and one signed from 27/5/2026 gets 05-HD.
 */
static vb_status_t
load_profile(vb_engine_t *e, vb_arena_t *arena, const vb_model_t *m, const vb_render_options_t *opt,
             const vb_loader_t *ld, vb_profile_t **out, vb_diag_t *d)
{
    bool from_source = !(opt && opt->profile) && m->meta.profile.text;
    const char *id = opt && opt->profile ? opt->profile : m->meta.profile.text ? m->meta.profile.text : DEFAULT_REGIME;
    const char *src = from_source ? m->source : NULL;
    int line = from_source ? m->meta.profile.pos.line : 0, col = from_source ? m->meta.profile.pos.col : 0;
    char *path = NULL;
    bool is_path = false; /* a file named by the source or the caller, not a profile of the layouts folder */
    if (!strcmp(id, "party") || !strcmp(id, "state")) {
        pthread_mutex_lock(&e->lock);
        vb_status_t rc = scan_profiles(e, d);
        /* a day or month left blank until issuance: the profile must cover every day it may be */
        const vb_date_t *dt = &m->meta.date;
        int lo = ymd(dt, 0), hi = lo;
        if (dt->year && !dt->day) {
            lo = dt->year * 10000 + (dt->month ? dt->month : 1) * 100 + 1;
            hi = dt->year * 10000 + (dt->month ? dt->month : 12) * 100 + 31;
        }
        const char *part = NULL;
        for (profinfo_t *p = e->profiles; rc == VB_OK && p && !path; p = p->next) {
            if (strcmp(p->regime, id))
                continue;
            if (lo >= p->from && hi <= p->until)
                path = vb_arena_strdup(arena, p->path);
            else if (!part && hi >= p->from && lo <= p->until)
                part = vb_arena_strdup(arena, p->path);
        }
        pthread_mutex_unlock(&e->lock);
        if (rc != VB_OK)
            return rc;
        if (!path && part) {
            /* the id of one profile it may fall under, for the message: the file name without ".yaml" */
            const char *base = strrchr(part, '/') ? strrchr(part, '/') + 1 : part;
            int n = (int)strlen(base) - (has_suffix(base, ".yaml") ? 5 : 0);
            return vb_diag_set(d, VB_E_PROFILE, "profile.ambiguous", m->source, dt->pos.line, dt->pos.col,
                               "The date left blank until issuance may fall under more than one %s profile (the "
                               "format changed in that %s); name the one to follow, e.g. \"profile: %.*s\".",
                               id, dt->month ? "month" : "year", n, base);
        }
        if (!path) {
            char when[16]; /* the date as typed: a blank day or month is not printed as 00 */
            if (dt->day)
                snprintf(when, sizeof when, "%04d-%02d-%02d", dt->year % 10000, dt->month % 100, dt->day % 100);
            else if (dt->month)
                snprintf(when, sizeof when, "%04d-%02d", dt->year % 10000, dt->month % 100);
            else
                snprintf(when, sizeof when, "%04d", dt->year % 10000);
            return vb_diag_set(d, VB_E_PROFILE, "profile.none", src ? src : m->source, src ? line : dt->pos.line,
                               src ? col : dt->pos.col, "No %s profile in %s covers the date %s.", id,
                               e->layouts_dir, when);
        }
    } else if (strchr(id, '/') || has_suffix(id, ".yaml")) {
        /* a path: the source's is relative to its folder, the caller's to the working directory */
        path = from_source ? vb_loader_join(arena, m->source, id) : vb_arena_strdup(arena, id);
        is_path = true;
    } else {
        path = vb_arena_printf(arena, "%s/%s.yaml", e->layouts_dir, id);
    }
    if (!path)
        return vb_diag_nomem(d);
    /*
     * A profile file the source names comes from the layouts folder, the
     * source's folder or a folder the caller allowed, like its images; outside
     * them the answer is the same whether the file exists or not. An id or a
     * regime picks a file of the layouts folder (an id holds no '/'), and the
     * caller's own --profile may be anywhere.
     */
    const char *open_path = path;
    if (from_source && is_path) {
        char *real = NULL;
        int err = 0;
        switch (vb_loader_resolve(ld, m->source, id, arena, &real, &err)) {
        case VB_RES_NOMEM:
            return vb_diag_nomem(d);
        case VB_RES_OUTSIDE:
            return vb_diag_set(d, VB_E_PROFILE, "profile.outside", src, line, col,
                               "The profile \"%s\" is outside the folders a document may read from: its own "
                               "folder, the layouts folder and those given with --allow-dir.",
                               id);
        case VB_RES_MISSING:
            return vb_diag_set(d, VB_E_PROFILE, "profile.unknown", src, line, col,
                               "Unknown layout profile \"%s\" (no %s: %s).", id, path, strerror(err));
        case VB_RES_INSIDE:
            open_path = real;
            break;
        }
    }
    /* a regular file only (base.c): a FIFO, a folder or a device is named, never waited on */
    char *buf = NULL;
    size_t len = 0;
    vb_file_result_t fr;
    if (!vb_file_read(NULL, open_path, VB_PROFILE_MAX_BYTES, &buf, &len, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(d);
        if (fr.status == VB_FILE_TOO_LARGE)
            return vb_diag_set(d, VB_E_LIMIT, "profile.too-large", path, 0, 0,
                               "The profile file is larger than %d bytes.", VB_PROFILE_MAX_BYTES);
        bool absent = fr.status == VB_FILE_ERRNO && fr.err == ENOENT;
        if (from_source && absent)
            return vb_diag_set(d, VB_E_PROFILE, "profile.unknown", src, line, col,
                               "Unknown layout profile \"%s\" (no %s: %s).", id, path, vb_file_why(&fr));
        if (from_source)
            return vb_diag_set(d, VB_E_PROFILE, "profile.read", src, line, col,
                               "Cannot read the layout profile %s: %s.", path, vb_file_why(&fr));
        return vb_diag_set(d, VB_E_PROFILE, absent ? "profile.unknown" : "profile.read", path, 0, 0,
                           "Cannot open the layout profile: %s.", vb_file_why(&fr));
    }
    vb_status_t rc = vb_profile_parse(arena, buf, len, path, out, d);
    free(buf);
    return rc;
}

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
        vb_pos_t at = pos;
        if (find && !vb_md_find_char(c->text, c->len, pos, cp, &at))
            at = pos;
        if (src != c->source && !pos.line)
            at = profile_pos(src, cp);
        vb_status_t st = vb_char_check(c->d, src, at.line, at.col, "The text contains", cp);
        if (st != VB_OK)
            return st;
        const vb_font_t *font = cp < 0x80 ? NULL : face_lacking(c->fs, cp);
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

typedef struct job {
    vb_arena_t *arena;
    vb_model_t model;
    vb_profile_t *profile;
    const vb_fontset_t *fonts;
    vb_dlist_t dl;
} job_t;

/*
 * The folders this render may read images and a profile from, besides the
 * source's own (base.c, vb_loader_resolve): the layouts folder and the
 * caller's --allow-dir folders, each as its real path. A layouts folder that
 * cannot be resolved is left out (reading a profile from it fails anyway); a
 * folder the caller named that does not exist is an error.
 */
static vb_status_t
make_loader(const vb_engine_t *e, const vb_render_options_t *opt, vb_arena_t *arena, vb_loader_t *ld, vb_diag_t *d)
{
    int nallow = VB_OPT_HAS(opt, nallow_dirs) && opt->allow_dirs && opt->nallow_dirs > 0 ? opt->nallow_dirs : 0;
    const char **dirs = VB_NEWN(arena, const char *, nallow + 1);
    if (!dirs)
        return vb_diag_nomem(d);
    int n = 0;
    for (int i = -1; i < nallow; i++) {
        const char *dir = i < 0 ? e->layouts_dir : opt->allow_dirs[i];
        if (!dir)
            continue;
        char *r = realpath(dir, NULL);
        struct stat st;
        if (!r || stat(r, &st) != 0 || !S_ISDIR(st.st_mode)) {
            int err = r ? ENOTDIR : errno;
            free(r);
            if (i < 0)
                continue;
            return vb_diag_set(d, VB_E_IO, "io.allow-dir", dir, 0, 0,
                               "The folder %s allowed for images and profiles cannot be used: %s.", dir,
                               strerror(err));
        }
        dirs[n] = vb_arena_strdup(arena, r);
        free(r);
        if (!dirs[n++])
            return vb_diag_nomem(d);
    }
    ld->dirs = dirs;
    ld->ndirs = n;
    return VB_OK;
}

/* Runs the pipeline up to the display list (or only the model). */
static vb_status_t
run(vb_engine_t *e, const char *src, size_t len, const char *name, const vb_render_options_t *opt, bool model_only,
    job_t *j, vb_diag_t *d)
{
    memset(j, 0, sizeof *j);
    j->arena = vb_arena_new();
    if (!j->arena)
        return vb_diag_nomem(d);
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    if ((int64_t)len > lim.source_bytes)
        return vb_limit_fail(d, "source.too-large", name, 0, 0, "source-bytes",
                             "The source has %zu bytes, more than %lld", len, (long long)lim.source_bytes);
    char *text = NULL;
    size_t tlen = 0;
    vb_loader_t ld;
    vb_status_t rc = make_loader(e, opt, j->arena, &ld, d);
    if (rc == VB_OK)
        rc = vb_text_prepare(j->arena, src, len, name, &text, &tlen, d);
    if (rc == VB_OK)
        rc = vb_read_source_ex(j->arena, text, tlen, name, &lim, &ld, &j->model, d);
    if (rc != VB_OK || model_only)
        return rc;
    j->model.source = name;
    rc = vb_limits_check_model(&j->model, &lim, d);
    if (rc != VB_OK)
        return rc;
    rc = load_profile(e, j->arena, &j->model, opt, &ld, &j->profile, d);
    if (rc == VB_OK) {
        /* --allow-nonconforming or `nonconforming: true`: the format errors become warnings */
        vb_validate_opts_t vo = {
            .nonconforming = (VB_OPT_HAS(opt, allow_nonconforming) && opt->allow_nonconforming) ||
                             j->model.meta.nonconforming,
            .warn = VB_OPT_HAS(opt, on_warning) ? opt->on_warning : NULL,
            .ctx = VB_OPT_HAS(opt, warning_ctx) ? opt->warning_ctx : NULL,
        };
        rc = vb_validate_opts(&j->model, j->profile, &vo, d);
        /* two-sided printing asked of a profile that describes none: said, never silently dropped */
        bool duplex = j->model.meta.duplex || (VB_OPT_HAS(opt, duplex) && opt->duplex);
        if (rc == VB_OK && duplex && !j->profile->has_duplex && vo.warn) {
            vb_diag_t w;
            memset(&w, 0, sizeof w);
            const vb_pos_t *at = &j->model.meta.duplex_pos;
            vb_diag_set(&w, VB_E_INPUT, "duplex.ignored", name, j->model.meta.duplex ? at->line : 0,
                        j->model.meta.duplex ? at->col : 0,
                        "The profile %s describes no two-sided layout: the pages are laid out one-sided.",
                        j->profile->id);
            vo.warn(&w, vo.ctx);
        }
    }
    if (rc == VB_OK)
        rc = engine_fonts(e, j->profile, &j->fonts, d);
    if (rc == VB_OK)
        rc = check_coverage(j->fonts, text, tlen, name, d);
    if (rc == VB_OK)
        rc = check_model_coverage(j->fonts, &j->model, j->profile, text, tlen, name, d);
    if (rc != VB_OK)
        return rc;
    j->dl.arena = j->arena;
    vb_layout_opts_t lo = {
        .greedy = opt && opt->breaker == VB_BREAKER_GREEDY,
        .duplex = VB_OPT_HAS(opt, duplex) && opt->duplex,
        .creation_time = opt ? opt->creation_time : -1,
        .creator = NULL,
        .max_pages = lim.pages,
    };
    return vb_layout(&j->model, j->profile, j->fonts, &lo, &j->dl, d);
}

/*
 * The output replaces only a regular file (or a link to one): an existing
 * folder, device, FIFO or socket at out_path is io.output-kind and stays as it
 * is. Checked before the work, and again by pdf.c just before the rename.
 */
static vb_status_t
check_output(const char *out_path, vb_diag_t *d)
{
    struct stat st;
    if (stat(out_path, &st) != 0 || S_ISREG(st.st_mode))
        return VB_OK;
    vb_file_result_t fr = {.status = VB_FILE_KIND, .mode = (unsigned)st.st_mode};
    return vb_diag_set(d, VB_E_IO, "io.output-kind", out_path, 0, 0,
                       "The output %s cannot be replaced: %s; only a regular file is replaced.", out_path,
                       vb_file_why(&fr));
}

vb_status_t
vb_render_buffer(vb_engine_t *e, const char *src, size_t len, const char *name, const char *out_path,
                 const vb_render_options_t *opt, vb_diag_t *d)
{
    if (!e || !src || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", name, 0, 0, "Missing engine, source or output path.");
    vb_status_t rc = check_output(out_path, d);
    if (rc != VB_OK)
        return rc;
    job_t j;
    rc = run(e, src, len, name ? name : "<input>", opt, false, &j, d);
    if (rc == VB_OK)
        rc = vb_pdf_write_file_cb(&j.dl, j.fonts, out_path, VB_OPT_HAS(opt, on_tempfile) ? opt->on_tempfile : NULL,
                                  VB_OPT_HAS(opt, tempfile_ctx) ? opt->tempfile_ctx : NULL, d);
    vb_arena_free(j.arena);
    return rc;
}

/*
 * Reads a source for a render or a dump into *buf (malloc'd), refusing one
 * over the size limit before reading it, and anything but a regular file
 * (base.c, vb_file_read: a FIFO is never waited on).
 */
static vb_status_t
read_source(const char *src_path, const vb_render_options_t *opt, char **buf, size_t *len, vb_diag_t *d)
{
    vb_limits_t lim;
    vb_limits_resolve(opt, &lim);
    vb_file_result_t fr;
    if (vb_file_read(NULL, src_path, lim.source_bytes, buf, len, &fr))
        return VB_OK;
    if (fr.status == VB_FILE_NOMEM)
        return vb_diag_nomem(d);
    if (fr.status == VB_FILE_TOO_LARGE)
        return vb_limit_fail(d, "source.too-large", src_path, 0, 0, "source-bytes",
                             "The source has more than %lld bytes", (long long)lim.source_bytes);
    return vb_diag_set(d, VB_E_IO, "io.read", src_path, 0, 0, "Cannot read the source: %s.", vb_file_why(&fr));
}

vb_status_t
vb_render_file(vb_engine_t *e, const char *src_path, const char *out_path, const vb_render_options_t *opt,
               vb_diag_t *d)
{
    if (!src_path || !out_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing source or output path.");
    /* before anything is read or written: writing the PDF would replace the source */
    struct stat ss, os;
    if (stat(src_path, &ss) == 0 && stat(out_path, &os) == 0 && ss.st_dev == os.st_dev && ss.st_ino == os.st_ino)
        return vb_diag_set(d, VB_E_IO, "io.same-file", out_path, 0, 0,
                           "The output %s is the source file itself; writing the PDF would replace the source. "
                           "Choose another output name (e.g. one ending in .pdf).",
                           out_path);
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = read_source(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_render_buffer(e, buf, len, src_path, out_path, opt, d);
    free(buf);
    return rc;
}

vb_status_t
vb_dump_file(vb_engine_t *e, const char *src_path, vb_stage_t stage, const vb_render_options_t *opt, char **out,
             size_t *out_len, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    if (!src_path)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "Missing source path.");
    size_t len = 0;
    char *buf = NULL;
    vb_status_t rc = read_source(src_path, opt, &buf, &len, d);
    if (rc != VB_OK)
        return rc;
    rc = vb_dump_stage(e, buf, len, src_path, stage, opt, out, out_len, d);
    free(buf);
    return rc;
}

vb_status_t
vb_dump_stage(vb_engine_t *e, const char *src, size_t len, const char *name, vb_stage_t stage,
              const vb_render_options_t *opt, char **out, size_t *out_len, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    job_t j;
    vb_status_t rc = run(e, src, len, name ? name : "<input>", opt, stage == VB_STAGE_MODEL, &j, d);
    if (rc == VB_OK) {
        if (stage == VB_STAGE_MODEL)
            rc = vb_model_dump(&j.model, out, out_len);
        else
            rc = vb_dlist_dump(&j.dl, out, out_len);
        if (rc != VB_OK)
            vb_diag_nomem(d);
    }
    vb_arena_free(j.arena);
    return rc;
}
