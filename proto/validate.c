/*
 * The report's validation rules, driven by the form of the report's year
 * (form.h). Every rule is checked even after one fails, so that a
 * submitter sees all problems in one round trip; each error and warning
 * names its field the way the JSON spells it ("activities[2].female",
 * "narrative.results", "law_review.proposals").
 *
 * Messages never quote the submitter's text: it may be what is wrong. A
 * code is quoted only when it is a code (a-z, 0-9 and _).
 *
 * Messages are in the reader's language (i18n.h): gpd and every --json
 * run speak English, with codes and ISO dates; in Vietnamese, what the
 * form names is given by its Vietnamese label, dates as 10/6/2022 and
 * numbers as 1.745.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "placeholder.h"
#include "report.h"
#include "text.h"
#include "validate.h"
#include "warning.h"

struct validate_state {
	const struct report		*r;
	const struct validate_context	*ctx;
	struct report_errors		*errs;
	struct report_errors		*warns;		/* may be NULL */
	const struct form		*form;		/* NULL: none found */
	struct period			 period;
	int				 have_period;	/* form is the period's */
};

int
validate_text(const char *s, size_t len, int multiline)
{
	size_t		at;
	uint32_t	cp;

	if (s == NULL)
		return -1;
	return text_check(s, len, multiline, &at, &cp) == TEXT_OK ? 0 : -1;
}

static int
validate_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

int
validate_uuid(const char *s)
{
	size_t	 i;

	if (s == NULL || strlen(s) != REPORT_MAX_ID)
		return -1;
	for (i = 0; i < REPORT_MAX_ID; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
		} else if (!validate_hex((unsigned char)s[i]))
			return -1;
	}
	return 0;
}

int
validate_unit_code(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '\0')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == REPORT_MAX_UNIT)
			return -1;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return -1;
	}
	return 0;
}

int
validate_code(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '\0')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == REPORT_MAX_CODE)
			return -1;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return -1;
	}
	return 0;
}

/*
 * Field names are made for every field checked, and printf's machinery
 * costs more than the check itself: they are put together by hand, cut
 * at REPORT_FIELD_MAX - 1 bytes as snprintf would.
 */
static size_t
validate_put(char field[REPORT_FIELD_MAX], size_t n, const char *s)
{
	while (*s != '\0' && n < REPORT_FIELD_MAX - 1)
		field[n++] = *s++;
	field[n] = '\0';
	return n;
}

static size_t
validate_put_index(char field[REPORT_FIELD_MAX], size_t n, size_t i)
{
	char	digits[24];
	size_t	k = sizeof(digits) - 1;

	digits[k] = '\0';
	do
		digits[--k] = (char)('0' + i % 10);
	while ((i /= 10) > 0 && k > 1);
	digits[--k] = '[';
	n = validate_put(field, n, digits + k);
	return validate_put(field, n, "]");
}

static void
validate_field(char field[REPORT_FIELD_MAX], const char *list, size_t i,
    const char *name)
{
	size_t	n;

	n = validate_put(field, 0, list);
	n = validate_put_index(field, n, i);
	n = validate_put(field, n, ".");
	validate_put(field, n, name);
}

/* "parent.code" when code is a code, "parent[i]" (then ".member") when it
 * is not: a field name never repeats what is not a code. */
static void
validate_keyed(char field[REPORT_FIELD_MAX], const char *parent,
    const char *code, size_t i, const char *member)
{
	size_t	n;

	if (validate_code(code) == 0) {
		n = validate_put(field, 0, parent);
		if (parent[0] != '\0')
			n = validate_put(field, n, ".");
		n = validate_put(field, n, code);
	} else {
		n = validate_put(field, 0, parent[0] != '\0' ? parent :
		    "sections");
		n = validate_put_index(field, n, i);
	}
	if (member != NULL) {
		n = validate_put(field, n, ".");
		validate_put(field, n, member);
	}
}

/* Nothing but spaces: as good as absent for a required text. */
static int
validate_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* A date for a message: 2022-06-10, or 10/6/2022 in Vietnamese. */
static const char *
validate_date(int32_t day, char *buf, size_t len)
{
	char	iso[DATE_LEN + 1];

	date_format(day, iso);
	return i18n_date(buf, len, iso);
}

/* A count for a message: 1745, or 1.745 in Vietnamese. */
static const char *
validate_count(uint64_t n, char *buf, size_t len)
{
	return i18n_int(buf, len, n);
}

/* What the form names, for a message: its code, or in Vietnamese its
 * label as the form writes it (a reader knows the label, not the code). */
static const char *
validate_name(const struct form_entry *e)
{
	if (i18n_vietnamese() && e->label != NULL && e->label[0] != '\0')
		return e->label;
	return e->code;
}

/* The template's words still there: the unit has not written its own. */
static void
validate_placeholder(struct validate_state *st, const char *field,
    int required)
{
	report_errors_add(st->errs, field, "%s", required ?
	    _("still the template's words: write the unit's own") :
	    _("still the template's words: write the unit's own, or delete "
	    "them"));
}

