/*
 * seed.c - see seed.h.
 */
#include "seed.h"
#include "app.h"
#include "core/calendar.h"
#include "core/diagnosis.h"
#include "core/sizeclass.h"
#include "store/db.h"
#include "store/audit.h"
#include "store/certificates.h"
#include "store/declarations.h"
#include "store/deadlines.h"
#include "store/diagnoses.h"
#include "store/reports.h"
#include "store/notices.h"
#include "http/session.h"
#include "store/enterprises.h"
#include "store/workplans.h"
#include "store/programmes.h"
#include "store/users.h"
#include "util.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECL_SEED_MAX 10

static json_t *load_json(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		snprintf(err, errlen, "无法读取 %s：%s（第 %d 行）", path, je.text, je.line);
	return j;
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_programmes(struct db *db, const char *data_dir, char *err, size_t errlen)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/programmes", data_dir);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "找不到项目目录 %s", dir);
		return -1;
	}
	char *names[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < ARRAY_SIZE(names)) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
			names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1400];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		json_t *def = rc ? NULL : load_json(path, err, errlen);
		if (!rc && (!def || programmes_upsert(db, def, err, errlen) < 0))
			rc = -1;
		json_decref(def);
		free(names[i]);
	}
	return rc;
}

static int load_units(struct db *db, const char *data_dir, char *err, size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/units.json", data_dir);
	json_t *j = load_json(path, err, errlen);
	if (!j)
		return -1;
	int rc = 0;
	json_t *city = json_object_get(j, "city");
	if (!jstr(city, "name") ||
	    units_upsert(db, "city", jstr(city, "name"), jstr(city, "short_name"), NULL,
			 jstr(city, "region_code"), NULL) < 0)
		rc = -1;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(j, "districts"), i, u) {
		if (rc)
			break;
		if (!jstr(u, "name") || !jstr(u, "district") ||
		    units_upsert(db, "district", jstr(u, "name"), jstr(u, "district"), jstr(u, "district"),
				 jstr(u, "region_code"), NULL) < 0)
			rc = -1;
	}
	if (rc)
		snprintf(err, errlen, "单位名录 %s 无效或无法保存：%s", path, db_errmsg(db));
	json_decref(j);
	return rc;
}

/* Checklists (data/checklists/NAME.json): a code+version already loaded is kept as it is. */
static int load_checklists(struct db *db, const char *data_dir, char *err, size_t errlen)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/checklists", data_dir);
	DIR *d = opendir(dir);
	if (!d)
		return 0; /* none shipped: diagnoses cannot start, nothing else depends on it */
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < ARRAY_SIZE(names)) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
			names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1400], why[400];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *text = rc ? NULL : read_file(path, NULL);
		json_t *cl = text ? checklist_parse(text, why, sizeof(why)) : NULL;
		bool created;
		if (!rc && !text) {
			snprintf(err, errlen, "无法读取检查表 %s", path);
			rc = -1;
		} else if (!rc && !cl) {
			snprintf(err, errlen, "检查表 %s 无效：%s", path, why);
			rc = -1;
		} else if (!rc && checklist_store(db, cl, &created) < 0) {
			snprintf(err, errlen, "无法保存检查表 %s：%s", path, db_errmsg(db));
			rc = -1;
		}
		json_decref(cl);
		free(text);
		free(names[i]);
	}
	return rc;
}

int seed_reference(struct db *db, const char *data_dir, char *err, size_t errlen)
{
	if (db_begin(db, true) != DB_OK) {
		snprintf(err, errlen, "数据库忙：%s", db_errmsg(db));
		return -1;
	}
	if (load_programmes(db, data_dir, err, errlen) || load_units(db, data_dir, err, errlen) ||
	    load_checklists(db, data_dir, err, errlen)) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == DB_OK ? 0 : -1;
}

static int demo_user(struct db *db, struct app *app, json_t *u, const char *password, char *err,
		     size_t errlen)
{
	const char *username = jstr(u, "username"), *role = jstr(u, "role");
	int64_t unit_id = 0, ent_id = 0;
	if (jstr(u, "unit") && (unit_id = units_id_by_name(db, jstr(u, "unit"))) == 0) {
		snprintf(err, errlen, "演示用户 %s 的单位不存在：%s", username, jstr(u, "unit"));
		return -1;
	}
	if (jstr(u, "enterprise_uscc") &&
	    (ent_id = enterprises_id_by_uscc(db, jstr(u, "enterprise_uscc"))) == 0) {
		snprintf(err, errlen, "演示用户 %s 的企业不存在", username);
		return -1;
	}
	struct user_row existing;
	if (users_get_by_name(db, username, &existing) == 1)
		return 0; /* keep the account as it is (its password may have been changed) */
	char hash[128];
	if (app_hash_password(app, password, hash) != 0) {
		snprintf(err, errlen, "无法计算密码哈希");
		return -1;
	}
	if (users_insert(db, username, jstr(u, "display_name"), role, unit_id, ent_id, hash, false) <= 0) {
		snprintf(err, errlen, "无法创建演示用户 %s：%s", username, db_errmsg(db));
		return -1;
	}
	return 0;
}

