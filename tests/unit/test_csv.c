/*
 * test_csv.c - encoding detection and the RFC 4180 record reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "util.h"

#define MAXF 16

/* One reader over a string literal, with room for records and an error. */
struct rd {
	struct csv_reader r;
	char buf[1024];
	char *f[MAXF];
	char err[256];
};

static void rd_init(struct rd *x, const char *data, size_t len)
{
	memset(x, 0, sizeof(*x));
	csv_init(&x->r, data, len);
}

static int rd_next(struct rd *x)
{
	return csv_next(&x->r, x->buf, sizeof(x->buf), x->f, MAXF, x->err, sizeof(x->err));
}

/*
 * Parse all of data and render it as "[a|b]\n[c]\n..." (one bracket per
 * record), or "ERR <message>" at the first error.
 */
static char *render(const char *data, size_t len, char delim)
{
	static char out[8192];
	struct rd x;
	rd_init(&x, data, len);
	if (delim)
		x.r.delimiter = delim;
	size_t o = 0;
	out[0] = '\0';
	int n;
	while ((n = rd_next(&x)) > 0) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "[");
		for (int i = 0; i < n; i++)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "|" : "", x.f[i]);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "]\n");
	}
	if (n < 0)
		snprintf(out + o, sizeof(out) - o, "ERR %s", x.err);
	return out;
}

#define R(lit) render((lit), sizeof(lit) - 1, 0)

/* ---- detection ---- */

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(csv_detect("a,b\n", 4), CSV_UTF8);
	assert_int_equal(csv_detect("企业名称,统一社会信用代码\n", strlen("企业名称,统一社会信用代码\n")),
			 CSV_UTF8);
	assert_int_equal(csv_detect("\xEF\xBB\xBF企业名称\n", strlen("\xEF\xBB\xBF企业名称\n")),
			 CSV_UTF8_BOM);
	assert_int_equal(csv_detect("\xEF\xBB\xBF", 3), CSV_UTF8_BOM);
	assert_int_equal(csv_detect("", 0), CSV_UTF8);
	assert_int_equal(csv_detect(NULL, 0), CSV_UTF8);

	/* "企业名称" in GBK. */
	static const char gbk[] = "\xD0\xC6\xD2\xB5\xC3\xFB\xB3\xC6";
	assert_int_equal(csv_detect(gbk, 8), CSV_GBK_LIKELY);
	static const char gbk_csv[] = "\xD0\xC6\xD2\xB5\xC3\xFB\xB3\xC6,USCC\r\n"
				      "\xC9\xCF\xBA\xA3,91310000607216596U\r\n"; /* 上海 */
	assert_int_equal(csv_detect(gbk_csv, sizeof(gbk_csv) - 1), CSV_GBK_LIKELY);
	/* A GB18030 four-byte sequence (U+20AC is 0xA2E3; 81 30 81 30 is U+0080). */
	assert_int_equal(csv_detect("a\x81\x30\x81\x30z", 6), CSV_GBK_LIKELY);
	/* Code page 936's euro sign. */
	assert_int_equal(csv_detect("\x80\xD0\xC6", 3), CSV_GBK_LIKELY);

	/* Binary: NUL bytes, anywhere; invalid as both encodings. */
	assert_int_equal(csv_detect("a,b\0c\n", 6), CSV_BINARY);
	assert_int_equal(csv_detect("\xEF\xBB\xBF" "a\0", 5), CSV_BINARY);
	assert_int_equal(csv_detect("PK\x03\x04\x14\0\x06\0", 8), CSV_BINARY); /* xlsx (zip) */
	assert_int_equal(csv_detect("%PDF-1.7\n\xE2\xE3\xCF\xD3\n\0", 16), CSV_BINARY);
	assert_int_equal(csv_detect("\xD0", 1), CSV_BINARY);         /* lead without trail */
	assert_int_equal(csv_detect("\xD0\x7F", 2), CSV_BINARY);     /* 7F is no trail */
	assert_int_equal(csv_detect("\xD0\x20", 2), CSV_BINARY);
	assert_int_equal(csv_detect("\xFF\xFE" "a", 3), CSV_BINARY); /* UTF-16 BOM */
	assert_int_equal(csv_detect("\x81\x30\x81", 3), CSV_BINARY); /* cut four-byte */

	/* Strict UTF-8: overlong, surrogate and cut sequences are not UTF-8. */
	assert_int_equal(csv_detect("\xC0\xAF", 2), CSV_GBK_LIKELY); /* overlong '/', but GBK-shaped */
	assert_int_equal(csv_detect("\xED\xA0\x80", 3), CSV_GBK_LIKELY); /* a surrogate */
	assert_int_equal(csv_detect("\xE4\xBC", 2), CSV_GBK_LIKELY);
	assert_int_equal(csv_detect("\xF0\x9F\x98\x80", 4), CSV_UTF8); /* emoji */
	assert_int_equal(csv_detect("\xF4\x90\x80\x80", 4), CSV_GBK_LIKELY); /* > U+10FFFF */
}

