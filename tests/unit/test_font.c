/*
 * test_font.c - finding and opening fonts (fontfind.c, font.c).
 *
 * ctest sets FONTCONFIG_FILE to tests/fonts.conf (Debian's fonts-liberation2
 * only). Some tests write their own fonts.conf into a temporary directory and
 * point FONTCONFIG_FILE at it for one call. The refusal tests need Debian's
 * fonts-liberation 1.07 (apt-get install fonts-liberation): the font without
 * Vietnamese letters that shares its family name with Liberation Serif 2.
 */
#include <dirent.h>
#include <errno.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "font.h"
#include "fontfind.h"

#define LIB2_DIR "/usr/share/fonts/truetype/liberation2"
#define LIB1_DIR "/usr/share/fonts/truetype/liberation"

static const char *const default_families[] = {"Times New Roman", "Liberation Serif"};
static const char *const ps_names[VB_NFACES] = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                                                "LiberationSerif-BoldItalic"};
static const char *const lib_files[VB_NFACES] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                                 "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"};

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool
starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Removes a directory tree made by a test (files and one level of subdirectories, as fontconfig leaves). */
static void
rm_rf(const char *path)
{
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *e;
        char sub[1024];
        while ((e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                rm_rf(sub);
            else
                unlink(sub);
        }
        closedir(dir);
    }
    rmdir(path);
}

static bool
copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    bool ok = in && out;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = false;
    return ok;
}

/* Writes tmp/fonts.conf listing dirs (NULL-terminated) and a cache inside tmp; returns its path. */
static void
write_conf(const char *tmp, const char *const *dirs, char *conf, size_t size)
{
    snprintf(conf, size, "%s/fonts.conf", tmp);
    FILE *f = fopen(conf, "w");
    if (!f)
        return;
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n<fontconfig>\n");
    for (int i = 0; dirs[i]; i++)
        fprintf(f, "  <dir>%s</dir>\n", dirs[i]);
    fprintf(f, "  <cachedir>%s/cache</cachedir>\n</fontconfig>\n", tmp);
    fclose(f);
}

/* Runs vb_fontset_open with FONTCONFIG_FILE set to conf for this call only. */
static vb_status_t
open_with_conf(const char *conf, const char *user_dir, vb_fontset_t **fs, vb_diag_t *d)
{
    const char *old = getenv("FONTCONFIG_FILE");
    char *saved = old ? strdup(old) : NULL;
    setenv("FONTCONFIG_FILE", conf, 1);
    vb_status_t st = vb_fontset_open(default_families, 2, user_dir, fs, d);
    if (saved) {
        setenv("FONTCONFIG_FILE", saved, 1);
        free(saved);
    } else {
        unsetenv("FONTCONFIG_FILE");
    }
    return st;
}

/* The table of Vietnamese letters: 134 distinct letters, 67 lower then 67 upper case, each a
 * Vietnamese vowel or đ with at most one tone mark. */
static void
test_letter_table(void)
{
    static const uint32_t marks[] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0306, 0x0309, 0x031B, 0x0323};
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    int lower = 0, upper = 0, distinct = 1, toned = 0;
    for (int i = 0; i < VB_FONTFIND_NVIETNAMESE; i++) {
        uint32_t cp = vb_fontfind_vietnamese[i];
        for (int j = 0; j < i; j++)
            if (vb_fontfind_vietnamese[j] == cp)
                distinct = 0;
        hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
        if (i < 67 && gc == HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER)
            lower++;
        if (i >= 67 && gc == HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER)
            upper++;
        /*
         * Full canonical decomposition: an ASCII vowel and at most two marks, at most one
         * of them a tone (ặ is a + dot below + breve).
         */
        hb_codepoint_t a = cp, b;
        int nmarks = 0, ntones = 0;
        while (hb_unicode_decompose(uf, a, &a, &b)) {
            bool known = false;
            for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
                known |= b == marks[k];
            CHECK(known);
            nmarks++;
            ntones += b == 0x0300 || b == 0x0301 || b == 0x0303 || b == 0x0309 || b == 0x0323;
        }
        if (nmarks == 0)
            CHECK(cp == 0x0111 || cp == 0x0110); /* đ Đ have no decomposition */
        else
            CHECK(a < 0x80 && strchr("aeiouyAEIOUY", (int)a) != NULL);
        CHECK(nmarks <= 2 && ntones <= 1);
        toned += ntones;
    }
    CHECK_INT(distinct, 1);
    CHECK_INT(lower, 67);
    CHECK_INT(upper, 67);
    CHECK_INT(toned, 120); /* 12 vowels x 5 marked tones x 2 cases */
    CHECK_INT(vb_fontfind_vietnamese[5], 0x01A1); /* ơ comes early: the 1.07 font's first gap */
}

