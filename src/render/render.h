/*
 * render.h - official documents: PDF (cairo + pango, Noto CJK fonts) and
 * Excel (libxlsxwriter). Pure output: no database, no HTTP. Each function
 * writes the whole file into an sbuf.
 */
#ifndef QMS_RENDER_H
#define QMS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "../util.h"

/* Load fonts once at start-up (the first document otherwise pays ~100 ms). */
void render_init(void);

/* What the declaration form (申报表, attachment 2) shows. NULL or "" prints blank. */
struct decl_print {
	const char *programme_name;  /* e.g. 上海市2021年小微企业质量管理体系认证提升行动 */
	const char *unit_name;       /* 单位名称（盖章） */
	bool is_cb;                  /* 单位类别: false 市场监管部门, true 认证机构 */
	int joins;                   /* 参与试点: 1 是, 0 否, -1 not answered */
	const char *industries;      /* 试点行业（初步意向）, names joined with "、" */
	const char *leader;          /* 提升行动负责人 */
	const char *contact;         /* 联系方式, phone and e-mail on one line */
	const char *province;        /* 所属省市 (CB) */
	const char *founded;         /* 成立时间 YYYY-MM-DD (CB) */
	const char *ownership;       /* 机构属性 key: public_institution, state_owned, joint_stock,
				      * collective, joint_venture, private, other (CB) */
	const char *ownership_other; /* the text in 其他（____） */
	const char *qualifications;  /* 认证资质 (CB), may be several lines */
	const char *remarks;         /* 备注 */
	const char *status_line;     /* footer, e.g. "状态：已提交（第 2 版）· 逾期提交" */
	const char *printed_on;      /* footer date YYYY-MM-DD */
};

/*
 * A4 PDF laid out like the paper table (one page normally; long texts flow on
 * to numbered pages). Safe to call from several threads: renders are
 * serialised on one shared font map (~20 ms each). Returns 0, or -1 with err set.
 */
int render_declaration_pdf(const struct decl_print *d, struct sbuf *out, char *err, size_t errlen);

/*
 * One-sheet .xlsx: a bold title row (may be NULL), a header row (frozen,
 * bold, filtered), then rows. cells holds nrows * ncols strings, row by row
 * (NULL = empty). widths gives each column's width in characters (NULL =
 * automatic). Rows are written in order (constant-memory mode), so 100,000
 * rows cost a few MB (100,000 x 8 cells: ~1.2 s). Reentrant: each call has its
 * own temporary file. Returns 0, or -1 with err set.
 */
int render_xlsx_table(const char *sheet_name, const char *title, const char *const *headers,
		      int ncols, const char *const *cells, long nrows, const double *widths,
		      struct sbuf *out, char *err, size_t errlen);

/* What a printable certificate (认证证书) shows. NULL or "" prints blank. */
struct cert_print {
	const char *number;       /* 证书编号 */
	const char *holder;       /* 获证组织 */
	const char *uscc;         /* 统一社会信用代码 */
	const char *address;      /* 注册地址 */
	const char *sites;        /* 认证覆盖的场所 */
	const char *scope;        /* 认证范围（业务范围） */
	const char *standard;     /* 认证依据 */
	const char *scheme;       /* 认证项目，e.g. 质量管理体系认证 */
	const char *first_issue;  /* 初次颁证日期 YYYY-MM-DD */
	const char *issue;        /* 本次颁证日期 */
	const char *expiry;       /* 有效期至 */
	long headcount;           /* 覆盖人数; <= 0 prints blank */
	const char *status_label; /* 有效 / 暂停 / … printed in a status box */
	const char *issuer;       /* 发证机构名称 */
	const char *verify_url;   /* encoded in the QR code and printed under it */
};

/* A4 certificate with a QR code that opens verify_url. Returns 0, or -1 with err. */
int render_certificate_pdf(const struct cert_print *c, struct sbuf *out, char *err, size_t errlen);

/* The QR code of text (libqrencode, error correction M) as a standalone SVG
 * document, black modules on white with a 4-module quiet zone. */
int render_qr_svg(const char *text, struct sbuf *out, char *err, size_t errlen);

/* ---- The diagnosis report (问题诊断报告 / 再评估报告) ---- */

