/*
 * diagnoses.c - see diagnoses.h.
 */
#include "diagnoses.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== Checklists ======================== */

int64_t checklist_store(struct db *db, const json_t *cl, bool *created)
{
	const char *code = json_string_value(json_object_get(cl, "code"));
	int64_t version = json_integer_value(json_object_get(cl, "version"));
	*created = false;
	struct db_stmt *st = db_prep(db, "SELECT id FROM checklists WHERE code = ? AND version = ?");
	db_bind_text(st, 1, code);
	db_bind_int(st, 2, version);
	int64_t id = db_scalar_int(st, 0);
	if (id)
		return id;
	char *content = json_dumps(cl, JSON_COMPACT);
	st = db_prep(db, "INSERT INTO checklists (code, version, title, standard, content, loaded_at) "
			 "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, code);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, json_string_value(json_object_get(cl, "title")));
	db_bind_text(st, 4, json_string_value(json_object_get(cl, "standard")));
	db_bind_text(st, 5, content);
	db_bind_int(st, 6, now_seconds());
	id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	free(content);
	if (id < 0)
		return -1;
	int pos = 0;
	size_t i, j;
	json_t *sec, *item;
	json_array_foreach(json_object_get(cl, "sections"), i, sec) {
		json_array_foreach(json_object_get(sec, "items"), j, item) {
			st = db_prep(db, "INSERT INTO checklist_items (checklist_id, key, section, clause, position, text) "
					 "VALUES (?, ?, ?, ?, ?, ?)");
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, json_string_value(json_object_get(item, "key")));
			db_bind_text(st, 3, json_string_value(json_object_get(sec, "clause")));
			db_bind_text(st, 4, json_string_value(json_object_get(item, "clause")));
			db_bind_int(st, 5, ++pos);
			db_bind_text(st, 6, json_string_value(json_object_get(item, "text")));
			if (db_exec_stmt(st))
				return -1;
		}
	}
	*created = true;
	return id;
}

/* The cache: a short list, appended under a lock, entries never freed or changed. */
#define CL_CACHE_MAX 32
static pthread_mutex_t cl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct checklist *cl_cache[CL_CACHE_MAX];
static int cl_cached;

static struct checklist *checklist_build(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "SELECT code, version, title, standard, content FROM checklists WHERE id = ?");
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return NULL;
	}
	struct checklist *cl = xcalloc(1, sizeof(*cl));
	cl->id = id;
	snprintf(cl->code, sizeof(cl->code), "%s", db_col_text(st, 0));
	cl->version = (int)db_col_int(st, 1);
	cl->title = xstrdup(db_col_text(st, 2));
	cl->standard = xstrdup(db_col_text(st, 3));
	json_t *doc = json_loads(db_col_text(st, 4), 0, NULL);
	db_done(st);
	if (!doc) {
		free(cl->title);
		free(cl->standard);
		free(cl);
		return NULL;
	}
	/* Item ids by key, then the sections and items in file order. */
	json_t *ids = json_object();
	st = db_prep(db, "SELECT id, key FROM checklist_items WHERE checklist_id = ? ORDER BY position");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_object_set_new(ids, db_col_text(st, 1), json_integer(db_col_int(st, 0)));
	db_done(st);
	cl->items = xcalloc(json_object_size(ids) + 1, sizeof(*cl->items));
	size_t i, j;
	json_t *sec, *item;
	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		if (cl->n_sections >= DIAG_MAX_SECTIONS)
			break;
		int s = cl->n_sections++;
		snprintf(cl->sections[s].clause, sizeof(cl->sections[s].clause), "%s",
			 json_string_value(json_object_get(sec, "clause")));
		snprintf(cl->sections[s].title, sizeof(cl->sections[s].title), "%s",
			 json_string_value(json_object_get(sec, "title")));
		json_array_foreach(json_object_get(sec, "items"), j, item) {
			const char *key = json_string_value(json_object_get(item, "key"));
			json_t *idv = json_object_get(ids, key);
			if (!idv || (size_t)cl->n_items >= json_object_size(ids))
				continue;
			json_object_set(item, "id", idv);
			struct cl_item *it = &cl->items[cl->n_items++];
			it->id = json_integer_value(idv);
			snprintf(it->key, sizeof(it->key), "%s", key);
			snprintf(it->clause, sizeof(it->clause), "%s", json_string_value(json_object_get(item, "clause")));
			it->section = s;
			it->text = xstrdup(json_string_value(json_object_get(item, "text")));
			cl->sections[s].items++;
		}
	}
	json_decref(ids);
	json_object_set_new(doc, "id", json_integer(id));
	cl->json = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return cl;
}

