/*
 * audit.h - the append-only audit log (who, what, when, from where).
 */
#ifndef QMS_AUDIT_H
#define QMS_AUDIT_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* Append one entry; detail may be NULL; steals detail. Failures are logged. */
void audit_append(struct db *db, int64_t user_id, const char *username, const char *ip,
		  const char *action, const char *object_type, int64_t object_id, json_t *detail);

struct audit_filter {
	const char *action;
	const char *username;
	const char *q;
	int64_t from, to; /* UNIX seconds, 0 = open */
	int limit;
	int64_t offset;
};
/* Matching entries, newest first, as JSON objects; *total gets the count. */
json_t *audit_list(struct db *db, const struct audit_filter *f, int64_t *total);

/* The history of one record: its audit entries, oldest first. */
json_t *audit_history(struct db *db, const char *object_type, int64_t object_id);

#endif
