/*
 * cms.c - signers and PAdES CMS signatures with OpenSSL 3.0 (see cms.h).
 *
 * PKCS#11 goes through OpenSSL's ENGINE interface and libp11's "pkcs11"
 * engine, the one Debian 12 packages (libengine-pkcs11-openssl; there is no
 * pkcs11-provider in bookworm). The ENGINE calls are deprecated in 3.0 but
 * still the only packaged path, hence OPENSSL_SUPPRESS_DEPRECATED. Each
 * signer loads its own engine instance, not added to OpenSSL's engine list:
 * no global state of ours.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "cms.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct vb_signer {
    X509 *cert;
    STACK_OF(X509) *chain;
    EVP_PKEY *key;            /* NULL for an external signer */
    ENGINE *engine;           /* a PKCS#11 signer's engine */
    vb_sign_hash_fn sign_hash;
    void *ctx;
};

/* The first error OpenSSL queued, as text (and the queue cleared). */
static const char *
ossl_err(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();
    if (!e) {
        snprintf(buf, size, "no detail from OpenSSL");
    } else {
        ERR_error_string_n(e, buf, size);
    }
    ERR_clear_error();
    return buf;
}

vb_status_t
vb_sign_opts_copy(const void *opt, size_t size, size_t known, void *out, const char *what, vb_diag_t *d)
{
    if (opt && size == 0) { /* the size forgotten: refused when anything after it is set */
        const unsigned char *p = opt;
        for (size_t i = sizeof(size_t); i < known; i++)
            if (p[i])
                return vb_diag_set(d, VB_E_USAGE, "options.size", NULL, 0, 0,
                                   "The %s have fields set but size 0: set size to sizeof the struct.", what);
    }
    vb_status_t rc = vb_options_copy(opt, size, known, out, what, d);
    if (rc != VB_OK || !opt)
        return rc;
    *(size_t *)out = known;
    return VB_OK;
}

void
vb_signer_free(vb_signer_t *s)
{
    if (!s)
        return;
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    EVP_PKEY_free(s->key);
    if (s->engine) {
        ENGINE_finish(s->engine);
        ENGINE_free(s->engine);
    }
    free(s);
}

static vb_status_t
check_pair(vb_signer_t *s, const char *what, vb_diag_t *d)
{
    if (X509_check_private_key(s->cert, s->key) != 1) {
        ERR_clear_error();
        return vb_diag_set(d, VB_E_INPUT, "sign.key-mismatch", what, 0, 0,
                           "The private key in %s does not match its certificate.", what);
    }
    return VB_OK;
}

vb_status_t
vb_signer_from_p12(const void *p12data, size_t len, const char *password, vb_signer_t **out, vb_diag_t *d)
{
    if (d)
        memset(d, 0, sizeof *d);
    if (!out || !p12data)
        return vb_diag_set(d, VB_E_USAGE, "api.usage", "vb_signer_from_p12", 0, 0, "No PKCS#12 data or no out.");
    *out = NULL;
    char eb[256];
    ERR_clear_error();
    const unsigned char *p = p12data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (!p12)
        return vb_diag_set(d, VB_E_INPUT, "sign.p12", "PKCS#12", 0, 0,
                           "The key file is not a PKCS#12 (.p12/.pfx) file: %s.", ossl_err(eb, sizeof eb));
    const char *pw = password ? password : "";
    if (!PKCS12_verify_mac(p12, pw, -1) && !(!*pw && PKCS12_verify_mac(p12, NULL, 0))) {
        PKCS12_free(p12);
        ERR_clear_error();
        return vb_diag_set(d, VB_E_INPUT, "sign.password", "PKCS#12", 0, 0,
                           "Wrong password for the PKCS#12 file (its integrity check fails with the password given).");
    }
    vb_signer_t *s = calloc(1, sizeof *s);
    if (!s) {
        PKCS12_free(p12);
        return vb_diag_nomem(d);
    }
    int ok = PKCS12_parse(p12, pw, &s->key, &s->cert, &s->chain);
    PKCS12_free(p12);
    if (!ok || !s->key || !s->cert) {
        vb_status_t rc = vb_diag_set(d, VB_E_INPUT, "sign.p12", "PKCS#12", 0, 0,
                                     "The PKCS#12 file holds no usable key and certificate%s%s.", ok ? "" : ": ",
                                     ok ? "" : ossl_err(eb, sizeof eb));
        vb_signer_free(s);
        return rc;
    }
    if (!s->chain && !(s->chain = sk_X509_new_null())) {
        vb_signer_free(s);
        return vb_diag_nomem(d);
    }
    vb_status_t rc = check_pair(s, "the PKCS#12 file", d);
    if (rc != VB_OK) {
        vb_signer_free(s);
        return rc;
    }
    *out = s;
    return VB_OK;
}

