/*
 * enterprises.c - see enterprises.h.
 */
#include "enterprises.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static json_t *num_or_null(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_real(db_col_double(st, col));
}

#define ENT_COLUMNS \
	"SELECT e.id, e.name, e.uscc, e.address, e.district_unit_id, d.district, e.industry, e.park, " \
	"e.sector, e.employees, e.revenue, e.total_assets, e.size_class, e.contact_name, " \
	"e.contact_phone, e.consent, e.region_warning, e.created_at, e.updated_at, " \
	"a.cb_unit_id, cb.name, a.assigned_at, a.id " \
	"FROM enterprises e JOIN units d ON d.id = e.district_unit_id " \
	"LEFT JOIN assignments a ON a.enterprise_id = e.id AND a.programme_id = ? " \
	"LEFT JOIN units cb ON cb.id = a.cb_unit_id"

static json_t *read_ent(struct db_stmt *st)
{
	json_t *assignment = json_null();
	if (!db_col_null(st, 19))
		assignment = json_pack("{s:I,s:{s:I,s:s},s:o}", "id", (json_int_t)db_col_int(st, 22), "cb",
				       "id", (json_int_t)db_col_int(st, 19), "name", db_col_text(st, 20),
				       "assigned_at", db_col_json_time(st, 21));
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "uscc", db_col_text(st, 2),
		"address", db_col_text(st, 3), "district_unit_id", (json_int_t)db_col_int(st, 4),
		"district", db_col_text(st, 5), "industry", db_col_text(st, 6), "park", db_col_text(st, 7),
		"sector", db_col_text(st, 8),
		"employees", db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
		"revenue", num_or_null(st, 10), "total_assets", num_or_null(st, 11),
		"size_class", db_col_text(st, 12), "contact_name", db_col_text(st, 13),
		"contact_phone", db_col_text(st, 14), "consent", (int)db_col_int(st, 15),
		"region_warning", db_col_null(st, 16) ? json_null() : json_string(db_col_text(st, 16)),
		"created_at", db_col_json_time(st, 17), "updated_at", db_col_json_time(st, 18),
		"assignment", assignment);
}

