/*
 * Unit tests for proto/tz.c: time zones read from TZif files, against
 * the C library's own reading of the same zones (localtime_r under TZ,
 * which this single-threaded test may set), the footer's POSIX rules,
 * the built-in rule without a tz database, and every malformed file
 * refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "period.h"
#include "tz.h"

static int
have_zone(const char *name)
{
	char	path[256];

	snprintf(path, sizeof(path), "%s/%s", TZ_DIR, name);
	return access(path, R_OK) == 0;
}

static struct tz *
load(const char *name)
{
	struct tz	*z = NULL;
	char		*cause = NULL, *note = NULL;

	if (tz_load(TZ_DIR, name, &z, &note, &cause) == -1)
		fail_msg("%s: %s", name, cause != NULL ? cause : "no memory");
	assert_null(note);
	return z;
}

/* The C library's offset at t under the zone TZ names. */
static long
libc_offset(const char *tzenv, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	setenv("TZ", tzenv, 1);
	tzset();
	assert_non_null(localtime_r(&tt, &tm));
	return tm.tm_gmtoff;
}

/* Every six hours and around every transition of 1990 to 2060. */
static void
compare_with_libc(const char *name, const char *tzenv)
{
	struct tz	*z;
	int64_t		 t, from = 631152000, to = 2871763200;
	long		 want;

	if (!have_zone(name))
		skip();
	z = load(name);
	for (t = from; t < to; t += 6 * 3600 + 17) {
		want = libc_offset(tzenv, t);
		if (tz_offset(z, t) != want)
			fail_msg("%s at %lld: %ld, the C library %ld", name,
			    (long long)t, (long)tz_offset(z, t), want);
	}
	tz_free(z);
	unsetenv("TZ");
	tzset();
}

static void
test_ho_chi_minh(void **state)
{
	struct tz	*z;
	char		 buf[TZ_RFC3339_LEN + 1];

	(void)state;
	compare_with_libc("Asia/Ho_Chi_Minh", ":Asia/Ho_Chi_Minh");
	if (!have_zone("Asia/Ho_Chi_Minh"))
		skip();
	z = load("Asia/Ho_Chi_Minh");
	assert_string_equal(tz_name(z), "Asia/Ho_Chi_Minh");
	/* 2026-12-04T19:17:00Z is 02:17 on 5 December in Lai Châu. */
	assert_int_equal(tz_offset(z, 1796411820), 7 * 3600);
	assert_int_equal(tz_day(z, 1796411820), date_from_ymd(2026, 12, 5));
	assert_int_equal(date_of(1796411820), date_from_ymd(2026, 12, 4));
	tz_human(z, 1796411820, buf);
	assert_string_equal(buf, "2026-12-05 02:17 +07:00");
	tz_rfc3339(z, 1796411820, buf);
	assert_string_equal(buf, "2026-12-05T02:17:00+07:00");
	tz_utc(1796411820, buf);
	assert_string_equal(buf, "2026-12-04T19:17:00Z");
	/* Before 1975 Saigon kept other hours. */
	assert_int_equal(tz_offset(z, 0), 8 * 3600);
	tz_free(z);
}

static void
test_daylight_saving_zones(void **state)
{
	(void)state;
	compare_with_libc("Europe/Berlin", ":Europe/Berlin");
	compare_with_libc("America/New_York", ":America/New_York");
	compare_with_libc("Australia/Lord_Howe", ":Australia/Lord_Howe");
	compare_with_libc("America/Santiago", ":America/Santiago");
	compare_with_libc("Asia/Kolkata", ":Asia/Kolkata");
	compare_with_libc("UTC", ":UTC");
}

/* A version 2 file without transitions: only its footer rule counts. */
static size_t
rule_file(const char *rule, uint8_t *buf, size_t len)
{
	uint8_t	 h[44];
	size_t	 n = 0, r = strlen(rule);

	memset(h, 0, sizeof(h));
	memcpy(h, "TZif2", 5);
	h[39] = 1;		/* one type */
	h[43] = 4;		/* four bytes of names */
	assert_true(len > 2 * (44 + 10) + r + 2);
	memcpy(buf + n, h, 44);		/* version 1: one type, no time */
	n += 44;
	memset(buf + n, 0, 10);		/* its type and "UTC\0" */
	memcpy(buf + n + 6, "UTC", 4);
	n += 10;
	memcpy(buf + n, h, 44);
	n += 44;
	memset(buf + n, 0, 10);
	memcpy(buf + n + 6, "UTC", 4);
	n += 10;
	buf[n++] = '\n';
	memcpy(buf + n, rule, r);
	n += r;
	buf[n++] = '\n';
	return n;
}

