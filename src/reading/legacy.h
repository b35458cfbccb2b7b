/*
 * legacy.h - the old Vietnamese encodings clerks paste from (TCVN3, VNI,
 * VIQR): their tables, conversion to Unicode, and the score that tells
 * mojibake from correct text (legacy.c; docs/paste.md).
 */
#ifndef VB_LEGACY_H
#define VB_LEGACY_H

#include "base.h"

/*
 * One Vietnamese letter: the letter in UTF-8 (NFC), its TCVN3 byte ("" for a
 * capital with a tone mark, which TCVN3 types as the small letter's code in a
 * capital font), its VNI-Windows bytes, its VIQR spelling. The table
 * (generated from data/legacy-charsets.txt) holds the 67 small letters, then
 * their 67 capitals in the same order.
 */
typedef struct vb_legacy_letter {
    const char *letter, *tcvn3, *vni, *viqr;
} vb_legacy_letter_t;

/* The table and its size (134). */
const vb_legacy_letter_t *vb_legacy_table(int *n);

/* The name of an encoding ("TCVN3", "VNI", "VIQR"). */
const char *vb_legacy_name(vb_legacy_t enc);

/*
 * Appends s[0..len) read as enc (TCVN3, VNI or VIQR, not AUTO) to b in
 * Unicode. s is UTF-8 whose characters up to U+00FF stand for the legacy
 * bytes (the mojibake a paste gives), or the legacy bytes themselves (a byte
 * that is not part of valid UTF-8 stands for itself). -1 when out of memory.
 */
int vb_legacy_decode(vb_legacy_t enc, const char *s, size_t len, vb_buf_t *b);

/*
 * Appends s[0..len) (Unicode) to b in enc, as the UTF-8 mojibake a paste
 * would give (every legacy byte as the character U+00xx). For tests and
 * docs; -1 when out of memory.
 */
int vb_legacy_encode(vb_legacy_t enc, const char *s, size_t len, vb_buf_t *b);

/* True when s[0..len) is one Vietnamese syllable as a word is written (lower case, Capitalised or CAPITALS). */
bool vb_viet_syllable(const char *s, size_t len);

/*
 * How well text converts: of its words that enc changes (cand), how many are
 * Vietnamese syllables before (before) and after (after), out of words (the
 * words with a letter). latin_only: the text has no letter past U+00FF (a
 * TCVN3 or VNI paste has none; correct Vietnamese nearly always has some).
 */
typedef struct vb_legacy_score {
    int words, cand, before, after;
    bool latin_only, viqr_marks;
} vb_legacy_score_t;
void vb_legacy_score(vb_legacy_t enc, const char *s, size_t len, vb_legacy_score_t *sc);

/* Whether a score says the text is in enc (see legacy.c for the rule). */
bool vb_legacy_fires(vb_legacy_t enc, const vb_legacy_score_t *sc);
/* Whether the score is clear enough for the fix to be applied without a look ("safe"). */
bool vb_legacy_clear(const vb_legacy_score_t *sc);

/* The encoding text is in, by the score; VB_LEGACY_AUTO when none fires. sc (may be NULL) gets its score. */
vb_legacy_t vb_legacy_guess(const char *s, size_t len, vb_legacy_score_t *sc);

#endif
