/*
 * reports.c - the deadline service as users see it (each unit's deadlines
 * and their state, the city's matrix), reminder settings and the reminders
 * sent, and the statutory reports (中期推进情况, 年度总结): pre-filled with the
 * unit's live figures, frozen at submission, reviewed by the city.
 *
 * The rules are core/deadline.c; the facts come from store/deadlines.c in a
 * few queries for all units at once; figures from store/reports.c.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/certificate.h"
#include "../core/deadline.h"
#include "../http/jsonin.h"
#include "../render/render.h"
#include "../store/certificates.h"
#include "../store/db.h"
#include "../store/deadlines.h"
#include "../store/declarations.h"
#include "../store/reports.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SURV_MAX 16

static void today_str(struct request *rq, char out[11])
{
	date_format(app_today(rq->app), out);
}

/* Where a unit does the thing a deadline asks for. */
static const char *deadline_link(const char *key)
{
	if (!strcmp(key, "declaration"))
		return "#/declaration";
	if (!strcmp(key, "workplan"))
		return "#/workplan";
	if (!strcmp(key, "midterm"))
		return "#/reports?kind=midterm";
	if (!strcmp(key, "annual"))
		return "#/reports?kind=annual";
	return "#/calendar";
}

static json_t *cell_json(const struct dl_deadline *d, const struct dl_unit *u, int k, int32_t today)
{
	enum dl_state s = dl_state(dl_applies(d->audience, u->is_district, u->pilot), d->due, u->done[k], today);
	char done[11] = "";
	if (u->done[k])
		date_format(u->done[k], done);
	return json_pack("{s:s,s:s,s:o}", "state", dl_state_name(s), "state_name", dl_state_label(s),
			 "done_at", done[0] ? json_string(done) : json_null());
}

/* The body's surveillance audits: how many are overdue and the next due date. */
static json_t *surveillance_extra(struct request *rq, int64_t cb, int32_t today)
{
	char t[11];
	date_format(today, t);
	struct cert_filter f = {.cb_unit_id = cb, .prior = -1, .today = t, .limit = 100000};
	int overdue = 0, soon = 0;
	int32_t next = 0;
	static const char *const live[] = {"valid", "suspended"};
	for (int k = 0; k < 2; k++) {
		int64_t total;
		f.status = live[k];
		json_t *items = cert_list(rq->db, &f, &total);
		size_t i;
		json_t *c;
		json_array_foreach(items, i, c) {
			int32_t issue = 0, expiry = 0, done[SURV_MAX];
			date_parse(json_string_value(json_object_get(c, "issue_date")), &issue);
			date_parse(json_string_value(json_object_get(c, "expiry_date")), &expiry);
			char dates[SURV_MAX][11];
			int n = surv_dates(rq->db, json_integer_value(json_object_get(c, "id")),
					   json_string_value(json_object_get(c, "issue_date")), dates, SURV_MAX);
			for (int j = 0; j < n; j++)
				date_parse(dates[j], &done[j]);
			struct cert_schedule s;
			cert_schedule(issue, expiry, done, n, today, &s);
			if (!s.next_due)
				continue;
			if (s.overdue)
				overdue++;
			else if (s.days_left < DL_DUE_SOON_DAYS)
				soon++;
			if (!next || s.next_due < next)
				next = s.next_due;
		}
		json_decref(items);
	}
	char nd[11] = "";
	if (next)
		date_format(next, nd);
	return json_pack("{s:s,s:s,s:i,s:i,s:o,s:s}", "key", "surveillance", "name", "监督审核", "overdue", overdue,
			 "due_soon", soon, "next_due", nd[0] ? json_string(nd) : json_null(), "link", "#/supervision");
}

static json_t *actions_extra(struct request *rq, int64_t district, int64_t cb, int64_t ent, int32_t today)
{
	char t[11], w[11];
	date_format(today, t);
	date_format(today + 7, w);
	struct dl_actions a;
	dl_actions_load(rq->db, district, cb, ent, t, w, &a);
	return json_pack("{s:s,s:s,s:I,s:I,s:o,s:s}", "key", "actions", "name", "改进措施",
			 "overdue", (json_int_t)a.overdue, "due_week", (json_int_t)a.due_week,
			 "next_due", a.next_due[0] ? json_string(a.next_due) : json_null(),
			 "link", a.overdue ? "#/actions?overdue=true" : "#/actions?due=week");
}

