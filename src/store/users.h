/*
 * users.h - user accounts and their sessions.
 */
#ifndef QMS_STORE_USERS_H
#define QMS_STORE_USERS_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct user_row {
	int64_t id;
	char username[64];
	char display_name[200];
	char role[32];
	int64_t unit_id, enterprise_id;
	char password_hash[128];
	bool active, must_change_password;
	int64_t created_at, updated_at, last_login_at;
	/* Joined for display. */
	char unit_name[200], unit_kind[16], unit_district[64];
	char ent_name[200], ent_uscc[24], ent_district[64];
};

/* 1 found, 0 not found, -1 error. */
int users_get(struct db *db, int64_t id, struct user_row *u);
int users_get_by_name(struct db *db, const char *username, struct user_row *u);

struct user_filter {
	const char *role, *q;
	int64_t unit_id;
	int active; /* -1 any, 0, 1 */
	int limit;
	int64_t offset;
};
typedef void (*user_each_fn)(const struct user_row *u, void *ctx);
/* Calls each() per matching user (by id); returns the total count or -1. */
int64_t users_list(struct db *db, const struct user_filter *f, user_each_fn each, void *ctx);

/* Insert; returns the new id, 0 when the username exists, -1 on error. */
int64_t users_insert(struct db *db, const char *username, const char *display_name,
		     const char *role, int64_t unit_id, int64_t enterprise_id, const char *hash,
		     bool must_change);
int users_set_password(struct db *db, int64_t id, const char *hash, bool must_change);
int users_set_active(struct db *db, int64_t id, bool active);
int users_set_display_name(struct db *db, int64_t id, const char *display_name);
int users_touch_login(struct db *db, int64_t id);

/* ---- Sessions ---- */
int sessions_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
		    const char *ip);
/* Load a session with its user: 1 found, 0 none, -1 error. */
struct session_row {
	int64_t user_id, created_at, last_seen;
	char csrf[64];
};
int sessions_get(struct db *db, const char *token_hash, struct session_row *s);
/* The session and its user in one query: 1 found, 0 none, -1 error. */
int sessions_get_with_user(struct db *db, const char *token_hash, struct session_row *s,
			   struct user_row *u);
int sessions_touch(struct db *db, const char *token_hash, int64_t now);
int sessions_delete(struct db *db, const char *token_hash);
/* End every session of a user, except `keep_hash` (may be NULL). */
int sessions_delete_user(struct db *db, int64_t user_id, const char *keep_hash);
/* Remove sessions idle since before `idle_before` or created before `created_before`. */
int sessions_purge(struct db *db, int64_t idle_before, int64_t created_before);

/* ---- Login throttling ---- */
/* Seconds left of a lock on key (0 when not locked). */
int64_t throttle_locked(struct db *db, const char *key, int64_t now);
/* Count one failure; lock for lock_secs when failures reach limit within window. */
int throttle_fail(struct db *db, const char *key, int64_t now, int limit, int window, int lock_secs);
int throttle_clear(struct db *db, const char *key);
/* Remove throttle rows whose window and lock ended before `before`. */
int throttle_purge(struct db *db, int64_t before);

/* ---- Scheduled job claims (job_runs) ---- */
/* 1 when this caller claimed (job, period), 0 when someone else did, -1 on error. */
int job_claim(struct db *db, const char *job, int64_t period, const char *server, int64_t now);
int job_finish(struct db *db, const char *job, int64_t period, const char *result, int64_t now);

#endif
