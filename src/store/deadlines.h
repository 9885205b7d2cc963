/*
 * deadlines.h - the facts the deadline service needs, loaded in a few
 * queries for every unit at once: the programme's deadlines, each unit's
 * kind and pilot status, and the day of its first submission of each thing.
 */
#ifndef QMS_STORE_DEADLINES_H
#define QMS_STORE_DEADLINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/deadline.h"

struct db;

#define DL_MAX_DEADLINES 16

struct dl_deadline {
	char key[32], name[128];
	int32_t due;
	enum dl_audience audience;
};

struct dl_unit {
	int64_t id;
	char name[256];
	bool is_district, pilot;
	int32_t done[DL_MAX_DEADLINES]; /* day of the first submission, 0 = none */
};

struct dl_facts {
	int n_deadlines;
	struct dl_deadline d[DL_MAX_DEADLINES];
	int n_units;
	struct dl_unit *units;
};

/* Load the facts for one unit (unit_id) or every district and body (0).
 * kind: NULL, "district" or "cb". Returns 0 or -1; free with dl_facts_free(). */
int dl_facts_load(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, struct dl_facts *f);
void dl_facts_free(struct dl_facts *f);
/* Index of a deadline by key, -1 when absent. */
int dl_find(const struct dl_facts *f, const char *key);

/* Actions of a scope: overdue count, due within [today, week] count and the next due date. */
struct dl_actions {
	int64_t overdue, due_week;
	char next_due[11];
};
int dl_actions_load(struct db *db, int64_t district_unit_id, int64_t cb_unit_id, int64_t enterprise_id,
		    const char *today, const char *week, struct dl_actions *out);

/* Reminder recipients of a unit: emails joined by ',' ("" none). 1 found, 0 none, -1 error. */
int reminder_recipients_get(struct db *db, int64_t unit_id, char *emails, size_t n, bool *enabled);
int reminder_recipients_put(struct db *db, int64_t unit_id, const char *emails, bool enabled, const char *username);

/* Claim a reminder send: 1 claimed (new row id in *id), 0 already there, -1 error. */
int reminder_claim(struct db *db, int64_t programme_id, int64_t unit_id, const char *key, const char *due,
		   int offset, const char *recipient, const char *subject, int64_t *id);
/* Record the outcome; failed rows get next_try_at for the retry. */
int reminder_done(struct db *db, int64_t id, bool ok, const char *error, int64_t next_try_at);
/* Failed reminders due for a retry (attempts < max): claims each (status 'sending');
 * fills ids, returns the count. */
int reminder_retry_claim(struct db *db, int64_t now, int max_attempts, int64_t *ids, int max);
/* One reminder's send data. */
struct reminder_row {
	int64_t id, unit_id;
	char key[32], due[11], recipient[256], subject[256];
	int offset;
};
int reminder_get(struct db *db, int64_t id, struct reminder_row *r);

struct json_t;
struct json_t *reminder_list(struct db *db, int64_t unit_id, const char *status, const char *key,
			     int limit, int64_t offset, int64_t *total);

#endif
