/*
 * db.h - the only door to the database.
 *
 * A small backend interface (prepare, bind, step, column, begin, commit,
 * rollback) so that SQLite (the embedded default) and PostgreSQL can sit
 * behind the same calls. SQL text uses '?' placeholders only; a backend that
 * needs "$1" rewrites them once, when the statement is first prepared.
 *
 * A connection belongs to one thread. Prepared statements are cached per
 * connection, keyed by the SQL text, so db_prep() on a hot path costs a hash
 * lookup. A statement handed out by db_prep() must be given back with
 * db_done() before the same SQL is prepared again on that connection.
 */
#ifndef QMS_DB_H
#define QMS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERROR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3 };

/* Open a database: a file path (SQLite) or postgresql://... */
struct db *db_open(const char *url, char *err, size_t errlen);
void db_close(struct db *db);
const char *db_backend_name(const struct db *db);
bool db_is_sqlite(const struct db *db);
/* True for postgresql:// and postgres:// URLs. */
bool db_url_is_pg(const char *url);
/* Last error message of this connection. */
const char *db_errmsg(const struct db *db);

/* Statements. */
struct db_stmt *db_prep(struct db *db, const char *sql);
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_null(struct db_stmt *st, int idx);
void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len);
void db_bind_double(struct db_stmt *st, int idx, double v);
/* DB_ROW, DB_DONE, DB_CONSTRAINT (unique/foreign key) or DB_ERROR. */
int db_step(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* "" for NULL */
bool db_col_null(struct db_stmt *st, int col);
/* Bytes of a BLOB/BYTEA column, valid until the next step or db_done(). */
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);
/* Reset the statement and clear its bindings; it goes back to the cache. */
void db_done(struct db_stmt *st);

/* Run SQL without results (schema, pragmas); may hold several statements. */
int db_exec(struct db *db, const char *sql);

/* Transactions: db_begin(db, true) takes the write lock at once. */
int db_begin(struct db *db, bool write);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Apply the numbered migrations that are missing; returns DB_OK or DB_ERROR. */
int db_migrate(struct db *db, char *err, size_t errlen);
/* Highest applied migration number. */
int db_schema_version(struct db *db);
/* SQLite online backup into dest; DB_ERROR with a message on other backends. */
int db_backup(struct db *db, const char *dest, char *err, size_t errlen);

/* ---- Convenience on top of the above ---- */

/* Step a statement that returns no rows and give it back: 0, or -1 on error. */
int db_exec_stmt(struct db_stmt *st);
/* A column as JSON: RFC 3339 time from UNIX seconds, or the text; null when NULL. */
struct json_t;
struct json_t *db_col_json_time(struct db_stmt *st, int col);
struct json_t *db_col_json_text(struct db_stmt *st, int col);

/* True when the database answers a trivial query. */
bool db_ping(struct db *db);

/* One integer from a query with bound text/ints already applied; def when no row. */
int64_t db_scalar_int(struct db_stmt *st, int64_t def);

#endif
