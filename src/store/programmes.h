/*
 * programmes.h - programmes (region + year), their phases, statutory
 * deadlines, quotas and industry catalogue; and the unit directory.
 *
 * Rows come back as JSON objects with the stored fields only; computed
 * fields (phase state, days left) are added by the API layer from core/.
 */
#ifndef QMS_STORE_PROGRAMMES_H
#define QMS_STORE_PROGRAMMES_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* All programmes, newest year first (each with phases, deadlines, industries). */
json_t *programmes_all(struct db *db);
/* One programme or NULL. */
json_t *programmes_get(struct db *db, int64_t id);
/* The programme "in force": the newest one (NULL when none is loaded). */
json_t *programmes_current(struct db *db);

/* Load or update a programme from its JSON definition (data/programmes/NAME.json).
 * Returns the programme id, or -1 with err set. Runs inside the caller's transaction. */
int64_t programmes_upsert(struct db *db, json_t *def, char *err, size_t errlen);

/* ---- Units ---- */
struct unit_filter {
	const char *kind, *q;
	int limit;
	int64_t offset;
};
json_t *units_list(struct db *db, const struct unit_filter *f, int64_t *total);
json_t *units_get(struct db *db, int64_t id);
/* Insert or update by name; returns the id or -1. */
int64_t units_upsert(struct db *db, const char *kind, const char *name, const char *short_name,
		     const char *district, const char *region_code, const char *cnca_code);
int64_t units_id_by_name(struct db *db, const char *name);
/* Kind of a unit ("city", "district", "cb") into out; 0 when unknown. */
int units_kind(struct db *db, int64_t id, char *out, size_t outsz);

/* ---- Enterprises (the minimal registry of the foundation) ---- */
int64_t enterprises_upsert(struct db *db, const char *name, const char *uscc,
			   int64_t district_unit_id, const char *industry);
int64_t enterprises_id_by_uscc(struct db *db, const char *uscc);
int enterprises_exists(struct db *db, int64_t id);

#endif
