/*
 * router.c - see router.h. Matching walks the routes in order; the table is
 * small (tens of entries), so a linear scan of pre-split patterns is cheaper
 * than anything cleverer.
 */
#include "router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Next segment of s starting at *pos: sets start/len, returns false at end. */
static bool next_seg(const char *s, size_t *pos, const char **start, size_t *len)
{
	if (s[*pos] == '\0')
		return false;
	if (s[*pos] == '/')
		(*pos)++;
	*start = s + *pos;
	const char *slash = strchr(*start, '/');
	*len = slash ? (size_t)(slash - *start) : strlen(*start);
	*pos += *len;
	return true;
}

static bool parse_id(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool match_one(const char *pattern, const char *path, struct route_params *p)
{
	size_t pp = 0, qp = 0;
	const char *ps = NULL, *qs = NULL;
	size_t pl = 0, ql = 0;
	p->n = 0;
	for (;;) {
		bool more_p = next_seg(pattern, &pp, &ps, &pl);
		bool more_q = next_seg(path, &qp, &qs, &ql);
		if (!more_p || !more_q)
			return more_p == more_q;
		const char *close = pl >= 2 && ps[0] == '{' ? memchr(ps, '}', pl) : NULL;
		if (close) {
			/* "{name}" or "{name}.suffix": the suffix must end the segment. */
			size_t sfx = pl - (size_t)(close - ps) - 1;
			if (ql <= sfx || memcmp(qs + ql - sfx, close + 1, sfx) != 0)
				return false;
			size_t vlen = ql - sfx;
			if (vlen >= sizeof(p->values[0]) || p->n == ROUTE_MAX_PARAMS)
				return false;
			const char *name = ps + 1;
			int name_len = (int)(close - ps) - 1;
			int64_t id = 0;
			bool is_id = name_len >= 2 && name[name_len - 2] == 'i' && name[name_len - 1] == 'd';
			if (is_id && !parse_id(qs, vlen, &id))
				return false;
			p->names[p->n] = name;
			p->names_len[p->n] = name_len;
			memcpy(p->values[p->n], qs, vlen);
			p->values[p->n][vlen] = '\0';
			p->ids[p->n] = id;
			p->n++;
		} else if (pl != ql || memcmp(ps, qs, pl) != 0) {
			return false;
		}
	}
}

enum route_result route_match(const struct route *routes, int n_routes, const char *method,
			      const char *path, const struct route **found,
			      struct route_params *params)
{
	bool path_seen = false;
	struct route_params tmp;
	for (int i = 0; i < n_routes; i++) {
		if (!match_one(routes[i].pattern, path, &tmp))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			*found = &routes[i];
			*params = tmp;
			return ROUTE_FOUND;
		}
		path_seen = true;
	}
	*found = NULL;
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

const char *route_param(const struct route_params *p, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < p->n; i++)
		if ((size_t)p->names_len[i] == n && memcmp(p->names[i], name, n) == 0)
			return p->values[i];
	return NULL;
}

int64_t route_param_id(const struct route_params *p, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < p->n; i++)
		if ((size_t)p->names_len[i] == n && memcmp(p->names[i], name, n) == 0)
			return p->ids[i];
	return 0;
}

void route_allowed_methods(const struct route *routes, int n_routes, const char *path, char *out,
			   size_t outsz)
{
	struct route_params tmp;
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < n_routes; i++) {
		if (!match_one(routes[i].pattern, path, &tmp) || strstr(out, routes[i].method))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", routes[i].method);
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
}
