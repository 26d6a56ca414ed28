/*
 * Unit tests for proto/report_json.c: JSON to report and back, every field
 * error by name, the syntax jansson refuses, bounds, files and templates.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "form.h"
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"

/* Sample files, relative to the top of the tree where make runs tests. */
#ifndef GP_TEST_DATA
#define GP_TEST_DATA	"tests/data"
#endif

/* The forms: built-in 2022, and tests/data/forms/2023.json. */
static struct form_set	*forms;

/* "Hội nghị" with the ộ decomposed: o, combining dot below, circumflex. */
#define NFD_HOI_NGHI	"Ho\xcc\xa3\xcc\x82" "i nghi\xcc\xa3"

static const char full_json[] =
    "{\n"
    "  \"id\": \"3f1c2a9e-7b4d-4e21-9a6f-0c8d5e2b7a10\",\n"
    "  \"unit\": \"lc-tamduong\",\n"
    "  \"period\": \"2022-H1\",\n"
    "  \"plan\": {\"number\": \"05/KH-LĐLĐ\", \"date\": \"2022-03-01\"},\n"
    "  \"reporter\": {\"name\": \"Lò Thị Hương\",\n"
    "    \"position\": \"Phó Chủ tịch LĐLĐ huyện Tam Đường\",\n"
    "    \"phone\": \"0213 3875 214\"},\n"
    "  \"activities\": [\n"
    "    {\"area\": \"communication_training\", \"kind\": \"seminar\",\n"
    "     \"occasion\": \"womens_day\", \"status\": \"done\",\n"
    "     \"date\": \"2022-03-08\",\n"
    "     \"title\": \"Hội nghị tuyên truyền Luật Bình đẳng giới\",\n"
    "     \"location\": \"Hội trường LĐLĐ huyện Tam Đường\",\n"
    "     \"sessions\": 1, \"participants\": 120, \"female\": 80},\n"
    "    {\"area\": 5, \"kind\": \"training\", \"occasion\": \"none\",\n"
    "     \"status\": \"planned\", \"date\": \"2022-05-20\",\n"
    "     \"end_date\": \"2022-05-22\",\n"
    "     \"title\": \"" NFD_HOI_NGHI " bồi dưỡng cán bộ nữ\",\n"
    "     \"location\": \"Trung tâm Chính trị huyện\",\n"
    "     \"sessions\": 3, \"participants\": 45, \"female\": 45,\n"
    "     \"notes\": \"Dòng 1\\nDòng 2\\t– “ngoặc kép”\"},\n"
    "    {\"area\": \"policy_dissemination\", \"kind\": \"media\",\n"
    "     \"occasion\": \"none\", \"status\": \"done\",\n"
    "     \"audience\": \"members\", \"topic\": \"both\",\n"
    "     \"date\": \"2022-04-01\", \"title\": \"Tin bài tuyên truyền\",\n"
    "     \"sessions\": 0, \"participants\": 0, \"female\": 0,\n"
    "     \"outputs\": {\"leaflets\": 1500, \"articles\": 12}}\n"
    "  ],\n"
    "  \"indicators\": {\n"
    "    \"gbv_cases_detected\": {\"total\": 4, \"female\": 4},\n"
    "    \"members\": {\"total\": 1200, \"female\": 700},\n"
    "    \"inspections\": {\"total\": 2}\n"
    "  },\n"
    "  \"narrative\": {\"results\": \"Kết quả: đạt 100% kế hoạch.\",\n"
    "    \"advantages\": \"Thuận lợi\", \"difficulties\": \"Khó khăn\",\n"
    "    \"obstacles\": \"Vướng mắc\", \"proposals\": \"Đề xuất\",\n"
    "    \"next_tasks\": \"Phương hướng kỳ tới\"},\n"
    "  \"law_review\": {\"results\": \"15 năm thi hành Luật\",\n"
    "    \"proposals\": \"Sửa đổi Điều 11\"}\n"
    "}\n";

static struct report *
read_ok(const char *text)
{
	struct report		*r = NULL;
	struct report_errors	 errs = { 0 };
	char			 cause[256] = "unset";
	size_t			 i;

	if (report_json_read(text, strlen(text), forms, &r, &errs, cause,
	    sizeof(cause)) == -1) {
		fprintf(stderr, "cause: %s\n", cause);
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s: %s\n", errs.e[i].field,
			    errs.e[i].message);
		fail();
	}
	assert_non_null(r);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cause, "");
	return r;
}

/* Expects field errors (no cause) and no report. */
static void
read_errs(const char *text, struct report_errors *errs)
{
	/* Any non-NULL value: a refusal must leave *out NULL. */
	struct report	*r = (struct report *)&r;
	char		 cause[256] = "unset";

	memset(errs, 0, sizeof(*errs));
	assert_int_equal(report_json_read(text, strlen(text), forms, &r, errs, cause,
	    sizeof(cause)), -1);
	assert_null(r);
	assert_string_equal(cause, "");
	assert_true(errs->n > 0);
}

/* Expects a refusal with no field errors; returns the cause. */
static void
read_cause(const char *text, size_t len, char *cause, size_t causelen)
{
	struct report		*r = (struct report *)&r;	/* as above */
	struct report_errors	 errs = { 0 };

	assert_int_equal(report_json_read(text, len, forms, &r, &errs, cause,
	    causelen), -1);
	assert_null(r);
	assert_int_equal(errs.n, 0);
	assert_true(cause[0] != '\0');
}

static const struct report_error *
find_error(const struct report_errors *errs, const char *field)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->e[i].field, field) == 0)
			return &errs->e[i];
	return NULL;
}

static void
assert_error(const struct report_errors *errs, const char *field,
    const char *message)
{
	const struct report_error	*e;
	size_t				 i;

	if ((e = find_error(errs, field)) == NULL) {
		for (i = 0; i < errs->n; i++)
			fprintf(stderr, "have %s: %s\n", errs->e[i].field,
			    errs->e[i].message);
		fprintf(stderr, "want %s: %s\n", field, message);
		fail();
	}
	assert_string_equal(e->message, message);
}

static void
assert_text_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_texts_equal(const struct report_text *a, size_t na,
    const struct report_text *b, size_t nb)
{
	size_t	i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_text_equal(a[i].code, b[i].code);
		assert_text_equal(a[i].text, b[i].text);
	}
}

