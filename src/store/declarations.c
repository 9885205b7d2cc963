/*
 * declarations.c - see declarations.h.
 */
#include "declarations.h"
#include "db.h"
#include "review.h"
#include "sqlbuild.h"
#include "../util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Programme ======================== */

int programme_info_current(struct db *db, struct programme_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	struct db_stmt *st = db_prep(db,
		"SELECT id, name, allow_late, quotas FROM programmes ORDER BY year DESC, id DESC LIMIT 1");
	int rc = db_step(st);
	if (rc == DB_ROW) {
		pi->id = db_col_int(st, 0);
		snprintf(pi->name, sizeof(pi->name), "%s", db_col_text(st, 1));
		pi->allow_late = db_col_int(st, 2) != 0;
		json_t *q = json_loads(db_col_text(st, 3), 0, NULL);
		json_t *m = json_object_get(q, "max_cbs_per_industry");
		pi->max_cbs_per_industry = json_is_integer(m) ? (int)json_integer_value(m) : 2;
		m = json_object_get(q, "min_industries_per_district");
		pi->min_industries = json_is_integer(m) ? (int)json_integer_value(m) : 1;
		m = json_object_get(q, "max_industries_per_district");
		pi->max_industries = json_is_integer(m) ? (int)json_integer_value(m) : 2;
		m = json_object_get(q, "min_enterprises_per_industry");
		pi->min_enterprises = json_is_integer(m) ? (int)json_integer_value(m) : 5;
		m = json_object_get(q, "min_benchmarks_per_industry");
		pi->min_benchmarks = json_is_integer(m) ? (int)json_integer_value(m) : 1;
		m = json_object_get(q, "max_benchmarks_per_industry");
		pi->max_benchmarks = json_is_integer(m) ? (int)json_integer_value(m) : 2;
		/* Checked when the programme was loaded; should the row have been edited
		 * by hand since, the defaults apply (and the log says why). */
		char err[256];
		if (eval_targets_parse(json_object_get(q, "evaluation_targets"), &pi->eval_targets, err, sizeof(err)))
			log_error("programme %lld: %s; the default evaluation targets apply", (long long)pi->id, err);
		json_decref(q);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	st = db_prep(db, "SELECT due_date FROM programme_deadlines WHERE programme_id = ? AND key = ?");
	db_bind_int(st, 1, pi->id);
	db_bind_text(st, 2, "declaration");
	if (db_step(st) == DB_ROW)
		snprintf(pi->declaration_due, sizeof(pi->declaration_due), "%s", db_col_text(st, 0));
	db_done(st);
	st = db_prep(db, "SELECT name FROM industries WHERE programme_id = ? ORDER BY seq");
	db_bind_int(st, 1, pi->id);
	while (db_step(st) == DB_ROW && pi->n_industries < (int)ARRAY_SIZE(pi->industries))
		snprintf(pi->industries[pi->n_industries++], sizeof(pi->industries[0]), "%s",
			 db_col_text(st, 0));
	db_done(st);
	return 1;
}

int programme_lock(struct db *db, int64_t programme_id)
{
	struct db_stmt *st = db_prep(db, "UPDATE programmes SET id = id WHERE id = ?");
	db_bind_int(st, 1, programme_id);
	return db_exec_stmt(st);
}

/* ======================== Files ======================== */

int64_t files_insert(struct db *db, const char *content_type, const char *filename,
		     const void *data, size_t len, int64_t user_id)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	struct db_stmt *st = db_prep(db,
		"INSERT INTO files (sha256, content_type, size, filename, data, created_by, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, hex);
	db_bind_text(st, 2, content_type);
	db_bind_int(st, 3, (int64_t)len);
	db_bind_text(st, 4, filename);
	db_bind_blob(st, 5, data, len);
	if (user_id)
		db_bind_int(st, 6, user_id);
	db_bind_int(st, 7, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int files_get(struct db *db, int64_t id, struct file_blob *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_prep(db, "SELECT content_type, filename, data FROM files WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(out->content_type, sizeof(out->content_type), "%s", db_col_text(st, 0));
		snprintf(out->filename, sizeof(out->filename), "%s", db_col_text(st, 1));
		size_t n = 0;
		const void *p = db_col_blob(st, 2, &n);
		out->data = xmalloc(n);
		if (n)
			memcpy(out->data, p, n);
		out->size = n;
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ======================== Declarations ======================== */

#define DECL_COLUMNS \
	"SELECT d.id, d.programme_id, d.unit_id, u.name, u.kind, d.category, d.status, d.joins_pilot, " \
	"d.form, d.version, d.late, d.return_reason, d.submitted_at, d.accepted_at, d.created_at, " \
	"d.updated_at, f.filename, f.content_type, f.size, d.scan_uploaded_at " \
	"FROM declarations d JOIN units u ON u.id = d.unit_id LEFT JOIN files f ON f.id = d.scan_file_id"

static json_t *read_decl(struct db_stmt *st)
{
	json_t *form = json_loads(db_col_text(st, 8), 0, NULL);
	json_t *scan = json_null();
	if (!db_col_null(st, 16))
		scan = json_pack("{s:s,s:s,s:I,s:o}", "filename", db_col_text(st, 16), "content_type",
				 db_col_text(st, 17), "size", (json_int_t)db_col_int(st, 18),
				 "uploaded_at", db_col_json_time(st, 19));
	return json_pack("{s:I,s:I,s:{s:I,s:s,s:s},s:s,s:s,s:o,s:o,s:i,s:b,s:o,s:o,s:o,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "programme_id", (json_int_t)db_col_int(st, 1),
		"unit", "id", (json_int_t)db_col_int(st, 2), "name", db_col_text(st, 3),
		"kind", db_col_text(st, 4),
		"category", db_col_text(st, 5), "status", db_col_text(st, 6),
		"joins_pilot", db_col_null(st, 7) ? json_null() : json_boolean(db_col_int(st, 7)),
		"form", form ? form : json_object(),
		"version", (int)db_col_int(st, 9), "late", (int)db_col_int(st, 10),
		"return_reason", db_col_json_text(st, 11),
		"submitted_at", db_col_json_time(st, 12), "accepted_at", db_col_json_time(st, 13),
		"created_at", db_col_json_time(st, 14), "updated_at", db_col_json_time(st, 15),
		"scan", scan);
}

int64_t decl_id_for_unit(struct db *db, int64_t programme_id, int64_t unit_id)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM declarations WHERE programme_id = ? AND unit_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	return db_scalar_int(st, 0);
}

int decl_row_get(struct db *db, int64_t id, struct decl_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, programme_id, unit_id, status, category, version FROM declarations WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->unit_id = db_col_int(st, 2);
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 3));
		snprintf(r->category, sizeof(r->category), "%s", db_col_text(st, 4));
		r->version = (int)db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

json_t *decl_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, DECL_COLUMNS " WHERE d.id = ?");
	db_bind_int(st, 1, id);
	json_t *d = db_step(st) == DB_ROW ? read_decl(st) : NULL;
	db_done(st);
	return d;
}

static void decl_where(struct sqlbuild *q, const struct decl_filter *f)
{
	sqlb_where_int(q, "d.programme_id = ?", f->programme_id);
	if (f->unit_id)
		sqlb_where_int(q, "d.unit_id = ?", f->unit_id);
	if (f->category)
		sqlb_where_text(q, "d.category = ?", f->category);
	if (f->status)
		sqlb_where_text(q, "d.status = ?", f->status);
	if (f->joins >= 0)
		sqlb_where_int(q, "d.joins_pilot = ?", f->joins);
	if (f->late >= 0)
		sqlb_where_int(q, "d.late = ?", f->late);
	if (f->industry)
		sqlb_where_text(q, "d.id IN (SELECT declaration_id FROM declaration_industries WHERE industry = ?)",
				f->industry);
	if (f->q)
		sqlb_where_like(q, "u.name LIKE ? ESCAPE '\\'", f->q);
}

json_t *decl_list(struct db *db, const struct decl_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM declarations d JOIN units u ON u.id = d.unit_id");
	decl_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, DECL_COLUMNS);
	decl_where(&q, f);
	/* Market regulation first (in region-code order), then certification bodies. */
	sqlb_tail(&q, " ORDER BY d.category DESC, COALESCE(u.region_code, '999999'), u.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_decl(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

static int set_industries(struct db *db, int64_t id, char industries[][64], int n)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM declaration_industries WHERE declaration_id = ?");
	db_bind_int(st, 1, id);
	if (db_exec_stmt(st))
		return -1;
	for (int i = 0; i < n; i++) {
		st = db_prep(db, "INSERT INTO declaration_industries (declaration_id, industry) VALUES (?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, industries[i]);
		if (db_exec_stmt(st))
			return -1;
	}
	return 0;
}

static void bind_joins(struct db_stmt *st, int idx, int joins)
{
	if (joins < 0)
		db_bind_null(st, idx);
	else
		db_bind_int(st, idx, joins);
}

int64_t decl_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *category,
		    int joins, const char *form, char industries[][64], int n_industries)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO declarations (programme_id, unit_id, category, status, joins_pilot, form, "
		"created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, category);
	bind_joins(st, 4, joins);
	db_bind_text(st, 5, form);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	if (id > 0 && set_industries(db, id, industries, n_industries))
		return -1;
	return id;
}

int decl_update_form(struct db *db, int64_t id, int joins, const char *form,
		     char industries[][64], int n_industries)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE declarations SET joins_pilot = ?, form = ?, updated_at = ? WHERE id = ?");
	bind_joins(st, 1, joins);
	db_bind_text(st, 2, form);
	db_bind_int(st, 3, now_business());
	db_bind_int(st, 4, id);
	if (db_exec_stmt(st))
		return -1;
	return set_industries(db, id, industries, n_industries);
}

