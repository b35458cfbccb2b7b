/*
 * rules_closing.c - the recipients, the addressees and the signer's post (rules.h).
 *
 *   list.punctuation  an entry of `recipients`, `to` or `bases` typed with a
 *                 closing mark ("," ";" "." ":") other than the one the
 *                 profile prints there (its list item's separator, or
 *                 last_separator for the last entry): 36-HD ends each line
 *                 with "," and the last with ".", 05-HD and ND30 with ";"
 *                 and ".". The profile prints the right mark when the entry
 *                 has none, so the fix is the entry without its mark.
 *   to.missing    a kind the profile lists in validation.addressed (a công
 *                 văn, named "CÔNG VĂN" there: no kind but a trích yếu; a 05-HD
 *                 tờ trình) without `to:`: nothing would follow "Kính gửi:" /
 *                 "Kính trình:".
 *   to.label      an entry of `to:` that starts with those words: the profile
 *                 prints them, so they would be printed twice.
 *   signer.post   the chức vụ repeats the body's name ("PHÓ BÍ THƯ TỈNH ỦY",
 *                 "GIÁM ĐỐC SỞ Y TẾ"): written without it, except in joint
 *                 documents (two signers). The body's name is found as the
 *                 issuer's first two words, or whatever follows a post that
 *                 holds a body's noun (validation.post_titles: "TRƯỞNG BAN").
 * All are warnings.
 *
 * Pure code over the model and the profile: no allocation.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#define MAXF 256

/* ------------------------------------------------------------ list.punctuation */

/* The item's `when` on kinds holds for the document's kind (its `if`/`unless` are not looked at). */
static bool
kinds_hold(const vb_pcond_t *w, const char *kind)
{
    if (w->nkinds) {
        bool in = false;
        for (int i = 0; i < w->nkinds && kind; i++)
            in = in || strcmp(w->kinds[i], kind) == 0;
        if (!in)
            return false;
    }
    for (int i = 0; i < w->nnot_kinds && kind; i++) {
        if (strcmp(w->not_kinds[i], kind) == 0)
            return false;
    }
    return true;
}

/* The profile's list item that prints list for this document's kind, or NULL. */
static const vb_pitem_t *
list_item(const vb_profile_t *p, const char *list, const char *kind)
{
    const vb_band_t *bands[] = {&p->header,       &p->title,       &p->closing,    &p->closing_joint,
                                &p->overlay,      &p->first_footer, &p->last_footer};
    for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++) {
        const vb_band_t *band = bands[b];
        if (!band->present)
            continue;
        for (int c = 0; c < band->ncols; c++) {
            for (int i = 0; i < band->cols[c].n; i++) {
                const vb_pitem_t *it = &band->cols[c].items[i];
                if (it->kind == VB_PITEM_LIST && it->list && strcmp(it->list, list) == 0 &&
                    kinds_hold(&it->when, kind))
                    return it;
            }
        }
    }
    return NULL;
}

static void
list_punct(vctx_t *c, const vb_profile_t *p, const char *list, const char *shown, const vb_field_t *e, int n)
{
    bool marked = false; /* most lines are typed without a mark: then the profile's item need not be found */
    for (int i = 0; i < n && !marked; i++) {
        size_t len = e[i].text ? strlen(e[i].text) : 0;
        while (len && e[i].text[len - 1] == ' ')
            len--;
        marked = len && strchr(",;.:", e[i].text[len - 1]);
    }
    const vb_pitem_t *it = marked ? list_item(p, list, c->m->meta.kind.text) : NULL;
    if (!it)
        return;
    for (int i = 0; i < n; i++) {
        const char *t = e[i].text;
        if (!t || strchr(t, '\n'))
            continue;
        const char *sep = i == n - 1 ? it->last_separator : it->separator;
        size_t len = strlen(t);
        while (len && t[len - 1] == ' ')
            len--;
        if (!sep || !*sep || !len)
            continue;
        char mark = t[len - 1];
        if (!strchr(",;.:", mark) || mark == sep[strlen(sep) - 1])
            continue;
        char fixbuf[300];
        size_t keep = len - 1;
        while (keep && t[keep - 1] == ' ')
            keep--;
        snprintf(fixbuf, sizeof fixbuf, "%.*s", (int)keep, t);
        /* safe unless the mark ends an abbreviation ("v.v."): then the fix would cut it */
        vb_fix_t fix = {fixbuf, VB_N_("the line without its mark: the profile prints the right one"), t[len - 1] != '.'};
        vb_rule_report(c, VB_SEVERITY_WARNING, "list.punctuation", e[i].pos, t, &fix,
                       "This %s line ends with \"%c\", but this format ends it with \"%s\", which the profile prints "
                       "for you: leave the \"%c\" out.",
                       shown, mark, sep, mark);
    }
}

