/*
 * test_sizeclass.c - size classes (企业划型) under 工信部联企业〔2011〕300号,
 * against the real table in data/size-classes.json.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizeclass.h"
#include "util.h"

#define NA (-1.0) /* not given */

static struct size_table *table;

static int setup(void **state)
{
	(void)state;
	static const char *const paths[] = {"data/size-classes.json", "../data/size-classes.json",
					    "../../data/size-classes.json"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !table; i++) {
		size_t len;
		char *text = read_file(paths[i], &len);
		if (!text)
			continue;
		char err[256];
		table = size_table_load(text, err, sizeof(err));
		if (!table)
			fprintf(stderr, "%s: %s\n", paths[i], err);
		free(text);
	}
	return table ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	size_table_free(table);
	table = NULL;
	return 0;
}

static int S(const char *key)
{
	int i = size_table_find(table, key);
	if (i < 0)
		fail_msg("no sector %s", key);
	return i;
}

static enum size_class C(const char *key, double emp, double rev, double assets)
{
	return size_classify(table, S(key), emp, rev, assets, NULL, 0);
}

/* Classify and check the reason too. */
static void expect(const char *key, double emp, double rev, double assets, enum size_class want,
		   const char *want_reason)
{
	char reason[512];
	enum size_class got = size_classify(table, S(key), emp, rev, assets, reason, sizeof(reason));
	if (got != want)
		fail_msg("%s(%g, %g, %g): %s, want %s (%s)", key, emp, rev, assets,
			 size_class_name(got), size_class_name(want), reason);
	assert_string_equal(reason, want_reason);
}

/* ---- the table as the standard publishes it (第四条), a second copy on purpose ---- */

struct expected {
	const char *key, *name;
	double large[3], medium[3], small[3]; /* employees, revenue, assets; 0: not used */
};

static const struct expected standard[16] = {
	{"agriculture", "农、林、牧、渔业", {0, 20000, 0}, {0, 500, 0}, {0, 50, 0}},
	{"industry", "工业", {1000, 40000, 0}, {300, 2000, 0}, {20, 300, 0}},
	{"construction", "建筑业", {0, 80000, 80000}, {0, 6000, 5000}, {0, 300, 300}},
	{"wholesale", "批发业", {200, 40000, 0}, {20, 5000, 0}, {5, 1000, 0}},
	{"retail", "零售业", {300, 20000, 0}, {50, 500, 0}, {10, 100, 0}},
	{"transport", "交通运输业", {1000, 30000, 0}, {300, 3000, 0}, {20, 200, 0}},
	{"warehousing", "仓储业", {200, 30000, 0}, {100, 1000, 0}, {20, 100, 0}},
	{"postal", "邮政业", {1000, 30000, 0}, {300, 2000, 0}, {20, 100, 0}},
	{"accommodation", "住宿业", {300, 10000, 0}, {100, 2000, 0}, {10, 100, 0}},
	{"catering", "餐饮业", {300, 10000, 0}, {100, 2000, 0}, {10, 100, 0}},
	{"information_transmission", "信息传输业", {2000, 100000, 0}, {100, 1000, 0}, {10, 100, 0}},
	{"software_it", "软件和信息技术服务业", {300, 10000, 0}, {100, 1000, 0}, {10, 50, 0}},
	{"real_estate_development", "房地产开发经营", {0, 200000, 10000}, {0, 1000, 5000},
	 {0, 100, 2000}},
	{"property_management", "物业管理", {1000, 5000, 0}, {300, 1000, 0}, {100, 500, 0}},
	{"leasing_business", "租赁和商务服务业", {300, 0, 120000}, {100, 0, 8000}, {10, 0, 100}},
	{"other", "其他未列明行业", {300, 0, 0}, {100, 0, 0}, {10, 0, 0}},
};

/* The values at a tier's thresholds; measures the sector does not use are "not given". */
static void at(const double th[3], double v[3])
{
	for (int m = 0; m < 3; m++)
		v[m] = th[m] ? th[m] : NA;
}