/* ---- records ---- */

static void test_simple(void **state)
{
	(void)state;
	assert_string_equal(R("a,b,c\n1,2,3\n"), "[a|b|c]\n[1|2|3]\n");
	assert_string_equal(R("a,b,c\n1,2,3"), "[a|b|c]\n[1|2|3]\n"); /* no final newline */
	assert_string_equal(R("a,b\r\n1,2\r\n"), "[a|b]\n[1|2]\n");
	assert_string_equal(R("a,b\r1,2\r"), "[a|b]\n[1|2]\n"); /* lone CR */
	assert_string_equal(R("a\n\n\nb\r\n\r\nc\n"), "[a]\n[b]\n[c]\n");
	assert_string_equal(R("\n\n"), "");
	assert_string_equal(R(""), "");
	assert_string_equal(R("x"), "[x]\n");
	/* Whitespace is data. */
	assert_string_equal(R(" a , b \n   \n"), "[ a | b ]\n[   ]\n");
	assert_string_equal(R("\ta\t\n"), "[\ta\t]\n");
	/* UTF-8 text. */
	assert_string_equal(R("企业名称,区\n上海浦江精密电子有限公司,浦东新区\n"),
			    "[企业名称|区]\n[上海浦江精密电子有限公司|浦东新区]\n");
}

static void test_empty_fields(void **state)
{
	(void)state;
	assert_string_equal(R("a,,b\n"), "[a||b]\n");
	assert_string_equal(R("a,b,\n"), "[a|b|]\n");
	assert_string_equal(R("a,b,"), "[a|b|]\n");
	assert_string_equal(R(",a\n"), "[|a]\n");
	assert_string_equal(R(",\n"), "[|]\n");
	assert_string_equal(R(",,\r\n"), "[||]\n");
	assert_string_equal(R("\"\"\n"), "[]\n"); /* one empty quoted field, not a blank line */
	assert_string_equal(R("\"\",\"\"\n"), "[|]\n");

	struct rd x;
	rd_init(&x, "a,,b\na,b,\n", 10);
	assert_int_equal(rd_next(&x), 3);
	assert_string_equal(x.f[1], "");
	assert_int_equal(rd_next(&x), 3);
	assert_string_equal(x.f[2], "");
	assert_int_equal(rd_next(&x), 0);
	assert_int_equal(rd_next(&x), 0); /* and stays at the end */
}

static void test_quotes(void **state)
{
	(void)state;
	assert_string_equal(R("\"a,b\",c\n"), "[a,b|c]\n");
	assert_string_equal(R("\"say \"\"hi\"\"\",x\n"), "[say \"hi\"|x]\n");
	assert_string_equal(R("\"\"\"\"\n"), "[\"]\n");
	assert_string_equal(R("\"line1\nline2\",b\n"), "[line1\nline2|b]\n");
	assert_string_equal(R("\"line1\r\nline2\"\r\nc\r\n"), "[line1\r\nline2]\n[c]\n");
	assert_string_equal(R("\"\n\n\"\n"), "[\n\n]\n"); /* blank lines inside quotes are data */
	assert_string_equal(R("\"a\""), "[a]\n");
	assert_string_equal(R("\"a\",\"b\""), "[a|b]\n");
	/* A quote inside an unquoted field is kept. */
	assert_string_equal(R("ab\"c,d\n"), "[ab\"c|d]\n");
	assert_string_equal(R(" \"a\" ,b\n"), "[ \"a\" |b]\n");
	/* Quoted fields with Chinese text and the full-width comma. */
	assert_string_equal(R("\"上海，浦东\",\"张江, 高科\"\n"), "[上海，浦东|张江, 高科]\n");
}

