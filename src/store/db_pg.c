/*
 * db_pg.c - the PostgreSQL backend (libpq).
 *
 * Statements are prepared server-side once per connection (PQprepare) after
 * rewriting '?' placeholders to $1..$n; values travel as text parameters.
 * db_step() executes on its first call and then walks the result rows.
 *
 * Reconnection: when the server went away (restart, failover), the next
 * statement outside a transaction resets the connection, re-prepares what
 * it needs and runs once more. Inside a transaction the error is returned:
 * half a transaction must never be replayed on a new connection.
 */
#include "db_internal.h"
#include "../util.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters: room for at least PG_MIN_PARAMS (binding past the placeholders is
 * harmless), and for as many as the statement has up to the protocol's limit
 * (multi-row INSERTs). */
#define PG_MIN_PARAMS 32
#define PG_MAX_PARAMS 65535

struct pg_conn {
	PGconn *conn;
	unsigned generation; /* bumped by every reconnect: prepared names are lost */
	unsigned next_name;
};

struct pg_stmt {
	struct pg_conn *pc;
	char name[24];
	char *sql;            /* rewritten with $n */
	int n_params;
	unsigned generation;  /* connection generation it was prepared in */
	int cap;                      /* room in the three arrays below */
	char **values;
	int *lengths;                 /* for binary parameters (BLOBs) */
	int *formats;                 /* 0 text, 1 binary */
	unsigned char *blob;          /* last unescaped BYTEA column value */
	PGresult *res;
	int row, n_rows;
	bool executed;
};

static void set_err(struct db *db, const char *what, const char *msg)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s%s", what, msg ? msg : "");
	size_t n = strlen(db->errmsg);
	while (n && db->errmsg[n - 1] == '\n')
		db->errmsg[--n] = '\0';
}

static int pg_open(struct db *db, const char *url, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(url);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "无法连接 PostgreSQL：%s", c ? PQerrorMessage(c) : "内存不足");
		PQfinish(c);
		return -1;
	}
	PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));
	pc->conn = c;
	pc->generation = 1;
	db->impl = pc;
	return 0;
}

static void pg_close(struct db *db)
{
	struct pg_conn *pc = db->impl;
	PQfinish(pc->conn);
	free(pc);
}

/* Rewrite '?' to $1, $2 … outside quoted strings and identifiers. */
static char *rewrite_placeholders(const char *sql, int *n_out)
{
	struct sbuf sb = {0};
	int n = 0;
	char quote = 0;
	for (const char *s = sql; *s; s++) {
		if (quote) {
			if (*s == quote)
				quote = 0;
			sbuf_add(&sb, s, 1);
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
			sbuf_add(&sb, s, 1);
		} else if (*s == '?') {
			sbuf_printf(&sb, "$%d", ++n);
		} else {
			sbuf_add(&sb, s, 1);
		}
	}
	*n_out = n;
	return sb.buf;
}

static bool reconnect(struct db *db);

static bool do_prepare(struct db *db, struct pg_stmt *st)
{
	struct pg_conn *pc = st->pc;
	snprintf(st->name, sizeof(st->name), "q%u", ++pc->next_name);
	PGresult *r = PQprepare(pc->conn, st->name, st->sql, 0, NULL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		set_err(db, "", PQresultErrorMessage(r));
	PQclear(r);
	st->generation = pc->generation;
	return ok;
}

static void *pg_prepare(struct db *db, const char *sql)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->pc = db->impl;
	st->sql = rewrite_placeholders(sql, &st->n_params);
	if (st->n_params > PG_MAX_PARAMS) {
		set_err(db, "too many parameters", NULL);
		goto fail;
	}
	st->cap = st->n_params > PG_MIN_PARAMS ? st->n_params : PG_MIN_PARAMS;
	st->values = xcalloc((size_t)st->cap, sizeof(*st->values));
	st->lengths = xcalloc((size_t)st->cap, sizeof(*st->lengths));
	st->formats = xcalloc((size_t)st->cap, sizeof(*st->formats));
	if (do_prepare(db, st))
		return st;
	if (PQstatus(st->pc->conn) == CONNECTION_OK)
		goto fail; /* the SQL itself is wrong */
	/* The server is away: keep the statement unprepared; db_step() will prepare it
	 * after a reconnect, or report the error to the caller. */
	if (!reconnect(db) || !do_prepare(db, st))
		st->generation = 0;
	return st;
fail:
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->sql);
	free(st);
	return NULL;
}

static void clear_values(struct pg_stmt *st)
{
	for (int i = 0; i < st->cap; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
	PQfreemem(st->blob);
	st->blob = NULL;
}

static void pg_reset(void *p)
{
	struct pg_stmt *st = p;
	PQclear(st->res);
	st->res = NULL;
	st->row = st->n_rows = 0;
	st->executed = false;
	clear_values(st);
}

static void pg_finalize(struct db *db, void *p)
{
	(void)db;
	struct pg_stmt *st = p;
	pg_reset(st);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->sql);
	free(st);
}

static void pg_bind_int(void *p, int idx, int64_t v)
{
	struct pg_stmt *st = p;
	if (idx < 1 || idx > st->cap)
		BUG("parameter index out of range");
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	free(st->values[idx - 1]);
	st->values[idx - 1] = xstrdup(buf);
	st->formats[idx - 1] = 0;
}

