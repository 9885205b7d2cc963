/*
 * roles.c - see roles.h.
 */
#include "roles.h"

#include <string.h>

static const struct {
	enum role role;
	const char *name;
	const char *label;
} roles[] = {
	{ROLE_CITY_ADMIN, "city_admin", "市局管理员"},
	{ROLE_DISTRICT_OFFICER, "district_officer", "区市场监管局"},
	{ROLE_CB_STAFF, "cb_staff", "认证机构"},
	{ROLE_ENTERPRISE, "enterprise", "企业"},
};

enum role role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(s, roles[i].name) == 0)
			return roles[i].role;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].name;
	return "none";
}

const char *role_label(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].label;
	return "未知";
}

bool scope_allows(const struct principal *p, const struct scope_ref *r)
{
	if (!p || !r)
		return false;
	switch (p->role) {
	case ROLE_CITY_ADMIN:
		return true;
	case ROLE_DISTRICT_OFFICER:
		return p->unit_id != 0 &&
		       (r->district_unit_id == p->unit_id || r->owner_unit_id == p->unit_id);
	case ROLE_CB_STAFF:
		if (p->unit_id == 0)
			return false;
		if (r->owner_unit_id == p->unit_id)
			return true;
		for (int i = 0; i < SCOPE_MAX_CB; i++)
			if (r->cb_unit_ids[i] == p->unit_id)
				return true;
		return false;
	case ROLE_ENTERPRISE:
		return p->enterprise_id != 0 && r->enterprise_id == p->enterprise_id;
	case ROLE_NONE:
		return false;
	}
	return false;
}