/* Certificates of a PEM file: the first is the signer's, the rest its chain. */
static vb_status_t
load_pem_certs(vb_signer_t *s, const char *path, vb_diag_t *d)
{
    BIO *b = BIO_new_file(path, "r");
    if (!b) {
        ERR_clear_error();
        return vb_diag_set(d, VB_E_IO, "sign.cert", path, 0, 0, "Cannot read the certificate file %s.", path);
    }
    X509 *x;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
        if (!s->cert)
            s->cert = x;
        else if (!sk_X509_push(s->chain, x))
            X509_free(x);
    }
    ERR_clear_error();
    BIO_free(b);
    if (!s->cert)
        return vb_diag_set(d, VB_E_INPUT, "sign.cert", path, 0, 0, "%s holds no PEM certificate.", path);
    return VB_OK;
}

vb_status_t
vb_signer_from_pkcs11(const vb_pkcs11_options_t *opt, vb_signer_t **out, vb_diag_t *d)
{
    if (d)
        memset(d, 0, sizeof *d);
    vb_pkcs11_options_t po;
    const vb_pkcs11_options_t *o = opt ? &po : NULL;
    if (opt && vb_sign_opts_copy(opt, opt->size, sizeof po, &po, "PKCS#11 options", d) != VB_OK)
        return VB_E_USAGE;
    if (!out || !o || !o->module || (!o->uri && !o->key_label))
        return vb_diag_set(d, VB_E_USAGE, "api.usage", "vb_signer_from_pkcs11", 0, 0,
                           "PKCS#11 needs the module and the key (a pkcs11: URI or its label).");
    *out = NULL;
    if (!o->pin)
        return vb_diag_set(d, VB_E_USAGE, "sign.token", o->module, 0, 0, "PKCS#11 needs the token's PIN.");
    char eb[256], uri[1024], curi[1024];
    ERR_clear_error();
    if (o->uri) {
        snprintf(uri, sizeof uri, "%s", o->uri);
        snprintf(curi, sizeof curi, "%s", o->uri);
        char *t = strstr(curi, "type=private"); /* the certificate of the same object */
        if (t) {
            memcpy(t, "type=cert", 9);
            memmove(t + 9, t + 12, strlen(t + 12) + 1);
        }
    } else if (o->slot) { /* libp11's own form: slot_<ID>-label_<label> */
        snprintf(uri, sizeof uri, "slot_%s-label_%s", o->slot, o->key_label);
        snprintf(curi, sizeof curi, "slot_%s-label_%s", o->slot, o->key_label);
    } else {
        char tok[300] = "";
        if (o->token)
            snprintf(tok, sizeof tok, "token=%s;", o->token);
        snprintf(uri, sizeof uri, "pkcs11:%sobject=%s;type=private", tok, o->key_label);
        snprintf(curi, sizeof curi, "pkcs11:%sobject=%s;type=cert", tok, o->key_label);
    }
    vb_signer_t *s = calloc(1, sizeof *s);
    if (!s || !(s->chain = sk_X509_new_null())) {
        free(s);
        return vb_diag_nomem(d);
    }
    vb_status_t rc = VB_OK;
    if (access(o->module, R_OK) != 0) { /* a clear message, before the engine's own */
        rc = vb_diag_set(d, VB_E_IO, "sign.token", o->module, 0, 0, "Cannot open the PKCS#11 module %s: %s.",
                         o->module, strerror(errno));
        goto fail;
    }
    ENGINE *e = ENGINE_by_id("pkcs11");
    if (!e) {
        rc = vb_diag_set(d, VB_E_IO, "sign.token", o->module, 0, 0,
                         "OpenSSL's pkcs11 engine is not installed (Debian: libengine-pkcs11-openssl): %s.",
                         ossl_err(eb, sizeof eb));
        goto fail;
    }
    s->engine = e;
    /* QUIET: libp11 prints its own messages to stderr otherwise; the library never prints */
    ENGINE_ctrl_cmd(e, "QUIET", 0, NULL, NULL, 1);
    ERR_clear_error();
    if (!ENGINE_ctrl_cmd_string(e, "MODULE_PATH", o->module, 0) || !ENGINE_init(e)) {
        ENGINE_free(e);
        s->engine = NULL;
        rc = vb_diag_set(d, VB_E_IO, "sign.token", o->module, 0, 0,
                         "Cannot load the PKCS#11 module %s: %s.", o->module, ossl_err(eb, sizeof eb));
        goto fail;
    }
    /* the certificate is a public object, read before the login: found, the token and the key's label are right */
    struct {
        const char *id;
        X509 *cert;
    } probe = {curi, NULL};
    bool present = ENGINE_ctrl_cmd(e, "LOAD_CERT_CTRL", 0, &probe, NULL, 1) && probe.cert;
    X509_free(probe.cert);
    ERR_clear_error();
    if (!ENGINE_ctrl_cmd_string(e, "PIN", o->pin, 0)) {
        rc = vb_diag_set(d, VB_E_IO, "sign.token", o->module, 0, 0, "The PIN was refused: %s.", ossl_err(eb, sizeof eb));
        goto fail;
    }
    s->key = ENGINE_load_private_key(e, uri, NULL, NULL);
    if (!s->key) {
        char why[256];
        ossl_err(why, sizeof why);
        rc = vb_diag_set(d, VB_E_IO, "sign.token", o->module, 0, 0, "Cannot open the key %s: %s (%s).", uri,
                         present ? "the token refused the PIN (a wrong PIN, or the token is locked)"
                                 : "no such token is plugged in, or it holds no key with that label",
                         why);
        goto fail;
    }
    if (o->cert_pem) {
        if ((rc = load_pem_certs(s, o->cert_pem, d)) != VB_OK)
            goto fail;
    } else {
        struct {
            const char *id;
            X509 *cert;
        } parms = {curi, NULL};
        if (!ENGINE_ctrl_cmd(e, "LOAD_CERT_CTRL", 0, &parms, NULL, 1) || !parms.cert) {
            rc = vb_diag_set(d, VB_E_INPUT, "sign.cert", o->module, 0, 0,
                             "The token has no certificate %s (give it with --cert FILE.pem): %s.", curi,
                             ossl_err(eb, sizeof eb));
            goto fail;
        }
        s->cert = parms.cert;
    }
    if ((rc = check_pair(s, "the token", d)) != VB_OK)
        goto fail;
    *out = s;
    return VB_OK;
fail:
    vb_signer_free(s);
    return rc;
}

