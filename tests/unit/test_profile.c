/*
 * test_profile.c - the layout profile reader: the shipped Party profile in
 * millipoints, the defaults of a minimal profile, and every diagnostic with
 * its line:col. Run with the project root as working directory.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "profile.h"

/* A minimal valid profile; the error cases edit one of its lines or append to it. */
static const char *const MINIMAL = "schema: 1\n"                       /* 1 */
                                   "id: t\n"                           /* 2 */
                                   "regime: party\n"                   /* 3 */
                                   "page:\n"                           /* 4 */
                                   "  width: 210mm\n"                  /* 5 */
                                   "  height: 297mm\n"                 /* 6 */
                                   "margins:\n"                        /* 7 */
                                   "  top: 20mm\n"                     /* 8 */
                                   "  bottom: 20mm\n"                  /* 9 */
                                   "  left: 30mm\n"                    /* 10 */
                                   "  right: 15mm\n"                   /* 11 */
                                   "fonts:\n"                          /* 12 */
                                   "  families: [Serif]\n"             /* 13 */
                                   "date:\n"                           /* 14 */
                                   "  format: \"{day}/{month}/{year}\"\n" /* 15 */
                                   "body:\n"                           /* 16 */
                                   "  size: 14pt\n"                    /* 17 */
                                   "table:\n"                          /* 18 */
                                   "  border: 0.5pt\n";                /* 19 */

static char edit_buf[8192];

/* MINIMAL with line `line` (1-based; 0: none) replaced by repl, then extra appended. */
static const char *
edit(int line, const char *repl, const char *extra)
{
    const char *s = MINIMAL;
    size_t n = 0;
    for (int ln = 1; *s; ln++) {
        const char *e = strchr(s, '\n');
        size_t len = (size_t)(e - s) + 1;
        if (ln == line)
            n += (size_t)snprintf(edit_buf + n, sizeof edit_buf - n, "%s\n", repl);
        else
            n += (size_t)snprintf(edit_buf + n, sizeof edit_buf - n, "%.*s", (int)len, s);
        s += len;
    }
    if (extra)
        snprintf(edit_buf + n, sizeof edit_buf - n, "%s", extra);
    return edit_buf;
}

/* Parses text and checks the diagnostic id and position (line 0: OK expected). */
static void
expect(const char *text, const char *id, int line, int col, int src_line)
{
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_status_t st = vb_profile_parse(a, text, strlen(text), "t.yaml", &p, &d);
    if (!id) {
        if (st != VB_OK)
            fprintf(stderr, "(case at test line %d) unexpected: %d:%d %s %s\n", src_line, d.line, d.col, d.id, d.msg);
        CHECK_INT(st, VB_OK);
        CHECK(p != NULL);
    } else {
        if (st == VB_OK || strcmp(d.id, id) != 0 || d.line != line || d.col != col)
            fprintf(stderr, "(case at test line %d) got %d:%d [%s] %s\n", src_line, d.line, d.col, d.id, d.msg);
        CHECK_INT(st, VB_E_PROFILE);
        CHECK_INT(d.code, VB_E_PROFILE);
        CHECK(p == NULL);
        CHECK_STR(d.id, id);
        CHECK_INT(d.line, line);
        CHECK_INT(d.col, col);
        CHECK_STR(d.source, "t.yaml");
        CHECK(d.msg[0] != '\0');
    }
    vb_arena_free(a);
}
#define EXPECT_OK(text) expect((text), NULL, 0, 0, __LINE__)
#define EXPECT_ERR(text, id, line, col) expect((text), (id), (line), (col), __LINE__)

static bool
style_filled(const vb_style_t *s)
{
    return s->size > 0 && s->leading > 0 && s->align != VB_ALIGN_DEFAULT;
}

static void
check_band_styles(const vb_band_t *b)
{
    for (int c = 0; c < b->ncols; c++) {
        for (int i = 0; i < b->cols[c].n; i++)
            CHECK(style_filled(&b->cols[c].items[i].style));
    }
}

