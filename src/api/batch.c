/*
 * batch.c - the batch runner: one document per row, made by a caller's
 * function, saved by worker threads over one engine; the shard of the rows
 * this process renders, from a flag or a scheduler's environment.
 *
 * The order of the work (vb_batch_run):
 *  1. every row's file name, over all the rows (not only the shard's), each
 *     checked (safe_name) and compared with the others in capitals after NFC
 *     (a case-insensitive file system's view): any problem stops the batch
 *     before anything is written;
 *  2. the output folder (made when missing);
 *  3. the workers: each takes the next row of the shard (a counter under the
 *     lock), makes its document, saves it atomically (vb_document_save, not
 *     flushed) and frees it, or hands it to the combined PDF, which adds the
 *     documents strictly in row order (a document finished early waits in
 *     pending[]; a worker does not run more than `window` rows ahead of the
 *     combined PDF, so memory stays bounded);
 *  4. the folder flushed once; the combined PDF saved.
 * Every callback and counter is under one lock, so callbacks never run two at
 * once and `done` only grows. What is written depends only on the rows,
 * never on the threads or their timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "pdf.h"

/* At most this many worker threads, whatever the caller asks. */
#define MAX_JOBS 256
/* A file name's bytes at most (NAME_MAX of the usual file systems). */
#define MAX_NAME_BYTES 255

/* ------------------------------------------------------------ shards */

/* A whole number 0..1e9 (digits only, no sign, no spaces): true and *out, else false. */
static bool
parse_count(const char *s, long *out)
{
    if (!s || !*s)
        return false;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > 1000000000)
        return false;
    *out = v;
    return true;
}

static const char *
env_get(vb_getenv_fn env, void *ctx, const char *name)
{
    const char *v = env ? env(ctx, name) : NULL;
    return v && *v ? v : NULL;
}

static vb_status_t
shard_fail(vb_diag_t *d, const char *fmt, const char *a, const char *b)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0, "%s", msg);
}

/* Shows a value in a message: at most 40 bytes, control characters as '?'. */
static const char *
shown(const char *v, char *buf, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p && o + 1 < size && o < 40; p++)
        buf[o++] = *p < 0x20 || *p == 0x7F ? '?' : (char)*p;
    buf[o] = 0;
    return buf;
}

