/*
 * limit.h - every bound vanban puts on one render, with its reason.
 *
 * Owns: the defaults of vb_limits_t (vanban.h), their names (used in the
 * messages and by the CLI's --limit NAME=N), resolving a caller's options
 * (0 = the default) and the one shape of a limit error:
 *
 *   doc.md:14:1: error: This table has more than 50000 cells; raise the limit
 *   with --limit table-cells=N. [table.too-many-cells]
 *
 * A limit turns what would be exhaustion (memory, time) into a clear error at
 * the place it is crossed. The defaults are far above any real official
 * document and low enough that a render within all of them stays within about
 * a gigabyte and a minute. Where each one is enforced:
 *
 *   name               default    enforced in    id
 *   source-bytes       16 MiB     engine.c       source.too-large
 *   frontmatter-bytes  64 KiB     frontmatter.c  frontmatter.too-large
 *   pages              5000       paginate.c     layout.too-many-pages
 *                                 layout.c       (a lower bound on the pages, while laying out)
 *                                 input_md.c     (40 blocks a page, while reading: BLOCKS_PER_PAGE)
 *   table-cells        50000      tablesrc.c     table.too-many-cells
 *   table-columns      64         tablesrc.c     table.too-wide
 *   nesting            32         input_md.c     markdown.too-deep
 *   paragraph-chars    100000     limit.c        paragraph.too-long
 *                                 input_md.c     (8 bytes a character of text run on, while reading)
 *   image-pixels       64 Mi      image.c        image.too-large
 *   image-bytes        32 MiB     image.c        image.too-large
 *   image-total-pixels 64 Mi      image.c        image.too-many-pixels
 */
#ifndef VB_LIMIT_H
#define VB_LIMIT_H

#include <stddef.h>

#include "model.h"

/*
 * The source is held about three times (the file, the cleaned NFC text, the
 * model), and 16 MiB of text is about 5000 pages, the page limit.
 */
#define VB_LIMIT_SOURCE_BYTES ((int64_t)16 << 20)

/*
 * The fields of a document take a few hundred bytes; a long recipient list a
 * few KiB. More is a body pasted above the closing "---".
 */
#define VB_LIMIT_FRONTMATTER_BYTES ((int64_t)64 << 10)

/*
 * The display list and the PDF are built in memory before anything is
 * written: about 0.2 MiB a page, so 5000 pages is about 1 GiB. Also stops a
 * source of 100000 "\pagebreak" lines from asking for as many pages.
 */
#define VB_LIMIT_PAGES ((int64_t)5000)

/*
 * Derived from the pages limit, checked while the body is read (input_md.c,
 * layout.too-many-pages): at most this many blocks (paragraphs, headings,
 * tables, images, page breaks) a page, 200000 for 5000 pages. A page holds
 * about 30 body lines and each block takes one at least, so a document of
 * more blocks would pass the pages limit anyway; refusing it while reading
 * keeps 16 MiB of one-letter paragraphs (5.6 million blocks) from costing
 * gigabytes before the page count is known.
 */
#define BLOCKS_PER_PAGE 40

/*
 * Every cell is parsed as Markdown and set as its own paragraph, and a table
 * is laid out whole (its column widths depend on every row): about 3.5 KiB
 * of memory a cell, so 50000 cells is under 200 MiB. An appendix table of
 * 1000 rows of 20 columns still fits.
 */
#define VB_LIMIT_TABLE_CELLS ((int64_t)50000)

/*
 * 64 one-digit columns with their padding already overflow a landscape A4
 * page, and choosing the column widths is quadratic in the columns.
 */
#define VB_LIMIT_TABLE_COLUMNS ((int64_t)64)

/*
 * Official documents have no block quotes or lists (they are printed as
 * plain paragraphs, flattened) and emphasis at most two deep (bold italic). 32
 * levels lets a pasted fragment through; deeper is a generated or hostile
 * file, refused before its nesting costs anything.
 */
#define VB_LIMIT_NESTING ((int64_t)32)

/*
 * The total-fit line breaker grows faster than linearly in one paragraph's
 * length (measured: 0.15 s for 50000 characters, 0.7 s for 100000, 49 s for
 * a million). 100000 characters is ten pages of one paragraph.
 */
