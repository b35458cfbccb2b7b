/*
 * text.c - source bytes to clean text; the only utf8proc user.
 *
 * Owns: checking that a source is UTF-8 a typesetter can use, and Unicode
 * normalisation. Everything after this module may assume valid UTF-8 in NFC,
 * '\n' line ends, no NUL and no control character but tab and '\n'.
 *
 * Why NFC and never NFKC: Vietnamese typed on different keyboards arrives
 * either precomposed ("ệ" as U+1EC7) or decomposed (e + U+0323 + U+0302);
 * fonts and search want one form, and NFC is the one both PDF text extraction
 * and the official fonts expect. NFKC would also rewrite compatibility
 * characters the author chose (superscripts, "ﬁ"), which is not ours to do.
 *
 * Positions in diagnostics are 1-based lines and columns counted in code
 * points of the input as given (a dropped BOM is not counted; a tab is one
 * column), so an editor's "go to line:column" lands on the bad byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "image.h"
#include "input.h"

/*
 * Copies a malloc'd utf8proc result into the arena and frees it, so that no
 * caller ever holds utf8proc's memory.
 */
static vb_status_t
to_arena(vb_arena_t *arena, utf8proc_uint8_t *res, utf8proc_ssize_t n, char **out, size_t *out_len, vb_diag_t *d)
{
    char *s = vb_arena_strndup(arena, (const char *)res, (size_t)n);
    free(res);
    if (!s)
        return vb_diag_nomem(d);
    *out = s;
    if (out_len)
        *out_len = (size_t)n;
    return VB_OK;
}

/*
 * True when NFC cannot change s: every code point is in a range that holds no
 * combining mark, no canonical singleton and nothing excluded from
 * composition (ASCII, Latin-1 to the spacing modifiers, the precomposed
 * Vietnamese letters of Latin Extended Additional, dashes and quotes). Almost
 * every Vietnamese document typed in NFC passes, and skips utf8proc's full
 * decompose-and-recompose, the most expensive step of reading a source.
 */
static bool
nfc_stable(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* the common letters without a decode: U+00A0..U+02FF (C2 A0 to CB BF) and the
         * precomposed Vietnamese U+1E00..U+1EFF (E1 B8 80 to E1 BB BF) */
        const unsigned char *u = (const unsigned char *)s + i;
        if (c >= 0xC2 && c <= 0xCB && i + 1 < len && (u[1] & 0xC0) == 0x80 && (c != 0xC2 || u[1] >= 0xA0)) {
            i += 2;
            continue;
        }
        if (c == 0xE1 && i + 2 < len && u[1] >= 0xB8 && u[1] <= 0xBB && (u[2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        uint32_t cp;
        int n = vb_utf8_decode(s + i, len - i, &cp);
        if (n <= 0)
            return false;
        if (!((cp >= 0xA0 && cp < 0x300) || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2010 && cp < 0x2070)))
            return false;
        i += (size_t)n;
    }
    return true;
}

/* Runs NFC over a valid UTF-8 buffer; the result goes to the arena. */
static vb_status_t
nfc(vb_arena_t *arena, const char *s, size_t len, char **out, size_t *out_len, vb_diag_t *d)
{
    utf8proc_uint8_t *res = NULL;
    if (len == 0 || nfc_stable(s, len)) {
        *out = vb_arena_strndup(arena, s, len);
        if (out_len)
            *out_len = len;
        return *out ? VB_OK : vb_diag_nomem(d);
    }
    if (len == 0) {
        *out = vb_arena_strndup(arena, "", 0);
        if (out_len)
            *out_len = 0;
        return *out ? VB_OK : vb_diag_nomem(d);
    }
    /* COMPOSE without COMPAT is NFC; STABLE keeps the result stable across Unicode versions. */
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        free(res);
        if (n == UTF8PROC_ERROR_NOMEM)
            return vb_diag_nomem(d);
        return vb_diag_set(d, VB_E_INPUT, "utf8.invalid", NULL, 0, 0, "The text is not valid UTF-8 (%s).",
                           utf8proc_errmsg(n));
    }
    return to_arena(arena, res, n, out, out_len, d);
}

