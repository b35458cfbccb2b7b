/*
 * frontmatter.c - a whole source to the model: the front matter fields, then the body.
 *
 * Owns: finding the front matter between the first line "---" and the next
 * "---" line, reading its YAML tree (yamltree.c) into vb_meta_t with the
 * checks of docs/source-format.md, and handing the rest to the Markdown
 * reader with its first line number, so body positions are source positions.
 *
 * Text fields are cleaned here once so that layout never has to: each line
 * trimmed, runs of spaces and tabs made one space, blank lines at both ends
 * dropped, the rest NFC (a YAML escape such as "\u0301" could undo the NFC of
 * vb_text_prepare). Line breaks inside a field are the author's (a literal
 * block "|-"); YAML itself joins plain and folded lines with spaces.
 *
 * Lists: recipients, to and bases are lists of texts; recipients may also be
 * one literal block with one entry per line, and to may be one text (one
 * entry: "Kính gửi: Bộ Nội vụ" has one recipient and its line breaks are the
 * author's). An author's leading "- " is dropped: the profile prints the
 * marker. signer is one mapping or a list of one or two (joint documents,
 * the lead signer first); meta.signer is always signers[0].
 *
 * Marks with a closed set of values (urgency, secrecy) are checked here,
 * since a misspelt "KHẲN" would be printed on the document as typed.
 *
 * Issuance (issue 8): `date` may be "YYYY-MM" or "YYYY" (day, or day and
 * month, 0: blank until the document is issued); a `number` that starts with
 * its first separator, after optional blank marks ("/KH-UBND", "…-BC/ĐU"),
 * has a blank sequence number: the marks are dropped and number_blank set.
 * issuer_name and to_note are text fields; nonconforming is a boolean.
 *
 * Diagnostics (VB_E_INPUT): frontmatter.absent and frontmatter.unclosed at
 * 1:1; frontmatter.unknown-key at the key; frontmatter.type,
 * frontmatter.value and frontmatter.date at the value; frontmatter.missing
 * at 1:1, the front matter's first line (it always starts the source).
 * Every field at fault is reported (through the sink, base.h), one
 * diagnostic each, and the body is read all the same (a field at fault is
 * left empty); a required field at fault is not also reported missing.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "limit.h"

/* The opening and closing line: "---", then nothing but spaces or tabs. */
static bool
dashes_line(const char *s, size_t n)
{
    if (n < 3 || memcmp(s, "---", 3) != 0)
        return false;
    for (size_t i = 3; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    }
    return true;
}

static vb_status_t
type_error(const vb_ynode_t *n, const char *source, const char *key, const char *want, vb_diag_t *d)
{
    return vb_diag_set(d, VB_E_INPUT, "frontmatter.type", source, n->pos.line, n->pos.col,
                       "The value of \"%s\" must be %s.", key, vb_tr(want));
}

/* YAML's null: an empty value, or a plain ~ / null. */
static bool
is_null(const vb_ynode_t *n)
{
    if (n->kind != VB_Y_SCALAR)
        return false;
    if (n->len == 0)
        return true;
    return n->plain && (strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
                        strcmp(n->str, "NULL") == 0);
}

/*
 * Cleans s[0..n) into a field text (see the top of the file); *out is NULL
 * when nothing visible remains. A control character other than tab and '\n'
 * (only reachable through a YAML escape) is refused at pos.
 */
static vb_status_t
clean_text(vb_arena_t *arena, const char *s, size_t n, vb_pos_t pos, const char *source, const char **out,
           vb_diag_t *d)
{
    *out = NULL;
    char *t = vb_arena_alloc(arena, n + 1);
    if (!t)
        return vb_diag_nomem(d);
    size_t k = 0;
    int pending_nl = 0;
    bool space = false, line_has = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            if (k > 0)
                pending_nl++;
            space = false;
            line_has = false;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            space = line_has;
        } else if (c < 0x20 || c == 0x7F) {
            return vb_char_check(d, source, pos.line, pos.col, "The value contains", c);
        } else {
            if (c >= 0xC0) {
                /* a YAML escape ("\u202E", "\uFFFE", "\x85") may give what typed text may not hold */
                uint32_t cp;
                int len = vb_utf8_decode(s + i, n - i, &cp);
                if (len <= 0)
                    return vb_diag_set(d, VB_E_INPUT, "utf8.invalid", source, pos.line, pos.col,
                                       "The value is not valid UTF-8.");
                vb_status_t st = vb_char_check(d, source, pos.line, pos.col, "The value contains", cp);
                if (st != VB_OK)
                    return st;
            }
            for (; pending_nl > 0; pending_nl--)
                t[k++] = '\n';
            if (space)
                t[k++] = ' ';
            space = false;
            line_has = true;
            t[k++] = (char)c;
        }
    }
    if (k == 0)
        return VB_OK;
    char *nfc;
    vb_diag_t nd;
    memset(&nd, 0, sizeof nd);
    vb_status_t st = vb_text_nfc(arena, t, k, &nfc, NULL, &nd);
    if (st == VB_E_NOMEM)
        return vb_diag_nomem(d);
    if (st != VB_OK)
        return vb_diag_set(d, st, nd.id, source, pos.line, pos.col, "%s", nd.msg);
    *out = nfc;
    return VB_OK;
}

