/*
 * test_report_figures.c - the live figures of a report (report_figures() in
 * store/reports.c) on a real in-memory SQLite database: every figure's value,
 * the records behind it and the details of those records, for the whole city,
 * a district, a certification body and a district without enterprises, and
 * which figures are left out when nothing backs them.
 *
 * The fixture (programme 1, today 2021-05-10): districts A (10), B (11) and an
 * empty C (12); bodies X (20) and Y (21). Enterprises 1-3 are in A, 4-6 in B;
 * in programme 1, 1, 2 and 4 are assigned to X, 3 and 5 to Y, and 6 to none
 * (6 is assigned to X only in programme 2). On-site diagnoses: 1 has two
 * submitted rounds 2.4 -> 3.6 (round 2 inserted first), 2 has 3.6 -> 4.1 plus
 * a round-3 draft, 3 one submitted round, 4 only a draft (and a submitted
 * self-assessment), 5 two submitted rounds the latter without an overall
 * score, 6 two submitted rounds 3.3 -> 3.2. Actions 201-208 cover the four
 * statuses with due dates before, on and after today. Certificates 301-305:
 * new ones, one held before (prior = 1), one without an enterprise. Training
 * registrations 501-509, attended or not, several per enterprise. Diagnosis 114
 * and actions 209-210 belong to programme 2 and must never count in programme 1.
 * Baseline/follow-up indicators with NULLs so that the quality cost rate has
 * no enterprise with both values (never a figure) and satisfaction only one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store/db.h"
#include "store/reports.h"

#define TODAY "2021-05-10"
#define PROGRAMME 1
#define DISTRICT_A 10
#define DISTRICT_C 12
#define BODY_X 20

static const char fixture_sql[] =
	"INSERT INTO units (id, kind, name, created_at) VALUES "
	" (1, 'city', '市市场监管局', 1620576000),"
	" (10, 'district', '甲区市场监管局', 1620576000),"
	" (11, 'district', '乙区市场监管局', 1620576000),"
	" (12, 'district', '丙区市场监管局', 1620576000),"
	" (20, 'cb', '认证机构X', 1620576000),"
	" (21, 'cb', '认证机构Y', 1620576000);"

	"INSERT INTO programmes (id, code, name, region, year, created_at) VALUES "
	" (1, 'P2021', '质量管理体系认证提升行动', '某市', 2021, 1620576000),"
	" (2, 'P2022', '质量管理体系认证提升行动（二期）', '某市', 2022, 1620576000);"

	"INSERT INTO checklists (id, code, version, title, standard, content, loaded_at) VALUES "
	" (1, 'qms', 1, '诊断清单', 'GB/T 19001-2016', '{}', 1620576000);"

	"INSERT INTO enterprises (id, name, uscc, district_unit_id, industry, created_at) VALUES "
	" (1, '一号机械公司', '91000000000000001A', 10, '机械', 1620576000),"
	" (2, '二号食品公司', '91000000000000002A', 10, '食品', 1620576000),"
	" (3, '三号机械公司', '91000000000000003A', 10, '机械', 1620576000),"
	" (4, '四号电子公司', '91000000000000004A', 11, '电子', 1620576000),"
	" (5, '五号食品公司', '91000000000000005A', 11, '食品', 1620576000),"
	" (6, '六号材料公司', '91000000000000006A', 11, '', 1620576000);"

	"INSERT INTO assignments (programme_id, enterprise_id, cb_unit_id, industry, assigned_by, assigned_at) VALUES "
	" (1, 1, 20, '机械', 'city', 1620576000),"
	" (1, 2, 20, '食品', 'city', 1620576000),"
	" (1, 3, 21, '机械', 'city', 1620576000),"
	" (1, 4, 20, '电子', 'city', 1620576000),"
	" (1, 5, 21, '食品', 'city', 1620576000),"
	" (2, 6, 20, '', 'city', 1620576000);"

	/* Inserted directly as 'submitted': the clause-score trigger (011) fires on UPDATE only. */
	"INSERT INTO diagnoses (id, programme_id, enterprise_id, cb_unit_id, kind, round, checklist_id, visit_date, "
	" status, overall, created_by, created_at, updated_at) VALUES "
	" (101, 1, 1, 20, 'onsite', 2, 1, '2021-04-20', 'submitted', 3.6, 'x', 1620576000, 1620576000),"
	" (102, 1, 1, 20, 'onsite', 1, 1, '2021-03-01', 'submitted', 2.4, 'x', 1620576000, 1620576000),"
	" (103, 1, 1, 20, 'self',   1, 1, '2021-02-15', 'submitted', 1.5, 'x', 1620576000, 1620576000),"
	" (104, 1, 2, 20, 'onsite', 1, 1, '2021-03-05', 'submitted', 3.6, 'x', 1620576000, 1620576000),"
	" (105, 1, 2, 20, 'onsite', 2, 1, '2021-04-25', 'submitted', 4.1, 'x', 1620576000, 1620576000),"
	" (106, 1, 2, 20, 'onsite', 3, 1, '2021-02-01', 'draft',     5.0, 'x', 1620576000, 1620576000),"
	" (107, 1, 3, 21, 'onsite', 1, 1, '2021-03-10', 'submitted', 2.0, 'y', 1620576000, 1620576000),"
	" (108, 1, 4, 20, 'onsite', 1, 1, '2021-04-01', 'draft',     NULL, 'x', 1620576000, 1620576000),"
	" (109, 1, 4, 20, 'self',   1, 1, '2021-03-12', 'submitted', 2.8, 'x', 1620576000, 1620576000),"
	" (110, 1, 5, 21, 'onsite', 1, 1, '2021-03-15', 'submitted', 3.0, 'y', 1620576000, 1620576000),"
	" (111, 1, 5, 21, 'onsite', 2, 1, '2021-04-30', 'submitted', NULL, 'y', 1620576000, 1620576000),"
	" (112, 1, 6, NULL, 'onsite', 1, 1, '2021-03-20', 'submitted', 3.3, 'c', 1620576000, 1620576000),"
	" (113, 1, 6, NULL, 'onsite', 2, 1, '2021-05-01', 'submitted', 3.2, 'c', 1620576000, 1620576000),"
	/* Programme 2's: never counted in programme 1 (it would make 3 diagnosed twice and re-assessed). */
	" (114, 2, 3, 21, 'onsite', 1, 1, '2021-04-28', 'submitted', 4.5, 'y', 1620576000, 1620576000);"

	"INSERT INTO actions (id, programme_id, enterprise_id, cb_unit_id, title, method, owner, due_date, status, "
	" created_by, created_at, updated_at) VALUES "
	" (201, 1, 1, 20, '完善文件控制', 'm', 'o', '2021-05-01', 'open', 'x', 1620576000, 1620576000),"
	" (202, 1, 1, 20, '建立内审制度', 'm', 'o', '2021-06-30', 'in_progress', 'x', 1620576000, 1620576000),"
	" (203, 1, 1, 20, '校准计量器具', 'm', 'o', '2021-04-01', 'verified', 'x', 1620576000, 1620576000),"
	" (204, 1, 2, 20, '完善供应商评价', 'm', 'o', '2021-05-20', 'closed', 'x', 1620576000, 1620576000),"
	" (205, 1, 3, 21, '开展管理评审', 'm', 'o', '2021-05-10', 'open', 'y', 1620576000, 1620576000),"
	" (206, 1, 4, 20, '建立不合格品台账', 'm', 'o', '2021-05-09', 'in_progress', 'x', 1620576000, 1620576000),"
	" (207, 1, 5, 21, '培训内审员', 'm', 'o', '2021-07-01', 'open', 'y', 1620576000, 1620576000),"
	" (208, 1, 6, 20, '整理质量记录', 'm', 'o', '2021-03-01', 'closed', 'x', 1620576000, 1620576000),"
	/* Programme 2's: open and past due, yet never counted in programme 1. */
	" (209, 2, 3, 21, '上一年度遗留措施', 'm', 'o', '2021-01-15', 'open', 'y', 1620576000, 1620576000),"
	" (210, 2, 1, 20, '上一年度已关闭措施', 'm', 'o', '2021-01-15', 'closed', 'x', 1620576000, 1620576000);"

	"INSERT INTO certificates (id, number, cb_unit_id, issuer_name, enterprise_id, prior, holder, scope, standard, "
	" first_issue_date, issue_date, expiry_date, headcount, status, status_date, created_by, created_at, updated_at) VALUES "
	" (301, 'X21Q001', 20, '认证机构X', 1, 0, '一号机械公司', 's', 'GB/T 19001-2016', '2021-04-01', '2021-04-01', "
	"  '2024-03-31', 50, 'valid', '2021-04-01', 'x', 1620576000, 1620576000),"
	" (302, 'Z18Q002', NULL, '其他机构', 2, 1, '二号食品公司', 's', 'GB/T 19001-2016', '2018-01-01', '2021-01-01', "
	"  '2024-01-01', 30, 'valid', '2021-01-01', 'x', 1620576000, 1620576000),"
	" (303, 'X21Q003', 20, '认证机构X', 4, 0, '四号电子公司', 's', 'GB/T 19001-2016', '2021-04-15', '2021-04-15', "
	"  '2024-04-14', 80, 'valid', '2021-04-15', 'x', 1620576000, 1620576000),"
	" (304, 'Y21Q004', 21, '认证机构Y', 3, 0, '三号机械公司', 's', 'GB/T 19001-2016', '2021-04-20', '2021-04-20', "
	"  '2024-04-19', 40, 'valid', '2021-04-20', 'y', 1620576000, 1620576000),"
	" (305, 'X21Q005', 20, '认证机构X', NULL, 0, '外地公司', 's', 'GB/T 19001-2016', '2021-04-25', '2021-04-25', "
	"  '2024-04-24', 10, 'valid', '2021-04-25', 'x', 1620576000, 1620576000);"

	"INSERT INTO trainings (id, title, kind, organiser_unit_id, starts_at, ends_at, capacity, checkin_token, "
	" created_by, created_at, updated_at) VALUES "
	" (401, '内审员培训', 'offline', 1, '2021-04-01 09:00', '2021-04-01 17:00', 50, 'tok401', 'c', 1620576000, 1620576000),"
	" (402, '质量成本培训', 'online', 1, '2021-04-15 09:00', '2021-04-15 12:00', 100, 'tok402', 'c', 1620576000, 1620576000);"

	"INSERT INTO training_registrations (id, training_id, enterprise_id, name, phone, attended, registered_by, created_at) VALUES "
	" (501, 401, 1, '张三', '13800000001', 1, 'e1', 1620576000),"
	" (502, 401, 1, '李四', '13800000002', 1, 'e1', 1620576000),"
	" (503, 402, 1, '张三', '13800000001', 0, 'e1', 1620576000),"
	" (504, 401, 2, '王五', '13800000003', 0, 'e2', 1620576000),"
	" (505, 402, 3, '赵六', '13800000004', 1, 'e3', 1620576000),"
	" (506, 401, 4, '钱七', '13800000005', 1, 'e4', 1620576000),"
	" (507, 402, 4, '钱七', '13800000005', 1, 'e4', 1620576000),"
	" (508, 402, 4, '孙八', '13800000006', 1, 'e4', 1620576000),"
	" (509, 401, 6, '周九', '13800000007', 1, 'e6', 1620576000);"

	/* columns: first_pass_yield, defect_rate, complaints, satisfaction, quality_cost_rate, profit_margin */
	"INSERT INTO enterprise_indicators (enterprise_id, kind, period, first_pass_yield, defect_rate, complaints, "
	" satisfaction, quality_cost_rate, profit_margin, updated_by, updated_at) VALUES "
	" (1, 'baseline', '2020', 92.5, 3.2,  5,    NULL, 4.0,  NULL, 'e1', 1620576000),"
	" (1, 'followup', '2021', 96.0, 1.9,  2,    88.0, NULL, 8.0,  'e1', 1620576000),"
	" (2, 'baseline', '2020', 90.0, NULL, NULL, NULL, NULL, NULL, 'e2', 1620576000),"
	" (2, 'followup', '2021', 91.0, NULL, NULL, NULL, 3.0,  NULL, 'e2', 1620576000),"
	" (3, 'baseline', '2020', 89.0, NULL, 4,    NULL, NULL, 6.0,  'e3', 1620576000),"
	" (3, 'followup', '2021', NULL, NULL, 4,    NULL, NULL, 7.25, 'e3', 1620576000),"
	" (4, 'baseline', '2020', 88.0, 5.0,  NULL, NULL, NULL, 5.5,  'e4', 1620576000),"
	" (4, 'followup', '2021', 95.5, 4.1,  NULL, NULL, NULL, 5.0,  'e4', 1620576000),"
	" (5, 'baseline', '2020', 85.0, NULL, 3,    90.0, NULL, NULL, 'e5', 1620576000),"
	" (5, 'followup', '2021', NULL, NULL, 1,    92.0, NULL, NULL, 'e5', 1620576000),"
	" (6, 'baseline', '2020', 80.0, NULL, NULL, NULL, NULL, NULL, 'e6', 1620576000),"
	" (6, 'followup', '2021', 86.0, NULL, NULL, NULL, NULL, NULL, 'e6', 1620576000);";

