/*
 * test_certificate.c - the certificate rules (core/certificate.c): status
 * names, the hand transitions, expiry, month arithmetic, the surveillance
 * schedule with an injected "today", suspension and withdrawal deadlines,
 * and the field checks. Dates are written as text and parsed by D().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/certificate.h"

/* ---- helpers ---- */

/* The day number of "YYYY-MM-DD" (the test fails on a bad literal). */
static int32_t D(const char *ymd)
{
	int32_t day = 0;
	if (!date_parse(ymd, &day))
		fail_msg("bad date literal %s", ymd);
	return day;
}

static void assert_day(int32_t day, const char *want)
{
	char got[11];
	date_format(day, got);
	if (strcmp(got, want))
		fail_msg("expected %s, got %s", want, got);
}

static const enum cert_status all_statuses[] = {CERT_VALID, CERT_SUSPENDED, CERT_WITHDRAWN,
						 CERT_CANCELLED, CERT_EXPIRED};

/* ---- status names ---- */

static void test_status_names(void **state)
{
	(void)state;
	static const struct {
		enum cert_status st;
		const char *name, *label;
	} cases[] = {
		{CERT_VALID, "valid", "有效"},         {CERT_SUSPENDED, "suspended", "暂停"},
		{CERT_WITHDRAWN, "withdrawn", "撤销"}, {CERT_CANCELLED, "cancelled", "注销"},
		{CERT_EXPIRED, "expired", "过期"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cert_status_parse(cases[i].name), cases[i].st);
		assert_string_equal(cert_status_name(cases[i].st), cases[i].name);
		assert_string_equal(cert_status_label(cases[i].st), cases[i].label);
	}
	assert_int_equal(cert_status_parse(NULL), CERT_NONE);
	assert_int_equal(cert_status_parse(""), CERT_NONE);
	assert_int_equal(cert_status_parse("Valid"), CERT_NONE);
	assert_int_equal(cert_status_parse("valid "), CERT_NONE);
	assert_int_equal(cert_status_parse("有效"), CERT_NONE);
	assert_int_equal(cert_status_parse("none"), CERT_NONE);
	assert_string_equal(cert_status_name(CERT_NONE), "none");
	assert_string_equal(cert_status_label(CERT_NONE), "未知");
}

/* ---- transitions ---- */

static void test_transitions(void **state)
{
	(void)state;
	/* The complete table: exactly these five are allowed by hand. */
	static const struct {
		enum cert_status from, to;
	} allowed[] = {
		{CERT_VALID, CERT_SUSPENDED},     {CERT_SUSPENDED, CERT_VALID},
		{CERT_SUSPENDED, CERT_WITHDRAWN}, {CERT_VALID, CERT_CANCELLED},
		{CERT_VALID, CERT_EXPIRED},
	};
	for (size_t f = 0; f < sizeof(all_statuses) / sizeof(all_statuses[0]); f++) {
		for (size_t t = 0; t < sizeof(all_statuses) / sizeof(all_statuses[0]); t++) {
			enum cert_status from = all_statuses[f], to = all_statuses[t];
			bool want = false;
			for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
				if (allowed[k].from == from && allowed[k].to == to)
					want = true;
			if (cert_transition_allowed(from, to) != want)
				fail_msg("%s -> %s: expected %s", cert_status_name(from),
					 cert_status_name(to), want ? "allowed" : "refused");
		}
		assert_false(cert_transition_allowed(all_statuses[f], CERT_NONE));
		assert_false(cert_transition_allowed(CERT_NONE, all_statuses[f]));
	}

	/* The cases the rules name, spelt out. */
	assert_true(cert_transition_allowed(CERT_VALID, CERT_SUSPENDED));
	assert_true(cert_transition_allowed(CERT_SUSPENDED, CERT_VALID));
	assert_true(cert_transition_allowed(CERT_SUSPENDED, CERT_WITHDRAWN));
	assert_true(cert_transition_allowed(CERT_VALID, CERT_CANCELLED));
	assert_true(cert_transition_allowed(CERT_VALID, CERT_EXPIRED));
	assert_false(cert_transition_allowed(CERT_VALID, CERT_WITHDRAWN));
	assert_false(cert_transition_allowed(CERT_SUSPENDED, CERT_CANCELLED));
	assert_false(cert_transition_allowed(CERT_SUSPENDED, CERT_EXPIRED));
	assert_false(cert_transition_allowed(CERT_VALID, CERT_VALID));
	assert_false(cert_transition_allowed(CERT_SUSPENDED, CERT_SUSPENDED));
	/* Final states. */
	for (size_t t = 0; t < sizeof(all_statuses) / sizeof(all_statuses[0]); t++) {
		assert_false(cert_transition_allowed(CERT_WITHDRAWN, all_statuses[t]));
		assert_false(cert_transition_allowed(CERT_CANCELLED, all_statuses[t]));
		assert_false(cert_transition_allowed(CERT_EXPIRED, all_statuses[t]));
	}
}

