/*
 * enterprises.h - the enterprise registry, indicators, assignments to
 * certification bodies, and the assistance ledger rows.
 */
#ifndef QMS_STORE_ENTERPRISES_H
#define QMS_STORE_ENTERPRISES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* The registry fields of one enterprise (as entered; derived fields included). */
struct ent_fields {
	char name[256];
	char uscc[80];             /* room for a mistyped full-width code, to say so */
	char address[512];
	int64_t district_unit_id;
	char industry[64];
	char park[256];
	char sector[32];
	int64_t employees;         /* -1 unknown */
	double revenue;            /* 万元; < 0 unknown */
	double total_assets;       /* 万元; < 0 unknown */
	char size_class[16];
	char contact_name[64];
	char contact_phone[32];
	bool consent;
	char region_warning[256];  /* "" = none */
};

struct ent_filter {
	int64_t district_unit_id;  /* 0 = any */
	int64_t cb_unit_id;        /* only enterprises assigned to this body; 0 = any */
	int64_t enterprise_id;     /* only this one; 0 = any */
	int64_t programme_id;      /* for the assignment join */
	const char *industry, *size_class, *park, *q;
	int assigned;              /* -1 any, 0 not assigned, 1 assigned */
	int limit;
	int64_t offset;
};

/* Where an enterprise belongs, for scope checks: 1 found, 0 not, -1 error. */
int ent_scope(struct db *db, int64_t programme_id, int64_t id, int64_t *district_unit_id,
	      int64_t *cb_unit_id);
json_t *ent_get(struct db *db, int64_t programme_id, int64_t id);
json_t *ent_list(struct db *db, const struct ent_filter *f, int64_t *total);
/* The id of the enterprise with this USCC, 0 when none. */
int64_t ent_id_by_uscc(struct db *db, const char *uscc);
/* Insert: the new id, 0 on a duplicate USCC, -1 on error. */
int64_t ent_insert(struct db *db, const struct ent_fields *e);
/* Insert n (a batch of an import) with few statements: ids[i] is the new id, or
 * 0 when the USCC was already registered or repeated earlier in e[]. 0 / -1. */
#define ENT_BATCH 128
int ent_insert_many(struct db *db, const struct ent_fields *e, int n, int64_t *ids);
int ent_update(struct db *db, int64_t id, const struct ent_fields *e);
/* Load the stored fields (for partial updates): 1 found, 0 not, -1 error. */
int ent_fields_get(struct db *db, int64_t id, struct ent_fields *e);

/* Indicators: kind "baseline" or "followup". */
struct ent_indicators {
	char period[32];
	double first_pass_yield, defect_rate, satisfaction, quality_cost_rate, revenue, profit_margin;
	int64_t complaints; /* doubles < 0 and complaints < 0 mean "not given" */
};
json_t *ent_indicators_get(struct db *db, int64_t id);
/*
 * Baseline against follow-up, one row per indicator in a fixed order:
 * {"key","label","unit","baseline","followup","change","better"} — change is
 * follow-up − baseline (two decimals) and better says whether that is an
 * improvement (null when unchanged or not both given). skip_empty leaves out
 * indicators with neither value. The one table of indicator labels and units.
 */
json_t *ent_indicator_changes(struct db *db, int64_t id, bool skip_empty);
int ent_indicators_put(struct db *db, int64_t id, const char *kind, const struct ent_indicators *v,
		       const char *username);

/* Assignments. */
int64_t assignment_insert(struct db *db, int64_t programme_id, int64_t enterprise_id,
			  int64_t cb_unit_id, const char *industry, const char *username);
int assignment_delete(struct db *db, int64_t programme_id, int64_t enterprise_id);
/* Is cb selected for industry in the programme? */
bool selection_exists(struct db *db, int64_t programme_id, const char *industry, int64_t cb_unit_id);

/*
 * The ledger (帮扶台账) rows for an export, streamed: each() gets one row of
 * LEDGER_COLS texts (NULL for empty) in the order of the ledger's columns:
 * name, uscc, district, industry, park, size_class, employees, revenue,
 * total_assets, contact_name, contact_phone, assigned body, baseline period,
 * first_pass_yield, complaints, satisfaction, quality_cost_rate, profit_margin.
 * One query, no per-row lookups. Returns the row count or -1.
 */
#define LEDGER_COLS 18
typedef void (*ledger_row_fn)(const char *const *cols, void *ctx);
long ent_ledger(struct db *db, const struct ent_filter *f, ledger_row_fn each, void *ctx);

/* Counts per district × industry: [{district, industry, enterprises, assigned}]. */
json_t *ent_counts(struct db *db, int64_t programme_id, int64_t district_unit_id);

#endif
