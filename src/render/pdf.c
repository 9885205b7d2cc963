/*
 * pdf.c - the declaration form (申报表, attachment 2 of 沪市监认证〔2021〕65号)
 * as an A4 PDF laid out like the paper table.
 *
 * A document is made in three steps:
 *   1. build:    every table row becomes a struct row whose pango layouts are
 *                measured once (label, wrapped value or check-box grid);
 *   2. paginate: rows are placed top to bottom; a row that does not fit moves
 *                whole to the next page, and only a row taller than a page is
 *                split between two text lines. Tighter rows are tried first
 *                when they keep the form on one page (see paginate_best);
 *   3. draw:     page by page, so the footer knows the page count.
 *
 * Thread safety: every render runs under the render lock on the one shared
 * font map (pdf_common.h). A typical form takes ~20 ms, so the lock costs
 * little next to the request; if it ever matters, keep one font map per
 * worker instead.
 *
 * User text is set with pango_layout_set_text(), never as markup, so "<b>"
 * and "&amp;" print literally.
 */
#include "render.h"
#include "pdf_common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================== page geometry (points) ======================== */

#define MM PDF_MM
#define PAGE_W PDF_A4_W
#define PAGE_H PDF_A4_H
#define MARGIN (20 * MM)
#define TABLE_X0 MARGIN
#define TABLE_X1 (PAGE_W - MARGIN)
#define HEAD_W (27 * MM)              /* left column: 单位类别, 市场监管部门填写, … */
#define CELL_X (TABLE_X0 + HEAD_W)    /* left edge of the right column */
#define BODY_BOTTOM (PAGE_H - MARGIN) /* the table and the stamp stay above */
#define PAD_X 7.0                     /* cell padding, left and right */
#define LINE_OUTER 0.8
#define LINE_INNER 0.5
#define ROW_MIN_H 30.0     /* an empty one-line row of the paper table, at full density */
#define ROW_TALL_H 60.0    /* rows the paper leaves several lines for */
#define BOX 8.4            /* check box side */
#define BOX_GAP 3.0        /* between the box and its text */
#define CHOICE_GAP_Y 4.0   /* between lines of a check-box grid */
#define STAMP_GAP 18.0     /* between the table and 「（盖章）」 */
#define STAMP_LINE 24.0    /* between 「（盖章）」 and 「年 月 日」 */

#define FONT_BODY "Noto Sans CJK SC 10.5"
#define FONT_TITLE "Noto Serif CJK SC Bold 18"
#define FONT_ATTACH "Noto Sans CJK SC 14"
#define FONT_PROGRAMME "Noto Sans CJK SC 10"
#define FONT_FOOTER "Noto Sans CJK SC 8"

/* ================================ fonts ================================= */

/* Sans text sets ASCII runs in PDF_LATIN_SANS (see pdf_common.h); the title does not. */
static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontDescription *font_body, *font_title, *font_attach, *font_programme, *font_footer;

static void fonts_load(void)
{
	font_body = pango_font_description_from_string(FONT_BODY);
	font_title = pango_font_description_from_string(FONT_TITLE);
	font_attach = pango_font_description_from_string(FONT_ATTACH);
	font_programme = pango_font_description_from_string(FONT_PROGRAMME);
	font_footer = pango_font_description_from_string(FONT_FOOTER);
}

/* ============================ the document =============================== */

enum group { GROUP_NONE, GROUP_DISTRICT, GROUP_CB };

static const char *const group_heads[] = {
	[GROUP_NONE] = "",
	[GROUP_DISTRICT] = "市场监管\n部门填写",
	[GROUP_CB] = "认证机构\n填写",
};

/* One check box with its text, placed inside the value area of a row. */
struct choice {
	PangoLayout *text;
	bool checked;
	bool wide;      /* takes a grid line of its own (其他（…）) */
	double dx, dy;  /* top-left, relative to the value area */
};

#define MAX_CHOICES 7

/*
 * One row of the table. A text row has `value` (wrapped, drawn line by line
 * so that it can be split across pages); a check-box row has `choice`.
 */
struct row {
	enum group group;
	const char *head;      /* left column of a row outside a group */
	PangoLayout *label;    /* "联系方式：" at the start of the cell, or NULL */
	PangoLayout *value;
	int nlines;
	double *line_top, *line_bottom, *line_base; /* relative to the layout's top */
	struct choice choice[MAX_CHOICES];
	int nchoice;
	double body_h;         /* natural height of the content, without padding */
	double min_h;          /* height of the empty paper row */
	bool tall;             /* several-line row: content at the top, not centred */
};

