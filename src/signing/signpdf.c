/*
 * signpdf.c - fills a signature field by an incremental update (see signpdf.h).
 *
 * The update, in file order: the signature dictionary (/ByteRange with
 * fixed-width numbers, patched in place once the file's length is known,
 * and /Contents as a run of zeros), the appearance (a form XObject, the
 * images and a font), the field again under its own number with /V and
 * /AP, the AcroForm again with /SigFlags 3, a cross-reference section and
 * the trailer. Then SHA-256 over everything but the /Contents hex string,
 * the CMS, its hex written over the zeros.
 *
 * Appearance (Nghi dinh 30, Phu luc I; 05-HD): the signature image (blue,
 * transparent PNG) fitted and centred in the field; the seal (red PNG) at
 * its real size from its pHYs chunk (else as tall as the field), centred in
 * a field about as wide as it is tall (the seal's own field), else with its
 * right edge a third into the field, over the signature; a text (an
 * appendix's parent number) and the signing time in ISO 8601, +07:00, in
 * 10 pt Times-Roman (a standard font in WinAnsi: numbers and times need no
 * embedded font). Images are written uncompressed but for RunLength, the
 * one filter that needs no library: zlib and libdeflate are other modules'.
 */
#include "signpdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cms.h"
#include "image.h"

#define VN_OFFSET (7 * 3600)     /* Vietnam time, UTC+7, no daylight saving: ND30 wants it */
#define TEXT_SIZE 10             /* ND30 Phu luc I: the appendix's signature text, 10 pt */
#define BR_WIDTH 10              /* digits of each patched /ByteRange number */

void
vb_sign_dates(int64_t t, char pdf[32], char iso[32])
{
    time_t tt = (time_t)(t + VN_OFFSET);
    struct tm tm;
    gmtime_r(&tt, &tm);
    unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, mo = (unsigned)(tm.tm_mon + 1) % 100u,
             dd = (unsigned)tm.tm_mday % 100u, hh = (unsigned)tm.tm_hour % 100u, mi = (unsigned)tm.tm_min % 100u,
             ss = (unsigned)tm.tm_sec % 100u;
    snprintf(pdf, 32, "D:%04u%02u%02u%02u%02u%02u+07'00'", y, mo, dd, hh, mi, ss);
    snprintf(iso, 32, "%04u-%02u-%02uT%02u:%02u:%02u+07:00", y, mo, dd, hh, mi, ss);
}

void
vb_sign_text_string(vb_pdfupd_t *u, const char *s)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)s; *p && ascii; p++)
        ascii = *p >= 0x20 && *p < 0x7F;
    if (ascii) {
        vb_pdfupd_string(u, s, strlen(s));
        return;
    }
    vb_buf_puts(&u->out, "<FEFF");
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp = vb_utf8_next(s, n, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            vb_buf_printf(&u->out, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            vb_buf_printf(&u->out, "%04X", cp);
        }
    }
    vb_buf_putc(&u->out, '>');
}

bool
vb_sign_winansi(const char *s, char *out, size_t size, uint32_t *bad)
{
    size_t o = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = vb_utf8_decode(s + i, n - i, &cp);
        if (k <= 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        unsigned char c;
        if (cp >= 0x20 && cp < 0x7F)
            c = (unsigned char)cp;
        else if (cp >= 0xA0 && cp <= 0xFF)
            c = (unsigned char)cp;
        else if (cp == 0x0110)
            c = 0xD0; /* Đ: the Ð glyph, drawn the same */
        else {
            if (bad)
                *bad = cp;
            return false;
        }
        if (o + 1 >= size)
            return false;
        out[o++] = (char)c;
    }
    out[o] = 0;
    return true;
}

void
vb_sign_font_object(vb_pdfupd_t *u, int num, int face)
{
    static const char *const names[] = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"};
    vb_pdfupd_obj_begin(u, num);
    vb_buf_printf(&u->out, "<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>",
                  names[face & 3]);
    vb_pdfupd_obj_end(u);
}

