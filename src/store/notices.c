/*
 * notices.c - see notices.h.
 */
#include "notices.h"
#include "db.h"
#include "sqlbuild.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

/* ======================== Notices ======================== */

#define NOTICE_COLUMNS \
	"SELECT n.id, n.title, n.body, n.audience, n.audience_role, dd.district, n.publish_date, " \
	"n.publisher_unit_id, pu.name, n.author, n.withdrawn, n.created_at, n.updated_at, r.read_at " \
	"FROM notices n JOIN units pu ON pu.id = n.publisher_unit_id " \
	"LEFT JOIN units dd ON dd.id = n.audience_district_unit_id " \
	"LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = ?"

static void visible_where(struct sqlbuild *q, const struct notice_viewer *v)
{
	if (v->all)
		return;
	if (v->public_only) {
		sqlb_where(q, "n.withdrawn = 0 AND n.audience = 'public'");
		sqlb_where_text(q, "n.publish_date <= ?", v->today);
		return;
	}
	sqlb_where(q, "((n.withdrawn = 0 AND n.publish_date <= ? AND (n.audience IN ('public', 'all') "
		      "OR (n.audience = 'role' AND n.audience_role = ?) "
		      "OR (n.audience = 'district' AND n.audience_district_unit_id = ?))) "
		      "OR n.publisher_unit_id = ?)");
	sqlb_param_text(q, v->today);
	sqlb_param_text(q, v->role ? v->role : "");
	sqlb_param_int(q, v->district_unit_id);
	sqlb_param_int(q, v->unit_id ? v->unit_id : -1);
}

static json_t *read_notice(struct db *db, struct db_stmt *st)
{
	(void)db;
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:{s:I,s:s},s:s,s:b,s:o,s:o,s:b}",
		"id", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "body", db_col_text(st, 2),
		"audience", db_col_text(st, 3), "audience_role", db_col_json_text(st, 4),
		"audience_district", db_col_json_text(st, 5), "publish_date", db_col_text(st, 6),
		"publisher", "id", (json_int_t)db_col_int(st, 7), "name", db_col_text(st, 8),
		"author", db_col_text(st, 9), "withdrawn", (int)db_col_int(st, 10),
		"created_at", db_col_json_time(st, 11), "updated_at", db_col_json_time(st, 12),
		"read", !db_col_null(st, 13));
}

static void add_files(struct db *db, json_t *n)
{
	struct db_stmt *st = db_prep(db,
		"SELECT f.id, f.filename, f.content_type, f.size FROM notice_files nf JOIN files f "
		"ON f.id = nf.file_id WHERE nf.notice_id = ? ORDER BY f.id");
	db_bind_int(st, 1, json_integer_value(json_object_get(n, "id")));
	json_t *files = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(files, json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)db_col_int(st, 0),
			"filename", db_col_text(st, 1), "content_type", db_col_text(st, 2),
			"size", (json_int_t)db_col_int(st, 3)));
	db_done(st);
	json_object_set_new(n, "attachments", files);
}

