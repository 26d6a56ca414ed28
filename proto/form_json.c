/*
 * Reading a form file (gp-forms(5)): jansson does the syntax (it refuses
 * invalid UTF-8, NUL bytes in strings and, asked to, duplicate keys);
 * this file checks every key, value and reference, collecting every
 * problem with the key path that holds it ("areas[3].code") so that a
 * form is fixed in one pass, then makes the canonical bytes and their
 * SHA-256.
 *
 * A problem never quotes text from the file unless it is a short run of
 * printable ASCII: the cause goes to logs and terminals.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "form.h"
#include "form_priv.h"
#include "i18n.h"
#include "period.h"
#include "text.h"

#define FORM_PATH_MAX	160
#define FORM_SHOW_MAX	48	/* bytes of a value a message repeats */

struct form_read {
	char			 name[256];	/* as messages show it */
	struct form_cause	 cause;
	struct form		*f;
	int			 nomem;
};

/* Keys of each kind of entry; NULL ends each. */
static const char *const form_keys_root[] = {
	"format", "year", "title", "periods", "statuses", "areas", "kinds",
	"occasions", "audiences", "topics", "outputs", "indicators",
	"narrative", "sections", NULL
};
static const char *const form_keys_periods[] = { "H1", "annual", NULL };
static const char *const form_keys_period[] = {
	"label", "from", "to", "due", "planned_until", "expect_occasions",
	NULL
};
static const char *const form_keys_plain[] = { "code", "label", NULL };
static const char *const form_keys_kind[] = {
	"code", "label", "media", NULL
};
static const char *const form_keys_occasion[] = {
	"code", "label", "from", "to", "slack_days", "slack_days_before",
	"slack_days_after", NULL
};
static const char *const form_keys_indicator[] = {
	"code", "label", "female_share", "not_more_than", NULL
};
static const char *const form_keys_text[] = {
	"code", "label", "required", "hint", NULL
};
static const char *const form_keys_section[] = {
	"code", "label", "periods", "required", "fields", NULL
};

/* A report's own keys: a section is a key of the report beside them. */
static const char *const form_report_keys[] = {
	"id", "unit", "period", "reporter", "activities", "indicators",
	"narrative", "plan", "form", "sections", NULL
};

/* The fixed statuses: their meaning is built into the validation. */
static const char *const form_statuses[] = { "done", "planned", NULL };

struct form_list_spec {
	const char		*key;
	int			 required;	/* the key must be there */
	size_t			 min;	/* entries, at least */
	const char *const	*keys;
};

static const struct form_list_spec form_specs[FORM_LIST_COUNT] = {
	[FORM_AREAS] = { "areas", 1, 1, form_keys_plain },
	[FORM_KINDS] = { "kinds", 1, 1, form_keys_kind },
	[FORM_OCCASIONS] = { "occasions", 1, 1, form_keys_occasion },
	[FORM_STATUSES] = { "statuses", 1, 2, form_keys_plain },
	[FORM_AUDIENCES] = { "audiences", 0, 0, form_keys_plain },
	[FORM_TOPICS] = { "topics", 0, 0, form_keys_plain },
	[FORM_OUTPUTS] = { "outputs", 0, 0, form_keys_plain },
	[FORM_INDICATORS] = { "indicators", 1, 0, form_keys_indicator },
	[FORM_NARRATIVE] = { "narrative", 1, 1, form_keys_text },
	[FORM_SECTIONS] = { "sections", 0, 0, form_keys_section },
};

static void	form_read_extension(struct form_read *, json_t *,
		    const char *);

static void
form_err(struct form_read *rd, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
form_err(struct form_read *rd, const char *path, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path[0] == '\0')
		form_cause_add(&rd->cause, "%s: %s", rd->name, msg);
	else
		form_cause_add(&rd->cause, "%s: %s: %s", rd->name, path, msg);
}

static int
form_failed(const struct form_read *rd)
{
	return rd->cause.n > 0 || rd->cause.dropped > 0 || rd->cause.nomem;
}

/* Short printable ASCII, what codes, dates and keys are meant to be: a
 * message may repeat it. */
