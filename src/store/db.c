/*
 * db.c - backend-independent part of the database layer: statement cache,
 * transactions, migrations. See db.h.
 */
#include "db_internal.h"
#include "../util.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db *db_open(const char *url, char *err, size_t errlen)
{
	const struct db_backend *be = &db_sqlite_backend;
	if (db_url_is_pg(url))
		be = &db_pg_backend;
	struct db *db = xcalloc(1, sizeof(*db));
	db->be = be;
	if (be->open(db, url, err, errlen) != 0) {
		free(db);
		return NULL;
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < DB_STMT_BUCKETS; i++) {
		struct db_stmt *st = db->cache[i];
		while (st) {
			struct db_stmt *next = st->next;
			db->be->finalize(db, st->impl);
			free(st->sql);
			free(st);
			st = next;
		}
	}
	db->be->close(db);
	free(db);
}

const char *db_backend_name(const struct db *db)
{
	return db->be->name;
}

bool db_url_is_pg(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

bool db_is_sqlite(const struct db *db)
{
	return db->be == &db_sqlite_backend;
}

const char *db_errmsg(const struct db *db)
{
	return db->errmsg;
}

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct db_stmt *db_prep(struct db *db, const char *sql)
{
	unsigned b = hash_sql(sql) % DB_STMT_BUCKETS;
	struct db_stmt *st;
	for (st = db->cache[b]; st; st = st->next)
		if (strcmp(st->sql, sql) == 0)
			break;
	if (st) {
		if (st->busy)
			BUG("statement prepared twice without db_done()");
		st->busy = true;
		return st;
	}
	void *impl = db->be->prepare(db, sql);
	if (!impl) {
		log_error("prepare failed: %s -- %s", db->errmsg, sql);
		BUG("SQL does not prepare");
	}
	st = xcalloc(1, sizeof(*st));
	st->db = db;
	st->impl = impl;
	st->sql = xstrdup(sql);
	st->busy = true;
	st->next = db->cache[b];
	db->cache[b] = st;
	return st;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->db->be->bind_int(st->impl, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		st->db->be->bind_text(st->impl, idx, s);
	else
		st->db->be->bind_null(st->impl, idx);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	st->db->be->bind_blob(st->impl, idx, data, len);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
	st->db->be->bind_double(st->impl, idx, v);
}

double db_col_double(struct db_stmt *st, int col)
{
	return st->db->be->col_double(st->impl, col);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *len)
{
	return st->db->be->col_blob(st->impl, col, len);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	st->db->be->bind_null(st->impl, idx);
}

int db_step(struct db_stmt *st)
{
	int rc = st->db->be->step(st->db, st->impl);
	if (rc == DB_ERROR)
		log_error("sql error: %s -- %s", st->db->errmsg, st->sql);
	return rc;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->be->col_int(st->impl, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	const char *s = st->db->be->col_text(st->impl, col);
	return s ? s : "";
}

bool db_col_null(struct db_stmt *st, int col)
{
	return st->db->be->col_null(st->impl, col);
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	st->db->be->reset(st->impl);
	st->busy = false;
}

int db_exec(struct db *db, const char *sql)
{
	return db->be->exec(db, sql);
}

int db_begin(struct db *db, bool write)
{
	if (db->tx_depth++ > 0)
		BUG("nested transaction");
	int rc = db->be->exec(db, write ? db->be->begin_write_sql : db->be->begin_read_sql);
	if (rc != DB_OK)
		db->tx_depth = 0;
	return rc;
}

int db_commit(struct db *db)
{
	if (db->tx_depth == 0)
		BUG("commit outside a transaction");
	db->tx_depth = 0;
	int rc = db->be->exec(db, "COMMIT");
	if (rc != DB_OK)
		db->be->exec(db, "ROLLBACK");
	return rc;
}

void db_rollback(struct db *db)
{
	if (db->tx_depth == 0)
		return;
	db->tx_depth = 0;
	db->be->exec(db, "ROLLBACK");
}

int64_t db_scalar_int(struct db_stmt *st, int64_t def)
{
	int64_t v = def;
	if (db_step(st) == DB_ROW && !db_col_null(st, 0))
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

int db_schema_version(struct db *db)
{
	struct db_stmt *st = db_prep(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
	return (int)db_scalar_int(st, 0);
}

int db_migrate(struct db *db, char *err, size_t errlen)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)") != DB_OK) {
		snprintf(err, errlen, "无法创建 schema_version 表：%s", db->errmsg);
		return DB_ERROR;
	}
	for (const struct migration *m = db->be->migrations; m->sql; m++) {
		if (db_begin(db, true) != DB_OK) {
			snprintf(err, errlen, "无法开始迁移事务：%s", db->errmsg);
			return DB_ERROR;
		}
		struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM schema_version WHERE version = ?");
		db_bind_int(st, 1, m->version);
		int64_t have = db_scalar_int(st, 0);
		if (have) {
			db_rollback(db);
			continue;
		}
		if (db_exec(db, m->sql) != DB_OK) {
			snprintf(err, errlen, "迁移 %s 失败：%s", m->name, db->errmsg);
			db_rollback(db);
			return DB_ERROR;
		}
		st = db_prep(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		db_bind_int(st, 3, now_seconds());
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE || db_commit(db) != DB_OK) {
			snprintf(err, errlen, "记录迁移 %s 失败：%s", m->name, db->errmsg);
			db_rollback(db);
			return DB_ERROR;
		}
		log_info("applied migration %s", m->name);
	}
	return DB_OK;
}

bool db_ping(struct db *db)
{
	return db_scalar_int(db_prep(db, "SELECT 1"), 0) == 1;
}

int db_exec_stmt(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

json_t *db_col_json_time(struct db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return json_null();
	char buf[21];
	format_rfc3339(db_col_int(st, col), buf);
	return json_string(buf);
}

json_t *db_col_json_text(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}
