/*
 * rules_body.c - the body's numbering and its references (rules.h).
 *
 *   body.numbering  the numbers a clerk types at the start of a heading or a
 *                   paragraph run in sequence, without gaps or repeats:
 *                   Roman "I." "II-", Arabic "1." "2)", letters "a)" "b)"
 *                   in the order of the profile's validation.point_letters
 *                   (the Vietnamese alphabet: a, b, c, d, đ, e ...). Each
 *                   series is the numbers of one style at one place: the
 *                   headings of one level, or the paragraphs; a heading ends
 *                   the series below it (its sub-headings and paragraphs),
 *                   and a number of a higher style ends the series of the
 *                   lower ones at its place ("II." starts its "1." again). A
 *                   series may start again at its first number ("1." after
 *                   "3." is a new list); a number that is neither the next
 *                   nor the first is a warning at the number, with the next
 *                   number as the fix; the series then reads on from that
 *                   number, so that the fixes together renumber it ("1, 3,
 *                   4": 3 -> 2 and 4 -> 3; "1, 3, 3": only the first 3). "1.1." and other many-part numbers are
 *                   not checked. Appendices are checked each on its own.
 *   appendix.reference  with validation.appendix_reference (ND30 Điều 11
 *                   and Phụ lục I §V: the text must refer to each appendix),
 *                   an appendix that the body never names ("Phụ lục II", or
 *                   "Phụ lục I, II", "Phụ lục I - III"; "phụ lục" alone for a
 *                   single unnumbered one) is a warning at its label; a
 *                   paragraph naming "Phụ lục N kèm theo" (this document's,
 *                   by "kèm theo") when there is no appendix N (and
 *                   every appendix is numbered), at the paragraph.
 *
 * Pure code over the model and the profile: no allocation.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ numbering */

enum { ST_ROMAN = 0, ST_ARABIC, ST_LETTER, NSTYLES };
#define NPLACES 7 /* heading levels 1..6, then paragraphs (0: level - 1) */

typedef struct series {
    int last[NPLACES][NSTYLES]; /* the last number seen; 0: the series is not open */
    bool renumbered[NPLACES][NSTYLES]; /* ... it was reported and is read as its fix */
} series_t;

/* The value of a Roman numeral of I, V, X (1..39), or 0. */
static int
roman_value(const char *s, size_t n)
{
    static const char *const R[] = {"",   "I",   "II",   "III",   "IV",   "V",   "VI",   "VII",   "VIII",   "IX",
                                    "X",  "XI",  "XII",  "XIII",  "XIV",  "XV",  "XVI",  "XVII",  "XVIII",  "XIX",
                                    "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI", "XXVII", "XXVIII", "XXIX",
                                    "XXX", "XXXI", "XXXII", "XXXIII", "XXXIV", "XXXV", "XXXVI", "XXXVII",
                                    "XXXVIII", "XXXIX"};
    for (int v = 1; v < (int)(sizeof R / sizeof R[0]); v++) {
        if (strlen(R[v]) == n && memcmp(R[v], s, n) == 0)
            return v;
    }
    return 0;
}

