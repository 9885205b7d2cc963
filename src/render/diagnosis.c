/*
 * diagnosis.c - the diagnosis report (问题诊断报告) and the re-assessment
 * report (再评估报告) as an A4 PDF of as many pages as it needs.
 *
 * The report, top to bottom: programme and title; the information table
 * (enterprise, body, team, date, checklist); the overall score; the
 * per-clause table; a radar chart of the clause scores; the findings grouped
 * by kind (堵点, 痛点, 难点, 其他问题); the evidence list; on a
 * re-assessment the indicator table; the summary. Optional parts with
 * nothing to show are left out, and the sections are numbered as printed.
 *
 * A document is made in three steps, like the declaration form (pdf.c):
 *   1. build:    everything becomes a list of blocks (a heading, a table row,
 *                a paragraph, the chart) whose text is laid out once and kept
 *                as positioned lines;
 *   2. paginate: blocks are placed top to bottom. A heading stays with what
 *                follows it; a table row that does not fit moves whole to the
 *                next page, where the table's header row is repeated; a
 *                paragraph, or a row taller than a page, is cut between two
 *                text lines;
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
#define BODY_TOP MARGIN
#define BODY_BOTTOM (PAGE_H - MARGIN)
#define BODY_H (BODY_BOTTOM - BODY_TOP)
#define PAD_X 5.0          /* cell padding, left and right */
#define PAD_Y 3.5          /* cell padding, top and bottom */
#define LINE_OUTER 0.8
#define LINE_INNER 0.5
#define GAP_SECTION 16.0   /* above a section heading */
#define GAP_GROUP 9.0      /* above a findings group heading */
#define GAP_BODY 6.0       /* between a heading and its content */
#define EPS 0.01

#define CHART_R (31 * MM)      /* radius of the 5 ring */
#define CHART_R_MIN (25 * MM)  /* smallest radius, when that keeps the chart on the page */
#define CHART_LABEL_GAP 7.0    /* between the 5 ring and an axis label */
#define CHART_LABEL_MAX_W (34 * MM)
#define CHART_MAX_AXES 16

#define FONT_TITLE "Noto Serif CJK SC Bold 18"
#define FONT_PROGRAMME "Noto Sans CJK SC 10.5"
#define FONT_HEADING "Noto Sans CJK SC Bold 12"
#define FONT_GROUP "Noto Sans CJK SC Bold 10.5"
#define FONT_BODY "Noto Sans CJK SC 10"
#define FONT_CELL "Noto Sans CJK SC 9"
#define FONT_CELL_BOLD "Noto Sans CJK SC Bold 9"
#define FONT_NOTE "Noto Sans CJK SC 8.5"
#define FONT_SCORE "Noto Sans CJK SC Bold 18"
#define FONT_FOOTER "Noto Sans CJK SC 8"

static const double ink[3] = {0, 0, 0};
static const double ink_soft[3] = {0.38, 0.38, 0.40};
static const double ink_grid[3] = {0.72, 0.72, 0.74};
static const double fill_head[3] = {0.89, 0.91, 0.94};
static const double fill_label[3] = {0.955, 0.96, 0.97};
static const double accent[3] = {0.09, 0.22, 0.42};
static const double series_now[3] = {0.13, 0.40, 0.76};    /* this diagnosis: blue */
static const double series_before[3] = {0.91, 0.50, 0.10}; /* the first diagnosis: orange */
static const double series_self[3] = {0.16, 0.55, 0.32};   /* self-assessment: green */
static const double change_up[3] = {0.10, 0.50, 0.22};
static const double change_down[3] = {0.78, 0.10, 0.10};

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontDescription *font_title, *font_programme, *font_heading, *font_group, *font_body,
	*font_cell, *font_cell_bold, *font_note, *font_score, *font_footer;

