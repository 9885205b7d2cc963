/*
 * deadline.h - the deadline service's rules: which programme deadline
 * applies to which unit, its state for that unit on a given day, and which
 * reminder offset is due. Pure functions on day numbers (core/calendar.h);
 * the facts (who declared, who submitted what, when) come from the store.
 */
#ifndef QMS_DEADLINE_H
#define QMS_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

/* Who a deadline addresses (programme JSON "audience"). */
enum dl_audience { DLA_ALL_UNITS, DLA_PILOT_DISTRICTS, DLA_PILOT_UNITS, DLA_DISTRICTS, DLA_NONE };
enum dl_audience dl_audience_parse(const char *s); /* DLA_NONE when unknown */

/* Does a deadline for `aud` apply to a unit? is_district: a district bureau (else a
 * certification body); pilot: its declaration says 参与试点: 是. */
bool dl_applies(enum dl_audience aud, bool is_district, bool pilot);

enum dl_state { DLS_NOT_APPLICABLE, DLS_UPCOMING, DLS_DUE_SOON, DLS_OVERDUE, DLS_DONE, DLS_DONE_LATE };
#define DLS_COUNT 6
const char *dl_state_name(enum dl_state s);  /* not_applicable upcoming due_soon overdue done done_late */
const char *dl_state_label(enum dl_state s); /* 不适用 未到期 即将到期 已逾期 已完成 逾期完成 */

/* Days before the due date (inclusive of the due date itself) at which an open
 * deadline is "due soon": the same window the calendar pages use. */
#define DL_DUE_SOON_DAYS 14

/*
 * State of one deadline for one unit: done_on is the day of the first
 * submission (0 = not submitted). Submitted on or before the due date → done,
 * after → done_late; not submitted: today after due → overdue, due within
 * DL_DUE_SOON_DAYS days (today..due) → due_soon, else upcoming.
 */
enum dl_state dl_state(bool applies, int32_t due, int32_t done_on, int32_t today);

/*
 * Reminders: offsets are days relative to the due date, ascending (e.g.
 * -7, -1, 1, 7). The offset due today is the last one whose day has come
 * (due + offset <= today) while the next one's day has not (today < due +
 * next). Returns its index, or -1 when none (before the first day, or the
 * deadline is done). A missed run catches up with only the current offset.
 */
int dl_reminder_offset(int32_t due, int32_t today, bool done, const int *offsets, int n);

/* Parse "-7,-1,1,7" into ascending distinct offsets (|offset| <= 365); returns the
 * count, or -1 when malformed. */
int dl_offsets_parse(const char *s, int *out, int max);

/* A plausible e-mail address (local@domain.tld, ASCII, no spaces, ≤ 254). */
bool dl_email_valid(const char *s);

#endif
