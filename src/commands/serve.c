/*
 * serve.c - the preview server of `vanban watch SRC --serve [ADDR]`, in the
 * program vanban-serve (which vanban runs in its place, so that a render never
 * loads libmicrohttpd nor cairo). The only module that uses libmicrohttpd.
 *
 * It listens on a loopback address only (127.0.0.1, ::1 or localhost; default
 * port SERVE_DEFAULT_PORT, ":0" any free port) and serves:
 *
 *   /             the page (PAGE_HTML below: HTML, CSS and JS in one string)
 *   /events       server-sent events: "rendered N" or "error N" after each
 *                 render (N counts the renders), so the page refreshes itself
 *   /state.json   the last render: ok or not, its diagnostics (the line as the
 *                 terminal shows it, the source line and caret), and the last
 *                 good render's pages with their text runs (vb_document_run)
 *   /page/N.png   page N (from 1) of the last good render, drawn at 96 dpi
 *                 (vb_document_png) once after each good render, kept in memory
 *   /boxes.json   with --overlay: each page's boxes (vb_document_box): kind,
 *                 official number, name, rectangle
 *
 * Threading: libmicrohttpd runs a thread per connection (an event stream
 * blocks its thread until the next render). The watch loop's thread builds
 * everything a request may read (PNG bytes, JSON texts) from the document
 * while the document lives, then swaps it into the shared state under the
 * mutex; a request copies what it needs under the same mutex. No request ever
 * touches a document. A request whose Host header is not a loopback name is
 * refused (403), so that a web page cannot read the preview by DNS rebinding.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "base.h" /* vb_buf_t, the growable buffer */
#include "commands.h"

#define SERVE_DEFAULT_PORT 8265
#define PREVIEW_DPI 96
#define PING_SECONDS 15 /* an event stream's keep-alive comment when no render came */

/* ------------------------------------------------------------ JSON */

/*
 * s (n bytes, user text: file names, messages, the document's words) as a
 * JSON string: quotes, backslashes and control characters escaped, and < > &
 * as \u003c... so that the text can never close a tag; a byte that is not
 * valid UTF-8 becomes U+FFFD, so the JSON always parses.
 */
static void
sb_json_n(vb_buf_t *b, const char *s, size_t n)
{
    vb_buf_add(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (!s)
        n = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                char e[2] = {'\\', (char)c};
                vb_buf_add(b, e, 2);
            } else if (c == '\n') {
                vb_buf_puts(b, "\\n");
            } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                vb_buf_printf(b, "\\u%04x", c);
            } else {
                vb_buf_add(b, p + i, 1);
            }
            i++;
            continue;
        }
        /* a UTF-8 sequence: checked (no overlong forms, no surrogates, at most U+10FFFF) */
        size_t k = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        unsigned cp = k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
        bool ok = k && i + k <= n;
        for (size_t j = 1; ok && j < k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                ok = false;
            else
                cp = cp << 6 | (p[i + j] & 0x3Fu);
        }
        if (ok && ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
                   (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (ok) {
            if (cp == 0x2028 || cp == 0x2029)
                vb_buf_printf(b, "\\u%04x", cp); /* line separators: valid JSON, but not in older JS */
            else
                vb_buf_add(b, p + i, k);
            i += k;
        } else {
            vb_buf_puts(b, "\\ufffd");
            i++;
        }
    }
    vb_buf_add(b, "\"", 1);
}

static void
sb_json(vb_buf_t *b, const char *s)
{
    sb_json_n(b, s, s ? strlen(s) : 0);
}

/* ------------------------------------------------------------ the shared state */

struct vb_server {
    struct MHD_Daemon *daemon;
    int port;
    char url[96];
    bool overlay;
    char *source;             /* the source's name, for the page's title bar */
    unsigned long long boot;  /* this server's start, in the images' URLs: a restarted server's never match */

    pthread_mutex_t mu;       /* guards everything below */
    pthread_cond_t changed;   /* a render came, or the server stops */
    bool stopping;
    int version;              /* renders so far */
    int good;                 /* the render whose pages are kept (0: none yet) */
    bool ok;                  /* the last render succeeded */
    double ms;
    char *state;              /* /state.json */
    size_t state_len;
    char *boxes;              /* /boxes.json (of the good render) */
    size_t boxes_len;
    vb_buf_t *pngs;              /* the good render's pages */
    int npages;

