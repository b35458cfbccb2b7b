/*
 * yamltree.c - one YAML document as a small tree; the only libyaml user.
 *
 * Owns: turning libyaml's event stream into vb_ynode_t trees in an arena, for
 * the front matter (frontmatter.c) and the layout profiles (profile.c); and
 * reading only the leading keys of a document (vb_yaml_head), for the regime
 * scan of the layouts folder (catalog.c), which must not pay for whole files.
 *
 * Why events and not libyaml's document loader: the loader resolves aliases
 * silently and keeps no per-key positions in a form we can use, while events
 * let us refuse anchors and aliases at their own line:column and record where
 * every key was written. The tree is built with an explicit stack (bounded by
 * MAX_DEPTH), so hostile nesting gives a diagnostic, never a deep recursion.
 *
 * What is refused (VB_E_INPUT, with the position libyaml or the event gives):
 *   yaml.syntax         anything libyaml itself rejects
 *   yaml.alias          an anchor (&a) or an alias (*a)
 *   yaml.key            a mapping key that is not a scalar, or that holds a NUL (the escape "\0")
 *   yaml.nul            a value that holds a NUL (the escape "\0"): C strings would cut it there
 *   yaml.duplicate-key  the same key twice in one mapping
 *   yaml.multi-doc      a second document in the stream
 *   yaml.depth          nesting deeper than MAX_DEPTH
 *   yaml.too-large      a mapping or sequence with more than MAX_ITEMS entries
 * A caller that reads profiles may change d->code afterwards; the id stays.
 *
 * An empty stream (only comments or nothing) gives an empty plain scalar, the
 * YAML null, so callers need not special-case a NULL root.
 *
 * Columns are libyaml's, which counts characters (not bytes), plus one.
 */
#include "yamltree.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* Deeper nesting than this is never needed by a front matter or a profile. */
#define MAX_DEPTH 64
/* Keeps the duplicate-key check (linear per key) far from quadratic blow-up. */
#define MAX_ITEMS 4096

typedef struct frame {
    vb_ynode_t *node;
    VB_VEC(vb_ynode_t *) items;
    VB_VEC(const char *) keys;
    VB_VEC(vb_pos_t) kpos;
    bool have_key; /* mappings: a key was read, its value comes next */
} frame_t;

typedef struct builder {
    vb_arena_t *arena;
    const char *source;
    int line0;
    frame_t stack[MAX_DEPTH];
    int depth;
    vb_ynode_t *root;
    vb_diag_t *d;
    bool stand_ins; /* the text holds colons' stand-ins (stand_in_colons) */
} builder_t;

/*
 * "title: Về việc: tổng kết", as clerks type it: libyaml refuses a second
 * ": " in a plain value ("mapping values are not allowed in this context").
 * When the colon it refuses is inside the value of a line "KEY: VALUE" or
 * "- KEY: VALUE" (not the key's own colon: a key indented wrongly stays an
 * error), and the value is plain (no quote, bracket, block or tag
 * indicator), the value's colons become COLON_STAND_IN, one character as a
 * colon is, so every line:col stays the same; scalars turn them back
 * (unstand). Only a text libyaml refused is changed, so no valid YAML changes
 * meaning. Returns the new text in arena, or NULL when the error is not that
 * case (or the text as typed, first, already holds the stand-in, or memory
 * is short).
 */
#define COLON_STAND_IN "\xEE\xA8\xBA" /* U+EA3A, private use */
#define STAND_IN_LEN 3

/* s[0..n) holds the NUL-terminated text t. */
static bool
holds(const char *s, size_t n, const char *t)
{
    size_t k = strlen(t);
    for (const char *p = s; (p = memchr(p, t[0], n - (size_t)(p - s))) && (size_t)(s + n - p) >= k; p++)
        if (!memcmp(p, t, k))
            return true;
    return false;
}

