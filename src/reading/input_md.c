/*
 * input_md.c - the Markdown body to blocks and appendices; the only cmark-gfm user.
 *
 * Owns: cutting the body into Markdown segments, pipe tables (tablesrc.c) and
 * page breaks; turning each segment's cmark tree into vb_block_t; turning
 * inline nodes into spans; finding the appendices. No cmark type leaves
 * this file.
 *
 * The body is not fed to cmark as typed. A line pass first:
 *  - cuts out table runs (lines starting with '|' after at most 3 spaces) and
 *    "\pagebreak" lines, which become their own blocks; the Markdown between
 *    them is parsed as separate segments, so no placeholder text can collide
 *    with what the author typed;
 *  - cuts out "\landscape" and "\nolabel" lines too: they make no block but
 *    mark the appendix they stand in as landscape, or as printed without its
 *    label line (outside an appendix they are an error, markdown.landscape,
 *    markdown.nolabel: the main text has no landscape pages and no label);
 *  - drops the leading spaces and tabs of every line outside a fenced code
 *    block: clerks indent paragraphs with a tab as in a word processor, and in
 *    CommonMark that would make code blocks (printed without emphasis);
 *  - makes list markers plain text. vanban has no lists: "1. Tình hình",
 *    "2) ...", "- Việc", "+ x", "* x" are paragraphs that keep their marker,
 *    and such a line starts a new paragraph. The pass inserts a blank line
 *    before it when it follows a non-blank line and backslash-escapes the
 *    marker character ("\- Việc", "1\. Tình hình"). Lines of only '=' or '-'
 *    get the blank line too, so they never turn the paragraph above into a
 *    setext heading (vanban headings are '#' only).
 * A table of the segment's lines (ppline_t) maps every cmark line and byte
 * column back to the body line and the character column the author sees.
 *
 * Lists cmark still finds (inside a block quote, "> 1. x") are undone on the
 * tree: the marker text is taken from the source line and put in front of the
 * item's first paragraph.
 *
 * Spans: emphasis gives the italic bit, strong emphasis the bold bit (nested,
 * "***x***" is both); soft line breaks are spaces; hard breaks are '\n';
 * runs of whitespace collapse to one space; a paragraph is trimmed; adjacent
 * runs with the same face are merged. Code spans, raw HTML, link and image
 * texts are printed as literal text; link targets are dropped.
 *
 * cmark-gfm's default allocator aborts on out-of-memory; no allocator hook of
 * cmark can report a failure without crashing it, so that stays a known gap.
 */
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "input.h"
#include "limit.h"

/* ---- spans ---- */

/*
 * Builds the spans of one paragraph from pieces of text in a face. Whitespace
 * is held back (pending_space / pending_nl) until a visible character comes,
 * which collapses runs and trims both ends without a second pass.
 */
struct rd;

typedef struct ib {
    vb_arena_t *arena;
    struct rd *rd;         /* set for body text: footnote references [^x] are read */
    vb_span_t *spans;      /* malloc'd while building; copied to the arena at its exact size by ib_finish */
    int nspans, capspans;
    vb_buf_t cur;
    int cur_face;
    bool has_cur;
    bool has_content;
    bool pending_space;
    int space_face;
    int pending_nl;
    int nl_face;
    bool oom;
    int64_t max_depth;     /* > 0: emphasis nested deeper is refused (the nesting limit) */
    bool html_br;          /* table cells: "<br>" is a forced line break */
    cmark_node *too_deep;  /* the emphasis that went deeper, when one did */
    bool lit_stars;        /* a text node holds "**" or "__": emphasis left as typed (md_pitfalls) */
    bool digit_emph;       /* an emphasis starts with a digit: "2*3*4" turned italic (md_pitfalls) */
    bool soft;             /* a soft line break: two typed lines joined into one paragraph (joined_lines) */
} ib_t;

static void
ib_flush(ib_t *b)
{
    if (!b->has_cur || b->oom)
        return;
    vb_span_t sp;
    char *t = NULL;
    /* the source is NFC, but an entity ("e&#x301;") can decode to a decomposed letter */
    vb_status_t st = vb_text_nfc(b->arena, b->cur.p ? b->cur.p : "", b->cur.n, &t, &sp.len, NULL);
    if (st != VB_OK && st != VB_E_NOMEM) {
        /* not for want of memory: kept as decoded, for the checks of every character to name */
        t = vb_arena_strndup(b->arena, b->cur.p ? b->cur.p : "", b->cur.n);
        sp.len = b->cur.n;
    } else if (st != VB_OK) {
        t = NULL;
    }
    sp.text = t;
    sp.face = (uint8_t)b->cur_face;
    if (sp.text && b->nspans == b->capspans) {
        int cap = b->capspans ? b->capspans * 2 : 4;
        vb_span_t *v = cap > b->capspans ? realloc(b->spans, sizeof *v * (size_t)cap) : NULL;
        if (v) {
            b->spans = v;
            b->capspans = cap;
        }
    }
    if (!sp.text || b->nspans == b->capspans)
        b->oom = true;
    else
        b->spans[b->nspans++] = sp;
    b->cur.n = 0;
    b->has_cur = false;
}

static void
ib_emit(ib_t *b, const char *s, size_t n, int face)
{
    if (b->has_cur && b->cur_face != face)
        ib_flush(b);
    b->has_cur = true;
    b->cur_face = face;
    if (vb_buf_add(&b->cur, s, n))
        b->oom = true;
}

/*
 * Whitespace for collapsing: space, tab, line ends, and the control
 * characters a numeric entity ("&#7;") can produce, which the model may not
 * hold (C0, DEL, and C1 as the two bytes C2 80..9F).
 */
static bool
is_space_byte(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20 || c == 0x7F)
        return true;
    return c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F;
}

/* Adds text in face; '\n' is a hard break when nl_break, otherwise a space. */
static void
ib_text(ib_t *b, const char *s, size_t len, int face, bool nl_break)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '\n' && nl_break) {
            if (b->has_content) {
                if (b->pending_nl == 0)
                    b->nl_face = face;
                b->pending_nl++;
                b->pending_space = false;
            }
            i++;
        } else if (is_space_byte(s, len, i)) {
            if (b->has_content && b->pending_nl == 0 && !b->pending_space) {
                b->pending_space = true;
                b->space_face = face;
            }
            i += ((unsigned char)c == 0xC2) ? 2 : 1;
        } else {
            if (b->pending_nl) {
                for (int k = 0; k < b->pending_nl; k++)
                    ib_emit(b, "\n", 1, b->nl_face);
                b->pending_nl = 0;
            } else if (b->pending_space) {
                ib_emit(b, " ", 1, b->space_face);
            }
            b->pending_space = false;
            /* copy the whole run of visible bytes at once, with every single space
             * between two visible bytes (what the collapsing would give anyway) */
            size_t j = i;
            while (j < len &&
                   (!is_space_byte(s, len, j) || (s[j] == ' ' && j + 1 < len && !is_space_byte(s, len, j + 1))))
                j++;
            ib_emit(b, s + i, j - i, face);
            b->has_content = true;
            i = j;
        }
    }
}

static vb_status_t
ib_finish(ib_t *b, vb_inline_t *out, vb_diag_t *d)
{
    ib_flush(b);
    vb_buf_free(&b->cur);
    /* exactly as many spans as the text has: most paragraphs have one, and a document can have 200,000 */
    vb_span_t *v = NULL;
    if (!b->oom && b->nspans && (v = VB_NEWN(b->arena, vb_span_t, b->nspans)) != NULL)
        memcpy(v, b->spans, sizeof *v * (size_t)b->nspans);
    free(b->spans);
    b->spans = NULL;
    if (b->oom || (b->nspans && !v))
        return vb_diag_nomem(d);
    out->spans = v;
    out->n = b->nspans;
    return VB_OK;
}

/* "<br>", "<br/>", "<br />", any case: the line break of GitHub's tables. */
static bool
is_br_tag(const char *s, size_t n)
{
    if (n < 4 || s[0] != '<' || (s[1] | 0x20) != 'b' || (s[2] | 0x20) != 'r')
        return false;
    size_t i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '/')
        i++;
    return i + 1 == n && s[i] == '>';
}

/*
 * Backslash escapes of '^' and '~' must survive cmark, which drops the
 * backslash and merges the text: before parsing, such a backslash becomes
 * the byte 0x01 (same length, so every column stays; neither mark means
 * anything to cmark, so nothing else changes). In text 0x01 X is a literal X
 * that starts no superscript, subscript or footnote reference ("[\^x]"); in
 * code and raw HTML it is the backslash again.
 */
#define ESC 0x01

static void
protect_escapes(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\\')
            continue;
        size_t j = i;
        while (j < n && p[j] == '\\')
            j++;
        if (j < n && ((j - i) & 1) && (p[j] == '^' || p[j] == '~'))
            p[j - 1] = ESC;
        i = j - 1;
    }
}

/* Code, raw HTML and literal blocks: text as typed, the protected backslashes given back. */
static void
ib_text_lit(ib_t *b, const char *s, size_t len, int face, bool nl_break)
{
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ESC)
            continue;
        ib_text(b, s + from, i - from, face, nl_break);
        ib_text(b, "\\", 1, face, nl_break);
        from = i + 1;
    }
    ib_text(b, s + from, len - from, face, nl_break);
}

static int note_ref(struct rd *r, const char *label, size_t n);

/*
 * Adds a text node's literal, reading pandoc's superscripts and subscripts,
 * "^x^" and "~x~" with at least one character between the marks and no
 * space or mark inside ("m^2^", "Q~max~", "Hg~10~"), and, in body text,
 * footnote references "[^x]". A mark without its pair, "~~x~~" and "a ^ b ^"
 * stay as typed, and so do "\^", "\~" and "[\^x]".
 */
