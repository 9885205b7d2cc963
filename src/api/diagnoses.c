/*
 * diagnoses.c - the on-site diagnosis (问题诊断) and the enterprise's
 * self-assessment (自我评价): checklists, answers saved one by one with a
 * version each (two auditors never silently overwrite each other), evidence
 * files, submission (locks it), the PDF report, and the before/after view of
 * a re-assessment (再评估).
 *
 * Scope: the city sees all; a district its enterprises'; a body its own
 * on-site diagnoses and the submitted self-assessments of the enterprises
 * assigned to it; an enterprise its self-assessments and its submitted
 * on-site diagnoses. Anything else is 404.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/diagnosis.h"
#include "../core/filetype.h"
#include "../http/jsonin.h"
#include "../render/render.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/diagnoses.h"
#include "../store/enterprises.h"
#include "../store/programmes.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECKLIST_DEFAULT "iso9001-small"

/* ======================== Scope ======================== */

static bool may_see(const struct principal *u, const struct diag_row *r)
{
	bool self = !strcmp(r->kind, "self"), submitted = !strcmp(r->status, "submitted");
	switch (u->role) {
	case ROLE_CITY_ADMIN:
		return true;
	case ROLE_DISTRICT_OFFICER:
		return u->unit_id == r->district_unit_id;
	case ROLE_CB_STAFF:
		/* The body the enterprise is assigned to now (a reassigned enterprise's records go with it). */
		return u->unit_id == r->assigned_cb && (!self || submitted);
	case ROLE_ENTERPRISE:
		return u->enterprise_id == r->enterprise_id && (self || submitted);
	default:
		return false;
	}
}

/* The author side: the body's staff for on-site, the enterprise for its self-assessment. */
static bool is_author(const struct principal *u, const struct diag_row *r)
{
	if (!strcmp(r->kind, "self"))
		return u->role == ROLE_ENTERPRISE && u->enterprise_id == r->enterprise_id;
	return u->role == ROLE_CB_STAFF && u->unit_id == r->cb_unit_id && u->unit_id == r->assigned_cb;
}

