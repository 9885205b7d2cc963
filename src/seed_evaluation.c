/*
 * seed_evaluation.c - demo data for the evaluation (总结验收): effect
 * questionnaires answered by some assisted Pudong enterprises
 * (data/demo-evaluation.json), so the ranking and the questionnaire summary
 * show figures. Idempotent: an enterprise that has answered is left as it is.
 */
#include "seed.h"
#include "core/evaluation.h"
#include "store/db.h"
#include "store/declarations.h"
#include "store/enterprises.h"
#include "store/evaluation.h"

#include <jansson.h>
#include <stdio.h>

int seed_demo_evaluation(struct db *db, const char *data_dir, char *err, size_t errlen)
{
	struct programme_info pi;
	if (programme_info_current(db, &pi) != 1)
		return 0;
	char path[1024];
	snprintf(path, sizeof(path), "%s/demo-evaluation.json", data_dir);
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, errlen, "无法读取 %s：%s（第 %d 行）", path, je.text, je.line);
		return -1;
	}
	int rc = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "questionnaires"), i, x) {
		const char *uscc = json_string_value(json_object_get(x, "enterprise"));
		const char *improvement = json_string_value(json_object_get(x, "improvement"));
		const char *comments = json_string_value(json_object_get(x, "comments"));
		json_int_t satisfaction = json_integer_value(json_object_get(x, "satisfaction"));
		int64_t ent = uscc ? ent_id_by_uscc(db, uscc) : 0, district = 0, cb = 0;
		if (!ent || !eval_improvement_label(improvement) || satisfaction < 1 || satisfaction > 5 ||
		    ent_scope(db, pi.id, ent, &district, &cb) != 1 || !cb) {
			snprintf(err, errlen, "演示效果问卷 %zu 无效（企业须已登记并指派认证机构）", i + 1);
			rc = -1;
			break;
		}
		json_t *have = quest_get(db, pi.id, ent);
		json_decref(have);
		if (have)
			continue;
		if (quest_put(db, pi.id, ent, improvement, (int)satisfaction, comments ? comments : "", "(演示数据)")) {
			snprintf(err, errlen, "无法保存演示效果问卷：%s", db_errmsg(db));
			rc = -1;
			break;
		}
	}
	json_decref(j);
	return rc;
}