vb_status_t
vb_signer_external(const void *cert_der, size_t cert_len, const void *const *chain_der, const size_t *chain_len,
                   int nchain, vb_sign_hash_fn sign_hash, void *ctx, vb_signer_t **out, vb_diag_t *d)
{
    if (d)
        memset(d, 0, sizeof *d);
    if (!out || !cert_der || !sign_hash || nchain < 0 || (nchain && (!chain_der || !chain_len)))
        return vb_diag_set(d, VB_E_USAGE, "api.usage", "vb_signer_external", 0, 0,
                           "An external signer needs its certificate and a sign_hash callback.");
    *out = NULL;
    vb_signer_t *s = calloc(1, sizeof *s);
    if (!s || !(s->chain = sk_X509_new_null())) {
        free(s);
        return vb_diag_nomem(d);
    }
    const unsigned char *p = cert_der;
    s->cert = d2i_X509(NULL, &p, (long)cert_len);
    for (int i = 0; s->cert && i < nchain; i++) {
        p = chain_der[i];
        X509 *x = d2i_X509(NULL, &p, (long)chain_len[i]);
        if (!x || !sk_X509_push(s->chain, x)) {
            X509_free(x);
            X509_free(s->cert);
            s->cert = NULL;
        }
    }
    if (!s->cert) {
        ERR_clear_error();
        vb_signer_free(s);
        return vb_diag_set(d, VB_E_INPUT, "sign.cert", "vb_signer_external", 0, 0,
                           "A certificate given is not a DER X.509 certificate.");
    }
    s->sign_hash = sign_hash;
    s->ctx = ctx;
    *out = s;
    return VB_OK;
}

