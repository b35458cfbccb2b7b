/*
 * test_threads.c - one engine shared by threads, and what the engine keeps
 * for all its documents (issue 10, item 2).
 *
 *  - every sample (the .md files of samples/ and of its folders) is rendered once by a
 *    fresh engine on one thread: the reference PDFs;
 *  - then 8 threads render all of them on one other engine, each thread
 *    starting at a different sample, for several rounds, so that different
 *    documents are laid out at once and the engine's caches (compiled
 *    profiles, fonts, shaped words, subset font programs) are filled and read
 *    concurrently; every PDF must equal its reference byte for byte;
 *  - the caches were used (word and subset hits), and a warm render equals a
 *    cold one;
 *  - a broken profile in the layouts folder is skipped with a warning naming
 *    its file, line and column; the other profiles still serve, and naming
 *    the broken one is an error;
 *  - the regime scan reads only the profiles' heads and compiles the one a
 *    render picks: one whose head is fine but whose body is broken warns when
 *    first picked, not before, and once; one that writes valid_until after
 *    its other keys is skipped by the regime scan (profile.order) but still
 *    serves by id.
 *
 * Run it under ASan (build-asan) and once under TSan (tests/bench/README.md).
 * VB_THREAD_ROUNDS sets the rounds (default 2).
 */
#include <dirent.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "check.h"
#include "shape.h"
#include "subset.h"
#include "vanban.h"

#define NTHREADS 8

typedef struct sample {
    char *path;
    char *src;
    size_t len;
    unsigned char *ref; /* the single-threaded PDF */
    size_t ref_len;
} sample_t;

static sample_t *samples;
static int nsamples;
static char tmpdir[256];
static int rounds = 2;

static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && (buf = malloc((size_t)st.st_size + 1))) {
        *len = fread(buf, 1, (size_t)st.st_size, f);
        buf[*len] = 0;
    }
    fclose(f);
    return buf;
}

static vb_engine_t *
engine(const char *layouts, vb_diag_fn warn, void *ctx)
{
    vb_engine_options_t eo;
    memset(&eo, 0, sizeof eo);
    eo.size = sizeof eo;
    eo.layouts_dir = layouts;
    eo.on_diagnostic = warn;
    eo.diagnostic_ctx = ctx;
    vb_engine_t *e = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_engine_new(&eo, &e, &d), VB_OK);
    return e;
}

/* Renders sample s with e to a file of its own and returns its bytes (NULL on failure, with the message printed). */
static unsigned char *
render(vb_engine_t *e, const sample_t *s, const char *tag, size_t *len)
{
    char out[512];
    snprintf(out, sizeof out, "%s/%s.pdf", tmpdir, tag);
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_render_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.size = sizeof opt;
    if (vb_render_buffer(e, s->src, s->len, s->path, out, &opt, &d) != VB_OK) {
        char buf[1200];
        vb_diag_format(&d, buf, sizeof buf);
        fprintf(stderr, "render %s: %s\n", s->path, buf);
        return NULL;
    }
    unsigned char *pdf = slurp(out, len);
    unlink(out);
    return pdf;
}

static void
load_samples(void)
{
    glob_t g;
    memset(&g, 0, sizeof g);
    glob("samples/*.md", 0, NULL, &g);
    glob("samples/*/*.md", GLOB_APPEND, NULL, &g);
    samples = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof *samples);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        sample_t *s = &samples[nsamples];
        if (strncmp(g.gl_pathv[i], "samples/batch/", 14) == 0)
            continue;  /* batch templates: vanban batch renders them (tests/test_batch_samples.py) */
        s->path = strdup(g.gl_pathv[i]);
        s->src = (char *)slurp(s->path, &s->len);
        if (s->src)
            nsamples++;
        else
            free(s->path);
    }
    globfree(&g);
}

typedef struct worker {
    vb_engine_t *e;
    int id;
    int renders, mismatches, failures;
} worker_t;

