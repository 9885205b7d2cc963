/*
 * cases.h - the rules of the summary round (总结验收): typical cases (典型案例)
 * and benchmark enterprises (标杆企业).
 *
 * A typical case is written by a district from one of its enterprises'
 * records and goes draft -> submitted -> published (the city publishes) or
 * back to returned (the city returns it with a reason). A benchmark
 * nomination is made by a district for a pilot industry, 1-2 per district
 * and industry (programme quotas), scored by the city's reviewers and then
 * selected or not in one publication. Pure functions: no database, no HTTP.
 */
#ifndef QMS_CORE_CASES_H
#define QMS_CORE_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Typical cases ---- */

enum case_status { CASE_DRAFT, CASE_SUBMITTED, CASE_RETURNED, CASE_PUBLISHED, CASE_NONE };

enum case_event {
	CASE_EV_EDIT,    /* the district changes the title or the texts, or refreshes the facts */
	CASE_EV_SUBMIT,  /* the district submits it for review */
	CASE_EV_RETURN,  /* the city returns it with a reason */
	CASE_EV_PUBLISH, /* the city publishes it */
	CASE_EV_DELETE   /* the district deletes it */
};

enum case_status case_status_parse(const char *s); /* CASE_NONE when unknown */
const char *case_status_name(enum case_status s);  /* draft submitted returned published */
const char *case_status_label(enum case_status s); /* 草稿 已提交 已退回 已发布 */

/*
 * The status after ev, or CASE_NONE when the event is not allowed from
 * `from`, with a Chinese reason in *why (a static string; may be NULL).
 * Editing, submitting and deleting are allowed in draft and returned;
 * returning and publishing only from submitted. EDIT and DELETE leave the
 * status as it is (DELETE removes the record).
 */
enum case_status case_next(enum case_status from, enum case_event ev, const char **why);

/* The text parts of a case, in display order: key and label. */
#define CASE_N_TEXTS 5
const char *case_text_key(int i);   /* summary problems measures results lessons */
const char *case_text_label(int i); /* 案例简介 问题诊断 改进措施 提升成效 经验启示 */
/* Index of a text key, -1 when unknown. */
int case_text_index(const char *key);
/* Is the text part required to submit (summary and lessons)? */
bool case_text_required(int i);
#define CASE_TITLE_MAX 100   /* characters */
#define CASE_TEXT_MAX 5000   /* characters, each text part */

/*
 * What is missing to submit: the key of the first empty required part
 * ("title" first, then the required texts in order), or NULL when complete.
 * texts[i] is the text of case_text_key(i) (NULL counts as empty); text that
 * is only spaces, tabs or line breaks is empty.
 */
const char *case_missing_for_submit(const char *title, const char *const texts[CASE_N_TEXTS]);

/* ---- Benchmark enterprises ---- */

enum bench_status { BENCH_NOMINATED, BENCH_SELECTED, BENCH_NOT_SELECTED, BENCH_NONE };
enum bench_status bench_status_parse(const char *s);
const char *bench_status_name(enum bench_status s);  /* nominated selected not_selected */
const char *bench_status_label(enum bench_status s); /* 已提名 入选 未入选 */

/* Reviewers' scores: integers 0..100. */
#define BENCH_SCORE_MIN 0
#define BENCH_SCORE_MAX 100
bool bench_score_valid(int64_t score);
/* Mean of n scores rounded to one decimal (halves up); false when n is 0. */
bool bench_mean(const int *scores, int n, double *mean);

/*
 * Quota state of one district x industry with `count` nominations against
 * the programme's min..max: "missing" (below min), "open" (at least min,
 * room for more), "full" (== max), "over" (> max, only with data entered
 * before a quota change). Labels: 待提名 可再提名 已满 超出名额.
 */
const char *bench_quota_state(int count, int min, int max);
const char *bench_quota_label(const char *state);
/* May a district add one more nomination to an industry holding `count`? */
bool bench_can_nominate(int count, int max);

/*
 * The city's selection at publication. Each pending nomination is one pick
 * with its district x industry (a small integer group key chosen by the
 * caller), whether some reviewer scored it, and whether the city selects it;
 * already_selected[g] counts the nominations of group g selected in an
 * earlier publication. Checks, in order: every selected pick is scored
 * (BENCH_PICK_UNSCORED), and no group ends with more than max selected
 * (BENCH_PICK_OVER_QUOTA). *bad gets the index of the first offending pick.
 */
struct bench_pick {
	int group;     /* 0 .. n_groups-1 */
	bool scored;
	bool selected;
};
enum bench_pick_result { BENCH_PICK_OK, BENCH_PICK_UNSCORED, BENCH_PICK_OVER_QUOTA };
enum bench_pick_result bench_check_selection(const struct bench_pick *picks, int n, const int *already_selected,
					     int n_groups, int max, int *bad);

#endif
