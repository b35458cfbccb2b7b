/*
 * rules_kind.c - the kind typed compared with the profile's kinds (rules.h).
 *
 * kind.unknown (validate.c reports it) needs a comparison that forgives what
 * a clerk's keyboard does: "QUYET DINH" typed without the Vietnamese
 * keyboard, "Quyết định" in sentence case, "BÁO CAÓ" with the tone on the
 * wrong vowel. Both texts are reduced to capital base letters (Vietnamese's
 * 134 accented letters and Đ to A-Z) and compared by edit distance.
 *
 * Pure code: no allocation, no outside library.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* The base letter of a Vietnamese letter, capital; other characters as they are. */
static uint32_t
base_letter(uint32_t c)
{
    /* U+1EA0..U+1EF9, in blocks by base: Ạ..ặ, Ẹ..ệ, Ỉ..ị, Ọ..ợ, Ụ..ự, Ỳ..ỹ */
    if (c >= 0x1EA0 && c <= 0x1EF9) {
        if (c <= 0x1EB7)
            return 'A';
        if (c <= 0x1EC7)
            return 'E';
        if (c <= 0x1ECB)
            return 'I';
        if (c <= 0x1EE3)
            return 'O';
        if (c <= 0x1EF1)
            return 'U';
        return 'Y';
    }
    if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) {
        static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOO_OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO_OUUUUYTY";
        return (uint32_t)latin1[c - 0xC0];
    }
    switch (c) {
    case 0x102: case 0x103: return 'A'; /* Ă ă */
    case 0x110: case 0x111: return 'D'; /* Đ đ */
    case 0x128: case 0x129: return 'I'; /* Ĩ ĩ */
    case 0x168: case 0x169: return 'U'; /* Ũ ũ */
    case 0x1A0: case 0x1A1: return 'O'; /* Ơ ơ */
    case 0x1AF: case 0x1B0: return 'U'; /* Ư ư */
    default: break;
    }
    if (c >= 'a' && c <= 'z')
        return c - 32;
    return c;
}

int
vb_fold_letters(const char *s, uint32_t *out, int max)
{
    return vb_fold_letters_at(s, out, NULL, max);
}

