/*
 * test_diagnosis.c - the diagnosis rules (core/diagnosis.c): scores per
 * clause and overall with their rounding, the improvement action state
 * machine, overdue actions, the label tables, and the checklist file check,
 * against the shipped checklist data/checklists/iso9001-small-v1.json and
 * mutated copies of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/diagnosis.h"
#include "util.h"

/* ---- helpers ---- */

static void assert_tenths(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("expected %.10g, got %.10g", want, got);
}

/* Append n answers with the same section and score (score -1: not applicable). */
static int add(struct diag_answer *a, int at, int section, int score, int n)
{
	for (int i = 0; i < n; i++)
		a[at + i] = (struct diag_answer){section, score < 0 ? 0 : score, score < 0};
	return at + n;
}

#define NA (-1)

/* The day number of "YYYY-MM-DD" (the test fails on a bad literal). */
static int32_t D(const char *ymd)
{
	int32_t day = 0;
	if (!date_parse(ymd, &day))
		fail_msg("bad date literal %s", ymd);
	return day;
}

/* ---- scores ---- */

static void test_score_all_scored(void **state)
{
	(void)state;
	struct diag_answer a[8];
	int n = add(a, 0, 0, 3, 1);
	n = add(a, n, 0, 4, 1);
	n = add(a, n, 0, 5, 1);
	n = add(a, n, 1, 2, 1);
	n = add(a, n, 1, 3, 1);
	struct diag_scores sc;
	memset(&sc, 0x5A, sizeof(sc)); /* every field must be set */
	diag_score(a, n, 2, &sc);
	assert_int_equal(sc.n_sections, 2);
	assert_int_equal(sc.s[0].items, 3);
	assert_int_equal(sc.s[0].answered, 3);
	assert_int_equal(sc.s[0].na, 0);
	assert_int_equal(sc.s[0].scored, 3);
	assert_int_equal(sc.s[0].sum, 12);
	assert_true(sc.s[0].has_score);
	assert_tenths(sc.s[0].score, 4.0);
	assert_int_equal(sc.s[1].sum, 5);
	assert_tenths(sc.s[1].score, 2.5);
	assert_int_equal(sc.items, 5);
	assert_int_equal(sc.answered, 5);
	assert_int_equal(sc.na, 0);
	assert_int_equal(sc.scored, 5);
	assert_true(sc.has_overall);
	assert_tenths(sc.overall, 3.3); /* (4 + 2.5) / 2 = 3.25 */
}

static void test_score_not_applicable(void **state)
{
	(void)state;
	struct diag_answer a[8];
	int n = add(a, 0, 0, 4, 1);
	n = add(a, n, 0, NA, 1);
	n = add(a, n, 0, 5, 1);
	struct diag_scores sc;
	diag_score(a, n, 1, &sc);
	assert_int_equal(sc.s[0].items, 3);
	assert_int_equal(sc.s[0].answered, 3);
	assert_int_equal(sc.s[0].na, 1);
	assert_int_equal(sc.s[0].scored, 2);
	assert_int_equal(sc.s[0].sum, 9);
	assert_tenths(sc.s[0].score, 4.5);
	assert_tenths(sc.overall, 4.5);

	/* A score on a not-applicable answer is ignored. */
	a[1] = (struct diag_answer){0, 1, true};
	diag_score(a, n, 1, &sc);
	assert_int_equal(sc.s[0].sum, 9);
	assert_int_equal(sc.s[0].scored, 2);
	assert_int_equal(sc.s[0].na, 1);
	assert_tenths(sc.s[0].score, 4.5);
}

static void test_score_section_all_na(void **state)
{
	(void)state;
	struct diag_answer a[8];
	int n = add(a, 0, 0, 2, 2);
	n = add(a, n, 1, NA, 3); /* e.g. 8.3 design at a shop that designs nothing */
	n = add(a, n, 2, 4, 1);
	struct diag_scores sc;
	diag_score(a, n, 3, &sc);
	assert_int_equal(sc.s[1].items, 3);
	assert_int_equal(sc.s[1].answered, 3);
	assert_int_equal(sc.s[1].na, 3);
	assert_int_equal(sc.s[1].scored, 0);
	assert_false(sc.s[1].has_score);
	assert_tenths(sc.s[1].score, 0);
	/* Not a zero in the mean: (2 + 4) / 2. */
	assert_true(sc.has_overall);
	assert_tenths(sc.overall, 3.0);
	assert_int_equal(sc.items, 6);
	assert_int_equal(sc.na, 3);
	assert_int_equal(sc.scored, 3);

	/* Everything not applicable: no overall at all. */
	n = add(a, 0, 0, NA, 2);
	diag_score(a, n, 1, &sc);
	assert_false(sc.s[0].has_score);
	assert_false(sc.has_overall);
	assert_tenths(sc.overall, 0);
}

static void test_score_empty_section(void **state)
{
	(void)state;
	struct diag_answer a[4];
	int n = add(a, 0, 0, 3, 2);
	n = add(a, n, 2, 5, 2);
	struct diag_scores sc;
	memset(&sc, 0x5A, sizeof(sc));
	diag_score(a, n, 3, &sc); /* section 1 has no items */
	assert_int_equal(sc.s[1].items, 0);
	assert_int_equal(sc.s[1].answered, 0);
	assert_int_equal(sc.s[1].scored, 0);
	assert_int_equal(sc.s[1].sum, 0);
	assert_false(sc.s[1].has_score);
	assert_tenths(sc.s[1].score, 0);
	assert_tenths(sc.overall, 4.0);
	/* Sections past n_sections are zero too. */
	for (int k = 3; k < DIAG_MAX_SECTIONS; k++) {
		assert_int_equal(sc.s[k].items, 0);
		assert_false(sc.s[k].has_score);
	}

	/* No answers at all. */
	diag_score(NULL, 0, 7, &sc);
	assert_int_equal(sc.n_sections, 7);
	assert_int_equal(sc.items, 0);
	assert_false(sc.has_overall);
	assert_tenths(sc.overall, 0);
}

