/*
 * test_pdf.c - the PDF backend, checked with real PDF clients.
 *
 * Builds display lists by hand from HarfBuzz-shaped Vietnamese text (all 134
 * precomposed letters in the four Liberation Serif faces, a justified line,
 * marks positioned by GPOS, a rule), writes them, and asks qpdf, poppler
 * (pdffonts, pdftotext, pdfinfo) and mupdf (mutool) what they see.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dlist.h"
#include "font.h"
#include "pdf.h"
#include "shape.h"

static vb_fontset_t *fs;
static char tmpdir[64];

/* The 134 precomposed Vietnamese letters: 12 vowels x 6 tones, minus a e i o u y, plus đ, in both cases. */
static const char *const letters_lower[] = {
    "àáảãạ ăằắẳẵặ âầấẩẫậ",
    "èéẻẽẹ êềếểễệ ìíỉĩị",
    "òóỏõọ ôồốổỗộ ơờớởỡợ",
    "ùúủũụ ưừứửữự ỳýỷỹỵ đ",
};
static const char *const letters_upper[] = {
    "ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ",
    "ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ",
    "ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ",
    "ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ Đ",
};

static const char title[] = "Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh Thanh Hoá";

/* ---------------------------------------------------------------- helpers */

/* Everything placed as text, line by line, for the pdftotext comparison. */
static char expected[16384];

/* A glyph placed, for the mutool position check. */
typedef struct placed {
    char ch[8];
    vb_len_t x, y;
} placed_t;
static placed_t samples[64];
static int nsamples;

/*
 * Shapes text in face at size and places it from (x, y) (y: the baseline,
 * top-down), widening every space by extra. Returns the run.
 */
static vb_drun_t *
add_text(vb_dlist_t *dl, vb_dpage_t *pg, int face, vb_len_t size, const char *text, vb_len_t x, vb_len_t y,
         vb_len_t extra, bool sample)
{
    const vb_font_t *f = vb_fontset_face(fs, (vb_face_t)face);
    vb_shaped_t sh;
    vb_diag_t d = {0};
    size_t len = strlen(text);
    if (vb_shape(f, size, text, len, dl->arena, &sh, &d) != VB_OK) {
        fprintf(stderr, "shape failed: %s\n", d.msg);
        check_failed++;
        return NULL;
    }
    vb_ditem_t *it = vb_dpage_add(dl, pg, VB_DITEM_RUN);
    vb_drun_t *r = &it->u.run;
    r->face = face;
    r->size = size;
    r->text = vb_arena_strdup(dl->arena, text);
    r->text_len = len;
    r->glyphs = VB_NEWN(dl->arena, vb_dglyph_t, sh.n);
    r->n = sh.n;
    vb_len_t pen = x;
    for (int i = 0; i < sh.n; i++) {
        const vb_glyph_t *g = &sh.glyphs[i];
        vb_dglyph_t *o = &r->glyphs[i];
        o->gid = g->gid;
        o->x = pen + g->x_offset;
        o->y = y - g->y_offset;
        o->text_off = g->cluster;
        if (i == 0 || g->cluster != sh.glyphs[i - 1].cluster) {
            int j = i + 1;
            while (j < sh.n && sh.glyphs[j].cluster == g->cluster)
                j++;
            o->text_len = (uint32_t)((j < sh.n ? sh.glyphs[j].cluster : len) - g->cluster);
        }
        pen += g->x_advance;
        if (text[g->cluster] == ' ')
            pen += extra;
        /* sample the 3rd and the last glyph that starts a non-space one-code-point-or-more cluster */
        if (sample && nsamples < 64 && o->text_len > 0 && text[g->cluster] != ' ' && (i == 2 || i == sh.n - 1)) {
            placed_t *s = &samples[nsamples++];
            snprintf(s->ch, sizeof s->ch, "%.*s", (int)o->text_len, text + g->cluster);
            s->x = o->x;
            s->y = o->y;
        }
    }
    strncat(expected, text, sizeof expected - strlen(expected) - 2);
    strcat(expected, "\n");
    return r;
}