/*
 * A text field: required ones must hold more than spaces; optional ones
 * may be NULL or empty (what an absent wire or JSON string becomes).
 * Neither may be the template's placeholder: fixed (one of placeholder.h's
 * words, or NULL) or the entry's hint or "(label)" (e, or NULL).
 */
static void
validate_text_field(struct validate_state *st, const char *field,
    const char *s, size_t max, int required, int multiline,
    const char *fixed, const struct form_entry *e)
{
	char		 a[I18N_MAX], b[I18N_MAX];
	size_t		 len, at;
	uint32_t	 cp;

	if (s == NULL || s[0] == '\0' || (required && validate_blank(s))) {
		if (required)
			report_errors_add(st->errs, field, "%s", _("required"));
		return;
	}
	if ((fixed != NULL || e != NULL) && placeholder_is(s, fixed, e)) {
		validate_placeholder(st, field, required);
		return;
	}
	len = strlen(s);
	if (len > max) {
		report_errors_add(st->errs, field, _("%s bytes, at most %s"),
		    validate_count(len, a, sizeof(a)),
		    validate_count(max, b, sizeof(b)));
		return;
	}
	switch (text_check(s, len, multiline, &at, &cp)) {
	case TEXT_NOT_UTF8:
		report_errors_add(st->errs, field, _("invalid UTF-8 at byte "
		    "%zu"), at);
		break;
	case TEXT_HAS_CONTROL:
		report_errors_add(st->errs, field, _("control character at "
		    "byte %zu"), at);
		break;
	case TEXT_HAS_INVISIBLE:
		/* Pasted text brings them: zero-width spaces, bidi
		 * controls. The reader would see something else. */
		report_errors_add(st->errs, field, _("invisible character "
		    "U+%04X at byte %zu; delete it (it often comes with text "
		    "copied from a web page or a PDF)"), (unsigned int)cp, at);
		break;
	}
}

static void
validate_string(struct validate_state *st, const char *field, const char *s,
    size_t max, int required, int multiline)
{
	validate_text_field(st, field, s, max, required, multiline, NULL,
	    NULL);
}

/* The singular of a list's name, for messages: "unknown kind 'x'". */
static const char *
validate_what(enum form_list list)
{
	switch (list) {
	case FORM_AREAS:	return C_("form list", "area");
	case FORM_KINDS:	return C_("form list", "kind");
	case FORM_OCCASIONS:	return C_("form list", "occasion");
	case FORM_STATUSES:	return C_("form list", "status");
	case FORM_AUDIENCES:	return C_("form list", "audience");
	case FORM_TOPICS:	return C_("form list", "topic");
	case FORM_OUTPUTS:	return C_("form list", "output");
	case FORM_INDICATORS:	return C_("form list", "indicator");
	case FORM_NARRATIVE:	return C_("form list", "narrative text");
	case FORM_SECTIONS:	return C_("form list", "section");
	default:		return C_("form list", "code");
	}
}

#define VALIDATE_NOT_CODE	N_("not a code (a to z, 0 to 9 and _, 1 to " \
	"%d characters); one of: %.*s")
/* TRANSLATORS: "unknown kind 'talks'; one of: talk, seminar": %s the
 * name of a list of the form (kind), '%s' the code given. */
#define VALIDATE_UNKNOWN	N_("unknown %s '%s'; one of: %.*s")

/*
 * "unknown kind 'xyz'; one of: propaganda, ...": the list of the form is
 * what helps most, cut to fit the message. entries/n: the list (a form's
 * or a section's fields).
 */
static void
validate_unknown(struct validate_state *st, const char *field,
    const char *what, const char *code, const struct form_entry *entries,
    size_t n)
{
	char	list[REPORT_MESSAGE_MAX];
	size_t	i, used;
	int	room;

	list[0] = '\0';
	for (i = 0; i < n; i++) {
		used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s",
		    used > 0 ? ", " : "", entries[i].code);
	}
	if (n == 0) {
		/* TRANSLATORS: %d the form's year, %s what it lacks
		 * ("topic"). */
		report_errors_add(st->errs, field, _("the %d form has no %s"),
		    form_year(st->form), what);
		return;
	}
	/* The list of codes is cut to what room the sentence leaves, in
	 * the reader's language. */
	if (validate_code(code) != 0) {
		room = REPORT_MESSAGE_MAX - 1 - snprintf(NULL, 0,
		    _(VALIDATE_NOT_CODE), REPORT_MAX_CODE, 0, "");
		report_errors_add(st->errs, field, _(VALIDATE_NOT_CODE),
		    REPORT_MAX_CODE, room > 0 ? room : 0, list);
	} else {
		room = REPORT_MESSAGE_MAX - 1 - snprintf(NULL, 0,
		    _(VALIDATE_UNKNOWN), what, code, 0, "");
		report_errors_add(st->errs, field, _(VALIDATE_UNKNOWN), what,
		    code, room > 0 ? room : 0, list);
	}
}

