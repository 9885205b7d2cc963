/*
 * workplans.c - the district work plan (试点工作方案): draft, submit by the
 * programme's deadline, return, approve, versions. The rules (1-2 focus
 * industries, at least 5 pilot enterprises each, only selected bodies) are
 * in core/workplan.c; this file feeds them the facts from the database.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/declaration.h"
#include "../core/workplan.h"
#include "../http/jsonin.h"
#include "../store/audit.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/programmes.h"
#include "../store/workplans.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *wp_status_label(const char *s)
{
	if (!strcmp(s, "approved"))
		return "已通过";
	return decl_status_label(s);
}

/* ---- Parsing ---- */

static bool ids_or_reply(struct request *rq, json_t *arr, const char *field, int64_t *out, int max,
			 int *n)
{
	*n = 0;
	if (!arr || json_is_null(arr))
		return true;
	if (!json_is_array(arr)) {
		reply_error(rq, 400, "bad_type", "应为编号数组", field);
		return false;
	}
	if ((int)json_array_size(arr) > max) {
		reply_invalid(rq, field, "名单过长");
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			reply_error(rq, 400, "bad_type", "应为正整数编号", field);
			return false;
		}
		out[(*n)++] = json_integer_value(v);
	}
	return true;
}

/* Body {"content":{industries, steps, summary}} into p; replies on bad input. */
static bool plan_or_reply(struct request *rq, struct wp_plan *p)
{
	static const char *const top[] = {"content", NULL};
	static const char *const keys[] = {"industries", "steps", "summary", NULL};
	static const char *const ikeys[] = {"industry", "enterprise_ids", "cb_unit_ids", NULL};
	static const char *const skeys[] = {"title", "start", "end", "description", NULL};
	memset(p, 0, sizeof(*p));
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	struct field_error e;
	json_t *c = json_object_get(body, "content");
	bool ok = known_fields_or_reply(rq, body, top);
	if (ok && (!c || json_is_null(c))) {
		reply_invalid(rq, "content", "请填写工作方案内容");
		ok = false;
	} else if (ok && !json_is_object(c)) {
		reply_error(rq, 400, "bad_type", "content 必须是对象", "content");
		ok = false;
	}
	ok = ok && known_fields_or_reply(rq, c, keys) &&
	     (json_get_string(c, "summary", false, 2000, p->summary, sizeof(p->summary), "工作概述", &e) ||
	      (reply_error(rq, e.status, e.code, e.message, e.field), false));
	json_t *inds = ok ? json_object_get(c, "industries") : NULL, *steps = ok ? json_object_get(c, "steps") : NULL;
	if (ok && ((inds && !json_is_array(inds)) || (steps && !json_is_array(steps)))) {
		reply_error(rq, 400, "bad_type", "industries 和 steps 必须是数组", inds && !json_is_array(inds) ? "industries" : "steps");
		ok = false;
	}
	if (ok && (json_array_size(inds) > WP_MAX_INDUSTRIES || json_array_size(steps) > WP_MAX_STEPS)) {
		reply_invalid(rq, json_array_size(inds) > WP_MAX_INDUSTRIES ? "industries" : "steps", "条目过多");
		ok = false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ok ? inds : NULL, i, v) {
		struct wp_industry *in = &p->industries[p->n_industries++];
		if (!json_is_object(v) || !json_check_known(v, ikeys, &e) ||
		    !json_get_string(v, "industry", true, 20, in->name, sizeof(in->name), "试点行业", &e)) {
			reply_error(rq, json_is_object(v) ? e.status : 400, json_is_object(v) ? e.code : "bad_type",
				    json_is_object(v) ? e.message : "试点行业条目必须是对象", "industries");
			ok = false;
			break;
		}
		if (!ids_or_reply(rq, json_object_get(v, "enterprise_ids"), "enterprises", in->enterprises,
				  WP_MAX_ENTERPRISES, &in->n_enterprises) ||
		    !ids_or_reply(rq, json_object_get(v, "cb_unit_ids"), "cbs", in->cbs, WP_MAX_CBS, &in->n_cbs)) {
			ok = false;
			break;
		}
	}
	json_array_foreach(ok ? steps : NULL, i, v) {
		struct wp_step *s = &p->steps[p->n_steps++];
		if (!json_is_object(v) || !json_check_known(v, skeys, &e) ||
		    !json_get_string(v, "title", false, 60, s->title, sizeof(s->title), "步骤名称", &e) ||
		    !json_get_string(v, "start", false, 10, s->start, sizeof(s->start), "开始日期", &e) ||
		    !json_get_string(v, "end", false, 10, s->end, sizeof(s->end), "结束日期", &e) ||
		    !json_get_string(v, "description", false, 300, s->description, sizeof(s->description), "步骤说明", &e)) {
			reply_error(rq, json_is_object(v) ? e.status : 400, json_is_object(v) ? e.code : "bad_type",
				    json_is_object(v) ? e.message : "实施步骤必须是对象", "steps");
			ok = false;
			break;
		}
	}
	json_decref(body);
	return ok;
}

