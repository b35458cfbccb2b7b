/*
 * test_batch.c - the batch runner (src/api/batch.c) over documents made from
 * in-memory sources: the files of -j1, -j2 and -j4 byte for byte the same
 * (and the same as one vb_document_save of the row); a failing row fails
 * alone; duplicate and unsafe names refused before anything is written;
 * shard slices disjoint, contiguous and covering every row, and four shard
 * runs writing exactly the files of one full run; the shard from each
 * scheduler's environment (a lookup table, not the process environment);
 * progress calls never two at once and done growing by one; the combined
 * PDF the same whatever -j, checked by qpdf, pdftotext and mutool when
 * present; an image every row places embedded once in it, though each row's
 * document is freed before the next is added (run under ASan: no use after
 * free of the kept glyph texts and image files).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "vanban.h"

/* ------------------------------------------------------------ rows */

typedef struct rows {
    vb_engine_t *engine;
    int n;
    int bad;                /* the row whose source is broken; -1: none */
    const char *const *names; /* NULL: "r-%02d.pdf" */
} rows_t;

/* Row i's source: a small report, two pages for every third row. */
static char *
row_source(int i, bool broken)
{
    size_t cap = 8192;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    if (broken) {
        snprintf(s, cap, "---\nissuer: X\nnumber: 01-BC/X\nplace: Huế\ndate: 2024-13-45\n---\n\nHỏng.\n");
        return s;
    }
    int o = snprintf(s, cap,
                     "---\nissuer: CHI BỘ %d\nnumber: %02d-BC/CB\nplace: Hà Nội\ndate: 2024-03-%02d\n"
                     "title: Báo cáo số %d\n---\n\n# Phần %d\n\nChi bộ số %d báo cáo kết quả.\n",
                     i + 1, i + 1, 1 + i % 28, i + 1, i + 1, i + 1);
    for (int p = 0; i % 3 == 0 && p < 60 && o < (int)cap - 200; p++)
        o += snprintf(s + o, cap - (size_t)o, "\nĐoạn %d của chi bộ %d: nội dung đủ dài để kéo sang trang sau.\n",
                      p + 1, i + 1);
    return s;
}

static vb_status_t
make_row(void *ctx, int row, vb_document_t **out, vb_diag_t *d)
{
    rows_t *r = ctx;
    char *src = row_source(row, row == r->bad);
    if (!src)
        return VB_E_NOMEM;
    char name[32];
    snprintf(name, sizeof name, "row%d.md", row + 1);
    vb_render_options_t ro = {.size = sizeof ro};
    vb_status_t st = vb_document_new(r->engine, src, strlen(src), name, &ro, out, d);
    free(src);
    return st;
}

static vb_status_t
name_row(void *ctx, int row, char **name, vb_diag_t *d)
{
    rows_t *r = ctx;
    (void)d;
    char buf[64];
    const char *s = buf;
    if (r->names)
        s = r->names[row];
    else
        snprintf(buf, sizeof buf, "r-%02d.pdf", row + 1);
    *name = strdup(s);
    return *name ? VB_OK : VB_E_NOMEM;
}

/* ------------------------------------------------------------ files */

static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((n > 0 ? (size_t)n : 0) + 1); /* NUL-terminated, for a text file */
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    if (p)
        p[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return p;
}

static bool
same_file(const char *a, const char *b)
{
    size_t la, lb;
    unsigned char *pa = slurp(a, &la), *pb = slurp(b, &lb);
    bool same = pa && pb && la == lb && memcmp(pa, pb, la) == 0;
    free(pa);
    free(pb);
    return same;
}

