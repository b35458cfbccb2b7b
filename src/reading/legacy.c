/*
 * legacy.c - the old Vietnamese encodings clerks paste from: TCVN3 (ABC,
 * .VnTime fonts), VNI-Windows (VNI-Times fonts) and VIQR (ASCII), converted
 * to Unicode, and told from correct text by a score.
 *
 * The tables are data: data/legacy-charsets.txt, one Vietnamese letter a
 * line with its code in each encoding, turned into legacy_table.h at build
 * time (cmake/gen_legacy.cmake). A C table rather than a file read at run
 * time: the library stays free of a data file to find (vb_convert_legacy is
 * a plain function on text, usable without an engine or a layouts folder),
 * a render does no extra open, and the data file stays the one place the
 * codes are written.
 *
 * A paste from an old .doc arrives as Latin-1 letters: TCVN3 "Bé Y tÕ" for
 * "Bộ Y tế" (one byte a letter), VNI "Coäng hoøa" for "Cộng hòa" (a base
 * letter and a mark byte). The score (vb_legacy_score) counts the words a
 * conversion changes and how many of them are Vietnamese syllables before and
 * after it: French "où" or German "schön" convert to no syllable, correct
 * Vietnamese is a syllable already (and has letters past U+00FF, which a
 * TCVN3 or VNI paste never has).
 */
#include <string.h>

#include "legacy.h"

#include "legacy_table.h" /* generated: vb_legacy_letters */

const vb_legacy_letter_t *
vb_legacy_table(int *n)
{
    if (n)
        *n = VB_LEGACY_NLETTERS;
    return vb_legacy_letters;
}

const char *
vb_legacy_name(vb_legacy_t enc)
{
    switch (enc) {
    case VB_LEGACY_TCVN3:
        return "TCVN3";
    case VB_LEGACY_VNI:
        return "VNI";
    case VB_LEGACY_VIQR:
        return "VIQR";
    default:
        return "auto";
    }
}

#define NSMALL (VB_LEGACY_NLETTERS / 2)

/* The next character of s at i: its code point and length; a byte that is not valid UTF-8 stands for itself. */
static int
next_cp(const char *s, size_t len, size_t i, uint32_t *cp)
{
    int n = vb_utf8_decode(s + i, len - i, cp);
    if (n <= 0) {
        *cp = (unsigned char)s[i];
        n = 1;
    }
    return n;
}

static bool
ascii_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
ascii_upper(uint32_t c)
{
    return c >= 'A' && c <= 'Z';
}

static int
put_cp(vb_buf_t *b, uint32_t cp)
{
    char u[4];
    int n = vb_utf8_encode(cp, u);
    return vb_buf_add(b, u, (size_t)(n > 0 ? n : 0));
}

/* ------------------------------------------------------------ TCVN3 */

/* The letter whose TCVN3 byte is c (a small letter, or one of the 7 capitals); -1 when none. */
static int
tcvn3_letter(uint32_t c)
{
    if (c < 0xA1 || c > 0xFE)
        return -1;
    for (int i = 0; i < VB_LEGACY_NLETTERS; i++)
        if ((unsigned char)vb_legacy_letters[i].tcvn3[0] == c && vb_legacy_letters[i].tcvn3[0])
            return i;
    return -1;
}

/* Letters of a word in TCVN3: ASCII letters and the bytes of letters. */
static bool
tcvn3_word_char(uint32_t c)
{
    return ascii_letter(c) || tcvn3_letter(c) >= 0;
}

/*
 * TCVN3 has no capitals with tone marks: a heading in capitals was typed in
 * a capital font (.VnTimeH) with the small letters' codes. A word is read in
 * capitals when its ASCII letters are all capitals and there are two or
 * more, or one that is not its first letter ("ñY" reads "ỦY"), or when its
 * line has no small ASCII letter but two or more capitals ("CéNG HOµ X· HéI"
 * reads "CỘNG HOÀ XÃ HỘI"; "Bé Y tÕ" reads "Bộ Y tế").
 */
