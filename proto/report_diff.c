/*
 * The changes between two revisions of a report (report_diff.h). Both
 * are decoded reports, so everything here is bounded by the report's own
 * limits; the list is cut at REPORT_DIFF_MAX and the rest counted.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_diff.h"
#include "text.h"

#define DIFF_CONTEXT	30	/* bytes shown before a first difference */
#define DIFF_ELLIPSIS	"\xe2\x80\xa6"

static struct report_change *
diff_add(struct report_changes *out, const char *field)
{
	struct report_change	*c;

	if (out->n == REPORT_DIFF_MAX) {
		out->more++;
		return NULL;
	}
	c = &out->c[out->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->field, sizeof(c->field), "%s", field);
	return c;
}

/*
 * About REPORT_DIFF_TEXT bytes of s from a little before byte at, in
 * whole characters (text.h), with an ellipsis where it was cut; line
 * breaks and tabs as spaces, so that a change reads on one line.
 */
static void
diff_excerpt(const char *s, size_t at, char out[REPORT_DIFF_CELL])
{
	struct text_char	 ch;
	size_t			 len = strlen(s), i = 0, start = 0, n = 0, k;
	size_t			 back = at > DIFF_CONTEXT ? at - DIFF_CONTEXT :
				    0;

	if (len <= REPORT_DIFF_TEXT)
		back = 0;
	while (i < len) {
		if (i <= back)
			start = i;
		if (i >= back)
			break;
		text_next(s + i, &ch);
		i += ch.len;
	}
	if (start > 0) {
		memcpy(out, DIFF_ELLIPSIS, 3);
		n = 3;
	}
	for (i = start; i < len; i += ch.len) {
		text_next(s + i, &ch);
		if (i - start + ch.len > REPORT_DIFF_TEXT) {
			memcpy(out + n, DIFF_ELLIPSIS, 3);
			n += 3;
			break;
		}
		for (k = 0; k < ch.len; k++)
			out[n++] = s[i + k] == '\n' || s[i + k] == '\r' ||
			    s[i + k] == '\t' ? ' ' : s[i + k];
	}
	out[n] = '\0';
}

/* Text fields: absent and empty are the same. */
static void
diff_text(struct report_changes *out, const char *field, const char *a,
    const char *b)
{
	struct report_change	*c;
	size_t			 k = 0;

	if (a != NULL && a[0] == '\0')
		a = NULL;
	if (b != NULL && b[0] == '\0')
		b = NULL;
	if ((a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0))
		return;
	if ((c = diff_add(out, field)) == NULL)
		return;
	while (a != NULL && b != NULL && a[k] != '\0' && a[k] == b[k])
		k++;
	if ((c->has_before = a != NULL))
		diff_excerpt(a, k, c->before);
	if ((c->has_after = b != NULL))
		diff_excerpt(b, k, c->after);
}

static void
diff_count(struct report_changes *out, const char *field, uint64_t a,
    uint64_t b)
{
	struct report_change	*c;

	if (a == b || (c = diff_add(out, field)) == NULL)
		return;
	snprintf(c->before, sizeof(c->before), "%" PRIu64, a);
	snprintf(c->after, sizeof(c->after), "%" PRIu64, b);
	c->has_before = c->has_after = 1;
}

/* "articles=12 leaflets=1500", in the order given (packed by code). */
static void
diff_outputs(const struct report_activity *a, char out[REPORT_DIFF_CELL])
{
	size_t	i, n = 0;
	int	w;

	out[0] = '\0';
	for (i = 0; i < a->noutputs && i < REPORT_MAX_OUTPUTS; i++) {
		w = snprintf(out + n, REPORT_DIFF_CELL - n, "%s%s=%" PRIu64,
		    n > 0 ? " " : "", a->outputs[i].code != NULL ?
		    a->outputs[i].code : "?", a->outputs[i].count);
		if (w < 0 || (size_t)w >= REPORT_DIFF_CELL - n)
			break;
		n += (size_t)w;
	}
}

static void
diff_field(char field[REPORT_FIELD_MAX], size_t i, const char *name)
{
	if (name != NULL)
		snprintf(field, REPORT_FIELD_MAX, "activities[%zu].%s", i,
		    name);
	else
		snprintf(field, REPORT_FIELD_MAX, "activities[%zu]", i);
}

