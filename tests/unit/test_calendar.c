/*
 * test_calendar.c - dates, phases and deadline states.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/calendar.h"

static int32_t D(const char *s)
{
	int32_t d = INT32_MIN;
	if (!date_parse(s, &d))
		fail_msg("date_parse(\"%s\") failed", s);
	return d;
}

static void test_parse_valid(void **state)
{
	(void)state;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("1970-01-02"), 1);
	assert_int_equal(D("1969-12-31"), -1);
	assert_int_equal(D("2021-05-10"), 18757);
	assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is leap */
	assert_int_equal(D("1900-03-01") - D("1900-02-28"), 1); /* 1900 is not */
	assert_int_equal(D("2021-01-01") - D("2020-01-01"), 366);
	assert_int_equal(D("2022-01-01") - D("2021-01-01"), 365);
	assert_int_equal(D("2020-02-29"), date_from_ymd(2020, 2, 29));
	assert_int_equal(D("2020-03-01") - D("2020-02-29"), 1);
	/* Range ends. */
	assert_int_equal(D("1900-01-01"), date_from_ymd(1900, 1, 1));
	assert_int_equal(D("2999-12-31"), date_from_ymd(2999, 12, 31));
	assert_int_equal(D("2000-02-29"), date_from_ymd(2000, 2, 29));
	assert_int_equal(D("2021-12-31"), date_from_ymd(2021, 12, 31));
	assert_int_equal(D("2021-04-30"), date_from_ymd(2021, 4, 30));
}

static void test_parse_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2021-02-29", /* not a leap year */
		"1900-02-29", /* century, not leap */
		"2100-02-29",
		"2021-5-10",
		"2021-05-1",
		"21-05-10",
		"2021-05-10x",
		"2021-05-10 ",
		" 2021-05-10",
		"2021-05-10T00:00:00Z",
		"",
		"2021",
		"1899-12-31",
		"3000-01-01",
		"0000-01-01",
		"2021-00-10",
		"2021-13-01",
		"2021-05-00",
		"2021-05-32",
		"2021-04-31",
		"2021-06-31",
		"2021/05/10",
		"2021.05.10",
		"20210510xx",
		"2021-0a-10",
		"2021-05-1a",
		"+021-05-10",
		"-021-05-10",
		"2021--5-10",
		"2021-05--1",
		"２０２１-05-10",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int32_t d = 12345;
		if (date_parse(bad[i], &d))
			fail_msg("date_parse(\"%s\") accepted it as %d", bad[i], (int)d);
	}
	int32_t d = 7;
	assert_false(date_parse(NULL, &d));
}

static void test_format_round_trip(void **state)
{
	(void)state;
	char buf[11];
	date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(18757, buf);
	assert_string_equal(buf, "2021-05-10");
	date_format(D("2020-02-29"), buf);
	assert_string_equal(buf, "2020-02-29");
	date_format(D("1900-01-01"), buf);
	assert_string_equal(buf, "1900-01-01");
	date_format(D("2999-12-31"), buf);
	assert_string_equal(buf, "2999-12-31");
	date_format(D("2000-02-29") + 1, buf);
	assert_string_equal(buf, "2000-03-01");
	date_format(D("2021-12-31") + 1, buf);
	assert_string_equal(buf, "2022-01-01");

	/* Every day of the accepted range survives format -> parse, and
	 * consecutive days are consecutive numbers. */
	int32_t first = D("1900-01-01"), last = D("2999-12-31");
	int32_t prev = first - 1;
	for (int32_t day = first; day <= last; day++) {
		date_format(day, buf);
		int32_t back = INT32_MIN;
		if (!date_parse(buf, &back) || back != day)
			fail_msg("day %d formatted as %s, parsed back as %d", (int)day, buf, (int)back);
		assert_int_equal(back, prev + 1);
		prev = back;
		int y, m, d;
		date_to_ymd(day, &y, &m, &d);
		assert_int_equal(date_from_ymd(y, m, d), day);
	}
	/* 1100 years = 401,776 days (267 leap years in 1900..2999). */
	assert_int_equal(last - first + 1, 1100 * 365 + 267);
}

static void test_days_between(void **state)
{
	(void)state;
	int32_t today = D("2021-05-10");
	assert_int_equal(D("2021-02-20") - today, -79);
	assert_int_equal(D("2021-03-05") - today, -66);
	assert_int_equal(D("2021-05-18") - today, 8);
	assert_int_equal(D("2021-11-18") - today, 192);
}

static void test_phase_state(void **state)
{
	(void)state;
	int32_t start = D("2021-05-01"), end = D("2021-05-31");
	assert_int_equal(phase_state(start, end, start - 1), PHASE_UPCOMING);
	assert_int_equal(phase_state(start, end, start), PHASE_CURRENT);
	assert_int_equal(phase_state(start, end, D("2021-05-10")), PHASE_CURRENT);
	assert_int_equal(phase_state(start, end, end), PHASE_CURRENT);
	assert_int_equal(phase_state(start, end, end + 1), PHASE_PAST);
	assert_int_equal(phase_state(start, end, D("2022-01-01")), PHASE_PAST);
	/* A one-day phase. */
	assert_int_equal(phase_state(start, start, start), PHASE_CURRENT);
	assert_int_equal(phase_state(start, start, start - 1), PHASE_UPCOMING);
	assert_int_equal(phase_state(start, start, start + 1), PHASE_PAST);

	assert_string_equal(phase_state_name(PHASE_PAST), "past");
	assert_string_equal(phase_state_name(PHASE_CURRENT), "current");
	assert_string_equal(phase_state_name(PHASE_UPCOMING), "upcoming");
	assert_string_equal(phase_state_label(PHASE_PAST), "已结束");
	assert_string_equal(phase_state_label(PHASE_CURRENT), "进行中");
	assert_string_equal(phase_state_label(PHASE_UPCOMING), "未开始");
}

