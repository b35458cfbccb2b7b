/* test_frontmatter.c - whole sources: front matter fields and errors, body offsets, the model dump. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input.h"

static vb_arena_t *arena;
static vb_model_t model;
static vb_diag_t diag;

/* vb_text_prepare then vb_read_source, as the pipeline does. */
static vb_status_t
src(const char *s, size_t len)
{
    char *text;
    size_t n;
    memset(&diag, 0, sizeof diag);
    vb_status_t st = vb_text_prepare(arena, s, len, "vb.md", &text, &n, &diag);
    if (st != VB_OK)
        return st;
    return vb_read_source(arena, text, n, "vb.md", &model, &diag);
}
#define SRC(s) src(s, strlen(s))

static void
expect_error(const char *s, const char *id, int line, int col)
{
    CHECK_INT(SRC(s), VB_E_INPUT);
    CHECK_STR(diag.id, id);
    CHECK_STR(diag.source, "vb.md");
    CHECK_INT(diag.line, line);
    CHECK_INT(diag.col, col);
}

#define REQ "issuer: A\nnumber: 1\nplace: B\ndate: 2023-07-06\n"

static const char full[] =
    "\xEF\xBB\xBF---\r\n"
    "profile: party-36-2018\r\n"
    "parent: ĐẢNG BỘ TỈNH THANH HOÁ\r\n"
    "issuer: |-\r\n"
    "  ĐẢNG ỦY KHỐI CƠ QUAN VÀ  \r\n"
    "  DOANH NGHIỆP TỈNH\r\n"
    "number: 196-BC/ĐUK\r\n"
    "place: \"Thanh Hoa\\u0301\"\r\n" /* an escape giving NFD: composed to "Hoá" */
    "date: 2023-07-06\r\n"
    "kind: BÁO CÁO\r\n"
    "title: Sơ kết thực hiện Chương trình số 13-CTr/ĐUK,\r\n"
    "  ngày 07/4/2021 ...\r\n"
    "signer:\r\n"
    "  authority: T/M ĐẢNG ỦY\r\n"
    "  post: BÍ THƯ\r\n"
    "  name: Trần   Văn Hải\r\n"
    "recipients:\r\n"
    "  - Ban Thường vụ Tỉnh ủy (b/c),\r\n"
    "  - \"- Lưu TT, TC.\"\r\n"
    "---  \r\n"
    "\r\n"
    "1. Tình hình chung\r\n"
    "- Việc ban hành\r\n"
    "\r\n"
    "# PHỤ LỤC 1\r\n"
    "# XẾP LOẠI\r\n"
    "| STT | NỘI DUNG | < |\r\n"
    "| ^ | a | b |\r\n"
    "|---|:-:|--:|\r\n"
    "| 1 | **x** | y |\r\n";

static const char full_dump[] =
    "source \"vb.md\"\n"
    "meta profile \"party-36-2018\" @2:10\n"
    "meta parent \"ĐẢNG BỘ TỈNH THANH HOÁ\" @3:9\n"
    "meta issuer \"ĐẢNG ỦY KHỐI CƠ QUAN VÀ\\nDOANH NGHIỆP TỈNH\" @4:9\n"
    "meta number \"196-BC/ĐUK\" @7:9\n"
    "meta place \"Thanh Hoá\" @8:8\n"
    "meta date 2023-07-06 @9:7\n"
    "meta kind \"BÁO CÁO\" @10:7\n"
    "meta title \"Sơ kết thực hiện Chương trình số 13-CTr/ĐUK, ngày 07/4/2021 ...\" @11:8\n"
    "meta signer.authority \"T/M ĐẢNG ỦY\" @14:14\n"
    "meta signer.post \"BÍ THƯ\" @15:9\n"
    "meta signer.name \"Trần Văn Hải\" @16:9\n"
    "meta recipients 2 @18:3\n"
    "  recipient \"Ban Thường vụ Tỉnh ủy (b/c),\" @18:5\n"
    "  recipient \"Lưu TT, TC.\" @19:5\n"
    "body 2\n"
    "para @22:1\n"
    "  span r \"1. Tình hình chung\"\n"
    "para @23:1\n"
    "  span r \"- Việc ban hành\"\n"
    "appendix @25:1\n"
    "  label\n"
    "    span r \"PHỤ LỤC 1\"\n"
    "  title\n"
    "    span r \"XẾP LOẠI\"\n"
    "  blocks 1\n"
    "  table 3x3 head 2 @27:1\n"
    "    align - c r\n"
    "    cell 0,0 span 1x2 @27:3\n"
    "      span r \"STT\"\n"
    "    cell 0,1 span 2x1 align c @27:9\n"
    "      span r \"NỘI DUNG\"\n"
    "    cell 0,2 covered @27:20\n"
    "    cell 1,0 covered @28:3\n"
    "    cell 1,1 align c @28:7\n"
    "      span r \"a\"\n"
    "    cell 1,2 align r @28:11\n"
    "      span r \"b\"\n"
    "    cell 2,0 @30:3\n"
    "      span r \"1\"\n"
    "    cell 2,1 align c @30:7\n"
    "      span b \"x\"\n"
    "    cell 2,2 align r @30:15\n"
    "      span r \"y\"\n";

