/*
 * jsonin.h - reading JSON request bodies: parse, refuse unknown keys, read
 * typed fields. Pure functions (no HTTP): on failure they fill a
 * field_error with the status, code and Chinese message of docs/api.md, and
 * the *_or_reply() helpers of http.h turn that into the reply.
 */
#ifndef QMS_JSONIN_H
#define QMS_JSONIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct field_error {
	int status;        /* 400 or 422 */
	const char *code;  /* "bad_json", "bad_type", "unknown_field", "invalid" */
	const char *field; /* the key, or NULL (may point into field_buf) */
	char field_buf[64];
	char message[256];
};

/* Parse a body that must be one JSON object (duplicate keys refused). */
json_t *json_parse_object(const char *body, size_t len, struct field_error *e);
/* Every key of obj must be in allowed (NULL-terminated). */
bool json_check_known(json_t *obj, const char *const *allowed, struct field_error *e);
/*
 * A text field, trimmed of spaces and tabs at both ends, at most max_chars
 * characters. Absent or null: "" (an error when required). Not a string: 400.
 */
bool json_get_string(json_t *obj, const char *key, bool required, size_t max_chars, char *out,
		     size_t outsz, const char *label, struct field_error *e);
/* An integer field; absent or null gives def (an error when required). */
bool json_get_int(json_t *obj, const char *key, bool required, int64_t def, int64_t *out,
		  const char *label, struct field_error *e);

#endif