static void fonts_load(void)
{
	font_title = pango_font_description_from_string(FONT_TITLE);
	font_programme = pango_font_description_from_string(FONT_PROGRAMME);
	font_heading = pango_font_description_from_string(FONT_HEADING);
	font_group = pango_font_description_from_string(FONT_GROUP);
	font_body = pango_font_description_from_string(FONT_BODY);
	font_cell = pango_font_description_from_string(FONT_CELL);
	font_cell_bold = pango_font_description_from_string(FONT_CELL_BOLD);
	font_note = pango_font_description_from_string(FONT_NOTE);
	font_score = pango_font_description_from_string(FONT_SCORE);
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

enum block_kind { BK_TEXT, BK_ROW, BK_CHART };

#define MAX_COLS 10
#define MAX_TABLES 12

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
	bool flow;            /* running text: cut to fill the page */
	bool rule_below;      /* the title: an accent rule under it */
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

/* The radar chart: geometry relative to its centre, and the text around it. */
struct chart {
	int n;
	int block;                    /* its block, -1 when the report has none */
	PangoLayout **name, **value;  /* per axis; value may say "—" */
	double *lw, *lh;              /* size of each label box */
	PangoLayout *ring[5];
	bool show_before, show_self;
	PangoLayout *legend[3];       /* NULL when only one series is drawn */
	double legend_w, legend_item_w, legend_item_h;
	int legend_n;

	/* Geometry at radius r (chart_geometry), relative to the centre. */
	double r;
	double *lx, *ly;              /* top-left of each label box */
	double top_h;                 /* from the block top to the centre */
	double h;                     /* the whole block */
	bool legend_beside;           /* stacked at the bottom right, or in a row below */
	double legend_x, legend_y;
};

struct diag_doc {
	const struct diag_print *d;
	cairo_t *cr;
	PangoContext *ctx;
	bool reassess;                /* round >= 2 */
	bool any_self;
	int n_clauses, n_findings, n_evidence, n_indicators;

	PangoLayout **layouts;        /* every layout made, unref'd at the end */
	int nlayouts, layouts_cap;

	struct block *blocks;
	int nblocks, blocks_cap;
	struct table tables[MAX_TABLES];
	int ntables;
	int sections;                 /* numbered headings so far */

	struct chart chart;

	struct placed *placed;
	int nplaced, placed_cap;
	int npages;
};

/* A layout kept by the document until the end (see pdf_layout_new). */
static PangoLayout *new_layout(struct diag_doc *doc, const PangoFontDescription *font,
			       const char *text, double width, PangoAlignment align)
{
	PangoLayout *l = pdf_layout_new(doc->ctx, font, text, width,
					font == font_title ? PDF_LATIN_SERIF : PDF_LATIN_SANS);
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

/* Width of a layout's box: the wrap width when it has one. */
static double box_w(PangoLayout *l)
{
	int w = pango_layout_get_width(l);
	return w > 0 ? (double)w / PANGO_SCALE : pdf_layout_w(l);
}

/* "3.8", or "—" without a score. */
static void format_score(char *out, size_t outlen, bool has, double v)
{
	if (has)
		snprintf(out, outlen, "%.1f", v);
	else
		snprintf(out, outlen, "—");
}

/* "+1.2", "-0.3", "0.0", or "—" unless both are given; *sign gets -1, 0 or 1. */
static void format_change(char *out, size_t outlen, bool has_before, double before, bool has_after,
			  double after, int *sign)
{
	*sign = 0;
	if (!has_before || !has_after) {
		snprintf(out, outlen, "—");
		return;
	}
	double change = round((after - before) * 10) / 10;
	if (fabs(change) < 0.05) {
		snprintf(out, outlen, "0.0");
		return;
	}
	*sign = change > 0 ? 1 : -1;
	snprintf(out, outlen, "%+.1f", change);
}

static const double *change_rgb(int sign)
{
	return sign > 0 ? change_up : sign < 0 ? change_down : NULL;
}

/* ================================ blocks ================================== */

static int block_new(struct diag_doc *doc, enum block_kind kind, double space_before)
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
static double block_add_layout(struct diag_doc *doc, int bi, PangoLayout *l, double x, double top,
			       const double *rgb)
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
static int add_text(struct diag_doc *doc, const PangoFontDescription *font, const char *text,
		    double space_before, PangoAlignment align, const double *rgb)
{
	int bi = block_new(doc, BK_TEXT, space_before);
	PangoLayout *l = new_layout(doc, font, text, CONTENT_W, align);
	doc->blocks[bi].content_h = block_add_layout(doc, bi, l, X0, 0, rgb);
	return bi;
}

/* 「一、综合得分」: numbered as printed, kept with what follows. */
static void add_section(struct diag_doc *doc, const char *title)
{
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六",
					       "七", "八", "九", "十"};
	char text[160];
	int n = doc->sections++;
	snprintf(text, sizeof(text), "%s、%s", numerals[n % (int)ARRAY_SIZE(numerals)], title);
	int bi = add_text(doc, font_heading, text, GAP_SECTION, PANGO_ALIGN_LEFT, accent);
	doc->blocks[bi].keep_with_next = true;
}

/* ================================ tables ================================== */

/* A table of columns with the given widths (<= 0: share what is left). */
static int table_new(struct diag_doc *doc, const double *widths, int ncols)
{
	if (doc->ntables == MAX_TABLES || ncols > MAX_COLS)
		BUG("too many tables or columns in the diagnosis report");
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

enum cell_style { CELL_PLAIN, CELL_LABEL, CELL_HEAD, CELL_STRONG };

struct cell {
	const char *text;
	const char *note;       /* smaller grey text above the main text (a question), or NULL */
	int span;               /* columns; 0 means 1 */
	PangoAlignment align;
	enum cell_style style;
	const double *rgb;      /* text colour, NULL = ink */
};

/*
 * A row of table t. Cells are centred vertically, or kept at the top when
 * top is set (rows of long text, where the number should sit by the first line).
 */
static int add_row(struct diag_doc *doc, int t, const struct cell *cells, int n, bool top,
		   double space_before)
{
	const struct table *tb = &doc->tables[t];
	int bi = block_new(doc, BK_ROW, space_before);
	PangoLayout *note[MAX_COLS] = {0}, *main[MAX_COLS] = {0};
	double cell_h[MAX_COLS], x[MAX_COLS + 1];
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
		double inner = x[i + 1] - x[i] - 2 * PAD_X;
		const PangoFontDescription *font =
			c->style == CELL_HEAD || c->style == CELL_STRONG ? font_cell_bold : font_cell;
		cell_h[i] = 0;
		if (c->note) {
			note[i] = new_layout(doc, font_note, c->note, inner, c->align);
			cell_h[i] += pdf_layout_h(note[i]) + 1.5;
		}
		main[i] = new_layout(doc, font, c->text, inner, c->align);
		cell_h[i] += pdf_layout_h(main[i]);
		if (cell_h[i] > content_h)
			content_h = cell_h[i];
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
		double y = top ? 0 : (content_h - cell_h[i]) / 2;
		if (note[i])
			y += block_add_layout(doc, bi, note[i], x[i] + PAD_X, y, ink_soft) + 1.5;
		block_add_layout(doc, bi, main[i], x[i] + PAD_X, y, c->rgb);
	}
	return bi;
}

/* The header row of table t: shaded, bold, repeated on every page the table reaches. */
static void add_header(struct diag_doc *doc, int t, const char *const *titles, int n)
{
	struct cell cells[MAX_COLS];
	for (int i = 0; i < n; i++)
		cells[i] = (struct cell){.text = titles[i], .align = PANGO_ALIGN_CENTER,
					 .style = CELL_HEAD};
	int bi = add_row(doc, t, cells, n, false, GAP_BODY);
	doc->blocks[bi].is_header = true;
	doc->blocks[bi].keep_with_next = true;
	doc->tables[t].header = bi;
}

/* ================================ build =================================== */

static const char *title_of(const struct diag_doc *doc)
{
	if (!pdf_blank(doc->d->title))
		return doc->d->title;
	return doc->reassess ? "再评估报告" : "问题诊断报告";
}

static void build_title(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	int bi = block_new(doc, BK_TEXT, 0);
	double y = 0;
	if (!pdf_blank(d->programme_name)) {
		PangoLayout *p = new_layout(doc, font_programme, d->programme_name, CONTENT_W,
					    PANGO_ALIGN_CENTER);
		y += block_add_layout(doc, bi, p, X0, y, ink_soft) + 4;
	}
	PangoLayout *t = new_layout(doc, font_title, title_of(doc), CONTENT_W, PANGO_ALIGN_CENTER);
	y += block_add_layout(doc, bi, t, X0, y, ink);
	doc->blocks[bi].content_h = y + 6;
	doc->blocks[bi].rule_below = true;
}

static void build_info(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	static const char *const labels[] = {"企业名称", "统一社会信用代码", "所属区", "试点行业",
					     "认证机构", "诊断组成员", "诊断日期", "检查表"};
	double label_w = 0;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
		PangoLayout *l = new_layout(doc, font_cell, labels[i], 0, PANGO_ALIGN_LEFT);
		if (pdf_layout_w(l) > label_w)
			label_w = pdf_layout_w(l);
	}
	label_w += 2 * PAD_X + 2;
	double widths[4] = {label_w, 0, label_w, 0};
	int t = table_new(doc, widths, 4);

	char date[64];
	pdf_format_date_cn(d->visit_date, date, sizeof(date));
#define LABEL(s) {.text = (s), .style = CELL_LABEL, .align = PANGO_ALIGN_CENTER}
#define VALUE(s, n) {.text = pdf_nz(s), .span = (n)}
	const struct cell rows[][4] = {
		{LABEL("企业名称"), VALUE(d->enterprise, 3)},
		{LABEL("统一社会信用代码"), VALUE(d->uscc, 1), LABEL("所属区"), VALUE(d->district, 1)},
		{LABEL("试点行业"), VALUE(d->industry, 1), LABEL("诊断日期"), VALUE(date, 1)},
		{LABEL("认证机构"), VALUE(d->cb_name, 3)},
		{LABEL("诊断组成员"), VALUE(d->team, 3)},
		{LABEL("检查表"), VALUE(d->checklist_title, 3)},
	};
	static const int ncells[] = {2, 4, 4, 2, 2, 2};
#undef LABEL
#undef VALUE
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		add_row(doc, t, rows[i], ncells[i], false, i == 0 ? 12 : 0);
}

