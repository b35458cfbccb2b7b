/*
 * test_api.c - the public API of include/vanban.h, misuse included: NULL
 * arguments, pages, boxes and runs out of range, the options' size rule, a
 * reused vb_diag_t cleared by every call, a writer that fails, two documents
 * from one engine, the PDF in memory, through a writer and saved to a file
 * byte for byte the same, a document outliving its source buffer, two
 * threads writing one document's PDF at once, the version check.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "vanban.h"

static const char doc1[] = "---\n"
                           "issuer: X\n"
                           "number: 01-BC/X\n"
                           "place: Hà Nội\n"
                           "date: 2024-03-01\n"
                           "---\n"
                           "\n"
                           "Văn bản thứ nhất.\n";

/* two-sided printing asked of party-36-2018, which describes none: a warning (duplex.ignored) */
static const char doc2[] = "---\n"
                           "issuer: Y\n"
                           "number: 02-BC/Y\n"
                           "place: Huế\n"
                           "date: 2024-05-02\n"
                           "duplex: true\n"
                           "---\n"
                           "\n"
                           "Văn bản thứ hai, dài hơn một chút.\n";

static const char bad[] = "no front matter\n";

typedef struct buf {
    unsigned char *p;
    size_t n;
    int calls;
    int fail_at; /* the call that fails (1-based); 0: none */
} buf_t;

static int
to_buf(void *ctx, const void *data, size_t len)
{
    buf_t *b = ctx;
    if (++b->calls == b->fail_at)
        return -1;
    unsigned char *p = realloc(b->p, b->n + len);
    if (!p)
        return -1;
    memcpy(p + b->n, data, len);
    b->p = p;
    b->n += len;
    return 0;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

static bool
same(const void *a, size_t an, const void *b, size_t bn)
{
    return a && b && an == bn && memcmp(a, b, an) == 0;
}

static bool
contains(const void *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; hay && i + k <= n; i++)
        if (!memcmp((const char *)hay + i, needle, k))
            return true;
    return false;
}

typedef struct seen {
    int n;
    char ids[8][48];
} seen_t;

static void
on_diag(const vb_diag_t *d, void *ctx)
{
    seen_t *s = ctx;
    if (s->n < 8)
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", d->id);
    s->n++;
}

typedef struct thread_job {
    const vb_document_t *doc;
    void *pdf;
    size_t len;
    vb_status_t rc;
} thread_job_t;

static void *
write_in_thread(void *arg)
{
    thread_job_t *j = arg;
    vb_diag_t d;
    j->rc = vb_document_pdf(j->doc, &j->pdf, &j->len, &d);
    return NULL;
}

static void
test_version(void)
{
    CHECK(vb_version_check(1, 0));
    CHECK(!vb_version_check(2, 0));
    CHECK(!vb_version_check(1, 99));
    CHECK(!vb_version_check(0, 9));
    CHECK(VB_VERSION_OK());
    CHECK_INT(vb_version_number(), VB_VERSION_NUMBER);
    CHECK_INT(vb_version_number(), 10000);
    CHECK_STR(vb_version(), VB_VERSION_STRING);
    vb_free(NULL);
}