static double jnum_or(json_t *o, const char *k, double def)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : def;
}

/* A demo enterprise, classified with the same size table as real ones. */
static int demo_enterprise(struct db *db, struct app *app, json_t *x, char *err, size_t errlen)
{
	char unit[128];
	snprintf(unit, sizeof(unit), "%s市场监管局", jstr(x, "district") ? jstr(x, "district") : "");
	struct ent_fields e;
	memset(&e, 0, sizeof(e));
	e.district_unit_id = units_id_by_name(db, unit);
	if (!e.district_unit_id || !jstr(x, "name") || !jstr(x, "uscc") || !jstr(x, "sector")) {
		snprintf(err, errlen, "演示企业无效：%s", jstr(x, "name") ? jstr(x, "name") : "?");
		return -1;
	}
	if (ent_id_by_uscc(db, jstr(x, "uscc")))
		return 0;
	snprintf(e.name, sizeof(e.name), "%s", jstr(x, "name"));
	snprintf(e.uscc, sizeof(e.uscc), "%s", jstr(x, "uscc"));
	snprintf(e.address, sizeof(e.address), "%s", jstr(x, "address") ? jstr(x, "address") : "");
	snprintf(e.industry, sizeof(e.industry), "%s", jstr(x, "industry") ? jstr(x, "industry") : "");
	snprintf(e.park, sizeof(e.park), "%s", jstr(x, "park") ? jstr(x, "park") : "");
	snprintf(e.contact_name, sizeof(e.contact_name), "%s", jstr(x, "contact_name") ? jstr(x, "contact_name") : "");
	snprintf(e.contact_phone, sizeof(e.contact_phone), "%s", jstr(x, "contact_phone") ? jstr(x, "contact_phone") : "");
	e.employees = (int64_t)jnum_or(x, "employees", -1);
	e.revenue = jnum_or(x, "revenue", -1);
	e.total_assets = jnum_or(x, "total_assets", -1);
	e.consent = json_is_true(json_object_get(x, "consent"));
	int sector = app->sizes ? size_table_find(app->sizes, jstr(x, "sector")) : -1;
	if (sector < 0) {
		snprintf(err, errlen, "演示企业 %s 的划型行业未知：%s", e.name, jstr(x, "sector"));
		return -1;
	}
	snprintf(e.sector, sizeof(e.sector), "%s", size_table_key(app->sizes, sector));
	enum size_class c = size_classify(app->sizes, sector, (double)e.employees, e.revenue,
					  e.total_assets, NULL, 0);
	if (c != SIZE_MICRO && c != SIZE_SMALL) {
		snprintf(err, errlen, "演示企业 %s 不是小微企业", e.name);
		return -1;
	}
	snprintf(e.size_class, sizeof(e.size_class), "%s", size_class_name(c));
	if (ent_insert(db, &e) <= 0) {
		snprintf(err, errlen, "无法保存演示企业 %s：%s", e.name, db_errmsg(db));
		return -1;
	}
	return 0;
}

/* Assignments to the selected body and baseline indicators of demo enterprises. */
static int load_demo_assignments(struct db *db, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1)
		return 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "enterprises"), i, x) {
		int64_t id = ent_id_by_uscc(db, jstr(x, "uscc"));
		const char *cb = jstr(x, "cb");
		if (id && cb) {
			int64_t cb_id = units_id_by_name(db, cb);
			if (!cb_id || assignment_insert(db, pi.id, id, cb_id, jstr(x, "industry"), "pudong") < 0) {
				snprintf(err, errlen, "无法保存演示指派：%s", db_errmsg(db));
				return -1;
			}
		}
		static const char *const kinds[] = {"baseline", "followup"};
		for (int k = 0; k < 2; k++) {
			json_t *b = json_object_get(x, kinds[k]);
			if (!id || !json_is_object(b))
				continue;
			struct ent_indicators v = {
				.first_pass_yield = jnum_or(b, "first_pass_yield", -1),
				.defect_rate = jnum_or(b, "defect_rate", -1),
				.satisfaction = jnum_or(b, "satisfaction", -1),
				.quality_cost_rate = jnum_or(b, "quality_cost_rate", -1),
				.revenue = jnum_or(b, "revenue", -1),
				.profit_margin = jnum_or(b, "profit_margin", 0),
				.complaints = (int64_t)jnum_or(b, "complaints", -1),
			};
			snprintf(v.period, sizeof(v.period), "%s", jstr(b, "period") ? jstr(b, "period") : "");
			if (ent_indicators_put(db, id, kinds[k], &v, "(演示数据)")) {
				snprintf(err, errlen, "无法保存演示指标：%s", db_errmsg(db));
				return -1;
			}
		}
	}
	return 0;
}

