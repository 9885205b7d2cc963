/*
 * report.c - the statutory reports a district bureau or a certification
 * body files to the city (中期推进情况报告, 年度工作总结) as an A4 PDF of as
 * many pages as the text needs.
 *
 * The report, top to bottom: programme and title; the information table
 * (报送单位, 报告类型, 报送期限, 数据截至); the 主要数据 table (指标, 数值,
 * 说明); the text sections, each a heading and its paragraphs; the
 * signature block (报送单位（盖章）, 日期). A draft carries a grey
 * 「草稿（未提交）」 band at the top of every page and a light diagonal
 * watermark behind the text.
 *
 * A document is made in three steps, like the diagnosis report (diagnosis.c):
 *   1. build:    everything becomes a list of blocks (a heading, a table row,
 *                a paragraph, the signature) whose text is laid out once and
 *                kept as positioned lines;
 *   2. paginate: blocks are placed top to bottom. A heading stays with the
 *                first two lines of what follows it; a table row that does
 *                not fit moves whole to the next page, where the table's
 *                header row is repeated; a paragraph is cut between two text
 *                lines, leaving at least two lines on either side (no widows
 *                or orphans); the signature takes the last lines of the text
 *                with it rather than stand alone on a page;
 *   3. draw:     page by page, so the footer knows the page count.
 *
 * Fonts, the render lock and the layout helpers are shared with the other
 * PDFs (pdf_common.h). User text is set with pango_layout_set_text(), never
 * as markup.
 */
#include "render.h"
#include "pdf_common.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== page geometry (points) ======================== */

#define MM PDF_MM
#define PAGE_W PDF_A4_W
#define PAGE_H PDF_A4_H
#define MARGIN (20 * MM)
#define X0 MARGIN
#define X1 (PAGE_W - MARGIN)
#define CONTENT_W (X1 - X0)
#define BODY_BOTTOM (PAGE_H - MARGIN)
#define DRAFT_SHIFT (7 * MM)   /* a draft's body starts lower, below the band */
#define DRAFT_BAND_Y (8 * MM)
#define DRAFT_BAND_H (7 * MM)
#define PAD_X 5.0              /* cell padding, left and right */
#define PAD_Y 3.5              /* cell padding, top and bottom */
#define LINE_OUTER 0.8
#define LINE_INNER 0.5
#define GAP_SECTION 16.0       /* above a section heading */
#define GAP_BODY 6.0           /* between a heading and its content */
#define GAP_PARA 4.0           /* between two paragraphs */
#define GAP_SIGN 36.0          /* between the text and the signature block */
#define SIGN_LINE_GAP 16.0     /* between the two lines of the signature block */
#define MIN_LINES 2            /* lines a paragraph keeps on either side of a page break */
#define EPS 0.01

#define FONT_TITLE "Noto Serif CJK SC Bold 18"
#define FONT_PROGRAMME "Noto Sans CJK SC 10.5"
#define FONT_HEADING "Noto Sans CJK SC Bold 12"
#define FONT_BODY "Noto Serif CJK SC 11"
#define FONT_CELL "Noto Sans CJK SC 9"
#define FONT_CELL_BOLD "Noto Sans CJK SC Bold 9"
#define FONT_VALUE "Noto Sans CJK SC Bold 10"
#define FONT_NOTE "Noto Sans CJK SC 8.5"
#define FONT_SIGN "Noto Sans CJK SC 10.5"
#define FONT_DRAFT "Noto Sans CJK SC Bold 9.5"
#define FONT_DRAFT_NOTE "Noto Sans CJK SC 8.5"
#define FONT_WATERMARK "Noto Sans CJK SC Bold 120"
#define FONT_FOOTER "Noto Sans CJK SC 8"

static const double ink[3] = {0, 0, 0};
static const double ink_soft[3] = {0.38, 0.38, 0.40};
static const double fill_head[3] = {0.89, 0.91, 0.94};
static const double fill_label[3] = {0.955, 0.96, 0.97};
static const double accent[3] = {0.09, 0.22, 0.42};
static const double draft_red[3] = {0.70, 0.08, 0.08};
static const double draft_fill[3] = {0.925, 0.925, 0.93};
static const double watermark[3] = {0.35, 0.35, 0.40};

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontDescription *font_title, *font_programme, *font_heading, *font_body, *font_cell,
	*font_cell_bold, *font_value, *font_note, *font_sign, *font_draft, *font_draft_note,
	*font_watermark, *font_footer;

static void fonts_load(void)
{
	font_title = pango_font_description_from_string(FONT_TITLE);
	font_programme = pango_font_description_from_string(FONT_PROGRAMME);
	font_heading = pango_font_description_from_string(FONT_HEADING);
	font_body = pango_font_description_from_string(FONT_BODY);
	font_cell = pango_font_description_from_string(FONT_CELL);
	font_cell_bold = pango_font_description_from_string(FONT_CELL_BOLD);
	font_value = pango_font_description_from_string(FONT_VALUE);
	font_note = pango_font_description_from_string(FONT_NOTE);
	font_sign = pango_font_description_from_string(FONT_SIGN);
	font_draft = pango_font_description_from_string(FONT_DRAFT);
	font_draft_note = pango_font_description_from_string(FONT_DRAFT_NOTE);
	font_watermark = pango_font_description_from_string(FONT_WATERMARK);
	font_footer = pango_font_description_from_string(FONT_FOOTER);
}

/* ============================ the document =============================== */

/* One line of laid-out text, positioned in its block (top = 0, padding excluded). */
struct line_box {
	PangoLayoutLine *line; /* owned by a layout in doc->layouts */
	double x;              /* absolute left edge of the line */
	double top, bottom, base;
	const double *rgb;
};

