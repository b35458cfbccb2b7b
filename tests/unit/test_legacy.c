/* test_legacy.c - the legacy Vietnamese encodings: tables, round trips, conversion, detection scores. */
#include "check.h"
#include "legacy.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const vb_legacy_t encs[] = {VB_LEGACY_TCVN3, VB_LEGACY_VNI, VB_LEGACY_VIQR};

static char *
conv(vb_legacy_t enc, const char *s)
{
    char *out = NULL;
    vb_diag_t d;
    if (vb_convert_legacy(s, strlen(s), enc, &out, NULL, &d) != VB_OK)
        return NULL;
    return out;
}

static char *
enc_of(vb_legacy_t enc, const char *s)
{
    vb_buf_t b = {0};
    vb_legacy_encode(enc, s, strlen(s), &b);
    return vb_buf_take(&b, NULL);
}

/* The table: 67 small letters, then their capitals in the same order; every code used once. */
static void
test_table(void)
{
    int n = 0;
    const vb_legacy_letter_t *t = vb_legacy_table(&n);
    CHECK_INT(n, 134);
    for (int i = 0; i < 67; i++) {
        /* the capital's VIQR is the small one's with its first letter(s) in capitals */
        CHECK((t[i].viqr[0] ^ 0x20) == t[i + 67].viqr[0]);
        CHECK(strcmp(t[i].viqr + 1, t[i + 67].viqr + 1) == 0 || !strcmp(t[i].viqr, "dd"));
        CHECK(t[i].tcvn3[0] != 0); /* every small letter has a TCVN3 byte */
    }
    int tcvn_caps = 0;
    for (int i = 67; i < 134; i++)
        tcvn_caps += t[i].tcvn3[0] != 0;
    CHECK_INT(tcvn_caps, 7); /* Ă Â Ê Ô Ơ Ư Đ */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            CHECK(strcmp(t[i].letter, t[j].letter) != 0);
            CHECK(strcmp(t[i].vni, t[j].vni) != 0);
            CHECK(strcmp(t[i].viqr, t[j].viqr) != 0);
            if (t[i].tcvn3[0] && t[j].tcvn3[0])
                CHECK(strcmp(t[i].tcvn3, t[j].tcvn3) != 0);
        }
}

/* Every letter, both cases, through each encoding and back. */
static void
test_round_trip(void)
{
    int n = 0;
    const vb_legacy_letter_t *t = vb_legacy_table(&n);
    char small[1024] = "chữ thường:", caps[1024] = "CHỮ HOA:";
    for (int i = 0; i < 67; i++) {
        strcat(small, " ");
        strcat(small, t[i].letter);
        strcat(caps, " ");
        strcat(caps, t[i + 67].letter);
    }
    for (int e = 0; e < 3; e++) {
        for (int k = 0; k < 2; k++) {
            const char *s = k ? caps : small;
            char *x = enc_of(encs[e], s);
            char *back = conv(encs[e], x);
            CHECK_STR(back, s);
            /* the legacy form has no letter past U+00FF (TCVN3, VNI) or is ASCII (VIQR) */
            for (const unsigned char *p = (const unsigned char *)x; *p; p++) {
                if (encs[e] == VB_LEGACY_VIQR)
                    CHECK(*p < 0x80);
                else
                    CHECK(*p < 0xC4);
            }
            free(x);
            vb_free(back);
        }
    }
}

static void
test_examples(void)
{
    struct {
        vb_legacy_t enc;
        const char *in, *out;
    } ex[] = {
        {VB_LEGACY_TCVN3, "Bé Y tÕ", "Bộ Y tế"},
        {VB_LEGACY_TCVN3, "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"},
        {VB_LEGACY_TCVN3, "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
        {VB_LEGACY_TCVN3, "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"},
        {VB_LEGACY_VNI, "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"},
        {VB_LEGACY_VNI, "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"},
        {VB_LEGACY_VNI, "ñöôïc", "được"},
        {VB_LEGACY_VIQR, "Vie^.t Nam", "Việt Nam"},
        {VB_LEGACY_VIQR, "Ha` No^.i, nga`y 5 tha'ng 3.", "Hà Nội, ngày 5 tháng 3."},
        {VB_LEGACY_VIQR, "DDo^.c la^.p - Tu+. do - Ha.nh phu'c", "Độc lập - Tự do - Hạnh phúc"},
        {VB_LEGACY_VIQR, "address", "address"},
    };
    for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
        char *o = conv(ex[i].enc, ex[i].in);
        CHECK_STR(o, ex[i].out);
        vb_free(o);
    }
    /* the legacy bytes themselves (a file saved in TCVN3), not UTF-8 */
    char *o = conv(VB_LEGACY_TCVN3, "B\xE9 Y t\xD5");
    CHECK_STR(o, "Bộ Y tế");
    vb_free(o);
    /* auto: found by the score */
    const char *t3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
    CHECK_INT(vb_legacy_detect(t3, strlen(t3)), VB_LEGACY_TCVN3);
    const char *vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam";
    CHECK_INT(vb_legacy_detect(vni, strlen(vni)), VB_LEGACY_VNI);
    CHECK_INT(vb_legacy_detect("Vie^.t Nam", 10), VB_LEGACY_VIQR);
    char *none = NULL;
    vb_diag_t d;
    CHECK_INT(vb_convert_legacy("Hello world", 11, VB_LEGACY_AUTO, &none, NULL, &d), VB_E_INPUT);
    CHECK_STR(d.id, "paste.none");
}

