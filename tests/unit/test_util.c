/*
 * test_util.c - UTF-8 helpers, growable strings and small utilities.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("密码"), 2);
	assert_int_equal(strlen("密码"), 6);
	assert_int_equal(utf8_length("é"), 1);
	assert_int_equal(utf8_length("\xF0\x9F\x98\x80"), 1); /* U+1F600, 4 bytes */
	assert_int_equal(utf8_length("a密b码c"), 5);
	assert_int_equal(utf8_length("上海市市场监督管理局"), 10);
	assert_int_equal(utf8_length("\t\n"), 2);
}

static bool valid(const char *s)
{
	return utf8_valid_text(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ASCII text 123 !~"));
	assert_true(valid("tab\tnewline\ncr\r"));
	assert_true(valid("上海市市场监督管理局"));
	assert_true(valid("é ü ß"));
	assert_true(valid("\xC2\xA0"));             /* U+00A0, smallest 2-byte lead C2 */
	assert_true(valid("\xDF\xBF"));             /* U+07FF */
	assert_true(valid("\xEF\xBF\xBD"));         /* U+FFFD */
	assert_true(valid("\xF0\x9F\x98\x80"));     /* U+1F600 */
	assert_true(valid("\xF4\x8F\xBF\xBF"));     /* U+10FFFF */
	assert_true(valid("mixed 中文 and 😀 ok"));

	static const char *const bad[] = {
		"\x80",                   /* lone continuation byte */
		"abc\xBF",
		"\xC0\x80",               /* overlong NUL */
		"\xE0\x80\x80",           /* overlong NUL, 3 bytes */
		"\xE0\x80\xAF",           /* overlong '/', 3 bytes */
		"\xED\xA0\x80",           /* UTF-16 surrogate */
		"\xED\xBF\xBF",
		"\xF0\x80\x80\x80",       /* overlong, 4 bytes */
		"\xF4\x90\x80\x80",       /* beyond U+10FFFF */
		"\xC0\xAF",               /* overlong '/' */
		"\xC1\xBF",               /* overlong, lead C1 */
		"\xC2",                   /* truncated 2-byte */
		"\xC2x",                  /* bad continuation */
		"\xE5\xAF",               /* truncated 3-byte */
		"\xE5",
		"\xE5\x41\x81",
		"\xE5\xAF\x41",
		"\xF0\x9F\x98",           /* truncated 4-byte */
		"\xF0\x9F",
		"\xF0\x9F\x98x",
		"\xF5\x80\x80\x80",       /* lead byte beyond U+10FFFF */
		"\xF8\x88\x80\x80\x80",   /* 5-byte form */
		"\xFC\x84\x80\x80\x80\x80",
		"\xFE",
		"\xFF",
		"ok \xFF ok",
		"\x01",                   /* control characters */
		"a\x08z",
		"\x1b[0m",
		"\x1f",
		"\x7f",
		"\v",
		"\f",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid(bad[i]))
			fail_msg("bad[%zu] accepted", i);

	/* n counts, not the NUL: an embedded NUL is a control character. */
	assert_false(utf8_valid_text("ab\0cd", 5));
	assert_true(utf8_valid_text("ab\0cd", 2));
	/* A sequence cut by n is truncated even if the string goes on. */
	assert_false(utf8_valid_text("密", 1));
	assert_false(utf8_valid_text("密", 2));
	assert_true(utf8_valid_text("密", 3));
	assert_false(utf8_valid_text("a\xF0\x9F\x98\x80", 4));
	assert_true(utf8_valid_text("a\xF0\x9F\x98\x80", 5));
	assert_true(utf8_valid_text("\x01", 0));
}

static void test_sbuf(void **state)
{
	(void)state;
	struct sbuf sb = {0};
	sbuf_adds(&sb, "");
	assert_non_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	sbuf_adds(&sb, "abc");
	sbuf_add(&sb, "defXYZ", 3);
	assert_string_equal(sb.buf, "abcdef");
	assert_int_equal(sb.len, 6);
	assert_true(sb.cap > sb.len);
	/* Many small appends grow the buffer. */
	for (int i = 0; i < 1000; i++)
		sbuf_adds(&sb, "0123456789");
	assert_int_equal(sb.len, 6 + 10000);
	assert_true(sb.cap >= sb.len + 1);
	assert_int_equal(strlen(sb.buf), sb.len);
	assert_memory_equal(sb.buf + 6 + 9990, "0123456789", 10);
	sbuf_free(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
}

static void test_sbuf_printf(void **state)
{
	(void)state;
	struct sbuf sb = {0};
	sbuf_printf(&sb, "%s-%d-%05.1f", "x", 42, 3.14159);
	assert_string_equal(sb.buf, "x-42-003.1");
	assert_int_equal(sb.len, 10);

	/* Around and beyond the 512-byte stack buffer. */
	static const size_t sizes[] = {510, 511, 512, 513, 1000, 5000, 70000};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		char *payload = malloc(n + 1);
		assert_non_null(payload);
		for (size_t i = 0; i < n; i++)
			payload[i] = (char)('a' + i % 26);
		payload[n] = '\0';

		struct sbuf b = {0};
		sbuf_adds(&b, "head:");
		sbuf_printf(&b, "[%s]#%zu", payload, n);
		char tail[32];
		int tl = snprintf(tail, sizeof(tail), "]#%zu", n);
		assert_int_equal(b.len, 5 + 1 + n + (size_t)tl);
		assert_int_equal(strlen(b.buf), b.len);
		assert_memory_equal(b.buf, "head:[", 6);
		assert_memory_equal(b.buf + 6, payload, n);
		assert_string_equal(b.buf + 6 + n, tail);
		/* Appending after a big printf still works. */
		sbuf_printf(&b, "%c", '!');
		assert_int_equal(b.buf[b.len - 1], '!');
		assert_int_equal(b.len, 5 + 1 + n + (size_t)tl + 1);
		sbuf_free(&b);
		free(payload);
	}

	/* Width-generated output beyond 512 bytes, too. */
	sbuf_printf(&sb, "%600d|", 7);
	assert_int_equal(sb.len, 10 + 601);
	assert_int_equal(sb.buf[10], ' ');
	assert_int_equal(sb.buf[10 + 599], '7');
	assert_int_equal(sb.buf[10 + 600], '|');
	assert_int_equal(sb.buf[sb.len], '\0');
	sbuf_free(&sb);
}

static void test_small_helpers(void **state)
{
	(void)state;
	char out[21];
	format_rfc3339(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	format_rfc3339(1620576000, out);
	assert_string_equal(out, "2021-05-09T16:00:00Z");
	format_rfc3339(1620576000 - 1, out);
	assert_string_equal(out, "2021-05-09T15:59:59Z");

	char *s = xstrdup("上海");
	assert_string_equal(s, "上海");
	free(s);
	s = xstrdup(NULL);
	assert_string_equal(s, "");
	free(s);

	int64_t t = now_seconds();
	assert_true(t > 1600000000); /* after 2020-09 */
	double a = now_ms(), b = now_ms();
	assert_true(b >= a);
}

static void test_read_file(void **state)
{
	(void)state;
	char path[] = "/tmp/qmslift-test-util-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char content[] = "line 1\n第二行\n\0after NUL";
	assert_int_equal(write(fd, content, sizeof(content) - 1), (ssize_t)(sizeof(content) - 1));
	close(fd);
	size_t len = 0;
	char *got = read_file(path, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof(content) - 1);
	assert_memory_equal(got, content, len);
	assert_int_equal(got[len], '\0');
	free(got);

	/* Empty file: an empty string, not NULL. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	close(fd);
	len = 99;
	got = read_file(path, &len);
	assert_non_null(got);
	assert_int_equal(len, 0);
	assert_string_equal(got, "");
	free(got);
	unlink(path);

	assert_null(read_file("/nonexistent-dir-qmslift/file", &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_sbuf),
		cmocka_unit_test(test_sbuf_printf),
		cmocka_unit_test(test_small_helpers),
		cmocka_unit_test(test_read_file),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
