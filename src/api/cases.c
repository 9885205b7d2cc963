/*
 * cases.c - typical cases (典型案例): a district drafts a case from one of its
 * enterprises' records (the facts are gathered for it: profile, body,
 * problems diagnosed, measures, before/after, certificate), writes the text
 * parts, submits; the city returns it with a reason or publishes it. A
 * published case is readable by every logged-in user and by the public
 * (without contacts, phones or the USCC); drafts stay with their district
 * and the city. Benchmark enterprises are in benchmarks.c.
 *
 * The facts are a snapshot taken when the case is drafted (or refreshed):
 * a published case keeps telling the story it was approved with, even when
 * the ledger moves on.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/cases.h"
#include "../http/jsonin.h"
#include "../store/audit.h"
#include "../store/cases.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Reading ======================== */

static void today_str(struct request *rq, char out[11])
{
	date_format(app_today(rq->app), out);
}

/* May the caller see the case as a working document (draft, history)? Its
 * district and the city only: an enterprise does not see the drafts about it. */
static bool is_owner_view(struct request *rq, const struct case_row *r)
{
	struct scope_ref ref = {.district_unit_id = r->district_unit_id};
	return scope_allows(&rq->user, &ref);
}

/* Load {id} when the caller may see it: published for every logged-in user,
 * otherwise its district and the city. 404 otherwise. */
static bool visible_or_reply(struct request *rq, struct case_row *r)
{
	int rc = case_row_get(rq->db, route_param_id(&rq->params, "id"), r);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	if (rc == 0 || (strcmp(r->status, "published") && !is_owner_view(rq, r))) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

static void decorate(json_t *c)
{
	enum case_status s = case_status_parse(json_string_value(json_object_get(c, "status")));
	json_object_set_new(c, "status_name", json_string(case_status_label(s)));
}

static void reply_case(struct request *rq, int status, int64_t id)
{
	json_t *c = case_get(rq->db, id);
	struct case_row r;
	if (!c || case_row_get(rq->db, id, &r) != 1) {
		json_decref(c);
		reply_not_found(rq);
		return;
	}
	decorate(c);
	if (is_owner_view(rq, &r))
		json_object_set_new(c, "history", audit_history(rq->db, "case", id));
	else
		json_object_del(c, "return_reason");
	reply_json(rq, status, c);
}

static bool filter_or_reply(struct request *rq, struct case_filter *f, const struct programme_info *pi)
{
	f->programme_id = pi->id;
	f->industry = query_get(rq, "industry");
	f->q = query_get(rq, "q");
	f->status = query_get(rq, "status");
	if (f->status && case_status_parse(f->status) == CASE_NONE) {
		reply_invalid(rq, "status", "状态只能是 draft、submitted、returned 或 published");
		return false;
	}
	const char *district = query_get(rq, "district");
	if (district && !(f->district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return false;
	}
	return true;
}

void api_cases_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	struct case_filter f = {0};
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi) || !filter_or_reply(rq, &f, &pi))
		return;
	f.all = rq->user.role == ROLE_CITY_ADMIN;
	f.own_district = rq->user.role == ROLE_DISTRICT_OFFICER ? rq->user.unit_id : 0;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = case_list(rq->db, &f, &total);
	size_t i;
	json_t *c;
	json_array_foreach(items, i, c)
		decorate(c);
	reply_page(rq, items, total, &pg);
}

void api_cases_get(struct request *rq)
{
	struct case_row r;
	if (visible_or_reply(rq, &r))
		reply_case(rq, 200, r.id);
}

/* ---- The public view: published cases, no contacts, phones or USCC ---- */

/* Copy the keys of `keys` (NULL-terminated) from src. */
static json_t *pick(json_t *src, const char *const *keys)
{
	json_t *out = json_object();
	for (; *keys; keys++) {
		json_t *v = json_object_get(src, *keys);
		json_object_set(out, *keys, v ? v : json_null());
	}
	return out;
}

static json_t *public_facts(json_t *facts)
{
	static const char *const fkeys[] = {"profile", "cb", "problems", "before_after", "certificate", "as_of", NULL};
	static const char *const mkeys[] = {"title", "detail", "method_name", "due_date", "status", "status_name",
					    "item_key", NULL};
	json_t *out = pick(facts, fkeys);
	json_t *ms = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(facts, "measures"), i, m)
		json_array_append_new(ms, pick(m, mkeys)); /* the owner (a named person) stays inside */
	json_object_set_new(out, "measures", ms);
	return out;
}

