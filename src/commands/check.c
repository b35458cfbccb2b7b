/*
 * check.c - vanban check SRC...: every finding of each source in one run,
 * nothing written (vb_check_buffer), as
 *
 *   file:line:col: error|warning: message [rule-id]
 *       4 | number: 5-BC/ĐUK
 *         |         ^~~~~~~~
 *     fix: replace with “05-BC/ĐUK” (the sequence number with its leading zero)
 *
 * sorted by position; several files end with a summary line. --format json
 * prints one JSON document instead (vb_diags_json). --fix applies the safe
 * fixes (vb_fixes_apply) to each file in place, atomically (a temporary file
 * in the same folder, the mode kept, renamed over the file), then checks it
 * again and prints what is left. Exit status: 0 clean, 1 errors (or, with
 * --strict, warnings), 2 a file could not be read or written, or usage.
 * docs/check.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "vanban.h"

static const char *const check_usage = VB_CLI_N_(
    "Usage: vanban check [options] SRC.md...\n"
    "  Checks each source as a render would read it (front matter, the format's rules, fit to issue, fonts,\n"
    "  layout) without writing a PDF, and prints every finding: FILE:LINE:COL: error|warning: message [rule-id],\n"
    "  the source line with the range marked, and the fix when there is one.\n"
    "\n"
    "Options:\n"
    "  --format text|json  text (default) or one JSON document on stdout, for editors and CI (docs/check.md)\n"
    "  --fix               apply the safe fixes in place (atomically), then check again and print what is left\n"
    "  --strict            fit to issue: a signer with a name, recipients, a title, no placeholder left are\n"
    "                      errors, not warnings; and any warning makes the exit status 1\n"
    "  --lang vi|en        the language of the messages (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"
    "  --no-source         only the first line of each finding (no source line, no caret, no fix line)\n"
    "  --profile ID, --layouts DIR, --fonts DIR, --allow-dir DIR, --allow-nonconforming, --limit NAME=N\n"
    "                      as for vanban render\n"
    "\n"
    "Exit status: 0 no error (and with --strict no warning), 1 errors (or warnings with --strict),\n"
    "2 a file could not be read or written, or a usage error.\n");

typedef struct findings {
    vb_diag_t *v;
    int n, cap;
    bool nomem;
} findings_t;

static void
collect(const vb_diag_t *d, void *ctx)
{
    findings_t *f = ctx;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        vb_diag_t *v = realloc(f->v, sizeof *v * (size_t)cap);
        if (!v) {
            f->nomem = true;
            return;
        }
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = *d;
}

/* By position in the file: a finding without a line first; the same place: in the order found. */
static int
by_position(const void *x, const void *y)
{
    const vb_diag_t *a = x, *b = y;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a < b ? -1 : a > b;
}

static bool
same_finding(const vb_diag_t *a, const vb_diag_t *b)
{
    return a->line == b->line && a->col == b->col && a->severity == b->severity && !strcmp(a->id, b->id) &&
           !strcmp(a->msg, b->msg);
}

/*
 * Sorts the findings from index `from` (one file's) by position, stably
 * (qsort is not: the order found is kept by comparing addresses, which
 * needs the elements to stay where they were, so an index is sorted instead),
 * and drops repeats of one finding.
 */
