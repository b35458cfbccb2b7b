/* test_yamltree.c - the YAML tree: shapes, positions, refusals. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "yamltree.h"

static vb_status_t
parse(vb_arena_t *a, const char *s, int line0, vb_ynode_t **root, vb_diag_t *d)
{
    memset(d, 0, sizeof *d);
    return vb_yaml_parse(a, s, strlen(s), "t.yaml", line0, root, d);
}

static void
expect_error(const char *s, const char *id, int line, int col)
{
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root = NULL;
    vb_diag_t d;
    vb_status_t st = parse(a, s, 0, &root, &d);
    CHECK_INT(st, VB_E_INPUT);
    CHECK_STR(d.id, id);
    CHECK_INT(d.line, line);
    CHECK_INT(d.col, col);
    CHECK_STR(d.source, "t.yaml");
    CHECK(root == NULL);
    vb_arena_free(a);
}

static void
test_shapes(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root;
    vb_diag_t d;
    const char *src = "# comment\n"
                      "issuer: |-\n"
                      "  ĐẢNG ỦY KHỐI\n"
                      "  DOANH NGHIỆP\n"
                      "number: 196-BC/ĐUK\n"
                      "empty:\n"
                      "tilde: ~\n"
                      "quoted: \"~\"\n"
                      "signer:\n"
                      "  name: Trần Văn Hải\n"
                      "list:\n"
                      "  - một\n"
                      "  - [2, 3]\n"
                      "folded: a\n"
                      "  b\n";
    CHECK_INT(parse(a, src, 1, &root, &d), VB_OK);
    CHECK(root && root->kind == VB_Y_MAP);
    CHECK_INT(root->n, 8);
    CHECK_STR(root->keys[0], "issuer");
    /* line0 = 1: the first YAML line is source line 2 */
    CHECK_INT(root->key_pos[0].line, 3);
    CHECK_INT(root->key_pos[0].col, 1);
    CHECK_INT(root->pos.line, 3);

    const vb_ynode_t *n = vb_ymap_get(root, "issuer");
    CHECK(n && n->kind == VB_Y_SCALAR);
    CHECK_STR(n->str, "ĐẢNG ỦY KHỐI\nDOANH NGHIỆP");
    CHECK(!n->plain);
    CHECK_INT(n->pos.line, 3);
    CHECK_INT(n->pos.col, 9);

    n = vb_ymap_get(root, "number");
    CHECK_STR(n->str, "196-BC/ĐUK");
    CHECK(n->plain);
    CHECK_INT(n->len, strlen("196-BC/ĐUK"));
    CHECK_INT(n->pos.line, 6);
    CHECK_INT(n->pos.col, 9);

    n = vb_ymap_get(root, "empty");
    CHECK(n && n->kind == VB_Y_SCALAR && n->plain && n->len == 0);
    n = vb_ymap_get(root, "tilde");
    CHECK(n && n->plain);
    CHECK_STR(n->str, "~");
    n = vb_ymap_get(root, "quoted");
    CHECK(n && !n->plain);

    n = vb_ymap_get(root, "signer");
    CHECK(n && n->kind == VB_Y_MAP && n->n == 1);
    const vb_ynode_t *name = vb_ymap_get(n, "name");
    CHECK_STR(name ? name->str : NULL, "Trần Văn Hải");
    /* columns count characters, not bytes */
    CHECK_INT(name->pos.col, 9);
    CHECK_INT(name->pos.line, 11);

    n = vb_ymap_get(root, "list");
    CHECK(n && n->kind == VB_Y_SEQ && n->n == 2);
    CHECK_STR(n->items[0]->str, "một");
    CHECK(n->items[1]->kind == VB_Y_SEQ && n->items[1]->n == 2);
    CHECK_STR(n->items[1]->items[1]->str, "3");

    CHECK_STR(vb_ymap_get(root, "folded")->str, "a b");
    CHECK(vb_ymap_get(root, "absent") == NULL);
    CHECK(vb_ymap_get(n, "x") == NULL); /* not a mapping */
    CHECK(vb_ymap_get(NULL, "x") == NULL);
    vb_arena_free(a);
}

