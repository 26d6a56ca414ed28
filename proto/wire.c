/*
 * The report model to and from protobuf-c, and framed packing of the
 * Request/Response envelopes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "i18n.h"
#include "text.h"
#include "wire.h"

/*
 * The parts of a Gp__Report built by wire_report_new, allocated together
 * and freed together; every string points into the report.
 */
struct wire_report {
	Gp__Report		 report;
	Gp__Reporter		 reporter;
	Gp__Narrative		 narrative;
	Gp__Plan		 plan;
	Gp__Activity		**activity_ptrs;
	Gp__Activity		*activities;
	Gp__Indicator		**indicator_ptrs;
	Gp__Indicator		*indicators;
	Gp__Text		**text_ptrs;	/* narrative, then sections' */
	Gp__Text		*texts;
	Gp__Section		**section_ptrs;
	Gp__Section		*sections;
	Gp__OutputCount		**output_ptrs;	/* every activity's */
	Gp__OutputCount		*outputs;
};

static void
wire_bytes_set(ProtobufCBinaryData *b, protobuf_c_boolean *has,
    const char *s)
{
	if (s == NULL)
		return;
	/* protobuf-c never writes through data when packing. */
	b->data = (uint8_t *)(uintptr_t)s;
	b->len = strlen(s);
	*has = 1;
}

/* Canonical order of codes (bytes); a code given twice (a report the
 * validator refuses) is ordered by its text, so that even its bytes are
 * the same every time. */
