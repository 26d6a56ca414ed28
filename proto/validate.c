/*
 * The report's validation rules. Every rule is checked even after one
 * fails, so that a submitter sees all problems in one round trip; each
 * error and warning names its field the way the JSON spells it
 * ("activities[2].female", "narrative.results").
 *
 * Messages never quote the submitter's text: it may be what is wrong.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "period.h"
#include "report.h"
#include "text.h"
#include "validate.h"

/* An occasion's activity further than this from its day is suspicious. */
#define OCCASION_SLACK	30

struct validate_state {
	const struct report		*r;
	const struct validate_context	*ctx;
	struct report_errors		*errs;
	struct report_errors		*warns;		/* may be NULL */
	struct period			 period;
	int				 have_period;
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

static void
validate_field(char field[REPORT_FIELD_MAX], const char *list, size_t i,
    const char *name)
{
	snprintf(field, REPORT_FIELD_MAX, "%s[%zu].%s", list, i, name);
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

/*
 * A text field: required ones must hold more than spaces; optional ones
 * may be NULL or empty (what an absent wire or JSON string becomes).
 */
static void
validate_string(struct validate_state *st, const char *field, const char *s,
    size_t max, int required, int multiline)
{
	size_t		 len, at;
	uint32_t	 cp;

	if (s == NULL || s[0] == '\0' || (required && validate_blank(s))) {
		if (required)
			report_errors_add(st->errs, field, "required");
		return;
	}
	len = strlen(s);
	if (len > max) {
		report_errors_add(st->errs, field, "%zu bytes, at most %zu",
		    len, max);
		return;
	}
	switch (text_check(s, len, multiline, &at, &cp)) {
	case TEXT_NOT_UTF8:
		report_errors_add(st->errs, field, "invalid UTF-8 at byte %zu",
		    at);
		break;
	case TEXT_HAS_CONTROL:
		report_errors_add(st->errs, field, "control character at byte "
		    "%zu", at);
		break;
	case TEXT_HAS_INVISIBLE:
		/* Pasted text brings them: zero-width spaces, bidi
		 * controls. The reader would see something else. */
		report_errors_add(st->errs, field, "invisible character "
		    "U+%04X at byte %zu; delete it (it often comes with text "
		    "copied from a web page or a PDF)", (unsigned int)cp, at);
		break;
	}
}

/* An enum field: set and known. */
static void
validate_enum(struct validate_state *st, const char *field, uint32_t v,
    uint32_t count, const char *what)
{
	if (v == 0)
		report_errors_add(st->errs, field, "required");
	else if (v >= count)
		report_errors_add(st->errs, field, "unknown %s %u", what,
		    (unsigned int)v);
}

static void
validate_id(struct validate_state *st)
{
	const char	*id = st->r->id;

	if (id == NULL || id[0] == '\0')
		report_errors_add(st->errs, "id", "required");
	else if (validate_uuid(id) == -1)
		report_errors_add(st->errs, "id",
		    "not a UUID (want 8-4-4-4-12 hex digits)");
}

static void
validate_period(struct validate_state *st)
{
	const struct period_rules	*rules = st->ctx->rules;
	struct period_rules		 defaults;
	const char			*errstr;

	if (rules == NULL) {
		period_rules_default(&defaults);
		rules = &defaults;
	}
	if (st->r->period == NULL || st->r->period[0] == '\0')
		report_errors_add(st->errs, "period", "required");
	else if (period_parse(st->r->period, rules, &st->period,
	    &errstr) == -1)
		report_errors_add(st->errs, "period", "%s", errstr);
	else
		st->have_period = 1;
}

/* Runs after validate_period: validity is judged against the coverage. */
static void
validate_unit(struct validate_state *st)
{
	const struct validate_context	*ctx = st->ctx;
	const struct period		*p = &st->period;
	const char			*unit = st->r->unit;
	char				 from[DATE_LEN + 1], to[DATE_LEN + 1];
	char				 pfrom[DATE_LEN + 1], pto[DATE_LEN + 1];
	int32_t				 vfrom, vto;

	if (unit == NULL || unit[0] == '\0') {
		report_errors_add(st->errs, "unit", "required");
		return;
	}
	if (validate_unit_code(unit) == -1) {
		report_errors_add(st->errs, "unit",
		    "not a unit code (want 1 to %d of a-z, 0-9 and -)",
		    REPORT_MAX_UNIT);
		return;
	}
	if (ctx->unit_lookup == NULL)
		return;
	if (ctx->unit_lookup(ctx->arg, unit, &vfrom, &vto) == -1) {
		report_errors_add(st->errs, "unit", "unknown unit %s", unit);
		return;
	}
	if (!st->have_period || (vfrom <= p->to && vto >= p->from))
		return;

	date_format(vfrom, from);
	date_format(vto, to);
	date_format(p->from, pfrom);
	date_format(p->to, pto);
	if (vfrom == INT32_MIN)
		report_errors_add(st->errs, "unit",
		    "unit valid until %s, not during %s (%s..%s)", to,
		    st->r->period, pfrom, pto);
	else if (vto == INT32_MAX)
		report_errors_add(st->errs, "unit",
		    "unit valid from %s, not during %s (%s..%s)", from,
		    st->r->period, pfrom, pto);
	else
		report_errors_add(st->errs, "unit",
		    "unit valid from %s to %s, not during %s (%s..%s)", from,
		    to, st->r->period, pfrom, pto);
}

static void
validate_reporter(struct validate_state *st)
{
	validate_string(st, "reporter.name", st->r->reporter_name,
	    REPORT_MAX_SHORT, 1, 0);
	validate_string(st, "reporter.position", st->r->reporter_position,
	    REPORT_MAX_SHORT, 0, 0);
	validate_string(st, "reporter.phone", st->r->reporter_phone,
	    REPORT_MAX_SHORT, 0, 0);
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
			report_errors_add(st->errs, field, "required");
		return 0;
	}
	if (date_parse(s, day) == -1) {
		report_errors_add(st->errs, field,
		    "not a date (want YYYY-MM-DD)");
		return 0;
	}
	return 1;
}

/* Where a dated activity may lie in the period, by its status. */
static void
validate_activity_span(struct validate_state *st, size_t i,
    const struct report_activity *a, int32_t start, int32_t end,
    int have_end)
{
	const struct period	*p = &st->period;
	const char		*period = st->r->period;
	char			 fstart[REPORT_FIELD_MAX];
	char			 fend[REPORT_FIELD_MAX];
	char			 s[DATE_LEN + 1], e[DATE_LEN + 1];
	char			 from[DATE_LEN + 1], to[DATE_LEN + 1];
	char			 limit[DATE_LEN + 1], today[DATE_LEN + 1];

	validate_field(fstart, "activities", i, "date");
	validate_field(fend, "activities", i, "end_date");
	date_format(start, s);
	date_format(end, e);
	date_format(p->from, from);
	date_format(p->to, to);
	date_format(p->limit, limit);
	date_format(st->ctx->today, today);

	if (a->status == STATUS_DONE) {
		if (start < p->from || start > p->to)
			report_errors_add(st->errs, fstart,
			    "done activity dated %s, outside the coverage "
			    "%s..%s of %s", s, from, to, period);
		if (have_end && (end < p->from || end > p->to))
			report_errors_add(st->errs, fend,
			    "done activity ends %s, outside the coverage "
			    "%s..%s of %s", e, from, to, period);
		if (start > st->ctx->today)
			report_errors_add(st->errs, fstart,
			    "done activity dated %s, after the day of "
			    "submission %s", s, today);
		if (have_end && end > st->ctx->today)
			report_errors_add(st->errs, fend,
			    "done activity ends %s, after the day of "
			    "submission %s", e, today);
	} else if (a->status == STATUS_PLANNED) {
		if (start < p->from)
			report_errors_add(st->errs, fstart,
			    "planned activity dated %s, before the coverage "
			    "of %s starts on %s", s, period, from);
		if (start > p->limit)
			report_errors_add(st->errs, fstart,
			    "planned activity dated %s, past %s, the last day "
			    "for planned activities of %s", s, limit, period);
		if (have_end && end > p->limit)
			report_errors_add(st->errs, fend,
			    "planned activity ends %s, past %s, the last day "
			    "for planned activities of %s", e, limit, period);
	}
}

/*
 * Days between an activity and its occasion's day in the nearest year;
 * 0 when the activity spans the day.
 */
static int32_t
validate_occasion_distance(int32_t start, int32_t end, int month, int mday)
{
	int32_t	 best = INT32_MAX, ref, dist;
	int	 y, m, d, dy;

	date_to_ymd(start, &y, &m, &d);
	for (dy = -1; dy <= 1; dy++) {
		ref = date_from_ymd(y + dy, month, mday);
		if (ref < start)
			dist = start - ref;
		else if (ref > end)
			dist = ref - end;
		else
			dist = 0;
		if (dist < best)
			best = dist;
	}
	return best;
}

static void
validate_occasion(struct validate_state *st, size_t i,
    const struct report_activity *a, int32_t start, int32_t end)
{
	static const struct {
		uint32_t	 occasion;
		int		 month, day;
		const char	*name;
	} days[] = {
		{ OCCASION_WOMENS_DAY, 3, 8, "8 March" },
		{ OCCASION_FAMILY_DAY, 6, 28, "28 June" },
		{ OCCASION_VN_WOMENS_DAY, 10, 20, "20 October" }
	};
	char		 field[REPORT_FIELD_MAX], s[DATE_LEN + 1];
	const char	*id;
	int32_t		 dist, nov1, dec31;
	size_t		 k;
	int		 y, m, d;

	if (st->warns == NULL)
		return;
	validate_field(field, "activities", i, "occasion");
	id = report_label_id(report_occasions, OCCASION_COUNT, a->occasion);
	date_format(start, s);

	for (k = 0; k < sizeof(days) / sizeof(days[0]); k++) {
		if (a->occasion != days[k].occasion)
			continue;
		dist = validate_occasion_distance(start, end, days[k].month,
		    days[k].day);
		if (dist > OCCASION_SLACK)
			report_errors_add(st->warns, field,
			    "%s activity dated %s, %ld days from %s", id, s,
			    (long)dist, days[k].name);
		return;
	}

	/* The action month runs 15/11..15/12; its events straddle it. */
	if (a->occasion == OCCASION_ACTION_MONTH) {
		date_to_ymd(start, &y, &m, &d);
		nov1 = date_from_ymd(y, 11, 1);
		dec31 = date_from_ymd(y, 12, 31);
		if (end < nov1 || start > dec31)
			report_errors_add(st->warns, field,
			    "%s activity dated %s, not between 1 November "
			    "and 31 December", id, s);
	}
}

static void
validate_activity(struct validate_state *st, size_t i,
    const struct report_activity *a)
{
	char	 field[REPORT_FIELD_MAX];
	char	 s[DATE_LEN + 1], e[DATE_LEN + 1];
	int32_t	 start = 0, end = 0;
	int	 have_start, have_end;

	validate_field(field, "activities", i, "area");
	validate_enum(st, field, a->area, AREA_COUNT, "area");
	validate_field(field, "activities", i, "kind");
	validate_enum(st, field, a->kind, KIND_COUNT, "kind");
	validate_field(field, "activities", i, "occasion");
	validate_enum(st, field, a->occasion, OCCASION_COUNT, "occasion");
	validate_field(field, "activities", i, "status");
	validate_enum(st, field, a->status, STATUS_COUNT, "status");

	have_start = validate_activity_date(st, i, "date", a->date, 1, &start);
	have_end = validate_activity_date(st, i, "end_date", a->end_date, 0,
	    &end);
	if (have_start && have_end && end < start) {
		date_format(start, s);
		date_format(end, e);
		validate_field(field, "activities", i, "end_date");
		report_errors_add(st->errs, field,
		    "ends %s, before its start %s", e, s);
		have_end = 0;	/* judged once, not again against the period */
	}

	validate_field(field, "activities", i, "title");
	validate_string(st, field, a->title, REPORT_MAX_TITLE, 1, 0);
	validate_field(field, "activities", i, "location");
	validate_string(st, field, a->location, REPORT_MAX_SHORT, 0, 0);
	validate_field(field, "activities", i, "notes");
	validate_string(st, field, a->notes, REPORT_MAX_NOTES, 0, 1);

	validate_field(field, "activities", i, "sessions");
	if (a->sessions < 1)
		report_errors_add(st->errs, field, "0 sessions, at least 1");
	else if (a->sessions > REPORT_MAX_SESSIONS)
		report_errors_add(st->errs, field, "%llu sessions, at most %llu",
		    (unsigned long long)a->sessions, REPORT_MAX_SESSIONS);

	validate_field(field, "activities", i, "participants");
	if (a->participants > REPORT_MAX_COUNT)
		report_errors_add(st->errs, field,
		    "%llu participants, at most %llu",
		    (unsigned long long)a->participants, REPORT_MAX_COUNT);
	validate_field(field, "activities", i, "female");
	if (a->female > REPORT_MAX_COUNT)
		report_errors_add(st->errs, field, "%llu women, at most %llu",
		    (unsigned long long)a->female, REPORT_MAX_COUNT);
	else if (a->female > a->participants)
		report_errors_add(st->errs, field,
		    "%llu women among %llu participants",
		    (unsigned long long)a->female,
		    (unsigned long long)a->participants);

	if (!have_start)
		return;
	if (!have_end)
		end = start;
	if (st->have_period)
		validate_activity_span(st, i, a, start, end, have_end);
	if (a->occasion > OCCASION_NONE && a->occasion < OCCASION_COUNT)
		validate_occasion(st, i, a, start, end);
}

static void
validate_activities(struct validate_state *st)
{
	const struct report	*r = st->r;
	size_t			 i, n = r->nactivities;
	int			 marked = 0;

	if (n > REPORT_MAX_ACTIVITIES) {
		report_errors_add(st->errs, "activities",
		    "%zu activities, at most %d", n, REPORT_MAX_ACTIVITIES);
		n = REPORT_MAX_ACTIVITIES;
	}
	if (r->activities == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		validate_activity(st, i, &r->activities[i]);
		if (r->activities[i].occasion == OCCASION_ACTION_MONTH ||
		    r->activities[i].occasion == OCCASION_VN_WOMENS_DAY)
			marked = 1;
	}

	/* The year's report is where the two autumn campaigns show. */
	if (st->warns != NULL && st->have_period &&
	    st->period.kind == PERIOD_YEAR && !marked)
		report_errors_add(st->warns, "activities",
		    "annual report without an action_month or vn_womens_day "
		    "activity");
}

/* The first value given for a code, or NULL. */
static const struct report_indicator_value *
validate_indicator_find(const struct report *r, size_t n, uint32_t code)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (r->indicators[i].code == code)
			return &r->indicators[i];
	return NULL;
}