void api_deadlines(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int32_t today = app_today(rq->app);
	char t[11];
	today_str(rq, t);
	bool unit = rq->user.role == ROLE_DISTRICT_OFFICER || rq->user.role == ROLE_CB_STAFF;
	json_t *items = json_array(), *extras = json_array(), *unit_json = json_null();
	if (rq->user.role != ROLE_ENTERPRISE) {
		struct dl_facts f;
		if (dl_facts_load(rq->db, pi.id, unit ? rq->user.unit_id : 0, NULL, &f)) {
			json_decref(items);
			json_decref(extras);
			reply_db_error(rq);
			return;
		}
		for (int k = 0; k < f.n_deadlines; k++) {
			const struct dl_deadline *d = &f.d[k];
			char due[11];
			date_format(d->due, due);
			json_t *x = json_pack("{s:s,s:s,s:s,s:i}", "key", d->key, "name", d->name, "due", due,
					      "days_left", (int)(d->due - today));
			if (unit && f.n_units == 1) {
				json_object_update(x, cell_json(d, &f.units[0], k, today));
				json_object_set_new(x, "link", json_string(deadline_link(d->key)));
			} else {
				json_t *counts = json_object();
				for (int s = 0; s < DLS_COUNT; s++)
					json_object_set_new(counts, dl_state_name((enum dl_state)s), json_integer(0));
				for (int i = 0; i < f.n_units; i++) {
					const struct dl_unit *u = &f.units[i];
					enum dl_state s = dl_state(dl_applies(d->audience, u->is_district, u->pilot),
								   d->due, u->done[k], today);
					const char *nm = dl_state_name(s);
					json_object_set_new(counts, nm, json_integer(json_integer_value(json_object_get(counts, nm)) + 1));
				}
				json_object_set_new(x, "counts", counts);
				json_object_set_new(x, "link", json_string("#/deadlines"));
			}
			json_array_append_new(items, x);
		}
		if (unit && f.n_units == 1)
			unit_json = json_pack("{s:I,s:s,s:s,s:b}", "id", (json_int_t)f.units[0].id, "name", f.units[0].name,
					      "kind", f.units[0].is_district ? "district" : "cb", "pilot", f.units[0].pilot);
		dl_facts_free(&f);
	}
	switch (rq->user.role) {
	case ROLE_CB_STAFF:
		json_array_append_new(extras, surveillance_extra(rq, rq->user.unit_id, today));
		json_array_append_new(extras, actions_extra(rq, 0, rq->user.unit_id, 0, today));
		break;
	case ROLE_DISTRICT_OFFICER:
		json_array_append_new(extras, actions_extra(rq, rq->user.unit_id, 0, 0, today));
		break;
	case ROLE_ENTERPRISE:
		json_array_append_new(extras, actions_extra(rq, 0, 0, rq->user.enterprise_id ? rq->user.enterprise_id : -1, today));
		break;
	default:
		json_array_append_new(extras, actions_extra(rq, 0, 0, 0, today));
		break;
	}
	reply_json(rq, 200, json_pack("{s:s,s:o,s:o,s:o}", "today", t, "unit", unit_json, "items", items,
				      "extras", extras));
}

