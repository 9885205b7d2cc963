/*
 * trainings.c - publicity and training (宣传培训): sessions, registrations of
 * enterprise staff, attendance by the organiser or by QR check-in, the
 * figures the programme reports, exports.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/declaration.h"
#include "../http/jsonin.h"
#include "../http/session.h"
#include "../render/render.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/notices.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_label(const char *k)
{
	if (!strcmp(k, "online"))
		return "线上培训";
	if (!strcmp(k, "offline"))
		return "线下培训";
	if (!strcmp(k, "small_class"))
		return "小班化定制培训";
	return k;
}

static bool kind_valid(const char *k)
{
	return !strcmp(k, "online") || !strcmp(k, "offline") || !strcmp(k, "small_class");
}

/* "YYYY-MM-DD HH:MM" */
static bool datetime_valid(const char *s)
{
	int32_t d;
	char day[11];
	if (strlen(s) != 16 || s[10] != ' ' || s[13] != ':')
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
	return date_parse(day, &d) && s[11] >= '0' && s[11] <= '2' && s[12] >= '0' && s[12] <= '9' &&
	       s[14] >= '0' && s[14] <= '5' && s[15] >= '0' && s[15] <= '9' && hh < 24 && mm < 60;
}

/* The organising unit's staff change a session and its attendance. */
static bool organiser_of(struct request *rq, json_t *t)
{
	return rq->user.unit_id &&
	       json_integer_value(json_object_get(json_object_get(t, "organiser"), "id")) == rq->user.unit_id;
}

/* The organiser and the city (supervision) see every registration, the check-in code and list. */
static bool sees_all(struct request *rq, json_t *t)
{
	return rq->user.role == ROLE_CITY_ADMIN || organiser_of(rq, t);
}

static void checkin_url(struct request *rq, const char *token, char *out, size_t n)
{
	snprintf(out, n, "%s/#/checkin/%s", rq->app->cfg.public_url, token);
}

/* Labels, and the check-in link only for the organiser and the city. */
static void decorate(struct request *rq, json_t *t)
{
	json_object_set_new(t, "kind_name", json_string(kind_label(json_string_value(json_object_get(t, "kind")))));
	const char *token = json_string_value(json_object_get(t, "checkin_token"));
	if (sees_all(rq, t) && token) {
		char url[512];
		checkin_url(rq, token, url, sizeof(url));
		json_object_set_new(t, "checkin_url", json_string(url));
	}
	json_object_del(t, "checkin_token");
}

void api_trainings_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct training_filter f = {0};
	f.kind = query_get(rq, "kind");
	f.industry = query_get(rq, "industry");
	const char *from = query_get(rq, "from"), *to = query_get(rq, "to");
	int32_t d;
	if (f.kind && !kind_valid(f.kind)) {
		reply_invalid(rq, "kind", "培训类型只能是 online、offline 或 small_class");
		return;
	}
	if ((from && !date_parse(from, &d)) || (to && !date_parse(to, &d))) {
		reply_invalid(rq, from && !date_parse(from, &d) ? "from" : "to", "日期格式应为 YYYY-MM-DD");
		return;
	}
	char to_end[20];
	if (to) {
		snprintf(to_end, sizeof(to_end), "%s 23:59", to);
		f.to = to_end;
	}
	f.from = from;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = trainings_list(rq->db, &f, &total);
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t)
		decorate(rq, t);
	reply_page(rq, items, total, &pg);
}

static json_t *training_or_reply(struct request *rq, int64_t id)
{
	json_t *t = training_get(rq->db, id);
	if (!t)
		reply_not_found(rq);
	return t;
}

/* Which registrations the caller may see: all (organiser, city), a district's, an enterprise's. */
static json_t *visible_registrations(struct request *rq, json_t *t, int64_t id)
{
	if (sees_all(rq, t))
		return training_registrations(rq->db, id, 0, 0);
	if (rq->user.role == ROLE_DISTRICT_OFFICER)
		return training_registrations(rq->db, id, 0, rq->user.unit_id);
	if (rq->user.role == ROLE_ENTERPRISE)
		return training_registrations(rq->db, id, rq->user.enterprise_id ? rq->user.enterprise_id : -1, 0);
	return json_array();
}

void api_trainings_get(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *t = training_or_reply(rq, id);
	if (!t)
		return;
	json_object_set_new(t, "registrations", visible_registrations(rq, t, id));
	decorate(rq, t);
	reply_json(rq, 200, t);
}

