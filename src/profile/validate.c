/*
 * validate.c - the administrative fields checked against the format (validate.h).
 *
 * Owns: the checks of the profile's `validation` and `appendix.numbering`
 * keys on a read model, before anything is laid out. Each rule gives one
 * VB_E_INPUT diagnostic at the line and column of the field at fault:
 *
 *   number.form   the number is not in the regime's form: Party
 *                 "196-BC/ĐUK" (sequence "-" type "/" body, joint bodies
 *                 "BTCTU-BDVTU"), state "15/QĐ-BNV" (sequence "/" type "-"
 *                 body) or, for a công văn (no kind), "05/BNV-VP" (sequence
 *                 "/" body "-" unit); a state number may carry a year group,
 *                 "15/2020/QĐ-UBND". "Số" or ":" typed in the number is an
 *                 error in both regimes: the profile prints them.
 *   number.zero   the sequence number is 0, or is not written with the
 *                 profile's `number.min_digits` (2 in the three regimes:
 *                 "05", "10", not "5", "010"): at least that many digits,
 *                 leading zeros only to reach them. Without `number:` only
 *                 0 is refused.
 *   number.kind   the type part differs from the abbreviation the profile
 *                 gives the document's kind ("BÁO CÁO" -> "BC").
 *   number.body   the (lead) body part differs from the abbreviation the
 *                 profile fixes for the issuer (the longest `bodies` prefix
 *                 that starts the issuer's name).
 *   signer.form   a signer's authority starts with a form ("T/M", "KT.") that
 *                 the profile does not list.
 *   appendix.numbering  an appendix label numbered in the other system
 *                 (Arabic "PHỤ LỤC 1" against Roman "Phụ lục I").
 *   kind.unknown  the kind is none of the profile's kinds (validation.kinds,
 *                 other_kinds); the nearest one (rules_kind.c) is the fix
 *                 and the number's kind is checked against it.
 * The other rules of docs/rules.md live in rules_kind.c (title.case),
 * rules_regime.c (regime.guess, profile.date), rules_closing.c and
 * rules_body.c; this file runs them all (vb_validate_opts).
 * Every rule is checked and every failure reported (through the sink,
 * base.h), in order: regime.guess and profile.date, the kind, the title,
 * the number (its form; once the form is known, its sequence number's zero,
 * its kind and its body, each independently), the signers in order, the
 * appendices, the closing block's and the body's rules (warnings are not
 * counted as failures). Each diagnostic's range is the field's
 * value (when it is on one line) and, where the correction is obvious, it
 * carries a fix: the number with its zero added or removed, its kind's or
 * body's abbreviation put in, "Số" and ":" taken out; the authority with
 * the profile's form of the same letters ("KT GIÁM ĐỐC" -> "KT. GIÁM ĐỐC",
 * "K/T" -> "KT." in a state document). With vb_validate_opts'
 * nonconforming, every failure is a warning instead.
 *
 * A blank sequence number (number_blank: "/KH-UBND", "-BC/ĐU", to be filled
 * at issuance) is checked like a full number without its sequence part: the
 * rest must still be in the regime's form, and number.zero does not apply.
 *
 * Text comparison: names from the profile and the fields are both NFC (the
 * readers see to it). They are compared after two foldings that official
 * texts need: a line break counts as a space, and a tone mark on the first
 * vowel of "oa", "oe", "uy" counts as if on the second ("ỦY" = "UỶ",
 * "HÓA" = "HOÁ"), because both spellings are current (36-HD writes "ĐẢNG
 * ỦY", 05-HD "đảng uỷ") and a check that missed one would pass silently.
 * Case is not folded: these fields are typed in capitals as printed.
 *
 * Pure code over the model and the profile: no allocation, no outside library.
 */
#include "validate.h"

#include "rules.h"

#include <stdio.h>
#include <string.h>

/* Longest text compared; longer issuer names are only compared on their start. */
#define MAX_KEY 512

/* Enough zeros to pad a sequence number to VB_NUMBER_MAX_DIGITS. */
#define ZEROS "000000000"

vb_status_t
vb_rule_report(vctx_t *c, vb_severity_t sev, const char *id, vb_pos_t pos, const char *value, const vb_fix_t *fix,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vb_vreport(c->sink, sev, VB_E_INPUT, id, c->m->source, vb_range_of(pos.line, pos.col, value), fix, fmt, ap);
    va_end(ap);
    if (sev == VB_SEVERITY_ERROR)
        c->failed++;
    return VB_E_INPUT;
}

/* A failure of the run's severity (an error; a warning when nonconforming): see vb_rule_report. */
#define verr(c, ...) vb_rule_report((c), (c)->sev, __VA_ARGS__)

