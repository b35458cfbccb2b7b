/*
 * test_png.c - vb_document_png (api/docpng.c, output/raster.c): misuse, the
 * image's size at a resolution, a writer that refuses, and two threads
 * drawing pages of one document at once (the same bytes as one at a time).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vanban.h"

typedef struct membuf {
    unsigned char *p;
    size_t len, cap;
    size_t fail_after; /* refuse once this many bytes were taken (0: never) */
} membuf_t;

static int
mem_write(void *ctx, const void *data, size_t len)
{
    membuf_t *m = ctx;
    if (m->fail_after && m->len + len > m->fail_after)
        return -1;
    if (m->len + len > m->cap) {
        size_t cap = (m->len + len) * 2;
        unsigned char *np = realloc(m->p, cap);
        if (!np)
            return -1;
        m->p = np;
        m->cap = cap;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return 0;
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct job {
    const vb_document_t *doc;
    int page;
    membuf_t out;
    vb_status_t st;
} job_t;

static void *
draw(void *arg)
{
    job_t *j = arg;
    for (int k = 0; k < 2; k++) {
        j->out.len = 0;
        j->st = vb_document_png(j->doc, j->page, 72, mem_write, &j->out, NULL);
    }
    return NULL;
}

int
main(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d = {0};
    CHECK_INT(vb_engine_new(&eo, &e, &d), VB_OK);
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new_file(e, "samples/196-BC-DUK.md", NULL, &doc, &d), VB_OK);
    if (!doc)
        return check_done();
    int npages = vb_document_page_count(doc);
    CHECK(npages > 2);

    membuf_t m = {0};
    /* misuse */
    CHECK_INT(vb_document_png(NULL, 0, 72, mem_write, &m, &d), VB_E_USAGE);
    CHECK_INT(vb_document_png(doc, 0, 72, NULL, &m, &d), VB_E_USAGE);
    CHECK_INT(vb_document_png(doc, -1, 72, mem_write, &m, &d), VB_E_USAGE);
    CHECK_INT(vb_document_png(doc, npages, 72, mem_write, &m, &d), VB_E_USAGE);
    CHECK_STR(d.id, "png.page");
    CHECK_INT(vb_document_png(doc, 0, VB_PNG_DPI_MIN - 1, mem_write, &m, &d), VB_E_USAGE);
    CHECK_STR(d.id, "png.dpi");
    CHECK_INT(vb_document_png(doc, 0, VB_PNG_DPI_MAX + 1, mem_write, &m, NULL), VB_E_USAGE);
    CHECK_INT(vb_document_png(doc, 0, -96, mem_write, &m, &d), VB_E_USAGE);
    CHECK_INT((long long)m.len, 0); /* nothing written by a refused call */

    /* dpi 0: the default, 96; A4 rounded up to whole pixels */
    CHECK_INT(vb_document_png(doc, 0, 0, mem_write, &m, &d), VB_OK);
    CHECK(m.len > 33 && memcmp(m.p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(m.p + 12, "IHDR", 4) == 0);
    if (m.len > 33) {
        CHECK_INT(be32(m.p + 16), 794);
        CHECK_INT(be32(m.p + 20), 1123);
        CHECK_INT(m.p[24], 8); /* bit depth */
        CHECK_INT(m.p[25], 2); /* RGB */
    }
    /* the same call gives the same bytes */
    membuf_t m2 = {0};
    CHECK_INT(vb_document_png(doc, 0, 96, mem_write, &m2, &d), VB_OK);
    CHECK(m2.len == m.len && memcmp(m2.p, m.p, m.len) == 0);
    free(m2.p);

    /* a writer that refuses, at once and half-way */
    size_t whole = m.len;
    for (int k = 0; k < 2; k++) {
        membuf_t f = {0};
        f.fail_after = k == 0 ? 1 : whole / 2;
        memset(&d, 0, sizeof d);
        CHECK_INT(vb_document_png(doc, 0, 96, mem_write, &f, &d), VB_E_IO);
        CHECK_STR(d.id, "io.write");
        free(f.p);
    }

    /* two threads, two pages, each drawn twice: the bytes of a lone call */
    job_t jobs[2] = {{doc, 1, {0}, VB_OK}, {doc, 2, {0}, VB_OK}};
    membuf_t alone[2] = {{0}, {0}};
    for (int i = 0; i < 2; i++)
        CHECK_INT(vb_document_png(doc, jobs[i].page, 72, mem_write, &alone[i], NULL), VB_OK);
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_create(&th[i], NULL, draw, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        CHECK_INT(jobs[i].st, VB_OK);
        CHECK(jobs[i].out.len == alone[i].len && alone[i].len > 0 &&
              memcmp(jobs[i].out.p, alone[i].p, alone[i].len) == 0);
        free(jobs[i].out.p);
        free(alone[i].p);
    }
    free(m.p);
    vb_document_free(doc);
    vb_engine_free(e);
    return check_done();
}
