/*
 * stats.c - see stats.h.
 *
 * Each function is one aggregate query (plus, for the stage targets, one read
 * of the few work plans). The scope is a condition on each row's enterprise id
 * (scope_where); the grouping key is a fixed column chosen by `by`, never caller
 * text. The query shapes were chosen by measuring both engines on the national
 * dataset (bench/dashboard.sh); SQLite runs without ANALYZE statistics, so each
 * shape leaves its planner one obvious index.
 */
#include "stats.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Scope and grouping ======================== */

/*
 * Restrict rows to the scope by their enterprise id `col` (a fixed expression of
 * the caller's SQL). On the enterprises table itself ("e.id") the district is a
 * plain column test; elsewhere both filters are uncorrelated IN sets, built once
 * from an index, so the rows need not be joined to enterprises at all.
 */
static void scope_where(struct sqlbuild *q, const struct stats_scope *s, const char *col)
{
	char frag[256];
	if (s->district_unit_id) {
		if (!strcmp(col, "e.id"))
			sqlb_where_int(q, "e.district_unit_id = ?", s->district_unit_id);
		else {
			snprintf(frag, sizeof(frag), "%s IN (SELECT id FROM enterprises WHERE district_unit_id = ?)", col);
			sqlb_where_int(q, frag, s->district_unit_id);
		}
	}
	if (s->cb_unit_id) {
		snprintf(frag, sizeof(frag), "%s IN (SELECT enterprise_id FROM assignments WHERE programme_id = ? "
			 "AND cb_unit_id = ?)", col);
		sqlb_where_int(q, frag, s->programme_id);
		sqlb_param_int(q, s->cb_unit_id);
	}
}

static const char *units_join(enum stats_by by)
{
	return by == STATS_BY_DISTRICT ? " JOIN units u ON u.id = e.district_unit_id" : "";
}

static json_t *rounded(struct db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return json_null();
	return json_real(round(db_col_double(st, col) * 100) / 100);
}

/* ---- Grouped rows, merged from several sources and sorted for display ---- */

#define STAGE_N 6
static const char *const stage_names[STAGE_N] = {
	"target", "enrolled", "diagnosed", "improving", "certified", "prior_certified",
};

struct grow {
	char key[128];
	char sort[64];
	int rank;            /* catalogue position for industries */
	int64_t v[STAGE_N];
	json_t *extra;       /* the score rows keep their JSON here */
};

struct groups {
	enum stats_by by;
	const char (*catalogue)[64];
	int n_catalogue;
	int n, cap;
	struct grow *rows;
};

static struct grow *group_row(struct groups *g, const char *key, const char *sort)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(g->rows[i].key, key))
			return &g->rows[i];
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 32;
		g->rows = xrealloc(g->rows, (size_t)g->cap * sizeof(*g->rows));
	}
	struct grow *r = &g->rows[g->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->key, sizeof(r->key), "%s", key);
	snprintf(r->sort, sizeof(r->sort), "%s", sort ? sort : "");
	r->rank = g->n_catalogue;
	for (int i = 0; i < g->n_catalogue; i++)
		if (!strcmp(g->catalogue[i], key))
			r->rank = i;
	return r;
}

static int grow_cmp(const void *a, const void *b)
{
	const struct grow *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	int c = strcmp(x->sort, y->sort);
	return c ? c : strcmp(x->key, y->key);
}

static void groups_sort(struct groups *g)
{
	if (g->n > 1)
		qsort(g->rows, (size_t)g->n, sizeof(*g->rows), grow_cmp);
}

static void groups_free(struct groups *g)
{
	for (int i = 0; i < g->n; i++)
		json_decref(g->rows[i].extra);
	free(g->rows);
	memset(g, 0, sizeof(*g));
}

