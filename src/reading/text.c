/*
 * text.c - source bytes to clean text; the only utf8proc user.
 *
 * Owns: checking that a source is UTF-8 a typesetter can use, and Unicode
 * normalisation. Everything after this module may assume valid UTF-8 in NFC,
 * '\n' line ends, no NUL and no control character but tab and '\n'.
 *
 * Why NFC and never NFKC: Vietnamese typed on different keyboards arrives
 * either precomposed ("ệ" as U+1EC7) or decomposed (e + U+0323 + U+0302);
 * fonts and search want one form, and NFC is the one both PDF text extraction
 * and the official fonts expect. NFKC would also rewrite compatibility
 * characters the author chose (superscripts, "ﬁ"), which is not ours to do.
 *
 * Positions in diagnostics are 1-based lines and columns counted in code
 * points of the input as given (a dropped BOM is not counted; a tab is one
 * column), so an editor's "go to line:column" lands on the bad byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "input.h"

/*
 * Copies a malloc'd utf8proc result into the arena and frees it, so that no
 * caller ever holds utf8proc's memory.
 */
static vb_status_t
to_arena(vb_arena_t *arena, utf8proc_uint8_t *res, utf8proc_ssize_t n, char **out, size_t *out_len, vb_diag_t *d)
{
    char *s = vb_arena_strndup(arena, (const char *)res, (size_t)n);
    free(res);
    if (!s)
        return vb_diag_nomem(d);
    *out = s;
    if (out_len)
        *out_len = (size_t)n;
    return VB_OK;
}

/*
 * True when NFC cannot change s: every code point is in a range that holds no
 * combining mark, no canonical singleton and nothing excluded from
 * composition (ASCII, Latin-1 to the spacing modifiers, the precomposed
 * Vietnamese letters of Latin Extended Additional, dashes and quotes). Almost
 * every Vietnamese document typed in NFC passes, and skips utf8proc's full
 * decompose-and-recompose, the most expensive step of reading a source.
 */
static bool
nfc_stable(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int n = vb_utf8_decode(s + i, len - i, &cp);
        if (n <= 0)
            return false;
        if (!((cp >= 0xA0 && cp < 0x300) || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2010 && cp < 0x2070)))
            return false;
        i += (size_t)n;
    }
    return true;
}

/* Runs NFC over a valid UTF-8 buffer; the result goes to the arena. */
static vb_status_t
nfc(vb_arena_t *arena, const char *s, size_t len, char **out, size_t *out_len, vb_diag_t *d)
{
    utf8proc_uint8_t *res = NULL;
    if (len == 0 || nfc_stable(s, len)) {
        *out = vb_arena_strndup(arena, s, len);
        if (out_len)
            *out_len = len;
        return *out ? VB_OK : vb_diag_nomem(d);
    }
    if (len == 0) {
        *out = vb_arena_strndup(arena, "", 0);
        if (out_len)
            *out_len = 0;
        return *out ? VB_OK : vb_diag_nomem(d);
    }
    /* COMPOSE without COMPAT is NFC; STABLE keeps the result stable across Unicode versions. */
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        free(res);
        if (n == UTF8PROC_ERROR_NOMEM)
            return vb_diag_nomem(d);
        return vb_diag_set(d, VB_E_INPUT, "utf8.invalid", NULL, 0, 0, "The text is not valid UTF-8 (%s).",
                           utf8proc_errmsg(n));
    }
    return to_arena(arena, res, n, out, out_len, d);
}

vb_status_t
vb_text_nfc(vb_arena_t *arena, const char *s, size_t len, char **out, size_t *out_len, vb_diag_t *d)
{
    return nfc(arena, s, len, out, out_len, d);
}

/*
 * Characters no document may hold, however they are written (typed, as a
 * Markdown character reference, as a YAML escape): the C0 controls but tab,
 * line feed and carriage return (a line end), DEL, the C1 controls, the
 * surrogates (not characters), the 66 noncharacters, code points past
 * U+10FFFF, and the bidirectional controls (marks, embeddings, overrides,
 * isolates), which would make the order a reader sees differ from the order
 * the text is stored and copied in. Returns the phrase naming cp's class
 * ("the control character U+0007") in buf, or NULL when cp is allowed.
 */
