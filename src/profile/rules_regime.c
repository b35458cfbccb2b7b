/*
 * rules_regime.c - is this the right profile for the document? (rules.h)
 *
 *   profile.date  the document's date is outside the profile's validity
 *                 (valid_from, valid_until): a Party document dated from
 *                 27/5/2026 under party-36-2018 named by `profile:`. The
 *                 warning names the profile in force then (the profile's
 *                 validation.successor or predecessor) and, when the source
 *                 named the profile, has it as the fix. A profile picked by
 *                 regime ("party") always covers the date (catalog.c).
 *   regime.guess  no `profile:` (and no --profile): the document is read
 *                 under the default regime's profile (Party). When its issuer
 *                 or parent starts like the other regime's bodies ("SỞ",
 *                 "ỦY BAN NHÂN DÂN", "UBND", "BỘ": validation.regime_signs
 *                 .issuers) or its number is in the other regime's form
 *                 ("45/UBND-VP": regime_signs.number), and its issuer is not
 *                 one of this regime's own (own_issuers: "ĐẢNG ỦY", "CHI
 *                 BỘ"), a warning says which reading was made, which signs
 *                 point the other way, and how to change it (the fix adds
 *                 the `profile:` line). The number's own error, if any, then
 *                 follows it: the clerk reads both.
 * Both are warnings: the document may be meant as it is.
 *
 * Pure code over the model and the profile: no allocation.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#define MAXF 256

static long
ymd(const vb_date_t *d)
{
    return (long)d->year * 10000 + d->month * 100 + d->day;
}

static void
profile_date(vctx_t *c, const vb_profile_t *p)
{
    const vb_meta_t *mt = &c->m->meta;
    const vb_date_t *d = &mt->date;
    if (!d->year || !d->month || !d->day)
        return; /* a date left blank: catalog.c saw to it */
    bool after = p->valid_until.year && ymd(d) > ymd(&p->valid_until);
    bool before = p->valid_from.year && ymd(d) < ymd(&p->valid_from);
    if (!after && !before)
        return;
    const char *other = after ? p->validate.successor : p->validate.predecessor;
    const vb_date_t *edge = after ? &p->valid_until : &p->valid_from;
    /* on the profile: line when the source names it, else on the date */
    bool in_source = mt->profile.text != NULL;
    vb_pos_t at = in_source ? mt->profile.pos : d->pos;
    vb_fix_t fix = {other, VB_N_("the profile in force on the document's date"), false};
    const vb_fix_t *fx = in_source && other ? &fix : NULL; /* not safe: the document may reproduce an old one */
    /* one message per case, whole sentences (gettext msgids) */
    if (other && after)
        vb_rule_report(c, VB_SEVERITY_WARNING, "profile.date", at, in_source ? mt->profile.text : NULL, fx,
                       "The document is dated %02d/%02d/%04d, but the profile %s applies to documents dated up to "
                       "%02d/%02d/%04d; on that date the format is %s: write \"profile: %s\" (or \"profile: %s\", "
                       "which chooses by the date).",
                       d->day, d->month, d->year, p->id, edge->day, edge->month, edge->year, other, other, p->regime);
    else if (other)
        vb_rule_report(c, VB_SEVERITY_WARNING, "profile.date", at, in_source ? mt->profile.text : NULL, fx,
                       "The document is dated %02d/%02d/%04d, but the profile %s applies to documents dated from "
                       "%02d/%02d/%04d; on that date the format is %s: write \"profile: %s\" (or \"profile: %s\", "
                       "which chooses by the date).",
                       d->day, d->month, d->year, p->id, edge->day, edge->month, edge->year, other, other, p->regime);
    else if (after)
        vb_rule_report(c, VB_SEVERITY_WARNING, "profile.date", at, in_source ? mt->profile.text : NULL, NULL,
                       "The document is dated %02d/%02d/%04d, but the profile %s applies to documents dated up to "
                       "%02d/%02d/%04d.",
                       d->day, d->month, d->year, p->id, edge->day, edge->month, edge->year);
    else
        vb_rule_report(c, VB_SEVERITY_WARNING, "profile.date", at, in_source ? mt->profile.text : NULL, NULL,
                       "The document is dated %02d/%02d/%04d, but the profile %s applies to documents dated from "
                       "%02d/%02d/%04d.",
                       d->day, d->month, d->year, p->id, edge->day, edge->month, edge->year);
}

