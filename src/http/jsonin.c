/*
 * jsonin.c - see jsonin.h.
 */
#include "jsonin.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

static bool fail(struct field_error *e, int status, const char *code, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static bool fail(struct field_error *e, int status, const char *code, const char *field,
		 const char *fmt, ...)
{
	va_list ap;
	e->status = status;
	e->code = code;
	e->field = field;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return false;
}

json_t *json_parse_object(const char *body, size_t len, struct field_error *e)
{
	if (!body || len == 0) {
		fail(e, 400, "bad_json", NULL, "请求体为空，需要 JSON 对象");
		return NULL;
	}
	json_error_t jerr;
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		fail(e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 行第 %d 列）", jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		fail(e, 400, "bad_json", NULL, "请求体必须是 JSON 对象");
		return NULL;
	}
	return v;
}

bool json_check_known(json_t *obj, const char *const *allowed, struct field_error *e)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, key);
		if (!ok) {
			/* Copy the key: the error may outlive obj. */
			snprintf(e->field_buf, sizeof(e->field_buf), "%s", key);
			fail(e, 400, "unknown_field", e->field_buf, "不支持的字段：%.60s", key);
			return false;
		}
	}
	return true;
}

bool json_get_string(json_t *obj, const char *key, bool required, size_t max_chars, char *out,
		     size_t outsz, const char *label, struct field_error *e)
{
	json_t *v = json_object_get(obj, key);
	out[0] = '\0';
	if (!v || json_is_null(v))
		return required ? fail(e, 422, "invalid", key, "请填写%s", label) : true;
	if (!json_is_string(v))
		return fail(e, 400, "bad_type", key, "%s必须是文本", label);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (memchr(s, '\0', n) || !utf8_valid_text(s, n))
		return fail(e, 422, "invalid", key, "%s含有无效字符", label);
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= outsz)
		return fail(e, 422, "invalid", key, "%s过长（最多 %zu 个字符）", label, max_chars);
	memcpy(out, s, n);
	out[n] = '\0';
	if (utf8_length(out) > max_chars) {
		out[0] = '\0';
		return fail(e, 422, "invalid", key, "%s过长（最多 %zu 个字符）", label, max_chars);
	}
	if (required && n == 0)
		return fail(e, 422, "invalid", key, "请填写%s", label);
	return true;
}

bool json_get_int(json_t *obj, const char *key, bool required, int64_t def, int64_t *out,
		  const char *label, struct field_error *e)
{
	json_t *v = json_object_get(obj, key);
	*out = def;
	if (!v || json_is_null(v))
		return required ? fail(e, 422, "invalid", key, "请填写%s", label) : true;
	if (!json_is_integer(v))
		return fail(e, 400, "bad_type", key, "%s必须是整数", label);
	*out = json_integer_value(v);
	return true;
}
