/*
 * icc.c - the sRGB ICC profile of a PDF/A output intent, made in memory by
 * Little CMS 2 (cmsCreate_sRGBProfile, cmsSaveProfileToMem): no profile file
 * is read from the system. The only user of lcms2.
 */
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "icc.h"

vb_status_t
vb_icc_srgb(unsigned char **out, size_t *len, vb_diag_t *d)
{
    *out = NULL;
    *len = 0;
    cmsContext ctx = cmsCreateContext(NULL, NULL); /* our own: no state shared with other threads */
    cmsHPROFILE h = ctx ? cmsCreate_sRGBProfileTHR(ctx) : NULL;
    unsigned char *p = NULL;
    cmsUInt32Number n = 0;
    bool ok = h != NULL;
    if (ok) {
        cmsSetProfileVersion(h, 4.2);
        ok = cmsSaveProfileToMem(h, NULL, &n) && n > 128 && (p = malloc(n)) && cmsSaveProfileToMem(h, p, &n);
    }
    if (h)
        cmsCloseProfile(h);
    if (ctx)
        cmsDeleteContext(ctx);
    if (!ok) {
        free(p);
        return vb_diag_set(d, VB_E_PDF, "pdf.icc", NULL, 0, 0, "The sRGB colour profile could not be made.");
    }
    /* bytes 24-35: the creation date (six big-endian 16-bit numbers), lcms2's clock; fixed so a render is
       reproducible: 1998-02-09 06:49:00, the date of the IEC 61966-2.1 profile everyone ships */
    static const unsigned char date[12] = {0x07, 0xce, 0, 2, 0, 9, 0, 6, 0, 49, 0, 0};
    memcpy(p + 24, date, sizeof date);
    *out = p;
    *len = n;
    return VB_OK;
}
