/*
 * test_para.c - setting text into lines (para.c) on real fonts: the break
 * rules, exact justification and balanced centred titles.
 *
 * Every rule is checked over a sweep of measures (40 to 165 mm in 0.25 mm
 * steps, total fit and greedy), so that each space of the test paragraphs
 * ends a line at some measure. Control pairs that no rule protects ("Sở 197",
 * "Q ghi") must break somewhere in the same sweep: that shows the sweep
 * reaches the protected places, so a missing rule would be caught.
 *
 * Lines are read back from the runs the setter emits: the text of each glyph
 * cluster, in order, spaces included.
 */
#include <stdlib.h>

#include "check.h"
#include "para.h"

static const char *const families[] = {"Liberation Serif"};

/* The profile's breaking section (layouts/party-36-2018.yaml). */
static const vb_pbreak_t profile_brk = {
    .space_stretch = 500,
    .space_shrink = 200,
    .tolerance = 2000,
    .line_penalty = 10,
    .fitness_demerits = 3000,
    .loose_demerits = 10000,
    .loose_ratio = 800,
    .orphans = 2,
    .widows = 2,
    .closing_keep = 2,
};

/* Test paragraphs: the seed's sentences with the protected tokens, some with spaces inside brackets. */
static const char *const para_texts[] = {
    "Sơ kết thực hiện Chương trình số 13-CTr/ĐUK, ngày 07/4/2021 của Ban Chấp hành Đảng bộ Khối về "
    "“Nâng cao năng lực lãnh đạo của cấp ủy và chất lượng sinh hoạt chi bộ, nhiệm kỳ 2020-2025” theo "
    "Báo cáo Số 196-BC/ĐUK và Số 12 của Ban Thường vụ, đạt 100% chỉ tiêu; 12 tổ chức cơ sở đảng trong "
    "doanh nghiệp 100% vốn Nhà nước, Kết luận Sở 197-BC/ĐUK ngày 08/9/2021 (đạt chỉ tiêu) về nâng cao "
    "chất lượng sinh hoạt chi bộ trong giai đoạn hiện nay, Số 196-BC/ĐUK nhiệm kỳ 2020-2025, "
    "Chương trình số 13-CTr/ĐUK, ngày 07/4/2021.",
    "Việc tổ chức sinh hoạt định kỳ ( ghi chú đạt trên 80 % , chỉ tiêu 100 % ) , sinh hoạt chuyên đề "
    "“ đạt trên 50 % ” ; các cấp ủy cơ sở xây dựng kế hoạch Q ghi chú phân công cấp ủy viên ( dự sinh "
    "hoạt ) với các chi bộ “ đạt chỉ tiêu ” : Hằng năm các cấp ủy xây dựng nghị quyết phương hướng , "
    "nhiệm vụ để lãnh đạo ( chỉ đạo ) và Q ghi nhận kết quả “ tốt ” ; nhiệm kỳ 2020 – 2025 "
    "với 95 % đảng viên ( hoàn thành ) .",
};

/* The text of a set line: every cluster's text in glyph order (spaces included). */
static char *
line_text(const vb_line_t *ln, char *buf, size_t cap)
{
    size_t o = 0;
    for (int r = 0; r < ln->nruns; r++) {
        const vb_drun_t *run = &ln->runs[r];
        for (int g = 0; g < run->n; g++) {
            const vb_dglyph_t *dg = &run->glyphs[g];
            if (dg->text_len == 0 || o + dg->text_len + 1 >= cap)
                continue;
            memcpy(buf + o, run->text + dg->text_off, dg->text_len);
            o += dg->text_len;
        }
    }
    buf[o] = 0;
    return buf;
}

/* First and last space-separated words of s (NUL-terminated copies). */
static void
edge_words(const char *s, char *first, char *last, size_t cap)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, " ");
    if (n >= cap)
        n = cap - 1;
    memcpy(first, p, n);
    first[n] = 0;
    const char *e = s + strlen(s);
    while (e > s && e[-1] == ' ')
        e--;
    const char *b = e;
    while (b > s && b[-1] != ' ')
        b--;
    n = (size_t)(e - b) < cap ? (size_t)(e - b) : cap - 1;
    memcpy(last, b, n);
    last[n] = 0;
}

static bool
starts_with(const char *s, const char *pre)
{
    return strncmp(s, pre, strlen(pre)) == 0;
}

static bool
ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Closing punctuation that may never start a line. */
static bool
starts_closing(const char *w)
{
    static const char *const closers[] = {")", ",", ".", ";", ":", "%", "\xE2\x80\x9D", "]", "!", "?"};
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
        if (starts_with(w, closers[i]))
            return true;
    return false;
}