vb_status_t
vb_batch_shard(const char *flag, int count, vb_getenv_fn env, void *ctx, vb_batch_shard_t *out, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (!out)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "No shard to fill.");
    memset(out, 0, sizeof *out);
    out->index = out->count = 1;
    char b1[48], b2[48];
    long k = 0, n = 0;
    if (count < 0)
        return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0, "The shard count must be at least 1.");
    if (flag) {
        const char *slash = strchr(flag, '/');
        char kbuf[16];
        size_t kl = slash ? (size_t)(slash - flag) : 0;
        bool ok = slash && kl > 0 && kl < sizeof kbuf;
        if (ok) {
            memcpy(kbuf, flag, kl);
            kbuf[kl] = 0;
            ok = parse_count(kbuf, &k) && parse_count(slash + 1, &n);
        }
        if (!ok || k < 1 || n < 1 || k > n)
            return shard_fail(d, "--shard wants K/N with 1 <= K <= N (whole numbers), not '%s'%s.",
                              shown(flag, b1, sizeof b1), NULL);
        if (count > 0)
            return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0,
                               "--shard-count goes with GNU parallel's PARALLEL_JOBSLOT; with --shard K/N the count "
                               "is N.");
        snprintf(out->source, sizeof out->source, "--shard");
    } else if (env_get(env, ctx, "JOB_COMPLETION_INDEX")) {
        const char *iv = env_get(env, ctx, "JOB_COMPLETION_INDEX"), *cv = env_get(env, ctx, "JOB_COMPLETIONS");
        if (!parse_count(iv, &k))
            return shard_fail(d, "JOB_COMPLETION_INDEX must be a whole number, not '%s'%s.", shown(iv, b1, sizeof b1),
                              NULL);
        if (!cv)
            return shard_fail(d,
                              "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but JOB_COMPLETIONS is not: set "
                              "it in the manifest to the job's completions (docs/batch.md)%s%s.",
                              NULL, NULL);
        if (!parse_count(cv, &n) || n < 1)
            return shard_fail(d, "JOB_COMPLETIONS must be a whole number of at least 1, not '%s'%s.",
                              shown(cv, b1, sizeof b1), NULL);
        if (k >= n)
            return shard_fail(d, "JOB_COMPLETION_INDEX %s is outside 0..JOB_COMPLETIONS-1 (JOB_COMPLETIONS %s).",
                              shown(iv, b1, sizeof b1), shown(cv, b2, sizeof b2));
        k++;
        snprintf(out->source, sizeof out->source, "Kubernetes (JOB_COMPLETION_INDEX, JOB_COMPLETIONS)");
    } else if (env_get(env, ctx, "SLURM_ARRAY_TASK_ID")) {
        const char *iv = env_get(env, ctx, "SLURM_ARRAY_TASK_ID"), *mv = env_get(env, ctx, "SLURM_ARRAY_TASK_MIN"),
                   *cv = env_get(env, ctx, "SLURM_ARRAY_TASK_COUNT"), *sv = env_get(env, ctx, "SLURM_ARRAY_TASK_STEP");
        long id, mn, step = 1;
        if (!parse_count(iv, &id))
            return shard_fail(d, "SLURM_ARRAY_TASK_ID must be a whole number, not '%s'%s.", shown(iv, b1, sizeof b1),
                              NULL);
        if (!mv || !cv)
            return shard_fail(d,
                              "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN or SLURM_ARRAY_TASK_COUNT is "
                              "not: run vanban from an sbatch --array job (docs/batch.md)%s%s.",
                              NULL, NULL);
        if (!parse_count(mv, &mn))
            return shard_fail(d, "SLURM_ARRAY_TASK_MIN must be a whole number, not '%s'%s.", shown(mv, b1, sizeof b1),
                              NULL);
        if (!parse_count(cv, &n) || n < 1)
            return shard_fail(d, "SLURM_ARRAY_TASK_COUNT must be a whole number of at least 1, not '%s'%s.",
                              shown(cv, b1, sizeof b1), NULL);
        if (sv && (!parse_count(sv, &step) || step != 1))
            return shard_fail(d,
                              "SLURM_ARRAY_TASK_STEP is '%s': the array must be a range without steps, e.g. "
                              "--array=0-%s.",
                              shown(sv, b1, sizeof b1), "N-1");
        if (id < mn || id - mn >= n)
            return shard_fail(d,
                              "SLURM_ARRAY_TASK_ID %s is outside the array's range: the array must be one range "
                              "without gaps, e.g. --array=%s-N.",
                              shown(iv, b1, sizeof b1), shown(mv, b2, sizeof b2));
        k = id - mn + 1;
        snprintf(out->source, sizeof out->source, "Slurm (SLURM_ARRAY_TASK_ID, _MIN, _COUNT)");
    } else if (env_get(env, ctx, "PARALLEL_JOBSLOT")) {
        const char *iv = env_get(env, ctx, "PARALLEL_JOBSLOT"), *cv = env_get(env, ctx, "VANBAN_SHARDS");
        if (!parse_count(iv, &k) || k < 1)
            return shard_fail(d, "PARALLEL_JOBSLOT must be a whole number of at least 1, not '%s'%s.",
                              shown(iv, b1, sizeof b1), NULL);
        if (count > 0) {
            n = count;
            snprintf(out->source, sizeof out->source, "GNU parallel (PARALLEL_JOBSLOT, --shard-count)");
        } else if (cv) {
            if (!parse_count(cv, &n) || n < 1)
                return shard_fail(d, "VANBAN_SHARDS must be a whole number of at least 1, not '%s'%s.",
                                  shown(cv, b1, sizeof b1), NULL);
            snprintf(out->source, sizeof out->source, "GNU parallel (PARALLEL_JOBSLOT, VANBAN_SHARDS)");
        } else {
            return shard_fail(d,
                              "PARALLEL_JOBSLOT is set (GNU parallel) but not the number of shards: give "
                              "--shard-count N or VANBAN_SHARDS=N, with parallel -j N (docs/batch.md)%s%s.",
                              NULL, NULL);
        }
        if (k > n)
            return shard_fail(d, "PARALLEL_JOBSLOT %s is above the number of shards %s: run parallel with -j N.",
                              shown(iv, b1, sizeof b1), count > 0 ? "(--shard-count)" : "(VANBAN_SHARDS)");
    } else {
        if (count > 0)
            return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0,
                               "--shard-count is given but PARALLEL_JOBSLOT is not set: it is for jobs run by GNU "
                               "parallel; elsewhere give --shard K/N.");
        if (env_get(env, ctx, "VANBAN_SHARDS"))
            return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0,
                               "VANBAN_SHARDS is set but PARALLEL_JOBSLOT is not: it is for jobs run by GNU "
                               "parallel; elsewhere give --shard K/N.");
        return VB_OK;
    }
    out->index = (int)k;
    out->count = (int)n;
    return VB_OK;
}