/* ------------------------------------------------------------ to.missing, to.label */

/* folded text starts with folded prefix on a word boundary: the byte length of that start in text, else 0. */
static size_t
starts_folded(const char *text, const char *prefix)
{
    uint32_t ft[MAXF], fp[MAXF];
    size_t at[MAXF];
    int nt = vb_fold_letters_at(text, ft, at, MAXF), np = vb_fold_letters(prefix, fp, MAXF);
    if (np == 0 || np > nt || memcmp(ft, fp, sizeof ft[0] * (size_t)np) != 0)
        return 0;
    if (np < nt && ft[np] != ' ' && ft[np] != ':')
        return 0;
    return np < nt ? at[np] : strlen(text);
}

static void
addressed(vctx_t *c, const vb_profile_t *p)
{
    const vb_pvalidate_t *v = &p->validate;
    const vb_meta_t *mt = &c->m->meta;
    if (!mt->kind.text && !mt->title.text)
        return; /* no kind and no trích yếu: not a công văn, a bare text (tests, notes) */
    const char *kind = mt->kind.text ? mt->kind.text : "CÔNG VĂN"; /* no kind, a trích yếu: a công văn */
    for (int i = 0; i < v->naddressed; i++) {
        if (!starts_folded(kind, v->addressed_kinds[i]) || strlen(kind) > strlen(v->addressed_kinds[i]) + 1)
            continue;
        const char *label = v->addressed_labels[i];
        if (mt->nto == 0 && !mt->to_pos.line) { /* "to:" written but unreadable: its own error said so */
            const vb_block_t *b0 = c->m->body.n ? &c->m->body.v[0] : NULL;
            char first[160];
            size_t k = 0;
            for (int s = 0; b0 && b0->kind == VB_BLOCK_PARA && s < b0->text.n && k + 1 < sizeof first; s++) {
                size_t w = b0->text.spans[s].len < sizeof first - 1 - k ? b0->text.spans[s].len : sizeof first - 1 - k;
                memcpy(first + k, b0->text.spans[s].text, w);
                k += w;
            }
            first[k] = 0;
            if (k && starts_folded(first, label)) {
                /* typed as the body's first line, as in a word processor: printed as a paragraph, not in its place */
                vb_rule_report(c, VB_SEVERITY_WARNING, "to.missing", b0->pos, NULL, NULL,
                               "\"%s\" is typed in the body here, so it is printed as a paragraph, not in its place "
                               "under the title: move the recipients into the front matter as \"to:\", one per line "
                               "(without \"%s:\", which the profile prints).",
                               label, label);
                return;
            }
            const vb_field_t *at = mt->kind.text ? &mt->kind : mt->title.text ? &mt->title : &mt->number;
            vb_pos_t pos = at->pos.line ? at->pos : (vb_pos_t){1, 1};
            vb_rule_report(c, VB_SEVERITY_WARNING, "to.missing", pos, NULL, NULL,
                           "A %s names whom it is addressed to: add \"to:\" with the recipients, one per line; they "
                           "are printed after \"%s:\".",
                           mt->kind.text ? mt->kind.text : "công văn", label);
        }
        for (int k = 0; k < mt->nto; k++) {
            const char *t = mt->to[k].text;
            size_t n = t ? starts_folded(t, label) : 0;
            if (!n)
                continue;
            while (t[n] == ' ' || t[n] == ':')
                n++;
            vb_fix_t fix = {t + n, VB_N_("the recipient without the words the profile prints"), true}; /* safe */
            vb_rule_report(c, VB_SEVERITY_WARNING, "to.label", mt->to[k].pos, strchr(t, '\n') ? NULL : t,
                           *t ? &fix : NULL,
                           "The profile prints \"%s:\" before the recipients: leave it out of \"to:\" (\"%s\").",
                           label, t);
        }
        return;
    }
}

