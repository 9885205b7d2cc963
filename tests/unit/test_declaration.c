/*
 * test_declaration.c - the declaration form rules, contact formats, the
 * selection quota (core/declaration.c) and file-type sniffing (core/filetype.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/declaration.h"
#include "core/filetype.h"

static const char *const catalogue[] = {"集成电路", "生物医药", "人工智能"};
#define N_CAT 3

static int32_t day(const char *s)
{
	int32_t d = 0;
	assert_true(date_parse(s, &d));
	return d;
}

static void district_form(struct decl_form *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->unit_name, sizeof(f->unit_name), "浦东新区市场监管局");
	f->joins_pilot = 1;
	f->n_industries = 2;
	snprintf(f->industries[0], sizeof(f->industries[0]), "集成电路");
	snprintf(f->industries[1], sizeof(f->industries[1]), "生物医药");
	snprintf(f->leader, sizeof(f->leader), "张伟");
	snprintf(f->contact_phone, sizeof(f->contact_phone), "021-58880001");
}

static void cb_form(struct decl_form *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->unit_name, sizeof(f->unit_name), "沪联质量认证中心");
	f->joins_pilot = 1;
	snprintf(f->province, sizeof(f->province), "上海市");
	snprintf(f->founded, sizeof(f->founded), "2003-06-18");
	snprintf(f->ownership, sizeof(f->ownership), "joint_stock");
	snprintf(f->qualifications, sizeof(f->qualifications), "CNCA-R-2099-001");
	snprintf(f->leader, sizeof(f->leader), "王强");
	snprintf(f->contact_phone, sizeof(f->contact_phone), "13816600003");
}

static void expect_problem(const struct decl_form *f, bool is_cb, bool submit, const char *field)
{
	struct decl_problem p = {0};
	if (decl_validate(f, is_cb, submit, day("2021-05-10"), catalogue, N_CAT, &p))
		fail_msg("expected a problem with %s", field);
	assert_string_equal(p.field, field);
	assert_true(strlen(p.message) > 0);
}

static void expect_ok(const struct decl_form *f, bool is_cb, bool submit)
{
	struct decl_problem p = {0};
	if (!decl_validate(f, is_cb, submit, day("2021-05-10"), catalogue, N_CAT, &p))
		fail_msg("unexpected problem with %s: %s", p.field, p.message);
}

static void test_phone(void **state)
{
	(void)state;
	static const char *const good[] = {"13816600003", "19912345678", "021-58880001",
					   "0571-8888888", "010-12345678-123", "0755-23456789"};
	static const char *const bad[] = {"12816600003", "1381660000", "138166000031", "021-0888000",
					  "21-58880001", "021-588800", "021-588800011", "02158880001x",
					  "021-58880001-", "021-58880001-1234567", "0-58880001",
					  "021 58880001", "+8613816600003", ""};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!phone_valid(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (phone_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

static void test_email(void **state)
{
	(void)state;
	assert_true(email_valid("pilot@pudong.example.cn"));
	assert_true(email_valid("a.b-c@x.org"));
	assert_false(email_valid("pilot@pudong"));
	assert_false(email_valid("pilot.pudong.cn"));
	assert_false(email_valid("@x.cn"));
	assert_false(email_valid("a@@x.cn"));
	assert_false(email_valid("a b@x.cn"));
	assert_false(email_valid("a@x..cn"));
	assert_false(email_valid("a@x.c"));
	assert_false(email_valid("张@x.cn"));
}

static void test_district_rules(void **state)
{
	(void)state;
	struct decl_form f;
	district_form(&f);
	expect_ok(&f, false, true);
	/* a CB-only field on a district form */
	district_form(&f);
	snprintf(f.qualifications, sizeof(f.qualifications), "x");
	expect_problem(&f, false, false, "qualifications");
	district_form(&f);
	snprintf(f.founded, sizeof(f.founded), "2001-01-01");
	expect_problem(&f, false, false, "founded");
	/* industries: from the catalogue, no repeats, at least one to submit */
	district_form(&f);
	snprintf(f.industries[1], sizeof(f.industries[1]), "汽车");
	expect_problem(&f, false, false, "industries");
	district_form(&f);
	snprintf(f.industries[1], sizeof(f.industries[1]), "集成电路");
	expect_problem(&f, false, false, "industries");
	district_form(&f);
	f.n_industries = 0;
	expect_ok(&f, false, false); /* a draft may be incomplete */
	expect_problem(&f, false, true, "industries");
	district_form(&f);
	f.leader[0] = '\0';
	expect_problem(&f, false, true, "leader");
	district_form(&f);
	f.contact_phone[0] = '\0';
	expect_problem(&f, false, true, "contact_phone");
	district_form(&f);
	snprintf(f.contact_phone, sizeof(f.contact_phone), "12345");
	expect_problem(&f, false, false, "contact_phone");
	district_form(&f);
	snprintf(f.contact_email, sizeof(f.contact_email), "not-an-email");
	expect_problem(&f, false, false, "contact_email");
	district_form(&f);
	f.joins_pilot = -1;
	expect_problem(&f, false, true, "joins_pilot");
	district_form(&f);
	f.unit_name[0] = '\0';
	expect_problem(&f, false, true, "unit_name");
}

