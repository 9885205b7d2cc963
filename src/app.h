/*
 * app.h - settings and process-wide state shared by every request.
 *
 * Settings come from the command line, then the config file (--config, INI),
 * then the defaults below; see settings_usage() for the list.
 */
#ifndef QMS_APP_H
#define QMS_APP_H

#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/password.h"
#include "core/sizeclass.h"

struct settings {
	char db[512];
	char listen[128];
	char web_dir[512];
	char data_dir[512];
	char today[16];          /* simulated date, "" = real date */
	int threads;             /* 0 = number of CPUs */
	int max_connections;
	int per_ip_connections;
	int connection_timeout;  /* seconds */
	int64_t max_body;        /* bytes */
	int64_t max_upload;      /* bytes, for file uploads */
	int64_t max_import;      /* bytes, for CSV imports */
	int session_idle;        /* seconds */
	int session_max;         /* seconds */
	char pwhash[16];         /* interactive | moderate | min (tests only) */
	int pwhash_concurrency;  /* simultaneous argon2id hashes */
	int login_pair_limit;    /* failures per account+address */
	int login_ip_limit;      /* failures per address */
	int login_window;        /* seconds */
	int login_lock;          /* seconds */
	bool trust_proxy;        /* take the client address from X-Forwarded-For */
	int job_period;          /* seconds per scheduled-job period */
	int public_rate;         /* public lookups per minute per address */
	char public_url[256];    /* base URL printed in QR codes */
	int job_tick_ms;         /* how often the scheduler looks for due jobs */
	char smtp_url[256];      /* smtp://host:port or smtps://…; "" = reminders in-app only */
	char smtp_from[256];
	char smtp_user[128];
	char smtp_password[256];
	char reminder_offsets[128]; /* days relative to a due date, e.g. "-7,-1,1,7" */
};

void settings_defaults(struct settings *s);
/* Apply one "name = value" setting; returns false for unknown names or bad values. */
bool settings_set(struct settings *s, const char *name, const char *value);
/* Read an INI file; returns 0, or the line number of the first error, or -1. */
int settings_load_file(struct settings *s, const char *path);
void settings_usage(void);

struct app {
	struct settings cfg;
	struct common_passwords common;
	struct size_table *sizes;  /* 工信部联企业〔2011〕300号, from data/size-classes.json */
	int32_t today;           /* day number; fixed when simulated */
	bool simulated;
	unsigned long long pw_ops;
	size_t pw_mem;
	sem_t pw_slots;
	char server_id[128];     /* host:port/pid, recorded with job runs */
	char dummy_hash[128];    /* verified against for unknown users (same timing) */
};

/* Today: the simulated date, or the date in Asia/Shanghai now. */
int32_t app_today(const struct app *app);

/* Password hashing with a cap on concurrent argon2id runs. */
int app_hash_password(struct app *app, const char *password, char out[128]);
bool app_verify_password(struct app *app, const char *hash, const char *password);
void app_init_crypto(struct app *app);

#endif