int ent_scope(struct db *db, int64_t programme_id, int64_t id, int64_t *district_unit_id,
	      int64_t *cb_unit_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT e.district_unit_id, a.cb_unit_id FROM enterprises e LEFT JOIN assignments a "
		"ON a.enterprise_id = e.id AND a.programme_id = ? WHERE e.id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*district_unit_id = db_col_int(st, 0);
		*cb_unit_id = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

json_t *ent_get(struct db *db, int64_t programme_id, int64_t id)
{
	struct db_stmt *st = db_prep(db, ENT_COLUMNS " WHERE e.id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, id);
	json_t *e = db_step(st) == DB_ROW ? read_ent(st) : NULL;
	db_done(st);
	return e;
}

static void ent_where(struct sqlbuild *q, const struct ent_filter *f)
{
	if (f->district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", f->district_unit_id);
	if (f->cb_unit_id)
		sqlb_where_int(q, "a.cb_unit_id = ?", f->cb_unit_id);
	if (f->enterprise_id)
		sqlb_where_int(q, "e.id = ?", f->enterprise_id);
	if (f->industry)
		sqlb_where_text(q, "e.industry = ?", f->industry);
	if (f->size_class)
		sqlb_where_text(q, "e.size_class = ?", f->size_class);
	if (f->park)
		sqlb_where_like(q, "e.park LIKE ? ESCAPE '\\'", f->park);
	if (f->q)
		sqlb_where_like(q, "(e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", f->q);
	if (f->assigned == 1)
		sqlb_where(q, "a.id IS NOT NULL");
	else if (f->assigned == 0)
		sqlb_where(q, "a.id IS NULL");
}

json_t *ent_list(struct db *db, const struct ent_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM enterprises e LEFT JOIN assignments a "
		      "ON a.enterprise_id = e.id AND a.programme_id = ?");
	sqlb_param_int(&q, f->programme_id);
	ent_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, ENT_COLUMNS);
	sqlb_param_int(&q, f->programme_id);
	ent_where(&q, f);
	sqlb_tail(&q, " ORDER BY e.id LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_ent(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

int64_t ent_id_by_uscc(struct db *db, const char *uscc)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM enterprises WHERE uscc = ?");
	db_bind_text(st, 1, uscc);
	return db_scalar_int(st, 0);
}

/* Bind the registry fields at b+1..b+16 (the order of the INSERT and UPDATE below). */
static void bind_fields_at(struct db_stmt *st, int b, const struct ent_fields *e, int64_t now)
{
	db_bind_text(st, b + 1, e->name);
	db_bind_text(st, b + 2, e->uscc);
	db_bind_text(st, b + 3, e->address);
	db_bind_int(st, b + 4, e->district_unit_id);
	db_bind_text(st, b + 5, e->industry);
	db_bind_text(st, b + 6, e->park);
	db_bind_text(st, b + 7, e->sector);
	if (e->employees >= 0)
		db_bind_int(st, b + 8, e->employees);
	else
		db_bind_null(st, b + 8);
	if (e->revenue >= 0)
		db_bind_double(st, b + 9, e->revenue);
	else
		db_bind_null(st, b + 9);
	if (e->total_assets >= 0)
		db_bind_double(st, b + 10, e->total_assets);
	else
		db_bind_null(st, b + 10);
	db_bind_text(st, b + 11, e->size_class);
	db_bind_text(st, b + 12, e->contact_name);
	db_bind_text(st, b + 13, e->contact_phone);
	db_bind_int(st, b + 14, e->consent);
	db_bind_text(st, b + 15, e->region_warning[0] ? e->region_warning : NULL);
	db_bind_int(st, b + 16, now);
}

static void bind_fields(struct db_stmt *st, const struct ent_fields *e)
{
	bind_fields_at(st, 0, e, now_business());
}

/*
 * Many rows in one statement (a round trip per chunk, not per row). Chunks are
 * powers of two up to ENT_BATCH rows, so a connection caches at most a few
 * statement shapes. RETURNING gives the new rows' (id, uscc); a row whose USCC
 * was registered before, or earlier in the same call, comes back with id 0, as
 * ent_insert() would have said row by row.
 */
#define ENT_COLS 17

static int insert_chunk(struct db *db, const struct ent_fields *e, int n, int64_t *ids, int64_t now)
{
	struct sbuf sql = {0};
	sbuf_adds(&sql, "INSERT INTO enterprises (name, uscc, address, district_unit_id, industry, park, sector, "
		  "employees, revenue, total_assets, size_class, contact_name, contact_phone, consent, "
		  "region_warning, updated_at, created_at) VALUES ");
	for (int i = 0; i < n; i++)
		sbuf_adds(&sql, i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				  : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sbuf_adds(&sql, " ON CONFLICT (uscc) DO NOTHING RETURNING id, uscc");
	struct db_stmt *st = db_prep(db, sql.buf);
	sbuf_free(&sql);
	if (!st)
		return -1;
	for (int i = 0; i < n; i++) {
		bind_fields_at(st, i * ENT_COLS, &e[i], now);
		db_bind_int(st, i * ENT_COLS + 17, now);
		ids[i] = 0;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *uscc = db_col_text(st, 1);
		for (int i = 0; i < n; i++) {
			if (!ids[i] && !strcmp(e[i].uscc, uscc)) {
				ids[i] = db_col_int(st, 0);
				break;
			}
		}
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int ent_insert_many(struct db *db, const struct ent_fields *e, int n, int64_t *ids)
{
	int64_t now = now_business();
	for (int done = 0; done < n;) {
		int k = ENT_BATCH;
		while (k > n - done)
			k /= 2;
		if (insert_chunk(db, e + done, k, ids + done, now))
			return -1;
		done += k;
	}
	return 0;
}

/* A duplicate USCC returns no row (and, unlike a constraint error, leaves a
 * PostgreSQL transaction usable: imports go on with the next row). */
int64_t ent_insert(struct db *db, const struct ent_fields *e)
{
	int64_t id;
	return insert_chunk(db, e, 1, &id, now_business()) ? -1 : id;
}

int ent_update(struct db *db, int64_t id, const struct ent_fields *e)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE enterprises SET name = ?, uscc = ?, address = ?, district_unit_id = ?, industry = ?, "
		"park = ?, sector = ?, employees = ?, revenue = ?, total_assets = ?, size_class = ?, "
		"contact_name = ?, contact_phone = ?, consent = ?, region_warning = ?, updated_at = ? "
		"WHERE id = ?");
	bind_fields(st, e);
	db_bind_int(st, 17, id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

int ent_fields_get(struct db *db, int64_t id, struct ent_fields *e)
{
	memset(e, 0, sizeof(*e));
	struct db_stmt *st = db_prep(db,
		"SELECT name, uscc, address, district_unit_id, industry, park, sector, employees, revenue, "
		"total_assets, size_class, contact_name, contact_phone, consent, region_warning "
		"FROM enterprises WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(e->name, sizeof(e->name), "%s", db_col_text(st, 0));
		snprintf(e->uscc, sizeof(e->uscc), "%s", db_col_text(st, 1));
		snprintf(e->address, sizeof(e->address), "%s", db_col_text(st, 2));
		e->district_unit_id = db_col_int(st, 3);
		snprintf(e->industry, sizeof(e->industry), "%s", db_col_text(st, 4));
		snprintf(e->park, sizeof(e->park), "%s", db_col_text(st, 5));
		snprintf(e->sector, sizeof(e->sector), "%s", db_col_text(st, 6));
		e->employees = db_col_null(st, 7) ? -1 : db_col_int(st, 7);
		e->revenue = db_col_null(st, 8) ? -1 : db_col_double(st, 8);
		e->total_assets = db_col_null(st, 9) ? -1 : db_col_double(st, 9);
		snprintf(e->size_class, sizeof(e->size_class), "%s", db_col_text(st, 10));
		snprintf(e->contact_name, sizeof(e->contact_name), "%s", db_col_text(st, 11));
		snprintf(e->contact_phone, sizeof(e->contact_phone), "%s", db_col_text(st, 12));
		e->consent = db_col_int(st, 13) != 0;
		snprintf(e->region_warning, sizeof(e->region_warning), "%s", db_col_text(st, 14));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ======================== Indicators ======================== */

static json_t *read_indicators(struct db_stmt *st)
{
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o}",
		"period", db_col_text(st, 1), "first_pass_yield", num_or_null(st, 2),
		"defect_rate", num_or_null(st, 3),
		"complaints", db_col_null(st, 4) ? json_null() : json_integer(db_col_int(st, 4)),
		"satisfaction", num_or_null(st, 5), "quality_cost_rate", num_or_null(st, 6),
		"revenue", num_or_null(st, 7), "profit_margin", num_or_null(st, 8),
		"updated_by", db_col_text(st, 9), "updated_at", db_col_json_time(st, 10));
}

json_t *ent_indicators_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT kind, period, first_pass_yield, defect_rate, complaints, satisfaction, "
		"quality_cost_rate, revenue, profit_margin, updated_by, updated_at "
		"FROM enterprise_indicators WHERE enterprise_id = ?");
	db_bind_int(st, 1, id);
	json_t *out = json_pack("{s:n,s:n}", "baseline", "followup");
	while (db_step(st) == DB_ROW)
		json_object_set_new(out, db_col_text(st, 0), read_indicators(st));
	db_done(st);
	return out;
}

static void bind_num(struct db_stmt *st, int idx, double v)
{
	if (v >= 0)
		db_bind_double(st, idx, v);
	else
		db_bind_null(st, idx);
}

int ent_indicators_put(struct db *db, int64_t id, const char *kind, const struct ent_indicators *v,
		       const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO enterprise_indicators (enterprise_id, kind, period, first_pass_yield, "
		"defect_rate, complaints, satisfaction, quality_cost_rate, revenue, profit_margin, "
		"updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (enterprise_id, kind) DO UPDATE SET period = excluded.period, "
		"first_pass_yield = excluded.first_pass_yield, defect_rate = excluded.defect_rate, "
		"complaints = excluded.complaints, satisfaction = excluded.satisfaction, "
		"quality_cost_rate = excluded.quality_cost_rate, revenue = excluded.revenue, "
		"profit_margin = excluded.profit_margin, updated_by = excluded.updated_by, "
		"updated_at = excluded.updated_at");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, v->period);
	bind_num(st, 4, v->first_pass_yield);
	bind_num(st, 5, v->defect_rate);
	if (v->complaints >= 0)
		db_bind_int(st, 6, v->complaints);
	else
		db_bind_null(st, 6);
	bind_num(st, 7, v->satisfaction);
	bind_num(st, 8, v->quality_cost_rate);
	bind_num(st, 9, v->revenue);
	/* A profit margin may be negative: "not given" is NaN here, never a number. */
	if (v->profit_margin == v->profit_margin)
		db_bind_double(st, 10, v->profit_margin);
	else
		db_bind_null(st, 10);
	db_bind_text(st, 11, username);
	db_bind_int(st, 12, now_business());
	return db_exec_stmt(st);
}

/* ======================== Assignments ======================== */

int64_t assignment_insert(struct db *db, int64_t programme_id, int64_t enterprise_id,
			  int64_t cb_unit_id, const char *industry, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO assignments (programme_id, enterprise_id, cb_unit_id, industry, assigned_by, "
		"assigned_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (programme_id, enterprise_id) DO UPDATE "
		"SET cb_unit_id = excluded.cb_unit_id, industry = excluded.industry, "
		"assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_int(st, 3, cb_unit_id);
	db_bind_text(st, 4, industry);
	db_bind_text(st, 5, username);
	db_bind_int(st, 6, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int assignment_delete(struct db *db, int64_t programme_id, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM assignments WHERE programme_id = ? AND enterprise_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	return db_exec_stmt(st);
}

bool selection_exists(struct db *db, int64_t programme_id, const char *industry, int64_t cb_unit_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT COUNT(*) FROM selections WHERE programme_id = ? AND industry = ? AND cb_unit_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, industry);
	db_bind_int(st, 3, cb_unit_id);
	return db_scalar_int(st, 0) > 0;
}

json_t *ent_counts(struct db *db, int64_t programme_id, int64_t district_unit_id)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT d.district, e.industry, COUNT(*), COUNT(a.id) FROM enterprises e "
		      "JOIN units d ON d.id = e.district_unit_id LEFT JOIN assignments a "
		      "ON a.enterprise_id = e.id AND a.programme_id = ?");
	sqlb_param_int(&q, programme_id);
	if (district_unit_id)
		sqlb_where_int(&q, "e.district_unit_id = ?", district_unit_id);
	sqlb_tail(&q, " GROUP BY d.district, e.industry, d.region_code ORDER BY d.region_code, e.industry");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:I}", "district", db_col_text(st, 0),
			"industry", db_col_text(st, 1), "enterprises", (json_int_t)db_col_int(st, 2),
			"assigned", (json_int_t)db_col_int(st, 3)));
	db_done(st);
	sqlb_free(&q);
	return items;
}