static void
ib_text_scripts(ib_t *b, const char *s, size_t len, int face)
{
    /* the bytes the loop looks at; every other one is text */
    static const bool mark[256] = {[ESC] = true, ['['] = true, ['^'] = true, ['~'] = true};
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!mark[(unsigned char)c])
            continue;
        if (c == ESC) {
            ib_text(b, s + from, i - from, face, false);
            from = ++i; /* the escaped character is text */
            continue;
        }
        if (c == '[' && b->rd && i + 2 < len && s[i + 1] == '^') {
            size_t j = i + 2;
            while (j < len && s[j] != ']' && s[j] != '^' && s[j] != '[' && s[j] != ESC && !is_space_byte(s, len, j))
                j++;
            if (j < len && s[j] == ']' && j > i + 2) {
                ib_text(b, s + from, i - from, face, false);
                int num = note_ref(b->rd, s + i + 2, j - i - 2);
                if (num < 0) {
                    b->oom = true;
                    return;
                }
                char digits[16];
                int k = snprintf(digits, sizeof digits, "%d", num);
                /* a span of its own, even next to another reference */
                ib_flush(b);
                ib_text(b, digits, (size_t)k, face | VB_SPAN_SUPER | VB_SPAN_NOTE, false);
                ib_flush(b);
                from = j + 1;
                i = j;
            }
            continue;
        }
        if (c != '^' && c != '~')
            continue;
        if (i + 1 < len && s[i + 1] == c) {
            /* "~~", "^^": a run of marks is text */
            while (i + 1 < len && s[i + 1] == c)
                i++;
            continue;
        }
        size_t j = i + 1;
        while (j < len && s[j] != c && s[j] != ESC && !is_space_byte(s, len, j))
            j++;
        if (j >= len || s[j] != c || j == i + 1 || (j + 1 < len && s[j + 1] == c))
            continue;
        ib_text(b, s + from, i - from, face, false);
        ib_text(b, s + i + 1, j - i - 1, face | (c == '^' ? VB_SPAN_SUPER : VB_SPAN_SUB), false);
        from = j + 1;
        i = j;
    }
    if (from < len)
        ib_text(b, s + from, len - from, face, false);
}

/*
 * Adds the inline content of a leaf block (paragraph, heading) to b. When
 * skip_nbsp, the no-break space vb_md_inline put in front is dropped from
 * the first text node.
 */
static void
walk_inlines(ib_t *b, cmark_node *leaf, bool skip_nbsp)
{
    cmark_iter *it = cmark_iter_new(leaf);
    if (!it) {
        b->oom = true;
        return;
    }
    int emph = 0, strong = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) {
            *(t == CMARK_NODE_EMPH ? &emph : &strong) += ev == CMARK_EVENT_ENTER ? 1 : -1;
            if (t == CMARK_NODE_EMPH && ev == CMARK_EVENT_ENTER) {
                cmark_node *c = cmark_node_first_child(n);
                const char *cl = c && cmark_node_get_type(c) == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
                if (cl && cl[0] >= '0' && cl[0] <= '9')
                    b->digit_emph = true;
            }
            if (b->max_depth > 0 && emph + strong > b->max_depth) {
                b->too_deep = n;
                break;
            }
            continue;
        }
        if (ev != CMARK_EVENT_ENTER)
            continue;
        int face = (strong > 0 ? VB_FACE_BOLD : 0) | (emph > 0 ? VB_FACE_ITALIC : 0);
        switch (t) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE: {
            const char *lit = cmark_node_get_literal(n);
            size_t len = lit ? strlen(lit) : 0;
            if (t == CMARK_NODE_HTML_INLINE && b->html_br && is_br_tag(lit, len)) {
                ib_text(b, "\n", 1, face, true);
                break;
            }
            if (skip_nbsp && t == CMARK_NODE_TEXT) {
                if (len >= 2 && (unsigned char)lit[0] == 0xC2 && (unsigned char)lit[1] == 0xA0) {
                    lit += 2;
                    len -= 2;
                }
                skip_nbsp = false;
            }
            if (t != CMARK_NODE_TEXT) {
                ib_text_lit(b, lit, len, face, false);
                break;
            }
            if (len >= 2 && (memchr(lit, '*', len) || memchr(lit, '_', len)) && (strstr(lit, "**") || strstr(lit, "__")))
                b->lit_stars = true;
            ib_text_scripts(b, lit, len, face);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            b->soft = true;
            ib_text(b, " ", 1, face, false);
            break;
        case CMARK_NODE_LINEBREAK:
            ib_text(b, "\n", 1, face, true);
            break;
        default:
            /* links and images: their text comes as children */
            break;
        }
    }
    cmark_iter_free(it);
}

static vb_status_t md_inline(vb_arena_t *arena, const char *text, size_t len, bool html_br, vb_inline_t *out,
                             vb_diag_t *d);

vb_status_t
vb_md_inline(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d)
{
    return md_inline(arena, text, len, false, out, d);
}

vb_status_t
vb_md_inline_cell(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d)
{
    return md_inline(arena, text, len, true, out, d);
}

/*
 * True when cmark would read text (one line, the no-break space in front) as
 * a single text node holding it as typed: no byte that starts an inline
 * construct or an escape (cmark's special characters), no NUL (which cmark
 * replaces) and valid UTF-8 (cmark replaces what is not). Such text needs no
 * parse: its spans are its own, with the scripts and collapsing of ib_text.
 */
static bool
plain_inline(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            switch (c) {
            case '\\': case '`': case '&': case '_': case '*': case '[': case ']': case '<': case '!': case 0:
                return false;
            default:
                i++;
                continue;
            }
        }
        uint32_t cp;
        int n = vb_utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

static vb_status_t
md_inline(vb_arena_t *arena, const char *text, size_t len, bool html_br, vb_inline_t *out, vb_diag_t *d)
{
    out->spans = NULL;
    out->n = 0;
    if (plain_inline(text, len)) {
        ib_t b;
        memset(&b, 0, sizeof b);
        b.arena = arena;
        b.html_br = html_br;
        ib_text_scripts(&b, text, len, 0);
        return ib_finish(&b, out, d);
    }
    /*
     * A leading no-break space makes the text a paragraph whatever it starts
     * with ("- x", "1. x", "# x", "> x"), and, being Unicode whitespace, it
     * leaves the emphasis rules of the first delimiter unchanged.
     */
    vb_buf_t src = {0};
    if (vb_buf_add(&src, "\xC2\xA0", 2) || vb_buf_add(&src, text, len)) {
        vb_buf_free(&src);
        return vb_diag_nomem(d);
    }
    for (size_t i = 0; i < src.n; i++) {
        if (src.p[i] == '\n' || src.p[i] == '\r')
            src.p[i] = ' ';
    }
    protect_escapes(src.p, src.n);
    cmark_node *doc = cmark_parse_document(src.p, src.n, CMARK_OPT_DEFAULT);
    vb_buf_free(&src);
    if (!doc)
        return vb_diag_nomem(d);
    ib_t b;
    memset(&b, 0, sizeof b);
    b.arena = arena;
    b.html_br = html_br;
    bool first = true;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        walk_inlines(&b, n, first);
        first = false;
    }
    cmark_node_free(doc);
    return ib_finish(&b, out, d);
}

vb_status_t
vb_md_inline_text(vb_arena_t *arena, const char *text, size_t len, vb_inline_t *out, vb_diag_t *d)
{
    out->spans = NULL;
    out->n = 0;
    VB_VEC(vb_span_t) all = {0};
    size_t s = 0;
    while (s <= len) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        vb_inline_t line;
        vb_status_t st = vb_md_inline(arena, text + s, e - s, &line, d);
        if (st != VB_OK)
            return st;
        if (all.n && line.n) {
            vb_span_t br = {"\n", 1, 0};
            if (VB_PUSH(arena, all, br))
                return vb_diag_nomem(d);
        }
        for (int i = 0; i < line.n; i++)
            if (VB_PUSH(arena, all, line.spans[i]))
                return vb_diag_nomem(d);
        if (!nl)
            break;
        s = e + 1;
    }
    out->spans = all.v;
    out->n = all.n;
    return VB_OK;
}

/* ---- character references ---- */

/*
 * A numeric character reference as CommonMark reads it at s[0] == '&':
 * "&#" 1 to 7 decimal digits ";" or "&#x" 1 to 6 hex digits ";". Returns its
 * length and the number it gives in *v (before cmark turns 0, a surrogate or
 * a number past U+10FFFF into U+FFFD), or 0 when s holds none.
 */
static size_t
numref(const char *s, size_t n, uint32_t *v)
{
    if (n < 4 || s[0] != '&' || s[1] != '#')
        return 0;
    size_t i = 2, max = 7;
    int base = 10;
    if (s[i] == 'x' || s[i] == 'X') {
        base = 16;
        max = 6;
        i++;
    }
    size_t d0 = i;
    uint32_t val = 0;
    while (i < n && i - d0 < max) {
        int c = (unsigned char)s[i], dv;
        if (c >= '0' && c <= '9')
            dv = c - '0';
        else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            dv = (c | 0x20) - 'a' + 10;
        else
            break;
        val = val * (uint32_t)base + (uint32_t)dv;
        i++;
    }
    if (i == d0 || i >= n || s[i] != ';')
        return 0;
    *v = val;
    return i + 1;
}

/* The HTML named references that stand for a character vb_char_refused refuses: the bidi marks. */
static size_t
named_refused(const char *s, size_t n, uint32_t *v)
{
    if (n >= 5 && (!memcmp(s, "&lrm;", 5) || !memcmp(s, "&rlm;", 5))) {
        *v = s[1] == 'l' ? 0x200E : 0x200F;
        return 5;
    }
    return 0;
}

vb_status_t
vb_md_check_refs(const char *text, size_t len, const char *source, int line0, int col0, bool fixed, vb_diag_t *d)
{
    if (len == 0 || !memchr(text, '&', len))
        return VB_OK; /* no reference at all: nothing to check, no position to count */
    int line = line0, col = col0;
    size_t bs = 0; /* backslashes just before */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            line++, col = 1, bs = 0;
            continue;
        }
        if (c == '&' && !(bs & 1)) {
            uint32_t v;
            size_t n = numref(text + i, len - i, &v);
            if (!n)
                n = named_refused(text + i, len - i, &v);
            char buf[160];
            if (n && vb_char_refused(v, buf, sizeof buf, NULL)) {
                char lead[64];
                snprintf(lead, sizeof lead, vb_tr(VB_N_("The character reference %.*s stands for")), (int)n, text + i);
                return vb_char_check(d, source, fixed ? line0 : line, fixed ? col0 : col, lead, v);
            }
        }
        bs = c == '\\' ? bs + 1 : 0;
        if ((c & 0xC0) != 0x80)
            col++;
    }
    return VB_OK;
}

