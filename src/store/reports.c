/*
 * reports.c - see reports.h.
 */
#include "reports.h"
#include "db.h"
#include "review.h"
#include "sqlbuild.h"
#include "../core/diagnosis.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======================== The document ======================== */

static const struct review_sql report_review = {
	.submit = "UPDATE reports SET status = 'submitted', version = version + 1, late = ?, "
		  "submitted_at = ?, updated_at = ? WHERE id = ?",
	.snapshot = "INSERT INTO report_versions (report_id, version, content, submitted_at, submitted_by, late) "
		    "SELECT id, version, content, ?, ?, late FROM reports WHERE id = ?",
	.ret = "UPDATE reports SET status = 'returned', return_reason = ?, updated_at = ? WHERE id = ?",
	.approve = "UPDATE reports SET status = 'accepted', accepted_at = ?, updated_at = ? WHERE id = ?",
	.close_version = "UPDATE report_versions SET outcome = ?, return_reason = ? WHERE report_id = ? "
			 "AND version = (SELECT version FROM reports WHERE id = ?)",
	.versions = "SELECT version, submitted_at, submitted_by, late, outcome, return_reason "
		    "FROM report_versions WHERE report_id = ? ORDER BY version",
	.version_get = "SELECT version, content, submitted_at, submitted_by, late, outcome, return_reason "
		       "FROM report_versions WHERE report_id = ? AND version = ?",
	.body_key = "content",
	.final_outcome = "accepted",
};

int report_row_get(struct db *db, int64_t id, struct report_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, programme_id, unit_id, kind, status, version FROM reports WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->unit_id = db_col_int(st, 2);
		snprintf(r->kind, sizeof(r->kind), "%s", db_col_text(st, 3));
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 4));
		r->version = (int)db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int64_t report_find(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM reports WHERE programme_id = ? AND unit_id = ? AND kind = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, kind);
	return db_scalar_int(st, 0);
}

int64_t report_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, const char *content)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO reports (programme_id, unit_id, kind, status, content, created_at, updated_at) "
		"VALUES (?, ?, ?, 'draft', ?, ?, ?) ON CONFLICT (programme_id, unit_id, kind) DO NOTHING RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, content);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return id;
}

int report_set_content(struct db *db, int64_t id, const char *content)
{
	struct db_stmt *st = db_prep(db, "UPDATE reports SET content = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, content);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

#define REPORT_COLUMNS \
	"SELECT r.id, r.unit_id, u.name, u.kind, r.kind, r.status, r.content, r.version, r.late, r.return_reason, " \
	"r.submitted_at, r.accepted_at, r.created_at, r.updated_at FROM reports r JOIN units u ON u.id = r.unit_id"

static json_t *read_report(struct db_stmt *st)
{
	json_t *content = json_loads(db_col_text(st, 6), 0, NULL);
	return json_pack("{s:I,s:{s:I,s:s,s:s},s:s,s:s,s:o,s:i,s:b,s:o,s:o,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0),
		"unit", "id", (json_int_t)db_col_int(st, 1), "name", db_col_text(st, 2), "kind", db_col_text(st, 3),
		"kind", db_col_text(st, 4), "status", db_col_text(st, 5), "stored", content ? content : json_object(),
		"version", (int)db_col_int(st, 7), "late", (int)db_col_int(st, 8),
		"return_reason", db_col_json_text(st, 9), "submitted_at", db_col_json_time(st, 10),
		"accepted_at", db_col_json_time(st, 11), "created_at", db_col_json_time(st, 12),
		"updated_at", db_col_json_time(st, 13));
}

json_t *report_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, REPORT_COLUMNS " WHERE r.id = ?");
	db_bind_int(st, 1, id);
	json_t *r = db_step(st) == DB_ROW ? read_report(st) : NULL;
	db_done(st);
	return r;
}

static void report_where(struct sqlbuild *q, int64_t programme_id, int64_t unit_id, const char *kind,
			 const char *status)
{
	sqlb_where_int(q, "r.programme_id = ?", programme_id);
	if (unit_id)
		sqlb_where_int(q, "r.unit_id = ?", unit_id);
	if (kind)
		sqlb_where_text(q, "r.kind = ?", kind);
	if (status)
		sqlb_where_text(q, "r.status = ?", status);
}

