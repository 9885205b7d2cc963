/*
 * server.c - libmicrohttpd front end: request lifecycle, body limits,
 * security headers, static files, dispatch to the API routes, request logs.
 */
#include "server.h"
#include "http.h"
#include "session.h"
#include "../api/api.h"
#include "../app.h"
#include "../jobs.h"
#include "../store/db.h"
#include "../util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bodies at most this much over the limit are drained before a 413 is sent. */
#define DRAIN_EXCESS (8LL << 20)

static const char CSP[] =
	"default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
	"form-action 'self'";

/* ======================== Per-thread database connections ======================== */

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db **conns;
static size_t n_conns;
static __thread struct db *thread_db;

struct db *server_thread_db(struct app *app)
{
	if (thread_db)
		return thread_db;
	char err[512];
	struct db *db = db_open(app->cfg.db, err, sizeof(err));
	if (!db) {
		log_error("%s", err);
		return NULL;
	}
	pthread_mutex_lock(&conns_lock);
	conns = xrealloc(conns, (n_conns + 1) * sizeof(*conns));
	conns[n_conns++] = db;
	pthread_mutex_unlock(&conns_lock);
	thread_db = db;
	return db;
}

static void close_thread_dbs(void)
{
	pthread_mutex_lock(&conns_lock);
	for (size_t i = 0; i < n_conns; i++)
		db_close(conns[i]);
	free(conns);
	conns = NULL;
	n_conns = 0;
	pthread_mutex_unlock(&conns_lock);
}

/* ======================== Sending ======================== */

static void add_common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
}

static void queue(struct request *rq, int status, struct MHD_Response *r)
{
	add_common_headers(r);
	if (rq->set_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", rq->set_cookie);
	if (rq->allow[0])
		MHD_add_response_header(r, "Allow", rq->allow);
	if (rq->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", rq->disposition);
	if (MHD_queue_response(rq->conn, (unsigned)status, r) != MHD_YES)
		log_error("could not queue response for %s", rq->path ? rq->path : "?");
	MHD_destroy_response(r);
	rq->answered = true;
	rq->status = status;
}

void server_send(struct request *rq, int status, const char *content_type, char *body,
		 size_t len, bool owned)
{
	if (rq->answered)
		BUG("two replies for one request");
	struct MHD_Response *r;
	if (body)
		r = MHD_create_response_from_buffer(len, body,
						    owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_MUST_COPY);
	else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		if (owned)
			free(body);
		return;
	}
	if (content_type)
		MHD_add_response_header(r, "Content-Type", content_type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	queue(rq, status, r);
}

/* ======================== Static files ======================== */

static const struct {
	const char *ext, *type;
} mime_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".map", "application/json; charset=utf-8"},
	{".csv", "text/csv; charset=utf-8"},
	{".pdf", "application/pdf"},
};

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < ARRAY_SIZE(mime_types); i++)
			if (!strcmp(dot, mime_types[i].ext))
				return mime_types[i].type;
	return NULL;
}

/* A URL path is safe to map onto web/ when no segment is empty-dot, "..",
 * hidden, or contains a backslash or NUL. Unknown extensions are refused. */
static bool static_path_ok(const char *p)
{
	if (p[0] != '/' || strlen(p) > 256 || strchr(p, '\\'))
		return false;
	for (const char *s = p; *s; s++) {
		if (*s == '/' && s[1] == '.')
			return false;
		if (*s == '/' && s[1] == '/')
			return false;
		if ((unsigned char)*s < 0x20)
			return false;
	}
	return true;
}

static void not_found_page(struct request *rq)
{
	static const char page[] =
		"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>页面不存在</title>"
		"<p>页面不存在。<a href=\"/\">返回首页</a></p></html>";
	server_send(rq, 404, "text/html; charset=utf-8", (char *)page, sizeof(page) - 1, false);
}

