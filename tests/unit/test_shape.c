/*
 * test_shape.c - HarfBuzz shaping of runs (shape.c) with Liberation Serif 2
 * (ctest pins it with tests/fonts.conf).
 */
#include <hb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "font.h"
#include "shape.h"

static const char *const families[] = {"Times New Roman", "Liberation Serif"};

static uint32_t
gid_of(const vb_font_t *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    hb_font_get_nominal_glyph(vb_font_hb_font(f), cp, &g);
    return g;
}

static vb_shaped_t
shape(const vb_font_t *f, vb_len_t size, const char *s, vb_arena_t *a)
{
    vb_shaped_t out = {0};
    vb_diag_t d = {0};
    vb_status_t st = vb_shape(f, size, s, strlen(s), a, &out, &d);
    CHECK_INT(st, VB_OK);
    return out;
}

static void
test_clusters(const vb_fontset_t *fs, vb_arena_t *a)
{
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    /* "Thanh Hoá": 9 characters, 10 bytes (á is 2); one glyph each, clusters are byte offsets. */
    vb_shaped_t s = shape(r, VB_PT(14), "Thanh Ho\xC3\xA1", a);
    CHECK_INT(s.n, 9);
    for (int i = 0; i < s.n && i < 9; i++) {
        CHECK_INT(s.glyphs[i].cluster, i);
        CHECK(s.glyphs[i].gid != 0);
        CHECK_INT(s.glyphs[i].y_offset, 0);
    }
    if (s.n == 9) {
        CHECK_INT(s.glyphs[8].gid, gid_of(r, 0x00E1));
        CHECK_INT(s.glyphs[5].gid, gid_of(r, ' '));
        CHECK_INT(s.glyphs[5].x_advance, 3500);
    }
    int64_t sum = 0;
    for (int i = 0; i < s.n; i++)
        sum += s.glyphs[i].x_advance;
    CHECK_INT(s.width, sum);

    /* Clusters keep their byte offsets past multi-byte letters: "Đảng" = Đ(2) ả(3) n g. */
    s = shape(r, VB_PT(14), "\xC4\x90\xE1\xBA\xA3ng", a);
    CHECK_INT(s.n, 4);
    if (s.n == 4) {
        CHECK_INT(s.glyphs[0].cluster, 0);
        CHECK_INT(s.glyphs[1].cluster, 2);
        CHECK_INT(s.glyphs[2].cluster, 5);
        CHECK_INT(s.glyphs[3].cluster, 6);
    }
}

static void
test_decomposed(const vb_fontset_t *fs, vb_arena_t *a)
{
    for (int face = 0; face < VB_NFACES; face++) {
        const vb_font_t *f = vb_fontset_face(fs, (vb_face_t)face);
        uint32_t want = gid_of(f, 0x1EC7); /* ệ */
        CHECK(want != 0);
        vb_shaped_t pre = shape(f, VB_PT(14), "\xE1\xBB\x87", a);
        vb_shaped_t nfd = shape(f, VB_PT(14), "e\xCC\xA3\xCC\x82", a);  /* e U+0323 U+0302 (NFD) */
        vb_shaped_t odd = shape(f, VB_PT(14), "e\xCC\x82\xCC\xA3", a);  /* e U+0302 U+0323 */
        vb_shaped_t half = shape(f, VB_PT(14), "\xC3\xAA\xCC\xA3", a);  /* ê U+0323 */
        CHECK_INT(pre.n, 1);
        CHECK_INT(nfd.n, 1);
        CHECK_INT(odd.n, 1);
        CHECK_INT(half.n, 1);
        if (pre.n == 1 && nfd.n == 1 && odd.n == 1 && half.n == 1) {
            CHECK_INT(pre.glyphs[0].gid, want);
            CHECK_INT(nfd.glyphs[0].gid, want);
            CHECK_INT(odd.glyphs[0].gid, want);
            CHECK_INT(half.glyphs[0].gid, want);
            CHECK_INT(nfd.glyphs[0].cluster, 0);
            CHECK_INT(nfd.width, pre.width);
        }
    }

    /* q with a dot below has no precomposed letter: a zero-width mark placed by GPOS, in q's cluster. */
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    vb_shaped_t q = shape(r, VB_PT(14), "q\xCC\xA3", a);
    CHECK_INT(q.n, 2);
    if (q.n == 2) {
        CHECK_INT(q.glyphs[0].gid, gid_of(r, 'q'));
        CHECK_INT(q.glyphs[1].gid, gid_of(r, 0x0323));
        CHECK_INT(q.glyphs[1].cluster, 0);
        CHECK_INT(q.glyphs[1].x_advance, 0);
        CHECK(q.glyphs[1].x_offset < 0);
        CHECK_INT(q.width, q.glyphs[0].x_advance);
        printf("q+dot below at 14 pt: advance %d, mark offset (%d, %d) mpt\n", q.glyphs[0].x_advance,
               q.glyphs[1].x_offset, q.glyphs[1].y_offset);
    }
}

