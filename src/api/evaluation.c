/*
 * evaluation.c - the city's evaluation of the districts (总结验收) and the
 * enterprises' effect questionnaire (效果问卷).
 *
 * A district's score sheet is computed live from the records (core/evaluation.c
 * holds the indicator table and the rules, store/evaluation.c the facts) and
 * the points the city enters, against the programme's targets (quotas.
 * evaluation_targets, parsed once per request with the programme info).
 * Finalising freezes the facts and the targets, so a final sheet no longer
 * moves when records or the programme file change. Reopening thaws it.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/evaluation.h"
#include "../render/render.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/evaluation.h"
#include "../store/programmes.h"
#include "../store/audit.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 2000
#define QUEST_COMMENTS_MAX 500

/* One district's evaluation as shown: live or frozen facts, the entered points, the score. */
struct district_eval {
	const struct eval_district *d;
	json_t *rec;             /* the stored record or NULL (borrowed from the records object) */
	bool final;
	struct eval_facts facts; /* live, or frozen when final */
	struct eval_targets targets; /* the programme's, or frozen when final */
	char computed_on[11];    /* the date the facts are as of */
	double entered[EVAL_MAX_INDICATORS];
	bool has_entered[EVAL_MAX_INDICATORS];
	struct eval_sheet sheet;
	int rank;
};

/* All of a request's evaluations: owns the districts and the records. */
struct eval_set {
	struct eval_district *districts;
	json_t *records;
	struct district_eval *x;
	int n;
};

static void eval_set_free(struct eval_set *s)
{
	free(s->districts);
	free(s->x);
	json_decref(s->records);
	memset(s, 0, sizeof(*s));
}

static const char *status_label(bool final)
{
	return final ? "已确认" : "草稿";
}

static json_t *points_json(double p)
{
	return json_real(eval_round1(p));
}

/* ======================== Loading ======================== */

/* The entered points of a record: known entered indicators only. */
static void read_entered(json_t *rec, double *vals, bool *has)
{
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(rec, "entered"), key, v) {
		int i = eval_indicator_find(key);
		if (i >= 0 && eval_indicators[i].source == EVAL_ENTERED && json_is_number(v)) {
			vals[i] = json_number_value(v);
			has[i] = true;
		}
	}
}

/* {"facts":{key:n},"targets":{key:target},"computed_on":"YYYY-MM-DD"}: what finalising keeps. */
static json_t *frozen_json(const struct eval_facts *f, const struct eval_targets *t, const char *computed_on)
{
	json_t *facts = json_object();
	for (int k = 0; k < EF_COUNT; k++)
		json_object_set_new(facts, eval_fact_key(k), json_integer(f->v[k]));
	return json_pack("{s:o,s:o,s:s}", "facts", facts, "targets", eval_targets_json(t), "computed_on", computed_on);
}

/* The frozen facts and targets; a sheet finalised before targets were frozen
 * keeps the programme's (*t as given). */
static void read_frozen(json_t *frozen, struct eval_facts *f, struct eval_targets *t, char computed_on[11])
{
	json_t *targets = json_object_get(frozen, "targets");
	struct eval_targets kept;
	char err[256];
	if (targets && !eval_targets_parse(targets, &kept, err, sizeof(err)))
		*t = kept;
	memset(f, 0, sizeof(*f));
	json_t *facts = json_object_get(frozen, "facts");
	for (int k = 0; k < EF_COUNT; k++)
		f->v[k] = json_integer_value(json_object_get(facts, eval_fact_key(k)));
	snprintf(computed_on, 11, "%s", json_string_value(json_object_get(frozen, "computed_on")) ?
		 json_string_value(json_object_get(frozen, "computed_on")) : "");
}

static int by_rank(const void *a, const void *b)
{
	const struct district_eval *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return (x->d > y->d) - (x->d < y->d); /* ties keep the region order */
}

/*
 * Gather and score the districts (all, or only `only`), ranked when all.
 * Replies 503 on a database error and returns false.
 */
