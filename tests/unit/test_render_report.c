/*
 * test_render_report.c - the statutory report PDF (中期推进情况报告 /
 * 年度工作总结), checked through the tools a reader would use: pdftotext and
 * pdfinfo (poppler-utils). Text is matched "squashed" (white space removed)
 * where a line or a table cell may wrap it; word boxes (pdftotext -bbox) show
 * where things are printed: inside the margins, never over each other, a
 * heading on the page of its text, the signature with the text it signs.
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

/* The page as report.c lays it out (points): A4, 20 mm margins, the footer 8 mm below. */
#define MM (72.0 / 25.4)
#define PAGE_MARGIN (20 * MM)
#define BODY_BOTTOM ((297 - 20) * MM)
#define FOOTER_TOP ((297 - 20 + 8) * MM)

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

static void squash(char *text)
{
	char *w = text;
	for (const char *r = text; *r; r++)
		if (!strchr(" \t\r\n\f", *r))
			*w++ = *r;
	*w = '\0';
}

/* The text in reading order; squashed drops all white space, which joins
 * what a line or a table cell wrapped. */
static char *pdf_text(const struct sbuf *pdf, bool squashed)
{
	char *text = pdf_tool(pdf, "pdftotext", "-");
	if (squashed)
		squash(text);
	return text;
}

/* The squashed text of the body area of every page, without the running
 * header, draft band and footer: what flows from page to page. */
