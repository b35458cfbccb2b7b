/*
 * base.h - what every module uses: lengths, the arena, diagnostics, growable
 * arrays. No outside library is used here.
 *
 * Lengths are integers in millipoints (1/1000 pt). Millimetres are converted
 * once, when a profile is read. Running sums use int64_t.
 */
#ifndef VB_BASE_H
#define VB_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vanban.h"

typedef int32_t vb_len_t; /* millipoints */

#define VB_PT(x) ((vb_len_t)((x) * 1000))
/* micrometres to millipoints, rounded: 1 mm = 72/25.4 pt */
#define VB_UM(um) ((vb_len_t)(((int64_t)(um) * 72000 + (((um) >= 0) ? 12700 : -12700)) / 25400))
#define VB_MM(mm) VB_UM((int64_t)(mm) * 1000)

/*
 * ---- checked length arithmetic: the one place for it ----
 *
 * Every length the layout computes is kept within +-VB_LEN_MAX (2^28 mpt,
 * about 94.7 m), far beyond any page (PDF's largest is 14400 pt, 5.08 m).
 * Values that could pass it (an image's height from its pixel ratio, a sum
 * of profile spacings, a column of a band) go through these helpers, which
 * saturate at the bound: a length at the bound never fits a page, so it ends
 * in a clear error (layout.too-tall), and up to seven of them still add up
 * within vb_len_t without overflow.
 *
 * Lengths read from a profile are each at most VB_LEN_PROFILE_MAX (the
 * largest PDF page side), checked by profile.c with the key's position.
 */
#define VB_LEN_MAX ((vb_len_t)1 << 28)
#define VB_LEN_PROFILE_MAX ((vb_len_t)14400000) /* 14400 pt = 200 in = 5080 mm */

/* v clamped to [-VB_LEN_MAX, VB_LEN_MAX]. */
static inline vb_len_t
vb_len_sat(int64_t v)
{
    return v > VB_LEN_MAX ? VB_LEN_MAX : v < -VB_LEN_MAX ? -VB_LEN_MAX : (vb_len_t)v;
}

/* a + b, saturated. */
static inline vb_len_t
vb_len_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a > 0 ? VB_LEN_MAX : -VB_LEN_MAX;
    return vb_len_sat(r);
}

/* a * b / c (c > 0), saturated; the product never overflows. c <= 0 gives the bound. */
static inline vb_len_t
vb_len_mul_div(int64_t a, int64_t b, int64_t c)
{
    int64_t p;
    bool neg = (a < 0) != (b < 0);
    if (c <= 0 || __builtin_mul_overflow(a, b, &p))
        return neg ? -VB_LEN_MAX : VB_LEN_MAX;
    return vb_len_sat(p / c);
}

/* Faces of a font family, also used as style bits: bit 0 bold, bit 1 italic. */
typedef enum vb_face {
    VB_FACE_REGULAR = 0,
    VB_FACE_BOLD = 1,
    VB_FACE_ITALIC = 2,
    VB_FACE_BOLD_ITALIC = 3
} vb_face_t;
#define VB_NFACES 4

