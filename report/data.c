/*
 * Reading the report data (data.h). jansson parses one record at a time
 * from a stdio stream of our own that counts the bytes of the record, so a
 * record larger than DATA_MAX_RECORD stops the parse instead of growing a
 * tree without end. The first error ends the read and names its field.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#include "data.h"
#include "vnfmt.h"

#define DATA_FIELD_MAX	160
#define DATA_SEEN_SLOTS	16384	/* > DATA_MAX_UNITS, a power of two */

struct data_reader {
	FILE		*in;		/* the caller's */
	FILE		*rec;		/* reads in, counting */
	size_t		 left;		/* bytes this record may still take */
	int		 over;		/* the record ran past its bound */
	size_t		 nrecords;
	size_t		 nunits[2];	/* this year, the previous one */
	char		**seen[2];	/* unit codes, open addressing */
};

/* "field: message" into *cause; returns -1 for the caller to pass on. */
static int	data_fail(char **, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
data_fail(char **cause, const char *field, const char *fmt, ...)
{
	char	msg[400];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(cause, "%s%s%s", field, field[0] != '\0' ? ": " : "",
	    msg) == -1)
		*cause = NULL;
	return -1;
}

/* A field's name; a long one is cut, which still points at the mistake. */
static void
data_field(char *out, const char *parent, const char *key)
{
	if (snprintf(out, DATA_FIELD_MAX, "%s%s%s", parent,
	    parent[0] != '\0' ? "." : "", key) < 0)
		out[0] = '\0';
}

static void
data_index(char *out, const char *parent, const char *key, size_t i)
{
	if (snprintf(out, DATA_FIELD_MAX, "%s%s%s[%zu]", parent,
	    parent[0] != '\0' ? "." : "", key, i) < 0)
		out[0] = '\0';
}

/* --- the counting stream ------------------------------------------------ */

static ssize_t
data_stream_read(void *cookie, char *buf, size_t size)
{
	struct data_reader	*r = cookie;
	size_t			 n;

	if (r->left == 0) {
		r->over = 1;
		return 0;
	}
	n = size < r->left ? size : r->left;
	n = fread(buf, 1, n, r->in);
	if (n == 0 && ferror(r->in))
		return -1;
	r->left -= n;
	return (ssize_t)n;
}

struct data_reader *
data_open(FILE *in)
{
	cookie_io_functions_t	 io = { data_stream_read, NULL, NULL, NULL };
	struct data_reader	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->in = in;
	if ((r->seen[0] = calloc(DATA_SEEN_SLOTS, sizeof(char *))) == NULL ||
	    (r->seen[1] = calloc(DATA_SEEN_SLOTS, sizeof(char *))) == NULL ||
	    (r->rec = fopencookie(r, "r", io)) == NULL) {
		data_close(r);
		return NULL;
	}
	return r;
}

void
data_close(struct data_reader *r)
{
	size_t	i, y;

	if (r == NULL)
		return;
	if (r->rec != NULL)
		fclose(r->rec);
	for (y = 0; y < 2; y++) {
		if (r->seen[y] == NULL)
			continue;
		for (i = 0; i < DATA_SEEN_SLOTS; i++)
			free(r->seen[y][i]);
		free(r->seen[y]);
	}
	free(r);
}

/* Returns 1 when code was seen before in that year, 0 after noting it, -1
 * without memory. */
static int
data_seen(struct data_reader *r, int year, const char *code)
{
	uint32_t	h = 2166136261u;
	const char	*p;
	char		**slot;

	for (p = code; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (;;) {
		slot = &r->seen[year][h & (DATA_SEEN_SLOTS - 1)];
		if (*slot == NULL)
			break;
		if (strcmp(*slot, code) == 0)
			return 1;
		h++;
	}
	if ((*slot = strdup(code)) == NULL)
		return -1;
	return 0;
}

/*
 * The next record, or NULL: at the end of the input (*cause NULL) or on an
 * error (*cause set).
 */
static json_t *
data_record(struct data_reader *r, char **cause)
{
	json_error_t	 err;
	json_t		*v;
	int		 c;

	*cause = NULL;
	r->left = DATA_MAX_RECORD;
	r->over = 0;
	while ((c = fgetc(r->rec)) != EOF && isspace(c))
		;
	if (c == EOF) {
		if (r->over)
			data_fail(cause, "", "record %zu is larger than %d "
			    "bytes", r->nrecords + 1, DATA_MAX_RECORD);
		else if (ferror(r->rec))
			data_fail(cause, "", "read error: %s",
			    strerror(errno));
		return NULL;
	}
	ungetc(c, r->rec);
	v = json_loadf(r->rec, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
	    &err);
	if (v == NULL) {
		if (r->over)
			data_fail(cause, "", "record %zu is larger than %d "
			    "bytes", r->nrecords + 1, DATA_MAX_RECORD);
		else
			data_fail(cause, "", "record %zu, line %d column %d: "
			    "%s", r->nrecords + 1, err.line, err.column,
			    err.text);
		return NULL;
	}
	r->nrecords++;
	if (!json_is_object(v)) {
		json_decref(v);
		data_fail(cause, "", "record %zu is not an object",
		    r->nrecords);
		return NULL;
	}
	return v;
}

/* --- members ------------------------------------------------------------ */

enum {
	TEXT_OPTIONAL = 0,
	TEXT_REQUIRED = 1,
	TEXT_LINES = 2		/* may hold newlines and tabs */
};

/* Text a person reads: within max bytes, no control characters (but the
 * line breaks of a long text), not empty when required. */
static int
data_check_text(const char *s, size_t len, size_t max, int flags,
    const char *field, char **cause)
{
	size_t	i;

	if (len > max)
		return data_fail(cause, field, "longer than %zu bytes", max);
	if (strlen(s) != len)
		return data_fail(cause, field, "holds a NUL character");
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == 0x7f || (c < 0x20 && !((flags & TEXT_LINES) &&
		    (c == '\n' || c == '\t' || c == '\r'))))
			return data_fail(cause, field,
			    "holds a control character at byte %zu", i);
	}
	return 0;
}

