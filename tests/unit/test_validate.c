/*
 * Unit tests for proto/validate.c: each rule on its own, field names as
 * the JSON spells them, every error reported at once, warnings, UTF-8.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "report.h"
#include "placeholder.h"
#include "validate.h"

#define UUID	"0b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a90"

struct fixture {
	struct report		*r;
	struct form_set		*forms;	/* built in 2022, files 2023..2026 */
	struct validate_context	 ctx;
	struct report_errors	 errs;
	struct report_errors	 warns;
};

static int32_t
day(const char *s)
{
	int32_t	 d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static char *
xstrdup(const char *s)
{
	char	*p;

	assert_non_null(p = strdup(s));
	return p;
}

/* Replaces a text field of the report; NULL makes it absent. */
static void
set(char **field, const char *s)
{
	free(*field);
	*field = s == NULL ? NULL : xstrdup(s);
}

/* A string of n copies of c. */
static char *
repeat(int c, size_t n)
{
	char	*s;

	assert_non_null(s = malloc(n + 1));
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* The sample registry: lc-tamduong until districts were abolished. */
static int
lookup(void *arg, const char *code, int32_t *from, int32_t *to)
{
	(void)arg;
	if (strcmp(code, "lc-tamduong") == 0) {
		*from = INT32_MIN;
		*to = day("2025-06-30");
	} else if (strcmp(code, "lc-tp") == 0) {
		*from = INT32_MIN;
		*to = INT32_MAX;
	} else if (strcmp(code, "lc-old") == 0) {
		*from = day("2010-01-01");
		*to = day("2015-12-31");
	} else if (strcmp(code, "lc-new") == 0) {
		*from = day("2025-07-01");
		*to = INT32_MAX;
	} else
		return -1;
	return 0;
}

static void
activity(struct report_activity *a, const char *area, const char *kind,
    const char *occasion, const char *status, const char *date,
    const char *title)
{
	a->area = xstrdup(area);
	a->kind = xstrdup(kind);
	a->occasion = xstrdup(occasion);
	a->status = xstrdup(status);
	a->date = xstrdup(date);
	a->title = xstrdup(title);
	a->sessions = 1;
	a->participants = 100;
	a->female = 60;
}

static void
indicator(struct report_indicator_value *v, const char *code, uint64_t total,
    uint64_t female, int has_female)
{
	v->code = xstrdup(code);
	v->total = total;
	v->female = female;
	v->has_female = has_female;
}

static void
text(struct report_text *t, const char *code, const char *s)
{
	t->code = xstrdup(code);
	t->text = xstrdup(s);
}

/* Replaces a code of the report. */
static void
code(char **field, const char *s)
{
	set(field, s);
}

/* A valid 6-month report of LĐLĐ huyện Tam Đường, submitted 2022-06-05. */
static struct report *
valid_report(void)
{
	struct report		*r;
	struct report_activity	*a;

	assert_non_null(r = report_new());
	r->id = xstrdup(UUID);
	r->unit = xstrdup("lc-tamduong");
	r->period = xstrdup("2022-H1");
	r->reporter_name = xstrdup("Nguyễn Thị Hoa");
	r->reporter_position = xstrdup("Trưởng ban Nữ công");
	r->reporter_phone = xstrdup("0213 3875 123");

	assert_non_null(r->activities = calloc(3, sizeof(*r->activities)));
	r->nactivities = 3;
	a = &r->activities[0];
	activity(a, "policy_dissemination", "propaganda", "womens_day",
	    "done", "2022-03-05",
	    "Tuyên truyền Nghị quyết 11-NQ/TW nhân ngày 8/3");
	a->location = xstrdup("Tam Đường");
	a->sessions = 2;
	a->participants = 120;
	a->female = 80;
	a = &r->activities[1];
	activity(a, "communication_training", "training", "none", "done",
	    "2022-04-10",
	    "Tập huấn phòng chống bạo lực gia đình");
	a->end_date = xstrdup("2022-04-12");
	a->sessions = 3;
	a->notes = xstrdup("Ba lớp:\n\t- cán bộ\r\n\t- đoàn viên");
	a = &r->activities[2];
	activity(a, "strategy_implementation", "cultural", "family_day",
	    "planned", "2022-06-28",
	    "Giao lưu văn nghệ Ngày Gia đình Việt Nam");

	assert_non_null(r->indicators = calloc(5, sizeof(*r->indicators)));
	r->nindicators = 5;
	indicator(&r->indicators[0], "members", 1500, 700, 1);
	/* Cases have no women's share in the 2022 form. */
	indicator(&r->indicators[1], "gbv_cases_detected", 5, 0, 0);
	indicator(&r->indicators[2], "gbv_cases_handled", 4, 0, 0);
	indicator(&r->indicators[3], "gvndn_registered", 300, 300, 1);
	indicator(&r->indicators[4], "gvndn_achieved", 250, 250, 1);

	assert_non_null(r->narrative = calloc(2, sizeof(*r->narrative)));
	r->nnarrative = 2;
	text(&r->narrative[0], "results", "Hoàn thành kế hoạch.\n"
	    "Tổ chức 3 hoạt động, 340 lượt người tham gia.");
	text(&r->narrative[1], "difficulties", "Địa bàn rộng, đi lại "
	    "khó khăn.");
	assert_non_null(r->sections = calloc(1, sizeof(*r->sections)));
	r->nsections = 1;
	r->sections[0].code = xstrdup("law_review");
	assert_non_null(r->sections[0].fields = calloc(1,
	    sizeof(*r->sections[0].fields)));
	r->sections[0].nfields = 1;
	text(&r->sections[0].fields[0], "proposals", "Sửa đổi Điều 11.");
	return r;
}

/*
 * The forms of the tests: the built-in 2022, tests/data/forms/2023.json
 * (one new area, no law review), and for 2024..2026 the 2022 form with
 * its dates moved to the year.
 */
static char	 formdir[] = "/tmp/gp-test-validate.XXXXXX";

static void
write_form(const char *src, int year)
{
	json_t		*doc, *periods, *p, *v;
	json_error_t	 err;
	const char	*key, *date, *kind;
	char		 path[256], moved[16];
	size_t		 len;
	int		 shift;

	if (src == NULL) {
		src = form_builtin_json(&len);
		assert_non_null(doc = json_loadb(src, len, 0, &err));
	} else
		assert_non_null(doc = json_load_file(src, 0, &err));
	shift = year - (int)json_integer_value(json_object_get(doc, "year"));
	json_object_set_new(doc, "year", json_integer(year));
	periods = json_object_get(doc, "periods");
	json_object_foreach(periods, kind, p) {
		json_object_foreach(p, key, v) {
			if (!json_is_string(v) || strcmp(key, "label") == 0)
				continue;
			date = json_string_value(v);
			snprintf(moved, sizeof(moved), "%04d%s",
			    atoi(date) + shift, date + 4);
			json_object_set_new(p, key, json_string(moved));
		}
	}
	snprintf(path, sizeof(path), "%s/%d.json", formdir, year);
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	json_decref(doc);
}

static int
group_setup(void **state)
{
	char	path[256];
	int	year;

	(void)state;
	if (mkdtemp(formdir) == NULL)
		return -1;
	for (year = 2024; year <= 2026; year++)
		write_form(NULL, year);
	/* make runs the tests from the top of the tree. */
	snprintf(path, sizeof(path), "tests/data/forms/2023.json");
	write_form(path, 2023);
	return 0;
}

static int
group_teardown(void **state)
{
	char	path[256];
	int	year;

	(void)state;
	for (year = 2023; year <= 2026; year++) {
		snprintf(path, sizeof(path), "%s/%d.json", formdir, year);
		unlink(path);
	}
	return rmdir(formdir);
}

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->r = valid_report();
	if (form_set_load(formdir, &f->forms, &cause) == -1) {
		print_message("%s\n", cause);
		return -1;
	}
	f->ctx.forms = f->forms;
	f->ctx.today = day("2022-06-05");
	f->ctx.unit_lookup = lookup;
	f->ctx.arg = NULL;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	report_free(f->r);
	form_set_free(f->forms);
	free(f);
	return 0;
}

static int
run(struct fixture *f)
{
	report_errors_clear(&f->errs);
	report_errors_clear(&f->warns);
	return validate_report(f->r, &f->ctx, NULL, &f->errs, &f->warns);
}

static void
dump(const char *what, const struct report_errors *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		print_message("%s: %s: %s\n", what, e->e[i].field,
		    e->e[i].message);
}

/* Fails unless some entry names field with a message containing want. */
static void
assert_entry(const struct report_errors *e, const char *field,
    const char *want)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->e[i].field, field) == 0 &&
		    strstr(e->e[i].message, want) != NULL)
			return;
	dump("have", e);
	fail_msg("no \"%s\" with \"%s\"", field, want);
}