static void
test_empty(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root;
    vb_diag_t d;
    CHECK_INT(parse(a, "", 4, &root, &d), VB_OK);
    CHECK(root && root->kind == VB_Y_SCALAR && root->plain && root->len == 0);
    CHECK_STR(root->str, "");
    CHECK_INT(parse(a, "# only a comment\n", 0, &root, &d), VB_OK);
    CHECK(root && root->kind == VB_Y_SCALAR);
    CHECK_INT(parse(a, "text", 0, &root, &d), VB_OK);
    CHECK_STR(root->str, "text");
    vb_arena_free(a);
}

static void
test_errors(void)
{
    expect_error("a: 1\na: 2\n", "yaml.duplicate-key", 2, 1);
    expect_error("a: &x 1\nb: *x\n", "yaml.alias", 1, 4);
    expect_error("a: 1\nb: *x\n", "yaml.alias", 2, 4);
    expect_error("? [a]\n: 1\n", "yaml.key", 1, 3);
    expect_error("a: 1\n---\nb: 2\n", "yaml.multi-doc", 2, 1);
    /* a NUL written as an escape: in a key it would silently cut "draft\0x" to draft; in a value, the text */
    expect_error("\"draft\\0x\": true\n", "yaml.key", 1, 1);
    expect_error("a: 1\n\"b\\x00\": 2\n", "yaml.key", 2, 1);
    expect_error("a: \"x\\0y\"\n", "yaml.nul", 1, 4);
    expect_error("a: [\"ok\", \"x\\u0000\"]\n", "yaml.nul", 1, 11);
    expect_error("a: [1, 2\n", "yaml.syntax", 2, 1);
    expect_error("a: b\n c: d\n", "yaml.syntax", 2, 3);
    expect_error("a: \"x\x01\"\n", "yaml.syntax", 1, 6);

    /* more than 4096 entries: at the first one too many */
    static char big[4200 * 12];
    size_t b = 0;
    for (int i = 0; i < 4100; i++)
        b += (size_t)snprintf(big + b, sizeof big - b, "k%d: 1\n", i);
    expect_error(big, "yaml.too-large", 4097, 1);
    b = 0;
    for (int i = 0; i < 4100; i++)
        b += (size_t)snprintf(big + b, sizeof big - b, "- %d\n", i);
    expect_error(big, "yaml.too-large", 4097, 3);

    char deep[300];
    size_t k = 0;
    for (int i = 0; i < 100; i++)
        deep[k++] = '[';
    deep[k] = 0;
    expect_error(deep, "yaml.depth", 1, 65);
}

