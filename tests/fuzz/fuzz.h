/*
 * fuzz.h - what the libFuzzer harnesses share: the entry points, and the
 * check that a failing call ends cleanly.
 *
 * Each harness (fuzz_<name>.c) defines LLVMFuzzerInitialize and
 * LLVMFuzzerTestOneInput. Built with VB_FUZZ (clang, -fsanitize=fuzzer)
 * libFuzzer drives them; in every other build replay.c drives them over the
 * files of tests/regress/<name>/ and the seed corpus, so the inputs that once
 * crashed are replayed by ctest in the normal and the sanitizer builds.
 */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A clean end: success, or a failure class with a stable id, a message and a
 * source name (when the call had one). Anything else is a bug: abort, which
 * libFuzzer and the replay test both report as a crash.
 */
static inline void
fuzz_check(vb_status_t rc, const vb_diag_t *d, const char *what)
{
    /* VB_FUZZ_VERBOSE=1: print each outcome (to see what a corpus reaches) */
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("VB_FUZZ_VERBOSE") != NULL;
    if (verbose) {
        char buf[1200];
        vb_diag_format(d, buf, sizeof buf);
        fprintf(stderr, "%s: %s\n", what, rc == VB_OK ? "ok" : buf);
    }
    if (rc == VB_OK)
        return;
    if (rc < VB_E_NOMEM || rc > VB_E_USAGE || d->code != rc || !d->id[0] || !d->msg[0] ||
        memchr(d->id, 0, sizeof d->id) == NULL || memchr(d->msg, 0, sizeof d->msg) == NULL) {
        fprintf(stderr, "%s: unclean failure: status %d, diag code %d, id \"%.*s\", message \"%.*s\"\n", what,
                (int)rc, (int)d->code, (int)sizeof d->id, d->id, (int)sizeof d->msg, d->msg);
        abort();
    }
    /* an allocation failure is not a fuzzing result: inputs are bounded */
    if (rc == VB_E_NOMEM) {
        fprintf(stderr, "%s: out of memory on a small input: %s\n", what, d->msg);
        abort();
    }
}

/* For the harnesses that need no start-up work. */
#define FUZZ_NO_INITIALIZE                                    \
    int LLVMFuzzerInitialize(int *argc, char ***argv)         \
    {                                                         \
        (void)argc;                                           \
        (void)argv;                                           \
        return 0;                                             \
    }

/* A fresh arena (abort without one: inputs are bounded). */
static inline vb_arena_t *
fuzz_arena(void)
{
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        abort();
    return arena;
}

/* The directory of the source tree (layouts/, tests/fonts.conf), set by CMake. */
#ifndef VB_FUZZ_SOURCE_DIR
#define VB_FUZZ_SOURCE_DIR "."
#endif

/*
 * After a successful render: the output must begin as a PDF; it is removed
 * for the next run. who names the harness in the report.
 */
static inline void
fuzz_expect_pdf(const char *who, const char *path)
{
    char head[5] = {0};
    FILE *f = fopen(path, "rb");
    if (!f || fread(head, 1, sizeof head, f) != sizeof head || memcmp(head, "%PDF-", 5) != 0) {
        fprintf(stderr, "%s: success without a PDF in %s\n", who, path);
        abort();
    }
    fclose(f);
    remove(path);
}

#endif