static int setup_db(void **state)
{
	char err[512] = "";
	struct db *db = db_open(":memory:", err, sizeof(err));
	if (!db) {
		fprintf(stderr, "db_open: %s\n", err);
		return -1;
	}
	if (db_migrate(db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "db_migrate: %s\n", err);
		db_close(db);
		return -1;
	}
	if (db_exec(db, fixture_sql) != DB_OK) {
		fprintf(stderr, "fixture: %s\n", db_errmsg(db));
		db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static int teardown_db(void **state)
{
	db_close(*state);
	return 0;
}

/* ---- Helpers ---- */

/* The figure with this key, NULL when absent. */
static json_t *find_figure(json_t *figs, const char *key)
{
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f) {
		const char *k = json_string_value(json_object_get(f, "key"));
		if (k && !strcmp(k, key))
			return f;
	}
	return NULL;
}

static json_t *must_find(json_t *figs, const char *key)
{
	json_t *f = find_figure(figs, key);
	if (!f)
		fail_msg("figure %s is missing", key);
	return f;
}

/* The keys of the figures, in their order, are exactly these. */
static void check_keys(json_t *figs, const char *const *keys, size_t n)
{
	assert_true(json_is_array(figs));
	if (json_array_size(figs) != n)
		fail_msg("%zu figures, expected %zu", json_array_size(figs), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(figs, i), "key")), keys[i]);
}