static void
test_widths(const vb_fontset_t *fs, vb_arena_t *a)
{
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    const vb_font_t *b = vb_fontset_face(fs, VB_FACE_BOLD);

    /* Liberation's space is 512/2048 em: 3.5 pt at 14 pt. */
    vb_shaped_t sp = shape(r, VB_PT(14), " ", a);
    CHECK_INT(sp.n, 1);
    CHECK_INT(sp.width, 3500);

    /*
     * The Party heading in bold 15 pt (LiberationSerif-Bold 2.1.5). The 22
     * hmtx advances sum to 28 218 font units (checked with a separate Python
     * reading of cmap and hmtx); the font's kerning takes 37 units off "N V"
     * (space, V) and 37 off "T N" (T, space): 28 144 units, that is
     * 28 144 * 15 000 / 2048 = 206 132.8 mpt. Each advance is first rounded
     * to whole 1/1000 em (the PDF's grid, see shape.c): the sum is 13 741
     * thousandths of an em, 13 741 * 15 = 206 115 mpt = 72.71 mm.
     */
    vb_shaped_t h = shape(b, VB_PT(15), "\xC4\x90\xE1\xBA\xA2NG C\xE1\xBB\x98NG S\xE1\xBA\xA2N VI\xE1\xBB\x86T NAM", a);
    CHECK_INT(h.n, 22);
    int64_t units = 0, kerned = 0;
    for (int i = 0; i < h.n; i++)
        units += vb_font_glyph_advance(b, h.glyphs[i].gid);
    for (int i = 0; i < h.n; i++)
        kerned += h.glyphs[i].x_advance !=
                  15 * ((vb_font_glyph_advance(b, h.glyphs[i].gid) * 1000 + 1024) / 2048);
    printf("heading: %d glyphs, %lld font units unkerned, width %d mpt (%.2f mm)\n", h.n, (long long)units,
           h.width, h.width * 25.4 / 72000.0);
    CHECK_INT(units, 28218);
    CHECK_INT(kerned, 2);
    CHECK(h.width >= VB_MM(71) && h.width <= VB_MM(75));
    CHECK_INT(h.width, 206115);
    for (int i = 0; i < h.n; i++)
        CHECK_INT(h.glyphs[i].x_advance % 15, 0); /* on the 1/1000 em grid at 15 pt */

    /* Scaling: width at 30 pt is twice the width at 15 pt, within the per-glyph rounding. */
    vb_shaped_t h2 = shape(b, VB_PT(30), "\xC4\x90\xE1\xBA\xA2NG C\xE1\xBB\x98NG S\xE1\xBA\xA2N VI\xE1\xBB\x86T NAM", a);
    CHECK(h2.width - 2 * h.width <= 22 && 2 * h.width - h2.width <= 22);

    /* Tabs and other spaces are shaped as they come: a tab is one glyph in its own cluster. */
    vb_shaped_t t = shape(r, VB_PT(14), "a\tb", a);
    CHECK_INT(t.n, 3);
    if (t.n == 3) {
        CHECK_INT(t.glyphs[1].cluster, 1);
        CHECK_INT(t.glyphs[2].cluster, 2);
    }
    /* An em space the font lacks or has: HarfBuzz gives it one em. */
    vb_shaped_t em = shape(r, VB_PT(14), "\xE2\x80\x83", a);
    CHECK_INT(em.n, 1);
    CHECK_INT(em.width, 14000);
}

