/*
 * test_tempfile.c - what a caller of the render API learns of the temporary
 * file (vb_render_options_t.on_tempfile), and the same-file refusal: the
 * name comes before the file exists, NULL comes once it is renamed or
 * removed, and nothing is left beside the output either way. Run from the
 * project root (ctest does), with tests/fonts.conf.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "vanban.h"

static const char doc[] = "---\n"
                          "issuer: X\n"
                          "number: 01-BC/X\n"
                          "place: Hà Nội\n"
                          "date: 2024-03-01\n"
                          "---\n"
                          "\n"
                          "Văn bản.\n";

typedef struct seen {
    int calls, named, nulls;
    int existed_when_named; /* the file was already there when its name was given: too late */
    char first[512];
    char last[512];         /* the last name given */
    bool null_last;
} seen_t;

static void
on_tempfile(const char *path, void *ctx)
{
    seen_t *s = ctx;
    s->calls++;
    s->null_last = path == NULL;
    if (!path) {
        s->nulls++;
        return;
    }
    struct stat st;
    s->existed_when_named += stat(path, &st) == 0;
    if (!s->named++)
        snprintf(s->first, sizeof s->first, "%s", path);
    snprintf(s->last, sizeof s->last, "%s", path);
}

static bool
exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Files in dir whose name starts with ".<base>." (temporary files of base). */
static int
temps_in(const char *dir, const char *base)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^\\.%s\\.' ", dir, base);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

int
main(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "no engine: %s\n", d.msg);
        return 1;
    }
    char dir[] = "/tmp/vb-tempfile-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[600], src[600];
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    snprintf(src, sizeof src, "%s/doc.md", dir);

    /* a good render: named before creation, NULL after the rename, nothing left but the PDF */
    vb_render_options_t o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.creation_time = 0; /* the document's date */
    seen_t s;
    memset(&s, 0, sizeof s);
    o.on_tempfile = on_tempfile;
    o.tempfile_ctx = &s;
    CHECK_INT(vb_render_buffer(e, doc, sizeof doc - 1, "doc.md", out, &o, &d), VB_OK);
    CHECK(s.named >= 1);
    CHECK_INT(s.existed_when_named, 0);
    CHECK(s.null_last);
    CHECK_INT(s.nulls, 1);
    CHECK(strncmp(s.first, dir, strlen(dir)) == 0 && strstr(s.first, "/.out.pdf.") != NULL);
    CHECK(!exists(s.last));
    CHECK(exists(out));
    CHECK_INT(temps_in(dir, "out.pdf"), 0);

    /* the output is a folder: refused (io.output-kind) before any work, so no temporary file is ever named */
    char sub[700];
    snprintf(sub, sizeof sub, "%s/sub.pdf", dir);
    CHECK(mkdir(sub, 0755) == 0);
    memset(&s, 0, sizeof s);
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_buffer(e, doc, sizeof doc - 1, "doc.md", sub, &o, &d), VB_E_IO);
    CHECK_STR(d.id, "io.output-kind");
    CHECK(s.named == 0 && s.nulls == 0);
    CHECK_INT(temps_in(dir, "sub.pdf"), 0);

    /*
     * an output name of 248 and of 255 bytes (NAME_MAX): ".name.XXXXXX" would
     * be 8 bytes longer, so the temporary name is cut to 255 and the render works
     */
    for (int blen = 248; blen <= 255; blen += 7) {
        char longout[900];
        int n = snprintf(longout, sizeof longout, "%s/", dir);
        memset(longout + n, 'a', (size_t)blen - 4);
        memcpy(longout + n + blen - 4, ".pdf", 5);
        memset(&s, 0, sizeof s);
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_render_buffer(e, doc, sizeof doc - 1, "doc.md", longout, &o, &d), VB_OK);
        CHECK(exists(longout));
        CHECK(s.named >= 1 && strlen(strrchr(s.first, '/') + 1) <= 255);
        CHECK(strncmp(strrchr(s.first, '/') + 1, ".aaaa", 5) == 0);
        CHECK(!exists(s.last));
        unlink(longout);
    }

    /* a render that fails before writing never names a file */
    memset(&s, 0, sizeof s);
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_buffer(e, "no front matter\n", 16, "bad.md", out, &o, &d), VB_E_INPUT);
    CHECK_INT(s.calls, 0);

    /* an older caller (no on_tempfile in its struct) is never called back, whatever lies past its size */
    vb_render_options_t old;
    memset(&old, 0, sizeof old);
    old.size = offsetof(vb_render_options_t, limits);
    old.creation_time = 0;
    old.on_tempfile = on_tempfile; /* past the size the caller claims: must not be used */
    old.tempfile_ctx = &s;
    memset(&s, 0, sizeof s);
    CHECK_INT(vb_render_buffer(e, doc, sizeof doc - 1, "doc.md", out, &old, &d), VB_OK);
    CHECK_INT(s.calls, 0);

    /* the output is the source, by its name or another: refused, the source untouched */
    FILE *f = fopen(src, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(doc, 1, sizeof doc - 1, f);
        fclose(f);
    }
    char alias[700];
    snprintf(alias, sizeof alias, "%s/../%s/doc.md", dir, strrchr(dir, '/') + 1);
    const char *outs[] = {src, alias};
    for (int i = 0; i < 2; i++) {
        memset(&s, 0, sizeof s);
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_render_file(e, src, outs[i], &o, &d), VB_E_IO);
        CHECK_STR(d.id, "io.same-file");
        CHECK_INT(s.calls, 0);
        struct stat st;
        CHECK(stat(src, &st) == 0 && st.st_size == (off_t)(sizeof doc - 1));
    }
    /* a hard link is the same file too */
    char link_path[700];
    snprintf(link_path, sizeof link_path, "%s/link.md", dir);
    CHECK(link(src, link_path) == 0);
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_file(e, src, link_path, &o, &d), VB_E_IO);
    CHECK_STR(d.id, "io.same-file");

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    vb_engine_free(e);
    return check_done();
}