static void
test_party_profile(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_status_t st = vb_profile_load(a, "layouts/party-36-2018.yaml", &p, &d);
    if (st != VB_OK)
        fprintf(stderr, "%s:%d:%d: %s [%s]\n", d.source, d.line, d.col, d.msg, d.id);
    CHECK_INT(st, VB_OK);
    if (!p) {
        vb_arena_free(a);
        return;
    }
    CHECK_STR(p->id, "party-36-2018");
    CHECK_STR(p->regime, "party");
    CHECK_STR(p->path, "layouts/party-36-2018.yaml");
    CHECK_STR(p->name, "Đảng — Hướng dẫn 36-HD/VPTW (2018)");
    CHECK_INT(p->page_width, 595276);
    CHECK_INT(p->page_height, 841890);
    CHECK_INT(p->margin_left, 85039);
    CHECK_INT(p->margin_right, 42520);
    CHECK_INT(p->margin_top, 56693);
    CHECK_INT(p->margin_bottom, 56693);
    CHECK_INT(p->nfont_families, 2);
    CHECK_STR(p->font_families[0], "Times New Roman");
    CHECK_STR(p->font_families[1], "Liberation Serif");
    CHECK_STR(p->date.format, "ngày {day} tháng {month} năm {year}");
    CHECK_INT(p->date.day_pad_below, 10);
    CHECK_INT(p->date.month_pad_below, 3);
    CHECK_INT(p->number.min_digits, 2); /* "05-BC/ĐUK" */

    /* header */
    const vb_band_t *h = &p->header;
    CHECK(h->present);
    CHECK_INT(h->top, 56693);
    CHECK_INT(h->ncols, 2);
    CHECK_INT(h->cols[0].x, 85039);
    CHECK_INT(h->cols[0].width, 226772);
    CHECK_INT(h->cols[1].x, 311811);
    CHECK_INT(h->cols[1].width, 240945);
    /* parent, issuer, "*", "Số {number}", then the công văn trích yếu and the marks (draft, secrecy, urgency) */
    CHECK_INT(h->cols[0].n, 8);
    CHECK_STR(h->cols[0].items[3].text, "Số {number}");
    CHECK_STR(h->cols[0].items[4].text, "{title}");
    CHECK(h->cols[0].items[4].when.nunless == 1 && !strcmp(h->cols[0].items[4].when.unless_fields[0], "kind"));
    const vb_pitem_t *it = &h->cols[0].items[0];
    CHECK_INT(it->kind, VB_PITEM_TEXT);
    CHECK_STR(it->text, "{parent}");
    CHECK_INT(it->style.size, 14000);
    CHECK_INT(it->style.face, VB_FACE_REGULAR);
    CHECK_INT(it->style.align, VB_ALIGN_CENTER);
    CHECK_INT(it->style.leading, 16000);
    CHECK(!it->required);
    it = &h->cols[0].items[1];
    CHECK_STR(it->text, "{issuer}");
    CHECK_INT(it->style.face, VB_FACE_BOLD);
    CHECK(it->required);
    CHECK_STR(h->cols[0].items[2].text, "*");
    it = &h->cols[0].items[3];
    CHECK_STR(it->text, "Số {number}");
    CHECK_STR(it->sync, "number");
    CHECK_INT(it->rule.mode, VB_RULE_NONE);
    it = &h->cols[1].items[0];
    CHECK_STR(it->text, "ĐẢNG CỘNG SẢN VIỆT NAM");
    CHECK_INT(it->style.size, 15000);
    CHECK_INT(it->style.face, VB_FACE_BOLD);
    CHECK_INT(it->style.leading, 17000);
    CHECK_INT(it->rule.mode, VB_RULE_TEXT);
    CHECK_INT(it->rule.below, 5669);
    CHECK_INT(it->rule.width, 500);
    CHECK_INT(it->rule.space_after, 2835);
    it = &h->cols[1].items[1];
    CHECK_STR(it->text, "{place}, {date}");
    CHECK_INT(it->style.face, VB_FACE_ITALIC);
    CHECK_INT(it->style.align, VB_ALIGN_CENTER);
    CHECK_STR(it->sync, "number");
    check_band_styles(h);

    /* title */
    const vb_band_t *t = &p->title;
    CHECK(t->present);
    CHECK_INT(t->top, -1);
    CHECK_INT(t->space_before, 12000);
    CHECK_INT(t->space_after, 12000);
    CHECK_INT(t->cols[0].x, 85039);
    CHECK_INT(t->cols[0].width, 467717);
    CHECK_INT(t->cols[0].n, 8); /* kind, title, "-----", Kính gửi, its note, căn cứ, the authority line (two forms) */
    CHECK_STR(t->cols[0].items[4].text, "{to_note}");
    CHECK_INT(t->ncols, 1);
    CHECK_STR(t->cols[0].items[3].list, "to");
    CHECK_STR(t->cols[0].items[3].label, "Kính gửi: ");
    CHECK_INT(t->cols[0].items[3].label_face, VB_FACE_ITALIC);
    CHECK_INT(t->cols[0].items[3].style.face, VB_FACE_REGULAR);
    CHECK_STR(t->cols[0].items[0].text, "{kind}");
    CHECK_INT(t->cols[0].items[0].style.size, 16000);
    CHECK_INT(t->cols[0].items[0].style.face, VB_FACE_BOLD);
    CHECK(t->cols[0].items[1].style.balance);
    CHECK(t->cols[0].items[0].style.balance); /* the kind too: every centred element (issue 8 item 7) */
    CHECK_STR(t->cols[0].items[2].text, "-----");
    CHECK_INT(t->cols[0].items[2].style.face, VB_FACE_REGULAR);
    check_band_styles(t);

    /* body and headings */
    CHECK_INT(p->body.size, 14000);
    CHECK_INT(p->body.leading, 18000);
    CHECK_INT(p->body.space_after, 6000);
    CHECK_INT(p->body.indent, 28346);
    CHECK_INT(p->body.align, VB_ALIGN_JUSTIFY);
    CHECK_INT(p->headings[0].face, VB_FACE_BOLD);
    CHECK_INT(p->headings[0].indent, 28346);
    CHECK_INT(p->headings[0].align, VB_ALIGN_LEFT);
    CHECK_INT(p->headings[0].leading, 18000);
    CHECK_INT(p->headings[0].space_after, 6000);
    CHECK_INT(p->headings[0].keep_with_next, 2);
    CHECK_INT(p->headings[1].face, VB_FACE_BOLD);
    CHECK_INT(p->headings[2].face, VB_FACE_BOLD_ITALIC);
    CHECK_INT(p->headings[3].face, VB_FACE_ITALIC);
    CHECK_INT(p->headings[5].face, VB_FACE_ITALIC);
    CHECK_INT(p->headings[5].keep_with_next, 2);
    for (int i = 0; i < 6; i++)
        CHECK(style_filled(&p->headings[i]));

    /* closing */
    const vb_band_t *c = &p->closing;
    CHECK(c->present);
    CHECK_INT(c->space_before, 6000);
    CHECK_INT(c->ncols, 2);
    it = &c->cols[0].items[0];
    CHECK_STR(it->text, "Nơi nhận:");
    CHECK(it->style.underline);
    CHECK_INT(it->style.face, VB_FACE_REGULAR);
    CHECK_INT(it->style.align, VB_ALIGN_LEFT);
    CHECK_STR(it->sync, "closing");
    it = &c->cols[0].items[1];
    CHECK_INT(it->kind, VB_PITEM_LIST);
    CHECK_STR(it->list, "recipients");
    CHECK_STR(it->marker, "- ");
    CHECK_STR(it->separator, ",");
    CHECK_STR(it->last_separator, ".");
    CHECK_INT(it->style.size, 12000);
    CHECK_INT(it->style.leading, 14000);
    CHECK_INT(it->style.align, VB_ALIGN_LEFT);
    CHECK_INT(c->cols[1].x, 311811);
    CHECK_INT(c->cols[1].n, 4);
    CHECK_STR(c->cols[1].items[0].text, "{authority}");
    CHECK_STR(c->cols[1].items[0].sync, "closing");
    CHECK_INT(c->cols[1].items[0].style.face, VB_FACE_BOLD);
    CHECK_INT(c->cols[1].items[1].style.face, VB_FACE_REGULAR);
    it = &c->cols[1].items[2];
    CHECK_INT(it->kind, VB_PITEM_SPACE);
    CHECK_INT(it->height, 70866);
    CHECK_STR(it->box, "signature");
    CHECK_STR(c->cols[1].items[3].text, "{name}");
    CHECK_INT(c->cols[1].items[3].style.face, VB_FACE_BOLD);
    check_band_styles(c);

    /* table */
    CHECK_INT(p->table.cell.size, 12000);
    CHECK_INT(p->table.cell.leading, 14000);
    CHECK_INT(p->table.cell.face, VB_FACE_REGULAR);
    CHECK_INT(p->table.head.size, 12000);
    CHECK_INT(p->table.head.leading, 14000);
    CHECK_INT(p->table.head.face, VB_FACE_BOLD);
    CHECK_INT(p->table.head.align, VB_ALIGN_CENTER);
    CHECK_INT(p->table.border, 500);
    CHECK_INT(p->table.pad_x, 4252);
    CHECK_INT(p->table.pad_top, 2835);
    CHECK_INT(p->table.pad_bottom, 3402);
    CHECK(p->table.repeat_head);
    /* the table keys of issue 8: the column-number row, framed boxes, keep-together */
    CHECK_INT(p->table.numbers.face, VB_FACE_ITALIC);
    CHECK_INT(p->table.numbers.align, VB_ALIGN_CENTER);
    CHECK_INT(p->table.numbers.size, 12000);
    CHECK_INT(p->table.box.size, 14000);
    CHECK_INT(p->table.box.leading, 18000);
    CHECK_INT(p->table.box.align, VB_ALIGN_JUSTIFY);
    CHECK_INT(p->table.box.indent, 0);
    CHECK_INT(p->table.box_pad_x, 8504);
    CHECK_INT(p->table.keep_together, 1000);

    /* page numbers */
    CHECK(p->page_number.present);
    CHECK_INT(p->page_number.first, 2);
    CHECK_STR(p->page_number.format, "{page}");
    CHECK_INT(p->page_number.style.size, 14000);
    CHECK_INT(p->page_number.style.align, VB_ALIGN_CENTER);
    CHECK_INT(p->page_number.ink_top, 28346);

    /* breaking; the shrink and looseness knobs are tuned against tests/bench/justify.py, so only
       that they were read (the defaults are 200, 1000 and 0) and lie in range is checked here */
    CHECK_INT(p->breaking.space_stretch, 500);
    CHECK(p->breaking.space_shrink > 200 && p->breaking.space_shrink <= 900);
    CHECK_INT(p->breaking.tolerance, 2000);
    CHECK_INT(p->breaking.line_penalty, 10);
    CHECK(p->breaking.loose_ratio >= 0 && p->breaking.loose_ratio < 1000);
    CHECK(p->breaking.loose_demerits > 0);
    CHECK(!p->breaking.greedy);
    CHECK_INT(p->breaking.orphans, 2);
    CHECK_INT(p->breaking.widows, 2);
    CHECK_INT(p->breaking.closing_keep, 2);
    CHECK_INT(p->breaking.lead_in_keep, 2);
    /* letter-spacing as the last resort, and the phrase rules of balanced text */
    CHECK_INT(p->breaking.letter_space, 30);
    CHECK_INT(p->breaking.letter_space_above, 1350);
    CHECK(p->breaking.lone_word_cost > 0 && p->breaking.lone_word_letters >= 4);
    CHECK(p->breaking.nphrases >= 5);
    if (p->breaking.nphrases > 0) {
        CHECK_INT(p->breaking.phrases[0].at, VB_PHRASE_AFTER);
        CHECK_STR(p->breaking.phrases[0].text, "-");
        CHECK(p->breaking.phrases[0].cost < 0);
    }

    /* appendix */
    CHECK(p->appendix.new_page);
    CHECK(!p->appendix.restart_page_numbers);
    const vb_band_t *ah = &p->appendix.header;
    CHECK(ah->present);
    CHECK_INT(ah->top, 56693);
    CHECK_INT(ah->cols[0].n, 4);
    CHECK_INT(ah->cols[0].items[3].kind, VB_PITEM_SPACE);
    CHECK_INT(ah->cols[0].items[3].height, 16000);
    CHECK_STR(ah->cols[0].items[3].sync, "number");
    CHECK(ah->cols[0].items[3].box == NULL);
    CHECK_INT(ah->cols[1].items[0].rule.mode, VB_RULE_TEXT);
    CHECK_STR(ah->cols[1].items[1].sync, "number");
    check_band_styles(ah);
    const vb_band_t *at = &p->appendix.title;
    CHECK(at->present);
    CHECK_INT(at->space_after, 6000);
    CHECK_STR(at->cols[0].items[0].text, "{label}");
    CHECK_INT(at->cols[0].items[0].style.face, VB_FACE_BOLD);
    CHECK_STR(at->cols[0].items[1].text, "{title}");
    check_band_styles(at);

    vb_arena_free(a);
}

