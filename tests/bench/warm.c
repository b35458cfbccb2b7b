/*
 * warm.c - a warm engine: how long one document takes once the engine has
 * opened its fonts, compiled its profiles and filled its caches.
 *
 *   build/bench_warm [N] [SEED]      (cwd = project root; N default 50)
 *
 * Makes one engine, renders the seed report (samples/196-BC-DUK.md, or SEED)
 * and a minimal document (front matter and one paragraph) once each to warm
 * the engine, then N times each, and prints the median, minimum and maximum
 * wall time per document and the median CPU time of the thread (steadier on a
 * loaded machine). The PDF goes to a file in /dev/shm (TMPDIR when
 * there is none), so the figures include writing it but not a disk.
 *
 * Instructions per document: each measured loop is a function of its own
 * (loop_seed, loop_minimal), so callgrind can count it alone:
 *
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=loop_seed \
 *       build/bench_warm 10
 *
 * and the total of "Collected" over N is the instructions per warm document.
 * Nothing is asserted: this is not a ctest test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vanban.h"

static const char minimal_doc[] = "---\n"
                                  "parent: ĐẢNG BỘ TỈNH THANH HOÁ\n"
                                  "issuer: ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH\n"
                                  "number: 01-BC/ĐUK\n"
                                  "place: Thanh Hoá\n"
                                  "date: 2023-07-06\n"
                                  "---\n"
                                  "\n"
                                  "Một đoạn văn ngắn.\n";

typedef struct doc {
    const char *name;
    const char *src;
    size_t len;
} doc_t;

static double
clock_ms(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int
render(vb_engine_t *e, const doc_t *doc, const char *out)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_render_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.size = sizeof opt;
    if (vb_render_buffer(e, doc->src, doc->len, doc->name, out, &opt, &d) != VB_OK) {
        char buf[1024];
        vb_diag_format(&d, buf, sizeof buf);
        fprintf(stderr, "bench_warm: %s\n", buf);
        return -1;
    }
    return 0;
}

/* The measured loops: not inlined, so that callgrind's --toggle-collect can name them. */
/* ms[i]: wall time of render i; cpu[i]: the thread's CPU time, which a loaded machine disturbs less */
__attribute__((noinline)) static int
loop(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms, double *cpu)
{
    for (int i = 0; i < n; i++) {
        double t0 = now_ms(), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
        if (render(e, doc, out))
            return -1;
        ms[i] = now_ms() - t0;
        cpu[i] = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    }
    return 0;
}

typedef int (*loop_fn)(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms, double *cpu);
__attribute__((noinline)) int loop_seed(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms,
                                        double *cpu);
__attribute__((noinline)) int loop_minimal(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms,
                                           double *cpu);

int
loop_seed(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms, double *cpu)
{
    return loop(e, doc, out, n, ms, cpu);
}

int
loop_minimal(vb_engine_t *e, const doc_t *doc, const char *out, int n, double *ms, double *cpu)
{
    return loop(e, doc, out, n, ms, cpu);
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 50;
    const char *seed_path = argc > 2 ? argv[2] : "samples/196-BC-DUK.md";
    if (n < 1)
        n = 1;
    size_t seed_len = 0;
    char *seed_src = slurp(seed_path, &seed_len);
    if (!seed_src) {
        fprintf(stderr, "bench_warm: cannot read %s (run from the project root)\n", seed_path);
        return 2;
    }
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char out[512];
    snprintf(out, sizeof out, "%s/vb-bench-warm-%ld.pdf", dir, (long)getpid());

    vb_engine_options_t eo;
    memset(&eo, 0, sizeof eo);
    eo.size = sizeof eo;
    eo.layouts_dir = "layouts";
    vb_engine_t *e = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "bench_warm: no engine: %s\n", d.msg);
        return 2;
    }
    doc_t docs[2] = {{seed_path, seed_src, seed_len}, {"minimal.md", minimal_doc, sizeof minimal_doc - 1}};
    loop_fn loops[2] = {loop_seed, loop_minimal};
    double *ms = calloc((size_t)n, sizeof *ms), *cpu = calloc((size_t)n, sizeof *cpu);
    int rc = ms && cpu ? 0 : 2;
    printf("%-10s %6s %10s %10s %10s %10s %10s\n", "document", "N", "median ms", "min ms", "max ms", "cpu ms",
           "PDF bytes");
    for (int k = 0; k < 2 && !rc; k++) {
        double t0 = now_ms();
        if (render(e, &docs[k], out)) { /* warm-up: fonts, profiles, caches */
            rc = 1;
            break;
        }
        double first = now_ms() - t0;
        if (loops[k](e, &docs[k], out, n, ms, cpu)) {
            rc = 1;
            break;
        }
        qsort(ms, (size_t)n, sizeof *ms, cmp_double);
        qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
        FILE *f = fopen(out, "rb");
        long size = -1;
        if (f && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        if (f)
            fclose(f);
        printf("%-10s %6d %10.2f %10.2f %10.2f %10.2f %10ld   (first render %.1f ms)\n", k ? "minimal" : "seed",
               n, ms[n / 2], ms[0], ms[n - 1], cpu[n / 2], size, first);
    }
    unlink(out);
    free(ms);
    free(cpu);
    free(seed_src);
    vb_engine_free(e);
    return rc;
}
