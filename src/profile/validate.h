/*
 * validate.h - the administrative fields checked against the format.
 *
 * The profile says what a number looks like in its regime (Party
 * "196-BC/ĐUK", state "15/QĐ-BNV"), which kind takes which abbreviation,
 * which signer forms exist (Party T/M, K/T, T/L, Q.; state TM., KT., TL.,
 * TUQ., Q.), which bodies have fixed abbreviations and how appendices are
 * numbered. A source that breaks one of these rules is an error at the
 * field's line and column, before anything is laid out.
 */
#ifndef VB_VALIDATE_H
#define VB_VALIDATE_H

#include "model.h"
#include "profile.h"

vb_status_t vb_validate(const vb_model_t *m, const vb_profile_t *p, vb_diag_t *d);

/*
 * Reproducing an issued document that breaks a rule (--allow-nonconforming,
 * or `nonconforming: true` in the front matter): every rule above is checked
 * and each failure is handed to warn (when not NULL) as a diagnostic with its
 * id and position, instead of failing; the render goes on. Without
 * nonconforming this is vb_validate.
 */
typedef struct vb_validate_opts {
    bool nonconforming;
    void (*warn)(const vb_diag_t *w, void *ctx);
    void *ctx;
} vb_validate_opts_t;

vb_status_t vb_validate_opts(const vb_model_t *m, const vb_profile_t *p, const vb_validate_opts_t *o, vb_diag_t *d);

#endif
