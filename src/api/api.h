/*
 * api.h - the JSON API: the route table and one handler per endpoint.
 * One file per resource; see docs/api.md for the contract.
 */
#ifndef QMS_API_H
#define QMS_API_H

#include <stdbool.h>

#include "../http/http.h"

struct db;

extern const struct route api_routes[];
extern const int api_n_routes;

/* True when the database answers a trivial query. */
bool api_ping(struct db *db);

/* The programme in force (the declaration round, quotas, catalogue); replies
 * 409 when none is loaded or 503 on a database error, and returns false. */
struct programme_info;
bool programme_or_reply(struct request *rq, struct programme_info *pi);
/* The body {"reason":"…"} of a "return for revision" (required, at most 500 characters). */
bool return_reason_or_reply(struct request *rq, char *out, size_t outsz);

/* auth.c */
void api_login(struct request *rq);
void api_logout(struct request *rq);
void api_me(struct request *rq);
void api_me_password(struct request *rq);

/* programmes.c */
void api_public_site(struct request *rq);
void api_programmes_list(struct request *rq);
void api_programmes_get(struct request *rq);

/* units.c */
void api_units_list(struct request *rq);
void api_units_get(struct request *rq);

/* users.c */
void api_users_list(struct request *rq);
void api_users_create(struct request *rq);
void api_users_get(struct request *rq);
void api_users_patch(struct request *rq);
void api_users_disable(struct request *rq);
void api_users_enable(struct request *rq);
void api_users_reset_password(struct request *rq);
/* The user object of docs/api.md. */
struct user_row;
json_t *user_json(const struct user_row *u);
void user_create_reply(struct request *rq, const char *username, const char *display,
		       const char *role, int64_t unit_id, int64_t ent_id, char *password);

/* declarations.c */
void api_declarations_list(struct request *rq);
void api_declarations_xlsx(struct request *rq);
void api_declarations_mine(struct request *rq);
void api_declarations_get(struct request *rq);
void api_declarations_create(struct request *rq);
void api_declarations_update(struct request *rq);
void api_declarations_submit(struct request *rq);
void api_declarations_return(struct request *rq);
void api_declarations_accept(struct request *rq);
void api_declarations_version(struct request *rq);
void api_declarations_put_scan(struct request *rq);
void api_declarations_get_scan(struct request *rq);
void api_declarations_pdf(struct request *rq);

/* selections.c */
void api_selections_list(struct request *rq);
void api_selections_summary(struct request *rq);
void api_selections_create(struct request *rq);
void api_selections_delete(struct request *rq);

/* enterprises.c */
struct programme_info;
struct ent_fields;
struct ent_problem {
	const char *field;
	char message[300];
};
int64_t ent_district_unit(struct request *rq, const char *district);
void ent_region_of(struct request *rq, int64_t unit_id, char out[16]);
bool ent_check(struct request *rq, const struct programme_info *pi, struct ent_fields *e,
	       const char *district_region, struct ent_problem *p);
void api_enterprises_list(struct request *rq);
void api_enterprises_get(struct request *rq);
void api_enterprises_counts(struct request *rq);
void api_enterprises_create(struct request *rq);
void api_enterprises_update(struct request *rq);
void api_enterprises_put_indicators(struct request *rq);
void api_enterprises_account(struct request *rq);
void api_enterprises_assign(struct request *rq);

/* enterprise_import.c */
void api_enterprises_import(struct request *rq);
void api_enterprises_template(struct request *rq);
void api_ledger_xlsx(struct request *rq);

/* workplans.c */
void api_workplans_list(struct request *rq);
void api_workplans_mine(struct request *rq);
void api_workplans_get(struct request *rq);
void api_workplans_create(struct request *rq);
void api_workplans_update(struct request *rq);
void api_workplans_submit(struct request *rq);
void api_workplans_return(struct request *rq);
void api_workplans_approve(struct request *rq);
void api_workplans_version(struct request *rq);

/* certificates.c */
void api_certificates_list(struct request *rq);
void api_certificates_supervision(struct request *rq);
void api_certificates_stats(struct request *rq);
void api_certificates_xlsx(struct request *rq);
void api_certificates_get(struct request *rq);
void api_certificates_pdf(struct request *rq);
void api_certificates_create(struct request *rq);
void api_certificates_suspend(struct request *rq);
void api_certificates_restore(struct request *rq);
void api_certificates_withdraw(struct request *rq);
void api_certificates_cancel(struct request *rq);
void api_certificates_add_surveillance(struct request *rq);
void api_enterprises_audit_get(struct request *rq);
void api_enterprises_audit_put(struct request *rq);
void api_public_certificate(struct request *rq);
void api_public_certificate_qr(struct request *rq);

