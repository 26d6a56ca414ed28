/*
 * The report as JSON (report_json.h). jansson does the syntax: it refuses
 * invalid UTF-8, NUL bytes in strings and duplicate keys, and bounds the
 * nesting depth. This file maps the tree to the model, collecting every
 * field error rather than stopping at the first, so a unit fixes its file
 * in one pass. Codes, ranges and required fields are the validator's,
 * against the form of the report's year; here only what the model cannot
 * hold is refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "placeholder.h"
#include "report.h"
#include "report_json.h"
#include "text.h"

/* How much of a key or value a peer wrote is repeated in an error. */
#define JSON_SHOW_MAX	32
#define JSON_READ_CHUNK	(64 * 1024)

struct json_read {
	struct report_errors	*errs;
	int			 nomem;
};

static const char *const json_activity_keys[] = {
	"area", "kind", "occasion", "status", "audience", "topic", "date",
	"end_date", "title", "location", "sessions", "participants", "female",
	"outputs", "notes"
};

/* Keys of the report that are not sections; any other key whose value is
 * an object is a section of the form ("law_review"). "form" and
 * "sections" are kept for later. */
static const char *const json_report_keys[] = {
	"id", "unit", "period", "reporter", "plan", "activities",
	"indicators", "narrative", "form", "sections"
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Copies text a peer wrote into an error message: control characters,
 * invisible ones and bytes that are not UTF-8 become '?' so the message is
 * safe on a terminal and in a protobuf string; cut at a character
 * boundary, marked with "...".
 */
static void
json_show(const char *s, char *out, size_t outlen)
{
	struct text_char	 ch;
	size_t			 o = 0, n;
	int			 safe;

	if (outlen == 0)
		return;
	for (; *s != '\0'; s += ch.len) {
		text_next(s, &ch);
		safe = ch.valid && ch.kind == TEXT_VISIBLE;
		n = safe ? ch.len : 1;
		/* Room for this character and, if more follows, "...". */
		if (o + n + (s[ch.len] != '\0' ? 3 : 0) >= outlen) {
			if (o + 3 < outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (safe)
			memcpy(out + o, s, n);
		else
			out[o] = '?';
		o += n;
	}
	out[o] = '\0';
}

/*
 * The name of member key of the object named parent ("" at the top). Our
 * own names always fit; a long key a peer made up is cut, which is fine
 * for a name that only has to point at the mistake.
 */
static void
json_field(char *out, size_t outlen, const char *parent, const char *key)
{
	char	shown[JSON_SHOW_MAX + 1];
	int	n;

	/* An empty key still has to point somewhere. */
	json_show(key[0] != '\0' ? key : "\"\"", shown, sizeof(shown));
	if (parent[0] == '\0')
		n = snprintf(out, outlen, "%s", shown);
	else
		n = snprintf(out, outlen, "%s.%s", parent, shown);
	if (n < 0 && outlen > 0)
		out[0] = '\0';
}

static void
json_unknown_field(struct json_read *jr, const char *parent, const char *key)
{
	char	field[REPORT_FIELD_MAX];

	json_field(field, sizeof(field), parent, key);
	report_errors_add(jr->errs, field, "%s", _("unknown field"));
}

/*
 * A text member: absent or null leaves *dst NULL. The copy keeps every
 * byte, so text written in either Unicode normal form reads back as it
 * was written; report_normalize makes it NFC before it is sent.
 */
static void
json_text(struct json_read *jr, json_t *v, const char *field,
    char **dst)
{
	char	*s;

	if (json_is_null(v))
		return;
	if (!json_is_string(v)) {
		report_errors_add(jr->errs, field, "%s", _("must be a string"));
		return;
	}
	if ((s = strndup(json_string_value(v), json_string_length(v))) ==
	    NULL) {
		jr->nomem = 1;
		return;
	}
	free(*dst);
	*dst = s;
}

/*
 * A whole number 0..REPORT_MAX_COUNT. A real with no fraction (120.0, as
 * some spreadsheet exports write) is the same number and is taken.
 * Returns 1 when taken, 0 for a number out of range or fractional, -1 for
 * anything that is not a number.
 */
static int
json_whole(json_t *v, uint64_t *out)
{
	json_int_t	i;
	double		d;

	if (json_is_integer(v)) {
		i = json_integer_value(v);
		if (i < 0 || (unsigned long long)i > REPORT_MAX_COUNT)
			return 0;
		*out = (uint64_t)i;
		return 1;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (!(d >= 0 && d <= (double)REPORT_MAX_COUNT) ||
		    d != (double)(uint64_t)d)
			return 0;
		*out = (uint64_t)d;
		return 1;
	}
	return -1;
}

static void
json_count(struct json_read *jr, json_t *v, const char *field,
    uint64_t *dst)
{
	char	max[I18N_MAX];

	switch (json_whole(v, dst)) {
	case 1:
		break;
	case 0:
		report_errors_add(jr->errs, field,
		    _("must be a whole number from 0 to %s"),
		    i18n_int(max, sizeof(max), REPORT_MAX_COUNT));
		break;
	default:
		report_errors_add(jr->errs, field, "%s",
		    _("must be a whole number"));
		break;
	}
}

static int
json_is_object_or_error(struct json_read *jr, json_t *v,
    const char *field)
{
	if (json_is_object(v))
		return 1;
	report_errors_add(jr->errs, field, "%s", _("must be an object"));
	return 0;
}

/* A code member: a string, kept as it is for the validator to judge. */
static void
json_code(struct json_read *jr, json_t *v, const char *field, char **dst)
{
	if (json_is_null(v))
		return;
	if (!json_is_string(v)) {
		report_errors_add(jr->errs, field, "%s", _("must be a string"));
		return;
	}
	json_text(jr, v, field, dst);
}

/* The area: a code, or its place in the form's list from 1. */
static void
json_area(struct json_read *jr, json_t *v, const char *field,
    struct report_activity *a)
{
	uint64_t	u;

	if (json_is_number(v)) {
		if (json_whole(v, &u) == 1 && u >= 1 && u <= UINT32_MAX)
			a->area_number = (uint32_t)u;
		else
			report_errors_add(jr->errs, field, "%s",
			    _("must be a code or a whole number from 1"));
		return;
	}
	if (!json_is_string(v)) {
		report_errors_add(jr->errs, field, "%s",
		    _("must be a string or a number from 1"));
		return;
	}
	json_text(jr, v, field, &a->area);
}

static void
json_reporter(struct json_read *jr, json_t *obj, struct report *r)
{
	const char	*key;
	json_t		*v;

	if (!json_is_object_or_error(jr, obj, "reporter"))
		return;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "name") == 0)
			json_text(jr, v, "reporter.name", &r->reporter_name);
		else if (strcmp(key, "position") == 0)
			json_text(jr, v, "reporter.position",
			    &r->reporter_position);
		else if (strcmp(key, "phone") == 0)
			json_text(jr, v, "reporter.phone", &r->reporter_phone);
		else
			json_unknown_field(jr, "reporter", key);
	}
}

