/*
 * test_icc.c - the sRGB profile of a PDF/A output intent (icc.c): an ICC
 * display profile for RGB with the XYZ connection space, version 4.2, its
 * size field equal to its length, the same bytes on every call (the
 * creation date fixed), and lcms2 reading it back as an RGB profile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "icc.h"

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int
main(void)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    CHECK_INT(vb_icc_srgb(&a, &na, &d), VB_OK);
    CHECK_INT(vb_icc_srgb(&b, &nb, &d), VB_OK);
    CHECK(a && b && na > 128 && na < 4096);
    if (a && b && na > 128) {
        CHECK_INT(be32(a), na);
        CHECK(!memcmp(a + 12, "mntr", 4)); /* a display device profile */
        CHECK(!memcmp(a + 16, "RGB ", 4));
        CHECK(!memcmp(a + 20, "XYZ ", 4));
        CHECK(!memcmp(a + 36, "acsp", 4));
        CHECK_INT(a[8], 4);    /* version 4.2 */
        CHECK_INT(a[9], 0x20);
        CHECK_INT(a[24] << 8 | a[25], 1998); /* the fixed creation date */
        CHECK(na == nb && !memcmp(a, b, na));
        /* the tags a matrix/TRC RGB profile needs */
        uint32_t ntags = be32(a + 128);
        const char *need[] = {"rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC", "wtpt", "desc", "cprt"};
        int found = 0;
        for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
            for (uint32_t t = 0; t < ntags && 132 + 12 * t + 12 <= na; t++)
                if (!memcmp(a + 132 + 12 * t, need[k], 4)) {
                    found++;
                    break;
                }
        CHECK_INT(found, (int)(sizeof need / sizeof need[0]));
    }
    free(a);
    free(b);
    return check_done();
}
