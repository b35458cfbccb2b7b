/*
 * test_fields.c - the table of the front matter's keys (src/reading/fields.def):
 * every key in it is read, dumped (vanban dump --stage=model), known to the
 * unknown-key message, and every printed text field is usable in a band
 * template ({key} accepted by profile.c and set by band.c) and walked by the
 * font coverage check (vb_meta_each_field). A field added to the table
 * without its reading, dump or template fails here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "font.h"
#include "input.h"
#include "layout.h"
#include "profile.h"

/* The value the test gives a text key: "<<key>>" (urgency and secrecy take a mark of their closed set). */
static const char *
value_of(const vb_meta_key_t *k, char *buf, size_t size)
{
    if (!strcmp(k->key, "urgency"))
        return "KHẨN";
    if (!strcmp(k->key, "secrecy"))
        return "MẬT";
    if (!strcmp(k->key, "profile"))
        return "party-36-2018";
    snprintf(buf, size, "<<%s>>", k->key);
    return buf;
}

/* The source line of each key in full_source. */
static int key_line[64];

/* A front matter giving every key of the table, then a one-line body. */
static char *
full_source(void)
{
    int line = 2;
    vb_buf_t b = {0};
    char v[64];
    vb_buf_puts(&b, "---\n");
    for (int i = 0; i < vb_meta_nkeys; i++) {
        const vb_meta_key_t *k = &vb_meta_keys[i];
        key_line[i < 64 ? i : 63] = line++;
        switch (k->kind) {
        case VB_META_KIND_TEXT:
            vb_buf_printf(&b, "%s: \"%s\"\n", k->key, value_of(k, v, sizeof v));
            break;
        case VB_META_KIND_LIST:
            vb_buf_printf(&b, "%s:\n  - \"<<%s entry>>\"\n", k->key, k->key);
            line++;
            break;
        case VB_META_KIND_BOOL:
            vb_buf_printf(&b, "%s: true\n", k->key);
            break;
        case VB_META_KIND_OTHER:
            if (!strcmp(k->key, "date"))
                vb_buf_puts(&b, "date: 2023-02-05\n");
            else if (!strcmp(k->key, "signer"))
                vb_buf_puts(&b, "signer: {authority: \"<<authority>>\", post: \"<<post>>\", name: \"<<name>>\"}\n");
            else if (!strcmp(k->key, "line_breaks"))
                vb_buf_puts(&b, "line_breaks: paragraphs\n");
            else
                vb_buf_printf(&b, "# %s: a key of its own kind this test does not know\n", k->key);
            break;
        }
    }
    vb_buf_puts(&b, "---\nMột đoạn văn.\n");
    return vb_buf_take(&b, NULL);
}

static int
count_field(void *ctx, const vb_field_t *f)
{
    (void)f;
    (*(int *)ctx)++;
    return 0;
}

/* Whether the runs' texts, joined in the order they are drawn, hold s (a line is cut into runs at span edges). */
static bool
dlist_has(const vb_dlist_t *dl, const char *s)
{
    vb_buf_t b = {0};
    for (int p = 0; p < dl->npages; p++)
        for (int i = 0; i < dl->pages[p].n; i++) {
            const vb_ditem_t *it = &dl->pages[p].items[i];
            if (it->kind == VB_DITEM_RUN)
                vb_buf_add(&b, it->u.run.text, it->u.run.text_len);
        }
    bool found = b.p && strstr(b.p, s);
    vb_buf_free(&b);
    return found;
}

/* The Party profile with one header item "[key]={key}" for every printed text field of the table. */
static char *
profile_with_every_field(vb_arena_t *a)
{
    char *text = NULL;
    size_t len = 0;
    vb_file_result_t fr;
    if (!vb_file_read(a, "layouts/party-36-2018.yaml", 1 << 20, &text, &len, &fr))
        return NULL;
    const char *h = strstr(text, "\nheader:");
    const char *items = h ? strstr(h, "      items:\n") : NULL;
    if (!items)
        return NULL;
    items += strlen("      items:\n");
    vb_buf_t b = {0};
    vb_buf_add(&b, text, (size_t)(items - text));
    for (int i = 0; i < vb_meta_nkeys; i++)
        if (vb_meta_keys[i].kind == VB_META_KIND_TEXT && vb_meta_keys[i].printed)
            vb_buf_printf(&b, "        - text: \"[%s]={%s}\"\n          style: header\n", vb_meta_keys[i].key,
                          vb_meta_keys[i].key);
    vb_buf_puts(&b, items);
    return vb_buf_take(&b, NULL);
}

