/*
 * notices.h - notices (通知公告) with audiences, attachments and read marks,
 * and training sessions (宣传培训) with registrations and attendance.
 */
#ifndef QMS_STORE_NOTICES_H
#define QMS_STORE_NOTICES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* Who is looking, for notice visibility. */
struct notice_viewer {
	bool public_only;          /* anonymous */
	bool all;                  /* the city: everything */
	int64_t user_id;           /* for read marks (0 anonymous) */
	const char *role;
	int64_t district_unit_id;  /* the viewer's district (officer or enterprise), 0 none */
	int64_t unit_id;           /* the viewer's unit: publishers see their own */
	const char *today;
};

struct notice_rec {
	char title[512];
	char *body;                /* owned by the caller */
	char audience[16], audience_role[32];
	int64_t audience_district_unit_id;
	char publish_date[11];
};

json_t *notices_list(struct db *db, const struct notice_viewer *v, const char *q, bool unread_only,
		     int limit, int64_t offset, int64_t *total, int64_t *unread);
/* One notice if the viewer may see it, else NULL. */
json_t *notice_get(struct db *db, const struct notice_viewer *v, int64_t id);
int64_t notice_insert(struct db *db, const struct notice_rec *n, int64_t publisher_unit_id,
		      const char *author);
int notice_update(struct db *db, int64_t id, const struct notice_rec *n);
int notice_withdraw(struct db *db, int64_t id);
int notice_mark_read(struct db *db, int64_t id, int64_t user_id);
int notice_add_file(struct db *db, int64_t id, int64_t file_id);
/* The publisher unit of a notice, 0 when none. */
int64_t notice_publisher(struct db *db, int64_t id);
/* Is file_id attached to notice id? */
bool notice_has_file(struct db *db, int64_t id, int64_t file_id);

/* ---- Training ---- */
struct training_rec {
	char title[512], kind[16], industry[64], starts_at[17], ends_at[17];
	char place[512], link[512], materials[4096];
	int64_t capacity;
};
struct training_filter {
	const char *kind, *industry, *from, *to;
	int limit;
	int64_t offset;
};
json_t *trainings_list(struct db *db, const struct training_filter *f, int64_t *total);
json_t *training_get(struct db *db, int64_t id);
int64_t training_id_by_token(struct db *db, const char *token);
int64_t training_insert(struct db *db, const struct training_rec *t, int64_t organiser, const char *token,
			const char *username);
int training_update(struct db *db, int64_t id, const struct training_rec *t);
/* Registrations of a session visible to: all (enterprise_id 0, district 0), one enterprise, or
 * one district's enterprises. Phones are masked. */
json_t *training_registrations(struct db *db, int64_t id, int64_t enterprise_id, int64_t district_unit_id);
int training_count(struct db *db, int64_t id);
/* The new id, 0 for the same person twice, -1 on error. */
int64_t training_register(struct db *db, int64_t id, int64_t enterprise_id, const char *name,
			  const char *post, const char *phone, const char *username);
/* The registration's session and enterprise: 1 found, 0 not. */
int training_reg_get(struct db *db, int64_t reg_id, int64_t *training_id, int64_t *enterprise_id);
int training_reg_delete(struct db *db, int64_t reg_id);
int training_attend(struct db *db, int64_t reg_id, bool attended);
/* Figures from attendance, limited to a district's enterprises or an organiser's sessions (0 = all). */
json_t *training_stats(struct db *db, int64_t district_unit_id, int64_t organiser_unit_id);
/* The registrations of one enterprise with their sessions. */
json_t *training_for_enterprise(struct db *db, int64_t enterprise_id);

#endif
