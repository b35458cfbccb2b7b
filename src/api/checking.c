/*
 * checking.c - the public check calls (vanban.h): a source checked as a
 * render would read, validate and lay it out, with no PDF written
 * (vb_check_buffer); the fit-to-issue rules (issue.*: a signer's name,
 * recipients, a trích yếu where the kind takes one, no placeholder text
 * left), run by a render after validation (render.c) when asked
 * (vb_render_options_t.fit: warnings, or errors); the safe fixes applied to a buffer
 * (vb_fixes_apply); the findings as JSON (vb_diags_json, written by
 * merge/data_json.c, the jansson user).
 *
 * What counts as a placeholder and which kinds take no trích yếu are the
 * profile's `fit:` (docs/profile-format.md); a profile without it checks the
 * signer, the recipients and a title for every kind, and no placeholders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "data.h"

/* ------------------------------------------------------- fit to issue */

static bool
blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* One placeholder found on a line: reported where it was typed. */
static void
placeholder_at(vb_sink_t *sink, vb_severity_t sev, const char *name, int line, const char *ls, size_t off,
               size_t n)
{
    int col = 1 + vb_utf8_chars(ls, off);
    vb_range_t r = {line, col, line, col + vb_utf8_chars(ls + off, n)};
    vb_report(sink, sev, VB_E_INPUT, "issue.placeholder", name, r, NULL,
              "\"%.*s\" is a placeholder left from a form or a model: type the real text before the document is "
              "issued.",
              (int)n, ls + off);
}

/*
 * The placeholders of the profile in text (the source as read, front matter
 * and body): a substring of placeholders anywhere but in a YAML comment of
 * the front matter; a value of values when it is a whole value, list entry or
 * line.
 */
/*
 * How common a byte is in Vietnamese text, roughly (lower: rarer): the byte a
 * pattern is looked for by. A UTF-8 continuation byte names one letter; an
 * ASCII capital, digit or sign is rarer than a small letter; a space, '.' and
 * ',' and the lead bytes of the Vietnamese letters are everywhere.
 */