static int
data_text(json_t *obj, const char *key, const char *parent, size_t max,
    int flags, char **out, char **cause)
{
	char	 field[DATA_FIELD_MAX];
	json_t	*v = json_object_get(obj, key);
	size_t	 len;

	data_field(field, parent, key);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (flags & TEXT_REQUIRED)
			return data_fail(cause, field, "missing");
		return 0;
	}
	if (!json_is_string(v))
		return data_fail(cause, field, "must be a string");
	len = json_string_length(v);
	if (data_check_text(json_string_value(v), len, max, flags, field,
	    cause) == -1)
		return -1;
	if ((flags & TEXT_REQUIRED) && len == 0)
		return data_fail(cause, field, "empty");
	if ((*out = strdup(json_string_value(v))) == NULL)
		return data_fail(cause, field, "out of memory");
	return 0;
}

/* A text, or the default when absent. */
static int
data_text_or(json_t *obj, const char *key, const char *parent, size_t max,
    const char *dflt, char **out, char **cause)
{
	if (data_text(obj, key, parent, max, TEXT_OPTIONAL, out, cause) ==
	    -1)
		return -1;
	if (*out == NULL && (*out = strdup(dflt)) == NULL)
		return data_fail(cause, parent, "out of memory");
	return 0;
}

static int
data_count(json_t *obj, const char *key, const char *parent, uint64_t max,
    int required, uint64_t *out, char **cause)
{
	char		 field[DATA_FIELD_MAX];
	json_t		*v = json_object_get(obj, key);
	json_int_t	 i;

	data_field(field, parent, key);
	*out = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return data_fail(cause, field, "missing");
		return 0;
	}
	if (!json_is_integer(v))
		return data_fail(cause, field, "must be a whole number");
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return data_fail(cause, field, "%lld is not between 0 and %llu",
		    (long long)i, (unsigned long long)max);
	*out = (uint64_t)i;
	return 0;
}

static int
data_bool(json_t *obj, const char *key, const char *parent, int *out,
    char **cause)
{
	char	 field[DATA_FIELD_MAX];
	json_t	*v = json_object_get(obj, key);

	data_field(field, parent, key);
	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return data_fail(cause, field, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* A date YYYY-MM-DD into a char[11]; "" when absent and optional. */
static int
data_date(json_t *obj, const char *key, const char *parent, int required,
    char out[11], char **cause)
{
	char		 field[DATA_FIELD_MAX];
	json_t		*v = json_object_get(obj, key);
	int		 y, m, d;

	data_field(field, parent, key);
	out[0] = '\0';
	if (v == NULL || json_is_null(v)) {
		if (required)
			return data_fail(cause, field, "missing");
		return 0;
	}
	if (!json_is_string(v) ||
	    vnfmt_parse_date(json_string_value(v), &y, &m, &d) == -1)
		return data_fail(cause, field, "must be a date YYYY-MM-DD");
	memcpy(out, json_string_value(v), 11);
	return 0;
}

/* A time as RFC 3339 ("2022-06-08T09:14:00+07:00"): a date, 'T', the rest
 * shown as given. */
static int
data_time(json_t *obj, const char *key, const char *parent, int required,
    char **out, char **cause)
{
	char		 field[DATA_FIELD_MAX], day[11];
	const char	*s;
	int		 y, m, d;

	if (data_text(obj, key, parent, 40, required ? TEXT_REQUIRED : 0,
	    out, cause) == -1)
		return -1;
	if (*out == NULL)
		return 0;
	s = *out;
	if (strlen(s) >= 16)
		memcpy(day, s, 10);
	day[10] = '\0';
	if (strlen(s) < 16 || s[10] != 'T' ||
	    vnfmt_parse_date(day, &y, &m, &d) == -1) {
		free(*out);
		*out = NULL;
		data_field(field, parent, key);
		return data_fail(cause, field, "must be a time like "
		    "2022-06-08T09:14:00+07:00");
	}
	return 0;
}

static int
data_code_ok(const char *s, size_t max, int dash)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (dash ? s[i] == '-' : s[i] == '_')))
			return 0;
	return 1;
}

/* A code of the form: [a-z0-9_]{1,40}. */
static int
data_code(json_t *obj, const char *key, const char *parent, char **out,
    char **cause)
{
	char	field[DATA_FIELD_MAX];

	if (data_text(obj, key, parent, DATA_MAX_CODE, TEXT_REQUIRED, out,
	    cause) == -1)
		return -1;
	if (!data_code_ok(*out, DATA_MAX_CODE, 0)) {
		free(*out);
		*out = NULL;
		data_field(field, parent, key);
		return data_fail(cause, field, "must be a code [a-z0-9_]{1,40}");
	}
	return 0;
}

