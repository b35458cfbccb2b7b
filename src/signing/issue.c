/*
 * issue.c - fills the number and date fields at issuance (see issue.h).
 *
 * Each text field gets its value (/V) and an appearance: the digits in the
 * document's own embedded font when the AcroForm names one for the face (a
 * PDF/A: /DR /Font /VbF0 ..., the digits at their ASCII codes), else in the
 * standard Times-Roman (the metrics of Times New Roman and Liberation Serif,
 * the documents' fonts; digits are 500/1000 em wide in all three), at the
 * size its /DA gives (the text around the gap), the number set against the
 * gap's right end (it runs into "-BC/ĐU", "/KH-UBND"), the day and the month
 * centred in theirs; the baseline where the line's is when the field is the
 * line's height (descent 0.216 em, Times New Roman's).
 */
#include "issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signpdf.h"

#define DIGIT_EM 0.5     /* Times-Roman's digit advance, in em */
#define DESCENT_EM 0.216 /* Times New Roman / Liberation Serif descent, in em */
#define ASCENT_EM 0.891

static vb_status_t
issue_err(vb_diag_t *d, const char *name, const char *fmt, const char *a, const char *b)
{
    return vb_diag_set(d, VB_E_INPUT, "sign.issue", name, 0, 0, fmt, a, b);
}

vb_status_t
vb_issue_info(const unsigned char *pdf, size_t len, const char *name, char **id, char **unfit, vb_diag_t *d)
{
    *id = *unfit = NULL;
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    vb_pdfdoc_t doc;
    vb_status_t st = vb_pdfread_open(arena, pdf, len, name, &doc, d);
    if (st == VB_OK)
        st = vb_sign_check_vanban(&doc, d);
    if (st == VB_OK) {
        /* "party-05-2026 (Đảng — Hướng dẫn 05-HD/VPTW (2026))": the id, then its title */
        const char *v = vb_pdfread_info(&doc, "VanbanProfile");
        const char *u = vb_pdfread_info(&doc, "VanbanUnfit");
        if (!(*id = strndup(v, strcspn(v, " "))) || (u && *u && !(*unfit = strdup(u)))) {
            free(*id);
            *id = NULL;
            st = vb_diag_nomem(d);
        }
    }
    vb_arena_free(arena);
    return st;
}

/* The size in the field's /DA ("/F1 14 Tf 0 g"), 0 when none. */
static double
da_size(const vb_pdffield_t *f)
{
    const vb_pv_t *da = vb_pv_get(&f->dict, "DA");
    if (!da || da->kind != VB_PV_STR)
        return 0;
    const char *tf = strstr(da->s, " Tf");
    if (!tf)
        return 0;
    const char *p = tf;
    while (p > da->s && p[-1] != ' ')
        p--;
    double v = 0, scale = 0;
    for (; p < tf; p++) {
        if (*p == '.')
            scale = 1;
        else if (*p >= '0' && *p <= '9') {
            if (scale > 0)
                v += (*p - '0') * (scale /= 10);
            else
                v = v * 10 + (*p - '0');
        } else
            return 0;
    }
    return v;
}

static bool named(const char *field, const char *base);

char **
vb_issue_appendix_fields(const unsigned char *pdf, size_t len, const vb_issue_fmt_t *fmt)
{
    vb_arena_t *arena = vb_arena_new();
    vb_pdfdoc_t doc;
    int af = 0, nf = 0;
    vb_pdffield_t *f = NULL;
    char **names = NULL;
    if (arena && vb_pdfread_open(arena, pdf, len, "the PDF", &doc, NULL) == VB_OK &&
        vb_pdfread_fields(&doc, &af, &f, &nf, NULL) == VB_OK) {
        names = calloc((size_t)nf + 1, sizeof *names);
        int k = 0;
        for (int i = 0; names && i < nf; i++)
            if (!strcmp(f[i].ft, "Sig") && !f[i].v && named(f[i].name, fmt->appendix_field))
                names[k++] = strdup(f[i].name);
    }
    vb_arena_free(arena);
    return names;
}

