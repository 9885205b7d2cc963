/*
 * csv.h - reading CSV files users upload (RFC 4180: quotes, doubled quotes,
 * line breaks inside quoted fields, CRLF or LF), UTF-8 with or without BOM.
 */
#ifndef QMS_CSV_H
#define QMS_CSV_H

#include <stdbool.h>
#include <stddef.h>

enum csv_encoding { CSV_UTF8, CSV_UTF8_BOM, CSV_GBK_LIKELY, CSV_BINARY };

/* What the bytes are: UTF-8 (with BOM or not), probably GBK/GB18030 (not valid
 * UTF-8 but valid as GBK double-byte text), or binary (NUL bytes etc.). */
enum csv_encoding csv_detect(const char *data, size_t len);

struct csv_reader {
	const char *p, *end;
	int line;          /* physical line where the current record starts (1-based) */
	int next_line;     /* private: the physical line at p */
	char delimiter;    /* ',' by default; set it after csv_init for ';' or '\t' */
};

/* Start reading (skips a UTF-8 BOM). */
void csv_init(struct csv_reader *r, const char *data, size_t len);

/*
 * Read the next record into fields (each NUL-terminated, pointing into buf,
 * which the reader fills; bufsz bytes). Returns the number of fields, 0 at
 * the end, or -1 on an error (unterminated quote, a record longer than buf
 * or more than max_fields fields) with a Chinese message in err that starts
 * with the physical line, e.g. "第 12 行：引号未闭合".
 * Blank lines are skipped; "a,,b" and "a,b," both have 3 fields. After a
 * record is returned, r->line is the line it started on (for the caller's own
 * messages). After -1 the reader is at the end: stop, or the next call gives 0.
 */
int csv_next(struct csv_reader *r, char *buf, size_t bufsz, char **fields, int max_fields,
	     char *err, size_t errlen);

#endif
