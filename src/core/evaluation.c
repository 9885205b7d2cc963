/*
 * evaluation.c - see evaluation.h.
 */
#include "evaluation.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======================== The indicator table ======================== */

/*
 * Maxima add up to 100: 组织发动 30, 宣传培训 25, 企业帮扶 45. Targets are the
 * level that earns full points; the values here are the defaults, a programme
 * sets its own in quotas.evaluation_targets (struct eval_targets). So the
 * descriptions name no target: the sheet shows the one in force beside them
 * (figures.target / target_percent, "满分标准 …").
 */
const struct eval_indicator eval_indicators[] = {
	{"declaration_on_time", EVAL_MOBILISATION, "按时报送申报表", 5, EVAL_COMPUTED, EVAL_RULE_STAGE,
	 EF_DECLARATION, EF_DECLARATION, 1, 0, "",
	 "申报表在截止日期前报送得满分，逾期报送得一半，未报送不得分（以申报表记录的报送状态和逾期标记为准）",
	 {"未报送", "逾期报送", "按时报送"}, {"not_submitted", "late", "on_time"}},
	{"workplan_approved", EVAL_MOBILISATION, "工作方案获批", 10, EVAL_COMPUTED, EVAL_RULE_STAGE,
	 EF_WORKPLAN, EF_WORKPLAN, 1, 0, "",
	 "试点工作方案经市局审核通过得满分，已报送待审核得一半，未报送或被退回未重新报送不得分",
	 {"未报送或已退回", "已报送待审核", "已获批"}, {"none", "submitted", "approved"}},
	{"pilot_enterprises", EVAL_MOBILISATION, "试点企业数达到方案目标", 10, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_ENROLLED, EF_PLAN_TARGET, 1, 1.0, "",
	 "本区已登记（自愿参加）的企业数 ÷ 获批工作方案所列试点企业数；达到满分标准得满分，不足按比例得分；无获批方案不得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"leadership", EVAL_MOBILISATION, "组织领导与部署", 5, EVAL_ENTERED, EVAL_RULE_ENTERED,
	 EF_COUNT, EF_COUNT, 1, 0, "",
	 "成立工作专班、召开动员部署会、明确责任分工和工作机制等情况，由市局评定（0–5 分）",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"training_sessions", EVAL_PUBLICITY, "培训场次", 10, EVAL_COMPUTED, EVAL_RULE_COUNT,
	 EF_SESSIONS, EF_SESSIONS, 1, 4, "场",
	 "本区组织的（截至评价日已开始的）培训场次，加上本区企业有人签到的其他单位培训场次，去重计数；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"training_person_times", EVAL_PUBLICITY, "培训人次", 10, EVAL_COMPUTED, EVAL_RULE_COUNT,
	 EF_PERSON_TIMES, EF_PERSON_TIMES, 1, 50, "人次",
	 "本区企业人员的培训签到次数（人次）；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"publicity", EVAL_PUBLICITY, "宣传报道", 5, EVAL_ENTERED, EVAL_RULE_ENTERED,
	 EF_COUNT, EF_COUNT, 1, 0, "",
	 "通过媒体、网站、政务新媒体等宣传提升行动和试点成效的情况，由市局评定（0–5 分）",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"diagnosis_rate", EVAL_ASSISTANCE, "诊断完成率", 10, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_DIAGNOSED, EF_ENROLLED, 1, 1.0, "",
	 "已提交现场诊断的企业数 ÷ 本区已登记企业数；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"action_closure_rate", EVAL_ASSISTANCE, "措施关闭率", 10, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_ACTIONS_CLOSED, EF_ACTIONS, 1, 0.9, "",
	 "已关闭（经认证机构验证有效）的改进措施数 ÷ 本区企业的全部改进措施数；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"certified_rate", EVAL_ASSISTANCE, "新获证企业率", 10, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_CERTIFIED, EF_ENROLLED, 1, 0.8, "",
	 "参加行动后获得有效认证证书的企业数（不含参加前已获证）÷ 本区已登记企业数；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"clear_improvement_rate", EVAL_ASSISTANCE, "企业效果问卷明显改善率", 8, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_CLEAR, EF_ANSWERED, 1, 0.9, "",
	 "效果问卷答“非常明显”或“比较明显”的企业数 ÷ 已答问卷的受帮扶企业数；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
	{"satisfaction_rate", EVAL_ASSISTANCE, "满意度", 7, EVAL_COMPUTED, EVAL_RULE_RATIO,
	 EF_SATISFACTION_SUM, EF_ANSWERED, 5, 0.9, "",
	 "效果问卷满意度（1–5 分）的平均分 ÷ 5；达到满分标准得满分，不足按比例得分",
	 {NULL, NULL, NULL}, {NULL, NULL, NULL}},
};
const int eval_n_indicators = (int)(sizeof(eval_indicators) / sizeof(eval_indicators[0]));

_Static_assert(sizeof(eval_indicators) / sizeof(eval_indicators[0]) <= EVAL_MAX_INDICATORS,
	       "raise EVAL_MAX_INDICATORS");

static const char *const dimension_keys[EVAL_N_DIMENSIONS] = {"mobilisation", "publicity", "assistance"};
static const char *const dimension_labels[EVAL_N_DIMENSIONS] = {"组织发动", "宣传培训", "企业帮扶"};

static const char *const fact_keys[EF_COUNT] = {
	"declaration", "workplan", "enrolled", "plan_target", "sessions", "person_times", "diagnosed",
	"actions", "actions_closed", "certified", "assisted", "answered", "clear_improvement",
	"satisfaction_sum",
};

const char *eval_dimension_key(enum eval_dimension d)
{
	return d >= 0 && d < EVAL_N_DIMENSIONS ? dimension_keys[d] : "";
}

const char *eval_dimension_label(enum eval_dimension d)
{
	return d >= 0 && d < EVAL_N_DIMENSIONS ? dimension_labels[d] : "";
}

const char *eval_fact_key(enum eval_fact f)
{
	return f >= 0 && f < EF_COUNT ? fact_keys[f] : "";
}

int eval_indicator_find(const char *key)
{
	for (int i = 0; key && i < eval_n_indicators; i++)
		if (!strcmp(eval_indicators[i].key, key))
			return i;
	return -1;
}

double eval_dimension_max(enum eval_dimension d)
{
	double sum = 0;
	for (int i = 0; i < eval_n_indicators; i++)
		if (eval_indicators[i].dimension == d)
			sum += eval_indicators[i].max;
	return eval_round1(sum);
}

/* ======================== Targets ======================== */

bool eval_has_target(const struct eval_indicator *ind)
{
	return ind->rule == EVAL_RULE_RATIO || ind->rule == EVAL_RULE_COUNT;
}

void eval_targets_default(struct eval_targets *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < eval_n_indicators; i++)
		if (eval_has_target(&eval_indicators[i]))
			out->t[i] = eval_indicators[i].target;
}

