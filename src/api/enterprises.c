/*
 * enterprises.c - the enterprise registry: one by one or by CSV import,
 * baseline and follow-up indicators, the enterprise contact's account,
 * assignment to a certification body, and the assistance ledger.
 *
 * Scope: the city sees all; a district its own enterprises; a body the
 * enterprises assigned to it; an enterprise itself. Outside scope is 404.
 */
#include "api.h"
#include "../app.h"
#include "../core/csv.h"
#include "../core/declaration.h"
#include "../core/sizeclass.h"
#include "../core/uscc.h"
#include "../http/jsonin.h"
#include "../render/render.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/programmes.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Shared checks ======================== */

static bool in_catalogue(const struct programme_info *pi, const char *name)
{
	for (int i = 0; i < pi->n_industries; i++)
		if (!strcmp(pi->industries[i], name))
			return true;
	return false;
}

/* The district unit id for a district name ("浦东新区"), 0 when unknown. */
int64_t ent_district_unit(struct request *rq, const char *district)
{
	char name[128];
	snprintf(name, sizeof(name), "%s市场监管局", district);
	int64_t id = units_id_by_name(rq->db, name);
	if (!id)
		id = units_id_by_name(rq->db, district);
	char kind[16] = "";
	return id && units_kind(rq->db, id, kind, sizeof(kind)) && !strcmp(kind, "district") ? id : 0;
}

/*
 * Check one enterprise's fields and derive size class and region warning.
 * The district must already be resolved (e->district_unit_id). Returns
 * false with p filled when the enterprise cannot be registered.
 */
bool ent_check(struct request *rq, const struct programme_info *pi, struct ent_fields *e,
		      const char *district_region, struct ent_problem *p)
{
	if (!e->name[0]) {
		p->field = "name";
		snprintf(p->message, sizeof(p->message), "请填写企业名称");
		return false;
	}
	enum uscc_verdict uv = uscc_check(e->uscc);
	if (uv != USCC_OK) {
		p->field = "uscc";
		snprintf(p->message, sizeof(p->message), "%s", uscc_message(uv));
		return false;
	}
	if (!e->industry[0] || !in_catalogue(pi, e->industry)) {
		p->field = "industry";
		snprintf(p->message, sizeof(p->message), "试点行业应为本项目行业目录中的名称");
		return false;
	}
	const struct size_table *t = rq->app->sizes;
	int sector = t ? size_table_find(t, e->sector) : -1;
	if (sector < 0) {
		p->field = "sector";
		snprintf(p->message, sizeof(p->message),
			 "请选择企业划型所依据的行业（如 工业、软件和信息技术服务业、零售业）");
		return false;
	}
	snprintf(e->sector, sizeof(e->sector), "%s", size_table_key(t, sector));
	if (e->employees > 10000000 || e->revenue > 1e9 || e->total_assets > 1e9) {
		p->field = "employees";
		snprintf(p->message, sizeof(p->message), "从业人员或金额数值明显不合理，请核对（金额单位为万元）");
		return false;
	}
	char reason[300];
	enum size_class c = size_classify(t, sector, (double)e->employees, e->revenue, e->total_assets,
					  reason, sizeof(reason));
	snprintf(e->size_class, sizeof(e->size_class), "%s", size_class_name(c));
	if (c == SIZE_UNKNOWN || c == SIZE_MEDIUM || c == SIZE_LARGE) {
		p->field = c != SIZE_UNKNOWN ? "size_class" :
			   strstr(reason, "资产总额") ? "total_assets" :
			   strstr(reason, "营业收入") ? "revenue" : "employees";
		snprintf(p->message, sizeof(p->message), "%.240s%s", reason,
			 c == SIZE_UNKNOWN ? "" : "；本行动只面向小型、微型企业");
		return false;
	}
	if (e->contact_phone[0] && !phone_valid(e->contact_phone)) {
		p->field = "contact_phone";
		snprintf(p->message, sizeof(p->message), "联系电话应为手机号或带区号的固定电话");
		return false;
	}
	char region[7];
	e->region_warning[0] = '\0';
	if (district_region && *district_region && uscc_region(e->uscc, region) &&
	    strcmp(region, district_region))
		snprintf(e->region_warning, sizeof(e->region_warning),
			 "统一社会信用代码中的登记机关代码 %s 与所属区代码 %s 不一致，请核实注册地", region,
			 district_region);
	return true;
}

