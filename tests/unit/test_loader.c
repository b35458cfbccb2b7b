/*
 * test_loader.c - reading files and confining them (base.c): vb_file_read
 * opens only regular files and never waits on a FIFO; vb_loader_resolve keeps
 * a source's images and profile inside the allowed folders and says the same
 * of everything outside, existing or not; vb_diag_format escapes control
 * characters, so a file name cannot forge a diagnostic line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "check.h"

static char root[PATH_MAX]; /* the test's folder, as a real path */

static void
put(const char *rel, const char *text)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *
at(const char *rel)
{
    static char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    return p;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_read(void)
{
    vb_arena_t *a = vb_arena_new();
    char *buf;
    size_t len;
    vb_file_result_t fr;

    put("a.txt", "hello");
    CHECK(vb_file_read(a, at("a.txt"), 100, &buf, &len, &fr));
    CHECK_INT(len, 5);
    CHECK_STR(buf, "hello");
    CHECK(vb_file_read(NULL, at("a.txt"), 100, &buf, &len, &fr)); /* malloc'd */
    CHECK_STR(buf, "hello");
    free(buf);

    /* over max: refused from its size, nothing read */
    CHECK(!vb_file_read(a, at("a.txt"), 4, &buf, &len, &fr));
    CHECK_INT(fr.status, VB_FILE_TOO_LARGE);
    CHECK_INT(fr.size, 5);
    CHECK(buf == NULL);

    CHECK(!vb_file_read(a, at("none.txt"), 100, &buf, &len, &fr));
    CHECK_INT(fr.status, VB_FILE_ERRNO);
    CHECK_INT(fr.err, ENOENT);
    CHECK_STR(vb_file_why(&fr), strerror(ENOENT));

    CHECK(mkdir(at("dir"), 0755) == 0);
    CHECK(!vb_file_read(a, at("dir"), 100, &buf, &len, &fr));
    CHECK_INT(fr.status, VB_FILE_KIND);
    CHECK_STR(vb_file_why(&fr), "it is a directory, not a file");

    /* a FIFO with no writer: refused at once, never waited on */
    CHECK(mkfifo(at("fifo"), 0644) == 0);
    double t0 = now();
    CHECK(!vb_file_read(a, at("fifo"), 100, &buf, &len, &fr));
    CHECK(now() - t0 < 1.0);
    CHECK_INT(fr.status, VB_FILE_KIND);
    CHECK_STR(vb_file_why(&fr), "it is a FIFO (a named pipe), not a file");

    /* a device: never "has 9223372036854775807 bytes", never read for ever */
    CHECK(!vb_file_read(a, "/dev/zero", 100, &buf, &len, &fr));
    CHECK_INT(fr.status, VB_FILE_KIND);
    CHECK_STR(vb_file_why(&fr), "it is a device, not a file");
    CHECK(!vb_file_read(a, "/dev/null", INT64_MAX, &buf, &len, &fr));
    CHECK_STR(vb_file_why(&fr), "it is a device, not a file");

    /* a link to a regular file is read; one to a device is refused as the device */
    CHECK(symlink("a.txt", at("link.txt")) == 0);
    CHECK(vb_file_read(a, at("link.txt"), 100, &buf, &len, &fr));
    CHECK(symlink("/dev/zero", at("zero")) == 0);
    CHECK(!vb_file_read(a, at("zero"), 100, &buf, &len, &fr));
    CHECK_INT(fr.status, VB_FILE_KIND);
    vb_arena_free(a);
}

static void
test_within(void)
{
    CHECK(vb_path_within("/a/b", "/a"));
    CHECK(vb_path_within("/a", "/a"));
    CHECK(!vb_path_within("/ab", "/a"));
    CHECK(!vb_path_within("/a", "/a/b"));
    CHECK(vb_path_within("/x/y", "/"));
}

static int
resolve(const vb_loader_t *ld, const char *source, const char *name, char **real)
{
    static vb_arena_t *a;
    if (!a)
        a = vb_arena_new();
    int err = 0;
    *real = NULL;
    return (int)vb_loader_resolve(ld, source, name, a, real, &err);
}

static void
test_resolve(void)
{
    /* root/doc/x.md, root/doc/img.png, root/shared/s.png, root/layouts/p.yaml, links in doc */
    CHECK(mkdir(at("doc"), 0755) == 0);
    CHECK(mkdir(at("shared"), 0755) == 0);
    CHECK(mkdir(at("layouts"), 0755) == 0);
    put("doc/x.md", "---\n");
    put("doc/img.png", "png");
    put("shared/s.png", "png");
    put("layouts/p.yaml", "x: 1\n");
    put("secret.png", "secret");
    CHECK(symlink("/etc/passwd", at("doc/evil.png")) == 0);
    CHECK(symlink("../secret.png", at("doc/up.png")) == 0);
    CHECK(symlink("/nonexistent/a/b", at("doc/dangling")) == 0);
    CHECK(symlink("../shared", at("doc/sh")) == 0);
    CHECK(symlink("/etc", at("doc/etc")) == 0);

    char src[PATH_MAX + 64];
    snprintf(src, sizeof src, "%s", at("doc/x.md"));
    char layouts[PATH_MAX + 64], shared[PATH_MAX + 64];
    snprintf(layouts, sizeof layouts, "%s", at("layouts"));
    snprintf(shared, sizeof shared, "%s", at("shared"));
    const char *dirs1[] = {layouts};
    vb_loader_t ld = {dirs1, 1};
    char *real;

    CHECK_INT(resolve(&ld, src, "img.png", &real), VB_RES_INSIDE);
    CHECK_STR(real, at("doc/img.png"));
    CHECK_INT(resolve(&ld, src, "./img.png", &real), VB_RES_INSIDE);
    CHECK_INT(resolve(&ld, src, at("doc/img.png"), &real), VB_RES_INSIDE); /* absolute, but inside */
    CHECK_INT(resolve(&ld, src, "../layouts/p.yaml", &real), VB_RES_INSIDE);
    CHECK_INT(resolve(&ld, src, "missing.png", &real), VB_RES_MISSING);
    CHECK(real == NULL);

    /* outside: the same answer whether the file exists or not */
    CHECK_INT(resolve(&ld, src, "/etc/passwd", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "/etc/khong-co.yaml", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "../secret.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "../khong-co.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "../shared/s.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "../../../../../../../../etc/passwd", &real), VB_RES_OUTSIDE);
    /* links out of the folder, to a file, a missing file or a folder */
    CHECK_INT(resolve(&ld, src, "evil.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "up.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "dangling", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "dangling/x.png", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "etc/passwd", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "etc/khong-co", &real), VB_RES_OUTSIDE);
    CHECK_INT(resolve(&ld, src, "sh/s.png", &real), VB_RES_OUTSIDE);
    /* ".." is read by its letters: "etc/../img.png" is doc/img.png, never /img.png through the link */
    CHECK_INT(resolve(&ld, src, "etc/../img.png", &real), VB_RES_INSIDE);
    CHECK_STR(real, at("doc/img.png"));
    /* and a name through a folder outside cannot tell whether that folder exists */
    char probe[2 * PATH_MAX];
    snprintf(probe, sizeof probe, "/etc/khong-co/../..%s", at("doc/img.png"));
    CHECK_INT(resolve(&ld, src, probe, &real), VB_RES_INSIDE);
    snprintf(probe, sizeof probe, "/etc/../..%s", at("doc/img.png"));
    CHECK_INT(resolve(&ld, src, probe, &real), VB_RES_INSIDE);

    /* a folder the caller adds */
    const char *dirs2[] = {layouts, shared};
    vb_loader_t ld2 = {dirs2, 2};
    CHECK_INT(resolve(&ld2, src, "../shared/s.png", &real), VB_RES_INSIDE);
    CHECK_INT(resolve(&ld2, src, "sh/s.png", &real), VB_RES_INSIDE);
    CHECK_INT(resolve(&ld2, src, "../shared/none.png", &real), VB_RES_MISSING);
    CHECK_INT(resolve(&ld2, src, "../secret.png", &real), VB_RES_OUTSIDE);

    /* no loader: the source's folder only */
    CHECK_INT(resolve(NULL, src, "img.png", &real), VB_RES_INSIDE);
    CHECK_INT(resolve(NULL, src, "../layouts/p.yaml", &real), VB_RES_OUTSIDE);
}

static void
test_diag_escape(void)
{
    vb_diag_t d = {0};
    vb_diag_set(&d, VB_E_INPUT, "x.y", "a\nb.md: error: forged", 3, 4, "Bad \"%s\" here.", "t\tz\x1b");
    char buf[1200];
    vb_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "a\\nb.md: error: forged:3:4: error: Bad \"t\\tz\\x1B\" here. [x.y]");
    CHECK(strchr(buf, '\n') == NULL);
    vb_diag_format_warning(&d, buf, sizeof buf);
    CHECK(strchr(buf, '\n') == NULL && strstr(buf, ": warning: ") != NULL);
    /* letters beyond ASCII are kept as they are */
    d = (vb_diag_t){0};
    vb_diag_set(&d, VB_E_IO, "io.read", "văn bản.md", 0, 0, "Không đọc được.");
    vb_diag_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "văn bản.md: error: Không đọc được. [io.read]");
}

int
main(void)
{
    char tmpl[] = "/tmp/vb-loader-XXXXXX";
    if (!mkdtemp(tmpl) || !realpath(tmpl, root)) {
        perror("mkdtemp");
        return 1;
    }
    test_read();
    test_within();
    test_resolve();
    test_diag_escape();
    char cmd[PATH_MAX + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
    return check_done();
}