static void
json_plan(struct json_read *jr, json_t *obj, struct report *r)
{
	const char	*key;
	json_t		*v;

	if (!json_is_object_or_error(jr, obj, "plan"))
		return;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "number") == 0)
			json_text(jr, v, "plan.number", &r->plan_number);
		else if (strcmp(key, "date") == 0)
			json_text(jr, v, "plan.date", &r->plan_date);
		else
			json_unknown_field(jr, "plan", key);
	}
}

/* The narrative or a section: an object of texts by code. */
static void
json_texts(struct json_read *jr, json_t *obj, const char *name,
    struct report_text **out, size_t *nout)
{
	char		 field[REPORT_FIELD_MAX];
	const char	*key;
	json_t		*v;
	size_t		 n;

	if (!json_is_object_or_error(jr, obj, name))
		return;
	if ((n = json_object_size(obj)) > REPORT_MAX_TEXTS) {
		report_errors_add(jr->errs, name,
		    _("at most %d texts, not %zu"),
		    REPORT_MAX_TEXTS, n);
		return;
	}
	if (n == 0)
		return;
	if ((*out = calloc(n, sizeof(**out))) == NULL) {
		jr->nomem = 1;
		return;
	}
	json_object_foreach(obj, key, v) {
		json_field(field, sizeof(field), name, key);
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			report_errors_add(jr->errs, field, "%s",
			    _("must be a string"));
			continue;
		}
		if (((*out)[*nout].code = strdup(key)) == NULL) {
			jr->nomem = 1;
			return;
		}
		(*nout)++;
		json_text(jr, v, field, &(*out)[*nout - 1].text);
	}
}

/* Output counts of a media activity: an object of counts by code. */
static void
json_outputs(struct json_read *jr, json_t *obj, const char *name,
    struct report_activity *a)
{
	char		 field[REPORT_FIELD_MAX];
	const char	*key;
	json_t		*v;
	size_t		 n;

	if (!json_is_object_or_error(jr, obj, name))
		return;
	if ((n = json_object_size(obj)) > REPORT_MAX_OUTPUTS) {
		report_errors_add(jr->errs, name, _("at most %d output counts, "
		    "not %zu"), REPORT_MAX_OUTPUTS, n);
		return;
	}
	if (n == 0)
		return;
	if ((a->outputs = calloc(n, sizeof(*a->outputs))) == NULL) {
		jr->nomem = 1;
		return;
	}
	json_object_foreach(obj, key, v) {
		json_field(field, sizeof(field), name, key);
		if ((a->outputs[a->noutputs].code = strdup(key)) == NULL) {
			jr->nomem = 1;
			return;
		}
		json_count(jr, v, field, &a->outputs[a->noutputs++].count);
	}
}

static void
json_activity(struct json_read *jr, json_t *obj, size_t idx,
    struct report_activity *a)
{
	char		 name[REPORT_FIELD_MAX], field[REPORT_FIELD_MAX];
	const char	*key;
	json_t		*v;
	size_t		 i;