/* Runs a shell command; returns its exit status and its stdout (malloc'd) in *out. */
static int
run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (cap - n < 1024) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[n] = 0;
    for (size_t i = 0; i < n; i++) /* binary streams (qpdf --qdf): the text checks read past their NULs */
        if (!buf[i])
            buf[i] = ' ';
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static unsigned char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Splits s on white space into words; returns the count. */
static int
words(char *s, char **w, int max)
{
    int n = 0;
    for (char *t = strtok(s, " \t\r\n\f"); t && n < max; t = strtok(NULL, " \t\r\n\f"))
        w[n++] = t;
    return n;
}

/* The number of files in tmpdir whose name starts with prefix. */
static int
count_files(const char *prefix)
{
    DIR *dir = opendir(tmpdir);
    int n = 0;
    struct dirent *e;
    while (dir && (e = readdir(dir)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    if (dir)
        closedir(dir);
    return n;
}

/* The value of "Key:   value" in pdfinfo's output (a static copy), or NULL. */
static const char *
info_field(const char *out, const char *key)
{
    static char val[512];
    size_t kl = strlen(key);
    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
            const char *v = l + kl + 1;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, "\n");
            snprintf(val, sizeof val, "%.*s", (int)n, v);
            return val;
        }
    }
    return NULL;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---------------------------------------------------------------- the document */

static const vb_len_t page_w = 595276, page_h = 841890, left = VB_MM(30);

static void
build_letters(vb_dlist_t *dl)
{
    dl->info.title = title;
    dl->info.author = "Ủy ban nhân dân tỉnh Thanh Hoá";
    dl->info.subject = "Số: 12/QĐ-UBND";
    dl->info.creator = "vanban 0.1.0";
    dl->info.keywords = "nd30-2020";
    dl->info.year = 2023;
    dl->info.month = 7;
    dl->info.day = 6;
    dl->info.hour = 9;
    dl->info.minute = 30;
    dl->info.tz_minutes = 420;

    vb_dpage_t *pg = vb_dlist_add_page(dl, page_w, page_h);
    pg->label = "1";
    vb_len_t y = VB_MM(25);
    for (int face = 0; face < VB_NFACES; face++) {
        for (int l = 0; l < 4; l++) {
            add_text(dl, pg, face, VB_PT(13), letters_lower[l], left, y, 0, true);
            y += VB_PT(17);
        }
        for (int l = 0; l < 4; l++) {
            add_text(dl, pg, face, VB_PT(13), letters_upper[l], left, y, 0, true);
            y += VB_PT(17);
        }
    }
    /* a justified line: spaces widened by 9 pt each */
    add_text(dl, pg, 0, VB_PT(13), "Thanh Hoá, ngày 06 tháng 7 năm 2023 ĐẢNG ỦY KHỐI", left, y, VB_PT(9), true);
    y += VB_PT(17);
    add_text(dl, pg, 1, VB_PT(14), "Độc lập - Tự do - Hạnh phúc", left + VB_PT(100), y, 0, true);
    /* the motto's underline (0.5 pt) */
    vb_ditem_t *it = vb_dpage_add(dl, pg, VB_DITEM_RULE);
    it->u.rule = (vb_drule_t){left + VB_PT(100), y + VB_PT(3), left + VB_PT(280), y + VB_PT(3), VB_PT(0.5)};
    it = vb_dpage_add(dl, pg, VB_DITEM_BOX);
    it->u.box = (vb_dbox_t){.kind = VB_DBOX_SIGNATURE, .x = left, .y = y + VB_PT(40), .w = VB_PT(200),
                            .h = VB_PT(60)};

    /* page 2: outline targets and a page label prefix */
    pg = vb_dlist_add_page(dl, page_w, page_h);
    add_text(dl, pg, 1, VB_PT(13), "Điều 1. Phạm vi điều chỉnh", left, VB_MM(25), 0, false);
    add_text(dl, pg, 0, VB_PT(13), "Khoản 1. Quy chế này quy định", left, VB_MM(25) + VB_PT(20), 0, false);
    vb_dlist_add_outline(dl, 1, "Điều 1. Phạm vi điều chỉnh", 1, VB_MM(25) - VB_PT(13));
    vb_dlist_add_outline(dl, 2, "Khoản 1. Quy chế này quy định", 1, VB_MM(25) + VB_PT(7));
    vb_dlist_add_outline(dl, 1, "Phụ lục", 1, VB_MM(100));
    vb_dlist_add_label(dl, 1, 1, "Phụ lục ");
}