/* What a named reference ("&agrave;") stands for: its first code point, read by cmark itself. */
static bool
named_ref(const char *s, size_t n, uint32_t *cp, size_t *used)
{
    size_t i = 1;
    while (i < n && i < 40 && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z' ? true : (s[i] >= '0' && s[i] <= '9')))
        i++;
    if (i == 1 || i >= n || s[i] != ';')
        return false;
    cmark_node *doc = cmark_parse_document(s, i + 1, CMARK_OPT_DEFAULT);
    if (!doc)
        return false;
    bool ok = false;
    cmark_node *p = cmark_node_first_child(doc);
    cmark_node *t = p ? cmark_node_first_child(p) : NULL;
    const char *lit = t && cmark_node_get_type(t) == CMARK_NODE_TEXT ? cmark_node_get_literal(t) : NULL;
    if (lit && lit[0] != '&' && vb_utf8_decode(lit, strlen(lit), cp) > 0) {
        *used = i + 1;
        ok = true;
    }
    cmark_node_free(doc);
    return ok;
}

bool
vb_md_find_char(const char *text, size_t len, vb_pos_t from, uint32_t cp, vb_pos_t *at)
{
    int line = 1, col = 1;
    size_t i = 0;
    /* whole lines first (memchr), then the columns of from's line: called once per new character */
    while (i < len && line < from.line) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl) {
            i = len;
            break;
        }
        i = (size_t)(nl - text) + 1;
        line++;
    }
    for (; i < len && (line < from.line || (line == from.line && col < from.col)); i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    }
    while (i < len) {
        uint32_t c, v;
        int n = vb_utf8_decode(text + i, len - i, &c);
        if (n <= 0)
            n = 1, c = 0xFFFD;
        size_t used = 0;
        if (c == cp || (c == '&' && (((used = numref(text + i, len - i, &v)) && v == cp) ||
                                     (named_ref(text + i, len - i, &v, &used) && v == cp)))) {
            at->line = line;
            at->col = col;
            return true;
        }
        if (c == '\n')
            line++, col = 1;
        else
            col++;
        i += (size_t)n;
    }
    return false;
}

/* ---- the line pass ---- */

/* One line of a Markdown segment as given to cmark. */
typedef struct ppline {
    int src;      /* body line index; -1 for an inserted blank line */
    int strip;    /* leading bytes dropped from the body line */
    int ins;      /* byte offset in this line of an inserted '\\', or -1 */
    size_t start; /* offset of the line in the segment text */
    size_t len;
} ppline_t;

/* A "\landscape" or "\nolabel" line: how many blocks came before it, and where it is. */
typedef struct landmark {
    int nblocks;
    vb_pos_t pos;
    bool nolabel; /* "\nolabel", else "\landscape" */
} landmark_t;

/* A footnote definition "[^x]: text", cut out of the body by the line pass. */
typedef struct notedef {
    const char *label;
    size_t lablen;
    vb_buf_t text;           /* its lines joined by spaces (malloc'd) */
    vb_pos_t pos;         /* the "[^" */
    vb_pos_t tpos;        /* the text */
    bool used;
} notedef_t;

/* An aligned paragraph ("-> x <-", "-> x ->"): the body line it starts on. */
typedef struct alignmark {
    int line;
    vb_align_t align;
} alignmark_t;

typedef struct rd {
    vb_arena_t *arena;
    const char *source;
    int line0;
    const char *text;       /* the body */
    size_t *off;            /* nlines + 1: where each body line starts; off[nlines] is one past the end + 1 */
    int nlines;
    struct {                /* malloc'd while reading, copied to the arena at its exact size at the end */
        vb_block_t *v;
        int n, cap;
    } blocks;
    int64_t max_blocks;     /* more blocks is an error (see push_block) */
    int run_start;          /* the first body line added since the last point the body could be cut, or -1 */
    int64_t run_bytes;      /* bytes added since then */
    vb_buf_t seg;
    VB_VEC(ppline_t) map;
    bool seg_has_text;
    vb_buf_t prefix; /* marker text of a list item cmark still found */
    VB_VEC(landmark_t) land; /* "\landscape" and "\nolabel" lines, resolved to appendices at the end */
    VB_VEC(alignmark_t) align; /* marked paragraphs, in the order of their lines */
    VB_VEC(notedef_t) defs; /* footnote definitions "[^x]: text" */
    VB_VEC(vb_footnote_t) refs; /* footnotes in the order of first reference (text filled at the end) */
    vb_pos_t leaf_pos;      /* the block being read (a reference's position when cmark gives none) */
    const vb_limits_t *lim; /* resolved: every field set */
    const vb_loader_t *loader; /* the folders images may come from, besides the source's */
    int64_t image_pixels;   /* of the images read so far (the image-total-pixels limit) */
    bool line_paragraphs;   /* every line a paragraph (line_breaks: paragraphs) */
    bool tpl;               /* a template's body: a section tag alone on its line is a block (model.h) */
    vb_sink_t *warn;        /* Markdown that will not do what it looks like (md_pitfalls), and the errors after
                               the first (go_on); NULL: not looked for, and the first error ends the read */
    bool failed;            /* an error was reported through warn and the read went on (go_on) */
    vb_diag_t *d;
} rd_t;

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static size_t
lead_ws(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

static size_t
trim_end(const char *s, size_t n)
{
    while (n > 0 && (is_ws(s[n - 1]) || s[n - 1] == '\r'))
        n--;
    return n;
}

/* Body line idx and its length (without the '\n'). */
static const char *
line_at(const rd_t *r, int idx)
{
    return r->text + r->off[idx];
}

static size_t
line_len(const rd_t *r, int idx)
{
    return r->off[idx + 1] - r->off[idx] - 1;
}

static vb_pos_t
body_pos(const rd_t *r, int idx, size_t off)
{
    vb_pos_t p;
    if (off > line_len(r, idx))
        off = line_len(r, idx);
    p.line = r->line0 + idx;
    p.col = vb_utf8_chars(line_at(r, idx), off) + 1;
    return p;
}

/* A cmark position (1-based segment line, 1-based byte column) in the source. */
static vb_pos_t
seg_pos(const rd_t *r, int line, int col)
{
    vb_pos_t p = {0, 0};
    if (line < 1)
        line = 1;
    /* an inserted blank line has no source: use the next real one */
    while (line <= r->map.n && r->map.v[line - 1].src < 0)
        line++, col = 1;
    if (line > r->map.n)
        return p;
    const ppline_t *m = &r->map.v[line - 1];
    size_t off = col > 1 ? (size_t)(col - 1) : 0;
    if (m->ins >= 0 && off > (size_t)m->ins)
        off--;
    return body_pos(r, m->src, off + (size_t)m->strip);
}

/*
 * A template's line holding only the placeholder of a section tag (merge/tags.h):
 * U+100000.. U+10EFFF, then fillers U+10FFFC.
 */
static bool
tpl_line(const char *t, size_t tn)
{
    const unsigned char *u = (const unsigned char *)t;
    tn = trim_end(t, tn);
    if (tn < 8 || tn % 4 || u[0] != 0xF4 || u[1] > 0x8E)
        return false;
    for (size_t i = 4; i < tn; i += 4)
        if (memcmp(t + i, "\xF4\x8F\xBF\xBC", 4) != 0)
            return false;
    return true;
}

/* True for "-", "+", "*" or digits+"."/")" followed by a space, a tab or the line end. */
static int
list_marker(const char *s, size_t n)
{
    if (n == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+' || s[0] == '*')
        return (n == 1 || is_ws(s[1])) ? 0 : -1;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
        return -1;
    return (i + 1 == n || is_ws(s[i + 1])) ? (int)i : -1;
}

static bool
ends_at(const char *s, size_t n, size_t i)
{
    return i == n || (i < n && is_ws(s[i]));
}

/*
 * An administrative enumerator that CommonMark does not see as a list
 * marker, followed by a space, a tab or the line end: "a)" .. "y)" and "đ)",
 * "1.1." and deeper ("1.1)" too), Roman "I." or "I-" (I, V, X only),
 * "Điều 5.", "•", "–". Such a line starts a paragraph. "2.500 người" (a
 * number with a thousands dot) and "V. I. Lênin" written as "V\. I." are not.
 */
static bool
enumerator(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] == ')')
        return ends_at(s, n, 2);
    if (n >= 3 && !memcmp(s, "\xC4\x91)", 3)) /* đ) */
        return ends_at(s, n, 3);
    if (n >= 3 && (!memcmp(s, "\xE2\x80\xA2", 3) || !memcmp(s, "\xE2\x80\x93", 3))) /* • – */
        return ends_at(s, n, 3);
    /* digits in two or more groups: 1.1. 1.1.1. 1.1) */
    int groups = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        groups++;
        if (i < n && (s[i] == '.' || s[i] == ')') && ends_at(s, n, i + 1))
            return groups >= 2;
        if (i >= n || s[i] != '.')
            return false;
        i++;
    }
    if (groups)
        return false;
    /* Roman numerals */
    while (i < n && i < 6 && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X'))
        i++;
    if (i > 0 && i < n && (s[i] == '.' || s[i] == '-') && ends_at(s, n, i + 1)) /* "II." and the Party's "II-" */
        return true;
    /* "Điều 5." */
    static const char dieu[] = "\xC4\x90i\xE1\xBB\x81u ";
    size_t dl = sizeof dieu - 1;
    if (n > dl && !memcmp(s, dieu, dl)) {
        i = dl;
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        return j > i && j < n && s[j] == '.' && ends_at(s, n, j + 1);
    }
    return false;
}