static char *pdf_body_text(const struct sbuf *pdf)
{
	char tool[128];
	snprintf(tool, sizeof(tool), "pdftotext -x 0 -y %d -W 600 -H %d", (int)(PAGE_MARGIN - 6),
		 (int)(BODY_BOTTOM - PAGE_MARGIN + 8));
	char *text = pdf_tool(pdf, tool, "-");
	squash(text);
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

/* "一五" for 15: markers of digits poppler keeps in one word with the Chinese around them. */
static void cn_number(int n, char *out, size_t outlen)
{
	static const char *const digits[] = {"〇", "一", "二", "三", "四",
					     "五", "六", "七", "八", "九"};
	char ascii[16];
	snprintf(ascii, sizeof(ascii), "%d", n);
	out[0] = '\0';
	for (const char *p = ascii; *p; p++)
		snprintf(out + strlen(out), outlen - strlen(out), "%s", digits[*p - '0']);
}

/* ---- word boxes ---- */

/* One word of `pdftotext -bbox`. */
struct word {
	int page;
	double x0, y0, x1, y1;
	char text[256];
};

struct words {
	struct word *w;
	size_t n;
	int pages;
	double page_w, page_h;
};

static void words_load(const struct sbuf *pdf, struct words *ws)
{
	char *xml = pdf_tool(pdf, "pdftotext -bbox", "-");
	size_t cap = 0;
	memset(ws, 0, sizeof(*ws));
	int page = -1;
	for (const char *p = xml; *p; p++) {
		if (strncmp(p, "<page ", 6) == 0) {
			page++;
			assert_int_equal(sscanf(p, "<page width=\"%lf\" height=\"%lf\"", &ws->page_w,
						&ws->page_h),
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
		if (ws->n == cap) {
			cap = cap ? 2 * cap : 256;
			ws->w = xrealloc(ws->w, cap * sizeof(*ws->w));
		}
		ws->w[ws->n++] = w;
	}
	ws->pages = page + 1;
	assert_true(ws->n > 0);
	free(xml);
}

/* The first word that starts with prefix, or NULL. */
static const struct word *word_find(const struct words *ws, const char *prefix)
{
	for (size_t i = 0; i < ws->n; i++)
		if (strncmp(ws->w[i].text, prefix, strlen(prefix)) == 0)
			return &ws->w[i];
	return NULL;
}

/*
 * Every printed word lies inside the side margins, and either in the body
 * (above BODY_BOTTOM) or in the footer (below FOOTER_TOP); no two words on
 * a page overlap (boxes shrunk by 1 pt: poppler's boxes use the font's full
 * ascent and descent, which touch between lines set at Noto's line height).
 */
static void assert_laid_out(const struct sbuf *pdf)
{
	struct words ws;
	words_load(pdf, &ws);
	for (size_t i = 0; i < ws.n; i++) {
		const struct word *w = &ws.w[i];
		if (w->x0 < PAGE_MARGIN - 1 || w->x1 > ws.page_w - PAGE_MARGIN + 1 || w->y0 < 0 ||
		    w->y1 > ws.page_h)
			fail_msg("word \"%s\" on page %d lies outside the margins", w->text,
				 w->page + 1);
		if (w->y1 > BODY_BOTTOM + 1 && w->y0 < FOOTER_TOP - 1)
			fail_msg("word \"%s\" on page %d runs into the bottom margin (y %.1f-%.1f)",
				 w->text, w->page + 1, w->y0, w->y1);
	}
	for (size_t i = 0; i < ws.n; i++) {
		for (size_t j = i + 1; j < ws.n && ws.w[j].page == ws.w[i].page; j++) {
			const struct word *a = &ws.w[i], *b = &ws.w[j];
			if (a->x0 + 1 < b->x1 - 1 && b->x0 + 1 < a->x1 - 1 && a->y0 + 1 < b->y1 - 1 &&
			    b->y0 + 1 < a->y1 - 1)
				fail_msg("\"%s\" and \"%s\" overlap on page %d", a->text, b->text,
					 a->page + 1);
		}
	}
	free(ws.w);
}

/* ---- fixtures ---- */

static const struct report_print_figure figures[] = {
	{"试点企业", "10 家", "本区纳入提升行动的小微企业数量"},
	{"已完成问题诊断", "8 家", "已提交问题诊断报告的企业"},
	{"诊断发现问题", "46 项", "其中堵点12项、痛点20项、难点14项"},
	{"平均得分提升", "+0.8 分", "再评估综合得分与首次诊断之差的平均值"},
	{"获证企业", "3 家", NULL},
};

static const struct report_print_section sections[] = {
	{"一、工作进展",
	 "我局成立了由分管局领导任组长的工作专班，制定了实施方案，明确了任务分工和时间节点。\n"
	 "\n"
	 "截至目前，全区共遴选试点企业10家，认证机构已完成8家企业的现场问题诊断。"},
	{"二、存在的问题",
	 "一是部分企业管理基础薄弱，体系文件与实际运行“两张皮”。\n\n"
	 "二是个别企业整改积极性不高。"},
	{"三、下一步工作安排", "督促认证机构按时完成剩余企业的问题诊断和再评估工作。"},
};

static struct report_print typical_report(void)
{
	return (struct report_print){
		.title = "浦东新区市场监管局 中期推进情况报告",
		.programme_name = "上海市2021年小微企业质量管理体系认证提升行动",
		.unit_name = "上海市浦东新区市场监督管理局",
		.kind_name = "中期推进情况",
		.due = "2021-05-31",
		.figures_at = "2021-05-17",
		.figures = figures,
		.n_figures = (int)ARRAY_SIZE(figures),
		.sections = sections,
		.n_sections = (int)ARRAY_SIZE(sections),
		.status_line = "状态：已提交（第 1 版）2021-05-17",
		.printed_on = "2021-05-18",
	};
}

static void render_ok(const struct report_print *r, struct sbuf *pdf)
{
	char err[256] = "";
	int rc = render_report_pdf(r, pdf, err, sizeof(err));
	if (rc != 0)
		fail_msg("render_report_pdf: %s", err);
	assert_pdf_envelope(pdf);
}

/* ---- tests ---- */

static void test_report_typical(void **state)
{
	(void)state;
	struct report_print r = typical_report();
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);

	char *text = pdf_text(&pdf, true);
	assert_contains(text, "浦东新区市场监管局中期推进情况报告");
	assert_contains(text, "上海市2021年小微企业质量管理体系认证提升行动");
	assert_contains(text, "报送单位上海市浦东新区市场监督管理局");
	assert_contains(text, "报告类型中期推进情况");
	assert_contains(text, "报送期限2021年5月31日");
	assert_contains(text, "数据截至2021年5月17日");
	assert_contains(text, "主要数据");
	assert_contains(text, "指标数值说明");
	for (size_t i = 0; i < ARRAY_SIZE(figures); i++) {
		char row[256];
		snprintf(row, sizeof(row), "%s%s", figures[i].label, figures[i].value);
		squash(row);
		assert_contains(text, row); /* label and value on one row */
		if (figures[i].note)
			assert_contains(text, figures[i].note);
	}
	/* Headings in order, each followed by its paragraphs. */
	const char *prev = text;
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		const char *h = strstr(text, sections[i].heading);
		assert_non_null(h);
		assert_true(h > prev);
		prev = h;
	}
	assert_contains(text, "一、工作进展我局成立了由分管局领导任组长的工作专班");
	assert_contains(text, "明确了任务分工和时间节点。截至目前，全区共遴选试点企业10家，"
			      "认证机构已完成8家企业的现场问题诊断。");
	assert_contains(text, "一是部分企业管理基础薄弱，体系文件与实际运行“两张皮”。");
	assert_contains(text, "二是个别企业整改积极性不高。三、下一步工作安排");
	assert_contains(text, "督促认证机构按时完成剩余企业的问题诊断和再评估工作。");
	/* The signature block comes last, after the text. */
	const char *sign = strstr(text, "报送单位（盖章）：");
	assert_non_null(sign);
	assert_true(sign > strstr(text, "督促认证机构"));
	assert_contains(sign, "报送单位（盖章）：日期：");
	assert_contains(sign, "年月日"); /* the blanks are drawn, not typed */
	assert_contains(text, "状态：已提交（第1版）2021-05-17");
	assert_contains(text, "打印日期：2021-05-18");
	assert_contains(text, "第1页共");
	assert_lacks(text, "草稿");
	assert_lacks(text, "暂无数据");
	free(text);

	char *info = pdf_tool(&pdf, "pdfinfo", "");
	assert_contains(info, "浦东新区市场监管局 中期推进情况报告");
	free(info);
	assert_laid_out(&pdf);
	sbuf_free(&pdf);
}

/* The 草稿 notice is on every page of a draft, and nowhere on a submitted report. */
static void test_report_draft(void **state)
{
	(void)state;
	struct sbuf big = {0};
	for (int i = 0; i < 60; i++)
		sbuf_adds(&big, "各试点企业对照标准逐条查找差距，认证机构派员驻点指导。\n\n");
	struct report_print_section secs[] = {{"一、工作进展", big.buf}};
	struct report_print r = typical_report();
	r.sections = secs;
	r.n_sections = 1;
	r.draft = true;
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);
	int pages = pdf_pages(&pdf);
	assert_true(pages >= 2);
	char *text = pdf_text(&pdf, true);
	assert_int_equal(count_of(text, "草稿（未提交）"), pages);
	/* The watermark is drawn, not set as text: it never breaks into a sentence. */
	assert_int_equal(count_of(text, "草稿"), pages);
	free(text);
	/* At the top, above the title. */
	struct words ws;
	words_load(&pdf, &ws);
	const struct word *band = word_find(&ws, "草稿（未提交）");
	const struct word *title = word_find(&ws, "浦东新区市场监管局");
	assert_non_null(band);
	assert_non_null(title);
	assert_int_equal(band->page, 0);
	assert_true(band->y1 < title->y0);
	free(ws.w);
	assert_laid_out(&pdf);
	sbuf_free(&pdf);

	r.draft = false;
	render_ok(&r, &pdf);
	text = pdf_text(&pdf, true);
	assert_lacks(text, "草稿");
	assert_lacks(text, "未提交");
	free(text);
	sbuf_free(&pdf);
	sbuf_free(&big);
}

