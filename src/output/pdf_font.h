/*
 * pdf_font.h - the libharu internals the PDF backend needs (internal to pdf.c).
 *
 * pdf_font.c is the one file that reaches into libharu 2.3.0's structures
 * (HPDF_Doc_Rec, HPDF_Dict_Rec, HPDF_PageAttr_Rec, the xref and memory
 * streams): our own one-byte Type0 fonts and the raw text and rule operators
 * that draw with them, the stream compression (libdeflate), plus the two
 * document-level fixes that need the object tree (the trailer /ID and the
 * UTF-16 page-label prefix). Everything else in pdf.c uses libharu's public API.
 * The struct layouts change in libharu 2.4, so this file is pinned to 2.3.x.
 */
#ifndef VB_PDF_FONT_H
#define VB_PDF_FONT_H

#include <hpdf.h>

#include "dlist.h"
#include "font.h"

/* The fonts of one document being written: one Type0 font per face used. */
typedef struct vb_pdf_fonts vb_pdf_fonts_t;

/*
 * Starts the font table of document pdf drawing with fonts. Scratch memory
 * comes from arena, which must outlive the save (libharu calls back into it
 * while writing the W arrays). Free with vb_pdf_fonts_free.
 */
vb_status_t vb_pdf_fonts_new(HPDF_Doc pdf, const vb_fontset_t *fonts, vb_arena_t *arena, vb_pdf_fonts_t **out,
                             vb_diag_t *d);

/*
 * Draws run on page (page_height in millipoints turns the display list's
 * top-down y into PDF's bottom-up y) as a Td move and a TJ array inside the
 * page's open text object, and records its glyphs and their text for the font
 * objects. Call vb_pdf_fonts_flush when the page is done.
 */
vb_status_t vb_pdf_fonts_draw_run(vb_pdf_fonts_t *pf, HPDF_Page page, vb_len_t page_height, const vb_drun_t *run,
                                  vb_diag_t *d);

/*
 * Adds rule r to the rules of page (the same y flip as a run), drawn by
 * vb_pdf_fonts_flush: collinear rules that touch as one segment, one stroke
 * per width. The text runs of a page share one BT/ET up to an image.
 */
vb_status_t vb_pdf_fonts_draw_rule(vb_pdf_fonts_t *pf, HPDF_Page page, vb_len_t page_height, const vb_drule_t *r,
                                   vb_diag_t *d);

/*
 * Closes the open text object, draws the rules so far and writes the page's
 * content: before an image is drawn (page_end false) and at the end of each
 * page (page_end true: the content is compressed at once when nothing else
 * was written to the page).
 */
vb_status_t vb_pdf_fonts_flush(vb_pdf_fonts_t *pf, bool page_end, vb_diag_t *d);

/*
 * Builds the font objects of every face drawn with (subset font, W,
 * ToUnicode, CIDSet, FontDescriptor). Call once, after the last run and
 * before saving.
 */
/* Keep the fonts' hinting instructions in the subsets (off by default: half the size). */
void vb_pdf_fonts_set_hinting(vb_pdf_fonts_t *pf, bool hinting);
/*
 * Copy the text each glyph maps to (ToUnicode) into the arena instead of
 * pointing into the runs: for a combined PDF, whose display lists are freed
 * as soon as their pages are drawn. Off by default.
 */
void vb_pdf_fonts_set_own_text(vb_pdf_fonts_t *pf, bool own);
vb_status_t vb_pdf_fonts_finish(vb_pdf_fonts_t *pf, vb_diag_t *d);

/*
 * PDF/A: every face's first font object gets the digits 0-9 at their ASCII
 * codes, the regular face's also printable ASCII and Đ at 0xD0 (set before
 * the first run). vb_pdf_fonts_form_fonts then names
 * those font objects in the AcroForm's /DR /Font as /VbF0 ... /VbF3 (by
 * vb_face_t), after vb_pdf_add_fields: vanban issue draws the number and
 * the date, and vanban sign --text its text, with them, embedded, instead
 * of the standard Times.
 */
void vb_pdf_fonts_set_digits(vb_pdf_fonts_t *pf, bool digits);
vb_status_t vb_pdf_fonts_form_fonts(vb_pdf_fonts_t *pf, vb_diag_t *d);