/* Files in dir (hidden ones too: a temporary file left behind counts). */
static int
count_files(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static void
remove_tree(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(dp);
    rmdir(dir);
}

/* ------------------------------------------------------------ progress */

typedef struct watch {
    pthread_mutex_t m;
    int inside, max_inside;
    int calls, last_done, not_by_one, last_total, last_failed;
    int rows_seen, rows_failed;
    int first_failed_row;
    int pages;              /* pages of the rows written */
} watch_t;

static void
on_progress(void *ctx, int done, int total, int failed)
{
    watch_t *w = ctx;
    pthread_mutex_lock(&w->m);
    int in = ++w->inside;
    if (in > w->max_inside)
        w->max_inside = in;
    pthread_mutex_unlock(&w->m);
    /* a pause inside the callback: a second call at the same time would be seen */
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&w->m);
    w->calls++;
    if (done != w->last_done + 1)
        w->not_by_one++;
    w->last_done = done;
    w->last_total = total;
    w->last_failed = failed;
    w->inside--;
    pthread_mutex_unlock(&w->m);
}

static void
on_row(void *ctx, const vb_batch_row_t *r)
{
    watch_t *w = ctx;
    pthread_mutex_lock(&w->m);
    w->rows_seen++;
    if (r->status == VB_OK)
        w->pages += vb_document_page_count(r->doc);
    if (r->status != VB_OK) {
        if (!w->rows_failed++)
            w->first_failed_row = r->row;
    }
    pthread_mutex_unlock(&w->m);
}

static vb_status_t
run(rows_t *r, const char *dir, int jobs, int k, int n, const char *combine, watch_t *w, vb_batch_result_t *res,
    vb_diag_t *d)
{
    vb_render_options_t save = {.size = sizeof save};
    vb_batch_options_t o = {.size = sizeof o,
                            .rows = r->n,
                            .jobs = jobs,
                            .shard_index = k,
                            .shard_count = n,
                            .out_dir = dir,
                            .make = make_row,
                            .name = name_row,
                            .ctx = r,
                            .combine = combine,
                            .progress = w ? on_progress : NULL,
                            .on_row = w ? on_row : NULL,
                            .callback_ctx = w,
                            .save = &save};
    return vb_batch_run(&o, res, d);
}

/* ------------------------------------------------------------ tests */

