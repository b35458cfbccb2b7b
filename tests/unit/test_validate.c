/*
 * test_validate.c - the administrative checks of validate.c: each rule with
 * a passing and a failing case, the id and the line:col of the field at
 * fault. Sources go through vb_text_prepare and vb_read_source, profiles
 * through vb_profile_parse, as in the pipeline.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "input.h"
#include "validate.h"

static vb_arena_t *arena;

#define PROFILE_BASE                                                                                           \
    "schema: 1\nid: t\nregime: party\npage: {width: 210mm, height: 297mm}\n"                                  \
    "margins: {top: 20mm, bottom: 20mm, left: 30mm, right: 15mm}\nfonts: {families: [Serif]}\n"               \
    "date: {format: \"{day}/{month}/{year}\"}\nbody: {size: 14pt}\ntable: {border: 0.5pt}\n"

static const char PARTY[] = PROFILE_BASE "number: {min_digits: 2}\n"
                                         "validation:\n"
                                         "  number: party\n"
                                         "  signer_forms: [\"T/M\", \"K/T\", \"T/L\", \"Q.\"]\n"
                                         "  kinds:\n"
                                         "    - {name: \"BÁO CÁO\", abbr: BC}\n"
                                         "    - {name: \"TỜ TRÌNH\", abbr: TTr}\n"
                                         "    - {name: \"QUYẾT ĐỊNH\", abbr: QĐ}\n"
                                         "  kind_unknown: warning\n"
                                         "  bodies:\n"
                                         "    - {prefix: \"ĐẢNG ỦY\", abbr: ĐU}\n"
                                         "    - {prefix: \"ĐẢNG ỦY QUÂN SỰ\", abbr: ĐUQS}\n"
                                         "appendix: {numbering: arabic}\n";

static const char STATE[] = PROFILE_BASE "number: {min_digits: 2}\n"
                                         "validation:\n"
                                         "  number: state\n"
                                         "  signer_forms: [TM., KT., TL., TUQ., Q.]\n"
                                         "  kinds:\n"
                                         "    - {name: \"QUYẾT ĐỊNH\", abbr: QĐ}\n"
                                         "    - {name: \"QUY ĐỊNH\", abbr: QyĐ}\n"
                                         "  bodies:\n"
                                         "    - {prefix: \"ỦY BAN NHÂN DÂN\", abbr: UBND}\n"
                                         "appendix: {numbering: roman}\n";

/* The same forms with other number.min_digits, and without `number:` (no rule). */
static const char PARTY1[] = PROFILE_BASE "number: {min_digits: 1}\nvalidation: {number: party}\n";
static const char STATE3[] = PROFILE_BASE "number:\n  min_digits: 3\nvalidation: {number: state}\n";
static const char NORULE[] = PROFILE_BASE "validation: {number: party}\n";

static vb_profile_t *party, *state, *plain, *party1, *state3, *norule;

static vb_profile_t *
profile(const char *text)
{
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    if (vb_profile_parse(arena, text, strlen(text), "p.yaml", &p, &d) != VB_OK)
        fprintf(stderr, "profile: %d:%d %s %s\n", d.line, d.col, d.id, d.msg);
    CHECK(p != NULL);
    return p;
}

/*
 * A source: line 2 issuer, line 3 number (value at col 9), lines 4-5 place
 * and date, then `extra` front-matter lines from line 6, then the body.
 */
static vb_diag_t diag;

static vb_status_t
run(const vb_profile_t *p, const char *issuer, const char *number, const char *extra, const char *body)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "---\nissuer: %s\nnumber: \"%s\"\nplace: B\ndate: 2023-07-06\n%s---\n%s", issuer,
             number, extra ? extra : "", body ? body : "Nội dung.\n");
    memset(&diag, 0, sizeof diag);
    char *text;
    size_t n;
    vb_model_t m;
    vb_status_t st = vb_text_prepare(arena, buf, strlen(buf), "v.md", &text, &n, &diag);
    if (st == VB_OK)
        st = vb_read_source(arena, text, n, "v.md", &m, &diag);
    if (st != VB_OK) {
        fprintf(stderr, "source did not read: %s %s\n", diag.id, diag.msg);
        return VB_E_USAGE;
    }
    return vb_validate(&m, p, &diag);
}