/* An example of a number's form into buf: seq written with the profile's min_digits, then rest. */
static void
example(const vctx_t *c, char *buf, int seq, const char *rest)
{
    snprintf(buf, sizeof c->ex_party, "%0*d%s", c->min_digits, seq, rest);
}

/* ------------------------------------------------------------ characters */

static bool
is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Latin letters as Vietnamese uses them (with neighbours: the check is of shape, not spelling). */
static bool
is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

/* Capital letters of Vietnamese: A-Z, Latin-1 capitals, Ă Đ Ĩ Ũ Ơ Ư and the even letters of U+1EA0..U+1EF9. */
static bool
is_upper(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDD && c != 0xD7) || c == 0x102 || c == 0x110 ||
           c == 0x128 || c == 0x168 || c == 0x1A0 || c == 0x1AF || (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0);
}

/* The five toned forms (huyền, sắc, hỏi, ngã, nặng) of a e o u y, small then capital. */
static const uint32_t TONED[5][2][5] = {
    {{0xE0, 0xE1, 0x1EA3, 0xE3, 0x1EA1}, {0xC0, 0xC1, 0x1EA2, 0xC3, 0x1EA0}},
    {{0xE8, 0xE9, 0x1EBB, 0x1EBD, 0x1EB9}, {0xC8, 0xC9, 0x1EBA, 0x1EBC, 0x1EB8}},
    {{0xF2, 0xF3, 0x1ECF, 0xF5, 0x1ECD}, {0xD2, 0xD3, 0x1ECE, 0xD5, 0x1ECC}},
    {{0xF9, 0xFA, 0x1EE7, 0x169, 0x1EE5}, {0xD9, 0xDA, 0x1EE6, 0x168, 0x1EE4}},
    {{0x1EF3, 0xFD, 0x1EF7, 0x1EF9, 0x1EF5}, {0x1EF2, 0xDD, 0x1EF6, 0x1EF8, 0x1EF4}},
};
static const char BASES[] = "aeouy";

/* If c is a toned a e o u y: its base index (0..4), case (0 small) and tone. */
static bool
toned(uint32_t c, int *base, int *cap, int *tone)
{
    for (int b = 0; b < 5; b++) {
        for (int k = 0; k < 2; k++) {
            for (int t = 0; t < 5; t++) {
                if (TONED[b][k][t] == c) {
                    *base = b, *cap = k, *tone = t;
                    return true;
                }
            }
        }
    }
    return false;
}

/* If c is a plain a e o u y (either case): its base index and case. */
static bool
plain(uint32_t c, int *base, int *cap)
{
    for (int b = 0; b < 5; b++) {
        if (c == (uint32_t)BASES[b] || c == (uint32_t)BASES[b] - 32) {
            *base = b;
            *cap = c < 'a';
            return true;
        }
    }
    return false;
}

/*
 * s as code points in out (at most max), folded for comparison (see the top
 * of the file): line breaks and tabs are spaces, runs of spaces are one,
 * a tone on the o of oa/oe or the u of uy moves to the second vowel, and the
 * Icelandic Ð some keyboards give is Đ. Returns the count.
 */
static int
fold(const char *s, uint32_t *out, int max)
{
    int n = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len && n < max;) {
        uint32_t c = vb_utf8_next(s, len, &i);
        if (c == '\n' || c == '\t')
            c = ' ';
        if (c == 0xD0)
            c = 0x110;
        if (c == ' ' && n > 0 && out[n - 1] == ' ')
            continue;
        out[n++] = c;
    }
    for (int i = 0; i + 1 < n; i++) {
        int b1, k1, t, b2, k2;
        if (!toned(out[i], &b1, &k1, &t) || !plain(out[i + 1], &b2, &k2))
            continue;
        /* o (2) before a (0) or e (1); u (3) before y (4) */
        if ((b1 == 2 && (b2 == 0 || b2 == 1)) || (b1 == 3 && b2 == 4)) {
            out[i] = (uint32_t)BASES[b1] - (k1 ? 32 : 0);
            out[i + 1] = TONED[b2][k2][t];
        }
    }
    return n;
}

/* a and b equal after folding. */
static bool
same_text(const char *a, const char *b)
{
    uint32_t fa[MAX_KEY], fb[MAX_KEY];
    int na = fold(a, fa, MAX_KEY), nb = fold(b, fb, MAX_KEY);
    return na == nb && memcmp(fa, fb, sizeof fa[0] * (size_t)na) == 0;
}

