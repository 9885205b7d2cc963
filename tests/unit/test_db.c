/*
 * test_db.c - the database layer on a real in-memory SQLite database:
 * migrations, the statement cache, constraint errors, the append-only audit
 * log and transactions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/db_internal.h"

static int setup_db(void **state)
{
	char err[512] = "";
	struct db *db = db_open(":memory:", err, sizeof(err));
	if (!db) {
		fprintf(stderr, "db_open: %s\n", err);
		return -1;
	}
	if (db_migrate(db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "db_migrate: %s\n", err);
		db_close(db);
		return -1;
	}
	*state = db;
	return 0;
}

static int teardown_db(void **state)
{
	db_close(*state);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	return db_scalar_int(db_prep(db, sql), -1);
}

static int insert_unit(struct db *db, const char *kind, const char *name)
{
	struct db_stmt *st = db_prep(db, "INSERT INTO units (kind, name, created_at) VALUES (?, ?, ?)");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, 1620576000);
	int rc = db_step(st);
	db_done(st);
	return rc;
}

static int last_migration(void)
{
	int v = 0;
	for (const struct migration *m = migrations_sqlite; m->sql; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

static int64_t n_migrations(void)
{
	int64_t n = 0;
	for (const struct migration *m = migrations_sqlite; m->sql; m++)
		n++;
	return n;
}

static void test_backend(void **state)
{
	struct db *db = *state;
	assert_string_equal(db_backend_name(db), "sqlite");
	assert_true(db_is_sqlite(db));
	assert_true(db_ping(db));
	assert_true(db_url_is_pg("postgresql://u@localhost/qms"));
	assert_true(db_url_is_pg("postgres://localhost/qms"));
	assert_false(db_url_is_pg(":memory:"));
	assert_false(db_url_is_pg("var/qmslift.db"));
	assert_false(db_url_is_pg("sqlite:var/qmslift.db"));
	assert_false(db_url_is_pg("postgresql:"));
	assert_false(db_url_is_pg(""));
}

static void test_open_bad_path(void **state)
{
	(void)state;
	char err[512] = "";
	struct db *db = db_open("/nonexistent-dir-qmslift/x/y.db", err, sizeof(err));
	assert_null(db);
	assert_true(strlen(err) > 0);
}

static void test_migrations_apply_once(void **state)
{
	struct db *db = *state;
	assert_int_equal(migrations_sqlite[0].version, 1);
	assert_string_equal(migrations_sqlite[0].name, "001_init");
	/* 001_init is version 1; later migrations (if any) raise the version. */
	assert_true(db_schema_version(db) >= 1);
	assert_int_equal(db_schema_version(db), last_migration());
	int64_t n = count(db, "SELECT COUNT(*) FROM schema_version");
	assert_int_equal(n, n_migrations());
	assert_int_equal(count(db, "SELECT COUNT(*) FROM schema_version WHERE version = 1 "
				   "AND name = '001_init'"),
			 1);
	static const char *const tables[] = {"programmes", "units", "enterprises", "users",
					     "sessions", "login_throttle", "audit_log"};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct db_stmt *st =
			db_prep(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
		db_bind_text(st, 1, tables[i]);
		if (db_scalar_int(st, -1) != 1)
			fail_msg("table %s missing", tables[i]);
	}

	/* Second run: a no-op that succeeds. */
	assert_int_equal(insert_unit(db, "city", "上海市市场监督管理局"), DB_DONE);
	char err[512] = "";
	assert_int_equal(db_migrate(db, err, sizeof(err)), DB_OK);
	assert_string_equal(err, "");
	assert_int_equal(db_schema_version(db), last_migration());
	assert_int_equal(count(db, "SELECT COUNT(*) FROM schema_version"), n);
	/* Data untouched (the schema was not re-created). */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);
	/* And a third time. */
	assert_int_equal(db_migrate(db, err, sizeof(err)), DB_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM schema_version"), n);
}