/* Demo work plans: enterprises by USCC and bodies by name, resolved to ids. */
static int load_demo_workplans(struct db *db, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1)
		return 0;
	size_t i, k, m;
	json_t *x, *in, *v;
	json_array_foreach(json_object_get(j, "workplans"), i, x) {
		int64_t unit = jstr(x, "unit") ? units_id_by_name(db, jstr(x, "unit")) : 0;
		if (!unit) {
			snprintf(err, errlen, "演示工作方案 %zu 的单位无效", i + 1);
			return -1;
		}
		if (wp_id_for_unit(db, pi.id, unit))
			continue;
		json_t *inds = json_array();
		json_array_foreach(json_object_get(x, "industries"), k, in) {
			json_t *ents = json_array(), *cbs = json_array();
			json_array_foreach(json_object_get(in, "enterprises"), m, v)
				json_array_append_new(ents, json_integer(ent_id_by_uscc(db, json_string_value(v))));
			json_array_foreach(json_object_get(in, "cbs"), m, v)
				json_array_append_new(cbs, json_integer(units_id_by_name(db, json_string_value(v))));
			json_array_append_new(inds, json_pack("{s:O,s:o,s:o}", "industry",
				json_object_get(in, "industry"), "enterprise_ids", ents, "cb_unit_ids", cbs));
		}
		json_t *content = json_pack("{s:o,s:O,s:O}", "industries", inds, "steps",
					    json_object_get(x, "steps"), "summary", json_object_get(x, "summary"));
		char *text = json_dumps(content, JSON_COMPACT);
		json_decref(content);
		int64_t id = wp_insert(db, pi.id, unit, text);
		free(text);
		const char *status = jstr(x, "status") ? jstr(x, "status") : "draft";
		int rc = id > 0 ? 0 : -1;
		if (!rc && strcmp(status, "draft"))
			rc = wp_submit(db, id, json_is_true(json_object_get(x, "late")), "(演示数据)");
		if (!rc && !strcmp(status, "approved"))
			rc = wp_approve(db, id);
		/* The plan's history, as the people of the demo would have left it. */
		audit_append(db, 0, "pudong", "demo", "workplan.create", "workplan", id, NULL);
		if (strcmp(status, "draft"))
			audit_append(db, 0, "pudong", "demo", "workplan.submit", "workplan", id,
				     json_pack("{s:i,s:b}", "version", 1, "late", 0));
		if (!strcmp(status, "approved"))
			audit_append(db, 0, "city", "demo", "workplan.approve", "workplan", id,
				     json_pack("{s:i}", "version", 1));
		if (rc) {
			snprintf(err, errlen, "无法保存演示工作方案：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

/* Demo certification: an audit and certificate by a pilot body, and certificates
 * held before joining, one overdue for surveillance and one long suspended. */
static int load_demo_certification(struct db *db, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1)
		return 0;
	size_t i, k;
	json_t *x, *v;
	json_array_foreach(json_object_get(j, "certification"), i, x) {
		int64_t ent = ent_id_by_uscc(db, jstr(x, "enterprise") ? jstr(x, "enterprise") : "");
		json_t *c = json_object_get(x, "certificate");
		struct ent_fields ef;
		if (!ent || !json_is_object(c) || ent_fields_get(db, ent, &ef) != 1) {
			snprintf(err, errlen, "演示证书 %zu 无效", i + 1);
			return -1;
		}
		struct cert_rec r;
		memset(&r, 0, sizeof(r));
		r.enterprise_id = ent;
		r.prior = json_is_true(json_object_get(x, "prior"));
		if (r.prior) {
			snprintf(r.issuer_name, sizeof(r.issuer_name), "%s", jstr(x, "issuer_name"));
		} else {
			r.cb_unit_id = units_id_by_name(db, jstr(x, "cb"));
			snprintf(r.issuer_name, sizeof(r.issuer_name), "%s", jstr(x, "cb"));
		}
		json_t *pub = cert_public(db, jstr(c, "number"));
		bool exists = json_array_size(pub) > 0;
		json_decref(pub);
		if (exists)
			continue;
		json_t *a = json_object_get(x, "audit");
		if (json_is_object(a)) {
			struct cert_audit au;
			memset(&au, 0, sizeof(au));
			snprintf(au.stage1, sizeof(au.stage1), "%s", jstr(a, "stage1_date"));
			snprintf(au.stage2, sizeof(au.stage2), "%s", jstr(a, "stage2_date"));
			snprintf(au.team, sizeof(au.team), "%s", jstr(a, "team"));
			snprintf(au.decision, sizeof(au.decision), "%s", jstr(a, "decision"));
			snprintf(au.decision_date, sizeof(au.decision_date), "%s", jstr(a, "decision_date"));
			snprintf(au.notes, sizeof(au.notes), "%s", jstr(a, "notes") ? jstr(a, "notes") : "");
			au.nc_found = (int64_t)jnum_or(a, "nc_found", 0);
			au.nc_closed = (int64_t)jnum_or(a, "nc_closed", 0);
			if (cert_audit_put(db, pi.id, ent, r.cb_unit_id, &au, "cb1")) {
				snprintf(err, errlen, "无法保存演示认证审核：%s", db_errmsg(db));
				return -1;
			}
		}
		snprintf(r.number, sizeof(r.number), "%s", jstr(c, "number"));
		snprintf(r.holder, sizeof(r.holder), "%s", ef.name);
		snprintf(r.uscc, sizeof(r.uscc), "%s", ef.uscc);
		snprintf(r.address, sizeof(r.address), "%s", ef.address);
		snprintf(r.sites, sizeof(r.sites), "%s", jstr(c, "sites") ? jstr(c, "sites") : ef.address);
		snprintf(r.scope, sizeof(r.scope), "%s", jstr(c, "scope"));
		snprintf(r.standard, sizeof(r.standard), "GB/T 19001-2016/ISO 9001:2015");
		snprintf(r.scheme, sizeof(r.scheme), "质量管理体系认证");
		snprintf(r.issue, sizeof(r.issue), "%s", jstr(c, "issue_date"));
		snprintf(r.first_issue, sizeof(r.first_issue), "%s", jstr(c, "issue_date"));
		snprintf(r.expiry, sizeof(r.expiry), "%s", jstr(c, "expiry_date"));
		r.headcount = (int64_t)jnum_or(c, "headcount", 1);
		int64_t id = cert_insert(db, &r, r.prior ? "pudong" : "cb1");
		if (id <= 0) {
			snprintf(err, errlen, "无法保存演示证书：%s", db_errmsg(db));
			return -1;
		}
		json_array_foreach(json_object_get(x, "surveillances"), k, v)
			if (surv_insert(db, id, jstr(v, "audit_date"), jstr(v, "result"), "", "(演示数据)") <= 0) {
				snprintf(err, errlen, "无法保存演示监督审核：%s", db_errmsg(db));
				return -1;
			}
		json_t *sus = json_object_get(x, "suspend");
		if (json_is_object(sus) && cert_set_status(db, id, "valid", "suspended", jstr(sus, "date"),
							   jstr(sus, "reason"), "pudong")) {
			snprintf(err, errlen, "无法保存演示证书暂停：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

/* Demo notices (every audience, one scheduled) and training sessions with attendance. */
static int load_demo_notices_training(struct db *db, json_t *j, char *err, size_t errlen)
{
	size_t i, k;
	json_t *x, *r;
	json_array_foreach(json_object_get(j, "notices"), i, x) {
		struct notice_viewer all = {.all = true, .today = "9999-12-31"};
		int64_t total = 0, unread = 0;
		json_t *existing = notices_list(db, &all, jstr(x, "title"), false, 1, 0, &total, &unread);
		json_decref(existing);
		if (total)
			continue;
		struct notice_rec n;
		memset(&n, 0, sizeof(n));
		snprintf(n.title, sizeof(n.title), "%s", jstr(x, "title"));
		n.body = (char *)jstr(x, "body");
		snprintf(n.audience, sizeof(n.audience), "%s", jstr(x, "audience"));
		snprintf(n.publish_date, sizeof(n.publish_date), "%s", jstr(x, "publish_date"));
		if (jstr(x, "audience_district")) {
			char unit[128];
			snprintf(unit, sizeof(unit), "%s市场监管局", jstr(x, "audience_district"));
			n.audience_district_unit_id = units_id_by_name(db, unit);
		}
		if (notice_insert(db, &n, units_id_by_name(db, jstr(x, "publisher")), jstr(x, "author")) <= 0) {
			snprintf(err, errlen, "无法保存演示通知：%s", db_errmsg(db));
			return -1;
		}
	}
	json_array_foreach(json_object_get(j, "trainings"), i, x) {
		struct training_filter f = {.limit = 1000};
		int64_t total = 0;
		json_t *list = trainings_list(db, &f, &total);
		bool exists = false;
		json_t *t;
		size_t m;
		json_array_foreach(list, m, t)
			exists = exists || !strcmp(json_string_value(json_object_get(t, "title")), jstr(x, "title"));
		json_decref(list);
		if (exists)
			continue;
		struct training_rec tr;
		memset(&tr, 0, sizeof(tr));
		snprintf(tr.title, sizeof(tr.title), "%s", jstr(x, "title"));
		snprintf(tr.kind, sizeof(tr.kind), "%s", jstr(x, "kind"));
		snprintf(tr.industry, sizeof(tr.industry), "%s", jstr(x, "industry"));
		snprintf(tr.starts_at, sizeof(tr.starts_at), "%s", jstr(x, "starts_at"));
		snprintf(tr.ends_at, sizeof(tr.ends_at), "%s", jstr(x, "ends_at"));
		snprintf(tr.place, sizeof(tr.place), "%s", jstr(x, "place"));
		snprintf(tr.link, sizeof(tr.link), "%s", jstr(x, "link"));
		snprintf(tr.materials, sizeof(tr.materials), "%s", jstr(x, "materials"));
		tr.capacity = (int64_t)jnum_or(x, "capacity", 30);
		char token[TOKEN_CHARS + 1];
		token_new(token);
		int64_t id = training_insert(db, &tr, units_id_by_name(db, jstr(x, "organiser")), token, jstr(x, "author"));
		if (id <= 0) {
			snprintf(err, errlen, "无法保存演示培训：%s", db_errmsg(db));
			return -1;
		}
		json_array_foreach(json_object_get(x, "registrations"), k, r) {
			int64_t rid = training_register(db, id, ent_id_by_uscc(db, jstr(r, "enterprise")), jstr(r, "name"),
							jstr(r, "post"), jstr(r, "phone"), "(演示数据)");
			if (rid <= 0 || (json_is_true(json_object_get(r, "attended")) && training_attend(db, rid, true))) {
				snprintf(err, errlen, "无法保存演示报名：%s", db_errmsg(db));
				return -1;
			}
		}
	}
	return 0;
}

static int load_demo(struct db *db, struct app *app, json_t *j, char *err, size_t errlen)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "cbs"), i, x) {
		if (!jstr(x, "name") ||
		    units_upsert(db, "cb", jstr(x, "name"), NULL, NULL, NULL, jstr(x, "cnca_code")) < 0) {
			snprintf(err, errlen, "无法保存演示认证机构");
			return -1;
		}
	}
	json_array_foreach(json_object_get(j, "enterprises"), i, x)
		if (demo_enterprise(db, app, x, err, errlen))
			return -1;
	const char *password = jstr(j, "password");
	if (!password) {
		snprintf(err, errlen, "demo.json 缺少 password");
		return -1;
	}
	json_array_foreach(json_object_get(j, "users"), i, x)
		if (demo_user(db, app, x, password, err, errlen))
			return -1;
	return 0;
}

/* Demo declarations in every state of the round, as on 2021-05-10. */
static int load_demo_declarations(struct db *db, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1) {
		snprintf(err, errlen, "演示申报表需要先载入提升行动项目");
		return -1;
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "declarations"), i, x) {
		const char *unit = jstr(x, "unit"), *status = jstr(x, "status");
		int64_t uid = unit ? units_id_by_name(db, unit) : 0;
		char kind[16] = "";
		json_t *form = json_object_get(x, "form");
		if (!uid || !status || !json_is_object(form) || !units_kind(db, uid, kind, sizeof(kind))) {
			snprintf(err, errlen, "演示申报表 %zu 无效", i + 1);
			return -1;
		}
		if (decl_id_for_unit(db, pi.id, uid))
			continue;
		char inds[DECL_SEED_MAX][64];
		int n = 0;
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(form, "industries"), k, v)
			if (n < DECL_SEED_MAX)
				snprintf(inds[n++], sizeof(inds[0]), "%s", json_string_value(v));
		json_t *joins = json_object_get(form, "joins_pilot");
		char *text = json_dumps(form, JSON_COMPACT);
		int64_t id = decl_insert(db, pi.id, uid, strcmp(kind, "cb") ? "market_regulation" :
					 "certification_body", json_is_boolean(joins) ? json_is_true(joins) : -1,
					 text, inds, n);
		free(text);
		int rc = id > 0 ? 0 : -1;
		if (!rc && strcmp(status, "draft"))
			rc = decl_submit(db, id, json_is_true(json_object_get(x, "late")), "(演示数据)");
		if (!rc && !strcmp(status, "accepted"))
			rc = decl_accept(db, id);
		if (!rc && !strcmp(status, "returned"))
			rc = decl_return(db, id, jstr(x, "return_reason") ? jstr(x, "return_reason") : "请补充");
		audit_append(db, 0, "(演示数据)", "demo", "declaration.create", "declaration", id, NULL);
		if (strcmp(status, "draft"))
			audit_append(db, 0, "(演示数据)", "demo", "declaration.submit", "declaration", id,
				     json_pack("{s:i,s:b}", "version", 1, "late", json_is_true(json_object_get(x, "late"))));
		if (!strcmp(status, "accepted"))
			audit_append(db, 0, "city", "demo", "declaration.accept", "declaration", id, json_pack("{s:i}", "version", 1));
		if (!strcmp(status, "returned"))
			audit_append(db, 0, "city", "demo", "declaration.return", "declaration", id,
				     json_pack("{s:i,s:s}", "version", 1, "reason", jstr(x, "return_reason") ? jstr(x, "return_reason") : ""));
		if (rc) {
			snprintf(err, errlen, "无法保存演示申报表 %s：%s", unit, db_errmsg(db));
			return -1;
		}
	}
	json_array_foreach(json_object_get(j, "selections"), i, x) {
		const char *industry = jstr(x, "industry"), *note = jstr(x, "criteria_note");
		int64_t cb = jstr(x, "cb") ? units_id_by_name(db, jstr(x, "cb")) : 0;
		int64_t decl = cb ? decl_id_for_unit(db, pi.id, cb) : 0;
		if (!industry || !decl) {
			snprintf(err, errlen, "演示遴选 %zu 无效", i + 1);
			return -1;
		}
		/* Loaded before: skip (a failed duplicate insert would abort a PostgreSQL transaction). */
		if (selection_exists(db, pi.id, industry, cb))
			continue;
		json_t *c = json_pack("{s:{s:b,s:s},s:{s:b,s:s},s:{s:b,s:s},s:{s:b,s:s}}",
			"qualification", "ok", 1, "note", note ? note : "",
			"social_responsibility", "ok", 1, "note", "",
			"credit", "ok", 1, "note", "",
			"willingness", "ok", 1, "note", "");
		char *text = json_dumps(c, JSON_COMPACT);
		json_decref(c);
		int64_t id = selections_insert(db, pi.id, industry, cb, decl, text, NULL, "city");
		free(text);
		if (id < 0) {
			snprintf(err, errlen, "无法保存演示遴选：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

/* Demo submissions happened before their deadlines (or just after, when the demo
 * marks them late), not on the day the demo was loaded: date the first version. */
static int backdate_demo_submissions(struct db *db)
{
	static const struct {
		const char *sql;
		const char *on_time, *late;
	} fix[] = {
		{"UPDATE declaration_versions SET submitted_at = ? WHERE version = 1 AND declaration_id IN "
		 "(SELECT id FROM declarations WHERE late = ?)", "2021-02-10", "2021-02-24"},
		{"UPDATE workplan_versions SET submitted_at = ? WHERE version = 1 AND workplan_id IN "
		 "(SELECT id FROM workplans WHERE late = ?)", "2021-03-01", "2021-03-09"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(fix); i++) {
		for (int late = 0; late < 2; late++) {
			int32_t day;
			date_parse(late ? fix[i].late : fix[i].on_time, &day);
			struct db_stmt *st = db_prep(db, fix[i].sql);
			db_bind_int(st, 1, (int64_t)day * 86400 + 3600); /* 09:00 in Shanghai */
			db_bind_int(st, 2, late);
			if (db_exec_stmt(st))
				return -1;
		}
	}
	return 0;
}

/* Demo reports (a district's mid-term draft, a body's submitted one) and reminder recipients. */
static int load_demo_reports(struct db *db, struct app *app, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1)
		return 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "reminder_recipients"), i, x) {
		int64_t unit = jstr(x, "unit") ? units_id_by_name(db, jstr(x, "unit")) : 0;
		char emails[1024] = "";
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(x, "emails"), k, e)
			snprintf(emails + strlen(emails), sizeof(emails) - strlen(emails), "%s%s", k ? "," : "",
				 json_string_value(e) ? json_string_value(e) : "");
		bool enabled;
		char have[1024];
		if (unit && reminder_recipients_get(db, unit, have, sizeof(have), &enabled) == 0 &&
		    reminder_recipients_put(db, unit, emails, true, "(演示数据)"))
			goto fail;
	}
	char today[11];
	date_format(app_today(app), today);
	json_array_foreach(json_object_get(j, "reports"), i, x) {
		int64_t unit = jstr(x, "unit") ? units_id_by_name(db, jstr(x, "unit")) : 0;
		const char *kind = jstr(x, "kind");
		if (!unit || !kind || report_find(db, pi.id, unit, kind))
			continue;
		json_t *stored = json_pack("{s:O}", "text", json_object_get(x, "content"));
		bool submit = jstr(x, "status") && strcmp(jstr(x, "status"), "draft");
		if (submit) {
			struct db_stmt *st = db_prep(db, "SELECT kind FROM units WHERE id = ?");
			db_bind_int(st, 1, unit);
			bool district = db_step(st) == DB_ROW && !strcmp(db_col_text(st, 0), "district");
			db_done(st);
			json_object_set_new(stored, "figures", report_figures(db, pi.id, district ? unit : 0,
									    district ? 0 : unit, today));
			json_object_set_new(stored, "figures_at", json_string(today));
		}
		char *text = json_dumps(stored, JSON_COMPACT);
		json_decref(stored);
		int64_t id = report_insert(db, pi.id, unit, kind, text);
		free(text);
		if (id <= 0 || (submit && report_submit(db, id, false, "cb1")))
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "无法保存演示报告或提醒设置：%s", db_errmsg(db));
	return -1;
}

/* A demo score for an item: the entry's base level, varied a little by the item key. */
static int demo_score(const char *key, int base)
{
	unsigned h = 0;
	for (const char *p = key; *p; p++)
		h = h * 31u + (unsigned char)*p;
	int s = base + (int)(h % 3u) - 1;
	return s < 1 ? 1 : s > 5 ? 5 : s;
}

static bool in_list(json_t *arr, const char *key)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), key))
			return true;
	return false;
}