static void
test_full(void)
{
    CHECK_INT(SRC(full), VB_OK);
    const vb_meta_t *m = &model.meta;
    CHECK_STR(model.source, "vb.md");
    CHECK_STR(m->issuer.text, "ĐẢNG ỦY KHỐI CƠ QUAN VÀ\nDOANH NGHIỆP TỈNH");
    CHECK_INT(m->issuer.pos.line, 4);
    CHECK_STR(m->place.text, "Thanh Hoá");
    CHECK_INT(m->date.year, 2023);
    CHECK_INT(m->date.month, 7);
    CHECK_INT(m->date.day, 6);
    CHECK_INT(m->nrecipients, 2);
    CHECK_STR(m->recipients[1].text, "Lưu TT, TC.");
    CHECK_INT(model.body.n, 2);
    CHECK_INT(model.nappendices, 1);

    char *dump = NULL;
    size_t len = 0;
    CHECK_INT(vb_model_dump(&model, &dump, &len), VB_OK);
    CHECK_STR(dump, full_dump);
    CHECK_INT(len, strlen(full_dump));
    if (dump && strcmp(dump, full_dump) != 0)
        fprintf(stderr, "--- got:\n%s", dump);
    free(dump);
}

/* Fields left blank until issuance, and the issue-8 fields, are said in the dump. */
static void
dump_is(const char *src_, const char *want)
{
    CHECK_INT(SRC(src_), VB_OK);
    char *dump = NULL;
    CHECK_INT(vb_model_dump(&model, &dump, NULL), VB_OK);
    CHECK_STR(dump, want);
    free(dump);
}

static void
test_dump_blanks(void)
{
    dump_is("---\n"
            "issuer: A\n"
            "number: \"…/KH-UBND\"\n"
            "place: B\n"
            "date: 2026-08\n"
            "issuer_name: Sở A\n"
            "to_note: (sau đây gọi tắt là Sở)\n"
            "nonconforming: true\n"
            "line_breaks: paragraphs\n"
            "---\n"
            "Text\n",
            "source \"vb.md\"\n"
            "meta issuer \"A\" @2:9\n"
            "meta number \"/KH-UBND\" (sequence blank) @3:9\n"
            "meta place \"B\" @4:8\n"
            "meta date 2026-08 (day blank) @5:7\n"
            "meta issuer_name \"Sở A\" @6:14\n"
            "meta to_note \"(sau đây gọi tắt là Sở)\" @7:10\n"
            "meta nonconforming @8:16\n"
            "meta line_breaks paragraphs\n"
            "body 1\n"
            "para @11:1\n"
            "  span r \"Text\"\n");
    dump_is("---\nissuer: A\nnumber: -BC/ĐU\nplace: B\ndate: 2026\n---\n",
            "source \"vb.md\"\n"
            "meta issuer \"A\" @2:9\n"
            "meta number \"-BC/ĐU\" (sequence blank) @3:9\n"
            "meta place \"B\" @4:8\n"
            "meta date 2026 (day and month blank) @5:7\n"
            "body 0\n");
}

