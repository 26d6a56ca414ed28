/*
 * The form of one year (form.h): ownership, look-ups, occasions' windows,
 * the comparison a reload is judged by, and causes. Reading and checking
 * a file is form_json.c; the built-in form and directories, form_set.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "i18n.h"
#include "form_priv.h"
#include "period.h"

static const char *const form_list_names[] = {
	[FORM_AREAS] = "areas",
	[FORM_KINDS] = "kinds",
	[FORM_OCCASIONS] = "occasions",
	[FORM_STATUSES] = "statuses",
	[FORM_AUDIENCES] = "audiences",
	[FORM_TOPICS] = "topics",
	[FORM_OUTPUTS] = "outputs",
	[FORM_INDICATORS] = "indicators",
	[FORM_NARRATIVE] = "narrative",
	[FORM_SECTIONS] = "sections",
	[FORM_PERIODS] = "periods",
	[FORM_WHOLE] = "form",
};

static void
form_cause_append(struct form_cause *c, const char *line)
{
	char	*nbuf;
	size_t	 len = strlen(line);

	/* A newline before it, a NUL after. */
	if ((nbuf = realloc(c->buf, c->len + len + 2)) == NULL) {
		c->nomem = 1;
		return;
	}
	c->buf = nbuf;
	if (c->len > 0)
		c->buf[c->len++] = '\n';
	memcpy(c->buf + c->len, line, len + 1);
	c->len += len;
}

void
form_cause_add(struct form_cause *c, const char *fmt, ...)
{
	char	*line;
	va_list	 ap;
	int	 rv;

	if (c->n >= FORM_ERRORS_MAX) {
		c->dropped++;
		return;
	}
	va_start(ap, fmt);
	rv = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (rv == -1) {
		c->nomem = 1;
		return;
	}
	form_cause_append(c, line);
	free(line);
	c->n++;
}

void
form_cause_end(struct form_cause *c, char **cause)
{
	char	line[64];

	if (c->dropped > 0) {
		snprintf(line, sizeof(line), ngettext("and %zu more problem",
		    "and %zu more problems", c->dropped), c->dropped);
		form_cause_append(c, line);
	}
	if (c->nomem) {
		free(c->buf);
		c->buf = NULL;
	}
	*cause = c->buf;
	memset(c, 0, sizeof(*c));
}

void
form_free(struct form *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < FORM_LIST_COUNT; i++)
		free(f->lists[i]);
	free(f->fieldpool);
	for (i = 0; i < 2; i++)
		free(f->periods[i].expect);
	free(f->canon);
	pthread_mutex_destroy(&f->lock);
	json_decref(f->doc);
	free(f->name);
	free(f);
}

int
form_year(const struct form *f)
{
	return f->year;
}

const char *
form_title(const struct form *f)
{
	return f->title;
}

const char *
form_name(const struct form *f)
{
	return f->name;
}

const char *
form_canonical(const struct form *f, size_t *len)
{
	*len = 0;
	if (form_digest(f) == -1)
		return NULL;
	*len = f->canonlen;
	return f->canon;
}

const uint8_t *
form_sha256(const struct form *f)
{
	if (form_digest(f) == -1)
		return NULL;
	return f->sha256;
}

const char *
form_sha256_hex(const struct form *f)
{
	/* Empty only when memory ran out: it matches no form. */
	if (form_digest(f) == -1)
		return "";
	return f->sha256_hex;
}

const char *
form_list_name(int list)
{
	if (list < 0 || list > FORM_WHOLE)
		return "?";
	return form_list_names[list];
}

size_t
form_count(const struct form *f, enum form_list list)
{
	if ((int)list < 0 || list >= FORM_LIST_COUNT)
		return 0;
	return f->counts[list];
}

const struct form_entry *
form_at(const struct form *f, enum form_list list, size_t i)
{
	if (i >= form_count(f, list))
		return NULL;
	return &f->lists[list][i];
}