/* Opening brackets and quotes that may never end a line. */
static bool
ends_opening(const char *w)
{
    return ends_with(w, "(") || ends_with(w, "[") || ends_with(w, "\xE2\x80\x9C");
}

static vb_status_t
set(const vb_fontset_t *fs, vb_arena_t *a, bool greedy, const char *text, const vb_style_t *st, vb_len_t width,
    vb_lines_t *out)
{
    vb_setctx_t ctx = {.fonts = fs, .arena = a, .brk = &profile_brk, .greedy = greedy};
    vb_span_t sp = {text, strlen(text), 0};
    vb_inline_t in = {&sp, 1};
    vb_diag_t d = {0};
    vb_status_t rc = vb_set_text(&ctx, &in, st, width, out, &d);
    vb_set_finish(&ctx);
    if (rc != VB_OK)
        fprintf(stderr, "vb_set_text: %s [%s]\n", d.msg, d.id);
    return rc;
}

static vb_style_t
body_style(void)
{
    vb_style_t st;
    memset(&st, 0, sizeof st);
    st.size = VB_PT(14);
    st.align = VB_ALIGN_JUSTIFY;
    st.leading = VB_PT(18);
    st.indent = VB_MM(10);
    return st;
}

/* Counts of what the sweep saw; every "bad_" count must stay 0. */
typedef struct sweep {
    int settings, lines;
    int bad_so, bad_open, bad_close, bad_dash, bad_token;
    int bad_edge, bad_last, bad_ratio, bad_x0;
    int ragged_inside;          /* of bad_edge: lines that are not the last one and are not justified */
    int ctl_so, ctl_open;
    int last_overflow;          /* last lines wider than the measure */
    vb_len_t last_overflow_max; /* by how much (mpt) */
    char example[4][240];       /* first offending line of each kind */
} sweep_t;

static void
note(char *slot, const char *what, const char *line)
{
    if (!slot[0])
        snprintf(slot, 240, "%s: \"%.120s\"", what, line);
}

/* Checks one set paragraph against the rules; updates the sweep's counts. */
static void
check_lines(const vb_lines_t *ls, vb_len_t width, bool check_just, sweep_t *sw)
{
    char cur[2048], next[2048], f[128], l[128], nf[128], nl[128];
    sw->settings++;
    for (int i = 0; i < ls->n; i++) {
        const vb_line_t *ln = &ls->v[i];
        bool last = i == ls->n - 1;
        sw->lines++;
        line_text(ln, cur, sizeof cur);
        edge_words(cur, f, l, sizeof f);
        /* breaks forbidden between this line and the next */
        if (!last) {
            line_text(&ls->v[i + 1], next, sizeof next);
            edge_words(next, nf, nl, sizeof nf);
            if ((!strcmp(l, "S\xE1\xBB\x91") || !strcmp(l, "s\xE1\xBB\x91")) && nf[0] >= '0' && nf[0] <= '9') {
                sw->bad_so++;
                note(sw->example[0], "break after S\xE1\xBB\x91", cur);
            }
            if (!strcmp(l, "S\xE1\xBB\x9F") && nf[0] >= '0' && nf[0] <= '9')
                sw->ctl_so++;
            if (!strcmp(l, "Q") && !strcmp(nf, "ghi"))
                sw->ctl_open++;
            if (ends_opening(l)) {
                sw->bad_open++;
                note(sw->example[1], "line ends with an opening bracket or quote", cur);
            }
            if (ends_with(l, "2020-") || ends_with(l, "13-") || ends_with(l, "13-CTr/") || ends_with(l, "07/") ||
                ends_with(l, "07/4/") || ends_with(l, "100")) {
                sw->bad_token++;
                note(sw->example[3], "line ends inside a token", cur);
            }
        }
        if (i > 0) {
            if (starts_closing(f)) {
                sw->bad_close++;
                note(sw->example[2], "line starts with closing punctuation", cur);
            }
            /* a lone dash starting a line reads as a list item */
            if (!strcmp(f, "-") || !strcmp(f, "\xE2\x80\x93") || !strcmp(f, "\xE2\x80\x94"))
                sw->bad_dash++;
        }
        /* justification: every line but the last exactly at the measure, the last one ragged */
        if (!check_just)
            continue;
        if (!last) {
            if (ln->x1 != width || !ln->justified) {
                sw->bad_edge++;
                if (!ln->justified)
                    sw->ragged_inside++;
                if (getenv("VB_DEBUG"))
                    fprintf(stderr, "edge w=%d x1=%d j=%d r=%d [%s]\n", width, ln->x1, ln->justified, ln->ratio, cur);
            }
            /* never squeezed below the minimum space (no token here is wider than the measure) */
            if (ln->ratio < -1000)
                sw->bad_ratio++;
        } else {
            /* ragged: never stretched, never past the right edge; it may end at the edge only when
               its spaces had to shrink for it to fit (the breaker allows that, as TeX does) */
            if ((ln->justified && ln->ratio >= 0) || ln->x1 > width || (ln->x1 == width && !ln->justified))
                sw->bad_last++;
            if (ln->x1 > width) {
                sw->last_overflow++;
                if (getenv("VB_DEBUG"))
                    fprintf(stderr, "last w=%d x1=%d [%s]\n", width, ln->x1, cur);
                if (ln->x1 - width > sw->last_overflow_max)
                    sw->last_overflow_max = ln->x1 - width;
            }
        }
        /* justified and ragged-right lines start at the left edge (the indent is a box inside the line) */
        if (ln->x0 != 0)
            sw->bad_x0++;
    }
}