static void
ok_case(const vb_profile_t *p, const char *issuer, const char *number, const char *extra, const char *body, int at)
{
    vb_status_t st = run(p, issuer, number, extra, body);
    if (st != VB_OK)
        fprintf(stderr, "(case at line %d) unexpected %d:%d [%s] %s\n", at, diag.line, diag.col, diag.id, diag.msg);
    CHECK_INT(st, VB_OK);
}

static void
err_case(const vb_profile_t *p, const char *issuer, const char *number, const char *extra, const char *body,
         const char *id, int line, int col, const char *in_msg, int at)
{
    vb_status_t st = run(p, issuer, number, extra, body);
    if (st != VB_E_INPUT || strcmp(diag.id, id) != 0 || diag.line != line || diag.col != col)
        fprintf(stderr, "(case at line %d) got %d %d:%d [%s] %s\n", at, st, diag.line, diag.col, diag.id, diag.msg);
    CHECK_INT(st, VB_E_INPUT);
    CHECK_STR(diag.id, id);
    CHECK_STR(diag.source, "v.md");
    CHECK_INT(diag.line, line);
    CHECK_INT(diag.col, col);
    if (in_msg && !strstr(diag.msg, in_msg)) {
        fprintf(stderr, "(case at line %d) message lacks \"%s\": %s\n", at, in_msg, diag.msg);
        CHECK(false);
    }
}
#define OK(p, iss, num, extra, body) ok_case((p), (iss), (num), (extra), (body), __LINE__)
#define ERR(p, iss, num, extra, body, id, line, col, msg) \
    err_case((p), (iss), (num), (extra), (body), (id), (line), (col), (msg), __LINE__)

#define BC "kind: BÁO CÁO\n"
#define QD "kind: QUYẾT ĐỊNH\n"

static void
test_number_form(void)
{
    /* Party: sequence "-" type "/" body; joint bodies joined by "-" */
    OK(party, "ĐẢNG BỘ KHỐI", "196-BC/ĐUK", BC, NULL);
    OK(party, "BAN TỔ CHỨC TỈNH ỦY", "05-QC/BTCTU-BDVTU", NULL, NULL);
    OK(party, "BAN TỔ CHỨC TỈNH ỦY", "08-QĐi/TW", NULL, NULL);
    OK(party, "BAN TỔ CHỨC TỈNH ỦY", "357-CV/BTCTU", NULL, NULL); /* công văn: no kind */
    ERR(party, "X", "Số 196-BC/ĐUK", BC, NULL, "number.form", 3, 9, "without \"Số\"");
    ERR(party, "X", "SỐ 196-BC/ĐUK", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "So 196-BC/ĐUK", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "196: BC/ĐUK", BC, NULL, "number.form", 3, 9, "\":\"");
    ERR(party, "X", "15/QĐ-BNV", QD, NULL, "number.form", 3, 9, "state form");
    ERR(party, "X", "196-bc/ĐUK", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "196-BC", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "196-BC/ĐUK/nb", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "196-BC/ĐUK-", BC, NULL, "number.form", 3, 9, NULL);
    ERR(party, "X", "BC-196/ĐUK", BC, NULL, "number.form", 3, 9, NULL);

    /* state: sequence "/" type "-" body; công văn: sequence "/" body "-" unit; a year group is allowed */
    OK(state, "BỘ NỘI VỤ", "15/QĐ-BNV", QD, NULL);
    OK(state, "BỘ NỘI VỤ", "15/2020/QĐ-BNV", QD, NULL);
    OK(state, "BỘ NỘI VỤ", "05/BNV-VP", NULL, NULL);
    OK(state, "BỘ NỘI VỤ", "12/UBND-VX", NULL, NULL);
    ERR(state, "BỘ NỘI VỤ", "15-QĐ/BNV", QD, NULL, "number.form", 3, 9, "Party form");
    ERR(state, "BỘ NỘI VỤ", "15 QĐ BNV", QD, NULL, "number.form", 3, 9, "no \"/\"");
    ERR(state, "BỘ NỘI VỤ", "15/QĐ", QD, NULL, "number.form", 3, 9, NULL);
    ERR(state, "BỘ NỘI VỤ", "05/BNV", NULL, NULL, "number.form", 3, 9, "drafting unit");
    ERR(state, "BỘ NỘI VỤ", "Số: 15/QĐ-BNV", QD, NULL, "number.form", 3, 9, "without \"Số\"");
    ERR(state, "BỘ NỘI VỤ", "15/QĐ-BNV:", QD, NULL, "number.form", 3, 9, NULL);

    /* a profile without `validation` checks nothing */
    OK(plain, "X", "Số: 5", BC, NULL);
}

