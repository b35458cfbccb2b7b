/*
 * watch.c - `vanban watch`: renders the PDF, then renders it again whenever a
 * file it was made from changes.
 *
 *   vanban watch SRC [-o OUT.pdf] [--data FILE --row N] [--once] [render options]
 *
 * One engine for the whole session, so fonts and profiles stay open and each
 * render after the first is warm (a new engine only when the profile file
 * itself changed, since the engine compiles a profile once). The files
 * watched are the document's inputs (vb_document_input: the source, its
 * profile, its images) and the data file, read again after each successful
 * render. inotify watches their folders, not the files: an editor that saves
 * by writing a new file and renaming it over the old one replaces the file,
 * and a watch on the old file would see nothing. Events are filtered by name
 * and a burst (an editor's write, rename, chmod) is one render: it waits for
 * DEBOUNCE_MS without an event, or SETTLE_MS when the last event was a file
 * complete (closed after writing, or renamed in): the common save is seen
 * within a few milliseconds.
 *
 * Each render prints one line to stdout: the time, the pages and how long the
 * render took (read, lay out, write). A failed render prints every diagnostic
 * with its source line and a caret, and leaves the last good PDF as it was
 * (the PDF is written to a temporary file and renamed only when complete).
 * SIGINT, SIGTERM, SIGHUP end the session with status 0, the temporary file
 * of a render in progress removed.
 *
 * The loop calls a function after each render (render_done) with the
 * document while it lives. With --serve [ADDR], the preview server
 * (serve.c) hooks there: it draws the pages and tells the browsers. The
 * server links libmicrohttpd and cairo, which a render must not load, so the
 * vanban program runs the program vanban-serve (this file and the command's
 * others, built with VB_SERVE, and serve.c) in its place with the same
 * arguments; vanban-serve runs the loop with the server.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"

#define DEBOUNCE_MS 30 /* quiet time after a partial change (a write, a new file, a chmod) */
#define SETTLE_MS 5    /* after a complete one (a file closed after writing, a file renamed in) */
#define MAX_INPUTS 256

static const char watch_usage[] =
    "Usage:\n"
    "  vanban watch SRC.md [-o OUT.pdf] [--serve [ADDR] [--overlay]] [options]\n"
    "\n"
    "Renders SRC.md to OUT.pdf (default: SRC with .pdf for .md), then again each time the source, its profile,\n"
    "an image it places or its data file changes, until Ctrl-C. One line per render: the time, the pages and\n"
    "how long it took. A render that fails prints its errors with the source line and a caret, and leaves the\n"
    "last good PDF as it was.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the PDF to write\n"
    "  --data FILE         SRC is a template (docs/templates.md): merge this data file's row --row N (from 1)\n"
    "  --row N             the data row (default 1)\n"
    "  --once              render once and exit (status as vanban render's)\n"
    "  --serve [ADDR]      also serve a page that shows the pages and refreshes itself after each render,\n"
    "                      with the errors in it, at http://ADDR/ (printed on start); ADDR on this computer\n"
    "                      only: PORT, :PORT, 127.0.0.1:PORT, localhost:PORT or [::1]:PORT; default\n"
    "                      127.0.0.1:8265; port 0: any free port (docs/watch.md)\n"
    "  --overlay           with --serve: a checkbox on the page draws the regulation's boxes over the pages\n"
    "  --profile ID, --greedy, --duplex, --layouts DIR, --fonts DIR, --limit NAME=N, --allow-dir DIR,\n"
    "  --allow-nonconforming, --no-sign-fields\n"
    "                      as for vanban render\n"
    "\n"
    "Exit status: 0 (Ctrl-C, or --once rendered), 1 error in the document (--once), 2 usage, 3 I/O error.\n";

/* ------------------------------------------------------------ signals */

/*
 * The temporary PDF of a render in progress (cli_tempfile, paths.c): a signal
 * during a render removes it and exits; between renders the handler only
 * writes a byte to a pipe the loop polls, so that the session ends cleanly.
 */