static void test_score_unanswered(void **state)
{
	(void)state;
	struct diag_answer a[8];
	int n = add(a, 0, 0, 0, 2); /* not scored yet */
	n = add(a, n, 0, 4, 1);
	n = add(a, n, 0, NA, 1);
	n = add(a, n, 1, 0, 2); /* a section not started */
	struct diag_scores sc;
	diag_score(a, n, 2, &sc);
	assert_int_equal(sc.s[0].items, 4);
	assert_int_equal(sc.s[0].answered, 2);
	assert_int_equal(sc.s[0].na, 1);
	assert_int_equal(sc.s[0].scored, 1);
	assert_tenths(sc.s[0].score, 4.0);
	assert_int_equal(sc.s[1].items, 2);
	assert_int_equal(sc.s[1].answered, 0);
	assert_false(sc.s[1].has_score);
	assert_int_equal(sc.items, 6);
	assert_int_equal(sc.answered, 2);
	assert_tenths(sc.overall, 4.0);

	/* A score outside 1..5 is not a score: the item stays unanswered. */
	a[0].score = 6;
	a[1].score = -3;
	diag_score(a, n, 2, &sc);
	assert_int_equal(sc.s[0].items, 4);
	assert_int_equal(sc.s[0].answered, 2);
	assert_int_equal(sc.s[0].sum, 4);
}

/* One section with the given counts of each score 1..5; its rounded mean. */
static double section_mean(int n1, int n2, int n3, int n4, int n5)
{
	struct diag_answer a[200];
	int n = add(a, 0, 0, 1, n1);
	n = add(a, n, 0, 2, n2);
	n = add(a, n, 0, 3, n3);
	n = add(a, n, 0, 4, n4);
	n = add(a, n, 0, 5, n5);
	struct diag_scores sc;
	diag_score(a, n, 1, &sc);
	assert_true(sc.s[0].has_score);
	/* One section: the overall is the same value, rounded the other way. */
	assert_tenths(sc.overall, sc.s[0].score);
	return sc.s[0].score;
}

static void test_score_rounding(void **state)
{
	(void)state;
	assert_tenths(section_mean(0, 0, 17, 3, 0), 3.2);  /* 63/20 = 3.15 */
	assert_tenths(section_mean(0, 3, 1, 0, 0), 2.3);   /* 9/4 = 2.25 */
	assert_tenths(section_mean(0, 13, 7, 0, 0), 2.4);  /* 47/20 = 2.35 */
	assert_tenths(section_mean(0, 0, 19, 1, 0), 3.1);  /* 61/20 = 3.05 */
	assert_tenths(section_mean(0, 0, 2, 1, 0), 3.3);   /* 10/3 = 3.333… */
	assert_tenths(section_mean(0, 0, 1, 2, 0), 3.7);   /* 11/3 = 3.666… */
	assert_tenths(section_mean(1, 0, 0, 0, 0), 1.0);
	assert_tenths(section_mean(0, 0, 0, 0, 4), 5.0);
	assert_tenths(section_mean(6, 1, 0, 0, 0), 1.1);   /* 8/7 = 1.142… */
	assert_tenths(section_mean(9, 1, 0, 0, 0), 1.1);   /* 11/10 = 1.1 exactly */
	assert_tenths(section_mean(19, 1, 0, 0, 0), 1.1);  /* 21/20 = 1.05 */
	assert_tenths(section_mean(39, 1, 0, 0, 0), 1.0);  /* 41/40 = 1.025 */
	assert_tenths(section_mean(0, 0, 0, 1, 19), 5.0);  /* 99/20 = 4.95 */
	assert_tenths(section_mean(0, 0, 0, 2, 38), 5.0);  /* 198/40 = 4.95 */
	assert_tenths(section_mean(0, 0, 0, 3, 37), 4.9);  /* 197/40 = 4.925 */
}

static void test_score_overall_unrounded(void **state)
{
	(void)state;
	struct diag_answer a[64];
	struct diag_scores sc;

	/* 13/4 = 3.25 and 10/3 = 3.333…: mean 3.2916… -> 3.3. */
	int n = add(a, 0, 0, 3, 3);
	n = add(a, n, 0, 4, 1);
	n = add(a, n, 1, 3, 2);
	n = add(a, n, 1, 4, 1);
	diag_score(a, n, 2, &sc);
	assert_tenths(sc.s[0].score, 3.3);
	assert_tenths(sc.s[1].score, 3.3);
	assert_tenths(sc.overall, 3.3);

	/* 2.25 (shown 2.3) and 2.0: the mean of the unrounded means is 2.125 -> 2.1;
	 * the mean of the rounded ones would be 2.15 -> 2.2. */
	n = add(a, 0, 0, 2, 3);
	n = add(a, n, 0, 3, 1);
	n = add(a, n, 1, 2, 2);
	diag_score(a, n, 2, &sc);
	assert_tenths(sc.s[0].score, 2.3);
	assert_tenths(sc.s[1].score, 2.0);
	assert_tenths(sc.overall, 2.1);

	/* Each clause counts equally: one item at 5 and four at 1 give 3.0, not 1.8. */
	n = add(a, 0, 0, 5, 1);
	n = add(a, n, 1, 1, 4);
	diag_score(a, n, 2, &sc);
	assert_tenths(sc.overall, 3.0);

	/* A half in the overall rounds up even though 3.15 is not exact in binary:
	 * 31/10 and 32/10. */
	n = add(a, 0, 0, 3, 9);
	n = add(a, n, 0, 4, 1);
	n = add(a, n, 1, 3, 8);
	n = add(a, n, 1, 4, 2);
	diag_score(a, n, 2, &sc);
	assert_tenths(sc.s[0].score, 3.1);
	assert_tenths(sc.s[1].score, 3.2);
	assert_tenths(sc.overall, 3.2);

	/* Seven clauses, as in the shipped checklist: 1..5, 5, 5 -> 25/7 = 3.571… */
	n = 0;
	for (int k = 0; k < 7; k++)
		n = add(a, n, k, k < 5 ? k + 1 : 5, 2);
	diag_score(a, n, 7, &sc);
	assert_tenths(sc.overall, 3.6);
}