static void
test_errors(const vb_fontset_t *fs, vb_arena_t *a)
{
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    vb_shaped_t s = {.n = 7};
    vb_diag_t d = {0};
    CHECK_INT(vb_shape(r, VB_PT(14), "", 0, a, &s, &d), VB_OK);
    CHECK_INT(s.n, 0);
    CHECK_INT(s.width, 0);
    CHECK_INT(vb_shape(r, 0, "a", 1, a, &s, &d), VB_E_USAGE);
    CHECK_STR(d.id, "shape.usage");
    vb_diag_t d2 = {0};
    CHECK_INT(vb_shape(r, VB_PT(14), "a", 1, NULL, &s, &d2), VB_E_USAGE);
    /* Invalid UTF-8 does not stop HarfBuzz: one replacement glyph per bad byte, clusters still bytes. */
    s = shape(r, VB_PT(14), "a\xFF" "b", a);
    CHECK_INT(s.n, 3);
    if (s.n == 3)
        CHECK_INT(s.glyphs[2].cluster, 2);
}

/* ---- threads: one fontset, four threads, identical results ---- */

#define NTHREADS 4
#define ROUNDS 50

static const char *const thread_texts[] = {
    "C\xC4\x83n c\xE1\xBB\xA9 \xC4\x90i\xE1\xBB\x81u l\xE1\xBB\x87 \xC4\x90\xE1\xBA\xA3ng C\xE1\xBB\x99ng s\xE1\xBA\xA3n Vi\xE1\xBB\x87t Nam;",
    "Ban Ch\xE1\xBA\xA5p h\xC3\xA0nh \xC4\x90\xE1\xBA\xA3ng b\xE1\xBB\x99 t\xE1\xBB\x89nh Thanh Ho\xC3\xA1 kh\xC3\xB3\x61 XIX",
    "q\xCC\xA3 x\xCC\xA3\xCC\x81 AVAWAY To Ty fi fl 1.234/Q\xC4\x90-UBND",
    "\xE1\xBB\xB0\xE1\xBB\xAB\xE1\xBB\xAD\xE1\xBB\xAF\xE1\xBB\xB1 \xE1\xBB\x9C\xE1\xBB\x9A\xE1\xBB\x9E\xE1\xBB\xA0\xE1\xBB\xA2",
};
#define NTEXTS (int)(sizeof thread_texts / sizeof thread_texts[0])

typedef struct job {
    const vb_fontset_t *fs;
    vb_shaped_t ref[VB_NFACES][NTEXTS];
    int mismatches;
} job_t;

static bool
same(const vb_shaped_t *x, const vb_shaped_t *y)
{
    return x->n == y->n && x->width == y->width &&
           (x->n == 0 || memcmp(x->glyphs, y->glyphs, sizeof(vb_glyph_t) * (size_t)x->n) == 0);
}

static void *
worker(void *arg)
{
    job_t *job = arg;
    int bad = 0;
    for (int round = 0; round < ROUNDS; round++) {
        vb_arena_t *a = vb_arena_new();
        for (int face = 0; face < VB_NFACES; face++)
            for (int t = 0; t < NTEXTS; t++) {
                vb_shaped_t s;
                vb_diag_t d = {0};
                if (vb_shape(vb_fontset_face(job->fs, (vb_face_t)face), VB_PT(13) + 250 * face, thread_texts[t],
                             strlen(thread_texts[t]), a, &s, &d) != VB_OK ||
                    !same(&s, &job->ref[face][t]))
                    bad++;
            }
        vb_arena_free(a);
    }
    return (void *)(intptr_t)bad;
}

static void
test_threads(const vb_fontset_t *fs, vb_arena_t *a)
{
    static job_t job;
    job.fs = fs;
    for (int face = 0; face < VB_NFACES; face++)
        for (int t = 0; t < NTEXTS; t++)
            job.ref[face][t] = shape(vb_fontset_face(fs, (vb_face_t)face), VB_PT(13) + 250 * face, thread_texts[t], a);
    pthread_t th[NTHREADS];
    int started = 0;
    for (int i = 0; i < NTHREADS; i++)
        if (pthread_create(&th[i], NULL, worker, &job) == 0)
            started++;
    CHECK_INT(started, NTHREADS);
    int bad = 0;
    for (int i = 0; i < started; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad += (int)(intptr_t)r;
    }
    CHECK_INT(bad, 0);
}

/*
 * The word cache (vb_shape_word): a word shaped once and asked again, at
 * other sizes and in other faces, gives exactly what vb_shape gives; a long
 * word bypasses the cache.
 */