static void
test_fields(void)
{
    /* optional fields absent; empty values count as absent */
    CHECK_INT(SRC("---\n" REQ "kind:\nparent: ~\ntitle: \"\"\nsigner:\nrecipients:\n---\nBody"), VB_OK);
    CHECK(model.meta.kind.text == NULL);
    CHECK(model.meta.parent.text == NULL);
    CHECK(model.meta.title.text == NULL);
    CHECK(model.meta.signer.name.text == NULL);
    CHECK_INT(model.meta.nrecipients, 0);
    CHECK(model.meta.profile.text == NULL);
    CHECK_INT(model.body.n, 1);
    CHECK_INT(model.body.v[0].pos.line, 12);

    /* numbers and quoted "~" are text */
    CHECK_INT(SRC("---\nissuer: A\nnumber: 196\nplace: \"~\"\ndate: \"2024-02-29\"\n---\n"), VB_OK);
    CHECK_STR(model.meta.number.text, "196");
    CHECK_STR(model.meta.place.text, "~");
    CHECK_INT(model.meta.date.day, 29);
    CHECK_INT(model.body.n, 0);

    /* recipients as one literal block, "- " optional; blank lines skipped */
    CHECK_INT(SRC("---\n" REQ "recipients: |\n  - Như trên,\n\n  Lưu VT.\n  -\n---\n"), VB_OK);
    CHECK_INT(model.meta.nrecipients, 2);
    CHECK_STR(model.meta.recipients[0].text, "Như trên,");
    CHECK_STR(model.meta.recipients[1].text, "Lưu VT.");
    CHECK_INT(model.meta.recipients_pos.line, 6);
    /* "-2025" is not a marker */
    CHECK_INT(SRC("---\n" REQ "recipients:\n  - -2025 x\n  - \"-\"\n---\n"), VB_OK);
    CHECK_INT(model.meta.nrecipients, 1);
    CHECK_STR(model.meta.recipients[0].text, "-2025 x");

    /* a literal block keeps inner blank lines, drops outer ones, trims lines */
    CHECK_INT(SRC("---\n" REQ "title: |\n\n   Dòng một\t \n\n   Dòng  hai\n\n---\n"), VB_OK);
    CHECK_STR(model.meta.title.text, "Dòng một\n\nDòng hai");

    /* an empty front matter lists the first missing field */
    expect_error("---\n---\nBody\n", "frontmatter.missing", 1, 1);
    /* the front matter may end the file */
    CHECK_INT(SRC("---\n" REQ "---"), VB_OK);
    CHECK_INT(model.body.n, 0);
}

