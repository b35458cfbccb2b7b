/*
 * fuzz_render.c - the whole pipeline to a PDF in memory, as engine.c runs it:
 * vb_text_prepare, vb_read_source_lim and vb_limits_check_model (the default
 * limits), vb_validate, the fonts' coverage of every character, vb_layout,
 * vb_pdf_write_mem.
 *
 * The profiles of layouts/ are read once and the fonts opened once (Liberation
 * Serif through tests/fonts.conf unless FONTCONFIG_FILE is set). The profile
 * is chosen as engine.c chooses it: by the source's profile id, or by regime
 * and date; an id that is not in layouts/ gets party-36-2018.
 *
 * Input: one option byte, then the source (md4c-style).
 *   bit 0: greedy line breaking      bit 1: duplex margins
 *   bit 2: the next 8 bytes (little-endian int64) are the creation time
 *   bit 3: also dump the display list as text
 */
#include <dirent.h>
#include <stdbool.h>

#include "font.h"
#include "fuzz.h"
#include "input.h"
#include "layout.h"
#include "limit.h"
#include "pdf.h"
#include "profile.h"
#include "validate.h"

/* Larger sources only slow the fuzzer down; the readers' own limits are fuzzed by fuzz_source. */
#define MAX_SOURCE 16384
#define MAX_PROFILES 16
#define DEFAULT_PROFILE "party-36-2018"

typedef struct loaded {
    vb_profile_t *profile;
    vb_fontset_t *fonts;
} loaded_t;

static vb_arena_t *g_arena;           /* owns the profiles for the process */
static loaded_t g_prof[MAX_PROFILES];
static int g_nprof, g_default = -1;

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* only a test program reads and sets the environment; the library never does */
    setenv("FONTCONFIG_FILE", VB_FUZZ_SOURCE_DIR "/tests/fonts.conf", 0);
    g_arena = vb_arena_new();
    const char *dir = VB_FUZZ_SOURCE_DIR "/layouts";
    DIR *dh = opendir(dir);
    if (!g_arena || !dh) {
        fprintf(stderr, "fuzz_render: cannot open %s\n", dir);
        exit(1);
    }
    char *names[MAX_PROFILES];
    int n = 0;
    for (struct dirent *de; (de = readdir(dh)) && n < MAX_PROFILES;) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] != '.' && len > 5 && !strcmp(de->d_name + len - 5, ".yaml"))
            names[n++] = vb_arena_printf(g_arena, "%s/%s", dir, de->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    for (int i = 0; i < n; i++) {
        vb_diag_t d;
        memset(&d, 0, sizeof d);
        loaded_t *l = &g_prof[g_nprof];
        if (vb_profile_load(g_arena, names[i], &l->profile, &d) != VB_OK) {
            /* a profile being edited may be broken for a while: fuzz with the others */
            char buf[1200];
            vb_diag_format(&d, buf, sizeof buf);
            fprintf(stderr, "fuzz_render: skipping %s\n", buf);
            continue;
        }
        /* profiles with the same family list share one fontset */
        for (int k = 0; k < g_nprof && !l->fonts; k++) {
            const vb_profile_t *o = g_prof[k].profile;
            bool same = o->nfont_families == l->profile->nfont_families;
            for (int f = 0; same && f < o->nfont_families; f++)
                same = !strcmp(o->font_families[f], l->profile->font_families[f]);
            if (same)
                l->fonts = g_prof[k].fonts;
        }
        if (!l->fonts && vb_fontset_open(l->profile->font_families, l->profile->nfont_families, NULL, &l->fonts,
                                         &d) != VB_OK) {
            char buf[1200];
            vb_diag_format(&d, buf, sizeof buf);
            fprintf(stderr, "fuzz_render: %s\n", buf);
            exit(1);
        }
        if (!strcmp(l->profile->id, DEFAULT_PROFILE))
            g_default = g_nprof;
        g_nprof++;
    }
    if (g_default < 0) {
        fprintf(stderr, "fuzz_render: no usable %s/%s.yaml\n", dir, DEFAULT_PROFILE);
        exit(1);
    }
    return 0;
}