static vb_status_t
read_text(vb_arena_t *arena, const vb_ynode_t *n, const char *key, const char *source, vb_field_t *f, vb_diag_t *d)
{
    f->text = NULL;
    f->pos.line = f->pos.col = 0;
    if (is_null(n))
        return VB_OK;
    if (n->kind != VB_Y_SCALAR)
        return type_error(n, source, key, "text", d);
    vb_status_t st = clean_text(arena, n->str, n->len, n->pos, source, &f->text, d);
    if (st == VB_OK && f->text)
        f->pos = n->pos;
    return st;
}

/*
 * A date left partly blank until issuance: "YYYY-MM" (the day blank) or
 * "YYYY" (day and month blank). Plain digits only; false for anything else.
 */
static bool
partial_date(const char *s, size_t len, int *year, int *month)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len != 4 && len != 7)
        return false;
    for (size_t i = 0; i < len; i++)
        if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = len == 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 0;
    if (y < 1 || (len == 7 && (m < 1 || m > 12)))
        return false;
    *year = y;
    *month = m;
    return true;
}

/*
 * A whole date typed another way (date.form, docs/rules.md): "8/4/2026",
 * "08.04.2026", "8-4-2026" (day, month, year: the Vietnamese order, §2.4,
 * §3.1 ô 4), "2026-4-8" or "2026/04/08" (the year first), or as printed,
 * "ngày 8 tháng 4 năm 2026" (words_date). Its ISO form into iso, or false
 * when it is none of these or not a real day.
 */
/*
 * The date as the document prints it, "ngày 15 tháng 3 năm 2024" (a place
 * before it, "Hà Nội, ngày …", is passed over): the three numbers in order,
 * with "ngày" (or "Ngày") before the first, "tháng" between the first two and
 * "năm" between the last two. Its ISO form into iso, or false.
 */
static bool
words_date(const char *s, size_t len, char *iso, size_t size)
{
    char t[128];
    if (len >= sizeof t)
        return false;
    memcpy(t, s, len);
    t[len] = 0;
    const char *day = strstr(t, "gày "); /* ngày, Ngày */
    if (!day || day == t || (day[-1] != 'n' && day[-1] != 'N'))
        return false;
    int v[3];
    const char *p = day + 4;
    static const char *const after[3] = {"tháng", "năm", NULL};
    for (int k = 0; k < 3; k++) {
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        char *e;
        long x = strtol(p, &e, 10);
        if (x > 9999 || e - p > 4)
            return false;
        v[k] = (int)x;
        p = e;
        while (*p == ' ')
            p++;
        if (after[k]) {
            size_t n = strlen(after[k]);
            if (strncmp(p, after[k], n) != 0)
                return false;
            p += n;
        }
    }
    while (*p == ' ' || *p == '.')
        p++;
    if (*p)
        return false;
    snprintf(iso, size, "%04d-%02d-%02d", v[2], v[1], v[0]);
    int ry, rm, rd;
    return vb_parse_iso_date(iso, strlen(iso), &ry, &rm, &rd);
}

static bool
other_date(const char *s, size_t len, char *iso, size_t size)
{
    if (words_date(s, len, iso, size))
        return true;
    int v[3] = {0, 0, 0}, nd[3] = {0, 0, 0}, k = 0;
    char sep = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (nd[k] == 4)
                return false;
            v[k] = v[k] * 10 + (ch - '0');
            nd[k]++;
        } else if ((ch == '/' || ch == '.' || ch == '-') && k < 2 && nd[k] && (!sep || ch == sep)) {
            sep = ch;
            k++;
        } else {
            return false;
        }
    }
    if (k != 2 || !nd[2])
        return false;
    int y, m, dd;
    if (nd[0] == 4 && nd[1] <= 2 && nd[2] <= 2) /* 2026-4-8, 2026/04/08, 2026.4.8: year first */
        y = v[0], m = v[1], dd = v[2];
    else if (nd[2] == 4 && nd[0] <= 2 && nd[1] <= 2)
        y = v[2], m = v[1], dd = v[0];
    else
        return false;
    snprintf(iso, size, "%04d-%02d-%02d", y, m, dd);
    int ry, rm, rd;
    return vb_parse_iso_date(iso, strlen(iso), &ry, &rm, &rd);
}

