/*
 * profile.c - reads and validates a layout profile (layouts/<id>.yaml, schema 1).
 *
 * Owns: turning the YAML tree of a profile into a vb_profile_t in millipoints,
 * with every default filled in, and refusing anything doubtful with a
 * file:line:col diagnostic. docs/profile-format.md describes the format key
 * by key; this file is its implementation and must change with it.
 *
 * Calls: yamltree (vb_yaml_parse, vb_ymap_get), base (lengths, numbers,
 * diagnostics) and vb_text_nfc (text.c), which puts the names that are
 * compared with front-matter text (kinds, body prefixes, signer forms) in the
 * NFC form the front-matter reader gives, so that a profile saved by an
 * editor that decomposes accents still matches. Nothing else: a profile
 * knows no fonts and no document.
 *
 * Why so strict: a profile is edited by hand, often by an office's IT clerk,
 * and a typo ("space_afer") or a unit slip ("20" meaning millimetres) would
 * otherwise give an official document that is subtly off and that nobody
 * notices. So unknown keys, values of the wrong type, lengths without a unit,
 * negative lengths, unknown template fields, a sync name used by one column
 * only and geometry that cannot fit the page are all errors, each at the line
 * and column of the key or value at fault. Every id is listed in the doc.
 *
 * Styles: every mapping that carries a style (body, a heading, a band item,
 * table cells, the page number) may name a base style from the top-level
 * `styles` ("style: header"); its own keys override the base's, and a named
 * style may itself have a base. Values still absent after that: size = the
 * body's size; leading = the base chain's leading if one of them wrote it,
 * else size x 1.15 rounded to the millipoint; align left; the rest 0/false.
 * A written leading is kept even when a later key changes the size: it was
 * chosen on purpose, while the 1.15 rule is only a stand-in.
 *
 * Null values: a key written with no value (`space_after:`) counts as absent,
 * so it takes its default, or is reported missing when required.
 *
 * Everything lands in the caller's arena; the tree's strings are used in
 * place (vb_yaml_parse copied them there). Only the file buffer of
 * vb_profile_load is malloc'd, and it is freed before returning.
 */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h" /* vb_text_nfc, for names matched against the front matter */
#include "yamltree.h"

/* A profile is a page or two of YAML; a file this large is a mistake. */
#define MAX_PROFILE_BYTES VB_PROFILE_MAX_BYTES
/* Bound on "style:" chains, so that a loop a -> b -> a is reported, not followed forever. */
#define MAX_STYLE_DEPTH 8
/* vb_profile_t holds six heading levels ("#" .. "######"). */
#define MAX_HEADINGS 6

typedef struct ctx {
    vb_arena_t *arena;
    const char *src;
    vb_diag_t *d;
    vb_profile_t *p;
    const vb_ynode_t *styles; /* the top-level styles mapping, or NULL */
    bool styles_checked;      /* parse_styles has checked every named style (its keys and values) */
} ctx_t;

/* ------------------------------------------------------------ key lists */

static const char *const ROOT_KEYS[] = {"schema",      "id",           "name",          "regime",     "valid_from",
                                        "valid_until", "page",         "margins",       "duplex",     "fonts",
                                        "date",        "styles",       "header",        "title",      "closing",
                                        "closing_joint", "overlay",    "first_footer",  "last_footer", "body",
                                        "headings",    "table",        "page_number",   "breaking",   "appendix",
                                        "validation",  "blanks",      "number",      "body_center", "body_right", "script",  "footnote",
                                        "signing",     "official_boxes", "fit",  NULL};
static const char *const OFFICIAL_BOX_KEYS[] = {"body", "names", NULL};
static const char *const BLANKS_KEYS[] = {"number", "day", "month", NULL};
static const char *const SIGNING_KEYS[] = {"signer", "seal",        "appendix",    "number", "day",
                                           "month",  "next_signer", "in_appendix", NULL};
static const char *const SIGNFIELD_KEYS[] = {"name", "label", "width", "height", NULL};
static const char *const SEAL_KEYS[] = {"name", "label", "diameter", "overlap", NULL};
static const char *const TEXTFIELD_KEYS[] = {"name", "label", NULL};
static const char *const SCRIPT_KEYS[] = {"size_ratio", "superscript_rise", "subscript_drop", NULL};
static const char *const FOOTNOTE_KEYS[] = {"rule_length", "rule_width", "space_before", "space_after", "gap", NULL};
static const char *const DUPLEX_KEYS[] = {"left", "right", NULL};
static const char *const PAGE_KEYS[] = {"width", "height", NULL};
static const char *const MARGIN_KEYS[] = {"top", "bottom", "left", "right", NULL};
static const char *const FONT_KEYS[] = {"families", NULL};
static const char *const DATE_KEYS[] = {"format", "day_pad_below", "month_pad_below", NULL};
static const char *const NUMBER_KEYS[] = {"min_digits", NULL};
static const char *const STYLE_KEYS[] = {"style",  "size",         "bold",        "italic", "underline",
                                         "align",  "leading",      "space_before", "space_after", "indent",
                                         "hang",   "uppercase",    "balance",     "keep_with_next",
                                         "split_at", NULL};
static const char *const BAND_KEYS[] = {"top", "space_before", "space_after", "columns", NULL};
/* footers are anchored by their bottom edge; a top would contradict it */
static const char *const FOOTER_BAND_KEYS[] = {"bottom", "space_before", "space_after", "columns", NULL};
static const char *const COLUMN_KEYS[] = {"x", "width", "items", "name", "official", NULL};
static const char *const TEXT_ITEM_KEYS[] = {"text", "sync", "required", "require", "rule", "when",
                                             "name", "official", NULL};
static const char *const SPACE_ITEM_KEYS[] = {"space", "box", "sync", "when", "name", "official", "signer", "role", NULL};
static const char *const LIST_ITEM_KEYS[] = {"list",  "marker",      "single_marker", "separator",
                                             "last_separator", "label", "label_bold", "label_italic",
                                             "sync",  "required",    "when",          "name", "official", NULL};
static const char *const WHEN_KEYS[] = {"if", "unless", "kinds", "not_kinds", NULL};
static const char *const RULE_KEYS[] = {"length", "below", "width", "space_after", NULL};
static const char *const TABLE_KEYS[] = {"cell",         "head",        "border",      "padding",
                                         "space_before", "space_after", "repeat_head", "numbers",
                                         "box",          "box_padding", "keep_together", NULL};
static const char *const PADDING_KEYS[] = {"x", "top", "bottom", NULL};
static const char *const PAGENUM_KEYS[] = {"first", "format", "ink_top", NULL};
static const char *const BREAK_KEYS[] = {"space_stretch", "space_shrink", "tolerance", "line_penalty",
                                         "fitness_demerits", "loose_demerits", "loose_ratio", "algorithm",
                                         "orphans", "widows", "closing_keep", "lead_in_keep", "page_slack", "letter_space",
                                         "letter_space_above", "lone_word_cost", "lone_word_letters",
                                         "phrase_breaks", NULL};
static const char *const PHRASE_KEYS[] = {"after", "before", "within", "cost", NULL};
static const char *const APPENDIX_KEYS[] = {"new_page", "restart_page_numbers", "numbering", "auto_landscape",
                                            "header",   "title",                NULL};
static const char *const VALIDATION_KEYS[] = {"number",       "signer_forms", "kinds",        "bodies",
                                              "other_kinds",  "kind_unknown", "successor",    "predecessor",
                                              "regime_signs", "point_letters", "appendix_reference", "addressed",
                                              "post_titles",  "title_case",   "title_case_cv", "printed_parts", NULL};
static const char *const SIGNS_KEYS[] = {"profile", "number", "issuers", "own_issuers", NULL};
static const char *const VKIND_KEYS[] = {"name", "abbr", NULL};
static const char *const FIT_KEYS[] = {"untitled_kinds", "placeholders", "placeholder_values", NULL};
static const char *const VBODY_KEYS[] = {"prefix", "abbr", NULL};

/* Template fields by context (see profile.h and docs/profile-format.md). */
/* the front matter's printed text fields (fields.def), then those band.c makes from the front matter */
#define VB_META_NAME_PRINTED(key) key,
#define VB_META_NAME_ID(key)
#define DOC_MADE_FIELDS "date", "authority", "post", "name", "authority2", "post2", "name2", "kind_sentence"
static const char *const DOC_FIELDS[] = {
#define VB_META_TEXT(key, member, use) VB_META_NAME_##use(key)
#include "fields.def"
    DOC_MADE_FIELDS, NULL};
static const char *const APPENDIX_FIELDS[] = {
#define VB_META_TEXT(key, member, use) VB_META_NAME_##use(key)
#include "fields.def"
    DOC_MADE_FIELDS, "label", NULL};
static const char *const PAGE_FIELDS[] = {"page", NULL};
static const char *const DATE_FIELDS[] = {"day", "month", "year", NULL};
/* List fields a LIST item may print (and a `when` may test). */
static const char *const LIST_FIELDS[] = {
#define VB_META_LIST(key, member, scalar, item) key,
#include "fields.def"
    NULL};

/* ------------------------------------------------------------ helpers */

static vb_status_t fail(ctx_t *c, const char *id, vb_pos_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static vb_status_t
fail(ctx_t *c, const char *id, vb_pos_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vb_status_t st = vb_diag_vset(c->d, VB_E_PROFILE, id, c->src, pos.line, pos.col, fmt, ap);
    va_end(ap);
    return st;
}

/* Messages name a value by its path, "margins.left", written \"%s%s%s\" (the root is ""): KP prints it. */
#define KP(where, key) (where), ((where)[0] ? "." : ""), (key)

static const char *
where_name(const char *where)
{
    return where[0] ? where : "the top level";
}

static bool
in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++) {
        if ((*list)[0] == s[0] && strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    }
    return false;
}

/* Appends the words of list to buf as "a, b, c" (truncated to size). */
static void
join_list(char *buf, size_t size, const char *const *list, const char *const *list2)
{
    size_t n = strlen(buf);
    for (int pass = 0; pass < 2; pass++) {
        const char *const *l = pass ? list2 : list;
        for (; l && *l; l++) {
            int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *l);
            if (w < 0 || (size_t)w >= size - n)
                return;
            n += (size_t)w;
        }
    }
}