const struct checklist *checklist_cached(struct db *db, int64_t id)
{
	pthread_mutex_lock(&cl_lock);
	for (int i = 0; i < cl_cached; i++) {
		if (cl_cache[i]->id == id) {
			struct checklist *hit = cl_cache[i];
			pthread_mutex_unlock(&cl_lock);
			return hit;
		}
	}
	pthread_mutex_unlock(&cl_lock);
	/* Build outside the lock (a query); a racing thread may build it too: keep the first. */
	struct checklist *cl = checklist_build(db, id);
	if (!cl)
		return NULL;
	pthread_mutex_lock(&cl_lock);
	for (int i = 0; i < cl_cached; i++) {
		if (cl_cache[i]->id == id) {
			struct checklist *hit = cl_cache[i];
			pthread_mutex_unlock(&cl_lock);
			for (int k = 0; k < cl->n_items; k++)
				free(cl->items[k].text);
			free(cl->items);
			free(cl->title);
			free(cl->standard);
			free(cl->json);
			free(cl);
			return hit;
		}
	}
	if (cl_cached < CL_CACHE_MAX)
		cl_cache[cl_cached++] = cl; /* kept for the life of the process */
	pthread_mutex_unlock(&cl_lock);
	return cl;
}

const struct cl_item *checklist_item(const struct checklist *cl, int64_t item_id)
{
	int lo = 0, hi = cl->n_items - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (cl->items[mid].id == item_id)
			return &cl->items[mid];
		if (cl->items[mid].id < item_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int64_t checklist_newest(struct db *db, const char *code)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM checklists WHERE code = ? ORDER BY version DESC LIMIT 1");
	db_bind_text(st, 1, code);
	return db_scalar_int(st, 0);
}

json_t *checklist_list(struct db *db)
{
	struct db_stmt *st = db_prep(db,
		"SELECT c.id, c.code, c.version, c.title, c.standard, "
		"(SELECT COUNT(*) FROM checklist_items i WHERE i.checklist_id = c.id) "
		"FROM checklists c ORDER BY c.code, c.version DESC");
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:I,s:s,s:s,s:I}",
			"id", (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1),
			"version", (json_int_t)db_col_int(st, 2), "title", db_col_text(st, 3),
			"standard", db_col_text(st, 4), "items", (json_int_t)db_col_int(st, 5)));
	db_done(st);
	return items;
}

/* ======================== Diagnoses ======================== */