/* vb_yaml_head: the leading keys only, stopping at the first other key; false where vb_yaml_parse must say why. */
static void
test_head(void)
{
    static const char *const keys[] = {"schema", "regime", "valid_from"};
    char v[3][VB_YHEAD_MAX];
    vb_pos_t pos[3], stop;
    char stop_key[VB_YHEAD_MAX];
    bool nomem;
    const char *ok = "# a comment\nschema: 1\nregime: 'party'\npage:\n  width: [\nvalid_from: 2020-01-01\n";
    CHECK(vb_yaml_head(ok, strlen(ok), keys, 3, v, pos, &stop, stop_key, &nomem));
    CHECK_STR(v[0], "1");
    CHECK_STR(v[1], "party");
    CHECK_INT(pos[1].line, 3);
    CHECK_INT(pos[1].col, 1);
    CHECK_INT(pos[2].line, 0); /* after the stop: not read (the broken flow sequence neither) */
    CHECK_STR(stop_key, "page");
    CHECK_INT(stop.line, 4);
    CHECK(!nomem);

    const char *all = "regime: state\nvalid_from: ~\n";
    CHECK(vb_yaml_head(all, strlen(all), keys, 3, v, pos, &stop, stop_key, &nomem));
    CHECK_STR(v[1], "state");
    CHECK_INT(pos[2].line, 0); /* null: absent */
    CHECK_INT(stop.line, 0);   /* the whole root was the head */
    CHECK_STR(stop_key, "");

    /* a long file: the head is found all the same */
    static char big[20000];
    size_t n = (size_t)snprintf(big, sizeof big, "regime: party\nrest:\n");
    while (n + 20 < sizeof big)
        n += (size_t)snprintf(big + n, sizeof big - n, "  - item %zu\n", n);
    CHECK(vb_yaml_head(big, n, keys, 3, v, pos, &stop, stop_key, &nomem));
    CHECK_STR(v[1], "party");
    CHECK_STR(stop_key, "rest");

    const char *bad[] = {"regime: [party]\n", "regime: party\nregime: state\n", "- a\n- b\n", "regime: \"open\n",
                         "regime: &a party\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(!vb_yaml_head(bad[i], strlen(bad[i]), keys, 3, v, pos, &stop, stop_key, &nomem));
        CHECK(!nomem);
    }
}

/* A scalar's text by key in a parsed document (the test fails when the key is absent). */
static const char *
value_of(const char *doc, const char *key)
{
    static char out[256];
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root = NULL;
    vb_diag_t d;
    out[0] = 0;
    if (parse(a, doc, 0, &root, &d) == VB_OK && root && root->kind == VB_Y_MAP) {
        const vb_ynode_t *n = vb_ymap_get(root, key);
        if (n && n->kind == VB_Y_SCALAR)
            snprintf(out, sizeof out, "%s", n->str);
        else
            snprintf(out, sizeof out, "<%s missing>", key);
    } else {
        snprintf(out, sizeof out, "<error %s %d:%d>", d.id, d.line, d.col);
    }
    vb_arena_free(a);
    return out;
}

/*
 * Comments are dropped before libyaml sees the text (drop_comments): what
 * looks like a comment inside quotes or a block scalar stays text; a
 * comment's "#" needs a blank before it; positions after a dropped comment
 * and libyaml's own errors in a comment are as they were.
 */
static void
test_comments_dropped(void)
{
    CHECK_STR(value_of("a: x   # a comment\nb: y\n", "a"), "x");
    CHECK_STR(value_of("a: \"x # not a comment\"  # one\n", "a"), "x # not a comment");
    CHECK_STR(value_of("a: 'it''s # text' # one\n", "a"), "it's # text");
    CHECK_STR(value_of("a: x#y # one\n", "a"), "x#y");
    CHECK_STR(value_of("a: \"one\n  # two\"\nb: 1 # c\n", "a"), "one # two");
    CHECK_STR(value_of("a: |\n  # kept\n  text # kept\nb: 1\n", "a"), "# kept\ntext # kept\n");
    CHECK_STR(value_of("a: >-  # folded\n  x # y\n", "a"), "x # y");
    CHECK_STR(value_of("# only\n#\n  # indented\nz: \"q\\\" # in\" # out\n", "z"), "q\" # in");
    CHECK_STR(value_of("k: [a, \"b # c\"] # d\n", "k"), "<k missing>"); /* a sequence, parsed, not a scalar */
    /* an error after a dropped comment keeps its line:col */
    expect_error("a: 1 # comment here\nb: [1, 2\n", "yaml.syntax", 3, 1);
    expect_error("a: 1            # long comment\n  b: 2\n", "yaml.syntax", 2, 4);
    /* a control character or bad UTF-8 in a comment is still libyaml's error, where it was */
    expect_error("a: 1 # bell \x07 here\n", "yaml.syntax", 1, 13);
    expect_error("a: 1 # bad \xC3\x28 here\n", "yaml.syntax", 1, 13);
}

