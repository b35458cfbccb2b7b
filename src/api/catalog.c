/*
 * catalog.c - the layout profiles a render can follow: a profile named by id
 * ("party-05-2026") or path, or picked by regime ("party", "state") and the
 * document's date from the profiles of the layouts folder. Those are compiled
 * once per engine (the first render that needs one reads them all) and shared,
 * immutable, by every render; a profile named by path is parsed per render.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

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

/*
 * Compiles every profile of the layouts folder, once per engine, in name
 * order: each file is read and parsed once into its own arena, owned by the
 * engine and never written again, so any number of renders share it. A file
 * that does not compile is skipped, with a warning naming it and the position
 * of its error (the engine's on_diagnostic), so that the other profiles still
 * serve; a render that names it by id reads it again and fails with that error.
 * Called with the engine's lock held.
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
        vb_arena_t *a = pi ? vb_arena_new() : NULL;
        char *path = a ? vb_arena_printf(a, "%s/%s", e->layouts_dir, names[i]) : NULL;
        if (!path) {
            vb_arena_free(a);
            free(pi);
            rc = vb_diag_nomem(d);
            break;
        }
        vb_profile_t *p = NULL;
        vb_diag_t w;
        memset(&w, 0, sizeof w);
        vb_status_t prc = vb_profile_load(a, path, &p, &w);
        if (prc == VB_E_NOMEM) {
            rc = vb_diag_nomem(d);
        } else if (prc != VB_OK) {
            if (e->on_diag) {
                size_t k = strlen(w.msg);
                snprintf(w.msg + k, sizeof w.msg - k, "%sThe profile is skipped; the others still serve.",
                         k ? " " : "");
                if (!w.source[0])
                    snprintf(w.source, sizeof w.source, "%s", path);
                w.severity = VB_SEVERITY_WARNING;
                e->on_diag(&w, e->diag_ctx);
            }
        } else {
            pi->path = path;
            pi->profile = p;
            pi->arena = a;
            pi->from = ymd(&p->valid_from, 0);
            pi->until = ymd(&p->valid_until, 99999999);
            *tail = pi;
            tail = &pi->next;
            continue;
        }
        vb_arena_free(a);
        free(pi);
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

/* The compiled profiles, scanned on first use; the list is immutable once scanned. */
static vb_status_t
catalog(vb_engine_t *e, vb_diag_t *d)
{
    pthread_mutex_lock(&e->lock);
    vb_status_t rc = scan_profiles(e, d);
    pthread_mutex_unlock(&e->lock);
    return rc;
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
        for (const profinfo_t *p = e->profiles; p; p = p->next) {
            if (strcmp(p->profile->regime, id))
                continue;
            if (lo >= p->from && hi <= p->until) {
                *out = p->profile;
                return VB_OK;
            }
            if (!part && hi >= p->from && lo <= p->until)
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
            for (const profinfo_t *p = e->profiles; p; p = p->next)
                if (!strcmp(p->path, path)) {
                    *out = p->profile;
                    return VB_OK;
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
        vb_arena_free(p->arena); /* the compiled profile and its path */
        free(p);
    }
    e->profiles = NULL;
}