static bool evaluate_or_reply(struct request *rq, const struct programme_info *pi, int64_t only,
			      struct eval_set *s)
{
	memset(s, 0, sizeof(*s));
	char today[11];
	date_format(app_today(rq->app), today);
	s->n = eval_gather(rq->db, pi->id, only, today, &s->districts);
	s->records = s->n >= 0 ? eval_records(rq->db, pi->id, only) : NULL;
	if (s->n < 0 || !s->records) {
		eval_set_free(s);
		reply_db_error(rq);
		return false;
	}
	s->x = xcalloc((size_t)s->n + 1, sizeof(*s->x));
	double *totals = xcalloc((size_t)s->n + 1, sizeof(double));
	int *ranks = xcalloc((size_t)s->n + 1, sizeof(int));
	for (int i = 0; i < s->n; i++) {
		struct district_eval *x = &s->x[i];
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)s->districts[i].unit_id);
		x->d = &s->districts[i];
		x->rec = json_object_get(s->records, key);
		x->final = x->rec && !strcmp(json_string_value(json_object_get(x->rec, "status")), "final");
		x->targets = pi->eval_targets;
		if (x->final) {
			read_frozen(json_object_get(x->rec, "frozen"), &x->facts, &x->targets, x->computed_on);
		} else {
			x->facts = x->d->facts;
			snprintf(x->computed_on, sizeof(x->computed_on), "%s", today);
		}
		read_entered(x->rec, x->entered, x->has_entered);
		eval_score(&x->facts, &x->targets, x->entered, x->has_entered, &x->sheet);
		totals[i] = x->sheet.total;
	}
	eval_rank(totals, s->n, ranks);
	for (int i = 0; i < s->n; i++)
		s->x[i].rank = ranks[i];
	free(totals);
	free(ranks);
	return true;
}

/* ======================== JSON ======================== */

static json_t *unit_json(const struct eval_district *d)
{
	return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)d->unit_id, "name", d->name, "district", d->district);
}

static json_t *dimensions_json(const struct district_eval *x)
{
	json_t *a = json_array();
	for (int d = 0; d < EVAL_N_DIMENSIONS; d++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o}", "key", eval_dimension_key(d),
			"label", eval_dimension_label(d), "points", x ? points_json(x->sheet.dimension_points[d]) : json_null(),
			"max", points_json(eval_dimension_max(d))));
	return a;
}

static json_t *time_or_null(json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);
	return v ? json_incref(v) : json_null();
}

/* A row of the ranking table. */
static json_t *row_json(const struct district_eval *x)
{
	return json_pack("{s:i,s:I,s:o,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:i,s:s,s:o}",
		"rank", x->rank, "district_unit_id", (json_int_t)x->d->unit_id, "unit", unit_json(x->d),
		"unit_name", x->d->name, "district", x->d->district,
		"status", x->final ? "final" : "draft", "status_name", status_label(x->final),
		"finalised", x->final, "total", points_json(x->sheet.total), "max", points_json(EVAL_TOTAL_MAX),
		"dimensions", dimensions_json(x), "missing_entries", x->sheet.missing_entries,
		"computed_on", x->computed_on, "updated_at", time_or_null(x->rec, "updated_at"));
}

/* "8 / 10（80.0%）", "2 场", "按时报送": what a person reads beside the points. */
static void value_text(const struct eval_indicator *ind, const struct eval_item *it, char *out, size_t n)
{
	switch (ind->rule) {
	case EVAL_RULE_ENTERED:
		if (it->has_points)
			snprintf(out, n, "%.1f 分", it->points);
		else
			snprintf(out, n, "未录入");
		break;
	case EVAL_RULE_STAGE:
		snprintf(out, n, "%s", ind->stage_labels[it->num >= 0 && it->num <= 2 ? it->num : 0]);
		break;
	case EVAL_RULE_COUNT:
		snprintf(out, n, "%lld %s", (long long)it->num, ind->unit);
		break;
	case EVAL_RULE_RATIO:
		if (!it->has_value && ind->den == EF_PLAN_TARGET)
			snprintf(out, n, "无获批工作方案");
		else if (!it->has_value && ind->den == EF_ANSWERED)
			snprintf(out, n, "暂无问卷答复");
		else if (!it->has_value)
			snprintf(out, n, "暂无数据");
		else if (ind->den_scale > 1)
			snprintf(out, n, "平均 %.1f 分（%.1f%%）",
				 eval_round1((double)it->num / (double)(it->den / ind->den_scale)), it->value);
		else
			snprintf(out, n, "%lld / %lld（%.1f%%）", (long long)it->num, (long long)it->den, it->value);
		break;
	}
}