static void
assert_reports_equal(const struct report *a, const struct report *b)
{
	const struct report_activity	*x, *y;
	size_t				 i, k;

	assert_text_equal(a->id, b->id);
	assert_text_equal(a->unit, b->unit);
	assert_text_equal(a->period, b->period);
	assert_text_equal(a->reporter_name, b->reporter_name);
	assert_text_equal(a->reporter_position, b->reporter_position);
	assert_text_equal(a->reporter_phone, b->reporter_phone);
	assert_text_equal(a->plan_number, b->plan_number);
	assert_text_equal(a->plan_date, b->plan_date);
	assert_int_equal(a->nactivities, b->nactivities);
	for (i = 0; i < a->nactivities; i++) {
		x = &a->activities[i];
		y = &b->activities[i];
		assert_text_equal(x->area, y->area);
		assert_text_equal(x->kind, y->kind);
		assert_text_equal(x->occasion, y->occasion);
		assert_text_equal(x->status, y->status);
		assert_text_equal(x->audience, y->audience);
		assert_text_equal(x->topic, y->topic);
		assert_text_equal(x->date, y->date);
		assert_text_equal(x->end_date, y->end_date);
		assert_text_equal(x->title, y->title);
		assert_text_equal(x->location, y->location);
		assert_int_equal(x->sessions, y->sessions);
		assert_int_equal(x->participants, y->participants);
		assert_int_equal(x->female, y->female);
		assert_int_equal(x->noutputs, y->noutputs);
		for (k = 0; k < x->noutputs; k++) {
			assert_text_equal(x->outputs[k].code,
			    y->outputs[k].code);
			assert_int_equal(x->outputs[k].count,
			    y->outputs[k].count);
		}
		assert_text_equal(x->notes, y->notes);
	}
	assert_int_equal(a->nindicators, b->nindicators);
	for (i = 0; i < a->nindicators; i++) {
		assert_text_equal(a->indicators[i].code, b->indicators[i].code);
		assert_int_equal(a->indicators[i].total,
		    b->indicators[i].total);
		assert_int_equal(a->indicators[i].female,
		    b->indicators[i].female);
		assert_int_equal(a->indicators[i].has_female,
		    b->indicators[i].has_female);
	}
	assert_texts_equal(a->narrative, a->nnarrative, b->narrative,
	    b->nnarrative);
	assert_int_equal(a->nsections, b->nsections);
	for (i = 0; i < a->nsections; i++) {
		assert_text_equal(a->sections[i].code, b->sections[i].code);
		assert_texts_equal(a->sections[i].fields,
		    a->sections[i].nfields, b->sections[i].fields,
		    b->sections[i].nfields);
	}
}

/* Reads, writes and reads again; the second must equal the first. */
static void
assert_round_trip(const struct report *r)
{
	struct report	*back;
	char		*text;

	assert_non_null(text = report_json_write(r, NULL));
	back = read_ok(text);
	assert_reports_equal(r, back);
	report_free(back);
	free(text);
}

static void
test_read_full(void **state)
{
	struct report			*r;
	const struct report_activity	*a;

	(void)state;
	r = read_ok(full_json);
	assert_string_equal(r->id, "3f1c2a9e-7b4d-4e21-9a6f-0c8d5e2b7a10");
	assert_string_equal(r->unit, "lc-tamduong");
	assert_string_equal(r->period, "2022-H1");
	assert_string_equal(r->plan_number, "05/KH-LĐLĐ");
	assert_string_equal(r->plan_date, "2022-03-01");
	assert_string_equal(r->reporter_name, "Lò Thị Hương");
	assert_string_equal(r->reporter_position,
	    "Phó Chủ tịch LĐLĐ huyện Tam Đường");
	assert_string_equal(r->reporter_phone, "0213 3875 214");

	assert_int_equal(r->nactivities, 3);
	a = &r->activities[0];
	assert_string_equal(a->area, "communication_training");
	assert_string_equal(a->kind, "seminar");
	assert_string_equal(a->occasion, "womens_day");
	assert_string_equal(a->status, "done");
	assert_null(a->audience);
	assert_null(a->topic);
	assert_string_equal(a->date, "2022-03-08");
	assert_null(a->end_date);
	assert_string_equal(a->title,
	    "Hội nghị tuyên truyền Luật Bình đẳng giới");
	assert_string_equal(a->location, "Hội trường LĐLĐ huyện Tam Đường");
	assert_int_equal(a->sessions, 1);
	assert_int_equal(a->participants, 120);
	assert_int_equal(a->female, 80);
	assert_int_equal(a->noutputs, 0);
	assert_null(a->notes);

	a = &r->activities[1];
	/* Given as 5: the fifth area of the 2022 form. */
	assert_string_equal(a->area, "female_cadres");
	assert_int_equal(a->area_number, 0);
	assert_string_equal(a->kind, "training");
	assert_string_equal(a->occasion, "none");
	assert_string_equal(a->status, "planned");
	assert_string_equal(a->date, "2022-05-20");
	assert_string_equal(a->end_date, "2022-05-22");
	/* Decomposed marks are kept as sent, byte for byte. */
	assert_memory_equal(a->title, NFD_HOI_NGHI " bồi dưỡng cán bộ nữ",
	    sizeof(NFD_HOI_NGHI " bồi dưỡng cán bộ nữ"));
	assert_string_equal(a->location, "Trung tâm Chính trị huyện");
	assert_int_equal(a->sessions, 3);
	assert_int_equal(a->participants, 45);
	assert_int_equal(a->female, 45);
	assert_string_equal(a->notes, "Dòng 1\nDòng 2\t– “ngoặc kép”");

	a = &r->activities[2];
	assert_string_equal(a->kind, "media");
	assert_string_equal(a->audience, "members");
	assert_string_equal(a->topic, "both");
	assert_int_equal(a->noutputs, 2);
	assert_string_equal(a->outputs[0].code, "leaflets");
	assert_int_equal(a->outputs[0].count, 1500);
	assert_string_equal(a->outputs[1].code, "articles");
	assert_int_equal(a->outputs[1].count, 12);

	/* In the order given; a women's figure only where one is given. */
	assert_int_equal(r->nindicators, 3);
	assert_string_equal(r->indicators[0].code, "gbv_cases_detected");
	assert_int_equal(r->indicators[0].total, 4);
	assert_int_equal(r->indicators[0].female, 4);
	assert_true(r->indicators[0].has_female);
	assert_string_equal(r->indicators[1].code, "members");
	assert_int_equal(r->indicators[1].total, 1200);
	assert_int_equal(r->indicators[1].female, 700);
	assert_string_equal(r->indicators[2].code, "inspections");
	assert_int_equal(r->indicators[2].total, 2);
	assert_int_equal(r->indicators[2].female, 0);
	assert_false(r->indicators[2].has_female);

	assert_int_equal(r->nnarrative, 6);
	assert_string_equal(r->narrative[0].code, "results");
	assert_string_equal(r->narrative[0].text,
	    "Kết quả: đạt 100% kế hoạch.");
	assert_string_equal(r->narrative[1].code, "advantages");
	assert_string_equal(r->narrative[1].text, "Thuận lợi");
	assert_string_equal(r->narrative[5].code, "next_tasks");
	assert_string_equal(r->narrative[5].text, "Phương hướng kỳ tới");
	/* A section is a key of the report whose value is an object. */
	assert_int_equal(r->nsections, 1);
	assert_string_equal(r->sections[0].code, "law_review");
	assert_int_equal(r->sections[0].nfields, 2);
	assert_string_equal(r->sections[0].fields[0].code, "results");
	assert_string_equal(r->sections[0].fields[0].text,
	    "15 năm thi hành Luật");
	assert_string_equal(r->sections[0].fields[1].code, "proposals");
	assert_string_equal(r->sections[0].fields[1].text, "Sửa đổi Điều 11");
	report_free(r);
}
static void
test_read_minimal(void **state)
{
	struct report	*r;

	(void)state;
	/* Absent and null mean the same; the validator asks for what is
	 * required. */
	r = read_ok("{\"unit\": \"lc-sinho\", \"id\": null}");
	assert_string_equal(r->unit, "lc-sinho");
	assert_null(r->id);
	assert_null(r->period);
	assert_null(r->reporter_name);
	assert_int_equal(r->nactivities, 0);
	assert_null(r->activities);
	assert_int_equal(r->nindicators, 0);
	assert_int_equal(r->nnarrative, 0);
	report_free(r);

	r = read_ok("{\"activities\": [], \"indicators\": {}, "
	    "\"narrative\": {\"results\": \"\", \"advantages\": null}}");
	assert_int_equal(r->nactivities, 0);
	assert_int_equal(r->nindicators, 0);
	assert_int_equal(r->nnarrative, 1);
	assert_string_equal(r->narrative[0].text, "");
	report_free(r);
}

