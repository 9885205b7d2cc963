/*
 * declaration.h - the declaration form (申报表, attachment 2) and its rules,
 * and the selection quota. Pure functions: no I/O.
 */
#ifndef QMS_DECLARATION_H
#define QMS_DECLARATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DECL_MAX_INDUSTRIES 10

/* The form. Text fields are "" when empty; joins_pilot is -1 when unanswered. */
struct decl_form {
	char unit_name[256];
	int joins_pilot;
	int n_industries;
	char industries[DECL_MAX_INDUSTRIES][64];
	char leader[128];
	char contact_phone[32];
	char contact_email[128];
	char province[128];
	char founded[16];
	char ownership[32];
	char ownership_other[256];
	char qualifications[2048];
	char remarks[2048];
};

/* The first problem found: the field and a Chinese message. */
struct decl_problem {
	const char *field;
	char message[200];
};

/*
 * Check a form for a unit of the given category. For a draft only what is
 * filled in must be valid; for submit everything required must be there.
 * catalogue lists the programme's industry names (n_catalogue of them).
 * Returns true when the form passes; otherwise fills p.
 */
bool decl_validate(const struct decl_form *f, bool is_cb, bool for_submit, int32_t today,
		   const char *const *catalogue, int n_catalogue, struct decl_problem *p);

/* Mainland mobile (1[3-9] + 9 digits) or landline with area code
 * (0xx-xxxxxxxx / 0xxx-xxxxxxx, optional "-ext" of 1-6 digits). */
bool phone_valid(const char *s);
/* A plain e-mail address: local@domain.tld, no spaces, ≤ 100 characters. */
bool email_valid(const char *s);

/* Ownership keys and their labels (机构属性). */
bool ownership_valid(const char *key);
const char *ownership_label(const char *key); /* "" for unknown */

/* Category of a unit kind: "market_regulation" or "certification_body". */
const char *decl_category_for_kind(const char *unit_kind);
const char *decl_category_label(const char *category);
const char *decl_status_label(const char *status);

/* ---- Selection (遴选) ---- */
enum selection_verdict {
	SEL_OK,
	SEL_QUOTA_EXCEEDED,   /* would exceed the quota and no exception reason */
	SEL_EXCEPTION_SHORT,  /* an exception reason under 5 characters */
};
/* May one more body be selected for an industry that has `current` already? */
enum selection_verdict selection_check(int current, int max, const char *exception_reason);

#endif