static int
tcvn3_decode(const char *s, size_t len, vb_buf_t *b)
{
    bool line_caps = false;
    bool line_known = false;
    for (size_t i = 0; i < len;) {
        if (!line_known) {
            int up = 0, low = 0;
            for (size_t j = i; j < len && s[j] != '\n'; j++) {
                unsigned char c = (unsigned char)s[j];
                up += c >= 'A' && c <= 'Z';
                low += c >= 'a' && c <= 'z';
            }
            line_caps = low == 0 && up >= 2;
            line_known = true;
        }
        uint32_t cp;
        int n = next_cp(s, len, i, &cp);
        if (cp == '\n')
            line_known = false;
        if (!tcvn3_word_char(cp)) {
            if (put_cp(b, cp))
                return -1;
            i += (size_t)n;
            continue;
        }
        /* one word: [i, j) */
        size_t j = i;
        int up = 0, low = 0;
        while (j < len) {
            uint32_t c;
            int k = next_cp(s, len, j, &c);
            if (!tcvn3_word_char(c))
                break;
            up += ascii_upper(c);
            low += ascii_letter(c) && !ascii_upper(c);
            j += (size_t)k;
        }
        /* "ñY" is "ỦY": a capital after the first letter means capitals; "Bé" is "Bộ" */
        bool caps = low == 0 && (up >= 2 || (up == 1 && !ascii_upper((unsigned char)s[i])) || line_caps);
        for (size_t k = i; k < j;) {
            uint32_t c;
            int m = next_cp(s, len, k, &c);
            int l = ascii_letter(c) ? -1 : tcvn3_letter(c);
            if (l < 0) {
                if (put_cp(b, c))
                    return -1;
            } else {
                if (caps && l < NSMALL)
                    l += NSMALL;
                if (vb_buf_puts(b, vb_legacy_letters[l].letter))
                    return -1;
            }
            k += (size_t)m;
        }
        i = j;
    }
    return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------ VNI */

/* The bytes (up to 2) of the characters at s + i that stand for bytes (code points up to U+00FF). */
static int
legacy_bytes(const char *s, size_t len, size_t i, unsigned char by[2], int lens[2])
{
    int nb = 0;
    while (nb < 2 && i < len) {
        uint32_t c;
        int n = next_cp(s, len, i, &c);
        if (c > 0xFF)
            break;
        by[nb] = (unsigned char)c;
        lens[nb++] = n;
        i += (size_t)n;
    }
    return nb;
}

/* The letter whose VNI code starts s + i (the longest), its length in *used; -1 when none. */
static int
vni_match(const char *s, size_t len, size_t i, size_t *used)
{
    unsigned char by[2];
    int lens[2];
    int nb = legacy_bytes(s, len, i, by, lens);
    /* every VNI code starts with a vowel letter or a byte from 0xC0 */
    if (nb == 0 || (by[0] < 0xC0 && !strchr("aeouyAEOUY", by[0] ? by[0] : '-')))
        return -1;
    int best = -1, bestn = 0;
    for (int l = 0; l < VB_LEGACY_NLETTERS; l++) {
        const unsigned char *v = (const unsigned char *)vb_legacy_letters[l].vni;
        if (v[0] != by[0])
            continue;
        int vn = (int)strlen((const char *)v);
        if (vn > nb || vn <= bestn)
            continue;
        if (memcmp(v, by, (size_t)vn) == 0)
            best = l, bestn = vn;
    }
    if (best >= 0)
        *used = (size_t)lens[0] + (bestn == 2 ? (size_t)lens[1] : 0);
    return best;
}

static int
vni_decode(const char *s, size_t len, vb_buf_t *b)
{
    for (size_t i = 0; i < len;) {
        size_t used = 0;
        int l = vni_match(s, len, i, &used);
        if (l >= 0) {
            if (vb_buf_puts(b, vb_legacy_letters[l].letter))
                return -1;
            i += used;
            continue;
        }
        uint32_t cp;
        int n = next_cp(s, len, i, &cp);
        if (put_cp(b, cp))
            return -1;
        i += (size_t)n;
    }
    return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------ VIQR */

static bool
viqr_tone(char c)
{
    return c == '\'' || c == '`' || c == '?' || c == '~' || c == '.';
}

/*
 * Whether a '.' or '?' that ends a word, after the letter spelt q at s + i, is
 * its tone: only for the word's first vowel, with no tone before it; a '.'
 * also only when the letter has a modifier ("Tu+." is "Tự") or is the whole
 * word ("a." is "ạ"). "chu?" is "chủ"; "ba.", "chu+a?" and "gi`?" end a
 * sentence.
 */
static bool
viqr_end_tone(const char *s, size_t i, const char *q)
{
    bool question = q[strlen(q) - 1] == '?';
    size_t ws = i;
    while (ws > 0 && (ascii_letter((unsigned char)s[ws - 1]) || strchr("^(+'`?~.", s[ws - 1])))
        ws--;
    for (size_t k = ws; k < i; k++) {
        char c = (char)(s[k] | 0x20);
        if (strchr("aeiouy", c) || viqr_tone(s[k]))
            return false;
    }
    return question || ws == i || strpbrk(q, "^(+") != NULL;
}

/*
 * The letter whose VIQR spelling starts s + i (the longest). "dd" only at a
 * word's start (đ begins a syllable: "address" stays); a '.' or '?' that ends
 * a word is punctuation ("Nam." is "Nam."), as is a mark a backslash escapes.
 */
static int
viqr_match(const char *s, size_t len, size_t i, size_t *used)
{
    int best = -1;
    size_t bestn = 0;
    /* every VIQR spelling is a letter and a mark, or "dd" */
    if (i + 1 >= len || !strchr("^(+'`?~.dD", s[i + 1] ? s[i + 1] : '-'))
        return -1;
    bool word_start = i == 0 || !ascii_letter((unsigned char)s[i - 1]);
    for (int l = 0; l < VB_LEGACY_NLETTERS; l++) {
        const char *q = vb_legacy_letters[l].viqr;
        if (q[0] != s[i])
            continue;
        size_t qn = strlen(q);
        if (qn > len - i || qn <= bestn || memcmp(q, s + i, qn) != 0)
            continue;
        if ((q[0] == 'd' || q[0] == 'D') && !word_start)
            continue;
        char last = q[qn - 1];
        bool at_end = i + qn >= len || !ascii_letter((unsigned char)s[i + qn]);
        if ((last == '.' || last == '?') && at_end && !viqr_end_tone(s, i, q))
            continue; /* the mark before it may still stand: "No^." is "Nô." */
        best = l, bestn = qn;
    }
    if (best >= 0)
        *used = bestn;
    return best;
}

static int
viqr_decode(const char *s, size_t len, vb_buf_t *b)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' && i + 1 < len && (viqr_tone(s[i + 1]) || s[i + 1] == '^' || s[i + 1] == '(' || s[i + 1] == '+') &&
            i > 0 && ascii_letter((unsigned char)s[i - 1])) {
            if (vb_buf_putc(b, s[i + 1]))
                return -1;
            i += 2;
            continue;
        }
        size_t used = 0;
        int l = ascii_letter(c) ? viqr_match(s, len, i, &used) : -1;
        if (l >= 0) {
            if (vb_buf_puts(b, vb_legacy_letters[l].letter))
                return -1;
            i += used;
            continue;
        }
        if (vb_buf_putc(b, (char)c))
            return -1;
        i++;
    }
    return b->oom ? -1 : 0;
}

