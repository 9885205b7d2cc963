/*
 * enterprise_import.c - registering enterprises from a CSV file, the CSV
 * template, and the ledger (帮扶台账) export.
 *
 * The import runs in one transaction; each row is checked completely before
 * it is written, so a refused row writes nothing. A row whose USCC is
 * already registered is reported as a duplicate and left as it is, so
 * importing the same file twice changes nothing.
 */
#include "api.h"
#include "../app.h"
#include "../core/csv.h"
#include "../core/sizeclass.h"
#include "../render/render.h"
#include "../store/db.h"
#include "../store/declarations.h"
#include "../store/enterprises.h"
#include "../util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The template's columns, in order; the import finds columns by these names. */
static const char *const columns[] = {
	"企业名称", "统一社会信用代码", "地址", "所属区", "试点行业", "所属园区/基地/创新中心",
	"划型行业", "从业人员（人）", "营业收入（万元）", "资产总额（万元）", "联系人", "联系电话",
	"自愿参加（是/否）",
};
enum { C_NAME, C_USCC, C_ADDR, C_DISTRICT, C_INDUSTRY, C_PARK, C_SECTOR, C_EMP, C_REV, C_ASSETS,
       C_CONTACT, C_PHONE, C_CONSENT, N_COLS };

#define MAX_REPORTED_OK 1000

void api_enterprises_template(struct request *rq)
{
	struct sbuf sb = {0};
	sbuf_adds(&sb, "\xEF\xBB\xBF"); /* BOM: Excel then opens it as UTF-8 */
	for (int i = 0; i < N_COLS; i++)
		sbuf_printf(&sb, "%s%s", i ? "," : "", columns[i]);
	sbuf_adds(&sb, "\r\n上海示例精密制造有限公司,913101156A8K3M2P7U,上海市浦东新区示例路1号,浦东新区,集成电路,"
		       "张江高科技园区,工业,45,1200,800,陈静,13800001234,是\r\n");
	reply_bytes(rq, 200, "text/csv; charset=utf-8", sb.buf, sb.len, "企业登记模板.csv");
	sbuf_free(&sb);
}

/* Parse a number cell: "" → -1 (not given); false when not a non-negative number. */
static bool cell_number(const char *s, double *out)
{
	while (*s == ' ')
		s++;
	if (!*s) {
		*out = -1;
		return true;
	}
	char *end;
	double d = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end || d < 0 || !isfinite(d))
		return false;
	*out = d;
	return true;
}

static void trim_copy(char *dst, size_t n, const char *src)
{
	while (*src == ' ' || *src == '\t')
		src++;
	snprintf(dst, n, "%s", src);
	size_t len = strlen(dst);
	while (len && (dst[len - 1] == ' ' || dst[len - 1] == '\t'))
		dst[--len] = '\0';
}

struct import_ctx {
	struct request *rq;
	const struct programme_info *pi;
	bool dry_run;
	int map[N_COLS]; /* column index in the file, -1 when absent */
	char region[16];
	int64_t region_for;
	char last_district[64];     /* the district name last resolved, and its unit: */
	int64_t last_district_unit; /* rows of one district cost no extra queries */
	long accepted, duplicates, refused;
	json_t *rows;
	/* Rows checked and waiting to be inserted together (not in a dry run). */
	struct ent_fields *pend;    /* ENT_BATCH of them, on the heap (≈240 KB) */
	int pend_line[ENT_BATCH];
	int n_pend;
};

static void report(struct import_ctx *c, int line, const char *status, const struct ent_fields *e,
		   int64_t id, const char *field, const char *message)
{
	bool ok = !strcmp(status, "accepted");
	if (ok && c->accepted > MAX_REPORTED_OK)
		return;
	json_t *r = json_pack("{s:i,s:s,s:s,s:s}", "line", line, "status", status, "name",
			      e ? e->name : "", "uscc", e ? e->uscc : "");
	if (id)
		json_object_set_new(r, "id", json_integer(id));
	if (field)
		json_object_set_new(r, "field", json_string(field));
	if (message)
		json_object_set_new(r, "message", json_string(message));
	if (e && e->region_warning[0])
		json_object_set_new(r, "warning", json_string(e->region_warning));
	json_array_append_new(c->rows, r);
}