static void test_bom(void **state)
{
	(void)state;
	assert_string_equal(R("\xEF\xBB\xBF企业名称,代码\r\n甲,1\r\n"), "[企业名称|代码]\n[甲|1]\n");
	assert_string_equal(R("\xEF\xBB\xBF\"a\",b\n"), "[a|b]\n");
	assert_string_equal(R("\xEF\xBB\xBF"), "");
	/* Only a leading BOM is skipped. */
	assert_string_equal(R("a\n\xEF\xBB\xBF" "b\n"), "[a]\n[\xEF\xBB\xBF" "b]\n");
}

static void test_delimiter(void **state)
{
	(void)state;
	assert_string_equal(render("a;b,c;\"d;e\"\n", 12, ';'), "[a|b,c|d;e]\n");
	assert_string_equal(render("a\tb\t\tc\n", 7, '\t'), "[a|b||c]\n");
	assert_string_equal(render("a,b\n", 4, '"'), "ERR 第 1 行：分隔符无效");
}

static void test_errors(void **state)
{
	(void)state;
	assert_string_equal(R("a,b\n\"open,c\nd\n"), "[a|b]\nERR 第 2 行：引号未闭合");
	assert_string_equal(R("\"abc"), "ERR 第 1 行：引号未闭合");
	assert_string_equal(R("a\nb\n\"x\"\"\n"), "[a]\n[b]\nERR 第 3 行：引号未闭合");
	assert_string_equal(R("a\n\"x\"y,z\n"),
			    "[a]\nERR 第 2 行：引号后应紧跟分隔符或换行（字段中的引号需写成两个）");
	/* NUL bytes (csv_detect says binary; the reader refuses too). */
	assert_string_equal(render("a,b\nc\0d\n", 8, 0), "[a|b]\nERR 第 2 行：含有空字符（0x00），文件可能不是文本");
	assert_string_equal(render("\"c\0d\"\n", 6, 0), "ERR 第 1 行：含有空字符（0x00），文件可能不是文本");

	/* After an error the reader is at the end. */
	struct rd x;
	rd_init(&x, "\"open\nmore\n", 11);
	assert_int_equal(rd_next(&x), -1);
	assert_string_equal(x.err, "第 1 行：引号未闭合");
	assert_int_equal(rd_next(&x), 0);
	assert_string_equal(x.err, "");
}

static void test_too_many_fields(void **state)
{
	(void)state;
	struct csv_reader r;
	char buf[64], err[128];
	char *f[3];
	const char *data = "a,b,c\na,b,c,d\n";
	csv_init(&r, data, strlen(data));
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 3, err, sizeof(err)), 3);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "第 2 行：字段过多（最多 3 个）");

	/* a,b, with room for two: the empty third field counts. */
	csv_init(&r, "a,b,", 4);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 2, err, sizeof(err)), -1);
	assert_string_equal(err, "第 1 行：字段过多（最多 2 个）");

	csv_init(&r, "a", 1);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "第 1 行：读取参数无效");
}