char *
vb_issue_seal_field(const unsigned char *pdf, size_t len, const vb_issue_fmt_t *fmt)
{
    vb_arena_t *arena = vb_arena_new();
    vb_pdfdoc_t doc;
    int af = 0, nf = 0;
    vb_pdffield_t *f = NULL;
    char *name = NULL;
    if (arena && vb_pdfread_open(arena, pdf, len, "the PDF", &doc, NULL) == VB_OK &&
        vb_pdfread_fields(&doc, &af, &f, &nf, NULL) == VB_OK) {
        for (int i = 0; i < nf && !name; i++)
            if (!strcmp(f[i].ft, "Sig") && !f[i].v && named(f[i].name, fmt->seal_field))
                name = strdup(f[i].name);
        for (int i = nf - 1; i >= 0 && !name; i--)
            if (!strcmp(f[i].ft, "Sig") && !f[i].v && !named(f[i].name, fmt->appendix_field))
                name = strdup(f[i].name);
    }
    vb_arena_free(arena);
    return name;
}

static bool
named(const char *field, const char *base)
{
    size_t n = base ? strlen(base) : 0;
    return n && !strncmp(field, base, n) && (field[n] == 0 || field[n] == '_');
}

static void
numtext(vb_buf_t *b, double v)
{
    long long m = (long long)(v * 1000 + (v < 0 ? -0.5 : 0.5));
    if (m < 0) {
        vb_buf_putc(b, '-');
        m = -m;
    }
    vb_buf_printf(b, "%lld.%03lld", m / 1000, m % 1000);
}

