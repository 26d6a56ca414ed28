/*
 * The report as JSON (report_json.h). jansson does the syntax: it refuses
 * invalid UTF-8, NUL bytes in strings and duplicate keys, and bounds the
 * nesting depth. This file maps the tree to the model, collecting every
 * field error rather than stopping at the first, so a unit fixes its file
 * in one pass. Ranges and required fields are the validator's; here only
 * what the model cannot hold is refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "period.h"
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
	"area", "kind", "occasion", "status", "date", "end_date", "title",
	"location", "sessions", "participants", "female", "notes"
};

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
	report_errors_add(jr->errs, field, "unknown field");
}

/*
 * "unknown kind 'xyz'; one of: propaganda, ...". The list is what helps
 * most, so the value shown is cut to fit the message, or left out (as
 * when value is NULL: the field name already shows it).
 */
static void
json_unknown_value(struct json_read *jr, const char *field, const char *what,
    const char *value, const char *prefix, const struct report_label *tab,
    size_t n)
{
	char	list[REPORT_MESSAGE_MAX], shown[REPORT_MESSAGE_MAX];
	size_t	i, used;
	int	room;

	snprintf(list, sizeof(list), "%s", prefix);
	for (i = 1; i < n; i++) {
		used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s",
		    used > 0 ? ", " : "", tab[i].id);
	}
	room = REPORT_MESSAGE_MAX - 1 - (int)strlen(list) -
	    (int)strlen(what) - (int)strlen("unknown  ''; one of: ");
	if (value == NULL || room < 8) {
		report_errors_add(jr->errs, field, "unknown %s; one of: %s",
		    what, list);
		return;
	}
	json_show(value, shown, (size_t)room + 1);
	report_errors_add(jr->errs, field, "unknown %s '%s'; one of: %s",
	    what, shown, list);
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
		report_errors_add(jr->errs, field, "must be a string");
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
	switch (json_whole(v, dst)) {
	case 1:
		break;
	case 0:
		report_errors_add(jr->errs, field,
		    "must be a whole number from 0 to %llu",
		    (unsigned long long)REPORT_MAX_COUNT);
		break;
	default:
		report_errors_add(jr->errs, field, "must be a whole number");
		break;
	}
}

/* An enum by identifier; the area also by its number 1-6. */
static void
json_enum(struct json_read *jr, json_t *v, const char *field,
    const char *what, const struct report_label *tab, size_t n,
    int numbered, uint32_t *dst)
{
	char		 num[32];
	uint64_t	 u;
	uint32_t	 e;

	if (numbered && json_is_number(v)) {
		if (json_whole(v, &u) == 1 && u >= 1 && u < n) {
			*dst = (uint32_t)u;
			return;
		}
		if (json_is_integer(v))
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
		else
			snprintf(num, sizeof(num), "%g", json_real_value(v));
		json_unknown_value(jr, field, what, num, "1-6", tab, n);
		return;
	}
	if (!json_is_string(v)) {
		report_errors_add(jr->errs, field, numbered ?
		    "must be a string or a number from 1 to 6" :
		    "must be a string");
		return;
	}
	if ((e = report_label_find(tab, n, json_string_value(v))) == 0) {
		json_unknown_value(jr, field, what, json_string_value(v),
		    numbered ? "1-6" : "", tab, n);
		return;
	}
	*dst = e;
}

