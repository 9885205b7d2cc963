/*
 * declarations.h - declarations (申报表) with their versions, uploaded files,
 * and the selection of certification bodies (遴选).
 *
 * Records come back as JSON objects holding the stored fields; labels and
 * computed fields are added by the API layer.
 */
#ifndef QMS_STORE_DECLARATIONS_H
#define QMS_STORE_DECLARATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/evaluation.h"

struct db;

/* What a declaration round needs to know of the programme in force. */
struct programme_info {
	int64_t id;
	char name[256];
	bool allow_late;
	int max_cbs_per_industry;
	int min_industries, max_industries, min_enterprises; /* per district, per industry */
	int min_benchmarks, max_benchmarks;                  /* per district and pilot industry */
	char declaration_due[11]; /* "" when the programme has no such deadline */
	int n_industries;
	char industries[64][64];
	struct eval_targets eval_targets; /* quotas.evaluation_targets over the defaults */
};
/* 1 loaded, 0 no programme, -1 error. */
int programme_info_current(struct db *db, struct programme_info *pi);

/* ---- Files ---- */
int64_t files_insert(struct db *db, const char *content_type, const char *filename,
		     const void *data, size_t len, int64_t user_id);
struct file_blob {
	char content_type[64];
	char filename[256];
	void *data; /* malloc'd */
	size_t size;
};
/* 1 found (caller frees data), 0 not found, -1 error. */
int files_get(struct db *db, int64_t id, struct file_blob *out);

/* ---- Declarations ---- */
struct decl_filter {
	int64_t programme_id;
	int64_t unit_id;      /* 0 = all units */
	const char *category, *status, *industry, *q;
	int joins, late;      /* -1 any */
	int limit;
	int64_t offset;
};
/* Internal fields for rules: who owns it and where it stands. */
struct decl_row {
	int64_t id, programme_id, unit_id;
	char status[16];
	char category[24];
	int version;
};

/* The declaration of a unit in a programme: its id, or 0. */
int64_t decl_id_for_unit(struct db *db, int64_t programme_id, int64_t unit_id);
/* 1 found, 0 not, -1 error. */
int decl_row_get(struct db *db, int64_t id, struct decl_row *r);
/* The full object (form parsed), or NULL. */
json_t *decl_get(struct db *db, int64_t id);
json_t *decl_list(struct db *db, const struct decl_filter *f, int64_t *total);

/* Insert a draft: the new id, 0 when the unit already has one, -1 on error. */
int64_t decl_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *category,
		    int joins, const char *form, char industries[][64], int n_industries);
int decl_update_form(struct db *db, int64_t id, int joins, const char *form,
		     char industries[][64], int n_industries);
/* Freeze the current form as the next version and mark it submitted. */
int decl_submit(struct db *db, int64_t id, bool late, const char *username);
int decl_return(struct db *db, int64_t id, const char *reason);
int decl_accept(struct db *db, int64_t id);
int decl_set_scan(struct db *db, int64_t id, int64_t file_id);
json_t *decl_versions(struct db *db, int64_t id);
json_t *decl_version_get(struct db *db, int64_t id, int version);
/* The stored file id of the scan, 0 when none. */
int64_t decl_scan_file(struct db *db, int64_t id);

/* ---- Selections ---- */
int selections_count(struct db *db, int64_t programme_id, const char *industry);
/* The new id, 0 when this body is already selected for the industry, -1 on error. */
int64_t selections_insert(struct db *db, int64_t programme_id, const char *industry,
			  int64_t cb_unit_id, int64_t declaration_id, const char *criteria,
			  const char *exception_reason, const char *username);
json_t *selections_list(struct db *db, int64_t programme_id, const char *industry,
			int64_t cb_unit_id);
json_t *selections_get(struct db *db, int64_t id);
int selections_delete(struct db *db, int64_t id);
/* Take the programme's write lock (PostgreSQL row lock; SQLite holds it already). */
int programme_lock(struct db *db, int64_t programme_id);

#endif
