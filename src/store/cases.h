/*
 * cases.h - typical cases (典型案例) with the facts gathered from an
 * enterprise's records, and benchmark enterprises (标杆企业) with the
 * reviewers' scores. Rules (status changes, quotas) are in core/cases.c.
 */
#ifndef QMS_STORE_CASES_H
#define QMS_STORE_CASES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* ======================== Typical cases ======================== */

struct case_row {
	int64_t id, programme_id, district_unit_id, enterprise_id;
	char status[16];
};
/* 1 found, 0 not, -1 error. */
int case_row_get(struct db *db, int64_t id, struct case_row *r);

/*
 * The facts of a case, read from the enterprise's records on `today`
 * (YYYY-MM-DD): {profile, cb, problems, measures, before_after, certificate,
 * as_of}. Never contacts, phones or the USCC. NULL when the enterprise is
 * unknown.
 */
json_t *case_facts(struct db *db, int64_t programme_id, int64_t enterprise_id, const char *today);

/* The enterprise's case in the programme: its id, 0 when none; published_only
 * counts only a published one. */
int64_t case_id_for_enterprise(struct db *db, int64_t programme_id, int64_t enterprise_id, bool published_only);

/* Insert a draft; content is the JSON text {facts, texts}. The new id, 0 when
 * the enterprise already has a case in the programme, -1 on error. */
int64_t case_insert(struct db *db, int64_t programme_id, int64_t district_unit_id, int64_t enterprise_id,
		    const char *title, const char *content, const char *username);
/* Replace title and content while the case is a draft or returned:
 * 1 done, 0 no longer editable, -1 error. */
int case_update(struct db *db, int64_t id, const char *title, const char *content);
/* Move from `from` to `to` (stamping submitted_at / published_at, storing the
 * return reason when returning): 1 done, 0 the status was no longer `from`, -1. */
int case_transition(struct db *db, int64_t id, const char *from, const char *to, const char *reason);
/* Delete a draft or returned case: 1 done, 0 not deletable, -1 error. */
int case_delete(struct db *db, int64_t id);

/* The case object: {id, programme_id, district, district_unit_id,
 * enterprise:{id,name}, industry, title, facts, texts, status, return_reason,
 * submitted_at, published_at, created_by, created_at, updated_at}. */
json_t *case_get(struct db *db, int64_t id);

struct case_filter {
	int64_t programme_id;
	bool all;                  /* the city: every case */
	int64_t own_district;      /* a district officer: its cases in any status; others published only */
	int64_t district_unit_id;  /* filter; 0 = any */
	const char *status, *industry, *q;
	int limit;
	int64_t offset;
};
/* Items like case_get without facts and texts, with `summary`; newest first. */
json_t *case_list(struct db *db, const struct case_filter *f, int64_t *total);

/* ======================== Benchmark enterprises ======================== */

struct bench_row {
	int64_t id, programme_id, district_unit_id, enterprise_id;
	char industry[64], status[16];
	bool published;
};
int bench_row_get(struct db *db, int64_t id, struct bench_row *r);

/* Nominations of a district in an industry (any status). */
int bench_count(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry);
/* Selected nominations of a district in an industry. */
int bench_selected_count(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry);
/* Is the enterprise a pilot enterprise of the programme (assigned to a body)? Its
 * assignment's industry into industry (size 64); 1 yes, 0 no, -1 error. */
int bench_pilot_industry(struct db *db, int64_t programme_id, int64_t enterprise_id, char industry[64]);
/* The enterprise's nomination in the programme: its id, 0 when none. */
int64_t bench_id_for_enterprise(struct db *db, int64_t programme_id, int64_t enterprise_id);
/* The new id, 0 when the enterprise is already nominated, -1 on error. */
int64_t bench_insert(struct db *db, int64_t programme_id, int64_t district_unit_id, int64_t enterprise_id,
		     const char *industry, const char *reason, const char *username);
/* Withdraw a nomination not yet published: 1 done, 0 published meanwhile, -1. */
int bench_delete(struct db *db, int64_t id);
/* Set (or revise) one reviewer's score while not published: 1 done, 0 published, -1. */
int bench_score_put(struct db *db, int64_t id, const char *reviewer, int score, const char *comment);
/* Mark a pending nomination selected or not_selected: 1 done, 0 not pending, -1. */
int bench_publish_one(struct db *db, int64_t id, bool selected);

/* Nominations not yet published: [{id, district_unit_id, industry, scores}]. */
json_t *bench_pending(struct db *db, int64_t programme_id);

struct bench_filter {
	int64_t programme_id;
	int64_t district_unit_id;  /* 0 = any */
	const char *industry, *status;
	bool published_only;       /* selected, published ones */
	int limit;
	int64_t offset;
};
/* {id, programme_id, district, district_unit_id, enterprise:{id,name,uscc}, industry,
 * reason, status, published_at, created_by, created_at, updated_at,
 * scores:[{reviewer, reviewer_name, score, comment, scored_at}]}; ordered by
 * district, industry (catalogue order), id. */
json_t *bench_list(struct db *db, const struct bench_filter *f, int64_t *total);
json_t *bench_get(struct db *db, int64_t id);

/* Per district x pilot industry (industries of its assigned enterprises, plus
 * any with nominations): [{district_unit_id, district, industry, nominated, selected}]. */
json_t *bench_quota(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *industry);

#endif