static int
commonness(const unsigned char *pat, size_t k)
{
    unsigned char b = pat[k];
    if (b >= 0x80 && b < 0xC0) {
        /* the last byte of a three-byte letter (ễ, ậ) names it; the second (BA, BB) and the byte after
           a two-byte lead (â, ê, ơ, ư, đ) are common */
        bool last3 = k >= 2 && pat[k - 2] >= 0xE0;
        return last3 ? 1 : 6;
    }
    if (b >= 0xC0)
        return 7;
    if (b == ' ' || b == '.' || b == ',')
        return 9;
    if (b >= 'a' && b <= 'z')
        return strchr("fjqwxz", b) ? 3 : 5;
    return (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ? 4 : 2;
}

typedef struct hit {
    size_t off, len;
} hit_t;

static int
by_offset(const void *x, const void *y)
{
    const hit_t *a = x, *b = y;
    return a->off < b->off ? -1 : a->off > b->off;
}

static void
scan_placeholders(const vb_pfit_t *f, const char *text, size_t len, const char *name, vb_severity_t sev,
                  vb_sink_t *sink)
{
    /*
     * Each placeholder looked for in the whole text at once, by memchr for its
     * rarest byte, then the whole pattern around it: a render pays a few
     * hundred calls, not one per line and placeholder. The hits are reported
     * below, line by line, when they are not in a YAML comment.
     */
    VB_VEC(hit_t) hits = {0};
    vb_arena_t *scratch = NULL;
    for (int p = 0; p < f->nplaceholders; p++) {
        const unsigned char *pat = (const unsigned char *)f->placeholders[p];
        size_t pn = strlen((const char *)pat), k = 0;
        for (size_t j = 1; j < pn; j++)
            if (commonness(pat, j) <= commonness(pat, k))
                k = j;
        for (size_t i = k; pn && i + (pn - k) <= len;) {
            const char *h = memchr(text + i, pat[k], len - (pn - k) + 1 - i);
            if (!h)
                break;
            size_t at = (size_t)(h - text) - k;
            if (memcmp(text + at, pat, pn) != 0 || memchr(text + at, '\n', pn)) {
                i = (size_t)(h - text) + 1;
                continue;
            }
            if (!scratch && !(scratch = vb_arena_new()))
                return;
            if (VB_PUSH(scratch, hits, ((hit_t){at, pn})) != 0)
                break;
            i = at + pn + k;
        }
    }
    if (hits.n > 1)
        qsort(hits.v, (size_t)hits.n, sizeof *hits.v, by_offset);
    int h = 0;
    int line = 0, dashes = 0;
    for (size_t s = 0; s < len;) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len, n = e - s;
        const char *ls = text + s;
        line++;
        if (n && ls[n - 1] == '\r')
            n--;
        bool is_dashes = n >= 3 && strspn(ls, "-") == n;
        bool front = dashes == 1 && !is_dashes; /* inside the front matter */
        if (is_dashes && dashes < 2) {
            dashes++;
            s = nl ? e + 1 : len;
            continue;
        }
        while (h < hits.n && hits.v[h].off < s) /* on a line not looked at (the front matter's "---") */
            h++;
        size_t end = n, v = 0; /* the line without a YAML comment; where its value starts */
        if (front) {
            while (v < n && (ls[v] == ' ' || ls[v] == '\t'))
                v++;
            if (v < n && ls[v] == '#')
                end = v;
            size_t k = v;
            while (k < end && ((ls[k] >= 'a' && ls[k] <= 'z') || ls[k] == '_' || (ls[k] >= '0' && ls[k] <= '9')))
                k++;
            if (k > v && k < end && ls[k] == ':')
                v = k + 1;
            while (v < end && (ls[v] == ' ' || ls[v] == '\t'))
                v++;
            bool quoted = v < end && (ls[v] == '"' || ls[v] == '\'');
            for (size_t i = v; !quoted && i + 1 < end; i++)
                if ((ls[i] == ' ' || ls[i] == '\t') && ls[i + 1] == '#') {
                    end = i;
                    break;
                }
        }
        for (; h < hits.n && hits.v[h].off < s + n; h++)
            if (hits.v[h].off >= s && hits.v[h].off + hits.v[h].len <= s + end)
                placeholder_at(sink, sev, name, line, ls, hits.v[h].off - s, hits.v[h].len);
        /* the whole value: without "key:", "- ", a list marker "+ " or "* ", quotes and blanks */
        size_t a = v, b = end;
        while (a < b && (ls[a] == ' ' || ls[a] == '\t'))
            a++;
        if (a + 1 < b && (ls[a] == '-' || ls[a] == '+' || ls[a] == '*') && ls[a + 1] == ' ')
            a += 2;
        while (a < b && (ls[a] == ' ' || ls[a] == '\t'))
            a++;
        while (b > a && (ls[b - 1] == ' ' || ls[b - 1] == '\t'))
            b--;
        if (b - a >= 2 && (ls[a] == '"' || ls[a] == '\'') && ls[b - 1] == ls[a]) {
            a++;
            b--;
        }
        for (int p = 0; p < f->nvalues && b > a; p++)
            if (strlen(f->values[p]) == b - a && !memcmp(ls + a, f->values[p], b - a)) {
                placeholder_at(sink, sev, name, line, ls, a, b - a);
                break;
            }
        s = nl ? e + 1 : len;
    }
    vb_arena_free(scratch);
}

/* The findings on their way to the caller's sink, their ids noted (once each) for /VanbanUnfit. */
typedef struct fitnote {
    vb_sink_t *to;
    vb_buf_t ids;
} fitnote_t;

static void
fit_note(const vb_diag_t *d, void *ctx)
{
    fitnote_t *n = ctx;
    if (!n->ids.p || !strstr(n->ids.p, d->id)) {
        if (n->ids.n)
            vb_buf_putc(&n->ids, ' ');
        vb_buf_puts(&n->ids, d->id);
    }
    vb_sink_take(n->to, d);
}

static void fit_rules(const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len, bool strict,
                      vb_sink_t *sink);