void api_deadlines_matrix(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	const char *kind = query_get(rq, "kind"), *state = query_get(rq, "state");
	if (kind && strcmp(kind, "district") && strcmp(kind, "cb")) {
		reply_invalid(rq, "kind", "kind 只能是 district 或 cb");
		return;
	}
	if (state) {
		bool ok = false;
		for (int s = 0; s < DLS_COUNT; s++)
			ok |= !strcmp(state, dl_state_name((enum dl_state)s));
		if (!ok) {
			reply_invalid(rq, "state", "状态无效");
			return;
		}
	}
	int32_t today = app_today(rq->app);
	struct dl_facts f;
	int64_t only = rq->user.role == ROLE_DISTRICT_OFFICER ? rq->user.unit_id : 0;
	if (dl_facts_load(rq->db, pi.id, only, kind, &f)) {
		reply_db_error(rq);
		return;
	}
	json_t *dls = json_array(), *units = json_array(), *counts = json_object();
	for (int k = 0; k < f.n_deadlines; k++) {
		char due[11];
		date_format(f.d[k].due, due);
		json_array_append_new(dls, json_pack("{s:s,s:s,s:s}", "key", f.d[k].key, "name", f.d[k].name, "due", due));
		json_t *c = json_object();
		for (int s = 0; s < DLS_COUNT; s++)
			json_object_set_new(c, dl_state_name((enum dl_state)s), json_integer(0));
		json_object_set_new(counts, f.d[k].key, c);
	}
	for (int i = 0; i < f.n_units; i++) {
		const struct dl_unit *u = &f.units[i];
		json_t *cells = json_object();
		bool match = !state;
		for (int k = 0; k < f.n_deadlines; k++) {
			json_t *cell = cell_json(&f.d[k], u, k, today);
			const char *nm = json_string_value(json_object_get(cell, "state"));
			json_t *c = json_object_get(counts, f.d[k].key);
			json_object_set_new(c, nm, json_integer(json_integer_value(json_object_get(c, nm)) + 1));
			match |= state && !strcmp(state, nm);
			json_object_set_new(cells, f.d[k].key, cell);
		}
		if (!match) {
			json_decref(cells);
			continue;
		}
		json_array_append_new(units, json_pack("{s:I,s:s,s:s,s:b,s:o}", "id", (json_int_t)u->id, "name", u->name,
			"kind", u->is_district ? "district" : "cb", "pilot", u->pilot, "cells", cells));
	}
	dl_facts_free(&f);
	char t[11];
	today_str(rq, t);
	reply_json(rq, 200, json_pack("{s:s,s:o,s:o,s:o}", "today", t, "deadlines", dls, "units", units, "counts", counts));
}

/* ======================== Reminder settings ======================== */

/* The unit whose settings the caller handles: its own, or ?unit_id= for the city. */
static int64_t settings_unit_or_reply(struct request *rq)
{
	if (rq->user.role == ROLE_DISTRICT_OFFICER || rq->user.role == ROLE_CB_STAFF)
		return rq->user.unit_id;
	const char *u = query_get(rq, "unit_id");
	int64_t id = u ? strtoll(u, NULL, 10) : 0;
	if (id <= 0) {
		reply_invalid(rq, "unit_id", "请指定单位（unit_id）");
		return 0;
	}
	/* Reminders go to district bureaus and certification bodies. */
	struct db_stmt *st = db_prep(rq->db, "SELECT COUNT(*) FROM units WHERE id = ? AND kind IN ('district', 'cb')");
	db_bind_int(st, 1, id);
	if (db_scalar_int(st, 0) == 0) {
		reply_not_found(rq);
		return 0;
	}
	return id;
}

void api_reminder_settings_get(struct request *rq)
{
	int64_t unit = settings_unit_or_reply(rq);
	if (!unit)
		return;
	char emails[1400];
	bool enabled;
	if (reminder_recipients_get(rq->db, unit, emails, sizeof(emails), &enabled) < 0) {
		reply_db_error(rq);
		return;
	}
	json_t *list = json_array();
	char *save = NULL;
	for (char *e = strtok_r(emails, ",", &save); e; e = strtok_r(NULL, ",", &save))
		json_array_append_new(list, json_string(e));
	reply_json(rq, 200, json_pack("{s:I,s:o,s:b,s:b}", "unit_id", (json_int_t)unit, "emails", list,
				      "enabled", enabled, "smtp_configured", rq->app->cfg.smtp_url[0] != '\0'));
}

void api_reminder_settings_put(struct request *rq)
{
	static const char *const keys[] = {"emails", "enabled", NULL};
	int64_t unit = settings_unit_or_reply(rq);
	if (!unit)
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body || !known_fields_or_reply(rq, body, keys)) {
		json_decref(body);
		return;
	}
	json_t *emails = json_object_get(body, "emails"), *en = json_object_get(body, "enabled");
	if (!json_is_array(emails) || (en && !json_is_boolean(en))) {
		bool bad_list = !json_is_array(emails);
		json_decref(body);
		reply_error(rq, 400, "bad_type", bad_list ? "emails 应为邮箱地址数组" : "enabled 应为 true 或 false",
			    bad_list ? "emails" : "enabled");
		return;
	}
	if (json_array_size(emails) > 5) {
		json_decref(body);
		reply_invalid(rq, "emails", "最多填写 5 个邮箱地址");
		return;
	}
	struct sbuf joined = {0};
	size_t i;
	json_t *e;
	json_array_foreach(emails, i, e) {
		const char *s = json_string_value(e);
		if (!s || !dl_email_valid(s)) {
			char msg[400];
			snprintf(msg, sizeof(msg), "邮箱地址格式不正确：%.200s", s ? s : "（不是文本）");
			sbuf_free(&joined);
			json_decref(body);
			reply_invalid(rq, "emails", msg);
			return;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcasecmp(json_string_value(json_array_get(emails, j)), s) == 0) {
				char msg[400];
				snprintf(msg, sizeof(msg), "邮箱地址重复：%.200s", s);
				sbuf_free(&joined);
				json_decref(body);
				reply_invalid(rq, "emails", msg);
				return;
			}
		}
		sbuf_printf(&joined, "%s%s", i ? "," : "", s);
	}
	bool enabled = !en || json_is_true(en);
	json_decref(body);
	if (db_begin(rq->db, true) != DB_OK ||
	    reminder_recipients_put(rq->db, unit, joined.buf ? joined.buf : "", enabled, rq->user.username)) {
		db_rollback(rq->db);
		sbuf_free(&joined);
		reply_db_error(rq);
		return;
	}
	audit(rq, "reminders.settings", "unit", unit, json_pack("{s:s,s:b}", "emails", joined.buf ? joined.buf : "",
		"enabled", enabled));
	sbuf_free(&joined);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	api_reminder_settings_get(rq);
}