static void
compare_rule(const char *rule)
{
	struct tz	*z = NULL;
	uint8_t		 buf[512];
	char		*cause = NULL;
	int64_t		 t;
	size_t		 len;

	len = rule_file(rule, buf, sizeof(buf));
	if (tz_parse("rule", buf, len, &z, &cause) == -1)
		fail_msg("%s: %s", rule, cause);
	for (t = 946684800; t < 2524608000; t += 3 * 3600 + 7)
		if (tz_offset(z, t) != libc_offset(rule, t))
			fail_msg("%s at %lld: %ld, the C library %ld", rule,
			    (long long)t, (long)tz_offset(z, t),
			    libc_offset(rule, t));
	tz_free(z);
	unsetenv("TZ");
	tzset();
}

static void
test_posix_rules(void **state)
{
	(void)state;
	compare_rule("<+07>-7");
	compare_rule("CET-1CEST,M3.5.0,M10.5.0/3");
	compare_rule("EST5EDT,M3.2.0,M11.1.0");
	compare_rule("<-04>4<-03>,M9.1.6/24,M4.1.6/24");
	compare_rule("AEST-10AEDT,M10.1.0,M4.1.0/3");
	compare_rule("IST-1GMT0,M10.5.0,M3.5.0/1");
	compare_rule("XXX3YYY,J60/2,J300/2");
	compare_rule("XXX-3:30YYY-4:30,59,300/1:30");
	compare_rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
}

static void
expect_refused(const char *what, const void *buf, size_t len,
    const char *needle)
{
	struct tz	*z = NULL;
	char		*cause = NULL;

	if (tz_parse("bad", buf, len, &z, &cause) == 0)
		fail_msg("%s: accepted", what);
	assert_null(z);
	assert_non_null(cause);
	if (strstr(cause, needle) == NULL)
		fail_msg("%s: '%s' does not say '%s'", what, cause, needle);
	free(cause);
}

static void
test_malformed(void **state)
{
	uint8_t	 buf[512], bad[512];
	size_t	 len, cut;

	(void)state;
	expect_refused("empty", "", 0, "not a time zone file");
	expect_refused("text", "hello world, this is not a zone file at "
	    "all, not at all", 50, "not a time zone file");
	len = rule_file("CET-1CEST,M3.5.0,M10.5.0/3", buf, sizeof(buf));
	/* Every cut before the footer is refused. */
	for (cut = 4; cut < 44 + 10 + 44 + 10; cut++)
		expect_refused("cut", buf, cut, "bad");
	memcpy(bad, buf, len);
	bad[44 + 10 + 39] = 0;		/* no type */
	expect_refused("no type", bad, len, "without a type");
	memcpy(bad, buf, len);
	bad[44 + 10 + 32] = 0xff;	/* millions of transitions */
	expect_refused("counts", bad, len, "out of range");
	memcpy(bad, buf, len);
	bad[44 + 10 + 31] = 1;		/* a leap second */
	expect_refused("leap", bad, len + 12, "");
	len = rule_file("CET-1CEST,M13.5.0,M10.5.0/3", buf, sizeof(buf));
	expect_refused("month 13", buf, len, "cannot read");
	len = rule_file("CET-1CEST", buf, sizeof(buf));
	expect_refused("dst without dates", buf, len, "cannot read");
	len = rule_file("<+07-7", buf, sizeof(buf));
	expect_refused("unclosed name", buf, len, "cannot read");
	len = rule_file("UTC0,", buf, sizeof(buf));
	expect_refused("stray comma", buf, len, "cannot read");
}