static void
test_errors(void)
{
    expect_error("Xin chào\n", "frontmatter.absent", 1, 1);
    expect_error("", "frontmatter.absent", 1, 1);
    expect_error("--- x\n" REQ "---\n", "frontmatter.absent", 1, 1);
    expect_error("---\n" REQ, "frontmatter.unclosed", 1, 1);
    expect_error("---\n" REQ "----\n", "frontmatter.unclosed", 1, 1);

    expect_error("---\n" REQ "  \nsố: 3\n---\n", "frontmatter.unknown-key", 7, 1);
    expect_error("---\n" REQ "signer:\n  tên: A\n---\n", "frontmatter.unknown-key", 7, 3);

    expect_error("---\nnumber: 1\nplace: B\ndate: 2023-07-06\n---\n", "frontmatter.missing", 1, 1);
    expect_error("---\nissuer: A\nplace: B\ndate: 2023-07-06\n---\n", "frontmatter.missing", 1, 1);
    expect_error("---\nissuer: A\nnumber: 1\ndate: 2023-07-06\n---\n", "frontmatter.missing", 1, 1);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\n---\n", "frontmatter.missing", 1, 1);
    expect_error("---\nissuer: A\nnumber: ~\nplace: B\ndate: 2023-07-06\n---\n", "frontmatter.missing", 1, 1);
    expect_error("---\nissuer: '  '\nnumber: 1\nplace: B\ndate: 2023-07-06\n---\n", "frontmatter.missing", 1, 1);

    expect_error("---\nissuer:\n  - A\n  - B\n---\n", "frontmatter.type", 3, 3);
    expect_error("---\nissuer: A\nnumber: {a: 1}\n---\n", "frontmatter.type", 3, 9);
    expect_error("---\n" REQ "signer: Trần Văn Hải\n---\n", "frontmatter.type", 6, 9);
    expect_error("---\n" REQ "signer:\n  name: [A]\n---\n", "frontmatter.type", 7, 9);
    expect_error("---\n" REQ "recipients:\n  a: b\n---\n", "frontmatter.type", 7, 3);
    expect_error("---\n" REQ "recipients:\n  - [a]\n---\n", "frontmatter.type", 7, 5);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: [2023]\n---\n", "frontmatter.type", 5, 7);
    expect_error("-\n", "frontmatter.absent", 1, 1);
    expect_error("---\n- a\n---\n", "frontmatter.type", 2, 1);

    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2023-02-30\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2023-02-29\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 06/07/2023\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2023-7-6\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate:   2023-13-01\n---\n", "frontmatter.date", 5, 9);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2023-00-10\n---\n", "frontmatter.date", 5, 7);

    /* YAML errors are at source positions */
    expect_error("---\nissuer: A\nnumber: [1\n---\n", "yaml.syntax", 4, 1);
    expect_error("---\nissuer: A\nissuer: B\n---\n", "yaml.duplicate-key", 3, 1);
    /* a control character from a YAML escape */
    expect_error("---\n" REQ "title: \"a\\x01b\"\n---\n", "utf8.control", 6, 8);
    expect_error("---\n" REQ "title: \"a\\x85b\"\n---\n", "utf8.control", 6, 8);

    /* body errors are offset by the front matter */
    expect_error("---\n" REQ "---\n\n| a |\n| b\n", "table.unclosed-row", 9, 4);
    /* and text errors come first, at the raw position */
    expect_error("---\n" REQ "---\nabc\xFF\n", "utf8.invalid", 7, 4);
}

