/*
 * users.c - user administration by the city administrator: list, create,
 * rename, disable/enable, reset password. Every change is audited and runs
 * in one transaction with its audit entry.
 */
#include "api.h"
#include "../app.h"
#include "../core/password.h"
#include "../store/db.h"
#include "../store/programmes.h"
#include "../store/users.h"
#include "../util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

json_t *user_json(const struct user_row *u)
{
	enum role r = role_parse(u->role);
	json_t *unit = json_null(), *ent = json_null();
	if (u->unit_id)
		unit = json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)u->unit_id, "name", u->unit_name,
				 "kind", u->unit_kind, "district",
				 u->unit_district[0] ? json_string(u->unit_district) : json_null());
	if (u->enterprise_id)
		ent = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)u->enterprise_id, "name",
				u->ent_name, "uscc", u->ent_uscc, "district", u->ent_district);
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:o,s:o}",
		"id", (json_int_t)u->id, "username", u->username, "display_name", u->display_name,
		"role", u->role, "role_name", role_label(r), "unit", unit, "enterprise", ent,
		"active", u->active, "must_change_password", u->must_change_password,
		"created_at", json_time(u->created_at), "last_login_at", json_time(u->last_login_at));
}

static void append_user(const struct user_row *u, void *ctx)
{
	json_array_append_new(ctx, user_json(u));
}

void api_users_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct user_filter f = {0};
	f.role = query_get(rq, "role");
	f.q = query_get(rq, "q");
	f.active = -1;
	const char *active = query_get(rq, "active"), *unit = query_get(rq, "unit_id");
	if (f.role && role_parse(f.role) == ROLE_NONE) {
		reply_invalid(rq, "role", "角色无效");
		return;
	}
	if (active) {
		if (!strcmp(active, "true"))
			f.active = 1;
		else if (!strcmp(active, "false"))
			f.active = 0;
		else {
			reply_invalid(rq, "active", "active 只能是 true 或 false");
			return;
		}
	}
	if (unit) {
		char *end;
		f.unit_id = strtoll(unit, &end, 10);
		if (*end || f.unit_id <= 0) {
			reply_invalid(rq, "unit_id", "单位编号无效");
			return;
		}
	}
	f.limit = pg.per_page;
	f.offset = pg.offset;
	json_t *items = json_array();
	int64_t total = users_list(rq->db, &f, append_user, items);
	if (total < 0) {
		json_decref(items);
		reply_db_error(rq);
		return;
	}
	reply_page(rq, items, total, &pg);
}

static bool username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		      *s == '-'))
			return false;
	return true;
}

/* A readable temporary password: 12 characters without look-alikes. */
static void temporary_password(char out[13])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
	for (int i = 0; i < 12; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[12] = '\0';
}

/* Check that role, unit and enterprise fit together; replies 422 otherwise. */
static bool role_scope_or_reply(struct request *rq, enum role r, int64_t unit_id, int64_t ent_id)
{
	char kind[16] = "";
	if (unit_id && !units_kind(rq->db, unit_id, kind, sizeof(kind))) {
		reply_invalid(rq, "unit_id", "所选单位不存在");
		return false;
	}
	switch (r) {
	case ROLE_CITY_ADMIN:
		if (unit_id && strcmp(kind, "city")) {
			reply_invalid(rq, "unit_id", "市局管理员只能属于市局");
			return false;
		}
		break;
	case ROLE_DISTRICT_OFFICER:
		if (!unit_id || strcmp(kind, "district")) {
			reply_invalid(rq, "unit_id", "区市场监管局用户必须选择所属区市场监管局");
			return false;
		}
		break;
	case ROLE_CB_STAFF:
		if (!unit_id || strcmp(kind, "cb")) {
			reply_invalid(rq, "unit_id", "认证机构用户必须选择所属认证机构");
			return false;
		}
		break;
	case ROLE_ENTERPRISE:
		if (unit_id) {
			reply_invalid(rq, "unit_id", "企业用户不属于监管单位或认证机构");
			return false;
		}
		if (!ent_id || !enterprises_exists(rq->db, ent_id)) {
			reply_invalid(rq, "enterprise_id", "企业用户必须关联已登记的企业");
			return false;
		}
		break;
	case ROLE_NONE:
		reply_invalid(rq, "role", "角色无效");
		return false;
	}
	if (r != ROLE_ENTERPRISE && ent_id) {
		reply_invalid(rq, "enterprise_id", "只有企业用户可以关联企业");
		return false;
	}
	return true;
}

/*
 * Create an account after the checks every creator shares (username form,
 * role and scope, password policy) and reply 201 with the user, plus the
 * temporary password when password is "" (the user must change it).
 */