/* The overall score in large type: 「3.8」 or 「2.6 → 3.8（+1.2）」, and what it means. */
static void build_overall(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	add_section(doc, "综合得分");
	int bi = block_new(doc, BK_TEXT, GAP_BODY);
	char big[96], change[64], note[160];
	const double *change_color = NULL;
	format_score(big, sizeof(big), d->has_overall, d->overall);
	change[0] = '\0';
	if (doc->reassess && d->has_overall_before) {
		char before[32], now[32], delta[32];
		int sign;
		format_score(before, sizeof(before), true, d->overall_before);
		format_score(now, sizeof(now), d->has_overall, d->overall);
		snprintf(big, sizeof(big), "%s → %s", before, now);
		format_change(delta, sizeof(delta), true, d->overall_before, d->has_overall,
			      d->overall, &sign);
		if (d->has_overall) {
			snprintf(change, sizeof(change), "（%s）", delta);
			change_color = change_rgb(sign);
		}
		snprintf(note, sizeof(note), "首次诊断 → 再评估；满分 5 分，为各条款得分的平均值");
	} else if (d->has_overall) {
		snprintf(note, sizeof(note), "分（满分 5 分，为各条款得分的平均值）");
	} else {
		snprintf(note, sizeof(note), "尚未评分");
	}

	/* Large score, change and note share one baseline. */
	PangoLayout *lb = new_layout(doc, font_score, big, 0, PANGO_ALIGN_LEFT);
	PangoLayout *lc = change[0] ? new_layout(doc, font_score, change, 0, PANGO_ALIGN_LEFT) : NULL;
	PangoLayout *ln = new_layout(doc, font_body, note, 0, PANGO_ALIGN_LEFT);
	double base = pdf_layout_baseline(lb);
	double x = X0 + 2 * MM;
	block_add_layout(doc, bi, lb, x, 0, series_now);
	x += pdf_layout_w(lb);
	if (lc) {
		block_add_layout(doc, bi, lc, x, base - pdf_layout_baseline(lc),
				 change_color ? change_color : ink);
		x += pdf_layout_w(lc);
	}
	block_add_layout(doc, bi, ln, x + 6, base - pdf_layout_baseline(ln), ink_soft);
	doc->blocks[bi].content_h = pdf_layout_h(lb);
}

/* 条款 名称 检查项 已答 不适用 [自我评价] [首次诊断] 得分 [变化], and the overall row. */
static void build_clauses(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	add_section(doc, "各条款得分");
	double widths[MAX_COLS];
	const char *heads[MAX_COLS];
	int n = 0;
#define COL(title, w) (heads[n] = (title), widths[n++] = (w))
	COL("条款", 13 * MM);
	COL("名称", 0);
	COL("检查项", 15 * MM);
	COL("已答", 15 * MM);
	COL("不适用", 15 * MM);
	if (doc->any_self)
		COL("自我评价", 18 * MM);
	if (doc->reassess)
		COL("首次诊断", 18 * MM);
	COL("得分", 15 * MM);
	if (doc->reassess)
		COL("变化", 15 * MM);
#undef COL
	int t = table_new(doc, widths, n);
	add_header(doc, t, heads, n);

	int items = 0, answered = 0, na = 0;
	for (int i = 0; i < doc->n_clauses; i++) {
		const struct diag_print_clause *c = &d->clauses[i];
		char s_items[16], s_answered[16], s_na[16], s_self[16], s_before[16], s_score[16],
			s_change[16];
		int sign;
		snprintf(s_items, sizeof(s_items), "%d", c->items);
		snprintf(s_answered, sizeof(s_answered), "%d", c->answered);
		snprintf(s_na, sizeof(s_na), "%d", c->na);
		format_score(s_self, sizeof(s_self), c->has_self, c->self);
		format_score(s_before, sizeof(s_before), c->has_before, c->before);
		format_score(s_score, sizeof(s_score), c->has_score, c->score);
		format_change(s_change, sizeof(s_change), c->has_before, c->before, c->has_score,
			      c->score, &sign);
		items += c->items;
		answered += c->answered;
		na += c->na;

		struct cell cells[MAX_COLS];
		int k = 0;
		cells[k++] = (struct cell){.text = pdf_nz(c->clause), .align = PANGO_ALIGN_CENTER};
		cells[k++] = (struct cell){.text = pdf_nz(c->title)};
		cells[k++] = (struct cell){.text = s_items, .align = PANGO_ALIGN_CENTER};
		cells[k++] = (struct cell){.text = s_answered, .align = PANGO_ALIGN_CENTER};
		cells[k++] = (struct cell){.text = s_na, .align = PANGO_ALIGN_CENTER};
		if (doc->any_self)
			cells[k++] = (struct cell){.text = s_self, .align = PANGO_ALIGN_CENTER};
		if (doc->reassess)
			cells[k++] = (struct cell){.text = s_before, .align = PANGO_ALIGN_CENTER};
		cells[k++] = (struct cell){.text = s_score, .align = PANGO_ALIGN_CENTER,
					   .style = CELL_STRONG};
		if (doc->reassess)
			cells[k++] = (struct cell){.text = s_change, .align = PANGO_ALIGN_CENTER,
						   .rgb = change_rgb(sign)};
		add_row(doc, t, cells, k, false, 0);
	}

	/* 综合: totals, and the overall score (the self-assessment has none). */
	char s_items[16], s_answered[16], s_na[16], s_before[16], s_score[16], s_change[16];
	int sign;
	snprintf(s_items, sizeof(s_items), "%d", items);
	snprintf(s_answered, sizeof(s_answered), "%d", answered);
	snprintf(s_na, sizeof(s_na), "%d", na);
	format_score(s_before, sizeof(s_before), d->has_overall_before, d->overall_before);
	format_score(s_score, sizeof(s_score), d->has_overall, d->overall);
	format_change(s_change, sizeof(s_change), d->has_overall_before, d->overall_before,
		      d->has_overall, d->overall, &sign);
	struct cell cells[MAX_COLS];
	int k = 0;
	cells[k++] = (struct cell){.text = "综合", .span = 2, .align = PANGO_ALIGN_CENTER,
				   .style = CELL_LABEL};
	cells[k++] = (struct cell){.text = s_items, .align = PANGO_ALIGN_CENTER};
	cells[k++] = (struct cell){.text = s_answered, .align = PANGO_ALIGN_CENTER};
	cells[k++] = (struct cell){.text = s_na, .align = PANGO_ALIGN_CENTER};
	if (doc->any_self)
		cells[k++] = (struct cell){.text = "", .align = PANGO_ALIGN_CENTER};
	if (doc->reassess)
		cells[k++] = (struct cell){.text = s_before, .align = PANGO_ALIGN_CENTER};
	cells[k++] = (struct cell){.text = s_score, .align = PANGO_ALIGN_CENTER,
				   .style = CELL_STRONG};
	if (doc->reassess)
		cells[k++] = (struct cell){.text = s_change, .align = PANGO_ALIGN_CENTER,
					   .rgb = change_rgb(sign)};
	add_row(doc, t, cells, k, false, 0);
}

