/*
 * calendar.c - see calendar.h. Day-number arithmetic after H. Hinnant's
 * civil-from-days algorithm (public domain description), written for int32.
 */
#include "calendar.h"

#include <string.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse(const char *s, int32_t *day_out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*day_out = date_from_ymd(y, m, d);
	return true;
}

void date_format(int32_t day, char out[static 11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	/* Four-digit years only: date_parse never accepts anything else. */
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int32_t date_today_shanghai(int64_t unix_seconds)
{
	int64_t local = unix_seconds + 8 * 3600;
	int64_t day = local / 86400;
	if (local < 0 && local % 86400)
		day--;
	return (int32_t)day;
}

enum phase_state phase_state(int32_t start, int32_t end, int32_t today)
{
	if (today < start)
		return PHASE_UPCOMING;
	if (today > end)
		return PHASE_PAST;
	return PHASE_CURRENT;
}

const char *phase_state_name(enum phase_state st)
{
	switch (st) {
	case PHASE_PAST: return "past";
	case PHASE_CURRENT: return "current";
	case PHASE_UPCOMING: return "upcoming";
	}
	return "upcoming";
}

const char *phase_state_label(enum phase_state st)
{
	switch (st) {
	case PHASE_PAST: return "已结束";
	case PHASE_CURRENT: return "进行中";
	case PHASE_UPCOMING: return "未开始";
	}
	return "未开始";
}

enum deadline_state deadline_state(int32_t due, int32_t today, bool done)
{
	if (done)
		return DL_DONE;
	int32_t left = due - today;
	if (left < 0)
		return DL_OVERDUE;
	if (left == 0)
		return DL_DUE_TODAY;
	if (left <= DEADLINE_DUE_SOON_DAYS)
		return DL_DUE_SOON;
	return DL_UPCOMING;
}

const char *deadline_state_name(enum deadline_state st)
{
	switch (st) {
	case DL_UPCOMING: return "upcoming";
	case DL_DUE_SOON: return "due_soon";
	case DL_DUE_TODAY: return "due_today";
	case DL_OVERDUE: return "overdue";
	case DL_DONE: return "done";
	}
	return "upcoming";
}

void date_of_rfc3339_shanghai(const char *s, char out[static 11])
{
	char day[11];
	int32_t d;
	int h;
	out[0] = '\0';
	if (!s || strlen(s) < 13 || s[10] != 'T')
		return;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!date_parse(day, &d) || s[11] < '0' || s[11] > '2' || s[12] < '0' || s[12] > '9')
		return;
	h = (s[11] - '0') * 10 + (s[12] - '0');
	date_format(h + 8 >= 24 ? d + 1 : d, out);
}
