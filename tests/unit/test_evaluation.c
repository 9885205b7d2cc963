/*
 * test_evaluation.c - the evaluation rules (core/evaluation.c): the indicator
 * table, rounding, points from stages, rates and counts (clamped, never NaN),
 * the checks on entered points, a programme's targets (defaults, overrides,
 * each refusal), scoring a whole district against a hand-computed fixture and
 * against other targets, ranking, and the questionnaire vocabulary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/evaluation.h"

/* ---- helpers ---- */

static void assert_points(double got, double want)
{
	if (isnan(got) || fabs(got - want) > 1e-9)
		fail_msg("expected %.10g, got %.10g", want, got);
}

static int idx(const char *key)
{
	int i = eval_indicator_find(key);
	if (i < 0)
		fail_msg("no indicator %s", key);
	return i;
}

/*
 * The fixture: a pilot district like the demo's 浦东新区 in November, with
 * every figure chosen by hand and the expected points worked out below.
 */
static void pudong_facts(struct eval_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->v[EF_DECLARATION] = 2;      /* on time -> 5 */
	f->v[EF_WORKPLAN] = 2;         /* approved -> 10 */
	f->v[EF_ENROLLED] = 10;
	f->v[EF_PLAN_TARGET] = 10;     /* 10/10 -> 10 */
	f->v[EF_SESSIONS] = 2;         /* 2/4 -> 5.0 */
	f->v[EF_PERSON_TIMES] = 4;     /* 4/50 -> 0.8 */
	f->v[EF_DIAGNOSED] = 5;        /* 5/10 -> 5.0 */
	f->v[EF_ACTIONS] = 11;
	f->v[EF_ACTIONS_CLOSED] = 4;   /* 36.4% of a 90% target -> 4.04 -> 4.0 */
	f->v[EF_CERTIFIED] = 1;        /* 10% of an 80% target -> 1.25 -> 1.3 (half up) */
	f->v[EF_ASSISTED] = 10;
	f->v[EF_ANSWERED] = 5;
	f->v[EF_CLEAR] = 4;            /* 80% of 90% x 8 -> 7.11 -> 7.1 */
	f->v[EF_SATISFACTION_SUM] = 22;/* 22/25 = 88% of 90% x 7 -> 6.84 -> 6.8 */
}

/* ---- the table ---- */

static void test_table_adds_up(void **state)
{
	(void)state;
	double total = 0, dims[EVAL_N_DIMENSIONS] = {0};
	int entered = 0;
	for (int i = 0; i < eval_n_indicators; i++) {
		const struct eval_indicator *ind = &eval_indicators[i];
		total += ind->max;
		dims[ind->dimension] += ind->max;
		assert_true(ind->max > 0);
		assert_true(ind->how && *ind->how);
		assert_int_equal(eval_indicator_find(ind->key), i); /* keys are unique */
		if (ind->source == EVAL_ENTERED) {
			entered++;
			assert_int_equal(ind->rule, EVAL_RULE_ENTERED);
		} else {
			assert_true(ind->rule != EVAL_RULE_ENTERED);
			assert_true(ind->num < EF_COUNT);
		}
		if (ind->rule == EVAL_RULE_RATIO || ind->rule == EVAL_RULE_COUNT)
			assert_true(ind->target > 0);
	}
	assert_points(total, EVAL_TOTAL_MAX);
	assert_points(dims[EVAL_MOBILISATION], 30);
	assert_points(dims[EVAL_PUBLICITY], 25);
	assert_points(dims[EVAL_ASSISTANCE], 45);
	assert_points(eval_dimension_max(EVAL_ASSISTANCE), 45);
	assert_int_equal(entered, 2);
	assert_string_equal(eval_dimension_label(EVAL_MOBILISATION), "组织发动");
	assert_string_equal(eval_dimension_label(EVAL_PUBLICITY), "宣传培训");
	assert_string_equal(eval_dimension_label(EVAL_ASSISTANCE), "企业帮扶");
	assert_string_equal(eval_dimension_key(EVAL_ASSISTANCE), "assistance");
	assert_int_equal(eval_indicator_find("nope"), -1);
	assert_int_equal(eval_indicator_find(NULL), -1);
	for (int k = 0; k < EF_COUNT; k++)
		assert_true(*eval_fact_key(k));
}

