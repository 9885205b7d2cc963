/*
 * notices.c - notices (通知公告): publish to an audience, attachments, read
 * marks, the public list without login.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/filetype.h"
#include "../http/jsonin.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../store/notices.h"
#include "../store/programmes.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *audience_label(const char *a)
{
	if (!strcmp(a, "public"))
		return "公开";
	if (!strcmp(a, "all"))
		return "全部登录用户";
	if (!strcmp(a, "role"))
		return "指定角色";
	return "指定区";
}

static void decorate(json_t *n)
{
	json_object_set_new(n, "audience_name",
			    json_string(audience_label(json_string_value(json_object_get(n, "audience")))));
}

/* The viewer of the current request (anonymous when rq->user.role is none). */
static void viewer_of(struct request *rq, struct notice_viewer *v, char today[11])
{
	memset(v, 0, sizeof(*v));
	date_format(app_today(rq->app), today);
	v->today = today;
	if (rq->user.role == ROLE_NONE) {
		v->public_only = true;
		return;
	}
	v->all = rq->user.role == ROLE_CITY_ADMIN;
	v->user_id = rq->user.user_id;
	v->role = role_name(rq->user.role);
	v->unit_id = rq->user.unit_id;
	if (rq->user.role == ROLE_DISTRICT_OFFICER) {
		v->district_unit_id = rq->user.unit_id;
	} else if (rq->user.role == ROLE_ENTERPRISE && rq->user.enterprise_id) {
		struct ent_fields e;
		if (ent_fields_get(rq->db, rq->user.enterprise_id, &e) == 1)
			v->district_unit_id = e.district_unit_id;
	}
}

static void list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct notice_viewer v;
	char today[11];
	viewer_of(rq, &v, today);
	const char *unread = query_get(rq, "unread");
	int64_t total = 0, n_unread = 0;
	json_t *items = notices_list(rq->db, &v, query_get(rq, "q"), unread && !strcmp(unread, "true"),
				     pg.per_page, pg.offset, &total, &n_unread);
	size_t i;
	json_t *n;
	json_array_foreach(items, i, n)
		decorate(n);
	reply_json(rq, 200, json_pack("{s:o,s:I,s:i,s:i,s:I}", "items", items, "total", (json_int_t)total,
				      "page", pg.page, "per_page", pg.per_page, "unread", (json_int_t)n_unread));
}

void api_public_notices_list(struct request *rq)
{
	list(rq);
}

void api_notices_list(struct request *rq)
{
	list(rq);
}

static json_t *visible_or_reply(struct request *rq, int64_t id)
{
	struct notice_viewer v;
	char today[11];
	viewer_of(rq, &v, today);
	json_t *n = notice_get(rq->db, &v, id);
	if (!n)
		reply_not_found(rq);
	else
		decorate(n);
	return n;
}

void api_public_notices_get(struct request *rq)
{
	json_t *n = visible_or_reply(rq, route_param_id(&rq->params, "id"));
	if (n)
		reply_json(rq, 200, n);
}

void api_notices_get(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	json_t *n = visible_or_reply(rq, id);
	if (!n)
		return;
	notice_mark_read(rq->db, id, rq->user.user_id);
	json_object_set_new(n, "read", json_true());
	reply_json(rq, 200, n);
}

void api_notices_attachment(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id"), fid = route_param_id(&rq->params, "file_id");
	json_t *n = visible_or_reply(rq, id);
	if (!n)
		return;
	json_decref(n);
	struct file_blob fb;
	if (!notice_has_file(rq->db, id, fid) || files_get(rq->db, fid, &fb) != 1) {
		reply_not_found(rq);
		return;
	}
	reply_bytes(rq, 200, fb.content_type, fb.data, fb.size, fb.filename);
	free(fb.data);
}

/* ---- Writing ---- */

