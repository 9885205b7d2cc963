/*
 * certificates.h - certification audits, the certificate registry with its
 * change history, and surveillance audits.
 */
#ifndef QMS_STORE_CERTIFICATES_H
#define QMS_STORE_CERTIFICATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

struct cert_rec {
	char number[64];
	int64_t cb_unit_id;          /* 0 for a prior certificate from a body outside the platform */
	char issuer_name[256];
	int64_t enterprise_id;       /* 0 when not linked */
	bool prior;                  /* held before the enterprise joined */
	char holder[256], uscc[80], address[512], sites[512], scope[2048], standard[256], scheme[128];
	char first_issue[11], issue[11], expiry[11];
	int64_t headcount;
};

struct cert_filter {
	int64_t district_unit_id, cb_unit_id, enterprise_id;
	const char *industry, *status, *q, *today; /* status is the effective one on `today` */
	int prior;                                  /* -1 any */
	int limit;
	int64_t offset;
};

int64_t cert_insert(struct db *db, const struct cert_rec *c, const char *username);
json_t *cert_get(struct db *db, int64_t id);
json_t *cert_list(struct db *db, const struct cert_filter *f, int64_t *total);
/* Scope of a certificate: its enterprise's district, its body, its enterprise. */
int cert_scope(struct db *db, int64_t id, int64_t *district, int64_t *cb, int64_t *enterprise);
/* Stored status, its date and the validity dates. 1 found, 0 not, -1 error. */
struct cert_state {
	char status[16], status_date[11], issue[11], expiry[11];
};
int cert_state_get(struct db *db, int64_t id, struct cert_state *s);
int cert_set_status(struct db *db, int64_t id, const char *from, const char *to, const char *on_date,
		    const char *reason, const char *username);
json_t *cert_events(struct db *db, int64_t id);
/* Certificates the expiry job must close: valid/suspended with expiry before today. */
int cert_expire_due(struct db *db, const char *today, const char *username);

int64_t surv_insert(struct db *db, int64_t cert_id, const char *date, const char *result,
		    const char *notes, const char *username);
json_t *surv_list(struct db *db, int64_t cert_id);
/* Dates (YYYY-MM-DD) of the surveillances on or after `since`, ascending, up to max. */
int surv_dates(struct db *db, int64_t cert_id, const char *since, char dates[][11], int max);

/* Certificates a body issued (not prior) to an enterprise. */
int cert_issued_count(struct db *db, int64_t enterprise_id, int64_t cb_unit_id);

/* The public view by number: an array (one per issuer with that number). */
json_t *cert_public(struct db *db, const char *number);

/* Counts of certified pilot enterprises per district × industry. */
json_t *cert_stats(struct db *db, int64_t programme_id, const char *today);

/* The certification audit of an enterprise (one per programme). */
struct cert_audit {
	char stage1[11], stage2[11], team[512], decision[16], decision_date[11], notes[1024];
	int64_t nc_found, nc_closed;
};
json_t *cert_audit_get(struct db *db, int64_t programme_id, int64_t enterprise_id);
int cert_audit_put(struct db *db, int64_t programme_id, int64_t enterprise_id, int64_t cb_unit_id,
		   const struct cert_audit *a, const char *username);

#endif
