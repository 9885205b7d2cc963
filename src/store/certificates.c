/*
 * certificates.c - see certificates.h.
 */
#include "certificates.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_col_null(st, col) || !*db_col_text(st, col) ? json_null() : json_string(db_col_text(st, col));
}

int64_t cert_insert(struct db *db, const struct cert_rec *c, const char *username)
{
	int64_t now = now_business();
	struct db_stmt *st = db_prep(db,
		"INSERT INTO certificates (number, cb_unit_id, issuer_name, enterprise_id, prior, holder, uscc, "
		"address, sites, scope, standard, scheme, first_issue_date, issue_date, expiry_date, headcount, "
		"status, status_date, created_by, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ?) "
		"ON CONFLICT (issuer_name, number) DO NOTHING RETURNING id");
	db_bind_text(st, 1, c->number);
	if (c->cb_unit_id)
		db_bind_int(st, 2, c->cb_unit_id);
	db_bind_text(st, 3, c->issuer_name);
	if (c->enterprise_id)
		db_bind_int(st, 4, c->enterprise_id);
	db_bind_int(st, 5, c->prior);
	db_bind_text(st, 6, c->holder);
	db_bind_text(st, 7, c->uscc);
	db_bind_text(st, 8, c->address);
	db_bind_text(st, 9, c->sites);
	db_bind_text(st, 10, c->scope);
	db_bind_text(st, 11, c->standard);
	db_bind_text(st, 12, c->scheme);
	db_bind_text(st, 13, c->first_issue[0] ? c->first_issue : c->issue);
	db_bind_text(st, 14, c->issue);
	db_bind_text(st, 15, c->expiry);
	db_bind_int(st, 16, c->headcount);
	db_bind_text(st, 17, c->issue);
	db_bind_text(st, 18, username);
	db_bind_int(st, 19, now);
	db_bind_int(st, 20, now);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	if (id > 0) {
		st = db_prep(db, "INSERT INTO certificate_events (certificate_id, on_date, from_status, to_status, "
				 "reason, username, created_at) VALUES (?, ?, NULL, 'valid', ?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, c->issue);
		db_bind_text(st, 3, c->prior ? "登记参加行动前已持有的证书" : "颁发证书");
		db_bind_text(st, 4, username);
		db_bind_int(st, 5, now);
		if (db_exec_stmt(st))
			return -1;
	}
	return id;
}

#define CERT_COLUMNS \
	"SELECT c.id, c.number, c.cb_unit_id, c.issuer_name, c.enterprise_id, c.prior, c.holder, c.uscc, " \
	"c.address, c.sites, c.scope, c.standard, c.scheme, c.first_issue_date, c.issue_date, " \
	"c.expiry_date, c.headcount, c.status, c.status_date, c.status_reason, c.created_at, " \
	"c.updated_at, d.district, e.industry " \
	"FROM certificates c LEFT JOIN enterprises e ON e.id = c.enterprise_id " \
	"LEFT JOIN units d ON d.id = e.district_unit_id"

static json_t *read_cert(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:o,s:s,s:o,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o}",
		"id", (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1),
		"cb_unit_id", db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
		"issuer", db_col_text(st, 3),
		"enterprise_id", db_col_null(st, 4) ? json_null() : json_integer(db_col_int(st, 4)),
		"prior", (int)db_col_int(st, 5), "holder", db_col_text(st, 6), "uscc", db_col_text(st, 7),
		"address", db_col_text(st, 8), "sites", db_col_text(st, 9), "scope", db_col_text(st, 10),
		"standard", db_col_text(st, 11), "scheme", db_col_text(st, 12),
		"first_issue_date", db_col_text(st, 13), "issue_date", db_col_text(st, 14),
		"expiry_date", db_col_text(st, 15), "headcount", (json_int_t)db_col_int(st, 16),
		"stored_status", db_col_text(st, 17), "status_date", db_col_text(st, 18),
		"status_reason", db_col_text(st, 19), "created_at", db_col_json_time(st, 20),
		"updated_at", db_col_json_time(st, 21), "district", text_or_null(st, 22),
		"industry", text_or_null(st, 23));
}