static void
roman_text(int v, char *buf, size_t size)
{
    static const char *const T[] = {"", "X", "XX", "XXX"};
    static const char *const U[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    snprintf(buf, size, "%s%s", T[(v / 10) % 4], U[v % 10]);
}

/* The place (from 1) of the word w[0..n) among the space-separated words of letters, else 0. */
static int
letter_index(const char *letters, const char *w, size_t n)
{
    int k = 0;
    for (const char *p = letters; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        k++;
        if ((size_t)(e - p) == n && memcmp(p, w, n) == 0)
            return k;
        p = e;
    }
    return 0;
}

/* The k-th (from 1) word of letters into buf ("" when there is none). */
static void
letter_at(const char *letters, int k, char *buf, size_t size)
{
    buf[0] = 0;
    for (const char *p = letters; p && *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (--k == 0) {
            snprintf(buf, size, "%.*s", (int)(e - p), p);
            return;
        }
        p = e;
    }
}

/*
 * The number at the start of text: its style, value (from 1), its length in
 * bytes. "I." "II-" "IV." (Roman, then "." "-" or "–"), "12." "3)" (Arabic,
 * not "1.1."), "a)" "đ)" (a point letter of the profile's list, then ")").
 * Then a space. Returns false for anything else.
 */
static bool
leading_number(const vb_pvalidate_t *v, const char *text, size_t len, int *style, int *value, size_t *nlen)
{
    size_t i = 0;
    while (i < len && text[i] >= '0' && text[i] <= '9')
        i++;
    if (i > 0) {
        if (i > 3 || i + 1 >= len || (text[i] != '.' && text[i] != ')') || text[i + 1] != ' ')
            return false;
        *style = ST_ARABIC;
        *value = 0;
        for (size_t j = 0; j < i; j++)
            *value = *value * 10 + (text[j] - '0');
        *nlen = i;
        return *value > 0;
    }
    while (i < len && (text[i] == 'I' || text[i] == 'V' || text[i] == 'X'))
        i++;
    if (i > 0) {
        bool dash = i + 3 < len && memcmp(text + i, "\xE2\x80\x93", 3) == 0; /* – */
        size_t after = dash ? i + 3 : i + 1;
        if (after >= len || !(dash || text[i] == '.' || text[i] == '-') || text[after] != ' ')
            return false;
        *style = ST_ROMAN;
        *value = roman_value(text, i);
        *nlen = i;
        return *value > 0;
    }
    /* a point letter: the text up to ")" is one of the profile's letters (words of point_letters) */
    const char *close = memchr(text, ')', len < 8 ? len : 8);
    if (!v->point_letters || !close || close == text || (size_t)(close - text) + 1 >= len || close[1] != ' ')
        return false;
    size_t n = (size_t)(close - text);
    int k = letter_index(v->point_letters, text, n);
    if (k == 0)
        return false;
    *style = ST_LETTER;
    *value = k;
    *nlen = n;
    return true;
}

static void
number_text(const vb_pvalidate_t *v, int style, int value, char *buf, size_t size)
{
    if (style == ST_ROMAN)
        roman_text(value, buf, size);
    else if (style == ST_ARABIC)
        snprintf(buf, size, "%d", value);
    else
        letter_at(v->point_letters, value, buf, size);
}

static void
check_block(vctx_t *c, const vb_pvalidate_t *v, series_t *s, const vb_block_t *b)
{
    if (b->kind != VB_BLOCK_HEADING && b->kind != VB_BLOCK_PARA)
        return;
    int place = b->kind == VB_BLOCK_HEADING ? (b->level >= 1 && b->level <= 6 ? b->level - 1 : 5) : NPLACES - 1;
    if (b->kind == VB_BLOCK_HEADING) {
        for (int p = place + 1; p < NPLACES; p++) {
            memset(s->last[p], 0, sizeof s->last[p]);
            memset(s->renumbered[p], 0, sizeof s->renumbered[p]);
        }
    }
    if (b->text.n == 0 || !b->text.spans[0].text)
        return;
    const vb_span_t *sp = &b->text.spans[0];
    int style, value;
    size_t nlen;
    if (!leading_number(v, sp->text, sp->len, &style, &value, &nlen))
        return;
    int *last = s->last[place];
    bool *ren = s->renumbered[place];
    int prev = last[style];
    bool prev_ren = ren[style];
    for (int k = style + 1; k < NSTYLES; k++)
        last[k] = 0, ren[k] = false; /* "II." ends the "1." "2." under "I." */
    last[style] = value;
    ren[style] = false;
    if (value == 1 || prev == 0 || value == prev + 1)
        return;
    /* read on as if it had the next number: its fix and the following ones' then renumber the series */
    last[style] = prev + 1;
    ren[style] = true;
    /* where the number is typed: after "#"s and a space for a heading, after "**" or "*" for a marked span */
    vb_pos_t at = b->pos;
    if (b->kind == VB_BLOCK_HEADING)
        at.col += b->level + 1;
    else
        at.col += (sp->face & VB_FACE_BOLD ? 2 : 0) + (sp->face & VB_FACE_ITALIC ? 1 : 0);
    char got[16], want[16], prevt[16];
    snprintf(got, sizeof got, "%.*s", (int)nlen, sp->text);
    number_text(v, style, prev + 1, want, sizeof want);
    number_text(v, style, prev, prevt, sizeof prevt);
    if (!want[0])
        return; /* past the last point letter */
    vb_fix_t fix = {want, VB_N_("the next number of the series"), false}; /* not safe: a part may be missing, not misnumbered */
    bool h = b->kind == VB_BLOCK_HEADING;
    if (prev_ren)
        vb_rule_report(c, VB_SEVERITY_WARNING, "body.numbering", at, got, &fix,
                       h ? VB_N_("This heading is numbered %s; with the one before renumbered %s, the next number is %s.")
                         : VB_N_("This paragraph is numbered %s; with the one before renumbered %s, the next number is %s."),
                       got, prevt, want);
    else if (value == prev)
        vb_rule_report(c, VB_SEVERITY_WARNING, "body.numbering", at, got, &fix,
                       h ? VB_N_("This heading is numbered %s again (the one before is %s too); the next number is %s.")
                         : VB_N_("This paragraph is numbered %s again (the one before is %s too); the next number is %s."),
                       got, prevt, want);
    else
        vb_rule_report(c, VB_SEVERITY_WARNING, "body.numbering", at, got, &fix,
                       h ? VB_N_("This heading is numbered %s, but the one before is %s; the next number is %s.")
                         : VB_N_("This paragraph is numbered %s, but the one before is %s; the next number is %s."),
                       got, prevt, want);
}

static void
check_blocks(vctx_t *c, const vb_pvalidate_t *v, const vb_blocks_t *bl)
{
    series_t s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < bl->n; i++)
        check_block(c, v, &s, &bl->v[i]);
}

