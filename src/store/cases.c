/*
 * cases.c - see cases.h.
 */
#include "cases.h"
#include "db.h"
#include "diagnoses.h"
#include "enterprises.h"
#include "sqlbuild.h"
#include "../core/calendar.h"
#include "../core/certificate.h"
#include "../core/diagnosis.h"
#include "../core/sizeclass.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row_result(int rc)
{
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* An UPDATE/DELETE … RETURNING id: 1 when a row changed, 0 when none, -1 on error. */
static int changed(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return row_result(rc);
}

/* ======================== Facts of a case ======================== */

static json_t *change_of(json_t *before, json_t *after)
{
	if (!json_is_number(before) || !json_is_number(after))
		return json_null();
	return json_real(diag_round1(json_number_value(after) - json_number_value(before)));
}

static json_t *profile_of(json_t *e)
{
	const char *sc = json_string_value(json_object_get(e, "size_class"));
	enum size_class c = sc && !strcmp(sc, "micro") ? SIZE_MICRO : sc && !strcmp(sc, "small") ? SIZE_SMALL
											: SIZE_UNKNOWN;
	return json_pack("{s:O,s:O,s:s,s:s,s:O,s:O,s:O}", "name", json_object_get(e, "name"),
			 "industry", json_object_get(e, "industry"), "size_class", sc ? sc : "",
			 "size_class_name", size_class_label(c), "employees", json_object_get(e, "employees"),
			 "district", json_object_get(e, "district"), "park", json_object_get(e, "park"));
}

/* Title of a checklist item and of its section, from the checklist as served. */
static void item_titles(json_t *cl, int64_t item_id, const char **title, const char **section)
{
	*title = *section = "";
	size_t i, k;
	json_t *s, *it;
	json_array_foreach(json_object_get(cl, "sections"), i, s)
		json_array_foreach(json_object_get(s, "items"), k, it)
			if (json_integer_value(json_object_get(it, "id")) == item_id) {
				const char *t = json_string_value(json_object_get(it, "title"));
				const char *st = json_string_value(json_object_get(s, "title"));
				*title = t ? t : "";
				*section = st ? st : "";
				return;
			}
}

/* Findings classed 堵点/痛点/难点 in the submitted on-site diagnoses, first round first. */
static json_t *problems_of(struct db *db, int64_t ent)
{
	struct db_stmt *st = db_prep(db,
		"SELECT d.id, d.round, d.visit_date, d.checklist_id, a.item_id, i.key, i.clause, a.kind, a.score, "
		"a.finding FROM diagnoses d JOIN diagnosis_answers a ON a.diagnosis_id = d.id "
		"JOIN checklist_items i ON i.id = a.item_id "
		"WHERE d.enterprise_id = ? AND d.kind = 'onsite' AND d.status = 'submitted' AND a.kind <> '' "
		"ORDER BY d.round, d.id, i.position");
	db_bind_int(st, 1, ent);
	json_t *out = json_array();
	json_t *cl = NULL;
	int64_t cl_id = 0;
	while (db_step(st) == DB_ROW) {
		int64_t cid = db_col_int(st, 3);
		if (cid != cl_id) {
			json_decref(cl);
			const struct checklist *c = checklist_cached(db, cid);
			cl = c ? json_loads(c->json, 0, NULL) : NULL;
			cl_id = cid;
		}
		const char *title, *section, *kind = db_col_text(st, 7);
		item_titles(cl, db_col_int(st, 4), &title, &section);
		const char *kl = finding_kind_label(kind);
		json_array_append_new(out, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s}",
			"diagnosis_id", (json_int_t)db_col_int(st, 0), "round", (int)db_col_int(st, 1),
			"visit_date", db_col_text(st, 2), "item_key", db_col_text(st, 5), "clause", db_col_text(st, 6),
			"item_title", title, "section_title", section, "kind", kind, "kind_name", kl ? kl : "",
			"score", db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
			"finding", db_col_text(st, 9)));
	}
	db_done(st);
	json_decref(cl);
	return out;
}

