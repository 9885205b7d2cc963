/*
 * sizeclass.h - the size class of an enterprise (企业划型) under
 * 工信部联企业〔2011〕300号《中小企业划型标准规定》.
 *
 * The thresholds are data (data/size-classes.json), loaded once; a revision
 * of the standard is a data change. For each sector the standard gives
 * thresholds on employees (从业人员, persons), revenue (营业收入, 万元) and for
 * some sectors total assets (资产总额, 万元). Medium and small need every
 * listed threshold to be met (且); micro is below the small threshold on
 * any listed measure (或), as the standard words it per sector.
 */
#ifndef QMS_SIZECLASS_H
#define QMS_SIZECLASS_H

#include <stdbool.h>
#include <stddef.h>

enum size_class { SIZE_UNKNOWN = 0, SIZE_MICRO, SIZE_SMALL, SIZE_MEDIUM, SIZE_LARGE };

struct size_table; /* opaque */

/* Parse the JSON table; NULL with err set when it is not valid. */
struct size_table *size_table_load(const char *json_text, char *err, size_t errlen);
void size_table_free(struct size_table *t);
/* Sector keys and names (e.g. "industry" 工业), in file order. */
int size_table_count(const struct size_table *t);
const char *size_table_key(const struct size_table *t, int i);
const char *size_table_name(const struct size_table *t, int i);
/* Find a sector by key or by its Chinese name; -1 when unknown. */
int size_table_find(const struct size_table *t, const char *key_or_name);

/*
 * Classify. Negative values mean "not given"; a measure the sector uses but
 * that is not given makes the result SIZE_UNKNOWN with a message.
 * reason (may be NULL) receives a Chinese sentence explaining the result,
 * e.g. "工业：从业人员 350 人、营业收入 25000 万元，达到中型企业标准（从业人员 300 人及以上，且营业收入 2000 万元及以上）".
 */
enum size_class size_classify(const struct size_table *t, int sector, double employees,
			      double revenue_10k, double assets_10k, char *reason, size_t reason_len);
const char *size_class_name(enum size_class c);  /* "micro" … */
const char *size_class_label(enum size_class c); /* 微型 小型 中型 大型 未知 */

#endif
