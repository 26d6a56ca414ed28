/*
 * Periods and day numbers. Day arithmetic is done in 64 bits so that any
 * int32_t day, and any year it reaches, converts without overflow.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "period.h"

#define PERIOD_YEAR_MIN	2000
#define PERIOD_YEAR_MAX	2999
#define DATE_YEAR_MIN	1900
#define DATE_YEAR_MAX	9999

/* 1970-01-01 counted from 0000-03-01, the epoch of the 400-year cycles. */
#define DAYS_TO_EPOCH	719468
#define DAYS_PER_ERA	146097		/* days in 400 Gregorian years */

static int
period_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
period_mdays(int y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && period_leap(y))
		return 29;
	return mdays[m - 1];
}

/* Reads n decimal digits; -1 when any is not a digit. */
int
period_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
period_put_digits(char *out, int n, int v)
{
	while (n-- > 0) {
		out[n] = '0' + v % 10;
		v /= 10;
	}
}

int32_t
date_from_ymd(int y, int m, int d)
{
	int64_t	 yy, era, yoe, doy, doe;

	/* Count years from March so that the leap day ends the year. */
	yy = (int64_t)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * DAYS_PER_ERA + doe - DAYS_TO_EPOCH);
}

void
date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t	 z, era, doe, yoe, doy, mp, yy;

	z = (int64_t)day + DAYS_TO_EPOCH;
	era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
	doe = z - era * DAYS_PER_ERA;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	yy = yoe + era * 400;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int
date_parse(const char *s, int32_t *day)
{
	int	 y, m, d;

	if (s == NULL || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-')
		return -1;
	if ((y = period_digits(s, 4)) == -1 ||
	    (m = period_digits(s + 5, 2)) == -1 ||
	    (d = period_digits(s + 8, 2)) == -1)
		return -1;
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 ||
	    d < 1 || d > period_mdays(y, m))
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* Years outside 0..9999 have no YYYY form; they give "0000-00-00", of the
 * same length and refused by date_parse. */
void
date_format(int32_t day, char out[DATE_LEN + 1])
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		memcpy(out, "0000-00-00", DATE_LEN + 1);
		return;
	}
	period_put_digits(out, 4, y);
	out[4] = '-';
	period_put_digits(out + 5, 2, m);
	out[7] = '-';
	period_put_digits(out + 8, 2, d);
	out[DATE_LEN] = '\0';
}

int32_t
date_of(time_t t)
{
	int64_t	 days;

	days = (int64_t)(t / 86400);
	if (t % 86400 < 0)
		days--;		/* floor: before 1970 the day began earlier */
	if (days < INT32_MIN)
		return INT32_MIN;
	if (days > INT32_MAX)
		return INT32_MAX;
	return (int32_t)days;
}

void
period_rules_default(struct period_rules *rules)
{
	static const struct period_rules defaults = {
		.half = { 12, 1, 5, 31, 6, 10 },
		.year = { 12, 1, 11, 30, 12, 5 }
	};

	*rules = defaults;
}

/*
 * A month-day that exists in every year: 02-29 is refused, since a rule
 * naming it would silently move to 03-01 three years in four.
 */
static int
period_monthday(const char *s, int *month, int *day)
{
	int	 m, d;

	if (s[2] != '-' || (m = period_digits(s, 2)) == -1 ||
	    (d = period_digits(s + 3, 2)) == -1)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > period_mdays(1, m))
		return -1;
	*month = m;
	*day = d;
	return 0;
}

