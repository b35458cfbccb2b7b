/*
 * paste.c - what clerks paste into a source, found in the prepared text
 * before it is read (docs/paste.md): paragraphs typed in an old encoding
 * (TCVN3, VNI, VIQR: legacy.c converts and scores them) and invisible
 * characters (zero-width spaces, soft hyphens, line separators from Word).
 *
 * Runs on every render: one pass over the bytes, looking closer only at a
 * paragraph that could be a paste. Correct Vietnamese has letters past
 * U+00FF (ạ, đ, ơ, ư, ế, ...), which a TCVN3 or VNI paste never has, so a
 * Vietnamese paragraph is passed over at the first such letter; VIQR needs
 * a modifier ("e^", "o+", "a(") that neither Vietnamese nor English writes.
 *
 * Which are errors: a line separator (U+2028, U+2029), because no font draws
 * it and the render would stop at it anyway; the rest are warnings (the
 * document prints, but the invisible character stays in the PDF's text, and
 * an old-encoding paragraph prints as mojibake). Fixes marked "safe" below
 * are certainly right and may be applied without a look (vanban check --fix).
 */
#include <stdio.h>
#include <string.h>

#include "legacy.h"
#include "paste.h"

const char *
vb_invisible_name(uint32_t cp)
{
    switch (cp) {
    case 0x00AD:
        return VB_N_("a soft hyphen");
    case 0x034F:
        return VB_N_("a combining grapheme joiner");
    case 0x200B:
        return VB_N_("a zero-width space");
    case 0x200C:
        return VB_N_("a zero-width non-joiner");
    case 0x200D:
        return VB_N_("a zero-width joiner");
    case 0x2028:
        return VB_N_("a line separator");
    case 0x2029:
        return VB_N_("a paragraph separator");
    case 0x2060:
        return VB_N_("a word joiner");
    case 0xFEFF:
        return VB_N_("a zero-width no-break space (a byte order mark inside the text)");
    default:
        break;
    }
    if (cp >= 0x2061 && cp <= 0x2064)
        return VB_N_("an invisible mathematical operator");
    if (cp >= 0x206A && cp <= 0x206F)
        return VB_N_("a deprecated format character");
    if (cp >= 0xFFF9 && cp <= 0xFFFB)
        return VB_N_("an interlinear annotation character");
    if (cp >= 0xE0000 && cp <= 0xE007F)
        return VB_N_("a tag character");
    return NULL;
}

/* line:col of offset off in text, counted from a segment that starts at seg (a line start) on line line0. */
static void
pos_of(const char *text, size_t seg, int line0, size_t off, int *line, int *col)
{
    int l = line0;
    size_t ls = seg;
    for (size_t i = seg; i < off; i++)
        if (text[i] == '\n')
            l++, ls = i + 1;
    *line = l;
    *col = 1 + vb_utf8_chars(text + ls, off - ls);
}

/* A part [a, b) of the text. */
typedef struct span {
    size_t a, b;
} span_t;

/*
 * The invisible characters of a segment, one finding for each run of the
 * same character. A soft hyphen inside a TCVN3 run (skip[0..nskip)) is no
 * soft hyphen but TCVN3's "ư" (byte AD), and is left to that finding.
 */
