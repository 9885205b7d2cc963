/*
 * workplans.h - district work plans (试点工作方案) with their versions.
 */
#ifndef QMS_STORE_WORKPLANS_H
#define QMS_STORE_WORKPLANS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

struct wp_row {
	int64_t id, programme_id, unit_id;
	char status[16];
	int version;
};

int64_t wp_id_for_unit(struct db *db, int64_t programme_id, int64_t unit_id);
int wp_row_get(struct db *db, int64_t id, struct wp_row *r);
/* The object with `content` parsed, or NULL. */
json_t *wp_get(struct db *db, int64_t id);
/* All plans of a programme (unit_id 0) or one unit's, optionally by status. */
json_t *wp_list(struct db *db, int64_t programme_id, int64_t unit_id, const char *status,
		int limit, int64_t offset, int64_t *total);
int64_t wp_insert(struct db *db, int64_t programme_id, int64_t unit_id, const char *content);
int wp_update(struct db *db, int64_t id, const char *content);
int wp_submit(struct db *db, int64_t id, bool late, const char *username);
int wp_return(struct db *db, int64_t id, const char *reason);
int wp_approve(struct db *db, int64_t id);
json_t *wp_versions(struct db *db, int64_t id);
json_t *wp_version_get(struct db *db, int64_t id, int version);

/* Facts for the plan rules: an enterprise's district, industry, size class, consent. */
struct wp_ent_fact {
	int64_t district_unit_id;
	char industry[64], size_class[16], name[256], uscc[24];
	bool consent;
};
int wp_enterprise_fact(struct db *db, int64_t id, struct wp_ent_fact *f);
/* The deadline of the given key in a programme into due[11]; false when none. */
bool programme_deadline(struct db *db, int64_t programme_id, const char *key, char due[11]);

#endif
