/*
 * router.h - match "/api/v1/things/{id}/verb" patterns to handlers.
 *
 * Patterns are '/'-separated; "{name}" matches one non-empty segment and
 * "{id}" (any name ending in "id") only a positive decimal number of at
 * most 18 digits, without leading zeros. "{id}.pdf" matches "12.pdf" with
 * id 12: a literal suffix after the parameter. A path that matches a pattern with another method gives
 * ROUTE_BAD_METHOD so the server can answer 405 instead of 404.
 */
#ifndef QMS_ROUTER_H
#define QMS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROUTE_MAX_PARAMS 4

struct request;
typedef void (*route_fn)(struct request *rq);

/* Route flags. */
#define RF_PUBLIC  0x1u /* no session needed */
#define RF_NO_CSRF 0x2u /* state change without the CSRF header (login only) */
#define RF_RAW_BODY 0x4u /* the body is a file in its own type, not JSON */
#define RF_BIG_BODY 0x8u /* a bulk import: the max-import limit applies */

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
	unsigned flags;
	unsigned roles; /* ROLE_BIT mask; 0 means any logged-in user */
};

struct route_params {
	int n;
	const char *names[ROUTE_MAX_PARAMS];
	int names_len[ROUTE_MAX_PARAMS];
	char values[ROUTE_MAX_PARAMS][128];
	int64_t ids[ROUTE_MAX_PARAMS]; /* numeric value for {…id} params, else 0 */
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

enum route_result route_match(const struct route *routes, int n_routes, const char *method,
			      const char *path, const struct route **found,
			      struct route_params *params);

/* The methods any route allows for path, comma-separated ("GET, POST"). */
void route_allowed_methods(const struct route *routes, int n_routes, const char *path, char *out,
			   size_t outsz);

/* Value of a named parameter, or NULL. */
const char *route_param(const struct route_params *p, const char *name);
int64_t route_param_id(const struct route_params *p, const char *name);

#endif