/* The message of the entry naming field; fails when there is none. */
static const char *
entry_message(const struct report_errors *e, const char *field)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->e[i].field, field) == 0)
			return e->e[i].message;
	dump("have", e);
	fail_msg("no \"%s\"", field);
	return NULL;
}

/* Exactly one error, on field, mentioning want. */
static void
assert_only_error(struct fixture *f, const char *field, const char *want)
{
	assert_int_equal(run(f), -1);
	if (f->errs.n != 1)
		dump("error", &f->errs);
	assert_int_equal(f->errs.n, 1);
	assert_entry(&f->errs, field, want);
}

static void
test_valid(void **state)
{
	struct fixture	*f = *state;

	if (run(f) != 0 || f->warns.n != 0) {
		dump("error", &f->errs);
		dump("warning", &f->warns);
		fail();
	}
	/* Absent optional texts and no warnings list are fine too. */
	set(&f->r->reporter_position, NULL);
	set(&f->r->reporter_phone, "");
	set(&f->r->activities[0].location, NULL);
	set(&f->r->activities[1].notes, NULL);
	set(&f->r->narrative[1].text, NULL);
	set(&f->r->sections[0].fields[0].text, NULL);
	assert_int_equal(validate_report(f->r, &f->ctx, NULL, &f->errs, NULL),
	    0);
	assert_int_equal(f->errs.n, 0);
}

static void
test_id(void **state)
{
	struct fixture	*f = *state;

	set(&f->r->id, NULL);
	assert_only_error(f, "id", "required");
	set(&f->r->id, "0b6f3c5e2a414d7e9c1a5f2e8d7b6a90");
	assert_only_error(f, "id", "not a UUID");
	set(&f->r->id, "0B6F3C5E-2A41-4D7E-9C1A-5F2E8D7B6A90");
	assert_int_equal(run(f), 0);
}

static void
test_uuid(void **state)
{
	static const char	*bad[] = {
		"", "0b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a9",
		"0b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a900",
		"0b6f3c5e-2a41-4d7e-9c1a_5f2e8d7b6a90",
		"0b6f3c5e2-a41-4d7e-9c1a-5f2e8d7b6a90",
		"0b6f3c5g-2a41-4d7e-9c1a-5f2e8d7b6a90",
		"{b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a9}",
		" 0b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a9",
		"0b6f3c5e-2a41-4d7e-9c1a-5f2e8d7b6a9\n"
	};
	size_t			 i;

	(void)state;
	assert_int_equal(validate_uuid(UUID), 0);
	assert_int_equal(validate_uuid("00000000-0000-0000-0000-000000000000"),
	    0);
	assert_int_equal(validate_uuid("ABCDEF01-abcd-EF01-2345-6789abcdefAB"),
	    0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (validate_uuid(bad[i]) != -1)
			fail_msg("took \"%s\"", bad[i]);
	assert_int_equal(validate_uuid(NULL), -1);
}

static void
test_unit_code(void **state)
{
	struct fixture	*f = *state;
	char		*s;

	assert_int_equal(validate_unit_code("lc-tamduong"), 0);
	assert_int_equal(validate_unit_code("a"), 0);
	assert_int_equal(validate_unit_code("lc-nganh-giaoduc-2"), 0);
	assert_int_equal(validate_unit_code(""), -1);
	assert_int_equal(validate_unit_code(NULL), -1);
	assert_int_equal(validate_unit_code("LC-TP"), -1);
	assert_int_equal(validate_unit_code("lc tp"), -1);
	assert_int_equal(validate_unit_code("lc_tp"), -1);
	assert_int_equal(validate_unit_code("lc-tp\n"), -1);
	assert_int_equal(validate_unit_code("tam-đường"), -1);
	s = repeat('a', REPORT_MAX_UNIT);
	assert_int_equal(validate_unit_code(s), 0);
	free(s);
	s = repeat('a', REPORT_MAX_UNIT + 1);
	assert_int_equal(validate_unit_code(s), -1);
	free(s);

	set(&f->r->unit, NULL);
	assert_only_error(f, "unit", "required");
	set(&f->r->unit, "LC-TP");
	assert_only_error(f, "unit", "not a unit code");
}

static void
test_unit_lookup(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	set(&f->r->unit, "lc-nowhere");
	assert_only_error(f, "unit", "unknown unit lc-nowhere");

	set(&f->r->unit, "lc-old");
	assert_only_error(f, "unit",
	    "unit valid from 2010-01-01 to 2015-12-31, not during 2022-H1 "
	    "(2021-12-01..2022-05-31)");

	/* Districts ended on 2025-06-30: 2025 is fine, 2026-H1 is not. */
	set(&f->r->unit, "lc-tamduong");
	set(&f->r->period, "2026-H1");
	f->ctx.today = day("2026-06-05");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "unit", "unit valid until 2025-06-30, "
	    "not during 2026-H1 (2025-12-01..2026-05-31)");

	set(&f->r->unit, "lc-new");
	set(&f->r->period, "2025-H1");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "unit", "unit valid from 2025-07-01, "
	    "not during 2025-H1 (2024-12-01..2025-05-31)");
	/* Overlapping the coverage by one day is enough. */
	set(&f->r->period, "2025");
	assert_int_equal(run(f), -1);
	for (i = 0; i < f->errs.n; i++)
		assert_string_not_equal(f->errs.e[i].field, "unit");

	set(&f->r->unit, "lc-tp");
	set(&f->r->period, "2022-H1");
	f->ctx.today = day("2022-06-05");
	assert_int_equal(run(f), 0);
}

