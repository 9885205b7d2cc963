/*
 * util.h - small shared helpers: error reporting, growable strings, time.
 *
 * Error levels follow git: BUG() for broken invariants (aborts), die() for
 * fatal start-up errors (exits 1), and log_error()/log_info() to report and go on.
 */
#ifndef QMS_UTIL_H
#define QMS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))
void bug_at(const char *file, int line, const char *msg) __attribute__((noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A growable NUL-terminated byte string. */
struct sbuf {
	char *buf;
	size_t len, cap;
};
void sbuf_add(struct sbuf *sb, const char *s, size_t n);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *sb);

/* Wall clock in seconds / milliseconds since the epoch (never simulated). */
int64_t now_seconds(void);
double now_ms(void);
/*
 * The business clock: the time stamped on records (submitted_at, audit
 * entries …). It equals the wall clock, except in demo or test runs with a
 * simulated date, where it is shifted by whole days so records carry dates
 * of the simulated programme. Sessions, lockouts and job periods always use
 * now_seconds().
 */
int64_t now_business(void);
void clock_set_business_offset(int64_t seconds);
/* Format a UNIX time as RFC 3339 UTC ("2021-05-10T08:00:00Z"); out needs 21 bytes. */
void format_rfc3339(int64_t t, char out[static 21]);

/* Read a whole file; returns malloc'd buffer (NUL-terminated) or NULL. */
char *read_file(const char *path, size_t *len_out);

/* Count UTF-8 code points in s. */
size_t utf8_length(const char *s);
/* True when s is valid UTF-8 without control characters other than \t \n \r. */
bool utf8_valid_text(const char *s, size_t n);

#endif