static void
test_word_cache(const vb_fontset_t *fs, vb_arena_t *a)
{
    static const char *const words[] = {"C\xC4\x83n", "c\xE1\xBB\xA9", "AVAWAY", "q\xCC\xA3", "  ", "1.234/Q\xC4\x90-UBND",
                                        "\xE1\xBB\xB0\xE1\xBB\xAB\xE1\xBB\xAD"};
    static const vb_len_t sizes[] = {VB_PT(13), VB_PT(14), 12345, VB_PT(7), 1, VB_PT(300)};
    int bad = 0, checked = 0;
    for (int face = 0; face < VB_NFACES; face++) {
        const vb_font_t *f = vb_fontset_face(fs, (vb_face_t)face);
        long w0, h0, m0;
        vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(f, VB_FACE_WORDS), &w0, &h0, &m0);
        for (int round = 0; round < 2; round++)
            for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
                for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                    vb_shaped_t x = {0}, y = {0};
                    vb_diag_t d = {0};
                    size_t n = strlen(words[i]);
                    if (vb_shape(f, sizes[k], words[i], n, a, &x, &d) != VB_OK ||
                        vb_shape_word(f, sizes[k], words[i], n, a, &y, &d) != VB_OK || !same(&x, &y))
                        bad++;
                    checked++;
                }
        long w1, h1, m1;
        vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(f, VB_FACE_WORDS), &w1, &h1, &m1);
        int nw = (int)(sizeof words / sizeof words[0]), ns = (int)(sizeof sizes / sizeof sizes[0]);
        CHECK_INT(w1 - w0, nw);          /* each word kept once, whatever its size */
        CHECK_INT(m1 - m0, nw);          /* and shaped once */
        CHECK_INT(h1 - h0, nw * (2 * ns - 1));
    }
    CHECK_INT(bad, 0);
    CHECK_INT(checked, 2 * 7 * 6 * VB_NFACES);
    /* a word longer than VB_WORDCACHE_MAX_WORD is shaped, not kept */
    const vb_font_t *r = vb_fontset_face(fs, VB_FACE_REGULAR);
    char long_word[VB_WORDCACHE_MAX_WORD + 10];
    memset(long_word, 'x', sizeof long_word);
    long w0, h0, m0, w1, h1, m1;
    vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(r, VB_FACE_WORDS), &w0, &h0, &m0);
    vb_shaped_t y = {0};
    vb_diag_t d = {0};
    CHECK_INT(vb_shape_word(r, VB_PT(13), long_word, sizeof long_word, a, &y, &d), VB_OK);
    CHECK_INT(y.n, (int)sizeof long_word);
    vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(r, VB_FACE_WORDS), &w1, &h1, &m1);
    CHECK_INT(w1, w0);

    /* bounded: 40,000 different words (about 6 MB of entries) do not all stay; the cache starts again */
    const vb_font_t *bi = vb_fontset_face(fs, VB_FACE_BOLD_ITALIC);
    long most = 0;
    int failed = 0;
    for (int i = 0; i < 40000; i++) {
        char w[16];
        int n = snprintf(w, sizeof w, "w%05d", i);
        vb_arena_t *t = vb_arena_new();
        vb_diag_t d3 = {0};
        vb_shaped_t z;
        if (vb_shape_word(bi, VB_PT(13), w, (size_t)n, t, &z, &d3) != VB_OK || z.n != n)
            failed++;
        vb_arena_free(t);
        long held, hits, misses;
        vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(bi, VB_FACE_WORDS), &held, &hits, &misses);
        if (held > most)
            most = held;
    }
    long held, hits, misses;
    vb_wordcache_stats((vb_wordcache_t *)vb_font_cache(bi, VB_FACE_WORDS), &held, &hits, &misses);
    CHECK_INT(failed, 0);
    CHECK(most > 10000);     /* it held many */
    CHECK(most < 40000);     /* but not all: VB_WORDCACHE_MAX_BYTES */
    CHECK(held < most);      /* it was emptied and filled again */
}

int
main(void)
{
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};
    if (vb_fontset_open(families, 2, NULL, &fs, &d) != VB_OK) {
        fprintf(stderr, "test_shape: %s [%s]\n", d.msg, d.id);
        CHECK(0);
        return check_done();
    }
    CHECK(vb_shape_add_caches(fs)); /* as an engine does */
    vb_arena_t *a = vb_arena_new();
    test_clusters(fs, a);
    test_decomposed(fs, a);
    test_widths(fs, a);
    test_errors(fs, a);
    test_threads(fs, a);
    test_word_cache(fs, a);
    vb_arena_free(a);
    vb_fontset_free(fs);
    return check_done();
}