/* ---- rounding and the point rules ---- */

static void test_round1(void **state)
{
	(void)state;
	assert_points(eval_round1(1.25), 1.3);
	assert_points(eval_round1(1.24999), 1.2);
	assert_points(eval_round1(7.05), 7.1);            /* 7.0499999… in binary */
	assert_points(eval_round1(0.1 * 3), 0.3);
	assert_points(eval_round1(10 * 0.125), 1.3);
	assert_points(eval_round1(-1.25), -1.3);
	assert_points(eval_round1(0), 0);
	assert_points(eval_round1(NAN), 0);
	assert_points(eval_round1(INFINITY), 0);
}

static void test_stage_points(void **state)
{
	(void)state;
	assert_points(eval_stage_points(5, 2), 5);
	assert_points(eval_stage_points(5, 1), 2.5);
	assert_points(eval_stage_points(5, 0), 0);
	assert_points(eval_stage_points(5, 7), 0);
	assert_points(eval_stage_points(7, 1), 3.5);
	assert_points(eval_stage_points(3, 1), 1.5);
}

static void test_ratio_points(void **state)
{
	(void)state;
	assert_points(eval_ratio_points(10, 5, 10, 1.0), 5);
	assert_points(eval_ratio_points(10, 1, 3, 1.0), 3.3);
	assert_points(eval_ratio_points(10, 2, 3, 1.0), 6.7);
	/* no enterprises: 0, not NaN */
	assert_points(eval_ratio_points(10, 0, 0, 1.0), 0);
	assert_points(eval_ratio_points(10, 3, 0, 1.0), 0);
	/* above the target clamps to the maximum */
	assert_points(eval_ratio_points(10, 9, 10, 0.8), 10);
	assert_points(eval_ratio_points(10, 20, 10, 1.0), 10);
	assert_points(eval_ratio_points(10, 8, 10, 0.8), 10);
	/* below the target: proportional to the target */
	assert_points(eval_ratio_points(10, 4, 10, 0.8), 5);
	/* nonsense in, zero out */
	assert_points(eval_ratio_points(10, -4, 10, 1.0), 0);
	assert_points(eval_ratio_points(10, 4, -10, 1.0), 0);
	assert_points(eval_ratio_points(10, 4, 10, 0), 0);
}

static void test_count_points(void **state)
{
	(void)state;
	assert_points(eval_count_points(10, 2, 4), 5);
	assert_points(eval_count_points(10, 4, 4), 10);
	assert_points(eval_count_points(10, 12, 4), 10);
	assert_points(eval_count_points(10, 0, 4), 0);
	assert_points(eval_count_points(10, 1, 3), 3.3);
	assert_points(eval_count_points(10, 4, 50), 0.8);
	assert_points(eval_count_points(10, 4, 0), 0);
}

static void test_percent(void **state)
{
	(void)state;
	assert_points(eval_percent(4, 5), 80);
	assert_points(eval_percent(2, 3), 66.7);
	assert_points(eval_percent(22, 25), 88);
	assert_points(eval_percent(0, 5), 0);
	assert_points(eval_percent(0, 0), -1);
}

/* ---- entered points ---- */

static void test_check_entry(void **state)
{
	(void)state;
	int i = -2;
	assert_int_equal(eval_check_entry("leadership", 4.5, &i), EVAL_ENTRY_OK);
	assert_int_equal(i, idx("leadership"));
	assert_int_equal(eval_check_entry("leadership", 0, NULL), EVAL_ENTRY_OK);
	assert_int_equal(eval_check_entry("leadership", 5, NULL), EVAL_ENTRY_OK);
	assert_int_equal(eval_check_entry("publicity", 3, NULL), EVAL_ENTRY_OK);
	assert_int_equal(eval_check_entry("leadership", 5.1, NULL), EVAL_ENTRY_RANGE);
	assert_int_equal(eval_check_entry("leadership", -0.5, NULL), EVAL_ENTRY_RANGE);
	assert_int_equal(eval_check_entry("leadership", NAN, NULL), EVAL_ENTRY_RANGE);
	assert_int_equal(eval_check_entry("leadership", INFINITY, NULL), EVAL_ENTRY_RANGE);
	assert_int_equal(eval_check_entry("leadership", 4.55, NULL), EVAL_ENTRY_PRECISION);
	assert_int_equal(eval_check_entry("leadership", 0.1 * 3, NULL), EVAL_ENTRY_OK); /* 0.30000000000000004 */
	assert_int_equal(eval_check_entry("diagnosis_rate", 5, &i), EVAL_ENTRY_COMPUTED);
	assert_int_equal(i, idx("diagnosis_rate"));
	assert_int_equal(eval_check_entry("no_such_thing", 1, &i), EVAL_ENTRY_UNKNOWN);
	assert_int_equal(i, -1);
	assert_int_equal(eval_check_entry(NULL, 1, NULL), EVAL_ENTRY_UNKNOWN);
}