/* The records are of this type and have these ids, in this order; every record has a name and a detail. */
static void check_records(json_t *f, const char *key, const char *type, const int64_t *ids, size_t n)
{
	json_t *recs = json_object_get(f, "records");
	assert_true(json_is_array(recs));
	if (json_array_size(recs) != n)
		fail_msg("%s: %zu records, expected %zu", key, json_array_size(recs), n);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(recs, i);
		assert_string_equal(json_string_value(json_object_get(r, "type")), type);
		json_t *id = json_object_get(r, "id");
		assert_true(json_is_integer(id));
		if (json_integer_value(id) != ids[i])
			fail_msg("%s: record %zu has id %lld, expected %lld", key, i, (long long)json_integer_value(id),
				 (long long)ids[i]);
		assert_true(json_is_string(json_object_get(r, "name")));
		assert_true(json_is_string(json_object_get(r, "detail")));
	}
}

static void check_count(json_t *figs, const char *key, const char *unit, json_int_t value, const char *type,
			const int64_t *ids, size_t n)
{
	json_t *f = must_find(figs, key);
	assert_string_equal(json_string_value(json_object_get(f, "unit")), unit);
	assert_true(json_is_string(json_object_get(f, "label")));
	json_t *v = json_object_get(f, "value");
	assert_true(json_is_integer(v));
	if (json_integer_value(v) != value)
		fail_msg("%s = %lld, expected %lld", key, (long long)json_integer_value(v), (long long)value);
	check_records(f, key, type, ids, n);
}