    /* the watch loop's thread only */
    char *pages_json;         /* the good render's pages, for each state */
    char **keys;              /* what each of the good render's page images was drawn from (page_key) */
    int nkeys;
    vb_buf_t diags;             /* the render in progress's diagnostics, as JSON objects */
    int ndiags;
    char *file_name, *file_text; /* the file the last diagnostic named, read once for its source lines */
    size_t file_len;
};

/* ------------------------------------------------------------ the address */

/*
 * ADDR: PORT, :PORT, HOST, HOST:PORT, [::1]:PORT, where HOST is 127.0.0.1,
 * localhost or ::1 ([::1]). Fills sa (of *salen bytes) and the URL's host;
 * returns false, with the message printed, for anything else.
 */
static bool
parse_addr(const char *arg, struct sockaddr_storage *sa, socklen_t *salen, char *host_url, size_t hsize)
{
    char host[256] = "", sbuf[512];
    const char *port_s = NULL;
    size_t n = strlen(arg);
    if (n >= sizeof host)
        goto bad;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (!close)
            goto bad;
        snprintf(host, sizeof host, "%.*s", (int)(close - arg - 1), arg + 1);
        if (close[1] == ':')
            port_s = close + 2;
        else if (close[1])
            goto bad;
    } else {
        const char *colon = strchr(arg, ':');
        if (colon && strchr(colon + 1, ':')) {
            snprintf(host, sizeof host, "%s", arg); /* a bare IPv6 address: no port */
        } else if (colon) {
            snprintf(host, sizeof host, "%.*s", (int)(colon - arg), arg);
            port_s = colon + 1;
        } else if (arg[0] && strspn(arg, "0123456789") == n) {
            port_s = arg;
        } else {
            snprintf(host, sizeof host, "%s", arg);
        }
    }
    long port = SERVE_DEFAULT_PORT;
    if (port_s) {
        char *end;
        errno = 0;
        port = strtol(port_s, &end, 10);
        if (!*port_s || *end || errno || port < 0 || port > 65535 || strspn(port_s, "0123456789") != strlen(port_s)) {
            fprintf(stderr, "vanban: --serve: the port is a number from 0 to 65535 (0: any free port), not '%s'\n",
                    shown(port_s, sbuf, sizeof sbuf));
            return false;
        }
    }
    memset(sa, 0, sizeof *sa);
    if (!host[0] || !strcasecmp(host, "localhost") || !strcmp(host, "127.0.0.1")) {
        struct sockaddr_in *in = (struct sockaddr_in *)sa;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *salen = sizeof *in;
        snprintf(host_url, hsize, "127.0.0.1");
        return true;
    }
    struct in6_addr a6;
    if (inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6)) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        in6->sin6_addr = in6addr_loopback;
        *salen = sizeof *in6;
        snprintf(host_url, hsize, "[::1]");
        return true;
    }
bad:
    fprintf(stderr,
            "vanban: --serve listens on this computer only: the address is 127.0.0.1, ::1 or localhost, with a port "
            "(127.0.0.1:8265, :0 for any free port), not '%s'\n",
            shown(arg, sbuf, sizeof sbuf));
    return false;
}

