/*
 * test_deadline.c - the deadline service's rules (core/deadline.c): who a
 * deadline applies to, its state before, on and after the due date (done in
 * time, done late, not done), the reminder offset due on a given day, and the
 * parsing of offsets and e-mail addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/deadline.h"

static int32_t D(const char *s)
{
	int32_t d = 0;
	assert_true(date_parse(s, &d));
	return d;
}

static void test_audiences(void **state)
{
	(void)state;
	assert_int_equal(dl_audience_parse("all_units"), DLA_ALL_UNITS);
	assert_int_equal(dl_audience_parse("pilot_districts"), DLA_PILOT_DISTRICTS);
	assert_int_equal(dl_audience_parse("pilot_units"), DLA_PILOT_UNITS);
	assert_int_equal(dl_audience_parse("districts"), DLA_DISTRICTS);
	assert_int_equal(dl_audience_parse("everyone"), DLA_NONE);
	assert_int_equal(dl_audience_parse(NULL), DLA_NONE);
	/* is_district, pilot */
	assert_true(dl_applies(DLA_ALL_UNITS, false, false));
	assert_true(dl_applies(DLA_PILOT_DISTRICTS, true, true));
	assert_false(dl_applies(DLA_PILOT_DISTRICTS, true, false));
	assert_false(dl_applies(DLA_PILOT_DISTRICTS, false, true));
	assert_true(dl_applies(DLA_PILOT_UNITS, false, true));
	assert_false(dl_applies(DLA_PILOT_UNITS, true, false));
	assert_true(dl_applies(DLA_DISTRICTS, true, false));
	assert_false(dl_applies(DLA_DISTRICTS, false, true));
	assert_false(dl_applies(DLA_NONE, true, true));
}

/* Mid-term report due 2021-05-18 (the Shanghai 2021 calendar). */
static void test_states_around_due_date(void **state)
{
	(void)state;
	int32_t due = D("2021-05-18");
	/* Not done. */
	assert_int_equal(dl_state(true, due, 0, D("2021-04-01")), DLS_UPCOMING);
	assert_int_equal(dl_state(true, due, 0, D("2021-05-04")), DLS_UPCOMING);  /* 14 days before */
	assert_int_equal(dl_state(true, due, 0, D("2021-05-05")), DLS_DUE_SOON);  /* 13 days before */
	assert_int_equal(dl_state(true, due, 0, D("2021-05-17")), DLS_DUE_SOON);
	assert_int_equal(dl_state(true, due, 0, due), DLS_DUE_SOON);              /* on the day */
	assert_int_equal(dl_state(true, due, 0, D("2021-05-19")), DLS_OVERDUE);   /* the day after */
	assert_int_equal(dl_state(true, due, 0, D("2021-11-30")), DLS_OVERDUE);
	/* Done: on time or late, whatever today is. */
	assert_int_equal(dl_state(true, due, D("2021-05-10"), D("2021-05-12")), DLS_DONE);
	assert_int_equal(dl_state(true, due, due, D("2021-06-01")), DLS_DONE);
	assert_int_equal(dl_state(true, due, D("2021-05-19"), D("2021-05-19")), DLS_DONE_LATE);
	/* Not for this unit. */
	assert_int_equal(dl_state(false, due, 0, D("2021-06-01")), DLS_NOT_APPLICABLE);
	assert_int_equal(dl_state(false, due, D("2021-05-10"), D("2021-06-01")), DLS_NOT_APPLICABLE);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(dl_state_name(DLS_DUE_SOON), "due_soon");
	assert_string_equal(dl_state_label(DLS_DUE_SOON), "即将到期");
	assert_string_equal(dl_state_name(DLS_DONE_LATE), "done_late");
	assert_string_equal(dl_state_label(DLS_OVERDUE), "已逾期");
	assert_string_equal(dl_state_label(DLS_NOT_APPLICABLE), "不适用");
	assert_string_equal(dl_state_name((enum dl_state)99), "not_applicable");
}

static void test_reminder_offsets(void **state)
{
	(void)state;
	const int off[] = {-7, -1, 1, 7};
	int32_t due = D("2021-05-18");
	assert_int_equal(dl_reminder_offset(due, D("2021-05-10"), false, off, 4), -1); /* 8 days before */
	assert_int_equal(dl_reminder_offset(due, D("2021-05-11"), false, off, 4), 0);  /* 7 days before */
	assert_int_equal(dl_reminder_offset(due, D("2021-05-16"), false, off, 4), 0);
	assert_int_equal(dl_reminder_offset(due, D("2021-05-17"), false, off, 4), 1);  /* the day before */
	assert_int_equal(dl_reminder_offset(due, due, false, off, 4), 1);               /* on the day: still -1's */
	assert_int_equal(dl_reminder_offset(due, D("2021-05-19"), false, off, 4), 2);  /* one day late */
	assert_int_equal(dl_reminder_offset(due, D("2021-05-25"), false, off, 4), 3);  /* a week late */
	assert_int_equal(dl_reminder_offset(due, D("2021-11-01"), false, off, 4), 3);  /* and stays there */
	/* Done: nothing to remind. */
	assert_int_equal(dl_reminder_offset(due, D("2021-05-17"), true, off, 4), -1);
	assert_int_equal(dl_reminder_offset(due, D("2021-05-17"), false, off, 0), -1);
}

static void test_offsets_parse(void **state)
{
	(void)state;
	int o[16];
	assert_int_equal(dl_offsets_parse("-7,-1,1,7", o, 16), 4);
	assert_int_equal(o[0], -7);
	assert_int_equal(o[3], 7);
	assert_int_equal(dl_offsets_parse("7, -7, 0, 0", o, 16), 3); /* sorted, duplicates dropped */
	assert_int_equal(o[0], -7);
	assert_int_equal(o[1], 0);
	assert_int_equal(o[2], 7);
	assert_int_equal(dl_offsets_parse("", o, 16), 0);
	assert_int_equal(dl_offsets_parse("-7;1", o, 16), -1);
	assert_int_equal(dl_offsets_parse("x", o, 16), -1);
	assert_int_equal(dl_offsets_parse("400", o, 16), -1);
	assert_int_equal(dl_offsets_parse("1,2,3", o, 2), -1);
	assert_int_equal(dl_offsets_parse(NULL, o, 16), -1);
}

static void test_email(void **state)
{
	(void)state;
	assert_true(dl_email_valid("zhang.wei@pudong.gov.cn"));
	assert_true(dl_email_valid("a+b@example.com"));
	assert_false(dl_email_valid("zhang.wei"));
	assert_false(dl_email_valid("@example.com"));
	assert_false(dl_email_valid("a@b"));
	assert_false(dl_email_valid("a@b.c"));        /* one-letter TLD */
	assert_false(dl_email_valid("a@@b.cn"));
	assert_false(dl_email_valid("a b@b.cn"));
	assert_false(dl_email_valid("张伟@example.cn")); /* ASCII only for SMTP */
	assert_false(dl_email_valid("a@b..cn"));
	assert_false(dl_email_valid("a@.b.cn"));
	assert_false(dl_email_valid("a@b.c1"));
	assert_false(dl_email_valid("<a@b.cn>"));
	assert_false(dl_email_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audiences),
		cmocka_unit_test(test_states_around_due_date),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_reminder_offsets),
		cmocka_unit_test(test_offsets_parse),
		cmocka_unit_test(test_email),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
