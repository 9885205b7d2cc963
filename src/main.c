/*
 * main.c - the qmslift command: serve, init, user, demo, backup.
 *
 * Exit codes: 0 success, 1 failure (database, files, refused input),
 * 2 usage error (unknown command or option).
 */
#include "app.h"
#include "core/calendar.h"
#include "core/password.h"
#include "core/roles.h"
#include "http/server.h"
#include "render/render.h"
#include "seed.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/programmes.h"
#include "mail.h"
#include "store/users.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QMSLIFT_VERSION "0.1.0"
#define EXIT_USAGE 2

static struct app app;

/* ======================== Options ======================== */

struct cmd_opts {
	const char *positional[4];
	int n_positional;
	const char *role, *unit, *name, *admin;
	bool help;
};

/*
 * Parse "--name value" / "--name=value". Settings go to app.cfg (the config
 * file is read first so the command line wins); the few command options go
 * to o. Returns false after printing a message on a usage error.
 */
static bool parse_args(int argc, char **argv, struct cmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	/* Defaults, then the config file, then the environment, then the command line. */
	for (int i = 0; i < argc; i++) {
		const char *path = NULL;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		if (path) {
			int rc = settings_load_file(&app.cfg, path);
			if (rc < 0) {
				fprintf(stderr, "qmslift: 无法读取配置文件 %s\n", path);
				return false;
			}
			if (rc > 0) {
				fprintf(stderr, "qmslift: 配置文件 %s 第 %d 行有误\n", path, rc);
				return false;
			}
		}
	}
	const char *env_today = getenv("QMSLIFT_TODAY"), *env_pw = getenv("QMSLIFT_PWHASH");
	if (env_today && *env_today && !settings_set(&app.cfg, "today", env_today)) {
		fprintf(stderr, "qmslift: QMSLIFT_TODAY 应为 YYYY-MM-DD：%s\n", env_today);
		return false;
	}
	if (env_pw && *env_pw && !settings_set(&app.cfg, "pwhash", env_pw)) {
		fprintf(stderr, "qmslift: QMSLIFT_PWHASH 无效：%s\n", env_pw);
		return false;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			if (o->n_positional == (int)ARRAY_SIZE(o->positional)) {
				fprintf(stderr, "qmslift: 多余的参数：%s\n", a);
				return false;
			}
			o->positional[o->n_positional++] = a;
			continue;
		}
		char name[64];
		const char *eq = strchr(a, '=');
		const char *value;
		size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (nlen >= sizeof(name)) {
			fprintf(stderr, "qmslift: 未知选项：%s\n", a);
			return false;
		}
		memcpy(name, a + 2, nlen);
		name[nlen] = '\0';
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "qmslift: 选项 --%s 需要一个值\n", name);
			return false;
		}
		if (!strcmp(name, "config"))
			continue;
		if (!strcmp(name, "role"))
			o->role = value;
		else if (!strcmp(name, "unit"))
			o->unit = value;
		else if (!strcmp(name, "name"))
			o->name = value;
		else if (!strcmp(name, "admin"))
			o->admin = value;
		else if (!settings_set(&app.cfg, name, value)) {
			fprintf(stderr, "qmslift: 未知选项或取值无效：--%s %s（见 qmslift serve --help）\n",
				name, value);
			return false;
		}
	}
	return true;
}

/* ======================== Shared steps ======================== */

static struct db *open_and_migrate(void)
{
	char err[512];
	struct db *db = db_open(app.cfg.db, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "qmslift: %s\n", err);
		return NULL;
	}
	if (db_migrate(db, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "qmslift: %s\n", err);
		db_close(db);
		return NULL;
	}
	return db;
}

static void load_common_passwords(void)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/common-passwords.txt", app.cfg.data_dir);
	char *text = read_file(path, NULL);
	if (!text) {
		log_error("common-password list %s not found; only length rules apply", path);
		return;
	}
	common_passwords_load(&app.common, text);
	free(text);
}

