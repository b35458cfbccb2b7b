/*
 * fuzz_render.c - the whole pipeline, through the public API exactly as the
 * CLI runs it: vb_render_buffer (read within the limits, choose and read the
 * profile, validate, the fonts' coverage, layout, the PDF written to a file
 * atomically), and vb_dump_stage for the display list. The profile is either
 * one of layouts/ (as the source names it, or by regime and date) or a fuzzed
 * one that comes with the source, so profile values reach the layout,
 * pagination, tables, bands and the PDF writer.
 *
 * Input: one option byte, then the rest.
 *   bit 0: greedy line breaking      bit 1: duplex margins
 *   bit 2: the next 8 bytes (little-endian int64) are the creation time
 *   bit 3: also dump the display list (vb_dump_stage, VB_STAGE_PAGES)
 *   bit 4: the rest is a profile (YAML), a NUL byte, then the source; the
 *          profile is written to a private layouts folder as fuzz.yaml and
 *          used as `--profile fuzz` would use it. Without bit 4 the rest is
 *          the source, rendered with the profiles of layouts/.
 *   bit 5: --allow-nonconforming
 *
 * The fonts are Liberation Serif through tests/fonts.conf unless
 * FONTCONFIG_FILE is set. Each process works in its own temporary folder
 * (TMPDIR or /tmp), removed at exit.
 *
 * Under libFuzzer a custom mutator keeps that layout: an input with a profile
 * gets either its profile or its source mutated (LLVMFuzzerMutate, with the
 * dictionary), never the NUL between them, so most mutations reach the
 * layout with a profile that still reads instead of breaking the split; one
 * in eight is mutated as a whole (the option byte too).
 *
 * Beyond a clean end (fuzz_check), each render must leave exactly what the
 * API promises: on success a file that starts with %PDF-, on failure no
 * output file, and never a temporary file.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "vanban.h"

/* Larger inputs only slow the fuzzer down; the readers' own limits are fuzzed by fuzz_source and fuzz_profile. */
#define MAX_SOURCE 16384
#define MAX_PROFILE 32768
/* The fuzzed-profile engine caches a fontset per family list; start afresh now and then to bound memory. */
#define ENGINE_RUNS 256

static vb_engine_t *g_engine;  /* layouts/ */
static vb_engine_t *g_fengine; /* the private layouts folder holding fuzz.yaml */
static int g_fruns;
static char g_tmp[4096], g_layouts[4200], g_profile[4300], g_out[4200];

static void
cleanup(void)
{
    vb_engine_free(g_engine);
    vb_engine_free(g_fengine);
    unlink(g_profile);
    rmdir(g_layouts);
    unlink(g_out);
    rmdir(g_tmp);
}

static vb_engine_t *
new_engine(const char *layouts)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = layouts, .fonts_dir = NULL};
    vb_engine_t *e = NULL;
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "fuzz_render: cannot create an engine: %s\n", d.msg);
        exit(1);
    }
    return e;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* only a test program reads and sets the environment; the library never does */
    setenv("FONTCONFIG_FILE", VB_FUZZ_SOURCE_DIR "/tests/fonts.conf", 0);
    const char *tmp = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/vanban-fuzz-render-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmp)) {
        perror("fuzz_render: mkdtemp");
        exit(1);
    }
    snprintf(g_layouts, sizeof g_layouts, "%s/layouts", g_tmp);
    snprintf(g_profile, sizeof g_profile, "%s/fuzz.yaml", g_layouts);
    snprintf(g_out, sizeof g_out, "%s/out.pdf", g_tmp);
    if (mkdir(g_layouts, 0700) != 0) {
        perror("fuzz_render: mkdir");
        exit(1);
    }
    atexit(cleanup);
    g_engine = new_engine(VB_FUZZ_SOURCE_DIR "/layouts");
    g_fengine = new_engine(g_layouts);
    return 0;
}

static bool
write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return false;
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0) {
            close(fd);
            return false;
        }
        data += n, size -= (size_t)n;
    }
    return close(fd) == 0;
}