int
period_rules_set(struct period_rules *rules, const char *key,
    const char *value, const char **errstr)
{
	static const struct {
		const char	*key;
		int		 half;
		int		 coverage;
		const char	*syntax;
		const char	*noday;
	} keys[] = {
		{ "h1_coverage", 1, 1, "h1_coverage: want MM-DD..MM-DD",
		    "h1_coverage: no such day in every year" },
		{ "h1_due", 1, 0, "h1_due: want MM-DD",
		    "h1_due: no such day in every year" },
		{ "annual_coverage", 0, 1,
		    "annual_coverage: want MM-DD..MM-DD",
		    "annual_coverage: no such day in every year" },
		{ "annual_due", 0, 0, "annual_due: want MM-DD",
		    "annual_due: no such day in every year" }
	};
	struct period_rule	*rule;
	size_t			 i, len;

	if (key == NULL || value == NULL) {
		*errstr = "missing key or value";
		return -1;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i].key) == 0)
			break;
	if (i == sizeof(keys) / sizeof(keys[0])) {
		*errstr = "unknown key (want h1_coverage, h1_due, "
		    "annual_coverage or annual_due)";
		return -1;
	}
	rule = keys[i].half ? &rules->half : &rules->year;
	len = strlen(value);

	if (keys[i].coverage) {
		struct period_rule	 r = *rule;

		if (len != 12 || value[5] != '.' || value[6] != '.' ||
		    period_digits(value, 2) == -1 || value[2] != '-' ||
		    period_digits(value + 7, 2) == -1 || value[9] != '-') {
			*errstr = keys[i].syntax;
			return -1;
		}
		if (period_monthday(value, &r.from_month, &r.from_day) == -1 ||
		    period_monthday(value + 7, &r.to_month, &r.to_day) == -1) {
			*errstr = keys[i].noday;
			return -1;
		}
		*rule = r;
		return 0;
	}

	if (len != 5 || value[2] != '-' || period_digits(value, 2) == -1 ||
	    period_digits(value + 3, 2) == -1) {
		*errstr = keys[i].syntax;
		return -1;
	}
	if (period_monthday(value, &rule->due_month, &rule->due_day) == -1) {
		*errstr = keys[i].noday;
		return -1;
	}
	return 0;
}

/* Orders month-days within a year. */
static int
period_md_cmp(int m1, int d1, int m2, int d2)
{
	if (m1 != m2)
		return m1 < m2 ? -1 : 1;
	if (d1 != d2)
		return d1 < d2 ? -1 : 1;
	return 0;
}

int
period_parse(const char *id, const struct period_rules *rules,
    struct period *out, const char **errstr)
{
	const struct period_rule	*rule;
	struct period			 p;
	size_t				 len;
	int32_t				 limit;
	int				 year;

	if (id == NULL || ((len = strlen(id)) != 4 && len != 7) ||
	    (year = period_digits(id, 4)) == -1 ||
	    (len == 7 && strcmp(id + 4, "-H1") != 0)) {
		*errstr = "not a period (want YYYY-H1 or YYYY)";
		return -1;
	}
	if (year < PERIOD_YEAR_MIN || year > PERIOD_YEAR_MAX) {
		*errstr = "period year out of range (2000..2999)";
		return -1;
	}

	memset(&p, 0, sizeof(p));
	p.year = year;
	if (len == 7) {
		p.kind = PERIOD_HALF;
		rule = &rules->half;
		limit = date_from_ymd(year, 6, 30);
	} else {
		p.kind = PERIOD_YEAR;
		rule = &rules->year;
		limit = date_from_ymd(year, 12, 31);
	}

	p.to = date_from_ymd(year, rule->to_month, rule->to_day);
	p.from = date_from_ymd(period_md_cmp(rule->from_month, rule->from_day,
	    rule->to_month, rule->to_day) > 0 ? year - 1 : year,
	    rule->from_month, rule->from_day);
	p.due = date_from_ymd(period_md_cmp(rule->due_month, rule->due_day,
	    rule->to_month, rule->to_day) < 0 ? year + 1 : year,
	    rule->due_month, rule->due_day);
	/* A coverage configured past the calendar half still lets planned
	 * activities run to its end. */
	p.limit = limit > p.to ? limit : p.to;

	*out = p;
	return 0;
}
