/*
 * Reports packed before report forms (report.h, "gp/1 before report
 * forms"): a LegacyReport with the 2022 model's enums as numbers. This
 * file reads them into the model of codes and packs a report the old way
 * again, byte for byte as gp-client did, for what was promised then:
 * receipts that cover those bytes, submission ids derived from them.
 *
 * The tables below are frozen: the numbers of the 2022 model as the wire
 * carried them. They are not the 2022 form's order (the form has the kind
 * "meeting" third) and never change with any form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "report.h"
#include "wire.h"

static const char *const legacy_areas[] = {
	NULL, "policy_dissemination", "strategy_implementation",
	"communication_training", "gender_law_review", "female_cadres",
	"inspection"
};

static const char *const legacy_kinds[] = {
	NULL, "propaganda", "conference", "seminar", "forum", "exchange",
	"talk", "training", "contest", "cultural", "media", "review",
	"inspection", "support", "other"
};

static const char *const legacy_occasions[] = {
	NULL, "none", "womens_day", "family_day", "vn_womens_day",
	"action_month"
};

static const char *const legacy_statuses[] = { NULL, "done", "planned" };

static const char *const legacy_indicators[] = {
	NULL, "members", "exec_committee", "cadres_in_planning",
	"cadres_trained", "cadres_appointed", "gvndn_registered",
	"gvndn_achieved", "gbv_cases_detected", "gbv_cases_handled",
	"inspections"
};

/* The narrative's fields 1..6; the law review had the first five. */
static const char *const legacy_texts[] = {
	"results", "advantages", "difficulties", "obstacles", "proposals",
	"next_tasks"
};
#define LEGACY_TEXTS		6
#define LEGACY_LAW_TEXTS	5
#define LEGACY_LAW_REVIEW	"law_review"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const *
legacy_table(int list, size_t *n)
{
	switch (list) {
	case FORM_AREAS:
		*n = NELEM(legacy_areas);
		return legacy_areas;
	case FORM_KINDS:
		*n = NELEM(legacy_kinds);
		return legacy_kinds;
	case FORM_OCCASIONS:
		*n = NELEM(legacy_occasions);
		return legacy_occasions;
	case FORM_STATUSES:
		*n = NELEM(legacy_statuses);
		return legacy_statuses;
	case FORM_INDICATORS:
		*n = NELEM(legacy_indicators);
		return legacy_indicators;
	default:
		*n = 0;
		return NULL;
	}
}

const char *
report_legacy_code(int list, uint32_t number)
{
	const char *const	*tab;
	size_t			 n;

	if (list == FORM_NARRATIVE)
		return number < LEGACY_TEXTS ? legacy_texts[number] : NULL;
	if ((tab = legacy_table(list, &n)) == NULL || number >= n)
		return NULL;
	return tab[number];
}

/* The number of a code in a table: 0 for NULL, -1 when it has none. */
static long
legacy_number(int list, const char *code)
{
	const char *const	*tab;
	size_t			 i, n;

	if (code == NULL)
		return 0;
	tab = legacy_table(list, &n);
	for (i = 1; i < n; i++)
		if (strcmp(tab[i], code) == 0)
			return (long)i;
	return -1;
}

/* --- reading ------------------------------------------------------------- */

static int
legacy_code(char **dst, int list, uint32_t number, const char *field,
    struct report_errors *errs)
{
	const char	*code;

	if (number == 0)
		return 0;
	if ((code = report_legacy_code(list, number)) == NULL) {
		report_errors_add(errs, field, _("%u is not a number of the "
		    "2022 model"), (unsigned int)number);
		return 0;
	}
	return (*dst = report_strdup(code)) == NULL ? -1 : 0;
}

/* The fields of a LegacyNarrative present, the first n of legacy_texts. */
static int
legacy_texts_copy(struct report_text **out, size_t *nout,
    const Gp__LegacyNarrative *nv, size_t n, const char *parent,
    struct report_errors *errs)
{
	const ProtobufCBinaryData	*fields[LEGACY_TEXTS];
	protobuf_c_boolean		 has[LEGACY_TEXTS];
	char				 field[REPORT_FIELD_MAX];
	size_t				 i;

