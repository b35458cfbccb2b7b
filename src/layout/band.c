/*
 * band.c - setting a band of the profile: columns of templated items set side
 * by side from one top (the page-1 header, the title block, the closing block,
 * the appendix header and title). See profile.h for the item kinds.
 *
 * Each item is set once (templates expanded, text broken into lines inside
 * its column); then the items are placed top-down in each column. Items that
 * share a sync name across columns ("Số …" and the place/date line; "Nơi
 * nhận:" and the signer's authority) must share one baseline: the higher one
 * is moved down to the lower, and everything after it in its column follows.
 * That is repeated until nothing moves (a few passes at most, since items
 * only ever move down).
 *
 * A band in the page flow (vb_band_flow) is then cut into chunks where a page
 * may break: above a line of a list (between entries, or inside an entry as
 * the widows and orphans allow) or above what follows a list, and only where
 * no line, rule or box of any other column is cut. So the căn cứ list and
 * the Nơi nhận list break like paragraphs, while the kind and title, and the
 * signer block with the recipients beside it, stay whole.
 */
#include <stdlib.h>
#include <string.h>

#include "band.h"
#include "input.h" /* the front matter's fields (fields.def) */
#include "template.h"

typedef struct setitem {
    const vb_pitem_t *it;
    vb_dgap_t gaps[VB_DGROUP_GAPS]; /* the gaps of blank fields in its text (its group's, when emitted) */
    vb_style_t style;
    vb_lines_t lines;         /* TEXT: the set lines; LIST: all entries' lines */
    bool skip;
    vb_len_t extra;           /* downward shift from baseline syncing */
    vb_len_t base;            /* first baseline from the last placement */
    VB_VEC(int) entry_end;    /* LIST: the index after each entry's last line */
} setitem_t;

/*
 * The ink of one column as placed (lines, rules, boxes) in order, each with
 * whether a page may break just above it: the breaks vb_band_flow may use.
 */
typedef struct inkspan {
    vb_len_t top, bottom;
    bool cut_before;
} inkspan_t;

typedef struct colink {
    VB_VEC(inkspan_t) v;
    bool after_list;          /* the next span follows a list: a break may come before it */
} colink_t;

static vb_status_t
add_ink(vb_lctx_t *lc, colink_t *ink, int64_t top, int64_t bottom, bool cut_before, vb_diag_t *d)
{
    if (!ink)
        return VB_OK;
    inkspan_t s = {(vb_len_t)top, (vb_len_t)bottom, cut_before || ink->after_list};
    ink->after_list = false;
    if (VB_PUSH(lc->arena, ink->v, s))
        return vb_diag_nomem(d);
    return VB_OK;
}

typedef struct tmpl_out {
    VB_VEC(vb_span_t) spans;
    int nfields, nempty;
    vb_dgap_t gaps[VB_DGROUP_GAPS]; /* the gaps printed, in order (a signed-ready PDF's text fields) */
    int ngaps;
} tmpl_out_t;

static int
add_span(vb_arena_t *a, tmpl_out_t *o, const char *s, size_t n, uint8_t face)
{
    if (n == 0)
        return 0;
    vb_span_t sp = {s, n, face};
    return VB_PUSH(a, o->spans, sp);
}

/* The lower case of a Vietnamese capital (ASCII, Latin-1, Ă Đ Ĩ Ũ Ơ Ư, U+1EA0..U+1EF9); others unchanged. */
static uint32_t
lower_vi(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    if (c == 0x102 || c == 0x110 || c == 0x128 || c == 0x168 || c == 0x1A0)
        return c + 1;
    if (c == 0x1AF)
        return 0x1B0;
    if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0)
        return c + 1;
    return c;
}

/*
 * The kind as a sentence names it: "BÁO CÁO" -> "Báo cáo", for the appendix's
 * "(Kèm theo Báo cáo số …)" line. The first letter stays a capital, the
 * others are lowered, a line break is a space. NULL without a kind.
 */
static const char *
sentence_case(vb_arena_t *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = vb_arena_alloc(a, n * 2 + 1); /* a lowered letter is never more than 1 byte longer */
    if (!out)
        return NULL;
    size_t o = 0;
    bool first = true;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        int k = vb_utf8_decode(s + i, n - i, &c);
        if (k <= 0) {
            out[o++] = s[i++];
            continue;
        }
        i += (size_t)k;
        if (c == '\n')
            c = ' ';
        else if (!first)
            c = lower_vi(c);
        first = false;
        o += (size_t)vb_utf8_encode(c, out + o);
    }
    out[o] = 0;
    return out;
}

static const char *
field_text(const vb_lctx_t *lc, const char *name, size_t n)
{
    const vb_meta_t *m = &lc->model->meta;
    if (lc->appendix && n == 5 && !memcmp(name, "title", 5))
        return NULL; /* an appendix's {title} is its own (expand) */
    const vb_field_t *f = vb_meta_printed(m, name, n); /* the front matter's text fields (fields.def) */
    if (f)
        return f->text;
#define F(key, val)                                         \
    if (n == sizeof(key) - 1 && memcmp(name, key, n) == 0) \
        return (val);
    /* the fields a band may print that are made from the front matter */
    F("date", lc->date_text)
    F("authority", m->signer.authority.text)
    F("post", m->signer.post.text)
    F("name", m->signer.name.text)
    F("kind_sentence", sentence_case(lc->arena, m->kind.text))
    if (m->nsigners > 1) {
        F("authority2", m->signers[1].authority.text)
        F("post2", m->signers[1].post.text)
        F("name2", m->signers[1].name.text)
    }
#undef F
    return NULL;
}