	/* Field names are as the JSON spells them, in every language. */
	snprintf(name, sizeof(name), U_("activities[%zu]"), idx);
	if (!json_is_object_or_error(jr, obj, name))
		return;
	json_object_foreach(obj, key, v) {
		for (i = 0; i < NELEM(json_activity_keys); i++)
			if (strcmp(key, json_activity_keys[i]) == 0)
				break;
		if (i == NELEM(json_activity_keys)) {
			json_unknown_field(jr, name, key);
			continue;
		}
		json_field(field, sizeof(field), name, key);
		if (strcmp(key, "area") == 0)
			json_area(jr, v, field, a);
		else if (strcmp(key, "kind") == 0)
			json_code(jr, v, field, &a->kind);
		else if (strcmp(key, "occasion") == 0)
			json_code(jr, v, field, &a->occasion);
		else if (strcmp(key, "status") == 0)
			json_code(jr, v, field, &a->status);
		else if (strcmp(key, "audience") == 0)
			json_code(jr, v, field, &a->audience);
		else if (strcmp(key, "topic") == 0)
			json_code(jr, v, field, &a->topic);
		else if (strcmp(key, "date") == 0)
			json_text(jr, v, field, &a->date);
		else if (strcmp(key, "end_date") == 0)
			json_text(jr, v, field, &a->end_date);
		else if (strcmp(key, "title") == 0)
			json_text(jr, v, field, &a->title);
		else if (strcmp(key, "location") == 0)
			json_text(jr, v, field, &a->location);
		else if (strcmp(key, "sessions") == 0)
			json_count(jr, v, field, &a->sessions);
		else if (strcmp(key, "participants") == 0)
			json_count(jr, v, field, &a->participants);
		else if (strcmp(key, "female") == 0)
			json_count(jr, v, field, &a->female);
		else if (strcmp(key, "outputs") == 0)
			json_outputs(jr, v, field, a);
		else
			json_text(jr, v, field, &a->notes);
	}
}

static void
json_activities(struct json_read *jr, json_t *arr, struct report *r)
{
	size_t	i, n;

	if (!json_is_array(arr)) {
		report_errors_add(jr->errs, "activities", "%s",
		    _("must be an array"));
		return;
	}
	n = json_array_size(arr);
	if (n > REPORT_MAX_ACTIVITIES) {
		report_errors_add(jr->errs, "activities",
		    _("at most %d activities, not %zu"), REPORT_MAX_ACTIVITIES,
		    n);
		return;
	}
	if (n == 0)
		return;
	if ((r->activities = calloc(n, sizeof(*r->activities))) == NULL) {
		jr->nomem = 1;
		return;
	}
	/* Counted now so that report_free releases a partial row too. */
	r->nactivities = n;
	for (i = 0; i < n && !jr->nomem; i++)
		json_activity(jr, json_array_get(arr, i), i,
		    &r->activities[i]);
}

/* total and female of one indicator; code names it in the array form. */
static void
json_indicator_counts(struct json_read *jr, json_t *obj,
    const char *name, int array_form, struct report_indicator_value *iv)
{
	char		 field[REPORT_FIELD_MAX];
	const char	*key;
	json_t		*v;

	json_object_foreach(obj, key, v) {
		json_field(field, sizeof(field), name, key);
		if (strcmp(key, "total") == 0)
			json_count(jr, v, field, &iv->total);
		else if (strcmp(key, "female") == 0) {
			if (json_is_null(v))
				continue;
			json_count(jr, v, field, &iv->female);
			iv->has_female = 1;
		} else if (!array_form || strcmp(key, "code") != 0)
			json_unknown_field(jr, name, key);
	}
}

/* Indicators keyed by code, in the order the file gives them. */
static void
json_indicators_object(struct json_read *jr, json_t *obj,
    struct report *r)
{
	char				 name[REPORT_FIELD_MAX];
	const char			*key;
	json_t				*v;
	struct report_indicator_value	*iv;
	size_t				 n;

	n = json_object_size(obj);
	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(jr->errs, "indicators",
		    _("at most %d indicators, not %zu"), REPORT_MAX_INDICATORS,
		    n);
		return;
	}
	if (n == 0)
		return;
	if ((r->indicators = calloc(n, sizeof(*r->indicators))) == NULL) {
		jr->nomem = 1;
		return;
	}
	json_object_foreach(obj, key, v) {
		json_field(name, sizeof(name), "indicators", key);
		if (!json_is_object_or_error(jr, v, name))
			continue;
		iv = &r->indicators[r->nindicators++];
		if ((iv->code = strdup(key)) == NULL) {
			jr->nomem = 1;
			return;
		}
		json_indicator_counts(jr, v, name, 0, iv);
	}
}

/* [{"code": "members", "total": 1, "female": 0}, ...], as some tools
 * prefer rows to keys; a code given twice is refused, since the object
 * form the report is written in could not hold it. */
static void
json_indicators_array(struct json_read *jr, json_t *arr,
    struct report *r)
{
	char				 name[REPORT_FIELD_MAX];
	char				 field[REPORT_FIELD_MAX];
	json_t				*v, *c;
	struct report_indicator_value	*iv;
	const char			*code;
	size_t				 i, j, n;