json_t *cert_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, CERT_COLUMNS " WHERE c.id = ?");
	db_bind_int(st, 1, id);
	json_t *c = db_step(st) == DB_ROW ? read_cert(st) : NULL;
	db_done(st);
	return c;
}

static void cert_where(struct sqlbuild *q, const struct cert_filter *f)
{
	if (f->district_unit_id)
		sqlb_where_int(q, "e.district_unit_id = ?", f->district_unit_id);
	if (f->cb_unit_id)
		sqlb_where_int(q, "c.cb_unit_id = ?", f->cb_unit_id);
	if (f->enterprise_id)
		sqlb_where_int(q, "c.enterprise_id = ?", f->enterprise_id);
	if (f->industry)
		sqlb_where_text(q, "e.industry = ?", f->industry);
	if (f->prior >= 0)
		sqlb_where_int(q, "c.prior = ?", f->prior);
	if (f->q)
		sqlb_where_like(q, "(c.holder LIKE ? ESCAPE '\\' OR c.number LIKE ? ESCAPE '\\')", f->q);
	if (f->status) {
		/* The effective status: a valid or suspended certificate past expiry is expired. */
		if (!strcmp(f->status, "expired")) {
			sqlb_where(q, "(c.status = 'expired' OR (c.status IN ('valid', 'suspended') AND c.expiry_date < ?))");
			sqlb_param_text(q, f->today);
		} else if (!strcmp(f->status, "valid") || !strcmp(f->status, "suspended")) {
			sqlb_where_text(q, "c.status = ?", f->status);
			sqlb_where_text(q, "c.expiry_date >= ?", f->today);
		} else {
			sqlb_where_text(q, "c.status = ?", f->status);
		}
	}
}