static json_t *public_case(json_t *c, bool full)
{
	static const char *const keys[] = {"id", "title", "district", "industry", "published_at", NULL};
	json_t *out = pick(c, keys);
	json_object_set_new(out, "enterprise", json_pack("{s:O}", "name",
		json_object_get(json_object_get(c, "enterprise"), "name")));
	if (full) {
		json_object_set_new(out, "facts", public_facts(json_object_get(c, "facts")));
		json_object_set(out, "texts", json_object_get(c, "texts"));
	} else {
		json_object_set(out, "summary", json_object_get(c, "summary"));
	}
	return out;
}

void api_public_cases_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	struct case_filter f = {0};
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi) || !filter_or_reply(rq, &f, &pi))
		return;
	f.status = "published";
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = case_list(rq->db, &f, &total), *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(items, i, c)
		json_array_append_new(out, public_case(c, false));
	json_decref(items);
	reply_page(rq, out, total, &pg);
}

void api_public_cases_get(struct request *rq)
{
	struct case_row r;
	json_t *c = NULL;
	if (case_row_get(rq->db, route_param_id(&rq->params, "id"), &r) != 1 || strcmp(r.status, "published") ||
	    !(c = case_get(rq->db, r.id))) {
		reply_not_found(rq);
		return;
	}
	reply_json(rq, 200, public_case(c, true));
	json_decref(c);
}

/* ======================== Writing ======================== */

/* The opening paragraph a draft starts with, from the facts. */
static char *default_summary(json_t *facts)
{
	json_t *p = json_object_get(facts, "profile"), *cb = json_object_get(facts, "cb");
	json_t *cert = json_object_get(facts, "certificate");
	json_t *ba = json_object_get(facts, "before_after");
	const char *park = json_string_value(json_object_get(p, "park"));
	struct sbuf sb = {0};
	sbuf_printf(&sb, "%s位于%s%s，属%s行业%s企业", json_string_value(json_object_get(p, "name")),
		    json_string_value(json_object_get(p, "district")), park ? park : "",
		    json_string_value(json_object_get(p, "industry")),
		    json_string_value(json_object_get(p, "size_class_name")));
	if (json_is_integer(json_object_get(p, "employees")))
		sbuf_printf(&sb, "，从业人员%lld人", (long long)json_integer_value(json_object_get(p, "employees")));
	sbuf_adds(&sb, "。作为小微企业质量管理体系认证提升行动试点企业");
	if (json_is_object(cb))
		sbuf_printf(&sb, "，由%s提供“一企一策”帮扶", json_string_value(json_object_get(cb, "name")));
	sbuf_adds(&sb, "。");
	size_t n = json_array_size(json_object_get(facts, "problems"));
	size_t m = json_array_size(json_object_get(facts, "measures"));
	if (n || m)
		sbuf_printf(&sb, "诊断发现堵点、痛点、难点问题%zu项，制定改进措施%zu项。", n, m);
	json_t *o = json_object_get(ba, "overall");
	if (json_is_number(json_object_get(o, "before")) && json_is_number(json_object_get(o, "after")))
		sbuf_printf(&sb, "体系诊断综合得分由%.1f分提升到%.1f分。", json_number_value(json_object_get(o, "before")),
			    json_number_value(json_object_get(o, "after")));
	if (json_is_object(cert))
		sbuf_printf(&sb, "%s获得%s颁发的质量管理体系认证证书（%s）。",
			    json_string_value(json_object_get(cert, "issue_date")),
			    json_string_value(json_object_get(cert, "issuer")),
			    json_string_value(json_object_get(cert, "number")));
	return sb.buf ? sb.buf : xstrdup("");
}

/* The stored content {facts, texts} as JSON text (caller frees). */
static char *content_text(json_t *facts, json_t *texts)
{
	json_t *c = json_pack("{s:O,s:O}", "facts", facts, "texts", texts);
	char *t = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return t;
}

