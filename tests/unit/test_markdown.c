/* test_markdown.c - the Markdown body: paragraphs without lists, faces, breaks, headings, appendices. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input.h"

static vb_arena_t *arena;
static vb_model_t model;
static vb_diag_t diag;

static vb_status_t
md(const char *s, int line0)
{
    memset(&model, 0, sizeof model);
    memset(&diag, 0, sizeof diag);
    model.source = "b.md";
    return vb_read_markdown(arena, s, strlen(s), "b.md", line0, &model, &diag);
}

/* Spans as "face:text|face:text" (faces r b i bi), in a static buffer. */
static const char *
spans(const vb_inline_t *in)
{
    static char buf[4096];
    static const char *const f[4] = {"r", "b", "i", "bi"};
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < in->n; i++) {
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s:%.*s", i ? "|" : "", f[in->spans[i].face & 3],
                              (int)in->spans[i].len, in->spans[i].text);
        CHECK_INT(strlen(in->spans[i].text), in->spans[i].len);
    }
    return buf;
}

static const vb_block_t *
blk(int i)
{
    static vb_block_t none;
    if (i >= model.body.n)
        return &none;
    return &model.body.v[i];
}

#define CHECK_BLOCK(i, kind_, text_, line_, col_)                                                                      \
    do {                                                                                                             \
        CHECK_INT(blk(i)->kind, kind_);                                                                               \
        CHECK_STR(spans(&blk(i)->text), text_);                                                                        \
        CHECK_INT(blk(i)->pos.line, line_);                                                                           \
        CHECK_INT(blk(i)->pos.col, col_);                                                                             \
    } while (0)

static void
test_no_lists(void)
{
    CHECK_INT(md("1. Tình hình chung\n"
                 "- Việc ban hành văn bản\n"
                 "5. Cấp ủy các cấp đã\n"
                 "* x\n"
                 "+ y\n"
                 "2) hai\n",
                 1),
              VB_OK);
    CHECK_INT(model.body.n, 6);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:1. Tình hình chung", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:- Việc ban hành văn bản", 2, 1);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:5. Cấp ủy các cấp đã", 3, 1);
    CHECK_BLOCK(3, VB_BLOCK_PARA, "r:* x", 4, 1);
    CHECK_BLOCK(4, VB_BLOCK_PARA, "r:+ y", 5, 1);
    CHECK_BLOCK(5, VB_BLOCK_PARA, "r:2) hai", 6, 1);

    /* a marker line right after a paragraph line starts a new paragraph (5. is a lazy line in CommonMark) */
    CHECK_INT(md("Kết quả như sau\n"
                 "5. Cấp ủy cơ sở\n"
                 "tiếp tục dòng\n"
                 "\n"
                 "  - Việc thụt lề\n",
                 3),
              VB_OK);
    CHECK_INT(model.body.n, 3);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Kết quả như sau", 3, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:5. Cấp ủy cơ sở tiếp tục dòng", 4, 1);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:- Việc thụt lề", 7, 3);

    /* the marker keeps its emphasis neighbours */
    CHECK_INT(md("1. **Tình hình** chung\n- *Việc* làm", 1), VB_OK);
    CHECK_INT(model.body.n, 2);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:1. |b:Tình hình|r: chung", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:- |i:Việc|r: làm", 2, 1);

    /* a marker alone, a thematic break and a setext underline stay text */
    CHECK_INT(md("Dòng\n---\n\n***\n\n-\n\nA\n===\n", 1), VB_OK);
    CHECK_INT(model.body.n, 6);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Dòng", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:---", 2, 1);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:***", 4, 1);
    CHECK_BLOCK(3, VB_BLOCK_PARA, "r:-", 6, 1);
    CHECK_BLOCK(4, VB_BLOCK_PARA, "r:A", 8, 1);
    CHECK_BLOCK(5, VB_BLOCK_PARA, "r:===", 9, 1);

    /* lists cmark still finds inside a block quote are undone */
    CHECK_INT(md("> 1. Một\n> 2. Hai\n>\n> - ba\n", 1), VB_OK);
    CHECK_INT(model.body.n, 3);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:1. Một", 1, 6);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:2. Hai", 2, 6);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:- ba", 4, 5);
}