/* One clause (4 … 10) of the per-clause table and the radar chart. */
struct diag_print_clause {
	const char *clause;        /* "4" */
	const char *title;         /* 组织环境 */
	int items, answered, na;   /* checklist items, answered (scored or n/a), n/a */
	bool has_score;  double score;   /* this diagnosis, one decimal */
	bool has_before; double before;  /* the first diagnosis (re-assessment only) */
	bool has_self;   double self;    /* the enterprise's self-assessment */
};

/* One finding (an answered item with a finding text). */
struct diag_print_finding {
	const char *kind;          /* "blockage" 堵点, "pain" 痛点, "difficulty" 难点, "" other */
	const char *item_key;      /* 7.1.5-1 */
	const char *item_text;     /* the checklist question */
	int score;                 /* 1..5; -1 not applicable; 0 not scored yet */
	const char *finding;       /* the auditor's text */
};

/* One evidence file. */
struct diag_print_evidence {
	const char *item_key;      /* "" when attached to the whole diagnosis */
	const char *filename;
	const char *content_type;
	long size;                 /* bytes */
};

/* One follow-up indicator (re-assessment): values already formatted ("" = not given). */
struct diag_print_indicator {
	const char *label;         /* 产品不良率（%） */
	const char *baseline, *followup, *change;
};

struct diag_print {
	const char *title;           /* 问题诊断报告 or 再评估报告 */
	const char *programme_name;
	const char *enterprise, *uscc, *district, *industry, *cb_name;
	const char *team, *visit_date, *checklist_title, *summary;
	int round;                   /* 1 first diagnosis; 2… re-assessment (shows "before") */
	bool has_overall;  double overall;
	bool has_overall_before; double overall_before;
	const struct diag_print_clause *clauses; int n_clauses;
	const struct diag_print_finding *findings; int n_findings;     /* in clause order */
	const struct diag_print_evidence *evidence; int n_evidence;
	const struct diag_print_indicator *indicators; int n_indicators; /* re-assessment only */
	const char *status_line;     /* footer, e.g. "状态：已提交 2021-04-20" */
	const char *printed_on;      /* footer date */
};

/*
 * A4 report: header block (enterprise, body, team, date, checklist), the
 * per-clause table (items, answered, score; before and change on a
 * re-assessment; self-assessment when given), a radar chart of the clause
 * scores on a 0-5 scale (before and after overlaid on a re-assessment, with a
 * legend), findings grouped by kind (堵点, 痛点, 难点, 其他), the evidence
 * list, and on a re-assessment the indicator table. Page numbers in the footer.
 * Thread-safe like the other renders. Returns 0, or -1 with err set.
 */
int render_diagnosis_pdf(const struct diag_print *d, struct sbuf *out, char *err, size_t errlen);

/* ---- Statutory reports (中期推进情况 / 年度工作总结) ---- */

struct report_print_section {
	const char *heading;   /* 一、工作进展 */
	const char *text;      /* plain text; blank lines separate paragraphs */
};
struct report_print_figure {
	const char *label;     /* 试点企业 */
	const char *value;     /* "10 家", "+2.0 分" — already formatted */
	const char *note;      /* how it is counted, small print; may be NULL */
};
struct report_print {
	const char *title;          /* 浦东新区市场监管局 中期推进情况报告 */
	const char *programme_name;
	const char *unit_name;
	const char *kind_name;      /* 中期推进情况 */
	const char *due;            /* 报送期限 YYYY-MM-DD */
	const char *figures_at;     /* 数据截至 YYYY-MM-DD (frozen at submission, or today for a draft) */
	bool draft;                 /* prints a 草稿 watermark/notice */
	const struct report_print_figure *figures; int n_figures;
	const struct report_print_section *sections; int n_sections;
	const char *status_line;    /* footer, e.g. "状态：已提交（第 1 版）2021-05-17" */
	const char *printed_on;
};

/*
 * A4 report: title, programme, unit, kind, due date; a 主要数据 table of the
 * figures (label, value, note) with "数据截至" and a 草稿 notice on drafts; then
 * the text sections with their headings, paragraphs flowing across pages;
 * a signature line (报送单位（盖章）/ 日期); footer with status and page numbers.
 * Thread-safe like the other renders. Returns 0, or -1 with err set.
 */
int render_report_pdf(const struct report_print *r, struct sbuf *out, char *err, size_t errlen);

#endif
