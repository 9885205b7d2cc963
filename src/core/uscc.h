/*
 * uscc.h - the unified social credit code (统一社会信用代码, GB 32100-2015).
 */
#ifndef QMS_USCC_H
#define QMS_USCC_H

#include <stdbool.h>
#include <stddef.h>

enum uscc_verdict {
	USCC_OK = 0,
	USCC_EMPTY,
	USCC_LENGTH,        /* not 18 characters */
	USCC_FULLWIDTH,     /* full-width characters (e.g. Ｓ or ９): ask for half-width */
	USCC_LOWERCASE,     /* lower-case letters: the code is upper-case */
	USCC_CHARSET,       /* a character outside 0-9 A-Z minus I O S V Z */
	USCC_CHECK,         /* the 18th (check) character does not match */
};

/* Check a code exactly as given (no trimming or case folding). */
enum uscc_verdict uscc_check(const char *code);
/* The Chinese message for a verdict (for the user). */
const char *uscc_message(enum uscc_verdict v);
/* The check character for the first 17 characters, or 0 if they are not valid. */
char uscc_check_char(const char *first17);
/* The 6-digit administrative region code (positions 3-8) into out[7]; false if invalid. */
bool uscc_region(const char *code, char out[7]);

#endif