static void
test_literal_text(void)
{
    CHECK_INT(md("Nhiệm kỳ 2020 -2025 và ... \"trích\" “cong” 'đơn' -- hết\n"
                 "-2025 là năm cuối\n",
                 1),
              VB_OK);
    CHECK_INT(model.body.n, 1);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Nhiệm kỳ 2020 -2025 và ... \"trích\" “cong” 'đơn' -- hết -2025 là năm cuối", 1,
                1);

    CHECK_INT(md("...\n\n-2025\n", 1), VB_OK);
    CHECK_INT(model.body.n, 2);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:...", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:-2025", 3, 1);

    /* raw HTML, entities, escapes, code spans, links */
    CHECK_INT(md("a <b>x</b> &amp; \\*không\\* `mã  *x*` [văn bản](http://x.vn) ![ảnh](a.png)", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:a <b>x</b> & *không* mã *x* văn bản ảnh", 1, 1);

    CHECK_INT(md("<div>\nkhối\n</div>\n", 1), VB_OK);
    CHECK_INT(model.body.n, 1);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:<div> khối </div>", 1, 1);

    /* whitespace collapsed and trimmed; a tab-indented paragraph is not code */
    CHECK_INT(md("\tThực   hiện\t **tốt** \n    nhiệm vụ   \n\n    tiếp  \n   theo", 1), VB_OK);
    CHECK_INT(model.body.n, 2);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Thực hiện |b:tốt|r: nhiệm vụ", 1, 2);
    /* two trailing spaces are still a hard break */
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:tiếp\ntheo", 4, 5);

    /* a fenced block keeps its lines and is never a table or a list */
    CHECK_INT(md("```\n- a\n| b |\n```\n", 1), VB_OK);
    CHECK_INT(model.body.n, 1);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:- a\n| b |", 1, 1);
}

static void
test_faces(void)
{
    CHECK_INT(md("Chữ **đậm** và *nghiêng* và ***cả hai*** hết.", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Chữ |b:đậm|r: và |i:nghiêng|r: và |bi:cả hai|r: hết.", 1, 1);

    CHECK_INT(md("__đậm__ _nghiêng_ **đậm *lồng* đậm** *nghiêng **lồng***", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "b:đậm|r: |i:nghiêng|r: |b:đậm |bi:lồng|b: đậm|r: |i:nghiêng |bi:lồng", 1, 1);

    /* adjacent runs of one face merge */
    CHECK_INT(md("**a**__b__ c", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "b:ab|r: c", 1, 1);

    /* soft breaks are spaces, hard breaks are \n */
    CHECK_INT(md("Dòng một\\\nDòng hai  \nDòng ba\n  nối tiếp", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Dòng một\nDòng hai\nDòng ba nối tiếp", 1, 1);
    /* a hard break right before a marker line: the marker line still starts a paragraph, no stray backslash */
    CHECK_INT(md("Dòng một\\\n- hai\n", 1), VB_OK);
    CHECK_INT(model.body.n, 2);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Dòng một", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:- hai", 2, 1);
    CHECK_INT(md("a\\\\\n- b\n", 1), VB_OK); /* an escaped backslash stays */
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:a\\", 1, 1);
    /* entities: a decomposed letter is composed; one standing for a character no document may hold
       (a control, NUL, a surrogate, a noncharacter, a bidi control) is refused at its position */
    CHECK_INT(md("Vie&#x323;&#x302;t a&#x2665;&agrave;", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Việt a\xE2\x99\xA5\xC3\xA0", 1, 1);
    CHECK_INT(md("Dòng một\nVie&#x323;t a&#7;b", 3), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.control");
    CHECK_INT(diag.line, 4);
    CHECK_INT(diag.col, 14);
    CHECK_STR(diag.msg, "The character reference &#7; stands for the control character U+0007.");
    CHECK_INT(md("a&#x85;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.control");
    CHECK_INT(md("a&#0;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.control");
    CHECK_INT(md("a&#xD800;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.invalid");
    CHECK_INT(md("a&#1114112;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.invalid");
    CHECK_INT(md("a&#xFFFE;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.noncharacter");
    CHECK_INT(md("a&#xfdd0;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.noncharacter");
    CHECK_INT(md("a&#x202E;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.bidi");
    CHECK_INT(md("a&#8295;", 1), VB_E_INPUT); /* U+2067 RIGHT-TO-LEFT ISOLATE */
    CHECK_STR(diag.id, "utf8.bidi");
    CHECK_INT(md("a &rlm;", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "utf8.bidi");
    CHECK_INT(diag.col, 3);
    /* escaped, the reference is text */
    CHECK_INT(md("a\\&#7;", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:a&#7;", 1, 1);
    CHECK_INT(md("**đậm\\\nđậm** thường", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "b:đậm\nđậm|r: thường", 1, 1);
}

static void
test_headings(void)
{
    CHECK_INT(md("# I. TÌNH HÌNH TRIỂN KHAI\n"
                 "## 1. Tình hình chung\n"
                 "### 2.1. Nâng cao\n"
                 "#### bốn\n"
                 "##### năm ##\n"
                 "###### *sáu*\n"
                 "####### bảy\n"
                 "\\pagebreak\n"
                 "Sau",
                 20),
              VB_OK);
    CHECK_INT(model.body.n, 9);
    CHECK_BLOCK(0, VB_BLOCK_HEADING, "r:I. TÌNH HÌNH TRIỂN KHAI", 20, 1);
    CHECK_INT(blk(0)->level, 1);
    CHECK_BLOCK(1, VB_BLOCK_HEADING, "r:1. Tình hình chung", 21, 1);
    CHECK_INT(blk(1)->level, 2);
    CHECK_INT(blk(2)->level, 3);
    CHECK_INT(blk(3)->level, 4);
    CHECK_BLOCK(4, VB_BLOCK_HEADING, "r:năm", 24, 1);
    CHECK_INT(blk(4)->level, 5);
    CHECK_BLOCK(5, VB_BLOCK_HEADING, "i:sáu", 25, 1);
    CHECK_INT(blk(5)->level, 6);
    CHECK_BLOCK(6, VB_BLOCK_PARA, "r:####### bảy", 26, 1);
    CHECK_BLOCK(7, VB_BLOCK_PAGEBREAK, "", 27, 1);
    CHECK_BLOCK(8, VB_BLOCK_PARA, "r:Sau", 28, 1);
    CHECK(model.nappendices == 0);

    /* \pagebreak inside a paragraph line is text */
    CHECK_INT(md("a \\pagebreak\n  \\pagebreak  \n", 1), VB_OK);
    CHECK_INT(model.body.n, 2);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:a \\pagebreak", 1, 1);
    CHECK_BLOCK(1, VB_BLOCK_PAGEBREAK, "", 2, 3);
}

static void
test_appendices(void)
{
    CHECK_INT(md("Thân bài.\n"
                 "\n"
                 "# PHỤ LỤC 1\n"
                 "# XẾP LOẠI TỔ CHỨC CƠ SỞ ĐẢNG,\n"
                 "\n"
                 "# CẤP ỦY CƠ SỞ\n"
                 "\n"
                 "| STT | NỘI DUNG |\n"
                 "|:---:|----------|\n"
                 "| 1   | a        |\n"
                 "Ghi chú dưới bảng.\n"
                 "# Phụ lục 2\n"
                 "## không phải tiêu đề\n"
                 "# cũng không\n"
                 "# phụ LỤC 3\n"
                 "# **PHỤ LỤC** 4\n"
                 "# Phụ lục kèm\n"
                 "# Phụ lụcx\n",
                 40),
              VB_OK);
    CHECK_INT(model.body.n, 1);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Thân bài.", 40, 1);
    CHECK_INT(model.nappendices, 5);
    const vb_appendix_t *a = &model.appendices[0];
    CHECK_STR(spans(&a->label), "r:PHỤ LỤC 1");
    CHECK_INT(a->pos.line, 42);
    CHECK_INT(a->pos.col, 1);
    CHECK_INT(a->ntitle, 2);
    CHECK_STR(spans(&a->title[0]), "r:XẾP LOẠI TỔ CHỨC CƠ SỞ ĐẢNG,");
    CHECK_STR(spans(&a->title[1]), "r:CẤP ỦY CƠ SỞ");
    CHECK_INT(a->blocks.n, 2);
    CHECK_INT(a->blocks.v[0].kind, VB_BLOCK_TABLE);
    CHECK_INT(a->blocks.v[0].pos.line, 47);
    CHECK(a->blocks.v[0].table && a->blocks.v[0].table->nrows == 2);
    CHECK_INT(a->blocks.v[1].kind, VB_BLOCK_PARA);
    CHECK_INT(a->blocks.v[1].pos.line, 50);

    a = &model.appendices[1];
    CHECK_STR(spans(&a->label), "r:Phụ lục 2");
    CHECK_INT(a->ntitle, 0);
    CHECK_INT(a->blocks.n, 2);
    CHECK_INT(a->blocks.v[0].level, 2);
    CHECK_INT(a->blocks.v[1].level, 1);

    CHECK_STR(spans(&model.appendices[2].label), "r:phụ LỤC 3");
    CHECK_STR(spans(&model.appendices[3].label), "b:PHỤ LỤC|r: 4");
    a = &model.appendices[4];
    CHECK_STR(spans(&a->label), "r:Phụ lục kèm");
    CHECK_INT(a->ntitle, 1);
    CHECK_STR(spans(&a->title[0]), "r:Phụ lụcx");
    CHECK_INT(a->blocks.n, 0);
}

static void
test_tables_in_body(void)
{
    CHECK_INT(md("Đoạn trước\n"
                 "| a | b |\n"
                 "|---|--:|\n"
                 "| - Hoàn thành | 1. x |\n"
                 "Đoạn sau\n",
                 5),
              VB_OK);
    CHECK_INT(model.body.n, 3);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:Đoạn trước", 5, 1);
    CHECK_INT(blk(1)->kind, VB_BLOCK_TABLE);
    CHECK_INT(blk(1)->pos.line, 6);
    const vb_table_t *t = blk(1)->table;
    CHECK(t != NULL);
    if (t) {
        CHECK_INT(t->nhead, 1);
        CHECK_STR(spans(&VB_CELL(t, 1, 0)->text), "r:- Hoàn thành");
        CHECK_STR(spans(&VB_CELL(t, 1, 1)->text), "r:1. x");
        CHECK_INT(t->col_align[1], VB_ALIGN_RIGHT);
    }
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:Đoạn sau", 9, 1);

    /* errors inside a table carry the source position */
    CHECK_INT(md("x\n\n| a | b |\n| 1 |\n", 30), VB_E_INPUT);
    CHECK_STR(diag.id, "table.no-delimiter");
    CHECK_INT(diag.line, 32);
    CHECK_INT(diag.col, 1);
    CHECK_STR(diag.source, "b.md");
    CHECK_INT(md("x\n\n   | Đề | b |\n   |---|---|\n   | 1 |\n", 30), VB_E_INPUT);
    CHECK_STR(diag.id, "table.ragged");
    CHECK_INT(diag.line, 34);
    CHECK_INT(diag.col, 4);

    /* four spaces: not a table */
    CHECK_INT(md("    | a |", 1), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:| a |", 1, 5);
}

static void
test_cell_inline(void)
{
    vb_inline_t in;
    memset(&diag, 0, sizeof diag);
    CHECK_INT(vb_md_inline(arena, "# **I** *Trong đó*", strlen("# **I** *Trong đó*"), &in, &diag), VB_OK);
    CHECK_STR(spans(&in), "r:# |b:I|r: |i:Trong đó");
    CHECK_INT(vb_md_inline(arena, "_x_ > y", 7, &in, &diag), VB_OK);
    CHECK_STR(spans(&in), "i:x|r: > y");
    CHECK_INT(vb_md_inline(arena, "", 0, &in, &diag), VB_OK);
    CHECK_INT(in.n, 0);
    CHECK_INT(vb_md_inline(arena, "\\< \\^ a\\|b", strlen("\\< \\^ a\\|b"), &in, &diag), VB_OK);
    CHECK_STR(spans(&in), "r:< ^ a|b");
}

/*
 * Text with no inline construct is not given to cmark (md_inline's plain
 * path); a character reference at its end ("&#32;", a space, trimmed) sends
 * the same text through cmark: both must give the same spans.
 */
static void
faces(const vb_inline_t *in, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < in->n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "|%d:%.*s", in->spans[i].face, (int)in->spans[i].len,
                              in->spans[i].text);
}

static void
test_plain_inline(void)
{
    static const char *const texts[] = {
        "  Tổng   số m^2^ và Q~max~ đã ký  ",
        "- 1. # > ~~x~~ a ^ b ^ m^^2 Hg~10~\t| tab\tend",
        "Điều 5.\x0b khoản\x0c 2 ",
        "",
        "   ",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char plain[256], viacm[256];
        vb_inline_t in;
        memset(&diag, 0, sizeof diag);
        CHECK_INT(vb_md_inline_cell(arena, texts[i], strlen(texts[i]), &in, &diag), VB_OK);
        faces(&in, plain, sizeof plain);
        char src[128];
        snprintf(src, sizeof src, "%s&#32;", texts[i]);
        CHECK_INT(vb_md_inline_cell(arena, src, strlen(src), &in, &diag), VB_OK);
        faces(&in, viacm, sizeof viacm);
        CHECK_STR(plain, viacm);
    }
    vb_inline_t in;
    CHECK_INT(vb_md_inline_cell(arena, texts[0], strlen(texts[0]), &in, &diag), VB_OK);
    CHECK(in.n > 2); /* the superscript and subscript are spans of their own */
}

static void
test_empty(void)
{
    CHECK_INT(md("", 1), VB_OK);
    CHECK_INT(model.body.n, 0);
    CHECK_INT(md("\n\n  \n", 1), VB_OK);
    CHECK_INT(model.body.n, 0);
    CHECK_INT(md("no newline at end", 7), VB_OK);
    CHECK_BLOCK(0, VB_BLOCK_PARA, "r:no newline at end", 7, 1);
}

/* Spans with their script bits: "r:m|r^:2" ("^" super, "_" sub, "n" a footnote reference). */
static const char *
xspans(const vb_inline_t *in)
{
    static char buf[4096];
    static const char *const f[4] = {"r", "b", "i", "bi"};
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < in->n; i++) {
        int fc = in->spans[i].face;
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s%s%s%s:%.*s", i ? "|" : "", f[fc & 3],
                              fc & VB_SPAN_SUPER ? "^" : "", fc & VB_SPAN_SUB ? "_" : "", fc & VB_SPAN_NOTE ? "n" : "",
                              (int)in->spans[i].len, in->spans[i].text);
    }
    return buf;
}

/* Issue 8 item 5: administrative enumerators start paragraphs without a blank line. */
static void
test_enumerators(void)
{
    CHECK_INT(md("Các nhiệm vụ sau:\n"
                 "a) Rà soát;\n"
                 "đ) Báo cáo;\n"
                 "1.1. Mục một\n"
                 "1.1.1. Mục con\n"
                 "I. Phần một\n"
                 "XIV- Phần mười bốn\n"
                 "Điều 5. Hiệu lực thi hành\n"
                 "• chấm\n"
                 "– gạch ngang\n"
                 "+ cộng\n",
                 10),
              VB_OK);
    CHECK_INT(model.body.n, 11);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:a) Rà soát;", 11, 1);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:đ) Báo cáo;", 12, 1);
    CHECK_BLOCK(3, VB_BLOCK_PARA, "r:1.1. Mục một", 13, 1);
    CHECK_BLOCK(4, VB_BLOCK_PARA, "r:1.1.1. Mục con", 14, 1);
    CHECK_BLOCK(5, VB_BLOCK_PARA, "r:I. Phần một", 15, 1);
    CHECK_BLOCK(6, VB_BLOCK_PARA, "r:XIV- Phần mười bốn", 16, 1);
    CHECK_BLOCK(7, VB_BLOCK_PARA, "r:Điều 5. Hiệu lực thi hành", 17, 1);
    CHECK_BLOCK(8, VB_BLOCK_PARA, "r:• chấm", 18, 1);
    CHECK_BLOCK(9, VB_BLOCK_PARA, "r:– gạch ngang", 19, 1);
    CHECK_BLOCK(10, VB_BLOCK_PARA, "r:+ cộng", 20, 1);
    /* ordinary prose is not split */
    CHECK_INT(md("Tổng số\n2.500 người tham gia\nIn ấn tài liệu\nVí dụ a)b\nIII.5 lần\nĐiều 5 của Luật\nV\\. I. Lênin\n", 1),
              VB_OK);
    CHECK_INT(model.body.n, 1);
    CHECK_BLOCK(0, VB_BLOCK_PARA,
                "r:Tổng số 2.500 người tham gia In ấn tài liệu Ví dụ a)b III.5 lần Điều 5 của Luật V. I. Lênin", 1, 1);
    /* line_breaks: paragraphs -- every line its own paragraph */
    memset(&model, 0, sizeof model);
    memset(&diag, 0, sizeof diag);
    model.meta.line_paragraphs = true;
    const char *src = "Dòng một\nDòng hai\n\nDòng ba\n";
    CHECK_INT(vb_read_markdown(arena, src, strlen(src), "b.md", 1, &model, &diag), VB_OK);
    CHECK_INT(model.body.n, 3);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:Dòng hai", 2, 1);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:Dòng ba", 4, 1);
}

/* "-> x <-" centred, "-> x ->" right-aligned, possibly over several lines. */
static void
test_align(void)
{
    CHECK_INT(md("Trước\n-> PHẦN THỨ NHẤT <-\nSau\n\n-> *ghi chú* ->\n-> dòng một\ndòng hai <-\n-> x\n", 1),
              VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.align-unclosed");
    CHECK_INT(diag.line, 8);
    CHECK_INT(md("Trước\n-> PHẦN THỨ NHẤT <-\nSau\n\n-> *ghi chú* ->\n-> dòng một\ndòng hai <-\n\\-> x <-\n", 1),
              VB_OK);
    CHECK_INT(model.body.n, 6);
    CHECK_BLOCK(1, VB_BLOCK_PARA, "r:PHẦN THỨ NHẤT", 2, 4);
    CHECK_INT(blk(0)->align, VB_ALIGN_DEFAULT);
    CHECK_INT(blk(1)->align, VB_ALIGN_CENTER);
    CHECK_BLOCK(2, VB_BLOCK_PARA, "r:Sau", 3, 1);
    CHECK_INT(blk(2)->align, VB_ALIGN_DEFAULT);
    CHECK_INT(blk(3)->align, VB_ALIGN_RIGHT);
    CHECK_STR(spans(&blk(3)->text), "i:ghi chú");
    CHECK_INT(blk(4)->align, VB_ALIGN_CENTER);
    CHECK_STR(spans(&blk(4)->text), "r:dòng một dòng hai");
    CHECK_INT(blk(5)->align, VB_ALIGN_DEFAULT);
    CHECK_STR(spans(&blk(5)->text), "r:-> x <-");
    CHECK_INT(md("-> mở\n\nđóng <-\n", 3), VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.align-unclosed");
    CHECK_INT(diag.line, 3);
}

static void
test_scripts(void)
{
    CHECK_INT(md("\\[link](u) 25 m^2^, Q~max~, **Hg~10~**, x^a b^, ~~y~~, 2^^, a\\^b^, `c^d^`, `e\\^f`\n", 1), VB_OK);
    CHECK_STR(xspans(&blk(0)->text),
              "r:[link](u) 25 m|r^:2|r:, Q|r_:max|r:, |b:Hg|b_:10|r:, x^a b^, ~~y~~, 2^^, a^b^, c^d^, e\\^f");
    vb_inline_t in;
    const char *e = "Lưu: VT, *KT*, Hg~10~.\n**Như Điều 3;**";
    CHECK_INT(vb_md_inline_text(arena, e, strlen(e), &in, &diag), VB_OK);
    CHECK_STR(xspans(&in), "r:Lưu: VT, |i:KT|r:, Hg|r_:10|r:.|r:\n|b:Như Điều 3;");
}

static void
test_footnotes(void)
{
    CHECK_INT(md("Một[^a] hai[^b][^a].\n\n# Tiêu đề[^c]\n\n[^b]: Ghi chú **B**\n  tiếp.\n[^a]: Ghi chú A.\n"
                 "[^c]: C\n\nSau [\\^x].\n",
                 1),
              VB_OK);
    CHECK_INT(model.body.n, 3);
    CHECK_STR(xspans(&blk(0)->text), "r:Một|r^n:1|r: hai|r^n:2|r^n:1|r:.");
    CHECK_STR(xspans(&blk(1)->text), "r:Tiêu đề|r^n:3");
    CHECK_STR(xspans(&blk(2)->text), "r:Sau [^x].");
    CHECK_INT(model.nnotes, 3);
    CHECK_STR(model.notes[0].label, "a");
    CHECK_STR(spans(&model.notes[0].text), "r:Ghi chú A.");
    CHECK_INT(model.notes[0].pos.line, 7);
    CHECK_STR(spans(&model.notes[1].text), "r:Ghi chú |b:B|r: tiếp.");
    CHECK_INT(model.notes[1].pos.line, 5);
    CHECK_INT(md("Một[^a].\n", 4), VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.footnote-undefined");
    CHECK_INT(diag.line, 4);
    CHECK_INT(md("Một.\n\n[^a]: x\n", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.footnote-unused");
    CHECK_INT(diag.line, 3);
    CHECK_INT(md("Một[^a].\n\n[^a]: x\n[^a]: y\n", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.footnote-duplicate");
    CHECK_INT(diag.line, 4);
    CHECK_INT(md("Một[^a].\n\n[^a]:\n", 1), VB_E_INPUT);
    CHECK_STR(diag.id, "markdown.footnote-empty");
}

int
main(void)
{
    arena = vb_arena_new();
    test_no_lists();
    test_literal_text();
    test_faces();
    test_headings();
    test_appendices();
    test_tables_in_body();
    test_cell_inline();
    test_empty();
    test_enumerators();
    test_align();
    test_scripts();
    test_plain_inline();
    test_footnotes();
    vb_arena_free(arena);
    return check_done();
}