void api_cases_create(struct request *rq)
{
	static const char *const keys[] = {"enterprise_id", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	int64_t ent = 0;
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "enterprise_id", true, 0, &ent, "企业");
	json_decref(body);
	if (!ok)
		return;
	int64_t district = 0, cb = 0;
	int rc = ent > 0 ? ent_scope(rq->db, pi.id, ent, &district, &cb) : 0;
	if (rc < 0) {
		reply_db_error(rq);
		return;
	}
	if (rc == 0 || district != rq->user.unit_id) {
		reply_invalid(rq, "enterprise_id", "请选择本区帮扶台账中的企业");
		return;
	}
	char today[11];
	today_str(rq, today);
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t have = case_id_for_enterprise(rq->db, pi.id, ent, false);
	json_t *facts = have ? NULL : case_facts(rq->db, pi.id, ent, today);
	if (have || !facts) {
		db_rollback(rq->db);
		if (have) {
			char msg[160];
			snprintf(msg, sizeof(msg), "该企业已有典型案例（编号 %lld），请在原案例上修改", (long long)have);
			reply_error(rq, 409, "conflict", msg, "enterprise_id");
		} else {
			reply_db_error(rq);
		}
		return;
	}
	char *summary = default_summary(facts);
	json_t *texts = json_object();
	for (int i = 0; i < CASE_N_TEXTS; i++)
		json_object_set_new(texts, case_text_key(i), json_string(i == 0 ? summary : ""));
	free(summary);
	char title[512];
	snprintf(title, sizeof(title), "%s：以质量管理体系认证提升质量管理水平",
		 json_string_value(json_object_get(json_object_get(facts, "profile"), "name")));
	char *content = content_text(facts, texts);
	json_decref(facts);
	json_decref(texts);
	int64_t id = case_insert(rq->db, pi.id, rq->user.unit_id, ent, title, content, rq->user.username);
	free(content);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "该企业已有典型案例，请在原案例上修改", "enterprise_id");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "case.create", "case", id, json_pack("{s:I}", "enterprise_id", (json_int_t)ent));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_case(rq, 201, id);
}

/* The district that owns the case, in a state that allows ev; replies 404 / 403 / 409. */
static bool allowed_or_reply(struct request *rq, const struct case_row *r, enum case_event ev)
{
	bool city_event = ev == CASE_EV_RETURN || ev == CASE_EV_PUBLISH;
	if (city_event ? rq->user.role != ROLE_CITY_ADMIN
		       : rq->user.role != ROLE_DISTRICT_OFFICER || rq->user.unit_id != r->district_unit_id) {
		reply_forbidden(rq);
		return false;
	}
	const char *why = NULL;
	if (case_next(case_status_parse(r->status), ev, &why) == CASE_NONE) {
		reply_error(rq, 409, "conflict", why, NULL);
		return false;
	}
	return true;
}

/* Commit a change made by rc_of_change (1 done, 0 the status moved meanwhile), audit it, reply. */
static void finish(struct request *rq, int64_t id, int rc_of_change, const char *action, json_t *detail)
{
	if (rc_of_change != 1) {
		db_rollback(rq->db);
		json_decref(detail);
		if (rc_of_change == 0)
			reply_error(rq, 409, "conflict", "案例状态已变化，请刷新后重试", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, action, "case", id, detail);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_case(rq, 200, id);
}

/* Read {"title","texts":{…}} over the stored title and texts; replies on bad input. */
static bool edit_or_reply(struct request *rq, char *title, size_t title_sz, json_t *texts)
{
	static const char *const keys[] = {"title", "texts", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	bool ok = known_fields_or_reply(rq, body, keys);
	json_t *t = json_object_get(body, "title");
	if (ok && t && !json_is_null(t))
		ok = string_field_or_reply(rq, body, "title", true, CASE_TITLE_MAX, title, title_sz, "案例标题");
	json_t *in = json_object_get(body, "texts");
	if (ok && in && !json_is_null(in) && !json_is_object(in)) {
		reply_error(rq, 400, "bad_type", "texts 必须是对象", "texts");
		ok = false;
	}
	const char *key;
	json_t *v;
	size_t bufsz = CASE_TEXT_MAX * 4 + 1;
	char *buf = xmalloc(bufsz);
	json_object_foreach(ok && json_is_object(in) ? in : NULL, key, v) {
		int i = case_text_index(key);
		struct field_error e;
		if (i < 0) {
			reply_error(rq, 400, "unknown_field", "未知的案例内容项", key);
			ok = false;
			break;
		}
		if (json_is_null(v))
			continue; /* null counts as absent: the stored text stays */
		if (!json_get_string(in, key, false, CASE_TEXT_MAX, buf, bufsz, case_text_label(i), &e)) {
			reply_error(rq, e.status, e.code, e.message, key);
			ok = false;
			break;
		}
		json_object_set_new(texts, key, json_string(buf));
	}
	free(buf);
	json_decref(body);
	return ok;
}

void api_cases_update(struct request *rq)
{
	struct case_row r;
	if (!visible_or_reply(rq, &r) || !allowed_or_reply(rq, &r, CASE_EV_EDIT))
		return;
	json_t *c = case_get(rq->db, r.id);
	if (!c) {
		reply_db_error(rq);
		return;
	}
	char title[CASE_TITLE_MAX * 4 + 1];
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(c, "title")));
	json_t *texts = json_deep_copy(json_object_get(c, "texts"));
	if (!edit_or_reply(rq, title, sizeof(title), texts) || db_begin(rq->db, true) != DB_OK) {
		if (!rq->answered)
			reply_db_error(rq);
		json_decref(texts);
		json_decref(c);
		return;
	}
	char *content = content_text(json_object_get(c, "facts"), texts);
	json_decref(texts);
	json_decref(c);
	int rc = case_update(rq->db, r.id, title, content);
	free(content);
	finish(rq, r.id, rc, "case.update", NULL);
}

