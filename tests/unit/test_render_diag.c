/*
 * test_render_diag.c - the diagnosis and re-assessment report PDFs, checked
 * through the tools a reader would use: pdftotext and pdfinfo
 * (poppler-utils). Text is matched "squashed" (white space removed) where a
 * table cell may wrap it, and word boxes (pdftotext -bbox) show that nothing
 * is printed over anything else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"

/* ---- helpers ---- */

/* Write data to a new temporary file; returns its malloc'd path. */
static char *write_temp(const char *data, size_t len, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	char *path = xmalloc(512);
	snprintf(path, 512, "%s/qmslift-test-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Run a command and return everything it printed (malloc'd). */
static char *run_capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct sbuf sb = {0};
	char chunk[8192];
	size_t n;
	sbuf_add(&sb, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		sbuf_add(&sb, chunk, n);
	assert_int_equal(pclose(p), 0);
	return sb.buf;
}

/* Run a poppler tool (e.g. "pdftotext -bbox", "pdfinfo") on the PDF; what it printed. */
static char *pdf_tool(const struct sbuf *pdf, const char *tool, const char *dest)
{
	char *path = write_temp(pdf->buf, pdf->len, ".pdf");
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "%s '%s' %s 2>/dev/null", tool, path, dest);
	char *out = run_capture(cmd);
	unlink(path);
	free(path);
	return out;
}

/* The text in reading order; squashed drops all white space, which joins
 * what a table cell wrapped. */
static char *pdf_text(const struct sbuf *pdf, bool squashed)
{
	char *text = pdf_tool(pdf, "pdftotext", "-");
	if (squashed) {
		char *w = text;
		for (const char *r = text; *r; r++)
			if (!strchr(" \t\r\n\f", *r))
				*w++ = *r;
		*w = '\0';
	}
	return text;
}

static int pdf_pages(const struct sbuf *pdf)
{
	char *out = pdf_tool(pdf, "pdfinfo", "| sed -n 's/^Pages: *//p'");
	int pages = atoi(out);
	free(out);
	return pages;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		fprintf(stderr, "---- text searched ----\n%s\n----\n", hay);
		fail_msg("expected to find \"%s\"", needle);
	}
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle)) {
		fprintf(stderr, "---- text searched ----\n%s\n----\n", hay);
		fail_msg("did not expect \"%s\"", needle);
	}
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void assert_pdf_envelope(const struct sbuf *pdf)
{
	assert_true(pdf->len > 1000);
	assert_memory_equal(pdf->buf, "%PDF-", 5);
	size_t end = pdf->len;
	while (end > 0 && (pdf->buf[end - 1] == '\n' || pdf->buf[end - 1] == '\r'))
		end--;
	assert_true(end >= 5);
	assert_memory_equal(pdf->buf + end - 5, "%%EOF", 5);
}

/* One word of `pdftotext -bbox`. */
struct word {
	int page;
	double x0, y0, x1, y1;
	char text[64];
};

/*
 * Every printed word lies inside the page, and no two words on a page
 * overlap (boxes shrunk by 1 pt: poppler's boxes use the font's full
 * ascent and descent, which touch between lines set at Noto's line height).
 */
static void assert_no_overlap(const struct sbuf *pdf)
{
	char *xml = pdf_tool(pdf, "pdftotext -bbox", "-");
	struct word *words = NULL;
	size_t n = 0, cap = 0;
	int page = -1;
	double page_w = 0, page_h = 0;
	for (const char *p = xml; *p; p++) {
		if (strncmp(p, "<page ", 6) == 0) {
			page++;
			assert_int_equal(sscanf(p, "<page width=\"%lf\" height=\"%lf\"", &page_w,
						&page_h),
					 2);
			continue;
		}
		if (strncmp(p, "<word ", 6) != 0)
			continue;
		struct word w = {.page = page};
		int off = 0;
		assert_int_equal(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%n",
					&w.x0, &w.y0, &w.x1, &w.y1, &off),
				 4);
		const char *end = strstr(p + off, "</word>");
		assert_non_null(end);
		size_t len = (size_t)(end - (p + off));
		if (len >= sizeof(w.text))
			len = sizeof(w.text) - 1;
		memcpy(w.text, p + off, len);
		if (w.x0 < 0 || w.y0 < 0 || w.x1 > page_w || w.y1 > page_h)
			fail_msg("word \"%s\" on page %d lies outside the page", w.text, page + 1);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			words = xrealloc(words, cap * sizeof(*words));
		}
		words[n++] = w;
	}
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && words[j].page == words[i].page; j++) {
			const struct word *a = &words[i], *b = &words[j];
			if (a->x0 + 1 < b->x1 - 1 && b->x0 + 1 < a->x1 - 1 && a->y0 + 1 < b->y1 - 1 &&
			    b->y0 + 1 < a->y1 - 1)
				fail_msg("\"%s\" and \"%s\" overlap on page %d", a->text, b->text,
					 a->page + 1);
		}
	}
	free(words);
	free(xml);
}