static void test_score_out_of_range(void **state)
{
	(void)state;
	struct diag_answer a[8];
	int n = add(a, 0, 0, 4, 1);
	n = add(a, n, -1, 1, 1);
	n = add(a, n, 2, 1, 1); /* == n_sections */
	n = add(a, n, DIAG_MAX_SECTIONS, 1, 1);
	n = add(a, n, 1000000, NA, 1);
	n = add(a, n, 1, 2, 1);
	struct diag_scores sc;
	diag_score(a, n, 2, &sc);
	assert_int_equal(sc.items, 2);
	assert_int_equal(sc.answered, 2);
	assert_int_equal(sc.na, 0);
	assert_int_equal(sc.s[0].items, 1);
	assert_int_equal(sc.s[1].items, 1);
	assert_int_equal(sc.s[2].items, 0);
	assert_tenths(sc.s[0].score, 4.0);
	assert_tenths(sc.overall, 3.0);

	/* All sections in use: the last one counts. */
	n = add(a, 0, DIAG_MAX_SECTIONS - 1, 5, 1);
	diag_score(a, n, DIAG_MAX_SECTIONS, &sc);
	assert_int_equal(sc.s[DIAG_MAX_SECTIONS - 1].items, 1);
	assert_tenths(sc.overall, 5.0);
}

static void test_round1(void **state)
{
	(void)state;
	static const struct {
		double x, want;
	} cases[] = {
		{3.15, 3.2},  {2.25, 2.3},   {2.35, 2.4},  {2.24999, 2.2}, {2.45, 2.5},
		{1.05, 1.1},  {0.05, 0.1},   {4.95, 5.0},  {3.14999, 3.1}, {3.0, 3.0},
		{0.0, 0.0},   {5.0, 5.0},    {10.0 / 3, 3.3}, {20.0 / 3, 6.7}, {0.04, 0.0},
		{-3.15, -3.2}, {-2.25, -2.3}, {-2.35, -2.4}, {-2.24999, -2.2}, {-1.05, -1.1},
		{-0.05, -0.1}, {-10.0 / 3, -3.3}, {-3.0, -3.0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		double got = diag_round1(cases[i].x);
		if (fabs(got - cases[i].want) > 1e-9)
			fail_msg("diag_round1(%.10g) = %.10g, want %.10g", cases[i].x, got,
				 cases[i].want);
		assert_tenths(diag_round1(-cases[i].x), -cases[i].want); /* symmetric */
	}
	/* Small negatives round to a plain zero, not "-0.0". */
	assert_false(signbit(diag_round1(-0.04)));
	assert_false(signbit(diag_round1(-0.0)));
}

/* ---- finding kinds ---- */

static void test_finding_kind_label(void **state)
{
	(void)state;
	assert_string_equal(finding_kind_label("blockage"), "堵点");
	assert_string_equal(finding_kind_label("pain"), "痛点");
	assert_string_equal(finding_kind_label("difficulty"), "难点");
	assert_string_equal(finding_kind_label(""), "");
	assert_null(finding_kind_label("Pain"));
	assert_null(finding_kind_label("pain "));
	assert_null(finding_kind_label("堵点"));
	assert_null(finding_kind_label("other"));
	assert_null(finding_kind_label(NULL));
}

/* ---- action status names ---- */

static const enum action_status all_statuses[] = {ACT_OPEN, ACT_IN_PROGRESS, ACT_VERIFIED,
						   ACT_CLOSED};
static const enum action_event all_events[] = {ACT_EV_PROGRESS, ACT_EV_COMPLETE, ACT_EV_VERIFY,
						ACT_EV_CLOSE, ACT_EV_REOPEN};

static void test_action_status_names(void **state)
{
	(void)state;
	static const struct {
		enum action_status st;
		const char *name, *label;
	} cases[] = {
		{ACT_OPEN, "open", "待开始"},
		{ACT_IN_PROGRESS, "in_progress", "进行中"},
		{ACT_VERIFIED, "verified", "已验证"},
		{ACT_CLOSED, "closed", "已关闭"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(action_status_parse(cases[i].name), cases[i].st);
		assert_string_equal(action_status_name(cases[i].st), cases[i].name);
		assert_string_equal(action_status_label(cases[i].st), cases[i].label);
	}
	assert_int_equal(action_status_parse(NULL), ACT_NONE);
	assert_int_equal(action_status_parse(""), ACT_NONE);
	assert_int_equal(action_status_parse("Open"), ACT_NONE);
	assert_int_equal(action_status_parse("in-progress"), ACT_NONE);
	assert_int_equal(action_status_parse("已关闭"), ACT_NONE);
	assert_int_equal(action_status_parse("none"), ACT_NONE);
	assert_string_equal(action_status_name(ACT_NONE), "none");
	assert_string_equal(action_status_label(ACT_NONE), "未知");
}

/* ---- the action state machine ---- */

struct step {
	enum action_status from;
	bool ready;
	enum action_event ev;
	enum action_status to; /* ACT_NONE: refused */
	bool ready_after;
};

/* Every (status, ready, event) with the expected outcome. Refusals keep the flag. */
static const struct step table[] = {
	{ACT_OPEN, false, ACT_EV_PROGRESS, ACT_IN_PROGRESS, false},
	{ACT_OPEN, false, ACT_EV_COMPLETE, ACT_IN_PROGRESS, true},
	{ACT_OPEN, false, ACT_EV_VERIFY, ACT_NONE, false},
	{ACT_OPEN, false, ACT_EV_CLOSE, ACT_NONE, false},
	{ACT_OPEN, false, ACT_EV_REOPEN, ACT_NONE, false},

	{ACT_IN_PROGRESS, false, ACT_EV_PROGRESS, ACT_IN_PROGRESS, false},
	{ACT_IN_PROGRESS, false, ACT_EV_COMPLETE, ACT_IN_PROGRESS, true},
	{ACT_IN_PROGRESS, false, ACT_EV_VERIFY, ACT_NONE, false},
	{ACT_IN_PROGRESS, false, ACT_EV_CLOSE, ACT_NONE, false},
	{ACT_IN_PROGRESS, false, ACT_EV_REOPEN, ACT_NONE, false},

	{ACT_IN_PROGRESS, true, ACT_EV_PROGRESS, ACT_IN_PROGRESS, false}, /* withdraws the request */
	{ACT_IN_PROGRESS, true, ACT_EV_COMPLETE, ACT_IN_PROGRESS, true},
	{ACT_IN_PROGRESS, true, ACT_EV_VERIFY, ACT_VERIFIED, true},
	{ACT_IN_PROGRESS, true, ACT_EV_CLOSE, ACT_NONE, true},
	{ACT_IN_PROGRESS, true, ACT_EV_REOPEN, ACT_IN_PROGRESS, false},

	{ACT_VERIFIED, true, ACT_EV_PROGRESS, ACT_NONE, true},
	{ACT_VERIFIED, true, ACT_EV_COMPLETE, ACT_NONE, true},
	{ACT_VERIFIED, true, ACT_EV_VERIFY, ACT_NONE, true},
	{ACT_VERIFIED, true, ACT_EV_CLOSE, ACT_CLOSED, true},
	{ACT_VERIFIED, true, ACT_EV_REOPEN, ACT_IN_PROGRESS, false},
	/* The flag does not matter once verified. */
	{ACT_VERIFIED, false, ACT_EV_CLOSE, ACT_CLOSED, false},
	{ACT_VERIFIED, false, ACT_EV_REOPEN, ACT_IN_PROGRESS, false},
	{ACT_VERIFIED, false, ACT_EV_PROGRESS, ACT_NONE, false},

	{ACT_CLOSED, true, ACT_EV_PROGRESS, ACT_NONE, true},
	{ACT_CLOSED, true, ACT_EV_COMPLETE, ACT_NONE, true},
	{ACT_CLOSED, true, ACT_EV_VERIFY, ACT_NONE, true},
	{ACT_CLOSED, true, ACT_EV_CLOSE, ACT_NONE, true},
	{ACT_CLOSED, true, ACT_EV_REOPEN, ACT_IN_PROGRESS, false},
	{ACT_CLOSED, false, ACT_EV_PROGRESS, ACT_NONE, false},
	{ACT_CLOSED, false, ACT_EV_VERIFY, ACT_NONE, false},
	{ACT_CLOSED, false, ACT_EV_CLOSE, ACT_NONE, false},
	{ACT_CLOSED, false, ACT_EV_REOPEN, ACT_IN_PROGRESS, false},
};

static void test_action_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		const struct step *t = &table[i];
		bool ready_after = !t->ready_after;
		const char *why = "unset";
		enum action_status got = action_next(t->from, t->ready, t->ev, &ready_after, &why);
		if (got != t->to)
			fail_msg("row %zu: %s(ready=%d) event %d -> %s, want %s", i,
				 action_status_name(t->from), t->ready, (int)t->ev,
				 action_status_name(got), action_status_name(t->to));
		if (ready_after != t->ready_after)
			fail_msg("row %zu: ready after %d, want %d", i, ready_after, t->ready_after);
		if (t->to == ACT_NONE) {
			if (!why || !why[0] || !strcmp(why, "unset"))
				fail_msg("row %zu: refused without a reason", i);
		} else {
			assert_null(why);
		}
	}
}