static void
report_invisible(const char *t, size_t s, size_t e, int line0, const span_t *skip, int nskip, const char *source,
                 vb_sink_t *sink)
{
    for (size_t i = s; i < e;) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0xC2) {
            i++;
            continue;
        }
        uint32_t cp;
        int n = vb_utf8_decode(t + i, e - i, &cp);
        if (n <= 0)
            n = 1;
        const char *name = vb_invisible_name(cp);
        for (int k = 0; name && cp == 0xAD && k < nskip; k++)
            if (i >= skip[k].a && i < skip[k].b)
                name = NULL;
        if (!name) {
            i += (size_t)n;
            continue;
        }
        size_t j = i + (size_t)n;
        int count = 1;
        while (j < e) {
            uint32_t c2;
            int n2 = vb_utf8_decode(t + j, e - j, &c2);
            if (n2 <= 0 || c2 != cp)
                break;
            j += (size_t)n2;
            count++;
        }
        vb_range_t r;
        pos_of(t, s, line0, i, &r.line, &r.col);
        r.end_line = r.line, r.end_col = r.col + count;
        if (cp == 0x2028 || cp == 0x2029) {
            /* safe: Word's line break inside a paragraph; a space joins the lines as Markdown does */
            vb_fix_t fix = {" ", VB_N_("a space"), true};
            vb_report(sink, VB_SEVERITY_ERROR, VB_E_INPUT, "paste.line-separator", source, r, &fix,
                      "A line break from Word, %s (U+%04X), stands here; no font draws it. Replace it with a space, "
                      "or leave an empty line to start a new paragraph.",
                      vb_tr(name), (unsigned)cp);
        } else {
            /* safe: the character is invisible, deleting it changes nothing a reader sees */
            vb_fix_t fix = {"", VB_N_("delete it"), true};
            vb_report(sink, VB_SEVERITY_WARNING, VB_E_INPUT, "paste.invisible", source, r, &fix,
                      "An invisible character, %s (U+%04X), is pasted here: it cannot be seen, but it stays in the "
                      "PDF's text (a search for the word will not find it). Delete it.",
                      vb_tr(name), (unsigned)cp);
        }
        i = j;
    }
}

static const char *
legacy_fonts(vb_legacy_t enc)
{
    switch (enc) {
    case VB_LEGACY_TCVN3:
        return VB_N_("ABC, typed in a .VnTime font");
    case VB_LEGACY_VNI:
        return VB_N_("typed in a VNI-Times font");
    default:
        return VB_N_("Vietnamese written in ASCII");
    }
}

/* At most max bytes of s[0..n), cut at a character's start. */
static int
cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

/* The old-encoding finding of a segment [s, e) that scores as enc; *run gets its range (b == 0: none). */
static void
report_legacy(span_t *run, const char *t, size_t seg, int line0, size_t s, size_t e, vb_legacy_t enc, const vb_legacy_score_t *sc,
              const char *source, vb_sink_t *sink)
{
    /* the run: from the first word the conversion changes to the last */
    size_t first = e, last = s;
    vb_buf_t b = {0};
    run->a = run->b = 0;
    for (size_t i = s; i < e;) {
        if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < e && t[j] != ' ' && t[j] != '\t' && t[j] != '\n')
            j++;
        vb_buf_clear(&b);
        if (vb_legacy_decode(enc, t + i, j - i, &b) == 0 && (b.n != j - i || memcmp(b.p, t + i, b.n) != 0)) {
            if (first == e)
                first = i;
            last = j;
        }
        i = j;
    }
    if (first >= last) {
        vb_buf_free(&b);
        return;
    }
    run->a = first, run->b = last;
    vb_buf_clear(&b);
    int rc = vb_legacy_decode(enc, t + first, last - first, &b);
    vb_range_t r;
    pos_of(t, seg, line0, first, &r.line, &r.col);
    pos_of(t, seg, line0, last, &r.end_line, &r.end_col);
    const char *name = vb_legacy_name(enc);
    char lower[8];
    size_t k = 0;
    for (; name[k] && k + 1 < sizeof lower; k++)
        lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] | 0x20 : name[k]);
    lower[k] = 0;
    char id[24];
    snprintf(id, sizeof id, "paste.%s", lower);
    /* the fix: the converted run, when it fits; safe only when the score is clear (vb_legacy_clear) */
    bool fits = rc == 0 && b.n < sizeof(((vb_diag_t *)0)->fix);
    vb_fix_t fix = {fits ? b.p : NULL,
                    vb_legacy_clear(sc) ? VB_N_("the converted text") : VB_N_("the converted text (read it over)"),
                    vb_legacy_clear(sc)};
    const char *before = t + first, *after = rc == 0 ? b.p : "";
    size_t bn = last - first, an = rc == 0 ? b.n : 0;
    vb_report(sink, VB_SEVERITY_WARNING, VB_E_INPUT, id, source, r, fits ? &fix : NULL,
              "This text is in the old %s encoding (%s), pasted as Latin letters: \"%.*s%s\" should read "
              "\"%.*s%s\". Replace it with the converted text (vanban convert --from %s FILE converts a whole "
              "file).",
              name, vb_tr(legacy_fonts(enc)), cut(before, bn, 60), before, bn > 60 ? "..." : "", cut(after, an, 60), after,
              an > 60 ? "..." : "", lower);
    vb_buf_free(&b);
}