/* "indicators.members.female" (as the JSON names it) when the code is
 * known, "indicators[3].female" otherwise. */
static void
validate_indicator_field(char field[REPORT_FIELD_MAX],
    const struct report_indicator_value *v, size_t i, const char *member)
{
	if (v->code > IND_UNSET && v->code < IND_COUNT)
		snprintf(field, REPORT_FIELD_MAX, "indicators.%s.%s",
		    report_indicators[v->code].id, member);
	else
		validate_field(field, "indicators", i, member);
}

static void
validate_indicators(struct validate_state *st)
{
	const struct report			*r = st->r;
	const struct report_indicator_value	*v, *part, *whole;
	char					 field[REPORT_FIELD_MAX];
	int					 seen[IND_COUNT] = { 0 };
	size_t					 i, n = r->nindicators;

	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(st->errs, "indicators",
		    "%zu indicators, at most %d", n, REPORT_MAX_INDICATORS);
		n = REPORT_MAX_INDICATORS;
	}
	if (r->indicators == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		v = &r->indicators[i];
		validate_field(field, "indicators", i, "code");
		validate_enum(st, field, v->code, IND_COUNT, "indicator");
		if (v->code > IND_UNSET && v->code < IND_COUNT) {
			if (seen[v->code])
				report_errors_add(st->errs, field,
				    "%s given twice", report_label_id(
				    report_indicators, IND_COUNT, v->code));
			seen[v->code] = 1;
		}
		validate_indicator_field(field, v, i, "total");
		if (v->total > REPORT_MAX_COUNT)
			report_errors_add(st->errs, field, "%llu, at most %llu",
			    (unsigned long long)v->total, REPORT_MAX_COUNT);
		validate_indicator_field(field, v, i, "female");
		if (v->female > REPORT_MAX_COUNT)
			report_errors_add(st->errs, field,
			    "%llu women, at most %llu",
			    (unsigned long long)v->female, REPORT_MAX_COUNT);
		else if (v->female > v->total)
			report_errors_add(st->errs, field,
			    "%llu women among a total of %llu",
			    (unsigned long long)v->female,
			    (unsigned long long)v->total);
	}

	/* Both must be given for the one to bound the other. */
	part = validate_indicator_find(r, n, IND_GBV_CASES_HANDLED);
	whole = validate_indicator_find(r, n, IND_GBV_CASES_DETECTED);
	if (part != NULL && whole != NULL && part->total > whole->total)
		report_errors_add(st->errs, "indicators.gbv_cases_handled",
		    "%llu cases handled, more than the %llu detected",
		    (unsigned long long)part->total,
		    (unsigned long long)whole->total);
	part = validate_indicator_find(r, n, IND_GVNDN_ACHIEVED);
	whole = validate_indicator_find(r, n, IND_GVNDN_REGISTERED);
	if (part != NULL && whole != NULL && part->total > whole->total)
		report_errors_add(st->errs, "indicators.gvndn_achieved",
		    "%llu achieved, more than the %llu registered",
		    (unsigned long long)part->total,
		    (unsigned long long)whole->total);
}

