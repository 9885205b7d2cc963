/*
 * certificates.c - certification (认证实施): the certification audit of an
 * enterprise, issuing and recording certificates, status changes with a
 * history, surveillance audits and their schedule, the supervision lists,
 * exports, and public verification by number or QR code.
 *
 * The status users see is always the status "as of today" (core/certificate.c):
 * a certificate past its expiry date shows as expired even before the daily
 * job has written it down.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/certificate.h"
#include "../http/jsonin.h"
#include "../render/render.h"
#include "../store/certificates.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/programmes.h"
#include "../store/users.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SURVEILLANCES 16

static int32_t day_of(const char *s)
{
	int32_t d = 0;
	if (!s || !date_parse(s, &d))
		return 0;
	return d;
}

static void today_str(struct request *rq, char out[11])
{
	date_format(app_today(rq->app), out);
}

static void verify_url(struct request *rq, const char *number, char *out, size_t n)
{
	snprintf(out, n, "%s/verify?number=%s", rq->app->cfg.public_url, number);
}

/* Add the effective status, the surveillance schedule and the supervision flags. */
static void decorate(struct request *rq, json_t *c, bool full)
{
	int32_t today = app_today(rq->app);
	const char *stored = json_string_value(json_object_get(c, "stored_status"));
	int32_t issue = day_of(json_string_value(json_object_get(c, "issue_date")));
	int32_t expiry = day_of(json_string_value(json_object_get(c, "expiry_date")));
	int32_t since = day_of(json_string_value(json_object_get(c, "status_date")));
	enum cert_status eff = cert_effective_status(cert_status_parse(stored), expiry, today);
	json_object_set_new(c, "status", json_string(cert_status_name(eff)));
	json_object_set_new(c, "status_name", json_string(cert_status_label(eff)));
	char dates[MAX_SURVEILLANCES][11];
	int32_t done[MAX_SURVEILLANCES];
	int n = surv_dates(rq->db, json_integer_value(json_object_get(c, "id")),
			   json_string_value(json_object_get(c, "issue_date")), dates, MAX_SURVEILLANCES);
	for (int i = 0; i < n; i++)
		done[i] = day_of(dates[i]);
	struct cert_schedule s;
	cert_schedule(issue, expiry, done, n, today, &s);
	char due[11] = "";
	if (s.next_due)
		date_format(s.next_due, due);
	bool live = eff == CERT_VALID || eff == CERT_SUSPENDED;
	json_object_set_new(c, "surveillance", json_pack("{s:i,s:i,s:o,s:b,s:o}", "done", s.done,
		"required", s.required, "next_due", live && s.next_due ? json_string(due) : json_null(),
		"overdue", live && s.overdue, "days_left", live && s.next_due ? json_integer(s.days_left) : json_null()));
	json_object_set_new(c, "must_suspend", json_boolean(cert_must_suspend(eff, &s)));
	json_object_set_new(c, "must_withdraw", json_boolean(cert_must_withdraw(eff, since, today)));
	char url[512];
	verify_url(rq, json_string_value(json_object_get(c, "number")), url, sizeof(url));
	json_object_set_new(c, "verify_url", json_string(url));
	if (full) {
		int64_t id = json_integer_value(json_object_get(c, "id"));
		json_object_set_new(c, "history", cert_events(rq->db, id));
		json_object_set_new(c, "surveillances", surv_list(rq->db, id));
	}
}

/* Load {id} when visible to the caller (404 otherwise); fills the scope. */
static json_t *visible_or_reply(struct request *rq, int64_t *id, int64_t *cb, int64_t *district)
{
	int64_t ent = 0;
	*id = route_param_id(&rq->params, "id");
	int rc = cert_scope(rq->db, *id, district, cb, &ent);
	if (rc < 0) {
		reply_db_error(rq);
		return NULL;
	}
	struct scope_ref ref = {.district_unit_id = *district, .cb_unit_ids = {*cb}, .enterprise_id = ent};
	if (rc == 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return NULL;
	}
	return cert_get(rq->db, *id);
}

/* ======================== Lists ======================== */

