/*
 * diagnosis.h - the rules of a diagnosis (问题诊断): checklist files, scores
 * per clause and overall, and the improvement action (改进措施) state machine.
 * Pure functions: no database, no HTTP; "today" is passed in as a day number
 * (core/calendar.h).
 */
#ifndef QMS_DIAGNOSIS_H
#define QMS_DIAGNOSIS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Checklist files (data/checklists/NAME.json) ---- */

/*
 * Parse and check a checklist file. Returns the JSON object (caller owns) or
 * NULL with a message in err. Rules: "code" matches [a-z0-9-]{1,40};
 * "version" an integer >= 1; "title" and "standard" non-empty strings;
 * "scale" exactly 5 objects with "level" 1..5 in order, non-empty "label" and
 * "description"; "sections" a non-empty array of {"clause","title","items"}
 * with unique clause numbers; every item {"key","clause","title","text"}
 * (optional "hint") with a key unique in the file ([0-9A-Za-z.-]{1,32}), an item
 * clause equal to its section's clause or starting with it followed by ".",
 * and a non-empty text of at most 300 characters. Unknown keys are refused.
 * Also refused: more than DIAG_MAX_SECTIONS sections (diag_score() could not
 * count them), and an item clause that is the section's clause followed by
 * "." alone ("7."). Text lengths count characters (UTF-8 code points).
 */
json_t *checklist_parse(const char *text, char *err, size_t errlen);

/* ---- Scores ---- */

#define DIAG_MAX_SECTIONS 16

/* One answer of the diagnosis, or an unanswered item (score 0, na false). */
struct diag_answer {
	int section;   /* index into the sections passed to diag_score() */
	int score;     /* 1..5, 0 = not scored */
	bool na;       /* not applicable (score ignored) */
};

struct diag_section_score {
	int items;        /* items of the checklist in this section */
	int answered;     /* scored or marked not applicable */
	int na;           /* marked not applicable */
	int scored;       /* with a score 1..5 */
	long sum;         /* sum of the scores */
	bool has_score;   /* scored > 0 */
	double score;     /* mean of the scores, rounded to one decimal (half up); 0 when !has_score */
};

struct diag_scores {
	int n_sections;
	struct diag_section_score s[DIAG_MAX_SECTIONS];
	int items, answered, na, scored;
	bool has_overall; /* some section has a score */
	double overall;   /* mean of the UNROUNDED section means of the sections with a score
			   * (each clause counts equally), rounded to one decimal (half up) */
};

/* Scores of n answers over n_sections sections (n_sections <= DIAG_MAX_SECTIONS;
 * answers with a section out of range are ignored). A score outside 1..5 on an
 * answer that is not n/a counts as unanswered. */
void diag_score(const struct diag_answer *a, int n, int n_sections, struct diag_scores *out);

/* Round to one decimal, halves away from zero, robust to binary representation
 * (3.15 -> 3.2, 2.25 -> 2.3, 2.24999 -> 2.2). */
double diag_round1(double x);

/* ---- Finding kinds ---- */
/* "blockage" 堵点, "pain" 痛点, "difficulty" 难点; "" none. NULL when unknown. */
const char *finding_kind_label(const char *kind);

/* ---- Improvement actions ---- */

enum action_status { ACT_OPEN, ACT_IN_PROGRESS, ACT_VERIFIED, ACT_CLOSED, ACT_NONE };
enum action_event {
	ACT_EV_PROGRESS,  /* progress reported: open/in_progress -> in_progress, ready cleared (not done after all) */
	ACT_EV_COMPLETE,  /* the enterprise reports it done: open/in_progress -> in_progress, ready set */
	ACT_EV_VERIFY,    /* the auditor finds it effective: in_progress with ready -> verified */
	ACT_EV_CLOSE,     /* the auditor closes it: verified -> closed (never without verification) */
	ACT_EV_REOPEN     /* the auditor reopens it with a reason: in_progress(ready)/verified/closed -> in_progress, ready cleared */
};

enum action_status action_status_parse(const char *s); /* ACT_NONE when unknown */
const char *action_status_name(enum action_status s);  /* open in_progress verified closed */
const char *action_status_label(enum action_status s); /* 待开始 进行中 已验证 已关闭 */

/*
 * The status after ev from (from, ready), or ACT_NONE when not allowed, with
 * a Chinese reason in *why (static string) saying what must happen first.
 * *ready_after gets the ready flag after the event.
 * (Implementation notes: *why is set to NULL when the event is allowed; a
 * refusal leaves the flag as it was; PROGRESS keeps the flag, only REOPEN
 * clears it; "ready" is taken as false for an open action; ready_after and
 * why may be NULL.)
 */
enum action_status action_next(enum action_status from, bool ready, enum action_event ev,
			       bool *ready_after, const char **why);

/* Overdue: not verified or closed and today > due (due 0 = no date: never). */
bool action_overdue(enum action_status s, int32_t due, int32_t today);

/* Methods offered for an action: key and label ("pdca" "PDCA循环", "5s" "5S管理",
 * "qc_tools" "QC七种工具", "process_control" "过程控制", "supplier_evaluation" "供方评价",
 * "training" "培训", "document_control" "文件控制", "internal_audit" "内部审核",
 * "customer_feedback" "顾客反馈处理", "other" "其他"). NULL when unknown. */
const char *action_method_label(const char *key);
/* The i-th method key (0-based), NULL after the last. */
const char *action_method_key(int i);

#endif
