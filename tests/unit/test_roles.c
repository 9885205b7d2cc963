/*
 * test_roles.c - role names and labels, and the data-scope rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/roles.h"

static const enum role all_roles[] = {ROLE_CITY_ADMIN, ROLE_DISTRICT_OFFICER, ROLE_CB_STAFF,
				      ROLE_ENTERPRISE};

static void test_names_round_trip(void **state)
{
	(void)state;
	assert_string_equal(role_name(ROLE_CITY_ADMIN), "city_admin");
	assert_string_equal(role_name(ROLE_DISTRICT_OFFICER), "district_officer");
	assert_string_equal(role_name(ROLE_CB_STAFF), "cb_staff");
	assert_string_equal(role_name(ROLE_ENTERPRISE), "enterprise");
	assert_string_equal(role_label(ROLE_CITY_ADMIN), "市局管理员");
	for (size_t i = 0; i < 4; i++) {
		enum role r = all_roles[i];
		assert_int_equal(role_parse(role_name(r)), r);
		assert_true(strlen(role_label(r)) > 0);
		assert_string_not_equal(role_label(r), "未知");
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(role_name(r), role_name(all_roles[j]));
			assert_string_not_equal(role_label(r), role_label(all_roles[j]));
		}
	}
	assert_string_equal(role_name(ROLE_NONE), "none");
	assert_string_equal(role_label(ROLE_NONE), "未知");
	assert_int_equal(role_parse("none"), ROLE_NONE);
	assert_int_equal(role_parse(NULL), ROLE_NONE);
	assert_int_equal(role_parse(""), ROLE_NONE);
	assert_int_equal(role_parse("City_Admin"), ROLE_NONE);
	assert_int_equal(role_parse("city_admin "), ROLE_NONE);
	assert_int_equal(role_parse("city"), ROLE_NONE);
	assert_int_equal(role_parse("市局管理员"), ROLE_NONE);
}

static void test_role_in(void **state)
{
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_true(role_in(all_roles[i], ROLES_ALL));
		assert_true(role_in(all_roles[i], ROLE_BIT(all_roles[i])));
		assert_false(role_in(all_roles[i], ROLES_ALL & ~ROLE_BIT(all_roles[i])));
		assert_false(role_in(all_roles[i], 0));
	}
	assert_false(role_in(ROLE_NONE, ROLES_ALL));
	assert_false(role_in(ROLE_NONE, ~0u));
}

/* Units: 10, 11 districts; 30, 31, 32 certification bodies; 1 the city. */
static struct principal who(enum role r, int64_t unit, int64_t ent)
{
	struct principal p;
	memset(&p, 0, sizeof(p));
	p.user_id = 99;
	p.role = r;
	p.unit_id = unit;
	p.enterprise_id = ent;
	return p;
}

/* An enterprise in district 10, served by bodies 30 and 31 (last slot). */
static const struct scope_ref rec_ent = {
	.district_unit_id = 10, .cb_unit_ids = {30, 0, 0, 31}, .enterprise_id = 500, .owner_unit_id = 0};
/* A district's own record (e.g. its report), not tied to any district filter. */
static const struct scope_ref rec_owned_by_11 = {.owner_unit_id = 11};
/* A body's own record. */
static const struct scope_ref rec_owned_by_32 = {.owner_unit_id = 32};
/* A record tied to nothing. */
static const struct scope_ref rec_empty = {0};

static void test_city_sees_all(void **state)
{
	(void)state;
	struct principal p = who(ROLE_CITY_ADMIN, 1, 0);
	assert_true(scope_allows(&p, &rec_ent));
	assert_true(scope_allows(&p, &rec_owned_by_11));
	assert_true(scope_allows(&p, &rec_owned_by_32));
	assert_true(scope_allows(&p, &rec_empty));
	assert_false(scope_allows(&p, NULL));
}

