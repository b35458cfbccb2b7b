/*
 * base.c - the arena, diagnostics, locale-free numbers and UTF-8 helpers that
 * every module uses (see base.h). No outside library.
 *
 * The arena hands out zeroed memory from large chunks and frees everything at
 * once: a document's nodes, strings, glyphs and pages all die together, so no
 * module has to track ownership of the pieces it makes.
 */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- arena */

#define ARENA_CHUNK (64 * 1024)

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    /* data follows, aligned by the max_align_t member below */
    max_align_t data[];
} chunk_t;

struct vb_arena {
    chunk_t *head;
};

vb_arena_t *
vb_arena_new(void)
{
    return calloc(1, sizeof(vb_arena_t));
}

void
vb_arena_free(vb_arena_t *a)
{
    if (!a)
        return;
    chunk_t *c = a->head;
    while (c) {
        chunk_t *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void
vb_arena_reset(vb_arena_t *a)
{
    /* keep the most recent standard chunk, free the rest */
    chunk_t *keep = NULL;
    for (chunk_t *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep && c->size == ARENA_CHUNK) {
            keep = c;
            continue;
        }
        free(c);
    }
    a->head = keep;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
}

void *
vb_arena_alloc_raw(vb_arena_t *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    chunk_t *c = a->head;
    if (!c || c->size - c->used < n) {
        /* Large requests get a chunk of their own, behind the current one,
         * so the current chunk's free space is not wasted. */
        size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        chunk_t *nc = malloc(sizeof(chunk_t) + size);
        if (!nc)
            return NULL;
        nc->size = size;
        nc->used = 0;
        if (size != ARENA_CHUNK && c) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* n bytes from the arena, not cleared (the callers clear what they do not fill) */
static void *
arena_take(vb_arena_t *a, size_t n)
{
    return vb_arena_alloc_raw(a, n);
}

void *
vb_arena_alloc(vb_arena_t *a, size_t n)
{
    void *p = vb_arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

char *
vb_arena_strndup(vb_arena_t *a, const char *s, size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    char *p = arena_take(a, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *
vb_arena_strdup(vb_arena_t *a, const char *s)
{
    return vb_arena_strndup(a, s, strlen(s));
}

char *
vb_arena_printf(vb_arena_t *a, const char *fmt, ...)
{
    /* most texts fit a small buffer: formatted once, then copied */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = vb_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
        return p;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

bool
vb_buf_reserve(vb_buf_t *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra > SIZE_MAX / 2 - b->n) {
        b->oom = true;
        return false;
    }
    size_t need = b->n + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

int
vb_buf_add(vb_buf_t *b, const void *s, size_t n)
{
    if (!vb_buf_reserve(b, n))
        return -1;
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

int
vb_buf_puts(vb_buf_t *b, const char *s)
{
    return vb_buf_add(b, s, strlen(s));
}

int
vb_buf_putc(vb_buf_t *b, char c)
{
    return vb_buf_add(b, &c, 1);
}

int
vb_buf_printf(vb_buf_t *b, const char *fmt, ...)
{
    if (b->oom)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true; /* an encoding error: the text cannot be made, reported as a failed append */
        return -1;
    }
    if (!vb_buf_reserve(b, (size_t)n))
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
    return 0;
}

char *
vb_buf_take(vb_buf_t *b, size_t *len)
{
    if (!b->oom && !b->p)
        vb_buf_reserve(b, 0);
    char *p = b->oom ? NULL : b->p;
    if (b->oom)
        free(b->p);
    else
        p[b->n] = 0;
    if (len)
        *len = p ? b->n : 0;
    *b = (vb_buf_t){0};
    return p;
}

void
vb_buf_free(vb_buf_t *b)
{
    free(b->p);
    *b = (vb_buf_t){0};
}

int
vb_vec_grow_raw(vb_arena_t *a, void **v, int n, int *cap, size_t elem, int need)
{
    if (need <= *cap)
        return 0;
    int ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > INT32_MAX / 2)
            return -1;
        ncap *= 2;
    }
    void *nv = arena_take(a, elem * (size_t)ncap);
    if (!nv)
        return -1;
    if (*v && n > 0)
        memcpy(nv, *v, elem * (size_t)n);
    *v = nv;
    *cap = ncap;
    return 0;
}

int
vb_vec_grow(vb_arena_t *a, void **v, int *cap, size_t elem, int need)
{
    /* the old items copied, only the new room cleared (as vb_arena_alloc would have) */
    int old = *v ? *cap : 0;
    if (vb_vec_grow_raw(a, v, old, cap, elem, need))
        return -1;
    if (*cap > old)
        memset((char *)*v + elem * (size_t)old, 0, elem * (size_t)(*cap - old));
    return 0;
}

/* ---------------------------------------------------------- diagnostics */

const char *
vb_tr(const char *msgid)
{
    return msgid && *msgid ? dgettext(VB_TEXT_DOMAIN, msgid) : msgid;
}

vb_status_t
vb_diag_vset(vb_diag_t *d, vb_status_t code, const char *id, const char *source, int line, int col,
             const char *fmt, va_list ap)
{
    if (!d || d->code != VB_OK)
        return code;
    d->code = code;
    snprintf(d->id, sizeof d->id, "%s", id ? id : "");
    snprintf(d->source, sizeof d->source, "%s", source ? source : "");
    d->line = line;
    d->col = col;
    vsnprintf(d->msg, sizeof d->msg, vb_tr(fmt), ap);
    return code;
}

vb_status_t
vb_diag_set(vb_diag_t *d, vb_status_t code, const char *id, const char *source, int line, int col,
            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vb_diag_vset(d, code, id, source, line, col, fmt, ap);
    va_end(ap);
    return code;
}

vb_status_t
vb_diag_nomem(vb_diag_t *d)
{
    return vb_diag_set(d, VB_E_NOMEM, "memory", NULL, 0, 0, "Out of memory.");
}

/* ------------------------------------------------------------- the sink */

void
vb_sink_init(vb_sink_t *s, vb_diag_t *first, vb_diag_fn fn, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->first = first;
    s->fn = fn;
    s->ctx = ctx;
}

/* Counts d, keeps it when it is the first error, hands it to the callback. */
static vb_status_t
sink_put(vb_sink_t *s, const vb_diag_t *d)
{
    if (d->severity == VB_SEVERITY_WARNING) {
        s->warnings++;
    } else {
        s->errors++;
        if (s->status == VB_OK) {
            s->status = d->code;
            if (s->first && s->first->code == VB_OK)
                *s->first = *d;
        }
    }
    if (s->fn)
        s->fn(d, s->ctx);
    return d->severity == VB_SEVERITY_WARNING ? VB_OK : d->code;
}

vb_status_t
vb_vreport(vb_sink_t *s, vb_severity_t sev, vb_status_t code, const char *id, const char *source, vb_range_t at,
           const vb_fix_t *fix, const char *fmt, va_list ap)
{
    if (!s)
        return sev == VB_SEVERITY_WARNING ? VB_OK : code;
    vb_diag_t d;
    memset(&d, 0, sizeof d);
    vb_diag_vset(&d, code, id, source, at.line, at.col, fmt, ap);
    d.severity = sev;
    d.end_line = at.end_line;
    d.end_col = at.end_col;
    if (fix && fix->text) {
        d.has_fix = 1;
        snprintf(d.fix, sizeof d.fix, "%s", fix->text);
        snprintf(d.fix_note, sizeof d.fix_note, "%s", fix->note ? vb_tr(fix->note) : "");
        d.fix_safe = fix->safe;
    }
    return sink_put(s, &d);
}

vb_status_t
vb_report(vb_sink_t *s, vb_severity_t sev, vb_status_t code, const char *id, const char *source, vb_range_t at,
          const vb_fix_t *fix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vb_status_t st = vb_vreport(s, sev, code, id, source, at, fix, fmt, ap);
    va_end(ap);
    return st;
}

vb_status_t
vb_sink_take(vb_sink_t *s, const vb_diag_t *d)
{
    if (!d || d->code == VB_OK)
        return VB_OK;
    if (!s)
        return d->severity == VB_SEVERITY_WARNING ? VB_OK : d->code;
    return sink_put(s, d);
}

static void
hold(const vb_diag_t *d, void *ctx)
{
    vb_held_t *h = ctx;
    (void)VB_PUSH(h->arena, h->v, *d); /* out of memory: the warning is lost, the render goes on */
}

void
vb_sink_hold(vb_sink_t *s, vb_held_t *h, vb_arena_t *arena)
{
    memset(h, 0, sizeof *h);
    h->arena = arena;
    vb_sink_init(s, NULL, hold, h);
}

void
vb_held_release(vb_held_t *h, vb_sink_t *to, bool warnings)
{
    for (int i = 0; i < h->v.n; i++)
        if (warnings || h->v.v[i].severity != VB_SEVERITY_WARNING)
            vb_sink_take(to, &h->v.v[i]);
    h->v.n = 0;
}

vb_range_t
vb_range_of(int line, int col, const char *text)
{
    vb_range_t r = {line, col, 0, 0};
    if (!text || line <= 0 || col <= 0 || strchr(text, '\n'))
        return r;
    int n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    if (n > 0) {
        r.end_line = line;
        r.end_col = col + n;
    }
    return r;
}

/*
 * Copies s into out (size bytes) with every control character written as an
 * escape (\n, \r, \t, \xHH): a file name holding a newline cannot start a
 * second, forged diagnostic line. Returns out.
 */
static const char *
escape_controls(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7F) {
            out[o++] = (char)c;
            continue;
        }
        out[o++] = '\\';
        if (c == '\n')
            out[o++] = 'n';
        else if (c == '\r')
            out[o++] = 'r';
        else if (c == '\t')
            out[o++] = 't';
        else
            o += (size_t)snprintf(out + o, size - o, "x%02X", c);
    }
    out[o] = 0;
    return out;
}

static void
diag_format(const vb_diag_t *d, const char *what, bool with_fix, char *buf, size_t size)
{
    char src[sizeof d->source * 4], msg[sizeof d->msg * 4], id[sizeof d->id * 4];
    escape_controls(d->source[0] ? d->source : "vanban", src, sizeof src);
    escape_controls(d->msg, msg, sizeof msg);
    escape_controls(d->id, id, sizeof id);
    int n;
    if (d->line > 0 && d->col > 0)
        n = snprintf(buf, size, "%s:%d:%d: %s: %s [%s]", src, d->line, d->col, what, msg, id);
    else if (d->line > 0)
        n = snprintf(buf, size, "%s:%d: %s: %s [%s]", src, d->line, what, msg, id);
    else
        n = snprintf(buf, size, "%s: %s: %s [%s]", src, what, msg, id);
    if (!with_fix || !d->has_fix || n < 0 || (size_t)n >= size)
        return;
    char fix[sizeof d->fix * 4], note[sizeof d->fix_note * 4];
    escape_controls(d->fix, fix, sizeof fix);
    escape_controls(d->fix_note, note, sizeof note);
    /* TRANSLATORS: the line under a finding: the text to type, then in brackets what the fix does */
    snprintf(buf + n, size - (size_t)n, vb_tr("\n  fix: replace with \xE2\x80\x9C%s\xE2\x80\x9D%s%s%s"), fix,
             note[0] ? " (" : "", note, note[0] ? ")" : "");
}

static const char *
severity_word(const vb_diag_t *d)
{
    return d->severity == VB_SEVERITY_WARNING ? vb_tr("warning") : vb_tr("error");
}

void
vb_diag_format(const vb_diag_t *d, char *buf, size_t size)
{
    diag_format(d, severity_word(d), false, buf, size);
}

void
vb_diag_format_warning(const vb_diag_t *d, char *buf, size_t size)
{
    diag_format(d, vb_tr("warning"), false, buf, size);
}

void
vb_diag_format_ex(const vb_diag_t *d, unsigned flags, char *buf, size_t size)
{
    diag_format(d, severity_word(d), (flags & VB_DIAG_FORMAT_FIX) != 0, buf, size);
}

/* ---------------------------------------------------------------- files */

static bool
file_read(vb_arena_t *arena, const char *path, int64_t max, size_t head, size_t tail, char **buf, size_t *len,
          vb_file_result_t *res)
{
    memset(res, 0, sizeof *res);
    *buf = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        res->status = VB_FILE_ERRNO;
        res->err = errno;
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        res->status = VB_FILE_ERRNO;
        res->err = errno;
        close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        res->status = VB_FILE_KIND;
        res->mode = (unsigned)st.st_mode;
        close(fd);
        return false;
    }
    if ((int64_t)st.st_size > max || (uint64_t)st.st_size >= SIZE_MAX - head - tail) {
        res->status = VB_FILE_TOO_LARGE;
        res->size = (int64_t)st.st_size;
        close(fd);
        return false;
    }
    /* the size when opened: a file that grows meanwhile is read up to that size */
    size_t n = (size_t)st.st_size, got = 0;
    char *b = arena ? vb_arena_alloc(arena, n + 1) : malloc(head + n + tail + 1);
    if (!b) {
        res->status = VB_FILE_NOMEM;
        close(fd);
        return false;
    }
    while (got < n) {
        ssize_t r = read(fd, b + head + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            res->status = VB_FILE_ERRNO;
            res->err = errno;
            close(fd);
            if (!arena)
                free(b);
            return false;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    b[head + got] = 0;
    *buf = b;
    *len = got;
    return true;
}

bool
vb_file_read(vb_arena_t *arena, const char *path, int64_t max, char **buf, size_t *len, vb_file_result_t *res)
{
    return file_read(arena, path, max, 0, 0, buf, len, res);
}

/*
 * The file mapped (private, copy on write) into a region with head writable
 * bytes before it and tail after: the pages the caller reads are mapped as
 * it reads them (with the kernel's read-around), none is copied, and only a
 * page it writes gets a copy of its own. NULL when it cannot be mapped
 * (then the caller reads the file instead); *m is what vb_file_unmap frees.
 */
static unsigned char *
file_map(const char *path, int64_t max, size_t head, size_t tail, vb_filemap_t *m, size_t *len,
         vb_file_result_t *res)
{
    memset(res, 0, sizeof *res);
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        res->status = VB_FILE_ERRNO;
        res->err = errno;
        return NULL;
    }
    struct stat st;
    unsigned char *p = NULL;
    long ps = sysconf(_SC_PAGESIZE);
    if (fstat(fd, &st) != 0) {
        res->status = VB_FILE_ERRNO;
        res->err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        res->status = VB_FILE_KIND;
        res->mode = (unsigned)st.st_mode;
    } else if ((int64_t)st.st_size > max) {
        res->status = VB_FILE_TOO_LARGE;
        res->size = (int64_t)st.st_size;
    } else if (st.st_size > 0 && ps > 0 && (uint64_t)st.st_size < SIZE_MAX / 2 - head - tail) {
        size_t pg = (size_t)ps, n = (size_t)st.st_size;
        size_t before = (head + pg - 1) / pg * pg, total = before + (n + tail + pg - 1) / pg * pg;
        void *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base != MAP_FAILED) {
            void *f = mmap((char *)base + before, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
            if (f == MAP_FAILED) {
                munmap(base, total);
            } else {
                m->base = base;
                m->len = total;
                p = (unsigned char *)base + before;
                *len = n;
            }
        }
    }
    close(fd);
    return p;
}

bool
vb_file_read_padded(const char *path, int64_t max, size_t head, size_t tail, char **buf, size_t *len,
                    vb_file_result_t *res)
{
    return file_read(NULL, path, max, head, tail, buf, len, res);
}

unsigned char *
vb_file_map_padded(const char *path, int64_t max, size_t head, size_t tail, vb_filemap_t *m, size_t *len,
                   vb_file_result_t *res)
{
    return file_map(path, max, head, tail, m, len, res);
}

void
vb_file_unmap(vb_filemap_t *m)
{
    if (m && m->base)
        munmap(m->base, m->len);
}

const char *
vb_file_why(const vb_file_result_t *res)
{
    switch (res->status) {
    case VB_FILE_OK:
        return "no error";
    case VB_FILE_ERRNO:
        return strerror(res->err);
    case VB_FILE_TOO_LARGE:
        return "it is too large";
    case VB_FILE_NOMEM:
        return "out of memory";
    case VB_FILE_KIND:
        break;
    }
    mode_t m = (mode_t)res->mode;
    if (S_ISDIR(m))
        return "it is a directory, not a file";
    if (S_ISFIFO(m))
        return "it is a FIFO (a named pipe), not a file";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "it is a device, not a file";
    if (S_ISSOCK(m))
        return "it is a socket, not a file";
    return "it is not a regular file";
}

char *
vb_loader_join(vb_arena_t *arena, const char *source, const char *name)
{
    const char *slash = source ? strrchr(source, '/') : NULL;
    if (name[0] == '/' || !slash)
        return vb_arena_strdup(arena, name);
    return vb_arena_printf(arena, "%.*s/%s", (int)(slash - source), source, name);
}

bool
vb_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* The absolute path p (malloc'd) with "//", "." and ".." removed by the letters alone, no file system access. */
static char *
lexical_clean(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *s = p; *s;) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t k = (size_t)(e - s);
        if (k == 0 || (k == 1 && s[0] == '.')) {
            /* nothing */
        } else if (k == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the '/' before the dropped component */
        } else {
            out[o++] = '/';
            memcpy(out + o, s, k);
            o += k;
        }
        s = e;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = 0;
    return out;
}

static bool
within_any(const char *path, const char *srcdir, const vb_loader_t *ld)
{
    if (srcdir && vb_path_within(path, srcdir))
        return true;
    for (int i = 0; ld && i < ld->ndirs; i++)
        if (ld->dirs[i] && vb_path_within(path, ld->dirs[i]))
            return true;
    return false;
}

vb_resolve_t
vb_loader_resolve(const vb_loader_t *loader, const char *source, const char *name, vb_arena_t *arena, char **real,
                  int *err)
{
    *real = NULL;
    *err = 0;
    const char *slash = source ? strrchr(source, '/') : NULL;
    char *srcdir_typed = slash ? strndup(source, slash == source ? 1 : (size_t)(slash - source)) : strdup(".");
    if (!srcdir_typed)
        return VB_RES_NOMEM;
    char *srcdir = realpath(srcdir_typed, NULL); /* NULL: the folder is gone; only the loader's folders */
    char *joined = NULL, *clean = NULL, *r = NULL, *up = NULL;
    vb_resolve_t out = VB_RES_NOMEM;
    if (name[0] == '/')
        joined = strdup(name);
    else if (srcdir) {
        joined = malloc(strlen(srcdir) + strlen(name) + 2);
        if (joined)
            sprintf(joined, "%s/%s", strcmp(srcdir, "/") ? srcdir : "", name);
    } else {
        out = VB_RES_OUTSIDE;
        goto done;
    }
    if (!joined || !(clean = lexical_clean(joined)))
        goto done;
    /* by the letters first: a name that leaves the folders is refused without looking at the file */
    if (!within_any(clean, srcdir, loader)) {
        out = VB_RES_OUTSIDE;
        goto done;
    }
    /*
     * The cleaned name is resolved, so ".." is read by its letters, never
     * through a link: "/etc/x/../../doc/a.png" cannot tell whether /etc/x
     * exists. The links that remain are followed and the end checked.
     */
    r = realpath(clean, NULL);
    if (r) {
        if (!within_any(r, srcdir, loader)) {
            out = VB_RES_OUTSIDE; /* a symbolic link out of the folder */
        } else if (!(*real = vb_arena_strdup(arena, r))) {
            out = VB_RES_NOMEM;
        } else {
            out = VB_RES_INSIDE;
        }
        goto done;
    }
    *err = errno;
    /*
     * Absent: it is "missing" only when its nearest existing folder is inside;
     * a link on the way that leads nowhere is refused, so where it points is
     * not said either.
     */
    if (!(up = strdup(clean)))
        goto done;
    for (bool first = true;; first = false) {
        char *ru = first ? NULL : realpath(up, NULL); /* the whole name was tried above */
        if (ru) {
            out = within_any(ru, srcdir, loader) ? VB_RES_MISSING : VB_RES_OUTSIDE;
            free(ru);
            break;
        }
        struct stat st;
        if ((lstat(up, &st) == 0 && S_ISLNK(st.st_mode)) || !strcmp(up, "/")) {
            out = VB_RES_OUTSIDE;
            break;
        }
        char *s = strrchr(up, '/');
        if (s == up)
            s[1] = 0; /* "/x": the root */
        else
            *s = 0;
    }
done:
    free(srcdir_typed);
    free(srcdir);
    free(joined);
    free(clean);
    free(r);
    free(up);
    return out;
}

const char *
vb_version(void)
{
    return VB_VERSION_STRING;
}

/* -------------------------------------------------------------- numbers */

/*
 * Parses "[-]digits[.digits]" into an integer scaled by 10^decimals; false
 * when there are more decimals than allowed or no digits. Sets *end.
 */
static bool
parse_fixed(const char *s, size_t len, int decimals, int64_t *out, size_t *end)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    int64_t v = 0;
    int ndig = 0, nfrac = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (v > INT64_MAX / 100)
            return false;
        v = v * 10 + (s[i] - '0');
        i++;
        ndig++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (nfrac >= decimals)
                return false;
            if (v > INT64_MAX / 100)
                return false;
            v = v * 10 + (s[i] - '0');
            i++;
            ndig++;
            nfrac++;
        }
    }
    if (ndig == 0)
        return false;
    for (; nfrac < decimals; nfrac++) {
        if (v > INT64_MAX / 100)
            return false;
        v *= 10;
    }
    *out = neg ? -v : v;
    *end = i;
    return true;
}