/* ------------------------------------------------------------ appendix references */

#define MAXT 2048

static bool
is_alnum_folded(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The number of an appendix label, folded ("PHU LUC II" -> "II"); "" when it has none. */
static void
label_number(const vb_appendix_t *ap, char *buf, size_t size)
{
    uint32_t f[128];
    char text[512];
    size_t n = 0;
    for (int i = 0; i < ap->label.n && n + 1 < sizeof text; i++) {
        size_t k = ap->label.spans[i].len < sizeof text - 1 - n ? ap->label.spans[i].len : sizeof text - 1 - n;
        memcpy(text + n, ap->label.spans[i].text, k);
        n += k;
    }
    text[n] = 0;
    int nf = vb_fold_letters(text, f, 128);
    size_t k = 0;
    int i = 7; /* "PHU LUC" */
    while (i < nf && f[i] == ' ')
        i++;
    if (i + 2 < nf && f[i] == 'S' && f[i + 1] == 'O' && f[i + 2] == ' ')
        i += 3; /* "Phụ lục số 1" */
    while (i < nf && is_alnum_folded(f[i]) && k + 1 < size)
        buf[k++] = (char)f[i++];
    buf[k] = 0;
}

/* The value of a folded number (Arabic or Roman), 0 when not one. */
static int
folded_value(const uint32_t *f, int n)
{
    char b[8];
    if (n <= 0 || n >= (int)sizeof b)
        return 0;
    for (int i = 0; i < n; i++)
        b[i] = (char)f[i];
    if (b[0] >= '0' && b[0] <= '9') {
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] < '0' || b[i] > '9')
                return 0;
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
    return roman_value(b, (size_t)n);
}

/*
 * Marks in seen[1..max] the appendices that the folded text names: "PHU LUC
 * II", "PHU LUC I, II VA III", "PHU LUC I - III", "PHU LUC SO 2"; *bare is
 * set when it says "PHU LUC" at all.
 */