int diag_row_get(struct db *db, int64_t id, struct diag_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT d.id, d.programme_id, d.enterprise_id, d.cb_unit_id, d.checklist_id, e.district_unit_id, "
		"a.cb_unit_id, d.kind, d.status, d.round FROM diagnoses d "
		"JOIN enterprises e ON e.id = d.enterprise_id "
		"LEFT JOIN assignments a ON a.enterprise_id = d.enterprise_id AND a.programme_id = d.programme_id "
		"WHERE d.id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->enterprise_id = db_col_int(st, 2);
		r->cb_unit_id = db_col_int(st, 3);
		r->checklist_id = db_col_int(st, 4);
		r->district_unit_id = db_col_int(st, 5);
		r->assigned_cb = db_col_int(st, 6);
		snprintf(r->kind, sizeof(r->kind), "%s", db_col_text(st, 7));
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 8));
		r->round = (int)db_col_int(st, 9);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int64_t diag_insert(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		    const char *kind, int round, int64_t checklist_id, const char *visit_date,
		    const char *team, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO diagnoses (programme_id, enterprise_id, cb_unit_id, kind, round, checklist_id, "
		"visit_date, team, status, created_by, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	if (cb_unit_id)
		db_bind_int(st, 3, cb_unit_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, kind);
	db_bind_int(st, 5, round);
	db_bind_int(st, 6, checklist_id);
	db_bind_text(st, 7, visit_date);
	db_bind_text(st, 8, team);
	db_bind_text(st, 9, username);
	db_bind_int(st, 10, now);
	db_bind_int(st, 11, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_CONSTRAINT ? 0 : -1;
	db_done(st);
	return id;
}

int64_t diag_draft_of(struct db *db, int64_t enterprise_id, const char *kind)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id FROM diagnoses WHERE enterprise_id = ? AND kind = ? AND status = 'draft' LIMIT 1");
	db_bind_int(st, 1, enterprise_id);
	db_bind_text(st, 2, kind);
	return db_scalar_int(st, 0);
}

int diag_onsite_count(struct db *db, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM diagnoses WHERE enterprise_id = ? AND kind = 'onsite'");
	db_bind_int(st, 1, enterprise_id);
	return (int)db_scalar_int(st, 0);
}

int64_t diag_first_submitted(struct db *db, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id FROM diagnoses WHERE enterprise_id = ? AND kind = 'onsite' AND status = 'submitted' "
		"ORDER BY round, id LIMIT 1");
	db_bind_int(st, 1, enterprise_id);
	return db_scalar_int(st, 0);
}

int64_t diag_latest_submitted(struct db *db, int64_t enterprise_id, const char *kind, int64_t checklist_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id FROM diagnoses WHERE enterprise_id = ? AND kind = ? AND status = 'submitted' "
		"AND (? = 0 OR checklist_id = ?) ORDER BY round DESC, id DESC LIMIT 1");
	db_bind_int(st, 1, enterprise_id);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, checklist_id);
	db_bind_int(st, 4, checklist_id);
	return db_scalar_int(st, 0);
}

#define DIAG_COLUMNS \
	"SELECT d.id, d.enterprise_id, e.name, e.uscc, du.district, e.industry, d.cb_unit_id, cb.name, " \
	"d.kind, d.round, d.checklist_id, d.visit_date, d.team, d.summary, d.status, d.submitted_at, " \
	"d.created_by, d.created_at, d.updated_at, d.answered, d.overall, " \
	"(SELECT COUNT(*) FROM checklist_items i WHERE i.checklist_id = d.checklist_id), d.scores " \
	"FROM diagnoses d JOIN enterprises e ON e.id = d.enterprise_id " \
	"LEFT JOIN units du ON du.id = e.district_unit_id LEFT JOIN units cb ON cb.id = d.cb_unit_id"

static json_t *read_diag(struct db_stmt *st)
{
	const char *kind = db_col_text(st, 8), *status = db_col_text(st, 14);
	json_t *cb = db_col_null(st, 6) ? json_null()
		: json_pack("{s:I,s:s}", "id", (json_int_t)db_col_int(st, 6), "name", db_col_text(st, 7));
	json_t *scores = NULL;
	if (!db_col_null(st, 22))
		scores = json_loads(db_col_text(st, 22), 0, NULL);
	return json_pack("{s:I,s:{s:I,s:s,s:s,s:s,s:s},s:o,s:s,s:s,s:i,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,"
			 "s:{s:I,s:I},s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0),
		"enterprise", "id", (json_int_t)db_col_int(st, 1), "name", db_col_text(st, 2),
		"uscc", db_col_text(st, 3), "district", db_col_text(st, 4), "industry", db_col_text(st, 5),
		"cb", cb, "kind", kind, "kind_name", !strcmp(kind, "self") ? "自我评价" : "现场诊断",
		"round", (int)db_col_int(st, 9), "checklist_id", (json_int_t)db_col_int(st, 10),
		"visit_date", db_col_text(st, 11), "team", db_col_text(st, 12), "summary", db_col_text(st, 13),
		"status", status, "status_name", !strcmp(status, "draft") ? "草稿" : "已提交",
		"submitted_at", db_col_json_time(st, 15), "created_by", db_col_text(st, 16),
		"created_at", db_col_json_time(st, 17), "updated_at", db_col_json_time(st, 18),
		"progress", "items", (json_int_t)db_col_int(st, 21), "answered", (json_int_t)db_col_int(st, 19),
		"overall", db_col_null(st, 20) ? json_null() : json_real(db_col_double(st, 20)),
		"stored_scores", scores ? scores : json_null());
}

