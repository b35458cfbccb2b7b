/*
 * fuzz_font.c - a font file given with --fonts, through the public API as the
 * CLI runs `vanban render --fonts DIR`: a new engine with DIR as its fonts
 * folder, then vb_render_buffer of a small document that uses the four faces
 * (regular, bold, italic, bold italic), Vietnamese letters, a table and a
 * footnote. That reaches fontfind.c (fontconfig and FreeType scan the folder
 * and judge family, style, format and Vietnamese coverage), font.c (HarfBuzz
 * opens the face and reads head, hhea, post, OS/2 and name), the coverage
 * check of every character, shaping, line breaking with the font's metrics,
 * subsetting (hb-subset) and the PDF font embedding (widths, ToUnicode,
 * FontDescriptor).
 *
 * Input: one byte, then the font file.
 *   bits 0-1: the face the fuzzed file stands in for (0 regular, 1 bold,
 *             2 italic, 3 bold italic); the fonts folder holds copies of the
 *             three other Liberation Serif faces, so a file that fontfind
 *             accepts completes the family
 *   bit 2:    greedy line breaking
 *
 * No system font is scanned: the harness points FONTCONFIG_FILE at a
 * configuration of its own with no font folder, so the fonts folder is the
 * only place a face can come from and a refused file ends in a clean
 * font.none. The Liberation Serif files are read from
 * /usr/share/fonts/truetype/liberation2 (Debian's fonts-liberation2), or from
 * VB_FUZZ_LIBERATION_DIR. Each process works in its own temporary folder
 * (TMPDIR or /tmp), removed at exit.
 *
 * Seeds: tests/fuzz/make_corpus.sh writes each face's selector byte followed
 * by the installed Liberation Serif file of that face (never committed).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "vanban.h"

/* A font file larger than the biggest Liberation Serif face plus room to grow; bigger ones only slow fuzzing. */
#define MAX_FONT (1u << 20)

static const char *const face_file[4] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                         "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"};

static char g_tmp[4096], g_conf[4200], g_cache[4200], g_out[4200];
static char g_dir[4][4200];   /* fonts folder k: the three faces other than k, and fuzz.ttf */
static char g_fuzz[4][4300];  /* g_dir[k]/fuzz.ttf */
static char g_other[4][3][4300];

/* Uses every face, Vietnamese letters in each, a table (with its own font sizes) and a footnote. */
static const char g_source[] =
    "---\n"
    "issuer: ĐẢNG ỦY KHỐI CƠ QUAN TỈNH\n"
    "number: 12-TB/ĐUK\n"
    "place: Thanh Hoá\n"
    "date: 2025-05-14\n"
    "kind: THÔNG BÁO\n"
    "title: kết quả kiểm tra phông chữ trong văn bản của Đảng\n"
    "signer:\n"
    "  authority: T/M BAN THƯỜNG VỤ\n"
    "  post: PHÓ BÍ THƯ\n"
    "  name: Nguyễn Thị Ánh Tuyết\n"
    "recipients:\n"
    "  - Các chi bộ trực thuộc\n"
    "  - Lưu Văn phòng\n"
    "---\n"
    "\n"
    "Đảng ủy Khối thông báo **kết quả** kiểm tra *chữ nghiêng* và ***chữ đậm nghiêng***: "
    "ăắằẳẵặ âấầẩẫậ đ êếềểễệ ôốồổỗộ ơớờởỡợ ưứừửữự ỳýỷỹỵ; "
    "ĂẮẰẲẴẶ ÂẤẦẨẪẬ Đ ÊẾỀỂỄỆ ÔỐỒỔỖỘ ƠỚỜỞỠỢ ƯỨỪỬỮỰ ỲÝỶỸỴ "
    "(0123456789 – “trích dẫn” … %)[^a].\n"
    "\n"
    "| STT | Nội dung | Kết quả |\n"
    "|---|---|---|\n"
    "| 1 | Phông **chữ đậm** | Đạt |\n"
    "| 2 | Phông *chữ nghiêng* | Đạt |\n"
    "\n"
    "[^a]: Chú thích: *Hướng dẫn* số 36-HD/VPTW.\n";

static void
cleanup(void)
{
    for (int k = 0; k < 4; k++) {
        unlink(g_fuzz[k]);
        for (int i = 0; i < 3; i++)
            unlink(g_other[k][i]);
        rmdir(g_dir[k]);
    }
    unlink(g_out);
    unlink(g_conf);
    /* fontconfig writes no cache here (nothing runs fc-cache), but remove what may be there */
    DIR *dh = opendir(g_cache);
    if (dh) {
        for (struct dirent *de; (de = readdir(dh));) {
            if (de->d_name[0] == '.')
                continue;
            char p[4500];
            snprintf(p, sizeof p, "%s/%s", g_cache, de->d_name);
            unlink(p);
        }
        closedir(dh);
    }
    rmdir(g_cache);
    rmdir(g_tmp);
}

static bool
write_file(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return false;
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n <= 0) {
            close(fd);
            return false;
        }
        p += n, size -= (size_t)n;
    }
    return close(fd) == 0;
}