static enum size_class classify_v(int sector, const double v[3])
{
	return size_classify(table, sector, v[0], v[1], v[2], NULL, 0);
}

static void test_whole_table(void **state)
{
	(void)state;
	assert_int_equal(size_table_count(table), 16);
	for (int i = 0; i < 16; i++) {
		const struct expected *e = &standard[i];
		assert_string_equal(size_table_key(table, i), e->key);
		assert_string_equal(size_table_name(table, i), e->name);
		assert_int_equal(size_table_find(table, e->key), i);
		assert_int_equal(size_table_find(table, e->name), i);

		const double *tiers[3] = {e->small, e->medium, e->large};
		const enum size_class classes[3] = {SIZE_SMALL, SIZE_MEDIUM, SIZE_LARGE};
		const enum size_class below[3] = {SIZE_MICRO, SIZE_SMALL, SIZE_MEDIUM};
		for (int t = 0; t < 3; t++) {
			double v[3];
			at(tiers[t], v);
			/* Exactly at the thresholds: that class (及以上). */
			if (classify_v(i, v) != classes[t])
				fail_msg("%s at %s thresholds: %s", e->key, size_class_name(classes[t]),
					 size_class_name(classify_v(i, v)));
			/* Just below on any one measure: one class down (且 / 或). */
			for (int m = 0; m < 3; m++) {
				if (!tiers[t][m])
					continue;
				double w[3];
				memcpy(w, v, sizeof(w));
				w[m] -= 0.5;
				if (classify_v(i, w) != below[t])
					fail_msg("%s just below %s on measure %d: %s", e->key,
						 size_class_name(classes[t]), m,
						 size_class_name(classify_v(i, w)));
				/* Any used measure not given: unknown. */
				w[m] = NA;
				assert_int_equal(classify_v(i, w), SIZE_UNKNOWN);
			}
		}
		/* Zero on everything is micro; huge on everything is large. */
		double zero[3] = {0, 0, 0}, huge[3] = {1e9, 1e9, 1e9};
		assert_int_equal(classify_v(i, zero), SIZE_MICRO);
		assert_int_equal(classify_v(i, huge), SIZE_LARGE);
	}
}

static void test_industry(void **state)
{
	(void)state;
	expect("industry", 350, 25000, NA, SIZE_MEDIUM,
	       "工业：从业人员 350 人、营业收入 25000 万元，达到中型企业标准（从业人员 300 人及以上，"
	       "且营业收入 2000 万元及以上）");
	expect("industry", 20, 300, NA, SIZE_SMALL,
	       "工业：从业人员 20 人、营业收入 300 万元，达到小型企业标准（从业人员 20 人及以上，"
	       "且营业收入 300 万元及以上）");
	expect("industry", 19, 300, NA, SIZE_MICRO,
	       "工业：从业人员 19 人、营业收入 300 万元，属于微型企业（从业人员 20 人以下或营业收入 "
	       "300 万元以下）");
	expect("industry", 20, 299, NA, SIZE_MICRO,
	       "工业：从业人员 20 人、营业收入 299 万元，属于微型企业（从业人员 20 人以下或营业收入 "
	       "300 万元以下）");
	expect("industry", 20, 299.5, NA, SIZE_MICRO,
	       "工业：从业人员 20 人、营业收入 299.5 万元，属于微型企业（从业人员 20 人以下或营业收入 "
	       "300 万元以下）");
	/* Many employees but little revenue: small (且). */
	assert_int_equal(C("industry", 800, 1500, NA), SIZE_SMALL);
	assert_int_equal(C("industry", 299, 30000, NA), SIZE_SMALL);
	assert_int_equal(C("industry", 300, 1999, NA), SIZE_SMALL);
	assert_int_equal(C("industry", 300, 2000, NA), SIZE_MEDIUM);
	/* Large needs both (the medium upper bound is 1000人以下或40000万元以下). */
	expect("industry", 1000, 40000, NA, SIZE_LARGE,
	       "工业：从业人员 1000 人、营业收入 40000 万元，达到大型企业标准（从业人员 1000 人及以上，"
	       "且营业收入 40000 万元及以上）");
	assert_int_equal(C("industry", 999, 40000, NA), SIZE_MEDIUM);
	assert_int_equal(C("industry", 5000, 39999, NA), SIZE_MEDIUM);
	/* Assets are not a measure for industry: given or not, they do not matter. */
	assert_int_equal(C("industry", 20, 300, 1), SIZE_SMALL);
	assert_int_equal(C("industry", 20, 300, 1e9), SIZE_SMALL);
	/* Found by its sub-sectors too. */
	assert_int_equal(size_table_find(table, "制造业"), S("industry"));
	assert_int_equal(size_table_find(table, "采矿业"), S("industry"));
}