/* A key written with nothing after it, or with ~ / null: the YAML null. */
static bool
is_null(const vb_ynode_t *n)
{
    return n->kind == VB_Y_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

static const char *
kind_name(const vb_ynode_t *n)
{
    return n->kind == VB_Y_SEQ ? "a list" : n->kind == VB_Y_MAP ? "a mapping" : "a single value";
}

/*
 * *out = the value of key in map, or NULL when it is absent or null. A
 * required key that is absent is reported at the mapping, a null one at its
 * value.
 */
static vb_status_t
lookup(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required, const vb_ynode_t **out)
{
    const vb_ynode_t *n = vb_ymap_get(map, key);
    *out = NULL;
    if (n && !is_null(n)) {
        *out = n;
        return VB_OK;
    }
    if (!required)
        return VB_OK;
    return fail(c, "profile.missing", n ? n->pos : map->pos, "\"%s%s%s\" is required.", KP(where, key));
}

static vb_status_t
want_kind(ctx_t *c, const vb_ynode_t *n, vb_ykind_t kind, const char *where, const char *key)
{
    if (n->kind == kind)
        return VB_OK;
    const char *want = kind == VB_Y_SEQ ? "a list" : kind == VB_Y_MAP ? "a mapping of keys" : "a single value";
    return fail(c, "profile.type", n->pos, "\"%s%s%s\" must be %s, not %s.", KP(where, key), want, kind_name(n));
}

/*
 * Checks that map is a mapping whose keys all come from keys (or keys2).
 * Typos must not pass silently: an unknown key is an error at the key, with
 * the keys that would have been accepted.
 */
static vb_status_t
check_keys(ctx_t *c, const vb_ynode_t *map, const char *where, const char *const *keys, const char *const *keys2)
{
    if (map->kind != VB_Y_MAP)
        return fail(c, "profile.type", map->pos, "\"%s\" must be a mapping of keys, not %s.", where_name(where),
                    kind_name(map));
    for (int i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        size_t kl = strlen(k);
        if (in_list(keys, k, kl) || (keys2 && in_list(keys2, k, kl)))
            continue;
        char known[320] = "";
        join_list(known, sizeof known, keys, keys2);
        return fail(c, "profile.unknown-key", map->key_pos[i], "Unknown key \"%s\" in %s%s%s; known keys: %s.", k,
                    where[0] ? "\"" : "", where_name(where), where[0] ? "\"" : "", known);
    }
    return VB_OK;
}

/*
 * A value's path for messages, "where.key" or "where.key[index]" (index > 0),
 * or "key" at the top level, in the arena; NULL when memory runs out. Paths
 * are made for every band item, so this is not printf.
 */
static const char *
keypath(ctx_t *c, const char *where, const char *key, int index)
{
    size_t a = strlen(where), b = strlen(key);
    char num[16];
    size_t k = 0;
    if (index > 0) {
        char rev[12];
        size_t r = 0;
        for (unsigned v = (unsigned)index; v; v /= 10)
            rev[r++] = (char)('0' + v % 10);
        num[k++] = '[';
        while (r)
            num[k++] = rev[--r];
        num[k++] = ']';
    }
    char *out = vb_arena_alloc(c->arena, a + 1 + b + k + 1);
    if (!out)
        return NULL;
    char *o = out;
    memcpy(o, where, a);
    o += a;
    if (a)
        *o++ = '.';
    memcpy(o, key, b);
    o += b;
    memcpy(o, num, k);
    o[k] = 0;
    return out;
}

/* ------------------------------------------------------------ typed values */

static bool
is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/*
 * A length: a number and a unit (mm, cm, pt, in), a space between them
 * allowed. A bare number is refused (except 0) because "20" in a profile
 * would be read as points when the writer almost surely meant millimetres.
 * Negative lengths are refused everywhere: no profile value needs one, and
 * so are lengths past VB_LEN_PROFILE_MAX (14400 pt, PDF's largest page side),
 * so that sums of a few of them never overflow.
 * positive: zero is refused too (sizes, leadings, widths).
 */
static vb_status_t
len_value(ctx_t *c, const vb_ynode_t *n, const char *where, const char *key, bool positive, vb_len_t *out)
{
    vb_status_t st = want_kind(c, n, VB_Y_SCALAR, where, key);
    if (st != VB_OK)
        return st;
    size_t len = n->len;
    while (len && (n->str[len - 1] == ' ' || n->str[len - 1] == '\t'))
        len--;
    vb_len_t v;
    if (!vb_parse_length(n->str, len, &v))
        return fail(c, "profile.length", n->pos,
                    "\"%s%s%s\" = \"%s\" is not a length; write a number and a unit, e.g. 20mm, 0.5pt or 1.27cm.",
                    KP(where, key), n->str);
    if (v != 0 && !(len && is_alpha(n->str[len - 1])))
        return fail(c, "profile.length", n->pos, "\"%s%s%s\" = \"%s\" has no unit; write e.g. %smm or %spt.",
                    KP(where, key), n->str, n->str, n->str);
    if (v < 0)
        return fail(c, "profile.length", n->pos, "\"%s%s%s\" = \"%s\" is negative; lengths must be 0 or more.",
                    KP(where, key), n->str);
    if (positive && v == 0)
        return fail(c, "profile.length", n->pos, "\"%s%s%s\" must be greater than zero.", KP(where, key));
    /* no length on a page is larger than the page, and no PDF page is larger than this (base.h) */
    if (v > VB_LEN_PROFILE_MAX)
        return fail(c, "profile.length", n->pos,
                    "\"%s%s%s\" = \"%s\" is too large; no length may pass 14400pt (5080mm), the largest PDF page.",
                    KP(where, key), n->str);
    *out = v;
    return VB_OK;
}

/* Reads an optional (or required) length; *out is untouched when absent. */
static vb_status_t
get_len(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required, bool positive,
        vb_len_t *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup(c, map, where, key, required, &n);
    if (st != VB_OK || !n)
        return st;
    return len_value(c, n, where, key, positive, out);
}

/* lookup() of a key whose value must be a scalar; *out NULL when absent. */
static vb_status_t
lookup_scalar(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required,
              const vb_ynode_t **out)
{
    vb_status_t st = lookup(c, map, where, key, required, out);
    if (st != VB_OK || !*out)
        return st;
    return want_kind(c, *out, VB_Y_SCALAR, where, key);
}

/* Text; *out is untouched when absent. nonempty refuses "". */
static vb_status_t
get_str(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required, bool nonempty,
        const char **out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, required, &n);
    if (st != VB_OK || !n)
        return st;
    if (nonempty && n->len == 0)
        return fail(c, "profile.missing", n->pos, "\"%s%s%s\" must not be empty.", KP(where, key));
    *out = n->str;
    return VB_OK;
}

/* true or false, nothing else (YAML 1.1's yes/no/on/off are too easy to misread). */
static vb_status_t
get_bool(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    if (strcmp(n->str, "true") == 0)
        *out = true;
    else if (strcmp(n->str, "false") == 0)
        *out = false;
    else
        return fail(c, "profile.type", n->pos, "\"%s%s%s\" = \"%s\" must be true or false.", KP(where, key), n->str);
    return VB_OK;
}

/* A whole number in [lo, hi]; *out is untouched when absent. */
static vb_status_t
get_int(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required, int64_t lo, int64_t hi,
        int32_t *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, required, &n);
    if (st != VB_OK || !n)
        return st;
    int64_t v;
    if (!vb_parse_int(n->str, n->len, &v))
        return fail(c, "profile.type", n->pos, "\"%s%s%s\" = \"%s\" must be a whole number.", KP(where, key),
                    n->str);
    if (v < lo || v > hi)
        return fail(c, "profile.value", n->pos, "\"%s%s%s\" = %s is out of range (%lld to %lld).", KP(where, key),
                    n->str, (long long)lo, (long long)hi);
    *out = (int32_t)v;
    return VB_OK;
}

static vb_status_t
get_int_i(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, int64_t lo, int64_t hi, int *out)
{
    int32_t v = *out;
    vb_status_t st = get_int(c, map, where, key, false, lo, hi, &v);
    *out = v;
    return st;
}

/* A ratio, "1.5" or "150%", in thousandths within [lo, hi]. */
static vb_status_t
get_milli(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, int32_t lo, int32_t hi, int32_t *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    int32_t v;
    if (!vb_parse_milli(n->str, n->len, &v))
        return fail(c, "profile.type", n->pos, "\"%s%s%s\" = \"%s\" must be a number (1.5) or a percentage (150%%).",
                    KP(where, key), n->str);
    if (v < lo || v > hi)
        return fail(c, "profile.value", n->pos, "\"%s%s%s\" = %s is out of range.", KP(where, key), n->str);
    *out = v;
    return VB_OK;
}

/* s in NFC, in the arena (names compared with front-matter text, which is NFC). */
static vb_status_t
nfc_text(ctx_t *c, const vb_ynode_t *n, const char **out)
{
    char *o;
    vb_diag_t nd;
    memset(&nd, 0, sizeof nd);
    vb_status_t st = vb_text_nfc(c->arena, n->str, n->len, &o, NULL, &nd);
    if (st == VB_E_NOMEM)
        return vb_diag_nomem(c->d);
    if (st != VB_OK)
        return fail(c, nd.id[0] ? nd.id : "profile.value", n->pos, "%s", nd.msg);
    *out = o;
    return VB_OK;
}

/*
 * One word out of a closed set: names[i] gives values[i]. shown lists the
 * choices for the message ("arabic, roman or any").
 */
static vb_status_t
get_choice(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, const char *const *names,
           const int *values, const char *shown, int *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], n->str) == 0) {
            *out = values[i];
            return VB_OK;
        }
    }
    return fail(c, "profile.value", n->pos, "\"%s%s%s\" = \"%s\": write %s.", KP(where, key), n->str, shown);
}

/* An ISO date, 2018-04-03 (a real day); *out is untouched when absent. */
static vb_status_t
get_date(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, vb_date_t *out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    int y = 0, m = 0, d = 0;
    bool ok = vb_parse_iso_date(n->str, n->len, &y, &m, &d);
    if (!ok)
        return fail(c, "profile.value", n->pos, "\"%s%s%s\" = \"%s\" is not a real date written YYYY-MM-DD.",
                    KP(where, key), n->str);
    out->year = y;
    out->month = m;
    out->day = d;
    out->pos = n->pos;
    return VB_OK;
}

static int
date_cmp(const vb_date_t *a, const vb_date_t *b)
{
    int x = a->year * 10000 + a->month * 100 + a->day, y = b->year * 10000 + b->month * 100 + b->day;
    return (x > y) - (x < y);
}

/*
 * A list of non-empty texts (one text alone counts as a list of one). When
 * allowed is given, each entry must be one of its words (or of allowed2),
 * else profile.template: these are field names. Otherwise entries are put
 * in NFC: they are compared with front-matter text.
 */
static vb_status_t
get_text_list(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, const char *const *allowed,
              const char *const *allowed2, const char ***out, int *nout)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    if (n->kind == VB_Y_MAP)
        return want_kind(c, n, VB_Y_SEQ, where, key);
    const vb_ynode_t *const *items = n->kind == VB_Y_SEQ ? (const vb_ynode_t *const *)n->items : &n;
    int count = n->kind == VB_Y_SEQ ? n->n : 1;
    const char **v = VB_NEWN(c->arena, const char *, count ? count : 1);
    if (!v)
        return vb_diag_nomem(c->d);
    for (int i = 0; i < count; i++) {
        const vb_ynode_t *it = items[i];
        if (it->kind != VB_Y_SCALAR)
            return fail(c, "profile.type", it->pos, "\"%s%s%s\" must list texts, not %s.", KP(where, key),
                        kind_name(it));
        if (it->len == 0 || is_null(it))
            return fail(c, "profile.missing", it->pos, "\"%s%s%s\" has an empty entry.", KP(where, key));
        if (allowed) {
            if (!in_list(allowed, it->str, it->len) && !(allowed2 && in_list(allowed2, it->str, it->len))) {
                char known[400] = "";
                join_list(known, sizeof known, allowed, allowed2);
                return fail(c, "profile.template", it->pos, "\"%s%s%s\": \"%s\" is not a field; known here: %s.",
                            KP(where, key), it->str, known);
            }
            v[i] = it->str;
        } else if ((st = nfc_text(c, it, &v[i])) != VB_OK) {
            return st;
        }
    }
    *out = v;
    *nout = count;
    return VB_OK;
}

/*
 * An item's `when`: fields that must be present (if) or absent (unless),
 * kinds the document must (kinds) or must not (not_kinds) be. Field names are
 * checked against the band's fields and the list fields, so a typo cannot
 * make an item silently never (or always) print.
 */
static vb_status_t
parse_when(ctx_t *c, const vb_ynode_t *m, const char *where, const char *const *fields, vb_pcond_t *w)
{
    vb_status_t st = check_keys(c, m, where, WHEN_KEYS, NULL);
    if (st != VB_OK)
        return st;
    if ((st = get_text_list(c, m, where, "if", fields, LIST_FIELDS, &w->if_fields, &w->nif)) != VB_OK ||
        (st = get_text_list(c, m, where, "unless", fields, LIST_FIELDS, &w->unless_fields, &w->nunless)) != VB_OK ||
        (st = get_text_list(c, m, where, "kinds", NULL, NULL, &w->kinds, &w->nkinds)) != VB_OK ||
        (st = get_text_list(c, m, where, "not_kinds", NULL, NULL, &w->not_kinds, &w->nnot_kinds)) != VB_OK)
        return st;
    return VB_OK;
}

