/*
 * selections.c - the city selects certification bodies per pilot industry
 * (遴选), from accepted declarations of bodies that join the pilot, with
 * the four criteria of the notice and the quota "at most 2 per industry".
 */
#include "api.h"
#include "../core/declaration.h"
#include "../http/jsonin.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *key, *label;
} criteria[] = {
	{"qualification", "资质"},
	{"social_responsibility", "社会责任"},
	{"credit", "无不良信用记录"},
	{"willingness", "帮扶意愿"},
};

static bool in_catalogue(const struct programme_info *pi, const char *name)
{
	for (int i = 0; i < pi->n_industries; i++)
		if (!strcmp(pi->industries[i], name))
			return true;
	return false;
}

void api_selections_list(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	const char *industry = query_get(rq, "industry"), *cb = query_get(rq, "cb_unit_id");
	int64_t cb_id = cb ? strtoll(cb, NULL, 10) : 0;
	if (cb && cb_id <= 0) {
		reply_invalid(rq, "cb_unit_id", "认证机构编号无效");
		return;
	}
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	if (rq->user.role == ROLE_CB_STAFF)
		cb_id = rq->user.unit_id; /* a body sees the industries it serves */
	/* At most (industries × a few bodies) rows: page in memory. */
	json_t *all = selections_list(rq->db, pi.id, industry, cb_id);
	json_t *items = json_array();
	size_t n = json_array_size(all);
	for (size_t i = (size_t)pg.offset; i < n && json_array_size(items) < (size_t)pg.per_page; i++)
		json_array_append(items, json_array_get(all, i));
	json_decref(all);
	reply_page(rq, items, (int64_t)n, &pg);
}

void api_selections_summary(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *all = selections_list(rq->db, pi.id, NULL,
				      rq->user.role == ROLE_CB_STAFF ? rq->user.unit_id : 0);
	json_t *items = json_array();
	for (int i = 0; i < pi.n_industries; i++) {
		json_t *cbs = json_array();
		size_t j;
		json_t *s;
		json_array_foreach(all, j, s)
			if (!strcmp(json_string_value(json_object_get(s, "industry")), pi.industries[i]))
				json_array_append(cbs, s);
		json_array_append_new(items, json_pack("{s:s,s:I,s:i,s:o}", "industry", pi.industries[i],
			"count", (json_int_t)json_array_size(cbs), "max", pi.max_cbs_per_industry, "cbs", cbs));
	}
	json_decref(all);
	reply_json(rq, 200, json_pack("{s:o,s:i}", "items", items, "max_cbs_per_industry",
				      pi.max_cbs_per_industry));
}

/* Parse and check the four criteria; returns the JSON to store or NULL after replying. */
static json_t *criteria_or_reply(struct request *rq, json_t *in)
{
	if (!json_is_object(in)) {
		bool absent = !in || json_is_null(in);
		reply_error(rq, absent ? 422 : 400, absent ? "invalid" : "bad_type", "请逐项填写遴选条件", "criteria");
		return NULL;
	}
	static const char *const keys[] = {"qualification", "social_responsibility", "credit",
					   "willingness", NULL};
	static const char *const item_keys[] = {"ok", "note", NULL};
	struct field_error e;
	if (!json_check_known(in, keys, &e)) {
		reply_error(rq, e.status, e.code, e.message, "criteria");
		return NULL;
	}
	json_t *out = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(criteria); i++) {
		json_t *c = json_object_get(in, criteria[i].key);
		char msg[200], note[1024];
		json_t *ok = json_object_get(c, "ok");
		if (!json_is_object(c) || !json_check_known(c, item_keys, &e) || !json_is_boolean(ok)) {
			snprintf(msg, sizeof(msg), "请确认“%s”是否符合（是/否）", criteria[i].label);
			reply_invalid(rq, "criteria", msg);
			json_decref(out);
			return NULL;
		}
		if (!json_get_string(c, "note", false, 200, note, sizeof(note), criteria[i].label, &e)) {
			reply_error(rq, e.status, e.code, e.message, "criteria");
			json_decref(out);
			return NULL;
		}
		if (!json_is_true(ok)) {
			snprintf(msg, sizeof(msg), "不符合遴选条件：%s", criteria[i].label);
			reply_invalid(rq, "criteria", msg);
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, criteria[i].key, json_pack("{s:b,s:s}", "ok", 1, "note", note));
	}
	return out;
}