/* ---- effective status ---- */

static void test_effective_status(void **state)
{
	(void)state;
	int32_t expiry = D("2024-06-14");
	/* The day of expiry is still covered; the next day is not. */
	assert_int_equal(cert_effective_status(CERT_VALID, expiry, D("2024-06-13")), CERT_VALID);
	assert_int_equal(cert_effective_status(CERT_VALID, expiry, expiry), CERT_VALID);
	assert_int_equal(cert_effective_status(CERT_VALID, expiry, D("2024-06-15")), CERT_EXPIRED);
	assert_int_equal(cert_effective_status(CERT_SUSPENDED, expiry, expiry), CERT_SUSPENDED);
	assert_int_equal(cert_effective_status(CERT_SUSPENDED, expiry, D("2024-06-15")),
			 CERT_EXPIRED);
	assert_int_equal(cert_effective_status(CERT_SUSPENDED, expiry, D("2030-01-01")),
			 CERT_EXPIRED);
	/* Final states keep their own name after expiry. */
	assert_int_equal(cert_effective_status(CERT_WITHDRAWN, expiry, D("2024-06-15")),
			 CERT_WITHDRAWN);
	assert_int_equal(cert_effective_status(CERT_WITHDRAWN, expiry, D("2022-01-01")),
			 CERT_WITHDRAWN);
	assert_int_equal(cert_effective_status(CERT_CANCELLED, expiry, D("2024-06-15")),
			 CERT_CANCELLED);
	assert_int_equal(cert_effective_status(CERT_EXPIRED, expiry, D("2022-01-01")),
			 CERT_EXPIRED);
}

/* ---- month arithmetic ---- */

static void test_add_months(void **state)
{
	(void)state;
	assert_day(date_add_months(D("2021-01-31"), 1), "2021-02-28");
	assert_day(date_add_months(D("2020-01-31"), 1), "2020-02-29");
	assert_day(date_add_months(D("2021-03-31"), 1), "2021-04-30");
	assert_day(date_add_months(D("2020-02-29"), 12), "2021-02-28");
	assert_day(date_add_months(D("2020-02-29"), 48), "2024-02-29");
	assert_day(date_add_months(D("2021-06-15"), 36), "2024-06-15");
	assert_day(date_add_months(D("2021-06-15"), 12), "2022-06-15");
	assert_day(date_add_months(D("2021-12-15"), 1), "2022-01-15");
	assert_day(date_add_months(D("2021-06-15"), 0), "2021-06-15");
	/* Backwards, across a year and onto a shorter month. */
	assert_day(date_add_months(D("2021-03-31"), -1), "2021-02-28");
	assert_day(date_add_months(D("2021-01-15"), -1), "2020-12-15");
	assert_day(date_add_months(D("2024-06-15"), -36), "2021-06-15");
	assert_day(date_add_months(D("2021-02-28"), -12), "2020-02-28");
	assert_day(date_add_months(D("2021-01-10"), -13), "2019-12-10");
}

/* ---- surveillance schedule ---- */

static struct cert_schedule schedule(const char *const *done, int n_done, const char *today)
{
	int32_t days[8];
	for (int i = 0; i < n_done; i++)
		days[i] = D(done[i]);
	struct cert_schedule s;
	memset(&s, 0x5A, sizeof(s)); /* the function must set every field */
	cert_schedule(D("2021-06-15"), D("2024-06-14"), days, n_done, D(today), &s);
	return s;
}

static void test_schedule_none_done(void **state)
{
	(void)state;
	struct cert_schedule s = schedule(NULL, 0, "2022-01-10");
	assert_int_equal(s.done, 0);
	assert_int_equal(s.required, 2);
	assert_day(s.next_due, "2022-06-15");
	assert_false(s.overdue);
	assert_int_equal(s.days_left, D("2022-06-15") - D("2022-01-10"));

	s = schedule(NULL, 0, "2022-06-15"); /* the last day is still in time */
	assert_day(s.next_due, "2022-06-15");
	assert_false(s.overdue);
	assert_int_equal(s.days_left, 0);
	assert_false(cert_must_suspend(CERT_VALID, &s));

	s = schedule(NULL, 0, "2022-06-16");
	assert_true(s.overdue);
	assert_int_equal(s.days_left, -1);
	assert_true(cert_must_suspend(CERT_VALID, &s));
	/* Only a valid certificate is suspended for it. */
	assert_false(cert_must_suspend(CERT_SUSPENDED, &s));
	assert_false(cert_must_suspend(CERT_WITHDRAWN, &s));
	assert_false(cert_must_suspend(CERT_EXPIRED, &s));
}

