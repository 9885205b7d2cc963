/*
 * evaluation.c - see evaluation.h.
 */
#include "evaluation.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== District facts ======================== */

static struct eval_district *district_of(struct eval_district *d, int n, int64_t unit_id)
{
	for (int i = 0; i < n; i++)
		if (d[i].unit_id == unit_id)
			return &d[i];
	return NULL;
}

/*
 * Run a grouped query whose rows are (district unit id, value, value ...) and
 * add each value to the fact named in cols. Rows of units that are not in
 * the list (the city, a body organising a session) are ignored.
 */
static int add_grouped(struct db *db, struct sqlbuild *q, struct eval_district *d, int n,
		       const enum eval_fact *cols, int ncols)
{
	struct db_stmt *st = sqlb_prepare(q, db);
	sqlb_free(q);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_district *x = district_of(d, n, db_col_int(st, 0));
		for (int c = 0; x && c < ncols; c++)
			x->facts.v[cols[c]] += db_col_int(st, c + 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Start a query grouped by the enterprise's district, filtered to one district when asked. */
static void grouped(struct sqlbuild *q, const char *head, int64_t district_unit_id)
{
	sqlb_init(q, head);
	if (district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", district_unit_id);
}

static int load_districts(struct db *db, int64_t district_unit_id, struct eval_district **out)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT id, name, COALESCE(district, ''), COALESCE(region_code, '') FROM units");
	sqlb_where(&q, "kind = 'district'");
	sqlb_where(&q, "active = 1");
	if (district_unit_id)
		sqlb_where_int(&q, "id = ?", district_unit_id);
	/* Units without a region code (临港新片区, 机场分局) come last. */
	sqlb_tail(&q, " ORDER BY CASE WHEN region_code IS NULL THEN 1 ELSE 0 END, region_code, id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	sqlb_free(&q);
	if (!st)
		return -1;
	int n = 0, cap = 0, rc;
	struct eval_district *d = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			d = xrealloc(d, (size_t)cap * sizeof(*d));
		}
		memset(&d[n], 0, sizeof(d[n]));
		d[n].unit_id = db_col_int(st, 0);
		snprintf(d[n].name, sizeof(d[n].name), "%s", db_col_text(st, 1));
		snprintf(d[n].district, sizeof(d[n].district), "%s", db_col_text(st, 2));
		snprintf(d[n].region_code, sizeof(d[n].region_code), "%s", db_col_text(st, 3));
		n++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(d);
		return -1;
	}
	*out = d;
	return n;
}

/* Declaration and work plan stages; the plan's pilot enterprises when approved. */
static int add_stages(struct db *db, int64_t programme_id, struct eval_district *d, int n)
{
	struct db_stmt *st = db_prep(db,
		"SELECT unit_id, status, late FROM declarations WHERE programme_id = ? AND category = 'market_regulation'");
	db_bind_int(st, 1, programme_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_district *x = district_of(d, n, db_col_int(st, 0));
		/* Returned for revision still counts as reported: the round's date is what is scored. */
		if (x && strcmp(db_col_text(st, 1), "draft"))
			x->facts.v[EF_DECLARATION] = db_col_int(st, 2) ? 1 : 2;
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prep(db, "SELECT unit_id, status, content FROM workplans WHERE programme_id = ?");
	db_bind_int(st, 1, programme_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_district *x = district_of(d, n, db_col_int(st, 0));
		const char *status = db_col_text(st, 1);
		if (!x)
			continue;
		if (!strcmp(status, "submitted")) {
			x->facts.v[EF_WORKPLAN] = 1;
		} else if (!strcmp(status, "approved")) {
			x->facts.v[EF_WORKPLAN] = 2;
			/* One plan per district: parsing it is not a per-enterprise loop. */
			json_t *content = json_loads(db_col_text(st, 2), 0, NULL);
			size_t i;
			json_t *ind;
			json_array_foreach(json_object_get(content, "industries"), i, ind)
				x->facts.v[EF_PLAN_TARGET] += (int64_t)json_array_size(json_object_get(ind, "enterprise_ids"));
			json_decref(content);
		}
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Training sessions: held by the district, or attended by its enterprises' staff (counted once). */
static int add_sessions(struct db *db, int64_t district_unit_id, const char *today, struct eval_district *d, int n)
{
	char until[32];
	snprintf(until, sizeof(until), "%s 23:59", today);
	struct sqlbuild q;
	if (district_unit_id) {
		sqlb_init(&q, "SELECT x.unit_id, COUNT(DISTINCT x.training_id) FROM ("
			"SELECT organiser_unit_id AS unit_id, id AS training_id FROM trainings "
			"WHERE organiser_unit_id = ? AND starts_at <= ? UNION "
			"SELECT e.district_unit_id, r.training_id FROM training_registrations r "
			"JOIN enterprises e ON e.id = r.enterprise_id WHERE e.district_unit_id = ? AND r.attended = 1"
			") x GROUP BY x.unit_id");
		sqlb_param_int(&q, district_unit_id);
		sqlb_param_text(&q, until);
		sqlb_param_int(&q, district_unit_id);
	} else {
		sqlb_init(&q, "SELECT x.unit_id, COUNT(DISTINCT x.training_id) FROM ("
			"SELECT organiser_unit_id AS unit_id, id AS training_id FROM trainings WHERE starts_at <= ? UNION "
			"SELECT e.district_unit_id, r.training_id FROM training_registrations r "
			"JOIN enterprises e ON e.id = r.enterprise_id WHERE r.attended = 1"
			") x GROUP BY x.unit_id");
		sqlb_param_text(&q, until);
	}
	static const enum eval_fact cols[] = {EF_SESSIONS};
	return add_grouped(db, &q, d, n, cols, 1);
}

int eval_gather(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *today,
		struct eval_district **out)
{
	struct eval_district *d = NULL;
	int n = load_districts(db, district_unit_id, &d);
	if (n <= 0) {
		*out = d;
		return n;
	}
	struct sqlbuild q;
	int rc = add_stages(db, programme_id, d, n);

	static const enum eval_fact enrolled[] = {EF_ENROLLED};
	grouped(&q, "SELECT e.district_unit_id, COUNT(*) FROM enterprises e", district_unit_id);
	sqlb_tail(&q, " GROUP BY e.district_unit_id");
	if (!rc)
		rc = add_grouped(db, &q, d, n, enrolled, 1);
	else
		sqlb_free(&q);

	if (!rc) {
		struct quest_counts *qc = NULL;
		int m = quest_counts(db, programme_id, district_unit_id, &qc);
		for (int i = 0; i < m; i++) {
			struct eval_district *x = district_of(d, n, qc[i].district_unit_id);
			if (!x)
				continue;
			x->facts.v[EF_ASSISTED] = qc[i].assisted;
			x->facts.v[EF_ANSWERED] = qc[i].answered;
			x->facts.v[EF_CLEAR] = qc[i].by_answer[0] + qc[i].by_answer[1];
			x->facts.v[EF_SATISFACTION_SUM] = qc[i].satisfaction_sum;
		}
		free(qc);
		rc = m < 0 ? -1 : 0;
	}

	static const enum eval_fact diagnosed[] = {EF_DIAGNOSED};
	grouped(&q, "SELECT e.district_unit_id, COUNT(DISTINCT g.enterprise_id) FROM diagnoses g "
		"JOIN enterprises e ON e.id = g.enterprise_id", district_unit_id);
	sqlb_where_int(&q, "g.programme_id = ?", programme_id);
	sqlb_where(&q, "g.kind = 'onsite'");
	sqlb_where(&q, "g.status = 'submitted'");
	sqlb_tail(&q, " GROUP BY e.district_unit_id");
	if (!rc)
		rc = add_grouped(db, &q, d, n, diagnosed, 1);
	else
		sqlb_free(&q);

	static const enum eval_fact actions[] = {EF_ACTIONS, EF_ACTIONS_CLOSED};
	grouped(&q, "SELECT e.district_unit_id, COUNT(*), SUM(CASE WHEN a.status = 'closed' THEN 1 ELSE 0 END) "
		"FROM actions a JOIN enterprises e ON e.id = a.enterprise_id", district_unit_id);
	sqlb_where_int(&q, "a.programme_id = ?", programme_id);
	sqlb_tail(&q, " GROUP BY e.district_unit_id");
	if (!rc)
		rc = add_grouped(db, &q, d, n, actions, 2);
	else
		sqlb_free(&q);

	/* Certificates issued in the programme (not held before joining) and in force. */
	static const enum eval_fact certified[] = {EF_CERTIFIED};
	grouped(&q, "SELECT e.district_unit_id, COUNT(DISTINCT c.enterprise_id) FROM certificates c "
		"JOIN enterprises e ON e.id = c.enterprise_id", district_unit_id);
	sqlb_where(&q, "c.prior = 0");
	sqlb_where(&q, "c.status IN ('valid', 'suspended')");
	sqlb_where_text(&q, "c.expiry_date >= ?", today);
	sqlb_tail(&q, " GROUP BY e.district_unit_id");
	if (!rc)
		rc = add_grouped(db, &q, d, n, certified, 1);
	else
		sqlb_free(&q);

	static const enum eval_fact person_times[] = {EF_PERSON_TIMES};
	grouped(&q, "SELECT e.district_unit_id, COUNT(*) FROM training_registrations r "
		"JOIN enterprises e ON e.id = r.enterprise_id", district_unit_id);
	sqlb_where(&q, "r.attended = 1");
	sqlb_tail(&q, " GROUP BY e.district_unit_id");
	if (!rc)
		rc = add_grouped(db, &q, d, n, person_times, 1);
	else
		sqlb_free(&q);

	if (!rc)
		rc = add_sessions(db, district_unit_id, today, d, n);
	if (rc) {
		free(d);
		*out = NULL;
		return -1;
	}
	*out = d;
	return n;
}

/* ======================== Evaluation records ======================== */

json_t *eval_records(struct db *db, int64_t programme_id, int64_t district_unit_id)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT district_unit_id, status, entered, frozen, total, comment, updated_by, updated_at "
		"FROM evaluations");
	sqlb_where_int(&q, "programme_id = ?", programme_id);
	if (district_unit_id)
		sqlb_where_int(&q, "district_unit_id = ?", district_unit_id);
	struct db_stmt *st = sqlb_prepare(&q, db);
	sqlb_free(&q);
	if (!st)
		return NULL;
	json_t *all = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
		json_t *entered = json_loads(db_col_text(st, 2), 0, NULL);
		json_t *frozen = db_col_null(st, 3) ? NULL : json_loads(db_col_text(st, 3), 0, NULL);
		json_object_set_new(all, key, json_pack("{s:s,s:o,s:o,s:o,s:s,s:s,s:o}",
			"status", db_col_text(st, 1),
			"entered", json_is_object(entered) ? entered : (json_decref(entered), json_object()),
			"frozen", frozen ? frozen : json_null(),
			"total", db_col_null(st, 4) ? json_null() : json_real(db_col_double(st, 4)),
			"comment", db_col_text(st, 5), "updated_by", db_col_text(st, 6),
			"updated_at", db_col_json_time(st, 7)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(all);
		return NULL;
	}
	return all;
}

int eval_save(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *entered,
	      const char *comment, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO evaluations (programme_id, district_unit_id, entered, comment, status, updated_by, updated_at) "
		"VALUES (?, ?, ?, ?, 'draft', ?, ?) ON CONFLICT (programme_id, district_unit_id) DO UPDATE SET "
		"entered = excluded.entered, comment = excluded.comment, updated_by = excluded.updated_by, "
		"updated_at = excluded.updated_at");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_text(st, 3, entered);
	db_bind_text(st, 4, comment);
	db_bind_text(st, 5, username);
	db_bind_int(st, 6, now_business());
	return db_exec_stmt(st);
}

int eval_finalise(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *frozen,
		  double total, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO evaluations (programme_id, district_unit_id, frozen, total, status, updated_by, updated_at) "
		"VALUES (?, ?, ?, ?, 'final', ?, ?) ON CONFLICT (programme_id, district_unit_id) DO UPDATE SET "
		"frozen = excluded.frozen, total = excluded.total, status = 'final', "
		"updated_by = excluded.updated_by, updated_at = excluded.updated_at");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, district_unit_id);
	db_bind_text(st, 3, frozen);
	db_bind_double(st, 4, total);
	db_bind_text(st, 5, username);
	db_bind_int(st, 6, now_business());
	return db_exec_stmt(st);
}

