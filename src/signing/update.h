/*
 * update.h - an incremental update of a PDF read by pdfread.c: the old bytes
 * unchanged, then new objects and new versions of old ones, a classic
 * cross-reference section listing them, and a trailer with /Prev (the old
 * startxref), the old /Root, /Info and /ID.
 *
 *   vb_pdfupd_t u;
 *   vb_pdfupd_begin(&u, &doc, d);
 *   int n = vb_pdfupd_new_num(&u);
 *   vb_pdfupd_obj_begin(&u, n); vb_buf_puts(&u.out, "<< ... >>"); vb_pdfupd_obj_end(&u);
 *   vb_pdfupd_finish(&u, d);          → u.out holds the new file
 *   vb_pdfupd_free(&u);
 */
#ifndef VB_UPDATE_H
#define VB_UPDATE_H

#include "pdfread.h"

typedef struct vb_updobj {
    int num;
    size_t off;
} vb_updobj_t;

typedef struct vb_pdfupd {
    vb_buf_t out;            /* the new file */
    const vb_pdfdoc_t *doc;
    int next;                /* the next new object number */
    vb_updobj_t *objs;       /* malloc'd */
    int n, cap;
    bool failed;             /* out of memory on the way */
} vb_pdfupd_t;

/* Copies the old file into u->out (and an end of line when it has none). */
vb_status_t vb_pdfupd_begin(vb_pdfupd_t *u, const vb_pdfdoc_t *doc, vb_diag_t *d);
/* A new object number (from the old /Size up). */
int vb_pdfupd_new_num(vb_pdfupd_t *u);
/* Starts object num ("num 0 obj"), new or a new version of an old one. */
void vb_pdfupd_obj_begin(vb_pdfupd_t *u, int num);
void vb_pdfupd_obj_end(vb_pdfupd_t *u);
/* A whole stream object: << /Length n dict_keys >> stream data endstream. */
void vb_pdfupd_stream(vb_pdfupd_t *u, int num, const char *dict_keys, const void *data, size_t len);
/* Writes a name (/Key), escaping what a name cannot hold. */
void vb_pdfupd_name(vb_pdfupd_t *u, const char *name);
/* Writes "<<" and the pairs of dict (copied byte for byte) except the keys in drop (NULL-terminated); the caller adds its keys and ">>". */
void vb_pdfupd_dict_open(vb_pdfupd_t *u, const vb_pv_t *dict, const char *const *drop);
/* Writes a string as a PDF literal, escaping ( ) \ and bytes outside printable ASCII. */
void vb_pdfupd_string(vb_pdfupd_t *u, const char *s, size_t len);
/* The cross-reference section, the trailer, startxref and %%EOF. */
vb_status_t vb_pdfupd_finish(vb_pdfupd_t *u, vb_diag_t *d);
void vb_pdfupd_free(vb_pdfupd_t *u);

#endif