/* ------------------------------ radar chart ------------------------------- */

/* Angle of axis i of n: the first straight up, then clockwise. */
static double axis_angle(int i, int n)
{
	return -M_PI / 2 + 2 * M_PI * i / n;
}

/* A value on the 0-5 scale at radius r, out-of-range values held to the rings. */
static double chart_radius(double r, bool has, double v)
{
	if (!has || v < 0)
		return 0;
	return (v > 5 ? 5 : v) / 5 * r;
}

static bool boxes_overlap(double ax, double ay, double aw, double ah, double bx, double by,
			  double bw, double bh)
{
	return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* Index of a label among done[0..ndone) that box i overlaps, or -1. */
static int label_overlap(const struct chart *ch, int i, const int *done, int ndone)
{
	for (int k = 0; k < ndone; k++) {
		int j = done[k];
		if (boxes_overlap(ch->lx[i], ch->ly[i], ch->lw[i], ch->lh[i], ch->lx[j] - 2,
				  ch->ly[j] - 1, ch->lw[j] + 4, ch->lh[j] + 2))
			return j;
	}
	return -1;
}

/*
 * With many axes, neighbouring labels may collide. Going out from the
 * horizontal axis, a label that overlaps one already placed moves away from
 * the middle (down in the lower half, up in the upper half): that only takes
 * it further from the rings.
 */
static void chart_spread_labels(struct chart *ch)
{
	int n = ch->n;
	int *order = xcalloc((size_t)n, sizeof(int)), *done = xcalloc((size_t)n, sizeof(int));
	for (int i = 0; i < n; i++)
		order[i] = i;
	/* Lower half by top ascending, then upper half by bottom descending. */
	for (int a = 1; a < n; a++) {
		for (int b = a; b > 0; b--) {
			int p = order[b - 1], q = order[b];
			bool lp = ch->ly[p] + ch->lh[p] / 2 >= 0, lq = ch->ly[q] + ch->lh[q] / 2 >= 0;
			bool swap = lp != lq ? lq
				    : lp     ? ch->ly[q] < ch->ly[p]
					     : ch->ly[q] + ch->lh[q] > ch->ly[p] + ch->lh[p];
			if (!swap)
				break;
			order[b - 1] = q;
			order[b] = p;
		}
	}
	int ndone = 0;
	for (int k = 0; k < n; k++) {
		int i = order[k];
		bool lower = ch->ly[i] + ch->lh[i] / 2 >= 0;
		for (int tries = 0; tries < n; tries++) {
			int j = label_overlap(ch, i, done, ndone);
			if (j < 0)
				break;
			ch->ly[i] = lower ? ch->ly[j] + ch->lh[j] + 1 : ch->ly[j] - ch->lh[i] - 1;
		}
		done[ndone++] = i;
	}
	free(order);
	free(done);
}

/*
 * Place the labels and the legend for radius r, and size the block. Each
 * label box touches the circle of radius r + CHART_LABEL_GAP with the corner
 * or edge nearest the centre, so it never covers the chart. The legend goes
 * to the bottom right, clear of the labels and the rings, or else in a row
 * under the chart.
 */
static void chart_geometry(struct diag_doc *doc, double r)
{
	struct chart *ch = &doc->chart;
	int n = ch->n;
	double min_y = -r, max_y = r;
	ch->r = r;
	for (int i = 0; i < n; i++) {
		double a = axis_angle(i, n), ca = cos(a), sa = sin(a);
		double px = (r + CHART_LABEL_GAP) * ca, py = (r + CHART_LABEL_GAP) * sa;
		double w = ch->lw[i], h = ch->lh[i];
		ch->lx[i] = ca > 0.15 ? px : ca < -0.15 ? px - w : px - w / 2;
		ch->ly[i] = sa < -0.15 ? py - h : sa > 0.15 ? py : py - h / 2;
	}
	chart_spread_labels(ch);
	for (int i = 0; i < n; i++) {
		if (ch->ly[i] < min_y)
			min_y = ch->ly[i];
		if (ch->ly[i] + ch->lh[i] > max_y)
			max_y = ch->ly[i] + ch->lh[i];
	}

	double legend_below = 0;
	ch->legend_beside = false;
	if (ch->legend_n) {
		double w = ch->legend_item_w;
		double h = ch->legend_n * ch->legend_item_h + (ch->legend_n - 1) * 2;
		double x = CONTENT_W / 2 - w, y = max_y - h;
		/* Clear of the rings: the box's nearest point is outside the circle. */
		bool clear = x > 0 && hypot(x, y > 0 ? y : 0) > r + 6;
		for (int i = 0; clear && i < n; i++)
			if (boxes_overlap(x - 6, y - 4, w + 6, h + 4, ch->lx[i], ch->ly[i], ch->lw[i],
					  ch->lh[i]))
				clear = false;
		if (clear) {
			ch->legend_beside = true;
			ch->legend_x = x;
			ch->legend_y = y;
		} else {
			ch->legend_x = -ch->legend_w / 2;
			ch->legend_y = max_y + 10;
			legend_below = 10 + ch->legend_item_h;
		}
	}
	ch->top_h = -min_y + 4;
	ch->h = ch->top_h + max_y + legend_below + 4;
	if (ch->block >= 0)
		doc->blocks[ch->block].content_h = ch->h;
}

/* A long axis name wrapped at width, at most three lines (then "…"). */
static PangoLayout *chart_label(struct diag_doc *doc, const char *name, double width,
				PangoAlignment align)
{
	PangoLayout *l = new_layout(doc, font_note, name, width, align);
	pango_layout_set_height(l, -3);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	return l;
}

/* Lay out the axis labels (「4 组织环境」 over the score), ring numbers and legend. */
static void build_chart(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	struct chart *ch = &doc->chart;
	int n = doc->n_clauses;
	add_section(doc, "条款得分雷达图");
	ch->n = n;
	ch->name = xcalloc((size_t)n, sizeof(*ch->name));
	ch->value = xcalloc((size_t)n, sizeof(*ch->value));
	ch->lw = xcalloc((size_t)n, sizeof(double));
	ch->lh = xcalloc((size_t)n, sizeof(double));
	ch->lx = xcalloc((size_t)n, sizeof(double));
	ch->ly = xcalloc((size_t)n, sizeof(double));

	for (int i = 0; i < n; i++) {
		const struct diag_print_clause *c = &d->clauses[i];
		double ca = cos(axis_angle(i, n));
		PangoAlignment align = ca > 0.15 ? PANGO_ALIGN_LEFT
				       : ca < -0.15 ? PANGO_ALIGN_RIGHT
						    : PANGO_ALIGN_CENTER;
		char name[256], value[64];
		snprintf(name, sizeof(name), "%s%s%s", pdf_nz(c->clause),
			 pdf_blank(c->clause) ? "" : " ", pdf_nz(c->title));
		if (doc->reassess && c->has_before && c->has_score)
			snprintf(value, sizeof(value), "%.1f → %.1f", c->before, c->score);
		else
			format_score(value, sizeof(value), c->has_score, c->score);

		PangoLayout *ln = new_layout(doc, font_note, name, 0, PANGO_ALIGN_LEFT);
		bool wrap = pdf_layout_w(ln) > CHART_LABEL_MAX_W;
		if (wrap)
			ln = chart_label(doc, name, CHART_LABEL_MAX_W, align);
		PangoLayout *lv = new_layout(doc, font_cell_bold, value, 0, PANGO_ALIGN_LEFT);
		double w = box_w(ln) > pdf_layout_w(lv) ? box_w(ln) : pdf_layout_w(lv);
		/* Both at the box width, so that they align together towards the chart. */
		if (align != PANGO_ALIGN_LEFT) {
			ln = wrap ? chart_label(doc, name, w, align)
				  : new_layout(doc, font_note, name, w, align);
			lv = new_layout(doc, font_cell_bold, value, w, align);
		}
		ch->name[i] = ln;
		ch->value[i] = lv;
		ch->lw[i] = w;
		ch->lh[i] = pdf_layout_h(ln) + pdf_layout_h(lv);
	}
	for (int k = 0; k < 5; k++) {
		char num[16];
		snprintf(num, sizeof(num), "%d", k + 1);
		ch->ring[k] = new_layout(doc, font_note, num, 0, PANGO_ALIGN_LEFT);
	}

	/* A legend when there is more than one series. */
	ch->show_before = doc->reassess;
	ch->show_self = doc->any_self;
	if (ch->show_before || ch->show_self) {
		ch->legend[0] = new_layout(doc, font_note, doc->reassess ? "再评估" : "本次诊断", 0,
					   PANGO_ALIGN_LEFT);
		if (ch->show_before)
			ch->legend[1] = new_layout(doc, font_note, "首次诊断", 0, PANGO_ALIGN_LEFT);
		if (ch->show_self)
			ch->legend[2] = new_layout(doc, font_note, "企业自我评价", 0,
						   PANGO_ALIGN_LEFT);
		for (int k = 0; k < 3; k++) {
			PangoLayout *l = ch->legend[k];
			if (!l)
				continue;
			double w = 22 + pdf_layout_w(l);
			ch->legend_w += (ch->legend_n ? 16 : 0) + w;
			if (w > ch->legend_item_w)
				ch->legend_item_w = w;
			ch->legend_item_h = pdf_layout_h(l);
			ch->legend_n++;
		}
	}

	ch->block = block_new(doc, BK_CHART, GAP_BODY);
	chart_geometry(doc, CHART_R);
}

/* The polygon of one series through every axis (0 where a clause has no value). */
static void chart_path(cairo_t *cr, const struct diag_doc *doc, double cx, double cy, int series)
{
	const struct diag_print_clause *cl = doc->d->clauses;
	double R = doc->chart.r;
	int n = doc->chart.n;
	for (int i = 0; i < n; i++) {
		double r = series == 0   ? chart_radius(R, cl[i].has_score, cl[i].score)
			   : series == 1 ? chart_radius(R, cl[i].has_before, cl[i].before)
					 : chart_radius(R, cl[i].has_self, cl[i].self);
		double a = axis_angle(i, n);
		if (i == 0)
			cairo_move_to(cr, cx + r * cos(a), cy + r * sin(a));
		else
			cairo_line_to(cr, cx + r * cos(a), cy + r * sin(a));
	}
	cairo_close_path(cr);
}

static const double dash_before[] = {4.0, 2.5};
static const double dash_self[] = {1.2, 2.2};

/* Legend entry k (0 now, 1 before, 2 self): a line sample and the text, at top-left x, y. */
static void draw_legend_item(struct diag_doc *doc, int k, double x, double y)
{
	cairo_t *cr = doc->cr;
	PangoLayout *l = doc->chart.legend[k];
	double mid = y + pdf_layout_h(l) / 2;
	static const double *const rgb[] = {series_now, series_before, series_self};
	cairo_save(cr);
	if (k == 0) {
		cairo_set_source_rgba(cr, series_now[0], series_now[1], series_now[2], 0.22);
		cairo_rectangle(cr, x, mid - 4, 18, 8);
		cairo_fill(cr);
	}
	set_rgb(cr, rgb[k]);
	if (k == 1)
		cairo_set_dash(cr, dash_before, 2, 0);
	if (k == 2) {
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_set_dash(cr, dash_self, 2, 0);
	}
	hline(cr, x, x + 18, mid, k == 0 ? 1.5 : 1.3);
	cairo_restore(cr);
	set_rgb(cr, ink);
	pdf_show_layout(cr, l, x + 22, y);
}

static void draw_chart(struct diag_doc *doc, double top)
{
	cairo_t *cr = doc->cr;
	const struct chart *ch = &doc->chart;
	int n = ch->n;
	double R = ch->r;
	double cx = X0 + CONTENT_W / 2, cy = top + ch->top_h;

	cairo_save(cr);
	/* Rings 1..5 and the axes. */
	cairo_arc(cr, cx, cy, R, 0, 2 * M_PI);
	cairo_set_source_rgb(cr, 0.975, 0.98, 0.985);
	cairo_fill(cr);
	set_rgb(cr, ink_grid);
	for (int k = 1; k <= 5; k++) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, cx, cy, R * k / 5, 0, 2 * M_PI);
		cairo_set_line_width(cr, k == 5 ? 0.8 : 0.45);
		cairo_stroke(cr);
	}
	cairo_set_line_width(cr, 0.45);
	for (int i = 0; i < n; i++) {
		double a = axis_angle(i, n);
		cairo_move_to(cr, cx, cy);
		cairo_line_to(cr, cx + R * cos(a), cy + R * sin(a));
	}
	cairo_stroke(cr);

	/* Earlier series under the current one: first diagnosis, self-assessment. */
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	if (ch->show_before) {
		chart_path(cr, doc, cx, cy, 1);
		set_rgb(cr, series_before);
		cairo_set_line_width(cr, 1.3);
		cairo_set_dash(cr, dash_before, 2, 0);
		cairo_stroke(cr);
	}
	if (ch->show_self) {
		chart_path(cr, doc, cx, cy, 2);
		set_rgb(cr, series_self);
		cairo_set_line_width(cr, 1.3);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_set_dash(cr, dash_self, 2, 0);
		cairo_stroke(cr);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	}
	cairo_set_dash(cr, NULL, 0, 0);
	chart_path(cr, doc, cx, cy, 0);
	cairo_set_source_rgba(cr, series_now[0], series_now[1], series_now[2], 0.22);
	cairo_fill_preserve(cr);
	set_rgb(cr, series_now);
	cairo_set_line_width(cr, 1.5);
	cairo_stroke(cr);
	for (int i = 0; i < n; i++) {
		const struct diag_print_clause *c = &doc->d->clauses[i];
		double r = chart_radius(R, c->has_score, c->score), a = axis_angle(i, n);
		cairo_arc(cr, cx + r * cos(a), cy + r * sin(a), 1.8, 0, 2 * M_PI);
		cairo_fill(cr);
	}

	/* Ring numbers beside the first axis, on a white patch so that lines do not cross them. */
	for (int k = 0; k < 5; k++) {
		PangoLayout *l = ch->ring[k];
		double x = cx + 2.5, y = cy - R * (k + 1) / 5 + 0.5;
		cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
		cairo_rectangle(cr, x - 0.5, y + 1.5, pdf_layout_w(l) + 1, pdf_layout_h(l) - 4);
		cairo_fill(cr);
		set_rgb(cr, ink_soft);
		pdf_show_layout(cr, l, x, y);
	}

	/* Axis labels. */
	for (int i = 0; i < n; i++) {
		set_rgb(cr, ink);
		pdf_show_layout(cr, ch->name[i], cx + ch->lx[i], cy + ch->ly[i]);
		set_rgb(cr, series_now);
		pdf_show_layout(cr, ch->value[i], cx + ch->lx[i],
				cy + ch->ly[i] + pdf_layout_h(ch->name[i]));
	}

	/* Legend: stacked at the bottom right, or in a row under the chart. */
	double x = cx + ch->legend_x, y = cy + ch->legend_y;
	for (int k = 0; k < 3; k++) {
		if (!ch->legend[k])
			continue;
		draw_legend_item(doc, k, x, y);
		if (ch->legend_beside)
			y += ch->legend_item_h + 2;
		else
			x += 22 + pdf_layout_w(ch->legend[k]) + 16;
	}
	cairo_restore(cr);
}

