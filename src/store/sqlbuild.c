/*
 * sqlbuild.c - see sqlbuild.h.
 */
#include "sqlbuild.h"
#include "db.h"

#include <stdlib.h>
#include <string.h>

void sqlb_init(struct sqlbuild *q, const char *head)
{
	memset(q, 0, sizeof(*q));
	sbuf_adds(&q->sql, head);
}

static void add_where(struct sqlbuild *q, const char *frag)
{
	sbuf_adds(&q->sql, q->n_where++ ? " AND " : " WHERE ");
	sbuf_adds(&q->sql, frag);
}

void sqlb_param_int(struct sqlbuild *q, int64_t v)
{
	if (q->n == SQLB_MAX_PARAMS)
		BUG("too many SQL parameters");
	q->p[q->n].is_text = 0;
	q->p[q->n].i = v;
	q->n++;
}

void sqlb_param_text(struct sqlbuild *q, const char *v)
{
	if (q->n == SQLB_MAX_PARAMS)
		BUG("too many SQL parameters");
	q->p[q->n].is_text = 1;
	q->p[q->n].s = xstrdup(v);
	q->n++;
}

void sqlb_where(struct sqlbuild *q, const char *frag)
{
	add_where(q, frag);
}

void sqlb_where_text(struct sqlbuild *q, const char *frag, const char *value)
{
	add_where(q, frag);
	sqlb_param_text(q, value);
}

void sqlb_where_int(struct sqlbuild *q, const char *frag, int64_t value)
{
	add_where(q, frag);
	sqlb_param_int(q, value);
}

char *sql_like_pattern(const char *text)
{
	struct sbuf sb = {0};
	sbuf_adds(&sb, "%");
	for (const char *s = text; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sbuf_add(&sb, "\\", 1);
		sbuf_add(&sb, s, 1);
	}
	sbuf_adds(&sb, "%");
	return sb.buf;
}

void sqlb_where_like(struct sqlbuild *q, const char *frag, const char *value)
{
	add_where(q, frag);
	char *pat = sql_like_pattern(value);
	for (const char *s = frag; *s; s++)
		if (*s == '?')
			sqlb_param_text(q, pat);
	free(pat);
}


void sqlb_tail(struct sqlbuild *q, const char *frag)
{
	sbuf_adds(&q->sql, frag);
}

void sqlb_in_where(struct sqlbuild *q)
{
	if (!q->n_where)
		q->n_where = 1;
}

struct db_stmt *sqlb_prepare(struct sqlbuild *q, struct db *db)
{
	struct db_stmt *st = db_prep(db, q->sql.buf);
	for (int i = 0; i < q->n; i++) {
		if (q->p[i].is_text)
			db_bind_text(st, i + 1, q->p[i].s);
		else
			db_bind_int(st, i + 1, q->p[i].i);
	}
	return st;
}

void sqlb_free(struct sqlbuild *q)
{
	for (int i = 0; i < q->n; i++)
		free(q->p[i].s);
	sbuf_free(&q->sql);
	memset(q, 0, sizeof(*q));
}
