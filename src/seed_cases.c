/*
 * seed_cases.c - the demo typical cases and benchmark nominations
 * (data/demo-cases.json). Runs inside seed_demo()'s transaction, after the
 * diagnoses, actions and certificates it draws its facts from. Idempotent:
 * an enterprise that already has a case or a nomination is left as it is;
 * reviewers' scores are set again (same values).
 */
#include "seed.h"
#include "app.h"
#include "core/calendar.h"
#include "core/cases.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/declarations.h"
#include "store/enterprises.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str_or(json_t *o, const char *k, const char *def)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : def;
}

/* One demo case: facts from the records, the texts of the file, then the
 * status the file asks for (draft, submitted or published). */
static int demo_case(struct db *db, const struct programme_info *pi, json_t *x, const char *today)
{
	int64_t ent = ent_id_by_uscc(db, str_or(x, "enterprise", ""));
	int64_t district = 0, cb = 0;
	if (!ent || ent_scope(db, pi->id, ent, &district, &cb) != 1)
		return 0; /* not in this demo set */
	if (case_id_for_enterprise(db, pi->id, ent, false))
		return 0; /* loaded before */
	json_t *facts = case_facts(db, pi->id, ent, today);
	if (!facts)
		return -1;
	json_t *texts = json_object();
	for (int i = 0; i < CASE_N_TEXTS; i++)
		json_object_set_new(texts, case_text_key(i),
				    json_string(str_or(json_object_get(x, "texts"), case_text_key(i), "")));
	json_t *content = json_pack("{s:o,s:o}", "facts", facts, "texts", texts);
	char *text = json_dumps(content, JSON_COMPACT);
	json_decref(content);
	int64_t id = case_insert(db, pi->id, district, ent, str_or(x, "title", "典型案例"), text,
				 str_or(x, "created_by", "(演示数据)"));
	free(text);
	if (id <= 0)
		return -1;
	enum case_status want = case_status_parse(str_or(x, "status", "draft"));
	if (want == CASE_SUBMITTED || want == CASE_PUBLISHED || want == CASE_RETURNED) {
		if (case_transition(db, id, "draft", "submitted", NULL) != 1)
			return -1;
	}
	if (want == CASE_PUBLISHED && case_transition(db, id, "submitted", "published", NULL) != 1)
		return -1;
	if (want == CASE_RETURNED &&
	    case_transition(db, id, "submitted", "returned", str_or(x, "return_reason", "请补充提升成效")) != 1)
		return -1;
	return 0;
}

/* One demo nomination (a pilot enterprise) and its reviewers' scores. */
static int demo_benchmark(struct db *db, const struct programme_info *pi, json_t *x)
{
	int64_t ent = ent_id_by_uscc(db, str_or(x, "enterprise", ""));
	struct ent_fields e;
	char industry[64];
	if (!ent || ent_fields_get(db, ent, &e) != 1 || bench_pilot_industry(db, pi->id, ent, industry) != 1)
		return 0; /* not a pilot enterprise in this demo set */
	int64_t id = bench_id_for_enterprise(db, pi->id, ent);
	if (!id) {
		if (!bench_can_nominate(bench_count(db, pi->id, e.district_unit_id, industry), pi->max_benchmarks))
			return 0;
		id = bench_insert(db, pi->id, e.district_unit_id, ent, industry, str_or(x, "reason", ""),
				  str_or(x, "created_by", "(演示数据)"));
		if (id <= 0)
			return -1;
	}
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(x, "scores"), i, s) {
		json_int_t score = json_integer_value(json_object_get(s, "score"));
		if (!bench_score_valid(score))
			continue;
		/* 0: published meanwhile, the scores stay as they were. */
		if (bench_score_put(db, id, str_or(s, "reviewer", "city"), (int)score, str_or(s, "comment", "")) < 0)
			return -1;
	}
	return 0;
}

int seed_demo_cases(struct db *db, struct app *app, const char *data_dir, char *err, size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/demo-cases.json", data_dir);
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, errlen, "无法读取 %s：%s（第 %d 行）", path, je.text, je.line);
		return -1;
	}
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1) {
		json_decref(j);
		return 0;
	}
	char today[11];
	date_format(app_today(app), today);
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "cases"), i, x)
		if (!rc)
			rc = demo_case(db, &pi, x, today);
	json_array_foreach(json_object_get(j, "benchmarks"), i, x)
		if (!rc)
			rc = demo_benchmark(db, &pi, x);
	if (rc)
		snprintf(err, errlen, "无法保存演示典型案例或标杆企业：%s", db_errmsg(db));
	json_decref(j);
	return rc;
}
