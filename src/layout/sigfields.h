/*
 * sigfields.h - the fields of a signed-ready PDF, from the layout.
 *
 * Issue 12: an empty signature field per signer in the gap between the post
 * and the name (the signature box), the body's seal field over its left part,
 * one at the top right of each appendix's first page, and text fields over
 * the gaps of a number or a date left blank until issuance. Where they go
 * comes from the display list (boxes, the gaps' glyphs); names, labels and
 * sizes from the profile's `signing:`.
 */
#ifndef VB_SIGFIELDS_H
#define VB_SIGFIELDS_H

#include "dlist.h"
#include "profile.h"

/*
 * Fills dl->fields (in dl->arena) from dl's boxes and runs and the profile's
 * signing settings; none when the profile has no `signing:`. nappendices is
 * the model's count: the last nappendices level-1 outline entries are the
 * appendices' first pages. Call after vb_dlist_own. 0 fields is no error.
 */
vb_status_t vb_sign_fields(vb_dlist_t *dl, const vb_profile_t *p, int nappendices, vb_diag_t *d);

#endif