/* Whether a request's Host header names this computer (127.0.0.1, localhost, [::1], any port or none). */
static bool
host_ok(const char *h)
{
    if (!h)
        return true; /* HTTP/1.0 */
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        if (!strncasecmp(h, names[i], k) &&
            (!h[k] || (h[k] == ':' && h[k + 1] && strspn(h + k + 1, "0123456789") == strlen(h + k + 1))))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ the page */

static const char PAGE_HTML[] =
    "<!doctype html>\n"
    "<html><head><meta charset=\"utf-8\"><title>vanban preview</title>\n"
    "<style>\n"
    "body{margin:0;background:#dcdcdc;font:14px system-ui,sans-serif}\n"
    "#bar{position:sticky;top:0;z-index:9;background:#2f3b45;color:#eee;padding:6px 14px;display:flex;gap:18px;"
    "align-items:center}\n"
    "#bar.error{background:#8b1a1a}#bar.off{background:#666}\n"
    "#status{flex:1}\n"
    "#errors{display:none;margin:14px auto 0;max-width:60em;background:#fff4f4;border:1px solid #c33;padding:6px 14px}\n"
    "#errors.show{display:block}#errors.warn{background:#fffbe8;border-color:#b90}\n"
    "#errors .where{white-space:pre-wrap;font-weight:600;margin-top:8px}\n"
    "#errors pre{margin:4px 0 8px;overflow:auto;background:#fff;padding:4px}\n"
    "#pages{display:flex;flex-direction:column;align-items:center;gap:16px;padding:16px}\n"
    "#pages.stale{opacity:.35;filter:grayscale(1)}\n"
    ".page{position:relative;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.35);flex:none}\n"
    ".page img{position:absolute;left:0;top:0;width:100%;height:100%;user-select:none}\n"
    ".text,.boxes{position:absolute;left:0;top:0;right:0;bottom:0}\n"
    ".text span{position:absolute;white-space:pre;color:transparent;line-height:1;transform-origin:0 0;"
    "font-family:'Liberation Serif','Times New Roman',serif}\n"
    ".text span::selection{background:rgba(0,100,255,.3);color:transparent}\n"
    ".boxes{pointer-events:none;display:none}body.overlay .boxes{display:block}\n"
    ".box{position:absolute;box-sizing:border-box;border:1px solid rgba(210,0,0,.8)}\n"
    ".box.text_block{border:1px dashed #777}.box.column{border-color:rgba(0,90,220,.75)}\n"
    ".box.paragraph,.box.cell,.box.footnote{border:1px dotted rgba(0,140,70,.6)}\n"
    ".box.official{background:rgba(255,0,0,.05)}\n"
    ".box b{position:absolute;left:-1px;top:-14px;font:600 10px/13px sans-serif;background:rgba(200,0,0,.85);"
    "color:#fff;padding:0 3px;white-space:nowrap}\n"
    "</style></head><body>\n"
    "<div id=\"bar\" class=\"off\"><span id=\"status\">connecting\xe2\x80\xa6</span>"
    "<label id=\"ovl\" hidden><input type=\"checkbox\" id=\"boxes\"> boxes of the regulation</label></div>\n"
    "<div id=\"errors\"></div>\n"
    "<div id=\"pages\"></div>\n"
    "<script>\n"
    "'use strict';\n"
    "const K = 96 / 72000; /* CSS pixels a millipoint: the images are drawn at 96 dpi */\n"
    "let shown = null, boxesFor = null, queue = Promise.resolve(), source = '';\n"
    "const $ = id => document.getElementById(id);\n"
    "function el(tag, cls, text) {\n"
    "  const e = document.createElement(tag);\n"
    "  if (cls) e.className = cls;\n"
    "  if (text != null) e.textContent = text;\n"
    "  return e;\n"
    "}\n"
    "async function showPages(st, key) {\n"
    "  const frag = document.createDocumentFragment(), loads = [];\n"
    "  st.pages.forEach((p, i) => {\n"
    "    const d = el('div', 'page');\n"
    "    d.style.width = p.w * K + 'px';\n"
    "    d.style.height = p.h * K + 'px';\n"
    "    d.dataset.page = i + 1;\n"
    "    const img = new Image();\n"
    "    img.alt = 'page ' + (i + 1);\n"
    "    img.src = '/page/' + (i + 1) + '.png?v=' + key;\n"
    "    loads.push(img.decode().catch(() => {}));\n"
    "    const t = el('div', 'text');\n"
    "    p.runs.forEach((r, j) => {\n"
    "      const s = el('span', null, r[0]);\n"
    "      s.style.left = r[1] * K + 'px';\n"
    "      s.style.top = (r[2] - 0.891 * r[4]) * K + 'px';\n"
    "      s.style.fontSize = r[4] * K + 'px';\n"
    "      s.dataset.w = r[3] * K;\n"
    "      t.append(s);\n"
    "      const next = p.runs[j + 1];\n"
    "      if (!next || next[2] !== r[2]) t.append(el('br'));\n"
    "    });\n"
    "    d.append(img, t, el('div', 'boxes'));\n"
    "    frag.append(d);\n"
    "  });\n"
    "  await Promise.all(loads);\n"
    "  $('pages').replaceChildren(frag);\n"
    "  /* each run stretched to its width on the page, so a selection covers the words drawn */\n"
    "  const spans = Array.from(document.querySelectorAll('#pages .text span'));\n"
    "  const widths = spans.map(s => s.getBoundingClientRect().width);\n"
    "  spans.forEach((s, i) => { if (widths[i] > 0) s.style.transform = 'scaleX(' + s.dataset.w / widths[i] + ')'; });\n"
    "  shown = key;\n"
    "  boxesFor = null;\n"
    "  if ($('boxes').checked) await drawBoxes();\n"
    "}\n"
    "async function drawBoxes() {\n"
    "  if (boxesFor === shown || shown === null) return;\n"
    "  const want = shown;\n"
    "  const b = await (await fetch('/boxes.json?v=' + want, {cache: 'no-store'})).json();\n"
    "  if (want !== shown) return;\n"
    "  const pages = document.querySelectorAll('#pages .page');\n"
    "  b.pages.forEach((list, i) => {\n"
    "    const layer = pages[i] && pages[i].querySelector('.boxes');\n"
    "    if (!layer) return;\n"
    "    layer.replaceChildren();\n"
    "    for (const x of list) {\n"
    "      if (x.kind === 'line') continue;\n"
    "      const d = el('div', 'box ' + x.kind + (x.official ? ' official' : ''));\n"
    "      d.style.left = x.x * K + 'px';\n"
    "      d.style.top = x.y * K + 'px';\n"
    "      d.style.width = x.w * K + 'px';\n"
    "      d.style.height = x.h * K + 'px';\n"
    "      if (x.official) d.append(el('b', null, '\\u00f4 ' + x.official + ' ' + x.name));\n"
    "      layer.append(d);\n"
    "    }\n"
    "  });\n"
    "  boxesFor = want;\n"
    "}\n"
    "function showErrors(st) {\n"
    "  const e = $('errors');\n"
    "  e.replaceChildren();\n"
    "  if (!st.ok && !st.diags.length) e.append(el('div', 'where', 'The render failed: the terminal says why.'));\n"
    "  for (const d of st.diags) {\n"
    "    const div = el('div', 'diag ' + d.severity);\n"
    "    div.append(el('div', 'where', d.text));\n"
    "    if (d.source) div.append(el('pre', null, d.source));\n"
    "    e.append(div);\n"
    "  }\n"
    "  e.classList.toggle('show', e.childElementCount > 0);\n"
    "  e.classList.toggle('warn', st.ok);\n"
    "}\n"
    "async function refresh() {\n"
    "  let st;\n"
    "  try {\n"
    "    st = await (await fetch('/state.json', {cache: 'no-store'})).json();\n"
    "  } catch (err) {\n"
    "    return;\n"
    "  }\n"
    "  source = st.source;\n"
    "  document.title = st.source + ' \\u2014 vanban';\n"
    "  $('ovl').hidden = !st.overlay;\n"
    "  const key = st.boot + '-' + st.good;\n"
    "  if (st.good && key !== shown) await showPages(st, key);\n"
    "  showErrors(st);\n"
    "  $('pages').classList.toggle('stale', !st.ok);\n"
    "  $('bar').className = st.ok ? '' : 'error';\n"
    "  const when = new Date().toLocaleTimeString();\n"
    "  $('status').textContent = !st.version ? st.source + ': rendering\\u2026'\n"
    "    : st.ok ? st.source + ': ' + st.pages.length + (st.pages.length === 1 ? ' page' : ' pages') +\n"
    "              ', rendered at ' + when + ' in ' + st.ms.toFixed(1) + ' ms'\n"
    "    : st.source + ': error at ' + when + (st.good ? '; the last good pages are shown dimmed' : '');\n"
    "  document.body.dataset.version = st.version;\n"
    "  document.body.dataset.state = st.version ? (st.ok ? 'ok' : 'error') : 'waiting';\n"
    "}\n"
    "function schedule() { queue = queue.then(refresh, refresh); }\n"
    "function connect() {\n"
    "  const es = new EventSource('/events');\n"
    "  es.onopen = schedule;\n"
    "  es.onmessage = schedule;\n"
    "  es.onerror = () => {\n"
    "    $('bar').className = 'off';\n"
    "    $('status').textContent = (source ? source + ': ' : '') + 'the server is gone; waiting for it\\u2026';\n"
    "    if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(connect, 1000); }\n"
    "  };\n"
    "}\n"
    "$('boxes').addEventListener('change', () => {\n"
    "  document.body.classList.toggle('overlay', $('boxes').checked);\n"
    "  if ($('boxes').checked) queue = queue.then(drawBoxes).catch(() => {});\n"
    "});\n"
    "connect();\n"
    "</script>\n"
    "</body></html>\n";

/* ------------------------------------------------------------ requests */

typedef struct stream {
    vb_server_t *s;
    int sent; /* the render last told; -1 none */
} stream_t;

/* The event stream: "rendered N" / "error N" when a render comes, a comment every PING_SECONDS. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream_t *e = cls;
    vb_server_t *s = e->s;
    if (pos == 0)
        return snprintf(buf, max, "retry: 1000\n\n"); /* reconnect after a second when the stream breaks */
    pthread_mutex_lock(&s->mu);
    while (!s->stopping && (s->version == e->sent || (e->sent < 0 && s->version == 0))) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += PING_SECONDS;
        if (pthread_cond_timedwait(&s->changed, &s->mu, &until) == ETIMEDOUT && !s->stopping &&
            s->version == e->sent) {
            pthread_mutex_unlock(&s->mu);
            return snprintf(buf, max, ": ping\n\n");
        }
    }
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    e->sent = s->version;
    int n = snprintf(buf, max, "data: %s %d\n\n", s->ok ? "rendered" : "error", s->version);
    pthread_mutex_unlock(&s->mu);
    return n;
}