static void test_not_joining_is_short(void **state)
{
	(void)state;
	struct decl_form f;
	memset(&f, 0, sizeof(f));
	snprintf(f.unit_name, sizeof(f.unit_name), "静安区市场监管局");
	f.joins_pilot = 0;
	expect_ok(&f, false, true);
	expect_ok(&f, true, true);
}

static void test_cb_rules(void **state)
{
	(void)state;
	struct decl_form f;
	cb_form(&f);
	expect_ok(&f, true, true);
	cb_form(&f);
	f.n_industries = 1;
	snprintf(f.industries[0], sizeof(f.industries[0]), "集成电路");
	expect_problem(&f, true, false, "industries");
	cb_form(&f);
	snprintf(f.founded, sizeof(f.founded), "2021-05-11"); /* tomorrow */
	expect_problem(&f, true, false, "founded");
	snprintf(f.founded, sizeof(f.founded), "2021-05-10"); /* today is fine */
	expect_ok(&f, true, true);
	snprintf(f.founded, sizeof(f.founded), "2021-02-30");
	expect_problem(&f, true, false, "founded");
	cb_form(&f);
	snprintf(f.ownership, sizeof(f.ownership), "kingdom");
	expect_problem(&f, true, false, "ownership");
	cb_form(&f);
	snprintf(f.ownership, sizeof(f.ownership), "other");
	expect_ok(&f, true, false);
	expect_problem(&f, true, true, "ownership_other");
	snprintf(f.ownership_other, sizeof(f.ownership_other), "社会团体");
	expect_ok(&f, true, true);
	cb_form(&f);
	snprintf(f.ownership_other, sizeof(f.ownership_other), "社会团体");
	expect_problem(&f, true, false, "ownership_other");
	for (const char *const *k = (const char *const[]){"province", "founded", "ownership", "qualifications", NULL}; *k; k++) {
		cb_form(&f);
		if (!strcmp(*k, "province"))
			f.province[0] = '\0';
		else if (!strcmp(*k, "founded"))
			f.founded[0] = '\0';
		else if (!strcmp(*k, "ownership"))
			f.ownership[0] = '\0';
		else
			f.qualifications[0] = '\0';
		expect_problem(&f, true, true, *k);
	}
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(ownership_label("collective"), "集体所有制企业");
	assert_string_equal(ownership_label("other"), "其他");
	assert_string_equal(ownership_label("nope"), "");
	assert_string_equal(decl_category_for_kind("cb"), "certification_body");
	assert_string_equal(decl_category_for_kind("district"), "market_regulation");
	assert_string_equal(decl_category_label("certification_body"), "认证机构");
	assert_string_equal(decl_status_label("returned"), "已退回");
}

static void test_selection_quota(void **state)
{
	(void)state;
	assert_int_equal(selection_check(0, 2, NULL), SEL_OK);
	assert_int_equal(selection_check(1, 2, ""), SEL_OK);
	assert_int_equal(selection_check(2, 2, NULL), SEL_QUOTA_EXCEEDED);
	assert_int_equal(selection_check(2, 2, ""), SEL_QUOTA_EXCEEDED);
	assert_int_equal(selection_check(3, 2, "该行业企业数量多，需第三家机构"), SEL_OK);
	assert_int_equal(selection_check(2, 2, "太多"), SEL_EXCEPTION_SHORT);
	assert_int_equal(selection_check(0, 1, NULL), SEL_OK);
	assert_int_equal(selection_check(1, 1, NULL), SEL_QUOTA_EXCEEDED);
}

static void test_filetype(void **state)
{
	(void)state;
	assert_string_equal(filetype_sniff("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(filetype_sniff("\xFF\xD8\xFF\xE0\0\x10JFIF", 10), "image/jpeg");
	assert_string_equal(filetype_sniff("\x89PNG\r\n\x1a\n\0\0", 10), "image/png");
	assert_null(filetype_sniff("MZ\x90\0\x03\0\0\0", 8));         /* a Windows .exe */
	assert_null(filetype_sniff("\x7f" "ELF\x02\x01\x01", 7));
	assert_null(filetype_sniff("%PD", 3));
	assert_null(filetype_sniff("", 0));
	assert_true(filetype_same("application/pdf", "application/pdf"));
	assert_true(filetype_same("Application/PDF; charset=binary", "application/pdf"));
	assert_true(filetype_same("image/jpg", "image/jpeg"));
	assert_false(filetype_same("image/png", "application/pdf"));
	assert_false(filetype_same(NULL, "application/pdf"));
	char out[64];
	filename_clean("../../etc/申报表\"扫描\".pdf", out, sizeof(out));
	assert_string_equal(out, "申报表扫描.pdf");
	filename_clean("C:\\Users\\a\\scan.png", out, sizeof(out));
	assert_string_equal(out, "scan.png");
	filename_clean("", out, sizeof(out));
	assert_string_equal(out, "file");
	filename_clean(NULL, out, sizeof(out));
	assert_string_equal(out, "file");
	char tiny[8];
	filename_clean("申报表扫描.pdf", tiny, sizeof(tiny)); /* never cut a character in half */
	assert_string_equal(tiny, "申报");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_district_rules),
		cmocka_unit_test(test_not_joining_is_short),
		cmocka_unit_test(test_cb_rules),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_selection_quota),
		cmocka_unit_test(test_filetype),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
