/*
 * actions.c - the improvement plan (提升方案, 一企一策): actions (改进措施)
 * agreed from the findings, progress and evidence from the enterprise, and
 * the certification body's check of effectiveness before an action closes.
 * The state machine is in core/diagnosis.c; every change is a row in the
 * action's history and a version bump (stale edits answer 409).
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/diagnosis.h"
#include "../core/filetype.h"
#include "../http/jsonin.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/diagnoses.h"
#include "../store/enterprises.h"
#include "../store/programmes.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool may_see(const struct principal *u, const struct action_row *a)
{
	switch (u->role) {
	case ROLE_CITY_ADMIN:
		return true;
	case ROLE_DISTRICT_OFFICER:
		return u->unit_id == a->district_unit_id;
	case ROLE_CB_STAFF:
		return u->unit_id == a->assigned_cb; /* the body assigned now */
	case ROLE_ENTERPRISE:
		return u->enterprise_id == a->enterprise_id;
	default:
		return false;
	}
}

static bool is_body(const struct principal *u, const struct action_row *a)
{
	return u->role == ROLE_CB_STAFF && u->unit_id == a->assigned_cb;
}

static bool visible_or_reply(struct request *rq, struct action_row *a)
{
	int rc = action_row_get(rq->db, route_param_id(&rq->params, "id"), a);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	if (rc == 0 || !may_see(&rq->user, a)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

static void today_str(struct request *rq, char out[11])
{
	date_format(app_today(rq->app), out);
}

static void decorate(struct request *rq, json_t *a)
{
	int32_t due = 0;
	date_parse(json_string_value(json_object_get(a, "due_date")), &due);
	enum action_status s = action_status_parse(json_string_value(json_object_get(a, "status")));
	json_object_set_new(a, "overdue", json_boolean(action_overdue(s, due, app_today(rq->app))));
}

static void reply_action(struct request *rq, int status, int64_t id)
{
	json_t *a = action_get(rq->db, id, true);
	if (!a) {
		reply_db_error(rq);
		return;
	}
	decorate(rq, a);
	reply_json(rq, status, a);
}

/* ======================== Lists ======================== */

void api_actions_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	char today[11], week[11];
	today_str(rq, today);
	date_format(app_today(rq->app) + 7, week);
	struct action_filter f = {.today = today, .limit = pg.per_page, .offset = pg.offset};
	f.status = query_get(rq, "status");
	const char *ent = query_get(rq, "enterprise_id"), *district = query_get(rq, "district");
	const char *overdue = query_get(rq, "overdue"), *due = query_get(rq, "due"), *ready = query_get(rq, "ready");
	if (f.status && action_status_parse(f.status) == ACT_NONE) {
		reply_invalid(rq, "status", "状态只能是 open、in_progress、verified 或 closed");
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
	if (due && strcmp(due, "week")) {
		reply_invalid(rq, "due", "due 只能是 week");
		return;
	}
	f.overdue = overdue && !strcmp(overdue, "true");
	f.ready = ready && !strcmp(ready, "true");
	if (due)
		f.due_by = week;
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
		break;
	default:
		break;
	}
	int64_t total = 0;
	json_t *items = action_list(rq->db, &f, &total);
	size_t i;
	json_t *a;
	json_array_foreach(items, i, a)
		decorate(rq, a);
	json_t *counts = action_counts(rq->db, &f);
	reply_json(rq, 200, json_pack("{s:o,s:I,s:i,s:i,s:o}", "items", items, "total", (json_int_t)total,
				      "page", pg.page, "per_page", pg.per_page, "counts", counts));
}

void api_actions_get(struct request *rq)
{
	struct action_row a;
	if (visible_or_reply(rq, &a))
		reply_action(rq, 200, a.id);
}

/* ======================== Plan ======================== */

/* Parse and check the plan fields; ent is the enterprise the action is for. */
static bool fields_or_reply(struct request *rq, json_t *body, int64_t ent, struct action_fields *f)
{
	if (!string_field_or_reply(rq, body, "title", true, 100, f->title, sizeof(f->title), "措施名称") ||
	    !string_field_or_reply(rq, body, "detail", false, 2000, f->detail, sizeof(f->detail), "措施内容") ||
	    !string_field_or_reply(rq, body, "method", true, 30, f->method, sizeof(f->method), "方法工具") ||
	    !string_field_or_reply(rq, body, "owner", true, 50, f->owner, sizeof(f->owner), "责任人") ||
	    !string_field_or_reply(rq, body, "due_date", true, 10, f->due_date, sizeof(f->due_date), "完成期限") ||
	    !int_field_or_reply(rq, body, "diagnosis_id", false, 0, &f->diagnosis_id, "诊断") ||
	    !int_field_or_reply(rq, body, "item_id", false, 0, &f->item_id, "检查项"))
		return false;
	int32_t due;
	if (!action_method_label(f->method)) {
		reply_invalid(rq, "method", "请选择列表中的方法工具");
		return false;
	}
	if (!date_parse(f->due_date, &due)) {
		reply_invalid(rq, "due_date", "日期格式应为 YYYY-MM-DD");
		return false;
	}
	if (f->item_id && !f->diagnosis_id) {
		reply_invalid(rq, "diagnosis_id", "关联检查项时须同时指明诊断");
		return false;
	}
	if (f->diagnosis_id) {
		struct diag_row d;
		if (diag_row_get(rq->db, f->diagnosis_id, &d) != 1 || d.enterprise_id != ent || strcmp(d.kind, "onsite")) {
			reply_invalid(rq, "diagnosis_id", "关联的诊断不是该企业的现场诊断");
			return false;
		}
		const struct checklist *cl = checklist_cached(rq->db, d.checklist_id);
		if (f->item_id && (!cl || !checklist_item(cl, f->item_id))) {
			reply_invalid(rq, "item_id", "该检查项不属于关联诊断所用的检查表");
			return false;
		}
	}
	return true;
}

void api_actions_create(struct request *rq)
{
	static const char *const keys[] = {"title", "detail", "method", "owner", "due_date", "diagnosis_id", "item_id", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t ent = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi.id, ent, &district, &cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = ent};
	if (rc <= 0 || !scope_allows(&rq->user, &ref) ||
	    (rq->user.role == ROLE_CB_STAFF && cb != rq->user.unit_id)) {
		reply_not_found(rq);
		return;
	}
	if (rq->user.role != ROLE_CB_STAFF) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	struct action_fields *f = xcalloc(1, sizeof(*f));
	bool ok = body && known_fields_or_reply(rq, body, keys) && fields_or_reply(rq, body, ent, f);
	json_decref(body);
	int64_t id = 0;
	if (!ok)
		goto out;
	/* A new action cannot be due in the past (a typo, or an action that would be overdue the moment
	 * it is agreed); an existing one may be moved to any date, e.g. to record the agreed date. */
	int32_t due = 0, today = app_today(rq->app);
	if (date_parse(f->due_date, &due) && due < today) {
		char t[11], msg[96];
		date_format(today, t);
		snprintf(msg, sizeof(msg), "完成期限不能早于今天（%s）", t);
		reply_invalid(rq, "due_date", msg);
		goto out;
	}
	if (db_begin(rq->db, true) != DB_OK ||
	    (id = action_insert(rq->db, pi.id, ent, rq->user.unit_id, f, rq->user.username)) <= 0 ||
	    action_event(rq->db, id, "create", 0, f->title, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		goto out;
	}
	audit(rq, "action.create", "action", id, json_pack("{s:I,s:s}", "enterprise_id", (json_int_t)ent, "title", f->title));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		goto out;
	}
	reply_action(rq, 201, id);
out:
	free(f);
}

void api_actions_update(struct request *rq)
{
	static const char *const keys[] = {"title", "detail", "method", "owner", "due_date", "diagnosis_id",
					   "item_id", "version", NULL};
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	if (!is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	if (!strcmp(a.status, "closed")) {
		reply_error(rq, 409, "conflict", "措施已关闭，不能再修改；如需继续整改请先重新打开", NULL);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	struct action_fields *f = xcalloc(1, sizeof(*f));
	int64_t version = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "version", true, 0, &version, "版本号") &&
		  fields_or_reply(rq, body, a.enterprise_id, f);
	json_decref(body);
	if (!ok)
		goto out;
	int rc;
	if (db_begin(rq->db, true) != DB_OK || (rc = action_update(rq->db, a.id, version, f)) < 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		goto out;
	}
	if (rc == 0) {
		db_rollback(rq->db);
		reply_error(rq, 409, "version_conflict", "该措施已被他人修改，请刷新后再保存", "version");
		goto out;
	}
	action_event(rq->db, a.id, "update", -1, "修改了措施内容", rq->user.username);
	audit(rq, "action.update", "action", a.id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		goto out;
	}
	reply_action(rq, 200, a.id);
out:
	free(f);
}

/* ======================== State changes ======================== */

/* Apply ev to the action (already checked as visible and allowed); note goes to the history. */
static void transition(struct request *rq, struct action_row *a, enum action_event ev, const char *event,
		       int progress, const char *note)
{
	bool ready = false;
	const char *why = NULL;
	enum action_status next = action_next(action_status_parse(a->status), a->ready, ev, &ready, &why);
	if (next == ACT_NONE) {
		reply_error(rq, 409, "conflict", why ? why : "当前状态下不能进行该操作", NULL);
		return;
	}
	int rc;
	if (db_begin(rq->db, true) != DB_OK ||
	    (rc = action_set_state(rq->db, a->id, a->version, action_status_name(next), ready, progress,
				   progress >= 0 ? note : NULL)) < 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	if (rc == 0) {
		db_rollback(rq->db);
		reply_error(rq, 409, "version_conflict", "该措施刚被他人修改，请刷新后重试", NULL);
		return;
	}
	if (action_event(rq->db, a->id, event, progress, note, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	char act[48];
	snprintf(act, sizeof(act), "action.%s", event);
	audit(rq, act, "action", a->id, json_pack("{s:s}", "to", action_status_name(next)));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_action(rq, 200, a->id);
}

void api_actions_progress(struct request *rq)
{
	static const char *const keys[] = {"progress", "note", "done", NULL};
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	bool ent = rq->user.role == ROLE_ENTERPRISE;
	if (!ent && !is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	int64_t progress = 0;
	char note[8004];
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "progress", true, 0, &progress, "完成进度") &&
		  string_field_or_reply(rq, body, "note", false, 2000, note, sizeof(note), "进展说明");
	json_t *done = body ? json_object_get(body, "done") : NULL;
	if (ok && done && !json_is_null(done) && !json_is_boolean(done)) {
		reply_error(rq, 400, "bad_type", "done 应为 true 或 false", "done");
		ok = false;
	}
	bool is_done = json_is_true(done);
	json_decref(body);
	if (!ok)
		return;
	if (progress < 0 || progress > 100) {
		reply_invalid(rq, "progress", "完成进度应为 0–100");
		return;
	}
	if (is_done && progress != 100) {
		reply_invalid(rq, "progress", "申请验证时完成进度应为 100");
		return;
	}
	transition(rq, &a, is_done ? ACT_EV_COMPLETE : ACT_EV_PROGRESS, is_done ? "complete" : "progress",
		   (int)progress, note);
}

void api_actions_verify(struct request *rq)
{
	static const char *const keys[] = {"effective", "note", NULL};
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	if (!is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	char note[8004];
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "note", false, 2000, note, sizeof(note), "验证意见");
	json_t *eff = body ? json_object_get(body, "effective") : NULL;
	if (ok && !json_is_boolean(eff)) {
		if (!eff || json_is_null(eff))
			reply_invalid(rq, "effective", "请选择措施是否有效");
		else
			reply_error(rq, 400, "bad_type", "effective 应为 true 或 false", "effective");
		ok = false;
	}
	bool effective = json_is_true(eff);
	json_decref(body);
	if (!ok)
		return;
	if (!effective && !note[0]) {
		reply_invalid(rq, "note", "判定措施无效时请写明原因");
		return;
	}
	if (effective)
		transition(rq, &a, ACT_EV_VERIFY, "verify", -1, note);
	else
		transition(rq, &a, ACT_EV_REOPEN, "reject", -1, note);
}

void api_actions_close(struct request *rq)
{
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	if (!is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	transition(rq, &a, ACT_EV_CLOSE, "close", -1, "");
}

void api_actions_reopen(struct request *rq)
{
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	if (!is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	char reason[2048];
	if (!return_reason_or_reply(rq, reason, sizeof(reason)))
		return;
	transition(rq, &a, ACT_EV_REOPEN, "reopen", -1, reason);
}

/* ======================== Evidence ======================== */

void api_actions_put_file(struct request *rq)
{
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	if (rq->user.role != ROLE_ENTERPRISE && !is_body(&rq->user, &a)) {
		reply_forbidden(rq);
		return;
	}
	if (!strcmp(a.status, "closed")) {
		reply_error(rq, 409, "conflict", "措施已关闭，不能再上传证据", NULL);
		return;
	}
	if (!rq->body || !rq->body_len) {
		reply_invalid(rq, "file", "上传的文件为空");
		return;
	}
	char name[400];
	filename_clean(query_get(rq, "filename"), name, sizeof(name));
	const char *type = filetype_sniff(rq->body, rq->body_len);
	if (!type)
		type = filetype_sniff_document(rq->body, rq->body_len, name);
	if (!type) {
		reply_error(rq, 415, "unsupported_media_type",
			    "证据只能是 JPEG、PNG 图片或 PDF、Word、Excel 文件（按文件内容识别）", "file");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t fid = files_insert(rq->db, type, name, rq->body, rq->body_len, rq->user.user_id);
	if (fid <= 0 || action_file_add(rq->db, a.id, fid) ||
	    action_event(rq->db, a.id, "evidence", -1, name, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "action.evidence", "action", a.id, json_pack("{s:s}", "filename", name));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_action(rq, 201, a.id);
}

void api_actions_get_file(struct request *rq)
{
	struct action_row a;
	if (!visible_or_reply(rq, &a))
		return;
	int64_t fid = route_param_id(&rq->params, "file_id");
	struct file_blob fb;
	if (!action_has_file(rq->db, a.id, fid) || files_get(rq->db, fid, &fb) != 1) {
		reply_not_found(rq);
		return;
	}
	bool image = !strncmp(fb.content_type, "image/", 6);
	reply_bytes(rq, 200, fb.content_type, fb.data, fb.size, image ? NULL : fb.filename);
	free(fb.data);
}