/*
 * One section of some twenty pages: it flows over the pages with every
 * paragraph printed once and in order, inside the body area, nothing over
 * anything else; each page numbered; the signature after the last line.
 */
static void test_report_long_section(void **state)
{
	(void)state;
	enum { N = 200 };
	struct sbuf text_in = {0}, expected = {0};
	for (int i = 0; i < N; i++) {
		char mark[64];
		cn_number(i + 1, mark, sizeof(mark));
		struct sbuf para = {0};
		sbuf_printf(&para, "段落%s开始：", mark);
		for (int k = 0; k <= i % 7; k++)
			sbuf_adds(&para, "各试点企业按照实施方案要求认真对照质量管理体系标准逐条查找差距，"
					 "认证机构派出专业人员驻点指导，帮助企业梳理过程、完善文件。");
		sbuf_printf(&para, "段落%s结束。", mark);
		sbuf_printf(&text_in, "%s%s", i ? "\n\n" : "", para.buf);
		sbuf_adds(&expected, para.buf);
		sbuf_free(&para);
	}
	struct report_print_section secs[] = {
		{"一、工作进展", "本节之前的一段。"},
		{"二、试点企业提升情况", text_in.buf},
		{"三、下一步工作安排", "最后一段。"},
	};
	struct report_print r = typical_report();
	r.sections = secs;
	r.n_sections = 3;
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);

	int pages = pdf_pages(&pdf);
	assert_true(pages >= 18);
	/* All of the section, in order, split only where pages break. */
	char *body = pdf_body_text(&pdf);
	assert_contains(body, expected.buf);
	assert_contains(body, "二、试点企业提升情况段落一开始：");
	assert_contains(body, "段落二〇〇结束。三、下一步工作安排最后一段。报送单位（盖章）：");
	free(body);
	char *text = pdf_text(&pdf, true);
	for (int p = 1; p <= pages; p++) {
		char number[64];
		snprintf(number, sizeof(number), "第%d页共%d页", p, pages);
		assert_int_equal(count_of(text, number), 1);
	}
	assert_int_equal(count_of(text, "报送单位（盖章）："), 1);
	free(text);
	assert_laid_out(&pdf);

	/* Later pages carry the unit and the title at the top. */
	struct words ws;
	words_load(&pdf, &ws);
	int running = 0;
	for (size_t i = 0; i < ws.n; i++)
		if (ws.w[i].page > 0 && strcmp(ws.w[i].text, "上海市浦东新区市场监督管理局") == 0 &&
		    ws.w[i].y1 < PAGE_MARGIN)
			running++;
	assert_int_equal(running, pages - 1);
	free(ws.w);
	sbuf_free(&pdf);
	sbuf_free(&text_in);
	sbuf_free(&expected);
}

