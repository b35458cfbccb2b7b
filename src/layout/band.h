/*
 * band.h - setting the profile's bands (band.c): the header, the title block, the
 * closing block, the footers and the appendix header, as chunks of the page flow.
 */
#ifndef VB_BAND_H
#define VB_BAND_H

#include "chunk.h"

/* Sets a band as one chunk. appendix may be NULL. */
vb_status_t vb_band_layout(vb_lctx_t *lc, const vb_band_t *band, vb_chunk_t **out, vb_diag_t *d);

/*
 * Sets a band of the page flow as chunks that a page may break between, at
 * baselines where no line of any column is cut: between the lines of a list
 * item (inside an entry only as widows and orphans allow) and after a list.
 * Everything else (the kind and title, the signer block) stays in one chunk.
 * *first and *last are the first and the last chunk (NULL when the band is
 * absent); every chunk gets pos.
 */
vb_status_t vb_band_flow(vb_lctx_t *lc, const vb_band_t *band, vb_pos_t pos, vb_chunk_t **first, vb_chunk_t **last,
                         vb_diag_t *d);

#endif