static void load_size_table(void)
{
	char path[1024], err[256];
	snprintf(path, sizeof(path), "%s/size-classes.json", app.cfg.data_dir);
	char *text = read_file(path, NULL);
	if (!text) {
		log_error("size-class table %s not found: enterprises cannot be registered", path);
		return;
	}
	app.sizes = size_table_load(text, err, sizeof(err));
	free(text);
	if (!app.sizes)
		log_error("size-class table %s: %s", path, err);
}

static void setup_today(void)
{
	if (app.cfg.today[0]) {
		date_parse(app.cfg.today, &app.today);
		app.simulated = true;
		/* Records made today carry the simulated date (same time of day). */
		int64_t now = now_seconds();
		clock_set_business_offset(((int64_t)app.today - date_today_shanghai(now)) * 86400);
	}
}

/* Read a password from QMSLIFT_PASSWORD (or env_name), else one line of stdin. */
static bool read_password(const char *env_name, const char *prompt, char *out, size_t n)
{
	const char *e = getenv(env_name);
	if (!e || !*e)
		e = getenv("QMSLIFT_PASSWORD");
	if (e && *e) {
		snprintf(out, n, "%s", e);
		return true;
	}
	if (isatty(0))
		fprintf(stderr, "%s", prompt);
	if (!fgets(out, (int)n, stdin))
		return false;
	out[strcspn(out, "\r\n")] = '\0';
	return out[0] != '\0';
}

/* ======================== Commands ======================== */

static int cmd_serve(struct cmd_opts *o)
{
	if (o->help || o->n_positional) {
		printf("Usage: qmslift serve [--db PATH] [--listen ADDR:PORT] [--today YYYY-MM-DD] "
		       "[--config FILE] [options]\n\n");
		settings_usage();
		printf("\nEnvironment: QMSLIFT_TODAY (simulated date), QMSLIFT_PWHASH.\n");
		return o->help ? 0 : EXIT_USAGE;
	}
	struct db *db = open_and_migrate();
	if (!db)
		return 1;
	json_t *p = programmes_current(db);
	if (!p)
		log_error("database %s holds no programme yet: run `qmslift init` or `qmslift demo`",
			  app.cfg.db);
	json_decref(p);
	sessions_purge(db, now_seconds() - app.cfg.session_idle, now_seconds() - app.cfg.session_max);
	db_close(db);
	setup_today();
	load_common_passwords();
	load_size_table();
	render_init();
	mail_global_init();
	app_init_crypto(&app);
	return server_run(&app);
}

static void count_only(const struct user_row *u, void *ctx)
{
	(void)u;
	(void)ctx;
}

static int cmd_init(struct cmd_opts *o, bool demo)
{
	if (o->help || o->n_positional) {
		if (demo)
			printf("Usage: qmslift demo [--db PATH] [--data DIR]\n\n"
			       "Create or migrate the database and load the Shanghai 2021 programme, the\n"
			       "unit directory and the demo data (fictional certification bodies, an\n"
			       "enterprise, and the demo accounts with password qmslift-demo).\n");
		else
			printf("Usage: qmslift init [--db PATH] [--data DIR] [--admin USERNAME]\n\n"
			       "Create or migrate the database and load the reference data (programmes,\n"
			       "units). When no city administrator exists yet, create one (default name\n"
			       "admin) with the password from QMSLIFT_ADMIN_PASSWORD or the first line of\n"
			       "standard input. There is no default password.\n");
		return o->help ? 0 : EXIT_USAGE;
	}
	struct db *db = open_and_migrate();
	if (!db)
		return 1;
	char err[512];
	int rc = 0;
	setup_today();
	app_init_crypto(&app);
	load_common_passwords();
	load_size_table();
	if (seed_reference(db, app.cfg.data_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "qmslift: %s\n", err);
		rc = 1;
	} else if (demo) {
		if (seed_demo(db, &app, app.cfg.data_dir, err, sizeof(err)) != 0) {
			fprintf(stderr, "qmslift: %s\n", err);
			rc = 1;
		}
	} else {
		struct user_filter f = {.role = "city_admin", .active = -1, .limit = 1};
		if (users_list(db, &f, count_only, NULL) == 0) {
			const char *name = o->admin ? o->admin : "admin";
			char pw[256];
			if (!read_password("QMSLIFT_ADMIN_PASSWORD", "首位市局管理员的密码：", pw, sizeof(pw))) {
				fprintf(stderr, "qmslift: 需要首位管理员的密码（QMSLIFT_ADMIN_PASSWORD 或标准输入）\n");
				rc = 1;
			} else {
				enum password_verdict v = password_check(&app.common, name, pw);
				char hash[128];
				int64_t city = units_id_by_name(db, "上海市市场监督管理局");
				if (v != PW_OK) {
					fprintf(stderr, "qmslift: %s\n", password_verdict_message(v));
					rc = 1;
				} else if (app_hash_password(&app, pw, hash) != 0 ||
					   users_insert(db, name, "市局管理员", "city_admin", city, 0, hash, false) <= 0) {
					fprintf(stderr, "qmslift: 无法创建管理员 %s：%s\n", name, db_errmsg(db));
					rc = 1;
				} else {
					printf("已创建市局管理员 %s\n", name);
				}
			}
		}
	}
	if (!rc)
		printf("数据库 %s 已就绪（结构版本 %d）\n", app.cfg.db, db_schema_version(db));
	db_close(db);
	return rc;
}