/* A drawn blank to write on (the signature block), relative to the block's content. */
struct rule {
	double x0, x1, y;
};

enum block_kind { BK_TEXT, BK_ROW, BK_SIGN };

#define MAX_COLS 4
#define MAX_TABLES 4
#define MAX_RULES 4

/*
 * A unit of the flow. Its height is content_h + 2 * pad; a segment
 * [c0, c1) of the content may be placed on its own when the block is cut.
 */
struct block {
	enum block_kind kind;
	struct line_box *lines;
	int nlines, lines_cap;
	double content_h, pad;
	double space_before;  /* dropped at the top of a page */
	bool keep_with_next;  /* a heading: never last on a page */
	bool keep_with_prev;  /* the signature: never alone on a page */
	bool flow;            /* a paragraph: cut to fill the page, MIN_LINES each side */
	bool rule_below;      /* the title: an accent rule under it */
	struct rule rules[MAX_RULES];
	int nrules;
	/* BK_ROW */
	int table;
	bool is_header;
	int ncells;
	double cell_x[MAX_COLS + 1];
	const double *cell_fill[MAX_COLS]; /* NULL = none */
};

struct table {
	int ncols;
	double x[MAX_COLS + 1];
	int header; /* block index of the header row, -1 none */
};

/* Block `block`, or the segment [c0, c1) of its content, on one page. */
struct placed {
	int block, page;
	double y, c0, c1;
};

struct report_doc {
	const struct report_print *r;
	cairo_t *cr;
	PangoContext *ctx;
	int n_figures, n_sections;
	double body_top;              /* lower on a draft, below the band */

	PangoLayout **layouts;        /* every layout made, unref'd at the end */
	int nlayouts, layouts_cap;

	struct block *blocks;
	int nblocks, blocks_cap;
	struct table tables[MAX_TABLES];
	int ntables;

	struct placed *placed;
	int nplaced, placed_cap;
	int npages;
	int force_block;              /* a page break before (force_block, force_c), -1 none */
	double force_c;
};

static bool serif(const PangoFontDescription *font)
{
	return font == font_title || font == font_body;
}

/* A layout kept by the document until the end (see pdf_layout_new). */
static PangoLayout *new_layout(struct report_doc *doc, const PangoFontDescription *font,
			       const char *text, double width, PangoAlignment align)
{
	PangoLayout *l = pdf_layout_new(doc->ctx, font, text, width,
					serif(font) ? PDF_LATIN_SERIF : PDF_LATIN_SANS);
	if (align != PANGO_ALIGN_LEFT)
		pango_layout_set_alignment(l, align);
	if (doc->nlayouts == doc->layouts_cap) {
		doc->layouts_cap = doc->layouts_cap ? 2 * doc->layouts_cap : 64;
		doc->layouts = xrealloc(doc->layouts, (size_t)doc->layouts_cap * sizeof(*doc->layouts));
	}
	doc->layouts[doc->nlayouts++] = l;
	return l;
}