void api_reminders_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	int64_t unit = 0;
	if (rq->user.role == ROLE_DISTRICT_OFFICER || rq->user.role == ROLE_CB_STAFF)
		unit = rq->user.unit_id;
	else if (query_get(rq, "unit_id"))
		unit = strtoll(query_get(rq, "unit_id"), NULL, 10);
	const char *status = query_get(rq, "status");
	if (status && strcmp(status, "sent") && strcmp(status, "failed") && strcmp(status, "sending")) {
		reply_invalid(rq, "status", "status 只能是 sent、failed 或 sending");
		return;
	}
	int64_t total = 0;
	json_t *items = reminder_list(rq->db, unit, status, query_get(rq, "deadline_key"), pg.per_page, pg.offset, &total);
	reply_page(rq, items, total, &pg);
}

/* ======================== Reports ======================== */

static const char *const midterm_keys[] = {"progress", "problems", "next_steps", NULL};
static const char *const annual_keys[] = {"summary", "replication_plan", "cases_note", NULL};
static const char *const midterm_labels[] = {"工作进展", "存在的问题和不足", "下一步举措"};
static const char *const annual_labels[] = {"年度工作开展情况", "下一年度复制推广计划", "典型案例和标杆企业情况"};

static const char *const *content_keys(const char *kind)
{
	return !strcmp(kind, "midterm") ? midterm_keys : annual_keys;
}

static const char *const *content_labels(const char *kind)
{
	return !strcmp(kind, "midterm") ? midterm_labels : annual_labels;
}

static const char *kind_name(const char *kind)
{
	return !strcmp(kind, "midterm") ? "中期推进情况" : "年度工作总结及复制推广计划";
}

static const char *status_name(const char *s)
{
	return !strcmp(s, "draft") ? "草稿" : !strcmp(s, "submitted") ? "已提交" : !strcmp(s, "returned") ? "已退回" : "已通过";
}

static bool frozen(const char *status)
{
	return !strcmp(status, "submitted") || !strcmp(status, "accepted");
}

/* The scope of a unit's figures: a district's enterprises, or a body's. */
static json_t *live_figures(struct request *rq, int64_t programme_id, int64_t unit_id)
{
	struct db_stmt *st = db_prep(rq->db, "SELECT kind FROM units WHERE id = ?");
	db_bind_int(st, 1, unit_id);
	bool district = db_step(st) == DB_ROW && !strcmp(db_col_text(st, 0), "district");
	db_done(st);
	char t[11];
	today_str(rq, t);
	return report_figures(rq->db, programme_id, district ? unit_id : 0, district ? 0 : unit_id, t);
}

/* Figures without their records (for the report object). */
static json_t *figures_summary(json_t *figs)
{
	json_t *out = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f)
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O,s:I}", "key", json_object_get(f, "key"),
			"label", json_object_get(f, "label"), "unit", json_object_get(f, "unit"),
			"value", json_object_get(f, "value"), "records", (json_int_t)json_array_size(json_object_get(f, "records"))));
	return out;
}