json_t *diag_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, DIAG_COLUMNS " WHERE d.id = ?");
	db_bind_int(st, 1, id);
	json_t *d = db_step(st) == DB_ROW ? read_diag(st) : NULL;
	db_done(st);
	return d;
}

static void diag_where(struct sqlbuild *q, const struct diag_filter *f)
{
	if (f->district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", f->district_unit_id);
	if (f->cb_unit_id) {
		/* A body sees the on-site diagnoses and the submitted self-assessments of the
		 * enterprises assigned to it now. */
		sqlb_where_int(q, "EXISTS (SELECT 1 FROM assignments a WHERE a.enterprise_id = d.enterprise_id "
				  "AND a.programme_id = d.programme_id AND a.cb_unit_id = ?)", f->cb_unit_id);
		sqlb_where(q, "(d.kind = 'onsite' OR d.status = 'submitted')");
	}
	if (f->enterprise_id)
		sqlb_where_int(q, "d.enterprise_id = ?", f->enterprise_id);
	if (f->onsite_submitted_only)
		sqlb_where(q, "(d.kind = 'self' OR d.status = 'submitted')");
	if (f->kind)
		sqlb_where_text(q, "d.kind = ?", f->kind);
	if (f->status)
		sqlb_where_text(q, "d.status = ?", f->status);
	if (f->q)
		sqlb_where_like(q, "e.name LIKE ? ESCAPE '\\'", f->q);
}

json_t *diag_list(struct db *db, const struct diag_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM diagnoses d JOIN enterprises e ON e.id = d.enterprise_id");
	diag_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, DIAG_COLUMNS);
	diag_where(&q, f);
	sqlb_tail(&q, " ORDER BY d.visit_date DESC, d.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_diag(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

int diag_update(struct db *db, int64_t id, const char *visit_date, const char *team, const char *summary)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE diagnoses SET visit_date = ?, team = ?, summary = ?, updated_at = ? WHERE id = ? AND status = 'draft'");
	db_bind_text(st, 1, visit_date);
	db_bind_text(st, 2, team);
	db_bind_text(st, 3, summary);
	db_bind_int(st, 4, now_business());
	db_bind_int(st, 5, id);
	return db_exec_stmt(st);
}

int diag_submit(struct db *db, int64_t id, const struct diag_scores *s, const char *scores_json)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE diagnoses SET status = 'submitted', submitted_at = ?, updated_at = ?, overall = ?, "
		"scores = ?, answered = ? WHERE id = ? AND status = 'draft' RETURNING id");
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	if (s->has_overall)
		db_bind_double(st, 3, s->overall);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, scores_json);
	db_bind_int(st, 5, s->answered);
	db_bind_int(st, 6, id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

#define ANSWER_COLUMNS "SELECT item_id, score, na, finding, kind, version, updated_by, updated_at FROM diagnosis_answers"

static json_t *read_answer(struct db_stmt *st)
{
	const char *kind = db_col_text(st, 4);
	const char *label = finding_kind_label(kind);
	return json_pack("{s:I,s:o,s:b,s:s,s:s,s:s,s:I,s:s,s:o}",
		"item_id", (json_int_t)db_col_int(st, 0),
		"score", db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)),
		"na", (int)db_col_int(st, 2), "finding", db_col_text(st, 3), "kind", kind,
		"kind_name", label ? label : "", "version", (json_int_t)db_col_int(st, 5),
		"updated_by", db_col_text(st, 6), "updated_at", db_col_json_time(st, 7));
}