/* A member that must be an object (or absent when optional). */
static int
data_object(json_t *obj, const char *key, const char *parent, int required,
    json_t **out, char **cause)
{
	char	 field[DATA_FIELD_MAX];
	json_t	*v = json_object_get(obj, key);

	data_field(field, parent, key);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return data_fail(cause, field, "missing");
		return 0;
	}
	if (!json_is_object(v))
		return data_fail(cause, field, "must be an object");
	*out = v;
	return 0;
}

static int
data_array(json_t *obj, const char *key, const char *parent, int required,
    size_t max, json_t **out, char **cause)
{
	char	 field[DATA_FIELD_MAX];
	json_t	*v = json_object_get(obj, key);

	data_field(field, parent, key);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return data_fail(cause, field, "missing");
		return 0;
	}
	if (!json_is_array(v))
		return data_fail(cause, field, "must be an array");
	if (json_array_size(v) > max)
		return data_fail(cause, field, "more than %zu entries", max);
	*out = v;
	return 0;
}

/* The index of code in a list, or -1. */
static long
data_find(const struct data_label *list, size_t n, const char *code)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return (long)i;
	return -1;
}

static long
data_find_indicator(const struct data_form *f, const char *code)
{
	size_t	i;

	for (i = 0; i < f->nindicators; i++)
		if (strcmp(f->indicators[i].code, code) == 0)
			return (long)i;
	return -1;
}

/* --- the header --------------------------------------------------------- */

static void
data_labels_free(struct data_label *l, size_t n)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(l[i].code);
		free(l[i].label);
	}
	free(l);
}

/* A list of {"code", "label"}; codes unique. */
static int
data_labels(json_t *obj, const char *key, const char *parent, int required,
    size_t max, struct data_label **out, size_t *nout, char **cause)
{
	char	 field[DATA_FIELD_MAX], name[DATA_FIELD_MAX];
	json_t	*a, *e;
	size_t	 i;

	*out = NULL;
	*nout = 0;
	data_field(name, parent, key);
	if (data_array(obj, key, parent, required, max, &a, cause) == -1)
		return -1;
	if (a == NULL)
		return 0;
	if (required && json_array_size(a) == 0)
		return data_fail(cause, name, "empty");
	if ((*out = calloc(json_array_size(a) + 1, sizeof(**out))) == NULL)
		return data_fail(cause, name, "out of memory");
	json_array_foreach(a, i, e) {
		data_index(field, parent, key, i);
		if (!json_is_object(e))
			return data_fail(cause, field, "must be an object");
		if (data_code(e, "code", field, &(*out)[i].code, cause) == -1)
			return -1;
		(*nout)++;
		if (data_text(e, "label", field, DATA_MAX_LABEL,
		    TEXT_REQUIRED, &(*out)[i].label, cause) == -1)
			return -1;
		if (data_find(*out, i, (*out)[i].code) != -1)
			return data_fail(cause, field, "code '%s' is listed "
			    "twice", (*out)[i].code);
	}
	return 0;
}

static int
data_form(json_t *obj, const char *p, struct data_form *f, char **cause)
{
	char		 field[DATA_FIELD_MAX];
	json_t		*a, *e;
	uint64_t	 year;
	size_t		 i;

	if (data_count(obj, "year", p, 9999, 1, &year, cause) == -1)
		return -1;
	f->year = (int)year;
	if (data_text(obj, "title", p, DATA_MAX_TEXT, TEXT_OPTIONAL,
	    &f->title, cause) == -1 ||
	    data_labels(obj, "areas", p, 1, DATA_MAX_LIST, &f->areas,
	    &f->nareas, cause) == -1 ||
	    data_labels(obj, "kinds", p, 1, DATA_MAX_LIST, &f->kinds,
	    &f->nkinds, cause) == -1 ||
	    data_labels(obj, "occasions", p, 0, DATA_MAX_LIST, &f->occasions,
	    &f->noccasions, cause) == -1 ||
	    data_labels(obj, "narrative", p, 0, DATA_MAX_LIST, &f->narrative,
	    &f->nnarrative, cause) == -1 ||
	    /* The served form calls them outputs (gp-forms(5)). */
	    data_labels(obj, json_object_get(obj, "outputs") != NULL ?
	    "outputs" : "media", p, 0, DATA_MAX_LIST, &f->media,
	    &f->nmedia, cause) == -1)
		return -1;

	if (data_array(obj, "indicators", p, 0, DATA_MAX_LIST, &a, cause) ==
	    -1)
		return -1;
	if (a != NULL) {
		if ((f->indicators = calloc(json_array_size(a) + 1,
		    sizeof(*f->indicators))) == NULL)
			return data_fail(cause, p, "out of memory");
		json_array_foreach(a, i, e) {
			struct data_indicator	*d = &f->indicators[i];

			data_index(field, p, "indicators", i);
			if (!json_is_object(e))
				return data_fail(cause, field,
				    "must be an object");
			if (data_code(e, "code", field, &d->code, cause) == -1)
				return -1;
			f->nindicators++;
			if (data_text(e, "label", field, DATA_MAX_LABEL,
			    TEXT_REQUIRED, &d->label, cause) == -1 ||
			    data_bool(e, "female_share", field,
			    &d->female_share, cause) == -1)
				return -1;
			if (data_find_indicator(f, d->code) != (long)i)
				return data_fail(cause, field, "code '%s' is "
				    "listed twice", d->code);
		}
	}

	if (data_array(obj, "sections", p, 0, DATA_MAX_LIST, &a, cause) == -1)
		return -1;
	if (a != NULL) {
		if ((f->sections = calloc(json_array_size(a) + 1,
		    sizeof(*f->sections))) == NULL)
			return data_fail(cause, p, "out of memory");
		json_array_foreach(a, i, e) {
			struct data_section	*s = &f->sections[i];
			size_t			 j;

			data_index(field, p, "sections", i);
			if (!json_is_object(e))
				return data_fail(cause, field,
				    "must be an object");
			if (data_code(e, "code", field, &s->code, cause) == -1)
				return -1;
			f->nsections++;
			if (data_text(e, "label", field, DATA_MAX_LABEL,
			    TEXT_REQUIRED, &s->label, cause) == -1 ||
			    data_labels(e, "fields", field, 1,
			    DATA_MAX_FIELDS, &s->fields, &s->nfields,
			    cause) == -1)
				return -1;
			for (j = 0; j < i; j++)
				if (strcmp(f->sections[j].code, s->code) == 0)
					return data_fail(cause, field,
					    "code '%s' is listed twice",
					    s->code);
			s->first = f->nsection_texts;
			f->nsection_texts += s->nfields;
		}
	}
	return 0;
}

