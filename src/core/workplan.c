/*
 * workplan.c - see workplan.h.
 */
#include "workplan.h"
#include "calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool problem(struct wp_problem *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool problem(struct wp_problem *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	p->field = field;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool in_catalogue(const struct wp_rules *r, const char *name)
{
	for (int i = 0; i < r->n_catalogue; i++)
		if (!strcmp(r->catalogue[i], name))
			return true;
	return false;
}

static bool check_industry(const struct wp_industry *in, bool for_submit, const struct wp_rules *r,
			   struct wp_problem *p)
{
	if (!in_catalogue(r, in->name))
		return problem(p, "industries", "试点行业不在本项目的行业目录中：%.60s", in->name);
	for (int i = 0; i < in->n_enterprises; i++) {
		for (int j = 0; j < i; j++)
			if (in->enterprises[i] == in->enterprises[j])
				return problem(p, "enterprises", "“%.60s”的试点企业名单中有重复的企业", in->name);
		char why[200] = "";
		if (!r->enterprise_ok(r->ctx, in->enterprises[i], in->name, why, sizeof(why)))
			return problem(p, "enterprises", "“%.60s”的试点企业不符合要求：%.200s", in->name, why);
	}
	for (int i = 0; i < in->n_cbs; i++) {
		for (int j = 0; j < i; j++)
			if (in->cbs[i] == in->cbs[j])
				return problem(p, "cbs", "“%.60s”的认证机构重复", in->name);
		if (!r->cb_selected(r->ctx, in->name, in->cbs[i]))
			return problem(p, "cbs", "只能选择已遴选为“%.60s”服务的认证机构", in->name);
	}
	if (!for_submit)
		return true;
	if (in->n_enterprises < r->min_enterprises)
		return problem(p, "enterprises", "每个试点行业应遴选 %d 家以上试点企业，“%.60s”目前只有 %d 家",
			       r->min_enterprises, in->name, in->n_enterprises);
	if (in->n_cbs == 0)
		return problem(p, "cbs", "请为“%.60s”选择提供帮扶服务的认证机构", in->name);
	return true;
}

static bool check_steps(const struct wp_plan *pl, bool for_submit, struct wp_problem *p)
{
	for (int i = 0; i < pl->n_steps; i++) {
		const struct wp_step *s = &pl->steps[i];
		int32_t a, b;
		if (!s->title[0])
			return problem(p, "steps", "第 %d 个实施步骤缺少名称", i + 1);
		if (!date_parse(s->start, &a) || !date_parse(s->end, &b))
			return problem(p, "steps", "第 %d 个实施步骤的起止日期格式应为 YYYY-MM-DD", i + 1);
		if (a > b)
			return problem(p, "steps", "第 %d 个实施步骤的开始日期晚于结束日期", i + 1);
	}
	if (for_submit && pl->n_steps == 0)
		return problem(p, "steps", "请至少填写一个试点工作实施步骤（含起止日期）");
	return true;
}

bool wp_validate(const struct wp_plan *pl, bool for_submit, const struct wp_rules *r,
		 struct wp_problem *out)
{
	for (int i = 0; i < pl->n_industries; i++) {
		for (int j = 0; j < i; j++)
			if (!strcmp(pl->industries[i].name, pl->industries[j].name))
				return problem(out, "industries", "试点行业重复：%.60s", pl->industries[i].name);
		if (!check_industry(&pl->industries[i], for_submit, r, out))
			return false;
	}
	/* An enterprise is the pilot of one industry only. */
	for (int i = 0; i < pl->n_industries; i++)
		for (int j = i + 1; j < pl->n_industries; j++)
			for (int a = 0; a < pl->industries[i].n_enterprises; a++)
				for (int b = 0; b < pl->industries[j].n_enterprises; b++)
					if (pl->industries[i].enterprises[a] == pl->industries[j].enterprises[b])
						return problem(out, "enterprises", "同一企业不能同时列入两个试点行业");
	if (for_submit && (pl->n_industries < r->min_industries || pl->n_industries > r->max_industries))
		return problem(out, "industries", "应明确本地区重点推进的 %d—%d 个试点行业，目前为 %d 个",
			       r->min_industries, r->max_industries, pl->n_industries);
	return check_steps(pl, for_submit, out);
}
