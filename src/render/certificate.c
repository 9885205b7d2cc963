/*
 * certificate.c - the printable certificate (质量管理体系认证证书) as one A4
 * page, and the QR code that lets anyone verify it (as SVG for the web).
 *
 * The page, top to bottom, inside a thin double border:
 *   title and certificate number;
 *   the fields: label and value in two columns (long values wrap), the dates
 *   and the headcount two by two, the status in a box;
 *   the attestation sentence;
 *   the issuer with room for its seal, and the QR code bottom right with
 *   「扫码核验证书状态」 and the verify URL under it.
 * A certificate is one page: when the fields do not fit, the text shrinks in
 * steps, and at the smallest size the longest values are cut with "…".
 *
 * The QR code is drawn as vector rectangles from libqrencode's modules, so it
 * stays sharp at any print resolution. Fonts, the render lock and the layout
 * helpers are those of the declaration form (pdf_common.h). User text is set
 * with pango_layout_set_text(), never as markup.
 */
#include "render.h"
#include "pdf_common.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

/* ============================== QR code ================================= */

#define QR_QUIET 4 /* modules of white around the code, as the standard asks */

/*
 * The QR code of text at error correction level M, 8-bit mode. NULL with
 * err set when text is empty or too long for the largest QR version.
 */
static QRcode *qr_encode(const char *text, char *err, size_t errlen)
{
	if (pdf_blank(text)) {
		snprintf(err, errlen, "生成二维码失败：内容为空");
		return NULL;
	}
	errno = 0;
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		snprintf(err, errlen, "生成二维码失败：%s",
			 errno == ERANGE ? "内容过长" : "无法编码");
	return qr;
}

static bool qr_dark(const QRcode *qr, int x, int y)
{
	return qr->data[y * qr->width + x] & 1;
}

/* Length of the run of dark modules starting at (x, y) in its row. */
static int qr_run(const QRcode *qr, int x, int y)
{
	int n = 0;
	while (x + n < qr->width && qr_dark(qr, x + n, y))
		n++;
	return n;
}

int render_qr_svg(const char *text, struct sbuf *out, char *err, size_t errlen)
{
	if (!out) {
		snprintf(err, errlen, "生成二维码失败：缺少参数");
		return -1;
	}
	QRcode *qr = qr_encode(text, err, errlen);
	if (!qr)
		return -1;
	int side = qr->width + 2 * QR_QUIET;
	sbuf_printf(out,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		    "shape-rendering=\"crispEdges\">"
		    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		    side, side, side, side);
	/* Each horizontal run of dark modules is one rectangle of the path. */
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			int n = qr_run(qr, x, y);
			if (!n) {
				x++;
				continue;
			}
			sbuf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, n, n);
			x += n;
		}
	}
	sbuf_adds(out, "\"/></svg>\n");
	QRcode_free(qr);
	return 0;
}

/* ========================== page geometry (points) ========================= */

#define MM PDF_MM
#define PAGE_W PDF_A4_W
#define PAGE_H PDF_A4_H
#define FRAME_OUT (9 * MM)          /* inset of the outer border line */
#define FRAME_IN (10.8 * MM)        /* inset of the inner border line */
#define CONTENT_X0 (25 * MM)
#define CONTENT_X1 (PAGE_W - 25 * MM)
#define CONTENT_W (CONTENT_X1 - CONTENT_X0)
#define TITLE_TOP (30 * MM)
#define CONTENT_BOTTOM (PAGE_H - 22 * MM)
#define QR_SIDE (27 * MM)           /* the dark modules' square, quiet zone outside */
#define COLUMN_GAP (4 * MM)         /* between a label and its value */
#define URL_MAX_W (80 * MM)
/* More of a value than the page can show at the smallest size (~3,000
 * characters): the rest is dropped before layout, which would cost ~10 ms
 * per 10,000 characters at each fitting try. */
#define VALUE_MAX_BYTES 12000

#define FONT_TITLE "Noto Serif CJK SC Bold 30"
#define FONT_NUMBER "Noto Serif CJK SC 12"
#define FONT_ISSUER "Noto Serif CJK SC 13"
#define FONT_SEAL "Noto Serif CJK SC 10"
#define FONT_SMALL "Noto Serif CJK SC 9"
#define FONT_URL "Liberation Sans 7.5"

