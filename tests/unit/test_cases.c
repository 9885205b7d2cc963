/*
 * test_cases.c - the rules of typical cases and benchmark enterprises
 * (core/cases.c): the case status machine, the submit check, the labels,
 * reviewers' score range and mean, the quota states and the publication check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/cases.h"

/* ---- Typical cases ---- */

static void test_case_status_names(void **state)
{
	(void)state;
	static const char *const names[] = {"draft", "submitted", "returned", "published"};
	static const char *const labels[] = {"草稿", "已提交", "已退回", "已发布"};
	for (int i = 0; i < 4; i++) {
		enum case_status s = case_status_parse(names[i]);
		assert_int_not_equal(s, CASE_NONE);
		assert_string_equal(case_status_name(s), names[i]);
		assert_string_equal(case_status_label(s), labels[i]);
	}
	assert_int_equal(case_status_parse("approved"), CASE_NONE);
	assert_int_equal(case_status_parse(""), CASE_NONE);
	assert_int_equal(case_status_parse(NULL), CASE_NONE);
	assert_string_equal(case_status_name(CASE_NONE), "");
}

/* Every (status, event) pair: the expected outcome, and a reason whenever refused. */
static void test_case_transitions(void **state)
{
	(void)state;
	static const struct {
		enum case_status from;
		enum case_event ev;
		enum case_status to;
	} table[] = {
		{CASE_DRAFT, CASE_EV_EDIT, CASE_DRAFT},
		{CASE_DRAFT, CASE_EV_SUBMIT, CASE_SUBMITTED},
		{CASE_DRAFT, CASE_EV_DELETE, CASE_DRAFT},
		{CASE_DRAFT, CASE_EV_RETURN, CASE_NONE},
		{CASE_DRAFT, CASE_EV_PUBLISH, CASE_NONE},
		{CASE_SUBMITTED, CASE_EV_EDIT, CASE_NONE},
		{CASE_SUBMITTED, CASE_EV_SUBMIT, CASE_NONE},
		{CASE_SUBMITTED, CASE_EV_DELETE, CASE_NONE},
		{CASE_SUBMITTED, CASE_EV_RETURN, CASE_RETURNED},
		{CASE_SUBMITTED, CASE_EV_PUBLISH, CASE_PUBLISHED},
		{CASE_RETURNED, CASE_EV_EDIT, CASE_RETURNED},
		{CASE_RETURNED, CASE_EV_SUBMIT, CASE_SUBMITTED},
		{CASE_RETURNED, CASE_EV_DELETE, CASE_RETURNED},
		{CASE_RETURNED, CASE_EV_RETURN, CASE_NONE},
		{CASE_RETURNED, CASE_EV_PUBLISH, CASE_NONE},
		{CASE_PUBLISHED, CASE_EV_EDIT, CASE_NONE},
		{CASE_PUBLISHED, CASE_EV_SUBMIT, CASE_NONE},
		{CASE_PUBLISHED, CASE_EV_DELETE, CASE_NONE},
		{CASE_PUBLISHED, CASE_EV_RETURN, CASE_NONE},
		{CASE_PUBLISHED, CASE_EV_PUBLISH, CASE_NONE},
		{CASE_NONE, CASE_EV_EDIT, CASE_NONE},
		{CASE_NONE, CASE_EV_PUBLISH, CASE_NONE},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *why = "unchanged";
		enum case_status to = case_next(table[i].from, table[i].ev, &why);
		assert_int_equal(to, table[i].to);
		if (to == CASE_NONE) {
			assert_non_null(why);
			assert_true(strlen(why) > 0);
		} else {
			assert_null(why);
		}
	}
	/* why may be NULL. */
	assert_int_equal(case_next(CASE_DRAFT, CASE_EV_SUBMIT, NULL), CASE_SUBMITTED);
	assert_int_equal(case_next(CASE_PUBLISHED, CASE_EV_EDIT, NULL), CASE_NONE);
	/* The reasons say what happened, in the user's words. */
	const char *why;
	case_next(CASE_SUBMITTED, CASE_EV_EDIT, &why);
	assert_non_null(strstr(why, "已提交"));
	case_next(CASE_SUBMITTED, CASE_EV_SUBMIT, &why);
	assert_non_null(strstr(why, "重复"));
	case_next(CASE_PUBLISHED, CASE_EV_RETURN, &why);
	assert_non_null(strstr(why, "已发布"));
	case_next(CASE_DRAFT, CASE_EV_PUBLISH, &why);
	assert_non_null(strstr(why, "尚未提交"));
}