static void
test_break_rules(const vb_fontset_t *fs, vb_arena_t *a)
{
    vb_style_t st = body_style();
    for (int greedy = 0; greedy < 2; greedy++) {
        sweep_t sw;
        memset(&sw, 0, sizeof sw);
        for (size_t t = 0; t < sizeof para_texts / sizeof para_texts[0]; t++) {
            for (vb_len_t w = VB_MM(40); w <= VB_MM(165); w += VB_UM(250)) {
                vb_lines_t ls;
                if (set(fs, a, greedy, para_texts[t], &st, w, &ls) != VB_OK) {
                    CHECK(0);
                    return;
                }
                check_lines(&ls, w, w >= VB_MM(80), &sw);
            }
        }
        printf("%s: %d settings, %d lines; control breaks: S\xE1\xBB\x9F|197 %d, Q|ghi %d; "
               "last lines over the measure %d (max %.2f pt); ragged lines inside a paragraph %d\n",
               greedy ? "greedy" : "total fit", sw.settings, sw.lines, sw.ctl_so, sw.ctl_open, sw.last_overflow,
               sw.last_overflow_max / 1000.0, sw.ragged_inside);
        for (int k = 0; k < 4; k++)
            if (sw.example[k][0])
                printf("  e.g. %s\n", sw.example[k]);
        CHECK(sw.lines > 5 * sw.settings / 2);
        CHECK_INT(sw.bad_so, 0);
        CHECK_INT(sw.bad_open, 0);
        CHECK_INT(sw.bad_close, 0);
        CHECK_INT(sw.bad_dash, 0);
        CHECK_INT(sw.bad_token, 0);
        /*
         * Known to fail with total fit (linebreak.c, final pass): when no set of
         * breaks keeps every line within tolerance, badness is capped at 10000,
         * so a line of one word that cannot be justified at all (r infinite)
         * costs no more than a line at r = 5, and the optimiser may choose it:
         * at 92 mm the first test paragraph starts with "Sơ" alone on a ragged
         * line. Run with VB_DEBUG=1 to list the lines.
         */
        CHECK_INT(sw.bad_edge, 0);
        CHECK_INT(sw.ragged_inside, 0);
        CHECK_INT(sw.bad_ratio, 0);
        CHECK_INT(sw.bad_x0, 0);
        /* the last line is ragged: never justified, never at or past the right edge */
        CHECK_INT(sw.bad_last, 0);
        CHECK_INT(sw.last_overflow, 0);
        /* the sweep reached the places the rules protect */
        CHECK(sw.ctl_so > 0);
        CHECK(sw.ctl_open > 0);
    }
}

/* A paragraph whose words all stay whole: "2020-2025" and "13-CTr/ĐUK," appear on one line each time. */
static void
test_tokens_whole(const vb_fontset_t *fs, vb_arena_t *a)
{
    vb_style_t st = body_style();
    int settings = 0, bad = 0;
    for (vb_len_t w = VB_MM(40); w <= VB_MM(165); w += VB_UM(500)) {
        vb_lines_t ls;
        if (set(fs, a, false, para_texts[0], &st, w, &ls) != VB_OK) {
            CHECK(0);
            return;
        }
        int n2020 = 0, n13 = 0, n196 = 0;
        char buf[2048];
        for (int i = 0; i < ls.n; i++) {
            line_text(&ls.v[i], buf, sizeof buf);
            for (const char *p = buf; (p = strstr(p, "2020-2025")) != NULL; p++)
                n2020++;
            for (const char *p = buf; (p = strstr(p, "13-CTr/\xC4\x90UK,")) != NULL; p++)
                n13++;
            for (const char *p = buf; (p = strstr(p, "S\xE1\xBB\x91 196-BC/\xC4\x90UK")) != NULL; p++)
                n196++;
        }
        settings++;
        if (n2020 != 2 || n13 != 2 || n196 != 2)
            bad++;
    }
    CHECK(settings > 200);
    CHECK_INT(bad, 0);
}