int
vb_legacy_decode(vb_legacy_t enc, const char *s, size_t len, vb_buf_t *b)
{
    switch (enc) {
    case VB_LEGACY_TCVN3:
        return tcvn3_decode(s, len, b);
    case VB_LEGACY_VNI:
        return vni_decode(s, len, b);
    case VB_LEGACY_VIQR:
        return viqr_decode(s, len, b);
    default:
        return vb_buf_add(b, s, len);
    }
}

/* The table's row of the letter at s + i (UTF-8), its length in *n; -1 when it is no letter of the table. */
static int
letter_at(const char *s, size_t len, size_t i, int *n)
{
    uint32_t cp;
    *n = next_cp(s, len, i, &cp);
    if (cp < 0xC0 || *n < 2) /* every letter of the table is two or three bytes of UTF-8 */
        return -1;
    for (int l = 0; l < VB_LEGACY_NLETTERS; l++) {
        if (vb_legacy_letters[l].letter[0] != s[i] || vb_legacy_letters[l].letter[1] != s[i + 1])
            continue;
        size_t ln = strlen(vb_legacy_letters[l].letter);
        if (ln == (size_t)*n && memcmp(vb_legacy_letters[l].letter, s + i, ln) == 0)
            return l;
    }
    return -1;
}

int
vb_legacy_encode(vb_legacy_t enc, const char *s, size_t len, vb_buf_t *b)
{
    for (size_t i = 0; i < len;) {
        int n;
        int l = letter_at(s, len, i, &n);
        if (l < 0 || enc == VB_LEGACY_AUTO) {
            vb_buf_add(b, s + i, (size_t)n);
        } else {
            const char *code = enc == VB_LEGACY_TCVN3 ? vb_legacy_letters[l].tcvn3
                             : enc == VB_LEGACY_VNI   ? vb_legacy_letters[l].vni
                                                      : vb_legacy_letters[l].viqr;
            if (enc == VB_LEGACY_TCVN3 && !code[0])
                code = vb_legacy_letters[l - NSMALL].tcvn3; /* a capital font's code */
            if (enc == VB_LEGACY_VIQR)
                vb_buf_puts(b, code);
            else
                for (const unsigned char *p = (const unsigned char *)code; *p; p++)
                    put_cp(b, *p);
        }
        i += (size_t)n;
    }
    return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------ syllables */

/* Vowel groups (VIQR spelling without tones); a '*' ends one that takes no final consonant. */
static const char *const nuclei[] = {
    "a", "a(", "a^", "e", "e^", "i", "o", "o^", "o+", "u", "u+", "y",
    "ai*", "ao*", "au*", "ay*", "a^u*", "a^y*", "eo*", "e^u*", "ia*", "ie^", "iu*", "oa", "oa(", "oe", "oi*",
    "oo", "o^i*", "o+i*", "ua*", "ua^", "ue^", "ui*", "uo^", "uo+", "uy", "u+a*", "u+i*", "u+o+", "u+u*", "ye^",
    "ie^u*", "ye^u*", "oai*", "oao*", "oay*", "oeo*", "ua^y*", "uo^i*", "uya*", "uye^", "uyu*", "u+o+i*",
    "u+o+u*", "uo+i*",
};
static const char *const onsets[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "dd", "b", "c", "d", "g", "h", "k",
    "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
};
static const char *const codas[] = {"ch", "ng", "nh", "c", "m", "n", "p", "t", ""};

static bool
rest_ok(const char *r, size_t rn)
{
    for (size_t i = 0; i < sizeof nuclei / sizeof *nuclei; i++) {
        const char *v = nuclei[i];
        size_t vn = strlen(v);
        bool open = v[vn - 1] == '*';
        if (open)
            vn--;
        if (vn > rn || memcmp(v, r, vn) != 0)
            continue;
        const char *c = r + vn;
        size_t cn = rn - vn;
        if (open) {
            if (cn == 0)
                return true;
            continue;
        }
        for (size_t k = 0; k < sizeof codas / sizeof *codas; k++)
            if (strlen(codas[k]) == cn && memcmp(codas[k], c, cn) == 0)
                return true;
    }
    return false;
}

bool
vb_viet_syllable(const char *s, size_t len)
{
    char sk[64]; /* the word in small VIQR letters without tones */
    size_t k = 0;
    int tones = 0, letters = 0, caps = 0;
    bool first_cap = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = next_cp(s, len, i, &cp);
        const char *add;
        char one[2] = {0, 0};
        bool cap;
        if (ascii_letter(cp)) {
            one[0] = (char)(cp | 0x20);
            add = one;
            cap = ascii_upper(cp);
        } else {
            int m;
            int l = letter_at(s, len, i, &m);
            if (l < 0)
                return false;
            cap = l >= NSMALL;
            add = vb_legacy_letters[l].viqr;
            if (add[0] == 'D')
                add = "dd";
        }
        if (letters == 0)
            first_cap = cap;
        letters++;
        caps += cap;
        for (const char *p = add; *p; p++) {
            if (viqr_tone(*p)) {
                tones++;
                continue;
            }
            if (k + 1 >= sizeof sk)
                return false;
            sk[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
        }
        i += (size_t)n;
    }
    if (letters == 0 || tones > 1)
        return false;
    /* lower case, Capitalised or CAPITALS */
    if (!(caps == 0 || caps == letters || (caps == 1 && first_cap)))
        return false;
    for (size_t i = 0; i < sizeof onsets / sizeof *onsets; i++) {
        size_t on = strlen(onsets[i]);
        if (on <= k && memcmp(onsets[i], sk, on) == 0 && rest_ok(sk + on, k - on))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ the score */

/* Punctuation and Markdown marks a word is stripped of before it is judged. */
static bool
strip_char(unsigned char c)
{
    return c && strchr(".,;:!?()[]{}\"'*_#>|/-`~", c) != NULL;
}

static bool
judged(const char *s, size_t n)
{
    while (n && strip_char((unsigned char)s[0]))
        s++, n--;
    while (n && strip_char((unsigned char)s[n - 1]))
        n--;
    return n && vb_viet_syllable(s, n);
}

/* A VIQR modifier after a vowel ("e^", "a(", "u+") or "dd" at a word's start. */
static bool
viqr_marked(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        char c = s[i], p = (char)(s[i - 1] | 0x20);
        if ((c == '^' || c == '(' || c == '+') && strchr("aeiouy", p) && p)
            return true;
    }
    return n >= 2 && (s[0] | 0x20) == 'd' && (s[1] | 0x20) == 'd' && (n == 2 || strchr("aeiouy", s[2] | 0x20));
}

void
vb_legacy_score(vb_legacy_t enc, const char *s, size_t len, vb_legacy_score_t *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->latin_only = true;
    vb_buf_t b = {0};
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            i++;
            continue;
        }
        size_t j = i;
        bool letter = false;
        while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') {
            uint32_t cp;
            int n = next_cp(s, len, j, &cp);
            if (ascii_letter(cp) || (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7))
                letter = true;
            if ((cp >= 0x100 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00))
                sc->latin_only = false;
            j += (size_t)n;
        }
        sc->words += letter;
        if (enc == VB_LEGACY_VIQR && viqr_marked(s + i, j - i))
            sc->viqr_marks = true;
        vb_buf_clear(&b);
        if (vb_legacy_decode(enc, s + i, j - i, &b) == 0 && (b.n != j - i || memcmp(b.p, s + i, b.n) != 0)) {
            sc->cand++;
            sc->before += judged(s + i, j - i);
            sc->after += judged(b.p, b.n);
        }
        i = j;
    }
    vb_buf_free(&b);
}