void ent_region_of(struct request *rq, int64_t unit_id, char out[16])
{
	out[0] = '\0';
	json_t *u = units_get(rq->db, unit_id);
	const char *rc = json_string_value(json_object_get(u, "region_code"));
	if (rc)
		snprintf(out, 16, "%s", rc);
	json_decref(u);
}

static void mask_phone(json_t *e)
{
	const char *p = json_string_value(json_object_get(e, "contact_phone"));
	if (!p || strlen(p) < 7)
		return;
	char m[40];
	size_t n = strlen(p);
	snprintf(m, sizeof(m), "%.3s****%s", p, p + n - 4);
	json_object_set_new(e, "contact_phone", json_string(m));
}

static void decorate(struct request *rq, json_t *e)
{
	const char *sc = json_string_value(json_object_get(e, "size_class"));
	enum size_class c = SIZE_UNKNOWN;
	if (sc && !strcmp(sc, "micro"))
		c = SIZE_MICRO;
	else if (sc && !strcmp(sc, "small"))
		c = SIZE_SMALL;
	json_object_set_new(e, "size_class_name", json_string(size_class_label(c)));
	const struct size_table *t = rq->app->sizes;
	int s = t ? size_table_find(t, json_string_value(json_object_get(e, "sector"))) : -1;
	json_object_set_new(e, "sector_name", json_string(s >= 0 ? size_table_name(t, s) : ""));
}

/* Load {id} if visible to the caller (404 otherwise). */
static json_t *visible_or_reply(struct request *rq, const struct programme_info *pi, int64_t *id_out)
{
	int64_t id = route_param_id(&rq->params, "id"), district = 0, cb = 0;
	int rc = ent_scope(rq->db, pi->id, id, &district, &cb);
	if (rc < 0) {
		reply_db_error(rq);
		return NULL;
	}
	struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = id};
	if (rc == 0 || !scope_allows(&rq->user, &ref)) {
		reply_not_found(rq);
		return NULL;
	}
	*id_out = id;
	return ent_get(rq->db, pi->id, id);
}

/* ======================== Reading ======================== */

static bool ent_filter_or_reply(struct request *rq, const struct programme_info *pi, struct ent_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->programme_id = pi->id;
	f->assigned = -1;
	f->industry = query_get(rq, "industry");
	f->size_class = query_get(rq, "size_class");
	f->park = query_get(rq, "park");
	f->q = query_get(rq, "q");
	const char *district = query_get(rq, "district"), *assigned = query_get(rq, "assigned");
	if (f->industry && !in_catalogue(pi, f->industry)) {
		reply_invalid(rq, "industry", "试点行业不在本项目的行业目录中");
		return false;
	}
	if (district && !(f->district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return false;
	}
	if (f->size_class && strcmp(f->size_class, "micro") && strcmp(f->size_class, "small")) {
		reply_invalid(rq, "size_class", "企业规模只能是 micro 或 small");
		return false;
	}
	if (assigned && strcmp(assigned, "true") && strcmp(assigned, "false")) {
		reply_invalid(rq, "assigned", "assigned 只能是 true 或 false");
		return false;
	}
	if (assigned)
		f->assigned = !strcmp(assigned, "true");
	switch (rq->user.role) {
	case ROLE_DISTRICT_OFFICER:
		if (f->district_unit_id && f->district_unit_id != rq->user.unit_id)
			f->enterprise_id = -1; /* another district: nothing */
		f->district_unit_id = rq->user.unit_id;
		break;
	case ROLE_CB_STAFF:
		f->cb_unit_id = rq->user.unit_id;
		break;
	case ROLE_ENTERPRISE:
		f->enterprise_id = rq->user.enterprise_id ? rq->user.enterprise_id : -1;
		break;
	default:
		break;
	}
	return true;
}

void api_enterprises_list(struct request *rq)
{
	struct paging pg;
	struct programme_info pi;
	struct ent_filter f;
	if (!paging_or_reply(rq, &pg) || !programme_or_reply(rq, &pi) || !ent_filter_or_reply(rq, &pi, &f))
		return;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = ent_list(rq->db, &f, &total);
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		decorate(rq, e);
		mask_phone(e);
	}
	reply_page(rq, items, total, &pg);
}