/* The fitted body: sizes at scale 1, shrunk together when the fields are long. */
#define LABEL_PT 11
#define VALUE_PT 12.5
#define STATUS_PT 14
#define ROW_GAP_PT 8.5
#define MIN_SCALE 0.64
#define SCALE_STEP 0.04

/* Colours: ink, a dark blue for the frame and title, and the status colours. */
static const double ink[3] = {0, 0, 0};
static const double ink_label[3] = {0.28, 0.28, 0.30};
static const double ink_soft[3] = {0.40, 0.40, 0.42};
static const double accent[3] = {0.09, 0.22, 0.42};
static const double status_ok[3] = {0.08, 0.50, 0.24};
static const double status_bad[3] = {0.78, 0.08, 0.08};
static const double status_bad_fill[3] = {1.0, 0.92, 0.92};

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontDescription *font_title, *font_number, *font_issuer, *font_seal, *font_small,
	*font_url;

static void fonts_load(void)
{
	font_title = pango_font_description_from_string(FONT_TITLE);
	font_number = pango_font_description_from_string(FONT_NUMBER);
	font_issuer = pango_font_description_from_string(FONT_ISSUER);
	font_seal = pango_font_description_from_string(FONT_SEAL);
	font_small = pango_font_description_from_string(FONT_SMALL);
	font_url = pango_font_description_from_string(FONT_URL);
}

/* A font of family at size points (owned by the caller). */
static PangoFontDescription *font_at(const char *family, PangoWeight weight, double size)
{
	PangoFontDescription *f = pango_font_description_new();
	pango_font_description_set_family(f, family);
	pango_font_description_set_weight(f, weight);
	pango_font_description_set_size(f, (int)(size * PANGO_SCALE));
	return f;
}

/* ============================== the document ============================== */

/* A label and its value; the value's top line shares the label's baseline. */
struct field {
	PangoLayout *label, *value;
};

enum { LONG_FIELDS = 7, GRID_FIELDS = 4 };

struct cert_doc {
	const struct cert_print *c;
	const QRcode *qr;
	cairo_t *cr;
	PangoContext *ctx;

	char first_issue[64], issue[64], expiry[64], headcount[32];
	char *clipped[LONG_FIELDS];            /* values cut to VALUE_MAX_BYTES */

	/* fixed parts */
	PangoLayout *title, *number, *issuer, *seal, *scan, *url;

	/* the fitted body, rebuilt at each scale */
	double scale;
	double gap_extra;                      /* spread a short body over the page */
	PangoFontDescription *font_label, *font_value, *font_status;
	struct field fields[LONG_FIELDS];
	struct field grid[GRID_FIELDS];        /* two by two: dates and headcount */
	PangoLayout *status_label, *status;    /* NULL status: no box */
	PangoLayout *attest;
	double label_w, grid_label_w[2];
	double body_top, body_bottom;          /* the space the body must fit in */
};

static PangoLayout *new_layout(struct cert_doc *doc, const PangoFontDescription *font,
			       const char *text, double width, const char *latin)
{
	return pdf_layout_new(doc->ctx, font, text, width, latin);
}

static void unref(PangoLayout **l)
{
	if (*l)
		g_object_unref(*l);
	*l = NULL;
}

static void set_rgb(cairo_t *cr, const double rgb[3])
{
	cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* Space the characters of a layout apart by `points` (the title). */
static void letter_space(PangoLayout *l, double points)
{
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(points * PANGO_SCALE)));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
}

/* ================================ build =================================== */

