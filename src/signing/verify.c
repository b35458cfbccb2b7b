/*
 * verify.c - the signatures of a PDF, checked (see verify.h).
 *
 * What changed after a signature is read from the cross-reference sections
 * written after its revision (the bytes its /ByteRange ends at): each object
 * they list is compared with its version in the signed revision. Allowed,
 * as in a form-filling workflow: a field whose only new keys are /V, /AP,
 * /AS; the AcroForm with only /SigFlags, /Fields, /NeedAppearances, /DR,
 * /DA changed; a page with only /Annots changed; new signature
 * dictionaries, XObjects, fonts, widgets. Anything else is "other".
 */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cms.h"

bool
vb_verify_same(const vb_pv_t *a, const vb_pv_t *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case VB_PV_NULL:
        return true;
    case VB_PV_BOOL:
    case VB_PV_NUM:
        return a->num == b->num;
    case VB_PV_REF:
        return a->ref == b->ref && a->gen == b->gen;
    case VB_PV_STR:
    case VB_PV_NAME:
        return a->slen == b->slen && !memcmp(a->s, b->s, a->slen);
    case VB_PV_ARRAY:
        if (a->n != b->n)
            return false;
        for (int i = 0; i < a->n; i++)
            if (!vb_verify_same(&a->items[i], &b->items[i]))
                return false;
        return true;
    case VB_PV_DICT:
        if (a->n != b->n)
            return false;
        for (int i = 0; i < a->n; i++) {
            const vb_pv_t *o = vb_pv_get(b, a->keys[i]);
            if (!o || !vb_verify_same(&a->items[i], o))
                return false;
        }
        return true;
    }
    return false;
}

/* The keys that differ between two dictionaries are all in allowed. */
static bool
only_changed(const vb_pv_t *old, const vb_pv_t *now, const char *const *allowed)
{
    for (int pass = 0; pass < 2; pass++) {
        const vb_pv_t *x = pass ? now : old, *y = pass ? old : now;
        for (int i = 0; i < x->n; i++) {
            bool ok = false;
            for (const char *const *k = allowed; *k && !ok; k++)
                ok = !strcmp(*k, x->keys[i]);
            if (ok)
                continue;
            const vb_pv_t *o = vb_pv_get(y, x->keys[i]);
            if (!o || !vb_verify_same(&x->items[i], o))
                return false;
        }
    }
    return true;
}

/*
 * A field's /F is the same, or a signer cleared the invisible flag (2) of
 * vanban's unsigned signature fields (pdf_font.c) and nothing else.
 */
static bool
flags_shown(const vb_pv_t *old, const vb_pv_t *now)
{
    const vb_pv_t *a = vb_pv_get(old, "F"), *b = vb_pv_get(now, "F");
    if (!a || !b)
        return a == b;
    if (a->kind != VB_PV_NUM || b->kind != VB_PV_NUM)
        return vb_verify_same(a, b);
    long fa = (long)a->num, fb = (long)b->num;
    return fa == fb || (fa & ~2L) == fb;
}

/* The offset of object num as of the revision closed by section last (sections 0..last), 0 when absent. */
static size_t
offset_at(const vb_pdfdoc_t *doc, int last, int num)
{
    for (int s = last; s >= 0; s--)
        for (int i = 0; i < doc->sects[s].n; i++)
            if (doc->sects[s].nums[i] == num)
                return doc->sects[s].offs[i];
    return 0;
}

