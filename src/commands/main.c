/*
 * main.c - the vanban command: a thin client of libvanban (vanban.h only).
 * `vanban batch` is commands/batch.c (with main.c's helpers, commands.h).
 *
 *   vanban render SRC -o OUT.pdf [--profile ID] [--greedy] [--layouts DIR] [--fonts DIR] [--limit NAME=N]
 *                [--allow-nonconforming] [--allow-dir DIR]... [--no-sign-fields] [--sign-boxes FILE.json]
 *   vanban watch SRC [-o OUT.pdf] [--once] [render options]   (watch.c)
 *   vanban dump --stage=model|pages SRC [--profile ID] [--greedy]
 *   vanban sign | issue | verify ...   (sign.c)
 *   vanban dump --stage=data FILE.csv|FILE.json
 *   vanban dump --stage=merge TEMPLATE --data FILE [--row N]
 *   vanban --help | --version
 *
 * Only the CLI reads the environment and prints. Exit codes: 0 OK, 1 input or
 * format error, 2 usage, 3 I/O or internal error.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "vanban.h"


static const char *const usage_text = VB_CLI_N_(
    "Usage:\n"
    "  vanban render SRC.md -o OUT.pdf [options]   typeset a document to PDF\n"
    "  vanban check SRC.md... [--fix] [--strict] [--format json]\n"
    "                                               every mistake of each source, with fixes (vanban check --help)\n"
    "  vanban batch TEMPLATE.md --data FILE -o DIR  one PDF per data row (vanban batch --help)\n"
    "  vanban watch SRC.md [-o OUT.pdf] [options]   render again at each change of the source, its profile or\n"
    "                                               images; --serve: the pages in a browser (vanban watch --help)\n"
    "  vanban convert --from tcvn3|vni|viqr|auto IN [-o OUT]\n"
    "                                               text in an old Vietnamese encoding to Unicode\n"
    "  vanban dump --stage=model|pages SRC.md       print a pipeline stage as text\n"
    "  vanban preview SRC.md -o DIR|P.png|- [--dpi N] [--pages A-B] [--overlay] [--data FILE --row N]\n"
    "                                               pages as PNG images, --overlay: the official boxes drawn\n"
    "                                               (vanban preview --help)\n"
    "  vanban sign | issue | verify ...             sign, issue or verify a PDF (vanban sign --help)\n"
    "  vanban dump --stage=data FILE.csv|.json      print the rows of a data file as read\n"
    "  vanban dump --stage=merge T.md --data FILE [--row N]\n"
    "                                               the model of data row N (from 1) merged into template T\n"
    "  vanban --help | --version\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the PDF to write (written to a temporary file, then renamed); a name ending in\n"
    "                      anything but .pdf (any case) is refused, a name without extension is accepted\n"
    "  --profile ID        layout profile (layouts/ID.yaml, a path, or a regime: party, state), overriding\n"
    "                      the source; a regime picks the profile in force on the document's date\n"
    "  --greedy            greedy (first-fit) breaking, for comparison: lines instead of total fit, and pages\n"
    "                      each filled as far as the keep rules allow instead of the breaks chosen over the\n"
    "                      whole document\n"
    "  --duplex            two-sided printing: mirrored margins on even pages\n"
    "  --layouts DIR       where profiles live (default: $VANBAN_LAYOUTS, ./layouts, or the installed ones)\n"
    "  --fonts DIR         a folder with your own fonts (e.g. Times New Roman); default: $VANBAN_FONTS or ./fonts\n"
    "  --limit NAME=N      raise (or lower) a limit; repeatable. The limits and their defaults are listed below\n"
    "  --allow-dir DIR     a folder the source may also read images and a profile from (repeatable); by\n"
    "                      default only the source's folder and the layouts folder\n"
    "  --allow-nonconforming  reproduce an issued document as typed: the format errors of the number, the\n"
    "                      signer's form and the appendix numbering are printed as warnings, not errors\n"
    "  --no-sign-fields    no empty signature fields and no issuance text fields in the PDF (for signing tools\n"
    "                      that add their own by coordinates); by default the PDF is signed-ready\n"
    "  --sign-boxes FILE   also write the fields' page and rectangle (PDF points) as JSON (docs/signing.md)\n"
    "  --pdfa              write PDF/A-2b for archiving (XMP metadata, sRGB output intent; docs/pdfa.md)\n"
    "  --strict            fit to issue: no signer name, no recipients, no title or a placeholder left is an\n"
    "                      error, not a warning\n"
    "  --lang vi|en        the language of the messages (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"
    "  --show-source       under each diagnostic, its source line and a caret under the column (the default\n"
    "                      when stderr is a terminal)\n"
    "\n"
    "Environment: SOURCE_DATE_EPOCH (seconds since 1970, UTC) sets the PDF's creation date; default: the document's date.\n"
    "\n"
    "Exit status: 0 success, 1 error in the document or profile, 2 usage, 3 I/O or internal error.\n");

/* The limits, after the usage text of --help. */
void
print_limits(FILE *f)
{
    fputs(vb_tr_cli("\nLimits (--limit NAME=N), against broken or hostile sources:\n"), f);
    const char *name, *what;
    int64_t def;
    for (int i = 0; vb_limits_info(i, &name, &def, &what); i++)
        fprintf(f, "  %-18s %10lld  %s\n", name, (long long)def, what);
}