int eval_reopen(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE evaluations SET status = 'draft', frozen = NULL, total = NULL, updated_by = ?, updated_at = ? "
		"WHERE programme_id = ? AND district_unit_id = ?");
	db_bind_text(st, 1, username);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, district_unit_id);
	return db_exec_stmt(st);
}

/* ======================== Effect questionnaires ======================== */

json_t *quest_get(struct db *db, int64_t programme_id, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT improvement, satisfaction, comments, answered_by, answered_at FROM questionnaires "
		"WHERE programme_id = ? AND enterprise_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	json_t *q = NULL;
	if (db_step(st) == DB_ROW)
		q = json_pack("{s:s,s:I,s:s,s:s,s:o}", "improvement", db_col_text(st, 0),
			"satisfaction", (json_int_t)db_col_int(st, 1), "comments", db_col_text(st, 2),
			"answered_by", db_col_text(st, 3), "answered_at", db_col_json_time(st, 4));
	db_done(st);
	return q;
}

int quest_put(struct db *db, int64_t programme_id, int64_t enterprise_id, const char *improvement,
	      int satisfaction, const char *comments, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO questionnaires (programme_id, enterprise_id, improvement, satisfaction, comments, "
		"answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (programme_id, enterprise_id) DO UPDATE SET improvement = excluded.improvement, "
		"satisfaction = excluded.satisfaction, comments = excluded.comments, "
		"answered_by = excluded.answered_by, answered_at = excluded.answered_at");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_text(st, 3, improvement);
	db_bind_int(st, 4, satisfaction);
	db_bind_text(st, 5, comments);
	db_bind_text(st, 6, username);
	db_bind_int(st, 7, now_business());
	return db_exec_stmt(st);
}

