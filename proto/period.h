/*
 * Periods and dates. A period id is "YYYY-H1" (the 6-month report) or
 * "YYYY" (the annual report). Coverage and due dates are month-day rules
 * from the configuration ([periods]), defaulting to the union statistics
 * cut-offs: H1 covers 12-01 of the year before to 05-31, due 06-10; the
 * year covers 12-01 of the year before to 11-30, due 12-05.
 *
 * Dates are day numbers: days since 1970-01-01 (proleptic Gregorian).
 */
#ifndef GP_PERIOD_H
#define GP_PERIOD_H

#include <stdint.h>
#include <time.h>

#define DATE_LEN	10	/* YYYY-MM-DD */

struct period_rule {
	int	from_month, from_day;	/* in the year before when after "to" */
	int	to_month, to_day;
	int	due_month, due_day;	/* in the year after when before "to" */
};

struct period_rules {
	struct period_rule	half;	/* YYYY-H1 */
	struct period_rule	year;	/* YYYY */
};

enum period_kind {
	PERIOD_HALF = 1,
	PERIOD_YEAR
};

struct period {
	int		kind;		/* enum period_kind */
	int		year;
	int32_t		from, to;	/* coverage, inclusive */
	int32_t		due;		/* last day on time */
	int32_t		limit;		/* planned activities may run to here:
					 * 30/6 for H1, 31/12 for the year */
};

void	 period_rules_default(struct period_rules *);

/*
 * Sets one [periods] key: h1_coverage = MM-DD..MM-DD, h1_due = MM-DD,
 * annual_coverage, annual_due. Returns 0, or -1 with *errstr saying why
 * (unknown key or bad value).
 */
int	 period_rules_set(struct period_rules *, const char *key,
	    const char *value, const char **errstr);

/* Parses a period id under rules. Returns 0, or -1 with *errstr. */
int	 period_parse(const char *id, const struct period_rules *,
	    struct period *out, const char **errstr);

/* Strict YYYY-MM-DD of a real calendar date (years 1900..9999).
 * Returns 0 with *day set, or -1. */
int	 date_parse(const char *, int32_t *day);
/* n decimal digits as a number; -1 when any is not a digit. */
int	 period_digits(const char *, int n);
void	 date_format(int32_t day, char out[DATE_LEN + 1]);
int32_t	 date_from_ymd(int y, int m, int d);
void	 date_to_ymd(int32_t day, int *y, int *m, int *d);
/* The UTC day of a time. */
int32_t	 date_of(time_t);

#endif