/*
 * A template: text with {field} placeholders from fields. There is no escape
 * for braces: every "{" opens a field and every "}" closes one, so layout.c
 * can substitute without a grammar of its own and a typo like "{parnet}" or
 * "{place" cannot print as literal text.
 */
static vb_status_t
check_template(ctx_t *c, const vb_ynode_t *n, const char *where, const char *key, const char *const *fields)
{
    const char *s = n->str;
    for (size_t i = 0; i < n->len; i++) {
        if (s[i] == '}')
            return fail(c, "profile.template", n->pos,
                        "\"%s%s%s\": a \"}\" without its \"{\" (templates cannot print braces).", KP(where, key));
        if (s[i] != '{')
            continue;
        size_t j = i + 1;
        while (j < n->len && s[j] != '}' && s[j] != '{')
            j++;
        if (j >= n->len || s[j] == '{')
            return fail(c, "profile.template", n->pos, "\"%s%s%s\": a \"{\" is not closed by \"}\".", KP(where, key));
        if (!in_list(fields, s + i + 1, j - i - 1)) {
            char known[400] = "";
            join_list(known, sizeof known, fields, NULL);
            return fail(c, "profile.template", n->pos, "\"%s%s%s\": unknown field {%.*s}; known here: %s.",
                        KP(where, key), (int)(j - i - 1), s + i + 1, known);
        }
        i = j;
    }
    return VB_OK;
}

static vb_status_t
get_template(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, bool required,
             const char *const *fields, const char **out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, map, where, key, required, &n);
    if (st != VB_OK || !n)
        return st;
    if ((st = check_template(c, n, where, key, fields)) != VB_OK)
        return st;
    *out = n->str;
    return VB_OK;
}

/* ------------------------------------------------------------ styles */

/* Single line spacing: 1.15 x size, rounded to the millipoint (14pt -> 16.1pt). */
static vb_len_t
default_leading(vb_len_t size)
{
    return (vb_len_t)(((int64_t)size * 115 + 50) / 100);
}

/* The keys of STYLE_KEYS, by index, and which of them a mapping holds (bit k: STYLE_KEYS[k]). */
enum {
    SK_STYLE, SK_SIZE, SK_BOLD, SK_ITALIC, SK_UNDERLINE, SK_ALIGN, SK_LEADING, SK_SPACE_BEFORE, SK_SPACE_AFTER,
    SK_INDENT, SK_HANG, SK_UPPERCASE, SK_BALANCE, SK_KEEP_WITH_NEXT, SK_SPLIT_AT
};

static unsigned
style_mask(const vb_ynode_t *map)
{
    unsigned m = 0;
    for (int i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        for (int j = 0; STYLE_KEYS[j]; j++) {
            if (k[0] == STYLE_KEYS[j][0] && strcmp(k, STYLE_KEYS[j]) == 0) {
                m |= 1u << j;
                break;
            }
        }
    }
    return m;
}

/*
 * Applies the style keys of map onto *s: first its base ("style: name"),
 * then its own keys. *leading_set records that some map in the chain wrote
 * a leading. The caller has checked map's keys. Only the keys map holds are
 * looked up (style_mask): an absent key changes nothing.
 */
static vb_status_t
apply_style(ctx_t *c, const vb_ynode_t *map, const char *where, int depth, vb_style_t *s, bool *leading_set)
{
    unsigned has = style_mask(map);
    if (!has)
        return VB_OK;
#define HAS(k) (has & (1u << (k)))
    const vb_ynode_t *n = NULL;
    vb_status_t st = HAS(SK_STYLE) ? lookup(c, map, where, "style", false, &n) : VB_OK;
    if (st != VB_OK)
        return st;
    if (n) {
        if ((st = want_kind(c, n, VB_Y_SCALAR, where, "style")) != VB_OK)
            return st;
        const vb_ynode_t *base = c->styles ? vb_ymap_get(c->styles, n->str) : NULL;
        if (!base)
            return fail(c, "profile.style", n->pos, "No style named \"%s\" in \"styles\".", n->str);
        if (depth >= MAX_STYLE_DEPTH)
            return fail(c, "profile.style", n->pos, "Styles refer to each other in a loop (through \"%s\").", n->str);
        const char *bw = keypath(c, "styles", n->str, 0);
        if (!bw)
            return vb_diag_nomem(c->d);
        if (!c->styles_checked && (st = check_keys(c, base, bw, STYLE_KEYS, NULL)) != VB_OK)
            return st;
        if ((st = apply_style(c, base, bw, depth + 1, s, leading_set)) != VB_OK)
            return st;
    }
    bool bold = (s->face & VB_FACE_BOLD) != 0, italic = (s->face & VB_FACE_ITALIC) != 0;
    const vb_ynode_t *lead = NULL;
    if ((HAS(SK_SIZE) && (st = get_len(c, map, where, "size", false, true, &s->size)) != VB_OK) ||
        (HAS(SK_BOLD) && (st = get_bool(c, map, where, "bold", &bold)) != VB_OK) ||
        (HAS(SK_ITALIC) && (st = get_bool(c, map, where, "italic", &italic)) != VB_OK) ||
        (HAS(SK_UNDERLINE) && (st = get_bool(c, map, where, "underline", &s->underline)) != VB_OK) ||
        (HAS(SK_LEADING) && (st = lookup(c, map, where, "leading", false, &lead)) != VB_OK) ||
        (HAS(SK_LEADING) && (st = get_len(c, map, where, "leading", false, true, &s->leading)) != VB_OK) ||
        (HAS(SK_SPACE_BEFORE) && (st = get_len(c, map, where, "space_before", false, false, &s->space_before)) != VB_OK) ||
        (HAS(SK_SPACE_AFTER) && (st = get_len(c, map, where, "space_after", false, false, &s->space_after)) != VB_OK) ||
        (HAS(SK_INDENT) && (st = get_len(c, map, where, "indent", false, false, &s->indent)) != VB_OK) ||
        (HAS(SK_HANG) && (st = get_len(c, map, where, "hang", false, false, &s->hang)) != VB_OK) ||
        (HAS(SK_UPPERCASE) && (st = get_bool(c, map, where, "uppercase", &s->uppercase)) != VB_OK) ||
        (HAS(SK_BALANCE) && (st = get_bool(c, map, where, "balance", &s->balance)) != VB_OK) ||
        (HAS(SK_SPLIT_AT) && (st = get_str(c, map, where, "split_at", false, true, &s->split_at)) != VB_OK) ||
        (HAS(SK_KEEP_WITH_NEXT) &&
         (st = get_int_i(c, map, where, "keep_with_next", 0, 100, &s->keep_with_next)) != VB_OK))
        return st;
    if (lead)
        *leading_set = true;
    s->face = (uint8_t)((bold ? VB_FACE_BOLD : 0) | (italic ? VB_FACE_ITALIC : 0));

    n = NULL;
    if (HAS(SK_ALIGN) && (st = lookup(c, map, where, "align", false, &n)) != VB_OK)
        return st;
#undef HAS
    if (n) {
        if ((st = want_kind(c, n, VB_Y_SCALAR, where, "align")) != VB_OK)
            return st;
        static const struct {
            const char *name;
            vb_align_t align;
        } aligns[] = {{"left", VB_ALIGN_LEFT}, {"center", VB_ALIGN_CENTER}, {"right", VB_ALIGN_RIGHT},
                      {"justify", VB_ALIGN_JUSTIFY}};
        size_t i = 0;
        while (i < sizeof aligns / sizeof aligns[0] && strcmp(aligns[i].name, n->str) != 0)
            i++;
        if (i == sizeof aligns / sizeof aligns[0])
            return fail(c, "profile.value", n->pos, "\"%s%s%s\" = \"%s\": write left, center, right or justify.",
                        KP(where, "align"), n->str);
        s->align = aligns[i].align;
    }
    return VB_OK;
}

/*
 * Resolves a complete style from map (may be NULL: defaults only) over base
 * (NULL: the defaults). Fills every field; see the file comment for the
 * defaults. The caller checks map's keys (items mix style and item keys).
 */
static vb_status_t
resolve_style(ctx_t *c, const vb_ynode_t *map, const char *where, const vb_style_t *base, vb_style_t *out)
{
    vb_style_t s;
    bool leading_set;
    if (base) {
        s = *base;
        leading_set = true;
    } else {
        memset(&s, 0, sizeof s);
        s.align = VB_ALIGN_LEFT;
        leading_set = false;
    }
    if (map) {
        vb_status_t st = apply_style(c, map, where, 0, &s, &leading_set);
        if (st != VB_OK)
            return st;
    }
    if (s.size == 0)
        s.size = c->p->body.size;
    if (!leading_set)
        s.leading = default_leading(s.size);
    *out = s;
    return VB_OK;
}

/* A mapping holding only style keys. */
static vb_status_t
style_map(ctx_t *c, const vb_ynode_t *map, const char *where, const vb_style_t *base, vb_style_t *out)
{
    vb_status_t st = check_keys(c, map, where, STYLE_KEYS, NULL);
    if (st != VB_OK)
        return st;
    return resolve_style(c, map, where, base, out);
}

/* Every named style is checked once, used or not, so that a broken one is found before it is needed. */
static vb_status_t
parse_styles(ctx_t *c, const vb_ynode_t *root)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup(c, root, "", "styles", false, &n);
    if (st != VB_OK || !n)
        return st;
    if ((st = want_kind(c, n, VB_Y_MAP, "", "styles")) != VB_OK)
        return st;
    c->styles = n;
    for (int i = 0; i < n->n; i++) {
        const char *w = keypath(c, "styles", n->keys[i], 0);
        if (!w)
            return vb_diag_nomem(c->d);
        vb_style_t scratch;
        if ((st = style_map(c, n->items[i], w, NULL, &scratch)) != VB_OK)
            return st;
    }
    c->styles_checked = true; /* a style named later needs no second check of its keys */
    return VB_OK;
}

/* ------------------------------------------------------------ bands */

static vb_status_t
parse_rule(ctx_t *c, const vb_ynode_t *m, const char *where, vb_prule_t *r)
{
    vb_status_t st = check_keys(c, m, where, RULE_KEYS, NULL);
    if (st != VB_OK)
        return st;
    const vb_ynode_t *n;
    if ((st = lookup(c, m, where, "length", true, &n)) != VB_OK ||
        (st = want_kind(c, n, VB_Y_SCALAR, where, "length")) != VB_OK)
        return st;
    if (strcmp(n->str, "text") == 0) {
        r->mode = VB_RULE_TEXT;
    } else if (strcmp(n->str, "full") == 0) {
        r->mode = VB_RULE_FULL;
    } else if (n->len && n->str[n->len - 1] == '%') {
        if (!vb_parse_milli(n->str, n->len, &r->ratio) || r->ratio <= 0)
            return fail(c, "profile.length", n->pos, "\"%s%s%s\" = \"%s\" is not a positive percentage.",
                        KP(where, "length"), n->str);
        r->mode = VB_RULE_RATIO;
    } else {
        if ((st = len_value(c, n, where, "length", true, &r->length)) != VB_OK)
            return st;
        r->mode = VB_RULE_FIXED;
    }
    if ((st = get_len(c, m, where, "below", false, false, &r->below)) != VB_OK ||
        (st = get_len(c, m, where, "width", true, true, &r->width)) != VB_OK ||
        (st = get_len(c, m, where, "space_after", false, false, &r->space_after)) != VB_OK)
        return st;
    return VB_OK;
}

/*
 * One item of a band column: a template (text), a vertical space, or a
 * list. Exactly one of the keys text, space, list says which; the other
 * keys must suit that kind.
 */
