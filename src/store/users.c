/*
 * users.c - accounts, sessions and login throttling. See users.h.
 */
#include "users.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

#define USER_COLUMNS \
	"u.id, u.username, u.display_name, u.role, u.unit_id, u.enterprise_id, u.password_hash, " \
	"u.active, u.must_change_password, u.created_at, u.updated_at, u.last_login_at, " \
	"un.name, un.kind, un.district, e.name, e.uscc, eu.district "
#define USER_FROM \
	"FROM users u LEFT JOIN units un ON un.id = u.unit_id " \
	"LEFT JOIN enterprises e ON e.id = u.enterprise_id " \
	"LEFT JOIN units eu ON eu.id = e.district_unit_id"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void read_user(struct db_stmt *st, struct user_row *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	copy(u->username, sizeof(u->username), db_col_text(st, 1));
	copy(u->display_name, sizeof(u->display_name), db_col_text(st, 2));
	copy(u->role, sizeof(u->role), db_col_text(st, 3));
	u->unit_id = db_col_int(st, 4);
	u->enterprise_id = db_col_int(st, 5);
	copy(u->password_hash, sizeof(u->password_hash), db_col_text(st, 6));
	u->active = db_col_int(st, 7) != 0;
	u->must_change_password = db_col_int(st, 8) != 0;
	u->created_at = db_col_int(st, 9);
	u->updated_at = db_col_int(st, 10);
	u->last_login_at = db_col_int(st, 11);
	copy(u->unit_name, sizeof(u->unit_name), db_col_text(st, 12));
	copy(u->unit_kind, sizeof(u->unit_kind), db_col_text(st, 13));
	copy(u->unit_district, sizeof(u->unit_district), db_col_text(st, 14));
	copy(u->ent_name, sizeof(u->ent_name), db_col_text(st, 15));
	copy(u->ent_uscc, sizeof(u->ent_uscc), db_col_text(st, 16));
	copy(u->ent_district, sizeof(u->ent_district), db_col_text(st, 17));
}

static int get_one(struct db_stmt *st, struct user_row *u)
{
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_user(st, u);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int users_get(struct db *db, int64_t id, struct user_row *u)
{
	struct db_stmt *st = db_prep(db, "SELECT " USER_COLUMNS USER_FROM " WHERE u.id = ?");
	db_bind_int(st, 1, id);
	return get_one(st, u);
}

int users_get_by_name(struct db *db, const char *username, struct user_row *u)
{
	struct db_stmt *st = db_prep(db, "SELECT " USER_COLUMNS USER_FROM " WHERE u.username = ?");
	db_bind_text(st, 1, username);
	return get_one(st, u);
}

static void user_where(struct sqlbuild *q, const struct user_filter *f)
{
	if (f->role)
		sqlb_where_text(q, "u.role = ?", f->role);
	if (f->unit_id)
		sqlb_where_int(q, "u.unit_id = ?", f->unit_id);
	if (f->active >= 0)
		sqlb_where_int(q, "u.active = ?", f->active);
	if (f->q)
		sqlb_where_like(q, "(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')",
				f->q);
}

int64_t users_list(struct db *db, const struct user_filter *f, user_each_fn each, void *ctx)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM users u");
	user_where(&q, f);
	int64_t total = db_scalar_int(sqlb_prepare(&q, db), -1);
	sqlb_free(&q);
	if (total < 0)
		return -1;

	sqlb_init(&q, "SELECT " USER_COLUMNS USER_FROM);
	user_where(&q, f);
	sqlb_tail(&q, " ORDER BY u.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	struct user_row u;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		read_user(st, &u);
		each(&u, ctx);
	}
	db_done(st);
	sqlb_free(&q);
	return rc == DB_DONE ? total : -1;
}

int64_t users_insert(struct db *db, const char *username, const char *display_name,
		     const char *role, int64_t unit_id, int64_t enterprise_id, const char *hash,
		     bool must_change)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO users (username, display_name, role, unit_id, enterprise_id, password_hash, "
		"active, must_change_password, created_at, updated_at, password_changed_at) "
		"VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, display_name);
	db_bind_text(st, 3, role);
	if (unit_id)
		db_bind_int(st, 4, unit_id);
	if (enterprise_id)
		db_bind_int(st, 5, enterprise_id);
	db_bind_text(st, 6, hash);
	db_bind_int(st, 7, must_change);
	db_bind_int(st, 8, now);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

int users_set_password(struct db *db, int64_t id, const char *hash, bool must_change)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, "
		"updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, must_change);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, id);
	return db_exec_stmt(st);
}

