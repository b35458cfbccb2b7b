/* test_text.c - source bytes to clean NFC text: checks, line ends, BOM. */
#include <string.h>

#include "check.h"
#include "input.h"

static vb_arena_t *arena;

static const char *
prep(const char *s, size_t len, vb_status_t *st, vb_diag_t *d)
{
    char *out = NULL;
    size_t n = 0;
    memset(d, 0, sizeof *d);
    *st = vb_text_prepare(arena, s, len, "in.md", &out, &n, d);
    if (*st == VB_OK && out)
        CHECK_INT(n, strlen(out));
    return out;
}

static void
expect_ok(const char *s, size_t len, const char *want)
{
    vb_status_t st;
    vb_diag_t d;
    const char *out = prep(s, len, &st, &d);
    CHECK_INT(st, VB_OK);
    CHECK_STR(out, want);
}

static void
expect_err(const char *s, size_t len, const char *id, int line, int col)
{
    vb_status_t st;
    vb_diag_t d;
    const char *out = prep(s, len, &st, &d);
    CHECK_INT(st, VB_E_INPUT);
    CHECK(out == NULL);
    CHECK_STR(d.id, id);
    CHECK_STR(d.source, "in.md");
    CHECK_INT(d.line, line);
    CHECK_INT(d.col, col);
}

#define OK(s, want) expect_ok(s, sizeof(s) - 1, want)
#define ERR(s, id, l, c) expect_err(s, sizeof(s) - 1, id, l, c)

/* Positions as typed: a line whose accents are typed decomposed maps its columns back. */
static void
test_map(void)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    char *out = NULL;
    size_t n = 0;
    vb_textmap_t *map = (vb_textmap_t *)&d; /* overwritten */
    /* NFC already: no map */
    CHECK_INT(vb_text_prepare_map(arena, "Tên x\n", 7, "t.md", &out, &n, &map, &d), VB_OK);
    CHECK(map == NULL);
    /* line 2: "Te\u0302n x" (ê typed as e + U+0302), line 3: "a\u0302\u0300b" (ầ as a + 2 marks), CRLF before */
    static const char src[] = "ab\r\nTe\xCC\x82n x\na\xCC\x82\xCC\x80"
                              "b \xC4\x91\xC6\xB0\xE1\xBB\xA3"
                              "c y\nok";
    CHECK_INT(vb_text_prepare_map(arena, src, sizeof src - 1, "t.md", &out, &n, &map, &d), VB_OK);
    CHECK_STR(out, "ab\nTên x\nầb được y\nok");
    CHECK(map != NULL);
    int line = 2, col = 3; /* "n" */
    vb_textmap_pos(map, &line, &col);
    CHECK(line == 2 && col == 4);
    line = 2, col = 5; /* "x" */
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 6);
    line = 2, col = 1; /* before the change */
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 1);
    line = 3, col = 2; /* "b" after a + 2 marks */
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 4);
    line = 3, col = 9; /* "y" after the precomposed "được": the typed column follows */
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 11);
    line = 1, col = 2; /* unchanged lines stay */
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 2);
    line = 4, col = 2;
    vb_textmap_pos(map, &line, &col);
    CHECK_INT(col, 2);
    /* a diagnostic, start and end */
    vb_diag_t e;
    memset(&e, 0, sizeof e);
    e.line = 2, e.col = 5, e.end_line = 2, e.end_col = 6;
    vb_textmap_diag(map, &e);
    CHECK(e.col == 6 && e.end_col == 7);
}

