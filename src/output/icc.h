/*
 * icc.h - the sRGB ICC profile of a PDF/A output intent (pdf.c), made by
 * Little CMS (lcms2), the one module that uses it.
 */
#ifndef VB_ICC_H
#define VB_ICC_H

#include <stddef.h>

#include "base.h"

/*
 * An sRGB IEC 61966-2.1 display profile, ICC version 4.2 (the version PDF
 * 1.7 and PDF/A-2 name), as malloc'd bytes in *out (*len of them; about 600).
 * The same bytes on every call: the header's creation date, which lcms2 sets
 * from the clock, is fixed.
 */
vb_status_t vb_icc_srgb(unsigned char **out, size_t *len, vb_diag_t *d);

#endif