static void
test_unit_lookup_null(void **state)
{
	struct fixture	*f = *state;

	f->ctx.unit_lookup = NULL;
	set(&f->r->unit, "lc-nowhere");
	assert_int_equal(run(f), 0);
	/* The syntax is still checked. */
	set(&f->r->unit, "lc nowhere");
	assert_only_error(f, "unit", "not a unit code");
}

static void
test_period(void **state)
{
	struct fixture	*f = *state;

	set(&f->r->period, NULL);
	assert_only_error(f, "period", "required");
	set(&f->r->period, "2022-H2");
	assert_only_error(f, "period", "YYYY-H1 or YYYY");
	set(&f->r->period, "1999");
	assert_only_error(f, "period", "2000..2999");
	/* A year without a form: nothing to check its codes against. */
	set(&f->r->period, "2031-H1");
	assert_only_error(f, "period", "no form for 2031; the forms known are "
	    "2022, 2023, 2024, 2025, 2026");

	set(&f->r->period, "2022-H1");
	f->ctx.forms = NULL;
	assert_only_error(f, "period", "no forms");
}

static void
test_reporter(void **state)
{
	struct fixture	*f = *state;
	char		*s;

	set(&f->r->reporter_name, NULL);
	assert_only_error(f, "reporter.name", "required");
	set(&f->r->reporter_name, " \t ");
	assert_only_error(f, "reporter.name", "required");
	set(&f->r->reporter_name, "Nguyễn Thị\nHoa");
	assert_only_error(f, "reporter.name", "control character at byte 14");
	set(&f->r->reporter_name, "Hoa");

	s = repeat('x', REPORT_MAX_SHORT + 1);
	set(&f->r->reporter_position, s);
	assert_only_error(f, "reporter.position", "201 bytes, at most 200");
	s[REPORT_MAX_SHORT] = '\0';
	set(&f->r->reporter_position, s);
	free(s);
	assert_int_equal(run(f), 0);

	set(&f->r->reporter_phone, "0213\x7f");
	assert_only_error(f, "reporter.phone", "control character at byte 4");
}

static void
test_activity_codes(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1];

	code(&a->area, NULL);
	assert_only_error(f, "activities[1].area", "required");
	code(&a->area, "");
	assert_only_error(f, "activities[1].area", "required");
	code(&a->area, "inspections");
	assert_only_error(f, "activities[1].area", "unknown area "
	    "'inspections'; one of: policy_dissemination, "
	    "strategy_implementation, communication_training");
	/* What is not a code is not repeated. */
	code(&a->area, "Kiểm tra\n");
	assert_only_error(f, "activities[1].area", "not a code (a to z, 0 to 9 "
	    "and _, 1 to 40 characters); one of: policy_dissemination");
	code(&a->area, "inspection");
	code(&a->kind, "lecture");
	assert_only_error(f, "activities[1].kind", "unknown kind 'lecture'");
	code(&a->kind, NULL);
	assert_only_error(f, "activities[1].kind", "required");
	code(&a->kind, "meeting");
	code(&a->occasion, "tet");
	assert_only_error(f, "activities[1].occasion", "unknown occasion 'tet'");
	code(&a->occasion, NULL);
	assert_only_error(f, "activities[1].occasion", "required");
	code(&a->occasion, "none");
	code(&a->status, "cancelled");
	assert_only_error(f, "activities[1].status", "unknown status "
	    "'cancelled'; one of: done, planned");
	code(&a->status, NULL);
	assert_only_error(f, "activities[1].status", "required");
	code(&a->status, "done");

	/* Audience and topic: optional, the form's when given. */
	code(&a->audience, "members");
	code(&a->topic, "gbv_prevention");
	assert_int_equal(run(f), 0);
	code(&a->audience, "students");
	assert_only_error(f, "activities[1].audience", "unknown audience "
	    "'students'; one of: union_cadres, members, workers, mixed");
	code(&a->audience, "");
	code(&a->topic, "health");
	assert_only_error(f, "activities[1].topic", "unknown topic 'health'");

	assert_int_equal(validate_code("gender_law_review"), 0);
	assert_int_equal(validate_code("a"), 0);
	assert_int_equal(validate_code("x1234567890123456789012345678901234567"
	    "89"), 0);
	assert_int_equal(validate_code("x1234567890123456789012345678901234567"
	    "890"), -1);
	assert_int_equal(validate_code("Area"), -1);
	assert_int_equal(validate_code("an-area"), -1);
	assert_int_equal(validate_code(""), -1);
	assert_int_equal(validate_code(NULL), -1);
}

/* The forms of other years: 2023 has a new area and no law review. */
static void
test_other_year(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1];

	code(&a->area, "dv_law_dissemination");
	assert_only_error(f, "activities[1].area",
	    "unknown area 'dv_law_dissemination'");
	set(&f->r->period, "2023-H1");
	set(&a->date, "2023-04-10");
	set(&a->end_date, NULL);
	set(&f->r->activities[0].date, "2023-03-05");
	set(&f->r->activities[2].date, "2023-06-28");
	f->ctx.today = day("2023-06-05");
	assert_only_error(f, "law_review", "not a field of a report, and the "
	    "2023 form has no sections");
	f->r->nsections = 0;
	assert_int_equal(run(f), 0);
	/* 2023's dates: a 2022 day is outside its coverage. */
	set(&a->date, "2022-04-10");
	assert_only_error(f, "activities[1].date", "outside the coverage "
	    "2022-12-01..2023-05-31 of 2023-H1");
	f->r->nsections = 1;
}

static void
test_activity_dates(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1];

	set(&a->date, NULL);
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "activities[1].date", "required");
	set(&a->date, "2022-02-30");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "activities[1].date", "not a date");
	set(&a->date, "2022-4-10");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "activities[1].date", "not a date");
	set(&a->date, "2022-04-10");

	set(&a->end_date, "2022-04-09");
	assert_only_error(f, "activities[1].end_date",
	    "ends 2022-04-09, before its start 2022-04-10");
	set(&a->end_date, "12/04/2022");
	assert_only_error(f, "activities[1].end_date", "not a date");
	set(&a->end_date, "2022-04-10");
	assert_int_equal(run(f), 0);
	set(&a->end_date, "");
	assert_int_equal(run(f), 0);
}

static void
test_activity_sessions(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];

	a->sessions = 0;
	assert_only_error(f, "activities[0].sessions", "0 sessions, at least 1");
	a->sessions = REPORT_MAX_SESSIONS + 1;
	assert_only_error(f, "activities[0].sessions",
	    "10001 sessions, at most 10000");
	a->sessions = REPORT_MAX_SESSIONS;
	assert_int_equal(run(f), 0);
	/* News items and leaflets are not held in sessions. */
	code(&a->kind, "media");
	a->sessions = 0;
	assert_int_equal(run(f), 0);
}

