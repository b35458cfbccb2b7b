/*
 * paths.c - what the vanban programs (vanban, vanban-sign, vanban-preview,
 * vanban-serve) share: where they find the layout profiles and a user's fonts
 * when the command line does not say, the exit status of a library status,
 * the language of the messages, and the options every command that reads a
 * document takes (doc_option: one parser for render, check, watch, batch and
 * preview).
 */
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"

#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif
#ifndef VB_LOCALEDIR
#define VB_LOCALEDIR "/usr/local/share/locale"
#endif

static bool
is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running program (/proc/self/exe) into dir; false when it cannot be read. */
static bool
exe_dir(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0)
        return false;
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = 0;
    return true;
}

/* The layouts folder: --layouts, $VANBAN_LAYOUTS, ./layouts, next to the binary's source tree, installed. */
static const char *
layouts_dir(const char *opt, char *buf, size_t size)
{
    if (opt)
        return opt;
    const char *env = getenv("VANBAN_LAYOUTS");
    if (env && *env)
        return env;
    if (is_dir("layouts"))
        return "layouts";
    char exe[4096];
    if (exe_dir(exe, sizeof exe)) {
        struct stat st;
        snprintf(buf, size, "%s/../layouts", exe);
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
            return buf;
        snprintf(buf, size, "%s/../share/vanban/layouts", exe); /* an installed tree, wherever it was put */
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
            return buf;
    }
    snprintf(buf, size, "%s/layouts", VB_DATADIR);
    return buf;
}

const char *
find_layouts(const char *opt, char *buf, size_t size)
{
    return layouts_dir(opt, buf, size);
}

const char *
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
cli_exit_code(vb_status_t st)
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

/* "vi", "vi_VN", "vi_VN.UTF-8", "vi@x", "vi:en": a locale or language list that names Vietnamese first. */
static bool
names_vi(const char *s)
{
    return s && s[0] == 'v' && s[1] == 'i' && (!s[2] || s[2] == '_' || s[2] == '.' || s[2] == '@' || s[2] == ':');
}

/*
 * The catalogues (LOCALEDIR/vi/LC_MESSAGES/vanban.mo): the build tree's
 * locale/ beside the binary, an installed tree's share/locale beside its
 * bin/, then the prefix's.
 */
static const char *
locale_dir(char *buf, size_t size)
{
    char exe[4096];
    if (exe_dir(exe, sizeof exe)) {
        snprintf(buf, size, "%s/locale/vi/LC_MESSAGES/vanban.mo", exe);
        if (access(buf, R_OK) == 0) {
            snprintf(buf, size, "%s/locale", exe);
            return buf;
        }
        snprintf(buf, size, "%s/../share/locale/vi/LC_MESSAGES/vanban.mo", exe);
        if (access(buf, R_OK) == 0) {
            snprintf(buf, size, "%s/../share/locale", exe);
            return buf;
        }
    }
    return VB_LOCALEDIR;
}

bool
cli_messages(int argc, char **argv)
{
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            lang = argv[i + 1];
        else if (!strncmp(argv[i], "--lang=", 7))
            lang = argv[i] + 7;
    }
    bool vi;
    if (lang) {
        vi = names_vi(lang);
    } else {
        /* as gettext reads them: LANGUAGE first, then LC_ALL, LC_MESSAGES, LANG */
        const char *l = getenv("LANGUAGE");
        if (!l || !*l) {
            static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
            l = NULL;
            for (int i = 0; i < 3 && !l; i++) {
                const char *v = getenv(vars[i]);
                l = v && *v ? v : NULL;
            }
        }
        vi = names_vi(l);
    }
    if (!vi)
        return false; /* English, the messages as written: no locale is loaded, nothing is bound */
    /*
     * gettext follows LANGUAGE unless the messages' locale is "C": the user's
     * locale when it is installed, else C.UTF-8 (built into glibc), so that a
     * machine without vi_VN.UTF-8 generated still speaks Vietnamese.
     */
    setenv("LANGUAGE", "vi", 1);
    const char *got = setlocale(LC_MESSAGES, "");
    if (!got || !strcmp(got, "C") || !strcmp(got, "POSIX"))
        if (!setlocale(LC_MESSAGES, "C.UTF-8"))
            setlocale(LC_MESSAGES, "vi_VN.UTF-8");
    char buf[4200];
    bindtextdomain("vanban", locale_dir(buf, sizeof buf));
    bind_textdomain_codeset("vanban", "UTF-8");
    /* the C library's own messages (strerror) in UTF-8 too: with LC_CTYPE "C" they would come as "Kh?ng c? t?p" */
    bind_textdomain_codeset("libc", "UTF-8");
    return true;
}

