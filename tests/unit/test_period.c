/*
 * Unit tests for proto/period.c: the calendar, day numbers and periods.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "period.h"

/* Day number of a date the test knows is valid. */
static int32_t
day(const char *s)
{
	int32_t	 d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void
assert_date(int32_t d, const char *want)
{
	char	 buf[DATE_LEN + 1];

	date_format(d, buf);
	assert_string_equal(buf, want);
}

static void
test_epoch(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(1970, 3, 1), 59);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2022, 6, 10), 19153);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
	assert_int_equal(date_from_ymd(0, 3, 1), -719468);
	assert_date(0, "1970-01-01");
	assert_date(-1, "1969-12-31");
	assert_date(19153, "2022-06-10");
	assert_date(-25567, "1900-01-01");
	assert_date(2932896, "9999-12-31");
}

static void
test_leap_years(void **state)
{
	int32_t	 d;

	(void)state;
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_int_equal(date_parse("1904-02-29", &d), 0);
	assert_int_equal(date_parse("2022-02-29", &d), -1);
	assert_int_equal(date_parse("1900-02-29", &d), -1);
	assert_int_equal(date_parse("2100-02-29", &d), -1);
	assert_int_equal(date_parse("2400-02-29", &d), 0);
	/* Year lengths: 366 days across a leap day, 365 otherwise. */
	assert_int_equal(day("2025-01-01") - day("2024-01-01"), 366);
	assert_int_equal(day("2023-01-01") - day("2022-01-01"), 365);
	assert_int_equal(day("1901-01-01") - day("1900-01-01"), 365);
	assert_int_equal(day("2001-01-01") - day("2000-01-01"), 366);
	assert_int_equal(day("2024-03-01") - day("2024-02-28"), 2);
	assert_int_equal(day("2023-03-01") - day("2023-02-28"), 1);
}

static void
test_month_lengths(void **state)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char			 buf[32];
	int32_t			 d;
	int			 m;

	(void)state;
	for (m = 1; m <= 12; m++) {
		snprintf(buf, sizeof(buf), "2023-%02d-%02d", m, mdays[m - 1]);
		assert_int_equal(date_parse(buf, &d), 0);
		assert_int_equal(d, date_from_ymd(2023, m, mdays[m - 1]));
		/* The day after the last is the first of the next month. */
		assert_int_equal(d + 1, m == 12 ? date_from_ymd(2024, 1, 1) :
		    date_from_ymd(2023, m + 1, 1));
		snprintf(buf, sizeof(buf), "2023-%02d-%02d", m,
		    mdays[m - 1] + 1);
		if (date_parse(buf, &d) != -1)
			fail_msg("date_parse took %s", buf);
	}
}

static void
test_date_parse_bad(void **state)
{
	static const char	*bad[] = {
		"", "2022", "2022-1-01", "2022-01-1", "22-01-01",
		"2022-01-01 ", " 2022-01-01", "2022-01-01T00:00",
		"2022/01/01", "2022-00-10", "2022-13-01", "2022-01-00",
		"2022-01-32", "2022-04-31", "2022-06-31", "2022-09-31",
		"2022-11-31", "1899-12-31", "+022-01-01", "2022-0a-01",
		"2022--1-01", "20220101xx", "02022-01-01"
	};
	int32_t			 d = 12345;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (date_parse(bad[i], &d) != -1)
			fail_msg("date_parse took \"%s\"", bad[i]);
		assert_int_equal(d, 12345);
	}
	assert_int_equal(date_parse(NULL, &d), -1);
	assert_int_equal(date_parse("1900-01-01", &d), 0);
	assert_int_equal(date_parse("9999-12-31", &d), 0);
}

/* Every day from before year 0 to past 9999 goes to y-m-d and back, each
 * the day after the one before. */
static void
test_round_trip(void **state)
{
	int32_t	 d;
	int	 y, m, dd, py, pm, pd;

	(void)state;
	date_to_ymd(-800001, &py, &pm, &pd);
	for (d = -800000; d <= 3000000; d++) {
		date_to_ymd(d, &y, &m, &dd);
		if (date_from_ymd(y, m, dd) != d)
			fail_msg("day %d: %d-%d-%d", (int)d, y, m, dd);
		if (dd == pd + 1)
			assert_true(y == py && m == pm);
		else if (dd != 1 || !((m == pm + 1 && y == py) ||
		    (m == 1 && pm == 12 && y == py + 1)))
			fail_msg("day %d: %d-%d-%d after %d-%d-%d", (int)d,
			    y, m, dd, py, pm, pd);
		py = y;
		pm = m;
		pd = dd;
	}
}