static volatile sig_atomic_t rendering, stop;
static int stop_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
    (void)sig;
    stop = 1;
    if (rendering) {
        cli_unlink_temp();
        _exit(0);
    }
    if (stop_pipe[1] >= 0) {
        ssize_t r = write(stop_pipe[1], "x", 1);
        (void)r;
    }
}

/* ------------------------------------------------------------ the watched files */

typedef struct input {
    char *path;  /* as the document names it */
    char *base;  /* its last component */
    int wd;      /* the watch on its folder; -1 when the folder cannot be watched */
    bool profile; /* the profile file: a change needs a new engine */
} input_t;

typedef struct session {
    const char *src, *out, *data_path;
    long row;
    vb_engine_options_t eo;
    vb_render_options_t ro;
    vb_engine_t *engine;
    int ifd;                  /* inotify */
    input_t inputs[MAX_INPUTS];
    int ninputs;
    int renders;
    int nerrors;              /* of the render in progress */
    char *err_files[16];      /* the files its errors name: watched too until a render succeeds */
    int nerr_files;
    /* called after each render with the document (NULL when it failed); a preview server hooks here */
    void (*render_done)(void *ctx, const vb_document_t *doc, vb_status_t st, double ms);
    void *render_ctx;
    vb_server_t *server;      /* --serve: each diagnostic is shown on its page too (vanban-serve) */
} session_t;

static void
inputs_clear(session_t *s)
{
    for (int i = 0; i < s->ninputs; i++) {
        free(s->inputs[i].path);
        free(s->inputs[i].base);
    }
    s->ninputs = 0;
}

/* Adds path (once) and a watch on its folder. */
static void
input_add(session_t *s, const char *path, bool profile)
{
    if (!path || !*path || s->ninputs == MAX_INPUTS)
        return;
    for (int i = 0; i < s->ninputs; i++)
        if (!strcmp(s->inputs[i].path, path))
            return;
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    input_t *in = &s->inputs[s->ninputs];
    in->path = strdup(path);
    in->base = strdup(slash ? slash + 1 : path);
    if (!in->path || !in->base) {
        free(in->path);
        free(in->base);
        return;
    }
    in->profile = profile;
    /* the same folder by any name gives the same watch descriptor */
    in->wd = s->ifd >= 0 ? inotify_add_watch(s->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB |
                                                              IN_DELETE | IN_MODIFY | IN_ONLYDIR)
                         : -1;
    if (in->wd < 0 && s->ifd >= 0) {
        char b[PATH_MAX + 8];
        fprintf(stderr, "vanban: cannot watch the folder %s: %s\n", shown(dir, b, sizeof b), strerror(errno));
    }
    s->ninputs++;
}

/* The inputs of a document (or, before any good render, the source alone), and the data file. */
static void
inputs_from(session_t *s, const vb_document_t *doc)
{
    if (!doc && s->ninputs)
        return; /* a failed render: keep watching what the last good one read */
    inputs_clear(s);
    input_add(s, s->src, false);
    if (s->data_path)
        input_add(s, s->data_path, false);
    if (doc) {
        const char *p;
        for (int i = 1; (p = vb_document_input(doc, i)); i++)
            input_add(s, p, i == 1);
    }
}

/* ------------------------------------------------------------ one render */

