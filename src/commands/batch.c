/*
 * batch.c - `vanban batch`: one template, a data file, one PDF per row.
 *
 *   vanban batch TEMPLATE --data FILE -o DIR [--name PATTERN] [-j N] [--combine OUT.pdf]
 *                [--shard K/N] [--shard-count N] [--quiet] [render options]
 *
 * The template and the data are read once (vb_template_new_file,
 * vb_data_read_file); the library's runner (vb_batch_run) does the rest with
 * worker threads. This file reads the environment (the shard, through
 * vb_batch_shard; SOURCE_DATE_EPOCH), draws the progress, prints the summary
 * and removes the temporary files of every thread on SIGINT, SIGTERM, SIGHUP.
 *
 * Exit status: 0 every row written; 1 some rows failed (the others are
 * written); 2 usage, template or data errors, names refused (nothing
 * written); 3 I/O or internal errors.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"

static const char batch_usage[] =
    "Usage:\n"
    "  vanban batch TEMPLATE.md --data FILE -o DIR [options]\n"
    "\n"
    "One PDF per row of FILE (CSV or JSON), the row merged into TEMPLATE.md (docs/templates.md).\n"
    "\n"
    "Options:\n"
    "  --data FILE         the rows: .csv (a header row; comma, semicolon or tab) or .json (an array of objects)\n"
    "  -o, --output DIR    the folder the PDFs go to (made when missing)\n"
    "  --name PATTERN      each file's name, e.g. \"{{ma_chi_bo}}-{{so}}.pdf\"; {{row}} is the row number from 1.\n"
    "                      Default: the template's name and the row number, \"bao-cao-0001.pdf\"\n"
    "  -j, --jobs N        worker threads (default: the number of cores)\n"
    "  --combine OUT.pdf   also one PDF of every row written, in row order, one bookmark per row\n"
    "  --shard K/N         only the K-th of N equal slices of the rows (1 <= K <= N), for N machines;\n"
    "                      default: from Kubernetes, Slurm or GNU parallel's environment (docs/batch.md)\n"
    "  --shard-count N     the number of shards under GNU parallel (PARALLEL_JOBSLOT is K)\n"
    "  --quiet             no progress and no summary; failures are still printed\n"
    "  --profile ID, --layouts DIR, --fonts DIR, --limit NAME=N, --allow-dir DIR, --allow-nonconforming\n"
    "                      as for vanban render\n"
    "\n"
    "Environment: SOURCE_DATE_EPOCH (the PDFs' dates; default: each document's date), JOB_COMPLETION_INDEX and\n"
    "JOB_COMPLETIONS, SLURM_ARRAY_TASK_ID/_MIN/_COUNT, PARALLEL_JOBSLOT and VANBAN_SHARDS (the shard).\n"
    "\n"
    "Exit status: 0 every row written, 1 some rows failed (the others are written), 2 usage, template, data\n"
    "or name errors (nothing written), 3 I/O or internal error.\n";

/* ------------------------------------------------------------ temporary files, per thread */

/*
 * Each worker thread has at most one temporary PDF at a time; the library
 * names it through on_tempfile before creating it, and says NULL once it is
 * renamed or removed. A thread takes a slot the first time; the signal
 * handler removes every file whose slot is set (unlink and _exit only).
 */
#define SLOTS 272
static char slot_path[SLOTS][4096];
static volatile sig_atomic_t slot_set[SLOTS];
static atomic_int slots_taken;
static _Thread_local int my_slot = -1;

static void
batch_tempfile(const char *path, void *ctx)
{
    (void)ctx;
    if (my_slot < 0) {
        int s = atomic_fetch_add(&slots_taken, 1);
        if (s >= SLOTS)
            return; /* more threads than slots: cannot happen (at most 256 workers) */
        my_slot = s;
    }
    slot_set[my_slot] = 0;
    atomic_signal_fence(memory_order_seq_cst);
    size_t n = path ? strlen(path) : 0;
    if (path && n < sizeof slot_path[0]) {
        memcpy(slot_path[my_slot], path, n + 1);
        atomic_signal_fence(memory_order_seq_cst);
        slot_set[my_slot] = 1;
    }
}

