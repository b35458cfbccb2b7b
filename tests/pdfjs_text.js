#!/usr/bin/env node
/*
 * pdfjs_text.js - the text of a PDF as pdf.js (Firefox's PDF engine) gives it.
 *
 *     node tests/pdfjs_text.js FILE.pdf [--items]
 *
 * Loads the PDF with Debian's pdf.js (package libjs-pdf: the generic build in
 * /usr/share/javascript/pdf/build, which runs under node; PDFJS_BUILD names
 * another folder holding pdf.js and pdf.worker.js) and prints each page's
 * text content the way pdf.js's text layer lays it out and a copy gives it
 * back: the items of page.getTextContent() in order, each item's string (with
 * the spaces pdf.js itself inserted, as " " items or inside strings), a
 * newline after an item with hasEOL, and nothing between two other items.
 * Pages end with "\n\f". With --items, one JSON line per item instead (str,
 * hasEOL, x, y) for debugging.
 *
 * Exit status: 0, or 2 with a one-line message on stderr when pdf.js cannot
 * be loaded or the PDF cannot be read (so a test fails, never skips).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const buildDir = process.env.PDFJS_BUILD || '/usr/share/javascript/pdf/build';
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const itemsMode = args.includes('--items');

function die(msg) {
  process.stderr.write('pdfjs_text: ' + msg + '\n');
  process.exit(2);
}

if (!file) die('usage: node tests/pdfjs_text.js FILE.pdf [--items]');

let pdfjs;
try {
  pdfjs = require(path.join(buildDir, 'pdf.js'));
} catch (e) {
  die('cannot load pdf.js from ' + buildDir + ' (install Debian\'s libjs-pdf, or set PDFJS_BUILD): ' + e.message);
}
// pdf.js reports warnings with console.log: keep stdout for the text
console.log = (...a) => process.stderr.write(a.join(' ') + '\n');
pdfjs.GlobalWorkerOptions.workerSrc = path.join(buildDir, 'pdf.worker.js');

(async () => {
  let data;
  try {
    data = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    die('cannot read ' + file + ': ' + e.message);
  }
  const doc = await pdfjs.getDocument({ data, disableFontFace: true, verbosity: 0 }).promise;
  const out = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const tc = await page.getTextContent();
    for (const it of tc.items) {
      if (itemsMode) {
        out.push(JSON.stringify({ page: p, str: it.str, hasEOL: it.hasEOL, x: it.transform[4], y: it.transform[5] }) +
                 '\n');
      } else {
        out.push(it.str + (it.hasEOL ? '\n' : ''));
      }
    }
    if (!itemsMode) out.push('\n\f');
    page.cleanup();
  }
  await doc.destroy();
  process.stdout.write(out.join(''));
})().catch((e) => die('pdf.js failed on ' + file + ': ' + (e && e.message ? e.message : e) + ' (pdf.js ' +
                      pdfjs.version + ')'));