/* ------------------------------------------------------------ body.printed */

/* A paragraph's text, cut to size. */
static const char *
para_text(const vb_block_t *b, char *out, size_t size)
{
    size_t k = 0;
    for (int s = 0; s < b->text.n && k + 1 < size; s++) {
        size_t w = b->text.spans[s].len < size - 1 - k ? b->text.spans[s].len : size - 1 - k;
        memcpy(out + k, b->text.spans[s].text, w);
        k += w;
    }
    out[k] = 0;
    return out;
}

/*
 * body.printed: a whole document pasted from Word brings along what the
 * profile prints from the front matter: the national name or the Party's,
 * the motto, "Nơi nhận:" (validation.printed_parts), the signer's authority,
 * post or name. Typed in the body it is printed twice. A warning at the
 * paragraph (once each), saying where the part comes from; no fix (a line
 * to delete with what follows it, a clerk's decision).
 */
static void
printed_twice(vctx_t *c, const vb_profile_t *p)
{
    const vb_pvalidate_t *v = &p->validate;
    const vb_meta_t *mt = &c->m->meta;
    enum { NPARTS = 16 };
    /* every part folded once (vb_fold_letters), a colon at the end aside */
    uint32_t fp[NPARTS + 3][MAXF];
    int np[NPARTS + 3] = {0};
    int nparts = v->nprinted < NPARTS ? v->nprinted : NPARTS;
    const vb_signer_t *sg = &mt->signer;
    const char *signer[3] = {sg->authority.text, sg->post.text, sg->name.text};
    for (int k = 0; k < nparts + 3; k++) {
        const char *t = k < nparts ? v->printed_texts[k] : signer[k - nparts];
        if (!t || strchr(t, '\n'))
            continue;
        np[k] = vb_fold_letters(t, fp[k], MAXF);
        while (np[k] && fp[k][np[k] - 1] == ':')
            np[k]--;
    }
    bool said[NPARTS] = {false};
    static const char *const said_as[3] = {
        VB_N_("\"%s\" is the signer's authority (thẩm quyền ký), which the profile prints from \"signer:\" in "
              "the front matter: typed in the body, it is printed twice. Delete this line."),
        VB_N_("\"%s\" is the signer's post (chức vụ), which the profile prints from \"signer:\" in the front "
              "matter: typed in the body, it is printed twice. Delete this line."),
        VB_N_("\"%s\" is the signer's name, which the profile prints from \"signer:\" in the front matter: "
              "typed in the body, it is printed twice. Delete this line.")};
    for (int i = 0; i < c->m->body.n; i++) {
        const vb_block_t *b = &c->m->body.v[i];
        if (b->kind != VB_BLOCK_PARA && b->kind != VB_BLOCK_HEADING)
            continue;
        size_t total = 0;
        for (int s = 0; s < b->text.n && total <= 120; s++)
            total += b->text.spans[s].len;
        if (total > 120)
            continue; /* a part the profile prints is a short line: a paragraph of text is none */
        char t[200];
        para_text(b, t, sizeof t);
        uint32_t ft[MAXF];
        int nt = vb_fold_letters(t, ft, MAXF), ne = nt;
        while (ne && ft[ne - 1] == ':')
            ne--;
        for (int k = 0; k < nparts + 3; k++) {
            int n = np[k];
            if (!n || n > nt || memcmp(ft, fp[k], sizeof ft[0] * (size_t)n) != 0)
                continue;
            if (k >= nparts) { /* the signer's line: the whole paragraph, of a real line's length */
                if (ne != n || n < 4)
                    continue;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
                vb_rule_report(c, VB_SEVERITY_WARNING, "body.printed", b->pos, NULL, NULL, said_as[k - nparts], t);
#pragma GCC diagnostic pop
                break;
            }
            /* the part alone, or followed by a colon ("Nơi nhận:" and what follows) */
            if (said[k] || (n < nt && ft[n] != ':'))
                continue;
            said[k] = true;
            const char *key = v->printed_fields[k];
            if (strcmp(key, "to") == 0 && mt->nto == 0)
                continue; /* no "to:": to.missing says where the "Kính gửi" belongs */
            if (strcmp(key, "-") == 0)
                vb_rule_report(c, VB_SEVERITY_WARNING, "body.printed", b->pos, NULL, NULL,
                               "\"%s\" is printed by the profile at the top of every document: typed in the body, "
                               "it is printed twice. Delete this line.",
                               t);
            else
                vb_rule_report(c, VB_SEVERITY_WARNING, "body.printed", b->pos, NULL, NULL,
                               "\"%s\" is printed by the profile from \"%s:\" in the front matter: typed in the body, "
                               "it is printed twice. Delete it here (with its lines) and put them in \"%s:\".",
                               t, key, key);
        }
    }
}