/* s cut to at most VALUE_MAX_BYTES at a character boundary (malloc'd). */
static char *clip(const char *s)
{
	size_t n = strlen(pdf_nz(s));
	if (n > VALUE_MAX_BYTES) {
		n = VALUE_MAX_BYTES;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	char *out = xmalloc(n + 1);
	memcpy(out, pdf_nz(s), n);
	out[n] = '\0';
	return out;
}

static void build_fixed(struct cert_doc *doc)
{
	const struct cert_print *c = doc->c;
	const char *values[LONG_FIELDS] = {c->holder, c->uscc,     c->address, c->sites,
					   c->scope,  c->standard, c->scheme};
	for (int i = 0; i < LONG_FIELDS; i++)
		doc->clipped[i] = clip(values[i]);
	doc->title = new_layout(doc, font_title, "质量管理体系认证证书", 0, NULL);
	letter_space(doc->title, 3);

	char number[160];
	snprintf(number, sizeof(number), "证书编号：%s", pdf_nz(c->number));
	doc->number = new_layout(doc, font_number, number, CONTENT_W, PDF_LATIN_SERIF);
	pango_layout_set_alignment(doc->number, PANGO_ALIGN_CENTER);

	double left_w = CONTENT_W - QR_SIDE - 12 * MM;
	char issuer[512];
	snprintf(issuer, sizeof(issuer), "发证机构：%s", pdf_nz(c->issuer));
	doc->issuer = new_layout(doc, font_issuer, issuer, left_w, PDF_LATIN_SERIF);
	doc->seal = new_layout(doc, font_seal, "（发证机构盖章）", 0, NULL);

	if (doc->qr) {
		doc->scan = new_layout(doc, font_small, "扫码核验证书状态", 0, NULL);
		doc->url = new_layout(doc, font_url, c->verify_url, 0, PDF_LATIN_SANS);
		if (pdf_layout_w(doc->url) > URL_MAX_W) {
			/* Wrapped, at most three lines (a QR code holds up to 2,331 bytes). */
			pango_layout_set_width(doc->url, (int)(URL_MAX_W * PANGO_SCALE));
			pango_layout_set_height(doc->url, -3);
			pango_layout_set_ellipsize(doc->url, PANGO_ELLIPSIZE_END);
		}
		pango_layout_set_alignment(doc->url, PANGO_ALIGN_CENTER);
	}

	pdf_format_date_cn(c->first_issue, doc->first_issue, sizeof(doc->first_issue));
	pdf_format_date_cn(c->issue, doc->issue, sizeof(doc->issue));
	pdf_format_date_cn(c->expiry, doc->expiry, sizeof(doc->expiry));
	if (c->headcount > 0)
		snprintf(doc->headcount, sizeof(doc->headcount), "%ld 人", c->headcount);
}

static void body_free(struct cert_doc *doc)
{
	for (int i = 0; i < LONG_FIELDS; i++) {
		unref(&doc->fields[i].label);
		unref(&doc->fields[i].value);
	}
	for (int i = 0; i < GRID_FIELDS; i++) {
		unref(&doc->grid[i].label);
		unref(&doc->grid[i].value);
	}
	unref(&doc->status_label);
	unref(&doc->status);
	unref(&doc->attest);
	PangoFontDescription **fonts[] = {&doc->font_label, &doc->font_value, &doc->font_status};
	for (size_t i = 0; i < ARRAY_SIZE(fonts); i++) {
		if (*fonts[i])
			pango_font_description_free(*fonts[i]);
		*fonts[i] = NULL;
	}
}

static double widest_label(struct field *f, int n, int step)
{
	double w = 0;
	for (int i = 0; i < n; i += step)
		if (pdf_layout_w(f[i].label) > w)
			w = pdf_layout_w(f[i].label);
	return w;
}

/* Labels and values of the body at doc->scale, wrapped to their columns. */
static void build_body(struct cert_doc *doc)
{
	const struct cert_print *c = doc->c;
	char *const *v = doc->clipped;
	double s = doc->scale;
	doc->font_label = font_at("Noto Serif CJK SC", PANGO_WEIGHT_NORMAL, LABEL_PT * s);
	doc->font_value = font_at("Noto Serif CJK SC", PANGO_WEIGHT_NORMAL, VALUE_PT * s);
	doc->font_status = font_at("Noto Serif CJK SC", PANGO_WEIGHT_BOLD, STATUS_PT * s);

	const char *long_fields[LONG_FIELDS][2] = {
		{"获证组织：", v[0]}, {"统一社会信用代码：", v[1]}, {"注册地址：", v[2]},
		{"认证覆盖的场所：", v[3]}, {"认证范围：", v[4]}, {"认证依据：", v[5]},
		{"认证项目：", v[6]},
	};
	for (int i = 0; i < LONG_FIELDS; i++)
		doc->fields[i].label = new_layout(doc, doc->font_label, long_fields[i][0], 0, NULL);
	doc->label_w = widest_label(doc->fields, LONG_FIELDS, 1);
	double value_w = CONTENT_W - doc->label_w - COLUMN_GAP;
	for (int i = 0; i < LONG_FIELDS; i++)
		doc->fields[i].value = new_layout(doc, doc->font_value, long_fields[i][1], value_w,
						  PDF_LATIN_SERIF);

	/* Grid: column 0 holds fields 0 and 2, column 1 fields 1 and 3. */
	const char *grid_fields[GRID_FIELDS][2] = {
		{"初次颁证日期：", doc->first_issue}, {"本次颁证日期：", doc->issue},
		{"有效期至：", doc->expiry},          {"覆盖人数：", doc->headcount},
	};
	for (int i = 0; i < GRID_FIELDS; i++)
		doc->grid[i].label = new_layout(doc, doc->font_label, grid_fields[i][0], 0, NULL);
	/* The left grid column aligns with the long fields' values. */
	doc->grid_label_w[0] = doc->label_w;
	doc->grid_label_w[1] = widest_label(doc->grid + 1, GRID_FIELDS - 1, 2);
	for (int i = 0; i < GRID_FIELDS; i++) {
		double col_w = i % 2 ? CONTENT_W / 2 : CONTENT_W / 2 - 2 * MM;
		double w = col_w - doc->grid_label_w[i % 2] - COLUMN_GAP;
		doc->grid[i].value = new_layout(doc, doc->font_value, grid_fields[i][1], w,
						PDF_LATIN_SERIF);
	}

	if (!pdf_blank(c->status_label)) {
		doc->status_label = new_layout(doc, doc->font_label, "证书状态：", 0, NULL);
		doc->status = new_layout(doc, doc->font_status, c->status_label,
					 value_w - 16 * s, PDF_LATIN_SERIF);
	}

	PangoFontDescription *attest_font =
		font_at("Noto Serif CJK SC", PANGO_WEIGHT_NORMAL, (VALUE_PT + 1) * s);
	doc->attest = new_layout(doc, attest_font,
				 "兹证明上述组织的质量管理体系符合认证依据的要求，特发此证。",
				 CONTENT_W, NULL);
	pango_layout_set_indent(doc->attest, (int)(2 * (VALUE_PT + 1) * s * PANGO_SCALE));
	pango_font_description_free(attest_font);
}

static double row_gap(const struct cert_doc *doc)
{
	return ROW_GAP_PT * doc->scale + doc->gap_extra;
}

/* How many row gaps the body has (see body_h). */
static double body_gaps(const struct cert_doc *doc)
{
	return LONG_FIELDS + 1 + GRID_FIELDS / 2 + (doc->status ? 1 : 0) + 2.5;
}

/* Height of a label and value sharing the first baseline. */
static double field_h(const struct field *f)
{
	double lb = pdf_layout_baseline(f->label), vb = pdf_layout_baseline(f->value);
	double base = lb > vb ? lb : vb;
	double lh = base - lb + pdf_layout_h(f->label);
	double vh = base - vb + pdf_layout_h(f->value);
	return lh > vh ? lh : vh;
}

static double grid_row_h(const struct cert_doc *doc, int row)
{
	double a = field_h(&doc->grid[2 * row]), b = field_h(&doc->grid[2 * row + 1]);
	return a > b ? a : b;
}

#define STATUS_PAD_X(doc) (8 * (doc)->scale)
#define STATUS_PAD_Y(doc) (3 * (doc)->scale)

static double status_h(const struct cert_doc *doc)
{
	return doc->status ? pdf_layout_h(doc->status) + 2 * STATUS_PAD_Y(doc) : 0;
}

/* Height of the whole body: fields, grid, status box and the attestation. */
static double body_h(const struct cert_doc *doc)
{
	double h = 0, gap = row_gap(doc);
	for (int i = 0; i < LONG_FIELDS; i++)
		h += field_h(&doc->fields[i]) + gap;
	h += gap; /* a little air before the dates */
	for (int row = 0; row < GRID_FIELDS / 2; row++)
		h += grid_row_h(doc, row) + gap;
	if (doc->status)
		h += status_h(doc) + gap;
	h += 2.5 * gap + pdf_layout_h(doc->attest);
	return h;
}

/*
 * At the smallest size, cut the tallest values with "…" until the body fits
 * (a scope of several pages still gives a one-page certificate).
 */
static void cut_to_fit(struct cert_doc *doc)
{
	double avail = doc->body_bottom - doc->body_top;
	for (int round = 0; round < 2 * LONG_FIELDS && body_h(doc) > avail; round++) {
		struct field *tallest = &doc->fields[0];
		for (int i = 1; i < LONG_FIELDS; i++)
			if (pdf_layout_h(doc->fields[i].value) > pdf_layout_h(tallest->value))
				tallest = &doc->fields[i];
		double line_h = VALUE_PT * doc->scale * PDF_LINE_HEIGHT;
		double h = pdf_layout_h(tallest->value) - (body_h(doc) - avail);
		if (h < line_h)
			h = line_h;
		pango_layout_set_ellipsize(tallest->value, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(tallest->value, (int)(h * PANGO_SCALE));
	}
}

/* Build the body at scale 1 - step * SCALE_STEP; true when it fits. */
static bool try_scale(struct cert_doc *doc, int step)
{
	body_free(doc);
	doc->scale = 1.0 - step * SCALE_STEP;
	build_body(doc);
	return body_h(doc) <= doc->body_bottom - doc->body_top;
}

/*
 * The largest scale (in steps of 4 %) at which the body fits, found by
 * bisection since long texts make each try cost a few ms; at the smallest
 * scale the longest values are cut. A short body gets up to 70 % wider gaps
 * instead, so that the page does not look empty in the middle.
 */
static void fit_body(struct cert_doc *doc)
{
	double avail = doc->body_bottom - doc->body_top;
	int max_step = (int)((1.0 - MIN_SCALE) / SCALE_STEP + 0.5);
	if (!try_scale(doc, 0)) {
		int lo = 0, hi = max_step; /* lo does not fit; hi fits or is the smallest */
		while (hi - lo > 1) {
			int mid = (lo + hi) / 2;
			if (try_scale(doc, mid))
				hi = mid;
			else
				lo = mid;
		}
		if (doc->scale != 1.0 - hi * SCALE_STEP)
			try_scale(doc, hi);
	}
	cut_to_fit(doc);
	double spare = avail - body_h(doc);
	if (spare > 0) {
		doc->gap_extra = spare / body_gaps(doc);
		if (doc->gap_extra > 0.7 * ROW_GAP_PT * doc->scale)
			doc->gap_extra = 0.7 * ROW_GAP_PT * doc->scale;
	}
}

/* ================================ draw ==================================== */

static void draw_diamond(cairo_t *cr, double cx, double cy, double r)
{
	cairo_move_to(cr, cx, cy - r);
	cairo_line_to(cr, cx + r, cy);
	cairo_line_to(cr, cx, cy + r);
	cairo_line_to(cr, cx - r, cy);
	cairo_close_path(cr);
	cairo_fill(cr);
}

/* The thin double border with a small diamond in each inner corner. */
static void draw_frame(struct cert_doc *doc)
{
	cairo_t *cr = doc->cr;
	cairo_save(cr);
	set_rgb(cr, accent);
	cairo_set_line_width(cr, 1.4);
	cairo_rectangle(cr, FRAME_OUT, FRAME_OUT, PAGE_W - 2 * FRAME_OUT, PAGE_H - 2 * FRAME_OUT);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.5);
	cairo_rectangle(cr, FRAME_IN, FRAME_IN, PAGE_W - 2 * FRAME_IN, PAGE_H - 2 * FRAME_IN);
	cairo_stroke(cr);
	double d = FRAME_IN + 2.2 * MM;
	draw_diamond(cr, d, d, 1.3 * MM);
	draw_diamond(cr, PAGE_W - d, d, 1.3 * MM);
	draw_diamond(cr, d, PAGE_H - d, 1.3 * MM);
	draw_diamond(cr, PAGE_W - d, PAGE_H - d, 1.3 * MM);
	cairo_restore(cr);
}

/* Title, an ornamental rule and the number; returns where the body may start. */
static double draw_header(struct cert_doc *doc)
{
	cairo_t *cr = doc->cr;
	double y = TITLE_TOP;
	cairo_save(cr);
	set_rgb(cr, accent);
	pdf_show_layout(cr, doc->title, (PAGE_W - pdf_layout_w(doc->title)) / 2, y);
	y += pdf_layout_h(doc->title) + 4 * MM;

	/* ———— ◆ ———— */
	double cx = PAGE_W / 2, half = 42 * MM;
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, cx - half, y);
	cairo_line_to(cr, cx - 2.5 * MM, y);
	cairo_move_to(cr, cx + 2.5 * MM, y);
	cairo_line_to(cr, cx + half, y);
	cairo_stroke(cr);
	draw_diamond(cr, cx, y, 1.2 * MM);
	cairo_restore(cr);
	y += 4 * MM;

	set_rgb(cr, ink);
	pdf_show_layout(cr, doc->number, CONTENT_X0, y);
	return y + pdf_layout_h(doc->number) + 9 * MM;
}