static void set_rgb(cairo_t *cr, const double rgb[3])
{
	cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

static void hline(cairo_t *cr, double x0, double x1, double y, double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

/* 「中期推进情况报告」 when no title is given, from the kind; 「工作报告」 without either. */
static void title_of(const struct report_print *r, char *out, size_t outlen)
{
	if (!pdf_blank(r->title)) {
		snprintf(out, outlen, "%s", r->title);
		return;
	}
	if (pdf_blank(r->kind_name)) {
		snprintf(out, outlen, "工作报告");
		return;
	}
	size_t n = strlen(r->kind_name);
	bool complete = (n >= 6 && (strcmp(r->kind_name + n - 6, "报告") == 0 ||
				    strcmp(r->kind_name + n - 6, "总结") == 0));
	snprintf(out, outlen, "%s%s", r->kind_name, complete ? "" : "报告");
}

/* ================================ blocks ================================== */

static int block_new(struct report_doc *doc, enum block_kind kind, double space_before)
{
	if (doc->nblocks == doc->blocks_cap) {
		doc->blocks_cap = doc->blocks_cap ? 2 * doc->blocks_cap : 64;
		doc->blocks = xrealloc(doc->blocks, (size_t)doc->blocks_cap * sizeof(*doc->blocks));
	}
	struct block *b = &doc->blocks[doc->nblocks];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->space_before = space_before;
	b->table = -1;
	return doc->nblocks++;
}

static double block_h(const struct block *b)
{
	return b->content_h + 2 * b->pad;
}

/*
 * Add the lines of l to block bi with the layout's top-left at (x, top) in
 * the block's content; returns the layout's height.
 */
static double block_add_layout(struct report_doc *doc, int bi, PangoLayout *l, double x,
			       double top, const double *rgb)
{
	struct block *b = &doc->blocks[bi];
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		if (b->nlines == b->lines_cap) {
			b->lines_cap = b->lines_cap ? 2 * b->lines_cap : 8;
			b->lines = xrealloc(b->lines, (size_t)b->lines_cap * sizeof(*b->lines));
		}
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		b->lines[b->nlines++] = (struct line_box){
			.line = pango_layout_iter_get_line_readonly(it),
			.x = x + (double)logical.x / PANGO_SCALE,
			.top = top + (double)logical.y / PANGO_SCALE,
			.bottom = top + (double)(logical.y + logical.height) / PANGO_SCALE,
			.base = top + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE,
			.rgb = rgb ? rgb : ink,
		};
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return pdf_layout_h(l);
}

/* A block of one layout across the content width. */
static int add_text(struct report_doc *doc, const PangoFontDescription *font, const char *text,
		    double space_before, PangoAlignment align, const double *rgb)
{
	int bi = block_new(doc, BK_TEXT, space_before);
	PangoLayout *l = new_layout(doc, font, text, CONTENT_W, align);
	doc->blocks[bi].content_h = block_add_layout(doc, bi, l, X0, 0, rgb);
	return bi;
}

/* ================================ tables ================================== */

/* A table of columns with the given widths (<= 0: share what is left). */
static int table_new(struct report_doc *doc, const double *widths, int ncols)
{
	if (doc->ntables == MAX_TABLES || ncols > MAX_COLS)
		BUG("too many tables or columns in the report");
	struct table *t = &doc->tables[doc->ntables];
	double fixed = 0;
	int flex = 0;
	for (int i = 0; i < ncols; i++) {
		if (widths[i] > 0)
			fixed += widths[i];
		else
			flex++;
	}
	double flex_w = flex ? (CONTENT_W - fixed) / flex : 0;
	t->ncols = ncols;
	t->header = -1;
	t->x[0] = X0;
	for (int i = 0; i < ncols; i++)
		t->x[i + 1] = t->x[i] + (widths[i] > 0 ? widths[i] : flex_w);
	t->x[ncols] = X1; /* absorb rounding */
	return doc->ntables++;
}

enum cell_style { CELL_PLAIN, CELL_LABEL, CELL_HEAD, CELL_VALUE, CELL_NOTE };

struct cell {
	const char *text;
	int span;               /* columns; 0 means 1 */
	PangoAlignment align;
	enum cell_style style;
};

static const PangoFontDescription *cell_font(enum cell_style style)
{
	switch (style) {
	case CELL_HEAD:
		return font_cell_bold;
	case CELL_VALUE:
		return font_value;
	case CELL_NOTE:
		return font_note;
	default:
		return font_cell;
	}
}

/* A row of table t; cells are centred vertically. */
static int add_row(struct report_doc *doc, int t, const struct cell *cells, int n,
		   double space_before)
{
	const struct table *tb = &doc->tables[t];
	int bi = block_new(doc, BK_ROW, space_before);
	PangoLayout *layout[MAX_COLS] = {0};
	double x[MAX_COLS + 1];
	double content_h = 0;
	int col = 0;
	if (n > MAX_COLS)
		BUG("too many cells in a row");
	for (int i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		int span = c->span > 0 ? c->span : 1;
		if (col + span > tb->ncols)
			BUG("row wider than its table");
		x[i] = tb->x[col];
		x[i + 1] = tb->x[col + span];
		col += span;
		layout[i] = new_layout(doc, cell_font(c->style), c->text, x[i + 1] - x[i] - 2 * PAD_X,
				       c->align);
		if (pdf_layout_h(layout[i]) > content_h)
			content_h = pdf_layout_h(layout[i]);
	}
	if (col != tb->ncols)
		BUG("row narrower than its table");

	struct block *b = &doc->blocks[bi];
	b->table = t;
	b->pad = PAD_Y;
	b->content_h = content_h;
	b->ncells = n;
	for (int i = 0; i <= n; i++)
		b->cell_x[i] = x[i];
	for (int i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		b->cell_fill[i] = c->style == CELL_HEAD ? fill_head : c->style == CELL_LABEL ? fill_label
											   : NULL;
		double y = (content_h - pdf_layout_h(layout[i])) / 2;
		block_add_layout(doc, bi, layout[i], x[i] + PAD_X, y,
				 c->style == CELL_NOTE ? ink_soft : ink);
	}
	return bi;
}

/* The header row of table t: shaded, bold, repeated on every page the table reaches. */
static void add_header(struct report_doc *doc, int t, const char *const *titles, int n)
{
	struct cell cells[MAX_COLS];
	for (int i = 0; i < n; i++)
		cells[i] = (struct cell){.text = titles[i], .align = PANGO_ALIGN_CENTER,
					 .style = CELL_HEAD};
	int bi = add_row(doc, t, cells, n, GAP_BODY);
	doc->blocks[bi].is_header = true;
	doc->blocks[bi].keep_with_next = true;
	doc->tables[t].header = bi;
}

/* ================================ build =================================== */

static void build_title(struct report_doc *doc)
{
	const struct report_print *r = doc->r;
	char title[512];
	title_of(r, title, sizeof(title));
	int bi = block_new(doc, BK_TEXT, 0);
	double y = 0;
	if (!pdf_blank(r->programme_name)) {
		PangoLayout *p = new_layout(doc, font_programme, r->programme_name, CONTENT_W,
					    PANGO_ALIGN_CENTER);
		y += block_add_layout(doc, bi, p, X0, y, ink_soft) + 4;
	}
	PangoLayout *t = new_layout(doc, font_title, title, CONTENT_W, PANGO_ALIGN_CENTER);
	y += block_add_layout(doc, bi, t, X0, y, ink);
	doc->blocks[bi].content_h = y + 6;
	doc->blocks[bi].rule_below = true;
}

/* 报送单位 over the whole width; 报告类型; 报送期限 and 数据截至 side by side. */
static void build_info(struct report_doc *doc)
{
	const struct report_print *r = doc->r;
	static const char *const labels[] = {"报送单位", "报告类型", "报送期限", "数据截至"};
	double label_w = 0;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		PangoLayout *l = new_layout(doc, font_cell, labels[i], 0, PANGO_ALIGN_LEFT);
		if (pdf_layout_w(l) > label_w)
			label_w = pdf_layout_w(l);
	}
	label_w += 2 * PAD_X + 8;
	double widths[4] = {label_w, 0, label_w, 0};
	int t = table_new(doc, widths, 4);

	char due[64], at[64];
	pdf_format_date_cn(r->due, due, sizeof(due));
	pdf_format_date_cn(r->figures_at, at, sizeof(at));
#define LABEL(s) {.text = (s), .style = CELL_LABEL, .align = PANGO_ALIGN_CENTER}
#define VALUE(s, n) {.text = pdf_nz(s), .span = (n)}
	const struct cell rows[][4] = {
		{LABEL("报送单位"), VALUE(r->unit_name, 3)},
		{LABEL("报告类型"), VALUE(r->kind_name, 3)},
		{LABEL("报送期限"), VALUE(due, 1), LABEL("数据截至"), VALUE(at, 1)},
	};
	static const int ncells[] = {2, 2, 4};
#undef LABEL
#undef VALUE
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		add_row(doc, t, rows[i], ncells[i], i == 0 ? 14 : 0);
}

/* 「主要数据」 on the left and 「数据截至 …」 in small print on the right, kept with the table. */
static void build_figures_heading(struct report_doc *doc)
{
	int bi = block_new(doc, BK_TEXT, GAP_SECTION);
	PangoLayout *h = new_layout(doc, font_heading, "主要数据", 0, PANGO_ALIGN_LEFT);
	double base = pdf_layout_baseline(h);
	doc->blocks[bi].content_h = block_add_layout(doc, bi, h, X0, 0, accent);
	doc->blocks[bi].keep_with_next = true;
	if (pdf_blank(doc->r->figures_at))
		return;
	char at[64], text[96];
	pdf_format_date_cn(doc->r->figures_at, at, sizeof(at));
	snprintf(text, sizeof(text), "数据截至 %s", at);
	double w = CONTENT_W - pdf_layout_w(h) - 12;
	PangoLayout *n = new_layout(doc, font_note, text, w, PANGO_ALIGN_RIGHT);
	pango_layout_set_ellipsize(n, PANGO_ELLIPSIZE_START);
	block_add_layout(doc, bi, n, X1 - w, base - pdf_layout_baseline(n), ink_soft);
}

static void build_figures(struct report_doc *doc)
{
	const struct report_print *r = doc->r;
	static const char *const heads[] = {"指标", "数值", "说明"};
	static const double widths[] = {52 * MM, 34 * MM, 0};
	build_figures_heading(doc);
	int t = table_new(doc, widths, 3);
	add_header(doc, t, heads, 3);
	if (doc->n_figures == 0) {
		const struct cell none = {.text = "（暂无数据）", .span = 3,
					  .align = PANGO_ALIGN_CENTER, .style = CELL_NOTE};
		add_row(doc, t, &none, 1, 0);
		return;
	}
	for (int i = 0; i < doc->n_figures; i++) {
		const struct report_print_figure *f = &r->figures[i];
		const struct cell cells[] = {
			{.text = pdf_nz(f->label)},
			{.text = pdf_nz(f->value), .align = PANGO_ALIGN_CENTER, .style = CELL_VALUE},
			{.text = pdf_nz(f->note), .style = CELL_NOTE},
		};
		add_row(doc, t, cells, 3, 0);
	}
}

/* Whether s starts with white space a writer might indent a paragraph with. */
static size_t indent_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r')
		return 1;
	if (strncmp(s, "\xE3\x80\x80", 3) == 0) /* U+3000 ideographic space */
		return 3;
	return 0;
}