static vb_status_t
parse_item(ctx_t *c, const vb_ynode_t *m, const char *where, const char *const *fields, vb_pitem_t *it)
{
    if (m->kind != VB_Y_MAP)
        return fail(c, "profile.type", m->pos, "\"%s\" must be a mapping with text, space or list, not %s.", where,
                    kind_name(m));
    const vb_ynode_t *t = vb_ymap_get(m, "text"), *sp = vb_ymap_get(m, "space"), *li = vb_ymap_get(m, "list");
    int nkinds = (t != NULL) + (sp != NULL) + (li != NULL);
    if (nkinds == 0)
        return fail(c, "profile.missing", m->pos, "\"%s\" needs one of the keys text, space or list.", where);
    if (nkinds > 1)
        return fail(c, "profile.type", m->pos, "\"%s\" has more than one of text, space and list.", where);

    vb_status_t st;
    it->marker = it->separator = it->last_separator = "";
    if (t) {
        it->kind = VB_PITEM_TEXT;
        if ((st = check_keys(c, m, where, TEXT_ITEM_KEYS, STYLE_KEYS)) != VB_OK ||
            (st = get_template(c, m, where, "text", true, fields, &it->text)) != VB_OK ||
            (st = get_bool(c, m, where, "required", &it->required)) != VB_OK ||
            (st = get_text_list(c, m, where, "require", fields, NULL, &it->require, &it->nrequire)) != VB_OK)
            return st;
        const vb_ynode_t *r;
        if ((st = lookup(c, m, where, "rule", false, &r)) != VB_OK)
            return st;
        if (r) {
            const char *rw = keypath(c, where, "rule", 0);
            if (!rw)
                return vb_diag_nomem(c->d);
            if ((st = parse_rule(c, r, rw, &it->rule)) != VB_OK)
                return st;
        }
    } else if (sp) {
        it->kind = VB_PITEM_SPACE;
        if ((st = check_keys(c, m, where, SPACE_ITEM_KEYS, NULL)) != VB_OK ||
            (st = get_len(c, m, where, "space", true, false, &it->height)) != VB_OK ||
            (st = get_str(c, m, where, "box", false, true, &it->box)) != VB_OK)
            return st;
        /* no style keys are allowed here, but the style is still filled below like everywhere else */
    } else {
        it->kind = VB_PITEM_LIST;
        if ((st = check_keys(c, m, where, LIST_ITEM_KEYS, STYLE_KEYS)) != VB_OK ||
            (st = get_str(c, m, where, "list", true, true, &it->list)) != VB_OK)
            return st;
        if (!in_list(LIST_FIELDS, it->list, strlen(it->list))) {
            char known[100] = "";
            join_list(known, sizeof known, LIST_FIELDS, NULL);
            return fail(c, "profile.template", li->pos, "\"%s%s%s\" = \"%s\" is not a list field; known: %s.",
                        KP(where, "list"), it->list, known);
        }
        it->label = "";
        if ((st = get_str(c, m, where, "marker", false, false, &it->marker)) != VB_OK ||
            (st = get_str(c, m, where, "single_marker", false, false, &it->single_marker)) != VB_OK ||
            (st = get_str(c, m, where, "label", false, false, &it->label)) != VB_OK ||
            (st = get_str(c, m, where, "separator", false, false, &it->separator)) != VB_OK ||
            (st = get_str(c, m, where, "last_separator", false, false, &it->last_separator)) != VB_OK ||
            (st = get_bool(c, m, where, "required", &it->required)) != VB_OK)
            return st;
        /* the label's own weight and slant ("Kính gửi:" italic before upright names) */
        it->label_face = -1;
        if (vb_ymap_get(m, "label_bold") || vb_ymap_get(m, "label_italic")) {
            bool lb = false, lit = false;
            if ((st = get_bool(c, m, where, "label_bold", &lb)) != VB_OK ||
                (st = get_bool(c, m, where, "label_italic", &lit)) != VB_OK)
                return st;
            it->label_face = (lb ? VB_FACE_BOLD : 0) | (lit ? VB_FACE_ITALIC : 0);
        }
    }
    /* the item's box in the display list: its name and the regulation's box number (ô) */
    it->pos = m->pos;
    if ((st = get_str(c, m, where, "sync", false, true, &it->sync)) != VB_OK ||
        (st = get_str(c, m, where, "name", false, true, &it->name)) != VB_OK ||
        (st = get_int_i(c, m, where, "official", 1, 99, &it->official)) != VB_OK)
        return st;
    if (it->kind == VB_PITEM_SPACE && ((st = get_int_i(c, m, where, "signer", 0, 9, &it->signer)) != VB_OK ||
                                       (st = get_str(c, m, where, "role", false, true, &it->role)) != VB_OK))
        return st;
    const vb_ynode_t *w;
    if ((st = lookup(c, m, where, "when", false, &w)) != VB_OK)
        return st;
    if (w) {
        const char *ww = keypath(c, where, "when", 0);
        if (!ww)
            return vb_diag_nomem(c->d);
        if ((st = parse_when(c, w, ww, fields, &it->when)) != VB_OK)
            return st;
    }
    return resolve_style(c, m, where, NULL, &it->style);
}

/*
 * Sync names tie baselines across columns, so a name must occur in at least
 * two columns and at most once per column; anything else is a typo or a
 * band that cannot be laid out.
 */
static vb_status_t
check_syncs(ctx_t *c, const vb_band_t *b, const vb_ynode_t *const *item_nodes, const int *first_node,
            const char *where)
{
    for (int ci = 0; ci < b->ncols; ci++) {
        for (int ii = 0; ii < b->cols[ci].n; ii++) {
            const char *name = b->cols[ci].items[ii].sync;
            if (!name)
                continue;
            vb_pos_t pos = item_nodes[first_node[ci] + ii]->pos;
            int ncols = 0;
            for (int cj = 0; cj < b->ncols; cj++) {
                int here = 0;
                for (int ij = 0; ij < b->cols[cj].n; ij++) {
                    const char *other = b->cols[cj].items[ij].sync;
                    if (other && strcmp(other, name) == 0)
                        here++;
                }
                if (here > 1)
                    return fail(c, "profile.sync", pos, "\"%s\": sync \"%s\" is used twice in one column.", where,
                                name);
                ncols += here;
            }
            if (ncols < 2)
                return fail(c, "profile.sync", pos,
                            "\"%s\": sync \"%s\" is used in one column only; it must tie items of two columns.",
                            where, name);
        }
    }
    return VB_OK;
}

/*
 * Where a band is anchored: in the flow or at an optional top (header, title,
 * closing, appendix bands), at a required top (the overlay), or by its
 * bottom edge (the footers, which grow upwards from it).
 */
typedef enum band_anchor {
    BAND_FLOW,
    BAND_TOP,
    BAND_BOTTOM
} band_anchor_t;

/* A band: columns of items set side by side. fields: the template fields allowed in it. */
static vb_status_t
parse_band(ctx_t *c, const vb_ynode_t *root, const char *where, const char *key, const char *const *fields,
           band_anchor_t anchor, vb_band_t *b)
{
    b->present = false;
    b->top = -1;
    b->bottom = 0;
    const vb_ynode_t *m;
    vb_status_t st = lookup(c, root, where, key, false, &m);
    if (st != VB_OK || !m)
        return st;
    const char *bw = where[0] ? keypath(c, where, key, 0) : key;
    if (!bw)
        return vb_diag_nomem(c->d);
    if ((st = check_keys(c, m, bw, anchor == BAND_BOTTOM ? FOOTER_BAND_KEYS : BAND_KEYS, NULL)) != VB_OK)
        return st;
    b->present = true;
    const vb_ynode_t *top;
    if (anchor == BAND_BOTTOM) {
        const vb_ynode_t *bot;
        if ((st = lookup(c, m, bw, "bottom", true, &bot)) != VB_OK ||
            (st = len_value(c, bot, bw, "bottom", true, &b->bottom)) != VB_OK)
            return st;
        if (b->bottom > c->p->page_height)
            return fail(c, "profile.geometry", bot->pos, "\"%s.bottom\" is below the bottom of the page.", bw);
    } else {
        if ((st = lookup(c, m, bw, "top", anchor == BAND_TOP, &top)) != VB_OK)
            return st;
        if (top) {
            if ((st = len_value(c, top, bw, "top", false, &b->top)) != VB_OK)
                return st;
            if (b->top >= c->p->page_height)
                return fail(c, "profile.geometry", top->pos, "\"%s.top\" is below the bottom of the page.", bw);
        }
    }
    const vb_ynode_t *cols;
    if ((st = get_len(c, m, bw, "space_before", false, false, &b->space_before)) != VB_OK ||
        (st = get_len(c, m, bw, "space_after", false, false, &b->space_after)) != VB_OK ||
        (st = lookup(c, m, bw, "columns", true, &cols)) != VB_OK ||
        (st = want_kind(c, cols, VB_Y_SEQ, bw, "columns")) != VB_OK)
        return st;
    if (cols->n == 0)
        return fail(c, "profile.missing", cols->pos, "\"%s.columns\" needs at least one column.", bw);
    b->ncols = cols->n;
    b->cols = VB_NEWN(c->arena, vb_pcolumn_t, cols->n);
    int *first_node = VB_NEWN(c->arena, int, cols->n);
    VB_VEC(const vb_ynode_t *) nodes = {0};
    if (!b->cols || !first_node)
        return vb_diag_nomem(c->d);
    for (int ci = 0; ci < cols->n; ci++) {
        const vb_ynode_t *cm = cols->items[ci];
        vb_pcolumn_t *col = &b->cols[ci];
        const char *cw = keypath(c, bw, "columns", ci + 1);
        if (!cw)
            return vb_diag_nomem(c->d);
        const vb_ynode_t *items;
        if ((st = check_keys(c, cm, cw, COLUMN_KEYS, NULL)) != VB_OK ||
            (st = get_len(c, cm, cw, "x", true, false, &col->x)) != VB_OK ||
            (st = get_len(c, cm, cw, "width", true, true, &col->width)) != VB_OK ||
            (st = get_str(c, cm, cw, "name", false, true, &col->name)) != VB_OK ||
            (st = get_int_i(c, cm, cw, "official", 1, 99, &col->official)) != VB_OK ||
            (st = lookup(c, cm, cw, "items", true, &items)) != VB_OK ||
            (st = want_kind(c, items, VB_Y_SEQ, cw, "items")) != VB_OK)
            return st;
        if ((int64_t)col->x + col->width > c->p->page_width)
            return fail(c, "profile.geometry", cm->pos, "\"%s\" (x + width) goes past the right edge of the page.",
                        cw);
        if (items->n == 0)
            return fail(c, "profile.missing", items->pos, "\"%s.items\" needs at least one item.", cw);
        col->n = items->n;
        col->items = VB_NEWN(c->arena, vb_pitem_t, items->n);
        if (!col->items)
            return vb_diag_nomem(c->d);
        first_node[ci] = nodes.n;
        for (int ii = 0; ii < items->n; ii++) {
            const char *iw = keypath(c, cw, "items", ii + 1);
            if (!iw)
                return vb_diag_nomem(c->d);
            if ((st = parse_item(c, items->items[ii], iw, fields, &col->items[ii])) != VB_OK)
                return st;
            if (VB_PUSH(c->arena, nodes, items->items[ii]))
                return vb_diag_nomem(c->d);
        }
    }
    return check_syncs(c, b, nodes.v, first_node, bw);
}

/* ------------------------------------------------------------ sections */