/* The folded length of prefix when it starts text on a word boundary, else 0. */
static int
prefix_len(const char *text, const char *prefix)
{
    uint32_t ft[MAX_KEY], fp[MAX_KEY];
    int nt = fold(text, ft, MAX_KEY), np = fold(prefix, fp, MAX_KEY);
    if (np == 0 || np > nt || memcmp(ft, fp, sizeof ft[0] * (size_t)np) != 0)
        return 0;
    if (np < nt && ft[np] != ' ' && is_letter(fp[np - 1]) && (is_letter(ft[np]) || is_digit(ft[np])))
        return 0; /* "ĐẢNG ỦY" does not start "ĐẢNG ỦYX" */
    return np;
}

/* ------------------------------------------------------------ numbers */

/* A scanner over the number text. */
typedef struct scan {
    const char *s;
    size_t len, i;
} scan_t;

static uint32_t
peek(const scan_t *sc, size_t *adv)
{
    if (sc->i >= sc->len) {
        *adv = 0;
        return 0;
    }
    uint32_t c;
    int k = vb_utf8_decode(sc->s + sc->i, sc->len - sc->i, &c);
    if (k <= 0) {
        *adv = 1;
        return 0xFFFD;
    }
    *adv = (size_t)k;
    return c;
}

static bool
eat(scan_t *sc, uint32_t want)
{
    size_t adv;
    if (peek(sc, &adv) != want || adv == 0)
        return false;
    sc->i += adv;
    return true;
}

/* Digits, from *start to *end. */
static bool
digits(scan_t *sc, size_t *start, size_t *end)
{
    *start = sc->i;
    while (sc->i < sc->len && is_digit((unsigned char)sc->s[sc->i]))
        sc->i++;
    *end = sc->i;
    return *end > *start;
}

/*
 * One abbreviation group: a capital letter, then letters (and digits when
 * allow_digits). "QĐ", "TTr", "QĐi", "ĐUK", "BTCTU", "UBND".
 */
static bool
group(scan_t *sc, bool allow_digits, size_t *start, size_t *end)
{
    *start = sc->i;
    size_t adv;
    uint32_t c = peek(sc, &adv);
    if (!is_upper(c))
        return false;
    sc->i += adv;
    for (;;) {
        c = peek(sc, &adv);
        if (adv == 0 || !(is_letter(c) || (allow_digits && is_digit(c))))
            break;
        sc->i += adv;
    }
    *end = sc->i;
    return true;
}

/* The parts of a number once its form is known. */
typedef struct parts {
    size_t seq0, seq1;   /* the sequence number */
    size_t type0, type1; /* the type abbreviation (absent: type0 == type1) */
    size_t body0, body1; /* the (lead) body abbreviation */
} parts_t;

static bool
starts_with_so(const char *s)
{
    static const char *const words[] = {"Số", "SỐ", "số", "Sô", "SÔ", NULL};
    for (const char *const *w = words; *w; w++) {
        if (strncmp(s, *w, strlen(*w)) == 0)
            return true;
    }
    /* unaccented "So 12", "so: 12" */
    return (s[0] == 'S' || s[0] == 's') && (s[1] == 'o' || s[1] == 'O') &&
           (s[2] == ' ' || s[2] == '.' || s[2] == ':');
}

/* The number's range: its value, unless blank marks were dropped from its start (then its first character). */
#define NUMBER_RANGE(m, f) ((m)->meta.number_blank ? NULL : (f)->text)

/* Party: "196-BC/ĐUK", joint "05-QC/BTCTU-BDVTU" (the examples in the messages: vctx_t). */
static vb_status_t
party_form(vctx_t *c, const vb_field_t *f, parts_t *pt)
{
    const vb_model_t *m = c->m;
    scan_t sc = {f->text, strlen(f->text), 0};
    size_t a, b;
    if (m->meta.number_blank && f->text[0] == '/')
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "\"%s\" (with the sequence number left blank) is written in the state form; a Party number "
                    "is the sequence number, \"-\", the type, \"/\", the body: -BC/ĐUK with the sequence left "
                    "blank.",
                    f->text);
    if (!m->meta.number_blank && !digits(&sc, &pt->seq0, &pt->seq1))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "The number \"%s\" must start with its sequence number, as in %s.", f->text, c->ex_party);
    if (sc.i < sc.len && sc.s[sc.i] == '/' && c->regime_other) /* regime.guess: both readings */
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "\"%s\" is written in the state form: if this is a state document, add \"profile: %s\" (see "
                    "above); if it is a Party document, write the number as the sequence number, \"-\", the type, "
                    "\"/\", the body: %s.",
                    f->text, c->regime_other, c->ex_party);
    if (sc.i < sc.len && sc.s[sc.i] == '/')
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "\"%s\" is written in the state form; a Party number is the sequence number, \"-\", the type, "
                    "\"/\", the body: %s.",
                    f->text, c->ex_party);
    if (!eat(&sc, '-') || !group(&sc, false, &pt->type0, &pt->type1) || !eat(&sc, '/') ||
        !group(&sc, true, &pt->body0, &pt->body1))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "The number \"%s\" is not in the Party form: the sequence number, \"-\", the type, \"/\", the "
                    "body, as in %s.",
                    f->text, c->ex_party);
    while (eat(&sc, '-')) {
        if (!group(&sc, true, &a, &b))
            return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                        "The number \"%s\": joint bodies are joined by \"-\", as in %s.", f->text,
                        c->ex_joint);
    }
    if (sc.i != sc.len)
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "The number \"%s\" has text after the body abbreviation; write it as in %s.", f->text,
                    c->ex_party);
    return VB_OK;
}

