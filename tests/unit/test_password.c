/*
 * test_password.c - the common-password list and the password policy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/password.h"

static const char list_text[] =
	"# common passwords, one per line\n"
	"\n"
	"Password1\r\n"
	"qwertyui\n"
	"   \n"
	"\r\n"
	"ABCdefgh  \t\n"
	"# another comment\n"
	"密码密码密码密码\n"
	"LastLineNoNewline";

static int setup_list(void **state)
{
	static struct common_passwords cp;
	memset(&cp, 0, sizeof(cp));
	common_passwords_load(&cp, list_text);
	*state = &cp;
	return 0;
}

static int teardown_list(void **state)
{
	common_passwords_free(*state);
	return 0;
}

static void test_load(void **state)
{
	struct common_passwords *cp = *state;
	assert_int_equal(cp->n, 5);
	/* Sorted (byte order), lower-cased, CR and trailing blanks removed. */
	assert_string_equal(cp->words[0], "abcdefgh");
	assert_string_equal(cp->words[1], "lastlinenonewline");
	assert_string_equal(cp->words[2], "password1");
	assert_string_equal(cp->words[3], "qwertyui");
	assert_string_equal(cp->words[4], "密码密码密码密码");
	for (size_t i = 0; i < cp->n; i++) {
		assert_null(strchr(cp->words[i], '\r'));
		assert_null(strchr(cp->words[i], '#'));
		assert_int_not_equal(cp->words[i][0], '\0');
	}
}

static void test_load_replaces_and_free(void **state)
{
	(void)state;
	struct common_passwords cp = {0};
	assert_int_equal(common_passwords_load(&cp, "one\ntwo\nthree\n"), 0);
	assert_int_equal(cp.n, 3);
	assert_int_equal(password_check(&cp, "u", "passwordA"), PW_OK);
	assert_int_equal(common_passwords_load(&cp, "PasswordA\n"), 0);
	assert_int_equal(cp.n, 1);
	assert_string_equal(cp.words[0], "passworda");
	assert_int_equal(password_check(&cp, "u", "passwordA"), PW_COMMON);
	assert_int_equal(common_passwords_load(&cp, "# only a comment\n\n\r\n"), 0);
	assert_int_equal(cp.n, 0);
	assert_int_equal(password_check(&cp, "u", "passwordA"), PW_OK);
	assert_int_equal(common_passwords_load(&cp, ""), 0);
	assert_int_equal(cp.n, 0);
	assert_int_equal(common_passwords_load(&cp, "abc"), 0);
	assert_int_equal(cp.n, 1);
	common_passwords_free(&cp);
	assert_int_equal(cp.n, 0);
	assert_null(cp.words);
	/* Freeing twice is harmless. */
	common_passwords_free(&cp);
	assert_int_equal(cp.n, 0);
}

static void test_common_case_insensitive(void **state)
{
	const struct common_passwords *cp = *state;
	assert_int_equal(password_check(cp, "alice", "password1"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "PASSWORD1"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "PassWord1"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "Qwertyui"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "abcdefgh"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "lastlinenonewline"), PW_COMMON);
	assert_int_equal(password_check(cp, "alice", "密码密码密码密码"), PW_COMMON);
	/* Near misses are fine. */
	assert_int_equal(password_check(cp, "alice", "password12"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "password"), PW_OK);
	assert_int_equal(password_check(cp, "alice", " password1"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "qwertyuio"), PW_OK);
	/* Comment lines are not passwords. */
	assert_int_equal(password_check(cp, "alice", "# another comment"), PW_OK);
	/* No list: nothing is common. */
	assert_int_equal(password_check(NULL, "alice", "password1"), PW_OK);
}