static bool training_rec_or_reply(struct request *rq, struct training_rec *t)
{
	static const char *const keys[] = {"title", "kind", "industry", "starts_at", "ends_at", "place", "link",
					   "capacity", "materials", NULL};
	memset(t, 0, sizeof(*t));
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "title", true, 100, t->title, sizeof(t->title), "培训名称") &&
		  string_field_or_reply(rq, body, "kind", true, 12, t->kind, sizeof(t->kind), "培训类型") &&
		  string_field_or_reply(rq, body, "industry", false, 20, t->industry, sizeof(t->industry), "行业") &&
		  string_field_or_reply(rq, body, "starts_at", true, 16, t->starts_at, sizeof(t->starts_at), "开始时间") &&
		  string_field_or_reply(rq, body, "ends_at", true, 16, t->ends_at, sizeof(t->ends_at), "结束时间") &&
		  string_field_or_reply(rq, body, "place", false, 120, t->place, sizeof(t->place), "地点") &&
		  string_field_or_reply(rq, body, "link", false, 300, t->link, sizeof(t->link), "链接") &&
		  int_field_or_reply(rq, body, "capacity", true, 0, &t->capacity, "名额") &&
		  string_field_or_reply(rq, body, "materials", false, 1000, t->materials, sizeof(t->materials), "培训材料");
	json_decref(body);
	if (!ok)
		return false;
	struct programme_info pi;
	const char *bad = NULL, *msg = NULL;
	if (!kind_valid(t->kind))
		bad = "kind", msg = "培训类型只能是 online（线上）、offline（线下）或 small_class（小班化定制）";
	else if (!datetime_valid(t->starts_at))
		bad = "starts_at", msg = "开始时间格式应为 YYYY-MM-DD HH:MM";
	else if (!datetime_valid(t->ends_at))
		bad = "ends_at", msg = "结束时间格式应为 YYYY-MM-DD HH:MM";
	else if (strcmp(t->ends_at, t->starts_at) <= 0)
		bad = "ends_at", msg = "结束时间应晚于开始时间";
	else if (!strcmp(t->kind, "online") && strncmp(t->link, "http://", 7) && strncmp(t->link, "https://", 8))
		bad = "link", msg = "线上培训请填写以 http:// 或 https:// 开头的链接（如全国培训平台课程地址）";
	else if (strcmp(t->kind, "online") && !t->place[0])
		bad = "place", msg = "请填写培训地点";
	else if (t->link[0] && strncmp(t->link, "http://", 7) && strncmp(t->link, "https://", 8))
		bad = "link", msg = "链接应以 http:// 或 https:// 开头";
	else if (t->capacity < 1 || t->capacity > 10000)
		bad = "capacity", msg = "名额应在 1 到 10000 之间";
	if (!bad && t->industry[0]) {
		if (programme_info_current(rq->db, &pi) != 1) {
			reply_db_error(rq);
			return false;
		}
		bool found = false;
		for (int i = 0; i < pi.n_industries && !found; i++)
			found = !strcmp(pi.industries[i], t->industry);
		if (!found)
			bad = "industry", msg = "行业不在本项目的行业目录中";
	}
	if (bad) {
		reply_invalid(rq, bad, msg);
		return false;
	}
	return true;
}

void api_trainings_create(struct request *rq)
{
	struct training_rec t;
	if (!training_rec_or_reply(rq, &t))
		return;
	char token[TOKEN_CHARS + 1];
	token_new(token);
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t id = training_insert(rq->db, &t, rq->user.unit_id, token, rq->user.username);
	if (id <= 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "training.create", "training", id, json_pack("{s:s}", "title", t.title));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = training_get(rq->db, id);
	json_object_set_new(out, "registrations", json_array());
	decorate(rq, out);
	reply_json(rq, 201, out);
}