/* State: "15/QĐ-BNV", "15/2020/QĐ-UBND"; công văn (no kind) "05/BNV-VP". */
static vb_status_t
state_form(vctx_t *c, const vb_field_t *f, bool has_kind, parts_t *pt)
{
    const vb_model_t *m = c->m;
    scan_t sc = {f->text, strlen(f->text), 0};
    const char *example = has_kind ? c->ex_state : c->ex_cv;
    const char *shape = has_kind ? "the sequence number, \"/\", the type, \"-\", the body"
                                 : "the sequence number, \"/\", the body, \"-\", the drafting unit";
    if (!strchr(f->text, '/'))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" has no \"/\"; a state number is %s, as in %s.",
                    f->text, shape, example);
    if (m->meta.number_blank && f->text[0] != '/')
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "\"%s\": with the sequence number left blank, a state number starts with \"/\", as in /%s.",
                    f->text, strchr(example, '/') + 1);
    if (!m->meta.number_blank && !digits(&sc, &pt->seq0, &pt->seq1))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" must start with its sequence number, as in %s.",
                    f->text, example);
    if (!eat(&sc, '/'))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL,
                    "\"%s\" is not in the state form (%s, as in %s); \"%s\" is the Party form.", f->text,
                    shape, example, c->ex_party);
    /* a year group: the form of legal normative documents */
    size_t save = sc.i, y0, y1;
    if (!(digits(&sc, &y0, &y1) && y1 - y0 == 4 && eat(&sc, '/')))
        sc.i = save;
    size_t g0, g1;
    if (!group(&sc, !has_kind, &g0, &g1))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" is not in the state form: %s, as in %s.",
                    f->text, shape, example);
    if (!eat(&sc, '-'))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" needs \"-\" and %s, as in %s.", f->text,
                    has_kind ? "the body" : "the drafting unit", example);
    size_t h0, h1;
    if (!group(&sc, true, &h0, &h1))
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" is not in the state form: %s, as in %s.",
                    f->text, shape, example);
    while (eat(&sc, '-')) {
        size_t a, b;
        if (!group(&sc, true, &a, &b))
            return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" ends in a stray \"-\".", f->text);
    }
    if (sc.i != sc.len)
        return verr(c, "number.form", f->pos, NUMBER_RANGE(m, f), NULL, "The number \"%s\" has text the state form does not have (%s).",
                    f->text, example);
    if (has_kind) {
        pt->type0 = g0, pt->type1 = g1;
        pt->body0 = h0, pt->body1 = h1;
    } else {
        pt->type0 = pt->type1 = 0;
        pt->body0 = g0, pt->body1 = g1;
    }
    return VB_OK;
}

/* s[a..b) as a NUL-terminated copy in buf (truncated). */
static const char *
part(const char *s, size_t a, size_t b, char *buf, size_t size)
{
    size_t n = b - a < size - 1 ? b - a : size - 1;
    memcpy(buf, s + a, n);
    buf[n] = 0;
    return buf;
}

/* s with s[a..b) replaced by with, into buf. */
static const char *
replaced(const char *s, size_t a, size_t b, const char *with, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s%s%s", (int)a, s, with, s + b);
    return buf;
}

/*
 * "Số: 05-BC/ĐUK", "Số 05-BC/ĐUK": the number without "Số" and the colon,
 * when nothing else is wrong with that; NULL when no fix is obvious.
 */
