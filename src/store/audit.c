/*
 * audit.c - see audit.h. The table refuses UPDATE and DELETE by trigger.
 */
#include "audit.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <string.h>

void audit_append(struct db *db, int64_t user_id, const char *username, const char *ip,
		  const char *action, const char *object_type, int64_t object_id, json_t *detail)
{
	char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	struct db_stmt *st = db_prep(db,
		"INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, detail) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, now_business());
	if (user_id)
		db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, username ? username : "");
	db_bind_text(st, 4, ip ? ip : "");
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, object_type ? object_type : "");
	if (object_id)
		db_bind_int(st, 7, object_id);
	db_bind_text(st, 8, d ? d : "{}");
	if (db_step(st) != DB_DONE)
		log_error("audit entry lost: %s %s", action, username ? username : "");
	db_done(st);
	free(d);
}

static void audit_where(struct sqlbuild *q, const struct audit_filter *f)
{
	if (f->action)
		sqlb_where_text(q, "action = ?", f->action);
	if (f->username)
		sqlb_where_text(q, "username = ?", f->username);
	if (f->q)
		sqlb_where_like(q, "(detail LIKE ? ESCAPE '\\' OR object_type LIKE ? ESCAPE '\\')", f->q);
	if (f->from)
		sqlb_where_int(q, "at >= ?", f->from);
	if (f->to)
		sqlb_where_int(q, "at < ?", f->to);
}

json_t *audit_list(struct db *db, const struct audit_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM audit_log");
	audit_where(&q, f);
	struct db_stmt *st = sqlb_prepare(&q, db);
	*total = db_scalar_int(st, 0);
	sqlb_free(&q);

	sqlb_init(&q, "SELECT id, at, user_id, username, ip, action, object_type, object_id, detail "
		      "FROM audit_log");
	audit_where(&q, f);
	sqlb_tail(&q, " ORDER BY id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		char at[21];
		format_rfc3339(db_col_int(st, 1), at);
		json_t *detail = json_loads(db_col_text(st, 8), 0, NULL);
		json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:o}",
			"id", (json_int_t)db_col_int(st, 0), "at", at,
			"user_id", db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
			"username", db_col_text(st, 3), "ip", db_col_text(st, 4),
			"action", db_col_text(st, 5), "object_type", db_col_text(st, 6),
			"object_id", db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)),
			"detail", detail ? detail : json_object()));
	}
	db_done(st);
	sqlb_free(&q);
	return items;
}

json_t *audit_history(struct db *db, const char *object_type, int64_t object_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT at, username, action, detail FROM audit_log WHERE object_type = ? AND object_id = ? "
		"ORDER BY id");
	db_bind_text(st, 1, object_type);
	db_bind_int(st, 2, object_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		char at[21];
		format_rfc3339(db_col_int(st, 0), at);
		json_t *detail = json_loads(db_col_text(st, 3), 0, NULL);
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o}", "at", at, "username",
			db_col_text(st, 1), "action", db_col_text(st, 2), "detail",
			detail ? detail : json_object()));
	}
	db_done(st);
	return items;
}
