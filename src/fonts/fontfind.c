/*
 * fontfind.c - picks the font files of a family with fontconfig (the only
 * fontconfig user; see fontfind.h).
 *
 * Why the checks: fontconfig never says "not found". Asked for a family it
 * does not have, it returns its best substitute; asked for Bold Italic of a
 * family that has only Regular, it returns the Regular; and Debian ships two
 * fonts named "Liberation Serif" (fonts-liberation 1.07 without Vietnamese
 * letters, fonts-liberation2 with them). So every match is verified: family
 * name, style, TrueType outlines, and the character set against the table
 * below. When the best match fails only the style or coverage test, the
 * whole set is sorted (FcFontSetSort) and searched for the next candidate of
 * the same family; the common case costs one FcFontSetMatch per face.
 *
 * Precedence: for each family and face, the files under user_dir (added as
 * fontconfig "application fonts" and matched on their own) are tried before
 * the installed fonts, so a Times New Roman the user dropped in fonts/ beats
 * any installed font, and a user copy of a family beats the installed copy.
 *
 * State: one private FcConfig per call (it parses the file named by
 * FONTCONFIG_FILE, or the system's fonts.conf; fontconfig reads the variable
 * itself), with the installed fonts loaded only when the user's
 * files did not already give all four faces. The config is destroyed before
 * returning; the global default config is never touched and FcFini is never
 * called, so the caller's own fontconfig use is unaffected.
 */
#include "fontfind.h"

#include <dirent.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/*
 * The precomposed letters of the Vietnamese alphabet (Quoc ngu), 67 lower and
 * 67 upper case = 134:
 *   - the 6 vowels with a diacritic of their own (a-breve, a-circumflex,
 *     e-circumflex, o-circumflex, o-horn, u-horn) and d-stroke: 7;
 *   - the 12 vowels a ă â e ê i o ô ơ u ư y, each with the 5 written tones
 *     (huyền grave U+0300, sắc acute U+0301, hỏi hook above U+0309, ngã tilde
 *     U+0303, nặng dot below U+0323): 60. The sixth tone (ngang) is unmarked,
 *     so those letters are ASCII or in the first group.
 * Every one of them is a single code point in NFC (checked with Python's
 * unicodedata when the table was written). The untoned letters come first, so
 * a font from before Vietnamese support (no U+01A1 ơ, Latin Extended-B) is
 * reported by its most telling gap.
 */