/* ======================== Stages ======================== */

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The enterprises assigned to a body, sorted (for the targets of a body's scope). */
static int64_t *assigned_ids(struct db *db, const struct stats_scope *s, size_t *n)
{
	struct db_stmt *st = db_prep(db,
		"SELECT enterprise_id FROM assignments WHERE programme_id = ? AND cb_unit_id = ? ORDER BY enterprise_id");
	db_bind_int(st, 1, s->programme_id);
	db_bind_int(st, 2, s->cb_unit_id);
	size_t cap = 256;
	int64_t *ids = xcalloc(cap, sizeof(*ids));
	*n = 0;
	while (db_step(st) == DB_ROW) {
		if (*n == cap) {
			cap *= 2;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	return ids;
}

/*
 * Add the work plans' targets: every enterprise listed in a submitted or approved
 * plan of the programme, keyed by the plan's district or the listed industry.
 * A district scope reads only its own plan; a body's scope counts only the listed
 * enterprises assigned to it.
 */
static int add_targets(struct db *db, const struct stats_scope *s, struct groups *g)
{
	size_t n_mine = 0;
	int64_t *mine = s->cb_unit_id ? assigned_ids(db, s, &n_mine) : NULL;
	struct sqlbuild q;
	sqlb_init(&q, "SELECT u.district, u.region_code, w.content FROM workplans w JOIN units u ON u.id = w.unit_id");
	sqlb_where_int(&q, "w.programme_id = ?", s->programme_id);
	sqlb_where(&q, "w.status IN ('submitted', 'approved')");
	if (s->district_unit_id)
		sqlb_where_int(&q, "w.unit_id = ?", s->district_unit_id);
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *content = json_loads(db_col_text(st, 2), 0, NULL);
		size_t i, j;
		json_t *ind, *id;
		json_array_foreach(json_object_get(content, "industries"), i, ind) {
			int64_t n = 0;
			json_array_foreach(json_object_get(ind, "enterprise_ids"), j, id) {
				int64_t v = json_integer_value(id);
				if (v > 0 && (!mine || bsearch(&v, mine, n_mine, sizeof(*mine), id_cmp)))
					n++;
			}
			const char *industry = json_string_value(json_object_get(ind, "industry"));
			struct grow *r;
			if (g->by == STATS_BY_DISTRICT)
				r = group_row(g, db_col_text(st, 0), db_col_text(st, 1));
			else if (g->by == STATS_BY_INDUSTRY)
				r = group_row(g, industry ? industry : "", industry);
			else
				r = group_row(g, "all", "");
			r->v[0] += n;
		}
		json_decref(content);
	}
	db_done(st);
	sqlb_free(&q);
	free(mine);
	return rc == DB_DONE ? 0 : -1;
}

/* The enterprise sets behind the stages (one '?' each: the programme or today). */
#define DIAGNOSED "SELECT enterprise_id FROM diagnoses WHERE programme_id = ? AND kind = 'onsite' AND status = 'submitted'"
#define WITH_ACTIONS "SELECT enterprise_id FROM actions WHERE programme_id = ?"
#define LIVE_CERTIFICATE "status IN ('valid', 'suspended') AND expiry_date >= ? AND enterprise_id IS NOT NULL"
#define CERTIFIED "SELECT enterprise_id FROM certificates WHERE prior = 0 AND " LIVE_CERTIFICATE
#define PRIOR_CERTIFIED "SELECT enterprise_id FROM certificates WHERE prior = 1 AND " LIVE_CERTIFICATE

/*
 * One UNION ALL branch per stage: the enterprises of the scope in that stage's set,
 * counted per group. Each set is built once and drives the count (SQLite seeks the
 * enterprises by rowid, PostgreSQL hash-joins them with an index-only scan), which
 * measured twice as fast as testing five sets on every enterprise.
 */
static void stage_branch(struct sqlbuild *q, const struct stats_scope *s, enum stats_by by, int stage)
{
	static const char *const keys[] = {"''", "e.district_unit_id", "e.industry"};
	if (stage > 1)
		sqlb_tail(q, " UNION ALL ");
	sqlb_tail(q, "SELECT '");
	sqlb_tail(q, stage_names[stage]);
	sqlb_tail(q, "' AS s, ");
	sqlb_tail(q, keys[by]);
	sqlb_tail(q, " AS k, COUNT(*) AS n FROM enterprises e WHERE 1 = 1");
	sqlb_in_where(q);
	switch (stage) {
	case 2:
		sqlb_where_int(q, "e.id IN (" DIAGNOSED ")", s->programme_id);
		break;
	case 3:
		sqlb_where_int(q, "e.id IN (" WITH_ACTIONS ")", s->programme_id);
		sqlb_where_text(q, "e.id NOT IN (" CERTIFIED ")", s->today);
		break;
	case 4:
		sqlb_where_text(q, "e.id IN (" CERTIFIED ")", s->today);
		break;
	case 5:
		sqlb_where_text(q, "e.id IN (" PRIOR_CERTIFIED ")", s->today);
		break;
	default:
		break;
	}
	scope_where(q, s, "e.id");
	if (by != STATS_BY_NONE) {
		sqlb_tail(q, " GROUP BY ");
		sqlb_tail(q, keys[by]);
	}
}

json_t *stats_stages(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue)
{
	struct groups g = {.by = by, .catalogue = by == STATS_BY_INDUSTRY ? catalogue : NULL,
			   .n_catalogue = by == STATS_BY_INDUSTRY ? n_catalogue : 0};
	struct sqlbuild q;
	/* Rows (stage, key, sort, count); a district's name and order come from its unit. */
	sqlb_init(&q, by == STATS_BY_DISTRICT ? "SELECT t.s, u.district, u.region_code, t.n FROM ("
		      : by == STATS_BY_INDUSTRY ? "SELECT t.s, t.k, t.k, t.n FROM (" : "SELECT t.s, 'all', '', t.n FROM (");
	for (int stage = 1; stage < STAGE_N; stage++)
		stage_branch(&q, s, by, stage);
	sqlb_tail(&q, by == STATS_BY_DISTRICT ? ") t JOIN units u ON u.id = t.k" : ") t");
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (by == STATS_BY_NONE && db_col_int(st, 3) == 0)
			continue; /* the one row of an empty aggregate */
		struct grow *r = group_row(&g, db_col_text(st, 1), db_col_text(st, 2));
		for (int k = 1; k < STAGE_N; k++)
			if (!strcmp(db_col_text(st, 0), stage_names[k]))
				r->v[k] = db_col_int(st, 3);
	}
	db_done(st);
	sqlb_free(&q);
	if (rc != DB_DONE || add_targets(db, s, &g) != 0) {
		groups_free(&g);
		return NULL;
	}
	if (by == STATS_BY_NONE && g.n == 0)
		group_row(&g, "all", "");
	groups_sort(&g);
	json_t *items = json_array();
	for (int i = 0; i < g.n; i++) {
		json_t *o = json_pack("{s:s}", "key", g.rows[i].key);
		for (int k = 0; k < STAGE_N; k++)
			json_object_set_new(o, stage_names[k], json_integer((json_int_t)g.rows[i].v[k]));
		json_array_append_new(items, o);
	}
	groups_free(&g);
	return items;
}

/* ======================== Actions ======================== */

json_t *stats_actions(struct db *db, const struct stats_scope *s)
{
	/* One row of sums rather than GROUP BY status: without statistics SQLite would
	 * pick the status-ordered index for the grouping and read every action's row;
	 * this way the covering (programme, enterprise, status, due) index answers. */
	struct sqlbuild q;
	sqlb_init(&q, "SELECT SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN a.status = 'in_progress' THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN a.status = 'verified' THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN a.status = 'closed' THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_date < ? THEN 1 ELSE 0 END), "
		      "COUNT(*) FROM actions a");
	sqlb_param_text(&q, s->today);
	sqlb_where_int(&q, "a.programme_id = ?", s->programme_id);
	scope_where(&q, s, "a.enterprise_id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *c = NULL;
	if (db_step(st) == DB_ROW)
		c = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "open", (json_int_t)db_col_int(st, 0),
			"in_progress", (json_int_t)db_col_int(st, 1), "verified", (json_int_t)db_col_int(st, 2),
			"closed", (json_int_t)db_col_int(st, 3), "overdue", (json_int_t)db_col_int(st, 4),
			"total", (json_int_t)db_col_int(st, 5));
	db_done(st);
	sqlb_free(&q);
	return c;
}

/* ======================== Scores ======================== */

/*
 * p: one row per enterprise of the scope with a submitted on-site diagnosis: its
 * first (fid) and latest (lid) diagnosis and how many it has. "First" is the
 * first in (round, id) order, as store/diagnoses.c diag_first_submitted() has it:
 * MIN over round * 2^32 + id picks it in one pass over the index, with no window
 * or sort (ids stay far below 2^32). Appends "SELECT ... GROUP BY enterprise_id".
 */
static void first_latest(struct sqlbuild *q, const struct stats_scope *s)
{
	sqlb_tail(q, "SELECT enterprise_id, MIN(round * 4294967296 + id) % 4294967296 AS fid, "
		     "MAX(round * 4294967296 + id) % 4294967296 AS lid, COUNT(*) AS n FROM diagnoses");
	sqlb_where_int(q, "programme_id = ?", s->programme_id);
	sqlb_where(q, "kind = 'onsite' AND status = 'submitted'");
	scope_where(q, s, "enterprise_id");
	sqlb_tail(q, " GROUP BY enterprise_id");
}

json_t *stats_scores(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue)
{
	struct groups g = {.by = by, .catalogue = by == STATS_BY_INDUSTRY ? catalogue : NULL,
			   .n_catalogue = by == STATS_BY_INDUSTRY ? n_catalogue : 0};
	struct sqlbuild q;
	sqlb_init(&q, "SELECT ");
	sqlb_tail(&q, by == STATS_BY_DISTRICT ? "u.district, MIN(u.region_code)"
		      : by == STATS_BY_INDUSTRY ? "e.industry, e.industry" : "'all', ''");
	sqlb_tail(&q, ", COUNT(*), AVG(f.overall), AVG(l.overall), AVG(CASE WHEN p.n > 1 THEN l.overall - f.overall END), "
		      "SUM(CASE WHEN p.n > 1 THEN 1 ELSE 0 END) FROM (");
	first_latest(&q, s);
	sqlb_tail(&q, ") p JOIN diagnoses f ON f.id = p.fid JOIN diagnoses l ON l.id = p.lid");
	if (by != STATS_BY_NONE)
		sqlb_tail(&q, " JOIN enterprises e ON e.id = p.enterprise_id");
	sqlb_tail(&q, units_join(by));
	if (by == STATS_BY_DISTRICT)
		sqlb_tail(&q, " GROUP BY u.district");
	else if (by == STATS_BY_INDUSTRY)
		sqlb_tail(&q, " GROUP BY e.industry");
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int(st, 2) == 0)
			continue; /* no diagnosis: the single row of an aggregate without GROUP BY */
		struct grow *r = group_row(&g, db_col_text(st, 0), db_col_text(st, 1));
		r->extra = json_pack("{s:s,s:I,s:o,s:o,s:o,s:I}", "key", db_col_text(st, 0),
			"diagnosed", (json_int_t)db_col_int(st, 2), "avg_first", rounded(st, 3),
			"avg_latest", rounded(st, 4), "avg_change", rounded(st, 5),
			"reassessed", (json_int_t)db_col_int(st, 6));
	}
	db_done(st);
	sqlb_free(&q);
	if (rc != DB_DONE) {
		groups_free(&g);
		return NULL;
	}
	if (by == STATS_BY_NONE && g.n == 0)
		group_row(&g, "all", "")->extra = json_pack("{s:s,s:i,s:n,s:n,s:n,s:i}", "key", "all",
			"diagnosed", 0, "avg_first", "avg_latest", "avg_change", "reassessed", 0);
	groups_sort(&g);
	json_t *items = json_array();
	for (int i = 0; i < g.n; i++)
		json_array_append(items, g.rows[i].extra);
	groups_free(&g);
	return items;
}

