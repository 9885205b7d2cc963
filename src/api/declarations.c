/*
 * declarations.c - the declaration form (申报表): draft, submit, return,
 * accept, versions, the stamped scan, PDF and Excel.
 *
 * Owners are the district bureaus and certification bodies (their own unit's
 * declaration); the city reviews all. Every change runs in one transaction
 * with its audit entry.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/declaration.h"
#include "../core/filetype.h"
#include "../http/jsonin.h"
#include "../render/render.h"
#include "../store/audit.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/programmes.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Helpers ======================== */

static const char *const form_fields[] = {
	"unit_name", "joins_pilot", "industries", "leader", "contact_phone", "contact_email",
	"province", "founded", "ownership", "ownership_other", "qualifications", "remarks", NULL,
};

/* Read body {"form":{…}} into f; replies and returns false on bad input. */
static bool form_or_reply(struct request *rq, struct decl_form *f)
{
	static const char *const top[] = {"form", NULL};
	memset(f, 0, sizeof(*f));
	f->joins_pilot = -1;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	json_t *form = json_object_get(body, "form");
	struct field_error e;
	bool ok = known_fields_or_reply(rq, body, top);
	if (ok && (!form || json_is_null(form))) {
		reply_invalid(rq, "form", "请填写申报表内容");
		ok = false;
	} else if (ok && !json_is_object(form)) {
		reply_error(rq, 400, "bad_type", "form 必须是对象", "form");
		ok = false;
	}
	ok = ok && known_fields_or_reply(rq, form, form_fields);
	struct {
		const char *key;
		char *out;
		size_t outsz, max;
		const char *label;
	} texts[] = {
		{"unit_name", f->unit_name, sizeof(f->unit_name), 60, "单位名称"},
		{"leader", f->leader, sizeof(f->leader), 30, "提升行动负责人"},
		{"contact_phone", f->contact_phone, sizeof(f->contact_phone), 20, "联系电话"},
		{"contact_email", f->contact_email, sizeof(f->contact_email), 100, "电子邮箱"},
		{"province", f->province, sizeof(f->province), 30, "所属省市"},
		{"founded", f->founded, sizeof(f->founded), 10, "成立时间"},
		{"ownership", f->ownership, sizeof(f->ownership), 20, "机构属性"},
		{"ownership_other", f->ownership_other, sizeof(f->ownership_other), 60, "其他机构属性"},
		{"qualifications", f->qualifications, sizeof(f->qualifications), 500, "认证资质"},
		{"remarks", f->remarks, sizeof(f->remarks), 500, "备注"},
	};
	for (size_t i = 0; ok && i < ARRAY_SIZE(texts); i++)
		if (!json_get_string(form, texts[i].key, false, texts[i].max, texts[i].out, texts[i].outsz,
				     texts[i].label, &e)) {
			reply_error(rq, e.status, e.code, e.message, e.field);
			ok = false;
		}
	json_t *joins = ok ? json_object_get(form, "joins_pilot") : NULL;
	if (ok && joins && !json_is_null(joins)) {
		if (!json_is_boolean(joins)) {
			reply_error(rq, 400, "bad_type", "参与试点必须是 true 或 false", "joins_pilot");
			ok = false;
		} else {
			f->joins_pilot = json_is_true(joins);
		}
	}
	json_t *inds = ok ? json_object_get(form, "industries") : NULL;
	if (ok && inds && !json_is_null(inds)) {
		if (!json_is_array(inds)) {
			reply_error(rq, 400, "bad_type", "试点行业必须是数组", "industries");
			ok = false;
		} else if (json_array_size(inds) > DECL_MAX_INDUSTRIES) {
			reply_invalid(rq, "industries", "试点行业最多选择 10 个");
			ok = false;
		}
		size_t i;
		json_t *v;
		json_array_foreach(inds, i, v) {
			if (!ok)
				break;
			if (!json_is_string(v) || json_string_length(v) >= sizeof(f->industries[0])) {
				reply_error(rq, 400, "bad_type", "试点行业必须是行业名称", "industries");
				ok = false;
				break;
			}
			snprintf(f->industries[f->n_industries++], sizeof(f->industries[0]), "%s",
				 json_string_value(v));
		}
	}
	json_decref(body);
	return ok;
}