static void
batch_signal(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_set[i])
            unlink(slot_path[i]);
    _exit(128 + sig);
}

static void
batch_handlers(void)
{
    catch_signals(batch_signal);
}

/* ------------------------------------------------------------ rows */

typedef struct job {
    const vb_template_t *tpl;
    const vb_data_t *data;
    const char *pattern;      /* NULL: base-0001.pdf */
    char base[256];           /* the template's name without folder and extension */
    int width;                /* digits of the default names' row numbers */
    vb_render_options_t ro;   /* for each row (no on_diagnostic: rows run on several threads) */
    /* progress and summary */
    bool tty, quiet;
    double t0, last_draw;
    int last_step;            /* the last tenth printed (not a terminal) */
    int warned_rows;          /* rows written with warnings */
    int warnings_shown;
    char **warnings;          /* the first few warnings, formatted, in the order found */
    atomic_bool making;       /* a row was made: the names were all accepted */
} job_t;

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static vb_status_t
make_row(void *ctx, int row, vb_document_t **out, vb_diag_t *d)
{
    job_t *j = ctx;
    atomic_store(&j->making, true);
    return vb_template_document(j->tpl, j->data, row, &j->ro, out, d);
}

static vb_status_t
name_row(void *ctx, int row, char **name, vb_diag_t *d)
{
    const job_t *j = ctx;
    if (j->pattern)
        return vb_data_file_name(j->data, row, j->pattern, name, d);
    size_t n = strlen(j->base) + (size_t)j->width + 16;
    *name = malloc(n);
    if (!*name)
        return VB_E_NOMEM;
    snprintf(*name, n, "%s-%0*d.pdf", j->base, j->width, row + 1);
    return VB_OK;
}

/* "0:05", "1:02:03" */
static void
fmt_time(double s, char *buf, size_t size)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

static void
on_progress(void *ctx, int done, int total, int failed)
{
    job_t *j = ctx;
    if (j->quiet || total <= 0)
        return;
    double t = now(), el = t - j->t0;
    double rate = el > 0 ? done / el : 0;
    if (j->tty) {
        /* redrawn at most ten times a second, and at the end */
        if (done < total && t - j->last_draw < 0.1)
            return;
        j->last_draw = t;
        char bar[32], eta[32];
        int w = 20, full = (int)((int64_t)done * w / total);
        for (int i = 0; i < w; i++)
            bar[i] = i < full ? '#' : '-';
        bar[w] = 0;
        fmt_time(rate > 0 ? (total - done) / rate : 0, eta, sizeof eta);
        fprintf(stderr, "\r\033[K[%s] %d/%d  %.0f doc/s  ETA %s", bar, done, total, rate, eta);
        if (failed)
            fprintf(stderr, "  %d failed", failed);
        if (done == total)
            fputc('\n', stderr);
        fflush(stderr);
        return;
    }
    int step = (int)((int64_t)done * 10 / total);
    if (step > j->last_step) {
        j->last_step = step;
        fprintf(stderr, "vanban batch: %d/%d (%d%%), %.0f doc/s\n", done, total, (int)((int64_t)done * 100 / total),
                rate);
    }
}

#define MAX_WARNINGS_SHOWN 10

static void
on_row(void *ctx, const vb_batch_row_t *r)
{
    job_t *j = ctx;
    if (r->status != VB_OK) {
        /* a failure as it happens: one line (the summary gives each in full, in row order) */
        if (!j->quiet && !j->tty)
            fprintf(stderr, "vanban batch: row %d failed (%s)\n", r->row + 1, r->diag ? r->diag->id : "?");
        return;
    }
    int n = r->doc ? vb_document_diag_count(r->doc) : 0;
    if (n == 0)
        return;
    j->warned_rows++;
    for (int i = 0; i < n && j->warnings_shown < MAX_WARNINGS_SHOWN; i++) {
        char buf[2400];
        vb_diag_format_warning(vb_document_diag(r->doc, i), buf, sizeof buf);
        char *line = malloc(strlen(buf) + 40);
        if (!line)
            return;
        sprintf(line, "row %d: %s", r->row + 1, buf);
        j->warnings[j->warnings_shown++] = line;
    }
}

