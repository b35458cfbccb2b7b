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
        uint32_t c;
        int k = vb_utf8_decode(s + i, len - i, &c);
        if (k <= 0) {
            c = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        if (c >= 0x300 && c <= 0x36F)
            continue; /* a combining mark (the readers give NFC; a profile's text too) */
        if (c == '\n' || c == '\t' || c == 0xA0)
            c = ' ';
        if (c == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        if (at)
            at[n] = i - (size_t)k;
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
