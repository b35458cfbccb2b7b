/*
 * rules.h - the format's rules checked on a read model, shared by validate.c
 * and the rule groups (rules_kind.c, rules_regime.c, rules_body.c).
 *
 * Each rule has a stable id and the clause it comes from; docs/rules.md lists
 * them all (id, clause, regimes, a failing example and its fix). The values a
 * rule checks against (the kinds, the signs of a regime, the letters of the
 * points) are the profile's (`validation:` in the layouts folder); the C holds only
 * how to compare.
 *
 * Internal to src/profile: not part of the library's API.
 */
#ifndef VB_RULES_H
#define VB_RULES_H

#include "model.h"
#include "profile.h"

/* One run of the checks: where failures go and how grave they are (validate.c). */
typedef struct vctx {
    const vb_model_t *m;
    vb_sink_t *sink;
    vb_severity_t sev; /* VB_SEVERITY_WARNING with nonconforming */
    int failed;        /* errors reported by this run (warnings are not counted) */
    int min_digits;    /* the profile's number.min_digits */
    bool profile_named; /* the source's `profile:` or the caller's --profile chose the profile */
    int kind;          /* the document's kind: its index in validation.kinds (then other_kinds); -1 none */
    const char *regime_other; /* regime.guess: the `profile:` the signs point to (the number's message names it) */
    bool kind_guess;   /* ... the nearest to an unknown kind (kind.unknown), not the kind typed */
    /* the examples of the number's forms, their sequence numbers written as the profile writes them */
    char ex_party[48], ex_joint[48], ex_state[48], ex_cv[48];
} vctx_t;

/*
 * Reports one finding of rule id at pos, its range covering value (when on one
 * line, else a point), with an optional fix, at severity sev; counts errors in
 * c->failed. Returns VB_E_INPUT ("the check failed") whatever the severity.
 */
vb_status_t vb_rule_report(vctx_t *c, vb_severity_t sev, const char *id, vb_pos_t pos, const char *value,
                           const vb_fix_t *fix, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * s as capital base letters for a diacritics- and case-insensitive comparison:
 * "Quyết định" and "QUYET DINH" both give "QUYET DINH" (Đ is D). Runs of
 * spaces (and line breaks) are one space; leading and trailing ones are
 * dropped. Returns the count written to out (at most max).
 */
int vb_fold_letters(const char *s, uint32_t *out, int max);
/* The same, with at[i] the byte offset in s of out[i] (at may be NULL). */
int vb_fold_letters_at(const char *s, uint32_t *out, size_t *at, int max);

/* The edit distance (insertions, deletions, substitutions) between a[0..na) and b[0..nb) (each at most 64). */
int vb_edit_distance(const uint32_t *a, int na, const uint32_t *b, int nb);

/*
 * The kind (a name of validation.kinds, or of other_kinds) nearest to typed,
 * compared folded (vb_fold_letters): *index is its place in kinds (or
 * nkinds + its place in other_kinds), *dist the distance of the folded forms.
 * Returns false when no kind is near enough to suggest (more than a third of
 * the letters differ), or when two kinds are equally near.
 */
bool vb_kind_nearest(const vb_pvalidate_t *v, const char *typed, int *index, int *dist);

/* The checks of the rule groups, in validate.c's order. */
void vb_rules_title(vctx_t *c, const vb_profile_t *p);  /* title.case (rules_kind.c) */
void vb_rules_regime(vctx_t *c, const vb_profile_t *p); /* profile.date, regime.guess (rules_regime.c) */
void vb_rules_body(vctx_t *c, const vb_profile_t *p);   /* body.numbering, appendix.reference (rules_body.c) */
/* list.punctuation, to.missing, to.label, signer.post (rules_closing.c) */
void vb_rules_closing(vctx_t *c, const vb_profile_t *p);

#endif