/* Each diagnostic printed (with its source line); an error's file is watched too (a broken profile). */
static void
watch_diag(const vb_diag_t *w, void *ctx)
{
    session_t *s = ctx;
    on_diagnostic(w, NULL);
#ifdef VB_SERVE
    serve_diag(s->server, w);
#endif
    if (w->severity != VB_SEVERITY_ERROR)
        return;
    s->nerrors++;
    if (w->source[0] && s->nerr_files < (int)(sizeof s->err_files / sizeof *s->err_files)) {
        for (int i = 0; i < s->nerr_files; i++)
            if (!strcmp(s->err_files[i], w->source))
                return;
        char *p = strdup(w->source);
        if (p)
            s->err_files[s->nerr_files++] = p;
    }
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Renders once; prints the line. Returns the status. */
static vb_status_t
render(session_t *s)
{
    vb_diag_t diag = {0};
    for (int i = 0; i < s->nerr_files; i++)
        free(s->err_files[i]);
    s->nerr_files = 0;
    s->nerrors = 0;
    forget_diag_sources(); /* the files may have changed since the last diagnostic */
    double t0 = now_ms();
    rendering = 1;
    vb_document_t *doc = NULL;
    vb_template_t *tpl = NULL;
    vb_status_t st;
    if (s->data_path) {
        vb_data_t *data = NULL;
        st = vb_template_new_file(s->engine, s->src, &s->ro, &tpl, &diag);
        if (st == VB_OK)
            st = vb_data_read_file(s->data_path, &data, &diag);
        if (st == VB_OK && s->row > vb_data_row_count(data)) {
            fprintf(stderr, "vanban: %s has %d rows, no row %ld\n", s->data_path, vb_data_row_count(data), s->row);
            st = VB_E_USAGE;
            s->nerrors++;
        } else if (st == VB_OK) {
            st = vb_template_document(tpl, data, (int)s->row - 1, &s->ro, &doc, &diag);
        }
        vb_data_free(data);
    } else {
        st = vb_document_new_file(s->engine, s->src, &s->ro, &doc, &diag);
    }
    if (st == VB_OK)
        st = vb_document_save(doc, s->out, &s->ro, &diag);
    rendering = 0;
    if (stop) {
        vb_document_free(doc);
        vb_template_free(tpl);
        return st;
    }
    double ms = now_ms() - t0;
    time_t wall = time(NULL);
    struct tm tm;
    localtime_r(&wall, &tm);
    char when[16];
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    s->renders++;
    if (st != VB_OK && !s->nerrors) /* the first error never came through on_diagnostic (a file unread) */
        watch_diag(&diag, s);
    /* the files watched from now on, before the line is printed: a change made on seeing it is not missed */
    inputs_from(s, st == VB_OK ? doc : NULL);
    for (int i = 0; st != VB_OK && i < s->nerr_files; i++)
        input_add(s, s->err_files[i], ends_with(s->err_files[i], ".yaml") || ends_with(s->err_files[i], ".yml"));
    if (st == VB_OK) {
        int pages = vb_document_page_count(doc);
        printf("%s rendered %s: %d page%s in %.1f ms\n", when, s->out, pages, pages == 1 ? "" : "s", ms);
    } else {
        printf("%s error: %s kept as it was; waiting for a change\n", when, s->out);
    }
    fflush(stdout);
    fflush(stderr);
    if (s->render_done)
        s->render_done(s->render_ctx, doc, st, ms);
    vb_document_free(doc);
    vb_template_free(tpl);
    return st;
}

/* ------------------------------------------------------------ the loop */

/*
 * Reads the pending events; returns 1 when one is about an input, 2 when
 * about the profile (a new engine needed), 0 otherwise. *complete: whether
 * the last event about an input was a file complete (closed after writing,
 * or renamed in); unchanged when none was about an input.
 */
static int
read_events(session_t *s, bool *complete)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int hit = 0;
    for (;;) {
        ssize_t n = read(s->ifd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                hit = hit > 1 ? hit : 1; /* events lost: render to be sure */
                continue;
            }
            if (!ev->len)
                continue;
            for (int i = 0; i < s->ninputs; i++)
                if (s->inputs[i].wd == ev->wd && !strcmp(s->inputs[i].base, ev->name)) {
                    int h = s->inputs[i].profile ? 2 : 1;
                    hit = h > hit ? h : hit;
                    *complete = (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0;
                }
        }
    }
    return hit;
}

static int
exit_status(vb_status_t st)
{
    switch (st) {
    case VB_OK:
        return 0;
    case VB_E_USAGE:
        return 2;
    case VB_E_IO:
    case VB_E_NOMEM:
    case VB_E_PDF:
        return 3;
    default:
        return 1;
    }
}

static int
new_engine(session_t *s)
{
    vb_diag_t diag = {0};
    vb_status_t st = vb_engine_new(&s->eo, &s->engine, &diag);
    if (st != VB_OK) {
        on_diagnostic(&diag, NULL);
        return exit_status(st);
    }
    return 0;
}