static int
json_is_object_or_error(struct json_read *jr, json_t *v,
    const char *field)
{
	if (json_is_object(v))
		return 1;
	report_errors_add(jr->errs, field, "must be an object");
	return 0;
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

/* narrative and law_review: texts named by report_texts, the first n. */
static void
json_texts(struct json_read *jr, json_t *obj, const char *name,
    char **texts, size_t n)
{
	char		 field[REPORT_FIELD_MAX];
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (!json_is_object_or_error(jr, obj, name))
		return;
	json_object_foreach(obj, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(key, report_texts[i].id) == 0)
				break;
		if (i == n) {
			json_unknown_field(jr, name, key);
			continue;
		}
		json_field(field, sizeof(field), name, key);
		json_text(jr, v, field, &texts[i]);
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

	snprintf(name, sizeof(name), "activities[%zu]", idx);
	if (!json_is_object_or_error(jr, obj, name))
		return;
	json_object_foreach(obj, key, v) {
		for (i = 0; i < sizeof(json_activity_keys) /
		    sizeof(json_activity_keys[0]); i++)
			if (strcmp(key, json_activity_keys[i]) == 0)
				break;
		if (i == sizeof(json_activity_keys) /
		    sizeof(json_activity_keys[0])) {
			json_unknown_field(jr, name, key);
			continue;
		}
		json_field(field, sizeof(field), name, key);
		if (strcmp(key, "area") == 0)
			json_enum(jr, v, field, "area", report_areas,
			    AREA_COUNT, 1, &a->area);
		else if (strcmp(key, "kind") == 0)
			json_enum(jr, v, field, "kind", report_kinds,
			    KIND_COUNT, 0, &a->kind);
		else if (strcmp(key, "occasion") == 0)
			json_enum(jr, v, field, "occasion", report_occasions,
			    OCCASION_COUNT, 0, &a->occasion);
		else if (strcmp(key, "status") == 0)
			json_enum(jr, v, field, "status", report_statuses,
			    STATUS_COUNT, 0, &a->status);
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
		else
			json_text(jr, v, field, &a->notes);
	}
}

static void
json_activities(struct json_read *jr, json_t *arr, struct report *r)
{
	size_t	i, n;

	if (!json_is_array(arr)) {
		report_errors_add(jr->errs, "activities", "must be an array");
		return;
	}
	n = json_array_size(arr);
	if (n > REPORT_MAX_ACTIVITIES) {
		report_errors_add(jr->errs, "activities",
		    "at most %d activities, not %zu", REPORT_MAX_ACTIVITIES, n);
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
		else if (strcmp(key, "female") == 0)
			json_count(jr, v, field, &iv->female);
		else if (!array_form || strcmp(key, "code") != 0)
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
	uint32_t			 code;
	size_t				 n;

	n = json_object_size(obj);
	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(jr->errs, "indicators",
		    "at most %d indicators, not %zu", REPORT_MAX_INDICATORS,
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
		code = report_label_find(report_indicators, IND_COUNT, key);
		if (code == 0) {
			/* The key is already in the field name. */
			json_unknown_value(jr, name, "indicator", NULL, "",
			    report_indicators, IND_COUNT);
			continue;
		}
		if (!json_is_object_or_error(jr, v, name))
			continue;
		iv = &r->indicators[r->nindicators++];
		iv->code = code;
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
	json_t			*v, *c;
	struct report_indicator_value	*iv;
	uint32_t			 code;
	size_t				 i, j, n;

	n = json_array_size(arr);
	if (n > REPORT_MAX_INDICATORS) {
		report_errors_add(jr->errs, "indicators",
		    "at most %d indicators, not %zu", REPORT_MAX_INDICATORS,
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
		snprintf(name, sizeof(name), "indicators[%zu]", i);
		json_field(field, sizeof(field), name, "code");
		v = json_array_get(arr, i);
		if (!json_is_object_or_error(jr, v, name))
			continue;
		code = 0;
		if ((c = json_object_get(v, "code")) == NULL)
			report_errors_add(jr->errs, field, "required");
		else if (!json_is_string(c))
			report_errors_add(jr->errs, field, "must be a string");
		else if ((code = report_label_find(report_indicators,
		    IND_COUNT, json_string_value(c))) == 0)
			json_unknown_value(jr, field, "indicator",
			    json_string_value(c), "", report_indicators,
			    IND_COUNT);
		for (j = 0; code != 0 && j < r->nindicators; j++) {
			if (r->indicators[j].code == code) {
				report_errors_add(jr->errs, field,
				    "indicator '%s' given twice",
				    report_indicators[code].id);
				code = 0;
			}
		}
		iv = &r->indicators[r->nindicators];
		iv->code = code;
		json_indicator_counts(jr, v, name, 1, iv);
		if (code != 0)
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
		report_errors_add(jr->errs, "indicators",
		    "must be an object or an array");
}

static void
json_report(struct json_read *jr, json_t *root, struct report *r)
{
	const char	*key;
	json_t		*v;

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
		else if (strcmp(key, "activities") == 0)
			json_activities(jr, v, r);
		else if (strcmp(key, "indicators") == 0)
			json_indicators(jr, v, r);
		else if (strcmp(key, "narrative") == 0)
			json_texts(jr, v, "narrative", r->narrative,
			    TEXT_COUNT);
		else if (strcmp(key, "law_review") == 0)
			json_texts(jr, v, "law_review", r->law_review,
			    LAW_REVIEW_COUNT);
		else
			json_unknown_field(jr, "", key);
	}
}

/* name prefixes a syntax error's cause (the file), or is NULL. */
static int
json_read(const char *text, size_t len, struct report **out,
    struct report_errors *errs, char *cause, size_t causelen,
    const char *name)
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
		snprintf(cause, causelen, "%s%slarger than 4 MiB",
		    name ? name : "", name ? ": " : "");
		return -1;
	}
	if ((root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES,
	    &error)) == NULL) {
		/* jansson quotes the input near the error: maybe the very
		 * bytes that are not UTF-8. */
		json_show(error.text, shown, sizeof(shown));
		snprintf(cause, causelen, "%s%sline %d column %d: %s",
		    name ? name : "", name ? ": " : "", error.line,
		    error.column, shown);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(cause, causelen,
		    "%s%sthe report must be a JSON object",
		    name ? name : "", name ? ": " : "");
		goto fail;
	}
	if ((r = report_new()) == NULL) {
		snprintf(cause, causelen, "out of memory");
		goto fail;
	}
	jr.errs = errs;
	jr.nomem = 0;
	before = errs->n + errs->dropped;
	json_report(&jr, root, r);
	if (jr.nomem) {
		snprintf(cause, causelen, "out of memory");
		goto fail;
	}
	if (errs->n + errs->dropped != before)
		goto fail;
	json_decref(root);
	*out = r;
	return 0;

 fail:
	report_free(r);
	json_decref(root);
	return -1;
}

int
report_json_read(const char *text, size_t len, struct report **out,
    struct report_errors *errs, char *cause, size_t causelen)
{
	return json_read(text, len, out, errs, cause, causelen, NULL);
}

int
report_json_read_file(const char *path, struct report **out,
    struct report_errors *errs, char *cause, size_t causelen)
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
		name = "standard input";
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
				    "%s: larger than 4 MiB", name);
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
		snprintf(cause, causelen, "%s: larger than 4 MiB", name);
		goto done;
	}
	rv = json_read(buf, len, out, errs, cause, causelen, name);

 done:
	free(buf);
	if (fp != stdin)
		fclose(fp);
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
	return json_object_set_new(obj, key, j);
}

