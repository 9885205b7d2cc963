/*
 * jobs.c - see jobs.h.
 */
#include "jobs.h"
#include "app.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "mail.h"
#include "store/declarations.h"
#include "store/deadlines.h"
#include "store/audit.h"
#include "store/certificates.h"
#include "store/db.h"
#include "store/users.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ======================== Reminders ======================== */

#define REMINDER_MAX_ATTEMPTS 5

static void reminder_text(struct app *app, const struct dl_unit *u, const struct dl_deadline *d, int32_t today,
			  char *subject, size_t sn, struct sbuf *body)
{
	char due[11];
	date_format(d->due, due);
	int days = d->due - today;
	if (days > 0)
		snprintf(subject, sn, "【提醒】%s将于 %s 到期（还有 %d 天）", d->name, due, days);
	else if (days == 0)
		snprintf(subject, sn, "【提醒】%s今天（%s）到期", d->name, due);
	else
		snprintf(subject, sn, "【逾期】%s已于 %s 到期，已逾期 %d 天", d->name, due, -days);
	sbuf_printf(body, "%s：\r\n\r\n%s\r\n\r\n报送期限：%s\r\n请登录小微企业质量管理体系认证提升行动服务平台办理：%s/\r\n\r\n"
		    "（本邮件由平台按设定的提醒时间自动发送，同一事项每个提醒时点只发送一次。）\r\n",
		    u->name, subject, due, app->cfg.public_url);
}

/* Send one claimed reminder and record the outcome. */
static bool reminder_send(struct app *app, struct db *db, int64_t id, const char *to, const char *subject,
			  const char *body, int64_t now)
{
	char err[256] = "";
	int rc = mail_send(&app->cfg, to, subject, body, err, sizeof(err));
	/* A failure waits for a later run (at least one job period). */
	reminder_done(db, id, rc == 0, err, now + app->cfg.job_period);
	if (rc)
		log_error("reminder %lld to %s failed: %s", (long long)id, to, err);
	return rc == 0;
}

/*
 * For every unit with a deadline not done: one e-mail per recipient at each
 * offset day (claimed by inserting its row, so at most once across servers),
 * then a retry of earlier failures. Without smtp-url nothing is sent: the
 * home pages show the same deadlines in-app.
 */
static int job_reminders(struct app *app, struct db *db, int64_t now, char *result, size_t n)
{
	struct programme_info pi;
	int offsets[16];
	int n_off = dl_offsets_parse(app->cfg.reminder_offsets, offsets, 16);
	if (!app->cfg.smtp_url[0] || n_off <= 0 || programme_info_current(db, &pi) != 1) {
		snprintf(result, n, "skipped");
		return 0;
	}
	int32_t today = app_today(app);
	struct dl_facts f;
	if (dl_facts_load(db, pi.id, 0, NULL, &f)) {
		snprintf(result, n, "failed");
		return 1;
	}
	int sent = 0, failed = 0;
	for (int i = 0; i < f.n_units; i++) {
		const struct dl_unit *u = &f.units[i];
		char emails[1400];
		bool enabled;
		if (reminder_recipients_get(db, u->id, emails, sizeof(emails), &enabled) != 1 || !enabled || !emails[0])
			continue;
		for (int k = 0; k < f.n_deadlines; k++) {
			const struct dl_deadline *d = &f.d[k];
			if (!dl_applies(d->audience, u->is_district, u->pilot))
				continue;
			int idx = dl_reminder_offset(d->due, today, u->done[k] != 0, offsets, n_off);
			if (idx < 0)
				continue;
			char subject[256], due[11];
			struct sbuf body = {0};
			reminder_text(app, u, d, today, subject, sizeof(subject), &body);
			date_format(d->due, due);
			char *save = NULL;
			for (char *to = strtok_r(emails, ",", &save); to; to = strtok_r(NULL, ",", &save)) {
				int64_t id = 0;
				if (reminder_claim(db, pi.id, u->id, d->key, due, offsets[idx], to, subject, &id) != 1)
					continue;
				if (reminder_send(app, db, id, to, subject, body.buf, now))
					sent++;
				else
					failed++;
			}
			sbuf_free(&body);
			/* strtok_r cut the list: read it again for the next deadline. */
			reminder_recipients_get(db, u->id, emails, sizeof(emails), &enabled);
		}
	}
	dl_facts_free(&f);
	int64_t ids[64];
	/* Earlier failures whose wait is over (not those of this run: they wait a period). */
	int nr = reminder_retry_claim(db, now, REMINDER_MAX_ATTEMPTS, ids, 64);
	for (int i = 0; i < nr; i++) {
		struct reminder_row r;
		if (reminder_get(db, ids[i], &r) != 1)
			continue;
		char body_text[2048];
		snprintf(body_text, sizeof(body_text), "%s\r\n\r\n请登录平台办理：%s/\r\n", r.subject, app->cfg.public_url);
		if (reminder_send(app, db, r.id, r.recipient, r.subject, body_text, now))
			sent++;
		else
			failed++;
	}
	snprintf(result, n, "sent %d, failed %d", sent, failed);
	return 0;
}

static const struct job jobs[] = {
	{"maintenance.purge", job_purge},
	{"certificates.expire", job_expire_certificates},
	{"reminders.send", job_reminders},
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