/* Whether the argument after --serve is its address (PORT, :PORT, HOST:PORT, [::1]...) rather than the source. */
static bool
looks_like_addr(const char *a)
{
    return a[0] != '-' && (strchr(a, ':') || strspn(a, "0123456789.") == strlen(a) || !strcasecmp(a, "localhost"));
}

int
vb_cmd_watch(int argc, char **argv)
{
    session_t s;
    memset(&s, 0, sizeof s);
    s.row = 1;
    s.ifd = -1;
    const char *profile = NULL, *layouts = NULL, *fonts = NULL;
    const char *allow[64];
    int nallow = 0;
    bool once = false, serve = false, overlay = false;
    const char *serve_addr = NULL;
    char sbuf[512];
    memset(&s.ro, 0, sizeof s.ro);
    s.ro.size = sizeof s.ro;
    const doc_opts_t dopt = {&profile, &layouts, &fonts, allow, &nallow, (int)(sizeof allow / sizeof *allow), &s.ro.allow_nonconforming, &s.ro.limits, "vanban"};
    int known; /* doc_option: 1 one of its options, -1 a wrong one */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(watch_usage, stdout);
            return 0;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
            s.out = argv[++i];
        } else if (!strcmp(a, "--data") && i + 1 < argc) {
            s.data_path = argv[++i];
        } else if (!strcmp(a, "--row") && i + 1 < argc) {
            char *end;
            errno = 0;
            s.row = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || s.row < 1 || s.row > 100000000) {
                fprintf(stderr, "vanban: --row takes a row number from 1, not '%s'\n",
                        shown(argv[i], sbuf, sizeof sbuf));
                return 2;
            }
        } else if (!strcmp(a, "--once")) {
            once = true;
        } else if (!strcmp(a, "--serve")) {
            serve = true;
            if (i + 1 < argc && looks_like_addr(argv[i + 1]))
                serve_addr = argv[++i];
        } else if (!strncmp(a, "--serve=", 8)) {
            serve = true;
            serve_addr = a + 8;
        } else if (!strcmp(a, "--overlay")) {
            overlay = true;
        } else if (!strcmp(a, "--greedy")) {
            s.ro.breaker = VB_BREAKER_GREEDY;
        } else if (!strcmp(a, "--duplex")) {
            s.ro.duplex = 1;
        } else if (!strcmp(a, "--no-sign-fields")) {
            s.ro.no_sign_fields = 1;
        } else if ((known = doc_option(argc, argv, &i, &dopt)) != 0) {
            if (known < 0)
                return 2;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vanban: unknown option '%s'\n%s", shown(a, sbuf, sizeof sbuf), watch_usage);
            return 2;
        } else if (!s.src) {
            s.src = a;
        } else {
            fprintf(stderr, "vanban: unexpected argument '%s'\n%s", shown(a, sbuf, sizeof sbuf), watch_usage);
            return 2;
        }
    }
    if (!s.src) {
        fprintf(stderr, "vanban: watch needs a source\n%s", watch_usage);
        return 2;
    }
    if (overlay && !serve) {
        fprintf(stderr, "vanban: --overlay goes with --serve (the boxes are drawn on the served page)\n");
        return 2;
    }
    if (serve && once) {
        fprintf(stderr, "vanban: --serve and --once do not go together (--serve serves until Ctrl-C)\n");
        return 2;
    }
#ifndef VB_SERVE
    if (serve) {
        /* the server is vanban-serve's (libmicrohttpd, cairo): it runs in this process's place */
        char **args = calloc((size_t)argc + 2, sizeof *args);
        if (!args) {
            fprintf(stderr, "vanban: out of memory\n");
            return 3;
        }
        args[0] = (char *)"vanban";
        for (int i = 0; i < argc; i++)
            args[i + 1] = argv[i];
        int rc = run_program(args, "vanban-serve");
        free(args);
        return rc;
    }
    (void)serve_addr;