void api_trainings_update(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *cur = training_or_reply(rq, id);
	if (!cur)
		return;
	bool mine = organiser_of(rq, cur);
	json_decref(cur);
	if (!mine) {
		reply_forbidden(rq);
		return;
	}
	struct training_rec t;
	if (!training_rec_or_reply(rq, &t))
		return;
	if (db_begin(rq->db, true) != DB_OK || training_update(rq->db, id, &t)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "training.update", "training", id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = training_get(rq->db, id);
	json_object_set_new(out, "registrations", visible_registrations(rq, out, id));
	decorate(rq, out);
	reply_json(rq, 200, out);
}

/* ---- Registration ---- */

void api_trainings_register(struct request *rq)
{
	static const char *const keys[] = {"enterprise_id", "name", "post", "phone", NULL};
	int64_t id = route_param_id(&rq->params, "id");
	json_t *t = training_or_reply(rq, id);
	if (!t)
		return;
	int64_t capacity = json_integer_value(json_object_get(t, "capacity"));
	json_decref(t);
	json_t *body = body_object_or_reply(rq);
	char name[128], post[128], phone[64];
	int64_t ent = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "enterprise_id", false, 0, &ent, "企业") &&
		  string_field_or_reply(rq, body, "name", true, 20, name, sizeof(name), "姓名") &&
		  string_field_or_reply(rq, body, "post", false, 30, post, sizeof(post), "岗位") &&
		  string_field_or_reply(rq, body, "phone", true, 20, phone, sizeof(phone), "手机号");
	json_decref(body);
	if (!ok)
		return;
	if (rq->user.role == ROLE_ENTERPRISE) {
		if (ent && ent != rq->user.enterprise_id) {
			reply_invalid(rq, "enterprise_id", "只能为本企业人员报名");
			return;
		}
		ent = rq->user.enterprise_id;
	} else {
		struct programme_info pi;
		int64_t district = 0, cb = 0;
		if (!programme_or_reply(rq, &pi))
			return;
		int rc = ent ? ent_scope(rq->db, pi.id, ent, &district, &cb) : 0;
		struct scope_ref ref = {.district_unit_id = district, .cb_unit_ids = {cb}, .enterprise_id = ent};
		if (rc <= 0 || rq->user.role == ROLE_CB_STAFF || !scope_allows(&rq->user, &ref)) {
			reply_invalid(rq, "enterprise_id", "请选择本辖区已登记的企业");
			return;
		}
	}
	if (!phone_valid(phone)) {
		reply_invalid(rq, "phone", "手机号应为 11 位手机号码或带区号的固定电话");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	if (training_count(rq->db, id) >= capacity) {
		db_rollback(rq->db);
		reply_error(rq, 409, "capacity_full", "报名人数已满，无法继续报名", NULL);
		return;
	}
	int64_t rid = training_register(rq->db, id, ent, name, post, phone, rq->user.username);
	if (rid <= 0) {
		db_rollback(rq->db);
		if (rid == 0)
			reply_error(rq, 409, "conflict", "该人员已报名本场培训", "name");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "training.register", "training", id, json_pack("{s:I,s:s}", "enterprise_id", (json_int_t)ent, "name", name));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *regs = training_registrations(rq->db, id, ent, 0);
	json_t *mine = NULL;
	size_t i;
	json_t *r;
	json_array_foreach(regs, i, r)
		if (json_integer_value(json_object_get(r, "id")) == rid)
			mine = json_incref(r);
	json_decref(regs);
	reply_json(rq, 201, mine ? mine : json_object());
}

/* May the caller act on a registration? The enterprise itself, its district, the organiser. */
static bool registration_or_reply(struct request *rq, int64_t id, int64_t reg, bool organiser_only)
{
	int64_t tid = 0, ent = 0;
	json_t *t = training_or_reply(rq, id);
	if (!t)
		return false;
	bool organiser = organiser_of(rq, t);
	json_decref(t);
	if (!training_reg_get(rq->db, reg, &tid, &ent) || tid != id) {
		reply_not_found(rq);
		return false;
	}
	if (organiser)
		return true;
	if (organiser_only) {
		reply_forbidden(rq);
		return false;
	}
	struct ent_fields e;
	bool ok = (rq->user.role == ROLE_ENTERPRISE && rq->user.enterprise_id == ent) ||
		  (rq->user.role == ROLE_DISTRICT_OFFICER && ent_fields_get(rq->db, ent, &e) == 1 &&
		   e.district_unit_id == rq->user.unit_id);
	if (!ok)
		reply_not_found(rq);
	return ok;
}

void api_trainings_unregister(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id"), reg = route_param_id(&rq->params, "reg_id");
	if (!registration_or_reply(rq, id, reg, false))
		return;
	if (db_begin(rq->db, true) != DB_OK || training_reg_delete(rq->db, reg)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "training.unregister", "training", id, json_pack("{s:I}", "registration_id", (json_int_t)reg));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}

static void set_attendance(struct request *rq, int64_t id, int64_t reg, bool attended, const char *action)
{
	if (db_begin(rq->db, true) != DB_OK || training_attend(rq->db, reg, attended)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, action, "training", id, json_pack("{s:I,s:b}", "registration_id", (json_int_t)reg, "attended", attended));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *t = training_get(rq->db, id);
	json_object_set_new(t, "registrations", visible_registrations(rq, t, id));
	decorate(rq, t);
	reply_json(rq, 200, t);
}

void api_trainings_attendance(struct request *rq)
{
	static const char *const keys[] = {"registration_id", "attended", NULL};
	int64_t id = route_param_id(&rq->params, "id");
	json_t *body = body_object_or_reply(rq);
	int64_t reg = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "registration_id", true, 0, &reg, "报名记录");
	json_t *att = ok ? json_object_get(body, "attended") : NULL;
	if (ok && !json_is_boolean(att)) {
		reply_error(rq, att ? 400 : 422, att ? "bad_type" : "invalid", "请说明是否出席（true/false）", "attended");
		ok = false;
	}
	bool attended = json_is_true(att);
	json_decref(body);
	if (ok && registration_or_reply(rq, id, reg, true))
		set_attendance(rq, id, reg, attended, "training.attendance");
}