static void
mark_refs(const uint32_t *f, int n, bool *seen, int max, bool *bare)
{
    static const uint32_t PL[] = {'P', 'H', 'U', ' ', 'L', 'U', 'C'};
    for (int i = 0; i + 7 <= n; i++) {
        if (memcmp(f + i, PL, sizeof PL) != 0 || (i > 0 && is_alnum_folded(f[i - 1])))
            continue;
        *bare = true;
        int j = i + 7, prev = 0;
        bool range = false;
        for (;;) {
            while (j < n && (f[j] == ' ' || f[j] == ','))
                j++;
            if (j + 2 < n && f[j] == 'S' && f[j + 1] == 'O' && f[j + 2] == ' ') {
                j += 3;
                continue;
            }
            int k = j;
            while (k < n && is_alnum_folded(f[k]))
                k++;
            int val = folded_value(f + j, k - j);
            if (val == 0 && k - j == 2 && f[j] == 'V' && f[j + 1] == 'A') { /* "và" */
                j = k;
                continue;
            }
            if (val == 0 && k - j == 3 && f[j] == 'D' && f[j + 1] == 'E' && f[j + 2] == 'N') { /* "đến" */
                range = true;
                j = k;
                continue;
            }
            if (val == 0) {
                if (j < n && (f[j] == '-' || f[j] == 0x2013)) {
                    range = true;
                    j++;
                    continue;
                }
                break;
            }
            for (int x = range && prev ? prev + 1 : val; x <= val; x++) {
                if (x >= 1 && x <= max)
                    seen[x] = true;
            }
            prev = val;
            range = false;
            j = k;
        }
    }
}

/* A paragraph's spans as one text in text[0..size), cut at its end. */
static void
inline_text(const vb_inline_t *in, char *text, size_t size)
{
    size_t n = 0;
    for (int i = 0; i < in->n && n + 1 < size; i++) {
        size_t k = in->spans[i].len < size - 1 - n ? in->spans[i].len : size - 1 - n;
        memcpy(text + n, in->spans[i].text, k);
        n += k;
    }
    text[n] = 0;
}

static void
refs_in_inline(const vb_inline_t *in, bool *seen, int max, bool *bare)
{
    char text[MAXT];
    inline_text(in, text, sizeof text);
    uint32_t f[MAXT];
    int nf = vb_fold_letters(text, f, MAXT);
    mark_refs(f, nf, seen, max, bare);
}

static void
refs_in_blocks(const vb_blocks_t *bl, bool *seen, int max, bool *bare)
{
    for (int i = 0; i < bl->n; i++) {
        const vb_block_t *b = &bl->v[i];
        if (b->kind == VB_BLOCK_PARA || b->kind == VB_BLOCK_HEADING)
            refs_in_inline(&b->text, seen, max, bare);
        else if (b->kind == VB_BLOCK_TABLE && b->table) {
            const vb_table_t *t = b->table;
            for (int r = 0; r < t->nrows; r++)
                for (int k = 0; k < t->ncols; k++)
                    refs_in_inline(&VB_CELL(t, r, k)->text, seen, max, bare);
        }
    }
}

#define MAXAPP 64

/*
 * "Phụ lục N kèm theo" in a paragraph whose N is none of the document's
 * appendices (have[N] false): the first such N, else 0. Only a reference
 * followed by "kèm theo" is read as one to this document's appendices
 * ("Phụ lục III của Nghị định 30" names another document's).
 */
