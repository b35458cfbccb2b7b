/*
 * model_dump.c - the document model as stable, diff-friendly text.
 *
 * Owns: vb_model_dump, used by unit tests, golden files and
 * "vanban dump --stage=model". One line per field, block, span and cell;
 * children are indented by two spaces; every positioned thing ends with
 * "@line:col". Strings are in double quotes with \" \\ \n \t and \xHH
 * escapes, so a dump never has a line break inside a value. Faces are
 * r (regular), b (bold), i (italic), bi (bold italic). Absent fields are left
 * out. The format only grows: new lines may be added, existing ones keep
 * their shape.
 *
 *   meta issuer "ĐẢNG ỦY KHỐI\nDOANH NGHIỆP" @4:9
 *   meta number "196-BC/ĐUK" @7:9
 *   meta date 2023-07-06 @9:7
 *   meta recipients 2 @18:3
 *     recipient "Lưu TT, TC." @19:5
 *   body 2
 *   para @22:1
 *     span r "1. Tình hình chung"
 *   appendix @25:1
 *     nolabel                      (only when "\nolabel" asks: the label is not printed)
 *     label
 *       span r "PHỤ LỤC 1"
 *     title
 *       span r "XẾP LOẠI"
 *     blocks 1
 *     table 3x3 head 2 @27:1
 *       align - c r
 *       cell 0,0 span 1x2 @27:3        (colspan x rowspan; only when not 1x1)
 *         span r "STT"
 *       cell 1,0 covered @28:3
 *
 * Fields left blank until issuance are said so: 'meta number "/KH-UBND"
 * (sequence blank) @7:9', "meta date 2026-08 (day blank) @9:7", "meta date
 * 2026 (day and month blank) @9:7". Flags: "meta nonconforming @5:16",
 * "meta line_breaks paragraphs", and "nolabel" under an appendix.
 *
 * Cell alignment is printed when the column has one; covered cells print
 * neither span nor alignment. Only when the source gives them: "box",
 * "keep" or "split" after the head count; a line "widths 300pm - 70866mpt"
 * (thousandths of the text block, none, millipoints); after a cell's
 * alignment its markers, "bold"/"not-bold", "italic"/"not-italic",
 * "set-align c", "numbers".
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "input.h"

typedef vb_buf_t out_t;

static void
put(out_t *o, const char *s, size_t n)
{
    vb_buf_add(o, s, n);
}

static void
puts_(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void
put_int(out_t *o, long v)
{
    char b[24];
    int k = 0;
    unsigned long u = v < 0 ? (unsigned long)(-(v + 1)) + 1 : (unsigned long)v;
    do {
        b[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        b[k++] = '-';
    while (k > 0)
        put(o, &b[--k], 1);
}

static void
indent(out_t *o, int depth)
{
    for (int i = 0; i < depth; i++)
        put(o, "  ", 2);
}

static void
put_pos(out_t *o, vb_pos_t p)
{
    puts_(o, " @");
    put_int(o, p.line);
    put(o, ":", 1);
    put_int(o, p.col);
}

static void
put_str(out_t *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(o, e, 2);
        } else if (c == '\n') {
            put(o, "\\n", 2);
        } else if (c == '\t') {
            put(o, "\\t", 2);
        } else if (c < 0x20 || c == 0x7F) {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            put(o, e, 4);
        } else {
            put(o, (const char *)&s[i], 1);
        }
    }
    put(o, "\"", 1);
}

static const char *
face_name(int f)
{
    static const char *const names[4] = {"r", "b", "i", "bi"};
    return names[f & 3];
}

static const char *
align_name(vb_align_t a)
{
    switch (a) {
    case VB_ALIGN_LEFT:
        return "l";
    case VB_ALIGN_CENTER:
        return "c";
    case VB_ALIGN_RIGHT:
        return "r";
    case VB_ALIGN_JUSTIFY:
        return "j";
    default:
        return "-";
    }
}

static void
put_inline(out_t *o, const vb_inline_t *in, int depth)
{
    for (int i = 0; i < in->n; i++) {
        indent(o, depth);
        puts_(o, "span ");
        puts_(o, face_name(in->spans[i].face));
        /* superscript "^", subscript "_", footnote reference "^n" */
        if (in->spans[i].face & VB_SPAN_SUPER)
            put(o, "^", 1);
        if (in->spans[i].face & VB_SPAN_SUB)
            put(o, "_", 1);
        if (in->spans[i].face & VB_SPAN_NOTE)
            put(o, "n", 1);
        put(o, " ", 1);
        put_str(o, in->spans[i].text, in->spans[i].len);
        put(o, "\n", 1);
    }
}

static void
put_field(out_t *o, const char *name, const vb_field_t *f)
{
    if (!f->text)
        return;
    puts_(o, "meta ");
    puts_(o, name);
    put(o, " ", 1);
    put_str(o, f->text, strlen(f->text));
    put_pos(o, f->pos);
    put(o, "\n", 1);
}

