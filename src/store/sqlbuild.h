/*
 * sqlbuild.h - assemble a query from fixed SQL fragments plus bound values.
 *
 * Filters are added only as literal fragments written in the code
 * ("role = ?"); user text only ever travels as a bound parameter. The
 * statement cache is keyed by the SQL text, so each combination of filters
 * is prepared once per connection and reused.
 */
#ifndef QMS_SQLBUILD_H
#define QMS_SQLBUILD_H

#include <stdint.h>

#include "../util.h"

#define SQLB_MAX_PARAMS 24

struct db;
struct db_stmt;

struct sqlbuild {
	struct sbuf sql;
	int n_where;
	int n;
	struct {
		int is_text;
		int64_t i;
		char *s;
	} p[SQLB_MAX_PARAMS];
};

void sqlb_init(struct sqlbuild *q, const char *head);
/* A condition without parameters (a fixed fragment). */
void sqlb_where(struct sqlbuild *q, const char *frag);
void sqlb_where_text(struct sqlbuild *q, const char *frag, const char *value);
void sqlb_where_int(struct sqlbuild *q, const char *frag, int64_t value);
/* frag has one '?' per occurrence; each is bound to %value% with LIKE escaping. */
void sqlb_where_like(struct sqlbuild *q, const char *frag, const char *value);

void sqlb_tail(struct sqlbuild *q, const char *frag);
/* The SQL so far ends inside a WHERE clause of its own (fixed text such as
 * "... WHERE b.x IS NOT NULL"): the next conditions join it with AND. */
void sqlb_in_where(struct sqlbuild *q);
void sqlb_param_int(struct sqlbuild *q, int64_t v);
void sqlb_param_text(struct sqlbuild *q, const char *v);
/* Prepare (cached) and bind; the caller steps and calls db_done(). */
struct db_stmt *sqlb_prepare(struct sqlbuild *q, struct db *db);
void sqlb_free(struct sqlbuild *q);

/* "%text%" with \ % _ escaped for LIKE ... ESCAPE '\'; caller frees. */
char *sql_like_pattern(const char *text);

#endif
