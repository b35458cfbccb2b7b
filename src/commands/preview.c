/*
 * preview.c - the program vanban-preview: `vanban preview`, which vanban
 * runs in its place (main.c, run_program) so that a render never loads
 * cairo and FreeType. argv[1] is "preview".
 *
 *   vanban preview SRC -o DIR|FILE.png|- [--dpi N] [--pages A-B]
 *                  [--overlay] [--overlay-legend FILE|-]
 *                  [--data FILE] [--row N] [--profile P] [--layouts DIR]
 *                  [--fonts DIR] [--allow-dir DIR] [--allow-nonconforming]
 *
 * Each page asked for becomes DIR/NAME-N.png (NAME: the source's file name
 * without its extension, N the page number from 1), written to a temporary
 * file renamed when complete. -o FILE.png and -o - (standard output) take one
 * page: the first, or the one --pages names. A template previews the row
 * --row (from 1) of --data, or, with no --data, of its sample file: NAME.sample.json
 * or NAME.sample.csv beside it (docs/preview.md). With --profile, the
 * format errors are warnings, as with --allow-nonconforming. --overlay draws
 * the boxes over each page and their legend beside it; --overlay-legend
 * writes the same overlay as text, each page's after the other, to FILE or
 * to standard output (and implies --overlay).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"

static const char usage_preview[] =
    "Usage: vanban preview SRC -o DIR|FILE.png|- [--dpi N] [--pages A-B] [--overlay] [--overlay-legend FILE|-]\n"
    "                      [--data FILE] [--row N]\n"
    "                      [--profile P] [--layouts DIR] [--fonts DIR] [--allow-dir DIR] [--allow-nonconforming]\n"
    "  One PNG per page, DIR/NAME-1.png ...; FILE.png or - (standard output): one page.\n"
    "  --dpi N        resolution, 9 to 600 (default 96)\n"
    "  --pages A-B    the pages to draw, from 1 (A, or A-B)\n"
    "  --overlay      draw the margins, the band columns and the regulation's numbered boxes over each page,\n"
    "                 overfull and very loose lines marked, with a legend beside the page\n"
    "  --overlay-legend FILE|-  also write the overlay of each page drawn as text (implies --overlay)\n"
    "  --profile P    show it under profile P (party, state, an id or a path): format errors become warnings\n"
    "  --data FILE    SRC is a template: preview row --row (default 1) of FILE;\n"
    "                 with no --data, a template's NAME.sample.json or NAME.sample.csv beside it\n";


static void
print_diag(const vb_diag_t *w, void *ctx)
{
    char buf[2400];
    vb_diag_format_ex(w, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
    if (w->severity == VB_SEVERITY_ERROR && ctx)
        ++*(int *)ctx;
}

/* A number from lo to hi, the whole of s. */
static bool
parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* "A" or "A-B" (from 1, A <= B). */
static bool
parse_pages(const char *s, long *a, long *b)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n + 1);
    char *dash = strchr(buf, '-');
    if (dash)
        *dash = 0;
    if (!parse_int(buf, 1, 1000000, a))
        return false;
    if (!dash) {
        *b = *a;
        return true;
    }
    return parse_int(dash + 1, 1, 1000000, b) && *a <= *b;
}

/* The extension of path's last component (after its last '.'), or NULL. */
static const char *
extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

static int
write_file(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* Page i of doc to path: a temporary file beside it, renamed when complete. */
static int
save_page(const vb_document_t *doc, int i, const vb_png_options_t *po, const char *path)
{
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        fprintf(stderr, "vanban: cannot write %s: %s\n", tmp, strerror(errno));
        return 3;
    }
    vb_diag_t diag = {0};
    vb_status_t st = vb_document_png_ex(doc, i, po, write_file, f, &diag);
    int bad = fclose(f);
    if (st == VB_OK && bad) {
        fprintf(stderr, "vanban: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return 3;
    }
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        unlink(tmp);
        return cli_exit_code(st);
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "vanban: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return 3;
    }
    return 0;
}

/* The overlay of page i as text, appended to f. */
static int
write_legend(const vb_document_t *doc, int i, FILE *f, const char *name)
{
    vb_diag_t diag = {0};
    char *text = NULL;
    size_t len = 0;
    vb_status_t st = vb_document_overlay_text(doc, i, &text, &len, &diag);
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        return cli_exit_code(st);
    }
    int rc = fwrite(text, 1, len, f) == len ? 0 : 3;
    vb_free(text);
    if (rc)
        fprintf(stderr, "vanban: cannot write %s: %s\n", name, strerror(errno));
    return rc;
}

