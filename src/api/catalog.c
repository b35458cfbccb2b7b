/*
 * catalog.c - the layout profiles a render can follow: a profile named by id
 * ("party-05-2026") or path, or picked by regime ("party", "state") and the
 * document's date from the profiles of the layouts folder. The folder is
 * scanned once per engine, reading of each profile only its head (regime and
 * dates); a profile is compiled the first time a render picks it, once per
 * engine, and shared, immutable, by every render; a profile named by path is
 * parsed per render.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "yamltree.h"

/* A source that names no profile follows the Party format in force on its date. */
#define DEFAULT_REGIME "party"

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

/* The engine's warning that a profile of the layouts folder is skipped (w is the reason, filled). */
static void
warn_skipped(vb_engine_t *e, const vb_diag_t *why, const char *path)
{
    if (!e->on_diag)
        return;
    vb_diag_t w = *why;
    size_t k = strlen(w.msg);
    snprintf(w.msg + k, sizeof w.msg - k, "%sThe profile is skipped; the others still serve.", k ? " " : "");
    if (!w.source[0])
        snprintf(w.source, sizeof w.source, "%s", path);
    w.severity = VB_SEVERITY_WARNING;
    e->on_diag(&w, e->diag_ctx);
}

/*
 * The regime scan reads only these keys of a profile, which must come before
 * its other keys (docs/profile-format.md); the compiled profile is checked
 * against what the scan read (head_agrees).
 */
static const char *const HEAD_KEYS[] = {"schema", "id", "name", "regime", "valid_from", "valid_until"};
enum { HEAD_SCHEMA, HEAD_ID, HEAD_NAME, HEAD_REGIME, HEAD_FROM, HEAD_UNTIL, NHEAD };

/*
 * A compiled profile agrees with what the scan read of its head; when it does
 * not (a key the scan needs written after the first other key), the regime
 * scan never picks it, with a warning; an id still names it.
 */
static void
head_agrees(profinfo_t *pi, const vb_profile_t *p, vb_pos_t stop, const char *stop_key)
{
    const char *late = strcmp(pi->regime, p->regime) ? "regime"
                       : ymd(&p->valid_from, 0) != pi->from ? "valid_from"
                       : ymd(&p->valid_until, 99999999) != pi->until ? "valid_until"
                                                                    : NULL;
    pi->head_ok = !late;
    if (late)
        vb_diag_set(&pi->err, VB_E_PROFILE, "profile.order", pi->path, stop.line, stop.col,
                    "\"%s\" is written after \"%s\": in the layouts folder, a profile's regime, valid_from and "
                    "valid_until come before its other keys, since the regime scan reads only those.",
                    late, stop_key);
}

/* Compiles pi's profile (its lock held): state 1 or -1; false when memory ran out (state stays 0). */
static bool
compile_entry(profinfo_t *pi, vb_pos_t stop, const char *stop_key)
{
    vb_arena_t *a = vb_arena_new();
    if (!a)
        return false;
    vb_profile_t *p = NULL;
    memset(&pi->err, 0, sizeof pi->err);
    vb_status_t rc = vb_profile_load(a, pi->path, &p, &pi->err);
    if (rc == VB_E_NOMEM) {
        vb_arena_free(a);
        return false;
    }
    if (rc != VB_OK) {
        vb_arena_free(a);
        pi->state = -1;
        return true;
    }
    pi->arena = a;
    pi->profile = p;
    pi->state = 1;
    head_agrees(pi, p, stop, stop_key);
    return true;
}