static json_t *nullable(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The stored form: every field present, empty ones null. */
static json_t *form_json(const struct decl_form *f)
{
	json_t *inds = json_array();
	for (int i = 0; i < f->n_industries; i++)
		json_array_append_new(inds, json_string(f->industries[i]));
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}",
		"unit_name", f->unit_name,
		"joins_pilot", f->joins_pilot < 0 ? json_null() : json_boolean(f->joins_pilot),
		"industries", inds, "leader", nullable(f->leader),
		"contact_phone", nullable(f->contact_phone), "contact_email", nullable(f->contact_email),
		"province", nullable(f->province), "founded", nullable(f->founded),
		"ownership", nullable(f->ownership), "ownership_other", nullable(f->ownership_other),
		"qualifications", nullable(f->qualifications), "remarks", f->remarks);
}

/* Back from the stored JSON into the struct (for submit checks and printing). */
static void form_from_json(json_t *j, struct decl_form *f)
{
	memset(f, 0, sizeof(*f));
	json_t *joins = json_object_get(j, "joins_pilot");
	f->joins_pilot = json_is_boolean(joins) ? json_is_true(joins) : -1;
#define COPY(k) snprintf(f->k, sizeof(f->k), "%s", json_string_value(json_object_get(j, #k)) ? \
			 json_string_value(json_object_get(j, #k)) : "")
	COPY(unit_name);
	COPY(leader);
	COPY(contact_phone);
	COPY(contact_email);
	COPY(province);
	COPY(founded);
	COPY(ownership);
	COPY(ownership_other);
	COPY(qualifications);
	COPY(remarks);
#undef COPY
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(j, "industries"), i, v)
		if (json_is_string(v) && f->n_industries < DECL_MAX_INDUSTRIES)
			snprintf(f->industries[f->n_industries++], sizeof(f->industries[0]), "%s",
				 json_string_value(v));
}

static bool validate_or_reply(struct request *rq, const struct decl_form *f, bool is_cb,
			      bool for_submit, const struct programme_info *pi)
{
	const char *cat[64];
	for (int i = 0; i < pi->n_industries; i++)
		cat[i] = pi->industries[i];
	struct decl_problem p;
	if (decl_validate(f, is_cb, for_submit, app_today(rq->app), cat, pi->n_industries, &p))
		return true;
	reply_invalid(rq, p.field, p.message);
	return false;
}

/* Add labels and the deadline to a declaration object. */
static void decorate(struct request *rq, json_t *d, const struct programme_info *pi)
{
	const char *cat = json_string_value(json_object_get(d, "category"));
	const char *st = json_string_value(json_object_get(d, "status"));
	json_object_set_new(d, "category_name", json_string(decl_category_label(cat ? cat : "")));
	json_object_set_new(d, "status_name", json_string(decl_status_label(st ? st : "")));
	int32_t due;
	if (pi->declaration_due[0] && date_parse(pi->declaration_due, &due)) {
		int32_t today = app_today(rq->app);
		bool done = st && strcmp(st, "draft") && strcmp(st, "returned");
		json_object_set_new(d, "deadline", json_pack("{s:s,s:i,s:s}", "due", pi->declaration_due,
			"days_left", (int)(due - today),
			"state", deadline_state_name(deadline_state(due, today, done))));
	}
}

/* Load {id}, check the caller may see it (404 otherwise). */
static bool visible_or_reply(struct request *rq, struct decl_row *r)
{
	int rc = decl_row_get(rq->db, route_param_id(&rq->params, "id"), r);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	struct scope_ref ref = {.owner_unit_id = rc ? r->unit_id : -1};
	if (rc == 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return false;
	}
	return true;
}

/* The caller's own unit must own it (city admins only read). */
static bool owner_or_reply(struct request *rq, const struct decl_row *r)
{
	if (rq->user.unit_id == r->unit_id && rq->user.role != ROLE_CITY_ADMIN)
		return true;
	reply_forbidden(rq);
	return false;
}

static bool begin_or_reply(struct request *rq)
{
	if (db_begin(rq->db, true) == DB_OK)
		return true;
	reply_db_error(rq);
	return false;
}

static bool commit_or_reply(struct request *rq)
{
	if (db_commit(rq->db) == DB_OK)
		return true;
	reply_db_error(rq);
	return false;
}

static void reply_decl(struct request *rq, int status, int64_t id, bool full)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *d = decl_get(rq->db, id);
	if (!d) {
		reply_not_found(rq);
		return;
	}
	decorate(rq, d, &pi);
	if (full) {
		json_object_set_new(d, "versions", decl_versions(rq->db, id));
		json_object_set_new(d, "history", audit_history(rq->db, "declaration", id));
	}
	reply_json(rq, status, d);
}

