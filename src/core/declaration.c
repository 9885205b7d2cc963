/*
 * declaration.c - see declaration.h.
 */
#include "declaration.h"
#include "calendar.h"
#include "../util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *key, *label;
} ownerships[] = {
	{"public_institution", "事业单位"},
	{"state_owned", "国有企业"},
	{"joint_stock", "股份制公司"},
	{"collective", "集体所有制企业"},
	{"joint_venture", "合资企业"},
	{"private", "民营企业"},
	{"other", "其他"},
};

bool ownership_valid(const char *key)
{
	return ownership_label(key)[0] != '\0';
}

const char *ownership_label(const char *key)
{
	for (size_t i = 0; key && i < ARRAY_SIZE(ownerships); i++)
		if (!strcmp(key, ownerships[i].key))
			return ownerships[i].label;
	return "";
}

const char *decl_category_for_kind(const char *unit_kind)
{
	return unit_kind && !strcmp(unit_kind, "cb") ? "certification_body" : "market_regulation";
}

const char *decl_category_label(const char *category)
{
	return !strcmp(category, "certification_body") ? "认证机构" : "市场监管部门";
}

const char *decl_status_label(const char *status)
{
	if (!strcmp(status, "draft"))
		return "草稿";
	if (!strcmp(status, "submitted"))
		return "已提交";
	if (!strcmp(status, "returned"))
		return "已退回";
	if (!strcmp(status, "accepted"))
		return "已通过";
	return status;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

bool phone_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, n))
		return true;
	/* Landline: 0 + area code (2-3 more digits), '-', 7-8 digits, optional -ext. */
	const char *dash = strchr(s, '-');
	if (s[0] != '0' || !dash)
		return false;
	size_t area = (size_t)(dash - s);
	if (area < 3 || area > 4 || !all_digits(s, area))
		return false;
	const char *num = dash + 1, *ext = strchr(num, '-');
	size_t nlen = ext ? (size_t)(ext - num) : strlen(num);
	if (nlen < 7 || nlen > 8 || !all_digits(num, nlen) || num[0] == '0')
		return false;
	if (ext) {
		size_t elen = strlen(ext + 1);
		if (elen < 1 || elen > 6 || !all_digits(ext + 1, elen))
			return false;
	}
	return true;
}

bool email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 5 || n > 100 || !at || at == s || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("()<>,;:\\\"[]", c))
			return false;
	}
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || strlen(dot + 1) < 2 || strstr(at, ".."))
		return false;
	return true;
}

static bool problem(struct decl_problem *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool problem(struct decl_problem *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	p->field = field;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool in_catalogue(const char *name, const char *const *cat, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name, cat[i]))
			return true;
	return false;
}

/* Fields of the other category must be empty. */
static bool other_category_empty(const struct decl_form *f, bool is_cb, struct decl_problem *p)
{
	if (is_cb) {
		if (f->n_industries)
			return problem(p, "industries", "认证机构无需填写试点行业（初步意向）");
		return true;
	}
	static const struct {
		const char *field;
		size_t off;
	} cb_only[] = {
		{"province", offsetof(struct decl_form, province)},
		{"founded", offsetof(struct decl_form, founded)},
		{"ownership", offsetof(struct decl_form, ownership)},
		{"ownership_other", offsetof(struct decl_form, ownership_other)},
		{"qualifications", offsetof(struct decl_form, qualifications)},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cb_only); i++)
		if (((const char *)f + cb_only[i].off)[0])
			return problem(p, cb_only[i].field, "市场监管部门无需填写认证机构栏目");
	return true;
}

bool decl_validate(const struct decl_form *f, bool is_cb, bool for_submit, int32_t today,
		   const char *const *catalogue, int n_catalogue, struct decl_problem *p)
{
	if (!other_category_empty(f, is_cb, p))
		return false;
	if (for_submit && !f->unit_name[0])
		return problem(p, "unit_name", "请填写单位名称");
	if (for_submit && f->joins_pilot < 0)
		return problem(p, "joins_pilot", "请选择是否参与试点");
	for (int i = 0; i < f->n_industries; i++) {
		if (!in_catalogue(f->industries[i], catalogue, n_catalogue))
			return problem(p, "industries", "试点行业不在本项目的行业目录中：%.60s", f->industries[i]);
		for (int j = 0; j < i; j++)
			if (!strcmp(f->industries[i], f->industries[j]))
				return problem(p, "industries", "试点行业重复：%.60s", f->industries[i]);
	}
	if (f->contact_phone[0] && !phone_valid(f->contact_phone))
		return problem(p, "contact_phone",
			       "联系电话应为手机号（11 位）或带区号的固定电话，如 021-12345678");
	if (f->contact_email[0] && !email_valid(f->contact_email))
		return problem(p, "contact_email", "电子邮箱格式不正确");
	if (f->founded[0]) {
		int32_t d;
		if (!date_parse(f->founded, &d))
			return problem(p, "founded", "成立时间格式应为 YYYY-MM-DD");
		if (d > today)
			return problem(p, "founded", "成立时间不能晚于今天");
	}
	if (f->ownership[0] && !ownership_valid(f->ownership))
		return problem(p, "ownership", "机构属性无效");
	if (strcmp(f->ownership, "other") == 0 && !f->ownership_other[0] && for_submit)
		return problem(p, "ownership_other", "机构属性选择“其他”时请注明具体属性");
	if (f->ownership_other[0] && strcmp(f->ownership, "other") != 0)
		return problem(p, "ownership_other", "只有机构属性为“其他”时才填写此项");
	if (!for_submit || f->joins_pilot != 1)
		return true;

	/* A unit that joins: everything of its category is required. */
	if (!is_cb && f->n_industries == 0)
		return problem(p, "industries", "请至少选择一个试点行业（初步意向）");
	if (is_cb) {
		if (!f->province[0])
			return problem(p, "province", "请填写所属省市");
		if (!f->founded[0])
			return problem(p, "founded", "请填写成立时间");
		if (!f->ownership[0])
			return problem(p, "ownership", "请选择机构属性");
		if (!f->qualifications[0])
			return problem(p, "qualifications", "请填写认证资质");
	}
	if (!f->leader[0])
		return problem(p, "leader", "请填写提升行动负责人");
	if (!f->contact_phone[0])
		return problem(p, "contact_phone", "请填写联系电话");
	return true;
}

enum selection_verdict selection_check(int current, int max, const char *exception_reason)
{
	bool has_reason = exception_reason && exception_reason[0];
	if (has_reason && utf8_length(exception_reason) < 5)
		return SEL_EXCEPTION_SHORT;
	if (current >= max && !has_reason)
		return SEL_QUOTA_EXCEEDED;
	return SEL_OK;
}