/* The template's name without its folder and extension, for the default file names. */
static void
base_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    if (n >= size)
        n = size - 1;
    memcpy(out, b, n);
    out[n] = 0;
}

static const char *
env_lookup(void *ctx, const char *name)
{
    (void)ctx;
    return getenv(name);
}

/* A whole number 1..max for -j, --shard-count; false otherwise. */
static bool
parse_int(const char *s, int max, int *out)
{
    long v = 0;
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > max)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > max)
        return false;
    *out = (int)v;
    return true;
}

static int
status_exit(vb_status_t st)
{
    switch (st) {
    case VB_OK:
        return 0;
    case VB_E_NOMEM:
    case VB_E_IO:
    case VB_E_PDF:
        return 3;
    default:
        return 2;
    }
}

/* A diagnostic whose source is empty names the data file (the runner's name checks know no file). */
static void
print_diag(const vb_diag_t *d, const char *data_path)
{
    vb_diag_t c = *d;
    if (!c.source[0] && data_path)
        snprintf(c.source, sizeof c.source, "%s", data_path);
    char buf[2400];
    vb_diag_format_ex(&c, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
}

/* Refused names, before anything is written: each printed as the runner finds it. */
static void
on_name_problem(void *ctx, const vb_batch_row_t *r)
{
    const char *data_path = ctx;
    if (r->diag)
        print_diag(r->diag, data_path);
}

typedef struct namectx {
    job_t *job;
    const char *data_path;
} namectx_t;

static void
row_cb(void *ctx, const vb_batch_row_t *r)
{
    namectx_t *nc = ctx;
    if (!atomic_load(&nc->job->making)) {
        /* the name checks come before any row is made: a problem then is a name's */
        on_name_problem((void *)nc->data_path, r);
        return;
    }
    on_row(nc->job, r);
}

static void
progress_cb(void *ctx, int done, int total, int failed)
{
    namectx_t *nc = ctx;
    on_progress(nc->job, done, total, failed);
}

int
vb_cmd_batch(int argc, char **argv)
{
    const char *tpl_path = NULL, *data_path = NULL, *out_dir = NULL, *pattern = NULL, *combine = NULL;
    const char *shard_flag = NULL, *profile = NULL, *layouts = NULL, *fonts = NULL;
    int jobs = 0, shard_count = 0, nonconforming = 0;
    bool quiet = false;
    vb_limits_t limits;
    memset(&limits, 0, sizeof limits);
    const char *allow[64];
    int nallow = 0;
    char sbuf[512];

    const doc_opts_t dopt = {&profile, &layouts, &fonts, allow, &nallow, (int)(sizeof allow / sizeof *allow), &nonconforming, &limits, "vanban batch"};
    int known; /* doc_option: 1 one of its options, -1 a wrong one */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(batch_usage, stdout);
            print_limits(stdout);
            return 0;
        } else if (!strcmp(a, "--data") && has) {
            data_path = argv[++i];
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--name") && has) {
            pattern = argv[++i];
        } else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && has) {
            if (!parse_int(argv[++i], 256, &jobs)) {
                fprintf(stderr, "vanban batch: -j wants a number of threads from 1 to 256, not '%s'\n",
                        shown(argv[i], sbuf, sizeof sbuf));
                return 2;
            }
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            if (!parse_int(a + 2, 256, &jobs)) {
                fprintf(stderr, "vanban batch: -j wants a number of threads from 1 to 256, not '%s'\n",
                        shown(a + 2, sbuf, sizeof sbuf));
                return 2;
            }
        } else if (!strcmp(a, "--combine") && has) {
            combine = argv[++i];
        } else if (!strcmp(a, "--shard") && has) {
            shard_flag = argv[++i];
        } else if (!strcmp(a, "--shard-count") && has) {
            if (!parse_int(argv[++i], 1000000000, &shard_count)) {
                fprintf(stderr, "vanban batch: --shard-count wants a whole number of at least 1, not '%s'\n",
                        shown(argv[i], sbuf, sizeof sbuf));
                return 2;
            }
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = true;
        } else if ((known = doc_option(argc, argv, &i, &dopt)) != 0) {
            if (known < 0)
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vanban batch: unknown option or missing value '%s'\n%s", shown(a, sbuf, sizeof sbuf),
                    batch_usage);
            return 2;
        } else if (!tpl_path) {
            tpl_path = a;
        } else {
            fprintf(stderr, "vanban batch: unexpected argument '%s'\n%s", shown(a, sbuf, sizeof sbuf), batch_usage);
            return 2;
        }
    }
    if (!tpl_path || !data_path || !out_dir) {
        fprintf(stderr, "vanban batch: needs a template, --data FILE and -o DIR\n%s", batch_usage);
        return 2;
    }
    vb_diag_t diag;
    memset(&diag, 0, sizeof diag);
    vb_batch_shard_t shard;
    if (vb_batch_shard(shard_flag, shard_count, env_lookup, NULL, &shard, &diag) != VB_OK) {
        fprintf(stderr, "vanban batch: %s\n", shown(diag.msg, sbuf, sizeof sbuf));
        return 2;
    }
    int64_t epoch;
    if (!source_date_epoch(&epoch)) {
        fprintf(stderr, "vanban: SOURCE_DATE_EPOCH must be seconds since 1970 (digits, at most 253402300799), "
                "not '%s'\n", shown(getenv("SOURCE_DATE_EPOCH"), sbuf, sizeof sbuf));
        return 2;
    }
    batch_handlers();

    char lbuf[4200];
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = find_layouts(layouts, lbuf, sizeof lbuf),
                              .fonts_dir = find_fonts(fonts)};
    eo.on_diagnostic = on_diagnostic;
    vb_engine_t *engine = NULL;
    vb_status_t st = vb_engine_new(&eo, &engine, &diag);
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        return 3;
    }
    job_t job;
    memset(&job, 0, sizeof job);
    job.ro.size = sizeof job.ro;
    job.ro.profile = profile;
    job.ro.creation_time = epoch;
    job.ro.limits = limits;
    job.ro.allow_nonconforming = nonconforming;
    job.ro.fit = VB_FIT_WARN; /* as render: a row's PDF notes what it lacks to be issued (/VanbanUnfit) */
    job.ro.allow_dirs = allow;
    job.ro.nallow_dirs = nallow;
    job.ro.on_tempfile = batch_tempfile;
    job.pattern = pattern;
    job.quiet = quiet;
    job.tty = isatty(STDERR_FILENO) != 0;
    job.last_step = 0;
    char *warnings[MAX_WARNINGS_SHOWN];
    job.warnings = warnings;
    base_name(tpl_path, job.base, sizeof job.base);

    /* the template, then the data: each error printed as found; nothing written */
    int nerrors = 0;
    vb_render_options_t tro = job.ro;
    tro.on_diagnostic = on_diagnostic;
    tro.diagnostic_ctx = &nerrors;
    vb_template_t *tpl = NULL;
    vb_data_t *data = NULL;
    int rc = 0;
    st = vb_template_new_file(engine, tpl_path, &tro, &tpl, &diag);
    if (st != VB_OK) {
        if (!nerrors)
            print_diag(&diag, NULL);
        rc = st == VB_E_NOMEM ? 3 : 2;
        goto done;
    }
    st = vb_data_read_file(data_path, &data, &diag);
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        rc = st == VB_E_NOMEM ? 3 : 2;
        goto done;
    }
    job.tpl = tpl;
    job.data = data;
    int nrows = vb_data_row_count(data);
    int width = 4;
    for (int v = nrows; v >= 10000; v /= 10)
        width++;
    job.width = width;

    namectx_t nc = {&job, data_path};
    vb_batch_options_t bo = {.size = sizeof bo,
                             .rows = nrows,
                             .jobs = jobs,
                             .shard_index = shard.index,
                             .shard_count = shard.count,
                             .out_dir = out_dir,
                             .make = make_row,
                             .name = name_row,
                             .ctx = &job,
                             .combine = combine,
                             .progress = progress_cb,
                             .on_row = row_cb,
                             .callback_ctx = &nc,
                             .save = &job.ro};
    int first, end;
    vb_batch_slice(nrows, shard.index, shard.count, &first, &end);
    if (!quiet) {
        if (shard.count > 1)
            fprintf(stderr, "vanban batch: %s: %d rows; shard %d/%d from %s: rows %d-%d (%d rows)\n", data_path,
                    nrows, shard.index, shard.count, shard.source, first + 1, end, end - first);
        else
            fprintf(stderr, "vanban batch: %s: %d rows\n", data_path, nrows);
    }
    vb_batch_result_t res;
    job.t0 = now();
    st = vb_batch_run(&bo, &res, &diag);
    double el = now() - job.t0;
    if (st != VB_OK && res.written == 0 && res.failed == 0) {
        /* nothing was made: names refused (each already printed), or the folder */
        if (diag.id[0] && strncmp(diag.id, "batch.name", 10) != 0)
            print_diag(&diag, data_path);
        else if (!strncmp(diag.id, "batch.name", 10))
            fprintf(stderr, "vanban batch: file names refused; nothing was written\n");
        rc = status_exit(st);
        vb_batch_result_free(&res);
        goto done;
    }
    /* the summary */
    for (int i = 0; i < res.failed; i++)
        print_diag(&res.failures[i].diag, data_path);
    if (job.warned_rows && !quiet) {
        for (int i = 0; i < job.warnings_shown; i++)
            fprintf(stderr, "%s\n", job.warnings[i]);
        fprintf(stderr, "vanban batch: %d row(s) written with warnings%s\n", job.warned_rows,
                job.warned_rows > job.warnings_shown ? " (the first warnings shown)" : "");
    }
    if (!quiet) {
        fprintf(stderr, "vanban batch: %d written to %s, %d failed, %.1f s, %.0f doc/s, %d thread%s\n", res.written,
                out_dir, res.failed, el, el > 0 ? res.written / el : 0.0, res.jobs, res.jobs == 1 ? "" : "s");
        if (res.failed) {
            fprintf(stderr, "vanban batch: failed rows:");
            for (int i = 0; i < res.failed && i < 50; i++)
                fprintf(stderr, " %d", res.failures[i].row + 1);
            fprintf(stderr, "%s\n", res.failed > 50 ? " ..." : "");
        }
        if (shard.count > 1)
            fprintf(stderr, "vanban batch: shard %d/%d (%s): rows %d-%d\n", shard.index, shard.count, shard.source,
                    first + 1, end);
        if (combine && st == VB_OK)
            fprintf(stderr, "vanban batch: combined %d rows into %s (%d pages)\n", res.written, combine,
                    res.combined_pages);
    }
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        /* every row failed: no combined PDF either, but the rows' failures decide */
        rc = !strcmp(diag.id, "batch.combine-empty") && res.failed ? 1 : status_exit(st);
    } else {
        rc = res.failed ? 1 : 0;
    }
    vb_batch_result_free(&res);
done:
    for (int i = 0; i < job.warnings_shown; i++)
        free(job.warnings[i]);
    vb_data_free(data);
    vb_template_free(tpl);
    vb_engine_free(engine);
    return rc;
}