static void test_statement_cache(void **state)
{
	struct db *db = *state;
	const char *sql = "SELECT ? + 1";
	struct db_stmt *a = db_prep(db, sql);
	assert_non_null(a);
	db_bind_int(a, 1, 41);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_col_int(a, 0), 42);
	db_done(a);

	/* Same SQL text (even from another buffer): same statement. */
	char copy[32];
	snprintf(copy, sizeof(copy), "%s", sql);
	struct db_stmt *b = db_prep(db, copy);
	assert_ptr_equal(a, b);
	/* Bindings were cleared by db_done: the parameter is NULL now. */
	assert_int_equal(db_step(b), DB_ROW);
	assert_true(db_col_null(b, 0));
	assert_string_equal(db_col_text(b, 0), "");
	db_done(b);

	/* Other SQL text: another statement, while the first is in use. */
	struct db_stmt *c = db_prep(db, sql);
	struct db_stmt *d = db_prep(db, "SELECT ? + 2");
	assert_ptr_not_equal(c, d);
	db_bind_int(c, 1, 1);
	db_bind_int(d, 1, 1);
	assert_int_equal(db_step(c), DB_ROW);
	assert_int_equal(db_step(d), DB_ROW);
	assert_int_equal(db_col_int(c, 0), 2);
	assert_int_equal(db_col_int(d, 0), 3);
	db_done(c);
	db_done(d);
	assert_ptr_equal(db_prep(db, "SELECT ? + 2"), d);
	db_done(d);

	/* db_done resets a half-read statement: it starts again at row one. */
	assert_int_equal(insert_unit(db, "district", "浦东新区市场监管局"), DB_DONE);
	assert_int_equal(insert_unit(db, "district", "黄浦区市场监管局"), DB_DONE);
	const char *q = "SELECT name FROM units ORDER BY id";
	struct db_stmt *e = db_prep(db, q);
	assert_int_equal(db_step(e), DB_ROW);
	assert_string_equal(db_col_text(e, 0), "浦东新区市场监管局");
	db_done(e);
	e = db_prep(db, q);
	assert_int_equal(db_step(e), DB_ROW);
	assert_string_equal(db_col_text(e, 0), "浦东新区市场监管局");
	assert_int_equal(db_step(e), DB_ROW);
	assert_string_equal(db_col_text(e, 0), "黄浦区市场监管局");
	assert_int_equal(db_step(e), DB_DONE);
	db_done(e);
	db_done(NULL); /* harmless */
}

static void test_constraints(void **state)
{
	struct db *db = *state;
	assert_int_equal(insert_unit(db, "cb", "沪联质量认证中心"), DB_DONE);
	assert_int_equal(insert_unit(db, "cb", "沪联质量认证中心"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(db), "UNIQUE"));
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);
	/* The statement is usable again after the failure. */
	assert_int_equal(insert_unit(db, "cb", "申诚认证有限公司"), DB_DONE);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 2);
	/* CHECK and NOT NULL (a NULL bound through db_bind_text). */
	assert_int_equal(insert_unit(db, "province", "某省局"), DB_CONSTRAINT);
	assert_int_equal(insert_unit(db, "cb", NULL), DB_CONSTRAINT);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 2);
	/* Foreign keys are enforced. */
	struct db_stmt *st = db_prep(db, "INSERT INTO enterprises (name, uscc, district_unit_id, created_at) "
					 "VALUES (?, ?, ?, 0)");
	db_bind_text(st, 1, "上海浦江精密电子有限公司");
	db_bind_text(st, 2, "91310115MA1K000000");
	db_bind_int(st, 3, 999);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM enterprises"), 0);
	/* db_exec reports constraints the same way. */
	assert_int_equal(db_exec(db, "INSERT INTO units (kind, name, created_at) VALUES "
				     "('cb', '申诚认证有限公司', 0)"),
			 DB_CONSTRAINT);
}

static int64_t insert_audit(struct db *db, const char *action)
{
	struct db_stmt *st = db_prep(db, "INSERT INTO audit_log (at, username, action) VALUES (?, ?, ?)");
	db_bind_int(st, 1, 1620576000);
	db_bind_text(st, 2, "city");
	db_bind_text(st, 3, action);
	int rc = db_step(st);
	db_done(st);
	assert_int_equal(rc, DB_DONE);
	return count(db, "SELECT MAX(id) FROM audit_log");
}

static void test_audit_log_append_only(void **state)
{
	struct db *db = *state;
	int64_t id = insert_audit(db, "login");
	assert_true(id > 0);
	insert_audit(db, "logout");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log"), 2);

	struct db_stmt *st = db_prep(db, "UPDATE audit_log SET action = ? WHERE id = ?");
	db_bind_text(st, 1, "tampered");
	db_bind_int(st, 2, id);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
	assert_non_null(strstr(db_errmsg(db), "append-only"));

	st = db_prep(db, "DELETE FROM audit_log WHERE id = ?");
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_done(st);
	assert_non_null(strstr(db_errmsg(db), "append-only"));

	assert_int_not_equal(db_exec(db, "DELETE FROM audit_log"), DB_OK);
	assert_int_not_equal(db_exec(db, "UPDATE audit_log SET username = 'x'"), DB_OK);

	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'tampered' "
				   "OR username = 'x'"),
			 0);
	st = db_prep(db, "SELECT action FROM audit_log WHERE id = ?");
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "login");
	db_done(st);
}