static void test_buffer_too_small(void **state)
{
	(void)state;
	struct csv_reader r;
	char buf[8], err[128];
	char *f[4];
	/* "abc,def" needs 4 + 4 = 8 bytes: fits exactly. */
	csv_init(&r, "abc,def\nabc,defg\n", 17);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 4, err, sizeof(err)), 2);
	assert_string_equal(f[0], "abc");
	assert_string_equal(f[1], "def");
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 4, err, sizeof(err)), -1);
	assert_string_equal(err, "第 2 行：内容过长（一条记录最多 8 字节）");

	/* In a quoted field, and exactly one byte short. */
	csv_init(&r, "\"abcdefgh\"", 10);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 4, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "内容过长"));
	csv_init(&r, "\"abcdefg\"", 9);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 4, err, sizeof(err)), 1);
	assert_string_equal(f[0], "abcdefg");

	/* Many empty fields: each takes one byte. */
	csv_init(&r, ",,,,,,,,", 8); /* 9 fields */
	char *many[16];
	assert_int_equal(csv_next(&r, buf, sizeof(buf), many, 16, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "内容过长"));

	/* A one-byte buffer holds one empty field; a NULL err is allowed. */
	char one[1];
	csv_init(&r, "\n,x", 3);
	assert_int_equal(csv_next(&r, one, 1, f, 4, NULL, 0), -1);
	csv_init(&r, "\"\"", 2);
	assert_int_equal(csv_next(&r, one, 1, f, 4, NULL, 0), 1);
	assert_string_equal(f[0], "");
	/* A short err buffer is cut, still terminated. */
	char small_err[8];
	csv_init(&r, "\"x", 2);
	assert_int_equal(csv_next(&r, buf, sizeof(buf), f, 4, small_err, sizeof(small_err)), -1);
	assert_true(strlen(small_err) < sizeof(small_err));
}

static void test_line_numbers(void **state)
{
	(void)state;
	const char *data = "h1,h2\n"          /* 1 */
			   "\"a\nb\",c\n"     /* 2-3 */
			   "\n"               /* 4: blank */
			   "d,\"e\r\n\r\nf\"\r\n" /* 5-7 */
			   "g,h\r"            /* 8 */
			   "i,j\n"            /* 9 */
			   "\"k\rl\",m\n"     /* 10-11 */
			   "n,\"unclosed\n";  /* 12 */
	struct rd x;
	rd_init(&x, data, strlen(data));
	const int starts[] = {1, 2, 5, 8, 9, 10};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		assert_int_equal(rd_next(&x), 2);
		assert_int_equal(x.r.line, starts[i]);
	}
	assert_string_equal(x.f[0], "k\rl");
	assert_int_equal(rd_next(&x), -1);
	assert_int_equal(x.r.line, 12);
	assert_string_equal(x.err, "第 12 行：引号未闭合");

	/* An error after a multi-line field names the line it is on. */
	rd_init(&x, "a\n\"b\nc\"x\n", 9);
	assert_int_equal(rd_next(&x), 1);
	assert_int_equal(rd_next(&x), -1);
	assert_int_equal(x.r.line, 2);
	assert_non_null(strstr(x.err, "第 3 行："));
}

static void test_many_rows(void **state)
{
	(void)state;
	struct sbuf sb = {0};
	sbuf_adds(&sb, "\xEF\xBB\xBF序号,企业名称,统一社会信用代码,备注\r\n");
	for (int i = 1; i <= 10000; i++)
		sbuf_printf(&sb, "%d,\"上海第%d号精密电子有限公司\",91310000607216596U,\"第一行\n第二行，含\"\"引号\"\"\"\r\n",
			    i, i);
	assert_int_equal(csv_detect(sb.buf, sb.len), CSV_UTF8_BOM);

	clock_t t0 = clock();
	struct rd x;
	rd_init(&x, sb.buf, sb.len);
	assert_int_equal(rd_next(&x), 4);
	assert_string_equal(x.f[1], "企业名称");
	int rows = 0, n;
	while ((n = rd_next(&x)) > 0) {
		rows++;
		assert_int_equal(n, 4);
		if (atoi(x.f[0]) != rows)
			fail_msg("row %d read as %s", rows, x.f[0]);
		assert_int_equal(x.r.line, 2 + 2 * (rows - 1));
	}
	assert_int_equal(n, 0);
	assert_int_equal(rows, 10000);
	assert_string_equal(x.f[3], "第一行\n第二行，含\"引号\"");
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 1.0); /* a few milliseconds in practice, even under ASan */
	sbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_buffer_too_small),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_many_rows),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
