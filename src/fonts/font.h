/*
 * font.h - the fonts of one family, found once and shared.
 *
 * fontfind.c (the only fontconfig user) picks the files; font.c (with
 * shape.c and subset.c, the only HarfBuzz users) opens each file once as an
 * immutable hb_face/hb_font. A vb_fontset_t is immutable after
 * vb_fontset_open returns, but for its caches (shaped words, subset font
 * programs), which are guarded; it may be used by any number of threads and
 * documents at once.
 */
#ifndef VB_FONT_H
#define VB_FONT_H

#include "base.h"

typedef struct vb_font vb_font_t;
typedef struct vb_fontset vb_fontset_t;

/*
 * Finds and opens the four faces (regular, bold, italic, bold italic) of the
 * first family in families[] that fontconfig matches with lang=vi and whose
 * files cover every Vietnamese letter. A font file in user_dir (may be NULL)
 * takes precedence over installed fonts. A family that matches only a font
 * without Vietnamese letters (fonts-liberation 1.07) is refused with a
 * VB_E_FONT diagnostic naming the file and the first missing letter.
 */
vb_status_t vb_fontset_open(const char *const *families, int nfamilies, const char *user_dir,
                            vb_fontset_t **out, vb_diag_t *d);
void vb_fontset_free(vb_fontset_t *fs);
const vb_font_t *vb_fontset_face(const vb_fontset_t *fs, vb_face_t face);

/*
 * Returns true when face covers code point cp (directly or, for a combining
 * mark, as something HarfBuzz can position).
 */
bool vb_font_covers(const vb_font_t *f, uint32_t cp);

/*
 * Checks the tables of the font file at path (its first face) that the
 * engine relies on: NULL when they are sound or the file cannot be opened,
 * else what is damaged, written in buf ("its hmtx table has 4 bytes ...").
 */
const char *vb_font_file_damage(const char *path, char *buf, size_t size);

/* Font-wide data the PDF writer needs, in font units unless stated. */
typedef struct vb_font_info {
    const char *path;       /* the font file */
    int face_index;         /* the face's index in that file (a collection); 0 for a lone face (raster.c opens it again) */
    const char *ps_name;    /* PostScript name, e.g. "LiberationSerif-Bold" */
    const char *family;     /* family name as matched */
    int upem;
    int ascender, descender;/* hhea (descender negative) */
    int cap_height;
    int bbox[4];            /* head xMin yMin xMax yMax */
    int italic_angle;       /* degrees * 1000 (post table), negative for right slant */
    int stem_v;             /* estimate for the FontDescriptor */
    int underline_position; /* post table: top of the underline, negative below the baseline; 0 if unknown */
    int underline_thickness;/* post table; 0 if unknown */
    bool bold, italic, fixed_pitch, serif;
    unsigned num_glyphs;
} vb_font_info_t;
const vb_font_info_t *vb_font_info(const vb_font_t *f);

/* Advance of a glyph in font units (unhinted). */
int vb_font_glyph_advance(const vb_font_t *f, uint32_t gid);
/* The largest advance of any glyph of the font, in font units. */
int vb_font_max_advance(const vb_font_t *f);
/* Ink extents of a glyph in font units: top (y max, up positive) and bottom. */
void vb_font_glyph_vextent(const vb_font_t *f, uint32_t gid, int *top, int *bottom);

/* Scales font units to millipoints at size (millipoints). */
static inline vb_len_t
vb_font_scale(const vb_font_t *f, int units, vb_len_t size)
{
    int upem = vb_font_info(f)->upem;
    int64_t v = (int64_t)units * size;
    return (vb_len_t)(v >= 0 ? (v + upem / 2) / upem : -((-v + upem / 2) / upem));
}

/*
 * Opaque handle for the subsetter: the hb_face_t* of the font (only subset.c
 * and shape.c may cast it).
 */
void *vb_font_hb_face(const vb_font_t *f);
/*
 * The outlines of glyphs gids[0..n) in the face's glyf table: NULL when each
 * can be read, else what is wrong (in buf). Opening a face reads only the
 * letters' outlines; the subsetter asks for the rest of the glyphs it takes.
 */
const char *vb_font_outlines_damage(const vb_font_t *f, const uint32_t *gids, int n, char *buf, size_t size);
/*
 * A new reference to the face without its cmap that font.c keeps in the
 * font's own blob (font_blob), for subset.c; NULL when the file is a
 * collection or its directory could not be read (subset.c copies it then).
 */
void *vb_font_hb_bare_face(const vb_font_t *f);
void *vb_font_hb_font(const vb_font_t *f);
/* The hb_language_t of Vietnamese, looked up once when the face was opened (shape.c). */
void *vb_font_hb_language(const vb_font_t *f);

/*
 * The caches the users of the fonts keep per face: shaped words (shape.c) and
 * subset font programs (subset.c), the only parts of a fontset that change
 * after it is opened, each behind its own lock. font.c only holds them and
 * frees them with the face, through the free function each came with, so the
 * fonts module depends on none of its users (no include cycle).
 */
typedef enum vb_face_cache {
    VB_FACE_WORDS,    /* vb_wordcache_t, shape.c */
    VB_FACE_SUBSETS,  /* vb_subsetcache_t, subset.c */
    VB_FACE_NCACHES
} vb_face_cache_t;

/*
 * Gives every face of fs a cache made by make(), freed by free_fn with the
 * fontset. Called once, before the fontset is shared by threads; false when
 * memory ran out (the faces that got one keep it).
 */
bool vb_fontset_add_cache(vb_fontset_t *fs, vb_face_cache_t which, void *(*make)(void), void (*free_fn)(void *));

/* The face's cache, NULL when none was added (a fontset opened outside an engine shapes without one). */
void *vb_font_cache(const vb_font_t *f, vb_face_cache_t which);

#endif