void
vb_sign_form_fonts(const vb_pdfdoc_t *doc, int afnum, int out[4])
{
    vb_pv_t af, tmp1, tmp2;
    vb_diag_t quiet;
    memset(&quiet, 0, sizeof quiet);
    memset(out, 0, 4 * sizeof out[0]);
    if (afnum <= 0 || vb_pdfread_object(doc, afnum, &af, NULL, &quiet) != VB_OK || af.kind != VB_PV_DICT)
        return;
    const vb_pv_t *dr = vb_pv_get(&af, "DR");
    dr = dr ? vb_pdfread_resolve(doc, dr, &tmp1, &quiet) : NULL;
    const vb_pv_t *fonts = dr && dr->kind == VB_PV_DICT ? vb_pv_get(dr, "Font") : NULL;
    fonts = fonts ? vb_pdfread_resolve(doc, fonts, &tmp2, &quiet) : NULL;
    if (!fonts || fonts->kind != VB_PV_DICT)
        return;
    for (int i = 0; i < 4; i++) {
        char key[5] = {'V', 'b', 'F', (char)('0' + i), 0};
        const vb_pv_t *v = vb_pv_get(fonts, key);
        if (v && v->kind == VB_PV_REF)
            out[i] = v->ref;
    }
}

vb_status_t
vb_sign_options_read(const vb_sign_options_t *opt, vb_sign_options_t *out, vb_diag_t *d)
{
    return vb_sign_opts_copy(opt, opt ? opt->size : 0, sizeof *out, out, "signing options", d);
}

vb_status_t
vb_sign_check_vanban(const vb_pdfdoc_t *doc, vb_diag_t *d)
{
    if (!vb_pdfread_info(doc, "VanbanProfile"))
        return vb_diag_set(d, VB_E_INPUT, "sign.input", doc->name, 0, 0,
                           "%s is not a PDF written by vanban (its Info has no /VanbanProfile); vanban signs and "
                           "issues its own documents only.",
                           doc->name);
    return VB_OK;
}

vb_status_t
vb_sign_read_file(const char *path, unsigned char **buf, size_t *len, vb_diag_t *d)
{
    *buf = NULL;
    *len = 0;
    vb_file_result_t fr;
    char *b = NULL;
    if (!vb_file_read(NULL, path, (int64_t)1 << 31, &b, len, &fr)) {
        if (fr.status == VB_FILE_NOMEM)
            return vb_diag_nomem(d);
        return vb_diag_set(d, VB_E_IO, "sign.read", path, 0, 0, "Cannot read %s: %s.", path,
                           fr.status == VB_FILE_TOO_LARGE ? "it is larger than 2 GiB" : vb_file_why(&fr));
    }
    *buf = (unsigned char *)b;
    return VB_OK;
}

vb_status_t
vb_sign_write_file(const char *path, const void *data, size_t len, vb_diag_t *d)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return vb_diag_set(d, VB_E_IO, "sign.write", path, 0, 0, "%s exists and is not a regular file.", path);
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 40);
    if (!tmp)
        return vb_diag_nomem(d);
    int fd = -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (unsigned i = 0; i < 100 && fd < 0; i++) {
        snprintf(tmp, pl + 40, "%s.tmp%ld%lx%u", path, (long)getpid(), (unsigned long)ts.tv_nsec & 0xFFFFF, i);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* the umask applies */
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        vb_status_t rc = vb_diag_set(d, VB_E_IO, "sign.write", path, 0, 0, "Cannot create a file next to %s: %s.",
                                     path, strerror(errno));
        free(tmp);
        return rc;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    int e = left ? errno : 0;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return vb_diag_set(d, VB_E_IO, "sign.write", path, 0, 0, "Cannot write %s: %s.", path, strerror(e ? e : EIO));
    }
    free(tmp);
    return VB_OK;
}

/* ---- images ---- */

typedef struct picture {
    vb_image_pixels_t px;
    double ppm;          /* pixels per metre (pHYs), 0 when unknown */
    bool ok;
} picture_t;