/* ---- arena: one per document; nothing is freed one at a time ---- */
typedef struct vb_arena vb_arena_t;
vb_arena_t *vb_arena_new(void);
void vb_arena_free(vb_arena_t *a);
/* Frees everything allocated so far but keeps one chunk for reuse (scratch arenas). */
void vb_arena_reset(vb_arena_t *a);
/* n zeroed bytes aligned for any type; NULL when memory is exhausted */
void *vb_arena_alloc(vb_arena_t *a, size_t n);
/* the same, not zeroed: for scratch that is written before it is read */
void *vb_arena_alloc_raw(vb_arena_t *a, size_t n);
/* a NUL-terminated copy of s[0..n) */
char *vb_arena_strndup(vb_arena_t *a, const char *s, size_t n);
char *vb_arena_strdup(vb_arena_t *a, const char *s);
/* printf into the arena (locale-independent only for %s %d %u %ld %lld %zu %c) */
char *vb_arena_printf(vb_arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define VB_NEW(arena, type) ((type *)vb_arena_alloc((arena), sizeof(type)))
#define VB_NEWN(arena, type, n) ((type *)vb_arena_alloc((arena), sizeof(type) * (size_t)(n)))

/*
 * A growable array in the arena: VB_VEC(T) v = {0}; VB_PUSH(arena, v, item).
 * Old storage stays in the arena (wasted, never freed twice); growth doubles.
 * VB_PUSH evaluates to 0 on success, -1 on out-of-memory.
 */
#define VB_VEC(T) struct { T *v; int n, cap; }
int vb_vec_grow(vb_arena_t *a, void **v, int *cap, size_t elem, int need);
/*
 * As vb_vec_grow, but copies only the n elements in use and clears nothing:
 * for lists whose elements are always written before they are read.
 */
int vb_vec_grow_raw(vb_arena_t *a, void **v, int n, int *cap, size_t elem, int need);
#define VB_PUSH(arena, vec, item)                                                                  \
    (((vec).n < (vec).cap || vb_vec_grow((arena), (void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), \
                                         (vec).n + 1) == 0)                                        \
         ? ((vec).v[(vec).n++] = (item), 0)                                                       \
         : -1)

/*
 * ---- the growable byte buffer: the one for every text a module builds ----
 *
 * vb_buf_t b = {0}; vb_buf_add(&b, s, n); ... vb_buf_free(&b) (or take it).
 * The bytes are malloc'd (scratch and outputs handed to a caller; the arena
 * holds what lives with a document), always NUL-terminated once anything was
 * added. Out of memory sticks: the first failed growth sets oom, later
 * appends do nothing, and the caller checks oom once at the end.
 */
typedef struct vb_buf {
    char *p;       /* NULL until the first append */
    size_t n, cap; /* bytes used (without the NUL), bytes allocated */
    bool oom;
} vb_buf_t;

/* Room for extra more bytes (and the NUL); false (oom set) when memory is exhausted. */
bool vb_buf_reserve(vb_buf_t *b, size_t extra);
/* The appends return 0, or -1 when the buffer is (or just ran) out of memory. */
int vb_buf_add(vb_buf_t *b, const void *s, size_t n);
int vb_buf_puts(vb_buf_t *b, const char *s);
int vb_buf_putc(vb_buf_t *b, char c);
/* printf-append (locale-independent only for %s %d %u %ld %lld %zu %c %x) */
int vb_buf_printf(vb_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its storage (and a set oom). */
static inline void
vb_buf_clear(vb_buf_t *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}
/*
 * Hands the bytes to the caller (free() them; "" when nothing was added), with
 * *len their count when len is not NULL, and leaves the buffer empty. NULL
 * when the buffer ran out of memory (its bytes are freed).
 */
char *vb_buf_take(vb_buf_t *b, size_t *len);
void vb_buf_free(vb_buf_t *b);

/* ---- diagnostics ---- */
/*
 * Messages are written in English in the sources, for a clerk; each is the
 * gettext msgid of the text domain "vanban" (po/vi.po). vb_diag_set and
 * vb_report translate their format (and a fix's note) with vb_tr before
 * formatting, so a call site needs no marker. A text that reaches a message
 * some other way (a word put into a sentence with %s) is marked VB_N_("...")
 * where it is written, for xgettext, and passed through vb_tr where it is
 * used. The library sets no locale and binds no folder: the program does
 * (setlocale, bindtextdomain); without it, vb_tr returns the English.
 */
#define VB_TEXT_DOMAIN "vanban"
#define VB_N_(s) (s)
const char *vb_tr(const char *msgid) __attribute__((format_arg(1)));
/*
 * Fills d (when not NULL) and returns code, so that callers can write
 *   return vb_diag_set(d, VB_E_INPUT, "table.ragged", src, line, col, "...", ...);
 * The first error set wins: a later call does not overwrite a set diagnostic.
 */
vb_status_t vb_diag_set(vb_diag_t *d, vb_status_t code, const char *id, const char *source, int line, int col,
                        const char *fmt, ...) __attribute__((format(printf, 7, 8)));
vb_status_t vb_diag_vset(vb_diag_t *d, vb_status_t code, const char *id, const char *source, int line, int col,
                         const char *fmt, va_list ap);
vb_status_t vb_diag_nomem(vb_diag_t *d);

/*
 * ---- the diagnostic sink: every error and warning of a render ----
 *
 * Stages that can go on after a problem (validation, the front matter's
 * fields, font coverage, limits, layout warnings) report each one through a
 * sink instead of returning at the first: the sink hands every diagnostic,
 * errors and warnings alike, to the caller's callback (vb_render_options_t's
 * on_diagnostic) as it is found, keeps the first error in the caller's
 * vb_diag_t (first wins, as vb_diag_set) and counts both kinds. The stage
 * then returns the first error's code (vb_sink_status) and the render stops
 * after it. Fatal errors (a file that cannot be read, YAML that does not
 * parse) keep the old way, vb_diag_set into a vb_diag_t and return;
 * vb_sink_take turns such a diagnostic into a report.
 */
typedef struct vb_sink {
    vb_diag_t *first;       /* the first error (caller's; NULL: kept nowhere but counted) */
    vb_diag_fn fn;          /* every diagnostic as found; NULL: none */
    void *ctx;
    int errors, warnings;
    vb_status_t status;     /* the first error's code; VB_OK while there is none */
} vb_sink_t;

/* Where a diagnostic points: line:col up to end_line:end_col (exclusive; 0 0 for one place). */
typedef struct vb_range {
    int line, col, end_line, end_col;
} vb_range_t;

/*
 * A suggested correction: text replaces the range; note says what it does
 * (NULL: "replace with ..."; translated as the message is). safe: the fix can
 * be applied without a person looking at it (`vanban check --fix`): it only
 * rewrites what the rule knows for certain (a leading zero, "Số" typed before
 * the number); a guess (the nearest kind) is not safe.
 */
typedef struct vb_fix {
    const char *text;
    const char *note;
    bool safe;
} vb_fix_t;

/* A sink keeping the first error in first (may be NULL) and calling fn (may be NULL) with every diagnostic. */
void vb_sink_init(vb_sink_t *s, vb_diag_t *first, vb_diag_fn fn, void *ctx);

/*
 * Reports one diagnostic (s NULL: nothing is done). An error: counted, kept in
 * s->first when it is the first, handed to fn; returns code. A warning:
 * counted, handed to fn; returns VB_OK. fix may be NULL.
 */
vb_status_t vb_report(vb_sink_t *s, vb_severity_t sev, vb_status_t code, const char *id, const char *source,
                      vb_range_t at, const vb_fix_t *fix, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
vb_status_t vb_vreport(vb_sink_t *s, vb_severity_t sev, vb_status_t code, const char *id, const char *source,
                       vb_range_t at, const vb_fix_t *fix, const char *fmt, va_list ap);

/*
 * Turns a diagnostic set the old way (vb_diag_set) into a report: nothing when
 * d holds none (code VB_OK). Its severity is d->severity. Returns d->code for
 * an error, VB_OK for a warning.
 */
vb_status_t vb_sink_take(vb_sink_t *s, const vb_diag_t *d);

/* The first error's code, VB_OK when none was reported. */
static inline vb_status_t
vb_sink_status(const vb_sink_t *s)
{
    return s ? s->status : VB_OK;
}

/*
 * Holding diagnostics back: a stage whose warnings mean something only if it
 * succeeds (layout: an overfull line of a table that then proves too narrow)
 * reports into a sink made by vb_sink_hold, and vb_held_release hands what it
 * held to the real sink once the stage is known to have succeeded (or only
 * its errors, when it failed).
 */
typedef struct vb_held {
    vb_arena_t *arena;
    VB_VEC(vb_diag_t) v;
} vb_held_t;
void vb_sink_hold(vb_sink_t *s, vb_held_t *h, vb_arena_t *arena);
/* Hands the held errors, and the warnings when warnings is true, to the sink to, in order; empties h. */
void vb_held_release(vb_held_t *h, vb_sink_t *to, bool warnings);

/* The range of a value typed on one line from at: its characters counted (none: a point). */
vb_range_t vb_range_of(int line, int col, const char *text);

/* ---- files: every file the library reads ---- */
/*
 * What vb_file_read found. VB_FILE_ERRNO: the open or a read failed (err is
 * the errno); VB_FILE_KIND: the path is not a regular file (a directory, a
 * FIFO, a device, a socket: never opened for reading, never waited on);
 * VB_FILE_TOO_LARGE: more than max bytes (size is the file's size; nothing
 * was read).
 */
typedef enum vb_file_status {
    VB_FILE_OK = 0,
    VB_FILE_ERRNO,
    VB_FILE_KIND,
    VB_FILE_TOO_LARGE,
    VB_FILE_NOMEM
} vb_file_status_t;

typedef struct vb_file_result {
    vb_file_status_t status;
    int err;      /* VB_FILE_ERRNO: the errno */
    int64_t size; /* VB_FILE_TOO_LARGE: the file's size */
    unsigned mode; /* VB_FILE_KIND: st_mode */
} vb_file_result_t;

/*
 * Reads a whole regular file: opened with O_RDONLY | O_NONBLOCK | O_CLOEXEC
 * (a FIFO never blocks the open), then fstat: anything but a regular file is
 * refused before a byte is read, and so is one over max bytes. The bytes are
 * in arena (NULL: malloc, freed by the caller), NUL-terminated; *len is their
 * count. Returns false with *res saying why; vb_file_why describes it.
 */
bool vb_file_read(vb_arena_t *arena, const char *path, int64_t max, char **buf, size_t *len,
                  vb_file_result_t *res);
/*
 * As vb_file_read into malloc'd memory with room around the bytes: *buf
 * (freed by the caller) holds head free bytes, the file's *len bytes, tail
 * free bytes and a NUL. For a caller that wraps the file in a header of its
 * own without copying it (font.c).
 */
bool vb_file_read_padded(const char *path, int64_t max, size_t head, size_t tail, char **buf, size_t *len,
                         vb_file_result_t *res);
/*
 * As vb_file_read_padded, mapped instead of read (font.c: a font's pages are
 * mapped as HarfBuzz reads them, none copied): returns the file's first byte,
 * with head writable bytes before it and tail after it (zero), the whole
 * region private to the process; *m is freed with vb_file_unmap. NULL with
 * *res saying why, or with res->status VB_FILE_OK when the file is empty or
 * cannot be mapped (read it then). A file cut shorter while it is mapped
 * would fault: font files are replaced (a package upgrade renames a new
 * file over the old one, which stays whole while mapped), not cut.
 */
typedef struct vb_filemap {
    void *base;
    size_t len;
} vb_filemap_t;
unsigned char *vb_file_map_padded(const char *path, int64_t max, size_t head, size_t tail, vb_filemap_t *m,
                                  size_t *len, vb_file_result_t *res);
void vb_file_unmap(vb_filemap_t *m);
/*
 * Why a read failed, for a message: "it is a directory, not a file", "it is a
 * FIFO (named pipe), not a file", "it is a device, not a file", or the
 * errno's text ("No such file or directory").
 */
const char *vb_file_why(const vb_file_result_t *res);

/*
 * The folders a document may read its images and its profile from: the
 * source's own folder (always), the layouts folder and the folders the caller
 * adds. Every folder is held as its real path (realpath), so that a name is
 * compared after every symbolic link in it is resolved.
 */
typedef struct vb_loader {
    const char *const *dirs; /* real paths, no trailing '/' except "/" itself */
    int ndirs;
} vb_loader_t;

typedef enum vb_resolve {
    VB_RES_INSIDE = 0, /* *real is the file's real path inside an allowed folder */
    VB_RES_MISSING,    /* inside an allowed folder but absent or unreadable (*err) */
    VB_RES_OUTSIDE,    /* outside every allowed folder, or it leaves one by a link: nothing more is said */
    VB_RES_NOMEM
} vb_resolve_t;

/*
 * Resolves name, as written in the source (relative to the source's folder,
 * or absolute), for reading: the source's folder (from source, the source's
 * path; no '/': the working directory) is always allowed, besides loader's
 * folders (loader may be NULL). VB_RES_OUTSIDE is given whether or not the
 * file exists, so the answer tells nothing about what lies outside.
 */
vb_resolve_t vb_loader_resolve(const vb_loader_t *loader, const char *source, const char *name, vb_arena_t *arena,
                               char **real, int *err);

/* name as the source wrote it, joined to the source's folder for messages ("doc/x.png"); absolute: as is. */
char *vb_loader_join(vb_arena_t *arena, const char *source, const char *name);

/* True when path (a real path) is dir (a real path) or lies under it, compared at a '/' boundary. */
bool vb_path_within(const char *path, const char *dir);

/* ---- locale-free numbers ---- */
/*
 * Parses a length with a unit: "20mm", "0.5pt", "1.27cm", "14" (pt), "-3mm".
 * Up to 3 decimals for pt, 4 for mm/cm. Returns false on any other form.
 */
bool vb_parse_length(const char *s, size_t len, vb_len_t *out);
/* Parses a decimal "1.5" or percentage "150%" into thousandths (1500). */
bool vb_parse_milli(const char *s, size_t len, int32_t *out);
/*
 * Parses an ISO date "2023-07-06" (exactly ten characters, trailing blanks
 * ignored) that names a real day (leap years counted); false otherwise.
 */
bool vb_parse_iso_date(const char *s, size_t len, int *year, int *month, int *day);
/* Parses a plain integer. */
bool vb_parse_int(const char *s, size_t len, int64_t *out);
/*
 * Writes v/1000 with up to 3 decimals and no trailing zeros ("56.693", "12",
 * "-0.5") into buf (at least 24 bytes); returns the length. Never uses the locale.
 */
int vb_fmt_milli(char *buf, int64_t v);
/* qsort's comparison of two vb_len_t, ascending. */
int vb_len_cmp(const void *a, const void *b);

/* ---- hashing ---- */
/* FNV-1a over n bytes, continuing from h (start with VB_FNV_SEED). Not for security. */
#define VB_FNV_SEED 0xcbf29ce484222325ULL
uint64_t vb_fnv1a(uint64_t h, const void *p, size_t n);
/* Four bytes read as a little-endian number. */
static inline uint32_t
vb_le32(const unsigned char *s)
{
    return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

/*
 * A hash of p[0..n) continuing from h, eight bytes a step (read as
 * little-endian on every machine): for the keys hashed per word and the
 * texts of the /ID, where FNV-1a's byte a step cost more than the rest.
 * Inline: most keys are one short word. Not for security.
 */
static inline uint64_t
vb_hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    h ^= (uint64_t)n * 0x9e3779b97f4a7c15ULL;
    for (; n >= 8; s += 8, n -= 8) {
        /* little-endian whatever the machine: the same bytes give the same hash everywhere */
        uint64_t w = (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24 |
                     (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (n > 0) {
        /* the last 1..7 bytes without a loop: two overlapping 4-byte reads, or the first, middle and last byte
           (the length, mixed in above, tells the cases apart) */
        uint64_t w;
        if (n >= 4)
            w = (uint64_t)vb_le32(s) | (uint64_t)vb_le32(s + n - 4) << 32;
        else
            w = (uint64_t)s[0] << 16 | (uint64_t)s[n >> 1] << 8 | s[n - 1];
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    return h;
}

/* ---- UTF-8 ---- */
/* Decodes one code point at s[0..len); returns its length, 0 on invalid UTF-8. */
int vb_utf8_decode_multi(const char *s, size_t len, uint32_t *cp); /* the same, out of line */
static inline int
vb_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    /* ASCII, most of every text, and the two- and three-byte letters of Vietnamese, without a call */
    const unsigned char *u = (const unsigned char *)s;
    if (len && u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (len >= 2 && u[0] >= 0xC2 && u[0] < 0xE0 && (u[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
        return 2;
    }
    if (len >= 3 && u[0] >= 0xE1 && u[0] < 0xED && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        /* E1..EC: never overlong, never a surrogate (those start E0 and ED) */
        *cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        return 3;
    }
    return vb_utf8_decode_multi(s, len, cp); /* the rest, and every refusal */
}
/* The code point at s[*i] (s of len bytes), *i moved past it; a byte that starts no valid one is U+FFFD, one byte. */
static inline uint32_t
vb_utf8_next(const char *s, size_t len, size_t *i)
{
    uint32_t cp;
    int k = vb_utf8_decode(s + *i, len - *i, &cp);
    if (k <= 0)
        cp = 0xFFFD, k = 1;
    *i += (size_t)k;
    return cp;
}
/* The code points in s[0..n) (its bytes that start one): the column of s[n] is this + 1. */
static inline int
vb_utf8_chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}
/* Encodes cp into buf (4 bytes); returns the length. */
int vb_utf8_encode(uint32_t cp, char *buf);

/*
 * The size rule for a public options struct of known bytes whose caller says
 * it has size (every vb_*_options_t): a size past known is VB_E_USAGE unless
 * the bytes past known are all 0; out (known bytes) gets the first
 * min(size, known) bytes and zeros. what names the struct in the message.
 */
vb_status_t vb_options_copy(const void *opt, size_t size, size_t known, void *out, const char *what, vb_diag_t *d);

#endif