/* ------------------------------- findings --------------------------------- */

static const struct {
	const char *kind, *label;
} finding_kinds[] = {
	{"blockage", "堵点"},
	{"pain", "痛点"},
	{"difficulty", "难点"},
	{NULL, "其他问题"}, /* "", NULL or unknown */
};

/* Index into finding_kinds of a finding's kind. */
static size_t finding_kind(const char *kind)
{
	for (size_t k = 0; k + 1 < ARRAY_SIZE(finding_kinds); k++)
		if (kind && strcmp(kind, finding_kinds[k].kind) == 0)
			return k;
	return ARRAY_SIZE(finding_kinds) - 1;
}

static void build_findings(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	static const char *const numerals[] = {"一", "二", "三", "四"};
	static const char *const heads[] = {"检查项", "检查要求与发现的问题", "得分"};
	static const double widths[] = {22 * MM, 0, 16 * MM};
	add_section(doc, "发现的问题");
	int group = 0;
	for (size_t k = 0; k < ARRAY_SIZE(finding_kinds); k++) {
		int count = 0;
		for (int i = 0; i < doc->n_findings; i++)
			count += finding_kind(d->findings[i].kind) == k;
		if (!count)
			continue;
		char title[96];
		snprintf(title, sizeof(title), "（%s）%s（%d 项）", numerals[group++],
			 finding_kinds[k].label, count);
		int hb = add_text(doc, font_group, title, group == 1 ? GAP_BODY : GAP_GROUP,
				  PANGO_ALIGN_LEFT, ink);
		doc->blocks[hb].keep_with_next = true;

		int t = table_new(doc, widths, 3);
		add_header(doc, t, heads, 3);
		doc->blocks[doc->tables[t].header].space_before = 4;
		for (int i = 0; i < doc->n_findings; i++) {
			const struct diag_print_finding *f = &d->findings[i];
			if (finding_kind(f->kind) != k)
				continue;
			char score[16];
			if (f->score > 0)
				snprintf(score, sizeof(score), "%d", f->score);
			else
				snprintf(score, sizeof(score), f->score < 0 ? "不适用" : "未评分");
			const struct cell cells[] = {
				{.text = pdf_nz(f->item_key), .align = PANGO_ALIGN_CENTER},
				{.text = pdf_nz(f->finding),
				 .note = pdf_blank(f->item_text) ? NULL : f->item_text},
				{.text = score, .align = PANGO_ALIGN_CENTER, .style = CELL_STRONG},
			};
			add_row(doc, t, cells, 3, true, 0);
		}
	}
}