static json_t *figures_json(const struct eval_indicator *ind, const struct eval_item *it, double target)
{
	switch (ind->rule) {
	case EVAL_RULE_STAGE: {
		int k = it->num >= 0 && it->num <= 2 ? (int)it->num : 0;
		return json_pack("{s:s,s:s}", "state", ind->stage_keys[k], "state_label", ind->stage_labels[k]);
	}
	case EVAL_RULE_COUNT:
		return json_pack("{s:I,s:o,s:s}", "count", (json_int_t)it->num, "target", json_real(target),
				 "unit", ind->unit);
	case EVAL_RULE_RATIO: {
		json_t *f = json_pack("{s:I,s:I,s:o,s:o}", "numerator", (json_int_t)it->num,
			"denominator", (json_int_t)it->den,
			"rate_percent", it->has_value ? json_real(it->value) : json_null(),
			"target_percent", json_real(eval_round1(target * 100)));
		if (ind->den_scale > 1)
			json_object_set_new(f, "answers", json_integer(it->den / ind->den_scale));
		return f;
	}
	case EVAL_RULE_ENTERED:
		break;
	}
	return json_null();
}

static json_t *item_json(int i, const struct eval_item *it, const struct eval_targets *t)
{
	const struct eval_indicator *ind = &eval_indicators[i];
	char text[160];
	value_text(ind, it, text, sizeof(text));
	bool entered = ind->source == EVAL_ENTERED;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:s,s:o}",
		"key", ind->key, "dimension", eval_dimension_key(ind->dimension),
		"dimension_label", eval_dimension_label(ind->dimension), "label", ind->label,
		"max", points_json(ind->max), "source", entered ? "entered" : "computed",
		"how", ind->how, "points", it->has_points ? points_json(it->points) : json_null(),
		"value", it->has_value ? json_real(it->value) : json_null(), "value_text", text,
		"figures", entered ? json_null() : figures_json(ind, it, t->t[i]));
	if (entered)
		json_object_set_new(o, "entered", json_boolean(it->has_points));
	return o;
}

/* The full score sheet of one district. */
static json_t *sheet_json(struct request *rq, const struct district_eval *x)
{
	json_t *items = json_array();
	for (int i = 0; i < eval_n_indicators; i++)
		json_array_append_new(items, item_json(i, &x->sheet.items[i], &x->targets));
	json_t *rec = x->rec;
	const char *comment = json_string_value(json_object_get(rec, "comment"));
	const char *by = json_string_value(json_object_get(rec, "updated_by"));
	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:o,s:i,s:s,s:o,s:o,s:o,s:o,s:o}",
		"district_unit_id", (json_int_t)x->d->unit_id, "unit", unit_json(x->d),
		"unit_name", x->d->name, "district", x->d->district,
		"status", x->final ? "final" : "draft", "status_name", status_label(x->final),
		"finalised", x->final, "computed_on", x->computed_on,
		"total", points_json(x->sheet.total), "max", points_json(EVAL_TOTAL_MAX),
		"missing_entries", x->sheet.missing_entries, "comment", comment ? comment : "",
		"updated_by", by ? json_string(by) : json_null(), "updated_at", time_or_null(rec, "updated_at"),
		"dimensions", dimensions_json(x), "items", items,
		"history", audit_history(rq->db, "evaluation", x->d->unit_id));
}

/* ======================== Ranking ======================== */