void
vb_fit_report(const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len, bool strict,
              vb_sink_t *sink, vb_arena_t *arena, const char **unfit)
{
    fitnote_t n = {sink, {0}};
    vb_sink_t s;
    vb_sink_init(&s, NULL, fit_note, &n);
    fit_rules(m, p, text, len, strict, &s);
    *unfit = n.ids.n && !n.ids.oom ? vb_arena_strdup(arena, n.ids.p) : NULL;
    vb_buf_free(&n.ids);
}

static void
fit_rules(const vb_model_t *m, const vb_profile_t *p, const char *text, size_t len, bool strict, vb_sink_t *sink)
{
    const vb_meta_t *meta = &m->meta;
    const char *name = m->source;
    /* a front matter that could not be read (YAML that does not parse) was reported: nothing to add to it */
    if (!meta->issuer.text && !meta->number.text && !meta->date.year && !meta->nsigners && !meta->kind.text &&
        !meta->title.text && !meta->nrecipients)
        return;
    vb_severity_t sev = strict ? VB_SEVERITY_ERROR : VB_SEVERITY_WARNING;
    /* the signer: each one a name (the key signer, or the first line of the front matter when there is none) */
    if (meta->nsigners == 0) {
        vb_report(sink, sev, VB_E_INPUT, "issue.signer_name", name, (vb_range_t){1, 1, 0, 0}, NULL,
                  "The document has no signer: add \"signer:\" with the authority, the post and the name of "
                  "the person who signs (người ký).");
    }
    for (int i = 0; i < meta->nsigners; i++) {
        const vb_signer_t *s = &meta->signers[i];
        if (!blank(s->name.text))
            continue;
        vb_pos_t at = s->post.text ? s->post.pos : s->authority.pos;
        vb_report(sink, sev, VB_E_INPUT, "issue.signer_name", name, (vb_range_t){at.line, at.col, 0, 0}, NULL,
                  "The signer has no name: add \"name:\" under \"signer:\" with the full name of the person who "
                  "signs (người ký).");
    }
    /* nơi nhận */
    bool any = false;
    for (int i = 0; i < meta->nrecipients && !any; i++)
        any = !blank(meta->recipients[i].text);
    if (!any) {
        vb_pos_t at = meta->recipients_pos.line ? meta->recipients_pos : (vb_pos_t){1, 1};
        vb_report(sink, sev, VB_E_INPUT, "issue.recipients", name, (vb_range_t){at.line, at.col, 0, 0}, NULL,
                  "The document has no recipients: add \"recipients:\" with the list of nơi nhận, one \"- \" line "
                  "each, ending with \"- Lưu: VT\" or the archive line of the format.");
    }
    /* trích yếu, unless the kind takes none */
    bool untitled = false;
    for (int i = 0; meta->kind.text && i < p->fit.nuntitled_kinds && !untitled; i++)
        untitled = strcmp(meta->kind.text, p->fit.untitled_kinds[i]) == 0;
    if (!untitled && blank(meta->title.text)) {
        vb_pos_t at = meta->title.text ? meta->title.pos : meta->kind.text ? meta->kind.pos : (vb_pos_t){1, 1};
        vb_report(sink, sev, VB_E_INPUT, "issue.title", name, (vb_range_t){at.line, at.col, 0, 0}, NULL,
                  "The document has no title (trích yếu): add \"title:\" with a short summary of its content.");
    }
    if (text && p->fit.present)
        scan_placeholders(&p->fit, text, len, name, sev, sink);
}

/* ------------------------------------------------------------- check */

vb_status_t
vb_check_buffer(vb_engine_t *engine, const char *src, size_t len, const char *src_name,
                const vb_render_options_t *opt, vb_diag_t *diag)
{
    vb_render_options_t o;
    vb_diag_t local;
    VB_CLEAR_DIAG(diag, local);
    vb_status_t st = vb_render_options_read(opt, &o, diag);
    if (st != VB_OK)
        return st;
    if (!o.fit)
        o.fit = VB_FIT_WARN; /* a check always looks at the fit to issue */
    vb_document_t *doc = NULL;
    st = vb_document_new(engine, src, len, src_name, &o, &doc, diag);
    vb_document_free(doc);
    return st;
}

