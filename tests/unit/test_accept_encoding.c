/*
 * test_accept_encoding.c - http_accepts_gzip(): which Accept-Encoding values
 * let the server send the gzip copy of a static file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "http/http.h"

static void test_browsers(void **state)
{
	(void)state;
	assert_true(http_accepts_gzip("gzip, deflate, br"));          /* Chromium */
	assert_true(http_accepts_gzip("gzip, deflate, br, zstd"));
	assert_true(http_accepts_gzip("gzip"));
	assert_true(http_accepts_gzip("GZIP"));
	assert_true(http_accepts_gzip("deflate,gzip"));
	assert_true(http_accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
	assert_true(http_accepts_gzip("x-gzip"));
	assert_true(http_accepts_gzip("  gzip  ;  q=0.5 "));
}

static void test_not_accepted(void **state)
{
	(void)state;
	assert_false(http_accepts_gzip(NULL));
	assert_false(http_accepts_gzip(""));
	assert_false(http_accepts_gzip("identity"));
	assert_false(http_accepts_gzip("deflate, br"));
	assert_false(http_accepts_gzip("gzipx, xgzip"));
	assert_false(http_accepts_gzip("gzip;q=0"));
	assert_false(http_accepts_gzip("gzip;q=0.0, identity"));
	assert_false(http_accepts_gzip("gzip;q=0.000"));
	assert_false(http_accepts_gzip("br, gzip;Q=0"));
}

static void test_q_values(void **state)
{
	(void)state;
	assert_true(http_accepts_gzip("gzip;q=0.001"));
	assert_true(http_accepts_gzip("gzip;q=1"));
	assert_true(http_accepts_gzip("gzip;level=9;q=0.2"));
	assert_false(http_accepts_gzip("gzip;level=9;q=0"));
}

static void test_wildcard(void **state)
{
	(void)state;
	assert_true(http_accepts_gzip("*"));
	assert_true(http_accepts_gzip("br, *;q=0.1"));
	assert_false(http_accepts_gzip("*;q=0"));
	/* gzip named explicitly wins over the wildcard, either way round. */
	assert_false(http_accepts_gzip("*, gzip;q=0"));
	assert_true(http_accepts_gzip("*;q=0, gzip"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browsers),
		cmocka_unit_test(test_not_accepted),
		cmocka_unit_test(test_q_values),
		cmocka_unit_test(test_wildcard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