/* A label at x and its value at vx, on a shared first baseline; returns the height. */
static double draw_field(struct cert_doc *doc, const struct field *f, double x, double vx, double y)
{
	double lb = pdf_layout_baseline(f->label), vb = pdf_layout_baseline(f->value);
	double base = lb > vb ? lb : vb;
	set_rgb(doc->cr, ink_label);
	pdf_show_layout(doc->cr, f->label, x, y + base - lb);
	set_rgb(doc->cr, ink);
	pdf_show_layout(doc->cr, f->value, vx, y + base - vb);
	return field_h(f);
}

/* 有效 in a green outline; any other status in red on pink, so it cannot be missed. */
static double draw_status(struct cert_doc *doc, double y)
{
	cairo_t *cr = doc->cr;
	bool valid = strcmp(doc->c->status_label, "有效") == 0;
	double pad_x = STATUS_PAD_X(doc), pad_y = STATUS_PAD_Y(doc);
	double bx = CONTENT_X0 + doc->label_w + COLUMN_GAP;
	double bw = pdf_layout_w(doc->status) + 2 * pad_x, bh = status_h(doc);

	double lb = pdf_layout_baseline(doc->status_label);
	double sb = pad_y + pdf_layout_baseline(doc->status);
	set_rgb(cr, ink_label);
	pdf_show_layout(cr, doc->status_label, CONTENT_X0, y + sb - lb);

	cairo_save(cr);
	cairo_rectangle(cr, bx, y, bw, bh);
	if (!valid) {
		set_rgb(cr, status_bad_fill);
		cairo_fill_preserve(cr);
	}
	set_rgb(cr, valid ? status_ok : status_bad);
	cairo_set_line_width(cr, valid ? 1.2 : 2.0);
	cairo_stroke(cr);
	pdf_show_layout(cr, doc->status, bx + pad_x, y + pad_y);
	cairo_restore(cr);
	return bh;
}