/*
 * Lists the profiles of the layouts folder, once per engine, in name order,
 * reading of each only its head (vb_yaml_head): its regime and the dates it
 * covers. A file that cannot be read, or whose head is not plain leading keys
 * with a known schema, regime and real dates, is compiled at once for its
 * error and, when it does not compile, skipped with a warning naming it and
 * the position of its error (the engine's on_diagnostic), so that the other
 * profiles still serve; a render that names it by id reads it again and fails
 * with that error. The others are compiled when a render first picks them
 * (entry_profile). Called with the engine's lock held.
 */
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
        profinfo_t *pi = calloc(1, sizeof *pi);
        size_t plen = strlen(e->layouts_dir) + strlen(names[i]) + 2;
        char *path = pi ? malloc(plen) : NULL;
        if (!path) {
            free(pi);
            rc = vb_diag_nomem(d);
            break;
        }
        snprintf(path, plen, "%s/%s", e->layouts_dir, names[i]);
        pi->path = path;
        /* a regular file only (base.c): a FIFO or a device in the layouts folder is named, never waited on */
        char *buf = NULL;
        size_t len = 0;
        vb_file_result_t fr;
        char head[NHEAD][VB_YHEAD_MAX];
        vb_pos_t hpos[NHEAD], stop;
        char stop_key[VB_YHEAD_MAX];
        bool nomem = false, ok = false;
        if (vb_file_read(NULL, path, VB_PROFILE_MAX_BYTES, &buf, &len, &fr)) {
            ok = vb_yaml_head(buf, len, HEAD_KEYS, NHEAD, head, hpos, &stop, stop_key, &nomem);
            int y, mo, dd;
            pi->from = 0;
            pi->until = 99999999;
            if (ok && hpos[HEAD_FROM].line) {
                ok = vb_parse_iso_date(head[HEAD_FROM], strlen(head[HEAD_FROM]), &y, &mo, &dd);
                pi->from = y * 10000 + mo * 100 + dd;
            }
            if (ok && hpos[HEAD_UNTIL].line) {
                ok = vb_parse_iso_date(head[HEAD_UNTIL], strlen(head[HEAD_UNTIL]), &y, &mo, &dd);
                pi->until = y * 10000 + mo * 100 + dd;
            }
            ok = ok && pi->from <= pi->until && (!hpos[HEAD_SCHEMA].line || !strcmp(head[HEAD_SCHEMA], "1")) &&
                 (!strcmp(head[HEAD_REGIME], "party") || !strcmp(head[HEAD_REGIME], "state"));
            if (ok) /* "party" or "state" */
                memcpy(pi->regime, head[HEAD_REGIME], strlen(head[HEAD_REGIME]) + 1);
        } else {
            nomem = fr.status == VB_FILE_NOMEM;
        }
        free(buf);
        if (nomem || pthread_mutex_init(&pi->lock, NULL)) {
            free(path);
            free(pi);
            rc = vb_diag_nomem(d);
            break;
        }
        /* a head the scan cannot use: compiled now, for its error (or, when it compiles, a key out of order) */
        if (!ok && !compile_entry(pi, stop, stop_key)) {
            pthread_mutex_destroy(&pi->lock);
            free(path);
            free(pi);
            rc = vb_diag_nomem(d);
            break;
        }
        if (pi->state < 0) {
            warn_skipped(e, &pi->err, path);
            pthread_mutex_destroy(&pi->lock);
            free(path);
            free(pi);
            continue;
        }
        if (pi->state > 0 && !pi->head_ok) {
            warn_skipped(e, &pi->err, path);
            pi->warned = true;
        }
        pi->stop = stop;
        snprintf(pi->stop_key, sizeof pi->stop_key, "%s", stop_key);
        *tail = pi;
        tail = &pi->next;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == VB_OK)
        e->scanned = true;
    else
        vb_catalog_free(e);
    return rc;
}

/* The list of profiles, scanned on first use; the list is immutable once scanned. */
static vb_status_t
catalog(vb_engine_t *e, vb_diag_t *d)
{
    pthread_mutex_lock(&e->lock);
    vb_status_t rc = scan_profiles(e, d);
    pthread_mutex_unlock(&e->lock);
    return rc;
}

/*
 * pi's compiled profile, compiled on first use under pi's lock: NULL when it
 * does not compile, or, for the regime scan, when it disagrees with its head;
 * then the regime scan gives the engine's warning, once, and passes it by.
 * *nomem when memory ran out (nothing is kept: a later render tries again).
 */
static const vb_profile_t *
entry_profile(vb_engine_t *e, profinfo_t *pi, bool for_regime, bool *nomem)
{
    *nomem = false;
    pthread_mutex_lock(&pi->lock);
    if (pi->state == 0 && !compile_entry(pi, pi->stop, pi->stop_key))
        *nomem = true;
    const vb_profile_t *p = NULL;
    if (pi->state > 0 && (pi->head_ok || !for_regime))
        p = pi->profile;
    else if (pi->state != 0 && for_regime && !pi->warned) {
        warn_skipped(e, &pi->err, pi->path);
        pi->warned = true;
    }
    pthread_mutex_unlock(&pi->lock);
    return p;
}

/*
 * The profile for a document: an id ("party-05-2026") or a path names one
 * file; a regime ("party", "state", or nothing: party) picks the profile of
 * that regime whose validity covers the document's date, so a 2023 report
 * keeps the 36-HD format and one signed from 27/5/2026 gets 05-HD.
 */