static int
data_period(json_t *obj, const char *key, struct data_period *p,
    json_t **form, char **cause)
{
	char		 field[DATA_FIELD_MAX];
	json_t		*o;
	char		*id = NULL, *kind = NULL;
	uint64_t	 year;
	int		 rc = -1;

	if (data_object(obj, key, "", 1, &o, cause) == -1)
		return -1;
	if (form != NULL && data_object(o, "form", key, 0, form, cause) == -1)
		return -1;
	if (data_text(o, "id", key, 15, TEXT_REQUIRED, &id, cause) == -1 ||
	    data_text(o, "kind", key, 15, TEXT_REQUIRED, &kind, cause) == -1 ||
	    data_count(o, "year", key, 9999, 1, &year, cause) == -1 ||
	    data_date(o, "from", key, 0, p->from, cause) == -1 ||
	    data_date(o, "to", key, 0, p->to, cause) == -1 ||
	    data_date(o, "due", key, 0, p->due, cause) == -1)
		goto fail;
	if (year < 2000) {
		data_field(field, key, "year");
		data_fail(cause, field, "%llu is before 2000",
		    (unsigned long long)year);
		goto fail;
	}
	p->year = (int)year;
	if (strcmp(kind, "H1") == 0)
		p->annual = 0;
	else if (strcmp(kind, "annual") == 0)
		p->annual = 1;
	else {
		data_field(field, key, "kind");
		data_fail(cause, field, "must be \"H1\" or \"annual\"");
		goto fail;
	}
	snprintf(p->id, sizeof(p->id), "%s", id);
	rc = 0;
fail:
	free(id);
	free(kind);
	return rc;
}

/* Nơi nhận when the data names none: the Lai Châu federation's usual. */
static const char *const data_recipients[] = {
	"Tổng LĐLĐ Việt Nam (b/c)",
	"Thường trực Tỉnh ủy (b/c)",
	"UBND tỉnh (b/c)",
	"Ban Vì sự tiến bộ của phụ nữ tỉnh",
	"Các LĐLĐ huyện, thành phố, CĐ ngành",
	"Lưu: VT, TG-NC"
};

static int
data_default_recipients(struct data_document *d)
{
	size_t	i, n = sizeof(data_recipients) / sizeof(data_recipients[0]);

	if ((d->recipients = calloc(n + 1, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d->recipients[i] = strdup(data_recipients[i])) == NULL)
			return -1;
		d->nrecipients++;
	}
	return 0;
}