/* The defaults a minimal profile gets. */
static void
test_defaults(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_parse(a, MINIMAL, strlen(MINIMAL), "min.yaml", &p, &d), VB_OK);
    if (p) {
        CHECK_STR(p->name, "t");
        CHECK_INT(p->body.leading, 16100); /* 14pt x 1.15 */
        CHECK_INT(p->body.align, VB_ALIGN_LEFT);
        CHECK_INT(p->body.face, VB_FACE_REGULAR);
        CHECK_INT(p->headings[0].size, 14000);
        CHECK_INT(p->headings[5].leading, 16100);
        CHECK_INT(p->table.cell.size, 14000);
        CHECK_INT(p->table.head.align, VB_ALIGN_LEFT);
        CHECK(p->table.repeat_head);
        CHECK_INT(p->table.border, 500);
        CHECK_INT(p->table.keep_together, 0);            /* absent: tables split freely */
        CHECK_INT(p->table.numbers.face, VB_FACE_REGULAR); /* = cell */
        CHECK_INT(p->table.box.size, p->body.size);       /* = body */
        CHECK_INT(p->table.box_pad_x, p->table.pad_x);    /* = padding */
        CHECK(!p->header.present);
        CHECK(!p->title.present);
        CHECK(!p->closing.present);
        CHECK(!p->page_number.present);
        CHECK(p->appendix.new_page);
        CHECK(!p->appendix.header.present);
        CHECK_INT(p->breaking.tolerance, 2000);
        CHECK_INT(p->breaking.space_stretch, 500);
        CHECK_INT(p->date.day_pad_below, 0);
        CHECK_INT(p->number.min_digits, 0); /* no `number:`: no rule */
    }
    vb_arena_free(a);

    /* styles: a base, overrides, leading computed from the final size unless written */
    const char *styled = edit(0, NULL,
                              "styles:\n"
                              "  small: {size: 12pt}\n"
                              "  fixed: {size: 12pt, leading: 15pt, bold: true}\n"
                              "  derived: {style: fixed, italic: true}\n"
                              "header:\n"
                              "  columns:\n"
                              "    - x: 30mm\n"
                              "      width: 80mm\n"
                              "      items:\n"
                              "        - {text: \"a\", style: small}\n"
                              "        - {text: \"b\", style: fixed, size: 20pt}\n"
                              "        - {text: \"c\", style: derived, bold: false, align: right}\n"
                              "        - {text: \"d\", rule: {length: 40%, width: 1pt}}\n"
                              "        - {text: \"e\", rule: {length: 73mm, width: 1pt, below: 2mm}}\n");
    a = vb_arena_new();
    p = NULL;
    memset(&d, 0, sizeof d);
    vb_status_t st = vb_profile_parse(a, styled, strlen(styled), "s.yaml", &p, &d);
    if (st != VB_OK)
        fprintf(stderr, "%d:%d %s %s\n", d.line, d.col, d.id, d.msg);
    CHECK_INT(st, VB_OK);
    if (p) {
        const vb_pitem_t *it = p->header.cols[0].items;
        CHECK_INT(it[0].style.size, 12000);
        CHECK_INT(it[0].style.leading, 13800);
        CHECK_INT(it[1].style.size, 20000);
        CHECK_INT(it[1].style.leading, 15000);
        CHECK_INT(it[1].style.face, VB_FACE_BOLD);
        CHECK_INT(it[2].style.face, VB_FACE_ITALIC);
        CHECK_INT(it[2].style.align, VB_ALIGN_RIGHT);
        CHECK_INT(it[3].rule.mode, VB_RULE_RATIO);
        CHECK_INT(it[3].rule.ratio, 400);
        CHECK_INT(it[4].rule.mode, VB_RULE_FIXED);
        CHECK_INT(it[4].rule.length, 206929);
        CHECK_INT(it[4].rule.below, 5669);
    }
    vb_arena_free(a);
}

