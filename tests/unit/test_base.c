/* Unit tests of base.c: arena, numbers, diagnostics, UTF-8. */
#include "base.h"
#include "check.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static void
test_lengths(void)
{
    vb_len_t v;
    CHECK(vb_parse_length("20mm", 4, &v));
    CHECK_INT(v, 56693); /* 20 * 72 / 25.4 = 56.6929 pt */
    CHECK(vb_parse_length("30mm", 4, &v));
    CHECK_INT(v, 85039);
    CHECK(vb_parse_length("0.5pt", 5, &v));
    CHECK_INT(v, 500);
    CHECK(vb_parse_length("14", 2, &v));
    CHECK_INT(v, 14000);
    CHECK(vb_parse_length("1.27cm", 6, &v));
    CHECK_INT(v, 36000);
    CHECK(vb_parse_length("-3mm", 4, &v));
    CHECK_INT(v, -8504);
    CHECK(vb_parse_length("297mm", 5, &v));
    CHECK_INT(v, 841890);
    CHECK(!vb_parse_length("20 furlongs", 11, &v));
    CHECK(!vb_parse_length("mm", 2, &v));
    CHECK(!vb_parse_length("1,5mm", 5, &v));
    CHECK(!vb_parse_length("0.12345pt", 9, &v));
    CHECK_INT(VB_MM(30), 85039);
}

static void
test_milli(void)
{
    int32_t m;
    CHECK(vb_parse_milli("150%", 4, &m));
    CHECK_INT(m, 1500);
    CHECK(vb_parse_milli("1.5", 3, &m));
    CHECK_INT(m, 1500);
    CHECK(vb_parse_milli("80%", 3, &m));
    CHECK_INT(m, 800);
    CHECK(!vb_parse_milli("x", 1, &m));
    char buf[32];
    vb_fmt_milli(buf, 56693);
    CHECK_STR(buf, "56.693");
    vb_fmt_milli(buf, 12000);
    CHECK_STR(buf, "12");
    vb_fmt_milli(buf, -500);
    CHECK_STR(buf, "-0.5");
    vb_fmt_milli(buf, 0);
    CHECK_STR(buf, "0");
    vb_fmt_milli(buf, 1050);
    CHECK_STR(buf, "1.05");
    /* the locale must not change anything */
    if (setlocale(LC_ALL, "vi_VN.UTF-8") || setlocale(LC_ALL, "de_DE.UTF-8")) {
        vb_fmt_milli(buf, 1500);
        CHECK_STR(buf, "1.5");
        vb_len_t v;
        CHECK(vb_parse_length("0.5pt", 5, &v));
        CHECK_INT(v, 500);
        setlocale(LC_ALL, "C");
    }
}

static void
test_arena(void)
{
    vb_arena_t *a = vb_arena_new();
    CHECK(a != NULL);
    char *s = vb_arena_strdup(a, "Đảng");
    CHECK_STR(s, "Đảng");
    /* big and many allocations */
    for (int i = 0; i < 1000; i++) {
        int *p = vb_arena_alloc(a, 1000);
        CHECK(p != NULL && p[0] == 0 && p[249] == 0);
    }
    void *big = vb_arena_alloc(a, 1 << 20);
    CHECK(big != NULL);
    VB_VEC(int) v = {0};
    for (int i = 0; i < 100; i++)
        CHECK_INT(VB_PUSH(a, v, i), 0);
    CHECK_INT(v.n, 100);
    CHECK_INT(v.v[99], 99);
    char *f = vb_arena_printf(a, "%s:%d", "x", 3);
    CHECK_STR(f, "x:3");
    vb_arena_free(a);
}

static void
test_diag_utf8(void)
{
    vb_diag_t d = {0};
    CHECK_INT(vb_diag_set(&d, VB_E_INPUT, "x.y", "a.md", 3, 7, "Bad %s.", "thing"), VB_E_INPUT);
    vb_diag_set(&d, VB_E_IO, "z", "b.md", 1, 1, "Second.");
    char buf[256];
    vb_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:7: error: Bad thing. [x.y]");
    uint32_t cp;
    CHECK_INT(vb_utf8_decode("ệ", 3, &cp), 3);
    CHECK_INT(cp, 0x1EC7);
    CHECK_INT(vb_utf8_decode("\xC3\x28", 2, &cp), 0);
    CHECK_INT(vb_utf8_decode("\xED\xA0\x80", 3, &cp), 0); /* surrogate */
    CHECK_INT(vb_utf8_decode("\xC0\xAF", 2, &cp), 0);     /* overlong */
    char b[4];
    CHECK_INT(vb_utf8_encode(0x1EC7, b), 3);
    CHECK(memcmp(b, "ệ", 3) == 0);
}

/* The decoder before its fast paths: one loop for every length, the reference. */
static int
ref_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0)
        n = 2, v = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, v = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if ((size_t)n > len)
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* vb_utf8_decode agrees with the reference on every sequence of up to three bytes, every
 * truncation of them, and every four-byte sequence whose last two bytes are continuations */