static void
test_null(vb_engine_t *e)
{
    vb_diag_t d;
    vb_document_t *doc = (vb_document_t *)&d; /* set to NULL by a failing call */
    CHECK_INT(vb_document_new(NULL, doc1, sizeof doc1 - 1, "a.md", NULL, &doc, &d), VB_E_USAGE);
    CHECK(doc == NULL);
    CHECK_STR(d.id, "usage");
    CHECK_INT(vb_document_new(e, NULL, 0, "a.md", NULL, &doc, &d), VB_E_USAGE);
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", NULL, NULL, &d), VB_E_USAGE);
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", NULL, NULL, NULL), VB_E_USAGE);
    CHECK_INT(vb_document_new_file(NULL, "samples/196-BC-DUK.md", NULL, &doc, &d), VB_E_USAGE);
    CHECK_INT(vb_document_new_file(e, NULL, NULL, &doc, &d), VB_E_USAGE);
    vb_document_free(NULL);
    CHECK_INT(vb_document_diag_count(NULL), 0);
    CHECK(vb_document_diag(NULL, 0) == NULL);
    CHECK(vb_document_profile(NULL) == NULL);
    CHECK_INT(vb_document_page_count(NULL), 0);
    vb_page_info_t pi;
    CHECK_INT(vb_document_page(NULL, 0, &pi), VB_E_USAGE);
    CHECK(vb_document_box(NULL, 0, 0) == NULL);
    vb_run_t r;
    CHECK_INT(vb_document_run(NULL, 0, 0, &r), VB_E_USAGE);
    CHECK_INT(vb_document_write_pdf(NULL, to_buf, NULL, &d), VB_E_USAGE);
    void *p = (void *)&d;
    size_t n = 1;
    CHECK_INT(vb_document_pdf(NULL, &p, &n, &d), VB_E_USAGE);
    CHECK(p == NULL && n == 0);
    CHECK_INT(vb_document_save(NULL, "x.pdf", NULL, &d), VB_E_USAGE);

    /* the dumps: a NULL engine, source or output is refused, never a crash */
    char *out = (char *)&d;
    size_t olen = 1;
    CHECK_INT(vb_dump_stage(NULL, doc1, sizeof doc1 - 1, "a.md", VB_STAGE_PAGES, NULL, &out, &olen, &d), VB_E_USAGE);
    CHECK(out == NULL && olen == 0);
    CHECK_STR(d.id, "usage");
    CHECK_INT(vb_dump_stage(NULL, doc1, sizeof doc1 - 1, "a.md", VB_STAGE_MODEL, NULL, &out, &olen, NULL), VB_E_USAGE);
    CHECK_INT(vb_dump_stage(e, NULL, 0, "a.md", VB_STAGE_PAGES, NULL, &out, &olen, &d), VB_E_USAGE);
    CHECK_INT(vb_dump_stage(e, doc1, sizeof doc1 - 1, "a.md", VB_STAGE_PAGES, NULL, NULL, NULL, &d), VB_E_USAGE);
    CHECK_INT(vb_dump_file(NULL, "samples/196-BC-DUK.md", VB_STAGE_PAGES, NULL, &out, &olen, &d), VB_E_USAGE);
    CHECK_INT(vb_dump_file(e, NULL, VB_STAGE_PAGES, NULL, &out, &olen, &d), VB_E_USAGE);
    CHECK_INT(vb_dump_file(e, "samples/196-BC-DUK.md", VB_STAGE_PAGES, NULL, NULL, NULL, &d), VB_E_USAGE);
    CHECK_INT(vb_render_file(NULL, "samples/196-BC-DUK.md", "x.pdf", NULL, &d), VB_E_USAGE);
    CHECK_INT(vb_render_buffer(NULL, doc1, sizeof doc1 - 1, "a.md", "x.pdf", NULL, &d), VB_E_USAGE);
    CHECK_INT(vb_engine_new(NULL, NULL, &d), VB_E_USAGE);

    /* a dump that works, freed with vb_free */
    CHECK_INT(vb_dump_stage(e, doc1, sizeof doc1 - 1, "a.md", VB_STAGE_PAGES, NULL, &out, &olen, &d), VB_OK);
    CHECK(out && olen > 0 && strlen(out) == olen && strstr(out, "\npage 1 "));
    vb_free(out);
}

static void
test_reused_diag(vb_engine_t *e, const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/reused.pdf", dir);
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_render_buffer(e, bad, sizeof bad - 1, "bad.md", path, NULL, &d), VB_E_INPUT);
    CHECK(d.code == VB_E_INPUT && d.id[0]);
    /* the same vb_diag_t, a call that succeeds: it no longer reports the earlier error */
    CHECK_INT(vb_render_buffer(e, doc1, sizeof doc1 - 1, "a.md", path, NULL, &d), VB_OK);
    CHECK_INT(d.code, VB_OK);
    CHECK_STR(d.id, "");
    CHECK_STR(d.msg, "");
    /* and a call that fails otherwise reports its own error, not the first */
    CHECK_INT(vb_render_buffer(e, bad, sizeof bad - 1, "bad.md", path, NULL, &d), VB_E_INPUT);
    CHECK_INT(vb_dump_stage(NULL, doc1, sizeof doc1 - 1, "a.md", VB_STAGE_PAGES, NULL, NULL, NULL, &d), VB_E_USAGE);
    CHECK_STR(d.id, "usage");
    vb_limits_t lim;
    memset(&lim, 0, sizeof lim);
    CHECK_INT(vb_limits_set(&lim, "pages", 10, &d), VB_OK);
    CHECK_INT(d.code, VB_OK);
    CHECK_INT(vb_limits_set(&lim, "no-such-limit", 10, &d), VB_E_USAGE);
    CHECK_STR(d.id, "limit.unknown");
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", NULL, &doc, &d), VB_OK);
    CHECK_INT(d.code, VB_OK);
    void *p = NULL;
    size_t n = 0;
    CHECK_INT(vb_document_save(doc, "/nonexistent-folder/x.pdf", NULL, &d), VB_E_IO);
    CHECK_INT(vb_document_pdf(doc, &p, &n, &d), VB_OK);
    CHECK_INT(d.code, VB_OK);
    vb_free(p);
    vb_document_free(doc);
}