static void pg_bind_text(void *p, int idx, const char *s)
{
	struct pg_stmt *st = p;
	if (idx < 1 || idx > st->cap)
		BUG("parameter index out of range");
	free(st->values[idx - 1]);
	st->values[idx - 1] = xstrdup(s);
	st->formats[idx - 1] = 0;
}

static void pg_bind_double(void *p, int idx, double v)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%.17g", v);
	pg_bind_text(p, idx, buf);
}

static double pg_col_double(void *p, int col)
{
	struct pg_stmt *st = p;
	if (!st->res || st->row < 0 || PQgetisnull(st->res, st->row, col))
		return 0;
	return strtod(PQgetvalue(st->res, st->row, col), NULL);
}

static void pg_bind_blob(void *p, int idx, const void *data, size_t len)
{
	struct pg_stmt *st = p;
	if (idx < 1 || idx > st->cap || len > INT32_MAX)
		BUG("parameter index or size out of range");
	free(st->values[idx - 1]);
	st->values[idx - 1] = xmalloc(len ? len : 1);
	memcpy(st->values[idx - 1], data, len);
	st->lengths[idx - 1] = (int)len;
	st->formats[idx - 1] = 1;
}

static const void *pg_col_blob(void *p, int col, size_t *len)
{
	struct pg_stmt *st = p;
	*len = 0;
	if (!st->res || st->row < 0 || PQgetisnull(st->res, st->row, col))
		return NULL;
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), len);
	return st->blob;
}

static void pg_bind_null(void *p, int idx)
{
	struct pg_stmt *st = p;
	if (idx < 1 || idx > st->cap)
		BUG("parameter index out of range");
	free(st->values[idx - 1]);
	st->values[idx - 1] = NULL;
	st->formats[idx - 1] = 0;
}

/* Reset a broken connection when no transaction is open; true when usable again. */
static bool reconnect(struct db *db)
{
	struct pg_conn *pc = db->impl;
	if (PQstatus(pc->conn) == CONNECTION_OK || db->tx_depth > 0)
		return false;
	PQreset(pc->conn);
	if (PQstatus(pc->conn) != CONNECTION_OK)
		return false;
	pc->generation++;
	PGresult *r = PQexec(pc->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	log_info("reconnected to PostgreSQL");
	return true;
}

static int classify(struct db *db, PGresult *r)
{
	set_err(db, "", PQresultErrorMessage(r));
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (state && !strncmp(state, "23", 2))
		return DB_CONSTRAINT;
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
		return DB_BUSY;
	return DB_ERROR;
}

static int execute(struct db *db, struct pg_stmt *st)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (st->generation != st->pc->generation && !do_prepare(db, st))
			return DB_ERROR;
		PGresult *r = PQexecPrepared(st->pc->conn, st->name, st->n_params,
					     (const char *const *)st->values, st->lengths, st->formats, 0);
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			st->res = r;
			st->n_rows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
			st->row = -1;
			st->executed = true;
			return DB_OK;
		}
		int rc = classify(db, r);
		PQclear(r);
		if (attempt == 0 && PQstatus(st->pc->conn) != CONNECTION_OK && reconnect(db))
			continue;
		return rc;
	}
	return DB_ERROR;
}

static int pg_step(struct db *db, void *p)
{
	struct pg_stmt *st = p;
	if (!st->executed) {
		int rc = execute(db, st);
		if (rc != DB_OK)
			return rc;
	}
	if (st->row + 1 < st->n_rows) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

static int64_t pg_col_int(void *p, int col)
{
	struct pg_stmt *st = p;
	if (!st->res || st->row < 0 || PQgetisnull(st->res, st->row, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1; /* boolean true */
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *p, int col)
{
	struct pg_stmt *st = p;
	if (!st->res || st->row < 0 || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static bool pg_col_null(void *p, int col)
{
	struct pg_stmt *st = p;
	return !st->res || st->row < 0 || PQgetisnull(st->res, st->row, col);
}

static int pg_exec(struct db *db, const char *sql)
{
	struct pg_conn *pc = db->impl;
	for (int attempt = 0; attempt < 2; attempt++) {
		PGresult *r = PQexec(pc->conn, sql);
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
			PQclear(r);
			return DB_OK;
		}
		int rc = classify(db, r);
		PQclear(r);
		/* A BEGIN on a dead connection may reconnect: nothing has run yet. */
		if (attempt == 0 && PQstatus(pc->conn) != CONNECTION_OK) {
			int depth = db->tx_depth;
			if (!strncmp(sql, "BEGIN", 5))
				db->tx_depth = 0;
			bool ok = reconnect(db);
			db->tx_depth = depth;
			if (ok)
				continue;
		}
		return rc;
	}
	return DB_ERROR;
}

const struct db_backend db_pg_backend = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.bind_double = pg_bind_double,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.col_blob = pg_col_blob,
	.col_double = pg_col_double,
	.reset = pg_reset,
	.exec = pg_exec,
	.begin_write_sql = "BEGIN",
	.begin_read_sql = "BEGIN",
	.migrations = migrations_pg,
};
