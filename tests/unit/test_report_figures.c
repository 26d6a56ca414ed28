/*
 * Unit tests for report/data.c (reading the report data: every error
 * names its field, bounds hold) and report/figures.c (the report's
 * figures: done apart from planned, per area, per unit, women only where
 * the form has a share, the previous year matched by code, highlights).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "data.h"
#include "figures.h"

#define FORM \
	"\"form\": {\"year\": 2022," \
	" \"areas\": [{\"code\": \"policy\", \"label\": \"Tuyên truyền\"}," \
	"  {\"code\": \"training\", \"label\": \"Tập huấn\"}," \
	"  {\"code\": \"new_area\", \"label\": \"Nội dung mới\"}]," \
	" \"kinds\": [{\"code\": \"talk\", \"label\": \"Nói chuyện\"}]," \
	" \"occasions\": [{\"code\": \"none\", \"label\": \"Thường xuyên\"}]," \
	" \"indicators\": [{\"code\": \"members\", \"label\": \"Đoàn viên\"," \
	"   \"female_share\": true}," \
	"  {\"code\": \"inspections\", \"label\": \"Cuộc kiểm tra\"}]," \
	" \"narrative\": [{\"code\": \"results\", \"label\": \"Kết quả\"}]," \
	" \"sections\": [{\"code\": \"law_review\", \"label\": \"Luật\"," \
	"   \"fields\": [{\"code\": \"results\", \"label\": \"Kết quả\"}]}]," \
	" \"media\": [{\"code\": \"articles\", \"label\": \"tin, bài\"}]}"

#define HEADER \
	"{\"gp_report_data\": 1, \"period\": {\"id\": \"2022-H1\"," \
	" \"kind\": \"H1\", \"year\": 2022, \"due\": \"2022-06-10\"}," \
	" \"previous\": {\"id\": \"2021-H1\", \"kind\": \"H1\", \"year\": 2021," \
	"  \"form\": {\"year\": 2021," \
	"   \"areas\": [{\"code\": \"training\", \"label\": \"Tập huấn\"}," \
	"    {\"code\": \"gone\", \"label\": \"Bỏ\"}]," \
	"   \"kinds\": [{\"code\": \"talk\", \"label\": \"Nói chuyện\"}]," \
	"   \"indicators\": [{\"code\": \"members\", \"label\": \"Đoàn viên\"," \
	"     \"female_share\": true}]}}," \
	FORM "}\n"

#define ACT(area, status, p, f) \
	"{\"area\": \"" area "\", \"kind\": \"talk\", \"status\": \"" status \
	"\", \"date\": \"2022-03-08\", \"title\": \"T\", \"sessions\": 2," \
	" \"participants\": " #p ", \"female\": " #f "}"

static const char data_ok[] = HEADER
	"{\"unit\": {\"code\": \"a\", \"name\": \"Đơn vị A\","
	" \"submission\": \"on_time\", \"submitted\": \"2022-06-08T09:00:00+07:00\","
	" \"review\": \"accepted\", \"report\": {\"activities\": ["
	ACT("policy", "done", 100, 60) ","
	ACT("policy", "planned", 50, 30) ","
	ACT("training", "done", 40, 40) ","
	"{\"area\": \"policy\", \"kind\": \"talk\", \"status\": \"done\","
	" \"date\": \"2022-01-10\", \"title\": \"Tin\", \"sessions\": 1,"
	" \"participants\": 0, \"female\": 0, \"media\": {\"articles\": 12}}],"
	" \"indicators\": {\"members\": {\"total\": 100, \"female\": 40},"
	"  \"inspections\": {\"total\": 3, \"female\": 2}},"
	" \"narrative\": {\"results\": \"Tốt\"},"
	" \"law_review\": {\"results\": \"Đã tổng kết\"}, \"plan\": \"ignored\"}}}\n"
	"{\"unit\": {\"code\": \"b\", \"name\": \"Đơn vị B\","
	" \"submission\": \"late\", \"submitted\": \"2022-06-14T09:00:00+07:00\","
	" \"report\": {\"activities\": ["
	ACT("policy", "done", 300, 100) ","
	ACT("policy", "done", 100, 90) "],"
	" \"indicators\": {\"members\": {\"total\": 50, \"female\": 10}}}}}\n"
	"{\"unit\": {\"code\": \"c\", \"name\": \"Đơn vị C\","
	" \"submission\": \"missing\"}}\n"
	"{\"unit\": {\"code\": \"d\", \"name\": \"Đơn vị D\","
	" \"submission\": \"on_time\", \"submitted\": \"2022-06-01T09:00:00+07:00\","
	" \"review\": \"received\"}}\n"
	"{\"previous_unit\": {\"code\": \"a\", \"name\": \"Đơn vị A\","
	" \"submission\": \"on_time\", \"submitted\": \"2021-06-08T09:00:00+07:00\","
	" \"report\": {\"activities\": ["
	ACT("training", "done", 30, 20) ","
	ACT("gone", "done", 999, 9) "],"
	" \"indicators\": {\"members\": {\"total\": 90, \"female\": 30}}}}}\n";

struct loaded {
	struct data_header	*h;
	struct data_unit	*units[16];
	size_t			 n;
	struct figures		*fig;
};

/* Reads text; returns 0, or -1 with *cause. */
static int
load(const char *text, struct loaded *l, char **cause)
{
	FILE			*f;
	struct data_reader	*r;
	struct data_unit	*u;
	int			 prev, rc = -1;

	memset(l, 0, sizeof(*l));
	*cause = NULL;
	assert_non_null(f = fmemopen((void *)(uintptr_t)text, strlen(text),
	    "r"));
	assert_non_null(r = data_open(f));
	if (data_read_header(r, &l->h, cause) == -1)
		goto done;
	assert_non_null(l->fig = figures_new(&l->h->form, l->h->has_previous ?
	    data_previous_form(l->h) : NULL));
	while ((rc = data_next(r, l->h, &u, &prev, cause)) == 1) {
		if (prev) {
			figures_add_previous(l->fig, u);
			data_unit_free(u);
			continue;
		}
		assert_true(l->n < 16);
		l->units[l->n++] = u;
		assert_int_equal(figures_add_unit(l->fig, u), 0);
	}
done:
	data_close(r);
	fclose(f);
	return rc == 0 ? 0 : -1;
}