static void
test_options(vb_engine_t *e)
{
    vb_diag_t d;
    vb_document_t *doc = NULL;

    /* larger than the library's struct, the unknown tail 0: accepted */
    struct {
        vb_render_options_t o;
        char tail[32];
    } big;
    memset(&big, 0, sizeof big);
    big.o.size = sizeof big;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &big.o, &doc, &d), VB_OK);
    vb_document_free(doc);
    /* ... with a byte of the unknown tail set: refused */
    big.tail[20] = 1;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &big.o, &doc, &d), VB_E_USAGE);
    CHECK_STR(d.id, "options.size");
    CHECK(doc == NULL);
    char path[64] = "/tmp/vb-api-never.pdf";
    CHECK_INT(vb_render_buffer(e, doc1, sizeof doc1 - 1, "a.md", path, &big.o, &d), VB_E_USAGE);
    struct stat st;
    CHECK(stat(path, &st) != 0);

    /* size 0 with a field set: refused; every field 0: every default */
    vb_render_options_t o;
    memset(&o, 0, sizeof o);
    o.duplex = 1;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &o, &doc, &d), VB_E_USAGE);
    CHECK_STR(d.id, "options.size");
    memset(&o, 0, sizeof o);
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &o, &doc, &d), VB_OK);
    CHECK_STR(vb_document_profile(doc), "party-36-2018");
    /* the files it was made from: the source's name, the profile file; no image */
    CHECK_STR(vb_document_input(doc, 0), "a.md");
    CHECK_STR(vb_document_input(doc, 1), "layouts/party-36-2018.yaml");
    CHECK(vb_document_input(doc, 2) == NULL);
    CHECK(vb_document_input(doc, -1) == NULL);
    CHECK(vb_document_input(NULL, 0) == NULL);
    /* creation_time 0: the document's own date (2024-03-01, Vietnam time), not 1970 */
    void *pdf = NULL;
    size_t n = 0;
    CHECK_INT(vb_document_pdf(doc, &pdf, &n, &d), VB_OK);
    CHECK(contains(pdf, n, "D:20240301"));
    CHECK(!contains(pdf, n, "D:1970"));
    vb_free(pdf);
    vb_document_free(doc);

    /* a smaller (older) struct: only its prefix is read; what lies past it is never used */
    memset(&o, 0, sizeof o);
    o.size = offsetof(vb_render_options_t, duplex);
    o.creation_time = 86400 * 365; /* inside the prefix: used */
    o.profile = "party-05-2026";
    o.durable = 12345;             /* past it: ignored */
    o.on_diagnostic = (vb_diag_fn)(uintptr_t)1; /* past it: would crash if called */
    CHECK_INT(vb_document_new(e, doc2, sizeof doc2 - 1, "b.md", &o, &doc, &d), VB_OK);
    CHECK_STR(vb_document_profile(doc), "party-05-2026");
    CHECK_INT(vb_document_pdf(doc, &pdf, &n, &d), VB_OK);
    CHECK(contains(pdf, n, "D:19710101"));
    vb_free(pdf);
    vb_document_free(doc);

    /* VB_TIME_EPOCH: 1970 itself */
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.creation_time = VB_TIME_EPOCH;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &o, &doc, &d), VB_OK);
    CHECK_INT(vb_document_pdf(doc, &pdf, &n, &d), VB_OK);
    CHECK(contains(pdf, n, "D:19700101000000"));
    vb_free(pdf);
    vb_document_free(doc);

    /* the engine's options follow the same rule */
    struct {
        vb_engine_options_t o;
        char tail[16];
    } ebig;
    memset(&ebig, 0, sizeof ebig);
    ebig.o.size = sizeof ebig;
    ebig.o.layouts_dir = "layouts";
    vb_engine_t *e2 = NULL;
    CHECK_INT(vb_engine_new(&ebig.o, &e2, &d), VB_OK);
    vb_engine_free(e2);
    ebig.tail[3] = 7;
    e2 = (vb_engine_t *)&d;
    CHECK_INT(vb_engine_new(&ebig.o, &e2, &d), VB_E_USAGE);
    CHECK_STR(d.id, "options.size");
    CHECK(e2 == NULL);
    vb_engine_options_t eo;
    memset(&eo, 0, sizeof eo);
    eo.layouts_dir = "layouts";
    CHECK_INT(vb_engine_new(&eo, &e2, &d), VB_E_USAGE);
    CHECK(e2 == NULL);
}