/* Insert the waiting rows and report each, in file order: 0, -1 on a database error. */
static int flush(struct import_ctx *c)
{
	if (!c->n_pend)
		return 0;
	int64_t ids[ENT_BATCH];
	if (ent_insert_many(c->rq->db, c->pend, c->n_pend, ids))
		return -1;
	for (int i = 0; i < c->n_pend; i++) {
		const struct ent_fields *e = &c->pend[i];
		if (ids[i]) {
			c->accepted++;
			report(c, c->pend_line[i], "accepted", e, ids[i], NULL, NULL);
		} else {
			c->duplicates++;
			report(c, c->pend_line[i], "duplicate", e, ent_id_by_uscc(c->rq->db, e->uscc), "uscc",
			       "该统一社会信用代码已登记（或在文件中重复出现），未重复导入");
		}
	}
	c->n_pend = 0;
	return 0;
}

/* A refused row: the rows before it are reported first, so the report keeps file order. */
static int refuse(struct import_ctx *c, int line, const struct ent_fields *e, const char *field,
		  const char *message)
{
	if (flush(c))
		return -1;
	report(c, line, "refused", e, 0, field, message);
	return 0;
}

/* One data row: check everything, then queue it for writing (or only check in a dry run). */
static int import_row(struct import_ctx *c, int line, char **f, int n)
{
	struct ent_fields e;
	memset(&e, 0, sizeof(e));
	const char *cell[N_COLS];
	for (int i = 0; i < N_COLS; i++)
		cell[i] = c->map[i] >= 0 && c->map[i] < n ? f[c->map[i]] : "";
	trim_copy(e.name, sizeof(e.name), cell[C_NAME]);
	trim_copy(e.uscc, sizeof(e.uscc), cell[C_USCC]);
	trim_copy(e.address, sizeof(e.address), cell[C_ADDR]);
	trim_copy(e.industry, sizeof(e.industry), cell[C_INDUSTRY]);
	trim_copy(e.park, sizeof(e.park), cell[C_PARK]);
	trim_copy(e.sector, sizeof(e.sector), cell[C_SECTOR]);
	trim_copy(e.contact_name, sizeof(e.contact_name), cell[C_CONTACT]);
	trim_copy(e.contact_phone, sizeof(e.contact_phone), cell[C_PHONE]);
	char district[64], consent[16];
	trim_copy(district, sizeof(district), cell[C_DISTRICT]);
	trim_copy(consent, sizeof(consent), cell[C_CONSENT]);
	double emp, rev, assets;
	if (!cell_number(cell[C_EMP], &emp) || (emp >= 0 && emp != floor(emp))) {
		return refuse(c, line, &e, "employees", "从业人员应为非负整数");
	}
	if (!cell_number(cell[C_REV], &rev) || !cell_number(cell[C_ASSETS], &assets)) {
		return refuse(c, line, &e, "revenue", "营业收入、资产总额应为非负数（单位：万元）");
	}
	e.employees = emp < 0 ? -1 : (int64_t)emp;
	e.revenue = rev;
	e.total_assets = assets;
	if (strcmp(consent, "是") && strcasecmp(consent, "yes") && strcmp(consent, "1")) {
		return refuse(c, line, &e, "consent", "企业未确认自愿参加（自愿参加一栏应填“是”）");
	}
	e.consent = true;
	int64_t d = 0;
	if (district[0] && !strcmp(district, c->last_district)) {
		d = c->last_district_unit;
	} else if (district[0]) {
		d = ent_district_unit(c->rq, district);
		snprintf(c->last_district, sizeof(c->last_district), "%s", district);
		c->last_district_unit = d;
	}
	if (c->rq->user.role == ROLE_DISTRICT_OFFICER) {
		if (district[0] && d != c->rq->user.unit_id) {
			return refuse(c, line, &e, "district", "不属于本区的企业不能由本区登记");
		}
		d = c->rq->user.unit_id;
	}
	if (!d) {
		return refuse(c, line, &e, "district", "所属区为空或无效");
	}
	e.district_unit_id = d;
	if (c->region_for != d) {
		ent_region_of(c->rq, d, c->region);
		c->region_for = d;
	}
	struct ent_problem p;
	if (!ent_check(c->rq, c->pi, &e, c->region, &p)) {
		return refuse(c, line, &e, p.field, p.message);
	}
	if (!c->dry_run) {
		/* Written with the next rows: the insert itself tells a duplicate (no row back). */
		c->pend[c->n_pend] = e;
		c->pend_line[c->n_pend++] = line;
		return c->n_pend == ENT_BATCH ? flush(c) : 0;
	}
	if (ent_id_by_uscc(c->rq->db, e.uscc)) {
		c->duplicates++;
		report(c, line, "duplicate", &e, ent_id_by_uscc(c->rq->db, e.uscc), "uscc",
		       "该统一社会信用代码已登记（或在文件中重复出现），未重复导入");
		return 0;
	}
	c->accepted++;
	report(c, line, "accepted", &e, 0, NULL, NULL);
	return 0;
}

