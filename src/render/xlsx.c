/*
 * xlsx.c - one-sheet Excel tables with libxlsxwriter.
 *
 * libxlsxwriter writes to a file, so the workbook goes to a private temporary
 * file (mkstemp in $TMPDIR or /tmp) that is read back into the sbuf and
 * unlinked. constant_memory mode keeps the memory flat however many rows there
 * are (rows are flushed as they are written, strings are stored inline, not in
 * sharedStrings.xml) at the price of writing strictly row by row.
 */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define DEFAULT_WIDTH 16.0
#define MAX_CELL_CHARS 32767   /* Excel's limit on the text of one cell */

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

/*
 * Text Excel accepts: invalid UTF-8 becomes U+FFFD, control characters other
 * than \t \n \r are dropped (XML cannot hold them), at most `max_chars`
 * characters are kept. Returns a malloc'd string.
 */
static char *clean_text(const char *s, size_t max_chars)
{
	struct sbuf sb = {0};
	size_t n = strlen(s), chars = 0;
	sbuf_add(&sb, "", 0);
	for (size_t i = 0; i < n && chars < max_chars;) {
		size_t len = utf8_seq_len((unsigned char)s[i]);
		if (len <= n - i && utf8_valid_text(s + i, len)) {
			sbuf_add(&sb, s + i, len);
			chars++;
			i += len;
		} else if ((unsigned char)s[i] >= 0x80) {
			sbuf_adds(&sb, "\xEF\xBF\xBD");
			chars++;
			i++;
		} else {
			i++; /* a control character */
		}
	}
	return sb.buf;
}

/*
 * A valid sheet name: at most 31 characters, none of []:*?/\ and no
 * apostrophe at either end; an empty name becomes "Sheet1".
 */
static char *sheet_name_from(const char *name)
{
	char *s = clean_text(name ? name : "", LXW_SHEETNAME_MAX);
	for (char *p = s; *p; p++) {
		if (strchr("[]:*?/\\\t\r\n", *p))
			*p = '_';
	}
	if (s[0] == '\'')
		s[0] = '_';
	size_t len = strlen(s);
	if (len && s[len - 1] == '\'')
		s[len - 1] = '_';
	if (!len) {
		free(s);
		s = xstrdup("Sheet1");
	}
	return s;
}

/* Display width in Excel's character units: CJK and other wide text counts double. */
static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			w += 1;
		else if (*p >= 0xC0)
			w += 2;
	}
	return w;
}

struct formats {
	lxw_format *title, *header, *cell, *wrap;
};

static void add_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);

	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xD9D9D9);
	format_set_pattern(f->header, LXW_PATTERN_SOLID);
	format_set_border(f->header, LXW_BORDER_THIN);
	format_set_text_wrap(f->header);
	format_set_align(f->header, LXW_ALIGN_CENTER);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);

	f->cell = workbook_add_format(wb);
	format_set_align(f->cell, LXW_ALIGN_VERTICAL_TOP);

	f->wrap = workbook_add_format(wb);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(f->wrap);
}

/* Write one text cell, wrapped when longer than its column or on several lines. */
static lxw_error write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
			    double width, lxw_format *fmt, lxw_format *wrap)
{
	if (!text || !*text)
		return LXW_NO_ERROR;
	size_t len = strlen(text);
	bool ok = len <= MAX_CELL_CHARS && utf8_valid_text(text, len); /* the usual case */
	char *clean = ok ? NULL : clean_text(text, MAX_CELL_CHARS);
	const char *s = ok ? text : clean;
	if (wrap && (strchr(s, '\n') || text_width(s) > width))
		fmt = wrap;
	lxw_error rc = worksheet_write_string(ws, row, col, s, fmt);
	free(clean);
	return rc;
}

static int fail(char *err, size_t errlen, const char *what, const char *detail)
{
	snprintf(err, errlen, "生成 Excel 失败：%s%s%s", what, detail ? "：" : "", detail ? detail : "");
	return -1;
}

