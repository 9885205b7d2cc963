/*
 * stats.h - the programme's figures for the dashboard (GET /api/v1/stats/...):
 * enterprises by stage against the work plans' targets, improvement actions,
 * diagnosis scores (overall and per clause), training reach.
 *
 * Every figure is one aggregate query over the enterprises of a scope (no
 * query per row), so the cost stays flat as the registry grows: see
 * bench/dashboard.sh for the timings on 100,000 enterprises.
 *
 * Definitions (an enterprise counts in a stage when):
 *   enrolled         it is in the registry (in the scope);
 *   diagnosed        it has a submitted on-site diagnosis of the programme;
 *   improving        it has improvement actions of the programme and is not certified;
 *   certified        it holds a certificate issued in the programme (not prior) that is
 *                    valid or suspended and not past its expiry date today;
 *   prior_certified  the same for a certificate held before joining (prior).
 * Scores: "first" is the first submitted on-site diagnosis (round order), "latest"
 * the newest (the first when there is only one); averages are over the diagnosed
 * enterprises; the change is the mean of latest - first over the re-assessed ones
 * (at least two submitted on-site diagnoses).
 */
#ifndef QMS_STORE_STATS_H
#define QMS_STORE_STATS_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* Whose enterprises: every field 0/NULL = the whole programme. */
struct stats_scope {
	int64_t programme_id;
	int64_t district_unit_id; /* only this district's enterprises */
	int64_t cb_unit_id;       /* only the enterprises assigned to this body */
	const char *today;        /* YYYY-MM-DD, for certificate validity and overdue actions */
};

enum stats_by { STATS_BY_NONE, STATS_BY_DISTRICT, STATS_BY_INDUSTRY };

/*
 * Enterprises by stage, grouped by `by` (STATS_BY_NONE: one row, key "all"):
 * [{"key","target","enrolled","diagnosed","improving","certified","prior_certified"}],
 * districts in region-code order, industries in catalogue order (`catalogue`, n
 * names; others after, by name). target = enterprises listed in the submitted or
 * approved work plans (their `enterprise_ids`), in the scope. NULL on error.
 */
json_t *stats_stages(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue);

/* Improvement actions: {"open","in_progress","verified","closed","overdue","total"}. */
json_t *stats_actions(struct db *db, const struct stats_scope *s);

/*
 * Overall scores grouped by `by` (STATS_BY_NONE: one row, key "all"):
 * [{"key","diagnosed","avg_first","avg_latest","avg_change","reassessed"}]
 * (averages rounded to two decimals, null when nothing to average). NULL on error.
 */
json_t *stats_scores(struct db *db, const struct stats_scope *s, enum stats_by by,
		     const char (*catalogue)[64], int n_catalogue);

/* Clause averages of the first and latest diagnoses: [{"clause","avg_first","avg_latest",
 * "diagnoses_first","diagnoses_latest"}] in clause order ("4" < "10"). NULL on error. */
json_t *stats_clauses(struct db *db, const struct stats_scope *s);

/* Training reach: {"trained_enterprises","person_times"} (attendances). */
json_t *stats_training(struct db *db, const struct stats_scope *s);

#endif
