/*
 * cms.h - the signer (a key and its chain, or a callback) and the CMS
 * signatures: the only module that uses OpenSSL (libcrypto).
 *
 * A signature is PAdES B-B: a detached SignedData, SHA-256, the signed
 * attributes contentType, messageDigest and ESS signing-certificate-v2 and
 * nothing else (OpenSSL 3.0 adds signing-time in CMS_final; we never call
 * it: the attributes are encoded and signed here, and the signature value
 * set), the signer's chain in the certificates. Every signer signs a hash,
 * so a PKCS#12 key, a token key and a remote service take the same path, and
 * each signature is checked against the certificate before it is used.
 *
 * The public calls vb_signer_from_p12, vb_signer_from_pkcs11,
 * vb_signer_external and vb_signer_free (vanban.h) are defined in cms.c.
 */
#ifndef VB_CMS_H
#define VB_CMS_H

#include "base.h"

/*
 * A caller's options struct (vb_sign_options_t, vb_pkcs11_options_t: size
 * first) as this library knows it, known bytes (the size rule of
 * docs/library.md): read up to its size; a larger struct only with the bytes
 * past ours 0; size 0 with a field set refused (options.size).
 */
vb_status_t vb_sign_opts_copy(const void *opt, size_t size, size_t known, void *out, const char *what, vb_diag_t *d);

/* SHA-256 of a[0..na) then b[0..nb) into out; false when OpenSSL failed. */
bool vb_cms_digest2(const unsigned char *a, size_t na, const unsigned char *b, size_t nb, unsigned char out[32]);

/* The CMS of digest (SHA-256 of the signed bytes, 32 bytes): malloc'd DER in *der. */
vb_status_t vb_cms_sign(vb_signer_t *s, const unsigned char digest[32], unsigned char **der, size_t *len,
                        vb_diag_t *d);

/* The certificate's common name (or its whole name when it has none) into buf. */
void vb_cms_signer_name(const vb_signer_t *s, char *buf, size_t size);

/*
 * Whether the certificate is valid at t (seconds since 1970): 0 yes, 1
 * expired, -1 not yet valid; its end (or start) as YYYY-MM-DD in when.
 */
int vb_cms_signer_valid_at(const vb_signer_t *s, int64_t t, char *when, size_t size);

/* An upper bound of the CMS's size in bytes, from the certificates and the key. */
size_t vb_cms_signer_size(const vb_signer_t *s);

/* What the check of one CMS found. */
typedef struct vb_cmscheck {
    bool valid;
    int trusted;             /* 1, 0, -1 not checked */
    bool signing_time;       /* a signing-time attribute is present */
    char cn[256];
    char subject[512];
    char problem[256];
} vb_cmscheck_t;

/*
 * Checks cms (DER, trailing zero padding allowed) as a detached signature of
 * content: the message digest, the signature over the signed attributes,
 * the ESS signing certificate when cades; and, with roots_pem, the chain.
 * Returns VB_OK when the check ran (the verdict in *out), an error when the
 * CMS cannot even be read (also reported as not valid in *out).
 */
vb_status_t vb_cms_check(const unsigned char *cms, size_t len, const unsigned char *content, size_t clen, bool cades,
                         const char *roots_pem, vb_cmscheck_t *out);

#endif