static json_t *plan_json(const struct wp_plan *p)
{
	json_t *inds = json_array(), *steps = json_array();
	for (int i = 0; i < p->n_industries; i++) {
		json_t *e = json_array(), *c = json_array();
		for (int k = 0; k < p->industries[i].n_enterprises; k++)
			json_array_append_new(e, json_integer(p->industries[i].enterprises[k]));
		for (int k = 0; k < p->industries[i].n_cbs; k++)
			json_array_append_new(c, json_integer(p->industries[i].cbs[k]));
		json_array_append_new(inds, json_pack("{s:s,s:o,s:o}", "industry", p->industries[i].name,
						      "enterprise_ids", e, "cb_unit_ids", c));
	}
	for (int i = 0; i < p->n_steps; i++)
		json_array_append_new(steps, json_pack("{s:s,s:s,s:s,s:s}", "title", p->steps[i].title,
			"start", p->steps[i].start, "end", p->steps[i].end, "description", p->steps[i].description));
	return json_pack("{s:o,s:o,s:s}", "industries", inds, "steps", steps, "summary", p->summary);
}

static void plan_from_json(json_t *c, struct wp_plan *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->summary, sizeof(p->summary), "%s",
		 json_string_value(json_object_get(c, "summary")) ? json_string_value(json_object_get(c, "summary")) : "");
	size_t i, k;
	json_t *v, *x;
	json_array_foreach(json_object_get(c, "industries"), i, v) {
		if (p->n_industries == WP_MAX_INDUSTRIES)
			break;
		struct wp_industry *in = &p->industries[p->n_industries++];
		snprintf(in->name, sizeof(in->name), "%s", json_string_value(json_object_get(v, "industry")));
		json_array_foreach(json_object_get(v, "enterprise_ids"), k, x)
			if (in->n_enterprises < WP_MAX_ENTERPRISES)
				in->enterprises[in->n_enterprises++] = json_integer_value(x);
		json_array_foreach(json_object_get(v, "cb_unit_ids"), k, x)
			if (in->n_cbs < WP_MAX_CBS)
				in->cbs[in->n_cbs++] = json_integer_value(x);
	}
	json_array_foreach(json_object_get(c, "steps"), i, v) {
		if (p->n_steps == WP_MAX_STEPS)
			break;
		struct wp_step *s = &p->steps[p->n_steps++];
#define S(k) snprintf(s->k, sizeof(s->k), "%s", json_string_value(json_object_get(v, #k)) ? json_string_value(json_object_get(v, #k)) : "")
		S(title);
		S(start);
		S(end);
		S(description);
#undef S
	}
}

/* ---- The facts the rules need ---- */

struct rule_ctx {
	struct request *rq;
	int64_t programme_id, district_unit_id;
};

static bool enterprise_ok(void *ctx, int64_t id, const char *industry, char *why, size_t n)
{
	struct rule_ctx *c = ctx;
	struct wp_ent_fact f;
	if (wp_enterprise_fact(c->rq->db, id, &f) != 1 || f.district_unit_id != c->district_unit_id) {
		snprintf(why, n, "编号 %lld 不是本区已登记的企业", (long long)id);
		return false;
	}
	if (strcmp(f.industry, industry)) {
		snprintf(why, n, "%s 登记的试点行业是“%s”", f.name, f.industry);
		return false;
	}
	if (!f.consent) {
		snprintf(why, n, "%s 尚未确认自愿参加", f.name);
		return false;
	}
	if (strcmp(f.size_class, "micro") && strcmp(f.size_class, "small")) {
		snprintf(why, n, "%s 不是小微企业", f.name);
		return false;
	}
	return true;
}

static bool cb_selected(void *ctx, const char *industry, int64_t cb)
{
	struct rule_ctx *c = ctx;
	return selection_exists(c->rq->db, c->programme_id, industry, cb);
}

static bool validate_or_reply(struct request *rq, const struct wp_plan *p, bool for_submit,
			      const struct programme_info *pi, int64_t district)
{
	const char *cat[64];
	for (int i = 0; i < pi->n_industries; i++)
		cat[i] = pi->industries[i];
	struct rule_ctx ctx = {rq, pi->id, district};
	struct wp_rules r = {pi->min_industries, pi->max_industries, pi->min_enterprises, cat,
			     pi->n_industries, enterprise_ok, cb_selected, &ctx};
	struct wp_problem prob;
	if (wp_validate(p, for_submit, &r, &prob))
		return true;
	reply_invalid(rq, prob.field, prob.message);
	return false;
}