/* ---- fixtures ---- */

static const struct diag_print_clause first_clauses[] = {
	{.clause = "4", .title = "组织环境", .items = 6, .answered = 6, .has_score = true,
	 .score = 3.2, .has_self = true, .self = 3.5},
	{.clause = "5", .title = "领导作用", .items = 5, .answered = 5, .na = 1, .has_score = true,
	 .score = 3.8, .has_self = true, .self = 4.0},
	{.clause = "6", .title = "策划", .items = 4, .answered = 4, .has_score = true, .score = 2.5},
	{.clause = "7", .title = "支持", .items = 12, .answered = 11, .na = 2, .has_score = true,
	 .score = 2.9},
	{.clause = "8", .title = "运行", .items = 15, .answered = 15, .na = 1, .has_score = true,
	 .score = 3.1},
	{.clause = "9", .title = "绩效评价", .items = 6, .answered = 5, .has_score = true,
	 .score = 2.2},
	{.clause = "10", .title = "改进", .items = 4}, /* not scored: plotted at 0, 「—」 */
};

static const struct diag_print_clause second_clauses[] = {
	{.clause = "4", .title = "组织环境", .items = 6, .answered = 6, .has_score = true,
	 .score = 3.8, .has_before = true, .before = 3.2},
	{.clause = "5", .title = "领导作用", .items = 5, .answered = 5, .has_score = true,
	 .score = 4.2, .has_before = true, .before = 3.8},
	{.clause = "6", .title = "策划", .items = 4, .answered = 4, .has_score = true, .score = 3.5,
	 .has_before = true, .before = 2.5},
	{.clause = "7", .title = "支持", .items = 12, .answered = 12, .has_score = true,
	 .score = 3.6, .has_before = true, .before = 2.9},
	{.clause = "8", .title = "运行", .items = 15, .answered = 15, .has_score = true,
	 .score = 4.0, .has_before = true, .before = 3.1},
	{.clause = "9", .title = "绩效评价", .items = 6, .answered = 6, .has_score = true,
	 .score = 3.4, .has_before = true, .before = 2.2},
	{.clause = "10", .title = "改进", .items = 4, .answered = 4, .has_score = true,
	 .score = 4.1, .has_before = true, .before = 1.6},
};

static const struct diag_print_finding findings[] = {
	{"blockage", "7.1.5-1", "是否对监视和测量资源进行了校准或检定，并保持记录？", 2,
	 "抽查的3台游标卡尺中有1台超过校准有效期仍在使用。"},
	{"pain", "8.5.1-2", "生产过程是否具备受控条件？", 2,
	 "注塑工序作业指导书为2018年版本，与现行工艺参数不一致。"},
	{"difficulty", "9.1.3-1", "是否对数据进行分析和评价？", 1,
	 "企业缺少质量数据统计分析能力，管理层无法获取质量趋势信息。"},
	{"", "10.2-1", "是否对不合格采取纠正措施？", 0, "尚未建立纠正措施流程。"},
	{"", "8.3-1", "是否对产品和服务的设计开发进行策划和控制？", -1, "企业按客户图纸加工，不从事设计开发。"},
};

static const struct diag_print_evidence evidence[] = {
	{"7.1.5-1", "卡尺校准证书.pdf", "application/pdf", 234567},
	{"", "现场诊断签到表.xlsx", "application/vnd.ms-excel", 20480},
};

static const struct diag_print_indicator indicators[] = {
	{"产品不良率（%）", "3.2", "1.8", "-1.4"},
	{"顾客投诉（次/季度）", "12", "5", "-7"},
	{"质量成本率（%）", "", "", ""}, /* never entered */
};

static struct diag_print first_report(void)
{
	return (struct diag_print){
		.title = "问题诊断报告",
		.programme_name = "上海市2021年小微企业质量管理体系认证提升行动",
		.enterprise = "上海浦江精密电子有限公司",
		.uscc = "91310115MA1H7XXX8Q",
		.district = "浦东新区",
		.industry = "集成电路",
		.cb_name = "沪联质量认证中心有限公司",
		.team = "王建国（组长）、李敏",
		.visit_date = "2021-04-20",
		.checklist_title = "小微企业质量管理体系诊断检查表",
		.summary = "企业已建立基本的质量管理体系框架，建议三个月内完成计量器具校准。",
		.round = 1,
		.has_overall = true,
		.overall = 3.0,
		.clauses = first_clauses,
		.n_clauses = (int)ARRAY_SIZE(first_clauses),
		.findings = findings,
		.n_findings = (int)ARRAY_SIZE(findings),
		.evidence = evidence,
		.n_evidence = (int)ARRAY_SIZE(evidence),
		.status_line = "状态：已提交 2021-04-20",
		.printed_on = "2021-05-10",
	};
}