static json_t *finding_of(json_t *x, const char *key)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(x, "findings"), i, f)
		if (jstr(f, "key") && !strcmp(jstr(f, "key"), key))
			return f;
	return NULL;
}

/* Demo diagnoses (answers generated from a base level plus the listed findings) and actions. */
static int load_demo_diagnoses(struct db *db, json_t *j, char *err, size_t errlen)
{
	struct programme_info pi;
	int64_t cl_id = checklist_newest(db, "iso9001-small");
	const struct checklist *cl = cl_id > 0 ? checklist_cached(db, cl_id) : NULL;
	if (programme_info_current(db, &pi) != 1 || !cl)
		return 0;
	int64_t cb1 = units_id_by_name(db, "沪联质量认证中心（演示）");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "diagnoses"), i, x) {
		int64_t ent = ent_id_by_uscc(db, jstr(x, "enterprise") ? jstr(x, "enterprise") : "");
		const char *kind = jstr(x, "kind");
		bool self = kind && !strcmp(kind, "self");
		if (!ent || !kind)
			continue;
		int round = self ? 1 : diag_onsite_count(db, ent) + 1;
		if (self && (diag_latest_submitted(db, ent, "self", 0) > 0 || diag_draft_of(db, ent, "self") > 0))
			continue;
		/* Idempotent: an on-site entry is loaded only while its round is next. */
		if (!self) {
			size_t k;
			json_t *y;
			int expected = 1;
			json_array_foreach(json_object_get(j, "diagnoses"), k, y) {
				if (k == i)
					break;
				if (jstr(y, "enterprise") && !strcmp(jstr(y, "enterprise"), jstr(x, "enterprise")) &&
				    jstr(y, "kind") && !strcmp(jstr(y, "kind"), "onsite"))
					expected++;
			}
			if (round != expected)
				continue;
		}
		const char *user = self ? "ent1" : "cb1";
		int64_t id = diag_insert(db, pi.id, ent, self ? 0 : cb1, kind, round, cl_id, jstr(x, "visit_date"),
					 jstr(x, "team") ? jstr(x, "team") : "", user);
		if (id <= 0)
			goto fail;
		int base = (int)json_integer_value(json_object_get(x, "base"));
		int limit = json_is_integer(json_object_get(x, "answer_first"))
			? (int)json_integer_value(json_object_get(x, "answer_first")) : cl->n_items;
		for (int k = 0; k < cl->n_items && k < limit; k++) {
			const struct cl_item *it = &cl->items[k];
			struct answer_in in;
			memset(&in, 0, sizeof(in));
			json_t *f = finding_of(x, it->key);
			if (in_list(json_object_get(x, "na"), it->key)) {
				in.na = true;
			} else {
				in.score = f && json_is_integer(json_object_get(f, "score"))
					? (int)json_integer_value(json_object_get(f, "score")) : demo_score(it->key, base);
			}
			if (f) {
				snprintf(in.finding, sizeof(in.finding), "%s", jstr(f, "finding") ? jstr(f, "finding") : "");
				snprintf(in.kind, sizeof(in.kind), "%s", jstr(f, "kind") ? jstr(f, "kind") : "");
			}
			if (diag_answer_put(db, id, it->id, &in, 0, user) <= 0)
				goto fail;
		}
		struct diag_answer *a = xcalloc((size_t)cl->n_items + 1, sizeof(*a));
		struct diag_scores s;
		diag_answers_fill(db, id, cl, a);
		diag_score(a, cl->n_items, cl->n_sections, &s);
		free(a);
		if (diag_touch(db, id, s.answered) ||
		    diag_update(db, id, jstr(x, "visit_date"), jstr(x, "team") ? jstr(x, "team") : "",
				jstr(x, "summary") ? jstr(x, "summary") : ""))
			goto fail;
		if (jstr(x, "status") && !strcmp(jstr(x, "status"), "submitted")) {
			json_t *secs = json_array();
			for (int k = 0; k < cl->n_sections; k++)
				json_array_append_new(secs, json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", "clause",
					cl->sections[k].clause, "title", cl->sections[k].title, "items", s.s[k].items,
					"answered", s.s[k].answered, "na", s.s[k].na,
					"score", s.s[k].has_score ? json_real(s.s[k].score) : json_null()));
			json_t *sc = json_pack("{s:o,s:o}", "overall", s.has_overall ? json_real(s.overall) : json_null(),
					       "sections", secs);
			char *text = json_dumps(sc, JSON_COMPACT);
			int rc = diag_submit(db, id, &s, text);
			free(text);
			json_decref(sc);
			if (rc != 1)
				goto fail;
		}
	}
	json_array_foreach(json_object_get(j, "actions"), i, x) {
		int64_t ent = ent_id_by_uscc(db, jstr(x, "enterprise") ? jstr(x, "enterprise") : "");
		if (!ent || !jstr(x, "title"))
			continue;
		struct action_filter af = {.enterprise_id = ent, .today = "0000-00-00"};
		json_t *counts = action_counts(db, &af);
		int64_t have = json_integer_value(json_object_get(counts, "total"));
		json_decref(counts);
		size_t k;
		json_t *y;
		int64_t before = 0;
		json_array_foreach(json_object_get(j, "actions"), k, y) {
			if (k == i)
				break;
			if (jstr(y, "enterprise") && !strcmp(jstr(y, "enterprise"), jstr(x, "enterprise")))
				before++;
		}
		if (have > before)
			continue; /* loaded before */
		struct action_fields *f = xcalloc(1, sizeof(*f));
		f->diagnosis_id = diag_first_submitted(db, ent);
		for (int m = 0; m < cl->n_items && jstr(x, "finding"); m++)
			if (!strcmp(cl->items[m].key, jstr(x, "finding")))
				f->item_id = cl->items[m].id;
		if (!f->diagnosis_id)
			f->item_id = 0;
		snprintf(f->title, sizeof(f->title), "%s", jstr(x, "title"));
		snprintf(f->detail, sizeof(f->detail), "%s", jstr(x, "detail") ? jstr(x, "detail") : "");
		snprintf(f->method, sizeof(f->method), "%s", jstr(x, "method") ? jstr(x, "method") : "other");
		snprintf(f->owner, sizeof(f->owner), "%s", jstr(x, "owner") ? jstr(x, "owner") : "");
		snprintf(f->due_date, sizeof(f->due_date), "%s", jstr(x, "due_date") ? jstr(x, "due_date") : "");
		int64_t id = action_insert(db, pi.id, ent, cb1, f, "cb1");
		free(f);
		if (id <= 0 || action_event(db, id, "create", 0, jstr(x, "title"), "cb1"))
			goto fail;
		const char *status = jstr(x, "status") ? jstr(x, "status") : "open";
		int progress = (int)json_integer_value(json_object_get(x, "progress"));
		bool ready = json_is_true(json_object_get(x, "ready")) || !strcmp(status, "verified") ||
			     !strcmp(status, "closed");
		int64_t v = 1;
		if (strcmp(status, "open")) {
			if (action_set_state(db, id, v++, "in_progress", ready, progress, jstr(x, "note")) != 1 ||
			    action_event(db, id, ready ? "complete" : "progress", progress, jstr(x, "note"), "ent1"))
				goto fail;
		}
		if (!strcmp(status, "verified") || !strcmp(status, "closed")) {
			if (action_set_state(db, id, v++, "verified", false, -1, NULL) != 1 ||
			    action_event(db, id, "verify", -1, jstr(x, "verify"), "cb1"))
				goto fail;
		}
		if (!strcmp(status, "closed")) {
			if (action_set_state(db, id, v++, "closed", false, -1, NULL) != 1 ||
			    action_event(db, id, "close", -1, "", "cb1"))
				goto fail;
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "无法保存演示诊断或改进措施：%s", db_errmsg(db));
	return -1;
}