static const char *
without_so(const char *s, char *buf, size_t size)
{
    static const char *const words[] = {"Số", "SỐ", "số", "Sô", "SÔ", "So", "SO", "so", NULL};
    const char *t = s;
    for (const char *const *w = words; *w; w++) {
        if (strncmp(t, *w, strlen(*w)) == 0) {
            t += strlen(*w);
            break;
        }
    }
    while (*t == ' ' || *t == '.' || *t == ':')
        t++;
    if (!*t || strchr(t, ':') || t == s)
        return NULL;
    snprintf(buf, size, "%s", t);
    return buf;
}

/*
 * The sequence number of f (its digits at pt): not 0, and with the profile's
 * number.min_digits, at least that many digits, with leading zeros only to
 * reach them (2: 01..09, then 10, 11 ...). Compared as text, so that a number
 * of any length is checked. Without number.min_digits (0), only 0 is refused.
 */
static void
check_zero(vctx_t *c, const vb_field_t *f, const char *range, const parts_t *pt)
{
    const char *s = f->text;
    int nmin = c->min_digits;
    size_t nd = pt->seq1 - pt->seq0, z = 0;
    while (z < nd && s[pt->seq0 + z] == '0')
        z++;
    size_t sd = nd - z; /* significant digits */
    char one[16];       /* the first number, as written */
    snprintf(one, sizeof one, "%0*d", nmin, 1);
    if (sd == 0) {
        verr(c, "number.zero", f->pos, range, NULL, "The sequence number in \"%s\" is 0; numbering starts at %s.", s,
             one);
        return;
    }
    size_t want = sd < (size_t)nmin ? (size_t)nmin : sd;
    if (nmin == 0 || nd == want)
        return;
    char seq[64], below[16], fixbuf[300];
    snprintf(seq, sizeof seq, "%.*s%.*s", (int)(want - sd), ZEROS, (int)sd, s + pt->seq0 + z);
    snprintf(below, sizeof below, "1%.*s", nmin - 1, ZEROS); /* numbers below this take a zero */
    /* safe: the same number with the zeros the profile wants */
    vb_fix_t fix = {replaced(s, pt->seq0, pt->seq1, seq, fixbuf, sizeof fixbuf),
                    sd >= want           ? VB_N_("the sequence number without a zero")
                    : want - sd == 1     ? VB_N_("the sequence number with its leading zero")
                                         : VB_N_("the sequence number with its leading zeros"),
                    true};
    const vb_fix_t *fx = sd + VB_NUMBER_MAX_DIGITS < sizeof seq ? &fix : NULL; /* seq holds it whole */
    if (sd < want && nmin == 2)
        verr(c, "number.zero", f->pos, range, fx,
             "Numbers below %s are written with a leading zero: \"%s\", not \"%.*s\" (in \"%s\").", below, seq,
             (int)nd, s + pt->seq0, s);
    else if (sd < want)
        verr(c, "number.zero", f->pos, range, fx,
             "Numbers below %s are written with leading zeros to %d digits: \"%s\", not \"%.*s\" (in \"%s\").", below,
             nmin, seq, (int)nd, s + pt->seq0, s);
    else if (nmin == 1)
        verr(c, "number.zero", f->pos, range, fx,
             "Sequence numbers are written without a leading zero: \"%s\", not \"%.*s\" (in \"%s\").", seq, (int)nd,
             s + pt->seq0, s);
    else
        verr(c, "number.zero", f->pos, range, fx, "Only numbers below %s take %s: \"%s\", not \"%.*s\" (in \"%s\").",
             below, nmin == 2 ? "a leading zero" : "leading zeros", seq, (int)nd, s + pt->seq0, s);
}