const uint32_t vb_fontfind_vietnamese[VB_FONTFIND_NVIETNAMESE] = {
    0x0103, 0x00E2, 0x0111, 0x00EA, 0x00F4, 0x01A1, 0x01B0, /* ă â đ ê ô ơ ư */
    0x00E0, 0x00E1, 0x1EA3, 0x00E3, 0x1EA1, /* a: à á ả ã ạ */
    0x1EB1, 0x1EAF, 0x1EB3, 0x1EB5, 0x1EB7, /* ă: ằ ắ ẳ ẵ ặ */
    0x1EA7, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD, /* â: ầ ấ ẩ ẫ ậ */
    0x00E8, 0x00E9, 0x1EBB, 0x1EBD, 0x1EB9, /* e: è é ẻ ẽ ẹ */
    0x1EC1, 0x1EBF, 0x1EC3, 0x1EC5, 0x1EC7, /* ê: ề ế ể ễ ệ */
    0x00EC, 0x00ED, 0x1EC9, 0x0129, 0x1ECB, /* i: ì í ỉ ĩ ị */
    0x00F2, 0x00F3, 0x1ECF, 0x00F5, 0x1ECD, /* o: ò ó ỏ õ ọ */
    0x1ED3, 0x1ED1, 0x1ED5, 0x1ED7, 0x1ED9, /* ô: ồ ố ổ ỗ ộ */
    0x1EDD, 0x1EDB, 0x1EDF, 0x1EE1, 0x1EE3, /* ơ: ờ ớ ở ỡ ợ */
    0x00F9, 0x00FA, 0x1EE7, 0x0169, 0x1EE5, /* u: ù ú ủ ũ ụ */
    0x1EEB, 0x1EE9, 0x1EED, 0x1EEF, 0x1EF1, /* ư: ừ ứ ử ữ ự */
    0x1EF3, 0x00FD, 0x1EF7, 0x1EF9, 0x1EF5, /* y: ỳ ý ỷ ỹ ỵ */
    0x0102, 0x00C2, 0x0110, 0x00CA, 0x00D4, 0x01A0, 0x01AF, /* Ă Â Đ Ê Ô Ơ Ư */
    0x00C0, 0x00C1, 0x1EA2, 0x00C3, 0x1EA0, /* A: À Á Ả Ã Ạ */
    0x1EB0, 0x1EAE, 0x1EB2, 0x1EB4, 0x1EB6, /* Ă: Ằ Ắ Ẳ Ẵ Ặ */
    0x1EA6, 0x1EA4, 0x1EA8, 0x1EAA, 0x1EAC, /* Â: Ầ Ấ Ẩ Ẫ Ậ */
    0x00C8, 0x00C9, 0x1EBA, 0x1EBC, 0x1EB8, /* E: È É Ẻ Ẽ Ẹ */
    0x1EC0, 0x1EBE, 0x1EC2, 0x1EC4, 0x1EC6, /* Ê: Ề Ế Ể Ễ Ệ */
    0x00CC, 0x00CD, 0x1EC8, 0x0128, 0x1ECA, /* I: Ì Í Ỉ Ĩ Ị */
    0x00D2, 0x00D3, 0x1ECE, 0x00D5, 0x1ECC, /* O: Ò Ó Ỏ Õ Ọ */
    0x1ED2, 0x1ED0, 0x1ED4, 0x1ED6, 0x1ED8, /* Ô: Ồ Ố Ổ Ỗ Ộ */
    0x1EDC, 0x1EDA, 0x1EDE, 0x1EE0, 0x1EE2, /* Ơ: Ờ Ớ Ở Ỡ Ợ */
    0x00D9, 0x00DA, 0x1EE6, 0x0168, 0x1EE4, /* U: Ù Ú Ủ Ũ Ụ */
    0x1EEA, 0x1EE8, 0x1EEC, 0x1EEE, 0x1EF0, /* Ư: Ừ Ứ Ử Ữ Ự */
    0x1EF2, 0x00DD, 0x1EF6, 0x1EF8, 0x1EF4, /* Y: Ỳ Ý Ỷ Ỹ Ỵ */
};

static const char *const face_names[VB_NFACES] = {"Regular", "Bold", "Italic", "Bold Italic"};

/* Why a candidate was refused, in rising order of how much it tells the user. */
typedef enum reject {
    REJ_NONE = 0, /* accepted */
    REJ_FAMILY,   /* another family: fontconfig's substitute, never reported */
    REJ_STYLE,    /* the family, but not the weight or slant asked for */
    REJ_FORMAT,   /* the family and style, but not TrueType outlines */
    REJ_LACKS     /* the family and style, but a required letter is missing */
} reject_t;

/* The most telling problem seen for one family, for the final message. */
typedef struct problem {
    reject_t kind;
    vb_face_t face;
    uint32_t cp;    /* REJ_LACKS: the first missing code point */
    char file[512]; /* REJ_FORMAT, REJ_LACKS: the refused file */
} problem_t;

static bool
family_is(FcPattern *p, const char *family)
{
    FcChar8 *s;
    /* A font may carry several family names (localized ones); any will do. */
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch; i++)
        if (FcStrCmpIgnoreCase(s, (const FcChar8 *)family) == 0)
            return true;
    return false;
}

/*
 * Whether p is the face asked for. Bold means demibold or heavier, italic any
 * slant (oblique included). A weight range (a variable font that was not
 * instantiated) does not qualify: its files need an instance we do not make.
 */
