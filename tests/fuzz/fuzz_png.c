/*
 * fuzz_png.c - a PNG file as an image of a document: image.c's checks
 * (vb_image_check_mem: chunks, CRCs, IHDR, the inflated size, the limits),
 * then, for a file that passes, the decoding libharu is given
 * (vb_image_decode: libpng, every colour type, bit depth and interlacing) and
 * the embedding itself (vb_pdf_write_mem of one page holding the image: the
 * raw image and its soft mask).
 *
 * The chunks' CRCs are recomputed first when the input's last byte is even
 * (as IEND's CRC, ...AE 42 60 82, is): a mutation then reaches the chunk's
 * meaning instead of stopping at its checksum. Inputs whose last byte is odd
 * keep theirs, so the checksum path is fuzzed too.
 *
 * The limits are lowered (1 Mi pixels, 2 Mi in all) so that one run stays
 * fast; the size checks are the same code at any bound. Two checks of the
 * results: the decoded buffers exist with the header's size, and a failure is
 * clean (fuzz_check).
 */
#include "fuzz.h"
#include "image.h"
#include "limit.h"
#include "pdf.h"

#include <zlib.h>

FUZZ_NO_INITIALIZE

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A copy of the input with every chunk's CRC made right (malloc'd). */
static uint8_t *
fix_crcs(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        abort();
    memcpy(c, data, size);
    for (size_t p = 8; p + 12 <= size;) {
        uint32_t len = be32(c + p);
        if (len > size - p - 12)
            break;
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), c + p + 4, len + 4);
        uint8_t *q = c + p + 8 + len;
        q[0] = (uint8_t)(crc >> 24), q[1] = (uint8_t)(crc >> 16), q[2] = (uint8_t)(crc >> 8), q[3] = (uint8_t)crc;
        p += 12 + (size_t)len;
    }
    return c;
}

static int test_one(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || (data[size - 1] & 1))
        return test_one(data, size);
    uint8_t *c = fix_crcs(data, size);
    int r = test_one(c, size);
    free(c);
    return r;
}

static int
test_one(const uint8_t *data, size_t size)
{
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.image_pixels = 1 << 20;
    lim.image_total_pixels = 2 << 20;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_image_t img;
    int64_t total = (int64_t)1 << 20; /* as if an image of 1 Mi pixels came first */
    vb_status_t rc = vb_image_check_mem(data, size, "fuzz.png", "fuzz.md", 3, 1, &lim, &total, &img, &d);
    fuzz_check(rc, &d, "vb_image_check_mem");
    if (rc != VB_OK)
        return 0;
    if (img.px_w == 0 || img.px_h == 0 || (uint64_t)img.px_w * img.px_h > (uint64_t)lim.image_pixels ||
        total > lim.image_total_pixels)
        abort();

    vb_image_pixels_t px;
    memset(&d, 0, sizeof d);
    rc = vb_image_decode(&img, &px, &d);
    fuzz_check(rc, &d, "vb_image_decode");
    if (rc != VB_OK)
        return 0;
    if (px.w != img.px_w || px.h != img.px_h || !px.color || (px.channels != 1 && px.channels != 3))
        abort();
    /* every byte is initialised: MSan and valgrind see a read of what libpng did not write */
    unsigned sum = 0;
    size_t n = (size_t)px.w * px.h;
    for (size_t i = 0; i < n * (size_t)px.channels; i++)
        sum += px.color[i];
    for (size_t i = 0; px.alpha && i < n; i++)
        sum += px.alpha[i];
    vb_image_pixels_free(&px);

    /* the embedding: one page holding the image at its own size */
    vb_dlist_t dl;
    memset(&dl, 0, sizeof dl);
    dl.arena = fuzz_arena();
    vb_dpage_t *pg = vb_dlist_add_page(&dl, 595000, 842000);
    vb_ditem_t *it = pg ? vb_dpage_add(&dl, pg, VB_DITEM_IMAGE) : NULL;
    if (!it)
        abort();
    it->u.image.image = &img;
    vb_image_size(&img, 450000, &it->u.image.w, &it->u.image.h);
    it->u.image.x = 72000;
    it->u.image.y = 72000;
    unsigned char *pdf = NULL;
    size_t len = 0;
    memset(&d, 0, sizeof d);
    rc = vb_pdf_write_mem(&dl, NULL, &pdf, &len, &d);
    fuzz_check(rc, &d, "vb_pdf_write_mem");
    if (rc == VB_OK && (!pdf || len < 8 || memcmp(pdf, "%PDF-", 5) != 0))
        abort();
    free(pdf);
    vb_arena_free(dl.arena);
    return (int)(sum & 0); /* sum is only read */
}