static int
form_printable(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (i == FORM_SHOW_MAX || s[i] < 0x20 || s[i] > 0x7e ||
		    s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

/* s in double quotes and a space, to start a message; "" when it is not
 * printable, and the message goes without it. */
static const char *
form_show(const char *s, char out[FORM_SHOW_MAX + 4])
{
	if (form_printable(s))
		snprintf(out, FORM_SHOW_MAX + 4, "\"%s\" ", s);
	else
		out[0] = '\0';
	return out;
}

/*
 * Paths are ours but for keys of the file, shown only when short: they
 * fit. Should one not, it ends in "..." and still points at the mistake.
 */
static void
form_path_cut(char out[FORM_PATH_MAX], int n)
{
	if (n < 0 || n >= FORM_PATH_MAX)
		memcpy(out + FORM_PATH_MAX - 4, "...", 4);
}

/* parent.key, as snprintf would make it; made for every key read, so
 * without snprintf's cost. */
static void
form_path(char out[FORM_PATH_MAX], const char *parent, const char *key)
{
	size_t	plen, klen, n;

	if (key[0] == '\0')
		key = "\"\"";
	else if (!form_printable(key))
		key = "(a key not shown)";
	plen = strlen(parent);
	klen = strlen(key);
	n = plen + (plen > 0) + klen;
	if (n >= FORM_PATH_MAX) {
		form_path_cut(out, snprintf(out, FORM_PATH_MAX, "%s%s%s",
		    parent, plen > 0 ? "." : "", key));
		return;
	}
	memcpy(out, parent, plen);
	if (plen > 0)
		out[plen++] = '.';
	memcpy(out + plen, key, klen + 1);
}

static void
form_path_index(char out[FORM_PATH_MAX], const char *parent, size_t i)
{
	form_path_cut(out, snprintf(out, FORM_PATH_MAX, "%s[%zu]", parent,
	    i));
}

static const char form_why_nfc[] = N_("is not in Unicode NFC (composed) "
    "form: save the file with composed characters");

/*
 * Why s (len bytes, no NUL inside) is not a label: not UTF-8, a control
 * or format character (a zero-width space, a direction mark), a line or
 * paragraph separator, or not in NFC. NULL when it is fine; *nomem on
 * allocation failure.
 */
static const char *
form_text_why(const char *s, size_t len, int *nomem)
{
	char		*nfc;
	size_t		 at, nfclen;
	uint32_t	 cp;
	int		 same;

	switch (text_check(s, len, 0, &at, &cp)) {
	case TEXT_OK:
		break;
	case TEXT_NOT_UTF8:
		return _("not valid UTF-8");
	case TEXT_HAS_CONTROL:
		return _("holds a control character (a label is one line)");
	default:
		if (cp == 0x2028 || cp == 0x2029)
			return _("holds a line or paragraph separator");
		return _("holds an invisible format character (such as "
		    "a zero-width space or a direction mark)");
	}
	if (text_is_nfc(s, len))
		return NULL;
	if ((nfc = text_nfc(s, len, &nfclen)) == NULL) {
		*nomem = 1;
		return _("cannot be normalised");
	}
	same = nfclen == len && memcmp(nfc, s, len) == 0;
	free(nfc);
	return same ? NULL : form_why_nfc;
}

/* Every key of obj is one of keys, or an extension ("x_..."). */
static void
form_read_keys(struct form_read *rd, json_t *obj, const char *path,
    const char *const *keys)
{
	char		 sub[FORM_PATH_MAX], want[256];
	const char	*key;
	json_t		*v;
	size_t		 i, used;

	json_object_foreach(obj, key, v) {
		form_path(sub, path, key);
		if (strncmp(key, "x_", 2) == 0) {
			form_read_extension(rd, v, sub);
			continue;
		}
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (keys[i] != NULL)
			continue;
		want[0] = '\0';
		for (i = 0; keys[i] != NULL; i++) {
			used = strlen(want);
			snprintf(want + used, sizeof(want) - used, "%s%s",
			    i > 0 ? ", " : "", keys[i]);
		}
		form_err(rd, sub, _("unknown key (the keys here are %s, and "
		    "x_ for notes)"), want);
	}
}

/* Extensions hold any JSON but fractions, whose printing is not the same
 * in every version of jansson: the canonical bytes must be. */
static void
form_read_extension(struct form_read *rd, json_t *v, const char *path)
{
	char		 sub[FORM_PATH_MAX];
	const char	*key;
	json_t		*m;
	size_t		 i;

	if (json_is_real(v))
		form_err(rd, path, _("a number with a fraction; numbers in a "
		    "form are whole"));
	else if (json_is_object(v)) {
		json_object_foreach(v, key, m) {
			form_path(sub, path, key);
			form_read_extension(rd, m, sub);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m) {
			form_path_index(sub, path, i);
			form_read_extension(rd, m, sub);
		}
	}
}

/* Member key of obj; NULL (with "required" when it is) when absent. */
static json_t *
form_member(struct form_read *rd, json_t *obj, const char *path,
    const char *key, int required)
{
	char	 sub[FORM_PATH_MAX];
	json_t	*v;

	if ((v = json_object_get(obj, key)) == NULL && required) {
		form_path(sub, path, key);
		form_err(rd, sub, _("required"));
	}
	return v;
}

static const char *
form_read_code(struct form_read *rd, json_t *v, const char *path)
{
	char		 shown[FORM_SHOW_MAX + 4];
	const char	*s;
	size_t		 i, len;

	if (!json_is_string(v)) {
		form_err(rd, path, _("must be a string (a code)"));
		return NULL;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			break;
	if (len == 0 || len > FORM_MAX_CODE || i < len) {
		form_err(rd, path, _("%sis not a code (a to z, 0 to 9 and _, 1 "
		    "to %d characters)"), form_show(s, shown), FORM_MAX_CODE);
		return NULL;
	}
	return s;
}

/* A label, title or hint: one line of NFC text, no blanks around it. */
static const char *
form_read_text(struct form_read *rd, json_t *v, const char *path,
    size_t max)
{
	const char	*s, *why;
	size_t		 len;

	if (!json_is_string(v)) {
		form_err(rd, path, _("must be a string"));
		return NULL;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0) {
		form_err(rd, path, _("empty"));
		return NULL;
	}
	if (len > max) {
		form_err(rd, path, _("%zu bytes, at most %zu"), len, max);
		return NULL;
	}
	if (strlen(s) != len) {
		form_err(rd, path, _("holds a NUL character"));
		return NULL;
	}
	if ((why = form_text_why(s, len, &rd->nomem)) != NULL) {
		form_err(rd, path, "%s", why == form_why_nfc ?
		    _(form_why_nfc) : why);
		return NULL;
	}
	if (s[0] == ' ' || s[len - 1] == ' ') {
		form_err(rd, path, _("starts or ends with a space"));
		return NULL;
	}
	return s;
}

static int
form_read_bool(struct form_read *rd, json_t *v, const char *path, int *out)
{
	if (!json_is_boolean(v)) {
		form_err(rd, path, _("must be true or false"));
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

static int
form_read_int(struct form_read *rd, json_t *v, const char *path,
    long long min, long long max, long long *out)
{
	json_int_t	i;

	if (!json_is_integer(v)) {
		form_err(rd, path, _("must be a whole number from %lld to "
		    "%lld"), min, max);
		return -1;
	}
	i = json_integer_value(v);
	if (i < min || i > max) {
		form_err(rd, path, _("%lld, not from %lld to %lld"),
		    (long long)i, min, max);
		return -1;
	}
	*out = i;
	return 0;
}

/* A real date, YYYY-MM-DD. */
static int
form_read_date(struct form_read *rd, json_t *v, const char *path,
    int32_t *day)
{
	char	shown[FORM_SHOW_MAX + 4];

	if (!json_is_string(v)) {
		form_err(rd, path, _("must be a string (a date, YYYY-MM-DD)"));
		return -1;
	}
	if (date_parse(json_string_value(v), day) == -1) {
		form_err(rd, path, _("%sis not a date (YYYY-MM-DD)"),
		    form_show(json_string_value(v), shown));
		return -1;
	}
	return 0;
}

/* MM-DD of a day every year has (02-29 is not one). */
static int
form_read_monthday(struct form_read *rd, json_t *v, const char *path,
    int *month, int *day)
{
	char		 shown[FORM_SHOW_MAX + 4], date[DATE_LEN + 1];
	const char	*s;
	int32_t		 d;
	int		 y;

	if (!json_is_string(v)) {
		form_err(rd, path, _("must be a string (MM-DD)"));
		return -1;
	}
	s = json_string_value(v);
	/* A day of 2001, which is not a leap year. */
	snprintf(date, sizeof(date), "2001-%.5s", s);
	if (strlen(s) != 5 || date_parse(date, &d) == -1) {
		form_err(rd, path, _("%sis not a day of every year (MM-DD)"),
		    form_show(s, shown));
		return -1;
	}
	date_to_ymd(d, &y, month, day);
	return 0;
}

static void
form_read_kind(struct form_read *rd, json_t *obj, const char *path,
    struct form_entry *e)
{
	char	 sub[FORM_PATH_MAX];
	json_t	*v;

	if ((v = form_member(rd, obj, path, "media", 0)) != NULL) {
		form_path(sub, path, "media");
		form_read_bool(rd, v, sub, &e->media);
	}
}

static void
form_read_occasion(struct form_read *rd, json_t *obj, const char *path,
    struct form_entry *e)
{
	static const char *const slack_keys[] = {
		"slack_days", "slack_days_before", "slack_days_after"
	};
	char		 sub[FORM_PATH_MAX];
	json_t		*from, *to, *v;
	long long	 slack[3] = { FORM_SLACK_DEFAULT, -1, -1 };
	size_t		 i;
	int		 ok;

	from = json_object_get(obj, "from");
	to = json_object_get(obj, "to");
	if ((from == NULL) != (to == NULL)) {
		form_path(sub, path, from == NULL ? "from" : "to");
		form_err(rd, sub, _("required with %s (an occasion has both or "
		    "neither)"), from == NULL ? "to" : "from");
	} else if (from != NULL) {
		form_path(sub, path, "from");
		ok = form_read_monthday(rd, from, sub, &e->from_month,
		    &e->from_day) == 0;
		form_path(sub, path, "to");
		if (form_read_monthday(rd, to, sub, &e->to_month,
		    &e->to_day) == 0 && ok)
			e->has_window = 1;
	}
	for (i = 0; i < 3; i++) {
		if ((v = json_object_get(obj, slack_keys[i])) == NULL)
			continue;
		form_path(sub, path, slack_keys[i]);
		if (from == NULL && to == NULL)
			form_err(rd, sub, _("only for an occasion with from "
			    "and to"));
		else
			form_read_int(rd, v, sub, 0, FORM_SLACK_MAX,
			    &slack[i]);
	}
	e->slack_before = (int)(slack[1] >= 0 ? slack[1] : slack[0]);
	e->slack_after = (int)(slack[2] >= 0 ? slack[2] : slack[0]);
}

/* not_more_than is a reference: form_read_references resolves it. */
static void
form_read_indicator(struct form_read *rd, json_t *obj, const char *path,
    struct form_entry *e)
{
	char	 sub[FORM_PATH_MAX];
	json_t	*v;

	if ((v = form_member(rd, obj, path, "female_share", 1)) != NULL) {
		form_path(sub, path, "female_share");
		form_read_bool(rd, v, sub, &e->female_share);
	}
}

/* required and hint: narrative texts and section fields. */
static void
form_read_textentry(struct form_read *rd, json_t *obj, const char *path,
    struct form_entry *e)
{
	char	 sub[FORM_PATH_MAX];
	json_t	*v;

	if ((v = json_object_get(obj, "required")) != NULL) {
		form_path(sub, path, "required");
		form_read_bool(rd, v, sub, &e->required);
	}
	if ((v = json_object_get(obj, "hint")) != NULL) {
		form_path(sub, path, "hint");
		e->hint = form_read_text(rd, v, sub, FORM_MAX_LABEL);
	}
}

/* "H1" or "annual" to enum period_kind; 0 for anything else. */
static int
form_period_kind(const char *s)
{
	if (strcmp(s, "H1") == 0)
		return PERIOD_HALF;
	if (strcmp(s, "annual") == 0)
		return PERIOD_YEAR;
	return 0;
}

static void	form_read_entries(struct form_read *, json_t *, const char *,
		    const struct form_list_spec *, struct form_entry *);

static void
form_read_section(struct form_read *rd, json_t *obj, const char *path,
    struct form_entry *e, struct form_entry *fields)
{
	static const struct form_list_spec field_spec = {
		"fields", 1, 1, form_keys_text
	};
	char		 sub[FORM_PATH_MAX], item[FORM_PATH_MAX];
	char		 shown[FORM_SHOW_MAX + 4];
	json_t		*v, *p;
	size_t		 i;
	int		 kind;

	for (i = 0; e->code != NULL && form_report_keys[i] != NULL; i++)
		if (strcmp(e->code, form_report_keys[i]) == 0) {
			form_path(sub, path, "code");
			form_err(rd, sub, _("\"%s\" is a key of every report, "
			    "not free for a section"), e->code);
		}
	if ((v = json_object_get(obj, "required")) != NULL) {
		form_path(sub, path, "required");
		form_read_bool(rd, v, sub, &e->required);
	}

	form_path(sub, path, "periods");
	if ((v = form_member(rd, obj, path, "periods", 1)) == NULL)
		;
	else if (!json_is_array(v) || json_array_size(v) == 0)
		form_err(rd, sub, _("must be a list of \"H1\", \"annual\" or "
		    "both"));
	else
		json_array_foreach(v, i, p) {
			form_path_index(item, sub, i);
			kind = json_is_string(p) ?
			    form_period_kind(json_string_value(p)) : 0;
			if (kind == 0)
				form_err(rd, item, _("%sis not a period "
				    "(\"H1\" or \"annual\")"),
				    json_is_string(p) ?
				    form_show(json_string_value(p), shown) :
				    "");
			else if (e->periods & FORM_PERIOD_BIT(kind))
				form_err(rd, item, _("given twice"));
			else
				e->periods |= FORM_PERIOD_BIT(kind);
		}

	form_path(sub, path, "fields");
	if ((v = form_member(rd, obj, path, "fields", 1)) != NULL) {
		e->fields = fields;
		if (json_is_array(v) && json_array_size(v) <= FORM_MAX_ENTRIES)
			e->nfields = json_array_size(v);
		form_read_entries(rd, v, sub, &field_spec, fields);
	}
}

/* Section fields of the whole form, for one pool: 0 when not a list. */
static size_t
form_count_fields(json_t *sections)
{
	json_t	*s, *fields;
	size_t	 i, n = 0;

	if (!json_is_array(sections) ||
	    json_array_size(sections) > FORM_MAX_ENTRIES)
		return 0;
	json_array_foreach(sections, i, s) {
		fields = json_is_object(s) ? json_object_get(s, "fields") :
		    NULL;
		if (json_is_array(fields) &&
		    json_array_size(fields) <= FORM_MAX_ENTRIES)
			n += json_array_size(fields);
	}
	return n;
}

/*
 * The entries of one list (or of a section's fields) into out, one per
 * element; codes unique, labels unique. Sections draw their fields from
 * the form's pool in turn.
 */
static void
form_read_entries(struct form_read *rd, json_t *arr, const char *path,
    const struct form_list_spec *spec, struct form_entry *out)
{
	char			 item[FORM_PATH_MAX], sub[FORM_PATH_MAX];
	char			 shown[FORM_SHOW_MAX + 4];
	struct form_entry	*e;
	json_t			*obj, *v;
	size_t			 i, j, n, pool = 0;

	if (!json_is_array(arr)) {
		form_err(rd, path, _("must be a list"));
		return;
	}
	n = json_array_size(arr);
	if (n > FORM_MAX_ENTRIES) {
		form_err(rd, path, _("%zu entries, at most %d"), n,
		    FORM_MAX_ENTRIES);
		return;
	}
	if (n < spec->min) {
		if (spec->min == 1)
			form_err(rd, path, _("needs at least one entry"));
		else
			form_err(rd, path, _("needs at least two entries"));
		return;
	}
	json_array_foreach(arr, i, obj) {
		e = &out[i];
		e->index = i;
		form_path_index(item, path, i);
		if (!json_is_object(obj)) {
			form_err(rd, item, _("must be an object"));
			continue;
		}
		form_read_keys(rd, obj, item, spec->keys);
		form_path(sub, item, "code");
		if ((v = form_member(rd, obj, item, "code", 1)) != NULL)
			e->code = form_read_code(rd, v, sub);
		form_path(sub, item, "label");
		if ((v = form_member(rd, obj, item, "label", 1)) != NULL)
			e->label = form_read_text(rd, v, sub, FORM_MAX_LABEL);

		for (j = 0; j < i; j++) {
			if (e->code != NULL && out[j].code != NULL &&
			    strcmp(e->code, out[j].code) == 0) {
				form_path(sub, item, "code");
				form_err(rd, sub, _("%sis already the code of "
				    "%s[%zu]"), form_show(e->code, shown),
				    path, j);
			}
			if (e->label != NULL && out[j].label != NULL &&
			    strcmp(e->label, out[j].label) == 0) {
				form_path(sub, item, "label");
				form_err(rd, sub, _("the same as %s[%zu].label:"
				    " a person could not tell them apart"),
				    path, j);
			}
		}

		if (spec->keys == form_keys_kind)
			form_read_kind(rd, obj, item, e);
		else if (spec->keys == form_keys_occasion)
			form_read_occasion(rd, obj, item, e);
		else if (spec->keys == form_keys_indicator)
			form_read_indicator(rd, obj, item, e);
		else if (spec->keys == form_keys_text)
			form_read_textentry(rd, obj, item, e);
		else if (spec->keys == form_keys_section) {
			v = json_object_get(obj, "fields");
			form_read_section(rd, obj, item, e,
			    rd->f->fieldpool != NULL ? rd->f->fieldpool + pool :
			    NULL);
			if (json_is_array(v) &&
			    json_array_size(v) <= FORM_MAX_ENTRIES)
				pool += json_array_size(v);
		}
	}
}

static void
form_read_list(struct form_read *rd, json_t *root, enum form_list list)
{
	const struct form_list_spec	*spec = &form_specs[list];
	struct form			*f = rd->f;
	json_t				*arr;
	size_t				 n;

	if ((arr = form_member(rd, root, "", spec->key, spec->required)) ==
	    NULL)
		return;
	/* A list refused as a whole has no entries to look at. */
	n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n >= spec->min && n > 0 && n <= FORM_MAX_ENTRIES) {
		if ((f->lists[list] = calloc(n, sizeof(*f->lists[list]))) ==
		    NULL) {
			rd->nomem = 1;
			return;
		}
		f->counts[list] = n;
	}
	form_read_entries(rd, arr, spec->key, spec, f->lists[list]);
}

/* The statuses are exactly done and planned. */
static void
form_read_statuses(struct form_read *rd)
{
	struct form	*f = rd->f;
	char		 path[FORM_PATH_MAX], shown[FORM_SHOW_MAX + 4];
	size_t		 i, k;

	for (i = 0; i < f->counts[FORM_STATUSES]; i++) {
		if (f->lists[FORM_STATUSES][i].code == NULL)
			continue;
		for (k = 0; form_statuses[k] != NULL; k++)
			if (strcmp(f->lists[FORM_STATUSES][i].code,
			    form_statuses[k]) == 0)
				break;
		if (form_statuses[k] == NULL) {
			snprintf(path, sizeof(path), "statuses[%zu].code", i);
			form_err(rd, path, _("%sis not a status gp knows (the "
			    "statuses are done and planned)"),
			    form_show(f->lists[FORM_STATUSES][i].code, shown));
		}
	}
	if (f->counts[FORM_STATUSES] == 0)
		return;
	for (k = 0; form_statuses[k] != NULL; k++)
		if (form_find(f, FORM_STATUSES, form_statuses[k]) == NULL)
			form_err(rd, "statuses", _("no \"%s\" (the statuses "
			    "are done and planned)"), form_statuses[k]);
}

/* The year a day falls in. */
static int
form_year_of(int32_t day)
{
	int	y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return y;
}

/* Dates of one period; 1 when all four read and agree. */
static int
form_read_period(struct form_read *rd, json_t *obj, const char *path,
    int kind, struct form_period *p)
{
	static const char *const dates[] = {
		"from", "to", "due", "planned_until"
	};
	int32_t		*days[] = {
		&p->from, &p->to, &p->due, &p->planned_until
	};
	char		 sub[FORM_PATH_MAX];
	char		 a[DATE_LEN + 1], b[DATE_LEN + 1];
	json_t		*v;
	size_t		 i;
	int		 ok = 1, year = rd->f->year;

	p->kind = kind;
	if (!json_is_object(obj)) {
		form_err(rd, path, _("must be an object"));
		return 0;
	}
	form_read_keys(rd, obj, path, form_keys_period);
	form_path(sub, path, "label");
	if ((v = form_member(rd, obj, path, "label", 1)) != NULL)
		p->label = form_read_text(rd, v, sub, FORM_MAX_LABEL);
	for (i = 0; i < 4; i++) {
		form_path(sub, path, dates[i]);
		if ((v = form_member(rd, obj, path, dates[i], 1)) == NULL ||
		    form_read_date(rd, v, sub, days[i]) == -1)
			ok = 0;
	}
	if (!ok)
		return 0;

	date_format(p->from, a);
	date_format(p->to, b);
	if (p->to < p->from) {
		form_path(sub, path, "to");
		form_err(rd, sub, _("%s is before %s.from %s"), b, path, a);
		ok = 0;
	}
	date_format(p->due, a);
	if (p->due < p->to) {
		form_path(sub, path, "due");
		form_err(rd, sub, _("%s is before %s.to %s"), a, path, b);
		ok = 0;
	}
	date_format(p->planned_until, a);
	if (p->planned_until < p->to) {
		form_path(sub, path, "planned_until");
		form_err(rd, sub, _("%s is before %s.to %s"), a, path, b);
		ok = 0;
	}
	if (year == 0)
		return 0;

	/* A period is named for the year its coverage ends in. */
	if (form_year_of(p->to) != year) {
		form_path(sub, path, "to");
		form_err(rd, sub, _("%s is not in the form's year %d"), b,
		    year);
		ok = 0;
	}
	date_format(p->from, a);
	if (form_year_of(p->from) < year - 1) {
		form_path(sub, path, "from");
		form_err(rd, sub, _("%s is not in %d or %d"), a, year - 1,
		    year);
		ok = 0;
	}
	for (i = 2; i < 4; i++) {
		date_format(*days[i], a);
		if (form_year_of(*days[i]) > year + 1) {
			form_path(sub, path, dates[i]);
			form_err(rd, sub, _("%s is not in %d or %d"), a, year,
			    year + 1);
			ok = 0;
		}
	}
	return ok;
}

static void
form_read_periods(struct form_read *rd, json_t *root)
{
	struct form_period	*h1 = &rd->f->periods[0];
	struct form_period	*annual = &rd->f->periods[1];
	char			 a[DATE_LEN + 1], b[DATE_LEN + 1];
	json_t			*obj, *v;
	int			 ok;

	if ((obj = form_member(rd, root, "", "periods", 1)) == NULL)
		return;
	if (!json_is_object(obj)) {
		form_err(rd, "periods", _("must be an object"));
		return;
	}
	form_read_keys(rd, obj, "periods", form_keys_periods);
	ok = (v = form_member(rd, obj, "periods", "H1", 1)) != NULL &&
	    form_read_period(rd, v, "periods.H1", PERIOD_HALF, h1);
	if ((v = form_member(rd, obj, "periods", "annual", 1)) == NULL ||
	    !form_read_period(rd, v, "periods.annual", PERIOD_YEAR, annual) ||
	    !ok)
		return;
	if (h1->to >= annual->to) {
		date_format(h1->to, a);
		date_format(annual->to, b);
		form_err(rd, "periods.H1.to", _("%s is not before "
		    "periods.annual.to %s"), a, b);
	}
}

/* The occasions a period expects; after the occasions are read. */
static void
form_read_expect(struct form_read *rd, json_t *root, int kind)
{
	struct form_period	*p = &rd->f->periods[kind - PERIOD_HALF];
	const struct form_entry	*occ;
	char			 path[FORM_PATH_MAX], item[FORM_PATH_MAX];
	char			 shown[FORM_SHOW_MAX + 4];
	json_t			*periods, *arr, *v;
	size_t			 i, j, n;

	periods = json_object_get(root, "periods");
	arr = json_is_object(periods) ? json_object_get(json_object_get(
	    periods, kind == PERIOD_HALF ? "H1" : "annual"),
	    "expect_occasions") : NULL;
	if (arr == NULL)
		return;
	snprintf(path, sizeof(path), "periods.%s.expect_occasions",
	    kind == PERIOD_HALF ? "H1" : "annual");
	if (!json_is_array(arr) || (n = json_array_size(arr)) == 0) {
		form_err(rd, path, _("must be a list of occasion codes"));
		return;
	}
	if (n > FORM_MAX_ENTRIES) {
		form_err(rd, path, _("%zu entries, at most %d"), n,
		    FORM_MAX_ENTRIES);
		return;
	}
	if ((p->expect = calloc(n, sizeof(*p->expect))) == NULL) {
		rd->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, v) {
		form_path_index(item, path, i);
		if (!json_is_string(v)) {
			form_err(rd, item, _("must be a string (an occasion "
			    "code)"));
			continue;
		}
		if ((occ = form_find(rd->f, FORM_OCCASIONS,
		    json_string_value(v))) == NULL) {
			form_err(rd, item, _("%sis not an occasion of this "
			    "form"), form_show(json_string_value(v), shown));
			continue;
		}
		for (j = 0; j < p->nexpect; j++)
			if (p->expect[j] == occ)
				break;
		if (j < p->nexpect)
			form_err(rd, item, _("given twice"));
		else
			p->expect[p->nexpect++] = occ;
	}
}

/* not_more_than: another indicator of the form, and no cycle. */
static void
form_read_bounds(struct form_read *rd, json_t *root)
{
	struct form		*f = rd->f;
	struct form_entry	*ind = f->lists[FORM_INDICATORS];
	const struct form_entry	*e;
	char			 path[FORM_PATH_MAX];
	char			 shown[FORM_SHOW_MAX + 4], chain[512];
	json_t			*arr, *v;
	size_t			 i, k, used, least;
	size_t			 n = f->counts[FORM_INDICATORS];

	arr = json_object_get(root, "indicators");
	for (i = 0; i < n; i++) {
		v = json_object_get(json_array_get(arr, i), "not_more_than");
		if (v == NULL)
			continue;
		snprintf(path, sizeof(path), "indicators[%zu].not_more_than",
		    i);
		if (!json_is_string(v))
			form_err(rd, path, _("must be a string (an indicator "
			    "code)"));
		else if ((ind[i].not_more_than = form_find(f, FORM_INDICATORS,
		    json_string_value(v))) == NULL)
			form_err(rd, path, _("%sis not an indicator of this "
			    "form"), form_show(json_string_value(v), shown));
	}

	/* Each cycle once, from its first indicator. */
	for (i = 0; i < n; i++) {
		least = i;
		e = ind[i].not_more_than;
		for (k = 0; e != NULL && e != &ind[i] && k < n; k++) {
			if (e->index < least)
				least = e->index;
			e = e->not_more_than;
		}
		if (e != &ind[i] || least != i)
			continue;
		snprintf(chain, sizeof(chain), "%s", ind[i].code);
		e = ind[i].not_more_than;
		do {
			used = strlen(chain);
			snprintf(chain + used, sizeof(chain) - used, " -> %s",
			    e->code);
			e = e->not_more_than;
		} while (e != ind[i].not_more_than);
		snprintf(path, sizeof(path), "indicators[%zu].not_more_than",
		    i);
		form_err(rd, path, _("a cycle: %s"), chain);
	}
}

static void
form_read_root(struct form_read *rd, json_t *root)
{
	struct form	*f = rd->f;
	long long	 v;
	json_t		*m;
	size_t		 nfields;
	int		 list;

	/* A newer format may mean keys this code has never heard of: say
	 * only that. */
	if ((m = form_member(rd, root, "", "format", 1)) != NULL) {
		if (json_is_integer(m) && json_integer_value(m) > FORM_FORMAT) {
			form_err(rd, "format", _("%lld is newer than this gp "
			    "reads (%d): upgrade gp"),
			    (long long)json_integer_value(m), FORM_FORMAT);
			return;
		}
		form_read_int(rd, m, "format", FORM_FORMAT, FORM_FORMAT, &v);
	}
	form_read_keys(rd, root, "", form_keys_root);
	if ((m = form_member(rd, root, "", "year", 1)) != NULL &&
	    form_read_int(rd, m, "year", FORM_YEAR_MIN, FORM_YEAR_MAX,
	    &v) == 0)
		f->year = (int)v;
	if ((m = form_member(rd, root, "", "title", 1)) != NULL)
		f->title = form_read_text(rd, m, "title", FORM_MAX_TITLE);
	form_read_periods(rd, root);

	nfields = form_count_fields(json_object_get(root, "sections"));
	if (nfields > 0 && (f->fieldpool = calloc(nfields,
	    sizeof(*f->fieldpool))) == NULL) {
		rd->nomem = 1;
		return;
	}
	for (list = 0; list < FORM_LIST_COUNT && !rd->nomem; list++)
		form_read_list(rd, root, list);
	if (rd->nomem)
		return;
	form_read_statuses(rd);
	form_read_expect(rd, root, PERIOD_HALF);
	form_read_expect(rd, root, PERIOD_YEAR);
	form_read_bounds(rd, root);

	if (f->counts[FORM_OUTPUTS] > 0) {
		for (nfields = 0; nfields < f->counts[FORM_KINDS]; nfields++)
			if (f->lists[FORM_KINDS][nfields].media)
				break;
		if (nfields == f->counts[FORM_KINDS])
			form_err(rd, "outputs", _("no kind is a media kind "
			    "(\"media\": true) to report them"));
	}
}

int
form_digest(const struct form *cf)
{
	static const char	 hex[] = "0123456789abcdef";
	/* The lock is the form's own; the canonical bytes are what it
	 * would have had from the start. */
	struct form		*f = (struct form *)(uintptr_t)cf;
	unsigned int		 n = FORM_SHA256_LEN;
	size_t			 i;
	int			 rv;

	pthread_mutex_lock(&f->lock);
	if (f->digested == 0) {
		f->digested = -1;
		if ((f->canon = json_dumps(f->doc, JSON_COMPACT |
		    JSON_SORT_KEYS)) != NULL) {
			f->canonlen = strlen(f->canon);
			if (EVP_Digest(f->canon, f->canonlen, f->sha256, &n,
			    EVP_sha256(), NULL) == 1)
				f->digested = 1;
		}
		for (i = 0; f->digested == 1 && i < FORM_SHA256_LEN; i++) {
			f->sha256_hex[2 * i] = hex[f->sha256[i] >> 4];
			f->sha256_hex[2 * i + 1] = hex[f->sha256[i] & 0x0f];
		}
	}
	rv = f->digested == 1 ? 0 : -1;
	pthread_mutex_unlock(&f->lock);
	return rv;
}

/* jansson may quote the input near a syntax error: keep it ASCII. */
static void
form_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

void
form_name_shown(const char *name, char *out, size_t outlen)
{
	const char	*why;
	int		 nomem = 0;

	snprintf(out, outlen, "%s", name);
	why = form_text_why(out, strlen(out), &nomem);
	if (why != NULL && why != form_why_nfc)
		form_ascii(out);
}

int
form_parse(const char *name, const void *buf, size_t len,
    struct form **out, char **cause)
{
	struct form_read	 rd;
	json_error_t		 error;
	json_t			*doc;

	*out = NULL;
	*cause = NULL;
	memset(&rd, 0, sizeof(rd));
	form_name_shown(name, rd.name, sizeof(rd.name));
	if (len > FORM_MAX_BYTES) {
		form_cause_add(&rd.cause, _("%s: %zu bytes, at most %d"),
		    rd.name, len, FORM_MAX_BYTES);
		form_cause_end(&rd.cause, cause);
		return -1;
	}
	if ((doc = json_loadb(len > 0 ? buf : "", len, JSON_REJECT_DUPLICATES,
	    &error)) == NULL) {
		form_ascii(error.text);
		form_cause_add(&rd.cause, _("%s: line %d column %d: %s"),
		    rd.name, error.line, error.column, error.text);
		form_cause_end(&rd.cause, cause);
		return -1;
	}
	if ((rd.f = calloc(1, sizeof(*rd.f))) == NULL ||
	    (rd.f->name = strdup(name)) == NULL) {
		free(rd.f);
		json_decref(doc);
		return -1;
	}
	pthread_mutex_init(&rd.f->lock, NULL);
	rd.f->doc = doc;
	if (!json_is_object(doc))
		form_err(&rd, "", _("a form is a JSON object"));
	else
		form_read_root(&rd, doc);
	if (rd.nomem || form_failed(&rd)) {
		form_free(rd.f);
		form_cause_end(&rd.cause, cause);
		return -1;
	}
	form_cause_end(&rd.cause, cause);
	*out = rd.f;
	return 0;
}