/* Output counts: a media kind's, codes of the form, once each. */
static void
test_outputs(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];

	assert_non_null(a->outputs = calloc(3, sizeof(*a->outputs)));
	a->noutputs = 2;
	a->outputs[0].code = xstrdup("articles");
	a->outputs[0].count = 12;
	a->outputs[1].code = xstrdup("leaflets");
	a->outputs[1].count = 1500;
	assert_only_error(f, "activities[0].outputs", "only an activity of a "
	    "media kind has output counts, not a propaganda");
	code(&a->kind, "media");
	a->participants = 0;
	a->female = 0;
	assert_int_equal(run(f), 0);
	code(&a->outputs[1].code, "posters");
	assert_only_error(f, "activities[0].outputs.posters", "unknown output "
	    "'posters'; one of: articles, leaflets, broadcasts, panels");
	code(&a->outputs[1].code, "articles");
	assert_only_error(f, "activities[0].outputs.articles", "given twice");
	code(&a->outputs[1].code, "leaflets");
	a->outputs[1].count = REPORT_MAX_COUNT + 1;
	assert_only_error(f, "activities[0].outputs.leaflets",
	    "10000001, at most 10000000");
	a->outputs[1].count = 1;
	a->noutputs = REPORT_MAX_OUTPUTS + 1;
	assert_only_error(f, "activities[0].outputs", "65 output counts, at "
	    "most 64");
	a->noutputs = 2;
}

static void
test_activity_counts(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[2];

	a->participants = 120;
	a->female = 130;
	assert_only_error(f, "activities[2].female",
	    "130 women among 120 participants");
	a->female = 120;
	assert_int_equal(run(f), 0);

	a->participants = REPORT_MAX_COUNT + 1;
	assert_only_error(f, "activities[2].participants",
	    "10000001 participants, at most 10000000");
	a->participants = UINT64_MAX;
	a->female = UINT64_MAX;
	assert_int_equal(run(f), -1);
	assert_int_equal(f->errs.n, 2);
	assert_entry(&f->errs, "activities[2].participants",
	    "18446744073709551615 participants");
	assert_entry(&f->errs, "activities[2].female",
	    "18446744073709551615 women, at most 10000000");
	a->participants = REPORT_MAX_COUNT;
	a->female = REPORT_MAX_COUNT;
	assert_int_equal(run(f), 0);
	a->participants = 0;
	a->female = 0;
	assert_int_equal(run(f), 0);
}

static void
test_done_coverage(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1];

	set(&a->date, "2021-11-30");
	set(&a->end_date, NULL);
	assert_only_error(f, "activities[1].date",
	    "done activity dated 2021-11-30, outside the coverage "
	    "2021-12-01..2022-05-31 of 2022-H1");
	set(&a->date, "2021-12-01");
	assert_int_equal(run(f), 0);
	set(&a->date, "2022-05-31");
	assert_int_equal(run(f), 0);
	set(&a->date, "2022-06-01");
	assert_only_error(f, "activities[1].date",
	    "done activity dated 2022-06-01, outside the coverage");

	/* An activity across the end of the coverage is the period's
	 * where it started, with its real dates. */
	set(&a->date, "2022-05-30");
	set(&a->end_date, "2022-06-02");
	assert_int_equal(run(f), 0);
}

/* The action month, 15/11 to 15/12, crosses the end of the annual
 * coverage (30/11): done in the report of the year it started, in no
 * other. */
static void
test_done_across_coverage(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[2];

	set(&f->r->period, "2022");
	code(&a->status, "done");
	code(&a->occasion, "action_month");
	set(&a->date, "2022-11-15");
	set(&a->end_date, "2022-12-15");
	f->ctx.today = day("2022-12-16");
	if (run(f) != 0) {
		dump("error", &f->errs);
		fail();
	}
	/* Not before it has ended. */
	f->ctx.today = day("2022-12-10");
	assert_only_error(f, "activities[2].end_date", "after the day of "
	    "submission 2022-12-10");
	/* The next year's report: it did not start there. */
	set(&f->r->period, "2023");
	f->ctx.today = day("2023-12-01");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "activities[2].date", "outside the coverage "
	    "2022-12-01..2023-11-30 of 2023 (an activity belongs to the "
	    "period it started in)");
}

/* The template's words are refused wherever they are, each by field;
 * a unit's own words around them are the unit's. */
static void
test_placeholders(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];
	const struct form	*form = form_set_year(f->forms, 2022);
	char			*title;

	set(&f->r->reporter_name, "(Họ và tên người báo cáo)");
	assert_only_error(f, "reporter.name", "still the template's words: "
	    "write the unit's own");
	set(&f->r->reporter_name, "  (Họ và tên người báo cáo)\n");
	assert_only_error(f, "reporter.name", "still the template's");
	set(&f->r->reporter_name, "Nguyễn Thị Hoa (Họ và tên người báo cáo)");
	assert_int_equal(run(f), 0);
	set(&f->r->reporter_name, "Nguyễn Thị Hoa");

	set(&f->r->reporter_position, "(Chức vụ)");
	assert_only_error(f, "reporter.position", "or delete them");
	set(&f->r->reporter_position, NULL);
	set(&f->r->reporter_phone, "(Số điện thoại)");
	assert_only_error(f, "reporter.phone", "still the template's");
	set(&f->r->reporter_phone, NULL);
	set(&f->r->plan_number, "(Số, ký hiệu kế hoạch của đơn vị)");
	assert_only_error(f, "plan.number", "still the template's");
	set(&f->r->plan_number, "05/KH-LĐLĐ");

	/* An example activity: its title is its area's label. */
	assert_non_null(title = placeholder_title(form_find(form, FORM_AREAS,
	    "female_cadres")->label));
	set(&a->title, title);
	free(title);
	assert_only_error(f, "activities[0].title", "still the template's "
	    "example");
	set(&a->title, "(Tin, bài, pano, tờ rơi)");
	assert_only_error(f, "activities[0].title", "still the template's");
	set(&a->title, "Tuyên truyền Luật");
	set(&a->location, "(Địa điểm)");
	assert_only_error(f, "activities[0].location", "still the template's");
	set(&a->location, NULL);

	/* Narrative texts and section fields: their hint or "(label)". */
	set(&f->r->narrative[0].text, "(Nêu kết quả nổi bật của đơn vị trong "
	    "kỳ báo cáo)");
	assert_only_error(f, "narrative.results", "still the template's "
	    "words: write the unit's own");
	set(&f->r->narrative[0].text, "Hoàn thành kế hoạch.");
	set(&f->r->narrative[1].text, "(Nêu những khó khăn)");
	assert_only_error(f, "narrative.difficulties", "or delete them");
	set(&f->r->narrative[1].text, "(Khó khăn)");
	assert_only_error(f, "narrative.difficulties", "still the template's");
	/* Another text's hint is not this one's. */
	set(&f->r->narrative[1].text, "(Nêu những thuận lợi)");
	assert_int_equal(run(f), 0);
	set(&f->r->sections[0].fields[0].text, "(Đề xuất sửa đổi, bổ sung "
	    "Luật Bình đẳng giới)");
	assert_only_error(f, "law_review.proposals", "still the template's");
}

/* Done, yet nothing to show: refused unless a media activity gives its
 * output counts. */