vb_status_t
vb_text_nfc(vb_arena_t *arena, const char *s, size_t len, char **out, size_t *out_len, vb_diag_t *d)
{
    return nfc(arena, s, len, out, out_len, d);
}

/*
 * Characters no document may hold, however they are written (typed, as a
 * Markdown character reference, as a YAML escape): the C0 controls but tab,
 * line feed and carriage return (a line end), DEL, the C1 controls, the
 * surrogates (not characters), the 66 noncharacters, code points past
 * U+10FFFF, and the bidirectional controls (marks, embeddings, overrides,
 * isolates), which would make the order a reader sees differ from the order
 * the text is stored and copied in. Returns the phrase naming cp's class
 * ("the control character U+0007") in buf, or NULL when cp is allowed.
 */
const char *
vb_char_refused(uint32_t cp, char *buf, size_t size, const char **id)
{
    const char *what = NULL, *cls = "utf8.control";
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F))
        what = VB_N_("the control character U+%04X");
    else if (cp >= 0xD800 && cp <= 0xDFFF)
        what = VB_N_("U+%04X, a UTF-16 surrogate, which is not a character"), cls = "utf8.invalid";
    else if (cp > 0x10FFFF)
        what = VB_N_("U+%04X, which is past the last Unicode character (U+10FFFF)"), cls = "utf8.invalid";
    else if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        what = VB_N_("U+%04X, a noncharacter, which cannot be printed"), cls = "utf8.noncharacter";
    else if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
             (cp >= 0x2066 && cp <= 0x2069))
        what = VB_N_("the bidirectional control U+%04X, which would reorder the text unseen (vanban prints "
                     "text in the order it is written)"),
        cls = "utf8.bidi";
    if (!what)
        return NULL;
    snprintf(buf, size, vb_tr(what), (unsigned)cp);
    if (id)
        *id = cls;
    return buf;
}

vb_status_t
vb_char_check(vb_diag_t *d, const char *source, int line, int col, const char *lead, uint32_t cp)
{
    char buf[160];
    const char *id = NULL;
    const char *what = vb_char_refused(cp, buf, sizeof buf, &id);
    if (!what)
        return VB_OK;
    /* TRANSLATORS: "The text contains" + " " + "the control character U+0007" */
    return vb_diag_set(d, VB_E_INPUT, id, source, line, col, "%s %s.", vb_tr(lead), what);
}

/* ------------------------------------------------------------ positions as typed */

/*
 * NFC composes a letter typed decomposed ("e" + U+0323 + U+0302) into one
 * code point ("ệ"), so every column after it on its line is smaller in the
 * prepared text than in the file. For each line NFC changed, the map keeps
 * the column as typed of each column of the prepared line; other lines are
 * the same in both.
 */
typedef struct mapline {
    int line;
    int n;                /* columns of the prepared line (code points) */
    int *cols;            /* n + 1: cols[c - 1] is where prepared column c was typed; cols[n]: the line's end */
} mapline_t;

struct vb_textmap {
    mapline_t *v;
    int n, cap;
};