/* "title: Về việc: tổng kết", as clerks type it: the value's colons are text, every line:col kept */
static void
test_colons_in_values(void)
{
    CHECK_STR(value_of("title: Về việc: tổng kết\n", "title"), "Về việc: tổng kết");
    CHECK_STR(value_of("title: a: b: c:\nz: 1\n", "title"), "a: b: c:");
    CHECK_STR(value_of("a: 1\ntitle: x: y   # comment\n", "title"), "x: y");
    CHECK_STR(value_of("title: 10:30 ngày: 5\n", "title"), "10:30 ngày: 5");
    /* nested and in a list: the key's own colon stays a key */
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root;
    vb_diag_t d;
    CHECK_INT(parse(a, "signer:\n  name: Nguyễn Văn: B\nr:\n  - Lưu: VT: VP.\n  - x: y\n", 0, &root, &d), VB_OK);
    const vb_ynode_t *sg = vb_ymap_get(root, "signer"), *r = vb_ymap_get(root, "r");
    CHECK(sg && vb_ymap_get(sg, "name") && !strcmp(vb_ymap_get(sg, "name")->str, "Nguyễn Văn: B"));
    CHECK(r && r->kind == VB_Y_SEQ && r->n == 2);
    if (r && r->n == 2) {
        CHECK(r->items[0]->kind == VB_Y_MAP && r->items[0]->n == 1 && !strcmp(r->items[0]->keys[0], "Lưu") &&
              !strcmp(r->items[0]->items[0]->str, "VT: VP."));
        CHECK_INT(r->items[0]->items[0]->pos.col, 10); /* "  - Lưu: V": the V, in characters */
    }
    vb_arena_free(a);
    /* an error on a later line keeps its position */
    expect_error("title: a: b\nb: [1, 2\n", "yaml.syntax", 3, 1);
    expect_error("title: a: b\nb: \"x\n", "yaml.syntax", 2, 4); /* the quote left open */
    /* a key indented wrongly is still an error, at its own colon: not glued to the text above */
    expect_error("signer:\n  authority: T/M\n   post: BÍ THƯ: X\n", "yaml.syntax", 3, 8);
    /* quoted, flow or block values are YAML the writer chose: not touched */
    expect_error("title: \"a\": b\n", "yaml.syntax", 1, 11);
    expect_error("title: [a]: b\n", "yaml.syntax", 1, 11);
    /* a text already holding the stand-in character is left as libyaml reads it */
    expect_error("title: a: b \xEE\xA8\xBA\n", "yaml.syntax", 1, 9);
}

/* leading tabs, as in a word processor: one space each, every line:col kept; an error still names the place */
static void
test_tabs(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_ynode_t *root;
    vb_diag_t d;
    CHECK_INT(parse(a, "signer:\n\tauthority: T/M\n\tpost: BÍ THƯ\ntitle: x\n", 0, &root, &d), VB_OK);
    const vb_ynode_t *sg = vb_ymap_get(root, "signer");
    CHECK(sg && sg->kind == VB_Y_MAP && sg->n == 2);
    if (sg && sg->kind == VB_Y_MAP && sg->n == 2) {
        CHECK_STR(vb_ymap_get(sg, "post")->str, "BÍ THƯ");
        CHECK_INT(sg->key_pos[1].line, 3);
        CHECK_INT(sg->key_pos[1].col, 2);
    }
    CHECK_STR(value_of("a:\n\t\tb: 1\nc: 2\n", "c"), "2");
    vb_arena_free(a);
    /* a tab and two spaces for one level: still an error, with the indentation advice */
    expect_error("signer:\n\tauthority: T/M\n  post: B\n", "yaml.syntax", 3, 7);
}

int
main(void)
{
    test_tabs();
    test_colons_in_values();
    test_comments_dropped();
    test_shapes();
    test_empty();
    test_errors();
    test_head();
    return check_done();
}