static struct diag_print second_report(void)
{
	struct diag_print d = first_report();
	d.title = "再评估报告";
	d.round = 2;
	d.overall = 3.8;
	d.has_overall_before = true;
	d.overall_before = 2.6;
	d.clauses = second_clauses;
	d.n_clauses = (int)ARRAY_SIZE(second_clauses);
	d.indicators = indicators;
	d.n_indicators = (int)ARRAY_SIZE(indicators);
	d.summary = "经再评估，各条款得分均有提升。";
	return d;
}

static void render_ok(const struct diag_print *d, struct sbuf *pdf)
{
	char err[256] = "";
	int rc = render_diagnosis_pdf(d, pdf, err, sizeof(err));
	if (rc != 0)
		fail_msg("render_diagnosis_pdf: %s", err);
	assert_pdf_envelope(pdf);
}

/* ---- tests ---- */

static void test_diag_first(void **state)
{
	(void)state;
	struct diag_print d = first_report();
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);

	char *text = pdf_text(&pdf, true);
	assert_contains(text, "问题诊断报告");
	assert_contains(text, "上海市2021年小微企业质量管理体系认证提升行动");
	assert_contains(text, "上海浦江精密电子有限公司");
	assert_contains(text, "91310115MA1H7XXX8Q");
	assert_contains(text, "沪联质量认证中心有限公司");
	assert_contains(text, "2021年4月20日");
	assert_contains(text, "小微企业质量管理体系诊断检查表");
	for (size_t i = 0; i < ARRAY_SIZE(first_clauses); i++)
		assert_contains(text, first_clauses[i].title);
	assert_contains(text, "3.8");
	assert_contains(text, "综合得分");
	assert_contains(text, "自我评价");
	assert_contains(text, "4组织环境"); /* a radar axis label */
	/* Kind headings in order, each with its finding. */
	const char *blockage = strstr(text, "堵点"), *pain = strstr(text, "痛点");
	const char *difficulty = strstr(text, "难点"), *other = strstr(text, "其他问题");
	assert_true(blockage && pain && difficulty && other);
	assert_true(blockage < pain && pain < difficulty && difficulty < other);
	for (size_t i = 0; i < ARRAY_SIZE(findings); i++) {
		assert_contains(text, findings[i].finding);
		assert_contains(text, findings[i].item_text);
		assert_contains(text, findings[i].item_key);
	}
	assert_contains(text, "不适用");
	assert_contains(text, "未评分"); /* 10.2-1 has a finding but no score yet */
	assert_contains(text, "证据清单");
	assert_contains(text, "卡尺校准证书.pdf");
	assert_contains(text, "229.1"); /* 234567 bytes in KB */
	assert_contains(text, "建议三个月内完成计量器具校准。");
	assert_contains(text, "状态：已提交2021-04-20");
	assert_contains(text, "打印日期：2021-05-10");
	assert_contains(text, "第1页共");
	/* No re-assessment parts on a first diagnosis. */
	assert_lacks(text, "首次诊断");
	assert_lacks(text, "产品不良率");
	free(text);
	assert_no_overlap(&pdf);
	sbuf_free(&pdf);
}

static void test_diag_reassessment(void **state)
{
	(void)state;
	struct diag_print d = second_report();
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);

	char *text = pdf_text(&pdf, true);
	assert_contains(text, "再评估报告");
	assert_contains(text, "首次诊断");
	assert_contains(text, "变化");
	assert_contains(text, "2.6→3.8（+1.2）");
	assert_contains(text, "+2.5"); /* 改进: 1.6 → 4.1 */
	assert_contains(text, "3.2→3.8"); /* a radar label */
	assert_contains(text, "改进指标跟踪");
	assert_contains(text, "产品不良率（%）");
	assert_contains(text, "顾客投诉（次/季度）");
	assert_contains(text, "-1.4");
	/* A figure not entered reads "—" on its row, not an empty cell. */
	const char *qc = strstr(text, "质量成本率（%）");
	assert_non_null(qc);
	const char *eol = strchr(qc, '\n');
	const char *dash = strstr(qc, "—");
	assert_true(dash && (!eol || dash < eol));
	assert_contains(text, "经再评估，各条款得分均有提升。");
	assert_lacks(text, "自我评价"); /* no clause has a self-assessment */
	free(text);
	assert_no_overlap(&pdf);
	sbuf_free(&pdf);

	/* With a self-assessment too: three series and the column. */
	struct diag_print_clause clauses[ARRAY_SIZE(second_clauses)];
	memcpy(clauses, second_clauses, sizeof(clauses));
	clauses[0].has_self = true;
	clauses[0].self = 4.5;
	d.clauses = clauses;
	render_ok(&d, &pdf);
	text = pdf_text(&pdf, true);
	assert_contains(text, "自我评价");
	assert_contains(text, "企业自我评价"); /* the legend */
	assert_contains(text, "4.5");
	free(text);
	sbuf_free(&pdf);
}