/* A code of a list: required or optional, and one of the form's. */
static const struct form_entry *
validate_entry(struct validate_state *st, const char *field,
    enum form_list list, const char *code, int required)
{
	const struct form_entry	*e;

	if (code == NULL || code[0] == '\0') {
		if (required)
			report_errors_add(st->errs, field, "%s", _("required"));
		return NULL;
	}
	if (st->form == NULL)
		return NULL;
	if ((e = form_find(st->form, list, code)) != NULL)
		return e;
	validate_unknown(st, field, validate_what(list), code,
	    form_at(st->form, list, 0), form_count(st->form, list));
	return NULL;
}

static void
validate_id(struct validate_state *st)
{
	const char	*id = st->r->id;

	if (id == NULL || id[0] == '\0')
		report_errors_add(st->errs, "id", "%s", _("required"));
	else if (validate_uuid(id) == -1)
		report_errors_add(st->errs, "id", "%s",
		    _("not a UUID (want 8-4-4-4-12 hex digits)"));
}

/*
 * A period that is not one still leaves codes and texts to check, so that
 * every error is named in one pass: against the form of the year the
 * period starts with, or the newest. Dates are not judged without the
 * period's.
 */
static void
validate_fallback(struct validate_state *st)
{
	const char	*p = st->r->period;
	size_t		 n;
	int		 year = 0, i;

	st->form = NULL;
	if (p != NULL) {
		for (i = 0; i < 4 && p[i] >= '0' && p[i] <= '9'; i++)
			year = year * 10 + (p[i] - '0');
		if (i == 4)
			st->form = form_set_year(st->ctx->forms, year);
	}
	if (st->form == NULL && (n = form_set_count(st->ctx->forms)) > 0)
		st->form = form_set_at(st->ctx->forms, n - 1);
}

static void
validate_period(struct validate_state *st)
{
	char	*cause = NULL;

	if (st->r->period == NULL || st->r->period[0] == '\0') {
		report_errors_add(st->errs, "period", "%s", _("required"));
		if (st->ctx->forms != NULL)
			validate_fallback(st);
		return;
	}
	if (st->ctx->forms == NULL) {
		report_errors_add(st->errs, "period", "%s",
		    _("no forms to check it against"));
		return;
	}
	if (form_set_period(st->ctx->forms, st->r->period, &st->form,
	    &st->period, &cause) == -1) {
		report_errors_add(st->errs, "period", "%s", cause != NULL ?
		    cause : _("out of memory"));
		free(cause);
		validate_fallback(st);
		return;
	}
	st->have_period = 1;
}

/* Runs after validate_period: validity is judged against the coverage. */
static void
validate_unit(struct validate_state *st)
{
	const struct validate_context	*ctx = st->ctx;
	const struct period		*p = &st->period;
	const char			*unit = st->r->unit;
	char				 from[I18N_MAX], to[I18N_MAX];
	char				 pfrom[I18N_MAX], pto[I18N_MAX];
	int32_t				 vfrom, vto;

	if (unit == NULL || unit[0] == '\0') {
		report_errors_add(st->errs, "unit", "%s", _("required"));
		return;
	}
	if (validate_unit_code(unit) == -1) {
		report_errors_add(st->errs, "unit",
		    _("not a unit code (want 1 to %d of a-z, 0-9 and -)"),
		    REPORT_MAX_UNIT);
		return;
	}
	if (ctx->unit_lookup == NULL)
		return;
	if (ctx->unit_lookup(ctx->arg, unit, &vfrom, &vto) == -1) {
		report_errors_add(st->errs, "unit", _("unknown unit %s"), unit);
		return;
	}
	if (!st->have_period || (vfrom <= p->to && vto >= p->from))
		return;

	validate_date(vfrom, from, sizeof(from));
	validate_date(vto, to, sizeof(to));
	validate_date(p->from, pfrom, sizeof(pfrom));
	validate_date(p->to, pto, sizeof(pto));
	/* TRANSLATORS: the unit's dates, then the period (2022-H1) and
	 * the days it covers. */
	if (vfrom == INT32_MIN)
		report_errors_add(st->errs, "unit",
		    _("unit valid until %s, not during %s (%s..%s)"), to,
		    st->r->period, pfrom, pto);
	else if (vto == INT32_MAX)
		report_errors_add(st->errs, "unit",
		    _("unit valid from %s, not during %s (%s..%s)"), from,
		    st->r->period, pfrom, pto);
	else
		report_errors_add(st->errs, "unit",
		    _("unit valid from %s to %s, not during %s (%s..%s)"),
		    from, to, st->r->period, pfrom, pto);
}

static void
validate_reporter(struct validate_state *st)
{
	validate_text_field(st, "reporter.name", st->r->reporter_name,
	    REPORT_MAX_SHORT, 1, 0, PLACEHOLDER_REPORTER_NAME, NULL);
	validate_text_field(st, "reporter.position", st->r->reporter_position,
	    REPORT_MAX_SHORT, 0, 0, PLACEHOLDER_REPORTER_POSITION, NULL);
	validate_text_field(st, "reporter.phone", st->r->reporter_phone,
	    REPORT_MAX_SHORT, 0, 0, PLACEHOLDER_REPORTER_PHONE, NULL);
}