static void test_length(void **state)
{
	const struct common_passwords *cp = *state;
	assert_int_equal(password_check(cp, "alice", ""), PW_TOO_SHORT);
	assert_int_equal(password_check(cp, "alice", "a"), PW_TOO_SHORT);
	assert_int_equal(password_check(cp, "alice", "abcdefg"), PW_TOO_SHORT);
	assert_int_equal(password_check(cp, "alice", "abcdefgz"), PW_OK);

	/* Characters, not bytes: 7 Chinese characters are 21 bytes but too short. */
	assert_int_equal(password_check(cp, "alice", "密码密码密码密"), PW_TOO_SHORT);
	assert_int_equal(password_check(NULL, "alice", "密码密码密码密码"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "码密码密码密码密"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "ab密码cdef"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "ab密码cde"), PW_TOO_SHORT);

	char pw[600];
	memset(pw, 'x', 128);
	pw[128] = '\0';
	assert_int_equal(password_check(cp, "alice", pw), PW_OK);
	pw[128] = 'x';
	pw[129] = '\0';
	assert_int_equal(password_check(cp, "alice", pw), PW_TOO_LONG);

	/* 128 Chinese characters (384 bytes) are fine, 129 are too long. */
	pw[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(pw, "码");
	assert_int_equal(strlen(pw), 384);
	assert_int_equal(password_check(cp, "alice", pw), PW_OK);
	strcat(pw, "码");
	assert_int_equal(password_check(cp, "alice", pw), PW_TOO_LONG);
}

static void test_same_as_username(void **state)
{
	const struct common_passwords *cp = *state;
	assert_int_equal(password_check(cp, "alice_admin", "alice_admin"), PW_SAME_AS_USERNAME);
	assert_int_equal(password_check(cp, "Alice_Admin", "aLICE_aDMIN"), PW_SAME_AS_USERNAME);
	assert_int_equal(password_check(cp, "alice_admin", "alice_admin1"), PW_OK);
	assert_int_equal(password_check(cp, "alice_admin1", "alice_admin"), PW_OK);
	/* No username or an empty one: no comparison. */
	assert_int_equal(password_check(cp, NULL, "alice_admin"), PW_OK);
	assert_int_equal(password_check(cp, "", "alice_admin"), PW_OK);
	/* A short username equal to a short password: the length rule speaks first. */
	assert_int_equal(password_check(cp, "bob", "bob"), PW_TOO_SHORT);
}

static void test_bad_chars(void **state)
{
	const struct common_passwords *cp = *state;
	static const char *const bad[] = {
		"abcdefgh\x01",
		"\x1b[31mabcdefgh",
		"abcd\tefgh",
		"abcdefgh\n",
		"abcd\refgh",
		"abcdefgh\x7f",
		"abcdefgh\xff",
		"abcdefgh\xc0\x80",
		"abcdefgh\xe5\xaf",  /* truncated sequence */
		"abcdefgh\x80",      /* stray continuation byte */
		"\x01",              /* bad characters reported before length */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (password_check(cp, "alice", bad[i]) != PW_BAD_CHARS)
			fail_msg("bad[%zu] not refused as PW_BAD_CHARS", i);
	/* Spaces and punctuation are allowed. */
	assert_int_equal(password_check(cp, "alice", "correct horse battery"), PW_OK);
	assert_int_equal(password_check(cp, "alice", "!@#$%^&*()_+"), PW_OK);
}

static void test_messages(void **state)
{
	(void)state;
	assert_string_equal(password_verdict_message(PW_OK), "");
	const enum password_verdict v[] = {PW_TOO_SHORT, PW_TOO_LONG, PW_SAME_AS_USERNAME,
					   PW_COMMON, PW_BAD_CHARS};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *m = password_verdict_message(v[i]);
		assert_non_null(m);
		assert_true(strlen(m) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(m, password_verdict_message(v[j]));
	}
	assert_non_null(strstr(password_verdict_message(PW_TOO_SHORT), "8"));
	assert_non_null(strstr(password_verdict_message(PW_TOO_LONG), "128"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, setup_list, teardown_list),
		cmocka_unit_test(test_load_replaces_and_free),
		cmocka_unit_test_setup_teardown(test_common_case_insensitive, setup_list, teardown_list),
		cmocka_unit_test_setup_teardown(test_length, setup_list, teardown_list),
		cmocka_unit_test_setup_teardown(test_same_as_username, setup_list, teardown_list),
		cmocka_unit_test_setup_teardown(test_bad_chars, setup_list, teardown_list),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