/* The pHYs chunk's pixels per metre (the x axis), 0 when absent. */
static double
png_ppm(const unsigned char *p, size_t len)
{
    size_t o = 8;
    while (o + 12 <= len) {
        uint32_t n = (uint32_t)p[o] << 24 | (uint32_t)p[o + 1] << 16 | (uint32_t)p[o + 2] << 8 | p[o + 3];
        if (n > len - o - 12)
            break;
        if (!memcmp(p + o + 4, "pHYs", 4) && n >= 9 && p[o + 16] == 1)
            return (double)((uint32_t)p[o + 8] << 24 | (uint32_t)p[o + 9] << 16 | (uint32_t)p[o + 10] << 8 | p[o + 11]);
        if (!memcmp(p + o + 4, "IDAT", 4))
            break;
        o += 12 + n;
    }
    return 0;
}

static vb_status_t
load_picture(const void *data, size_t len, const char *what, picture_t *pic, vb_diag_t *d)
{
    memset(pic, 0, sizeof *pic);
    if (len < 8 || memcmp(data, "\x89PNG\r\n\x1a\n", 8))
        return vb_diag_set(d, VB_E_INPUT, "sign.image", what, 0, 0, "%s is not a PNG image.", what);
    vb_image_t img = {0};
    img.path = what;
    img.data = data;
    img.len = len;
    img.source = what;
    const unsigned char *h = data;
    if (len >= 24) { /* IHDR's width and height, which the decoder checks the pixels against */
        img.px_w = (uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19];
        img.px_h = (uint32_t)h[20] << 24 | (uint32_t)h[21] << 16 | (uint32_t)h[22] << 8 | h[23];
    }
    if (!img.px_w || !img.px_h || img.px_w > 10000 || img.px_h > 10000)
        return vb_diag_set(d, VB_E_INPUT, "sign.image", what, 0, 0,
                           "%s is not a PNG image of at most 10000 x 10000 pixels.", what);
    vb_status_t rc = vb_image_decode(&img, &pic->px, d);
    if (rc != VB_OK)
        return rc;
    pic->ppm = png_ppm(data, len);
    pic->ok = true;
    return VB_OK;
}

/* PDF RunLength encoding of n bytes. */
static void
runlength(vb_buf_t *b, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t r = 1;
        while (i + r < n && r < 128 && p[i + r] == p[i])
            r++;
        if (r >= 2) {
            vb_buf_putc(b, (char)(257 - r));
            vb_buf_putc(b, (char)p[i]);
            i += r;
            continue;
        }
        size_t s = i;
        while (i < n && i - s < 128 && !(i + 1 < n && p[i + 1] == p[i]))
            i++;
        if (i == s)
            i++;
        vb_buf_putc(b, (char)(i - s - 1));
        vb_buf_add(b, p + s, i - s);
    }
    vb_buf_putc(b, (char)128);
}

/* The image (and its soft mask) as objects; returns the image's number. */
static int
write_picture(vb_pdfupd_t *u, const picture_t *pic)
{
    int smask = 0;
    vb_buf_t b = {0};
    size_t npx = (size_t)pic->px.w * pic->px.h;
    char keys[256];
    if (pic->px.alpha) {
        smask = vb_pdfupd_new_num(u);
        runlength(&b, pic->px.alpha, npx);
        snprintf(keys, sizeof keys,
                 "/Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceGray /BitsPerComponent 8 "
                 "/Filter /RunLengthDecode",
                 pic->px.w, pic->px.h);
        vb_pdfupd_stream(u, smask, keys, b.p, b.n);
        vb_buf_clear(&b);
    }
    int num = vb_pdfupd_new_num(u);
    runlength(&b, pic->px.color, npx * (size_t)pic->px.channels);
    int k = snprintf(keys, sizeof keys,
                     "/Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /%s /BitsPerComponent 8 "
                     "/Filter /RunLengthDecode",
                     pic->px.w, pic->px.h, pic->px.channels == 1 ? "DeviceGray" : "DeviceRGB");
    if (smask)
        snprintf(keys + k, sizeof keys - (size_t)k, " /SMask %d 0 R", smask);
    vb_pdfupd_stream(u, num, keys, b.p, b.n);
    if (b.oom)
        u->failed = true;
    vb_buf_free(&b);
    return num;
}

