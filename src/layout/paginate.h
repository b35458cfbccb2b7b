/*
 * paginate.h - placing the chunks on pages (paginate.c): the breaks, page
 * numbers, footnotes at the foot of their page, duplex margins.
 */
#ifndef VB_PAGINATE_H
#define VB_PAGINATE_H

#include "chunk.h"

/* Places lc->chunks on pages of dl, with page numbers and outline entries. */
vb_status_t vb_paginate(vb_lctx_t *lc, vb_dlist_t *dl, vb_diag_t *d);

#endif
