/*
 * deadlines.c - see deadlines.h.
 */
#include "deadlines.h"
#include "db.h"
#include "sqlbuild.h"
#include "../core/calendar.h"
#include "../util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dl_unit *unit_by_id(struct dl_facts *f, int64_t id)
{
	int lo = 0, hi = f->n_units - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (f->units[mid].id == id)
			return &f->units[mid];
		if (f->units[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int dl_find(const struct dl_facts *f, const char *key)
{
	for (int i = 0; i < f->n_deadlines; i++)
		if (!strcmp(f->d[i].key, key))
			return i;
	return -1;
}

/* Record a first-submission time (UNIX seconds) for unit × deadline key. */
static void mark_done(struct dl_facts *f, int64_t unit_id, const char *key, int64_t at)
{
	struct dl_unit *u = unit_by_id(f, unit_id);
	int k = dl_find(f, key);
	if (u && k >= 0 && at > 0)
		u->done[k] = date_today_shanghai(at);
}

int dl_facts_load(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, struct dl_facts *f)
{
	memset(f, 0, sizeof(*f));
	struct db_stmt *st = db_prep(db,
		"SELECT key, name, due_date, audience FROM programme_deadlines WHERE programme_id = ? ORDER BY seq");
	db_bind_int(st, 1, programme_id);
	while (db_step(st) == DB_ROW && f->n_deadlines < DL_MAX_DEADLINES) {
		struct dl_deadline *d = &f->d[f->n_deadlines];
		if (!date_parse(db_col_text(st, 2), &d->due))
			continue;
		snprintf(d->key, sizeof(d->key), "%s", db_col_text(st, 0));
		snprintf(d->name, sizeof(d->name), "%s", db_col_text(st, 1));
		d->audience = dl_audience_parse(db_col_text(st, 3));
		f->n_deadlines++;
	}
	db_done(st);

	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM units");
	sqlb_where(&q, "kind IN ('district', 'cb') AND active = 1");
	if (unit_id)
		sqlb_where_int(&q, "id = ?", unit_id);
	if (kind)
		sqlb_where_text(&q, "kind = ?", kind);
	int64_t n = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	f->units = xcalloc((size_t)n + 1, sizeof(*f->units));
	sqlb_init(&q, "SELECT id, name, kind FROM units");
	sqlb_where(&q, "kind IN ('district', 'cb') AND active = 1");
	if (unit_id)
		sqlb_where_int(&q, "id = ?", unit_id);
	if (kind)
		sqlb_where_text(&q, "kind = ?", kind);
	sqlb_tail(&q, " ORDER BY id");
	st = sqlb_prepare(&q, db);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && f->n_units < n) {
		struct dl_unit *u = &f->units[f->n_units++];
		u->id = db_col_int(st, 0);
		snprintf(u->name, sizeof(u->name), "%s", db_col_text(st, 1));
		u->is_district = !strcmp(db_col_text(st, 2), "district");
	}
	db_done(st);
	sqlb_free(&q);
	if (rc == DB_ERROR)
		return -1;

	/* Declarations: pilot status (declared 是 and submitted at least once) and the first submission. */
	st = db_prep(db,
		"SELECT d.unit_id, d.joins_pilot, d.version, CASE WHEN d.status IN ('submitted', 'accepted') THEN "
		"(SELECT MIN(v.submitted_at) FROM declaration_versions v WHERE v.declaration_id = d.id) END "
		"FROM declarations d WHERE d.programme_id = ?");
	db_bind_int(st, 1, programme_id);
	while (db_step(st) == DB_ROW) {
		struct dl_unit *u = unit_by_id(f, db_col_int(st, 0));
		if (!u)
			continue;
		u->pilot = db_col_int(st, 1) == 1 && db_col_int(st, 2) > 0;
		mark_done(f, u->id, "declaration", db_col_int(st, 3));
	}
	db_done(st);

	st = db_prep(db,
		"SELECT w.unit_id, MIN(v.submitted_at) FROM workplans w JOIN workplan_versions v ON v.workplan_id = w.id "
		"WHERE w.programme_id = ? AND w.status IN ('submitted', 'approved') GROUP BY w.unit_id");
	db_bind_int(st, 1, programme_id);
	while (db_step(st) == DB_ROW)
		mark_done(f, db_col_int(st, 0), "workplan", db_col_int(st, 1));
	db_done(st);

	st = db_prep(db,
		"SELECT r.unit_id, r.kind, MIN(v.submitted_at) FROM reports r JOIN report_versions v ON v.report_id = r.id "
		"WHERE r.programme_id = ? AND r.status IN ('submitted', 'accepted') GROUP BY r.unit_id, r.kind");
	db_bind_int(st, 1, programme_id);
	while (db_step(st) == DB_ROW)
		mark_done(f, db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2));
	db_done(st);
	return 0;
}

void dl_facts_free(struct dl_facts *f)
{
	free(f->units);
	f->units = NULL;
	f->n_units = 0;
}

int dl_actions_load(struct db *db, int64_t district_unit_id, int64_t cb_unit_id, int64_t enterprise_id,
		    const char *today, const char *week, struct dl_actions *out)
{
	memset(out, 0, sizeof(*out));
	struct sqlbuild q;
	sqlb_init(&q, "SELECT SUM(CASE WHEN a.due_date < ? THEN 1 ELSE 0 END), "
		      "SUM(CASE WHEN a.due_date >= ? AND a.due_date <= ? THEN 1 ELSE 0 END), "
		      "MIN(CASE WHEN a.due_date >= ? THEN a.due_date END) "
		      "FROM actions a JOIN enterprises e ON e.id = a.enterprise_id");
	sqlb_param_text(&q, today);
	sqlb_param_text(&q, today);
	sqlb_param_text(&q, week);
	sqlb_param_text(&q, today);
	sqlb_where(&q, "a.status IN ('open', 'in_progress')");
	if (district_unit_id)
		sqlb_where_int(&q, "e.district_unit_id = ?", district_unit_id);
	if (cb_unit_id)
		sqlb_where_int(&q, "EXISTS (SELECT 1 FROM assignments s WHERE s.enterprise_id = a.enterprise_id "
				   "AND s.programme_id = a.programme_id AND s.cb_unit_id = ?)", cb_unit_id);
	if (enterprise_id)
		sqlb_where_int(&q, "a.enterprise_id = ?", enterprise_id);
	struct db_stmt *st = sqlb_prepare(&q, db);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->overdue = db_col_int(st, 0);
		out->due_week = db_col_int(st, 1);
		snprintf(out->next_due, sizeof(out->next_due), "%s", db_col_text(st, 2));
	}
	db_done(st);
	sqlb_free(&q);
	return rc == DB_ROW ? 0 : -1;
}