static void test_software(void **state)
{
	(void)state;
	assert_int_equal(C("software_it", 10, 50, NA), SIZE_SMALL);
	assert_int_equal(C("software_it", 9, 50, NA), SIZE_MICRO);
	assert_int_equal(C("software_it", 10, 49, NA), SIZE_MICRO);
	assert_int_equal(C("software_it", 9, 49, NA), SIZE_MICRO);
	assert_int_equal(C("software_it", 99, 5000, NA), SIZE_SMALL);
	assert_int_equal(C("software_it", 100, 1000, NA), SIZE_MEDIUM);
	assert_int_equal(C("software_it", 300, 10000, NA), SIZE_LARGE);
	expect("软件和信息技术服务业", 9, 80, NA, SIZE_MICRO,
	       "软件和信息技术服务业：从业人员 9 人、营业收入 80 万元，属于微型企业（从业人员 10 人以下"
	       "或营业收入 50 万元以下）");
}

static void test_retail_wholesale(void **state)
{
	(void)state;
	assert_int_equal(C("retail", 10, 100, NA), SIZE_SMALL);
	assert_int_equal(C("retail", 9, 100, NA), SIZE_MICRO);
	assert_int_equal(C("retail", 10, 99, NA), SIZE_MICRO);
	assert_int_equal(C("retail", 49, 500, NA), SIZE_SMALL);
	assert_int_equal(C("retail", 50, 500, NA), SIZE_MEDIUM);
	assert_int_equal(C("retail", 300, 20000, NA), SIZE_LARGE);
	assert_int_equal(C("retail", 299, 20000, NA), SIZE_MEDIUM);

	assert_int_equal(C("wholesale", 5, 1000, NA), SIZE_SMALL);
	assert_int_equal(C("wholesale", 4, 1000, NA), SIZE_MICRO);
	assert_int_equal(C("wholesale", 5, 999, NA), SIZE_MICRO);
	assert_int_equal(C("wholesale", 4, 100000, NA), SIZE_MICRO);
	assert_int_equal(C("wholesale", 20, 5000, NA), SIZE_MEDIUM);
	assert_int_equal(C("wholesale", 200, 40000, NA), SIZE_LARGE);
}

static void test_construction(void **state)
{
	(void)state;
	/* Revenue and assets; employees are not a measure and may be absent. */
	expect("construction", NA, 300, 300, SIZE_SMALL,
	       "建筑业：营业收入 300 万元、资产总额 300 万元，达到小型企业标准（营业收入 300 万元及以上，"
	       "且资产总额 300 万元及以上）");
	expect("construction", NA, 5000, 299, SIZE_MICRO,
	       "建筑业：营业收入 5000 万元、资产总额 299 万元，属于微型企业（营业收入 300 万元以下或"
	       "资产总额 300 万元以下）");
	assert_int_equal(C("construction", 500, 6000, 5000), SIZE_MEDIUM);
	assert_int_equal(C("construction", NA, 6000, 4999), SIZE_SMALL);
	assert_int_equal(C("construction", NA, 80000, 80000), SIZE_LARGE);
	assert_int_equal(C("construction", NA, 80000, 79999), SIZE_MEDIUM);
	expect("construction", 50, 500, NA, SIZE_UNKNOWN, "建筑业：未填写资产总额，无法划型");
}