static void
stream_free(void *cls)
{
    free(cls);
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *type, const void *data, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (!strncmp(type, "text/html", 9))
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                "img-src 'self'; connect-src 'self'");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return reply(c, status, "text/plain; charset=utf-8", msg, strlen(msg));
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
           const char *upload_data, size_t *upload_size, void **con_cls)
{
    vb_server_t *s = cls;
    (void)version;
    (void)upload_data;
    (void)con_cls;
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
    if (*upload_size)
        return reply_text(c, MHD_HTTP_BAD_REQUEST, "no body expected\n");
    if (!host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return reply_text(c, MHD_HTTP_FORBIDDEN, "this preview answers to 127.0.0.1, localhost or [::1] only\n");
    if (!strcmp(url, "/"))
        return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", PAGE_HTML, sizeof PAGE_HTML - 1);
    if (!strcmp(url, "/events")) {
        stream_t *e = malloc(sizeof *e);
        if (!e)
            return MHD_NO;
        e->s = s;
        e->sent = -1;
        struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 512, stream_read, e, stream_free);
        if (!r) {
            free(e);
            return MHD_NO;
        }
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ret;
    }
    enum MHD_Result ret;
    if (!strcmp(url, "/state.json")) {
        pthread_mutex_lock(&s->mu);
        ret = reply(c, MHD_HTTP_OK, "application/json", s->state, s->state_len);
        pthread_mutex_unlock(&s->mu);
        return ret;
    }
    if (!strcmp(url, "/boxes.json")) {
        if (!s->overlay)
            return reply_text(c, MHD_HTTP_NOT_FOUND, "the boxes are served with --overlay\n");
        pthread_mutex_lock(&s->mu);
        ret = s->boxes ? reply(c, MHD_HTTP_OK, "application/json", s->boxes, s->boxes_len)
                       : reply(c, MHD_HTTP_OK, "application/json", "{\"pages\":[]}", 12);
        pthread_mutex_unlock(&s->mu);
        return ret;
    }
    int page, used = 0;
    if (sscanf(url, "/page/%d.png%n", &page, &used) == 1 && used > 0 && !url[used] && page >= 1) {
        pthread_mutex_lock(&s->mu);
        if (page <= s->npages && s->pngs[page - 1].n)
            ret = reply(c, MHD_HTTP_OK, "image/png", s->pngs[page - 1].p, s->pngs[page - 1].n);
        else
            ret = reply_text(c, MHD_HTTP_NOT_FOUND, "no such page\n");
        pthread_mutex_unlock(&s->mu);
        return ret;
    }
    return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

/* ------------------------------------------------------------ after each render (the watch loop's thread) */

void
serve_diag(vb_server_t *s, const vb_diag_t *d)
{
    if (!s || s->ndiags >= 200)
        return;
    char text[2400], src[4096] = "";
    vb_diag_format_ex(d, VB_DIAG_FORMAT_FIX, text, sizeof text);
    if (d->source[0] && d->line >= 1 && d->col >= 1) {
        if (!s->file_name || strcmp(s->file_name, d->source)) {
            free(s->file_name);
            vb_free(s->file_text);
            s->file_name = s->file_text = NULL;
            void *data = NULL;
            size_t len = 0;
            vb_diag_t ignored;
            if (vb_file_load(d->source, &data, &len, &ignored) == VB_OK && len <= (64u << 20) &&
                (s->file_name = strdup(d->source))) {
                s->file_text = data;
                s->file_len = len;
            } else {
                vb_free(data);
            }
        }
        if (s->file_text)
            format_diag_source(d, s->file_text, s->file_len, src, sizeof src);
    }
    vb_buf_t *b = &s->diags;
    if (s->ndiags++)
        vb_buf_puts(b, ",");
    vb_buf_puts(b, "{\"severity\":");
    sb_json(b, d->severity == VB_SEVERITY_ERROR ? "error" : "warning");
    vb_buf_puts(b, ",\"id\":");
    sb_json(b, d->id);
    vb_buf_puts(b, ",\"file\":");
    sb_json(b, d->source);
    vb_buf_printf(b, ",\"line\":%d,\"col\":%d,\"text\":", d->line, d->col);
    sb_json(b, text);
    vb_buf_puts(b, ",\"source\":");
    sb_json(b, src);
    vb_buf_puts(b, "}");
}

static const char *
kind_name(vb_box_kind_t k)
{
    switch (k) {
    case VB_BOX_TEXT_BLOCK:
        return "text_block";
    case VB_BOX_COLUMN:
        return "column";
    case VB_BOX_ITEM:
        return "item";
    case VB_BOX_PARAGRAPH:
        return "paragraph";
    case VB_BOX_LINE:
        return "line";
    case VB_BOX_TABLE:
        return "table";
    case VB_BOX_CELL:
        return "cell";
    case VB_BOX_FOOTNOTE:
        return "footnote";
    case VB_BOX_IMAGE:
        return "image";
    case VB_BOX_SIGNATURE:
        return "signature";
    case VB_BOX_SEAL:
        return "seal";
    }
    return "other";
}

static int
png_write(void *ctx, const void *data, size_t len)
{
    return vb_buf_add(ctx, data, len) ? 1 : 0;
}

/*
 * What the files a document was made from other than its source are (the profile, the images: their
 * size and time of change), into b: a page whose runs and boxes are unchanged may still change when
 * an image or the profile did (a rule's width, an image's pixels), and then every page is drawn again.
 */
static void
inputs_key(const vb_document_t *doc, vb_buf_t *b)
{
    const char *p;
    for (int i = 1; (p = vb_document_input(doc, i)); i++) {
        struct stat st;
        if (stat(p, &st) != 0)
            memset(&st, 0, sizeof st);
        sb_json(b, p);
        vb_buf_printf(b, "%lld.%ld:%lld;", (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, (long long)st.st_size);
    }
}

/*
 * Page i's image is drawn from its display list; the public API shows its runs (text, font, size,
 * place) and boxes, which move with any change of the layout. The key: those, the page's size and
 * the inputs' key. A page whose key is the previous good render's keeps that render's PNG (a
 * one-character edit usually changes a page or two; drawing one takes tens of milliseconds).
 */
static void
page_key(const vb_document_t *doc, int i, const vb_page_info_t *pi, const char *inputs, vb_buf_t *b)
{
    vb_buf_puts(b, inputs);
    vb_buf_printf(b, "|%" PRId64 "x%" PRId64 "|", pi->width, pi->height);
    for (int r = 0; r < pi->nruns; r++) {
        vb_run_t run;
        if (vb_document_run(doc, i, r, &run) != VB_OK)
            continue;
        sb_json_n(b, run.text, run.text_len);
        sb_json(b, run.font);
        vb_buf_printf(b, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%d;", run.x, run.y, run.width, run.size,
                      run.nglyphs);
    }
    for (int k = 0; k < pi->nboxes; k++) {
        const vb_box_t *x = vb_document_box(doc, i, k);
        if (x)
            vb_buf_printf(b, "%d:%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ";", (int)x->kind, x->x, x->y, x->w, x->h);
    }
}

/* The pages (sizes, labels, text runs) as JSON, their PNGs, and their boxes as JSON. */
static void
draw_document(vb_server_t *s, const vb_document_t *doc, vb_buf_t *pages, vb_buf_t **pngs_out, int *npages_out,
              vb_buf_t *boxes)
{
    int n = vb_document_page_count(doc);
    vb_buf_t *pngs = calloc(n > 0 ? (size_t)n : 1, sizeof *pngs);
    char **keys = calloc(n > 0 ? (size_t)n : 1, sizeof *keys);
    vb_buf_t inputs = {0};
    inputs_key(doc, &inputs);
    if (inputs.oom && keys) { /* no key: every page drawn, none kept for the next render */
        free(keys);
        keys = NULL;
    }
    vb_buf_puts(pages, "[");
    vb_buf_puts(boxes, "{\"pages\":[");
    for (int i = 0; i < n; i++) {
        vb_page_info_t pi;
        if (vb_document_page(doc, i, &pi) != VB_OK)
            memset(&pi, 0, sizeof pi);
        vb_buf_printf(pages, "%s{\"w\":%" PRId64 ",\"h\":%" PRId64 ",\"label\":", i ? "," : "", pi.width, pi.height);
        sb_json(pages, pi.label);
        vb_buf_puts(pages, ",\"runs\":[");
        for (int r = 0, k = 0; r < pi.nruns; r++) {
            vb_run_t run;
            if (vb_document_run(doc, i, r, &run) != VB_OK)
                continue;
            vb_buf_puts(pages, k++ ? ",[" : "[");
            sb_json_n(pages, run.text, run.text_len);
            vb_buf_printf(pages, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 "]", run.x, run.y, run.width, run.size);
        }
        vb_buf_puts(pages, "]}");
        if (s->overlay) {
            vb_buf_puts(boxes, i ? ",[" : "[");
            for (int b = 0, k = 0; b < pi.nboxes; b++) {
                const vb_box_t *x = vb_document_box(doc, i, b);
                if (!x)
                    continue;
                vb_buf_printf(boxes, "%s{\"kind\":\"%s\",\"official\":%d,\"name\":", k++ ? "," : "",
                              kind_name(x->kind), x->official);
                sb_json(boxes, x->name);
                vb_buf_printf(boxes, ",\"x\":%" PRId64 ",\"y\":%" PRId64 ",\"w\":%" PRId64 ",\"h\":%" PRId64 "}",
                              x->x, x->y, x->w, x->h);
            }
            vb_buf_puts(boxes, "]");
        }
        vb_buf_t key = {0};
        page_key(doc, i, &pi, inputs.p ? inputs.p : "", &key);
        if (keys && !key.oom) {
            keys[i] = key.p;
            key.p = NULL;
        }
        vb_buf_free(&key);
        /* the previous good render's image of the same page, when it was drawn from the same things
           (s->pngs is written by this thread only: reading it needs no lock) */
        if (pngs && keys && keys[i] && i < s->nkeys && i < s->npages && s->keys[i] && !strcmp(s->keys[i], keys[i]) &&
            s->pngs[i].n && vb_buf_add(&pngs[i], s->pngs[i].p, s->pngs[i].n) == 0)
            continue;
        if (pngs) {
            vb_diag_t d;
            vb_buf_clear(&pngs[i]);
            if (vb_document_png(doc, i, PREVIEW_DPI, png_write, &pngs[i], &d) != VB_OK) {
                char buf[1200];
                vb_diag_format(&d, buf, sizeof buf);
                fprintf(stderr, "vanban: the preview of page %d: %s\n", i + 1, buf);
                vb_buf_clear(&pngs[i]);
                if (keys) {
                    free(keys[i]); /* drawn again next time */
                    keys[i] = NULL;
                }
            }
        }
    }
    vb_buf_free(&inputs);
    for (int i = 0; i < s->nkeys; i++)
        free(s->keys[i]);
    free(s->keys);
    s->keys = keys;
    s->nkeys = keys ? n : 0;
    vb_buf_puts(pages, "]");
    vb_buf_puts(boxes, "]}");
    *pngs_out = pngs;
    *npages_out = pngs ? n : 0;
}

static void
pngs_free(vb_buf_t *p, int n)
{
    for (int i = 0; i < n; i++)
        vb_buf_free(&p[i]);
    free(p);
}

void
serve_render_done(void *ctx, const vb_document_t *doc, vb_status_t st, double ms)
{
    vb_server_t *s = ctx;
    vb_buf_t *pngs = NULL;
    int npages = 0;
    vb_buf_t boxes = {0};
    bool good = st == VB_OK && doc;
    if (good) {
        vb_buf_t pages = {0};
        draw_document(s, doc, &pages, &pngs, &npages, &boxes);
        if (pages.oom || boxes.oom) {
            fprintf(stderr, "vanban: out of memory for the preview's pages\n");
            vb_buf_free(&pages);
            vb_buf_free(&boxes);
            pngs_free(pngs, npages);
            pngs = NULL;
            npages = 0;
            good = false;
            for (int i = 0; i < s->nkeys; i++) /* they describe images not kept */
                free(s->keys[i]);
            free(s->keys);
            s->keys = NULL;
            s->nkeys = 0;
        } else {
            free(s->pages_json);
            s->pages_json = pages.p;
        }
    }
    pthread_mutex_lock(&s->mu);
    int version = s->version + 1, good_version = good ? version : s->good;
    pthread_mutex_unlock(&s->mu);

    vb_buf_t state = {0};
    long long us = ms > 0 ? (long long)(ms * 1000 + 0.5) : 0; /* no %f: its decimal point follows the locale */
    vb_buf_printf(&state, "{\"boot\":\"%llx\",\"version\":%d,\"ok\":%s,\"good\":%d,\"overlay\":%s,\"ms\":%lld.%03lld,"
                  "\"source\":", s->boot, version, st == VB_OK ? "true" : "false", good_version,
                  s->overlay ? "true" : "false", us / 1000, us % 1000);
    sb_json(&state, s->source);
    vb_buf_puts(&state, ",\"pages\":");
    vb_buf_puts(&state, s->pages_json ? s->pages_json : "[]");
    vb_buf_puts(&state, ",\"diags\":[");
    if (s->diags.p)
        vb_buf_puts(&state, s->diags.p);
    vb_buf_puts(&state, "]}");
    vb_buf_free(&s->diags);
    s->ndiags = 0;
    free(s->file_name);
    vb_free(s->file_text);
    s->file_name = s->file_text = NULL;
    if (state.oom) {
        fprintf(stderr, "vanban: out of memory for the preview's state\n");
        vb_buf_free(&state);
    }

    pthread_mutex_lock(&s->mu);
    s->version = version;
    s->ok = st == VB_OK;
    s->ms = ms;
    if (state.p) {
        free(s->state);
        s->state = state.p;
        s->state_len = state.n;
    }
    if (good) {
        s->good = version;
        vb_buf_t *old = s->pngs;
        int nold = s->npages;
        s->pngs = pngs;
        s->npages = npages;
        pngs = old;
        npages = nold;
        char *ob = s->boxes;
        s->boxes = boxes.p;
        s->boxes_len = boxes.n;
        boxes.p = ob;
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
    pngs_free(pngs, npages); /* the previous pages: no request holds them (a request copies under the lock) */
    free(boxes.p);
}

/* ------------------------------------------------------------ start, stop */

int
serve_start(const char *addr, bool overlay, const char *source, vb_server_t **out)
{
    *out = NULL;
    struct sockaddr_storage sa;
    socklen_t salen;
    char host[64];
    if (!parse_addr(addr ? addr : "", &sa, &salen, host, sizeof host))
        return 2;
    vb_server_t *s = calloc(1, sizeof *s);
    if (!s || !(s->source = strdup(source))) {
        free(s);
        fprintf(stderr, "vanban: out of memory\n");
        return 3;
    }
    s->overlay = overlay;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    s->boot = (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&s->changed, &ca);
    pthread_condattr_destroy(&ca);
    static const char waiting[] = "{\"boot\":\"0\",\"version\":0,\"ok\":false,\"good\":0,\"overlay\":false,\"ms\":0,"
                                  "\"source\":\"\",\"pages\":[],\"diags\":[]}";
    vb_buf_t st0 = {0};
    vb_buf_printf(&st0, "{\"boot\":\"%llx\",\"version\":0,\"ok\":false,\"good\":0,\"overlay\":%s,\"ms\":0,\"source\":",
                  s->boot, overlay ? "true" : "false");
    sb_json(&st0, source);
    vb_buf_puts(&st0, ",\"pages\":[],\"diags\":[]}");
    if (st0.oom) {
        vb_buf_free(&st0);
        st0.p = strdup(waiting);
        st0.n = st0.p ? strlen(st0.p) : 0;
    }
    s->state = st0.p;
    s->state_len = st0.n;

    /* the server's threads take no signals: the watch loop's handler runs in the main thread */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION; /* no MHD log: ours names the port */
    if (sa.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!s->daemon) {
        int port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                                  : ((struct sockaddr_in *)&sa)->sin_port);
        fprintf(stderr, "vanban: cannot listen on %s:%d: %s\n", host, port,
                err ? strerror(err) : "the port is taken or not allowed");
        serve_stop(s);
        return 3;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    snprintf(s->url, sizeof s->url, "http://%s:%d/", host, s->port);
    printf("serving the preview at %s\n", s->url);
    fflush(stdout);
    *out = s;
    return 0;
}

void
serve_stop(vb_server_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->mu);
    free(s->state);
    free(s->boxes);
    pngs_free(s->pngs, s->npages);
    free(s->pages_json);
    for (int i = 0; i < s->nkeys; i++)
        free(s->keys[i]);
    free(s->keys);
    vb_buf_free(&s->diags);
    free(s->file_name);
    vb_free(s->file_text);
    free(s->source);
    free(s);
}