	if (nv == NULL)
		return 0;
	fields[0] = &nv->results; has[0] = nv->has_results;
	fields[1] = &nv->advantages; has[1] = nv->has_advantages;
	fields[2] = &nv->difficulties; has[2] = nv->has_difficulties;
	fields[3] = &nv->obstacles; has[3] = nv->has_obstacles;
	fields[4] = &nv->proposals; has[4] = nv->has_proposals;
	fields[5] = &nv->next_tasks; has[5] = nv->has_next_tasks;
	if (n < LEGACY_TEXTS && has[LEGACY_TEXTS - 1]) {
		snprintf(field, sizeof(field), "%s.%s", parent,
		    legacy_texts[LEGACY_TEXTS - 1]);
		report_errors_add(errs, field, _("not part of the %s"), parent);
		return 0;
	}
	if ((*out = calloc(n, sizeof(**out))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (!has[i])
			continue;
		snprintf(field, sizeof(field), "%s.%s", parent,
		    legacy_texts[i]);
		if (((*out)[*nout].code = report_strdup(legacy_texts[i])) == NULL)
			return -1;
		(*nout)++;
		if (wire_text_copy(&(*out)[*nout - 1].text, 1, fields[i], field,
		    errs, 0) == -1)
			return -1;
	}
	return 0;
}

static int
legacy_activity_copy(struct report_activity *ra,
    const Gp__LegacyActivity *a, size_t idx, struct report_errors *errs)
{
	char	field[REPORT_FIELD_MAX];

#define CODE(member, list)						\
	do {								\
		snprintf(field, sizeof(field), "activities[%zu]." #member, \
		    idx);						\
		if (legacy_code(&ra->member, list, a->member, field,	\
		    errs) == -1)					\
			return -1;					\
	} while (0)
#define TEXT(member)							\
	do {								\
		snprintf(field, sizeof(field), "activities[%zu]." #member, \
		    idx);						\
		if (wire_text_copy(&ra->member, a->has_##member,	\
		    &a->member, field, errs, 0) == -1)			\
			return -1;					\
	} while (0)
	CODE(area, FORM_AREAS);
	CODE(kind, FORM_KINDS);
	CODE(occasion, FORM_OCCASIONS);
	CODE(status, FORM_STATUSES);
	TEXT(date);
	TEXT(end_date);
	TEXT(title);
	TEXT(location);
	TEXT(notes);
#undef CODE
#undef TEXT
	ra->sessions = a->sessions;
	ra->participants = a->participants;
	ra->female = a->female;
	return 0;
}

static int
legacy_decode(const Gp__LegacyReport *pb, struct report **out,
    struct report_errors *errs)
{
	struct report		*r;
	struct report_section	*law;
	const Gp__LegacyIndicator *ind;
	char			 field[REPORT_FIELD_MAX];
	size_t			 before = errs->n + errs->dropped, i;

	*out = NULL;
	if ((r = report_new()) == NULL)
		return -1;
	if (pb->n_activities > REPORT_MAX_ACTIVITIES ||
	    pb->n_indicators > REPORT_MAX_INDICATORS) {
		report_errors_add(errs, "report", "%s", _("more activities or "
		    "indicators than allowed"));
		goto fail;
	}
	if (wire_text_copy(&r->id, pb->has_id, &pb->id, "id", errs, 0) ==
	    -1 ||
	    wire_text_copy(&r->unit, pb->has_unit, &pb->unit, "unit", errs,
	    0) == -1 ||
	    wire_text_copy(&r->period, pb->has_period, &pb->period, "period",
	    errs, 0) == -1)
		goto fail;
	if (pb->reporter != NULL &&
	    (wire_text_copy(&r->reporter_name, pb->reporter->has_name,
	    &pb->reporter->name, "reporter.name", errs, 0) == -1 ||
	    wire_text_copy(&r->reporter_position, pb->reporter->has_position,
	    &pb->reporter->position, "reporter.position", errs, 0) == -1 ||
	    wire_text_copy(&r->reporter_phone, pb->reporter->has_phone,
	    &pb->reporter->phone, "reporter.phone", errs, 0) == -1))
		goto fail;

	if (pb->n_activities > 0 && (r->activities = calloc(pb->n_activities,
	    sizeof(*r->activities))) == NULL)
		goto fail;
	for (i = 0; i < pb->n_activities; i++) {
		r->nactivities = i + 1;
		if (legacy_activity_copy(&r->activities[i], pb->activities[i],
		    i, errs) == -1)
			goto fail;
	}
	if (pb->n_indicators > 0 && (r->indicators = calloc(pb->n_indicators,
	    sizeof(*r->indicators))) == NULL)
		goto fail;
	for (i = 0; i < pb->n_indicators; i++) {
		ind = pb->indicators[i];
		r->nindicators = i + 1;
		snprintf(field, sizeof(field), "indicators[%zu].code", i);
		if (legacy_code(&r->indicators[i].code, FORM_INDICATORS,
		    ind->code, field, errs) == -1)
			goto fail;
		r->indicators[i].total = ind->total;
		r->indicators[i].female = ind->female;
		r->indicators[i].has_female = ind->has_female;
	}

