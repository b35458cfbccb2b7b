/*
 * test_sigfields.c - the fields of a signed-ready PDF through the public API
 * (sigfields.c, fields.c, pdf_font.c): a joint document whose number and day
 * are left blank, with two appendices. Its fields and their names, roles and
 * order; each signer's field inside its signature box, the seal's right edge
 * a third of the way into it; whole points in PDF space; the text fields on
 * the pages of their gaps; the JSON and the sidecar written by
 * vb_document_save byte for byte the same; no_sign_fields leaving the
 * AcroForm out; misuse (NULL, out of range); a profile with a field name a
 * signing tool cannot look up refused at the value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "vanban.h"

static const char joint[] = "---\n"
                            "profile: state-30-2020\n"
                            "parent: ỦY BAN NHÂN DÂN TỈNH THANH HÓA\n"
                            "issuer: SỞ NỘI VỤ\n"
                            "issuer_name: Sở Nội vụ tỉnh Thanh Hóa\n"
                            "number: \"/KH-SNV\"\n"
                            "place: Thanh Hóa\n"
                            "date: 2026-08\n"
                            "kind: KẾ HOẠCH\n"
                            "title: Phối hợp tổ chức bồi dưỡng\n"
                            "signer:\n"
                            "  - authority: KT. GIÁM ĐỐC\n"
                            "    post: PHÓ GIÁM ĐỐC\n"
                            "    name: Lê Thị Hồng Nhung\n"
                            "  - authority: KT. GIÁM ĐỐC SỞ TÀI CHÍNH\n"
                            "    post: PHÓ GIÁM ĐỐC\n"
                            "    name: Trần Văn Bình\n"
                            "recipients:\n"
                            "  - \"Lưu: VT\"\n"
                            "---\n"
                            "\n"
                            "Nội dung kế hoạch.\n"
                            "\n"
                            "# Phụ lục I\n"
                            "\n"
                            "# DANH SÁCH THỨ NHẤT\n"
                            "\n"
                            "Nội dung phụ lục một.\n"
                            "\n"
                            "# Phụ lục II\n"
                            "\n"
                            "# DANH SÁCH THỨ HAI\n"
                            "\n"
                            "Nội dung phụ lục hai.\n";

static unsigned char *
slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)len + 1);
    if (p && fread(p, 1, (size_t)len, f) != (size_t)len) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) {
        p[len] = 0;
        *n = (size_t)len;
    }
    return p;
}

static bool
contains(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, s, k))
            return true;
    return false;
}

static const vb_box_t *
signature_box(const vb_document_t *doc, int page, int index)
{
    vb_page_info_t pi;
    if (vb_document_page(doc, page, &pi) != VB_OK)
        return NULL;
    for (int i = 0; i < pi.nboxes; i++) {
        const vb_box_t *b = vb_document_box(doc, page, i);
        if (b->kind == VB_BOX_SIGNATURE && b->index == index)
            return b;
    }
    return NULL;
}

static void
test_fields(vb_engine_t *e, const char *dir)
{
    vb_diag_t d;
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new(e, joint, sizeof joint - 1, "joint.md", NULL, &doc, &d), VB_OK);
    if (!doc) {
        fprintf(stderr, "%s\n", d.msg);
        return;
    }
    static const char *const names[] = {"Sig_NguoiKy", "Sig_CoQuan", "Sig_NguoiKy_2", "Sig_CoQuan_2", "Sig_PhuLuc",
                                        "Sig_PhuLuc_2", "So", "Ngay", "So_PL1", "Ngay_PL1", "So_PL2", "Ngay_PL2"};
    static const vb_field_role_t roles[] = {VB_FIELD_SIGNER,   VB_FIELD_SEAL,     VB_FIELD_SIGNER, VB_FIELD_SEAL,
                                            VB_FIELD_APPENDIX, VB_FIELD_APPENDIX, VB_FIELD_NUMBER, VB_FIELD_DAY,
                                            VB_FIELD_NUMBER,   VB_FIELD_DAY,      VB_FIELD_NUMBER, VB_FIELD_DAY};
    int n = vb_document_field_count(doc);
    CHECK_INT(n, 12);
    for (int i = 0; i < n && i < 12; i++) {
        const vb_form_field_t *f = vb_document_field(doc, i);
        CHECK_STR(f->name, names[i]);
        CHECK_INT(f->role, roles[i]);
        CHECK(f->label && f->label[0]);
        vb_page_info_t pi;
        CHECK_INT(vb_document_page(doc, f->page, &pi), VB_OK);
        /* whole points from the bottom-left corner, inside the page */
        CHECK_INT(f->x % 1000, 0);
        CHECK_INT((pi.height - f->y) % 1000, 0);
        CHECK_INT(f->w % 1000, 0);
        CHECK_INT(f->h % 1000, 0);
        CHECK(f->x >= 0 && f->y >= 0 && f->x + f->w <= pi.width && f->y + f->h <= pi.height);
        CHECK_INT(f->size > 0, roles[i] == VB_FIELD_NUMBER || roles[i] == VB_FIELD_DAY);
    }
    /* each signer's field inside its gap; its seal a third of the way in, centred on it */
    for (int k = 0; k + 1 < n && k < 4; k += 2) {
        const vb_form_field_t *s = vb_document_field(doc, k), *seal = vb_document_field(doc, k + 1);
        const vb_box_t *b = signature_box(doc, s->page, s->index);
        CHECK(b != NULL);
        if (!b)
            continue;
        CHECK_INT(s->index, k / 2);
        CHECK(s->x >= b->x && s->x + s->w <= b->x + b->w && s->y >= b->y && s->y + s->h <= b->y + b->h);
        int64_t third = s->x + s->w / 3;
        CHECK(seal->x + seal->w >= third - 1000 && seal->x + seal->w <= third + 1000);
        CHECK(seal->x < s->x);
        CHECK_INT(seal->w, 102000); /* 36 mm */
        int64_t dc = (seal->y + seal->h / 2) - (s->y + s->h / 2);
        CHECK(dc >= -1000 && dc <= 1000);
    }
    /* the appendices' text fields after the header's, on later pages */
    CHECK(vb_document_field(doc, 8)->page > vb_document_field(doc, 6)->page);
    CHECK(vb_document_field(doc, 10)->page > vb_document_field(doc, 8)->page);
    CHECK_INT(vb_document_field(doc, 8)->index, 0);
    CHECK_INT(vb_document_field(doc, 10)->index, 1);
    CHECK_INT(vb_document_field(doc, 6)->index, -1);
    CHECK_INT(vb_document_field(doc, 4)->page, vb_document_field(doc, 8)->page);

    /* misuse */
    CHECK(vb_document_field(doc, n) == NULL);
    CHECK(vb_document_field(doc, -1) == NULL);
    CHECK(vb_document_field(NULL, 0) == NULL);
    CHECK_INT(vb_document_field_count(NULL), 0);
    CHECK_STR(vb_field_role_name(VB_FIELD_SEAL), "seal");
    CHECK_STR(vb_field_role_name(VB_FIELD_MONTH), "date");
    CHECK(vb_field_role_name((vb_field_role_t)0) == NULL);
    char *json = (char *)&d;
    size_t jlen = 1;
    CHECK_INT(vb_document_fields_json(NULL, &json, &jlen, &d), VB_E_USAGE);
    CHECK(json == NULL && jlen == 0);
    CHECK_INT(vb_document_fields_json(doc, NULL, &jlen, &d), VB_E_USAGE);

    /* the JSON, and the sidecar the save writes beside the PDF: the same bytes */
    CHECK_INT(vb_document_fields_json(doc, &json, &jlen, &d), VB_OK);
    CHECK(json && strlen(json) == jlen && strstr(json, "\"name\": \"Sig_CoQuan_2\"") &&
          strstr(json, "\"role\": \"date\", \"part\": \"day\""));
    char pdf[600], side[600];
    snprintf(pdf, sizeof pdf, "%s/joint.pdf", dir);
    snprintf(side, sizeof side, "%s/joint.json", dir);
    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro);
    ro.size = sizeof ro;
    ro.sign_boxes = side;
    CHECK_INT(vb_document_save(doc, pdf, &ro, &d), VB_OK);
    size_t n1 = 0, n2 = 0;
    unsigned char *p1 = slurp(side, &n1), *p2 = slurp(pdf, &n2);
    CHECK(p1 && json && n1 == jlen && !memcmp(p1, json, jlen));
    CHECK(p2 && contains(p2, n2, "/AcroForm") && contains(p2, n2, "/SigFlags 1") && contains(p2, n2, "/FT /Tx"));
    free(p1);
    free(p2);
    vb_free(json);

    /* without fields: no AcroForm, no widget; the sidecar still written */
    unlink(side);
    ro.no_sign_fields = 1;
    CHECK_INT(vb_document_save(doc, pdf, &ro, &d), VB_OK);
    p2 = slurp(pdf, &n2);
    CHECK(p2 && !contains(p2, n2, "/AcroForm") && !contains(p2, n2, "/Widget"));
    free(p2);
    struct stat st;
    CHECK(stat(side, &st) == 0 && st.st_size > 0);
    /* the PDF in memory keeps them */
    void *mem = NULL;
    size_t mlen = 0;
    CHECK_INT(vb_document_pdf(doc, &mem, &mlen, &d), VB_OK);
    CHECK(mem && contains(mem, mlen, "(Sig_NguoiKy_2)"));
    vb_free(mem);
    vb_document_free(doc);
}