/* What the render left in the work folder: the output must exist exactly when it succeeded; nothing else may. */
static void
check_output(vb_status_t rc)
{
    DIR *dh = opendir(g_tmp);
    if (!dh)
        abort();
    for (struct dirent *de; (de = readdir(dh));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, "layouts") ||
            (rc == VB_OK && !strcmp(de->d_name, "out.pdf")))
            continue;
        fprintf(stderr, "render: %s left %s/%s behind\n", rc == VB_OK ? "a success" : "a failure", g_tmp,
                de->d_name);
        abort();
    }
    closedir(dh);
    if (rc != VB_OK)
        return;
    fuzz_expect_pdf("render", g_out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_SOURCE + MAX_PROFILE)
        return 0;
    uint8_t flags = data[0];
    data++, size--;
    int64_t ctime = 0; /* the document's date */
    if (flags & 4) {
        if (size < 8)
            return 0;
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = (v << 8) | data[i];
        ctime = (int64_t)v;
        data += 8, size -= 8;
    }
    vb_engine_t *engine = g_engine;
    vb_render_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.size = sizeof opt;
    opt.breaker = (flags & 1) ? VB_BREAKER_GREEDY : VB_BREAKER_DEFAULT;
    opt.duplex = (flags & 2) != 0;
    opt.creation_time = ctime;
    opt.allow_nonconforming = (flags & 32) != 0;
    if (flags & 16) {
        const uint8_t *nul = memchr(data, 0, size);
        if (!nul || (size_t)(nul - data) > MAX_PROFILE)
            return 0;
        if (!write_file(g_profile, data, (size_t)(nul - data))) {
            perror("fuzz_render: writing the profile");
            abort();
        }
        size -= (size_t)(nul + 1 - data);
        data = nul + 1;
        if (++g_fruns % ENGINE_RUNS == 0) {
            vb_engine_free(g_fengine);
            g_fengine = new_engine(g_layouts);
        }
        engine = g_fengine;
        opt.profile = "fuzz";
    }
    if (size > MAX_SOURCE)
        return 0;

    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_status_t rc = vb_render_buffer(engine, (const char *)data, size, "fuzz.md", g_out, &opt, &d);
    fuzz_check(rc, &d, "render");
    check_output(rc);
    if (rc == VB_OK && (flags & 8)) {
        char *dump = NULL;
        size_t dlen = 0;
        memset(&d, 0, sizeof d);
        vb_status_t rc2 = vb_dump_stage(engine, (const char *)data, size, "fuzz.md", VB_STAGE_PAGES, &opt, &dump,
                                        &dlen, &d);
        /* the same pipeline without the PDF writer cannot fail where the render succeeded */
        if (rc2 != VB_OK || !dump || strlen(dump) != dlen) {
            fprintf(stderr, "render: the display-list dump failed after a successful render: %s\n", d.msg);
            abort();
        }
        free(dump);
    }
    return 0;
}

#ifdef VB_FUZZ_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* Mutates the profile or the source of an input with a profile, keeping the split (see the top). */
size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    size_t head = size > 0 && (data[0] & 4) ? 9 : 1;
    const uint8_t *nul = size > head && (data[0] & 16) ? memchr(data + head, 0, size - head) : NULL;
    if (!nul || seed % 8 == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    size_t plen = (size_t)(nul - data) - head, slen = size - head - plen - 1;
    if (plen == 0 || slen == 0 || size >= max_size)
        return LLVMFuzzerMutate(data, size, max_size);
    if (seed % 2) {
        /* the source, in place after the profile */
        size_t room = max_size - head - plen - 1;
        return head + plen + 1 + LLVMFuzzerMutate(data + head + plen + 1, slen, room);
    }
    /* the profile: set the source aside, mutate, put the source back after a NUL */
    uint8_t *src = malloc(slen ? slen : 1);
    if (!src)
        abort();
    memcpy(src, data + head + plen + 1, slen);
    size_t np = LLVMFuzzerMutate(data + head, plen, max_size - head - 1 - slen);
    for (size_t i = 0; i < np; i++)
        if (data[head + i] == 0)
            data[head + i] = ' ';
    data[head + np] = 0;
    memcpy(data + head + np + 1, src, slen);
    free(src);
    return head + np + 1 + slen;
}
#endif
