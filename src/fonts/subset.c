/*
 * subset.c - font subsetting for the PDF writer (the only hb-subset user).
 *
 * The content streams address glyphs by their original ids (CID = GID with
 * CIDToGIDMap /Identity), so the subset keeps glyph ids (RETAIN_GIDS): unused
 * glyphs become empty and the font shrinks to the used outlines, plus the
 * components of composite glyphs, which hb-subset adds itself (libharu 2.3.0's
 * own subsetter lost nested components, see the feasibility notes §1).
 *
 * A PDF viewer draws glyphs by id and never shapes, so the layout tables are
 * dropped; the cmap is emptied for the same reason. Hinting (fpgm, prep, cvt
 * and glyph instructions) is dropped unless asked for: it is half of the
 * embedded bytes, printing never uses it, and most viewers (pdf.js, Chrome,
 * Acrobat, MuPDF) ignore it on screen.
 */
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#include "subset.h"

/* Tables a PDF consumer never reads; hb-subset's default drop list already holds more. */
static const hb_tag_t drop_tables[] = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
    HB_TAG('M', 'A', 'T', 'H'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
    HB_TAG('k', 'e', 'r', 'x'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('f', 'e', 'a', 't'),
    HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'), HB_TAG('h', 'd', 'm', 'x'),
    HB_TAG('P', 'C', 'L', 'T'),
};

vb_status_t
vb_subset_font(const vb_font_t *f, const uint32_t *gids, int n, bool hinting, unsigned char **data, size_t *len,
               vb_diag_t *d)
{
    *data = NULL;
    *len = 0;
    hb_face_t *face = (hb_face_t *)vb_font_hb_face(f);
    const char *path = vb_font_info(f)->path;
    if (!face)
        return vb_diag_set(d, VB_E_FONT, "font.subset", path, 0, 0, "The font has no face to subset.");

    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return vb_diag_nomem(d);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0);
    for (int i = 0; i < n; i++)
        hb_set_add(glyphs, gids[i]);
    hb_set_clear(hb_subset_input_unicode_set(in));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop_tables / sizeof drop_tables[0]; i++)
        hb_set_add(drop, drop_tables[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | (hinting ? 0 : HB_SUBSET_FLAGS_NO_HINTING));
    if (!hb_set_allocation_successful(glyphs) || !hb_set_allocation_successful(drop)) {
        hb_subset_input_destroy(in);
        return vb_diag_nomem(d);
    }

    hb_face_t *sub = hb_subset_or_fail(face, in);
    hb_subset_input_destroy(in);
    if (!sub)
        return vb_diag_set(d, VB_E_FONT, "font.subset", path, 0, 0, "The font file %s could not be subset for embedding in the PDF: it is damaged "
                           "or of a kind HarfBuzz cannot subset. Install it again or use another font.",
                           path);

    /* For a subset face the blob is built (serialised) on this call. */
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned int blen = 0;
    const char *bytes = hb_blob_get_data(blob, &blen);
    vb_status_t st = VB_OK;
    if (!bytes || blen == 0) {
        st = vb_diag_set(d, VB_E_FONT, "font.subset", path, 0, 0, "hb-subset produced an empty font.");
    } else {
        unsigned char *copy = malloc(blen);
        if (!copy) {
            st = vb_diag_nomem(d);
        } else {
            memcpy(copy, bytes, blen);
            *data = copy;
            *len = blen;
        }
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return st;
}