/*
 * Many sections of every length: each heading is on the page of the first
 * line of its text (never last on a page), and the signature shares its
 * page with the end of the text, never alone.
 */
static void test_report_headings_kept(void **state)
{
	(void)state;
	enum { N = 40 };
	char headings[N][64], texts[N][4096];
	struct report_print_section secs[N];
	for (int i = 0; i < N; i++) {
		char mark[32];
		cn_number(i + 1, mark, sizeof(mark));
		snprintf(headings[i], sizeof(headings[i]), "标题%s", mark);
		snprintf(texts[i], sizeof(texts[i]), "开篇%s：", mark);
		int sentences = (i * 5) % 11 + 1; /* one line to several paragraphs */
		for (int k = 0; k < sentences; k++)
			snprintf(texts[i] + strlen(texts[i]), sizeof(texts[i]) - strlen(texts[i]),
				 "%s认证机构派出专业人员驻点指导，帮助企业梳理过程。",
				 k % 4 == 3 ? "\n\n" : "");
		secs[i] = (struct report_print_section){headings[i], texts[i]};
	}
	struct report_print r = typical_report();
	r.sections = secs;
	r.n_sections = N;
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);
	assert_true(pdf_pages(&pdf) >= 3);
	struct words ws;
	words_load(&pdf, &ws);
	for (int i = 0; i < N; i++) {
		char mark[32], opening[64];
		cn_number(i + 1, mark, sizeof(mark));
		snprintf(opening, sizeof(opening), "开篇%s：", mark);
		const struct word *h = word_find(&ws, headings[i]), *t = word_find(&ws, opening);
		assert_non_null(h);
		assert_non_null(t);
		if (h->page != t->page)
			fail_msg("heading %s on page %d, its text on page %d", headings[i],
				 h->page + 1, t->page + 1);
		assert_true(h->y1 < t->y0);
	}
	free(ws.w);
	assert_laid_out(&pdf);
	sbuf_free(&pdf);
}

/*
 * A heading pushed down a line at a time past the foot of page 1: at every
 * step it stays on the page of its text's first lines, and a paragraph
 * keeps at least two lines on each side of the break.
 */