/* ------------------------ evidence, indicators, summary ------------------- */

static void build_evidence(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	static const char *const heads[] = {"检查项", "文件名", "类型", "大小（KB）"};
	static const double widths[] = {22 * MM, 0, 42 * MM, 22 * MM};
	add_section(doc, "证据清单");
	int t = table_new(doc, widths, 4);
	add_header(doc, t, heads, 4);
	for (int i = 0; i < doc->n_evidence; i++) {
		const struct diag_print_evidence *e = &d->evidence[i];
		char size[32] = "";
		if (e->size >= 0)
			snprintf(size, sizeof(size), "%.1f", (double)e->size / 1024);
		const struct cell cells[] = {
			{.text = pdf_blank(e->item_key) ? "整体" : e->item_key,
			 .align = PANGO_ALIGN_CENTER},
			{.text = pdf_nz(e->filename)},
			{.text = pdf_nz(e->content_type)},
			{.text = size, .align = PANGO_ALIGN_RIGHT},
		};
		add_row(doc, t, cells, 4, false, 0);
	}
}

static void build_indicators(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	static const char *const heads[] = {"指标", "基线", "跟踪", "变化"};
	static const double widths[] = {0, 30 * MM, 30 * MM, 30 * MM};
	add_section(doc, "改进指标跟踪");
	int t = table_new(doc, widths, 4);
	add_header(doc, t, heads, 4);
	for (int i = 0; i < doc->n_indicators; i++) {
		const struct diag_print_indicator *ind = &d->indicators[i];
		const struct cell cells[] = {
			{.text = pdf_nz(ind->label)},
			/* A figure not entered reads "—", not an empty cell. */
			{.text = pdf_blank(ind->baseline) ? "—" : ind->baseline, .align = PANGO_ALIGN_CENTER},
			{.text = pdf_blank(ind->followup) ? "—" : ind->followup, .align = PANGO_ALIGN_CENTER},
			{.text = pdf_blank(ind->change) ? "—" : ind->change, .align = PANGO_ALIGN_CENTER},
		};
		add_row(doc, t, cells, 4, false, 0);
	}
}

