/*
 * filetype.c - see filetype.h.
 */
#include "filetype.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *filetype_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;
	/* PDF: "%PDF-" within the first 1024 bytes (some writers put junk before it). */
	for (size_t i = 0; i + 5 <= len && i < 1024; i++)
		if (p[i] == '%' && !memcmp(p + i, "%PDF-", 5))
			return "application/pdf";
	if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	return NULL;
}

bool filetype_same(const char *declared, const char *sniffed)
{
	if (!declared || !sniffed)
		return false;
	size_t n = strcspn(declared, "; ");
	if (!strcasecmp(sniffed, "image/jpeg") && n == 9 && !strncasecmp(declared, "image/jpg", 9))
		return true;
	return strlen(sniffed) == n && !strncasecmp(declared, sniffed, n);
}

void filename_clean(const char *in, char *out, size_t outsz)
{
	const char *base = in ? in : "";
	for (const char *s = base; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	size_t w = 0, chars = 0;
	for (const unsigned char *s = (const unsigned char *)base; *s && w + 1 < outsz; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '"')
			continue;
		if ((*s & 0xC0) != 0x80 && ++chars > 100)
			break;
		out[w++] = (char)*s;
	}
	/* Do not cut a UTF-8 sequence in half. */
	while (w && ((unsigned char)out[w - 1] & 0xC0) == 0x80) {
		size_t start = w - 1;
		while (start && ((unsigned char)out[start] & 0xC0) == 0x80)
			start--;
		size_t need = ((unsigned char)out[start] & 0xE0) == 0xC0 ? 2 :
			      ((unsigned char)out[start] & 0xF0) == 0xE0 ? 3 : 4;
		if (w - start >= need)
			break;
		w = start;
	}
	if (w && ((unsigned char)out[w - 1] & 0xC0) == 0xC0)
		w--;
	out[w] = '\0';
	if (!w || !utf8_valid_text(out, w))
		snprintf(out, outsz, "file");
}

/* Does a ZIP archive contain an entry whose name starts with prefix? Scans the
 * local file headers (PK\3\4) — enough to tell a .docx from an .xlsx. */
static bool zip_has_prefix(const unsigned char *p, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i + 30 <= len; i++) {
		if (p[i] != 'P' || p[i + 1] != 'K' || p[i + 2] != 3 || p[i + 3] != 4)
			continue;
		size_t nlen = (size_t)p[i + 26] | (size_t)p[i + 27] << 8;
		if (i + 30 + nlen <= len && nlen >= plen && !memcmp(p + i + 30, prefix, plen))
			return true;
	}
	return false;
}

const char *filetype_sniff_document(const void *data, size_t len, const char *filename)
{
	const unsigned char *p = data;
	if (len >= 5 && filetype_sniff(data, len) && !strcmp(filetype_sniff(data, len), "application/pdf"))
		return "application/pdf";
	if (len >= 8 && !memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		/* An OLE compound file: Word 97 or Excel 97; the name tells which. */
		const char *dot = filename ? strrchr(filename, '.') : NULL;
		if (dot && !strcasecmp(dot, ".xls"))
			return "application/vnd.ms-excel";
		return "application/msword";
	}
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4) {
		if (zip_has_prefix(p, len, "word/"))
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		if (zip_has_prefix(p, len, "xl/"))
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	return NULL;
}