vb_status_t
vb_catalog_profile(vb_engine_t *e, vb_arena_t *arena, const vb_model_t *m, const vb_render_options_t *opt,
                   const vb_loader_t *ld, const vb_profile_t **out, vb_diag_t *d)
{
    *out = NULL;
    bool from_source = !(opt && opt->profile) && m->meta.profile.text;
    const char *id = opt && opt->profile ? opt->profile : m->meta.profile.text ? m->meta.profile.text : DEFAULT_REGIME;
    const char *src = from_source ? m->source : NULL;
    int line = from_source ? m->meta.profile.pos.line : 0, col = from_source ? m->meta.profile.pos.col : 0;
    char *path = NULL;
    bool is_path = false; /* a file named by the source or the caller, not a profile of the layouts folder */
    if (!strcmp(id, "party") || !strcmp(id, "state")) {
        vb_status_t rc = catalog(e, d);
        if (rc != VB_OK)
            return rc;
        /* a day or month left blank until issuance: the profile must cover every day it may be */
        const vb_date_t *dt = &m->meta.date;
        int lo = ymd(dt, 0), hi = lo;
        if (dt->year && !dt->day) {
            lo = dt->year * 10000 + (dt->month ? dt->month : 1) * 100 + 1;
            hi = dt->year * 10000 + (dt->month ? dt->month : 12) * 100 + 31;
        }
        const char *part = NULL;
        for (profinfo_t *p = e->profiles; p; p = p->next) {
            if (strcmp(p->regime, id))
                continue;
            bool covers = lo >= p->from && hi <= p->until;
            if (!covers && (part || hi < p->from || lo > p->until))
                continue;
            /* compiled when first picked; one that does not compile is passed by, with a warning */
            bool nomem;
            const vb_profile_t *prof = entry_profile(e, p, true, &nomem);
            if (nomem)
                return vb_diag_nomem(d);
            if (!prof)
                continue;
            if (covers) {
                *out = prof;
                return VB_OK;
            }
            part = p->path;
        }
        if (part) {
            /* the id of one profile it may fall under, for the message: the file name without ".yaml" */
            const char *base = strrchr(part, '/') ? strrchr(part, '/') + 1 : part;
            int n = (int)strlen(base) - (has_suffix(base, ".yaml") ? 5 : 0);
            return vb_diag_set(d, VB_E_PROFILE, "profile.ambiguous", m->source, dt->pos.line, dt->pos.col,
                               "The date left blank until issuance may fall under more than one %s profile (the "
                               "format changed in that %s); name the one to follow, e.g. \"profile: %.*s\".",
                               id, dt->month ? "month" : "year", n, base);
        }
        char when[16]; /* the date as typed: a blank day or month is not printed as 00 */
        if (dt->day)
            snprintf(when, sizeof when, "%04d-%02d-%02d", dt->year % 10000, dt->month % 100, dt->day % 100);
        else if (dt->month)
            snprintf(when, sizeof when, "%04d-%02d", dt->year % 10000, dt->month % 100);
        else
            snprintf(when, sizeof when, "%04d", dt->year % 10000);
        return vb_diag_set(d, VB_E_PROFILE, "profile.none", src ? src : m->source, src ? line : dt->pos.line,
                           src ? col : dt->pos.col, "No %s profile in %s covers the date %s.", id, e->layouts_dir,
                           when);
    } else if (strchr(id, '/') || has_suffix(id, ".yaml")) {
        /* a path: the source's is relative to its folder, the caller's to the working directory */
        path = from_source ? vb_loader_join(arena, m->source, id) : vb_arena_strdup(arena, id);
        is_path = true;
    } else {
        /* an id: the compiled profile of the layouts folder; one that did not compile is read again, for its error */
        path = vb_arena_printf(arena, "%s/%s.yaml", e->layouts_dir, id);
        vb_diag_t ignored;
        memset(&ignored, 0, sizeof ignored);
        if (path && catalog(e, &ignored) == VB_OK)
            for (profinfo_t *p = e->profiles; p; p = p->next)
                if (!strcmp(p->path, path)) {
                    bool nomem;
                    const vb_profile_t *prof = entry_profile(e, p, false, &nomem);
                    if (nomem)
                        return vb_diag_nomem(d);
                    if (prof) {
                        *out = prof;
                        return VB_OK;
                    }
                    break;
                }
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
    /* a profile named by path is parsed for this render alone: it may change between renders */
    vb_profile_t *p = NULL;
    vb_status_t rc = vb_profile_parse(arena, buf, len, path, &p, d);
    free(buf);
    *out = p;
    return rc;
}

void
vb_catalog_free(vb_engine_t *e)
{
    for (profinfo_t *p = e->profiles, *next; p; p = next) {
        next = p->next;
        vb_arena_free(p->arena); /* the compiled profile, when it was compiled */
        pthread_mutex_destroy(&p->lock);
        free((char *)p->path);
        free(p);
    }
    e->profiles = NULL;
}