static void
sort_file(findings_t *f, int from)
{
    int n = f->n - from;
    if (n < 2)
        return;
    /* insertion sort: stable, and a file has tens of findings, not thousands */
    vb_diag_t *v = f->v + from;
    for (int i = 1; i < n; i++) {
        vb_diag_t t = v[i];
        int j = i;
        while (j > 0 && (v[j - 1].line > t.line || (v[j - 1].line == t.line && v[j - 1].col > t.col))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
    int m = 1;
    for (int i = 1; i < n; i++) {
        bool dup = false;
        for (int k = m - 1; k >= 0 && v[k].line == v[i].line && v[k].col == v[i].col && !dup; k--)
            dup = same_finding(&v[k], &v[i]);
        if (!dup)
            v[m++] = v[i];
    }
    f->n = from + m;
    (void)by_position;
}

typedef struct run {
    vb_engine_t *engine;
    vb_render_options_t ro;
    bool json, fix, strict, source;
    findings_t all;
    int unreadable;
} run_t;

/* Checks one buffer, its findings appended to r->all; the index of its first finding. */
static int
check_text(run_t *r, const char *path, const char *text, size_t len)
{
    int from = r->all.n;
    r->ro.on_diagnostic = collect;
    r->ro.diagnostic_ctx = &r->all;
    vb_diag_t diag = {0};
    vb_status_t st = vb_check_buffer(r->engine, text, len, path, &r->ro, &diag);
    bool error_seen = false;
    for (int i = from; i < r->all.n; i++)
        error_seen = error_seen || r->all.v[i].severity == VB_SEVERITY_ERROR;
    if (st != VB_OK && !error_seen) { /* a failure no finding reported (a limit, memory) */
        diag.severity = VB_SEVERITY_ERROR;
        collect(&diag, &r->all);
    }
    sort_file(&r->all, from);
    return from;
}

/* Writes data over path atomically: a temporary file beside it, its mode, fsync, rename. false: errno says why. */
static bool
write_atomic(const char *path, const char *data, size_t len, char *why, size_t wsize)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, wsize, "%s", strerror(errno));
        return false;
    }
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp) {
        snprintf(why, wsize, "%s", strerror(ENOMEM));
        return false;
    }
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, pl + 32, "%.*s.%s.vanban-fix-XXXXXX", (int)dl, path, path + dl);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, wsize, "%s", strerror(errno));
        free(tmp);
        return false;
    }
    bool ok = fchmod(fd, st.st_mode & 07777) == 0;
    for (size_t o = 0; ok && o < len;) {
        ssize_t w = write(fd, data + o, len - o);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        o += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    int err = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        snprintf(why, wsize, "%s", strerror(err ? err : EIO));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

static void
print_text(const run_t *r, int from, int to, const char *text, size_t len)
{
    for (int i = from; i < to; i++) {
        const vb_diag_t *d = &r->all.v[i];
        char buf[2400];
        vb_diag_format_ex(d, r->source ? VB_DIAG_FORMAT_FIX : 0, buf, sizeof buf);
        char *fix = strchr(buf, '\n');
        if (fix)
            *fix++ = 0;
        printf("%s\n", buf);
        if (r->source && text) {
            char src[4096];
            format_diag_source(d, text, len, src, sizeof src);
            if (src[0])
                printf("%s\n", src);
        }
        if (fix)
            printf("%s\n", fix);
    }
}

/* One file: read, checked, fixed when asked and checked again. Its findings stay in r->all. */
static void
check_file(run_t *r, const char *path)
{
    void *data = NULL;
    size_t len = 0;
    vb_diag_t diag = {0};
    if (vb_file_load(path, &data, &len, &diag) != VB_OK) {
        diag.severity = VB_SEVERITY_ERROR;
        if (!diag.source[0])
            snprintf(diag.source, sizeof diag.source, "%s", path);
        collect(&diag, &r->all);
        r->unreadable++;
        if (!r->json)
            print_text(r, r->all.n - 1, r->all.n, NULL, 0);
        return;
    }
    int from = check_text(r, path, data, len);
    /*
     * --fix: the safe fixes applied in memory, the text checked again, and
     * again (a field's next rule runs once the one before is fixed: "Số 5-BC"
     * then "05"), a few rounds; then written once, atomically.
     */
    int total = 0;
    void *orig = NULL;
    size_t olen = len;
    for (int round = 0; r->fix && round < 8; round++) {
        char *fixed = NULL;
        size_t flen = 0;
        int applied = 0;
        vb_diag_t fd = {0};
        if (vb_fixes_apply(data, len, r->all.v + from, r->all.n - from, 0, &fixed, &flen, &applied, &fd) != VB_OK) {
            collect(&fd, &r->all);
            break;
        }
        if (applied == 0) {
            vb_free(fixed);
            break;
        }
        total += applied;
        if (!orig)
            orig = data;
        else
            vb_free(data);
        data = fixed;
        len = flen;
        r->all.n = from;
        check_text(r, path, data, len);
    }
    char why[256];
    if (total && !write_atomic(path, data, len, why, sizeof why)) {
        /* nothing was changed: the findings are the file's own again, and the failure */
        vb_free(data);
        data = orig;
        len = olen;
        orig = NULL;
        total = 0;
        r->all.n = from;
        check_text(r, path, data, len);
        vb_diag_t w = {.code = VB_E_IO, .severity = VB_SEVERITY_ERROR};
        snprintf(w.id, sizeof w.id, "io.write");
        snprintf(w.source, sizeof w.source, "%s", path);
        snprintf(w.msg, sizeof w.msg, vb_tr_cli("The fixes could not be written (%s): the file is unchanged."), why);
        r->unreadable++;
        collect(&w, &r->all);
    }
    vb_free(orig);
    if (total && !r->json)
        printf(vb_tr_ncli("%s: %d fix applied\n", "%s: %d fixes applied\n", (unsigned long)total), path, total);
    if (!r->json)
        print_text(r, from, r->all.n, data, len);
    vb_free(data);
}

int
vb_cmd_check(int argc, char **argv)
{
    run_t r;
    memset(&r, 0, sizeof r);
    r.source = true;
    const char *profile = NULL, *layouts = NULL, *fonts = NULL, *files[4096];
    const char *allow[64];
    int nfiles = 0, nallow = 0, nonconforming = 0;
    vb_limits_t limits;
    memset(&limits, 0, sizeof limits);
    char sbuf[512];
    const doc_opts_t dopt = {&profile, &layouts, &fonts, allow, &nallow, (int)(sizeof allow / sizeof *allow), &nonconforming, &limits, "vanban"};
    int known; /* doc_option: 1 one of its options, -1 a wrong one */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(vb_tr_cli(check_usage), stdout);
            return 0;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") && strcmp(f, "text")) {
                fprintf(stderr, vb_tr_cli("vanban: --format takes text or json, not '%s'\n"), shown(f, sbuf, sizeof sbuf));
                return 2;
            }
            r.json = !strcmp(f, "json");
        } else if (!strcmp(a, "--fix")) {
            r.fix = true;
        } else if (!strcmp(a, "--strict")) {
            r.strict = true;
        } else if (!strcmp(a, "--no-source")) {
            r.source = false;
        } else if (!strcmp(a, "--show-source")) {
            r.source = true;
        } else if (!strcmp(a, "--lang") && i + 1 < argc) {
            i++; /* main.c chose the language before the command ran */
        } else if ((known = doc_option(argc, argv, &i, &dopt)) != 0) {
            if (known < 0)
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, vb_tr_cli("vanban: unknown option '%s'\n"), shown(a, sbuf, sizeof sbuf));
            fputs(vb_tr_cli(check_usage), stderr);
            return 2;
        } else if (nfiles == (int)(sizeof files / sizeof *files)) {
            fprintf(stderr, vb_tr_cli("vanban: check takes at most %d files at once\n"), nfiles);
            return 2;
        } else {
            files[nfiles++] = a;
        }
    }
    if (!nfiles) {
        fprintf(stderr, vb_tr_cli("vanban: check needs at least one source\n"));
        fputs(vb_tr_cli(check_usage), stderr);
        return 2;
    }
    char lbuf[4200];
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = find_layouts(layouts, lbuf, sizeof lbuf),
                              .fonts_dir = find_fonts(fonts)};
    eo.on_diagnostic = collect; /* a broken profile in the layouts folder, skipped: a finding too */
    eo.diagnostic_ctx = &r.all;
    vb_diag_t diag = {0};
    vb_status_t st = vb_engine_new(&eo, &r.engine, &diag);
    if (st != VB_OK) {
        on_diagnostic(&diag, NULL);
        return cli_exit_code(st);
    }
    memset(&r.ro, 0, sizeof r.ro);
    r.ro.size = sizeof r.ro;
    r.ro.profile = profile;
    r.ro.limits = limits;
    r.ro.allow_nonconforming = nonconforming;
    r.ro.allow_dirs = allow;
    r.ro.nallow_dirs = nallow;
    r.ro.fit = r.strict ? VB_FIT_STRICT : VB_FIT_WARN;
    for (int i = 0; i < nfiles; i++)
        check_file(&r, files[i]);
    int errors = 0, warnings = 0;
    for (int i = 0; i < r.all.n; i++)
        r.all.v[i].severity == VB_SEVERITY_WARNING ? warnings++ : errors++;
    int rc = r.unreadable ? 2 : errors || (r.strict && warnings) ? 1 : 0;
    if (r.json) {
        char *out = NULL;
        if (vb_diags_json(r.all.v, r.all.n, files, nfiles, &out, &diag) != VB_OK) {
            on_diagnostic(&diag, NULL);
            rc = 3;
        } else {
            fputs(out, stdout);
            fputc('\n', stdout);
        }
        vb_free(out);
    } else if (nfiles > 1 || errors || warnings) {
        /* TRANSLATORS: the summary line; the three parts are joined as "2 errors, 1 warning in 3 files" */
        char e[64], w[64];
        snprintf(e, sizeof e, vb_tr_ncli("%d error", "%d errors", (unsigned long)errors), errors);
        snprintf(w, sizeof w, vb_tr_ncli("%d warning", "%d warnings", (unsigned long)warnings), warnings);
        printf(vb_tr_ncli("%s, %s in %d file\n", "%s, %s in %d files\n", (unsigned long)nfiles), e, w, nfiles);
    }
    if (r.all.nomem) {
        fprintf(stderr, "vanban: %s\n", vb_tr_cli("Out of memory: some findings were not kept."));
        rc = 3;
    }
    free(r.all.v);
    vb_engine_free(r.engine);
    fflush(stdout);
    return rc;
}