static vb_status_t
read_date(const vb_ynode_t *n, const char *source, vb_date_t *out, vb_diag_t *d)
{
    memset(out, 0, sizeof *out);
    if (is_null(n))
        return VB_OK;
    if (n->kind != VB_Y_SCALAR)
        return type_error(n, source, "date", "a date YYYY-MM-DD", d);
    int y = 0, m = 0, dd = 0;
    bool ok = vb_parse_iso_date(n->str, n->len, &y, &m, &dd) || partial_date(n->str, n->len, &y, &m);
    char iso[32];
    if (!ok && other_date(n->str, n->len, iso, sizeof iso)) {
        vb_status_t st = vb_diag_set(d, VB_E_INPUT, "frontmatter.date", source, n->pos.line, n->pos.col,
                                     "\"%s\" is written day/month/year or without its zeros; the front matter "
                                     "takes the date as YYYY-MM-DD: %s (the profile prints it as the format wants).",
                                     n->str, iso);
        if (d) { /* the fix is safe: the same day, written as the front matter takes it */
            vb_range_t r = vb_range_of(n->pos.line, n->pos.col, n->str);
            d->end_line = r.end_line;
            d->end_col = r.end_col;
            d->has_fix = 1;
            d->fix_safe = 1;
            snprintf(d->fix, sizeof d->fix, "%s", iso);
            snprintf(d->fix_note, sizeof d->fix_note, "%s", vb_tr(VB_N_("the date written YYYY-MM-DD")));
        }
        return st;
    }
    if (!ok && n->len == 10)
        return vb_diag_set(d, VB_E_INPUT, "frontmatter.date", source, n->pos.line, n->pos.col,
                           "\"%s\" is not a real date written YYYY-MM-DD (e.g. 2023-07-06).", n->str);
    if (!ok)
        return vb_diag_set(d, VB_E_INPUT, "frontmatter.date", source, n->pos.line, n->pos.col,
                           "\"%s\" is not a real date written YYYY-MM-DD (e.g. 2023-07-06); a date whose day is "
                           "left blank until issuance is written YYYY-MM (2026-04), one whose day and month are "
                           "blank YYYY (2026).",
                           n->str);
    out->year = y;
    out->month = m;
    out->day = dd;
    out->pos = n->pos;
    return VB_OK;
}

/*
 * A number whose sequence number is left blank for the văn thư: the number
 * starts with its first separator ("/KH-UBND", "-BC/ĐU"), after nothing or
 * after blank marks a clerk types for the gap: spaces, "_", "." or "…"
 * ("…/KH-UBND", "___-BC/ĐU"). The marks are dropped (the profile prints the
 * gap) and number_blank is set; validate.c checks the rest of the form.
 */
static void
blank_number(vb_meta_t *meta)
{
    const char *t = meta->number.text;
    if (!t)
        return;
    size_t i = 0;
    for (;;) {
        if (t[i] == ' ' || t[i] == '_' || t[i] == '.')
            i++;
        else if (!strncmp(t + i, "\xE2\x80\xA6", 3) /* … */)
            i += 3;
        else
            break;
    }
    if ((t[i] == '/' || t[i] == '-') && t[i + 1]) {
        meta->number.text = t + i;
        meta->number_blank = true;
    }
}

static vb_status_t
read_signer(vb_arena_t *arena, const vb_ynode_t *n, const char *source, vb_signer_t *sg, vb_diag_t *d)
{
    if (is_null(n))
        return VB_OK;
    if (n->kind != VB_Y_MAP)
        return type_error(n, source, "signer", "a mapping with authority, post and name", d);
    for (int i = 0; i < n->n; i++) {
        const char *k = n->keys[i];
        vb_field_t *f = strcmp(k, "authority") == 0 ? &sg->authority
                        : strcmp(k, "post") == 0    ? &sg->post
                        : strcmp(k, "name") == 0    ? &sg->name
                                                    : NULL;
        if (!f)
            return vb_diag_set(d, VB_E_INPUT, "frontmatter.unknown-key", source, n->key_pos[i].line,
                               n->key_pos[i].col, "Unknown key \"signer.%s\" (known: authority, post, name).", k);
        vb_status_t st = read_text(arena, n->items[i], k, source, f, d);
        if (st != VB_OK)
            return st;
    }
    return VB_OK;
}