static bool
copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    if (!f)
        return false;
    char *buf = malloc(MAX_FONT);
    size_t n = buf ? fread(buf, 1, MAX_FONT, f) : 0;
    fclose(f);
    bool ok = buf && n > 0 && n < MAX_FONT && write_file(to, buf, n);
    free(buf);
    return ok;
}

static void
die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz_font: %s %s\n", what, path);
    exit(1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/vanban-fuzz-font-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmp))
        die("cannot create a folder in", tmp && *tmp ? tmp : "/tmp");
    atexit(cleanup);
    snprintf(g_conf, sizeof g_conf, "%s/fonts.conf", g_tmp);
    snprintf(g_cache, sizeof g_cache, "%s/fontcache", g_tmp);
    snprintf(g_out, sizeof g_out, "%s/out.pdf", g_tmp);
    /* no <dir>: only the fonts folder holds fonts; a cache folder, which fontfind's fast path wants */
    char conf[5000];
    int n = snprintf(conf, sizeof conf,
                     "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
                     "<fontconfig>\n  <cachedir>%s</cachedir>\n</fontconfig>\n",
                     g_cache);
    if (mkdir(g_cache, 0700) != 0 || !write_file(g_conf, conf, (size_t)n))
        die("cannot write", g_conf);
    /* only a test program reads and sets the environment; the library never does */
    setenv("FONTCONFIG_FILE", g_conf, 1);

    const char *lib = getenv("VB_FUZZ_LIBERATION_DIR");
    if (!lib || !*lib)
        lib = "/usr/share/fonts/truetype/liberation2";
    for (int k = 0; k < 4; k++) {
        snprintf(g_dir[k], sizeof g_dir[k], "%s/fonts%d", g_tmp, k);
        if (snprintf(g_fuzz[k], sizeof g_fuzz[k], "%s/fuzz.ttf", g_dir[k]) >= (int)sizeof g_fuzz[k])
            die("too long a path:", g_dir[k]);
        if (mkdir(g_dir[k], 0700) != 0)
            die("cannot create", g_dir[k]);
        for (int f = 0, i = 0; f < 4; f++) {
            if (f == k)
                continue;
            char from[4300];
            snprintf(from, sizeof from, "%s/%s", lib, face_file[f]);
            if (snprintf(g_other[k][i], sizeof g_other[k][i], "%s/%s", g_dir[k], face_file[f]) >=
                (int)sizeof g_other[k][i])
                die("too long a path:", g_dir[k]);
            if (!copy_file(from, g_other[k][i]))
                die("cannot copy (install fonts-liberation2 or set VB_FUZZ_LIBERATION_DIR)", from);
            i++;
        }
    }
    return 0;
}

/* The output must exist exactly when the render succeeded, and start with %PDF-; no temporary file may stay. */
static void
check_output(vb_status_t rc)
{
    DIR *dh = opendir(g_tmp);
    if (!dh)
        abort();
    for (struct dirent *de; (de = readdir(dh));) {
        const char *n = de->d_name;
        if (n[0] == '.' || !strcmp(n, "fonts.conf") || !strcmp(n, "fontcache") ||
            (!strncmp(n, "fonts", 5) && n[5] >= '0' && n[5] <= '3' && !n[6]) || (rc == VB_OK && !strcmp(n, "out.pdf")))
            continue;
        fprintf(stderr, "font: %s left %s/%s behind\n", rc == VB_OK ? "a success" : "a failure", g_tmp, n);
        abort();
    }
    closedir(dh);
    if (rc != VB_OK)
        return;
    fuzz_expect_pdf("font", g_out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_FONT)
        return 0;
    int slot = data[0] & 3;
    bool greedy = (data[0] & 4) != 0;
    /* a fresh file (and a changed folder), so nothing fontconfig may remember of the last one applies */
    unlink(g_fuzz[slot]);
    if (!write_file(g_fuzz[slot], data + 1, size - 1)) {
        perror("fuzz_font: writing the font");
        abort();
    }

    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_engine_options_t eo = {
        .size = sizeof eo, .layouts_dir = VB_FUZZ_SOURCE_DIR "/layouts", .fonts_dir = g_dir[slot]};
    vb_engine_t *e = NULL;
    vb_status_t rc = vb_engine_new(&eo, &e, &d);
    if (rc == VB_OK) {
        vb_render_options_t opt;
        memset(&opt, 0, sizeof opt);
        opt.size = sizeof opt;
        opt.profile = "party-36-2018";
        opt.breaker = greedy ? VB_BREAKER_GREEDY : VB_BREAKER_DEFAULT;
        opt.creation_time = 1747180800; /* fixed, so a rerun gives the same PDF */
        rc = vb_render_buffer(e, g_source, sizeof g_source - 1, "fuzz.md", g_out, &opt, &d);
    }
    fuzz_check(rc, &d, "font");
    check_output(rc);
    vb_engine_free(e);
    unlink(g_fuzz[slot]);
    return 0;
}
