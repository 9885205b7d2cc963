/*
 * seed.h - load reference data (data/) and demo data into a database.
 * Both loaders are idempotent: running them again updates, never duplicates.
 */
#ifndef QMS_SEED_H
#define QMS_SEED_H

#include <stddef.h>

struct db;
struct app;

/* Programmes (data/programmes/NAME.json) and units (data/units.json). */
int seed_reference(struct db *db, const char *data_dir, char *err, size_t errlen);
/* Demo certification bodies, enterprises and accounts (data/demo.json). */
int seed_demo(struct db *db, struct app *app, const char *data_dir, char *err, size_t errlen);
int seed_demo_cases(struct db *db, struct app *app, const char *data_dir, char *err, size_t errlen);
int seed_demo_evaluation(struct db *db, const char *data_dir, char *err, size_t errlen);

#endif