/*
 * A Latin-1 character that is a TCVN3 or VNI code but no Vietnamese letter:
 * the signs U+00A1..U+00BE that TCVN3 uses ("µ", "·", "§") and the letters
 * U+00C0..U+00FF other than the 32 Vietnamese ones ("ö", "ñ", "Ö", "ä").
 * Every TCVN3 or VNI paste of more than a word or two has some; a
 * Vietnamese paragraph has none, and is never scored.
 */
static bool
foreign(unsigned char lead, unsigned char c2)
{
    if (lead == 0xC2)
        return c2 >= 0xA0 && c2 < 0xC0 && (0x7be05ffeULL >> (c2 - 0xA0) & 1);
    if (lead == 0xC3)
        return c2 >= 0x80 && c2 < 0xC0 && !(0x263c370f263c370fULL >> (c2 - 0x80) & 1);
    return false;
}

/*
 * A Latin-1 capital right after a small ASCII letter ("tÕ" in TCVN3's "Bé Y
 * tÕ"): a Vietnamese word is never written so.
 */
static bool
odd_capital(const char *t, size_t s, size_t i)
{
    unsigned char c2 = (unsigned char)t[i + 1];
    return (unsigned char)t[i] == 0xC3 && c2 >= 0x80 && c2 <= 0x9E && i > s && t[i - 1] >= 'a' && t[i - 1] <= 'z';
}

/* Whether [s, e) holds a foreign character (see foreign) or an odd capital. */
static bool
has_foreign(const char *t, size_t s, size_t e)
{
    for (size_t i = s; i + 1 < e; i++)
        if (foreign((unsigned char)t[i], (unsigned char)t[i + 1]) || odd_capital(t, s, i))
            return true;
    return false;
}

/* The flags of one pass over a segment [s, e). */
typedef struct seg_flags {
    bool latin1;   /* a foreign Latin-1 character (see foreign) */
    bool beyond;   /* a Latin letter past U+00FF: Latin Extended, Vietnamese */
    bool viqr;     /* a VIQR modifier after a vowel, or "dd" starting a word */
    bool invisible;
} seg_flags_t;

static bool
vowel(unsigned char c)
{
    c |= 0x20;
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static void
scan_segment(const char *t, size_t s, size_t e, seg_flags_t *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x80) {
            if ((c == '^' || c == '(' || c == '+') && i > s && vowel((unsigned char)t[i - 1]))
                f->viqr = true;
            else if ((c | 0x20) == 'd' && i + 2 < e && (t[i + 1] | 0x20) == 'd' && vowel((unsigned char)t[i + 2]) &&
                     (i == s || t[i - 1] == ' ' || t[i - 1] == '\n'))
                f->viqr = true;
            continue;
        }
        if (c == 0xC2 || c == 0xC3) {
            unsigned char c2 = i + 1 < e ? (unsigned char)t[i + 1] : 0;
            if (c == 0xC2 && c2 == 0xAD)
                f->invisible = true;
            else if (foreign(c, c2) || (i + 1 < e && odd_capital(t, s, i)))
                f->latin1 = true;
        } else if (c >= 0xC4 && c <= 0xC9) {
            f->beyond = true;
        } else if (c == 0xE1 && i + 1 < e) {
            unsigned char c2 = (unsigned char)t[i + 1];
            if (c2 >= 0xB8 && c2 <= 0xBB)
                f->beyond = true;
        } else if (c == 0xE2 && i + 1 < e && (t[i + 1] == '\x80' || t[i + 1] == '\x81')) {
            f->invisible = true; /* U+200x, U+206x: looked at closely below */
        } else if (c == 0xEF && i + 2 < e && (t[i + 1] == '\xBB' || t[i + 1] == '\xBF')) {
            f->invisible = true;
        } else if (c == 0xCD || c == 0xF3) {
            f->invisible = true; /* U+034F, the tags */
        }
    }
}