static const char *const BAND = "header:\n"                 /* 20 */
                                "  columns:\n"              /* 21 */
                                "    - x: 30mm\n"           /* 22 */
                                "      width: 80mm\n"       /* 23 */
                                "      items:\n"            /* 24 */
                                "        - text: \"{issuer}\"\n"; /* 25 */

static void
test_errors(void)
{
    /* lengths: a space before the unit is allowed; no unit, a bad unit, a negative value are not */
    EXPECT_OK(edit(10, "  left: 30 mm", NULL));
    EXPECT_ERR(edit(10, "  left: -30mm", NULL), "profile.length", 10, 9);
    EXPECT_ERR(edit(10, "  left: 30", NULL), "profile.length", 10, 9);
    EXPECT_ERR(edit(10, "  left: 30mmm", NULL), "profile.length", 10, 9);
    EXPECT_ERR(edit(10, "  left: thirty", NULL), "profile.length", 10, 9);
    EXPECT_ERR(edit(17, "  size: 0pt", NULL), "profile.length", 17, 9);
    /* unknown keys, at the key */
    EXPECT_ERR(edit(10, "  lfet: 30mm", NULL), "profile.unknown-key", 10, 3);
    EXPECT_ERR(edit(0, NULL, "colour: red\n"), "profile.unknown-key", 20, 1);
    EXPECT_ERR(edit(17, "  size: 14pt\n  space_afer: 6pt", NULL), "profile.unknown-key", 18, 3);
    /* wrong types, at the value */
    EXPECT_ERR(edit(17, "  size: [14pt]", NULL), "profile.type", 17, 9);
    EXPECT_ERR(edit(17, "  size: 14pt\n  bold: yes", NULL), "profile.type", 18, 9);
    EXPECT_ERR(edit(13, "  families: Serif", NULL), "profile.type", 13, 13);
    EXPECT_ERR(edit(0, NULL, "page_number: 2\n"), "profile.type", 20, 14);
    EXPECT_ERR(edit(0, NULL, "breaking: {orphans: two}\n"), "profile.type", 20, 21);
    /* values out of their set */
    EXPECT_ERR(edit(17, "  size: 14pt\n  align: middle", NULL), "profile.value", 18, 10);
    EXPECT_ERR(edit(3, "regime: church", NULL), "profile.value", 3, 9);
    EXPECT_ERR(edit(0, NULL, "breaking: {algorithm: fast}\n"), "profile.value", 20, 23);
    EXPECT_ERR(edit(0, NULL, "breaking: {letter_space: 20%}\n"), "profile.value", 20, 26);
    EXPECT_ERR(edit(0, NULL, "breaking: {phrase_breaks: [{after: x, before: y, cost: 1}]}\n"), "profile.value", 20, 28);
    EXPECT_ERR(edit(0, NULL, "breaking: {phrase_breaks: [{within: ONE, cost: 1}]}\n"), "profile.value", 20, 37);
    EXPECT_ERR(edit(0, NULL, "breaking: {phrase_breaks: [{after: x}]}\n"), "profile.missing", 20, 28);
    /* missing values: at the mapping, or at the empty value */
    EXPECT_ERR(edit(2, "# no id", NULL), "profile.missing", 1, 1);
    EXPECT_ERR(edit(11, "", NULL), "profile.missing", 8, 3);
    EXPECT_ERR(edit(17, "  size:", NULL), "profile.missing", 17, 8);
    EXPECT_ERR(edit(17, "  leading: 18pt", NULL), "profile.missing", 17, 3);
    /* schema */
    EXPECT_ERR(edit(1, "schema: 2", NULL), "profile.schema", 1, 9);
    EXPECT_ERR(edit(1, "# schema: 1", NULL), "profile.schema", 2, 1);
    EXPECT_ERR("", "profile.schema", 1, 1);
    EXPECT_ERR("- a\n- b\n", "profile.type", 1, 1);
    /* templates */
    EXPECT_ERR(edit(15, "  format: \"{day}/{mon}/{year}\"", NULL), "profile.template", 15, 11);
    EXPECT_ERR(edit(15, "  format: \"{day}/{month}/{year\"", NULL), "profile.template", 15, 11);
    EXPECT_ERR(edit(15, "  format: \"{day}}/{month}/{year}\"", NULL), "profile.template", 15, 11);
    EXPECT_OK(edit(0, NULL, BAND));
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - text: \"{isuser}\"\n"),
               "profile.template", 25, 17);
    /* {label} belongs to appendix bands only, {page} to the page number */
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - text: \"{label}\"\n"),
               "profile.template", 25, 17);
    EXPECT_OK(edit(0, NULL, "appendix:\n  title:\n    columns:\n      - x: 30mm\n        width: 80mm\n"
                            "        items:\n          - text: \"{label}\"\n"));
    EXPECT_ERR(edit(0, NULL, "page_number: {format: \"{pgae}\", ink_top: 10mm}\n"), "profile.template", 20, 23);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - list: readers\n"),
               "profile.template", 25, 17);
    /* geometry */
    EXPECT_ERR(edit(10, "  left: 200mm", NULL), "profile.geometry", 8, 3);
    EXPECT_ERR(edit(8, "  top: 280mm", NULL), "profile.geometry", 8, 3);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 150mm\n      width: 80mm\n      items:\n"
                             "        - text: \"{issuer}\"\n"),
               "profile.geometry", 22, 7);
    EXPECT_ERR(edit(0, NULL, "header:\n  top: 300mm\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - text: \"{issuer}\"\n"),
               "profile.geometry", 21, 8);
    /* items */
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - size: 14pt\n"),
               "profile.missing", 25, 11);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - {text: \"a\", space: 2mm}\n"),
               "profile.type", 25, 11);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - {space: 2mm, size: 14pt}\n"),
               "profile.unknown-key", 25, 24);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - {space: -2mm}\n"),
               "profile.length", 25, 19);
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - {text: \"a\", rule: {length: 40mm}}\n"),
               "profile.missing", 25, 29);
    /* sync names must tie two columns */
    EXPECT_ERR(edit(0, NULL, "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"
                             "        - {text: \"a\", sync: number}\n"),
               "profile.sync", 25, 11);
    /* styles */
    EXPECT_ERR(edit(17, "  style: nope", NULL), "profile.style", 17, 10);
    EXPECT_ERR(edit(0, NULL, "styles:\n  a: {style: b}\n  b: {style: a}\n"), "profile.style", 21, 14);
    EXPECT_ERR(edit(0, NULL, "styles:\n  a: {colour: red}\n"), "profile.unknown-key", 21, 7);
    EXPECT_ERR(edit(0, NULL, "headings: [{}, {}, {}, {}, {}, {}, {}]\n"), "profile.value", 20, 36);
}

