/*
 * routes.c - every API endpoint, its handler and who may call it.
 * Role rules live here (the "roles" column); data-scope rules live in
 * core/roles.c and are applied by the handlers.
 */
#include "api.h"
#include "../store/db.h"
#include "../store/declarations.h"

#define CITY ROLE_BIT(ROLE_CITY_ADMIN)
#define UNITS (ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_CB_STAFF))
#define OFFICIALS (CITY | UNITS)
#define DISTRICT (CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER))
#define OWNERS (DISTRICT | ROLE_BIT(ROLE_ENTERPRISE))
#define CB ROLE_BIT(ROLE_CB_STAFF)
#define ENT ROLE_BIT(ROLE_ENTERPRISE)

const struct route api_routes[] = {
	/* method, pattern,                                  handler,                  flags, roles */
	{"GET",  "/api/v1/public/site",                      api_public_site,          RF_PUBLIC, 0},
	{"POST", "/api/v1/login",                            api_login,                RF_PUBLIC | RF_NO_CSRF, 0},
	{"POST", "/api/v1/logout",                           api_logout,               0, 0},
	{"GET",  "/api/v1/me",                               api_me,                   0, 0},
	{"POST", "/api/v1/me/password",                      api_me_password,          0, 0},
	{"GET",  "/api/v1/programmes",                       api_programmes_list,      0, 0},
	{"GET",  "/api/v1/programmes/{id}",                  api_programmes_get,       0, 0},
	{"GET",  "/api/v1/units",                            api_units_list,           0, 0},
	{"GET",  "/api/v1/units/{id}",                       api_units_get,            0, 0},
	{"GET",  "/api/v1/users",                            api_users_list,           0, CITY},
	{"POST", "/api/v1/users",                            api_users_create,         0, CITY},
	{"GET",  "/api/v1/users/{id}",                       api_users_get,            0, CITY},
	{"PATCH", "/api/v1/users/{id}",                      api_users_patch,          0, CITY},
	{"POST", "/api/v1/users/{id}/disable",               api_users_disable,        0, CITY},
	{"POST", "/api/v1/users/{id}/enable",                api_users_enable,         0, CITY},
	{"POST", "/api/v1/users/{id}/reset-password",        api_users_reset_password, 0, CITY},
	{"GET",  "/api/v1/audit-log",                        api_audit_list,           0, CITY},
	{"GET",  "/api/v1/declarations",                     api_declarations_list,    0, OFFICIALS},
	{"GET",  "/api/v1/declarations.xlsx",                api_declarations_xlsx,    0, CITY},
	{"GET",  "/api/v1/declarations/mine",                api_declarations_mine,    0, UNITS},
	{"POST", "/api/v1/declarations",                     api_declarations_create,  0, UNITS},
	{"GET",  "/api/v1/declarations/{id}.pdf",            api_declarations_pdf,     0, OFFICIALS},
	{"GET",  "/api/v1/declarations/{id}",                api_declarations_get,     0, OFFICIALS},
	{"PUT",  "/api/v1/declarations/{id}",                api_declarations_update,  0, UNITS},
	{"POST", "/api/v1/declarations/{id}/submit",         api_declarations_submit,  0, UNITS},
	{"POST", "/api/v1/declarations/{id}/return",         api_declarations_return,  0, CITY},
	{"POST", "/api/v1/declarations/{id}/accept",         api_declarations_accept,  0, CITY},
	{"GET",  "/api/v1/declarations/{id}/versions/{version}", api_declarations_version, 0, OFFICIALS},
	{"PUT",  "/api/v1/declarations/{id}/scan",           api_declarations_put_scan, RF_RAW_BODY, UNITS},
	{"GET",  "/api/v1/declarations/{id}/scan",           api_declarations_get_scan, 0, OFFICIALS},
	{"GET",  "/api/v1/public/certificates/{number}",     api_public_certificate,   RF_PUBLIC, 0},
	{"GET",  "/api/v1/public/certificates/{number}/qr.svg", api_public_certificate_qr, RF_PUBLIC, 0},
	{"GET",  "/api/v1/certificates",                     api_certificates_list,    0, 0},
	{"GET",  "/api/v1/certificates.xlsx",                api_certificates_xlsx,    0, 0},
	{"GET",  "/api/v1/certificates/supervision",         api_certificates_supervision, 0, CITY | ROLE_BIT(ROLE_CB_STAFF)},
	{"GET",  "/api/v1/certificates/stats",               api_certificates_stats,   0, DISTRICT},
	{"POST", "/api/v1/certificates",                     api_certificates_create,  0, OFFICIALS},
	{"GET",  "/api/v1/certificates/{id}.pdf",            api_certificates_pdf,     0, 0},
	{"GET",  "/api/v1/certificates/{id}",                api_certificates_get,     0, 0},
	{"POST", "/api/v1/certificates/{id}/suspend",        api_certificates_suspend, 0, OFFICIALS},
	{"POST", "/api/v1/certificates/{id}/restore",        api_certificates_restore, 0, OFFICIALS},
	{"POST", "/api/v1/certificates/{id}/withdraw",       api_certificates_withdraw, 0, OFFICIALS},
	{"POST", "/api/v1/certificates/{id}/cancel",         api_certificates_cancel,  0, OFFICIALS},
	{"POST", "/api/v1/certificates/{id}/surveillances",  api_certificates_add_surveillance, 0, OFFICIALS},
	{"GET",  "/api/v1/enterprises/{id}/audit",           api_enterprises_audit_get, 0, 0},
	{"PUT",  "/api/v1/enterprises/{id}/audit",           api_enterprises_audit_put, 0, ROLE_BIT(ROLE_CB_STAFF)},
	{"GET",  "/api/v1/public/notices",                   api_public_notices_list,  RF_PUBLIC, 0},
	{"GET",  "/api/v1/public/notices/{id}",              api_public_notices_get,   RF_PUBLIC, 0},
	{"GET",  "/api/v1/public/notices/{id}/attachments/{file_id}", api_notices_attachment, RF_PUBLIC, 0},
	{"GET",  "/api/v1/notices",                          api_notices_list,         0, 0},
	{"POST", "/api/v1/notices",                          api_notices_create,       0, DISTRICT},
	{"GET",  "/api/v1/notices/{id}",                     api_notices_get,          0, 0},
	{"PUT",  "/api/v1/notices/{id}",                     api_notices_update,       0, DISTRICT},
	{"POST", "/api/v1/notices/{id}/withdraw",            api_notices_withdraw,     0, DISTRICT},
	{"PUT",  "/api/v1/notices/{id}/attachments",         api_notices_put_attachment, RF_RAW_BODY, DISTRICT},
	{"GET",  "/api/v1/notices/{id}/attachments/{file_id}", api_notices_attachment, 0, 0},
	{"GET",  "/api/v1/trainings",                        api_trainings_list,       0, 0},
	{"GET",  "/api/v1/trainings.xlsx",                   api_trainings_xlsx,       0, OFFICIALS},
	{"GET",  "/api/v1/trainings/stats",                  api_trainings_stats,      0, OFFICIALS},
	{"POST", "/api/v1/trainings",                        api_trainings_create,     0, OFFICIALS},
	{"GET",  "/api/v1/trainings/{id}",                   api_trainings_get,        0, 0},
	{"PUT",  "/api/v1/trainings/{id}",                   api_trainings_update,     0, OFFICIALS},
	{"POST", "/api/v1/trainings/{id}/registrations",     api_trainings_register,   0, OWNERS},
	{"DELETE", "/api/v1/trainings/{id}/registrations/{reg_id}", api_trainings_unregister, 0, 0},
	{"POST", "/api/v1/trainings/{id}/attendance",        api_trainings_attendance, 0, OFFICIALS},
	{"GET",  "/api/v1/trainings/{id}/checkin-qr.svg",    api_trainings_checkin_qr, 0, OFFICIALS},
	{"GET",  "/api/v1/trainings/{id}/attendance.xlsx",   api_trainings_attendance_xlsx, 0, OFFICIALS},
	{"GET",  "/api/v1/checkin/{token}",                  api_checkin_get,          0, 0},
	{"POST", "/api/v1/checkin/{token}",                  api_checkin_post,         0, 0},
	{"GET",  "/api/v1/enterprises/{id}/trainings",       api_enterprises_trainings, 0, 0},
	{"GET",  "/api/v1/workplans",                        api_workplans_list,       0, DISTRICT},
	{"GET",  "/api/v1/workplans/mine",                   api_workplans_mine,       0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/workplans",                        api_workplans_create,     0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"GET",  "/api/v1/workplans/{id}",                   api_workplans_get,        0, DISTRICT},
	{"PUT",  "/api/v1/workplans/{id}",                   api_workplans_update,     0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/workplans/{id}/submit",            api_workplans_submit,     0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/workplans/{id}/return",            api_workplans_return,     0, CITY},
	{"POST", "/api/v1/workplans/{id}/approve",           api_workplans_approve,    0, CITY},
	{"GET",  "/api/v1/workplans/{id}/versions/{version}", api_workplans_version,   0, DISTRICT},
	{"GET",  "/api/v1/enterprises",                      api_enterprises_list,     0, 0},
	{"GET",  "/api/v1/enterprises/counts",               api_enterprises_counts,   0, DISTRICT},
	{"GET",  "/api/v1/enterprises/template.csv",         api_enterprises_template, 0, DISTRICT},
	{"POST", "/api/v1/enterprises",                      api_enterprises_create,   0, DISTRICT},
	{"POST", "/api/v1/enterprises/import",               api_enterprises_import,   RF_RAW_BODY | RF_BIG_BODY, DISTRICT},
	{"GET",  "/api/v1/enterprises/{id}",                 api_enterprises_get,      0, 0},
	{"PUT",  "/api/v1/enterprises/{id}",                 api_enterprises_update,   0, OWNERS},
	{"PUT",  "/api/v1/enterprises/{id}/indicators/{kind}", api_enterprises_put_indicators, 0, OWNERS},
	{"POST", "/api/v1/enterprises/{id}/account",         api_enterprises_account,  0, DISTRICT},
	{"PUT",  "/api/v1/enterprises/{id}/assignment",      api_enterprises_assign,   0, DISTRICT},
	{"GET",  "/api/v1/ledger.xlsx",                      api_ledger_xlsx,          0, DISTRICT},
	{"GET",  "/api/v1/checklists",                      api_checklists_list,      0, 0},
	{"GET",  "/api/v1/checklists/{id}",                 api_checklists_get,       0, 0},
	{"GET",  "/api/v1/diagnoses",                       api_diagnoses_list,       0, 0},
	{"POST", "/api/v1/enterprises/{id}/diagnoses",      api_diagnoses_create,     0, CB | ENT},
	{"GET",  "/api/v1/enterprises/{id}/improvement",    api_enterprises_improvement, 0, 0},
	{"GET",  "/api/v1/diagnoses/{id}.pdf",              api_diagnoses_pdf,        0, 0},
	{"GET",  "/api/v1/diagnoses/{id}",                  api_diagnoses_get,        0, 0},
	{"PUT",  "/api/v1/diagnoses/{id}",                  api_diagnoses_update,     0, CB | ENT},
	{"PUT",  "/api/v1/diagnoses/{id}/answers/{item_id}", api_diagnoses_put_answer, 0, CB | ENT},
	{"DELETE", "/api/v1/diagnoses/{id}/answers/{item_id}", api_diagnoses_delete_answer, 0, CB | ENT},
	{"PUT",  "/api/v1/diagnoses/{id}/files",            api_diagnoses_put_file,   RF_RAW_BODY, CB | ENT},
	{"GET",  "/api/v1/diagnoses/{id}/files/{file_id}",  api_diagnoses_get_file,   0, 0},
	{"DELETE", "/api/v1/diagnoses/{id}/files/{file_id}", api_diagnoses_delete_file, 0, CB | ENT},
	{"POST", "/api/v1/diagnoses/{id}/submit",           api_diagnoses_submit,     0, CB | ENT},
	{"GET",  "/api/v1/actions",                         api_actions_list,         0, 0},
	{"POST", "/api/v1/enterprises/{id}/actions",        api_actions_create,       0, CB},
	{"GET",  "/api/v1/actions/{id}",                    api_actions_get,          0, 0},
	{"PUT",  "/api/v1/actions/{id}",                    api_actions_update,       0, CB},
	{"POST", "/api/v1/actions/{id}/progress",           api_actions_progress,     0, CB | ENT},
	{"POST", "/api/v1/actions/{id}/verify",             api_actions_verify,       0, CB},
	{"POST", "/api/v1/actions/{id}/close",              api_actions_close,        0, CB},
	{"POST", "/api/v1/actions/{id}/reopen",             api_actions_reopen,       0, CB},
	{"PUT",  "/api/v1/actions/{id}/files",              api_actions_put_file,     RF_RAW_BODY, CB | ENT},
	{"GET",  "/api/v1/actions/{id}/files/{file_id}",    api_actions_get_file,     0, 0},
	/* ---- reports, deadlines, reminders (api/reports.c) ---- */
	{"GET",  "/api/v1/deadlines",                       api_deadlines,            0, 0},
	{"GET",  "/api/v1/deadlines/matrix",                api_deadlines_matrix,     0, DISTRICT},
	{"GET",  "/api/v1/reminders/settings",              api_reminder_settings_get, 0, OFFICIALS},
	{"PUT",  "/api/v1/reminders/settings",              api_reminder_settings_put, 0, OFFICIALS},
	{"GET",  "/api/v1/reminders",                       api_reminders_list,       0, OFFICIALS},
	{"GET",  "/api/v1/reports",                         api_reports_list,         0, OFFICIALS},
	{"GET",  "/api/v1/reports/figures",                 api_reports_figures,      0, UNITS},
	{"POST", "/api/v1/reports",                         api_reports_create,       0, UNITS},
	{"GET",  "/api/v1/reports/{id}.pdf",                api_reports_pdf,          0, OFFICIALS},
	{"GET",  "/api/v1/reports/{id}/figures.xlsx",       api_reports_xlsx,         0, OFFICIALS},
	{"GET",  "/api/v1/reports/{id}",                    api_reports_get,          0, OFFICIALS},
	{"PUT",  "/api/v1/reports/{id}",                    api_reports_update,       0, UNITS},
	{"POST", "/api/v1/reports/{id}/submit",             api_reports_submit,       0, UNITS},
	{"POST", "/api/v1/reports/{id}/return",             api_reports_return,       0, CITY},
	{"POST", "/api/v1/reports/{id}/accept",             api_reports_accept,       0, CITY},
	{"GET",  "/api/v1/reports/{id}/versions/{version}", api_reports_version,      0, OFFICIALS},
	{"GET",  "/api/v1/reports/{id}/figures/{key}",      api_reports_figure,       0, OFFICIALS},
	/* ---- evaluation and questionnaires (api/evaluation.c) ---- */
	{"GET",  "/api/v1/evaluations",                      api_evaluations_list,     0, DISTRICT},
	{"GET",  "/api/v1/evaluations.xlsx",                 api_evaluations_xlsx,     0, CITY},
	{"GET",  "/api/v1/evaluations/{district_unit_id}",   api_evaluations_get,      0, DISTRICT},
	{"PUT",  "/api/v1/evaluations/{district_unit_id}",   api_evaluations_put,      0, CITY},
	{"POST", "/api/v1/evaluations/{district_unit_id}/finalise", api_evaluations_finalise, 0, CITY},
	{"POST", "/api/v1/evaluations/{district_unit_id}/reopen", api_evaluations_reopen, 0, CITY},
	{"GET",  "/api/v1/enterprises/{id}/questionnaire",   api_questionnaire_get,    0, OWNERS},
	{"PUT",  "/api/v1/enterprises/{id}/questionnaire",   api_questionnaire_put,    0, ROLE_BIT(ROLE_DISTRICT_OFFICER) | ENT},
	{"GET",  "/api/v1/questionnaires/summary",           api_questionnaires_summary, 0, DISTRICT},
	/* ---- typical cases and benchmark enterprises (api/cases.c) ---- */
	{"GET",  "/api/v1/public/cases",                     api_public_cases_list,    RF_PUBLIC, 0},
	{"GET",  "/api/v1/public/cases/{id}",                api_public_cases_get,     RF_PUBLIC, 0},
	{"GET",  "/api/v1/public/benchmarks",                api_public_benchmarks,    RF_PUBLIC, 0},
	{"GET",  "/api/v1/cases",                            api_cases_list,           0, 0},
	{"POST", "/api/v1/cases",                            api_cases_create,         0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"GET",  "/api/v1/cases/{id}",                       api_cases_get,            0, 0},
	{"PUT",  "/api/v1/cases/{id}",                       api_cases_update,         0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"DELETE", "/api/v1/cases/{id}",                     api_cases_delete,         0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/cases/{id}/refresh",               api_cases_refresh,        0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/cases/{id}/submit",                api_cases_submit,         0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/cases/{id}/return",                api_cases_return,         0, CITY},
	{"POST", "/api/v1/cases/{id}/publish",               api_cases_publish,        0, CITY},
	{"GET",  "/api/v1/benchmarks",                       api_benchmarks_list,      0, DISTRICT},
	{"POST", "/api/v1/benchmarks",                       api_benchmarks_create,    0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"POST", "/api/v1/benchmarks/publish",               api_benchmarks_publish,   0, CITY},
	{"GET",  "/api/v1/benchmarks/{id}",                  api_benchmarks_get,       0, DISTRICT},
	{"DELETE", "/api/v1/benchmarks/{id}",                api_benchmarks_delete,    0, ROLE_BIT(ROLE_DISTRICT_OFFICER)},
	{"PUT",  "/api/v1/benchmarks/{id}/scores",           api_benchmarks_score,     0, CITY},
	/* ---- statistics (api/stats.c) ---- */
	{"GET",  "/api/v1/stats/overview",                   api_stats_overview,       0, OFFICIALS},
	{"GET",  "/api/v1/stats/stages",                     api_stats_stages,         0, OFFICIALS},
	{"GET",  "/api/v1/stats/scores",                     api_stats_scores,         0, OFFICIALS},
	{"GET",  "/api/v1/stats/deadlines",                  api_stats_deadlines,      0, OFFICIALS},
	{"GET",  "/api/v1/selections",                       api_selections_list,      0, 0},
	{"GET",  "/api/v1/selections/summary",               api_selections_summary,   0, 0},
	{"POST", "/api/v1/selections",                       api_selections_create,    0, CITY},
	{"DELETE", "/api/v1/selections/{id}",                api_selections_delete,    0, CITY},
};

const int api_n_routes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));

bool api_ping(struct db *db)
{
	return db_ping(db);
}

bool programme_or_reply(struct request *rq, struct programme_info *pi)
{
	int rc = programme_info_current(rq->db, pi);
	if (rc < 0)
		reply_db_error(rq);
	else if (rc == 0)
		reply_error(rq, 409, "conflict", "尚未配置提升行动项目", NULL);
	return rc == 1;
}

bool return_reason_or_reply(struct request *rq, char *out, size_t outsz)
{
	static const char *const fields[] = {"reason", NULL};
	json_t *body = body_object_or_reply(rq);
	if (!body)
		return false;
	bool ok = known_fields_or_reply(rq, body, fields) &&
		  string_field_or_reply(rq, body, "reason", true, 500, out, outsz, "退回理由");
	json_decref(body);
	return ok;
}
