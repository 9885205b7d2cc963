/*
 * test_session.c - session tokens, their hashes and the Cookie header parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "http/session.h"

static int setup_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static bool is_b64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static int cmp_tok(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_token_new(void **state)
{
	(void)state;
	enum { N = 256 };
	static char toks[N][TOKEN_CHARS + 1];
	for (int i = 0; i < N; i++) {
		memset(toks[i], '!', sizeof(toks[i]));
		token_new(toks[i]);
		assert_int_equal(strlen(toks[i]), TOKEN_CHARS);
		assert_int_equal(strlen(toks[i]), 43);
		for (int k = 0; k < TOKEN_CHARS; k++)
			assert_true(is_b64url(toks[i][k]));
		assert_true(token_well_formed(toks[i]));
	}
	assert_string_not_equal(toks[0], toks[1]);
	/* All distinct. */
	qsort(toks, N, sizeof(toks[0]), cmp_tok);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(toks[i - 1], toks[i]);
	/* 32 bytes are 256 bits; the 43rd character carries the last 4 bits and
	 * two zero bits, so its index is a multiple of 4. */
	for (int i = 0; i < N; i++)
		assert_non_null(strchr("AEIMQUYcgkosw048", toks[i][TOKEN_CHARS - 1]));
}

static void test_token_well_formed(void **state)
{
	(void)state;
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_Z"; /* 43 */
	assert_int_equal(strlen(ok), 43);
	assert_true(token_well_formed(ok));

	char t[64];
	/* 42 and 44 characters. */
	memset(t, 'a', sizeof(t));
	t[42] = '\0';
	assert_false(token_well_formed(t));
	t[42] = 'a';
	t[43] = '\0';
	assert_true(token_well_formed(t));
	t[43] = 'a';
	t[44] = '\0';
	assert_false(token_well_formed(t));

	/* One wrong character anywhere. */
	const char bad_chars[] = {'+', '/', '=', ' ', '.', '%', '~', '\x80', '\t'};
	for (size_t i = 0; i < sizeof(bad_chars); i++) {
		for (int pos = 0; pos < 43; pos += 21) {
			memset(t, 'a', 43);
			t[43] = '\0';
			t[pos] = bad_chars[i];
			if (token_well_formed(t))
				fail_msg("accepted char 0x%02x at %d", (unsigned char)bad_chars[i], pos);
		}
	}
	assert_false(token_well_formed(NULL));
	assert_false(token_well_formed(""));
	/* Standard base64 with padding is not a token. */
	assert_false(token_well_formed("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123+/="));
}

static bool is_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static void test_token_hash(void **state)
{
	(void)state;
	char a[TOKEN_CHARS + 1], b[TOKEN_CHARS + 1];
	char ha[TOKEN_HASH_HEX + 1], ha2[TOKEN_HASH_HEX + 1], hb[TOKEN_HASH_HEX + 1];
	token_new(a);
	token_new(b);
	token_hash(a, ha);
	token_hash(a, ha2);
	token_hash(b, hb);
	assert_int_equal(strlen(ha), 64);
	assert_true(is_lower_hex(ha));
	assert_true(is_lower_hex(hb));
	assert_string_equal(ha, ha2);
	assert_string_not_equal(ha, hb);
	/* Not the token itself. */
	assert_null(strstr(ha, a));

	/* Known answer: BLAKE2b-256("abc"). */
	char h[TOKEN_HASH_HEX + 1];
	token_hash("abc", h);
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	/* One character changed gives another hash. */
	char c[TOKEN_CHARS + 1];
	memcpy(c, a, sizeof(c));
	c[0] = c[0] == 'A' ? 'B' : 'A';
	token_hash(c, hb);
	assert_string_not_equal(ha, hb);
}

static void expect_cookie(const char *header, const char *name, const char *want)
{
	char out[64];
	memset(out, '#', sizeof(out));
	bool got = cookie_find(header, name, out, sizeof(out));
	if (!want) {
		if (got)
			fail_msg("cookie_find(\"%s\", \"%s\") found \"%s\"", header, name, out);
		return;
	}
	if (!got)
		fail_msg("cookie_find(\"%s\", \"%s\") found nothing", header, name);
	assert_string_equal(out, want);
}

static void test_cookie_find(void **state)
{
	(void)state;
	expect_cookie("qms_session=abc", "qms_session", "abc");
	expect_cookie("qms_session=abc; theme=dark; lang=zh", "qms_session", "abc");
	expect_cookie("theme=dark; qms_session=abc; lang=zh", "qms_session", "abc");
	expect_cookie("theme=dark; lang=zh; qms_session=abc", "qms_session", "abc");
	expect_cookie("theme=dark;qms_session=abc;lang=zh", "qms_session", "abc");
	expect_cookie("  theme=dark;   qms_session=abc", "qms_session", "abc");
	expect_cookie("theme=dark; lang=zh", "qms_session", NULL);
	expect_cookie("theme=dark; lang=zh", "theme", "dark");
	expect_cookie("theme=dark; lang=zh", "lang", "zh");
	/* Similar names are not the cookie. */
	expect_cookie("qms_session_old=old", "qms_session", NULL);
	expect_cookie("qms_session_old=old; qms_session=new", "qms_session", "new");
	expect_cookie("xqms_session=evil; qms_session=good", "qms_session", "good");
	expect_cookie("qms_sessio=x", "qms_session", NULL);
	expect_cookie("qms_session", "qms_session", NULL);
	expect_cookie("qms_sessionabc", "qms_session", NULL);
	/* The value may contain '='. */
	expect_cookie("qms_session=a=b", "qms_session", "a=b");
	/* Empty value and empty header. */
	expect_cookie("qms_session=", "qms_session", "");
	expect_cookie("qms_session=; x=1", "qms_session", "");
	expect_cookie("", "qms_session", NULL);
	expect_cookie(";;; ", "qms_session", NULL);
	/* The first of two wins. */
	expect_cookie("qms_session=one; qms_session=two", "qms_session", "one");
}

static void test_cookie_too_long(void **state)
{
	(void)state;
	char out[8];
	memset(out, '#', sizeof(out));
	/* 7 characters plus NUL fit exactly. */
	assert_true(cookie_find("a=1; qms_session=1234567; b=2", "qms_session", out, sizeof(out)));
	assert_string_equal(out, "1234567");
	memset(out, '#', sizeof(out));
	assert_false(cookie_find("a=1; qms_session=12345678; b=2", "qms_session", out, sizeof(out)));
	/* Nothing written past the buffer (the canary is the buffer itself). */
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], '#');

	/* A real token into the buffer session_authenticate uses. */
	char tok[TOKEN_CHARS + 1], hdr[128], got[TOKEN_CHARS + 8];
	token_new(tok);
	snprintf(hdr, sizeof(hdr), "lang=zh; %s=%s", SESSION_COOKIE, tok);
	assert_true(cookie_find(hdr, SESSION_COOKIE, got, sizeof(got)));
	assert_string_equal(got, tok);
	assert_true(token_well_formed(got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_new),
		cmocka_unit_test(test_token_well_formed),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_cookie_find),
		cmocka_unit_test(test_cookie_too_long),
	};
	return cmocka_run_group_tests_name("session", tests, setup_sodium, NULL);
}