static void
test_jobs(vb_engine_t *e, const char *tmp)
{
    rows_t r = {e, 9, 4, NULL};
    char dirs[3][512], comb[3][512];
    int jobs[3] = {1, 2, 4};
    int pages = 0;
    for (int j = 0; j < 3; j++) {
        snprintf(dirs[j], sizeof dirs[j], "%s/j%d", tmp, jobs[j]);
        snprintf(comb[j], sizeof comb[j], "%s/c%d", tmp, jobs[j]);
        mkdir(comb[j], 0777);
        strcat(comb[j], "/all.pdf");
        watch_t w = {.m = PTHREAD_MUTEX_INITIALIZER, .first_failed_row = -1};
        vb_batch_result_t res;
        vb_diag_t d;
        CHECK_INT(run(&r, dirs[j], jobs[j], 0, 0, comb[j], &w, &res, &d), VB_OK);
        /* the bad row (row 5) fails alone: 8 written, its file absent */
        CHECK_INT(res.written, 8);
        CHECK_INT(res.failed, 1);
        CHECK_INT(res.jobs, jobs[j]);
        CHECK(res.failures && res.failures[0].row == 4);
        CHECK(res.failures && res.failures[0].diag.code == VB_E_INPUT && res.failures[0].diag.line == 5);
        CHECK(res.failures && !strcmp(res.failures[0].diag.source, "row5.md"));
        CHECK_INT(count_files(dirs[j]), 8);
        char p[1700];
        snprintf(p, sizeof p, "%s/r-05.pdf", dirs[j]);
        CHECK(access(p, F_OK) != 0);
        /* 9 rows: rows 1, 4, 7 have several pages */
        CHECK(w.pages > 8);
        CHECK_INT(res.combined_pages, w.pages);
        pages = w.pages;
        /* progress: 9 calls, never two at once, done 1, 2, ... 9, the failure counted */
        CHECK_INT(w.calls, 9);
        CHECK_INT(w.max_inside, 1);
        CHECK_INT(w.not_by_one, 0);
        CHECK_INT(w.last_total, 9);
        CHECK_INT(w.last_failed, 1);
        CHECK_INT(w.rows_seen, 9);
        CHECK_INT(w.first_failed_row, 4);
        vb_batch_result_free(&res);
    }
    /* every file the same whatever -j, and the same as one save of the row's document */
    for (int i = 0; i < 9; i++) {
        if (i == 4)
            continue;
        char a[1700], b[1700], c[1700], one[1700];
        snprintf(a, sizeof a, "%s/r-%02d.pdf", dirs[0], i + 1);
        snprintf(b, sizeof b, "%s/r-%02d.pdf", dirs[1], i + 1);
        snprintf(c, sizeof c, "%s/r-%02d.pdf", dirs[2], i + 1);
        snprintf(one, sizeof one, "%s/one.pdf", tmp);
        CHECK(same_file(a, b));
        CHECK(same_file(a, c));
        vb_document_t *doc = NULL;
        vb_diag_t d;
        CHECK_INT(make_row(&r, i, &doc, &d), VB_OK);
        CHECK_INT(vb_document_save(doc, one, NULL, &d), VB_OK);
        CHECK(same_file(a, one));
        vb_document_free(doc);
        unlink(one);
    }
    CHECK(same_file(comb[0], comb[1]));
    CHECK(same_file(comb[0], comb[2]));
    /* the combined PDF by real readers, when installed: valid, every page, each row's text in row order */
    if (system("{ command -v qpdf && command -v pdftotext && command -v mutool; } >/dev/null") == 0) {
        char cmd[3000];
        snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", comb[0]);
        CHECK_INT(system(cmd), 0);
        snprintf(cmd, sizeof cmd, "test \"$(qpdf --show-npages '%s')\" = %d", comb[0], pages);
        CHECK_INT(system(cmd), 0);
        /* each written row's text once, in row order; row 5's nowhere */
        char txt[1700];
        snprintf(txt, sizeof txt, "%s/all.txt", tmp);
        snprintf(cmd, sizeof cmd, "pdftotext '%s' '%s'", comb[0], txt);
        CHECK_INT(system(cmd), 0);
        size_t tl = 0;
        char *t = (char *)slurp(txt, &tl);
        CHECK(t != NULL);
        const char *at = t ? t : "";
        for (int i = 0; t && i < 9; i++) {
            char want[64];
            snprintf(want, sizeof want, "Chi bộ số %d báo cáo", i + 1);
            const char *hit = strstr(t, want);
            if (i == 4) {
                CHECK(hit == NULL);
                continue;
            }
            CHECK(hit != NULL && hit >= at);
            at = hit ? hit : at;
        }
        free(t);
        unlink(txt);
        /* the outline: one entry per written row, by file name, in row order */
        snprintf(cmd, sizeof cmd,
                 "test \"$(mutool show '%s' outline | grep -o '^[-+|]\t\"r-[0-9]*\\.pdf\"' | cut -f2 | tr -d '\"\\n')\" "
                 "= r-01.pdfr-02.pdfr-03.pdfr-04.pdfr-06.pdfr-07.pdfr-08.pdfr-09.pdf",
                 comb[0]);
        CHECK_INT(system(cmd), 0);
    }
    for (int j = 0; j < 3; j++) {
        remove_tree(dirs[j]);
        if (!getenv("VB_KEEP")) {
            unlink(comb[j]);
            *strrchr(comb[j], '/') = 0;
            rmdir(comb[j]);
        }
    }
}