static void
unload(struct loaded *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		data_unit_free(l->units[i]);
	figures_free(l->fig);
	data_header_free(l->h);
}

static void
test_figures(void **state)
{
	struct loaded			 l;
	const struct figures		*fig;
	char				*cause;

	(void)state;
	assert_int_equal(load(data_ok, &l, &cause), 0);
	fig = l.fig;
	assert_int_equal(l.n, 4);
	assert_int_equal(fig->on_time, 2);
	assert_int_equal(fig->late, 1);
	assert_int_equal(fig->missing, 1);
	assert_int_equal(fig->excluded, 1);	/* d: reported, no report */
	assert_int_equal(fig->cur.included, 2);

	/* policy: done 100 + 0 (media) + 300 + 100, planned apart. */
	assert_int_equal(fig->cur.areas[0].done.activities, 4);
	assert_int_equal(fig->cur.areas[0].done.sessions, 7);
	assert_int_equal(fig->cur.areas[0].done.participants, 500);
	assert_int_equal(fig->cur.areas[0].done.female, 250);
	assert_int_equal(fig->cur.areas[0].planned.activities, 1);
	assert_int_equal(fig->cur.areas[0].planned.participants, 50);
	assert_int_equal(fig->cur.areas[0].units, 2);
	assert_int_equal(fig->cur.areas[0].media[0], 12);
	assert_int_equal(fig->media[0], 12);
	assert_int_equal(fig->cur.areas[1].done.participants, 40);
	assert_int_equal(fig->cur.areas[2].done.activities, 0);
	assert_int_equal(fig->cur.done.participants, 540);
	assert_int_equal(fig->cur.planned.participants, 50);

	/* Per unit. */
	assert_int_equal(fig->units[0].done.participants, 140);
	assert_int_equal(fig->units[0].planned.participants, 50);
	assert_int_equal(fig->units[1].done.participants, 400);

	/* Women only where the form has a share. */
	assert_int_equal(fig->cur.indicators[0].total, 150);
	assert_int_equal(fig->cur.indicators[0].female, 50);
	assert_int_equal(fig->cur.indicators[0].units, 2);
	assert_int_equal(fig->cur.indicators[1].total, 3);
	assert_int_equal(fig->cur.indicators[1].female, 0);
	assert_int_equal(figures_tenths(50, 150), 333);
	assert_int_equal(figures_tenths(1, 0), -1);

	/* Texts by the form's index; a special section's too. */
	assert_string_equal(l.units[0]->report->narrative[0], "Tốt");
	assert_string_equal(l.units[0]->report->texts[0], "Đã tổng kết");
	assert_int_equal(l.units[0]->review, DATA_ACCEPTED);

	/* The previous year, read with its own form, matched by code. */
	assert_true(fig->has_previous);
	assert_int_equal(fig->prev.included, 1);
	assert_int_equal(fig->prev.areas[1].done.participants, 30);
	assert_int_equal(fig->prev.areas[0].done.participants, 0);
	assert_int_equal(fig->prev_unmatched, 1);
	assert_int_equal(fig->prev.indicators[0].total, 90);
	unload(&l);
}

static void
test_highlights_and_rank(void **state)
{
	struct loaded		l;
	struct figures_pick	p[3];
	size_t			order[4];
	char			*cause;

	(void)state;
	assert_int_equal(load(data_ok, &l, &cause), 0);
	/* policy's done ones: b's 300, then a's and b's 100 (a first: the
	 * earlier unit), never the planned one. */
	assert_int_equal(figures_highlights(l.units, l.n, 0, p, 3), 3);
	assert_int_equal(p[0].unit, 1);
	assert_int_equal(p[0].activity, 0);
	assert_int_equal(p[1].unit, 0);
	assert_int_equal(p[1].activity, 0);
	assert_int_equal(p[2].unit, 1);
	assert_int_equal(p[2].activity, 1);
	assert_int_equal(figures_highlights(l.units, l.n, 2, p, 3), 0);
	assert_int_equal(figures_highlights(l.units, l.n, 0, p, 0), 0);
	figures_rank_units(l.fig, order);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 2);	/* ties: listed order */
	assert_int_equal(order[3], 3);
	unload(&l);
}

