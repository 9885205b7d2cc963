/*
 * diagnosis.c - see diagnosis.h.
 *
 * Three independent parts: the checklist file check, the scores, and the
 * improvement action rules (status names, state machine, overdue, methods).
 */
#include "diagnosis.h"
#include "../util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ====================================================================
 * Checklist files
 * ==================================================================== */

#define CHECKLIST_SCALE_LEVELS 5
#define CHECKLIST_TEXT_MAX 300 /* characters (code points), not bytes */

static const char *const top_keys[] = {"code", "version", "title", "standard", "scale", "sections", NULL};
static const char *const scale_keys[] = {"level", "label", "description", NULL};
static const char *const section_keys[] = {"clause", "title", "items", NULL};
static const char *const item_keys[] = {"key", "clause", "title", "text", "hint", NULL};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A non-empty string member of o, or NULL (absent, not a string, or ""). */
static const char *nonempty_text(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && *s ? s : NULL;
}

/* True when s has 1..max bytes, each a character of the set or an ASCII
 * letter or digit (lower-case letters only when !upper). */
static bool ascii_word(const char *s, size_t max, bool upper, const char *extra)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (upper && c >= 'A' && c <= 'Z') || strchr(extra, c);
		if (!ok)
			return false;
	}
	return true;
}

/* Refuse a member of o not named in allowed (NULL-terminated). where names o. */
static int only_known_keys(json_t *o, const char *const *allowed, const char *where, char *err,
			   size_t errlen)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool known = false;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(k, allowed[i]) == 0;
		if (!known) {
			set_err(err, errlen, "%s：未知字段 %.40s", where, k);
			return -1;
		}
	}
	return 0;
}

/* The item clause belongs to the section: equal, or "<section>." followed by more. */
static bool clause_in_section(const char *item, const char *section)
{
	size_t n = strlen(section);
	if (strcmp(item, section) == 0)
		return true;
	return strncmp(item, section, n) == 0 && item[n] == '.' && item[n + 1] != '\0';
}

static int check_scale(json_t *scale, char *err, size_t errlen)
{
	if (!json_is_array(scale) || json_array_size(scale) != CHECKLIST_SCALE_LEVELS) {
		set_err(err, errlen, "检查表：scale 应为 %d 个等级（1—5）", CHECKLIST_SCALE_LEVELS);
		return -1;
	}
	size_t i;
	json_t *lv;
	json_array_foreach(scale, i, lv) {
		char where[48];
		snprintf(where, sizeof(where), "评分等级第 %zu 项", i + 1);
		if (!json_is_object(lv)) {
			set_err(err, errlen, "%s：应为对象", where);
			return -1;
		}
		if (only_known_keys(lv, scale_keys, where, err, errlen))
			return -1;
		json_t *level = json_object_get(lv, "level");
		if (!json_is_integer(level) || json_integer_value(level) != (json_int_t)(i + 1)) {
			set_err(err, errlen, "%s：level 应为 %zu（等级须按 1—5 顺序排列）", where, i + 1);
			return -1;
		}
		if (!nonempty_text(lv, "label") || !nonempty_text(lv, "description")) {
			set_err(err, errlen, "%s：label 和 description 应为非空文本", where);
			return -1;
		}
	}
	return 0;
}

