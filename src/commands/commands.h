/*
 * commands.h - what the vanban programs' files share: main.c's helpers
 * (SOURCE_DATE_EPOCH, --limit, messages), paths.c's (finding the layouts and
 * fonts), the batch command (batch.c), the watch command (watch.c), the
 * source line and caret under a diagnostic (caret.c), the preview server
 * (serve.c, the program vanban-serve) and the signing commands (sign.c, the
 * program vanban-sign).
 */
#ifndef VB_COMMANDS_H
#define VB_COMMANDS_H

#include <libintl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vanban.h"

/* An argument echoed in a message, control characters escaped, into buf. */
const char *shown(const char *arg, char *buf, size_t size);
/* The limits (--limit NAME=N) and their defaults, for --help. */
void print_limits(FILE *f);
/* "--limit NAME=N" into lim; prints the problem and returns false on a bad one. */
bool parse_limit(vb_limits_t *lim, const char *arg);

/*
 * Where the options every command that reads a document takes go: --profile,
 * --layouts, --fonts, --allow-dir (into allow[0..max_allow), *nallow
 * counting), --allow-nonconforming, --limit (refused when limits is NULL).
 * prog names the command in messages ("vanban", "vanban batch").
 */
typedef struct doc_opts {
    const char **profile, **layouts, **fonts;
    const char **allow;
    int *nallow, max_allow;
    int *nonconforming;
    vb_limits_t *limits;
    const char *prog;
} doc_opts_t;
/* argv[*i] when it is one of those: 1 (*i past its value), 0 when not, -1 when wrong (said; exit 2) (main.c). */
int doc_option(int argc, char **argv, int *i, const doc_opts_t *o);
/* Prints a diagnostic (with its fix); ctx, when not NULL, is an int counting the errors. */
void on_diagnostic(const vb_diag_t *w, void *ctx);
/* The layouts folder: opt, $VANBAN_LAYOUTS, ./layouts, next to the binary, installed. */
const char *find_layouts(const char *opt, char *buf, size_t size);
/* A user's fonts folder: opt, $VANBAN_FONTS, ./fonts, or NULL. */
const char *find_fonts(const char *opt);
/* The exit status of a library status: 0 OK, 1 the document or profile, 2 usage, 3 I/O or internal. */
int cli_exit_code(vb_status_t st);
/* fn handles SIGINT, SIGTERM and SIGHUP (it removes the temporary files of what is being written). */
void catch_signals(void (*fn)(int));
/* The temporary PDF of the render in progress, told by the library (its on_tempfile) (paths.c) ... */
void cli_tempfile(const char *path, void *ctx);
/* ... and removed by a signal handler that ends the render: async-signal-safe (paths.c). */
void cli_unlink_temp(void);
/* SOURCE_DATE_EPOCH as a creation time (0: unset); false when it is malformed. */
bool source_date_epoch(int64_t *out);

/*
 * A diagnostic's source line and a caret under its column ("^~~~" over its
 * range) into buf, two lines without a final newline, from text (the file's
 * len bytes); "" when it has no line or the line is not in text (caret.c).
 */
void format_diag_source(const vb_diag_t *d, const char *text, size_t len, char *buf, size_t size);
/* As format_diag_source, reading the file the diagnostic names (kept for the next one), printed to f. */
void print_diag_source(FILE *f, const vb_diag_t *d);
/* Forgets the file print_diag_source kept (before a file may have changed). */
void forget_diag_sources(void);
/* on_diagnostic also prints each diagnostic's source line and caret (print_diag_source). */
void show_diag_sources(bool on);

/*
 * The language of the messages (paths.c): --lang vi|en on the command line,
 * else LANGUAGE, LC_ALL, LC_MESSAGES, LANG. Vietnamese: the text domain
 * "vanban" bound to the catalogues found beside the program (build tree or
 * installed), LC_MESSAGES set (C.UTF-8 when the Vietnamese locale is not
 * installed) and LANGUAGE=vi. English: nothing is done. True for Vietnamese.
 */
bool cli_messages(int argc, char **argv);
/* A message of the programs in the user's language (po/vi.po); English when there is no translation. */
#define vb_tr_cli(s) dgettext("vanban", s)
#define vb_tr_ncli(s, p, n) dngettext("vanban", s, p, n)
/* A text translated where it is used (vb_tr_cli(name)), marked where it is written, for xgettext. */
#define VB_CLI_N_(s) s

/* vanban check: argv[0] is "check". Returns the exit status (check.c). */
int vb_cmd_check(int argc, char **argv);

/* vanban watch: argv[0] is "watch". Returns the exit status (watch.c). */
int vb_cmd_watch(int argc, char **argv);

/* Runs the program prog_name (vanban-sign, vanban-preview, vanban-serve), found beside vanban, in this
   process's place (argv[0] is replaced); returns 3, with the problem printed, only when it cannot (main.c). */
int run_program(char **argv, const char *prog_name);

/*
 * The preview server of `vanban watch --serve` (serve.c, only in the program vanban-serve, the one that
 * links libmicrohttpd): serve_start listens on addr (a loopback address: PORT, :PORT, HOST[:PORT]; NULL or
 * "" the default) and prints its URL; returns an exit status (2: an address refused, 3: cannot listen).
 * serve_diag takes each diagnostic of the render in progress; serve_render_done (watch.c's render_done
 * hook, ctx the server) each render's end: doc is the document (NULL when it failed).
 */
typedef struct vb_server vb_server_t;
int serve_start(const char *addr, bool overlay, const char *source, vb_server_t **out);
void serve_diag(vb_server_t *s, const vb_diag_t *d);
void serve_render_done(void *ctx, const vb_document_t *doc, vb_status_t st, double ms);
void serve_stop(vb_server_t *s);

/* vanban convert: argv[0] is "convert". Returns the exit status (convert.c). */
int vb_cmd_convert(int argc, char **argv);

/* vanban batch: argv[0] is "batch". Returns the exit status. */
int vb_cmd_batch(int argc, char **argv);

/* vanban sign, issue, verify (sign.c, in the program vanban-sign): argv[0] is the command. */
int vb_cli_sign(int argc, char **argv, const char *default_layouts);

#endif