static bool visible_or_reply(struct request *rq, int64_t id, struct diag_row *r)
{
	int rc = diag_row_get(rq->db, id, r);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	if (rc == 0 || !may_see(&rq->user, r)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

/* Visible, written by the caller's side, and still a draft. */
static bool editable_or_reply(struct request *rq, int64_t id, struct diag_row *r)
{
	if (!visible_or_reply(rq, id, r))
		return false;
	if (!is_author(&rq->user, r)) {
		reply_forbidden(rq);
		return false;
	}
	if (strcmp(r->status, "draft")) {
		reply_error(rq, 409, "locked", "该诊断已提交并锁定，不能再修改", NULL);
		return false;
	}
	return true;
}

static const struct checklist *checklist_or_reply(struct request *rq, int64_t id)
{
	const struct checklist *cl = checklist_cached(rq->db, id);
	if (!cl)
		reply_error(rq, 503, "unavailable", "无法读取检查表", NULL);
	return cl;
}

/* ======================== Scores ======================== */

static json_t *score_or_null(bool has, double v)
{
	return has ? json_real(v) : json_null();
}

/* Scores as JSON: {"overall", "sections":[…]}. */
static json_t *scores_to_json(const struct checklist *cl, const struct diag_scores *s)
{
	json_t *secs = json_array();
	for (int i = 0; i < cl->n_sections; i++) {
		const struct diag_section_score *x = &s->s[i];
		json_array_append_new(secs, json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", "clause", cl->sections[i].clause,
			"title", cl->sections[i].title, "items", x->items, "answered", x->answered, "na", x->na,
			"score", score_or_null(x->has_score, x->score)));
	}
	return json_pack("{s:o,s:o}", "overall", score_or_null(s->has_overall, s->overall), "sections", secs);
}

/* Compute the scores of diagnosis id from its stored answers. */
static int compute_scores(struct request *rq, const struct checklist *cl, int64_t id, struct diag_scores *s)
{
	struct diag_answer *a = xcalloc((size_t)cl->n_items + 1, sizeof(*a));
	int rc = diag_answers_fill(rq->db, id, cl, a);
	diag_score(a, cl->n_items, cl->n_sections, s);
	free(a);
	return rc;
}

/* Scores of a diagnosis as JSON; s gets the numbers. */
static json_t *scores_json(struct request *rq, const struct checklist *cl, int64_t id, struct diag_scores *s)
{
	compute_scores(rq, cl, id, s);
	return scores_to_json(cl, s);
}

static json_t *progress_json(const struct diag_scores *s)
{
	return json_pack("{s:i,s:i}", "items", s->items, "answered", s->answered);
}

/* ======================== Checklists ======================== */

void api_checklists_list(struct request *rq)
{
	reply_json(rq, 200, json_pack("{s:o}", "items", checklist_list(rq->db)));
}

void api_checklists_get(struct request *rq)
{
	const struct checklist *cl = checklist_cached(rq->db, route_param_id(&rq->params, "id"));
	if (!cl) {
		reply_not_found(rq);
		return;
	}
	reply_bytes(rq, 200, "application/json", cl->json, strlen(cl->json), NULL);
}

/* ======================== Diagnoses ======================== */

/* The full object: header, answers, files, scores, and the self / previous comparisons. */
static json_t *diag_full(struct request *rq, const struct diag_row *r, const struct checklist *cl)
{
	json_t *d = diag_get(rq->db, r->id);
	if (!d)
		return NULL;
	json_object_del(d, "stored_scores");
	struct diag_scores s;
	json_object_set_new(d, "scores", scores_json(rq, cl, r->id, &s));
	json_object_set_new(d, "overall", score_or_null(s.has_overall, s.overall)); /* live, also on a draft */
	json_object_set_new(d, "progress", progress_json(&s));
	json_object_set_new(d, "answers", diag_answers(rq->db, r->id));
	json_object_set_new(d, "files", diag_files(rq->db, r->id));
	json_t *self = json_null(), *prev = json_null();
	if (!strcmp(r->kind, "onsite")) {
		int64_t sid = diag_latest_submitted(rq->db, r->enterprise_id, "self", r->checklist_id);
		if (sid > 0) {
			struct diag_scores ss;
			json_t *sc = scores_json(rq, cl, sid, &ss);
			json_t *ans = diag_answers(rq->db, sid);
			size_t i;
			json_t *a;
			json_array_foreach(ans, i, a) {
				json_object_del(a, "updated_by");
				json_object_del(a, "updated_at");
				json_object_del(a, "version");
			}
			self = json_pack("{s:I,s:s,s:O,s:O,s:o}", "diagnosis_id", (json_int_t)sid, "status", "submitted",
					 "sections", json_object_get(sc, "sections"), "overall",
					 json_object_get(sc, "overall"), "answers", ans);
			json_decref(sc);
		}
		int64_t fid = r->round > 1 ? diag_first_submitted(rq->db, r->enterprise_id) : 0;
		if (fid > 0 && fid != r->id) {
			struct diag_row fr;
			const struct checklist *fcl;
			if (diag_row_get(rq->db, fid, &fr) == 1 && (fcl = checklist_cached(rq->db, fr.checklist_id))) {
				struct diag_scores fs;
				json_t *sc = scores_json(rq, fcl, fid, &fs);
				json_t *fd = diag_get(rq->db, fid);
				prev = json_pack("{s:I,s:i,s:O,s:O,s:O}", "diagnosis_id", (json_int_t)fid, "round", fr.round,
						 "visit_date", json_object_get(fd, "visit_date"),
						 "sections", json_object_get(sc, "sections"), "overall",
						 json_object_get(sc, "overall"));
				json_decref(sc);
				json_decref(fd);
			}
		}
	}
	json_object_set_new(d, "self", self);
	json_object_set_new(d, "previous", prev);
	return d;
}

void api_diagnoses_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct diag_filter f = {.limit = pg.per_page, .offset = pg.offset};
	f.kind = query_get(rq, "kind");
	f.status = query_get(rq, "status");
	f.q = query_get(rq, "q");
	const char *ent = query_get(rq, "enterprise_id"), *district = query_get(rq, "district");
	if (f.kind && strcmp(f.kind, "onsite") && strcmp(f.kind, "self")) {
		reply_invalid(rq, "kind", "kind 只能是 onsite 或 self");
		return;
	}
	if (f.status && strcmp(f.status, "draft") && strcmp(f.status, "submitted")) {
		reply_invalid(rq, "status", "status 只能是 draft 或 submitted");
		return;
	}
	if (ent && (f.enterprise_id = strtoll(ent, NULL, 10)) <= 0) {
		reply_invalid(rq, "enterprise_id", "企业编号无效");
		return;
	}
	if (district && !(f.district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return;
	}
	switch (rq->user.role) {
	case ROLE_DISTRICT_OFFICER:
		if (f.district_unit_id && f.district_unit_id != rq->user.unit_id)
			f.enterprise_id = -1;
		f.district_unit_id = rq->user.unit_id;
		break;
	case ROLE_CB_STAFF:
		f.cb_unit_id = rq->user.unit_id;
		break;
	case ROLE_ENTERPRISE:
		if (f.enterprise_id && f.enterprise_id != rq->user.enterprise_id)
			f.enterprise_id = -1;
		else
			f.enterprise_id = rq->user.enterprise_id ? rq->user.enterprise_id : -1;
		f.onsite_submitted_only = 1;
		break;
	default:
		break;
	}
	int64_t total = 0;
	json_t *items = diag_list(rq->db, &f, &total);
	size_t i;
	json_t *d;
	json_array_foreach(items, i, d) {
		json_t *sc = json_object_get(d, "stored_scores");
		json_object_set(d, "scores", json_is_object(sc) ? sc : json_null());
		json_object_del(d, "stored_scores");
	}
	reply_page(rq, items, total, &pg);
}

void api_diagnoses_create(struct request *rq)
{
	static const char *const keys[] = {"kind", "visit_date", "team", "checklist_id", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t ent = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi.id, ent, &district, &cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = ent};
	if (rc <= 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	char kind[16], visit[16], team[808];
	int64_t checklist_id = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "kind", true, 10, kind, sizeof(kind), "诊断类型") &&
		  string_field_or_reply(rq, body, "visit_date", true, 10, visit, sizeof(visit), "诊断日期") &&
		  string_field_or_reply(rq, body, "team", false, 200, team, sizeof(team), "诊断组成员") &&
		  int_field_or_reply(rq, body, "checklist_id", false, 0, &checklist_id, "检查表");
	json_decref(body);
	if (!ok)
		return;
	bool self = !strcmp(kind, "self");
	if (!self && strcmp(kind, "onsite")) {
		reply_invalid(rq, "kind", "诊断类型只能是 onsite（现场诊断）或 self（自我评价）");
		return;
	}
	if (self ? rq->user.role != ROLE_ENTERPRISE : rq->user.role != ROLE_CB_STAFF) {
		reply_forbidden(rq);
		return;
	}
	if (!self && cb != rq->user.unit_id) {
		reply_not_found(rq);
		return;
	}
	int32_t vd = 0;
	if (!date_parse(visit, &vd)) {
		reply_invalid(rq, "visit_date", "日期格式应为 YYYY-MM-DD");
		return;
	}
	if (vd > app_today(rq->app)) {
		reply_invalid(rq, "visit_date", "诊断日期不能晚于今天");
		return;
	}
	if (!self && !team[0]) {
		reply_invalid(rq, "team", "请填写诊断组成员");
		return;
	}
	if (!checklist_id)
		checklist_id = checklist_newest(rq->db, CHECKLIST_DEFAULT);
	if (checklist_id <= 0 || !checklist_cached(rq->db, checklist_id)) {
		reply_invalid(rq, "checklist_id", "检查表不存在");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	if (diag_draft_of(rq->db, ent, kind) > 0) {
		db_rollback(rq->db);
		reply_error(rq, 409, "conflict", self ? "已有一份未提交的自我评价，请先完成它" :
			    "该企业已有一份未提交的现场诊断，请先完成它", NULL);
		return;
	}
	int round = self ? 1 : diag_onsite_count(rq->db, ent) + 1;
	int64_t id = diag_insert(rq->db, pi.id, ent, self ? 0 : rq->user.unit_id, kind, round, checklist_id,
				 visit, team, rq->user.username);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", self ? "已有一份未提交的自我评价，请先完成它" :
				    "该企业已有一份未提交的现场诊断，请先完成它", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "diagnosis.create", "diagnosis", id, json_pack("{s:s,s:I,s:i}", "kind", kind,
		"enterprise_id", (json_int_t)ent, "round", round));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	struct diag_row r;
	diag_row_get(rq->db, id, &r);
	reply_json(rq, 201, diag_full(rq, &r, checklist_cached(rq->db, checklist_id)));
}

void api_diagnoses_get(struct request *rq)
{
	struct diag_row r;
	if (!visible_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
	if (!cl)
		return;
	json_t *d = diag_full(rq, &r, cl);
	if (!d) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, d);
}

void api_diagnoses_update(struct request *rq)
{
	static const char *const keys[] = {"visit_date", "team", "summary", NULL};
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	json_t *cur = diag_get(rq->db, r.id);
	char visit[16], team[808], summary[16008];
	snprintf(visit, sizeof(visit), "%s", json_string_value(json_object_get(cur, "visit_date")));
	snprintf(team, sizeof(team), "%s", json_string_value(json_object_get(cur, "team")));
	snprintf(summary, sizeof(summary), "%s", json_string_value(json_object_get(cur, "summary")));
	json_decref(cur);
	json_t *body = body_object_or_reply(rq);
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  (!json_object_get(body, "visit_date") ||
		   string_field_or_reply(rq, body, "visit_date", true, 10, visit, sizeof(visit), "诊断日期")) &&
		  (!json_object_get(body, "team") ||
		   string_field_or_reply(rq, body, "team", false, 200, team, sizeof(team), "诊断组成员")) &&
		  (!json_object_get(body, "summary") ||
		   string_field_or_reply(rq, body, "summary", false, 4000, summary, sizeof(summary), "诊断结论"));
	json_decref(body);
	if (!ok)
		return;
	int32_t vd = 0;
	if (!date_parse(visit, &vd) || vd > app_today(rq->app)) {
		reply_invalid(rq, "visit_date", vd ? "诊断日期不能晚于今天" : "日期格式应为 YYYY-MM-DD");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || diag_update(rq->db, r.id, visit, team, summary)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "diagnosis.update", "diagnosis", r.id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, diag_full(rq, &r, checklist_cached(rq->db, r.checklist_id)));
}

/* ---- Answers ---- */

static bool same_answer(json_t *stored, const struct answer_in *in)
{
	json_t *sc = json_object_get(stored, "score");
	int score = json_is_integer(sc) ? (int)json_integer_value(sc) : 0;
	return score == in->score && json_is_true(json_object_get(stored, "na")) == in->na &&
	       !strcmp(json_string_value(json_object_get(stored, "finding")), in->finding) &&
	       !strcmp(json_string_value(json_object_get(stored, "kind")), in->kind);
}

/* Item of the diagnosis's checklist from the path, or 422. */
static const struct cl_item *item_or_reply(struct request *rq, const struct checklist *cl)
{
	const struct cl_item *it = checklist_item(cl, route_param_id(&rq->params, "item_id"));
	if (!it)
		reply_invalid(rq, "item_id", "该检查项不属于本诊断所用的检查表版本");
	return it;
}

/* The answer just written (or cleared) with the progress and scores computed in its transaction. */
static void reply_answer(struct request *rq, const struct diag_row *r, const struct checklist *cl,
			 int64_t item_id, const struct diag_scores *s)
{
	json_t *a = diag_answer_get(rq->db, r->id, item_id);
	reply_json(rq, 200, json_pack("{s:o,s:o,s:o}", "answer", a ? a : json_null(),
				      "progress", progress_json(s), "scores", scores_to_json(cl, s)));
}

/* After a write: refresh the answered count and commit, then reply. */
static void finish_answer(struct request *rq, const struct diag_row *r, const struct checklist *cl, int64_t item_id)
{
	struct diag_scores s;
	if (compute_scores(rq, cl, r->id, &s) || diag_touch(rq->db, r->id, s.answered) || db_commit(rq->db) != DB_OK) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	reply_answer(rq, r, cl, item_id, &s);
}

void api_diagnoses_put_answer(struct request *rq)
{
	static const char *const keys[] = {"score", "na", "finding", "kind", "version", NULL};
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
	const struct cl_item *it = cl ? item_or_reply(rq, cl) : NULL;
	if (!it)
		return;
	json_t *body = body_object_or_reply(rq);
	struct answer_in in;
	memset(&in, 0, sizeof(in));
	int64_t score = 0, version = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "score", false, 0, &score, "评分") &&
		  int_field_or_reply(rq, body, "version", false, 0, &version, "版本号") &&
		  string_field_or_reply(rq, body, "finding", false, 2000, in.finding, sizeof(in.finding), "发现的问题") &&
		  string_field_or_reply(rq, body, "kind", false, 12, in.kind, sizeof(in.kind), "问题类型");
	json_t *na = body ? json_object_get(body, "na") : NULL;
	if (ok && na && !json_is_null(na) && !json_is_boolean(na)) {
		reply_error(rq, 400, "bad_type", "na 应为 true 或 false", "na");
		ok = false;
	}
	in.na = json_is_true(na);
	json_t *scv = body ? json_object_get(body, "score") : NULL;
	bool score_given = scv && !json_is_null(scv);
	json_decref(body);
	if (!ok)
		return;
	if (score_given && (score < 1 || score > 5)) {
		reply_invalid(rq, "score", "评分应为 1–5 的整数");
		return;
	}
	if (in.na && score_given) {
		reply_invalid(rq, "score", "标为“不适用”的检查项不能同时评分");
		return;
	}
	in.score = (int)score;
	if (!finding_kind_label(in.kind)) {
		reply_invalid(rq, "kind", "问题类型只能是 blockage（堵点）、pain（痛点）、difficulty（难点）或留空");
		return;
	}
	if (version < 0) {
		reply_invalid(rq, "version", "版本号无效");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t v = diag_answer_put(rq->db, r.id, it->id, &in, version, rq->user.username);
	if (v < 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	if (v == 0) {
		json_t *cur = diag_answer_get(rq->db, r.id, it->id);
		db_rollback(rq->db);
		if (cur && same_answer(cur, &in)) {
			/* A resend of what is already stored (the first reply was lost). */
			struct diag_scores s;
			json_decref(cur);
			compute_scores(rq, cl, r.id, &s);
			reply_answer(rq, &r, cl, it->id, &s);
			return;
		}
		json_t *err = json_pack("{s:{s:s,s:s,s:s},s:o}", "error", "code", "version_conflict",
			"message", "该检查项已被他人修改，请查看最新内容后再保存", "field", "version",
			"current", cur ? cur : json_null());
		reply_json(rq, 409, err);
		return;
	}
	finish_answer(rq, &r, cl, it->id);
}

void api_diagnoses_delete_answer(struct request *rq)
{
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
	const struct cl_item *it = cl ? item_or_reply(rq, cl) : NULL;
	if (!it)
		return;
	if (db_begin(rq->db, true) != DB_OK || diag_answer_delete(rq->db, r.id, it->id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	finish_answer(rq, &r, cl, it->id);
}

/* ---- Evidence ---- */

void api_diagnoses_put_file(struct request *rq)
{
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	int64_t item_id = 0;
	const char *item = query_get(rq, "item_id");
	if (item) {
		const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
		if (!cl)
			return;
		item_id = strtoll(item, NULL, 10);
		if (!checklist_item(cl, item_id)) {
			reply_invalid(rq, "item_id", "该检查项不属于本诊断所用的检查表版本");
			return;
		}
	}
	if (!rq->body || !rq->body_len) {
		reply_invalid(rq, "file", "上传的文件为空");
		return;
	}
	char name[400];
	filename_clean(query_get(rq, "filename"), name, sizeof(name));
	const char *type = filetype_sniff(rq->body, rq->body_len);
	if (!type) {
		reply_error(rq, 415, "unsupported_media_type", "证据只能是 JPEG、PNG 图片或 PDF 文件（按文件内容识别）", "file");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t fid = files_insert(rq->db, type, name, rq->body, rq->body_len, rq->user.user_id);
	if (fid <= 0 || diag_file_add(rq->db, r.id, item_id, fid) <= 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "diagnosis.evidence", "diagnosis", r.id, json_pack("{s:s,s:I}", "filename", name,
		"size", (json_int_t)rq->body_len));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *files = diag_files(rq->db, r.id), *f, *out = NULL;
	size_t i;
	json_array_foreach(files, i, f)
		if (json_integer_value(json_object_get(f, "id")) == fid)
			out = json_incref(f);
	json_decref(files);
	reply_json(rq, 201, out ? out : json_object());
}

void api_diagnoses_get_file(struct request *rq)
{
	struct diag_row r;
	if (!visible_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	int64_t fid = route_param_id(&rq->params, "file_id");
	struct file_blob fb;
	if (!diag_has_file(rq->db, r.id, fid) || files_get(rq->db, fid, &fb) != 1) {
		reply_not_found(rq);
		return;
	}
	/* Images inline (thumbnails); other files as downloads. */
	bool image = !strncmp(fb.content_type, "image/", 6);
	reply_bytes(rq, 200, fb.content_type, fb.data, fb.size, image ? NULL : fb.filename);
	free(fb.data);
}

void api_diagnoses_delete_file(struct request *rq)
{
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	int64_t fid = route_param_id(&rq->params, "file_id");
	if (!diag_has_file(rq->db, r.id, fid)) {
		reply_not_found(rq);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || diag_file_delete(rq->db, r.id, fid)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "diagnosis.evidence_delete", "diagnosis", r.id, json_pack("{s:I}", "file_id", (json_int_t)fid));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}

/* ---- Submit ---- */

void api_diagnoses_submit(struct request *rq)
{
	struct diag_row r;
	if (!editable_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
	if (!cl)
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	struct diag_scores s;
	json_t *sc = scores_json(rq, cl, r.id, &s);
	if (s.answered < s.items) {
		db_rollback(rq->db);
		json_decref(sc);
		char msg[200];
		snprintf(msg, sizeof(msg), "还有 %d 个检查项未回答（评分或标为不适用），全部回答后才能提交",
			 s.items - s.answered);
		reply_invalid(rq, "answers", msg);
		return;
	}
	char *text = json_dumps(sc, JSON_COMPACT);
	int rc = diag_submit(rq->db, r.id, &s, text);
	free(text);
	json_decref(sc);
	if (rc <= 0) {
		db_rollback(rq->db);
		if (rc == 0)
			reply_error(rq, 409, "locked", "该诊断已提交", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "diagnosis.submit", "diagnosis", r.id, json_pack("{s:o}", "overall",
		s.has_overall ? json_real(s.overall) : json_null()));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	snprintf(r.status, sizeof(r.status), "submitted");
	reply_json(rq, 200, diag_full(rq, &r, cl));
}

/* ======================== Before / after ======================== */

static json_t *indicator_changes(struct request *rq, int64_t ent)
{
	return ent_indicator_changes(rq->db, ent, false);
}

/* Scores of a submitted diagnosis: {diagnosis_id, visit_date, round, overall, sections}. */
static json_t *snapshot(struct request *rq, int64_t id)
{
	struct diag_row r;
	const struct checklist *cl;
	if (id <= 0 || diag_row_get(rq->db, id, &r) != 1 || !(cl = checklist_cached(rq->db, r.checklist_id)))
		return NULL;
	struct diag_scores s;
	json_t *sc = scores_json(rq, cl, id, &s);
	json_t *d = diag_get(rq->db, id);
	json_t *out = json_pack("{s:I,s:O,s:i,s:O,s:O}", "diagnosis_id", (json_int_t)id,
				"visit_date", json_object_get(d, "visit_date"), "round", r.round,
				"overall", json_object_get(sc, "overall"), "sections", json_object_get(sc, "sections"));
	json_decref(sc);
	json_decref(d);
	return out;
}

static json_t *change_of(json_t *before, json_t *after)
{
	if (!json_is_number(before) || !json_is_number(after))
		return json_null();
	return json_real(diag_round1(json_number_value(after) - json_number_value(before)));
}

/* The improvement of an enterprise (first vs latest submitted on-site diagnosis). */
static json_t *improvement_json(struct request *rq, int64_t ent)
{
	int64_t first_id = diag_first_submitted(rq->db, ent);
	int64_t last_id = diag_latest_submitted(rq->db, ent, "onsite", 0);
	json_t *first = snapshot(rq, first_id);
	json_t *latest = last_id != first_id ? snapshot(rq, last_id) : NULL;
	json_t *secs = json_array();
	json_t *fs = json_object_get(first, "sections");
	size_t i, j;
	json_t *s, *t;
	json_array_foreach(fs, i, s) {
		json_t *after = json_null();
		json_array_foreach(json_object_get(latest, "sections"), j, t)
			if (json_equal(json_object_get(s, "clause"), json_object_get(t, "clause")))
				after = json_object_get(t, "score");
		json_t *before = json_object_get(s, "score");
		json_array_append_new(secs, json_pack("{s:O,s:O,s:O,s:O,s:o}", "clause", json_object_get(s, "clause"),
			"title", json_object_get(s, "title"), "before", before, "after", after,
			"change", change_of(before, after)));
	}
	json_t *ob = json_object_get(first, "overall"), *oa = latest ? json_object_get(latest, "overall") : json_null();
	json_t *overall = json_pack("{s:O,s:O,s:o}", "before", ob ? ob : json_null(), "after", oa ? oa : json_null(),
				    "change", change_of(ob, oa));
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "first", first ? first : json_null(),
			 "latest", latest ? latest : json_null(), "sections", secs, "overall", overall,
			 "indicators", indicator_changes(rq, ent));
}

void api_enterprises_improvement(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t ent = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi.id, ent, &district, &cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = ent};
	if (rc <= 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return;
	}
	reply_json(rq, 200, improvement_json(rq, ent));
}

/* ======================== The PDF report ======================== */

static const char *str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double num_of(json_t *v, bool *has)
{
	*has = json_is_number(v);
	return *has ? json_number_value(v) : 0;
}

static void fmt_indicator(json_t *v, char *out, size_t n)
{
	if (json_is_number(v))
		snprintf(out, n, "%.2f", json_number_value(v));
	else
		snprintf(out, n, "%s", "");
}

void api_diagnoses_pdf(struct request *rq)
{
	struct diag_row r;
	if (!visible_or_reply(rq, route_param_id(&rq->params, "id"), &r))
		return;
	const struct checklist *cl = checklist_or_reply(rq, r.checklist_id);
	if (!cl)
		return;
	json_t *d = diag_full(rq, &r, cl);
	if (!d) {
		reply_db_error(rq);
		return;
	}
	struct programme_info pi;
	bool have_pi = programme_info_current(rq->db, &pi) == 1;
	json_t *ent = json_object_get(d, "enterprise"), *cb = json_object_get(d, "cb");
	json_t *secs = json_object_get(json_object_get(d, "scores"), "sections");
	json_t *prev = json_object_get(d, "previous"), *self = json_object_get(d, "self");
	int nc = (int)json_array_size(secs);
	struct diag_print_clause *clauses = xcalloc((size_t)nc + 1, sizeof(*clauses));
	size_t i, j;
	json_t *s, *t;
	json_array_foreach(secs, i, s) {
		struct diag_print_clause *c = &clauses[i];
		c->clause = str_of(s, "clause");
		c->title = str_of(s, "title");
		c->items = (int)json_integer_value(json_object_get(s, "items"));
		c->answered = (int)json_integer_value(json_object_get(s, "answered"));
		c->na = (int)json_integer_value(json_object_get(s, "na"));
		c->score = num_of(json_object_get(s, "score"), &c->has_score);
		json_array_foreach(json_object_get(prev, "sections"), j, t)
			if (!strcmp(str_of(t, "clause"), c->clause))
				c->before = num_of(json_object_get(t, "score"), &c->has_before);
		json_array_foreach(json_object_get(self, "sections"), j, t)
			if (!strcmp(str_of(t, "clause"), c->clause))
				c->self = num_of(json_object_get(t, "score"), &c->has_self);
	}
	/* Findings in checklist order. */
	json_t *answers = json_object_get(d, "answers");
	struct diag_print_finding *findings = xcalloc(json_array_size(answers) + 1, sizeof(*findings));
	int nf = 0;
	for (int k = 0; k < cl->n_items; k++) {
		json_t *a;
		json_array_foreach(answers, j, a) {
			if (json_integer_value(json_object_get(a, "item_id")) != cl->items[k].id)
				continue;
			if (!*str_of(a, "finding"))
				break;
			struct diag_print_finding *f = &findings[nf++];
			f->kind = str_of(a, "kind");
			f->item_key = cl->items[k].key;
			f->item_text = cl->items[k].text;
			f->score = json_is_true(json_object_get(a, "na")) ? -1
				   : (int)json_integer_value(json_object_get(a, "score"));
			f->finding = str_of(a, "finding");
			break;
		}
	}
	json_t *files = json_object_get(d, "files");
	struct diag_print_evidence *ev = xcalloc(json_array_size(files) + 1, sizeof(*ev));
	json_array_foreach(files, i, s) {
		ev[i].item_key = str_of(s, "item_key");
		ev[i].filename = str_of(s, "filename");
		ev[i].content_type = str_of(s, "content_type");
		ev[i].size = (long)json_integer_value(json_object_get(s, "size"));
	}
	json_t *inds = r.round > 1 ? indicator_changes(rq, r.enterprise_id) : json_array();
	int ni = (int)json_array_size(inds);
	struct diag_print_indicator *pind = xcalloc((size_t)ni + 1, sizeof(*pind));
	char (*vals)[3][32] = xcalloc((size_t)ni + 1, sizeof(*vals));
	char (*labels)[64] = xcalloc((size_t)ni + 1, sizeof(*labels));
	json_array_foreach(inds, i, s) {
		snprintf(labels[i], sizeof(labels[i]), "%s（%s）", str_of(s, "label"), str_of(s, "unit"));
		fmt_indicator(json_object_get(s, "baseline"), vals[i][0], sizeof(vals[i][0]));
		fmt_indicator(json_object_get(s, "followup"), vals[i][1], sizeof(vals[i][1]));
		json_t *ch = json_object_get(s, "change");
		if (json_is_number(ch))
			snprintf(vals[i][2], sizeof(vals[i][2]), "%+.2f", json_number_value(ch));
		pind[i] = (struct diag_print_indicator){labels[i], vals[i][0], vals[i][1], vals[i][2]};
	}
	char today[11], status[160];
	date_format(app_today(rq->app), today);
	char submitted[11];
	date_of_rfc3339_shanghai(json_string_value(json_object_get(d, "submitted_at")), submitted);
	snprintf(status, sizeof(status), "状态：%s%s%s", str_of(d, "status_name"), *submitted ? " " : "", submitted);
	struct diag_print p = {
		.title = r.round > 1 ? "再评估报告" : !strcmp(r.kind, "self") ? "自我评价报告" : "问题诊断报告",
		.programme_name = have_pi ? pi.name : "",
		.enterprise = str_of(ent, "name"), .uscc = str_of(ent, "uscc"), .district = str_of(ent, "district"),
		.industry = str_of(ent, "industry"), .cb_name = str_of(cb, "name"),
		.team = str_of(d, "team"), .visit_date = str_of(d, "visit_date"), .checklist_title = cl->title,
		.summary = str_of(d, "summary"), .round = r.round,
		.clauses = clauses, .n_clauses = nc, .findings = findings, .n_findings = nf,
		.evidence = ev, .n_evidence = (int)json_array_size(files), .indicators = pind, .n_indicators = ni,
		.status_line = status, .printed_on = today,
	};
	p.overall = num_of(json_object_get(json_object_get(d, "scores"), "overall"), &p.has_overall);
	p.overall_before = num_of(json_object_get(prev, "overall"), &p.has_overall_before);
	struct sbuf pdf = {0};
	char err[200], fname[400];
	int rc = render_diagnosis_pdf(&p, &pdf, err, sizeof(err));
	snprintf(fname, sizeof(fname), "%s-%s.pdf", p.title, p.enterprise);
	if (rc)
		reply_error(rq, 503, "unavailable", "无法生成报告", NULL);
	else
		reply_bytes(rq, 200, "application/pdf", pdf.buf, pdf.len, fname);
	sbuf_free(&pdf);
	free(clauses);
	free(findings);
	free(ev);
	free(pind);
	free(vals);
	free(labels);
	json_decref(inds);
	json_decref(d);
}