/* Names for display: enterprises and bodies of each industry, and targets. */
static void decorate(struct request *rq, json_t *w, const struct programme_info *pi, bool full)
{
	const char *st = json_string_value(json_object_get(w, "status"));
	json_object_set_new(w, "status_name", json_string(wp_status_label(st ? st : "")));
	char due[11];
	int32_t d;
	if (programme_deadline(rq->db, pi->id, "workplan", due) && date_parse(due, &d)) {
		int32_t today = app_today(rq->app);
		bool done = st && strcmp(st, "draft") && strcmp(st, "returned");
		json_object_set_new(w, "deadline", json_pack("{s:s,s:i,s:s}", "due", due, "days_left",
			(int)(d - today), "state", deadline_state_name(deadline_state(d, today, done))));
	}
	size_t i, k;
	json_t *in, *x;
	json_array_foreach(json_object_get(json_object_get(w, "content"), "industries"), i, in) {
		json_t *ids = json_object_get(in, "enterprise_ids");
		json_object_set_new(in, "target", json_integer(pi->min_enterprises));
		json_object_set_new(in, "count", json_integer((json_int_t)json_array_size(ids)));
		if (!full)
			continue;
		json_t *ents = json_array(), *cbs = json_array();
		json_array_foreach(ids, k, x) {
			struct wp_ent_fact f;
			if (wp_enterprise_fact(rq->db, json_integer_value(x), &f) == 1)
				json_array_append_new(ents, json_pack("{s:I,s:s,s:s,s:s}", "id",
					json_integer_value(x), "name", f.name, "uscc", f.uscc, "size_class", f.size_class));
		}
		json_array_foreach(json_object_get(in, "cb_unit_ids"), k, x) {
			json_t *u = units_get(rq->db, json_integer_value(x));
			if (u)
				json_array_append_new(cbs, json_pack("{s:O,s:O}", "id", json_object_get(u, "id"),
								     "name", json_object_get(u, "name")));
			json_decref(u);
		}
		json_object_set_new(in, "enterprises", ents);
		json_object_set_new(in, "cbs", cbs);
	}
}

static void reply_wp(struct request *rq, int status, int64_t id)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *w = wp_get(rq->db, id);
	if (!w) {
		reply_not_found(rq);
		return;
	}
	decorate(rq, w, &pi, true);
	json_object_set_new(w, "versions", wp_versions(rq->db, id));
	json_object_set_new(w, "history", audit_history(rq->db, "workplan", id));
	reply_json(rq, status, w);
}

static bool visible_or_reply(struct request *rq, struct wp_row *r)
{
	int rc = wp_row_get(rq->db, route_param_id(&rq->params, "id"), r);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	struct scope_ref ref = {.owner_unit_id = rc ? r->unit_id : -1, .district_unit_id = rc ? r->unit_id : -1};
	if (rc == 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

static bool editable_or_reply(struct request *rq, const struct wp_row *r)
{
	if (rq->user.role != ROLE_DISTRICT_OFFICER || rq->user.unit_id != r->unit_id) {
		reply_forbidden(rq);
		return false;
	}
	if (strcmp(r->status, "draft") && strcmp(r->status, "returned")) {
		reply_error(rq, 409, "conflict", !strcmp(r->status, "approved") ? "工作方案已通过审核，不能再修改"
			    : "工作方案已提交，等待审核期间不能修改或重复提交", NULL);
		return false;
	}
	return true;
}

/* Run one state change with its audit entry in a transaction, then reply. */
static void transition(struct request *rq, int64_t id, int rc_of_change, const char *action, json_t *detail)
{
	if (rc_of_change) {
		db_rollback(rq->db);
		json_decref(detail);
		reply_db_error(rq);
		return;
	}
	audit(rq, action, "workplan", id, detail);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_wp(rq, !strcmp(action, "workplan.create") ? 201 : 200, id);
}

/* ---- Handlers ---- */

void api_workplans_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi))
		return;
	const char *status = query_get(rq, "status");
	if (status && strcmp(status, "draft") && strcmp(status, "submitted") && strcmp(status, "returned") &&
	    strcmp(status, "approved")) {
		reply_invalid(rq, "status", "状态无效");
		return;
	}
	int64_t total = 0;
	json_t *items = wp_list(rq->db, pi.id, rq->user.role == ROLE_CITY_ADMIN ? 0 : rq->user.unit_id,
				status, pg.per_page, pg.offset, &total);
	size_t i;
	json_t *w;
	json_array_foreach(items, i, w)
		decorate(rq, w, &pi, false);
	reply_page(rq, items, total, &pg);
}

