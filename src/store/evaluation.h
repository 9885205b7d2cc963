/*
 * evaluation.h - the facts behind the city's evaluation of the districts
 * (总结验收), the evaluation records (entered points, comment, frozen facts)
 * and the enterprises' effect questionnaires (效果问卷).
 *
 * The facts of every district come from a handful of aggregate queries
 * grouped by district (never one query per enterprise), so the ranking stays
 * fast with 100,000 enterprises.
 */
#ifndef QMS_STORE_EVALUATION_H
#define QMS_STORE_EVALUATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/evaluation.h"

struct db;

/* A district bureau and what the records say about it. */
struct eval_district {
	int64_t unit_id;
	char name[128];       /* 浦东新区市场监管局 */
	char district[64];    /* 浦东新区 */
	char region_code[16];
	struct eval_facts facts;
};

/*
 * The active district units (all, or only district_unit_id when non-zero),
 * ordered by region code, with their facts in the programme as of today
 * ("YYYY-MM-DD": training sessions that have begun, certificates not
 * expired). *out is malloc'd (caller frees). Returns the count or -1.
 */
int eval_gather(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *today,
		struct eval_district **out);

/*
 * The stored evaluations of a programme (all districts, or one) as an object
 * keyed by the district unit id in decimal: {"3":{"status":"draft"|"final",
 * "entered":{key:points},"frozen":{…}|null,"total":n|null,"comment":"…",
 * "updated_by":"…","updated_at":"RFC 3339"}}. NULL on a database error.
 */
json_t *eval_records(struct db *db, int64_t programme_id, int64_t district_unit_id);

/* Save the entered points (JSON text) and the comment of a draft; creates the record. 0 or -1. */
int eval_save(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *entered,
	      const char *comment, const char *username);
/* Mark final with the frozen facts (JSON text) and the total; creates the record. 0 or -1. */
int eval_finalise(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *frozen,
		  double total, const char *username);
/* Back to draft: drop the frozen facts and the total. 0 or -1. */
int eval_reopen(struct db *db, int64_t programme_id, int64_t district_unit_id, const char *username);

/* ---- Effect questionnaires ---- */

/* The answer of an enterprise: {"improvement","satisfaction","comments","answered_by",
 * "answered_at"} or NULL when not answered (or on error). */
json_t *quest_get(struct db *db, int64_t programme_id, int64_t enterprise_id);
/* Insert or replace the answer. 0 or -1. */
int quest_put(struct db *db, int64_t programme_id, int64_t enterprise_id, const char *improvement,
	      int satisfaction, const char *comments, const char *username);

/* Counts of one district (or of all) for the questionnaire summary. */
struct quest_counts {
	int64_t district_unit_id;
	char name[128], district[64];
	int64_t assisted, answered;
	int64_t by_answer[EVAL_N_IMPROVEMENT]; /* in the order of eval_improvement_keys */
	int64_t satisfaction_sum;
};
/*
 * Per district with assisted enterprises (all, or only district_unit_id),
 * ordered by region code: one grouped query. Only answers of enterprises
 * assigned to a body count. *out malloc'd; returns the count or -1.
 */
int quest_counts(struct db *db, int64_t programme_id, int64_t district_unit_id, struct quest_counts **out);

#endif