static void
put_table(out_t *o, const vb_table_t *t, int depth)
{
    indent(o, depth);
    puts_(o, "table ");
    put_int(o, t->nrows);
    put(o, "x", 1);
    put_int(o, t->ncols);
    puts_(o, " head ");
    put_int(o, t->nhead);
    if (t->box)
        puts_(o, " box");
    if (t->keep)
        puts_(o, t->keep > 0 ? " keep" : " split");
    put_pos(o, t->pos);
    put(o, "\n", 1);
    indent(o, depth + 1);
    puts_(o, "align");
    for (int c = 0; c < t->ncols; c++) {
        put(o, " ", 1);
        puts_(o, align_name(t->col_align[c]));
    }
    put(o, "\n", 1);
    if (t->col_width) {
        /* given widths: "30%" in thousandths as "300pm", lengths in millipoints */
        indent(o, depth + 1);
        puts_(o, "widths");
        for (int c = 0; c < t->ncols; c++) {
            const vb_colwidth_t *w = &t->col_width[c];
            put(o, " ", 1);
            if (w->kind == VB_COLW_AUTO) {
                puts_(o, "-");
                continue;
            }
            put_int(o, w->v);
            puts_(o, w->kind == VB_COLW_PCT ? "pm" : "mpt");
        }
        put(o, "\n", 1);
    }
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const vb_cell_t *cell = VB_CELL(t, r, c);
            indent(o, depth + 1);
            puts_(o, "cell ");
            put_int(o, r);
            put(o, ",", 1);
            put_int(o, c);
            if (cell->covered) {
                puts_(o, " covered");
            } else {
                if (cell->colspan != 1 || cell->rowspan != 1) {
                    puts_(o, " span ");
                    put_int(o, cell->colspan);
                    put(o, "x", 1);
                    put_int(o, cell->rowspan);
                }
                if (cell->align != VB_ALIGN_DEFAULT) {
                    puts_(o, " align ");
                    puts_(o, align_name(cell->align));
                }
                const vb_cellfmt_t *f = &cell->fmt;
                if (f->bold >= 0)
                    puts_(o, f->bold ? " bold" : " not-bold");
                if (f->italic >= 0)
                    puts_(o, f->italic ? " italic" : " not-italic");
                if (f->align != VB_ALIGN_DEFAULT) {
                    puts_(o, " set-align ");
                    puts_(o, align_name(f->align));
                }
                if (f->numbers)
                    puts_(o, " numbers");
            }
            put_pos(o, cell->pos);
            put(o, "\n", 1);
            put_inline(o, &cell->text, depth + 2);
        }
    }
}

static void
put_blocks(out_t *o, const char *name, const vb_blocks_t *bs, int depth)
{
    indent(o, depth);
    puts_(o, name);
    put(o, " ", 1);
    put_int(o, bs->n);
    put(o, "\n", 1);
    for (int i = 0; i < bs->n; i++) {
        const vb_block_t *b = &bs->v[i];
        switch (b->kind) {
        case VB_BLOCK_PARA:
            indent(o, depth);
            puts_(o, "para");
            if (b->align == VB_ALIGN_CENTER || b->align == VB_ALIGN_RIGHT) {
                puts_(o, " align ");
                puts_(o, align_name(b->align));
            }
            break;
        case VB_BLOCK_HEADING:
            indent(o, depth);
            puts_(o, "heading ");
            put_int(o, b->level);
            break;
        case VB_BLOCK_PAGEBREAK:
            indent(o, depth);
            puts_(o, "pagebreak");
            break;
        case VB_BLOCK_IMAGE:
            indent(o, depth);
            puts_(o, "image ");
            puts_(o, b->image->path);
            puts_(o, " ");
            put_int(o, (int)b->image->px_w);
            puts_(o, "x");
            put_int(o, (int)b->image->px_h);
            puts_(o, " width ");
            put_int(o, b->image->width);
            break;
        case VB_BLOCK_TABLE:
            if (b->table)
                put_table(o, b->table, depth);
            continue;
        default:
            indent(o, depth);
            puts_(o, "block?");
            break;
        }
        put_pos(o, b->pos);
        put(o, "\n", 1);
        put_inline(o, &b->text, depth + 1);
    }
}