static int
wire_cmp_codes(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
wire_cmp_text(const void *x, const void *y)
{
	const struct report_text	*a = *(const struct report_text *const *)x;
	const struct report_text	*b = *(const struct report_text *const *)y;
	int				 c;

	if ((c = wire_cmp_codes(a->code, b->code)) != 0)
		return c;
	return wire_cmp_codes(a->text, b->text);
}

static int
wire_cmp_section(const void *x, const void *y)
{
	const struct report_section *a =
	    *(const struct report_section *const *)x;
	const struct report_section *b =
	    *(const struct report_section *const *)y;
	int	c;

	if ((c = wire_cmp_codes(a->code, b->code)) != 0)
		return c;
	return (a->nfields > b->nfields) - (a->nfields < b->nfields);
}

static int
wire_cmp_count(const void *x, const void *y)
{
	const struct report_count *a = *(const struct report_count *const *)x;
	const struct report_count *b = *(const struct report_count *const *)y;
	int	c;

	if ((c = wire_cmp_codes(a->code, b->code)) != 0)
		return c;
	return (a->count > b->count) - (a->count < b->count);
}

/* n texts into out[] (Gp__Text from *next on), sorted by code, all
 * but skip (NULL: none). Returns how many. */
static size_t
wire_texts_set(Gp__Text **out, Gp__Text **next, const struct report_text *v,
    size_t n, const struct report_text *skip,
    const struct report_text **order)
{
	Gp__Text	*t;
	size_t		 i, k = 0;

	for (i = 0; i < n; i++)
		order[i] = &v[i];
	if (n > 1)
		qsort(order, n, sizeof(*order), wire_cmp_text);
	for (i = 0; i < n; i++) {
		if (order[i] == skip)
			continue;
		t = (*next)++;
		gp__text__init(t);
		wire_bytes_set(&t->code, &t->has_code, order[i]->code);
		wire_bytes_set(&t->text, &t->has_text, order[i]->text);
		out[k++] = t;
	}
	return k;
}

static void
wire_activity_set(Gp__Activity *a, const struct report_activity *ra,
    Gp__OutputCount **optrs, Gp__OutputCount *outs,
    const struct report_count **order)
{
	size_t	i;

	gp__activity__init(a);
	wire_bytes_set(&a->area, &a->has_area, ra->area);
	wire_bytes_set(&a->kind, &a->has_kind, ra->kind);
	wire_bytes_set(&a->occasion, &a->has_occasion, ra->occasion);
	wire_bytes_set(&a->status, &a->has_status, ra->status);
	wire_bytes_set(&a->audience, &a->has_audience, ra->audience);
	wire_bytes_set(&a->topic, &a->has_topic, ra->topic);
	wire_bytes_set(&a->date, &a->has_date, ra->date);
	wire_bytes_set(&a->end_date, &a->has_end_date, ra->end_date);
	wire_bytes_set(&a->title, &a->has_title, ra->title);
	wire_bytes_set(&a->location, &a->has_location, ra->location);
	wire_bytes_set(&a->notes, &a->has_notes, ra->notes);
	a->sessions = ra->sessions;
	a->has_sessions = 1;
	a->participants = ra->participants;
	a->has_participants = 1;
	a->female = ra->female;
	a->has_female = 1;
	for (i = 0; i < ra->noutputs; i++)
		order[i] = &ra->outputs[i];
	if (ra->noutputs > 1)
		qsort(order, ra->noutputs, sizeof(*order), wire_cmp_count);
	for (i = 0; i < ra->noutputs; i++) {
		gp__output_count__init(&outs[i]);
		wire_bytes_set(&outs[i].code, &outs[i].has_code,
		    order[i]->code);
		outs[i].count = order[i]->count;
		outs[i].has_count = 1;
		optrs[i] = &outs[i];
	}
	a->n_outputs = ra->noutputs;
	a->outputs = ra->noutputs > 0 ? optrs : NULL;
}

/* How many texts and output counts the report has in all; -1 when a
 * count overflows (never for a report of bounded size). */
static int
wire_report_sizes(const struct report *r, size_t *ntexts, size_t *noutputs,
    size_t *maxlist)
{
	size_t	i, n;

	*ntexts = r->nnarrative;
	*noutputs = 0;
	*maxlist = r->nnarrative > r->nsections ? r->nnarrative : r->nsections;
	for (i = 0; i < r->nsections; i++) {
		n = r->sections[i].nfields;
		if (n > SIZE_MAX / 2 - *ntexts)
			return -1;
		*ntexts += n;
		if (n > *maxlist)
			*maxlist = n;
	}
	for (i = 0; i < r->nactivities; i++) {
		n = r->activities[i].noutputs;
		if (n > SIZE_MAX / 2 - *noutputs)
			return -1;
		*noutputs += n;
		if (n > *maxlist)
			*maxlist = n;
	}
	return 0;
}

Gp__Report *
wire_report_new(const struct report *r)
{
	struct wire_report		*w;
	const struct report_text	*results = NULL, **torder = NULL;
	const struct report_section	**sorder = NULL;
	const struct report_section	*rs;
	const struct report_count	**corder = NULL;
	Gp__Text			*next, **tptrs;
	Gp__Section			*sec;
	Gp__OutputCount			**optrs;
	Gp__OutputCount			*outs;
	Gp__Indicator			*ind;
	size_t				 i, ntexts, noutputs, maxlist;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	gp__report__init(&w->report);
	gp__reporter__init(&w->reporter);
	gp__narrative__init(&w->narrative);
	gp__plan__init(&w->plan);

	if (wire_report_sizes(r, &ntexts, &noutputs, &maxlist) == -1)
		goto fail;
#define ALLOC(ptrs, items, n)						\
	do {								\
		if ((n) > 0 && (((w->ptrs = calloc((n),			\
		    sizeof(*w->ptrs))) == NULL) ||			\
		    (w->items = calloc((n), sizeof(*w->items))) == NULL)) \
			goto fail;					\
	} while (0)
	ALLOC(activity_ptrs, activities, r->nactivities);
	ALLOC(indicator_ptrs, indicators, r->nindicators);
	ALLOC(text_ptrs, texts, ntexts);
	ALLOC(section_ptrs, sections, r->nsections);
	ALLOC(output_ptrs, outputs, noutputs);
#undef ALLOC
	if (maxlist > 0 && ((torder = calloc(maxlist,
	    sizeof(*torder))) == NULL || (sorder = calloc(maxlist,
	    sizeof(*sorder))) == NULL || (corder = calloc(maxlist,
	    sizeof(*corder))) == NULL))
		goto fail;

	wire_bytes_set(&w->report.id, &w->report.has_id, r->id);
	wire_bytes_set(&w->report.unit, &w->report.has_unit, r->unit);
	wire_bytes_set(&w->report.period, &w->report.has_period, r->period);
	wire_bytes_set(&w->reporter.name, &w->reporter.has_name,
	    r->reporter_name);
	wire_bytes_set(&w->reporter.position, &w->reporter.has_position,
	    r->reporter_position);
	wire_bytes_set(&w->reporter.phone, &w->reporter.has_phone,
	    r->reporter_phone);
	w->report.reporter = &w->reporter;
	if (r->plan_number != NULL || r->plan_date != NULL) {
		wire_bytes_set(&w->plan.number, &w->plan.has_number,
		    r->plan_number);
		wire_bytes_set(&w->plan.date, &w->plan.has_date, r->plan_date);
		w->report.plan = &w->plan;
	}

	optrs = w->output_ptrs;
	outs = w->outputs;
	for (i = 0; i < r->nactivities; i++) {
		wire_activity_set(&w->activities[i], &r->activities[i], optrs,
		    outs, corder);
		if (r->activities[i].noutputs > 0) {
			optrs += r->activities[i].noutputs;
			outs += r->activities[i].noutputs;
		}
		w->activity_ptrs[i] = &w->activities[i];
	}
	w->report.n_activities = r->nactivities;
	w->report.activities = w->activity_ptrs;

	for (i = 0; i < r->nindicators; i++) {
		ind = &w->indicators[i];
		gp__indicator__init(ind);
		wire_bytes_set(&ind->code, &ind->has_code,
		    r->indicators[i].code);
		ind->total = r->indicators[i].total;
		ind->has_total = 1;
		ind->female = r->indicators[i].female;
		ind->has_female = r->indicators[i].has_female != 0;
		w->indicator_ptrs[i] = ind;
	}
	w->report.n_indicators = r->nindicators;
	w->report.indicators = w->indicator_ptrs;

	/* The narrative: the first results in sorted order in its own
	 * field, every other text by code. */
	for (i = 0; i < r->nnarrative; i++)
		torder[i] = &r->narrative[i];
	if (r->nnarrative > 1)
		qsort(torder, r->nnarrative, sizeof(*torder), wire_cmp_text);
	for (i = 0; i < r->nnarrative && results == NULL; i++)
		if (torder[i]->code != NULL &&
		    strcmp(torder[i]->code, REPORT_RESULTS) == 0)
			results = torder[i];
	if (results != NULL)
		wire_bytes_set(&w->narrative.results,
		    &w->narrative.has_results, results->text);
	next = w->texts;
	tptrs = w->text_ptrs;
	w->narrative.n_texts = wire_texts_set(tptrs, &next, r->narrative,
	    r->nnarrative, results, torder);
	w->narrative.texts = w->narrative.n_texts > 0 ? tptrs : NULL;
	if (w->narrative.n_texts > 0)
		tptrs += w->narrative.n_texts;
	if (r->nnarrative > 0)
		w->report.narrative = &w->narrative;

	for (i = 0; i < r->nsections; i++)
		sorder[i] = &r->sections[i];
	if (r->nsections > 1)
		qsort(sorder, r->nsections, sizeof(*sorder), wire_cmp_section);
	for (i = 0; i < r->nsections; i++) {
		rs = sorder[i];
		sec = &w->sections[i];
		gp__section__init(sec);
		wire_bytes_set(&sec->code, &sec->has_code, rs->code);
		sec->n_fields = wire_texts_set(tptrs, &next, rs->fields,
		    rs->nfields, NULL, torder);
		sec->fields = sec->n_fields > 0 ? tptrs : NULL;
		if (sec->n_fields > 0)
			tptrs += sec->n_fields;
		w->section_ptrs[i] = sec;
	}
	w->report.n_sections = r->nsections;
	w->report.sections = r->nsections > 0 ? w->section_ptrs : NULL;
	free(torder);
	free(sorder);
	free(corder);
	return &w->report;
fail:
	free(torder);
	free(sorder);
	free(corder);
	wire_report_free(&w->report);
	return NULL;
}

void
wire_report_free(Gp__Report *pb)
{
	struct wire_report	*w;

	if (pb == NULL)
		return;
	/* report is the first member of struct wire_report. */
	w = (struct wire_report *)pb;
	free(w->activity_ptrs);
	free(w->activities);
	free(w->indicator_ptrs);
	free(w->indicators);
	free(w->text_ptrs);
	free(w->texts);
	free(w->section_ptrs);
	free(w->sections);
	free(w->output_ptrs);
	free(w->outputs);
	free(w);
}

/* --- decoding ------------------------------------------------------------ */

/*
 * Copies one optional bytes field into a C string: in NFC when nfc is set
 * (a peer's report: what it sent in decomposed form is the same report as
 * its precomposed twin), byte for byte otherwise (canonical bytes read
 * back). Absent stays NULL. Returns -1 on allocation failure; a NUL byte
 * is an error in errs.
 */
int
wire_text_copy(char **dst, protobuf_c_boolean has,
    const ProtobufCBinaryData *b, const char *field,
    struct report_errors *errs, int nfc)
{
	if (!has)
		return 0;
	if (b->len > 0 && memchr(b->data, '\0', b->len) != NULL) {
		report_errors_add(errs, field, "%s", _("contains a NUL byte"));
		return 0;
	}
	if (nfc)
		*dst = text_nfc((const char *)b->data, b->len, NULL);
	else if ((*dst = malloc(b->len + 1)) != NULL) {
		if (b->len > 0)
			memcpy(*dst, b->data, b->len);
		(*dst)[b->len] = '\0';
	}
	return *dst == NULL ? -1 : 0;
}

/* Texts of the narrative (results first) or of a section. */
static int
wire_texts_copy(struct report_text **out, size_t *nout,
    const ProtobufCBinaryData *results, protobuf_c_boolean has_results,
    Gp__Text *const *texts, size_t n, const char *parent,
    struct report_errors *errs, int nfc)
{
	struct report_text	*v;
	char			 field[REPORT_FIELD_MAX];
	size_t			 i, k = 0;

	if (n > REPORT_MAX_TEXTS) {
		report_errors_add(errs, parent, _("%zu texts, more than the %d "
		    "allowed"), n, REPORT_MAX_TEXTS);
		return 0;
	}
	if (n + has_results == 0)
		return 0;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return -1;
	*out = v;
	if (has_results) {
		*nout = ++k;
		snprintf(field, sizeof(field), "%s.%s", parent,
		    REPORT_RESULTS);
		if ((v[0].code = report_strdup(REPORT_RESULTS)) == NULL ||
		    wire_text_copy(&v[0].text, 1, results, field, errs,
		    nfc) == -1)
			return -1;
	}
	for (i = 0; i < n; i++) {
		*nout = ++k;
		snprintf(field, sizeof(field), "%s.texts[%zu].code", parent, i);
		if (wire_text_copy(&v[k - 1].code, texts[i]->has_code,
		    &texts[i]->code, field, errs, nfc) == -1)
			return -1;
		snprintf(field, sizeof(field), "%s.texts[%zu].text", parent,
		    i);
		if (wire_text_copy(&v[k - 1].text, texts[i]->has_text,
		    &texts[i]->text, field, errs, nfc) == -1)
			return -1;
	}
	return 0;
}

static int
wire_activity_copy(struct report_activity *ra, const Gp__Activity *a,
    size_t idx, struct report_errors *errs, int nfc)
{
	char	field[REPORT_FIELD_MAX];
	size_t	i;

	ra->sessions = a->sessions;
	ra->participants = a->participants;
	ra->female = a->female;

#define COPY(member)							\
	do {								\
		snprintf(field, sizeof(field), "activities[%zu]." #member, \
		    idx);						\
		if (wire_text_copy(&ra->member, a->has_##member,	\
		    &a->member, field, errs, nfc) == -1)		\
			return -1;					\
	} while (0)
	COPY(area);
	COPY(kind);
	COPY(occasion);
	COPY(status);
	COPY(audience);
	COPY(topic);
	COPY(date);
	COPY(end_date);
	COPY(title);
	COPY(location);
	COPY(notes);
#undef COPY
	if (a->n_outputs > REPORT_MAX_OUTPUTS) {
		snprintf(field, sizeof(field), "activities[%zu].outputs", idx);
		report_errors_add(errs, field, _("%zu output counts, more than "
		    "the %d allowed"), a->n_outputs, REPORT_MAX_OUTPUTS);
		return 0;
	}
	if (a->n_outputs > 0 && (ra->outputs = calloc(a->n_outputs,
	    sizeof(*ra->outputs))) == NULL)
		return -1;
	for (i = 0; i < a->n_outputs; i++) {
		ra->noutputs = i + 1;
		snprintf(field, sizeof(field), "activities[%zu].outputs[%zu]",
		    idx, i);
		if (wire_text_copy(&ra->outputs[i].code,
		    a->outputs[i]->has_code, &a->outputs[i]->code, field, errs,
		    nfc) == -1)
			return -1;
		ra->outputs[i].count = a->outputs[i]->count;
	}
	return 0;
}

static int
wire_sections_copy(struct report *r, const Gp__Report *pb,
    struct report_errors *errs, int nfc)
{
	const Gp__Section	*sec;
	char			 field[REPORT_FIELD_MAX];
	size_t			 i;

	if (pb->n_sections > REPORT_MAX_SECTIONS) {
		report_errors_add(errs, "sections", _("%zu sections, more than "
		    "the %d allowed"), pb->n_sections, REPORT_MAX_SECTIONS);
		return 0;
	}
	if (pb->n_sections > 0 && (r->sections = calloc(pb->n_sections,
	    sizeof(*r->sections))) == NULL)
		return -1;
	for (i = 0; i < pb->n_sections; i++) {
		sec = pb->sections[i];
		r->nsections = i + 1;
		snprintf(field, sizeof(field), "sections[%zu].code", i);
		if (wire_text_copy(&r->sections[i].code, sec->has_code,
		    &sec->code, field, errs, nfc) == -1)
			return -1;
		snprintf(field, sizeof(field), "sections[%zu]", i);
		if (wire_texts_copy(&r->sections[i].fields,
		    &r->sections[i].nfields, NULL, 0, sec->fields,
		    sec->n_fields, field, errs, nfc) == -1)
			return -1;
	}
	return 0;
}

static int
wire_report_decode(const Gp__Report *pb, struct report **out,
    struct report_errors *errs, int nfc)
{
	struct report		*r;
	const Gp__Indicator	*ind;
	char			 field[REPORT_FIELD_MAX];
	size_t			 before = errs->n + errs->dropped, i;

	*out = NULL;
	if ((r = report_new()) == NULL) {
		report_errors_add(errs, "report", "%s", _("out of memory"));
		return -1;
	}
	if (pb->n_activities > REPORT_MAX_ACTIVITIES) {
		report_errors_add(errs, "activities",
		    _("%zu activities, more than the %d allowed"),
		    pb->n_activities, REPORT_MAX_ACTIVITIES);
		goto fail;
	}
	if (pb->n_indicators > REPORT_MAX_INDICATORS) {
		report_errors_add(errs, "indicators",
		    _("%zu indicators, more than the %d allowed"),
		    pb->n_indicators, REPORT_MAX_INDICATORS);
		goto fail;
	}
	if (wire_text_copy(&r->id, pb->has_id, &pb->id, "id", errs,
	    nfc) == -1 ||
	    wire_text_copy(&r->unit, pb->has_unit, &pb->unit, "unit", errs,
	    nfc) == -1 ||
	    wire_text_copy(&r->period, pb->has_period, &pb->period, "period",
	    errs, nfc) == -1)
		goto fail;
	if (pb->reporter != NULL &&
	    (wire_text_copy(&r->reporter_name, pb->reporter->has_name,
	    &pb->reporter->name, "reporter.name", errs, nfc) == -1 ||
	    wire_text_copy(&r->reporter_position, pb->reporter->has_position,
	    &pb->reporter->position, "reporter.position", errs, nfc) == -1 ||
	    wire_text_copy(&r->reporter_phone, pb->reporter->has_phone,
	    &pb->reporter->phone, "reporter.phone", errs, nfc) == -1))
		goto fail;
	if (pb->plan != NULL &&
	    (wire_text_copy(&r->plan_number, pb->plan->has_number,
	    &pb->plan->number, "plan.number", errs, nfc) == -1 ||
	    wire_text_copy(&r->plan_date, pb->plan->has_date,
	    &pb->plan->date, "plan.date", errs, nfc) == -1))
		goto fail;

	if (pb->n_activities > 0) {
		r->activities = calloc(pb->n_activities,
		    sizeof(*r->activities));
		if (r->activities == NULL)
			goto fail;
	}
	for (i = 0; i < pb->n_activities; i++) {
		r->nactivities = i + 1;
		if (wire_activity_copy(&r->activities[i], pb->activities[i], i,
		    errs, nfc) == -1)
			goto fail;
	}
	if (pb->n_indicators > 0) {
		r->indicators = calloc(pb->n_indicators,
		    sizeof(*r->indicators));
		if (r->indicators == NULL)
			goto fail;
	}
	for (i = 0; i < pb->n_indicators; i++) {
		ind = pb->indicators[i];
		r->nindicators = i + 1;
		snprintf(field, sizeof(field), "indicators[%zu].code", i);
		if (wire_text_copy(&r->indicators[i].code, ind->has_code,
		    &ind->code, field, errs, nfc) == -1)
			goto fail;
		r->indicators[i].total = ind->total;
		r->indicators[i].female = ind->female;
		r->indicators[i].has_female = ind->has_female;
	}

	if (pb->narrative != NULL && wire_texts_copy(&r->narrative,
	    &r->nnarrative, &pb->narrative->results,
	    pb->narrative->has_results, pb->narrative->texts,
	    pb->narrative->n_texts, "narrative", errs, nfc) == -1)
		goto fail;
	if (wire_sections_copy(r, pb, errs, nfc) == -1)
		goto fail;
	if (errs->n + errs->dropped != before)
		goto fail;
	*out = r;
	return 0;
fail:
	if (errs->n + errs->dropped == before)
		report_errors_add(errs, "report", "%s", _("out of memory"));
	report_free(r);
	return -1;
}

int
wire_report_copy(const Gp__Report *pb, struct report **out,
    struct report_errors *errs)
{
	return wire_report_decode(pb, out, errs, 1);
}

int
wire_report_stored(const Gp__Report *pb, struct report **out,
    struct report_errors *errs)
{
	return wire_report_decode(pb, out, errs, 0);
}

/*
 * Fields of a report this schema does not know: a client of gp/1 before
 * report forms sends its enums as numbers in fields that are reserved now
 * (gp.proto), which protobuf-c keeps as unknown fields.
 */
static int
wire_unknown(const ProtobufCMessage *m, const char *where, char *out,
    size_t outlen)
{
	if (m == NULL || m->n_unknown_fields == 0)
		return 0;
	if (where[0] == '\0')
		snprintf(out, outlen, _("field %u"),
		    (unsigned int)m->unknown_fields[0].tag);
	else
		/* TRANSLATORS: where in the report (activities[0]), then
		 * the number of a field this version does not know. */
		snprintf(out, outlen, _("%s field %u"), where,
		    (unsigned int)m->unknown_fields[0].tag);
	return 1;
}

int
wire_report_unknown(const Gp__Report *pb, char *out, size_t outlen)
{
	char	where[REPORT_FIELD_MAX];
	size_t	i, j;

	if (wire_unknown(&pb->base, "", out, outlen) ||
	    wire_unknown((const ProtobufCMessage *)pb->reporter, "reporter",
	    out, outlen) ||
	    wire_unknown((const ProtobufCMessage *)pb->plan, "plan", out,
	    outlen) ||
	    wire_unknown((const ProtobufCMessage *)pb->narrative, "narrative",
	    out, outlen))
		return 1;
	for (i = 0; pb->narrative != NULL && i < pb->narrative->n_texts;
	    i++) {
		snprintf(where, sizeof(where), "narrative.texts[%zu]", i);
		if (wire_unknown(&pb->narrative->texts[i]->base, where, out,
		    outlen))
			return 1;
	}
	for (i = 0; i < pb->n_activities; i++) {
		snprintf(where, sizeof(where), "activities[%zu]", i);
		if (wire_unknown(&pb->activities[i]->base, where, out, outlen))
			return 1;
		for (j = 0; j < pb->activities[i]->n_outputs; j++) {
			snprintf(where, sizeof(where),
			    "activities[%zu].outputs[%zu]", i, j);
			if (wire_unknown(&pb->activities[i]->outputs[j]->base,
			    where, out, outlen))
				return 1;
		}
	}
	for (i = 0; i < pb->n_indicators; i++) {
		snprintf(where, sizeof(where), "indicators[%zu]", i);
		if (wire_unknown(&pb->indicators[i]->base, where, out, outlen))
			return 1;
	}
	for (i = 0; i < pb->n_sections; i++) {
		snprintf(where, sizeof(where), "sections[%zu]", i);
		if (wire_unknown(&pb->sections[i]->base, where, out, outlen))
			return 1;
		for (j = 0; j < pb->sections[i]->n_fields; j++) {
			snprintf(where, sizeof(where), "sections[%zu].fields"
			    "[%zu]", i, j);
			if (wire_unknown(&pb->sections[i]->fields[j]->base,
			    where, out, outlen))
				return 1;
		}
	}
	return 0;
}

/*
 * Decoding a request under a memory budget: protobuf-c allocates every
 * repeated sub-message before any of our limits can look at it, so a
 * frame of empty messages would cost ~150 bytes of heap per byte read.
 * Each block carries its size in front, so that free needs no state.
 */
#define WIRE_ALLOC_HEADER	16

struct wire_budget {
	size_t	left;
};

static void *
wire_budget_alloc(void *data, size_t size)
{
	struct wire_budget	*b = data;
	char			*p;

	if (b == NULL || size > SIZE_MAX - WIRE_ALLOC_HEADER ||
	    size + WIRE_ALLOC_HEADER > b->left)
		return NULL;
	if ((p = malloc(size + WIRE_ALLOC_HEADER)) == NULL)
		return NULL;
	b->left -= size + WIRE_ALLOC_HEADER;
	memcpy(p, &size, sizeof(size));
	return p + WIRE_ALLOC_HEADER;
}

static void
wire_budget_free(void *data, void *p)
{
	(void)data;
	if (p != NULL)
		free((char *)p - WIRE_ALLOC_HEADER);
}

static ProtobufCAllocator	wire_budget_allocator = {
	wire_budget_alloc, wire_budget_free, NULL
};

Gp__Request *
wire_request_unpack(const uint8_t *buf, size_t len)
{
	ProtobufCAllocator	a = wire_budget_allocator;
	struct wire_budget	b;

	/* Generous for any honest report (text is copied once, each
	 * activity is a small struct), far below the amplification. */
	b.left = WIRE_BUDGET_FACTOR * len + WIRE_BUDGET_BASE;
	a.allocator_data = &b;
	return gp__request__unpack(&a, len, buf);
}

void
wire_request_free(Gp__Request *req)
{
	if (req != NULL)
		gp__request__free_unpacked(req, &wire_budget_allocator);
}

Gp__Report *
wire_report_unpack(const uint8_t *buf, size_t len)
{
	ProtobufCAllocator	a = wire_budget_allocator;
	struct wire_budget	b;

	b.left = WIRE_BUDGET_FACTOR * len + WIRE_BUDGET_BASE;
	a.allocator_data = &b;
	return gp__report__unpack(&a, len, buf);
}

void
wire_report_free_unpacked(Gp__Report *pb)
{
	if (pb != NULL)
		gp__report__free_unpacked(pb, &wire_budget_allocator);
}

Gp__LegacyReport *
wire_legacy_unpack(const uint8_t *buf, size_t len)
{
	ProtobufCAllocator	a = wire_budget_allocator;
	struct wire_budget	b;

	b.left = WIRE_BUDGET_FACTOR * len + WIRE_BUDGET_BASE;
	a.allocator_data = &b;
	return gp__legacy_report__unpack(&a, len, buf);
}

void
wire_legacy_free_unpacked(Gp__LegacyReport *pb)
{
	if (pb != NULL)
		gp__legacy_report__free_unpacked(pb, &wire_budget_allocator);
}

static int
wire_frame(size_t n, uint8_t **buf)
{
	if (n > FRAME_MAX_LIMIT)
		return -1;
	if ((*buf = malloc(FRAME_HEADER + n)) == NULL)
		return -1;
	frame_header(*buf, (uint32_t)n);
	return 0;
}

int
wire_pack_request(const Gp__Request *req, uint8_t **buf, size_t *len)
{
	size_t	n = gp__request__get_packed_size(req);

	if (wire_frame(n, buf) == -1)
		return -1;
	*len = FRAME_HEADER + gp__request__pack(req, *buf + FRAME_HEADER);
	return 0;
}

int
wire_pack_response(const Gp__Response *resp, uint8_t **buf, size_t *len)
{
	size_t	n = gp__response__get_packed_size(resp);

	if (wire_frame(n, buf) == -1)
		return -1;
	*len = FRAME_HEADER + gp__response__pack(resp, *buf + FRAME_HEADER);
	return 0;
}

/* The protobuf wire format, for wire_pack_submit's envelope only. */
#define WIRE_VARINT	0
#define WIRE_LEN	2

/* Appends v as a varint at p; returns the bytes written (at most 10). */
static size_t
wire_varint(uint8_t *p, uint64_t v)
{
	size_t	n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			p[n] |= 0x80;
		n++;
	} while (v != 0);
	return n;
}