static void serve_static(struct request *rq)
{
	const char *p = rq->path;
	if (!strcmp(p, "/") || !strcmp(p, "/login"))
		p = "/index.html";
	else if (!strcmp(p, "/verify"))
		p = "/verify.html"; /* the public verification page, no login */
	const char *type = mime_for(p);
	if (!static_path_ok(p) || !type) {
		not_found_page(rq);
		return;
	}
	char full[1024];
	if (snprintf(full, sizeof(full), "%s%s", rq->app->cfg.web_dir, p) >= (int)sizeof(full)) {
		not_found_page(rq);
		return;
	}
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		not_found_page(rq);
		return;
	}
	/* A gzip copy made at build time (FILE.gz, not older than FILE) is sent to
	 * clients that accept it: only the browser libraries in web/vendor/ have one,
	 * so other files cost no extra open(). */
	bool gz = false;
	char gzfull[1030];
	if (!strncmp(p, "/vendor/", 8) && http_accepts_gzip(header_get(rq, "Accept-Encoding")) &&
	    snprintf(gzfull, sizeof(gzfull), "%s.gz", full) < (int)sizeof(gzfull)) {
		int gfd = open(gzfull, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat gst;
		if (gfd >= 0 && fstat(gfd, &gst) == 0 && S_ISREG(gst.st_mode) && gst.st_mtime >= st.st_mtime) {
			close(fd);
			fd = gfd;
			st.st_size = gst.st_size; /* the bytes sent; Last-Modified stays the file's */
			gz = true;
		} else if (gfd >= 0) {
			close(gfd);
		}
	}
	char lastmod[64];
	struct tm tm;
	gmtime_r(&st.st_mtime, &tm);
	strftime(lastmod, sizeof(lastmod), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	char etag[64];
	snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size, gz ? "-gz" : "");
	const char *inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && !strcmp(inm, etag)) {
		close(fd);
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
									 MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
		queue(rq, 304, r);
		return;
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		reply_error(rq, 503, "unavailable", "服务器繁忙", NULL);
		return;
	}
	MHD_add_response_header(r, "Content-Type", type);
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	MHD_add_response_header(r, "Last-Modified", lastmod);
	MHD_add_response_header(r, "ETag", etag);
	/* Revalidate every time (cheap 304s) so a new release is never half-cached. */
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	queue(rq, 200, r);
}

/* ======================== Dispatch ======================== */

static bool is_state_change(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD");
}

static void serve_health(struct request *rq)
{
	struct db *db = server_thread_db(rq->app);
	if (db && api_ping(db))
		reply_json(rq, 200, json_pack("{s:s}", "status", "ok"));
	else
		reply_json(rq, 503, json_pack("{s:s}", "status", "unavailable"));
}

static void serve_api(struct request *rq)
{
	const struct route *route = rq->route;
	switch (rq->route_result) {
	case ROUTE_NOT_FOUND:
		reply_error(rq, 404, "not_found", "接口不存在", NULL);
		return;
	case ROUTE_BAD_METHOD:
		route_allowed_methods(api_routes, api_n_routes, rq->path, rq->allow, sizeof(rq->allow));
		reply_error(rq, 405, "method_not_allowed", "该接口不支持此请求方法", NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	if (rq->body_len && !(route->flags & RF_RAW_BODY)) {
		const char *ct = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
		if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
			reply_error(rq, 415, "unsupported_media_type",
				    "请求体必须是 JSON（Content-Type: application/json）", NULL);
			return;
		}
	}
	rq->db = server_thread_db(rq->app);
	if (!rq->db) {
		reply_db_error(rq);
		return;
	}
	if (!(route->flags & RF_PUBLIC)) {
		if (!session_authenticate(rq))
			return; /* replied 401 */
		if (is_state_change(rq->method) && !(route->flags & RF_NO_CSRF) &&
		    !session_csrf_ok(rq)) {
			reply_error(rq, 403, "csrf_failed", "安全校验失败，请刷新页面后重试", NULL);
			return;
		}
		if (route->roles && !role_or_reply(rq, route->roles))
			return;
	}
	route->fn(rq);
	if (!rq->answered)
		BUG("handler returned without a reply");
}

static void dispatch(struct request *rq)
{
	if (rq->body_too_large) {
		char msg[128];
		snprintf(msg, sizeof(msg), "请求内容过大（上限 %zu KB）", rq->body_limit / 1024);
		reply_error(rq, 413, "body_too_large", msg, NULL);
		return;
	}
	if (!strncmp(rq->path, "/api/", 5) || !strcmp(rq->path, "/api")) {
		serve_api(rq);
	} else if (!strcmp(rq->path, "/healthz")) {
		if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
			snprintf(rq->allow, sizeof(rq->allow), "GET, HEAD");
			reply_error(rq, 405, "method_not_allowed", "不支持此请求方法", NULL);
		} else {
			serve_health(rq);
		}
	} else if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")) {
		serve_static(rq);
	} else {
		snprintf(rq->allow, sizeof(rq->allow), "GET, HEAD");
		reply_error(rq, 405, "method_not_allowed", "不支持此请求方法", NULL);
	}
}

/* ======================== libmicrohttpd callbacks ======================== */