static int
data_document(json_t *obj, struct data_document *d, int year, char **cause)
{
	const char	*p = "document";
	char		 field[DATA_FIELD_MAX];
	char		 date[11];
	json_t		*o, *a, *e;
	uint64_t	 highlights;
	size_t		 i;

	(void)year;
	if (data_object(obj, "document", "", 0, &o, cause) == -1)
		return -1;
	if (o == NULL)
		o = json_object();	/* every default */
	else
		json_incref(o);
	if (data_text_or(o, "parent_body", p, DATA_MAX_SHORT,
	    "TỔNG LĐLĐ VIỆT NAM", &d->parent_body, cause) == -1 ||
	    data_text_or(o, "body", p, DATA_MAX_SHORT, "LĐLĐ TỈNH LAI CHÂU",
	    &d->body, cause) == -1 ||
	    data_text_or(o, "body_name", p, DATA_MAX_SHORT,
	    "LĐLĐ tỉnh Lai Châu", &d->body_name, cause) == -1 ||
	    data_text_or(o, "number", p, DATA_MAX_SHORT, "Số:      /BC-LĐLĐ",
	    &d->number, cause) == -1 ||
	    data_text_or(o, "place", p, DATA_MAX_SHORT, "Lai Châu", &d->place,
	    cause) == -1 ||
	    data_text_or(o, "subject", p, DATA_MAX_LABEL,
	    "Kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ "
	    "của phụ nữ", &d->subject, cause) == -1 ||
	    data_text_or(o, "signer_authority", p, DATA_MAX_SHORT,
	    "TM. BAN THƯỜNG VỤ", &d->signer_authority, cause) == -1 ||
	    data_text_or(o, "signer_title", p, DATA_MAX_SHORT, "CHỦ TỊCH",
	    &d->signer_title, cause) == -1 ||
	    data_text(o, "signer_name", p, DATA_MAX_SHORT, 0, &d->signer_name,
	    cause) == -1 ||
	    data_date(o, "date", p, 0, date, cause) == -1 ||
	    data_count(o, "highlights", p, DATA_MAX_HIGHLIGHTS, 0, &highlights,
	    cause) == -1 ||
	    data_array(o, "recipients", p, 0, DATA_MAX_RECIPIENTS, &a,
	    cause) == -1)
		goto fail;
	d->highlights = json_object_get(o, "highlights") != NULL ?
	    (size_t)highlights : DATA_DEFAULT_HIGHLIGHTS;
	/* "" says: no line for it. */
	if (d->signer_authority[0] == '\0') {
		free(d->signer_authority);
		d->signer_authority = NULL;
	}
	if (d->signer_name != NULL && d->signer_name[0] == '\0') {
		free(d->signer_name);
		d->signer_name = NULL;
	}
	if (date[0] != '\0' && (d->date = strdup(date)) == NULL) {
		data_fail(cause, p, "out of memory");
		goto fail;
	}
	if (a == NULL) {
		if (data_default_recipients(d) == -1) {
			data_fail(cause, p, "out of memory");
			goto fail;
		}
	} else {
		if ((d->recipients = calloc(json_array_size(a) + 1,
		    sizeof(char *))) == NULL) {
			data_fail(cause, p, "out of memory");
			goto fail;
		}
		json_array_foreach(a, i, e) {
			data_index(field, p, "recipients", i);
			if (!json_is_string(e)) {
				data_fail(cause, field, "must be a string");
				goto fail;
			}
			if (data_check_text(json_string_value(e),
			    json_string_length(e), DATA_MAX_SHORT, 0, field,
			    cause) == -1)
				goto fail;
			if ((d->recipients[i] = strdup(json_string_value(e))) ==
			    NULL) {
				data_fail(cause, field, "out of memory");
				goto fail;
			}
			d->nrecipients++;
		}
	}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	return -1;
}

int
data_read_header(struct data_reader *r, struct data_header **out,
    char **cause)
{
	struct data_header	*h = NULL;
	json_t			*v, *form;
	uint64_t		 version;

	*out = NULL;
	if ((v = data_record(r, cause)) == NULL) {
		if (*cause == NULL)
			data_fail(cause, "", "no header: the input is empty");
		return -1;
	}
	if (json_object_get(v, "gp_report_data") == NULL) {
		data_fail(cause, "", "the first record is not a header "
		    "(no \"gp_report_data\")");
		goto fail;
	}
	if (data_count(v, "gp_report_data", "", 1000, 1, &version, cause) ==
	    -1)
		goto fail;
	if (version != DATA_VERSION) {
		data_fail(cause, "gp_report_data", "version %llu; this "
		    "gp-report reads version %d", (unsigned long long)version,
		    DATA_VERSION);
		goto fail;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		data_fail(cause, "", "out of memory");
		goto fail;
	}
	if (data_period(v, "period", &h->period, NULL, cause) == -1)
		goto fail;
	if (json_object_get(v, "previous") != NULL &&
	    !json_is_null(json_object_get(v, "previous"))) {
		if (data_period(v, "previous", &h->previous, &form, cause) ==
		    -1)
			goto fail;
		h->has_previous = 1;
		if (form != NULL) {
			h->has_previous_form = 1;
			if (data_form(form, "previous.form", &h->previous_form,
			    cause) == -1)
				goto fail;
		}
	}
	if (data_bool(v, "accepted_only", "", &h->accepted_only, cause) == -1 ||
	    data_object(v, "form", "", 1, &form, cause) == -1 ||
	    data_form(form, "form", &h->form, cause) == -1 ||
	    data_document(v, &h->doc, h->period.year, cause) == -1)
		goto fail;
	json_decref(v);
	*out = h;
	return 0;
fail:
	json_decref(v);
	data_header_free(h);
	return -1;
}

const struct data_form *
data_previous_form(const struct data_header *h)
{
	return h->has_previous_form ? &h->previous_form : &h->form;
}

static void
data_form_free(struct data_form *f)
{
	size_t	i;

	free(f->title);
	data_labels_free(f->areas, f->nareas);
	data_labels_free(f->kinds, f->nkinds);
	data_labels_free(f->occasions, f->noccasions);
	data_labels_free(f->narrative, f->nnarrative);
	data_labels_free(f->media, f->nmedia);
	for (i = 0; i < f->nindicators; i++) {
		free(f->indicators[i].code);
		free(f->indicators[i].label);
	}
	free(f->indicators);
	for (i = 0; i < f->nsections; i++) {
		free(f->sections[i].code);
		free(f->sections[i].label);
		data_labels_free(f->sections[i].fields,
		    f->sections[i].nfields);
	}
	free(f->sections);
}