static void
test_names(vb_engine_t *e, const char *tmp)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/names", tmp);
    static const char *const dup[] = {"a.pdf", "b.pdf", "c.pdf", "b.pdf"};
    static const char *const dupcase[] = {"Đảng-ủy.pdf", "b.pdf", "ĐẢNG-ỦY.PDF"};
    static const char *const unsafe_names[] = {"../x.pdf", "a/b.pdf", "", ".hidden.pdf", "x\ny.pdf", "..",
                                               "a\\b.pdf", "\xC3(.pdf"};
    vb_diag_t d;
    vb_batch_result_t res;
    rows_t r = {e, 4, -1, dup};
    watch_t w = {.m = PTHREAD_MUTEX_INITIALIZER, .first_failed_row = -1};
    CHECK_INT(run(&r, dir, 2, 0, 0, NULL, &w, &res, &d), VB_E_INPUT);
    CHECK_STR(d.id, "batch.name-duplicate");
    CHECK(strstr(d.msg, "Rows 2 and 4") != NULL);
    CHECK_INT(w.calls, 0);        /* nothing made */
    CHECK_INT(w.first_failed_row, 3);
    struct stat st;
    CHECK(stat(dir, &st) != 0);   /* nothing written, not even the folder */
    /* the same name on a case-insensitive file system, Vietnamese capitals included */
    r = (rows_t){e, 3, -1, dupcase};
    CHECK_INT(run(&r, dir, 1, 0, 0, NULL, NULL, &res, &d), VB_E_INPUT);
    CHECK_STR(d.id, "batch.name-duplicate");
    CHECK(strstr(d.msg, "case-insensitive") != NULL);
    CHECK(stat(dir, &st) != 0);
    /* a duplicate in another shard's rows is refused by every shard */
    r = (rows_t){e, 4, -1, dup};
    CHECK_INT(run(&r, dir, 1, 1, 4, NULL, NULL, &res, &d), VB_E_INPUT);
    CHECK(stat(dir, &st) != 0);
    for (size_t i = 0; i < sizeof unsafe_names / sizeof *unsafe_names; i++) {
        const char *pair[] = {"ok.pdf", unsafe_names[i]};
        r = (rows_t){e, 2, -1, pair};
        CHECK_INT(run(&r, dir, 1, 0, 0, NULL, NULL, &res, &d), VB_E_INPUT);
        CHECK_STR(d.id, "batch.name-unsafe");
        CHECK(strstr(d.msg, "Row 2") != NULL);
        CHECK(strchr(d.msg, '\n') == NULL); /* the control character shown escaped */
        CHECK(stat(dir, &st) != 0);
    }
    /* the combined PDF in the output folder may not take a row's name */
    char comb[1700];
    snprintf(comb, sizeof comb, "%s/B.pdf", dir);
    static const char *const two[] = {"a.pdf", "b.pdf"};
    r = (rows_t){e, 2, -1, two};
    CHECK_INT(run(&r, dir, 1, 0, 0, comb, NULL, &res, &d), VB_E_INPUT);
    CHECK_STR(d.id, "batch.name-duplicate");
    CHECK(stat(dir, &st) != 0);
}

static void
test_slices(void)
{
    int bad = 0;
    for (int rows = 0; rows <= 40; rows++)
        for (int n = 1; n <= 9; n++) {
            int expect = 0;
            for (int k = 1; k <= n; k++) {
                int a, b;
                vb_batch_slice(rows, k, n, &a, &b);
                /* contiguous, in order, sizes differing by at most one */
                if (a != expect || b < a || b - a > rows / n + 1 || b - a < rows / n)
                    bad++;
                expect = b;
            }
            if (expect != rows)
                bad++;
        }
    CHECK_INT(bad, 0);
    int a, b;
    vb_batch_slice(1117, 3, 4, &a, &b);
    CHECK_INT(a, 558);
    CHECK_INT(b, 837);
}