json_t *diag_answers(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, ANSWER_COLUMNS " WHERE diagnosis_id = ? ORDER BY item_id");
	db_bind_int(st, 1, id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_answer(st));
	db_done(st);
	return items;
}

int diag_answers_fill(struct db *db, int64_t id, const struct checklist *cl, struct diag_answer *a)
{
	for (int i = 0; i < cl->n_items; i++)
		a[i] = (struct diag_answer){.section = cl->items[i].section};
	struct db_stmt *st = db_prep(db, "SELECT item_id, score, na FROM diagnosis_answers WHERE diagnosis_id = ?");
	db_bind_int(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const struct cl_item *it = checklist_item(cl, db_col_int(st, 0));
		if (!it)
			continue;
		struct diag_answer *x = &a[it - cl->items];
		x->score = db_col_null(st, 1) ? 0 : (int)db_col_int(st, 1);
		x->na = db_col_int(st, 2) != 0;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

json_t *diag_answer_get(struct db *db, int64_t id, int64_t item_id)
{
	struct db_stmt *st = db_prep(db, ANSWER_COLUMNS " WHERE diagnosis_id = ? AND item_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, item_id);
	json_t *a = db_step(st) == DB_ROW ? read_answer(st) : NULL;
	db_done(st);
	return a;
}

int64_t diag_answer_put(struct db *db, int64_t id, int64_t item_id, const struct answer_in *in,
			int64_t expected, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st;
	if (expected <= 0) {
		st = db_prep(db,
			"INSERT INTO diagnosis_answers (diagnosis_id, item_id, score, na, finding, kind, version, "
			"updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
			"ON CONFLICT (diagnosis_id, item_id) DO NOTHING RETURNING version");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, item_id);
		if (in->score)
			db_bind_int(st, 3, in->score);
		else
			db_bind_null(st, 3);
		db_bind_int(st, 4, in->na);
		db_bind_text(st, 5, in->finding);
		db_bind_text(st, 6, in->kind);
		db_bind_text(st, 7, username);
		db_bind_int(st, 8, now);
	} else {
		st = db_prep(db,
			"UPDATE diagnosis_answers SET score = ?, na = ?, finding = ?, kind = ?, version = version + 1, "
			"updated_by = ?, updated_at = ? WHERE diagnosis_id = ? AND item_id = ? AND version = ? "
			"RETURNING version");
		if (in->score)
			db_bind_int(st, 1, in->score);
		else
			db_bind_null(st, 1);
		db_bind_int(st, 2, in->na);
		db_bind_text(st, 3, in->finding);
		db_bind_text(st, 4, in->kind);
		db_bind_text(st, 5, username);
		db_bind_int(st, 6, now);
		db_bind_int(st, 7, id);
		db_bind_int(st, 8, item_id);
		db_bind_int(st, 9, expected);
	}
	int rc = db_step(st);
	int64_t v = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return v;
}

int diag_answer_delete(struct db *db, int64_t id, int64_t item_id)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM diagnosis_answers WHERE diagnosis_id = ? AND item_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, item_id);
	return db_exec_stmt(st);
}

int diag_touch(struct db *db, int64_t id, int answered)
{
	struct db_stmt *st = db_prep(db, "UPDATE diagnoses SET answered = ?, updated_at = ? WHERE id = ?");
	db_bind_int(st, 1, answered);
	db_bind_int(st, 2, now_business());
	db_bind_int(st, 3, id);
	return db_exec_stmt(st);
}

int64_t diag_file_add(struct db *db, int64_t id, int64_t item_id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO diagnosis_files (diagnosis_id, item_id, file_id, created_at) VALUES (?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, id);
	if (item_id)
		db_bind_int(st, 2, item_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, file_id);
	db_bind_int(st, 4, now_business());
	int64_t r = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return r;
}