static void
test_round_trip_extremes(void **state)
{
	static const int32_t	 days[] = {
		INT32_MIN, INT32_MIN + 1, -146097 * 100, -719469, -719468,
		-1, 0, 1, 146097 * 100, INT32_MAX - 1, INT32_MAX
	};
	char			 buf[DATE_LEN + 1];
	size_t			 i;
	int			 y, m, d;

	(void)state;
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		date_to_ymd(days[i], &y, &m, &d);
		assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		assert_int_equal(date_from_ymd(y, m, d), days[i]);
	}
	date_to_ymd(-719469, &y, &m, &d);
	assert_int_equal(y, 0);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);	/* year 0 is a leap year */
	date_to_ymd(-719529, &y, &m, &d);
	assert_int_equal(y, -1);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	/* Years without a YYYY form keep the length but are not dates. */
	date_format(INT32_MAX, buf);
	assert_int_equal(strlen(buf), DATE_LEN);
	assert_int_equal(date_parse(buf, &(int32_t){ 0 }), -1);
	date_format(-719529, buf);
	assert_string_equal(buf, "0000-00-00");
}

static void
test_date_of(void **state)
{
	(void)state;
	assert_int_equal(date_of(0), 0);
	assert_int_equal(date_of(86399), 0);
	assert_int_equal(date_of(86400), 1);
	assert_int_equal(date_of(-1), -1);
	assert_int_equal(date_of(-86400), -1);
	assert_int_equal(date_of(-86401), -2);
	/* 2022-06-15 23:59:59 UTC and the next second. */
	assert_int_equal(date_of(1655337599), day("2022-06-15"));
	assert_int_equal(date_of(1655337600), day("2022-06-16"));
	if (sizeof(time_t) > 4) {
		assert_int_equal(date_of((time_t)INT64_MAX), INT32_MAX);
		assert_int_equal(date_of((time_t)INT64_MIN), INT32_MIN);
	}
}

static void
test_period_parse_good(void **state)
{
	struct period_rules	 rules;
	struct period		 p;
	const char		*errstr = NULL;

	(void)state;
	period_rules_default(&rules);

	assert_int_equal(period_parse("2022-H1", &rules, &p, &errstr), 0);
	assert_int_equal(p.kind, PERIOD_HALF);
	assert_int_equal(p.year, 2022);
	assert_date(p.from, "2021-12-01");
	assert_date(p.to, "2022-05-31");
	assert_date(p.due, "2022-06-10");
	assert_date(p.limit, "2022-06-30");

	assert_int_equal(period_parse("2022", &rules, &p, &errstr), 0);
	assert_int_equal(p.kind, PERIOD_YEAR);
	assert_int_equal(p.year, 2022);
	assert_date(p.from, "2021-12-01");
	assert_date(p.to, "2022-11-30");
	assert_date(p.due, "2022-12-05");
	assert_date(p.limit, "2022-12-31");

	assert_int_equal(period_parse("2000", &rules, &p, &errstr), 0);
	assert_date(p.from, "1999-12-01");
	assert_int_equal(period_parse("2999-H1", &rules, &p, &errstr), 0);
	assert_date(p.due, "2999-06-10");
}

static void
test_period_parse_bad(void **state)
{
	static const char	*bad[] = {
		"", "2022-H2", " 2022", "2022 ", "2022-h1", "02022",
		"2022-H", "2022H1", "2022-H1 ", "22", "202", "20222",
		"2022-H10", "abcd", "2022-01", "-2022", "+2022", "1999",
		"3000", "1999-H1", "0000"
	};
	struct period_rules	 rules;
	struct period		 p;
	const char		*errstr;
	size_t			 i;

	(void)state;
	period_rules_default(&rules);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		if (period_parse(bad[i], &rules, &p, &errstr) != -1)
			fail_msg("period_parse took \"%s\"", bad[i]);
		assert_non_null(errstr);
	}
	assert_int_equal(period_parse(NULL, &rules, &p, &errstr), -1);
	assert_int_equal(period_parse("1999", &rules, &p, &errstr), -1);
	assert_non_null(strstr(errstr, "2000..2999"));
	assert_int_equal(period_parse("2022-H2", &rules, &p, &errstr), -1);
	assert_non_null(strstr(errstr, "YYYY-H1 or YYYY"));
}