	n = json_array_size(arr);
	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(jr->errs, "indicators",
		    _("at most %d indicators, not %zu"), REPORT_MAX_INDICATORS,
		    n);
		return;
	}
	if (n == 0)
		return;
	if ((r->indicators = calloc(n, sizeof(*r->indicators))) == NULL) {
		jr->nomem = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), U_("indicators[%zu]"), i);
		json_field(field, sizeof(field), name, "code");
		v = json_array_get(arr, i);
		if (!json_is_object_or_error(jr, v, name))
			continue;
		code = NULL;
		if ((c = json_object_get(v, "code")) == NULL)
			report_errors_add(jr->errs, field, "%s", _("required"));
		else if (!json_is_string(c))
			report_errors_add(jr->errs, field, "%s",
			    _("must be a string"));
		else
			code = json_string_value(c);
		for (j = 0; code != NULL && j < r->nindicators; j++) {
			if (strcmp(r->indicators[j].code, code) == 0) {
				report_errors_add(jr->errs, field,
				    "%s", _("indicator given twice"));
				code = NULL;
			}
		}
		iv = &r->indicators[r->nindicators];
		json_indicator_counts(jr, v, name, 1, iv);
		if (code == NULL)
			continue;
		if ((iv->code = strdup(code)) == NULL) {
			jr->nomem = 1;
			return;
		}
		r->nindicators++;
	}
}

static void
json_indicators(struct json_read *jr, json_t *v, struct report *r)
{
	if (json_is_object(v))
		json_indicators_object(jr, v, r);
	else if (json_is_array(v))
		json_indicators_array(jr, v, r);
	else
		report_errors_add(jr->errs, "indicators", "%s",
		    _("must be an object or an array"));
}

/* A key of the report that names no field of it: a section when it is
 * an object (the validator knows the form's), else a mistake. */
static void
json_section(struct json_read *jr, const char *key, json_t *v,
    struct report *r, size_t room)
{
	struct report_section	*s;
	char			 name[REPORT_FIELD_MAX];

	if (!json_is_object(v) || r->nsections == room) {
		json_unknown_field(jr, "", key);
		return;
	}
	s = &r->sections[r->nsections++];
	if ((s->code = strdup(key)) == NULL) {
		jr->nomem = 1;
		return;
	}
	/* The key as the peer wrote it names the section for the
	 * validator; its fields are named after the key as it can be
	 * shown. */
	json_field(name, sizeof(name), "", key);
	json_texts(jr, v, name, &s->fields, &s->nfields);
}

static void
json_report(struct json_read *jr, json_t *root, struct report *r)
{
	const char	*key;
	json_t		*v;
	size_t		 i, room = 0;

	json_object_foreach(root, key, v) {
		for (i = 0; i < NELEM(json_report_keys); i++)
			if (strcmp(key, json_report_keys[i]) == 0)
				break;
		if (i == NELEM(json_report_keys) && json_is_object(v))
			room++;
	}
	if (room > REPORT_MAX_SECTIONS) {
		report_errors_add(jr->errs, "sections",
		    _("at most %d sections, not %zu"), REPORT_MAX_SECTIONS, room);
		room = REPORT_MAX_SECTIONS;
	}
	if (room > 0 && (r->sections = calloc(room,
	    sizeof(*r->sections))) == NULL) {
		jr->nomem = 1;
		return;
	}

	json_object_foreach(root, key, v) {
		if (jr->nomem)
			return;
		if (strcmp(key, "id") == 0)
			json_text(jr, v, "id", &r->id);
		else if (strcmp(key, "unit") == 0)
			json_text(jr, v, "unit", &r->unit);
		else if (strcmp(key, "period") == 0)
			json_text(jr, v, "period", &r->period);
		else if (strcmp(key, "reporter") == 0)
			json_reporter(jr, v, r);
		else if (strcmp(key, "plan") == 0)
			json_plan(jr, v, r);
		else if (strcmp(key, "activities") == 0)
			json_activities(jr, v, r);
		else if (strcmp(key, "indicators") == 0)
			json_indicators(jr, v, r);
		else if (strcmp(key, "narrative") == 0)
			json_texts(jr, v, "narrative", &r->narrative,
			    &r->nnarrative);
		else if (strcmp(key, "form") == 0 ||
		    strcmp(key, "sections") == 0)
			json_unknown_field(jr, "", key);
		else
			json_section(jr, key, v, r, room);
	}
}

/*
 * Areas given by number become the codes of the period's form: a number
 * is a place in a list, which only the form can say.
 */
static void
json_area_numbers(struct json_read *jr, const struct form_set *forms,
    struct report *r)
{
	const struct form	*f = NULL;
	struct period		 p;
	struct report_activity	*a;
	char			 field[REPORT_FIELD_MAX], *cause = NULL;
	size_t			 i, n = 0;

	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		if (a->area_number == 0)
			continue;
		snprintf(field, sizeof(field), U_("activities[%zu].area"), i);
		if (f == NULL && (forms == NULL || r->period == NULL ||
		    form_set_period(forms, r->period, &f, &p, &cause) == -1)) {
			free(cause);
			cause = NULL;
			report_errors_add(jr->errs, field, "%s", _("a number "
			    "needs the form of the report's period; give the "
			    "area's code"));
			continue;
		}
		n = form_count(f, FORM_AREAS);
		if (a->area_number > n) {
			report_errors_add(jr->errs, field, _("no area %u in "
			    "the %d form (1 to %zu)"),
			    (unsigned int)a->area_number,
			    form_year(f), n);
			continue;
		}
		if ((a->area = strdup(form_at(f, FORM_AREAS,
		    a->area_number - 1)->code)) == NULL) {
			jr->nomem = 1;
			return;
		}
		a->area_number = 0;
	}
}