static void
test_documents(vb_engine_t *e, const char *dir)
{
    vb_diag_t d;
    seen_t seen;
    memset(&seen, 0, sizeof seen);
    vb_render_options_t o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.on_diagnostic = on_diag;
    o.diagnostic_ctx = &seen;

    /* two documents from one engine, the second from a buffer freed before it is written */
    vb_document_t *a = NULL, *b = NULL;
    CHECK_INT(vb_document_new(e, doc1, sizeof doc1 - 1, "a.md", &o, &a, &d), VB_OK);
    CHECK_INT(vb_document_diag_count(a), 0);
    CHECK(vb_document_diag(a, 0) == NULL);
    char *src = malloc(sizeof doc2);
    memcpy(src, doc2, sizeof doc2);
    char *name = strdup("b.md");
    CHECK_INT(vb_document_new(e, src, sizeof doc2 - 1, name, &o, &b, &d), VB_OK);
    memset(src, 'x', sizeof doc2);
    free(src);
    memset(name, 'y', 4);
    free(name);
    if (!a || !b)
        return;

    /* b's warning: kept by the document and passed to on_diagnostic */
    CHECK_INT(seen.n, 1);
    CHECK_STR(seen.ids[0], "duplex.ignored");
    CHECK_INT(vb_document_diag_count(b), 1);
    const vb_diag_t *w = vb_document_diag(b, 0);
    CHECK(w != NULL);
    if (w) {
        CHECK_STR(w->id, "duplex.ignored");
        CHECK_INT(w->severity, VB_SEVERITY_WARNING);
        CHECK_STR(w->source, "b.md");
    }
    CHECK(vb_document_diag(b, 1) == NULL);
    CHECK(vb_document_diag(b, -1) == NULL);

    /* pages and runs; out of range refused */
    CHECK_INT(vb_document_page_count(a), 1);
    vb_page_info_t pi;
    CHECK_INT(vb_document_page(a, 0, &pi), VB_OK);
    CHECK_INT(pi.width, 595276);
    CHECK_INT(pi.height, 841890);
    CHECK(pi.nruns > 3);
    CHECK_INT(vb_document_page(a, 1, &pi), VB_E_USAGE);
    CHECK_INT(vb_document_page(a, -1, &pi), VB_E_USAGE);
    CHECK_INT(vb_document_page(a, 0, NULL), VB_E_USAGE);
    vb_document_page(a, 0, &pi);
    bool found = false;
    for (int i = 0; i < pi.nruns; i++) {
        vb_run_t r;
        CHECK_INT(vb_document_run(a, 0, i, &r), VB_OK);
        CHECK(r.text && r.text_len > 0 && r.nglyphs > 0 && r.size > 0 && r.width > 0);
        CHECK(r.font && !strncmp(r.font, "Liberation Serif", 16));
        CHECK(r.x >= 0 && r.x + r.width <= pi.width && r.y > 0 && r.y < pi.height);
        if (contains(r.text, r.text_len, "Văn bản thứ nhất."))
            found = true;
    }
    CHECK(found);
    vb_run_t r;
    CHECK_INT(vb_document_run(a, 0, pi.nruns, &r), VB_E_USAGE);
    CHECK_INT(vb_document_run(a, 0, -1, &r), VB_E_USAGE);
    CHECK_INT(vb_document_run(a, 1, 0, &r), VB_E_USAGE);
    CHECK_INT(vb_document_run(a, 0, 0, NULL), VB_E_USAGE);
    CHECK(vb_document_box(a, 0, pi.nboxes) == NULL);
    CHECK(vb_document_box(a, 0, -1) == NULL);
    CHECK(vb_document_box(a, 5, 0) == NULL);
    CHECK(vb_document_profile(a) && vb_document_profile(b));

    /* the PDF in memory, through a writer and saved to a file: the same bytes */
    void *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    CHECK_INT(vb_document_pdf(a, &pa, &na, &d), VB_OK);
    CHECK_INT(vb_document_pdf(b, &pb, &nb, &d), VB_OK);
    CHECK(na > 1000 && nb > 1000 && !same(pa, na, pb, nb));
    CHECK(pa && !memcmp(pa, "%PDF-", 5));
    buf_t wb = {0};
    CHECK_INT(vb_document_write_pdf(b, to_buf, &wb, &d), VB_OK);
    CHECK(same(wb.p, wb.n, pb, nb));
    char path[600];
    snprintf(path, sizeof path, "%s/b.pdf", dir);
    CHECK_INT(vb_document_save(b, path, NULL, &d), VB_OK);
    size_t fn = 0;
    unsigned char *fp = slurp(path, &fn);
    CHECK(same(fp, fn, pb, nb));
    free(fp);
    /* durable: the same bytes, flushed */
    o.durable = 1;
    CHECK_INT(vb_document_save(b, path, &o, &d), VB_OK);
    fp = slurp(path, &fn);
    CHECK(same(fp, fn, pb, nb));
    free(fp);
    /* vb_render_buffer gives the same file as new + save */
    char path2[600];
    snprintf(path2, sizeof path2, "%s/a.pdf", dir);
    CHECK_INT(vb_render_buffer(e, doc1, sizeof doc1 - 1, "a.md", path2, NULL, &d), VB_OK);
    fp = slurp(path2, &fn);
    CHECK(same(fp, fn, pa, na));
    free(fp);

    /* a writer that fails: io.write, and the document writes whole again afterwards */
    buf_t fb = {0};
    fb.fail_at = 1;
    CHECK_INT(vb_document_write_pdf(b, to_buf, &fb, &d), VB_E_IO);
    CHECK_STR(d.id, "io.write");
    CHECK_INT(fb.calls, 1);
    free(fb.p);
    free(wb.p);
    memset(&wb, 0, sizeof wb);
    CHECK_INT(vb_document_write_pdf(b, to_buf, &wb, &d), VB_OK);
    CHECK(wb.calls >= 1 && same(wb.p, wb.n, pb, nb));
    free(wb.p);

    /* two threads writing one document's PDF at once: both whole, both the same bytes */
    thread_job_t j[2] = {{.doc = b}, {.doc = b}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, write_in_thread, &j[i]);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(j[i].rc, VB_OK);
        CHECK(same(j[i].pdf, j[i].len, pb, nb));
        vb_free(j[i].pdf);
    }

    vb_free(pa);
    vb_free(pb);
    vb_document_free(a);
    vb_document_free(b);
}