/* The unit's own plan: both optional, the date a date. */
static void
validate_plan(struct validate_state *st)
{
	int32_t	day;

	validate_text_field(st, "plan.number", st->r->plan_number,
	    REPORT_MAX_SHORT, 0, 0, PLACEHOLDER_PLAN_NUMBER, NULL);
	if (st->r->plan_date != NULL && st->r->plan_date[0] != '\0' &&
	    date_parse(st->r->plan_date, &day) == -1)
		report_errors_add(st->errs, "plan.date", "%s",
		    _("not a date (want YYYY-MM-DD)"));
}

/* A date field of an activity: 1 with *day set when it holds a date. */
static int
validate_activity_date(struct validate_state *st, size_t i,
    const char *name, const char *s, int required, int32_t *day)
{
	char	 field[REPORT_FIELD_MAX];

	validate_field(field, "activities", i, name);
	if (s == NULL || s[0] == '\0') {
		if (required)
			report_errors_add(st->errs, field, "%s", _("required"));
		return 0;
	}
	if (date_parse(s, day) == -1) {
		report_errors_add(st->errs, field, "%s",
		    _("not a date (want YYYY-MM-DD)"));
		return 0;
	}
	return 1;
}

/* A planned activity dated before the day of submission: a warning. */
static void
validate_planned_past(struct validate_state *st, const char *field,
    int32_t start)
{
	char		 s[DATE_LEN + 1], today[DATE_LEN + 1];
	const char	*args[2] = { s, today };

	date_format(start, s);
	date_format(st->ctx->today, today);
	warning_add(st->warns, field, WARNING_PLANNED_PAST, args, 2);
}

/* Where a dated activity may lie in the period, by its status. */
static void
validate_activity_span(struct validate_state *st, size_t i, int planned,
    int32_t start, int32_t end, int have_end)
{
	const struct period	*p = &st->period;
	const char		*period = st->r->period;
	char			 fstart[REPORT_FIELD_MAX];
	char			 fend[REPORT_FIELD_MAX];
	char			 s[I18N_MAX], e[I18N_MAX];
	char			 from[I18N_MAX], to[I18N_MAX];
	char			 limit[I18N_MAX], today[I18N_MAX];

	validate_field(fstart, "activities", i, "date");
	validate_field(fend, "activities", i, "end_date");
	validate_date(start, s, sizeof(s));
	validate_date(end, e, sizeof(e));
	validate_date(p->from, from, sizeof(from));
	validate_date(p->to, to, sizeof(to));
	validate_date(p->limit, limit, sizeof(limit));
	validate_date(st->ctx->today, today, sizeof(today));

	if (!planned) {
		/* An activity across the end of the coverage (the action
		 * month, 15/11 to 15/12) is the period's where it started,
		 * with its real dates; it is in no other. */
		/* TRANSLATORS: the activity's day, the first and last days
		 * the period covers, the period (2022-H1). */
		if (start < p->from || start > p->to)
			report_errors_add(st->errs, fstart,
			    _("done activity dated %s, outside the coverage "
			    "%s..%s of %s (an activity belongs to the period "
			    "it started in)"), s, from, to, period);
		if (start > st->ctx->today)
			report_errors_add(st->errs, fstart,
			    _("done activity dated %s, after the day of "
			    "submission %s"), s, today);
		if (have_end && end > st->ctx->today)
			report_errors_add(st->errs, fend,
			    _("done activity ends %s, after the day of "
			    "submission %s"), e, today);
	} else {
		if (start < p->from)
			report_errors_add(st->errs, fstart,
			    _("planned activity dated %s, before the coverage "
			    "of %s starts on %s"), s, period, from);
		/* TRANSLATORS: the activity's day, the last day a planned
		 * activity may have, the period (2022-H1). */
		if (start > p->limit)
			report_errors_add(st->errs, fstart,
			    _("planned activity dated %s, past %s, the last "
			    "day for planned activities of %s"), s, limit,
			    period);
		if (have_end && end > p->limit)
			report_errors_add(st->errs, fend,
			    _("planned activity ends %s, past %s, the last "
			    "day for planned activities of %s"), e, limit,
			    period);
		if (start < st->ctx->today && st->warns != NULL)
			validate_planned_past(st, fstart, start);
	}
}

/* An occasion's activity far from its days: a warning. */
static void
validate_occasion(struct validate_state *st, size_t i,
    const struct form_entry *o, int32_t start, int32_t end)
{
	char		 field[REPORT_FIELD_MAX], s[DATE_LEN + 1], days[32];
	char		 away[24];
	const char	*args[5] = { o->code, o->label != NULL ? o->label :
			    "", s, away, days };
	int32_t		 dist;

	if (st->warns == NULL || !form_occasion_far(o, start, end, &dist))
		return;
	validate_field(field, "activities", i, "occasion");
	date_format(start, s);
	snprintf(away, sizeof(away), "%ld", (long)dist);
	if (o->from_month == o->to_month && o->from_day == o->to_day)
		snprintf(days, sizeof(days), "%d/%d", o->from_day,
		    o->from_month);
	else
		snprintf(days, sizeof(days), "%d/%d\xe2\x80\x93%d/%d",
		    o->from_day, o->from_month, o->to_day, o->to_month);
	warning_add(st->warns, field, WARNING_OCCASION_FAR, args, 5);
}

