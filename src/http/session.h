/*
 * session.h - session tokens, cookies and the CSRF check.
 *
 * The cookie carries a 256-bit random token (base64url, 43 characters). The
 * database stores only its BLAKE2b hash, so a stolen database copy holds no
 * usable session, and several servers can share the sessions table.
 */
#ifndef QMS_SESSION_H
#define QMS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct request;

#define SESSION_COOKIE "qms_session"
#define TOKEN_CHARS 43   /* base64url of 32 bytes, no padding */
#define TOKEN_HASH_HEX 64

/* New random token (NUL-terminated, TOKEN_CHARS long). */
void token_new(char out[TOKEN_CHARS + 1]);
/* True when s looks like a token: exactly TOKEN_CHARS base64url characters. */
bool token_well_formed(const char *s);
/* Hex BLAKE2b-256 of the token. */
void token_hash(const char *token, char out[TOKEN_HASH_HEX + 1]);
/* Find cookie `name` in a Cookie header; copies its value into out. */
bool cookie_find(const char *header, const char *name, char *out, size_t outsz);

/* Create a session for user_id, set the cookie and rq->csrf_token. */
bool session_start(struct request *rq, int64_t user_id);
/* Resolve the cookie into rq->user; replies 401 and returns false otherwise. */
bool session_authenticate(struct request *rq);
/* Compare the X-CSRF-Token header with the session's token (constant time). */
bool session_csrf_ok(struct request *rq);
/* End the current session and clear the cookie. */
void session_end(struct request *rq);
/* Hash of the current request's session token ("" when none). */
void session_current_hash(struct request *rq, char out[TOKEN_HASH_HEX + 1]);

#endif
