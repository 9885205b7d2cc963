/*
 * pdf_common.c - the shared font map, render lock and layout helpers of the
 * PDF renderers. See pdf_common.h.
 */
#include "pdf_common.h"
#include "render.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ============================ shared fonts ============================== */

static pthread_once_t font_map_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map;

static void font_map_load(void)
{
	font_map = pango_cairo_font_map_new();
}

void pdf_lock(void)
{
	pthread_once(&font_map_once, font_map_load);
	pthread_mutex_lock(&render_lock);
}

void pdf_unlock(void)
{
	pthread_mutex_unlock(&render_lock);
}

PangoContext *pdf_context_new(cairo_t *cr)
{
	PangoContext *ctx = pango_font_map_create_context(font_map);
	cairo_font_options_t *opts = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, opts);
	cairo_font_options_destroy(opts);
	pango_cairo_context_set_resolution(ctx, 72.0);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	pango_cairo_update_context(cr, ctx);
	return ctx;
}

/* ============================== surfaces ================================ */

static cairo_status_t write_to_sbuf(void *closure, const unsigned char *data, unsigned int length)
{
	sbuf_add(closure, (const char *)data, length);
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *pdf_surface_new(struct sbuf *out, double width, double height, const char *title,
				 const char *subject)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_to_sbuf, out, width,
								       height);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "qmslift");
	if (!pdf_blank(subject)) {
		char *valid = g_utf8_make_valid(subject, -1);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, valid);
		g_free(valid);
	}
	return surface;
}

int pdf_surface_end(cairo_t *cr, cairo_surface_t *surface, struct sbuf *out, size_t start_len,
		    char *err, size_t errlen)
{
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "生成 PDF 失败：%s", cairo_status_to_string(st));
		out->len = start_len;
		if (out->buf)
			out->buf[start_len] = '\0';
		return -1;
	}
	return 0;
}

/* ============================== layouts ================================= */

static bool ascii_print(char c)
{
	return c >= 0x20 && c < 0x7F;
}

/*
 * ASCII runs in latin_family, and every line as tall as a line of Noto CJK
 * so that Latin-only lines keep the spacing of Chinese ones.
 */
static void set_latin_runs(PangoLayout *l, const PangoFontDescription *font, const char *text,
			   const char *latin_family)
{
	PangoAttrList *attrs = pango_attr_list_new();
	int line_h = (int)(PDF_LINE_HEIGHT * pango_font_description_get_size(font));
	pango_attr_list_insert(attrs, pango_attr_line_height_new_absolute(line_h));
	for (size_t i = 0; text[i];) {
		if (!ascii_print(text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (ascii_print(text[i]))
			i++;
		PangoAttribute *a = pango_attr_family_new(latin_family);
		a->start_index = (guint)start;
		a->end_index = (guint)i;
		pango_attr_list_insert(attrs, a);
	}
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
}

/* Drop control characters other than tab and line breaks, which would print as boxes. */
static void strip_controls(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++)
		if (!((unsigned char)*r < 0x20 || *r == 0x7F) || strchr("\t\n\r", *r))
			*w++ = *r;
	*w = '\0';
}

PangoLayout *pdf_layout_new(PangoContext *ctx, const PangoFontDescription *font, const char *text,
			    double width, const char *latin_family)
{
	PangoLayout *l = pango_layout_new(ctx);
	pango_layout_set_font_description(l, font);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	char *valid = g_utf8_make_valid(pdf_nz(text), -1);
	strip_controls(valid);
	g_strchomp(valid); /* a trailing newline would add an empty line */
	pango_layout_set_text(l, valid, -1);
	if (latin_family)
		set_latin_runs(l, font, valid, latin_family);
	g_free(valid);
	return l;
}

double pdf_layout_w(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

double pdf_layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

double pdf_layout_baseline(PangoLayout *l)
{
	return (double)pango_layout_get_baseline(l) / PANGO_SCALE;
}

void pdf_show_layout(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

void pdf_format_date_cn(const char *in, char *out, size_t outlen)
{
	int y, m, d, n = 0;
	if (in && strlen(in) == 10 && sscanf(in, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10)
		snprintf(out, outlen, "%d年%d月%d日", y, m, d);
	else
		snprintf(out, outlen, "%s", pdf_nz(in));
}

/* =============================== warm-up ================================ */

/*
 * Load the fonts and warm cairo's caches with throw-away documents, so the
 * first real request does not pay ~100 ms.
 */
void render_init(void)
{
	static const struct decl_print decl = {
		.programme_name = "小微企业质量管理体系认证提升行动",
		.unit_name = "示例单位",
		.is_cb = true,
		.joins = 1,
		.ownership = "other",
		.ownership_other = "示例",
		.status_line = "状态",
		.printed_on = "2021-01-01",
	};
	static const struct cert_print cert = {
		.number = "00000Q00000R0S",
		.holder = "示例单位",
		.issue = "2021-01-01",
		.headcount = 1,
		.status_label = "有效",
		.issuer = "示例认证机构",
		.verify_url = "https://example.cn/verify",
	};
	struct sbuf sb = {0};
	char err[128];
	if (render_declaration_pdf(&decl, &sb, err, sizeof(err)) != 0)
		log_error("render_init: %s", err);
	sb.len = 0;
	if (render_certificate_pdf(&cert, &sb, err, sizeof(err)) != 0)
		log_error("render_init: %s", err);
	sbuf_free(&sb);
}