static bool header_or_reply(struct import_ctx *c, char **f, int n)
{
	for (int i = 0; i < N_COLS; i++) {
		c->map[i] = -1;
		for (int j = 0; j < n; j++) {
			char h[128];
			trim_copy(h, sizeof(h), f[j]);
			if (!strcmp(h, columns[i]))
				c->map[i] = j;
		}
	}
	static const int required[] = {C_NAME, C_USCC, C_INDUSTRY, C_SECTOR, C_CONSENT};
	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		if (c->map[required[i]] < 0) {
			char msg[300];
			snprintf(msg, sizeof(msg), "文件缺少必需的列“%s”。请下载模板，按模板的列名填写（以英文逗号分隔）",
				 columns[required[i]]);
			reply_invalid(c->rq, "file", msg);
			return false;
		}
	return true;
}

void api_enterprises_import(struct request *rq)
{
	struct programme_info pi;
	if (programme_info_current(rq->db, &pi) != 1) {
		reply_db_error(rq);
		return;
	}
	if (!rq->body || !rq->body_len) {
		reply_invalid(rq, "file", "上传的文件为空");
		return;
	}
	switch (csv_detect(rq->body, rq->body_len)) {
	case CSV_GBK_LIKELY:
		reply_error(rq, 415, "unsupported_media_type",
			    "文件似乎是 GBK 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入", "file");
		return;
	case CSV_BINARY:
		reply_error(rq, 415, "unsupported_media_type",
			    "文件不是 CSV 文本（如为 Excel 工作簿，请另存为 CSV UTF-8 后导入）", "file");
		return;
	default:
		break;
	}
	struct import_ctx c = {.rq = rq, .pi = &pi, .rows = json_array()};
	const char *dry = query_get(rq, "dry_run");
	c.dry_run = dry && !strcmp(dry, "true");
	struct csv_reader r;
	csv_init(&r, rq->body, rq->body_len);
	char buf[16384], err[200];
	char *f[64];
	int n = csv_next(&r, buf, sizeof(buf), f, 64, err, sizeof(err));
	if (n <= 0) {
		json_decref(c.rows);
		reply_invalid(rq, "file", n < 0 ? err : "文件中没有内容");
		return;
	}
	if (!header_or_reply(&c, f, n)) {
		json_decref(c.rows);
		return;
	}
	if (db_begin(rq->db, true) != DB_OK) {
		json_decref(c.rows);
		reply_db_error(rq);
		return;
	}
	c.pend = xcalloc(ENT_BATCH, sizeof(*c.pend));
	long rows = 0;
	bool failed = false;
	for (;;) {
		n = csv_next(&r, buf, sizeof(buf), f, 64, err, sizeof(err));
		if (n == 0)
			break;
		int line = r.line; /* where this record starts in the file */
		rows++;
		if (n < 0) {
			/* A broken quote spoils everything after it: stop and say where. */
			c.refused++;
			if (flush(&c)) {
				failed = true;
				break;
			}
			report(&c, line, "refused", NULL, 0, "file", err);
			break;
		}
		long refused_before = (long)json_array_size(c.rows);
		if (import_row(&c, line, f, n) < 0) {
			failed = true;
			break;
		}
		/* Count the refusal report() recorded for this row (rows written with
		 * it are reported before it, never after). */
		json_t *last = json_array_get(c.rows, json_array_size(c.rows) - 1);
		if ((long)json_array_size(c.rows) > refused_before && last &&
		    !strcmp(json_string_value(json_object_get(last, "status")), "refused"))
			c.refused++;
	}
	if (!failed && flush(&c))
		failed = true;
	free(c.pend);
	if (failed) {
		db_rollback(rq->db);
		json_decref(c.rows);
		reply_db_error(rq);
		return;
	}
	if (!c.dry_run)
		audit(rq, "enterprise.import", "enterprise", 0,
		      json_pack("{s:I,s:I,s:I}", "accepted", (json_int_t)c.accepted, "duplicates",
				(json_int_t)c.duplicates, "refused", (json_int_t)c.refused));
	if (c.dry_run)
		db_rollback(rq->db);
	else if (db_commit(rq->db) != DB_OK) {
		json_decref(c.rows);
		reply_db_error(rq);
		return;
	}
	reply_json(rq, 200, json_pack("{s:b,s:I,s:I,s:I,s:I,s:o}", "dry_run", c.dry_run, "total_rows",
				      (json_int_t)rows, "accepted", (json_int_t)c.accepted, "duplicates",
				      (json_int_t)c.duplicates, "refused", (json_int_t)c.refused, "rows", c.rows));
}