/* A short paragraph: one ragged line; a text without spaces wider than the measure: one overfull line. */
static void
test_short_and_overfull(const vb_fontset_t *fs, vb_arena_t *a)
{
    vb_style_t st = body_style();
    vb_lines_t ls;
    CHECK(set(fs, a, false, "Ngắn.", &st, VB_MM(165), &ls) == VB_OK);
    CHECK_INT(ls.n, 1);
    CHECK(ls.n == 1 && !ls.v[0].justified && ls.v[0].x1 < VB_MM(165));
    /*
     * A token with no space wider than the measure is cut at cluster
     * boundaries into pieces that fit (the one break inside a word, so the
     * margin holds); all its text is kept, in order, and every line fits.
     */
    const char *wide = "Theo Báo cáo 13-CTr/ĐUK/196-BC/ĐUK/89-KL/ĐUK/05-HD/ĐUK/12-HD/BTCTW của Ban Chấp hành "
                       "Đảng bộ Khối về nâng cao năng lực lãnh đạo của cấp ủy.";
    CHECK(set(fs, a, false, wide, &st, VB_MM(60), &ls) == VB_OK);
    char all[1024] = "", buf[512];
    int pieces = 0;
    for (int i = 0; i < ls.n; i++) {
        CHECK(ls.v[i].x1 <= VB_MM(60));
        line_text(&ls.v[i], buf, sizeof buf);
        pieces += strstr(buf, "ĐUK") != NULL;
        strncat(all, buf, sizeof all - strlen(all) - 1);
    }
    CHECK(pieces >= 2);
    /* the token, joined back, is whole and in order */
    char *t = strstr(all, "13-CTr/");
    CHECK(t != NULL);
    if (t) {
        char joined[256] = "";
        for (const char *p = t; *p && strlen(joined) < 200; p++)
            if (*p != ' ')
                strncat(joined, p, 1);
        CHECK(strncmp(joined, "13-CTr/ĐUK/196-BC/ĐUK/89-KL/ĐUK/05-HD/ĐUK/12-HD/BTCTW", 52) == 0);
    }
}

/* The sample's title, centred and balanced in the text block: three lines of similar length, each centred. */
static void
test_balanced_title(const vb_fontset_t *fs, vb_arena_t *a)
{
    const char *title = "Sơ kết thực hiện Chương trình số 13-CTr/ĐUK, ngày 07/4/2021 của Ban Chấp hành Đảng bộ "
                        "Khối về “Nâng cao năng lực lãnh đạo của cấp ủy và chất lượng sinh hoạt chi bộ, nhiệm kỳ "
                        "2020-2025”";
    vb_style_t st;
    memset(&st, 0, sizeof st);
    st.size = VB_PT(14);
    st.face = VB_FACE_BOLD;
    st.align = VB_ALIGN_CENTER;
    st.leading = VB_PT(18);
    vb_len_t W = VB_MM(165);

    vb_lines_t plain, bal;
    CHECK(set(fs, a, false, title, &st, W, &plain) == VB_OK);
    st.balance = true;
    CHECK(set(fs, a, false, title, &st, W, &bal) == VB_OK);
    CHECK_INT(plain.n, 3);
    CHECK_INT(bal.n, plain.n);
    vb_len_t lo = W, hi = 0, plo = W, phi = 0;
    for (int i = 0; i < bal.n; i++) {
        const vb_line_t *ln = &bal.v[i];
        vb_len_t w = ln->x1 - ln->x0;
        lo = w < lo ? w : lo;
        hi = w > hi ? w : hi;
        CHECK(!ln->justified);
        CHECK(ln->x0 >= 0 && ln->x1 <= W);
        /* centred: equal margins on both sides, within a millipoint of rounding */
        CHECK(llabs((long long)ln->x0 - (long long)(W - ln->x1)) <= 1);
    }
    for (int i = 0; i < plain.n; i++) {
        vb_len_t w = plain.v[i].x1 - plain.v[i].x0;
        plo = w < plo ? w : plo;
        phi = w > phi ? w : phi;
    }
    double ratio = hi ? (double)lo / (double)hi : 0.0, pratio = phi ? (double)plo / (double)phi : 0.0;
    printf("title: %d lines, shortest/longest %.3f balanced, %.3f unbalanced\n", bal.n, ratio, pratio);
    CHECK(ratio >= 0.85);
    CHECK(ratio >= pratio);
    /* no forbidden break in the title either */
    char buf[512], f[128], l[128];
    for (int i = 0; i < bal.n; i++) {
        line_text(&bal.v[i], buf, sizeof buf);
        edge_words(buf, f, l, sizeof f);
        CHECK(!ends_opening(l));
        CHECK(i == 0 || !starts_closing(f));
    }

    /* a two-line heading in capitals set flush left is ragged, never justified */
    vb_style_t hs;
    memset(&hs, 0, sizeof hs);
    hs.size = VB_PT(14);
    hs.face = VB_FACE_BOLD;
    hs.align = VB_ALIGN_LEFT;
    hs.leading = VB_PT(18);
    hs.indent = VB_MM(10);
    vb_lines_t hl;
    CHECK(set(fs, a, false, "IV. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN ĐẾN CUỐI NHIỆM KỲ VÀ NÂNG CAO CHẤT LƯỢNG SINH HOẠT",
              &hs, VB_MM(120), &hl) == VB_OK);
    CHECK(hl.n >= 2);
    for (int i = 0; i < hl.n; i++) {
        CHECK(!hl.v[i].justified);
        CHECK(hl.v[i].ratio == 0);
        CHECK(hl.v[i].x1 <= VB_MM(120));
    }
    CHECK(hl.n >= 2 && hl.v[0].x1 < VB_MM(120));
}