void api_evaluations_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	struct eval_set s;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi) || !evaluate_or_reply(rq, &pi, 0, &s))
		return;
	qsort(s.x, (size_t)s.n, sizeof(*s.x), by_rank);
	json_t *items = json_array();
	int64_t total = 0;
	for (int i = 0; i < s.n; i++) {
		struct scope_ref ref = {.district_unit_id = s.x[i].d->unit_id};
		if (!scope_allows(&rq->user, &ref))
			continue;
		if (total >= pg.offset && total < pg.offset + pg.per_page)
			json_array_append_new(items, row_json(&s.x[i]));
		total++;
	}
	char today[11];
	date_format(app_today(rq->app), today);
	json_t *out = json_pack("{s:o,s:I,s:i,s:i,s:o,s:o,s:s}", "items", items, "total", (json_int_t)total,
		"page", pg.page, "per_page", pg.per_page, "dimensions", dimensions_json(NULL),
		"max", points_json(EVAL_TOTAL_MAX), "today", today);
	eval_set_free(&s);
	reply_json(rq, 200, out);
}

static void cell(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s ? s : "", strlen(s ? s : "") + 1);
}

static void cell_points(struct sbuf *sb, double p)
{
	char t[24];
	snprintf(t, sizeof(t), "%.1f", eval_round1(p));
	cell(sb, t);
}

void api_evaluations_xlsx(struct request *rq)
{
	struct programme_info pi;
	struct eval_set s;
	if (!programme_or_reply(rq, &pi) || !evaluate_or_reply(rq, &pi, 0, &s))
		return;
	qsort(s.x, (size_t)s.n, sizeof(*s.x), by_rank);
	enum { FIXED = 8 };
	int ncol = FIXED + eval_n_indicators;
	char labels[FIXED + EVAL_MAX_INDICATORS][160];
	const char *headers[FIXED + EVAL_MAX_INDICATORS];
	static const char *const fixed[FIXED] = {"排名", "区", "单位", NULL, NULL, NULL, "总分（100分）", "状态"};
	for (int c = 0; c < FIXED; c++) {
		if (fixed[c])
			snprintf(labels[c], sizeof(labels[c]), "%s", fixed[c]);
		else
			snprintf(labels[c], sizeof(labels[c]), "%s（%.0f分）", eval_dimension_label(c - 3),
				 eval_dimension_max(c - 3));
	}
	for (int i = 0; i < eval_n_indicators; i++)
		snprintf(labels[FIXED + i], sizeof(labels[0]), "%s·%s（%g分）",
			 eval_dimension_label(eval_indicators[i].dimension), eval_indicators[i].label,
			 eval_indicators[i].max);
	for (int c = 0; c < ncol; c++)
		headers[c] = labels[c];
	struct sbuf cells = {0};
	for (int r = 0; r < s.n; r++) {
		const struct district_eval *x = &s.x[r];
		char rank[16];
		snprintf(rank, sizeof(rank), "%d", x->rank);
		cell(&cells, rank);
		cell(&cells, x->d->district);
		cell(&cells, x->d->name);
		for (int d = 0; d < EVAL_N_DIMENSIONS; d++)
			cell_points(&cells, x->sheet.dimension_points[d]);
		cell_points(&cells, x->sheet.total);
		cell(&cells, status_label(x->final));
		for (int i = 0; i < eval_n_indicators; i++) {
			if (x->sheet.items[i].has_points)
				cell_points(&cells, x->sheet.items[i].points);
			else
				cell(&cells, "未录入");
		}
	}
	long rows = s.n;
	const char **table = xcalloc((size_t)rows * (size_t)ncol + 1, sizeof(char *));
	const char *p = cells.buf;
	for (long i = 0; i < rows * ncol; i++) {
		table[i] = p;
		p += strlen(p) + 1;
	}
	char title[400], today[11];
	date_format(app_today(rq->app), today);
	snprintf(title, sizeof(title), "%s · 总结验收评分排名（%s）", pi.name, today);
	struct sbuf out = {0};
	char err[256];
	int rc = render_xlsx_table("总结验收", title, headers, ncol, table, rows, NULL, &out, err, sizeof(err));
	free(table);
	sbuf_free(&cells);
	eval_set_free(&s);
	if (rc) {
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "导出失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.buf,
		    out.len, "总结验收评分.xlsx");
	sbuf_free(&out);
}