void
data_header_free(struct data_header *h)
{
	size_t	i;

	if (h == NULL)
		return;
	data_form_free(&h->form);
	data_form_free(&h->previous_form);
	free(h->doc.parent_body);
	free(h->doc.body);
	free(h->doc.body_name);
	free(h->doc.number);
	free(h->doc.place);
	free(h->doc.date);
	free(h->doc.subject);
	free(h->doc.signer_authority);
	free(h->doc.signer_title);
	free(h->doc.signer_name);
	for (i = 0; i < h->doc.nrecipients; i++)
		free(h->doc.recipients[i]);
	free(h->doc.recipients);
	free(h);
}

/* --- a unit and its report ---------------------------------------------- */

/* A code member looked up in a list of the form. */
static int
data_lookup(json_t *obj, const char *key, const char *parent,
    const struct data_label *list, size_t n, const char *what, long *out,
    char **cause)
{
	char	 field[DATA_FIELD_MAX];
	char	*code;

	if (data_text(obj, key, parent, DATA_MAX_CODE, TEXT_REQUIRED, &code,
	    cause) == -1)
		return -1;
	*out = data_find(list, n, code);
	if (*out == -1) {
		data_field(field, parent, key);
		data_fail(cause, field, "'%s' is not %s of the form", code,
		    what);
		free(code);
		return -1;
	}
	free(code);
	return 0;
}

static int
data_activity(json_t *e, const char *field, const struct data_form *f,
    struct data_activity *a, char **cause)
{
	char		 sub[DATA_FIELD_MAX];
	json_t		*media, *v;
	const char	*key, *mkey;
	char		*status = NULL;
	long		 idx;

	if (!json_is_object(e))
		return data_fail(cause, field, "must be an object");
	a->occasion = -1;
	if (data_lookup(e, "area", field, f->areas, f->nareas, "an area",
	    &idx, cause) == -1)
		return -1;
	a->area = (uint16_t)idx;
	if (data_lookup(e, "kind", field, f->kinds, f->nkinds, "a kind", &idx,
	    cause) == -1)
		return -1;
	a->kind = (uint16_t)idx;
	if (json_object_get(e, "occasion") != NULL &&
	    !json_is_null(json_object_get(e, "occasion"))) {
		if (data_lookup(e, "occasion", field, f->occasions,
		    f->noccasions, "an occasion", &idx, cause) == -1)
			return -1;
		a->occasion = (int16_t)idx;
	}
	if (data_text(e, "status", field, 16, TEXT_REQUIRED, &status,
	    cause) == -1)
		return -1;
	if (strcmp(status, "done") == 0)
		a->planned = 0;
	else if (strcmp(status, "planned") == 0)
		a->planned = 1;
	else {
		free(status);
		data_field(sub, field, "status");
		return data_fail(cause, sub, "must be \"done\" or \"planned\"");
	}
	free(status);
	if (data_date(e, "date", field, 1, a->date, cause) == -1 ||
	    data_date(e, "end_date", field, 0, a->end_date, cause) == -1 ||
	    data_text(e, "title", field, DATA_MAX_TITLE, TEXT_REQUIRED,
	    &a->title, cause) == -1 ||
	    data_text(e, "location", field, DATA_MAX_SHORT, 0, &a->location,
	    cause) == -1 ||
	    data_text(e, "notes", field, DATA_MAX_NOTES, TEXT_LINES,
	    &a->notes, cause) == -1 ||
	    data_count(e, "sessions", field, DATA_MAX_SESSIONS, 0,
	    &a->sessions, cause) == -1 ||
	    data_count(e, "participants", field, DATA_MAX_COUNT, 0,
	    &a->participants, cause) == -1 ||
	    data_count(e, "female", field, DATA_MAX_COUNT, 0, &a->female,
	    cause) == -1)
		return -1;
	if (a->end_date[0] != '\0' && strcmp(a->end_date, a->date) < 0) {
		data_field(sub, field, "end_date");
		return data_fail(cause, sub, "before the date %s", a->date);
	}
	if (a->female > a->participants) {
		data_field(sub, field, "female");
		return data_fail(cause, sub, "%llu is more than the %llu "
		    "participants", (unsigned long long)a->female,
		    (unsigned long long)a->participants);
	}
	/* A report of gp-client says outputs (doc/report-model.md). */
	mkey = json_object_get(e, "outputs") != NULL ? "outputs" : "media";
	if (data_object(e, mkey, field, 0, &media, cause) == -1)
		return -1;
	if (media == NULL || json_object_size(media) == 0)
		return 0;
	if ((a->media = calloc(f->nmedia + 1, sizeof(uint64_t))) == NULL)
		return data_fail(cause, field, "out of memory");
	data_field(sub, field, mkey);
	json_object_foreach(media, key, v) {
		idx = data_find(f->media, f->nmedia, key);
		if (idx == -1) {
			char	mf[DATA_FIELD_MAX];

			data_field(mf, sub, key);
			return data_fail(cause, mf, "not a media count of "
			    "the form");
		}
		if (data_count(media, key, sub, DATA_MAX_COUNT, 1,
		    &a->media[idx], cause) == -1)
			return -1;
	}
	return 0;
}