/* What the sections after last changed: VB_SIG_FORM_ONLY or VB_SIG_OTHER (with what in why). */
static vb_sig_changes_t
changes_after(const vb_pdfdoc_t *doc, int last, int acroform, char *why, size_t size)
{
    static const char *const field_keys[] = {"V", "AP", "AS", "F", NULL}; /* F: flags_shown */
    static const char *const form_keys[] = {"SigFlags", "Fields", "NeedAppearances", "DR", "DA", NULL};
    static const char *const page_keys[] = {"Annots", NULL};
    for (int s = last + 1; s < doc->nsects; s++) {
        for (int i = 0; i < doc->sects[s].n; i++) {
            int num = doc->sects[s].nums[i];
            vb_pv_t now, old;
            if (vb_pdfread_object_at(doc, num, doc->sects[s].offs[i], &now, NULL, NULL) != VB_OK) {
                snprintf(why, size, "object %d, written after it, cannot be read", num);
                return VB_SIG_OTHER;
            }
            size_t oo = offset_at(doc, last, num);
            if (!oo) { /* a new object */
                const vb_pv_t *t = vb_pv_get(&now, "Type");
                const vb_pv_t *st = vb_pv_get(&now, "Subtype");
                bool ok = vb_pv_is_name(t, "Sig") || vb_pv_is_name(t, "XObject") || vb_pv_is_name(t, "Font") ||
                          vb_pv_is_name(t, "FontDescriptor") || vb_pv_is_name(st, "Form") ||
                          vb_pv_is_name(st, "Image") || vb_pv_is_name(st, "Widget") ||
                          (now.kind == VB_PV_DICT && vb_pv_get(&now, "Length") && !t); /* a font file, a stream */
                if (!ok) {
                    snprintf(why, size, "a new object %d that is not a signature, a field or its appearance", num);
                    return VB_SIG_OTHER;
                }
                continue;
            }
            if (vb_pdfread_object_at(doc, num, oo, &old, NULL, NULL) != VB_OK || old.kind != VB_PV_DICT ||
                now.kind != VB_PV_DICT) {
                snprintf(why, size, "object %d changed", num);
                return VB_SIG_OTHER;
            }
            bool field = vb_pv_get(&old, "FT") || vb_pv_get(&old, "T");
            bool page = vb_pv_is_name(vb_pv_get(&old, "Type"), "Page");
            const char *const *allowed = num == acroform ? form_keys : field ? field_keys : page ? page_keys : NULL;
            if (!allowed || !only_changed(&old, &now, allowed) || (field && !flags_shown(&old, &now))) {
                snprintf(why, size, "object %d (%s) changed", num,
                         num == acroform ? "the AcroForm, beyond its fields and flags"
                         : field         ? "a form field, beyond its value and appearance"
                         : page          ? "a page, beyond its annotations"
                         : num == doc->root ? "the catalog"
                                            : "not a form field");
                return VB_SIG_OTHER;
            }
        }
    }
    return VB_SIG_FORM_ONLY;
}

