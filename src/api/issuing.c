/*
 * issuing.c - the public issuance calls (vanban.h): the profile the PDF
 * names is found through the engine (catalog.c), its printed forms handed to
 * issue.c, which fills the number and date fields; sign.c then signs with
 * the body's seal field. Here, in src/api/, because only the engine knows
 * the profiles; the PDF work is src/signing/'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "issue.h"
#include "signpdf.h"


/* The face of the first text item of band whose template holds {field}; regular when none. */
static int
face_of(const vb_band_t *b, const char *field)
{
    char tag[32];
    snprintf(tag, sizeof tag, "{%s}", field);
    for (int c = 0; b->present && c < b->ncols; c++)
        for (int i = 0; i < b->cols[c].n; i++) {
            const vb_pitem_t *it = &b->cols[c].items[i];
            if (it->kind == VB_PITEM_TEXT && it->text && strstr(it->text, tag))
                return it->style.face;
        }
    return VB_FACE_REGULAR;
}

/* As face_of, over the appendix's header and title bands. */
static int
apx_face_of(const vb_profile_t *p, const char *field)
{
    char tag[32];
    snprintf(tag, sizeof tag, "{%s}", field);
    const vb_band_t *b = &p->appendix.title;
    for (int c = 0; b->present && c < b->ncols; c++)
        for (int i = 0; i < b->cols[c].n; i++)
            if (b->cols[c].items[i].text && strstr(b->cols[c].items[i].text, tag))
                return face_of(b, field);
    return face_of(&p->appendix.header, field);
}