/* Clause numbers in checklist order: numerically when both are numbers. */
static int clause_cmp(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "clause"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "clause"));
	char *ex, *ey;
	long nx = strtol(x, &ex, 10), ny = strtol(y, &ey, 10);
	if (!*ex && !*ey && nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

json_t *stats_clauses(struct db *db, const struct stats_scope *s)
{
	/* x: the diagnoses to average, each once, flagged first (f) and/or latest (l):
	 * the first of every enterprise, and its latest when that is another one. One
	 * hash join (PostgreSQL) or one primary-key seek per diagnosis (SQLite) reaches
	 * the clause scores; this shape was the fastest of those measured on both. */
	struct sqlbuild q;
	sqlb_init(&q, "WITH p AS (");
	first_latest(&q, s);
	sqlb_tail(&q, ") SELECT c.clause, AVG(CASE WHEN x.f = 1 THEN c.score END), AVG(CASE WHEN x.l = 1 THEN c.score END), "
		      "SUM(x.f), SUM(x.l) FROM (SELECT fid AS id, 1 AS f, CASE WHEN lid = fid THEN 1 ELSE 0 END AS l FROM p "
		      "UNION ALL SELECT lid, 0, 1 FROM p WHERE lid <> fid) x "
		      "JOIN diagnosis_clause_scores c ON c.diagnosis_id = x.id GROUP BY c.clause");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:o,s:o,s:I,s:I}", "clause", db_col_text(st, 0),
			"avg_first", rounded(st, 1), "avg_latest", rounded(st, 2),
			"diagnoses_first", (json_int_t)db_col_int(st, 3), "diagnoses_latest", (json_int_t)db_col_int(st, 4)));
	db_done(st);
	sqlb_free(&q);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	size_t n = json_array_size(items);
	if (n > 1) {
		json_t **v = xcalloc(n, sizeof(*v));
		for (size_t i = 0; i < n; i++)
			v[i] = json_incref(json_array_get(items, i));
		qsort(v, n, sizeof(*v), clause_cmp);
		json_array_clear(items);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, v[i]);
		free(v);
	}
	return items;
}

/* ======================== Training ======================== */

json_t *stats_training(struct db *db, const struct stats_scope *s)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(DISTINCT r.enterprise_id), COUNT(*) FROM training_registrations r");
	sqlb_where(&q, "r.attended = 1");
	scope_where(&q, s, "r.enterprise_id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc = db_step(st);
	json_t *out = NULL;
	if (rc == DB_ROW)
		out = json_pack("{s:I,s:I}", "trained_enterprises", (json_int_t)db_col_int(st, 0),
				"person_times", (json_int_t)db_col_int(st, 1));
	db_done(st);
	sqlb_free(&q);
	return out;
}