static void test_schedule_one_done(void **state)
{
	(void)state;
	static const char *const done[] = {"2022-05-20"};
	struct cert_schedule s = schedule(done, 1, "2022-06-01");
	assert_int_equal(s.done, 1);
	assert_day(s.next_due, "2023-05-20");
	assert_false(s.overdue);
	assert_int_equal(s.days_left, D("2023-05-20") - D("2022-06-01"));
	s = schedule(done, 1, "2023-05-21");
	assert_true(s.overdue);
	assert_true(cert_must_suspend(CERT_VALID, &s));

	/* One done late in the cycle: the next may not come after expiry. */
	static const char *const late[] = {"2023-07-01"};
	s = schedule(late, 1, "2023-08-01");
	assert_day(s.next_due, "2024-06-14");
	assert_false(s.overdue);
	s = schedule(late, 1, "2024-06-15");
	assert_true(s.overdue);
}

static void test_schedule_two_done(void **state)
{
	(void)state;
	/* The next would fall before expiry: still due. */
	static const char *const early[] = {"2022-05-20", "2023-05-20"};
	struct cert_schedule s = schedule(early, 2, "2023-06-01");
	assert_int_equal(s.done, 2);
	assert_day(s.next_due, "2024-05-20");
	assert_false(s.overdue);
	s = schedule(early, 2, "2024-05-21");
	assert_true(s.overdue);
	assert_true(cert_must_suspend(CERT_VALID, &s));

	/* Boundary: due the day before expiry is still due ... */
	static const char *const before[] = {"2022-05-20", "2023-06-13"};
	s = schedule(before, 2, "2023-07-01");
	assert_day(s.next_due, "2024-06-13");
	assert_false(s.overdue);
	/* ... due on the day of expiry is not: recertification takes over. */
	static const char *const on[] = {"2022-05-20", "2023-06-14"};
	s = schedule(on, 2, "2024-06-14");
	assert_int_equal(s.next_due, 0);
	assert_false(s.overdue);
	assert_false(cert_must_suspend(CERT_VALID, &s));
	/* ... nor after it. */
	static const char *const after[] = {"2022-06-10", "2023-06-10", "2023-12-01"};
	s = schedule(after, 3, "2024-06-01");
	assert_int_equal(s.done, 3);
	assert_int_equal(s.next_due, 0);
	assert_false(s.overdue);
	assert_false(cert_must_suspend(CERT_VALID, &s));
}

/* ---- suspension and withdrawal ---- */

static void test_must_withdraw(void **state)
{
	(void)state;
	int32_t suspended_on = D("2021-03-10");
	assert_false(cert_must_withdraw(CERT_SUSPENDED, suspended_on, D("2021-03-10")));
	assert_false(cert_must_withdraw(CERT_SUSPENDED, suspended_on, D("2021-09-10")));
	assert_true(cert_must_withdraw(CERT_SUSPENDED, suspended_on, D("2021-09-11")));
	assert_true(cert_must_withdraw(CERT_SUSPENDED, suspended_on, D("2022-01-01")));
	/* Only a certificate still suspended. */
	assert_false(cert_must_withdraw(CERT_VALID, suspended_on, D("2021-09-11")));
	assert_false(cert_must_withdraw(CERT_WITHDRAWN, suspended_on, D("2021-09-11")));
	assert_false(cert_must_withdraw(CERT_EXPIRED, suspended_on, D("2021-09-11")));
	/* Month ends clamp: suspended 08-31, six months end 02-28. */
	assert_false(cert_must_withdraw(CERT_SUSPENDED, D("2021-08-31"), D("2022-02-28")));
	assert_true(cert_must_withdraw(CERT_SUSPENDED, D("2021-08-31"), D("2022-03-01")));
}

/* ---- field checks ---- */

static struct cert_fields good_fields(void)
{
	return (struct cert_fields){
		.number = "03410Q10286R0S",
		.holder = "上海浦江精密电子有限公司",
		.scope = "电子元器件的设计、生产和销售",
		.standard = "GB/T 19001-2016/ISO 9001:2015",
		.first_issue = D("2018-06-15"),
		.issue = D("2021-06-15"),
		.expiry = D("2024-06-14"),
		.headcount = 48,
	};
}

#define TODAY D("2021-07-01")

/* cert_validate on f must fail on field (with a message) or pass when field is NULL. */
static void expect(const struct cert_fields *f, const char *field)
{
	struct cert_problem p = {0};
	bool ok = cert_validate(f, TODAY, &p);
	if (!field) {
		if (!ok)
			fail_msg("expected valid, got %s: %s", p.field, p.message);
		return;
	}
	if (ok)
		fail_msg("expected a problem with %s", field);
	assert_non_null(p.field);
	assert_string_equal(p.field, field);
	assert_true(p.message[0] != '\0');
}