static const struct review_sql decl_review = {
	.submit = "UPDATE declarations SET status = 'submitted', version = version + 1, late = ?, "
		  "submitted_at = ?, updated_at = ? WHERE id = ?",
	.snapshot = "INSERT INTO declaration_versions (declaration_id, version, form, submitted_at, "
		    "submitted_by, late) SELECT id, version, form, ?, ?, late FROM declarations WHERE id = ?",
	.ret = "UPDATE declarations SET status = 'returned', return_reason = ?, updated_at = ? WHERE id = ?",
	.approve = "UPDATE declarations SET status = 'accepted', accepted_at = ?, updated_at = ? WHERE id = ?",
	.close_version = "UPDATE declaration_versions SET outcome = ?, return_reason = ? WHERE declaration_id = ? "
			 "AND version = (SELECT version FROM declarations WHERE id = ?)",
	.versions = "SELECT version, submitted_at, submitted_by, late, outcome, return_reason "
		    "FROM declaration_versions WHERE declaration_id = ? ORDER BY version",
	.version_get = "SELECT version, form, submitted_at, submitted_by, late, outcome, return_reason "
		       "FROM declaration_versions WHERE declaration_id = ? AND version = ?",
	.body_key = "form",
	.final_outcome = "accepted",
};

int decl_submit(struct db *db, int64_t id, bool late, const char *username)
{
	return review_submit(db, &decl_review, id, late, username);
}

