/*
 * benchmarks.c - benchmark enterprises (标杆企业): a district nominates its
 * pilot enterprises, 1-2 per pilot industry (the programme's quotas); each
 * city_admin user scores as one reviewer; the city selects and publishes
 * the round at once, at most the quota per district and industry; the
 * selected ones are public. The rules are in core/cases.c.
 */
#include "api.h"
#include "../core/cases.h"
#include "../http/jsonin.h"
#include "../store/cases.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PENDING 2000 /* nominations published in one round: every district x industry x 2, with room */

/* ======================== Reading ======================== */

/*
 * Status name, the reviewers' mean score and their number. The city sees
 * each reviewer's score and its own; a district sees the count while the
 * round is open and the mean once it is published, never who scored what.
 */
static void decorate(struct request *rq, json_t *b)
{
	enum bench_status s = bench_status_parse(json_string_value(json_object_get(b, "status")));
	json_object_set_new(b, "status_name", json_string(bench_status_label(s)));
	json_t *scores = json_object_get(b, "scores");
	int n = (int)json_array_size(scores);
	int *v = xcalloc((size_t)n + 1, sizeof(*v));
	json_t *mine = json_null();
	size_t i;
	json_t *x;
	json_array_foreach(scores, i, x) {
		v[i] = (int)json_integer_value(json_object_get(x, "score"));
		if (!strcmp(json_string_value(json_object_get(x, "reviewer")), rq->user.username))
			mine = json_pack("{s:O,s:O}", "score", json_object_get(x, "score"),
					 "comment", json_object_get(x, "comment"));
	}
	double mean;
	bool has = bench_mean(v, n, &mean);
	free(v);
	bool city = rq->user.role == ROLE_CITY_ADMIN;
	bool published = json_is_string(json_object_get(b, "published_at"));
	json_object_set_new(b, "reviewers", json_integer(n));
	json_object_set_new(b, "mean_score", has && (city || published) ? json_real(mean) : json_null());
	if (city) {
		json_object_set_new(b, "my_score", mine);
	} else {
		json_decref(mine);
		json_object_del(b, "scores");
	}
}

/* Load {id} when the caller's scope holds it (404 otherwise). */
static bool visible_or_reply(struct request *rq, struct bench_row *r)
{
	int rc = bench_row_get(rq->db, route_param_id(&rq->params, "id"), r);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	struct scope_ref ref = {.district_unit_id = rc ? r->district_unit_id : -1};
	if (rc == 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

static void reply_bench(struct request *rq, int status, int64_t id)
{
	json_t *b = bench_get(rq->db, id);
	if (!b) {
		reply_not_found(rq);
		return;
	}
	decorate(rq, b);
	reply_json(rq, status, b);
}

/* Quota rows with their state against min..max. */
static json_t *quota_rows(struct request *rq, const struct programme_info *pi, int64_t district, const char *industry)
{
	json_t *rows = bench_quota(rq->db, pi->id, district, industry);
	size_t i;
	json_t *q;
	json_array_foreach(rows, i, q) {
		const char *state = bench_quota_state((int)json_integer_value(json_object_get(q, "nominated")),
						      pi->min_benchmarks, pi->max_benchmarks);
		json_object_set_new(q, "state", json_string(state));
		json_object_set_new(q, "state_name", json_string(bench_quota_label(state)));
	}
	return rows;
}

void api_benchmarks_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi))
		return;
	struct bench_filter f = {.programme_id = pi.id, .limit = pg.per_page, .offset = pg.offset};
	f.industry = query_get(rq, "industry");
	f.status = query_get(rq, "status");
	if (f.status && bench_status_parse(f.status) == BENCH_NONE) {
		reply_invalid(rq, "status", "状态只能是 nominated、selected 或 not_selected");
		return;
	}
	const char *district = query_get(rq, "district");
	if (district && !(f.district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return;
	}
	/* A district sees its own; asking for another district finds nothing (-1 matches no unit). */
	if (rq->user.role != ROLE_CITY_ADMIN)
		f.district_unit_id = f.district_unit_id && f.district_unit_id != rq->user.unit_id ? -1 : rq->user.unit_id;
	int64_t total = 0;
	json_t *items = bench_list(rq->db, &f, &total);
	size_t i;
	json_t *b;
	json_array_foreach(items, i, b)
		decorate(rq, b);
	json_t *pending = bench_pending(rq->db, pi.id);
	json_t *out = json_pack("{s:o,s:I,s:i,s:i,s:{s:i,s:i},s:o,s:i}", "items", items, "total", (json_int_t)total,
		"page", pg.page, "per_page", pg.per_page, "quota", "min", pi.min_benchmarks, "max", pi.max_benchmarks,
		"by_industry", quota_rows(rq, &pi, f.district_unit_id, f.industry),
		"pending", (int)json_array_size(pending));
	json_decref(pending);
	reply_json(rq, 200, out);
}