static int cmd_user(struct cmd_opts *o)
{
	const char *sub = o->n_positional > 0 ? o->positional[0] : NULL;
	const char *username = o->n_positional > 1 ? o->positional[1] : NULL;
	if (o->help || !sub || !username ||
	    (strcmp(sub, "add") && strcmp(sub, "disable") && strcmp(sub, "passwd"))) {
		printf("Usage:\n"
		       "  qmslift user add USERNAME --role ROLE [--unit UNIT_NAME] [--name DISPLAY_NAME]\n"
		       "  qmslift user disable USERNAME\n"
		       "  qmslift user passwd USERNAME\n\n"
		       "Roles: city_admin, district_officer, cb_staff (enterprise accounts are made in the web UI).\n"
		       "Passwords come from QMSLIFT_PASSWORD or the first line of standard input.\n"
		       "Common options: --db PATH --data DIR\n");
		return o->help ? 0 : EXIT_USAGE;
	}
	struct db *db = open_and_migrate();
	if (!db)
		return 1;
	int rc = 1;
	struct user_row u;
	int found = users_get_by_name(db, username, &u);
	load_common_passwords();
	app_init_crypto(&app);
	if (!strcmp(sub, "disable")) {
		if (found != 1)
			fprintf(stderr, "qmslift: 用户不存在：%s\n", username);
		else if (users_set_active(db, u.id, false) == 0 && sessions_delete_user(db, u.id, NULL) == 0) {
			audit_append(db, 0, "(命令行)", "cli", "user.disable", "user", u.id,
				     json_pack("{s:s}", "username", username));
			printf("已停用用户 %s\n", username);
			rc = 0;
		}
	} else {
		enum role r = sub[0] == 'a' ? role_parse(o->role) : ROLE_NONE;
		int64_t unit_id = 0;
		if (sub[0] == 'a' && found == 1) {
			fprintf(stderr, "qmslift: 用户已存在：%s\n", username);
			goto out;
		}
		if (sub[0] == 'p' && found != 1) {
			fprintf(stderr, "qmslift: 用户不存在：%s\n", username);
			goto out;
		}
		if (sub[0] == 'a' && (r == ROLE_NONE || r == ROLE_ENTERPRISE)) {
			fprintf(stderr, "qmslift: --role 应为 city_admin、district_officer 或 cb_staff\n");
			rc = EXIT_USAGE;
			goto out;
		}
		if (sub[0] == 'a' && o->unit && !(unit_id = units_id_by_name(db, o->unit))) {
			fprintf(stderr, "qmslift: 单位不存在：%s\n", o->unit);
			goto out;
		}
		if (sub[0] == 'a' && r != ROLE_CITY_ADMIN && !unit_id) {
			fprintf(stderr, "qmslift: 该角色需要 --unit（单位全称）\n");
			rc = EXIT_USAGE;
			goto out;
		}
		char pw[256], hash[128];
		if (!read_password("QMSLIFT_PASSWORD", "新密码：", pw, sizeof(pw))) {
			fprintf(stderr, "qmslift: 需要密码（QMSLIFT_PASSWORD 或标准输入）\n");
			goto out;
		}
		enum password_verdict v = password_check(&app.common, username, pw);
		if (v != PW_OK) {
			fprintf(stderr, "qmslift: %s\n", password_verdict_message(v));
			goto out;
		}
		if (app_hash_password(&app, pw, hash) != 0)
			goto out;
		if (sub[0] == 'a') {
			int64_t id = users_insert(db, username, o->name ? o->name : username, role_name(r),
						  unit_id, 0, hash, false);
			if (id > 0) {
				audit_append(db, 0, "(命令行)", "cli", "user.create", "user", id,
					     json_pack("{s:s,s:s}", "username", username, "role", role_name(r)));
				printf("已创建用户 %s（%s）\n", username, role_label(r));
				rc = 0;
			}
		} else if (users_set_password(db, u.id, hash, false) == 0 &&
			   sessions_delete_user(db, u.id, NULL) == 0) {
			audit_append(db, 0, "(命令行)", "cli", "user.reset_password", "user", u.id,
				     json_pack("{s:s}", "username", username));
			printf("已修改用户 %s 的密码\n", username);
			rc = 0;
		}
	}
out:
	db_close(db);
	return rc;
}

