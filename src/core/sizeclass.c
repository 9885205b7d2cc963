/*
 * sizeclass.c - see sizeclass.h.
 *
 * The table (data/size-classes.json) is one JSON object:
 *
 *   {
 *     "source":  "工信部联企业〔2011〕300号 …",      required, where the numbers come from
 *     "note":    "…",                               optional, judgements made in writing it
 *     "sectors": [                                  required, at least one, in display order
 *       {
 *         "key":      "industry",                   required, unique, ASCII identifier
 *         "name":     "工业",                        required, unique, the standard's wording
 *         "clause":   "第四条（二）",                 optional
 *         "includes": "采矿业，制造业，…",           optional, what the sector covers
 *         "excludes": "铁路运输业",                  optional
 *         "aliases":  ["制造业", …],                 optional, other names size_table_find knows
 *         "measures": ["employees", "revenue"],     required: any of employees, revenue, assets
 *         "large":    {"employees": 1000, "revenue": 40000},
 *         "medium":   {"employees": 300,  "revenue": 2000},
 *         "small":    {"employees": 20,   "revenue": 300}
 *       }, …
 *     ]
 *   }
 *
 * "large", "medium" and "small" each give the lower bound (及以上, inclusive)
 * of every listed measure and of no other; a threshold is a positive number,
 * and small <= medium <= large on each measure. Micro has no thresholds: it
 * is whatever does not reach small. The standard itself only states the
 * upper bound of the medium class (e.g. 工业 "从业人员1000人以下或营业收入
 * 40000万元以下的为中小微型企业"); its 第七条 makes that bound the lower bound
 * of large, which is how "large" is written here.
 *
 * Classification: large when every large threshold is met, else medium when
 * every medium threshold is met, else small when every small threshold is
 * met, else micro. Because the thresholds are monotone, "below small on any
 * measure" (或) and "not small" are the same thing.
 */
#include "sizeclass.h"
#include "../util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum measure { M_EMPLOYEES, M_REVENUE, M_ASSETS, M_COUNT };

/* The tiers that carry thresholds, in the order they are tried. */
enum tier { T_LARGE, T_MEDIUM, T_SMALL, T_COUNT };

static const char *const measure_keys[M_COUNT] = {"employees", "revenue", "assets"};
static const char *const measure_labels[M_COUNT] = {"从业人员", "营业收入", "资产总额"};
static const char *const measure_units[M_COUNT] = {"人", "万元", "万元"};
static const char *const tier_keys[T_COUNT] = {"large", "medium", "small"};
static const enum size_class tier_class[T_COUNT] = {SIZE_LARGE, SIZE_MEDIUM, SIZE_SMALL};

struct sector {
	char *key, *name;
	char **aliases;
	size_t n_aliases;
	bool uses[M_COUNT];
	double min[T_COUNT][M_COUNT]; /* lower bounds, meaningful where uses[] */
};

struct size_table {
	struct sector *sectors;
	int n;
};

/* ---- loading ---- */

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

static int measure_from_key(const char *k)
{
	for (int m = 0; m < M_COUNT; m++)
		if (strcmp(k, measure_keys[m]) == 0)
			return m;
	return -1;
}

/* True when s answers to name: its key, its name or one of its aliases. */
static bool sector_matches(const struct sector *s, const char *name)
{
	if ((s->key && strcmp(s->key, name) == 0) || (s->name && strcmp(s->name, name) == 0))
		return true;
	for (size_t a = 0; a < s->n_aliases; a++)
		if (strcmp(s->aliases[a], name) == 0)
			return true;
	return false;
}

/* True when one of the first n sectors answers to name. */
static bool name_taken(const struct size_table *t, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (sector_matches(&t->sectors[i], name))
			return true;
	return false;
}

/* A non-empty string member of o, or NULL. */
static const char *json_text(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && *s ? s : NULL;
}