#endif
    char outbuf[PATH_MAX];
    if (!s.out) {
        /* SRC.md -> SRC.pdf beside it */
        size_t n = strlen(s.src);
        const char *dot = strrchr(s.src, '.'), *slash = strrchr(s.src, '/');
        if (dot && (!slash || dot > slash + 1))
            n = (size_t)(dot - s.src);
        if (n + 5 > sizeof outbuf) {
            fprintf(stderr, "vanban: the source's name is too long; give -o OUT.pdf\n");
            return 2;
        }
        snprintf(outbuf, sizeof outbuf, "%.*s.pdf", (int)n, s.src);
        s.out = outbuf;
    }
    if (s.data_path && !strcmp(s.data_path, s.out)) {
        fprintf(stderr, "vanban: the PDF cannot be the data file\n");
        return 2;
    }
    int64_t epoch;
    if (!source_date_epoch(&epoch)) {
        fprintf(stderr, "vanban: SOURCE_DATE_EPOCH must be seconds since 1970 (digits, at most 253402300799), "
                "not '%s'\n", shown(getenv("SOURCE_DATE_EPOCH"), sbuf, sizeof sbuf));
        return 2;
    }
    s.ro.profile = profile;
    s.ro.creation_time = epoch;
    s.ro.on_tempfile = cli_tempfile;
    s.ro.on_diagnostic = watch_diag;
    s.ro.diagnostic_ctx = &s;
    s.ro.allow_dirs = allow;
    s.ro.nallow_dirs = nallow;
    show_diag_sources(true);

    char lbuf[4200];
    s.eo.size = sizeof s.eo;
    s.eo.layouts_dir = find_layouts(layouts, lbuf, sizeof lbuf);
    s.eo.fonts_dir = find_fonts(fonts);
    s.eo.on_diagnostic = on_diagnostic;

    int rc = 0;
#ifdef VB_SERVE
    if (serve) {
        /* first, so that an address refused is said at once; the page waits for the first render */
        if ((rc = serve_start(serve_addr, overlay, s.src, &s.server)) != 0)
            return rc;
        s.render_done = serve_render_done;
        s.render_ctx = s.server;
    }
#endif
    if (!rc)
        rc = new_engine(&s);
    if (!rc && pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "vanban: cannot make a pipe: %s\n", strerror(errno));
        vb_engine_free(s.engine);
        rc = 3;
    }
    if (rc) {
#ifdef VB_SERVE
        serve_stop(s.server);
#endif
        return rc;
    }
    catch_signals(on_signal);
    if (!once) {
        s.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (s.ifd < 0) {
            fprintf(stderr, "vanban: cannot watch files (inotify): %s\n", strerror(errno));
            rc = 3;
        }
    }
    if (!rc)
        inputs_from(&s, NULL); /* the source (and data) watched from before the first render */
    vb_status_t st = rc ? VB_OK : render(&s);
    if (once)
        rc = exit_status(st);
    while (!rc && !once && !stop) {
        struct pollfd pf[2] = {{.fd = s.ifd, .events = POLLIN}, {.fd = stop_pipe[0], .events = POLLIN}};
        if (poll(pf, 2, -1) < 0 && errno != EINTR) {
            fprintf(stderr, "vanban: poll: %s\n", strerror(errno));
            rc = 3;
            break;
        }
        if (stop)
            break;
        bool complete = false;
        int hit = read_events(&s, &complete);
        if (!hit)
            continue;
        /* a burst: wait until it is quiet (at most a second in all) */
        for (int waited = 0; waited < 1000 && !stop;) {
            int quiet = complete ? SETTLE_MS : DEBOUNCE_MS;
            if (poll(pf, 2, quiet) <= 0)
                break;
            waited += quiet;
            int h = read_events(&s, &complete);
            hit = h > hit ? h : hit;
        }
        if (stop)
            break;
        if (hit == 2) {
            /* the profile changed: the engine compiled it once; a new engine reads it again */
            vb_engine_free(s.engine);
            s.engine = NULL;
            if ((rc = new_engine(&s)) != 0)
                break;
        }
        render(&s);
    }
#ifdef VB_SERVE
    serve_stop(s.server);
#endif
    inputs_clear(&s);
    for (int i = 0; i < s.nerr_files; i++)
        free(s.err_files[i]);
    forget_diag_sources();
    if (s.ifd >= 0)
        close(s.ifd);
    vb_engine_free(s.engine);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    return rc;
}