static void
data_report_free(struct data_report *rep)
{
	size_t	i;

	if (rep == NULL)
		return;
	free(rep->reporter_name);
	free(rep->reporter_position);
	free(rep->reporter_phone);
	for (i = 0; i < rep->nactivities; i++) {
		free(rep->activities[i].title);
		free(rep->activities[i].location);
		free(rep->activities[i].notes);
		free(rep->activities[i].media);
	}
	free(rep->activities);
	free(rep->indicators);
	for (i = 0; i < rep->nnarrative; i++)
		free(rep->narrative[i]);
	free(rep->narrative);
	for (i = 0; i < rep->ntexts; i++)
		free(rep->texts[i]);
	free(rep->texts);
	free(rep);
}

/* An object of code: text, each code one of list. */
static int
data_texts(json_t *obj, const char *key, const char *parent,
    const struct data_label *list, size_t n, char **texts, char **cause)
{
	char		 field[DATA_FIELD_MAX], sub[DATA_FIELD_MAX];
	json_t		*o, *v;
	const char	*code;
	long		 idx;

	if (data_object(obj, key, parent, 0, &o, cause) == -1)
		return -1;
	if (o == NULL)
		return 0;
	data_field(field, parent, key);
	json_object_foreach(o, code, v) {
		data_field(sub, field, code);
		if ((idx = data_find(list, n, code)) == -1)
			return data_fail(cause, sub, "not a field of the form");
		if (data_text(o, code, field, DATA_MAX_TEXT, TEXT_LINES,
		    &texts[idx], cause) == -1)
			return -1;
	}
	return 0;
}

static int
data_report(json_t *o, const char *p, const struct data_form *f,
    struct data_report **out, char **cause)
{
	char			 field[DATA_FIELD_MAX], sub[DATA_FIELD_MAX];
	struct data_report	*rep;
	json_t			*reporter, *a, *e, *ind, *v;
	const char		*code;
	size_t			 i;
	long			 idx;

	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return data_fail(cause, p, "out of memory");
	*out = rep;
	if ((rep->indicators = calloc(f->nindicators + 1,
	    sizeof(*rep->indicators))) == NULL ||
	    (rep->narrative = calloc(f->nnarrative + 1, sizeof(char *))) ==
	    NULL ||
	    (rep->texts = calloc(f->nsection_texts + 1, sizeof(char *))) ==
	    NULL)
		return data_fail(cause, p, "out of memory");
	rep->nindicators = f->nindicators;
	rep->nnarrative = f->nnarrative;
	rep->ntexts = f->nsection_texts;

	if (data_object(o, "reporter", p, 0, &reporter, cause) == -1)
		return -1;
	if (reporter != NULL) {
		data_field(field, p, "reporter");
		if (data_text(reporter, "name", field, DATA_MAX_SHORT, 0,
		    &rep->reporter_name, cause) == -1 ||
		    data_text(reporter, "position", field, DATA_MAX_SHORT, 0,
		    &rep->reporter_position, cause) == -1 ||
		    data_text(reporter, "phone", field, DATA_MAX_SHORT, 0,
		    &rep->reporter_phone, cause) == -1)
			return -1;
	}

	if (data_array(o, "activities", p, 0, DATA_MAX_ACTIVITIES, &a,
	    cause) == -1)
		return -1;
	if (a != NULL && json_array_size(a) > 0) {
		if ((rep->activities = calloc(json_array_size(a),
		    sizeof(*rep->activities))) == NULL)
			return data_fail(cause, p, "out of memory");
		json_array_foreach(a, i, e) {
			data_index(field, p, "activities", i);
			rep->nactivities++;
			if (data_activity(e, field, f, &rep->activities[i],
			    cause) == -1)
				return -1;
		}
	}

	if (data_object(o, "indicators", p, 0, &ind, cause) == -1)
		return -1;
	data_field(field, p, "indicators");
	if (ind != NULL) {
		json_object_foreach(ind, code, v) {
			struct data_value	*dv;
			uint64_t		 female;

			data_field(sub, field, code);
			if ((idx = data_find_indicator(f, code)) == -1)
				return data_fail(cause, sub,
				    "not an indicator of the form");
			if (!json_is_object(v))
				return data_fail(cause, sub,
				    "must be an object");
			dv = &rep->indicators[idx];
			if (data_count(v, "total", sub, DATA_MAX_COUNT, 1,
			    &dv->total, cause) == -1 ||
			    data_count(v, "female", sub, DATA_MAX_COUNT, 0,
			    &female, cause) == -1)
				return -1;
			if (f->indicators[idx].female_share) {
				if (female > dv->total) {
					char	ff[DATA_FIELD_MAX];

					data_field(ff, sub, "female");
					return data_fail(cause, ff, "%llu is "
					    "more than the total %llu",
					    (unsigned long long)female,
					    (unsigned long long)dv->total);
				}
				dv->female = female;
			}
			dv->present = 1;
		}
	}

	if (data_texts(o, "narrative", p, f->narrative, f->nnarrative,
	    rep->narrative, cause) == -1)
		return -1;
	for (i = 0; i < f->nsections; i++) {
		const struct data_section	*s = &f->sections[i];

		if (data_texts(o, s->code, p, s->fields, s->nfields,
		    rep->texts + s->first, cause) == -1)
			return -1;
	}
	return 0;
}

static int
data_unit(json_t *o, const char *p, const struct data_form *f,
    struct data_unit *u, char **cause)
{
	char		 field[DATA_FIELD_MAX];
	char		*s = NULL;
	json_t		*rep;
	uint64_t	 revision;