static int cmd_backup(struct cmd_opts *o)
{
	if (o->help || o->n_positional != 1) {
		printf("Usage: qmslift backup DEST [--db PATH]\n\n"
		       "Copy the SQLite database to DEST with the online backup API (safe while the\n"
		       "server runs). PostgreSQL deployments use pg_dump instead.\n");
		return o->help ? 0 : EXIT_USAGE;
	}
	char err[512];
	struct db *db = db_open(app.cfg.db, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "qmslift: %s\n", err);
		return 1;
	}
	int rc = db_backup(db, o->positional[0], err, sizeof(err));
	db_close(db);
	if (rc != DB_OK) {
		fprintf(stderr, "qmslift: %s\n", err);
		return 1;
	}
	printf("已备份到 %s\n", o->positional[0]);
	return 0;
}

static void usage(void)
{
	printf("qmslift %s - 小微企业质量管理体系认证提升行动服务平台\n\n"
	       "Usage: qmslift COMMAND [options]\n\n"
	       "Commands:\n"
	       "  serve     run the web server\n"
	       "  init      create or migrate a database and load the reference data\n"
	       "  demo      init plus the demo data and accounts\n"
	       "  user      add | disable | passwd a user\n"
	       "  backup    copy the SQLite database online\n\n"
	       "Run `qmslift COMMAND --help` for the options of a command.\n",
	       QMSLIFT_VERSION);
}

int main(int argc, char **argv)
{
	settings_defaults(&app.cfg);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage();
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("qmslift %s\n", QMSLIFT_VERSION);
		return 0;
	}
	struct cmd_opts o;
	if (!parse_args(argc - 2, argv + 2, &o))
		return EXIT_USAGE;
	const char *cmd = argv[1];
	int rc;
	if (!strcmp(cmd, "serve"))
		rc = cmd_serve(&o);
	else if (!strcmp(cmd, "init"))
		rc = cmd_init(&o, false);
	else if (!strcmp(cmd, "demo"))
		rc = cmd_init(&o, true);
	else if (!strcmp(cmd, "user"))
		rc = cmd_user(&o);
	else if (!strcmp(cmd, "backup"))
		rc = cmd_backup(&o);
	else {
		fprintf(stderr, "qmslift: 未知命令：%s\n\n", cmd);
		usage();
		return EXIT_USAGE;
	}
	common_passwords_free(&app.common);
	size_table_free(app.sizes);
	return rc;
}