int
vb_fold_letters_at(const char *s, uint32_t *out, size_t *at, int max)
{
    int n = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len && n < max;) {
        size_t start = i;
        uint32_t c = vb_utf8_next(s, len, &i);
        if (c >= 0x300 && c <= 0x36F)
            continue; /* a combining mark (the readers give NFC; a profile's text too) */
        if (c == '\n' || c == '\t' || c == 0xA0)
            c = ' ';
        if (c == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        if (at)
            at[n] = start;
        out[n++] = base_letter(c);
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    return n;
}

#define MAXD 64

int
vb_edit_distance(const uint32_t *a, int na, const uint32_t *b, int nb)
{
    if (na > MAXD)
        na = MAXD;
    if (nb > MAXD)
        nb = MAXD;
    int row[MAXD + 1];
    for (int j = 0; j <= nb; j++)
        row[j] = j;
    for (int i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= nb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

bool
vb_kind_nearest(const vb_pvalidate_t *v, const char *typed, int *index, int *dist)
{
    uint32_t ft[MAXD], fk[MAXD];
    int nt = vb_fold_letters(typed, ft, MAXD);
    int best = -1, bestd = 1 << 20;
    bool tie = false;
    for (int i = 0; i < v->nkinds + v->nother_kinds; i++) {
        const char *name = i < v->nkinds ? v->kinds[i].name : v->other_kinds[i - v->nkinds];
        int nk = vb_fold_letters(name, fk, MAXD);
        int d = vb_edit_distance(ft, nt, fk, nk);
        if (d < bestd) {
            best = i, bestd = d, tie = false;
        } else if (d == bestd) {
            tie = true;
        }
    }
    /* near enough: at most a third of the letters of the longer text changed, and one kind only */
    if (best < 0 || tie || bestd * 3 > (nt > 3 ? nt : 3))
        return false;
    *index = best;
    *dist = bestd;
    return true;
}

/* ------------------------------------------------------------ title.case */

/* The other case of a Vietnamese letter (c itself when it has none); *upper says which c is. */
static uint32_t
other_case(uint32_t c, int *upper)
{
    *upper = -1;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
        *upper = 1;
        return c + 32;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) {
        *upper = 0;
        return c - 32;
    }
    if ((c >= 0x1EA0 && c <= 0x1EF9) || c == 0x102 || c == 0x103 || c == 0x110 || c == 0x111 || c == 0x128 ||
        c == 0x129 || c == 0x168 || c == 0x169 || c == 0x1A0 || c == 0x1A1) {
        *upper = c % 2 == 0;
        return *upper ? c + 1 : c - 1;
    }
    if (c == 0x1AF || c == 0x1B0) { /* Ư ư: odd capital */
        *upper = c == 0x1AF;
        return *upper ? c + 1 : c - 1;
    }
    return c;
}

/*
 * title.case: the trích yếu is typed in normal case, its first letter small
 * (Party: "kết quả …", "về việc …", §2.5, §5) or capital (ND30 ô 5a: "Về công
 * tác …"), as the profile's validation.title_case (title_case_cv for a công
 * văn) says. A title typed all in capitals is a warning without a fix (its
 * proper names cannot be told from the rest). With lower or capital, a first letter in the other case
 * is a warning with the letter changed as the fix (safe for a capital start,
 * ND30; not for a small one, the first word may be a name: "Đảng bộ …").
 */
void
vb_rules_title(vctx_t *c, const vb_profile_t *p)
{
    const vb_meta_t *mt = &c->m->meta;
    const char *t = mt->title.text;
    int want = mt->kind.text ? p->validate.title_case : p->validate.title_case_cv;
    if (!t || !want)
        return;
    int letters = 0, capitals = 0, up;
    size_t len = strlen(t), first = len, firstlen = 0;
    uint32_t fc = 0;
    for (size_t i = 0; i < len;) {
        uint32_t ch;
        int k = vb_utf8_decode(t + i, len - i, &ch);
        if (k <= 0)
            k = 1, ch = 0xFFFD;
        other_case(ch, &up);
        if (up >= 0) {
            letters++;
            capitals += up;
            if (first == len)
                first = i, firstlen = (size_t)k, fc = ch;
        }
        i += (size_t)k;
        if (up == 0)
            break; /* a small letter: not all capitals, and the first letter is known */
    }
    if (letters >= 4 && capitals == letters) {
        vb_rule_report(c, VB_SEVERITY_WARNING, "title.case", mt->title.pos, t, NULL,
                       "The title is typed all in capitals; type it in normal case (%s), with capitals only where "
                       "Vietnamese writes them (names): the profile sets its style.",
                       want == 1   ? "\"kết quả công tác …\", first letter small"
                       : want == 2 ? "\"Về công tác …\""
                                   : "\"Kết quả công tác …\"");
        return;
    }
    if (want == 3 || first == len || strncmp(t, "V/v", 3) == 0)
        return; /* normal case: either first letter */
    uint32_t oc = other_case(fc, &up);
    if ((want == 1 && up != 1) || (want == 2 && up != 0))
        return;
    char fixbuf[600], letter[8];
    int n = vb_utf8_encode(oc, letter);
    snprintf(fixbuf, sizeof fixbuf, "%.*s%.*s%s", (int)first, t, n, letter, t + first + firstlen);
    /* safe when a capital is wanted (ND30); not when a small one is (the first word may be a name) */
    vb_fix_t fix = {fixbuf, want == 2 ? VB_N_("the title with a capital first letter") : VB_N_("the title with a small first letter"),
                    want == 2};
    if (want == 2)
        vb_rule_report(c, VB_SEVERITY_WARNING, "title.case", mt->title.pos, t, &fix,
                       "The title starts with a small letter; this format writes its first letter as a capital.");
    else
        vb_rule_report(c, VB_SEVERITY_WARNING, "title.case", mt->title.pos, t, &fix,
                       "The title starts with a capital; this format writes it with a small first letter (\"về "
                       "việc …\", \"kết quả …\") unless it starts with a name.");
}