static void build_summary(struct diag_doc *doc)
{
	add_section(doc, doc->reassess ? "评估小结" : "诊断小结");
	int bi = block_new(doc, BK_TEXT, GAP_BODY);
	PangoLayout *l = new_layout(doc, font_body, doc->d->summary, CONTENT_W, PANGO_ALIGN_LEFT);
	pango_layout_set_indent(l, (int)(2 * 10 * PANGO_SCALE)); /* two characters, as in print */
	doc->blocks[bi].content_h = block_add_layout(doc, bi, l, X0, 0, ink);
	doc->blocks[bi].flow = true;
}

static void build(struct diag_doc *doc)
{
	const struct diag_print *d = doc->d;
	build_title(doc);
	build_info(doc);
	build_overall(doc);
	if (doc->n_clauses > 0)
		build_clauses(doc);
	/* A radar needs three axes; past 16 (the most a checklist has) it is unreadable. */
	if (doc->n_clauses >= 3 && doc->n_clauses <= CHART_MAX_AXES)
		build_chart(doc);
	if (doc->n_findings > 0)
		build_findings(doc);
	if (doc->n_evidence > 0)
		build_evidence(doc);
	if (doc->reassess && doc->n_indicators > 0)
		build_indicators(doc);
	if (!pdf_blank(d->summary))
		build_summary(doc);
}

/* ============================== paginate ================================== */

static void place(struct diag_doc *doc, int block, int page, double y, double c0, double c1)
{
	if (doc->nplaced == doc->placed_cap) {
		doc->placed_cap = doc->placed_cap ? 2 * doc->placed_cap : 64;
		doc->placed = xrealloc(doc->placed, (size_t)doc->placed_cap * sizeof(*doc->placed));
	}
	doc->placed[doc->nplaced++] = (struct placed){block, page, y, c0, c1};
}

/* Whether no line of b crosses the content offset c. */
static bool valid_cut(const struct block *b, double c)
{
	for (int i = 0; i < b->nlines; i++)
		if (b->lines[i].top < c - EPS && b->lines[i].bottom > c + EPS)
			return false;
	return true;
}

/* The largest offset in (c0, limit] where b may be cut between lines; c0 if none. */
static double best_cut(const struct block *b, double c0, double limit)
{
	double best = c0;
	for (int i = 0; i < b->nlines; i++) {
		double c = b->lines[i].bottom;
		if (c > best + EPS && c <= limit + EPS && valid_cut(b, c))
			best = c;
	}
	return best;
}

/* The smallest offset past c0 where b may be cut (a page must take at least this). */
static double first_cut(const struct block *b, double c0)
{
	double best = b->content_h;
	for (int i = 0; i < b->nlines; i++) {
		double c = b->lines[i].bottom;
		if (c > c0 + EPS && c < best && valid_cut(b, c))
			best = c;
	}
	return best;
}

/* Whether b is cut to fill a page rather than moved whole. */
static bool cuttable(const struct block *b)
{
	return b->kind != BK_CHART && (b->flow || block_h(b) > BODY_H);
}

/* The height block i needs at the bottom of a page: all of it, or its first
 * lines when it may be cut; plus what a heading must be kept with. */