int quest_counts(struct db *db, int64_t programme_id, int64_t district_unit_id, struct quest_counts **out)
{
	struct sqlbuild q;
	/* The CASE columns follow eval_improvement_keys: very, fairly, average, not. */
	sqlb_init(&q, "SELECT e.district_unit_id, u.name, COALESCE(u.district, ''), COUNT(*), COUNT(q.enterprise_id), "
		"SUM(CASE WHEN q.improvement = 'very' THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN q.improvement = 'fairly' THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN q.improvement = 'average' THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN q.improvement = 'not' THEN 1 ELSE 0 END), "
		"COALESCE(SUM(q.satisfaction), 0) "
		"FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id "
		"JOIN units u ON u.id = e.district_unit_id "
		"LEFT JOIN questionnaires q ON q.programme_id = a.programme_id AND q.enterprise_id = a.enterprise_id");
	sqlb_where_int(&q, "a.programme_id = ?", programme_id);
	if (district_unit_id)
		sqlb_where_int(&q, "e.district_unit_id = ?", district_unit_id);
	sqlb_tail(&q, " GROUP BY e.district_unit_id, u.name, u.district, u.region_code "
		"ORDER BY CASE WHEN u.region_code IS NULL THEN 1 ELSE 0 END, u.region_code, e.district_unit_id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	sqlb_free(&q);
	*out = NULL;
	if (!st)
		return -1;
	int n = 0, cap = 0, rc;
	struct quest_counts *c = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			c = xrealloc(c, (size_t)cap * sizeof(*c));
		}
		struct quest_counts *x = &c[n++];
		memset(x, 0, sizeof(*x));
		x->district_unit_id = db_col_int(st, 0);
		snprintf(x->name, sizeof(x->name), "%s", db_col_text(st, 1));
		snprintf(x->district, sizeof(x->district), "%s", db_col_text(st, 2));
		x->assisted = db_col_int(st, 3);
		x->answered = db_col_int(st, 4);
		for (int k = 0; k < EVAL_N_IMPROVEMENT; k++)
			x->by_answer[k] = db_col_int(st, 5 + k);
		x->satisfaction_sum = db_col_int(st, 9);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(c);
		return -1;
	}
	*out = c;
	return n;
}