/* One item of section sec (clause sec_clause). keys collects the keys seen so far. */
static int check_item(json_t *it, const char *sec_clause, size_t index, json_t *keys, char *err,
		      size_t errlen)
{
	char where[96];
	snprintf(where, sizeof(where), "第 %.32s 章第 %zu 个检查项", sec_clause, index + 1);
	if (!json_is_object(it)) {
		set_err(err, errlen, "%s：应为对象", where);
		return -1;
	}
	const char *key = nonempty_text(it, "key");
	if (!ascii_word(key, 32, true, ".-")) {
		set_err(err, errlen, "%s：key 应为 1—32 位字母、数字、点或连字符", where);
		return -1;
	}
	/* From here on the key names the item: that is what the author searches for. */
	snprintf(where, sizeof(where), "检查项 %s", key);
	if (json_object_get(keys, key)) {
		set_err(err, errlen, "%s：key 重复", where);
		return -1;
	}
	json_object_set_new(keys, key, json_true());
	if (only_known_keys(it, item_keys, where, err, errlen))
		return -1;
	const char *clause = nonempty_text(it, "clause");
	if (!clause) {
		set_err(err, errlen, "%s：clause 应为非空文本", where);
		return -1;
	}
	if (!clause_in_section(clause, sec_clause)) {
		set_err(err, errlen, "%s：条款 %.32s 不属于第 %.32s 章", where, clause, sec_clause);
		return -1;
	}
	if (!nonempty_text(it, "title")) {
		set_err(err, errlen, "%s：title 应为非空文本", where);
		return -1;
	}
	const char *text = nonempty_text(it, "text");
	if (!text) {
		set_err(err, errlen, "%s：text（检查内容）不能为空", where);
		return -1;
	}
	size_t chars = utf8_length(text);
	if (chars > CHECKLIST_TEXT_MAX) {
		set_err(err, errlen, "%s：text 有 %zu 个字，超过 %d 个字", where, chars,
			CHECKLIST_TEXT_MAX);
		return -1;
	}
	json_t *hint = json_object_get(it, "hint");
	if (hint && !json_is_string(hint)) {
		set_err(err, errlen, "%s：hint 应为文本", where);
		return -1;
	}
	return 0;
}