/* ---------------------------------------------------------------- tests */

static void
test_letters_pdf(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    expected[0] = 0;
    build_letters(&dl);

    /* the letter lines hold 134 distinct letters */
    int nletters = 0;
    for (int l = 0; l < 4; l++)
        for (int c = 0; c < 2; c++) {
            const char *s = c ? letters_upper[l] : letters_lower[l];
            for (size_t o = 0; s[o];) {
                uint32_t cp;
                int k = vb_utf8_decode(s + o, strlen(s + o), &cp);
                if (cp != ' ')
                    nletters++;
                o += (size_t)k;
            }
        }
    CHECK_INT(nletters, 134);

    char path[128], path2[128], cmd[512];
    snprintf(path, sizeof path, "%s/letters.pdf", tmpdir);
    snprintf(path2, sizeof path2, "%s/letters2.pdf", tmpdir);
    vb_diag_t d = {0};
    double t0 = now_ms();
    CHECK_INT(vb_pdf_write_file(&dl, fs, path, &d), VB_OK);
    double t1 = now_ms();
    if (d.code)
        fprintf(stderr, "write failed: %s [%s]\n", d.msg, d.id);
    CHECK_INT(vb_pdf_write_file(&dl, fs, path2, &d), VB_OK);

    size_t len1 = 0, len2 = 0, len3 = 0;
    unsigned char *b1 = read_file(path, &len1), *b2 = read_file(path2, &len2), *b3 = NULL;
    CHECK(b1 && b2);
    printf("letters.pdf: %zu bytes, written in %.2f ms\n", len1, t1 - t0);
    CHECK(len1 > 8000 && len1 < 60000);
    /* determinism: the same display list gives the same bytes, through files and memory */
    CHECK(b1 && b2 && len1 == len2 && memcmp(b1, b2, len1) == 0);
    CHECK_INT(vb_pdf_write_mem(&dl, fs, &b3, &len3, &d), VB_OK);
    CHECK(b1 && b3 && len1 == len3 && memcmp(b1, b3, len1) == 0);
    CHECK(b1 && memcmp(b1, "%PDF-", 5) == 0);
    free(b1);
    free(b2);
    free(b3);
    CHECK_INT(count_files(".letters"), 0); /* no temporary file left */

    /* qpdf: structurally valid; the rule is stroked; Ts never left set */
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    CHECK_INT(run(cmd, NULL), 0);
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' - 2>/dev/null", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK(strstr(out, "\n0.5 w\n185.039 207.024 m 365.039 207.024 l\nS\n") != NULL);
    CHECK(strstr(out, " l\nS\n") != NULL);
    /* one text object for consecutive runs: the font set once, a line below the last at the same x a Td move */
    CHECK(strstr(out, "BT\n/F1 13 Tf\n1 0 0 1 85.039 771.024 Tm\n[") != NULL);
    CHECK(strstr(out, "\n0 -17 Td\n[") != NULL);
    /* one-byte codes: the identity CMap (code = CID), a CIDToGIDMap per font object, Tw for the spaces */
    CHECK(strstr(out, "/CMapName /Vanban-Identity-1") != NULL);
    CHECK(strstr(out, "<00> <FF> 0\nendcidrange") != NULL);
    CHECK(strstr(out, "/CIDToGIDMap /Identity") == NULL);
    CHECK(strstr(out, "/CIDToGIDMap ") != NULL);
    CHECK(strstr(out, "/CIDSet ") != NULL);
    CHECK(strstr(out, "<20> <0020>") != NULL); /* code 32 is the space, so Tw stretches it */
    free(out);

    /* pdffonts: 4 fonts, each embedded, subset, with ToUnicode; and no warning at all */
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", path);
    CHECK_INT(run(cmd, &out), 0);
    int nfonts = 0, good = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "CID TrueType")) {
            nfonts++;
            if (strstr(line, "Custom") && strstr(line, "yes yes yes") && line[6] == '+')
                good++;
        } else if (strncmp(line, "name", 4) != 0 && strncmp(line, "----", 4) != 0) {
            fprintf(stderr, "pdffonts said: %s\n", line);
            check_failed++;
        }
    }
    CHECK_INT(nfonts, 4);
    CHECK_INT(good, 4);
    free(out);

    /* pdftotext: the words placed, in order, and nothing on stderr */
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>'%s/err.txt'", path, tmpdir);
    CHECK_INT(run(cmd, &out), 0);
    char errpath[128];
    snprintf(errpath, sizeof errpath, "%s/err.txt", tmpdir);
    size_t errlen = 99;
    unsigned char *err = read_file(errpath, &errlen);
    CHECK_INT(errlen, 0);
    if (errlen)
        fprintf(stderr, "pdftotext stderr: %.*s\n", (int)errlen, (const char *)err);
    free(err);
    char *exp = strdup(expected);
    static char *wa[1024], *wb[1024];
    int na = words(out, wa, 1024), nb = words(exp, wb, 1024);
    CHECK_INT(na, nb);
    int diff = 0;
    for (int i = 0; i < na && i < nb; i++)
        if (strcmp(wa[i], wb[i]) != 0) {
            if (diff++ < 5)
                fprintf(stderr, "word %d: pdftotext \"%s\", placed \"%s\"\n", i, wa[i], wb[i]);
        }
    CHECK_INT(diff, 0);
    free(exp);
    free(out);

    /* mutool: glyph origins where we placed them (within 0.01 pt) */
    snprintf(cmd, sizeof cmd, "mutool draw -q -F stext -o - '%s' 1 2>/dev/null", path);
    CHECK_INT(run(cmd, &out), 0);
    int found = 0, close_enough = 0;
    for (int s = 0; s < nsamples; s++) {
        /* <char quad="..." x="85.039" y="70.866" color="#000000" c="ằ"/> */
        /* mutool writes non-ASCII characters as &#x..; entities */
        char needle[48];
        uint32_t cp = 0;
        vb_utf8_decode(samples[s].ch, strlen(samples[s].ch), &cp);
        if (cp < 0x80)
            snprintf(needle, sizeof needle, "c=\"%c\"", (char)cp);
        else
            snprintf(needle, sizeof needle, "c=\"&#x%x;\"", (unsigned)cp);
        double best = 1e9;
        for (char *p = strstr(out, needle); p; p = strstr(p + 1, needle)) {
            char *line = p;
            while (line > out && line[-1] != '\n')
                line--;
            char *xs = strstr(line, " x=\""), *ys = strstr(line, " y=\"");
            if (!xs || !ys || xs > p || ys > p)
                continue;
            double x = strtod(xs + 4, NULL), y = strtod(ys + 4, NULL);
            double dx = x - samples[s].x / 1000.0, dy = y - samples[s].y / 1000.0;
            if (dy < 0.05 && dy > -0.05 && (dx < 0 ? -dx : dx) < best)
                best = dx < 0 ? -dx : dx;
        }
        if (best < 1e9)
            found++;
        if (best <= 0.01)
            close_enough++;
        else
            fprintf(stderr, "glyph %s placed at %d,%d: mutool's nearest is %.4f pt away\n", samples[s].ch,
                    (int)samples[s].x, (int)samples[s].y, best);
    }
    CHECK(nsamples >= 60);
    CHECK_INT(found, nsamples);
    CHECK_INT(close_enough, nsamples);
    free(out);

    /* pdfinfo: the Vietnamese title as UTF-16, and the dates */
    snprintf(cmd, sizeof cmd, "pdfinfo -enc UTF-8 '%s' 2>&1", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK_STR(info_field(out, "Title"), title);
    CHECK_STR(info_field(out, "Author"), "Ủy ban nhân dân tỉnh Thanh Hoá");
    CHECK_STR(info_field(out, "Pages"), "2");
    CHECK_STR(info_field(out, "CreationDate"), "Thu Jul  6 02:30:00 2023 UTC");
    CHECK(strstr(out, "Syntax") == NULL);
    free(out);

    /* mutool: the outline, nested, pointing to page 2 */
    snprintf(cmd, sizeof cmd, "mutool show '%s' outline 2>&1", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK(strstr(out, "Điều 1. Phạm vi điều chỉnh") != NULL);
    CHECK(strstr(out, "Phụ lục") != NULL);
    char *k = strstr(out, "Khoản 1");
    CHECK(k && k > out && k[-1] == '"' && k - out >= 3 && k[-2] == '\t' && k[-3] == '\t');
    free(out);

    /* qpdf: the page labels, with the prefix as a UTF-16 string */
    snprintf(cmd, sizeof cmd, "qpdf --json --json-key=pagelabels '%s' 2>&1", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK(strstr(out, "\"/P\": \"u:Phụ lục \"") != NULL);
    CHECK(strstr(out, "\"index\": 1") != NULL);
    free(out);

    vb_arena_free(a);
}

/* Marks positioned by GPOS (no precomposed glyph) go through the text rise path. */
static void
test_marks(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    expected[0] = 0;
    nsamples = 0;
    vb_dpage_t *pg = vb_dlist_add_page(&dl, page_w, page_h);
    vb_drun_t *r = add_text(&dl, pg, 0, VB_PT(20), "aq\xcc\xa3\xcc\x82 b", left, VB_MM(40), 0, false);
    bool offbase = false;
    for (int i = 0; r && i < r->n; i++)
        offbase |= r->glyphs[i].y != r->glyphs[0].y;
    CHECK(offbase); /* the test means something only if a mark sits off the baseline */

    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/marks.pdf", tmpdir);
    vb_diag_t d = {0};
    CHECK_INT(vb_pdf_write_file(&dl, fs, path, &d), VB_OK);
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    CHECK_INT(run(cmd, NULL), 0);
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' - 2>/dev/null", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK(strstr(out, " Ts\n") != NULL);
    CHECK(strstr(out, "0 Ts\n") != NULL); /* the rise is reset after the run */
    free(out);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
    CHECK_INT(run(cmd, &out), 0);
    CHECK(strstr(out, "aq\xcc\xa3\xcc\x82") != NULL || strstr(out, "aq\xcc\x82\xcc\xa3") != NULL);
    if (!strstr(out, "aq\xcc"))
        fprintf(stderr, "pdftotext gave: %s\n", out);
    free(out);
    vb_arena_free(a);
}

/* Failures leave nothing behind: no file, no temporary file, an existing output untouched. */
static void
test_failures(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    vb_dpage_t *pg = vb_dlist_add_page(&dl, page_w, page_h);
    add_text(&dl, pg, 0, VB_PT(13), "Hà Nội", left, VB_MM(30), 0, false);

    char path[160];
    vb_diag_t d = {0};
    snprintf(path, sizeof path, "%s/missing/sub/out.pdf", tmpdir);
    CHECK_INT(vb_pdf_write_file(&dl, fs, path, &d), VB_E_IO);
    CHECK_STR(d.id, "io.write");
    CHECK(strstr(d.msg, "/missing/sub") != NULL);
    struct stat sb;
    CHECK(stat(path, &sb) != 0);

    /* an existing file survives a failed write */
    snprintf(path, sizeof path, "%s/keep.pdf", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("old contents", f);
    fclose(f);
    vb_dglyph_t bad = {.gid = 4000000, .x = 0, .y = 0};
    vb_ditem_t *it = vb_dpage_add(&dl, pg, VB_DITEM_RUN);
    it->u.run = (vb_drun_t){.face = 0, .size = 12000, .text = "x", .text_len = 1, .glyphs = &bad, .n = 1};
    d = (vb_diag_t){0};
    CHECK_INT(vb_pdf_write_file(&dl, fs, path, &d), VB_E_PDF);
    CHECK_STR(d.id, "pdf.glyph");
    CHECK(strstr(d.msg, "keep.pdf") != NULL);
    size_t len = 0;
    unsigned char *b = read_file(path, &len);
    CHECK(b && len == 12 && memcmp(b, "old contents", 12) == 0);
    free(b);
    CHECK_INT(count_files(".keep"), 0);

    /*
     * the target is a directory: only a regular file is replaced, checked
     * just before the rename (io.output-kind); the temporary file is removed
     */
    bad.gid = 3;
    char dirpath[160];
    snprintf(dirpath, sizeof dirpath, "%s/isdir.pdf", tmpdir);
    CHECK_INT(mkdir(dirpath, 0755), 0);
    d = (vb_diag_t){0};
    dl.pages[0].n--;
    CHECK_INT(vb_pdf_write_file(&dl, fs, dirpath, &d), VB_E_IO);
    dl.pages[0].n++;
    CHECK_STR(d.id, "io.output-kind");
    CHECK(strstr(d.msg, "isdir.pdf") != NULL && strstr(d.msg, "it is a directory") != NULL);
    CHECK_INT(count_files(".isdir"), 0);
    rmdir(dirpath);

    /* a bad face, a page-less document, a bad outline target */
    bad.gid = 3;
    it->u.run.face = 7;
    d = (vb_diag_t){0};
    unsigned char *mem = NULL;
    CHECK_INT(vb_pdf_write_mem(&dl, fs, &mem, &len, &d), VB_E_PDF);
    CHECK_STR(d.id, "pdf.face");
    CHECK(mem == NULL);
    it->u.run.face = 0;
    vb_dlist_add_outline(&dl, 1, "x", 5, 0);
    d = (vb_diag_t){0};
    CHECK_INT(vb_pdf_write_mem(&dl, fs, &mem, &len, &d), VB_E_PDF);
    CHECK_STR(d.id, "pdf.outline");
    vb_dlist_t empty = {.arena = a};
    d = (vb_diag_t){0};
    CHECK_INT(vb_pdf_write_mem(&empty, fs, &mem, &len, &d), VB_E_PDF);
    CHECK_STR(d.id, "pdf.nopages");

    /* the existing file is replaced by a good write, and keeps no temporary */
    dl.pages[0].n--; /* drop the bad run */
    dl.noutline = 0;
    d = (vb_diag_t){0};
    CHECK_INT(vb_pdf_write_file(&dl, fs, path, &d), VB_OK);
    b = read_file(path, &len);
    CHECK(b && len > 1000 && memcmp(b, "%PDF-1.", 7) == 0);
    free(b);
    CHECK_INT(count_files(".keep"), 0);
    vb_arena_free(a);
}

/* A 14-page document of body text: the write should take a few milliseconds. */
static void
test_speed(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_dlist_t dl = {.arena = a};
    expected[0] = 0;
    static const char *const lines[] = {
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
        "về công tác văn thư; theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình",
        "số 123/TTr-SNV ngày 01 tháng 7 năm 2023, Ủy ban nhân dân tỉnh quyết định:",
    };
    for (int p = 0; p < 14; p++) {
        vb_dpage_t *pg = vb_dlist_add_page(&dl, page_w, page_h);
        for (int l = 0; l < 40; l++) {
            expected[0] = 0;
            add_text(&dl, pg, l % 7 == 0 ? 1 : 0, VB_PT(13), lines[l % 4], left, VB_MM(20) + l * VB_PT(18),
                     VB_PT(1.5), false);
        }
        vb_dlist_add_outline(&dl, 1, lines[p % 4], p, VB_MM(20));
    }
    vb_dlist_add_label(&dl, 0, 1, NULL);
    unsigned char *mem = NULL;
    size_t len = 0;
    vb_diag_t d = {0};
    double best = 1e9;
    for (int i = 0; i < 5; i++) {
        double t0 = now_ms();
        CHECK_INT(vb_pdf_write_mem(&dl, fs, &mem, &len, &d), VB_OK);
        double t = now_ms() - t0;
        best = t < best ? t : best;
        free(mem);
        mem = NULL;
    }
    printf("14 pages: %zu bytes, best of 5 writes %.2f ms\n", len, best);
    CHECK(len > 10000);
    vb_arena_free(a);
}

int
main(void)
{
    vb_diag_t d = {0};
    const char *fam[] = {"Liberation Serif"};
    if (vb_fontset_open(fam, 1, NULL, &fs, &d) != VB_OK) {
        fprintf(stderr, "cannot open fonts: %s\n", d.msg);
        return 1;
    }
    strcpy(tmpdir, "/tmp/vb_test_pdf.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_letters_pdf();
    test_marks();
    test_failures();
    test_speed();
    vb_fontset_free(fs);
    if (check_failed == 0 && !getenv("VB_KEEP")) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        run(cmd, NULL);
    } else {
        fprintf(stderr, "outputs kept in %s\n", tmpdir);
    }
    return check_done();
}