static void
test_done_with_nothing(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];

	code(&a->kind, "media");
	a->sessions = 0;
	a->participants = 0;
	a->female = 0;
	assert_only_error(f, "activities[0].outputs", "a done activity with "
	    "no sessions, no participants and no output counts");
	assert_non_null(a->outputs = calloc(2, sizeof(*a->outputs)));
	a->noutputs = 2;
	a->outputs[0].code = xstrdup("articles");
	a->outputs[1].code = xstrdup("leaflets");
	assert_only_error(f, "activities[0].outputs", "no output counts");
	a->outputs[1].count = 1500;
	assert_int_equal(run(f), 0);
	/* Participants alone are something done too. */
	a->outputs[1].count = 0;
	a->participants = 40;
	assert_int_equal(run(f), 0);
	/* Planned: nothing done yet is what planned means. */
	a->participants = 0;
	code(&a->status, "planned");
	set(&a->date, "2022-06-20");
	assert_int_equal(run(f), 0);
	/* Another kind: its sessions are refused, once. */
	code(&a->status, "done");
	set(&a->date, "2022-03-05");
	code(&a->kind, "propaganda");
	free(a->outputs[0].code);
	free(a->outputs[1].code);
	free(a->outputs);
	a->outputs = NULL;
	a->noutputs = 0;
	assert_only_error(f, "activities[0].sessions", "0 sessions");
}

/* A planned activity dated before the day of submission: was it done? */
static void
test_warn_planned_past(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[2];

	set(&a->date, "2022-06-04");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 1);
	assert_entry(&f->warns, "activities[2].date", "planned activity "
	    "dated 2022-06-04, before the day of submission 2022-06-05: was "
	    "it done?");
	set(&a->date, "2022-06-05");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
}

/* Every error of a report in one pass: an unknown area, a period that
 * is not one, more women than participants and an empty narrative. */
static void
test_all_errors_at_once(void **state)
{
	struct fixture	*f = *state;

	code(&f->r->activities[0].area, "no_such_area");
	set(&f->r->period, "2022-H3");
	f->r->activities[1].female = f->r->activities[1].participants + 1;
	set(&f->r->narrative[0].text, "");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "period", "not a period");
	assert_entry(&f->errs, "activities[0].area", "unknown area "
	    "'no_such_area'");
	assert_entry(&f->errs, "activities[1].female", "women among");
	assert_entry(&f->errs, "narrative.results", "required");
	assert_int_equal(f->errs.n, 4);
	/* No period at all: the newest form still names the rest. */
	set(&f->r->period, NULL);
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "period", "required");
	assert_entry(&f->errs, "activities[0].area", "unknown area");
	assert_entry(&f->errs, "narrative.results", "required");
}

/* gpd judges lateness when it stores a revision, with the unit's
 * extension; the sentence is the same. */
static void
test_late_elsewhere(void **state)
{
	struct fixture	*f = *state;
	char		 msg[REPORT_MESSAGE_MAX];

	f->ctx.today = day("2022-06-12");
	f->ctx.late_elsewhere = 1;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	validate_late_message(day("2022-06-20"), day("2022-06-21"), 1, msg);
	assert_string_equal(msg, "late: due 2022-06-20 (extended), submitted "
	    "2022-06-21 (1 day late)");
}

static void
test_done_after_today(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1];

	f->ctx.today = day("2022-05-20");
	set(&a->date, "2022-05-21");
	set(&a->end_date, NULL);
	assert_only_error(f, "activities[1].date",
	    "done activity dated 2022-05-21, after the day of submission "
	    "2022-05-20");
	set(&a->date, "2022-05-20");
	assert_int_equal(run(f), 0);
	set(&a->end_date, "2022-05-22");
	assert_only_error(f, "activities[1].end_date",
	    "done activity ends 2022-05-22, after the day of submission "
	    "2022-05-20");
	/* A planned one may lie ahead. */
	code(&a->status, "planned");
	assert_int_equal(run(f), 0);
}

static void
test_planned(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[2];

	/* 28/6 lies past the 31/5 cut-off but before 30/6. */
	set(&a->date, "2022-06-30");
	assert_int_equal(run(f), 0);
	set(&a->date, "2022-07-01");
	assert_only_error(f, "activities[2].date",
	    "planned activity dated 2022-07-01, past 2022-06-30");
	set(&a->date, "2021-11-30");
	assert_only_error(f, "activities[2].date",
	    "planned activity dated 2021-11-30, before the coverage of "
	    "2022-H1 starts on 2021-12-01");
	set(&a->date, "2022-06-28");
	set(&a->end_date, "2022-07-02");
	assert_only_error(f, "activities[2].end_date",
	    "planned activity ends 2022-07-02, past 2022-06-30, the last day "
	    "for planned activities of 2022-H1");

	/* The year's limit is 31/12: the action month straddles 30/11. */
	set(&f->r->period, "2022");
	f->ctx.today = day("2022-12-01");
	code(&a->occasion, "action_month");
	set(&a->date, "2022-11-15");
	set(&a->end_date, "2022-12-31");
	assert_int_equal(run(f), 0);
	set(&a->end_date, "2023-01-01");
	assert_only_error(f, "activities[2].end_date",
	    "planned activity ends 2023-01-01, past 2022-12-31");
}

static void
test_texts(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];
	char			*s;

	set(&a->title, NULL);
	assert_only_error(f, "activities[0].title", "required");
	set(&a->title, "   ");
	assert_only_error(f, "activities[0].title", "required");
	set(&a->title, "Dòng một\nDòng hai");
	assert_only_error(f, "activities[0].title", "control character");
	/* A tab is allowed on one line; CR and LF only where multiline. */
	set(&a->title, "Hội thi\tcấp huyện");
	assert_int_equal(run(f), 0);
	s = repeat('t', REPORT_MAX_TITLE + 1);
	set(&a->title, s);
	free(s);
	assert_only_error(f, "activities[0].title", "501 bytes, at most 500");
	set(&a->title, "Hội thi");

	s = repeat('l', REPORT_MAX_SHORT + 1);
	set(&a->location, s);
	free(s);
	assert_only_error(f, "activities[0].location",
	    "201 bytes, at most 200");
	set(&a->location, "Tam Đường\r");
	assert_only_error(f, "activities[0].location",
	    "control character at byte 13");
	set(&a->location, NULL);

	s = repeat('n', REPORT_MAX_NOTES + 1);
	set(&a->notes, s);
	free(s);
	assert_only_error(f, "activities[0].notes", "2001 bytes, at most 2000");
	set(&a->notes, "Dòng một\r\nDòng hai\n\tthụt lề");
	assert_int_equal(run(f), 0);
	set(&a->notes, "chuông\a");
	assert_only_error(f, "activities[0].notes", "control character");
	set(&a->notes, "\xc3\x28");
	assert_only_error(f, "activities[0].notes", "invalid UTF-8 at byte 0");

	/* Invisible characters hide or reorder what a reader sees: a zero
	 * width space, a right-to-left override, an isolate, a tag, a line
	 * separator. Named with the code point, in every kind of field. */
	set(&a->notes, NULL);
	set(&a->title, "Hội\xe2\x80\x8b thi");
	assert_only_error(f, "activities[0].title",
	    "invisible character U+200B at byte 5; delete it");
	set(&a->title, "Hội thi");
	set(&a->location, "abc\xe2\x80\xae" "fdp");
	assert_only_error(f, "activities[0].location",
	    "invisible character U+202E at byte 3");
	set(&a->location, NULL);
	set(&a->notes, "Dòng một\n\xe2\x81\xa6" "x\xe2\x81\xa9");
	assert_only_error(f, "activities[0].notes",
	    "invisible character U+2066 at byte 12");
	set(&a->notes, "x\xf3\xa0\x81\x81");
	assert_only_error(f, "activities[0].notes",
	    "invisible character U+E0041 at byte 1");
	set(&a->notes, "x\xe2\x80\xa8y");
	assert_only_error(f, "activities[0].notes",
	    "invisible character U+2028 at byte 1");
	set(&a->notes, NULL);
	set(&f->r->reporter_name, "\xef\xbb\xbfLò Thị Mai");
	assert_only_error(f, "reporter.name", "invisible character U+FEFF");
}