void
vb_batch_slice(int nrows, int index, int count, int *first, int *end)
{
    if (nrows < 0)
        nrows = 0;
    if (count < 1 || index < 1 || index > count)
        index = count = 1;
    if (first)
        *first = (int)((int64_t)(index - 1) * nrows / count);
    if (end)
        *end = (int)((int64_t)index * nrows / count);
}

/* ------------------------------------------------------------ names */

/* Why name cannot be a file of the output folder, or NULL when it can. */
static const char *
unsafe_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return "it is empty";
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return "it names a folder";
    if (name[0] == '.')
        return "it starts with \".\" (a hidden file)";
    if (n > MAX_NAME_BYTES)
        return "it is longer than 255 bytes";
    for (size_t o = 0; o < n;) {
        unsigned char c = (unsigned char)name[o];
        if (c == '/' || c == '\\')
            return "it holds a folder separator (\"/\" or \"\\\")";
        if (c < 0x20 || c == 0x7F)
            return "it holds a control character";
        uint32_t cp;
        int l = vb_utf8_decode(name + o, n - o, &cp);
        if (l <= 0)
            return "it is not valid UTF-8";
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
            return "it holds a control character";
        o += (size_t)l;
    }
    return NULL;
}

/* A name as shown in a message: control characters as \xNN, at most ~200 bytes. */
static void
show_name(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 6 < size && o < 200; p++) {
        if (*p < 0x20 || *p == 0x7F)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", *p);
        else
            buf[o++] = (char)*p;
    }
    buf[o] = 0;
}

typedef struct key {
    const char *k;   /* the name in capitals, NFC */
    int row;
} name_key_t;

