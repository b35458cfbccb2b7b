/*
 * sign.c - the signing commands of vanban (a client of vanban.h only):
 *
 *   vanban sign IN.pdf -o OUT.pdf SIGNER [--field NAME] [--image SIG.png] [--seal SEAL.png] [--text TEXT]
 *               [--reason TEXT] [--location TEXT] [--contents-size N]
 *   vanban issue IN.pdf -o OUT.pdf --number N --date YYYY-MM-DD SIGNER [--field NAME] [--seal SEAL.png] ...
 *   vanban verify FILE.pdf [--ca ROOTS.pem]
 *
 *   SIGNER: --p12 KEY.p12 [--password-file F | --password-env VAR]
 *         | --pkcs11 MODULE (--pkcs11-uri URI | [--token LABEL | --slot ID] --key-label LABEL) [--cert CERT.pem]
 *           (--pin-file F | --pin-env VAR)
 *
 * Secrets never come from the command line (ps shows it): a file or an
 * environment variable. SOURCE_DATE_EPOCH, when set, is the signing time.
 * Exit status: 0 done (verify: every signature valid), 1 failed (verify:
 * a signature is not valid), 2 usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "vanban.h"


static const char sign_usage[] =
    "Usage:\n"
    "  vanban sign IN.pdf -o OUT.pdf SIGNER [--field NAME] [--image SIG.png] [--seal SEAL.png] [--text TEXT]\n"
    "              [--reason TEXT] [--location TEXT] [--contents-size BYTES]\n"
    "  vanban issue IN.pdf -o OUT.pdf --number N --date YYYY-MM-DD SIGNER [--field NAME] [--seal SEAL.png]\n"
    "              [--layouts DIR] [--reason TEXT] [--location TEXT]\n"
    "  vanban verify FILE.pdf [--ca ROOTS.pem]\n"
    "\n"
    "SIGNER is a PKCS#12 file or a key on a PKCS#11 token:\n"
    "  --p12 KEY.p12 [--password-file FILE | --password-env VAR]\n"
    "  --pkcs11 MODULE.so (--pkcs11-uri 'pkcs11:token=...;object=...' | [--token LABEL | --slot ID] --key-label LABEL)\n"
    "         (--pin-file FILE | --pin-env VAR) [--cert CERT.pem]\n"
    "Passwords and PINs are read from a file (its first line) or an environment variable, never from the\n"
    "command line. sign fills the first unsigned signature field unless --field names one; issue fills the\n"
    "number and date fields, then signs the body's seal field (the profile's) and each appendix's field (the\n"
    "parent's number and the time). SOURCE_DATE_EPOCH, when set, is the signing time.\n"
    "\n"
    "Exit status: 0 done (verify: every signature is valid), 1 failed (verify: a signature is not valid), 2 usage.\n";

static int
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vanban: ");
    fprintf(stderr, fmt, arg ? arg : "");
    fprintf(stderr, "\n%s", sign_usage);
    return 2;
}

static void
print_diag(const vb_diag_t *d)
{
    char buf[1400];
    vb_diag_format(d, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
}

static void
on_warning(const vb_diag_t *w, void *ctx)
{
    (void)ctx;
    char buf[1400];
    vb_diag_format_warning(w, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
}

/* A whole file (NUL-terminated; free with vb_free), read by the library; NULL with a message. */
static char *
slurp(const char *path, size_t *len, const char *what)
{
    void *data = NULL;
    size_t n = 0;
    vb_diag_t d = {0};
    if (vb_file_load(path, &data, &n, &d) != VB_OK) {
        fprintf(stderr, "vanban: cannot read %s: %s\n", what, d.msg);
        return NULL;
    }
    if (len)
        *len = n;
    return data;
}

/* A secret from --X-file (its first line) or --X-env; *out NULL when neither was given. */
static bool
secret(const char *file, const char *env, const char *what, char **out)
{
    *out = NULL;
    if (file) {
        char *s = slurp(file, NULL, what);
        if (!s)
            return false;
        s[strcspn(s, "\r\n")] = 0;
        *out = s;
    } else if (env) {
        const char *v = getenv(env);
        if (!v) {
            fprintf(stderr, "vanban: the environment variable %s (the %s) is not set\n", env, what);
            return false;
        }
        size_t n = strlen(v);
        *out = malloc(n + 1); /* freed with vb_free, as what vb_file_load gives */
        if (*out)
            memcpy(*out, v, n + 1);
    }
    return true;
}

