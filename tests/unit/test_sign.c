/*
 * test_sign.c - the signing stage through the library API, in memory: a
 * one-page PDF with an empty signature field written here, a key and a
 * self-signed certificate made with OpenSSL, a remote signer played by a
 * callback (vb_signer_external), a PKCS#12 made in memory; and pdfread.c's
 * value parser and refusals.
 */
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pdfread.h"
#include "vanban.h"

/* A minimal PDF as vanban writes it: classic xref, /VanbanProfile, an AcroForm with one unsigned field. */
static unsigned char *
make_pdf(size_t *len)
{
    static const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig_NguoiKy) /Rect [300 100 442 162] /F 132 /P 3 0 R >>",
        "<< /Fields [4 0 R] /SigFlags 1 >>",
        "<< /Producer (test) /VanbanProfile (party-05-2026 \\(test\\)) /VanbanDate (2026) >>",
    };
    char *b = malloc(8192);
    size_t o = (size_t)sprintf(b, "%%PDF-1.7\n");
    size_t offs[7];
    for (int i = 0; i < 6; i++) {
        offs[i + 1] = o;
        o += (size_t)sprintf(b + o, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t x = o;
    o += (size_t)sprintf(b + o, "xref\n0 7\n0000000000 65535 f\r\n");
    for (int i = 1; i <= 6; i++)
        o += (size_t)sprintf(b + o, "%010zu 00000 n\r\n", offs[i]);
    o += (size_t)sprintf(b + o,
                         "trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /ID [<0011> <0011>] >>\nstartxref\n%zu\n%%%%EOF\n",
                         x);
    *len = o;
    return (unsigned char *)b;
}

static EVP_PKEY *key;

static int
sign_hash(void *ctx, const unsigned char *hash, size_t hash_len, unsigned char *sig, size_t *sig_len)
{
    int *calls = ctx;
    ++*calls;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);
    int ok = c && EVP_PKEY_sign_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) > 0 &&
             EVP_PKEY_sign(c, sig, sig_len, hash, hash_len) > 0;
    EVP_PKEY_CTX_free(c);
    return ok ? 0 : 1;
}

static int
bad_hash(void *ctx, const unsigned char *hash, size_t hash_len, unsigned char *sig, size_t *sig_len)
{
    (void)ctx;
    (void)hash;
    (void)hash_len;
    memset(sig, 0x5A, 256);
    *sig_len = 256;
    return 0;
}

static void
on_warning(const vb_diag_t *w, void *ctx)
{
    if (w->severity == VB_SEVERITY_WARNING && !strcmp(w->id, "sign.expired"))
        ++*(int *)ctx;
}

static X509 *
self_signed(EVP_PKEY *k, const char *cn, long days)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 42);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), days * 86400);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, n);
    X509_set_pubkey(x, k);
    X509_sign(x, k, EVP_sha256());
    return x;
}