static void test_entry_messages(void **state)
{
	(void)state;
	char m[300];
	eval_entry_message(EVAL_ENTRY_RANGE, "leadership", m, sizeof(m));
	assert_non_null(strstr(m, "组织领导与部署"));
	assert_non_null(strstr(m, "0 到 5 分"));
	eval_entry_message(EVAL_ENTRY_COMPUTED, "diagnosis_rate", m, sizeof(m));
	assert_non_null(strstr(m, "诊断完成率"));
	eval_entry_message(EVAL_ENTRY_UNKNOWN, "bogus", m, sizeof(m));
	assert_non_null(strstr(m, "bogus"));
	eval_entry_message(EVAL_ENTRY_PRECISION, "publicity", m, sizeof(m));
	assert_non_null(strstr(m, "一位小数"));
}

/* ---- targets ---- */

/* eval_targets_parse of JSON text; err gets the message. */
static int parse_targets(const char *text, struct eval_targets *t, char *err, size_t n)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &je);
	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	int rc = eval_targets_parse(j, t, err, n);
	json_decref(j);
	return rc;
}

static void assert_default_targets(const struct eval_targets *t)
{
	for (int i = 0; i < eval_n_indicators; i++)
		assert_points(t->t[i], eval_has_target(&eval_indicators[i]) ? eval_indicators[i].target : 0);
}

static void test_targets_default(void **state)
{
	(void)state;
	struct eval_targets t;
	eval_targets_default(&t);
	assert_points(t.t[idx("training_sessions")], 4);
	assert_points(t.t[idx("training_person_times")], 50);
	assert_points(t.t[idx("pilot_enterprises")], 1);
	assert_points(t.t[idx("diagnosis_rate")], 1);
	assert_points(t.t[idx("action_closure_rate")], 0.9);
	assert_points(t.t[idx("certified_rate")], 0.8);
	assert_points(t.t[idx("clear_improvement_rate")], 0.9);
	assert_points(t.t[idx("satisfaction_rate")], 0.9);
	assert_points(t.t[idx("leadership")], 0);
	assert_points(t.t[idx("declaration_on_time")], 0);
	int with_target = 0;
	for (int i = 0; i < eval_n_indicators; i++)
		with_target += eval_has_target(&eval_indicators[i]);
	assert_int_equal(with_target, 8);
	/* none set, or an empty object: the defaults */
	char err[256] = "";
	assert_int_equal(eval_targets_parse(NULL, &t, err, sizeof(err)), 0);
	assert_default_targets(&t);
	assert_int_equal(parse_targets("{}", &t, err, sizeof(err)), 0);
	assert_default_targets(&t);
	/* the shipped programme's values are the defaults */
	assert_int_equal(parse_targets("{\"training_sessions\": 4, \"training_person_times\": 50, "
		"\"pilot_enterprises\": 1.0, \"diagnosis_rate\": 1.0, \"action_closure_rate\": 0.9, "
		"\"certified_rate\": 0.8, \"clear_improvement_rate\": 0.9, \"satisfaction_rate\": 0.9}",
		&t, err, sizeof(err)), 0);
	assert_default_targets(&t);
}

