/*
 * stats.c - see stats.h.
 *
 * Each function is one aggregate query (plus, for the stage targets, one read
 * of the few work plans). The scope is a WHERE on the enterprises `e`; the
 * grouping key is a fixed column chosen by `by`, never caller text.
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

static void scope_where(struct sqlbuild *q, const struct stats_scope *s)
{
	if (s->district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", s->district_unit_id);
	if (s->cb_unit_id) {
		sqlb_where_int(q, "e.id IN (SELECT sa.enterprise_id FROM assignments sa WHERE sa.programme_id = ? "
				  "AND sa.cb_unit_id = ?)", s->programme_id);
		sqlb_param_int(q, s->cb_unit_id);
	}
}

/* The grouping key and its sort column as SQL over e (enterprises) and u (units). */
static const char *key_sql(enum stats_by by)
{
	switch (by) {
	case STATS_BY_DISTRICT:
		return "u.district, u.region_code";
	case STATS_BY_INDUSTRY:
		return "e.industry, e.industry";
	case STATS_BY_NONE:
		break;
	}
	return "'all', ''";
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

json_t *stats_stages(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue)
{
	struct groups g = {.by = by, .catalogue = by == STATS_BY_INDUSTRY ? catalogue : NULL,
			   .n_catalogue = by == STATS_BY_INDUSTRY ? n_catalogue : 0};
	struct sqlbuild q;
	sqlb_init(&q, "SELECT ");
	sqlb_tail(&q, key_sql(by));
	sqlb_tail(&q, ", COUNT(*), "
		      "SUM(CASE WHEN dg.enterprise_id IS NULL THEN 0 ELSE 1 END), "
		      "SUM(CASE WHEN ac.enterprise_id IS NOT NULL AND ce.enterprise_id IS NULL THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN ce.enterprise_id IS NULL THEN 0 ELSE 1 END), "
		      "SUM(CASE WHEN pc.enterprise_id IS NULL THEN 0 ELSE 1 END) "
		      "FROM enterprises e");
	sqlb_tail(&q, units_join(by));
	sqlb_tail(&q, " LEFT JOIN (SELECT DISTINCT enterprise_id FROM diagnoses WHERE programme_id = ? "
		      "AND kind = 'onsite' AND status = 'submitted') dg ON dg.enterprise_id = e.id"
		      " LEFT JOIN (SELECT DISTINCT enterprise_id FROM actions WHERE programme_id = ?) ac "
		      "ON ac.enterprise_id = e.id"
		      " LEFT JOIN (SELECT DISTINCT enterprise_id FROM certificates WHERE prior = 0 "
		      "AND status IN ('valid', 'suspended') AND expiry_date >= ?) ce ON ce.enterprise_id = e.id"
		      " LEFT JOIN (SELECT DISTINCT enterprise_id FROM certificates WHERE prior = 1 "
		      "AND status IN ('valid', 'suspended') AND expiry_date >= ?) pc ON pc.enterprise_id = e.id");
	sqlb_param_int(&q, s->programme_id);
	sqlb_param_int(&q, s->programme_id);
	sqlb_param_text(&q, s->today);
	sqlb_param_text(&q, s->today);
	scope_where(&q, s);
	if (by == STATS_BY_DISTRICT)
		sqlb_tail(&q, " GROUP BY u.district, u.region_code");
	else if (by == STATS_BY_INDUSTRY)
		sqlb_tail(&q, " GROUP BY e.industry");
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct grow *r = group_row(&g, db_col_text(st, 0), db_col_text(st, 1));
		for (int k = 1; k < STAGE_N; k++)
			r->v[k] = db_col_int(st, k + 1);
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
	struct sqlbuild q;
	sqlb_init(&q, "SELECT a.status, COUNT(*), SUM(CASE WHEN a.status IN ('open', 'in_progress') "
		      "AND a.due_date < ? THEN 1 ELSE 0 END) FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_param_text(&q, s->today);
	sqlb_where_int(&q, "a.programme_id = ?", s->programme_id);
	scope_where(&q, s);
	sqlb_tail(&q, " GROUP BY a.status");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *c = json_pack("{s:i,s:i,s:i,s:i}", "open", 0, "in_progress", 0, "verified", 0, "closed", 0);
	int64_t overdue = 0, total = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_object_set_new(c, db_col_text(st, 0), json_integer((json_int_t)db_col_int(st, 1)));
		total += db_col_int(st, 1);
		overdue += db_col_int(st, 2);
	}
	db_done(st);
	sqlb_free(&q);
	if (rc != DB_DONE) {
		json_decref(c);
		return NULL;
	}
	json_object_set_new(c, "overdue", json_integer((json_int_t)overdue));
	json_object_set_new(c, "total", json_integer((json_int_t)total));
	return c;
}

/* ======================== Scores ======================== */

json_t *stats_scores(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue)
{
	struct groups g = {.by = by, .catalogue = by == STATS_BY_INDUSTRY ? catalogue : NULL,
			   .n_catalogue = by == STATS_BY_INDUSTRY ? n_catalogue : 0};
	struct sqlbuild q;
	/* r: the submitted on-site diagnoses of the scope, numbered per enterprise from
	 * the first (rf = 1) and from the latest (rl = 1); p: one row per enterprise
	 * with its first and latest overall score and its number of diagnoses. */
	sqlb_init(&q, "SELECT p.k, MAX(p.srt), COUNT(*), AVG(p.f), AVG(p.l), AVG(CASE WHEN p.n > 1 THEN p.l - p.f END), "
		      "SUM(CASE WHEN p.n > 1 THEN 1 ELSE 0 END) FROM (SELECT MAX(r.k) AS k, MAX(r.srt) AS srt, "
		      "MAX(CASE WHEN r.rf = 1 THEN r.overall END) AS f, MAX(CASE WHEN r.rl = 1 THEN r.overall END) AS l, "
		      "COUNT(*) AS n FROM (");
	sqlb_tail(&q, "SELECT d.id, d.enterprise_id, d.overall, ");
	sqlb_tail(&q, by == STATS_BY_DISTRICT ? "u.district AS k, u.region_code AS srt"
		      : by == STATS_BY_INDUSTRY ? "e.industry AS k, e.industry AS srt" : "'all' AS k, '' AS srt");
	sqlb_tail(&q, ", ROW_NUMBER() OVER (PARTITION BY d.enterprise_id ORDER BY d.round, d.id) AS rf, "
		      "ROW_NUMBER() OVER (PARTITION BY d.enterprise_id ORDER BY d.round DESC, d.id DESC) AS rl "
		      "FROM diagnoses d JOIN enterprises e ON e.id = d.enterprise_id");
	sqlb_tail(&q, units_join(by));
	sqlb_where_int(&q, "d.programme_id = ?", s->programme_id);
	sqlb_where(&q, "d.kind = 'onsite' AND d.status = 'submitted'");
	scope_where(&q, s);
	sqlb_tail(&q, ") r GROUP BY r.enterprise_id) p GROUP BY p.k");
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
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
	struct sqlbuild q;
	sqlb_init(&q, "SELECT c.clause, AVG(CASE WHEN r.rf = 1 THEN c.score END), AVG(CASE WHEN r.rl = 1 THEN c.score END), "
		      "SUM(CASE WHEN r.rf = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rl = 1 THEN 1 ELSE 0 END) FROM (");
	sqlb_tail(&q, "SELECT d.id, ROW_NUMBER() OVER (PARTITION BY d.enterprise_id ORDER BY d.round, d.id) AS rf, "
		      "ROW_NUMBER() OVER (PARTITION BY d.enterprise_id ORDER BY d.round DESC, d.id DESC) AS rl "
		      "FROM diagnoses d JOIN enterprises e ON e.id = d.enterprise_id");
	sqlb_where_int(&q, "d.programme_id = ?", s->programme_id);
	sqlb_where(&q, "d.kind = 'onsite' AND d.status = 'submitted'");
	scope_where(&q, s);
	sqlb_tail(&q, ") r JOIN diagnosis_clause_scores c ON c.diagnosis_id = r.id WHERE r.rf = 1 OR r.rl = 1 "
		      "GROUP BY c.clause");
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
	sqlb_init(&q, "SELECT COUNT(DISTINCT r.enterprise_id), COUNT(*) FROM training_registrations r "
		      "JOIN enterprises e ON e.id = r.enterprise_id");
	sqlb_where(&q, "r.attended = 1");
	scope_where(&q, s);
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