void
vb_cms_signer_name(const vb_signer_t *s, char *buf, size_t size)
{
    X509_NAME *n = X509_get_subject_name(s->cert);
    if (X509_NAME_get_text_by_NID(n, NID_commonName, buf, (int)size) < 0)
        X509_NAME_oneline(n, buf, (int)size);
}

int
vb_cms_signer_valid_at(const vb_signer_t *s, int64_t t, char *when, size_t size)
{
    time_t tt = (time_t)t;
    const ASN1_TIME *na = X509_get0_notAfter(s->cert), *nb = X509_get0_notBefore(s->cert);
    int r = X509_cmp_time(na, &tt) < 0 ? 1 : X509_cmp_time(nb, &tt) > 0 ? -1 : 0;
    struct tm tm;
    if (when && size) {
        when[0] = 0;
        if (ASN1_TIME_to_tm(r < 0 ? nb : na, &tm))
            snprintf(when, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
    return r;
}

size_t
vb_cms_signer_size(const vb_signer_t *s)
{
    int k = i2d_X509(s->cert, NULL);
    size_t n = k > 0 ? (size_t)k : 4096;
    for (int i = 0; i < sk_X509_num(s->chain); i++) {
        k = i2d_X509(sk_X509_value(s->chain, i), NULL);
        n += k > 0 ? (size_t)k : 4096;
    }
    EVP_PKEY *pk = X509_get0_pubkey(s->cert);
    n += pk ? (size_t)EVP_PKEY_get_size(pk) : 1024;
    return n + 2048; /* attributes, identifiers, algorithm ids */
}

/* sig over hash with the signer's key or callback; checked against the certificate. */
static vb_status_t
sign_hash(vb_signer_t *s, const unsigned char hash[32], unsigned char *sig, size_t *siglen, vb_diag_t *d)
{
    char eb[256];
    if (s->key) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(s->key, NULL);
        int ok = c && EVP_PKEY_sign_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) > 0 &&
                 EVP_PKEY_sign(c, sig, siglen, hash, 32) > 0;
        EVP_PKEY_CTX_free(c);
        if (!ok)
            return vb_diag_set(d, VB_E_IO, "sign.key", "the signer", 0, 0, "The key could not sign: %s.",
                               ossl_err(eb, sizeof eb));
    } else if (s->sign_hash(s->ctx, hash, 32, sig, siglen) != 0 || !*siglen) {
        return vb_diag_set(d, VB_E_IO, "sign.callback", "the signer", 0, 0, "The signing callback failed.");
    }
    EVP_PKEY *pub = X509_get0_pubkey(s->cert);
    EVP_PKEY_CTX *v = pub ? EVP_PKEY_CTX_new(pub, NULL) : NULL;
    int ok = v && EVP_PKEY_verify_init(v) > 0 && EVP_PKEY_CTX_set_signature_md(v, EVP_sha256()) > 0 &&
             EVP_PKEY_verify(v, sig, *siglen, hash, 32) == 1;
    EVP_PKEY_CTX_free(v);
    ERR_clear_error();
    if (!ok)
        return vb_diag_set(d, VB_E_INPUT, "sign.key-mismatch", "the signer", 0, 0,
                           "The signature made does not verify with the certificate: the key does not match it.");
    return VB_OK;
}

