/*
 * session.c - see session.h.
 */
#include "session.h"
#include "http.h"
#include "../app.h"
#include "../store/users.h"
#include "../util.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* last_seen is written at most this often (or every half idle timeout, if
 * shorter), so reading pages costs no writes. */
#define SESSION_TOUCH_EVERY 60

void token_new(char out[TOKEN_CHARS + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool token_well_formed(const char *s)
{
	if (!s || strlen(s) != TOKEN_CHARS)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_HEX + 1, h, sizeof(h));
}

bool cookie_find(const char *header, const char *name, char *out, size_t outsz)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && p[nlen] == '=' && memcmp(p, name, nlen) == 0) {
			size_t vlen = len - nlen - 1;
			if (vlen >= outsz)
				return false;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = end;
	}
	return false;
}

static void set_cookie(struct request *rq, const char *value, int max_age)
{
	snprintf(rq->set_cookie, sizeof(rq->set_cookie),
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", SESSION_COOKIE, value,
		 max_age, rq->tls ? "; Secure" : "");
}

bool session_start(struct request *rq, int64_t user_id)
{
	char token[TOKEN_CHARS + 1], hash[TOKEN_HASH_HEX + 1], csrf[TOKEN_CHARS + 1];
	token_new(token);
	token_new(csrf);
	token_hash(token, hash);
	if (sessions_insert(rq->db, hash, user_id, csrf, rq->ip) != 0)
		return false;
	set_cookie(rq, token, rq->app->cfg.session_max);
	snprintf(rq->csrf_token, sizeof(rq->csrf_token), "%s", csrf);
	sodium_memzero(token, sizeof(token));
	return true;
}

static bool unauthorised(struct request *rq, bool clear_cookie)
{
	if (clear_cookie)
		set_cookie(rq, "", 0);
	reply_error(rq, 401, "not_authenticated", "请先登录（会话已过期或无效）", NULL);
	return false;
}

bool session_authenticate(struct request *rq)
{
	const char *hdr = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Cookie");
	char token[TOKEN_CHARS + 8];
	if (!hdr || !cookie_find(hdr, SESSION_COOKIE, token, sizeof(token)))
		return unauthorised(rq, false);
	if (!token_well_formed(token))
		return unauthorised(rq, true);
	char hash[TOKEN_HASH_HEX + 1];
	token_hash(token, hash);
	struct session_row s;
	struct user_row *u = &rq->me;
	int rc = sessions_get_with_user(rq->db, hash, &s, u);
	if (rc < 0) {
		reply_db_error(rq);
		return false;
	}
	int64_t now = now_seconds();
	const struct settings *cfg = &rq->app->cfg;
	if (rc == 0)
		return unauthorised(rq, true);
	if (now - s.last_seen > cfg->session_idle || now - s.created_at > cfg->session_max ||
	    !u->active) {
		sessions_delete(rq->db, hash);
		return unauthorised(rq, true);
	}
	int64_t touch_every = cfg->session_idle / 2 < SESSION_TOUCH_EVERY ? cfg->session_idle / 2
									 : SESSION_TOUCH_EVERY;
	if (now - s.last_seen >= touch_every)
		sessions_touch(rq->db, hash, now);
	rq->user.user_id = u->id;
	rq->user.role = role_parse(u->role);
	rq->user.unit_id = u->unit_id;
	rq->user.enterprise_id = u->enterprise_id;
	snprintf(rq->user.username, sizeof(rq->user.username), "%s", u->username);
	snprintf(rq->csrf_token, sizeof(rq->csrf_token), "%s", s.csrf);
	return true;
}

bool session_csrf_ok(struct request *rq)
{
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	size_t n = strlen(rq->csrf_token);
	if (!h || n == 0 || strlen(h) != n)
		return false;
	return sodium_memcmp(h, rq->csrf_token, n) == 0;
}

void session_end(struct request *rq)
{
	const char *hdr = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Cookie");
	char token[TOKEN_CHARS + 8], hash[TOKEN_HASH_HEX + 1];
	if (hdr && cookie_find(hdr, SESSION_COOKIE, token, sizeof(token)) && token_well_formed(token)) {
		token_hash(token, hash);
		sessions_delete(rq->db, hash);
	}
	set_cookie(rq, "", 0);
}

/* The hash of the current request's session token ("" when none). */
void session_current_hash(struct request *rq, char out[TOKEN_HASH_HEX + 1])
{
	const char *hdr = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Cookie");
	char token[TOKEN_CHARS + 8];
	out[0] = '\0';
	if (hdr && cookie_find(hdr, SESSION_COOKIE, token, sizeof(token)) && token_well_formed(token))
		token_hash(token, out);
}
