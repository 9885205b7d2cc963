/*
 * password.c - see password.h.
 */
#include "password.h"
#include "../util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lower_dup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)s[i]);
	p[n] = '\0';
	return p;
}

int common_passwords_load(struct common_passwords *cp, const char *text)
{
	common_passwords_free(cp);
	size_t cap = 0;
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		size_t len = n;
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len && p[0] != '#') {
			if (cp->n == cap) {
				cap = cap ? cap * 2 : 64;
				cp->words = xrealloc(cp->words, cap * sizeof(char *));
			}
			cp->words[cp->n++] = lower_dup(p, len);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (cp->n)
		qsort(cp->words, cp->n, sizeof(char *), cmp_str);
	return 0;
}

void common_passwords_free(struct common_passwords *cp)
{
	for (size_t i = 0; i < cp->n; i++)
		free(cp->words[i]);
	free(cp->words);
	cp->words = NULL;
	cp->n = 0;
}

enum password_verdict password_check(const struct common_passwords *cp,
				     const char *username, const char *password)
{
	size_t bytes = strlen(password);
	if (!utf8_valid_text(password, bytes) || strpbrk(password, "\t\r\n"))
		return PW_BAD_CHARS;
	size_t chars = utf8_length(password);
	if (chars < PASSWORD_MIN_CHARS)
		return PW_TOO_SHORT;
	if (chars > PASSWORD_MAX_CHARS)
		return PW_TOO_LONG;
	if (username && *username && strcasecmp(username, password) == 0)
		return PW_SAME_AS_USERNAME;
	if (cp && cp->n) {
		char *low = lower_dup(password, bytes);
		void *hit = bsearch(&low, cp->words, cp->n, sizeof(char *), cmp_str);
		free(low);
		if (hit)
			return PW_COMMON;
	}
	return PW_OK;
}

const char *password_verdict_message(enum password_verdict v)
{
	switch (v) {
	case PW_OK: return "";
	case PW_TOO_SHORT: return "密码至少需要 8 个字符";
	case PW_TOO_LONG: return "密码不能超过 128 个字符";
	case PW_SAME_AS_USERNAME: return "密码不能与用户名相同";
	case PW_COMMON: return "该密码过于常见，容易被猜中，请换一个";
	case PW_BAD_CHARS: return "密码不能包含控制字符或无效字符";
	}
	return "密码不符合要求";
}