/*
 * The rule: the conversion makes more syllables than it unmakes (after >
 * before), most of the words it changes become syllables (after >= 60% of
 * cand), and it changes a fair share of the words (cand >= 30% of them:
 * French accents one word in eight or so, Vietnamese one in two). TCVN3 and
 * VNI need a text with no letter past U+00FF; VIQR a modifier ("e^", "o+",
 * "a(", "dd") somewhere, which English never writes.
 */
bool
vb_legacy_fires(vb_legacy_t enc, const vb_legacy_score_t *sc)
{
    if (sc->cand == 0 || sc->after <= sc->before)
        return false;
    if (sc->after * 10 < sc->cand * 6 || sc->cand * 10 < sc->words * 3)
        return false;
    if (enc == VB_LEGACY_VIQR)
        return sc->viqr_marks;
    return sc->latin_only;
}

bool
vb_legacy_clear(const vb_legacy_score_t *sc)
{
    return sc->after * 10 >= sc->cand * 9 && sc->before * 2 <= sc->cand;
}

vb_legacy_t
vb_legacy_guess(const char *s, size_t len, vb_legacy_score_t *out)
{
    static const vb_legacy_t encs[] = {VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_VIQR};
    vb_legacy_t best = VB_LEGACY_AUTO;
    vb_legacy_score_t bs = {0};
    for (size_t i = 0; i < 3; i++) {
        vb_legacy_score_t sc;
        vb_legacy_score(encs[i], s, len, &sc);
        if (vb_legacy_fires(encs[i], &sc) && (best == VB_LEGACY_AUTO || sc.after - sc.before > bs.after - bs.before))
            best = encs[i], bs = sc;
    }
    if (out)
        *out = bs;
    return best;
}