void api_workplans_mine(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t id = wp_id_for_unit(rq->db, pi.id, rq->user.unit_id);
	if (!id)
		reply_error(rq, 404, "not_found", "本区尚未编制工作方案", NULL);
	else
		reply_wp(rq, 200, id);
}

void api_workplans_get(struct request *rq)
{
	struct wp_row r;
	if (visible_or_reply(rq, &r))
		reply_wp(rq, 200, r.id);
}

static char *plan_text(const struct wp_plan *p)
{
	json_t *j = plan_json(p);
	char *t = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return t;
}

void api_workplans_create(struct request *rq)
{
	struct programme_info pi;
	struct wp_plan *p = xmalloc(sizeof(*p));
	if (!programme_or_reply(rq, &pi) || !plan_or_reply(rq, p) ||
	    !validate_or_reply(rq, p, false, &pi, rq->user.unit_id) || db_begin(rq->db, true) != DB_OK) {
		if (!rq->answered)
			reply_db_error(rq);
		free(p);
		return;
	}
	char *t = plan_text(p);
	free(p);
	int64_t id = wp_insert(rq->db, pi.id, rq->user.unit_id, t);
	free(t);
	if (id == 0) {
		db_rollback(rq->db);
		reply_error(rq, 409, "conflict", "本区已有工作方案，请在原方案上修改", NULL);
		return;
	}
	transition(rq, id, id < 0, "workplan.create", NULL);
}

void api_workplans_update(struct request *rq)
{
	struct programme_info pi;
	struct wp_row r;
	if (!visible_or_reply(rq, &r) || !editable_or_reply(rq, &r) || !programme_or_reply(rq, &pi))
		return;
	struct wp_plan *p = xmalloc(sizeof(*p));
	if (!plan_or_reply(rq, p) || !validate_or_reply(rq, p, false, &pi, r.unit_id) ||
	    db_begin(rq->db, true) != DB_OK) {
		if (!rq->answered)
			reply_db_error(rq);
		free(p);
		return;
	}
	char *t = plan_text(p);
	free(p);
	int rc = wp_update(rq->db, r.id, t);
	free(t);
	transition(rq, r.id, rc, "workplan.update", NULL);
}

void api_workplans_submit(struct request *rq)
{
	struct programme_info pi;
	struct wp_row r;
	if (!visible_or_reply(rq, &r) || !editable_or_reply(rq, &r) || !programme_or_reply(rq, &pi))
		return;
	json_t *w = wp_get(rq->db, r.id);
	struct wp_plan *p = xmalloc(sizeof(*p));
	plan_from_json(json_object_get(w, "content"), p);
	json_decref(w);
	bool ok = validate_or_reply(rq, p, true, &pi, r.unit_id);
	free(p);
	if (!ok)
		return;
	char due[11];
	int32_t d, today = app_today(rq->app);
	bool late = programme_deadline(rq->db, pi.id, "workplan", due) && date_parse(due, &d) && today > d;
	if (late && !pi.allow_late) {
		reply_error(rq, 409, "deadline_passed", "已超过工作方案报送截止日期，本项目不接受逾期提交", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	transition(rq, r.id, wp_submit(rq->db, r.id, late, rq->user.username), "workplan.submit",
		   json_pack("{s:i,s:b}", "version", r.version + 1, "late", late));
}

void api_workplans_return(struct request *rq)
{
	struct wp_row r;
	if (!visible_or_reply(rq, &r))
		return;
	char reason[2048];
	if (!return_reason_or_reply(rq, reason, sizeof(reason)))
		return;
	if (strcmp(r.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只有已提交的工作方案可以退回", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	transition(rq, r.id, wp_return(rq->db, r.id, reason), "workplan.return",
		   json_pack("{s:i,s:s}", "version", r.version, "reason", reason));
}

void api_workplans_approve(struct request *rq)
{
	struct wp_row r;
	if (!visible_or_reply(rq, &r))
		return;
	if (strcmp(r.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只有已提交的工作方案可以通过", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	transition(rq, r.id, wp_approve(rq->db, r.id), "workplan.approve", json_pack("{s:i}", "version", r.version));
}

void api_workplans_version(struct request *rq)
{
	struct wp_row r;
	if (!visible_or_reply(rq, &r))
		return;
	const char *vs = route_param(&rq->params, "version");
	char *end;
	long v = strtol(vs ? vs : "", &end, 10);
	json_t *ver = *end || v < 1 || v > 100000 ? NULL : wp_version_get(rq->db, r.id, (int)v);
	if (!ver)
		reply_not_found(rq);
	else
		reply_json(rq, 200, ver);
}
