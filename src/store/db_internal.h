/*
 * db_internal.h - what a database backend implements (private to src/store/).
 */
#ifndef QMS_DB_INTERNAL_H
#define QMS_DB_INTERNAL_H

#include "db.h"

struct db_backend {
	const char *name;
	/* Open: fill db->impl; return 0 or -1 with err set. */
	int (*open)(struct db *db, const char *url, char *err, size_t errlen);
	void (*close)(struct db *db);
	void *(*prepare)(struct db *db, const char *sql);
	void (*finalize)(struct db *db, void *stmt);
	void (*bind_int)(void *stmt, int idx, int64_t v);
	void (*bind_text)(void *stmt, int idx, const char *s);
	void (*bind_null)(void *stmt, int idx);
	void (*bind_blob)(void *stmt, int idx, const void *data, size_t len);
	void (*bind_double)(void *stmt, int idx, double v);
	int (*step)(struct db *db, void *stmt);
	int64_t (*col_int)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	bool (*col_null)(void *stmt, int col);
	const void *(*col_blob)(void *stmt, int col, size_t *len);
	double (*col_double)(void *stmt, int col);
	void (*reset)(void *stmt);
	int (*exec)(struct db *db, const char *sql);
	const char *begin_write_sql;
	const char *begin_read_sql;
	/* Migrations for this backend's SQL dialect. */
	const struct migration *migrations;
};

struct migration {
	int version;
	const char *name;
	const char *sql;
};

struct db_stmt {
	struct db *db;
	void *impl;
	char *sql;
	bool busy;
	struct db_stmt *next; /* hash chain */
};

#define DB_STMT_BUCKETS 256

struct db {
	const struct db_backend *be;
	void *impl;
	char errmsg[512];
	struct db_stmt *cache[DB_STMT_BUCKETS];
	int tx_depth;
};

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;
extern const struct migration migrations_sqlite[];
extern const struct migration migrations_pg[];

#endif