#define VB_LIMIT_PARAGRAPH_CHARS ((int64_t)100000)
/*
 * While the body is read, text that runs on with no blank line, heading or
 * paragraph start (a paragraph, a block quote, fenced code, an HTML block:
 * one paragraph of the model) for more than 8 bytes a character of this
 * limit is refused before cmark builds its nodes (about 200 bytes each, two
 * a line): 16 MiB of "> a" lines reached 1.9 GiB. See input_md.c.
 */

/*
 * An image is decoded in full by the PDF writer (libpng, 4 bytes a pixel with
 * alpha): 64 Mi pixels is 256 MiB. An A4 page scanned at 600 dpi is 35 Mpx.
 */
#define VB_LIMIT_IMAGE_PIXELS ((int64_t)64 << 20)

/*
 * Every image is held decoded inside the PDF library until the document is
 * written: 3 bytes a pixel (RGB) and 1 more for alpha; the decoder adds a row
 * (a whole image only when it is interlaced). Measured (/usr/bin/time -v):
 * one 8192 x 8192 RGB image (64 Mi pixels) peaks at 206 MiB; four of them
 * at 797 MiB, and 1.3 GB was seen with the PNG handed to libharu whole.
 * 64 Mi pixels for all the images together keeps them within about 300 MiB
 * (RGBA), or about 550 MiB when they are one interlaced RGBA image (decoded
 * whole before its rows are handed over: 4 more bytes a pixel). Checked as each image's header is read, before
 * anything is decoded; the error is at the image that passes it. An image
 * placed twice counts twice.
 */
#define VB_LIMIT_IMAGE_TOTAL_PIXELS ((int64_t)64 << 20)

/* An image file is read whole into memory; a seal or a signature is a few hundred KiB. */
#define VB_LIMIT_IMAGE_BYTES ((int64_t)32 << 20)

/*
 * Fixed bounds, not configurable (each protects an internal structure, and no
 * document comes near them):
 *   yamltree.c  nesting 64, 4096 entries in one mapping or sequence (yaml.depth, yaml.too-large)
 *   profile.c   a profile of at most 1 MiB, style chains 8 deep (profile.too-large)
 *   pdf.c       outline entries below 16 levels hang under the 16th
 *   pdf_font.c  256 UTF-16 units of text per glyph in ToUnicode (the PDF's own limit)
 *   shape.c     a run of at most INT_MAX bytes (HarfBuzz's length type)
 *   input_md.c  the body parsed by cmark in segments of about 64 KiB, cut where nothing is open
 *   table.c     a row of more than 256 possible cuts is cut into pieces of at least 1/8 page
 *   data.h      a batch's data file: 64 MiB, 4 Mi values, nesting 32, 16384 CSV columns
 *               (data.too-large, data.too-many-values, data.too-deep, data.csv-too-wide)
 */

/*
 * True when the caller's options are recent enough to hold field (their size
 * covers it), so an older caller's smaller struct is never read past its end.
 */
#define VB_OPT_HAS(opt, field) \
    ((opt) && (opt)->size >= offsetof(vb_render_options_t, field) + sizeof((opt)->field))

/* opt's limits, each one left 0 (or absent from an older caller's struct) replaced by its default. */
void vb_limits_resolve(const vb_render_options_t *opt, vb_limits_t *out);

/*
 * Sets a limit error: "<what>; raise the limit with --limit <name>=N." with
 * the given id (VB_E_LIMIT) and position. what is a printf format.
 */
vb_status_t vb_limit_fail(vb_diag_t *d, const char *id, const char *source, int line, int col, const char *name,
                          const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * Checks that every paragraph, heading, appendix title line and table cell of
 * the model has at most lim->paragraph_chars characters (paragraph.too-long
 * at each one that has more; d holds the first).
 */
vb_status_t vb_limits_check_model(const vb_model_t *m, const vb_limits_t *lim, vb_diag_t *d);
/* As vb_limits_check_model, reporting every one that has more through sink; VB_E_LIMIT when any. */
vb_status_t vb_limits_report_model(const vb_model_t *m, const vb_limits_t *lim, vb_sink_t *sink);

#endif
