/*
 * test_jsonin.c - parsing JSON bodies and reading typed fields (http/jsonin.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/jsonin.h"

static json_t *parse_ok(const char *text)
{
	struct field_error e;
	json_t *o = json_parse_object(text, strlen(text), &e);
	assert_non_null(o);
	return o;
}

static void test_parse_object(void **state)
{
	(void)state;
	struct field_error e;
	json_decref(parse_ok("{\"a\":1}"));
	static const char *const bad[] = {"", "{", "[1,2]", "\"text\"", "42", "null",
					  "{\"a\":1,\"a\":2}", "{'a':1}", "{\"a\":1} x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_null(json_parse_object(bad[i], strlen(bad[i]), &e));
		assert_int_equal(e.status, 400);
		assert_string_equal(e.code, "bad_json");
		assert_null(e.field);
		assert_true(strlen(e.message) > 0);
	}
	assert_null(json_parse_object(NULL, 0, &e));
	assert_string_equal(e.code, "bad_json");
}

static void test_known_fields(void **state)
{
	(void)state;
	static const char *const allowed[] = {"username", "password", NULL};
	struct field_error e;
	json_t *o = parse_ok("{\"username\":\"a\",\"password\":\"b\"}");
	assert_true(json_check_known(o, allowed, &e));
	json_decref(o);
	o = parse_ok("{\"username\":\"a\",\"role\":\"city_admin\"}");
	assert_false(json_check_known(o, allowed, &e));
	json_decref(o); /* the error must not point into the freed object */
	assert_int_equal(e.status, 400);
	assert_string_equal(e.code, "unknown_field");
	assert_string_equal(e.field, "role");
	assert_non_null(strstr(e.message, "role"));
}

static void test_get_string(void **state)
{
	(void)state;
	struct field_error e;
	char out[32];
	json_t *o = parse_ok("{\"name\":\"  浦东 新区\\t\",\"num\":5,\"nul\":null,\"empty\":\"   \","
			     "\"long\":\"一二三四五六\",\"ctrl\":\"a\\u0001b\"}");
	assert_true(json_get_string(o, "name", true, 10, out, sizeof(out), "名称", &e));
	assert_string_equal(out, "浦东 新区");
	assert_false(json_get_string(o, "num", false, 10, out, sizeof(out), "名称", &e));
	assert_int_equal(e.status, 400);
	assert_string_equal(e.code, "bad_type");
	assert_string_equal(e.field, "num");
	/* absent and null: fine when optional, 422 when required */
	assert_true(json_get_string(o, "missing", false, 10, out, sizeof(out), "名称", &e));
	assert_string_equal(out, "");
	assert_true(json_get_string(o, "nul", false, 10, out, sizeof(out), "名称", &e));
	assert_false(json_get_string(o, "nul", true, 10, out, sizeof(out), "名称", &e));
	assert_int_equal(e.status, 422);
	assert_string_equal(e.message, "请填写名称");
	assert_false(json_get_string(o, "empty", true, 10, out, sizeof(out), "名称", &e));
	assert_int_equal(e.status, 422);
	/* length is counted in characters, not bytes */
	assert_true(json_get_string(o, "long", true, 6, out, sizeof(out), "名称", &e));
	assert_false(json_get_string(o, "long", true, 5, out, sizeof(out), "名称", &e));
	assert_string_equal(e.code, "invalid");
	assert_string_equal(out, "");
	/* a buffer too small is a 422, not an overflow */
	char tiny[4];
	assert_false(json_get_string(o, "long", true, 100, tiny, sizeof(tiny), "名称", &e));
	assert_int_equal(e.status, 422);
	assert_false(json_get_string(o, "ctrl", true, 10, out, sizeof(out), "名称", &e));
	assert_int_equal(e.status, 422);
	json_decref(o);
}

static void test_get_int(void **state)
{
	(void)state;
	struct field_error e;
	int64_t v;
	json_t *o = parse_ok("{\"n\":42,\"neg\":-7,\"f\":1.5,\"s\":\"3\",\"nul\":null,\"big\":9007199254740993}");
	assert_true(json_get_int(o, "n", true, 0, &v, "数量", &e));
	assert_int_equal(v, 42);
	assert_true(json_get_int(o, "neg", true, 0, &v, "数量", &e));
	assert_int_equal(v, -7);
	assert_true(json_get_int(o, "big", true, 0, &v, "数量", &e));
	assert_int_equal(v, 9007199254740993LL);
	assert_false(json_get_int(o, "f", true, 0, &v, "数量", &e));
	assert_string_equal(e.code, "bad_type");
	assert_false(json_get_int(o, "s", true, 0, &v, "数量", &e));
	assert_string_equal(e.field, "s");
	assert_true(json_get_int(o, "nul", false, 9, &v, "数量", &e));
	assert_int_equal(v, 9);
	assert_false(json_get_int(o, "missing", true, 0, &v, "数量", &e));
	assert_int_equal(e.status, 422);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_object),
		cmocka_unit_test(test_known_fields),
		cmocka_unit_test(test_get_string),
		cmocka_unit_test(test_get_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