static void
test_values(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_pv_t v;
    const char *t = "<< /A [1 2.5 -3 (x\\(y\\)\\101) <4142>] /B 12 0 R /C#20D /n /E << /F true >> >>";
    CHECK_INT(vb_pdfread_value(a, (const unsigned char *)t, strlen(t), &v, NULL), VB_OK);
    CHECK_INT(v.kind, VB_PV_DICT);
    const vb_pv_t *arr = vb_pv_get(&v, "A");
    CHECK(arr && arr->kind == VB_PV_ARRAY && arr->n == 5);
    if (arr && arr->n == 5) {
        CHECK(arr->items[1].num == 2.5 && arr->items[2].num == -3);
        CHECK_STR(arr->items[3].s, "x(y)A");
        CHECK_STR(arr->items[4].s, "AB");
    }
    const vb_pv_t *r = vb_pv_get(&v, "B");
    CHECK(r && r->kind == VB_PV_REF && r->ref == 12 && r->gen == 0);
    CHECK(vb_pv_is_name(vb_pv_get(&v, "C D"), "n"));
    CHECK(vb_pv_get(vb_pv_get(&v, "E"), "F") && vb_pv_get(vb_pv_get(&v, "E"), "F")->num == 1);
    vb_diag_t d = {0};
    const char *bad = "<< /A (open";
    CHECK_INT(vb_pdfread_value(a, (const unsigned char *)bad, strlen(bad), &v, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.input");
    vb_arena_free(a);
}

static void
test_refusals(void)
{
    vb_arena_t *a = vb_arena_new();
    vb_pdfdoc_t doc;
    vb_diag_t d = {0};
    const char *xs = "%PDF-1.7\n1 0 obj\n<< /Type /XRef /Size 2 >>\nstream\nxx\nendstream\nendobj\n"
                     "startxref\n9\n%%EOF\n";
    CHECK_INT(vb_pdfread_open(a, (const unsigned char *)xs, strlen(xs), "xs.pdf", &doc, &d), VB_E_INPUT);
    CHECK(strstr(d.msg, "cross-reference stream") != NULL);
    memset(&d, 0, sizeof d);
    const char *junk = "not a pdf at all, not at all, not at all";
    CHECK_INT(vb_pdfread_open(a, (const unsigned char *)junk, strlen(junk), "junk", &doc, &d), VB_E_INPUT);
    CHECK(strstr(d.msg, "not a PDF") != NULL);
    vb_arena_free(a);
}

/*
 * Everything in memory through the API: a source with its number and days
 * blank rendered, the signer's signature by a callback, issuance (number,
 * date, the seal) by a PKCS#12 key, and the verification of both.
 */
static void
test_workflow(X509 *cert, unsigned char *der, int dlen)
{
    static const char src[] =
        "---\nprofile: party-05-2026\nparent: ĐẢNG BỘ TỈNH LÂM ĐỒNG\nissuer: ĐẢNG UỶ ĐẶC KHU PHÚ QUÝ\n"
        "number: -BC/ĐU\nplace: Phú Quý\ndate: 2026\nkind: BÁO CÁO\ntitle: kết quả công tác\n"
        "signer:\n  authority: T/M ĐẢNG UỶ\n  post: BÍ THƯ\n  name: Nguyễn Văn Lâm\n"
        "recipients:\n  - Lưu Văn phòng\n---\n\nNội dung báo cáo.\n";
    vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = "layouts"};
    vb_engine_t *e = NULL;
    vb_diag_t d = {0};
    CHECK_INT(vb_engine_new(&eo, &e, &d), VB_OK);
    vb_document_t *doc = NULL;
    CHECK_INT(vb_document_new(e, src, sizeof src - 1, "mem.md", NULL, &doc, &d), VB_OK);
    void *pdf = NULL, *s1 = NULL, *s2 = NULL;
    size_t len = 0, l1 = 0, l2 = 0;
    if (doc)
        CHECK_INT(vb_document_pdf(doc, &pdf, &len, &d), VB_OK);
    int calls = 0;
    vb_signer_t *person = NULL, *seal = NULL;
    CHECK_INT(vb_signer_external(der, (size_t)dlen, NULL, NULL, 0, sign_hash, &calls, &person, &d), VB_OK);
    vb_sign_options_t so = {.size = sizeof so};
    CHECK_INT(vb_pdf_sign(pdf, len, person, &so, &s1, &l1, &d), VB_OK);
    PKCS12 *p12 = PKCS12_create("pw", "seal", key, cert, NULL, 0, 0, 0, 0, 0);
    unsigned char *pder = NULL;
    int plen = i2d_PKCS12(p12, &pder);
    CHECK_INT(vb_signer_from_p12(pder, (size_t)plen, "pw", &seal, &d), VB_OK);
    vb_sign_options_t seal_opts = {.size = sizeof seal_opts};
    vb_issue_options_t io = {.size = sizeof io, .number = "7", .date = "2026-12-05", .sign = &seal_opts};
    CHECK_INT(vb_pdf_issue(e, s1, l1, seal, &io, &s2, &l2, &d), VB_OK);
    if (d.code)
        fprintf(stderr, "issue: %s\n", d.msg);
    CHECK(s2 && l2 > l1 && !memcmp(s2, s1, l1));
    vb_verify_result_t *r = NULL;
    CHECK_INT(vb_pdf_verify(s2, l2, NULL, &r, &d), VB_OK);
    CHECK(r && r->count == 2 && r->unsigned_fields == 0);
    if (r && r->count == 2) {
        CHECK_STR(r->sigs[0].field, "Sig_NguoiKy");
        CHECK_STR(r->sigs[1].field, "Sig_CoQuan");
        CHECK(r->sigs[0].valid && !r->sigs[0].whole && r->sigs[0].changes == VB_SIG_FORM_ONLY);
        CHECK(r->sigs[1].valid && r->sigs[1].whole && r->sigs[1].changes == VB_SIG_UNCHANGED);
    }
    /* the filled number's value, as printed: 7 takes its zero */
    const char *hit = NULL;
    for (size_t i = 0; s2 && i + 12 < l2 && !hit; i++)
        if (!memcmp((char *)s2 + i, "/T (So) ", 8) || !memcmp((char *)s2 + i, "/T (So)", 7))
            hit = (char *)s2 + i;
    CHECK(hit != NULL);
    int found = 0;
    for (size_t i = l1; s2 && i + 8 < l2; i++)
        found |= !memcmp((char *)s2 + i, "/V (07)", 7);
    CHECK(found);
    /* issuing twice: the fields are filled */
    void *s3 = NULL;
    size_t l3 = 0;
    CHECK_INT(vb_pdf_issue(e, s2, l2, seal, &io, &s3, &l3, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.issue");
    CHECK(s3 == NULL);
    vb_verify_result_free(r);
    vb_signer_free(person);
    vb_signer_free(seal);
    OPENSSL_free(pder);
    PKCS12_free(p12);
    vb_free(pdf);
    vb_free(s1);
    vb_free(s2);
    vb_document_free(doc);
    vb_engine_free(e);
}

int
main(void)
{
    test_values();
    test_refusals();

    size_t len;
    unsigned char *pdf = make_pdf(&len);
    key = EVP_RSA_gen(2048);
    X509 *cert = self_signed(key, "Remote Signer", 365);
    unsigned char *der = NULL;
    int dlen = i2d_X509(cert, &der);

    /* a remote signer: the callback signs the hash */
    int calls = 0;
    vb_signer_t *s = NULL;
    vb_diag_t d = {0};
    CHECK_INT(vb_signer_external(der, (size_t)dlen, NULL, NULL, 0, sign_hash, &calls, &s, &d), VB_OK);
    vb_sign_options_t o = {.size = sizeof o, .reason = "Kiểm tra", .time = 1796000000};
    void *out = NULL;
    size_t olen = 0;
    CHECK_INT(vb_pdf_sign(pdf, len, s, &o, &out, &olen, &d), VB_OK);
    CHECK_INT(calls, 1);
    CHECK(out && olen > len && !memcmp(out, pdf, len)); /* an incremental update: the old bytes kept */
    vb_verify_result_t *r = NULL;
    CHECK_INT(vb_pdf_verify(out, olen, NULL, &r, &d), VB_OK);
    CHECK(r && r->count == 1);
    if (r && r->count == 1) {
        CHECK(r->sigs[0].valid);
        CHECK(r->sigs[0].whole);
        CHECK_STR(r->sigs[0].field, "Sig_NguoiKy");
        CHECK_STR(r->sigs[0].signer, "Remote Signer");
        CHECK_STR(r->sigs[0].subfilter, "ETSI.CAdES.detached");
        CHECK_STR(r->sigs[0].time, "2026-11-30T07:53:20+07:00"); /* 1796000000 in Vietnam time */
        CHECK(!r->sigs[0].signing_time_attr);
        CHECK_INT(r->sigs[0].trusted, -1);
    }
    vb_verify_result_free(r);
    /* one byte of the signed part changed: not valid */
    unsigned char *t = malloc(olen);
    memcpy(t, out, olen);
    unsigned char *prod = NULL;
    for (size_t i = 0; i + 6 <= olen && !prod; i++)
        if (!memcmp(t + i, "(test)", 6))
            prod = t + i;
    CHECK(prod != NULL);
    if (prod)
        prod[1] ^= 0x20; /* (Test): in the Info, signed */
    CHECK_INT(vb_pdf_verify(t, olen, NULL, &r, &d), VB_OK);
    CHECK(r && r->count == 1 && !r->sigs[0].valid && strstr(r->sigs[0].problem, "digest mismatch"));
    vb_verify_result_free(r);
    free(t);
    /* the field is signed now */
    void *out2 = NULL;
    size_t olen2 = 0;
    CHECK_INT(vb_pdf_sign(out, olen, s, &o, &out2, &olen2, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.signed");
    CHECK(out2 == NULL);
    vb_signer_free(s);

    /* the size rule: size 0 with a field set, and a larger struct with unknown bytes set, are refused */
    {
        vb_signer_t *s0 = NULL;
        CHECK_INT(vb_signer_external(der, (size_t)dlen, NULL, NULL, 0, sign_hash, &calls, &s0, &d), VB_OK);
        vb_sign_options_t z = {.size = 0, .reason = "x"};
        CHECK_INT(vb_pdf_sign(pdf, len, s0, &z, &out2, &olen2, &d), VB_E_USAGE);
        CHECK_STR(d.id, "options.size");
        struct {
            vb_sign_options_t o;
            int extra[4];
        } big = {{.size = sizeof big}, {0, 0, 7, 0}};
        CHECK_INT(vb_pdf_sign(pdf, len, s0, &big.o, &out2, &olen2, &d), VB_E_USAGE);
        CHECK_STR(d.id, "options.size");
        big.extra[2] = 0;
        CHECK_INT(vb_pdf_sign(pdf, len, s0, &big.o, &out2, &olen2, &d), VB_OK);
        vb_free(out2);
        out2 = NULL;
        vb_signer_free(s0);
    }

    /* a callback whose signature does not verify with the certificate */
    CHECK_INT(vb_signer_external(der, (size_t)dlen, NULL, NULL, 0, bad_hash, NULL, &s, &d), VB_OK);
    CHECK_INT(vb_pdf_sign(pdf, len, s, &o, &out2, &olen2, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.key-mismatch");
    vb_signer_free(s);

    /* PKCS#12 in memory: the wrong password, then the right one */
    PKCS12 *p12 = PKCS12_create("pw", "test", key, cert, NULL, 0, 0, 0, 0, 0);
    unsigned char *pder = NULL;
    int plen = i2d_PKCS12(p12, &pder);
    CHECK_INT(vb_signer_from_p12(pder, (size_t)plen, "wrong", &s, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.password");
    CHECK(s == NULL);
    CHECK_INT(vb_signer_from_p12(pder, (size_t)plen, "pw", &s, &d), VB_OK);
    /* an expired certificate: a warning, the signature made */
    vb_sign_options_t late = o;
    late.time = 4102444800; /* 2100 */
    int expired = 0;
    late.on_diagnostic = on_warning;
    late.diagnostic_ctx = &expired;
    void *out3 = NULL;
    size_t olen3 = 0;
    CHECK_INT(vb_pdf_sign(pdf, len, s, &late, &out3, &olen3, &d), VB_OK);
    CHECK_INT(expired, 1);
    vb_free(out3);
    /* no such field */
    vb_sign_options_t nf = o;
    nf.field = "Nope";
    CHECK_INT(vb_pdf_sign(pdf, len, s, &nf, &out3, &olen3, &d), VB_E_INPUT);
    CHECK_STR(d.id, "sign.field");
    CHECK(strstr(d.msg, "Sig_NguoiKy") != NULL); /* the fields there are */
    vb_signer_free(s);

    test_workflow(cert, der, dlen);

    OPENSSL_free(pder);
    PKCS12_free(p12);
    vb_free(out);
    OPENSSL_free(der);
    X509_free(cert);
    EVP_PKEY_free(key);
    free(pdf);
    return check_done();
}
