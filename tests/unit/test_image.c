/* image.c: the printed size (saturated, never wrapped) and the pixels-of-all-images limit. */
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "image.h"
#include "limit.h"

static void
test_size(void)
{
    vb_image_t im;
    vb_len_t w, h;
    memset(&im, 0, sizeof im);
    /* a 1 x 8000 strip 160 mm wide and a 2 x 20000 one at the text width: 3.6e9 and 4.7e9 mpt */
    im.px_w = 1, im.px_h = 8000, im.width = VB_MM(160);
    vb_image_size(&im, VB_MM(165), &w, &h);
    CHECK_INT(w, VB_MM(160));
    CHECK_INT(h, VB_LEN_MAX);
    im.px_w = 2, im.px_h = 20000, im.width = VB_MM(165);
    vb_image_size(&im, VB_MM(165), &w, &h);
    CHECK_INT(h, VB_LEN_MAX);
    /* pHYs 2^32-1 : 1 was a height of -1 */
    im.px_w = 16, im.px_h = 16, im.ppm_x = 0xFFFFFFFFu, im.ppm_y = 1;
    vb_image_size(&im, VB_MM(165), &w, &h);
    CHECK(w >= 1);
    CHECK_INT(h, VB_LEN_MAX);
    /* 1 : 2^32-1: a hairline, never 0 or negative */
    im.ppm_x = 1, im.ppm_y = 0xFFFFFFFFu;
    vb_image_size(&im, VB_MM(165), &w, &h);
    CHECK_INT(h, 1);
    /* its own size, square pixels at 3780 per metre (96 dpi): 96 px is about an inch */
    im.px_w = im.px_h = 96, im.ppm_x = im.ppm_y = 0, im.width = 0;
    vb_image_size(&im, VB_MM(165), &w, &h);
    CHECK(w > 71980 && w < 72010);
    CHECK_INT(h, w);
}

static size_t
chunk(unsigned char *o, const char *type, const unsigned char *data, uint32_t len)
{
    o[0] = (unsigned char)(len >> 24), o[1] = (unsigned char)(len >> 16), o[2] = (unsigned char)(len >> 8),
    o[3] = (unsigned char)len;
    memcpy(o + 4, type, 4);
    if (len)
        memcpy(o + 8, data, len);
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), o + 4, len + 4);
    o[8 + len] = (unsigned char)(crc >> 24), o[9 + len] = (unsigned char)(crc >> 16),
    o[10 + len] = (unsigned char)(crc >> 8), o[11 + len] = (unsigned char)crc;
    return 12 + len;
}

static void
test_total_pixels(void)
{
    /* a header of 100 x 100 pixels and no data: the limit is checked before the data is looked at */
    unsigned char png[64];
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0, 0, 0, 100, 0, 0, 0, 100, 8, 0, 0, 0, 0};
    size_t n = 8 + chunk(png + 8, "IHDR", ihdr, 13);
    n += chunk(png + n, "IEND", NULL, 0);
    vb_limits_t lim;
    vb_limits_resolve(NULL, &lim);
    lim.image_total_pixels = 25000;
    int64_t total = 20000;
    vb_image_t im;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_image_check_mem(png, n, "b.png", "d.md", 9, 1, &lim, &total, &im, &d), VB_E_LIMIT);
    CHECK_STR(d.id, "image.too-many-pixels");
    CHECK_INT(d.line, 9);
    CHECK(strstr(d.msg, "30000 pixels in all, more than 25000") != NULL);
    CHECK_INT(total, 20000);
    /* within the limit, the header passes and the missing data is the error */
    total = 15000;
    memset(&d, 0, sizeof d);
    CHECK_INT(vb_image_check_mem(png, n, "b.png", "d.md", 9, 1, &lim, &total, &im, &d), VB_E_INPUT);
    CHECK_STR(d.id, "image.corrupt");
}

int
main(void)
{
    test_size();
    test_total_pixels();
    return check_done();
}
