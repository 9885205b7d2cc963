/*
 * diagnoses.h - checklists, diagnoses (on-site and self-assessment) with
 * their answers and evidence, and improvement actions with their history.
 */
#ifndef QMS_STORE_DIAGNOSES_H
#define QMS_STORE_DIAGNOSES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/diagnosis.h"

struct db;

/* ======================== Checklists ======================== */

/*
 * A loaded checklist, immutable once built and shared by every thread (a
 * process-wide cache filled on first use): the scoring structure of a
 * diagnosis costs no query and no JSON parsing per request.
 */
struct cl_item {
	int64_t id;
	char key[32];
	char clause[16];
	int section;              /* index into sections */
	char *text;
};
struct checklist {
	int64_t id;
	char code[48];
	int version;
	char *title, *standard;
	int n_sections;
	struct { char clause[8]; char title[64]; int items; } sections[DIAG_MAX_SECTIONS];
	int n_items;
	struct cl_item *items;    /* in checklist order; ids ascending */
	char *json;               /* the GET /checklists/{id} answer, serialised once */
};

/* Store a parsed checklist (core checklist_parse) unless code+version exist.
 * Returns its id (new or existing) or -1. *created tells which. */
int64_t checklist_store(struct db *db, const json_t *cl, bool *created);
/* The cached checklist, loading it on first use; NULL when unknown or on error. */
const struct checklist *checklist_cached(struct db *db, int64_t id);
/* The item of a checklist with this id, or NULL. */
const struct cl_item *checklist_item(const struct checklist *cl, int64_t item_id);
/* Newest version of a code: id, or 0 when none. */
int64_t checklist_newest(struct db *db, const char *code);
json_t *checklist_list(struct db *db);

/* ======================== Diagnoses ======================== */

struct diag_row {
	int64_t id, programme_id, enterprise_id, cb_unit_id, checklist_id, district_unit_id;
	int64_t assigned_cb;      /* the body the enterprise is assigned to now (0 none) */
	char kind[8], status[12];
	int round;
};
/* 1 found, 0 not, -1 error. */
int diag_row_get(struct db *db, int64_t id, struct diag_row *r);

/* The new id, 0 when a draft of that kind exists already (unique index), -1 on error. */
int64_t diag_insert(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		    const char *kind, int round, int64_t checklist_id, const char *visit_date,
		    const char *team, const char *username);
/* An existing draft of this kind for the enterprise: its id, 0 none. */
int64_t diag_draft_of(struct db *db, int64_t enterprise_id, const char *kind);
/* Number of on-site diagnoses of the enterprise (any status). */
int diag_onsite_count(struct db *db, int64_t enterprise_id);
/* The first submitted on-site diagnosis (round order), 0 when none; and the newest submitted. */
int64_t diag_first_submitted(struct db *db, int64_t enterprise_id);
int64_t diag_latest_submitted(struct db *db, int64_t enterprise_id, const char *kind, int64_t checklist_id);

/* The header object (no answers/files). */
json_t *diag_get(struct db *db, int64_t id);
struct diag_filter {
	int64_t district_unit_id, cb_unit_id, enterprise_id;
	int self_visible_to_cb;  /* for a body: only submitted self-assessments */
	int onsite_submitted_only; /* for an enterprise: only submitted on-site diagnoses */
	const char *kind, *status, *q;
	int limit;
	int64_t offset;
};
json_t *diag_list(struct db *db, const struct diag_filter *f, int64_t *total);
int diag_update(struct db *db, int64_t id, const char *visit_date, const char *team, const char *summary);
/* Lock it, storing the scores: 1 done, 0 not a draft any more, -1 error. */
int diag_submit(struct db *db, int64_t id, const struct diag_scores *s, const char *scores_json);

/* Answers. */
json_t *diag_answers(struct db *db, int64_t id);
/* Fill a[] (one per checklist item, in checklist order) from the stored answers. */
int diag_answers_fill(struct db *db, int64_t id, const struct checklist *cl, struct diag_answer *a);
/* One answer as JSON, NULL when none. */
json_t *diag_answer_get(struct db *db, int64_t id, int64_t item_id);
struct answer_in {
	int score;           /* 0 = none */
	bool na;
	char finding[8004];      /* 2,000 characters of up to 4 bytes */
	char kind[16];
};
/* Write when the stored version is `expected` (0 = no answer yet): the new
 * version, 0 on a version conflict, -1 on error. */
int64_t diag_answer_put(struct db *db, int64_t id, int64_t item_id, const struct answer_in *in,
			int64_t expected, const char *username);
int diag_answer_delete(struct db *db, int64_t id, int64_t item_id);
/* Refresh the cached count of answered items. */
int diag_touch(struct db *db, int64_t id, int answered);

/* Evidence. */
int64_t diag_file_add(struct db *db, int64_t id, int64_t item_id, int64_t file_id);
json_t *diag_files(struct db *db, int64_t id);
/* Is file_id evidence of diagnosis id? */
bool diag_has_file(struct db *db, int64_t id, int64_t file_id);
int diag_file_delete(struct db *db, int64_t id, int64_t file_id);

/* ======================== Actions ======================== */

struct action_row {
	int64_t id, programme_id, enterprise_id, cb_unit_id, district_unit_id, version;
	int64_t assigned_cb;      /* the body the enterprise is assigned to now (0 none) */
	char status[16], due_date[11];
	bool ready;
	int progress;
};
int action_row_get(struct db *db, int64_t id, struct action_row *r);

struct action_fields {
	int64_t diagnosis_id, item_id;   /* 0 = none */
	char title[512], detail[8192], method[32], owner[256], due_date[16];
};
int64_t action_insert(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		      const struct action_fields *a, const char *username);
/* Update the plan fields when version matches: 1 done, 0 conflict, -1 error. */
int action_update(struct db *db, int64_t id, int64_t version, const struct action_fields *a);
/* Set status/ready (and progress when >= 0) if the row still has version: 1, 0 conflict, -1. */
int action_set_state(struct db *db, int64_t id, int64_t version, const char *status, bool ready,
		     int progress, const char *progress_note);
int action_event(struct db *db, int64_t id, const char *event, int progress, const char *note,
		 const char *username);
json_t *action_get(struct db *db, int64_t id, bool full);
struct action_filter {
	int64_t district_unit_id, cb_unit_id, enterprise_id;
	const char *status, *today, *due_by; /* due_by: due on or before (not verified/closed) */
	int overdue, ready;                  /* 1 = only those */
	int limit;
	int64_t offset;
};
json_t *action_list(struct db *db, const struct action_filter *f, int64_t *total);
/* Counts per status and overdue for the filter (status ignored). */
json_t *action_counts(struct db *db, const struct action_filter *f);
int action_file_add(struct db *db, int64_t id, int64_t file_id);
bool action_has_file(struct db *db, int64_t id, int64_t file_id);

#endif