/* A row, or the lines [from, to) of a split text row, on one page. */
struct placed {
	int row, page;
	double y, h;
	int from, to;
};

#define MAX_ROWS 12

struct doc {
	const struct decl_print *d;
	cairo_t *cr;
	PangoContext *ctx;

	/* page 1 header */
	PangoLayout *attach, *title, *programme, *unit_label, *unit_value;
	double header_h;

	struct row rows[MAX_ROWS];
	int nrows;
	double value_x;        /* where values start after their labels, in the cell */

	/* Vertical padding and the share of the paper's empty row heights kept:
	 * lowered when that keeps the form on one page. */
	double pad_y, min_scale;

	struct placed *placed;
	int nplaced, placed_cap;
	int npages;
	int stamp_page;
	double stamp_y;
};

/* A layout in `font` (see pdf_layout_new); width > 0 wraps at that width (points). */
static PangoLayout *new_layout(struct doc *doc, const PangoFontDescription *font, const char *text,
			       double width)
{
	return pdf_layout_new(doc->ctx, font, text, width, font != font_title ? PDF_LATIN_SANS : NULL);
}

static void show_layout(struct doc *doc, PangoLayout *l, double x, double y)
{
	pdf_show_layout(doc->cr, l, x, y);
}

/* ================================ build =================================== */

static struct row *add_row(struct doc *doc, enum group group, const char *head, const char *label,
			   bool tall)
{
	if (doc->nrows == MAX_ROWS)
		BUG("too many rows in the declaration form");
	struct row *r = &doc->rows[doc->nrows++];
	memset(r, 0, sizeof(*r));
	r->group = group;
	r->head = head;
	r->label = label ? new_layout(doc, font_body, label, 0) : NULL;
	r->tall = tall;
	r->min_h = tall ? ROW_TALL_H : ROW_MIN_H;
	return r;
}

static void add_choice(struct doc *doc, struct row *r, const char *text, bool checked, bool wide)
{
	if (r->nchoice == MAX_CHOICES)
		BUG("too many choices in a row");
	struct choice *c = &r->choice[r->nchoice++];
	c->text = new_layout(doc, font_body, text, 0);
	c->checked = checked;
	c->wide = wide;
}

static double label_h(const struct row *r)
{
	return r->label ? pdf_layout_h(r->label) : 0;
}

/* Width available to the value of a row (after its label, inside the padding). */
static double value_width(const struct doc *doc, const struct row *r)
{
	return TABLE_X1 - CELL_X - 2 * PAD_X - (r->label ? doc->value_x : 0);
}

/*
 * Where the label and the lines [from, ...) of the value go below the top of
 * the content, so that the label and the first line share a baseline.
 */
static void first_baseline(const struct row *r, int from, double *label_dy, double *value_dy)
{
	double lb = r->label && from == 0 ? pdf_layout_baseline(r->label) : 0;
	double vb = r->line_base[from] - r->line_top[from];
	double base = lb > vb ? lb : vb;
	*label_dy = base - lb;
	*value_dy = base - vb;
}

/* Height of the lines [from, to) of a text row, with the label on the first. */
static double segment_body_h(const struct row *r, int from, int to)
{
	double label_dy, value_dy;
	first_baseline(r, from, &label_dy, &value_dy);
	double h = value_dy + r->line_bottom[to - 1] - r->line_top[from];
	if (from == 0 && label_dy + label_h(r) > h)
		h = label_dy + label_h(r);
	return h;
}