static int load_measures(struct sector *s, json_t *j, const char *where, char *err, size_t errlen)
{
	json_t *arr = json_object_get(j, "measures");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		set_err(err, errlen, "%s：measures 应为非空数组", where);
		return -1;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		int m = json_is_string(v) ? measure_from_key(json_string_value(v)) : -1;
		if (m < 0) {
			set_err(err, errlen, "%s：measures 第 %zu 项不是 employees、revenue 或 assets",
				where, i + 1);
			return -1;
		}
		if (s->uses[m]) {
			set_err(err, errlen, "%s：measures 中 %s 重复", where, measure_keys[m]);
			return -1;
		}
		s->uses[m] = true;
	}
	return 0;
}

/* One tier object: exactly the sector's measures, each a positive number. */
static int load_tier(struct sector *s, json_t *j, int tier, const char *where, char *err,
		     size_t errlen)
{
	json_t *o = json_object_get(j, tier_keys[tier]);
	if (!json_is_object(o)) {
		set_err(err, errlen, "%s：缺少 %s 标准", where, tier_keys[tier]);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int m = measure_from_key(k);
		if (m < 0 || !s->uses[m]) {
			set_err(err, errlen, "%s：%s 中的 %s 不在 measures 之列", where, tier_keys[tier], k);
			return -1;
		}
		if (!json_is_number(v) || !(json_number_value(v) > 0)) {
			set_err(err, errlen, "%s：%s.%s 应为正数", where, tier_keys[tier], k);
			return -1;
		}
		s->min[tier][m] = json_number_value(v);
	}
	for (int m = 0; m < M_COUNT; m++) {
		if (s->uses[m] && !json_object_get(o, measure_keys[m])) {
			set_err(err, errlen, "%s：%s 缺少 %s", where, tier_keys[tier], measure_keys[m]);
			return -1;
		}
	}
	return 0;
}

static int load_aliases(struct size_table *t, struct sector *s, json_t *j, const char *where,
			char *err, size_t errlen)
{
	json_t *arr = json_object_get(j, "aliases");
	if (!arr)
		return 0;
	if (!json_is_array(arr)) {
		set_err(err, errlen, "%s：aliases 应为数组", where);
		return -1;
	}
	s->aliases = xcalloc(json_array_size(arr) + 1, sizeof(char *));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *a = json_is_string(v) ? json_string_value(v) : NULL;
		if (!a || !*a) {
			set_err(err, errlen, "%s：aliases 第 %zu 项应为非空文本", where, i + 1);
			return -1;
		}
		/* t->n + 1: the sector being read counts too (its key, name, earlier aliases). */
		if (name_taken(t, t->n + 1, a)) {
			set_err(err, errlen, "%s：别名 %s 与其他行业重名", where, a);
			return -1;
		}
		s->aliases[s->n_aliases++] = xstrdup(a);
	}
	return 0;
}

/*
 * Read sector number t->n (0-based) from j into t->sectors[t->n]. The slot
 * is zeroed before, and owned by t even on failure, so size_table_free
 * cleans up whatever was read.
 */
static int load_sector(struct size_table *t, json_t *j, char *err, size_t errlen)
{
	struct sector *s = &t->sectors[t->n];
	char where[160];
	snprintf(where, sizeof(where), "划型标准表第 %d 个行业", t->n + 1);
	if (!json_is_object(j)) {
		set_err(err, errlen, "%s应为对象", where);
		return -1;
	}
	const char *key = json_text(j, "key"), *name = json_text(j, "name");
	if (!key || !name) {
		set_err(err, errlen, "%s缺少 key 或 name", where);
		return -1;
	}
	snprintf(where, sizeof(where), "划型标准表行业 %s（%s）", key, name);
	if (name_taken(t, t->n, key) || name_taken(t, t->n, name) || strcmp(key, name) == 0) {
		set_err(err, errlen, "%s：key 或 name 与其他行业重复", where);
		return -1;
	}
	s->key = xstrdup(key);
	s->name = xstrdup(name);
	if (load_measures(s, j, where, err, errlen) < 0)
		return -1;
	for (int tier = 0; tier < T_COUNT; tier++)
		if (load_tier(s, j, tier, where, err, errlen) < 0)
			return -1;
	for (int m = 0; m < M_COUNT; m++) {
		if (s->uses[m] && (s->min[T_SMALL][m] > s->min[T_MEDIUM][m] ||
				   s->min[T_MEDIUM][m] > s->min[T_LARGE][m])) {
			set_err(err, errlen, "%s：%s 的标准应为 small ≤ medium ≤ large", where,
				measure_keys[m]);
			return -1;
		}
	}
	return load_aliases(t, s, j, where, err, errlen);
}

