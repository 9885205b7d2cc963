/*
 * pdf_common.h - what the PDF renderers of src/render share (internal; the
 * public contract is render.h): the one Pango font map behind the render
 * lock, Pango contexts set up for PDF, layouts with Latin runs, and the
 * cairo surface that writes into an sbuf. render_init() (render.h), which
 * warms up every PDF renderer, lives in pdf_common.c.
 *
 * Thread safety: Pango objects (font map, contexts, layouts) must not be used
 * by two threads at once, and pango_cairo_font_map_get_default() is per
 * thread, which would make every server worker pay the ~100 ms font loading.
 * So there is one font map for the process, and every render runs between
 * pdf_lock() and pdf_unlock().
 */
#ifndef QMS_RENDER_PDF_COMMON_H
#define QMS_RENDER_PDF_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "../util.h"

#define PDF_MM (72.0 / 25.4)
#define PDF_A4_W (210 * PDF_MM)
#define PDF_A4_H (297 * PDF_MM)

/*
 * ASCII runs in sans text use an Arial-metric font, as Chinese office
 * documents pair 黑体 with Arial. It also sidesteps a cairo 1.16 limitation:
 * for some Latin glyph combinations of Noto Sans CJK (F with I, I with L, …)
 * its CFF subsetter gives up on subroutines and embeds all of them, which
 * makes a 150 KB PDF 1 MB and three times slower. Noto stays in the list, so
 * without Liberation Sans the text still prints, only bigger. Serif text
 * (宋体-like) pairs with the Times-metric Liberation Serif the same way.
 */
#define PDF_LATIN_SANS "Liberation Sans,Noto Sans CJK SC"
#define PDF_LATIN_SERIF "Liberation Serif,Noto Serif CJK SC"
#define PDF_LINE_HEIGHT 1.45 /* of the font size: Noto CJK's own, for every line */

/* Take the render lock (loading the shared font map on first use) / release it. */
void pdf_lock(void);
void pdf_unlock(void);

/*
 * A PDF surface of one page size writing into out, with title, creator
 * "qmslift" and subject (NULL or "" = none; repaired if not UTF-8).
 */
cairo_surface_t *pdf_surface_new(struct sbuf *out, double width, double height, const char *title,
				 const char *subject);
/*
 * Finish a document: destroy cr, flush and destroy the surface. On a cairo
 * error, out is cut back to start_len and -1 returned with err set.
 */
int pdf_surface_end(cairo_t *cr, cairo_surface_t *surface, struct sbuf *out, size_t start_len,
		    char *err, size_t errlen);

/* A context on the shared font map for cr: points, unhinted metrics (it is a PDF). Lock held. */
PangoContext *pdf_context_new(cairo_t *cr);

/*
 * A layout in font; width > 0 wraps at that width (points). Invalid UTF-8
 * is repaired, control characters other than \t \n \r and trailing white
 * space dropped; the text is set as text, never markup. With latin_family
 * (PDF_LATIN_SANS, PDF_LATIN_SERIF) ASCII runs use it and every line is
 * PDF_LINE_HEIGHT of the font size; NULL leaves the font's own.
 */
PangoLayout *pdf_layout_new(PangoContext *ctx, const PangoFontDescription *font, const char *text,
			    double width, const char *latin_family);

double pdf_layout_w(PangoLayout *l);
double pdf_layout_h(PangoLayout *l);
double pdf_layout_baseline(PangoLayout *l); /* of the first line, below the top */
void pdf_show_layout(cairo_t *cr, PangoLayout *l, double x, double y); /* top-left at x, y */

/* "2005-03-08" as paper documents have it: "2005年3月8日"; anything else unchanged. */
void pdf_format_date_cn(const char *in, char *out, size_t outlen);

static inline const char *pdf_nz(const char *s)
{
	return s ? s : "";
}

static inline bool pdf_blank(const char *s)
{
	return !s || !*s;
}

#endif