	if (legacy_texts_copy(&r->narrative, &r->nnarrative, pb->narrative,
	    LEGACY_TEXTS, "narrative", errs) == -1)
		goto fail;
	/* gp-client always sent the law review, empty when the report had
	 * none: empty, it is no section. */
	if (pb->law_review != NULL) {
		if ((r->sections = calloc(1, sizeof(*r->sections))) == NULL)
			goto fail;
		/* Counted at once: freed with the report on failure. */
		r->nsections = 1;
		law = &r->sections[0];
		if (legacy_texts_copy(&law->fields, &law->nfields,
		    pb->law_review, LEGACY_LAW_TEXTS, LEGACY_LAW_REVIEW,
		    errs) == -1)
			goto fail;
		if (law->nfields > 0) {
			if ((law->code = report_strdup(LEGACY_LAW_REVIEW))
			    == NULL)
				goto fail;
		} else {
			free(law->fields);
			free(r->sections);
			r->sections = NULL;
			r->nsections = 0;
		}
	}
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

/* Whether the decoded message holds anything LegacyReport did not. */
static int
legacy_unknown(const Gp__LegacyReport *pb)
{
	size_t	i;

	if (pb->base.n_unknown_fields > 0 ||
	    (pb->reporter != NULL && pb->reporter->base.n_unknown_fields > 0) ||
	    (pb->narrative != NULL &&
	    pb->narrative->base.n_unknown_fields > 0) ||
	    (pb->law_review != NULL &&
	    pb->law_review->base.n_unknown_fields > 0))
		return 1;
	for (i = 0; i < pb->n_activities; i++)
		if (pb->activities[i]->base.n_unknown_fields > 0)
			return 1;
	for (i = 0; i < pb->n_indicators; i++)
		if (pb->indicators[i]->base.n_unknown_fields > 0)
			return 1;
	return 0;
}

int
report_legacy_unpack(const uint8_t *buf, size_t len, struct report **out,
    struct report_errors *errs, const char **errstr)
{
	Gp__LegacyReport	*pb;
	int			 rv;

	*out = NULL;
	if ((pb = wire_legacy_unpack(buf, len)) == NULL) {
		*errstr = "not a report message";
		return -1;
	}
	if (legacy_unknown(pb)) {
		wire_legacy_free_unpacked(pb);
		*errstr = "not a report message of gp/1 before report forms";
		return -1;
	}
	rv = legacy_decode(pb, out, errs);
	wire_legacy_free_unpacked(pb);
	if (rv == -1)
		*errstr = "report has invalid fields";
	return rv;
}

/* --- packing the old way --------------------------------------------------- */

struct legacy_pack {
	Gp__LegacyReport	  report;
	Gp__Reporter		  reporter;
	Gp__LegacyNarrative	  narrative;
	Gp__LegacyNarrative	  law_review;
	Gp__LegacyActivity	**activity_ptrs;
	Gp__LegacyActivity	 *activities;
	Gp__LegacyIndicator	**indicator_ptrs;
	Gp__LegacyIndicator	 *indicators;
};

static void
legacy_bytes(ProtobufCBinaryData *b, protobuf_c_boolean *has, const char *s)
{
	if (s == NULL)
		return;
	b->data = (uint8_t *)(uintptr_t)s;
	b->len = strlen(s);
	*has = 1;
}

/* Texts into a LegacyNarrative: 0 when one has no field there or is
 * given twice. */
static int
legacy_texts_set(Gp__LegacyNarrative *nv, const struct report_text *v,
    size_t n, size_t allowed)
{
	ProtobufCBinaryData	*fields[LEGACY_TEXTS] = {
		&nv->results, &nv->advantages, &nv->difficulties,
		&nv->obstacles, &nv->proposals, &nv->next_tasks
	};
	protobuf_c_boolean	*has[LEGACY_TEXTS] = {
		&nv->has_results, &nv->has_advantages, &nv->has_difficulties,
		&nv->has_obstacles, &nv->has_proposals, &nv->has_next_tasks
	};
	size_t			 i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < allowed; k++)
			if (v[i].code != NULL &&
			    strcmp(v[i].code, legacy_texts[k]) == 0)
				break;
		if (k == allowed || *has[k] || v[i].text == NULL)
			return 0;
		legacy_bytes(fields[k], has[k], v[i].text);
	}
	return 1;
}

/* Fills p from r, as the old wire_report_new did: 1, or 0 when r holds
 * what the old message cannot. */