/*
 * Past this many 1/10000 mm, cm or in a length is far out of vb_len_t's range;
 * refusing it before scaling keeps v * 10 * 72000 within int64_t.
 */
#define HUGE_FIXED ((int64_t)1000000000000)

bool
vb_parse_length(const char *s, size_t len, vb_len_t *out)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    /* find the unit */
    size_t u = len;
    while (u > 0 && ((s[u - 1] >= 'a' && s[u - 1] <= 'z') || (s[u - 1] >= 'A' && s[u - 1] <= 'Z')))
        u--;
    const char *unit = s + u;
    size_t ulen = len - u;
    size_t nlen = u;
    while (nlen && s[nlen - 1] == ' ')
        nlen--;
    int64_t v;
    size_t end;
    int64_t r;
    if (ulen == 0 || (ulen == 2 && memcmp(unit, "pt", 2) == 0)) {
        if (!parse_fixed(s, nlen, 3, &v, &end) || end != nlen)
            return false;
        r = v; /* millipoints */
    } else if (ulen == 2 && (memcmp(unit, "mm", 2) == 0 || memcmp(unit, "cm", 2) == 0)) {
        if (!parse_fixed(s, nlen, 4, &v, &end) || end != nlen || v > HUGE_FIXED || v < -HUGE_FIXED)
            return false;
        /* v is in 1/10000 mm (or cm); 1 mm = 72000/25.4 mpt */
        int64_t tenth_um = unit[0] == 'c' ? v * 10 : v;
        r = (tenth_um * 72000 + (tenth_um >= 0 ? 127000 : -127000)) / 254000;
    } else if (ulen == 2 && memcmp(unit, "in", 2) == 0) {
        if (!parse_fixed(s, nlen, 4, &v, &end) || end != nlen || v > HUGE_FIXED || v < -HUGE_FIXED)
            return false;
        r = (v * 72000 + (v >= 0 ? 5000 : -5000)) / 10000;
    } else {
        return false;
    }
    if (r > INT32_MAX || r < INT32_MIN)
        return false;
    *out = (vb_len_t)r;
    return true;
}