/* Hard line breaks ('\n') end ragged lines inside a justified paragraph. */
static void
test_hard_breaks(const vb_fontset_t *fs, vb_arena_t *a)
{
    vb_style_t st = body_style();
    const char *t = "Một dòng ngắn\nrồi một đoạn dài hơn của Ban Chấp hành Đảng bộ Khối về nâng cao năng lực lãnh "
                    "đạo của cấp ủy và chất lượng sinh hoạt chi bộ trong giai đoạn hiện nay";
    vb_lines_t ls;
    CHECK(set(fs, a, false, t, &st, VB_MM(100), &ls) == VB_OK);
    CHECK(ls.n >= 3);
    char buf[512];
    if (ls.n >= 3) {
        CHECK_STR(line_text(&ls.v[0], buf, sizeof buf), "Một dòng ngắn");
        CHECK(!ls.v[0].justified && ls.v[0].x1 < VB_MM(100));
        CHECK(ls.v[1].justified && ls.v[1].x1 == VB_MM(100));
        CHECK(!ls.v[ls.n - 1].justified);
    }
}

/*
 * Letter spacing, the last resort: the seed's hardest paragraph start (long
 * numbers that never break) set at the seed's 155 mm measure. Without
 * letter-space its first line has spaces at 174 % of natural; with the
 * profile's 0.03 em at most, above 135 %, no space is wider than 140 %,
 * every line but the last still ends exactly at the measure, the text is
 * unchanged, and inside a word no two letters are further apart than their
 * advance plus 0.03 em (read from the same word set without letter-space).
 */
static vb_len_t
widest_space(const vb_lines_t *ls, int32_t *worst_ratio_milli)
{
    vb_len_t widest = 0;
    int32_t worst = 0;
    for (int i = 0; i + 1 < ls->n; i++) {
        const vb_line_t *ln = &ls->v[i];
        int64_t gaps = 0, nsp = 0;
        for (int r = 0; r < ln->nruns; r++) {
            const vb_drun_t *run = &ln->runs[r];
            for (int g = 0; g + 1 < run->n; g++)
                if (run->glyphs[g].text_len == 1 && run->text[run->glyphs[g].text_off] == ' ') {
                    vb_len_t w = run->glyphs[g + 1].x - run->glyphs[g].x;
                    gaps += w;
                    nsp++;
                    if (w > widest)
                        widest = w;
                }
        }
        /* the natural space of Liberation Serif is 0.25 em: 3.5 pt at 14 pt */
        int32_t ratio = nsp ? (int32_t)(gaps * 1000 / (nsp * VB_PT(3.5))) : 0;
        if (ratio > worst)
            worst = ratio;
    }
    *worst_ratio_milli = worst;
    return widest;
}