/* The improvement actions of the programme, by due date. */
static json_t *measures_of(struct db *db, int64_t programme_id, int64_t ent)
{
	struct db_stmt *st = db_prep(db,
		"SELECT a.id, a.title, a.detail, a.method, a.owner, a.due_date, a.status, a.progress, i.key, a.closed_at "
		"FROM actions a LEFT JOIN checklist_items i ON i.id = a.item_id "
		"WHERE a.enterprise_id = ? AND a.programme_id = ? ORDER BY a.due_date, a.id");
	db_bind_int(st, 1, ent);
	db_bind_int(st, 2, programme_id);
	json_t *out = json_array();
	while (db_step(st) == DB_ROW) {
		const char *method = db_col_text(st, 3), *ml = action_method_label(method);
		enum action_status s = action_status_parse(db_col_text(st, 6));
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o}",
			"id", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "detail", db_col_text(st, 2),
			"method", method, "method_name", ml ? ml : method, "owner", db_col_text(st, 4),
			"due_date", db_col_text(st, 5), "status", action_status_name(s),
			"status_name", action_status_label(s), "progress", (int)db_col_int(st, 7),
			"item_key", db_col_null(st, 8) ? json_null() : json_string(db_col_text(st, 8)),
			"closed_at", db_col_json_time(st, 9)));
	}
	db_done(st);
	return out;
}

/* {diagnosis_id, round, visit_date, overall, sections} of a submitted diagnosis (its stored scores). */
static json_t *snapshot(struct db *db, int64_t id)
{
	json_t *d = id > 0 ? diag_get(db, id) : NULL;
	if (!d)
		return NULL;
	json_t *sc = json_object_get(d, "stored_scores");
	json_t *overall = json_object_get(sc, "overall");
	json_t *out = json_pack("{s:I,s:O,s:O,s:O,s:o}", "diagnosis_id", (json_int_t)id,
		"round", json_object_get(d, "round"), "visit_date", json_object_get(d, "visit_date"),
		"overall", overall ? overall : json_null(), "sections", json_array());
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(sc, "sections"), i, s)
		json_array_append_new(json_object_get(out, "sections"), json_pack("{s:O,s:O,s:O}",
			"clause", json_object_get(s, "clause"), "title", json_object_get(s, "title"),
			"score", json_object_get(s, "score") ? json_object_get(s, "score") : json_null()));
	json_decref(d);
	return out;
}

static json_t *indicators_of(struct db *db, int64_t ent)
{
	json_t *ind = ent_indicators_get(db, ent);
	json_t *base = json_object_get(ind, "baseline"), *fol = json_object_get(ind, "followup");
	json_t *rows = ent_indicator_changes(db, ent, true);
	json_t *bp = json_object_get(base, "period"), *fp = json_object_get(fol, "period");
	json_t *out = json_pack("{s:O,s:O,s:o}", "baseline_period", bp ? bp : json_null(),
				"followup_period", fp ? fp : json_null(), "rows", rows);
	json_decref(ind);
	return out;
}

/* First vs latest submitted on-site diagnosis, overall and per clause, and the indicators. */
static json_t *before_after_of(struct db *db, int64_t ent)
{
	int64_t first_id = diag_first_submitted(db, ent);
	int64_t last_id = diag_latest_submitted(db, ent, "onsite", 0);
	json_t *first = snapshot(db, first_id);
	json_t *latest = last_id != first_id ? snapshot(db, last_id) : NULL;
	json_t *secs = json_array();
	size_t i, j;
	json_t *s, *t;
	json_array_foreach(json_object_get(first, "sections"), i, s) {
		json_t *after = json_null();
		json_array_foreach(json_object_get(latest, "sections"), j, t)
			if (json_equal(json_object_get(s, "clause"), json_object_get(t, "clause")))
				after = json_object_get(t, "score");
		json_t *before = json_object_get(s, "score");
		json_array_append_new(secs, json_pack("{s:O,s:O,s:O,s:O,s:o}", "clause", json_object_get(s, "clause"),
			"title", json_object_get(s, "title"), "before", before, "after", after,
			"change", change_of(before, after)));
	}
	json_t *ob = first ? json_object_get(first, "overall") : json_null();
	json_t *oa = latest ? json_object_get(latest, "overall") : json_null();
	json_t *overall = json_pack("{s:O,s:O,s:o}", "before", ob, "after", oa, "change", change_of(ob, oa));
	if (first)
		json_object_del(first, "sections");
	if (latest)
		json_object_del(latest, "sections");
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "first", first ? first : json_null(),
			 "latest", latest ? latest : json_null(), "overall", overall, "sections", secs,
			 "indicators", indicators_of(db, ent));
}