/* Where a field of the front matter was typed ({line 0}: not typed, or not a field). */
static vb_pos_t
field_pos(const vb_lctx_t *lc, const char *name, size_t n)
{
    const vb_meta_t *m = &lc->model->meta;
    const vb_appendix_t *ap = lc->appendix;
#define P(key, val)                                         \
    if (n == sizeof(key) - 1 && memcmp(name, key, n) == 0) \
        return (val);
    if (ap) {
        P("label", ap->pos)
        P("title", ap->pos)
    }
    P("parent", m->parent.pos)
    P("issuer", m->issuer.pos)
    P("number", m->number.pos)
    P("place", m->place.pos)
    P("date", m->date.pos)
    P("kind", m->kind.pos)
    P("kind_sentence", m->kind.pos)
    P("title", m->title.pos)
    P("authority", m->signer.authority.pos)
    P("post", m->signer.post.pos)
    P("name", m->signer.name.pos)
    P("authority_line", m->authority_line.pos)
    P("urgency", m->urgency.pos)
    P("secrecy", m->secrecy.pos)
    P("draft", m->draft.pos)
    P("circulation", m->circulation.pos)
    P("footer_note", m->footer_note.pos)
    P("contact", m->contact.pos)
    P("drafter", m->drafter.pos)
    P("confirmation", m->confirmation.pos)
    P("issuer_name", m->issuer_name.pos)
    P("to_note", m->to_note.pos)
    P("recipients", m->recipients_pos)
    P("to", m->to_pos)
    P("bases", m->bases_pos)
    if (m->nsigners > 1) {
        P("authority2", m->signers[1].authority.pos)
        P("post2", m->signers[1].post.pos)
        P("name2", m->signers[1].name.pos)
    }
#undef P
    return (vb_pos_t){0, 0};
}

struct first_field {
    const char *s;
    size_t n;
};

/* vb_tmpl_walk: stops at the template's first field, kept in ctx. */
static int
first_field_of(void *ctx, const char *s, size_t n, bool field)
{
    struct first_field *ff = ctx;
    if (!field)
        return 0;
    ff->s = s;
    ff->n = n;
    return 1;
}

/*
 * An item's name and span for its box: the profile's name, else its first
 * field ("Số {number}": number) or list; typed where that field is in the
 * source, or, for the profile's own text ("Nơi nhận:"), where the item is
 * written in the profile.
 */
static void
item_identity(vb_lctx_t *lc, const vb_pitem_t *it, const char **name, vb_dspan_t *span)
{
    const char *f = NULL;
    size_t fn = 0;
    if (it->kind == VB_PITEM_LIST && it->list) {
        f = it->list, fn = strlen(it->list);
    } else if (it->kind == VB_PITEM_TEXT && it->text) {
        struct first_field ff = {NULL, 0};
        vb_tmpl_walk(it->text, first_field_of, &ff);
        f = ff.s, fn = ff.n;
    }
    *name = it->name ? it->name : it->box ? it->box : f ? vb_arena_strndup(lc->arena, f, fn) : "text";
    vb_pos_t at = f ? field_pos(lc, f, fn) : (vb_pos_t){0, 0};
    if (at.line > 0) {
        *span = vb_layout_span(lc, at);
    } else {
        *span = (vb_dspan_t){0};
        if (lc->profile->path && it->pos.line > 0)
            *span = (vb_dspan_t){lc->profile->path, it->pos.line, it->pos.col, 0, 0};
    }
}

/* The entries of a list field; NULL when the list is unknown or empty. */
static const vb_field_t *
list_field(const vb_lctx_t *lc, const char *name, int *n)
{
    *n = 0;
    const vb_meta_key_t *k = name ? vb_meta_key(name, strlen(name)) : NULL; /* recipients, to, bases (fields.def) */
    return k ? vb_meta_list(&lc->model->meta, k, n, NULL) : NULL;
}

/* A field (text or list) has a value. */
static bool
field_present(const vb_lctx_t *lc, const char *name)
{
    int n = 0;
    if (list_field(lc, name, &n))
        return true;
    if (lc->appendix && !strcmp(name, "label"))
        return lc->appendix->label.n > 0 && !lc->appendix->nolabel; /* "\nolabel": not printed */
    if (lc->appendix && !strcmp(name, "title"))
        return lc->appendix->ntitle > 0;
    const char *v = field_text(lc, name, strlen(name));
    return v && *v;
}

static bool
kind_in(const vb_lctx_t *lc, const char *const *kinds, int n)
{
    const char *k = lc->model->meta.kind.text;
    for (int i = 0; i < n; i++)
        if (k && !strcmp(k, kinds[i]))
            return true;
    return false;
}

/* Whether an item's `when` condition holds for this document. */
static bool
condition_holds(const vb_lctx_t *lc, const vb_pcond_t *w)
{
    for (int i = 0; i < w->nif; i++)
        if (!field_present(lc, w->if_fields[i]))
            return false;
    for (int i = 0; i < w->nunless; i++)
        if (field_present(lc, w->unless_fields[i]))
            return false;
    if (w->nkinds && !kind_in(lc, w->kinds, w->nkinds))
        return false;
    if (w->nnot_kinds && kind_in(lc, w->not_kinds, w->nnot_kinds))
        return false;
    return true;
}