static bool
style_is(FcPattern *p, vb_face_t face)
{
    double weight = FC_WEIGHT_REGULAR;
    int slant = FC_SLANT_ROMAN;
    FcResult r = FcPatternGetDouble(p, FC_WEIGHT, 0, &weight);
    if (r != FcResultMatch && r != FcResultNoMatch)
        return false;
    r = FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    if (r != FcResultMatch && r != FcResultNoMatch)
        return false;
    bool bold = weight >= FC_WEIGHT_DEMIBOLD;
    bool italic = slant != FC_SLANT_ROMAN;
    return bold == ((face & VB_FACE_BOLD) != 0) && italic == ((face & VB_FACE_ITALIC) != 0);
}

/* Finds the first required code point p's character set lacks; false when none is missing. */
static bool
first_missing(FcPattern *p, uint32_t *cp)
{
    FcCharSet *cs;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch) {
        *cp = 0x20;
        return true;
    }
    for (uint32_t c = 0x20; c < 0x7F; c++)
        if (!FcCharSetHasChar(cs, c)) {
            *cp = c;
            return true;
        }
    for (int i = 0; i < VB_FONTFIND_NVIETNAMESE; i++)
        if (!FcCharSetHasChar(cs, vb_fontfind_vietnamese[i])) {
            *cp = vb_fontfind_vietnamese[i];
            return true;
        }
    return false;
}

/* Applies every check to candidate p; on REJ_LACKS *cp is the missing letter. */
static reject_t
judge(FcPattern *p, const char *family, vb_face_t face, uint32_t *cp)
{
    FcChar8 *file, *format;
    if (!family_is(p, family) || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
        return REJ_FAMILY;
    if (!style_is(p, face))
        return REJ_STYLE;
    /* The PDF writer embeds glyf outlines (FontFile2); CFF fonts would need FontFile3. */
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch ||
        strcmp((const char *)format, "TrueType") != 0)
        return REJ_FORMAT;
    if (first_missing(p, cp))
        return REJ_LACKS;
    return REJ_NONE;
}

/* Keeps the most telling problem; among equals, the first one seen. */
static void
note(problem_t *pb, reject_t kind, vb_face_t face, uint32_t cp, FcPattern *p)
{
    if (kind <= pb->kind)
        return;
    FcChar8 *file = NULL;
    pb->kind = kind;
    pb->face = face;
    pb->cp = cp;
    pb->file[0] = '\0';
    if (FcPatternGetString(p, FC_FILE, 0, &file) == FcResultMatch)
        snprintf(pb->file, sizeof pb->file, "%s", (const char *)file);
}

/* Takes candidate p as the chosen file; false when out of memory. */
static bool
take(FcPattern *p, vb_fontfile_t *out)
{
    FcChar8 *file;
    int index = 0;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
        return false;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    size_t len = strlen((const char *)file);
    out->path = malloc(len + 1);
    if (out->path)
        memcpy(out->path, file, len + 1);
    /* The upper 16 bits of a fontconfig index name a variable-font instance, never accepted here. */
    out->index = index & 0xFFFF;
    return out->path != NULL;
}

/*
 * The pattern fontconfig matches against: family, style, lang=vi, and
 * fontconfig's defaults for the rest. The config's substitution rules are not
 * applied (FcConfigSubstitute): with Debian's conf.d they cost about 0.3 ms
 * a pattern, and what they add, mostly alias families, could only produce
 * candidates that judge() refuses, since it wants the exact family.
 */
