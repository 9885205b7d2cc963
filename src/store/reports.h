/*
 * reports.h - statutory reports (中期推进情况, 年度总结): the document with its
 * review workflow (store/review.c), and the figures computed from the
 * records of the reporting unit's scope. Each figure carries the records
 * behind it, so every number in a report can be traced.
 */
#ifndef QMS_STORE_REPORTS_H
#define QMS_STORE_REPORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

struct report_row {
	int64_t id, programme_id, unit_id;
	char kind[16], status[16];
	int version;
};
int report_row_get(struct db *db, int64_t id, struct report_row *r);
/* The id of the unit's report of a kind, 0 when none. */
int64_t report_find(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind);
int64_t report_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, const char *content);
int report_set_content(struct db *db, int64_t id, const char *content);
json_t *report_get(struct db *db, int64_t id);   /* with "content" parsed */
json_t *report_list(struct db *db, int64_t programme_id, int64_t unit_id, const char *kind, const char *status,
		    int limit, int64_t offset, int64_t *total);
int report_submit(struct db *db, int64_t id, bool late, const char *username);
int report_return(struct db *db, int64_t id, const char *reason);
int report_accept(struct db *db, int64_t id);
json_t *report_versions(struct db *db, int64_t id);
json_t *report_version_get(struct db *db, int64_t id, int version);

/*
 * The live figures of a scope: a district's enterprises (district_unit_id) or
 * the enterprises assigned to a body (cb_unit_id). Each element:
 * {"key","label","unit","value","records":[{"type","id","name","detail"}]}.
 * Indicator figures (ind_<key>) appear only when some enterprise has both a
 * baseline and a follow-up value. today is "YYYY-MM-DD".
 */
json_t *report_figures(struct db *db, int64_t programme_id, int64_t district_unit_id, int64_t cb_unit_id,
		       const char *today);

#endif
