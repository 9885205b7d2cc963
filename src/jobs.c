/*
 * jobs.c - see jobs.h.
 */
#include "jobs.h"
#include "app.h"
#include "core/calendar.h"
#include "store/audit.h"
#include "store/certificates.h"
#include "store/db.h"
#include "store/users.h"
#include "util.h"

#include <stdio.h>

struct job {
	const char *name;
	/* Returns 0 on success; fills a short result text. */
	int (*run)(struct app *app, struct db *db, int64_t now, char *result, size_t n);
};

/* Delete expired sessions and stale login-throttle rows. */
static int job_purge(struct app *app, struct db *db, int64_t now, char *result, size_t n)
{
	const struct settings *c = &app->cfg;
	int a = sessions_purge(db, now - c->session_idle, now - c->session_max);
	int b = throttle_purge(db, now - c->login_window - c->login_lock);
	snprintf(result, n, "%s", a || b ? "failed" : "ok");
	return a || b;
}

/* Certificates past their expiry date become 过期, recorded with the date. */
static int job_expire_certificates(struct app *app, struct db *db, int64_t now, char *result, size_t n)
{
	(void)now;
	char today[11];
	date_format(app_today(app), today);
	if (db_begin(db, true) != DB_OK) {
		snprintf(result, n, "failed");
		return 1;
	}
	int expired = cert_expire_due(db, today, "(定时任务)");
	if (expired < 0 || db_commit(db) != DB_OK) {
		db_rollback(db);
		snprintf(result, n, "failed");
		return 1;
	}
	snprintf(result, n, "ok");
	return 0;
}

static const struct job jobs[] = {
	{"maintenance.purge", job_purge},
	{"certificates.expire", job_expire_certificates},
};

void jobs_tick(struct app *app, struct db *db, int64_t now)
{
	int64_t period = now / app->cfg.job_period;
	for (size_t i = 0; i < ARRAY_SIZE(jobs); i++) {
		int claimed = job_claim(db, jobs[i].name, period, app->server_id, now);
		if (claimed <= 0)
			continue; /* another server has it (or the database is away) */
		char result[64] = "";
		int rc = jobs[i].run(app, db, now, result, sizeof(result));
		job_finish(db, jobs[i].name, period, result, now_seconds());
		audit_append(db, 0, "(定时任务)", app->server_id, "job.run", "job", 0,
			     json_pack("{s:s,s:I,s:s,s:s}", "job", jobs[i].name, "period",
				       (json_int_t)period, "server", app->server_id, "result", result));
		if (rc)
			log_error("job %s failed in period %lld", jobs[i].name, (long long)period);
	}
}