	if (data_text(o, "code", p, DATA_MAX_UNIT_CODE, TEXT_REQUIRED,
	    &u->code, cause) == -1)
		return -1;
	if (!data_code_ok(u->code, DATA_MAX_UNIT_CODE, 1)) {
		data_field(field, p, "code");
		return data_fail(cause, field, "must be a unit code "
		    "[a-z0-9-]{1,64}");
	}
	if (data_text(o, "name", p, DATA_MAX_SHORT, TEXT_REQUIRED, &u->name,
	    cause) == -1 ||
	    data_text(o, "type_label", p, DATA_MAX_SHORT, 0, &u->type_label,
	    cause) == -1 ||
	    data_text(o, "submission", p, 16, TEXT_REQUIRED, &s, cause) == -1)
		return -1;
	data_field(field, p, "submission");
	if (strcmp(s, "on_time") == 0)
		u->submission = DATA_ON_TIME;
	else if (strcmp(s, "late") == 0)
		u->submission = DATA_LATE;
	else if (strcmp(s, "missing") == 0)
		u->submission = DATA_MISSING;
	else {
		free(s);
		return data_fail(cause, field, "must be \"on_time\", "
		    "\"late\" or \"missing\"");
	}
	free(s);
	s = NULL;
	if (data_time(o, "submitted", p, u->submission != DATA_MISSING,
	    &u->submitted, cause) == -1 ||
	    data_time(o, "updated", p, 0, &u->updated, cause) == -1 ||
	    data_count(o, "revision", p, 1000000, 0, &revision, cause) == -1 ||
	    data_text(o, "review", p, 16, 0, &s, cause) == -1)
		return -1;
	u->revision = (unsigned)revision;
	if (s != NULL) {
		data_field(field, p, "review");
		if (strcmp(s, "received") == 0)
			u->review = DATA_RECEIVED;
		else if (strcmp(s, "returned") == 0)
			u->review = DATA_RETURNED;
		else if (strcmp(s, "accepted") == 0)
			u->review = DATA_ACCEPTED;
		else {
			free(s);
			return data_fail(cause, field, "must be "
			    "\"received\", \"returned\" or \"accepted\"");
		}
		free(s);
	}
	if (data_object(o, "report", p, 0, &rep, cause) == -1)
		return -1;
	if (rep == NULL)
		return 0;
	data_field(field, p, "report");
	if (u->submission == DATA_MISSING)
		return data_fail(cause, field, "a unit that has not reported "
		    "has no report");
	return data_report(rep, field, f, &u->report, cause);
}

void
data_unit_free(struct data_unit *u)
{
	if (u == NULL)
		return;
	free(u->code);
	free(u->name);
	free(u->type_label);
	free(u->submitted);
	free(u->updated);
	data_report_free(u->report);
	free(u);
}

int
data_next(struct data_reader *r, const struct data_header *h,
    struct data_unit **out, int *previous, char **cause)
{
	char			 p[DATA_FIELD_MAX];
	struct data_unit	*u = NULL;
	json_t			*v, *o;
	int			 year, seen;

	*out = NULL;
	if ((v = data_record(r, cause)) == NULL)
		return *cause == NULL ? 0 : -1;
	if ((o = json_object_get(v, "unit")) != NULL)
		year = 0;
	else if ((o = json_object_get(v, "previous_unit")) != NULL)
		year = 1;
	else {
		data_fail(cause, "", "record %zu is neither a \"unit\" nor a "
		    "\"previous_unit\"", r->nrecords);
		goto fail;
	}
	if (year == 1 && !h->has_previous) {
		data_fail(cause, "", "record %zu: a \"previous_unit\" but the "
		    "header has no \"previous\" period", r->nrecords);
		goto fail;
	}
	snprintf(p, sizeof(p), "%s[%zu]", year ? "previous_units" : "units",
	    r->nunits[year]);
	if (r->nunits[year] == DATA_MAX_UNITS) {
		data_fail(cause, p, "more than %d units", DATA_MAX_UNITS);
		goto fail;
	}
	r->nunits[year]++;
	if (!json_is_object(o)) {
		data_fail(cause, p, "must be an object");
		goto fail;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		data_fail(cause, p, "out of memory");
		goto fail;
	}
	if (data_unit(o, p, year ? data_previous_form(h) : &h->form, u,
	    cause) == -1)
		goto fail;
	if ((seen = data_seen(r, year, u->code)) != 0) {
		if (seen == 1)
			data_fail(cause, p, "unit '%s' is listed twice",
			    u->code);
		else
			data_fail(cause, p, "out of memory");
		goto fail;
	}
	json_decref(v);
	*previous = year;
	*out = u;
	return 1;
fail:
	json_decref(v);
	data_unit_free(u);
	return -1;
}

const char *
data_submission_label(int s)
{
	switch (s) {
	case DATA_ON_TIME:
		return "Đúng hạn";
	case DATA_LATE:
		return "Muộn";
	default:
		return "Chưa báo cáo";
	}
}

const char *
data_review_label(int r)
{
	switch (r) {
	case DATA_RECEIVED:
		return "Đã nhận, chờ xét";
	case DATA_RETURNED:
		return "Trả lại";
	case DATA_ACCEPTED:
		return "Đã chấp nhận";
	default:
		return "";
	}
}
