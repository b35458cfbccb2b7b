/*
 * paste.h - what clerks paste into a source (docs/paste.md): old encodings
 * and invisible characters (paste.c; a file that is not text: filetype.h).
 */
#ifndef VB_PASTE_H
#define VB_PASTE_H

#include "base.h"

/*
 * Reports through sink what was pasted into a prepared source (text.c: UTF-8,
 * NFC, '\n'), positions in it: a paragraph or front-matter line typed in
 * TCVN3, VNI or VIQR (warnings paste.tcvn3, paste.vni, paste.viqr, the
 * converted text as the fix), invisible characters (warning paste.invisible,
 * fix: delete) and line separators (error paste.line-separator, fix: a
 * space). text is NUL-terminated (as vb_text_prepare leaves it). One pass
 * over the bytes; a paragraph is scored only when it holds
 * Latin-1 letters and no Vietnamese letter past U+00FF, or a VIQR modifier.
 */
void vb_paste_scan(const char *text, size_t len, const char *source, vb_sink_t *sink);

/* The name of an invisible character cp ("a zero-width space"); NULL when cp is none. */
const char *vb_invisible_name(uint32_t cp);

#endif