static bool filter_or_reply(struct request *rq, struct cert_filter *f, char today[11])
{
	memset(f, 0, sizeof(*f));
	f->prior = -1;
	today_str(rq, today);
	f->today = today;
	f->industry = query_get(rq, "industry");
	f->status = query_get(rq, "status");
	f->q = query_get(rq, "q");
	const char *district = query_get(rq, "district"), *cb = query_get(rq, "cb_unit_id");
	const char *prior = query_get(rq, "prior"), *ent = query_get(rq, "enterprise_id");
	if (ent && (f->enterprise_id = strtoll(ent, NULL, 10)) <= 0) {
		reply_invalid(rq, "enterprise_id", "企业编号无效");
		return false;
	}
	if (f->status && cert_status_parse(f->status) == CERT_NONE) {
		reply_invalid(rq, "status", "证书状态只能是 valid、suspended、withdrawn、cancelled 或 expired");
		return false;
	}
	if (district && !(f->district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return false;
	}
	if (cb && (f->cb_unit_id = strtoll(cb, NULL, 10)) <= 0) {
		reply_invalid(rq, "cb_unit_id", "认证机构编号无效");
		return false;
	}
	if (prior && strcmp(prior, "true") && strcmp(prior, "false")) {
		reply_invalid(rq, "prior", "prior 只能是 true 或 false");
		return false;
	}
	if (prior)
		f->prior = !strcmp(prior, "true");
	switch (rq->user.role) {
	case ROLE_DISTRICT_OFFICER:
		if (f->district_unit_id && f->district_unit_id != rq->user.unit_id)
			f->enterprise_id = -1;
		f->district_unit_id = rq->user.unit_id;
		break;
	case ROLE_CB_STAFF:
		if (f->cb_unit_id && f->cb_unit_id != rq->user.unit_id)
			f->enterprise_id = -1; /* another body's: nothing */
		f->cb_unit_id = rq->user.unit_id;
		break;
	case ROLE_ENTERPRISE:
		if (f->enterprise_id && f->enterprise_id != rq->user.enterprise_id)
			f->enterprise_id = -1;
		else
			f->enterprise_id = rq->user.enterprise_id ? rq->user.enterprise_id : -1;
		break;
	default:
		break;
	}
	return true;
}

void api_certificates_list(struct request *rq)
{
	struct paging pg;
	struct cert_filter f;
	char today[11];
	if (!paging_or_reply(rq, &pg) || !filter_or_reply(rq, &f, today))
		return;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = cert_list(rq->db, &f, &total);
	size_t i;
	json_t *c;
	json_array_foreach(items, i, c)
		decorate(rq, c, false);
	reply_page(rq, items, total, &pg);
}

void api_certificates_supervision(struct request *rq)
{
	struct cert_filter f;
	char today[11];
	if (!filter_or_reply(rq, &f, today))
		return;
	f.limit = 100000;
	int64_t total = 0;
	json_t *suspend = json_array(), *withdraw = json_array(), *soon = json_array();
	static const char *const live[] = {"valid", "suspended"};
	for (int k = 0; k < 2; k++) {
		f.status = live[k];
		json_t *items = cert_list(rq->db, &f, &total);
		size_t i;
		json_t *c;
		json_array_foreach(items, i, c) {
			decorate(rq, c, false);
			json_t *s = json_object_get(c, "surveillance");
			json_t *left = json_object_get(s, "days_left");
			if (json_is_true(json_object_get(c, "must_suspend")))
				json_array_append(suspend, c);
			else if (json_is_true(json_object_get(c, "must_withdraw")))
				json_array_append(withdraw, c);
			else if (k == 0 && json_is_integer(left) && json_integer_value(left) >= 0 &&
				 json_integer_value(left) <= 30)
				json_array_append(soon, c);
		}
		json_decref(items);
	}
	reply_json(rq, 200, json_pack("{s:s,s:o,s:o,s:o}", "today", today, "must_suspend", suspend,
				      "must_withdraw", withdraw, "due_soon", soon));
}

void api_certificates_stats(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	char today[11];
	today_str(rq, today);
	json_t *items = cert_stats(rq->db, pi.id, today);
	if (rq->user.role == ROLE_DISTRICT_OFFICER) {
		json_t *u = units_get(rq->db, rq->user.unit_id);
		const char *mine = json_string_value(json_object_get(u, "district"));
		json_t *own = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(items, i, x)
			if (mine && !strcmp(json_string_value(json_object_get(x, "district")), mine))
				json_array_append(own, x);
		json_decref(u);
		json_decref(items);
		items = own;
	}
	reply_json(rq, 200, json_pack("{s:s,s:o}", "today", today, "items", items));
}

void api_certificates_xlsx(struct request *rq)
{
	struct cert_filter f;
	char today[11];
	if (!filter_or_reply(rq, &f, today))
		return;
	f.limit = 1000000;
	int64_t total = 0;
	json_t *items = cert_list(rq->db, &f, &total);
	static const char *const headers[] = {
		"序号", "证书编号", "获证组织", "统一社会信用代码", "所属区", "试点行业", "发证机构", "认证范围",
		"认证依据", "初次颁证日期", "颁证日期", "有效期至", "覆盖人数", "证书状态", "监督审核（已做/应做）",
		"下次监督审核截止", "参加行动前已获证",
	};
	enum { NCOL = 17 };
	static const double widths[NCOL] = {6, 18, 30, 22, 10, 12, 26, 40, 26, 12, 12, 12, 8, 8, 14, 14, 10};
	size_t n = json_array_size(items);
	char (*cells)[256] = xcalloc(n * NCOL + 1, 256);
	const char **table = xcalloc(n * NCOL + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(items, i);
		decorate(rq, c, false);
		char (*row)[256] = cells + i * NCOL;
		json_t *s = json_object_get(c, "surveillance");
#define T(k) (json_string_value(json_object_get(c, k)) ? json_string_value(json_object_get(c, k)) : "")
		snprintf(row[0], 256, "%zu", i + 1);
		snprintf(row[1], 256, "%s", T("number"));
		snprintf(row[2], 256, "%s", T("holder"));
		snprintf(row[3], 256, "%s", T("uscc"));
		snprintf(row[4], 256, "%s", T("district"));
		snprintf(row[5], 256, "%s", T("industry"));
		snprintf(row[6], 256, "%s", T("issuer"));
		snprintf(row[7], 256, "%s", T("scope"));
		snprintf(row[8], 256, "%s", T("standard"));
		snprintf(row[9], 256, "%s", T("first_issue_date"));
		snprintf(row[10], 256, "%s", T("issue_date"));
		snprintf(row[11], 256, "%s", T("expiry_date"));
		snprintf(row[12], 256, "%lld", (long long)json_integer_value(json_object_get(c, "headcount")));
		snprintf(row[13], 256, "%s", T("status_name"));
		snprintf(row[14], 256, "%d / %d", (int)json_integer_value(json_object_get(s, "done")),
			 (int)json_integer_value(json_object_get(s, "required")));
		snprintf(row[15], 256, "%s", json_string_value(json_object_get(s, "next_due")) ?
			 json_string_value(json_object_get(s, "next_due")) : "");
		snprintf(row[16], 256, "%s", json_is_true(json_object_get(c, "prior")) ? "是" : "否");
#undef T
		for (int k = 0; k < NCOL; k++)
			table[i * NCOL + (size_t)k] = row[k];
	}
	struct sbuf out = {0};
	char err[256], title[200];
	snprintf(title, sizeof(title), "认证证书清单（截至 %s，共 %zu 张）", today, n);
	int rc = render_xlsx_table("认证证书", title, headers, NCOL, table, (long)n, widths, &out, err,
				   sizeof(err));
	free(table);
	free(cells);
	json_decref(items);
	if (rc) {
		log_error("certificate export failed: %s", err);
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "导出失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    out.buf, out.len, "认证证书清单.xlsx");
	sbuf_free(&out);
}

void api_certificates_get(struct request *rq)
{
	int64_t id, cb, district;
	json_t *c = visible_or_reply(rq, &id, &cb, &district);
	if (!c)
		return;
	decorate(rq, c, true);
	reply_json(rq, 200, c);
}

void api_certificates_pdf(struct request *rq)
{
	int64_t id, cb, district;
	json_t *c = visible_or_reply(rq, &id, &cb, &district);
	if (!c)
		return;
	decorate(rq, c, false);
#define T(k) json_string_value(json_object_get(c, k))
	struct cert_print p = {
		.number = T("number"), .holder = T("holder"), .uscc = T("uscc"), .address = T("address"),
		.sites = T("sites"), .scope = T("scope"), .standard = T("standard"), .scheme = T("scheme"),
		.first_issue = T("first_issue_date"), .issue = T("issue_date"), .expiry = T("expiry_date"),
		.headcount = (long)json_integer_value(json_object_get(c, "headcount")),
		.status_label = T("status_name"), .issuer = T("issuer"), .verify_url = T("verify_url"),
	};
	char fname[200];
	snprintf(fname, sizeof(fname), "认证证书-%s.pdf", T("number"));
#undef T
	struct sbuf out = {0};
	char err[256];
	int rc = render_certificate_pdf(&p, &out, err, sizeof(err));
	json_decref(c);
	if (rc) {
		log_error("certificate pdf failed: %s", err);
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "生成 PDF 失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/pdf", out.buf, out.len, fname);
	sbuf_free(&out);
}

/* ======================== Issuing ======================== */

static const char *const cert_keys[] = {
	"enterprise_id", "prior", "issuer_name", "number", "holder", "uscc", "address", "sites", "scope",
	"standard", "scheme", "first_issue_date", "issue_date", "expiry_date", "headcount", NULL,
};

void api_certificates_create(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	struct cert_rec c;
	memset(&c, 0, sizeof(c));
	struct field_error e;
	json_t *prior = json_object_get(body, "prior");
	bool ok = known_fields_or_reply(rq, body, cert_keys) &&
		  int_field_or_reply(rq, body, "enterprise_id", true, 0, &c.enterprise_id, "企业") &&
		  int_field_or_reply(rq, body, "headcount", true, 0, &c.headcount, "覆盖人数");
	if (ok && prior && !json_is_null(prior) && !json_is_boolean(prior)) {
		reply_error(rq, 400, "bad_type", "prior 必须是 true 或 false", "prior");
		ok = false;
	}
	c.prior = json_is_true(prior);
	struct {
		const char *key;
		char *out;
		size_t size, max;
		const char *label;
	} texts[] = {
		{"number", c.number, sizeof(c.number), 40, "证书编号"},
		{"issuer_name", c.issuer_name, sizeof(c.issuer_name), 60, "发证机构"},
		{"holder", c.holder, sizeof(c.holder), 60, "获证组织"},
		{"uscc", c.uscc, sizeof(c.uscc), 18, "统一社会信用代码"},
		{"address", c.address, sizeof(c.address), 120, "地址"},
		{"sites", c.sites, sizeof(c.sites), 200, "认证覆盖的场所"},
		{"scope", c.scope, sizeof(c.scope), 600, "认证范围"},
		{"standard", c.standard, sizeof(c.standard), 80, "认证依据"},
		{"scheme", c.scheme, sizeof(c.scheme), 40, "认证项目"},
		{"first_issue_date", c.first_issue, sizeof(c.first_issue), 10, "初次颁证日期"},
		{"issue_date", c.issue, sizeof(c.issue), 10, "颁证日期"},
		{"expiry_date", c.expiry, sizeof(c.expiry), 10, "有效期截止日期"},
	};
	for (size_t i = 0; ok && i < ARRAY_SIZE(texts); i++)
		if (!json_get_string(body, texts[i].key, false, texts[i].max, texts[i].out, texts[i].size,
				     texts[i].label, &e)) {
			reply_error(rq, e.status, e.code, e.message, e.field);
			ok = false;
		}
	json_decref(body);
	if (!ok)
		return;

	/* Whose certificate may the caller record? */
	int64_t district = 0, assigned_cb = 0;
	int rc = ent_scope(rq->db, pi.id, c.enterprise_id, &district, &assigned_cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {assigned_cb},
				.enterprise_id = c.enterprise_id};
	if (rc <= 0 || !scope_allows(&rq->user, &ref)) {
		reply_invalid(rq, "enterprise_id", "企业不存在，或未指派给本机构");
		return;
	}
	if (c.prior) {
		if (rq->user.role == ROLE_CB_STAFF || rq->user.role == ROLE_ENTERPRISE) {
			reply_forbidden(rq);
			return;
		}
		if (!c.issuer_name[0]) {
			reply_invalid(rq, "issuer_name", "请填写原发证机构名称");
			return;
		}
	} else {
		if (rq->user.role != ROLE_CB_STAFF || assigned_cb != rq->user.unit_id) {
			if (rq->user.role == ROLE_CB_STAFF)
				reply_invalid(rq, "enterprise_id", "企业不存在，或未指派给本机构");
			else
				reply_forbidden(rq);
			return;
		}
		json_t *a = cert_audit_get(rq->db, pi.id, c.enterprise_id);
		bool certify = a && !strcmp(json_string_value(json_object_get(a, "decision")), "certify");
		json_decref(a);
		if (!certify) {
			reply_error(rq, 409, "conflict", "请先记录认证审核及“批准认证”的认证决定，再颁发证书", NULL);
			return;
		}
		c.cb_unit_id = rq->user.unit_id;
		json_t *u = units_get(rq->db, c.cb_unit_id);
		snprintf(c.issuer_name, sizeof(c.issuer_name), "%s", json_string_value(json_object_get(u, "name")));
		json_decref(u);
	}
	/* Holder fields default to the registry's. */
	struct ent_fields ef;
	if (ent_fields_get(rq->db, c.enterprise_id, &ef) == 1) {
		if (!c.holder[0])
			snprintf(c.holder, sizeof(c.holder), "%s", ef.name);
		if (!c.uscc[0])
			snprintf(c.uscc, sizeof(c.uscc), "%s", ef.uscc);
		if (!c.address[0])
			snprintf(c.address, sizeof(c.address), "%s", ef.address);
	}
	if (!c.standard[0])
		snprintf(c.standard, sizeof(c.standard), "GB/T 19001-2016/ISO 9001:2015");
	if (!c.scheme[0])
		snprintf(c.scheme, sizeof(c.scheme), "质量管理体系认证");
	struct cert_fields cf = {c.number, c.holder, c.scope, c.standard, day_of(c.first_issue),
				 day_of(c.issue), day_of(c.expiry), c.headcount};
	struct cert_problem prob;
	if ((c.first_issue[0] && !cf.first_issue) || (c.issue[0] && !cf.issue) || (c.expiry[0] && !cf.expiry)) {
		reply_invalid(rq, c.first_issue[0] && !cf.first_issue ? "first_issue_date" :
			      c.issue[0] && !cf.issue ? "issue_date" : "expiry_date", "日期格式应为 YYYY-MM-DD");
		return;
	}
	if (!cert_validate(&cf, app_today(rq->app), &prob)) {
		reply_invalid(rq, prob.field, prob.message);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t id = cert_insert(rq->db, &c, rq->user.username);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "该发证机构已有相同编号的证书", "number");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, c.prior ? "certificate.record_prior" : "certificate.issue", "certificate", id,
	      json_pack("{s:s,s:I}", "number", c.number, "enterprise_id", (json_int_t)c.enterprise_id));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = cert_get(rq->db, id);
	decorate(rq, out, true);
	reply_json(rq, 201, out);
}

/* ======================== Status changes and surveillance ======================== */

/* May the caller change this certificate? Its issuing body; for a prior
 * certificate, the district of its enterprise or the city. */
static bool manager_or_reply(struct request *rq, json_t *c, int64_t cb, int64_t district)
{
	bool prior = json_is_true(json_object_get(c, "prior"));
	bool ok = prior ? (rq->user.role == ROLE_CITY_ADMIN ||
			   (rq->user.role == ROLE_DISTRICT_OFFICER && rq->user.unit_id == district))
			: (rq->user.role == ROLE_CB_STAFF && rq->user.unit_id == cb);
	if (!ok)
		reply_forbidden(rq);
	return ok;
}

static void change_status(struct request *rq, enum cert_status to, const char *action)
{
	static const char *const keys[] = {"date", "reason", NULL};
	int64_t id, cb, district;
	json_t *c = visible_or_reply(rq, &id, &cb, &district);
	if (!c)
		return;
	if (!manager_or_reply(rq, c, cb, district)) {
		json_decref(c);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	char date[16], reason[1024];
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "date", true, 10, date, sizeof(date), "日期") &&
		  string_field_or_reply(rq, body, "reason", true, 300, reason, sizeof(reason), "原因");
	json_decref(body);
	if (!ok) {
		json_decref(c);
		return;
	}
	int32_t today = app_today(rq->app), on = day_of(date);
	struct cert_state s;
	cert_state_get(rq->db, id, &s);
	json_decref(c);
	enum cert_status from = cert_effective_status(cert_status_parse(s.status), day_of(s.expiry), today);
	char msg[200];
	if (!on) {
		reply_invalid(rq, "date", "日期格式应为 YYYY-MM-DD");
		return;
	}
	if (on > today || on < day_of(s.status_date)) {
		reply_invalid(rq, "date", on > today ? "日期不能晚于今天" : "日期不能早于证书当前状态的起始日期");
		return;
	}
	if (!cert_transition_allowed(from, to)) {
		snprintf(msg, sizeof(msg), "证书当前状态为“%s”，不能变更为“%s”", cert_status_label(from),
			 cert_status_label(to));
		reply_error(rq, 409, "conflict", msg, NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = cert_set_status(rq->db, id, s.status, cert_status_name(to), date, reason, rq->user.username);
	if (rc) {
		db_rollback(rq->db);
		if (rc > 0)
			reply_error(rq, 409, "conflict", "证书状态已被他人修改，请刷新后重试", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, action, "certificate", id, json_pack("{s:s,s:s,s:s}", "to", cert_status_name(to), "date", date,
						       "reason", reason));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = cert_get(rq->db, id);
	decorate(rq, out, true);
	reply_json(rq, 200, out);
}

void api_certificates_suspend(struct request *rq)
{
	change_status(rq, CERT_SUSPENDED, "certificate.suspend");
}

void api_certificates_restore(struct request *rq)
{
	change_status(rq, CERT_VALID, "certificate.restore");
}

void api_certificates_withdraw(struct request *rq)
{
	change_status(rq, CERT_WITHDRAWN, "certificate.withdraw");
}

void api_certificates_cancel(struct request *rq)
{
	change_status(rq, CERT_CANCELLED, "certificate.cancel");
}

void api_certificates_add_surveillance(struct request *rq)
{
	static const char *const keys[] = {"audit_date", "result", "notes", NULL};
	int64_t id, cb, district;
	json_t *c = visible_or_reply(rq, &id, &cb, &district);
	if (!c)
		return;
	bool prior = json_is_true(json_object_get(c, "prior"));
	bool mine = prior ? (rq->user.role == ROLE_CITY_ADMIN ||
			     (rq->user.role == ROLE_DISTRICT_OFFICER && rq->user.unit_id == district))
			  : (rq->user.role == ROLE_CB_STAFF && rq->user.unit_id == cb);
	const char *issue = json_string_value(json_object_get(c, "issue_date"));
	const char *expiry = json_string_value(json_object_get(c, "expiry_date"));
	int32_t issue_d = day_of(issue), expiry_d = day_of(expiry);
	json_decref(c);
	if (!mine) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	char date[16], result[32], notes[2048];
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "audit_date", true, 10, date, sizeof(date), "监督审核日期") &&
		  string_field_or_reply(rq, body, "result", true, 20, result, sizeof(result), "审核结论") &&
		  string_field_or_reply(rq, body, "notes", false, 500, notes, sizeof(notes), "说明");
	json_decref(body);
	if (!ok)
		return;
	int32_t d = day_of(date);
	if (!d) {
		reply_invalid(rq, "audit_date", "日期格式应为 YYYY-MM-DD");
		return;
	}
	if (d < issue_d || d > expiry_d || d > app_today(rq->app)) {
		reply_invalid(rq, "audit_date", d < issue_d ? "监督审核日期不能早于颁证日期" :
			      d > expiry_d ? "监督审核日期不能晚于证书有效期" : "监督审核日期不能晚于今天");
		return;
	}
	if (strcmp(result, "pass") && strcmp(result, "nonconformities") && strcmp(result, "fail")) {
		reply_invalid(rq, "result", "审核结论只能是 pass（通过）、nonconformities（有不符合项已整改）或 fail（未通过）");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t sid = surv_insert(rq->db, id, date, result, notes, rq->user.username);
	if (sid <= 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "certificate.surveillance", "certificate", id, json_pack("{s:s,s:s}", "date", date, "result", result));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = cert_get(rq->db, id);
	decorate(rq, out, true);
	reply_json(rq, 201, out);
}

/* ======================== Certification audit of an enterprise ======================== */

void api_enterprises_audit_get(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t id = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi.id, id, &district, &cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = id};
	if (rc <= 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return;
	}
	json_t *a = cert_audit_get(rq->db, pi.id, id);
	reply_json(rq, 200, json_pack("{s:o}", "audit", a ? a : json_null()));
}

void api_enterprises_audit_put(struct request *rq)
{
	static const char *const keys[] = {"stage1_date", "stage2_date", "team", "nc_found", "nc_closed",
					   "decision", "decision_date", "notes", NULL};
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t id = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi.id, id, &district, &cb);
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = id};
	if (rc <= 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return;
	}
	if (rq->user.role != ROLE_CB_STAFF) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	struct cert_audit a;
	memset(&a, 0, sizeof(a));
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "stage1_date", false, 10, a.stage1, sizeof(a.stage1), "第一阶段审核日期") &&
		  string_field_or_reply(rq, body, "stage2_date", false, 10, a.stage2, sizeof(a.stage2), "第二阶段审核日期") &&
		  string_field_or_reply(rq, body, "team", false, 200, a.team, sizeof(a.team), "审核组") &&
		  int_field_or_reply(rq, body, "nc_found", false, 0, &a.nc_found, "发现的不符合项") &&
		  int_field_or_reply(rq, body, "nc_closed", false, 0, &a.nc_closed, "已关闭的不符合项") &&
		  string_field_or_reply(rq, body, "decision", false, 10, a.decision, sizeof(a.decision), "认证决定") &&
		  string_field_or_reply(rq, body, "decision_date", false, 10, a.decision_date, sizeof(a.decision_date), "决定日期") &&
		  string_field_or_reply(rq, body, "notes", false, 500, a.notes, sizeof(a.notes), "说明");
	json_decref(body);
	if (!ok)
		return;
	if (!a.decision[0])
		snprintf(a.decision, sizeof(a.decision), "pending");
	int32_t s1 = day_of(a.stage1), s2 = day_of(a.stage2), dd = day_of(a.decision_date), today = app_today(rq->app);
	const char *bad = NULL, *msg = NULL;
	if ((a.stage1[0] && !s1) || (a.stage2[0] && !s2) || (a.decision_date[0] && !dd))
		bad = a.stage1[0] && !s1 ? "stage1_date" : a.stage2[0] && !s2 ? "stage2_date" : "decision_date",
		msg = "日期格式应为 YYYY-MM-DD";
	else if (s1 > today || s2 > today || dd > today)
		bad = s1 > today ? "stage1_date" : s2 > today ? "stage2_date" : "decision_date", msg = "日期不能晚于今天";
	else if (s1 && s2 && s2 < s1)
		bad = "stage2_date", msg = "第二阶段审核不能早于第一阶段";
	else if (a.nc_found < 0 || a.nc_closed < 0 || a.nc_closed > a.nc_found)
		bad = "nc_closed", msg = "不符合项数量应为非负整数，已关闭数不能多于发现数";
	else if (strcmp(a.decision, "pending") && strcmp(a.decision, "certify") && strcmp(a.decision, "refuse"))
		bad = "decision", msg = "认证决定只能是 pending、certify 或 refuse";
	else if (!strcmp(a.decision, "certify") && (!s2 || !dd || a.nc_closed < a.nc_found))
		bad = "decision", msg = "批准认证须已完成第二阶段审核、填写决定日期，且不符合项已全部关闭";
	else if (dd && s2 && dd < s2)
		bad = "decision_date", msg = "认证决定不能早于第二阶段审核";
	if (bad) {
		reply_invalid(rq, bad, msg);
		return;
	}
	if (strcmp(a.decision, "certify") && cert_issued_count(rq->db, id, rq->user.unit_id) > 0) {
		reply_error(rq, 409, "conflict", "已依据该认证决定颁发证书，不能再修改为其他决定", "decision");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || cert_audit_put(rq->db, pi.id, id, rq->user.unit_id, &a, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "enterprise.certification_audit", "enterprise", id, json_pack("{s:s}", "decision", a.decision));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, json_pack("{s:o}", "audit", cert_audit_get(rq->db, pi.id, id)));
}

