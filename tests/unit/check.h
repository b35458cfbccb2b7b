/*
 * check.h - the tiny harness of the unit tests: CHECK, CHECK_INT, CHECK_STR.
 * Each failing check prints file:line and the values; main returns
 * check_done(), which prints "N passed, M failed" and is non-zero on failure.
 */
#ifndef VB_TEST_CHECK_H
#define VB_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

#define CHECK_INT(a, b)                                                                          \
    do {                                                                                         \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                     \
        if (va_ == vb_) {                                                                        \
            check_passed++;                                                                      \
        } else {                                                                                 \
            check_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, va_, vb_); \
        }                                                                                        \
    } while (0)

#define CHECK_STR(a, b)                                                                             \
    do {                                                                                            \
        const char *sa_ = (a), *sb_ = (b);                                                          \
        if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                                  \
            check_passed++;                                                                         \
        } else {                                                                                    \
            check_failed++;                                                                         \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,        \
                    sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                                    \
        }                                                                                           \
    } while (0)

static int
check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