/* Only the table's transitions are allowed: everything else is refused. */
static void test_action_table_complete(void **state)
{
	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(all_statuses); f++) {
		for (int ready = 0; ready <= 1; ready++) {
			for (size_t e = 0; e < ARRAY_SIZE(all_events); e++) {
				enum action_status from = all_statuses[f];
				enum action_event ev = all_events[e];
				enum action_status want = ACT_NONE;
				for (size_t i = 0; i < ARRAY_SIZE(table); i++)
					if (table[i].from == from && table[i].ready == ready &&
					    table[i].ev == ev)
						want = table[i].to;
				if (from == ACT_OPEN && ready)
					continue; /* not a real state; see test_action_refusals */
				bool ra;
				const char *why = NULL;
				enum action_status got = action_next(from, ready, ev, &ra, &why);
				if (got != want && want == ACT_NONE)
					fail_msg("%s(ready=%d) event %d allowed (-> %s), not in the table",
						 action_status_name(from), ready, (int)ev,
						 action_status_name(got));
				if (got == ACT_NONE)
					assert_true(why && why[0]);
			}
		}
	}
}

static void test_action_refusals(void **state)
{
	(void)state;
	bool ra;
	const char *why = NULL;
	/* Verify without the enterprise's "done". */
	assert_int_equal(action_next(ACT_IN_PROGRESS, false, ACT_EV_VERIFY, &ra, &why), ACT_NONE);
	assert_non_null(strstr(why, "完成"));
	assert_int_equal(action_next(ACT_OPEN, false, ACT_EV_VERIFY, &ra, &why), ACT_NONE);
	/* An open action cannot carry "ready": it has not been worked on. */
	assert_int_equal(action_next(ACT_OPEN, true, ACT_EV_VERIFY, &ra, &why), ACT_NONE);
	/* Close without verification. */
	assert_int_equal(action_next(ACT_IN_PROGRESS, true, ACT_EV_CLOSE, &ra, &why), ACT_NONE);
	assert_non_null(strstr(why, "验证"));
	assert_int_equal(action_next(ACT_OPEN, false, ACT_EV_CLOSE, &ra, &why), ACT_NONE);
	/* Reopen from open. */
	assert_int_equal(action_next(ACT_OPEN, false, ACT_EV_REOPEN, &ra, &why), ACT_NONE);
	assert_true(why[0]);
	/* Closed: only a reopen. */
	for (size_t e = 0; e < ARRAY_SIZE(all_events); e++) {
		if (all_events[e] == ACT_EV_REOPEN)
			continue;
		why = NULL;
		assert_int_equal(action_next(ACT_CLOSED, true, all_events[e], &ra, &why), ACT_NONE);
		assert_non_null(strstr(why, "重新打开"));
	}
	/* Unknown status or event. */
	why = NULL;
	assert_int_equal(action_next(ACT_NONE, true, ACT_EV_REOPEN, &ra, &why), ACT_NONE);
	assert_true(why && why[0]);
	why = NULL;
	assert_int_equal(action_next(ACT_IN_PROGRESS, true, (enum action_event)7, &ra, &why),
			 ACT_NONE);
	assert_true(why && why[0]);
	/* The out parameters may be NULL. */
	assert_int_equal(action_next(ACT_IN_PROGRESS, true, ACT_EV_VERIFY, NULL, NULL), ACT_VERIFIED);
	assert_int_equal(action_next(ACT_CLOSED, true, ACT_EV_VERIFY, NULL, NULL), ACT_NONE);
}

