/*
 * test_router.c - route_match, route_param, route_param_id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static const struct route routes[] = {
	{"GET", "/api/v1/health", NULL, RF_PUBLIC, 0},
	{"GET", "/api/v1/units", NULL, 0, 0},
	{"POST", "/api/v1/units", NULL, 0, 0},
	{"GET", "/api/v1/units/{id}", NULL, 0, 0},
	{"PUT", "/api/v1/units/{id}", NULL, 0, 0},
	{"GET", "/api/v1/programmes/{code}/phases", NULL, 0, 0},
	{"GET", "/api/v1/programmes/{programme_id}/units/{unit_id}", NULL, 0, 0},
	{"GET", "/api/v1/files/{name}", NULL, 0, 0},
};
#define N_ROUTES ((int)(sizeof(routes) / sizeof(routes[0])))

static enum route_result match(const char *method, const char *path, const struct route **found,
			       struct route_params *p)
{
	memset(p, 0, sizeof(*p));
	*found = (const struct route *)&routes[1]; /* must be overwritten */
	return route_match(routes, N_ROUTES, method, path, found, p);
}

static void expect_found(const char *method, const char *path, int route_index,
			 struct route_params *p)
{
	const struct route *found;
	assert_int_equal(match(method, path, &found, p), ROUTE_FOUND);
	assert_ptr_equal(found, &routes[route_index]);
}

static void expect_result(const char *method, const char *path, enum route_result want)
{
	const struct route *found;
	struct route_params p;
	enum route_result got = match(method, path, &found, &p);
	if (got != want)
		fail_msg("%s %s: got %d, want %d", method, path, (int)got, (int)want);
	assert_null(found);
}

static void test_exact_match(void **state)
{
	(void)state;
	struct route_params p;
	expect_found("GET", "/api/v1/health", 0, &p);
	assert_int_equal(p.n, 0);
	expect_found("GET", "/api/v1/units", 1, &p);
	assert_int_equal(p.n, 0);
	expect_found("POST", "/api/v1/units", 2, &p);
	assert_int_equal(p.n, 0);
	/* Literal segments must match exactly, not by prefix. */
	expect_result("GET", "/api/v1/healt", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/healthz", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v2/health", ROUTE_NOT_FOUND);
	expect_result("GET", "/API/v1/health", ROUTE_NOT_FOUND);
}

static void test_id_accepts_positive_numbers(void **state)
{
	(void)state;
	struct route_params p;
	expect_found("GET", "/api/v1/units/1", 3, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(route_param(&p, "id"), "1");
	assert_int_equal(route_param_id(&p, "id"), 1);

	expect_found("PUT", "/api/v1/units/42", 4, &p);
	assert_int_equal(route_param_id(&p, "id"), 42);

	expect_found("GET", "/api/v1/units/10", 3, &p);
	assert_int_equal(route_param_id(&p, "id"), 10);

	/* 18 digits: the largest length always accepted. */
	expect_found("GET", "/api/v1/units/123456789012345678", 3, &p);
	assert_true(route_param_id(&p, "id") == INT64_C(123456789012345678));
	assert_string_equal(route_param(&p, "id"), "123456789012345678");
}

static void test_id_rejects_non_numbers(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"/api/v1/units/0",
		"/api/v1/units/01",
		"/api/v1/units/007",
		"/api/v1/units/abc",
		"/api/v1/units/-1",
		"/api/v1/units/+1",
		"/api/v1/units/1a",
		"/api/v1/units/a1",
		"/api/v1/units/1.5",
		"/api/v1/units/1e3",
		"/api/v1/units/%31",
		"/api/v1/units/ 1",
		"/api/v1/units/9223372036854775808",  /* INT64_MAX + 1 */
		"/api/v1/units/9999999999999999999",  /* 19 digits, overflows */
		"/api/v1/units/99999999999999999999", /* 20 digits */
		"/api/v1/units/123456789012345678901234567890",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* No other pattern matches either, so 404 for every method. */
		expect_result("GET", bad[i], ROUTE_NOT_FOUND);
		expect_result("PUT", bad[i], ROUTE_NOT_FOUND);
		expect_result("DELETE", bad[i], ROUTE_NOT_FOUND);
	}
}

