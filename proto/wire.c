/*
 * The report model to and from protobuf-c, and framed packing of the
 * Request/Response envelopes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "text.h"
#include "wire.h"

/* The parts of a Gp__Report built by wire_report_new, freed together. */
struct wire_report {
	Gp__Report		 report;
	Gp__Reporter		 reporter;
	Gp__Narrative		 narrative;
	Gp__Narrative		 law_review;
	Gp__Activity		**activity_ptrs;
	Gp__Activity		*activities;
	Gp__Indicator		**indicator_ptrs;
	Gp__Indicator		*indicators;
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

static void
wire_narrative_set(Gp__Narrative *n, char *const *texts, size_t count)
{
	ProtobufCBinaryData	*fields[TEXT_COUNT] = {
		&n->results, &n->advantages, &n->difficulties,
		&n->obstacles, &n->proposals, &n->next_tasks
	};
	protobuf_c_boolean	*has[TEXT_COUNT] = {
		&n->has_results, &n->has_advantages, &n->has_difficulties,
		&n->has_obstacles, &n->has_proposals, &n->has_next_tasks
	};
	size_t			 i;

	for (i = 0; i < count; i++)
		wire_bytes_set(fields[i], has[i], texts[i]);
}

Gp__Report *
wire_report_new(const struct report *r)
{
	struct wire_report		*w;
	Gp__Activity			*a;
	Gp__Indicator			*ind;
	const struct report_activity	*ra;
	size_t				 i;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	gp__report__init(&w->report);
	gp__reporter__init(&w->reporter);
	gp__narrative__init(&w->narrative);
	gp__narrative__init(&w->law_review);

	if (r->nactivities > 0) {
		w->activity_ptrs = calloc(r->nactivities, sizeof(Gp__Activity *));
		w->activities = calloc(r->nactivities, sizeof(Gp__Activity));
		if (w->activity_ptrs == NULL || w->activities == NULL)
			goto fail;
	}
	if (r->nindicators > 0) {
		w->indicator_ptrs = calloc(r->nindicators,
		    sizeof(Gp__Indicator *));
		w->indicators = calloc(r->nindicators, sizeof(Gp__Indicator));
		if (w->indicator_ptrs == NULL || w->indicators == NULL)
			goto fail;
	}

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

	for (i = 0; i < r->nactivities; i++) {
		ra = &r->activities[i];
		a = &w->activities[i];
		gp__activity__init(a);
		a->area = ra->area;
		a->has_area = 1;
		a->kind = ra->kind;
		a->has_kind = 1;
		a->occasion = ra->occasion;
		a->has_occasion = 1;
		a->status = ra->status;
		a->has_status = 1;
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
		w->activity_ptrs[i] = a;
	}
	w->report.n_activities = r->nactivities;
	w->report.activities = w->activity_ptrs;

	for (i = 0; i < r->nindicators; i++) {
		ind = &w->indicators[i];
		gp__indicator__init(ind);
		ind->code = r->indicators[i].code;
		ind->has_code = 1;
		ind->total = r->indicators[i].total;
		ind->has_total = 1;
		ind->female = r->indicators[i].female;
		ind->has_female = 1;
		w->indicator_ptrs[i] = ind;
	}
	w->report.n_indicators = r->nindicators;
	w->report.indicators = w->indicator_ptrs;

	wire_narrative_set(&w->narrative, r->narrative, TEXT_COUNT);
	wire_narrative_set(&w->law_review, r->law_review, LAW_REVIEW_COUNT);
	w->report.narrative = &w->narrative;
	w->report.law_review = &w->law_review;
	return &w->report;
fail:
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
	free(w);
}

/*
 * Copies one optional bytes field into a C string: in NFC when nfc is set
 * (a peer's report: what it sent in decomposed form is the same report as
 * its precomposed twin), byte for byte otherwise (canonical bytes read
 * back). Absent stays NULL. Returns -1 on allocation failure; a NUL byte
 * is an error in errs.
 */
static int
wire_text_copy(char **dst, protobuf_c_boolean has,
    const ProtobufCBinaryData *b, const char *field,
    struct report_errors *errs, int nfc)
{
	if (!has)
		return 0;
	if (b->len > 0 && memchr(b->data, '\0', b->len) != NULL) {
		report_errors_add(errs, field, "contains a NUL byte");
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

static int
wire_narrative_copy(char **texts, size_t count, const Gp__Narrative *n,
    const char *section, struct report_errors *errs, int nfc)
{
	const ProtobufCBinaryData	*fields[TEXT_COUNT];
	protobuf_c_boolean		 has[TEXT_COUNT];
	char				 field[REPORT_FIELD_MAX];
	size_t				 i;

	if (n == NULL)
		return 0;
	fields[0] = &n->results; has[0] = n->has_results;
	fields[1] = &n->advantages; has[1] = n->has_advantages;
	fields[2] = &n->difficulties; has[2] = n->has_difficulties;
	fields[3] = &n->obstacles; has[3] = n->has_obstacles;
	fields[4] = &n->proposals; has[4] = n->has_proposals;
	fields[5] = &n->next_tasks; has[5] = n->has_next_tasks;
	for (i = 0; i < TEXT_COUNT; i++) {
		snprintf(field, sizeof(field), "%s.%s", section,
		    report_texts[i].id);
		if (i >= count) {
			if (has[i])
				report_errors_add(errs, field,
				    "not part of the %s", section);
			continue;
		}
		if (wire_text_copy(&texts[i], has[i], fields[i], field,
		    errs, nfc) == -1)
			return -1;
	}
	return 0;
}

static int
wire_activity_copy(struct report_activity *ra, const Gp__Activity *a,
    size_t idx, struct report_errors *errs, int nfc)
{
	char	field[REPORT_FIELD_MAX];

	ra->area = a->area;
	ra->kind = a->kind;
	ra->occasion = a->occasion;
	ra->status = a->status;
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
	COPY(date);
	COPY(end_date);
	COPY(title);
	COPY(location);
	COPY(notes);
#undef COPY
	return 0;
}

static int
wire_report_decode(const Gp__Report *pb, struct report **out,
    struct report_errors *errs, int nfc)
{
	struct report	*r;
	size_t		 before = errs->n + errs->dropped, i;

	*out = NULL;
	if ((r = report_new()) == NULL) {
		report_errors_add(errs, "report", "out of memory");
		return -1;
	}
	if (pb->n_activities > REPORT_MAX_ACTIVITIES) {
		report_errors_add(errs, "activities",
		    "%zu activities, more than the %d allowed",
		    pb->n_activities, REPORT_MAX_ACTIVITIES);
		goto fail;
	}
	if (pb->n_indicators > REPORT_MAX_INDICATORS) {
		report_errors_add(errs, "indicators",
		    "%zu indicators, more than the %d allowed",
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
		r->indicators[i].code = pb->indicators[i]->code;
		r->indicators[i].total = pb->indicators[i]->total;
		r->indicators[i].female = pb->indicators[i]->female;
	}
	r->nindicators = pb->n_indicators;

	if (wire_narrative_copy(r->narrative, TEXT_COUNT, pb->narrative,
	    "narrative", errs, nfc) == -1 ||
	    wire_narrative_copy(r->law_review, LAW_REVIEW_COUNT,
	    pb->law_review, "law_review", errs, nfc) == -1)
		goto fail;
	if (errs->n + errs->dropped != before)
		goto fail;
	*out = r;
	return 0;
fail:
	if (errs->n + errs->dropped == before)
		report_errors_add(errs, "report", "out of memory");
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