/* One key of the front matter (fields.def), when the document gives it. */
static void
put_meta(out_t *o, const vb_meta_t *mt, const vb_meta_key_t *k)
{
    const char *at = (const char *)mt + k->off;
    if (k->kind == VB_META_KIND_TEXT && k->off == offsetof(vb_meta_t, number)) {
        if (!mt->number.text)
            return;
        /* a sequence number left blank: the rest as typed, and the blank said */
        puts_(o, "meta number ");
        put_str(o, mt->number.text, strlen(mt->number.text));
        if (mt->number_blank)
            puts_(o, " (sequence blank)");
        put_pos(o, mt->number.pos);
        put(o, "\n", 1);
    } else if (k->kind == VB_META_KIND_TEXT) {
        put_field(o, k->key, (const vb_field_t *)at);
    } else if (k->kind == VB_META_KIND_LIST) {
        int n = 0;
        vb_pos_t pos;
        const vb_field_t *v = vb_meta_list(mt, k, &n, &pos);
        if (!n)
            return;
        puts_(o, "meta ");
        puts_(o, k->key);
        put(o, " ", 1);
        put_int(o, n);
        put_pos(o, pos);
        put(o, "\n", 1);
        for (int i = 0; i < n; i++) {
            puts_(o, "  ");
            puts_(o, k->item);
            put(o, " ", 1);
            put_str(o, v[i].text, strlen(v[i].text));
            put_pos(o, v[i].pos);
            put(o, "\n", 1);
            /* an entry with bold, italic or scripts: its spans */
            const vb_inline_t *in = &v[i].in;
            if (in->n > 1 || (in->n == 1 && in->spans[0].face))
                put_inline(o, in, 2);
        }
    } else if (k->kind == VB_META_KIND_BOOL) {
        if (!*(const bool *)at)
            return;
        puts_(o, "meta ");
        puts_(o, k->key);
        put_pos(o, *(const vb_pos_t *)((const char *)mt + k->off_pos));
        put(o, "\n", 1);
    } else if (!strcmp(k->key, "date") && mt->date.year) {
        /* "2023-07-06"; a day (and month) left blank: "2026-08 (day blank)", "2026 (day and month blank)" */
        char b[16];
        int n = 4;
        b[0] = (char)('0' + mt->date.year / 1000 % 10);
        b[1] = (char)('0' + mt->date.year / 100 % 10);
        b[2] = (char)('0' + mt->date.year / 10 % 10);
        b[3] = (char)('0' + mt->date.year % 10);
        if (mt->date.month) {
            b[n++] = '-';
            b[n++] = (char)('0' + mt->date.month / 10 % 10);
            b[n++] = (char)('0' + mt->date.month % 10);
        }
        if (mt->date.month && mt->date.day) {
            b[n++] = '-';
            b[n++] = (char)('0' + mt->date.day / 10 % 10);
            b[n++] = (char)('0' + mt->date.day % 10);
        }
        puts_(o, "meta date ");
        put(o, b, (size_t)n);
        if (!mt->date.month)
            puts_(o, " (day and month blank)");
        else if (!mt->date.day)
            puts_(o, " (day blank)");
        put_pos(o, mt->date.pos);
        put(o, "\n", 1);
    } else if (!strcmp(k->key, "signer")) {
        /* every signer; the first as "signer", a joint document's second as "signer2" */
        for (int i = 0; i < mt->nsigners; i++) {
            const vb_signer_t *sg = &mt->signers[i];
            put_field(o, i ? "signer2.authority" : "signer.authority", &sg->authority);
            put_field(o, i ? "signer2.post" : "signer.post", &sg->post);
            put_field(o, i ? "signer2.name" : "signer.name", &sg->name);
        }
    } else if (!strcmp(k->key, "line_breaks") && mt->line_paragraphs) {
        puts_(o, "meta line_breaks paragraphs\n");
    }
}

vb_status_t
vb_model_dump(const vb_model_t *m, char **out, size_t *len)
{
    out_t o = {0};
    *out = NULL;
    if (len)
        *len = 0;
    puts_(&o, "source ");
    put_str(&o, m->source ? m->source : "", m->source ? strlen(m->source) : 0);
    put(&o, "\n", 1);
    const vb_meta_t *mt = &m->meta;
    for (int k = 0; k < vb_meta_nkeys; k++)
        put_meta(&o, mt, &vb_meta_keys[k]);
    put_blocks(&o, "body", &m->body, 0);
    for (int a = 0; a < m->nappendices; a++) {
        const vb_appendix_t *ap = &m->appendices[a];
        puts_(&o, "appendix");
        put_pos(&o, ap->pos);
        if (ap->nolabel)
            puts_(&o, "\n  nolabel");
        put(&o, "\n  label\n", 9);
        put_inline(&o, &ap->label, 2);
        for (int t = 0; t < ap->ntitle; t++) {
            puts_(&o, "  title\n");
            put_inline(&o, &ap->title[t], 2);
        }
        put_blocks(&o, "blocks", &ap->blocks, 1);
    }
    for (int k = 0; k < m->nnotes; k++) {
        puts_(&o, "note ");
        put_int(&o, k + 1);
        put(&o, " ", 1);
        put_str(&o, m->notes[k].label, strlen(m->notes[k].label));
        put_pos(&o, m->notes[k].pos);
        put(&o, "\n", 1);
        put_inline(&o, &m->notes[k].text, 1);
    }
    *out = vb_buf_take(&o, len);
    return *out ? VB_OK : VB_E_NOMEM;
}