static const char *
stand_in_colons(vb_arena_t *arena, const char *buf, size_t *len, size_t line, size_t col, bool first)
{
    size_t i = 0, n = *len;
    for (size_t l = 0; l < line && i < n; i++)
        if (buf[i] == '\n')
            l++;
    if (i >= n || (first && holds(buf, n, COLON_STAND_IN)))
        return NULL;
    const char *nl = memchr(buf + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - buf) : n, at = i; /* at: the refused colon's byte */
    for (size_t c = 0; c < col && at < end; c++)
        while (++at < end && ((unsigned char)buf[at] & 0xC0) == 0x80)
            ;
    if (at >= end || buf[at] != ':')
        return NULL;
    size_t k = i;
    while (k < end && buf[k] == ' ')
        k++;
    if (k + 1 < end && buf[k] == '-' && buf[k + 1] == ' ')
        for (k += 2; k < end && buf[k] == ' '; k++)
            ;
    if (k >= end || strchr("\"'[{|>&*!%@`#?-", buf[k]))
        return NULL;
    size_t v = k; /* the key's colon: the first ": " */
    while (v < end && !(buf[v] == ':' && (v + 1 == end || buf[v + 1] == ' ')))
        v++;
    if (v >= at)
        return NULL;
    for (v++; v < end && buf[v] == ' '; v++)
        ;
    if (v >= end || strchr("\"'[{|>&*!%@`#", buf[v]))
        return NULL;
    size_t ncolons = 0;
    for (size_t j = v; j < end; j++)
        ncolons += buf[j] == ':';
    char *out = vb_arena_alloc_raw(arena, n + ncolons * (STAND_IN_LEN - 1) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    memcpy(out, buf, v);
    o = v;
    for (size_t j = v; j < end; j++) {
        if (buf[j] == ':') {
            memcpy(out + o, COLON_STAND_IN, STAND_IN_LEN);
            o += STAND_IN_LEN;
        } else {
            out[o++] = buf[j];
        }
    }
    memcpy(out + o, buf + end, n - end);
    o += n - end;
    out[o] = 0;
    *len = o;
    return out;
}

/*
 * Leading tabs, as clerks indent in a word processor ("signer:" then a tab
 * before "authority:"): YAML refuses a tab in indentation. Each leading tab of
 * line `line` becomes one space, one character for one, so line:col stay the
 * same and a block indented with one tab a level reads as indented by one
 * space a level. Returns the new text in arena, NULL when the line has no
 * leading tab (or memory is short).
 */
static const char *
untab_line(vb_arena_t *arena, const char *buf, size_t len, size_t line)
{
    size_t i = 0;
    for (size_t l = 0; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    size_t k = i;
    while (k < len && (buf[k] == ' ' || buf[k] == '\t'))
        k++;
    if (!memchr(buf + i, '\t', k - i))
        return NULL;
    char *out = vb_arena_alloc_raw(arena, len + 1);
    if (!out)
        return NULL;
    memcpy(out, buf, len);
    out[len] = 0;
    for (size_t j = i; j < k; j++)
        if (out[j] == '\t')
            out[j] = ' ';
    return out;
}

/*
 * What a clerk does about libyaml's commonest complaints, said after its own
 * words (which name the problem in YAML's terms); NULL for the others.
 */
static const char *
yaml_advice(const char *problem, const char *context)
{
    if (!problem)
        return NULL;
    if (strstr(problem, "did not find expected key"))
        return VB_N_("Check the indentation: the lines under one key (such as \"signer:\") start in the same "
                     "column, indented with spaces.");
    if (strstr(problem, "end of stream") && context && strstr(context, "quoted"))
        return VB_N_("A quotation mark opened in this value is not closed: close it at the value's end, or take it "
                     "away.");
    if (strstr(problem, "expected ',' or ']'"))
        return VB_N_("A value that starts with \"[\" is read as a list: put the whole value in double quotes.");
    if (strstr(problem, "expected ',' or '}'"))
        return VB_N_("A value that starts with \"{\" is read as a table: put the whole value in double quotes.");
    if (strstr(problem, "mapping values are not allowed"))
        return VB_N_("A line holds a second \"key:\": if it is a new field, start it on its own line in the "
                     "column of the others; if it is text, put the value in double quotes.");
    if (strstr(problem, "could not find expected ':'"))
        return VB_N_("This line is neither \"key: value\" nor a \"- \" line of a list: write it so, or indent "
                     "it under the line it goes on from.");
    if (strstr(problem, "cannot start any token") || strstr(problem, "tag"))
        return VB_N_("A value cannot start with this character (@, `, ! or %): put the value in double quotes.");
    if (strstr(problem, "unknown escape character"))
        return VB_N_("Inside double quotes a backslash starts an escape: write \\\\ for a backslash, or put the "
                     "value in single quotes.");
    if (strstr(problem, "block sequence entries are not allowed"))
        return VB_N_("A \"- \" line of a list goes on a line of its own under its key (such as \"recipients:\"), "
                     "not after a value.");
    if (strstr(problem, "expected '-' indicator"))
        return VB_N_("The \"- \" lines of one list start in the same column.");
    return NULL;
}

/* A scalar's colons back from their stand-ins (stand_in_colons), in place. */
static void
unstand(char *s, size_t *len)
{
    char *w = s;
    for (const char *r = s, *end = s + *len; r < end;) {
        if (end - r >= STAND_IN_LEN && !memcmp(r, COLON_STAND_IN, STAND_IN_LEN)) {
            *w++ = ':';
            r += STAND_IN_LEN;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    *len = (size_t)(w - s);
}

static vb_pos_t
mark_pos(const builder_t *b, yaml_mark_t m)
{
    vb_pos_t p;
    p.line = (int)m.line + 1 + b->line0;
    p.col = (int)m.column + 1;
    return p;
}

/*
 * Reader errors (bad bytes, control characters) come with a byte offset but
 * no mark; this turns the offset into a line and a character column.
 */
static vb_pos_t
offset_pos(const char *buf, size_t len, size_t off, int line0)
{
    vb_pos_t p = {line0 + 1, 1};
    for (size_t i = 0; i < off && i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') {
            p.line++;
            p.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p.col++;
        }
    }
    return p;
}

static vb_status_t
err_at(builder_t *b, const char *id, vb_pos_t p, const char *msg)
{
    return vb_diag_set(b->d, VB_E_INPUT, id, b->source, p.line, p.col, "%s", msg);
}

/*
 * Attaches a finished node to the frame on top of the stack (or makes it the
 * root). In a mapping that awaits a key, the node becomes the key: it must be
 * a scalar and must not repeat an earlier key.
 */
static vb_status_t
attach(builder_t *b, vb_ynode_t *n)
{
    if (b->depth == 0) {
        b->root = n;
        return VB_OK;
    }
    frame_t *f = &b->stack[b->depth - 1];
    if (f->node->kind == VB_Y_MAP && !f->have_key) {
        if (n->kind != VB_Y_SCALAR)
            return err_at(b, "yaml.key", n->pos, "A mapping key must be plain text.");
        for (int i = 0; i < f->keys.n; i++) {
            if (strcmp(f->keys.v[i], n->str) == 0)
                return vb_diag_set(b->d, VB_E_INPUT, "yaml.duplicate-key", b->source, n->pos.line, n->pos.col,
                                   "The key \"%s\" is written twice in the same mapping.", n->str);
        }
        if (f->keys.n >= MAX_ITEMS)
            return err_at(b, "yaml.too-large", n->pos, "A mapping has too many keys.");
        if (VB_PUSH(b->arena, f->keys, n->str) || VB_PUSH(b->arena, f->kpos, n->pos))
            return vb_diag_nomem(b->d);
        f->have_key = true;
        return VB_OK;
    }
    if (f->items.n >= MAX_ITEMS)
        return err_at(b, "yaml.too-large", n->pos, "A sequence or mapping has too many entries.");
    if (VB_PUSH(b->arena, f->items, n))
        return vb_diag_nomem(b->d);
    f->have_key = false;
    return VB_OK;
}

static vb_ynode_t *
new_node(builder_t *b, vb_ykind_t kind, vb_pos_t pos)
{
    vb_ynode_t *n = VB_NEW(b->arena, vb_ynode_t);
    if (n) {
        n->kind = kind;
        n->pos = pos;
        n->str = "";
    }
    return n;
}

/*
 * A scalar holding a NUL character, which only an escape ("\0", "\x00",
 * "\u0000") can write: as a C string it would end there, so "draft\0x" would
 * silently be the key draft. Refused, the key or text shown with \0.
 */
static vb_status_t
nul_scalar(builder_t *b, const yaml_event_t *ev, vb_pos_t pos)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    char shown[96];
    size_t o = 0, i = 0;
    for (; i < n && o + 2 < sizeof shown; i++) {
        if (v[i] == 0) {
            shown[o++] = '\\';
            shown[o++] = '0';
        } else {
            shown[o++] = v[i];
        }
    }
    if (i < n && ((unsigned char)v[i] & 0xC0) == 0x80) { /* cut in the middle of a character: drop it */
        while (o > 0 && ((unsigned char)shown[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0)
            o--;
    }
    shown[o] = 0;
    const char *more = i < n ? "..." : "";
    bool key = b->depth > 0 && b->stack[b->depth - 1].node->kind == VB_Y_MAP && !b->stack[b->depth - 1].have_key;
    if (key)
        return vb_diag_set(b->d, VB_E_INPUT, "yaml.key", b->source, pos.line, pos.col,
                           "The key \"%s%s\" holds a NUL character (the escape \\0); a key is plain text.", shown,
                           more);
    return vb_diag_set(b->d, VB_E_INPUT, "yaml.nul", b->source, pos.line, pos.col,
                       "The text \"%s%s\" holds a NUL character (the escape \\0), which no document may hold.", shown,
                       more);
}

/* Handles one event; *ndocs counts the documents seen so far. */
static vb_status_t
on_event(builder_t *b, const yaml_event_t *ev, int *ndocs)
{
    vb_pos_t pos = mark_pos(b, ev->start_mark);
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*ndocs > 1)
            return err_at(b, "yaml.multi-doc", pos, "Only one YAML document is allowed here.");
        return VB_OK;
    case YAML_ALIAS_EVENT:
        return err_at(b, "yaml.alias", pos, "YAML aliases (*name) are not supported.");
    case YAML_SCALAR_EVENT: {
        if (ev->data.scalar.anchor)
            return err_at(b, "yaml.alias", pos, "YAML anchors (&name) are not supported.");
        if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
            return nul_scalar(b, ev, pos);
        vb_ynode_t *n = new_node(b, VB_Y_SCALAR, pos);
        if (!n)
            return vb_diag_nomem(b->d);
        n->len = ev->data.scalar.length;
        char *str = vb_arena_strndup(b->arena, (const char *)ev->data.scalar.value, n->len);
        if (!str)
            return vb_diag_nomem(b->d);
        if (b->stand_ins)
            unstand(str, &n->len);
        n->str = str;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return attach(b, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool is_map = ev->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        if (anchor)
            return err_at(b, "yaml.alias", pos, "YAML anchors (&name) are not supported.");
        if (b->depth > 0) {
            frame_t *f = &b->stack[b->depth - 1];
            if (f->node->kind == VB_Y_MAP && !f->have_key)
                return err_at(b, "yaml.key", pos, "A mapping key must be plain text.");
        }
        if (b->depth >= MAX_DEPTH)
            return err_at(b, "yaml.depth", pos, "The YAML is nested too deeply.");
        vb_ynode_t *n = new_node(b, is_map ? VB_Y_MAP : VB_Y_SEQ, pos);
        if (!n)
            return vb_diag_nomem(b->d);
        frame_t *f = &b->stack[b->depth++];
        memset(f, 0, sizeof *f);
        f->node = n;
        return VB_OK;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        /* libyaml guarantees balanced start/end events. */
        frame_t *f = &b->stack[--b->depth];
        vb_ynode_t *n = f->node;
        n->items = f->items.v;
        n->n = f->items.n;
        if (n->kind == VB_Y_MAP) {
            n->keys = f->keys.v;
            n->key_pos = f->kpos.v;
        }
        return attach(b, n);
    }
    default:
        return VB_OK;
    }
}

/*
 * The profiles are half comments (each value cites its clause), and libyaml
 * tokenises a comment character by character: dropping them before the
 * parse saves a fifth of a profile's compile. Only what is certainly a
 * comment goes: a "#" at a line's start or after a blank, outside quotes, up
 * to the line's end (with the blanks before it); the line ends stay, so
 * every line:col is unchanged. At the first thing this cannot follow (a
 * block scalar's "|" or ">", a quote still open at a line's end) the rest is
 * kept as it is. A comment holding anything but printable ASCII, tabs and
 * well-formed UTF-8 leaves the whole text as it is, so libyaml reports what
 * it refuses (a control character, bad UTF-8) at its own offset, as before.
 * Returns the text to parse (buf itself when nothing was dropped), *out_len
 * its length; the copy is in arena. NULL when memory is short.
 */
static bool
comment_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        uint32_t cp;
        int k = c >= 0x80 ? vb_utf8_decode((const char *)s + i, n - i, &cp) : -1;
        if (k <= 0 || (cp >= 0x80 && cp < 0xA0 && cp != 0x85) || cp == 0xFFFE || cp == 0xFFFF)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* The quote open at the end of line[0..n) (0 when none), for a line whose "#" or end is at n. */
static char
open_quote(const char *line, size_t n, size_t *hash)
{
    char q = 0;
    *hash = n;
    for (size_t j = 0; j < n; j++) {
        char c = line[j];
        if (q) {
            if (c == q && q == '\'' && j + 1 < n && line[j + 1] == '\'')
                j++; /* '' is a quote inside single quotes */
            else if (c == q)
                q = 0;
            else if (c == '\\' && q == '"')
                j++;
        } else if (c == '#' || c == '"' || c == '\'') {
            char prev = j > 0 ? line[j - 1] : ' ';
            if (c == '#') {
                if (prev == ' ' || prev == '\t') {
                    *hash = j;
                    return 0;
                }
            } else if (strchr(" \t[{,:-?", prev)) {
                q = c;
            }
        }
    }
    return q;
}

static const char *
drop_comments(vb_arena_t *arena, const char *buf, size_t len, size_t *out_len)
{
    *out_len = len;
    if (!memchr(buf, '#', len))
        return buf;
    char *out = vb_arena_alloc_raw(arena, len + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - buf) : len, n = end - i;
        const char *line = buf + i;
        size_t keep = n, cut = n;
        bool quotes = memchr(line, '"', n) || memchr(line, '\'', n);
        const char *h = memchr(line, '#', n);
        if (quotes || h) {
            size_t at;
            if (open_quote(line, n, &at)) {
                keep = len - i; /* a quote open at the line's end: the rest as it is */
                memcpy(out + o, line, keep);
                o += keep;
                break;
            }
            cut = at;
        }
        keep = cut;
        while (keep > 0 && (line[keep - 1] == ' ' || line[keep - 1] == '\t'))
            keep--;
        if (cut < n && !comment_ok((const unsigned char *)line + cut, n - cut))
            return buf;
        /* a block scalar's indicator ("|", ">-", "|2") ends the line as kept: its lines are text, not YAML */
        size_t t = keep;
        while (t > 0 && (line[t - 1] == '-' || line[t - 1] == '+' || (line[t - 1] >= '0' && line[t - 1] <= '9')))
            t--;
        if (t > 0 && (line[t - 1] == '|' || line[t - 1] == '>')) {
            memcpy(out + o, line, len - i);
            o += len - i;
            break;
        }
        memcpy(out + o, line, keep);
        o += keep;
        if (nl)
            out[o++] = '\n';
        i = end + 1;
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

vb_status_t
vb_yaml_parse(vb_arena_t *arena, const char *buf, size_t len, const char *source, int line0, vb_ynode_t **root,
              vb_diag_t *d)
{
    *root = NULL;
    builder_t b;
    memset(&b, 0, sizeof b);
    b.arena = arena;
    b.source = source;
    b.line0 = line0;
    b.d = d;

    buf = drop_comments(arena, buf, len, &len);
    if (!buf)
        return vb_diag_nomem(d);
    vb_status_t st = VB_OK;
    for (int tries = 0;; tries++) {
        yaml_parser_t p;
        if (!yaml_parser_initialize(&p))
            return vb_diag_nomem(d);
        yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
        yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
        int ndocs = 0;
        const char *again = NULL;
        for (;;) {
            yaml_event_t ev;
            if (!yaml_parser_parse(&p, &ev)) {
                if (p.error == YAML_MEMORY_ERROR) {
                    st = vb_diag_nomem(d);
                    break;
                }
                /* a colon in a clerk's plain value: once per line at most, then parsed again */
                if (p.error == YAML_SCANNER_ERROR && p.problem && tries < 256 &&
                    !strcmp(p.problem, "mapping values are not allowed in this context") &&
                    (again = stand_in_colons(arena, buf, &len, p.problem_mark.line, p.problem_mark.column, tries == 0)))
                    break;
                /* a tab in a line's indentation: as many spaces, then parsed again */
                if (p.error == YAML_SCANNER_ERROR && p.problem && tries < 256 &&
                    (strstr(p.problem, "cannot start any token") || strstr(p.problem, "tab character")) &&
                    (again = untab_line(arena, buf, len, p.problem_mark.line)))
                    break;
                vb_pos_t pos = mark_pos(&b, p.problem_mark);
                if (p.error == YAML_READER_ERROR)
                    pos = offset_pos(buf, len, p.problem_offset, line0);
                else if (p.problem && strstr(p.problem, "end of stream") && p.context && strstr(p.context, "quoted"))
                    pos = mark_pos(&b, p.context_mark); /* the quote left open, not the end of the text */
                const char *advice = p.error == YAML_READER_ERROR ? NULL : yaml_advice(p.problem, p.context);
                st = vb_diag_set(d, VB_E_INPUT, "yaml.syntax", source, pos.line, pos.col, "YAML error: %s%s%s.%s%s",
                                 p.problem ? p.problem : "invalid YAML", p.context ? " " : "",
                                 p.context ? p.context : "", advice ? " " : "", advice ? vb_tr(advice) : "");
                break;
            }
            bool end = ev.type == YAML_STREAM_END_EVENT;
            st = on_event(&b, &ev, &ndocs);
            yaml_event_delete(&ev);
            if (st != VB_OK || end)
                break;
        }
        yaml_parser_delete(&p);
        if (!again)
            break;
        buf = again; /* the tree so far is dropped (its nodes stay in the arena until it is freed) */
        b.depth = 0;
        b.root = NULL;
        b.stand_ins = true;
    }
    if (st != VB_OK)
        return st;

    if (!b.root) {
        vb_pos_t pos = {line0 + 1, 1};
        b.root = new_node(&b, VB_Y_SCALAR, pos);
        if (!b.root)
            return vb_diag_nomem(d);
        b.root->plain = true;
    }
    *root = b.root;
    return VB_OK;
}

/* A string's bytes handed to libyaml a piece at a time (vb_yaml_head: it decodes what it is given at once). */
typedef struct piecewise {
    const char *p, *end;
} piecewise_t;

#define HEAD_PIECE 256

static int
read_piece(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    piecewise_t *pw = data;
    size_t n = (size_t)(pw->end - pw->p);
    if (n > size)
        n = size;
    if (n > HEAD_PIECE)
        n = HEAD_PIECE;
    memcpy(buffer, pw->p, n);
    pw->p += n;
    *size_read = n;
    return 1;
}

bool
vb_yaml_head(const char *buf, size_t len, const char *const *keys, int nkeys, char (*value)[VB_YHEAD_MAX],
             vb_pos_t *pos, vb_pos_t *stop, char *stop_key, bool *nomem)
{
    *nomem = false;
    stop->line = stop->col = 0;
    stop_key[0] = 0;
    for (int i = 0; i < nkeys; i++) {
        value[i][0] = 0;
        pos[i].line = pos[i].col = 0;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        *nomem = true;
        return false;
    }
    piecewise_t pw = {buf, buf + len};
    yaml_parser_set_input(&p, read_piece, &pw);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    /* the events: stream and document start, the root mapping's start, then key, value, key ... */
    int state = 0; /* 0 before the root mapping, 1 awaiting a key, 2 awaiting the value of keys[cur] */
    int cur = -1;
    bool ok = false, done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            *nomem = p.error == YAML_MEMORY_ERROR;
            break;
        }
        bool bad = false;
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_MAPPING_START_EVENT:
            if (state != 0 || ev.data.mapping_start.anchor)
                bad = true; /* a value that is a mapping, or an anchored root */
            state = 1;
            break;
        case YAML_SCALAR_EVENT: {
            const char *v = (const char *)ev.data.scalar.value;
            size_t n = ev.data.scalar.length;
            if (state == 0 || ev.data.scalar.anchor || memchr(v, 0, n)) {
                bad = true;
            } else if (state == 1) {
                cur = -1;
                for (int i = 0; i < nkeys && cur < 0; i++)
                    if (strlen(keys[i]) == n && !memcmp(keys[i], v, n))
                        cur = i;
                if (cur < 0) { /* the first other key: the head ends here */
                    stop->line = (int)ev.start_mark.line + 1;
                    stop->col = (int)ev.start_mark.column + 1;
                    snprintf(stop_key, VB_YHEAD_MAX, "%.*s", (int)(n < VB_YHEAD_MAX ? n : VB_YHEAD_MAX - 1), v);
                    ok = done = true;
                } else if (pos[cur].line || n >= VB_YHEAD_MAX) {
                    bad = true; /* twice: vb_yaml_parse names it */
                } else {
                    pos[cur].line = (int)ev.start_mark.line + 1;
                    pos[cur].col = (int)ev.start_mark.column + 1;
                    state = 2;
                }
            } else {
                /* null (~, or nothing) counts as absent, as in profile.c; a value too long is left empty */
                bool null = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                            (n == 0 || (n == 1 && v[0] == '~') || (n == 4 && !memcmp(v, "null", 4)));
                if (null)
                    pos[cur].line = pos[cur].col = 0;
                else if (n < VB_YHEAD_MAX)
                    memcpy(value[cur], v, n + 1);
                state = 1;
            }
            break;
        }
        case YAML_MAPPING_END_EVENT:
            ok = done = state == 1; /* the whole root was the head */
            bad = !ok;
            break;
        default: /* a sequence, an alias, the end of a document whose root is not a mapping */
            bad = true;
            break;
        }
        yaml_event_delete(&ev);
        if (bad)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

const vb_ynode_t *
vb_ymap_get(const vb_ynode_t *map, const char *key)
{
    if (!map || map->kind != VB_Y_MAP || !key)
        return NULL;
    for (int i = 0; i < map->n; i++) {
        if (map->keys[i][0] == key[0] && strcmp(map->keys[i], key) == 0)
            return map->items[i];
    }
    return NULL;
}
