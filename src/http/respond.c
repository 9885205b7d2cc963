/*
 * respond.c - replies, query parameters, JSON body helpers. See http.h.
 */
#include "http.h"
#include "jsonin.h"
#include "server.h"
#include "../store/audit.h"
#include "../util.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ======================== Replies ======================== */

void reply_json(struct request *rq, int status, json_t *body)
{
	/* 15 significant digits: 4.8 prints as 4.8, not 4.7999999999999998. */
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(body);
	if (!text) {
		BUG("json_dumps failed");
	}
	server_send(rq, status, "application/json; charset=utf-8", text, strlen(text), true);
}

void reply_error(struct request *rq, int status, const char *code, const char *message,
		 const char *field)
{
	json_t *err = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", code, "message", message,
				"field", field ? json_string(field) : json_null());
	reply_json(rq, status, err);
}

void reply_empty(struct request *rq, int status)
{
	server_send(rq, status, NULL, NULL, 0, false);
}

void reply_bytes(struct request *rq, int status, const char *content_type, const void *data,
		 size_t len, const char *filename)
{
	if (filename) {
		/* RFC 6266/5987: an ASCII fallback plus the UTF-8 name, percent-encoded. */
		struct sbuf cd = {0};
		sbuf_adds(&cd, "attachment; filename=\"download");
		const char *dot = strrchr(filename, '.');
		if (dot && strlen(dot) <= 6 && strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(dot + 1))
			sbuf_adds(&cd, dot);
		sbuf_adds(&cd, "\"; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '.' || *p == '-' || *p == '_')
				sbuf_add(&cd, (const char *)p, 1);
			else
				sbuf_printf(&cd, "%%%02X", *p);
		}
		snprintf(rq->disposition, sizeof(rq->disposition), "%s", cd.buf);
		sbuf_free(&cd);
	}
	server_send(rq, status, content_type, (char *)data, len, false);
}

void reply_not_found(struct request *rq)
{
	reply_error(rq, 404, "not_found", "记录不存在或无权查看", NULL);
}

void reply_forbidden(struct request *rq)
{
	reply_error(rq, 403, "forbidden", "当前角色无权执行此操作", NULL);
}

void reply_db_error(struct request *rq)
{
	reply_error(rq, 503, "unavailable", "数据库暂时不可用，请稍后重试", NULL);
}

void reply_invalid(struct request *rq, const char *field, const char *message)
{
	reply_error(rq, 422, "invalid", message, field);
}

/* ======================== Query parameters ======================== */

const char *query_get(struct request *rq, const char *name)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

const char *header_get(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* A q-value is zero when it reads 0, 0., 0.0, 0.00 or 0.000 (RFC 9110 12.4.2). */
static bool qvalue_zero(const char *q, size_t n)
{
	if (!n || q[0] != '0')
		return false;
	for (size_t i = 1; i < n; i++)
		if (q[i] != '0' && !(i == 1 && q[i] == '.'))
			return false;
	return true;
}

bool http_accepts_gzip(const char *v)
{
	int gzip = -1, star = -1; /* -1 not listed, 0 refused, 1 accepted */
	const char *p = v;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t len = (size_t)(p - tok);
		bool zero = false;
		while (*p && *p != ',') { /* parameters: only q matters */
			if (*p == ';') {
				p++;
				while (*p == ' ' || *p == '\t')
					p++;
				if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
					const char *q = p + 2;
					p = q;
					while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
						p++;
					zero = qvalue_zero(q, (size_t)(p - q));
				}
				continue;
			}
			p++;
		}
		if ((len == 4 && !strncasecmp(tok, "gzip", 4)) || (len == 6 && !strncasecmp(tok, "x-gzip", 6)))
			gzip = !zero;
		else if (len == 1 && *tok == '*')
			star = !zero;
	}
	return gzip >= 0 ? gzip == 1 : star == 1;
}

static bool parse_small_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || end == s || n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

bool paging_or_reply(struct request *rq, struct paging *pg)
{
	const char *p = query_get(rq, "page"), *pp = query_get(rq, "per_page");
	pg->page = 1;
	pg->per_page = 50;
	if (p && !parse_small_int(p, 1, 1000000, &pg->page)) {
		reply_invalid(rq, "page", "页码必须是不小于 1 的整数");
		return false;
	}
	if (pp && !parse_small_int(pp, 1, 200, &pg->per_page)) {
		reply_invalid(rq, "per_page", "每页条数必须在 1 到 200 之间");
		return false;
	}
	pg->offset = (int64_t)(pg->page - 1) * pg->per_page;
	return true;
}

void reply_page(struct request *rq, json_t *items, int64_t total, const struct paging *pg)
{
	reply_json(rq, 200, json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total,
				      "page", pg->page, "per_page", pg->per_page));
}

/* ======================== JSON bodies ======================== */

static bool reply_field_error(struct request *rq, const struct field_error *e)
{
	reply_error(rq, e->status, e->code, e->message, e->field);
	return false;
}

json_t *body_object_or_reply(struct request *rq)
{
	struct field_error e;
	json_t *v = json_parse_object(rq->body, rq->body_len, &e);
	if (!v)
		reply_field_error(rq, &e);
	return v;
}

bool known_fields_or_reply(struct request *rq, json_t *obj, const char *const *allowed)
{
	struct field_error e;
	return json_check_known(obj, allowed, &e) || reply_field_error(rq, &e);
}

bool string_field_or_reply(struct request *rq, json_t *obj, const char *key, bool required,
			   size_t max_chars, char *out, size_t outsz, const char *label)
{
	struct field_error e;
	return json_get_string(obj, key, required, max_chars, out, outsz, label, &e) ||
	       reply_field_error(rq, &e);
}

bool int_field_or_reply(struct request *rq, json_t *obj, const char *key, bool required,
			int64_t def, int64_t *out, const char *label)
{
	struct field_error e;
	return json_get_int(obj, key, required, def, out, label, &e) || reply_field_error(rq, &e);
}

/* ======================== Callers ======================== */

bool role_or_reply(struct request *rq, unsigned roles_mask)
{
	if (role_in(rq->user.role, roles_mask))
		return true;
	reply_forbidden(rq);
	return false;
}

void audit(struct request *rq, const char *action, const char *object_type, int64_t object_id,
	   json_t *detail)
{
	audit_append(rq->db, rq->user.user_id, rq->user.username, rq->ip, action, object_type,
		     object_id, detail);
}

json_t *json_time(int64_t t)
{
	if (!t)
		return json_null();
	char buf[21];
	format_rfc3339(t, buf);
	return json_string(buf);
}