static void
check_number(vctx_t *c, const vb_profile_t *p)
{
    const vb_model_t *m = c->m;
    const vb_pvalidate_t *v = &p->validate;
    const vb_field_t *f = &m->meta.number;
    if (v->number == VB_NUMBER_ANY || !f->text)
        return;
    const char *range = NUMBER_RANGE(m, f);
    char fixbuf[300];
    if (starts_with_so(f->text) || strchr(f->text, ':')) {
        /* safe: only "Số" and ":" go */
        vb_fix_t fix = {without_so(f->text, fixbuf, sizeof fixbuf), VB_N_("the number without \"Số\" and \":\""),
                        true};
        verr(c, "number.form", f->pos, range, fix.text ? &fix : NULL,
             "Write the number without \"Số\" and without \":\" (\"%s\"); the profile prints the \"Số\" of the "
             "format.",
             f->text);
        return;
    }
    parts_t pt;
    memset(&pt, 0, sizeof pt);
    const char *kind = m->meta.kind.text;
    vb_status_t st = v->number == VB_NUMBER_PARTY ? party_form(c, f, &pt) : state_form(c, f, kind != NULL, &pt);
    if (st != VB_OK)
        return; /* the parts of a number out of form cannot be checked */

    const char *s = f->text;
    if (!m->meta.number_blank) /* else filled at issuance */
        check_zero(c, f, range, &pt);

    char got[64];
    if (kind && pt.type1 > pt.type0 && c->kind >= 0 && c->kind < v->nkinds) {
        /* the kind typed, or the one kind.unknown suggested: the number is checked against it and says so */
        const vb_pkind_t *k = &v->kinds[c->kind];
        part(s, pt.type0, pt.type1, got, sizeof got);
        /* safe when the kind was typed (the kind decides the abbreviation); not when it is kind.unknown's guess */
        vb_fix_t fix = {replaced(s, pt.type0, pt.type1, k->abbr, fixbuf, sizeof fixbuf),
                        VB_N_("the kind's abbreviation"), !c->kind_guess};
        if (same_text(got, k->abbr))
            ; /* as it should be */
        else if (c->kind_guess)
            verr(c, "number.kind", f->pos, range, &fix,
                 "A %s (the kind suggested for \"%s\") is numbered with the abbreviation \"%s\", not \"%s\" (in "
                 "\"%s\").",
                 k->name, kind, k->abbr, got, s);
        else
            verr(c, "number.kind", f->pos, range, &fix,
                 "A %s is numbered with the abbreviation \"%s\", not \"%s\" (in \"%s\").", k->name, k->abbr, got, s);
    }

    const char *issuer = m->meta.issuer.text;
    if (issuer) {
        int best = 0;
        const vb_pbody_t *body = NULL;
        for (int i = 0; i < v->nbodies; i++) {
            int n = prefix_len(issuer, v->bodies[i].prefix);
            if (n > best) {
                best = n;
                body = &v->bodies[i];
            }
        }
        if (body) {
            part(s, pt.body0, pt.body1, got, sizeof got);
            /* safe: the body's abbreviation is fixed by the format */
            vb_fix_t fix = {replaced(s, pt.body0, pt.body1, body->abbr, fixbuf, sizeof fixbuf),
                            VB_N_("the issuer's abbreviation"), false};
            if (!same_text(got, body->abbr))
                verr(c, "number.body", f->pos, range, &fix,
                     "An issuer whose name starts \"%s\" is abbreviated \"%s\" in the number, not \"%s\" (in \"%s\").",
                     body->prefix, body->abbr, got, s);
        }
    }
}

/* ------------------------------------------------------------ the kind */

static const char *
kind_name(const vb_pvalidate_t *v, int i)
{
    return i < v->nkinds ? v->kinds[i].name : v->other_kinds[i - v->nkinds];
}

/*
 * kind.unknown: the kind typed must be one of the profile's kinds (its
 * validation.kinds and other_kinds), compared as the other fields are
 * (same_text). An unknown kind is reported with the list and, when one is
 * near (rules_kind.c: case, diacritics and a few letters forgiven), with it as
 * the fix; the number's abbreviation is then checked against that kind, and
 * the message says when it could not be checked. Its severity is the
 * profile's validation.kind_unknown (a warning where the regulation's list is
 * not closed).
 */
static void
check_kind(vctx_t *c, const vb_profile_t *p)
{
    const vb_pvalidate_t *v = &p->validate;
    const vb_field_t *f = &c->m->meta.kind;
    c->kind = -1;
    c->kind_guess = false;
    int nall = v->nkinds + v->nother_kinds;
    if (!f->text || nall == 0)
        return;
    for (int i = 0; i < nall; i++) {
        if (same_text(f->text, kind_name(v, i))) {
            c->kind = i;
            return;
        }
    }
    /* the kinds, as many as a message holds (vb_diag_t's msg): then how many more */
    char known[300] = "";
    size_t k = 0;
    for (int i = 0; i < nall; i++) {
        const char *name = kind_name(v, i);
        if (k + strlen(name) + 40 > sizeof known) {
            snprintf(known + k, sizeof known - k, vb_tr(VB_N_(" and %d more")), nall - i);
            break;
        }
        k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", name);
    }
    int idx, dist;
    bool near = vb_kind_nearest(v, f->text, &idx, &dist);
    /* misspelled (near a kind): an error, the kind is printed as the format names it; else the profile's say */
    vb_severity_t sev = c->sev == VB_SEVERITY_WARNING ? VB_SEVERITY_WARNING
                        : near                        ? VB_SEVERITY_ERROR
                                                      : v->kind_unknown;
    if (near) {
        c->kind = idx;
        c->kind_guess = true;
        /* safe when dist == 0: only case or diacritics differ, and only this kind has these letters */
        vb_fix_t fix = {kind_name(v, idx),
                        dist == 0 ? VB_N_("the kind as the format writes it")
                                  : VB_N_("the nearest kind of this format (check it is the one meant)"),
                        dist == 0};
        vb_rule_report(c, sev, "kind.unknown", f->pos, f->text, &fix,
                       "\"%s\" is not a kind of this format; did you mean \"%s\"? The kinds are: %s.", f->text,
                       kind_name(v, idx), known);
    } else {
        vb_rule_report(c, sev, "kind.unknown", f->pos, f->text, NULL,
                       "\"%s\" is not a kind of this format, and no kind is near enough to suggest, so the kind in "
                       "the number was not checked. The kinds are: %s (a công văn has no kind: leave out \"kind:\").",
                       f->text, known);
    }
}