static void
test_number_zero(void)
{
    OK(party, "X", "05-BC/ĐUK", BC, NULL);
    OK(party, "X", "10-BC/ĐUK", BC, NULL);
    ERR(party, "X", "5-BC/ĐUK", BC, NULL, "number.zero", 3, 9, "\"05\"");
    ERR(party, "X", "005-BC/ĐUK", BC, NULL, "number.zero", 3, 9, NULL);
    ERR(party, "X", "010-BC/ĐUK", BC, NULL, "number.zero", 3, 9, "\"10\"");
    ERR(party, "X", "00-BC/ĐUK", BC, NULL, "number.zero", 3, 9, NULL);
    OK(state, "BỘ NỘI VỤ", "09/QĐ-BNV", QD, NULL);
    ERR(state, "BỘ NỘI VỤ", "9/QĐ-BNV", QD, NULL, "number.zero", 3, 9, "\"09\"");
    ERR(state, "BỘ NỘI VỤ", "7/BNV-VP", NULL, NULL, "number.zero", 3, 9, NULL);
}

/* The zero rule is the profile's number.min_digits: 1, 3, or none. */
static void
test_number_digits(void)
{
    /* 1: never a leading zero */
    OK(party1, "X", "5-BC/ĐUK", NULL, NULL);
    OK(party1, "X", "10-BC/ĐUK", NULL, NULL);
    OK(party1, "X", "196-BC/ĐUK", NULL, NULL);
    ERR(party1, "X", "05-BC/ĐUK", NULL, NULL, "number.zero", 3, 9, "without a leading zero: \"5\", not \"05\"");
    ERR(party1, "X", "010-BC/ĐUK", NULL, NULL, "number.zero", 3, 9, "\"10\", not \"010\"");
    ERR(party1, "X", "0-BC/ĐUK", NULL, NULL, "number.zero", 3, 9, "starts at 1.");
    /* the examples in the form messages are written the profile's way */
    ERR(party1, "X", "196-BC/ĐUK-", NULL, NULL, "number.form", 3, 9, "as in 5-QC/BTCTU-BDVTU");
    ERR(party, "X", "196-BC/ĐUK-", NULL, NULL, "number.form", 3, 9, "as in 05-QC/BTCTU-BDVTU");
    /* 3: "005", "015", "100", "1234" */
    OK(state3, "BỘ NỘI VỤ", "005/QĐ-BNV", NULL, NULL);
    OK(state3, "BỘ NỘI VỤ", "015/QĐ-BNV", NULL, NULL);
    OK(state3, "BỘ NỘI VỤ", "100/QĐ-BNV", NULL, NULL);
    OK(state3, "BỘ NỘI VỤ", "1234/QĐ-BNV", NULL, NULL);
    OK(state3, "BỘ NỘI VỤ", "12345678901234567890123/QĐ-BNV", NULL, NULL); /* compared as text, any length */
    ERR(state3, "BỘ NỘI VỤ", "5/QĐ-BNV", NULL, NULL, "number.zero", 3, 9,
        "Numbers below 100 are written with leading zeros to 3 digits: \"005\", not \"5\"");
    ERR(state3, "BỘ NỘI VỤ", "05/QĐ-BNV", NULL, NULL, "number.zero", 3, 9, "\"005\", not \"05\"");
    ERR(state3, "BỘ NỘI VỤ", "0005/QĐ-BNV", NULL, NULL, "number.zero", 3, 9, "\"005\", not \"0005\"");
    ERR(state3, "BỘ NỘI VỤ", "15/QĐ-BNV", NULL, NULL, "number.zero", 3, 9, "\"015\", not \"15\"");
    ERR(state3, "BỘ NỘI VỤ", "0100/QĐ-BNV", NULL, NULL, "number.zero", 3, 9,
        "Only numbers below 100 take leading zeros: \"100\", not \"0100\"");
    ERR(state3, "BỘ NỘI VỤ", "000/QĐ-BNV", NULL, NULL, "number.zero", 3, 9, "starts at 001.");
    ERR(state3, "BỘ NỘI VỤ", "15 QĐ BNV", QD, NULL, "number.form", 3, 9, "as in 015/QĐ-BNV");
    ERR(state3, "BỘ NỘI VỤ", "15 BNV VP", NULL, NULL, "number.form", 3, 9, "as in 005/BNV-VP");
    /* a number left blank is still not checked for its zeros */
    OK(state3, "BỘ NỘI VỤ", "/QĐ-BNV", NULL, NULL);
    /* no `number:`: any number of zeros, but not 0 */
    OK(norule, "X", "5-BC/ĐUK", NULL, NULL);
    OK(norule, "X", "05-BC/ĐUK", NULL, NULL);
    OK(norule, "X", "0010-BC/ĐUK", NULL, NULL);
    ERR(norule, "X", "00-BC/ĐUK", NULL, NULL, "number.zero", 3, 9, "starts at 1.");
}

