/*
 * stats.c - the dashboard's statistics (数据看板): enterprises by stage against
 * the work plans' targets, improvement actions, diagnosis scores, training and
 * the programme's deadlines, for the caller's scope.
 *
 * Scope (one place, scope_or_reply): the city sees the whole programme and may
 * narrow it with ?district=; a district officer always gets its own district
 * (a ?district= naming another is ignored, never an error that would reveal
 * anything); a certification body the enterprises assigned to it. Enterprises
 * are refused by the route table (403). The figures and their definitions are
 * in store/stats.h; docs/api.md "Statistics 统计" has the contract.
 */
#include "api.h"
#include "../app.h"
#include "../core/calendar.h"
#include "../core/deadline.h"
#include "../store/db.h"
#include "../store/deadlines.h"
#include "../store/declarations.h"
#include "../store/diagnoses.h"
#include "../store/programmes.h"
#include "../store/stats.h"

#include <stdio.h>
#include <string.h>

#define CHECKLIST_DEFAULT "iso9001-small"

struct stats_req {
	struct programme_info pi;
	struct stats_scope scope;
	char today[11];
};

/* Resolve the caller's scope; replies (403, 422, 409, 503) and returns false when it cannot. */
static bool scope_or_reply(struct request *rq, struct stats_req *r)
{
	memset(r, 0, sizeof(*r));
	if (!programme_or_reply(rq, &r->pi))
		return false;
	date_format(app_today(rq->app), r->today);
	r->scope.programme_id = r->pi.id;
	r->scope.today = r->today;
	const char *district = query_get(rq, "district");
	bool want_district = district && *district;
	switch (rq->user.role) {
	case ROLE_CITY_ADMIN:
	case ROLE_CB_STAFF:
		if (want_district && !(r->scope.district_unit_id = ent_district_unit(rq, district))) {
			reply_invalid(rq, "district", "所属区无效");
			return false;
		}
		if (rq->user.role == ROLE_CITY_ADMIN)
			return true;
		if (!rq->user.unit_id)
			break;
		r->scope.cb_unit_id = rq->user.unit_id;
		return true;
	case ROLE_DISTRICT_OFFICER:
		if (!rq->user.unit_id)
			break;
		r->scope.district_unit_id = rq->user.unit_id;
		return true;
	default:
		break;
	}
	reply_forbidden(rq);
	return false;
}

static const char *text_or_empty(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

/* {"level":"city|district|cb","district":name|null,"unit":name|null}. */
static json_t *scope_json(struct request *rq, const struct stats_req *r)
{
	json_t *district = json_null(), *unit = json_null();
	if (r->scope.district_unit_id) {
		json_t *u = units_get(rq->db, r->scope.district_unit_id);
		district = json_string(text_or_empty(json_object_get(u, "district")));
		json_decref(u);
	}
	if (r->scope.cb_unit_id) {
		json_t *u = units_get(rq->db, r->scope.cb_unit_id);
		unit = json_string(text_or_empty(json_object_get(u, "name")));
		json_decref(u);
	}
	const char *level = rq->user.role == ROLE_CB_STAFF ? "cb" : rq->user.role == ROLE_DISTRICT_OFFICER ? "district" : "city";
	return json_pack("{s:s,s:o,s:o}", "level", level, "district", district, "unit", unit);
}

/* ?by=district|industry (default district); 422 otherwise. */
static bool by_or_reply(struct request *rq, enum stats_by *by)
{
	const char *v = query_get(rq, "by");
	if (!v || !*v || !strcmp(v, "district"))
		*by = STATS_BY_DISTRICT;
	else if (!strcmp(v, "industry"))
		*by = STATS_BY_INDUSTRY;
	else {
		reply_invalid(rq, "by", "by 只能是 district 或 industry");
		return false;
	}
	return true;
}

/* Reply with the object, or 503 when a figure could not be read (NULL member). */
static void reply_stats(struct request *rq, json_t *body, bool ok)
{
	if (!ok) {
		json_decref(body);
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, body);
}

/* ======================== Endpoints ======================== */

void api_stats_overview(struct request *rq)
{
	struct stats_req r;
	if (!scope_or_reply(rq, &r))
		return;
	json_t *stages = stats_stages(rq->db, &r.scope, STATS_BY_NONE, NULL, 0);
	json_t *actions = stats_actions(rq->db, &r.scope);
	json_t *scores = stats_scores(rq->db, &r.scope, STATS_BY_NONE, NULL, 0);
	json_t *training = stats_training(rq->db, &r.scope);
	bool ok = stages && actions && scores && training;
	json_t *funnel = json_incref(json_array_get(stages, 0)), *score = json_incref(json_array_get(scores, 0));
	json_decref(stages);
	json_decref(scores);
	if (funnel)
		json_object_del(funnel, "key");
	if (score)
		json_object_del(score, "key");
	json_t *body = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "today", r.today, "scope", scope_json(rq, &r),
		"funnel", funnel ? funnel : json_object(), "actions", actions ? actions : json_object(),
		"scores", score ? score : json_object(), "training", training ? training : json_object());
	reply_stats(rq, body, ok && funnel && score);
}