/* Releases what the table allocated outside the arena. Accepts NULL. */
void vb_pdf_fonts_free(vb_pdf_fonts_t *pf);

/* Sets the trailer /ID to [<id> <id>] (16 bytes), so equal input gives equal bytes. */
vb_status_t vb_pdf_set_id(HPDF_Doc pdf, const unsigned char id[16], vb_diag_t *d);

/*
 * Gives the page label added last (HPDF_AddPageLabel with a NULL prefix) the
 * prefix utf8 as a UTF-16 text string; libharu 2.3.0 writes prefixes as raw bytes.
 */
/* Compresses what libharu 2.3.0 leaves uncompressed in an image (its alpha mask). */
vb_status_t vb_pdf_compress_image(HPDF_Doc pdf, HPDF_Image img, vb_diag_t *d);
/*
 * Compresses every stream that asks for Flate (page contents, font programs,
 * ToUnicode, CIDSet, images) with libdeflate at level (1-12), so that libharu
 * writes the bytes as they are with /Filter /FlateDecode: libharu's own zlib
 * at level 6 was a fifth of a render. Call once, just before saving.
 */
vb_status_t vb_pdf_deflate_streams(HPDF_Doc pdf, int level, vb_diag_t *d);
/*
 * libdeflate's level for every stream, the font programs included. On the
 * seed report (subset fonts renumbered), level 1 writes 68,983 B in 4.8 M
 * instructions, 6 writes 67,401 B in 8.8 M, 12 writes 67,257 B in 18 M:
 * level 1, the fastest, keeps the PDF under 70 KB (zlib's 6 took 11 M for
 * 85 KB before libdeflate).
 */
#define VB_PDF_DEFLATE_LEVEL 1
/*
 * Makes the document's objects smaller before saving: text strings (outline
 * titles, Info) as literal strings (ASCII, or raw UTF-16BE) instead of
 * libharu's UTF-16 hex, and no obsolete /ProcSet in the pages' resources.
 */
vb_status_t vb_pdf_compact_objects(HPDF_Doc pdf, vb_diag_t *d);
/*
 * Gives outline entry ol the destination [page /XYZ 0 top 1] as an array
 * inside its dict: libharu's destinations are objects of their own, 40 bytes
 * more per entry in the file and its cross-reference table.
 */
vb_status_t vb_pdf_outline_dest(HPDF_Doc pdf, HPDF_Outline ol, HPDF_Page page, HPDF_REAL top, vb_diag_t *d);
/*
 * Saves the document through write, 64 KiB at a time as libharu writes it
 * (no copy in libharu's memory); *written counts the bytes handed over. 0
 * when all were written, 1 when write refused a block, -1 when libharu
 * failed (its error handler has the status) or memory is short.
 */
int vb_pdf_save_to(HPDF_Doc pdf, vb_write_fn write, void *ctx, size_t *written);
/* Adds a text entry of our own to the Info dictionary (UTF-16), after a standard entry was set. */
vb_status_t vb_pdf_set_info_text(HPDF_Doc pdf, const char *key, const char *utf8, vb_diag_t *d);
vb_status_t vb_pdf_set_last_label_prefix(HPDF_Doc pdf, const char *utf8, vb_diag_t *d);
/*
 * Adds /Duplex /DuplexFlipLongEdge to the catalog's /ViewerPreferences (made
 * when absent): libharu 2.3.0's HPDF_SetViewerPreference knows no /Duplex.
 */
vb_status_t vb_pdf_set_duplex(HPDF_Doc pdf, vb_diag_t *d);

/*
 * Adds dl's fields (a signed-ready PDF: signature fields, and text fields at
 * the gaps left for issuance) to the pages' /Annots and the catalog's
 * /AcroForm; nothing when dl has none. Call once the pages are drawn.
 */
vb_status_t vb_pdf_add_fields(HPDF_Doc pdf, const vb_dlist_t *dl, vb_diag_t *d);

/*
 * Turns a libharu failure into a diagnostic: VB_E_NOMEM when libharu ran out
 * of memory, else VB_E_PDF "pdf.libharu" naming `what` and the error code.
 * st is the status the failing call returned, or HPDF_OK to report the
 * document's error slot (for calls that return NULL).
 */
vb_status_t vb_pdf_haru_fail(HPDF_Doc pdf, HPDF_STATUS st, const char *what, vb_diag_t *d);

#endif