/* ======================== One district ======================== */

/* Reply with the sheet as stored now (after a change). */
static void reply_sheet(struct request *rq, const struct programme_info *pi, int64_t id)
{
	struct eval_set s;
	if (!evaluate_or_reply(rq, pi, id, &s))
		return;
	json_t *out = s.n == 1 ? sheet_json(rq, &s.x[0]) : NULL;
	eval_set_free(&s);
	if (out)
		reply_json(rq, 200, out);
	else
		reply_not_found(rq);
}

/* The district {district_unit_id} when it is one the caller may see; 404 otherwise. */
static bool district_id_or_reply(struct request *rq, int64_t *id)
{
	char kind[16] = "";
	*id = route_param_id(&rq->params, "district_unit_id");
	struct scope_ref ref = {.district_unit_id = *id};
	if (*id <= 0 || !scope_allows(&rq->user, &ref) || !units_kind(rq->db, *id, kind, sizeof(kind)) ||
	    strcmp(kind, "district")) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

void api_evaluations_get(struct request *rq)
{
	struct programme_info pi;
	int64_t id;
	if (programme_or_reply(rq, &pi) && district_id_or_reply(rq, &id))
		reply_sheet(rq, &pi, id);
}

/* The stored record of one district under the write lock: NULL when none; *err on a database error. */
static json_t *record_locked(struct request *rq, int64_t programme_id, int64_t id, bool *err)
{
	json_t *recs = eval_records(rq->db, programme_id, id);
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	json_t *rec = json_incref(json_object_get(recs, key));
	*err = recs == NULL;
	json_decref(recs);
	return rec;
}

static bool record_final(json_t *rec)
{
	const char *st = json_string_value(json_object_get(rec, "status"));
	return st && !strcmp(st, "final");
}

/*
 * Read {"entered":{key:points|null},"comment":"…"} into a patch {key:
 * points|null} (null clears an entry). Every key is checked before anything
 * is stored, so a refused body changes nothing. *comment_given tells whether
 * to replace the comment.
 */
static json_t *patch_or_reply(struct request *rq, char *comment, size_t csz, bool *comment_given)
{
	static const char *const keys[] = {"entered", "comment", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body || !known_fields_or_reply(rq, body, keys)) {
		json_decref(body);
		return NULL;
	}
	json_t *in = json_object_get(body, "entered");
	if (in && !json_is_null(in) && !json_is_object(in)) {
		reply_error(rq, 400, "bad_type", "entered 应为对象：{\"评分项\":得分}", "entered");
		json_decref(body);
		return NULL;
	}
	json_t *c = json_object_get(body, "comment");
	*comment_given = c && !json_is_null(c);
	if (*comment_given && !string_field_or_reply(rq, body, "comment", false, COMMENT_MAX, comment, csz, "评价意见")) {
		json_decref(body);
		return NULL;
	}
	json_t *patch = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v) {
		char msg[300];
		if (!json_is_null(v) && !json_is_number(v)) {
			int i = eval_indicator_find(key);
			snprintf(msg, sizeof(msg), "“%s”的得分应为数字", i >= 0 ? eval_indicators[i].label : key);
			reply_error(rq, 400, "bad_type", msg, key);
			goto fail;
		}
		double points = json_is_null(v) ? 0 : json_number_value(v);
		enum eval_entry_problem p = eval_check_entry(key, points, NULL);
		if (p != EVAL_ENTRY_OK) {
			eval_entry_message(p, key, msg, sizeof(msg));
			reply_invalid(rq, key, msg);
			goto fail;
		}
		json_object_set_new(patch, key, json_is_null(v) ? json_null() : json_real(eval_round1(points)));
	}
	json_decref(body);
	return patch;
fail:
	json_decref(patch);
	json_decref(body);
	return NULL;
}