/* ======================== List, export ======================== */

static bool filter_or_reply(struct request *rq, struct decl_filter *f, const struct programme_info *pi)
{
	memset(f, 0, sizeof(*f));
	f->programme_id = pi->id;
	f->joins = f->late = -1;
	f->category = query_get(rq, "category");
	f->status = query_get(rq, "status");
	f->industry = query_get(rq, "industry");
	f->q = query_get(rq, "q");
	if (f->category && strcmp(f->category, "market_regulation") && strcmp(f->category, "certification_body")) {
		reply_invalid(rq, "category", "单位类别只能是 market_regulation 或 certification_body");
		return false;
	}
	if (f->status && strcmp(f->status, "draft") && strcmp(f->status, "submitted") &&
	    strcmp(f->status, "returned") && strcmp(f->status, "accepted")) {
		reply_invalid(rq, "status", "状态无效");
		return false;
	}
	bool known_industry = !f->industry;
	for (int i = 0; !known_industry && i < pi->n_industries; i++)
		known_industry = !strcmp(pi->industries[i], f->industry);
	if (!known_industry) {
		reply_invalid(rq, "industry", "试点行业不在本项目的行业目录中");
		return false;
	}
	const char *j = query_get(rq, "joins"), *l = query_get(rq, "late");
	if (j && strcmp(j, "true") && strcmp(j, "false")) {
		reply_invalid(rq, "joins", "joins 只能是 true 或 false");
		return false;
	}
	if (l && strcmp(l, "true") && strcmp(l, "false")) {
		reply_invalid(rq, "late", "late 只能是 true 或 false");
		return false;
	}
	if (j)
		f->joins = !strcmp(j, "true");
	if (l)
		f->late = !strcmp(l, "true");
	if (rq->user.role != ROLE_CITY_ADMIN)
		f->unit_id = rq->user.unit_id ? rq->user.unit_id : -1;
	return true;
}

void api_declarations_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	struct decl_filter f;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi) || !filter_or_reply(rq, &f, &pi))
		return;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = decl_list(rq->db, &f, &total);
	size_t i;
	json_t *d;
	json_array_foreach(items, i, d)
		decorate(rq, d, &pi);
	reply_page(rq, items, total, &pg);
}