/* Why one target is refused, or NULL when v is acceptable for ind. */
static const char *target_problem(const struct eval_indicator *ind, const json_t *v)
{
	if (!json_is_number(v))
		return "应为数字";
	double x = json_number_value(v);
	if (ind->rule == EVAL_RULE_COUNT)
		return isfinite(x) && x > 0 && x == floor(x) ? NULL : "应为大于 0 的整数";
	return isfinite(x) && x > 0 && x <= 1 ? NULL : "应为大于 0 且不超过 1 的比例（如 0.9 表示 90%）";
}

int eval_targets_parse(json_t *targets, struct eval_targets *out, char *err, size_t n)
{
	eval_targets_default(out);
	if (!targets)
		return 0;
	if (!json_is_object(targets)) {
		snprintf(err, n, "quotas.evaluation_targets 应为对象，如 {\"training_sessions\": 4}");
		return -1;
	}
	struct eval_targets t = *out;
	const char *key;
	json_t *v;
	json_object_foreach(targets, key, v) {
		int i = eval_indicator_find(key);
		if (i < 0) {
			snprintf(err, n, "quotas.evaluation_targets 中的“%s”不是评分项", key);
			return -1;
		}
		const struct eval_indicator *ind = &eval_indicators[i];
		if (!eval_has_target(ind)) {
			snprintf(err, n, "quotas.evaluation_targets.%s（%s）不按满分标准计分，不能设置", key, ind->label);
			return -1;
		}
		const char *problem = target_problem(ind, v);
		if (problem) {
			snprintf(err, n, "quotas.evaluation_targets.%s（%s的满分标准）%s", key, ind->label, problem);
			return -1;
		}
		t.t[i] = json_number_value(v);
	}
	*out = t;
	return 0;
}