static void
test_default_families(void)
{
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};
    double t0 = now_ms();
    vb_status_t st = vb_fontset_open(default_families, 2, NULL, &fs, &d);
    double t1 = now_ms();
    if (st != VB_OK)
        fprintf(stderr, "open: %s [%s]\n", d.msg, d.id);
    CHECK_INT(st, VB_OK);
    if (!fs)
        return;
    vb_fontset_free(fs);
    fs = NULL;
    double t2 = now_ms();
    st = vb_fontset_open(default_families, 2, NULL, &fs, &d);
    double t3 = now_ms();
    CHECK_INT(st, VB_OK);
    printf("vb_fontset_open (tests/fonts.conf): first %.2f ms, second %.2f ms\n", t1 - t0, t3 - t2);

    for (int i = 0; i < VB_NFACES; i++) {
        const vb_font_info_t *in = vb_font_info(vb_fontset_face(fs, (vb_face_t)i));
        char want[256];
        snprintf(want, sizeof want, "%s/%s", LIB2_DIR, lib_files[i]);
        CHECK_STR(in->ps_name, ps_names[i]);
        CHECK_STR(in->path, want);
        CHECK_STR(in->family, "Liberation Serif");
        CHECK_INT(in->upem, 2048);
        CHECK_INT(in->bold, (i & 1) != 0);
        CHECK_INT(in->italic, (i & 2) != 0);
        CHECK_INT(in->fixed_pitch, 0);
        CHECK_INT(in->serif, 1);
        CHECK(in->num_glyphs > 1000);
        /* Liberation Serif 2.1.5: hhea ascender 1825 and descender -443 in every face. */
        CHECK_INT(in->ascender, 1825);
        CHECK_INT(in->descender, -443);
        CHECK(in->cap_height > 1200 && in->cap_height < 1400);
        CHECK(in->bbox[0] < 0 && in->bbox[1] < -400 && in->bbox[2] > 2048 && in->bbox[3] > 1800);
        CHECK(in->stem_v == ((i & 1) ? 168 : 95));
        printf("  %-27s asc %d desc %d cap %d bbox [%d %d %d %d] angle %d glyphs %u\n", in->ps_name,
               in->ascender, in->descender, in->cap_height, in->bbox[0], in->bbox[1], in->bbox[2], in->bbox[3],
               in->italic_angle, in->num_glyphs);
    }
    const vb_font_info_t *reg = vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR));
    const vb_font_info_t *it = vb_font_info(vb_fontset_face(fs, VB_FACE_ITALIC));
    CHECK_INT(reg->italic_angle, 0);
    /* Values read from the files with a separate Python script (struct.unpack of the tables). */
    CHECK_INT(it->italic_angle, -16333); /* post.italicAngle = -16.3330078125 degrees */
    CHECK_INT(reg->cap_height, 1341);    /* OS/2 sCapHeight */
    CHECK_INT(reg->bbox[0], -1114);      /* head xMin .. yMax of LiberationSerif-Regular 2.1.5 */
    CHECK_INT(reg->bbox[1], -621);
    CHECK_INT(reg->bbox[2], 2618);
    CHECK_INT(reg->bbox[3], 2010);

    /* Coverage: letters, marks, spaces, and what the font does not have. */
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    for (int i = 0; i < VB_FONTFIND_NVIETNAMESE; i++)
        CHECK(vb_font_covers(r, vb_fontfind_vietnamese[i]));
    CHECK(vb_font_covers(r, 'A'));
    CHECK(vb_font_covers(r, 0x0323)); /* combining dot below */
    CHECK(vb_font_covers(r, 0x031B)); /* combining horn */
    CHECK(vb_font_covers(r, 0x2003)); /* em space */
    CHECK(vb_font_covers(r, 0x200B)); /* zero width space: hidden by HarfBuzz */
    CHECK(!vb_font_covers(r, 0x4E00)); /* a CJK ideograph */
    CHECK(!vb_font_covers(r, 0x0E01)); /* a Thai letter */
    CHECK(!vb_font_covers(r, 0x1F600)); /* an emoji */

    /* Glyph metrics in font units: the space is 512/2048 em; 'H' stands on the baseline. */
    hb_codepoint_t sp, h, p;
    hb_font_t *hf = vb_font_hb_font(r);
    CHECK(hb_font_get_nominal_glyph(hf, ' ', &sp));
    CHECK(hb_font_get_nominal_glyph(hf, 'H', &h));
    CHECK(hb_font_get_nominal_glyph(hf, 'p', &p));
    CHECK_INT(vb_font_glyph_advance(r, sp), 512);
    int top, bottom;
    vb_font_glyph_vextent(r, h, &top, &bottom);
    CHECK_INT(top, 1341);
    CHECK_INT(bottom, 0);
    vb_font_glyph_vextent(r, p, &top, &bottom);
    CHECK(top > 800 && top < 1000 && bottom < -400);
    vb_font_glyph_vextent(r, sp, &top, &bottom);
    CHECK_INT(top, 0);
    CHECK_INT(bottom, 0);
    CHECK(vb_font_hb_face(r) != NULL);
    CHECK(vb_font_scale(r, 512, VB_PT(14)) == 3500);
    CHECK(vb_font_scale(r, -443, VB_PT(14)) == -3028); /* -3028.3, rounded towards the nearest */
    vb_fontset_free(fs);
}