/* Entries whose code did not read (a form being checked) have none. */
static const struct form_entry *
form_search(const struct form_entry *v, size_t n, const char *code)
{
	size_t	i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i].code != NULL && v[i].code[0] == code[0] &&
		    strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

const struct form_entry *
form_find(const struct form *f, enum form_list list, const char *code)
{
	if ((int)list < 0 || list >= FORM_LIST_COUNT)
		return NULL;
	return form_search(f->lists[list], f->counts[list], code);
}

const struct form_entry *
form_field(const struct form_entry *section, const char *code)
{
	return form_search(section->fields, section->nfields, code);
}

const char *
form_label(const struct form *f, enum form_list list, const char *code)
{
	const struct form_entry	*e;

	if ((e = form_find(f, list, code)) == NULL)
		return NULL;
	return e->label;
}

const struct form_period *
form_period(const struct form *f, int kind)
{
	if (kind != PERIOD_HALF && kind != PERIOD_YEAR)
		return NULL;
	return &f->periods[kind - PERIOD_HALF];
}

int
form_section_in(const struct form_entry *section, int kind)
{
	if (kind != PERIOD_HALF && kind != PERIOD_YEAR)
		return 0;
	return (section->periods & FORM_PERIOD_BIT(kind)) != 0;
}

int
form_occasion_far(const struct form_entry *o, int32_t start, int32_t end,
    int32_t *days)
{
	int32_t	 best = INT32_MAX, wfrom, wto, dist;
	int	 y, m, d, dy, wraps;

	if (!o->has_window)
		return 0;
	wraps = o->to_month < o->from_month ||
	    (o->to_month == o->from_month && o->to_day < o->from_day);
	date_to_ymd(start, &y, &m, &d);
	/* The window of the year before, of start's year, of the next. */
	for (dy = -1; dy <= 1; dy++) {
		wfrom = date_from_ymd(y + dy, o->from_month, o->from_day);
		wto = date_from_ymd(y + dy + wraps, o->to_month, o->to_day);
		if (end < wfrom) {
			if ((dist = wfrom - end) <= o->slack_before)
				return 0;
		} else if (start > wto) {
			if ((dist = start - wto) <= o->slack_after)
				return 0;
		} else
			return 0;
		if (dist < best)
			best = dist;
	}
	*days = best;
	return 1;
}

/* --- comparison --------------------------------------------------------- */

struct form_diff {
	struct form_change	*v;
	size_t			 n, size;
	int			 year;
	int			 nomem;
};