static void
test_every_field(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    char *src = full_source();
    CHECK(src != NULL);
    vb_model_t m;
    char *text = NULL;
    size_t tlen = 0;
    vb_status_t st = vb_text_prepare(a, src, strlen(src), "t.md", &text, &tlen, &d);
    if (st == VB_OK)
        st = vb_read_source(a, text, tlen, "t.md", &m, &d);
    if (st != VB_OK)
        fprintf(stderr, "read failed: %d:%d %s %s\n", d.line, d.col, d.id, d.msg);
    CHECK_INT(st, VB_OK);
    free(src);
    if (st != VB_OK) {
        vb_arena_free(a);
        return;
    }
    CHECK(vb_meta_nkeys >= 26 && vb_meta_nkeys < 64);

    /* read: every key reached its member */
    char v[64];
    int nprinted = 0;
    for (int i = 0; i < vb_meta_nkeys; i++) {
        const vb_meta_key_t *k = &vb_meta_keys[i];
        CHECK(vb_meta_key(k->key, strlen(k->key)) == k);
        if (k->kind == VB_META_KIND_TEXT) {
            const vb_field_t *f = VB_META_TEXT_OF(&m.meta, k);
            CHECK(f->text && !strcmp(f->text, value_of(k, v, sizeof v)));
            CHECK_INT(f->pos.line, key_line[i]); /* the value's own line */
            CHECK((vb_meta_printed(&m.meta, k->key, strlen(k->key)) == f) == k->printed);
            nprinted += k->printed;
        } else if (k->kind == VB_META_KIND_LIST) {
            int n = 0;
            vb_pos_t pos;
            const vb_field_t *e = vb_meta_list(&m.meta, k, &n, &pos);
            CHECK_INT(n, 1);
            snprintf(v, sizeof v, "<<%s entry>>", k->key);
            CHECK(e && !strcmp(e[0].text, v));
        } else if (k->kind == VB_META_KIND_BOOL) {
            CHECK(*(const bool *)((const char *)&m.meta + k->off));
        }
    }
    CHECK(m.meta.date.year == 2023 && m.meta.nsigners == 1 && m.meta.line_paragraphs);
    CHECK(!vb_meta_printed(&m.meta, "profile", 7)); /* read, never printed */

    /* walked by the coverage check: every printed text, the signer's three, one entry per list */
    int walked = 0;
    CHECK_INT(vb_meta_each_field(&m.meta, count_field, &walked), 0);
    CHECK_INT(walked, nprinted + 3 + 3);

    /* dumped: a line "meta KEY" for every key */
    char *dump = NULL;
    CHECK_INT(vb_model_dump(&m, &dump, NULL), VB_OK);
    for (int i = 0; dump && i < vb_meta_nkeys; i++) {
        const vb_meta_key_t *k = &vb_meta_keys[i];
        char want[96];
        if (k->kind == VB_META_KIND_TEXT)
            snprintf(want, sizeof want, "\nmeta %s \"%s\"", k->key, value_of(k, v, sizeof v));
        else if (!strcmp(k->key, "signer"))
            snprintf(want, sizeof want, "\nmeta signer.name \"<<name>>\"");
        else
            snprintf(want, sizeof want, "\nmeta %s", k->key);
        if (!strstr(dump, want))
            fprintf(stderr, "not dumped: %s\n", want + 1);
        CHECK(strstr(dump, want) != NULL);
    }
    free(dump);

    /* usable in a band template: the profile accepts {key}, the layout prints its value */
    vb_profile_t *p = NULL;
    char *ptext = profile_with_every_field(a);
    CHECK(ptext != NULL);
    st = ptext ? vb_profile_parse(a, ptext, strlen(ptext), "every-field.yaml", &p, &d) : VB_E_IO;
    if (st != VB_OK)
        fprintf(stderr, "profile refused: %d:%d %s %s\n", d.line, d.col, d.id, d.msg);
    CHECK_INT(st, VB_OK);
    vb_fontset_t *fonts = NULL;
    const char *fam[] = {"Liberation Serif"};
    if (st == VB_OK)
        st = vb_fontset_open(fam, 1, NULL, &fonts, &d);
    vb_dlist_t dl;
    memset(&dl, 0, sizeof dl);
    dl.arena = a;
    if (st == VB_OK) {
        vb_layout_opts_t o = {.creation_time = -1};
        st = vb_layout(&m, p, fonts, &o, &dl, &d);
    }
    if (st != VB_OK)
        fprintf(stderr, "layout failed: %s %s\n", d.id, d.msg);
    CHECK_INT(st, VB_OK);
    for (int i = 0; st == VB_OK && i < vb_meta_nkeys; i++) {
        const vb_meta_key_t *k = &vb_meta_keys[i];
        if (k->kind != VB_META_KIND_TEXT || !k->printed)
            continue;
        char want[96];
        snprintf(want, sizeof want, "[%s]=%s", k->key, value_of(k, v, sizeof v));
        if (!dlist_has(&dl, want))
            fprintf(stderr, "not printed: %s\n", want);
        CHECK(dlist_has(&dl, want));
    }
    vb_fontset_free(fonts);
    free(ptext);
    vb_arena_free(a);
}

/* The unknown-key message names every key of the table, in its order. */
static void
test_unknown_key(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_model_t m;
    const char *src = "---\nisuer: A\n---\n";
    CHECK_INT(vb_read_source(a, src, strlen(src), "t.md", &m, &d), VB_E_INPUT);
    CHECK_STR(d.id, "frontmatter.unknown-key");
    const char *at = d.msg;
    for (int i = 0; i < vb_meta_nkeys && at; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s%s%s", i ? " " : "(known: ", vb_meta_keys[i].key,
                 i + 1 < vb_meta_nkeys ? "," : ").");
        at = strstr(at, want);
        CHECK(at != NULL);
    }
    vb_arena_free(a);
}

int
main(void)
{
    test_every_field();
    test_unknown_key();
    return check_done();
}