/* ======================== Ledger export ======================== */

struct ledger_ctx {
	struct sbuf text;   /* every cell, NUL-separated */
	long rows;
};

static void collect_row(const char *const *cols, void *p)
{
	struct ledger_ctx *c = p;
	char no[24];
	snprintf(no, sizeof(no), "%ld", ++c->rows);
	sbuf_add(&c->text, no, strlen(no) + 1);
	for (int i = 0; i < LEDGER_COLS; i++) {
		const char *v = cols[i] ? cols[i] : "";
		if (i == 5)
			v = !strcmp(v, "micro") ? "微型" : !strcmp(v, "small") ? "小型" : v;
		sbuf_add(&c->text, v, strlen(v) + 1);
	}
}

void api_ledger_xlsx(struct request *rq)
{
	struct programme_info pi;
	if (programme_info_current(rq->db, &pi) != 1) {
		reply_db_error(rq);
		return;
	}
	struct ent_filter f = {.programme_id = pi.id, .assigned = -1};
	f.industry = query_get(rq, "industry");
	const char *district = query_get(rq, "district");
	if (district && !(f.district_unit_id = ent_district_unit(rq, district))) {
		reply_invalid(rq, "district", "所属区无效");
		return;
	}
	if (rq->user.role == ROLE_DISTRICT_OFFICER)
		f.district_unit_id = rq->user.unit_id;
	static const char *const headers[] = {
		"序号", "企业名称", "统一社会信用代码", "所属区", "试点行业", "所属园区/基地/创新中心", "企业规模",
		"从业人员（人）", "营业收入（万元）", "资产总额（万元）", "联系人", "联系电话", "帮扶认证机构",
		"基线期间", "一次交验合格率（%）", "顾客投诉（次）", "顾客满意度（%）", "质量成本率（%）",
		"利润率（%）",
	};
	enum { NCOL = LEDGER_COLS + 1 };
	static const double widths[NCOL] = {6, 30, 22, 10, 12, 22, 8, 10, 12, 12, 10, 14, 26, 10, 12, 10, 12, 12, 10};
	struct ledger_ctx c = {0};
	if (ent_ledger(rq->db, &f, collect_row, &c) < 0) {
		sbuf_free(&c.text);
		reply_db_error(rq);
		return;
	}
	/* Point the table at the NUL-separated cells. */
	const char **table = xcalloc((size_t)c.rows * NCOL + 1, sizeof(char *));
	const char *p = c.text.buf;
	for (size_t i = 0; i < (size_t)c.rows * NCOL; i++) {
		table[i] = p;
		p += strlen(p) + 1;
	}
	struct sbuf out = {0};
	char err[256], title[400];
	snprintf(title, sizeof(title), "%s · 帮扶台账（%s%s%s，共 %ld 家企业）", pi.name,
		 district ? district : rq->user.role == ROLE_DISTRICT_OFFICER ? "本区" : "全市",
		 f.industry ? " · " : "", f.industry ? f.industry : "", c.rows);
	int rc = render_xlsx_table("帮扶台账", title, headers, NCOL, table, c.rows, widths, &out, err,
				   sizeof(err));
	free(table);
	sbuf_free(&c.text);
	if (rc) {
		log_error("ledger export failed: %s", err);
		sbuf_free(&out);
		reply_error(rq, 503, "unavailable", "导出失败，请稍后重试", NULL);
		return;
	}
	reply_bytes(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    out.buf, out.len, "帮扶台账.xlsx");
	sbuf_free(&out);
}