/*
 * One paragraph: first line indented by two characters, as in print; cut
 * between lines across pages.
 */
static void add_paragraph(struct report_doc *doc, const char *text, double space_before)
{
	int bi = block_new(doc, BK_TEXT, space_before);
	PangoLayout *l = new_layout(doc, font_body, text, CONTENT_W, PANGO_ALIGN_LEFT);
	pango_layout_set_indent(l, 2 * pango_font_description_get_size(font_body));
	doc->blocks[bi].content_h = block_add_layout(doc, bi, l, X0, 0, ink);
	doc->blocks[bi].flow = true;
}

/*
 * The paragraphs of text: runs of lines separated by blank lines. The
 * writer's own indentation is dropped (the layout indents every paragraph),
 * and a single line break stays a line break.
 */
static void add_paragraphs(struct report_doc *doc, const char *text)
{
	struct sbuf para = {0};
	bool first = true;
	const char *p = pdf_nz(text);
	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		size_t skip = 0, k;
		while (n > 0 && p[n - 1] == '\r')
			n--;
		while (skip < n && (k = indent_len(p + skip)) > 0)
			skip += k;
		if (skip < n) {
			if (para.len)
				sbuf_add(&para, "\n", 1);
			sbuf_add(&para, p + skip, n - skip);
		} else if (para.len) { /* a blank line ends the paragraph */
			add_paragraph(doc, para.buf, first ? GAP_BODY : GAP_PARA);
			first = false;
			para.len = 0;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	if (para.len)
		add_paragraph(doc, para.buf, first ? GAP_BODY : GAP_PARA);
	sbuf_free(&para);
}

static void build_sections(struct report_doc *doc)
{
	const struct report_print *r = doc->r;
	for (int i = 0; i < doc->n_sections; i++) {
		const struct report_print_section *s = &r->sections[i];
		if (!pdf_blank(s->heading)) {
			int bi = add_text(doc, font_heading, s->heading, GAP_SECTION, PANGO_ALIGN_LEFT,
					  accent);
			doc->blocks[bi].keep_with_next = true;
		}
		add_paragraphs(doc, s->text);
	}
}

/*
 * On the right:   报送单位（盖章）：________________________
 *                             日期：________年______月______日
 * with the colons aligned and both blanks ending at the right margin.
 */
static void build_signature(struct report_doc *doc)
{
	int bi = block_new(doc, BK_SIGN, GAP_SIGN);
	struct block *b = &doc->blocks[bi];
	b->keep_with_prev = true;
	PangoLayout *unit = new_layout(doc, font_sign, "报送单位（盖章）：", 0, PANGO_ALIGN_LEFT);
	PangoLayout *date = new_layout(doc, font_sign, "日期：", 0, PANGO_ALIGN_LEFT);
	PangoLayout *ymd[3] = {new_layout(doc, font_sign, "年", 0, PANGO_ALIGN_LEFT),
			       new_layout(doc, font_sign, "月", 0, PANGO_ALIGN_LEFT),
			       new_layout(doc, font_sign, "日", 0, PANGO_ALIGN_LEFT)};
	static const double blank_w[3] = {18 * MM, 11 * MM, 11 * MM};
	double blanks_w = 0;
	for (int i = 0; i < 3; i++)
		blanks_w += blank_w[i] + pdf_layout_w(ymd[i]);
	double colon_x = X1 - blanks_w;   /* where both blanks begin */
	double line_h = pdf_layout_h(unit);

	block_add_layout(doc, bi, unit, colon_x - pdf_layout_w(unit), 0, ink);
	double under = pdf_layout_baseline(unit) + 2.5;
	b->rules[b->nrules++] = (struct rule){colon_x + 2, X1, under};

	double y = line_h + SIGN_LINE_GAP;
	block_add_layout(doc, bi, date, colon_x - pdf_layout_w(date), y, ink);
	double x = colon_x;
	for (int i = 0; i < 3; i++) {
		b->rules[b->nrules++] = (struct rule){x + 2, x + blank_w[i] - 2, y + under};
		x += blank_w[i];
		block_add_layout(doc, bi, ymd[i], x, y, ink);
		x += pdf_layout_w(ymd[i]);
	}
	b->content_h = y + line_h;
}

static void build(struct report_doc *doc)
{
	build_title(doc);
	build_info(doc);
	build_figures(doc);
	build_sections(doc);
	build_signature(doc);
}

/* ============================== paginate ================================== */

static double body_h(const struct report_doc *doc)
{
	return BODY_BOTTOM - doc->body_top;
}

static void place(struct report_doc *doc, int block, int page, double y, double c0, double c1)
{
	if (doc->nplaced == doc->placed_cap) {
		doc->placed_cap = doc->placed_cap ? 2 * doc->placed_cap : 64;
		doc->placed = xrealloc(doc->placed, (size_t)doc->placed_cap * sizeof(*doc->placed));
	}
	doc->placed[doc->nplaced++] = (struct placed){block, page, y, c0, c1};
}

/*
 * Whether b may be cut at the content offset c when [c0, …) is what is left
 * of it: no line crosses c, and with strict, a paragraph keeps MIN_LINES
 * lines on either side (no orphan at the foot of a page, no widow at the top).
 */
static bool cut_ok(const struct block *b, double c0, double c, bool strict)
{
	int before = 0, after = 0;
	for (int i = 0; i < b->nlines; i++) {
		const struct line_box *lb = &b->lines[i];
		if (lb->top < c - EPS && lb->bottom > c + EPS)
			return false;
		if (lb->top >= c0 - EPS && lb->bottom <= c + EPS)
			before++;
		else if (lb->top >= c - EPS)
			after++;
	}
	if (before == 0 || after == 0)
		return false;
	return !(strict && b->flow) || (before >= MIN_LINES && after >= MIN_LINES);
}

/* The largest offset in (c0, limit] where b may be cut; c0 if none. */
static double best_cut(const struct block *b, double c0, double limit, bool strict)
{
	double best = c0;
	for (int i = 0; i < b->nlines; i++) {
		double c = b->lines[i].bottom;
		if (c > best + EPS && c <= limit + EPS && cut_ok(b, c0, c, strict))
			best = c;
	}
	return best;
}

/* The smallest offset past c0 where b may be cut (a page must take at least this). */
static double first_cut(const struct block *b, double c0, bool strict)
{
	double best = b->content_h;
	for (int i = 0; i < b->nlines; i++) {
		double c = b->lines[i].bottom;
		if (c > c0 + EPS && c < best && cut_ok(b, c0, c, strict))
			best = c;
	}
	return best;
}

/* Whether b is cut to fill a page rather than moved whole. */
static bool cuttable(const struct report_doc *doc, const struct block *b)
{
	return b->kind != BK_SIGN && (b->flow || block_h(b) > body_h(doc));
}

/* The height block i needs at the bottom of a page: all of it, or its first
 * lines when it may be cut; plus what a heading must be kept with. */
static double lead_h(const struct report_doc *doc, int i, int depth)
{
	const struct block *b = &doc->blocks[i];
	double h = cuttable(doc, b) ? first_cut(b, 0, true) + 2 * b->pad : block_h(b);
	if (b->keep_with_next && i + 1 < doc->nblocks && depth < 4) {
		const struct block *next = &doc->blocks[i + 1];
		if (next->table >= 0 && !next->is_header && doc->tables[next->table].header >= 0 &&
		    doc->tables[next->table].header != i)
			h += block_h(&doc->blocks[doc->tables[next->table].header]);
		h += next->space_before + lead_h(doc, i + 1, depth + 1);
	}
	return h;
}

struct cursor {
	int page;
	double y;
	double top;                  /* y below the repeated header: nothing else placed yet */
	int header_page[MAX_TABLES]; /* last page that shows each table's header */
};

static void new_page(const struct report_doc *doc, struct cursor *cur)
{
	cur->page++;
	cur->y = cur->top = doc->body_top;
}

/* Repeat the header of row b's table if this page does not show it yet. */
static void place_header(struct report_doc *doc, struct cursor *cur, const struct block *b)
{
	if (b->table < 0 || b->is_header)
		return;
	int hb = doc->tables[b->table].header;
	if (hb < 0 || cur->header_page[b->table] == cur->page)
		return;
	const struct block *h = &doc->blocks[hb];
	bool fresh = cur->y <= cur->top + EPS;
	place(doc, hb, cur->page, cur->y, 0, h->content_h);
	cur->y += block_h(h);
	if (fresh)
		cur->top = cur->y;
	cur->header_page[b->table] = cur->page;
}

/*
 * Place block i from cur on, over as many pages as it takes. At the forced
 * break (doc->force_block, doc->force_c) the block goes on to a new page
 * (see keep_signature).
 */
static void place_block(struct report_doc *doc, struct cursor *cur, int i)
{
	const struct block *b = &doc->blocks[i];
	bool can_cut = cuttable(doc, b);
	double force_c = i == doc->force_block ? doc->force_c : 0;
	double c0 = 0;
	for (;;) {
		double rest = b->content_h - c0 + 2 * b->pad;
		double room = BODY_BOTTOM - cur->y - 2 * b->pad;
		if (c0 < force_c - EPS && force_c - c0 <= room + EPS) {
			place(doc, i, cur->page, cur->y, c0, force_c);
			c0 = force_c;
			new_page(doc, cur);
			place_header(doc, cur, b);
			continue;
		}
		if (cur->y + rest <= BODY_BOTTOM + EPS) {
			place(doc, i, cur->page, cur->y, c0, b->content_h);
			cur->y += rest;
			return;
		}
		double c1 = can_cut ? best_cut(b, c0, c0 + room, true) : c0;
		if (c1 <= c0 + EPS) {
			if (cur->y > cur->top + EPS) {
				new_page(doc, cur);
				place_header(doc, cur, b);
				continue;
			}
			/* A fresh page: give up the widow rule, then let one line overflow
			 * rather than loop. */
			c1 = can_cut ? best_cut(b, c0, c0 + room, false) : c0;
			if (c1 <= c0 + EPS)
				c1 = can_cut ? first_cut(b, c0, false) : b->content_h;
		}
		place(doc, i, cur->page, cur->y, c0, c1);
		cur->y += c1 - c0 + 2 * b->pad;
		if (c1 >= b->content_h - EPS)
			return;
		c0 = c1;
		new_page(doc, cur);
		place_header(doc, cur, b);
	}
}

static void paginate(struct report_doc *doc)
{
	struct cursor cur = {.page = 0, .y = doc->body_top, .top = doc->body_top};
	for (int t = 0; t < MAX_TABLES; t++)
		cur.header_page[t] = -1;
	doc->nplaced = 0;

	for (int i = 0; i < doc->nblocks; i++) {
		const struct block *b = &doc->blocks[i];
		bool needs_header = b->table >= 0 && !b->is_header &&
				    doc->tables[b->table].header >= 0 &&
				    cur.header_page[b->table] != cur.page;
		double header_h =
			needs_header ? block_h(&doc->blocks[doc->tables[b->table].header]) : 0;
		double gap = cur.y > cur.top + EPS ? b->space_before : 0;
		bool forced = i == doc->force_block && doc->force_c <= EPS;
		if ((forced || cur.y + gap + header_h + lead_h(doc, i, 0) > BODY_BOTTOM + EPS) &&
		    cur.y > cur.top + EPS) {
			new_page(doc, &cur);
			gap = 0;
		}
		cur.y += gap;
		if (b->is_header)
			cur.header_page[b->table] = cur.page;
		place_header(doc, &cur, b);
		place_block(doc, &cur, i);
	}
	doc->npages = cur.page + 1;
}

/*
 * The signature must not open a page by itself: a stamp under no text
 * vouches for nothing. When it does, paginate again with a forced break
 * that sends the last MIN_LINES lines of the text before it along (or the
 * whole last block, when it cannot be cut there, with its heading).
 */
static void keep_signature(struct report_doc *doc)
{
	int n = doc->nplaced;
	if (n < 2 || !doc->blocks[doc->placed[n - 1].block].keep_with_prev)
		return;
	const struct placed *sign = &doc->placed[n - 1], *prev = &doc->placed[n - 2];
	if (prev->page == sign->page)
		return;
	const struct block *b = &doc->blocks[prev->block];
	double c = b->flow ? best_cut(b, prev->c0, prev->c1 - 1, true) : prev->c0;
	int k = n - 2;
	if (c <= prev->c0 + EPS) {
		/* The whole block moves: it cannot have begun on an earlier page. */
		if (prev->c0 > EPS)
			return;
		c = 0;
		/* A heading kept with it moves too. */
		while (k > 0 && doc->placed[k - 1].page == prev->page &&
		       doc->blocks[doc->placed[k - 1].block].keep_with_next &&
		       !doc->blocks[doc->placed[k - 1].block].is_header)
			k--;
	}
	/* Nothing would be left on the page before the break: keep it as it is. */
	if (c <= EPS && (k == 0 || doc->placed[k - 1].page != prev->page))
		return;
	doc->force_block = doc->placed[k].block;
	doc->force_c = k == n - 2 ? c : 0;
	paginate(doc);
}

/* ================================ draw ==================================== */

/* The segment [c0, c1) of block b with its top at y. */
static void draw_placed(struct report_doc *doc, const struct placed *pl)
{
	cairo_t *cr = doc->cr;
	const struct block *b = &doc->blocks[pl->block];
	double h = pl->c1 - pl->c0 + 2 * b->pad;

	if (b->kind == BK_ROW) {
		for (int i = 0; i < b->ncells; i++) {
			if (!b->cell_fill[i])
				continue;
			set_rgb(cr, b->cell_fill[i]);
			cairo_rectangle(cr, b->cell_x[i], pl->y, b->cell_x[i + 1] - b->cell_x[i], h);
			cairo_fill(cr);
		}
	}
	for (int i = 0; i < b->nlines; i++) {
		const struct line_box *lb = &b->lines[i];
		if (lb->top < pl->c0 - EPS || lb->bottom > pl->c1 + EPS)
			continue;
		set_rgb(cr, lb->rgb);
		cairo_move_to(cr, lb->x, pl->y + b->pad + lb->base - pl->c0);
		pango_cairo_show_layout_line(cr, lb->line);
	}
	set_rgb(cr, ink);
	for (int i = 0; i < b->nrules; i++)
		hline(cr, b->rules[i].x0, b->rules[i].x1, pl->y + b->pad + b->rules[i].y - pl->c0,
		      0.6);
	if (b->kind == BK_ROW) {
		hline(cr, b->cell_x[0], b->cell_x[b->ncells], pl->y, LINE_INNER);
		hline(cr, b->cell_x[0], b->cell_x[b->ncells], pl->y + h, LINE_INNER);
		cairo_set_line_width(cr, LINE_INNER);
		for (int i = 1; i < b->ncells; i++) {
			cairo_move_to(cr, b->cell_x[i], pl->y);
			cairo_line_to(cr, b->cell_x[i], pl->y + h);
		}
		cairo_stroke(cr);
	}
	if (b->rule_below) {
		set_rgb(cr, accent);
		hline(cr, X0, X1, pl->y + h, 1.2);
		hline(cr, X0, X1, pl->y + h + 2.2, 0.4);
	}
}

/* The heavier outline around each run of one table's rows on a page. */
static void draw_table_frames(struct report_doc *doc, int first, int last)
{
	cairo_t *cr = doc->cr;
	set_rgb(cr, ink);
	cairo_set_line_width(cr, LINE_OUTER);
	for (int k = first; k <= last;) {
		int t = doc->blocks[doc->placed[k].block].table;
		if (t < 0) {
			k++;
			continue;
		}
		int end = k;
		while (end + 1 <= last && doc->blocks[doc->placed[end + 1].block].table == t)
			end++;
		const struct placed *a = &doc->placed[k], *z = &doc->placed[end];
		const struct block *zb = &doc->blocks[z->block];
		double bottom = z->y + z->c1 - z->c0 + 2 * zb->pad;
		const struct table *tb = &doc->tables[t];
		cairo_rectangle(cr, tb->x[0], a->y, tb->x[tb->ncols] - tb->x[0], bottom - a->y);
		cairo_stroke(cr);
		k = end + 1;
	}
}

/*
 * A draft: 「草 稿」 large, light and diagonal across the page, translucent
 * over the text so that table shading does not hide it. Drawn as
 * outlines, not text, so that copying or searching the page never picks it up
 * in the middle of a sentence; the band at the top says it in words.
 */
static void draw_watermark(struct report_doc *doc)
{
	cairo_t *cr = doc->cr;
	PangoLayout *l = pdf_layout_new(doc->ctx, font_watermark, "草 稿", 0, NULL);
	cairo_save(cr);
	cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(cr, -atan2(PAGE_H, PAGE_W));
	cairo_move_to(cr, -pdf_layout_w(l) / 2, -pdf_layout_h(l) / 2);
	pango_cairo_layout_path(cr, l);
	cairo_set_source_rgba(cr, watermark[0], watermark[1], watermark[2], 0.09);
	cairo_fill(cr);
	cairo_restore(cr);
	g_object_unref(l);
}

/* A draft: a grey band across the top of the page with 「草稿（未提交）」 and what it means. */
static void draw_draft_band(struct report_doc *doc)
{
	cairo_t *cr = doc->cr;
	cairo_save(cr);
	set_rgb(cr, draft_fill);
	cairo_rectangle(cr, X0, DRAFT_BAND_Y, CONTENT_W, DRAFT_BAND_H);
	cairo_fill(cr);
	set_rgb(cr, draft_red);
	cairo_rectangle(cr, X0, DRAFT_BAND_Y, 2.5, DRAFT_BAND_H);
	cairo_fill(cr);

	PangoLayout *label = pdf_layout_new(doc->ctx, font_draft, "草稿（未提交）", 0,
					    PDF_LATIN_SANS);
	double x = X0 + 3 * MM, y = DRAFT_BAND_Y + (DRAFT_BAND_H - pdf_layout_h(label)) / 2;
	pdf_show_layout(cr, label, x, y);
	double base = y + pdf_layout_baseline(label);
	x += pdf_layout_w(label) + 3 * MM;
	PangoLayout *note = pdf_layout_new(
		doc->ctx, font_draft_note,
		"本报告尚未提交，数据和内容以正式报送版本为准，不作为正式报送材料。",
		X1 - 3 * MM - x, PDF_LATIN_SANS);
	pango_layout_set_ellipsize(note, PANGO_ELLIPSIZE_END);
	set_rgb(cr, ink_soft);
	pdf_show_layout(cr, note, x, base - pdf_layout_baseline(note));
	g_object_unref(label);
	g_object_unref(note);
	cairo_restore(cr);
}

/* Pages after the first: the unit on the left, the title on the right, a rule. */
static void draw_running_header(struct report_doc *doc)
{
	cairo_t *cr = doc->cr;
	double y = doc->body_top - 9 * MM;
	char title[512];
	title_of(doc->r, title, sizeof(title));
	cairo_save(cr);
	set_rgb(cr, ink_soft);
	PangoLayout *left = pdf_layout_new(doc->ctx, font_footer, doc->r->unit_name,
					   CONTENT_W * 0.45, PDF_LATIN_SANS);
	pango_layout_set_ellipsize(left, PANGO_ELLIPSIZE_END);
	pdf_show_layout(cr, left, X0, y);
	PangoLayout *right = pdf_layout_new(doc->ctx, font_footer, title, CONTENT_W * 0.53,
					    PDF_LATIN_SANS);
	pango_layout_set_alignment(right, PANGO_ALIGN_RIGHT);
	pango_layout_set_ellipsize(right, PANGO_ELLIPSIZE_START);
	pdf_show_layout(cr, right, X1 - CONTENT_W * 0.53, y);
	hline(cr, X0, X1, y + pdf_layout_h(right) + 2, 0.4);
	g_object_unref(left);
	g_object_unref(right);
	cairo_restore(cr);
}

/* Status on the left, print date on the right, page numbers centred under them (as pdf.c). */
static void draw_footer(struct report_doc *doc, int page)
{
	const struct report_print *r = doc->r;
	cairo_t *cr = doc->cr;
	double y = BODY_BOTTOM + 8 * MM;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);

	PangoLayout *status = pdf_layout_new(doc->ctx, font_footer, r->status_line, CONTENT_W * 0.62,
					     PDF_LATIN_SANS);
	pango_layout_set_ellipsize(status, PANGO_ELLIPSIZE_END);
	pdf_show_layout(cr, status, X0, y);
	g_object_unref(status);

	if (!pdf_blank(r->printed_on)) {
		char text[128];
		snprintf(text, sizeof(text), "打印日期：%s", r->printed_on);
		PangoLayout *date = pdf_layout_new(doc->ctx, font_footer, text, CONTENT_W * 0.36,
						   PDF_LATIN_SANS);
		pango_layout_set_ellipsize(date, PANGO_ELLIPSIZE_START);
		pango_layout_set_alignment(date, PANGO_ALIGN_RIGHT);
		pdf_show_layout(cr, date, X1 - CONTENT_W * 0.36, y);
		g_object_unref(date);
	}

	char text[64];
	snprintf(text, sizeof(text), "第 %d 页 共 %d 页", page + 1, doc->npages);
	PangoLayout *num = pdf_layout_new(doc->ctx, font_footer, text, CONTENT_W, PDF_LATIN_SANS);
	pango_layout_set_alignment(num, PANGO_ALIGN_CENTER);
	pdf_show_layout(cr, num, X0, y + 13);
	g_object_unref(num);
	cairo_restore(cr);
}