json_t *eval_targets_json(const struct eval_targets *t)
{
	json_t *o = json_object();
	for (int i = 0; i < eval_n_indicators; i++)
		if (eval_has_target(&eval_indicators[i]))
			json_object_set_new(o, eval_indicators[i].key, json_real(t->t[i]));
	return o;
}

/* ======================== Rules ======================== */

double eval_round1(double x)
{
	if (!isfinite(x))
		return 0;
	/* The epsilon absorbs binary noise (1.25 computed as 1.2499999999) without
	 * moving any value that is really below a half. */
	double t = floor(fabs(x) * 10 + 0.5 + 1e-9) / 10;
	return x < 0 ? -t : t;
}

static double clamp01(double r)
{
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

double eval_ratio_points(double max, int64_t num, int64_t den, double target)
{
	if (den <= 0 || target <= 0 || num <= 0)
		return 0;
	return eval_round1(max * clamp01((double)num / (double)den / target));
}

double eval_count_points(double max, int64_t count, double target)
{
	if (target <= 0 || count <= 0)
		return 0;
	return eval_round1(max * clamp01((double)count / target));
}

double eval_stage_points(double max, int64_t stage)
{
	if (stage == 2)
		return eval_round1(max);
	if (stage == 1)
		return eval_round1(max / 2);
	return 0;
}

double eval_percent(int64_t num, int64_t den)
{
	if (den <= 0)
		return -1;
	return eval_round1(100.0 * (double)num / (double)den);
}

enum eval_entry_problem eval_check_entry(const char *key, double points, int *index)
{
	int i = eval_indicator_find(key);
	if (index)
		*index = i;
	if (i < 0)
		return EVAL_ENTRY_UNKNOWN;
	if (eval_indicators[i].source != EVAL_ENTERED)
		return EVAL_ENTRY_COMPUTED;
	if (!isfinite(points) || points < 0 || points > eval_indicators[i].max)
		return EVAL_ENTRY_RANGE;
	double tenths = points * 10;
	if (fabs(tenths - floor(tenths + 0.5)) > 1e-6)
		return EVAL_ENTRY_PRECISION;
	return EVAL_ENTRY_OK;
}

/* "5" or "2.5": a maximum as people write it. */
static void format_points(double p, char out[16])
{
	if (fabs(p - floor(p)) < 1e-9)
		snprintf(out, 16, "%.0f", p);
	else
		snprintf(out, 16, "%.1f", p);
}

void eval_entry_message(enum eval_entry_problem p, const char *key, char *out, size_t n)
{
	int i = eval_indicator_find(key);
	const char *label = i >= 0 ? eval_indicators[i].label : key;
	char max[16] = "";
	if (i >= 0)
		format_points(eval_indicators[i].max, max);
	switch (p) {
	case EVAL_ENTRY_OK:
		snprintf(out, n, "“%s”的得分有效", label);
		break;
	case EVAL_ENTRY_UNKNOWN:
		snprintf(out, n, "没有名为“%s”的评分项", key ? key : "");
		break;
	case EVAL_ENTRY_COMPUTED:
		snprintf(out, n, "“%s”由系统根据业务数据计算，不能手工录入", label);
		break;
	case EVAL_ENTRY_RANGE:
		snprintf(out, n, "“%s”的得分应在 0 到 %s 分之间", label, max);
		break;
	case EVAL_ENTRY_PRECISION:
		snprintf(out, n, "“%s”的得分最多保留一位小数", label);
		break;
	}
}

static void score_computed(const struct eval_indicator *ind, const struct eval_facts *f, double target,
			   struct eval_item *it)
{
	it->has_points = true;
	switch (ind->rule) {
	case EVAL_RULE_STAGE:
		it->num = f->v[ind->num];
		it->value = (double)it->num;
		it->has_value = true;
		it->points = eval_stage_points(ind->max, it->num);
		break;
	case EVAL_RULE_RATIO:
		it->num = f->v[ind->num];
		it->den = f->v[ind->den] * ind->den_scale;
		it->has_value = it->den > 0;
		it->value = it->has_value ? eval_percent(it->num, it->den) : 0;
		it->points = eval_ratio_points(ind->max, it->num, it->den, target);
		break;
	case EVAL_RULE_COUNT:
		it->num = f->v[ind->num];
		it->value = (double)it->num;
		it->has_value = true;
		it->points = eval_count_points(ind->max, it->num, target);
		break;
	case EVAL_RULE_ENTERED:
		break;
	}
}

void eval_score(const struct eval_facts *facts, const struct eval_targets *targets, const double *entered,
		const bool *has_entered, struct eval_sheet *out)
{
	struct eval_targets defaults;
	if (!targets) {
		eval_targets_default(&defaults);
		targets = &defaults;
	}
	memset(out, 0, sizeof(*out));
	double dims[EVAL_N_DIMENSIONS] = {0};
	for (int i = 0; i < eval_n_indicators; i++) {
		const struct eval_indicator *ind = &eval_indicators[i];
		struct eval_item *it = &out->items[i];
		if (ind->source == EVAL_ENTERED) {
			it->has_points = has_entered && has_entered[i];
			it->points = it->has_points ? eval_round1(entered[i]) : 0;
			it->value = it->points;
			it->has_value = it->has_points;
			if (!it->has_points)
				out->missing_entries++;
		} else {
			score_computed(ind, facts, targets->t[i], it);
		}
		dims[ind->dimension] += it->points;
	}
	double total = 0;
	for (int d = 0; d < EVAL_N_DIMENSIONS; d++) {
		out->dimension_points[d] = eval_round1(dims[d]);
		total += out->dimension_points[d];
	}
	out->total = eval_round1(total);
}

void eval_rank(const double *totals, int n, int *ranks)
{
	for (int i = 0; i < n; i++) {
		double mine = eval_round1(totals[i]);
		int above = 0;
		for (int j = 0; j < n; j++)
			if (eval_round1(totals[j]) > mine + 1e-9)
				above++;
		ranks[i] = above + 1;
	}
}

/* ======================== The effect questionnaire ======================== */

const char *const eval_improvement_keys[EVAL_N_IMPROVEMENT] = {"very", "fairly", "average", "not"};
static const char *const improvement_labels[EVAL_N_IMPROVEMENT] = {"非常明显", "比较明显", "一般", "不明显"};

const char *eval_improvement_label(const char *key)
{
	for (int i = 0; key && i < EVAL_N_IMPROVEMENT; i++)
		if (!strcmp(eval_improvement_keys[i], key))
			return improvement_labels[i];
	return NULL;
}

bool eval_improvement_clear(const char *key)
{
	return key && (!strcmp(key, "very") || !strcmp(key, "fairly"));
}