/*
 * One signer mapping, or a list of one or two (a joint document: the lead
 * signer, printed on the right, first). meta.signer mirrors signers[0] so
 * that single-signer code needs no change.
 */
static vb_status_t
read_signers(vb_arena_t *arena, const vb_ynode_t *n, const char *source, vb_meta_t *meta, vb_diag_t *d)
{
    if (is_null(n))
        return VB_OK;
    const vb_ynode_t *const *items = &n;
    int count = 1;
    if (n->kind == VB_Y_SEQ) {
        items = (const vb_ynode_t *const *)n->items;
        count = n->n;
        if (count > 2)
            return vb_diag_set(d, VB_E_INPUT, "frontmatter.value", source, n->items[2]->pos.line,
                               n->items[2]->pos.col,
                               "A document has at most two signers (a joint document); this is a third.");
        for (int i = 0; i < count; i++) {
            if (items[i]->kind != VB_Y_MAP)
                return type_error(items[i], source, "signer", "a mapping with authority, post and name", d);
        }
        if (count == 0)
            return VB_OK;
    }
    meta->signers = VB_NEWN(arena, vb_signer_t, count);
    if (!meta->signers)
        return vb_diag_nomem(d);
    for (int i = 0; i < count; i++) {
        vb_status_t st = read_signer(arena, items[i], source, &meta->signers[i], d);
        if (st != VB_OK)
            return st;
    }
    meta->nsigners = count;
    meta->signer = meta->signers[0];
    return VB_OK;
}

/* One recipient: a cleaned line without the author's optional "- ". */
static vb_status_t
add_recipient(vb_arena_t *arena, const char *s, size_t n, vb_pos_t pos, const char *source, void *vec, vb_diag_t *d)
{
    VB_VEC(vb_field_t) *v = vec;
    const char *t;
    vb_status_t st = clean_text(arena, s, n, pos, source, &t, d);
    if (st != VB_OK || !t)
        return st;
    if (t[0] == '-' && (t[1] == ' ' || t[1] == 0))
        t += t[1] ? 2 : 1;
    if (!*t)
        return VB_OK;
    /* the entry as inline Markdown ("**Như Điều 3;**", "Lưu: VT, Hg~10~"); text becomes what is printed */
    vb_field_t f = {.text = t, .pos = pos};
    vb_status_t ist = vb_md_check_refs(t, strlen(t), source, pos.line, pos.col, true, d);
    if (ist == VB_OK)
        ist = vb_md_inline_text(arena, t, strlen(t), &f.in, d);
    if (ist != VB_OK)
        return ist;
    size_t n2 = 0;
    for (int i = 0; i < f.in.n; i++)
        n2 += f.in.spans[i].len;
    char *plain = vb_arena_alloc(arena, n2 + 1);
    if (!plain)
        return vb_diag_nomem(d);
    n2 = 0;
    for (int i = 0; i < f.in.n; i++) {
        memcpy(plain + n2, f.in.spans[i].text, f.in.spans[i].len);
        n2 += f.in.spans[i].len;
    }
    plain[n2] = 0;
    if (!n2)
        return VB_OK;
    f.text = plain;
    if (VB_PUSH(arena, *v, f))
        return vb_diag_nomem(d);
    return VB_OK;
}

/*
 * An item a clerk typed as a text with a colon, "- Lưu: VT, VP.", which YAML
 * reads as a mapping of one key: the text again, "Lưu: VT, VP." (the key, a
 * colon and a space, the value), when the value is a plain text on the key's
 * line or nothing ("- Nơi nhận:"). A real mapping (several keys, a value on
 * lines of its own) is no text and stays a type error: false.
 */
static bool
typed_pair(vb_arena_t *arena, const vb_ynode_t *it, const char **text, size_t *len)
{
    if (it->kind != VB_Y_MAP || it->n != 1)
        return false;
    const vb_ynode_t *val = it->items[0];
    if (is_null(val))
        *text = vb_arena_printf(arena, "%s:", it->keys[0]);
    else if (val->kind == VB_Y_SCALAR && val->plain && val->pos.line == it->key_pos[0].line &&
             !memchr(val->str, '\n', val->len))
        *text = vb_arena_printf(arena, "%s: %s", it->keys[0], val->str);
    else
        return false;
    *len = *text ? strlen(*text) : 0;
    return true; /* *text NULL: out of memory */
}