static void client_ip(struct request *rq)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(rq->ip, sizeof(rq->ip), "?");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, rq->ip,
				  sizeof(rq->ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, rq->ip,
				  sizeof(rq->ip));
	}
	if (rq->app->cfg.trust_proxy) {
		const char *proto = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
								"X-Forwarded-Proto");
		rq->tls = proto && !strcmp(proto, "https");
		const char *xff = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
							      "X-Forwarded-For");
		if (xff && *xff) {
			/* The last address is the one our proxy saw. */
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			if (strlen(last) < sizeof(rq->ip) && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
				snprintf(rq->ip, sizeof(rq->ip), "%s", last);
		}
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct app *app = cls;
	struct request *rq = *con_cls;
	if (!rq) {
		rq = xcalloc(1, sizeof(*rq));
		rq->conn = conn;
		rq->app = app;
		rq->method = method;
		rq->path = xstrdup(url);
		rq->started_ms = now_ms();
		client_ip(rq);
		*con_cls = rq;
		rq->body_limit = (size_t)app->cfg.max_body;
		if (!strncmp(rq->path, "/api/", 5)) {
			/* Route now: file uploads have their own, larger body limit. */
			const char *m = strcmp(method, "HEAD") ? method : "GET";
			rq->route_result = route_match(api_routes, api_n_routes, m, rq->path, &rq->route,
						       &rq->params);
			if (rq->route && (rq->route->flags & RF_BIG_BODY))
				rq->body_limit = (size_t)app->cfg.max_import;
			else if (rq->route && (rq->route->flags & RF_RAW_BODY))
				rq->body_limit = (size_t)app->cfg.max_upload;
		}
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		long long declared = cl ? strtoll(cl, NULL, 10) : 0;
		if (declared > (long long)rq->body_limit) {
			/*
			 * A modest excess is read and thrown away before the 413, because
			 * closing with unread data makes the kernel reset the connection and
			 * the client would never see the answer. A huge one is refused at once.
			 */
			if (declared > (long long)rq->body_limit + DRAIN_EXCESS)
				reply_error(rq, 413, "body_too_large", "请求内容过大", NULL);
			else
				rq->body_too_large = true;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rq->answered && !rq->body_too_large) {
			if (rq->body_len + *upload_data_size > rq->body_limit) {
				rq->body_too_large = true;
				free(rq->body);
				rq->body = NULL;
				rq->body_len = 0;
			} else {
				rq->body = xrealloc(rq->body, rq->body_len + *upload_data_size + 1);
				memcpy(rq->body + rq->body_len, upload_data, *upload_data_size);
				rq->body_len += *upload_data_size;
				rq->body[rq->body_len] = '\0';
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	dispatch(rq);
	return rq->answered ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct request *rq = *con_cls;
	if (!rq)
		return;
	double ms = now_ms() - rq->started_ms;
	fprintf(stderr, "method=%s path=%s status=%d ms=%.2f user=%lld ip=%s%s\n", rq->method,
		rq->path, rq->answered ? rq->status : 0, ms, (long long)rq->user.user_id, rq->ip,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	free(rq->path);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	fprintf(stderr, "level=warn src=mhd msg=\"%s\"\n", buf);
}

/*
 * Percent-decoding of the URL path and query. Like libmicrohttpd's own, but
 * "%00" is left encoded: a decoded NUL would silently cut the path short
 * ("/index.html%00.js" would become "/index.html").
 */
static size_t unescape_url(void *cls, struct MHD_Connection *conn, char *uri)
{
	(void)cls;
	(void)conn;
	char *r = uri, *w = uri;
	while (*r) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2]) &&
		    !(r[1] == '0' && r[2] == '0')) {
			char hex[3] = {r[1], r[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - uri);
}

/* ======================== Run ======================== */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static bool parse_listen(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return false;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) == 1;
}

int server_run(struct app *app)
{
	struct sockaddr_in sa;
	if (!parse_listen(app->cfg.listen, &sa)) {
		fprintf(stderr, "qmslift: 监听地址无效：%s（应为 IP:端口，例如 127.0.0.1:8080）\n",
			app->cfg.listen);
		return 2;
	}
	unsigned threads = (unsigned)app->cfg.threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	struct sigaction act = {0};
	act.sa_handler = on_signal;
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->cfg.max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg.per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->cfg.connection_timeout,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape_url, NULL,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "qmslift: 无法在 %s 上监听：%s\n", app->cfg.listen, strerror(errno));
		return 1;
	}
	log_info("qmslift listening on http://%s (threads=%u db=%s today=%s)", app->cfg.listen,
		 threads, app->cfg.db, app->simulated ? app->cfg.today : "real");
	snprintf(app->server_id, sizeof(app->server_id), "%.100s/%ld", app->cfg.listen, (long)getpid());
	/* The main thread runs the scheduler with its own connection. */
	struct db *jobs_db = NULL;
	double next_tick = now_ms();
	while (!stop_requested) {
		if (now_ms() >= next_tick) {
			if (!jobs_db) {
				char err[512];
				jobs_db = db_open(app->cfg.db, err, sizeof(err));
				if (!jobs_db)
					log_error("scheduler: %s", err);
			}
			if (jobs_db)
				jobs_tick(app, jobs_db, now_seconds());
			next_tick = now_ms() + app->cfg.job_tick_ms;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	db_close(jobs_db);
	log_info("stopping");
	MHD_stop_daemon(d);
	close_thread_dbs();
	return 0;
}