static const char *jform(json_t *d, const char *k)
{
	json_t *v = json_object_get(json_object_get(d, "form"), k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void join_industries(json_t *d, char *out, size_t n)
{
	size_t i, len = 0;
	json_t *v;
	out[0] = '\0';
	json_array_foreach(json_object_get(json_object_get(d, "form"), "industries"), i, v) {
		int w = snprintf(out + len, n - len, "%s%s", i ? "、" : "", json_string_value(v));
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

void api_declarations_xlsx(struct request *rq)
{
	struct programme_info pi;
	struct decl_filter f;
	if (!programme_or_reply(rq, &pi) || !filter_or_reply(rq, &f, &pi))
		return;
	f.limit = 100000;
	int64_t total = 0;
	json_t *items = decl_list(rq->db, &f, &total);
	static const char *const headers[] = {
		"序号", "单位名称", "单位类别", "参与试点", "试点行业（初步意向）", "所属省市", "成立时间",
		"机构属性", "认证资质", "提升行动负责人", "联系电话", "电子邮箱", "备注", "状态", "逾期提交",
		"提交时间", "版本",
	};
	enum { NCOL = 17 };
	static const double widths[NCOL] = {6, 28, 12, 8, 30, 12, 12, 16, 36, 14, 16, 24, 24, 10, 10, 20, 6};
	size_t n = json_array_size(items);
	/* Strings live in one arena of small fixed cells; the table points into it. */
	char (*cells)[512] = xcalloc(n * NCOL + 1, 512);
	const char **table = xcalloc(n * NCOL + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(items, i);
		char (*row)[512] = cells + i * NCOL;
		json_t *joins = json_object_get(d, "joins_pilot");
		const char *own = jform(d, "ownership");
		snprintf(row[0], 512, "%zu", i + 1);
		snprintf(row[1], 512, "%s", jform(d, "unit_name")[0] ? jform(d, "unit_name") :
			 json_string_value(json_object_get(json_object_get(d, "unit"), "name")));
		snprintf(row[2], 512, "%s", decl_category_label(json_string_value(json_object_get(d, "category"))));
		snprintf(row[3], 512, "%s", json_is_null(joins) ? "" : json_is_true(joins) ? "是" : "否");
		join_industries(d, row[4], 512);
		snprintf(row[5], 512, "%s", jform(d, "province"));
		snprintf(row[6], 512, "%s", jform(d, "founded"));
		if (!strcmp(own, "other"))
			snprintf(row[7], 512, "其他（%s）", jform(d, "ownership_other"));
		else
			snprintf(row[7], 512, "%s", ownership_label(own));
		snprintf(row[8], 512, "%s", jform(d, "qualifications"));
		snprintf(row[9], 512, "%s", jform(d, "leader"));
		snprintf(row[10], 512, "%s", jform(d, "contact_phone"));
		snprintf(row[11], 512, "%s", jform(d, "contact_email"));
		snprintf(row[12], 512, "%s", jform(d, "remarks"));
		snprintf(row[13], 512, "%s", decl_status_label(json_string_value(json_object_get(d, "status"))));
		snprintf(row[14], 512, "%s", json_is_true(json_object_get(d, "late")) ? "是" : "否");
		json_t *at = json_object_get(d, "submitted_at");
		snprintf(row[15], 512, "%s", json_is_string(at) ? json_string_value(at) : "");
		snprintf(row[16], 512, "%d", (int)json_integer_value(json_object_get(d, "version")));
		for (int c = 0; c < NCOL; c++)
			table[i * NCOL + (size_t)c] = row[c];
	}
	struct sbuf out = {0};
	char err[256], title[400];
	snprintf(title, sizeof(title), "%s · 试点工作申报表汇总（共 %zu 份）", pi.name, n);
	int rc = render_xlsx_table("申报表汇总", title, headers, NCOL, table, (long)n, widths, &out,
				   err, sizeof(err));
	free(table);
	free(cells);
	json_decref(items);
	if (rc != 0) {
		log_error("xlsx export failed: %s", err);
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "导出失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    out.buf, out.len, "申报表汇总.xlsx");
	sbuf_free(&out);
}

/* ======================== One declaration ======================== */

void api_declarations_mine(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t id = decl_id_for_unit(rq->db, pi.id, rq->user.unit_id);
	if (!id) {
		reply_error(rq, 404, "not_found", "本单位尚未填写申报表", NULL);
		return;
	}
	reply_decl(rq, 200, id, true);
}

void api_declarations_get(struct request *rq)
{
	struct decl_row r;
	if (visible_or_reply(rq, &r))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_create(struct request *rq)
{
	struct programme_info pi;
	struct decl_form f;
	char kind[16] = "";
	if (!programme_or_reply(rq, &pi) || !form_or_reply(rq, &f))
		return;
	units_kind(rq->db, rq->user.unit_id, kind, sizeof(kind));
	bool is_cb = !strcmp(kind, "cb");
	if (!validate_or_reply(rq, &f, is_cb, false, &pi) || !begin_or_reply(rq))
		return;
	json_t *fj = form_json(&f);
	char *text = json_dumps(fj, JSON_COMPACT);
	json_decref(fj);
	int64_t id = decl_insert(rq->db, pi.id, rq->user.unit_id, decl_category_for_kind(kind),
				 f.joins_pilot, text, f.industries, f.n_industries);
	free(text);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "本单位已有申报表，请在原申报表上修改", NULL);
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.create", "declaration", id, NULL);
	if (commit_or_reply(rq))
		reply_decl(rq, 201, id, true);
}

void api_declarations_update(struct request *rq)
{
	struct programme_info pi;
	struct decl_row r;
	struct decl_form f;
	if (!visible_or_reply(rq, &r) || !owner_or_reply(rq, &r) || !programme_or_reply(rq, &pi) ||
	    !form_or_reply(rq, &f))
		return;
	if (strcmp(r.status, "draft") && strcmp(r.status, "returned")) {
		reply_error(rq, 409, "conflict", !strcmp(r.status, "accepted") ?
			    "申报表已通过审核，不能再修改" : "申报表已提交，等待审核期间不能修改", NULL);
		return;
	}
	bool is_cb = !strcmp(r.category, "certification_body");
	if (!validate_or_reply(rq, &f, is_cb, false, &pi) || !begin_or_reply(rq))
		return;
	json_t *fj = form_json(&f);
	char *text = json_dumps(fj, JSON_COMPACT);
	json_decref(fj);
	int rc = decl_update_form(rq->db, r.id, f.joins_pilot, text, f.industries, f.n_industries);
	free(text);
	if (rc) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.update", "declaration", r.id, NULL);
	if (commit_or_reply(rq))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_submit(struct request *rq)
{
	struct programme_info pi;
	struct decl_row r;
	if (!visible_or_reply(rq, &r) || !owner_or_reply(rq, &r) || !programme_or_reply(rq, &pi))
		return;
	if (strcmp(r.status, "draft") && strcmp(r.status, "returned")) {
		reply_error(rq, 409, "conflict", !strcmp(r.status, "accepted") ?
			    "申报表已通过审核" : "申报表已提交，请勿重复提交", NULL);
		return;
	}
	json_t *d = decl_get(rq->db, r.id);
	struct decl_form f;
	form_from_json(json_object_get(d, "form"), &f);
	json_decref(d);
	if (!validate_or_reply(rq, &f, !strcmp(r.category, "certification_body"), true, &pi))
		return;
	int32_t due, today = app_today(rq->app);
	bool late = pi.declaration_due[0] && date_parse(pi.declaration_due, &due) && today > due;
	if (late && !pi.allow_late) {
		reply_error(rq, 409, "deadline_passed", "已超过申报截止日期，本项目不接受逾期提交", NULL);
		return;
	}
	if (!begin_or_reply(rq))
		return;
	if (decl_submit(rq->db, r.id, late, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.submit", "declaration", r.id,
	      json_pack("{s:i,s:b}", "version", r.version + 1, "late", late));
	if (commit_or_reply(rq))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_return(struct request *rq)
{
	struct decl_row r;
	if (!visible_or_reply(rq, &r))
		return;
	char reason[2048];
	if (!return_reason_or_reply(rq, reason, sizeof(reason)))
		return;
	if (strcmp(r.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只有已提交的申报表可以退回", NULL);
		return;
	}
	if (!begin_or_reply(rq))
		return;
	if (decl_return(rq->db, r.id, reason)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.return", "declaration", r.id,
	      json_pack("{s:i,s:s}", "version", r.version, "reason", reason));
	if (commit_or_reply(rq))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_accept(struct request *rq)
{
	struct decl_row r;
	if (!visible_or_reply(rq, &r))
		return;
	if (strcmp(r.status, "submitted")) {
		reply_error(rq, 409, "conflict", "只有已提交的申报表可以通过", NULL);
		return;
	}
	if (!begin_or_reply(rq))
		return;
	if (decl_accept(rq->db, r.id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.accept", "declaration", r.id, json_pack("{s:i}", "version", r.version));
	if (commit_or_reply(rq))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_version(struct request *rq)
{
	struct decl_row r;
	if (!visible_or_reply(rq, &r))
		return;
	const char *vs = route_param(&rq->params, "version");
	char *end;
	long v = strtol(vs ? vs : "", &end, 10);
	json_t *ver = *end || v < 1 || v > 100000 ? NULL : decl_version_get(rq->db, r.id, (int)v);
	if (!ver) {
		reply_not_found(rq);
		return;
	}
	reply_json(rq, 200, ver);
}

/* ======================== Scan and PDF ======================== */

void api_declarations_put_scan(struct request *rq)
{
	struct decl_row r;
	if (!visible_or_reply(rq, &r) || !owner_or_reply(rq, &r))
		return;
	if (!strcmp(r.status, "draft")) {
		reply_error(rq, 409, "conflict", "请先提交申报表，再上传盖章扫描件", NULL);
		return;
	}
	if (!rq->body || rq->body_len == 0) {
		reply_invalid(rq, "file", "上传的文件为空");
		return;
	}
	const char *sniffed = filetype_sniff(rq->body, rq->body_len);
	const char *declared = header_get(rq, "Content-Type");
	if (!sniffed || !filetype_same(declared, sniffed)) {
		reply_error(rq, 415, "unsupported_media_type",
			    "只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别，请勿修改扩展名）", "file");
		return;
	}
	char name[400];
	filename_clean(query_get(rq, "filename"), name, sizeof(name));
	if (!begin_or_reply(rq))
		return;
	int64_t fid = files_insert(rq->db, sniffed, name, rq->body, rq->body_len, rq->user.user_id);
	if (fid <= 0 || decl_set_scan(rq->db, r.id, fid)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "declaration.scan", "declaration", r.id,
	      json_pack("{s:s,s:s,s:I}", "filename", name, "content_type", sniffed,
			"size", (json_int_t)rq->body_len));
	if (commit_or_reply(rq))
		reply_decl(rq, 200, r.id, true);
}

void api_declarations_get_scan(struct request *rq)
{
	struct decl_row r;
	if (!visible_or_reply(rq, &r))
		return;
	int64_t fid = decl_scan_file(rq->db, r.id);
	struct file_blob fb;
	if (!fid || files_get(rq->db, fid, &fb) != 1) {
		reply_error(rq, 404, "not_found", "尚未上传盖章扫描件", NULL);
		return;
	}
	reply_bytes(rq, 200, fb.content_type, fb.data, fb.size, fb.filename);
	free(fb.data);
}

void api_declarations_pdf(struct request *rq)
{
	struct programme_info pi;
	struct decl_row r;
	if (!visible_or_reply(rq, &r) || !programme_or_reply(rq, &pi))
		return;
	json_t *d = decl_get(rq->db, r.id);
	struct decl_form f;
	form_from_json(json_object_get(d, "form"), &f);
	char inds[1024] = "", contact[300], status[200], today[11];
	join_industries(d, inds, sizeof(inds));
	snprintf(contact, sizeof(contact), "%s%s%s", f.contact_phone,
		 f.contact_phone[0] && f.contact_email[0] ? "    " : "", f.contact_email);
	snprintf(status, sizeof(status), "状态：%s%s%s", decl_status_label(r.status),
		 r.version ? "" : "（未提交）",
		 json_is_true(json_object_get(d, "late")) ? " · 逾期提交" : "");
	if (r.version) {
		size_t n = strlen(status);
		snprintf(status + n, sizeof(status) - n, " · 第 %d 版", r.version);
	}
	date_format(app_today(rq->app), today);
	struct decl_print p = {
		.programme_name = pi.name,
		.unit_name = f.unit_name[0] ? f.unit_name :
			     json_string_value(json_object_get(json_object_get(d, "unit"), "name")),
		.is_cb = !strcmp(r.category, "certification_body"),
		.joins = f.joins_pilot,
		.industries = inds, .leader = f.leader, .contact = contact,
		.province = f.province, .founded = f.founded, .ownership = f.ownership,
		.ownership_other = f.ownership_other, .qualifications = f.qualifications,
		.remarks = f.remarks, .status_line = status, .printed_on = today,
	};
	struct sbuf out = {0};
	char err[256], fname[400];
	int rc = render_declaration_pdf(&p, &out, err, sizeof(err));
	snprintf(fname, sizeof(fname), "申报表-%.300s.pdf", p.unit_name ? p.unit_name : "");
	json_decref(d);
	if (rc) {
		log_error("declaration pdf failed: %s", err);
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "生成 PDF 失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/pdf", out.buf, out.len, fname);
	sbuf_free(&out);
}