/* The template's sample file beside it (NAME.sample.json, NAME.sample.csv), into buf; NULL: none. */
static const char *
sample_file(const char *src, char *buf, size_t size)
{
    const char *ext = extension(src);
    size_t stem = ext ? (size_t)(ext - 1 - src) : strlen(src);
    static const char *const kinds[] = {"json", "csv"};
    for (int k = 0; k < 2; k++) {
        if ((size_t)snprintf(buf, size, "%.*s.sample.%s", (int)stem, src, kinds[k]) >= size)
            return NULL;
        if (access(buf, F_OK) == 0)
            return buf;
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "preview") != 0) {
        fputs(usage_preview, stderr);
        return 2;
    }
    const char *src = NULL, *out = NULL, *data_path = NULL, *profile = NULL, *layouts = NULL, *fonts = NULL;
    const char *legend = NULL;
    int overlay = 0;
    const char *allow[64];
    int nallow = 0, nonconforming = 0;
    long dpi = VB_PNG_DPI_DEFAULT, row = 1, first = 1, last = 0;
    bool row_given = false, pages_given = false;
    const doc_opts_t dopt = {&profile, &layouts, &fonts, allow, &nallow, (int)(sizeof allow / sizeof *allow), &nonconforming, NULL, "vanban"};
    int known; /* doc_option: 1 one of its options, -1 a wrong one */
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_preview, stdout);
            return 0;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) {
            out = argv[++i];
        } else if (!strcmp(a, "--dpi") && more) {
            if (!parse_int(argv[++i], VB_PNG_DPI_MIN, VB_PNG_DPI_MAX, &dpi)) {
                fprintf(stderr, "vanban: --dpi takes a resolution from %d to %d\n", VB_PNG_DPI_MIN, VB_PNG_DPI_MAX);
                return 2;
            }
        } else if (!strcmp(a, "--pages") && more) {
            if (!parse_pages(argv[++i], &first, &last)) {
                fprintf(stderr, "vanban: --pages takes a page (3) or a range (1-3), from 1\n");
                return 2;
            }
            pages_given = true;
        } else if (!strcmp(a, "--overlay")) {
            overlay = 1;
        } else if (!strcmp(a, "--overlay-legend") && more) {
            legend = argv[++i];
            overlay = 1;
        } else if (!strcmp(a, "--data") && more) {
            data_path = argv[++i];
        } else if (!strcmp(a, "--row") && more) {
            if (!parse_int(argv[++i], 1, 100000000, &row)) {
                fprintf(stderr, "vanban: --row takes a row number from 1\n");
                return 2;
            }
            row_given = true;
        } else if ((known = doc_option(argc, argv, &i, &dopt)) != 0) {
            if (known < 0)
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vanban: preview does not take '%s'\n%s", a, usage_preview);
            return 2;
        } else if (!src) {
            src = a;
        } else {
            fprintf(stderr, "vanban: preview takes one source\n%s", usage_preview);
            return 2;
        }
    }
    if (!src || !out) {
        fprintf(stderr, "vanban: preview needs a source and -o DIR, -o FILE.png or -o -\n%s", usage_preview);
        return 2;
    }
    /* where the pages go: standard output, one .png file, or a folder */
    struct stat sb;
    bool to_stdout = !strcmp(out, "-"), one_file = false;
    const char *ext = extension(out);
    if (!to_stdout && !(stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)) && ext) {
        if (strcasecmp(ext, "png") != 0) {
            fprintf(stderr, "vanban: preview writes PNG images: -o takes a folder, a .png file or -, not '%s' "
                    "(vanban render writes the PDF)\n", out);
            return 2;
        }
        one_file = true;
    }
    if (legend && to_stdout && !strcmp(legend, "-")) {
        fprintf(stderr, "vanban: -o - and --overlay-legend - cannot both take the standard output\n");
        return 2;
    }
    if ((to_stdout || one_file) && pages_given && last != first) {
        fprintf(stderr, "vanban: -o %s takes one page: --pages N, or -o DIR for several\n", out);
        return 2;
    }
    if (row_given && !data_path) {
        char sb2[4400];
        if (!sample_file(src, sb2, sizeof sb2)) {
            fprintf(stderr, "vanban: --row goes with --data FILE (or a template's NAME.sample.json beside it)\n");
            return 2;
        }
    }

    char lbuf[4200];
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = find_layouts(layouts, lbuf, sizeof lbuf),
                              .fonts_dir = find_fonts(fonts)};
    eo.on_diagnostic = print_diag;
    vb_diag_t diag = {0};
    vb_engine_t *engine = NULL;
    vb_status_t st = vb_engine_new(&eo, &engine, &diag);
    if (st != VB_OK) {
        print_diag(&diag, NULL);
        return cli_exit_code(st);
    }
    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro);
    ro.size = sizeof ro;
    ro.profile = profile;
    /* a document shown under another profile: its format errors are warnings (printed), so it can be compared */
    ro.allow_nonconforming = nonconforming || profile != NULL;
    ro.allow_dirs = allow;
    ro.nallow_dirs = nallow;
    int nerrors = 0;
    ro.on_diagnostic = print_diag;
    ro.diagnostic_ctx = &nerrors;

    char sbuf[4400];
    const char *sample = data_path ? NULL : sample_file(src, sbuf, sizeof sbuf);
    if (sample)
        fprintf(stderr, "vanban: previewing %s with row %ld of its sample values, %s\n", src, row, sample);
    const char *dpath = data_path ? data_path : sample;
    vb_document_t *doc = NULL;
    vb_template_t *tpl = NULL;
    vb_data_t *data = NULL;
    int rc = 0;
    if (dpath) {
        st = vb_template_new_file(engine, src, &ro, &tpl, &diag);
        if (st == VB_OK)
            st = vb_data_read_file(dpath, &data, &diag);
        if (st == VB_OK && row > vb_data_row_count(data)) {
            fprintf(stderr, "vanban: %s has %d rows, no row %ld\n", dpath, vb_data_row_count(data), row);
            rc = 2;
        } else if (st == VB_OK) {
            st = vb_template_document(tpl, data, (int)row - 1, &ro, &doc, &diag);
        }
    } else {
        st = vb_document_new_file(engine, src, &ro, &doc, &diag);
    }
    if (st != VB_OK) {
        if (!nerrors)
            print_diag(&diag, NULL);
        rc = cli_exit_code(st);
    }
    vb_png_options_t po = {(int)dpi, overlay};
    FILE *lf = NULL;
    if (doc && legend) {
        if (!strcmp(legend, "-")) {
            lf = stdout;
        } else {
            int fd = open(legend, O_WRONLY | O_CREAT | O_TRUNC, 0666);
            lf = fd >= 0 ? fdopen(fd, "w") : NULL;
            if (!lf && fd >= 0)
                close(fd);
        }
        if (!lf) {
            fprintf(stderr, "vanban: cannot write %s: %s\n", legend, strerror(errno));
            rc = 3;
        }
    }
    if (doc && rc == 0) {
        int npages = vb_document_page_count(doc);
        if (!pages_given)
            last = to_stdout || one_file ? 1 : npages;
        if (last > npages) {
            fprintf(stderr, "vanban: %s has %d page%s, no page %ld\n", src, npages, npages == 1 ? "" : "s", last);
            rc = 2;
        } else if (to_stdout) {
            st = vb_document_png_ex(doc, (int)first - 1, &po, write_file, stdout, &diag);
            if (st == VB_OK && fflush(stdout) != 0) {
                fprintf(stderr, "vanban: cannot write the standard output: %s\n", strerror(errno));
                rc = 3;
            } else if (st != VB_OK) {
                print_diag(&diag, NULL);
                rc = cli_exit_code(st);
            }
        } else if (one_file) {
            rc = save_page(doc, (int)first - 1, &po, out);
        } else {
            if (mkdir(out, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "vanban: cannot make the folder %s: %s\n", out, strerror(errno));
                rc = 3;
            }
            const char *base = strrchr(src, '/');
            base = base ? base + 1 : src;
            const char *sext = extension(base);
            int stem = sext ? (int)(sext - 1 - base) : (int)strlen(base);
            for (long p = first; p <= last && rc == 0; p++) {
                char path[4400];
                snprintf(path, sizeof path, "%s/%.*s-%ld.png", out, stem, base, p);
                rc = save_page(doc, (int)p - 1, &po, path);
                if (rc == 0)
                    printf("%s\n", path);
            }
        }
        for (long p = first; lf && p <= last && rc == 0; p++)
            rc = write_legend(doc, (int)p - 1, lf, legend);
    }
    if (lf && lf != stdout && fclose(lf) != 0 && rc == 0) {
        fprintf(stderr, "vanban: cannot write %s: %s\n", legend, strerror(errno));
        rc = 3;
    }
    vb_document_free(doc);
    vb_data_free(data);
    vb_template_free(tpl);
    vb_engine_free(engine);
    return rc;
}