static double lead_h(const struct diag_doc *doc, int i, int depth)
{
	const struct block *b = &doc->blocks[i];
	double h = cuttable(b) ? first_cut(b, 0) + 2 * b->pad : block_h(b);
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

static void new_page(struct cursor *cur)
{
	cur->page++;
	cur->y = cur->top = BODY_TOP;
}

/* Repeat the header of row b's table if this page does not show it yet. */
static void place_header(struct diag_doc *doc, struct cursor *cur, const struct block *b)
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

/* Place block i from cur on, over as many pages as it takes. */
static void place_block(struct diag_doc *doc, struct cursor *cur, int i)
{
	const struct block *b = &doc->blocks[i];
	double c0 = 0;
	for (;;) {
		double rest = b->content_h - c0 + 2 * b->pad;
		if (cur->y + rest <= BODY_BOTTOM + EPS) {
			place(doc, i, cur->page, cur->y, c0, b->content_h);
			cur->y += rest;
			return;
		}
		double c1 = cuttable(b) ? best_cut(b, c0, c0 + BODY_BOTTOM - cur->y - 2 * b->pad) : c0;
		if (c1 <= c0 + EPS) {
			if (cur->y > cur->top + EPS) {
				new_page(cur);
				place_header(doc, cur, b);
				continue;
			}
			/* Not even one line fits a fresh page: let it overflow rather than loop. */
			c1 = cuttable(b) ? first_cut(b, c0) : b->content_h;
		}
		place(doc, i, cur->page, cur->y, c0, c1);
		cur->y += c1 - c0 + 2 * b->pad;
		if (c1 >= b->content_h - EPS)
			return;
		c0 = c1;
		new_page(cur);
		place_header(doc, cur, b);
	}
}

/* Whether block i, with what it is kept with, fits on the page below cur. */
static bool fits(const struct diag_doc *doc, const struct cursor *cur, int i, double gap,
		 double header_h)
{
	return cur->y + gap + header_h + lead_h(doc, i, 0) <= BODY_BOTTOM + EPS;
}

/*
 * When the chart (or its heading, kept with it) would go to the next page,
 * try it smaller, down to CHART_R_MIN: the scores and their chart then share
 * a page and the page is not left half empty.
 */
static void fit_chart(struct diag_doc *doc, const struct cursor *cur, int i, double gap)
{
	int cb = doc->chart.block;
	if (cb < 0 || cur->y <= cur->top + EPS)
		return;
	if (i != cb && !(i + 1 == cb && doc->blocks[i].keep_with_next))
		return;
	if (doc->chart.r < CHART_R || fits(doc, cur, i, gap, 0))
		return;
	for (double r = CHART_R - 0.5 * MM; r >= CHART_R_MIN - EPS; r -= 0.5 * MM) {
		chart_geometry(doc, r);
		if (fits(doc, cur, i, gap, 0))
			return;
	}
	chart_geometry(doc, CHART_R);
}

static void paginate(struct diag_doc *doc)
{
	struct cursor cur = {.page = 0, .y = BODY_TOP, .top = BODY_TOP};
	for (int t = 0; t < MAX_TABLES; t++)
		cur.header_page[t] = -1;

	for (int i = 0; i < doc->nblocks; i++) {
		const struct block *b = &doc->blocks[i];
		bool needs_header = b->table >= 0 && !b->is_header &&
				    doc->tables[b->table].header >= 0 &&
				    cur.header_page[b->table] != cur.page;
		double header_h =
			needs_header ? block_h(&doc->blocks[doc->tables[b->table].header]) : 0;
		double gap = cur.y > cur.top + EPS ? b->space_before : 0;
		fit_chart(doc, &cur, i, gap);
		if (!fits(doc, &cur, i, gap, header_h) && cur.y > cur.top + EPS) {
			new_page(&cur);
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

/* ================================ draw ==================================== */

/* The segment [c0, c1) of block b with its top at y. */
static void draw_placed(struct diag_doc *doc, const struct placed *pl)
{
	cairo_t *cr = doc->cr;
	const struct block *b = &doc->blocks[pl->block];
	double h = pl->c1 - pl->c0 + 2 * b->pad;

	if (b->kind == BK_CHART) {
		draw_chart(doc, pl->y);
		return;
	}
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
	if (b->kind == BK_ROW) {
		set_rgb(cr, ink);
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
static void draw_table_frames(struct diag_doc *doc, int first, int last)
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

/* Pages after the first: enterprise on the left, the title on the right, a rule. */
static void draw_running_header(struct diag_doc *doc)
{
	cairo_t *cr = doc->cr;
	double y = MARGIN - 9 * MM;
	cairo_save(cr);
	set_rgb(cr, ink_soft);
	PangoLayout *left = pdf_layout_new(doc->ctx, font_footer, doc->d->enterprise,
					   CONTENT_W * 0.62, PDF_LATIN_SANS);
	pango_layout_set_ellipsize(left, PANGO_ELLIPSIZE_END);
	pdf_show_layout(cr, left, X0, y);
	PangoLayout *right = pdf_layout_new(doc->ctx, font_footer, title_of(doc), CONTENT_W * 0.36,
					    PDF_LATIN_SANS);
	pango_layout_set_alignment(right, PANGO_ALIGN_RIGHT);
	pango_layout_set_ellipsize(right, PANGO_ELLIPSIZE_START);
	pdf_show_layout(cr, right, X1 - CONTENT_W * 0.36, y);
	hline(cr, X0, X1, y + pdf_layout_h(left) + 2, 0.4);
	g_object_unref(left);
	g_object_unref(right);
	cairo_restore(cr);
}

/* Status on the left, print date on the right, page numbers centred under them (as pdf.c). */
static void draw_footer(struct diag_doc *doc, int page)
{
	const struct diag_print *d = doc->d;
	cairo_t *cr = doc->cr;
	double y = BODY_BOTTOM + 8 * MM;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);

	PangoLayout *status = pdf_layout_new(doc->ctx, font_footer, d->status_line, CONTENT_W * 0.62,
					     PDF_LATIN_SANS);
	pango_layout_set_ellipsize(status, PANGO_ELLIPSIZE_END);
	pdf_show_layout(cr, status, X0, y);
	g_object_unref(status);

	if (!pdf_blank(d->printed_on)) {
		char text[128];
		snprintf(text, sizeof(text), "打印日期：%s", d->printed_on);
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

static void draw(struct diag_doc *doc)
{
	int k = 0;
	for (int page = 0; page < doc->npages; page++) {
		int first = k;
		while (k < doc->nplaced && doc->placed[k].page == page)
			draw_placed(doc, &doc->placed[k++]);
		draw_table_frames(doc, first, k - 1);
		if (page > 0)
			draw_running_header(doc);
		draw_footer(doc, page);
		cairo_show_page(doc->cr);
	}
}

static void doc_free(struct diag_doc *doc)
{
	for (int i = 0; i < doc->nlayouts; i++)
		g_object_unref(doc->layouts[i]);
	free(doc->layouts);
	for (int i = 0; i < doc->nblocks; i++)
		free(doc->blocks[i].lines);
	free(doc->blocks);
	free(doc->placed);
	struct chart *ch = &doc->chart;
	free(ch->name);
	free(ch->value);
	free(ch->lx);
	free(ch->ly);
	free(ch->lw);
	free(ch->lh);
	if (doc->ctx)
		g_object_unref(doc->ctx);
}

/* ================================ entry =================================== */

/* A count, 0 when the array is missing or the count negative. */
static int count_of(const void *array, int n)
{
	return array && n > 0 ? n : 0;
}

static int render_locked(const struct diag_print *d, struct sbuf *out, char *err, size_t errlen)
{
	struct diag_doc doc = {.d = d, .chart.block = -1};
	doc.reassess = d->round >= 2;
	doc.n_clauses = count_of(d->clauses, d->n_clauses);
	doc.n_findings = count_of(d->findings, d->n_findings);
	doc.n_evidence = count_of(d->evidence, d->n_evidence);
	doc.n_indicators = count_of(d->indicators, d->n_indicators);
	for (int i = 0; i < doc.n_clauses; i++)
		doc.any_self |= d->clauses[i].has_self;

	size_t start_len = out->len;
	cairo_surface_t *surface = pdf_surface_new(out, PAGE_W, PAGE_H, title_of(&doc), d->enterprise);
	doc.cr = cairo_create(surface);
	doc.ctx = pdf_context_new(doc.cr);
	build(&doc);
	paginate(&doc);
	draw(&doc);
	doc_free(&doc);
	return pdf_surface_end(doc.cr, surface, out, start_len, err, errlen);
}

int render_diagnosis_pdf(const struct diag_print *d, struct sbuf *out, char *err, size_t errlen)
{
	if (!d || !out) {
		snprintf(err, errlen, "生成 PDF 失败：缺少参数");
		return -1;
	}
	pthread_once(&fonts_once, fonts_load);
	pdf_lock();
	int rc = render_locked(d, out, err, errlen);
	pdf_unlock();
	return rc;
}
