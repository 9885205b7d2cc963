/*
 * test_render.c - the declaration PDF and the Excel tables, checked through
 * the tools a reader would use: pdftotext (poppler-utils) and unzip.
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

/*
 * The text of a PDF as `pdftotext -layout` sees it, or in reading order with
 * all white space removed (squashed), which joins what a table cell wrapped,
 * such as the two-line heading 「认证机构／填写」.
 */
static char *pdf_text(const struct sbuf *pdf, bool squashed)
{
	char *path = write_temp(pdf->buf, pdf->len, ".pdf");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "pdftotext %s '%s' - 2>/dev/null", squashed ? "" : "-layout",
		 path);
	char *text = run_capture(cmd);
	unlink(path);
	free(path);
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
	char *path = write_temp(pdf->buf, pdf->len, ".pdf");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null | sed -n 's/^Pages: *//p'", path);
	char *out = run_capture(cmd);
	int pages = atoi(out);
	free(out);
	unlink(path);
	free(path);
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

/* Whether fontconfig knows Liberation Sans (pdf.c sets ASCII runs in it). */
static bool have_liberation_sans(void)
{
	char *out = run_capture("fc-list 'Liberation Sans' family 2>/dev/null; true");
	bool found = strstr(out, "Liberation Sans") != NULL;
	free(out);
	return found;
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

/* ---- the declaration form ---- */

static const char cb_qualifications[] =
	"国家认证认可监督管理委员会批准号：CNCA-R-2002-001；"
	"中国合格评定国家认可委员会认可：质量管理体系（QMS）、环境管理体系（EMS）、"
	"职业健康安全管理体系（OHSMS）、能源管理体系（EnMS）、食品安全管理体系（FSMS）、"
	"信息安全管理体系（ISMS）、信息技术服务管理体系（ITSMS）；\n"
	"具备集成电路、生物医药、人工智能、高端装备等行业的专业审核员六十余名。";

static struct decl_print cb_declaration(void)
{
	return (struct decl_print){
		.programme_name = "上海市2021年小微企业质量管理体系认证提升行动",
		.unit_name = "沪联质量认证中心有限公司",
		.is_cb = true,
		.joins = 1,
		.industries = "不应出现的行业",
		.leader = "王建国",
		.contact = "13800138000 wangjg@example.cn",
		.province = "上海市",
		.founded = "2003-06-18",
		.ownership = "other",
		.ownership_other = "行业协会下属单位",
		.qualifications = cb_qualifications,
		.remarks = "原文照印：<b>&amp; 不作转义",
		.status_line = "状态：已提交（第 2 版）· 逾期提交",
		.printed_on = "2021-05-10",
	};
}

static struct decl_print district_declaration(void)
{
	return (struct decl_print){
		.programme_name = "上海市2021年小微企业质量管理体系认证提升行动",
		.unit_name = "浦东新区市场监督管理局",
		.is_cb = false,
		.joins = 1,
		.industries = "集成电路、生物医药、人工智能",
		.leader = "李敏",
		.contact = "021-58880000 limin@example.gov.cn",
		/* Certification-body fields the district must not see printed. */
		.province = "不应出现的省市",
		.founded = "1999-01-01",
		.ownership = "state_owned",
		.ownership_other = "不应出现的属性",
		.qualifications = "不应出现的资质",
		.remarks = NULL,
		.status_line = "状态：草稿",
		.printed_on = "2021-05-10",
	};
}

static void test_pdf_cb(void **state)
{
	(void)state;
	struct decl_print d = cb_declaration();
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_declaration_pdf(&d, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	/* "FSMS" and "ISMS" in Noto CJK's own Latin would make cairo 1.16 embed
	 * every CFF subroutine (about 1 MB); with the Latin font it is ~160 KB. */
	if (have_liberation_sans())
		assert_true(pdf.len < 400 * 1024);

	char *text = pdf_text(&pdf, false);
	assert_contains(text, "附件2");
	assert_contains(text, "小微企业质量管理体系提升行动");
	assert_contains(text, "试点工作申报表");
	assert_contains(text, "沪联质量认证中心有限公司");
	assert_contains(text, "行业协会下属单位");
	assert_contains(text, "集体所有制企业");
	assert_contains(text, "2003年6月18日");
	assert_contains(text, "王建国");
	assert_contains(text, "<b>&amp;");
	assert_contains(text, "打印日期：2021-05-10");
	assert_contains(text, "已提交（第 2 版）");
	assert_lacks(text, "不应出现的行业");
	assert_lacks(text, "页共");
	free(text);

	text = pdf_text(&pdf, true);
	assert_contains(text, "认证机构填写");
	assert_contains(text, "市场监管部门填写");
	assert_contains(text, "具备集成电路、生物医药、人工智能、高端装备等行业的专业审核员六十余名。");
	free(text);
	sbuf_free(&pdf);
}

static void test_pdf_district(void **state)
{
	(void)state;
	struct decl_print d = district_declaration();
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_declaration_pdf(&d, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);

	char *text = pdf_text(&pdf, false);
	assert_contains(text, "浦东新区市场监督管理局");
	assert_contains(text, "集成电路、生物医药、人工智能");
	assert_contains(text, "李敏");
	assert_contains(text, "021-58880000 limin@example.gov.cn");
	assert_lacks(text, "不应出现");
	assert_lacks(text, "1999");
	free(text);
	text = pdf_text(&pdf, true);
	assert_contains(text, "认证机构填写");
	assert_contains(text, "市场监管部门填写");
	free(text);
	sbuf_free(&pdf);
}

/* Only NULLs: the blank paper form. */
static void test_pdf_blank(void **state)
{
	(void)state;
	struct decl_print d = {.joins = -1};
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_declaration_pdf(&d, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	char *text = pdf_text(&pdf, false);
	assert_contains(text, "单位名称（盖章）");
	assert_contains(text, "其他（");
	free(text);
	sbuf_free(&pdf);
}

/* Remarks far longer than a page flow on to further pages, numbered. */
static void test_pdf_long_remarks(void **state)
{
	(void)state;
	struct sbuf remarks = {0};
	for (int i = 1; i <= 150; i++)
		sbuf_printf(&remarks, "第%d条：试点企业名单及帮扶计划另附，按季度报送推进情况。\n", i);
	struct decl_print d = cb_declaration();
	d.remarks = remarks.buf;
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_declaration_pdf(&d, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	int pages = pdf_pages(&pdf);
	assert_true(pages >= 3);

	/* pdftotext drops the spaces around the numbers in 「第 1 页 共 N 页」. */
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "第1条：");
	assert_contains(text, "第150条：");
	assert_contains(text, "（续）");
	char page_no[64];
	snprintf(page_no, sizeof(page_no), "第1页共%d页", pages);
	assert_contains(text, page_no);
	snprintf(page_no, sizeof(page_no), "第%d页共%d页", pages, pages);
	assert_contains(text, page_no);
	free(text);
	sbuf_free(&pdf);
	sbuf_free(&remarks);
}

/* Invalid UTF-8 and control characters must not break the document. */
static void test_pdf_odd_input(void **state)
{
	(void)state;
	struct decl_print d = district_declaration();
	d.unit_name = "坏\xFF\xFE字节\x01单位";
	d.remarks = "tab\tand\r\nCRLF";
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_declaration_pdf(&d, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "字节单位");
	assert_contains(text, "CRLF");
	free(text);
	sbuf_free(&pdf);
}

/* Server workers render at the same time: every document must come out whole. */
static void *render_in_thread(void *arg)
{
	int *failures = arg;
	for (int i = 0; i < 3; i++) {
		struct decl_print d = i % 2 ? cb_declaration() : district_declaration();
		struct sbuf pdf = {0};
		char err[256];
		if (render_declaration_pdf(&d, &pdf, err, sizeof(err)) != 0 || pdf.len < 1000 ||
		    memcmp(pdf.buf, "%PDF-", 5) != 0)
			__atomic_add_fetch(failures, 1, __ATOMIC_SEQ_CST);
		sbuf_free(&pdf);
	}
	return NULL;
}

static void test_pdf_threads(void **state)
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

/* ---- Excel ---- */

/* The worksheet XML (inline strings in constant-memory mode) plus any shared strings. */
static char *xlsx_strings(const struct sbuf *xlsx)
{
	char *path = write_temp(xlsx->buf, xlsx->len, ".xlsx");
	char cmd[600];
	snprintf(cmd, sizeof(cmd),
		 "unzip -p '%s' xl/worksheets/sheet1.xml; unzip -p '%s' xl/sharedStrings.xml "
		 "2>/dev/null; true",
		 path, path);
	char *xml = run_capture(cmd);
	unlink(path);
	free(path);
	return xml;
}

static char *xlsx_part(const struct sbuf *xlsx, const char *part)
{
	char *path = write_temp(xlsx->buf, xlsx->len, ".xlsx");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s'", path, part);
	char *xml = run_capture(cmd);
	unlink(path);
	free(path);
	return xml;
}

static void test_xlsx_table(void **state)
{
	(void)state;
	enum { NCOLS = 3, NROWS = 1000 };
	static const char *const headers[NCOLS] = {"单位名称", "统一社会信用代码", "备注"};
	static const double widths[NCOLS] = {30, 22, 0};
	char **cells = xcalloc(NCOLS * NROWS, sizeof(char *));
	for (int r = 0; r < NROWS; r++) {
		char buf[128];
		snprintf(buf, sizeof(buf), "上海第%d精密电子有限公司", r + 1);
		cells[r * NCOLS] = xstrdup(buf);
		snprintf(buf, sizeof(buf), "91310000%010d", r);
		cells[r * NCOLS + 1] = xstrdup(buf);
		/* column 3: NULL on even rows, a long wrapped text on odd ones */
		if (r % 2)
			cells[r * NCOLS + 2] = xstrdup("较长的说明文字，超过列宽时自动换行显示，<b>&amp;");
	}

	struct sbuf out = {0};
	char err[256] = "";
	int rc = render_xlsx_table("申报汇总", "2021年试点工作申报汇总表", headers, NCOLS,
				   (const char *const *)cells, NROWS, widths, &out, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_true(out.len > 1000);
	assert_memory_equal(out.buf, "PK", 2);

	char *xml = xlsx_strings(&out);
	assert_contains(xml, "统一社会信用代码");
	assert_contains(xml, "2021年试点工作申报汇总表");
	assert_contains(xml, "上海第1000精密电子有限公司");
	assert_contains(xml, "&lt;b&gt;&amp;amp;");
	assert_contains(xml, "<mergeCell ref=\"A1:C1\"/>");
	assert_contains(xml, "<autoFilter ref=\"A2:C1002\"/>");
	assert_contains(xml, "state=\"frozen\"");
	free(xml);
	char *book = xlsx_part(&out, "xl/workbook.xml");
	assert_contains(book, "name=\"申报汇总\"");
	free(book);

	sbuf_free(&out);
	for (int i = 0; i < NCOLS * NROWS; i++)
		free(cells[i]);
	free(cells);
}

static void test_xlsx_long_sheet_name(void **state)
{
	(void)state;
	/* 40 characters: cut to Excel's 31, by characters not bytes. */
	const char *name = "小微企业质量管理体系认证提升行动试点工作申报汇总表上海市市场监督管理局认证监督管";
	static const char *const headers[] = {"单位名称"};
	static const char *const cells[] = {"沪联质量认证中心", NULL};
	struct sbuf out = {0};
	char err[256] = "";
	assert_int_equal(render_xlsx_table(name, NULL, headers, 1, cells, 2, NULL, &out, err,
					   sizeof(err)),
			 0);
	assert_memory_equal(out.buf, "PK", 2);
	char *book = xlsx_part(&out, "xl/workbook.xml");
	assert_contains(book, "name=\"小微企业质量管理体系认证提升行动试点工作申报汇总表上海市市场监\"");
	free(book);
	sbuf_free(&out);

	/* Characters Excel forbids in sheet names, and an empty name. */
	assert_int_equal(render_xlsx_table("a/b:c*", NULL, headers, 1, cells, 1, NULL, &out, err,
					   sizeof(err)),
			 0);
	sbuf_free(&out);
	assert_int_equal(render_xlsx_table("", NULL, headers, 1, NULL, 0, NULL, &out, err,
					   sizeof(err)),
			 0);
	sbuf_free(&out);
}

static void test_xlsx_bad_args(void **state)
{
	(void)state;
	static const char *const headers[] = {"a"};
	struct sbuf out = {0};
	char err[256] = "";
	assert_int_equal(render_xlsx_table("x", NULL, headers, 0, NULL, 0, NULL, &out, err,
					   sizeof(err)),
			 -1);
	assert_true(err[0] != '\0');
	assert_int_equal(out.len, 0);
}

int main(void)
{
	render_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_cb),
		cmocka_unit_test(test_pdf_district),
		cmocka_unit_test(test_pdf_blank),
		cmocka_unit_test(test_pdf_long_remarks),
		cmocka_unit_test(test_pdf_odd_input),
		cmocka_unit_test(test_pdf_threads),
		cmocka_unit_test(test_xlsx_table),
		cmocka_unit_test(test_xlsx_long_sheet_name),
		cmocka_unit_test(test_xlsx_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