/* Gather the facts again from the records (draft or returned). */
void api_cases_refresh(struct request *rq)
{
	struct programme_info pi;
	struct case_row r;
	if (!visible_or_reply(rq, &r) || !allowed_or_reply(rq, &r, CASE_EV_EDIT) || !programme_or_reply(rq, &pi))
		return;
	char today[11];
	today_str(rq, today);
	json_t *c = case_get(rq->db, r.id);
	json_t *facts = c ? case_facts(rq->db, r.programme_id, r.enterprise_id, today) : NULL;
	if (!facts || db_begin(rq->db, true) != DB_OK) {
		json_decref(facts);
		json_decref(c);
		reply_db_error(rq);
		return;
	}
	char *content = content_text(facts, json_object_get(c, "texts"));
	int rc = case_update(rq->db, r.id, json_string_value(json_object_get(c, "title")), content);
	free(content);
	json_decref(facts);
	json_decref(c);
	finish(rq, r.id, rc, "case.refresh", json_pack("{s:s}", "as_of", today));
}

void api_cases_submit(struct request *rq)
{
	struct case_row r;
	if (!visible_or_reply(rq, &r) || !allowed_or_reply(rq, &r, CASE_EV_SUBMIT))
		return;
	json_t *c = case_get(rq->db, r.id);
	if (!c) {
		reply_db_error(rq);
		return;
	}
	json_t *texts = json_object_get(c, "texts");
	const char *parts[CASE_N_TEXTS];
	for (int i = 0; i < CASE_N_TEXTS; i++)
		parts[i] = json_string_value(json_object_get(texts, case_text_key(i)));
	const char *missing = case_missing_for_submit(json_string_value(json_object_get(c, "title")), parts);
	if (missing) {
		int i = case_text_index(missing);
		char msg[160];
		snprintf(msg, sizeof(msg), "请填写%s后再提交", i >= 0 ? case_text_label(i) : "案例标题");
		reply_invalid(rq, missing, msg);
		json_decref(c);
		return;
	}
	json_decref(c);
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	finish(rq, r.id, case_transition(rq->db, r.id, r.status, "submitted", NULL), "case.submit", NULL);
}

void api_cases_return(struct request *rq)
{
	struct case_row r;
	char reason[2048];
	if (!visible_or_reply(rq, &r) || !return_reason_or_reply(rq, reason, sizeof(reason)) ||
	    !allowed_or_reply(rq, &r, CASE_EV_RETURN))
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	finish(rq, r.id, case_transition(rq->db, r.id, "submitted", "returned", reason), "case.return",
	       json_pack("{s:s}", "reason", reason));
}

void api_cases_publish(struct request *rq)
{
	struct case_row r;
	if (!visible_or_reply(rq, &r) || !allowed_or_reply(rq, &r, CASE_EV_PUBLISH))
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	finish(rq, r.id, case_transition(rq->db, r.id, "submitted", "published", NULL), "case.publish", NULL);
}

void api_cases_delete(struct request *rq)
{
	struct case_row r;
	if (!visible_or_reply(rq, &r) || !allowed_or_reply(rq, &r, CASE_EV_DELETE))
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = case_delete(rq->db, r.id);
	if (rc != 1) {
		db_rollback(rq->db);
		if (rc == 0)
			reply_error(rq, 409, "conflict", "案例已提交，不能删除", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "case.delete", "case", r.id, json_pack("{s:I}", "enterprise_id", (json_int_t)r.enterprise_id));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}