/* ------------------------------------------------------------- fixes */

/* The byte offset of line:col (both from 1; columns count characters, a broken byte one) in src; -1: none. */
static long
offset_of(const char *src, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(src + i, '\n', len - i);
        if (!nl)
            return -1;
        i = (size_t)(nl - src) + 1;
    }
    for (int c = 1; c < col; c++) {
        if (i >= len || src[i] == '\n')
            return -1; /* past the end of the line */
        uint32_t cp;
        int k = vb_utf8_decode(src + i, len - i, &cp);
        i += k > 0 ? (size_t)k : 1;
    }
    return (long)i;
}

typedef struct fixspan {
    long a, b;
    const vb_diag_t *d;
} fixspan_t;

static int
by_start(const void *x, const void *y)
{
    const fixspan_t *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->d < q->d ? -1 : p->d > q->d; /* the same start: the one found first */
}

vb_status_t
vb_fixes_apply(const char *src, size_t len, const vb_diag_t *diags, int n, unsigned flags, char **out,
               size_t *out_len, int *applied, vb_diag_t *diag)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(diag, local);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (applied)
        *applied = 0;
    if ((!src && len) || (!diags && n) || n < 0 || !out)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_fixes_apply", 0, 0,
                           "A source, its diagnostics and out are needed.");
    fixspan_t *v = malloc(sizeof *v * (size_t)(n ? n : 1));
    if (!v)
        return vb_diag_nomem(diag);
    int k = 0;
    for (int i = 0; i < n; i++) {
        const vb_diag_t *d = &diags[i];
        if (!d->has_fix || (!(flags & VB_FIX_ALL) && !d->fix_safe) || d->line < 1 || d->col < 1)
            continue;
        long a = offset_of(src, len, d->line, d->col);
        long b = d->end_line ? offset_of(src, len, d->end_line, d->end_col) : a;
        if (a < 0 || b < a)
            continue;
        v[k++] = (fixspan_t){a, b, d};
    }
    qsort(v, (size_t)k, sizeof *v, by_start);
    /* overlapping fixes: the first (in the order of the source) is kept, the others dropped */
    int m = 0;
    for (int i = 0; i < k; i++) {
        if (m && (v[i].a < v[m - 1].b || (v[i].a == v[m - 1].a)))
            continue;
        v[m++] = v[i];
    }
    /* applied from the end backward, so that each range is still where the diagnostic said */
    vb_buf_t b = {0};
    vb_buf_add(&b, src ? src : "", len);
    for (int i = m - 1; i >= 0 && !b.oom; i--) {
        size_t flen = strlen(v[i].d->fix);
        size_t a = (size_t)v[i].a, e = (size_t)v[i].b;
        if (!vb_buf_reserve(&b, flen))
            break;
        memmove(b.p + a + flen, b.p + e, b.n - e + 1);
        memcpy(b.p + a, v[i].d->fix, flen);
        b.n = b.n - (e - a) + flen;
    }
    free(v);
    if (b.oom) {
        vb_buf_free(&b);
        return vb_diag_nomem(diag);
    }
    *out = vb_buf_take(&b, out_len);
    if (!*out)
        return vb_diag_nomem(diag);
    if (applied)
        *applied = m;
    return VB_OK;
}

/* -------------------------------------------------------------- JSON */

vb_status_t
vb_diags_json(const vb_diag_t *diags, int n, const char *const *files, int nfiles, char **out, vb_diag_t *diag)
{
    vb_diag_t local;
    VB_CLEAR_DIAG(diag, local);
    if (!out || (!diags && n) || (!files && nfiles) || n < 0 || nfiles < 0)
        return vb_diag_set(diag, VB_E_USAGE, "api.usage", "vb_diags_json", 0, 0,
                           "The diagnostics, the files and out are needed.");
    int errors = 0, warnings = 0;
    for (int i = 0; i < n; i++)
        diags[i].severity == VB_SEVERITY_WARNING ? warnings++ : errors++;
    *out = vb_json_diags(diags, n, files, nfiles, errors, warnings);
    return *out ? VB_OK : vb_diag_nomem(diag);
}