static void test_name_matches_any_segment(void **state)
{
	(void)state;
	struct route_params p;
	static const char *const ok[] = {"report.pdf", "0", "01", "-1", "abc", "a%20b",
					 "上海", "x.y.z", "9223372036854775808"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "/api/v1/files/%s", ok[i]);
		expect_found("GET", path, 7, &p);
		assert_int_equal(p.n, 1);
		assert_string_equal(route_param(&p, "name"), ok[i]);
		/* Not an id parameter: no numeric value. */
		assert_int_equal(route_param_id(&p, "name"), 0);
	}

	/* A middle {code} segment. */
	expect_found("GET", "/api/v1/programmes/sh-2021/phases", 5, &p);
	assert_string_equal(route_param(&p, "code"), "sh-2021");
	expect_result("GET", "/api/v1/programmes/sh-2021/phase", ROUTE_NOT_FOUND);
}

static void test_param_length_limit(void **state)
{
	(void)state;
	struct route_params p;
	char seg[200], path[300];
	/* 127 bytes fit in values[i] (128 with the NUL); 128 do not. */
	memset(seg, 'a', 127);
	seg[127] = '\0';
	snprintf(path, sizeof(path), "/api/v1/files/%s", seg);
	expect_found("GET", path, 7, &p);
	assert_int_equal(strlen(route_param(&p, "name")), 127);
	assert_string_equal(route_param(&p, "name"), seg);

	memset(seg, 'a', 128);
	seg[128] = '\0';
	snprintf(path, sizeof(path), "/api/v1/files/%s", seg);
	expect_result("GET", path, ROUTE_NOT_FOUND);
}

static void test_bad_method_vs_not_found(void **state)
{
	(void)state;
	expect_result("DELETE", "/api/v1/units/5", ROUTE_BAD_METHOD);
	expect_result("POST", "/api/v1/units/5", ROUTE_BAD_METHOD);
	expect_result("PUT", "/api/v1/units", ROUTE_BAD_METHOD);
	expect_result("DELETE", "/api/v1/units", ROUTE_BAD_METHOD);
	expect_result("POST", "/api/v1/health", ROUTE_BAD_METHOD);
	/* Methods are case-sensitive. */
	expect_result("get", "/api/v1/health", ROUTE_BAD_METHOD);
	/* Nothing matches the path: 404 whatever the method. */
	expect_result("GET", "/api/v1/nothing", ROUTE_NOT_FOUND);
	expect_result("DELETE", "/api/v1/nothing", ROUTE_NOT_FOUND);
	expect_result("POST", "/api/v1/units/abc", ROUTE_NOT_FOUND);
	expect_result("GET", "/", ROUTE_NOT_FOUND);
	expect_result("GET", "", ROUTE_NOT_FOUND);
}

