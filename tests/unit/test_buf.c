/*
 * test_buf.c - the growable byte buffer of base.c (vb_buf_t): appends,
 * printf-appends past any fixed size, reserve, clear, take, and the sticky
 * out-of-memory state every user checks once at the end.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base.h"
#include "check.h"

static void
test_appends(void)
{
    vb_buf_t b = {0};
    CHECK_INT(vb_buf_add(&b, "ab", 2), 0);
    CHECK_INT(vb_buf_puts(&b, "cd"), 0);
    CHECK_INT(vb_buf_putc(&b, 'e'), 0);
    CHECK_INT(vb_buf_printf(&b, "[%d|%s|%02d]", -12, "x", 7), 0);
    CHECK_STR(b.p, "abcde[-12|x|07]");
    CHECK_INT(b.n, 15);
    /* an empty append still gives a NUL-terminated, non-NULL text */
    vb_buf_t e = {0};
    CHECK_INT(vb_buf_add(&e, "", 0), 0);
    CHECK(e.p != NULL && e.p[0] == 0 && e.n == 0);
    vb_buf_free(&e);
    CHECK(e.p == NULL && e.n == 0 && e.cap == 0);
    /* clear keeps the storage */
    size_t cap = b.cap;
    vb_buf_clear(&b);
    CHECK_INT(b.n, 0);
    CHECK_STR(b.p, "");
    CHECK_INT(b.cap, cap);
    vb_buf_free(&b);
}

static void
test_growth(void)
{
    vb_buf_t b = {0};
    /* 100 000 appends of 10 bytes: 1 MB, grown by doubling, every byte in place */
    for (int i = 0; i < 100000; i++)
        CHECK_INT(vb_buf_add(&b, "0123456789", 10), 0);
    CHECK_INT(b.n, 1000000);
    CHECK(b.cap > b.n);
    CHECK(b.p[999999] == '9' && b.p[500000] == '0' && b.p[1000000] == 0);
    /* a printf far longer than any fixed scratch (the dump once cut at 255 bytes) */
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    vb_buf_clear(&b);
    CHECK_INT(vb_buf_printf(&b, "<%s>", big), 0);
    CHECK_INT(b.n, 5001);
    CHECK(b.p[0] == '<' && b.p[5000] == '>' && b.p[5001] == 0);
    /* reserve makes room without changing the text */
    CHECK(vb_buf_reserve(&b, 1 << 20));
    CHECK(b.cap >= b.n + (1 << 20) + 1);
    CHECK_INT(b.n, 5001);
    vb_buf_free(&b);
}

static void
test_take(void)
{
    vb_buf_t b = {0};
    size_t len = 99;
    char *s = vb_buf_take(&b, &len); /* nothing added: "" */
    CHECK(s != NULL);
    CHECK_STR(s, "");
    CHECK_INT(len, 0);
    free(s);
    vb_buf_puts(&b, "văn bản");
    s = vb_buf_take(&b, &len);
    CHECK_STR(s, "văn bản");
    CHECK_INT(len, strlen("văn bản"));
    CHECK(b.p == NULL && b.n == 0 && !b.oom); /* the buffer is empty and reusable */
    free(s);
}

static void
test_oom(void)
{
    vb_buf_t b = {0};
    vb_buf_puts(&b, "kept");
    /* a size no allocator gives: the growth fails, the state sticks */
    CHECK(!vb_buf_reserve(&b, SIZE_MAX - 4));
    CHECK(b.oom);
    CHECK_INT(vb_buf_puts(&b, "more"), -1);
    CHECK_INT(vb_buf_printf(&b, "%d", 1), -1);
    CHECK_INT(vb_buf_add(&b, "", 0), -1);
    CHECK_INT(b.n, 4); /* nothing was appended after the failure */
    size_t len = 99;
    CHECK(vb_buf_take(&b, &len) == NULL); /* the bytes are freed, the caller reports VB_E_NOMEM */
    CHECK_INT(len, 0);
    CHECK(b.p == NULL && !b.oom);
}

int
main(void)
{
    test_appends();
    test_growth();
    test_take();
    test_oom();
    return check_done();
}