/* "[^label]:" at s: the label and the offset of the text after the colon and spaces; 0 when none. */
static size_t
note_def(const char *s, size_t n, const char **label, size_t *lablen)
{
    if (n < 5 || s[0] != '[' || s[1] != '^')
        return 0;
    size_t i = 2;
    while (i < n && s[i] != ']' && s[i] != '^' && (unsigned char)s[i] > ' ')
        i++;
    if (i == 2 || i + 1 >= n || s[i] != ']' || s[i + 1] != ':')
        return 0;
    *label = s + 2;
    *lablen = i - 2;
    i += 2;
    return i + lead_ws(s + i, n - i);
}

/* A line of only '=' or only '-' (a setext underline in CommonMark). */
static bool
underline(const char *s, size_t n)
{
    n = trim_end(s, n);
    if (n == 0 || (s[0] != '=' && s[0] != '-'))
        return false;
    for (size_t i = 1; i < n; i++) {
        if (s[i] != s[0])
            return false;
    }
    return true;
}

/* The length of an opening code fence (``` or ~~~) at s, 0 when none. */
static size_t
fence_open(const char *s, size_t n, char *ch)
{
    if (n < 3 || (s[0] != '`' && s[0] != '~'))
        return 0;
    size_t i = 0;
    while (i < n && s[i] == s[0])
        i++;
    if (i < 3)
        return 0;
    if (s[0] == '`' && memchr(s + i, '`', n - i))
        return 0;
    *ch = s[0];
    return i;
}

static bool
fence_close(const char *s, size_t n, char ch, size_t flen)
{
    size_t i = 0;
    while (i < n && s[i] == ch)
        i++;
    return i >= flen && lead_ws(s + i, n - i) == n - i;
}

static int
add_ppline(rd_t *r, int src, int strip, int ins, const char *s, size_t n, const char *s2, size_t n2)
{
    ppline_t m;
    m.src = src;
    m.strip = strip;
    m.ins = ins;
    m.start = r->seg.n;
    m.len = n + n2;
    if (vb_buf_add(&r->seg, s, n) || (n2 && vb_buf_add(&r->seg, s2, n2)) || vb_buf_add(&r->seg, "\n", 1))
        return -1;
    if (VB_PUSH(r->arena, r->map, m))
        return -1;
    bool text = src >= 0 && lead_ws(s, n) + lead_ws(s2, n2) < n + n2;
    if (text)
        r->seg_has_text = true;
    if (src >= 0) {
        if (r->run_start < 0 && text)
            r->run_start = src;
        r->run_bytes += (int64_t)(n + n2 + 1);
    }
    return 0;
}

static bool
last_line_blank(const rd_t *r)
{
    if (r->map.n == 0)
        return true;
    const ppline_t *m = &r->map.v[r->map.n - 1];
    return lead_ws(r->seg.p + m->start, m->len) == m->len;
}

/*
 * The paragraph above an inserted blank line ends there, so a hard-break
 * backslash at its end would print as a backslash: it becomes a space.
 */
static void
drop_hard_break(rd_t *r)
{
    if (r->map.n == 0)
        return;
    const ppline_t *m = &r->map.v[r->map.n - 1];
    char *s = r->seg.p + m->start;
    size_t n = trim_end(s, m->len), bs = 0;
    while (bs < n && s[n - 1 - bs] == '\\')
        bs++;
    if (bs & 1)
        s[n - 1] = ' ';
}

/* ---- the tree walk ---- */

/*
 * Adds a block. More than max_blocks (40 a page of the pages limit: a page
 * holds about 30 body lines, and every block takes at least one) is an error
 * here, while the body is read, before the blocks cost layout memory: a
 * source of 16 MiB of one-letter paragraphs has 5.6 million of them.
 */
static vb_status_t
push_block(rd_t *r, vb_block_t *blk)
{
    if (r->blocks.n >= r->max_blocks)
        return vb_limit_fail(r->d, "layout.too-many-pages", r->source, blk->pos.line, blk->pos.col, "pages",
                             "The document has more than %lld paragraphs, headings, tables and page breaks, more "
                             "than %d a page for the %lld-page limit",
                             (long long)r->max_blocks, BLOCKS_PER_PAGE, (long long)r->lim->pages);
    if (r->blocks.n == r->blocks.cap) {
        int cap = r->blocks.cap ? r->blocks.cap * 2 : 64;
        vb_block_t *v = cap > r->blocks.cap ? realloc(r->blocks.v, sizeof *v * (size_t)cap) : NULL;
        if (!v)
            return vb_diag_nomem(r->d);
        r->blocks.v = v;
        r->blocks.cap = cap;
    }
    r->blocks.v[r->blocks.n++] = *blk;
    return VB_OK;
}