struct size_table *size_table_load(const char *json_text_in, char *err, size_t errlen)
{
	set_err(err, errlen, "%s", "");
	if (!json_text_in) {
		set_err(err, errlen, "划型标准表为空");
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loads(json_text_in, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		set_err(err, errlen, "划型标准表不是有效的 JSON：%s（第 %d 行）", je.text, je.line);
		return NULL;
	}
	struct size_table *t = NULL;
	json_t *arr = json_object_get(root, "sectors");
	if (!json_is_object(root) || !json_text(root, "source")) {
		set_err(err, errlen, "划型标准表应为对象，并写明 source（依据）");
		goto out;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		set_err(err, errlen, "划型标准表缺少 sectors 或其为空");
		goto out;
	}
	if (json_array_size(arr) > 1000) {
		set_err(err, errlen, "划型标准表的行业过多");
		goto out;
	}
	t = xcalloc(1, sizeof(*t));
	t->sectors = xcalloc(json_array_size(arr), sizeof(struct sector));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		int rc = load_sector(t, v, err, errlen);
		t->n++; /* the slot is t's to free either way */
		if (rc < 0) {
			size_table_free(t);
			t = NULL;
			goto out;
		}
	}
out:
	json_decref(root);
	return t;
}

void size_table_free(struct size_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++) {
		struct sector *s = &t->sectors[i];
		free(s->key);
		free(s->name);
		for (size_t a = 0; a < s->n_aliases; a++)
			free(s->aliases[a]);
		free(s->aliases);
	}
	free(t->sectors);
	free(t);
}

/* ---- lookup ---- */

int size_table_count(const struct size_table *t)
{
	return t ? t->n : 0;
}

const char *size_table_key(const struct size_table *t, int i)
{
	return t && i >= 0 && i < t->n ? t->sectors[i].key : NULL;
}

const char *size_table_name(const struct size_table *t, int i)
{
	return t && i >= 0 && i < t->n ? t->sectors[i].name : NULL;
}

int size_table_find(const struct size_table *t, const char *key_or_name)
{
	if (!t || !key_or_name || !*key_or_name)
		return -1;
	for (int i = 0; i < t->n; i++)
		if (sector_matches(&t->sectors[i], key_or_name))
			return i;
	return -1;
}

/* ---- classification ---- */

/*
 * A reason being written into the caller's fixed buffer. Text that does not
 * fit is cut, and never in the middle of a UTF-8 character.
 */
struct text {
	char *buf; /* NULL: write nothing */
	size_t cap, len;
};

