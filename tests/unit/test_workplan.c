/*
 * test_workplan.c - the work plan rules (core/workplan.c): 1-2 industries,
 * at least 5 pilot enterprises each, only selected bodies, dated steps.
 * The facts about enterprises and selections are a small table here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/workplan.h"

static const char *const catalogue[] = {"集成电路", "生物医药", "人工智能"};

/* Enterprises 1-10 are 集成电路, 11-20 生物医药, 30-39 人工智能; 50 passes any
 * industry (to reach the "one enterprise, one industry" rule); 99 belongs to another district. */
static bool enterprise_ok(void *ctx, int64_t id, const char *industry, char *why, size_t n)
{
	(void)ctx;
	if (id == 50)
		return true;
	if (id == 99) {
		snprintf(why, n, "编号 99 不是本区已登记的企业");
		return false;
	}
	const char *ind = id <= 10 ? "集成电路" : id <= 20 ? "生物医药" : "人工智能";
	if (strcmp(ind, industry)) {
		snprintf(why, n, "登记的试点行业是“%s”", ind);
		return false;
	}
	return true;
}

/* Body 20 serves 集成电路 and 生物医药; body 21 only 生物医药. */
static bool cb_selected(void *ctx, const char *industry, int64_t cb)
{
	(void)ctx;
	return cb == 20 || (cb == 21 && !strcmp(industry, "生物医药"));
}

static const struct wp_rules rules = {1, 2, 5, catalogue, 3, enterprise_ok, cb_selected, NULL};

static void industry(struct wp_plan *p, const char *name, int64_t first, int n, int64_t cb)
{
	struct wp_industry *in = &p->industries[p->n_industries++];
	snprintf(in->name, sizeof(in->name), "%s", name);
	for (int i = 0; i < n; i++)
		in->enterprises[in->n_enterprises++] = first + i;
	if (cb)
		in->cbs[in->n_cbs++] = cb;
}

static void step(struct wp_plan *p, const char *title, const char *a, const char *b)
{
	struct wp_step *s = &p->steps[p->n_steps++];
	snprintf(s->title, sizeof(s->title), "%s", title);
	snprintf(s->start, sizeof(s->start), "%s", a);
	snprintf(s->end, sizeof(s->end), "%s", b);
}

static void good(struct wp_plan *p)
{
	memset(p, 0, sizeof(*p));
	industry(p, "集成电路", 1, 5, 20);
	industry(p, "生物医药", 11, 6, 21);
	step(p, "动员部署", "2021-03-01", "2021-03-31");
}

static void expect(const struct wp_plan *p, bool submit, const char *field, const char *fragment)
{
	struct wp_problem pr = {0};
	bool ok = wp_validate(p, submit, &rules, &pr);
	if (!field) {
		if (!ok)
			fail_msg("unexpected problem: %s %s", pr.field, pr.message);
		return;
	}
	if (ok)
		fail_msg("expected a problem with %s", field);
	assert_string_equal(pr.field, field);
	if (fragment && !strstr(pr.message, fragment))
		fail_msg("message '%s' lacks '%s'", pr.message, fragment);
}

static void test_good_plan(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	expect(&p, true, NULL, NULL);
	/* one industry is enough */
	p.n_industries = 1;
	expect(&p, true, NULL, NULL);
}

static void test_industry_count(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	p.n_industries = 0;
	expect(&p, false, NULL, NULL); /* a draft may be empty */
	expect(&p, true, "industries", "1—2");
	good(&p);
	industry(&p, "人工智能", 30, 5, 20);
	expect(&p, false, NULL, NULL);        /* three are fine in a draft… */
	expect(&p, true, "industries", "目前为 3 个"); /* …but not on submit */
	good(&p);
	snprintf(p.industries[1].name, sizeof(p.industries[1].name), "集成电路");
	expect(&p, false, "industries", "重复");
	good(&p);
	snprintf(p.industries[1].name, sizeof(p.industries[1].name), "区块链");
	expect(&p, false, "industries", "行业目录");
}

static void test_enterprise_rules(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	p.industries[0].n_enterprises = 4;
	expect(&p, false, NULL, NULL);
	expect(&p, true, "enterprises", "只有 4 家");
	good(&p);
	p.industries[0].enterprises[4] = 99;
	expect(&p, false, "enterprises", "不是本区");
	good(&p);
	p.industries[0].enterprises[4] = 12; /* a 生物医药 enterprise under 集成电路 */
	expect(&p, false, "enterprises", "生物医药");
	good(&p);
	p.industries[0].enterprises[4] = 1;
	expect(&p, false, "enterprises", "重复");
}

static void test_enterprise_in_two_industries(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	p.industries[0].enterprises[0] = 50;
	p.industries[1].enterprises[0] = 50;
	expect(&p, false, "enterprises", "同一企业");
}

static void test_cb_rules(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	p.industries[0].cbs[0] = 21; /* not selected for 集成电路 */
	expect(&p, false, "cbs", "集成电路");
	good(&p);
	p.industries[0].n_cbs = 0;
	expect(&p, false, NULL, NULL);
	expect(&p, true, "cbs", "请为");
	good(&p);
	p.industries[1].cbs[p.industries[1].n_cbs++] = 21;
	expect(&p, false, "cbs", "重复");
}

static void test_steps(void **state)
{
	(void)state;
	struct wp_plan p;
	good(&p);
	p.n_steps = 0;
	expect(&p, false, NULL, NULL);
	expect(&p, true, "steps", "至少");
	good(&p);
	step(&p, "", "2021-04-01", "2021-04-30");
	expect(&p, false, "steps", "第 2 个");
	good(&p);
	step(&p, "帮扶", "2021-04-31", "2021-05-30");
	expect(&p, false, "steps", "日期");
	good(&p);
	step(&p, "帮扶", "2021-06-01", "2021-05-30");
	expect(&p, false, "steps", "晚于");
	good(&p);
	step(&p, "帮扶", "2021-06-01", "2021-06-01");
	expect(&p, true, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_plan),
		cmocka_unit_test(test_industry_count),
		cmocka_unit_test(test_enterprise_rules),
		cmocka_unit_test(test_enterprise_in_two_industries),
		cmocka_unit_test(test_cb_rules),
		cmocka_unit_test(test_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