vb_status_t
vb_cms_sign(vb_signer_t *s, const unsigned char digest[32], unsigned char **der, size_t *len, vb_diag_t *d)
{
    *der = NULL;
    *len = 0;
    char eb[256];
    ERR_clear_error();
    unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | CMS_CADES;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    EVP_PKEY *pk = s->key ? s->key : X509_get0_pubkey(s->cert);
    CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, s->cert, pk, EVP_sha256(), flags) : NULL;
    STACK_OF(X509_ATTRIBUTE) *attrs = NULL;
    unsigned char *abuf = NULL, *sig = NULL;
    vb_status_t rc = VB_OK;
    if (!si) {
        rc = vb_diag_set(d, VB_E_PDF, "sign.cms", "the signer", 0, 0, "Cannot start the CMS signature: %s.",
                         ossl_err(eb, sizeof eb));
        goto done;
    }
    for (int i = 0; i < sk_X509_num(s->chain); i++)
        if (!CMS_add1_cert(cms, sk_X509_value(s->chain, i))) {
            ERR_clear_error(); /* the same certificate twice: kept once */
        }
    if (CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) < 0 &&
        !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1)) {
        rc = vb_diag_nomem(d);
        goto done;
    }
    if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, 32)) {
        rc = vb_diag_nomem(d);
        goto done;
    }
    /* the signed attributes as DER (a SET OF, sorted), their hash signed */
    attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; attrs && i < CMS_signed_get_attr_count(si); i++)
        if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i))) {
            rc = vb_diag_nomem(d);
            goto done;
        }
    int alen = attrs ? ASN1_item_i2d((const ASN1_VALUE *)attrs, &abuf, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN)) : -1;
    if (alen <= 0) {
        rc = vb_diag_set(d, VB_E_PDF, "sign.cms", "the signer", 0, 0, "Cannot encode the signed attributes: %s.",
                         ossl_err(eb, sizeof eb));
        goto done;
    }
    unsigned char hash[32];
    unsigned hl = 0;
    if (!EVP_Digest(abuf, (size_t)alen, hash, &hl, EVP_sha256(), NULL)) {
        rc = vb_diag_nomem(d);
        goto done;
    }
    size_t siglen = 8192;
    sig = malloc(siglen);
    if (!sig) {
        rc = vb_diag_nomem(d);
        goto done;
    }
    if ((rc = sign_hash(s, hash, sig, &siglen, d)) != VB_OK)
        goto done;
    if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)siglen)) {
        rc = vb_diag_nomem(d);
        goto done;
    }
    int n = i2d_CMS_ContentInfo(cms, der);
    if (n <= 0) {
        *der = NULL;
        rc = vb_diag_set(d, VB_E_PDF, "sign.cms", "the signer", 0, 0, "Cannot encode the CMS: %s.",
                         ossl_err(eb, sizeof eb));
        goto done;
    }
    /* hand back malloc'd memory, not OpenSSL's */
    unsigned char *m = malloc((size_t)n);
    if (!m) {
        OPENSSL_free(*der);
        *der = NULL;
        rc = vb_diag_nomem(d);
        goto done;
    }
    memcpy(m, *der, (size_t)n);
    OPENSSL_free(*der);
    *der = m;
    *len = (size_t)n;
done:
    free(sig);
    OPENSSL_free(abuf);
    sk_X509_ATTRIBUTE_free(attrs); /* the attributes belong to si */
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

bool
vb_cms_digest2(const unsigned char *a, size_t na, const unsigned char *b, size_t nb, unsigned char out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned n = 0;
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) && EVP_DigestUpdate(c, a, na) &&
              EVP_DigestUpdate(c, b, nb) && EVP_DigestFinal_ex(c, out, &n);
    EVP_MD_CTX_free(c);
    ERR_clear_error();
    return ok;
}

/* The DER length of the object at p (its header), so that zero padding after it is ignored. */
static size_t
der_len(const unsigned char *p, size_t len)
{
    if (len < 2 || p[0] != 0x30)
        return len;
    if (p[1] < 0x80)
        return 2 + (size_t)p[1] <= len ? 2 + (size_t)p[1] : len;
    int nb = p[1] & 0x7F;
    if (nb < 1 || nb > 4 || (size_t)nb + 2 > len)
        return len;
    size_t n = 0;
    for (int i = 0; i < nb; i++)
        n = n << 8 | p[2 + i];
    return 2 + (size_t)nb + n <= len ? 2 + (size_t)nb + n : len;
}