static void draw_body(struct cert_doc *doc)
{
	double y = doc->body_top, gap = row_gap(doc);
	double vx = CONTENT_X0 + doc->label_w + COLUMN_GAP;
	for (int i = 0; i < LONG_FIELDS; i++)
		y += draw_field(doc, &doc->fields[i], CONTENT_X0, vx, y) + gap;
	y += gap;
	double x1 = CONTENT_X0 + CONTENT_W / 2;
	double vx1 = x1 + doc->grid_label_w[1] + COLUMN_GAP;
	for (int row = 0; row < GRID_FIELDS / 2; row++) {
		draw_field(doc, &doc->grid[2 * row], CONTENT_X0, vx, y);
		draw_field(doc, &doc->grid[2 * row + 1], x1, vx1, y);
		y += grid_row_h(doc, row) + gap;
	}
	if (doc->status)
		y += draw_status(doc, y) + gap;
	y += 2.5 * gap;
	set_rgb(doc->cr, ink);
	pdf_show_layout(doc->cr, doc->attest, CONTENT_X0, y);
}

/* The dark modules as one filled path of row runs: no seams, no bitmap. */
static void draw_qr(cairo_t *cr, const QRcode *qr, double x0, double y0, double side)
{
	double m = side / qr->width;
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			int n = qr_run(qr, x, y);
			if (!n) {
				x++;
				continue;
			}
			cairo_rectangle(cr, x0 + x * m, y0 + y * m, n * m, m);
			x += n;
		}
	}
	cairo_fill(cr);
}

