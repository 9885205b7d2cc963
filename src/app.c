/*
 * app.c - settings and process-wide helpers. See app.h.
 */
#include "app.h"
#include "core/deadline.h"
#include "core/calendar.h"
#include "util.h"

#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->db, sizeof(s->db), "var/qmslift.db");
	snprintf(s->listen, sizeof(s->listen), "127.0.0.1:8080");
	snprintf(s->web_dir, sizeof(s->web_dir), "web");
	snprintf(s->data_dir, sizeof(s->data_dir), "data");
	s->threads = 0;
	s->max_connections = 1024;
	s->per_ip_connections = 128;
	s->connection_timeout = 30;
	s->max_body = 1 << 20;
	s->max_upload = 10 << 20;
	s->max_import = 64 << 20;
	s->session_idle = 2 * 3600;
	s->session_max = 12 * 3600;
	snprintf(s->pwhash, sizeof(s->pwhash), "interactive");
	s->pwhash_concurrency = 0;
	s->login_pair_limit = 5;
	s->login_ip_limit = 30;
	s->login_window = 15 * 60;
	s->login_lock = 15 * 60;
	s->trust_proxy = false;
	s->job_period = 3600;
	s->public_rate = 30;
	snprintf(s->public_url, sizeof(s->public_url), "http://127.0.0.1:8080");
	s->job_tick_ms = 30000;
	snprintf(s->smtp_from, sizeof(s->smtp_from), "qmslift@localhost");
	snprintf(s->reminder_offsets, sizeof(s->reminder_offsets), "-7,-1,1,7");
}

static bool set_int(int *dst, const char *v, long lo, long hi)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < lo || n > hi)
		return false;
	*dst = (int)n;
	return true;
}

static bool set_str(char *dst, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return false;
	memcpy(dst, v, strlen(v) + 1);
	return true;
}

/* The table of settings: name, help text. Keep in step with settings_set(). */
static const struct {
	const char *name, *arg, *help;
} settings_help[] = {
	{"db", "PATH|URL", "数据库：SQLite 文件路径（默认 var/qmslift.db）"},
	{"listen", "ADDR:PORT", "监听地址（默认 127.0.0.1:8080）"},
	{"web", "DIR", "静态网页目录（默认 web）"},
	{"data", "DIR", "参考数据目录（默认 data）"},
	{"today", "YYYY-MM-DD", "模拟日期（演示与测试；也可用环境变量 QMSLIFT_TODAY）"},
	{"threads", "N", "工作线程数（默认 CPU 核数）"},
	{"max-connections", "N", "最大并发连接数（默认 1024）"},
	{"per-ip-connections", "N", "单个地址最大连接数（默认 128）"},
	{"connection-timeout", "SEC", "空闲连接超时秒数（默认 30）"},
	{"max-body", "BYTES", "JSON 请求体上限（默认 1048576）"},
	{"max-upload", "BYTES", "上传文件上限（默认 10485760）"},
	{"max-import", "BYTES", "CSV 导入文件上限（默认 67108864）"},
	{"session-idle", "SEC", "会话空闲超时（默认 7200）"},
	{"session-max", "SEC", "会话绝对超时（默认 43200）"},
	{"pwhash", "interactive|moderate|min", "argon2id 强度（min 仅供测试；也可用 QMSLIFT_PWHASH）"},
	{"pwhash-concurrency", "N", "同时计算的密码哈希数（默认 CPU 核数）"},
	{"login-pair-limit", "N", "同一账号同一地址失败次数上限（默认 5）"},
	{"login-ip-limit", "N", "同一地址失败次数上限（默认 30）"},
	{"login-window", "SEC", "失败计数窗口（默认 900）"},
	{"login-lock", "SEC", "锁定时长（默认 900）"},
	{"trust-proxy", "yes|no", "从 X-Forwarded-For/X-Forwarded-Proto 取客户端地址和协议（仅在反向代理之后）"},
	{"public-url", "URL", "二维码中的平台地址（默认 http://127.0.0.1:8080）"},
	{"public-rate", "N", "公开证书核验每地址每分钟次数上限（默认 30）"},
	{"job-period", "SEC", "定时任务周期（默认 3600；多台服务器共享数据库时每周期只执行一次）"},
	{"job-tick-ms", "MS", "检查定时任务的间隔毫秒数（默认 30000）"},
	{"smtp-url", "URL", "发送提醒邮件的 SMTP 服务器，如 smtp://127.0.0.1:25 或 smtps://smtp.example.cn:465（默认不发邮件，仅站内提醒）"},
	{"smtp-from", "ADDRESS", "提醒邮件的发件人地址（默认 qmslift@localhost）"},
	{"smtp-user", "NAME", "SMTP 登录用户名（可选）"},
	{"smtp-password", "PASSWORD", "SMTP 登录密码（可选，建议写在配置文件中）"},
	{"reminder-offsets", "DAYS", "相对报送期限的提醒天数，负数为到期前（默认 -7,-1,1,7）"},
};