/* Write the whole workbook to `path`. Returns 0 or -1 with err set. */
static int write_workbook(const char *path, const char *tmpdir, const char *sheet_name,
			  const char *title, const char *const *headers, int ncols,
			  const char *const *cells, long nrows, const double *widths, char *err,
			  size_t errlen)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir};
	lxw_workbook *wb = workbook_new_opt(path, &opts);
	if (!wb)
		return fail(err, errlen, "无法创建工作簿", NULL);
	char *name = sheet_name_from(sheet_name);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	free(name);
	if (!ws) {
		workbook_close(wb);
		return fail(err, errlen, "无法创建工作表", NULL);
	}
	struct formats f;
	add_formats(wb, &f);

	lxw_col_t last_col = (lxw_col_t)(ncols - 1);
	for (int c = 0; c < ncols; c++) {
		double w = widths && widths[c] > 0 ? widths[c] : DEFAULT_WIDTH;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
	}

	lxw_error rc = LXW_NO_ERROR;
	lxw_row_t row = 0;
	if (title) {
		char *clean = clean_text(title, MAX_CELL_CHARS);
		worksheet_set_row(ws, row, 24, NULL);
		if (ncols > 1)
			rc = worksheet_merge_range(ws, row, 0, row, last_col, clean, f.title);
		else
			rc = worksheet_write_string(ws, row, 0, clean, f.title);
		free(clean);
		row++;
	}
	lxw_row_t header_row = row;
	for (int c = 0; c < ncols && !rc; c++)
		rc = write_text(ws, row, (lxw_col_t)c, headers[c], 0, f.header, NULL);
	if (!rc) {
		worksheet_freeze_panes(ws, header_row + 1, 0);
		rc = worksheet_autofilter(ws, header_row, 0, (lxw_row_t)(header_row + nrows),
					  last_col);
	}
	row++;

	for (long r = 0; r < nrows && !rc; r++, row++) {
		for (int c = 0; c < ncols && !rc; c++) {
			double w = widths && widths[c] > 0 ? widths[c] : DEFAULT_WIDTH;
			rc = write_text(ws, row, (lxw_col_t)c, cells[r * ncols + c], w, f.cell,
					f.wrap);
		}
	}

	lxw_error close_rc = workbook_close(wb);
	if (rc)
		return fail(err, errlen, "写入单元格出错", lxw_strerror(rc));
	if (close_rc)
		return fail(err, errlen, "无法保存工作簿", lxw_strerror(close_rc));
	return 0;
}

int render_xlsx_table(const char *sheet_name, const char *title, const char *const *headers,
		      int ncols, const char *const *cells, long nrows, const double *widths,
		      struct sbuf *out, char *err, size_t errlen)
{
	if (ncols < 1 || ncols > LXW_COL_MAX || nrows < 0 || !headers || (nrows && !cells) || !out)
		return fail(err, errlen, "参数无效", NULL);
	if (nrows > (long)LXW_ROW_MAX - 2)
		return fail(err, errlen, "行数超过 Excel 上限", NULL);

	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	struct sbuf path = {0};
	sbuf_printf(&path, "%s/qmslift-xlsx-XXXXXX", tmpdir);
	int fd = mkstemp(path.buf);
	if (fd < 0) {
		int e = errno;
		sbuf_free(&path);
		return fail(err, errlen, "无法创建临时文件", strerror(e));
	}
	close(fd);

	int rc = write_workbook(path.buf, tmpdir, sheet_name, title, headers, ncols, cells, nrows,
				widths, err, errlen);
	if (rc == 0) {
		size_t len;
		char *data = read_file(path.buf, &len);
		if (data) {
			sbuf_add(out, data, len);
			free(data);
		} else {
			rc = fail(err, errlen, "无法读取临时文件", strerror(errno));
		}
	}
	unlink(path.buf);
	sbuf_free(&path);
	return rc;
}