long ent_ledger(struct db *db, const struct ent_filter *f, ledger_row_fn each, void *ctx)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT e.name, e.uscc, d.district, e.industry, e.park, e.size_class, e.employees, "
		      "e.revenue, e.total_assets, e.contact_name, e.contact_phone, cb.name, b.period, "
		      "b.first_pass_yield, b.complaints, b.satisfaction, b.quality_cost_rate, b.profit_margin "
		      "FROM enterprises e JOIN units d ON d.id = e.district_unit_id "
		      "LEFT JOIN assignments a ON a.enterprise_id = e.id AND a.programme_id = ? "
		      "LEFT JOIN units cb ON cb.id = a.cb_unit_id "
		      "LEFT JOIN enterprise_indicators b ON b.enterprise_id = e.id AND b.kind = 'baseline'");
	sqlb_param_int(&q, f->programme_id);
	ent_where(&q, f);
	sqlb_tail(&q, " ORDER BY e.id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	long n = 0;
	int rc;
	char nums[LEDGER_COLS][32];
	const char *cols[LEDGER_COLS];
	while ((rc = db_step(st)) == DB_ROW) {
		for (int c = 0; c < LEDGER_COLS; c++) {
			cols[c] = db_col_null(st, c) ? NULL : db_col_text(st, c);
			/* Money and rates print with two decimals, counts as integers. */
			bool money = c == 7 || c == 8 || c == 13 || c >= 15;
			if (cols[c] && money) {
				snprintf(nums[c], sizeof(nums[c]), "%.2f", db_col_double(st, c));
				cols[c] = nums[c];
			}
		}
		each(cols, ctx);
		n++;
	}
	db_done(st);
	sqlb_free(&q);
	return rc == DB_DONE ? n : -1;
}