static void test_validate_good(void **state)
{
	(void)state;
	struct cert_fields f = good_fields();
	expect(&f, NULL);
	f.first_issue = 0; /* optional */
	expect(&f, NULL);
	f = good_fields();
	f.first_issue = f.issue; /* a first certificate */
	expect(&f, NULL);
	f = good_fields();
	f.issue = TODAY; /* issued today */
	f.expiry = D("2024-06-30");
	expect(&f, NULL);
	f = good_fields();
	f.headcount = 1;
	expect(&f, NULL);
}

static void test_validate_number(void **state)
{
	(void)state;
	static const char *const bad[] = {
		NULL, "", "03Q", "03410q10286r0s", "03410Q10286R0s", "03410Q 10286R0S",
		"03410Q10286R0S.", "０３４１０Ｑ", "03410Q_10286", "A2345678901234567890123456789012345678901",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cert_fields f = good_fields();
		f.number = bad[i];
		expect(&f, "number");
	}
}

static void test_validate_required(void **state)
{
	(void)state;
	struct cert_fields f = good_fields();
	f.holder = NULL;
	expect(&f, "holder");
	f.holder = "";
	expect(&f, "holder");
	f = good_fields();
	f.scope = NULL;
	expect(&f, "scope");
	f.scope = "";
	expect(&f, "scope");
	f = good_fields();
	f.standard = NULL;
	expect(&f, "standard");
	f.standard = "";
	expect(&f, "standard");
	f = good_fields();
	f.issue = 0;
	expect(&f, "issue_date");
	f = good_fields();
	f.expiry = 0;
	expect(&f, "expiry_date");
}

static void test_validate_dates(void **state)
{
	(void)state;
	struct cert_fields f = good_fields();
	f.issue = TODAY + 1; /* issued in the future */
	f.expiry = date_add_months(f.issue, 36) - 1;
	expect(&f, "issue_date");

	f = good_fields();
	f.first_issue = f.issue + 1;
	expect(&f, "first_issue_date");

	f = good_fields();
	f.expiry = f.issue - 1;
	expect(&f, "expiry_date");
	f.expiry = f.issue;
	expect(&f, "expiry_date");
	f.expiry = f.issue + 1;
	expect(&f, NULL);

	/* At most three years: exactly 36 months is accepted, a day more is not. */
	f = good_fields();
	f.expiry = D("2024-06-15");
	expect(&f, NULL);
	f.expiry = D("2024-06-16");
	expect(&f, "expiry_date");
	/* Issued on 02-29: 36 months later clamps to 02-28. */
	f = good_fields();
	f.first_issue = 0;
	f.issue = D("2020-02-29");
	f.expiry = D("2023-02-28");
	expect(&f, NULL);
	f.expiry = D("2023-03-01");
	expect(&f, "expiry_date");
}

static void test_validate_headcount(void **state)
{
	(void)state;
	struct cert_fields f = good_fields();
	f.headcount = 0;
	expect(&f, "headcount");
	f.headcount = -1; /* missing */
	expect(&f, "headcount");
	f.headcount = 1000000;
	expect(&f, NULL);
	f.headcount = 1000001;
	expect(&f, "headcount");
}

static void test_number_valid(void **state)
{
	(void)state;
	assert_true(cert_number_valid("03410Q10286R0S"));
	assert_true(cert_number_valid("00121Q31234R1M"));
	assert_true(cert_number_valid("CQC-2021-Q(01)"));
	assert_false(cert_number_valid("CQC-2021/Q(01)")); /* "/" would split the verify URL */
	assert_true(cert_number_valid("ABCD"));                                     /* 4 */
	assert_true(cert_number_valid("A234567890123456789012345678901234567890")); /* 40 */
	assert_false(cert_number_valid("A23456789012345678901234567890123456789012")); /* 42 */
	assert_false(cert_number_valid("ABC"));
	assert_false(cert_number_valid(""));
	assert_false(cert_number_valid(NULL));
	assert_false(cert_number_valid("03410q10286R0S"));
	assert_false(cert_number_valid("03410Q10286R0S "));
	assert_false(cert_number_valid("03410Q\n10286"));
	assert_false(cert_number_valid("证书03410Q"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_effective_status),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_schedule_none_done),
		cmocka_unit_test(test_schedule_one_done),
		cmocka_unit_test(test_schedule_two_done),
		cmocka_unit_test(test_must_withdraw),
		cmocka_unit_test(test_validate_good),
		cmocka_unit_test(test_validate_number),
		cmocka_unit_test(test_validate_required),
		cmocka_unit_test(test_validate_dates),
		cmocka_unit_test(test_validate_headcount),
		cmocka_unit_test(test_number_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