/* text (folded) starts with one of the names (folded), on a word boundary: its index, else -1. */
static int
starts_like(const char *text, const char *const *names, int n)
{
    if (!text || n == 0)
        return -1;
    uint32_t ft[MAXF], fn[MAXF];
    int nt = vb_fold_letters(text, ft, 64); /* the names are short: the text's start is enough */
    for (int i = 0; i < n; i++) {
        if (nt == 0 || vb_fold_letters(names[i], fn, 1) != 1 || fn[0] != ft[0])
            continue; /* the first letters differ: no need to fold the rest */
        int nn = vb_fold_letters(names[i], fn, MAXF);
        if (nn == 0 || nn > nt || memcmp(ft, fn, sizeof ft[0] * (size_t)nn) != 0)
            continue;
        if (nn < nt && ft[nn] != ' ' && ft[nn] != '-' && ft[nn] != ',')
            continue; /* "BỘ" does not start "BỘI" */
        return i;
    }
    return -1;
}

/* The number (after a "Số" and ":" typed before it) is in the form: state "12/...", Party "12-BC/...". */
static bool
number_in_form(const char *s, vb_number_form_t form)
{
    if (!s)
        return false;
    if ((s[0] == 'S' || s[0] == 's')) { /* "Số: 15/...", "So 15/..." */
        const char *t = s + 1;
        while (*t && *t != ' ' && *t != ':' && !(*t >= '0' && *t <= '9'))
            t++;
        s = t;
    }
    while (*s == ' ' || *s == ':')
        s++;
    const char *t = s;
    while (*t >= '0' && *t <= '9')
        t++;
    if (form == VB_NUMBER_STATE)
        return *t == '/' && strchr(t, '-') != NULL;
    if (form == VB_NUMBER_PARTY)
        return t > s && *t == '-' && strchr(t, '/') != NULL;
    return false;
}

static void
regime_guess(vctx_t *c, const vb_profile_t *p)
{
    const vb_pvalidate_t *v = &p->validate;
    const vb_meta_t *mt = &c->m->meta;
    if (c->profile_named || !v->signs_profile)
        return;
    if (starts_like(mt->issuer.text, v->own_issuers, v->nown_issuers) >= 0 ||
        starts_like(mt->parent.text, v->own_issuers, v->nown_issuers) >= 0)
        return; /* "ĐẢNG ỦY SỞ Y TẾ": this regime's own */
    const vb_field_t *by = NULL; /* the field of the first sign */
    char signs[700] = "";
    size_t k = 0;
    const vb_field_t *fields[] = {&mt->issuer, &mt->parent};
    for (int i = 0; i < 2; i++) {
        if (starts_like(fields[i]->text, v->signs_issuers, v->nsigns_issuers) < 0)
            continue;
        int w = snprintf(signs + k, sizeof signs - k, vb_tr(i == 0 ? VB_N_("the issuer \"%s\"") : VB_N_("the parent body \"%s\"")),
                         fields[i]->text);
        if (w > 0 && (size_t)w < sizeof signs - k)
            k += (size_t)w;
        if (!by)
            by = fields[i];
        break; /* the issuer is enough; the parent only when the issuer says nothing */
    }
    if (v->signs_number != VB_NUMBER_ANY && number_in_form(mt->number.text, v->signs_number)) {
        int w = snprintf(signs + k, sizeof signs - k, vb_tr(k ? VB_N_(" and the number \"%s\"") : VB_N_("the number \"%s\"")),
                         mt->number.text);
        if (w > 0 && (size_t)w < sizeof signs - k)
            k += (size_t)w;
        if (!by)
            by = &mt->number;
    }
    if (!by || !by->pos.line)
        return;
    bool party = strcmp(p->regime, "party") == 0;
    char line[120];
    snprintf(line, sizeof line, "profile: %s\n", v->signs_profile);
    /* the fix inserts the line before the field's line (a point at its column 1); not safe: a guess */
    vb_fix_t fix = {line, VB_N_("the profile: line added to the front matter"), false};
    vb_pos_t at = {by->pos.line, 1};
    c->regime_other = v->signs_profile;
    if (party)
        vb_rule_report(c, VB_SEVERITY_WARNING, "regime.guess", at, NULL, &fix,
                       "Read as a Party document (the front matter has no \"profile:\"), but it looks like a state "
                       "document (%s): add \"profile: %s\" to the front matter.",
                       signs, v->signs_profile);
    else
        vb_rule_report(c, VB_SEVERITY_WARNING, "regime.guess", at, NULL, &fix,
                       "Read as a state document (the front matter has no \"profile:\"), but it looks like a Party "
                       "document (%s): add \"profile: %s\" to the front matter.",
                       signs, v->signs_profile);
}

void
vb_rules_regime(vctx_t *c, const vb_profile_t *p)
{
    regime_guess(c, p);
    profile_date(c, p);
}
