/* Temporary: replaced by src/render/report.c (strong symbol) — to be deleted. */
#include "render.h"
#include <stdio.h>
__attribute__((weak)) int render_report_pdf(const struct report_print *r, struct sbuf *out, char *err, size_t errlen)
{
	(void)r;
	(void)out;
	snprintf(err, errlen, "not built");
	return -1;
}