/* Wrap a text row's value and record where each line is, for drawing and splitting. */
static void measure_text_row(struct doc *doc, struct row *r, const char *text)
{
	r->value = new_layout(doc, font_body, text, value_width(doc, r));
	r->nlines = pango_layout_get_line_count(r->value);
	r->line_top = xcalloc((size_t)r->nlines, sizeof(double));
	r->line_bottom = xcalloc((size_t)r->nlines, sizeof(double));
	r->line_base = xcalloc((size_t)r->nlines, sizeof(double));
	PangoLayoutIter *it = pango_layout_get_iter(r->value);
	int i = 0;
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		r->line_top[i] = (double)logical.y / PANGO_SCALE;
		r->line_bottom[i] = (double)(logical.y + logical.height) / PANGO_SCALE;
		r->line_base[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		i++;
	} while (i < r->nlines && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	r->body_h = segment_body_h(r, 0, r->nlines);
}

/*
 * Place the check boxes of a row on a grid of `ncols` columns `colw` wide
 * within `width`; a wide choice starts a new line and wraps within the width.
 */
static void measure_choice_row(struct row *r, double width, double colw, int ncols)
{
	double y = 0, line_h = 0;
	int col = 0;
	for (int i = 0; i < r->nchoice; i++) {
		struct choice *c = &r->choice[i];
		if (col > 0 && (c->wide || col == ncols)) {
			y += line_h + CHOICE_GAP_Y;
			line_h = 0;
			col = 0;
		}
		if (c->wide)
			pango_layout_set_width(c->text, (int)((width - BOX - BOX_GAP) * PANGO_SCALE));
		c->dx = col * colw;
		c->dy = y;
		double h = pdf_layout_h(c->text);
		if (h > line_h)
			line_h = h;
		col = c->wide ? ncols : col + 1;
	}
	r->body_h = y + line_h > label_h(r) ? y + line_h : label_h(r);
}

static double choice_w(const struct choice *c)
{
	return BOX + BOX_GAP + pdf_layout_w(c->text);
}

/* Check boxes in one line, spaced like the paper's 「□是    □否」. */
static void measure_inline_choices(struct row *r, double width)
{
	double widest = 0;
	for (int i = 0; i < r->nchoice; i++)
		if (choice_w(&r->choice[i]) > widest)
			widest = choice_w(&r->choice[i]);
	double colw = widest + 32;
	int ncols = (int)(width / colw);
	measure_choice_row(r, width, colw, ncols < 1 ? 1 : ncols);
}

static const struct {
	const char *key, *label;
} ownerships[] = {
	{"public_institution", "事业单位"},
	{"state_owned", "国有企业"},
	{"joint_stock", "股份制公司"},
	{"collective", "集体所有制企业"},
	{"joint_venture", "合资企业"},
	{"private", "民营企业"},
	{"other", "其他"},
};

/* 机构属性: the six named kinds two by two as on paper, then 其他（…） on a line of its own. */
static void build_ownership(struct doc *doc, struct row *r, const char *key, const char *other_text)
{
	double widest = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ownerships); i++) {
		bool checked = key && strcmp(key, ownerships[i].key) == 0;
		bool other = strcmp(ownerships[i].key, "other") == 0;
		if (!other) {
			add_choice(doc, r, ownerships[i].label, checked, false);
			if (choice_w(&r->choice[r->nchoice - 1]) > widest)
				widest = choice_w(&r->choice[r->nchoice - 1]);
			continue;
		}
		/* An empty 其他（　…　） keeps the paper's blank to write in. */
		struct sbuf sb = {0};
		sbuf_adds(&sb, "其他（");
		sbuf_adds(&sb, checked && !pdf_blank(other_text) ? other_text
								 : "　　　　　　　　　　　　");
		sbuf_adds(&sb, "）");
		add_choice(doc, r, sb.buf, checked, true);
		sbuf_free(&sb);
	}
	double width = value_width(doc, r);
	int ncols = (int)(width / (widest + 12));
	if (ncols > 2)
		ncols = 2;
	if (ncols < 1)
		ncols = 1;
	measure_choice_row(r, width, width / ncols, ncols);
}

/* The labelled rows of both groups align their values on the widest label. */
static const char *const row_labels[] = {
	"试点行业（初步意向）：", "提升行动负责人：", "联系方式：", "所属省市：",
	"成立时间：", "机构属性：", "认证资质：",
};