json_t *diag_files(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT f.id, df.item_id, f.filename, f.content_type, f.size, df.created_at, i.key "
		"FROM diagnosis_files df JOIN files f ON f.id = df.file_id "
		"LEFT JOIN checklist_items i ON i.id = df.item_id WHERE df.diagnosis_id = ? ORDER BY df.id");
	db_bind_int(st, 1, id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:o,s:o,s:s,s:s,s:I,s:o}",
			"id", (json_int_t)db_col_int(st, 0),
			"item_id", db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)),
			"item_key", db_col_null(st, 6) ? json_null() : json_string(db_col_text(st, 6)),
			"filename", db_col_text(st, 2), "content_type", db_col_text(st, 3),
			"size", (json_int_t)db_col_int(st, 4), "created_at", db_col_json_time(st, 5)));
	db_done(st);
	return items;
}

bool diag_has_file(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM diagnosis_files WHERE diagnosis_id = ? AND file_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	return db_scalar_int(st, 0) > 0;
}

int diag_file_delete(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM diagnosis_files WHERE diagnosis_id = ? AND file_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	if (db_exec_stmt(st))
		return -1;
	st = db_prep(db, "DELETE FROM files WHERE id = ?");
	db_bind_int(st, 1, file_id);
	return db_exec_stmt(st);
}

/* ======================== Actions ======================== */

int action_row_get(struct db *db, int64_t id, struct action_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT a.id, a.programme_id, a.enterprise_id, a.cb_unit_id, e.district_unit_id, a.version, "
		"a.status, a.due_date, a.ready, a.progress, s.cb_unit_id FROM actions a "
		"JOIN enterprises e ON e.id = a.enterprise_id "
		"LEFT JOIN assignments s ON s.enterprise_id = a.enterprise_id AND s.programme_id = a.programme_id "
		"WHERE a.id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->programme_id = db_col_int(st, 1);
		r->enterprise_id = db_col_int(st, 2);
		r->cb_unit_id = db_col_int(st, 3);
		r->district_unit_id = db_col_int(st, 4);
		r->version = db_col_int(st, 5);
		snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 6));
		snprintf(r->due_date, sizeof(r->due_date), "%s", db_col_text(st, 7));
		r->ready = db_col_int(st, 8) != 0;
		r->progress = (int)db_col_int(st, 9);
		r->assigned_cb = db_col_int(st, 10);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void bind_opt_id(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

int64_t action_insert(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		      const struct action_fields *a, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO actions (programme_id, enterprise_id, cb_unit_id, diagnosis_id, item_id, title, detail, "
		"method, owner, due_date, status, created_by, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_int(st, 3, cb_unit_id);
	bind_opt_id(st, 4, a->diagnosis_id);
	bind_opt_id(st, 5, a->item_id);
	db_bind_text(st, 6, a->title);
	db_bind_text(st, 7, a->detail);
	db_bind_text(st, 8, a->method);
	db_bind_text(st, 9, a->owner);
	db_bind_text(st, 10, a->due_date);
	db_bind_text(st, 11, username);
	db_bind_int(st, 12, now);
	db_bind_int(st, 13, now);
	int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int action_update(struct db *db, int64_t id, int64_t version, const struct action_fields *a)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE actions SET diagnosis_id = ?, item_id = ?, title = ?, detail = ?, method = ?, owner = ?, "
		"due_date = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? RETURNING id");
	bind_opt_id(st, 1, a->diagnosis_id);
	bind_opt_id(st, 2, a->item_id);
	db_bind_text(st, 3, a->title);
	db_bind_text(st, 4, a->detail);
	db_bind_text(st, 5, a->method);
	db_bind_text(st, 6, a->owner);
	db_bind_text(st, 7, a->due_date);
	db_bind_int(st, 8, now_business());
	db_bind_int(st, 9, id);
	db_bind_int(st, 10, version);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int action_set_state(struct db *db, int64_t id, int64_t version, const char *status, bool ready,
		     int progress, const char *progress_note)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"UPDATE actions SET status = ?, ready = ?, progress = CASE WHEN ? >= 0 THEN ? ELSE progress END, "
		"progress_note = CASE WHEN ? >= 0 THEN ? ELSE progress_note END, version = version + 1, "
		"updated_at = ?, closed_at = CASE WHEN ? = 'closed' THEN CAST(? AS BIGINT) ELSE NULL END "
		"WHERE id = ? AND version = ? RETURNING id");
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, ready);
	db_bind_int(st, 3, progress);
	db_bind_int(st, 4, progress);
	db_bind_int(st, 5, progress);
	db_bind_text(st, 6, progress_note ? progress_note : "");
	db_bind_int(st, 7, now);
	db_bind_text(st, 8, status);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, id);
	db_bind_int(st, 11, version);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int action_event(struct db *db, int64_t id, const char *event, int progress, const char *note,
		 const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO action_events (action_id, event, progress, note, username, created_at) VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, event);
	if (progress >= 0)
		db_bind_int(st, 3, progress);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, note ? note : "");
	db_bind_text(st, 5, username);
	db_bind_int(st, 6, now_business());
	return db_exec_stmt(st);
}

