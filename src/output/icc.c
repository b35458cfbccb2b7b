/*
 * icc.c - the sRGB ICC profile of a PDF/A output intent, made in memory by
 * Little CMS 2 (cmsCreate_sRGBProfile, cmsSaveProfileToMem): no profile file
 * is read from the system. The only user of lcms2.
 *
 * lcms2 is opened (dlopen) only when a PDF/A is written: linked, it was
 * loaded and relocated by every render, 0.5 M instructions of the seed
 * report's 65 M, for a profile few documents ask for.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <lcms2.h>

#include "icc.h"

/* the Debian 12 runtime of liblcms2-dev (liblcms2-2) */
#define LCMS2_SONAME "liblcms2.so.2"

typedef struct lcms {
    cmsContext (*create_context)(void *plugin, void *user);
    void (*delete_context)(cmsContext ctx);
    cmsHPROFILE (*srgb)(cmsContext ctx);
    void (*set_version)(cmsHPROFILE h, cmsFloat64Number v);
    cmsBool (*save)(cmsHPROFILE h, void *mem, cmsUInt32Number *bytes);
    cmsBool (*close)(cmsHPROFILE h);
} lcms_t;

/* lcms2's calls from the library opened at lib; false when one is missing. */
static bool
lcms_calls(void *lib, lcms_t *l)
{
    *(void **)&l->create_context = dlsym(lib, "cmsCreateContext");
    *(void **)&l->delete_context = dlsym(lib, "cmsDeleteContext");
    *(void **)&l->srgb = dlsym(lib, "cmsCreate_sRGBProfileTHR");
    *(void **)&l->set_version = dlsym(lib, "cmsSetProfileVersion");
    *(void **)&l->save = dlsym(lib, "cmsSaveProfileToMem");
    *(void **)&l->close = dlsym(lib, "cmsCloseProfile");
    return l->create_context && l->delete_context && l->srgb && l->set_version && l->save && l->close;
}

vb_status_t
vb_icc_srgb(unsigned char **out, size_t *len, vb_diag_t *d)
{
    *out = NULL;
    *len = 0;
    void *lib = dlopen(LCMS2_SONAME, RTLD_NOW | RTLD_LOCAL);
    lcms_t l;
    if (!lib || !lcms_calls(lib, &l)) {
        if (lib)
            dlclose(lib);
        return vb_diag_set(d, VB_E_PDF, "pdf.icc", NULL, 0, 0,
                           "The sRGB colour profile of a PDF/A needs Little CMS 2 (%s, Debian's liblcms2-2).",
                           LCMS2_SONAME);
    }
    cmsContext ctx = l.create_context(NULL, NULL); /* our own: no state shared with other threads */
    cmsHPROFILE h = ctx ? l.srgb(ctx) : NULL;
    unsigned char *p = NULL;
    cmsUInt32Number n = 0;
    bool ok = h != NULL;
    if (ok) {
        l.set_version(h, 4.2);
        ok = l.save(h, NULL, &n) && n > 128 && (p = malloc(n)) && l.save(h, p, &n);
    }
    if (h)
        l.close(h);
    if (ctx)
        l.delete_context(ctx);
    dlclose(lib);
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
