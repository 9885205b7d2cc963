/*
 * password.h - the password policy (length, not the username, not common).
 */
#ifndef QMS_PASSWORD_H
#define QMS_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_CHARS 128

/* The common-password list: one password per line, '#' starts a comment. */
struct common_passwords {
	char **words; /* sorted, lower-case */
	size_t n;
};

/* Parse the list from text; returns 0. Replaces any previous content. */
int common_passwords_load(struct common_passwords *cp, const char *text);
void common_passwords_free(struct common_passwords *cp);

enum password_verdict {
	PW_OK = 0,
	PW_TOO_SHORT,
	PW_TOO_LONG,
	PW_SAME_AS_USERNAME,
	PW_COMMON,
	PW_BAD_CHARS,
};

/* Check a candidate password for a user; cp may be NULL (no list). */
enum password_verdict password_check(const struct common_passwords *cp,
				     const char *username, const char *password);
/* The Chinese message shown for a verdict. */
const char *password_verdict_message(enum password_verdict v);

#endif