bool settings_set(struct settings *s, const char *name, const char *v)
{
	if (!strcmp(name, "db"))
		return set_str(s->db, sizeof(s->db), v);
	if (!strcmp(name, "listen"))
		return set_str(s->listen, sizeof(s->listen), v);
	if (!strcmp(name, "web"))
		return set_str(s->web_dir, sizeof(s->web_dir), v);
	if (!strcmp(name, "data"))
		return set_str(s->data_dir, sizeof(s->data_dir), v);
	if (!strcmp(name, "today")) {
		int32_t d;
		if (*v && !date_parse(v, &d))
			return false;
		return set_str(s->today, sizeof(s->today), v);
	}
	if (!strcmp(name, "threads"))
		return set_int(&s->threads, v, 0, 256);
	if (!strcmp(name, "max-connections"))
		return set_int(&s->max_connections, v, 1, 100000);
	if (!strcmp(name, "per-ip-connections"))
		return set_int(&s->per_ip_connections, v, 0, 100000);
	if (!strcmp(name, "connection-timeout"))
		return set_int(&s->connection_timeout, v, 1, 3600);
	if (!strcmp(name, "max-body")) {
		int n;
		if (!set_int(&n, v, 1024, 1 << 30))
			return false;
		s->max_body = n;
		return true;
	}
	if (!strcmp(name, "max-upload")) {
		int n;
		if (!set_int(&n, v, 1024, 1 << 30))
			return false;
		s->max_upload = n;
		return true;
	}
	if (!strcmp(name, "max-import")) {
		int n;
		if (!set_int(&n, v, 1024, 1 << 30))
			return false;
		s->max_import = n;
		return true;
	}
	if (!strcmp(name, "session-idle"))
		return set_int(&s->session_idle, v, 1, 30 * 86400);
	if (!strcmp(name, "session-max"))
		return set_int(&s->session_max, v, 1, 90 * 86400);
	if (!strcmp(name, "pwhash")) {
		if (strcmp(v, "interactive") && strcmp(v, "moderate") && strcmp(v, "min"))
			return false;
		return set_str(s->pwhash, sizeof(s->pwhash), v);
	}
	if (!strcmp(name, "pwhash-concurrency"))
		return set_int(&s->pwhash_concurrency, v, 0, 64);
	if (!strcmp(name, "login-pair-limit"))
		return set_int(&s->login_pair_limit, v, 1, 1000);
	if (!strcmp(name, "login-ip-limit"))
		return set_int(&s->login_ip_limit, v, 1, 100000);
	if (!strcmp(name, "login-window"))
		return set_int(&s->login_window, v, 1, 86400);
	if (!strcmp(name, "login-lock"))
		return set_int(&s->login_lock, v, 1, 86400);
	if (!strcmp(name, "public-url")) {
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
			return false;
		return set_str(s->public_url, sizeof(s->public_url), v);
	}
	if (!strcmp(name, "public-rate"))
		return set_int(&s->public_rate, v, 1, 100000);
	if (!strcmp(name, "job-period"))
		return set_int(&s->job_period, v, 1, 7 * 86400);
	if (!strcmp(name, "smtp-url")) {
		if (*v && strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8))
			return false;
		return set_str(s->smtp_url, sizeof(s->smtp_url), v);
	}
	if (!strcmp(name, "smtp-from"))
		return dl_email_valid(v) && set_str(s->smtp_from, sizeof(s->smtp_from), v);
	if (!strcmp(name, "smtp-user"))
		return set_str(s->smtp_user, sizeof(s->smtp_user), v);
	if (!strcmp(name, "smtp-password"))
		return set_str(s->smtp_password, sizeof(s->smtp_password), v);
	if (!strcmp(name, "reminder-offsets")) {
		int tmp[16];
		return dl_offsets_parse(v, tmp, 16) > 0 && set_str(s->reminder_offsets, sizeof(s->reminder_offsets), v);
	}
	if (!strcmp(name, "job-tick-ms"))
		return set_int(&s->job_tick_ms, v, 10, 3600000);
	if (!strcmp(name, "trust-proxy")) {
		if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
			s->trust_proxy = true;
		else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
			s->trust_proxy = false;
		else
			return false;
		return true;
	}
	return false;
}

static int ini_cb(void *user, const char *section, const char *name, const char *value)
{
	(void)section; /* sections are allowed for readability and ignored */
	char key[64];
	snprintf(key, sizeof(key), "%s", name);
	for (char *p = key; *p; p++)
		if (*p == '_')
			*p = '-';
	if (!settings_set(user, key, value)) {
		fprintf(stderr, "qmslift: 配置项无效：%s = %s\n", name, value);
		return 0;
	}
	return 1;
}

int settings_load_file(struct settings *s, const char *path)
{
	return ini_parse(path, ini_cb, s);
}

void settings_usage(void)
{
	printf("Settings (command line --name VALUE, or \"name = value\" in the --config file):\n");
	for (size_t i = 0; i < ARRAY_SIZE(settings_help); i++)
		printf("  --%-20s %-26s %s\n", settings_help[i].name, settings_help[i].arg,
		       settings_help[i].help);
}

int32_t app_today(const struct app *app)
{
	if (app->simulated)
		return app->today;
	return date_today_shanghai(now_seconds());
}

void app_init_crypto(struct app *app)
{
	if (sodium_init() < 0)
		die("libsodium 初始化失败");
	if (!strcmp(app->cfg.pwhash, "min")) {
		app->pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		app->pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	} else if (!strcmp(app->cfg.pwhash, "moderate")) {
		app->pw_ops = crypto_pwhash_OPSLIMIT_MODERATE;
		app->pw_mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else {
		app->pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		app->pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	int slots = app->cfg.pwhash_concurrency;
	if (slots <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		slots = n > 0 ? (int)n : 1;
	}
	sem_init(&app->pw_slots, 0, (unsigned)slots);
	if (app_hash_password(app, "qmslift dummy password", app->dummy_hash) != 0)
		die("无法计算密码哈希（内存不足？）");
}

int app_hash_password(struct app *app, const char *password, char out[128])
{
	sem_wait(&app->pw_slots);
	int rc = crypto_pwhash_str(out, password, strlen(password), app->pw_ops, app->pw_mem);
	sem_post(&app->pw_slots);
	return rc;
}

bool app_verify_password(struct app *app, const char *hash, const char *password)
{
	sem_wait(&app->pw_slots);
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	sem_post(&app->pw_slots);
	return rc == 0;
}
