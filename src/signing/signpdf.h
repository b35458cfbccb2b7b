/*
 * signpdf.h - fills a signature field of a vanban PDF by an incremental update
 * (the signature dictionary with its /ByteRange and /Contents placeholder,
 * the widget's appearance, the AcroForm's /SigFlags 3), then hashes the
 * byte ranges and writes the CMS (cms.c) into the placeholder.
 *
 * The public calls vb_pdf_sign and vb_pdf_sign_file (vanban.h) are defined
 * in signpdf.c; issue.c and verify.c use the helpers below.
 */
#ifndef VB_SIGNPDF_H
#define VB_SIGNPDF_H

#include "update.h"

/*
 * Signs pdf (len bytes, named name in messages): the field o->field, or
 * without one the first unsigned signature field (the last when
 * default_last). *out: malloc'd, *out_len bytes.
 */
vb_status_t vb_sign_bytes(const unsigned char *pdf, size_t len, const char *name, vb_signer_t *s,
                          const vb_sign_options_t *o, bool default_last, unsigned char **out, size_t *out_len,
                          vb_diag_t *d);

/*
 * The caller's options as this library knows them (the size rule of
 * docs/library.md): read up to their size; a larger struct only with the
 * bytes past ours 0; size 0 with a field set refused. options.size.
 */
vb_status_t vb_sign_options_read(const vb_sign_options_t *opt, vb_sign_options_t *out, vb_diag_t *d);

/* Reads a whole file (malloc'd) for the signing calls: sign.read on failure. */
vb_status_t vb_sign_read_file(const char *path, unsigned char **buf, size_t *len, vb_diag_t *d);

/*
 * Writes data to path through a temporary file in the same folder (created
 * with the umask's mode), flushed and renamed; on any failure the temporary
 * file is removed and path is untouched.
 */
vb_status_t vb_sign_write_file(const char *path, const void *data, size_t len, vb_diag_t *d);

/* The refusal of a PDF that vanban did not write (no /VanbanProfile in its Info): sign.input. */
vb_status_t vb_sign_check_vanban(const vb_pdfdoc_t *doc, vb_diag_t *d);

/* t (seconds since 1970) in Vietnam time: a PDF date "D:20261205093000+07'00'" and ISO 8601 "2026-12-05T09:30:00+07:00". */
void vb_sign_dates(int64_t t, char pdf[32], char iso[32]);

/* A UTF-8 text as a PDF text string: a literal when ASCII, else UTF-16BE hex with its BOM. */
void vb_sign_text_string(vb_pdfupd_t *u, const char *utf8);

/*
 * A line of text for the standard Times-Roman font in WinAnsiEncoding:
 * printable ASCII and Latin-1 as they are, Đ as the identical-looking Ð;
 * false (what in *bad) for a character it cannot show.
 */
bool vb_sign_winansi(const char *utf8, char *out, size_t size, uint32_t *bad);

/* A Type1 Times font object (WinAnsiEncoding) written as object num: face is vb_face_t (regular, bold, italic). */
void vb_sign_font_object(vb_pdfupd_t *u, int num, int face);

/*
 * The document's own embedded fonts for the issuance, when it has them (a
 * PDF/A, whose fonts must all be embedded): the AcroForm's /DR /Font /VbF0 ...
 * /VbF3, one per face (pdf_font.c, vb_pdf_fonts_form_fonts): the digits at
 * their ASCII codes in each, and in /VbF0 (the regular face) every printable
 * ASCII character and Đ at 0xD0, as WinAnsi places Ð. out[face]: the font's
 * object number, 0 when none.
 */
void vb_sign_form_fonts(const vb_pdfdoc_t *doc, int afnum, int out[4]);

#endif
