/*
 * api.h - the JSON API: the route table and one handler per endpoint.
 * One file per resource; see docs/api.md for the contract.
 */
#ifndef QMS_API_H
#define QMS_API_H

#include <stdbool.h>

#include "../http/http.h"

struct db;

extern const struct route api_routes[];
extern const int api_n_routes;

/* True when the database answers a trivial query. */
bool api_ping(struct db *db);

/* auth.c */
void api_login(struct request *rq);
void api_logout(struct request *rq);
void api_me(struct request *rq);
void api_me_password(struct request *rq);

/* programmes.c */
void api_public_site(struct request *rq);
void api_programmes_list(struct request *rq);
void api_programmes_get(struct request *rq);

/* units.c */
void api_units_list(struct request *rq);
void api_units_get(struct request *rq);

/* users.c */
void api_users_list(struct request *rq);
void api_users_create(struct request *rq);
void api_users_get(struct request *rq);
void api_users_patch(struct request *rq);
void api_users_disable(struct request *rq);
void api_users_enable(struct request *rq);
void api_users_reset_password(struct request *rq);
/* The user object of docs/api.md. */
struct user_row;
json_t *user_json(const struct user_row *u);

/* declarations.c */
void api_declarations_list(struct request *rq);
void api_declarations_xlsx(struct request *rq);
void api_declarations_mine(struct request *rq);
void api_declarations_get(struct request *rq);
void api_declarations_create(struct request *rq);
void api_declarations_update(struct request *rq);
void api_declarations_submit(struct request *rq);
void api_declarations_return(struct request *rq);
void api_declarations_accept(struct request *rq);
void api_declarations_version(struct request *rq);
void api_declarations_put_scan(struct request *rq);
void api_declarations_get_scan(struct request *rq);
void api_declarations_pdf(struct request *rq);

/* selections.c */
void api_selections_list(struct request *rq);
void api_selections_summary(struct request *rq);
void api_selections_create(struct request *rq);
void api_selections_delete(struct request *rq);

/* audit.c */
void api_audit_list(struct request *rq);

#endif