bool
vb_parse_milli(const char *s, size_t len, int32_t *out)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    int64_t v;
    size_t end;
    if (len && s[len - 1] == '%') {
        /* "150%" -> 1500: a percentage has up to one decimal */
        if (!parse_fixed(s, len - 1, 1, &v, &end) || end != len - 1)
            return false;
    } else {
        if (!parse_fixed(s, len, 3, &v, &end) || end != len)
            return false;
    }
    if (v > INT32_MAX || v < INT32_MIN)
        return false;
    *out = (int32_t)v;
    return true;
}

bool
vb_parse_iso_date(const char *s, size_t len, int *year, int *month, int *day)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return false;
    *year = y, *month = m, *day = d;
    return true;
}

bool
vb_parse_int(const char *s, size_t len, int64_t *out)
{
    int64_t v;
    size_t end;
    if (!parse_fixed(s, len, 0, &v, &end) || end != len)
        return false;
    *out = v;
    return true;
}

int
vb_len_cmp(const void *a, const void *b)
{
    vb_len_t x = *(const vb_len_t *)a, y = *(const vb_len_t *)b;
    return x < y ? -1 : x > y;
}

int
vb_fmt_milli(char *buf, int64_t v)
{
    char tmp[32];
    int n = 0;
    bool neg = v < 0;
    uint64_t u = neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t ip = u / 1000, fp = u % 1000;
    /* integer part, reversed */
    do {
        tmp[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    int o = 0;
    if (neg && (u != 0))
        buf[o++] = '-';
    while (n)
        buf[o++] = tmp[--n];
    if (fp) {
        buf[o++] = '.';
        buf[o++] = (char)('0' + fp / 100);
        fp %= 100;
        if (fp) {
            buf[o++] = (char)('0' + fp / 10);
            fp %= 10;
            if (fp)
                buf[o++] = (char)('0' + fp);
        }
    }
    buf[o] = 0;
    return o;
}

/* -------------------------------------------------------------- hashing */

uint64_t
vb_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}


/* ---------------------------------------------------------------- UTF-8 */

int
vb_utf8_decode_multi(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* each length on its own path (Vietnamese letters are two and three bytes); refused, as
     * everywhere: a stray continuation byte, an overlong form, a surrogate, past U+10FFFF */
    if (c < 0xC2)
        return 0; /* a continuation byte, or C0 and C1, which only start overlong forms */
    if (c < 0xE0) {
        if (len < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (c > 0xF4 || len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return 0;
    uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
                 (s[3] & 0x3F);
    if (v < 0x10000 || v > 0x10FFFF)
        return 0;
    *cp = v;
    return 4;
}

int
vb_utf8_encode(uint32_t cp, char *buf)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

vb_status_t
vb_options_copy(const void *opt, size_t size, size_t known, void *out, const char *what, vb_diag_t *d)
{
    memset(out, 0, known);
    if (!opt)
        return VB_OK;
    const unsigned char *p = opt;
    for (size_t i = known; i < size; i++)
        if (p[i])
            return vb_diag_set(d, VB_E_USAGE, "options.size", NULL, 0, 0,
                               "The %s has size %zu, larger than the library's %zu, with fields it does not know "
                               "set: this library is older than the header the program was built with.",
                               what, size, known);
    memcpy(out, opt, size < known ? size : known);
    return VB_OK;
}