static FcPattern *
make_pattern(const char *family, vb_face_t face)
{
    FcPattern *pat = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    bool ok = pat && ls && FcLangSetAdd(ls, (const FcChar8 *)"vi") &&
              FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family) &&
              FcPatternAddLangSet(pat, FC_LANG, ls) &&
              FcPatternAddInteger(pat, FC_WEIGHT, (face & VB_FACE_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR) &&
              FcPatternAddInteger(pat, FC_SLANT, (face & VB_FACE_ITALIC) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    if (ls)
        FcLangSetDestroy(ls);
    if (!ok) {
        if (pat)
            FcPatternDestroy(pat);
        return NULL;
    }
    FcDefaultSubstitute(pat);
    return pat;
}

/*
 * Looks for one face of family in one font set. Returns 1 when a file was
 * accepted (out filled), 0 when none was (pb updated), -1 when out of memory.
 * One FcFontSetMatch decides the common case; only when the best match is of
 * the family but fails another check are the other files of the set sorted
 * and tried in fontconfig's order.
 */
static int
search_set(FcConfig *cfg, FcFontSet *set, const char *family, vb_face_t face, vb_fontfile_t *out,
           problem_t *pb)
{
    if (!set || set->nfont == 0)
        return 0;
    FcPattern *pat = make_pattern(family, face);
    if (!pat)
        return -1;
    FcFontSet *sets[1] = {set};
    FcResult res;
    uint32_t cp = 0;
    int rc = 0;
    reject_t why = REJ_FAMILY;
    FcPattern *m = FcFontSetMatch(cfg, sets, 1, pat, &res);
    if (m) {
        why = judge(m, family, face, &cp);
        if (why == REJ_NONE)
            rc = take(m, out) ? 1 : -1;
        else
            note(pb, why, face, cp, m);
        FcPatternDestroy(m);
    }
    if (rc == 0 && why != REJ_FAMILY) {
        FcFontSet *sorted = FcFontSetSort(cfg, sets, 1, pat, FcFalse, NULL, &res);
        for (int i = 0; sorted && i < sorted->nfont && rc == 0; i++) {
            why = judge(sorted->fonts[i], family, face, &cp);
            if (why == REJ_NONE)
                rc = take(sorted->fonts[i], out) ? 1 : -1;
            else
                note(pb, why, face, cp, sorted->fonts[i]);
        }
        if (sorted)
            FcFontSetSortDestroy(sorted);
    }
    FcPatternDestroy(pat);
    return rc;
}

/*
 * A private config read from FONTCONFIG_FILE or the system's fonts.conf,
 * without fonts yet. FcInitLoadConfig would do, but it also parses every
 * template in conf.avail (about 4 ms, more than the rest of opening the
 * fonts together); it is kept for the odd configuration that fails to parse
 * or names no cache directory, where its fallbacks matter more than time.
 */
static FcConfig *
load_config(void)
{
    FcConfig *cfg = FcConfigCreate();
    if (cfg && FcConfigParseAndLoad(cfg, NULL, FcTrue)) {
        FcStrList *l = FcConfigGetCacheDirs(cfg);
        bool has_cache = l && FcStrListNext(l);
        if (l)
            FcStrListDone(l);
        if (has_cache)
            return cfg;
    }
    if (cfg)
        FcConfigDestroy(cfg);
    return FcInitLoadConfig();
}

/* Appends printf output to buf[0..size), truncating quietly. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = (size_t)n < size - *len ? *len + (size_t)n : size - 1;
}

/* The "font.none" diagnostic: each family's most telling problem and what to do. */
static vb_status_t
fail_none(const char *const *families, int n, const problem_t *pbs, const char *user_dir, vb_diag_t *d)
{
    char msg[sizeof d->msg];
    size_t len = 0;
    bool liberation = false;
    append(msg, sizeof msg, &len, "No usable font with Vietnamese letters: ");
    for (int i = 0; i < n; i++) {
        const problem_t *pb = &pbs[i];
        char letter[8] = {0};
        if (i > 0)
            append(msg, sizeof msg, &len, "; ");
        switch (pb->kind) {
        case REJ_NONE:
        case REJ_FAMILY:
            append(msg, sizeof msg, &len, "%s is not installed", families[i]);
            break;
        case REJ_STYLE:
            append(msg, sizeof msg, &len, "%s has no %s face", families[i], face_names[pb->face]);
            break;
        case REJ_FORMAT:
            append(msg, sizeof msg, &len, "%s: %s is not a TrueType font", families[i], pb->file);
            break;
        case REJ_LACKS:
            vb_utf8_encode(pb->cp, letter);
            append(msg, sizeof msg, &len, "%s: %s lacks '%s' (U+%04X)", families[i], pb->file, letter,
                   (unsigned)pb->cp);
            if (strncmp(families[i], "Liberation", 10) == 0)
                liberation = true;
            break;
        }
    }
    append(msg, sizeof msg, &len, "; %sput %s in %s.", liberation ? "install fonts-liberation2 or " : "",
           families[0], user_dir ? user_dir : "fonts/");
    return vb_diag_set(d, VB_E_FONT, "font.none", NULL, 0, 0, "%s", msg);
}

/* Subfolders of the fonts folder are searched this deep, no deeper (a link may loop). */
#define USER_DIR_DEPTH 8

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Adds the files of the user's fonts folder to cfg one by one, instead of
 * letting fontconfig scan it: fontconfig would open a FIFO there and wait
 * for a writer forever. Only regular files are handed over (fontconfig skips
 * those that are no fonts); subfolders are searched, as fontconfig does, and
 * names starting with '.' skipped, as fontconfig does. A FIFO, a device or a
 * socket is font.file, naming the path and what it is.
 */
static vb_status_t
add_user_dir(FcConfig *cfg, const char *dir, int depth, vb_diag_t *d)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return vb_diag_set(d, VB_E_IO, "font.dir", dir, 0, 0, "The fonts directory %s cannot be read: %s.", dir,
                           strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    vb_status_t st = VB_OK;
    for (struct dirent *de; (de = readdir(dp));) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
            if (!nn) {
                st = vb_diag_nomem(d);
                break;
            }
            names = nn;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2))) {
            st = vb_diag_nomem(d);
            break;
        }
        sprintf(names[n++], "%s/%s", dir, de->d_name);
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n && st == VB_OK; i++) {
        struct stat sb;
        if (stat(names[i], &sb) != 0)
            continue; /* a link to nothing: fontconfig would skip it too */
        if (S_ISDIR(sb.st_mode)) {
            if (depth < USER_DIR_DEPTH)
                st = add_user_dir(cfg, names[i], depth + 1, d);
        } else if (S_ISREG(sb.st_mode)) {
            FcConfigAppFontAddFile(cfg, (const FcChar8 *)names[i]); /* false for a file that is no font */
        } else {
            vb_file_result_t fr = {.status = VB_FILE_KIND, .mode = (unsigned)sb.st_mode};
            st = vb_diag_set(d, VB_E_FONT, "font.file", names[i], 0, 0,
                             "The fonts folder holds %s, but %s; only font files belong there.", names[i],
                             vb_file_why(&fr));
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

void
vb_fontfind_release(vb_fontfile_t files[VB_NFACES])
{
    for (int i = 0; i < VB_NFACES; i++) {
        free(files[i].path);
        files[i].path = NULL;
        files[i].index = 0;
    }
}

/*
 * fontconfig skips a file of the fonts folder it cannot read (truncated,
 * damaged, not a font) without a word, and the installed fonts would be
 * used instead: a file there named as a font (.ttf, .otf, .ttc) that is
 * not in fontconfig's set is a font error naming it.
 */
static vb_status_t
unread_fonts(FcFontSet *user, const char *user_dir, vb_font_damage_fn damage, vb_diag_t *d)
{
    DIR *dir = opendir(user_dir);
    if (!dir)
        return VB_OK; /* fontconfig read nothing either; the family search says what is missing */
    vb_status_t st = VB_OK;
    for (struct dirent *de; st == VB_OK && (de = readdir(dir));) {
        size_t n = strlen(de->d_name);
        const char *ext = n > 4 ? de->d_name + n - 4 : "";
        if (de->d_name[0] == '.' || (strcasecmp(ext, ".ttf") && strcasecmp(ext, ".otf") && strcasecmp(ext, ".ttc")))
            continue;
        char path[4096];
        struct stat fs;
        if (snprintf(path, sizeof path, "%s/%s", user_dir, de->d_name) >= (int)sizeof path ||
            lstat(path, &fs) != 0 || !S_ISREG(fs.st_mode))
            continue;
        bool known = false;
        for (int i = 0; user && i < user->nfont && !known; i++) {
            FcChar8 *file = NULL;
            struct stat ks;
            if (FcPatternGetString(user->fonts[i], FC_FILE, 0, &file) == FcResultMatch &&
                stat((const char *)file, &ks) == 0 && ks.st_dev == fs.st_dev && ks.st_ino == fs.st_ino)
                known = true;
        }
        char why[160];
        const char *bad = known && damage ? damage(path, why, sizeof why) : NULL;
        if (!known)
            st = vb_diag_set(d, VB_E_FONT, "font.damaged", path, 0, 0,
                             "The font file %s cannot be read as a font: it is damaged or not a font. Replace it "
                             "or remove it from the fonts folder.",
                             path);
        else if (bad)
            st = vb_diag_set(d, VB_E_FONT, "font.damaged", path, 0, 0,
                             "The font file %s is damaged: %s. Install it again or remove it from the fonts "
                             "folder.",
                             path, bad);
    }
    closedir(dir);
    return st;
}

vb_status_t
vb_fontfind(const char *const *families, int nfamilies, const char *user_dir, vb_font_damage_fn damage,
            vb_fontfile_t files[VB_NFACES], int *family_idx, vb_diag_t *d)
{
    for (int i = 0; i < VB_NFACES; i++)
        files[i] = (vb_fontfile_t){0};
    if (!families || nfamilies <= 0)
        return vb_diag_set(d, VB_E_USAGE, "font.families", NULL, 0, 0, "No font family was given.");
    for (int i = 0; i < nfamilies; i++)
        if (!families[i] || !families[i][0])
            return vb_diag_set(d, VB_E_USAGE, "font.families", NULL, 0, 0, "A font family name is empty.");
    if (user_dir) {
        /* fontconfig skips a missing directory silently; a mistyped --fonts deserves an error. */
        struct stat st;
        if (stat(user_dir, &st) != 0)
            return vb_diag_set(d, VB_E_IO, "font.dir", user_dir, 0, 0, "The fonts directory %s does not exist.",
                               user_dir);
        if (!S_ISDIR(st.st_mode)) {
            vb_file_result_t fr = {.status = VB_FILE_KIND, .mode = (unsigned)st.st_mode};
            return vb_diag_set(d, VB_E_IO, "font.dir", user_dir, 0, 0, "The fonts directory %s is no folder: %s.",
                               user_dir, S_ISREG(st.st_mode) ? "it is a file" : vb_file_why(&fr));
        }
    }

    FcConfig *cfg = load_config();
    if (!cfg)
        return vb_diag_set(d, VB_E_FONT, "font.config", NULL, 0, 0, "fontconfig could not load its configuration.");
    vb_status_t st = VB_OK;
    FcFontSet *user = NULL, *sys = NULL;
    bool sys_built = false;
    problem_t *pbs = calloc((size_t)nfamilies, sizeof *pbs);
    if (!pbs) {
        st = vb_diag_nomem(d);
        goto done;
    }
    if (user_dir) {
        if ((st = add_user_dir(cfg, user_dir, 0, d)) != VB_OK)
            goto done;
        user = FcConfigGetFonts(cfg, FcSetApplication);
        if ((st = unread_fonts(user, user_dir, damage, d)) != VB_OK)
            goto done;
    }

    for (int fam = 0; fam < nfamilies; fam++) {
        int found = 0;
        for (int face = 0; face < VB_NFACES; face++) {
            found = search_set(cfg, user, families[fam], (vb_face_t)face, &files[face], &pbs[fam]);
            if (found == 0) {
                /* The installed fonts are loaded only when the user's files fall short. */
                if (!sys_built) {
                    if (!FcConfigBuildFonts(cfg)) {
                        st = vb_diag_nomem(d);
                        goto done;
                    }
                    sys = FcConfigGetFonts(cfg, FcSetSystem);
                    sys_built = true;
                }
                found = search_set(cfg, sys, families[fam], (vb_face_t)face, &files[face], &pbs[fam]);
            }
            if (found < 0) {
                st = vb_diag_nomem(d);
                goto done;
            }
            if (found == 0)
                break; /* the first missing face is reason enough to refuse the family */
        }
        if (found > 0) {
            if (family_idx)
                *family_idx = fam;
            goto done;
        }
        vb_fontfind_release(files);
    }
    st = fail_none(families, nfamilies, pbs, user_dir, d);

done:
    if (st != VB_OK)
        vb_fontfind_release(files);
    free(pbs);
    FcConfigDestroy(cfg);
    return st;
}