static vb_status_t
parse_head(ctx_t *c, const vb_ynode_t *root)
{
    vb_profile_t *p = c->p;
    const vb_ynode_t *n;
    vb_status_t st;
    if ((st = get_str(c, root, "", "id", true, true, &p->id)) != VB_OK)
        return st;
    for (const char *s = p->id; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return fail(c, "profile.value", vb_ymap_get(root, "id")->pos,
                        "\"id\" = \"%s\": use lower-case letters, digits, '-', '_' and '.' only.", p->id);
    }
    p->name = p->id;
    if ((st = get_str(c, root, "", "name", false, true, &p->name)) != VB_OK ||
        (st = get_str(c, root, "", "regime", true, true, &p->regime)) != VB_OK)
        return st;
    if (strcmp(p->regime, "party") != 0 && strcmp(p->regime, "state") != 0)
        return fail(c, "profile.value", vb_ymap_get(root, "regime")->pos,
                    "\"regime\" = \"%s\": write party or state.", p->regime);

    /* page and margins: the text block must exist */
    if ((st = lookup(c, root, "", "page", true, &n)) != VB_OK ||
        (st = check_keys(c, n, "page", PAGE_KEYS, NULL)) != VB_OK ||
        (st = get_len(c, n, "page", "width", true, true, &p->page_width)) != VB_OK ||
        (st = get_len(c, n, "page", "height", true, true, &p->page_height)) != VB_OK)
        return st;
    /* what a PDF page can be (ISO 32000-1, Annex C: 3 to 14,400 units, 1/72 in each) */
    for (int k = 0; k < 2; k++) {
        const vb_ynode_t *v = vb_ymap_get(n, k ? "height" : "width");
        vb_len_t len = k ? p->page_height : p->page_width;
        if (len < 3000 || len > 14400000)
            return fail(c, "profile.page-size", v->pos,
                        "\"page.%s\" = \"%s\" is not a size a PDF page can have: 3pt to 14400pt (200 in, 5080mm).",
                        k ? "height" : "width", v->str);
    }
    if ((st = lookup(c, root, "", "margins", true, &n)) != VB_OK ||
        (st = check_keys(c, n, "margins", MARGIN_KEYS, NULL)) != VB_OK ||
        (st = get_len(c, n, "margins", "top", true, false, &p->margin_top)) != VB_OK ||
        (st = get_len(c, n, "margins", "bottom", true, false, &p->margin_bottom)) != VB_OK ||
        (st = get_len(c, n, "margins", "left", true, false, &p->margin_left)) != VB_OK ||
        (st = get_len(c, n, "margins", "right", true, false, &p->margin_right)) != VB_OK)
        return st;
    if ((int64_t)p->margin_left + p->margin_right >= p->page_width)
        return fail(c, "profile.geometry", n->pos, "The left and right margins leave no room for text.");
    if ((int64_t)p->margin_top + p->margin_bottom >= p->page_height)
        return fail(c, "profile.geometry", n->pos, "The top and bottom margins leave no room for text.");

    /* duplex: the even (back) pages' left and right margins */
    if ((st = lookup(c, root, "", "duplex", false, &n)) != VB_OK)
        return st;
    if (n) {
        if ((st = check_keys(c, n, "duplex", DUPLEX_KEYS, NULL)) != VB_OK ||
            (st = get_len(c, n, "duplex", "left", true, false, &p->duplex_left)) != VB_OK ||
            (st = get_len(c, n, "duplex", "right", true, false, &p->duplex_right)) != VB_OK)
            return st;
        if ((int64_t)p->duplex_left + p->duplex_right >= p->page_width)
            return fail(c, "profile.geometry", n->pos, "The duplex left and right margins leave no room for text.");
        p->has_duplex = true;
    }

    /* the dates between which documents use this profile */
    if ((st = get_date(c, root, "", "valid_from", &p->valid_from)) != VB_OK ||
        (st = get_date(c, root, "", "valid_until", &p->valid_until)) != VB_OK)
        return st;
    if (p->valid_from.year && p->valid_until.year && date_cmp(&p->valid_until, &p->valid_from) < 0)
        return fail(c, "profile.value", p->valid_until.pos, "\"valid_until\" is before \"valid_from\".");

    /* fonts */
    const vb_ynode_t *fam;
    if ((st = lookup(c, root, "", "fonts", true, &n)) != VB_OK ||
        (st = check_keys(c, n, "fonts", FONT_KEYS, NULL)) != VB_OK ||
        (st = lookup(c, n, "fonts", "families", true, &fam)) != VB_OK ||
        (st = want_kind(c, fam, VB_Y_SEQ, "fonts", "families")) != VB_OK)
        return st;
    if (fam->n == 0)
        return fail(c, "profile.missing", fam->pos, "\"fonts.families\" needs at least one font family.");
    p->font_families = VB_NEWN(c->arena, const char *, fam->n);
    if (!p->font_families)
        return vb_diag_nomem(c->d);
    for (int i = 0; i < fam->n; i++) {
        const vb_ynode_t *f = fam->items[i];
        if ((st = want_kind(c, f, VB_Y_SCALAR, "fonts", "families[]")) != VB_OK)
            return st;
        if (f->len == 0 || is_null(f))
            return fail(c, "profile.missing", f->pos, "A font family name is empty.");
        p->font_families[i] = f->str;
    }
    p->nfont_families = fam->n;

    /* date */
    if ((st = lookup(c, root, "", "date", true, &n)) != VB_OK ||
        (st = check_keys(c, n, "date", DATE_KEYS, NULL)) != VB_OK ||
        (st = get_template(c, n, "date", "format", true, DATE_FIELDS, &p->date.format)) != VB_OK ||
        (st = get_int_i(c, n, "date", "day_pad_below", 0, 32, &p->date.day_pad_below)) != VB_OK ||
        (st = get_int_i(c, n, "date", "month_pad_below", 0, 13, &p->date.month_pad_below)) != VB_OK)
        return st;

    /* number: how the sequence number is written (optional; absent: 0, no rule: as typed, as given) */
    int32_t min_digits = 0;
    if ((st = lookup(c, root, "", "number", false, &n)) != VB_OK)
        return st;
    if (n && ((st = check_keys(c, n, "number", NUMBER_KEYS, NULL)) != VB_OK ||
              (st = get_int(c, n, "number", "min_digits", true, 1, VB_NUMBER_MAX_DIGITS, &min_digits)) != VB_OK))
        return st;
    p->number.min_digits = min_digits;

    /* blanks: the gaps of fields left blank until issuance (optional) */
    if ((st = lookup(c, root, "", "blanks", false, &n)) != VB_OK)
        return st;
    if (n && ((st = check_keys(c, n, "blanks", BLANKS_KEYS, NULL)) != VB_OK ||
              (st = get_len(c, n, "blanks", "number", true, true, &p->blanks.number)) != VB_OK ||
              (st = get_len(c, n, "blanks", "day", true, true, &p->blanks.day)) != VB_OK ||
              (st = get_len(c, n, "blanks", "month", true, true, &p->blanks.month)) != VB_OK))
        return st;
    return VB_OK;
}

static vb_status_t
parse_text_styles(ctx_t *c, const vb_ynode_t *root)
{
    vb_profile_t *p = c->p;
    const vb_ynode_t *n;
    vb_status_t st;
    if ((st = lookup(c, root, "", "body", true, &n)) != VB_OK ||
        (st = style_map(c, n, "body", NULL, &p->body)) != VB_OK)
        return st;
    if (p->body.size == 0) {
        const vb_ynode_t *sz = vb_ymap_get(n, "size"); /* written but null: point at it */
        return fail(c, "profile.missing", sz ? sz->pos : n->pos,
                    "\"body.size\" is required (other sizes default to it).");
    }

    if ((st = lookup(c, root, "", "headings", false, &n)) != VB_OK)
        return st;
    int nh = 0;
    if (n) {
        if ((st = want_kind(c, n, VB_Y_SEQ, "", "headings")) != VB_OK)
            return st;
        if (n->n > MAX_HEADINGS)
            return fail(c, "profile.value", n->items[MAX_HEADINGS]->pos, "\"headings\" has at most %d levels.",
                        MAX_HEADINGS);
        for (nh = 0; nh < n->n; nh++) {
            const char *w = keypath(c, "", "headings", nh + 1);
            if (!w)
                return vb_diag_nomem(c->d);
            if ((st = style_map(c, n->items[nh], w, NULL, &p->headings[nh])) != VB_OK)
                return st;
        }
    }
    /* unlisted levels repeat the deepest listed one (or the body when none is listed) */
    for (int i = nh; i < MAX_HEADINGS; i++)
        p->headings[i] = nh ? p->headings[nh - 1] : p->body;
    return VB_OK;
}

/*
 * body_center, body_right (styles over the body; absent: the body aligned,
 * without indent), script and footnote (absent: a document that uses them
 * is refused at layout, since their values are the profile's to give).
 */
static vb_status_t
parse_inline_styles(ctx_t *c, const vb_ynode_t *root)
{
    vb_profile_t *p = c->p;
    const vb_ynode_t *n;
    vb_status_t st;
    vb_style_t *al[2] = {&p->body_center, &p->body_right};
    const char *names[2] = {"body_center", "body_right"};
    for (int i = 0; i < 2; i++) {
        *al[i] = p->body;
        al[i]->align = i == 0 ? VB_ALIGN_CENTER : VB_ALIGN_RIGHT;
        al[i]->indent = al[i]->hang = 0;
        vb_style_t base = *al[i];
        if ((st = lookup(c, root, "", names[i], false, &n)) != VB_OK ||
            (n && (st = style_map(c, n, names[i], &base, al[i])) != VB_OK))
            return st;
    }
    if ((st = lookup(c, root, "", "script", false, &n)) != VB_OK)
        return st;
    if (n) {
        vb_pscript_t *sc = &p->script;
        sc->present = true;
        sc->size_ratio = 1000;
        if ((st = check_keys(c, n, "script", SCRIPT_KEYS, NULL)) != VB_OK ||
            (st = get_milli(c, n, "script", "size_ratio", 100, 1000, &sc->size_ratio)) != VB_OK ||
            (st = get_milli(c, n, "script", "superscript_rise", 0, 1000, &sc->rise)) != VB_OK ||
            (st = get_milli(c, n, "script", "subscript_drop", 0, 1000, &sc->drop)) != VB_OK)
            return st;
    }
    if ((st = lookup(c, root, "", "footnote", false, &n)) != VB_OK)
        return st;
    if (n) {
        vb_pfootnote_t *f = &p->footnote;
        f->present = true;
        if ((st = check_keys(c, n, "footnote", FOOTNOTE_KEYS, STYLE_KEYS)) != VB_OK ||
            (st = resolve_style(c, n, "footnote", NULL, &f->style)) != VB_OK ||
            (st = get_len(c, n, "footnote", "rule_length", true, false, &f->rule_length)) != VB_OK ||
            (st = get_len(c, n, "footnote", "rule_width", true, false, &f->rule_width)) != VB_OK ||
            (st = get_len(c, n, "footnote", "space_before", false, false, &f->space_before)) != VB_OK ||
            (st = get_len(c, n, "footnote", "space_after", false, false, &f->space_after)) != VB_OK ||
            (st = get_len(c, n, "footnote", "gap", false, false, &f->gap)) != VB_OK)
            return st;
    }
    return VB_OK;
}