/* The fields of issue 4: kinds, marks, lists, joint signers, duplex. */
static void
test_issue4_fields(void)
{
    CHECK_INT(SRC("---\n" REQ                                  /* 2-5 */
                  "kind: QUYẾT ĐỊNH\n"                          /* 6 */
                  "authority_line: BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI\n" /* 7 */
                  "bases:\n"                                    /* 8 */
                  "  - Căn cứ Điều lệ Đảng;\n"                  /* 9 */
                  "  - \"- Căn cứ Quy chế làm việc,\"\n"        /* 10 */
                  "to: Ban Thường vụ Tỉnh ủy\n"                 /* 11 */
                  "urgency: THƯỢNG KHẨN\n"                      /* 12 */
                  "secrecy: MẬT\n"                              /* 13 */
                  "draft: Dự thảo lần 2\n"                      /* 14 */
                  "circulation: TÀI LIỆU HỘI NGHỊ\n"            /* 15 */
                  "footer_note: Không phổ biến trên phương tiện thông tin đại chúng\n" /* 16 */
                  "contact: \"Số 1 Lê Lợi; ĐT: 0237 3852 000\"\n" /* 17 */
                  "drafter: PL.(300)\n"                         /* 18 */
                  "confirmation: Xác nhận chữ ký của đồng chí Trần Văn Hải\n" /* 19 */
                  "duplex: true\n"                              /* 20 */
                  "signer:\n"                                   /* 21 */
                  "  authority: T/M ĐẢNG ỦY\n"                  /* 22 */
                  "  post: BÍ THƯ\n"                            /* 23 */
                  "  name: Trần Văn Hải\n"                      /* 24 */
                  "---\nBody\n"),
              VB_OK);
    const vb_meta_t *m = &model.meta;
    CHECK_STR(m->authority_line.text, "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI");
    CHECK_INT(m->authority_line.pos.line, 7);
    CHECK_INT(m->authority_line.pos.col, 17);
    CHECK_INT(m->nbases, 2);
    CHECK_STR(m->bases[0].text, "Căn cứ Điều lệ Đảng;");
    CHECK_STR(m->bases[1].text, "Căn cứ Quy chế làm việc,");
    CHECK_INT(m->bases[1].pos.line, 10);
    CHECK_INT(m->bases_pos.line, 9);
    CHECK_INT(m->nto, 1);
    CHECK_STR(m->to[0].text, "Ban Thường vụ Tỉnh ủy");
    CHECK_INT(m->to_pos.line, 11);
    CHECK_INT(m->to_pos.col, 5);
    CHECK_STR(m->urgency.text, "THƯỢNG KHẨN");
    CHECK_STR(m->secrecy.text, "MẬT");
    CHECK_STR(m->draft.text, "Dự thảo lần 2");
    CHECK_STR(m->circulation.text, "TÀI LIỆU HỘI NGHỊ");
    CHECK_STR(m->footer_note.text, "Không phổ biến trên phương tiện thông tin đại chúng");
    CHECK_STR(m->contact.text, "Số 1 Lê Lợi; ĐT: 0237 3852 000");
    CHECK_STR(m->drafter.text, "PL.(300)");
    CHECK_INT(m->drafter.pos.line, 18);
    CHECK_STR(m->confirmation.text, "Xác nhận chữ ký của đồng chí Trần Văn Hải");
    CHECK(m->duplex);
    /* one signer mapping: signers[0], and signer mirrors it */
    CHECK_INT(m->nsigners, 1);
    CHECK_STR(m->signers[0].authority.text, "T/M ĐẢNG ỦY");
    CHECK_STR(m->signer.name.text, "Trần Văn Hải");
    CHECK_INT(m->signer.authority.pos.line, 22);

    /* absent: nothing, duplex false, no signers */
    CHECK_INT(SRC("---\n" REQ "duplex: false\nto:\nbases: []\n---\n"), VB_OK);
    CHECK(!model.meta.duplex);
    CHECK_INT(model.meta.nto, 0);
    CHECK_INT(model.meta.nbases, 0);
    CHECK_INT(model.meta.nsigners, 0);
    CHECK(model.meta.signers == NULL);
    CHECK(model.meta.urgency.text == NULL);

    /* `to` as a list; a "- " typed by the author is dropped; one text with line breaks is one entry */
    CHECK_INT(SRC("---\n" REQ "to:\n  - Ban Tổ chức Tỉnh ủy;\n  - \"- Ban Tuyên giáo Tỉnh ủy.\"\n---\n"), VB_OK);
    CHECK_INT(model.meta.nto, 2);
    CHECK_STR(model.meta.to[1].text, "Ban Tuyên giáo Tỉnh ủy.");
    CHECK_INT(model.meta.to[1].pos.line, 8);
    CHECK_INT(SRC("---\n" REQ "to: |-\n  Ủy ban nhân dân tỉnh\n  Sở Nội vụ\n---\n"), VB_OK);
    CHECK_INT(model.meta.nto, 1);
    CHECK_STR(model.meta.to[0].text, "Ủy ban nhân dân tỉnh\nSở Nội vụ");

    /* joint documents: a list of two signers, the lead first */
    CHECK_INT(SRC("---\n" REQ
                  "signer:\n"
                  "  - {authority: T/M BAN THƯỜNG VỤ TỈNH ỦY, post: PHÓ BÍ THƯ, name: Lê Văn A}\n" /* 7 */
                  "  - authority: T/M BAN CÁN SỰ ĐẢNG\n"                                         /* 8 */
                  "    post: BÍ THƯ\n"
                  "    name: Trần Văn B\n"
                  "---\n"),
              VB_OK);
    CHECK_INT(model.meta.nsigners, 2);
    CHECK_STR(model.meta.signers[0].name.text, "Lê Văn A");
    CHECK_STR(model.meta.signers[1].authority.text, "T/M BAN CÁN SỰ ĐẢNG");
    CHECK_INT(model.meta.signers[1].authority.pos.line, 8);
    CHECK_INT(model.meta.signers[1].authority.pos.col, 16);
    CHECK_STR(model.meta.signer.name.text, "Lê Văn A");
    /* a list of one is the same as a mapping */
    CHECK_INT(SRC("---\n" REQ "signer:\n  - {name: Lê Văn A}\n---\n"), VB_OK);
    CHECK_INT(model.meta.nsigners, 1);
    CHECK_STR(model.meta.signer.name.text, "Lê Văn A");

    /* the marks' closed sets; HỎA and HOẢ both */
    CHECK_INT(SRC("---\n" REQ "urgency: HỎA TỐC\nsecrecy: TUYỆT MẬT\n---\n"), VB_OK);
    CHECK_INT(SRC("---\n" REQ "urgency: HOẢ TỐC\nsecrecy: TỐI MẬT\n---\n"), VB_OK);
    CHECK_INT(SRC("---\n" REQ "urgency: KHẨN\n---\n"), VB_OK);
    CHECK_STR(model.meta.urgency.text, "KHẨN");
}