static void
test_rules_set(void **state)
{
	struct period_rules	 rules;
	struct period		 p;
	const char		*errstr = NULL;

	(void)state;
	period_rules_default(&rules);
	/* Coverage within the year: no year before. */
	assert_int_equal(period_rules_set(&rules, "h1_coverage",
	    "01-01..06-15", &errstr), 0);
	assert_int_equal(period_rules_set(&rules, "h1_due", "06-20",
	    &errstr), 0);
	assert_int_equal(period_parse("2024-H1", &rules, &p, &errstr), 0);
	assert_date(p.from, "2024-01-01");
	assert_date(p.to, "2024-06-15");
	assert_date(p.due, "2024-06-20");
	assert_date(p.limit, "2024-06-30");

	/* A due day before the end of coverage falls in the year after. */
	assert_int_equal(period_rules_set(&rules, "annual_coverage",
	    "01-01..12-31", &errstr), 0);
	assert_int_equal(period_rules_set(&rules, "annual_due", "01-15",
	    &errstr), 0);
	assert_int_equal(period_parse("2024", &rules, &p, &errstr), 0);
	assert_date(p.from, "2024-01-01");
	assert_date(p.to, "2024-12-31");
	assert_date(p.due, "2025-01-15");
	assert_date(p.limit, "2024-12-31");

	/* A due day equal to the last covered day is the same year. */
	assert_int_equal(period_rules_set(&rules, "annual_due", "12-31",
	    &errstr), 0);
	assert_int_equal(period_parse("2024", &rules, &p, &errstr), 0);
	assert_date(p.due, "2024-12-31");

	/* A coverage past 30/6 moves the limit for planned activities. */
	assert_int_equal(period_rules_set(&rules, "h1_coverage",
	    "12-16..07-15", &errstr), 0);
	assert_int_equal(period_parse("2024-H1", &rules, &p, &errstr), 0);
	assert_date(p.from, "2023-12-16");
	assert_date(p.to, "2024-07-15");
	assert_date(p.limit, "2024-07-15");
	/* The old due day 06-20 is now before the end: the year after. */
	assert_date(p.due, "2025-06-20");

	/* Setting one key leaves the other kind alone. */
	period_rules_default(&rules);
	assert_int_equal(period_rules_set(&rules, "annual_due", "12-20",
	    &errstr), 0);
	assert_int_equal(period_parse("2022-H1", &rules, &p, &errstr), 0);
	assert_date(p.due, "2022-06-10");
	assert_int_equal(period_parse("2022", &rules, &p, &errstr), 0);
	assert_date(p.due, "2022-12-20");
}

static void
test_rules_set_bad(void **state)
{
	static const struct {
		const char	*key, *value, *want;
	} bad[] = {
		{ "h2_due", "06-10", "unknown key" },
		{ "H1_due", "06-10", "unknown key" },
		{ "", "06-10", "unknown key" },
		{ "h1_due", "6-10", "h1_due: want MM-DD" },
		{ "h1_due", "06-10 ", "h1_due: want MM-DD" },
		{ "h1_due", "06/10", "h1_due: want MM-DD" },
		{ "h1_due", "", "h1_due: want MM-DD" },
		{ "h1_due", "2022-06-10", "h1_due: want MM-DD" },
		{ "h1_due", "13-01", "h1_due: no such day" },
		{ "h1_due", "06-31", "h1_due: no such day" },
		{ "h1_due", "00-10", "h1_due: no such day" },
		{ "h1_due", "06-00", "h1_due: no such day" },
		{ "annual_due", "02-29", "annual_due: no such day" },
		{ "h1_coverage", "12-01", "h1_coverage: want MM-DD..MM-DD" },
		{ "h1_coverage", "12-01-05-31",
		    "h1_coverage: want MM-DD..MM-DD" },
		{ "h1_coverage", "12-01..5-31",
		    "h1_coverage: want MM-DD..MM-DD" },
		{ "h1_coverage", "12-01...05-31",
		    "h1_coverage: want MM-DD..MM-DD" },
		{ "h1_coverage", "12-32..05-31",
		    "h1_coverage: no such day" },
		{ "annual_coverage", "12-01..02-29",
		    "annual_coverage: no such day" },
		{ "annual_coverage", "1201..1130",
		    "annual_coverage: want MM-DD..MM-DD" }
	};
	struct period_rules	 rules, before;
	const char		*errstr;
	size_t			 i;

	(void)state;
	period_rules_default(&rules);
	before = rules;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errstr = NULL;
		if (period_rules_set(&rules, bad[i].key, bad[i].value,
		    &errstr) != -1)
			fail_msg("took %s = \"%s\"", bad[i].key, bad[i].value);
		assert_non_null(errstr);
		if (strstr(errstr, bad[i].want) == NULL)
			fail_msg("%s = \"%s\": \"%s\"", bad[i].key,
			    bad[i].value, errstr);
		/* A refused value changes nothing. */
		assert_memory_equal(&rules, &before, sizeof(rules));
	}
	assert_int_equal(period_rules_set(&rules, NULL, "06-10", &errstr), -1);
	assert_int_equal(period_rules_set(&rules, "h1_due", NULL, &errstr), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_date_parse_bad),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_date_of),
		cmocka_unit_test(test_period_parse_good),
		cmocka_unit_test(test_period_parse_bad),
		cmocka_unit_test(test_rules_set),
		cmocka_unit_test(test_rules_set_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
