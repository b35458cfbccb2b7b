/*
 * pdfread.h - reads vanban's own PDFs far enough to update them: the trailer
 * and the classic cross-reference tables (followed through /Prev, the newest
 * entry of each object winning), any object by number, the catalog, the
 * AcroForm and its fields.
 *
 * It is strict, not general: a file with a cross-reference stream, an
 * encrypted file, an offset that does not land on its object, or a syntax
 * error is refused with sign.input (VB_E_INPUT) and one sentence, never
 * repaired. vanban writes classic tables only (libharu), and its own
 * incremental updates keep them; a PDF from elsewhere that passes is read
 * the same way. Values keep their byte span in the file, so an object can be
 * written again with some keys changed and the others copied byte for byte.
 * Everything lives in the reader's arena.
 */
#ifndef VB_PDFREAD_H
#define VB_PDFREAD_H

#include "base.h"

typedef enum vb_pv_kind {
    VB_PV_NULL = 0,
    VB_PV_BOOL,
    VB_PV_NUM,
    VB_PV_STR,   /* literal or hex; s/slen decoded */
    VB_PV_NAME,  /* s: the name without '/', #xx decoded */
    VB_PV_ARRAY, /* items[0..n) */
    VB_PV_DICT,  /* keys[i] → items[i], i < n */
    VB_PV_REF    /* num, gen */
} vb_pv_kind_t;

typedef struct vb_pv vb_pv_t;
struct vb_pv {
    vb_pv_kind_t kind;
    size_t off, len;   /* the value's bytes in the file */
    double num;        /* VB_PV_NUM, VB_PV_BOOL (0/1) */
    int ref, gen;      /* VB_PV_REF */
    const char *s;     /* VB_PV_STR, VB_PV_NAME (NUL-terminated) */
    size_t slen;
    const char **keys; /* VB_PV_DICT */
    vb_pv_t *items;    /* VB_PV_ARRAY, VB_PV_DICT */
    int n;
};

/* One cross-reference section: where it starts and the objects it lists as in use. */
typedef struct vb_xsect {
    size_t off;        /* the "xref" keyword */
    size_t end;        /* just after its "%%EOF" (the end of the revision it closes) */
    int *nums;         /* objects listed in use */
    size_t *offs;      /* and their offsets */
    int n;
} vb_xsect_t;

typedef struct vb_pdfdoc {
    vb_arena_t *arena;
    const unsigned char *buf; /* the file, not owned */
    size_t len;
    const char *name;         /* for messages */
    size_t *offs;             /* newest offset of each object, 0: free or absent */
    int size;                 /* the last trailer's /Size */
    size_t startxref;         /* the last startxref value */
    const vb_pv_t *trailer;   /* the last trailer dictionary */
    int root, info;           /* object numbers of /Root and /Info (0: no /Info) */
    vb_xsect_t *sects;        /* oldest first */
    int nsects;
} vb_pdfdoc_t;

/*
 * Reads the structure of buf (the file, len bytes, kept by the caller while
 * the document is used) into doc, in arena. name is used in messages.
 */
vb_status_t vb_pdfread_open(vb_arena_t *arena, const unsigned char *buf, size_t len, const char *name,
                            vb_pdfdoc_t *doc, vb_diag_t *d);

/* Object num (its newest version): its value in *out, and for a stream the offset of its data. */
vb_status_t vb_pdfread_object(const vb_pdfdoc_t *doc, int num, vb_pv_t *out, size_t *stream_off, vb_diag_t *d);

/* Object num as it was at offset off (an older version). */
vb_status_t vb_pdfread_object_at(const vb_pdfdoc_t *doc, int num, size_t off, vb_pv_t *out, size_t *stream_off,
                                 vb_diag_t *d);

/* Parses one value at text[0..len): for tests and for values written by the caller. */
vb_status_t vb_pdfread_value(vb_arena_t *arena, const unsigned char *text, size_t len, vb_pv_t *out, vb_diag_t *d);

/* The value of key in dict (NULL when absent or when dict is not a dictionary). */
const vb_pv_t *vb_pv_get(const vb_pv_t *dict, const char *key);
/* True when v is the name nm. */
bool vb_pv_is_name(const vb_pv_t *v, const char *nm);
/* v, or the object it refers to (read into *tmp) when it is a reference; NULL on failure (d set). */
const vb_pv_t *vb_pdfread_resolve(const vb_pdfdoc_t *doc, const vb_pv_t *v, vb_pv_t *tmp, vb_diag_t *d);

/* A form field of the AcroForm (terminal fields, kids of a field walked). */
typedef struct vb_pdffield {
    int num;           /* its object (field and widget merged) */
    const char *name;  /* the full name, parents joined with '.' */
    const char *ft;    /* "Sig", "Tx", ... ("" when none) */
    vb_pv_t dict;      /* the object */
    const vb_pv_t *v;  /* /V, NULL when absent */
    double rect[4];    /* /Rect, 0 when absent */
    int page;          /* /P's object number, 0 when absent */
} vb_pdffield_t;

/*
 * The catalog's /AcroForm (its object number in *acroform_num; 0 when there
 * is no AcroForm or it is not an indirect object) and its terminal fields, in
 * the order of /Fields.
 */
vb_status_t vb_pdfread_fields(const vb_pdfdoc_t *doc, int *acroform_num, vb_pdffield_t **fields, int *n,
                              vb_diag_t *d);

/* /Info's string value of key, decoded to UTF-8 (PDFDocEncoding ASCII or UTF-16BE); NULL when absent. */
const char *vb_pdfread_info(const vb_pdfdoc_t *doc, const char *key);

#endif