/*
 * A gap of width w for a field left blank until issuance: no-break spaces
 * (U+00A0) as many as come nearest to w at the item's style, at least one.
 * No-break, so the gap stays with what follows it ("      /KH-UBND").
 */
static vb_status_t
blank_gap(vb_lctx_t *lc, const vb_style_t *st, vb_len_t w, const char *what, tmpl_out_t *o, vb_diag_t *d)
{
    static const char nbsp[] = "\xC2\xA0";
    if (w <= 0)
        return vb_diag_set(d, VB_E_PROFILE, "profile.blanks", lc->profile->path ? lc->profile->path : lc->profile->id,
                           0, 0,
                           "The document leaves the %s blank until issuance, but the profile %s gives no "
                           "`blanks.%s` width to print the gap.",
                           what, lc->profile->id, what);
    vb_span_t sp = {nbsp, 2, 0};
    vb_inline_t in = {&sp, 1};
    vb_len_t one = 0, ww;
    vb_status_t rc = vb_text_measure(&lc->set, &in, st, &one, &ww, d);
    if (rc != VB_OK)
        return rc;
    int64_t k = one > 0 ? ((int64_t)w + one / 2) / one : 1;
    if (k < 1)
        k = 1;
    if (k > 64)
        k = 64;
    char *g = vb_arena_alloc(lc->arena, (size_t)k * 2 + 1);
    if (!g)
        return vb_diag_nomem(d);
    for (int64_t i = 0; i < k; i++)
        memcpy(g + i * 2, nbsp, 2);
    g[k * 2] = 0;
    if (o->ngaps < VB_DGROUP_GAPS)
        o->gaps[o->ngaps++] = (vb_dgap_t){what[0], (uint8_t)k, vb_len_sat(k * one)};
    return add_span(lc->arena, o, g, (size_t)k * 2, 0) ? vb_diag_nomem(d) : VB_OK;
}

/*
 * The last word of the literal text before a field, when the field's value
 * starts with the same word (ASCII case folded) and a space: its length in
 * the value, else 0. The profile prints "V/v {title}"; a title typed
 * "V/v nâng bậc lương" must not print "V/v V/v …".
 */