static void
test_narrative(void **state)
{
	struct fixture		*f = *state;
	struct report_text	*results = &f->r->narrative[0];
	struct report_text	*law = &f->r->sections[0].fields[0];
	char			*s;

	set(&results->text, NULL);
	assert_only_error(f, "narrative.results", "required");
	set(&results->text, "");
	assert_only_error(f, "narrative.results", "required");
	set(&results->text, "  \r\n\t \n");
	assert_only_error(f, "narrative.results", "required");
	set(&results->text, "Tốt.");
	assert_int_equal(run(f), 0);
	/* Absent altogether. */
	code(&results->code, "next_tasks");
	assert_only_error(f, "narrative.results", "required");
	code(&results->code, "results");

	s = repeat('r', REPORT_MAX_NARRATIVE + 1);
	set(&f->r->narrative[1].text, s);
	assert_only_error(f, "narrative.difficulties",
	    "20001 bytes, at most 20000");
	s[REPORT_MAX_NARRATIVE] = '\0';
	set(&f->r->narrative[1].text, s);
	assert_int_equal(run(f), 0);
	s[REPORT_MAX_NARRATIVE - 1] = '\x1b';
	set(&law->text, s);
	free(s);
	assert_only_error(f, "law_review.proposals",
	    "control character at byte 19999");
	code(&law->code, "obstacles");
	set(&law->text, "\xed\xa0\x80");
	assert_only_error(f, "law_review.obstacles", "invalid UTF-8");
	set(&law->text, "Vướng mắc.");

	/* Codes of the form, once each. */
	code(&f->r->narrative[1].code, "summary");
	assert_only_error(f, "narrative.summary", "unknown narrative text "
	    "'summary'; one of: results, advantages, difficulties");
	code(&f->r->narrative[1].code, "results");
	assert_only_error(f, "narrative.results", "given twice");
	code(&f->r->narrative[1].code, "difficulties");
	code(&law->code, "next_tasks");
	assert_only_error(f, "law_review.next_tasks", "unknown field "
	    "'next_tasks'; one of: results, advantages, difficulties, "
	    "obstacles, proposals");
	code(&law->code, "proposals");
	code(&f->r->sections[0].code, "law_reviews");
	assert_only_error(f, "law_reviews", "unknown field or section "
	    "'law_reviews'; one of: law_review");
	code(&f->r->sections[0].code, "law_review");
	assert_int_equal(run(f), 0);
}

/* The unit's own plan: both optional, a real date. */
static void
test_plan(void **state)
{
	struct fixture	*f = *state;

	set(&f->r->plan_number, "05/KH-LĐLĐ");
	set(&f->r->plan_date, "2022-03-01");
	assert_int_equal(run(f), 0);
	set(&f->r->plan_date, "01/03/2022");
	assert_only_error(f, "plan.date", "not a date (want YYYY-MM-DD)");
	set(&f->r->plan_date, NULL);
	set(&f->r->plan_number, "05\n");
	assert_only_error(f, "plan.number", "control character");
}

static void
test_too_many(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a;
	char			 c[16];
	size_t			 i, n = REPORT_MAX_ACTIVITIES + 1;

	assert_non_null(a = reallocarray(f->r->activities, n, sizeof(*a)));
	f->r->activities = a;
	for (i = f->r->nactivities; i < n; i++) {
		memset(&a[i], 0, sizeof(*a));
		activity(&a[i], "inspection", "inspection", "none", "done",
		    "2022-05-01", "Kiểm tra");
	}
	f->r->nactivities = n;
	assert_only_error(f, "activities", "1001 activities, at most 1000");
	/* What lies past the limit is not looked at. */
	a[n - 1].female = 1000;
	assert_only_error(f, "activities", "1001 activities, at most 1000");
	f->r->nactivities = n - 1;
	assert_int_equal(run(f), 0);
	f->r->nactivities = n;

	assert_non_null(f->r->indicators = reallocarray(f->r->indicators,
	    REPORT_MAX_INDICATORS + 1, sizeof(*f->r->indicators)));
	for (i = f->r->nindicators; i <= REPORT_MAX_INDICATORS; i++) {
		snprintf(c, sizeof(c), "x%zu", i);
		indicator(&f->r->indicators[i], c, 0, 0, 0);
	}
	f->r->nindicators = REPORT_MAX_INDICATORS + 1;
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "indicators", "65 indicators, at most 64");
	assert_entry(&f->errs, "indicators.x63", "unknown indicator 'x63'");
	for (i = 0; i < f->errs.n; i++)
		assert_string_not_equal(f->errs.e[i].field, "indicators.x64");
}

static void
test_indicators(void **state)
{
	struct fixture				*f = *state;
	struct report_indicator_value		*v = f->r->indicators;

	code(&v[0].code, NULL);
	assert_only_error(f, "indicators[0].code", "required");
	code(&v[0].code, "voters");
	assert_only_error(f, "indicators.voters", "unknown indicator "
	    "'voters'");
	code(&v[0].code, "members");

	code(&v[3].code, "members");
	assert_int_equal(run(f), -1);
	assert_entry(&f->errs, "indicators.members", "given twice");
	/* gvndn_registered is gone, so achieved is bounded by nothing. */
	assert_int_equal(f->errs.n, 1);
	code(&v[3].code, "gvndn_registered");

	v[0].female = 1501;
	assert_only_error(f, "indicators.members.female",
	    "1501 women among a total of 1500");
	v[0].female = 1500;
	assert_int_equal(run(f), 0);
	v[0].total = REPORT_MAX_COUNT + 1;
	assert_only_error(f, "indicators.members.total", "10000001, at most 10000000");
	v[0].total = 1500;
	v[0].female = REPORT_MAX_COUNT + 5;
	assert_only_error(f, "indicators.members.female",
	    "10000005 women, at most 10000000");
	v[0].female = 0;
	/* Without a women's figure at all. */
	v[0].has_female = 0;
	assert_int_equal(run(f), 0);
}

/* Where the form gives no women's share, a women's figure is kept but
 * warned about, never compared with the total. */
static void
test_no_female_share(void **state)
{
	struct fixture				*f = *state;
	struct report_indicator_value		*v = &f->r->indicators[1];

	v->has_female = 1;
	v->female = 0;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	v->female = 4;
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 1);
	assert_entry(&f->warns, "indicators.gbv_cases_detected.female",
	    "gbv_cases_detected has no women's figure in the 2022 form: 4 is "
	    "kept but not counted");
	v->female = 6;
	assert_int_equal(run(f), 0);
	v->female = REPORT_MAX_COUNT + 1;
	assert_only_error(f, "indicators.gbv_cases_detected.female",
	    "10000001 women, at most 10000000");
}