static bool due_of(struct request *rq, int64_t programme_id, const char *kind, int32_t *due, char out[11])
{
	struct db_stmt *st = db_prep(rq->db, "SELECT due_date FROM programme_deadlines WHERE programme_id = ? AND key = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, kind);
	bool ok = db_step(st) == DB_ROW && date_parse(db_col_text(st, 0), due);
	if (ok)
		snprintf(out, 11, "%s", db_col_text(st, 0));
	db_done(st);
	return ok;
}

/* The report object of docs/api.md; full adds versions. figs_out (optional) gets the figures with records. */
static json_t *report_json(struct request *rq, int64_t id, bool full, json_t **figs_out)
{
	json_t *r = report_get(rq->db, id);
	if (!r)
		return NULL;
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const char *status = json_string_value(json_object_get(r, "status"));
	json_t *stored = json_object_get(r, "stored");
	json_t *text = json_object_get(stored, "text");
	json_t *content = json_object();
	for (const char *const *k = content_keys(kind); *k; k++) {
		json_t *v = json_object_get(text, *k);
		json_object_set_new(content, *k, json_string(json_is_string(v) ? json_string_value(v) : ""));
	}
	struct report_row row;
	report_row_get(rq->db, id, &row);
	json_t *figs;
	char at[11];
	if (frozen(status) && json_is_array(json_object_get(stored, "figures"))) {
		figs = json_incref(json_object_get(stored, "figures"));
		const char *fa = json_string_value(json_object_get(stored, "figures_at"));
		snprintf(at, sizeof(at), "%s", fa ? fa : "");
	} else {
		figs = live_figures(rq, row.programme_id, row.unit_id);
		today_str(rq, at);
	}
	int32_t due = 0;
	char due_s[11] = "";
	due_of(rq, row.programme_id, kind, &due, due_s);
	json_object_del(r, "stored");
	json_object_set_new(r, "kind_name", json_string(kind_name(kind)));
	json_object_set_new(r, "due", due_s[0] ? json_string(due_s) : json_null());
	json_object_set_new(r, "status_name", json_string(status_name(status)));
	json_object_set_new(r, "content", content);
	json_object_set_new(r, "figures", figures_summary(figs));
	json_object_set_new(r, "figures_frozen", json_boolean(frozen(status)));
	json_object_set_new(r, "figures_at", json_string(at));
	if (full)
		json_object_set_new(r, "versions", report_versions(rq->db, id));
	if (figs_out)
		*figs_out = figs;
	else
		json_decref(figs);
	return r;
}

/* Visible to the caller (the city, or its own unit): 404 otherwise. */
static bool report_visible_or_reply(struct request *rq, struct report_row *row)
{
	int rc = report_row_get(rq->db, route_param_id(&rq->params, "id"), row);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	struct scope_ref ref = {.owner_unit_id = row->unit_id};
	if (rc == 0 || !scope_allows(&rq->user, &ref) ||
	    (rq->user.role != ROLE_CITY_ADMIN && rq->user.unit_id != row->unit_id)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

void api_reports_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi))
		return;
	const char *kind = query_get(rq, "kind"), *status = query_get(rq, "status"), *u = query_get(rq, "unit_id");
	if (kind && strcmp(kind, "midterm") && strcmp(kind, "annual")) {
		reply_invalid(rq, "kind", "kind 只能是 midterm 或 annual");
		return;
	}
	if (status && strcmp(status, "draft") && strcmp(status, "submitted") && strcmp(status, "returned") &&
	    strcmp(status, "accepted")) {
		reply_invalid(rq, "status", "状态无效");
		return;
	}
	int64_t unit = rq->user.role == ROLE_CITY_ADMIN ? (u ? strtoll(u, NULL, 10) : 0) : rq->user.unit_id;
	int64_t total = 0;
	json_t *items = report_list(rq->db, pi.id, unit, kind, status, pg.per_page, pg.offset, &total);
	size_t i;
	json_t *r;
	json_array_foreach(items, i, r) {
		const char *k = json_string_value(json_object_get(r, "kind"));
		const char *s = json_string_value(json_object_get(r, "status"));
		int32_t due = 0;
		char due_s[11] = "";
		json_object_del(r, "stored");
		json_object_set_new(r, "kind_name", json_string(kind_name(k)));
		json_object_set_new(r, "status_name", json_string(status_name(s)));
		json_object_set_new(r, "due", due_of(rq, pi.id, k, &due, due_s) ? json_string(due_s) : json_null());
	}
	reply_page(rq, items, total, &pg);
}

static bool kind_or_reply(struct request *rq, const char *kind)
{
	if (!kind || (strcmp(kind, "midterm") && strcmp(kind, "annual"))) {
		reply_invalid(rq, "kind", "报告类型只能是 midterm（中期推进情况）或 annual（年度总结）");
		return false;
	}
	return true;
}

