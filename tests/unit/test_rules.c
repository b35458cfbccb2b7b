/*
 * test_rules.c - the comparisons under kind.unknown (rules_kind.c): Vietnamese
 * letters folded to capital base letters, the edit distance, and the nearest
 * kind of a profile's list (a tie or a far text gives none).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rules.h"

/* s folded, as ASCII (the folded letters are all ASCII for Vietnamese text) */
static const char *
folded(const char *s)
{
    static char buf[128];
    uint32_t f[128];
    int n = vb_fold_letters(s, f, 127);
    for (int i = 0; i < n; i++)
        buf[i] = f[i] < 128 ? (char)f[i] : '?';
    buf[n] = 0;
    return buf;
}

static int
distance(const char *a, const char *b)
{
    uint32_t fa[64], fb[64];
    int na = vb_fold_letters(a, fa, 64), nb = vb_fold_letters(b, fb, 64);
    return vb_edit_distance(fa, na, fb, nb);
}

static void
test_fold(void)
{
    CHECK_STR(folded("Quyết định"), "QUYET DINH");
    CHECK_STR(folded("QUYẾT ĐỊNH"), "QUYET DINH");
    CHECK_STR(folded("  báo   cáo \n"), "BAO CAO");
    CHECK_STR(folded("BÁO CAÓ"), "BAO CAO");
    CHECK_STR(folded("ỦY BAN NHÂN DÂN"), "UY BAN NHAN DAN");
    CHECK_STR(folded("UỶ ban"), "UY BAN");
    CHECK_STR(folded("ăâêôơưđ ĂÂÊÔƠƯĐ"), "AAEOOUD AAEOOUD");
    CHECK_STR(folded("ỳýỷỹỵ ẰẮẲẴẶ ỀẾỂỄỆ ỒỐỔỖỘ ỜỚỞỠỢ ỪỨỬỮỰ"), "YYYYY AAAAA EEEEE OOOOO OOOOO UUUUU");
    CHECK_STR(folded("Thực hiện 2026-2027"), "THUC HIEN 2026-2027");
    /* decomposed input (a combining acute) folds as the composed letter */
    CHECK_STR(folded("Ba\xCC\x81o"), "BAO");
    uint32_t f[8];
    size_t at[8];
    int n = vb_fold_letters_at(" Đi a", f, at, 8);
    CHECK_INT(n, 4);
    CHECK_INT((int)at[0], 1); /* Đ after the dropped space */
    CHECK_INT((int)at[1], 3); /* Đ is 2 bytes */
    CHECK_INT((int)at[3], 5);
}

static void
test_distance(void)
{
    CHECK_INT(distance("QUYET DINH", "QUYẾT ĐỊNH"), 0);
    CHECK_INT(distance("QUY ĐỊNH", "QUYẾT ĐỊNH"), 2);
    CHECK_INT(distance("KẾ HỌACH", "KẾ HOẠCH"), 0);
    CHECK_INT(distance("THONG BA0", "THÔNG BÁO"), 1);
    CHECK_INT(distance("", "BÁO CÁO"), 7);
    CHECK_INT(distance("abc", "abc"), 0);
    CHECK_INT(distance("kitten", "sitting"), 3);
}

static vb_pvalidate_t
kinds(void)
{
    static vb_pkind_t k[] = {{"QUYẾT ĐỊNH", "QĐ"}, {"QUY ĐỊNH", "QĐ"}, {"BÁO CÁO", "BC"},
                             {"THÔNG BÁO", "TB"},  {"THÔNG CÁO", "TC"}, {"KẾ HOẠCH", "KH"}};
    static const char *other[] = {"THƯ CÔNG"};
    vb_pvalidate_t v;
    memset(&v, 0, sizeof v);
    v.kinds = k;
    v.nkinds = 6;
    v.other_kinds = other;
    v.nother_kinds = 1;
    return v;
}

static void
test_nearest(void)
{
    vb_pvalidate_t v = kinds();
    int i = -1, d = -1;
    CHECK(vb_kind_nearest(&v, "QUYET DINH", &i, &d));
    CHECK_INT(i, 0);
    CHECK_INT(d, 0);
    CHECK(vb_kind_nearest(&v, "Quy định", &i, &d));
    CHECK_INT(i, 1);
    CHECK_INT(d, 0);
    CHECK(vb_kind_nearest(&v, "BÁO CAÓ", &i, &d));
    CHECK_INT(i, 2);
    CHECK(vb_kind_nearest(&v, "KỀ HOẠCH", &i, &d));
    CHECK_INT(i, 5);
    CHECK(vb_kind_nearest(&v, "thu cong", &i, &d)); /* other_kinds come after kinds */
    CHECK_INT(i, 6);
    CHECK(vb_kind_nearest(&v, "QUYẾT ĐINH", &i, &d));
    CHECK_INT(i, 0);
    /* "THÔNG ÁO" is one letter from THÔNG BÁO and from THÔNG CÁO: no guess */
    CHECK(!vb_kind_nearest(&v, "THÔNG ÁO", &i, &d));
    /* too far: more than a third of the letters */
    CHECK(!vb_kind_nearest(&v, "CÔNG VĂN", &i, &d));
    CHECK(!vb_kind_nearest(&v, "THÔNG BÁO KẾT QUẢ", &i, &d));
    CHECK(!vb_kind_nearest(&v, "", &i, &d));
}

int
main(void)
{
    test_fold();
    test_distance();
    test_nearest();
    return check_done();
}