static void *
work(void *arg)
{
    worker_t *w = arg;
    char tag[32];
    snprintf(tag, sizeof tag, "t%d", w->id);
    for (int r = 0; r < rounds; r++)
        for (int k = 0; k < nsamples; k++) {
            /* each thread starts at its own sample, so that different documents run at once */
            const sample_t *s = &samples[(k + w->id * nsamples / NTHREADS + r) % nsamples];
            size_t len = 0;
            unsigned char *pdf = render(w->e, s, tag, &len);
            w->renders++;
            if (!pdf)
                w->failures++;
            else if (len != s->ref_len || memcmp(pdf, s->ref, len)) {
                if (!w->mismatches)
                    fprintf(stderr, "thread %d: %s differs from the single-threaded render\n", w->id, s->path);
                w->mismatches++;
            }
            free(pdf);
        }
    return NULL;
}

/* The engine's fontset (there is one family list in the samples). */
static const vb_fontset_t *
engine_fonts(vb_engine_t *e)
{
    return e->fonts ? e->fonts->fs : NULL;
}

static void
test_threads(void)
{
    /* the references: a fresh engine, one thread */
    vb_engine_t *ref = engine("layouts", NULL, NULL);
    for (int i = 0; i < nsamples; i++) {
        samples[i].ref = render(ref, &samples[i], "ref", &samples[i].ref_len);
        CHECK(samples[i].ref != NULL);
    }
    vb_engine_free(ref);

    vb_engine_t *e = engine("layouts", NULL, NULL);
    worker_t w[NTHREADS];
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        w[i] = (worker_t){.e = e, .id = i};
        CHECK_INT(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    int renders = 0, mismatches = 0, failures = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
        renders += w[i].renders;
        mismatches += w[i].mismatches;
        failures += w[i].failures;
    }
    printf("threads: %d renders of %d samples by %d threads, %d rounds: %d failed, %d differ\n", renders, nsamples,
           NTHREADS, rounds, failures, mismatches);
    CHECK_INT(renders, NTHREADS * rounds * nsamples);
    CHECK_INT(failures, 0);
    CHECK_INT(mismatches, 0);

    /* the caches served: words were found, and font programs reused */
    const vb_fontset_t *fs = engine_fonts(e);
    CHECK(fs != NULL);
    if (fs) {
        long words = 0, hits = 0, misses = 0, programs = 0, shits = 0, smisses = 0;
        const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
        vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(r, VB_FACE_WORDS), &words, &hits, &misses);
        vb_subsetcache_stats((vb_subsetcache_t *)vb_font_cache(r, VB_FACE_SUBSETS), &programs, &shits, &smisses);
        printf("regular face: %ld words cached, %ld hits, %ld shaped; %ld subsets, %ld hits, %ld made\n", words, hits,
               misses, programs, shits, smisses);
        CHECK(words > 100);
        CHECK(hits > misses);
        CHECK(programs > 0 && programs <= VB_SUBSETCACHE_MAX_ENTRIES);
        CHECK(shits > smisses); /* every document rendered 16 times, each glyph set subset about once */
    }
    vb_engine_free(e);
}

/* ---- a broken profile in the layouts folder ---- */

typedef struct warnings {
    int n;
    vb_diag_t first;
} warnings_t;

static void
on_warning(const vb_diag_t *d, void *ctx)
{
    warnings_t *w = ctx;
    if (!w->n++)
        w->first = *d;
}

static void
copy_file(const char *from, const char *to)
{
    size_t len = 0;
    unsigned char *buf = slurp(from, &len);
    FILE *f = fopen(to, "wb");
    CHECK(buf && f);
    if (buf && f)
        fwrite(buf, 1, len, f);
    if (f)
        fclose(f);
    free(buf);
}

static const char *const shipped[] = {"party-36-2018.yaml", "party-05-2026.yaml", "state-30-2020.yaml"};

/* A layouts folder at dir holding copies of the three shipped profiles. */
static void
copy_layouts(const char *dir)
{
    char path[400];
    CHECK_INT(mkdir(dir, 0700), 0);
    for (int i = 0; i < 3; i++) {
        char from[100];
        snprintf(from, sizeof from, "layouts/%s", shipped[i]);
        snprintf(path, sizeof path, "%s/%s", dir, shipped[i]);
        copy_file(from, path);
    }
}