static bool notice_or_reply(struct request *rq, struct notice_rec *n)
{
	static const char *const keys[] = {"title", "body", "audience", "audience_role", "audience_district",
					   "publish_date", NULL};
	memset(n, 0, sizeof(*n));
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	struct field_error e;
	char district[64], date[16];
	n->body = xmalloc(80001);
	bool ok = known_fields_or_reply(rq, body, keys) &&
		  string_field_or_reply(rq, body, "title", true, 100, n->title, sizeof(n->title), "标题") &&
		  string_field_or_reply(rq, body, "audience", true, 10, n->audience, sizeof(n->audience), "发布范围") &&
		  string_field_or_reply(rq, body, "audience_role", false, 20, n->audience_role, sizeof(n->audience_role), "角色") &&
		  string_field_or_reply(rq, body, "audience_district", false, 20, district, sizeof(district), "区") &&
		  string_field_or_reply(rq, body, "publish_date", false, 10, date, sizeof(date), "发布日期");
	/* The body keeps its own spacing: only trailing blanks are trimmed by the reader. */
	if (ok && !json_get_string(body, "body", true, 20000, n->body, 80001, "正文", &e)) {
		reply_error(rq, e.status, e.code, e.message, e.field);
		ok = false;
	}
	json_decref(body);
	if (!ok)
		return false;
	int32_t d;
	if (date[0] && !date_parse(date, &d)) {
		reply_invalid(rq, "publish_date", "发布日期格式应为 YYYY-MM-DD");
		return false;
	}
	if (!date[0])
		date_format(app_today(rq->app), date);
	snprintf(n->publish_date, sizeof(n->publish_date), "%.10s", date);
	const char *a = n->audience;
	if (strcmp(a, "public") && strcmp(a, "all") && strcmp(a, "role") && strcmp(a, "district")) {
		reply_invalid(rq, "audience", "发布范围只能是 public、all、role 或 district");
		return false;
	}
	if (!strcmp(a, "role") && role_parse(n->audience_role) == ROLE_NONE) {
		reply_invalid(rq, "audience_role", "请选择角色（city_admin、district_officer、cb_staff、enterprise）");
		return false;
	}
	if (strcmp(a, "role"))
		n->audience_role[0] = '\0';
	if (!strcmp(a, "district")) {
		n->audience_district_unit_id = district[0] ? ent_district_unit(rq, district) : 0;
		if (!n->audience_district_unit_id) {
			reply_invalid(rq, "audience_district", "请选择区");
			return false;
		}
	}
	if (rq->user.role == ROLE_DISTRICT_OFFICER && strcmp(a, "public") &&
	    !(!strcmp(a, "district") && n->audience_district_unit_id == rq->user.unit_id)) {
		reply_invalid(rq, "audience", "区市场监管局可公开发布或发布给本区");
		return false;
	}
	return true;
}

void api_notices_create(struct request *rq)
{
	struct notice_rec n;
	if (!notice_or_reply(rq, &n)) {
		free(n.body);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		free(n.body);
		reply_db_error(rq);
		return;
	}
	int64_t id = notice_insert(rq->db, &n, rq->user.unit_id, rq->user.username);
	free(n.body);
	if (id <= 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "notice.create", "notice", id, json_pack("{s:s}", "title", n.title));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = visible_or_reply(rq, id);
	if (out)
		reply_json(rq, 201, out);
}

/* The publisher unit or the city may change a notice; others get 404 when they
 * cannot see it and 403 when they can. */
static bool publisher_or_reply(struct request *rq, int64_t id)
{
	json_t *n = visible_or_reply(rq, id);
	if (!n)
		return false;
	json_decref(n);
	if (rq->user.role == ROLE_CITY_ADMIN || notice_publisher(rq->db, id) == rq->user.unit_id)
		return true;
	reply_forbidden(rq);
	return false;
}

void api_notices_update(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	struct notice_rec n;
	if (!publisher_or_reply(rq, id))
		return;
	if (!notice_or_reply(rq, &n)) {
		free(n.body);
		return;
	}
	int rc = db_begin(rq->db, true) == DB_OK ? notice_update(rq->db, id, &n) : -1;
	free(n.body);
	if (rc) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "notice.update", "notice", id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = visible_or_reply(rq, id);
	if (out)
		reply_json(rq, 200, out);
}

void api_notices_withdraw(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	if (!publisher_or_reply(rq, id))
		return;
	if (db_begin(rq->db, true) != DB_OK || notice_withdraw(rq->db, id)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "notice.withdraw", "notice", id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = visible_or_reply(rq, id);
	if (out)
		reply_json(rq, 200, out);
}

void api_notices_put_attachment(struct request *rq)
{
	int64_t id = route_param_id(&rq->params, "id");
	if (!publisher_or_reply(rq, id))
		return;
	if (!rq->body || !rq->body_len) {
		reply_invalid(rq, "file", "上传的文件为空");
		return;
	}
	char name[400];
	filename_clean(query_get(rq, "filename"), name, sizeof(name));
	const char *type = filetype_sniff_document(rq->body, rq->body_len, name);
	if (!type) {
		reply_error(rq, 415, "unsupported_media_type",
			    "附件只能是 PDF、Word 或 Excel 文件（按文件内容识别）", "file");
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t fid = files_insert(rq->db, type, name, rq->body, rq->body_len, rq->user.user_id);
	if (fid <= 0 || notice_add_file(rq->db, id, fid)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "notice.attachment", "notice", id, json_pack("{s:s}", "filename", name));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	json_t *out = visible_or_reply(rq, id);
	if (out)
		reply_json(rq, 201, out);
}
