/*
 * auth.c - login, logout, the current user and changing one's password.
 *
 * Throttling: failures are counted per (account, client address) and per
 * client address, never per account alone, so nobody elsewhere can lock a
 * user out of their own office, and successes never count, so many users
 * behind one office NAT are never slowed. Locks are temporary.
 */
#include "api.h"
#include "../app.h"
#include "../core/password.h"
#include "../http/session.h"
#include "../store/db.h"
#include "../store/users.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

static void throttle_keys(struct request *rq, const char *username, char *pair, size_t n1,
			  char *ip, size_t n2)
{
	snprintf(pair, n1, "u:%s|%s", username, rq->ip);
	snprintf(ip, n2, "ip:%s", rq->ip);
}

static void reply_locked(struct request *rq, int64_t secs)
{
	char msg[160];
	snprintf(msg, sizeof(msg), "登录失败次数过多，请 %lld 分钟后再试",
		 (long long)((secs + 59) / 60));
	reply_error(rq, 429, "too_many_attempts", msg, NULL);
}

static void reply_bad_credentials(struct request *rq)
{
	reply_error(rq, 401, "bad_credentials", "用户名或密码错误", NULL);
}

void api_login(struct request *rq)
{
	static const char *const fields[] = {"username", "password", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	char username[64], password[PASSWORD_MAX_CHARS * 4 + 1];
	if (!known_fields_or_reply(rq, body, fields) ||
	    !string_field_or_reply(rq, body, "username", true, 32, username, sizeof(username), "用户名")) {
		json_decref(body);
		return;
	}
	/* The password is taken as typed (no trimming). */
	json_t *pw = json_object_get(body, "password");
	if (!json_is_string(pw)) {
		if (pw && !json_is_null(pw))
			reply_error(rq, 400, "bad_type", "密码必须是文本", "password");
		else
			reply_invalid(rq, "password", "请填写密码");
		json_decref(body);
		return;
	}
	if (json_string_length(pw) >= sizeof(password)) {
		json_decref(body);
		reply_bad_credentials(rq);
		return;
	}
	snprintf(password, sizeof(password), "%s", json_string_value(pw));
	json_decref(body);

	const struct settings *cfg = &rq->app->cfg;
	char kpair[160], kip[80];
	throttle_keys(rq, username, kpair, sizeof(kpair), kip, sizeof(kip));
	int64_t now = now_seconds();
	int64_t left = throttle_locked(rq->db, kip, now);
	if (!left)
		left = throttle_locked(rq->db, kpair, now);
	if (left) {
		snprintf(rq->user.username, sizeof(rq->user.username), "%s", username);
		audit(rq, "login.locked", "user", 0, NULL);
		rq->user.username[0] = '\0';
		reply_locked(rq, left);
		return;
	}

	struct user_row u;
	int found = users_get_by_name(rq->db, username, &u);
	if (found < 0) {
		reply_db_error(rq);
		return;
	}
	/* Verify against a dummy hash for unknown users so timing does not tell. */
	bool ok = app_verify_password(rq->app, found ? u.password_hash : rq->app->dummy_hash, password);
	if (!found || !ok || !u.active) {
		throttle_fail(rq->db, kpair, now, cfg->login_pair_limit, cfg->login_window,
			      cfg->login_lock);
		throttle_fail(rq->db, kip, now, cfg->login_ip_limit, cfg->login_window, cfg->login_lock);
		snprintf(rq->user.username, sizeof(rq->user.username), "%s", username);
		audit(rq, "login.failure", "user", found ? u.id : 0,
		      json_pack("{s:s}", "reason", !found ? "unknown_user" : !ok ? "bad_password" : "disabled"));
		rq->user.username[0] = '\0';
		reply_bad_credentials(rq);
		return;
	}
	throttle_clear(rq->db, kpair);
	if (!session_start(rq, u.id)) {
		reply_db_error(rq);
		return;
	}
	users_touch_login(rq->db, u.id);
	rq->user.user_id = u.id;
	snprintf(rq->user.username, sizeof(rq->user.username), "%s", u.username);
	audit(rq, "login.success", "user", u.id, NULL);
	users_get(rq->db, u.id, &u);
	reply_json(rq, 200, json_pack("{s:o,s:s}", "user", user_json(&u), "csrf_token", rq->csrf_token));
}

void api_logout(struct request *rq)
{
	session_end(rq);
	audit(rq, "logout", "user", rq->user.user_id, NULL);
	reply_empty(rq, 204);
}

void api_me(struct request *rq)
{
	reply_json(rq, 200, json_pack("{s:o,s:s}", "user", user_json(&rq->me), "csrf_token", rq->csrf_token));
}

void api_me_password(struct request *rq)
{
	static const char *const fields[] = {"current_password", "new_password", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return;
	if (!known_fields_or_reply(rq, body, fields)) {
		json_decref(body);
		return;
	}
	json_t *cur = json_object_get(body, "current_password"), *neu = json_object_get(body, "new_password");
	if (!json_is_string(cur) || !json_is_string(neu)) {
		const char *f = !json_is_string(cur) ? "current_password" : "new_password";
		json_t *v = json_object_get(body, f);
		if (v && !json_is_null(v))
			reply_error(rq, 400, "bad_type", "密码必须是文本", f);
		else
			reply_invalid(rq, f, !strcmp(f, "current_password") ? "请填写当前密码" : "请填写新密码");
		json_decref(body);
		return;
	}
	struct user_row u;
	if (users_get(rq->db, rq->user.user_id, &u) != 1) {
		json_decref(body);
		reply_db_error(rq);
		return;
	}
	if (!app_verify_password(rq->app, u.password_hash, json_string_value(cur))) {
		json_decref(body);
		audit(rq, "password.change_failed", "user", u.id, NULL);
		reply_invalid(rq, "current_password", "当前密码不正确");
		return;
	}
	enum password_verdict v = password_check(&rq->app->common, u.username, json_string_value(neu));
	if (v != PW_OK) {
		json_decref(body);
		reply_invalid(rq, "new_password", password_verdict_message(v));
		return;
	}
	if (!strcmp(json_string_value(cur), json_string_value(neu))) {
		json_decref(body);
		reply_invalid(rq, "new_password", "新密码不能与当前密码相同");
		return;
	}
	char hash[128];
	if (app_hash_password(rq->app, json_string_value(neu), hash) != 0) {
		json_decref(body);
		reply_error(rq, 503, "unavailable", "服务器繁忙，请稍后重试", NULL);
		return;
	}
	json_decref(body);
	char keep[TOKEN_HASH_HEX + 1];
	session_current_hash(rq, keep);
	if (db_begin(rq->db, true) != DB_OK || users_set_password(rq->db, u.id, hash, false) != 0 ||
	    sessions_delete_user(rq->db, u.id, keep) != 0) {
		db_rollback(rq->db);
		reply_db_error(rq);
		return;
	}
	audit(rq, "password.change", "user", u.id, NULL);
	if (db_commit(rq->db) != DB_OK) {
		reply_db_error(rq);
		return;
	}
	reply_empty(rq, 204);
}
