/*
 * server.h - the HTTP server (libmicrohttpd, thread pool with epoll).
 */
#ifndef QMS_SERVER_H
#define QMS_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct request;

/* Start serving; blocks until SIGINT/SIGTERM; returns an exit code. */
int server_run(struct app *app);

/* Queue a response (used by reply_*). body may be NULL; owned=true frees it. */
void server_send(struct request *rq, int status, const char *content_type, char *body,
		 size_t len, bool owned);

/* The database connection of the calling worker thread (opened on first use). */
struct db *server_thread_db(struct app *app);

#endif