/* Media output counts: codes of the form's outputs, once each. */
static void
validate_outputs(struct validate_state *st, size_t i,
    const struct report_activity *a, const struct form_entry *kind)
{
	char	 field[REPORT_FIELD_MAX], name[REPORT_FIELD_MAX];
	char	 a1[I18N_MAX], a2[I18N_MAX];
	size_t	 k, j;

	if (a->noutputs == 0)
		return;
	validate_field(name, "activities", i, "outputs");
	if (a->noutputs > REPORT_MAX_OUTPUTS) {
		report_errors_add(st->errs, name,
		    _("%zu output counts, at most %d"), a->noutputs,
		    REPORT_MAX_OUTPUTS);
		return;
	}
	/* TRANSLATORS: %s the activity's kind (in Vietnamese its label). */
	if (kind != NULL && !kind->media)
		report_errors_add(st->errs, name, _("only an activity of a "
		    "media kind has output counts, not a %s"),
		    validate_name(kind));
	for (k = 0; k < a->noutputs; k++) {
		validate_keyed(field, name, a->outputs[k].code, k, NULL);
		if (validate_entry(st, field, FORM_OUTPUTS,
		    a->outputs[k].code, 1) == NULL)
			continue;
		for (j = 0; j < k; j++)
			if (a->outputs[j].code != NULL &&
			    strcmp(a->outputs[j].code, a->outputs[k].code) == 0)
				report_errors_add(st->errs, field, "%s",
				    _("given twice"));
		if (a->outputs[k].count > REPORT_MAX_COUNT)
			report_errors_add(st->errs, field, _("%s, at most %s"),
			    validate_count(a->outputs[k].count, a1,
			    sizeof(a1)), validate_count(REPORT_MAX_COUNT, a2,
			    sizeof(a2)));
	}
}

static int
validate_has_outputs(const struct report_activity *a)
{
	size_t	k;

	for (k = 0; k < a->noutputs && k < REPORT_MAX_OUTPUTS; k++)
		if (a->outputs[k].count > 0)
			return 1;
	return 0;
}

static void
validate_activity(struct validate_state *st, size_t i,
    const struct report_activity *a)
{
	const struct form_entry	*kind, *occasion, *status;
	char			 field[REPORT_FIELD_MAX];
	char			 s[I18N_MAX], e[I18N_MAX];
	char			 n1[I18N_MAX], n2[I18N_MAX];
	int32_t			 start = 0, end = 0;
	int			 have_start, have_end, media;

	validate_field(field, "activities", i, "area");
	if (a->area_number != 0)
		report_errors_add(st->errs, field, _("area %u of the form was "
		    "not looked up"), (unsigned int)a->area_number);
	else
		validate_entry(st, field, FORM_AREAS, a->area, 1);
	validate_field(field, "activities", i, "kind");
	kind = validate_entry(st, field, FORM_KINDS, a->kind, 1);
	validate_field(field, "activities", i, "occasion");
	occasion = validate_entry(st, field, FORM_OCCASIONS, a->occasion, 1);
	validate_field(field, "activities", i, "status");
	status = validate_entry(st, field, FORM_STATUSES, a->status, 1);
	validate_field(field, "activities", i, "audience");
	validate_entry(st, field, FORM_AUDIENCES, a->audience, 0);
	validate_field(field, "activities", i, "topic");
	validate_entry(st, field, FORM_TOPICS, a->topic, 0);
	validate_outputs(st, i, a, kind);
	media = kind != NULL && kind->media;

	have_start = validate_activity_date(st, i, "date", a->date, 1, &start);
	have_end = validate_activity_date(st, i, "end_date", a->end_date, 0,
	    &end);
	if (have_start && have_end && end < start) {
		validate_date(start, s, sizeof(s));
		validate_date(end, e, sizeof(e));
		validate_field(field, "activities", i, "end_date");
		report_errors_add(st->errs, field,
		    _("ends %s, before its start %s"), e, s);
		have_end = 0;	/* judged once, not again against the period */
	}

	validate_field(field, "activities", i, "title");
	if (placeholder_is_title(st->form, a->title))
		report_errors_add(st->errs, field, "%s", _("still the "
		    "template's example: write what the unit did, or delete "
		    "the activity"));
	else
		validate_string(st, field, a->title, REPORT_MAX_TITLE, 1, 0);
	validate_field(field, "activities", i, "location");
	validate_text_field(st, field, a->location, REPORT_MAX_SHORT, 0, 0,
	    PLACEHOLDER_LOCATION, NULL);
	validate_field(field, "activities", i, "notes");
	validate_string(st, field, a->notes, REPORT_MAX_NOTES, 0, 1);

	/* News items and leaflets are not held in sessions. */
	validate_field(field, "activities", i, "sessions");
	if (a->sessions < 1 && !media)
		report_errors_add(st->errs, field, "%s",
		    _("0 sessions, at least 1"));
	else if (a->sessions > REPORT_MAX_SESSIONS)
		report_errors_add(st->errs, field, _("%s sessions, at most %s"),
		    validate_count(a->sessions, n1, sizeof(n1)),
		    validate_count(REPORT_MAX_SESSIONS, n2, sizeof(n2)));

	validate_field(field, "activities", i, "participants");
	if (a->participants > REPORT_MAX_COUNT)
		report_errors_add(st->errs, field,
		    _("%s participants, at most %s"),
		    validate_count(a->participants, n1, sizeof(n1)),
		    validate_count(REPORT_MAX_COUNT, n2, sizeof(n2)));
	/* Done, yet nothing to show for it: a media activity shows its
	 * output counts; any other is refused for its 0 sessions above. */
	if (media && status != NULL && strcmp(status->code, "done") == 0 &&
	    a->sessions == 0 && a->participants == 0 &&
	    !validate_has_outputs(a)) {
		validate_field(field, "activities", i, "outputs");
		report_errors_add(st->errs, field, "%s", _("a done activity "
		    "with no sessions, no participants and no output counts: "
		    "give what was made (news items, leaflets...), or mark it "
		    "planned"));
	}

	validate_field(field, "activities", i, "female");
	if (a->female > REPORT_MAX_COUNT)
		report_errors_add(st->errs, field, _("%s women, at most %s"),
		    validate_count(a->female, n1, sizeof(n1)),
		    validate_count(REPORT_MAX_COUNT, n2, sizeof(n2)));
	else if (a->female > a->participants)
		report_errors_add(st->errs, field,
		    _("%s women among %s participants"),
		    validate_count(a->female, n1, sizeof(n1)),
		    validate_count(a->participants, n2, sizeof(n2)));

	if (!have_start)
		return;
	if (!have_end)
		end = start;
	if (st->have_period && status != NULL)
		validate_activity_span(st, i, strcmp(status->code, "planned") ==
		    0, start, end, have_end);
	if (occasion != NULL)
		validate_occasion(st, i, occasion, start, end);
}