static void test_case_texts(void **state)
{
	(void)state;
	static const char *const keys[] = {"summary", "problems", "measures", "results", "lessons"};
	for (int i = 0; i < CASE_N_TEXTS; i++) {
		assert_string_equal(case_text_key(i), keys[i]);
		assert_int_equal(case_text_index(keys[i]), i);
		assert_non_null(case_text_label(i));
	}
	assert_string_equal(case_text_label(4), "经验启示");
	assert_true(case_text_required(0));
	assert_false(case_text_required(1));
	assert_true(case_text_required(4));
	assert_false(case_text_required(-1));
	assert_false(case_text_required(CASE_N_TEXTS));
	assert_null(case_text_key(CASE_N_TEXTS));
	assert_null(case_text_label(-1));
	assert_int_equal(case_text_index("title"), -1);
	assert_int_equal(case_text_index(NULL), -1);
}

static void test_case_submit_check(void **state)
{
	(void)state;
	const char *full[CASE_N_TEXTS] = {"简介", "", NULL, "", "经验"};
	assert_null(case_missing_for_submit("标题", full));
	assert_string_equal(case_missing_for_submit("", full), "title");
	assert_string_equal(case_missing_for_submit(NULL, full), "title");
	assert_string_equal(case_missing_for_submit(" \t\n", full), "title");
	const char *no_lessons[CASE_N_TEXTS] = {"简介", "a", "b", "c", " \r\n\t "};
	assert_string_equal(case_missing_for_submit("标题", no_lessons), "lessons");
	const char *none[CASE_N_TEXTS] = {NULL, NULL, NULL, NULL, NULL};
	assert_string_equal(case_missing_for_submit("标题", none), "summary");
	/* The title is reported first. */
	assert_string_equal(case_missing_for_submit("", none), "title");
	/* Full-width spaces are text, not blanks (a case in Chinese may start with one). */
	const char *wide[CASE_N_TEXTS] = {"\xe3\x80\x80", NULL, NULL, NULL, "经验"};
	assert_null(case_missing_for_submit("标题", wide));
}

/* ---- Benchmark enterprises ---- */

static void test_bench_status_names(void **state)
{
	(void)state;
	assert_int_equal(bench_status_parse("nominated"), BENCH_NOMINATED);
	assert_int_equal(bench_status_parse("selected"), BENCH_SELECTED);
	assert_int_equal(bench_status_parse("not_selected"), BENCH_NOT_SELECTED);
	assert_int_equal(bench_status_parse("published"), BENCH_NONE);
	assert_int_equal(bench_status_parse(NULL), BENCH_NONE);
	assert_string_equal(bench_status_name(BENCH_NOT_SELECTED), "not_selected");
	assert_string_equal(bench_status_label(BENCH_NOMINATED), "已提名");
	assert_string_equal(bench_status_label(BENCH_SELECTED), "入选");
	assert_string_equal(bench_status_label(BENCH_NOT_SELECTED), "未入选");
	assert_string_equal(bench_status_label(BENCH_NONE), "");
}