void api_reports_figures(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *figs = live_figures(rq, pi.id, rq->user.unit_id);
	char t[11];
	today_str(rq, t);
	reply_json(rq, 200, json_pack("{s:s,s:o}", "figures_at", t, "figures", figures_summary(figs)));
	json_decref(figs);
}

void api_reports_create(struct request *rq)
{
	static const char *const keys[] = {"kind", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	char kind[16];
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "kind", true, 10, kind, sizeof(kind), "报告类型");
	json_decref(body);
	if (!ok || !kind_or_reply(rq, kind))
		return;
	struct dl_facts f;
	if (dl_facts_load(rq->db, pi.id, rq->user.unit_id, NULL, &f)) {
		reply_db_error(rq);
		return;
	}
	int k = dl_find(&f, kind);
	bool applies = k >= 0 && f.n_units == 1 && dl_applies(f.d[k].audience, f.units[0].is_district, f.units[0].pilot);
	dl_facts_free(&f);
	if (!applies) {
		reply_invalid(rq, "kind", k < 0 ? "本项目没有该报送事项" :
			      !strcmp(kind, "midterm") ? "中期推进情况由参与试点的单位报送（申报表中“参与试点”为“是”）" :
			      "年度总结由区市场监管局报送");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t id = report_insert(rq->db, pi.id, rq->user.unit_id, kind, "{\"text\":{}}");
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "本单位已有该类型的报告", "kind");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "report.create", "report", id, json_pack("{s:s}", "kind", kind));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 201, report_json(rq, id, true, NULL));
}

void api_reports_get(struct request *rq)
{
	struct report_row row;
	if (report_visible_or_reply(rq, &row))
		reply_json(rq, 200, report_json(rq, row.id, true, NULL));
}

/* Own unit, not frozen. */
static bool editable_or_reply(struct request *rq, struct report_row *row)
{
	if (!report_visible_or_reply(rq, row))
		return false;
	if (rq->user.unit_id != row->unit_id || rq->user.role == ROLE_CITY_ADMIN) {
		reply_forbidden(rq);
		return false;
	}
	if (frozen(row->status)) {
		reply_error(rq, 409, "locked", "报告已提交，不能再修改；如需修改请市局退回", NULL);
		return false;
	}
	return true;
}

void api_reports_update(struct request *rq)
{
	static const char *const keys[] = {"content", NULL};
	struct report_row row;
	if (!editable_or_reply(rq, &row))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body || !known_fields_or_reply(rq, body, keys)) {
		json_decref(body);
		return;
	}
	json_t *content = json_object_get(body, "content");
	if (!json_is_object(content)) {
		json_decref(body);
		reply_error(rq, 400, "bad_type", "content 应为对象", "content");
		return;
	}
	if (!known_fields_or_reply(rq, content, content_keys(row.kind))) {
		json_decref(body);
		return;
	}
	json_t *text = json_object();
	const char *const *labels = content_labels(row.kind);
	int i = 0;
	for (const char *const *k = content_keys(row.kind); *k; k++, i++) {
		char *buf = xcalloc(1, 20000 * 4 + 8);
		bool ok = string_field_or_reply(rq, content, *k, false, 20000, buf, 20000 * 4 + 8, labels[i]);
		if (ok)
			json_object_set_new(text, *k, json_string(buf));
		free(buf);
		if (!ok) {
			json_decref(text);
			json_decref(body);
			return;
		}
	}
	json_decref(body);
	json_t *stored = json_pack("{s:o}", "text", text);
	char *s = json_dumps(stored, JSON_COMPACT);
	json_decref(stored);
	int rc = db_begin(rq->db, true) != DB_OK || report_set_content(rq->db, row.id, s);
	free(s);
	if (rc) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "report.update", "report", row.id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, report_json(rq, row.id, true, NULL));
}