/*
 * Bottom: the issuer and its seal space on the left, the QR code with
 * 「扫码核验证书状态」 and the URL on the right. Returns the top of this block.
 */
static double bottom_top(const struct cert_doc *doc)
{
	double h = QR_SIDE;
	if (doc->qr)
		h += 3 * MM + pdf_layout_h(doc->scan) + 1 * MM + pdf_layout_h(doc->url);
	double left = pdf_layout_h(doc->issuer) + 30 * MM;
	return CONTENT_BOTTOM - (h > left ? h : left);
}

static void draw_bottom(struct cert_doc *doc)
{
	cairo_t *cr = doc->cr;
	double top = bottom_top(doc);

	/* Issuer near the top of the block; the seal goes over 「（发证机构盖章）」. */
	set_rgb(cr, ink);
	pdf_show_layout(cr, doc->issuer, CONTENT_X0, top + 4 * MM);
	double seal_y = top + 4 * MM + pdf_layout_h(doc->issuer) + 6 * MM;
	double seal_x = CONTENT_X0 + (pdf_layout_w(doc->issuer) - pdf_layout_w(doc->seal)) / 2;
	set_rgb(cr, ink_soft);
	pdf_show_layout(cr, doc->seal, seal_x, seal_y);

	if (!doc->qr)
		return;
	double qx = CONTENT_X1 - QR_SIDE, cx = qx + QR_SIDE / 2;
	set_rgb(cr, ink);
	draw_qr(cr, doc->qr, qx, top, QR_SIDE);
	double y = top + QR_SIDE + 3 * MM;
	pdf_show_layout(cr, doc->scan, cx - pdf_layout_w(doc->scan) / 2, y);
	y += pdf_layout_h(doc->scan) + 1 * MM;
	/* Centred under the code, but never past the right margin. */
	double w = pdf_layout_w(doc->url);
	double x = cx - w / 2;
	if (x + w > CONTENT_X1)
		x = CONTENT_X1 - w;
	set_rgb(cr, ink_soft);
	pdf_show_layout(cr, doc->url, x, y);
}

