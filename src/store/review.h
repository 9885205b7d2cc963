/*
 * review.h - the review workflow shared by documents a unit submits and the
 * city reviews (declarations, work plans): submit freezes the current body
 * as version N+1, return and approve close that version with an outcome.
 *
 * Each document kind supplies its SQL as literals (struct review_sql), so
 * no SQL is assembled at run time; the flow and the JSON live here once.
 */
#ifndef QMS_STORE_REVIEW_H
#define QMS_STORE_REVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

struct review_sql {
	/* UPDATE … SET status='submitted', version=version+1, late=?, submitted_at=?, updated_at=? WHERE id=? */
	const char *submit;
	/* INSERT INTO …_versions (…, version, body, submitted_at, submitted_by, late) SELECT … ?, ?, … WHERE id=? */
	const char *snapshot;
	/* UPDATE … SET status='returned', return_reason=?, updated_at=? WHERE id=? */
	const char *ret;
	/* UPDATE … SET status=<final>, <final>_at=?, updated_at=? WHERE id=? */
	const char *approve;
	/* UPDATE …_versions SET outcome=?, return_reason=? WHERE <fk>=? AND version=(SELECT version … id=?) */
	const char *close_version;
	/* SELECT version, submitted_at, submitted_by, late, outcome, return_reason … WHERE <fk>=? ORDER BY version */
	const char *versions;
	/* SELECT version, <body>, submitted_at, submitted_by, late, outcome, return_reason … WHERE <fk>=? AND version=? */
	const char *version_get;
	const char *body_key;      /* "form" or "content" */
	const char *final_outcome; /* "accepted" or "approved" */
};

int review_submit(struct db *db, const struct review_sql *rs, int64_t id, bool late, const char *username);
int review_return(struct db *db, const struct review_sql *rs, int64_t id, const char *reason);
int review_approve(struct db *db, const struct review_sql *rs, int64_t id);
json_t *review_versions(struct db *db, const struct review_sql *rs, int64_t id);
json_t *review_version_get(struct db *db, const struct review_sql *rs, int64_t id, int version);

#endif