json_t *cert_list(struct db *db, const struct cert_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM certificates c LEFT JOIN enterprises e ON e.id = c.enterprise_id");
	cert_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, CERT_COLUMNS);
	cert_where(&q, f);
	sqlb_tail(&q, " ORDER BY c.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_cert(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

int cert_scope(struct db *db, int64_t id, int64_t *district, int64_t *cb, int64_t *enterprise)
{
	struct db_stmt *st = db_prep(db,
		"SELECT e.district_unit_id, c.cb_unit_id, c.enterprise_id FROM certificates c "
		"LEFT JOIN enterprises e ON e.id = c.enterprise_id WHERE c.id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*district = db_col_int(st, 0);
		*cb = db_col_int(st, 1);
		*enterprise = db_col_int(st, 2);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int cert_state_get(struct db *db, int64_t id, struct cert_state *s)
{
	memset(s, 0, sizeof(*s));
	struct db_stmt *st = db_prep(db,
		"SELECT status, status_date, issue_date, expiry_date FROM certificates WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(s->status, sizeof(s->status), "%s", db_col_text(st, 0));
		snprintf(s->status_date, sizeof(s->status_date), "%s", db_col_text(st, 1));
		snprintf(s->issue, sizeof(s->issue), "%s", db_col_text(st, 2));
		snprintf(s->expiry, sizeof(s->expiry), "%s", db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int cert_set_status(struct db *db, int64_t id, const char *from, const char *to, const char *on_date,
		    const char *reason, const char *username)
{
	int64_t now = now_business();
	/* Only from the status the caller checked: a concurrent change makes this a no-op. */
	struct db_stmt *st = db_prep(db,
		"UPDATE certificates SET status = ?, status_date = ?, status_reason = ?, updated_at = ? "
		"WHERE id = ? AND status = ? RETURNING id");
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, on_date);
	db_bind_text(st, 3, reason);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, id);
	db_bind_text(st, 6, from);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	st = db_prep(db, "INSERT INTO certificate_events (certificate_id, on_date, from_status, to_status, "
			 "reason, username, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, on_date);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, reason);
	db_bind_text(st, 6, username);
	db_bind_int(st, 7, now);
	return db_exec_stmt(st);
}

json_t *cert_events(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT on_date, from_status, to_status, reason, username, created_at FROM certificate_events "
		"WHERE certificate_id = ? ORDER BY id");
	db_bind_int(st, 1, id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:o,s:s,s:s,s:s,s:o}", "date", db_col_text(st, 0),
			"from", text_or_null(st, 1), "to", db_col_text(st, 2), "reason", db_col_text(st, 3),
			"username", db_col_text(st, 4), "at", db_col_json_time(st, 5)));
	db_done(st);
	return items;
}

int cert_expire_due(struct db *db, const char *today, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id, status, expiry_date FROM certificates WHERE status IN ('valid', 'suspended') "
		"AND expiry_date < ? ORDER BY id LIMIT 1000");
	db_bind_text(st, 1, today);
	int64_t ids[1000];
	char from[1000][16], on[1000][11];
	int n = 0;
	while (db_step(st) == DB_ROW && n < 1000) {
		ids[n] = db_col_int(st, 0);
		snprintf(from[n], sizeof(from[n]), "%s", db_col_text(st, 1));
		snprintf(on[n], sizeof(on[n]), "%s", db_col_text(st, 2));
		n++;
	}
	db_done(st);
	for (int i = 0; i < n; i++)
		if (cert_set_status(db, ids[i], from[i], "expired", on[i], "有效期届满，证书自动过期", username) < 0)
			return -1;
	return n;
}

int64_t surv_insert(struct db *db, int64_t cert_id, const char *date, const char *result,
		    const char *notes, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO surveillances (certificate_id, audit_date, result, notes, created_by, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, cert_id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, result);
	db_bind_text(st, 4, notes);
	db_bind_text(st, 5, username);
	db_bind_int(st, 6, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

json_t *surv_list(struct db *db, int64_t cert_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT id, audit_date, result, notes, created_by, created_at FROM surveillances "
		"WHERE certificate_id = ? ORDER BY audit_date, id");
	db_bind_int(st, 1, cert_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:o}", "id",
			(json_int_t)db_col_int(st, 0), "audit_date", db_col_text(st, 1), "result",
			db_col_text(st, 2), "notes", db_col_text(st, 3), "created_by", db_col_text(st, 4),
			"created_at", db_col_json_time(st, 5)));
	db_done(st);
	return items;
}

int surv_dates(struct db *db, int64_t cert_id, const char *since, char dates[][11], int max)
{
	struct db_stmt *st = db_prep(db,
		"SELECT audit_date FROM surveillances WHERE certificate_id = ? AND audit_date >= ? "
		"AND result <> 'fail' ORDER BY audit_date");
	db_bind_int(st, 1, cert_id);
	db_bind_text(st, 2, since);
	int n = 0;
	while (db_step(st) == DB_ROW && n < max)
		snprintf(dates[n++], 11, "%s", db_col_text(st, 0));
	db_done(st);
	return n;
}

json_t *cert_public(struct db *db, const char *number)
{
	struct db_stmt *st = db_prep(db,
		"SELECT number, holder, uscc, scope, standard, scheme, first_issue_date, issue_date, "
		"expiry_date, status, status_date, issuer_name, headcount FROM certificates WHERE number = ? "
		"ORDER BY id");
	db_bind_text(st, 1, number);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}",
			"number", db_col_text(st, 0), "holder", db_col_text(st, 1), "uscc", db_col_text(st, 2),
			"scope", db_col_text(st, 3), "standard", db_col_text(st, 4), "scheme", db_col_text(st, 5),
			"first_issue_date", db_col_text(st, 6), "issue_date", db_col_text(st, 7),
			"expiry_date", db_col_text(st, 8), "stored_status", db_col_text(st, 9),
			"status_date", db_col_text(st, 10), "issuer", db_col_text(st, 11),
			"headcount", (json_int_t)db_col_int(st, 12)));
	db_done(st);
	return items;
}