/* Four shards into one folder write exactly the files of one full run. */
static void
test_shard_union(vb_engine_t *e, const char *tmp)
{
    rows_t r = {e, 7, -1, NULL};
    char full[512], parts[512];
    snprintf(full, sizeof full, "%s/full", tmp);
    snprintf(parts, sizeof parts, "%s/parts", tmp);
    vb_diag_t d;
    vb_batch_result_t res;
    CHECK_INT(run(&r, full, 2, 0, 0, NULL, NULL, &res, &d), VB_OK);
    CHECK_INT(res.written, 7);
    int sum = 0;
    for (int k = 1; k <= 4; k++) {
        CHECK_INT(run(&r, parts, 1, k, 4, NULL, NULL, &res, &d), VB_OK);
        CHECK_INT(res.first, (k - 1) * 7 / 4);
        CHECK_INT(res.end, k * 7 / 4);
        CHECK_INT(count_files(parts), res.end);
        sum += res.written;
    }
    CHECK_INT(sum, 7);
    CHECK_INT(count_files(parts), 7);
    for (int i = 0; i < 7; i++) {
        char a[1700], b[1700];
        snprintf(a, sizeof a, "%s/r-%02d.pdf", full, i + 1);
        snprintf(b, sizeof b, "%s/r-%02d.pdf", parts, i + 1);
        CHECK(same_file(a, b));
    }
    remove_tree(full);
    remove_tree(parts);
}

