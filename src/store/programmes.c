/*
 * programmes.c - see programmes.h.
 */
#include "programmes.h"
#include "db.h"
#include "sqlbuild.h"
#include "../core/calendar.h"
#include "../core/evaluation.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

static void add_children(struct db *db, json_t *p, int64_t id)
{
	json_t *phases = json_array(), *deadlines = json_array(), *industries = json_array();
	struct db_stmt *st = db_prep(db,
		"SELECT key, name, start_date, end_date FROM programme_phases "
		"WHERE programme_id = ? ORDER BY seq");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(phases, json_pack("{s:s,s:s,s:s,s:s}", "key", db_col_text(st, 0),
			"name", db_col_text(st, 1), "start", db_col_text(st, 2), "end", db_col_text(st, 3)));
	db_done(st);

	st = db_prep(db, "SELECT key, name, due_date, audience, description FROM programme_deadlines "
			 "WHERE programme_id = ? ORDER BY seq");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(deadlines, json_pack("{s:s,s:s,s:s,s:s,s:s}", "key",
			db_col_text(st, 0), "name", db_col_text(st, 1), "due", db_col_text(st, 2),
			"audience", db_col_text(st, 3), "description", db_col_text(st, 4)));
	db_done(st);

	st = db_prep(db, "SELECT id, name, category FROM industries WHERE programme_id = ? ORDER BY seq");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(industries, json_pack("{s:I,s:s,s:s}", "id",
			(json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "category",
			db_col_text(st, 2)));
	db_done(st);
	json_object_set_new(p, "phases", phases);
	json_object_set_new(p, "deadlines", deadlines);
	json_object_set_new(p, "industries", industries);
}

#define PROGRAMME_COLUMNS "SELECT id, code, name, region, year, notice, source, allow_late, quotas FROM programmes"

static json_t *read_programme(struct db *db, struct db_stmt *st)
{
	json_t *quotas = json_loads(db_col_text(st, 8), 0, NULL);
	json_t *p = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:b,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1),
		"name", db_col_text(st, 2), "region", db_col_text(st, 3),
		"year", (json_int_t)db_col_int(st, 4), "notice", db_col_text(st, 5),
		"source", db_col_text(st, 6), "allow_late", (int)db_col_int(st, 7),
		"quotas", quotas ? quotas : json_object());
	(void)db;
	return p;
}

/* Read all rows first, then the children: a statement is reused for each programme. */
static json_t *collect(struct db *db, struct db_stmt *st)
{
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, read_programme(db, st));
	db_done(st);
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p)
		add_children(db, p, json_integer_value(json_object_get(p, "id")));
	return list;
}

json_t *programmes_all(struct db *db)
{
	return collect(db, db_prep(db, PROGRAMME_COLUMNS " ORDER BY year DESC, id DESC"));
}

static json_t *first(json_t *list)
{
	json_t *p = json_array_size(list) ? json_incref(json_array_get(list, 0)) : NULL;
	json_decref(list);
	return p;
}

json_t *programmes_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, PROGRAMME_COLUMNS " WHERE id = ?");
	db_bind_int(st, 1, id);
	return first(collect(db, st));
}

json_t *programmes_current(struct db *db)
{
	return first(collect(db, db_prep(db, PROGRAMME_COLUMNS " ORDER BY year DESC, id DESC LIMIT 1")));
}

/* ---- Loading a definition ---- */

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool valid_date(const char *s)
{
	int32_t d;
	return s && date_parse(s, &d);
}