void api_reports_submit(struct request *rq)
{
	struct report_row row;
	if (!editable_or_reply(rq, &row))
		return;
	json_t *figs = NULL;
	json_t *r = report_json(rq, row.id, false, &figs);
	json_t *content = json_object_get(r, "content");
	const char *const *labels = content_labels(row.kind);
	int i = 0;
	for (const char *const *k = content_keys(row.kind); *k; k++, i++) {
		if (!*json_string_value(json_object_get(content, *k))) {
			char msg[200];
			snprintf(msg, sizeof(msg), "请填写“%s”后再提交", labels[i]);
			json_decref(r);
			json_decref(figs);
			reply_invalid(rq, *k, msg);
			return;
		}
	}
	char t[11], due_s[11] = "";
	int32_t due = 0;
	today_str(rq, t);
	due_of(rq, row.programme_id, row.kind, &due, due_s);
	bool late = due && app_today(rq->app) > due;
	json_t *stored = json_pack("{s:O,s:o,s:s}", "text", content, "figures", figs, "figures_at", t);
	json_decref(r);
	char *s = json_dumps(stored, JSON_COMPACT);
	json_decref(stored);
	int rc = db_begin(rq->db, true) != DB_OK || report_set_content(rq->db, row.id, s) ||
		 report_submit(rq->db, row.id, late, rq->user.username);
	free(s);
	if (rc) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "report.submit", "report", row.id, json_pack("{s:s,s:b}", "kind", row.kind, "late", late));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, report_json(rq, row.id, true, NULL));
}

void api_reports_return(struct request *rq)
{
	struct report_row row;
	char reason[2048];
	if (!report_visible_or_reply(rq, &row) || !return_reason_or_reply(rq, reason, sizeof(reason)))
		return;
	if (strcmp(row.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只能退回已提交的报告", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || report_return(rq->db, row.id, reason)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "report.return", "report", row.id, json_pack("{s:s}", "reason", reason));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, report_json(rq, row.id, true, NULL));
}

void api_reports_accept(struct request *rq)
{
	struct report_row row;
	if (!report_visible_or_reply(rq, &row))
		return;
	if (strcmp(row.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只能通过已提交的报告", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || report_accept(rq->db, row.id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "report.accept", "report", row.id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, report_json(rq, row.id, true, NULL));
}

void api_reports_version(struct request *rq)
{
	struct report_row row;
	if (!report_visible_or_reply(rq, &row))
		return;
	const char *vs = route_param(&rq->params, "version");
	json_t *v = vs ? report_version_get(rq->db, row.id, atoi(vs)) : NULL;
	if (!v) {
		reply_not_found(rq);
		return;
	}
	reply_json(rq, 200, v);
}

void api_reports_figure(struct request *rq)
{
	struct report_row row;
	if (!report_visible_or_reply(rq, &row))
		return;
	json_t *figs = NULL;
	json_t *r = report_json(rq, row.id, false, &figs);
	json_decref(r);
	const char *key = route_param(&rq->params, "key");
	size_t i;
	json_t *f, *hit = NULL;
	json_array_foreach(figs, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "key")), key))
			hit = json_incref(f);
	json_decref(figs);
	if (!hit) {
		reply_not_found(rq);
		return;
	}
	json_object_set_new(hit, "frozen", json_boolean(frozen(row.status)));
	reply_json(rq, 200, hit);
}

static void fmt_value(json_t *f, char *out, size_t n)
{
	json_t *v = json_object_get(f, "value");
	const char *unit = json_string_value(json_object_get(f, "unit"));
	if (json_is_integer(v))
		snprintf(out, n, "%lld %s", (long long)json_integer_value(v), unit);
	else
		snprintf(out, n, "%+.2f %s", json_number_value(v), unit);
	if (json_is_real(v) && !strcmp(unit, "分"))
		snprintf(out, n, "%+.1f %s", json_number_value(v), unit);
}

void api_reports_pdf(struct request *rq)
{
	struct report_row row;
	if (!report_visible_or_reply(rq, &row))
		return;
	json_t *figs = NULL;
	json_t *r = report_json(rq, row.id, false, &figs);
	struct programme_info pi;
	bool have_pi = programme_info_current(rq->db, &pi) == 1;
	int nf = (int)json_array_size(figs);
	struct report_print_figure *pf = xcalloc((size_t)nf + 1, sizeof(*pf));
	char (*vals)[64] = xcalloc((size_t)nf + 1, sizeof(*vals));
	char (*notes)[64] = xcalloc((size_t)nf + 1, sizeof(*notes));
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f) {
		fmt_value(f, vals[i], sizeof(vals[i]));
		snprintf(notes[i], sizeof(notes[i]), "依据 %zu 条记录", json_array_size(json_object_get(f, "records")));
		pf[i] = (struct report_print_figure){json_string_value(json_object_get(f, "label")), vals[i], notes[i]};
	}
	struct report_print_section secs[3];
	int ns = 0;
	const char *const *labels = content_labels(row.kind);
	static const char *const num[] = {"一、", "二、", "三、"};
	char heads[3][128];
	for (const char *const *k = content_keys(row.kind); *k && ns < 3; k++, ns++) {
		snprintf(heads[ns], sizeof(heads[ns]), "%s%s", num[ns], labels[ns]);
		secs[ns] = (struct report_print_section){heads[ns],
			json_string_value(json_object_get(json_object_get(r, "content"), *k))};
	}
	const char *unit = json_string_value(json_object_get(json_object_get(r, "unit"), "name"));
	char title[400], status[200], today[11];
	snprintf(title, sizeof(title), "%s %s报告", unit, kind_name(row.kind));
	today_str(rq, today);
	char sub[11];
	date_of_rfc3339_shanghai(json_string_value(json_object_get(r, "submitted_at")), sub);
	snprintf(status, sizeof(status), "状态：%s（第 %d 版）%s%s%s", status_name(row.status), row.version,
		 sub[0] ? " " : "", sub, json_is_true(json_object_get(r, "late")) ? " · 逾期提交" : "");
	struct report_print p = {
		.title = title, .programme_name = have_pi ? pi.name : "", .unit_name = unit,
		.kind_name = kind_name(row.kind), .due = json_string_value(json_object_get(r, "due")),
		.figures_at = json_string_value(json_object_get(r, "figures_at")), .draft = !frozen(row.status),
		.figures = pf, .n_figures = nf, .sections = secs, .n_sections = ns,
		.status_line = status, .printed_on = today,
	};
	struct sbuf pdf = {0};
	char err[200], fname[512];
	snprintf(fname, sizeof(fname), "%s.pdf", title);
	if (render_report_pdf(&p, &pdf, err, sizeof(err)))
		reply_error(rq, 503, "unavailable", "无法生成报告", NULL);
	else
		reply_bytes(rq, 200, "application/pdf", pdf.buf, pdf.len, fname);
	sbuf_free(&pdf);
	free(pf);
	free(vals);
	free(notes);
	json_decref(figs);
	json_decref(r);
}