/* A list field: a sequence of texts, or a scalar read as `as` says. */
static vb_status_t
read_list(vb_arena_t *arena, const vb_ynode_t *n, const char *key, vb_meta_scalar_t as, const char *source,
          vb_field_t **out, int *nout, vb_pos_t *pos_out, vb_diag_t *d)
{
    VB_VEC(vb_field_t) v = {0};
    vb_status_t st = VB_OK;
    if (is_null(n))
        return VB_OK;
    if (n->kind == VB_Y_SEQ) {
        for (int i = 0; i < n->n && st == VB_OK; i++) {
            const vb_ynode_t *it = n->items[i];
            if (is_null(it))
                continue;
            const char *said = NULL;
            size_t nsaid = 0;
            if (it->kind != VB_Y_SCALAR) {
                if (!typed_pair(arena, it, &said, &nsaid))
                    return type_error(it, source, key, "a list of texts", d);
                if (!said)
                    return vb_diag_nomem(d);
                st = add_recipient(arena, said, nsaid, it->key_pos[0], source, &v, d);
                continue;
            }
            st = add_recipient(arena, it->str, it->len, it->pos, source, &v, d);
        }
    } else if (n->kind == VB_Y_SCALAR && as == VB_META_SCALAR_ONE) {
        st = add_recipient(arena, n->str, n->len, n->pos, source, &v, d);
    } else if (n->kind == VB_Y_SCALAR && as == VB_META_SCALAR_LINES) {
        /* one entry per line; every line is reported at the value */
        size_t s = 0;
        while (s <= n->len && st == VB_OK) {
            const char *nl = memchr(n->str + s, '\n', n->len - s);
            size_t e = nl ? (size_t)(nl - n->str) : n->len;
            st = add_recipient(arena, n->str + s, e - s, n->pos, source, &v, d);
            s = e + 1;
        }
    } else {
        return type_error(n, source, key, as == VB_META_SCALAR_ONE ? "a text or a list of texts" : "a list of texts",
                          d);
    }
    if (st != VB_OK)
        return st;
    *out = v.v;
    *nout = v.n;
    *pos_out = n->pos;
    return VB_OK;
}

/* A text field whose value must be one of a closed set (after cleaning). */
static vb_status_t
check_choice(const vb_field_t *f, const char *key, const char *const *allowed, const char *shown, const char *source,
             vb_diag_t *d)
{
    if (!f->text)
        return VB_OK;
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(f->text, *a) == 0)
            return VB_OK;
    }
    return vb_diag_set(d, VB_E_INPUT, "frontmatter.value", source, f->pos.line, f->pos.col,
                       "\"%s\" = \"%s\" is not a mark vanban knows; write one of %s, in capitals.", key, f->text,
                       shown);
}

/* true or false; YAML 1.1's yes/no/on/off are refused as too easy to misread. */
static vb_status_t
read_bool(const vb_ynode_t *n, const char *key, const char *source, bool *out, vb_diag_t *d)
{
    if (is_null(n))
        return VB_OK;
    if (n->kind == VB_Y_SCALAR && strcmp(n->str, "true") == 0)
        *out = true;
    else if (n->kind == VB_Y_SCALAR && strcmp(n->str, "false") == 0)
        *out = false;
    else
        return type_error(n, source, key, "true or false", d);
    return VB_OK;
}

/* line_breaks: markdown (the default: lines join into paragraphs) or paragraphs (every line is one). */
static vb_status_t
read_line_breaks(const vb_ynode_t *n, const char *source, vb_meta_t *meta, vb_diag_t *d)
{
    if (is_null(n))
        return VB_OK;
    if (n->kind == VB_Y_SCALAR && strcmp(n->str, "paragraphs") == 0)
        meta->line_paragraphs = true;
    else if (n->kind == VB_Y_SCALAR && strcmp(n->str, "markdown") == 0)
        meta->line_paragraphs = false;
    else
        return vb_diag_set(d, VB_E_INPUT, "frontmatter.value", source, n->pos.line, n->pos.col,
                           "\"line_breaks\" is \"paragraphs\" (every line of the text is a paragraph, as pasted "
                           "from a word processor) or \"markdown\" (lines join until a blank line; the default).");
    return VB_OK;
}

/* ---- the table of the front matter's keys, made from fields.def ---- */