json_t *notices_list(struct db *db, const struct notice_viewer *v, const char *q, bool unread_only,
		     int limit, int64_t offset, int64_t *total, int64_t *unread)
{
	struct sqlbuild b;
	/* Unread among the visible ones. */
	sqlb_init(&b, "SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = ?");
	sqlb_param_int(&b, v->user_id);
	visible_where(&b, v);
	sqlb_where(&b, "r.read_at IS NULL");
	*unread = v->user_id ? db_scalar_int(sqlb_prepare(&b, db), 0) : 0;
	sqlb_free(&b);
	for (int pass = 0; pass < 2; pass++) {
		sqlb_init(&b, pass ? NOTICE_COLUMNS : "SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads r "
			  "ON r.notice_id = n.id AND r.user_id = ?");
		sqlb_param_int(&b, v->user_id);
		visible_where(&b, v);
		if (q)
			sqlb_where_like(&b, "(n.title LIKE ? ESCAPE '\\' OR n.body LIKE ? ESCAPE '\\')", q);
		if (unread_only)
			sqlb_where(&b, "r.read_at IS NULL");
		if (!pass) {
			*total = db_scalar_int(sqlb_prepare(&b, db), 0);
			sqlb_free(&b);
		}
	}
	sqlb_tail(&b, " ORDER BY n.publish_date DESC, n.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&b, limit);
	sqlb_param_int(&b, offset);
	struct db_stmt *st = sqlb_prepare(&b, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_notice(db, st));
	db_done(st);
	sqlb_free(&b);
	size_t i;
	json_t *n;
	json_array_foreach(items, i, n)
		add_files(db, n);
	return items;
}

json_t *notice_get(struct db *db, const struct notice_viewer *v, int64_t id)
{
	struct sqlbuild b;
	sqlb_init(&b, NOTICE_COLUMNS);
	sqlb_param_int(&b, v->user_id);
	sqlb_where_int(&b, "n.id = ?", id);
	visible_where(&b, v);
	struct db_stmt *st = sqlb_prepare(&b, db);
	json_t *n = db_step(st) == DB_ROW ? read_notice(db, st) : NULL;
	db_done(st);
	sqlb_free(&b);
	if (n)
		add_files(db, n);
	return n;
}

static void bind_notice(struct db_stmt *st, const struct notice_rec *n)
{
	db_bind_text(st, 1, n->title);
	db_bind_text(st, 2, n->body);
	db_bind_text(st, 3, n->audience);
	db_bind_text(st, 4, n->audience_role[0] ? n->audience_role : NULL);
	if (n->audience_district_unit_id)
		db_bind_int(st, 5, n->audience_district_unit_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, n->publish_date);
	db_bind_int(st, 7, now_business());
}

int64_t notice_insert(struct db *db, const struct notice_rec *n, int64_t publisher_unit_id,
		      const char *author)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO notices (title, body, audience, audience_role, audience_district_unit_id, "
		"publish_date, updated_at, publisher_unit_id, author, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	bind_notice(st, n);
	db_bind_int(st, 8, publisher_unit_id);
	db_bind_text(st, 9, author);
	db_bind_int(st, 10, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int notice_update(struct db *db, int64_t id, const struct notice_rec *n)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE notices SET title = ?, body = ?, audience = ?, audience_role = ?, "
		"audience_district_unit_id = ?, publish_date = ?, updated_at = ? WHERE id = ?");
	bind_notice(st, n);
	db_bind_int(st, 8, id);
	return db_exec_stmt(st);
}

int notice_withdraw(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "UPDATE notices SET withdrawn = 1, updated_at = ? WHERE id = ?");
	db_bind_int(st, 1, now_business());
	db_bind_int(st, 2, id);
	return db_exec_stmt(st);
}

int notice_mark_read(struct db *db, int64_t id, int64_t user_id)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES (?, ?, ?) "
		"ON CONFLICT (notice_id, user_id) DO NOTHING");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now_business());
	return db_exec_stmt(st);
}

int notice_add_file(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "INSERT INTO notice_files (notice_id, file_id) VALUES (?, ?)");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	return db_exec_stmt(st);
}

int64_t notice_publisher(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "SELECT publisher_unit_id FROM notices WHERE id = ?");
	db_bind_int(st, 1, id);
	return db_scalar_int(st, 0);
}

bool notice_has_file(struct db *db, int64_t id, int64_t file_id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM notice_files WHERE notice_id = ? AND file_id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, file_id);
	return db_scalar_int(st, 0) > 0;
}

/* ======================== Training ======================== */

#define TRAINING_COLUMNS \
	"SELECT t.id, t.title, t.kind, t.industry, t.organiser_unit_id, u.name, u.kind, t.starts_at, " \
	"t.ends_at, t.place, t.link, t.capacity, t.materials, t.checkin_token, t.created_by, " \
	"(SELECT COUNT(*) FROM training_registrations r WHERE r.training_id = t.id), " \
	"(SELECT COUNT(*) FROM training_registrations r WHERE r.training_id = t.id AND r.attended = 1) " \
	"FROM trainings t JOIN units u ON u.id = t.organiser_unit_id"

static json_t *read_training(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:{s:I,s:s,s:s},s:s,s:s,s:o,s:o,s:I,s:s,s:s,s:s,s:I,s:I}",
		"id", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "kind", db_col_text(st, 2),
		"industry", *db_col_text(st, 3) ? json_string(db_col_text(st, 3)) : json_null(),
		"organiser", "id", (json_int_t)db_col_int(st, 4), "name", db_col_text(st, 5),
		"kind", db_col_text(st, 6), "starts_at", db_col_text(st, 7), "ends_at", db_col_text(st, 8),
		"place", *db_col_text(st, 9) ? json_string(db_col_text(st, 9)) : json_null(),
		"link", *db_col_text(st, 10) ? json_string(db_col_text(st, 10)) : json_null(),
		"capacity", (json_int_t)db_col_int(st, 11), "materials", db_col_text(st, 12),
		"checkin_token", db_col_text(st, 13), "created_by", db_col_text(st, 14),
		"registered", (json_int_t)db_col_int(st, 15), "attended", (json_int_t)db_col_int(st, 16));
}

static void training_where(struct sqlbuild *q, const struct training_filter *f)
{
	if (f->kind)
		sqlb_where_text(q, "t.kind = ?", f->kind);
	if (f->industry)
		sqlb_where_text(q, "t.industry = ?", f->industry);
	if (f->from)
		sqlb_where_text(q, "t.starts_at >= ?", f->from);
	if (f->to)
		sqlb_where_text(q, "t.starts_at <= ?", f->to);
}