static void
form_diff_add(struct form_diff *df, int kind, int list, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
form_diff_add(struct form_diff *df, int kind, int list, const char *code,
    const char *fmt, ...)
{
	struct form_change	*c, *nv;
	size_t			 size;
	va_list			 ap;

	if (df->nomem)
		return;
	if (df->n == df->size) {
		size = df->size == 0 ? 16 : df->size * 2;
		if ((nv = reallocarray(df->v, size, sizeof(*nv))) == NULL) {
			df->nomem = 1;
			return;
		}
		df->v = nv;
		df->size = size;
	}
	c = &df->v[df->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->year = df->year;
	c->list = list;
	snprintf(c->code, sizeof(c->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
}

static const char *
form_bool_name(int b)
{
	return b ? "true" : "false";
}

static void
form_window(const struct form_entry *o, char out[16])
{
	if (!o->has_window)
		snprintf(out, 16, "%s", _("none"));
	else
		snprintf(out, 16, "%02d-%02d..%02d-%02d", o->from_month,
		    o->from_day, o->to_month, o->to_day);
}

/* What in an entry kept by new differs in meaning from old. */
static void
form_diff_entry(struct form_diff *df, int list, const struct form_entry *o,
    const struct form_entry *n)
{
	char		 a[16], b[16], code[FORM_CHANGE_CODE];
	const char	*on, *nn;
	size_t		 i;
	int		 kind;

	switch (list) {
	case FORM_KINDS:
		if (o->media != n->media)
			form_diff_add(df, FORM_CHANGED, list, o->code,
			    "media from %s to %s", form_bool_name(o->media),
			    form_bool_name(n->media));
		break;
	case FORM_OCCASIONS:
		form_window(o, a);
		form_window(n, b);
		if (strcmp(a, b) != 0)
			form_diff_add(df, FORM_CHANGED, list, o->code,
			    "window from %s to %s", a, b);
		break;
	case FORM_INDICATORS:
		if (o->female_share != n->female_share)
			form_diff_add(df, FORM_CHANGED, list, o->code,
			    "female_share from %s to %s",
			    form_bool_name(o->female_share),
			    form_bool_name(n->female_share));
		on = o->not_more_than ? o->not_more_than->code : "none";
		nn = n->not_more_than ? n->not_more_than->code : "none";
		if (strcmp(on, nn) != 0)
			form_diff_add(df, FORM_CHANGED, list, o->code,
			    "not_more_than from %s to %s", on, nn);
		break;
	case FORM_SECTIONS:
		for (kind = PERIOD_HALF; kind <= PERIOD_YEAR; kind++)
			if (form_section_in(o, kind) &&
			    !form_section_in(n, kind))
				form_diff_add(df, FORM_CHANGED, list, o->code,
				    "no longer in %s reports",
				    kind == PERIOD_HALF ? "H1" : "annual");
		for (i = 0; i < o->nfields; i++) {
			if (form_field(n, o->fields[i].code) != NULL)
				continue;
			snprintf(code, sizeof(code), "%s.%s", o->code,
			    o->fields[i].code);
			form_diff_add(df, FORM_REMOVED, list, code,
			    "field removed");
		}
		break;
	default:
		break;
	}
}

static void
form_diff_period(struct form_diff *df, const struct form_period *o,
    const struct form_period *n)
{
	const char	*code = o->kind == PERIOD_HALF ? "H1" : "annual";
	char		 a[DATE_LEN + 1], b[DATE_LEN + 1];
	char		 c[DATE_LEN + 1], d[DATE_LEN + 1];

	if (o->from != n->from || o->to != n->to) {
		date_format(o->from, a);
		date_format(o->to, b);
		date_format(n->from, c);
		date_format(n->to, d);
		form_diff_add(df, FORM_CHANGED, FORM_PERIODS, code,
		    "coverage from %s..%s to %s..%s", a, b, c, d);
	}
	if (o->planned_until != n->planned_until) {
		date_format(o->planned_until, a);
		date_format(n->planned_until, b);
		form_diff_add(df, FORM_CHANGED, FORM_PERIODS, code,
		    "planned_until from %s to %s", a, b);
	}
}

static void
form_diff(struct form_diff *df, const struct form *old,
    const struct form *new)
{
	const struct form_entry	*o, *n;
	size_t			 i;
	int			 list;

	df->year = old->year;
	for (list = 0; list < FORM_LIST_COUNT; list++) {
		for (i = 0; i < old->counts[list]; i++) {
			o = &old->lists[list][i];
			if ((n = form_find(new, list, o->code)) == NULL)
				form_diff_add(df, FORM_REMOVED, list, o->code,
				    "removed");
			else
				form_diff_entry(df, list, o, n);
		}
	}
	form_diff_period(df, &old->periods[0], &new->periods[0]);
	form_diff_period(df, &old->periods[1], &new->periods[1]);
}

static int
form_diff_end(struct form_diff *df, struct form_change **out, size_t *n)
{
	if (df->nomem) {
		free(df->v);
		return -1;
	}
	*out = df->v;
	*n = df->n;
	return 0;
}

int
form_compare(const struct form *old, const struct form *new,
    struct form_change **out, size_t *n)
{
	struct form_diff	df;

	*out = NULL;
	*n = 0;
	if (old->year != new->year)
		return -1;
	memset(&df, 0, sizeof(df));
	form_diff(&df, old, new);
	return form_diff_end(&df, out, n);
}