/* 60 findings flow over several pages; every one is printed, header rows repeat. */
static void test_diag_many_findings(void **state)
{
	(void)state;
	enum { N = 60 };
	static const char *const kinds[] = {"blockage", "pain", "difficulty", ""};
	struct diag_print_finding many[N];
	char texts[N][256];
	for (int i = 0; i < N; i++) {
		snprintf(texts[i], sizeof(texts[i]),
			 "第%02d号发现：现场检查发现该过程的记录不完整，部分记录缺少审批签字，"
			 "相关人员对要求理解不一致，需要进一步培训并完善记录模板。",
			 i + 1);
		many[i] = (struct diag_print_finding){
			kinds[i % 4], "8.5.1-3",
			"生产和服务提供过程是否在受控条件下进行，包括获得成文信息、监视和测量资源？",
			i % 6, texts[i]};
	}
	struct diag_print d = second_report();
	d.findings = many;
	d.n_findings = N;
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);

	int pages = pdf_pages(&pdf);
	assert_true(pages > 3);
	char *text = pdf_text(&pdf, true);
	for (int i = 0; i < N; i++) {
		char squashed[256];
		snprintf(squashed, sizeof(squashed), "第%02d号发现：现场检查发现该过程的记录不完整，",
			 i + 1);
		assert_contains(text, squashed);
		assert_int_equal(count_of(text, texts[i]), 1);
	}
	/* Four groups, so four header rows, plus one for each page a table continues on. */
	assert_true(count_of(text, "检查要求与发现的问题") > 4);
	char page_no[64];
	snprintf(page_no, sizeof(page_no), "第%d页共%d页", pages, pages);
	assert_contains(text, page_no);
	assert_contains(text, "产品不良率（%）"); /* what follows the findings still comes */
	free(text);
	assert_no_overlap(&pdf);
	sbuf_free(&pdf);
}

/* A finding longer than a page is cut between lines; nothing is lost. */
static void test_diag_finding_longer_than_a_page(void **state)
{
	(void)state;
	struct sbuf huge = {0};
	sbuf_adds(&huge, "开头标记。");
	for (int i = 0; i < 80; i++)
		sbuf_printf(&huge, "第%d句：各部门之间的质量职责划分不清晰，导致问题处理推诿。", i + 1);
	sbuf_adds(&huge, "结尾标记。");
	struct diag_print_finding f[] = {
		{"pain", "5.3-1", "组织的岗位、职责和权限是否得到分派？", 2, huge.buf},
		{"pain", "5.3-2", "是否沟通了职责？", 3, "之后的发现。"},
	};
	struct diag_print d = first_report();
	d.findings = f;
	d.n_findings = 2;
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);
	assert_true(pdf_pages(&pdf) >= 3);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "开头标记。");
	assert_contains(text, "第1句：");
	assert_contains(text, "第40句：各部门之间的质量职责划分不清晰，导致问题处理推诿。");
	assert_contains(text, "第80句：各部门之间的质量职责划分不清晰，导致问题处理推诿。结尾标记。");
	assert_contains(text, "之后的发现。");
	free(text);
	assert_no_overlap(&pdf);
	sbuf_free(&pdf);
	sbuf_free(&huge);
}