void api_benchmarks_get(struct request *rq)
{
	struct bench_row r;
	if (visible_or_reply(rq, &r))
		reply_bench(rq, 200, r.id);
}

void api_public_benchmarks(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi))
		return;
	struct bench_filter f = {.programme_id = pi.id, .published_only = true, .limit = pg.per_page,
				 .offset = pg.offset, .industry = query_get(rq, "industry")};
	const char *district = query_get(rq, "district");
	if (district && !(f.district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return;
	}
	int64_t total = 0;
	json_t *items = bench_list(rq->db, &f, &total), *out = json_array();
	size_t i;
	json_t *b;
	json_array_foreach(items, i, b) {
		json_t *ent = json_object_get(b, "enterprise");
		int64_t case_id = case_id_for_enterprise(rq->db, pi.id, json_integer_value(json_object_get(ent, "id")), true);
		json_array_append_new(out, json_pack("{s:O,s:{s:O},s:O,s:O,s:O,s:O,s:o}", "id", json_object_get(b, "id"),
			"enterprise", "name", json_object_get(ent, "name"), "district", json_object_get(b, "district"),
			"industry", json_object_get(b, "industry"), "reason", json_object_get(b, "reason"),
			"published_at", json_object_get(b, "published_at"),
			"case_id", case_id ? json_integer(case_id) : json_null()));
	}
	json_decref(items);
	reply_page(rq, out, total, &pg);
}

/* ======================== Nominating ======================== */

void api_benchmarks_create(struct request *rq)
{
	static const char *const keys[] = {"enterprise_id", "reason", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	int64_t ent = 0;
	char reason[2048];
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "enterprise_id", true, 0, &ent, "企业") &&
		  string_field_or_reply(rq, body, "reason", true, 500, reason, sizeof(reason), "推荐理由");
	json_decref(body);
	if (!ok)
		return;
	/* Its own pilot enterprise: registered in the district and assigned to a body for its industry. */
	struct ent_fields e;
	int rc = ent > 0 ? ent_fields_get(rq->db, ent, &e) : 0;
	char industry[64] = "";
	if (rc == 1 && e.district_unit_id == rq->user.unit_id)
		rc = bench_pilot_industry(rq->db, pi.id, ent, industry);
	else if (rc == 1)
		rc = 0;
	if (rc < 0) {
		reply_db_error(rq);
		return;
	}
	if (rc == 0 || strcmp(industry, e.industry)) {
		reply_invalid(rq, "enterprise_id", "只能推荐本区试点行业中已确定认证机构的试点企业");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	/* The same enterprise twice is a plain conflict, checked before the quota. */
	int count = bench_count(rq->db, pi.id, rq->user.unit_id, industry);
	int64_t id = bench_id_for_enterprise(rq->db, pi.id, ent) ? 0 : count < 0 ? -1 : 1;
	if (id > 0 && !bench_can_nominate(count, pi.max_benchmarks)) {
		db_rollback(rq->db);
		char msg[300];
		snprintf(msg, sizeof(msg), "每个试点行业推荐 %d–%d 家标杆企业，本区“%s”已推荐 %d 家；如需更换，请先撤回一家",
			 pi.min_benchmarks, pi.max_benchmarks, industry, count);
		reply_error(rq, 409, "quota_exceeded", msg, "enterprise_id");
		return;
	}
	if (id > 0)
		id = bench_insert(rq->db, pi.id, rq->user.unit_id, ent, industry, reason, rq->user.username);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "该企业已被推荐为标杆企业", "enterprise_id");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "benchmark.nominate", "benchmark", id, json_pack("{s:I,s:s}", "enterprise_id", (json_int_t)ent,
								    "industry", industry));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_bench(rq, 201, id);
}