void user_create_reply(struct request *rq, const char *username, const char *display,
		       const char *role, int64_t unit_id, int64_t ent_id, char *password)
{
	if (!username_ok(username)) {
		reply_invalid(rq, "username", "用户名为 3–32 位小写字母、数字或 _ . -");
		return;
	}
	enum role r = role_parse(role);
	if (r == ROLE_NONE) {
		reply_invalid(rq, "role", "角色只能是 city_admin、district_officer、cb_staff 或 enterprise");
		return;
	}
	if (!role_scope_or_reply(rq, r, unit_id, ent_id))
		return;
	bool temporary = password[0] == '\0';
	if (temporary) {
		temporary_password(password); /* callers pass a buffer of at least 13 bytes */
	} else {
		enum password_verdict v = password_check(&rq->app->common, username, password);
		if (v != PW_OK) {
			reply_invalid(rq, "password", password_verdict_message(v));
			return;
		}
	}
	char hash[128];
	if (app_hash_password(rq->app, password, hash) != 0) {
		reply_error(rq, 503, "unavailable", "服务器繁忙，请稍后重试", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	int64_t id = users_insert(rq->db, username, display, role, unit_id, ent_id, hash, temporary);
	if (id <= 0) {
		db_rollback(rq->db);
		if (id == 0)
			reply_error(rq, 409, "conflict", "用户名已存在", "username");
		else
			reply_db_error(rq);
		return;
	}
	audit(rq, "user.create", "user", id, json_pack("{s:s,s:s}", "username", username, "role", role));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	struct user_row u;
	users_get(rq->db, id, &u);
	json_t *out = user_json(&u);
	if (temporary)
		json_object_set_new(out, "temporary_password", json_string(password));
	sodium_memzero(password, strlen(password));
	reply_json(rq, 201, out);
}

void api_users_create(struct request *rq)
{
	static const char *const fields[] = {"username", "display_name", "role", "unit_id",
					     "enterprise_id", "password", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	char username[64], display[200], role[32], password[PASSWORD_MAX_CHARS * 4 + 1];
	int64_t unit_id = 0, ent_id = 0;
	bool ok = known_fields_or_reply(rq, body, fields) &&
		  string_field_or_reply(rq, body, "username", true, 32, username, sizeof(username), "用户名") &&
		  string_field_or_reply(rq, body, "display_name", true, 60, display, sizeof(display), "姓名") &&
		  string_field_or_reply(rq, body, "role", true, 20, role, sizeof(role), "角色") &&
		  int_field_or_reply(rq, body, "unit_id", false, 0, &unit_id, "所属单位") &&
		  int_field_or_reply(rq, body, "enterprise_id", false, 0, &ent_id, "关联企业") &&
		  string_field_or_reply(rq, body, "password", false, PASSWORD_MAX_CHARS, password,
					sizeof(password), "密码");
	json_decref(body);
	if (!ok)
		return;
	user_create_reply(rq, username, display, role, unit_id, ent_id, password);
}

/* Load the user named by {id}; replies 404 when there is none. */
static bool target_or_reply(struct request *rq, struct user_row *u)
{
	int rc = users_get(rq->db, route_param_id(&rq->params, "id"), u);
	if (rc < 0)
		reply_db_error(rq);
	else if (rc == 0)
		reply_not_found(rq);
	return rc == 1;
}

void api_users_get(struct request *rq)
{
	struct user_row u;
	if (target_or_reply(rq, &u))
		reply_json(rq, 200, user_json(&u));
}

void api_users_patch(struct request *rq)
{
	static const char *const fields[] = {"display_name", NULL};
	struct user_row u;
	if (!target_or_reply(rq, &u))
		return;
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	char display[200];
	bool ok = known_fields_or_reply(rq, body, fields) &&
		  string_field_or_reply(rq, body, "display_name", true, 60, display, sizeof(display), "姓名");
	json_decref(body);
	if (!ok)
		return;
	if (db_begin(rq->db, true) != DB_OK || users_set_display_name(rq->db, u.id, display) != 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "user.update", "user", u.id,
	      json_pack("{s:s,s:s}", "from", u.display_name, "to", display));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	users_get(rq->db, u.id, &u);
	reply_json(rq, 200, user_json(&u));
}

static void set_active(struct request *rq, bool active)
{
	struct user_row u;
	if (!target_or_reply(rq, &u))
		return;
	if (!active && u.id == rq->user.user_id) {
		reply_error(rq, 409, "conflict", "不能停用自己的账号", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || users_set_active(rq->db, u.id, active) != 0 ||
	    (!active && sessions_delete_user(rq->db, u.id, NULL) != 0)) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, active ? "user.enable" : "user.disable", "user", u.id,
	      json_pack("{s:s}", "username", u.username));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	users_get(rq->db, u.id, &u);
	reply_json(rq, 200, user_json(&u));
}

void api_users_disable(struct request *rq)
{
	set_active(rq, false);
}

void api_users_enable(struct request *rq)
{
	set_active(rq, true);
}

void api_users_reset_password(struct request *rq)
{
	struct user_row u;
	if (!target_or_reply(rq, &u))
		return;
	char password[13], hash[128];
	temporary_password(password);
	if (app_hash_password(rq->app, password, hash) != 0) {
		reply_error(rq, 503, "unavailable", "服务器繁忙，请稍后重试", NULL);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK || users_set_password(rq->db, u.id, hash, true) != 0 ||
	    sessions_delete_user(rq->db, u.id, NULL) != 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "user.reset_password", "user", u.id, json_pack("{s:s}", "username", u.username));
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	users_get(rq->db, u.id, &u);
	reply_json(rq, 200, json_pack("{s:o,s:s}", "user", user_json(&u), "temporary_password", password));
}