static void
iso_time(const vb_pv_t *m, char *out, size_t size)
{
    out[0] = 0;
    if (!m || m->kind != VB_PV_STR)
        return;
    const char *s = m->s;
    if (!strncmp(s, "D:", 2))
        s += 2;
    if (strlen(s) < 14) {
        snprintf(out, size, "%s", m->s);
        return;
    }
    char tz[8] = "";
    if (s[14] == 'Z')
        snprintf(tz, sizeof tz, "Z");
    else if ((s[14] == '+' || s[14] == '-') && strlen(s) >= 20)
        snprintf(tz, sizeof tz, "%c%.2s:%.2s", s[14], s + 15, s + 18);
    snprintf(out, size, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", s, s + 4, s + 6, s + 8, s + 10, s + 12, tz);
}

typedef struct found {
    vb_sig_info_t info;
    size_t end;
} found_t;

static int
cmp_found(const void *a, const void *b)
{
    const found_t *x = a, *y = b;
    return (x->end > y->end) - (x->end < y->end);
}

static void
check_one(const vb_pdfdoc_t *doc, const vb_pdffield_t *f, int acroform, const char *roots, found_t *out)
{
    vb_sig_info_t *r = &out->info;
    snprintf(r->field, sizeof r->field, "%s", f->name);
    r->trusted = -1;
    vb_pv_t tmp;
    const vb_pv_t *sig = vb_pdfread_resolve(doc, f->v, &tmp, NULL);
    const vb_pv_t *br = sig ? vb_pv_get(sig, "ByteRange") : NULL;
    const vb_pv_t *ct = sig ? vb_pv_get(sig, "Contents") : NULL;
    const vb_pv_t *sf = sig ? vb_pv_get(sig, "SubFilter") : NULL;
    iso_time(sig ? vb_pv_get(sig, "M") : NULL, r->time, sizeof r->time);
    snprintf(r->subfilter, sizeof r->subfilter, "%s", sf && sf->kind == VB_PV_NAME ? sf->s : "");
    double v[4] = {0};
    bool ok = br && br->kind == VB_PV_ARRAY && br->n == 4 && ct && ct->kind == VB_PV_STR;
    for (int i = 0; ok && i < 4; i++) {
        ok = br->items[i].kind == VB_PV_NUM && br->items[i].num >= 0 && br->items[i].num <= (double)doc->len;
        v[i] = ok ? br->items[i].num : 0;
    }
    size_t a = (size_t)v[1], b = (size_t)v[2], n2 = (size_t)v[3];
    ok = ok && v[0] == 0 && a < b && b <= doc->len && n2 <= doc->len - b && doc->buf[a] == '<' &&
         doc->buf[b - 1] == '>' && ct->off == a && ct->off + ct->len == b;
    if (!ok) {
        snprintf(r->problem, sizeof r->problem, "its /ByteRange does not leave out exactly its /Contents");
        out->end = doc->len;
        return;
    }
    out->end = b + n2;
    r->whole = out->end == doc->len;
    unsigned char *content = malloc(a + n2 + 1);
    if (!content) {
        snprintf(r->problem, sizeof r->problem, "out of memory");
        return;
    }
    memcpy(content, doc->buf, a);
    memcpy(content + a, doc->buf + b, n2);
    vb_cmscheck_t c;
    vb_cms_check((const unsigned char *)ct->s, ct->slen, content, a + n2,
                 !strcmp(r->subfilter, "ETSI.CAdES.detached"), roots, &c);
    free(content);
    r->valid = c.valid;
    r->trusted = c.trusted;
    r->signing_time_attr = c.signing_time;
    snprintf(r->signer, sizeof r->signer, "%s", c.cn);
    snprintf(r->subject, sizeof r->subject, "%s", c.subject);
    snprintf(r->problem, sizeof r->problem, "%s", c.problem);
    if (r->whole) {
        r->changes = VB_SIG_UNCHANGED;
        return;
    }
    int last = -1;
    for (int s = 0; s < doc->nsects; s++)
        if (doc->sects[s].end == out->end)
            last = s;
    if (last < 0) {
        r->changes = VB_SIG_OTHER;
        if (!r->problem[0])
            snprintf(r->problem, sizeof r->problem, "it does not end where a revision of the file ends");
        return;
    }
    char why[200] = "";
    r->changes = changes_after(doc, last, acroform, why, sizeof why);
    if (r->changes == VB_SIG_OTHER && !r->problem[0])
        snprintf(r->problem, sizeof r->problem, "changed after it: %s", why);
}

vb_status_t
vb_pdf_verify(const void *pdf, size_t len, const char *roots_pem, vb_verify_result_t **out, vb_diag_t *d)
{
    if (d)
        memset(d, 0, sizeof *d);
    if (!pdf || !out)
        return vb_diag_set(d, VB_E_USAGE, "api.usage", "vb_pdf_verify", 0, 0, "A PDF and out are needed.");
    *out = NULL;
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    vb_pdfdoc_t doc;
    int acroform = 0, nf = 0;
    vb_pdffield_t *f = NULL;
    vb_status_t rc = vb_pdfread_open(arena, pdf, len, "the PDF", &doc, d);
    if (rc == VB_OK)
        rc = vb_pdfread_fields(&doc, &acroform, &f, &nf, d);
    vb_verify_result_t *r = rc == VB_OK ? calloc(1, sizeof *r) : NULL;
    found_t *fs = rc == VB_OK ? calloc((size_t)nf + 1, sizeof *fs) : NULL;
    if (rc == VB_OK && (!r || !fs))
        rc = vb_diag_nomem(d);
    int n = 0;
    for (int i = 0; rc == VB_OK && i < nf; i++) {
        if (strcmp(f[i].ft, "Sig"))
            continue;
        if (!f[i].v) {
            r->unsigned_fields++;
            continue;
        }
        check_one(&doc, &f[i], acroform, roots_pem, &fs[n++]);
    }
    if (rc == VB_OK) {
        qsort(fs, (size_t)n, sizeof *fs, cmp_found);
        r->sigs = calloc((size_t)n + 1, sizeof *r->sigs);
        if (!r->sigs) {
            rc = vb_diag_nomem(d);
        } else {
            for (int i = 0; i < n; i++)
                r->sigs[i] = fs[i].info;
            r->count = n;
        }
    }
    free(fs);
    vb_arena_free(arena);
    if (rc != VB_OK) {
        vb_verify_result_free(r);
        return rc;
    }
    *out = r;
    return VB_OK;
}

void
vb_verify_result_free(vb_verify_result_t *r)
{
    if (!r)
        return;
    free(r->sigs);
    free(r);
}