void api_stats_stages(struct request *rq)
{
	struct stats_req r;
	enum stats_by by;
	if (!scope_or_reply(rq, &r) || !by_or_reply(rq, &by))
		return;
	json_t *items = stats_stages(rq->db, &r.scope, by, (const char (*)[64])r.pi.industries, r.pi.n_industries);
	json_t *body = json_pack("{s:s,s:o,s:s,s:o}", "today", r.today, "scope", scope_json(rq, &r),
		"by", by == STATS_BY_INDUSTRY ? "industry" : "district", "items", items ? items : json_array());
	reply_stats(rq, body, items != NULL);
}

/* Add each clause's title from the newest default checklist ("第N章" when unknown). */
static void clause_titles(struct request *rq, json_t *clauses)
{
	const struct checklist *cl = checklist_cached(rq->db, checklist_newest(rq->db, CHECKLIST_DEFAULT));
	size_t i;
	json_t *c;
	json_array_foreach(clauses, i, c) {
		const char *clause = json_string_value(json_object_get(c, "clause"));
		char title[96];
		snprintf(title, sizeof(title), "第%s章", clause ? clause : "");
		for (int k = 0; cl && k < cl->n_sections; k++)
			if (clause && !strcmp(cl->sections[k].clause, clause))
				snprintf(title, sizeof(title), "%s", cl->sections[k].title);
		json_object_set_new(c, "title", json_string(title));
	}
}

void api_stats_scores(struct request *rq)
{
	struct stats_req r;
	enum stats_by by;
	if (!scope_or_reply(rq, &r) || !by_or_reply(rq, &by))
		return;
	json_t *items = stats_scores(rq->db, &r.scope, by, (const char (*)[64])r.pi.industries, r.pi.n_industries);
	json_t *clauses = stats_clauses(rq->db, &r.scope);
	if (clauses)
		clause_titles(rq, clauses);
	json_t *body = json_pack("{s:s,s:o,s:s,s:o,s:o}", "today", r.today, "scope", scope_json(rq, &r),
		"by", by == STATS_BY_INDUSTRY ? "industry" : "district", "items", items ? items : json_array(),
		"clauses", clauses ? clauses : json_array());
	reply_stats(rq, body, items && clauses);
}

/*
 * Deadlines × states over the units of the scope (the deadline service's rules,
 * core/deadline.c): the city every district bureau and body (or ?district='s
 * bureau, or ?kind=district|cb), a unit itself; "state" is added when the scope
 * is a single unit.
 */
void api_stats_deadlines(struct request *rq)
{
	struct stats_req r;
	if (!scope_or_reply(rq, &r))
		return;
	const char *kind = query_get(rq, "kind");
	if (kind && *kind && strcmp(kind, "district") && strcmp(kind, "cb")) {
		reply_invalid(rq, "kind", "kind 只能是 district 或 cb");
		return;
	}
	if (kind && !*kind)
		kind = NULL;
	int64_t unit = rq->user.role == ROLE_CITY_ADMIN ? r.scope.district_unit_id : rq->user.unit_id;
	struct dl_facts f;
	if (dl_facts_load(rq->db, r.pi.id, unit, unit ? NULL : kind, &f) != 0) {
		dl_facts_free(&f);
		reply_db_error(rq);
		return;
	}
	int32_t today = app_today(rq->app);
	json_t *items = json_array();
	for (int k = 0; k < f.n_deadlines; k++) {
		const struct dl_deadline *d = &f.d[k];
		int64_t counts[DLS_COUNT] = {0};
		enum dl_state last = DLS_NOT_APPLICABLE;
		for (int u = 0; u < f.n_units; u++) {
			bool applies = dl_applies(d->audience, f.units[u].is_district, f.units[u].pilot);
			last = dl_state(applies, d->due, f.units[u].done[k], today);
			counts[last]++;
		}
		json_t *c = json_object();
		for (int s = 0; s < DLS_COUNT; s++)
			json_object_set_new(c, dl_state_name((enum dl_state)s), json_integer((json_int_t)counts[s]));
		char due[11];
		date_format(d->due, due);
		json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "key", d->key, "name", d->name, "due", due, "counts", c);
		if (f.n_units == 1) {
			json_object_set_new(o, "state", json_string(dl_state_name(last)));
			json_object_set_new(o, "state_name", json_string(dl_state_label(last)));
		}
		json_array_append_new(items, o);
	}
	json_t *labels = json_object();
	for (int s = 0; s < DLS_COUNT; s++)
		json_object_set_new(labels, dl_state_name((enum dl_state)s), json_string(dl_state_label((enum dl_state)s)));
	json_t *body = json_pack("{s:s,s:o,s:i,s:o,s:o}", "today", r.today, "scope", scope_json(rq, &r),
		"units", f.n_units, "states", labels, "items", items);
	dl_facts_free(&f);
	reply_json(rq, 200, body);
}