static void
diff_activity(struct report_changes *out, size_t i,
    const struct report_activity *a, const struct report_activity *b)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} texts[] = {
#define DIFF_T(f)	{ #f, offsetof(struct report_activity, f) }
		DIFF_T(date), DIFF_T(end_date), DIFF_T(title),
		DIFF_T(location), DIFF_T(area), DIFF_T(kind),
		DIFF_T(occasion), DIFF_T(status), DIFF_T(audience),
		DIFF_T(topic), DIFF_T(notes),
#undef DIFF_T
	};
	char	field[REPORT_FIELD_MAX];
	char	oa[REPORT_DIFF_CELL], ob[REPORT_DIFF_CELL];
	size_t	k;

	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		diff_field(field, i, texts[k].name);
		diff_text(out, field,
		    *(char *const *)(const void *)((const char *)a +
		    texts[k].off),
		    *(char *const *)(const void *)((const char *)b +
		    texts[k].off));
	}
	diff_field(field, i, "sessions");
	diff_count(out, field, a->sessions, b->sessions);
	diff_field(field, i, "participants");
	diff_count(out, field, a->participants, b->participants);
	diff_field(field, i, "female");
	diff_count(out, field, a->female, b->female);
	diff_outputs(a, oa);
	diff_outputs(b, ob);
	diff_field(field, i, "outputs");
	diff_text(out, field, oa, ob);
}

/* An activity added or removed: named by its title. */
static void
diff_whole(struct report_changes *out, size_t i,
    const struct report_activity *a, int added)
{
	struct report_change	*c;
	char			 field[REPORT_FIELD_MAX];

	diff_field(field, i, NULL);
	if ((c = diff_add(out, field)) == NULL)
		return;
	diff_excerpt(a->title != NULL ? a->title : "", 0, added ? c->after :
	    c->before);
	c->has_after = added;
	c->has_before = !added;
}

static const char *
diff_find(const struct report_text *v, size_t n, const char *code)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i].code != NULL && strcmp(v[i].code, code) == 0)
			return v[i].text;
	return NULL;
}

/* Texts of the narrative or a section (parent), by code: each of a, then
 * each of b that a lacks. */
static void
diff_texts(struct report_changes *out, const char *parent,
    const struct report_text *a, size_t na, const struct report_text *b,
    size_t nb)
{
	char	field[REPORT_FIELD_MAX];
	size_t	i;

	for (i = 0; i < na; i++) {
		if (a[i].code == NULL)
			continue;
		snprintf(field, sizeof(field), "%s.%s", parent, a[i].code);
		diff_text(out, field, a[i].text, diff_find(b, nb, a[i].code));
	}
	for (i = 0; i < nb; i++) {
		if (b[i].code == NULL || diff_find(a, na, b[i].code) != NULL)
			continue;
		snprintf(field, sizeof(field), "%s.%s", parent, b[i].code);
		diff_text(out, field, NULL, b[i].text);
	}
}

static const struct report_section *
diff_section(const struct report *r, const char *code)
{
	size_t	i;

	for (i = 0; i < r->nsections; i++)
		if (r->sections[i].code != NULL &&
		    strcmp(r->sections[i].code, code) == 0)
			return &r->sections[i];
	return NULL;
}

void
report_diff(const struct report *a, const struct report *b,
    struct report_changes *out)
{
	const struct report_section	*s, *t;
	size_t				 i, n;

	memset(out, 0, sizeof(*out));
	diff_text(out, "reporter.name", a->reporter_name, b->reporter_name);
	diff_text(out, "reporter.position", a->reporter_position,
	    b->reporter_position);
	diff_text(out, "reporter.phone", a->reporter_phone, b->reporter_phone);
	diff_text(out, "plan.number", a->plan_number, b->plan_number);
	diff_text(out, "plan.date", a->plan_date, b->plan_date);
	n = a->nactivities < b->nactivities ? a->nactivities : b->nactivities;
	for (i = 0; i < n; i++)
		diff_activity(out, i, &a->activities[i], &b->activities[i]);
	for (i = n; i < b->nactivities; i++)
		diff_whole(out, i, &b->activities[i], 1);
	for (i = n; i < a->nactivities; i++)
		diff_whole(out, i, &a->activities[i], 0);
	diff_texts(out, "narrative", a->narrative, a->nnarrative,
	    b->narrative, b->nnarrative);
	for (i = 0; i < a->nsections; i++) {
		s = &a->sections[i];
		if (s->code == NULL)
			continue;
		t = diff_section(b, s->code);
		diff_texts(out, s->code, s->fields, s->nfields,
		    t != NULL ? t->fields : NULL, t != NULL ? t->nfields : 0);
	}
	for (i = 0; i < b->nsections; i++) {
		t = &b->sections[i];
		if (t->code == NULL || diff_section(a, t->code) != NULL)
			continue;
		diff_texts(out, t->code, NULL, 0, t->fields, t->nfields);
	}
}