typedef struct args {
    const char *in, *out, *p12, *pwfile, *pwenv, *module, *uri, *token, *slot, *keylabel, *pinfile, *pinenv, *cert;
    const char *field, *image, *seal, *text, *reason, *location, *number, *date, *layouts, *ca;
    long contents;
} args_t;

static vb_signer_t *
make_signer(const args_t *a)
{
    vb_diag_t d = {0};
    vb_signer_t *s = NULL;
    if (a->p12) {
        char *pw = NULL;
        size_t len;
        char *data = slurp(a->p12, &len, "the PKCS#12 file");
        if (!data || !secret(a->pwfile, a->pwenv, "password", &pw)) {
            vb_free(data);
            return NULL;
        }
        vb_status_t st = vb_signer_from_p12(data, len, pw ? pw : "", &s, &d);
        if (pw)
            memset(pw, 0, strlen(pw));
        vb_free(pw);
        vb_free(data);
        if (st != VB_OK) {
            snprintf(d.source, sizeof d.source, "%s", a->p12);
            print_diag(&d);
        }
        return s;
    }
    char *pin = NULL;
    if (!secret(a->pinfile, a->pinenv, "PIN", &pin))
        return NULL;
    vb_pkcs11_options_t o = {sizeof o, a->module, a->uri, a->token, a->keylabel, pin, a->cert, a->slot};
    vb_status_t st = vb_signer_from_pkcs11(&o, &s, &d);
    if (pin)
        memset(pin, 0, strlen(pin));
    vb_free(pin);
    if (st != VB_OK)
        print_diag(&d);
    return s;
}

static void *
load_png(const char *path, size_t *len, bool *ok)
{
    *len = 0;
    if (!path)
        return NULL;
    void *p = slurp(path, len, "the image");
    if (!p)
        *ok = false;
    return p;
}

static int
do_verify(const args_t *a)
{
    size_t len;
    char *pdf = slurp(a->in, &len, "the PDF");
    if (!pdf)
        return 1;
    char *roots = a->ca ? slurp(a->ca, NULL, "the root certificates") : NULL;
    if (a->ca && !roots) {
        vb_free(pdf);
        return 1;
    }
    vb_verify_result_t *r = NULL;
    vb_diag_t d = {0};
    vb_status_t st = vb_pdf_verify(pdf, len, roots, &r, &d);
    vb_free(pdf);
    vb_free(roots);
    if (st != VB_OK) {
        snprintf(d.source, sizeof d.source, "%s", a->in);
        print_diag(&d);
        return 1;
    }
    int bad = 0;
    static const char *const change[] = {"none", "only form fields filled and signatures added",
                                         "other changes (not only form fields and signatures)"};
    printf("%s: %d signature%s, %d empty signature field%s\n", a->in, r->count, r->count == 1 ? "" : "s",
           r->unsigned_fields, r->unsigned_fields == 1 ? "" : "s");
    for (int i = 0; i < r->count; i++) {
        const vb_sig_info_t *s = &r->sigs[i];
        printf("Signature #%d: %s\n", i + 1, s->valid ? "valid" : "INVALID");
        printf("  field: %s\n", s->field);
        printf("  signer: %s\n", s->signer);
        printf("  subject: %s\n", s->subject);
        printf("  time: %s\n", s->time);
        printf("  type: %s\n", s->subfilter);
        printf("  covers the whole document: %s\n", s->whole ? "yes" : "no");
        printf("  changed after it: %s\n", change[s->changes]);
        if (s->trusted >= 0)
            printf("  certificate: %s\n", s->trusted ? "trusted" : "NOT trusted (the chain does not reach --ca)");
        if (s->signing_time_attr)
            printf("  note: the CMS has a signing-time attribute (PAdES forbids it)\n");
        if (s->problem[0])
            printf("  problem: %s\n", s->problem);
        if (!s->valid || s->changes == VB_SIG_OTHER || s->trusted == 0)
            bad = 1;
    }
    vb_verify_result_free(r);
    return bad;
}

int
vb_cli_sign(int argc, char **argv, const char *default_layouts)
{
    const char *cmd = argv[0];
    args_t a = {0};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(sign_usage, stdout);
            return 0;
        }