/* name prefixes a syntax error's cause (the file), or is NULL; keep
 * returns a report with field errors in *out too. */
static int
json_read(const char *text, size_t len, const struct form_set *forms,
    struct report **out, struct report_errors *errs, char *cause,
    size_t causelen, const char *name, int keep)
{
	struct json_read	 jr;
	struct report		*r = NULL;
	json_t			*root;
	json_error_t		 error;
	char			 shown[JSON_ERROR_TEXT_LENGTH];
	size_t			 before;

	*out = NULL;
	if (causelen > 0)
		cause[0] = '\0';
	if (len > REPORT_JSON_MAX) {
		if (name != NULL)
			snprintf(cause, causelen, _("%s: larger than 4 MiB"),
			    name);
		else
			snprintf(cause, causelen, "%s", _("larger than 4 MiB"));
		return -1;
	}
	if ((root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES,
	    &error)) == NULL) {
		/* jansson quotes the input near the error: maybe the very
		 * bytes that are not UTF-8. */
		json_show(error.text, shown, sizeof(shown));
		/* TRANSLATORS: where the JSON is broken, and the JSON
		 * library's words (English) on what is wrong there. */
		if (name != NULL)
			snprintf(cause, causelen, _("%s: line %d column %d: "
			    "%s"), name, error.line, error.column, shown);
		else
			snprintf(cause, causelen, _("line %d column %d: %s"),
			    error.line, error.column, shown);
		return -1;
	}
	if (!json_is_object(root)) {
		if (name != NULL)
			snprintf(cause, causelen, _("%s: the report must be a "
			    "JSON object"), name);
		else
			snprintf(cause, causelen, "%s",
			    _("the report must be a JSON object"));
		goto fail;
	}
	if ((r = report_new()) == NULL) {
		snprintf(cause, causelen, "%s", _("out of memory"));
		goto fail;
	}
	jr.errs = errs;
	jr.nomem = 0;
	before = errs->n + errs->dropped;
	json_report(&jr, root, r);
	if (!jr.nomem)
		json_area_numbers(&jr, forms, r);
	if (jr.nomem) {
		snprintf(cause, causelen, "%s", _("out of memory"));
		goto fail;
	}
	if (errs->n + errs->dropped != before) {
		if (!keep)
			goto fail;
		json_decref(root);
		*out = r;
		return -1;
	}
	json_decref(root);
	*out = r;
	return 0;

 fail:
	report_free(r);
	json_decref(root);
	return -1;
}

int
report_json_read(const char *text, size_t len, const struct form_set *forms,
    struct report **out, struct report_errors *errs, char *cause,
    size_t causelen)
{
	return json_read(text, len, forms, out, errs, cause, causelen, NULL,
	    0);
}

static int
json_read_file(const char *path, const struct form_set *forms,
    struct report **out, struct report_errors *errs, char *cause,
    size_t causelen, int keep)
{
	FILE		*fp;
	const char	*name;
	char		*buf = NULL, *nbuf;
	size_t		 len = 0, size = 0, n;
	int		 rv = -1;

	*out = NULL;
	if (causelen > 0)
		cause[0] = '\0';
	if (strcmp(path, "-") == 0) {
		fp = stdin;
		name = _("standard input");
	} else if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(cause, causelen, "%s: %s", path, strerror(errno));
		return -1;
	} else
		name = path;

	/* One byte past the limit tells a file at the limit from a larger. */
	for (;;) {
		if (len == size) {
			if (size > REPORT_JSON_MAX) {
				snprintf(cause, causelen,
				    _("%s: larger than 4 MiB"), name);
				goto done;
			}
			size = size == 0 ? JSON_READ_CHUNK : size * 2;
			if (size > REPORT_JSON_MAX + 1)
				size = REPORT_JSON_MAX + 1;
			if ((nbuf = realloc(buf, size)) == NULL) {
				snprintf(cause, causelen, "%s: %s", name,
				    strerror(errno));
				goto done;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, size - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				snprintf(cause, causelen, "%s: %s", name,
				    strerror(errno));
				goto done;
			}
			break;
		}
	}
	if (len > REPORT_JSON_MAX) {
		snprintf(cause, causelen, _("%s: larger than 4 MiB"), name);
		goto done;
	}
	rv = json_read(buf, len, forms, out, errs, cause, causelen, name,
	    keep);

 done:
	free(buf);
	if (fp != stdin)
		fclose(fp);
	return rv;
}

int
report_json_read_file(const char *path, const struct form_set *forms,
    struct report **out, struct report_errors *errs, char *cause,
    size_t causelen)
{
	return json_read_file(path, forms, out, errs, cause, causelen, 0);
}

int
report_json_read_file_all(const char *path, const struct form_set *forms,
    struct report **out, struct report_errors *errs, char *cause,
    size_t causelen)
{
	return json_read_file(path, forms, out, errs, cause, causelen, 1);
}

/* json_object_set_new (v's reference taken, even on failure) under a
 * key that may be a code from a server, and then perhaps not UTF-8,
 * which jansson refuses: written with U+FFFD for each bad byte, as text
 * is. Returns 0, or -1 when out of memory. */