/* The newest certificate issued in the programme (not one held before), with its status on today. */
static json_t *certificate_of(struct db *db, int64_t ent, const char *today)
{
	struct db_stmt *st = db_prep(db,
		"SELECT number, issuer_name, scope, standard, first_issue_date, issue_date, expiry_date, status "
		"FROM certificates WHERE enterprise_id = ? AND prior = 0 ORDER BY issue_date DESC, id DESC LIMIT 1");
	db_bind_int(st, 1, ent);
	json_t *c = json_null();
	if (db_step(st) == DB_ROW) {
		int32_t expiry = 0, day = 0;
		date_parse(db_col_text(st, 6), &expiry);
		date_parse(today, &day);
		enum cert_status s = cert_effective_status(cert_status_parse(db_col_text(st, 7)), expiry, day);
		c = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "number", db_col_text(st, 0),
			"issuer", db_col_text(st, 1), "scope", db_col_text(st, 2), "standard", db_col_text(st, 3),
			"first_issue_date", db_col_text(st, 4), "issue_date", db_col_text(st, 5),
			"expiry_date", db_col_text(st, 6), "status", cert_status_name(s), "status_name", cert_status_label(s));
	}
	db_done(st);
	return c;
}

json_t *case_facts(struct db *db, int64_t programme_id, int64_t enterprise_id, const char *today)
{
	json_t *e = ent_get(db, programme_id, enterprise_id);
	if (!e)
		return NULL;
	json_t *a = json_object_get(e, "assignment");
	json_t *cb = json_is_object(a) ? json_object_get(a, "cb") : NULL;
	json_t *facts = json_pack("{s:o,s:O,s:o,s:o,s:o,s:o,s:s}", "profile", profile_of(e),
		"cb", cb ? cb : json_null(), "problems", problems_of(db, enterprise_id),
		"measures", measures_of(db, programme_id, enterprise_id),
		"before_after", before_after_of(db, enterprise_id),
		"certificate", certificate_of(db, enterprise_id, today), "as_of", today);
	json_decref(e);
	return facts;
}

/* ======================== Cases ======================== */

int case_row_get(struct db *db, int64_t id, struct case_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, programme_id, district_unit_id, enterprise_id, status FROM cases WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->district_unit_id = db_col_int(st, 2);
		r->enterprise_id = db_col_int(st, 3);
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 4));
	}
	db_done(st);
	return row_result(rc);
}

int64_t case_id_for_enterprise(struct db *db, int64_t programme_id, int64_t enterprise_id, bool published_only)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id FROM cases WHERE programme_id = ? AND enterprise_id = ? AND (? = 0 OR status = 'published')");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_int(st, 3, published_only);
	return db_scalar_int(st, 0);
}

int64_t case_insert(struct db *db, int64_t programme_id, int64_t district_unit_id, int64_t enterprise_id,
		    const char *title, const char *content, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO cases (programme_id, district_unit_id, enterprise_id, title, content, status, "
		"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_int(st, 3, enterprise_id);
	db_bind_text(st, 4, title);
	db_bind_text(st, 5, content);
	db_bind_text(st, 6, username);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

int case_update(struct db *db, int64_t id, const char *title, const char *content)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE cases SET title = ?, content = ?, updated_at = ? "
		"WHERE id = ? AND status IN ('draft', 'returned') RETURNING id");
	db_bind_text(st, 1, title);
	db_bind_text(st, 2, content);
	db_bind_int(st, 3, now_business());
	db_bind_int(st, 4, id);
	return changed(st);
}

int case_transition(struct db *db, int64_t id, const char *from, const char *to, const char *reason)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE cases SET status = ?, updated_at = ?, "
		"submitted_at = CASE WHEN ? = 'submitted' THEN ? ELSE submitted_at END, "
		"published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END, "
		"return_reason = CASE WHEN ? = 'returned' THEN ? ELSE return_reason END "
		"WHERE id = ? AND status = ? RETURNING id");
	db_bind_text(st, 1, to);
	db_bind_int(st, 2, now);
	db_bind_text(st, 3, to);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, to);
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, reason);
	db_bind_int(st, 9, id);
	db_bind_text(st, 10, from);
	return changed(st);
}

int case_delete(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db,
		"DELETE FROM cases WHERE id = ? AND status IN ('draft', 'returned') RETURNING id");
	db_bind_int(st, 1, id);
	return changed(st);
}