static void test_transactions(void **state)
{
	struct db *db = *state;
	/* Rollback discards. */
	assert_int_equal(db_begin(db, true), DB_OK);
	assert_int_equal(insert_unit(db, "district", "徐汇区市场监管局"), DB_DONE);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1); /* visible inside */
	db_rollback(db);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 0);

	/* Commit keeps. */
	assert_int_equal(db_begin(db, true), DB_OK);
	assert_int_equal(insert_unit(db, "district", "徐汇区市场监管局"), DB_DONE);
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);

	/* A failed statement inside: rollback also drops the earlier insert. */
	assert_int_equal(db_begin(db, true), DB_OK);
	assert_int_equal(insert_unit(db, "district", "长宁区市场监管局"), DB_DONE);
	assert_int_equal(insert_unit(db, "district", "徐汇区市场监管局"), DB_CONSTRAINT);
	db_rollback(db);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units WHERE name = '长宁区市场监管局'"), 0);

	/* Read transaction. */
	assert_int_equal(db_begin(db, false), DB_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);
	assert_int_equal(db_commit(db), DB_OK);

	/* Rollback outside a transaction is harmless; begin works afterwards. */
	db_rollback(db);
	assert_int_equal(db_begin(db, true), DB_OK);
	db_rollback(db);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM units"), 1);
}

static void test_exec_and_scalar(void **state)
{
	struct db *db = *state;
	assert_int_equal(db_exec(db, "CREATE TABLE x (a INTEGER); INSERT INTO x VALUES (5); "
				     "INSERT INTO x VALUES (NULL);"),
			 DB_OK);
	assert_int_equal(db_exec(db, "THIS IS NOT SQL"), DB_ERROR);
	assert_true(strlen(db_errmsg(db)) > 0);
	assert_int_equal(count(db, "SELECT a FROM x WHERE a IS NOT NULL"), 5);
	assert_int_equal(db_scalar_int(db_prep(db, "SELECT a FROM x WHERE a IS NULL"), 77), 77);
	assert_int_equal(db_scalar_int(db_prep(db, "SELECT a FROM x WHERE a = 6"), -9), -9);
	struct db_stmt *st = db_prep(db, "SELECT ?");
	db_bind_int(st, 1, INT64_C(9007199254740993));
	assert_true(db_scalar_int(st, 0) == INT64_C(9007199254740993));
	st = db_prep(db, "SELECT ?, ?");
	db_bind_text(st, 1, "文本");
	db_bind_null(st, 2);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "文本");
	assert_false(db_col_null(st, 0));
	assert_true(db_col_null(st, 1));
	assert_string_equal(db_col_text(st, 1), "");
	db_done(st);
}

static void test_backup(void **state)
{
	struct db *db = *state;
	assert_int_equal(insert_unit(db, "city", "上海市市场监督管理局"), DB_DONE);
	char dir[] = "/tmp/qmslift-test-db-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], err[512] = "";
	snprintf(path, sizeof(path), "%s/backup.db", dir);
	assert_int_equal(db_backup(db, path, err, sizeof(err)), DB_OK);

	struct db *copy = db_open(path, err, sizeof(err));
	assert_non_null(copy);
	assert_int_equal(db_schema_version(copy), db_schema_version(db));
	assert_int_equal(count(copy, "SELECT COUNT(*) FROM units WHERE name = '上海市市场监督管理局'"), 1);
	db_close(copy);

	static const char *const files[] = {"backup.db", "backup.db-wal", "backup.db-shm"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);

	/* A destination that cannot be created. */
	err[0] = '\0';
	assert_int_equal(db_backup(db, "/nonexistent-dir-qmslift/x.db", err, sizeof(err)), DB_ERROR);
	assert_true(strlen(err) > 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)
	const struct CMUnitTest tests[] = {
		T(test_backend),
		cmocka_unit_test(test_open_bad_path),
		T(test_migrations_apply_once),
		T(test_statement_cache),
		T(test_constraints),
		T(test_audit_log_append_only),
		T(test_transactions),
		T(test_exec_and_scalar),
		T(test_backup),
	};
#undef T
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