static vb_pos_t
node_pos(const rd_t *r, cmark_node *n)
{
    return seg_pos(r, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
}

/*
 * Numbers a footnote reference: the number of its label's first reference,
 * or the next number. -1 when out of memory.
 */
static int
note_ref(struct rd *r, const char *label, size_t n)
{
    for (int k = 0; k < r->refs.n; k++)
        if (strlen(r->refs.v[k].label) == n && !memcmp(r->refs.v[k].label, label, n))
            return k + 1;
    vb_footnote_t f;
    memset(&f, 0, sizeof f);
    f.label = vb_arena_strndup(r->arena, label, n);
    f.ref = r->leaf_pos; /* cmark gives no position inside a paragraph's text */
    if (!f.label || VB_PUSH(r->arena, r->refs, f))
        return -1;
    return r->refs.n;
}

/* The text of segment line `line` (1-based), NULL when out of range. */
static const char *
seg_line(const rd_t *r, int line, size_t *len)
{
    if (line < 1 || line > r->map.n)
        return NULL;
    *len = r->map.v[line - 1].len;
    return r->seg.p + r->map.v[line - 1].start;
}

static bool
md_punct(unsigned char c)
{
    return c < 0x80 && c > ' ' && !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
}

static bool
md_word(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/*
 * Markdown that will not do what it looks like, in the source lines of leaf n
 * (cmark's tree said it happened: stars left as text, an emphasis starting
 * with a digit), reported as warnings through r->warn (docs/paste.md):
 *  - md.stars-literal: "**Lưu ý:**đã". By CommonMark's flanking rules, stars
 *    after punctuation close only before a space or punctuation, and stars
 *    before punctuation open only after one; the stars are printed. Fix: the
 *    space (safe: it is what the clerk meant, and bold is what cmark then makes).
 *  - md.stars-italic: "2*3*4" prints 2, an italic 3, then 4. Fix: "2\*3\*4"
 *    (not safe: "2×3×4" may be what was meant; the message says so).
 */
static void
md_pitfalls(rd_t *r, cmark_node *n, bool stars, bool digits)
{
    int l0 = cmark_node_get_start_line(n), l1 = cmark_node_get_end_line(n);
    for (int L = l0; L <= l1 && L > 0; L++) {
        size_t len = 0;
        const char *s = seg_line(r, L, &len);
        if (!s)
            continue;
        for (size_t i = 0; i < len; i++) {
            if (stars && (s[i] == '*' || s[i] == '_') && i + 1 < len && s[i + 1] == s[i] &&
                (i + 2 >= len || s[i + 2] != s[i]) && (i == 0 || s[i - 1] != s[i])) {
                unsigned char before = i ? (unsigned char)s[i - 1] : ' ', after = i + 2 < len ? (unsigned char)s[i + 2] : ' ';
                bool closing = md_punct(before) && md_word(after);  /* ":**đã" cannot close */
                bool opening = md_word(before) && md_punct(after);  /* "đã**\"" cannot open */
                if (closing || opening) {
                    vb_pos_t p = seg_pos(r, L, (int)i + 1);
                    vb_range_t at = {p.line, p.col, p.line, p.col + 2};
                    char mark[3] = {s[i], s[i], 0}, fixt[4];
                    snprintf(fixt, sizeof fixt, closing ? "%s " : " %s", mark);
                    /* safe: the space is what makes the stars bold, and nothing else changes */
                    vb_fix_t fix = {fixt, closing ? VB_N_("a space after the stars") : VB_N_("a space before the stars"), true}; /* safe: the stars then do what they look like */
                    vb_report(r->warn, VB_SEVERITY_WARNING, VB_E_INPUT, "md.stars-literal", r->source, at, &fix,
                              closing ? VB_N_("These \"%s\" are printed as typed, not as bold: after punctuation, "
                                              "closing stars need a space (or punctuation) after them. Put a space "
                                              "after them.")
                                      : VB_N_("These \"%s\" are printed as typed, not as bold: before punctuation, "
                                              "opening stars need a space (or punctuation) before them. Put a space "
                                              "before them."),
                              mark);
                }
                i++;
                continue;
            }
            if (digits && s[i] == '*' && i > 0 && i + 1 < len && s[i - 1] >= '0' && s[i - 1] <= '9' &&
                s[i + 1] >= '0' && s[i + 1] <= '9') {
                /* the expression: digits and stars, from the number before the first star */
                size_t a = i, e = i;
                while (a > 0 && ((s[a - 1] >= '0' && s[a - 1] <= '9') || s[a - 1] == '.' || s[a - 1] == ','))
                    a--;
                int nstars = 0;
                while (e < len && ((s[e] >= '0' && s[e] <= '9') || s[e] == '*' || s[e] == '.' || s[e] == ','))
                    nstars += s[e++] == '*';
                while (e > i && !(s[e - 1] >= '0' && s[e - 1] <= '9'))
                    e--;
                if (nstars < 2) {
                    i = e;
                    continue;
                }
                char fixt[128];
                size_t k = 0;
                for (size_t j = a; j < e && k + 3 < sizeof fixt; j++) {
                    if (s[j] == '*')
                        fixt[k++] = '\\';
                    fixt[k++] = s[j];
                }
                fixt[k] = 0;
                vb_pos_t p = seg_pos(r, L, (int)a + 1);
                vb_range_t at = {p.line, p.col, p.line, p.col + (int)(e - a)};
                /* not safe: "2×3×4" may be what was meant */
                vb_fix_t fix = {fixt, VB_N_("the stars printed as typed"), false}; /* a guess: 2×3×4 may be meant */
                vb_report(r->warn, VB_SEVERITY_WARNING, VB_E_INPUT, "md.stars-italic", r->source, at, &fix,
                          "\"%.*s\" prints the number between the stars in italics, without the stars. For a "
                          "multiplication write \"×\"; to keep the stars, write \\* for each.",
                          (int)(e - a), s + a);
                i = e;
            }
        }
    }
}

/* The letter at s is a capital (Latin, Vietnamese): a line that starts a sentence. */
static bool
starts_capital(const char *s, size_t len)
{
    uint32_t cp;
    int k = (unsigned char)s[0] < 0x80 ? (cp = (unsigned char)s[0], 1) : vb_utf8_decode(s, len, &cp);
    if (k <= 0)
        return false;
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDD && cp != 0xD7) || cp == 0x102 || cp == 0x110 ||
           cp == 0x128 || cp == 0x168 || cp == 0x1A0 || cp == 0x1AF || (cp >= 0x1EA0 && cp <= 0x1EF8 && !(cp & 1));
}

/* The line starts with a number or a mark as headings and items do: "1.", "2)", "IV.", "a)", "- ", "+ ". */
static bool
numbered(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\\'))
        i++;
    if (i + 1 < len && strchr("-+*", s[i]) && s[i + 1] == ' ')
        return true;
    size_t k = i;
    while (k < len && ((s[k] >= '0' && s[k] <= '9') || strchr("IVXLC", s[k])))
        k++;
    if (k == i && k < len && s[k] >= 'a' && s[k] <= 'z')
        k++;
    else if (k == i && k + 1 < len && (unsigned char)s[k] == 0xC4 && (unsigned char)s[k + 1] == 0x91)
        k += 2; /* đ) */
    while (k < len && s[k] == '\\')
        k++; /* the reader's own escape of a marker, "1\." */
    return k > i && k + 1 < len && (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ';
}

/*
 * md.joined-lines: two lines of a paragraph that look like two paragraphs, the
 * first ending a sentence (". ; : ! ?") or numbered as a heading or an item
 * ("1. Tình hình chung"), and the second starting with a capital. Clerks type one paragraph a line, as Word pastes them, and
 * Markdown joins lines until an empty one, so "- Lệ phí: theo quy định." and
 * "Trong quá trình thực hiện, ..." would print as one paragraph. Once a
 * paragraph (the first such line), a warning with the empty line as the fix
 * (not safe: a sentence may go on over lines on purpose); none under
 * "line_breaks: paragraphs", where every line is a paragraph.
 */
static void
joined_lines(rd_t *r, cmark_node *n)
{
    int l0 = cmark_node_get_start_line(n), l1 = cmark_node_get_end_line(n);
    for (int L = l0; L < l1 && L > 0; L++) {
        size_t len = 0, len2 = 0;
        const char *s = seg_line(r, L, &len), *t = seg_line(r, L + 1, &len2);
        if (!s || !t)
            return;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
        size_t i = 0;
        while (i < len2 && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (!len || i >= len2 || !(strchr(".;:!?", s[len - 1]) || numbered(s, len)) || !starts_capital(t + i, len2 - i))
            continue;
        vb_pos_t p = seg_pos(r, L + 1, (int)i + 1);
        vb_range_t at = {p.line, p.col, p.line, p.col}; /* a point: the fix inserts the empty line there */
        vb_fix_t fix = {"\n", VB_N_("an empty line before it: a paragraph of its own"), false};
        vb_report(r->warn, VB_SEVERITY_WARNING, VB_E_INPUT, "md.joined-lines", r->source, at, &fix,
                  "This line is printed as part of the paragraph above it: the lines of a paragraph join until "
                  "an empty line. If it starts a new paragraph, leave an empty line before it; if every line of "
                  "the text is a paragraph (text pasted from Word), add \"line_breaks: paragraphs\" to the front "
                  "matter.");
        return;
    }
}

/*
 * A paragraph or heading from a cmark leaf with inline children, or from a
 * literal (code, HTML block, thematic break), with the pending list marker
 * text in front.
 */
static vb_status_t
leaf_block(rd_t *r, cmark_node *n, vb_block_kind_t kind, int level, const char *lit, size_t litlen, bool nl_break)
{
    ib_t b;
    memset(&b, 0, sizeof b);
    b.arena = r->arena;
    if (r->prefix.n) {
        ib_text(&b, r->prefix.p, r->prefix.n, VB_FACE_REGULAR, false);
        ib_text(&b, " ", 1, VB_FACE_REGULAR, false);
        r->prefix.n = 0;
    }
    b.max_depth = r->lim->nesting;
    b.rd = r;
    r->leaf_pos = node_pos(r, n);
    if (lit)
        ib_text_lit(&b, lit, litlen, VB_FACE_REGULAR, nl_break);
    else
        walk_inlines(&b, n, false);
    if (r->warn && (b.lit_stars || b.digit_emph))
        md_pitfalls(r, n, b.lit_stars, b.digit_emph);
    if (r->warn && b.soft && kind == VB_BLOCK_PARA && !r->line_paragraphs)
        joined_lines(r, n);
    vb_block_t blk;
    memset(&blk, 0, sizeof blk);
    vb_status_t st = ib_finish(&b, &blk.text, r->d);
    if (st != VB_OK)
        return st;
    if (b.too_deep) {
        vb_pos_t pos = cmark_node_get_start_line(b.too_deep) > 0 ? node_pos(r, b.too_deep) : node_pos(r, n);
        return vb_limit_fail(r->d, "markdown.too-deep", r->source, pos.line, pos.col, "nesting",
                             "Emphasis is nested more than %lld deep here", (long long)r->lim->nesting);
    }
    if (kind == VB_BLOCK_PARA && blk.text.n == 0)
        return VB_OK; /* nothing visible: an image without text, an empty HTML comment line */
    blk.kind = kind;
    blk.level = level;
    blk.pos = node_pos(r, n);
    int idx = blk.pos.line - r->line0;
    if (!lit && r->align.n) {
        /* the marks are in line order: the last one at or before idx */
        int lo = 0, hi = r->align.n;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (r->align.v[mid].line <= idx)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && r->align.v[lo - 1].line == idx)
            blk.align = r->align.v[lo - 1].align;
    }
    return push_block(r, &blk);
}

/* Takes the marker text of a list item cmark found (inside a block quote) from its source line. */
static vb_status_t
item_marker(rd_t *r, cmark_node *item)
{
    int line = cmark_node_get_start_line(item);
    size_t len;
    const char *s = seg_line(r, line, &len);
    if (!s)
        return VB_OK;
    size_t from = (size_t)(cmark_node_get_start_column(item) - 1);
    size_t to = len;
    cmark_node *child = cmark_node_first_child(item);
    if (child && cmark_node_get_start_line(child) == line)
        to = (size_t)(cmark_node_get_start_column(child) - 1);
    if (from > len)
        from = len;
    if (to > len || to < from)
        to = len;
    from += lead_ws(s + from, to - from);
    to = from + trim_end(s + from, to - from);
    if (r->prefix.n && vb_buf_add(&r->prefix, " ", 1))
        return vb_diag_nomem(r->d);
    if (vb_buf_add(&r->prefix, s + from, to - from))
        return vb_diag_nomem(r->d);
    return VB_OK;
}

/* The image node when a paragraph holds one image and nothing else (blank text aside), else NULL. */
static cmark_node *
lone_image(cmark_node *para)
{
    cmark_node *img = NULL;
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_IMAGE && !img) {
            img = c;
            continue;
        }
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            continue;
        const char *lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
        if (lit && lit[strspn(lit, " \t")] == 0)
            continue;
        return NULL;
    }
    return img;
}

/*
 * An image block: ![alternative text](file.png "40mm"). The file is relative
 * to the source's folder; the title, when given, is the printed width. The
 * file is read and checked now (image.c), so a problem is reported here. It
 * must lie in the source's folder or a folder the caller allowed (base.c,
 * vb_loader_resolve); any other is image.outside, whether it exists or not.
 */
static vb_status_t
image_block(rd_t *r, cmark_node *img)
{
    vb_pos_t pos = node_pos(r, img);
    const char *url = cmark_node_get_url(img);
    const char *title = cmark_node_get_title(img);
    if (!url || !*url)
        return vb_diag_set(r->d, VB_E_INPUT, "markdown.image", r->source, pos.line, pos.col,
                           "The image has no file name: write ![text](file.png).");
    const char *slash = strrchr(r->source, '/');
    char *path = url[0] == '/' || !slash ? vb_arena_strdup(r->arena, url)
                                         : vb_arena_printf(r->arena, "%.*s/%s", (int)(slash - r->source), r->source, url);
    vb_image_t *im = VB_NEW(r->arena, vb_image_t);
    if (!path || !im)
        return vb_diag_nomem(r->d);
    char *real = NULL;
    int err = 0;
    switch (vb_loader_resolve(r->loader, r->source, url, r->arena, &real, &err)) {
    case VB_RES_NOMEM:
        return vb_diag_nomem(r->d);
    case VB_RES_OUTSIDE:
        return vb_diag_set(r->d, VB_E_INPUT, "image.outside", r->source, pos.line, pos.col,
                           "The image %s is outside the folders a document may read from: its own folder, the "
                           "layouts folder and those given with --allow-dir.",
                           url);
    case VB_RES_MISSING:
        return vb_diag_set(r->d, VB_E_INPUT, "image.read", r->source, pos.line, pos.col,
                           "Cannot read the image %s: %s.", path, strerror(err));
    case VB_RES_INSIDE:
        break;
    }
    vb_status_t st = vb_image_read(r->arena, real, path, r->source, pos.line, pos.col, r->lim, &r->image_pixels, im, r->d);
    if (st != VB_OK)
        return st;
    if (title && *title && (!vb_parse_length(title, strlen(title), &im->width) || im->width <= 0))
        return vb_diag_set(r->d, VB_E_INPUT, "markdown.image-size", r->source, pos.line, pos.col,
                           "The image's title \"%s\" is not a width such as \"40mm\".", title);
    /* the alternative text: the image's text children */
    ib_t b;
    memset(&b, 0, sizeof b);
    b.arena = r->arena;
    walk_inlines(&b, img, false);
    vb_inline_t alt = {NULL, 0};
    st = ib_finish(&b, &alt, r->d);
    if (st != VB_OK)
        return st;
    size_t n = 0;
    for (int i = 0; i < alt.n; i++)
        n += alt.spans[i].len;
    char *a = vb_arena_alloc(r->arena, n + 1);
    if (!a)
        return vb_diag_nomem(r->d);
    for (int i = 0, o = 0; i < alt.n; o += (int)alt.spans[i].len, i++)
        memcpy(a + o, alt.spans[i].text, alt.spans[i].len);
    im->alt = a;
    vb_block_t blk;
    memset(&blk, 0, sizeof blk);
    blk.kind = VB_BLOCK_IMAGE;
    blk.image = im;
    blk.pos = pos;
    return push_block(r, &blk);
}