/* text fails to load with an error that contains want. */
static void
refused(const char *text, const char *want)
{
	struct loaded	 l;
	char		*cause = NULL;

	assert_int_equal(load(text, &l, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s' does not say '%s'", cause, want);
	free(cause);
	unload(&l);
}

#define UNIT(report) \
	"{\"unit\": {\"code\": \"a\", \"name\": \"A\", \"submission\":" \
	" \"on_time\", \"submitted\": \"2022-06-08T09:00:00+07:00\"," \
	" \"report\": " report "}}\n"

static void
test_errors_name_the_field(void **state)
{
	(void)state;
	refused("", "no header");
	refused("[1]", "not an object");
	refused("{\"unit\": {}}", "not a header");
	refused("{\"gp_report_data\": 2}", "version 2");
	refused("{\"gp_report_data\": 1, \"period\": {\"id\": \"x\", \"kind\":"
	    " \"Q3\", \"year\": 2022}, " FORM "}", "period.kind");
	refused(HEADER UNIT("{\"activities\": [" ACT("policy", "done", 10, 11)
	    "]}"), "units[0].report.activities[0].female: 11 is more than");
	refused(HEADER UNIT("{\"activities\": [" ACT("nope", "done", 10, 1)
	    "]}"), "units[0].report.activities[0].area: 'nope' is not an area");
	refused(HEADER UNIT("{\"activities\": [" ACT("policy", "maybe", 1, 1)
	    "]}"), "units[0].report.activities[0].status");
	refused(HEADER UNIT("{\"activities\": [{\"area\": \"policy\", "
	    "\"kind\": \"talk\", \"status\": \"done\", \"date\": \"2022-02-30\","
	    " \"title\": \"T\"}]}"), "activities[0].date: must be a date");
	refused(HEADER UNIT("{\"indicators\": {\"members\": {\"total\": 5,"
	    " \"female\": 6}}}"), "indicators.members.female: 6 is more");
	refused(HEADER UNIT("{\"indicators\": {\"x\": {\"total\": 5}}}"),
	    "indicators.x: not an indicator");
	refused(HEADER UNIT("{\"indicators\": {\"members\": {\"total\": -1}}}"),
	    "indicators.members.total: -1 is not between");
	refused(HEADER UNIT("{\"indicators\": {\"members\": {\"total\":"
	    " 10000001}}}"), "is not between 0 and 10000000");
	refused(HEADER UNIT("{\"narrative\": {\"results\": \"a\\u0001b\"}}"),
	    "narrative.results: holds a control character");
	/* jansson itself refuses a NUL, with its place. */
	refused(HEADER UNIT("{\"narrative\": {\"results\": \"a\\u0000b\"}}"),
	    "record 2, line 1 column");
	refused(HEADER UNIT("{\"narrative\": {\"other\": \"x\"}}"),
	    "narrative.other: not a field of the form");
	refused(HEADER UNIT("{\"activities\": [{\"area\": \"policy\","
	    " \"kind\": \"talk\", \"status\": \"done\", \"date\": \"2022-03-01\","
	    " \"title\": \"T\", \"media\": {\"pano\": 1}}]}"),
	    "activities[0].media.pano");
	refused(HEADER "{\"unit\": {\"code\": \"A B\", \"name\": \"A\","
	    " \"submission\": \"missing\"}}", "units[0].code");
	refused(HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"A\","
	    " \"submission\": \"late\"}}", "units[0].submitted: missing");
	refused(HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"A\","
	    " \"submission\": \"missing\", \"report\": {}}}",
	    "has not reported has no report");
	refused(HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"A\","
	    " \"submission\": \"missing\"}}\n{\"unit\": {\"code\": \"a\","
	    " \"name\": \"A\", \"submission\": \"missing\"}}",
	    "units[1]: unit 'a' is listed twice");
	refused(HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"A\","
	    " \"submission\": \"missing\", \"name\": \"B\"}}", "duplicate");
	refused(HEADER "{\"other\": 1}", "neither a \"unit\"");
	refused(HEADER "{\"unit\": {\"code\": \"a\"", "record 2, line");
}

static void
test_record_bound(void **state)
{
	/* Past the bound by more than a stdio buffer read ahead. */
	size_t	 n = DATA_MAX_RECORD + 65536, pre;
	char	*text;

	(void)state;
	pre = strlen(HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"");
	assert_non_null(text = malloc(n + 64));
	memcpy(text, HEADER "{\"unit\": {\"code\": \"a\", \"name\": \"", pre);
	memset(text + pre, 'x', n - pre);
	strcpy(text + n, "\"}}\n");
	refused(text, "record 2 is larger than");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_highlights_and_rank),
		cmocka_unit_test(test_errors_name_the_field),
		cmocka_unit_test(test_record_bound)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