json_t *cert_stats(struct db *db, int64_t programme_id, const char *today)
{
	struct db_stmt *st = db_prep(db,
		"SELECT d.district, e.industry, "
		"COUNT(DISTINCT CASE WHEN c.prior = 0 THEN e.id END), "
		"COUNT(DISTINCT CASE WHEN c.prior = 1 THEN e.id END), "
		"COUNT(DISTINCT a.enterprise_id) "
		"FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id "
		"JOIN units d ON d.id = e.district_unit_id "
		"LEFT JOIN certificates c ON c.enterprise_id = e.id AND c.status IN ('valid', 'suspended') "
		"AND c.expiry_date >= ? "
		"WHERE a.programme_id = ? GROUP BY d.district, e.industry, d.region_code "
		"ORDER BY d.region_code, e.industry");
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, programme_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:I,s:I}", "district", db_col_text(st, 0),
			"industry", db_col_text(st, 1), "newly_certified", (json_int_t)db_col_int(st, 2),
			"already_certified", (json_int_t)db_col_int(st, 3),
			"pilot_enterprises", (json_int_t)db_col_int(st, 4)));
	db_done(st);
	return items;
}

json_t *cert_audit_get(struct db *db, int64_t programme_id, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT stage1_date, stage2_date, team, nc_found, nc_closed, decision, decision_date, notes, "
		"updated_by, updated_at, cb_unit_id FROM cert_audits WHERE programme_id = ? AND enterprise_id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	json_t *a = NULL;
	if (db_step(st) == DB_ROW)
		a = json_pack("{s:o,s:o,s:s,s:I,s:I,s:s,s:o,s:s,s:s,s:o,s:I}", "stage1_date", text_or_null(st, 0),
			"stage2_date", text_or_null(st, 1), "team", db_col_text(st, 2),
			"nc_found", (json_int_t)db_col_int(st, 3), "nc_closed", (json_int_t)db_col_int(st, 4),
			"decision", db_col_text(st, 5), "decision_date", text_or_null(st, 6),
			"notes", db_col_text(st, 7), "updated_by", db_col_text(st, 8),
			"updated_at", db_col_json_time(st, 9), "cb_unit_id", (json_int_t)db_col_int(st, 10));
	db_done(st);
	return a;
}

int cert_audit_put(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		   const struct cert_audit *a, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO cert_audits (programme_id, enterprise_id, cb_unit_id, stage1_date, stage2_date, team, "
		"nc_found, nc_closed, decision, decision_date, notes, updated_by, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (programme_id, enterprise_id) DO UPDATE SET "
		"cb_unit_id = excluded.cb_unit_id, stage1_date = excluded.stage1_date, "
		"stage2_date = excluded.stage2_date, team = excluded.team, nc_found = excluded.nc_found, "
		"nc_closed = excluded.nc_closed, decision = excluded.decision, "
		"decision_date = excluded.decision_date, notes = excluded.notes, "
		"updated_by = excluded.updated_by, updated_at = excluded.updated_at");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_int(st, 3, cb_unit_id);
	db_bind_text(st, 4, a->stage1[0] ? a->stage1 : NULL);
	db_bind_text(st, 5, a->stage2[0] ? a->stage2 : NULL);
	db_bind_text(st, 6, a->team);
	db_bind_int(st, 7, a->nc_found);
	db_bind_int(st, 8, a->nc_closed);
	db_bind_text(st, 9, a->decision);
	db_bind_text(st, 10, a->decision_date[0] ? a->decision_date : NULL);
	db_bind_text(st, 11, a->notes);
	db_bind_text(st, 12, username);
	db_bind_int(st, 13, now_business());
	return db_exec_stmt(st);
}

int cert_issued_count(struct db *db, int64_t enterprise_id, int64_t cb_unit_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT COUNT(*) FROM certificates WHERE enterprise_id = ? AND cb_unit_id = ? AND prior = 0");
	db_bind_int(st, 1, enterprise_id);
	db_bind_int(st, 2, cb_unit_id);
	return (int)db_scalar_int(st, 0);
}
