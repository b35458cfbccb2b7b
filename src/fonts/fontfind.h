/*
 * fontfind.h - finding the font files of a family (internal to font.c).
 *
 * fontfind.c is the only fontconfig user. It turns a list of family names
 * into four file paths (regular, bold, italic, bold italic), each checked to
 * be of the requested family and style and to cover every Vietnamese letter.
 * It keeps no state between calls: each call builds a private FcConfig and
 * destroys it before returning.
 */
#ifndef VB_FONTFIND_H
#define VB_FONTFIND_H

#include "base.h"

/* One chosen font file. */
typedef struct vb_fontfile {
    char *path;   /* malloc'd; the file fontconfig indexed */
    int index;    /* face index inside the file (TrueType collections) */
} vb_fontfile_t;

/*
 * For each family in order, looks for the four faces first among the font
 * files under user_dir (may be NULL; it must be a readable directory when
 * given), then among the fonts of the fontconfig configuration (the file
 * named by FONTCONFIG_FILE, which fontconfig itself reads, or the system's).
 * A face is accepted only when its family name equals the requested one, its
 * weight and slant are the requested style, and its character set holds
 * printable ASCII and the 134 precomposed Vietnamese letters. The first
 * family with four accepted faces wins: files[] gets their paths (free them
 * with vb_fontfind_release) and *family_idx its position in families[].
 *
 * Errors: VB_E_USAGE (no families), VB_E_IO "font.dir" (user_dir is not a
 * directory), VB_E_FONT "font.config" (fontconfig could not be set up),
 * VB_E_FONT "font.none" (no family qualifies; the message names each family's
 * first problem, e.g. the rejected file and its first missing letter),
 * VB_E_NOMEM. On failure files[] holds only NULL paths.
 */
/*
 * What checks a file of user_dir that fontconfig did read (font.c's
 * vb_font_file_damage, given by the caller, so that this module, under
 * font.c, needs nothing of it): NULL when sound, else what is damaged.
 */
typedef const char *(*vb_font_damage_fn)(const char *path, char *buf, size_t size);

vb_status_t vb_fontfind(const char *const *families, int nfamilies, const char *user_dir, vb_font_damage_fn damage,
                        vb_fontfile_t files[VB_NFACES], int *family_idx, vb_diag_t *d);
void vb_fontfind_release(vb_fontfile_t files[VB_NFACES]);

/*
 * The 134 precomposed letters of the Vietnamese alphabet, in the order they
 * are checked (after printable ASCII, U+0020..U+007E), so the first missing
 * one is the one reported. Exposed for the tests.
 */
#define VB_FONTFIND_NVIETNAMESE 134
extern const uint32_t vb_fontfind_vietnamese[VB_FONTFIND_NVIETNAMESE];

#endif