/* Liberation Serif 1.07 alone: refused with the file and its first missing letter. */
static void
test_liberation1_refused(const char *tmp)
{
    char conf[512];
    const char *dirs[] = {LIB1_DIR, NULL};
    write_conf(tmp, dirs, conf, sizeof conf);
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};
    vb_status_t st = open_with_conf(conf, NULL, &fs, &d);
    printf("1.07 only: %s [%s]\n", d.msg, d.id);
    CHECK_INT(st, VB_E_FONT);
    CHECK(fs == NULL);
    CHECK_STR(d.id, "font.none");
    CHECK(strstr(d.msg, "Times New Roman is not installed") != NULL);
    CHECK(strstr(d.msg, "Liberation Serif: " LIB1_DIR "/LiberationSerif-Regular.ttf lacks '\xC6\xA1' (U+01A1)") !=
          NULL);
    CHECK(strstr(d.msg, "install fonts-liberation2") != NULL);
    CHECK(strstr(d.msg, "put Times New Roman in fonts/") != NULL);
}

/* Both Debian packages installed, two fonts named Liberation Serif: the one with Vietnamese wins. */
static void
test_both_liberations(const char *tmp)
{
    char conf[512];
    const char *dirs[] = {LIB1_DIR, LIB2_DIR, NULL};
    write_conf(tmp, dirs, conf, sizeof conf);
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};
    vb_status_t st = open_with_conf(conf, NULL, &fs, &d);
    if (st != VB_OK)
        fprintf(stderr, "both: %s [%s]\n", d.msg, d.id);
    CHECK_INT(st, VB_OK);
    for (int i = 0; fs && i < VB_NFACES; i++) {
        const vb_font_info_t *in = vb_font_info(vb_fontset_face(fs, (vb_face_t)i));
        CHECK(starts_with(in->path, LIB2_DIR "/"));
        CHECK_STR(in->ps_name, ps_names[i]);
    }
    vb_fontset_free(fs);
}