/* "an action_month or vn_womens_day activity" for a period's expected
 * occasions. */
static void
validate_expected(struct validate_state *st)
{
	const struct form_period	*fp;
	const struct report		*r = st->r;
	const char			*args[WARNING_ARGS_MAX];
	size_t				 i, k, n;

	if (st->warns == NULL || st->form == NULL || !st->have_period ||
	    (fp = form_period(st->form, st->period.kind)) == NULL ||
	    fp->nexpect == 0)
		return;
	for (i = 0; i < r->nactivities && i < REPORT_MAX_ACTIVITIES; i++)
		for (k = 0; k < fp->nexpect; k++)
			if (r->activities[i].occasion != NULL &&
			    strcmp(r->activities[i].occasion,
			    fp->expect[k]->code) == 0)
				return;
	args[0] = st->period.kind == PERIOD_YEAR ? "annual" : "H1";
	for (k = 0, n = 1; k < fp->nexpect && n + 2 <= WARNING_ARGS_MAX;
	    k++) {
		args[n++] = fp->expect[k]->code;
		args[n++] = fp->expect[k]->label != NULL ?
		    fp->expect[k]->label : "";
	}
	warning_add(st->warns, "activities", WARNING_NO_OCCASION, args, n);
}

static void
validate_activities(struct validate_state *st)
{
	const struct report	*r = st->r;
	size_t			 i, n = r->nactivities;

	if (n > REPORT_MAX_ACTIVITIES) {
		report_errors_add(st->errs, "activities",
		    _("%zu activities, at most %d"), n, REPORT_MAX_ACTIVITIES);
		n = REPORT_MAX_ACTIVITIES;
	}
	if (r->activities == NULL)
		n = 0;
	for (i = 0; i < n; i++)
		validate_activity(st, i, &r->activities[i]);
	validate_expected(st);
}

/* The value given for a code, or NULL. */
static const struct report_indicator_value *
validate_indicator_find(const struct report *r, size_t n, const char *code)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (r->indicators[i].code != NULL &&
		    strcmp(r->indicators[i].code, code) == 0)
			return &r->indicators[i];
	return NULL;
}

/* A women's figure for an indicator the form gives none: a warning. */
static void
validate_not_counted(struct validate_state *st, const char *field,
    const struct form_entry *e, uint64_t female)
{
	char		 year[16], n[24];
	const char	*args[4] = { e->code, e->label != NULL ? e->label : "",
			    year, n };

	snprintf(year, sizeof(year), "%d", form_year(st->form));
	snprintf(n, sizeof(n), "%llu", (unsigned long long)female);
	warning_add(st->warns, field, WARNING_FEMALE_NOT_COUNTED, args, 4);
}