int reminder_recipients_get(struct db *db, int64_t unit_id, char *emails, size_t n, bool *enabled)
{
	struct db_stmt *st = db_prep(db, "SELECT emails, enabled FROM reminder_recipients WHERE unit_id = ?");
	db_bind_int(st, 1, unit_id);
	int rc = db_step(st);
	emails[0] = '\0';
	*enabled = true;
	if (rc == DB_ROW) {
		snprintf(emails, n, "%s", db_col_text(st, 0));
		*enabled = db_col_int(st, 1) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int reminder_recipients_put(struct db *db, int64_t unit_id, const char *emails, bool enabled, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO reminder_recipients (unit_id, emails, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) "
		"ON CONFLICT (unit_id) DO UPDATE SET emails = excluded.emails, enabled = excluded.enabled, "
		"updated_by = excluded.updated_by, updated_at = excluded.updated_at");
	db_bind_int(st, 1, unit_id);
	db_bind_text(st, 2, emails);
	db_bind_int(st, 3, enabled);
	db_bind_text(st, 4, username);
	db_bind_int(st, 5, now_business());
	return db_exec_stmt(st);
}

int reminder_claim(struct db *db, int64_t programme_id, int64_t unit_id, const char *key, const char *due,
		   int offset, const char *recipient, const char *subject, int64_t *id)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO reminders (programme_id, unit_id, deadline_key, due_date, offset_days, recipient, status, "
		"attempts, subject, created_at) VALUES (?, ?, ?, ?, ?, ?, 'sending', 1, ?, ?) "
		"ON CONFLICT (programme_id, unit_id, deadline_key, offset_days, recipient) DO NOTHING RETURNING id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, due);
	db_bind_int(st, 5, offset);
	db_bind_text(st, 6, recipient);
	db_bind_text(st, 7, subject);
	db_bind_int(st, 8, now_business());
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int reminder_done(struct db *db, int64_t id, bool ok, const char *error, int64_t next_try_at)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE reminders SET status = ?, last_error = ?, sent_at = ?, next_try_at = ? WHERE id = ?");
	db_bind_text(st, 1, ok ? "sent" : "failed");
	db_bind_text(st, 2, ok ? "" : error);
	if (ok)
		db_bind_int(st, 3, now_business());
	else
		db_bind_null(st, 3);
	if (ok)
		db_bind_null(st, 4);
	else
		db_bind_int(st, 4, next_try_at);
	db_bind_int(st, 5, id);
	return db_exec_stmt(st);
}

int reminder_retry_claim(struct db *db, int64_t now, int max_attempts, int64_t *ids, int max)
{
	int n = 0;
	struct db_stmt *st = db_prep(db,
		"SELECT id FROM reminders WHERE status = 'failed' AND attempts < ? AND next_try_at <= ? ORDER BY id LIMIT ?");
	db_bind_int(st, 1, max_attempts);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, max);
	int64_t cand[256];
	int nc = 0;
	while (db_step(st) == DB_ROW && nc < 256 && nc < max)
		cand[nc++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < nc; i++) {
		/* Claim: only one server moves a failed row to 'sending'. */
		st = db_prep(db, "UPDATE reminders SET status = 'sending', attempts = attempts + 1 "
				 "WHERE id = ? AND status = 'failed' RETURNING id");
		db_bind_int(st, 1, cand[i]);
		if (db_step(st) == DB_ROW)
			ids[n++] = cand[i];
		db_done(st);
	}
	return n;
}