static void draw(struct report_doc *doc)
{
	int k = 0;
	for (int page = 0; page < doc->npages; page++) {
		int first = k;
		while (k < doc->nplaced && doc->placed[k].page == page)
			draw_placed(doc, &doc->placed[k++]);
		draw_table_frames(doc, first, k - 1);
		if (doc->r->draft) {
			draw_watermark(doc);
			draw_draft_band(doc);
		}
		if (page > 0)
			draw_running_header(doc);
		draw_footer(doc, page);
		cairo_show_page(doc->cr);
	}
}

static void doc_free(struct report_doc *doc)
{
	for (int i = 0; i < doc->nlayouts; i++)
		g_object_unref(doc->layouts[i]);
	free(doc->layouts);
	for (int i = 0; i < doc->nblocks; i++)
		free(doc->blocks[i].lines);
	free(doc->blocks);
	free(doc->placed);
	if (doc->ctx)
		g_object_unref(doc->ctx);
}

/* ================================ entry =================================== */

/* A count, 0 when the array is missing or the count negative. */
static int count_of(const void *array, int n)
{
	return array && n > 0 ? n : 0;
}

static int render_locked(const struct report_print *r, struct sbuf *out, char *err, size_t errlen)
{
	struct report_doc doc = {.r = r, .force_block = -1};
	doc.n_figures = count_of(r->figures, r->n_figures);
	doc.n_sections = count_of(r->sections, r->n_sections);
	doc.body_top = MARGIN + (r->draft ? DRAFT_SHIFT : 0);

	char title[512];
	title_of(r, title, sizeof(title));
	char *valid_title = g_utf8_make_valid(title, -1); /* the metadata must be UTF-8 */
	size_t start_len = out->len;
	cairo_surface_t *surface = pdf_surface_new(out, PAGE_W, PAGE_H, valid_title, r->unit_name);
	g_free(valid_title);
	doc.cr = cairo_create(surface);
	doc.ctx = pdf_context_new(doc.cr);
	build(&doc);
	paginate(&doc);
	keep_signature(&doc);
	draw(&doc);
	doc_free(&doc);
	return pdf_surface_end(doc.cr, surface, out, start_len, err, errlen);
}

int render_report_pdf(const struct report_print *r, struct sbuf *out, char *err, size_t errlen)
{
	if (!r || !out) {
		snprintf(err, errlen, "生成 PDF 失败：缺少参数");
		return -1;
	}
	pthread_once(&fonts_once, fonts_load);
	pdf_lock();
	int rc = render_locked(r, out, err, errlen);
	pdf_unlock();
	return rc;
}