static void
validate_narrative(struct validate_state *st)
{
	char	 field[REPORT_FIELD_MAX];
	size_t	 t;

	for (t = 0; t < TEXT_COUNT; t++) {
		snprintf(field, sizeof(field), "narrative.%s",
		    report_texts[t].id);
		validate_string(st, field, st->r->narrative[t],
		    REPORT_MAX_NARRATIVE, t == TEXT_RESULTS, 1);
	}
	for (t = 0; t < LAW_REVIEW_COUNT; t++) {
		snprintf(field, sizeof(field), "law_review.%s",
		    report_texts[t].id);
		validate_string(st, field, st->r->law_review[t],
		    REPORT_MAX_NARRATIVE, 0, 1);
	}
}

static void
validate_late(struct validate_state *st)
{
	char	 due[DATE_LEN + 1], today[DATE_LEN + 1];
	long	 late;

	if (st->warns == NULL || !st->have_period ||
	    st->ctx->today <= st->period.due)
		return;
	date_format(st->period.due, due);
	date_format(st->ctx->today, today);
	late = (long)st->ctx->today - st->period.due;
	report_errors_add(st->warns, "period",
	    "late: due %s, submitted %s (%ld day%s late)", due, today, late,
	    late == 1 ? "" : "s");
}

int
validate_report(const struct report *r, const struct validate_context *ctx,
    struct report_errors *errs, struct report_errors *warnings)
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
	validate_activities(&st);
	validate_indicators(&st);
	validate_narrative(&st);
	validate_late(&st);

	return errs->n == 0 && errs->dropped == 0 ? 0 : -1;
}
