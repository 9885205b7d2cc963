/*
 * review.c - see review.h.
 */
#include "review.h"
#include "db.h"
#include "../util.h"

int review_submit(struct db *db, const struct review_sql *rs, int64_t id, bool late, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db, rs->submit);
	db_bind_int(st, 1, late);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	if (db_exec_stmt(st))
		return -1;
	st = db_prep(db, rs->snapshot);
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, username);
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

static int close_version(struct db *db, const struct review_sql *rs, int64_t id, const char *outcome,
			 const char *reason)
{
	struct db_stmt *st = db_prep(db, rs->close_version);
	db_bind_text(st, 1, outcome);
	db_bind_text(st, 2, reason);
	db_bind_int(st, 3, id);
	db_bind_int(st, 4, id);
	return db_exec_stmt(st);
}

int review_return(struct db *db, const struct review_sql *rs, int64_t id, const char *reason)
{
	struct db_stmt *st = db_prep(db, rs->ret);
	db_bind_text(st, 1, reason);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	if (db_exec_stmt(st))
		return -1;
	return close_version(db, rs, id, "returned", reason);
}

int review_approve(struct db *db, const struct review_sql *rs, int64_t id)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db, rs->approve);
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	if (db_exec_stmt(st))
		return -1;
	return close_version(db, rs, id, rs->final_outcome, NULL);
}

json_t *review_versions(struct db *db, const struct review_sql *rs, int64_t id)
{
	struct db_stmt *st = db_prep(db, rs->versions);
	db_bind_int(st, 1, id);
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:i,s:o,s:s,s:b,s:o,s:o}",
			"version", (int)db_col_int(st, 0), "submitted_at", db_col_json_time(st, 1),
			"submitted_by", db_col_text(st, 2), "late", (int)db_col_int(st, 3),
			"outcome", db_col_json_text(st, 4), "return_reason", db_col_json_text(st, 5)));
	db_done(st);
	return list;
}

json_t *review_version_get(struct db *db, const struct review_sql *rs, int64_t id, int version)
{
	struct db_stmt *st = db_prep(db, rs->version_get);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	json_t *v = NULL;
	if (db_step(st) == DB_ROW) {
		json_t *body = json_loads(db_col_text(st, 1), 0, NULL);
		v = json_pack("{s:i,s:o,s:o,s:s,s:b,s:o,s:o}", "version", (int)db_col_int(st, 0),
			      rs->body_key, body ? body : json_object(), "submitted_at", db_col_json_time(st, 2),
			      "submitted_by", db_col_text(st, 3), "late", (int)db_col_int(st, 4),
			      "outcome", db_col_json_text(st, 5), "return_reason", db_col_json_text(st, 6));
	}
	db_done(st);
	return v;
}