/* The ESS signing-certificate-v2 attribute names signer (PAdES binds the certificate this way). */
static bool
ess_binds(CMS_SignerInfo *si, X509 *signer)
{
    ASN1_STRING *v = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3,
                                                 V_ASN1_SEQUENCE);
    if (!v)
        return false;
    const unsigned char *p = ASN1_STRING_get0_data(v);
    ESS_SIGNING_CERT_V2 *ss = d2i_ESS_SIGNING_CERT_V2(NULL, &p, ASN1_STRING_length(v));
    STACK_OF(X509) *chain = sk_X509_new_null();
    bool ok = ss && chain && sk_X509_push(chain, signer) && OSSL_ESS_check_signing_certs(NULL, ss, chain, 1) > 0;
    sk_X509_free(chain);
    ESS_SIGNING_CERT_V2_free(ss);
    ERR_clear_error();
    return ok;
}

vb_status_t
vb_cms_check(const unsigned char *der, size_t len, const unsigned char *content, size_t clen, bool cades,
             const char *roots_pem, vb_cmscheck_t *out)
{
    memset(out, 0, sizeof *out);
    out->trusted = -1;
    ERR_clear_error();
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len(der, len));
    if (!cms) {
        snprintf(out->problem, sizeof out->problem, "the signature is not a CMS object");
        ERR_clear_error();
        return VB_E_INPUT;
    }
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    CMS_SignerInfo *si = sis && sk_CMS_SignerInfo_num(sis) == 1 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
    if (si)
        out->signing_time = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0;
    BIO *in = BIO_new_mem_buf(content, (int)clen);
    /* CMS_CADES would verify the chain too (it needs the roots); the ESS check is done below */
    unsigned flags = CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_DETACHED;
    int ok = si && in && CMS_verify(cms, NULL, NULL, in, NULL, flags) == 1;
    if (!ok) {
        unsigned long e = ERR_peek_last_error();
        int reason = ERR_GET_REASON(e);
        snprintf(out->problem, sizeof out->problem, "%s",
                 !si                                   ? "the CMS does not have exactly one signer"
                 : reason == CMS_R_VERIFICATION_FAILURE ? "the signature value does not match (Signature is Invalid)"
                 : reason == CMS_R_CONTENT_VERIFY_ERROR ? "the signed bytes changed (digest mismatch)"
                                                        : "the signature does not check");
        if (si && reason != CMS_R_VERIFICATION_FAILURE && reason != CMS_R_CONTENT_VERIFY_ERROR) {
            char eb[160];
            size_t l = strlen(out->problem);
            snprintf(out->problem + l, sizeof out->problem - l, ": %s", ossl_err(eb, sizeof eb));
        }
    }
    out->valid = ok;
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    X509 *signer = NULL;
    for (int i = 0; si && certs && i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
            signer = sk_X509_value(certs, i);
    if (signer && ok && cades && !ess_binds(si, signer)) {
        ok = 0;
        out->valid = false;
        snprintf(out->problem, sizeof out->problem,
                 "its signing-certificate-v2 attribute is missing or names another certificate");
    }
    if (signer) {
        X509_NAME *n = X509_get_subject_name(signer);
        if (X509_NAME_get_text_by_NID(n, NID_commonName, out->cn, sizeof out->cn) < 0)
            out->cn[0] = 0;
        BIO *mb = BIO_new(BIO_s_mem());
        if (mb && X509_NAME_print_ex(mb, n, 0, XN_FLAG_RFC2253) >= 0) {
            int k = BIO_read(mb, out->subject, sizeof out->subject - 1);
            out->subject[k > 0 ? k : 0] = 0;
        }
        BIO_free(mb);
        if (roots_pem) {
            X509_STORE *st = X509_STORE_new();
            BIO *rb = BIO_new_mem_buf(roots_pem, -1);
            X509 *x;
            while (st && rb && (x = PEM_read_bio_X509(rb, NULL, NULL, NULL))) {
                X509_STORE_add_cert(st, x);
                X509_free(x);
            }
            BIO_free(rb);
            X509_STORE_CTX *c = X509_STORE_CTX_new();
            out->trusted = st && c && X509_STORE_CTX_init(c, st, signer, certs) && X509_verify_cert(c) == 1;
            X509_STORE_CTX_free(c);
            X509_STORE_free(st);
        }
    } else if (ok) {
        out->valid = false;
        snprintf(out->problem, sizeof out->problem, "the signer's certificate is not in the signature");
    }
    sk_X509_pop_free(certs, X509_free);
    BIO_free(in);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return VB_OK;
}