vb_status_t
vb_issue_fill(const unsigned char *pdf, size_t len, const char *name, const vb_issue_fmt_t *fmt, const char *number,
              const char *date, unsigned char **out, size_t *out_len, char *full, size_t full_size, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    if (full_size)
        full[0] = 0;
    /* the values */
    size_t nl = number ? strlen(number) : 0;
    long seq = 0;
    for (size_t i = 0; i < nl; i++) {
        if (number[i] < '0' || number[i] > '9' || seq > 9999999)
            return issue_err(d, name,
                             "The number \"%s\" is not a sequence number: give its digits only (196, 5); the kind "
                             "and the body are printed already.%s",
                             number, "");
        seq = seq * 10 + (number[i] - '0');
    }
    if (!nl || seq == 0)
        return issue_err(d, name, "The number \"%s\" is not a sequence number from 1 up.%s", number ? number : "", "");
    int y, m, dd;
    if (!date || !vb_parse_iso_date(date, strlen(date), &y, &m, &dd) || !dd)
        return issue_err(d, name, "The date \"%s\" is not a day written YYYY-MM-DD (2026-12-05).%s", date ? date : "",
                         "");
    char seqs[24], days[8], months[8];
    snprintf(seqs, sizeof seqs, "%0*ld", fmt->number_min_digits, seq);
    snprintf(days, sizeof days, dd < fmt->day_pad_below ? "%02d" : "%d", dd % 100);
    snprintf(months, sizeof months, m < fmt->month_pad_below ? "%02d" : "%d", m % 100);

    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    vb_pdfupd_t u = {0};
    vb_pdfdoc_t doc;
    int afnum = 0, nf = 0;
    vb_pdffield_t *f = NULL;
    vb_status_t rc = vb_pdfread_open(arena, pdf, len, name, &doc, d);
    if (rc == VB_OK)
        rc = vb_sign_check_vanban(&doc, d);
    if (rc == VB_OK)
        rc = vb_pdfread_fields(&doc, &afnum, &f, &nf, d);
    if (rc != VB_OK)
        goto done;
    /* the whole number: the Subject "Số …-BC/ĐU" with the sequence number in the gap */
    const char *subj = vb_pdfread_info(&doc, "Subject");
    if (subj && !strncmp(subj, "S\xE1\xBB\x91 ", 5) && full_size) {
        const char *rest = subj + 5;
        if (!strncmp(rest, "\xE2\x80\xA6", 3))
            snprintf(full, full_size, "%s%s", seqs, rest + 3);
        else
            snprintf(full, full_size, "%s", rest);
    }
    /* the printed year and month must be the date's */
    const char *printed = vb_pdfread_info(&doc, "VanbanDate");
    if (printed) {
        char given[16];
        snprintf(given, sizeof given, "%04d-%02d", y % 10000, m % 100);
        if (strncmp(printed, given, strlen(printed))) {
            rc = issue_err(d, name, "The date %s does not agree with the year and month the document prints (%s).",
                           date, printed);
            goto done;
        }
    }
    int todo = 0;
    for (int i = 0; i < nf; i++) {
        if (strcmp(f[i].ft, "Tx"))
            continue;
        bool isnum = named(f[i].name, fmt->number_field), isday = named(f[i].name, fmt->day_field),
             ismon = named(f[i].name, fmt->month_field);
        if (!isnum && !isday && !ismon)
            continue;
        if (f[i].v && f[i].v->kind == VB_PV_STR && f[i].v->slen) {
            rc = issue_err(d, name, "The field %s is filled already (with \"%s\"): the document was issued.",
                           f[i].name, f[i].v->s);
            goto done;
        }
        todo++;
    }
    if (!todo) {
        rc = issue_err(d, name,
                       "%s has no number or date field to fill: its source gave the number and the day, or it was "
                       "rendered with --no-sign-fields.%s",
                       name, "");
        goto done;
    }
    if ((rc = vb_pdfupd_begin(&u, &doc, d)) != VB_OK)
        goto done;
    int fonts[4] = {0}; /* one per face used */
    int dr_fonts[4] = {0};
    vb_sign_form_fonts(&doc, afnum, dr_fonts);
    for (int i = 0; i < nf; i++) {
        if (strcmp(f[i].ft, "Tx"))
            continue;
        bool isnum = named(f[i].name, fmt->number_field), isday = named(f[i].name, fmt->day_field);
        if (!isnum && !isday && !named(f[i].name, fmt->month_field))
            continue;
        const char *text = isnum ? seqs : isday ? days : months;
        const char *base = isnum ? fmt->number_field : isday ? fmt->day_field : fmt->month_field;
        bool apx = fmt->in_appendix && *fmt->in_appendix && strstr(f[i].name + strlen(base), fmt->in_appendix);
        int face = (isnum ? (apx ? fmt->apx_number_face : fmt->number_face) : (apx ? fmt->apx_date_face : fmt->date_face)) & 3;
        if (!fonts[face] && !dr_fonts[face]) {
            fonts[face] = vb_pdfupd_new_num(&u);
            vb_sign_font_object(&u, fonts[face], face);
        }
        int font = dr_fonts[face] ? dr_fonts[face] : fonts[face];
        double w = f[i].rect[2] - f[i].rect[0], h = f[i].rect[3] - f[i].rect[1];
        double size = da_size(&f[i]);
        if (size <= 0)
            size = h / (ASCENT_EM + DESCENT_EM);
        double tw = (double)strlen(text) * DIGIT_EM * size;
        double x = isnum ? w - tw : (w - tw) / 2;
        if (x < 0)
            x = 0;
        /* the line's baseline when the field is the line's box; centred otherwise */
        double by = (h - (ASCENT_EM + DESCENT_EM) * size) / 2 + DESCENT_EM * size;
        vb_buf_t c = {0};
        vb_buf_printf(&c, "/Tx BMC q BT /F1 ");
        numtext(&c, size);
        vb_buf_puts(&c, " Tf 0 g ");
        numtext(&c, x);
        vb_buf_putc(&c, ' ');
        numtext(&c, by);
        vb_buf_printf(&c, " Td (%s) Tj ET Q EMC", text);
        vb_buf_t k = {0};
        vb_buf_puts(&k, "/Type /XObject /Subtype /Form /BBox [0 0 ");
        numtext(&k, w);
        vb_buf_putc(&k, ' ');
        numtext(&k, h);
        vb_buf_printf(&k, "] /Resources << /Font << /F1 %d 0 R >> >>", font);
        int ap = vb_pdfupd_new_num(&u);
        vb_pdfupd_stream(&u, ap, k.p, c.p, c.n);
        if (c.oom || k.oom)
            u.failed = true;
        vb_buf_free(&c);
        vb_buf_free(&k);
        static const char *const drop[] = {"V", "AP", NULL};
        vb_pdfupd_obj_begin(&u, f[i].num);
        vb_pdfupd_dict_open(&u, &f[i].dict, drop);
        vb_buf_puts(&u.out, " /V ");
        vb_pdfupd_string(&u, text, strlen(text));
        vb_buf_printf(&u.out, " /AP << /N %d 0 R >> >>", ap);
        vb_pdfupd_obj_end(&u);
    }
    if ((rc = vb_pdfupd_finish(&u, d)) != VB_OK)
        goto done;
    *out = (unsigned char *)vb_buf_take(&u.out, out_len);
    if (!*out)
        rc = vb_diag_nomem(d);
done:
    vb_pdfupd_free(&u);
    vb_arena_free(arena);
    return rc;
}