void api_evaluations_put(struct request *rq)
{
	struct programme_info pi;
	int64_t id;
	char comment[COMMENT_MAX * 4 + 8] = "";
	bool comment_given = false, err = false;
	if (!programme_or_reply(rq, &pi) || !district_id_or_reply(rq, &id))
		return;
	json_t *patch = patch_or_reply(rq, comment, sizeof(comment), &comment_given);
	if (!patch)
		return;
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id)) {
		db_rollback(rq->db);
		json_decref(patch);
		reply_db_error(rq);
		return;
	}
	json_t *rec = record_locked(rq, pi.id, id, &err);
	if (err || record_final(rec)) {
		db_rollback(rq->db);
		json_decref(patch);
		json_decref(rec);
		if (err)
			reply_db_error(rq);
		else
			reply_error(rq, 409, "conflict", "该区评分已确认，请先撤销确认再修改", NULL);
		return;
	}
	const char *stored = json_string_value(json_object_get(rec, "comment"));
	bool comment_changed = comment_given && strcmp(comment, stored ? stored : "");
	if (!comment_given)
		snprintf(comment, sizeof(comment), "%s", stored ? stored : "");
	/* The stored entries (known entered indicators only) with the patch applied;
	 * the audit entry names only what really changed. */
	json_t *entered = json_object(), *changes = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(rec, "entered"), k, v)
		if (eval_check_entry(k, json_number_value(v), NULL) == EVAL_ENTRY_OK && json_is_number(v))
			json_object_set(entered, k, v);
	json_object_foreach(patch, k, v) {
		json_t *old = json_object_get(entered, k);
		bool same = json_is_null(v) ? !old : old && fabs(json_number_value(old) - json_number_value(v)) < 1e-9;
		if (!same)
			json_object_set(changes, k, v);
		if (json_is_null(v))
			json_object_del(entered, k);
		else
			json_object_set(entered, k, v);
	}
	json_decref(rec);
	json_decref(patch);
	char *text = json_dumps(entered, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = eval_save(rq->db, pi.id, id, text, comment, rq->user.username);
	free(text);
	json_decref(entered);
	if (rc) {
		db_rollback(rq->db);
		json_decref(changes);
		reply_db_error(rq);
		return;
	}
	audit(rq, "evaluation.update", "evaluation", id, json_pack("{s:o,s:b}", "entered", changes, "comment", comment_changed));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_sheet(rq, &pi, id);
}

void api_evaluations_finalise(struct request *rq)
{
	struct programme_info pi;
	struct eval_set s;
	int64_t id;
	if (!programme_or_reply(rq, &pi) || !district_id_or_reply(rq, &id))
		return;
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	/* Gather under the lock, so what is frozen is what the records say at commit. */
	if (!evaluate_or_reply(rq, &pi, id, &s)) {
		db_rollback(rq->db);
		return;
	}
	const char *field = NULL;
	char msg[300] = "";
	bool conflict = s.n != 1 || s.x[0].final;
	for (int i = 0; i < eval_n_indicators && !conflict && !field; i++)
		if (eval_indicators[i].source == EVAL_ENTERED && !s.x[0].has_entered[i]) {
			field = eval_indicators[i].key;
			snprintf(msg, sizeof(msg), "请先录入“%s”的得分，再确认评分", eval_indicators[i].label);
		}
	if (conflict || field) {
		db_rollback(rq->db);
		eval_set_free(&s);
		if (conflict)
			reply_error(rq, 409, "conflict", "该区评分已经确认", NULL);
		else
			reply_invalid(rq, field, msg);
		return;
	}
	json_t *frozen = frozen_json(&s.x[0].facts, &s.x[0].targets, s.x[0].computed_on);
	char *text = json_dumps(frozen, JSON_COMPACT);
	double total = s.x[0].sheet.total;
	eval_set_free(&s);
	int rc = eval_finalise(rq->db, pi.id, id, text, total, rq->user.username);
	free(text);
	if (rc) {
		json_decref(frozen);
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "evaluation.finalise", "evaluation", id, json_pack("{s:o,s:O}", "total", json_real(total),
								      "facts", json_object_get(frozen, "facts")));
	json_decref(frozen);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_sheet(rq, &pi, id);
}