/* ------------------------------------------------------------ signer.post */

static void
signer_post(vctx_t *c, const vb_profile_t *p, const vb_signer_t *sg)
{
    const vb_pvalidate_t *v = &p->validate;
    const char *post = sg->post.text, *issuer = c->m->meta.issuer.text;
    if (!post || strchr(post, '\n'))
        return;
    uint32_t fp[MAXF], fi[MAXF];
    size_t at[MAXF];
    int np = vb_fold_letters_at(post, fp, at, MAXF);
    size_t cut = 0, title = 0; /* the byte where the body's name starts in post; the end of a listed post */
    for (int i = 0; i < v->npost_titles; i++) {
        size_t n = starts_folded(post, v->post_titles[i]);
        if (n > title)
            title = n; /* the longest: "PHÓ TRƯỞNG BAN" */
    }
    if (title && title < strlen(post))
        cut = title;
    if (!cut && !title && issuer) {
        int ni = vb_fold_letters(issuer, fi, MAXF), words = 0, k = 0;
        for (; k < ni && words < 2; k++)
            words += fi[k] == ' ';
        int want = words == 2 ? k - 1 : ni; /* the issuer's first two words */
        for (int j = 1; j + want <= np && want > 0; j++) {
            if (fp[j - 1] == ' ' && memcmp(fp + j, fi, sizeof fp[0] * (size_t)want) == 0 &&
                (j + want == np || fp[j + want] == ' ')) {
                cut = at[j];
                break;
            }
        }
    }
    if (!cut)
        return;
    while (post[cut] == ' ')
        cut++;
    size_t keep = cut;
    while (keep && post[keep - 1] == ' ')
        keep--;
    char fixbuf[300];
    snprintf(fixbuf, sizeof fixbuf, "%.*s", (int)keep, post);
    vb_fix_t fix = {fixbuf, VB_N_("the post without the body's name"), false}; /* not safe: a guess at where the name starts */
    vb_rule_report(c, VB_SEVERITY_WARNING, "signer.post", sg->post.pos, post, &fix,
                   "The post \"%s\" repeats the body's name (\"%s\"); the signer's post is written without it: "
                   "\"%s\".",
                   post, post + cut, fixbuf);
}

void
vb_rules_closing(vctx_t *c, const vb_profile_t *p)
{
    const vb_meta_t *mt = &c->m->meta;
    addressed(c, p);
    list_punct(c, p, "to", "\"Kính gửi\"", mt->to, mt->nto);
    list_punct(c, p, "bases", "căn cứ", mt->bases, mt->nbases);
    list_punct(c, p, "recipients", "\"Nơi nhận\"", mt->recipients, mt->nrecipients);
    if (mt->nsigners <= 1 && p->validate.npost_titles > 0)
        signer_post(c, p, &mt->signer);
    printed_twice(c, p);
}