const vb_meta_key_t vb_meta_keys[] = {
#define VB_META_TEXT(key, member, use) \
    {key, VB_META_KIND_TEXT, VB_META_##use, 0, NULL, offsetof(vb_meta_t, member), 0, 0},
#define VB_META_LIST(key, member, scalar, item)                                                                  \
    {key, VB_META_KIND_LIST, false, VB_META_SCALAR_##scalar, item, offsetof(vb_meta_t, member),                \
     offsetof(vb_meta_t, n##member), offsetof(vb_meta_t, member##_pos)},
#define VB_META_BOOL(key, member) \
    {key, VB_META_KIND_BOOL, false, 0, NULL, offsetof(vb_meta_t, member), 0, offsetof(vb_meta_t, member##_pos)},
#define VB_META_OTHER(key) {key, VB_META_KIND_OTHER, false, 0, NULL, 0, 0, 0},
#define VB_META_PRINTED true
#define VB_META_ID false
#include "fields.def"
#undef VB_META_PRINTED
#undef VB_META_ID
};
const int vb_meta_nkeys = (int)(sizeof vb_meta_keys / sizeof vb_meta_keys[0]);

/* "profile, parent, …, line_breaks, ": every key, for the message of an unknown one */
static const char KNOWN_KEYS[] =
#define VB_META_TEXT(key, member, use) key ", "
#define VB_META_LIST(key, member, scalar, item) key ", "
#define VB_META_BOOL(key, member) key ", "
#define VB_META_OTHER(key) key ", "
#include "fields.def"
    ;

const vb_meta_key_t *
vb_meta_key(const char *key, size_t n)
{
    for (int i = 0; i < vb_meta_nkeys; i++)
        if (strlen(vb_meta_keys[i].key) == n && !memcmp(vb_meta_keys[i].key, key, n))
            return &vb_meta_keys[i];
    return NULL;
}

const vb_field_t *
vb_meta_list(const vb_meta_t *m, const vb_meta_key_t *k, int *n, vb_pos_t *pos)
{
    const char *base = (const char *)m;
    *n = k->kind == VB_META_KIND_LIST ? *(const int *)(base + k->off_n) : 0;
    if (pos)
        *pos = k->kind == VB_META_KIND_LIST ? *(const vb_pos_t *)(base + k->off_pos) : (vb_pos_t){0, 0};
    return *n ? *(vb_field_t *const *)(base + k->off) : NULL;
}

const vb_field_t *
vb_meta_printed(const vb_meta_t *m, const char *name, size_t n)
{
    const vb_meta_key_t *k = vb_meta_key(name, n);
    return k && k->kind == VB_META_KIND_TEXT && k->printed ? VB_META_TEXT_OF(m, k) : NULL;
}

int
vb_meta_each_field(const vb_meta_t *m, int (*fn)(void *ctx, const vb_field_t *f), void *ctx)
{
    int rc = 0;
    for (int i = 0; i < vb_meta_nkeys && rc == 0; i++)
        if (vb_meta_keys[i].kind == VB_META_KIND_TEXT && vb_meta_keys[i].printed)
            rc = fn(ctx, VB_META_TEXT_OF(m, &vb_meta_keys[i]));
    for (int i = 0; i < m->nsigners && rc == 0; i++) {
        const vb_signer_t *sg = &m->signers[i];
        if ((rc = fn(ctx, &sg->authority)) == 0 && (rc = fn(ctx, &sg->post)) == 0)
            rc = fn(ctx, &sg->name);
    }
    for (int i = 0; i < vb_meta_nkeys && rc == 0; i++) {
        int n = 0;
        const vb_field_t *v = vb_meta_list(m, &vb_meta_keys[i], &n, NULL);
        for (int e = 0; e < n && rc == 0; e++)
            rc = fn(ctx, &v[e]);
    }
    return rc;
}

/* Reads the front matter, reporting every field at fault through sink (see vb_read_source_sink). */
static vb_status_t
read_frontmatter(vb_arena_t *arena, const vb_ynode_t *root, const char *source, vb_meta_t *meta, vb_sink_t *sink)
{
    vb_diag_t fd, *d = &fd; /* each field's problem, handed to the sink */
    memset(&fd, 0, sizeof fd);
    vb_status_t first = VB_OK;
    static const char *const required[] = {"issuer", "number", "place", "date"};
    bool failed[4] = {false}; /* a required field at fault is not also "missing" */
    memset(meta, 0, sizeof *meta);
    if (!root || is_null(root))
        root = NULL;
    else if (root->kind != VB_Y_MAP) {
        vb_diag_set(d, VB_E_INPUT, "frontmatter.type", source, root->pos.line, root->pos.col,
                    "The front matter must be a list of \"key: value\" lines.");
        return vb_sink_take(sink, d);
    }
    /* HỎA and HOẢ: the old and the new tone placement, both in use */
    static const char *const urgencies[] = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC", NULL};
    static const char *const secrecies[] = {"MẬT", "TỐI MẬT", "TUYỆT MẬT", NULL};
    vb_status_t st = VB_OK;
    for (int i = 0; root && i < root->n; i++) {
        const char *k = root->keys[i];
        const vb_ynode_t *v = root->items[i];
        const vb_meta_key_t *mk = vb_meta_key(k, strlen(k));
        char *at = mk ? (char *)meta + mk->off : NULL;
        if (mk && mk->kind == VB_META_KIND_TEXT) {
            vb_field_t *f = (vb_field_t *)at;
            st = read_text(arena, v, k, source, f, d);
            if (st == VB_OK && f == &meta->urgency)
                st = check_choice(f, k, urgencies, "KHẨN, THƯỢNG KHẨN, HỎA TỐC", source, d);
            else if (st == VB_OK && f == &meta->secrecy)
                st = check_choice(f, k, secrecies, "MẬT, TỐI MẬT, TUYỆT MẬT", source, d);
        } else if (mk && mk->kind == VB_META_KIND_LIST) {
            st = read_list(arena, v, k, mk->scalar, source, (vb_field_t **)at, (int *)((char *)meta + mk->off_n),
                           (vb_pos_t *)((char *)meta + mk->off_pos), d);
        } else if (mk && mk->kind == VB_META_KIND_BOOL) {
            st = read_bool(v, k, source, (bool *)at, d);
            *(vb_pos_t *)((char *)meta + mk->off_pos) = v->pos;
        } else if (mk && strcmp(k, "date") == 0)
            st = read_date(v, source, &meta->date, d);
        else if (mk && strcmp(k, "signer") == 0)
            st = read_signers(arena, v, source, meta, d);
        else if (mk && strcmp(k, "line_breaks") == 0)
            st = read_line_breaks(v, source, meta, d);
        else
            st = vb_diag_set(d, VB_E_INPUT, "frontmatter.unknown-key", source, root->key_pos[i].line,
                             root->key_pos[i].col, "Unknown front matter key \"%s\" (known: %.*s).", k,
                             (int)sizeof KNOWN_KEYS - 3, KNOWN_KEYS);
        if (st == VB_OK)
            continue;
        /* a field at fault is reported and the next one read: every wrong field in one run */
        vb_sink_take(sink, d);
        if (st != VB_E_INPUT)
            return st;
        if (first == VB_OK)
            first = st;
        for (int r = 0; r < 4; r++)
            failed[r] = failed[r] || strcmp(k, required[r]) == 0;
        memset(&fd, 0, sizeof fd);
        st = VB_OK;
    }
    blank_number(meta);
    const bool have[] = {meta->issuer.text != NULL, meta->number.text != NULL, meta->place.text != NULL,
                         meta->date.year != 0};
    for (int i = 0; i < 4; i++) {
        if (!have[i] && !failed[i])
            first = vb_report(sink, VB_SEVERITY_ERROR, VB_E_INPUT, "frontmatter.missing", source,
                              (vb_range_t){1, 1, 0, 0}, NULL, "The front matter has no \"%s\"; it is required.",
                              required[i]);
    }
    return first;
}

vb_status_t
vb_read_frontmatter_sink(vb_arena_t *arena, const vb_ynode_t *root, const char *source, vb_meta_t *meta,
                         vb_sink_t *sink)
{
    return read_frontmatter(arena, root, source, meta, sink);
}

vb_status_t
vb_read_frontmatter(vb_arena_t *arena, const vb_ynode_t *root, const char *source, vb_meta_t *meta, vb_diag_t *d)
{
    vb_sink_t sink;
    vb_sink_init(&sink, d, NULL, NULL);
    return read_frontmatter(arena, root, source, meta, &sink);
}

vb_status_t
vb_read_source(vb_arena_t *arena, const char *text, size_t len, const char *source, vb_model_t *model,
               vb_diag_t *d)
{
    return vb_read_source_lim(arena, text, len, source, NULL, model, d);
}

vb_status_t
vb_read_source_lim(vb_arena_t *arena, const char *text, size_t len, const char *source, const vb_limits_t *lim,
                   vb_model_t *model, vb_diag_t *d)
{
    return vb_read_source_ex(arena, text, len, source, lim, NULL, model, d);
}

vb_status_t
vb_read_source_ex(vb_arena_t *arena, const char *text, size_t len, const char *source, const vb_limits_t *lim,
                  const vb_loader_t *loader, vb_model_t *model, vb_diag_t *d)
{
    vb_sink_t sink;
    vb_sink_init(&sink, d, NULL, NULL);
    vb_status_t st = vb_read_source_sink(arena, text, len, source, lim, loader, model, &sink);
    /* the status of the error d holds (the first): a later fatal one (a limit in the body after a
       front-matter error) must not be returned with the first one's diagnostic */
    vb_status_t first = vb_sink_status(&sink);
    return first != VB_OK ? first : st;
}

static vb_status_t read_source(vb_arena_t *arena, const char *text, size_t len, const char *source,
                               const vb_limits_t *lim, const vb_loader_t *loader, vb_model_t *model, vb_sink_t *sink,
                               vb_ynode_t **tree, vb_diag_t *d);

vb_status_t
vb_read_template_source(vb_arena_t *arena, const char *text, size_t len, const char *source, const vb_limits_t *lim,
                        const vb_loader_t *loader, vb_ynode_t **tree, vb_model_t *model, vb_sink_t *sink)
{
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_status_t st = read_source(arena, text, len, source, lim, loader, model, sink, tree, &d);
    vb_sink_take(sink, &d);
    return st;
}

vb_status_t
vb_read_source_sink(vb_arena_t *arena, const char *text, size_t len, const char *source, const vb_limits_t *lim,
                    const vb_loader_t *loader, vb_model_t *model, vb_sink_t *sink)
{
    vb_diag_t d; /* a fatal error (the YAML, the body), handed to the sink */
    memset(&d, 0, sizeof d);
    vb_status_t st = read_source(arena, text, len, source, lim, loader, model, sink, NULL, &d);
    vb_sink_take(sink, &d);
    return st;
}

/* tree not NULL: a template's front matter, parsed into *tree and not read (see vb_read_template_source) */
static vb_status_t
read_source(vb_arena_t *arena, const char *text, size_t len, const char *source, const vb_limits_t *lim,
            const vb_loader_t *loader, vb_model_t *model, vb_sink_t *sink, vb_ynode_t **tree, vb_diag_t *d)
{
    vb_limits_t deflim;
    if (!lim) {
        vb_limits_resolve(NULL, &deflim);
        lim = &deflim;
    }
    memset(model, 0, sizeof *model);
    model->source = source;
    const char *nl = memchr(text, '\n', len);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (!dashes_line(text, e))
        return vb_diag_set(d, VB_E_INPUT, "frontmatter.absent", source, 1, 1,
                           "The source must start with a front matter: a line \"---\", the fields, a line \"---\".");
    size_t ystart = nl ? e + 1 : len;
    size_t s = ystart;
    int line = 2;
    bool closed = false;
    while (s < len) {
        nl = memchr(text + s, '\n', len - s);
        e = nl ? (size_t)(nl - text) : len;
        if (dashes_line(text + s, e - s)) {
            closed = true;
            break;
        }
        /* at the line that crosses the limit: YAML is read whole, so a body pasted above "---" costs */
        if ((int64_t)(e - ystart) > lim->frontmatter_bytes)
            return vb_limit_fail(d, "frontmatter.too-large", source, line, 1, "frontmatter-bytes",
                                 "The front matter is longer than %lld bytes", (long long)lim->frontmatter_bytes);
        s = e + 1;
        line++;
    }
    if (!closed)
        return vb_diag_set(d, VB_E_INPUT, "frontmatter.unclosed", source, 1, 1,
                           "The front matter opened by \"---\" on line 1 has no closing \"---\" line.");
    vb_ynode_t *root;
    vb_status_t st = vb_yaml_parse(arena, text + ystart, s - ystart, source, 1, &root, d);
    if (st == VB_OK && tree) {
        /* the body of a template is read as its documents' will be: their line_breaks, when it is typed */
        const vb_ynode_t *lb = vb_ymap_get(root, "line_breaks");
        model->meta.line_paragraphs = lb && lb->kind == VB_Y_SCALAR && strcmp(lb->str, "paragraphs") == 0;
        model->template_body = true;
        *tree = root;
    } else if (st == VB_OK)
        st = read_frontmatter(arena, root, source, &model->meta, sink);
    if (st == VB_E_INPUT && d->code != VB_OK && sink) {
        /* YAML that does not parse: reported now, so that the body's own errors are reported too */
        vb_sink_take(sink, d);
        memset(d, 0, sizeof *d);
    }
    if (st == VB_E_INPUT)
        st = VB_OK; /* fields at fault, each reported: the body is read all the same, for its own errors */
    if (st != VB_OK)
        return st;
    size_t body = e < len ? e + 1 : len;
    return vb_read_markdown_sink(arena, text + body, len - body, source, line + 1, lim, loader, model,
                                 tree ? NULL : sink, d);
}