/*
 * An error of the source in one block or table (VB_E_INPUT, no limit, no
 * memory), when the read has a sink: reported now, so that the blocks after it
 * are read for their own errors and a clerk sees every mistake in one run; the
 * read fails in the end (r->failed). False, and *st as it was, otherwise.
 */
static bool
go_on(rd_t *r, vb_status_t *st)
{
    if (*st != VB_E_INPUT || !r->warn || r->d->code != VB_E_INPUT)
        return false;
    vb_sink_take(r->warn, r->d);
    memset(r->d, 0, sizeof *r->d);
    r->failed = true;
    *st = VB_OK;
    return true;
}

static vb_status_t
walk_doc(rd_t *r, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    if (!it)
        return vb_diag_nomem(r->d);
    vb_status_t st = VB_OK;
    cmark_event_type ev;
    int64_t depth = 0; /* block quotes and list items open around the node */
    while (st == VB_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        bool container = t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM;
        if (ev == CMARK_EVENT_EXIT) {
            depth -= container;
            /* an item holding only its marker ("-" alone) */
            if (t == CMARK_NODE_ITEM && r->prefix.n)
                st = leaf_block(r, n, VB_BLOCK_PARA, 0, "", 0, false);
            continue;
        }
        if (container && ++depth > r->lim->nesting) {
            vb_pos_t pos = node_pos(r, n);
            st = vb_limit_fail(r->d, "markdown.too-deep", r->source, pos.line, pos.col, "nesting",
                               "Block quotes and list items are nested more than %lld deep here",
                               (long long)r->lim->nesting);
            break;
        }
        switch (t) {
        case CMARK_NODE_ITEM:
            st = item_marker(r, n);
            break;
        case CMARK_NODE_PARAGRAPH: {
            cmark_node *img = lone_image(n);
            st = img ? image_block(r, img) : leaf_block(r, n, VB_BLOCK_PARA, 0, NULL, 0, false);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
        case CMARK_NODE_HEADING:
            st = leaf_block(r, n, VB_BLOCK_HEADING, cmark_node_get_heading_level(n), NULL, 0, false);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_CODE_BLOCK: {
            /* its lines stay lines: one paragraph with hard breaks */
            const char *lit = cmark_node_get_literal(n);
            st = leaf_block(r, n, VB_BLOCK_PARA, 0, lit ? lit : "", lit ? strlen(lit) : 0, true);
            break;
        }
        case CMARK_NODE_HTML_BLOCK: {
            const char *lit = cmark_node_get_literal(n);
            st = leaf_block(r, n, VB_BLOCK_PARA, 0, lit ? lit : "", lit ? strlen(lit) : 0, false);
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK: {
            size_t len = 0;
            const char *s = seg_line(r, cmark_node_get_start_line(n), &len);
            st = leaf_block(r, n, VB_BLOCK_PARA, 0, s ? s : "", s ? len : 0, false);
            break;
        }
        default:
            break;
        }
        go_on(r, &st);
    }
    cmark_iter_free(it);
    return st;
}

/* Parses the Markdown collected so far (if any visible text) and starts a new segment. */
static vb_status_t
flush_segment(rd_t *r)
{
    vb_status_t st = VB_OK;
    if (r->seg_has_text) {
        /* no CMARK_OPT_SMART: "...", "--" and quotes stay as typed */
        protect_escapes(r->seg.p, r->seg.n);
        cmark_node *doc = cmark_parse_document(r->seg.p, r->seg.n, CMARK_OPT_DEFAULT);
        if (!doc)
            return vb_diag_nomem(r->d);
        r->prefix.n = 0;
        st = walk_doc(r, doc);
        cmark_node_free(doc);
    }
    r->seg.n = 0;
    r->map.n = 0;
    r->seg_has_text = false;
    r->run_start = -1;
    r->run_bytes = 0;
    return st;
}

static bool
table_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    return i < n && s[i] == '|';
}

static vb_status_t
split_lines(rd_t *r, const char *text, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    if (len > 0 && text[len - 1] != '\n')
        n++;
    /* one offset a line (a source of blank lines has 16 million of them) */
    r->text = text;
    r->off = VB_NEWN(r->arena, size_t, n + 1);
    if (!r->off)
        return vb_diag_nomem(r->d);
    size_t s = 0;
    int k = 0;
    while (s < len) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        r->off[k++] = s;
        s = e + 1;
    }
    r->off[k] = s; /* one past the last line's '\n', or past the end + 1 when it has none */
    r->nlines = k;
    return VB_OK;
}

/*
 * Cutting the body into segments of bounded size. cmark builds the tree of a
 * whole segment before vanban reads it (about 200 bytes a node, and a
 * paragraph's every line is two nodes), so a body parsed in one piece took
 * gigabytes for 16 MiB of one-letter paragraphs. Once a segment has
 * SEG_SPLIT_BYTES, it is parsed and freed at the next line where nothing cmark
 * could still have open spans the cut: a blank line, a line that starts a
 * paragraph (where the pass would insert a blank line) or an ATX heading,
 * outside fenced code, "->" paragraphs and the HTML blocks that outlive a
 * blank line (types 1-5, "<!--", "<?", "<!X", "<![CDATA[", "<pre", "<script",
 * "<style", "<textarea"; a heading also waits for the end of the others).
 * Top-level lists cannot be open (their markers are escaped) and a block
 * quote ends at a blank line, so the blocks are the same whole or in pieces.
 * The one difference: a link reference definition ("[x]: url") is seen only
 * in its own segment, as it already was across tables and page breaks.
 *
 * Text that runs on with no such line (a paragraph, a block quote, fenced
 * code, an HTML block) is one paragraph in vanban's model; more than
 * RUN_BYTES_PER_CHAR bytes for each character the paragraph-chars limit
 * allows is refused as it is read, before cmark holds its nodes.
 */
#define SEG_SPLIT_BYTES ((int64_t)64 << 10)
#define RUN_BYTES_PER_CHAR 8

typedef enum html_state {
    HTML_NONE = 0,
    HTML_UNTIL_BLANK, /* types 6 and 7 (and any other line starting with '<', to be safe): to a blank line */
    HTML_UNTIL_END    /* types 1-5: to a line holding the end marker */
} html_state_t;

/* Case-insensitive search for the ASCII needle in s[0..n). */
static bool
has_ci(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && (s[i + k] | 0x20) == (needle[k] | 0x20))
            k++;
        if (k == m)
            return true;
    }
    return false;
}

/*
 * The HTML block a top-level line starting with '<' opens: its state and, for
 * types 1-5, the end marker (searched from after the opener, so the block is
 * never thought closed before cmark closes it).
 */
static html_state_t
html_open(const char *t, size_t tn, const char **end, size_t *from)
{
    static const char *const type1[] = {"<script", "<pre", "<style", "<textarea"};
    for (size_t k = 0; k < sizeof type1 / sizeof type1[0]; k++) {
        size_t m = strlen(type1[k]);
        if (tn >= m && has_ci(t, m, type1[k]) && (tn == m || t[m] == ' ' || t[m] == '\t' || t[m] == '>')) {
            *end = NULL; /* any of </script> </pre> </style> </textarea> */
            *from = m;
            return HTML_UNTIL_END;
        }
    }
    if (tn >= 4 && !memcmp(t, "<!--", 4))
        return *end = "-->", *from = 4, HTML_UNTIL_END;
    if (tn >= 2 && !memcmp(t, "<?", 2))
        return *end = "?>", *from = 2, HTML_UNTIL_END;
    if (tn >= 9 && !memcmp(t, "<![CDATA[", 9))
        return *end = "]]>", *from = 9, HTML_UNTIL_END;
    if (tn >= 2 && t[1] == '!')
        return *end = ">", *from = 2, HTML_UNTIL_END;
    return HTML_UNTIL_BLANK;
}

static bool
html_closes(const char *s, size_t n, const char *end)
{
    if (end)
        return has_ci(s, n, end);
    return has_ci(s, n, "</script>") || has_ci(s, n, "</pre>") || has_ci(s, n, "</style>") ||
           has_ci(s, n, "</textarea>");
}

/* An ATX heading line: 1 to 6 '#' and then a space, a tab or the line end. */
static bool
atx_heading(const char *t, size_t tn)
{
    size_t i = 0;
    while (i < tn && i < 7 && t[i] == '#')
        i++;
    return i >= 1 && i <= 6 && ends_at(t, tn, i);
}

/* At a line where the body may be cut: parses the segment when it is large, and starts a new run. */
static vb_status_t
cut_point(rd_t *r)
{
    r->run_start = -1;
    r->run_bytes = 0;
    return (int64_t)r->seg.n >= SEG_SPLIT_BYTES ? flush_segment(r) : VB_OK;
}

/* The run since the last cut point is longer than any paragraph may be. */
static vb_status_t
run_too_long(rd_t *r)
{
    vb_pos_t pos = body_pos(r, r->run_start >= 0 ? r->run_start : 0, 0);
    return vb_limit_fail(r->d, "paragraph.too-long", r->source, pos.line, pos.col, "paragraph-chars",
                         "The text from here runs on for more than %lld bytes without a blank line (one "
                         "paragraph, block quote or code block), too long for a paragraph of at most %lld "
                         "characters",
                         (long long)r->lim->paragraph_chars * RUN_BYTES_PER_CHAR, (long long)r->lim->paragraph_chars);
}