/* "%.3f" without the locale, trailing zeros dropped. */
static void
num(vb_buf_t *b, double v)
{
    long long m = (long long)(v * 1000 + (v < 0 ? -0.5 : 0.5));
    if (m < 0) {
        vb_buf_putc(b, '-');
        m = -m;
    }
    vb_buf_printf(b, "%lld", m / 1000);
    if (m % 1000) {
        char f[8];
        snprintf(f, sizeof f, ".%03lld", m % 1000);
        size_t l = strlen(f);
        while (f[l - 1] == '0')
            f[--l] = 0;
        vb_buf_puts(b, f);
    }
}

/* ---- signing ---- */

static const vb_pdffield_t *
pick_field(const vb_pdffield_t *f, int n, const char *want, bool last, const char *name, vb_diag_t *d,
           vb_status_t *rc)
{
    *rc = VB_OK;
    const vb_pdffield_t *hit = NULL;
    int nsig = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(f[i].ft, "Sig"))
            continue;
        nsig++;
        if (want ? !strcmp(f[i].name, want) : !f[i].v && (!hit || last))
            hit = &f[i];
    }
    if (!hit) {
        if (!nsig) {
            *rc = vb_diag_set(d, VB_E_INPUT, "sign.field", name, 0, 0,
                              "%s has no signature field (render it without --no-sign-fields).", name);
        } else if (want) {
            char list[400] = "";
            for (int i = 0; i < n; i++)
                if (!strcmp(f[i].ft, "Sig") && strlen(list) + strlen(f[i].name) + 2 < sizeof list) {
                    strcat(list, " ");
                    strcat(list, f[i].name);
                }
            *rc = vb_diag_set(d, VB_E_INPUT, "sign.field", name, 0, 0, "%s has no signature field named '%s' (fields:%s).",
                              name, want, list);
        } else {
            *rc = vb_diag_set(d, VB_E_INPUT, "sign.signed", name, 0, 0, "Every signature field of %s is signed already.",
                              name);
        }
        return NULL;
    }
    if (hit->v) {
        *rc = vb_diag_set(d, VB_E_INPUT, "sign.signed", name, 0, 0, "The field %s of %s is signed already.", hit->name,
                          name);
        return NULL;
    }
    if (!vb_pv_is_name(vb_pv_get(&hit->dict, "Subtype"), "Widget") || hit->rect[2] <= hit->rect[0] ||
        hit->rect[3] <= hit->rect[1]) {
        *rc = vb_diag_set(d, VB_E_INPUT, "sign.field", name, 0, 0,
                          "The field %s of %s is not a field and widget in one with a /Rect, as vanban writes them.",
                          hit->name, name);
        return NULL;
    }
    return hit;
}

static void
warn(const vb_sign_options_t *o, const char *id, const char *src, const char *fmt, const char *a, const char *b)
{
    if (!o || !o->on_diagnostic)
        return;
    vb_diag_t w = {0};
    vb_diag_set(&w, VB_OK, id, src, 0, 0, fmt, a, b);
    w.severity = VB_SEVERITY_WARNING;
    o->on_diagnostic(&w, o->diagnostic_ctx);
}