/* ======================== Public verification ======================== */

/* Public endpoints: at most public-rate requests a minute per address; a miss
 * counts double, so guessing numbers runs out quickly. */
static bool public_rate_or_reply(struct request *rq)
{
	char key[96];
	snprintf(key, sizeof(key), "pub:%s", rq->ip);
	int64_t now = now_seconds();
	if (throttle_locked(rq->db, key, now)) {
		reply_error(rq, 429, "rate_limited", "查询过于频繁，请稍后再试", NULL);
		return false;
	}
	throttle_fail(rq->db, key, now, rq->app->cfg.public_rate, 60, 60);
	return true;
}

static void count_miss(struct request *rq)
{
	char key[96];
	snprintf(key, sizeof(key), "pub:%s", rq->ip);
	throttle_fail(rq->db, key, now_seconds(), rq->app->cfg.public_rate, 60, 60);
}

static json_t *public_items_or_reply(struct request *rq, const char *number)
{
	if (!cert_number_valid(number)) {
		count_miss(rq);
		reply_invalid(rq, "number", "证书编号格式不正确");
		return NULL;
	}
	json_t *items = cert_public(rq->db, number);
	if (!json_array_size(items)) {
		json_decref(items);
		count_miss(rq);
		reply_error(rq, 404, "not_found", "未查到该编号的证书，请核对证书编号", NULL);
		return NULL;
	}
	return items;
}