static void
test_syllables(void)
{
    const char *yes[] = {"bộ", "Việt", "NGHĨA", "quyết", "giữa", "nghiêng", "khuya", "đường", "Gì", "ngoài", "Nam"};
    const char *no[] = {"tÕ", "héi", "x·", "où", "schön", "Bäume", "für", "café", "très", "vIệt", "bộộ", "ain"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!vb_viet_syllable(yes[i], strlen(yes[i])))
            CHECK(!yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (vb_viet_syllable(no[i], strlen(no[i])))
            CHECK(!no[i]);
}

static int
fired(const char *s, size_t n)
{
    return vb_legacy_guess(s, n, NULL) != VB_LEGACY_AUTO;
}

/* No false positive: French, German, English, correct Vietnamese, every paragraph of every sample. */
static void
test_no_false_positive(void)
{
    const char *fr = "Le café est très bon à Paris, où l'été dure longtemps. Les élèves ont reçu leurs "
                     "diplômes après une année difficile; on a fêté ça à la brasserie « Chez Hélène ».";
    const char *de = "Die Größe der Bäume über dem Fluß ist schön. Müller fährt früh zur Universität "
                     "und hört unterwegs Nachrichten über die Wirtschaft in Österreich.";
    const char *en = "It's five o'clock: don't you think we're late? I'm sure they'll wait (a+b)^2 for us.";
    const char *vi = "Bé Út đi học. Cộng hòa xã hội chủ nghĩa Việt Nam. Hà Tây, Bé Ý.";
    CHECK(!fired(fr, strlen(fr)));
    CHECK(!fired(de, strlen(de)));
    CHECK(!fired(en, strlen(en)));
    CHECK(!fired(vi, strlen(vi)));
    const char *dirs[] = {"samples", "samples/party05", "samples/party36", "samples/state", "samples/batch"};
    int paragraphs = 0, files = 0;
    for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
        DIR *dir = opendir(dirs[k]);
        CHECK(dir != NULL);
        if (!dir)
            continue;
        struct dirent *de_;
        while ((de_ = readdir(dir))) {
            size_t nl = strlen(de_->d_name);
            if (nl < 4 || strcmp(de_->d_name + nl - 3, ".md"))
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dirs[k], de_->d_name);
            FILE *f = fopen(path, "rb");
            if (!f)
                continue;
            static char buf[1 << 20];
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = 0;
            files++;
            /* each paragraph (blank-line separated) and each line */
            for (char *p = buf; *p;) {
                char *e = strstr(p, "\n\n");
                size_t len = e ? (size_t)(e - p) : strlen(p);
                paragraphs++;
                if (fired(p, len)) {
                    fprintf(stderr, "false positive in %s: %.*s\n", path, (int)(len > 80 ? 80 : len), p);
                    CHECK(0);
                }
                for (char *l = p; l < p + len;) {
                    char *le = memchr(l, '\n', (size_t)(p + len - l));
                    size_t ll = le ? (size_t)(le - l) : (size_t)(p + len - l);
                    if (fired(l, ll)) {
                        fprintf(stderr, "false positive in %s: %.*s\n", path, (int)ll, l);
                        CHECK(0);
                    }
                    l += ll + 1;
                }
                p += len;
                while (*p == '\n')
                    p++;
            }
        }
        closedir(dir);
    }
    CHECK(files >= 30);
    printf("%d sample files, %d paragraphs: no false positive\n", files, paragraphs);
}

/* The scores the rule uses, with figures. */
static void
test_scores(void)
{
    vb_legacy_score_t sc;
    vb_legacy_score(VB_LEGACY_TCVN3, "Bé Y tÕ", 9, &sc);
    CHECK_INT(sc.words, 3);
    CHECK_INT(sc.cand, 2);
    CHECK_INT(sc.before, 1); /* "Bé" is a word already */
    CHECK_INT(sc.after, 2);
    CHECK(sc.latin_only);
    CHECK(vb_legacy_fires(VB_LEGACY_TCVN3, &sc));
    const char *fr = "Le café est très bon à Paris, où l'été dure.";
    vb_legacy_score(VB_LEGACY_VNI, fr, strlen(fr), &sc);
    CHECK_INT(sc.cand, 1); /* "où" reads "ó" in VNI */
    CHECK_INT(sc.after, 1);
    CHECK(!vb_legacy_fires(VB_LEGACY_VNI, &sc)); /* one word in ten changes */
    const char *t = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
    vb_legacy_score(VB_LEGACY_TCVN3, t, strlen(t), &sc);
    CHECK_INT(sc.cand, 7);
    CHECK_INT(sc.after, 7);
    CHECK(vb_legacy_clear(&sc));
}

int
main(void)
{
    test_table();
    test_round_trip();
    test_examples();
    test_syllables();
    test_scores();
    test_no_false_positive();
    return check_done();
}
