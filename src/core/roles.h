/*
 * roles.h - roles, the identity of a caller, and the one place that decides
 * whether a caller may see a record (data scope).
 *
 * Every handler that returns or changes a scoped record calls scope_allows()
 * and answers 404 when it says no, so another district's records are never
 * revealed, not even by a different status code.
 */
#ifndef QMS_ROLES_H
#define QMS_ROLES_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_CITY_ADMIN,
	ROLE_DISTRICT_OFFICER,
	ROLE_CB_STAFF,
	ROLE_ENTERPRISE,
};

enum role role_parse(const char *s);
const char *role_name(enum role r);  /* API value: "city_admin" ... */
const char *role_label(enum role r); /* Chinese: "市局管理员" ... */

/* Who is calling: filled from the session. */
struct principal {
	int64_t user_id;
	enum role role;
	int64_t unit_id;       /* city/district/cb unit; 0 for enterprise users */
	int64_t enterprise_id; /* enterprise users only */
	char username[64];
};

/*
 * Where a record belongs. Zero means "not tied to one": a record with
 * district_unit_id 0 is not a district record. cb_unit_ids lists every
 * certification body that serves the record (e.g. the body assigned to an
 * enterprise), at most SCOPE_MAX_CB of them.
 */
#define SCOPE_MAX_CB 4
struct scope_ref {
	int64_t district_unit_id;
	int64_t cb_unit_ids[SCOPE_MAX_CB];
	int64_t enterprise_id;
	int64_t owner_unit_id; /* a unit's own record (its declaration, its report) */
};

/* May p see (read) the record r? The city sees everything. */
bool scope_allows(const struct principal *p, const struct scope_ref *r);

/* Bit set of roles, for route and action rules. */
#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL (ROLE_BIT(ROLE_CITY_ADMIN) | ROLE_BIT(ROLE_DISTRICT_OFFICER) | \
		   ROLE_BIT(ROLE_CB_STAFF) | ROLE_BIT(ROLE_ENTERPRISE))
static inline bool role_in(enum role r, unsigned mask)
{
	return r != ROLE_NONE && (mask & ROLE_BIT(r)) != 0;
}

#endif