static void test_other_sectors(void **state)
{
	(void)state;
	/* Employees only. */
	expect("other", 9, NA, NA, SIZE_MICRO,
	       "其他未列明行业：从业人员 9 人，属于微型企业（从业人员 10 人以下）");
	expect("其他未列明行业", 10, NA, NA, SIZE_SMALL,
	       "其他未列明行业：从业人员 10 人，达到小型企业标准（从业人员 10 人及以上）");
	assert_int_equal(C("other", 99, 1e9, 1e9), SIZE_SMALL);
	assert_int_equal(C("other", 100, NA, NA), SIZE_MEDIUM);
	assert_int_equal(C("other", 300, NA, NA), SIZE_LARGE);
	assert_int_equal(size_table_find(table, "科学研究和技术服务业"), S("other"));

	/* Revenue only. */
	assert_int_equal(C("agriculture", NA, 49, NA), SIZE_MICRO);
	assert_int_equal(C("agriculture", NA, 50, NA), SIZE_SMALL);
	assert_int_equal(C("agriculture", 10000, 500, NA), SIZE_MEDIUM);
	assert_int_equal(C("agriculture", NA, 20000, NA), SIZE_LARGE);
	assert_int_equal(size_table_find(table, "农林牧渔业"), S("agriculture"));

	/* Real estate: large needs assets 10000 as well as revenue 200000. */
	assert_int_equal(C("real_estate_development", NA, 300000, 8000), SIZE_MEDIUM);
	assert_int_equal(C("real_estate_development", NA, 200000, 10000), SIZE_LARGE);
	assert_int_equal(C("real_estate_development", NA, 100, 2000), SIZE_SMALL);
	assert_int_equal(C("real_estate_development", NA, 5000, 1999), SIZE_MICRO);

	/* Leasing and business services: employees and assets. */
	assert_int_equal(C("leasing_business", 10, NA, 100), SIZE_SMALL);
	assert_int_equal(C("leasing_business", 10, NA, 99), SIZE_MICRO);
	assert_int_equal(C("leasing_business", 100, NA, 8000), SIZE_MEDIUM);
	expect("leasing_business", 10, 100, NA, SIZE_UNKNOWN,
	       "租赁和商务服务业：未填写资产总额，无法划型");

	/* Property management: small starts at 100 employees. */
	assert_int_equal(C("property_management", 99, 600, NA), SIZE_MICRO);
	assert_int_equal(C("property_management", 100, 500, NA), SIZE_SMALL);
}

static void test_medium_large_refused(void **state)
{
	(void)state;
	/* The programme takes small and micro only: medium and large say why. */
	char reason[512];
	assert_int_equal(size_classify(table, S("catering"), 150, 3000, NA, reason, sizeof(reason)),
			 SIZE_MEDIUM);
	assert_string_equal(reason, "餐饮业：从业人员 150 人、营业收入 3000 万元，达到中型企业标准"
				    "（从业人员 100 人及以上，且营业收入 2000 万元及以上）");
	assert_int_equal(size_classify(table, S("transport"), 1200, 35000, NA, reason, sizeof(reason)),
			 SIZE_LARGE);
	assert_string_equal(reason, "交通运输业：从业人员 1200 人、营业收入 35000 万元，达到大型企业"
				    "标准（从业人员 1000 人及以上，且营业收入 30000 万元及以上）");
}