static void
test_number_kind(void)
{
    OK(party, "X", "196-BC/ĐUK", BC, NULL);
    OK(party, "X", "12-TTr/ĐUK", "kind: TỜ TRÌNH\n", NULL);
    OK(party, "X", "12-KH/ĐUK", "kind: KẾ HOẠCH\n", NULL); /* not listed, not near one: a warning, any type */
    ERR(party, "X", "196-QĐ/ĐUK", BC, NULL, "number.kind", 3, 9, "\"BC\"");
    ERR(party, "X", "12-TT/ĐUK", "kind: TỜ TRÌNH\n", NULL, "number.kind", 3, 9, "\"TTr\"");
    OK(state, "BỘ NỘI VỤ", "15/QyĐ-BNV", "kind: QUY ĐỊNH\n", NULL);
    ERR(state, "BỘ NỘI VỤ", "15/QĐ-BNV", "kind: QUY ĐỊNH\n", NULL, "number.kind", 3, 9, "\"QyĐ\"");
    /* a kind split over lines by the author is the same kind */
    ERR(party, "X", "196-QĐ/ĐUK", "kind: |-\n  BÁO\n  CÁO\n", NULL, "number.kind", 3, 9, "\"BC\"");
}

static void
test_number_body(void)
{
    /* the issuer's name starts with a listed prefix: the body part is fixed */
    OK(party, "ĐẢNG ỦY KHỐI CƠ QUAN", "196-BC/ĐU", BC, NULL);
    OK(party, "ĐẢNG ỦY", "196-BC/ĐU", BC, NULL);
    OK(party, "ĐẢNG ỦY KHỐI", "05-QC/ĐU-BDVTU", NULL, NULL); /* joint: the lead body first */
    ERR(party, "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "196-BC/ĐUK", BC, NULL, "number.body", 3, 9, "\"ĐU\"");
    /* the other tone placement, and a line break, are the same name */
    ERR(party, "ĐẢNG UỶ XÃ", "01-BC/ĐUX", BC, NULL, "number.body", 3, 9, "\"ĐU\"");
    ERR(party, "|-\n  ĐẢNG\n  ỦY PHƯỜNG", "01-BC/ĐUP", BC, NULL, "number.body", 5, 9, "\"ĐU\""); /* 2 lines more */
    /* the longest prefix wins */
    OK(party, "ĐẢNG ỦY QUÂN SỰ TỈNH", "01-BC/ĐUQS", BC, NULL);
    ERR(party, "ĐẢNG ỦY QUÂN SỰ TỈNH", "01-BC/ĐU", BC, NULL, "number.body", 3, 9, "\"ĐUQS\"");
    /* a prefix matches whole words only; other issuers are free */
    OK(party, "ĐẢNG ỦYX", "01-BC/ĐX", BC, NULL);
    OK(party, "BAN TỔ CHỨC TỈNH ỦY", "01-BC/BTCTU", BC, NULL);
    /* state: the body part follows the type, or leads a công văn's symbol */
    OK(state, "ỦY BAN NHÂN DÂN TỈNH", "15/QĐ-UBND", QD, NULL);
    OK(state, "UỶ BAN NHÂN DÂN TỈNH", "12/UBND-VX", NULL, NULL);
    ERR(state, "ỦY BAN NHÂN DÂN TỈNH", "15/QĐ-UBT", QD, NULL, "number.body", 3, 9, "\"UBND\"");
    ERR(state, "ỦY BAN NHÂN DÂN TỈNH", "12/VX-UBND", NULL, NULL, "number.body", 3, 9, "\"UBND\"");
}

