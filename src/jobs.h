/*
 * jobs.h - scheduled jobs that run exactly once per period across every
 * server sharing the database.
 *
 * Each job has a period; time is cut into numbered periods and a run is
 * claimed by inserting (job, period) into job_runs, whose primary key lets
 * only one server win. Losers skip the run. A claim is never retried, so a
 * run that fails is recorded as failed, not repeated on another server.
 */
#ifndef QMS_JOBS_H
#define QMS_JOBS_H

#include <stdint.h>

struct app;
struct db;

/* Run every job whose current period has not been claimed yet. */
void jobs_tick(struct app *app, struct db *db, int64_t now);

#endif
