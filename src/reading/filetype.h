/*
 * filetype.h - what a source is when it is not text (filetype.c; docs/paste.md).
 */
#ifndef VB_FILETYPE_H
#define VB_FILETYPE_H

#include "base.h"

/*
 * When src[0..len) is a Word (.docx, .doc), OpenDocument, RTF or PDF file, a
 * ZIP archive, or text saved as UTF-16, the error naming it and saying what
 * to do (input.docx, input.doc, input.odt, input.rtf, input.pdf, input.zip,
 * input.utf16) at source:1:1; VB_OK otherwise. Looks at the first bytes only
 * (a ZIP's names when it is one).
 */
vb_status_t vb_filetype_check(const char *src, size_t len, const char *source, vb_diag_t *d);

#endif