/* A profile whose field name has a '.' (a field name's separator): refused at the value. */
static void
test_bad_name(vb_engine_t *e, const char *dir)
{
    size_t n = 0;
    unsigned char *y = slurp("layouts/state-30-2020.yaml", &n);
    CHECK(y != NULL);
    if (!y)
        return;
    char path[600];
    snprintf(path, sizeof path, "%s/bad-name.yaml", dir);
    FILE *f = fopen(path, "wb");
    const char *at = strstr((const char *)y, "name: Sig_NguoiKy");
    CHECK(f && at);
    if (!f || !at) {
        free(y);
        if (f)
            fclose(f);
        return;
    }
    size_t k = (size_t)(at - (const char *)y) + strlen("name: Sig");
    fwrite(y, 1, k, f);
    fputs(".NguoiKy", f); /* "Sig.NguoiKy" */
    fwrite(y + k + strlen("_NguoiKy"), 1, n - k - strlen("_NguoiKy"), f);
    fclose(f);
    free(y);
    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro);
    ro.size = sizeof ro;
    ro.profile = path;
    vb_diag_t d;
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new(e, joint, sizeof joint - 1, "joint.md", &ro, &doc, &d), VB_E_PROFILE);
    CHECK(doc == NULL);
    CHECK_STR(d.id, "profile.value");
    CHECK(strstr(d.msg, "signing.signer.name") != NULL);
}

int
main(void)
{
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d;
    if (vb_engine_new(&eo, &e, &d) != VB_OK) {
        fprintf(stderr, "no engine: %s\n", d.msg);
        return 1;
    }
    char dir[] = "/tmp/vb-sigfields-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    test_fields(e, dir);
    test_bad_name(e, dir);
    vb_engine_free(e);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_done();
}
