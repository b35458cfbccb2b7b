/*
 * two_documents.c - libvanban in a program: one engine, two documents laid
 * out from sources held in memory, their pages, boxes and warnings read, and
 * their PDFs written (one from memory, one through a writer callback).
 *
 *   cc two_documents.c $(pkg-config --cflags --libs vanban) -o two_documents
 *   ./two_documents [LAYOUTS_DIR [OUT_DIR]]
 *
 * LAYOUTS_DIR: the profiles (default: the installed ones); OUT_DIR: where
 * a.pdf and b.pdf go (default: the working directory). Exit 0 on success.
 * It uses include/vanban.h only.
 */
#include <stdio.h>
#include <string.h>

#include <vanban.h>

static const char report[] = "---\n"
                             "issuer: ĐẢNG ỦY KHỐI CƠ QUAN TỈNH\n"
                             "number: 12-BC/ĐUK\n"
                             "place: Thanh Hoá\n"
                             "date: 2024-03-01\n"
                             "kind: BÁO CÁO\n"
                             "title: kết quả công tác quý I\n"
                             "signer: {authority: T/M ĐẢNG ỦY, post: BÍ THƯ, name: Trần Văn Hải}\n"
                             "recipients: [Ban Thường vụ Tỉnh ủy, Lưu VP]\n"
                             "---\n"
                             "\n"
                             "## Tình hình chung\n"
                             "\n"
                             "Trong quý I, các chi bộ đã tổ chức sinh hoạt định kỳ đầy đủ.\n";

/* Two-sided printing asked of a profile that has none: a warning, and the document is still made. */
static const char letter[] = "---\n"
                             "issuer: VĂN PHÒNG\n"
                             "number: 07-CV/VP\n"
                             "place: Hà Nội\n"
                             "date: 2024-05-02\n"
                             "duplex: true\n"
                             "---\n"
                             "\n"
                             "Kính gửi các đồng chí thông báo này.\n";

/* Receives every diagnostic as it is found (the library never prints). */
static void
on_diagnostic(const vb_diag_t *d, void *ctx)
{
    char line[1200];
    vb_diag_format_warning(d, line, sizeof line);
    fprintf(stderr, "[%s] %s\n", (const char *)ctx, line);
}

/* A writer: the PDF's bytes arrive in chunks; 0 means "go on". */
static int
to_file(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

/* Prints what a document holds: its profile, pages, boxes and first run. */
static void
describe(const char *name, const vb_document_t *doc)
{
    printf("%s: profile %s, %d page(s), %d warning(s)\n", name, vb_document_profile(doc),
           vb_document_page_count(doc), vb_document_diag_count(doc));
    for (int i = 0; i < vb_document_diag_count(doc); i++)
        printf("  warning [%s] %s\n", vb_document_diag(doc, i)->id, vb_document_diag(doc, i)->msg);
    for (int p = 0; p < vb_document_page_count(doc); p++) {
        vb_page_info_t page;
        if (vb_document_page(doc, p, &page) != VB_OK)
            continue;
        printf("  page %d: %.1f x %.1f pt, %d runs, %d boxes\n", p + 1, page.width / 1000.0, page.height / 1000.0,
               page.nruns, page.nboxes);
        for (int b = 0; b < page.nboxes; b++) {
            const vb_box_t *box = vb_document_box(doc, p, b);
            printf("    box %s (kind %d) at %.1f, %.1f pt, %.1f x %.1f pt\n", box->name, (int)box->kind,
                   box->x / 1000.0, box->y / 1000.0, box->w / 1000.0, box->h / 1000.0);
        }
        vb_run_t run;
        if (page.nruns > 0 && vb_document_run(doc, p, 0, &run) == VB_OK)
            printf("    first run \"%.*s\" in %s %.1f pt\n", (int)run.text_len, run.text, run.font ? run.font : "?",
                   run.size / 1000.0);
    }
}

int
main(int argc, char **argv)
{
    if (!VB_VERSION_OK()) {
        fprintf(stderr, "libvanban %s cannot serve this program (built for %s)\n", vb_version(), VB_VERSION_STRING);
        return 1;
    }
    const char *out_dir = argc > 2 ? argv[2] : ".";
    vb_engine_options_t eo;
    memset(&eo, 0, sizeof eo);
    eo.size = sizeof eo;
    eo.layouts_dir = argc > 1 ? argv[1] : NULL;
    vb_diag_t diag;
    char msg[1200];
    vb_engine_t *engine = NULL;
    if (vb_engine_new(&eo, &engine, &diag) != VB_OK) {
        vb_diag_format(&diag, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return 1;
    }

    /* one engine, two documents: the engine's fonts and profiles serve both */
    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro); /* every field 0: every default (the PDF dated by the document's date) */
    ro.size = sizeof ro;
    ro.on_diagnostic = on_diagnostic;
    const char *names[2] = {"report.md", "letter.md"};
    const char *sources[2] = {report, letter};
    size_t lens[2] = {sizeof report - 1, sizeof letter - 1};
    vb_document_t *docs[2] = {NULL, NULL};
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        ro.diagnostic_ctx = (void *)names[i];
        if (vb_document_new(engine, sources[i], lens[i], names[i], &ro, &docs[i], &diag) != VB_OK) {
            vb_diag_format(&diag, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            rc = 1;
        }
    }

    char path[1024];
    if (rc == 0) {
        describe(names[0], docs[0]);
        describe(names[1], docs[1]);

        /* the first: its PDF in memory, then to a file */
        void *pdf = NULL;
        size_t len = 0;
        if (vb_document_pdf(docs[0], &pdf, &len, &diag) == VB_OK) {
            snprintf(path, sizeof path, "%s/a.pdf", out_dir);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(pdf, 1, len, f) != len)
                rc = 1;
            if (f && fclose(f) != 0)
                rc = 1;
            printf("%s: %zu bytes\n", path, len);
            vb_free(pdf);
        } else {
            rc = 1;
        }

        /* the second: through a writer */
        snprintf(path, sizeof path, "%s/b.pdf", out_dir);
        FILE *f = fopen(path, "wb");
        if (!f || vb_document_write_pdf(docs[1], to_file, f, &diag) != VB_OK)
            rc = 1;
        if (f && fclose(f) != 0)
            rc = 1;
        if (rc == 0)
            printf("%s written\n", path);
        else if (diag.code != VB_OK) {
            vb_diag_format(&diag, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
        }
    }

    /* documents first, then their engine */
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
    vb_engine_free(engine);
    return rc;
}
