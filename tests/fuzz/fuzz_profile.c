/*
 * fuzz_profile.c - a layout profile (vb_profile_parse): the YAML reader
 * (yamltree.c) and every key's validation in profile.c.
 */
#include "fuzz.h"
#include "profile.h"

FUZZ_NO_INITIALIZE

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vb_arena_t *arena = fuzz_arena();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_profile_t *p = NULL;
    vb_status_t rc = vb_profile_parse(arena, (const char *)data, size, "fuzz.yaml", &p, &d);
    fuzz_check(rc, &d, "vb_profile_parse");
    if ((rc == VB_OK) != (p != NULL))
        abort();
    vb_arena_free(arena);
    return 0;
}