static void
test_boxes(vb_engine_t *e)
{
    vb_diag_t d;
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new_file(e, "samples/party36/cong-van.md", NULL, &doc, &d), VB_OK);
    if (!doc)
        return;
    int nsig = 0;
    for (int p = 0; p < vb_document_page_count(doc); p++) {
        vb_page_info_t pi;
        CHECK_INT(vb_document_page(doc, p, &pi), VB_OK);
        for (int i = 0; i < pi.nboxes; i++) {
            const vb_box_t *bx = vb_document_box(doc, p, i);
            CHECK(bx != NULL);
            if (bx && bx->kind == VB_BOX_SIGNATURE) {
                CHECK_STR(bx->name, "signature");
                CHECK_INT(bx->index, nsig);
                CHECK(bx->w > 0 && bx->h > 0 && bx->x >= 0 && bx->x + bx->w <= pi.width);
                nsig++;
            }
        }
    }
    CHECK_INT(nsig, 1);
    vb_document_free(doc);

    /* the seed report's PDF is written in more than one chunk: a writer failing at the second */
    CHECK_INT(vb_document_new_file(e, "samples/196-BC-DUK.md", NULL, &doc, &d), VB_OK);
    buf_t all = {0}, fb = {0};
    CHECK_INT(vb_document_write_pdf(doc, to_buf, &all, &d), VB_OK);
    CHECK(all.calls >= 2);
    fb.fail_at = 2;
    CHECK_INT(vb_document_write_pdf(doc, to_buf, &fb, &d), VB_E_IO);
    CHECK_STR(d.id, "io.write");
    CHECK_INT(fb.calls, 2);
    free(fb.p);
    free(all.p);
    memset(&all, 0, sizeof all);
    void *mem = NULL;
    size_t mlen = 0;
    CHECK_INT(vb_document_write_pdf(doc, to_buf, &all, &d), VB_OK);
    CHECK_INT(vb_document_pdf(doc, &mem, &mlen, &d), VB_OK);
    CHECK(same(all.p, all.n, mem, mlen));
    free(all.p);
    vb_free(mem);
    vb_document_free(doc);
    /* a source that cannot be read: io.read, no document */
    doc = (vb_document_t *)&d;
    CHECK_INT(vb_document_new_file(e, "samples/no-such-file.md", NULL, &doc, &d), VB_E_IO);
    CHECK(doc == NULL);
}

int
main(void)
{
    test_version();
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d;
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "no engine: %s\n", d.msg);
        return 1;
    }
    char dir[] = "/tmp/vb-api-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    test_null(e);
    test_reused_diag(e, dir);
    test_options(e);
    test_documents(e, dir);
    test_boxes(e);
    vb_engine_free(e);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