static void test_bench_scores(void **state)
{
	(void)state;
	assert_true(bench_score_valid(0));
	assert_true(bench_score_valid(100));
	assert_true(bench_score_valid(59));
	assert_false(bench_score_valid(-1));
	assert_false(bench_score_valid(101));
	assert_false(bench_score_valid(INT64_MAX));
	assert_false(bench_score_valid(INT64_MIN));

	double m = -1;
	assert_false(bench_mean(NULL, 0, &m));
	assert_true(m == 0);
	int one[] = {92};
	assert_true(bench_mean(one, 1, &m));
	assert_true(m == 92.0);
	int two[] = {92, 91};
	assert_true(bench_mean(two, 2, &m));
	assert_true(m == 91.5);
	int three[] = {90, 85, 81}; /* 85.333… → 85.3 */
	assert_true(bench_mean(three, 3, &m));
	assert_true(m == 85.3);
	int half[] = {80, 81, 81, 81, 81, 81}; /* 80.8333… → 80.8 */
	assert_true(bench_mean(half, 6, &m));
	assert_true(m == 80.8);
	int up[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; /* 0.05 → 0.1 (halves up) */
	assert_true(bench_mean(up, 20, &m));
	assert_true(m == 0.1);
	int edges[] = {0, 100};
	assert_true(bench_mean(edges, 2, &m));
	assert_true(m == 50.0);
}

static void test_bench_quota(void **state)
{
	(void)state;
	assert_string_equal(bench_quota_state(0, 1, 2), "missing");
	assert_string_equal(bench_quota_state(1, 1, 2), "open");
	assert_string_equal(bench_quota_state(2, 1, 2), "full");
	assert_string_equal(bench_quota_state(3, 1, 2), "over");
	assert_string_equal(bench_quota_state(2, 1, 1), "over");
	/* A programme that asks for none and allows none. */
	assert_string_equal(bench_quota_state(0, 0, 0), "full");
	assert_string_equal(bench_quota_label("missing"), "待提名");
	assert_string_equal(bench_quota_label("open"), "可再提名");
	assert_string_equal(bench_quota_label("full"), "已满");
	assert_string_equal(bench_quota_label("over"), "超出名额");
	assert_string_equal(bench_quota_label("x"), "");
	assert_string_equal(bench_quota_label(NULL), "");
	assert_true(bench_can_nominate(0, 2));
	assert_true(bench_can_nominate(1, 2));
	assert_false(bench_can_nominate(2, 2)); /* the third is refused */
	assert_false(bench_can_nominate(3, 2));
	assert_false(bench_can_nominate(0, 0));
}

static void test_bench_selection(void **state)
{
	(void)state;
	int bad = 99;
	/* Groups: 0 = 浦东 集成电路, 1 = 浦东 生物医药, 2 = 黄浦 时尚消费品. */
	struct bench_pick ok[] = {
		{0, true, true}, {0, true, true}, {1, true, true}, {1, false, false}, {2, true, false},
	};
	assert_int_equal(bench_check_selection(ok, 5, NULL, 3, 2, &bad), BENCH_PICK_OK);
	assert_int_equal(bad, -1);
	/* Nothing selected is a valid (if bleak) outcome; so is an empty round. */
	struct bench_pick none[] = {{0, false, false}, {1, false, false}};
	assert_int_equal(bench_check_selection(none, 2, NULL, 2, 2, &bad), BENCH_PICK_OK);
	assert_int_equal(bench_check_selection(NULL, 0, NULL, 0, 2, &bad), BENCH_PICK_OK);

	/* An unscored nomination cannot be selected; it may stay unselected. */
	struct bench_pick unscored[] = {{0, true, true}, {1, false, true}, {1, false, false}};
	assert_int_equal(bench_check_selection(unscored, 3, NULL, 2, 2, &bad), BENCH_PICK_UNSCORED);
	assert_int_equal(bad, 1);

	/* Three in one group with max 2: the third selected one is named. */
	struct bench_pick over[] = {{0, true, true}, {1, true, true}, {0, true, false}, {0, true, true}, {0, true, true}};
	assert_int_equal(bench_check_selection(over, 5, NULL, 2, 2, &bad), BENCH_PICK_OVER_QUOTA);
	assert_int_equal(bad, 4);

	/* Earlier publications count: one already selected leaves room for one more. */
	int already[] = {1, 0};
	struct bench_pick more[] = {{0, true, true}, {1, true, true}, {1, true, true}};
	assert_int_equal(bench_check_selection(more, 3, already, 2, 2, &bad), BENCH_PICK_OK);
	struct bench_pick two_more[] = {{0, true, true}, {0, true, true}};
	assert_int_equal(bench_check_selection(two_more, 2, already, 2, 2, &bad), BENCH_PICK_OVER_QUOTA);
	assert_int_equal(bad, 1);

	/* Unscored is reported before the quota, whatever the order of the picks. */
	struct bench_pick both[] = {{0, true, true}, {0, true, true}, {0, true, true}, {1, false, true}};
	assert_int_equal(bench_check_selection(both, 4, NULL, 2, 2, &bad), BENCH_PICK_UNSCORED);
	assert_int_equal(bad, 3);

	/* A lowered quota (max 1). */
	struct bench_pick lowered[] = {{0, true, true}, {0, true, true}};
	assert_int_equal(bench_check_selection(lowered, 2, NULL, 1, 1, &bad), BENCH_PICK_OVER_QUOTA);
	assert_int_equal(bad, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_status_names),
		cmocka_unit_test(test_case_transitions),
		cmocka_unit_test(test_case_texts),
		cmocka_unit_test(test_case_submit_check),
		cmocka_unit_test(test_bench_status_names),
		cmocka_unit_test(test_bench_scores),
		cmocka_unit_test(test_bench_quota),
		cmocka_unit_test(test_bench_selection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
