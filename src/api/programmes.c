/*
 * programmes.c - the programme calendar (phases, statutory deadlines,
 * quotas, industries) and the public site header.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../store/programmes.h"
#include "../util.h"

#include <string.h>

static const char *audience_label(const char *a)
{
	if (!strcmp(a, "all_units"))
		return "各区市场监管局及认证机构";
	if (!strcmp(a, "pilot_districts"))
		return "各试点地区市场监管局";
	if (!strcmp(a, "pilot_units"))
		return "各试点单位";
	if (!strcmp(a, "districts"))
		return "各区市场监管局";
	return a;
}

/* Add the fields that depend on today: phase states, current phase, days left. */
static void decorate(json_t *p, int32_t today)
{
	char tbuf[11];
	date_format(today, tbuf);
	json_object_set_new(p, "today", json_string(tbuf));
	json_t *current = json_null();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "phases"), i, x) {
		int32_t s = 0, e = 0;
		date_parse(json_string_value(json_object_get(x, "start")), &s);
		date_parse(json_string_value(json_object_get(x, "end")), &e);
		enum phase_state st = phase_state(s, e, today);
		json_object_set_new(x, "state", json_string(phase_state_name(st)));
		json_object_set_new(x, "state_name", json_string(phase_state_label(st)));
		if (st == PHASE_CURRENT && json_is_null(current))
			current = json_deep_copy(x);
	}
	json_object_set_new(p, "current_phase", current);
	json_array_foreach(json_object_get(p, "deadlines"), i, x) {
		int32_t due = 0;
		date_parse(json_string_value(json_object_get(x, "due")), &due);
		json_object_set_new(x, "days_left", json_integer(due - today));
		json_object_set_new(x, "state", json_string(deadline_state_name(deadline_state(due, today, false))));
		json_object_set_new(x, "audience_name",
				    json_string(audience_label(json_string_value(json_object_get(x, "audience")))));
	}
}

void api_public_site(struct request *rq)
{
	int32_t today = app_today(rq->app);
	char tbuf[11];
	date_format(today, tbuf);
	json_t *p = programmes_current(rq->db);
	json_t *prog = json_null();
	if (p) {
		decorate(p, today);
		prog = json_pack("{s:O,s:O,s:O,s:O}", "id", json_object_get(p, "id"), "code",
				 json_object_get(p, "code"), "name", json_object_get(p, "name"),
				 "current_phase", json_object_get(p, "current_phase"));
		json_decref(p);
	}
	reply_json(rq, 200, json_pack("{s:s,s:s,s:b,s:o}", "platform",
				      "小微企业质量管理体系认证提升行动服务平台", "today", tbuf,
				      "simulated", rq->app->simulated, "programme", prog));
}

void api_programmes_list(struct request *rq)
{
	struct paging pg;
	if (!paging_or_reply(rq, &pg))
		return;
	json_t *all = programmes_all(rq->db);
	int32_t today = app_today(rq->app);
	json_t *items = json_array();
	size_t n = json_array_size(all);
	for (size_t i = (size_t)pg.offset; i < n && json_array_size(items) < (size_t)pg.per_page; i++) {
		json_t *p = json_array_get(all, i);
		decorate(p, today);
		json_array_append(items, p);
	}
	json_decref(all);
	reply_page(rq, items, (int64_t)n, &pg);
}

void api_programmes_get(struct request *rq)
{
	json_t *p = programmes_get(rq->db, route_param_id(&rq->params, "id"));
	if (!p) {
		reply_not_found(rq);
		return;
	}
	decorate(p, app_today(rq->app));
	reply_json(rq, 200, p);
}