/* ------------------------------------------------------------ signers */

/* The letters of a form without its "/" and "." ("K/T", "KT." -> "KT"), into buf. */
static const char *
form_letters(const char *s, size_t n, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++)
        if (s[i] != '/' && s[i] != '.')
            buf[k++] = s[i];
    buf[k] = 0;
    return buf;
}

/*
 * The authority's first word is a form when it has a "/" or a ".": "T/M",
 * "K/T", "TM.", "KT.", "Q.", "TUQ.". A word glued to the next one after a
 * dot ("TM.ỦY BAN") is cut after the dot. A first word that is a known form
 * without its punctuation ("KT GIÁM ĐỐC" where the profile lists "KT.") is
 * that form mistyped. Other first words ("BÍ THƯ") are a post written
 * without a form, which is allowed. Where the profile lists a form with the
 * same letters ("K/T" in a state document: "KT."), the fix is the authority
 * written with it.
 */
static void
check_signer(vctx_t *c, const vb_profile_t *p, const vb_signer_t *sg)
{
    const vb_pvalidate_t *v = &p->validate;
    const char *a = sg->authority.text;
    if (!a || v->nsigner_forms == 0)
        return;
    size_t n = 0;
    while (a[n] && a[n] != ' ' && a[n] != '\n')
        n++;
    const char *dot = memchr(a, '.', n);
    if (dot)
        n = (size_t)(dot - a) + 1;
    bool punct = memchr(a, '/', n) || dot;
    char word[64], fl[64];
    form_letters(a, n, word, sizeof word);
    const char *match = NULL; /* the profile's form with the same letters */
    for (int i = 0; i < v->nsigner_forms; i++) {
        const char *fm = v->signer_forms[i];
        if (punct && strlen(fm) == n && memcmp(fm, a, n) == 0)
            return;
        if (!match && n < sizeof word && strcmp(form_letters(fm, strlen(fm), fl, sizeof fl), word) == 0)
            match = fm;
    }
    if (!punct && !match)
        return;
    char known[200] = "";
    size_t k = 0;
    for (int i = 0; i < v->nsigner_forms && k < sizeof known; i++) {
        int w = snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", v->signer_forms[i]);
        if (w < 0)
            break;
        k += (size_t)w;
    }
    /* the fix: the whole authority when it is one line, else the form alone over the first word */
    char fixbuf[300], first[64];
    const char *rest = a + n;
    bool one_line = !strchr(a, '\n');
    /* safe: the same letters in this format's form ("KT" -> "KT.", "K/T" -> "KT.") */
    vb_fix_t fix = {NULL, VB_N_("the signing form as this format writes it"), true};
    if (c->regime_other)
        ; /* regime.guess: the document may be of the other regime, where the form typed is right */
    else if (match && one_line)
        fix.text = fixbuf, snprintf(fixbuf, sizeof fixbuf, "%s%s%s", match, *rest == ' ' || !*rest ? "" : " ", rest);
    else if (match)
        fix.text = match;
    snprintf(first, sizeof first, "%.*s", (int)(n < sizeof first ? n : sizeof first - 1), a);
    const char *range = one_line ? a : first;
    if (!punct)
        verr(c, "signer.form", sg->authority.pos, range, fix.text ? &fix : NULL,
             "\"%s\" is the signing form %s written without its punctuation (known: %s).", first, match, known);
    else
        verr(c, "signer.form", sg->authority.pos, range, fix.text ? &fix : NULL,
             "\"%s\" is not a signing form of this format (known: %s).", first, known);
}

/* ------------------------------------------------------------ appendices */