static void
test_letter_space(const vb_fontset_t *fs, vb_arena_t *a)
{
    const char *t = "Thá»±" "c hiá»n Chá» thá» sá» 10-CT/TW cá»§" "a Ban "
                    "BÃ­ thÆ°, Káº¿t luáº­n sá» 18-KL/TW";
    vb_style_t st = body_style();
    vb_pbreak_t plain = profile_brk, tracked = profile_brk;
    plain.loose_demerits = tracked.loose_demerits = 50000;
    plain.loose_ratio = tracked.loose_ratio = 300;
    plain.space_shrink = tracked.space_shrink = 330;
    tracked.letter_space = 30;
    tracked.letter_space_above = 1350;
    vb_len_t w = VB_MM(155);
    vb_lines_t l0, l1;
    vb_span_t sp = {t, strlen(t), 0};
    vb_inline_t in = {&sp, 1};
    vb_diag_t d = {0};
    vb_setctx_t c0 = {.fonts = fs, .arena = a, .brk = &plain};
    vb_setctx_t c1 = {.fonts = fs, .arena = a, .brk = &tracked};
    /* the line alone cannot be the paragraph's last: a second, forced-ragged line follows */
    char buf[1024], b0[1024], b1[1024];
    snprintf(buf, sizeof buf, "%s ngÃ y 22/9/2017 cá»§" "a Ban BÃ­ thÆ° khÃ³" "a XII", t);
    sp.text = buf;
    sp.len = strlen(buf);
    st.indent = VB_MM(10);
    CHECK(vb_set_text(&c0, &in, &st, w, &l0, &d) == VB_OK);
    CHECK(vb_set_text(&c1, &in, &st, w, &l1, &d) == VB_OK);
    vb_set_finish(&c0);
    vb_set_finish(&c1);
    if (l0.n < 2 || l1.n != l0.n)
        return;
    CHECK_STR(line_text(&l1.v[0], b1, sizeof b1), line_text(&l0.v[0], b0, sizeof b0));
    int32_t r0, r1;
    widest_space(&l0, &r0);
    widest_space(&l1, &r1);
    printf("letter-space: first line \"%s\": spaces at %d/1000 of natural without, %d/1000 with\n", b1, r0, r1);
    CHECK(r0 > 1500);
    CHECK(r1 <= 1400);
    for (int i = 0; i + 1 < l1.n; i++)
        CHECK(l1.v[i].justified && l1.v[i].x1 == w);
    /* inside a word: each letter moved by the same amount, at most 0.03 em, against the plain setting */
    const vb_drun_t *p0 = &l0.v[0].runs[0], *p1 = &l1.v[0].runs[0];
    CHECK_INT(p1->n, p0->n);
    int moved = 0, bad = 0;
    for (int g = 1; g < p0->n && g < p1->n; g++) {
        bool space = p0->glyphs[g - 1].text_len == 1 && p0->text[p0->glyphs[g - 1].text_off] == ' ';
        bool next_space = p0->glyphs[g].text_len == 1 && p0->text[p0->glyphs[g].text_off] == ' ';
        if (space || next_space || p0->glyphs[g].text_len == 0)
            continue;
        vb_len_t extra = (p1->glyphs[g].x - p1->glyphs[g - 1].x) - (p0->glyphs[g].x - p0->glyphs[g - 1].x);
        if (extra > 0)
            moved++;
        if (extra < 0 || extra > st.size * 30 / 1000)
            bad++;
    }
    CHECK(moved > 20);
    CHECK_INT(bad, 0);
}

/*
 * Balanced breaking with the profile's rules (para.c, balance_breaks): the
 * signer's "T/M BAN CHẤP HÀNH TRUNG ƯƠNG" in the 85 mm column never strands
 * "ƯƠNG"; a joint issuer with split_at "-" breaks after the dash, a range
 * "2026 - 2028" does not; a typed '\n' stays; a left-aligned Nơi nhận entry
 * does not leave "(b/c)," alone; a text that fits stays on one line.
 */
static vb_status_t
set_with(const vb_fontset_t *fs, vb_arena_t *a, const vb_pbreak_t *brk, const char *text, const vb_style_t *st,
         vb_len_t width, vb_lines_t *out)
{
    vb_setctx_t ctx = {.fonts = fs, .arena = a, .brk = brk};
    vb_span_t sp = {text, strlen(text), 0};
    vb_inline_t in = {&sp, 1};
    vb_diag_t d = {0};
    vb_status_t rc = vb_set_text(&ctx, &in, st, width, out, &d);
    vb_set_finish(&ctx);
    return rc;
}

static void
lines_joined(const vb_lines_t *ls, char *buf, size_t cap)
{
    size_t o = 0;
    char t[512];
    buf[0] = 0;
    for (int i = 0; i < ls->n && o + 4 < cap; i++) {
        line_text(&ls->v[i], t, sizeof t);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " / " : "", t);
    }
}