static size_t
repeated_prefix(const tmpl_out_t *o, const char *v)
{
    if (o->spans.n == 0)
        return 0;
    const vb_span_t *last = &o->spans.v[o->spans.n - 1];
    size_t e = last->len;
    if (e < 2 || last->text[e - 1] != ' ')
        return 0;
    size_t b = e - 1;
    while (b > 0 && last->text[b - 1] != ' ')
        b--;
    size_t wl = e - 1 - b;
    if (wl == 0 || strlen(v) <= wl || v[wl] != ' ')
        return 0;
    for (size_t i = 0; i < wl; i++) {
        char x = last->text[b + i], y = v[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return 0;
    }
    return wl + 1;
}

/*
 * A field's value into o: the date with its blank day or month as gaps, a
 * blank number after its gap, a value whose first word the template already
 * printed without that word.
 */
static vb_status_t
add_value(vb_lctx_t *lc, const vb_style_t *st, const char *name, size_t n, const char *v, tmpl_out_t *o,
          vb_diag_t *d)
{
    vb_arena_t *a = lc->arena;
    const vb_meta_t *m = &lc->model->meta;
    if (n == 6 && !memcmp(name, "number", 6) && m->number_blank) {
        vb_status_t rc = blank_gap(lc, st, lc->profile->blanks.number, "number", o, d);
        if (rc != VB_OK)
            return rc;
    }
    if (n == 4 && !memcmp(name, "date", 4)) {
        for (const char *p = v; *p;) {
            size_t k = strcspn(p, "\x01\x02");
            if (add_span(a, o, p, k, 0))
                return vb_diag_nomem(d);
            p += k;
            if (!*p)
                break;
            bool day = *p == VB_BLANK_DAY;
            vb_status_t rc =
                blank_gap(lc, st, day ? lc->profile->blanks.day : lc->profile->blanks.month, day ? "day" : "month", o, d);
            if (rc != VB_OK)
                return rc;
            p++;
        }
        return VB_OK;
    }
    v += repeated_prefix(o, v);
    return add_span(a, o, v, strlen(v), 0) ? vb_diag_nomem(d) : VB_OK;
}

/* What the walk over an item's template fills. */
typedef struct expand_ctx {
    vb_lctx_t *lc;
    const vb_style_t *st;
    tmpl_out_t o;
    vb_status_t rc;
    vb_diag_t *d;
} expand_ctx_t;

/* One part of an item's template (vb_tmpl_walk): literal text, or a field's value. */
static int
expand_part(void *ctx, const char *name, size_t n, bool field)
{
    expand_ctx_t *e = ctx;
    vb_lctx_t *lc = e->lc;
    vb_arena_t *a = lc->arena;
    tmpl_out_t *o = &e->o;
    vb_diag_t *d = e->d;
    if (!field) {
        if (add_span(a, o, name, n, 0))
            return (int)(e->rc = vb_diag_nomem(d));
        return 0;
    }
    o->nfields++;
    const vb_appendix_t *ap = lc->appendix;
    if (ap && n == 5 && !memcmp(name, "label", 5)) {
        /* "\nolabel": the label is empty, so an item of only the label is skipped */
        int nl = ap->nolabel ? 0 : ap->label.n;
        if (nl == 0)
            o->nempty++;
        for (int i = 0; i < nl; i++)
            if (VB_PUSH(a, o->spans, ap->label.spans[i]))
                return (int)(e->rc = vb_diag_nomem(d));
    } else if (ap && n == 5 && !memcmp(name, "title", 5)) {
        if (ap->ntitle == 0)
            o->nempty++;
        for (int t = 0; t < ap->ntitle; t++) {
            if (t > 0 && add_span(a, o, "\n", 1, 0))
                return (int)(e->rc = vb_diag_nomem(d));
            for (int i = 0; i < ap->title[t].n; i++)
                if (VB_PUSH(a, o->spans, ap->title[t].spans[i]))
                    return (int)(e->rc = vb_diag_nomem(d));
        }
    } else {
        const char *v = field_text(lc, name, n);
        if (!v || !*v)
            o->nempty++;
        else if ((e->rc = add_value(lc, e->st, name, n, v, o, d)) != VB_OK)
            return (int)e->rc;
    }
    return 0;
}

/*
 * Expands an item's template into inline text: literal parts in face 0,
 * field values as text (the appendix label and title keep their own faces).
 * A field the item `require`s that has no value is an error.
 */
static vb_status_t
expand(vb_lctx_t *lc, const vb_pitem_t *it, const vb_style_t *st, vb_inline_t *out, bool *all_empty,
       vb_dgap_t *gaps, vb_diag_t *d)
{
    for (int i = 0; i < it->nrequire; i++) {
        const char *v = field_text(lc, it->require[i], strlen(it->require[i]));
        if (!v || !*v) {
            /* at the appendix's label when the line is an appendix's, else at the front matter's start */
            vb_pos_t at = lc->appendix ? lc->appendix->pos : (vb_pos_t){1, 1};
            return vb_diag_set(d, VB_E_INPUT, "frontmatter.missing", lc->model->source, at.line, at.col,
                               "The profile %s prints a line with \"{%s}\" here, and the front matter has no "
                               "\"%s\"%s.",
                               lc->profile->id, it->require[i], it->require[i],
                               !strcmp(it->require[i], "issuer_name")
                                   ? ": add the issuing body's full name in normal case, as a sentence writes it "
                                     "(issuer_name: Ban Tổ chức Tỉnh ủy Thanh Hóa), for the appendix's \"(Kèm theo "
                                     "… của …)\" line; the header's capitals cannot give it"
                                   : "");
        }
    }
    expand_ctx_t e;
    memset(&e, 0, sizeof e);
    e.lc = lc, e.st = st, e.d = d;
    if (vb_tmpl_walk(it->text, expand_part, &e))
        return e.rc;
    out->spans = e.o.spans.v;
    out->n = e.o.spans.n;
    memcpy(gaps, e.o.gaps, sizeof e.o.gaps);
    *all_empty = e.o.nfields > 0 && e.o.nempty == e.o.nfields;
    return VB_OK;
}

static bool
ends_in_punct(const char *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return false;
    char c = s[n - 1];
    return c == ',' || c == ';' || c == '.' || c == ':';
}

/* Moves a set line right by dx. */
static void
shift_line(vb_lctx_t *lc, vb_line_t *ln, vb_len_t dx)
{
    (void)lc;
    for (int r = 0; r < ln->nruns; r++)
        for (int g = 0; g < ln->runs[r].n; g++)
            ln->runs[r].glyphs[g].x += dx;
    ln->x0 += dx;
    ln->x1 += dx;
}

static vb_status_t
measure(vb_lctx_t *lc, const char *s, const vb_style_t *st, vb_len_t *w, vb_diag_t *d)
{
    vb_span_t sp = {s, strlen(s), 0};
    vb_inline_t in = {&sp, 1};
    vb_len_t ww;
    return vb_text_measure(&lc->set, &in, st, w, &ww, d);
}

/*
 * Sets the entries of a LIST item one under the other: each entry gets the
 * marker before it and its separator after it (unless the author typed
 * punctuation). With a label ("Kính gửi: "), the first entry follows the
 * label on its line and the others line up under it. Wrapped lines hang
 * after the marker, except in paragraph-like lists (a first-line indent:
 * căn cứ lines), which wrap to the margin. A centred list is set flush left
 * and centred as a block.
 */
static vb_status_t
set_list(vb_lctx_t *lc, const vb_pcolumn_t *col, setitem_t *si, vb_diag_t *d)
{
    const vb_pitem_t *it = si->it;
    int n = 0;
    const vb_field_t *entries = list_field(lc, it->list, &n);
    if (!entries) {
        if (it->required)
            return vb_diag_set(d, VB_E_INPUT, "frontmatter.missing", lc->model->source, 1, 1,
                               "The profile %s needs at least one entry in \"%s\" in the front matter.",
                               lc->profile->id, it->list);
        si->skip = true;
        return VB_OK;
    }
    const char *marker = it->marker ? it->marker : "";
    if (n == 1 && it->single_marker)
        marker = it->single_marker;
    const char *label = it->label ? it->label : "";
    vb_style_t st = si->style;
    bool centred = st.align == VB_ALIGN_CENTER;
    if (centred)
        st.align = VB_ALIGN_LEFT;
    vb_len_t mw = 0, lw = 0;
    vb_status_t rc = measure(lc, marker, &st, &mw, d);
    if (rc == VB_OK && *label) {
        vb_style_t lst = st;
        if (it->label_face >= 0)
            lst.face = (uint8_t)it->label_face;
        rc = measure(lc, label, &lst, &lw, d);
    }
    if (rc != VB_OK)
        return rc;
    bool paragraph = st.indent > 0;
    VB_VEC(vb_line_t) all = {0};
    for (int i = 0; i < n; i++) {
        const char *e = entries[i].text ? entries[i].text : "";
        size_t len = strlen(e);
        bool last = i == n - 1;
        const char *sep = last ? it->last_separator : it->separator;
        if (!sep || ends_in_punct(e, len))
            sep = "";
        /* the entry's own spans (bold, italic, scripts as typed) between the marker and the separator */
        const vb_inline_t *ein = &entries[i].in;
        vb_span_t plain = {e, len, 0};
        int ne = ein->n ? ein->n : 1;
        vb_span_t *sp = VB_NEWN(lc->arena, vb_span_t, ne + 3);
        if (!sp)
            return vb_diag_nomem(d);
        vb_inline_t in = {sp, 0};
        vb_style_t est = st;
        if (i == 0 && *label) {
            /* the label in its own face when the profile gives one; the entry in the item's */
            int lf = it->label_face >= 0 ? it->label_face : st.face;
            sp[in.n++] = (vb_span_t){label, strlen(label), (uint8_t)lf};
            est.face = 0;
        }
        uint8_t ef = i == 0 && *label ? st.face : 0;
        if (*marker)
            sp[in.n++] = (vb_span_t){marker, strlen(marker), ef};
        for (int k = 0; k < ne; k++) {
            sp[in.n] = ein->n ? ein->spans[k] : plain;
            sp[in.n++].face |= ef;
        }
        if (*sep)
            sp[in.n++] = (vb_span_t){sep, strlen(sep), ef};
        /* neighbours in one face become one span, so a plain entry stays one run */
        int m = 0;
        for (int k = 0; k < in.n; k++) {
            if (m > 0 && sp[m - 1].face == sp[k].face) {
                char *t = vb_arena_alloc(lc->arena, sp[m - 1].len + sp[k].len + 1);
                if (!t)
                    return vb_diag_nomem(d);
                memcpy(t, sp[m - 1].text, sp[m - 1].len);
                memcpy(t + sp[m - 1].len, sp[k].text, sp[k].len);
                t[sp[m - 1].len + sp[k].len] = 0;
                sp[m - 1].text = t;
                sp[m - 1].len += sp[k].len;
            } else {
                sp[m++] = sp[k];
            }
        }
        in.n = m;
        vb_len_t width = col->width, dx = 0;
        if (!paragraph)
            est.hang = (i == 0 ? lw : 0) + mw;
        if (i > 0 && lw) {
            /* the later entries line up after the label */
            width -= lw;
            dx = lw;
            est.indent = 0;
        }
        vb_lines_t ls;
        rc = vb_set_text(&lc->set, &in, &est, width > 0 ? width : 1, &ls, d);
        if (rc != VB_OK)
            return rc;
        for (int k = 0; k < ls.n; k++) {
            if (dx)
                shift_line(lc, &ls.v[k], dx);
            if (VB_PUSH(lc->arena, all, ls.v[k]))
                return vb_diag_nomem(d);
        }
        if (VB_PUSH(lc->arena, si->entry_end, all.n))
            return vb_diag_nomem(d);
    }
    if (centred) {
        vb_len_t x1 = 0;
        for (int k = 0; k < all.n; k++)
            if (all.v[k].x1 > x1)
                x1 = all.v[k].x1;
        vb_len_t dx = (col->width - x1) / 2;
        for (int k = 0; dx > 0 && k < all.n; k++)
            shift_line(lc, &all.v[k], dx);
    }
    si->lines.v = all.v;
    si->lines.n = all.n;
    return VB_OK;
}

/*
 * Whether a page may break above line k of a set item: inside a list, as
 * widows and orphans allow counted over the whole list (so a list stays with
 * at least its first lines after its label or what precedes it) and inside
 * each entry.
 */
static bool
list_cut_before(const vb_lctx_t *lc, const setitem_t *si, int k)
{
    if (si->it->kind != VB_PITEM_LIST)
        return false;
    const vb_pbreak_t *br = &lc->profile->breaking;
    if (k < 1 || k < br->orphans || si->lines.n - k < br->widows || si->lines.n - k < 1)
        return false;
    int start = 0;
    for (int e = 0; e < si->entry_end.n; e++) {
        int end = si->entry_end.v[e];
        if (k < end) {
            int idx = k - start, m = end - start;
            return idx == 0 || (idx >= br->orphans && m - idx >= br->widows);
        }
        start = end;
    }
    return false;
}

/*
 * Places one column's items; emits into c when c is not NULL, and records the
 * column's ink in ink when it is not NULL. Returns the column height.
 */
static vb_status_t
place_column(vb_lctx_t *lc, const vb_pcolumn_t *col, setitem_t *items, vb_chunk_t *c, colink_t *ink,
             vb_len_t *height, vb_diag_t *d)
{
    int64_t cursor = 0;
    /* boxes (emitting only): the column's group, and each item's inside it */
    int colgroup = 0;
    if (c) {
        vb_dgroup_t g = {.kind = VB_DBOX_COLUMN, .name = col->name ? col->name : "column",
                         .official = col->official, .index = -1};
        if (!(colgroup = lc->dl ? vb_dlist_add_group(lc->dl, &g) : 0) && lc->dl)
            return vb_diag_nomem(d);
    }
    for (int i = 0; i < col->n; i++) {
        setitem_t *si = &items[i];
        const vb_pitem_t *it = si->it;
        if (si->skip)
            continue;
        if (c) {
            vb_dgroup_t g = {.kind = VB_DBOX_ITEM, .official = it->official, .index = -1, .outer = colgroup};
            memcpy(g.gaps, si->gaps, sizeof g.gaps);
            item_identity(lc, it, &g.name, &g.span);
            lc->box_group = lc->dl && !(it->kind == VB_PITEM_SPACE && it->box) ? vb_dlist_add_group(lc->dl, &g) : 0;
            /* a signer's box ("signature") or the seal's is one box: which signer, in what role */
            if (it->kind == VB_PITEM_SPACE && it->box) {
                g.kind = !strcmp(it->box, "seal") ? VB_DBOX_SEAL : VB_DBOX_SIGNATURE;
                g.index = it->signer;
                g.role = it->role ? it->role : col->name;
                g.direct = true;
                lc->box_group = lc->dl ? vb_dlist_add_group(lc->dl, &g) : 0;
            }
            lc->box_outer = colgroup;
            if (!g.name || (lc->dl && !lc->box_group))
                return vb_diag_nomem(d);
        }
        if (it->kind == VB_PITEM_SPACE) {
            if (c && it->box) {
                vb_status_t rc = vb_chunk_add_box(lc, c, !strcmp(it->box, "seal") ? VB_DBOX_SEAL : VB_DBOX_SIGNATURE,
                                                  col->x, (vb_len_t)cursor, col->width, it->height, d);
                if (rc == VB_OK)
                    rc = add_ink(lc, ink, cursor, cursor + it->height, false, d);
                if (rc != VB_OK)
                    return rc;
            }
            if (it->sync) {
                /* a synced space is an empty line whose leading is its height */
                vb_len_t A = vb_style_ascent(&lc->set, &si->style);
                int64_t base = cursor + si->extra + A;
                si->base = vb_len_sat(base);
                cursor = base + it->height - A;
            } else {
                cursor += (int64_t)it->height + si->extra;
            }
            continue;
        }
        const vb_style_t *st = &si->style;
        vb_len_t A = vb_style_ascent(&lc->set, st), D = vb_style_descent(&lc->set, st);
        int64_t base = cursor + st->space_before + A + si->extra;
        si->base = vb_len_sat(base);
        if (c && si->lines.n > 0) {
            /* the item and its column are as wide as the column (a flat box that only widens them) */
            vb_status_t rc = vb_chunk_add_box(lc, c, 0, col->x, vb_len_sat(base - A), col->width, 0, d);
            if (rc != VB_OK)
                return rc;
        }
        int64_t last = base;
        vb_len_t wx0 = 0, wx1 = 0;
        for (int k = 0; k < si->lines.n; k++) {
            const vb_line_t *ln = &si->lines.v[k];
            last = base + (int64_t)k * st->leading;
            if (ln->x1 - ln->x0 > wx1 - wx0)
                wx0 = ln->x0, wx1 = ln->x1;
            if (!c)
                continue;
            vb_status_t rc = vb_chunk_add_line(lc, c, ln, col->x, (vb_len_t)last, d);
            if (rc == VB_OK)
                rc = add_ink(lc, ink, last - A, last + D, list_cut_before(lc, si, k), d);
            if (rc != VB_OK)
                return rc;
            if (st->underline) {
                const vb_font_t *f = vb_fontset_face(lc->set.fonts, (vb_face_t)(st->face & 3));
                const vb_font_info_t *fi = vb_font_info(f);
                vb_len_t th = fi->underline_thickness ? vb_font_scale(f, fi->underline_thickness, st->size)
                                                      : st->size / 20;
                vb_len_t pos = fi->underline_position ? vb_font_scale(f, -fi->underline_position, st->size)
                                                      : st->size / 10;
                rc = vb_chunk_add_rule(lc, c, col->x + ln->x0, (vb_len_t)last + pos + th / 2, col->x + ln->x1,
                                       (vb_len_t)last + pos + th / 2, th, d);
                if (rc == VB_OK)
                    rc = add_ink(lc, ink, last + pos, last + pos + th, false, d);
                if (rc != VB_OK)
                    return rc;
            }
        }
        cursor = last + ((int64_t)st->leading - A) + st->space_after;
        if (it->rule.mode != VB_RULE_NONE) {
            int64_t len = wx1 - wx0;
            if (it->rule.mode == VB_RULE_RATIO)
                len = len * it->rule.ratio / 1000;
            else if (it->rule.mode == VB_RULE_FIXED)
                len = it->rule.length;
            else if (it->rule.mode == VB_RULE_FULL)
                len = col->width;
            int64_t mid = col->x + (wx0 + wx1) / 2;
            int64_t x1 = it->rule.mode == VB_RULE_FULL    ? col->x
                         : st->align == VB_ALIGN_LEFT ? col->x + wx0
                                                      : mid - len / 2;
            int64_t y = last + it->rule.below;
            if (c) {
                vb_status_t rc = vb_chunk_add_rule(lc, c, (vb_len_t)x1, (vb_len_t)y, (vb_len_t)(x1 + len),
                                                   (vb_len_t)y, it->rule.width, d);
                if (rc == VB_OK)
                    rc = add_ink(lc, ink, y - it->rule.width / 2, y + (it->rule.width + 1) / 2, false, d);
                if (rc != VB_OK)
                    return rc;
            }
            int64_t below = y + it->rule.width / 2 + it->rule.space_after;
            if (below > cursor)
                cursor = below;
        }
        if (ink && it->kind == VB_PITEM_LIST && si->lines.n > 0)
            ink->after_list = true;
    }
    lc->box_group = lc->box_outer = 0;
    *height = vb_len_sat(cursor); /* a band taller than any page is refused as too tall */
    return VB_OK;
}

/* Sets a band as one chunk; with inks (one per column), records each column's ink. */
static vb_status_t
band_set(vb_lctx_t *lc, const vb_band_t *band, vb_chunk_t **out, colink_t *inks, vb_diag_t *d)
{
    *out = NULL;
    if (!band->present || band->ncols == 0)
        return VB_OK;
    vb_chunk_t *c = vb_chunk_new(lc);
    if (!c)
        return vb_diag_nomem(d);
    setitem_t **cols = VB_NEWN(lc->arena, setitem_t *, band->ncols);
    if (!cols)
        return vb_diag_nomem(d);
    /* set every item once */
    for (int ci = 0; ci < band->ncols; ci++) {
        const vb_pcolumn_t *col = &band->cols[ci];
        cols[ci] = VB_NEWN(lc->arena, setitem_t, col->n ? col->n : 1);
        if (!cols[ci])
            return vb_diag_nomem(d);
        for (int i = 0; i < col->n; i++) {
            setitem_t *si = &cols[ci][i];
            si->it = &col->items[i];
            si->style = col->items[i].style;
            vb_status_t rc = VB_OK;
            if (!condition_holds(lc, &si->it->when)) {
                si->skip = true;
                continue;
            }
            if (si->it->kind == VB_PITEM_TEXT) {
                vb_inline_t in;
                bool empty = false;
                rc = expand(lc, si->it, &si->style, &in, &empty, si->gaps, d);
                if (rc != VB_OK)
                    return rc;
                if (empty || in.n == 0) {
                    if (si->it->required)
                        return vb_diag_set(d, VB_E_INPUT, "frontmatter.missing", lc->model->source, 1, 1,
                                           "The profile %s needs a value for \"%s\" in the front matter.",
                                           lc->profile->id, si->it->text);
                    si->skip = true;
                    continue;
                }
                rc = vb_set_text(&lc->set, &in, &si->style, col->width, &si->lines, d);
            } else if (si->it->kind == VB_PITEM_LIST) {
                rc = set_list(lc, col, si, d);
            }
            if (rc != VB_OK)
                return rc;
        }
    }
    /* sync baselines: items only move down, so this settles */
    for (int pass = 0; pass < 8; pass++) {
        vb_len_t h;
        for (int ci = 0; ci < band->ncols; ci++) {
            vb_status_t rc = place_column(lc, &band->cols[ci], cols[ci], NULL, NULL, &h, d);
            if (rc != VB_OK)
                return rc;
        }
        bool moved = false;
        for (int ci = 0; ci < band->ncols; ci++) {
            for (int i = 0; i < band->cols[ci].n; i++) {
                setitem_t *si = &cols[ci][i];
                if (si->skip || !si->it->sync || si->it->kind == VB_PITEM_LIST)
                    continue;
                vb_len_t target = si->base;
                for (int cj = 0; cj < band->ncols; cj++)
                    for (int j = 0; j < band->cols[cj].n; j++) {
                        setitem_t *sj = &cols[cj][j];
                        if (!sj->skip && sj->it->sync && sj->it->kind != VB_PITEM_LIST &&
                            !strcmp(sj->it->sync, si->it->sync) && sj->base > target)
                            target = sj->base;
                    }
                if (target > si->base) {
                    si->extra = vb_len_add(si->extra, (int64_t)target - si->base);
                    moved = true;
                }
            }
        }
        if (!moved)
            break;
    }
    vb_len_t height = 0;
    for (int ci = 0; ci < band->ncols; ci++) {
        vb_len_t h;
        vb_status_t rc = place_column(lc, &band->cols[ci], cols[ci], c, inks ? &inks[ci] : NULL, &h, d);
        if (rc != VB_OK)
            return rc;
        if (h > height)
            height = h;
    }
    c->height = vb_len_add(height, band->space_after);
    c->fit = height;
    c->space_before = band->space_before;
    c->top = band->top;
    *out = c;
    return VB_OK;
}

vb_status_t
vb_band_layout(vb_lctx_t *lc, const vb_band_t *band, vb_chunk_t **out, vb_diag_t *d)
{
    return band_set(lc, band, out, NULL, d);
}

/* Whether a break at y cuts no ink of a column: y is above or below it, or in a gap a break may use. */
static bool
cut_allowed(const colink_t *ink, vb_len_t y)
{
    if (ink->v.n == 0)
        return true;
    vb_len_t bottom = ink->v.v[0].bottom;
    if (y <= ink->v.v[0].top)
        return true;
    for (int k = 1; k < ink->v.n; k++) {
        const inkspan_t *s = &ink->v.v[k];
        if (s->cut_before && bottom <= y && y <= s->top)
            return true;
        if (s->bottom > bottom)
            bottom = s->bottom;
    }
    return y >= bottom;
}

/* The reference height of an item: which side of a break it goes to. */
static vb_len_t
item_y(const vb_ditem_t *it)
{
    switch (it->kind) {
    case VB_DITEM_RUN:
        return it->u.run.n > 0 ? it->u.run.glyphs[0].y : 0;
    case VB_DITEM_RULE:
        return it->u.rule.y1 < it->u.rule.y2 ? it->u.rule.y1 : it->u.rule.y2;
    case VB_DITEM_BOX:
        /* a line's box goes with its line: its middle lies between the line's top and the next one's */
        return it->u.box.kind == VB_DBOX_LINE ? it->u.box.y + it->u.box.h / 2 : it->u.box.y;
    case VB_DITEM_IMAGE:
        return it->u.image.y;
    }
    return 0;
}

vb_status_t
vb_band_flow(vb_lctx_t *lc, const vb_band_t *band, vb_pos_t pos, vb_chunk_t **first, vb_chunk_t **last,
             vb_diag_t *d)
{
    *first = *last = NULL;
    if (!band->present || band->ncols == 0)
        return VB_OK;
    colink_t *inks = VB_NEWN(lc->arena, colink_t, band->ncols);
    if (!inks)
        return vb_diag_nomem(d);
    vb_chunk_t *c = NULL;
    vb_status_t rc = band_set(lc, band, &c, inks, d);
    if (rc != VB_OK || !c)
        return rc;
    c->pos = pos;
    *first = *last = c;

    /* the breaks: tops of lines that may start a page, where no column's ink is cut */
    int ncand = 0;
    for (int ci = 0; ci < band->ncols; ci++)
        ncand += inks[ci].v.n;
    vb_len_t *cut = VB_NEWN(lc->arena, vb_len_t, ncand + 1);
    if (!cut)
        return vb_diag_nomem(d);
    int ncut = 0;
    cut[ncut++] = 0;
    for (int ci = 0; ci < band->ncols; ci++)
        for (int k = 0; k < inks[ci].v.n; k++) {
            const inkspan_t *s = &inks[ci].v.v[k];
            if (!s->cut_before || s->top <= 0 || s->top >= c->fit)
                continue;
            bool ok = true;
            for (int cj = 0; cj < band->ncols && ok; cj++)
                ok = cut_allowed(&inks[cj], s->top);
            if (ok)
                cut[ncut++] = s->top;
        }
    qsort(cut, (size_t)ncut, sizeof *cut, vb_len_cmp);
    /* keep a break only when ink lies above it since the previous one (no empty chunk) */
    int m = 1;
    for (int k = 1; k < ncut; k++) {
        bool ink_above = false;
        for (int ci = 0; ci < band->ncols && !ink_above; ci++)
            for (int j = 0; j < inks[ci].v.n && !ink_above; j++)
                ink_above = inks[ci].v.v[j].top >= cut[m - 1] && inks[ci].v.v[j].top < cut[k];
        if (cut[k] > cut[m - 1] && ink_above)
            cut[m++] = cut[k];
    }
    ncut = m;
    if (ncut == 1)
        return VB_OK;

    /* one chunk per piece; c stays the first and keeps the band's top and space before */
    vb_chunk_t **piece = VB_NEWN(lc->arena, vb_chunk_t *, ncut);
    if (!piece)
        return vb_diag_nomem(d);
    piece[0] = c;
    for (int k = 1; k < ncut; k++) {
        if (!(piece[k] = vb_chunk_new(lc)))
            return vb_diag_nomem(d);
        piece[k]->pos = pos;
    }
    int nitems = c->items.n;
    vb_ditem_t *items = c->items.v;
    memset(&c->items, 0, sizeof c->items);
    for (int i = 0; i < nitems; i++) {
        vb_len_t y = item_y(&items[i]);
        int k = ncut - 1;
        while (k > 0 && cut[k] > y)
            k--;
        vb_ditem_move(&items[i], 0, -cut[k]);
        if (VB_PUSH(lc->arena, piece[k]->items, items[i]))
            return vb_diag_nomem(d);
    }
    vb_len_t height = c->height, fit = c->fit;
    for (int k = 0; k < ncut; k++) {
        vb_chunk_t *p = piece[k];
        if (k == ncut - 1) {
            p->height = height - cut[k];
            p->fit = fit - cut[k];
            break;
        }
        p->height = cut[k + 1] - cut[k];
        vb_len_t bottom = 0;
        for (int ci = 0; ci < band->ncols; ci++)
            for (int j = 0; j < inks[ci].v.n; j++) {
                const inkspan_t *s = &inks[ci].v.v[j];
                if (s->top >= cut[k] && s->top < cut[k + 1] && s->bottom - cut[k] > bottom)
                    bottom = s->bottom - cut[k];
            }
        p->fit = bottom;
    }
    *last = piece[ncut - 1];
    return VB_OK;
}
