/*
 * table.h - setting tables (table.c): column widths, merged cells, rows as
 * chunks of the page flow, head rows repeated.
 */
#ifndef VB_TABLE_H
#define VB_TABLE_H

#include "chunk.h"

/*
 * The narrowest a table can be set: every column as wide as its widest word
 * (for choosing landscape pages: a table that cannot fit even so needs them).
 */
vb_status_t vb_table_min_width(vb_lctx_t *lc, const vb_table_t *t, int64_t *width, vb_diag_t *d);

/* Sets a table as chunks appended to lc->chunks (one per row, head rows repeated). */
vb_status_t vb_table_layout(vb_lctx_t *lc, const vb_table_t *t, vb_diag_t *d);

#endif