static void
test_issue4_errors(void)
{
    expect_error("---\n" REQ "urgency: GẤP\n---\n", "frontmatter.value", 6, 10);
    expect_error("---\n" REQ "urgency: khẩn\n---\n", "frontmatter.value", 6, 10);
    expect_error("---\n" REQ "secrecy: BÍ MẬT\n---\n", "frontmatter.value", 6, 10);
    expect_error("---\n" REQ "secrecy: [MẬT]\n---\n", "frontmatter.type", 6, 10);
    expect_error("---\n" REQ "duplex: yes\n---\n", "frontmatter.type", 6, 9);
    expect_error("---\n" REQ "duplex: [true]\n---\n", "frontmatter.type", 6, 9);
    expect_error("---\n" REQ "bases: Căn cứ Điều lệ Đảng;\n---\n", "frontmatter.type", 6, 8);
    expect_error("---\n" REQ "bases:\n  - [a]\n---\n", "frontmatter.type", 7, 5);
    expect_error("---\n" REQ "to: {a: b}\n---\n", "frontmatter.type", 6, 5);
    expect_error("---\n" REQ "draft: [a]\n---\n", "frontmatter.type", 6, 8);
    expect_error("---\n" REQ "signer:\n  - {name: A}\n  - B\n---\n", "frontmatter.type", 8, 5);
    expect_error("---\n" REQ "signer:\n  - {name: A}\n  - {name: B}\n  - {name: C}\n---\n", "frontmatter.value", 9,
                 5);
    expect_error("---\n" REQ "signer:\n  - {name: A}\n  - {nam: B}\n---\n", "frontmatter.unknown-key", 8, 6);
    expect_error("---\n" REQ "signers:\n  - {name: A}\n---\n", "frontmatter.unknown-key", 6, 1);
}

/* "\landscape" marks the appendix it stands in; in the main text it is an error. */
static void
test_landscape(void)
{
    CHECK_INT(SRC("---\n" REQ "---\n"     /* 1-6 */
                  "Body\n"               /* 7 */
                  "# PHỤ LỤC 1\n"        /* 8 */
                  "# TITLE\n"            /* 9 */
                  "Text\n"               /* 10 */
                  "# PHỤ LỤC 2\n"        /* 11 */
                  "  \\landscape  \n"    /* 12 */
                  "| a | b |\n|---|---|\n| 1 | 2 |\n"
                  "# PHỤ LỤC 3\n"
                  "# TITLE 3\n"
                  "\\landscape\n"),
              VB_OK);
    CHECK_INT(model.nappendices, 3);
    CHECK(!model.appendices[0].landscape);
    CHECK(model.appendices[1].landscape);
    CHECK_INT(model.appendices[1].blocks.n, 1); /* the marker is no block */
    CHECK_INT(model.appendices[1].blocks.v[0].kind, VB_BLOCK_TABLE);
    CHECK(model.appendices[2].landscape);
    CHECK_INT(model.appendices[2].ntitle, 1);
    CHECK_INT(model.appendices[2].blocks.n, 0);
    CHECK_INT(model.body.n, 1);
    /* between the label and the title lines: still that appendix, and the title is kept */
    CHECK_INT(SRC("---\n" REQ "---\n# Phụ lục I\n\\landscape\n# TITLE\nText\n"), VB_OK);
    CHECK_INT(model.nappendices, 1);
    CHECK(model.appendices[0].landscape);
    CHECK_INT(model.appendices[0].ntitle, 1);
    /* "\landscape" with more text on the line is text */
    CHECK_INT(SRC("---\n" REQ "---\n\\landscape now\n"), VB_OK);
    CHECK_INT(model.body.n, 1);

    expect_error("---\n" REQ "---\nBody\n\n \\landscape\n# PHỤ LỤC 1\n", "markdown.landscape", 9, 2);
    expect_error("---\n" REQ "---\n\\landscape\n", "markdown.landscape", 7, 1);
}

