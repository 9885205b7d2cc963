/*
 * workplan.h - the district work plan (试点工作方案) and its rules:
 * 1-2 focus pilot industries, at least 5 pilot enterprises in each, only
 * certification bodies selected for that industry, dated implementation
 * steps. Pure: facts about enterprises and selections come through callbacks.
 */
#ifndef QMS_WORKPLAN_H
#define QMS_WORKPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WP_MAX_INDUSTRIES 4   /* accepted in drafts; the quota decides at submit */
#define WP_MAX_ENTERPRISES 200
#define WP_MAX_CBS 4
#define WP_MAX_STEPS 20

struct wp_industry {
	char name[64];
	int n_enterprises;
	int64_t enterprises[WP_MAX_ENTERPRISES];
	int n_cbs;
	int64_t cbs[WP_MAX_CBS];
};

struct wp_step {
	char title[256];
	char start[16], end[16];
	char description[1024];
};

struct wp_plan {
	int n_industries;
	struct wp_industry industries[WP_MAX_INDUSTRIES];
	int n_steps;
	struct wp_step steps[WP_MAX_STEPS];
	char summary[4096];
};

struct wp_rules {
	int min_industries, max_industries;  /* 1, 2 */
	int min_enterprises;                 /* 5 */
	const char *const *catalogue;
	int n_catalogue;
	/* May this enterprise be a pilot enterprise of `industry` in this district?
	 * On false, why gets a short Chinese reason. */
	bool (*enterprise_ok)(void *ctx, int64_t id, const char *industry, char *why, size_t n);
	/* Is the body selected for the industry? */
	bool (*cb_selected)(void *ctx, const char *industry, int64_t cb_unit_id);
	void *ctx;
};

struct wp_problem {
	const char *field; /* "industries", "enterprises", "cbs", "steps", "summary" */
	char message[300];
};

/* Drafts: what is filled in must be valid. Submit: the quotas must hold too. */
bool wp_validate(const struct wp_plan *p, bool for_submit, const struct wp_rules *r,
		 struct wp_problem *out);

#endif