static int
legacy_fill(struct legacy_pack *p, const struct report *r)
{
	const struct report_activity	*ra;
	Gp__LegacyActivity		*a;
	Gp__LegacyIndicator		*ind;
	long				 v[4];
	size_t				 i;

	if (r->plan_number != NULL || r->plan_date != NULL ||
	    r->nsections > 1)
		return 0;
	legacy_bytes(&p->report.id, &p->report.has_id, r->id);
	legacy_bytes(&p->report.unit, &p->report.has_unit, r->unit);
	legacy_bytes(&p->report.period, &p->report.has_period, r->period);
	legacy_bytes(&p->reporter.name, &p->reporter.has_name,
	    r->reporter_name);
	legacy_bytes(&p->reporter.position, &p->reporter.has_position,
	    r->reporter_position);
	legacy_bytes(&p->reporter.phone, &p->reporter.has_phone,
	    r->reporter_phone);
	p->report.reporter = &p->reporter;

	for (i = 0; i < r->nactivities; i++) {
		ra = &r->activities[i];
		a = &p->activities[i];
		gp__legacy_activity__init(a);
		v[0] = legacy_number(FORM_AREAS, ra->area);
		v[1] = legacy_number(FORM_KINDS, ra->kind);
		v[2] = legacy_number(FORM_OCCASIONS, ra->occasion);
		v[3] = legacy_number(FORM_STATUSES, ra->status);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 ||
		    ra->audience != NULL || ra->topic != NULL ||
		    ra->noutputs > 0 || ra->area_number != 0)
			return 0;
		a->area = (uint32_t)v[0];
		a->has_area = 1;
		a->kind = (uint32_t)v[1];
		a->has_kind = 1;
		a->occasion = (uint32_t)v[2];
		a->has_occasion = 1;
		a->status = (uint32_t)v[3];
		a->has_status = 1;
		legacy_bytes(&a->date, &a->has_date, ra->date);
		legacy_bytes(&a->end_date, &a->has_end_date, ra->end_date);
		legacy_bytes(&a->title, &a->has_title, ra->title);
		legacy_bytes(&a->location, &a->has_location, ra->location);
		legacy_bytes(&a->notes, &a->has_notes, ra->notes);
		a->sessions = ra->sessions;
		a->has_sessions = 1;
		a->participants = ra->participants;
		a->has_participants = 1;
		a->female = ra->female;
		a->has_female = 1;
		p->activity_ptrs[i] = a;
	}
	p->report.n_activities = r->nactivities;
	p->report.activities = p->activity_ptrs;

	for (i = 0; i < r->nindicators; i++) {
		ind = &p->indicators[i];
		gp__legacy_indicator__init(ind);
		if ((v[0] = legacy_number(FORM_INDICATORS,
		    r->indicators[i].code)) <= 0)
			return 0;
		ind->code = (uint32_t)v[0];
		ind->has_code = 1;
		ind->total = r->indicators[i].total;
		ind->has_total = 1;
		/* gp-client always sent the women's figure, 0 when the
		 * file gave none. */
		ind->female = r->indicators[i].has_female ?
		    r->indicators[i].female : 0;
		ind->has_female = 1;
		p->indicator_ptrs[i] = ind;
	}
	p->report.n_indicators = r->nindicators;
	p->report.indicators = p->indicator_ptrs;

	if (!legacy_texts_set(&p->narrative, r->narrative, r->nnarrative,
	    LEGACY_TEXTS))
		return 0;
	if (r->nsections == 1 && (r->sections[0].code == NULL ||
	    strcmp(r->sections[0].code, LEGACY_LAW_REVIEW) != 0 ||
	    !legacy_texts_set(&p->law_review, r->sections[0].fields,
	    r->sections[0].nfields, LEGACY_LAW_TEXTS)))
		return 0;
	p->report.narrative = &p->narrative;
	p->report.law_review = &p->law_review;
	return 1;
}

int
report_legacy_pack(const struct report *r, uint8_t **buf, size_t *len)
{
	struct legacy_pack	*p;
	size_t			 n;
	int			 rv = -1;

	*buf = NULL;
	*len = 0;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	gp__legacy_report__init(&p->report);
	gp__reporter__init(&p->reporter);
	gp__legacy_narrative__init(&p->narrative);
	gp__legacy_narrative__init(&p->law_review);
	if ((r->nactivities > 0 &&
	    ((p->activity_ptrs = calloc(r->nactivities,
	    sizeof(*p->activity_ptrs))) == NULL ||
	    (p->activities = calloc(r->nactivities,
	    sizeof(*p->activities))) == NULL)) ||
	    (r->nindicators > 0 &&
	    ((p->indicator_ptrs = calloc(r->nindicators,
	    sizeof(*p->indicator_ptrs))) == NULL ||
	    (p->indicators = calloc(r->nindicators,
	    sizeof(*p->indicators))) == NULL)))
		goto done;
	if (!legacy_fill(p, r)) {
		rv = 0;
		goto done;
	}
	n = gp__legacy_report__get_packed_size(&p->report);
	if ((*buf = malloc(n + 1)) == NULL)
		goto done;
	*len = gp__legacy_report__pack(&p->report, *buf);
	rv = 1;
done:
	free(p->activity_ptrs);
	free(p->activities);
	free(p->indicator_ptrs);
	free(p->indicators);
	free(p);
	return rv;
}