static void test_unknown(void **state)
{
	(void)state;
	expect("industry", 50, NA, NA, SIZE_UNKNOWN, "工业：未填写营业收入，无法划型");
	expect("industry", NA, 500, NA, SIZE_UNKNOWN, "工业：未填写从业人员，无法划型");
	expect("industry", NA, NA, 100, SIZE_UNKNOWN, "工业：未填写从业人员、营业收入，无法划型");
	expect("other", NA, 500, 500, SIZE_UNKNOWN, "其他未列明行业：未填写从业人员，无法划型");
	/* NaN is not a number of employees either. */
	assert_int_equal(C("industry", NAN, 500, NA), SIZE_UNKNOWN);
	/* Zero is given (a new firm), and micro. */
	assert_int_equal(C("industry", 0, 0, NA), SIZE_MICRO);

	char reason[128];
	assert_int_equal(size_classify(table, -1, 10, 10, 10, reason, sizeof(reason)), SIZE_UNKNOWN);
	assert_string_equal(reason, "未知行业，无法划型");
	assert_int_equal(size_classify(table, 16, 10, 10, 10, reason, sizeof(reason)), SIZE_UNKNOWN);
	assert_int_equal(size_classify(NULL, 0, 10, 10, 10, reason, sizeof(reason)), SIZE_UNKNOWN);
}