static int check_sections(json_t *sections, char *err, size_t errlen)
{
	if (!json_is_array(sections) || json_array_size(sections) == 0) {
		set_err(err, errlen, "检查表：sections 应为非空数组");
		return -1;
	}
	if (json_array_size(sections) > DIAG_MAX_SECTIONS) {
		set_err(err, errlen, "检查表：章节不能超过 %d 个（目前 %zu 个）", DIAG_MAX_SECTIONS,
			json_array_size(sections));
		return -1;
	}
	int rc = -1;
	json_t *clauses = json_object(), *keys = json_object();
	size_t i;
	json_t *sec;
	json_array_foreach(sections, i, sec) {
		char where[64];
		snprintf(where, sizeof(where), "第 %zu 个章节", i + 1);
		if (!json_is_object(sec)) {
			set_err(err, errlen, "%s：应为对象", where);
			goto out;
		}
		const char *clause = nonempty_text(sec, "clause");
		if (!clause) {
			set_err(err, errlen, "%s：clause 应为非空文本", where);
			goto out;
		}
		snprintf(where, sizeof(where), "第 %.32s 章", clause);
		if (json_object_get(clauses, clause)) {
			set_err(err, errlen, "%s：章节条款号重复", where);
			goto out;
		}
		json_object_set_new(clauses, clause, json_true());
		if (only_known_keys(sec, section_keys, where, err, errlen))
			goto out;
		if (!nonempty_text(sec, "title")) {
			set_err(err, errlen, "%s：title 应为非空文本", where);
			goto out;
		}
		json_t *items = json_object_get(sec, "items");
		if (!json_is_array(items)) {
			set_err(err, errlen, "%s：items 应为数组", where);
			goto out;
		}
		size_t j;
		json_t *it;
		json_array_foreach(items, j, it) {
			if (check_item(it, clause, j, keys, err, errlen))
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(clauses);
	json_decref(keys);
	return rc;
}

static int check_checklist(json_t *root, char *err, size_t errlen)
{
	if (!json_is_object(root)) {
		set_err(err, errlen, "检查表应为 JSON 对象");
		return -1;
	}
	if (only_known_keys(root, top_keys, "检查表", err, errlen))
		return -1;
	if (!ascii_word(nonempty_text(root, "code"), 40, false, "-")) {
		set_err(err, errlen, "检查表：code 应为 1—40 位小写字母、数字或连字符");
		return -1;
	}
	json_t *version = json_object_get(root, "version");
	if (!json_is_integer(version) || json_integer_value(version) < 1) {
		set_err(err, errlen, "检查表：version 应为不小于 1 的整数");
		return -1;
	}
	if (!nonempty_text(root, "title") || !nonempty_text(root, "standard")) {
		set_err(err, errlen, "检查表：title 和 standard 应为非空文本");
		return -1;
	}
	if (check_scale(json_object_get(root, "scale"), err, errlen))
		return -1;
	return check_sections(json_object_get(root, "sections"), err, errlen);
}

json_t *checklist_parse(const char *text, char *err, size_t errlen)
{
	if (!text) {
		set_err(err, errlen, "检查表内容为空");
		return NULL;
	}
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		set_err(err, errlen, "检查表不是有效的 JSON（第 %d 行第 %d 列）：%s", jerr.line,
			jerr.column, jerr.text);
		return NULL;
	}
	if (check_checklist(root, err, errlen)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ====================================================================
 * Scores
 * ==================================================================== */

/*
 * Tenths of sum/scored, halves up, in integers: floor(10*sum/scored + 1/2)
 * = floor((20*sum + scored) / (2*scored)). Scores are 1..5, so sum >= 0 and
 * the integer division is the floor.
 */
static double mean_rounded(long sum, int scored)
{
	long long tenths = (20LL * sum + scored) / (2LL * scored);
	return (double)tenths / 10.0;
}

void diag_score(const struct diag_answer *a, int n, int n_sections, struct diag_scores *out)
{
	memset(out, 0, sizeof(*out));
	if (n_sections < 0)
		n_sections = 0;
	if (n_sections > DIAG_MAX_SECTIONS)
		n_sections = DIAG_MAX_SECTIONS;
	out->n_sections = n_sections;

	for (int i = 0; i < n; i++) {
		if (a[i].section < 0 || a[i].section >= n_sections)
			continue;
		struct diag_section_score *s = &out->s[a[i].section];
		s->items++;
		if (a[i].na) {
			s->answered++;
			s->na++;
		} else if (a[i].score >= 1 && a[i].score <= 5) {
			s->answered++;
			s->scored++;
			s->sum += a[i].score;
		}
		/* else: not scored yet (0) or a score outside 1..5 - counted as unanswered */
	}

	double sum_means = 0;
	int with_score = 0;
	for (int k = 0; k < n_sections; k++) {
		struct diag_section_score *s = &out->s[k];
		out->items += s->items;
		out->answered += s->answered;
		out->na += s->na;
		out->scored += s->scored;
		s->has_score = s->scored > 0;
		if (!s->has_score)
			continue;
		s->score = mean_rounded(s->sum, s->scored);
		/* Each clause counts equally, whatever its number of items. */
		sum_means += (double)s->sum / s->scored;
		with_score++;
	}
	out->has_overall = with_score > 0;
	if (out->has_overall)
		out->overall = diag_round1(sum_means / with_score);
}

double diag_round1(double x)
{
	if (!isfinite(x))
		return x;
	/* The epsilon absorbs representation error: 3.15 is stored as 3.1499999…,
	 * and the mean of means carries a few ulps of its own. */
	double r = floor(fabs(x) * 10.0 + 0.5 + 1e-9) / 10.0;
	if (r == 0)
		return 0.0; /* no "-0.0" */
	return x < 0 ? -r : r;
}

/* ====================================================================
 * Finding kinds
 * ==================================================================== */

const char *finding_kind_label(const char *kind)
{
	static const struct {
		const char *key, *label;
	} kinds[] = {
		{"", ""}, {"blockage", "堵点"}, {"pain", "痛点"}, {"difficulty", "难点"},
	};
	for (size_t i = 0; kind && i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i].key) == 0)
			return kinds[i].label;
	return NULL;
}

/* ====================================================================
 * Improvement actions
 * ==================================================================== */

static bool status_known(enum action_status s)
{
	return (unsigned)s <= (unsigned)ACT_CLOSED;
}

static const struct {
	const char *name, *label;
} statuses[] = {
	[ACT_OPEN] = {"open", "待开始"},
	[ACT_IN_PROGRESS] = {"in_progress", "进行中"},
	[ACT_VERIFIED] = {"verified", "已验证"},
	[ACT_CLOSED] = {"closed", "已关闭"},
};

enum action_status action_status_parse(const char *s)
{
	for (int i = ACT_OPEN; s && i <= ACT_CLOSED; i++)
		if (strcmp(s, statuses[i].name) == 0)
			return (enum action_status)i;
	return ACT_NONE;
}

const char *action_status_name(enum action_status s)
{
	return status_known(s) ? statuses[s].name : "none";
}

const char *action_status_label(enum action_status s)
{
	return status_known(s) ? statuses[s].label : "未知";
}

/* Refuse: set the reason, keep the ready flag. */
static enum action_status refuse(bool ready, bool *ready_after, const char **why, const char *reason)
{
	if (ready_after)
		*ready_after = ready;
	if (why)
		*why = reason;
	return ACT_NONE;
}

static enum action_status allow(enum action_status to, bool ready, bool *ready_after, const char **why)
{
	if (ready_after)
		*ready_after = ready;
	if (why)
		*why = NULL;
	return to;
}

/*
 * The ready flag ("the enterprise says it is done") only means something in
 * progress: it is what the auditor waits for before verifying. Progress notes
 * keep it (adding evidence after reporting completion does not withdraw the
 * report); only a reopen clears it.
 */
enum action_status action_next(enum action_status from, bool ready, enum action_event ev,
			       bool *ready_after, const char **why)
{
	bool working = from == ACT_OPEN || from == ACT_IN_PROGRESS;
	if (from == ACT_OPEN)
		ready = false; /* cannot be ready before it started */

	if (!status_known(from))
		return refuse(ready, ready_after, why, "措施状态未知");
	if (from == ACT_CLOSED && ev != ACT_EV_REOPEN)
		return refuse(ready, ready_after, why, "措施已关闭，如需继续整改请先重新打开");

	switch (ev) {
	case ACT_EV_PROGRESS:
		if (!working)
			return refuse(ready, ready_after, why, "措施已验证有效，如需继续整改请先重新打开");
		/* Progress short of "done" withdraws an earlier request for verification. */
		return allow(ACT_IN_PROGRESS, false, ready_after, why);
	case ACT_EV_COMPLETE:
		if (!working)
			return refuse(ready, ready_after, why, "措施已验证有效，如需继续整改请先重新打开");
		return allow(ACT_IN_PROGRESS, true, ready_after, why);
	case ACT_EV_VERIFY:
		if (from == ACT_VERIFIED)
			return refuse(ready, ready_after, why, "措施已经验证过");
		if (!ready)
			return refuse(ready, ready_after, why, "企业报告整改完成后才能验证");
		return allow(ACT_VERIFIED, ready, ready_after, why);
	case ACT_EV_CLOSE:
		if (from != ACT_VERIFIED)
			return refuse(ready, ready_after, why, "须先验证措施有效，才能关闭");
		return allow(ACT_CLOSED, ready, ready_after, why);
	case ACT_EV_REOPEN:
		if (from == ACT_OPEN)
			return refuse(ready, ready_after, why, "措施尚未开始，无需重新打开");
		if (from == ACT_IN_PROGRESS && !ready)
			return refuse(ready, ready_after, why, "措施仍在整改中，无需重新打开");
		return allow(ACT_IN_PROGRESS, false, ready_after, why);
	}
	return refuse(ready, ready_after, why, "未知的操作");
}

bool action_overdue(enum action_status s, int32_t due, int32_t today)
{
	return (s == ACT_OPEN || s == ACT_IN_PROGRESS) && due != 0 && today > due;
}

static const struct {
	const char *key, *label;
} methods[] = {
	{"pdca", "PDCA循环"},
	{"5s", "5S管理"},
	{"qc_tools", "QC七种工具"},
	{"process_control", "过程控制"},
	{"supplier_evaluation", "供方评价"},
	{"training", "培训"},
	{"document_control", "文件控制"},
	{"internal_audit", "内部审核"},
	{"customer_feedback", "顾客反馈处理"},
	{"other", "其他"},
};

const char *action_method_label(const char *key)
{
	for (size_t i = 0; key && i < ARRAY_SIZE(methods); i++)
		if (strcmp(key, methods[i].key) == 0)
			return methods[i].label;
	return NULL;
}

const char *action_method_key(int i)
{
	return i >= 0 && (size_t)i < ARRAY_SIZE(methods) ? methods[i].key : NULL;
}