static void build_header(struct doc *doc)
{
	const struct decl_print *d = doc->d;
	double width = TABLE_X1 - TABLE_X0;
	doc->attach = new_layout(doc, font_attach, "附件2", 0);
	doc->title = new_layout(doc, font_title, "小微企业质量管理体系提升行动\n试点工作申报表", width);
	pango_layout_set_alignment(doc->title, PANGO_ALIGN_CENTER);
	pango_layout_set_spacing(doc->title, 4 * PANGO_SCALE);
	if (!pdf_blank(d->programme_name)) {
		doc->programme = new_layout(doc, font_programme, d->programme_name, width);
		pango_layout_set_alignment(doc->programme, PANGO_ALIGN_CENTER);
	}
	doc->unit_label = new_layout(doc, font_body, "单位名称（盖章）：", 0);
	doc->unit_value = new_layout(doc, font_body, d->unit_name,
				     width - pdf_layout_w(doc->unit_label) - 4);

	doc->header_h = pdf_layout_h(doc->attach) + 8 + pdf_layout_h(doc->title) + 6;
	if (doc->programme)
		doc->header_h += pdf_layout_h(doc->programme) + 4;
	doc->header_h += 12 + pdf_layout_h(doc->unit_value) + 8;
}

static void build_rows(struct doc *doc)
{
	const struct decl_print *d = doc->d;
	bool cb = d->is_cb;
	struct row *r;

	double widest = 0;
	for (size_t i = 0; i < ARRAY_SIZE(row_labels); i++) {
		PangoLayout *l = new_layout(doc, font_body, row_labels[i], 0);
		if (pdf_layout_w(l) > widest)
			widest = pdf_layout_w(l);
		g_object_unref(l);
	}
	doc->value_x = widest + 2;

	r = add_row(doc, GROUP_NONE, "单位类别", NULL, false);
	add_choice(doc, r, "市场监管部门", !cb, false);
	add_choice(doc, r, "认证机构", cb, false);
	measure_inline_choices(r, value_width(doc, r));

	r = add_row(doc, GROUP_NONE, "参与试点", NULL, false);
	add_choice(doc, r, "是", d->joins == 1, false);
	add_choice(doc, r, "否", d->joins == 0, false);
	measure_inline_choices(r, value_width(doc, r));

	/* Values of the category the unit is not in stay blank, as on paper. */
	r = add_row(doc, GROUP_DISTRICT, NULL, "试点行业（初步意向）：", true);
	measure_text_row(doc, r, cb ? NULL : d->industries);
	r = add_row(doc, GROUP_DISTRICT, NULL, "提升行动负责人：", false);
	measure_text_row(doc, r, cb ? NULL : d->leader);
	r = add_row(doc, GROUP_DISTRICT, NULL, "联系方式：", false);
	measure_text_row(doc, r, cb ? NULL : d->contact);

	r = add_row(doc, GROUP_CB, NULL, "所属省市：", false);
	measure_text_row(doc, r, cb ? d->province : NULL);
	char founded[64];
	pdf_format_date_cn(cb ? d->founded : NULL, founded, sizeof(founded));
	r = add_row(doc, GROUP_CB, NULL, "成立时间：", false);
	measure_text_row(doc, r, founded);
	r = add_row(doc, GROUP_CB, NULL, "机构属性：", false);
	build_ownership(doc, r, cb ? d->ownership : NULL, cb ? d->ownership_other : NULL);
	r = add_row(doc, GROUP_CB, NULL, "认证资质：", true);
	measure_text_row(doc, r, cb ? d->qualifications : NULL);
	r = add_row(doc, GROUP_CB, NULL, "提升行动负责人：", false);
	measure_text_row(doc, r, cb ? d->leader : NULL);
	r = add_row(doc, GROUP_CB, NULL, "联系方式：", false);
	measure_text_row(doc, r, cb ? d->contact : NULL);

	r = add_row(doc, GROUP_NONE, "备注", NULL, true);
	measure_text_row(doc, r, d->remarks);
}

/* ============================== paginate ================================== */

static double row_h(const struct doc *doc, const struct row *r)
{
	double h = r->body_h + 2 * doc->pad_y;
	double min_h = r->min_h * doc->min_scale;
	return h > min_h ? h : min_h;
}

/* Height of the lines [from, to) of a text row, with padding. */
static double segment_h(const struct doc *doc, const struct row *r, int from, int to)
{
	return segment_body_h(r, from, to) + 2 * doc->pad_y;
}

static void place(struct doc *doc, int row, int page, double y, double h, int from, int to)
{
	if (doc->nplaced == doc->placed_cap) {
		doc->placed_cap = doc->placed_cap ? 2 * doc->placed_cap : 16;
		doc->placed = xrealloc(doc->placed, (size_t)doc->placed_cap * sizeof(*doc->placed));
	}
	doc->placed[doc->nplaced++] = (struct placed){row, page, y, h, from, to};
}