/* Removes copy_layouts' copies, then the folder (a test removes its own files there first). */
static void
remove_layouts(const char *dir)
{
    char path[400];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, shipped[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void
test_broken_profile(void)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/layouts", tmpdir);
    copy_layouts(dir);
    /* sorted first, so that it is compiled before the good ones */
    char broken[400];
    snprintf(broken, sizeof broken, "%s/aa-broken.yaml", dir);
    FILE *f = fopen(broken, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("id: aa-broken\nregime: party\npage: [\n", f);
        fclose(f);
    }

    warnings_t w;
    memset(&w, 0, sizeof w);
    vb_engine_t *e = engine(dir, on_warning, &w);
    const sample_t *seed = NULL;
    for (int i = 0; i < nsamples; i++)
        if (strstr(samples[i].path, "196-BC-DUK"))
            seed = &samples[i];
    CHECK(seed != NULL);
    if (seed) {
        size_t len = 0;
        unsigned char *pdf = render(e, seed, "broken", &len);
        CHECK(pdf != NULL);
        CHECK(pdf && len == seed->ref_len && !memcmp(pdf, seed->ref, len));
        free(pdf);
        /* a second render does not read the folder again: still one warning */
        pdf = render(e, seed, "broken", &len);
        CHECK(pdf != NULL);
        free(pdf);
    }
    CHECK_INT(w.n, 1);
    CHECK_INT(w.first.severity, VB_SEVERITY_WARNING);
    CHECK_STR(w.first.source, broken);
    CHECK_INT(w.first.line, 4); /* the flow sequence opened on line 3 never closes */
    CHECK(w.first.col > 0);
    CHECK(strstr(w.first.msg, "skipped") != NULL);

    /* named by id, the broken profile is an error with its position */
    if (seed) {
        vb_render_options_t opt;
        memset(&opt, 0, sizeof opt);
        opt.size = sizeof opt;
        opt.profile = "aa-broken";
        vb_diag_t d;
        memset(&d, 0, sizeof d);
        char out[400];
        snprintf(out, sizeof out, "%s/never.pdf", tmpdir);
        CHECK(vb_render_buffer(e, seed->src, seed->len, seed->path, out, &opt, &d) != VB_OK);
        CHECK_STR(d.source, broken);
        CHECK(d.line > 0);
        CHECK(access(out, F_OK) != 0);
    }
    vb_engine_free(e);
    unlink(broken);
    remove_layouts(dir);
}

/* ---- the regime scan reads heads; a profile is compiled when first picked ---- */

typedef struct allwarnings {
    int n;
    vb_diag_t w[4];
} allwarnings_t;

static void
on_any_warning(const vb_diag_t *d, void *ctx)
{
    allwarnings_t *w = ctx;
    if (w->n < 4)
        w->w[w->n] = *d;
    w->n++;
}

static const profinfo_t *
entry(const vb_engine_t *e, const char *path)
{
    for (const profinfo_t *p = e->profiles; p; p = p->next)
        if (!strcmp(p->path, path))
            return p;
    return NULL;
}

static void
test_lazy_profiles(void)
{
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/lazy", tmpdir);
    copy_layouts(dir);
    /* a fine head over a broken body, open dates: the regime scan picks it first for any party document */
    char late[400], order[400];
    snprintf(late, sizeof late, "%s/aa-late.yaml", dir);
    FILE *f = fopen(late, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("# a head the scan reads\nschema: 1\nid: aa-late\nregime: party\npage:\n  width: [\n", f);
        fclose(f);
    }
    /* party-36-2018 with valid_until written last: it compiles, but the scan read it as open-ended */
    snprintf(order, sizeof order, "%s/ab-order.yaml", dir);
    size_t len = 0;
    char *text = (char *)slurp("layouts/party-36-2018.yaml", &len);
    CHECK(text != NULL);
    char *vu = text ? strstr(text, "\nvalid_until:") : NULL;
    CHECK(vu != NULL);
    f = fopen(order, "w");
    CHECK(f != NULL);
    if (f && vu) {
        char *eol = strchr(vu + 1, '\n');
        fwrite(text, 1, (size_t)(vu + 1 - text), f);
        fputs(eol + 1, f);
        fputs("\nvalid_until: 2026-05-26\n", f);
    }
    if (f)
        fclose(f);
    free(text);

    allwarnings_t w;
    memset(&w, 0, sizeof w);
    vb_engine_t *e = engine(dir, on_any_warning, &w);
    const sample_t *seed = NULL;
    for (int i = 0; i < nsamples; i++)
        if (strstr(samples[i].path, "196-BC-DUK"))
            seed = &samples[i];
    CHECK(seed != NULL);
    if (seed && e) {
        /* named by id: the folder is scanned, only that profile compiled, no warning yet */
        vb_render_options_t opt;
        memset(&opt, 0, sizeof opt);
        opt.size = sizeof opt;
        opt.profile = "party-36-2018";
        vb_diag_t d;
        memset(&d, 0, sizeof d);
        char out[400];
        snprintf(out, sizeof out, "%s/lazy-id.pdf", tmpdir);
        CHECK_INT(vb_render_buffer(e, seed->src, seed->len, seed->path, out, &opt, &d), VB_OK);
        CHECK_INT(w.n, 0);
        snprintf(path, sizeof path, "%s/party-36-2018.yaml", dir);
        const profinfo_t *p36 = entry(e, path), *pl = entry(e, late), *po = entry(e, order);
        snprintf(path, sizeof path, "%s/party-05-2026.yaml", dir);
        const profinfo_t *p05 = entry(e, path);
        snprintf(path, sizeof path, "%s/state-30-2020.yaml", dir);
        const profinfo_t *p30 = entry(e, path);
        CHECK(p36 && pl && po && p05 && p30);
        if (p36 && pl && po && p05 && p30) {
            CHECK_INT(p36->state, 1);
            CHECK_INT(pl->state + po->state + p05->state + p30->state, 0);
            CHECK_STR(p30->regime, "state");
            CHECK_INT(p05->from, 20260527);
            CHECK_INT(p05->until, 99999999);
            CHECK_INT(po->until, 99999999); /* what the scan read: valid_until comes too late */
        }

        /* by regime: aa-late is picked first and does not compile (a warning at its error), ab-order
           compiles but disagrees with its head (a warning), party-36-2018 serves */
        size_t plen = 0;
        unsigned char *pdf = render(e, seed, "lazy", &plen);
        CHECK(pdf != NULL);
        CHECK(pdf && plen == seed->ref_len && !memcmp(pdf, seed->ref, plen));
        free(pdf);
        pdf = render(e, seed, "lazy2", &plen); /* each warned once */
        CHECK(pdf != NULL);
        free(pdf);
        CHECK_INT(w.n, 2);
        CHECK_STR(w.w[0].source, late);
        CHECK_INT(w.w[0].line, 7); /* the flow sequence opened on line 6 never closes */
        CHECK_INT(w.w[0].severity, VB_SEVERITY_WARNING);
        CHECK(strstr(w.w[0].msg, "skipped") != NULL);
        CHECK_STR(w.w[1].source, order);
        CHECK_STR(w.w[1].id, "profile.order");
        CHECK(strstr(w.w[1].msg, "\"valid_until\" is written after \"page\"") != NULL);
        CHECK(w.w[1].line > 0);
        if (p05 && p30)
            CHECK_INT(p05->state + p30->state, 0); /* never picked, never compiled */

        /* by id, ab-order serves (its order matters to the regime scan only); aa-late is an error */
        opt.profile = "ab-order";
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_render_buffer(e, seed->src, seed->len, seed->path, out, &opt, &d), VB_OK);
        opt.profile = "aa-late";
        memset(&d, 0, sizeof d);
        snprintf(out, sizeof out, "%s/never-late.pdf", tmpdir);
        CHECK(vb_render_buffer(e, seed->src, seed->len, seed->path, out, &opt, &d) != VB_OK);
        CHECK_STR(d.source, late);
        CHECK_INT(d.line, 7);
        CHECK(access(out, F_OK) != 0);
        CHECK_INT(w.n, 2);
    }
    vb_engine_free(e);
    unlink(late);
    unlink(order);
    snprintf(path, sizeof path, "%s/lazy-id.pdf", tmpdir);
    unlink(path);
    remove_layouts(dir);
}

int
main(void)
{
    const char *r = getenv("VB_THREAD_ROUNDS");
    if (r && atoi(r) > 0)
        rounds = atoi(r);
    snprintf(tmpdir, sizeof tmpdir, "%s/vb-threads-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    load_samples();
    CHECK(nsamples >= 40);
    test_threads();
    test_broken_profile();
    test_lazy_profiles();
    for (int i = 0; i < nsamples; i++) {
        free(samples[i].path);
        free(samples[i].src);
        free(samples[i].ref);
    }
    free(samples);
    rmdir(tmpdir);
    return check_done();
}