static void
test_cross_rules(void **state)
{
	struct fixture				*f = *state;
	struct report_indicator_value		*v = f->r->indicators;

	v[2].total = 6;		/* handled */
	assert_only_error(f, "indicators.gbv_cases_handled",
	    "6, more than the 5 of gbv_cases_detected");
	v[2].total = 5;
	assert_int_equal(run(f), 0);

	v[4].total = 301;	/* achieved */
	v[4].female = 300;
	assert_only_error(f, "indicators.gvndn_achieved",
	    "301, more than the 300 of gvndn_registered");
	v[4].total = 300;
	assert_int_equal(run(f), 0);

	/* With the bound absent there is nothing to compare. */
	code(&v[1].code, "inspections");
	v[2].total = 50;
	assert_int_equal(run(f), 0);
}

static void
test_all_at_once(void **state)
{
	struct fixture	*f = *state;

	set(&f->r->id, "nope");
	set(&f->r->unit, "lc-nowhere");
	set(&f->r->reporter_name, NULL);
	f->r->activities[0].female = 500;
	f->r->activities[1].sessions = 0;
	set(&f->r->activities[2].title, NULL);
	f->r->indicators[0].female = 2000;
	f->r->indicators[2].total = 9;
	set(&f->r->narrative[0].text, NULL);

	assert_int_equal(run(f), -1);
	if (f->errs.n != 9)
		dump("error", &f->errs);
	assert_int_equal(f->errs.n, 9);
	assert_int_equal(f->errs.dropped, 0);
	assert_entry(&f->errs, "id", "not a UUID");
	assert_entry(&f->errs, "unit", "unknown unit");
	assert_entry(&f->errs, "reporter.name", "required");
	assert_entry(&f->errs, "activities[0].female",
	    "500 women among 120 participants");
	assert_entry(&f->errs, "activities[1].sessions", "0 sessions");
	assert_entry(&f->errs, "activities[2].title", "required");
	assert_entry(&f->errs, "indicators.members.female",
	    "2000 women among a total of 1500");
	assert_entry(&f->errs, "indicators.gbv_cases_handled",
	    "9, more than the 5 of gbv_cases_detected");
	assert_entry(&f->errs, "narrative.results", "required");
}

static void
test_errors_overflow(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a;
	size_t			 i, n = 150;

	assert_non_null(a = reallocarray(f->r->activities, n, sizeof(*a)));
	f->r->activities = a;
	for (i = f->r->nactivities; i < n; i++) {
		memset(&a[i], 0, sizeof(*a));
		activity(&a[i], "inspection", "inspection", "none", "done",
		    "2022-05-01", "Kiểm tra");
	}
	f->r->nactivities = n;
	for (i = 0; i < n; i++)
		a[i].female = a[i].participants + 1;
	assert_int_equal(run(f), -1);
	assert_int_equal(f->errs.n, REPORT_ERRORS_MAX);
	assert_int_equal(f->errs.dropped, n - REPORT_ERRORS_MAX);
	assert_string_equal(f->errs.e[99].field, "activities[99].female");
}

static void
test_warn_occasion(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[0];

	/* 8 March: 30 days either side is fine. */
	set(&a->date, "2022-04-07");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	set(&a->date, "2022-02-06");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	set(&a->date, "2022-04-08");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities[0].occasion", "31 days from 8/3");
	set(&a->date, "2022-02-05");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities[0].occasion", "31 days from 8/3");
	set(&a->date, "2022-05-20");
	assert_int_equal(run(f), 0);	/* a warning is not an error */
	assert_int_equal(f->warns.n, 1);
	assert_entry(&f->warns, "activities[0].occasion",
	    "womens_day activity dated 2022-05-20, 73 days from 8/3");
	/* Spanning the day is on the day. */
	set(&a->date, "2022-01-10");
	set(&a->end_date, "2022-03-10");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	set(&a->end_date, NULL);

	code(&a->occasion, "vn_womens_day");
	set(&a->date, "2021-12-05");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities[0].occasion",
	    "vn_womens_day activity dated 2021-12-05, 46 days from 20/10");
	code(&a->occasion, "family_day");
	set(&a->date, "2022-03-05");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities[0].occasion",
	    "family_day activity dated 2022-03-05, 115 days from 28/6");
	/* The action month, 15/11..15/12, 14 days' slack before and 16
	 * after. */
	code(&a->occasion, "action_month");
	set(&a->date, "2021-12-20");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	set(&a->date, "2021-12-31");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	set(&a->date, "2022-01-01");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities[0].occasion",
	    "action_month activity dated 2022-01-01, 17 days from "
	    "15/11\xe2\x80\x93" "15/12");
	code(&a->occasion, "none");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
}

static void
test_warn_late(void **state)
{
	struct fixture	*f = *state;

	f->ctx.today = day("2022-06-10");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	f->ctx.today = day("2022-06-11");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 1);
	assert_entry(&f->warns, "period",
	    "late: due 2022-06-10, submitted 2022-06-11 (1 day late)");
	f->ctx.today = day("2022-06-15");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "period",
	    "late: due 2022-06-10, submitted 2022-06-15 (5 days late)");
}

static void
test_warn_annual(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[2];

	set(&f->r->period, "2022");
	f->ctx.today = day("2022-12-01");
	code(&a->status, "done");
	code(&a->occasion, "none");
	set(&a->date, "2022-09-01");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 1);
	assert_entry(&f->warns, "activities", "annual report without an "
	    "activity for action_month or vn_womens_day");

	code(&a->occasion, "vn_womens_day");
	set(&a->date, "2022-10-20");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
	code(&a->occasion, "action_month");
	set(&a->date, "2022-11-15");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);

	/* The 6-month report is not asked for them. */
	code(&a->status, "planned");
	set(&f->r->period, "2022-H1");
	code(&a->occasion, "none");
	set(&a->date, "2022-06-20");
	f->ctx.today = day("2022-06-05");
	assert_int_equal(run(f), 0);
	assert_int_equal(f->warns.n, 0);
}