static void
validate_indicators(struct validate_state *st)
{
	const struct report			*r = st->r;
	const struct report_indicator_value	*v, *whole;
	const struct form_entry			*e;
	char					 field[REPORT_FIELD_MAX];
	char					 n1[I18N_MAX], n2[I18N_MAX];
	size_t					 i, j, n = r->nindicators;
	int					 twice;

	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(st->errs, "indicators",
		    _("%zu indicators, at most %d"), n, REPORT_MAX_INDICATORS);
		n = REPORT_MAX_INDICATORS;
	}
	if (r->indicators == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		v = &r->indicators[i];
		validate_keyed(field, "indicators", v->code, i, NULL);
		if (v->code == NULL)
			validate_field(field, "indicators", i, "code");
		e = validate_entry(st, field, FORM_INDICATORS, v->code, 1);
		for (j = 0, twice = 0; v->code != NULL && j < i; j++)
			if (r->indicators[j].code != NULL &&
			    strcmp(r->indicators[j].code, v->code) == 0)
				twice = 1;
		if (twice)
			report_errors_add(st->errs, field, "%s",
			    _("given twice"));

		validate_keyed(field, "indicators", v->code, i, "total");
		if (v->total > REPORT_MAX_COUNT)
			report_errors_add(st->errs, field, _("%s, at most %s"),
			    validate_count(v->total, n1, sizeof(n1)),
			    validate_count(REPORT_MAX_COUNT, n2, sizeof(n2)));
		validate_keyed(field, "indicators", v->code, i, "female");
		if (!v->has_female)
			continue;
		if (v->female > REPORT_MAX_COUNT)
			report_errors_add(st->errs, field,
			    _("%s women, at most %s"),
			    validate_count(v->female, n1, sizeof(n1)),
			    validate_count(REPORT_MAX_COUNT, n2, sizeof(n2)));
		else if (e != NULL && !e->female_share) {
			/* Kept as given (reports from before the forms
			 * have it), never shown or added up. */
			if (v->female > 0 && st->warns != NULL)
				validate_not_counted(st, field, e, v->female);
		} else if (v->female > v->total)
			report_errors_add(st->errs, field,
			    _("%s women among a total of %s"),
			    validate_count(v->female, n1, sizeof(n1)),
			    validate_count(v->total, n2, sizeof(n2)));
	}

	/* A figure bounded by another, when both are given. */
	for (i = 0; i < n && st->form != NULL; i++) {
		v = &r->indicators[i];
		if (v->code == NULL || (e = form_find(st->form,
		    FORM_INDICATORS, v->code)) == NULL ||
		    e->not_more_than == NULL || (whole =
		    validate_indicator_find(r, n, e->not_more_than->code)) ==
		    NULL || v->total <= whole->total)
			continue;
		snprintf(field, sizeof(field), "indicators.%s", e->code);
		/* TRANSLATORS: "120, more than the 100 of members": this
		 * indicator's total, the other's, the other (in Vietnamese
		 * its label). */
		report_errors_add(st->errs, field, _("%s, more than the %s of "
		    "%s"), validate_count(v->total, n1, sizeof(n1)),
		    validate_count(whole->total, n2, sizeof(n2)),
		    validate_name(e->not_more_than));
	}
}

/*
 * Texts of the narrative (parent "narrative") or of a section (parent its
 * code): each a text of the list, once; the required ones there.
 */
static void
validate_texts(struct validate_state *st, const char *parent,
    const struct report_text *v, size_t n, const struct form_entry *list,
    size_t nlist, int check)
{
	const struct form_entry	*e;
	char			 field[REPORT_FIELD_MAX];
	size_t			 i, j, k;
	int			 seen;

	if (n > REPORT_MAX_TEXTS) {
		report_errors_add(st->errs, parent, _("%zu texts, at most %d"),
		    n, REPORT_MAX_TEXTS);
		n = REPORT_MAX_TEXTS;
	}
	for (i = 0; i < n; i++) {
		validate_keyed(field, parent, v[i].code, i, NULL);
		e = NULL;
		for (k = 0; check && v[i].code != NULL && k < nlist; k++)
			if (strcmp(list[k].code, v[i].code) == 0)
				e = &list[k];
		if (check && e == NULL) {
			validate_unknown(st, field,
			    strcmp(parent, "narrative") == 0 ?
			    C_("form list", "narrative text") :
			    C_("form list", "field"),
			    v[i].code != NULL ? v[i].code : "", list, nlist);
			continue;
		}
		for (j = 0; j < i; j++)
			if (v[j].code != NULL && v[i].code != NULL &&
			    strcmp(v[j].code, v[i].code) == 0)
				report_errors_add(st->errs, field, "%s",
				    _("given twice"));
		validate_text_field(st, field, v[i].text,
		    REPORT_MAX_NARRATIVE, e != NULL && e->required, 1, NULL, e);
	}
	for (k = 0; check && k < nlist; k++) {
		if (!list[k].required)
			continue;
		for (i = 0, seen = 0; i < n; i++)
			if (v[i].code != NULL &&
			    strcmp(v[i].code, list[k].code) == 0)
				seen = 1;
		if (!seen) {
			snprintf(field, sizeof(field), "%s.%s", parent,
			    list[k].code);
			report_errors_add(st->errs, field, "%s",
			    _("required"));
		}
	}
}