/* A user directory: its files win over the installed ones, face by face; refused files fall through. */
static void
test_user_dir(const char *tmp)
{
    char user[512], from[512], to[600];
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};

    /* All four faces copied under other file names. */
    snprintf(user, sizeof user, "%s/user4", tmp);
    mkdir(user, 0700);
    for (int i = 0; i < VB_NFACES; i++) {
        snprintf(from, sizeof from, "%s/%s", LIB2_DIR, lib_files[i]);
        snprintf(to, sizeof to, "%s/copy-%d.ttf", user, i);
        CHECK(copy_file(from, to));
    }
    double t0 = now_ms();
    vb_status_t st = vb_fontset_open(default_families, 2, user, &fs, &d);
    printf("vb_fontset_open with a user dir (first scan): %.2f ms\n", now_ms() - t0);
    CHECK_INT(st, VB_OK);
    for (int i = 0; fs && i < VB_NFACES; i++) {
        const vb_font_info_t *in = vb_font_info(vb_fontset_face(fs, (vb_face_t)i));
        snprintf(to, sizeof to, "%s/copy-%d.ttf", user, i);
        CHECK_STR(in->path, to);
        CHECK_STR(in->ps_name, ps_names[i]);
    }
    vb_fontset_free(fs);
    fs = NULL;

    /* Only the Bold in the user directory, in a subfolder: Bold from there, the rest installed. */
    snprintf(user, sizeof user, "%s/user1", tmp);
    mkdir(user, 0700);
    snprintf(to, sizeof to, "%s/sub", user);
    mkdir(to, 0700);
    snprintf(from, sizeof from, "%s/%s", LIB2_DIR, lib_files[VB_FACE_BOLD]);
    snprintf(to, sizeof to, "%s/sub/mybold.ttf", user);
    CHECK(copy_file(from, to));
    st = vb_fontset_open(default_families, 2, user, &fs, &d);
    CHECK_INT(st, VB_OK);
    if (fs) {
        CHECK_STR(vb_font_info(vb_fontset_face(fs, VB_FACE_BOLD))->path, to);
        CHECK(starts_with(vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR))->path, LIB2_DIR "/"));
        CHECK(starts_with(vb_font_info(vb_fontset_face(fs, VB_FACE_BOLD_ITALIC))->path, LIB2_DIR "/"));
    }
    vb_fontset_free(fs);
    fs = NULL;

    /* The 1.07 Regular in the user directory: refused for its coverage, the installed 2.x taken. */
    snprintf(user, sizeof user, "%s/user107", tmp);
    mkdir(user, 0700);
    snprintf(from, sizeof from, "%s/LiberationSerif-Regular.ttf", LIB1_DIR);
    snprintf(to, sizeof to, "%s/old.ttf", user);
    CHECK(copy_file(from, to));
    st = vb_fontset_open(default_families, 2, user, &fs, &d);
    CHECK_INT(st, VB_OK);
    if (fs)
        CHECK_STR(vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR))->path, LIB2_DIR "/LiberationSerif-Regular.ttf");
    vb_fontset_free(fs);
    fs = NULL;

    /* The same user directory with a config that has no installed Liberation 2: refused, naming the user file. */
    char conf[512];
    const char *dirs[] = {"/nonexistent-vanban-fonts", NULL};
    write_conf(tmp, dirs, conf, sizeof conf);
    st = open_with_conf(conf, user, &fs, &d);
    printf("user 1.07 only: %s [%s]\n", d.msg, d.id);
    CHECK_INT(st, VB_E_FONT);
    CHECK(strstr(d.msg, to) != NULL);
    CHECK(strstr(d.msg, "(U+01A1)") != NULL);
    CHECK(strstr(d.msg, "put Times New Roman in ") != NULL && strstr(d.msg, user) != NULL);

    /* A missing user directory is an error, not silently ignored. */
    vb_diag_t d2 = {0};
    snprintf(user, sizeof user, "%s/no-such-dir", tmp);
    st = vb_fontset_open(default_families, 2, user, &fs, &d2);
    CHECK_INT(st, VB_E_IO);
    CHECK_STR(d2.id, "font.dir");
    CHECK(fs == NULL);
}

static void
test_errors(void)
{
    vb_fontset_t *fs = (vb_fontset_t *)&fs; /* must be reset to NULL */
    vb_diag_t d = {0};
    CHECK_INT(vb_fontset_open(default_families, 0, NULL, &fs, &d), VB_E_USAGE);
    CHECK(fs == NULL);

    /* A family that is not installed, alone: fontconfig's substitute is not taken. */
    static const char *const only[] = {"Times New Roman"};
    vb_diag_t d2 = {0};
    CHECK_INT(vb_fontset_open(only, 1, NULL, &fs, &d2), VB_E_FONT);
    CHECK_STR(d2.id, "font.none");
    CHECK(strstr(d2.msg, "Times New Roman is not installed") != NULL);
    CHECK(fs == NULL);

    /* Liberation Sans is installed but is not the family asked for; Liberation Mono has the letters too. */
    static const char *const mono[] = {"No Such Family", "Liberation Mono"};
    vb_diag_t d3 = {0};
    CHECK_INT(vb_fontset_open(mono, 2, NULL, &fs, &d3), VB_OK);
    if (fs) {
        CHECK_STR(vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR))->ps_name, "LiberationMono");
        CHECK_INT(vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR))->fixed_pitch, 1);
        /* Courier's metrics and slab serifs: PANOSE serif style 7 (square). */
        CHECK_INT(vb_font_info(vb_fontset_face(fs, VB_FACE_REGULAR))->serif, 1);
    }
    vb_fontset_free(fs);
    vb_fontset_free(NULL);
}

int
main(void)
{
    test_letter_table();
    test_default_families();
    test_errors();

    struct stat st;
    if (stat(LIB1_DIR "/LiberationSerif-Regular.ttf", &st) != 0) {
        fprintf(stderr, "test_font: %s is missing: apt-get install fonts-liberation (the 1.07 font the "
                        "refusal tests need)\n", LIB1_DIR);
        CHECK(0);
        return check_done();
    }
    char tmp[] = "/tmp/vanban-test-font-XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_liberation1_refused(tmp);
    test_both_liberations(tmp);
    test_user_dir(tmp);
    rm_rf(tmp);
    return check_done();
}