static void check_change(json_t *figs, const char *key, const char *unit, double value, const int64_t *ids, size_t n)
{
	json_t *f = must_find(figs, key);
	assert_string_equal(json_string_value(json_object_get(f, "unit")), unit);
	json_t *v = json_object_get(f, "value");
	assert_true(json_is_real(v));
	/* The value is already rounded: far closer to the literal than any rounding step. */
	if (fabs(json_real_value(v) - value) > 1e-9)
		fail_msg("%s = %.17g, expected %.17g", key, json_real_value(v), value);
	check_records(f, key, "enterprise", ids, n);
}

/* A record of the figure, by its id. */
static json_t *record_of(json_t *figs, const char *key, int64_t id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(must_find(figs, key), "records"), i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			return r;
	fail_msg("%s: no record %lld", key, (long long)id);
	return NULL;
}

static void check_record(json_t *figs, const char *key, int64_t id, const char *name, const char *detail)
{
	json_t *r = record_of(figs, key, id);
	assert_string_equal(json_string_value(json_object_get(r, "name")), name);
	assert_string_equal(json_string_value(json_object_get(r, "detail")), detail);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define IDS(...) ((const int64_t[]){__VA_ARGS__}), N(((const int64_t[]){__VA_ARGS__}))

/* ---- Whole city: enterprises 1-6 ---- */

static void test_city(void **state)
{
	struct db *db = *state;
	json_t *figs = report_figures(db, PROGRAMME, 0, 0, TODAY);
	assert_non_null(figs);

	/* quality_cost_rate: no enterprise has both values, so no figure. */
	static const char *const keys[] = {
		"enterprises", "diagnosed", "actions_open", "actions_closed", "actions_overdue", "certified",
		"trained_enterprises", "person_times", "avg_score_change", "ind_first_pass_yield", "ind_defect_rate",
		"ind_complaints", "ind_satisfaction", "ind_profit_margin",
	};
	check_keys(figs, keys, N(keys));
	assert_null(find_figure(figs, "ind_quality_cost_rate"));

	check_count(figs, "enterprises", "家", 6, "enterprise", IDS(1, 2, 3, 4, 5, 6));
	check_record(figs, "enterprises", 1, "一号机械公司", "机械");
	check_record(figs, "enterprises", 6, "六号材料公司", "");

	/* Submitted on-site: 1, 2, 3, 5, 6 (4 has a draft and a self-assessment only). */
	check_count(figs, "diagnosed", "家", 5, "enterprise", IDS(1, 2, 3, 5, 6));
	/* The earliest submitted on-site visit: not 1's self-assessment (02-15), not 2's draft (02-01). */
	check_record(figs, "diagnosed", 1, "一号机械公司", "2021-03-01");
	check_record(figs, "diagnosed", 2, "二号食品公司", "2021-03-05");
	check_record(figs, "diagnosed", 5, "五号食品公司", "2021-03-15");

	/* open 201, 205, 207; in_progress 202, 206 */
	check_count(figs, "actions_open", "项", 5, "action", IDS(201, 202, 205, 206, 207));
	check_record(figs, "actions_open", 206, "建立不合格品台账", "四号电子公司");
	/* verified 203; closed 204, 208 */
	check_count(figs, "actions_closed", "项", 3, "action", IDS(203, 204, 208));
	/* Open and due before 2021-05-10: 201 (05-01), 206 (05-09); not 205 (due today), not 203 (verified). */
	check_count(figs, "actions_overdue", "项", 2, "action", IDS(201, 206));

	/* prior = 0 with an enterprise: 301, 303, 304 (302 held before, 305 has no enterprise). */
	check_count(figs, "certified", "张", 3, "certificate", IDS(301, 303, 304));
	check_record(figs, "certified", 304, "Y21Q004", "三号机械公司");

	/* Attended: 1 (501, 502) = 2, 3 (505) = 1, 4 (506, 507, 508) = 3, 6 (509) = 1; 2 attended nothing. */
	check_count(figs, "trained_enterprises", "家", 4, "enterprise", IDS(1, 3, 4, 6));
	/* 2 + 1 + 3 + 1 = 7 */
	check_count(figs, "person_times", "人次", 7, "enterprise", IDS(1, 3, 4, 6));
	check_record(figs, "trained_enterprises", 1, "一号机械公司", "参训 2 人次");
	check_record(figs, "person_times", 4, "四号电子公司", "参训 3 人次");
	check_record(figs, "person_times", 6, "六号材料公司", "参训 1 人次");

	/* First and latest rounds: 1: 2.4 -> 3.6 (+1.2), 2: 3.6 -> 4.1 (+0.5), 6: 3.3 -> 3.2 (-0.1);
	 * 3 has one round, 5's latest has no score. (1.2 + 0.5 - 0.1) / 3 = 0.533 -> 0.5 */
	check_change(figs, "avg_score_change", "分", 0.5, IDS(1, 2, 6));
	check_record(figs, "avg_score_change", 1, "一号机械公司", "2.4 → 3.6");
	check_record(figs, "avg_score_change", 6, "六号材料公司", "3.3 → 3.2");

	/* 1: 92.5 -> 96 (+3.5), 2: 90 -> 91 (+1), 4: 88 -> 95.5 (+7.5), 6: 80 -> 86 (+6); (3.5+1+7.5+6) / 4 = 4.5 */
	check_change(figs, "ind_first_pass_yield", "个百分点", 4.5, IDS(1, 2, 4, 6));
	check_record(figs, "ind_first_pass_yield", 1, "一号机械公司", "92.50 → 96.00");
	/* 1: 3.2 -> 1.9 (-1.3), 4: 5.0 -> 4.1 (-0.9); -2.2 / 2 = -1.1 */
	check_change(figs, "ind_defect_rate", "个百分点", -1.1, IDS(1, 4));
	/* 1: 5 -> 2 (-3), 3: 4 -> 4 (0), 5: 3 -> 1 (-2); -5 / 3 = -1.667 -> -1.67 */
	check_change(figs, "ind_complaints", "次", -1.67, IDS(1, 3, 5));
	check_record(figs, "ind_complaints", 3, "三号机械公司", "4.00 → 4.00");
	/* only 5: 90 -> 92 (1 has no baseline) = 2.0 */
	check_change(figs, "ind_satisfaction", "个百分点", 2.0, IDS(5));
	/* 3: 6 -> 7.25 (+1.25), 4: 5.5 -> 5 (-0.5); 0.75 / 2 = 0.375 -> 0.38 (half away from zero) */
	check_change(figs, "ind_profit_margin", "个百分点", 0.38, IDS(3, 4));
	check_record(figs, "ind_profit_margin", 3, "三号机械公司", "6.00 → 7.25");

	json_decref(figs);
}

/* ---- District A: enterprises 1, 2, 3 ---- */

static void test_district(void **state)
{
	struct db *db = *state;
	json_t *figs = report_figures(db, PROGRAMME, DISTRICT_A, 0, TODAY);
	assert_non_null(figs);

	/* No satisfaction (only 5, in B) and no quality cost rate. */
	static const char *const keys[] = {
		"enterprises", "diagnosed", "actions_open", "actions_closed", "actions_overdue", "certified",
		"trained_enterprises", "person_times", "avg_score_change", "ind_first_pass_yield", "ind_defect_rate",
		"ind_complaints", "ind_profit_margin",
	};
	check_keys(figs, keys, N(keys));
	assert_null(find_figure(figs, "ind_satisfaction"));
	assert_null(find_figure(figs, "ind_quality_cost_rate"));

	check_count(figs, "enterprises", "家", 3, "enterprise", IDS(1, 2, 3));
	check_count(figs, "diagnosed", "家", 3, "enterprise", IDS(1, 2, 3));
	check_record(figs, "diagnosed", 3, "三号机械公司", "2021-03-10");
	check_count(figs, "actions_open", "项", 3, "action", IDS(201, 202, 205));
	check_count(figs, "actions_closed", "项", 2, "action", IDS(203, 204));
	/* 201 due 05-01; 205 is due today, not overdue */
	check_count(figs, "actions_overdue", "项", 1, "action", IDS(201));
	check_record(figs, "actions_overdue", 201, "完善文件控制", "一号机械公司");
	check_count(figs, "certified", "张", 2, "certificate", IDS(301, 304));
	check_record(figs, "certified", 301, "X21Q001", "一号机械公司");

	/* 1 (2) + 3 (1) = 3 */
	check_count(figs, "trained_enterprises", "家", 2, "enterprise", IDS(1, 3));
	check_count(figs, "person_times", "人次", 3, "enterprise", IDS(1, 3));
	check_record(figs, "person_times", 1, "一号机械公司", "参训 2 人次");
	check_record(figs, "person_times", 3, "三号机械公司", "参训 1 人次");

	/* (1.2 + 0.5) / 2 = 0.85, computed as 0.8499999999999999: diag_round1 gives 0.9 (round(x*10)/10 would give 0.8) */
	check_change(figs, "avg_score_change", "分", 0.9, IDS(1, 2));
	check_record(figs, "avg_score_change", 1, "一号机械公司", "2.4 → 3.6");
	check_record(figs, "avg_score_change", 2, "二号食品公司", "3.6 → 4.1");

	/* (3.5 + 1) / 2 = 2.25 */
	check_change(figs, "ind_first_pass_yield", "个百分点", 2.25, IDS(1, 2));
	check_record(figs, "ind_first_pass_yield", 2, "二号食品公司", "90.00 → 91.00");
	/* 1 only: -1.3 */
	check_change(figs, "ind_defect_rate", "个百分点", -1.3, IDS(1));
	check_record(figs, "ind_defect_rate", 1, "一号机械公司", "3.20 → 1.90");
	/* (-3 + 0) / 2 = -1.5 */
	check_change(figs, "ind_complaints", "次", -1.5, IDS(1, 3));
	/* 3 only: +1.25 */
	check_change(figs, "ind_profit_margin", "个百分点", 1.25, IDS(3));

	json_decref(figs);
}

/* ---- Body X: enterprises 1, 2, 4 (6 is X's in programme 2 only) ---- */

static void test_body(void **state)
{
	struct db *db = *state;
	json_t *figs = report_figures(db, PROGRAMME, 0, BODY_X, TODAY);
	assert_non_null(figs);

	/* No satisfaction (5 is Y's) and no quality cost rate. */
	static const char *const keys[] = {
		"enterprises", "diagnosed", "actions_open", "actions_closed", "actions_overdue", "certified",
		"trained_enterprises", "person_times", "avg_score_change", "ind_first_pass_yield", "ind_defect_rate",
		"ind_complaints", "ind_profit_margin",
	};
	check_keys(figs, keys, N(keys));
	assert_null(find_figure(figs, "ind_satisfaction"));
	assert_null(find_figure(figs, "ind_quality_cost_rate"));

	check_count(figs, "enterprises", "家", 3, "enterprise", IDS(1, 2, 4));
	check_record(figs, "enterprises", 4, "四号电子公司", "电子");
	/* 4 has only a draft on-site diagnosis */
	check_count(figs, "diagnosed", "家", 2, "enterprise", IDS(1, 2));
	check_count(figs, "actions_open", "项", 3, "action", IDS(201, 202, 206));
	/* 208 (enterprise 6) is not X's in this programme, although its cb_unit_id is X */
	check_count(figs, "actions_closed", "项", 2, "action", IDS(203, 204));
	check_count(figs, "actions_overdue", "项", 2, "action", IDS(201, 206));
	check_count(figs, "certified", "张", 2, "certificate", IDS(301, 303));
	check_record(figs, "certified", 303, "X21Q003", "四号电子公司");

	/* 1 (2) + 4 (3) = 5 */
	check_count(figs, "trained_enterprises", "家", 2, "enterprise", IDS(1, 4));
	check_count(figs, "person_times", "人次", 5, "enterprise", IDS(1, 4));
	check_record(figs, "trained_enterprises", 4, "四号电子公司", "参训 3 人次");

	/* (1.2 + 0.5) / 2 = 0.85 -> 0.9 */
	check_change(figs, "avg_score_change", "分", 0.9, IDS(1, 2));
	check_record(figs, "avg_score_change", 2, "二号食品公司", "3.6 → 4.1");

	/* (3.5 + 1 + 7.5) / 3 = 4.0 */
	check_change(figs, "ind_first_pass_yield", "个百分点", 4.0, IDS(1, 2, 4));
	check_record(figs, "ind_first_pass_yield", 4, "四号电子公司", "88.00 → 95.50");
	/* (-1.3 - 0.9) / 2 = -1.1 */
	check_change(figs, "ind_defect_rate", "个百分点", -1.1, IDS(1, 4));
	/* 1 only: -3 */
	check_change(figs, "ind_complaints", "次", -3.0, IDS(1));
	check_record(figs, "ind_complaints", 1, "一号机械公司", "5.00 → 2.00");
	/* 4 only: -0.5 */
	check_change(figs, "ind_profit_margin", "个百分点", -0.5, IDS(4));

	json_decref(figs);
}

/* ---- District C: no enterprises; the counts are 0 and no change figure appears ---- */

static void test_empty_scope(void **state)
{
	struct db *db = *state;
	json_t *figs = report_figures(db, PROGRAMME, DISTRICT_C, 0, TODAY);
	assert_non_null(figs);

	static const char *const keys[] = {
		"enterprises", "diagnosed", "actions_open", "actions_closed", "actions_overdue", "certified",
		"trained_enterprises", "person_times",
	};
	check_keys(figs, keys, N(keys));
	check_count(figs, "enterprises", "家", 0, "enterprise", NULL, 0);
	check_count(figs, "diagnosed", "家", 0, "enterprise", NULL, 0);
	check_count(figs, "actions_open", "项", 0, "action", NULL, 0);
	check_count(figs, "actions_closed", "项", 0, "action", NULL, 0);
	check_count(figs, "actions_overdue", "项", 0, "action", NULL, 0);
	check_count(figs, "certified", "张", 0, "certificate", NULL, 0);
	check_count(figs, "trained_enterprises", "家", 0, "enterprise", NULL, 0);
	check_count(figs, "person_times", "人次", 0, "enterprise", NULL, 0);
	assert_null(find_figure(figs, "avg_score_change"));
	assert_null(find_figure(figs, "ind_first_pass_yield"));

	json_decref(figs);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)
	const struct CMUnitTest tests[] = {
		T(test_city),
		T(test_district),
		T(test_body),
		T(test_empty_scope),
	};
#undef T
	return cmocka_run_group_tests_name("report_figures", tests, NULL, NULL);
}