/* A whole life: worked on, done, found not effective, done again, verified, closed, reopened. */
static void test_action_life(void **state)
{
	(void)state;
	static const struct {
		enum action_event ev;
		enum action_status to;
		bool ready;
	} life[] = {
		{ACT_EV_PROGRESS, ACT_IN_PROGRESS, false}, {ACT_EV_COMPLETE, ACT_IN_PROGRESS, true},
		{ACT_EV_REOPEN, ACT_IN_PROGRESS, false},   {ACT_EV_PROGRESS, ACT_IN_PROGRESS, false},
		{ACT_EV_COMPLETE, ACT_IN_PROGRESS, true},  {ACT_EV_VERIFY, ACT_VERIFIED, true},
		{ACT_EV_CLOSE, ACT_CLOSED, true},          {ACT_EV_REOPEN, ACT_IN_PROGRESS, false},
	};
	enum action_status st = ACT_OPEN;
	bool ready = false;
	for (size_t i = 0; i < ARRAY_SIZE(life); i++) {
		const char *why = NULL;
		bool after;
		enum action_status to = action_next(st, ready, life[i].ev, &after, &why);
		if (to != life[i].to || after != life[i].ready)
			fail_msg("step %zu: %s ready=%d (%s)", i, action_status_name(to), after,
				 why ? why : "");
		st = to;
		ready = after;
	}
	/* After the reopen the auditor cannot verify until the enterprise is done again. */
	assert_int_equal(action_next(st, ready, ACT_EV_VERIFY, NULL, NULL), ACT_NONE);
}

static void test_action_overdue(void **state)
{
	(void)state;
	int32_t due = D("2021-06-30");
	for (size_t i = 0; i < 2; i++) {
		enum action_status s = all_statuses[i]; /* open, in progress */
		assert_false(action_overdue(s, due, D("2021-06-01")));
		assert_false(action_overdue(s, due, due)); /* the due day is still in time */
		assert_true(action_overdue(s, due, D("2021-07-01")));
		assert_true(action_overdue(s, due, D("2023-01-01")));
		assert_false(action_overdue(s, 0, D("2023-01-01"))); /* no date */
	}
	assert_false(action_overdue(ACT_VERIFIED, due, D("2021-07-01")));
	assert_false(action_overdue(ACT_CLOSED, due, D("2021-07-01")));
	assert_false(action_overdue(ACT_VERIFIED, due, D("2030-07-01")));
	assert_false(action_overdue(ACT_CLOSED, due, D("2030-07-01")));
	assert_false(action_overdue(ACT_NONE, due, D("2021-07-01")));
}

/* ---- methods ---- */

static void test_action_methods(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{"pdca", "PDCA循环"},
		{"5s", "5S管理"},
		{"qc_tools", "QC七种工具"},
		{"process_control", "过程控制"},
		{"supplier_evaluation", "供方评价"},
		{"training", "培训"},
		{"document_control", "文件控制"},
		{"internal_audit", "内部审核"},
		{"customer_feedback", "顾客反馈处理"},
		{"other", "其他"},
	};
	int n = 0;
	while (action_method_key(n))
		n++;
	assert_int_equal(n, (int)ARRAY_SIZE(want));
	for (int i = 0; i < n; i++) {
		assert_string_equal(action_method_key(i), want[i][0]);
		assert_string_equal(action_method_label(want[i][0]), want[i][1]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(action_method_key(i), action_method_key(j));
	}
	assert_null(action_method_key(-1));
	assert_null(action_method_key(n));
	assert_null(action_method_key(1000));
	assert_null(action_method_label(NULL));
	assert_null(action_method_label(""));
	assert_null(action_method_label("PDCA"));
	assert_null(action_method_label("PDCA循环"));
	assert_null(action_method_label("5S"));
}

/* ---- the shipped checklist ---- */

static json_t *shipped;

static int setup(void **state)
{
	(void)state;
	static const char *const paths[] = {"data/checklists/iso9001-small-v1.json",
					    "../data/checklists/iso9001-small-v1.json",
					    "../../data/checklists/iso9001-small-v1.json"};
	for (size_t i = 0; i < ARRAY_SIZE(paths) && !shipped; i++) {
		size_t len;
		char *text = read_file(paths[i], &len);
		if (!text)
			continue;
		char err[256] = "";
		shipped = checklist_parse(text, err, sizeof(err));
		if (!shipped)
			fprintf(stderr, "%s: %s\n", paths[i], err);
		free(text);
	}
	return shipped ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(shipped);
	shipped = NULL;
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	if (!s)
		fail_msg("no string %s", k);
	return s;
}

