/*
 * fuzz_form: a form file as form_parse reads it, in gpd's forms directory
 * or as gp-client gets it from gpd. A form that reads must be one the
 * validation can stand on: its canonical bytes read back to the same
 * bytes and SHA-256 (what gp-client does with a served form), it compares
 * to itself unchanged, every entry is found by its code, codes are codes
 * and labels one line of text, period dates are ordered, bounds between
 * indicators end, occasions' windows answer for any activity. A form that
 * does not read says why, in lines that name the file and are one line of
 * valid UTF-8 each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "form.h"
#include "period.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_NAME	"fuzz.json"

static void
fuzz_cause(char *cause)
{
	char	*line, *next;
	size_t	 n = 0;

	CHECK(cause != NULL && cause[0] != '\0');
	for (line = cause; line != NULL; line = next, n++) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		check_line(line);
		CHECK(strncmp(line, FUZZ_NAME ": ", strlen(FUZZ_NAME) + 2) ==
		    0 || (next == NULL && strncmp(line, "and ", 4) == 0));
	}
	CHECK(n <= FORM_ERRORS_MAX + 1);
}

static void
fuzz_code(const char *s)
{
	size_t	i;

	CHECK(s != NULL && s[0] != '\0' && strlen(s) <= FORM_MAX_CODE);
	for (i = 0; s[i] != '\0'; i++)
		CHECK((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_');
}

static void
fuzz_label(const char *s, size_t max)
{
	CHECK(s != NULL && s[0] != '\0' && strlen(s) <= max);
	check_line(s);
}

static void
fuzz_entry(const struct form *f, int list, const struct form_entry *e,
    size_t i)
{
	const struct form_entry	*b;
	size_t			 k;
	int32_t			 days, start;

	CHECK(e->index == i);
	fuzz_code(e->code);
	fuzz_label(e->label, FORM_MAX_LABEL);
	if (e->hint != NULL)
		fuzz_label(e->hint, FORM_MAX_LABEL);
	CHECK(form_find(f, list, e->code) == e);
	CHECK(strcmp(form_label(f, list, e->code), e->label) == 0);

	switch (list) {
	case FORM_INDICATORS:
		/* A bound is an indicator of the form, and a chain of them
		 * ends. */
		for (b = e->not_more_than, k = 0; b != NULL;
		    b = b->not_more_than, k++) {
			CHECK(k < form_count(f, FORM_INDICATORS));
			CHECK(form_at(f, FORM_INDICATORS, b->index) == b);
			CHECK(b != e);
		}
		break;
	case FORM_OCCASIONS:
		CHECK(e->slack_before >= 0 && e->slack_before <= FORM_SLACK_MAX);
		CHECK(e->slack_after >= 0 && e->slack_after <= FORM_SLACK_MAX);
		if (!e->has_window) {
			CHECK(form_occasion_far(e, 0, 0, &days) == 0);
			break;
		}
		/* On its first day, never far; a day each month of the year,
		 * far at most half a year and a window away. */
		start = date_from_ymd(form_year(f), e->from_month, e->from_day);
		CHECK(form_occasion_far(e, start, start, &days) == 0);
		for (k = 0; k < 24; k++) {
			start = date_from_ymd(form_year(f), 1 + (int)k / 2,
			    k % 2 ? 28 : 1);
			days = -1;
			if (form_occasion_far(e, start, start, &days))
				CHECK(days > 0 && days <= 366);
		}
		break;
	case FORM_SECTIONS:
		CHECK(e->periods != 0);
		CHECK((e->periods & ~(FORM_PERIOD_BIT(PERIOD_HALF) |
		    FORM_PERIOD_BIT(PERIOD_YEAR))) == 0);
		CHECK(e->nfields >= 1 && e->nfields <= FORM_MAX_ENTRIES);
		for (k = 0; k < e->nfields; k++) {
			CHECK(e->fields[k].index == k);
			fuzz_code(e->fields[k].code);
			fuzz_label(e->fields[k].label, FORM_MAX_LABEL);
			CHECK(form_field(e, e->fields[k].code) ==
			    &e->fields[k]);
		}
		break;
	default:
		break;
	}
}

static void
fuzz_period(const struct form *f, int kind)
{
	const struct form_period	*p = form_period(f, kind);
	size_t				 i;
	int				 y, m, d;

	CHECK(p != NULL && p->kind == kind);
	fuzz_label(p->label, FORM_MAX_LABEL);
	CHECK(p->from <= p->to && p->to <= p->due);
	CHECK(p->to <= p->planned_until);
	date_to_ymd(p->to, &y, &m, &d);
	CHECK(y == form_year(f));
	for (i = 0; i < p->nexpect; i++)
		CHECK(form_at(f, FORM_OCCASIONS, p->expect[i]->index) ==
		    p->expect[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form		*f = NULL, *again = NULL;
	struct form_change	*changes = NULL;
	const char		*canon, *canon2;
	char			*cause = NULL;
	size_t			 len, len2, n = 1, i;
	int			 list;

	if (form_parse(FUZZ_NAME, data, size, &f, &cause) == -1) {
		CHECK(f == NULL);
		fuzz_cause(cause);
		free(cause);
		return 0;
	}
	CHECK(f != NULL && cause == NULL);
	CHECK(form_year(f) >= FORM_YEAR_MIN && form_year(f) <= FORM_YEAR_MAX);
	fuzz_label(form_title(f), FORM_MAX_TITLE);

	/* Served and read back: the same form. */
	canon = form_canonical(f, &len);
	CHECK(strlen(canon) == len);
	CHECK(form_parse("served", canon, len, &again, &cause) == 0);
	canon2 = form_canonical(again, &len2);
	CHECK(len2 == len && memcmp(canon, canon2, len) == 0);
	CHECK(memcmp(form_sha256(f), form_sha256(again), FORM_SHA256_LEN) ==
	    0);
	CHECK(strlen(form_sha256_hex(f)) == 2 * FORM_SHA256_LEN);
	CHECK(form_compare(f, again, &changes, &n) == 0);
	CHECK(n == 0 && changes == NULL);
	form_free(again);

	for (list = 0; list < FORM_LIST_COUNT; list++) {
		CHECK(form_count(f, list) <= FORM_MAX_ENTRIES);
		for (i = 0; i < form_count(f, list); i++)
			fuzz_entry(f, list, form_at(f, list, i), i);
		CHECK(form_at(f, list, i) == NULL);
	}
	CHECK(form_count(f, FORM_STATUSES) == 2);
	CHECK(form_find(f, FORM_STATUSES, "done") != NULL);
	CHECK(form_find(f, FORM_STATUSES, "planned") != NULL);
	fuzz_period(f, PERIOD_HALF);
	fuzz_period(f, PERIOD_YEAR);
	CHECK(form_period(f, PERIOD_HALF)->to < form_period(f,
	    PERIOD_YEAR)->to);
	form_free(f);
	return 0;
}
