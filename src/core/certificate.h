/*
 * certificate.h - certificate rules (CNCA-QMS-01): the status machine, the
 * surveillance schedule, what must be suspended or withdrawn, and the
 * checks on a certificate's fields. Pure functions on day numbers
 * (core/calendar.h); "today" is always passed in.
 */
#ifndef QMS_CERTIFICATE_H
#define QMS_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cert_status { CERT_VALID, CERT_SUSPENDED, CERT_WITHDRAWN, CERT_CANCELLED, CERT_EXPIRED, CERT_NONE };

enum cert_status cert_status_parse(const char *s);  /* CERT_NONE when unknown */
const char *cert_status_name(enum cert_status s);   /* "valid" … */
const char *cert_status_label(enum cert_status s);  /* 有效 暂停 撤销 注销 过期 */

/* Allowed by hand: valid→suspended, suspended→valid (lifted), suspended→withdrawn,
 * valid→cancelled, valid→expired. Withdrawn, cancelled and expired are final. */
bool cert_transition_allowed(enum cert_status from, enum cert_status to);

/* The status as of today: a valid or suspended certificate past its expiry
 * date is expired, whatever is stored. */
enum cert_status cert_effective_status(enum cert_status stored, int32_t expiry, int32_t today);

/* Add whole calendar months to a day (the 31st clamps to the month's end). */
int32_t date_add_months(int32_t day, int months);

/*
 * The surveillance schedule of one certificate cycle. done[] holds the
 * dates of the surveillance audits performed (sorted ascending, all within
 * the cycle). The first is due within 12 months of issue, each next one at
 * most 12 months after the previous; at least 2 per cycle.
 */
struct cert_schedule {
	int done;             /* performed in this cycle */
	int required;         /* 2 */
	int32_t next_due;     /* latest date for the next one; 0 when none is due
			       * any more (two done and the next would fall on or after expiry) */
	bool overdue;         /* today > next_due */
	int days_left;        /* next_due - today (negative when overdue) */
};
void cert_schedule(int32_t issue, int32_t expiry, const int32_t *done, int n_done, int32_t today,
		   struct cert_schedule *out);

/* A valid certificate with an overdue surveillance must be suspended. */
bool cert_must_suspend(enum cert_status effective, const struct cert_schedule *s);
/* A suspension lasts at most 6 months: after that the certificate must be withdrawn. */
bool cert_must_withdraw(enum cert_status effective, int32_t suspended_on, int32_t today);

/* Field checks for issuing or recording a certificate; false with field and message. */
struct cert_fields {
	const char *number, *holder, *scope, *standard;
	int32_t first_issue, issue, expiry;   /* day numbers; 0 = missing */
	int64_t headcount;                     /* < 0 missing */
};
struct cert_problem {
	const char *field;
	char message[200];
};
bool cert_validate(const struct cert_fields *c, int32_t today, struct cert_problem *p);
/* Certificate numbers: 4-40 characters of A-Z, 0-9, '-', '(', ')' (no '/': the number is
 * a path segment of the public verification URL). */
bool cert_number_valid(const char *s);

#endif