static void test_slashes(void **state)
{
	(void)state;
	expect_result("GET", "/api/v1/health/", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/units/", ROUTE_NOT_FOUND);
	expect_result("POST", "/api/v1/units/", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/units/5/", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1//units", ROUTE_NOT_FOUND);
	expect_result("GET", "/api//v1/health", ROUTE_NOT_FOUND);
	expect_result("GET", "//api/v1/health", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/units//5", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/files//x", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/programmes//phases", ROUTE_NOT_FOUND);
}

static void test_segment_count(void **state)
{
	(void)state;
	expect_result("GET", "/api/v1/units/5/extra", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/health/extra", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1", ROUTE_NOT_FOUND);
	expect_result("GET", "/api", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/programmes/7/units", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/programmes/7/units/12/x", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/files/a/b", ROUTE_NOT_FOUND);
}

static void test_two_params(void **state)
{
	(void)state;
	struct route_params p;
	expect_found("GET", "/api/v1/programmes/7/units/12", 6, &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(route_param(&p, "programme_id"), "7");
	assert_string_equal(route_param(&p, "unit_id"), "12");
	assert_int_equal(route_param_id(&p, "programme_id"), 7);
	assert_int_equal(route_param_id(&p, "unit_id"), 12);
	/* Names are matched whole. */
	assert_null(route_param(&p, "unit"));
	assert_null(route_param(&p, "id"));
	assert_null(route_param(&p, "unit_idx"));
	assert_null(route_param(&p, "missing"));
	assert_int_equal(route_param_id(&p, "missing"), 0);
	assert_int_equal(route_param_id(&p, "id"), 0);

	/* Either id invalid: the whole route fails. */
	expect_result("GET", "/api/v1/programmes/7/units/0", ROUTE_NOT_FOUND);
	expect_result("GET", "/api/v1/programmes/x/units/12", ROUTE_NOT_FOUND);
	/* Both valid, other method: 405. */
	expect_result("POST", "/api/v1/programmes/7/units/12", ROUTE_BAD_METHOD);
}

static void test_first_route_wins(void **state)
{
	(void)state;
	static const struct route dup[] = {
		{"GET", "/x/{name}", NULL, 0, 0},
		{"GET", "/x/{id}", NULL, 0, 0},
		{"GET", "/x/special", NULL, 0, 0},
	};
	const struct route *found = NULL;
	struct route_params p;
	assert_int_equal(route_match(dup, 3, "GET", "/x/special", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &dup[0]);
	assert_string_equal(route_param(&p, "name"), "special");
	assert_int_equal(route_match(dup + 1, 2, "GET", "/x/special", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &dup[2]);
	assert_int_equal(p.n, 0);
	assert_int_equal(route_match(dup + 1, 2, "GET", "/x/9", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &dup[1]);
	assert_int_equal(route_param_id(&p, "id"), 9);
	/* Empty table. */
	assert_int_equal(route_match(dup, 0, "GET", "/x/9", &found, &p), ROUTE_NOT_FOUND);
	assert_null(found);
}

static void test_suffix_and_allowed_methods(void **state)
{
	(void)state;
	static const struct route r[] = {
		{"GET", "/api/v1/declarations.xlsx", NULL, 0, 0},
		{"GET", "/api/v1/declarations/{id}.pdf", NULL, 0, 0},
		{"GET", "/api/v1/declarations/{id}", NULL, 0, 0},
		{"PUT", "/api/v1/declarations/{id}", NULL, 0, 0},
		{"GET", "/api/v1/files/{name}.png", NULL, 0, 0},
	};
	const int n = (int)(sizeof(r) / sizeof(r[0]));
	const struct route *found;
	struct route_params p;
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations/12.pdf", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &r[1]);
	assert_int_equal(route_param_id(&p, "id"), 12);
	assert_string_equal(route_param(&p, "id"), "12");
	/* the plain {id} route does not swallow "12.pdf", and a bare suffix is not an id */
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations/12", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &r[2]);
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations/.pdf", &found, &p), ROUTE_NOT_FOUND);
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations/1x.pdf", &found, &p), ROUTE_NOT_FOUND);
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations/12.pdfx", &found, &p), ROUTE_NOT_FOUND);
	assert_int_equal(route_match(r, n, "GET", "/api/v1/declarations.xlsx", &found, &p), ROUTE_FOUND);
	assert_ptr_equal(found, &r[0]);
	assert_int_equal(route_match(r, n, "GET", "/api/v1/files/a.b.png", &found, &p), ROUTE_FOUND);
	assert_string_equal(route_param(&p, "name"), "a.b");
	char allow[64];
	route_allowed_methods(r, n, "/api/v1/declarations/7", allow, sizeof(allow));
	assert_string_equal(allow, "GET, PUT");
	route_allowed_methods(r, n, "/api/v1/nothing", allow, sizeof(allow));
	assert_string_equal(allow, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_match),
		cmocka_unit_test(test_id_accepts_positive_numbers),
		cmocka_unit_test(test_id_rejects_non_numbers),
		cmocka_unit_test(test_name_matches_any_segment),
		cmocka_unit_test(test_param_length_limit),
		cmocka_unit_test(test_bad_method_vs_not_found),
		cmocka_unit_test(test_slashes),
		cmocka_unit_test(test_segment_count),
		cmocka_unit_test(test_two_params),
		cmocka_unit_test(test_first_route_wins),
		cmocka_unit_test(test_suffix_and_allowed_methods),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
