/*
 * test_diag.c - the diagnostic sink (base.c) and the stages that report
 * through it: every error and warning reaches the callback in the order
 * found, the first error is kept, ranges and fixes are filled; the
 * formatting by severity, with and without the fix; validation reporting
 * every field at fault; the front matter reporting every wrong field; an
 * overfull line (para.c) and text outside the text block (paginate.c) as
 * warnings, each once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "font.h"
#include "input.h"
#include "chunk.h"
#include "layout.h"
#include "paginate.h"
#include "profile.h"
#include "validate.h"

/* What the callback saw. */
typedef struct seen {
    int n;
    vb_diag_t d[16];
} seen_t;

static void
collect(const vb_diag_t *d, void *ctx)
{
    seen_t *s = ctx;
    if (s->n < 16)
        s->d[s->n] = *d;
    s->n++;
}

static void
test_sink(void)
{
    seen_t s;
    memset(&s, 0, sizeof s);
    vb_diag_t first;
    memset(&first, 0, sizeof first);
    vb_sink_t k;
    vb_sink_init(&k, &first, collect, &s);
    CHECK_INT(vb_sink_status(&k), VB_OK);

    /* a warning: counted, passed on, not an error */
    CHECK_INT(vb_report(&k, VB_SEVERITY_WARNING, VB_E_LAYOUT, "w.one", "a.md", (vb_range_t){2, 3, 0, 0}, NULL,
                        "warn %d", 1),
              VB_OK);
    CHECK_INT(first.code, VB_OK);
    CHECK_INT(vb_sink_status(&k), VB_OK);

    /* the first error: kept, with its range and fix */
    vb_fix_t fix = {"05-BC/ĐUK", "the zero", true};
    CHECK_INT(vb_report(&k, VB_SEVERITY_ERROR, VB_E_INPUT, "e.one", "a.md", (vb_range_t){3, 9, 3, 18}, &fix,
                        "first %s", "error"),
              VB_E_INPUT);
    /* a second error of another class: passed on, the first stays */
    CHECK_INT(vb_report(&k, VB_SEVERITY_ERROR, VB_E_FONT, "e.two", "a.md", (vb_range_t){5, 1, 0, 0}, NULL, "second"),
              VB_E_FONT);
    CHECK_INT(k.errors, 2);
    CHECK_INT(k.warnings, 1);
    CHECK_INT(vb_sink_status(&k), VB_E_INPUT);
    CHECK_INT(first.code, VB_E_INPUT);
    CHECK_STR(first.id, "e.one");
    CHECK_STR(first.msg, "first error");
    CHECK_INT(first.line, 3);
    CHECK_INT(first.col, 9);
    CHECK_INT(first.end_line, 3);
    CHECK_INT(first.end_col, 18);
    CHECK_INT(first.has_fix, 1);
    CHECK_STR(first.fix, "05-BC/ĐUK");
    CHECK_STR(first.fix_note, "the zero");
    CHECK_INT(first.severity, VB_SEVERITY_ERROR);

    /* the callback saw all three, in order, with their severities */
    CHECK_INT(s.n, 3);
    CHECK_STR(s.d[0].id, "w.one");
    CHECK_INT(s.d[0].severity, VB_SEVERITY_WARNING);
    CHECK_STR(s.d[0].msg, "warn 1");
    CHECK_INT(s.d[0].has_fix, 0);
    CHECK_STR(s.d[1].id, "e.one");
    CHECK_STR(s.d[2].id, "e.two");
    CHECK_INT(s.d[2].code, VB_E_FONT);

    /* a diagnostic set the old way becomes a report; an empty one is nothing */
    vb_diag_t old;
    memset(&old, 0, sizeof old);
    CHECK_INT(vb_sink_take(&k, &old), VB_OK);
    CHECK_INT(s.n, 3);
    vb_diag_set(&old, VB_E_IO, "io.read", "b.md", 0, 0, "Cannot read.");
    CHECK_INT(vb_sink_take(&k, &old), VB_E_IO);
    CHECK_INT(s.n, 4);
    CHECK_STR(s.d[3].id, "io.read");
    CHECK_INT(k.errors, 3);
    CHECK_STR(first.id, "e.one"); /* still the first */

    /* no sink: nothing is done, the codes still come back */
    CHECK_INT(vb_report(NULL, VB_SEVERITY_ERROR, VB_E_INPUT, "x", NULL, (vb_range_t){0, 0, 0, 0}, NULL, "x"),
              VB_E_INPUT);
    CHECK_INT(vb_report(NULL, VB_SEVERITY_WARNING, VB_E_INPUT, "x", NULL, (vb_range_t){0, 0, 0, 0}, NULL, "x"),
              VB_OK);

    /* a sink without a first or a callback still counts */
    vb_sink_t bare;
    vb_sink_init(&bare, NULL, NULL, NULL);
    vb_report(&bare, VB_SEVERITY_ERROR, VB_E_LIMIT, "l", NULL, (vb_range_t){0, 0, 0, 0}, NULL, "l");
    CHECK_INT(bare.errors, 1);
    CHECK_INT(vb_sink_status(&bare), VB_E_LIMIT);

    /* held diagnostics reach the real sink only when released */
    vb_arena_t *a = vb_arena_new();
    vb_sink_t hs;
    vb_held_t held;
    vb_sink_hold(&hs, &held, a);
    vb_report(&hs, VB_SEVERITY_WARNING, VB_E_LAYOUT, "layout.overfull", "a.md", (vb_range_t){7, 1, 0, 0}, NULL, "h");
    CHECK_INT(s.n, 4);
    vb_held_release(&held, &k, true);
    CHECK_INT(s.n, 5);
    CHECK_STR(s.d[4].id, "layout.overfull");
    CHECK_INT(k.warnings, 2);
    vb_held_release(&held, &k, true); /* released once */
    CHECK_INT(s.n, 5);
    /* a stage that failed: its errors only */
    vb_report(&hs, VB_SEVERITY_WARNING, VB_E_LAYOUT, "layout.overfull", "a.md", (vb_range_t){8, 1, 0, 0}, NULL, "h");
    vb_report(&hs, VB_SEVERITY_ERROR, VB_E_LAYOUT, "layout.too-tall", "a.md", (vb_range_t){9, 1, 0, 0}, NULL, "t");
    vb_held_release(&held, &k, false);
    CHECK_INT(s.n, 6);
    CHECK_STR(s.d[5].id, "layout.too-tall");
    CHECK_INT(k.warnings, 2);
    vb_arena_free(a);

    /* ranges: characters, not bytes; a value on two lines is a point */
    vb_range_t r = vb_range_of(3, 9, "5-BC/ĐUK");
    CHECK_INT(r.end_line, 3);
    CHECK_INT(r.end_col, 17);
    r = vb_range_of(3, 9, "A\nB");
    CHECK_INT(r.end_line, 0);
    CHECK_INT(r.end_col, 0);
}