/* "\nolabel" marks the appendix it stands in; without a title of its own, or in the main text, an error. */
static void
test_nolabel(void)
{
    CHECK_INT(SRC("---\n" REQ "---\n"     /* 1-6 */
                  "Body\n"               /* 7 */
                  "# PHỤ LỤC 1\n"        /* 8 */
                  "\\nolabel\n"          /* 9 */
                  "# TITLE\n"            /* 10 */
                  "Text\n"               /* 11 */
                  "# PHỤ LỤC 2\n"        /* 12 */
                  "# TITLE 2\n"),
              VB_OK);
    CHECK_INT(model.nappendices, 2);
    CHECK(model.appendices[0].nolabel);
    CHECK(!model.appendices[0].landscape);
    CHECK_INT(model.appendices[0].ntitle, 1); /* the marker is no block and keeps the title */
    CHECK_INT(model.appendices[0].label.n, 1); /* the label is kept (numbering is checked on it) */
    CHECK_INT(model.appendices[0].blocks.n, 1);
    CHECK(!model.appendices[1].nolabel);
    /* both markers in one appendix */
    CHECK_INT(SRC("---\n" REQ "---\n# Phụ lục I\n\\nolabel\n# TITLE\n\\landscape\n"), VB_OK);
    CHECK(model.appendices[0].nolabel && model.appendices[0].landscape);

    expect_error("---\n" REQ "---\nBody\n\\nolabel\n# PHỤ LỤC 1\n# T\n", "markdown.nolabel", 8, 1);
    expect_error("---\n" REQ "---\nBody\n# PHỤ LỤC 1. DANH SÁCH\n \\nolabel\n", "markdown.nolabel", 9, 2);
}

static void
test_frontmatter_api(void)
{
    /* vb_read_frontmatter alone, on a tree */
    vb_ynode_t *root;
    const char *y = "issuer: A\nnumber: 1\nplace: B\ndate: 2000-01-31\nbad: 1\n";
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_yaml_parse(arena, y, strlen(y), "x", 0, &root, &diag), VB_OK);
    vb_meta_t meta;
    CHECK_INT(vb_read_frontmatter(arena, root, "x", &meta, &diag), VB_E_INPUT);
    CHECK_STR(diag.id, "frontmatter.unknown-key");
    CHECK_INT(diag.line, 5);
    CHECK_INT(vb_read_frontmatter(arena, NULL, "x", &meta, &diag), VB_E_INPUT);
}