static vb_status_t
parse_table(ctx_t *c, const vb_ynode_t *root)
{
    vb_ptable_t *t = &c->p->table;
    const vb_ynode_t *m, *n;
    vb_status_t st;
    if ((st = lookup(c, root, "", "table", true, &m)) != VB_OK ||
        (st = check_keys(c, m, "table", TABLE_KEYS, NULL)) != VB_OK)
        return st;
    if ((st = lookup(c, m, "table", "cell", false, &n)) != VB_OK)
        return st;
    st = n ? style_map(c, n, "table.cell", NULL, &t->cell) : resolve_style(c, NULL, "table.cell", NULL, &t->cell);
    if (st != VB_OK || (st = lookup(c, m, "table", "head", false, &n)) != VB_OK)
        return st;
    /* the head is the cell style with the head's keys on top (its leading included) */
    t->head = t->cell;
    if (n && (st = style_map(c, n, "table.head", &t->cell, &t->head)) != VB_OK)
        return st;
    /* the column-number row: the cell style with its keys on top; a box: the body's */
    if ((st = lookup(c, m, "table", "numbers", false, &n)) != VB_OK)
        return st;
    t->numbers = t->cell;
    if (n && (st = style_map(c, n, "table.numbers", &t->cell, &t->numbers)) != VB_OK)
        return st;
    if ((st = lookup(c, m, "table", "box", false, &n)) != VB_OK)
        return st;
    t->box = c->p->body;
    if (n && (st = style_map(c, n, "table.box", &c->p->body, &t->box)) != VB_OK)
        return st;
    t->keep_together = 0;
    if ((st = get_milli(c, m, "table", "keep_together", 0, 1000, &t->keep_together)) != VB_OK)
        return st;
    t->repeat_head = true;
    if ((st = get_len(c, m, "table", "border", true, false, &t->border)) != VB_OK ||
        (st = get_len(c, m, "table", "space_before", false, false, &t->space_before)) != VB_OK ||
        (st = get_len(c, m, "table", "space_after", false, false, &t->space_after)) != VB_OK ||
        (st = get_bool(c, m, "table", "repeat_head", &t->repeat_head)) != VB_OK ||
        (st = lookup(c, m, "table", "padding", false, &n)) != VB_OK)
        return st;
    if (n) {
        if ((st = check_keys(c, n, "table.padding", PADDING_KEYS, NULL)) != VB_OK ||
            (st = get_len(c, n, "table.padding", "x", false, false, &t->pad_x)) != VB_OK ||
            (st = get_len(c, n, "table.padding", "top", false, false, &t->pad_top)) != VB_OK ||
            (st = get_len(c, n, "table.padding", "bottom", false, false, &t->pad_bottom)) != VB_OK)
            return st;
    }
    t->box_pad_x = t->pad_x, t->box_pad_top = t->pad_top, t->box_pad_bottom = t->pad_bottom;
    if ((st = lookup(c, m, "table", "box_padding", false, &n)) != VB_OK)
        return st;
    if (n) {
        if ((st = check_keys(c, n, "table.box_padding", PADDING_KEYS, NULL)) != VB_OK ||
            (st = get_len(c, n, "table.box_padding", "x", false, false, &t->box_pad_x)) != VB_OK ||
            (st = get_len(c, n, "table.box_padding", "top", false, false, &t->box_pad_top)) != VB_OK ||
            (st = get_len(c, n, "table.box_padding", "bottom", false, false, &t->box_pad_bottom)) != VB_OK)
            return st;
    }
    return VB_OK;
}

static vb_status_t
parse_page_number(ctx_t *c, const vb_ynode_t *root)
{
    vb_pagenum_t *pn = &c->p->page_number;
    const vb_ynode_t *m;
    vb_status_t st;
    pn->present = false;
    if ((st = lookup(c, root, "", "page_number", false, &m)) != VB_OK || !m)
        return st;
    pn->present = true;
    pn->first = 1;
    pn->format = "{page}";
    const vb_ynode_t *ink;
    if ((st = check_keys(c, m, "page_number", PAGENUM_KEYS, STYLE_KEYS)) != VB_OK ||
        (st = get_int_i(c, m, "page_number", "first", 1, 100000, &pn->first)) != VB_OK ||
        (st = get_template(c, m, "page_number", "format", false, PAGE_FIELDS, &pn->format)) != VB_OK ||
        (st = lookup(c, m, "page_number", "ink_top", true, &ink)) != VB_OK ||
        (st = len_value(c, ink, "page_number", "ink_top", false, &pn->ink_top)) != VB_OK)
        return st;
    if (pn->ink_top >= c->p->page_height)
        return fail(c, "profile.geometry", ink->pos, "\"page_number.ink_top\" is below the bottom of the page.");
    return resolve_style(c, m, "page_number", NULL, &pn->style);
}

/* breaking.phrase_breaks: a list of {after|before|within: text, cost: n}. */
static vb_status_t
parse_phrases(ctx_t *c, const vb_ynode_t *m, const char *where, vb_pbreak_t *b)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup(c, m, where, "phrase_breaks", false, &n);
    if (st != VB_OK || !n)
        return st;
    if ((st = want_kind(c, n, VB_Y_SEQ, where, "phrase_breaks")) != VB_OK)
        return st;
    vb_pphrase_t *v = VB_NEWN(c->arena, vb_pphrase_t, n->n ? n->n : 1);
    if (!v)
        return vb_diag_nomem(c->d);
    static const char *const at_keys[] = {"after", "before", "within"};
    for (int i = 0; i < n->n; i++) {
        const vb_ynode_t *e = n->items[i];
        const char *ew = keypath(c, where, "phrase_breaks", i + 1);
        if (!ew)
            return vb_diag_nomem(c->d);
        if ((st = want_kind(c, e, VB_Y_MAP, where, "phrase_breaks")) != VB_OK ||
            (st = check_keys(c, e, ew, PHRASE_KEYS, NULL)) != VB_OK ||
            (st = get_int(c, e, ew, "cost", true, -1000000, 1000000, &v[i].cost)) != VB_OK)
            return st;
        int found = 0;
        for (int k = 0; k < 3; k++) {
            const vb_ynode_t *t;
            if ((st = lookup(c, e, ew, at_keys[k], false, &t)) != VB_OK)
                return st;
            if (!t)
                continue;
            if ((st = want_kind(c, t, VB_Y_SCALAR, ew, at_keys[k])) != VB_OK || (st = nfc_text(c, t, &v[i].text)) != VB_OK)
                return st;
            if (t->len == 0 || t->str[0] == ' ' || t->str[t->len - 1] == ' ' || strstr(t->str, "  "))
                return fail(c, "profile.value", t->pos,
                            "%s.%s must be words separated by single spaces.", ew, at_keys[k]);
            if (k == 2 && !strchr(t->str, ' '))
                return fail(c, "profile.value", t->pos, "%s.within must name two words or more.", ew);
            v[i].at = (vb_phrase_at_t)k;
            found++;
        }
        if (found != 1)
            return fail(c, "profile.value", e->pos, "%s needs exactly one of after, before and within.", ew);
    }
    b->phrases = v;
    b->nphrases = n->n;
    return VB_OK;
}

static vb_status_t
parse_breaking(ctx_t *c, const vb_ynode_t *root)
{
    vb_pbreak_t *b = &c->p->breaking;
    /* defaults: documented in docs/profile-format.md */
    b->space_stretch = 500;
    b->space_shrink = 200;
    b->tolerance = 2000;
    b->line_penalty = 10;
    b->fitness_demerits = 3000;
    b->loose_demerits = 0;
    b->loose_ratio = 1000;
    b->greedy = false;
    b->letter_space = 0;
    b->letter_space_above = 1400;
    b->lone_word_cost = 0;
    b->lone_word_letters = 0;
    b->phrases = NULL;
    b->nphrases = 0;
    b->orphans = 2;
    b->widows = 2;
    b->closing_keep = 2;
    b->lead_in_keep = 0;
    b->page_slack = 36000;
    const vb_ynode_t *m, *n;
    vb_status_t st;
    if ((st = lookup(c, root, "", "breaking", false, &m)) != VB_OK || !m)
        return st;
    const char *w = "breaking";
    if ((st = check_keys(c, m, w, BREAK_KEYS, NULL)) != VB_OK ||
        (st = get_milli(c, m, w, "space_stretch", 0, 10000, &b->space_stretch)) != VB_OK ||
        (st = get_milli(c, m, w, "space_shrink", 0, 900, &b->space_shrink)) != VB_OK ||
        (st = get_milli(c, m, w, "tolerance", 1, 1000000, &b->tolerance)) != VB_OK ||
        (st = get_int(c, m, w, "line_penalty", false, 0, 10000, &b->line_penalty)) != VB_OK ||
        (st = get_int(c, m, w, "fitness_demerits", false, 0, 100000000, &b->fitness_demerits)) != VB_OK ||
        (st = get_int(c, m, w, "loose_demerits", false, 0, 100000000, &b->loose_demerits)) != VB_OK ||
        (st = get_milli(c, m, w, "loose_ratio", 0, 1000000, &b->loose_ratio)) != VB_OK ||
        (st = get_milli(c, m, w, "letter_space", 0, 100, &b->letter_space)) != VB_OK ||
        (st = get_milli(c, m, w, "letter_space_above", 1000, 10000, &b->letter_space_above)) != VB_OK ||
        (st = get_int(c, m, w, "lone_word_cost", false, 0, 1000000, &b->lone_word_cost)) != VB_OK ||
        (st = get_int_i(c, m, w, "lone_word_letters", 0, 100, &b->lone_word_letters)) != VB_OK ||
        (st = parse_phrases(c, m, w, b)) != VB_OK ||
        (st = get_int_i(c, m, w, "orphans", 1, 100, &b->orphans)) != VB_OK ||
        (st = get_int_i(c, m, w, "widows", 1, 100, &b->widows)) != VB_OK ||
        (st = get_int_i(c, m, w, "closing_keep", 0, 100, &b->closing_keep)) != VB_OK ||
        (st = get_int_i(c, m, w, "lead_in_keep", 0, 100, &b->lead_in_keep)) != VB_OK ||
        (st = get_len(c, m, w, "page_slack", false, false, &b->page_slack)) != VB_OK ||
        (st = lookup(c, m, w, "algorithm", false, &n)) != VB_OK)
        return st;
    if (n) {
        if ((st = want_kind(c, n, VB_Y_SCALAR, w, "algorithm")) != VB_OK)
            return st;
        if (strcmp(n->str, "greedy") == 0)
            b->greedy = true;
        else if (strcmp(n->str, "total-fit") != 0)
            return fail(c, "profile.value", n->pos, "\"breaking.algorithm\" = \"%s\": write total-fit or greedy.",
                        n->str);
    }
    return VB_OK;
}

static vb_status_t
parse_appendix(ctx_t *c, const vb_ynode_t *root)
{
    vb_pappendix_t *a = &c->p->appendix;
    a->new_page = true;
    a->restart_page_numbers = false;
    a->numbering = VB_NUMBERING_ANY;
    a->auto_landscape = true;
    a->header.top = a->title.top = -1;
    const vb_ynode_t *m;
    vb_status_t st;
    if ((st = lookup(c, root, "", "appendix", false, &m)) != VB_OK || !m)
        return st;
    static const char *const numberings[] = {"any", "arabic", "roman", NULL};
    static const int numbering_values[] = {VB_NUMBERING_ANY, VB_NUMBERING_ARABIC, VB_NUMBERING_ROMAN};
    int numbering = VB_NUMBERING_ANY;
    if ((st = check_keys(c, m, "appendix", APPENDIX_KEYS, NULL)) != VB_OK ||
        (st = get_choice(c, m, "appendix", "numbering", numberings, numbering_values, "arabic, roman or any",
                         &numbering)) != VB_OK ||
        (st = get_bool(c, m, "appendix", "new_page", &a->new_page)) != VB_OK ||
        (st = get_bool(c, m, "appendix", "restart_page_numbers", &a->restart_page_numbers)) != VB_OK ||
        (st = get_bool(c, m, "appendix", "auto_landscape", &a->auto_landscape)) != VB_OK ||
        (st = parse_band(c, m, "appendix", "header", APPENDIX_FIELDS, BAND_FLOW, &a->header)) != VB_OK ||
        (st = parse_band(c, m, "appendix", "title", APPENDIX_FIELDS, BAND_FLOW, &a->title)) != VB_OK)
        return st;
    a->numbering = (vb_numbering_t)numbering;
    return VB_OK;
}

/*
 * A list of mappings {k1: text, k2: text}, both required and non-empty,
 * put in NFC (they are compared with front-matter text). A name listed twice
 * is an error: the second entry could never apply.
 */
