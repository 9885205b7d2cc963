/*
 * calendar.h - dates, programme phases and deadline states.
 *
 * Pure functions, no I/O. A date is a day number: days since 1970-01-01
 * (proleptic Gregorian), so differences are plain subtraction.
 */
#ifndef QMS_CALENDAR_H
#define QMS_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Parse exactly "YYYY-MM-DD" (a real calendar day, years 1900-2999). */
bool date_parse(const char *s, int32_t *day_out);
/* Format a day number as "YYYY-MM-DD"; out needs 11 bytes. */
void date_format(int32_t day, char out[static 11]);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);
/* Today in Asia/Shanghai (UTC+8, no DST) for a UNIX time. */
int32_t date_today_shanghai(int64_t unix_seconds);
/* The Shanghai date of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ" as "YYYY-MM-DD";
 * "" when s is NULL or malformed. out needs 11 bytes. */
void date_of_rfc3339_shanghai(const char *s, char out[static 11]);

enum phase_state { PHASE_PAST, PHASE_CURRENT, PHASE_UPCOMING };
enum phase_state phase_state(int32_t start, int32_t end, int32_t today);
const char *phase_state_name(enum phase_state st);
const char *phase_state_label(enum phase_state st);

/* Days before a deadline at which it counts as "due soon". */
#define DEADLINE_DUE_SOON_DAYS 14

enum deadline_state { DL_UPCOMING, DL_DUE_SOON, DL_DUE_TODAY, DL_OVERDUE, DL_DONE };
/* State of a deadline for a unit that has (done) or has not yet submitted. */
enum deadline_state deadline_state(int32_t due, int32_t today, bool done);
const char *deadline_state_name(enum deadline_state st);

#endif