/* ---- QR check-in ---- */

static int64_t token_or_reply(struct request *rq)
{
	const char *token = route_param(&rq->params, "token");
	int64_t id = token && token_well_formed(token) ? training_id_by_token(rq->db, token) : 0;
	if (!id)
		reply_error(rq, 404, "not_found", "签到码无效或培训不存在", NULL);
	return id;
}

void api_checkin_get(struct request *rq)
{
	int64_t id = token_or_reply(rq);
	if (!id)
		return;
	json_t *t = training_get(rq->db, id);
	json_object_set_new(t, "registrations",
			    rq->user.role == ROLE_ENTERPRISE ?
			    training_registrations(rq->db, id, rq->user.enterprise_id ? rq->user.enterprise_id : -1, 0) :
			    visible_registrations(rq, t, id));
	decorate(rq, t);
	reply_json(rq, 200, t);
}

void api_checkin_post(struct request *rq)
{
	static const char *const keys[] = {"registration_id", NULL};
	int64_t id = token_or_reply(rq);
	if (!id)
		return;
	json_t *body = body_object_or_reply(rq);
	int64_t reg = 0;
	bool ok = body && known_fields_or_reply(rq, body, keys) &&
		  int_field_or_reply(rq, body, "registration_id", true, 0, &reg, "报名记录");
	json_decref(body);
	if (!ok)
		return;
	json_t *t = training_get(rq->db, id);
	char day[11], today[11];
	snprintf(day, sizeof(day), "%.10s", json_string_value(json_object_get(t, "starts_at")));
	json_decref(t);
	date_format(app_today(rq->app), today);
	int64_t tid = 0, ent = 0;
	if (!training_reg_get(rq->db, reg, &tid, &ent) || tid != id ||
	    (rq->user.role == ROLE_ENTERPRISE && ent != rq->user.enterprise_id)) {
		reply_not_found(rq);
		return;
	}
	if (rq->user.role != ROLE_ENTERPRISE) {
		reply_forbidden(rq);
		return;
	}
	if (strcmp(day, today)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "只能在培训当天（%s）签到", day);
		reply_error(rq, 409, "wrong_day", msg, NULL);
		return;
	}
	set_attendance(rq, id, reg, true, "training.checkin");
}

void api_trainings_checkin_qr(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *t = training_or_reply(rq, id);
	if (!t)
		return;
	if (!sees_all(rq, t)) {
		json_decref(t);
		reply_forbidden(rq);
		return;
	}
	char url[512], err[200];
	checkin_url(rq, json_string_value(json_object_get(t, "checkin_token")), url, sizeof(url));
	json_decref(t);
	struct sbuf svg = {0};
	if (render_qr_svg(url, &svg, err, sizeof(err))) {
		sbuf_free(&svg);
		reply_error(rq, 503, "unavailable", "无法生成二维码", NULL);
		return;
	}
	reply_bytes(rq, 200, "image/svg+xml", svg.buf, svg.len, NULL);
	sbuf_free(&svg);
}

/* ---- Figures and exports ---- */

void api_trainings_stats(struct request *rq)
{
	int64_t district = rq->user.role == ROLE_DISTRICT_OFFICER ? rq->user.unit_id : 0;
	int64_t organiser = rq->user.role == ROLE_CB_STAFF ? rq->user.unit_id : 0;
	json_t *s = training_stats(rq->db, district, organiser);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, "by_kind"), i, x)
		json_object_set_new(x, "kind_name", json_string(kind_label(json_string_value(json_object_get(x, "key")))));
	reply_json(rq, 200, s);
}