static int
cmp_key(const void *a, const void *b)
{
    const name_key_t *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The last component of path, and whether its folder is the folder dir (both resolved). */
static bool
same_folder(const char *path, const char *dir)
{
    const char *slash = strrchr(path, '/');
    char *pd = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *rp = pd ? realpath(pd, NULL) : NULL;
    char *rd = realpath(dir, NULL);
    bool same = rp && rd && !strcmp(rp, rd);
    free(pd);
    free(rp);
    free(rd);
    return same;
}

/* ------------------------------------------------------------ the run */

typedef struct runner {
    vb_batch_options_t o;
    vb_render_options_t save; /* the caller's save options, durable off */
    int first, end;
    char **names;             /* every row's (vb_free) */
    char **paths;             /* the shard's rows: out_dir/name (malloc'd) */
    pthread_mutex_t lock;     /* everything below, and every callback */
    pthread_cond_t moved;     /* the combined PDF took a document */
    int next;                 /* the next row to take */
    int done, failed, written;
    vb_batch_failure_t *failures;
    int nfail, capfail;
    bool nomem;               /* a failure could not be kept */
    /* the combined PDF */
    vb_pdf_book_t *book;
    vb_document_t **pending;  /* a finished row's document waiting for its turn (index: row - first) */
    unsigned char *finished;  /* 1 when the row is done (its document in pending, or failed) */
    int cnext;                /* the next row the combined PDF takes */
    int window;               /* rows a worker may run ahead of cnext */
    vb_status_t book_status;
    vb_diag_t book_diag;
} runner_t;

static void
keep_failure(runner_t *r, int row, const vb_diag_t *dg)
{
    if (r->nfail == r->capfail) {
        int ncap = r->capfail ? r->capfail * 2 : 16;
        vb_batch_failure_t *nv = realloc(r->failures, sizeof *nv * (size_t)ncap);
        if (!nv) {
            r->nomem = true;
            return;
        }
        r->failures = nv;
        r->capfail = ncap;
    }
    r->failures[r->nfail].row = row;
    r->failures[r->nfail].diag = *dg;
    r->nfail++;
}

/* Adds the finished rows to the combined PDF in row order (under the lock). */
static void
combine_ready(runner_t *r)
{
    while (r->cnext < r->end && r->finished[r->cnext - r->first]) {
        int i = r->cnext - r->first;
        vb_document_t *doc = r->pending[i];
        r->pending[i] = NULL;
        if (doc && r->book_status == VB_OK) {
            vb_diag_t dg;
            memset(&dg, 0, sizeof dg);
            vb_status_t st = vb_pdf_book_add(r->book, &doc->dl, doc->fonts, r->names[r->cnext], &dg);
            if (st != VB_OK) {
                r->book_status = st;
                r->book_diag = dg;
            }
        }
        vb_document_free(doc);
        r->cnext++;
    }
    pthread_cond_broadcast(&r->moved);
}

static void *
worker(void *arg)
{
    runner_t *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        if (r->next >= r->end)
            break;
        if (r->book && r->next - r->cnext >= r->window) {
            pthread_cond_wait(&r->moved, &r->lock);
            continue;
        }
        int row = r->next++;
        pthread_mutex_unlock(&r->lock);

        vb_diag_t dg;
        memset(&dg, 0, sizeof dg);
        vb_document_t *doc = NULL;
        vb_status_t st = r->o.make(r->o.ctx, row, &doc, &dg);
        if (st == VB_OK && !doc)
            st = vb_diag_set(&dg, VB_E_USAGE, "batch.make", NULL, 0, 0, "The make function gave no document.");
        if (st != VB_OK) {
            vb_document_free(doc);
            doc = NULL;
            if (dg.code == VB_OK)
                vb_diag_set(&dg, st, "batch.make", NULL, 0, 0, "Row %d could not be made.", row + 1);
        }
        const char *path = r->paths[row - r->first];
        if (st == VB_OK)
            st = vb_document_save(doc, path, &r->save, &dg);

        pthread_mutex_lock(&r->lock);
        r->done++;
        if (st == VB_OK) {
            r->written++;
        } else {
            r->failed++;
            keep_failure(r, row, &dg);
        }
        if (r->o.on_row) {
            vb_batch_row_t br = {.row = row,
                                 .status = st,
                                 .name = r->names[row],
                                 .path = st == VB_OK ? path : NULL,
                                 .diag = st == VB_OK ? NULL : &dg,
                                 .doc = doc};
            r->o.on_row(r->o.callback_ctx, &br);
        }
        if (r->o.progress)
            r->o.progress(r->o.callback_ctx, r->done, r->end - r->first, r->failed);
        if (r->book) {
            r->pending[row - r->first] = st == VB_OK ? doc : NULL;
            r->finished[row - r->first] = 1;
            if (st != VB_OK)
                vb_document_free(doc);
            doc = NULL;
            combine_ready(r);
        }
        if (doc) {
            /* freed outside the lock: another worker may report meanwhile */
            pthread_mutex_unlock(&r->lock);
            vb_document_free(doc);
            pthread_mutex_lock(&r->lock);
        }
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static int
cmp_failure(const void *a, const void *b)
{
    const vb_batch_failure_t *x = a, *y = b;
    return (x->row > y->row) - (x->row < y->row);
}

static vb_status_t
read_options(const vb_batch_options_t *opt, vb_batch_options_t *o, vb_diag_t *d)
{
    if (!opt)
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0, "No batch options.");
    if (opt->size == 0)
        return vb_diag_set(d, VB_E_USAGE, "options.size", NULL, 0, 0,
                           "The batch options have size 0: set size to sizeof(vb_batch_options_t).");
    vb_status_t rc = vb_options_copy(opt, opt->size, sizeof *o, o, "vb_batch_options_t", d);
    o->size = sizeof *o;
    if (rc != VB_OK)
        return rc;
    if (o->rows < 0 || !o->make || !o->name || !o->out_dir || !o->out_dir[0])
        return vb_diag_set(d, VB_E_USAGE, "usage", NULL, 0, 0,
                           "The batch needs a row count, a make and a name function and an output folder.");
    if (o->jobs < 0)
        return vb_diag_set(d, VB_E_USAGE, "batch.jobs", NULL, 0, 0, "The number of jobs must be 0 or more.");
    if (!(o->shard_index == 0 && o->shard_count == 0) &&
        (o->shard_count < 1 || o->shard_index < 1 || o->shard_index > o->shard_count))
        return vb_diag_set(d, VB_E_USAGE, "batch.shard", NULL, 0, 0,
                           "The shard %d/%d is not one of 1/N .. N/N.", o->shard_index, o->shard_count);
    return VB_OK;
}

/* Every row's name, checked and compared (step 1). Refused names go to on_row; the first to d. */
static vb_status_t
make_names(runner_t *r, vb_diag_t *d)
{
    int n = r->o.rows;
    r->names = calloc((size_t)(n ? n : 1), sizeof *r->names);
    if (!r->names)
        return vb_diag_nomem(d);
    vb_status_t first = VB_OK;
    char shown_a[1300], shown_b[1300];
    for (int row = 0; row < n; row++) {
        vb_diag_t dg;
        memset(&dg, 0, sizeof dg);
        char *name = NULL;
        vb_status_t st = r->o.name(r->o.ctx, row, &name, &dg);
        if (st == VB_OK && !name)
            st = vb_diag_nomem(&dg);
        const char *why = st == VB_OK ? unsafe_name(name) : NULL;
        if (why) {
            show_name(name, shown_a, sizeof shown_a);
            st = vb_diag_set(&dg, VB_E_INPUT, "batch.name-unsafe", NULL, 0, 0,
                             "Row %d's file name \"%s\" cannot be used: %s.", row + 1, shown_a, why);
        }
        if (st != VB_OK) {
            vb_free(name);
            name = NULL;
            if (dg.code == VB_OK)
                vb_diag_set(&dg, st, "batch.name", NULL, 0, 0, "Row %d has no file name.", row + 1);
            if (first == VB_OK) {
                first = st;
                *d = dg;
            }
            if (r->o.on_row) {
                vb_batch_row_t br = {.row = row, .status = st, .name = NULL, .path = NULL, .diag = &dg, .doc = NULL};
                r->o.on_row(r->o.callback_ctx, &br);
            }
            if (st == VB_E_NOMEM)
                return st;
        }
        r->names[row] = name;
    }
    if (first != VB_OK)
        return first;
    /* duplicates: as a case-insensitive file system sees them (capitals, NFC) */
    vb_arena_t *a = vb_arena_new();
    name_key_t *keys = malloc(sizeof *keys * (size_t)(n + 1));
    if (!a || !keys) {
        vb_arena_free(a);
        free(keys);
        return vb_diag_nomem(d);
    }
    for (int row = 0; row < n; row++) {
        size_t kl;
        keys[row].k = vb_text_upper(a, r->names[row], strlen(r->names[row]), &kl);
        keys[row].row = row;
        if (!keys[row].k) {
            vb_arena_free(a);
            free(keys);
            return vb_diag_nomem(d);
        }
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_key);
    for (int i = 1; i < n; i++) {
        if (strcmp(keys[i].k, keys[i - 1].k))
            continue;
        /* the first row of the group is the one each later row is compared with */
        int j = i - 1;
        while (j > 0 && !strcmp(keys[j - 1].k, keys[i].k))
            j--;
        int ra = keys[j].row, rb = keys[i].row;
        vb_diag_t dg;
        memset(&dg, 0, sizeof dg);
        show_name(r->names[ra], shown_a, sizeof shown_a);
        show_name(r->names[rb], shown_b, sizeof shown_b);
        if (!strcmp(r->names[ra], r->names[rb]))
            vb_diag_set(&dg, VB_E_INPUT, "batch.name-duplicate", NULL, 0, 0,
                        "Rows %d and %d both give the file name \"%s\": each row needs its own (--name).", ra + 1,
                        rb + 1, shown_a);
        else
            vb_diag_set(&dg, VB_E_INPUT, "batch.name-duplicate", NULL, 0, 0,
                        "Rows %d and %d give the file names \"%s\" and \"%s\", one file on a case-insensitive file "
                        "system (Windows, macOS): each row needs its own (--name).",
                        ra + 1, rb + 1, shown_a, shown_b);
        if (first == VB_OK) {
            first = VB_E_INPUT;
            *d = dg;
        }
        if (r->o.on_row) {
            vb_batch_row_t br = {.row = rb, .status = VB_E_INPUT, .name = r->names[rb], .diag = &dg};
            r->o.on_row(r->o.callback_ctx, &br);
        }
    }
    /* the combined PDF in the output folder must not take a row's name */
    if (first == VB_OK && r->o.combine) {
        const char *slash = strrchr(r->o.combine, '/');
        const char *base = slash ? slash + 1 : r->o.combine;
        size_t kl;
        const char *ck = vb_text_upper(a, base, strlen(base), &kl);
        const name_key_t *hit = NULL;
        for (int i = 0; ck && !hit && i < n; i++)
            if (!strcmp(keys[i].k, ck))
                hit = &keys[i];
        if (hit) {
            struct stat st;
            bool same = stat(r->o.out_dir, &st) == 0 ? same_folder(r->o.combine, r->o.out_dir) : false;
            if (!same && stat(r->o.out_dir, &st) != 0) {
                /* the folder is made later: the combined file names it when its folder part is out_dir as typed */
                size_t dl = strlen(r->o.out_dir);
                same = slash && (size_t)(slash - r->o.combine) == dl && !strncmp(r->o.combine, r->o.out_dir, dl);
            }
            if (same) {
                show_name(r->names[hit->row], shown_a, sizeof shown_a);
                first = vb_diag_set(d, VB_E_INPUT, "batch.name-duplicate", NULL, 0, 0,
                                    "Row %d's file name \"%s\" is the combined PDF's (--combine %s): choose "
                                    "another name or folder.",
                                    hit->row + 1, shown_a, base);
            }
        }
    }
    vb_arena_free(a);
    free(keys);
    return first;
}

/* The output folder: made (one level) when missing; a folder in any case. */
static vb_status_t
make_folder(const char *dir, vb_diag_t *d)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            return vb_diag_set(d, VB_E_IO, "io.output-dir", dir, 0, 0, "Cannot make the output folder %s: %s.",
                               dir, strerror(errno));
        if (stat(dir, &st) != 0)
            return vb_diag_set(d, VB_E_IO, "io.output-dir", dir, 0, 0, "Cannot use the output folder %s: %s.", dir,
                               strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return vb_diag_set(d, VB_E_IO, "io.output-dir", dir, 0, 0, "The output %s is not a folder.", dir);
    return VB_OK;
}

static vb_status_t
sync_folder(const char *dir, vb_diag_t *d)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && fsync(fd) == 0) {
        close(fd);
        return VB_OK;
    }
    int err = errno;
    if (fd >= 0)
        close(fd);
    return vb_diag_set(d, VB_E_IO, "io.write", dir, 0, 0, "Cannot flush the output folder %s: %s.", dir,
                       strerror(err));
}