static void text_add(struct text *tx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *tx, const char *fmt, ...)
{
	if (!tx->buf || tx->len + 1 >= tx->cap)
		return;
	size_t room = tx->cap - tx->len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tx->buf + tx->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		tx->len += (size_t)n;
		return;
	}
	/* Cut: drop a trailing partial character, then stop writing. */
	size_t len = tx->cap - 1, lead = len;
	while (lead > 0 && ((unsigned char)tx->buf[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead > 0) {
		unsigned char c = (unsigned char)tx->buf[lead - 1];
		size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (len - (lead - 1) < want)
			len = lead - 1;
	}
	tx->buf[len] = '\0';
	tx->len = tx->cap - 1; /* full */
}

/* "not given": negative, and NaN, which no comparison would place anyway. */
static bool given(double v)
{
	return v >= 0;
}

/* "从业人员 20 人及以上，且营业收入 300 万元及以上" for a tier. */
static void add_tier_rule(struct text *tx, const struct sector *s, int tier)
{
	const char *sep = "";
	for (int m = 0; m < M_COUNT; m++) {
		if (!s->uses[m])
			continue;
		text_add(tx, "%s%s %.15g %s及以上", sep, measure_labels[m], s->min[tier][m],
			 measure_units[m]);
		sep = "，且";
	}
}

/* "从业人员 20 人以下或营业收入 300 万元以下": the micro rule. */
static void add_micro_rule(struct text *tx, const struct sector *s)
{
	const char *sep = "";
	for (int m = 0; m < M_COUNT; m++) {
		if (!s->uses[m])
			continue;
		text_add(tx, "%s%s %.15g %s以下", sep, measure_labels[m], s->min[T_SMALL][m],
			 measure_units[m]);
		sep = "或";
	}
}

enum size_class size_classify(const struct size_table *t, int sector, double employees,
			      double revenue_10k, double assets_10k, char *reason, size_t reason_len)
{
	struct text tx = {reason_len ? reason : NULL, reason_len, 0};
	if (tx.buf)
		tx.buf[0] = '\0';
	if (!t || sector < 0 || sector >= t->n) {
		text_add(&tx, "未知行业，无法划型");
		return SIZE_UNKNOWN;
	}
	const struct sector *s = &t->sectors[sector];
	const double value[M_COUNT] = {employees, revenue_10k, assets_10k};

	bool missing[M_COUNT], any_missing = false;
	for (int m = 0; m < M_COUNT; m++) {
		missing[m] = s->uses[m] && !given(value[m]);
		any_missing |= missing[m];
	}
	const char *sep = "";
	if (any_missing) {
		text_add(&tx, "%s：未填写", s->name);
		for (int m = 0; m < M_COUNT; m++) {
			if (missing[m]) {
				text_add(&tx, "%s%s", sep, measure_labels[m]);
				sep = "、";
			}
		}
		text_add(&tx, "，无法划型");
		return SIZE_UNKNOWN;
	}

	text_add(&tx, "%s：", s->name);
	for (int m = 0; m < M_COUNT; m++) {
		if (!s->uses[m])
			continue;
		text_add(&tx, "%s%s %.15g %s", sep, measure_labels[m], value[m], measure_units[m]);
		sep = "、";
	}

	for (int tier = 0; tier < T_COUNT; tier++) {
		bool all = true;
		for (int m = 0; m < M_COUNT; m++)
			if (s->uses[m] && value[m] < s->min[tier][m])
				all = false;
		if (all) {
			text_add(&tx, "，达到%s企业标准（", size_class_label(tier_class[tier]));
			add_tier_rule(&tx, s, tier);
			text_add(&tx, "）");
			return tier_class[tier];
		}
	}
	text_add(&tx, "，属于微型企业（");
	add_micro_rule(&tx, s);
	text_add(&tx, "）");
	return SIZE_MICRO;
}

const char *size_class_name(enum size_class c)
{
	switch (c) {
	case SIZE_UNKNOWN: return "unknown";
	case SIZE_MICRO: return "micro";
	case SIZE_SMALL: return "small";
	case SIZE_MEDIUM: return "medium";
	case SIZE_LARGE: return "large";
	}
	return "unknown";
}

const char *size_class_label(enum size_class c)
{
	switch (c) {
	case SIZE_UNKNOWN: return "未知";
	case SIZE_MICRO: return "微型";
	case SIZE_SMALL: return "小型";
	case SIZE_MEDIUM: return "中型";
	case SIZE_LARGE: return "大型";
	}
	return "未知";
}