/* Whether the word [s, e) has a Latin letter past U+00FF (Latin Extended, the Vietnamese letters). */
static bool
word_beyond(const char *t, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c >= 0xC4 && c <= 0xC9) || (c == 0xE1 && i + 1 < e && (unsigned char)t[i + 1] >= 0xB8 &&
                                         (unsigned char)t[i + 1] <= 0xBB))
            return true;
    }
    return false;
}

/* The best of the encodings allowed (latin: TCVN3, VNI; viqr: VIQR) that fires on [s, e); AUTO when none. */
static vb_legacy_t
best_of(const char *t, size_t s, size_t e, bool latin, bool viqr, vb_legacy_score_t *bs)
{
    static const vb_legacy_t encs[] = {VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_VIQR};
    vb_legacy_t best = VB_LEGACY_AUTO;
    for (int k = 0; k < 3; k++) {
        if (encs[k] == VB_LEGACY_VIQR ? !viqr : !latin)
            continue;
        vb_legacy_score_t sc;
        vb_legacy_score(encs[k], t + s, e - s, &sc);
        if (vb_legacy_fires(encs[k], &sc) && (best == VB_LEGACY_AUTO || sc.after - sc.before > bs->after - bs->before))
            best = encs[k], *bs = sc;
    }
    return best;
}

/*
 * One paragraph or front-matter line [s, e), starting at line line0. A
 * TCVN3 or VNI paste may sit in a paragraph typed correctly around it: the
 * paragraph is cut at each word with a letter past U+00FF (which no such
 * paste has) and each run between them is scored alone.
 */
static void
segment(const char *t, size_t s, size_t e, int line0, const char *source, vb_sink_t *sink)
{
    seg_flags_t f;
    scan_segment(t, s, e, &f);
    span_t runs[16], run;
    int nruns = 0;
    vb_legacy_score_t bs = {0};
    vb_legacy_t enc = VB_LEGACY_AUTO;
    if (f.viqr && (enc = best_of(t, s, e, false, true, &bs)) != VB_LEGACY_AUTO) {
        report_legacy(&run, t, s, line0, s, e, enc, &bs, source, sink);
    } else if (f.latin1 && !f.beyond) {
        if ((enc = best_of(t, s, e, true, false, &bs)) != VB_LEGACY_AUTO) {
            report_legacy(&run, t, s, line0, s, e, enc, &bs, source, sink);
            if (enc == VB_LEGACY_TCVN3 && run.b)
                runs[nruns++] = run;
        }
    } else if (f.latin1) {
        size_t from = s;
        for (size_t i = s; i <= e;) {
            size_t j = i;
            while (j < e && t[j] != ' ' && t[j] != '\t' && t[j] != '\n')
                j++;
            if (j >= e || word_beyond(t, i, j)) {
                size_t re = j >= e && !word_beyond(t, i, j) ? e : i;
                if (re > from && has_foreign(t, from, re) &&
                    (enc = best_of(t, from, re, true, false, &bs)) != VB_LEGACY_AUTO) {
                    report_legacy(&run, t, s, line0, from, re, enc, &bs, source, sink);
                    if (enc == VB_LEGACY_TCVN3 && run.b && nruns < 16)
                        runs[nruns++] = run;
                }
                from = j;
            }
            if (j >= e)
                break;
            i = j + 1;
        }
    }
    if (f.invisible)
        report_invisible(t, s, e, line0, runs, nruns, source, sink);
}

/*
 * The bytes the first pass stops at: a VIQR modifier, the lead bytes of what
 * may be a paste. strcspn looks for them 16 bytes at a time.
 */
static const char stops[] = "^(+\xC2\xC3\xCD\xE2\xEF\xF3";