static void
test_format(void)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_diag_set(&d, VB_E_INPUT, "number.zero", "a.md", 3, 9, "Leading zero.");
    char buf[1200];
    vb_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: error: Leading zero. [number.zero]");
    d.severity = VB_SEVERITY_WARNING;
    vb_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: warning: Leading zero. [number.zero]");
    d.severity = VB_SEVERITY_ERROR;
    vb_diag_format_warning(&d, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: warning: Leading zero. [number.zero]");
    /* without a fix, the flag changes nothing */
    vb_diag_format_ex(&d, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: error: Leading zero. [number.zero]");
    d.has_fix = 1;
    snprintf(d.fix, sizeof d.fix, "05-BC/ĐUK");
    vb_diag_format_ex(&d, 0, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: error: Leading zero. [number.zero]");
    vb_diag_format_ex(&d, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: error: Leading zero. [number.zero]\n  fix: replace with \xE2\x80\x9C"
                   "05-BC/ĐUK\xE2\x80\x9D");
    snprintf(d.fix_note, sizeof d.fix_note, "the zero");
    vb_diag_format_ex(&d, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    CHECK_STR(buf, "a.md:3:9: error: Leading zero. [number.zero]\n  fix: replace with \xE2\x80\x9C"
                   "05-BC/ĐUK\xE2\x80\x9D (the zero)");
    /* a fix cannot start a forged line of its own */
    snprintf(d.fix, sizeof d.fix, "A\nb.md:1:1: error: forged");
    d.fix_note[0] = 0;
    vb_diag_format_ex(&d, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    CHECK(strstr(buf, "A\\nb.md:1:1") != NULL);
    CHECK(strchr(strchr(buf, '\n') + 1, '\n') == NULL);
}

/* ---- stages ---- */

static vb_arena_t *arena;

static bool
read_src(const char *src, vb_model_t *m, vb_sink_t *k)
{
    char *text;
    size_t n;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    if (vb_text_prepare(arena, src, strlen(src), "v.md", &text, &n, &d) != VB_OK)
        return false;
    return vb_read_source_sink(arena, text, n, "v.md", NULL, NULL, m, k) == VB_OK;
}

static void
test_validate_all(void)
{
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_load(arena, "layouts/state-30-2020.yaml", &p, &d), VB_OK);
    if (!p)
        return;
    /* the number without its zero, a Party signer form in a state document, and one without its dot */
    static const char src[] = "---\nissuer: BỘ NỘI VỤ\nnumber: 5/QĐ-BNV\nplace: Hà Nội\ndate: 2023-07-06\n"
                              "kind: QUYẾT ĐỊNH\nsigner:\n  - authority: K/T BỘ TRƯỞNG\n    post: THỨ TRƯỞNG\n"
                              "    name: A\n  - authority: TL BỘ TRƯỞNG\n    post: VỤ TRƯỞNG\n    name: B\n---\nA\n";
    vb_model_t m;
    seen_t s;
    memset(&s, 0, sizeof s);
    vb_diag_t first;
    memset(&first, 0, sizeof first);
    vb_sink_t k;
    vb_sink_init(&k, &first, collect, &s);
    CHECK(read_src(src, &m, &k));
    CHECK_INT(s.n, 0);
    vb_validate_opts_t o = {false, NULL, NULL, &k, false};
    CHECK_INT(vb_validate_opts(&m, p, &o, &d), VB_E_INPUT);
    CHECK_INT(d.code, VB_OK); /* with a sink, the sink has them */
    CHECK_INT(s.n, 3);
    CHECK_STR(s.d[0].id, "number.zero");
    CHECK_INT(s.d[0].line, 3);
    CHECK_INT(s.d[0].col, 9);
    CHECK_INT(s.d[0].end_line, 3);
    CHECK_INT(s.d[0].end_col, 17); /* "5/QĐ-BNV": 8 characters */
    CHECK_STR(s.d[0].fix, "05/QĐ-BNV");
    CHECK_STR(s.d[1].id, "signer.form");
    CHECK_INT(s.d[1].line, 8);
    CHECK_INT(s.d[1].col, 16);
    CHECK_STR(s.d[1].fix, "KT. BỘ TRƯỞNG");
    CHECK_STR(s.d[2].id, "signer.form");
    CHECK_INT(s.d[2].line, 11);
    CHECK_STR(s.d[2].fix, "TL. BỘ TRƯỞNG");
    CHECK(strstr(s.d[2].msg, "without its punctuation") != NULL);
    CHECK_STR(first.id, "number.zero");
    CHECK_INT(k.errors, 3);

    /* nonconforming: the same three as warnings, and no error */
    memset(&s, 0, sizeof s);
    memset(&first, 0, sizeof first);
    vb_sink_init(&k, &first, collect, &s);
    vb_validate_opts_t nc = {true, NULL, NULL, &k, false};
    CHECK_INT(vb_validate_opts(&m, p, &nc, &d), VB_OK);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.d[0].severity, VB_SEVERITY_WARNING);
    CHECK_INT(s.d[2].severity, VB_SEVERITY_WARNING);
    CHECK_INT(k.errors, 0);
    CHECK_INT(first.code, VB_OK);

    /* the old call: the first error only */
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_validate(&m, p, &d), VB_E_INPUT);
    CHECK_STR(d.id, "number.zero");
}

static void
test_frontmatter_all(void)
{
    /* an unknown key, a wrong date, a wrong mark, and no place: four errors, the body still read */
    static const char src[] = "---\nissuer: X\nnumber: 05-BC/ĐUK\ncolour: blue\ndate: 2023-02-30\nurgency: KHẲN\n"
                              "---\nNội dung.\n";
    vb_model_t m;
    seen_t s;
    memset(&s, 0, sizeof s);
    vb_diag_t first;
    memset(&first, 0, sizeof first);
    vb_sink_t k;
    vb_sink_init(&k, &first, collect, &s);
    CHECK(read_src(src, &m, &k));
    CHECK_INT(s.n, 4);
    CHECK_STR(s.d[0].id, "frontmatter.unknown-key");
    CHECK_INT(s.d[0].line, 4);
    CHECK_STR(s.d[1].id, "frontmatter.date");
    CHECK_INT(s.d[1].line, 5);
    CHECK_STR(s.d[2].id, "frontmatter.value");
    CHECK_INT(s.d[2].line, 6);
    CHECK_STR(s.d[3].id, "frontmatter.missing");
    CHECK(strstr(s.d[3].msg, "\"place\"") != NULL);
    CHECK_INT(s.n > 4 ? 1 : 0, 0); /* a date at fault is not also "missing" */
    CHECK_STR(first.id, "frontmatter.unknown-key");
    CHECK_INT(vb_sink_status(&k), VB_E_INPUT);
    CHECK_INT(m.body.n, 1); /* the body was read all the same */

    /* the old call: the first error only, as before */
    char *text;
    size_t n;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_text_prepare(arena, src, strlen(src), "v.md", &text, &n, &d), VB_OK);
    CHECK_INT(vb_read_source(arena, text, n, "v.md", &m, &d), VB_E_INPUT);
    CHECK_STR(d.id, "frontmatter.unknown-key");
}