#define OPT(name, member)        \
    else if (!strcmp(o, name))   \
        slot = &a.member;
        if (0) {
        }
        OPT("-o", out)
        OPT("--output", out)
        OPT("--p12", p12)
        OPT("--password-file", pwfile)
        OPT("--password-env", pwenv)
        OPT("--pkcs11", module)
        OPT("--pkcs11-uri", uri)
        OPT("--token", token)
        OPT("--slot", slot)
        OPT("--key-label", keylabel)
        OPT("--pin-file", pinfile)
        OPT("--pin-env", pinenv)
        OPT("--cert", cert)
        OPT("--field", field)
        OPT("--image", image)
        OPT("--seal", seal)
        OPT("--text", text)
        OPT("--reason", reason)
        OPT("--location", location)
        OPT("--number", number)
        OPT("--date", date)
        OPT("--layouts", layouts)
        OPT("--ca", ca)
#undef OPT
        else if (!strcmp(o, "--contents-size") && i + 1 < argc) {
            char *end;
            a.contents = strtol(argv[++i], &end, 10);
            if (*end || a.contents < 1024 || a.contents > 1048576)
                return usage_error("--contents-size wants a number of bytes from 1024 to 1048576, not '%s'", argv[i]);
            continue;
        } else if (!strcmp(o, "--password") || !strcmp(o, "--pin")) {
            return usage_error("%s is not accepted on the command line (others can read it): use --password-file, "
                               "--password-env, --pin-file or --pin-env",
                               o);
        } else if (o[0] == '-' && o[1]) {
            return usage_error("unknown option '%s'", o);
        } else if (!a.in) {
            a.in = o;
            continue;
        } else {
            return usage_error("unexpected argument '%s'", o);
        }
        if (i + 1 >= argc)
            return usage_error("%s needs a value", o);
        *slot = argv[++i];
    }
    bool verify = !strcmp(cmd, "verify"), issue = !strcmp(cmd, "issue");
    if (!a.in)
        return usage_error("%s needs a PDF", cmd);
    if (verify)
        return do_verify(&a);
    if (!a.out)
        return usage_error("%s needs -o OUT.pdf", cmd);
    if (!a.p12 == !a.module)
        return usage_error("%s needs one signer: --p12 FILE or --pkcs11 MODULE", cmd);
    if (a.module && !a.uri && !a.keylabel)
        return usage_error("--pkcs11 needs --pkcs11-uri or --key-label%s", "");
    if (a.module && !a.pinfile && !a.pinenv)
        return usage_error("--pkcs11 needs the PIN: --pin-file FILE or --pin-env VAR%s", "");
    if (issue && (!a.number || !a.date))
        return usage_error("issue needs --number and --date%s", "");
    if (!issue && (a.number || a.date))
        return usage_error("--number and --date belong to issue, not %s", cmd);
    int64_t when = 0;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v <= 0)
            return usage_error("SOURCE_DATE_EPOCH must be seconds since 1970, not '%s'", sde);
        when = v;
    }

    bool ok = true;
    size_t ilen, slen;
    void *img = load_png(a.image, &ilen, &ok), *seal = load_png(a.seal, &slen, &ok);
    vb_signer_t *signer = ok ? make_signer(&a) : NULL;
    if (!signer) {
        vb_free(img);
        vb_free(seal);
        return 1;
    }
    vb_sign_options_t so = {.size = sizeof so};
    so.field = a.field;
    so.image_png = img;
    so.image_len = ilen;
    so.seal_png = seal;
    so.seal_len = slen;
    so.text = a.text;
    so.reason = a.reason;
    so.location = a.location;
    so.time = when;
    so.contents_size = (size_t)a.contents;
    so.on_diagnostic = on_warning;
    vb_diag_t d = {0};
    vb_status_t st;
    if (issue) {
        vb_engine_options_t eo = {.size = sizeof eo, .layouts_dir = a.layouts ? a.layouts : default_layouts};
        eo.on_diagnostic = on_warning;
        vb_engine_t *engine = NULL;
        st = vb_engine_new(&eo, &engine, &d);
        if (st == VB_OK) {
            vb_issue_options_t io = {sizeof io, a.number, a.date, &so};
            st = vb_pdf_issue_file(engine, a.in, a.out, signer, &io, &d);
        }
        vb_engine_free(engine);
    } else {
        st = vb_pdf_sign_file(a.in, a.out, signer, &so, &d);
    }
    vb_signer_free(signer);
    vb_free(img);
    vb_free(seal);
    if (st != VB_OK) {
        print_diag(&d);
        return st == VB_E_USAGE ? 2 : 1;
    }
    return 0;
}