static int
json_set(json_t *obj, const char *key, json_t *v)
{
	char	*fixed;
	int	 rv;

	if ((fixed = text_repair(key, strlen(key))) == NULL) {
		json_decref(v);
		return -1;
	}
	rv = json_object_set_new(obj, fixed, v);
	free(fixed);
	return rv;
}

/* Absent (NULL) text is left out. A validated report's text is UTF-8;
 * one from a server may not be, and is written with U+FFFD for each bad
 * byte rather than not at all. Returns 0, or -1 when out of memory. */
static int
json_put_text(json_t *obj, const char *key, const char *s)
{
	json_t	*j;
	char	*fixed;

	if (s == NULL)
		return 0;
	if ((j = json_string(s)) == NULL &&
	    (fixed = text_repair(s, strlen(s))) != NULL) {
		j = json_string(fixed);
		free(fixed);
	}
	return json_set(obj, key, j);
}

static int
json_put_count(json_t *obj, const char *key, uint64_t v)
{
	if (v > (uint64_t)INT64_MAX)
		return -1;
	return json_set(obj, key, json_integer((json_int_t)v));
}

/*
 * Texts as an object by code: in the order of the form's list when there
 * is one (a report read back from its canonical bytes has them by code),
 * those the list lacks after them; left out when there are none.
 */
static int
json_put_texts(json_t *root, const char *key, const struct report_text *v,
    size_t n, const struct form_entry *list, size_t nlist)
{
	json_t	*obj;
	size_t	 i, k;

	if (n == 0)
		return 0;
	if ((obj = json_object()) == NULL)
		return -1;
	for (k = 0; k < nlist; k++)
		for (i = 0; i < n; i++)
			if (v[i].code != NULL &&
			    strcmp(v[i].code, list[k].code) == 0 &&
			    json_object_get(obj, v[i].code) == NULL &&
			    json_put_text(obj, v[i].code, v[i].text) == -1)
				goto fail;
	for (i = 0; i < n; i++)
		if (v[i].code != NULL && json_object_get(obj, v[i].code) ==
		    NULL && json_put_text(obj, v[i].code, v[i].text) == -1)
			goto fail;
	return json_set(root, key, obj);
fail:
	json_decref(obj);
	return -1;
}