/* The keys of issue 4, loaded into the struct. */
static const char *const FULL4 =
    "valid_from: 2018-04-03\n"                                        /* 20 */
    "valid_until: 2026-05-26\n"                                       /* 21 */
    "duplex: {left: 15mm, right: 30mm}\n"                             /* 22 */
    "validation:\n"                                                   /* 23 */
    "  number: party\n"                                               /* 24 */
    "  signer_forms: [\"T/M\", \"K/T\", \"T/L\", \"Q.\"]\n"           /* 25 */
    "  kinds:\n"                                                      /* 26 */
    "    - {name: \"BÁO CÁO\", abbr: BC}\n"                           /* 27 */
    "    - {name: \"TO\\u031B\\u0300 TRI\\u0300NH\", abbr: TTr}\n"           /* 28: NFD in the file */
    "  bodies:\n"                                                     /* 29 */
    "    - {prefix: \"ĐẢNG ỦY\", abbr: ĐU}\n"                         /* 30 */
    "appendix:\n"                                                     /* 31 */
    "  numbering: roman\n"                                            /* 32 */
    "  auto_landscape: false\n"                                       /* 33 */
    "closing_joint:\n"                                                /* 34 */
    "  columns:\n"                                                    /* 35 */
    "    - {x: 30mm, width: 80mm, items: [{text: \"{authority2}\\n{post2}\\n{name2}\"}]}\n" /* 36 */
    "overlay:\n"                                                      /* 37 */
    "  top: 10mm\n"                                                   /* 38 */
    "  columns:\n"                                                    /* 39 */
    "    - {x: 110mm, width: 85mm, items: [{text: \"{circulation}\"}]}\n" /* 40 */
    "first_footer:\n"                                                 /* 41 */
    "  bottom: 277mm\n"                                               /* 42 */
    "  columns:\n"                                                    /* 43 */
    "    - x: 30mm\n"                                                 /* 44 */
    "      width: 165mm\n"                                            /* 45 */
    "      items:\n"                                                  /* 46 */
    "        - text: \"{contact}\"\n"                                 /* 47 */
    "          rule: {length: full, width: 0.5pt}\n"                  /* 48 */
    "last_footer:\n"                                                  /* 49 */
    "  bottom: 287mm\n"                                               /* 50 */
    "  columns:\n"                                                    /* 51 */
    "    - {x: 30mm, width: 165mm, items: [{text: \"{footer_note}\", when: {unless: [draft]}}]}\n" /* 52 */
    "title:\n"                                                        /* 53 */
    "  columns:\n"                                                    /* 54 */
    "    - x: 30mm\n"                                                 /* 55 */
    "      width: 165mm\n"                                            /* 56 */
    "      items:\n"                                                  /* 57 */
    "        - text: \"{authority_line}{urgency}{secrecy}{drafter}{confirmation}\"\n" /* 58 */
    "          when: {if: [to, kind], unless: [bases], kinds: [\"TỜ TRÌNH\"], not_kinds: \"BÁO CÁO\"}\n" /* 59 */
    "        - list: to\n"                                            /* 60 */
    "          label: \"Kính gửi: \"\n"                               /* 61 */
    "          marker: \"- \"\n"                                      /* 62 */
    "          single_marker: \"\"\n"                                 /* 63 */
    "          separator: \";\"\n"                                    /* 64 */
    "        - list: bases\n"                                         /* 65 */
    "        - space: 6pt\n"                                          /* 66 */
    "          when: {kinds: [\"QUYẾT ĐỊNH\"]}\n";                   /* 67 */

