/*
 * fuzz_source.c - a whole source through the readers: UTF-8 and NFC
 * (vb_text_prepare), the front matter and the Markdown body
 * (vb_read_source), then the model's text dump. The input is the source as a
 * user would write it; no option bytes.
 */
#include "fuzz.h"
#include "input.h"

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
        if (!text || strlen(text) != tlen)
            abort(); /* the prepared text is NUL-terminated and NUL-free */
        vb_model_t model;
        memset(&model, 0, sizeof model);
        rc = vb_read_source(arena, text, tlen, "fuzz.md", &model, &d);
        fuzz_check(rc, &d, "vb_read_source");
        if (rc == VB_OK) {
            char *dump = NULL;
            size_t dlen = 0;
            if (vb_model_dump(&model, &dump, &dlen) != VB_OK)
                abort();
            free(dump);
        }
    }
    vb_arena_free(arena);
    return 0;
}