#define CASE_COLUMNS \
	"SELECT c.id, c.programme_id, c.district_unit_id, u.district, c.enterprise_id, e.name, e.industry, " \
	"c.title, c.content, c.status, c.return_reason, c.submitted_at, c.published_at, c.created_by, " \
	"c.created_at, c.updated_at FROM cases c JOIN units u ON u.id = c.district_unit_id " \
	"JOIN enterprises e ON e.id = c.enterprise_id"

/* One row; full: with facts and texts, else with the summary text only. */
static json_t *read_case(struct db_stmt *st, bool full)
{
	json_t *content = json_loads(db_col_text(st, 8), 0, NULL);
	json_t *c = json_pack("{s:I,s:I,s:I,s:s,s:{s:I,s:s},s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "programme_id", (json_int_t)db_col_int(st, 1),
		"district_unit_id", (json_int_t)db_col_int(st, 2), "district", db_col_text(st, 3),
		"enterprise", "id", (json_int_t)db_col_int(st, 4), "name", db_col_text(st, 5),
		"industry", db_col_text(st, 6), "title", db_col_text(st, 7), "status", db_col_text(st, 9),
		"return_reason", db_col_json_text(st, 10), "submitted_at", db_col_json_time(st, 11),
		"published_at", db_col_json_time(st, 12), "created_by", db_col_text(st, 13),
		"created_at", db_col_json_time(st, 14), "updated_at", db_col_json_time(st, 15));
	json_t *facts = json_object_get(content, "facts"), *texts = json_object_get(content, "texts");
	if (full) {
		json_object_set_new(c, "facts", json_is_object(facts) ? json_incref(facts) : json_object());
		json_object_set_new(c, "texts", json_is_object(texts) ? json_incref(texts) : json_object());
	} else {
		const char *s = json_string_value(json_object_get(texts, "summary"));
		json_object_set_new(c, "summary", json_string(s ? s : ""));
	}
	json_decref(content);
	return c;
}

json_t *case_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, CASE_COLUMNS " WHERE c.id = ?");
	db_bind_int(st, 1, id);
	json_t *c = db_step(st) == DB_ROW ? read_case(st, true) : NULL;
	db_done(st);
	return c;
}

static void case_where(struct sqlbuild *q, const struct case_filter *f)
{
	sqlb_where_int(q, "c.programme_id = ?", f->programme_id);
	if (!f->all)
		sqlb_where_int(q, "(c.status = 'published' OR c.district_unit_id = ?)",
			       f->own_district ? f->own_district : -1);
	if (f->district_unit_id)
		sqlb_where_int(q, "c.district_unit_id = ?", f->district_unit_id);
	if (f->status)
		sqlb_where_text(q, "c.status = ?", f->status);
	if (f->industry)
		sqlb_where_text(q, "e.industry = ?", f->industry);
	if (f->q)
		sqlb_where_like(q, "(c.title LIKE ? ESCAPE '\\' OR e.name LIKE ? ESCAPE '\\')", f->q);
}

json_t *case_list(struct db *db, const struct case_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM cases c JOIN enterprises e ON e.id = c.enterprise_id");
	case_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, CASE_COLUMNS);
	case_where(&q, f);
	sqlb_tail(&q, " ORDER BY COALESCE(c.published_at, c.updated_at) DESC, c.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_case(st, false));
	db_done(st);
	sqlb_free(&q);
	return items;
}

/* ======================== Benchmark enterprises ======================== */

int bench_row_get(struct db *db, int64_t id, struct bench_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, programme_id, district_unit_id, enterprise_id, industry, status, published_at "
		"FROM benchmarks WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->district_unit_id = db_col_int(st, 2);
		r->enterprise_id = db_col_int(st, 3);
		snprintf(r->industry, sizeof(r->industry), "%s", db_col_text(st, 4));
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 5));
		r->published = !db_col_null(st, 6);
	}
	db_done(st);
	return row_result(rc);
}

