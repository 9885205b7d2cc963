/*
 * workplans.c - see workplans.h.
 */
#include "workplans.h"
#include "db.h"
#include "review.h"
#include "sqlbuild.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

#define WP_COLUMNS \
	"SELECT w.id, w.programme_id, w.unit_id, u.name, u.district, w.status, w.content, w.version, " \
	"w.late, w.return_reason, w.submitted_at, w.approved_at, w.created_at, w.updated_at " \
	"FROM workplans w JOIN units u ON u.id = w.unit_id"

static json_t *read_wp(struct db_stmt *st)
{
	json_t *content = json_loads(db_col_text(st, 6), 0, NULL);
	return json_pack("{s:I,s:I,s:{s:I,s:s,s:s},s:s,s:o,s:i,s:b,s:o,s:o,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "programme_id", (json_int_t)db_col_int(st, 1),
		"unit", "id", (json_int_t)db_col_int(st, 2), "name", db_col_text(st, 3),
		"district", db_col_text(st, 4), "status", db_col_text(st, 5),
		"content", content ? content : json_object(), "version", (int)db_col_int(st, 7),
		"late", (int)db_col_int(st, 8), "return_reason", db_col_json_text(st, 9),
		"submitted_at", db_col_json_time(st, 10), "approved_at", db_col_json_time(st, 11),
		"created_at", db_col_json_time(st, 12), "updated_at", db_col_json_time(st, 13));
}

int64_t wp_id_for_unit(struct db *db, int64_t programme_id, int64_t unit_id)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM workplans WHERE programme_id = ? AND unit_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	return db_scalar_int(st, 0);
}

int wp_row_get(struct db *db, int64_t id, struct wp_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, programme_id, unit_id, status, version FROM workplans WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->unit_id = db_col_int(st, 2);
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 3));
		r->version = (int)db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

json_t *wp_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, WP_COLUMNS " WHERE w.id = ?");
	db_bind_int(st, 1, id);
	json_t *w = db_step(st) == DB_ROW ? read_wp(st) : NULL;
	db_done(st);
	return w;
}

json_t *wp_list(struct db *db, int64_t programme_id, int64_t unit_id, const char *status,
		int limit, int64_t offset, int64_t *total)
{
	struct sqlbuild q;
	for (int pass = 0; pass < 2; pass++) {
		sqlb_init(&q, pass ? WP_COLUMNS : "SELECT COUNT(*) FROM workplans w JOIN units u ON u.id = w.unit_id");
		sqlb_where_int(&q, "w.programme_id = ?", programme_id);
		if (unit_id)
			sqlb_where_int(&q, "w.unit_id = ?", unit_id);
		if (status)
			sqlb_where_text(&q, "w.status = ?", status);
		if (!pass) {
			*total = db_scalar_int(sqlb_prepare(&q, db), 0);
			sqlb_free(&q);
		}
	}
	sqlb_tail(&q, " ORDER BY COALESCE(u.region_code, '999999'), u.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, limit);
	sqlb_param_int(&q, offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_wp(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

int64_t wp_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *content)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO workplans (programme_id, unit_id, status, content, created_at, updated_at) "
		"VALUES (?, ?, 'draft', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, content);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

int wp_update(struct db *db, int64_t id, const char *content)
{
	struct db_stmt *st = db_prep(db, "UPDATE workplans SET content = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, content);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

static const struct review_sql wp_review = {
	.submit = "UPDATE workplans SET status = 'submitted', version = version + 1, late = ?, "
		  "submitted_at = ?, updated_at = ? WHERE id = ?",
	.snapshot = "INSERT INTO workplan_versions (workplan_id, version, content, submitted_at, "
		    "submitted_by, late) SELECT id, version, content, ?, ?, late FROM workplans WHERE id = ?",
	.ret = "UPDATE workplans SET status = 'returned', return_reason = ?, updated_at = ? WHERE id = ?",
	.approve = "UPDATE workplans SET status = 'approved', approved_at = ?, updated_at = ? WHERE id = ?",
	.close_version = "UPDATE workplan_versions SET outcome = ?, return_reason = ? WHERE workplan_id = ? "
			 "AND version = (SELECT version FROM workplans WHERE id = ?)",
	.versions = "SELECT version, submitted_at, submitted_by, late, outcome, return_reason "
		    "FROM workplan_versions WHERE workplan_id = ? ORDER BY version",
	.version_get = "SELECT version, content, submitted_at, submitted_by, late, outcome, return_reason "
		       "FROM workplan_versions WHERE workplan_id = ? AND version = ?",
	.body_key = "content",
	.final_outcome = "approved",
};

int wp_submit(struct db *db, int64_t id, bool late, const char *username)
{
	return review_submit(db, &wp_review, id, late, username);
}

int wp_return(struct db *db, int64_t id, const char *reason)
{
	return review_return(db, &wp_review, id, reason);
}

int wp_approve(struct db *db, int64_t id)
{
	return review_approve(db, &wp_review, id);
}

json_t *wp_versions(struct db *db, int64_t id)
{
	return review_versions(db, &wp_review, id);
}

json_t *wp_version_get(struct db *db, int64_t id, int version)
{
	return review_version_get(db, &wp_review, id, version);
}

int wp_enterprise_fact(struct db *db, int64_t id, struct wp_ent_fact *f)
{
	memset(f, 0, sizeof(*f));
	struct db_stmt *st = db_prep(db,
		"SELECT district_unit_id, industry, size_class, consent, name, uscc FROM enterprises WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		f->district_unit_id = db_col_int(st, 0);
		snprintf(f->industry, sizeof(f->industry), "%s", db_col_text(st, 1));
		snprintf(f->size_class, sizeof(f->size_class), "%s", db_col_text(st, 2));
		f->consent = db_col_int(st, 3) != 0;
		snprintf(f->name, sizeof(f->name), "%s", db_col_text(st, 4));
		snprintf(f->uscc, sizeof(f->uscc), "%s", db_col_text(st, 5));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

bool programme_deadline(struct db *db, int64_t programme_id, const char *key, char due[11])
{
	struct db_stmt *st = db_prep(db, "SELECT due_date FROM programme_deadlines WHERE programme_id = ? AND key = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, key);
	bool found = db_step(st) == DB_ROW;
	if (found)
		snprintf(due, 11, "%s", db_col_text(st, 0));
	db_done(st);
	return found;
}