/* The outline of domain.md §6: every sub-clause the checklist must ask about. */
static const char *const outline[][2] = {
	{"4.1", "理解组织及其环境"},
	{"4.2", "理解相关方的需求和期望"},
	{"4.3", "确定质量管理体系的范围"},
	{"4.4", "质量管理体系及其过程"},
	{"5.1.1", "总则"},
	{"5.1.2", "以顾客为关注焦点"},
	{"5.2", "方针"},
	{"5.3", "组织的岗位、职责和权限"},
	{"6.1", "应对风险和机遇的措施"},
	{"6.2", "质量目标及其实现的策划"},
	{"6.3", "变更的策划"},
	{"7.1.2", "人员"},
	{"7.1.3", "基础设施"},
	{"7.1.4", "过程运行环境"},
	{"7.1.5", "监视和测量资源"},
	{"7.1.6", "组织的知识"},
	{"7.2", "能力"},
	{"7.3", "意识"},
	{"7.4", "沟通"},
	{"7.5", "成文信息"},
	{"8.1", "运行的策划和控制"},
	{"8.2", "产品和服务的要求"},
	{"8.3", "产品和服务的设计和开发"},
	{"8.4", "外部提供的过程、产品和服务的控制"},
	{"8.5", "生产和服务提供"},
	{"8.6", "产品和服务的放行"},
	{"8.7", "不合格输出的控制"},
	{"9.1", "监视、测量、分析和评价"},
	{"9.1.2", "顾客满意"},
	{"9.1.3", "分析与评价"},
	{"9.2", "内部审核"},
	{"9.3", "管理评审"},
	{"10.1", "总则"},
	{"10.2", "不合格和纠正措施"},
	{"10.3", "持续改进"},
};

static void test_shipped_header(void **state)
{
	(void)state;
	assert_string_equal(str(shipped, "code"), "iso9001-small");
	assert_int_equal(json_integer_value(json_object_get(shipped, "version")), 1);
	assert_string_equal(str(shipped, "standard"), "GB/T 19001-2016 / ISO 9001:2015");
	static const char *const labels[] = {"缺失", "初步", "基本规范", "有效运行", "持续改进"};
	json_t *scale = json_object_get(shipped, "scale");
	assert_int_equal(json_array_size(scale), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(str(json_array_get(scale, i), "label"), labels[i]);
}

static void test_shipped_sections(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{"4", "组织环境"}, {"5", "领导作用"}, {"6", "策划"},    {"7", "支持"},
		{"8", "运行"},     {"9", "绩效评价"}, {"10", "改进"},
	};
	json_t *sections = json_object_get(shipped, "sections");
	assert_int_equal(json_array_size(sections), ARRAY_SIZE(want));
	assert_true(json_array_size(sections) <= DIAG_MAX_SECTIONS);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		json_t *sec = json_array_get(sections, i);
		assert_string_equal(str(sec, "clause"), want[i][0]);
		assert_string_equal(str(sec, "title"), want[i][1]);
		assert_true(json_array_size(json_object_get(sec, "items")) >= 3);
	}
}

static void test_shipped_items(void **state)
{
	(void)state;
	json_t *sections = json_object_get(shipped, "sections");
	json_t *keys = json_object();
	bool seen[ARRAY_SIZE(outline)] = {false};
	size_t i, j, n = 0;
	json_t *sec, *it;
	json_array_foreach(sections, i, sec) {
		json_array_foreach(json_object_get(sec, "items"), j, it) {
			const char *key = str(it, "key"), *clause = str(it, "clause");
			n++;
			if (json_object_get(keys, key))
				fail_msg("duplicate key %s", key);
			json_object_set_new(keys, key, json_true());
			/* "<clause>-<n>", numbered from 1 within the clause. */
			int count = 0;
			const char *k2;
			json_t *v;
			json_object_foreach(keys, k2, v) {
				size_t cl = strlen(clause);
				if (!strncmp(k2, clause, cl) && k2[cl] == '-')
					count++;
			}
			char want[64];
			snprintf(want, sizeof(want), "%s-%d", clause, count);
			assert_string_equal(key, want);
			/* The title is the outline's for that sub-clause. */
			bool known = false;
			for (size_t o = 0; o < ARRAY_SIZE(outline); o++) {
				if (!strcmp(outline[o][0], clause)) {
					assert_string_equal(str(it, "title"), outline[o][1]);
					seen[o] = known = true;
				}
			}
			if (!known)
				fail_msg("item %s: clause %s is not in the outline", key, clause);
			/* Plain short questions with a hint for the auditor. */
			size_t chars = utf8_length(str(it, "text"));
			if (chars < 10 || chars > 120)
				fail_msg("item %s: text of %zu characters", key, chars);
			if (utf8_length(str(it, "hint")) < 10)
				fail_msg("item %s: hint too short", key);
		}
	}
	json_decref(keys);
	assert_true(n >= 45);
	assert_true(n <= 70);
	for (size_t o = 0; o < ARRAY_SIZE(outline); o++)
		if (!seen[o])
			fail_msg("no item for clause %s %s", outline[o][0], outline[o][1]);
}

/* The shipped file scores through diag_score with one section per clause. */
static void test_shipped_scores(void **state)
{
	(void)state;
	struct diag_answer a[128];
	int n = 0;
	size_t i, j;
	json_t *sec, *it;
	json_array_foreach(json_object_get(shipped, "sections"), i, sec) {
		json_array_foreach(json_object_get(sec, "items"), j, it) {
			assert_true(n < (int)ARRAY_SIZE(a));
			const char *clause = str(it, "clause");
			/* design not applicable, everything else at 3 */
			a[n++] = (struct diag_answer){(int)i, 3, !strcmp(clause, "8.3")};
		}
	}
	struct diag_scores sc;
	diag_score(a, n, (int)json_array_size(json_object_get(shipped, "sections")), &sc);
	assert_int_equal(sc.items, n);
	assert_int_equal(sc.answered, n);
	assert_true(sc.na >= 1);
	assert_tenths(sc.overall, 3.0);
}