void api_selections_create(struct request *rq)
{
	static const char *const fields[] = {"industry", "cb_unit_id", "criteria", "exception_reason", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	char industry[128], reason[2048];
	int64_t cb_id = 0;
	bool ok = known_fields_or_reply(rq, body, fields) &&
		  string_field_or_reply(rq, body, "industry", true, 60, industry, sizeof(industry), "试点行业") &&
		  int_field_or_reply(rq, body, "cb_unit_id", true, 0, &cb_id, "认证机构") &&
		  string_field_or_reply(rq, body, "exception_reason", false, 500, reason, sizeof(reason), "例外理由");
	json_t *crit = ok ? criteria_or_reply(rq, json_object_get(body, "criteria")) : NULL;
	json_decref(body);
	if (!crit)
		return;
	if (!in_catalogue(&pi, industry)) {
		json_decref(crit);
		reply_invalid(rq, "industry", "试点行业不在本项目的行业目录中");
		return;
	}
	int64_t decl = decl_id_for_unit(rq->db, pi.id, cb_id);
	json_t *d = decl ? decl_get(rq->db, decl) : NULL;
	bool eligible = d && !strcmp(json_string_value(json_object_get(d, "category")), "certification_body") &&
			!strcmp(json_string_value(json_object_get(d, "status")), "accepted") &&
			json_is_true(json_object_get(d, "joins_pilot"));
	json_decref(d);
	if (!eligible) {
		json_decref(crit);
		reply_invalid(rq, "cb_unit_id", "只能从申报表已通过审核且参与试点的认证机构中遴选");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || programme_lock(rq->db, pi.id) != 0) {
		db_rollback(rq->db);
		json_decref(crit);
		reply_db_error(rq);
		return;
	}
	if (selection_exists(rq->db, pi.id, industry, cb_id)) {
		db_rollback(rq->db);
		json_decref(crit);
		reply_error(rq, 409, "conflict", "该认证机构已入选此试点行业", "cb_unit_id");
		return;
	}
	int current = selections_count(rq->db, pi.id, industry);
	enum selection_verdict v = selection_check(current, pi.max_cbs_per_industry, reason);
	if (v != SEL_OK) {
		db_rollback(rq->db);
		json_decref(crit);
		char msg[300];
		if (v == SEL_EXCEPTION_SHORT) {
			reply_invalid(rq, "exception_reason", "例外理由至少 5 个字，请写明确需突破名额的原因");
		} else {
			snprintf(msg, sizeof(msg),
				 "“%s”已遴选 %d 家认证机构；每个试点行业原则上不超过 %d 家。如确需突破，请填写例外理由",
				 industry, current, pi.max_cbs_per_industry);
			reply_error(rq, 409, "quota_exceeded", msg, "exception_reason");
		}
		return;
	}
	/* The reason is kept only when it is really an exception. */
	const char *kept = current >= pi.max_cbs_per_industry ? reason : NULL;
	char *ctext = json_dumps(crit, JSON_COMPACT);
	json_decref(crit);
	int64_t id = selections_insert(rq->db, pi.id, industry, cb_id, decl, ctext, kept, rq->user.username);
	free(ctext);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "该认证机构已入选此试点行业", "cb_unit_id");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "selection.create", "selection", id,
	      json_pack("{s:s,s:I,s:o}", "industry", industry, "cb_unit_id", (json_int_t)cb_id,
			"exception_reason", kept ? json_string(kept) : json_null()));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 201, selections_get(rq->db, id));
}

void api_selections_delete(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *s = selections_get(rq->db, id);
	if (!s) {
		reply_not_found(rq);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || selections_delete(rq->db, id) != 0) {
		db_rollback(rq->db);
		json_decref(s);
		reply_db_error(rq);
		return;
	}
	audit(rq, "selection.delete", "selection", id,
	      json_pack("{s:O,s:O}", "industry", json_object_get(s, "industry"), "cb",
			json_object_get(s, "cb")));
	json_decref(s);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}