int reminder_get(struct db *db, int64_t id, struct reminder_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prep(db,
		"SELECT id, unit_id, deadline_key, due_date, offset_days, recipient, subject FROM reminders WHERE id = ?");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->unit_id = db_col_int(st, 1);
		snprintf(r->key, sizeof(r->key), "%s", db_col_text(st, 2));
		snprintf(r->due, sizeof(r->due), "%s", db_col_text(st, 3));
		r->offset = (int)db_col_int(st, 4);
		snprintf(r->recipient, sizeof(r->recipient), "%s", db_col_text(st, 5));
		snprintf(r->subject, sizeof(r->subject), "%s", db_col_text(st, 6));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void reminder_where(struct sqlbuild *q, int64_t unit_id, const char *status, const char *key)
{
	if (unit_id)
		sqlb_where_int(q, "r.unit_id = ?", unit_id);
	if (status)
		sqlb_where_text(q, "r.status = ?", status);
	if (key)
		sqlb_where_text(q, "r.deadline_key = ?", key);
}

json_t *reminder_list(struct db *db, int64_t unit_id, const char *status, const char *key,
		      int limit, int64_t offset, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM reminders r");
	reminder_where(&q, unit_id, status, key);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, "SELECT r.id, r.unit_id, u.name, r.deadline_key, r.due_date, r.offset_days, r.recipient, r.status, "
		      "r.attempts, r.last_error, r.sent_at, r.subject, r.created_at FROM reminders r "
		      "JOIN units u ON u.id = r.unit_id");
	reminder_where(&q, unit_id, status, key);
	sqlb_tail(&q, " ORDER BY r.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, limit);
	sqlb_param_int(&q, offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:{s:I,s:s},s:s,s:s,s:i,s:s,s:s,s:I,s:s,s:o,s:s,s:o}",
			"id", (json_int_t)db_col_int(st, 0), "unit", "id", (json_int_t)db_col_int(st, 1),
			"name", db_col_text(st, 2), "deadline_key", db_col_text(st, 3), "due_date", db_col_text(st, 4),
			"offset_days", (int)db_col_int(st, 5), "recipient", db_col_text(st, 6),
			"status", db_col_text(st, 7), "attempts", (json_int_t)db_col_int(st, 8),
			"last_error", db_col_text(st, 9), "sent_at", db_col_json_time(st, 10),
			"subject", db_col_text(st, 11), "created_at", db_col_json_time(st, 12)));
	db_done(st);
	sqlb_free(&q);
	return items;
}