#define ACTION_COLUMNS \
	"SELECT a.id, a.enterprise_id, e.name, du.district, a.cb_unit_id, cb.name, a.diagnosis_id, a.item_id, " \
	"i.key, da.finding, a.title, a.detail, a.method, a.owner, a.due_date, a.status, a.ready, a.progress, " \
	"a.progress_note, a.version, a.created_by, a.created_at, a.updated_at, a.closed_at " \
	"FROM actions a JOIN enterprises e ON e.id = a.enterprise_id " \
	"LEFT JOIN units du ON du.id = e.district_unit_id LEFT JOIN units cb ON cb.id = a.cb_unit_id " \
	"LEFT JOIN checklist_items i ON i.id = a.item_id " \
	"LEFT JOIN diagnosis_answers da ON da.diagnosis_id = a.diagnosis_id AND da.item_id = a.item_id"

static json_t *read_action(struct db_stmt *st)
{
	const char *method = db_col_text(st, 12);
	const char *mlabel = action_method_label(method);
	enum action_status s = action_status_parse(db_col_text(st, 15));
	return json_pack("{s:I,s:{s:I,s:s,s:s},s:{s:I,s:s},s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
			 "s:b,s:i,s:s,s:I,s:s,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0),
		"enterprise", "id", (json_int_t)db_col_int(st, 1), "name", db_col_text(st, 2),
		"district", db_col_text(st, 3),
		"cb", "id", (json_int_t)db_col_int(st, 4), "name", db_col_text(st, 5),
		"diagnosis_id", db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6)),
		"item_id", db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)),
		"item_key", db_col_null(st, 8) ? json_null() : json_string(db_col_text(st, 8)),
		"finding", db_col_null(st, 9) ? json_null() : json_string(db_col_text(st, 9)),
		"title", db_col_text(st, 10), "detail", db_col_text(st, 11), "method", method,
		"method_name", mlabel ? mlabel : method, "owner", db_col_text(st, 13),
		"due_date", db_col_text(st, 14), "status", action_status_name(s),
		"status_name", action_status_label(s), "ready", (int)db_col_int(st, 16),
		"progress", (int)db_col_int(st, 17), "progress_note", db_col_text(st, 18),
		"version", (json_int_t)db_col_int(st, 19), "created_by", db_col_text(st, 20),
		"created_at", db_col_json_time(st, 21), "updated_at", db_col_json_time(st, 22),
		"closed_at", db_col_json_time(st, 23));
}