json_t *trainings_list(struct db *db, const struct training_filter *f, int64_t *total)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT COUNT(*) FROM trainings t");
	training_where(&q, f);
	*total = db_scalar_int(sqlb_prepare(&q, db), 0);
	sqlb_free(&q);
	sqlb_init(&q, TRAINING_COLUMNS);
	training_where(&q, f);
	sqlb_tail(&q, " ORDER BY t.starts_at DESC, t.id DESC LIMIT ? OFFSET ?");
	sqlb_param_int(&q, f->limit);
	sqlb_param_int(&q, f->offset);
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, read_training(st));
	db_done(st);
	sqlb_free(&q);
	return items;
}

json_t *training_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, TRAINING_COLUMNS " WHERE t.id = ?");
	db_bind_int(st, 1, id);
	json_t *t = db_step(st) == DB_ROW ? read_training(st) : NULL;
	db_done(st);
	return t;
}

int64_t training_id_by_token(struct db *db, const char *token)
{
	struct db_stmt *st = db_prep(db, "SELECT id FROM trainings WHERE checkin_token = ?");
	db_bind_text(st, 1, token);
	return db_scalar_int(st, 0);
}

static void bind_training(struct db_stmt *st, const struct training_rec *t)
{
	db_bind_text(st, 1, t->title);
	db_bind_text(st, 2, t->kind);
	db_bind_text(st, 3, t->industry);
	db_bind_text(st, 4, t->starts_at);
	db_bind_text(st, 5, t->ends_at);
	db_bind_text(st, 6, t->place);
	db_bind_text(st, 7, t->link);
	db_bind_int(st, 8, t->capacity);
	db_bind_text(st, 9, t->materials);
	db_bind_int(st, 10, now_business());
}

int64_t training_insert(struct db *db, const struct training_rec *t, int64_t organiser, const char *token,
			const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO trainings (title, kind, industry, starts_at, ends_at, place, link, capacity, "
		"materials, updated_at, organiser_unit_id, checkin_token, created_by, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	bind_training(st, t);
	db_bind_int(st, 11, organiser);
	db_bind_text(st, 12, token);
	db_bind_text(st, 13, username);
	db_bind_int(st, 14, now_business());
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return id;
}

int training_update(struct db *db, int64_t id, const struct training_rec *t)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE trainings SET title = ?, kind = ?, industry = ?, starts_at = ?, ends_at = ?, place = ?, "
		"link = ?, capacity = ?, materials = ?, updated_at = ? WHERE id = ?");
	bind_training(st, t);
	db_bind_int(st, 11, id);
	return db_exec_stmt(st);
}

json_t *training_registrations(struct db *db, int64_t id, int64_t enterprise_id, int64_t district_unit_id)
{
	struct sqlbuild q;
	sqlb_init(&q, "SELECT r.id, r.enterprise_id, e.name, d.district, r.name, r.post, r.phone, r.attended, "
		      "r.checked_in_at, r.created_at FROM training_registrations r "
		      "JOIN enterprises e ON e.id = r.enterprise_id JOIN units d ON d.id = e.district_unit_id");
	sqlb_where_int(&q, "r.training_id = ?", id);
	if (enterprise_id)
		sqlb_where_int(&q, "r.enterprise_id = ?", enterprise_id);
	if (district_unit_id)
		sqlb_where_int(&q, "e.district_unit_id = ?", district_unit_id);
	sqlb_tail(&q, " ORDER BY r.id");
	struct db_stmt *st = sqlb_prepare(&q, db);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		const char *ph = db_col_text(st, 6);
		char masked[40];
		size_t n = strlen(ph);
		if (n >= 7)
			snprintf(masked, sizeof(masked), "%.3s****%s", ph, ph + n - 4);
		else
			snprintf(masked, sizeof(masked), "****");
		json_array_append_new(items, json_pack("{s:I,s:{s:I,s:s,s:s},s:s,s:s,s:s,s:b,s:o,s:o}",
			"id", (json_int_t)db_col_int(st, 0), "enterprise", "id", (json_int_t)db_col_int(st, 1),
			"name", db_col_text(st, 2), "district", db_col_text(st, 3), "name", db_col_text(st, 4),
			"post", db_col_text(st, 5), "phone", masked, "attended", (int)db_col_int(st, 7),
			"checked_in_at", db_col_json_time(st, 8), "created_at", db_col_json_time(st, 9)));
	}
	db_done(st);
	sqlb_free(&q);
	return items;
}

int training_count(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prep(db, "SELECT COUNT(*) FROM training_registrations WHERE training_id = ?");
	db_bind_int(st, 1, id);
	return (int)db_scalar_int(st, 0);
}