static void
test_signer_form(void)
{
    const char *x = "BAN TỔ CHỨC TỈNH ỦY", *n = "01-BC/BTCTU";
    OK(party, x, n, BC "signer:\n  authority: T/M ĐẢNG ỦY\n", NULL);
    OK(party, x, n, BC "signer:\n  authority: K/T TRƯỞNG BAN\n", NULL);
    OK(party, x, n, BC "signer:\n  authority: Q. CHÁNH VĂN PHÒNG\n", NULL);
    OK(party, x, n, BC "signer:\n  authority: BÍ THƯ\n", NULL); /* no form: a post alone */
    OK(party, x, n, BC "signer:\n  post: BÍ THƯ\n", NULL);
    /* line 7, after "  authority: " */
    ERR(party, x, n, BC "signer:\n  authority: TM. ĐẢNG ỦY\n", NULL, "signer.form", 8, 14, "\"TM.\"");
    ERR(party, x, n, BC "signer:\n  authority: T/U BÍ THƯ\n", NULL, "signer.form", 8, 14, "T/M, K/T, T/L, Q.");
    ERR(party, x, n, BC "signer:\n  authority: TM.ĐẢNG ỦY\n", NULL, "signer.form", 8, 14, "\"TM.\"");
    /* joint documents: each signer is checked */
    ERR(party, x, n,
        BC "signer:\n  - {authority: T/M BAN THƯỜNG VỤ, name: A}\n  - {authority: TM. BAN CÁN SỰ, name: B}\n", NULL,
        "signer.form", 9, 17, NULL);
    OK(state, "BỘ NỘI VỤ", "15/QĐ-BNV", QD "signer:\n  authority: KT. BỘ TRƯỞNG\n", NULL);
    OK(state, "BỘ NỘI VỤ", "15/QĐ-BNV", QD "signer:\n  authority: TUQ. BỘ TRƯỞNG\n", NULL);
    ERR(state, "BỘ NỘI VỤ", "15/QĐ-BNV", QD "signer:\n  authority: K/T BỘ TRƯỞNG\n", NULL, "signer.form", 8, 14,
        "\"K/T\"");
    ERR(state, "BỘ NỘI VỤ", "15/QĐ-BNV", QD "signer:\n  authority: T/U BỘ TRƯỞNG\n", NULL, "signer.form", 8, 14,
        NULL);
    /* a model built by hand, with signer but no signers[] */
    vb_model_t m;
    memset(&m, 0, sizeof m);
    m.source = "hand";
    m.meta.signer.authority.text = "TM. X";
    m.meta.signer.authority.pos.line = 3;
    m.meta.signer.authority.pos.col = 4;
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_validate(&m, party, &diag), VB_E_INPUT);
    CHECK_STR(diag.id, "signer.form");
    CHECK_INT(diag.line, 3);
    CHECK_INT(diag.col, 4);
    m.meta.signer.authority.text = "T/L BAN THƯỜNG VỤ";
    CHECK_INT(vb_validate(&m, party, &diag), VB_OK);
}