static void doc_free(struct cert_doc *doc)
{
	body_free(doc);
	PangoLayout **fixed[] = {&doc->title, &doc->number, &doc->issuer,
				 &doc->seal,  &doc->scan,   &doc->url};
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		unref(fixed[i]);
	for (int i = 0; i < LONG_FIELDS; i++)
		free(doc->clipped[i]);
	if (doc->ctx)
		g_object_unref(doc->ctx);
}

/* ================================ entry =================================== */

static int render_locked(struct cert_doc *doc, struct sbuf *out, char *err, size_t errlen)
{
	size_t start_len = out->len;
	cairo_surface_t *surface =
		pdf_surface_new(out, PAGE_W, PAGE_H, "质量管理体系认证证书", doc->c->holder);
	doc->cr = cairo_create(surface);
	doc->ctx = pdf_context_new(doc->cr);

	build_fixed(doc);
	draw_frame(doc);
	doc->body_top = draw_header(doc);
	doc->body_bottom = bottom_top(doc) - 12 * MM;
	fit_body(doc);
	draw_body(doc);
	draw_bottom(doc);
	cairo_show_page(doc->cr);

	doc_free(doc);
	return pdf_surface_end(doc->cr, surface, out, start_len, err, errlen);
}

int render_certificate_pdf(const struct cert_print *c, struct sbuf *out, char *err, size_t errlen)
{
	if (!c || !out) {
		snprintf(err, errlen, "生成证书失败：缺少参数");
		return -1;
	}
	struct cert_doc doc = {.c = c};
	/* Encode outside the lock: it needs no fonts. */
	QRcode *qr = NULL;
	if (!pdf_blank(c->verify_url) && !(qr = qr_encode(c->verify_url, err, errlen)))
		return -1;
	doc.qr = qr;

	pthread_once(&fonts_once, fonts_load);
	pdf_lock();
	int rc = render_locked(&doc, out, err, errlen);
	pdf_unlock();
	if (qr)
		QRcode_free(qr);
	return rc;
}