int
main(void)
{
    arena = vb_arena_new();
    test_map();

    OK("", "");
    OK("Tình hình chung\n", "Tình hình chung\n");
    /* BOM dropped */
    OK("\xEF\xBB\xBFXin chào", "Xin chào");
    /* only a leading BOM is dropped; one inside the text is a ZWNBSP */
    OK("a\xEF\xBB\xBF", "a\xEF\xBB\xBF");
    /* CRLF and lone CR */
    OK("một\r\nhai\rba\r\n\r\n", "một\nhai\nba\n\n");
    OK("x\r", "x\n");
    /* tabs kept */
    OK("STT\tNỘI DUNG", "STT\tNỘI DUNG");
    /* NFD composed: "Việt" as V i e U+0323 U+0302 t, "ỦY" as U U+0309 Y */
    OK("Vie\xCC\xA3\xCC\x82t U\xCC\x89Y", "Việt ỦY");
    /* NFC but never NFKC: the "ﬁ" ligature and a superscript stay */
    OK("\xEF\xAC\x81 m\xC2\xB2", "\xEF\xAC\x81 m\xC2\xB2");

    /* invalid UTF-8: a lone continuation byte on line 2 after 3 characters "Đàn" */
    ERR("ok\nĐàn\x80x", "utf8.invalid", 2, 4);
    /* truncated sequence at the end */
    ERR("abc\xE1\xBB", "utf8.invalid", 1, 4);
    /* overlong NUL and a UTF-16 surrogate */
    ERR("\xC0\x80", "utf8.invalid", 1, 1);
    ERR("ab\xED\xA0\x80", "utf8.invalid", 1, 3);
    /* CRLF counts as one line end for the position */
    ERR("a\r\nb\r\n\xFF", "utf8.invalid", 3, 1);
    /* a BOM is not a column */
    ERR("\xEF\xBB\xBFxy\xFE", "utf8.invalid", 1, 3);
    /* NUL */
    ERR("ab\ncd\0e", "utf8.nul", 2, 3);
    /* control characters other than tab / line ends, DEL, C1 */
    ERR("a\tb\x01", "utf8.control", 1, 4);
    ERR("x\n\x1B[0m", "utf8.control", 2, 1);
    ERR("ạ\x7F", "utf8.control", 1, 2);
    ERR("\xC2\x85", "utf8.control", 1, 1);
    ERR("\x0C", "utf8.control", 1, 1);

    /* vb_text_nfc */
    char *out = NULL;
    size_t n = 99;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_text_nfc(arena, "Ho\xCC\x82\xCC\x80 Chi\xCC\x81 Minh", strlen("Ho\xCC\x82\xCC\x80 Chi\xCC\x81 Minh"),
                          &out, &n, &d),
              VB_OK);
    CHECK_STR(out, "Hồ Chí Minh");
    CHECK_INT(n, strlen("Hồ Chí Minh"));
    CHECK_INT(vb_text_nfc(arena, "", 0, &out, &n, &d), VB_OK);
    CHECK_STR(out, "");
    CHECK_INT(n, 0);
    /* a length shorter than the string is honoured */
    CHECK_INT(vb_text_nfc(arena, "abc", 2, &out, &n, &d), VB_OK);
    CHECK_STR(out, "ab");
    /* the fast path (text NFC cannot change) must not skip what NFC does change */
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Thanh Hoá “x” – 100%", "Thanh Hoá “x” – 100%"},       /* stable: copied as is */
        {"e\xCC\x81", "\xC3\xA9"},                                /* e + U+0301 -> é */
        {"\xE1\xBA\xA1\xCC\x82", "\xE1\xBA\xAD"},                 /* ạ + U+0302 -> ậ */
        {"\xE2\x80\x80", "\xE2\x80\x82"},                         /* U+2000 -> U+2002 (singleton) */
        {"\xE2\x84\xA6", "\xCE\xA9"},                             /* Ohm sign -> Omega */
        {"\xEF\xAC\x81", "\xEF\xAC\x81"},                         /* the fi ligature stays (NFC, not NFKC) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(vb_text_nfc(arena, cases[i].in, strlen(cases[i].in), &out, &n, &d), VB_OK);
        CHECK_STR(out, cases[i].want);
    }

    /* which code points no document may hold, however written */
    {
        char buf[160];
        const char *id = NULL;
        static const uint32_t ok[] = {'\t', '\n', '\r', ' ', 'a', 0xA0, 0x1EC7, 0x200B, 0x200C, 0x200D, 0x2028,
                                      0xFFFD, 0xFDCF, 0xFDF0, 0x1F600, 0x10FFFD};
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
            CHECK(vb_char_refused(ok[i], buf, sizeof buf, &id) == NULL);
        static const struct {
            uint32_t cp;
            const char *id;
        } bad[] = {{0, "utf8.control"},          {7, "utf8.control"},          {0x7F, "utf8.control"},
                   {0x85, "utf8.control"},       {0xD800, "utf8.invalid"},     {0xDFFF, "utf8.invalid"},
                   {0x110000, "utf8.invalid"},   {0xFDD0, "utf8.noncharacter"}, {0xFDEF, "utf8.noncharacter"},
                   {0xFFFE, "utf8.noncharacter"}, {0x10FFFF, "utf8.noncharacter"}, {0x1FFFE, "utf8.noncharacter"},
                   {0x061C, "utf8.bidi"},        {0x200E, "utf8.bidi"},        {0x200F, "utf8.bidi"},
                   {0x202A, "utf8.bidi"},        {0x202E, "utf8.bidi"},        {0x2066, "utf8.bidi"},
                   {0x2069, "utf8.bidi"}};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            id = NULL;
            CHECK(vb_char_refused(bad[i].cp, buf, sizeof buf, &id) != NULL);
            CHECK_STR(id, bad[i].id);
        }
        CHECK_STR(vb_char_refused(0xFFFE, buf, sizeof buf, NULL), "U+FFFE, a noncharacter, which cannot be printed");
        /* typed: refused at its column by vb_text_prepare */
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_text_prepare(arena, "ab\n c\xE2\x80\xAE", 8, "t.md", &out, &n, &d), VB_E_INPUT);
        CHECK_STR(d.id, "utf8.bidi");
        CHECK_INT(d.line, 2);
        CHECK_INT(d.col, 3);
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_text_prepare(arena, "x\xEF\xBF\xBE", 4, "t.md", &out, &n, &d), VB_E_INPUT);
        CHECK_STR(d.id, "utf8.noncharacter");
        CHECK_INT(d.col, 2);
    }

    vb_arena_free(arena);
    return check_done();
}