void api_reports_xlsx(struct request *rq)
{
	struct report_row row;
	if (!report_visible_or_reply(rq, &row))
		return;
	json_t *figs = NULL;
	json_t *r = report_json(rq, row.id, false, &figs);
	/* One row per figure, then one row per record behind each figure. */
	size_t rows = 0, i, j;
	json_t *f, *rec;
	json_array_foreach(figs, i, f)
		rows += 1 + json_array_size(json_object_get(f, "records"));
	const char **cells = xcalloc(rows * 5 + 1, sizeof(char *));
	char (*vals)[64] = xcalloc(json_array_size(figs) + 1, sizeof(*vals));
	size_t n = 0;
	json_array_foreach(figs, i, f) {
		fmt_value(f, vals[i], sizeof(vals[i]));
		const char **c = &cells[n++ * 5];
		c[0] = json_string_value(json_object_get(f, "label"));
		c[1] = vals[i];
		json_array_foreach(json_object_get(f, "records"), j, rec) {
			c = &cells[n++ * 5];
			c[0] = json_string_value(json_object_get(f, "label"));
			c[2] = json_string_value(json_object_get(rec, "type"));
			c[3] = json_string_value(json_object_get(rec, "name"));
			c[4] = json_string_value(json_object_get(rec, "detail"));
		}
	}
	static const char *const headers[] = {"指标", "数值", "记录类型", "记录", "说明"};
	static const double widths[] = {22, 14, 12, 40, 30};
	char title[300];
	snprintf(title, sizeof(title), "%s %s 主要数据（数据截至 %s）",
		 json_string_value(json_object_get(json_object_get(r, "unit"), "name")), kind_name(row.kind),
		 json_string_value(json_object_get(r, "figures_at")));
	struct sbuf out = {0};
	char err[200], fname[300];
	snprintf(fname, sizeof(fname), "%s-主要数据.xlsx", kind_name(row.kind));
	if (render_xlsx_table("主要数据", title, headers, 5, cells, (long)n, widths, &out, err, sizeof(err)))
		reply_error(rq, 503, "unavailable", "无法生成 Excel 文件", NULL);
	else
		reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.buf, out.len,
			    fname);
	sbuf_free(&out);
	free(cells);
	free(vals);
	json_decref(figs);
	json_decref(r);
}