/* An environment as a NULL-terminated list of "NAME=value". */
static const char *
lookup(void *ctx, const char *name)
{
    size_t n = strlen(name);
    for (const char *const *e = ctx; e && *e; e++)
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static void
shard_is(const char *flag, int count, const char *const *env, int k, int n, const char *source)
{
    vb_batch_shard_t s;
    vb_diag_t d;
    vb_status_t st = vb_batch_shard(flag, count, lookup, (void *)env, &s, &d);
    CHECK_INT(st, VB_OK);
    if (st != VB_OK)
        fprintf(stderr, "  %s\n", d.msg);
    CHECK_INT(s.index, k);
    CHECK_INT(s.count, n);
    CHECK(strstr(s.source, source) == s.source);
}

static void
shard_bad(const char *flag, int count, const char *const *env, const char *says)
{
    vb_batch_shard_t s;
    vb_diag_t d;
    CHECK_INT(vb_batch_shard(flag, count, lookup, (void *)env, &s, &d), VB_E_USAGE);
    CHECK_STR(d.id, "batch.shard");
    CHECK(strstr(d.msg, says) != NULL);
    if (!strstr(d.msg, says))
        fprintf(stderr, "  message: %s\n", d.msg);
}

static void
test_shard_env(void)
{
    static const char *const none[] = {"HOME=/root", NULL};
    static const char *const k8s[] = {"JOB_COMPLETION_INDEX=2", "JOB_COMPLETIONS=4", NULL};
    static const char *const k8s_nocount[] = {"JOB_COMPLETION_INDEX=0", NULL};
    static const char *const k8s_over[] = {"JOB_COMPLETION_INDEX=4", "JOB_COMPLETIONS=4", NULL};
    static const char *const k8s_word[] = {"JOB_COMPLETION_INDEX=two", "JOB_COMPLETIONS=4", NULL};
    static const char *const slurm[] = {"SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=4",
                                        "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=1", NULL};
    static const char *const slurm_step[] = {"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=0",
                                             "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=2", NULL};
    static const char *const slurm_gap[] = {"SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=4",
                                            "SLURM_ARRAY_TASK_COUNT=3", NULL};
    static const char *const slurm_nomin[] = {"SLURM_ARRAY_TASK_ID=1", NULL};
    static const char *const par[] = {"PARALLEL_JOBSLOT=2", NULL};
    static const char *const par_env[] = {"PARALLEL_JOBSLOT=3", "VANBAN_SHARDS=3", NULL};
    static const char *const par_over[] = {"PARALLEL_JOBSLOT=5", "VANBAN_SHARDS=4", NULL};
    static const char *const shards_only[] = {"VANBAN_SHARDS=4", NULL};
    static const char *const both[] = {"JOB_COMPLETION_INDEX=0", "JOB_COMPLETIONS=2", "SLURM_ARRAY_TASK_ID=1",
                                       "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=2", NULL};
    shard_is(NULL, 0, none, 1, 1, "");
    shard_is(NULL, 0, NULL, 1, 1, "");
    shard_is("2/4", 0, none, 2, 4, "--shard");
    shard_is("3/4", 0, k8s, 3, 4, "--shard"); /* the flag wins over the environment */
    shard_is(NULL, 0, k8s, 3, 4, "Kubernetes");
    shard_is(NULL, 0, slurm, 2, 3, "Slurm");
    shard_is(NULL, 3, par, 2, 3, "GNU parallel (PARALLEL_JOBSLOT, --shard-count)");
    shard_is(NULL, 0, par_env, 3, 3, "GNU parallel (PARALLEL_JOBSLOT, VANBAN_SHARDS)");
    shard_is(NULL, 0, both, 1, 2, "Kubernetes");
    shard_bad("0/4", 0, none, "--shard wants K/N");
    shard_bad("5/4", 0, none, "--shard wants K/N");
    shard_bad("a/b", 0, none, "--shard wants K/N");
    shard_bad("3", 0, none, "--shard wants K/N");
    shard_bad("1/-2", 0, none, "--shard wants K/N");
    shard_bad("1/4", 4, none, "--shard-count");
    shard_bad(NULL, 0, k8s_nocount, "JOB_COMPLETIONS is not");
    shard_bad(NULL, 0, k8s_over, "outside 0..JOB_COMPLETIONS-1");
    shard_bad(NULL, 0, k8s_word, "JOB_COMPLETION_INDEX must be a whole number");
    shard_bad(NULL, 0, slurm_step, "SLURM_ARRAY_TASK_STEP");
    shard_bad(NULL, 0, slurm_gap, "outside the array's range");
    shard_bad(NULL, 0, slurm_nomin, "SLURM_ARRAY_TASK_MIN");
    shard_bad(NULL, 0, par, "--shard-count N or VANBAN_SHARDS");
    shard_bad(NULL, 0, par_over, "above the number of shards");
    shard_bad(NULL, 3, none, "PARALLEL_JOBSLOT is not set");
    shard_bad(NULL, 0, shards_only, "PARALLEL_JOBSLOT is not");
}

static void
test_usage(vb_engine_t *e, const char *tmp)
{
    rows_t r = {e, 3, -1, NULL};
    vb_diag_t d;
    vb_batch_result_t res;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/usage", tmp);
    CHECK_INT(vb_batch_run(NULL, &res, &d), VB_E_USAGE);
    CHECK_INT(run(&r, dir, 1, 3, 2, NULL, NULL, &res, &d), VB_E_USAGE);
    CHECK_INT(run(&r, dir, -1, 0, 0, NULL, NULL, &res, &d), VB_E_USAGE);
    vb_batch_options_t o = {.size = 0, .rows = 3};
    CHECK_INT(vb_batch_run(&o, &res, &d), VB_E_USAGE);
    CHECK_STR(d.id, "options.size");
    struct stat st;
    CHECK(stat(dir, &st) != 0);
    /* no row at all: nothing to do, nothing written; a combined PDF of nothing is an error */
    r.n = 0;
    CHECK_INT(run(&r, dir, 0, 0, 0, NULL, NULL, &res, &d), VB_OK);
    CHECK_INT(res.written, 0);
    rmdir(dir);
}

/* ------------------------------------------------------------ images in a combined PDF */

/* A 1 x 1 RGBA PNG (an image and its soft mask in the PDF). */
static const unsigned char logo_png[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
    0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D,
    0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

typedef struct img_rows {
    vb_engine_t *engine;
    const char *dir;
} img_rows_t;

/* Row i: a report placing the logo (a file of the source's folder); each row's document its own copy. */
static vb_status_t
make_img_row(void *ctx, int row, vb_document_t **out, vb_diag_t *d)
{
    img_rows_t *r = ctx;
    char src[512], name[1200];
    snprintf(src, sizeof src,
             "---\nissuer: CHI BỘ %d\nnumber: %02d-BC/CB\nplace: Huế\ndate: 2024-03-01\n---\n\n"
             "Dòng %d.\n\n![Biểu trưng](logo.png \"10mm\")\n",
             row + 1, row + 1, row + 1);
    snprintf(name, sizeof name, "%s/row%d.md", r->dir, row + 1);
    vb_render_options_t ro = {.size = sizeof ro};
    return vb_document_new(r->engine, src, strlen(src), name, &ro, out, d);
}

static vb_status_t
name_img_row(void *ctx, int row, char **name, vb_diag_t *d)
{
    (void)ctx;
    (void)d;
    char buf[32];
    snprintf(buf, sizeof buf, "img-%d.pdf", row + 1);
    *name = strdup(buf);
    return *name ? VB_OK : VB_E_NOMEM;
}

static int
count_in(const unsigned char *p, size_t n, const char *what)
{
    int c = 0;
    size_t k = strlen(what);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, what, k))
            c++;
    return c;
}

