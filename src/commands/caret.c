/*
 * caret.c - a diagnostic's source line with a caret under its column, as
 * `vanban watch` (and `vanban render` on a terminal, or with --show-source)
 * prints it below the diagnostic's own line:
 *
 *   196-BC-DUK.md:4:7: error: The date 2026-13-01 is not a day of the calendar. [date.invalid]
 *       4 | date: 2026-13-01
 *         |       ^~~~~~~~~~
 *
 * A "^~~~" covers the range when the diagnostic has one (to the end of the
 * line when the range goes on to later lines). Columns count characters as
 * typed; the caret is placed by display width (a combining mark takes none,
 * a tab stays a tab), so it sits under the character on a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* The code point at p (n bytes left) and its length; a broken sequence is one byte. */
static unsigned
decode(const unsigned char *p, size_t n, size_t *len)
{
    unsigned c = p[0];
    size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (k > n)
        k = 1;
    if (k > 1) {
        c &= 0x3Fu >> (k - 1);
        for (size_t j = 1; j < k; j++) {
            if ((p[j] & 0xC0) != 0x80) {
                *len = 1;
                return p[0];
            }
            c = c << 6 | (p[j] & 0x3Fu);
        }
    }
    *len = k;
    return c;
}

static bool
combining(unsigned c)
{
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200B || c == 0x200D;
}

/*
 * Appends to buf (at *o) the filler for the characters [from, to) of line
 * (len bytes): a tab for a tab, else `fill` once per display column.
 */
static void
pad(const char *line, size_t len, int from, int to, char fill, char *buf, size_t size, size_t *o)
{
    size_t i = 0;
    for (int ch = 1; i < len && ch < to; ch++) {
        size_t k;
        unsigned c = decode((const unsigned char *)line + i, len - i, &k);
        i += k;
        if (ch < from || combining(c))
            continue;
        if (*o + 2 < size)
            buf[(*o)++] = c == '\t' && fill == ' ' ? '\t' : fill;
    }
    buf[*o < size ? *o : size - 1] = 0;
}

void
format_diag_source(const vb_diag_t *d, const char *text, size_t len, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = 0;
    if (!d || !text || d->line < 1 || d->col < 1)
        return;
    const char *p = text, *end = text + len;
    for (int l = 1; l < d->line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (p >= end && d->line > 1)
        return;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r')
        n--;
    /* the line itself, its control characters (but tabs) shown as spaces so that it stays one line */
    int w = snprintf(buf, size, "%5d | ", d->line);
    size_t o = w > 0 && (size_t)w < size ? (size_t)w : size - 1;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        unsigned char c = (unsigned char)p[i];
        buf[o++] = c < 0x20 && c != '\t' ? ' ' : c == 0x7F ? ' ' : (char)c;
    }
    if (o + 1 < size)
        buf[o++] = '\n';
    w = snprintf(buf + o, size - o, "      | ");
    o += w > 0 && (size_t)w < size - o ? (size_t)w : 0;
    pad(p, n, 1, d->col, ' ', buf, size, &o);
    if (o + 2 < size)
        buf[o++] = '^';
    int to = d->end_line == d->line && d->end_col > d->col + 1 ? d->end_col
             : d->end_line > d->line                           ? 1 << 30
                                                               : 0;
    if (to)
        pad(p, n, d->col + 1, to, '~', buf, size, &o);
    buf[o < size ? o : size - 1] = 0;
}

/* The text of the file a diagnostic names, read once and kept for the next one of the same file. */
static char *cached_name, *cached_text;
static size_t cached_len;

void
print_diag_source(FILE *f, const vb_diag_t *d)
{
    if (!d || !d->source[0] || d->line < 1 || d->col < 1)
        return;
    if (!cached_name || strcmp(cached_name, d->source)) {
        free(cached_name);
        vb_free(cached_text);
        cached_name = cached_text = NULL;
        void *data = NULL;
        size_t len = 0;
        vb_diag_t ignored;
        if (vb_file_load(d->source, &data, &len, &ignored) != VB_OK || len > (64u << 20)) {
            vb_free(data);
            return;
        }
        cached_name = strdup(d->source);
        cached_text = data;
        cached_len = len;
        if (!cached_name) {
            vb_free(data);
            cached_text = NULL;
            return;
        }
    }
    char buf[4096];
    format_diag_source(d, cached_text, cached_len, buf, sizeof buf);
    if (buf[0])
        fprintf(f, "%s\n", buf);
}

void
forget_diag_sources(void)
{
    free(cached_name);
    vb_free(cached_text);
    cached_name = cached_text = NULL;
    cached_len = 0;
}