/* "--limit NAME=N": N a whole number. Prints the problem and returns false on a bad one. */
bool
parse_limit(vb_limits_t *lim, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[64];
    int64_t v = 0;
    bool ok = eq && eq > arg && (size_t)(eq - arg) < sizeof name && eq[1];
    for (const char *p = eq ? eq + 1 : ""; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9' && v <= (INT64_MAX - 9) / 10;
        v = v * 10 + (*p - '0');
    }
    if (!ok) {
        char b[256];
        fprintf(stderr, vb_tr_cli("vanban: --limit wants NAME=N with N a whole number, not '%s'\n"), shown(arg, b, sizeof b));
        return false;
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = 0;
    vb_diag_t d = {0};
    if (vb_limits_set(lim, name, v, &d) != VB_OK) {
        char m[sizeof d.msg * 4];
        fprintf(stderr, vb_tr_cli("vanban: %s\n"), shown(d.msg, m, sizeof m));
        return false;
    }
    return true;
}

int
doc_option(int argc, char **argv, int *i, const doc_opts_t *o)
{
    const char *a = argv[*i];
    bool has = *i + 1 < argc;
    const char **to = !has                         ? NULL
                      : !strcmp(a, "--profile")   ? o->profile
                      : !strcmp(a, "--layouts")   ? o->layouts
                      : !strcmp(a, "--fonts")     ? o->fonts
                                                  : NULL;
    if (to) {
        *to = argv[++*i];
        return 1;
    }
    if (!strcmp(a, "--allow-dir") && has) {
        if (*o->nallow == o->max_allow) {
            fprintf(stderr, vb_tr_cli("%s: --allow-dir may be given at most %d times\n"), o->prog, o->max_allow);
            return -1;
        }
        o->allow[(*o->nallow)++] = argv[++*i];
        return 1;
    }
    if (!strcmp(a, "--allow-nonconforming")) {
        *o->nonconforming = 1;
        return 1;
    }
    if (o->limits && ((!strcmp(a, "--limit") && has) || !strncmp(a, "--limit=", 8)))
        return parse_limit(o->limits, a[7] == '=' ? a + 8 : argv[++*i]) ? 1 : -1;
    return 0;
}

/*
 * An argument echoed in a message, with its control characters escaped (as
 * the library's diagnostics do): one message, one line. Into buf (the text is
 * cut to fit).
 */
const char *
shown(const char *arg, char *buf, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(arg ? arg : ""); *p && o + 5 < size; p++) {
        if (*p >= 0x20 && *p != 0x7F)
            buf[o++] = (char)*p;
        else
            o += (size_t)snprintf(buf + o, size - o, *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : "\\x%02X", *p);
    }
    buf[o] = 0;
    return buf;
}

/*
 * The temporary PDF of the render in progress, for a signal handler. The
 * library installs no handler; it tells us the name (cli_tempfile, its
 * on_tempfile) before it creates the file and NULL once the file is renamed
 * or removed, and the handler removes it (cli_unlink_temp) if a signal ends
 * the render. Only async-signal-safe calls run in the handler. One program
 * renders one file at a time here (batch keeps one a worker: batch.c).
 */
static char temp_path[4096];
static volatile sig_atomic_t temp_set;

void
cli_tempfile(const char *path, void *ctx)
{
    (void)ctx;
    temp_set = 0;
    atomic_signal_fence(memory_order_seq_cst);
    size_t n = path ? strlen(path) : 0;
    if (path && n < sizeof temp_path) {
        memcpy(temp_path, path, n + 1);
        atomic_signal_fence(memory_order_seq_cst); /* the name is whole before the handler may use it */
        temp_set = 1;
    }
}

void
cli_unlink_temp(void)
{
    if (temp_set)
        unlink(temp_path);
}
