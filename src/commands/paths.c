/*
 * paths.c - what the vanban programs (vanban, vanban-sign, vanban-preview)
 * share: where they find the layout profiles and a user's fonts when the
 * command line does not say, and the exit status of a library status.
 */
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

static bool
is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
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
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(buf, size, "%s/../layouts", exe);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
            snprintf(buf, size, "%s/../share/vanban/layouts", exe); /* an installed tree, wherever it was put */
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
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
