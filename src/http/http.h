/*
 * http.h - one HTTP request as handlers see it, and the ways to answer.
 *
 * A handler reads like a sentence: authorise -> parse -> validate -> store ->
 * reply. Helpers named ..._or_reply() validate, send the error themselves and
 * return false, so the caller just returns.
 */
#ifndef QMS_HTTP_H
#define QMS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "router.h"
#include "../core/roles.h"
#include "../store/users.h"

struct MHD_Connection;
struct db;
struct app;

struct request {
	struct MHD_Connection *conn;
	struct app *app;
	struct db *db;         /* this worker thread's connection */
	const char *method;
	char *path;            /* decoded, owned */
	char ip[64];
	char *body;            /* raw body, NUL-terminated, owned */
	size_t body_len;
	bool body_too_large;
	bool answered;
	int status;
	double started_ms;
	struct route_params params;
	const struct route *route;      /* matched at the first callback */
	enum route_result route_result;
	size_t body_limit;              /* max-body, or max-upload for file routes */
	struct principal user; /* role ROLE_NONE when anonymous */
	struct user_row me;    /* the caller's account, loaded with the session */
	char csrf_token[64];
	bool tls;
	char allow[64];        /* Allow header of a 405 reply */
	char disposition[768]; /* Content-Disposition of a file reply */
	/* Set-Cookie to add to the reply, if any. */
	char set_cookie[256];
};

/* ---- Replies ---- */
void reply_json(struct request *rq, int status, json_t *body);   /* steals body */
void reply_error(struct request *rq, int status, const char *code, const char *message,
		 const char *field);
void reply_empty(struct request *rq, int status);
/* Common errors. */
void reply_not_found(struct request *rq);
void reply_forbidden(struct request *rq);
void reply_db_error(struct request *rq);
void reply_invalid(struct request *rq, const char *field, const char *message);

/* Binary reply (a file); filename (may be NULL) sets Content-Disposition: attachment. */
void reply_bytes(struct request *rq, int status, const char *content_type, const void *data,
		 size_t len, const char *filename);

/* ---- Query parameters and headers ---- */
const char *query_get(struct request *rq, const char *name);
const char *header_get(struct request *rq, const char *name);
/* Whether an Accept-Encoding value allows gzip: "gzip" (or "*") listed with a
 * q-value above zero; an explicit "gzip;q=0" refuses it. NULL -> false. */
bool http_accepts_gzip(const char *accept_encoding);

struct paging {
	int page, per_page;
	int64_t offset;
};
/* Parse page/per_page (default 1 and 50, per_page at most 200). */
bool paging_or_reply(struct request *rq, struct paging *pg);
/* {"items":items,"total":..,"page":..,"per_page":..}; steals items. */
void reply_page(struct request *rq, json_t *items, int64_t total, const struct paging *pg);

/* ---- JSON bodies ---- */
/* Parse the body as a JSON object; on failure replies 400 and returns NULL. */
json_t *body_object_or_reply(struct request *rq);
/* Refuse keys not in allowed (NULL-terminated); replies 400 unknown_field. */
bool known_fields_or_reply(struct request *rq, json_t *obj, const char *const *allowed);
/*
 * Read a string field. required: missing/null/empty -> 422. Wrong type -> 400.
 * The string is trimmed of ASCII spaces into out (size outsz); longer than
 * max_chars characters -> 422. *out_present tells whether the key was given.
 */
bool string_field_or_reply(struct request *rq, json_t *obj, const char *key, bool required,
			   size_t max_chars, char *out, size_t outsz, const char *label);
/* Read an integer field (JSON integer); missing -> def (or 422 when required). */
bool int_field_or_reply(struct request *rq, json_t *obj, const char *key, bool required,
			int64_t def, int64_t *out, const char *label);

/* ---- Callers ---- */
bool role_or_reply(struct request *rq, unsigned roles_mask);

/* Record an audit entry as the current user. detail may be NULL (steals). */
void audit(struct request *rq, const char *action, const char *object_type, int64_t object_id,
	   json_t *detail);

/* JSON for a UNIX time (RFC 3339) or null when t is 0. */
json_t *json_time(int64_t t);

#endif