static void
validate_narrative(struct validate_state *st)
{
	const struct form	*f = st->form;

	validate_texts(st, "narrative", st->r->narrative, st->r->nnarrative,
	    f != NULL ? form_at(f, FORM_NARRATIVE, 0) : NULL,
	    f != NULL ? form_count(f, FORM_NARRATIVE) : 0, f != NULL);
}

static void
validate_sections(struct validate_state *st)
{
	const struct report_section	*s;
	const struct form_entry		*e;
	const struct form		*f = st->form;
	char				 field[REPORT_FIELD_MAX];
	size_t				 i, j, n = st->r->nsections;
	int				 seen;

	if (n > REPORT_MAX_SECTIONS) {
		report_errors_add(st->errs, "sections", _("%zu sections, at "
		    "most %d"), n, REPORT_MAX_SECTIONS);
		n = REPORT_MAX_SECTIONS;
	}
	for (i = 0; i < n; i++) {
		s = &st->r->sections[i];
		validate_keyed(field, "", s->code, i, NULL);
		for (j = 0; j < i; j++)
			if (s->code != NULL && st->r->sections[j].code != NULL &&
			    strcmp(s->code, st->r->sections[j].code) == 0)
				report_errors_add(st->errs, field, "%s",
				    _("given twice"));
		if (f == NULL) {
			validate_texts(st, field, s->fields, s->nfields, NULL,
			    0, 0);
			continue;
		}
		if ((e = form_find(f, FORM_SECTIONS, s->code)) == NULL) {
			if (validate_code(s->code) == 0 &&
			    form_count(f, FORM_SECTIONS) == 0)
				report_errors_add(st->errs, field, _("not a "
				    "field of a report, and the %d form has no "
				    "sections"), form_year(f));
			else
				validate_unknown(st, field,
				    C_("form list", "field or section"),
				    s->code != NULL ? s->code : "",
				    form_at(f, FORM_SECTIONS, 0),
				    form_count(f, FORM_SECTIONS));
			continue;
		}
		if (!st->have_period || form_section_in(e, st->period.kind))
			;
		else if (st->period.kind == PERIOD_YEAR)
			report_errors_add(st->errs, field, _("not part of "
			    "annual reports in the %d form"), form_year(f));
		else
			report_errors_add(st->errs, field, _("not part of "
			    "6-month reports in the %d form"), form_year(f));
		validate_texts(st, e->code, s->fields, s->nfields, e->fields,
		    e->nfields, 1);
	}

	/* Sections every report of its period must have. */
	for (i = 0; f != NULL && st->have_period &&
	    i < form_count(f, FORM_SECTIONS); i++) {
		e = form_at(f, FORM_SECTIONS, i);
		if (!e->required || !form_section_in(e, st->period.kind))
			continue;
		for (j = 0, seen = 0; j < n; j++)
			if (st->r->sections[j].code != NULL &&
			    strcmp(st->r->sections[j].code, e->code) == 0)
				seen = 1;
		if (!seen)
			report_errors_add(st->errs, e->code, "%s",
			    _("required"));
	}
}

void
validate_late_message(int32_t due, int32_t day, int extended,
    char out[REPORT_MESSAGE_MAX])
{
	char		 d[DATE_LEN + 1], t[DATE_LEN + 1];
	const char	*args[2] = { d, t };

	date_format(due, d);
	date_format(day, t);
	warning_say(extended ? WARNING_LATE_EXTENDED : WARNING_LATE, args, 2,
	    out);
}

static void
validate_late(struct validate_state *st)
{
	if (st->warns == NULL || !st->have_period ||
	    st->ctx->late_elsewhere || st->ctx->today <= st->period.due)
		return;
	warning_add_late(st->warns, st->period.due, st->ctx->today, 0);
}

int
validate_report(const struct report *r, const struct validate_context *ctx,
    struct validate_outcome *out, struct report_errors *errs,
    struct report_errors *warnings)
{
	struct validate_state	 st;

	memset(&st, 0, sizeof(st));
	st.r = r;
	st.ctx = ctx;
	st.errs = errs;
	st.warns = warnings;

	validate_id(&st);
	validate_period(&st);
	validate_unit(&st);
	validate_reporter(&st);
	validate_plan(&st);
	validate_activities(&st);
	validate_indicators(&st);
	validate_narrative(&st);
	validate_sections(&st);
	validate_late(&st);

	if (out != NULL) {
		/* Not a form found only to name the other errors. */
		out->form = st.have_period ? st.form : NULL;
		if (st.have_period)
			out->period = st.period;
		else
			memset(&out->period, 0, sizeof(out->period));
	}
	return errs->n == 0 && errs->dropped == 0 ? 0 : -1;
}