void api_evaluations_reopen(struct request *rq)
{
	struct programme_info pi;
	int64_t id;
	bool err = false;
	if (!programme_or_reply(rq, &pi) || !district_id_or_reply(rq, &id))
		return;
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	json_t *rec = record_locked(rq, pi.id, id, &err);
	bool final = record_final(rec);
	json_decref(rec);
	if (err || !final) {
		db_rollback(rq->db);
		if (err)
			reply_db_error(rq);
		else
			reply_error(rq, 409, "conflict", "该区评分尚未确认，无需撤销", NULL);
		return;
	}
	if (eval_reopen(rq->db, pi.id, id, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "evaluation.reopen", "evaluation", id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_sheet(rq, &pi, id);
}

/* ======================== Effect questionnaire ======================== */

struct quest_target {
	int64_t id, district, cb;
	char name[256];
	bool locked; /* the district's evaluation is final */
};

/* The enterprise {id} when the caller may see it (404 otherwise). */
static bool quest_target_or_reply(struct request *rq, const struct programme_info *pi, struct quest_target *t)
{
	memset(t, 0, sizeof(*t));
	t->id = route_param_id(&rq->params, "id");
	int rc = ent_scope(rq->db, pi->id, t->id, &t->district, &t->cb);
	struct scope_ref ref = {.district_unit_id = t->district, .cb_unit_ids = {t->cb}, .enterprise_id = t->id};
	struct ent_fields e;
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	if (rc == 0 || !scope_allows(&rq->user, &ref) || ent_fields_get(rq->db, t->id, &e) != 1) {
		reply_not_found(rq);
		return false;
	}
	snprintf(t->name, sizeof(t->name), "%s", e.name);
	json_t *recs = eval_records(rq->db, pi->id, t->district);
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)t->district);
	t->locked = record_final(json_object_get(recs, key));
	json_decref(recs);
	return true;
}

static json_t *improvement_options(void)
{
	json_t *a = json_array();
	for (int i = 0; i < EVAL_N_IMPROVEMENT; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "value", eval_improvement_keys[i],
			"label", eval_improvement_label(eval_improvement_keys[i])));
	return a;
}

static void reply_questionnaire(struct request *rq, const struct programme_info *pi, const struct quest_target *t)
{
	json_t *q = quest_get(rq->db, pi->id, t->id);
	bool may = rq->user.role == ROLE_ENTERPRISE || rq->user.role == ROLE_DISTRICT_OFFICER;
	const char *imp = q ? json_string_value(json_object_get(q, "improvement")) : NULL;
	json_t *out = json_pack("{s:{s:I,s:s},s:b,s:b,s:b,s:b,s:o,s:o,s:o,s:s,s:o,s:o,s:o}",
		"enterprise", "id", (json_int_t)t->id, "name", t->name,
		"assisted", t->cb != 0, "answered", q != NULL, "locked", t->locked,
		"can_answer", may && t->cb != 0 && !t->locked,
		"improvement", imp ? json_string(imp) : json_null(),
		"improvement_name", imp ? json_string(eval_improvement_label(imp)) : json_null(),
		"satisfaction", q ? json_incref(json_object_get(q, "satisfaction")) : json_null(),
		"comments", q ? json_string_value(json_object_get(q, "comments")) : "",
		"answered_by", q ? json_incref(json_object_get(q, "answered_by")) : json_null(),
		"answered_at", q ? json_incref(json_object_get(q, "answered_at")) : json_null(),
		"options", improvement_options());
	json_decref(q);
	reply_json(rq, 200, out);
}

void api_questionnaire_get(struct request *rq)
{
	struct programme_info pi;
	struct quest_target t;
	if (programme_or_reply(rq, &pi) && quest_target_or_reply(rq, &pi, &t))
		reply_questionnaire(rq, &pi, &t);
}