/* SIGINT, SIGTERM, SIGHUP during a render: its temporary PDF removed (cli_tempfile), then the exit. */
static void
on_signal(int sig)
{
    cli_unlink_temp();
    _exit(128 + sig);
}

void
catch_signals(void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static void
install_handlers(void)
{
    catch_signals(on_signal);
    /* over a file-size limit (ulimit -f) a write then fails with EFBIG and is reported, instead of killing us */
    signal(SIGXFSZ, SIG_IGN);
}

static int
exit_code(vb_status_t st)
{
    return cli_exit_code(st); /* paths.c: the programs' one mapping */
}

static bool show_sources; /* each diagnostic's source line and caret too (caret.c) */

static int
report(const vb_diag_t *d, vb_status_t st)
{
    char buf[1200];
    vb_diag_format(d, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
    if (show_sources)
        print_diag_source(stderr, d);
    return exit_code(st);
}

/*
 * Every diagnostic of a render, errors and warnings, as the library finds
 * them: printed once each, with the fix when there is one. ctx counts the
 * errors, so that the first error (also in the vb_diag_t the call fills) is
 * printed again only when it never came this way (a file that cannot be read).
 */
void
show_diag_sources(bool on)
{
    show_sources = on;
}

void
on_diagnostic(const vb_diag_t *w, void *ctx)
{
    char buf[2400];
    vb_diag_format_ex(w, VB_DIAG_FORMAT_FIX, buf, sizeof buf);
    char *fix = show_sources ? strchr(buf, '\n') : NULL; /* the source line goes between the message and its fix */
    if (fix)
        *fix++ = 0;
    fprintf(stderr, "%s\n", buf);
    if (show_sources)
        print_diag_source(stderr, w);
    if (fix)
        fprintf(stderr, "%s\n", fix);
    if (w->severity == VB_SEVERITY_ERROR && ctx)
        ++*(int *)ctx;
}

/* A failed call: its first error printed unless on_diagnostic printed it; the exit status from its class. */
static int
report_once(const vb_diag_t *d, vb_status_t st, int printed_errors)
{
    return printed_errors ? exit_code(st) : report(d, st);
}

/*
 * SOURCE_DATE_EPOCH (reproducible builds): the PDF dates, in seconds since the
 * epoch, UTC. Unset or empty: 0, the document's own date; 0 itself is
 * VB_TIME_EPOCH (1970). A value that is not a plain decimal number up to
 * 9999-12-31 is refused rather than ignored.
 */
bool
source_date_epoch(int64_t *out)
{
    *out = 0;
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (!env || !*env)
        return true;
    int64_t v = 0;
    for (const char *p = env; *p; p++) {
        if (*p < '0' || *p > '9' || v > 253402300799 / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > 253402300799) /* 9999-12-31T23:59:59Z: a PDF date has four year digits */
        return false;
    *out = v ? v : VB_TIME_EPOCH;
    return true;
}

/* vanban dump --stage=data FILE: the rows of a data file as read (no engine needed). */
static int
dump_data(const char *path)
{
    vb_diag_t diag = {0};
    vb_data_t *data = NULL;
    char *text = NULL;
    size_t tlen = 0;
    vb_status_t st = vb_data_read_file(path, &data, &diag);
    if (st == VB_OK)
        st = vb_data_dump(data, &text, &tlen, &diag);
    vb_data_free(data);
    if (st != VB_OK)
        return report(&diag, st);
    fwrite(text, 1, tlen, stdout);
    vb_free(text);
    return 0;
}

/*
 * sign, issue and verify are the program vanban-sign beside this one
 * (sign_main.c): OpenSSL, which they need, costs a render 2.5 M
 * instructions of relocations when it is only loaded, so the vanban that
 * renders does not load it. Runs it in this process's place; returns only
 * when it cannot (exit status 3).
 */
static int
run_signer(char **argv)
{
    return run_program(argv, "vanban-sign");
}

/* Runs the program prog (vanban-sign, vanban-preview, vanban-serve), found beside vanban, in vanban's place. */
int
run_program(char **argv, const char *prog_name)
{
    char exe[4096], path[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        fprintf(stderr, vb_tr_cli("vanban: cannot find where vanban is (%s), nor vanban-sign beside it\n"), strerror(errno));
        return 3;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    snprintf(path, sizeof path, "%s/%s", slash ? exe : ".", prog_name);
    char *prog = argv[0];
    argv[0] = path;
    execv(path, argv);
    argv[0] = prog;
    fprintf(stderr, vb_tr_cli("vanban: %s needs the program %s, installed with vanban: %s\n"), argv[1], path, strerror(errno));
    return 3;
}

int
main(int argc, char **argv)
{
    /* first: a signal that comes at any later moment finds the handler (and SIGXFSZ ignored) */
    install_handlers();
    cli_messages(argc, argv); /* paths.c: Vietnamese messages when asked or the locale says so */
    if (argc > 1 && !strcmp(argv[1], "check"))
        return vb_cmd_check(argc - 1, argv + 1); /* commands/check.c */
    if (argc > 1 && !strcmp(argv[1], "batch"))
        return vb_cmd_batch(argc - 1, argv + 1); /* commands/batch.c */
    if (argc > 1 && !strcmp(argv[1], "watch"))
        return vb_cmd_watch(argc - 1, argv + 1); /* commands/watch.c */
    if (argc > 1 && !strcmp(argv[1], "convert"))
        return vb_cmd_convert(argc - 1, argv + 1); /* commands/convert.c: TCVN3, VNI, VIQR to Unicode */
    if (argc > 1 && (!strcmp(argv[1], "sign") || !strcmp(argv[1], "issue") || !strcmp(argv[1], "verify")))
        return run_signer(argv);
    if (argc > 1 && !strcmp(argv[1], "preview"))
        return run_program(argv, "vanban-preview"); /* commands/preview.c: cairo stays out of a render */
    const char *cmd = NULL, *src = NULL, *out = NULL, *profile = NULL, *layouts = NULL, *fonts = NULL;
    const char *stage = NULL, *data_path = NULL;
    long row = 1; /* --row: the data row (1-based) of dump --stage=merge */
    bool greedy = false;
    int duplex = 0, nonconforming = 0, no_sign_fields = 0, pdfa = 0, strict = 0;
    const char *sign_boxes = NULL;
    vb_limits_t limits;
    memset(&limits, 0, sizeof limits);
    const char *allow[64]; /* --allow-dir folders */
    char sbuf[512];        /* an argument echoed in a message (shown) */
    int nallow = 0;

    const doc_opts_t dopt = {&profile, &layouts, &fonts, allow, &nallow, (int)(sizeof allow / sizeof *allow), &nonconforming, &limits, "vanban"};
    int known; /* doc_option: 1 one of its options, -1 a wrong one */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(vb_tr_cli(usage_text), stdout);
            print_limits(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("vanban %s\n", vb_version());
            return 0;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
            out = argv[++i];
        } else if (!strncmp(a, "--stage=", 8)) {
            stage = a + 8;
        } else if (!strcmp(a, "--data") && i + 1 < argc) {
            data_path = argv[++i];
        } else if (!strcmp(a, "--row") && i + 1 < argc) {
            char *end;
            errno = 0;
            row = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || row < 1 || row > 100000000) {
                fprintf(stderr, vb_tr_cli("vanban: --row takes a row number from 1, not '%s'\n"),
                        shown(argv[i], sbuf, sizeof sbuf));
                return 2;
            }
        } else if (!strcmp(a, "--greedy")) {
            greedy = true;
        } else if (!strcmp(a, "--duplex")) {
            duplex = 1;
        } else if (!strcmp(a, "--strict")) {
            strict = 1;
        } else if (!strcmp(a, "--lang") && i + 1 < argc) {
            i++; /* cli_messages chose the language */
        } else if (!strcmp(a, "--show-source")) {
            show_diag_sources(true);
        } else if (!strcmp(a, "--no-sign-fields")) {
            no_sign_fields = 1;
        } else if (!strcmp(a, "--pdfa")) {
            pdfa = 1;
        } else if (!strcmp(a, "--sign-boxes") && i + 1 < argc) {
            sign_boxes = argv[++i];
        } else if ((known = doc_option(argc, argv, &i, &dopt)) != 0) {
            if (known < 0)
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, vb_tr_cli("vanban: unknown option '%s'\n%s"), shown(a, sbuf, sizeof sbuf), vb_tr_cli(usage_text));
            return 2;
        } else if (!cmd) {
            cmd = a;
        } else if (!src) {
            src = a;
        } else {
            fprintf(stderr, vb_tr_cli("vanban: unexpected argument '%s'\n%s"), shown(a, sbuf, sizeof sbuf), vb_tr_cli(usage_text));
            return 2;
        }
    }
    if (!cmd) {
        fputs(vb_tr_cli(usage_text), stderr);
        return 2;
    }
    bool render = !strcmp(cmd, "render"), dump = !strcmp(cmd, "dump");
    if (render && isatty(STDERR_FILENO))
        show_diag_sources(true); /* on a terminal, the source line and a caret under each diagnostic */
    if (!render && !dump) {
        fprintf(stderr, vb_tr_cli("vanban: unknown command '%s'\n%s"), shown(cmd, sbuf, sizeof sbuf), vb_tr_cli(usage_text));
        return 2;
    }
    if (!src || (render && !out)) {
        fprintf(stderr, vb_tr_cli("vanban: %s needs a source%s\n%s"), cmd, render ? vb_tr_cli(" and -o OUT.pdf") : "", vb_tr_cli(usage_text));
        return 2;
    }
    /* render writes PDF: an output named .png is refused (an output that is the source: io.same-file, below) */
    const char *oext = render ? strrchr(out, '.') : NULL;
    struct stat so_st, src_st;
    bool same = oext && !stat(out, &so_st) && !stat(src, &src_st) && so_st.st_dev == src_st.st_dev &&
                so_st.st_ino == src_st.st_ino;
    if (oext && !same && !strchr(oext, '/') && strcasecmp(oext, ".pdf") != 0) {
        fprintf(stderr, vb_tr_cli("vanban: render writes a PDF: -o takes a .pdf name (or one without extension), not '%s'%s\n"),
                shown(out, sbuf, sizeof sbuf), strcasecmp(oext, ".png") ? "" : vb_tr_cli(" (vanban preview writes PNG)"));
        return 2;
    }
    if (sign_boxes && (!render || !strcmp(sign_boxes, out) || !strcmp(sign_boxes, src))) {
        fprintf(stderr, "%s", vb_tr_cli("vanban: --sign-boxes goes with render, to a file other than the source and the PDF\n"));
        return 2;
    }
    if (dump && stage && !strcmp(stage, "data"))
        return dump_data(src);
    vb_stage_t st_kind = VB_STAGE_PAGES;
    bool merge = false;
    if (dump) {
        if (!stage || !strcmp(stage, "pages"))
            st_kind = VB_STAGE_PAGES;
        else if (!strcmp(stage, "model"))
            st_kind = VB_STAGE_MODEL;
        else if (!strcmp(stage, "merge"))
            merge = true;
        else {
            fprintf(stderr, vb_tr_cli("vanban: unknown stage '%s' (model, pages, data, merge)\n"),
                    shown(stage, sbuf, sizeof sbuf));
            return 2;
        }
    }
    if (merge != (data_path != NULL)) {
        fprintf(stderr, vb_tr_cli("vanban: %s\n%s"),
                merge ? vb_tr_cli("dump --stage=merge needs --data FILE") : vb_tr_cli("--data goes with dump --stage=merge"), vb_tr_cli(usage_text));
        return 2;
    }

    int64_t epoch;
    if (!source_date_epoch(&epoch)) {
        fprintf(stderr, vb_tr_cli("vanban: SOURCE_DATE_EPOCH must be seconds since 1970 (digits, at most 253402300799), "
                                  "not '%s'\n"), shown(getenv("SOURCE_DATE_EPOCH"), sbuf, sizeof sbuf));
        return 2;
    }
    char lbuf[4200];
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = find_layouts(layouts, lbuf, sizeof lbuf), .fonts_dir = find_fonts(fonts)};
    eo.on_diagnostic = on_diagnostic; /* a broken profile in the layouts folder, skipped */
    vb_diag_t diag = {0};
    vb_engine_t *engine = NULL;
    vb_status_t st = vb_engine_new(&eo, &engine, &diag);
    if (st != VB_OK)
        return report(&diag, st);

    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro);
    ro.size = sizeof ro;
    ro.profile = profile;
    ro.breaker = greedy ? VB_BREAKER_GREEDY : VB_BREAKER_DEFAULT;
    ro.creation_time = epoch;
    ro.duplex = duplex;
    ro.limits = limits;
    ro.on_tempfile = cli_tempfile;
    ro.allow_nonconforming = nonconforming;
    int nerrors = 0;
    ro.on_diagnostic = on_diagnostic;
    ro.diagnostic_ctx = &nerrors;
    ro.allow_dirs = allow;
    ro.nallow_dirs = nallow;
    ro.no_sign_fields = no_sign_fields;
    ro.pdfa = pdfa;
    ro.fit = render ? (strict ? VB_FIT_STRICT : VB_FIT_WARN) : 0; /* fit to issue: warnings, errors with --strict */
    ro.sign_boxes = sign_boxes;
    ro.durable = render; /* one file: flushed to the disk before the exit (a batch would sync once) */
    int rc = 0;
    if (render) {
        st = vb_render_file(engine, src, out, &ro, &diag);
        if (st != VB_OK)
            rc = report_once(&diag, st, nerrors);
    } else if (merge) {
        /* the template read once, the data file, the row's merged model */
        vb_template_t *tpl = NULL;
        vb_data_t *data = NULL;
        char *text = NULL;
        size_t tlen = 0;
        st = vb_template_new_file(engine, src, &ro, &tpl, &diag);
        if (st == VB_OK)
            st = vb_data_read_file(data_path, &data, &diag);
        if (st == VB_OK && row > vb_data_row_count(data)) {
            fprintf(stderr, vb_tr_cli("vanban: %s has %d rows, no row %ld\n"), data_path, vb_data_row_count(data), row);
            rc = 2;
        } else if (st == VB_OK) {
            st = vb_template_dump(tpl, data, (int)row - 1, &ro, &text, &tlen, &diag);
        }
        if (st != VB_OK)
            rc = report_once(&diag, st, nerrors);
        else if (text)
            fwrite(text, 1, tlen, stdout);
        vb_free(text);
        vb_data_free(data);
        vb_template_free(tpl);
    } else {
        char *text = NULL;
        size_t tlen = 0;
        st = vb_dump_file(engine, src, st_kind, &ro, &text, &tlen, &diag);
        if (st != VB_OK) {
            rc = report_once(&diag, st, nerrors);
        } else {
            fwrite(text, 1, tlen, stdout);
            free(text);
        }
    }
    vb_engine_free(engine);
    return rc;
}