int users_set_active(struct db *db, int64_t id, bool active)
{
	struct db_stmt *st = db_prep(db, "UPDATE users SET active = ?, updated_at = ? WHERE id = ?");
	db_bind_int(st, 1, active);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

int users_set_display_name(struct db *db, int64_t id, const char *display_name)
{
	struct db_stmt *st = db_prep(db, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, display_name);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

int users_touch_login(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "UPDATE users SET last_login_at = ? WHERE id = ?");
	db_bind_int(st, 1, now_business());
	db_bind_int(st, 2, id);
	return db_exec_stmt(st);
}

/* ======================== Sessions ======================== */

int sessions_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
		    const char *ip)
{
	int64_t now = now_seconds();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, ip) "
		"VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now);
	db_bind_text(st, 6, ip);
	return db_exec_stmt(st);
}

int sessions_get(struct db *db, const char *token_hash, struct session_row *s)
{
	struct db_stmt *st = db_prep(db,
		"SELECT user_id, created_at, last_seen, csrf_token FROM sessions WHERE token_hash = ?");
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->user_id = db_col_int(st, 0);
		s->created_at = db_col_int(st, 1);
		s->last_seen = db_col_int(st, 2);
		copy(s->csrf, sizeof(s->csrf), db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int sessions_get_with_user(struct db *db, const char *token_hash, struct session_row *s,
			   struct user_row *u)
{
	struct db_stmt *st = db_prep(db,
		"SELECT " USER_COLUMNS ", s.created_at, s.last_seen, s.csrf_token "
		USER_FROM " JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?");
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read_user(st, u);
		s->user_id = u->id;
		s->created_at = db_col_int(st, 18);
		s->last_seen = db_col_int(st, 19);
		copy(s->csrf, sizeof(s->csrf), db_col_text(st, 20));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int sessions_touch(struct db *db, const char *token_hash, int64_t now)
{
	struct db_stmt *st = db_prep(db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, token_hash);
	return db_exec_stmt(st);
}

int sessions_delete(struct db *db, const char *token_hash)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM sessions WHERE token_hash = ?");
	db_bind_text(st, 1, token_hash);
	return db_exec_stmt(st);
}

int sessions_delete_user(struct db *db, int64_t user_id, const char *keep_hash)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?");
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, keep_hash ? keep_hash : "");
	return db_exec_stmt(st);
}

int sessions_purge(struct db *db, int64_t idle_before, int64_t created_before)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM sessions WHERE last_seen < ? OR created_at < ?");
	db_bind_int(st, 1, idle_before);
	db_bind_int(st, 2, created_before);
	return db_exec_stmt(st);
}

/* ======================== Login throttling ======================== */

int64_t throttle_locked(struct db *db, const char *key, int64_t now)
{
	struct db_stmt *st = db_prep(db, "SELECT locked_until FROM login_throttle WHERE key = ?");
	db_bind_text(st, 1, key);
	int64_t until = db_scalar_int(st, 0);
	return until > now ? until - now : 0;
}

int throttle_fail(struct db *db, const char *key, int64_t now, int limit, int window, int lock_secs)
{
	/* One statement, so concurrent failures on several servers still count. A window
	 * that has expired starts again at 1. */
	struct db_stmt *st = db_prep(db,
		"INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, 1, ?, 0) "
		"ON CONFLICT (key) DO UPDATE SET "
		"failures = CASE WHEN login_throttle.window_start < ? THEN 1 ELSE login_throttle.failures + 1 END, "
		"window_start = CASE WHEN login_throttle.window_start < ? THEN ? ELSE login_throttle.window_start END "
		"RETURNING failures");
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now - window);
	db_bind_int(st, 4, now - window);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	int64_t failures = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	if (failures >= limit) {
		st = db_prep(db, "UPDATE login_throttle SET locked_until = ?, failures = 0, window_start = ? "
				 "WHERE key = ?");
		db_bind_int(st, 1, now + lock_secs);
		db_bind_int(st, 2, now);
		db_bind_text(st, 3, key);
		return db_exec_stmt(st) == 0 ? 1 : -1;
	}
	return 0;
}

int throttle_clear(struct db *db, const char *key)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM login_throttle WHERE key = ?");
	db_bind_text(st, 1, key);
	return db_exec_stmt(st);
}

int throttle_purge(struct db *db, int64_t before)
{
	struct db_stmt *st = db_prep(db,
		"DELETE FROM login_throttle WHERE window_start < ? AND locked_until < ?");
	db_bind_int(st, 1, before);
	db_bind_int(st, 2, before);
	return db_exec_stmt(st);
}

/* ======================== Scheduled job claims ======================== */

int job_claim(struct db *db, const char *job, int64_t period, const char *server, int64_t now)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO job_runs (job, period, server, started_at) VALUES (?, ?, ?, ?) "
		"ON CONFLICT (job, period) DO NOTHING RETURNING period");
	db_bind_text(st, 1, job);
	db_bind_int(st, 2, period);
	db_bind_text(st, 3, server);
	db_bind_int(st, 4, now);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int job_finish(struct db *db, const char *job, int64_t period, const char *result, int64_t now)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE job_runs SET finished_at = ?, result = ? WHERE job = ? AND period = ?");
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, result);
	db_bind_text(st, 3, job);
	db_bind_int(st, 4, period);
	return db_exec_stmt(st);
}
