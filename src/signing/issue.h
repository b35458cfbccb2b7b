/*
 * issue.h - issuance: the number and date text fields a vanban PDF carries
 * over the gaps left blank until issuance are filled (a value and an
 * appearance stream drawing it in the gap, at the size of the text around
 * it), by one incremental update; vb_pdf_issue (src/api/issuing.c) then
 * signs the result with the body's seal field.
 */
#ifndef VB_ISSUE_H
#define VB_ISSUE_H

#include "base.h"

/* The printed forms and the field names, from the document's profile. */
typedef struct vb_issue_fmt {
    int number_min_digits;   /* the sequence number's least digits, with leading zeros: 2 gives "05" (0, 1: none) */
    int day_pad_below;       /* days below this take one */
    int month_pad_below;     /* months below this take one */
    const char *number_field; /* the number's text field ("So"); its copies are "So_..." */
    const char *day_field;
    const char *month_field;
    const char *appendix_field; /* an appendix's signature field ("Sig_PhuLuc"); its copies "Sig_PhuLuc_2" */
    const char *seal_field;     /* the body's seal field ("Sig_CoQuan"); NULL: the last unsigned non-appendix field */
    const char *in_appendix;    /* what an appendix's copy of a text field adds to its name ("_PL": So_PL1) */
    int number_face, date_face; /* vb_face_t of the text around the gaps: the header's "Số ...", "ngày ..." */
    int apx_number_face, apx_date_face; /* ... and an appendix's "(Kèm theo ... số ..., ngày ...)" */
} vb_issue_fmt_t;

/*
 * Fills the fields of pdf: number (digits) and date (YYYY-MM-DD, agreeing
 * with the year and month the PDF prints, /VanbanDate). sign.issue when the
 * values are malformed or disagree, when the PDF has no field to fill, or
 * when a field was filled already. *out malloc'd. The whole number as now
 * printed ("196-BC/ĐU", from the Info's Subject "Số …-BC/ĐU") in full.
 */
vb_status_t vb_issue_fill(const unsigned char *pdf, size_t len, const char *name, const vb_issue_fmt_t *fmt,
                          const char *number, const char *date, unsigned char **out, size_t *out_len, char *full,
                          size_t full_size, vb_diag_t *d);

/* The unsigned appendix signature fields of pdf (fmt->appendix_field and its copies), malloc'd names, NULL-terminated. */
char **vb_issue_appendix_fields(const unsigned char *pdf, size_t len, const vb_issue_fmt_t *fmt);

/*
 * The body's seal field: the first unsigned one named fmt->seal_field (or a copy), else the last unsigned
 * signature field that is not an appendix's; malloc'd, NULL when none.
 */
char *vb_issue_seal_field(const unsigned char *pdf, size_t len, const vb_issue_fmt_t *fmt);

/*
 * What a vanban PDF says of itself for its issuance, read in one pass: the
 * profile id it names (/VanbanProfile) into *id, and the fit-to-issue rules
 * its source broke when it was rendered (/VanbanUnfit: "issue.signer_name
 * issue.title") into *unfit, NULL when it broke none; both malloc'd. On a
 * failure (not a vanban PDF, no memory) both are NULL and d says why.
 */
vb_status_t vb_issue_info(const unsigned char *pdf, size_t len, const char *name, char **id, char **unfit,
                          vb_diag_t *d);

#endif
