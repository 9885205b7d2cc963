/*
 * evaluation.h - the city's evaluation of a district (总结验收): the indicator
 * table of the three national dimensions 组织发动 (mobilisation), 宣传培训
 * (publicity & training) and 企业帮扶 (enterprise assistance), and the rules
 * that turn a district's facts into points.
 *
 * Pure: no database, no HTTP. The store gathers the facts of a district
 * (struct eval_facts) in a few aggregate queries; the rules here score them.
 * Points are rounded to one decimal (half up) per sub-indicator; subtotals
 * and the total are sums of the rounded points. A rate whose denominator is
 * zero scores 0 (never NaN); a rate or count above its target scores the
 * maximum.
 */
#ifndef QMS_EVALUATION_H
#define QMS_EVALUATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum eval_dimension { EVAL_MOBILISATION, EVAL_PUBLICITY, EVAL_ASSISTANCE, EVAL_N_DIMENSIONS };

/* API key ("mobilisation", ...) and Chinese label ("组织发动", ...) of a dimension. */
const char *eval_dimension_key(enum eval_dimension d);
const char *eval_dimension_label(enum eval_dimension d);

/*
 * What the store counts for one district. Stages are small integers:
 * EF_DECLARATION 0 not submitted (none or draft), 1 submitted late, 2 on time;
 * EF_WORKPLAN 0 none (draft, returned), 1 submitted and awaiting review, 2 approved.
 */
enum eval_fact {
	EF_DECLARATION,
	EF_WORKPLAN,
	EF_ENROLLED,          /* enterprises registered in the district (joined voluntarily) */
	EF_PLAN_TARGET,       /* pilot enterprises listed in the approved work plan */
	EF_SESSIONS,          /* training sessions held by the district or attended by its enterprises */
	EF_PERSON_TIMES,      /* attendances (人次) of its enterprises' staff */
	EF_DIAGNOSED,         /* enterprises with a submitted on-site diagnosis */
	EF_ACTIONS,           /* improvement actions of its enterprises */
	EF_ACTIONS_CLOSED,    /* ... of which closed */
	EF_CERTIFIED,         /* enterprises holding a certificate issued in the programme (not prior) */
	EF_ASSISTED,          /* enterprises assigned to a certification body */
	EF_ANSWERED,          /* effect questionnaires answered by assisted enterprises */
	EF_CLEAR,             /* ... answering 非常明显 or 比较明显 */
	EF_SATISFACTION_SUM,  /* ... sum of the satisfaction answers (1..5 each) */
	EF_COUNT
};
struct eval_facts {
	int64_t v[EF_COUNT];
};
/* API key of a fact ("enrolled", ...), as stored in a frozen evaluation. */
const char *eval_fact_key(enum eval_fact f);

enum eval_source { EVAL_COMPUTED, EVAL_ENTERED };

enum eval_rule {
	EVAL_RULE_ENTERED, /* the city enters 0..max points */
	EVAL_RULE_STAGE,   /* stage 2 full points, 1 half, 0 none */
	EVAL_RULE_RATIO,   /* max x min(1, (num / (den x den_scale)) / target) */
	EVAL_RULE_COUNT,   /* max x min(1, num / target) */
};

/* One sub-indicator of the table. */
struct eval_indicator {
	const char *key;             /* API key, e.g. "diagnosis_rate" */
	enum eval_dimension dimension;
	const char *label;           /* 诊断完成率 */
	double max;                  /* points */
	enum eval_source source;
	enum eval_rule rule;
	enum eval_fact num, den;     /* the facts behind a computed indicator */
	int den_scale;               /* the denominator counts den x den_scale (5 for a mean of 1..5) */
	double target;               /* the default target (see struct eval_targets): ratio: the
	                                rate that earns full points; count: the count */
	const char *unit;            /* of a count: 场, 人次 */
	const char *how;             /* how it is computed or what the city judges, in Chinese */
	const char *stage_labels[3]; /* EVAL_RULE_STAGE: text of stage 0, 1, 2 */
	const char *stage_keys[3];   /* ... and their API values */
};

extern const struct eval_indicator eval_indicators[];
extern const int eval_n_indicators;
#define EVAL_MAX_INDICATORS 16
#define EVAL_TOTAL_MAX 100.0

/* The index of the indicator with this key, or -1. */
int eval_indicator_find(const char *key);
/* The maximum points of a dimension (the sum of its indicators' maxima). */
double eval_dimension_max(enum eval_dimension d);

/* ---- Targets ---- */