static void paginate(struct doc *doc)
{
	int page = 0;
	doc->nplaced = 0;
	double y = MARGIN + doc->header_h;
	for (int i = 0; i < doc->nrows; i++) {
		const struct row *r = &doc->rows[i];
		double h = row_h(doc, r);
		if (y + h <= BODY_BOTTOM) {
			place(doc, i, page, y, h, 0, r->nlines);
			y += h;
			continue;
		}
		if (!r->value || h <= BODY_BOTTOM - MARGIN) {
			/* Fits on a fresh page: move it whole. */
			page++;
			y = MARGIN;
			place(doc, i, page, y, h, 0, r->nlines);
			y += h;
			continue;
		}
		/* Taller than a page: fill each page with as many lines as fit. */
		int from = 0;
		while (from < r->nlines) {
			int to = from;
			while (to < r->nlines && y + segment_h(doc, r, from, to + 1) <= BODY_BOTTOM)
				to++;
			if (to == from) {
				if (y == MARGIN)
					BUG("a text line is taller than a page");
				page++;
				y = MARGIN;
				continue;
			}
			double sh = segment_h(doc, r, from, to);
			place(doc, i, page, y, sh, from, to);
			y += sh;
			from = to;
			if (from < r->nlines) {
				page++;
				y = MARGIN;
			}
		}
	}
	double stamp_h = STAMP_GAP + STAMP_LINE + 2 * pdf_layout_h(doc->unit_label);
	if (y + stamp_h > BODY_BOTTOM) {
		page++;
		y = MARGIN;
	}
	doc->stamp_page = page;
	doc->stamp_y = y + STAMP_GAP;
	doc->npages = page + 1;
}

/*
 * The roomy layout of the paper when the form fits on one page; otherwise
 * rows just tight enough to make it fit (down to 3.5 pt padding and 60 % of
 * the paper's empty-row heights); otherwise the roomy layout on several pages.
 */
static void paginate_best(struct doc *doc)
{
	enum { STEPS = 12 };
	for (int step = 0; step <= STEPS; step++) {
		double t = (double)step / STEPS;
		doc->pad_y = 6.5 - 3.0 * t;
		doc->min_scale = 1.0 - 0.4 * t;
		paginate(doc);
		if (doc->npages == 1)
			return;
	}
	doc->pad_y = 6.5;
	doc->min_scale = 1.0;
	paginate(doc);
}

/* ================================ draw ==================================== */

