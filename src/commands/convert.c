/*
 * convert.c - vanban convert: a file typed in an old Vietnamese encoding
 * (TCVN3, VNI, VIQR) to Unicode (docs/paste.md).
 *
 *   vanban convert --from tcvn3|vni|viqr|auto IN [-o OUT]
 *
 * Prints the converted text, or writes it to OUT through a temporary file in
 * OUT's folder renamed over it once complete (OUT is never left half
 * written). Exit status: 0 converted, 1 --from auto found no old encoding,
 * 2 usage, 3 the file could not be read or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

static const char convert_usage[] =
    "Usage: vanban convert --from tcvn3|vni|viqr|auto IN [-o OUT]\n"
    "Converts text typed in an old Vietnamese encoding to Unicode (UTF-8).\n"
    "  --from tcvn3   TCVN3 (ABC): .VnTime, .VnTimeH fonts (\"Bé Y tÕ\" for \"Bộ Y tế\")\n"
    "  --from vni     VNI-Windows: VNI-Times fonts (\"Coäng hoøa\" for \"Cộng hòa\")\n"
    "  --from viqr    VIQR, Vietnamese in ASCII (\"Vie^.t Nam\" for \"Việt Nam\")\n"
    "  --from auto    find which (the default)\n"
    "  -o OUT         write OUT (replaced only once complete) instead of printing\n"
    "IN is the pasted text (UTF-8) or the old file's bytes. vanban check and render\n"
    "report such text in a source with the converted text as the fix (docs/paste.md).\n"
    "Exit status: 0 converted, 1 no old encoding found (--from auto), 2 usage, 3 I/O error.\n";

/* Writes data to path through a temporary file beside it, renamed over path when complete. */
static int
write_atomic(const char *path, const char *data, size_t len)
{
    size_t pn = strlen(path);
    char *tmp = malloc(pn + 16);
    if (!tmp)
        return ENOMEM;
    snprintf(tmp, pn + 16, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    int err = 0;
    for (size_t off = 0; off < len && !err;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            err = w < 0 ? errno : EIO;
        else
            off += (size_t)w;
    }
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err)
        unlink(tmp);
    free(tmp);
    return err;
}

int
vb_cmd_convert(int argc, char **argv)
{
    const char *from = "auto", *in = NULL, *out = NULL;
    char sbuf[256];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(convert_usage, stdout);
            return 0;
        } else if (!strcmp(a, "--from") || !strcmp(a, "-o")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "vanban convert: %s needs a value\n%s", a, convert_usage);
                return 2;
            }
            if (!strcmp(a, "-o"))
                out = argv[++i];
            else
                from = argv[++i];
        } else if (!strncmp(a, "--from=", 7)) {
            from = a + 7;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "vanban convert: unknown option '%s'\n%s", shown(a, sbuf, sizeof sbuf), convert_usage);
            return 2;
        } else if (!in) {
            in = a;
        } else {
            fprintf(stderr, "vanban convert: unexpected argument '%s'\n%s", shown(a, sbuf, sizeof sbuf),
                    convert_usage);
            return 2;
        }
    }
    vb_legacy_t enc;
    if (!strcmp(from, "tcvn3") || !strcmp(from, "abc"))
        enc = VB_LEGACY_TCVN3;
    else if (!strcmp(from, "vni"))
        enc = VB_LEGACY_VNI;
    else if (!strcmp(from, "viqr"))
        enc = VB_LEGACY_VIQR;
    else if (!strcmp(from, "auto"))
        enc = VB_LEGACY_AUTO;
    else {
        fprintf(stderr, "vanban convert: --from '%s': use tcvn3, vni, viqr or auto\n", shown(from, sbuf, sizeof sbuf));
        return 2;
    }
    if (!in) {
        fprintf(stderr, "vanban convert needs a file\n%s", convert_usage);
        return 2;
    }
    void *data = NULL;
    size_t len = 0;
    vb_diag_t diag;
    char msg[1024];
    if (vb_file_load(in, &data, &len, &diag) != VB_OK) {
        vb_diag_format(&diag, msg, sizeof msg);
        fprintf(stderr, "vanban: %s\n", msg);
        return 3;
    }
    char *text = NULL;
    size_t tlen = 0;
    vb_status_t st = vb_convert_legacy(data, len, enc, &text, &tlen, &diag);
    vb_free(data);
    if (st != VB_OK) {
        snprintf(diag.source, sizeof diag.source, "%s", in);
        vb_diag_format(&diag, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return cli_exit_code(st);
    }
    int rc = 0;
    if (out) {
        int err = write_atomic(out, text, tlen);
        if (err) {
            fprintf(stderr, "vanban: cannot write %s: %s\n", shown(out, sbuf, sizeof sbuf), strerror(err));
            rc = 3;
        }
    } else if (fwrite(text, 1, tlen, stdout) != tlen || fflush(stdout) != 0) {
        fprintf(stderr, "vanban: cannot write the converted text: %s\n", strerror(errno));
        rc = 3;
    }
    vb_free(text);
    return rc;
}