static json_t *
json_outputs_new(const struct report_activity *a)
{
	json_t	*obj;
	size_t	 i;

	if ((obj = json_object()) == NULL)
		return NULL;
	for (i = 0; i < a->noutputs; i++) {
		if (a->outputs[i].code == NULL ||
		    json_put_count(obj, a->outputs[i].code,
		    a->outputs[i].count) == -1) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

static json_t *
json_activity_new(const struct report_activity *a)
{
	json_t	*obj;

	if ((obj = json_object()) == NULL)
		return NULL;
	if (json_put_text(obj, "area", a->area) == -1 ||
	    json_put_text(obj, "kind", a->kind) == -1 ||
	    json_put_text(obj, "occasion", a->occasion) == -1 ||
	    json_put_text(obj, "status", a->status) == -1 ||
	    json_put_text(obj, "audience", a->audience) == -1 ||
	    json_put_text(obj, "topic", a->topic) == -1 ||
	    json_put_text(obj, "date", a->date) == -1 ||
	    json_put_text(obj, "end_date", a->end_date) == -1 ||
	    json_put_text(obj, "title", a->title) == -1 ||
	    json_put_text(obj, "location", a->location) == -1 ||
	    json_put_count(obj, "sessions", a->sessions) == -1 ||
	    json_put_count(obj, "participants", a->participants) == -1 ||
	    json_put_count(obj, "female", a->female) == -1 ||
	    (a->noutputs > 0 && json_object_set_new(obj, "outputs",
	    json_outputs_new(a)) == -1) ||
	    json_put_text(obj, "notes", a->notes) == -1) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *
json_pair_new(const char *k1, const char *v1, const char *k2,
    const char *v2)
{
	json_t	*obj;

	if ((obj = json_object()) == NULL)
		return NULL;
	if (json_put_text(obj, k1, v1) == -1 ||
	    json_put_text(obj, k2, v2) == -1) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *
json_activities_new(const struct report *r)
{
	json_t	*arr;
	size_t	 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < r->nactivities; i++) {
		/* append_new takes the reference, and refuses NULL. */
		if (json_array_append_new(arr,
		    json_activity_new(&r->activities[i])) == -1) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* Written as the object form, keyed by code in the report's order. */
static json_t *
json_indicators_new(const struct report *r)
{
	const struct report_indicator_value	*iv;
	json_t					*obj, *v;
	size_t					 i;

	if ((obj = json_object()) == NULL)
		return NULL;
	for (i = 0; i < r->nindicators; i++) {
		iv = &r->indicators[i];
		if (iv->code == NULL)
			continue;
		if ((v = json_object()) == NULL ||
		    json_put_count(v, "total", iv->total) == -1 ||
		    (iv->has_female &&
		    json_put_count(v, "female", iv->female) == -1)) {
			json_decref(v);
			json_decref(obj);
			return NULL;
		}
		if (json_set(obj, iv->code, v) == -1) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

/* The sections, in the form's order when there is one. */
static int
json_put_sections(json_t *root, const struct report *r,
    const struct form *form)
{
	const struct report_section	*s;
	const struct form_entry		*e;
	size_t				 i, k, n;

	n = form != NULL ? form_count(form, FORM_SECTIONS) : 0;
	for (k = 0; k <= n; k++) {
		e = k < n ? form_at(form, FORM_SECTIONS, k) : NULL;
		for (i = 0; i < r->nsections; i++) {
			s = &r->sections[i];
			if (s->code == NULL || json_object_get(root, s->code) !=
			    NULL || (e != NULL && strcmp(e->code, s->code) != 0))
				continue;
			if (s->nfields == 0) {
				if (json_set(root, s->code, json_object()) ==
				    -1)
					return -1;
			} else if (json_put_texts(root, s->code, s->fields,
			    s->nfields, e != NULL ? e->fields : NULL,
			    e != NULL ? e->nfields : 0) == -1)
				return -1;
		}
	}
	return 0;
}

static json_t *
json_report_new(const struct report *r, const struct form *form)
{
	json_t	*root;

	if ((root = json_object()) == NULL)
		return NULL;
	/* set_new takes the value's reference even when it fails. */
	if (json_put_text(root, "id", r->id) == -1 ||
	    json_put_text(root, "unit", r->unit) == -1 ||
	    json_put_text(root, "period", r->period) == -1 ||
	    ((r->reporter_name != NULL || r->reporter_position != NULL ||
	    r->reporter_phone != NULL) &&
	    json_object_set_new(root, "reporter", json_pair_new("name",
	    r->reporter_name, "position", r->reporter_position)) == -1) ||
	    ((r->plan_number != NULL || r->plan_date != NULL) &&
	    json_object_set_new(root, "plan", json_pair_new("number",
	    r->plan_number, "date", r->plan_date)) == -1) ||
	    json_object_set_new(root, "activities",
	    json_activities_new(r)) == -1 ||
	    json_object_set_new(root, "indicators",
	    json_indicators_new(r)) == -1 ||
	    json_put_texts(root, "narrative", r->narrative, r->nnarrative,
	    form != NULL ? form_at(form, FORM_NARRATIVE, 0) : NULL,
	    form != NULL ? form_count(form, FORM_NARRATIVE) : 0) == -1 ||
	    json_put_sections(root, r, form) == -1) {
		json_decref(root);
		return NULL;
	}
	/* The phone after the name and position, as people write them. */
	if (r->reporter_phone != NULL && json_put_text(json_object_get(root,
	    "reporter"), "phone", r->reporter_phone) == -1) {
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *
report_json_object(const struct report *r, const struct form *form)
{
	return json_report_new(r, form);
}

char *
report_json_write(const struct report *r, const struct form *form)
{
	json_t	*root;
	char	*s, *t;
	size_t	 len;

	if ((root = json_report_new(r, form)) == NULL)
		return NULL;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		return NULL;
	/* A text file ends with a newline. */
	len = strlen(s);
	if ((t = realloc(s, len + 2)) == NULL) {
		free(s);
		return NULL;
	}
	t[len] = '\n';
	t[len + 1] = '\0';
	return t;
}

/*
 * The template: the form's Vietnamese labels and hints as the text a unit
 * overwrites (placeholder.h), in a file whose only errors are that text:
 * validate names each field still holding it, and nothing else a unit did
 * not cause. One activity per area on a regular day of the coverage, one
 * more of the first media kind with every output count, every indicator,
 * every narrative text and every section the period may have.
 */

static int
json_template_texts(struct report_text **out, size_t *nout,
    const struct form_entry *list, size_t n)
{
	size_t	i;

	if (n == 0)
		return 0;
	if ((*out = calloc(n, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		*nout = i + 1;
		if (((*out)[i].code = strdup(list[i].code)) == NULL ||
		    ((*out)[i].text = placeholder_text(&list[i])) == NULL)
			return -1;
	}
	return 0;
}

/* The first occasion without days of its own ("none"), or the first. */
static const struct form_entry *
json_template_regular(const struct form *f)
{
	const struct form_entry	*e;
	size_t			 i;

	for (i = 0; (e = form_at(f, FORM_OCCASIONS, i)) != NULL; i++)
		if (!e->has_window)
			return e;
	return form_at(f, FORM_OCCASIONS, 0);
}

/* An activity n days into the coverage (at most its last day). */
static int
json_template_activity(struct report_activity *a, const struct period *p,
    const char *area, const struct form_entry *kind,
    const struct form_entry *occasion, int offset, const char *title)
{
	char	date[DATE_LEN + 1];
	int32_t	day;

	day = p->from + offset;
	if (day > p->to)
		day = p->to;
	date_format(day, date);
	a->sessions = 1;
	if ((a->area = strdup(area)) == NULL ||
	    (a->kind = strdup(kind->code)) == NULL ||
	    (a->occasion = strdup(occasion->code)) == NULL ||
	    (a->status = strdup(U_("done"))) == NULL ||
	    (a->date = strdup(date)) == NULL ||
	    (a->location = strdup(PLACEHOLDER_LOCATION)) == NULL ||
	    (a->title = placeholder_title(title)) == NULL)
		return -1;
	return 0;
}

/* A report its period expects an occasion of (the annual report's action
 * month) gets one: a's date moves to its first day when the coverage
 * holds it. */
static int
json_template_expected(const struct form *f, const struct period *p,
    struct report_activity *a)
{
	const struct form_period	*fp = form_period(f, p->kind);
	const struct form_entry		*o;
	char				 date[DATE_LEN + 1];
	int32_t				 day;
	size_t				 k;
	int				 dy;

	for (k = 0; fp != NULL && k < fp->nexpect; k++) {
		o = fp->expect[k];
		for (dy = -1; o->has_window && dy <= 0; dy++) {
			day = date_from_ymd(p->year + dy, o->from_month,
			    o->from_day);
			if (day < p->from || day > p->to)
				continue;
			date_format(day, date);
			free(a->occasion);
			free(a->date);
			a->occasion = strdup(o->code);
			a->date = strdup(date);
			return a->occasion == NULL || a->date == NULL ? -1 : 0;
		}
	}
	return 0;
}

struct report *
report_template(const char *unit, const char *period,
    const struct form_set *forms, char **cause)
{
	const struct form	*f;
	const struct form_entry	*e, *media = NULL, *regular;
	struct report		*r;
	struct report_section	*s;
	struct period		 p;
	size_t			 i, n, nareas;
	int			 offset;

	*cause = NULL;
	if (unit == NULL || period == NULL) {
		*cause = strdup(unit == NULL ? _("no unit") : _("no period"));
		return NULL;
	}
	if (form_set_period(forms, period, &f, &p, cause) == -1)
		return NULL;
	if ((r = report_new()) == NULL)
		goto nomem;
	/* The template's placeholders are in the form's language. */
	if ((r->unit = strdup(unit)) == NULL ||
	    (r->period = strdup(period)) == NULL ||
	    (r->reporter_name = strdup(PLACEHOLDER_REPORTER_NAME)) == NULL ||
	    (r->reporter_position = strdup(PLACEHOLDER_REPORTER_POSITION)) ==
	    NULL ||
	    (r->reporter_phone = strdup(PLACEHOLDER_REPORTER_PHONE)) == NULL ||
	    (r->plan_number = strdup(PLACEHOLDER_PLAN_NUMBER)) == NULL)
		goto nomem;

	for (i = 0; (e = form_at(f, FORM_KINDS, i)) != NULL; i++)
		if (e->media && media == NULL)
			media = e;
	nareas = form_count(f, FORM_AREAS);
	n = nareas + (media != NULL && form_count(f, FORM_OUTPUTS) > 0);
	if ((r->activities = calloc(n, sizeof(*r->activities))) == NULL)
		goto nomem;
	r->nactivities = n;
	regular = json_template_regular(f);
	/* Spread over the coverage, a few weeks apart. */
	for (i = 0, offset = 7; i < nareas; i++, offset += 21) {
		e = form_at(f, FORM_AREAS, i);
		if (json_template_activity(&r->activities[i], &p, e->code,
		    form_at(f, FORM_KINDS, 0), regular, offset, e->label) == -1)
			goto nomem;
	}
	if (nareas > 0 && json_template_expected(f, &p,
	    &r->activities[nareas - 1]) == -1)
		goto nomem;
	if (n > nareas) {
		if (json_template_activity(&r->activities[nareas], &p,
		    form_at(f, FORM_AREAS, 0)->code, media, regular, offset,
		    media->label) == -1)
			goto nomem;
		r->activities[nareas].sessions = 0;
		n = form_count(f, FORM_OUTPUTS);
		if ((r->activities[nareas].outputs = calloc(n,
		    sizeof(struct report_count))) == NULL)
			goto nomem;
		for (i = 0; i < n; i++) {
			r->activities[nareas].noutputs = i + 1;
			if ((r->activities[nareas].outputs[i].code = strdup(
			    form_at(f, FORM_OUTPUTS, i)->code)) == NULL)
				goto nomem;
		}
	}

	n = form_count(f, FORM_INDICATORS);
	if (n > 0 && (r->indicators = calloc(n,
	    sizeof(*r->indicators))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		e = form_at(f, FORM_INDICATORS, i);
		r->nindicators = i + 1;
		r->indicators[i].has_female = e->female_share;
		if ((r->indicators[i].code = strdup(e->code)) == NULL)
			goto nomem;
	}

	if (json_template_texts(&r->narrative, &r->nnarrative,
	    form_at(f, FORM_NARRATIVE, 0), form_count(f, FORM_NARRATIVE)) == -1)
		goto nomem;
	n = form_count(f, FORM_SECTIONS);
	if (n > 0 && (r->sections = calloc(n, sizeof(*r->sections))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		e = form_at(f, FORM_SECTIONS, i);
		if (!form_section_in(e, p.kind))
			continue;
		s = &r->sections[r->nsections++];
		if ((s->code = strdup(e->code)) == NULL ||
		    json_template_texts(&s->fields, &s->nfields, e->fields,
		    e->nfields) == -1)
			goto nomem;
	}
	return r;

 nomem:
	report_free(r);
	*cause = strdup(_("out of memory"));
	return NULL;
}
