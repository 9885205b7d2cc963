/*
 * test_render_cert.c - the certificate PDF and the QR code SVG, checked
 * through the tools a reader would use: pdftotext and pdfinfo
 * (poppler-utils), and zbarimg (zbar-tools) to scan the QR codes back.
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

/* Run a command and return everything it printed (malloc'd); exit status in *status. */
static char *run_status(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct sbuf sb = {0};
	char chunk[8192];
	size_t n;
	sbuf_add(&sb, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		sbuf_add(&sb, chunk, n);
	*status = pclose(p);
	return sb.buf;
}

static char *run_capture(const char *cmd)
{
	int status;
	char *out = run_status(cmd, &status);
	assert_int_equal(status, 0);
	return out;
}

static bool have_tool(const char *name)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1 && echo yes; true", name);
	char *out = run_capture(cmd);
	bool found = strncmp(out, "yes", 3) == 0;
	free(out);
	return found;
}

/* The text of a PDF as pdftotext sees it; squashed drops all white space, which
 * joins what a wrapped value split across lines. */
static char *pdf_text(const struct sbuf *pdf, bool squashed)
{
	char *path = write_temp(pdf->buf, pdf->len, ".pdf");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null", path);
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

/* What zbarimg reads in an image file (trailing newline removed; "" for nothing). */
static char *scan_image(const char *path)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "zbarimg -q --raw --nodbus '%s' 2>/dev/null", path);
	int status;
	char *out = run_status(cmd, &status);
	size_t n = strlen(out);
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

/* The QR code of the certificate's page, scanned at 150 dpi. */
static char *scan_pdf(const struct sbuf *pdf)
{
	char *path = write_temp(pdf->buf, pdf->len, ".pdf");
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "pdftoppm -png -r 150 -singlefile '%s' '%s.page'", path, path);
	free(run_capture(cmd));
	char png[600];
	snprintf(png, sizeof(png), "%s.page.png", path);
	char *text = scan_image(png);
	unlink(png);
	unlink(path);
	free(path);
	return text;
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

static int count(const char *hay, const char *needle)
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

#define VERIFY_URL "https://qmslift.example.cn/verify/03410Q10286R0S"

static struct cert_print sample(void)
{
	return (struct cert_print){
		.number = "03410Q10286R0S",
		.holder = "上海浦江精密电子有限公司",
		.uscc = "91310115MA1K3YJ87X",
		.address = "上海市浦东新区张江高科技园区碧波路 690 号 3 幢 501 室",
		.sites = "上海市浦东新区碧波路 690 号；上海市闵行区春东路 508 号 2 号厂房",
		.scope = "电子元器件的设计、生产和销售 <b>&amp;",
		.standard = "GB/T 19001-2016/ISO 9001:2015",
		.scheme = "质量管理体系认证",
		.first_issue = "2018-06-15",
		.issue = "2021-06-15",
		.expiry = "2024-06-14",
		.headcount = 48,
		.status_label = "有效",
		.issuer = "沪联质量认证中心有限公司",
		.verify_url = VERIFY_URL,
	};
}

/* ---- the certificate ---- */

static void test_cert_pdf(void **state)
{
	(void)state;
	struct cert_print c = sample();
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	/* Three fonts subset (Noto Serif CJK regular and bold, Liberation): ~180 KB. */
	assert_true(pdf.len < 400 * 1024);

	char *text = pdf_text(&pdf, false);
	assert_contains(text, "质量管理体系认证证书");
	assert_contains(text, "03410Q10286R0S");
	assert_contains(text, "上海浦江精密电子有限公司");
	assert_contains(text, "91310115MA1K3YJ87X");
	assert_contains(text, "GB/T 19001-2016/ISO 9001:2015");
	assert_contains(text, "<b>&amp;"); /* text, not markup */
	assert_contains(text, "2018年6月15日");
	assert_contains(text, "2021年6月15日");
	assert_contains(text, "2024年6月14日");
	assert_contains(text, "48 人");
	assert_int_equal(count(text, "有效"), 2); /* 有效期至 and the status */
	assert_contains(text, "沪联质量认证中心有限公司");
	assert_contains(text, "（发证机构盖章）");
	assert_contains(text, "扫码核验证书状态");
	assert_contains(text, VERIFY_URL);
	assert_lacks(text, "全国认证认可信息公共服务平台");
	free(text);

	text = pdf_text(&pdf, true);
	assert_contains(text, "兹证明上述组织的质量管理体系符合认证依据的要求，特发此证。");
	static const char *const labels[] = {
		"获证组织", "统一社会信用代码", "注册地址", "认证覆盖的场所", "认证范围", "认证依据",
		"认证项目", "初次颁证日期", "本次颁证日期", "有效期至", "覆盖人数", "证书状态",
	};
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		assert_contains(text, labels[i]);
	free(text);
	sbuf_free(&pdf);
}