/* The combined PDF's title: its file name without the folder and ".pdf". */
static char *
combine_title(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && !strcasecmp(base + n - 4, ".pdf"))
        n -= 4;
    return strndup(base, n);
}

static void
runner_free(runner_t *r)
{
    for (int i = 0; r->names && i < r->o.rows; i++)
        vb_free(r->names[i]);
    free(r->names);
    for (int i = 0; r->paths && i < r->end - r->first; i++)
        free(r->paths[i]);
    free(r->paths);
    for (int i = 0; r->pending && i < r->end - r->first; i++)
        vb_document_free(r->pending[i]);
    free(r->pending);
    free(r->finished);
    free(r->failures);
    vb_pdf_book_free(r->book);
}

vb_status_t
vb_batch_run(const vb_batch_options_t *opt, vb_batch_result_t *res, vb_diag_t *d)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(d, local);
    if (res)
        memset(res, 0, sizeof *res);
    runner_t r;
    memset(&r, 0, sizeof r);
    vb_status_t rc = read_options(opt, &r.o, d);
    if (rc == VB_OK)
        rc = vb_render_options_read(r.o.save, &r.save, d);
    if (rc != VB_OK)
        return rc;
    r.save.durable = 0; /* one flush of the folder at the end */
    int k = r.o.shard_count ? r.o.shard_index : 1, n = r.o.shard_count ? r.o.shard_count : 1;
    vb_batch_slice(r.o.rows, k, n, &r.first, &r.end);
    int total = r.end - r.first;
    if (res) {
        res->first = r.first;
        res->end = r.end;
    }
    if ((rc = make_names(&r, d)) != VB_OK || (rc = make_folder(r.o.out_dir, d)) != VB_OK) {
        runner_free(&r);
        return rc;
    }
    /* the shard's paths */
    r.paths = calloc((size_t)(total ? total : 1), sizeof *r.paths);
    if (!r.paths) {
        runner_free(&r);
        return vb_diag_nomem(d);
    }
    size_t dl = strlen(r.o.out_dir);
    bool slash = dl > 0 && r.o.out_dir[dl - 1] == '/';
    for (int i = 0; i < total; i++) {
        const char *nm = r.names[r.first + i];
        size_t len = dl + 1 + strlen(nm) + 1;
        if (!(r.paths[i] = malloc(len))) {
            runner_free(&r);
            return vb_diag_nomem(d);
        }
        snprintf(r.paths[i], len, "%s%s%s", r.o.out_dir, slash ? "" : "/", nm);
    }
    /* the threads */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = r.o.jobs > 0 ? r.o.jobs : cores > 0 ? (int)(cores < MAX_JOBS ? cores : MAX_JOBS) : 1;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > total)
        jobs = total > 0 ? total : 1;
    if (r.o.combine) {
        char *title = combine_title(r.o.combine);
        r.pending = calloc((size_t)(total ? total : 1), sizeof *r.pending);
        r.finished = calloc((size_t)(total ? total : 1), 1);
        if (!title || !r.pending || !r.finished) {
            free(title);
            runner_free(&r);
            return vb_diag_nomem(d);
        }
        rc = vb_pdf_book_new(title, &r.book, d);
        free(title);
        if (rc != VB_OK) {
            runner_free(&r);
            return rc;
        }
        r.window = 4 * jobs;
        r.cnext = r.first;
    }
    r.next = r.first;
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.moved, NULL);
    pthread_t th[MAX_JOBS];
    int started = 0;
    for (int i = 1; i < jobs; i++) {
        if (pthread_create(&th[started], NULL, worker, &r) != 0)
            break; /* fewer threads: the same files, later */
        started++;
    }
    worker(&r);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_cond_destroy(&r.moved);
    pthread_mutex_destroy(&r.lock);

    if (r.nfail > 1)
        qsort(r.failures, (size_t)r.nfail, sizeof *r.failures, cmp_failure);
    if (r.nomem)
        rc = vb_diag_nomem(d);
    if (rc == VB_OK && r.written > 0)
        rc = sync_folder(r.o.out_dir, d);
    if (r.book && rc == VB_OK) {
        if (r.book_status != VB_OK) {
            rc = r.book_status;
            *d = r.book_diag;
        } else if (vb_pdf_book_pages(r.book) == 0) {
            rc = vb_diag_set(d, VB_E_INPUT, "batch.combine-empty", r.o.combine, 0, 0,
                             "No row was written: the combined PDF %s was not written.", r.o.combine);
        } else {
            rc = vb_pdf_book_save(r.book, r.o.combine, r.save.on_tempfile, r.save.tempfile_ctx, true, d);
        }
        if (rc == VB_OK && res)
            res->combined_pages = vb_pdf_book_pages(r.book);
    }
    if (res) {
        res->written = r.written;
        res->failed = r.failed;
        res->failures = r.failures;
        res->jobs = jobs;
        r.failures = NULL;
    }
    runner_free(&r);
    return rc;
}

void
vb_batch_result_free(vb_batch_result_t *res)
{
    if (!res)
        return;
    free(res->failures);
    res->failures = NULL;
}