static void
test_appendix_numbering(void)
{
    const char *x = "BAN TỔ CHỨC TỈNH ỦY", *n = "01-BC/BTCTU";
    /* the body starts on line 7 */
    OK(party, x, n, NULL, "Nội dung.\n# PHỤ LỤC 1\n# TÊN\nA\n# Phụ lục 2\nB\n");
    OK(party, x, n, NULL, "Nội dung.\n# PHỤ LỤC\n# TÊN\n");
    OK(party, x, n, NULL, "Nội dung.\n# Phụ lục số 3: Bảng\n");
    ERR(party, x, n, NULL, "Nội dung.\n# PHỤ LỤC 1\nA\n# PHỤ LỤC II\nB\n", "appendix.numbering", 10, 1, "Arabic");
    ERR(party, x, n, NULL, "Nội dung.\n\n## Mục\n  # PHỤ LỤC A\n", "appendix.numbering", 10, 3, "\"A\"");
    OK(state, "BỘ NỘI VỤ", "05/BNV-VP", NULL, "Nội dung.\n# Phụ lục I\nA\n# Phụ lục II\nB\n# PHỤ LỤC IV\n");
    ERR(state, "BỘ NỘI VỤ", "05/BNV-VP", NULL, "Nội dung.\n# Phụ lục I\nA\n# Phụ lục 2\nB\n", "appendix.numbering", 10,
        1, "Roman");
    OK(plain, "X", "1", NULL, "Nội dung.\n# Phụ lục I\nA\n# Phụ lục 2\nB\n");
}

/* Rules are reported in order: the number before the signer before the appendices. */
static void
test_order(void)
{
    ERR(party, "X", "5-BC/ĐUK", BC "signer:\n  authority: TM. X\n", "A\n# PHỤ LỤC I\n", "number.zero", 3, 9, NULL);
    ERR(party, "X", "05-BC/ĐUK", BC "signer:\n  authority: TM. X\n", "A\n# PHỤ LỤC I\n", "signer.form", 8, 14, NULL);
    CHECK_INT(vb_validate(NULL, party, &diag), VB_OK);
}