/* The line pass described at the top: segments, tables, page breaks. */
static vb_status_t
read_lines(rd_t *r)
{
    vb_status_t st = VB_OK;
    char fch = 0;
    size_t flen = 0; /* > 0 inside a fenced code block */
    bool in_def = false;     /* continuation lines of a footnote definition */
    bool align_open = false; /* inside a "->" paragraph */
    int align_line = 0;
    vb_pos_t align_pos = {0, 0};
    bool after_align = false; /* the line before ended a "->" paragraph */
    bool after_tpl = false;   /* the line before was a template's section tag alone (tpl_line) */
    html_state_t html = HTML_NONE;
    const char *html_end = NULL;
    int64_t max_run = r->lim->paragraph_chars * RUN_BYTES_PER_CHAR;
    r->run_start = -1;
    for (int i = 0; i < r->nlines && st == VB_OK; i++) {
        if (r->run_bytes > max_run)
            return run_too_long(r);
        const char *s = line_at(r, i);
        size_t n = line_len(r, i);
        size_t ws = lead_ws(s, n);
        const char *t = s + ws;
        size_t tn = n - ws;

        if (flen) {
            if (fence_close(t, tn, fch, flen)) {
                flen = 0;
                if (add_ppline(r, i, (int)ws, -1, t, tn, NULL, 0))
                    return vb_diag_nomem(r->d);
            } else if (add_ppline(r, i, 0, -1, s, n, NULL, 0)) {
                return vb_diag_nomem(r->d);
            }
            continue;
        }
        if (table_line(s, n)) {
            int j = i;
            while (j < r->nlines && table_line(line_at(r, j), line_len(r, j)))
                j++;
            st = flush_segment(r);
            go_on(r, &st);
            if (st != VB_OK)
                break;
            html = HTML_NONE;
            vb_block_t blk;
            memset(&blk, 0, sizeof blk);
            blk.kind = VB_BLOCK_TABLE;
            /* the table's lines as tablesrc.c takes them (only here: the body keeps one offset a line) */
            const char **tl = malloc(sizeof *tl * (size_t)(j - i));
            size_t *tlen = malloc(sizeof *tlen * (size_t)(j - i));
            if (!tl || !tlen) {
                free(tl);
                free(tlen);
                return vb_diag_nomem(r->d);
            }
            for (int k = i; k < j; k++) {
                tl[k - i] = line_at(r, k);
                tlen[k - i] = line_len(r, k);
            }
            st = vb_read_table_lim(r->arena, tl, tlen, j - i, r->source, r->line0 + i, r->lim, &blk.table, r->d);
            free(tl);
            free(tlen);
            if (go_on(r, &st)) {
                i = j - 1; /* the table at fault, said; the lines after it are read */
                continue;
            }
            if (st != VB_OK)
                break;
            blk.pos = blk.table->pos;
            st = push_block(r, &blk);
            i = j - 1;
            continue;
        }
        if (trim_end(t, tn) == 10 && memcmp(t, "\\pagebreak", 10) == 0) {
            st = flush_segment(r);
            go_on(r, &st);
            if (st != VB_OK)
                break;
            vb_block_t blk;
            memset(&blk, 0, sizeof blk);
            blk.kind = VB_BLOCK_PAGEBREAK;
            blk.pos = body_pos(r, i, ws);
            st = push_block(r, &blk);
            html = HTML_NONE;
            continue;
        }
        bool nolabel = trim_end(t, tn) == 8 && memcmp(t, "\\nolabel", 8) == 0;
        if (nolabel || (trim_end(t, tn) == 10 && memcmp(t, "\\landscape", 10) == 0)) {
            /* flushed first, so that the blocks before it are counted */
            st = flush_segment(r);
            go_on(r, &st);
            if (st != VB_OK)
                break;
            landmark_t lm = {r->blocks.n, body_pos(r, i, ws), nolabel};
            if (VB_PUSH(r->arena, r->land, lm))
                return vb_diag_nomem(r->d);
            html = HTML_NONE;
            continue;
        }
        if ((flen = fence_open(t, tn, &fch)) > 0) {
            if (add_ppline(r, i, (int)ws, -1, t, tn, NULL, 0))
                return vb_diag_nomem(r->d);
            continue;
        }
        bool blank = lead_ws(t, tn) == tn;
        /* where cmark's HTML blocks are, to know where the body may be cut (see SEG_SPLIT_BYTES) */
        html_state_t html_before = html;
        if (html == HTML_UNTIL_END) {
            if (html_closes(t, tn, html_end))
                html = HTML_NONE;
        } else if (html == HTML_UNTIL_BLANK) {
            if (blank)
                html = HTML_NONE;
        } else if (tn && t[0] == '<') {
            size_t from = 0;
            html = html_open(t, tn, &html_end, &from);
            if (html == HTML_UNTIL_END && html_closes(t + from, tn - from, html_end))
                html = HTML_NONE;
        }
        if (!align_open && !in_def && html_before != HTML_UNTIL_END &&
            (blank || (html_before == HTML_NONE && atx_heading(t, tn)))) {
            st = cut_point(r);
            if (st != VB_OK)
                break;
        }
        /* a footnote definition and its continuation lines leave the text */
        const char *label;
        size_t lablen, toff;
        if (!align_open && (toff = note_def(t, tn, &label, &lablen)) > 0) {
            notedef_t nd;
            memset(&nd, 0, sizeof nd);
            nd.label = label;
            nd.lablen = lablen;
            nd.pos = body_pos(r, i, ws);
            nd.tpos = body_pos(r, i, ws + toff);
            if (VB_PUSH(r->arena, r->defs, nd) || vb_buf_add(&r->defs.v[r->defs.n - 1].text, t + toff, tn - toff))
                return vb_diag_nomem(r->d);
            in_def = !r->line_paragraphs;
            /* the paragraph above ends here */
            if (!last_line_blank(r)) {
                drop_hard_break(r);
                if (add_ppline(r, -1, 0, -1, "", 0, NULL, 0))
                    return vb_diag_nomem(r->d);
            }
            continue;
        }
        if (in_def) {
            if (!blank) {
                vb_buf_t *b = &r->defs.v[r->defs.n - 1].text;
                if (vb_buf_add(b, " ", 1) || vb_buf_add(b, t, tn))
                    return vb_diag_nomem(r->d);
                continue;
            }
            in_def = false;
        }
        /* "-> centred <-" and "-> right ->" paragraphs */
        bool was_open = align_open, align_start = false, closed = false;
        if (align_open && (blank || (tn >= 2 && t[0] == '-' && t[1] == '>' && ends_at(t, tn, 2))))
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.align-unclosed", r->source, align_pos.line, align_pos.col,
                               "This \"->\" paragraph has no end mark: end its last line with \" <-\" (centred) or "
                               "\" ->\" (right-aligned).");
        if (!align_open && tn >= 2 && t[0] == '-' && t[1] == '>' && ends_at(t, tn, 2)) {
            align_open = true;
            align_start = true;
            align_line = i;
            align_pos = body_pos(r, i, ws);
            size_t k = 2 + lead_ws(t + 2, tn - 2);
            ws += k;
            t += k;
            tn -= k;
        }
        if (align_open) {
            size_t e = trim_end(t, tn);
            if (e >= 2 && (!memcmp(t + e - 2, "<-", 2) || !memcmp(t + e - 2, "->", 2)) &&
                (e == 2 || is_ws(t[e - 3]))) {
                alignmark_t am = {align_line, t[e - 2] == '<' ? VB_ALIGN_CENTER : VB_ALIGN_RIGHT};
                if (VB_PUSH(r->arena, r->align, am))
                    return vb_diag_nomem(r->d);
                tn = trim_end(t, e - 2);
                align_open = false;
                closed = true;
            }
        }
        int mk = list_marker(t, tn);
        bool tl = r->tpl && !was_open && tpl_line(t, tn);
        bool starts = align_start || (!was_open && !blank &&
                                      (mk >= 0 || underline(t, tn) || enumerator(t, tn) || after_align ||
                                       r->line_paragraphs || tl || after_tpl));
        after_tpl = tl;
        if (starts && html_before != HTML_UNTIL_END && !was_open) {
            /* the paragraph above ends here (an inserted blank line): the body may be cut */
            if (html == HTML_UNTIL_BLANK)
                html = HTML_NONE;
            if ((int64_t)r->seg.n >= SEG_SPLIT_BYTES)
                drop_hard_break(r);
            st = cut_point(r);
            if (st != VB_OK)
                break;
        }
        if (starts && !last_line_blank(r)) {
            drop_hard_break(r);
            if (add_ppline(r, -1, 0, -1, "", 0, NULL, 0))
                return vb_diag_nomem(r->d);
        }
        after_align = closed;
        int rc;
        if (mk >= 0) {
            /* "1. x" becomes "1\. x": the same text, but never a list item */
            vb_buf_t line = {0};
            rc = vb_buf_add(&line, t, (size_t)mk) || vb_buf_add(&line, "\\", 1);
            if (!rc)
                rc = add_ppline(r, i, (int)ws, mk, line.p, line.n, t + mk, tn - (size_t)mk);
            vb_buf_free(&line);
        } else {
            rc = add_ppline(r, i, (int)ws, -1, t, tn, NULL, 0);
        }
        if (rc)
            return vb_diag_nomem(r->d);
    }
    if (st == VB_OK && r->run_bytes > max_run)
        return run_too_long(r);
    if (st == VB_OK && align_open) {
        st = vb_diag_set(r->d, VB_E_INPUT, "markdown.align-unclosed", r->source, align_pos.line, align_pos.col,
                         "This \"->\" paragraph has no end mark: end its last line with \" <-\" (centred) or "
                         "\" ->\" (right-aligned).");
        if (!go_on(r, &st))
            return st;
    }
    if (st == VB_OK)
        st = flush_segment(r);
    go_on(r, &st);
    if (st == VB_OK && r->failed)
        st = VB_E_INPUT; /* every error said through the sink (go_on) */
    return st;
}

/* ---- appendices ---- */

/* Walks the characters of an inline's spans, whatever their faces. */
typedef struct cursor {
    const vb_inline_t *in;
    int k;
    size_t i;
} cursor_t;