static void
test_text_utf8(void **state)
{
	static const struct {
		const char	*s;
		int		 ok;
	} cases[] = {
		{ "", 1 },
		{ "Tam Đường", 1 },
		{ "LĐLĐ huyện Sìn Hồ, Mường Tè, Nậm Nhùn", 1 },
		/* e + combining acute + combining dot below: ệ decomposed */
		{ "Vie\xcc\x82\xcc\xa3t Nam", 1 },
		{ "\xc2\xa0 no-break space", 1 },
		{ "\xef\xbf\xbd replacement", 1 },
		{ "\xf0\x9f\x98\x80 emoji", 1 },
		{ "\xf4\x8f\xbf\xbf last code point", 1 },
		{ "\xed\x9f\xbf before surrogates", 1 },
		{ "\xee\x80\x80 after surrogates", 1 },
		{ "\xc0\xaf", 0 },		/* overlong / */
		{ "\xc1\xbf", 0 },		/* overlong */
		{ "\xe0\x80\xaf", 0 },		/* overlong, 3 bytes */
		{ "\xe0\x9f\xbf", 0 },		/* overlong U+07FF */
		{ "\xf0\x80\x80\xaf", 0 },	/* overlong, 4 bytes */
		{ "\xf0\x8f\xbf\xbf", 0 },	/* overlong U+FFFF */
		{ "\xed\xa0\x80", 0 },		/* U+D800 */
		{ "\xed\xbf\xbf", 0 },		/* U+DFFF */
		{ "\xf4\x90\x80\x80", 0 },	/* U+110000 */
		{ "\xf5\x80\x80\x80", 0 },
		{ "\xff", 0 },
		{ "\xfe", 0 },
		{ "\x80", 0 },			/* lone continuation */
		{ "ab\xbf", 0 },
		{ "\xc3", 0 },			/* truncated */
		{ "\xe1\xba", 0 },		/* truncated ạ */
		{ "\xf0\x9f\x98", 0 },		/* truncated emoji */
		{ "\xe1\xbax", 0 },		/* bad continuation */
		{ "\xc3\xc3\xa9", 0 },
		{ "\x01", 0 },
		{ "\x1f", 0 },
		{ "\x7f", 0 },			/* DEL */
		{ "\xc2\x80", 0 },		/* C1 */
		{ "\xc2\x85", 0 },		/* NEL */
		{ "\xc2\x9f", 0 },
		{ "\r", 0 },
		{ "\n", 0 },
		{ "\t", 1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if ((validate_text(cases[i].s, strlen(cases[i].s), 0) == 0) !=
		    cases[i].ok)
			fail_msg("case %zu: want %s", i,
			    cases[i].ok ? "good" : "bad");

	/* Multiline adds CR and LF, nothing else. */
	assert_int_equal(validate_text("a\r\nb\n", 5, 1), 0);
	assert_int_equal(validate_text("a\r\nb\n", 5, 0), -1);
	assert_int_equal(validate_text("a\vb", 3, 1), -1);
	assert_int_equal(validate_text("a\fb", 3, 1), -1);
	assert_int_equal(validate_text("\xc2\x85", 2, 1), -1);

	/* NUL inside len is refused; len bounds what is read. */
	assert_int_equal(validate_text("ab\0cd", 5, 1), -1);
	assert_int_equal(validate_text("ab\0cd", 2, 1), 0);
	assert_int_equal(validate_text("\xc3\xa9", 1, 0), -1);
	assert_int_equal(validate_text("\xc3\xa9", 2, 0), 0);
	assert_int_equal(validate_text(NULL, 0, 0), -1);
}

/*
 * In Vietnamese, as gp-client validate and gp-client-web speak it (the
 * build's catalogue): the catalogue's words, dates as 30/11/2021, counts
 * as 1.200, what the form names by its label; English again after, as
 * gpd and every --json run speak.
 */
static void
test_messages_vietnamese(void **state)
{
	struct fixture		*f = *state;
	struct report_activity	*a = &f->r->activities[1], *b;
	const char		*want, *msg;

	setenv("GP_LOCALEDIR", TEST_LOCALEDIR, 1);
	unsetenv("GP_LANGUAGE");
	i18n_init(I18N_GP_CLIENT, "vi");
	assert_true(i18n_vietnamese());

	a->participants = 85;
	a->female = 1200;
	assert_only_error(f, "activities[1].female",
	    "số nữ (1.200) nhiều hơn số người tham gia (85)");
	a->female = 60;
	set(&a->date, "2021-11-30");
	set(&a->end_date, NULL);
	assert_only_error(f, "activities[1].date",
	    "hoạt động đã thực hiện ngày 30/11/2021, nằm ngoài thời gian của "
	    "kỳ 2022-H1 (1/12/2021 \xe2\x80\x93 31/5/2022)");
	set(&a->date, "2022-01-12");
	set(&f->r->reporter_name, " ");
	assert_only_error(f, "reporter.name", "chưa điền");
	set(&f->r->reporter_name, "Lò Thị Hương");

	/* The longest sentences, whole: Vietnamese takes more bytes than
	 * REPORT_MESSAGE_MAX once held (report.h). */
	b = &f->r->activities[0];
	code(&b->kind, "media");
	b->sessions = 0;
	b->participants = 0;
	b->female = 0;
	assert_only_error(f, "activities[0].outputs", "hoạt động đã thực "
	    "hiện mà không có buổi nào");
	assert_string_equal(entry_message(&f->errs, "activities[0].outputs"),
	    _("a done activity with no sessions, no participants and no "
	    "output counts: give what was made (news items, leaflets...), or "
	    "mark it planned"));
	code(&b->kind, "propaganda");
	b->sessions = 2;
	b->participants = 120;
	b->female = 80;
	set(&f->r->activities[2].date, "2022-06-04");
	assert_int_equal(run(f), 0);
	/* The catalogue's sentence after its last date. */
	want = strrchr(_("planned activity dated %s, before the day of "
	    "submission %s: was it done? Then mark it done, with its "
	    "figures"), '%');
	assert_non_null(want);
	want += 2;
	msg = entry_message(&f->warns, "activities[2].date");
	assert_true(strlen(msg) > strlen(want));
	assert_string_equal(msg + strlen(msg) - strlen(want), want);
	assert_non_null(strstr(msg, "4/6/2022"));
	set(&f->r->activities[2].date, "2022-06-28");

	f->ctx.today = day("2022-06-15");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "period", "nộp muộn: hạn nộp 10/6/2022, nộp "
	    "ngày 15/6/2022 (muộn 5 ngày)");
	/* The form's label for its code, in quotes. */
	set(&f->r->period, "2022");
	f->ctx.today = day("2022-12-01");
	code(&f->r->activities[0].occasion, "none");
	code(&f->r->activities[2].occasion, "none");
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities", "báo cáo năm chưa có hoạt động "
	    "nào nhân dịp \xe2\x80\x9cTháng hành động vì bình đẳng giới "
	    "15/11\xe2\x80\x93" "15/12\xe2\x80\x9d hoặc "
	    "\xe2\x80\x9cNgày Phụ nữ Việt Nam 20/10\xe2\x80\x9d");

	i18n_english();
	assert_int_equal(run(f), 0);
	assert_entry(&f->warns, "activities", "annual report without an "
	    "activity for action_month or vn_womens_day");
	a->female = 1200;
	assert_only_error(f, "activities[1].female",
	    "1200 women among 85 participants");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_valid),
		T(test_id),
		T(test_uuid),
		T(test_unit_code),
		T(test_unit_lookup),
		T(test_unit_lookup_null),
		T(test_period),
		T(test_reporter),
		T(test_activity_codes),
		T(test_other_year),
		T(test_outputs),
		T(test_plan),
		T(test_no_female_share),
		T(test_activity_dates),
		T(test_activity_sessions),
		T(test_activity_counts),
		T(test_done_coverage),
		T(test_done_across_coverage),
		T(test_placeholders),
		T(test_done_with_nothing),
		T(test_warn_planned_past),
		T(test_all_errors_at_once),
		T(test_late_elsewhere),
		T(test_done_after_today),
		T(test_planned),
		T(test_texts),
		T(test_narrative),
		T(test_too_many),
		T(test_indicators),
		T(test_cross_rules),
		T(test_all_at_once),
		T(test_errors_overflow),
		T(test_warn_occasion),
		T(test_warn_late),
		T(test_warn_annual),
		T(test_text_utf8),
		/* Last: it changes the language of the process. */
		T(test_messages_vietnamese),
#undef T
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
