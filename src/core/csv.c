/*
 * csv.c - see csv.h. A reader for the CSV files people export from Excel,
 * WPS or other systems and upload:
 *
 *  - RFC 4180 quoting: a field that starts with '"' runs to the next lone
 *    '"'; inside it '""' is one '"' and the delimiter, CR and LF are
 *    ordinary characters (kept byte for byte, so an embedded CRLF stays CRLF).
 *  - A '"' inside an unquoted field is kept as is (Excel writes such fields
 *    and nothing is ambiguous about them); after a closing quote only the
 *    delimiter or a line end may follow, since anything else means the
 *    quoting is broken and guessing would corrupt the data.
 *  - Records end at CRLF, LF or a lone CR (old Mac exports), or at the end of
 *    the data with no line end. Lines with no characters at all are skipped;
 *    a line of spaces is a record with one field of spaces (nothing is
 *    trimmed).
 *
 * Line numbers are physical: a record whose quoted field spans lines 3-4 is
 * reported as starting on line 3, and the next record starts on line 5.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- encoding detection ---- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		unsigned c = *p++;
		if (c < 0x80)
			continue;
		unsigned lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
		int extra;
		if (c >= 0xC2 && c <= 0xDF) {
			extra = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			extra = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			extra = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return false;
		}
		if (end - p < extra || *p < lo || *p > hi)
			return false;
		for (int i = 1; i < extra; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += extra;
	}
	return true;
}

/*
 * True when the bytes read as GBK / GB18030: ASCII, two-byte sequences
 * (lead 81-FE, trail 40-7E or 80-FE) and GB18030 four-byte sequences
 * (81-FE, 30-39, 81-FE, 30-39). A lone 80 is accepted too: Windows code
 * page 936, which is what Excel on a Chinese Windows writes, maps it to €.
 */
static bool gbk_valid(const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		unsigned c = *p++;
		if (c <= 0x80)
			continue;
		if (c == 0xFF || p == end)
			return false;
		unsigned t = *p;
		if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
			p++;
			continue;
		}
		if (t >= 0x30 && t <= 0x39 && end - p >= 3 && p[1] >= 0x81 && p[1] <= 0xFE &&
		    p[2] >= 0x30 && p[2] <= 0x39) {
			p += 3;
			continue;
		}
		return false;
	}
	return true;
}

static bool has_bom(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
}

enum csv_encoding csv_detect(const char *data, size_t len)
{
	if (!data || !len)
		return CSV_UTF8;
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	if (memchr(data, '\0', len))
		return CSV_BINARY;
	if (utf8_valid(p, end))
		return has_bom(data, len) ? CSV_UTF8_BOM : CSV_UTF8;
	if (gbk_valid(p, end))
		return CSV_GBK_LIKELY;
	return CSV_BINARY;
}

/* ---- reading records ---- */

void csv_init(struct csv_reader *r, const char *data, size_t len)
{
	if (!data) {
		data = "";
		len = 0;
	}
	r->p = data;
	r->end = data + len;
	if (has_bom(data, len))
		r->p += 3;
	r->line = 1;
	r->next_line = 1;
	r->delimiter = ',';
}

/* The caller's buffer as it fills up with the fields of one record. */
struct out {
	char *buf;
	size_t cap, len;
};

static bool out_put(struct out *o, char c)
{
	if (o->len >= o->cap)
		return false;
	o->buf[o->len++] = c;
	return true;
}

/*
 * Report an error for the given physical line and leave the reader at the
 * end of the data, so a caller that reads on gets 0 rather than garbage.
 */
static int fail(struct csv_reader *r, char *err, size_t errlen, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct csv_reader *r, char *err, size_t errlen, int line, const char *fmt, ...)
{
	r->p = r->end;
	if (!err || !errlen)
		return -1;
	int n = snprintf(err, errlen, "第 %d 行：", line);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_eol(char c)
{
	return c == '\r' || c == '\n';
}

/* Step over one line end (CRLF, LF or CR) at r->p. */
static void skip_eol(struct csv_reader *r)
{
	if (*r->p == '\r' && r->end - r->p >= 2 && r->p[1] == '\n')
		r->p++;
	r->p++;
	r->next_line++;
}

static int too_long(struct csv_reader *r, char *err, size_t errlen, size_t cap)
{
	return fail(r, err, errlen, r->next_line, "内容过长（一条记录最多 %zu 字节）", cap);
}

static int nul_byte(struct csv_reader *r, char *err, size_t errlen)
{
	return fail(r, err, errlen, r->next_line, "含有空字符（0x00），文件可能不是文本");
}

/* An unquoted field: up to the delimiter, a line end or the end. */
static int read_plain(struct csv_reader *r, struct out *o, char *err, size_t errlen)
{
	while (r->p < r->end && *r->p != r->delimiter && !is_eol(*r->p)) {
		if (*r->p == '\0')
			return nul_byte(r, err, errlen);
		if (!out_put(o, *r->p))
			return too_long(r, err, errlen, o->cap);
		r->p++;
	}
	return 0;
}

/* A quoted field, r->p at its opening quote; stops after the closing quote. */
static int read_quoted(struct csv_reader *r, struct out *o, char *err, size_t errlen)
{
	int open_line = r->next_line;
	r->p++;
	for (;;) {
		if (r->p >= r->end)
			return fail(r, err, errlen, open_line, "引号未闭合");
		char c = *r->p;
		if (c == '"') {
			if (r->end - r->p < 2 || r->p[1] != '"') {
				r->p++;
				return 0;
			}
			r->p++; /* a doubled quote: keep one */
		} else if (c == '\0') {
			return nul_byte(r, err, errlen);
		}
		if (!out_put(o, c))
			return too_long(r, err, errlen, o->cap);
		r->p++;
		if (c == '\n' || (c == '\r' && (r->p >= r->end || *r->p != '\n')))
			r->next_line++;
	}
}

int csv_next(struct csv_reader *r, char *buf, size_t bufsz, char **fields, int max_fields,
	     char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	while (r->p < r->end && is_eol(*r->p))
		skip_eol(r);
	if (r->p >= r->end)
		return 0;
	r->line = r->next_line;
	if (!buf || !bufsz || !fields || max_fields <= 0)
		return fail(r, err, errlen, r->line, "读取参数无效");
	if (r->delimiter == '"' || r->delimiter == '\0' || is_eol(r->delimiter))
		return fail(r, err, errlen, r->line, "分隔符无效");

	struct out o = {buf, bufsz, 0};
	int n = 0;
	for (;;) {
		if (n == max_fields)
			return fail(r, err, errlen, r->next_line, "字段过多（最多 %d 个）", max_fields);
		fields[n++] = buf + o.len;
		bool quoted = r->p < r->end && *r->p == '"';
		int rc = quoted ? read_quoted(r, &o, err, errlen) : read_plain(r, &o, err, errlen);
		if (rc < 0)
			return rc;
		if (!out_put(&o, '\0'))
			return too_long(r, err, errlen, o.cap);
		if (r->p >= r->end)
			return n;
		if (*r->p == r->delimiter) {
			r->p++;
			continue;
		}
		if (is_eol(*r->p)) {
			skip_eol(r);
			return n;
		}
		/* Only after a closing quote can anything else follow. */
		return fail(r, err, errlen, r->next_line, "引号后应紧跟分隔符或换行（字段中的引号需写成两个）");
	}
}