void api_questionnaire_put(struct request *rq)
{
	static const char *const keys[] = {"improvement", "satisfaction", "comments", NULL};
	struct programme_info pi;
	struct quest_target t;
	if (!programme_or_reply(rq, &pi) || !quest_target_or_reply(rq, &pi, &t))
		return;
	if (!t.cb) {
		reply_error(rq, 409, "conflict", "该企业尚未指派认证机构帮扶，不需填写效果问卷", NULL);
		return;
	}
	char improvement[16], comments[QUEST_COMMENTS_MAX * 4 + 8];
	int64_t satisfaction = 0;
	json_t *body = body_object_or_reply(rq);
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "improvement", true, 10, improvement, sizeof(improvement), "改善程度") &&
		  int_field_or_reply(rq, body, "satisfaction", true, 0, &satisfaction, "满意度") &&
		  string_field_or_reply(rq, body, "comments", false, QUEST_COMMENTS_MAX, comments, sizeof(comments), "意见建议");
	json_decref(body);
	if (!ok)
		return;
	if (!eval_improvement_label(improvement)) {
		reply_invalid(rq, "improvement", "改善程度只能是 very（非常明显）、fairly（比较明显）、average（一般）或 not（不明显）");
		return;
	}
	if (satisfaction < 1 || satisfaction > 5) {
		reply_invalid(rq, "satisfaction", "满意度应为 1 到 5 分");
		return;
	}
	if (t.locked) {
		reply_error(rq, 409, "conflict", "本区总结验收评分已确认，问卷不能再修改", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK ||
	    quest_put(rq->db, pi.id, t.id, improvement, (int)satisfaction, comments, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "questionnaire.answer", "enterprise", t.id, json_pack("{s:s,s:I}", "improvement", improvement,
		"satisfaction", (json_int_t)satisfaction));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_questionnaire(rq, &pi, &t);
}

/* Counts and rates of one group of questionnaires. */
static json_t *summary_json(const struct quest_counts *c)
{
	json_t *counts = json_object(), *answers = json_array();
	for (int k = 0; k < EVAL_N_IMPROVEMENT; k++) {
		json_object_set_new(counts, eval_improvement_keys[k], json_integer(c->by_answer[k]));
		json_array_append_new(answers, json_pack("{s:s,s:s,s:I}", "value", eval_improvement_keys[k],
			"label", eval_improvement_label(eval_improvement_keys[k]), "count", (json_int_t)c->by_answer[k]));
	}
	double clear = eval_percent(c->by_answer[0] + c->by_answer[1], c->answered);
	double sat = eval_percent(c->satisfaction_sum, c->answered * 5);
	return json_pack("{s:I,s:I,s:o,s:o,s:I,s:o,s:o,s:o}", "assisted", (json_int_t)c->assisted,
		"answered", (json_int_t)c->answered, "counts", counts, "answers", answers,
		"clear_improvement", (json_int_t)(c->by_answer[0] + c->by_answer[1]),
		"clear_improvement_percent", clear < 0 ? json_null() : json_real(clear),
		"satisfaction_percent", sat < 0 ? json_null() : json_real(sat),
		"mean_satisfaction", c->answered ? json_real(eval_round1((double)c->satisfaction_sum / (double)c->answered)) :
			json_null());
}

void api_questionnaires_summary(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t only = rq->user.role == ROLE_DISTRICT_OFFICER ? rq->user.unit_id : 0;
	struct quest_counts *c = NULL;
	int n = quest_counts(rq->db, pi.id, only, &c);
	if (n < 0) {
		reply_db_error(rq);
		return;
	}
	struct quest_counts all;
	memset(&all, 0, sizeof(all));
	json_t *by = json_array();
	for (int i = 0; i < n; i++) {
		all.assisted += c[i].assisted;
		all.answered += c[i].answered;
		all.satisfaction_sum += c[i].satisfaction_sum;
		for (int k = 0; k < EVAL_N_IMPROVEMENT; k++)
			all.by_answer[k] += c[i].by_answer[k];
		json_t *row = summary_json(&c[i]);
		json_object_set_new(row, "district_unit_id", json_integer(c[i].district_unit_id));
		json_object_set_new(row, "unit_name", json_string(c[i].name));
		json_object_set_new(row, "district", json_string(c[i].district));
		json_array_append_new(by, row);
	}
	free(c);
	json_t *out = summary_json(&all);
	json_object_set_new(out, "by_district", by);
	reply_json(rq, 200, out);
}