int bench_count(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry)
{
	struct db_stmt *st = db_prep(db,
		"SELECT COUNT(*) FROM benchmarks WHERE programme_id = ? AND district_unit_id = ? AND industry = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_text(st, 3, industry);
	return (int)db_scalar_int(st, -1);
}

int bench_selected_count(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry)
{
	struct db_stmt *st = db_prep(db,
		"SELECT COUNT(*) FROM benchmarks WHERE programme_id = ? AND district_unit_id = ? AND industry = ? "
		"AND status = 'selected'");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_text(st, 3, industry);
	return (int)db_scalar_int(st, -1);
}

int bench_pilot_industry(struct db *db, int64_t programme_id, int64_t enterprise_id, char industry[64])
{
	industry[0] = '\0';
	struct db_stmt *st = db_prep(db,
		"SELECT industry FROM assignments WHERE programme_id = ? AND enterprise_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(industry, 64, "%s", db_col_text(st, 0));
	db_done(st);
	return row_result(rc);
}

int64_t bench_id_for_enterprise(struct db *db, int64_t programme_id, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM benchmarks WHERE programme_id = ? AND enterprise_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	return db_scalar_int(st, 0);
}

int64_t bench_insert(struct db *db, int64_t programme_id, int64_t district_unit_id, int64_t enterprise_id,
		     const char *industry, const char *reason, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO benchmarks (programme_id, district_unit_id, enterprise_id, industry, reason, status, "
		"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'nominated', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_int(st, 3, enterprise_id);
	db_bind_text(st, 4, industry);
	db_bind_text(st, 5, reason);
	db_bind_text(st, 6, username);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

int bench_delete(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db,
		"DELETE FROM benchmarks WHERE id = ? AND status = 'nominated' AND published_at IS NULL RETURNING id");
	db_bind_int(st, 1, id);
	return changed(st);
}

int bench_score_put(struct db *db, int64_t id, const char *reviewer, int score, const char *comment)
{
	/* The nomination row is locked first, so a score cannot slip in after publication. */
	struct db_stmt *st = db_prep(db,
		"UPDATE benchmarks SET updated_at = updated_at WHERE id = ? AND status = 'nominated' "
		"AND published_at IS NULL RETURNING id");
	db_bind_int(st, 1, id);
	int rc = changed(st);
	if (rc != 1)
		return rc;
	st = db_prep(db,
		"INSERT INTO benchmark_scores (benchmark_id, reviewer, score, comment, scored_at) VALUES (?, ?, ?, ?, ?) "
		"ON CONFLICT (benchmark_id, reviewer) DO UPDATE SET score = excluded.score, comment = excluded.comment, "
		"scored_at = excluded.scored_at");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, reviewer);
	db_bind_int(st, 3, score);
	db_bind_text(st, 4, comment);
	db_bind_int(st, 5, now_business());
	return db_exec_stmt(st) ? -1 : 1;
}

int bench_publish_one(struct db *db, int64_t id, bool selected)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE benchmarks SET status = ?, published_at = ?, updated_at = ? "
		"WHERE id = ? AND status = 'nominated' AND published_at IS NULL RETURNING id");
	db_bind_text(st, 1, selected ? "selected" : "not_selected");
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	return changed(st);
}

json_t *bench_pending(struct db *db, int64_t programme_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT b.id, b.district_unit_id, b.industry, "
		"(SELECT COUNT(*) FROM benchmark_scores s WHERE s.benchmark_id = b.id) "
		"FROM benchmarks b WHERE b.programme_id = ? AND b.status = 'nominated' AND b.published_at IS NULL "
		"ORDER BY b.id");
	db_bind_int(st, 1, programme_id);
	json_t *out = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I,s:I,s:s,s:I}", "id", (json_int_t)db_col_int(st, 0),
			"district_unit_id", (json_int_t)db_col_int(st, 1), "industry", db_col_text(st, 2),
			"scores", (json_int_t)db_col_int(st, 3)));
	db_done(st);
	return out;
}

#define BENCH_FROM \
	" FROM benchmarks b JOIN units u ON u.id = b.district_unit_id JOIN enterprises e ON e.id = b.enterprise_id " \
	"LEFT JOIN industries i ON i.programme_id = b.programme_id AND i.name = b.industry"
#define BENCH_COLUMNS \
	"SELECT b.id, b.programme_id, b.district_unit_id, u.district, b.enterprise_id, e.name, e.uscc, b.industry, " \
	"b.reason, b.status, b.published_at, b.created_by, b.created_at, b.updated_at" BENCH_FROM

static json_t *read_bench(struct db_stmt *st)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:{s:I,s:s,s:s},s:s,s:s,s:s,s:o,s:s,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "programme_id", (json_int_t)db_col_int(st, 1),
		"district_unit_id", (json_int_t)db_col_int(st, 2), "district", db_col_text(st, 3),
		"enterprise", "id", (json_int_t)db_col_int(st, 4), "name", db_col_text(st, 5), "uscc", db_col_text(st, 6),
		"industry", db_col_text(st, 7), "reason", db_col_text(st, 8), "status", db_col_text(st, 9),
		"published_at", db_col_json_time(st, 10), "created_by", db_col_text(st, 11),
		"created_at", db_col_json_time(st, 12), "updated_at", db_col_json_time(st, 13));
}