static size_t
wire_varint_len(uint64_t v)
{
	uint8_t	tmp[10];

	return wire_varint(tmp, v);
}

static uint32_t
wire_field(const ProtobufCMessageDescriptor *d, const char *name)
{
	const ProtobufCFieldDescriptor	*f;

	f = protobuf_c_message_descriptor_get_field_by_name(d, name);
	return f != NULL ? f->id : 0;
}

/*
 * Request { id; submit = SubmitRequest { report = <report bytes> } }: an
 * embedded message is length-delimited, so the report's packed bytes go
 * in as they are. The field numbers come from the generated descriptors.
 */
int
wire_pack_submit(uint32_t id, const uint8_t *report, size_t len,
    uint8_t **buf, size_t *outlen)
{
	uint32_t	f_id, f_submit, f_report;
	uint64_t	t_id, t_submit, t_report;
	size_t		inner, n, o;
	uint8_t		*p;

	*buf = NULL;
	f_id = wire_field(&gp__request__descriptor, "id");
	f_submit = wire_field(&gp__request__descriptor, "submit");
	f_report = wire_field(&gp__submit_request__descriptor, "report");
	if (f_id == 0 || f_submit == 0 || f_report == 0 ||
	    len > FRAME_MAX_LIMIT)
		return -1;
	t_id = (uint64_t)f_id << 3 | WIRE_VARINT;
	t_submit = (uint64_t)f_submit << 3 | WIRE_LEN;
	t_report = (uint64_t)f_report << 3 | WIRE_LEN;
	inner = wire_varint_len(t_report) + wire_varint_len(len) + len;
	n = wire_varint_len(t_id) + wire_varint_len(id) +
	    wire_varint_len(t_submit) + wire_varint_len(inner) + inner;
	if (wire_frame(n, buf) == -1)
		return -1;
	p = *buf + FRAME_HEADER;
	o = wire_varint(p, t_id);
	o += wire_varint(p + o, id);
	o += wire_varint(p + o, t_submit);
	o += wire_varint(p + o, inner);
	o += wire_varint(p + o, t_report);
	o += wire_varint(p + o, len);
	if (len > 0)
		memcpy(p + o, report, len);
	*outlen = FRAME_HEADER + n;
	return 0;
}
