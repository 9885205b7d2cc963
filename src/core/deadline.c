/*
 * deadline.c - see deadline.h.
 */
#include "deadline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum dl_audience dl_audience_parse(const char *s)
{
	if (!s)
		return DLA_NONE;
	if (!strcmp(s, "all_units"))
		return DLA_ALL_UNITS;
	if (!strcmp(s, "pilot_districts"))
		return DLA_PILOT_DISTRICTS;
	if (!strcmp(s, "pilot_units"))
		return DLA_PILOT_UNITS;
	if (!strcmp(s, "districts"))
		return DLA_DISTRICTS;
	return DLA_NONE;
}

bool dl_applies(enum dl_audience aud, bool is_district, bool pilot)
{
	switch (aud) {
	case DLA_ALL_UNITS:
		return true;
	case DLA_PILOT_DISTRICTS:
		return is_district && pilot;
	case DLA_PILOT_UNITS:
		return pilot;
	case DLA_DISTRICTS:
		return is_district;
	default:
		return false;
	}
}

static const char *const names[DLS_COUNT] = {"not_applicable", "upcoming", "due_soon", "overdue", "done", "done_late"};
static const char *const labels[DLS_COUNT] = {"不适用", "未到期", "即将到期", "已逾期", "已完成", "逾期完成"};

const char *dl_state_name(enum dl_state s)
{
	return (unsigned)s < DLS_COUNT ? names[s] : "not_applicable";
}

const char *dl_state_label(enum dl_state s)
{
	return (unsigned)s < DLS_COUNT ? labels[s] : labels[0];
}

enum dl_state dl_state(bool applies, int32_t due, int32_t done_on, int32_t today)
{
	if (!applies)
		return DLS_NOT_APPLICABLE;
	if (done_on)
		return done_on <= due ? DLS_DONE : DLS_DONE_LATE;
	if (today > due)
		return DLS_OVERDUE;
	if (due - today < DL_DUE_SOON_DAYS)
		return DLS_DUE_SOON;
	return DLS_UPCOMING;
}

int dl_reminder_offset(int32_t due, int32_t today, bool done, const int *offsets, int n)
{
	if (done)
		return -1;
	int found = -1;
	for (int i = 0; i < n; i++)
		if (due + offsets[i] <= today)
			found = i;
	return found;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int dl_offsets_parse(const char *s, int *out, int max)
{
	int n = 0;
	const char *p = s;
	if (!s)
		return -1;
	while (*p) {
		while (*p == ' ')
			p++;
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < -365 || v > 365 || n >= max)
			return -1;
		out[n++] = (int)v;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	qsort(out, (size_t)n, sizeof(int), cmp_int);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!k || out[k - 1] != out[i])
			out[k++] = out[i];
	return k;
}

bool dl_email_valid(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len < 6 || len > 254)
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("()<>,;:\\\"[]", c))
			return false;
	}
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || !dot[1] || !dot[2] || at[1] == '.' || strstr(at, ".."))
		return false;
	for (const char *p = dot + 1; *p; p++)
		if (!isalpha((unsigned char)*p))
			return false;
	return true;
}