/* The same image placed by every row is embedded once in the combined PDF, though each row's document is gone. */
static void
test_images(vb_engine_t *e, const char *tmp)
{
    char png[1700], dir[1700], comb[1700], one[1700];
    snprintf(png, sizeof png, "%s/logo.png", tmp);
    snprintf(dir, sizeof dir, "%s/img", tmp);
    snprintf(comb, sizeof comb, "%s/img-all.pdf", tmp);
    snprintf(one, sizeof one, "%s/img/img-1.pdf", tmp);
    FILE *f = fopen(png, "wb");
    CHECK(f && fwrite(logo_png, 1, sizeof logo_png, f) == sizeof logo_png);
    if (f)
        fclose(f);
    img_rows_t r = {e, tmp};
    vb_render_options_t save = {.size = sizeof save};
    vb_batch_options_t o = {.size = sizeof o, .rows = 5, .jobs = 2, .out_dir = dir, .make = make_img_row,
                            .name = name_img_row, .ctx = &r, .combine = comb, .save = &save};
    vb_batch_result_t res;
    vb_diag_t d;
    CHECK_INT(vb_batch_run(&o, &res, &d), VB_OK);
    if (res.failed)
        fprintf(stderr, "  %s\n", res.failures[0].diag.msg);
    CHECK_INT(res.written, 5);
    CHECK_INT(res.combined_pages, 5);
    vb_batch_result_free(&res);
    size_t n1 = 0, nc = 0;
    unsigned char *p1 = slurp(one, &n1), *pc = slurp(comb, &nc);
    int in_one = p1 ? count_in(p1, n1, "/Subtype /Image") : -1;
    int in_all = pc ? count_in(pc, nc, "/Subtype /Image") : -2;
    CHECK(in_one >= 1);
    CHECK_INT(in_all, in_one);
    free(p1);
    free(pc);
    if (system("command -v qpdf >/dev/null") == 0) {
        char cmd[2000];
        snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", comb);
        CHECK_INT(system(cmd), 0);
    }
    remove_tree(dir);
    unlink(comb);
    unlink(png);
}

int
main(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d;
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "no engine: %s\n", d.msg);
        return 1;
    }
    char tmp[] = "/tmp/vb-batch-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    test_slices();
    test_shard_env();
    test_usage(e, tmp);
    test_names(e, tmp);
    test_shard_union(e, tmp);
    test_jobs(e, tmp);
    test_images(e, tmp);
    if (!getenv("VB_KEEP"))
        remove_tree(tmp);
    else
        fprintf(stderr, "kept %s\n", tmp);
    vb_engine_free(e);
    return check_done();
}