int seed_demo(struct db *db, struct app *app, const char *data_dir, char *err, size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/demo.json", data_dir);
	json_t *j = load_json(path, err, errlen);
	if (!j)
		return -1;
	if (db_begin(db, true) != DB_OK) {
		snprintf(err, errlen, "数据库忙：%s", db_errmsg(db));
		json_decref(j);
		return -1;
	}
	int rc = load_demo(db, app, j, err, errlen);
	if (!rc)
		rc = load_demo_declarations(db, j, err, errlen);
	if (!rc)
		rc = load_demo_assignments(db, j, err, errlen);
	if (!rc)
		rc = load_demo_workplans(db, j, err, errlen);
	if (!rc)
		rc = load_demo_certification(db, j, err, errlen);
	if (!rc)
		rc = load_demo_notices_training(db, j, err, errlen);
	if (!rc)
		rc = load_demo_diagnoses(db, j, err, errlen);
	if (!rc) rc = seed_demo_cases(db, app, data_dir, err, errlen);
	if (!rc) rc = seed_demo_evaluation(db, data_dir, err, errlen);
	if (!rc)
		rc = load_demo_reports(db, app, j, err, errlen);
	if (!rc && backdate_demo_submissions(db)) {
		snprintf(err, errlen, "无法调整演示数据的报送日期：%s", db_errmsg(db));
		rc = -1;
	}
	json_decref(j);
	if (rc) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == DB_OK ? 0 : -1;
}