static void
test_issue4_keys(void)
{
    const char *text = edit(0, NULL, FULL4);
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_status_t st = vb_profile_parse(a, text, strlen(text), "f.yaml", &p, &d);
    if (st != VB_OK)
        fprintf(stderr, "%d:%d %s %s\n", d.line, d.col, d.id, d.msg);
    CHECK_INT(st, VB_OK);
    if (!p) {
        vb_arena_free(a);
        return;
    }
    CHECK_INT(p->valid_from.year, 2018);
    CHECK_INT(p->valid_from.month, 4);
    CHECK_INT(p->valid_from.day, 3);
    CHECK_INT(p->valid_from.pos.line, 20);
    CHECK_INT(p->valid_until.year, 2026);
    CHECK_INT(p->valid_until.day, 26);
    CHECK(p->has_duplex);
    CHECK_INT(p->duplex_left, 42520);
    CHECK_INT(p->duplex_right, 85039);

    const vb_pvalidate_t *v = &p->validate;
    CHECK_INT(v->number, VB_NUMBER_PARTY);
    CHECK_INT(v->nsigner_forms, 4);
    CHECK_STR(v->signer_forms[0], "T/M");
    CHECK_STR(v->signer_forms[3], "Q.");
    CHECK_INT(v->nkinds, 2);
    CHECK_STR(v->kinds[0].name, "BÁO CÁO");
    CHECK_STR(v->kinds[0].abbr, "BC");
    CHECK_STR(v->kinds[1].name, "TỜ TRÌNH"); /* composed */
    CHECK_STR(v->kinds[1].abbr, "TTr");
    CHECK_INT(v->nbodies, 1);
    CHECK_STR(v->bodies[0].prefix, "ĐẢNG ỦY");
    CHECK_STR(v->bodies[0].abbr, "ĐU");

    CHECK_INT(p->appendix.numbering, VB_NUMBERING_ROMAN);
    CHECK(!p->appendix.auto_landscape);

    CHECK(p->closing_joint.present);
    CHECK_STR(p->closing_joint.cols[0].items[0].text, "{authority2}\n{post2}\n{name2}");
    CHECK(p->overlay.present);
    CHECK_INT(p->overlay.top, 28346);
    CHECK(p->first_footer.present);
    CHECK_INT(p->first_footer.bottom, 785197);
    CHECK_INT(p->first_footer.top, -1);
    CHECK_INT(p->first_footer.cols[0].items[0].rule.mode, VB_RULE_FULL);
    CHECK(p->last_footer.present);
    CHECK_INT(p->last_footer.bottom, 813543);
    const vb_pcond_t *w = &p->last_footer.cols[0].items[0].when;
    CHECK_INT(w->nunless, 1);
    CHECK_STR(w->unless_fields[0], "draft");
    CHECK_INT(w->nif, 0);

    const vb_pitem_t *it = p->title.cols[0].items;
    CHECK_INT(it[0].when.nif, 2);
    CHECK_STR(it[0].when.if_fields[0], "to");
    CHECK_STR(it[0].when.if_fields[1], "kind");
    CHECK_INT(it[0].when.nunless, 1);
    CHECK_STR(it[0].when.unless_fields[0], "bases");
    CHECK_INT(it[0].when.nkinds, 1);
    CHECK_STR(it[0].when.kinds[0], "TỜ TRÌNH");
    CHECK_INT(it[0].when.nnot_kinds, 1); /* one text alone is a list of one */
    CHECK_STR(it[0].when.not_kinds[0], "BÁO CÁO");
    CHECK_INT(it[1].kind, VB_PITEM_LIST);
    CHECK_STR(it[1].list, "to");
    CHECK_STR(it[1].label, "Kính gửi: ");
    CHECK_STR(it[1].marker, "- ");
    CHECK_STR(it[1].single_marker, "");
    CHECK_STR(it[1].separator, ";");
    CHECK_STR(it[2].list, "bases");
    CHECK(it[2].single_marker == NULL); /* absent: as marker */
    CHECK_STR(it[2].label, "");
    CHECK_INT(it[3].kind, VB_PITEM_SPACE);
    CHECK_INT(it[3].when.nkinds, 1);
    CHECK_STR(it[3].when.kinds[0], "QUYẾT ĐỊNH");
    vb_arena_free(a);

    /* defaults when the keys are absent */
    a = vb_arena_new();
    p = NULL;
    CHECK_INT(vb_profile_parse(a, MINIMAL, strlen(MINIMAL), "min.yaml", &p, &d), VB_OK);
    if (p) {
        CHECK_INT(p->valid_from.year, 0);
        CHECK_INT(p->valid_until.year, 0);
        CHECK(!p->has_duplex);
        CHECK_INT(p->validate.number, VB_NUMBER_ANY);
        CHECK_INT(p->validate.nsigner_forms, 0);
        CHECK_INT(p->validate.nkinds, 0);
        CHECK_INT(p->validate.nbodies, 0);
        CHECK_INT(p->appendix.numbering, VB_NUMBERING_ANY);
        CHECK(p->appendix.auto_landscape);
        CHECK(!p->closing_joint.present);
        CHECK(!p->overlay.present);
        CHECK(!p->first_footer.present);
        CHECK(!p->last_footer.present);
    }
    vb_arena_free(a);
}