/* A line wider than its measure: one warning however often the text is set; none without a sink. */
static void
test_overfull(vb_fontset_t *fonts)
{
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_load(arena, "layouts/party-36-2018.yaml", &p, &d), VB_OK);
    if (!p)
        return;
    seen_t s;
    memset(&s, 0, sizeof s);
    vb_sink_t k;
    vb_sink_init(&k, NULL, collect, &s);
    vb_setctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.fonts = fonts;
    ctx.arena = arena;
    ctx.brk = &p->breaking;
    ctx.sink = &k;
    ctx.source = "o.md";
    ctx.at = (vb_pos_t){12, 3};
    vb_span_t sp = {"WWW", 3, 0};
    vb_inline_t in = {&sp, 1};
    vb_style_t st = p->body;
    st.indent = st.hang = 0;
    vb_lines_t lines;
    /* 3 pt: narrower than one W at 14 pt, which cannot be cut */
    CHECK_INT(vb_set_text(&ctx, &in, &st, 3000, &lines, &d), VB_OK);
    CHECK_INT(s.n, 1);
    CHECK_STR(s.d[0].id, "layout.overfull");
    CHECK_INT(s.d[0].severity, VB_SEVERITY_WARNING);
    CHECK_INT(s.d[0].code, VB_E_LAYOUT);
    CHECK_STR(s.d[0].source, "o.md");
    CHECK_INT(s.d[0].line, 12);
    CHECK_INT(s.d[0].col, 3);
    if (!strstr(s.d[0].msg, "\"WWW\""))
        fprintf(stderr, "overfull: %s\n", s.d[0].msg);
    CHECK(strstr(s.d[0].msg, "\"WWW\"") != NULL); /* a word this short is not cut */
    CHECK(vb_set_overfull_at(&ctx, (vb_pos_t){12, 3}));
    CHECK(!vb_set_overfull_at(&ctx, (vb_pos_t){13, 3}));
    /* set again (a table measured twice): not reported again */
    CHECK_INT(vb_set_text(&ctx, &in, &st, 3000, &lines, &d), VB_OK);
    CHECK_INT(s.n, 1);
    /* wide enough: nothing */
    vb_span_t ok = {"Một dòng vừa", strlen("Một dòng vừa"), 0};
    in.spans = &ok;
    CHECK_INT(vb_set_text(&ctx, &in, &st, 400000, &lines, &d), VB_OK);
    CHECK_INT(s.n, 1);
    vb_set_finish(&ctx);
}

