/*
 * Unit tests for proto/report_diff.c: what changed between two revisions,
 * field by field, in words a clerk can follow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "report_diff.h"
#include "text.h"

static char *
xstrdup(const char *s)
{
	char	*p;

	assert_non_null(p = strdup(s));
	return p;
}

static void
set(char **field, const char *s)
{
	free(*field);
	*field = s != NULL ? xstrdup(s) : NULL;
}

static struct report *
sample(void)
{
	struct report		*r;
	struct report_activity	*a;
	size_t			 i;

	assert_non_null(r = report_new());
	r->id = xstrdup("0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a");
	r->unit = xstrdup("lc-tamduong");
	r->period = xstrdup("2022-H1");
	r->reporter_name = xstrdup("Nguyễn Thị Hoa");
	assert_non_null(r->activities = calloc(3, sizeof(*a)));
	r->nactivities = 2;
	for (i = 0; i < 2; i++) {
		a = &r->activities[i];
		a->area = xstrdup("policy_dissemination");
		a->kind = xstrdup("propaganda");
		a->occasion = xstrdup("none");
		a->status = xstrdup("done");
		a->date = xstrdup(i == 0 ? "2022-03-01" : "2022-04-01");
		a->title = xstrdup(i == 0 ? "Tuyên truyền Luật Bình đẳng giới" :
		    "Hội thi tìm hiểu pháp luật");
		a->sessions = 1;
		a->participants = 40;
		a->female = 30;
	}
	assert_non_null(r->narrative = calloc(2, sizeof(*r->narrative)));
	r->nnarrative = 1;
	r->narrative[0].code = xstrdup("results");
	r->narrative[0].text = xstrdup("Hoàn thành kế hoạch đề ra trong kỳ "
	    "báo cáo, với sự tham gia tích cực của các cấp công đoàn cơ sở "
	    "trên địa bàn huyện. Tổ chức 12 buổi tuyên truyền.");
	return r;
}

static const struct report_change *
find(const struct report_changes *c, const char *field)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->c[i].field, field) == 0)
			return &c->c[i];
	for (i = 0; i < c->n; i++)
		print_message("have %s: '%s' -> '%s'\n", c->c[i].field,
		    c->c[i].before, c->c[i].after);
	fail_msg("no change of %s", field);
	return NULL;
}

static void
test_same(void **state)
{
	struct report		*a = sample(), *b = sample();
	struct report_changes	 c;

	(void)state;
	report_diff(a, b, &c);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.more, 0);
	/* Absent and empty text are the same. */
	set(&b->reporter_position, "");
	report_diff(a, b, &c);
	assert_int_equal(c.n, 0);
	report_free(a);
	report_free(b);
}

static void
test_fields(void **state)
{
	struct report		*a = sample(), *b = sample();
	struct report_changes	 c;
	const struct report_change *ch;

	(void)state;
	set(&b->activities[0].date, "2022-03-08");
	set(&b->activities[1].title, "Hội thi tìm hiểu Luật Bình đẳng giới");
	b->activities[1].participants = 45;
	set(&b->reporter_phone, "0213 3875 123");
	report_diff(a, b, &c);
	assert_int_equal(c.n, 4);
	ch = find(&c, "activities[0].date");
	assert_string_equal(ch->before, "2022-03-01");
	assert_string_equal(ch->after, "2022-03-08");
	ch = find(&c, "activities[1].title");
	assert_string_equal(ch->before, "Hội thi tìm hiểu pháp luật");
	assert_string_equal(ch->after, "Hội thi tìm hiểu Luật Bình đẳng giới");
	ch = find(&c, "activities[1].participants");
	assert_string_equal(ch->before, "40");
	assert_string_equal(ch->after, "45");
	ch = find(&c, "reporter.phone");
	assert_false(ch->has_before);
	assert_true(ch->has_after);
	report_free(a);
	report_free(b);
}

static void
test_added_removed(void **state)
{
	struct report		*a = sample(), *b = sample();
	struct report_changes	 c;
	const struct report_change *ch;

	(void)state;
	b->nactivities = 1;
	report_diff(a, b, &c);
	ch = find(&c, "activities[1]");
	assert_true(ch->has_before);
	assert_false(ch->has_after);
	assert_string_equal(ch->before, "Hội thi tìm hiểu pháp luật");
	report_diff(b, a, &c);
	ch = find(&c, "activities[1]");
	assert_false(ch->has_before);
	assert_string_equal(ch->after, "Hội thi tìm hiểu pháp luật");
	b->nactivities = 2;
	/* A narrative text added. */
	b->narrative[1].code = xstrdup("difficulties");
	b->narrative[1].text = xstrdup("Địa bàn rộng.");
	b->nnarrative = 2;
	report_diff(a, b, &c);
	ch = find(&c, "narrative.difficulties");
	assert_false(ch->has_before);
	assert_string_equal(ch->after, "Địa bàn rộng.");
	report_free(a);
	report_free(b);
}

/* A long text: a few words around its first difference, in whole
 * characters, on one line. */
static void
test_long_text(void **state)
{
	struct report		*a = sample(), *b = sample();
	struct report_changes	 c;
	const struct report_change *ch;
	size_t			 at;
	uint32_t		 cp;

	(void)state;
	set(&b->narrative[0].text, "Hoàn thành kế hoạch đề ra trong kỳ báo "
	    "cáo, với sự tham gia tích cực của các cấp công đoàn cơ sở trên "
	    "địa bàn huyện.\nTổ chức 14 buổi tuyên truyền.");
	report_diff(a, b, &c);
	assert_int_equal(c.n, 1);
	ch = find(&c, "narrative.results");
	assert_non_null(strstr(ch->before, "12 buổi"));
	assert_non_null(strstr(ch->after, "14 buổi"));
	assert_non_null(strstr(ch->after, "huyện. Tổ chức"));
	assert_int_equal(strncmp(ch->before, "\xe2\x80\xa6", 3), 0);
	assert_true(strlen(ch->before) <= REPORT_DIFF_TEXT + 6);
	assert_int_equal(text_check(ch->before, strlen(ch->before), 0, &at,
	    &cp), TEXT_OK);
	assert_int_equal(text_check(ch->after, strlen(ch->after), 0, &at,
	    &cp), TEXT_OK);
	report_free(a);
	report_free(b);
}

static void
test_many(void **state)
{
	struct report		*a = sample(), *b;
	struct report_changes	 c;
	struct report_activity	*v;
	size_t			 i;

	(void)state;
	assert_non_null(b = report_new());
	assert_non_null(b->activities = calloc(60, sizeof(*v)));
	for (i = 0; i < 60; i++) {
		v = &b->activities[i];
		v->title = xstrdup("Hoạt động");
		v->date = xstrdup("2022-03-01");
	}
	b->nactivities = 60;
	report_diff(a, b, &c);
	assert_int_equal(c.n, REPORT_DIFF_MAX);
	assert_true(c.more > 0);
	report_free(a);
	report_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_added_removed),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