/* Next code point, ASCII and "Ụ" folded to lower case; 0 at the end. */
static uint32_t
next_folded(cursor_t *c)
{
    while (c->k < c->in->n && c->i >= c->in->spans[c->k].len) {
        c->k++;
        c->i = 0;
    }
    if (c->k >= c->in->n)
        return 0;
    const vb_span_t *sp = &c->in->spans[c->k];
    uint32_t cp = 0;
    int n = vb_utf8_decode(sp->text + c->i, sp->len - c->i, &cp);
    if (n <= 0) {
        c->i++;
        return 0xFFFD;
    }
    c->i += (size_t)n;
    if (cp >= 'A' && cp <= 'Z')
        cp += 32;
    if (cp == 0x1EE4) /* Ụ -> ụ; the text is NFC, so this is its only form */
        cp = 0x1EE5;
    return cp;
}

/* "PHỤ LỤC", "Phụ lục", any case, at the start of a level-1 heading's text. */
static bool
appendix_label(const vb_block_t *b)
{
    if (b->kind != VB_BLOCK_HEADING || b->level != 1)
        return false;
    static const uint32_t want[] = {'p', 'h', 0x1EE5, ' ', 'l', 0x1EE5, 'c'};
    cursor_t c = {&b->text, 0, 0};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        uint32_t cp = next_folded(&c);
        if (want[w] == ' ' ? (cp != ' ' && cp != '\n') : cp != want[w])
            return false;
    }
    /* "PHỤ LỤC 1", "Phụ lục:", "PHỤ LỤC" alone; not "Phụ lụcx" */
    uint32_t cp = next_folded(&c);
    return cp < 0x80 && !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
}

static vb_status_t
split_appendices(rd_t *r, vb_model_t *m)
{
    vb_block_t *v = r->blocks.v;
    int n = r->blocks.n;
    int i = 0;
    while (i < n && !appendix_label(&v[i]))
        i++;
    m->body.v = v;
    m->body.n = i;
    int na = 0;
    for (int k = i; k < n; k++)
        na += appendix_label(&v[k]);
    m->appendices = NULL;
    m->nappendices = 0;
    if (na == 0)
        return VB_OK;
    m->appendices = VB_NEWN(r->arena, vb_appendix_t, na);
    if (!m->appendices)
        return vb_diag_nomem(r->d);
    while (i < n) {
        vb_appendix_t *ap = &m->appendices[m->nappendices++];
        ap->label = v[i].text;
        ap->pos = v[i].pos;
        i++;
        int t0 = i;
        while (i < n && v[i].kind == VB_BLOCK_HEADING && v[i].level == 1 && !appendix_label(&v[i]))
            i++;
        ap->ntitle = i - t0;
        if (ap->ntitle) {
            ap->title = VB_NEWN(r->arena, vb_inline_t, ap->ntitle);
            if (!ap->title)
                return vb_diag_nomem(r->d);
            for (int k = 0; k < ap->ntitle; k++)
                ap->title[k] = v[t0 + k].text;
        }
        int b0 = i;
        while (i < n && !appendix_label(&v[i]))
            i++;
        ap->blocks.v = v + b0;
        ap->blocks.n = i - b0;
    }
    return VB_OK;
}

/*
 * Gives each "\landscape" and "\nolabel" line to the appendix it stands in:
 * the one whose label is the last block before it. Before the first appendix
 * label it stands in the main text, where it is an error. An appendix
 * printed without its label must have a title of its own (a label typed with
 * its title on one line has none: that title would be lost).
 */
static vb_status_t
place_marks(rd_t *r, vb_model_t *m)
{
    for (int k = 0; k < r->land.n; k++) {
        const landmark_t *lm = &r->land.v[k];
        vb_appendix_t *owner = NULL;
        for (int a = 0; a < m->nappendices; a++) {
            /* the label block's index in the block vector */
            int label = (int)(m->appendices[a].blocks.v - r->blocks.v) - m->appendices[a].ntitle - 1;
            if (label < lm->nblocks)
                owner = &m->appendices[a];
        }
        if (!owner && lm->nolabel)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.nolabel", r->source, lm->pos.line, lm->pos.col,
                               "\\nolabel belongs inside an appendix (under its \"# PHỤ LỤC\" heading); the main "
                               "text has no label.");
        if (!owner)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.landscape", r->source, lm->pos.line, lm->pos.col,
                               "\\landscape belongs inside an appendix (after its \"# PHỤ LỤC\" heading); the main "
                               "text is always portrait.");
        if (lm->nolabel && owner->ntitle == 0)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.nolabel", r->source, lm->pos.line, lm->pos.col,
                               "\\nolabel prints the appendix without its label line, and this appendix has no "
                               "title line to print instead: write the title as its own \"# \" heading under "
                               "the label.");
        if (lm->nolabel)
            owner->nolabel = true;
        else
            owner->landscape = true;
    }
    return VB_OK;
}

/*
 * Gives every referenced footnote its definition's text, in the order of
 * first reference. A reference without a definition, a label defined twice,
 * an empty definition and a definition never referred to are errors at
 * their positions (a note that is never printed would be lost silently).
 */
static vb_status_t
resolve_notes(rd_t *r, vb_model_t *m)
{
    for (int a = 0; a < r->defs.n; a++) {
        notedef_t *da = &r->defs.v[a];
        for (int b = 0; b < a; b++) {
            const notedef_t *db = &r->defs.v[b];
            if (db->lablen == da->lablen && !memcmp(db->label, da->label, da->lablen))
                return vb_diag_set(r->d, VB_E_INPUT, "markdown.footnote-duplicate", r->source, da->pos.line,
                                   da->pos.col, "The footnote [^%.*s] is defined a second time here (first on line %d).",
                                   (int)da->lablen, da->label, db->pos.line);
        }
    }
    for (int k = 0; k < r->refs.n; k++) {
        vb_footnote_t *f = &r->refs.v[k];
        size_t n = strlen(f->label);
        notedef_t *def = NULL;
        for (int a = 0; a < r->defs.n && !def; a++)
            if (r->defs.v[a].lablen == n && !memcmp(r->defs.v[a].label, f->label, n))
                def = &r->defs.v[a];
        if (!def)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.footnote-undefined", r->source, f->ref.line, f->ref.col,
                               "The footnote [^%s] has no definition: add a line \"[^%s]: text of the note\".",
                               f->label, f->label);
        def->used = true;
        f->pos = def->pos;
        vb_status_t st = vb_md_inline(r->arena, def->text.p ? def->text.p : "", def->text.n, &f->text, r->d);
        if (st != VB_OK)
            return st;
        if (f->text.n == 0)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.footnote-empty", r->source, def->pos.line, def->pos.col,
                               "The footnote [^%s] has no text.", f->label);
    }
    for (int a = 0; a < r->defs.n; a++)
        if (!r->defs.v[a].used)
            return vb_diag_set(r->d, VB_E_INPUT, "markdown.footnote-unused", r->source, r->defs.v[a].pos.line,
                               r->defs.v[a].pos.col,
                               "The footnote [^%.*s] is defined but never referred to: put [^%.*s] in the text "
                               "where it belongs, or delete the definition (footnotes work in paragraphs and "
                               "headings, not in tables).",
                               (int)r->defs.v[a].lablen, r->defs.v[a].label, (int)r->defs.v[a].lablen,
                               r->defs.v[a].label);
    m->notes = r->refs.v;
    m->nnotes = r->refs.n;
    return VB_OK;
}

vb_status_t
vb_read_markdown(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0, vb_model_t *model,
                 vb_diag_t *d)
{
    return vb_read_markdown_lim(arena, text, len, source, line0, NULL, model, d);
}

vb_status_t
vb_read_markdown_lim(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                     const vb_limits_t *lim, vb_model_t *model, vb_diag_t *d)
{
    return vb_read_markdown_ex(arena, text, len, source, line0, lim, NULL, model, d);
}

vb_status_t
vb_read_markdown_ex(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                    const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model, vb_diag_t *d)
{
    return vb_read_markdown_sink(arena, text, len, source, line0, lim, loader, model, NULL, d);
}

vb_status_t
vb_read_markdown_sink(vb_arena_t *arena, const char *text, size_t len, const char *source, int line0,
                      const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model, vb_sink_t *warn,
                      vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    rd_t r;
    memset(&r, 0, sizeof r);
    r.arena = arena;
    r.lim = lim;
    r.loader = loader;
    r.source = source;
    r.line0 = line0 > 0 ? line0 : 1;
    r.d = d;
    r.warn = warn;
    model->body.v = NULL;
    model->body.n = 0;
    model->appendices = NULL;
    model->nappendices = 0;
    r.line_paragraphs = model->meta.line_paragraphs;
    r.tpl = model->template_body;
    model->notes = NULL;
    model->nnotes = 0;
    r.max_blocks = lim->pages > INT32_MAX / BLOCKS_PER_PAGE ? INT32_MAX : lim->pages * BLOCKS_PER_PAGE;
    /* a character reference standing for a character no document may hold, before cmark decodes it */
    vb_status_t st = vb_md_check_refs(text, len, source, r.line0, 1, false, d);
    if (st == VB_OK)
        st = split_lines(&r, text, len);
    if (st == VB_OK)
        st = read_lines(&r);
    /* the blocks at their exact size in the arena (the malloc'd vector grew by doubling) */
    vb_block_t *heap = r.blocks.v;
    if (st == VB_OK && r.blocks.n) {
        vb_block_t *v = VB_NEWN(arena, vb_block_t, r.blocks.n);
        if (!v)
            st = vb_diag_nomem(d);
        else
            memcpy(v, heap, sizeof *v * (size_t)r.blocks.n);
        r.blocks.v = v;
    }
    free(heap);
    if (st == VB_OK)
        st = resolve_notes(&r, model);
    if (st == VB_OK)
        st = split_appendices(&r, model);
    if (st == VB_OK)
        st = place_marks(&r, model);
    vb_buf_free(&r.seg);
    vb_buf_free(&r.prefix);
    for (int k = 0; k < r.defs.n; k++)
        vb_buf_free(&r.defs.v[k].text);
    return st;
}