/* A sequence number left blank until issuance: the rest of the form is still checked. */
static void
test_blank_number(void)
{
    OK(party, "ĐẢNG ỦY XÃ", "-BC/ĐU", BC, NULL);
    OK(party, "ĐẢNG ỦY XÃ", "…-BC/ĐU", BC, NULL);
    OK(party, "ĐẢNG ỦY XÃ", "___-BC/ĐU", BC, NULL);
    OK(party, "ĐẢNG ỦY XÃ", "  -BC/ĐU", BC, NULL);
    OK(state, "ỦY BAN NHÂN DÂN TỈNH", "/QĐ-UBND", QD, NULL);
    OK(state, "ỦY BAN NHÂN DÂN TỈNH", "…/QĐ-UBND", QD, NULL);
    OK(state, "ỦY BAN NHÂN DÂN TỈNH", "/UBND-VP", NULL, NULL); /* công văn */
    ERR(party, "ĐẢNG ỦY XÃ", "/BC-ĐU", BC, NULL, "number.form", 3, 9, "state form");
    ERR(state, "ỦY BAN NHÂN DÂN TỈNH", "-QĐ/UBND", QD, NULL, "number.form", 3, 9, "starts with \"/\"");
    ERR(party, "ĐẢNG ỦY XÃ", "-TB/ĐU", BC, NULL, "number.kind", 3, 9, NULL);
    ERR(party, "ĐẢNG ỦY XÃ", "-BC/ĐUK", BC, NULL, "number.body", 3, 9, NULL);
    ERR(state, "ỦY BAN NHÂN DÂN TỈNH", "/QĐ-UBNDX/", QD, NULL, "number.form", 3, 9, NULL);
    ERR(party, "ĐẢNG ỦY XÃ", "…", BC, NULL, "number.form", 3, 9, NULL); /* nothing but the blank */
}

/* With nonconforming, every failure is handed to the callback and the checks go on. */
static int nwarn;
static char warn_ids[4][48];
static int warn_lines[4];

static void
on_warn(const vb_diag_t *w, void *ctx)
{
    CHECK(ctx == &nwarn);
    if (nwarn < 4) {
        snprintf(warn_ids[nwarn], sizeof warn_ids[nwarn], "%s", w->id);
        warn_lines[nwarn] = w->line;
    }
    nwarn++;
}

static void
test_nonconforming(void)
{
    static const char src[] = "---\nissuer: ĐẢNG ỦY XÃ\nnumber: 5-TB/ĐUK\nplace: B\ndate: 2023-07-06\nkind: BÁO CÁO\n"
                              "signer:\n  authority: TM. X\n---\nA\n# PHỤ LỤC I\n";
    char *text;
    size_t n;
    vb_model_t m;
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_text_prepare(arena, src, strlen(src), "v.md", &text, &n, &diag), VB_OK);
    CHECK_INT(vb_read_source(arena, text, n, "v.md", &m, &diag), VB_OK);
    /* off: the first rule is an error */
    vb_validate_opts_t off = {false, on_warn, &nwarn, NULL, false};
    nwarn = 0;
    CHECK_INT(vb_validate_opts(&m, party, &off, &diag), VB_E_INPUT);
    CHECK_STR(diag.id, "number.zero");
    CHECK_INT(nwarn, 0);
    /* on: zero, kind, body, signer, appendix, in that order, and no error */
    vb_validate_opts_t on = {true, on_warn, &nwarn, NULL, false};
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_validate_opts(&m, party, &on, &diag), VB_OK);
    CHECK_INT(diag.code, VB_OK);
    CHECK_INT(nwarn, 5);
    CHECK_STR(warn_ids[0], "number.zero");
    CHECK_STR(warn_ids[1], "number.kind");
    CHECK_STR(warn_ids[2], "number.body");
    CHECK_STR(warn_ids[3], "signer.form");
    CHECK_INT(warn_lines[0], 3);
    CHECK_INT(warn_lines[3], 8);
    /* on without a callback: quiet, still no error */
    vb_validate_opts_t quiet = {true, NULL, NULL, NULL, false};
    CHECK_INT(vb_validate_opts(&m, party, &quiet, &diag), VB_OK);
}

int
main(void)
{
    arena = vb_arena_new();
    party = profile(PARTY);
    state = profile(STATE);
    plain = profile(PROFILE_BASE);
    party1 = profile(PARTY1);
    state3 = profile(STATE3);
    norule = profile(NORULE);
    if (party && state && plain && party1 && state3 && norule) {
        test_number_form();
        test_number_zero();
        test_number_digits();
        test_number_kind();
        test_number_body();
        test_signer_form();
        test_appendix_numbering();
        test_order();
        test_blank_number();
        test_nonconforming();
    }
    vb_arena_free(arena);
    return check_done();
}