/* Many clauses with long names: the radar labels keep clear of each other. */
static void test_diag_many_clauses(void **state)
{
	(void)state;
	static const char *const titles[] = {
		"组织环境", "领导作用", "策划", "支持", "运行", "绩效评价", "改进",
		"与顾客有关的过程及产品和服务要求的确定与评审",
		"外部提供的过程、产品和服务的控制", "设计和开发", "生产和服务提供", "放行"};
	enum { N = ARRAY_SIZE(titles) };
	struct diag_print_clause clauses[N];
	char numbers[N][16];
	for (int i = 0; i < N; i++) {
		snprintf(numbers[i], sizeof(numbers[i]), "%d", i + 4);
		clauses[i] = (struct diag_print_clause){
			.clause = numbers[i], .title = titles[i], .items = 5, .answered = 4, .na = 1,
			.has_score = i != 3, .score = 1.0 + 0.35 * i, .has_before = true,
			.before = 0.5 + 0.3 * i, .has_self = true, .self = 2.0};
	}
	struct diag_print d = second_report();
	d.clauses = clauses;
	d.n_clauses = N;
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "与顾客有关的过程及产品和服务要求的确定与评审");
	assert_contains(text, "15放行");
	free(text);
	assert_no_overlap(&pdf);
	sbuf_free(&pdf);
}

/* Only NULLs and zeros, then NULL strings inside every part: no crash, blanks printed. */
static void test_diag_blank(void **state)
{
	(void)state;
	struct diag_print d = {0};
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "问题诊断报告"); /* the title when none is given */
	assert_contains(text, "企业名称");
	assert_contains(text, "综合得分");
	assert_lacks(text, "各条款得分");
	assert_lacks(text, "发现的问题");
	assert_lacks(text, "证据清单");
	assert_lacks(text, "小结");
	free(text);
	sbuf_free(&pdf);

	static const struct diag_print_clause clauses[3] = {{0}};
	static const struct diag_print_finding f[] = {{0}, {"unknown-kind", NULL, NULL, -1, NULL}};
	static const struct diag_print_evidence ev[] = {{NULL, NULL, NULL, -1}};
	static const struct diag_print_indicator ind[] = {{NULL, NULL, NULL, NULL}};
	d = (struct diag_print){
		.round = 2,
		.summary = "",
		.clauses = clauses, .n_clauses = 3,
		.findings = f, .n_findings = 2,
		.evidence = ev, .n_evidence = 1,
		.indicators = ind, .n_indicators = 1,
	};
	render_ok(&d, &pdf);
	text = pdf_text(&pdf, true);
	assert_contains(text, "再评估报告");
	assert_contains(text, "其他问题");
	assert_contains(text, "证据清单");
	assert_contains(text, "改进指标跟踪");
	free(text);
	sbuf_free(&pdf);

	/* Counts without arrays, and negative counts, are treated as empty. */
	d = (struct diag_print){.n_clauses = 5, .n_findings = -3, .n_evidence = 2};
	render_ok(&d, &pdf);
	sbuf_free(&pdf);
}

/* Invalid UTF-8 and control characters must not break the document. */
static void test_diag_odd_input(void **state)
{
	(void)state;
	struct diag_print d = first_report();
	d.enterprise = "坏\xFF\xFE字节\x01企业";
	d.summary = "<b>&amp; 原文照印\r\n第二段";
	struct sbuf pdf = {0};
	render_ok(&d, &pdf);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "字节企业");
	assert_contains(text, "<b>&amp;原文照印");
	free(text);
	sbuf_free(&pdf);
}

static void test_diag_bad_args(void **state)
{
	(void)state;
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_diagnosis_pdf(NULL, &pdf, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(pdf.len, 0);
}

/* Server workers render at the same time: every document must come out whole. */
static void *render_in_thread(void *arg)
{
	int *failures = arg;
	for (int i = 0; i < 3; i++) {
		struct diag_print d = i % 2 ? second_report() : first_report();
		struct sbuf pdf = {0};
		char err[256];
		if (render_diagnosis_pdf(&d, &pdf, err, sizeof(err)) != 0 || pdf.len < 1000 ||
		    memcmp(pdf.buf, "%PDF-", 5) != 0 || !strstr(pdf.buf + pdf.len - 8, "%%EOF"))
			__atomic_add_fetch(failures, 1, __ATOMIC_SEQ_CST);
		sbuf_free(&pdf);
	}
	return NULL;
}

static void test_diag_threads(void **state)
{
	(void)state;
	enum { NTHREADS = 4 };
	pthread_t threads[NTHREADS];
	int failures = 0;
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, render_in_thread, &failures), 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(threads[i], NULL);
	assert_int_equal(failures, 0);
}

int main(void)
{
	render_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_first),
		cmocka_unit_test(test_diag_reassessment),
		cmocka_unit_test(test_diag_many_findings),
		cmocka_unit_test(test_diag_finding_longer_than_a_page),
		cmocka_unit_test(test_diag_many_clauses),
		cmocka_unit_test(test_diag_blank),
		cmocka_unit_test(test_diag_odd_input),
		cmocka_unit_test(test_diag_bad_args),
		cmocka_unit_test(test_diag_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
