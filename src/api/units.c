/*
 * units.c - the directory of market-regulation units and certification
 * bodies. Every logged-in user may read it: it is the public address book
 * of the programme, and holds nothing private.
 */
#include "api.h"
#include "../store/programmes.h"

#include <string.h>

void api_units_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct unit_filter f = {0};
	f.kind = query_get(rq, "kind");
	f.q = query_get(rq, "q");
	if (f.kind && strcmp(f.kind, "city") && strcmp(f.kind, "district") && strcmp(f.kind, "cb")) {
		reply_invalid(rq, "kind", "单位类别只能是 city、district 或 cb");
		return;
	}
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = units_list(rq->db, &f, &total);
	reply_page(rq, items, total, &pg);
}

void api_units_get(struct request *rq)
{
	json_t *u = units_get(rq->db, route_param_id(&rq->params, "id"));
	if (!u) {
		reply_not_found(rq);
		return;
	}
	reply_json(rq, 200, u);
}