json_t *report_list(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, const char *status,
		    int limit, int64_t offset, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM reports r");
	report_where(&q, programme_id, unit_id, kind, status);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, REPORT_COLUMNS);
	report_where(&q, programme_id, unit_id, kind, status);
	sqlb_tail(&q, " ORDER BY r.kind, u.kind DESC, u.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, limit);
	sqlb_param_int(&q, offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_report(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

int report_submit(struct db *db, int64_t id, bool late, const char *username)
{
	return review_submit(db, &report_review, id, late, username);
}

int report_return(struct db *db, int64_t id, const char *reason)
{
	return review_return(db, &report_review, id, reason);
}

int report_accept(struct db *db, int64_t id)
{
	return review_approve(db, &report_review, id);
}

json_t *report_versions(struct db *db, int64_t id)
{
	return review_versions(db, &report_review, id);
}

json_t *report_version_get(struct db *db, int64_t id, int version)
{
	return review_version_get(db, &report_review, id, version);
}

/* ======================== Figures ======================== */

/* The scope condition on enterprises e, appended to a query. */
static void scope_where(struct sqlbuild *q, int64_t programme_id, int64_t district, int64_t cb)
{
	if (district)
		sqlb_where_int(q, "e.district_unit_id = ?", district);
	if (cb) {
		sqlb_where_int(q, "EXISTS (SELECT 1 FROM assignments sa WHERE sa.enterprise_id = e.id "
				  "AND sa.programme_id = ? AND sa.cb_unit_id = ?)", programme_id);
		sqlb_param_int(q, cb);
	}
}

static json_t *record(const char *type, int64_t id, const char *name, const char *detail)
{
	return json_pack("{s:s,s:I,s:s,s:s}", "type", type, "id", (json_int_t)id, "name", name, "detail", detail);
}

static json_t *figure(const char *key, const char *label, const char *unit, json_t *value, json_t *records)
{
	return json_pack("{s:s,s:s,s:s,s:o,s:o}", "key", key, "label", label, "unit", unit, "value", value,
			 "records", records);
}

/* A counting figure: one record per row (id, name, detail) of the query. */
static json_t *count_figure(struct db *db, const char *key, const char *label, const char *unit,
			    const char *type, struct sqlbuild *q)
{
	struct db_stmt *st = sqlb_prepare(q, db);
	json_t *recs = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(recs, record(type, db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2)));
	db_done(st);
	sqlb_free(q);
	return figure(key, label, unit, json_integer((json_int_t)json_array_size(recs)), recs);
}

static const struct {
	const char *key, *label, *unit;
	const char *sql; /* baseline b, follow-up f; the column is fixed text, never input */
} indicator_sql[] = {
	{"ind_first_pass_yield", "一次交验合格率变化", "个百分点",
	 "SELECT e.id, e.name, b.first_pass_yield, f.first_pass_yield FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.first_pass_yield IS NOT NULL AND f.first_pass_yield IS NOT NULL"},
	{"ind_defect_rate", "不良率变化", "个百分点",
	 "SELECT e.id, e.name, b.defect_rate, f.defect_rate FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.defect_rate IS NOT NULL AND f.defect_rate IS NOT NULL"},
	{"ind_complaints", "顾客投诉变化", "次",
	 "SELECT e.id, e.name, b.complaints, f.complaints FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.complaints IS NOT NULL AND f.complaints IS NOT NULL"},
	{"ind_satisfaction", "顾客满意度变化", "个百分点",
	 "SELECT e.id, e.name, b.satisfaction, f.satisfaction FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.satisfaction IS NOT NULL AND f.satisfaction IS NOT NULL"},
	{"ind_quality_cost_rate", "质量成本率变化", "个百分点",
	 "SELECT e.id, e.name, b.quality_cost_rate, f.quality_cost_rate FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.quality_cost_rate IS NOT NULL AND f.quality_cost_rate IS NOT NULL"},
	{"ind_profit_margin", "利润率变化", "个百分点",
	 "SELECT e.id, e.name, b.profit_margin, f.profit_margin FROM enterprises e "
	 "JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline' "
	 "JOIN enterprise_indicators f ON f.enterprise_id = e.id AND f.kind = 'followup' "
	 "WHERE b.profit_margin IS NOT NULL AND f.profit_margin IS NOT NULL"},
};

/* A mean-change figure: rows (id, name, before, after); value = mean(after - before). */
static json_t *change_figure(struct db *db, const char *key, const char *label, const char *unit,
			     struct sqlbuild *q, bool one_decimal)
{
	struct db_stmt *st = sqlb_prepare(q, db);
	json_t *recs = json_array();
	double sum = 0;
	int n = 0;
	while (db_step(st) == DB_ROW) {
		double b = db_col_double(st, 2), a = db_col_double(st, 3);
		char detail[96];
		snprintf(detail, sizeof(detail), one_decimal ? "%.1f → %.1f" : "%.2f → %.2f", b, a);
		json_array_append_new(recs, record("enterprise", db_col_int(st, 0), db_col_text(st, 1), detail));
		sum += a - b;
		n++;
	}
	db_done(st);
	sqlb_free(q);
	if (!n) {
		json_decref(recs);
		return NULL;
	}
	double mean = sum / n;
	double v = one_decimal ? diag_round1(mean) : round(mean * 100) / 100;
	return figure(key, label, unit, json_real(v), recs);
}

json_t *report_figures(struct db *db, int64_t programme_id, int64_t district, int64_t cb, const char *today)
{
	json_t *out = json_array();
	struct sqlbuild q;

	sqlb_init(&q, "SELECT e.id, e.name, e.industry FROM enterprises e");
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY e.id");
	json_array_append_new(out, count_figure(db, "enterprises", "试点企业", "家", "enterprise", &q));

	sqlb_init(&q, "SELECT e.id, e.name, MIN(d.visit_date) FROM enterprises e JOIN diagnoses d ON d.enterprise_id = e.id "
		      "AND d.kind = 'onsite' AND d.status = 'submitted' AND d.programme_id = ?");
	sqlb_param_int(&q, programme_id);
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " GROUP BY e.id, e.name ORDER BY e.id");
	json_array_append_new(out, count_figure(db, "diagnosed", "已完成问题诊断", "家", "enterprise", &q));

	sqlb_init(&q, "SELECT a.id, a.title, e.name FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_where(&q, "a.status IN ('open', 'in_progress')");
	sqlb_where_int(&q, "a.programme_id = ?", programme_id);
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY a.id");
	json_array_append_new(out, count_figure(db, "actions_open", "改进措施进行中", "项", "action", &q));

	sqlb_init(&q, "SELECT a.id, a.title, e.name FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_where(&q, "a.status IN ('verified', 'closed')");
	sqlb_where_int(&q, "a.programme_id = ?", programme_id);
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY a.id");
	json_array_append_new(out, count_figure(db, "actions_closed", "改进措施已验证关闭", "项", "action", &q));

	sqlb_init(&q, "SELECT a.id, a.title, e.name FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_where_text(&q, "a.status IN ('open', 'in_progress') AND a.due_date < ?", today);
	sqlb_where_int(&q, "a.programme_id = ?", programme_id);
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY a.id");
	json_array_append_new(out, count_figure(db, "actions_overdue", "改进措施已逾期", "项", "action", &q));

	sqlb_init(&q, "SELECT c.id, c.number, e.name FROM certificates c JOIN enterprises e ON e.id = c.enterprise_id");
	sqlb_where(&q, "c.prior = 0");
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY c.id");
	json_array_append_new(out, count_figure(db, "certified", "新获认证证书", "张", "certificate", &q));

	/* Training: enterprises with attendance, and the person-times behind them. */
	sqlb_init(&q, "SELECT e.id, e.name, COUNT(*) FROM training_registrations r JOIN enterprises e ON e.id = r.enterprise_id");
	sqlb_where(&q, "r.attended = 1");
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " GROUP BY e.id, e.name ORDER BY e.id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *trained = json_array();
	int64_t person_times = 0;
	while (db_step(st) == DB_ROW) {
		char detail[48];
		snprintf(detail, sizeof(detail), "参训 %lld 人次", (long long)db_col_int(st, 2));
		person_times += db_col_int(st, 2);
		json_array_append_new(trained, record("enterprise", db_col_int(st, 0), db_col_text(st, 1), detail));
	}
	db_done(st);
	sqlb_free(&q);
	json_array_append_new(out, figure("trained_enterprises", "参加培训的企业", "家",
					  json_integer((json_int_t)json_array_size(trained)), json_deep_copy(trained)));
	json_array_append_new(out, figure("person_times", "培训人次", "人次", json_integer(person_times), trained));

	/* First and latest submitted on-site diagnosis of each re-assessed enterprise. */
	sqlb_init(&q, "SELECT e.id, e.name, f.overall, l.overall FROM enterprises e "
		      "JOIN diagnoses f ON f.id = (SELECT x.id FROM diagnoses x WHERE x.enterprise_id = e.id "
		      "AND x.kind = 'onsite' AND x.status = 'submitted' AND x.programme_id = ? ORDER BY x.round, x.id LIMIT 1) "
		      "JOIN diagnoses l ON l.id = (SELECT y.id FROM diagnoses y WHERE y.enterprise_id = e.id "
		      "AND y.kind = 'onsite' AND y.status = 'submitted' AND y.programme_id = ? "
		      "ORDER BY y.round DESC, y.id DESC LIMIT 1)");
	sqlb_param_int(&q, programme_id);
	sqlb_param_int(&q, programme_id);
	sqlb_where(&q, "f.id <> l.id AND f.overall IS NOT NULL AND l.overall IS NOT NULL");
	scope_where(&q, programme_id, district, cb);
	sqlb_tail(&q, " ORDER BY e.id");
	json_t *f = change_figure(db, "avg_score_change", "再评估平均得分提升", "分", &q, true);
	if (f)
		json_array_append_new(out, f);

	for (size_t i = 0; i < sizeof(indicator_sql) / sizeof(indicator_sql[0]); i++) {
		sqlb_init(&q, indicator_sql[i].sql);
		sqlb_in_where(&q);
		scope_where(&q, programme_id, district, cb);
		sqlb_tail(&q, " ORDER BY e.id");
		f = change_figure(db, indicator_sql[i].key, indicator_sql[i].label, indicator_sql[i].unit, &q, false);
		if (f)
			json_array_append_new(out, f);
	}
	return out;
}
