/*
 * test_uscc.c - the unified social credit code (GB 32100-2015).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/uscc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const char *const valid[] = {
	"91350100M000100Y43",
	"91310000607216596U",
	"913101156A8K3M2P7U", /* 浦东新区 310115 */
	"913101012B4N7Q1R8A", /* 黄浦区 310101 */
};

static void test_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		assert_int_equal(uscc_check(valid[i]), USCC_OK);
		assert_int_equal(uscc_check_char(valid[i]), valid[i][17]);
	}
	assert_string_equal(uscc_message(USCC_OK), "");
}

static void test_check_char_changed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		int wrong = 0;
		for (const char *a = alphabet; *a; a++) {
			char code[19];
			memcpy(code, valid[i], 19);
			if (*a == code[17])
				continue;
			code[17] = *a;
			assert_int_equal(uscc_check(code), USCC_CHECK);
			wrong++;
		}
		assert_int_equal(wrong, 30);
	}
}

static void test_body_changed(void **state)
{
	(void)state;
	/* Changing any one of the first 17 characters breaks the check (weights are coprime to 31). */
	for (int pos = 0; pos < 17; pos++) {
		for (const char *a = alphabet; *a; a++) {
			char code[19];
			memcpy(code, valid[1], 19);
			if (*a == code[pos])
				continue;
			code[pos] = *a;
			assert_int_equal(uscc_check(code), USCC_CHECK);
		}
	}
}

static void test_check_char_zero(void **state)
{
	(void)state;
	/* Find a body whose sum is 0 mod 31: the check character is then '0', not 31. */
	char code[19] = "91310000607216596";
	bool seen = false;
	for (const char *a = alphabet; *a && !seen; a++) {
		code[16] = *a;
		if (uscc_check_char(code) == '0') {
			code[17] = '0';
			code[18] = '\0';
			assert_int_equal(uscc_check(code), USCC_OK);
			seen = true;
		}
	}
	assert_true(seen);
}

static void test_check_char_input(void **state)
{
	(void)state;
	assert_int_equal(uscc_check_char("91310000607216596"), 'U');
	assert_int_equal(uscc_check_char("9131000060721659"), 0);  /* 16 */
	assert_int_equal(uscc_check_char("9131000060721659I"), 0); /* I */
	assert_int_equal(uscc_check_char("9131000060721659a"), 0);
	assert_int_equal(uscc_check_char(""), 0);
	assert_int_equal(uscc_check_char(NULL), 0);
}

static void test_lowercase(void **state)
{
	(void)state;
	assert_int_equal(uscc_check("91350100m000100y43"), USCC_LOWERCASE);
	assert_int_equal(uscc_check("91310000607216596u"), USCC_LOWERCASE);
	assert_int_equal(uscc_check("913101156a8k3m2p7u"), USCC_LOWERCASE);
	assert_non_null(strstr(uscc_message(USCC_LOWERCASE), "大写"));
}

static void test_charset(void **state)
{
	(void)state;
	static const char forbidden[] = "IOSVZ";
	for (const char *f = forbidden; *f; f++) {
		for (int pos = 0; pos < 18; pos++) {
			char code[19];
			memcpy(code, valid[0], 19);
			code[pos] = *f;
			assert_int_equal(uscc_check(code), USCC_CHARSET);
		}
	}
	assert_int_equal(uscc_check("91310000 607216596"), USCC_CHARSET); /* 18 with a space */
	assert_int_equal(uscc_check("9131000060721659-U"), USCC_CHARSET);
	assert_int_equal(uscc_check("9131000060721659\tU"), USCC_CHARSET);
	/* 18 characters, one of them Chinese. */
	assert_int_equal(uscc_check("9131000060721659中U"), USCC_CHARSET);
	assert_string_equal(uscc_message(USCC_CHARSET),
			    "统一社会信用代码只能由数字和大写字母组成（不含 I、O、S、V、Z）");
}

static void test_length(void **state)
{
	(void)state;
	assert_int_equal(uscc_check("91310000607216596"), USCC_LENGTH);   /* 17 */
	assert_int_equal(uscc_check("91310000607216596U0"), USCC_LENGTH); /* 19 */
	assert_int_equal(uscc_check("9"), USCC_LENGTH);
	assert_int_equal(uscc_check(" 91310000607216596U"), USCC_LENGTH); /* not trimmed */
	assert_int_equal(uscc_check("91310000607216596U "), USCC_LENGTH);
	assert_int_equal(uscc_check("913100 00607216596U"), USCC_LENGTH); /* embedded space, 19 */
	assert_non_null(strstr(uscc_message(USCC_LENGTH), "18"));
}