/*
 * The level that earns full points, per indicator (indexed like
 * eval_indicators): a rate in (0, 1] for EVAL_RULE_RATIO, a whole count > 0
 * for EVAL_RULE_COUNT, 0 for the others. A programme sets them in its quotas
 * ("evaluation_targets"); the table's values are the defaults.
 */
struct eval_targets {
	double t[EVAL_MAX_INDICATORS];
};
/* Does the indicator have a target (a ratio or a count)? */
bool eval_has_target(const struct eval_indicator *ind);
/* The table's targets. */
void eval_targets_default(struct eval_targets *out);
/*
 * The defaults overridden by a programme's "evaluation_targets" object
 * ({"training_sessions": 4, "certified_rate": 0.8, ...}; keys left out keep
 * their default; NULL = none set). Refused, with a Chinese message naming the
 * key in err: not an object, an unknown key or one without a target, a value
 * that is not a number, a count that is not a whole number > 0, a rate
 * outside (0, 1]. Returns 0, or -1 with *out left at the defaults.
 */
int eval_targets_parse(json_t *targets, struct eval_targets *out, char *err, size_t n);
/* {key: target} of the indicators that have one (what a final sheet keeps). */
json_t *eval_targets_json(const struct eval_targets *t);

/* ---- Rules ---- */

/* x rounded to one decimal, halves away from zero (2.25 -> 2.3), robust to
 * binary noise (0.1 * 3 * 10 counts as 3). */
double eval_round1(double x);
/* Points of a rate num/den against a target rate: den <= 0 or target <= 0
 * -> 0; rates at or above the target -> max; negative counts -> 0. */
double eval_ratio_points(double max, int64_t num, int64_t den, double target);
/* Points of a count against a target count, proportional and clamped. */
double eval_count_points(double max, int64_t count, double target);
/* Stage 2 -> max, 1 -> half of max (rounded), anything else -> 0. */
double eval_stage_points(double max, int64_t stage);
/* A rate as a percentage with one decimal; -1 when den <= 0. */
double eval_percent(int64_t num, int64_t den);

/* Why an entered value is refused. */
enum eval_entry_problem {
	EVAL_ENTRY_OK,
	EVAL_ENTRY_UNKNOWN,    /* no indicator has this key */
	EVAL_ENTRY_COMPUTED,   /* the indicator is computed from the records */
	EVAL_ENTRY_RANGE,      /* outside 0..max (or not a finite number) */
	EVAL_ENTRY_PRECISION,  /* more than one decimal */
};
/* Check points entered for key; *index gets the indicator (or -1). */
enum eval_entry_problem eval_check_entry(const char *key, double points, int *index);
/* The Chinese message for a refused entry (names the indicator or key). */
void eval_entry_message(enum eval_entry_problem p, const char *key, char *out, size_t n);

/* One scored sub-indicator. */
struct eval_item {
	double points;
	bool has_points;  /* false: an entered indicator the city has not entered yet (scores 0) */
	bool has_value;   /* ratio: den > 0 */
	double value;     /* ratio: percentage (one decimal); count: the count; stage: the stage */
	int64_t num, den; /* the figures behind it (den already scaled) */
};

struct eval_sheet {
	struct eval_item items[EVAL_MAX_INDICATORS];
	double dimension_points[EVAL_N_DIMENSIONS];
	double total;
	int missing_entries; /* entered indicators without points */
};

/*
 * Score a district: computed indicators from facts against targets (NULL =
 * the defaults), entered ones from entered[i] (indexed like eval_indicators;
 * has_entered[i] false = not entered yet). entered values are trusted to have
 * passed eval_check_entry(), targets to come from eval_targets_parse().
 */
void eval_score(const struct eval_facts *facts, const struct eval_targets *targets, const double *entered,
		const bool *has_entered, struct eval_sheet *out);

/*
 * Competition ranking ("1224"): ranks[i] = 1 + the number of totals strictly
 * greater than totals[i] (compared after rounding to one decimal).
 */
void eval_rank(const double *totals, int n, int *ranks);

/* ---- The effect questionnaire (效果问卷) ---- */

/* "very" 非常明显, "fairly" 比较明显, "average" 一般, "not" 不明显. */
#define EVAL_N_IMPROVEMENT 4
extern const char *const eval_improvement_keys[EVAL_N_IMPROVEMENT];
/* The label of an answer, or NULL when the value is not one of the four. */
const char *eval_improvement_label(const char *key);
/* Is the answer a "clear improvement" (非常明显 or 比较明显)? */
bool eval_improvement_clear(const char *key);

#endif