/* Issue 8: a number and a date left blank until issuance, issuer_name, to_note, nonconforming. */
static void
test_issuance(void)
{
    static const struct {
        const char *typed, *rest;
        bool blank;
    } nums[] = {
        {"\"/KH-UBND\"", "/KH-UBND", true},   {"-BC/ĐU", "-BC/ĐU", true},
        {"\"…/KH-UBND\"", "/KH-UBND", true},  {"___-BC/ĐU", "-BC/ĐU", true},
        {"\" . . /KH-UBND\"", "/KH-UBND", true}, {"15/KH-UBND", "15/KH-UBND", false},
        {"\"…\"", "…", false},                {"\"-\"", "-", false},
    };
    char buf[512];
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        snprintf(buf, sizeof buf, "---\nissuer: A\nnumber: %s\nplace: B\ndate: 2026-04-06\n---\n", nums[i].typed);
        CHECK_INT(SRC(buf), VB_OK);
        CHECK_STR(model.meta.number.text, nums[i].rest);
        CHECK_INT(model.meta.number_blank, nums[i].blank);
    }
    CHECK_INT(SRC("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2026-04\n---\n"), VB_OK);
    CHECK_INT(model.meta.date.year, 2026);
    CHECK_INT(model.meta.date.month, 4);
    CHECK_INT(model.meta.date.day, 0);
    CHECK_INT(SRC("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2026\n---\n"), VB_OK);
    CHECK_INT(model.meta.date.year, 2026);
    CHECK_INT(model.meta.date.month, 0);
    CHECK_INT(model.meta.date.day, 0);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2026-13\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 2026-4\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 0000\n---\n", "frontmatter.date", 5, 7);
    expect_error("---\nissuer: A\nnumber: 1\nplace: B\ndate: 26\n---\n", "frontmatter.date", 5, 7);
    CHECK_INT(SRC("---\n" REQ "issuer_name: Ban Tổ chức Tỉnh ủy\nto_note: (sau đây gọi tắt là Sở)\n"
                  "nonconforming: true\n---\n"),
              VB_OK);
    CHECK_STR(model.meta.issuer_name.text, "Ban Tổ chức Tỉnh ủy");
    CHECK_STR(model.meta.to_note.text, "(sau đây gọi tắt là Sở)");
    CHECK(model.meta.nonconforming);
    CHECK_INT(model.meta.nonconforming_pos.line, 8);
    expect_error("---\n" REQ "nonconforming: yes\n---\n", "frontmatter.type", 6, 16);
}

/* Issue 8: list entries as inline Markdown; line_breaks. */
static void
test_inline_lists(void)
{
    CHECK_INT(SRC("---\n" REQ "recipients:\n  - \"**Như Điều 3;**\"\n  - \"Lưu: VT, *KT*, Hg~10~.\"\n"
                  "bases:\n  - Căn cứ Luật số 30/2024/QH15 ngày 21 tháng 6 năm 2024 (m^2^)\n"
                  "to: |-\n  Ban Thường vụ\n  *Tỉnh ủy*\nline_breaks: paragraphs\n---\nMột\nHai\n"),
              VB_OK);
    CHECK_INT(model.meta.nrecipients, 2);
    CHECK_STR(model.meta.recipients[0].text, "Như Điều 3;");
    CHECK_INT(model.meta.recipients[0].in.n, 1);
    CHECK_INT(model.meta.recipients[0].in.spans[0].face, VB_FACE_BOLD);
    CHECK_STR(model.meta.recipients[1].text, "Lưu: VT, KT, Hg10.");
    CHECK_INT(model.meta.recipients[1].in.n, 5);
    CHECK_INT(model.meta.recipients[1].in.spans[1].face, VB_FACE_ITALIC);
    CHECK_INT(model.meta.recipients[1].in.spans[3].face, VB_SPAN_SUB);
    CHECK_INT(model.meta.recipients[1].pos.line, 8);
    CHECK_INT(model.meta.nbases, 1);
    CHECK_INT(model.meta.bases[0].in.spans[1].face, VB_SPAN_SUPER);
    CHECK_INT(model.meta.nto, 1);
    CHECK_STR(model.meta.to[0].text, "Ban Thường vụ\nTỉnh ủy");
    CHECK_INT(model.meta.to[0].in.spans[model.meta.to[0].in.n - 1].face, VB_FACE_ITALIC);
    CHECK(model.meta.line_paragraphs);
    CHECK_INT(model.body.n, 2);
    expect_error("---\n" REQ "line_breaks: lines\n---\n", "frontmatter.value", 6, 14);
}

int
main(void)
{
    arena = vb_arena_new();
    test_issuance();
    test_full();
    test_fields();
    test_errors();
    test_issue4_fields();
    test_issue4_errors();
    test_landscape();
    test_dump_blanks();
    test_nolabel();
    test_frontmatter_api();
    test_inline_lists();
    vb_arena_free(arena);
    return check_done();
}