static void
test_balance_phrases(const vb_fontset_t *fs, vb_arena_t *a)
{
    static const vb_pphrase_t phrases[] = {
        {VB_PHRASE_AFTER, "-", -60},
        {VB_PHRASE_AFTER, ",", -20},
        {VB_PHRASE_WITHIN, "TRUNG \xC6\xAF\xC6\xA0NG", 60},
        {VB_PHRASE_WITHIN, "BAN CH\xE1\xBA\xA4P H\xC3\x80NH", 60},
    };
    vb_pbreak_t brk = profile_brk;
    brk.lone_word_cost = 400;
    brk.lone_word_letters = 4;
    brk.phrases = phrases;
    brk.nphrases = 4;
    vb_style_t st;
    memset(&st, 0, sizeof st);
    st.size = VB_PT(14);
    st.face = VB_FACE_BOLD;
    st.align = VB_ALIGN_CENTER;
    st.leading = VB_PT(16);
    st.balance = true;
    vb_lines_t ls;
    char buf[1024];

    /* the signer's authority: two lines, "TRUNG ƯƠNG" together */
    CHECK(set_with(fs, a, &brk, "T/M BAN CH\xE1\xBA\xA4P H\xC3\x80NH TRUNG \xC6\xAF\xC6\xA0NG", &st, VB_MM(85), &ls) ==
          VB_OK);
    lines_joined(&ls, buf, sizeof buf);
    printf("authority: %s\n", buf);
    CHECK_STR(buf, "T/M BAN CH\xE1\xBA\xA4P H\xC3\x80NH / TRUNG \xC6\xAF\xC6\xA0NG");
    for (int i = 0; i < ls.n; i++)
        CHECK(ls.v[i].x0 >= 0 && ls.v[i].x1 <= VB_MM(85));
    /* balance alone (no rules): still no lone "ƯƠNG" */
    vb_pbreak_t bare = profile_brk;
    CHECK(set_with(fs, a, &bare, "T/M BAN CH\xE1\xBA\xA4P H\xC3\x80NH TRUNG \xC6\xAF\xC6\xA0NG", &st, VB_MM(85), &ls) ==
          VB_OK);
    CHECK_INT(ls.n, 2);
    if (ls.n == 2)
        CHECK(strcmp(line_text(&ls.v[1], buf, sizeof buf), "\xC6\xAF\xC6\xA0NG") != 0);
    /* fits: one line, the column's full width is used before anything wraps */
    CHECK(set_with(fs, a, &brk, "T/M BAN TH\xC6\xAF\xE1\xBB\x9CNG V\xE1\xBB\xA4", &st, VB_MM(85), &ls) == VB_OK);
    CHECK_INT(ls.n, 1);

    /* a joint issuer in the 80 mm header column: the dash ends a line */
    st.split_at = "-";
    const char *joint = "BAN T\xE1\xBB\x94 CH\xE1\xBB\xA8" "C T\xE1\xBB\x88NH \xE1\xBB\xA6Y - BAN TUY\xC3\x8AN GI\xC3\x81O V\xC3\x80 "
                        "D\xC3\x82N V\xE1\xBA\xACN T\xE1\xBB\x88NH \xE1\xBB\xA6Y";
    CHECK(set_with(fs, a, &brk, joint, &st, VB_MM(80), &ls) == VB_OK);
    lines_joined(&ls, buf, sizeof buf);
    printf("joint issuer: %s\n", buf);
    CHECK(ls.n >= 2);
    if (ls.n >= 2)
        CHECK_STR(line_text(&ls.v[0], buf, sizeof buf), "BAN T\xE1\xBB\x94 CH\xE1\xBB\xA8" "C T\xE1\xBB\x88NH \xE1\xBB\xA6Y -");
    /* a range is not two bodies */
    const char *range = "\xC4\x90\xE1\xBA\xA0I H\xE1\xBB\x98I CHI B\xE1\xBB\x98 TH\xC3\x94N \xC4\x90\xE1\xBB\x92NG T\xC3\x82M "
                        "NHI\xE1\xBB\x86M K\xE1\xBB\xB2 2026 - 2028";
    CHECK(set_with(fs, a, &brk, range, &st, VB_MM(80), &ls) == VB_OK);
    lines_joined(&ls, buf, sizeof buf);
    printf("range: %s\n", buf);
    CHECK(strstr(buf, "2026 - 2028") != NULL);
    /* typed lines stay: a short first line is not joined to the second */
    CHECK(set_with(fs, a, &brk, "BAN T\xE1\xBB\x94 CH\xE1\xBB\xA8" "C\nT\xE1\xBB\x88NH \xE1\xBB\xA6Y", &st, VB_MM(80), &ls) ==
          VB_OK);
    lines_joined(&ls, buf, sizeof buf);
    CHECK_STR(buf, "BAN T\xE1\xBB\x94 CH\xE1\xBB\xA8" "C / T\xE1\xBB\x88NH \xE1\xBB\xA6Y");
    st.split_at = NULL;

    /* a Nơi nhận entry (12 pt, left, hanging after "- "): "(b/c)," not alone */
    vb_style_t ls_st;
    memset(&ls_st, 0, sizeof ls_st);
    ls_st.size = VB_PT(12);
    ls_st.align = VB_ALIGN_LEFT;
    ls_st.leading = VB_PT(14);
    ls_st.balance = true;
    ls_st.hang = VB_MM(2.5);
    const char *entry = "- Ban Th\xC6\xB0\xE1\xBB\x9Dng v\xE1\xBB\xA5 T\xE1\xBB\x89nh \xE1\xBB\xA7y, Th\xC6\xB0\xE1\xBB\x9Dng tr\xE1\xBB\xB1" "c "
                        "H\xE1\xBB\x99i \xC4\x91\xE1\xBB\x93ng nh\xC3\xA2n d\xC3\xA2n t\xE1\xBB\x89nh v\xC3\xA0 \xE1\xBB\xA6y ban "
                        "nh\xC3\xA2n d\xC3\xA2n t\xE1\xBB\x89nh (b/c),";
    CHECK(set_with(fs, a, &brk, entry, &ls_st, VB_MM(80), &ls) == VB_OK);
    lines_joined(&ls, buf, sizeof buf);
    printf("entry: %s\n", buf);
    CHECK(ls.n >= 2);
    if (ls.n >= 2) {
        CHECK(strcmp(line_text(&ls.v[ls.n - 1], buf, sizeof buf), "(b/c),") != 0);
        for (int i = 0; i < ls.n; i++)
            CHECK(ls.v[i].x0 == (i ? VB_MM(2.5) : 0));
    }
}