int64_t training_register(struct db *db, int64_t id, int64_t enterprise_id, const char *name,
			  const char *post, const char *phone, const char *username)
{
	struct db_stmt *st = db_prep(db,
		"INSERT INTO training_registrations (training_id, enterprise_id, name, post, phone, "
		"registered_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (training_id, enterprise_id, name, phone) DO NOTHING RETURNING id");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, enterprise_id);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, post);
	db_bind_text(st, 5, phone);
	db_bind_text(st, 6, username);
	db_bind_int(st, 7, now_business());
	int rc = db_step(st);
	int64_t rid = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return rid;
}

int training_reg_get(struct db *db, int64_t reg_id, int64_t *training_id, int64_t *enterprise_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT training_id, enterprise_id FROM training_registrations WHERE id = ?");
	db_bind_int(st, 1, reg_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*training_id = db_col_int(st, 0);
		*enterprise_id = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW;
}

int training_reg_delete(struct db *db, int64_t reg_id)
{
	struct db_stmt *st = db_prep(db, "DELETE FROM training_registrations WHERE id = ?");
	db_bind_int(st, 1, reg_id);
	return db_exec_stmt(st);
}

int training_attend(struct db *db, int64_t reg_id, bool attended)
{
	struct db_stmt *st = db_prep(db,
		"UPDATE training_registrations SET attended = ?, checked_in_at = ? WHERE id = ?");
	db_bind_int(st, 1, attended);
	if (attended)
		db_bind_int(st, 2, now_business());
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, reg_id);
	return db_exec_stmt(st);
}

/* Append grouped figures: key column expression chosen by `group`. */
static json_t *stats_group(struct db *db, const char *sql, int64_t district, int64_t organiser)
{
	struct db_stmt *st = db_prep(db, sql);
	db_bind_int(st, 1, district);
	db_bind_int(st, 2, district);
	db_bind_int(st, 3, organiser);
	db_bind_int(st, 4, organiser);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:I,s:I}", "key", db_col_text(st, 0),
			"sessions", (json_int_t)db_col_int(st, 1), "enterprises", (json_int_t)db_col_int(st, 2),
			"participants", (json_int_t)db_col_int(st, 3), "person_times", (json_int_t)db_col_int(st, 4)));
	db_done(st);
	return items;
}

#define STATS_FROM \
	" COUNT(DISTINCT t.id), COUNT(DISTINCT r.enterprise_id), " \
	"COUNT(DISTINCT CAST(r.enterprise_id AS TEXT) || '|' || r.name || '|' || r.phone), COUNT(r.id) " \
	"FROM training_registrations r JOIN trainings t ON t.id = r.training_id " \
	"JOIN enterprises e ON e.id = r.enterprise_id JOIN units d ON d.id = e.district_unit_id " \
	"WHERE r.attended = 1 AND (? = 0 OR e.district_unit_id = ?) AND (? = 0 OR t.organiser_unit_id = ?)"

json_t *training_stats(struct db *db, int64_t district_unit_id, int64_t organiser_unit_id)
{
	json_t *totals = stats_group(db, "SELECT 'all'," STATS_FROM, district_unit_id, organiser_unit_id);
	json_t *total = json_array_size(totals) ? json_incref(json_array_get(totals, 0)) :
			json_pack("{s:I,s:I,s:I,s:I}", "sessions", 0, "enterprises", 0, "participants", 0, "person_times", 0);
	json_decref(totals);
	json_object_del(total, "key");
	return json_pack("{s:o,s:o,s:o,s:o}", "totals", total,
		"by_kind", stats_group(db, "SELECT t.kind," STATS_FROM " GROUP BY t.kind ORDER BY t.kind",
				       district_unit_id, organiser_unit_id),
		"by_industry", stats_group(db, "SELECT t.industry," STATS_FROM " GROUP BY t.industry ORDER BY t.industry",
					   district_unit_id, organiser_unit_id),
		"by_district", stats_group(db, "SELECT d.district," STATS_FROM " GROUP BY d.district, d.region_code "
					   "ORDER BY d.region_code", district_unit_id, organiser_unit_id));
}

json_t *training_for_enterprise(struct db *db, int64_t enterprise_id)
{
	struct db_stmt *st = db_prep(db,
		"SELECT t.id, t.title, t.kind, t.starts_at, r.name, r.post, r.attended FROM training_registrations r "
		"JOIN trainings t ON t.id = r.training_id WHERE r.enterprise_id = ? ORDER BY t.starts_at DESC, r.id");
	db_bind_int(st, 1, enterprise_id);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b}", "training_id",
			(json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "kind", db_col_text(st, 2),
			"starts_at", db_col_text(st, 3), "name", db_col_text(st, 4), "post", db_col_text(st, 5),
			"attended", (int)db_col_int(st, 6)));
	db_done(st);
	return items;
}