static void
test_area_by_number_and_name(void **state)
{
	static const char *const names[] = {
		"policy_dissemination", "strategy_implementation",
		"communication_training", "gender_law_review",
		"female_cadres", "inspection", "dv_law_dissemination"
	};
	struct report		*r;
	struct report_errors	 errs;
	char			 text[160];
	int			 i;

	(void)state;
	for (i = 1; i <= 7; i++) {
		/* The 2023 form has a seventh area. */
		snprintf(text, sizeof(text), "{\"period\": \"%s\", "
		    "\"activities\": [{\"area\": %d}, {\"area\": \"%s\"}, "
		    "{\"area\": %d.0}]}", i < 7 ? "2022-H1" : "2023", i,
		    names[i - 1], i);
		r = read_ok(text);
		assert_int_equal(r->nactivities, 3);
		assert_string_equal(r->activities[0].area, names[i - 1]);
		assert_string_equal(r->activities[1].area, names[i - 1]);
		assert_string_equal(r->activities[2].area, names[i - 1]);
		report_free(r);
	}

	/* A number is a place in the period's form. */
	read_errs("{\"period\": \"2022-H1\", \"activities\": [{\"area\": 7},"
	    " {\"area\": 0}, {\"area\": 2.5}, {\"area\": true}]}", &errs);
	assert_int_equal(errs.n, 4);
	assert_error(&errs, "activities[0].area", "no area 7 in the 2022 form "
	    "(1 to 6)");
	assert_error(&errs, "activities[1].area", "must be a code or a whole "
	    "number from 1");
	assert_error(&errs, "activities[2].area", "must be a code or a whole "
	    "number from 1");
	assert_error(&errs, "activities[3].area", "must be a string or a "
	    "number from 1");
	read_errs("{\"period\": \"2031\", \"activities\": [{\"area\": 1}]}",
	    &errs);
	assert_error(&errs, "activities[0].area", "a number needs the form of "
	    "the report's period; give the area's code");
	read_errs("{\"activities\": [{\"area\": 1}]}", &errs);
	assert_int_equal(errs.n, 1);
}
static void
test_whole_numbers(void **state)
{
	struct report		*r;
	struct report_errors	 errs;

	(void)state;
	/* The bounds, and a real without fraction, are taken. */
	r = read_ok("{\"activities\": [{\"sessions\": 0, "
	    "\"participants\": 10000000, \"female\": 80.0}]}");
	assert_int_equal(r->activities[0].sessions, 0);
	assert_int_equal(r->activities[0].participants, 10000000);
	assert_int_equal(r->activities[0].female, 80);
	report_free(r);

	read_errs("{\"activities\": [{\"sessions\": -1, "
	    "\"participants\": 10000001, \"female\": 1.5}, "
	    "{\"sessions\": \"2\", \"participants\": true, "
	    "\"female\": 9223372036854775807}, {\"female\": -0.5, "
	    "\"participants\": 1e300, \"sessions\": null}]}", &errs);
	assert_int_equal(errs.n, 9);
	assert_error(&errs, "activities[0].sessions",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[0].participants",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[0].female",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[1].sessions", "must be a whole number");
	assert_error(&errs, "activities[1].participants",
	    "must be a whole number");
	assert_error(&errs, "activities[1].female",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[2].female",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[2].participants",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "activities[2].sessions", "must be a whole number");

	read_errs("{\"indicators\": {\"members\": {\"total\": -5, "
	    "\"female\": \"700\"}}}", &errs);
	assert_int_equal(errs.n, 2);
	assert_error(&errs, "indicators.members.total",
	    "must be a whole number from 0 to 10000000");
	assert_error(&errs, "indicators.members.female",
	    "must be a whole number");
}

static void
test_wrong_types(void **state)
{
	struct report_errors	errs;

	(void)state;
	read_errs("{\"id\": 5, \"unit\": [\"lc-tp\"], \"period\": 2022, "
	    "\"reporter\": {\"name\": {}, \"position\": false, \"phone\": 98},"
	    " \"activities\": [{\"date\": 20220308, \"end_date\": true, "
	    "\"title\": 1, \"location\": [], \"notes\": 2, \"kind\": 3, "
	    "\"occasion\": null, \"status\": true, \"area\": false}, 7], "
	    "\"narrative\": {\"results\": 1}, "
	    "\"law_review\": {\"proposals\": []}, \"plan\": {\"date\": 1}}",
	    &errs);
	assert_error(&errs, "id", "must be a string");
	assert_error(&errs, "unit", "must be a string");
	assert_error(&errs, "period", "must be a string");
	assert_error(&errs, "reporter.name", "must be a string");
	assert_error(&errs, "reporter.position", "must be a string");
	assert_error(&errs, "reporter.phone", "must be a string");
	assert_error(&errs, "activities[0].date", "must be a string");
	assert_error(&errs, "activities[0].end_date", "must be a string");
	assert_error(&errs, "activities[0].title", "must be a string");
	assert_error(&errs, "activities[0].location", "must be a string");
	assert_error(&errs, "activities[0].notes", "must be a string");
	assert_error(&errs, "activities[0].kind", "must be a string");
	/* null is absent, as for any field. */
	assert_null(find_error(&errs, "activities[0].occasion"));
	assert_error(&errs, "activities[0].status", "must be a string");
	assert_error(&errs, "activities[0].area",
	    "must be a string or a number from 1");
	assert_error(&errs, "activities[1]", "must be an object");
	assert_error(&errs, "narrative.results", "must be a string");
	assert_error(&errs, "law_review.proposals", "must be a string");
	assert_error(&errs, "plan.date", "must be a string");
	assert_int_equal(errs.n, 18);

	/* A key that is not an object is no section. */
	read_errs("{\"reporter\": \"Lò Thị Hương\", \"activities\": {}, "
	    "\"indicators\": 3, \"narrative\": [], \"law_review\": \"x\", "
	    "\"plan\": \"05/KH\", \"activities_2\": [],"
	    " \"law_review_2\": {\"results\": 1}}", &errs);
	assert_int_equal(errs.n, 8);
	assert_error(&errs, "reporter", "must be an object");
	assert_error(&errs, "activities", "must be an array");
	assert_error(&errs, "indicators", "must be an object or an array");
	assert_error(&errs, "narrative", "must be an object");
	assert_error(&errs, "law_review", "unknown field");
	assert_error(&errs, "plan", "must be an object");
	assert_error(&errs, "activities_2", "unknown field");
	assert_error(&errs, "law_review_2.results", "must be a string");

	read_errs("{\"indicators\": {\"members\": 1200}}", &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "indicators.members", "must be an object");
}

static void
test_unknown_fields(void **state)
{
	struct report		*r;
	struct report_errors	errs;

	(void)state;
	read_errs("{\"unit\": \"lc-tp\", \"units\": \"lc-tp\", "
	    "\"reporter\": {\"email\": \"a@b\"}, "
	    "\"activities\": [{}, {\"colour\": \"red\", \"area\": \"x\"}], "
	    "\"indicators\": {\"members\": {\"total\": 1, \"male\": 1}}, "
	    "\"plan\": {\"signed\": \"x\"}, \"form\": {}, \"sections\": {}}",
	    &errs);
	assert_int_equal(errs.n, 7);
	/* In the order the file has them. */
	assert_string_equal(errs.e[0].field, "units");
	assert_string_equal(errs.e[1].field, "reporter.email");
	assert_string_equal(errs.e[2].field, "activities[1].colour");
	assert_string_equal(errs.e[3].field, "indicators.members.male");
	assert_string_equal(errs.e[4].field, "plan.signed");
	/* Kept for later, never sections. */
	assert_string_equal(errs.e[5].field, "form");
	assert_string_equal(errs.e[6].field, "sections");
	assert_string_equal(errs.e[0].message, "unknown field");

	read_errs("{\"indicators\": [{\"code\": \"members\", \"men\": 3}]}",
	    &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "indicators[0].men", "unknown field");

	/* Narrative texts and sections are the form's to judge: read as
	 * they are, refused by the validator. */
	r = read_ok("{\"narrative\": {\"summary\": \"x\"}, "
	    "\"law_review\": {\"next_tasks\": \"x\"}, \"naratives\": {}}");
	assert_int_equal(r->nnarrative, 1);
	assert_string_equal(r->narrative[0].code, "summary");
	assert_int_equal(r->nsections, 2);
	assert_string_equal(r->sections[0].fields[0].code, "next_tasks");
	assert_string_equal(r->sections[1].code, "naratives");
	report_free(r);
}
/* Codes are kept as written; only the validator knows the form's. */
static void
test_codes_kept(void **state)
{
	struct report	*r;

	(void)state;
	r = read_ok("{\"activities\": [{\"kind\": \"xyz\", \"occasion\": "
	    "\"Womens_Day\", \"status\": \"đã xong\", \"area\": \"areas\"}], "
	    "\"indicators\": {\"women\": {\"total\": 1}}}");
	assert_string_equal(r->activities[0].kind, "xyz");
	assert_string_equal(r->activities[0].occasion, "Womens_Day");
	assert_string_equal(r->activities[0].status, "đã xong");
	assert_string_equal(r->activities[0].area, "areas");
	assert_string_equal(r->indicators[0].code, "women");
	report_free(r);
}
static void
test_indicator_rows(void **state)
{
	struct report_errors	 errs;

	(void)state;
	read_errs("{\"indicators\": [{\"code\": \"women\"}, {\"total\": 1}, "
	    "{\"code\": 3}, 4]}", &errs);
	assert_int_equal(errs.n, 3);
	assert_error(&errs, "indicators[1].code", "required");
	assert_error(&errs, "indicators[2].code", "must be a string");
	assert_error(&errs, "indicators[3]", "must be an object");
}
static void
test_indicators_array_form(void **state)
{
	struct report		*r;
	struct report_errors	 errs;
	char			*text;

	(void)state;
	r = read_ok("{\"indicators\": [{\"code\": \"inspections\", "
	    "\"total\": 3}, {\"female\": 700, \"total\": 1200, "
	    "\"code\": \"members\"}]}");
	assert_int_equal(r->nindicators, 2);
	assert_string_equal(r->indicators[0].code, "inspections");
	assert_int_equal(r->indicators[0].total, 3);
	assert_false(r->indicators[0].has_female);
	assert_string_equal(r->indicators[1].code, "members");
	assert_int_equal(r->indicators[1].total, 1200);
	assert_int_equal(r->indicators[1].female, 700);
	/* Written back as the object form, same order. */
	assert_non_null(text = report_json_write(r, NULL));
	assert_non_null(strstr(text, "\"indicators\": {"));
	assert_true(strstr(text, "\"inspections\"") <
	    strstr(text, "\"members\""));
	assert_round_trip(r);
	free(text);
	report_free(r);

	/* The object form cannot say a code twice, so neither may this. */
	read_errs("{\"indicators\": [{\"code\": \"members\"}, "
	    "{\"code\": \"members\", \"total\": 1}]}", &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "indicators[1].code", "indicator given twice");
}

static void
test_many_errors_at_once(void **state)
{
	struct report_errors	errs;

	(void)state;
	read_errs("{\"unit\": \"lc-tamduong\",\n"
	    " \"reporter\": {\"name\": 1},\n"
	    " \"activities\": [{\"area\": \"communication_training\"},\n"
	    "   {\"kind\": \"seminar\"},\n"
	    "   {\"participants\": -3, \"kind\": \"party\"}],\n"
	    " \"indicators\": {\"members\": {\"female\": 1.25}},\n"
	    " \"narrative\": {\"results\": false},\n"
	    " \"extra\": 1}\n", &errs);
	assert_int_equal(errs.n, 5);
	assert_int_equal(errs.dropped, 0);
	assert_string_equal(errs.e[0].field, "reporter.name");
	assert_string_equal(errs.e[1].field, "activities[2].participants");
	assert_string_equal(errs.e[2].field, "indicators.members.female");
	assert_string_equal(errs.e[3].field, "narrative.results");
	assert_string_equal(errs.e[4].field, "extra");
}

static void
test_errors_past_the_list(void **state)
{
	struct report_errors	 errs;
	char			*text, *p;
	int			 i;

	(void)state;
	assert_non_null(text = malloc(150 * 16 + 16));
	p = text;
	*p++ = '{';
	for (i = 0; i < 150; i++)
		p += sprintf(p, "%s\"x%d\": 1", i ? ", " : "", i);
	strcpy(p, "}");
	read_errs(text, &errs);
	assert_int_equal(errs.n, REPORT_ERRORS_MAX);
	assert_int_equal(errs.dropped, 150 - REPORT_ERRORS_MAX);
	free(text);
}

/* What a peer wrote is shown cut, at a character, without controls. */
/* What a peer wrote is shown cut, at a character, without controls. */
static void
test_shown_text_is_bounded(void **state)
{
	struct report_errors	 errs;
	char			 text[1024], key[128];
	size_t			 i;

	(void)state;
	key[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(key, "đ");
	strcat(key, "\\u001b[2J");
	snprintf(text, sizeof(text), "{\"%s\": 1, \"reporter\": {\"%s\": 2},"
	    " \"activities\": [{\"%s\": 3}]}", key, key, key);
	read_errs(text, &errs);
	assert_int_equal(errs.n, 3);
	for (i = 0; i < errs.n; i++) {
		assert_int_equal(validate_text(errs.e[i].field,
		    strlen(errs.e[i].field), 0), 0);
		assert_int_equal(validate_text(errs.e[i].message,
		    strlen(errs.e[i].message), 0), 0);
	}
	assert_true(strncmp(errs.e[0].field, "đđđ", 6) == 0);
	assert_non_null(strstr(errs.e[0].field, "..."));
	assert_true(strncmp(errs.e[1].field, "reporter.đđđ", 15) == 0);
	assert_true(strncmp(errs.e[2].field, "activities[0].đđđ", 20) == 0);

	snprintf(text, sizeof(text), "{\"activities\": [{\"k\\u0007b\\nc\": "
	    "1}]}");
	read_errs(text, &errs);
	assert_error(&errs, "activities[0].k?b?c", "unknown field");
}
static void
test_syntax_error(void **state)
{
	char	cause[256];

	(void)state;
	read_cause("{\n  \"unit\": \"lc-tp\",\n  \"period\" \"2022-H1\"\n}",
	    strlen("{\n  \"unit\": \"lc-tp\",\n  \"period\" \"2022-H1\"\n}"),
	    cause, sizeof(cause));
	assert_true(strncmp(cause, "line 3 column ", 14) == 0);
	assert_non_null(strstr(cause, "':' expected"));

	read_cause("", 0, cause, sizeof(cause));
	assert_true(strncmp(cause, "line ", 5) == 0);
	read_cause(NULL, 0, cause, sizeof(cause));
	read_cause("{} {}", 5, cause, sizeof(cause));
	assert_non_null(strstr(cause, "end of file expected"));

	/* A report is an object, never a bare value or array. */
	read_cause("[]", 2, cause, sizeof(cause));
	assert_string_equal(cause, "the report must be a JSON object");
	read_cause("\"x\"", 3, cause, sizeof(cause));

	/* A cause that does not fit is cut, not overrun. */
	memset(cause, 'z', sizeof(cause));
	read_cause("{", 1, cause, 8);
	assert_int_equal(strlen(cause), 7);
	assert_int_equal(cause[8], 'z');
}

static void
test_duplicate_keys(void **state)
{
	char	cause[256];
	char	text[] = "{\"unit\": \"lc-tp\", \"activities\": "
	    "[{\"female\": 1, \"female\": 200}]}";
	char	text2[] = "{\"unit\": \"a\",\n\"unit\": \"b\"}";

	(void)state;
	read_cause(text, strlen(text), cause, sizeof(cause));
	assert_true(strncmp(cause, "line 1 column ", 14) == 0);
	assert_non_null(strstr(cause, "duplicate object key"));
	read_cause(text2, strlen(text2), cause, sizeof(cause));
	assert_true(strncmp(cause, "line 2 column ", 14) == 0);
}

static void
test_nul_refused(void **state)
{
	char	cause[256];
	char	escaped[] = "{\"unit\": \"lc-tp\\u0000evil\"}";
	char	raw[] = "{\"unit\": \"lc-tp\0evil\"}";
	char	key[] = "{\"un\\u0000it\": \"lc-tp\"}";

	(void)state;
	read_cause(escaped, strlen(escaped), cause, sizeof(cause));
	assert_true(strncmp(cause, "line 1 column ", 14) == 0);
	read_cause(raw, sizeof(raw) - 1, cause, sizeof(cause));
	read_cause(key, strlen(key), cause, sizeof(cause));
}

static void
test_invalid_utf8_refused(void **state)
{
	static const char *const bad[] = {
		"{\"unit\": \"L\xe0 Ch\xe2u\"}",	/* Latin-1 */
		"{\"unit\": \"\xc0\xaf\"}",		/* overlong */
		"{\"unit\": \"\xed\xa0\x80\"}",	/* surrogate */
		"{\"unit\": \"\xe1\xba\"}",		/* cut short */
		"{\"unit\": \"\\ud800\"}",		/* lone surrogate */
		"{\"\xff\": 1}",			/* in a key */
	};
	char	cause[256];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		read_cause(bad[i], strlen(bad[i]), cause, sizeof(cause));
		assert_true(strncmp(cause, "line 1 column ", 14) == 0);
		/* The cause itself stays printable UTF-8. */
		assert_int_equal(validate_text(cause, strlen(cause), 0), 0);
	}
}

/* open, then n items between commas, each under a key "kN" when keyed,
 * then close. */
static char *
json_of_n(const char *open, const char *item, size_t n, int keyed,
    const char *close)
{
	char	*text, *p;
	size_t	 i, len;

	len = strlen(open) + n * (strlen(item) + 32) + strlen(close) + 1;
	assert_non_null(text = malloc(len));
	p = text + sprintf(text, "%s", open);
	for (i = 0; i < n; i++) {
		if (i > 0)
			p += sprintf(p, ", ");
		if (keyed)
			p += sprintf(p, "\"k%zu\": ", i);
		p += sprintf(p, "%s", item);
	}
	strcpy(p, close);
	return text;
}

static void
test_oversize_arrays(void **state)
{
	struct report		*r;
	struct report_errors	 errs;
	char			*text;

	(void)state;
	text = json_of_n("{\"activities\": [", "{}", REPORT_MAX_ACTIVITIES, 0,
	    "]}");
	r = read_ok(text);
	assert_int_equal(r->nactivities, REPORT_MAX_ACTIVITIES);
	report_free(r);
	free(text);

	text = json_of_n("{\"activities\": [", "{}",
	    REPORT_MAX_ACTIVITIES + 1, 0, "]}");
	read_errs(text, &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "activities", "at most 1000 activities, not 1001");
	free(text);

	/* 33 rows, all of one code: refused for their number, before the
	 * duplicates are looked at. */
	text = json_of_n("{\"indicators\": [", "{\"code\": \"members\"}",
	    REPORT_MAX_INDICATORS + 1, 0, "]}");
	read_errs(text, &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "indicators", "at most 64 indicators, not 65");
	free(text);

	text = json_of_n("{\"indicators\": {", "{}",
	    REPORT_MAX_INDICATORS + 1, 1, "}}");
	read_errs(text, &errs);
	assert_int_equal(errs.n, 1);
	assert_error(&errs, "indicators", "at most 64 indicators, not 65");
	free(text);

	text = json_of_n("{\"narrative\": {", "\"x\"", REPORT_MAX_TEXTS + 1,
	    1, "}}");
	read_errs(text, &errs);
	assert_error(&errs, "narrative", "at most 64 texts, not 65");
	free(text);
	text = json_of_n("{\"activities\": [{\"outputs\": {", "1",
	    REPORT_MAX_OUTPUTS + 1, 1, "}}]}");
	read_errs(text, &errs);
	assert_error(&errs, "activities[0].outputs", "at most 64 output "
	    "counts, not 65");
	free(text);
	text = json_of_n("{", "{}", REPORT_MAX_SECTIONS + 1, 1, "}");
	read_errs(text, &errs);
	assert_error(&errs, "sections", "at most 64 sections, not 65");
	free(text);
}

static void
test_too_long_text(void **state)
{
	char	cause[256];

	(void)state;
	/* The length is checked before jansson sees a byte. */
	read_cause("{}", (size_t)REPORT_JSON_MAX + 1, cause, sizeof(cause));
	assert_string_equal(cause, "larger than 4 MiB");
}

static void
test_write_round_trip(void **state)
{
	struct report	*r;
	char		*text;

	(void)state;
	r = read_ok(full_json);
	assert_non_null(text = report_json_write(r, NULL));
	/* Readable Vietnamese, not \u escapes; the area by name. */
	assert_non_null(strstr(text, "\"name\": \"Lò Thị Hương\""));
	assert_non_null(strstr(text, NFD_HOI_NGHI));
	assert_null(strstr(text, "\\u"));
	assert_non_null(strstr(text, "\"area\": \"female_cadres\""));
	assert_non_null(strstr(text, "\n  \"unit\": \"lc-tamduong\","));
	assert_non_null(strstr(text, "\"notes\": \"Dòng 1\\nDòng 2\\t"));
	assert_int_equal(text[strlen(text) - 1], '\n');
	/* Key order follows the model. */
	assert_true(strstr(text, "\"id\"") < strstr(text, "\"unit\""));
	assert_true(strstr(text, "\"unit\"") < strstr(text, "\"period\""));
	assert_true(strstr(text, "\"activities\"") <
	    strstr(text, "\"indicators\""));
	assert_true(strstr(text, "\"narrative\"") <
	    strstr(text, "\"law_review\""));
	assert_non_null(strstr(text, "\"outputs\": {\n        \"leaflets\": "
	    "1500,\n        \"articles\": 12\n      }"));
	/* No women's figure where none was given. */
	assert_non_null(strstr(text, "\"inspections\": {\n      \"total\": 2\n"
	    "    }"));
	free(text);
	assert_round_trip(r);

	/* Absent optional fields are left out, not written as null. */
	free(r->id);
	r->id = NULL;
	free(r->plan_number);
	r->plan_number = NULL;
	free(r->plan_date);
	r->plan_date = NULL;
	r->nsections = 0;
	assert_non_null(text = report_json_write(r, NULL));
	assert_null(strstr(text, "\"id\""));
	assert_null(strstr(text, "null"));
	assert_null(strstr(text, "law_review"));
	assert_null(strstr(text, "\"plan\""));
	r->nsections = 1;
	/* Only the second activity has an end date. */
	assert_ptr_equal(strstr(text, "\"end_date\""),
	    strstr(strstr(text, "\"planned\""), "\"end_date\""));
	free(text);
	assert_round_trip(r);
	report_free(r);

	/* In the form's order, whatever the report's. */
	r = read_ok("{\"narrative\": {\"next_tasks\": \"b\", \"zz\": \"c\", "
	    "\"results\": \"a\"}}");
	assert_non_null(text = report_json_write(r, form_set_year(forms,
	    2022)));
	assert_non_null(strstr(text, "\"results\": \"a\",\n    \"next_tasks\": "
	    "\"b\",\n    \"zz\": \"c\""));
	free(text);
	report_free(r);

	/* An empty report writes and reads back empty. */
	assert_non_null(r = report_new());
	assert_non_null(text = report_json_write(r, NULL));
	assert_string_equal(text,
	    "{\n  \"activities\": [],\n  \"indicators\": {}\n}\n");
	free(text);
	assert_round_trip(r);
	report_free(r);
}

static void
test_write_what_json_cannot_hold(void **state)
{
	struct report	*r;
	char		*text;

	(void)state;
	r = read_ok(full_json);
	r->activities[0].female = (uint64_t)INT64_MAX + 1;
	assert_null(report_json_write(r, NULL));
	r->activities[0].female = 80;
	/* A server's text that is not UTF-8: each bad byte is U+FFFD. */
	free(r->unit);
	assert_non_null(r->unit = strdup("L\xe0"));
	assert_non_null(text = report_json_write(r, NULL));
	assert_non_null(strstr(text, "\"unit\": \"L\xef\xbf\xbd\""));
	free(text);
	/* Nor its codes, which are keys: written the same way, never
	 * taken for a lack of memory. */
	assert_true(r->nindicators > 0 && r->nnarrative > 0 &&
	    r->nsections > 0 && r->sections[0].nfields > 0);
	free(r->indicators[0].code);
	assert_non_null(r->indicators[0].code = strdup("i\xe0"));
	free(r->narrative[0].code);
	assert_non_null(r->narrative[0].code = strdup("n\xe0"));
	free(r->sections[0].code);
	assert_non_null(r->sections[0].code = strdup("s\xe0"));
	free(r->sections[0].fields[0].code);
	assert_non_null(r->sections[0].fields[0].code = strdup("f\xe0"));
	assert_non_null(text = report_json_write(r, NULL));
	assert_non_null(strstr(text, "\"i\xef\xbf\xbd\": {"));
	assert_non_null(strstr(text, "\"n\xef\xbf\xbd\": \""));
	assert_non_null(strstr(text, "\"s\xef\xbf\xbd\": {"));
	assert_non_null(strstr(text, "\"f\xef\xbf\xbd\": \""));
	free(text);
	report_free(r);
}

static int32_t
day(const char *s)
{
	int32_t	d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

/*
 * The template as generated, once it has the id the client derives from
 * its content, is refused for its placeholders only: every text the unit
 * must write is named (the reporter, the plan, each example activity's
 * title and place, each narrative text and section field), and the one
 * other error is the empty output counts of its media example. No
 * warning: a unit that replaces the words meets nothing it did not
 * cause.
 */
static void
assert_template_placeholders(struct report *r, const char *due)
{
	struct validate_context	ctx = { 0 };
	struct report_errors	errs = { 0 }, warns = { 0 };
	char			field[REPORT_FIELD_MAX];
	size_t			i, k, named;

	ctx.forms = forms;
	ctx.today = day(due);
	assert_int_equal(report_derive_id(r), 0);
	assert_int_equal(validate_report(r, &ctx, NULL, &errs, &warns), -1);
	for (i = 0; i < errs.n; i++)
		if (strstr(errs.e[i].message, "still the template's") == NULL &&
		    strstr(errs.e[i].message, "no output counts") == NULL)
			fail_msg("error %s: %s", errs.e[i].field,
			    errs.e[i].message);
	for (i = 0; i < warns.n; i++)
		fail_msg("warning %s: %s", warns.e[i].field,
		    warns.e[i].message);
	for (i = 0; i < r->nactivities; i++) {
		snprintf(field, sizeof(field), "activities[%zu].title", i);
		for (k = 0, named = 0; k < errs.n; k++)
			named += strcmp(errs.e[k].field, field) == 0;
		assert_int_equal(named, 1);
	}
	for (i = 0; i < r->nnarrative; i++) {
		snprintf(field, sizeof(field), "narrative.%s",
		    r->narrative[i].code);
		for (k = 0, named = 0; k < errs.n; k++)
			named += strcmp(errs.e[k].field, field) == 0;
		assert_int_equal(named, 1);
	}
	for (k = 0, named = 0; k < errs.n; k++)
		named += strcmp(errs.e[k].field, "reporter.name") == 0 ||
		    strcmp(errs.e[k].field, "plan.number") == 0;
	assert_int_equal(named, 2);
	free(r->id);
	r->id = NULL;
}

/* Everything of the form, its hints as the text. */
static void
assert_template_complete(const struct report *r, const char *unit,
    const char *period)
{
	const struct form		*f;
	const struct form_entry		*e;
	const struct report_activity	*a;
	struct period			 p;
	char				*cause = NULL;
	size_t				 i, nareas;

	assert_int_equal(form_set_period(forms, period, &f, &p, &cause), 0);
	assert_null(r->id);
	assert_string_equal(r->unit, unit);
	assert_string_equal(r->period, period);
	assert_true(r->reporter_name != NULL && r->reporter_name[0] != '\0');
	assert_true(r->reporter_position != NULL &&
	    r->reporter_position[0] != '\0');
	assert_true(r->reporter_phone != NULL && r->reporter_phone[0] != '\0');
	assert_non_null(r->plan_number);
	nareas = form_count(f, FORM_AREAS);
	/* One activity an area, and one of the media kind. */
	assert_int_equal(r->nactivities, nareas + 1);
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		e = form_at(f, FORM_AREAS, i < nareas ? i : 0);
		assert_string_equal(a->area, e->code);
		assert_non_null(form_find(f, FORM_KINDS, a->kind));
		assert_non_null(form_find(f, FORM_OCCASIONS, a->occasion));
		assert_string_equal(a->status, "done");
		assert_non_null(a->date);
		assert_null(a->end_date);
		assert_non_null(a->title);
		if (i < nareas)
			assert_non_null(strstr(a->title, e->label));
		assert_true(a->location != NULL && a->location[0] != '\0');
		assert_int_equal(a->participants, 0);
		assert_int_equal(a->female, 0);
		assert_null(a->notes);
	}
	assert_string_equal(r->activities[nareas].kind, "media");
	assert_int_equal(r->activities[nareas].noutputs,
	    form_count(f, FORM_OUTPUTS));
	assert_int_equal(r->nindicators, form_count(f, FORM_INDICATORS));
	for (i = 0; i < r->nindicators; i++) {
		e = form_at(f, FORM_INDICATORS, i);
		assert_string_equal(r->indicators[i].code, e->code);
		assert_int_equal(r->indicators[i].total, 0);
		assert_int_equal(r->indicators[i].has_female, e->female_share);
	}
	assert_int_equal(r->nnarrative, form_count(f, FORM_NARRATIVE));
	for (i = 0; i < r->nnarrative; i++)
		assert_string_equal(r->narrative[i].text,
		    form_at(f, FORM_NARRATIVE, i)->hint);
}

static void
test_template_half(void **state)
{
	struct report		*r;
	char			*cause = NULL;

	(void)state;
	assert_non_null(r = report_template("lc-tamduong", "2022-H1", forms,
	    &cause));
	assert_template_complete(r, "lc-tamduong", "2022-H1");
	assert_string_equal(r->activities[0].date, "2021-12-08");
	assert_string_equal(r->activities[0].occasion, "none");
	/* The law review, with its hints. */
	assert_int_equal(r->nsections, 1);
	assert_string_equal(r->sections[0].code, "law_review");
	assert_int_equal(r->sections[0].nfields, 5);
	assert_string_equal(r->sections[0].fields[4].text,
	    "(Đề xuất sửa đổi, bổ sung Luật Bình đẳng giới)");
	assert_template_placeholders(r, "2022-06-10");
	assert_round_trip(r);
	report_free(r);
}

static void
test_template_year(void **state)
{
	struct report		*r;
	char			*cause = NULL;

	(void)state;
	assert_non_null(r = report_template("lc-nganh-giaoduc", "2022",
	    forms, &cause));
	assert_template_complete(r, "lc-nganh-giaoduc", "2022");
	/* The annual report expects the action month: on its first day. */
	assert_string_equal(r->activities[5].date, "2022-11-15");
	assert_string_equal(r->activities[5].occasion, "action_month");
	assert_template_placeholders(r, "2022-12-05");
	assert_round_trip(r);
	report_free(r);
}

/* Another year's form: its areas, its dates, no law review. */
static void
test_template_other_year(void **state)
{
	struct report		*r;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	assert_non_null(r = report_template("lc-tp", "2023-H1", forms,
	    &cause));
	assert_template_complete(r, "lc-tp", "2023-H1");
	assert_string_equal(r->activities[6].area, "dv_law_dissemination");
	assert_int_equal(r->nsections, 0);
	for (i = 0; i < r->nactivities; i++) {
		assert_true(day(r->activities[i].date) >= day("2022-12-01"));
		assert_true(day(r->activities[i].date) <= day("2023-05-31"));
	}
	assert_template_placeholders(r, "2023-06-10");
	report_free(r);

	assert_null(report_template("lc-tp", "2022-H2", forms, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(report_template("lc-tp", "2031", forms, &cause));
	assert_string_equal(cause, "no form for 2031; the forms known are "
	    "2022, 2023");
	free(cause);
}

static char *
temp_file(const char *content, size_t len)
{
	char	*path;
	FILE	*fp;
	int	 fd;

	assert_non_null(path = strdup("/tmp/test_report_json.XXXXXX"));
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "wb"));
	assert_int_equal(fwrite(content, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
test_read_file(void **state)
{
	struct report		*r;
	struct report_errors	 errs = { 0 };
	char			 cause[512], want[512];
	char			*path, *big;

	(void)state;
	path = temp_file(full_json, strlen(full_json));
	assert_int_equal(report_json_read_file(path, forms, &r, &errs, cause,
	    sizeof(cause)), 0);
	assert_string_equal(r->unit, "lc-tamduong");
	report_free(r);

	/* "-" is standard input. */
	assert_non_null(freopen(path, "rb", stdin));
	assert_int_equal(report_json_read_file("-", forms, &r, &errs, cause,
	    sizeof(cause)), 0);
	assert_string_equal(r->reporter_name, "Lò Thị Hương");
	report_free(r);
	unlink(path);
	free(path);

	assert_int_equal(report_json_read_file("/nonexistent/r.json", forms, &r,
	    &errs, cause, sizeof(cause)), -1);
	assert_null(r);
	assert_string_equal(cause, "/nonexistent/r.json: No such file or "
	    "directory");
	assert_int_equal(report_json_read_file("/tmp", forms, &r, &errs, cause,
	    sizeof(cause)), -1);
	assert_string_equal(cause, "/tmp: Is a directory");

	/* Syntax errors name the file. */
	path = temp_file("{\n\"unit\": }", 11);
	assert_int_equal(report_json_read_file(path, forms, &r, &errs, cause,
	    sizeof(cause)), -1);
	snprintf(want, sizeof(want), "%s: line 2 column ", path);
	assert_true(strncmp(cause, want, strlen(want)) == 0);
	unlink(path);
	free(path);

	/* Exactly the limit is read; one byte more is refused. */
	assert_non_null(big = malloc(REPORT_JSON_MAX + 1));
	memset(big, ' ', REPORT_JSON_MAX + 1);
	big[0] = '{';
	big[REPORT_JSON_MAX - 1] = '}';
	path = temp_file(big, REPORT_JSON_MAX);
	assert_int_equal(report_json_read_file(path, forms, &r, &errs, cause,
	    sizeof(cause)), 0);
	report_free(r);
	unlink(path);
	free(path);
	path = temp_file(big, REPORT_JSON_MAX + 1);
	assert_int_equal(report_json_read_file(path, forms, &r, &errs, cause,
	    sizeof(cause)), -1);
	assert_null(r);
	snprintf(want, sizeof(want), "%s: larger than 4 MiB", path);
	assert_string_equal(cause, want);
	unlink(path);
	free(path);
	free(big);
	assert_int_equal(errs.n, 0);
}

/* The samples the demo and end-to-end tests submit. */
static struct report *
read_sample(const char *name)
{
	struct report		*r = NULL;
	struct report_errors	 errs = { 0 };
	char			 path[256], cause[512];

	snprintf(path, sizeof(path), "%s/%s", GP_TEST_DATA, name);
	if (report_json_read_file(path, forms, &r, &errs, cause,
	    sizeof(cause)) == -1) {
		fprintf(stderr, "%s: %s (%zu field errors)\n", path, cause,
		    errs.n);
		fail();
	}
	return r;
}

static void
sample_validate(struct report *r, struct report_errors *errs,
    struct report_errors *warns)
{
	struct validate_context	ctx = { 0 };

	ctx.forms = forms;
	ctx.today = day("2022-06-10");
	memset(errs, 0, sizeof(*errs));
	memset(warns, 0, sizeof(*warns));
	assert_null(r->id);
	assert_int_equal(report_derive_id(r), 0);
	validate_report(r, &ctx, NULL, errs, warns);
}

static void
test_samples(void **state)
{
	static const char *const units[] = {
		"lc-tamduong", "lc-sinho", "lc-nganh-giaoduc"
	};
	/* The ids gp-client derived before report forms
	 * (tests/data/legacy/gp.db): the same files keep them. */
	static const char *const ids[] = {
		"8c3c86ec-668e-8ca9-968a-ad6c164f2e08",
		"69aaf3b6-46e0-83d2-9b42-bf03449606d3",
		"581a119a-59a8-8ce8-8bd1-97db9abee680"
	};
	struct report		*r;
	struct report_errors	 errs, warns;
	char			 name[64];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		snprintf(name, sizeof(name), "%s-2022-H1.json", units[i]);
		r = read_sample(name);
		assert_string_equal(r->unit, units[i]);
		assert_string_equal(r->period, "2022-H1");
		assert_true(r->nactivities >= 5);
		assert_int_equal(r->nindicators, 10);
		assert_string_equal(r->narrative[0].code, "results");
		sample_validate(r, &errs, &warns);
		assert_string_equal(r->id, ids[i]);
		for (k = 0; k < errs.n; k++)
			fprintf(stderr, "%s: %s: %s\n", name, errs.e[k].field,
			    errs.e[k].message);
		assert_int_equal(errs.n, 0);
		/* They give women among GBV cases, which the 2022 form
		 * counts without: kept, said. */
		assert_int_equal(warns.n, 2);
		assert_string_equal(warns.e[0].field,
		    "indicators.gbv_cases_detected.female");
		assert_string_equal(warns.e[1].field,
		    "indicators.gbv_cases_handled.female");
		free(r->id);
		r->id = NULL;
		assert_round_trip(r);
		report_free(r);
	}

	r = read_sample("invalid-report.json");
	sample_validate(r, &errs, &warns);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.e[0].field, "activities[1].female");
	assert_string_equal(errs.e[1].field, "narrative.results");
	report_free(r);
}

static int
group_setup(void **state)
{
	char	*cause = NULL;

	(void)state;
	if (form_set_load(GP_TEST_DATA "/forms", &forms, &cause) == -1) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	form_set_free(forms);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_full),
		cmocka_unit_test(test_read_minimal),
		cmocka_unit_test(test_area_by_number_and_name),
		cmocka_unit_test(test_whole_numbers),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_codes_kept),
		cmocka_unit_test(test_indicator_rows),
		cmocka_unit_test(test_indicators_array_form),
		cmocka_unit_test(test_many_errors_at_once),
		cmocka_unit_test(test_errors_past_the_list),
		cmocka_unit_test(test_shown_text_is_bounded),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_invalid_utf8_refused),
		cmocka_unit_test(test_oversize_arrays),
		cmocka_unit_test(test_too_long_text),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_write_what_json_cannot_hold),
		cmocka_unit_test(test_template_half),
		cmocka_unit_test(test_template_year),
		cmocka_unit_test(test_template_other_year),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_samples),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