static void test_report_heading_at_foot(void **state)
{
	(void)state;
	struct sbuf before = {0};
	const char *after = "后文开始：认证机构派出专业人员驻点指导，帮助企业梳理过程、完善文件、"
			    "健全记录，推动质量管理由经验型向规范型转变，各试点企业按照实施方案要求"
			    "认真对照质量管理体系标准逐条查找差距，形成一企一策提升方案并逐项落实。"
			    "后文结束。";
	for (int n = 14; n <= 34; n++) {
		before.len = 0;
		sbuf_add(&before, "", 0);
		for (int i = 0; i < n; i++)
			sbuf_printf(&before, "%s前文一行。", i ? "\n\n" : "");
		struct report_print_section secs[] = {{"一、工作进展", before.buf},
						      {"二、后续标题", after}};
		struct report_print r = typical_report();
		r.sections = secs;
		r.n_sections = 2;
		struct sbuf pdf = {0};
		render_ok(&r, &pdf);
		struct words ws;
		words_load(&pdf, &ws);
		const struct word *h = word_find(&ws, "二、后续标题");
		const struct word *first = word_find(&ws, "后文开始");
		assert_non_null(h);
		assert_non_null(first);
		if (h->page != first->page)
			fail_msg("with %d lines before it the heading ends page %d alone", n,
				 h->page + 1);
		/* The paragraph's lines (one word each: the text has no spaces) in the
		 * body area, from its first to its last: two at least on any page. */
		const struct word *last = NULL;
		for (size_t i = 0; i < ws.n && !last; i++)
			if (strstr(ws.w[i].text, "后文结束"))
				last = &ws.w[i];
		assert_non_null(last);
		int lines[8] = {0};
		for (size_t i = 0; i < ws.n; i++) {
			const struct word *w = &ws.w[i];
			bool after_first = w->page > first->page ||
					   (w->page == first->page && w->y0 >= first->y0 - 1);
			bool before_last = w->page < last->page ||
					   (w->page == last->page && w->y0 <= last->y0 + 1);
			if (after_first && before_last && w->page < 8 &&
			    w->y0 > PAGE_MARGIN - 1 && w->y1 < BODY_BOTTOM + 1)
				lines[w->page]++;
		}
		for (int p = 0; p < 8; p++)
			if (lines[p] == 1)
				fail_msg("with %d lines before it a single line of the paragraph "
					 "is left on page %d",
					 n, p + 1);
		free(ws.w);
		sbuf_free(&pdf);
	}
	sbuf_free(&before);
}

/*
 * Whatever the length of the text, the signature block shares a page with
 * the text before it: one-line paragraphs, as many as it takes for the
 * signature to fall at the foot of page 1 or 2.
 */
static void test_report_signature_kept(void **state)
{
	(void)state;
	enum { MAX = 60 };
	struct sbuf text_in = {0};
	for (int n = 14; n <= MAX; n += 2) {
		text_in.len = 0;
		sbuf_add(&text_in, "", 0);
		for (int i = 0; i < n; i++) {
			char mark[32];
			cn_number(i + 1, mark, sizeof(mark));
			sbuf_printf(&text_in, "%s短段%s：本段只有一行。", i ? "\n\n" : "", mark);
		}
		struct report_print_section secs[] = {{"一、工作进展", text_in.buf}};
		struct report_print r = typical_report();
		r.sections = secs;
		r.n_sections = 1;
		struct sbuf pdf = {0};
		render_ok(&r, &pdf);
		struct words ws;
		words_load(&pdf, &ws);
		const struct word *sign = word_find(&ws, "报送单位（盖章）");
		assert_non_null(sign);
		bool with_text = false;
		for (size_t i = 0; i < ws.n; i++)
			if (ws.w[i].page == sign->page && strncmp(ws.w[i].text, "短段", 6) == 0)
				with_text = true;
		if (!with_text)
			fail_msg("with %d paragraphs the signature is alone on page %d", n,
				 sign->page + 1);
		/* Nothing is lost by moving text along with it. */
		char last[64], mark[32];
		cn_number(n, mark, sizeof(mark));
		snprintf(last, sizeof(last), "短段%s：", mark);
		assert_non_null(word_find(&ws, last));
		free(ws.w);
		sbuf_free(&pdf);
	}
	sbuf_free(&text_in);
}

/* Blank lines of any kind separate paragraphs; writers' indentation and odd bytes are harmless. */
static void test_report_odd_input(void **state)
{
	(void)state;
	struct report_print_section secs[] = {
		{"一、<b>标题</b>",
		 "\xE3\x80\x80\xE3\x80\x80第一段&amp;原文照印\r\n第一段第二行\r\n \t\r\n"
		 "    第二段\xFF\xFE坏字节\x01控制符\n\n\n\n第三段"},
	};
	struct report_print r = typical_report();
	r.title = "坏\xFF标题";
	r.unit_name = "单位\x02名称";
	r.sections = secs;
	r.n_sections = 1;
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "一、<b>标题</b>");
	assert_contains(text, "第一段&amp;原文照印第一段第二行第二段");
	assert_contains(text, "坏字节控制符第三段");
	assert_contains(text, "单位名称");
	free(text);
	assert_laid_out(&pdf);
	sbuf_free(&pdf);
}