vb_status_t
vb_pdf_issue(vb_engine_t *engine, const void *pdf, size_t len, vb_signer_t *signer, const vb_issue_options_t *opt,
             void **out, size_t *out_len, vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!engine || !pdf || !signer || !opt || !out || !out_len)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_pdf_issue", 0, 0,
                           "An engine, a PDF, a signer, the options and out are needed.");
    *out = NULL;
    *out_len = 0;
    vb_issue_options_t io;
    vb_sign_options_t sopt;
    vb_status_t orc = vb_options_copy(opt, opt->size, sizeof io, &io, "vb_issue_options_t", diag);
    if (orc == VB_OK && opt->size == 0 && (opt->number || opt->date || opt->sign))
        orc = vb_diag_set(diag, VB_E_USAGE, "options.size", NULL, 0, 0,
                          "The issue options have fields set but size 0: set size to sizeof(vb_issue_options_t).");
    if (orc == VB_OK)
        orc = vb_sign_options_read(io.sign, &sopt, diag);
    if (orc != VB_OK)
        return orc;
    io.sign = &sopt;
    opt = &io;
    const char *name = "the PDF";
    char *id, *unfit;
    vb_status_t ist = vb_issue_info(pdf, len, name, &id, &unfit, diag);
    if (ist != VB_OK)
        return ist;
    /* fit to issue, always: a PDF whose source had no signer's name, no recipients, no trích yếu or a
       placeholder left (the render noted which, /VanbanUnfit) is not issued */
    if (unfit) {
        char rule[48];
        snprintf(rule, sizeof rule, "%.*s", (int)strcspn(unfit, " "), unfit);
        vb_status_t st = vb_diag_set(diag, VB_E_INPUT, rule, name, 0, 0,
                                     "The PDF was made from a source that is not ready to be issued (%s): correct the "
                                     "source (vanban check --strict names each problem), render it again, then issue "
                                     "it.",
                                     unfit);
        free(unfit);
        free(id);
        return st;
    }
    vb_arena_t *arena = vb_arena_new();
    if (!arena) {
        free(id);
        return vb_diag_nomem(diag);
    }
    vb_model_t m;
    memset(&m, 0, sizeof m);
    vb_render_options_t ro;
    memset(&ro, 0, sizeof ro);
    ro.size = sizeof ro;
    ro.profile = id;
    const vb_profile_t *prof = NULL;
    vb_status_t rc = vb_catalog_profile(engine, arena, &m, &ro, NULL, &prof, diag);
    free(id);
    unsigned char *filled = NULL, *signed_pdf = NULL;
    size_t flen = 0, slen = 0;
    char full[256] = "";
    vb_issue_fmt_t fmt = {0};
    if (rc == VB_OK) {
        /* the printed forms (`number:`, `date:`) and the field names (`signing:`) are the profile's */
        const vb_psigning_t *sg = &prof->signing;
        vb_issue_fmt_t f = {prof->number.min_digits, prof->date.day_pad_below, prof->date.month_pad_below,
                            sg->number.name, sg->day.name, sg->month.name, sg->appendix.name, sg->seal.name,
                            sg->in_appendix, face_of(&prof->header, "number"), face_of(&prof->header, "date"),
                            apx_face_of(prof, "number"), apx_face_of(prof, "date")};
        fmt = f;
        if (!sg->present)
            rc = vb_diag_set(diag, VB_E_PROFILE, "sign.issue", name, 0, 0,
                             "The profile of the PDF has no signing: section naming its issuance fields.");
    }
    if (rc == VB_OK) {
        rc = vb_issue_fill(pdf, len, name, &fmt, opt->number, opt->date, &filled, &flen, full, sizeof full, diag);
    }
    /* the seal: opt->sign.field, or the last unsigned signature field that is not an appendix's */
    char **apx = rc == VB_OK ? vb_issue_appendix_fields(filled, flen, &fmt) : NULL;
    vb_sign_options_t so = *opt->sign;
    char *seal_field = NULL;
    if (rc == VB_OK && !so.field) {
        seal_field = vb_issue_seal_field(filled, flen, &fmt);
        so.field = seal_field;
    }
    if (rc == VB_OK && !so.field && apx && apx[0]) {
        /* an appendix issued as a file of its own: only its field, signed below */
        signed_pdf = filled;
        slen = flen;
        filled = NULL;
    } else if (rc == VB_OK) {
        rc = vb_sign_bytes(filled, flen, name, signer, &so, true, &signed_pdf, &slen, diag);
    }
    free(seal_field);
    free(filled);
    /* then each appendix's field, with the parent's number and the signing time (ND30 Phụ lục I) */
    for (int i = 0; rc == VB_OK && apx && apx[i]; i++) {
        if (opt->sign->field && !strcmp(opt->sign->field, apx[i]))
            continue;
        vb_sign_options_t ao = *opt->sign;
        ao.field = apx[i];
        ao.image_png = ao.seal_png = NULL;
        ao.text = full;
        unsigned char *next = NULL;
        size_t nlen = 0;
        rc = vb_sign_bytes(signed_pdf, slen, name, signer, &ao, false, &next, &nlen, diag);
        free(signed_pdf);
        signed_pdf = next;
        slen = nlen;
    }
    for (int i = 0; apx && apx[i]; i++)
        free(apx[i]);
    free(apx);
    vb_arena_free(arena);
    if (rc == VB_OK) {
        *out = signed_pdf;
        *out_len = slen;
    } else {
        free(signed_pdf);
    }
    return rc;
}

vb_status_t
vb_pdf_issue_file(vb_engine_t *engine, const char *in_path, const char *out_path, vb_signer_t *signer,
                  const vb_issue_options_t *opt, vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!in_path || !out_path)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_pdf_issue_file", 0, 0, "An input and an output are needed.");
    unsigned char *in = NULL;
    size_t len = 0;
    void *o = NULL;
    size_t olen = 0;
    vb_status_t rc = vb_sign_read_file(in_path, &in, &len, diag);
    if (rc == VB_OK)
        rc = vb_pdf_issue(engine, in, len, signer, opt, &o, &olen, diag);
    if (rc == VB_OK)
        rc = vb_sign_write_file(out_path, o, olen, diag);
    if (rc != VB_OK && diag && !strcmp(diag->source, "the PDF"))
        snprintf(diag->source, sizeof diag->source, "%s", in_path);
    free(in);
    free(o);
    return rc;
}