/* A run of the flow past the right side of the text block: layout.outside, once, at the chunk's source. */
static void
test_outside(vb_fontset_t *fonts)
{
    vb_profile_t *p = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_profile_load(arena, "layouts/party-36-2018.yaml", &p, &d), VB_OK);
    if (!p)
        return;
    vb_model_t m;
    memset(&m, 0, sizeof m);
    m.source = "o.md";
    seen_t s;
    memset(&s, 0, sizeof s);
    vb_sink_t k;
    vb_sink_init(&k, NULL, collect, &s);
    vb_lctx_t lc;
    memset(&lc, 0, sizeof lc);
    lc.arena = arena;
    lc.model = &m;
    lc.profile = p;
    lc.set.fonts = fonts;
    lc.set.arena = arena;
    lc.set.brk = &p->breaking;
    lc.set.sink = &k;
    lc.set.source = "o.md";
    lc.text_left = p->margin_left;
    lc.text_width = p->page_width - p->margin_left - p->margin_right;
    lc.text_height = p->page_height - p->margin_top - p->margin_bottom;
    vb_style_t st = p->body;
    st.indent = st.hang = 0;
    const char *words[] = {"Trong khối chữ", "Ra ngoài lề phải"};
    for (int i = 0; i < 2; i++) {
        vb_span_t sp = {words[i], strlen(words[i]), 0};
        vb_inline_t in = {&sp, 1};
        vb_lines_t lines;
        CHECK_INT(vb_set_text(&lc.set, &in, &st, lc.text_width, &lines, &d), VB_OK);
        vb_chunk_t *c = vb_chunk_new(&lc);
        CHECK(c != NULL);
        if (!c)
            return;
        c->pos = (vb_pos_t){20 + i, 1};
        /* the second starts 20 pt before the right side: it passes it */
        vb_len_t x = i == 0 ? lc.text_left : lc.text_left + lc.text_width - 20000;
        CHECK_INT(vb_chunk_add_line(&lc, c, &lines.v[0], x, st.size, &d), VB_OK);
        c->height = c->fit = st.leading;
    }
    vb_dlist_t dl;
    memset(&dl, 0, sizeof dl);
    dl.arena = arena;
    CHECK_INT(vb_paginate(&lc, &dl, &d), VB_OK);
    CHECK_INT(dl.npages, 1);
    CHECK_INT(s.n, 1);
    CHECK_STR(s.d[0].id, "layout.outside");
    CHECK_INT(s.d[0].line, 21);
    CHECK_INT(s.d[0].severity, VB_SEVERITY_WARNING);
    CHECK(strstr(s.d[0].msg, "right side") != NULL);
    vb_set_finish(&lc.set);
}

int
main(void)
{
    arena = vb_arena_new();
    test_sink();
    test_format();
    test_validate_all();
    test_frontmatter_all();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    const char *fam[] = {"Liberation Serif"};
    vb_fontset_t *fonts = NULL;
    if (vb_fontset_open(fam, 1, NULL, &fonts, &d) != VB_OK) {
        fprintf(stderr, "no fonts: %s\n", d.msg);
        return 1;
    }
    test_overfull(fonts);
    test_outside(fonts);
    vb_fontset_free(fonts);
    vb_arena_free(arena);
    return check_done();
}