int decl_return(struct db *db, int64_t id, const char *reason)
{
	return review_return(db, &decl_review, id, reason);
}

int decl_accept(struct db *db, int64_t id)
{
	return review_approve(db, &decl_review, id);
}

int decl_set_scan(struct db *db, int64_t id, int64_t file_id)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE declarations SET scan_file_id = ?, scan_uploaded_at = ?, updated_at = ? WHERE id = ?");
	db_bind_int(st, 1, file_id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	return db_exec_stmt(st);
}

int64_t decl_scan_file(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "SELECT scan_file_id FROM declarations WHERE id = ?");
	db_bind_int(st, 1, id);
	return db_scalar_int(st, 0);
}

json_t *decl_versions(struct db *db, int64_t id)
{
	return review_versions(db, &decl_review, id);
}

json_t *decl_version_get(struct db *db, int64_t id, int version)
{
	return review_version_get(db, &decl_review, id, version);
}

/* ======================== Selections ======================== */

int selections_count(struct db *db, int64_t programme_id, const char *industry)
{
	struct db_stmt *st = db_prep(db,
		"SELECT COUNT(*) FROM selections WHERE programme_id = ? AND industry = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, industry);
	return (int)db_scalar_int(st, -1);
}

int64_t selections_insert(struct db *db, int64_t programme_id, const char *industry,
			  int64_t cb_unit_id, int64_t declaration_id, const char *criteria,
			  const char *exception_reason, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO selections (programme_id, industry, cb_unit_id, declaration_id, criteria, "
		"exception_reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, industry);
	db_bind_int(st, 3, cb_unit_id);
	db_bind_int(st, 4, declaration_id);
	db_bind_text(st, 5, criteria);
	db_bind_text(st, 6, exception_reason && *exception_reason ? exception_reason : NULL);
	db_bind_text(st, 7, username);
	db_bind_int(st, 8, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

#define SEL_COLUMNS \
	"SELECT s.id, s.programme_id, s.industry, s.cb_unit_id, u.name, s.declaration_id, s.criteria, " \
	"s.exception_reason, s.created_by, s.created_at FROM selections s JOIN units u ON u.id = s.cb_unit_id"

static json_t *read_selection(struct db_stmt *st)
{
	json_t *criteria = json_loads(db_col_text(st, 6), 0, NULL);
	return json_pack("{s:I,s:I,s:s,s:{s:I,s:s},s:I,s:o,s:o,s:s,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "programme_id", (json_int_t)db_col_int(st, 1),
		"industry", db_col_text(st, 2), "cb", "id", (json_int_t)db_col_int(st, 3),
		"name", db_col_text(st, 4), "declaration_id", (json_int_t)db_col_int(st, 5),
		"criteria", criteria ? criteria : json_object(),
		"exception_reason", db_col_json_text(st, 7), "created_by", db_col_text(st, 8),
		"created_at", db_col_json_time(st, 9));
}

json_t *selections_list(struct db *db, int64_t programme_id, const char *industry,
			int64_t cb_unit_id)
{
	struct sqlbuild q;
	sqlb_init(&q, SEL_COLUMNS);
	sqlb_where_int(&q, "s.programme_id = ?", programme_id);
	if (industry)
		sqlb_where_text(&q, "s.industry = ?", industry);
	if (cb_unit_id)
		sqlb_where_int(&q, "s.cb_unit_id = ?", cb_unit_id);
	sqlb_tail(&q, " ORDER BY s.industry, s.id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_selection(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

json_t *selections_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, SEL_COLUMNS " WHERE s.id = ?");
	db_bind_int(st, 1, id);
	json_t *s = db_step(st) == DB_ROW ? read_selection(st) : NULL;
	db_done(st);
	return s;
}

int selections_delete(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM selections WHERE id = ?");
	db_bind_int(st, 1, id);
	return db_exec_stmt(st);
}
