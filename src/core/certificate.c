/*
 * certificate.c - see certificate.h.
 */
#include "certificate.h"
#include "calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *label;
} statuses[] = {
	[CERT_VALID] = {"valid", "有效"},
	[CERT_SUSPENDED] = {"suspended", "暂停"},
	[CERT_WITHDRAWN] = {"withdrawn", "撤销"},
	[CERT_CANCELLED] = {"cancelled", "注销"},
	[CERT_EXPIRED] = {"expired", "过期"},
};

enum cert_status cert_status_parse(const char *s)
{
	for (int i = CERT_VALID; s && i <= CERT_EXPIRED; i++)
		if (!strcmp(s, statuses[i].name))
			return (enum cert_status)i;
	return CERT_NONE;
}

const char *cert_status_name(enum cert_status s)
{
	return s <= CERT_EXPIRED ? statuses[s].name : "none";
}

const char *cert_status_label(enum cert_status s)
{
	return s <= CERT_EXPIRED ? statuses[s].label : "未知";
}

bool cert_transition_allowed(enum cert_status from, enum cert_status to)
{
	switch (from) {
	case CERT_VALID:
		return to == CERT_SUSPENDED || to == CERT_CANCELLED || to == CERT_EXPIRED;
	case CERT_SUSPENDED:
		return to == CERT_VALID || to == CERT_WITHDRAWN;
	default:
		return false;
	}
}

enum cert_status cert_effective_status(enum cert_status stored, int32_t expiry, int32_t today)
{
	if ((stored == CERT_VALID || stored == CERT_SUSPENDED) && today > expiry)
		return CERT_EXPIRED;
	return stored;
}

int32_t date_add_months(int32_t day, int months)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return date_from_ymd(y, m, d > last ? last : d);
}

void cert_schedule(int32_t issue, int32_t expiry, const int32_t *done, int n_done, int32_t today,
		   struct cert_schedule *out)
{
	memset(out, 0, sizeof(*out));
	out->required = 2;
	out->done = n_done;
	int32_t last = n_done ? done[n_done - 1] : issue;
	int32_t due = date_add_months(last, 12);
	/* After the required audits, none is due if the next would come after expiry:
	 * recertification takes over. */
	if (n_done >= out->required && due >= expiry)
		return;
	if (due > expiry)
		due = expiry;
	out->next_due = due;
	out->days_left = (int)(due - today);
	out->overdue = today > due;
}

bool cert_must_suspend(enum cert_status effective, const struct cert_schedule *s)
{
	return effective == CERT_VALID && s->next_due && s->overdue;
}

bool cert_must_withdraw(enum cert_status effective, int32_t suspended_on, int32_t today)
{
	return effective == CERT_SUSPENDED && today > date_add_months(suspended_on, 6);
}

bool cert_number_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 4 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		/* No '/': the number is a path segment of the public verification URL. */
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-()", c)))
			return false;
	}
	return true;
}

static bool problem(struct cert_problem *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool problem(struct cert_problem *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	p->field = field;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	return false;
}

bool cert_validate(const struct cert_fields *c, int32_t today, struct cert_problem *p)
{
	if (!cert_number_valid(c->number))
		return problem(p, "number", "证书编号应为 4—40 位大写字母、数字或 - ( )");
	if (!c->holder || !*c->holder)
		return problem(p, "holder", "请填写获证组织名称");
	if (!c->scope || !*c->scope)
		return problem(p, "scope", "请填写认证覆盖的业务范围");
	if (!c->standard || !*c->standard)
		return problem(p, "standard", "请填写认证依据（如 GB/T 19001-2016/ISO 9001:2015）");
	if (!c->issue)
		return problem(p, "issue_date", "请填写颁证日期");
	if (!c->expiry)
		return problem(p, "expiry_date", "请填写证书有效期截止日期");
	if (c->issue > today)
		return problem(p, "issue_date", "颁证日期不能晚于今天");
	if (c->first_issue && c->first_issue > c->issue)
		return problem(p, "first_issue_date", "初次颁证日期不能晚于本次颁证日期");
	if (c->expiry <= c->issue)
		return problem(p, "expiry_date", "有效期截止日期必须晚于颁证日期");
	if (c->expiry > date_add_months(c->issue, 36))
		return problem(p, "expiry_date", "证书有效期最长 3 年（截止日期不能晚于颁证日期后 3 年）");
	if (c->headcount < 1 || c->headcount > 1000000)
		return problem(p, "headcount", "覆盖人数应为正整数");
	return true;
}