/* The QR code on the page scans back to the verify URL. */
static void test_cert_qr_scans(void **state)
{
	(void)state;
	if (!have_tool("zbarimg") || !have_tool("pdftoppm"))
		skip();
	struct cert_print c = sample();
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	char *scanned = scan_pdf(&pdf);
	assert_string_equal(scanned, VERIFY_URL);
	free(scanned);
	sbuf_free(&pdf);
}

/* A scope of a few lines wraps in full; one of many pages is cut with "…" to keep one page. */
static void test_cert_long_scope(void **state)
{
	(void)state;
	struct sbuf scope = {0};
	for (int i = 1; i <= 4; i++)
		sbuf_printf(&scope, "第%d类：电子元器件（片式电阻、电容、电感）的设计、生产和销售；"
				    "PCBA 加工及相关技术服务。", i);
	struct cert_print c = sample();
	c.scope = scope.buf;
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	assert_int_equal(pdf_pages(&pdf), 1);
	char *text = pdf_text(&pdf, true);
	assert_contains(text, "第1类：电子元器件（片式电阻、电容、电感）的设计、生产和销售；");
	assert_contains(text, "第4类：电子元器件（片式电阻、电容、电感）的设计、生产和销售；"
			      "PCBA加工及相关技术服务。");
	assert_lacks(text, "…");
	free(text);
	sbuf_free(&pdf);

	/* 2,000 clauses (~140,000 characters): shrunk, cut, still one page with everything else. */
	scope.len = 0;
	for (int i = 1; i <= 2000; i++)
		sbuf_printf(&scope, "第%d类：电子元器件的设计、生产和销售；PCBA 加工及相关技术服务。", i);
	c.scope = scope.buf;
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	text = pdf_text(&pdf, true);
	assert_contains(text, "第1类：电子元器件的设计");
	assert_lacks(text, "第2000类"); /* cut (pdftotext does not return the "…" itself) */
	assert_contains(text, "GB/T19001-2016/ISO9001:2015"); /* the fields after the scope */
	assert_contains(text, "兹证明上述组织");
	assert_contains(text, "扫码核验证书状态");
	free(text);
	sbuf_free(&pdf);
	sbuf_free(&scope);
}

/* Other statuses print; a blank certificate and odd bytes do not break the page. */
static void test_cert_status_and_blank(void **state)
{
	(void)state;
	struct cert_print c = sample();
	c.status_label = "暂停";
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	char *text = pdf_text(&pdf, false);
	assert_contains(text, "暂停");
	assert_int_equal(count(text, "有效"), 1); /* 有效期至 only */
	free(text);
	sbuf_free(&pdf);

	struct cert_print blank = {0};
	assert_int_equal(render_certificate_pdf(&blank, &pdf, err, sizeof(err)), 0);
	assert_pdf_envelope(&pdf);
	assert_int_equal(pdf_pages(&pdf), 1);
	text = pdf_text(&pdf, true);
	assert_contains(text, "质量管理体系认证证书");
	assert_contains(text, "获证组织");
	assert_lacks(text, "扫码核验证书状态"); /* no URL, no QR code */
	assert_int_equal(count(text, "人"), 1); /* 覆盖人数 only: headcount 0 prints blank */
	free(text);
	sbuf_free(&pdf);

	c = sample();
	c.holder = "坏\xFF\xFE字节\x01组织";
	c.headcount = -5;
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), 0);
	text = pdf_text(&pdf, true);
	assert_contains(text, "字节组织");
	assert_lacks(text, "-5");
	free(text);
	sbuf_free(&pdf);
}