/* The number of "PHỤ LỤC 1" / "Phụ lục I": Arabic, Roman or neither (or none). */
static vb_status_t
check_appendix(vctx_t *vc, const vb_profile_t *p, const vb_appendix_t *ap)
{
    vb_numbering_t want = p->appendix.numbering;
    if (want == VB_NUMBERING_ANY)
        return VB_OK;
    char label[256];
    size_t n = 0;
    for (int i = 0; i < ap->label.n; i++) {
        const vb_span_t *sp = &ap->label.spans[i];
        size_t k = sp->len < sizeof label - 1 - n ? sp->len : sizeof label - 1 - n;
        memcpy(label + n, sp->text, k);
        n += k;
    }
    label[n] = 0;
    /* the reader found "phụ lục" (7 code points) at the start */
    size_t i = 0;
    for (int cp = 0; cp < 7 && i < n; cp++) {
        uint32_t ch;
        int k = vb_utf8_decode(label + i, n - i, &ch);
        i += k > 0 ? (size_t)k : 1;
    }
    while (i < n && (label[i] == ' ' || label[i] == '\n'))
        i++;
    /* "Phụ lục số 1" */
    static const char *const so[] = {"số ", "Số ", "SỐ ", NULL};
    for (const char *const *w = so; *w; w++) {
        if (strncmp(label + i, *w, strlen(*w)) == 0)
            i += strlen(*w);
    }
    size_t t0 = i;
    while (i < n && label[i] != ' ' && label[i] != '\n' && label[i] != ':' && label[i] != '.' && label[i] != ',' &&
           label[i] != '-' && label[i] != ')')
        i++;
    size_t tn = i - t0;
    if (tn == 0)
        return VB_OK; /* "PHỤ LỤC" alone: a single appendix needs no number */
    bool arabic = true, roman = true;
    for (size_t j = t0; j < t0 + tn; j++) {
        arabic = arabic && is_digit((unsigned char)label[j]);
        roman = roman && strchr("IVXLCDM", label[j]) != NULL && label[j] != 0;
    }
    if (want == VB_NUMBERING_ARABIC && !arabic)
        return verr(vc, "appendix.numbering", ap->pos, NULL, NULL,
                    "Appendices of this format are numbered in Arabic numerals (PHỤ LỤC 1, PHỤ LỤC 2), not \"%.*s\".",
                    (int)tn, label + t0);
    if (want == VB_NUMBERING_ROMAN && !roman)
        return verr(vc, "appendix.numbering", ap->pos, NULL, NULL,
                    "Appendices of this format are numbered in Roman numerals (Phụ lục I, Phụ lục II), not \"%.*s\".",
                    (int)tn, label + t0);
    return VB_OK;
}

/* ------------------------------------------------------------ entry point */

vb_status_t
vb_validate_opts(const vb_model_t *m, const vb_profile_t *p, const vb_validate_opts_t *o, vb_diag_t *d)
{
    if (!m || !p)
        return VB_OK;
    bool nonconforming = o && o->nonconforming;
    vb_sink_t local;
    vb_sink_t *sink = o ? o->sink : NULL;
    if (!sink) {
        /* the old way: the first error in d; warnings (nonconforming) to o->warn */
        vb_sink_init(&local, d, nonconforming && o ? o->warn : NULL, o ? o->ctx : NULL);
        sink = &local;
    }
    vctx_t c = {
        .m = m,
        .sink = sink,
        .sev = nonconforming ? VB_SEVERITY_WARNING : VB_SEVERITY_ERROR,
        .min_digits = p->number.min_digits,
        .profile_named = m->meta.profile.text || (o && o->profile_named),
        .kind = -1,
    };
    example(&c, c.ex_party, 196, "-BC/ĐUK");
    example(&c, c.ex_joint, 5, "-QC/BTCTU-BDVTU");
    example(&c, c.ex_state, 15, "/QĐ-BNV");
    example(&c, c.ex_cv, 5, "/BNV-VP");
    vb_rules_regime(&c, p);
    check_kind(&c, p);
    vb_rules_title(&c, p);
    check_number(&c, p);
    const vb_signer_t *signers = m->meta.nsigners ? m->meta.signers : &m->meta.signer;
    int ns = m->meta.nsigners ? m->meta.nsigners : 1;
    for (int i = 0; i < ns; i++)
        check_signer(&c, p, &signers[i]);
    for (int i = 0; i < m->nappendices; i++)
        check_appendix(&c, p, &m->appendices[i]);
    vb_rules_closing(&c, p);
    vb_rules_body(&c, p);
    return c.failed && !nonconforming ? VB_E_INPUT : VB_OK;
}

vb_status_t
vb_validate(const vb_model_t *m, const vb_profile_t *p, vb_diag_t *d)
{
    return vb_validate_opts(m, p, NULL, d);
}