static void
test_utf8_exhaustive(void)
{
    long bad = 0;
    unsigned char b[4];
    for (uint32_t x = 0; x < (1u << 24) && bad < 10; x++) {
        b[0] = (unsigned char)(x >> 16), b[1] = (unsigned char)(x >> 8), b[2] = (unsigned char)x, b[3] = 0x80;
        for (size_t len = 0; len <= 3; len++) {
            uint32_t c1 = 0, c2 = 0;
            int n1 = vb_utf8_decode((const char *)b, len, &c1), n2 = ref_decode(b, len, &c2);
            if (n1 != n2 || (n1 > 0 && c1 != c2))
                bad++;
        }
    }
    for (uint32_t x = 0; x < (1u << 16) && bad < 10; x++) {
        for (unsigned t = 0x80; t < 0xC0; t += 0x15) {
            b[0] = (unsigned char)(x >> 8), b[1] = (unsigned char)x, b[2] = (unsigned char)t, b[3] = 0xBF;
            uint32_t c1 = 0, c2 = 0;
            int n1 = vb_utf8_decode((const char *)b, 4, &c1), n2 = ref_decode(b, 4, &c2);
            if (n1 != n2 || (n1 > 0 && c1 != c2))
                bad++;
        }
    }
    CHECK_INT(bad, 0);
}

static void
test_dates(void)
{
    int y, m, d;
    CHECK(vb_parse_iso_date("2023-07-06", 10, &y, &m, &d));
    CHECK(y == 2023 && m == 7 && d == 6);
    CHECK(vb_parse_iso_date("2024-02-29 ", 11, &y, &m, &d)); /* leap year; a trailing blank */
    CHECK(!vb_parse_iso_date("2023-02-29", 10, &y, &m, &d));
    CHECK(!vb_parse_iso_date("2023-02-30", 10, &y, &m, &d));
    CHECK(!vb_parse_iso_date("1900-02-29", 10, &y, &m, &d)); /* not a leap year */
    CHECK(vb_parse_iso_date("2000-02-29", 10, &y, &m, &d));
    CHECK(!vb_parse_iso_date("2023-13-01", 10, &y, &m, &d));
    CHECK(!vb_parse_iso_date("2023-7-6", 8, &y, &m, &d));
    CHECK(!vb_parse_iso_date("06/07/2023", 10, &y, &m, &d));
    CHECK(!vb_parse_iso_date("0000-01-01", 10, &y, &m, &d));
}

/* vb_len_cmp sorts lengths ascending, negative ones and the extremes included. */
static void
test_len_cmp(void)
{
    vb_len_t v[6] = {500, -3, INT32_MAX, 0, INT32_MIN, 500};
    qsort(v, 6, sizeof *v, vb_len_cmp);
    CHECK(v[0] == INT32_MIN && v[1] == -3 && v[2] == 0 && v[3] == 500 && v[4] == 500 && v[5] == INT32_MAX);
    vb_len_t a = 1, b = 2;
    CHECK(vb_len_cmp(&a, &b) < 0 && vb_len_cmp(&b, &a) > 0 && vb_len_cmp(&a, &a) == 0);
}

/* The saturating length helpers: the one place where lengths that could overflow are computed. */
static void
test_len_sat(void)
{
    CHECK_INT(vb_len_sat(5), 5);
    CHECK_INT(vb_len_sat(-5), -5);
    CHECK_INT(vb_len_sat((int64_t)1 << 40), VB_LEN_MAX);
    CHECK_INT(vb_len_sat(-((int64_t)1 << 40)), -VB_LEN_MAX);
    CHECK_INT(vb_len_add(VB_LEN_MAX, 1), VB_LEN_MAX);
    CHECK_INT(vb_len_add(INT64_MAX, INT64_MAX), VB_LEN_MAX);
    CHECK_INT(vb_len_add(INT64_MIN, -1), -VB_LEN_MAX);
    CHECK_INT(vb_len_add(1000, -3000), -2000);
    /* a 2 x 20000 strip printed 165 mm wide: 3.9e9 mpt, saturated, not wrapped */
    CHECK_INT(vb_len_mul_div(467717, 20000, 2), VB_LEN_MAX);
    CHECK_INT(vb_len_mul_div(INT64_MAX, 3, 1), VB_LEN_MAX);
    CHECK_INT(vb_len_mul_div(INT64_MAX, -3, 1), -VB_LEN_MAX);
    CHECK_INT(vb_len_mul_div(10, 5, 0), VB_LEN_MAX); /* no division by zero */
    CHECK_INT(vb_len_mul_div(7, 6, 4), 10);
    /* seven lengths at the bound still add up within vb_len_t */
    CHECK((int64_t)VB_LEN_MAX * 7 < INT32_MAX);
    CHECK(VB_LEN_PROFILE_MAX < VB_LEN_MAX / 16);
}

int
main(void)
{
    test_len_sat();
    test_dates();
    test_lengths();
    test_milli();
    test_len_cmp();
    test_arena();
    test_diag_utf8();
    test_utf8_exhaustive();
    return check_done();
}