vb_status_t
vb_sign_bytes(const unsigned char *pdf, size_t len, const char *name, vb_signer_t *s, const vb_sign_options_t *o,
              bool default_last, unsigned char **out, size_t *out_len, vb_diag_t *d)
{
    *out = NULL;
    *out_len = 0;
    vb_sign_options_t none = {0};
    if (!o)
        o = &none;
    vb_arena_t *arena = vb_arena_new();
    if (!arena)
        return vb_diag_nomem(d);
    picture_t image = {0}, seal = {0};
    vb_pdfupd_t u = {0};
    unsigned char *cms = NULL;
    size_t cmslen = 0;
    vb_pdfdoc_t doc;
    vb_status_t rc = vb_pdfread_open(arena, pdf, len, name, &doc, d);
    if (rc == VB_OK)
        rc = vb_sign_check_vanban(&doc, d);
    int afnum = 0, nf = 0;
    vb_pdffield_t *fields = NULL;
    if (rc == VB_OK)
        rc = vb_pdfread_fields(&doc, &afnum, &fields, &nf, d);
    if (rc != VB_OK)
        goto done;
    if (afnum < 0) {
        rc = vb_diag_set(d, VB_E_INPUT, "sign.input", name, 0, 0,
                         "The AcroForm of %s is not an indirect object, as vanban writes it.", name);
        goto done;
    }
    const vb_pdffield_t *f = pick_field(fields, nf, o->field, default_last, name, d, &rc);
    if (!f)
        goto done;
    if (o->image_png && (rc = load_picture(o->image_png, o->image_len, "the signature image", &image, d)) != VB_OK)
        goto done;
    if (o->seal_png && (rc = load_picture(o->seal_png, o->seal_len, "the seal image", &seal, d)) != VB_OK)
        goto done;
    int64_t t = o->time ? o->time : (int64_t)time(NULL);
    char pdfdate[32], iso[32], when[32], cn[256];
    vb_sign_dates(t, pdfdate, iso);
    vb_cms_signer_name(s, cn, sizeof cn);
    int validity = vb_cms_signer_valid_at(s, t, when, sizeof when);
    if (validity > 0)
        warn(o, "sign.expired", name, "The certificate of %s expired on %s; the signature is made, but a validator "
             "will not accept it.", cn, when);
    else if (validity < 0)
        warn(o, "sign.expired", name, "The certificate of %s is valid only from %s; the signature is made, but a "
             "validator will not accept it yet.", cn, when);
    char textline[256] = "";
    if (o->text) {
        uint32_t badc = 0;
        if (!vb_sign_winansi(o->text, textline, sizeof textline, &badc)) {
            rc = vb_diag_set(d, VB_E_INPUT, "sign.text", name, 0, 0,
                             "The signature text cannot show U+%04X in the standard Times font (WinAnsi), or is "
                             "longer than %zu bytes.",
                             badc, sizeof textline - 1);
            goto done;
        }
    }
    size_t csize = o->contents_size ? o->contents_size : vb_cms_signer_size(s) + 8192;
    if (!o->contents_size && csize < 16384)
        csize = 16384;

    if ((rc = vb_pdfupd_begin(&u, &doc, d)) != VB_OK)
        goto done;
    /* the signature dictionary */
    int signum = vb_pdfupd_new_num(&u);
    vb_pdfupd_obj_begin(&u, signum);
    vb_buf_puts(&u.out, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ");
    size_t br_off = u.out.n;
    vb_buf_printf(&u.out, "[0 %*s %*s %*s]", BR_WIDTH, "", BR_WIDTH, "", BR_WIDTH, "");
    vb_buf_puts(&u.out, "\n/Contents ");
    size_t a = u.out.n;
    vb_buf_putc(&u.out, '<');
    if (vb_buf_reserve(&u.out, csize * 2 + 2)) {
        memset(u.out.p + u.out.n, '0', csize * 2);
        u.out.n += csize * 2;
        u.out.p[u.out.n] = 0;
    }
    vb_buf_putc(&u.out, '>');
    size_t b = u.out.n;
    vb_buf_printf(&u.out, "\n/M (%s) /Name ", pdfdate);
    vb_sign_text_string(&u, cn);
    if (o->reason) {
        vb_buf_puts(&u.out, " /Reason ");
        vb_sign_text_string(&u, o->reason);
    }
    if (o->location) {
        vb_buf_puts(&u.out, " /Location ");
        vb_sign_text_string(&u, o->location);
    }
    vb_buf_puts(&u.out, " >>");
    vb_pdfupd_obj_end(&u);

    /* the appearance, in the field's own coordinates */
    double fw = f->rect[2] - f->rect[0], fh = f->rect[3] - f->rect[1];
    vb_buf_t content = {0}, res = {0};
    if (image.ok) {
        int im = write_picture(&u, &image);
        double sc = fw / image.px.w < fh / image.px.h ? fw / image.px.w : fh / image.px.h;
        double w = image.px.w * sc, h = image.px.h * sc;
        vb_buf_puts(&content, "q ");
        num(&content, w);
        vb_buf_puts(&content, " 0 0 ");
        num(&content, h);
        vb_buf_putc(&content, ' ');
        num(&content, (fw - w) / 2);
        vb_buf_putc(&content, ' ');
        num(&content, (fh - h) / 2);
        vb_buf_puts(&content, " cm /Sig Do Q\n");
        vb_buf_printf(&res, " /Sig %d 0 R", im);
    }
    if (seal.ok) {
        int im = write_picture(&u, &seal);
        double h = seal.ppm > 0 ? seal.px.h / seal.ppm * 72 / 0.0254 : fh;
        double w = seal.ppm > 0 ? seal.px.w / seal.ppm * 72 / 0.0254 : fh * seal.px.w / seal.px.h;
        if (w > fw || h > fh) { /* no larger than the field: a viewer would scale the whole appearance down */
            double sc = fw / w < fh / h ? fw / w : fh / h;
            w *= sc;
            h *= sc;
        }
        bool own_field = fw < fh * 1.5; /* the seal's own field, about square */
        double x = own_field ? (fw - w) / 2 : fw / 3 - w;
        if (x < 0)
            x = 0;
        vb_buf_puts(&content, "q ");
        num(&content, w);
        vb_buf_puts(&content, " 0 0 ");
        num(&content, h);
        vb_buf_putc(&content, ' ');
        num(&content, x);
        vb_buf_putc(&content, ' ');
        num(&content, (fh - h) / 2);
        vb_buf_puts(&content, " cm /Seal Do Q\n");
        vb_buf_printf(&res, " /Seal %d 0 R", im);
    }
    int font = 0;
    if (o->text) {
        /* the document's own regular font when it has every character (a PDF/A), else the standard Times */
        int own[4];
        vb_sign_form_fonts(&doc, afnum, own);
        bool fits = own[VB_FACE_REGULAR] != 0;
        for (const unsigned char *p = (const unsigned char *)textline; *p && fits; p++)
            fits = (*p >= 0x20 && *p < 0x7F) || *p == 0xD0;
        if (fits) {
            font = own[VB_FACE_REGULAR];
        } else {
            font = vb_pdfupd_new_num(&u);
            vb_sign_font_object(&u, font, VB_FACE_REGULAR);
        }
        /* two lines at the field's top left: the text, then the time */
        double lead = TEXT_SIZE * 1.15, y = fh - TEXT_SIZE * 1.1;
        vb_buf_printf(&content, "BT /F1 %d Tf 0 g 2 ", TEXT_SIZE);
        num(&content, y);
        vb_buf_puts(&content, " Td ");
        vb_pdfupd_t tmp = {0};
        tmp.out = content;
        vb_pdfupd_string(&tmp, textline, strlen(textline));
        vb_buf_puts(&tmp.out, " Tj 0 ");
        num(&tmp.out, -lead);
        vb_buf_puts(&tmp.out, " Td ");
        vb_pdfupd_string(&tmp, iso, strlen(iso));
        vb_buf_puts(&tmp.out, " Tj ET\n");
        content = tmp.out;
    }
    int ap = vb_pdfupd_new_num(&u);
    {
        vb_buf_t keys = {0};
        vb_buf_puts(&keys, "/Type /XObject /Subtype /Form /BBox [0 0 ");
        num(&keys, fw);
        vb_buf_putc(&keys, ' ');
        num(&keys, fh);
        vb_buf_puts(&keys, "] /Resources <<");
        if (res.n)
            vb_buf_printf(&keys, " /XObject <<%s >>", res.p);
        if (font)
            vb_buf_printf(&keys, " /Font << /F1 %d 0 R >>", font);
        vb_buf_puts(&keys, " >>");
        vb_pdfupd_stream(&u, ap, keys.p, content.p ? content.p : "", content.n);
        if (keys.oom || content.oom || res.oom)
            u.failed = true;
        vb_buf_free(&keys);
    }
    vb_buf_free(&content);
    vb_buf_free(&res);

    /* the field, its number kept: the page's /Annots need not change */
    /* and shown: print and locked, the unsigned field's invisible flag (pdf_font.c) cleared */
    static const char *const field_drop[] = {"V", "AP", "AS", "F", NULL};
    vb_pdfupd_obj_begin(&u, f->num);
    vb_pdfupd_dict_open(&u, &f->dict, field_drop);
    vb_buf_printf(&u.out, " /F 132 /V %d 0 R /AP << /N %d 0 R >> >>", signum, ap);
    vb_pdfupd_obj_end(&u);
    /* the AcroForm: SignaturesExist | AppendOnly */
    vb_pv_t af;
    if ((rc = vb_pdfread_object(&doc, afnum, &af, NULL, d)) != VB_OK)
        goto done;
    static const char *const af_drop[] = {"SigFlags", NULL};
    vb_pdfupd_obj_begin(&u, afnum);
    vb_pdfupd_dict_open(&u, &af, af_drop);
    vb_buf_puts(&u.out, " /SigFlags 3 >>");
    vb_pdfupd_obj_end(&u);
    if ((rc = vb_pdfupd_finish(&u, d)) != VB_OK)
        goto done;

    /* the byte ranges, then the hash, the CMS and its hex */
    size_t total = u.out.n;
    char br[64];
    int k = snprintf(br, sizeof br, "[0 %*zu %*zu %*zu]", BR_WIDTH, a, BR_WIDTH, b,
                     BR_WIDTH, total - b);
    memcpy(u.out.p + br_off, br, (size_t)k);
    unsigned char digest[32];
    if (!vb_cms_digest2((unsigned char *)u.out.p, a, (unsigned char *)u.out.p + b, total - b, digest)) {
        rc = vb_diag_set(d, VB_E_PDF, "sign.cms", name, 0, 0, "SHA-256 failed.");
        goto done;
    }
    if ((rc = vb_cms_sign(s, digest, &cms, &cmslen, d)) != VB_OK)
        goto done;
    if (cmslen > csize) {
        rc = vb_diag_set(d, VB_E_INPUT, "sign.placeholder", name, 0, 0,
                         "The signature is %zu bytes; the room kept for it holds %zu (give a larger contents size).",
                         cmslen, csize);
        goto done;
    }
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < cmslen; i++) {
        u.out.p[a + 1 + 2 * i] = hex[cms[i] >> 4];
        u.out.p[a + 2 + 2 * i] = hex[cms[i] & 15];
    }
    *out = (unsigned char *)vb_buf_take(&u.out, out_len);
    if (!*out)
        rc = vb_diag_nomem(d);
done:
    free(cms);
    vb_pdfupd_free(&u);
    vb_image_pixels_free(&image.px);
    vb_image_pixels_free(&seal.px);
    vb_arena_free(arena);
    return rc;
}