static int load_phases(struct db *db, int64_t pid, json_t *arr, char *err, size_t errlen)
{
	size_t i;
	json_t *ph;
	json_array_foreach(arr, i, ph) {
		const char *key = jstr(ph, "key"), *name = jstr(ph, "name");
		const char *start = jstr(ph, "start"), *end = jstr(ph, "end");
		if (!key || !name || !valid_date(start) || !valid_date(end) || strcmp(start, end) > 0) {
			snprintf(err, errlen, "阶段 %zu 定义无效（需要 key、name、start<=end）", i + 1);
			return -1;
		}
		struct db_stmt *st = db_prep(db,
			"INSERT INTO programme_phases (programme_id, seq, key, name, start_date, end_date) "
			"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (programme_id, key) DO UPDATE SET "
			"seq = excluded.seq, name = excluded.name, start_date = excluded.start_date, "
			"end_date = excluded.end_date");
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, key);
		db_bind_text(st, 4, name);
		db_bind_text(st, 5, start);
		db_bind_text(st, 6, end);
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE) {
			snprintf(err, errlen, "保存阶段失败：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int load_deadlines(struct db *db, int64_t pid, json_t *arr, char *err, size_t errlen)
{
	size_t i;
	json_t *dl;
	json_array_foreach(arr, i, dl) {
		const char *key = jstr(dl, "key"), *name = jstr(dl, "name"), *due = jstr(dl, "due");
		const char *aud = jstr(dl, "audience"), *desc = jstr(dl, "description");
		if (!key || !name || !valid_date(due) || !aud) {
			snprintf(err, errlen, "报送事项 %zu 定义无效（需要 key、name、due、audience）", i + 1);
			return -1;
		}
		struct db_stmt *st = db_prep(db,
			"INSERT INTO programme_deadlines (programme_id, seq, key, name, due_date, audience, "
			"description) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (programme_id, key) DO UPDATE SET "
			"seq = excluded.seq, name = excluded.name, due_date = excluded.due_date, "
			"audience = excluded.audience, description = excluded.description");
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, key);
		db_bind_text(st, 4, name);
		db_bind_text(st, 5, due);
		db_bind_text(st, 6, aud);
		db_bind_text(st, 7, desc ? desc : "");
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE) {
			snprintf(err, errlen, "保存报送事项失败：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int load_industries(struct db *db, int64_t pid, json_t *arr, char *err, size_t errlen)
{
	size_t i;
	json_t *in;
	json_array_foreach(arr, i, in) {
		const char *name = jstr(in, "name"), *cat = jstr(in, "category");
		if (!name || !*name) {
			snprintf(err, errlen, "行业 %zu 缺少名称", i + 1);
			return -1;
		}
		struct db_stmt *st = db_prep(db,
			"INSERT INTO industries (programme_id, seq, name, category) VALUES (?, ?, ?, ?) "
			"ON CONFLICT (programme_id, name) DO UPDATE SET seq = excluded.seq, "
			"category = excluded.category");
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, name);
		db_bind_text(st, 4, cat ? cat : "");
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE) {
			snprintf(err, errlen, "保存行业失败：%s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

int64_t programmes_upsert(struct db *db, json_t *def, char *err, size_t errlen)
{
	const char *code = jstr(def, "code"), *name = jstr(def, "name"), *region = jstr(def, "region");
	json_t *year = json_object_get(def, "year"), *quotas = json_object_get(def, "quotas");
	json_t *phases = json_object_get(def, "phases"), *deadlines = json_object_get(def, "deadlines");
	json_t *industries = json_object_get(def, "industries");
	if (!code || !name || !region || !json_is_integer(year) || !json_is_object(quotas) ||
	    !json_is_array(phases) || !json_is_array(deadlines) || !json_is_array(industries)) {
		snprintf(err, errlen, "项目定义缺少 code/name/region/year/quotas/phases/deadlines/industries");
		return -1;
	}
	/* Checked here so a programme never holds targets the evaluation would refuse. */
	struct eval_targets targets;
	if (eval_targets_parse(json_object_get(quotas, "evaluation_targets"), &targets, err, errlen))
		return -1;
	char *q = json_dumps(quotas, JSON_COMPACT);
	const char *notice = jstr(def, "notice"), *source = jstr(def, "source");
	json_t *late = json_object_get(def, "allow_late");
	struct db_stmt *st = db_prep(db,
		"INSERT INTO programmes (code, name, region, year, notice, source, allow_late, quotas, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
		"region = excluded.region, year = excluded.year, notice = excluded.notice, "
		"source = excluded.source, allow_late = excluded.allow_late, quotas = excluded.quotas "
		"RETURNING id");
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, region);
	db_bind_int(st, 4, json_integer_value(year));
	db_bind_text(st, 5, notice ? notice : "");
	db_bind_text(st, 6, source ? source : "");
	db_bind_int(st, 7, late ? json_is_true(late) : 1);
	db_bind_text(st, 8, q);
	db_bind_int(st, 9, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	free(q);
	if (id < 0) {
		snprintf(err, errlen, "保存项目失败：%s", db_errmsg(db));
		return -1;
	}
	if (load_phases(db, id, phases, err, errlen) || load_deadlines(db, id, deadlines, err, errlen) ||
	    load_industries(db, id, industries, err, errlen))
		return -1;
	return id;
}

/* ======================== Units ======================== */

static const char *unit_kind_label(const char *kind)
{
	if (!strcmp(kind, "city"))
		return "市局";
	if (!strcmp(kind, "district"))
		return "区市场监管局";
	if (!strcmp(kind, "cb"))
		return "认证机构";
	return kind;
}

static json_t *read_unit(struct db_stmt *st)
{
	const char *kind = db_col_text(st, 1);
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:b}",
		"id", (json_int_t)db_col_int(st, 0), "kind", kind, "kind_name", unit_kind_label(kind),
		"name", db_col_text(st, 2), "short_name", db_col_text(st, 3),
		"district", db_col_json_text(st, 4), "region_code", db_col_json_text(st, 5),
		"cnca_code", db_col_json_text(st, 6), "active", (int)db_col_int(st, 7));
}

#define UNIT_COLUMNS "SELECT id, kind, name, short_name, district, region_code, cnca_code, active FROM units"

static void unit_where(struct sqlbuild *q, const struct unit_filter *f)
{
	if (f->kind)
		sqlb_where_text(q, "kind = ?", f->kind);
	if (f->q)
		sqlb_where_like(q, "(name LIKE ? ESCAPE '\\' OR district LIKE ? ESCAPE '\\')", f->q);
}

json_t *units_list(struct db *db, const struct unit_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM units");
	unit_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, UNIT_COLUMNS);
	unit_where(&q, f);
	/* City first, then districts in code order, then certification bodies. */
	sqlb_tail(&q, " ORDER BY CASE kind WHEN 'city' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, "
		      "COALESCE(region_code, '999999'), id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_unit(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

json_t *units_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, UNIT_COLUMNS " WHERE id = ?");
	db_bind_int(st, 1, id);
	json_t *u = db_step(st) == DB_ROW ? read_unit(st) : NULL;
	db_done(st);
	return u;
}

int64_t units_upsert(struct db *db, const char *kind, const char *name, const char *short_name,
		     const char *district, const char *region_code, const char *cnca_code)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO units (kind, name, short_name, district, region_code, cnca_code, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
		"short_name = excluded.short_name, district = excluded.district, "
		"region_code = excluded.region_code, cnca_code = excluded.cnca_code RETURNING id");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, short_name ? short_name : "");
	db_bind_text(st, 4, district);
	db_bind_text(st, 5, region_code);
	db_bind_text(st, 6, cnca_code);
	db_bind_int(st, 7, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int64_t units_id_by_name(struct db *db, const char *name)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM units WHERE name = ?");
	db_bind_text(st, 1, name);
	return db_scalar_int(st, 0);
}

int units_kind(struct db *db, int64_t id, char *out, size_t outsz)
{
	struct db_stmt *st = db_prep(db, "SELECT kind FROM units WHERE id = ?");
	db_bind_int(st, 1, id);
	int found = db_step(st) == DB_ROW;
	if (found)
		snprintf(out, outsz, "%s", db_col_text(st, 0));
	db_done(st);
	return found;
}

/* ======================== Enterprises ======================== */

int64_t enterprises_upsert(struct db *db, const char *name, const char *uscc,
			   int64_t district_unit_id, const char *industry)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO enterprises (name, uscc, district_unit_id, industry, created_at) "
		"VALUES (?, ?, ?, ?, ?) ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, "
		"district_unit_id = excluded.district_unit_id, industry = excluded.industry RETURNING id");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, uscc);
	db_bind_int(st, 3, district_unit_id);
	db_bind_text(st, 4, industry ? industry : "");
	db_bind_int(st, 5, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int64_t enterprises_id_by_uscc(struct db *db, const char *uscc)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM enterprises WHERE uscc = ?");
	db_bind_text(st, 1, uscc);
	return db_scalar_int(st, 0);
}

int enterprises_exists(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM enterprises WHERE id = ?");
	db_bind_int(st, 1, id);
	return db_scalar_int(st, 0) > 0;
}
