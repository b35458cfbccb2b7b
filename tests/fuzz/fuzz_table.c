/*
 * fuzz_table.c - one pipe table (vb_read_table): the input split into lines
 * at '\n', as input_md.c hands a table's lines over. The text is made valid
 * UTF-8 and NFC first (vb_text_prepare), as every reader's input is, and only
 * table lines are kept: input_md.c passes a run of lines that start with '|'
 * after at most three spaces, and vb_read_table relies on it.
 */
#include "fuzz.h"
#include "input.h"

/* A bound on lines keeps each run fast; the reader has its own limits as well. */
#define MAX_LINES 512

FUZZ_NO_INITIALIZE

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vb_arena_t *arena = fuzz_arena();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    char *text = NULL;
    size_t tlen = 0;
    vb_status_t rc = vb_text_prepare(arena, (const char *)data, size, "fuzz.md", &text, &tlen, &d);
    fuzz_check(rc, &d, "vb_text_prepare");
    if (rc == VB_OK) {
        static const char *lines[MAX_LINES];
        static size_t lens[MAX_LINES];
        int n = 0;
        for (size_t i = 0; i < tlen && n < MAX_LINES;) {
            const char *nl = memchr(text + i, '\n', tlen - i);
            size_t len = nl ? (size_t)(nl - (text + i)) : tlen - i;
            size_t b = 0;
            while (b < len && b < 3 && text[i + b] == ' ')
                b++;
            if (b < len && text[i + b] == '|') {
                lines[n] = text + i;
                lens[n] = len;
                n++;
            }
            i += len + (nl ? 1 : 0);
        }
        if (n == 0) {
            vb_arena_free(arena);
            return 0;
        }
        vb_table_t *t = NULL;
        memset(&d, 0, sizeof d);
        rc = vb_read_table(arena, lines, lens, n, "fuzz.md", 3, &t, &d);
        fuzz_check(rc, &d, "vb_read_table");
        if ((rc == VB_OK) != (t != NULL))
            abort();
    }
    vb_arena_free(arena);
    return 0;
}