void api_benchmarks_delete(struct request *rq)
{
	struct bench_row r;
	if (!visible_or_reply(rq, &r))
		return;
	if (rq->user.role != ROLE_DISTRICT_OFFICER) {
		reply_forbidden(rq);
		return;
	}
	if (r.published) {
		reply_error(rq, 409, "conflict", "评选结果已公布，不能撤回推荐", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = bench_delete(rq->db, r.id);
	if (rc != 1) {
		db_rollback(rq->db);
		if (rc == 0)
			reply_error(rq, 409, "conflict", "评选结果已公布，不能撤回推荐", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "benchmark.withdraw", "benchmark", r.id, json_pack("{s:I}", "enterprise_id", (json_int_t)r.enterprise_id));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}

/* ======================== Reviewing ======================== */

void api_benchmarks_score(struct request *rq)
{
	static const char *const keys[] = {"score", "comment", NULL};
	struct bench_row r;
	if (!visible_or_reply(rq, &r))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	int64_t score = 0;
	char comment[2048];
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "score", true, 0, &score, "评分") &&
		  string_field_or_reply(rq, body, "comment", false, 500, comment, sizeof(comment), "评审意见");
	json_decref(body);
	if (!ok)
		return;
	if (!bench_score_valid(score)) {
		reply_invalid(rq, "score", "评分应为 0–100 的整数");
		return;
	}
	if (r.published) {
		reply_error(rq, 409, "conflict", "评选结果已公布，不能再修改评分", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = bench_score_put(rq->db, r.id, rq->user.username, (int)score, comment);
	if (rc != 1) {
		db_rollback(rq->db);
		if (rc == 0)
			reply_error(rq, 409, "conflict", "评选结果已公布，不能再修改评分", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "benchmark.score", "benchmark", r.id, json_pack("{s:I}", "score", (json_int_t)score));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_bench(rq, 200, r.id);
}

/* Body {"selected":[ids]}: positive ids, repeats dropped; replies on bad input. */
static bool selected_or_reply(struct request *rq, int64_t *ids, int max, int *n)
{
	static const char *const keys[] = {"selected", NULL};
	*n = 0;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	bool ok = known_fields_or_reply(rq, body, keys);
	json_t *sel = json_object_get(body, "selected");
	if (ok && (!sel || json_is_null(sel))) {
		reply_invalid(rq, "selected", "请选择入选的标杆企业（可为空数组）");
		ok = false;
	} else if (ok && !json_is_array(sel)) {
		reply_error(rq, 400, "bad_type", "selected 应为编号数组", "selected");
		ok = false;
	} else if (ok && (int)json_array_size(sel) > max) {
		reply_invalid(rq, "selected", "入选名单过长");
		ok = false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ok ? sel : NULL, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			reply_error(rq, 400, "bad_type", "selected 应为正整数编号", "selected");
			ok = false;
			break;
		}
		bool seen = false;
		for (int k = 0; k < *n; k++)
			seen = seen || ids[k] == json_integer_value(v);
		if (!seen)
			ids[(*n)++] = json_integer_value(v);
	}
	json_decref(body);
	return ok;
}

/* The group (district x industry) of pending[i] among the first ones, added when new. */
static int group_of(json_t *pending, size_t i, int *group)
{
	json_t *p = json_array_get(pending, i);
	for (size_t k = 0; k < i; k++) {
		json_t *q = json_array_get(pending, k);
		if (json_equal(json_object_get(p, "district_unit_id"), json_object_get(q, "district_unit_id")) &&
		    json_equal(json_object_get(p, "industry"), json_object_get(q, "industry")))
			return group[k];
	}
	int g = 0;
	for (size_t k = 0; k < i; k++)
		if (group[k] >= g)
			g = group[k] + 1;
	return g;
}

/* Reply to a refused selection (pending is the round, picks[bad] the offender). */
static void refuse_selection(struct request *rq, enum bench_pick_result res, json_t *pending, int bad,
			     const struct programme_info *pi)
{
	json_t *b = bench_get(rq->db, json_integer_value(json_object_get(json_array_get(pending, (size_t)bad), "id")));
	const char *name = json_string_value(json_object_get(json_object_get(b, "enterprise"), "name"));
	char msg[400];
	if (res == BENCH_PICK_UNSCORED) {
		snprintf(msg, sizeof(msg), "%s 尚无评审评分，不能入选", name ? name : "");
		reply_invalid(rq, "selected", msg);
	} else {
		snprintf(msg, sizeof(msg), "%s“%s”最多入选 %d 家标杆企业", json_string_value(json_object_get(b, "district")),
			 json_string_value(json_object_get(b, "industry")), pi->max_benchmarks);
		reply_error(rq, 409, "quota_exceeded", msg, "selected");
	}
	json_decref(b);
}

void api_benchmarks_publish(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t *ids = xmalloc(sizeof(*ids) * MAX_PENDING);
	int n_ids = 0;
	if (!selected_or_reply(rq, ids, MAX_PENDING, &n_ids)) {
		free(ids);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id)) {
		db_rollback(rq->db);
		free(ids);
		reply_db_error(rq);
		return;
	}
	json_t *pending = bench_pending(rq->db, pi.id);
	int n = (int)json_array_size(pending);
	struct bench_pick *picks = xcalloc((size_t)n + 1, sizeof(*picks));
	int *group = xcalloc((size_t)n + 1, sizeof(*group)), *already = xcalloc((size_t)n + 1, sizeof(*already));
	int n_groups = 0, bad = -1, found = 0;
	for (int i = 0; i < n; i++) {
		json_t *p = json_array_get(pending, (size_t)i);
		int64_t id = json_integer_value(json_object_get(p, "id"));
		group[i] = group_of(pending, (size_t)i, group);
		if (group[i] == n_groups)
			already[n_groups++] = bench_selected_count(rq->db, pi.id,
				json_integer_value(json_object_get(p, "district_unit_id")),
				json_string_value(json_object_get(p, "industry")));
		picks[i].group = group[i];
		picks[i].scored = json_integer_value(json_object_get(p, "scores")) > 0;
		for (int k = 0; k < n_ids; k++)
			if (ids[k] == id) {
				picks[i].selected = true;
				found++;
			}
	}
	enum bench_pick_result res = BENCH_PICK_OK;
	if (n == 0) {
		db_rollback(rq->db);
		reply_error(rq, 409, "conflict", "没有待公布的标杆企业推荐", NULL);
	} else if (found < n_ids) {
		db_rollback(rq->db);
		reply_invalid(rq, "selected", "入选名单中有不是待公布推荐的编号");
	} else if ((res = bench_check_selection(picks, n, already, n_groups, pi.max_benchmarks, &bad)) != BENCH_PICK_OK) {
		refuse_selection(rq, res, pending, bad, &pi);
		db_rollback(rq->db);
	} else {
		json_t *sel = json_array(), *rest = json_array();
		int rc = 1;
		for (int i = 0; i < n && rc == 1; i++) {
			json_t *id = json_object_get(json_array_get(pending, (size_t)i), "id");
			rc = bench_publish_one(rq->db, json_integer_value(id), picks[i].selected);
			json_array_append(picks[i].selected ? sel : rest, id);
		}
		if (rc != 1) {
			db_rollback(rq->db);
			json_decref(sel);
			json_decref(rest);
			reply_db_error(rq);
		} else {
			audit(rq, "benchmark.publish", "programme", pi.id,
			      json_pack("{s:o,s:o}", "selected", sel, "not_selected", rest));
			if (db_commit(rq->db) != DB_OK)
				reply_db_error(rq);
		}
	}
	free(ids);
	free(picks);
	free(group);
	free(already);
	json_decref(pending);
	if (!rq->answered)
		api_benchmarks_list(rq);
}