void api_enterprises_get(struct request *rq)
{
	struct programme_info pi;
	int64_t id;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *e = visible_or_reply(rq, &pi, &id);
	if (!e)
		return;
	decorate(rq, e);
	json_object_set_new(e, "indicators", ent_indicators_get(rq->db, id));
	reply_json(rq, 200, e);
}

void api_enterprises_counts(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	int64_t district = rq->user.role == ROLE_DISTRICT_OFFICER ? rq->user.unit_id : 0;
	reply_json(rq, 200, json_pack("{s:o}", "items", ent_counts(rq->db, pi.id, district)));
}

/* ======================== Writing ======================== */

static const char *const ent_keys[] = {
	"name", "uscc", "address", "district", "industry", "park", "sector", "employees", "revenue",
	"total_assets", "contact_name", "contact_phone", "consent", NULL,
};

/* A number field: absent keeps *out; null clears it (-1); a negative is refused. */
static bool number_or_reply(struct request *rq, json_t *body, const char *key, const char *label,
			    double *out)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return true;
	if (json_is_null(v)) {
		*out = -1;
		return true;
	}
	char msg[160];
	if (!json_is_number(v)) {
		snprintf(msg, sizeof(msg), "%s必须是数字", label);
		reply_error(rq, 400, "bad_type", msg, key);
		return false;
	}
	double d = json_number_value(v);
	if (d < 0 || !isfinite(d)) {
		snprintf(msg, sizeof(msg), "%s不能为负数", label);
		reply_invalid(rq, key, msg);
		return false;
	}
	*out = d;
	return true;
}

/* Apply the JSON fields present in body onto e (absent fields keep their value). */
static bool apply_json_or_reply(struct request *rq, json_t *body, struct ent_fields *e,
				char *district, size_t dn)
{
	struct field_error fe;
	struct {
		const char *key;
		char *out;
		size_t size, max;
		const char *label;
	} texts[] = {
		{"name", e->name, sizeof(e->name), 60, "企业名称"},
		{"uscc", e->uscc, sizeof(e->uscc), 18, "统一社会信用代码"},
		{"address", e->address, sizeof(e->address), 120, "地址"},
		{"district", district, dn, 20, "所属区"},
		{"industry", e->industry, sizeof(e->industry), 20, "试点行业"},
		{"park", e->park, sizeof(e->park), 60, "所属园区/基地/创新中心"},
		{"sector", e->sector, sizeof(e->sector), 30, "划型行业"},
		{"contact_name", e->contact_name, sizeof(e->contact_name), 20, "联系人"},
		{"contact_phone", e->contact_phone, sizeof(e->contact_phone), 20, "联系电话"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		if (!json_object_get(body, texts[i].key))
			continue;
		char tmp[600];
		if (!json_get_string(body, texts[i].key, false, texts[i].max, tmp, sizeof(tmp),
				     texts[i].label, &fe)) {
			reply_error(rq, fe.status, fe.code, fe.message, fe.field);
			return false;
		}
		snprintf(texts[i].out, texts[i].size, "%s", tmp);
	}
	double emp = (double)e->employees;
	if (!number_or_reply(rq, body, "employees", "从业人员", &emp) ||
	    !number_or_reply(rq, body, "revenue", "营业收入", &e->revenue) ||
	    !number_or_reply(rq, body, "total_assets", "资产总额", &e->total_assets))
		return false;
	if (emp >= 0 && emp != floor(emp)) {
		reply_invalid(rq, "employees", "从业人员必须是整数");
		return false;
	}
	e->employees = emp < 0 ? -1 : (int64_t)emp;
	json_t *c = json_object_get(body, "consent");
	if (c && !json_is_boolean(c)) {
		reply_error(rq, 400, "bad_type", "自愿参加必须是 true 或 false", "consent");
		return false;
	}
	if (c)
		e->consent = json_is_true(c);
	return true;
}

static bool resolve_district_or_reply(struct request *rq, const char *district, struct ent_fields *e)
{
	if (rq->user.role == ROLE_DISTRICT_OFFICER) {
		if (district[0] && ent_district_unit(rq, district) != rq->user.unit_id) {
			reply_invalid(rq, "district", "只能登记本区的企业");
			return false;
		}
		e->district_unit_id = rq->user.unit_id;
		return true;
	}
	if (district[0]) {
		int64_t d = ent_district_unit(rq, district);
		if (!d) {
			reply_invalid(rq, "district", "所属区无效");
			return false;
		}
		e->district_unit_id = d;
	}
	if (!e->district_unit_id) {
		reply_invalid(rq, "district", "请选择所属区");
		return false;
	}
	return true;
}

/* Consent given, and the record passes every registry rule (ent_check). */
static bool registrable_or_reply(struct request *rq, const struct programme_info *pi,
				 struct ent_fields *e, const char *consent_message)
{
	if (!e->consent) {
		reply_invalid(rq, "consent", consent_message);
		return false;
	}
	char region[16];
	ent_region_of(rq, e->district_unit_id, region);
	struct ent_problem p;
	if (!ent_check(rq, pi, e, region, &p)) {
		reply_invalid(rq, p.field, p.message);
		return false;
	}
	return true;
}

static json_t *ent_reply_object(struct request *rq, const struct programme_info *pi, int64_t id)
{
	json_t *e = ent_get(rq->db, pi->id, id);
	if (e) {
		decorate(rq, e);
		json_object_set_new(e, "indicators", ent_indicators_get(rq->db, id));
	}
	return e;
}

void api_enterprises_create(struct request *rq)
{
	struct programme_info pi;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	struct ent_fields e;
	memset(&e, 0, sizeof(e));
	e.employees = -1;
	e.revenue = e.total_assets = -1;
	char district[64] = "";
	bool ok = known_fields_or_reply(rq, body, ent_keys) &&
		  apply_json_or_reply(rq, body, &e, district, sizeof(district));
	json_decref(body);
	if (!ok || !resolve_district_or_reply(rq, district, &e))
		return;
	if (!registrable_or_reply(rq, &pi, &e, "企业须自愿参加（请确认企业已同意参加本次提升行动）"))
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t id = ent_insert(rq->db, &e);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "该统一社会信用代码的企业已登记", "uscc");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "enterprise.create", "enterprise", id, json_pack("{s:s,s:s}", "name", e.name, "uscc", e.uscc));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 201, ent_reply_object(rq, &pi, id));
}