static void add_scores(struct db *db, json_t *b)
{
	struct db_stmt *st = db_prep(db,
		"SELECT s.reviewer, COALESCE(us.display_name, s.reviewer), s.score, s.comment, s.scored_at "
		"FROM benchmark_scores s LEFT JOIN users us ON us.username = s.reviewer "
		"WHERE s.benchmark_id = ? ORDER BY s.scored_at, s.reviewer");
	db_bind_int(st, 1, json_integer_value(json_object_get(b, "id")));
	json_t *scores = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(scores, json_pack("{s:s,s:s,s:i,s:s,s:o}", "reviewer", db_col_text(st, 0),
			"reviewer_name", db_col_text(st, 1), "score", (int)db_col_int(st, 2),
			"comment", db_col_text(st, 3), "scored_at", db_col_json_time(st, 4)));
	db_done(st);
	json_object_set_new(b, "scores", scores);
}

static void bench_where(struct sqlbuild *q, const struct bench_filter *f)
{
	sqlb_where_int(q, "b.programme_id = ?", f->programme_id);
	if (f->district_unit_id)
		sqlb_where_int(q, "b.district_unit_id = ?", f->district_unit_id);
	if (f->industry)
		sqlb_where_text(q, "b.industry = ?", f->industry);
	if (f->status)
		sqlb_where_text(q, "b.status = ?", f->status);
	if (f->published_only)
		sqlb_where(q, "b.status = 'selected' AND b.published_at IS NOT NULL");
}

json_t *bench_list(struct db *db, const struct bench_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*)" BENCH_FROM);
	bench_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, BENCH_COLUMNS);
	bench_where(&q, f);
	sqlb_tail(&q, " ORDER BY b.district_unit_id, COALESCE(i.seq, 9999), b.industry, b.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_bench(st));
	db_done(st);
	sqlb_free(&q);
	size_t k;
	json_t *b;
	json_array_foreach(items, k, b)
		add_scores(db, b);
	return items;
}

json_t *bench_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, BENCH_COLUMNS " WHERE b.id = ?");
	db_bind_int(st, 1, id);
	json_t *b = db_step(st) == DB_ROW ? read_bench(st) : NULL;
	db_done(st);
	if (b)
		add_scores(db, b);
	return b;
}

json_t *bench_quota(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry)
{
	struct db_stmt *st = db_prep(db,
		"SELECT u.id, u.district, x.industry, "
		"(SELECT COUNT(*) FROM benchmarks b WHERE b.programme_id = ? AND b.district_unit_id = u.id "
		" AND b.industry = x.industry), "
		"(SELECT COUNT(*) FROM benchmarks b WHERE b.programme_id = ? AND b.district_unit_id = u.id "
		" AND b.industry = x.industry AND b.status = 'selected') "
		"FROM (SELECT e.district_unit_id AS unit_id, a.industry AS industry FROM assignments a "
		"      JOIN enterprises e ON e.id = a.enterprise_id WHERE a.programme_id = ? "
		"      UNION SELECT district_unit_id, industry FROM benchmarks WHERE programme_id = ?) x "
		"JOIN units u ON u.id = x.unit_id "
		"LEFT JOIN industries i ON i.programme_id = ? AND i.name = x.industry "
		"WHERE (? = 0 OR u.id = ?) AND (? = '' OR x.industry = ?) "
		"ORDER BY u.id, COALESCE(i.seq, 9999), x.industry");
	for (int k = 1; k <= 5; k++)
		db_bind_int(st, k, programme_id);
	db_bind_int(st, 6, district_unit_id);
	db_bind_int(st, 7, district_unit_id);
	db_bind_text(st, 8, industry ? industry : "");
	db_bind_text(st, 9, industry ? industry : "");
	json_t *out = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:i,s:i}", "district_unit_id",
			(json_int_t)db_col_int(st, 0), "district", db_col_text(st, 1), "industry", db_col_text(st, 2),
			"nominated", (int)db_col_int(st, 3), "selected", (int)db_col_int(st, 4)));
	db_done(st);
	return out;
}