/* ---- checklist refusals ---- */

static json_t *copy(void)
{
	return json_deep_copy(shipped);
}

static json_t *section(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "sections"), i);
}

static json_t *item(json_t *doc, size_t sec, size_t i)
{
	return json_array_get(json_object_get(section(doc, sec), "items"), i);
}

/* checklist_parse of doc (consumed) must refuse with a message containing fragment. */
static void refused(json_t *doc, const char *fragment)
{
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	char err[256] = "";
	json_t *got = checklist_parse(text, err, sizeof(err));
	free(text);
	if (got) {
		json_decref(got);
		fail_msg("accepted, expected a refusal mentioning '%s'", fragment);
	}
	if (!err[0])
		fail_msg("refused without a message");
	if (fragment && !strstr(err, fragment))
		fail_msg("message '%s' lacks '%s'", err, fragment);
}

static void accepted(json_t *doc)
{
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	char err[256] = "";
	json_t *got = checklist_parse(text, err, sizeof(err));
	free(text);
	if (!got)
		fail_msg("refused: %s", err);
	json_decref(got);
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* A string of n copies of the 3-byte character 质. */
static char *repeat_zhi(size_t n)
{
	char *s = malloc(3 * n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 3 * i, "质", 3);
	s[3 * n] = '\0';
	return s;
}

static void test_parse_header_refusals(void **state)
{
	(void)state;
	static const char *const bad_codes[] = {"", "ISO9001", "iso 9001", "iso_9001", "质量",
						"a123456789012345678901234567890123456789x"};
	for (size_t i = 0; i < ARRAY_SIZE(bad_codes); i++) {
		json_t *d = copy();
		set_str(d, "code", bad_codes[i]);
		refused(d, "code");
	}
	json_t *d = copy();
	set_str(d, "code", "a123456789012345678901234567890123456789"); /* 40 */
	accepted(d);
	d = copy();
	json_object_del(d, "code");
	refused(d, "code");

	d = copy();
	json_object_set_new(d, "version", json_integer(0));
	refused(d, "version");
	d = copy();
	json_object_set_new(d, "version", json_integer(-1));
	refused(d, "version");
	d = copy();
	json_object_set_new(d, "version", json_string("1"));
	refused(d, "version");
	d = copy();
	json_object_set_new(d, "version", json_real(1.0));
	refused(d, "version");
	d = copy();
	json_object_set_new(d, "version", json_integer(2));
	accepted(d);

	d = copy();
	set_str(d, "title", "");
	refused(d, "title");
	d = copy();
	json_object_del(d, "standard");
	refused(d, "standard");

	d = copy();
	json_object_set_new(d, "author", json_string("x"));
	refused(d, "未知字段 author");
}

static void test_parse_scale_refusals(void **state)
{
	(void)state;
	json_t *d = copy();
	json_array_remove(json_object_get(d, "scale"), 4);
	refused(d, "scale");
	d = copy();
	json_t *scale = json_object_get(d, "scale");
	json_array_append(scale, json_array_get(scale, 4));
	refused(d, "scale");
	d = copy();
	json_object_set_new(d, "scale", json_object());
	refused(d, "scale");
	/* Out of order. */
	d = copy();
	scale = json_object_get(d, "scale");
	json_object_set_new(json_array_get(scale, 0), "level", json_integer(2));
	json_object_set_new(json_array_get(scale, 1), "level", json_integer(1));
	refused(d, "level");
	d = copy();
	set_str(json_array_get(json_object_get(d, "scale"), 2), "label", "");
	refused(d, "label");
	d = copy();
	json_object_del(json_array_get(json_object_get(d, "scale"), 3), "description");
	refused(d, "description");
	d = copy();
	set_str(json_array_get(json_object_get(d, "scale"), 3), "color", "red");
	refused(d, "未知字段 color");
	d = copy();
	json_array_set_new(json_object_get(d, "scale"), 1, json_string("初步"));
	refused(d, "评分等级第 2 项");
}

static void test_parse_section_refusals(void **state)
{
	(void)state;
	json_t *d = copy();
	json_object_set_new(d, "sections", json_array());
	refused(d, "sections");
	d = copy();
	json_object_del(d, "sections");
	refused(d, "sections");
	d = copy();
	set_str(section(d, 1), "clause", "4");
	refused(d, "重复");
	d = copy();
	set_str(section(d, 1), "clause", "");
	refused(d, "第 2 个章节");
	d = copy();
	set_str(section(d, 1), "title", "");
	refused(d, "第 5 章");
	d = copy();
	json_object_set_new(section(d, 2), "items", json_object());
	refused(d, "items");
	d = copy();
	set_str(section(d, 6), "note", "x");
	refused(d, "未知字段 note");

	/* Too many sections for diag_score. */
	d = copy();
	json_t *sections = json_object_get(d, "sections");
	for (int k = 0; json_array_size(sections) <= DIAG_MAX_SECTIONS; k++) {
		char clause[16];
		snprintf(clause, sizeof(clause), "%d", 20 + k);
		json_array_append_new(sections, json_pack("{s:s, s:s, s:[]}", "clause", clause,
							  "title", "附加", "items"));
	}
	refused(d, "章节");

	/* An empty section and the most sections are fine. */
	d = copy();
	sections = json_object_get(d, "sections");
	for (int k = 0; json_array_size(sections) < DIAG_MAX_SECTIONS; k++) {
		char clause[16];
		snprintf(clause, sizeof(clause), "%d", 20 + k);
		json_array_append_new(sections, json_pack("{s:s, s:s, s:[]}", "clause", clause,
							  "title", "附加", "items"));
	}
	accepted(d);
}

static void test_parse_item_refusals(void **state)
{
	(void)state;
	/* Section 7 is the fourth; its first item is 7.1.2-1. */
	json_t *d = copy();
	set_str(item(d, 3, 1), "key", str(item(d, 3, 0), "key"));
	refused(d, "检查项 7.1.2-1：key 重复");
	d = copy();
	set_str(item(d, 6, 0), "key", "4.1-1"); /* across sections too */
	refused(d, "重复");

	static const char *const bad_keys[] = {"", "7.1.5 1", "7.1.5_1", "７.1", "a23456789012345678901234567890123"};
	for (size_t i = 0; i < ARRAY_SIZE(bad_keys); i++) {
		d = copy();
		set_str(item(d, 3, 0), "key", bad_keys[i]);
		refused(d, "第 7 章第 1 个检查项");
	}
	d = copy();
	set_str(item(d, 3, 0), "key", "Q7.1.2-a-B-123456789012345678901"); /* 32, mixed case */
	accepted(d);

	d = copy();
	set_str(item(d, 3, 5), "clause", "8.1");
	refused(d, "检查项 7.1.5-1：条款 8.1 不属于第 7 章");
	d = copy();
	set_str(item(d, 0, 0), "clause", "40.1"); /* "4" is a prefix, but not of a sub-clause */
	refused(d, "不属于第 4 章");
	d = copy();
	set_str(item(d, 0, 0), "clause", "4.");
	refused(d, "不属于第 4 章");
	d = copy();
	set_str(item(d, 0, 0), "clause", "");
	refused(d, "clause");
	d = copy();
	set_str(item(d, 0, 0), "clause", "4"); /* the section itself is fine */
	accepted(d);
	d = copy();
	set_str(item(d, 6, 0), "clause", "10.1.2.3");
	accepted(d);

	d = copy();
	set_str(item(d, 2, 0), "text", "");
	refused(d, "text");
	d = copy();
	json_object_del(item(d, 2, 0), "text");
	refused(d, "text");
	d = copy();
	json_object_set_new(item(d, 2, 0), "text", json_integer(3));
	refused(d, "text");
	d = copy();
	set_str(item(d, 2, 0), "title", "");
	refused(d, "title");

	/* 300 characters (900 bytes) are accepted, 301 are not. */
	char *t = repeat_zhi(300);
	d = copy();
	set_str(item(d, 2, 0), "text", t);
	accepted(d);
	free(t);
	t = repeat_zhi(301);
	d = copy();
	set_str(item(d, 2, 0), "text", t);
	refused(d, "检查项 6.1-1：text 有 301 个字");
	free(t);

	d = copy();
	set_str(item(d, 4, 0), "weight", "2");
	refused(d, "检查项 8.1-1：未知字段 weight");
	d = copy();
	json_object_set_new(item(d, 4, 0), "hint", json_null());
	refused(d, "hint");
	d = copy();
	json_object_del(item(d, 4, 0), "hint"); /* optional */
	accepted(d);
	d = copy();
	json_array_set_new(json_object_get(section(d, 4), "items"), 0, json_string("x"));
	refused(d, "第 8 章第 1 个检查项");
}

static void test_parse_text_refusals(void **state)
{
	(void)state;
	char err[256];
	static const char *const bad[] = {
		"", "[]", "null", "{", "{\"code\":\"a\"} x", "{\"code\":\"a\",\"code\":\"b\"}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		json_t *got = checklist_parse(bad[i], err, sizeof(err));
		if (got)
			fail_msg("accepted '%s'", bad[i]);
		if (!err[0])
			fail_msg("'%s' refused without a message", bad[i]);
	}
	err[0] = '\0';
	assert_null(checklist_parse(NULL, err, sizeof(err)));
	assert_true(err[0]);
	/* No room for a message is fine. */
	assert_null(checklist_parse("[]", NULL, 0));

	/* A small checklist: one section, no items. */
	const char *small = "{\"code\":\"x\",\"version\":1,\"title\":\"t\",\"standard\":\"s\","
			    "\"scale\":[{\"level\":1,\"label\":\"a\",\"description\":\"d\"},"
			    "{\"level\":2,\"label\":\"a\",\"description\":\"d\"},"
			    "{\"level\":3,\"label\":\"a\",\"description\":\"d\"},"
			    "{\"level\":4,\"label\":\"a\",\"description\":\"d\"},"
			    "{\"level\":5,\"label\":\"a\",\"description\":\"d\"}],"
			    "\"sections\":[{\"clause\":\"A\",\"title\":\"t\",\"items\":[]}]}";
	json_t *got = checklist_parse(small, err, sizeof(err));
	if (!got)
		fail_msg("refused: %s", err);
	json_decref(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_all_scored),
		cmocka_unit_test(test_score_not_applicable),
		cmocka_unit_test(test_score_section_all_na),
		cmocka_unit_test(test_score_empty_section),
		cmocka_unit_test(test_score_unanswered),
		cmocka_unit_test(test_score_rounding),
		cmocka_unit_test(test_score_overall_unrounded),
		cmocka_unit_test(test_score_out_of_range),
		cmocka_unit_test(test_round1),
		cmocka_unit_test(test_finding_kind_label),
		cmocka_unit_test(test_action_status_names),
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_action_table_complete),
		cmocka_unit_test(test_action_refusals),
		cmocka_unit_test(test_action_life),
		cmocka_unit_test(test_action_overdue),
		cmocka_unit_test(test_action_methods),
		cmocka_unit_test(test_shipped_header),
		cmocka_unit_test(test_shipped_sections),
		cmocka_unit_test(test_shipped_items),
		cmocka_unit_test(test_shipped_scores),
		cmocka_unit_test(test_parse_header_refusals),
		cmocka_unit_test(test_parse_scale_refusals),
		cmocka_unit_test(test_parse_section_refusals),
		cmocka_unit_test(test_parse_item_refusals),
		cmocka_unit_test(test_parse_text_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