json_t *action_get(struct db *db, int64_t id, bool full)
{
	struct db_stmt *st = db_prep(db, ACTION_COLUMNS " WHERE a.id = ?");
	db_bind_int(st, 1, id);
	json_t *a = db_step(st) == DB_ROW ? read_action(st) : NULL;
	db_done(st);
	if (!a || !full)
		return a;
	json_t *files = json_array();
	st = db_prep(db, "SELECT f.id, f.filename, f.content_type, f.size, u.username, af.created_at "
			 "FROM action_files af JOIN files f ON f.id = af.file_id LEFT JOIN users u ON u.id = f.created_by "
			 "WHERE af.action_id = ? ORDER BY af.created_at, f.id");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(files, json_pack("{s:I,s:s,s:s,s:I,s:s,s:o}",
			"id", (json_int_t)db_col_int(st, 0), "filename", db_col_text(st, 1),
			"content_type", db_col_text(st, 2), "size", (json_int_t)db_col_int(st, 3),
			"uploaded_by", db_col_text(st, 4), "created_at", db_col_json_time(st, 5)));
	db_done(st);
	json_t *hist = json_array();
	st = db_prep(db, "SELECT created_at, username, event, note, progress FROM action_events "
			 "WHERE action_id = ? ORDER BY id");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(hist, json_pack("{s:o,s:s,s:s,s:s,s:o}",
			"at", db_col_json_time(st, 0), "username", db_col_text(st, 1), "event", db_col_text(st, 2),
			"note", db_col_text(st, 3),
			"progress", db_col_null(st, 4) ? json_null() : json_integer(db_col_int(st, 4))));
	db_done(st);
	json_object_set_new(a, "files", files);
	json_object_set_new(a, "history", hist);
	return a;
}

static void action_where(struct sqlbuild *q, const struct action_filter *f, bool with_status)
{
	if (f->district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", f->district_unit_id);
	if (f->cb_unit_id)
		sqlb_where_int(q, "EXISTS (SELECT 1 FROM assignments s WHERE s.enterprise_id = a.enterprise_id "
				  "AND s.programme_id = a.programme_id AND s.cb_unit_id = ?)", f->cb_unit_id);
	if (f->enterprise_id)
		sqlb_where_int(q, "a.enterprise_id = ?", f->enterprise_id);
	if (with_status && f->status)
		sqlb_where_text(q, "a.status = ?", f->status);
	if (f->overdue)
		sqlb_where_text(q, "a.status IN ('open', 'in_progress') AND a.due_date < ?", f->today);
	if (f->due_by) {
		sqlb_where_text(q, "a.status IN ('open', 'in_progress') AND a.due_date >= ?", f->today);
		sqlb_where_text(q, "a.due_date <= ?", f->due_by);
	}
	if (f->ready)
		sqlb_where(q, "a.ready = 1 AND a.status = 'in_progress'");
}

json_t *action_list(struct db *db, const struct action_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	action_where(&q, f, true);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, ACTION_COLUMNS);
	action_where(&q, f, true);
	sqlb_tail(&q, " ORDER BY a.due_date, a.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_action(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

json_t *action_counts(struct db *db, const struct action_filter *f)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT a.status, COUNT(*), SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_date < ? "
		      "THEN 1 ELSE 0 END), SUM(CASE WHEN a.ready = 1 AND a.status = 'in_progress' THEN 1 ELSE 0 END) "
		      "FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_param_text(&q, f->today);
	action_where(&q, f, false);
	sqlb_tail(&q, " GROUP BY a.status");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *c = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "open", 0, "in_progress", 0, "verified", 0,
			      "closed", 0, "overdue", 0, "ready", 0, "total", 0);
	int64_t overdue = 0, ready = 0, total = 0;
	while (db_step(st) == DB_ROW) {
		json_object_set_new(c, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
		total += db_col_int(st, 1);
		overdue += db_col_int(st, 2);
		ready += db_col_int(st, 3);
	}
	db_done(st);
	sqlb_free(&q);
	json_object_set_new(c, "overdue", json_integer(overdue));
	json_object_set_new(c, "ready", json_integer(ready));
	json_object_set_new(c, "total", json_integer(total));
	return c;
}

int action_file_add(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "INSERT INTO action_files (action_id, file_id, created_at) VALUES (?, ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	db_bind_int(st, 3, now_business());
	return db_exec_stmt(st);
}

bool action_has_file(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM action_files WHERE action_id = ? AND file_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	return db_scalar_int(st, 0) > 0;
}