/* As engine.c: every character must be in every face, else a clean VB_E_FONT. */
static vb_status_t
check_coverage(const vb_fontset_t *fs, const char *text, size_t len, vb_diag_t *d)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = vb_utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            n = 1, cp = '?';
        if (cp >= 0x80)
            for (int f = 0; f < VB_NFACES; f++)
                if (!vb_font_covers(vb_fontset_face(fs, (vb_face_t)f), cp))
                    return vb_diag_set(d, VB_E_FONT, "font.coverage", "fuzz.md", 0, 0, "No font covers U+%04X.",
                                       (unsigned)cp);
        i += (size_t)n;
    }
    return VB_OK;
}

static int
ymd(const vb_date_t *d, int open)
{
    return d->year ? d->year * 10000 + d->month * 100 + d->day : open;
}

/*
 * As engine.c: a profile id names one profile; a regime ("party", the
 * default, or "state") picks the one whose validity covers the document's
 * date. An id the harness has not loaded gets the default profile.
 */
static const loaded_t *
pick_profile(const vb_model_t *m)
{
    const char *id = m->meta.profile.text ? m->meta.profile.text : "party";
    if (!strcmp(id, "party") || !strcmp(id, "state")) {
        int date = ymd(&m->meta.date, 0);
        for (int i = 0; i < g_nprof; i++) {
            const vb_profile_t *p = g_prof[i].profile;
            if (!strcmp(p->regime, id) && date >= ymd(&p->valid_from, 0) && date <= ymd(&p->valid_until, 99999999))
                return &g_prof[i];
        }
        return NULL;
    }
    for (int i = 0; i < g_nprof; i++)
        if (!strcmp(g_prof[i].profile->id, id))
            return &g_prof[i];
    return &g_prof[g_default];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_SOURCE)
        return 0;
    uint8_t flags = data[0];
    data++, size--;
    int64_t ctime = -1;
    if (flags & 4) {
        if (size < 8)
            return 0;
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = (v << 8) | data[i];
        ctime = (int64_t)v;
        data += 8, size -= 8;
    }

    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        abort();
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    char *text = NULL;
    size_t tlen = 0;
    vb_model_t model;
    memset(&model, 0, sizeof model);
    vb_limits_t lim; /* the default limits, as a render without options has */
    vb_limits_resolve(NULL, &lim);
    vb_status_t rc = vb_text_prepare(arena, (const char *)data, size, "fuzz.md", &text, &tlen, &d);
    if (rc == VB_OK)
        rc = vb_read_source_lim(arena, text, tlen, "fuzz.md", &lim, &model, &d);
    if (rc == VB_OK) {
        model.source = "fuzz.md";
        rc = vb_limits_check_model(&model, &lim, &d);
    }
    const loaded_t *l = NULL;
    if (rc == VB_OK) {
        l = pick_profile(&model);
        rc = l ? vb_validate(&model, l->profile, &d)
               : vb_diag_set(&d, VB_E_PROFILE, "profile.none", "fuzz.md", 0, 0, "No profile covers the date.");
    }
    if (rc == VB_OK)
        rc = check_coverage(l->fonts, text, tlen, &d);
    vb_dlist_t dl;
    memset(&dl, 0, sizeof dl);
    dl.arena = arena;
    if (rc == VB_OK) {
        vb_layout_opts_t lo = {
            .greedy = flags & 1,
            .duplex = flags & 2,
            .creation_time = ctime,
            .creator = NULL,
            .max_pages = lim.pages,
        };
        rc = vb_layout(&model, l->profile, l->fonts, &lo, &dl, &d);
    }
    if (rc == VB_OK && (flags & 8)) {
        char *dump = NULL;
        size_t dlen = 0;
        if (vb_dlist_dump(&dl, &dump, &dlen) != VB_OK)
            abort();
        free(dump);
    }
    if (rc == VB_OK) {
        unsigned char *pdf = NULL;
        size_t plen = 0;
        rc = vb_pdf_write_mem(&dl, l->fonts, &pdf, &plen, &d);
        if (rc == VB_OK && (!pdf || plen < 8 || memcmp(pdf, "%PDF-", 5) != 0))
            abort();
        free(pdf);
    }
    fuzz_check(rc, &d, "render");
    vb_arena_free(arena);
    return 0;
}
