/*
 * routes.c - every API endpoint, its handler and who may call it.
 * Role rules live here (the "roles" column); data-scope rules live in
 * core/roles.c and are applied by the handlers.
 */
#include "api.h"
#include "../store/db.h"

#define CITY ROLE_BIT(ROLE_CITY_ADMIN)

const struct route api_routes[] = {
	/* method, pattern,                                  handler,                  flags, roles */
	{"GET",  "/api/v1/public/site",                      api_public_site,          RF_PUBLIC, 0},
	{"POST", "/api/v1/login",                            api_login,                RF_PUBLIC | RF_NO_CSRF, 0},
	{"POST", "/api/v1/logout",                           api_logout,               0, 0},
	{"GET",  "/api/v1/me",                               api_me,                   0, 0},
	{"POST", "/api/v1/me/password",                      api_me_password,          0, 0},
	{"GET",  "/api/v1/programmes",                       api_programmes_list,      0, 0},
	{"GET",  "/api/v1/programmes/{id}",                  api_programmes_get,       0, 0},
	{"GET",  "/api/v1/units",                            api_units_list,           0, 0},
	{"GET",  "/api/v1/units/{id}",                       api_units_get,            0, 0},
	{"GET",  "/api/v1/users",                            api_users_list,           0, CITY},
	{"POST", "/api/v1/users",                            api_users_create,         0, CITY},
	{"GET",  "/api/v1/users/{id}",                       api_users_get,            0, CITY},
	{"PATCH", "/api/v1/users/{id}",                      api_users_patch,          0, CITY},
	{"POST", "/api/v1/users/{id}/disable",               api_users_disable,        0, CITY},
	{"POST", "/api/v1/users/{id}/enable",                api_users_enable,         0, CITY},
	{"POST", "/api/v1/users/{id}/reset-password",        api_users_reset_password, 0, CITY},
	{"GET",  "/api/v1/audit-log",                        api_audit_list,           0, CITY},
};

const int api_n_routes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));

bool api_ping(struct db *db)
{
	return db_ping(db);
}