static void test_targets_override(void **state)
{
	(void)state;
	struct eval_targets t;
	char err[256] = "";
	assert_int_equal(parse_targets("{\"training_sessions\": 2, \"certified_rate\": 0.5, "
		"\"satisfaction_rate\": 1}", &t, err, sizeof(err)), 0);
	assert_points(t.t[idx("training_sessions")], 2);
	assert_points(t.t[idx("certified_rate")], 0.5);
	assert_points(t.t[idx("satisfaction_rate")], 1);
	/* the others keep their defaults */
	assert_points(t.t[idx("training_person_times")], 50);
	assert_points(t.t[idx("action_closure_rate")], 0.9);
	assert_points(t.t[idx("diagnosis_rate")], 1);
	/* what a final sheet keeps reads back the same */
	json_t *j = eval_targets_json(&t);
	assert_int_equal(json_object_size(j), 8);
	assert_points(json_number_value(json_object_get(j, "training_sessions")), 2);
	assert_null(json_object_get(j, "leadership"));
	struct eval_targets back;
	assert_int_equal(eval_targets_parse(j, &back, err, sizeof(err)), 0);
	json_decref(j);
	assert_memory_equal(&back, &t, sizeof(t));
}

static void test_targets_refused(void **state)
{
	(void)state;
	static const struct {
		const char *json, *named, *says;
	} cases[] = {
		{"[]", "evaluation_targets", "对象"},
		{"null", "evaluation_targets", "对象"},
		{"4", "evaluation_targets", "对象"},
		{"{\"training_session\": 4}", "training_session", "不是评分项"},
		{"{\"leadership\": 5}", "leadership", "不能设置"},
		{"{\"declaration_on_time\": 1}", "declaration_on_time", "不能设置"},
		{"{\"training_sessions\": \"4\"}", "training_sessions", "应为数字"},
		{"{\"training_sessions\": true}", "training_sessions", "应为数字"},
		{"{\"training_sessions\": null}", "training_sessions", "应为数字"},
		{"{\"training_sessions\": 0}", "training_sessions", "大于 0 的整数"},
		{"{\"training_person_times\": -50}", "training_person_times", "大于 0 的整数"},
		{"{\"training_sessions\": 2.5}", "training_sessions", "大于 0 的整数"},
		{"{\"certified_rate\": 0}", "certified_rate", "不超过 1"},
		{"{\"certified_rate\": -0.1}", "certified_rate", "不超过 1"},
		{"{\"action_closure_rate\": 90}", "action_closure_rate", "不超过 1"},
		{"{\"satisfaction_rate\": 1.01}", "satisfaction_rate", "不超过 1"},
		{"{\"diagnosis_rate\": \"90%\"}", "diagnosis_rate", "应为数字"},
		/* a good key before a bad one changes nothing */
		{"{\"training_sessions\": 2, \"bogus\": 1}", "bogus", "不是评分项"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct eval_targets t;
		char err[256] = "";
		if (parse_targets(cases[k].json, &t, err, sizeof(err)) != -1)
			fail_msg("accepted %s", cases[k].json);
		if (!strstr(err, cases[k].named) || !strstr(err, cases[k].says))
			fail_msg("%s: message \"%s\" should name %s and say %s", cases[k].json, err, cases[k].named,
				 cases[k].says);
		assert_default_targets(&t);
	}
	/* the message names the indicator in Chinese too */
	struct eval_targets t;
	char err[256] = "";
	assert_int_equal(parse_targets("{\"certified_rate\": 80}", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "新获证企业率"));
}

/* ---- a whole district ---- */

static void test_score_fixture(void **state)
{
	(void)state;
	struct eval_facts f;
	pudong_facts(&f);
	double entered[EVAL_MAX_INDICATORS] = {0};
	bool has[EVAL_MAX_INDICATORS] = {0};
	entered[idx("leadership")] = 4.5;
	has[idx("leadership")] = true;
	entered[idx("publicity")] = 3;
	has[idx("publicity")] = true;
	struct eval_sheet s;
	struct eval_targets t;
	eval_targets_default(&t);
	eval_score(&f, &t, entered, has, &s);
	assert_points(s.items[idx("declaration_on_time")].points, 5);
	assert_points(s.items[idx("workplan_approved")].points, 10);
	assert_points(s.items[idx("pilot_enterprises")].points, 10);
	assert_points(s.items[idx("leadership")].points, 4.5);
	assert_points(s.items[idx("training_sessions")].points, 5);
	assert_points(s.items[idx("training_person_times")].points, 0.8);
	assert_points(s.items[idx("publicity")].points, 3);
	assert_points(s.items[idx("diagnosis_rate")].points, 5);
	assert_points(s.items[idx("action_closure_rate")].points, 4);
	assert_points(s.items[idx("certified_rate")].points, 1.3);
	assert_points(s.items[idx("clear_improvement_rate")].points, 7.1);
	assert_points(s.items[idx("satisfaction_rate")].points, 6.8);
	assert_points(s.dimension_points[EVAL_MOBILISATION], 29.5);
	assert_points(s.dimension_points[EVAL_PUBLICITY], 8.8);
	assert_points(s.dimension_points[EVAL_ASSISTANCE], 24.2);
	assert_points(s.total, 62.5);
	assert_int_equal(s.missing_entries, 0);
	/* the figures behind the points */
	const struct eval_item *sat = &s.items[idx("satisfaction_rate")];
	assert_int_equal(sat->num, 22);
	assert_int_equal(sat->den, 25); /* 5 answers x 5 points */
	assert_true(sat->has_value);
	assert_points(sat->value, 88);
	const struct eval_item *closed = &s.items[idx("action_closure_rate")];
	assert_int_equal(closed->num, 4);
	assert_int_equal(closed->den, 11);
	assert_points(closed->value, 36.4);
	assert_int_equal(s.items[idx("training_sessions")].num, 2);
	assert_points(s.items[idx("declaration_on_time")].value, 2);
}

static void test_score_empty_district(void **state)
{
	(void)state;
	struct eval_facts f;
	memset(&f, 0, sizeof(f));
	struct eval_sheet s;
	eval_score(&f, NULL, NULL, NULL, &s);
	for (int i = 0; i < eval_n_indicators; i++) {
		assert_false(isnan(s.items[i].points));
		assert_false(isnan(s.items[i].value));
		assert_points(s.items[i].points, 0);
		if (eval_indicators[i].rule == EVAL_RULE_RATIO)
			assert_false(s.items[i].has_value); /* "no data", not 0% */
		if (eval_indicators[i].source == EVAL_ENTERED)
			assert_false(s.items[i].has_points);
	}
	assert_points(s.total, 0);
	assert_int_equal(s.missing_entries, 2);
}

static void test_score_clamps_and_halves(void **state)
{
	(void)state;
	struct eval_facts f;
	memset(&f, 0, sizeof(f));
	f.v[EF_DECLARATION] = 1;          /* late -> 2.5 */
	f.v[EF_WORKPLAN] = 1;             /* awaiting review -> 5 */
	f.v[EF_ENROLLED] = 30;
	f.v[EF_PLAN_TARGET] = 10;         /* 300% -> 10, not 30 */
	f.v[EF_SESSIONS] = 40;            /* -> 10 */
	f.v[EF_PERSON_TIMES] = 500;       /* -> 10 */
	f.v[EF_DIAGNOSED] = 30;           /* -> 10 */
	f.v[EF_ACTIONS] = 10;
	f.v[EF_ACTIONS_CLOSED] = 10;      /* 100% of a 90% target -> 10 */
	f.v[EF_CERTIFIED] = 27;           /* 90% of an 80% target -> 10 */
	f.v[EF_ANSWERED] = 20;
	f.v[EF_CLEAR] = 20;               /* -> 8 */
	f.v[EF_SATISFACTION_SUM] = 100;   /* mean 5 -> 7 */
	double entered[EVAL_MAX_INDICATORS] = {0};
	bool has[EVAL_MAX_INDICATORS] = {0};
	entered[idx("leadership")] = 5;
	has[idx("leadership")] = true;
	struct eval_sheet s;
	eval_score(&f, NULL, entered, has, &s);
	assert_points(s.items[idx("declaration_on_time")].points, 2.5);
	assert_points(s.items[idx("workplan_approved")].points, 5);
	assert_points(s.items[idx("pilot_enterprises")].points, 10);
	assert_points(s.items[idx("pilot_enterprises")].value, 300);
	assert_points(s.items[idx("training_sessions")].points, 10);
	assert_points(s.items[idx("training_person_times")].points, 10);
	assert_points(s.items[idx("certified_rate")].points, 10);
	assert_points(s.items[idx("action_closure_rate")].points, 10);
	assert_points(s.items[idx("clear_improvement_rate")].points, 8);
	assert_points(s.items[idx("satisfaction_rate")].points, 7);
	assert_points(s.dimension_points[EVAL_MOBILISATION], 22.5);
	assert_points(s.dimension_points[EVAL_PUBLICITY], 20);
	assert_points(s.dimension_points[EVAL_ASSISTANCE], 45);
	assert_points(s.total, 87.5);
	assert_int_equal(s.missing_entries, 1); /* publicity not entered: 0 points */
	assert_false(s.items[idx("publicity")].has_points);
}

static void test_score_other_targets(void **state)
{
	(void)state;
	struct eval_facts f;
	pudong_facts(&f);
	struct eval_targets t;
	char err[256] = "";
	/* 2 sessions of a 2-session target, 4 of 8 person-times, 1 of 10 certified
	 * against 10%, 4 of 11 closed against 40% (90.9% of it) */
	assert_int_equal(parse_targets("{\"training_sessions\": 2, \"training_person_times\": 8, "
		"\"certified_rate\": 0.1, \"action_closure_rate\": 0.4}", &t, err, sizeof(err)), 0);
	struct eval_sheet def, s;
	eval_score(&f, NULL, NULL, NULL, &def);
	eval_score(&f, &t, NULL, NULL, &s);
	assert_points(def.items[idx("training_sessions")].points, 5);
	assert_points(s.items[idx("training_sessions")].points, 10);
	assert_points(s.items[idx("training_person_times")].points, 5);
	assert_points(s.items[idx("certified_rate")].points, 10);
	assert_points(s.items[idx("action_closure_rate")].points, 9.1);
	/* the figures do not depend on the target */
	assert_int_equal(s.items[idx("training_sessions")].num, 2);
	assert_points(s.items[idx("certified_rate")].value, 10);
	/* untouched targets score as before */
	assert_points(s.items[idx("satisfaction_rate")].points, def.items[idx("satisfaction_rate")].points);
	assert_points(s.items[idx("diagnosis_rate")].points, def.items[idx("diagnosis_rate")].points);
	/* the fixture without entries: 25 + 5.8 + 24.2 = 55 with the defaults; now
	 * 25 + (10 + 5) + (5 + 9.1 + 10 + 7.1 + 6.8) */
	assert_points(def.total, 55);
	assert_points(s.dimension_points[EVAL_PUBLICITY], 15);
	assert_points(s.dimension_points[EVAL_ASSISTANCE], 38);
	assert_points(s.total, 78);
}

/* ---- ranking ---- */

static void test_rank(void **state)
{
	(void)state;
	double t[] = {50, 70, 70, 10, 70.04};
	int r[5];
	eval_rank(t, 5, r);
	assert_int_equal(r[0], 4);
	assert_int_equal(r[1], 1);
	assert_int_equal(r[2], 1);
	assert_int_equal(r[3], 5);
	assert_int_equal(r[4], 1); /* 70.04 shows as 70.0: a tie */
	double z[] = {0, 0, 0};
	int rz[3];
	eval_rank(z, 3, rz);
	assert_int_equal(rz[0], 1);
	assert_int_equal(rz[2], 1);
	eval_rank(NULL, 0, NULL);
}

/* ---- questionnaire ---- */

static void test_improvement(void **state)
{
	(void)state;
	assert_string_equal(eval_improvement_label("very"), "非常明显");
	assert_string_equal(eval_improvement_label("fairly"), "比较明显");
	assert_string_equal(eval_improvement_label("average"), "一般");
	assert_string_equal(eval_improvement_label("not"), "不明显");
	assert_null(eval_improvement_label("VERY"));
	assert_null(eval_improvement_label(""));
	assert_null(eval_improvement_label(NULL));
	assert_true(eval_improvement_clear("very"));
	assert_true(eval_improvement_clear("fairly"));
	assert_false(eval_improvement_clear("average"));
	assert_false(eval_improvement_clear("not"));
	assert_false(eval_improvement_clear(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_adds_up),
		cmocka_unit_test(test_round1),
		cmocka_unit_test(test_stage_points),
		cmocka_unit_test(test_ratio_points),
		cmocka_unit_test(test_count_points),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_check_entry),
		cmocka_unit_test(test_entry_messages),
		cmocka_unit_test(test_targets_default),
		cmocka_unit_test(test_targets_override),
		cmocka_unit_test(test_targets_refused),
		cmocka_unit_test(test_score_fixture),
		cmocka_unit_test(test_score_empty_district),
		cmocka_unit_test(test_score_clamps_and_halves),
		cmocka_unit_test(test_score_other_targets),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_improvement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