vb_status_t
vb_pdf_sign(const void *pdf, size_t len, vb_signer_t *signer, const vb_sign_options_t *opt, void **out,
            size_t *out_len, vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!pdf || !signer || !out || !out_len)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_pdf_sign", 0, 0, "A PDF, a signer and out are needed.");
    *out = NULL;
    *out_len = 0;
    vb_sign_options_t so;
    vb_status_t rc = vb_sign_options_read(opt, &so, diag);
    if (rc != VB_OK)
        return rc;
    unsigned char *o = NULL;
    rc = vb_sign_bytes(pdf, len, "the PDF", signer, &so, false, &o, out_len, diag);
    *out = o;
    return rc;
}

vb_status_t
vb_pdf_sign_file(const char *in_path, const char *out_path, vb_signer_t *signer, const vb_sign_options_t *opt,
                 vb_diag_t *diag)
{
    if (diag)
        memset(diag, 0, sizeof *diag);
    if (!in_path || !out_path || !signer)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_pdf_sign_file", 0, 0,
                           "An input, an output and a signer are needed.");
    unsigned char *in = NULL, *o = NULL;
    size_t len = 0, olen = 0;
    vb_sign_options_t so;
    vb_status_t rc = vb_sign_options_read(opt, &so, diag);
    if (rc == VB_OK)
        rc = vb_sign_read_file(in_path, &in, &len, diag);
    if (rc == VB_OK)
        rc = vb_sign_bytes(in, len, in_path, signer, &so, false, &o, &olen, diag);
    if (rc == VB_OK)
        rc = vb_sign_write_file(out_path, o, olen, diag);
    free(in);
    free(o);
    return rc;
}
