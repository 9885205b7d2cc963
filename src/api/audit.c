/*
 * audit.c - reading the audit log (city administrators only).
 */
#include "api.h"
#include "../core/calendar.h"
#include "../store/audit.h"

static bool date_bound_or_reply(struct request *rq, const char *name, int64_t *out, int plus_days)
{
	const char *v = query_get(rq, name);
	*out = 0;
	if (!v)
		return true;
	int32_t d;
	if (!date_parse(v, &d)) {
		reply_invalid(rq, name, "日期格式应为 YYYY-MM-DD");
		return false;
	}
	/* Dates are Asia/Shanghai days; the log stores UTC seconds. */
	*out = ((int64_t)d + plus_days) * 86400 - 8 * 3600;
	return true;
}

void api_audit_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	struct audit_filter f = {0};
	f.action = query_get(rq, "action");
	f.username = query_get(rq, "username");
	f.q = query_get(rq, "q");
	if (!date_bound_or_reply(rq, "from", &f.from, 0) || !date_bound_or_reply(rq, "to", &f.to, 1))
		return;
	f.limit = pg.per_page;
	f.offset = pg.offset;
	int64_t total = 0;
	json_t *items = audit_list(rq->db, &f, &total);
	reply_page(rq, items, total, &pg);
}