static void test_reason_buffer(void **state)
{
	(void)state;
	/* NULL or empty reason buffers are fine. */
	assert_int_equal(size_classify(table, S("industry"), 20, 300, NA, NULL, 0), SIZE_SMALL);
	char one[1] = {'x'};
	assert_int_equal(size_classify(table, S("industry"), 20, 300, NA, one, 0), SIZE_SMALL);
	assert_int_equal(one[0], 'x');
	assert_int_equal(size_classify(table, S("industry"), 20, 300, NA, one, 1), SIZE_SMALL);
	assert_int_equal(one[0], '\0');
	/* A short buffer is cut at a character boundary, never mid-character. */
	for (size_t n = 2; n < 200; n++) {
		char buf[200];
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(size_classify(table, S("industry"), 350, 25000, NA, buf, n),
				 SIZE_MEDIUM);
		assert_true(strlen(buf) < n);
		assert_true(utf8_valid_text(buf, strlen(buf)));
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_int_equal(size_table_find(table, "industry"), 1);
	assert_int_equal(size_table_find(table, "工业"), 1);
	assert_int_equal(size_table_find(table, "软件和信息技术服务业"), S("software_it"));
	assert_int_equal(size_table_find(table, "铁路运输业"), -1);
	assert_int_equal(size_table_find(table, "Industry"), -1);
	assert_int_equal(size_table_find(table, ""), -1);
	assert_int_equal(size_table_find(table, NULL), -1);
	assert_int_equal(size_table_find(NULL, "industry"), -1);
	assert_null(size_table_key(table, 16));
	assert_null(size_table_name(table, -1));
	assert_int_equal(size_table_count(NULL), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(size_class_name(SIZE_UNKNOWN), "unknown");
	assert_string_equal(size_class_name(SIZE_MICRO), "micro");
	assert_string_equal(size_class_name(SIZE_SMALL), "small");
	assert_string_equal(size_class_name(SIZE_MEDIUM), "medium");
	assert_string_equal(size_class_name(SIZE_LARGE), "large");
	assert_string_equal(size_class_label(SIZE_UNKNOWN), "未知");
	assert_string_equal(size_class_label(SIZE_MICRO), "微型");
	assert_string_equal(size_class_label(SIZE_SMALL), "小型");
	assert_string_equal(size_class_label(SIZE_MEDIUM), "中型");
	assert_string_equal(size_class_label(SIZE_LARGE), "大型");
}

/* ---- loading other tables ---- */

#define SECTOR_OK \
	"{\"key\":\"x\",\"name\":\"某业\",\"measures\":[\"employees\"]," \
	"\"large\":{\"employees\":300},\"medium\":{\"employees\":100},\"small\":{\"employees\":10}}"

static void expect_load_error(const char *json, const char *want)
{
	char err[256] = "untouched";
	struct size_table *t = size_table_load(json, err, sizeof(err));
	if (t) {
		size_table_free(t);
		fail_msg("loaded: %s", json);
	}
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\" for %s", err, want, json);
}

static void test_load_minimal(void **state)
{
	(void)state;
	char err[256];
	struct size_table *t = size_table_load("{\"source\":\"测试\",\"sectors\":[" SECTOR_OK "]}",
					       err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(err, "");
	assert_int_equal(size_table_count(t), 1);
	assert_int_equal(size_table_find(t, "某业"), 0);
	assert_int_equal(size_classify(t, 0, 10, NA, NA, NULL, 0), SIZE_SMALL);
	size_table_free(t);
	size_table_free(NULL);
}

static void test_load_errors(void **state)
{
	(void)state;
	expect_load_error("{", "JSON");
	expect_load_error("", "JSON");
	expect_load_error("not json", "JSON");
	expect_load_error(NULL, "划型标准表");
	expect_load_error("[]", "source");
	expect_load_error("{\"sectors\":[" SECTOR_OK "]}", "source");
	expect_load_error("{\"source\":\"s\"}", "sectors");
	expect_load_error("{\"source\":\"s\",\"sectors\":[]}", "sectors");
	expect_load_error("{\"source\":\"s\",\"source\":\"t\",\"sectors\":[" SECTOR_OK "]}", "JSON");
	expect_load_error("{\"source\":\"s\",\"sectors\":[1]}", "第 1 个行业");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\"}]}", "name");
	/* Same key twice; a key equal to another sector's name. */
	expect_load_error("{\"source\":\"s\",\"sectors\":[" SECTOR_OK "," SECTOR_OK "]}", "重复");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"x\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":3},"
			  "\"medium\":{\"employees\":2},\"small\":{\"employees\":1}}]}",
			  "重复");
	/* Measures. */
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"staff\"]}]}",
			  "measures");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[]}]}",
			  "measures");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"revenue\",\"revenue\"]}]}",
			  "重复");
	/* Tiers: missing, missing a measure, an extra measure, a bad number, out of order. */
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":300},"
			  "\"medium\":{\"employees\":100}}]}",
			  "small");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\",\"revenue\"],\"large\":{\"employees\":300},"
			  "\"medium\":{\"employees\":100},\"small\":{\"employees\":10}}]}",
			  "revenue");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":300,\"assets\":1},"
			  "\"medium\":{\"employees\":100},\"small\":{\"employees\":10}}]}",
			  "assets");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":300},"
			  "\"medium\":{\"employees\":\"100\"},\"small\":{\"employees\":10}}]}",
			  "正数");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":300},"
			  "\"medium\":{\"employees\":100},\"small\":{\"employees\":-10}}]}",
			  "正数");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"measures\":[\"employees\"],\"large\":{\"employees\":300},"
			  "\"medium\":{\"employees\":10},\"small\":{\"employees\":100}}]}",
			  "small ≤ medium ≤ large");
	/* Aliases: not a list, empty, clashing with another sector. */
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"aliases\":\"y\",\"measures\":[\"employees\"],\"large\":{\"employees\":3},"
			  "\"medium\":{\"employees\":2},\"small\":{\"employees\":1}}]}",
			  "aliases");
	expect_load_error("{\"source\":\"s\",\"sectors\":[{\"key\":\"x\",\"name\":\"某业\","
			  "\"aliases\":[\"\"],\"measures\":[\"employees\"],\"large\":{\"employees\":3},"
			  "\"medium\":{\"employees\":2},\"small\":{\"employees\":1}}]}",
			  "aliases");
	expect_load_error("{\"source\":\"s\",\"sectors\":[" SECTOR_OK ",{\"key\":\"y\",\"name\":\"另业\","
			  "\"aliases\":[\"某业\"],\"measures\":[\"employees\"],\"large\":{\"employees\":3},"
			  "\"medium\":{\"employees\":2},\"small\":{\"employees\":1}}]}",
			  "某业");
	/* A NULL or zero-length err is allowed. */
	assert_null(size_table_load("{", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_industry),
		cmocka_unit_test(test_software),
		cmocka_unit_test(test_retail_wholesale),
		cmocka_unit_test(test_construction),
		cmocka_unit_test(test_other_sectors),
		cmocka_unit_test(test_medium_large_refused),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_reason_buffer),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_load_minimal),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests_name("sizeclass", tests, setup, teardown);
}