void api_public_certificate(struct request *rq)
{
	if (!public_rate_or_reply(rq))
		return;
	json_t *items = public_items_or_reply(rq, route_param(&rq->params, "number"));
	if (!items)
		return;
	int32_t today = app_today(rq->app);
	size_t i;
	json_t *c;
	json_array_foreach(items, i, c) {
		enum cert_status eff = cert_effective_status(
			cert_status_parse(json_string_value(json_object_get(c, "stored_status"))),
			day_of(json_string_value(json_object_get(c, "expiry_date"))), today);
		json_object_del(c, "stored_status");
		json_object_set_new(c, "status", json_string(cert_status_name(eff)));
		json_object_set_new(c, "status_name", json_string(cert_status_label(eff)));
	}
	char t[11];
	date_format(today, t);
	reply_json(rq, 200, json_pack("{s:s,s:o}", "checked_on", t, "items", items));
}

void api_public_certificate_qr(struct request *rq)
{
	if (!public_rate_or_reply(rq))
		return;
	const char *number = route_param(&rq->params, "number");
	json_t *items = public_items_or_reply(rq, number);
	if (!items)
		return;
	json_decref(items);
	char url[512], err[200];
	verify_url(rq, number, url, sizeof(url));
	struct sbuf svg = {0};
	if (render_qr_svg(url, &svg, err, sizeof(err))) {
		sbuf_free(&svg);
		reply_error(rq, 503, "unavailable", "无法生成二维码", NULL);
		return;
	}
	reply_bytes(rq, 200, "image/svg+xml", svg.buf, svg.len, NULL);
	sbuf_free(&svg);
}