/*
 * A style's `uppercase`: the text is set in capitals (Vietnamese letters with
 * their marks: "đã ký" gives "ĐÃ KÝ"), wider than the same text as typed, and
 * the source text itself is left as it was.
 */
static void
test_uppercase(const vb_fontset_t *fs, vb_arena_t *a)
{
    vb_style_t st = body_style();
    st.align = VB_ALIGN_LEFT;
    st.indent = 0;
    const char *typed = "Văn bản đã ký, số 12-BC/ĐUK";
    vb_lines_t lower, upper;
    char buf[256];
    CHECK(set(fs, a, false, typed, &st, VB_MM(150), &lower) == VB_OK);
    st.uppercase = true;
    CHECK(set(fs, a, false, typed, &st, VB_MM(150), &upper) == VB_OK);
    CHECK_INT(upper.n, 1);
    CHECK_INT(lower.n, 1);
    if (upper.n == 1 && lower.n == 1) {
        CHECK_STR(line_text(&upper.v[0], buf, sizeof buf), "VĂN BẢN ĐÃ KÝ, SỐ 12-BC/ĐUK");
        CHECK_STR(line_text(&lower.v[0], buf, sizeof buf), typed);
        CHECK(upper.v[0].x1 - upper.v[0].x0 > lower.v[0].x1 - lower.v[0].x0);
    }
    /* measured as set: the capitals' width */
    vb_setctx_t ctx = {.fonts = fs, .arena = a, .brk = &profile_brk};
    vb_span_t sp = {typed, strlen(typed), 0};
    vb_inline_t in = {&sp, 1};
    vb_diag_t d = {0};
    vb_len_t nat_up = 0, nat_low = 0, ww = 0;
    CHECK(vb_text_measure(&ctx, &in, &st, &nat_up, &ww, &d) == VB_OK);
    st.uppercase = false;
    CHECK(vb_text_measure(&ctx, &in, &st, &nat_low, &ww, &d) == VB_OK);
    vb_set_finish(&ctx);
    CHECK(nat_up > nat_low);
    if (upper.n == 1)
        CHECK_INT(nat_up, upper.v[0].x1 - upper.v[0].x0);
}

int
main(void)
{
    vb_fontset_t *fs = NULL;
    vb_diag_t d = {0};
    if (vb_fontset_open(families, 1, NULL, &fs, &d) != VB_OK) {
        fprintf(stderr, "test_para: %s [%s]\n", d.msg, d.id);
        CHECK(0);
        return check_done();
    }
    vb_arena_t *a = vb_arena_new();
    test_break_rules(fs, a);
    test_tokens_whole(fs, a);
    test_short_and_overfull(fs, a);
    test_balanced_title(fs, a);
    test_hard_breaks(fs, a);
    test_letter_space(fs, a);
    test_balance_phrases(fs, a);
    test_uppercase(fs, a);
    vb_arena_free(a);
    vb_fontset_free(fs);
    return check_done();
}