static void test_deadline_state(void **state)
{
	(void)state;
	int32_t today = D("2021-05-10");
	assert_int_equal(deadline_state(today, today, false), DL_DUE_TODAY);
	assert_int_equal(deadline_state(today + 1, today, false), DL_DUE_SOON);
	assert_int_equal(deadline_state(today + 8, today, false), DL_DUE_SOON);
	assert_int_equal(deadline_state(today + 14, today, false), DL_DUE_SOON);
	assert_int_equal(deadline_state(today + 15, today, false), DL_UPCOMING);
	assert_int_equal(deadline_state(today + 192, today, false), DL_UPCOMING);
	assert_int_equal(deadline_state(today - 1, today, false), DL_OVERDUE);
	assert_int_equal(deadline_state(today - 79, today, false), DL_OVERDUE);
	/* Done wins over every date relation. */
	assert_int_equal(deadline_state(today - 1, today, true), DL_DONE);
	assert_int_equal(deadline_state(today, today, true), DL_DONE);
	assert_int_equal(deadline_state(today + 1, today, true), DL_DONE);
	assert_int_equal(deadline_state(today + 15, today, true), DL_DONE);

	/* The four 2021 deadlines seen on 2021-05-10. */
	assert_int_equal(deadline_state(D("2021-02-20"), today, false), DL_OVERDUE);
	assert_int_equal(deadline_state(D("2021-03-05"), today, false), DL_OVERDUE);
	assert_int_equal(deadline_state(D("2021-05-18"), today, false), DL_DUE_SOON);
	assert_int_equal(deadline_state(D("2021-11-18"), today, false), DL_UPCOMING);

	assert_string_equal(deadline_state_name(DL_UPCOMING), "upcoming");
	assert_string_equal(deadline_state_name(DL_DUE_SOON), "due_soon");
	assert_string_equal(deadline_state_name(DL_DUE_TODAY), "due_today");
	assert_string_equal(deadline_state_name(DL_OVERDUE), "overdue");
	assert_string_equal(deadline_state_name(DL_DONE), "done");
}

static void test_today_shanghai(void **state)
{
	(void)state;
	const int64_t t = 1620576000; /* 2021-05-09T16:00:00Z = 2021-05-10 00:00 in Shanghai */
	assert_int_equal(date_today_shanghai(t), D("2021-05-10"));
	assert_int_equal(date_today_shanghai(t - 1), D("2021-05-09"));
	assert_int_equal(date_today_shanghai(t + 86399), D("2021-05-10"));
	assert_int_equal(date_today_shanghai(t + 86400), D("2021-05-11"));
	/* UTC midnight is 08:00 the same day in Shanghai. */
	assert_int_equal(date_today_shanghai(t + 8 * 3600), D("2021-05-10"));
	assert_int_equal(date_today_shanghai(0), 0);
	assert_int_equal(date_today_shanghai(16 * 3600 - 1), 0);
	assert_int_equal(date_today_shanghai(16 * 3600), 1);
	/* Before the epoch: days round down, not toward zero. */
	assert_int_equal(date_today_shanghai(-8 * 3600), 0);
	assert_int_equal(date_today_shanghai(-8 * 3600 - 1), -1);
	assert_int_equal(date_today_shanghai(-8 * 3600 - 86400), -1);
	assert_int_equal(date_today_shanghai(-8 * 3600 - 86401), -2);
}

/* Times are stored in UTC; a document prints the Shanghai date (UTC+8). */
static void test_rfc3339_shanghai(void **state)
{
	(void)state;
	char d[11];
	date_of_rfc3339_shanghai("2021-05-09T16:13:59Z", d);
	assert_string_equal(d, "2021-05-10");
	date_of_rfc3339_shanghai("2021-05-09T15:59:59Z", d);
	assert_string_equal(d, "2021-05-09");
	date_of_rfc3339_shanghai("2021-12-31T23:00:00Z", d);
	assert_string_equal(d, "2022-01-01");
	date_of_rfc3339_shanghai("2021-05-09", d);
	assert_string_equal(d, "");
	date_of_rfc3339_shanghai(NULL, d);
	assert_string_equal(d, "");
	date_of_rfc3339_shanghai("2021-02-30T01:00:00Z", d);
	assert_string_equal(d, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_days_between),
		cmocka_unit_test(test_phase_state),
		cmocka_unit_test(test_deadline_state),
		cmocka_unit_test(test_today_shanghai),
		cmocka_unit_test(test_rfc3339_shanghai),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
