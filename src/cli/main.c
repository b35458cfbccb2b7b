/*
 * main.c - the vanban command: a thin client of libvanban (vanban.h only).
 *
 *   vanban render SRC -o OUT.pdf [--profile ID] [--greedy] [--layouts DIR] [--fonts DIR]
 *   vanban dump --stage=model|pages SRC [--profile ID] [--greedy]
 *   vanban --help | --version
 *
 * Only the CLI reads the environment and prints. Exit codes: 0 OK, 1 input or
 * format error, 2 usage, 3 I/O or internal error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vanban.h"

#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif

static const char usage_text[] =
    "Usage:\n"
    "  vanban render SRC.md -o OUT.pdf [options]   typeset a document to PDF\n"
    "  vanban dump --stage=model|pages SRC.md       print a pipeline stage as text\n"
    "  vanban --help | --version\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the PDF to write (written to a temporary file, then renamed)\n"
    "  --profile ID        layout profile (layouts/ID.yaml, a path, or a regime: party, state), overriding\n"
    "                      the source; a regime picks the profile in force on the document's date\n"
    "  --greedy            greedy line breaking instead of total fit (for comparison)\n"
    "  --duplex            two-sided printing: mirrored margins on even pages\n"
    "  --layouts DIR       where profiles live (default: $VANBAN_LAYOUTS, ./layouts, or the installed ones)\n"
    "  --fonts DIR         a folder with your own fonts (e.g. Times New Roman); default: $VANBAN_FONTS or ./fonts\n"
    "\n"
    "Exit status: 0 success, 1 error in the document or profile, 2 usage, 3 I/O or internal error.\n";

static int
exit_code(vb_status_t st)
{
    switch (st) {
    case VB_OK:
        return 0;
    case VB_E_INPUT:
    case VB_E_PROFILE:
    case VB_E_FONT:
    case VB_E_LAYOUT:
    case VB_E_LIMIT:
        return 1;
    case VB_E_USAGE:
        return 2;
    default:
        return 3;
    }
}

static int
report(const vb_diag_t *d, vb_status_t st)
{
    char buf[1200];
    vb_diag_format(d, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
    return exit_code(st);
}

static bool
is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The layouts folder: --layouts, $VANBAN_LAYOUTS, ./layouts, next to the binary's source tree, installed. */
static const char *
find_layouts(const char *opt, char *buf, size_t size)
{
    if (opt)
        return opt;
    const char *env = getenv("VANBAN_LAYOUTS");
    if (env && *env)
        return env;
    if (is_dir("layouts"))
        return "layouts";
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, size, "%s/../layouts", exe);
            if (is_dir(buf))
                return buf;
            snprintf(buf, size, "%s/../share/vanban/layouts", exe); /* an installed tree, wherever it was put */
            if (is_dir(buf))
                return buf;
        }
    }
    snprintf(buf, size, "%s/layouts", VB_DATADIR);
    return buf;
}

static const char *
find_fonts(const char *opt)
{
    if (opt)
        return opt;
    const char *env = getenv("VANBAN_FONTS");
    if (env && *env)
        return env;
    return is_dir("fonts") ? "fonts" : NULL;
}

int
main(int argc, char **argv)
{
    const char *cmd = NULL, *src = NULL, *out = NULL, *profile = NULL, *layouts = NULL, *fonts = NULL;
    const char *stage = NULL;
    bool greedy = false;
    int duplex = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("vanban %s\n", vb_version());
            return 0;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(a, "--profile") && i + 1 < argc) {
            profile = argv[++i];
        } else if (!strcmp(a, "--layouts") && i + 1 < argc) {
            layouts = argv[++i];
        } else if (!strcmp(a, "--fonts") && i + 1 < argc) {
            fonts = argv[++i];
        } else if (!strncmp(a, "--stage=", 8)) {
            stage = a + 8;
        } else if (!strcmp(a, "--greedy")) {
            greedy = true;
        } else if (!strcmp(a, "--duplex")) {
            duplex = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vanban: unknown option '%s'\n%s", a, usage_text);
            return 2;
        } else if (!cmd) {
            cmd = a;
        } else if (!src) {
            src = a;
        } else {
            fprintf(stderr, "vanban: unexpected argument '%s'\n%s", a, usage_text);
            return 2;
        }
    }
    if (!cmd) {
        fputs(usage_text, stderr);
        return 2;
    }
    bool render = !strcmp(cmd, "render"), dump = !strcmp(cmd, "dump");
    if (!render && !dump) {
        fprintf(stderr, "vanban: unknown command '%s'\n%s", cmd, usage_text);
        return 2;
    }
    if (!src || (render && !out)) {
        fprintf(stderr, "vanban: %s needs a source%s\n%s", cmd, render ? " and -o OUT.pdf" : "", usage_text);
        return 2;
    }
    vb_stage_t st_kind = VB_STAGE_PAGES;
    if (dump) {
        if (!stage || !strcmp(stage, "pages"))
            st_kind = VB_STAGE_PAGES;
        else if (!strcmp(stage, "model"))
            st_kind = VB_STAGE_MODEL;
        else {
            fprintf(stderr, "vanban: unknown stage '%s' (model, pages)\n", stage);
            return 2;
        }
    }

    char lbuf[4200];
    vb_engine_options_t eo = {sizeof eo, find_layouts(layouts, lbuf, sizeof lbuf), find_fonts(fonts)};
    vb_diag_t diag = {0};
    vb_engine_t *engine = NULL;
    vb_status_t st = vb_engine_new(&eo, &engine, &diag);
    if (st != VB_OK)
        return report(&diag, st);

    vb_render_options_t ro = {sizeof ro, profile, greedy ? VB_BREAKER_GREEDY : VB_BREAKER_DEFAULT, -1, duplex};
    int rc = 0;
    if (render) {
        st = vb_render_file(engine, src, out, &ro, &diag);
        if (st != VB_OK)
            rc = report(&diag, st);
    } else {
        char *text = NULL;
        size_t tlen = 0;
        st = vb_dump_file(engine, src, st_kind, &ro, &text, &tlen, &diag);
        if (st != VB_OK) {
            rc = report(&diag, st);
        } else {
            fwrite(text, 1, tlen, stdout);
            free(text);
        }
    }
    vb_engine_free(engine);
    return rc;
}