/* Bad values of the issue 4 keys: the id at line:col. */
static void
test_issue4_errors(void)
{
    EXPECT_ERR(edit(0, NULL, "valid_from: 2018-4-3\n"), "profile.value", 20, 13);
    EXPECT_ERR(edit(0, NULL, "valid_from: 2018-02-30\n"), "profile.value", 20, 13);
    EXPECT_ERR(edit(0, NULL, "valid_until: [2026-05-26]\n"), "profile.type", 20, 14);
    EXPECT_ERR(edit(0, NULL, "valid_from: 2026-05-27\nvalid_until: 2026-05-26\n"), "profile.value", 21, 14);
    EXPECT_OK(edit(0, NULL, "valid_from: 2026-05-27\nvalid_until: 2026-05-27\n"));
    EXPECT_ERR(edit(0, NULL, "duplex: {left: 15mm}\n"), "profile.missing", 20, 9);
    EXPECT_ERR(edit(0, NULL, "duplex: {left: 15mm, right: 30}\n"), "profile.length", 20, 29);
    EXPECT_ERR(edit(0, NULL, "duplex: {left: 15mm, rigth: 30mm}\n"), "profile.unknown-key", 20, 22);
    EXPECT_ERR(edit(0, NULL, "duplex: {left: 100mm, right: 110mm}\n"), "profile.geometry", 20, 9);
    EXPECT_ERR(edit(0, NULL, "duplex: 15mm\n"), "profile.type", 20, 9);

    /* validation */
    EXPECT_ERR(edit(0, NULL, "validation: {number: both}\n"), "profile.value", 20, 22);
    EXPECT_ERR(edit(0, NULL, "validation: {numbers: party}\n"), "profile.unknown-key", 20, 14);
    EXPECT_ERR(edit(0, NULL, "validation:\n  signer_forms: [\"T/M\", \"\"]\n"), "profile.missing", 21, 25);
    EXPECT_ERR(edit(0, NULL, "validation:\n  signer_forms: {a: b}\n"), "profile.type", 21, 17);
    EXPECT_ERR(edit(0, NULL, "validation:\n  kinds:\n    - {name: BC}\n"), "profile.missing", 22, 7);
    EXPECT_ERR(edit(0, NULL, "validation:\n  kinds:\n    - {name: \"BÁO CÁO\", abr: BC}\n"), "profile.unknown-key",
               22, 25);
    EXPECT_ERR(edit(0, NULL, "validation:\n  kinds: {name: BC}\n"), "profile.type", 21, 10);
    EXPECT_ERR(edit(0, NULL, "validation:\n  kinds:\n    - {name: A, abbr: B}\n    - {name: A, abbr: C}\n"),
               "profile.value", 23, 14);
    EXPECT_ERR(edit(0, NULL, "validation:\n  bodies:\n    - {prefix: [A], abbr: B}\n"), "profile.type", 22, 16);
    EXPECT_ERR(edit(0, NULL, "validation:\n  bodies:\n    - {prefix: A, abbr: \"\"}\n"), "profile.missing", 22, 25);

    /* number: min_digits 1 to VB_NUMBER_MAX_DIGITS, a whole number, required in the section */
    EXPECT_OK(edit(0, NULL, "number: {min_digits: 1}\n"));
    EXPECT_OK(edit(0, NULL, "number:\n  min_digits: 6\n"));
    EXPECT_ERR(edit(0, NULL, "number: {min_digits: 0}\n"), "profile.value", 20, 22);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits: 7\n"), "profile.value", 21, 15);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits: -2\n"), "profile.value", 21, 15);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits: two\n"), "profile.type", 21, 15);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits: 2.5\n"), "profile.type", 21, 15);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits: [2]\n"), "profile.type", 21, 15);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digit: 2\n"), "profile.unknown-key", 21, 3);
    EXPECT_ERR(edit(0, NULL, "number: 2\n"), "profile.type", 20, 9);
    EXPECT_ERR(edit(0, NULL, "number:\n  min_digits:\n"), "profile.missing", 21, 14);

    /* appendix */
    EXPECT_ERR(edit(0, NULL, "appendix: {numbering: latin}\n"), "profile.value", 20, 23);
    EXPECT_ERR(edit(0, NULL, "appendix: {auto_landscape: yes}\n"), "profile.type", 20, 28);

    /* footers need bottom and take no top; the overlay needs top */
    EXPECT_ERR(edit(0, NULL, "first_footer:\n  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.missing", 21, 3);
    EXPECT_ERR(edit(0, NULL,
                    "last_footer:\n  top: 270mm\n  bottom: 277mm\n"
                    "  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.unknown-key", 21, 3);
    EXPECT_ERR(edit(0, NULL,
                    "last_footer:\n  bottom: 300mm\n  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.geometry", 21, 11);
    EXPECT_ERR(edit(0, NULL,
                    "last_footer:\n  bottom: 0mm\n  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.length", 21, 11);
    EXPECT_ERR(edit(0, NULL, "overlay:\n  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.missing", 21, 3);
    EXPECT_ERR(edit(0, NULL, "header:\n  bottom: 40mm\n  columns:\n    - {x: 30mm, width: 80mm, items: [{text: a}]}\n"),
               "profile.unknown-key", 21, 3);
    /* new template fields belong to bands, not to the page number */
    EXPECT_ERR(edit(0, NULL, "page_number: {format: \"{urgency}\", ink_top: 10mm}\n"), "profile.template", 20, 23);
    EXPECT_OK(edit(0, NULL, "appendix:\n  title:\n    columns:\n      - x: 30mm\n        width: 80mm\n"
                            "        items:\n          - text: \"{label} {name2} {confirmation}\"\n"));

    /* when */
    const char *head = "header:\n  columns:\n    - x: 30mm\n      width: 80mm\n      items:\n"; /* 20-24 */
    char buf[1024];
    snprintf(buf, sizeof buf, "%s        - {text: a, when: {if: [too]}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.template", 25, 33);
    snprintf(buf, sizeof buf, "%s        - {text: a, when: {unless: [label]}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.template", 25, 37);
    snprintf(buf, sizeof buf, "%s        - {text: a, when: {if: [recipients, bases, to, name2]}}\n", head);
    EXPECT_OK(edit(0, NULL, buf));
    snprintf(buf, sizeof buf, "%s        - {text: a, when: {kind: [BC]}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.unknown-key", 25, 28);
    snprintf(buf, sizeof buf, "%s        - {text: a, when: [to]}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.type", 25, 27);
    snprintf(buf, sizeof buf, "%s        - {text: a, when: {kinds: [[A]]}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.type", 25, 36);
    snprintf(buf, sizeof buf, "%s        - {space: 2mm, when: {not_kinds: [\"\"]}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.missing", 25, 43);
    /* list items: the new lists, label, single_marker; label is a list key only */
    snprintf(buf, sizeof buf, "%s        - {list: bases, label: \"Căn cứ: \", single_marker: \"\"}\n", head);
    EXPECT_OK(edit(0, NULL, buf));
    snprintf(buf, sizeof buf, "%s        - {text: a, label: \"x\"}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.unknown-key", 25, 21);
    snprintf(buf, sizeof buf, "%s        - {list: to, label: [x]}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.type", 25, 29);
    /* rule length: full, and a bad word */
    snprintf(buf, sizeof buf, "%s        - {text: a, rule: {length: full, width: 1pt}}\n", head);
    EXPECT_OK(edit(0, NULL, buf));
    snprintf(buf, sizeof buf, "%s        - {text: a, rule: {length: whole, width: 1pt}}\n", head);
    EXPECT_ERR(edit(0, NULL, buf), "profile.length", 25, 36);
}

static void
test_yaml_and_io(void)
{
    /* a YAML error in a profile is a profile error; the id says it was the YAML */
    const char *bad = "schema: 1\nid: [t\n";
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_parse(a, bad, strlen(bad), "y.yaml", &p, &d), VB_E_PROFILE);
    CHECK_INT(d.code, VB_E_PROFILE);
    CHECK(strncmp(d.id, "yaml.", 5) == 0);
    CHECK(p == NULL);
    vb_arena_free(a);

    a = vb_arena_new();
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_load(a, "layouts/no-such-profile.yaml", &p, &d), VB_E_IO);
    CHECK_STR(d.id, "profile.io");
    CHECK_STR(d.source, "layouts/no-such-profile.yaml");
    CHECK(p == NULL);
    vb_arena_free(a);

    /* the diagnostic formats as file:line:col */
    a = vb_arena_new();
    memset(&d, 0, sizeof d);
    const char *neg = edit(10, "  left: -30mm", NULL);
    CHECK_INT(vb_profile_parse(a, neg, strlen(neg), "neg.yaml", &p, &d), VB_E_PROFILE);
    char buf[700];
    vb_diag_format(&d, buf, sizeof buf);
    CHECK(strncmp(buf, "neg.yaml:10:9: error: ", 22) == 0);
    CHECK(strstr(buf, "margins.left") != NULL);
    CHECK(strstr(buf, "[profile.length]") != NULL);
    vb_arena_free(a);
}

/* Issue 8: body_center, body_right, script, footnote. */
static void
test_inline_keys(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_parse(a, MINIMAL, strlen(MINIMAL), "min.yaml", &p, &d), VB_OK);
    if (p) {
        CHECK_INT(p->body_center.align, VB_ALIGN_CENTER);
        CHECK_INT(p->body_center.size, 14000);
        CHECK_INT(p->body_center.indent, 0);
        CHECK_INT(p->body_right.align, VB_ALIGN_RIGHT);
        CHECK(!p->script.present);
        CHECK(!p->footnote.present);
    }
    const char *t = edit(0, NULL,
                         "body_center: {italic: true}\n"                                  /* 20 */
                         "script: {size_ratio: 65%, superscript_rise: 0.33, subscript_drop: 14%}\n"
                         "footnote: {size: 12pt, leading: 14pt, rule_length: 50mm, rule_width: 0.5pt, gap: 2pt}\n");
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_parse(a, t, strlen(t), "s.yaml", &p, &d), VB_OK);
    if (p) {
        CHECK_INT(p->body_center.face, VB_FACE_ITALIC);
        CHECK_INT(p->body_center.align, VB_ALIGN_CENTER);
        CHECK(p->script.present);
        CHECK_INT(p->script.size_ratio, 650);
        CHECK_INT(p->script.rise, 330);
        CHECK_INT(p->script.drop, 140);
        CHECK(p->footnote.present);
        CHECK_INT(p->footnote.style.size, 12000);
        CHECK_INT(p->footnote.style.leading, 14000);
        CHECK_INT(p->footnote.gap, 2000);
        CHECK_INT(p->footnote.space_before, 0);
    }
    vb_arena_free(a);
    EXPECT_ERR(edit(0, NULL, "script: {size_ratio: 5%}\n"), "profile.value", 20, 22);
    EXPECT_ERR(edit(0, NULL, "script: {rise: 5%}\n"), "profile.unknown-key", 20, 10);
    EXPECT_ERR(edit(0, NULL, "footnote: {size: 12pt, rule_width: 0.5pt}\n"), "profile.missing", 20, 11);
}

int
main(void)
{
    test_party_profile();
    test_defaults();
    test_errors();
    test_issue4_keys();
    test_issue4_errors();
    test_yaml_and_io();
    test_inline_keys();
    return check_done();
}
