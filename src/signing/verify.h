/*
 * verify.h - checks every signature of a PDF: its byte ranges, the CMS over
 * them (cms.c), whether it covers the whole file, and what the updates
 * after it changed: only form fields filled and signatures added (what a
 * later signer or the issuing clerk does), or anything else.
 *
 * The public calls vb_pdf_verify and vb_verify_result_free (vanban.h) are
 * defined in verify.c.
 */
#ifndef VB_VERIFY_H
#define VB_VERIFY_H

#include "pdfread.h"

/* True when two values are the same PDF value (numbers, strings, names, references, arrays, dictionaries). */
bool vb_verify_same(const vb_pv_t *a, const vb_pv_t *b);

#endif