void api_enterprises_update(struct request *rq)
{
	struct programme_info pi;
	int64_t id;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *cur = visible_or_reply(rq, &pi, &id);
	if (!cur)
		return;
	json_decref(cur);
	if (rq->user.role == ROLE_CB_STAFF) {
		reply_forbidden(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	static const char *const own_keys[] = {"address", "park", "sector", "employees", "revenue",
					       "total_assets", "contact_name", "contact_phone", NULL};
	struct ent_fields e;
	char district[64] = "";
	bool ok = ent_fields_get(rq->db, id, &e) == 1 &&
		  known_fields_or_reply(rq, body, rq->user.role == ROLE_ENTERPRISE ? own_keys : ent_keys) &&
		  apply_json_or_reply(rq, body, &e, district, sizeof(district));
	json_decref(body);
	if (!ok) {
		if (!rq->answered)
			reply_db_error(rq);
		return;
	}
	if (rq->user.role != ROLE_ENTERPRISE && !resolve_district_or_reply(rq, district, &e))
		return;
	if (!registrable_or_reply(rq, &pi, &e, "企业须自愿参加；如企业退出，请联系市局处理"))
		return;
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = ent_update(rq->db, id, &e);
	if (rc != 0) {
		db_rollback(rq->db);
		if (rc == 1)
			reply_error(rq, 409, "conflict", "该统一社会信用代码的企业已登记", "uscc");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "enterprise.update", "enterprise", id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, ent_reply_object(rq, &pi, id));
}

/* ======================== Indicators ======================== */

void api_enterprises_put_indicators(struct request *rq)
{
	static const char *const keys[] = {"period", "first_pass_yield", "defect_rate", "complaints",
					   "satisfaction", "quality_cost_rate", "revenue", "profit_margin", NULL};
	struct programme_info pi;
	int64_t id;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *cur = visible_or_reply(rq, &pi, &id);
	if (!cur)
		return;
	json_decref(cur);
	const char *kind = route_param(&rq->params, "kind");
	if (strcmp(kind, "baseline") && strcmp(kind, "followup")) {
		reply_not_found(rq);
		return;
	}
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	struct ent_indicators v = {.first_pass_yield = -1, .defect_rate = -1, .satisfaction = -1,
				   .quality_cost_rate = -1, .revenue = -1, .profit_margin = NAN,
				   .complaints = -1};
	double complaints = -1, margin = -1;
	struct {
		const char *key, *label;
		double *out, max;
	} pct[] = {
		{"first_pass_yield", "一次交验合格率（%）", &v.first_pass_yield, 100},
		{"defect_rate", "不良率（%）", &v.defect_rate, 100},
		{"satisfaction", "顾客满意度（%）", &v.satisfaction, 100},
		{"quality_cost_rate", "质量成本率（%）", &v.quality_cost_rate, 100},
		{"revenue", "营业收入（万元）", &v.revenue, 1e9},
		{"complaints", "顾客投诉（次）", &complaints, 1e7},
	};
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "period", true, 20, v.period, sizeof(v.period), "统计期间");
	for (size_t i = 0; ok && i < ARRAY_SIZE(pct); i++) {
		ok = number_or_reply(rq, body, pct[i].key, pct[i].label, pct[i].out);
		if (ok && *pct[i].out > pct[i].max) {
			char msg[120];
			snprintf(msg, sizeof(msg), "%s超出合理范围", pct[i].label);
			reply_invalid(rq, pct[i].key, msg);
			ok = false;
		}
	}
	json_t *m = ok ? json_object_get(body, "profit_margin") : NULL;
	if (ok && m && !json_is_null(m)) {
		if (!json_is_number(m)) {
			reply_error(rq, 400, "bad_type", "利润率必须是数字", "profit_margin");
			ok = false;
		} else if ((margin = json_number_value(m)) < -1000 || margin > 100) {
			reply_invalid(rq, "profit_margin", "利润率（%）应在 -1000 到 100 之间");
			ok = false;
		} else {
			v.profit_margin = margin;
		}
	}
	json_decref(body);
	if (!ok)
		return;
	if (complaints >= 0 && complaints != floor(complaints)) {
		reply_invalid(rq, "complaints", "顾客投诉次数必须是整数");
		return;
	}
	v.complaints = complaints < 0 ? -1 : (int64_t)complaints;
	if (db_begin(rq->db, true) != DB_OK || ent_indicators_put(rq->db, id, kind, &v, rq->user.username)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "enterprise.indicators", "enterprise", id, json_pack("{s:s,s:s}", "kind", kind, "period", v.period));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, ent_indicators_get(rq->db, id));
}

