/*
 * test_sqlbuild.c - LIKE escaping and the query builder, checked against a
 * real in-memory SQLite database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/sqlbuild.h"

static void expect_pattern(const char *in, const char *want)
{
	char *got = sql_like_pattern(in);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_like_pattern(void **state)
{
	(void)state;
	expect_pattern("abc", "%abc%");
	expect_pattern("", "%%");
	expect_pattern("%", "%\\%%");
	expect_pattern("_", "%\\_%");
	expect_pattern("\\", "%\\\\%");
	expect_pattern("50%_off\\x", "%50\\%\\_off\\\\x%");
	expect_pattern("a%%b", "%a\\%\\%b%");
	expect_pattern("浦东_新区", "%浦东\\_新区%");
	/* Quotes and other SQL characters pass through: the value is bound. */
	expect_pattern("o'brien; --", "%o'brien; --%");
}

static void test_builder_where(void **state)
{
	(void)state;
	struct sqlbuild q;
	sqlb_init(&q, "SELECT id FROM units");
	assert_string_equal(q.sql.buf, "SELECT id FROM units");
	assert_int_equal(q.n, 0);

	char value[] = "district";
	sqlb_where_text(&q, "a = ?", value);
	assert_string_equal(q.sql.buf, "SELECT id FROM units WHERE a = ?");
	sqlb_where_int(&q, "b = ?", 42);
	assert_string_equal(q.sql.buf, "SELECT id FROM units WHERE a = ? AND b = ?");
	assert_int_equal(q.n_where, 2);
	assert_int_equal(q.n, 2);
	assert_int_equal(q.p[0].is_text, 1);
	/* The text is copied: changing the caller's buffer changes nothing. */
	value[0] = 'X';
	assert_string_equal(q.p[0].s, "district");
	assert_int_equal(q.p[1].is_text, 0);
	assert_int_equal(q.p[1].i, 42);
	sqlb_tail(&q, " ORDER BY id LIMIT ?");
	sqlb_param_int(&q, 10);
	assert_string_equal(q.sql.buf, "SELECT id FROM units WHERE a = ? AND b = ? ORDER BY id LIMIT ?");
	assert_int_equal(q.n, 3);
	assert_int_equal(q.p[2].i, 10);
	sqlb_free(&q);
	assert_null(q.sql.buf);
	assert_int_equal(q.n, 0);

	/* Fixed SQL with a WHERE of its own: conditions join it with AND. */
	sqlb_init(&q, "SELECT id FROM units WHERE kind = 'district'");
	sqlb_in_where(&q);
	sqlb_where_int(&q, "id > ?", 3);
	assert_string_equal(q.sql.buf, "SELECT id FROM units WHERE kind = 'district' AND id > ?");
	/* After conditions were added it changes nothing. */
	sqlb_in_where(&q);
	sqlb_where(&q, "id < 9");
	assert_string_equal(q.sql.buf, "SELECT id FROM units WHERE kind = 'district' AND id > ? AND id < 9");
	sqlb_free(&q);
	assert_int_equal(q.n_where, 0);
}

static void test_builder_like(void **state)
{
	(void)state;
	struct sqlbuild q;
	sqlb_init(&q, "SELECT id FROM units");
	sqlb_where_int(&q, "active = ?", 1);
	sqlb_where_like(&q, "(name LIKE ? ESCAPE '\\' OR short_name LIKE ? ESCAPE '\\')", "5%");
	assert_string_equal(q.sql.buf,
			    "SELECT id FROM units WHERE active = ? AND "
			    "(name LIKE ? ESCAPE '\\' OR short_name LIKE ? ESCAPE '\\')");
	assert_int_equal(q.n_where, 2);
	assert_int_equal(q.n, 3);
	assert_int_equal(q.p[1].is_text, 1);
	assert_int_equal(q.p[2].is_text, 1);
	assert_string_equal(q.p[1].s, "%5\\%%");
	assert_string_equal(q.p[2].s, "%5\\%%");
	/* Two independent copies. */
	assert_ptr_not_equal(q.p[1].s, q.p[2].s);
	sqlb_free(&q);
}

static struct db *open_db(void)
{
	char err[256] = "";
	struct db *db = db_open(":memory:", err, sizeof(err));
	if (!db)
		fail_msg("db_open: %s", err);
	assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, kind TEXT);"
				     "INSERT INTO t VALUES (1, '50% off', 'a');"
				     "INSERT INTO t VALUES (2, '500 off', 'a');"
				     "INSERT INTO t VALUES (3, 'a_b', 'b');"
				     "INSERT INTO t VALUES (4, 'axb', 'b');"
				     "INSERT INTO t VALUES (5, 'c:\\dir', 'b');"
				     "INSERT INTO t VALUES (6, 'c:dir', 'a');"
				     "INSERT INTO t VALUES (7, '浦东新区', 'a');"),
			 DB_OK);
	return db;
}

/* Run a LIKE search for text (optionally with kind) and return a bit set of ids. */
static unsigned search(struct db *db, const char *text, const char *kind)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT id FROM t");
	if (kind)
		sqlb_where_text(&q, "kind = ?", kind);
	sqlb_where_like(&q, "name LIKE ? ESCAPE '\\'", text);
	sqlb_tail(&q, " ORDER BY id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	unsigned ids = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		ids |= 1u << db_col_int(st, 0);
	assert_int_equal(rc, DB_DONE);
	db_done(st);
	sqlb_free(&q);
	return ids;
}

#define B(n) (1u << (n))

static void test_like_against_sqlite(void **state)
{
	(void)state;
	struct db *db = open_db();
	assert_int_equal(search(db, "50%", NULL), B(1));
	assert_int_equal(search(db, "0%", NULL), B(1));
	assert_int_equal(search(db, "a_b", NULL), B(3));
	assert_int_equal(search(db, "_", NULL), B(3));
	assert_int_equal(search(db, "c:\\", NULL), B(5));
	assert_int_equal(search(db, "off", NULL), B(1) | B(2));
	assert_int_equal(search(db, "", NULL), B(1) | B(2) | B(3) | B(4) | B(5) | B(6) | B(7));
	assert_int_equal(search(db, "东新", NULL), B(7));
	assert_int_equal(search(db, "%", NULL), B(1));
	assert_int_equal(search(db, "nothing", NULL), 0);
	assert_int_equal(search(db, "' OR 1=1 --", NULL), 0);
	/* With another filter before it; the same SQL is served from the cache. */
	assert_int_equal(search(db, "off", "a"), B(1) | B(2));
	assert_int_equal(search(db, "off", "b"), 0);
	assert_int_equal(search(db, "dir", "b"), B(5));
	assert_int_equal(search(db, "dir", "a"), B(6));
	db_close(db);
}

static void test_prepare_binds_in_order(void **state)
{
	(void)state;
	struct db *db = open_db();
	struct sqlbuild q;
	sqlb_init(&q, "SELECT ? || '|' || ? || '|' || ?, ? + 0");
	sqlb_param_text(&q, "x");
	sqlb_param_int(&q, 7);
	sqlb_param_text(&q, "上海");
	sqlb_param_int(&q, -3);
	struct db_stmt *st = sqlb_prepare(&q, db);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "x|7|上海");
	assert_int_equal(db_col_int(st, 1), -3);
	db_done(st);
	sqlb_free(&q);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_pattern),
		cmocka_unit_test(test_builder_where),
		cmocka_unit_test(test_builder_like),
		cmocka_unit_test(test_like_against_sqlite),
		cmocka_unit_test(test_prepare_binds_in_order),
	};
	return cmocka_run_group_tests_name("sqlbuild", tests, NULL, NULL);
}