/* A title is made from the kind when none is given. */
static void test_report_title_from_kind(void **state)
{
	(void)state;
	struct report_print r = typical_report();
	r.title = NULL;
	r.kind_name = "年度工作总结";
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "行动年度工作总结报送单位"); /* programme, title, table */
	assert_lacks(text, "总结报告");
	free(text);
	sbuf_free(&pdf);

	r.kind_name = "中期推进情况";
	render_ok(&r, &pdf);
	text = pdf_text(&pdf, true);
	assert_contains(text, "中期推进情况报告");
	free(text);
	sbuf_free(&pdf);
}

/* Only NULLs and zeros, then NULL strings inside every part: no crash, blanks printed. */
static void test_report_blank(void **state)
{
	(void)state;
	struct report_print r = {0};
	struct sbuf pdf = {0};
	render_ok(&r, &pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "工作报告");
	assert_contains(text, "报送单位");
	assert_contains(text, "主要数据");
	assert_contains(text, "暂无数据");
	assert_contains(text, "报送单位（盖章）：");
	assert_contains(text, "第1页共1页");
	assert_lacks(text, "草稿");
	free(text);
	sbuf_free(&pdf);

	static const struct report_print_figure f[] = {{NULL, NULL, NULL}, {"指标甲", NULL, ""}};
	static const struct report_print_section s[] = {
		{NULL, NULL}, {"二、只有标题", NULL}, {NULL, "只有正文。"}, {"", "\n\n \n"}};
	r = (struct report_print){
		.draft = true,
		.figures = f, .n_figures = 2,
		.sections = s, .n_sections = 4,
	};
	render_ok(&r, &pdf);
	text = pdf_text(&pdf, true);
	assert_contains(text, "草稿（未提交）");
	assert_contains(text, "指标甲");
	assert_contains(text, "二、只有标题只有正文。");
	free(text);
	assert_laid_out(&pdf);
	sbuf_free(&pdf);

	/* Counts without arrays, and negative counts, are treated as empty. */
	r = (struct report_print){.n_figures = 5, .n_sections = 3};
	render_ok(&r, &pdf);
	sbuf_free(&pdf);
	r = (struct report_print){.figures = f, .n_figures = -1, .sections = s, .n_sections = -4};
	render_ok(&r, &pdf);
	sbuf_free(&pdf);
}

static void test_report_bad_args(void **state)
{
	(void)state;
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_report_pdf(NULL, &pdf, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_int_equal(pdf.len, 0);
	struct report_print r = typical_report();
	err[0] = '\0';
	assert_int_equal(render_report_pdf(&r, NULL, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

/* Server workers render at the same time: every document must come out whole. */
static void *render_in_thread(void *arg)
{
	int *failures = arg;
	for (int i = 0; i < 3; i++) {
		struct report_print r = typical_report();
		r.draft = i % 2;
		struct sbuf pdf = {0};
		char err[256];
		if (render_report_pdf(&r, &pdf, err, sizeof(err)) != 0 || pdf.len < 1000 ||
		    memcmp(pdf.buf, "%PDF-", 5) != 0 || !strstr(pdf.buf + pdf.len - 8, "%%EOF"))
			__atomic_add_fetch(failures, 1, __ATOMIC_SEQ_CST);
		sbuf_free(&pdf);
	}
	return NULL;
}

static void test_report_threads(void **state)
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
		cmocka_unit_test(test_report_typical),
		cmocka_unit_test(test_report_draft),
		cmocka_unit_test(test_report_long_section),
		cmocka_unit_test(test_report_headings_kept),
		cmocka_unit_test(test_report_heading_at_foot),
		cmocka_unit_test(test_report_signature_kept),
		cmocka_unit_test(test_report_odd_input),
		cmocka_unit_test(test_report_title_from_kind),
		cmocka_unit_test(test_report_blank),
		cmocka_unit_test(test_report_bad_args),
		cmocka_unit_test(test_report_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