static vb_status_t
get_pairs(ctx_t *c, const vb_ynode_t *map, const char *where, const char *key, const char *const *keys,
          const char ***firsts, const char ***seconds, int *nout)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup(c, map, where, key, false, &n);
    if (st != VB_OK || !n)
        return st;
    if ((st = want_kind(c, n, VB_Y_SEQ, where, key)) != VB_OK)
        return st;
    *firsts = VB_NEWN(c->arena, const char *, n->n ? n->n : 1);
    *seconds = VB_NEWN(c->arena, const char *, n->n ? n->n : 1);
    if (!*firsts || !*seconds)
        return vb_diag_nomem(c->d);
    for (int i = 0; i < n->n; i++) {
        const vb_ynode_t *e = n->items[i];
        const char *ew = keypath(c, where, key, i + 1);
        if (!ew)
            return vb_diag_nomem(c->d);
        if ((st = check_keys(c, e, ew, keys, NULL)) != VB_OK)
            return st;
        const vb_ynode_t *a, *b;
        if ((st = lookup(c, e, ew, keys[0], true, &a)) != VB_OK ||
            (st = want_kind(c, a, VB_Y_SCALAR, ew, keys[0])) != VB_OK ||
            (st = lookup(c, e, ew, keys[1], true, &b)) != VB_OK ||
            (st = want_kind(c, b, VB_Y_SCALAR, ew, keys[1])) != VB_OK ||
            (st = nfc_text(c, a, &(*firsts)[i])) != VB_OK || (st = nfc_text(c, b, &(*seconds)[i])) != VB_OK)
            return st;
        if (a->len == 0 || b->len == 0)
            return fail(c, "profile.missing", (a->len == 0 ? a : b)->pos, "\"%s%s%s\" must not be empty.",
                        KP(ew, keys[a->len == 0 ? 0 : 1]));
        for (int j = 0; j < i; j++) {
            if (strcmp((*firsts)[j], (*firsts)[i]) == 0)
                return fail(c, "profile.value", a->pos, "\"%s%s%s\": \"%s\" is listed twice.", KP(ew, keys[0]),
                            (*firsts)[i]);
        }
    }
    *nout = n->n;
    return VB_OK;
}

/* validation: what validate.c checks the administrative fields against. */
static vb_status_t
parse_validation(ctx_t *c, const vb_ynode_t *root)
{
    vb_pvalidate_t *v = &c->p->validate;
    memset(v, 0, sizeof *v);
    const vb_ynode_t *m;
    vb_status_t st;
    if ((st = lookup(c, root, "", "validation", false, &m)) != VB_OK || !m)
        return st;
    const char *w = "validation";
    static const char *const forms[] = {"any", "party", "state", NULL};
    static const int form_values[] = {VB_NUMBER_ANY, VB_NUMBER_PARTY, VB_NUMBER_STATE};
    int number = VB_NUMBER_ANY;
    const char **names = NULL, **abbrs = NULL;
    int n = 0;
    if ((st = check_keys(c, m, w, VALIDATION_KEYS, NULL)) != VB_OK ||
        (st = get_choice(c, m, w, "number", forms, form_values, "party, state or any", &number)) != VB_OK ||
        (st = get_text_list(c, m, w, "signer_forms", NULL, NULL, &v->signer_forms, &v->nsigner_forms)) != VB_OK)
        return st;
    v->number = (vb_number_form_t)number;
    if ((st = get_pairs(c, m, w, "kinds", VKIND_KEYS, &names, &abbrs, &n)) != VB_OK)
        return st;
    if (n) {
        if (!(v->kinds = VB_NEWN(c->arena, vb_pkind_t, n)))
            return vb_diag_nomem(c->d);
        for (int i = 0; i < n; i++)
            v->kinds[i] = (vb_pkind_t){names[i], abbrs[i]};
        v->nkinds = n;
    }
    n = 0;
    if ((st = get_pairs(c, m, w, "bodies", VBODY_KEYS, &names, &abbrs, &n)) != VB_OK)
        return st;
    if (n) {
        if (!(v->bodies = VB_NEWN(c->arena, vb_pbody_t, n)))
            return vb_diag_nomem(c->d);
        for (int i = 0; i < n; i++)
            v->bodies[i] = (vb_pbody_t){names[i], abbrs[i]};
        v->nbodies = n;
    }
    /* the rules of docs/rules.md: kind.unknown, profile.date, regime.guess */
    static const char *const sevs[] = {"error", "warning", NULL};
    static const int sev_values[] = {VB_SEVERITY_ERROR, VB_SEVERITY_WARNING};
    int sev = VB_SEVERITY_ERROR;
    if ((st = get_text_list(c, m, w, "other_kinds", NULL, NULL, &v->other_kinds, &v->nother_kinds)) != VB_OK ||
        (st = get_choice(c, m, w, "kind_unknown", sevs, sev_values, "error or warning", &sev)) != VB_OK ||
        (st = get_str(c, m, w, "successor", false, true, &v->successor)) != VB_OK ||
        (st = get_str(c, m, w, "predecessor", false, true, &v->predecessor)) != VB_OK ||
        (st = get_str(c, m, w, "point_letters", false, true, &v->point_letters)) != VB_OK ||
        (st = get_bool(c, m, w, "appendix_reference", &v->appendix_reference)) != VB_OK ||
        (st = get_text_list(c, m, w, "post_titles", NULL, NULL, &v->post_titles, &v->npost_titles)) != VB_OK)
        return st;
    /* addressed: {KIND: label, ...}, the kind as typed in capitals ("CÔNG VĂN": no kind) */
    const vb_ynode_t *a;
    if ((st = lookup(c, m, w, "addressed", false, &a)) != VB_OK)
        return st;
    if (a) {
        if (a->kind != VB_Y_MAP)
            return fail(c, "profile.type", a->pos,
                        "validation.addressed must be a mapping of kinds to the words printed before their "
                        "recipients ({CÔNG VĂN: Kính gửi}).");
        v->addressed_kinds = VB_NEWN(c->arena, const char *, a->n ? a->n : 1);
        v->addressed_labels = VB_NEWN(c->arena, const char *, a->n ? a->n : 1);
        if (!v->addressed_kinds || !v->addressed_labels)
            return vb_diag_nomem(c->d);
        for (int i = 0; i < a->n; i++) {
            const vb_ynode_t *lab = a->items[i];
            if (lab->kind != VB_Y_SCALAR || lab->len == 0)
                return fail(c, "profile.type", lab->pos, "validation.addressed.%s must be a text (\"Kính gửi\").",
                            a->keys[i]);
            v->addressed_kinds[i] = a->keys[i];
            if ((st = nfc_text(c, lab, &v->addressed_labels[i])) != VB_OK)
                return st;
        }
        v->naddressed = a->n;
    }
    /* printed_parts: {TEXT: key, ...}, what the profile prints and the front matter's key it comes from ("-": none) */
    const vb_ynode_t *pp;
    if ((st = lookup(c, m, w, "printed_parts", false, &pp)) != VB_OK)
        return st;
    if (pp) {
        if (pp->kind != VB_Y_MAP)
            return fail(c, "profile.type", pp->pos,
                        "validation.printed_parts must be a mapping of texts to the front matter's key they come "
                        "from ({NƠI NHẬN: recipients}).");
        v->printed_texts = VB_NEWN(c->arena, const char *, pp->n ? pp->n : 1);
        v->printed_fields = VB_NEWN(c->arena, const char *, pp->n ? pp->n : 1);
        if (!v->printed_texts || !v->printed_fields)
            return vb_diag_nomem(c->d);
        for (int i = 0; i < pp->n; i++) {
            const vb_ynode_t *f = pp->items[i];
            if (f->kind != VB_Y_SCALAR || f->len == 0)
                return fail(c, "profile.type", f->pos,
                            "validation.printed_parts.%s must be a front matter's key, or \"-\".", pp->keys[i]);
            v->printed_texts[i] = pp->keys[i];
            v->printed_fields[i] = f->str;
        }
        v->nprinted = pp->n;
    }
    static const char *const cases[] = {"any", "lower", "capital", "normal", NULL};
    static const int case_values[] = {0, 1, 2, 3};
    if ((st = get_choice(c, m, w, "title_case", cases, case_values, "normal, lower, capital or any", &v->title_case)) !=
            VB_OK ||
        (st = get_choice(c, m, w, "title_case_cv", cases, case_values, "normal, lower, capital or any", &v->title_case_cv)) !=
            VB_OK)
        return st;
    v->kind_unknown = (vb_severity_t)sev;
    for (int i = 0; i < v->nother_kinds; i++) {
        for (int j = 0; j < v->nkinds; j++) {
            if (strcmp(v->other_kinds[i], v->kinds[j].name) == 0)
                return fail(c, "profile.value", vb_ymap_get(m, "other_kinds")->pos,
                            "validation.other_kinds: \"%s\" is also in validation.kinds.", v->other_kinds[i]);
        }
    }
    const vb_ynode_t *g;
    if ((st = lookup(c, m, w, "regime_signs", false, &g)) != VB_OK)
        return st;
    if (g) {
        const char *gw = "validation.regime_signs";
        int gnum = VB_NUMBER_ANY;
        if ((st = check_keys(c, g, gw, SIGNS_KEYS, NULL)) != VB_OK ||
            (st = get_str(c, g, gw, "profile", true, true, &v->signs_profile)) != VB_OK ||
            (st = get_choice(c, g, gw, "number", forms, form_values, "party, state or any", &gnum)) != VB_OK ||
            (st = get_text_list(c, g, gw, "issuers", NULL, NULL, &v->signs_issuers, &v->nsigns_issuers)) != VB_OK ||
            (st = get_text_list(c, g, gw, "own_issuers", NULL, NULL, &v->own_issuers, &v->nown_issuers)) != VB_OK)
            return st;
        v->signs_number = (vb_number_form_t)gnum;
        if (gnum != VB_NUMBER_ANY && gnum == (int)v->number)
            return fail(c, "profile.value", vb_ymap_get(g, "number")->pos,
                        "validation.regime_signs.number is this profile's own number form: write the other regime's.");
    }
    return VB_OK;
}

/* Every `official:` number of a band's items and columns must be named in official_boxes (when given). */
static vb_status_t
check_band_official(ctx_t *c, const vb_band_t *b, const char *key, vb_pos_t list_pos)
{
    for (int i = 0; i < b->ncols; i++) {
        const vb_pcolumn_t *col = &b->cols[i];
        for (int j = -1; j < col->n; j++) {
            int no = j < 0 ? col->official : col->items[j].official;
            if (!no)
                continue;
            bool named = false;
            for (int k = 0; k < c->p->nofficial_boxes && !named; k++)
                named = c->p->official_boxes[k].no == no;
            if (!named)
                return fail(c, "profile.value", j < 0 ? list_pos : col->items[j].pos,
                            "An item of \"%s\" is box %d (\"official: %d\"), which \"official_boxes\" does not name; "
                            "add \"%d: name\" to its names.", key, no, no, no);
        }
    }
    return VB_OK;
}

/*
 * official_boxes: {body: N, names: {1: text, 2: text, ...}}, the regulation's
 * numbered boxes named in the order written; the numbers whole, 1-99, each
 * once; body (optional) one of them; and every `official:` of the profile's
 * bands named (so the overlay's legend can say every box). A mapping of
 * plain numbers and texts, not a list of {no, name} mappings: libyaml's
 * tokens cost every render (this key is read with the rest of the profile),
 * and this form has a third of them.
 */