static int
missing_ref(const vb_inline_t *in, const bool *have, char *tok, size_t size)
{
    char text[MAXT];
    inline_text(in, text, sizeof text);
    uint32_t g[MAXT];
    int nf = vb_fold_letters(text, g, MAXT);
    static const uint32_t PL[] = {'P', 'H', 'U', ' ', 'L', 'U', 'C', ' '};
    static const uint32_t KT[] = {' ', 'K', 'E', 'M', ' ', 'T', 'H', 'E', 'O'};
    for (int i = 0; i + 8 < nf; i++) {
        if (memcmp(g + i, PL, sizeof PL) != 0 || (i > 0 && is_alnum_folded(g[i - 1])))
            continue;
        int j = i + 8;
        if (j + 3 < nf && g[j] == 'S' && g[j + 1] == 'O' && g[j + 2] == ' ')
            j += 3;
        int k = j;
        while (k < nf && is_alnum_folded(g[k]))
            k++;
        int val = folded_value(g + j, k - j);
        if (val < 1 || val > MAXAPP || have[val])
            continue;
        if (k + 9 <= nf && memcmp(g + k, KT, sizeof KT) == 0) {
            size_t t = 0;
            for (int x = j; x < k && t + 1 < size; x++)
                tok[t++] = (char)g[x];
            tok[t] = 0;
            return val;
        }
    }
    return 0;
}

static void
appendix_refs(vctx_t *c, const vb_profile_t *p)
{
    const vb_model_t *m = c->m;
    if (!p->validate.appendix_reference || m->nappendices == 0)
        return;
    bool seen[MAXAPP + 1];
    memset(seen, 0, sizeof seen);
    bool bare = false;
    refs_in_blocks(&m->body, seen, MAXAPP, &bare);
    for (int i = 0; i < m->meta.nbases; i++)
        refs_in_inline(&m->meta.bases[i].in, seen, MAXAPP, &bare);
    bool have[MAXAPP + 1], unnumbered = false;
    memset(have, 0, sizeof have);
    for (int i = 0; i < m->nappendices && i < MAXAPP; i++) {
        char num[16];
        label_number(&m->appendices[i], num, sizeof num);
        unnumbered = unnumbered || !num[0];
        uint32_t f[16];
        int nf = 0;
        for (; num[nf] && nf < 16; nf++)
            f[nf] = (uint32_t)num[nf];
        int val = folded_value(f, nf);
        if (val >= 1 && val <= MAXAPP)
            have[val] = true;
    }
    for (int i = 0; i < m->body.n; i++) {
        const vb_block_t *b = &m->body.v[i];
        char tok[16];
        /* an unnumbered appendix may be the one named: nothing is missing for certain */
        int val = b->kind == VB_BLOCK_PARA && !unnumbered ? missing_ref(&b->text, have, tok, sizeof tok) : 0;
        if (!val)
            continue;
        vb_rule_report(c, VB_SEVERITY_WARNING, "appendix.reference", b->pos, NULL, NULL,
                       "The text refers to \"Phụ lục %s kèm theo\", but the document has no appendix %s.", tok, tok);
    }
    for (int i = 0; i < m->nappendices && i < MAXAPP; i++) {
        const vb_appendix_t *ap = &m->appendices[i];
        char num[16];
        label_number(ap, num, sizeof num);
        uint32_t f[16];
        int nf = 0;
        for (; num[nf] && nf < 16; nf++)
            f[nf] = (uint32_t)num[nf];
        int val = folded_value(f, nf);
        bool named = num[0] ? (val >= 1 && val <= MAXAPP && seen[val]) : bare;
        if (named || (num[0] && val == 0))
            continue;
        if (num[0])
            vb_rule_report(c, VB_SEVERITY_WARNING, "appendix.reference", ap->pos, NULL, NULL,
                           "The text never refers to appendix %s; name it where it belongs (\"... tại Phụ lục %s "
                           "kèm theo\"), as every appendix must be.",
                           num, num);
        else
            vb_rule_report(c, VB_SEVERITY_WARNING, "appendix.reference", ap->pos, NULL, NULL,
                           "The text never refers to its appendix; name it where it belongs (\"... tại Phụ lục kèm "
                           "theo\"), as every appendix must be.");
    }
}

void
vb_rules_body(vctx_t *c, const vb_profile_t *p)
{
    const vb_pvalidate_t *v = &p->validate;
    check_blocks(c, v, &c->m->body);
    for (int i = 0; i < c->m->nappendices; i++)
        check_blocks(c, v, &c->m->appendices[i].blocks);
    appendix_refs(c, p);
}