static void test_district(void **state)
{
	(void)state;
	struct principal d10 = who(ROLE_DISTRICT_OFFICER, 10, 0);
	struct principal d11 = who(ROLE_DISTRICT_OFFICER, 11, 0);
	assert_true(scope_allows(&d10, &rec_ent));
	assert_false(scope_allows(&d11, &rec_ent));
	assert_true(scope_allows(&d11, &rec_owned_by_11));
	assert_false(scope_allows(&d10, &rec_owned_by_11));
	assert_false(scope_allows(&d10, &rec_owned_by_32));
	assert_false(scope_allows(&d10, &rec_empty));
	/* A district's id in a CB slot or as enterprise id gives nothing. */
	struct scope_ref r = {.cb_unit_ids = {10}, .enterprise_id = 10};
	assert_false(scope_allows(&d10, &r));
	/* Unit 0 sees nothing, even records tied to nothing. */
	struct principal d0 = who(ROLE_DISTRICT_OFFICER, 0, 0);
	assert_false(scope_allows(&d0, &rec_empty));
	assert_false(scope_allows(&d0, &rec_ent));
	assert_false(scope_allows(&d0, &rec_owned_by_11));
}

static void test_cb(void **state)
{
	(void)state;
	struct principal c30 = who(ROLE_CB_STAFF, 30, 0);
	struct principal c31 = who(ROLE_CB_STAFF, 31, 0);
	struct principal c32 = who(ROLE_CB_STAFF, 32, 0);
	assert_true(scope_allows(&c30, &rec_ent));
	assert_true(scope_allows(&c31, &rec_ent)); /* last slot counts */
	assert_false(scope_allows(&c32, &rec_ent));
	assert_true(scope_allows(&c32, &rec_owned_by_32));
	assert_false(scope_allows(&c30, &rec_owned_by_32));
	assert_false(scope_allows(&c30, &rec_owned_by_11));
	assert_false(scope_allows(&c30, &rec_empty));
	/* Its id as district or enterprise gives nothing. */
	struct scope_ref r = {.district_unit_id = 30, .enterprise_id = 30};
	assert_false(scope_allows(&c30, &r));
	/* Unit 0 never matches the empty CB slots. */
	struct principal c0 = who(ROLE_CB_STAFF, 0, 0);
	assert_false(scope_allows(&c0, &rec_ent));
	assert_false(scope_allows(&c0, &rec_empty));
}

static void test_enterprise(void **state)
{
	(void)state;
	struct principal e500 = who(ROLE_ENTERPRISE, 0, 500);
	struct principal e501 = who(ROLE_ENTERPRISE, 0, 501);
	assert_true(scope_allows(&e500, &rec_ent));
	assert_false(scope_allows(&e501, &rec_ent));
	assert_false(scope_allows(&e500, &rec_empty));
	assert_false(scope_allows(&e500, &rec_owned_by_11));
	/* Enterprise users are matched on enterprise_id only, never on unit_id. */
	struct principal e_with_unit = who(ROLE_ENTERPRISE, 10, 501);
	assert_false(scope_allows(&e_with_unit, &rec_ent));
	struct scope_ref owned = {.owner_unit_id = 500, .district_unit_id = 500, .cb_unit_ids = {500}};
	assert_false(scope_allows(&e500, &owned));
	/* enterprise_id 0 sees nothing, not even records with enterprise_id 0. */
	struct principal e0 = who(ROLE_ENTERPRISE, 0, 0);
	assert_false(scope_allows(&e0, &rec_empty));
	assert_false(scope_allows(&e0, &rec_owned_by_11));
}

static void test_none_and_null(void **state)
{
	(void)state;
	struct principal n = who(ROLE_NONE, 10, 500);
	assert_false(scope_allows(&n, &rec_ent));
	assert_false(scope_allows(&n, &rec_empty));
	assert_false(scope_allows(&n, &rec_owned_by_11));
	for (size_t i = 0; i < 4; i++) {
		struct principal p = who(all_roles[i], 10, 500);
		assert_false(scope_allows(&p, NULL));
	}
	assert_false(scope_allows(NULL, &rec_ent));
	assert_false(scope_allows(NULL, &rec_empty));
	assert_false(scope_allows(NULL, NULL));
	/* An out-of-range role value is refused too. */
	struct principal bad = who((enum role)77, 10, 500);
	assert_false(scope_allows(&bad, &rec_ent));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_role_in),
		cmocka_unit_test(test_city_sees_all),
		cmocka_unit_test(test_district),
		cmocka_unit_test(test_cb),
		cmocka_unit_test(test_enterprise),
		cmocka_unit_test(test_none_and_null),
	};
	return cmocka_run_group_tests_name("roles", tests, NULL, NULL);
}