static void hline(cairo_t *cr, double x0, double x1, double y, double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

static void draw_header(struct doc *doc)
{
	cairo_t *cr = doc->cr;
	double y = MARGIN;
	show_layout(doc, doc->attach, TABLE_X0, y);
	y += pdf_layout_h(doc->attach) + 8;
	show_layout(doc, doc->title, TABLE_X0, y);
	y += pdf_layout_h(doc->title) + 6;
	if (doc->programme) {
		show_layout(doc, doc->programme, TABLE_X0, y);
		y += pdf_layout_h(doc->programme) + 4;
	}
	y += 12;

	/* 单位名称（盖章）：____ underlined to the table's right edge, line by line. */
	double vx = TABLE_X0 + pdf_layout_w(doc->unit_label) + 2;
	double label_base = pdf_layout_baseline(doc->unit_label);
	show_layout(doc, doc->unit_label, TABLE_X0, y);
	y += label_base - pdf_layout_baseline(doc->unit_value);
	show_layout(doc, doc->unit_value, vx, y);
	PangoLayoutIter *it = pango_layout_get_iter(doc->unit_value);
	do {
		double base = y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		hline(cr, vx, TABLE_X1, base + 3.5, LINE_INNER);
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* A check box whose bottom sits just under the text baseline, ticked if chosen. */
static void draw_choice(struct doc *doc, const struct choice *c, double x, double y)
{
	cairo_t *cr = doc->cr;
	double bottom = y + pdf_layout_baseline(c->text) + 0.4;
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, x + 0.3, bottom - BOX, BOX, BOX);
	cairo_stroke(cr);
	if (c->checked) {
		double bx = x + 0.3, by = bottom - BOX;
		cairo_save(cr);
		cairo_set_line_width(cr, 1.2);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_move_to(cr, bx + 0.18 * BOX, by + 0.52 * BOX);
		cairo_line_to(cr, bx + 0.42 * BOX, by + 0.78 * BOX);
		cairo_line_to(cr, bx + 0.86 * BOX, by + 0.16 * BOX);
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	show_layout(doc, c->text, x + BOX + BOX_GAP, y);
}

/* The right-hand cell of one placed row (or part of a split row). */
static void draw_cell(struct doc *doc, const struct placed *pl)
{
	const struct row *r = &doc->rows[pl->row];
	bool split = r->value && (pl->from > 0 || pl->to < r->nlines);
	double inner_h = pl->h - 2 * doc->pad_y;
	double body_h = r->value ? segment_body_h(r, pl->from, pl->to) : r->body_h;
	double x = CELL_X + PAD_X;
	double y = pl->y + doc->pad_y;
	if (!r->tall && !split)
		y += (inner_h - body_h) / 2;
	double label_dy = 0, value_dy = 0;
	if (r->value)
		first_baseline(r, pl->from, &label_dy, &value_dy);
	if (r->label && pl->from == 0)
		show_layout(doc, r->label, x, y + label_dy);
	double vx = x + (r->label ? doc->value_x : 0);
	if (r->value) {
		for (int i = pl->from; i < pl->to; i++) {
			cairo_move_to(doc->cr, vx,
				      y + value_dy + r->line_base[i] - r->line_top[pl->from]);
			pango_cairo_show_layout_line(doc->cr,
						     pango_layout_get_line_readonly(r->value, i));
		}
	}
	for (int i = 0; i < r->nchoice; i++)
		draw_choice(doc, &r->choice[i], vx + r->choice[i].dx, y + r->choice[i].dy);
}

/* Centre a left-column heading in the band [top, bottom). */
static void draw_head(struct doc *doc, const char *text, double top, double bottom)
{
	PangoLayout *l = new_layout(doc, font_body, text, HEAD_W - 2 * 4.0);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	show_layout(doc, l, TABLE_X0 + 4.0, top + (bottom - top - pdf_layout_h(l)) / 2);
	g_object_unref(l);
}

/* The rows placed on one page: cells, merged headings and the rules. */
static void draw_table(struct doc *doc, int page)
{
	cairo_t *cr = doc->cr;
	int first = -1, last = -1;
	for (int k = 0; k < doc->nplaced; k++) {
		if (doc->placed[k].page != page)
			continue;
		if (first < 0)
			first = k;
		last = k;
	}
	if (first < 0)
		return; /* a page holding only the stamp */

	for (int k = first; k <= last; k++) {
		const struct placed *pl = &doc->placed[k];
		const struct row *r = &doc->rows[pl->row];
		draw_cell(doc, pl);
		if (k > first) {
			/* Rows of one group share the merged heading: rule only the right column. */
			const struct row *prev = &doc->rows[doc->placed[k - 1].row];
			bool merged = r->group != GROUP_NONE && r->group == prev->group;
			hline(cr, merged ? CELL_X : TABLE_X0, TABLE_X1, pl->y, LINE_INNER);
		}
		/* A heading spans the run of placed rows with its group (or its own row). */
		bool run_ends = k == last || r->group == GROUP_NONE ||
				doc->rows[doc->placed[k + 1].row].group != r->group;
		if (!run_ends)
			continue;
		int start = k;
		while (r->group != GROUP_NONE && start > first &&
		       doc->rows[doc->placed[start - 1].row].group == r->group)
			start--;
		const char *head = r->group == GROUP_NONE ? r->head : group_heads[r->group];
		/* A heading carried over from the previous page says so. */
		bool continued = start > 0 &&
				 (doc->placed[start - 1].row == doc->placed[start].row ||
				  (r->group != GROUP_NONE &&
				   doc->rows[doc->placed[start - 1].row].group == r->group));
		char text[64];
		snprintf(text, sizeof(text), "%s%s", head, continued ? "\n（续）" : "");
		draw_head(doc, text, doc->placed[start].y, pl->y + pl->h);
	}

	double top = doc->placed[first].y;
	double bottom = doc->placed[last].y + doc->placed[last].h;
	cairo_set_line_width(cr, LINE_INNER);
	cairo_move_to(cr, CELL_X, top);
	cairo_line_to(cr, CELL_X, bottom);
	cairo_stroke(cr);
	cairo_set_line_width(cr, LINE_OUTER);
	cairo_rectangle(cr, TABLE_X0, top, TABLE_X1 - TABLE_X0, bottom - top);
	cairo_stroke(cr);
}

/* 「（盖章）」 and 「年　月　日」 at the bottom right, with room for the seal. */
static void draw_stamp(struct doc *doc)
{
	PangoLayout *seal = new_layout(doc, font_body, "（盖章）", 0);
	PangoLayout *date = new_layout(doc, font_body, "年　　月　　日", 0);
	double right = TABLE_X1 - 12 * MM;
	show_layout(doc, seal, right - pdf_layout_w(date) / 2 - pdf_layout_w(seal) / 2, doc->stamp_y);
	show_layout(doc, date, right - pdf_layout_w(date), doc->stamp_y + pdf_layout_h(seal) + STAMP_LINE);
	g_object_unref(seal);
	g_object_unref(date);
}

/* Status on the left, print date on the right, page numbers under them when several. */
static void draw_footer(struct doc *doc, int page)
{
	const struct decl_print *d = doc->d;
	cairo_t *cr = doc->cr;
	double width = TABLE_X1 - TABLE_X0;
	double y = BODY_BOTTOM + 8 * MM;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);

	PangoLayout *status = new_layout(doc, font_footer, d->status_line, width * 0.62);
	pango_layout_set_ellipsize(status, PANGO_ELLIPSIZE_END);
	show_layout(doc, status, TABLE_X0, y);
	g_object_unref(status);

	if (!pdf_blank(d->printed_on)) {
		char text[128];
		snprintf(text, sizeof(text), "打印日期：%s", d->printed_on);
		PangoLayout *date = new_layout(doc, font_footer, text, width * 0.36);
		pango_layout_set_ellipsize(date, PANGO_ELLIPSIZE_START);
		pango_layout_set_alignment(date, PANGO_ALIGN_RIGHT);
		show_layout(doc, date, TABLE_X1 - width * 0.36, y);
		g_object_unref(date);
	}

	if (doc->npages > 1) {
		char text[64];
		snprintf(text, sizeof(text), "第 %d 页 共 %d 页", page + 1, doc->npages);
		PangoLayout *num = new_layout(doc, font_footer, text, width);
		pango_layout_set_alignment(num, PANGO_ALIGN_CENTER);
		show_layout(doc, num, TABLE_X0, y + 13);
		g_object_unref(num);
	}
	cairo_restore(cr);
}

static void doc_free(struct doc *doc)
{
	PangoLayout *header[] = {doc->attach, doc->title, doc->programme, doc->unit_label,
				 doc->unit_value};
	for (size_t i = 0; i < ARRAY_SIZE(header); i++)
		if (header[i])
			g_object_unref(header[i]);
	for (int i = 0; i < doc->nrows; i++) {
		struct row *r = &doc->rows[i];
		if (r->label)
			g_object_unref(r->label);
		if (r->value)
			g_object_unref(r->value);
		for (int k = 0; k < r->nchoice; k++)
			g_object_unref(r->choice[k].text);
		free(r->line_top);
		free(r->line_bottom);
		free(r->line_base);
	}
	free(doc->placed);
	if (doc->ctx)
		g_object_unref(doc->ctx);
}

/* ================================ entry =================================== */

static int render_locked(const struct decl_print *d, struct sbuf *out, char *err, size_t errlen)
{
	size_t start_len = out->len;
	cairo_surface_t *surface = pdf_surface_new(out, PAGE_W, PAGE_H,
						   "小微企业质量管理体系提升行动试点工作申报表",
						   d->unit_name);

	struct doc doc = {.d = d};
	doc.cr = cairo_create(surface);
	doc.ctx = pdf_context_new(doc.cr);
	build_header(&doc);
	build_rows(&doc);
	paginate_best(&doc);

	cairo_set_source_rgb(doc.cr, 0, 0, 0);
	for (int page = 0; page < doc.npages; page++) {
		if (page == 0)
			draw_header(&doc);
		draw_table(&doc, page);
		if (page == doc.stamp_page)
			draw_stamp(&doc);
		draw_footer(&doc, page);
		cairo_show_page(doc.cr);
	}

	doc_free(&doc);
	return pdf_surface_end(doc.cr, surface, out, start_len, err, errlen);
}

int render_declaration_pdf(const struct decl_print *d, struct sbuf *out, char *err, size_t errlen)
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