static void test_cert_errors(void **state)
{
	(void)state;
	struct sbuf pdf = {0};
	char err[256] = "";
	assert_int_equal(render_certificate_pdf(NULL, &pdf, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');

	/* More than a QR code holds (2,331 bytes at level M): refused, out untouched. */
	char *url = xmalloc(5001);
	memset(url, 'a', 5000);
	url[5000] = '\0';
	struct cert_print c = sample();
	c.verify_url = url;
	sbuf_adds(&pdf, "kept");
	err[0] = '\0';
	assert_int_equal(render_certificate_pdf(&c, &pdf, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_string_equal(pdf.buf, "kept");
	free(url);
	sbuf_free(&pdf);
}

/* Certificates and declarations rendered at once share the font map safely. */
static void *render_in_thread(void *arg)
{
	int *failures = arg;
	for (int i = 0; i < 3; i++) {
		struct sbuf pdf = {0};
		char err[256];
		int rc;
		if (i % 2) {
			struct decl_print d = {.unit_name = "浦东新区市场监督管理局", .joins = 1};
			rc = render_declaration_pdf(&d, &pdf, err, sizeof(err));
		} else {
			struct cert_print c = sample();
			rc = render_certificate_pdf(&c, &pdf, err, sizeof(err));
		}
		if (rc != 0 || pdf.len < 1000 || memcmp(pdf.buf, "%PDF-", 5) != 0)
			__atomic_add_fetch(failures, 1, __ATOMIC_SEQ_CST);
		sbuf_free(&pdf);
	}
	return NULL;
}

static void test_cert_threads(void **state)
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

/* ---- the QR code as SVG ---- */

/*
 * Paint the SVG's path ("M x y h n v1 h-n z" runs) into a grey-map, `scale`
 * pixels a module, and write it as a PGM file zbarimg can read. Returns its path.
 */
static char *svg_to_pgm(const char *svg, int side, int scale)
{
	const char *d = strstr(svg, " d=\"");
	assert_non_null(d);
	d += 4;
	int px = side * scale;
	unsigned char *img = xmalloc((size_t)px * (size_t)px);
	memset(img, 255, (size_t)px * (size_t)px);
	int x, y, n, n2, used;
	while (*d != '"') {
		assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &n2, &used), 4);
		assert_int_equal(n, n2);
		assert_true(x >= 4 && y >= 4 && x + n <= side - 4 && y < side - 4); /* quiet zone */
		for (int r = y * scale; r < (y + 1) * scale; r++)
			memset(img + (size_t)r * (size_t)px + (size_t)(x * scale), 0, (size_t)(n * scale));
		d += used;
	}
	struct sbuf pgm = {0};
	sbuf_printf(&pgm, "P5\n%d %d\n255\n", px, px);
	sbuf_add(&pgm, (const char *)img, (size_t)px * (size_t)px);
	char *path = write_temp(pgm.buf, pgm.len, ".pgm");
	sbuf_free(&pgm);
	free(img);
	return path;
}

static void test_qr_svg(void **state)
{
	(void)state;
	struct sbuf svg = {0};
	char err[256] = "";
	assert_int_equal(render_qr_svg(VERIFY_URL, &svg, err, sizeof(err)), 0);
	assert_memory_equal(svg.buf, "<svg", 4);
	assert_contains(svg.buf, "xmlns=\"http://www.w3.org/2000/svg\"");
	assert_contains(svg.buf, "shape-rendering=\"crispEdges\"");
	assert_contains(svg.buf, "<path");
	assert_contains(svg.buf, "</svg>");
	/* One path; the side is a QR version's (17 + 4v modules) plus 2 x 4 quiet modules. */
	assert_null(strstr(strstr(svg.buf, "<path") + 1, "<path"));
	int side = 0;
	assert_int_equal(sscanf(strstr(svg.buf, "viewBox="), "viewBox=\"0 0 %d", &side), 1);
	assert_true(side >= 21 + 8 && (side - 8 - 17) % 4 == 0);

	if (have_tool("zbarimg")) {
		char *pgm = svg_to_pgm(svg.buf, side, 6);
		char *scanned = scan_image(pgm);
		assert_string_equal(scanned, VERIFY_URL);
		free(scanned);
		unlink(pgm);
		free(pgm);
	}
	sbuf_free(&svg);

	/* Chinese text is encoded as UTF-8 bytes. */
	assert_int_equal(render_qr_svg("证书 03410Q10286R0S", &svg, err, sizeof(err)), 0);
	assert_memory_equal(svg.buf, "<svg", 4);
	sbuf_free(&svg);
}

static void test_qr_svg_errors(void **state)
{
	(void)state;
	struct sbuf svg = {0};
	char err[256] = "";
	assert_int_equal(render_qr_svg(NULL, &svg, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_int_equal(render_qr_svg("", &svg, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	char *big = xmalloc(3001);
	memset(big, 'x', 3000);
	big[3000] = '\0';
	err[0] = '\0';
	assert_int_equal(render_qr_svg(big, &svg, err, sizeof(err)), -1);
	assert_contains(err, "过长");
	assert_int_equal(svg.len, 0);
	free(big);
	sbuf_free(&svg);
}

int main(void)
{
	render_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_pdf),
		cmocka_unit_test(test_cert_qr_scans),
		cmocka_unit_test(test_cert_long_scope),
		cmocka_unit_test(test_cert_status_and_blank),
		cmocka_unit_test(test_cert_errors),
		cmocka_unit_test(test_cert_threads),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_qr_svg_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