static void test_fullwidth(void **state)
{
	(void)state;
	/* 18 full-width characters: 54 bytes, 18 characters. */
	const char *fw = "９１３１００００６０７２１６５９６Ｕ";
	assert_int_equal(strlen(fw), 54);
	assert_int_equal(uscc_check(fw), USCC_FULLWIDTH);
	/* One full-width digit among half-width ones. */
	assert_int_equal(uscc_check("9131000060721659６U"), USCC_FULLWIDTH);
	/* A full-width letter (U+FF35 Ｕ) and a full-width lower-case one (U+FF55 ｕ). */
	assert_int_equal(uscc_check("91310000607216596Ｕ"), USCC_FULLWIDTH);
	assert_int_equal(uscc_check("91310000607216596ｕ"), USCC_FULLWIDTH);
	/* Range ends: ０ ９ Ａ Ｚ. */
	assert_int_equal(uscc_check("9131000060721659０U"), USCC_FULLWIDTH);
	assert_int_equal(uscc_check("9131000060721659９U"), USCC_FULLWIDTH);
	assert_int_equal(uscc_check("9131000060721659ＡU"), USCC_FULLWIDTH);
	assert_int_equal(uscc_check("9131000060721659ＺU"), USCC_FULLWIDTH);
	/* Full width wins over lower case (enum order). */
	assert_int_equal(uscc_check("9131000060721659６u"), USCC_FULLWIDTH);
	/* Full-width punctuation is not a full-width digit or letter. */
	assert_int_equal(uscc_check("9131000060721659－U"), USCC_CHARSET);
	/* Too many or too few full-width characters: the length comes first. */
	assert_int_equal(uscc_check("９１３１００００６０７２１６５９６"), USCC_LENGTH);
	assert_non_null(strstr(uscc_message(USCC_FULLWIDTH), "半角"));
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(uscc_check(""), USCC_EMPTY);
	assert_int_equal(uscc_check(NULL), USCC_EMPTY);
	assert_string_equal(uscc_message(USCC_EMPTY), "请填写统一社会信用代码");
}

static void test_messages(void **state)
{
	(void)state;
	for (int v = USCC_EMPTY; v <= USCC_CHECK; v++) {
		const char *m = uscc_message((enum uscc_verdict)v);
		assert_non_null(m);
		assert_true(strlen(m) > 0);
		assert_non_null(strstr(m, "统一社会信用代码"));
	}
	assert_non_null(strstr(uscc_message(USCC_CHECK), "校验"));
}

static void test_region(void **state)
{
	(void)state;
	char out[7];
	assert_true(uscc_region("913101156A8K3M2P7U", out));
	assert_string_equal(out, "310115");
	assert_true(uscc_region("913101012B4N7Q1R8A", out));
	assert_string_equal(out, "310101");
	assert_true(uscc_region("91350100M000100Y43", out));
	assert_string_equal(out, "350100");
	assert_true(uscc_region("91310000607216596U", out));
	assert_string_equal(out, "310000");

	/* Invalid codes have no region. */
	assert_false(uscc_region("913101156A8K3M2P7A", out));
	assert_string_equal(out, "");
	assert_false(uscc_region("913101156a8k3m2p7u", out));
	assert_false(uscc_region("", out));
	assert_false(uscc_region(NULL, out));

	/* A code that checks out but has a letter in the region part. */
	char code[19] = "91A101156A8K3M2P7";
	code[17] = uscc_check_char(code);
	code[18] = '\0';
	assert_int_equal(uscc_check(code), USCC_OK);
	assert_false(uscc_region(code, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_check_char_changed),
		cmocka_unit_test(test_body_changed),
		cmocka_unit_test(test_check_char_zero),
		cmocka_unit_test(test_check_char_input),
		cmocka_unit_test(test_lowercase),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_fullwidth),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_region),
	};
	return cmocka_run_group_tests_name("uscc", tests, NULL, NULL);
}