/* notices.c */
void api_public_notices_list(struct request *rq);
void api_public_notices_get(struct request *rq);
void api_notices_list(struct request *rq);
void api_notices_get(struct request *rq);
void api_notices_attachment(struct request *rq);
void api_notices_create(struct request *rq);
void api_notices_update(struct request *rq);
void api_notices_withdraw(struct request *rq);
void api_notices_put_attachment(struct request *rq);

/* trainings.c */
void api_trainings_list(struct request *rq);
void api_trainings_get(struct request *rq);
void api_trainings_create(struct request *rq);
void api_trainings_update(struct request *rq);
void api_trainings_register(struct request *rq);
void api_trainings_unregister(struct request *rq);
void api_trainings_attendance(struct request *rq);
void api_checkin_get(struct request *rq);
void api_checkin_post(struct request *rq);
void api_trainings_checkin_qr(struct request *rq);
void api_trainings_stats(struct request *rq);
void api_trainings_xlsx(struct request *rq);
void api_trainings_attendance_xlsx(struct request *rq);
void api_enterprises_trainings(struct request *rq);

/* diagnoses.c */
void api_checklists_list(struct request *rq);
void api_checklists_get(struct request *rq);
void api_diagnoses_list(struct request *rq);
void api_diagnoses_create(struct request *rq);
void api_diagnoses_get(struct request *rq);
void api_diagnoses_update(struct request *rq);
void api_diagnoses_put_answer(struct request *rq);
void api_diagnoses_delete_answer(struct request *rq);
void api_diagnoses_put_file(struct request *rq);
void api_diagnoses_get_file(struct request *rq);
void api_diagnoses_delete_file(struct request *rq);
void api_diagnoses_submit(struct request *rq);
void api_diagnoses_pdf(struct request *rq);
void api_enterprises_improvement(struct request *rq);

/* actions.c */
void api_actions_list(struct request *rq);
void api_actions_get(struct request *rq);
void api_actions_create(struct request *rq);
void api_actions_update(struct request *rq);
void api_actions_progress(struct request *rq);
void api_actions_verify(struct request *rq);
void api_actions_close(struct request *rq);
void api_actions_reopen(struct request *rq);
void api_actions_put_file(struct request *rq);
void api_actions_get_file(struct request *rq);

/* reports.c */
void api_deadlines(struct request *rq);
void api_deadlines_matrix(struct request *rq);
void api_reminder_settings_get(struct request *rq);
void api_reminder_settings_put(struct request *rq);
void api_reminders_list(struct request *rq);
void api_reports_list(struct request *rq);
void api_reports_figures(struct request *rq);
void api_reports_create(struct request *rq);
void api_reports_get(struct request *rq);
void api_reports_update(struct request *rq);
void api_reports_submit(struct request *rq);
void api_reports_return(struct request *rq);
void api_reports_accept(struct request *rq);
void api_reports_version(struct request *rq);
void api_reports_figure(struct request *rq);
void api_reports_pdf(struct request *rq);
void api_reports_xlsx(struct request *rq);

/* evaluation.c */
void api_evaluations_list(struct request *rq);
void api_evaluations_xlsx(struct request *rq);
void api_evaluations_get(struct request *rq);
void api_evaluations_put(struct request *rq);
void api_evaluations_finalise(struct request *rq);
void api_evaluations_reopen(struct request *rq);
void api_questionnaire_get(struct request *rq);
void api_questionnaire_put(struct request *rq);
void api_questionnaires_summary(struct request *rq);

/* cases.c */
void api_cases_list(struct request *rq);
void api_cases_get(struct request *rq);
void api_cases_create(struct request *rq);
void api_cases_update(struct request *rq);
void api_cases_refresh(struct request *rq);
void api_cases_submit(struct request *rq);
void api_cases_return(struct request *rq);
void api_cases_publish(struct request *rq);
void api_cases_delete(struct request *rq);
void api_public_cases_list(struct request *rq);
void api_public_cases_get(struct request *rq);
/* benchmarks.c */
void api_benchmarks_list(struct request *rq);
void api_benchmarks_get(struct request *rq);
void api_benchmarks_create(struct request *rq);
void api_benchmarks_delete(struct request *rq);
void api_benchmarks_score(struct request *rq);
void api_benchmarks_publish(struct request *rq);
void api_public_benchmarks(struct request *rq);

/* stats.c */
void api_stats_overview(struct request *rq);
void api_stats_stages(struct request *rq);
void api_stats_scores(struct request *rq);
void api_stats_deadlines(struct request *rq);

/* audit.c */
void api_audit_list(struct request *rq);

#endif