static int
json_put_count(json_t *obj, const char *key, uint64_t v)
{
	if (v > (uint64_t)INT64_MAX)
		return -1;
	return json_object_set_new(obj, key, json_integer((json_int_t)v));
}

/* An unset enum is left out, so that it reads back unset. */
static int
json_put_enum(json_t *obj, const char *key, const struct report_label *tab,
    size_t n, uint32_t v)
{
	if (v == 0)
		return 0;
	return json_object_set_new(obj, key,
	    json_string(report_label_id(tab, n, v)));
}

/* An object of texts named by report_texts; left out when all absent. */
static int
json_put_texts(json_t *root, const char *key, char *const *texts, size_t n)
{
	json_t	*obj;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (texts[i] != NULL)
			break;
	if (i == n)
		return 0;
	if ((obj = json_object()) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (json_put_text(obj, report_texts[i].id, texts[i]) == -1) {
			json_decref(obj);
			return -1;
		}
	}
	return json_object_set_new(root, key, obj);
}

static json_t *
json_activity_new(const struct report_activity *a)
{
	json_t	*obj;

	if ((obj = json_object()) == NULL)
		return NULL;
	if (json_put_enum(obj, "area", report_areas, AREA_COUNT,
	    a->area) == -1 ||
	    json_put_enum(obj, "kind", report_kinds, KIND_COUNT,
	    a->kind) == -1 ||
	    json_put_enum(obj, "occasion", report_occasions, OCCASION_COUNT,
	    a->occasion) == -1 ||
	    json_put_enum(obj, "status", report_statuses, STATUS_COUNT,
	    a->status) == -1 ||
	    json_put_text(obj, "date", a->date) == -1 ||
	    json_put_text(obj, "end_date", a->end_date) == -1 ||
	    json_put_text(obj, "title", a->title) == -1 ||
	    json_put_text(obj, "location", a->location) == -1 ||
	    json_put_count(obj, "sessions", a->sessions) == -1 ||
	    json_put_count(obj, "participants", a->participants) == -1 ||
	    json_put_count(obj, "female", a->female) == -1 ||
	    json_put_text(obj, "notes", a->notes) == -1) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *
json_reporter_new(const struct report *r)
{
	json_t	*obj;

	if ((obj = json_object()) == NULL)
		return NULL;
	if (json_put_text(obj, "name", r->reporter_name) == -1 ||
	    json_put_text(obj, "position", r->reporter_position) == -1 ||
	    json_put_text(obj, "phone", r->reporter_phone) == -1) {
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
		if ((v = json_object()) == NULL ||
		    json_put_count(v, "total", iv->total) == -1 ||
		    json_put_count(v, "female", iv->female) == -1) {
			json_decref(v);
			json_decref(obj);
			return NULL;
		}
		if (json_object_set_new(obj, report_label_id(report_indicators,
		    IND_COUNT, iv->code), v) == -1) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

static json_t *
json_report_new(const struct report *r)
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
	    json_object_set_new(root, "reporter",
	    json_reporter_new(r)) == -1) ||
	    json_object_set_new(root, "activities",
	    json_activities_new(r)) == -1 ||
	    json_object_set_new(root, "indicators",
	    json_indicators_new(r)) == -1 ||
	    json_put_texts(root, "narrative", r->narrative, TEXT_COUNT) == -1 ||
	    json_put_texts(root, "law_review", r->law_review,
	    LAW_REVIEW_COUNT) == -1) {
		json_decref(root);
		return NULL;
	}
	return root;
}