const char *
vb_char_refused(uint32_t cp, char *buf, size_t size, const char **id)
{
    const char *what = NULL, *cls = "utf8.control";
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F))
        what = "the control character U+%04X";
    else if (cp >= 0xD800 && cp <= 0xDFFF)
        what = "U+%04X, a UTF-16 surrogate, which is not a character", cls = "utf8.invalid";
    else if (cp > 0x10FFFF)
        what = "U+%04X, which is past the last Unicode character (U+10FFFF)", cls = "utf8.invalid";
    else if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        what = "U+%04X, a noncharacter, which cannot be printed", cls = "utf8.noncharacter";
    else if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
             (cp >= 0x2066 && cp <= 0x2069))
        what = "the bidirectional control U+%04X, which would reorder the text unseen (vanban prints text in "
               "the order it is written)",
        cls = "utf8.bidi";
    if (!what)
        return NULL;
    snprintf(buf, size, what, (unsigned)cp);
    if (id)
        *id = cls;
    return buf;
}

vb_status_t
vb_char_check(vb_diag_t *d, const char *source, int line, int col, const char *lead, uint32_t cp)
{
    char buf[160];
    const char *id = NULL;
    const char *what = vb_char_refused(cp, buf, sizeof buf, &id);
    if (!what)
        return VB_OK;
    return vb_diag_set(d, VB_E_INPUT, id, source, line, col, "%s %s.", lead, what);
}

vb_status_t
vb_text_prepare(vb_arena_t *arena, const char *src, size_t len, const char *source, char **out, size_t *out_len,
                vb_diag_t *d)
{
    *out = NULL;
    if (out_len)
        *out_len = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        i = 3;

    /* Line ends only shrink (CRLF to LF), so len bytes are enough. */
    char *buf = malloc(len + 1);
    if (!buf)
        return vb_diag_nomem(d);
    size_t k = 0;
    int line = 1, col = 1;
    vb_status_t st = VB_OK;
    while (i < len) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r') {
            buf[k++] = '\n';
            i += (i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
            line++;
            col = 1;
            continue;
        }
        if (c == '\n') {
            buf[k++] = '\n';
            i++;
            line++;
            col = 1;
            continue;
        }
        if (c == 0) {
            st = vb_diag_set(d, VB_E_INPUT, "utf8.nul", source, line, col, "The text contains a NUL byte.");
            break;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)src + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || !utf8proc_codepoint_valid(cp)) {
            st = vb_diag_set(d, VB_E_INPUT, "utf8.invalid", source, line, col,
                             "The text is not valid UTF-8 (byte 0x%02X); save the file as UTF-8.", (unsigned)c);
            break;
        }
        /* C0 except tab, DEL and C1 (invisible, and no font draws them), noncharacters, bidi controls */
        if (cp >= 0x20 && cp < 0x7F)
            ;
        else if ((st = vb_char_check(d, source, line, col, "The text contains", (uint32_t)cp)) != VB_OK)
            break;
        memcpy(buf + k, src + i, (size_t)n);
        k += (size_t)n;
        i += (size_t)n;
        col++;
    }
    if (st == VB_OK)
        st = nfc(arena, buf, k, out, out_len, d);
    free(buf);
    return st;
}

/*
 * s in capitals (a style's `uppercase`): each code point's simple uppercase
 * mapping (utf8proc), then NFC again; "đã ký" gives "ĐÃ KÝ". The result is in
 * arena; NULL when memory is exhausted.
 */
char *
vb_text_upper(vb_arena_t *arena, const char *s, size_t len, size_t *out_len)
{
    char *up = vb_arena_alloc(arena, len * 4 + 1);
    if (!up)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { /* never in prepared text: kept as it is */
            up[o++] = s[i++];
            continue;
        }
        o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)up + o);
        i += (size_t)n;
    }
    char *out = NULL;
    if (nfc(arena, up, o, &out, out_len, NULL) != VB_OK)
        return NULL;
    return out;
}
