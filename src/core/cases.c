/*
 * cases.c - see cases.h.
 */
#include "cases.h"
#include "diagnosis.h"
#include "../util.h"

#include <stdlib.h>
#include <string.h>

/* ======================== Typical cases ======================== */

static const struct {
	enum case_status s;
	const char *name, *label;
} case_statuses[] = {
	{CASE_DRAFT, "draft", "草稿"},
	{CASE_SUBMITTED, "submitted", "已提交"},
	{CASE_RETURNED, "returned", "已退回"},
	{CASE_PUBLISHED, "published", "已发布"},
};

enum case_status case_status_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(case_statuses) / sizeof(case_statuses[0]); i++)
		if (!strcmp(s, case_statuses[i].name))
			return case_statuses[i].s;
	return CASE_NONE;
}

const char *case_status_name(enum case_status s)
{
	for (size_t i = 0; i < sizeof(case_statuses) / sizeof(case_statuses[0]); i++)
		if (case_statuses[i].s == s)
			return case_statuses[i].name;
	return "";
}

const char *case_status_label(enum case_status s)
{
	for (size_t i = 0; i < sizeof(case_statuses) / sizeof(case_statuses[0]); i++)
		if (case_statuses[i].s == s)
			return case_statuses[i].label;
	return "";
}

enum case_status case_next(enum case_status from, enum case_event ev, const char **why)
{
	const char *w = NULL;
	enum case_status to = CASE_NONE;
	bool editable = from == CASE_DRAFT || from == CASE_RETURNED;
	switch (ev) {
	case CASE_EV_EDIT:
	case CASE_EV_DELETE:
	case CASE_EV_SUBMIT:
		if (editable)
			to = ev == CASE_EV_SUBMIT ? CASE_SUBMITTED : from;
		else if (from == CASE_SUBMITTED)
			w = ev == CASE_EV_SUBMIT ? "案例已提交，请勿重复提交" : "案例已提交，等待市局审核期间不能修改";
		else if (from == CASE_PUBLISHED)
			w = "案例已发布，不能再修改";
		break;
	case CASE_EV_RETURN:
	case CASE_EV_PUBLISH:
		if (from == CASE_SUBMITTED)
			to = ev == CASE_EV_RETURN ? CASE_RETURNED : CASE_PUBLISHED;
		else if (from == CASE_PUBLISHED)
			w = "案例已发布";
		else
			w = "案例尚未提交，不能审核";
		break;
	}
	if (to == CASE_NONE && !w)
		w = "案例状态不允许此操作";
	if (why)
		*why = w;
	return to;
}

static const struct {
	const char *key, *label;
	bool required;
} case_texts[CASE_N_TEXTS] = {
	{"summary", "案例简介", true},
	{"problems", "问题诊断", false},
	{"measures", "改进措施", false},
	{"results", "提升成效", false},
	{"lessons", "经验启示", true},
};

const char *case_text_key(int i)
{
	return i >= 0 && i < CASE_N_TEXTS ? case_texts[i].key : NULL;
}

const char *case_text_label(int i)
{
	return i >= 0 && i < CASE_N_TEXTS ? case_texts[i].label : NULL;
}

int case_text_index(const char *key)
{
	for (int i = 0; key && i < CASE_N_TEXTS; i++)
		if (!strcmp(key, case_texts[i].key))
			return i;
	return -1;
}

bool case_text_required(int i)
{
	return i >= 0 && i < CASE_N_TEXTS && case_texts[i].required;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

const char *case_missing_for_submit(const char *title, const char *const texts[CASE_N_TEXTS])
{
	if (blank(title))
		return "title";
	for (int i = 0; i < CASE_N_TEXTS; i++)
		if (case_texts[i].required && blank(texts[i]))
			return case_texts[i].key;
	return NULL;
}

/* ======================== Benchmark enterprises ======================== */

static const struct {
	enum bench_status s;
	const char *name, *label;
} bench_statuses[] = {
	{BENCH_NOMINATED, "nominated", "已提名"},
	{BENCH_SELECTED, "selected", "入选"},
	{BENCH_NOT_SELECTED, "not_selected", "未入选"},
};

enum bench_status bench_status_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(bench_statuses) / sizeof(bench_statuses[0]); i++)
		if (!strcmp(s, bench_statuses[i].name))
			return bench_statuses[i].s;
	return BENCH_NONE;
}

const char *bench_status_name(enum bench_status s)
{
	for (size_t i = 0; i < sizeof(bench_statuses) / sizeof(bench_statuses[0]); i++)
		if (bench_statuses[i].s == s)
			return bench_statuses[i].name;
	return "";
}

const char *bench_status_label(enum bench_status s)
{
	for (size_t i = 0; i < sizeof(bench_statuses) / sizeof(bench_statuses[0]); i++)
		if (bench_statuses[i].s == s)
			return bench_statuses[i].label;
	return "";
}

bool bench_score_valid(int64_t score)
{
	return score >= BENCH_SCORE_MIN && score <= BENCH_SCORE_MAX;
}

bool bench_mean(const int *scores, int n, double *mean)
{
	if (n <= 0) {
		*mean = 0;
		return false;
	}
	long sum = 0;
	for (int i = 0; i < n; i++)
		sum += scores[i];
	*mean = diag_round1((double)sum / n);
	return true;
}

const char *bench_quota_state(int count, int min, int max)
{
	if (count > max)
		return "over";
	if (count == max)
		return "full";
	if (count < min)
		return "missing";
	return "open";
}

const char *bench_quota_label(const char *state)
{
	if (!state)
		return "";
	if (!strcmp(state, "missing"))
		return "待提名";
	if (!strcmp(state, "open"))
		return "可再提名";
	if (!strcmp(state, "full"))
		return "已满";
	if (!strcmp(state, "over"))
		return "超出名额";
	return "";
}

bool bench_can_nominate(int count, int max)
{
	return count < max;
}

enum bench_pick_result bench_check_selection(const struct bench_pick *picks, int n, const int *already_selected,
					     int n_groups, int max, int *bad)
{
	*bad = -1;
	for (int i = 0; i < n; i++)
		if (picks[i].selected && !picks[i].scored) {
			*bad = i;
			return BENCH_PICK_UNSCORED;
		}
	int *count = xcalloc((size_t)(n_groups > 0 ? n_groups : 1), sizeof(*count));
	for (int g = 0; g < n_groups; g++)
		count[g] = already_selected ? already_selected[g] : 0;
	enum bench_pick_result rc = BENCH_PICK_OK;
	for (int i = 0; i < n; i++) {
		if (!picks[i].selected || picks[i].group < 0 || picks[i].group >= n_groups)
			continue;
		if (++count[picks[i].group] > max) {
			*bad = i;
			rc = BENCH_PICK_OVER_QUOTA;
			break;
		}
	}
	free(count);
	return rc;
}