char *
report_json_write(const struct report *r)
{
	json_t	*root;
	char	*s, *t;
	size_t	 len;

	if ((root = json_report_new(r)) == NULL)
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
 * The template: placeholders a unit overwrites, chosen so that the file
 * as generated already passes validation (a unit that only fills numbers
 * in never meets an error it did not cause).
 */
struct json_template_activity {
	uint32_t	 area;
	uint32_t	 kind;
	uint32_t	 occasion;	/* OCCASION_NONE or the day below */
	int		 month, day;	/* the occasion's day */
	int		 offset;	/* days after the coverage start */
	const char	*title;
	const char	*location;
};

static const struct json_template_activity json_template_activities[] = {
	{ AREA_POLICY_DISSEMINATION, KIND_PROPAGANDA, OCCASION_WOMENS_DAY,
	    3, 8, 7,
	    "Tuyên truyền Nghị quyết 11-NQ/TW và Chỉ thị 21-CT/TW về công tác "
	    "phụ nữ",
	    "Hội trường cơ quan" },
	{ AREA_STRATEGY_IMPLEMENTATION, KIND_CONFERENCE, OCCASION_NONE,
	    0, 0, 20,
	    "Hội nghị triển khai Chiến lược quốc gia về bình đẳng giới",
	    "Hội trường cơ quan" },
	{ AREA_COMMUNICATION_TRAINING, KIND_TALK, OCCASION_VN_WOMENS_DAY,
	    10, 20, 45,
	    "Nói chuyện chuyên đề về bình đẳng giới và phòng, chống bạo lực "
	    "gia đình",
	    "Hội trường cơ quan" },
	{ AREA_GENDER_LAW_REVIEW, KIND_REVIEW, OCCASION_NONE,
	    0, 0, 110,
	    "Hội nghị tổng kết 15 năm thi hành Luật Bình đẳng giới",
	    "Hội trường cơ quan" },
	{ AREA_FEMALE_CADRES, KIND_TRAINING, OCCASION_NONE,
	    0, 0, 130,
	    "Tập huấn, bồi dưỡng cán bộ nữ trong diện quy hoạch",
	    "Hội trường cơ quan" },
	{ AREA_INSPECTION, KIND_INSPECTION, OCCASION_NONE,
	    0, 0, 160,
	    "Kiểm tra, giám sát việc thực hiện chính sách đối với lao động nữ",
	    "Các công đoàn cơ sở" },
};

static const char *json_template_narrative[TEXT_COUNT] = {
	"(Nêu kết quả nổi bật của đơn vị trong kỳ báo cáo)",
	"(Nêu những thuận lợi)",
	"(Nêu những khó khăn)",
	"(Nêu những vướng mắc)",
	"(Nêu đề xuất, kiến nghị với LĐLĐ tỉnh)",
	"(Nêu phương hướng, nhiệm vụ kỳ tới)",
};

static const char *json_template_law_review[LAW_REVIEW_COUNT] = {
	"(Kết quả 15 năm thi hành Luật Bình đẳng giới tại đơn vị)",
	"(Thuận lợi trong thi hành Luật)",
	"(Khó khăn trong thi hành Luật)",
	"(Vướng mắc trong thi hành Luật)",
	"(Đề xuất sửa đổi, bổ sung Luật Bình đẳng giới)",
};

/* An activity lands on its occasion's day when the coverage holds it
 * (8/3 in both reports, 20/10 only in the annual one); otherwise it is a
 * regular activity some days into the coverage. */
static int
json_template_activity(const struct json_template_activity *t,
    const struct period *p, struct report_activity *a)
{
	char	date[DATE_LEN + 1];
	int32_t	day = INT32_MIN;

	if (t->occasion != OCCASION_NONE) {
		day = date_from_ymd(p->year, t->month, t->day);
		if (day < p->from || day > p->to)
			day = INT32_MIN;
	}
	a->occasion = day != INT32_MIN ? t->occasion : OCCASION_NONE;
	if (day == INT32_MIN) {
		day = p->from + t->offset;
		if (day > p->to)
			day = p->to;
	}
	date_format(day, date);
	a->area = t->area;
	a->kind = t->kind;
	a->status = STATUS_DONE;
	a->sessions = 1;
	a->participants = 0;
	a->female = 0;
	if ((a->date = strdup(date)) == NULL ||
	    (a->title = strdup(t->title)) == NULL ||
	    (a->location = strdup(t->location)) == NULL)
		return -1;
	return 0;
}

struct report *
report_template(const char *unit, const char *period,
    const struct period_rules *rules, const char **errstr)
{
	struct report	*r;
	struct period	 p;
	size_t		 i, n;

	if (unit == NULL) {
		*errstr = "no unit";
		return NULL;
	}
	if (period == NULL || period_parse(period, rules, &p, errstr) == -1) {
		if (period == NULL)
			*errstr = "no period";
		return NULL;
	}
	if ((r = report_new()) == NULL)
		goto nomem;
	if ((r->unit = strdup(unit)) == NULL ||
	    (r->period = strdup(period)) == NULL ||
	    (r->reporter_name = strdup("(Họ và tên người báo cáo)")) == NULL ||
	    (r->reporter_position = strdup("(Chức vụ)")) == NULL ||
	    (r->reporter_phone = strdup("(Số điện thoại)")) == NULL)
		goto nomem;

	n = sizeof(json_template_activities) /
	    sizeof(json_template_activities[0]);
	if ((r->activities = calloc(n, sizeof(*r->activities))) == NULL)
		goto nomem;
	r->nactivities = n;
	for (i = 0; i < n; i++)
		if (json_template_activity(&json_template_activities[i], &p,
		    &r->activities[i]) == -1)
			goto nomem;

	if ((r->indicators = calloc(IND_COUNT - 1,
	    sizeof(*r->indicators))) == NULL)
		goto nomem;
	for (i = 1; i < IND_COUNT; i++)
		r->indicators[r->nindicators++].code = (uint32_t)i;

	for (i = 0; i < TEXT_COUNT; i++)
		if ((r->narrative[i] = strdup(json_template_narrative[i])) ==
		    NULL)
			goto nomem;
	for (i = 0; i < LAW_REVIEW_COUNT; i++)
		if ((r->law_review[i] = strdup(json_template_law_review[i])) ==
		    NULL)
			goto nomem;
	return r;

 nomem:
	report_free(r);
	*errstr = "out of memory";
	return NULL;
}