static const struct {
	const char *key, *label, *unit;
	int better; /* +1 higher is better, -1 lower is better */
} indicator_defs[] = {
	{"first_pass_yield", "一次交验合格率", "%", 1},
	{"defect_rate", "不良率", "%", -1},
	{"complaints", "顾客投诉", "次", -1},
	{"satisfaction", "顾客满意度", "%", 1},
	{"quality_cost_rate", "质量成本率", "%", -1},
	{"revenue", "营业收入", "万元", 1},
	{"profit_margin", "利润率", "%", 1},
};

json_t *ent_indicator_changes(struct db *db, int64_t id, bool skip_empty)
{
	json_t *ind = ent_indicators_get(db, id);
	json_t *base = json_object_get(ind, "baseline"), *fol = json_object_get(ind, "followup");
	json_t *out = json_array();
	for (size_t i = 0; i < ARRAY_SIZE(indicator_defs); i++) {
		json_t *b = json_object_get(base, indicator_defs[i].key), *f = json_object_get(fol, indicator_defs[i].key);
		if (skip_empty && !json_is_number(b) && !json_is_number(f))
			continue;
		json_t *change = json_null(), *better = json_null();
		if (json_is_number(b) && json_is_number(f)) {
			double d = json_number_value(f) - json_number_value(b);
			change = json_real(round(d * 100) / 100);
			better = d == 0 ? json_null() : json_boolean((d > 0) == (indicator_defs[i].better > 0));
		}
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:O,s:O,s:o,s:o}", "key", indicator_defs[i].key,
			"label", indicator_defs[i].label, "unit", indicator_defs[i].unit,
			"baseline", json_is_number(b) ? b : json_null(), "followup", json_is_number(f) ? f : json_null(),
			"change", change, "better", better));
	}
	json_decref(ind);
	return out;
}