/* Code points in s[0..len). */
static int
count_cps(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * A new NFC cluster starts at a code point of combining class 0 that
 * composes with nothing before it (all but the Hangul vowel and final
 * jamo, which join the syllable before them).
 */
static bool
cluster_start(uint32_t cp)
{
    if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
        return false;
    return utf8proc_get_property((utf8proc_int32_t)cp)->combining_class == 0;
}

/*
 * The map of one line that NFC changes, from its text as typed (s, n bytes)
 * and its NFC (t, tn bytes): each cluster's NFC code points map to the
 * cluster's first column as typed. When the clusters' NFC, put together, is
 * not the line's (scripts where two starters compose), columns past the first
 * change are mapped as far as they agree.
 */
static int
map_line(vb_arena_t *arena, vb_textmap_t *m, int line, const char *s, size_t n, const char *t, size_t tn)
{
    int tcols = count_cps(t, tn);
    int *cols = VB_NEWN(arena, int, tcols + 1);
    if (!cols)
        return -1;
    int out = 0, col = 1;  /* prepared columns filled; the column as typed of the cluster */
    size_t toff = 0;
    for (size_t i = 0; i < n && out < tcols;) {
        /* one cluster: [i, j) as typed */
        size_t j = i;
        int ncp = 0;
        do {
            uint32_t cp;
            int k = vb_utf8_decode(s + j, n - j, &cp);
            if (k <= 0)
                k = 1;
            j += (size_t)k;
            ncp++;
            if (j < n) {
                int k2 = vb_utf8_decode(s + j, n - j, &cp);
                if (k2 > 0 && cluster_start(cp))
                    break;
            }
        } while (j < n);
        utf8proc_uint8_t *res = NULL;
        utf8proc_ssize_t rn = utf8proc_map((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(j - i), &res,
                                           UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        bool same = rn >= 0 && toff + (size_t)rn <= tn && memcmp(t + toff, res, (size_t)rn) == 0;
        int k = same ? count_cps((const char *)res, (size_t)rn) : 0;
        free(res);
        if (!same)
            break;
        for (int c = 0; c < k && out < tcols; c++)
            cols[out++] = col;
        toff += (size_t)rn;
        col += ncp;
        i = j;
    }
    /* past a disagreement (or the end): one column each, from where the clusters stopped */
    for (; out < tcols; out++)
        cols[out] = col++;
    cols[tcols] = col;
    if (vb_vec_grow(arena, (void **)&m->v, &m->cap, sizeof(mapline_t), m->n + 1) != 0)
        return -1;
    m->v[m->n++] = (mapline_t){line, tcols, cols};
    return 0;
}

/* The map of a text as typed (lines '\n'-separated, CR gone) whose NFC is out; NULL when no line changed. */
static vb_status_t
build_map(vb_arena_t *arena, const char *buf, size_t k, const char *out, size_t out_len, vb_textmap_t **map,
          vb_diag_t *d)
{
    *map = NULL;
    vb_textmap_t *m = NULL;
    size_t i = 0, o = 0;
    for (int line = 1; i <= k && o <= out_len; line++) {
        const char *nl = memchr(buf + i, '\n', k - i);
        size_t e = nl ? (size_t)(nl - buf) : k;
        const char *onl = memchr(out + o, '\n', out_len - o);
        size_t oe = onl ? (size_t)(onl - out) : out_len;
        if (e - i != oe - o || memcmp(buf + i, out + o, e - i) != 0) {
            if (!m && !(m = VB_NEW(arena, vb_textmap_t)))
                return vb_diag_nomem(d);
            if (!m->cap)
                memset(m, 0, sizeof *m);
            if (map_line(arena, m, line, buf + i, e - i, out + o, oe - o) != 0)
                return vb_diag_nomem(d);
        }
        if (!nl || !onl)
            break;
        i = e + 1;
        o = oe + 1;
    }
    *map = m;
    return VB_OK;
}

void
vb_textmap_pos(const vb_textmap_t *m, int *line, int *col)
{
    if (!m || !line || !col || *line <= 0 || *col <= 0)
        return;
    int lo = 0, hi = m->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (m->v[mid].line < *line) {
            lo = mid + 1;
        } else if (m->v[mid].line > *line) {
            hi = mid - 1;
        } else {
            const mapline_t *l = &m->v[mid];
            *col = *col <= l->n + 1 ? l->cols[*col - 1] : l->cols[l->n] + (*col - l->n - 1);
            return;
        }
    }
}

static void
map_pos(const vb_textmap_t *m, vb_pos_t *p)
{
    vb_textmap_pos(m, &p->line, &p->col);
}

static void
map_field(const vb_textmap_t *m, vb_field_t *f)
{
    map_pos(m, &f->pos);
}

static void
map_blocks(const vb_textmap_t *m, vb_blocks_t *b)
{
    for (int i = 0; i < b->n; i++) {
        vb_block_t *x = &b->v[i];
        map_pos(m, &x->pos);
        if (x->table) {
            vb_table_t *t = x->table;
            map_pos(m, &t->pos);
            map_pos(m, &t->delim_pos);
            for (int c = 0; c < t->nrows * t->ncols; c++)
                map_pos(m, &t->cells[c].pos);
            for (int c = 0; t->col_width && c < t->ncols; c++)
                map_pos(m, &t->col_width[c].pos);
        }
        if (x->image)
            vb_textmap_pos(m, &x->image->line, &x->image->col);
    }
}

void
vb_textmap_model(const vb_textmap_t *m, vb_model_t *model)
{
    if (!m)
        return;
    vb_meta_t *t = &model->meta;
    vb_field_t *fields[] = {&t->profile,      &t->parent,      &t->issuer,        &t->number,
                            &t->place,        &t->kind,        &t->title,         &t->authority_line,
                            &t->urgency,      &t->secrecy,     &t->draft,         &t->circulation,
                            &t->footer_note,  &t->contact,     &t->drafter,       &t->confirmation,
                            &t->issuer_name,  &t->to_note,     &t->signer.authority, &t->signer.post,
                            &t->signer.name};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        map_field(m, fields[i]);
    map_pos(m, &t->date.pos);
    for (int i = 0; i < t->nsigners; i++) { /* `signer` is a copy of signers[0], mapped above */
        map_field(m, &t->signers[i].authority);
        map_field(m, &t->signers[i].post);
        map_field(m, &t->signers[i].name);
    }
    for (int i = 0; i < t->nrecipients; i++)
        map_field(m, &t->recipients[i]);
    for (int i = 0; i < t->nto; i++)
        map_field(m, &t->to[i]);
    for (int i = 0; i < t->nbases; i++)
        map_field(m, &t->bases[i]);
    map_pos(m, &t->recipients_pos);
    map_pos(m, &t->to_pos);
    map_pos(m, &t->bases_pos);
    map_pos(m, &t->duplex_pos);
    map_pos(m, &t->nonconforming_pos);
    map_blocks(m, &model->body);
    for (int i = 0; i < model->nappendices; i++) {
        map_pos(m, &model->appendices[i].pos);
        map_blocks(m, &model->appendices[i].blocks);
    }
    for (int i = 0; i < model->nnotes; i++) {
        map_pos(m, &model->notes[i].pos);
        map_pos(m, &model->notes[i].ref);
    }
}

void
vb_textmap_diag(const vb_textmap_t *m, vb_diag_t *d)
{
    if (!m || !d || d->line <= 0)
        return;
    int el = d->end_line, ec = d->end_col;
    vb_textmap_pos(m, &d->line, &d->col);
    if (el > 0 && ec > 0) {
        vb_textmap_pos(m, &el, &ec);
        d->end_line = el, d->end_col = ec;
    }
}

vb_status_t
vb_text_prepare(vb_arena_t *arena, const char *src, size_t len, const char *source, char **out, size_t *out_len,
                vb_diag_t *d)
{
    return vb_text_prepare_map(arena, src, len, source, out, out_len, NULL, d);
}

vb_status_t
vb_text_prepare_map(vb_arena_t *arena, const char *src, size_t len, const char *source, char **out, size_t *out_len,
                    vb_textmap_t **map, vb_diag_t *d)
{
    if (map)
        *map = NULL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        i = 3;

    /* Line ends only shrink (CRLF to LF), so len bytes are enough. */
    char *buf = malloc(len + 1);
    if (!buf)
        return vb_diag_nomem(d);
    size_t k = 0;
    int line = 1, col = 1;
    vb_status_t st = VB_OK;
    bool stable = true; /* every code point in nfc_stable's ranges so far */
    while (i < len) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r') {
            buf[k++] = '\n';
            i += (i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
            line++;
            col = 1;
            continue;
        }
        if (c == '\n') {
            buf[k++] = '\n';
            i++;
            line++;
            col = 1;
            continue;
        }
        if (c >= 0x20 && c < 0x7F) {
            /* a run of printable ASCII, which needs no check: copied at once */
            size_t j = i + 1;
            while (j < len && (unsigned char)src[j] >= 0x20 && (unsigned char)src[j] < 0x7F)
                j++;
            memcpy(buf + k, src + i, j - i);
            k += j - i;
            col += (int)(j - i);
            i = j;
            continue;
        }
        if (c == 0) {
            st = vb_diag_set(d, VB_E_INPUT, "utf8.nul", source, line, col, "The text contains a NUL byte.");
            break;
        }
        /* the base decoder (strict: no overlong form, surrogate or code point past U+10FFFF);
         * what it refuses goes to utf8proc, whose verdict and message stand */
        uint32_t vcp;
        int vn = vb_utf8_decode(src + i, len - i, &vcp);
        utf8proc_int32_t cp = (utf8proc_int32_t)vcp;
        utf8proc_ssize_t n = vn;
        if (vn <= 0)
            n = utf8proc_iterate((const utf8proc_uint8_t *)src + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || !utf8proc_codepoint_valid(cp)) {
            st = vb_diag_set(d, VB_E_INPUT, "utf8.invalid", source, line, col,
                             "The text is not valid UTF-8 (byte 0x%02X); save the file as UTF-8.", (unsigned)c);
            break;
        }
        /* C0 except tab, DEL and C1 (invisible, and no font draws them), noncharacters, bidi controls;
         * U+00A0 to U+1FFF holds none of them but U+061C */
        if (cp >= 0xA0 && cp < 0x2000 && cp != 0x061C)
            ;
        else if ((st = vb_char_check(d, source, line, col, "The text contains", (uint32_t)cp)) != VB_OK)
            break;
        /* what nfc_stable would find, seen here already */
        if (!((cp >= 0xA0 && cp < 0x300) || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2010 && cp < 0x2070)))
            stable = false;
        memcpy(buf + k, src + i, (size_t)n);
        k += (size_t)n;
        i += (size_t)n;
        col++;
    }
    size_t olen = 0;
    if (st == VB_OK && stable) { /* NFC would give it back unchanged */
        *out = vb_arena_strndup(arena, buf, k);
        olen = k;
        if (!*out)
            st = vb_diag_nomem(d);
    } else if (st == VB_OK) {
        st = nfc(arena, buf, k, out, &olen, d);
    }
    if (st == VB_OK && out_len)
        *out_len = olen;
    /* columns as typed, where NFC changed a line */
    if (st == VB_OK && map && (olen != k || memcmp(buf, *out, k) != 0))
        st = build_map(arena, buf, k, *out, olen, map, d);
    free(buf);
    return st;
}

/*
 * s in capitals (a style's `uppercase`): each code point's simple uppercase
 * mapping (utf8proc), then NFC again; "đã ký" gives "ĐÃ KÝ". The result is in
 * arena; NULL when memory is exhausted.
 */
char *
vb_text_upper(vb_arena_t *arena, const char *s, size_t len, size_t *out_len)
{
    char *up = vb_arena_alloc(arena, len * 4 + 1);
    if (!up)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { /* never in prepared text: kept as it is */
            up[o++] = s[i++];
            continue;
        }
        o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)up + o);
        i += (size_t)n;
    }
    char *out = NULL;
    if (nfc(arena, up, o, &out, out_len, NULL) != VB_OK)
        return NULL;
    return out;
}