static void
test_names(void **state)
{
	struct tz	*z = NULL;
	char		*cause = NULL, *note = NULL;

	(void)state;
	assert_int_equal(tz_valid_name("Asia/Ho_Chi_Minh"), 0);
	assert_int_equal(tz_valid_name("Etc/GMT+7"), 0);
	assert_int_equal(tz_valid_name("UTC"), 0);
	assert_int_equal(tz_valid_name(""), -1);
	assert_int_equal(tz_valid_name("/etc/passwd"), -1);
	assert_int_equal(tz_valid_name("../../etc/passwd"), -1);
	assert_int_equal(tz_valid_name("Asia/../../x"), -1);
	assert_int_equal(tz_valid_name("Asia//Saigon"), -1);
	assert_int_equal(tz_valid_name("Asia/."), -1);
	assert_int_equal(tz_valid_name("Asia/Ho Chi Minh"), -1);
	assert_int_equal(tz_valid_name("Asia/Ho_Chi_Minh\n"), -1);
	assert_int_equal(tz_valid_name(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	    -1);
	assert_int_equal(tz_load(TZ_DIR, "../passwd", &z, &note, &cause), -1);
	assert_non_null(strstr(cause, "not the name of a time zone"));
	free(cause);
	assert_int_equal(tz_load(TZ_DIR, "Asia/Nowhere", &z, &note, &cause),
	    -1);
	assert_non_null(strstr(cause, "does not exist"));
	free(cause);
	assert_null(z);
}

/* Without the tz database: Vietnam's rule is built in, said in a note. */
static void
test_builtin(void **state)
{
	struct tz	*z = NULL;
	char		*cause = NULL, *note = NULL, dir[] = "/tmp/tzXXXXXX";
	char		 buf[TZ_HUMAN_LEN + 1];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(tz_load(dir, "Asia/Ho_Chi_Minh", &z, &note, &cause),
	    0);
	assert_non_null(note);
	assert_non_null(strstr(note, "UTC+07:00"));
	free(note);
	assert_int_equal(tz_offset(z, 1796411820), 7 * 3600);
	tz_human(z, 1796411820, buf);
	assert_string_equal(buf, "2026-12-05 02:17 +07:00");
	tz_free(z);
	assert_int_equal(tz_load(dir, "UTC", &z, &note, &cause), 0);
	assert_int_equal(tz_offset(z, 1796411820), 0);
	tz_human(z, 1796411820, buf);
	assert_string_equal(buf, "2026-12-04 19:17 +00:00");
	free(note);
	tz_free(z);
	/* Any other zone needs its file. */
	assert_int_equal(tz_load(dir, "Europe/Berlin", &z, &note, &cause), -1);
	assert_non_null(strstr(cause, "tzdata"));
	free(cause);
	rmdir(dir);
}

/* The three forms against the C library's reading of the same zone
 * (strftime, and printf for the offset), every 3 hours and 7 seconds of
 * 1990 to 2060: tz_print puts its digits by hand. */
static void
compare_forms_with_libc(const char *name, const char *tzenv)
{
	struct tz	*z;
	struct tm	 tm;
	time_t		 tt;
	int64_t		 t, from = 631152000, to = 2871763200;
	long		 a;
	char		 got[TZ_RFC3339_LEN + 1], want[64], when[32];

	if (!have_zone(name))
		skip();
	z = load(name);
	setenv("TZ", tzenv, 1);
	tzset();
	for (t = from; t < to; t += 3 * 3600 + 7) {
		tt = (time_t)t;
		assert_non_null(localtime_r(&tt, &tm));
		a = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want, sizeof(want), "%s%c%02ld:%02ld", when,
		    tm.tm_gmtoff < 0 ? '-' : '+', a / 3600, a / 60 % 60);
		tz_rfc3339(z, t, got);
		if (strcmp(got, want) != 0)
			fail_msg("%s at %lld: %s, the C library %s", name,
			    (long long)t, got, want);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		snprintf(want, sizeof(want), "%s %c%02ld:%02ld", when,
		    tm.tm_gmtoff < 0 ? '-' : '+', a / 3600, a / 60 % 60);
		tz_human(z, t, got);
		if (strcmp(got, want) != 0)
			fail_msg("%s at %lld: %s, the C library %s", name,
			    (long long)t, got, want);
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		tz_utc(t, got);
		if (strcmp(got, want) != 0)
			fail_msg("UTC at %lld: %s, the C library %s",
			    (long long)t, got, want);
	}
	tz_free(z);
	unsetenv("TZ");
	tzset();
}

static void
test_forms(void **state)
{
	char	buf[TZ_RFC3339_LEN + 1];

	(void)state;
	compare_forms_with_libc("Asia/Ho_Chi_Minh", ":Asia/Ho_Chi_Minh");
	/* Offsets west of Greenwich, in half and quarter hours. */
	compare_forms_with_libc("America/St_Johns", ":America/St_Johns");
	compare_forms_with_libc("Asia/Kathmandu", ":Asia/Kathmandu");
	/* Years of five digits or before year 0 through printf, cut to the
	 * form's length as always. */
	tz_utc(253402300800, buf);	/* 10000-01-01T00:00:00Z */
	assert_string_equal(buf, "10000-01-01T00:00:00");
	tz_utc(253402300799, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	tz_utc(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void
test_utc_text(void **state)
{
	int64_t	t;
	char	buf[TZ_UTC_LEN + 1];

	(void)state;
	assert_int_equal(tz_parse_utc("2022-06-10T02:14:11Z", &t), 0);
	assert_int_equal(t, 1654827251);
	tz_utc(t, buf);
	assert_string_equal(buf, "2022-06-10T02:14:11Z");
	assert_int_equal(tz_parse_utc("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(tz_parse_utc("2022-06-10T02:14:11+07:00", &t), -1);
	assert_int_equal(tz_parse_utc("2022-02-30T02:14:11Z", &t), -1);
	assert_int_equal(tz_parse_utc("2022-06-10T24:00:00Z", &t), -1);
	assert_int_equal(tz_parse_utc("2022-06-10 02:14:11Z", &t), -1);
	assert_int_equal(tz_parse_utc(NULL, &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ho_chi_minh),
		cmocka_unit_test(test_daylight_saving_zones),
		cmocka_unit_test(test_posix_rules),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_utc_text),
		cmocka_unit_test(test_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