/* ------------------------------------------------------------ the public call */

vb_status_t
vb_convert_legacy(const char *text, size_t len, vb_legacy_t from, char **out, size_t *out_len, vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!out || (!text && len))
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", NULL, 0, 0, "vb_convert_legacy needs text and out.");
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (from == VB_LEGACY_AUTO) {
        from = vb_legacy_guess(text, len, NULL);
        if (from == VB_LEGACY_AUTO)
            return vb_diag_set(diag, VB_E_INPUT, "paste.none", NULL, 0, 0,
                               "No TCVN3, VNI or VIQR text was found: name the encoding with --from.");
    } else if (from != VB_LEGACY_TCVN3 && from != VB_LEGACY_VNI && from != VB_LEGACY_VIQR) {
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", NULL, 0, 0, "Unknown legacy encoding %d.", (int)from);
    }
    vb_buf_t b = {0};
    if (vb_legacy_decode(from, text, len, &b) != 0 || !vb_buf_reserve(&b, 0)) {
        vb_buf_free(&b);
        return vb_diag_nomem(diag);
    }
    *out = vb_buf_take(&b, out_len);
    return VB_OK;
}

vb_legacy_t
vb_legacy_detect(const char *text, size_t len)
{
    return text ? vb_legacy_guess(text, len, NULL) : VB_LEGACY_AUTO;
}