/* Whether the character at t + i (a stop byte, not '\n') may start a paste: worth a look at its paragraph. */
static bool
suspicious(const char *t, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)t + i;
    size_t n = len - i;
    unsigned char c = u[0], c2 = n > 1 ? u[1] : 0, c3 = n > 2 ? u[2] : 0;
    switch (c) {
    case '^':
    case '(':
    case '+':
        return i > 0 && vowel((unsigned char)t[i - 1]);
    case 0xC2:
        return c2 == 0xAD || foreign(c, c2);
    case 0xC3:
        return foreign(c, c2) || (n > 1 && odd_capital(t, 0, i));
    case 0xCD:
        return c2 == 0x8F;
    case 0xE2:
        return (c2 == 0x80 && ((c3 >= 0x8B && c3 <= 0x8D) || c3 == 0xA8 || c3 == 0xA9)) ||
               (c2 == 0x81 && ((c3 >= 0xA0 && c3 <= 0xA4) || c3 >= 0xAA));
    case 0xEF:
        return (c2 == 0xBB && c3 == 0xBF) || (c2 == 0xBF && c3 >= 0xB9 && c3 <= 0xBB);
    case 0xF3:
        return c2 == 0xA0 && (c3 == 0x80 || c3 == 0x81);
    default:
        return false;
    }
}

/* Whether the line starting at i is empty (spaces and tabs only); *end: where it ends. */
static bool
blank_line(const char *t, size_t len, size_t i, size_t *end)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t'))
        i++;
    *end = i;
    return i >= len || t[i] == '\n';
}

/* Where the front matter's closing line ends (the body's start); 0 when the source has none. */
static size_t
frontmatter_end(const char *t, size_t len)
{
    if (len < 4 || memcmp(t, "---\n", 4))
        return 0;
    for (size_t i = 4; i < len;) {
        const char *nl = memchr(t + i, '\n', len - i);
        size_t le = nl ? (size_t)(nl - t) : len;
        if (le - i == 3 && (!memcmp(t + i, "---", 3) || !memcmp(t + i, "...", 3)))
            return le;
        i = le + 1;
    }
    return len;
}

/* Where the line holding i starts. */
static size_t
line_start(const char *t, size_t i)
{
    while (i > 0 && t[i - 1] != '\n')
        i--;
    return i;
}

/*
 * One pass over the bytes (strcspn on the stop bytes): a paragraph (in the
 * front matter, a line) is handed to segment() only when a suspicious
 * character is in it; its line is counted then, from the last one counted.
 */
void
vb_paste_scan(const char *t, size_t len, const char *source, vb_sink_t *sink)
{
    if (!t || !sink)
        return;
    size_t fm_end = frontmatter_end(t, len);
    size_t counted = 0, done = 0; /* '\n's counted up to counted; paragraphs looked at up to done */
    int line = 1;
    for (size_t i = fm_end ? 4 : 0; i < len;) {
        i += strcspn(t + i, stops);
        if (i >= len)
            break;
        if (!suspicious(t, len, i)) {
            i++;
            continue;
        }
        size_t s = line_start(t, i), e;
        if (i < fm_end) {
            const char *nl = memchr(t + i, '\n', len - i);
            e = nl ? (size_t)(nl - t) : len;
        } else {
            /* back to an empty line (or the body's start), on to the next one (or the end) */
            size_t floor = fm_end ? fm_end + 1 : 0, be;
            while (s > floor && s > done) {
                size_t ps = line_start(t, s - 1);
                if (blank_line(t, len, ps, &be))
                    break;
                s = ps;
            }
            e = i;
            for (;;) {
                const char *nl = memchr(t + e, '\n', len - e);
                if (!nl || blank_line(t, len, (size_t)(nl - t) + 1, &be)) {
                    e = nl ? (size_t)(nl - t) : len;
                    break;
                }
                e = (size_t)(nl - t) + 1;
            }
        }
        for (const char *p = t + counted; (p = memchr(p, '\n', (size_t)(t + s - p))) != NULL; p++)
            line++;
        counted = s;
        segment(t, s, e, line, source, sink);
        i = done = e + 1;
    }
}