/* ======================== Contact account ======================== */

void api_enterprises_account(struct request *rq)
{
	static const char *const keys[] = {"username", "display_name", NULL};
	struct programme_info pi;
	int64_t id;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *cur = visible_or_reply(rq, &pi, &id);
	if (!cur)
		return;
	json_decref(cur);
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	char username[64], display[200], password[16] = "";
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "username", true, 32, username, sizeof(username), "用户名") &&
		  string_field_or_reply(rq, body, "display_name", true, 60, display, sizeof(display), "联系人姓名");
	json_decref(body);
	if (ok)
		user_create_reply(rq, username, display, "enterprise", 0, id, password);
}

/* ======================== Assignment ======================== */

void api_enterprises_assign(struct request *rq)
{
	static const char *const keys[] = {"cb_unit_id", NULL};
	struct programme_info pi;
	int64_t id;
	if (!programme_or_reply(rq, &pi))
		return;
	json_t *cur = visible_or_reply(rq, &pi, &id);
	if (!cur)
		return;
	char industry[64];
	snprintf(industry, sizeof(industry), "%s", json_string_value(json_object_get(cur, "industry")));
	json_decref(cur);
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	int64_t cb = 0;
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "cb_unit_id", false, 0, &cb, "认证机构");
	json_decref(body);
	if (!ok)
		return;
	if (cb && !selection_exists(rq->db, pi.id, industry, cb)) {
		reply_invalid(rq, "cb_unit_id", "只能指派已遴选为该试点行业服务的认证机构");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int rc = cb ? (assignment_insert(rq->db, pi.id, id, cb, industry, rq->user.username) > 0 ? 0 : -1)
		    : assignment_delete(rq->db, pi.id, id);
	if (rc) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, cb ? "enterprise.assign" : "enterprise.unassign", "enterprise", id,
	      json_pack("{s:I}", "cb_unit_id", (json_int_t)cb));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, ent_reply_object(rq, &pi, id));
}