static void send_xlsx(struct request *rq, const char *sheet, const char *title, const char *const *headers,
		      int ncol, struct sbuf *cells, long rows, const char *fname)
{
	const char **table = xcalloc((size_t)rows * (size_t)ncol + 1, sizeof(char *));
	const char *p = cells->buf;
	for (long i = 0; i < rows * ncol; i++) {
		table[i] = p;
		p += strlen(p) + 1;
	}
	struct sbuf out = {0};
	char err[256];
	int rc = render_xlsx_table(sheet, title, headers, ncol, table, rows, NULL, &out, err, sizeof(err));
	free(table);
	if (rc) {
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "导出失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.buf,
		    out.len, fname);
	sbuf_free(&out);
}

static void cell(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s ? s : "", strlen(s ? s : "") + 1);
}

void api_trainings_xlsx(struct request *rq)
{
	struct training_filter f = {.limit = 100000};
	int64_t total = 0;
	json_t *items = trainings_list(rq->db, &f, &total);
	static const char *const headers[] = {"序号", "培训名称", "类型", "行业", "主办单位", "开始时间",
					      "结束时间", "地点/链接", "名额", "报名人数", "签到人次"};
	struct sbuf cells = {0};
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t) {
		char no[24], cap[24], reg[24], att[24];
		snprintf(no, sizeof(no), "%zu", i + 1);
		snprintf(cap, sizeof(cap), "%lld", (long long)json_integer_value(json_object_get(t, "capacity")));
		snprintf(reg, sizeof(reg), "%lld", (long long)json_integer_value(json_object_get(t, "registered")));
		snprintf(att, sizeof(att), "%lld", (long long)json_integer_value(json_object_get(t, "attended")));
		const char *place = json_string_value(json_object_get(t, "place"));
		cell(&cells, no);
		cell(&cells, json_string_value(json_object_get(t, "title")));
		cell(&cells, kind_label(json_string_value(json_object_get(t, "kind"))));
		cell(&cells, json_string_value(json_object_get(t, "industry")));
		cell(&cells, json_string_value(json_object_get(json_object_get(t, "organiser"), "name")));
		cell(&cells, json_string_value(json_object_get(t, "starts_at")));
		cell(&cells, json_string_value(json_object_get(t, "ends_at")));
		cell(&cells, place ? place : json_string_value(json_object_get(t, "link")));
		cell(&cells, cap);
		cell(&cells, reg);
		cell(&cells, att);
	}
	long rows = (long)json_array_size(items);
	json_decref(items);
	send_xlsx(rq, "培训场次", "宣传培训场次汇总", headers, 11, &cells, rows, "培训场次.xlsx");
	sbuf_free(&cells);
}

void api_trainings_attendance_xlsx(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *t = training_or_reply(rq, id);
	if (!t)
		return;
	if (!sees_all(rq, t)) {
		json_decref(t);
		reply_forbidden(rq);
		return;
	}
	json_t *regs = training_registrations(rq->db, id, 0, 0);
	static const char *const headers[] = {"序号", "企业", "所属区", "姓名", "岗位", "手机号", "签到"};
	struct sbuf cells = {0};
	size_t i;
	json_t *r;
	json_array_foreach(regs, i, r) {
		char no[24];
		snprintf(no, sizeof(no), "%zu", i + 1);
		cell(&cells, no);
		cell(&cells, json_string_value(json_object_get(json_object_get(r, "enterprise"), "name")));
		cell(&cells, json_string_value(json_object_get(json_object_get(r, "enterprise"), "district")));
		cell(&cells, json_string_value(json_object_get(r, "name")));
		cell(&cells, json_string_value(json_object_get(r, "post")));
		cell(&cells, json_string_value(json_object_get(r, "phone")));
		cell(&cells, json_is_true(json_object_get(r, "attended")) ? "已签到" : "未签到");
	}
	char title[600];
	snprintf(title, sizeof(title), "%s · 签到表", json_string_value(json_object_get(t, "title")));
	long rows = (long)json_array_size(regs);
	json_decref(regs);
	json_decref(t);
	send_xlsx(rq, "签到表", title, headers, 7, &cells, rows, "签到表.xlsx");
	sbuf_free(&cells);
}

void api_enterprises_trainings(struct request *rq)
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
	reply_json(rq, 200, json_pack("{s:o}", "items", training_for_enterprise(rq->db, id)));
}
