/*
 * validate.h - the administrative fields checked against the format.
 *
 * The profile says what a number looks like in its regime (Party
 * "196-BC/ĐUK", state "15/QĐ-BNV"), which kind takes which abbreviation,
 * which signer forms exist (Party T/M, K/T, T/L, Q.; state TM., KT., TL.,
 * TUQ., Q.), which bodies have fixed abbreviations and how appendices are
 * numbered. A source that breaks these rules gets an error at each field at
 * fault (its line and column), all of them, before anything is laid out.
 */
#ifndef VB_VALIDATE_H
#define VB_VALIDATE_H

#include "model.h"
#include "profile.h"

vb_status_t vb_validate(const vb_model_t *m, const vb_profile_t *p, vb_diag_t *d);

/*
 * Every rule is checked and every failure reported. With sink (the render's),
 * each failure goes there, as an error, or as a warning when nonconforming;
 * the result is VB_E_INPUT when an error was reported (the first is the
 * sink's). Without a sink (vb_validate, older callers): d holds the first
 * error, and warn (when not NULL) is handed each warning.
 *
 * Reproducing an issued document that breaks a rule (--allow-nonconforming,
 * or `nonconforming: true` in the front matter): every failure is a warning
 * with its id and position instead of an error; the render goes on.
 */
typedef struct vb_validate_opts {
    bool nonconforming;
    void (*warn)(const vb_diag_t *w, void *ctx);
    void *ctx;
    vb_sink_t *sink;    /* NULL: d and warn, as above */
    bool profile_named; /* the caller chose the profile (--profile): no regime is guessed (regime.guess) */
} vb_validate_opts_t;

vb_status_t vb_validate_opts(const vb_model_t *m, const vb_profile_t *p, const vb_validate_opts_t *o, vb_diag_t *d);

#endif