static vb_status_t
parse_official_boxes(ctx_t *c, const vb_ynode_t *root)
{
    const vb_ynode_t *m, *names;
    vb_status_t st = lookup(c, root, "", "official_boxes", false, &m);
    if (st != VB_OK || !m)
        return st;
    const char *w = "official_boxes";
    int32_t body = 0;
    if ((st = check_keys(c, m, w, OFFICIAL_BOX_KEYS, NULL)) != VB_OK ||
        (st = lookup(c, m, w, "names", true, &names)) != VB_OK ||
        (st = want_kind(c, names, VB_Y_MAP, w, "names")) != VB_OK ||
        (st = get_int(c, m, w, "body", false, 1, 99, &body)) != VB_OK)
        return st;
    if (names->n == 0)
        return fail(c, "profile.missing", names->pos, "\"official_boxes.names\" must name at least one box.");
    vb_pofficial_t *v = VB_NEWN(c->arena, vb_pofficial_t, names->n);
    if (!v)
        return vb_diag_nomem(c->d);
    bool body_named = false;
    for (int i = 0; i < names->n; i++) {
        const char *k = names->keys[i];
        int64_t no;
        if (!vb_parse_int(k, strlen(k), &no) || no < 1 || no > 99)
            return fail(c, "profile.value", names->key_pos[i],
                        "\"official_boxes.names\": \"%s\" is not a box number (a whole number from 1 to 99).", k);
        const vb_ynode_t *nm = names->items[i];
        const char *kw = keypath(c, "official_boxes.names", k, 0);
        if (!kw)
            return vb_diag_nomem(c->d);
        if (is_null(nm) || (nm->kind == VB_Y_SCALAR && nm->len == 0))
            return fail(c, "profile.missing", nm->pos, "\"%s\" must not be empty.", kw);
        if (nm->kind != VB_Y_SCALAR)
            return fail(c, "profile.type", nm->pos, "\"%s\" must be a single value, not %s.", kw, kind_name(nm));
        for (int j = 0; j < i; j++)
            if (v[j].no == no)
                return fail(c, "profile.value", names->key_pos[i], "\"official_boxes.names\": box %d is named twice.",
                            (int)no);
        v[i] = (vb_pofficial_t){(int)no, nm->str, no == body}; /* shown, never compared: kept as written */
        body_named |= no == body;
    }
    if (body && !body_named)
        return fail(c, "profile.value", vb_ymap_get(m, "body")->pos,
                    "\"official_boxes.body\" = %d is not one of the boxes \"official_boxes.names\" names.", (int)body);
    c->p->official_boxes = v;
    c->p->nofficial_boxes = names->n;
    const vb_profile_t *p = c->p;
    if ((st = check_band_official(c, &p->header, "header", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->title, "title", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->closing, "closing", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->closing_joint, "closing_joint", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->overlay, "overlay", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->first_footer, "first_footer", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->last_footer, "last_footer", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->appendix.header, "appendix.header", m->pos)) != VB_OK ||
        (st = check_band_official(c, &p->appendix.title, "appendix.title", m->pos)) != VB_OK)
        return st;
    return VB_OK;
}

/* fit: what a document must have before it is issued (api/checking.c, the issue.* rules). */
static vb_status_t
parse_fit(ctx_t *c, const vb_ynode_t *root)
{
    vb_pfit_t *f = &c->p->fit;
    memset(f, 0, sizeof *f);
    const vb_ynode_t *m;
    vb_status_t st;
    if ((st = lookup(c, root, "", "fit", false, &m)) != VB_OK || !m)
        return st;
    const char *w = "fit";
    f->present = true;
    if ((st = check_keys(c, m, w, FIT_KEYS, NULL)) != VB_OK ||
        (st = get_text_list(c, m, w, "untitled_kinds", NULL, NULL, &f->untitled_kinds, &f->nuntitled_kinds)) !=
            VB_OK ||
        (st = get_text_list(c, m, w, "placeholders", NULL, NULL, &f->placeholders, &f->nplaceholders)) != VB_OK ||
        (st = get_text_list(c, m, w, "placeholder_values", NULL, NULL, &f->values, &f->nvalues)) != VB_OK)
        return st;
    return VB_OK;
}

/* A field name (/T): ASCII letters, digits, '_' and '-' (no '.', which separates a field's parts). */
static vb_status_t
get_field_name(ctx_t *c, const vb_ynode_t *m, const char *where, const char *key, bool required, const char **out)
{
    const vb_ynode_t *n;
    vb_status_t st = lookup_scalar(c, m, where, key, required, &n);
    if (st != VB_OK || !n)
        return st;
    for (size_t i = 0; i < n->len; i++) {
        char ch = n->str[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '-'))
            return fail(c, "profile.value", n->pos,
                        "\"%s%s%s\" = \"%s\": a PDF field name here is ASCII letters, digits, '_' and '-' (signing "
                        "tools look fields up by it).",
                        KP(where, key), n->str);
    }
    if (n->len == 0)
        return fail(c, "profile.missing", n->pos, "\"%s%s%s\" must not be empty.", KP(where, key));
    *out = n->str;
    return VB_OK;
}

/* One field of `signing:` (sig: signer, appendix; seal; else a text field). */
static vb_status_t
parse_signfield(ctx_t *c, const vb_ynode_t *sg, const char *key, const char *const *keys, vb_psignfield_t *f)
{
    const vb_ynode_t *m;
    vb_status_t st;
    char where[32];
    snprintf(where, sizeof where, "signing.%s", key);
    if ((st = lookup(c, sg, "signing", key, false, &m)) != VB_OK || !m)
        return st;
    if ((st = check_keys(c, m, where, keys, NULL)) != VB_OK ||
        (st = get_field_name(c, m, where, "name", true, &f->name)) != VB_OK ||
        (st = get_str(c, m, where, "label", true, true, &f->label)) != VB_OK)
        return st;
    if (keys == SIGNFIELD_KEYS && ((st = get_len(c, m, where, "width", true, true, &f->width)) != VB_OK ||
                                   (st = get_len(c, m, where, "height", true, true, &f->height)) != VB_OK))
        return st;
    if (keys == SEAL_KEYS && (st = get_len(c, m, where, "diameter", true, true, &f->width)) != VB_OK)
        return st;
    f->height = keys == SEAL_KEYS ? f->width : f->height;
    return VB_OK;
}

/* signing: the fields of a signed-ready PDF (optional; absent: the PDF has none) */
static vb_status_t
parse_signing(ctx_t *c, const vb_ynode_t *root)
{
    vb_psigning_t *s = &c->p->signing;
    const vb_ynode_t *m, *n;
    vb_status_t st;
    if ((st = lookup(c, root, "", "signing", false, &m)) != VB_OK || !m)
        return st;
    s->present = true;
    s->seal_overlap = 333;
    if ((st = check_keys(c, m, "signing", SIGNING_KEYS, NULL)) != VB_OK ||
        (st = parse_signfield(c, m, "signer", SIGNFIELD_KEYS, &s->signer)) != VB_OK ||
        (st = parse_signfield(c, m, "seal", SEAL_KEYS, &s->seal)) != VB_OK ||
        (st = parse_signfield(c, m, "appendix", SIGNFIELD_KEYS, &s->appendix)) != VB_OK ||
        (st = parse_signfield(c, m, "number", TEXTFIELD_KEYS, &s->number)) != VB_OK ||
        (st = parse_signfield(c, m, "day", TEXTFIELD_KEYS, &s->day)) != VB_OK ||
        (st = parse_signfield(c, m, "month", TEXTFIELD_KEYS, &s->month)) != VB_OK ||
        (st = get_field_name(c, m, "signing", "next_signer", true, &s->next_signer)) != VB_OK ||
        (st = get_field_name(c, m, "signing", "in_appendix", true, &s->in_appendix)) != VB_OK)
        return st;
    if ((n = vb_ymap_get(m, "seal")) && n->kind == VB_Y_MAP &&
        (st = get_milli(c, n, "signing.seal", "overlap", 1, 1000, &s->seal_overlap)) != VB_OK)
        return st;
    return VB_OK;
}

static vb_status_t
parse_root(ctx_t *c, const vb_ynode_t *root)
{
    if (is_null(root))
        return fail(c, "profile.schema", root->pos, "The profile is empty; it must start with \"schema: 1\".");
    if (root->kind != VB_Y_MAP)
        return fail(c, "profile.type", root->pos, "A profile is a mapping of keys, not %s.", kind_name(root));
    /* the schema first: a file of a later schema is better told so than flooded with unknown keys */
    const vb_ynode_t *n = vb_ymap_get(root, "schema");
    if (!n || is_null(n))
        return fail(c, "profile.schema", n ? n->pos : root->pos, "\"schema\" is required; this reader knows schema 1.");
    if (n->kind != VB_Y_SCALAR || strcmp(n->str, "1") != 0)
        return fail(c, "profile.schema", n->pos, "\"schema\" = \"%s\" is not supported; this reader knows schema 1.",
                    n->kind == VB_Y_SCALAR ? n->str : "(not a number)");
    vb_status_t st;
    vb_profile_t *p = c->p;
    if ((st = check_keys(c, root, "", ROOT_KEYS, NULL)) != VB_OK || (st = parse_head(c, root)) != VB_OK ||
        (st = parse_styles(c, root)) != VB_OK || (st = parse_text_styles(c, root)) != VB_OK ||
        (st = parse_inline_styles(c, root)) != VB_OK ||
        (st = parse_band(c, root, "", "header", DOC_FIELDS, BAND_FLOW, &p->header)) != VB_OK ||
        (st = parse_band(c, root, "", "title", DOC_FIELDS, BAND_FLOW, &p->title)) != VB_OK ||
        (st = parse_band(c, root, "", "closing", DOC_FIELDS, BAND_FLOW, &p->closing)) != VB_OK ||
        (st = parse_band(c, root, "", "closing_joint", DOC_FIELDS, BAND_FLOW, &p->closing_joint)) != VB_OK ||
        (st = parse_band(c, root, "", "overlay", DOC_FIELDS, BAND_TOP, &p->overlay)) != VB_OK ||
        (st = parse_band(c, root, "", "first_footer", DOC_FIELDS, BAND_BOTTOM, &p->first_footer)) != VB_OK ||
        (st = parse_band(c, root, "", "last_footer", DOC_FIELDS, BAND_BOTTOM, &p->last_footer)) != VB_OK ||
        (st = parse_table(c, root)) != VB_OK || (st = parse_page_number(c, root)) != VB_OK ||
        (st = parse_breaking(c, root)) != VB_OK || (st = parse_appendix(c, root)) != VB_OK ||
        (st = parse_validation(c, root)) != VB_OK || (st = parse_signing(c, root)) != VB_OK ||
        (st = parse_official_boxes(c, root)) != VB_OK || (st = parse_fit(c, root)) != VB_OK)
        return st;
    return VB_OK;
}

/* ------------------------------------------------------------ entry points */

vb_status_t
vb_profile_parse(vb_arena_t *arena, const char *buf, size_t len, const char *source, vb_profile_t **out,
                 vb_diag_t *d)
{
    *out = NULL;
    if (!source)
        source = "(profile)";
    vb_ynode_t *root;
    vb_status_t st = vb_yaml_parse(arena, buf, len, source, 0, &root, d);
    if (st != VB_OK) {
        /* a YAML error in a profile is a profile error; the id (yaml.*) still says what kind */
        if (st == VB_E_INPUT) {
            st = VB_E_PROFILE;
            if (d && d->code == VB_E_INPUT)
                d->code = VB_E_PROFILE;
        }
        return st;
    }
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.arena = arena;
    c.src = source;
    c.d = d;
    c.p = VB_NEW(arena, vb_profile_t);
    if (!c.p)
        return vb_diag_nomem(d);
    c.p->path = vb_arena_strdup(arena, source);
    if (!c.p->path)
        return vb_diag_nomem(d);
    if ((st = parse_root(&c, root)) != VB_OK)
        return st;
    *out = c.p;
    return VB_OK;
}

vb_status_t
vb_profile_load(vb_arena_t *arena, const char *path, vb_profile_t **out, vb_diag_t *d)
{
    *out = NULL;
    /* a regular file only (base.c): a FIFO or a device in the layouts folder is named, never waited on */
    char *buf = NULL;
    size_t len = 0;
    vb_file_result_t fr;
    if (!vb_file_read(NULL, path, MAX_PROFILE_BYTES, &buf, &len, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(d);
        if (fr.status == VB_FILE_TOO_LARGE)
            return vb_diag_set(d, VB_E_LIMIT, "profile.too-large", path, 0, 0,
                               "The profile file is larger than %d bytes.", MAX_PROFILE_BYTES);
        if (fr.status == VB_FILE_ERRNO && fr.err == ENOENT)
            return vb_diag_set(d, VB_E_IO, "profile.io", path, 0, 0, "The profile file does not exist.");
        return vb_diag_set(d, VB_E_IO, "profile.io", path, 0, 0, "The profile file cannot be read: %s.",
                           vb_file_why(&fr));
    }
    vb_status_t st = vb_profile_parse(arena, buf, len, path, out, d);
    free(buf);
    return st;
}
