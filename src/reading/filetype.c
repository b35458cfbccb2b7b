/*
 * filetype.c - what a source is when it is not text: a Word, OpenDocument,
 * RTF or PDF file, a ZIP archive, or text saved as UTF-16. A clerk who gives
 * vanban one gets its name and what to do, instead of a message about a
 * byte (docs/paste.md).
 */
#include <string.h>

#include "filetype.h"

/* Whether what occurs in src[0..len) (a ZIP's file names are stored as they are). */
static bool
has(const char *src, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (const char *p = src; n <= len && (size_t)(p - src) <= len - n;) {
        p = memchr(p, what[0], len - n + 1 - (size_t)(p - src));
        if (!p)
            return false;
        if (!memcmp(p, what, n))
            return true;
        p++;
    }
    return false;
}

/*
 * UTF-16 without a byte order mark: ASCII text gives a NUL every other byte.
 * Of the first 64 bytes (pairs), most pairs have a NUL on the same side.
 */
static bool
utf16_pattern(const char *src, size_t len)
{
    size_t n = len < 64 ? len & ~(size_t)1 : 64;
    if (n < 4)
        return false;
    int even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += src[i] == 0 && src[i + 1] != 0;
        odd += src[i] != 0 && src[i + 1] == 0;
    }
    int pairs = (int)(n / 2);
    return even * 4 >= pairs * 3 || odd * 4 >= pairs * 3;
}

vb_status_t
vb_filetype_check(const char *src, size_t len, const char *source, vb_diag_t *d)
{
    const unsigned char *u = (const unsigned char *)src;
    const char *id = NULL, *msg = NULL;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        id = "input.utf16";
    } else if (len >= 4 && !memcmp(src, "PK\3\4", 4)) {
        if (has(src, len, "word/document.xml"))
            id = "input.docx";
        else if (has(src, len, "application/vnd.oasis.opendocument"))
            id = "input.odt";
        else
            id = "input.zip";
    } else if (len >= 8 && !memcmp(src, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        id = "input.doc";
    } else if (len >= 5 && !memcmp(src, "{\\rtf", 5)) {
        id = "input.rtf";
    } else if (len >= 5 && !memcmp(src, "%PDF-", 5)) {
        id = "input.pdf";
    } else if (utf16_pattern(src, len)) {
        id = "input.utf16";
    }
    if (!id)
        return VB_OK;
    if (!strcmp(id, "input.utf16"))
        msg = VB_N_("This file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8: open it in Notepad and Save As "
              "with Encoding UTF-8, or convert it: iconv -f UTF-16 -t UTF-8 FILE > NEW.md");
    else if (!strcmp(id, "input.docx"))
        msg = VB_N_("This is a Word file (.docx), not text: open it in Word, Save As -> Plain Text (UTF-8), or copy "
              "the text into a .md file");
    else if (!strcmp(id, "input.odt"))
        msg = VB_N_("This is an OpenDocument file (.odt), not text: open it in LibreOffice Writer, Save As -> Text "
              "(.txt) in UTF-8, or copy the text into a .md file");
    else if (!strcmp(id, "input.zip"))
        msg = VB_N_("This is a ZIP archive, not text: take the .md file out of it and give vanban that file");
    else if (!strcmp(id, "input.doc"))
        msg = VB_N_("This is an old Word file (.doc), not text: open it in Word, Save As -> Plain Text (UTF-8), or "
              "copy the text into a .md file");
    else if (!strcmp(id, "input.rtf"))
        msg = VB_N_("This is a rich text file (.rtf), not plain text: open it in Word or WordPad, Save As -> Plain "
              "Text (UTF-8), or copy the text into a .md file");
    else
        msg = VB_N_("This is a PDF file, not a source: vanban makes PDFs from .md text. Copy the text out of the PDF "
              "into a .md file (and check its Vietnamese letters)");
    return vb_diag_set(d, VB_E_INPUT, id, source, 1, 1, "%s.", vb_tr(msg));
}
