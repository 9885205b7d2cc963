/*
 * db_sqlite.c - the SQLite backend: WAL, foreign keys on, busy timeout,
 * BEGIN IMMEDIATE for writes so two writers never deadlock on upgrade.
 */
#include "db_internal.h"
#include "../util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000

static void set_err(struct db *db)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s", sqlite3_errmsg(db->impl));
}

static int lite_open(struct db *db, const char *url, char *err, size_t errlen)
{
	const char *path = url;
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法打开数据库 %s：%s", path, h ? sqlite3_errmsg(h) : "内存不足");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(h, 1);
	char *msg = NULL;
	rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			     "PRAGMA synchronous=NORMAL;", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法设置数据库 %s：%s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(h);
		return -1;
	}
	db->impl = h;
	return 0;
}

static void lite_close(struct db *db)
{
	sqlite3_close(db->impl);
}

static void *lite_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->impl, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		set_err(db);
		return NULL;
	}
	return st;
}

static void lite_finalize(struct db *db, void *st)
{
	(void)db;
	sqlite3_finalize(st);
}

static void lite_bind_int(void *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st, idx, v);
}

static void lite_bind_text(void *st, int idx, const char *s)
{
	sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

static void lite_bind_blob(void *st, int idx, const void *data, size_t len)
{
	sqlite3_bind_blob64(st, idx, data, len, SQLITE_TRANSIENT);
}

static const void *lite_col_blob(void *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	*len = (size_t)sqlite3_column_bytes(st, col);
	return p;
}

static void lite_bind_double(void *st, int idx, double v)
{
	sqlite3_bind_double(st, idx, v);
}

static double lite_col_double(void *st, int col)
{
	return sqlite3_column_double(st, col);
}

static void lite_bind_null(void *st, int idx)
{
	sqlite3_bind_null(st, idx);
}

static int lite_step(struct db *db, void *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	set_err(db);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return DB_CONSTRAINT;
	if ((rc & 0xff) == SQLITE_BUSY)
		return DB_BUSY;
	return DB_ERROR;
}

static int64_t lite_col_int(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static const char *lite_col_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static bool lite_col_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static void lite_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int lite_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->impl, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg ? msg : sqlite3_errmsg(db->impl));
		sqlite3_free(msg);
		return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERROR;
	}
	return DB_OK;
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.bind_int = lite_bind_int,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.bind_blob = lite_bind_blob,
	.bind_double = lite_bind_double,
	.step = lite_step,
	.col_int = lite_col_int,
	.col_text = lite_col_text,
	.col_null = lite_col_null,
	.col_blob = lite_col_blob,
	.col_double = lite_col_double,
	.reset = lite_reset,
	.exec = lite_exec,
	.begin_write_sql = "BEGIN IMMEDIATE",
	.begin_read_sql = "BEGIN",
	.migrations = migrations_sqlite,
};

int db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	if (!db_is_sqlite(db)) {
		snprintf(err, errlen, "PostgreSQL 数据库请使用 pg_dump 备份（见 docs/operations.md）");
		return DB_ERROR;
	}
	sqlite3 *out = NULL;
	if (sqlite3_open(dest, &out) != SQLITE_OK) {
		snprintf(err, errlen, "无法创建备份文件 %s：%s", dest, out ? sqlite3_errmsg(out) : "?");
		sqlite3_close(out);
		return DB_ERROR;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", db->impl, "main");
	if (!b) {
		snprintf(err, errlen, "备份失败：%s", sqlite3_errmsg(out));
		sqlite3_close(out);
		return DB_ERROR;
	}
	int rc;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "备份失败：%s", sqlite3_errmsg(out));
		sqlite3_close(out);
		return DB_ERROR;
	}
	sqlite3_close(out);
	return DB_OK;
}
