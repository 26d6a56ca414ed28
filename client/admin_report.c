/*
 * report (admin.h): the province's report (báo cáo) of a period, drafted
 * as a .docx by gp-report from the report data gathered here
 * (report/report-data.md). On one connection: the period's form and the
 * previous year's, the unit registry, who reported and when (missing),
 * then the latest revision of every unit in full (the reports stream),
 * and the same period a year before when the server holds any report of
 * it. Records go to gp-report's standard input as the frames arrive: a
 * unit's report is never held longer than it takes to write it.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "form.h"
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "cause.h"
#include "gpreport.h"
#include "outfile.h"
#include "admin.h"

#define REPORT_DATA_VERSION	1
#define REPORT_MAX_UNITS	10000	/* gp-report reads as many */

/* A unit of the registry. */
struct report_unit {
	char		*code;
	char		*name;
	char		*type_label;
};

/* A unit expected for the period (the completeness list). */
struct report_expected {
	char		*code;
	char		*name;
	char		*status;	/* on_time, late, missing */
	char		*first;		/* the first revision's time */
	uint32_t	 revision;
};

struct report_run {
	const char		*period;
	const char		*output;
	const char		*date;
	int			 data_only;	/* --data */
	int			 accepted;	/* --accepted */
	const struct form	*form;
	struct period		 pd;
	char			 prev_id[16];	/* 2021-H1 */
	const struct form	*prev_form;
	struct period		 prev_pd;
	uint64_t		 prev_reports;	/* stored, latest revisions */

	struct report_unit	*units;
	size_t			 nunits;
	struct report_expected	*expected;
	size_t			 nexpected;
	size_t			 next;		/* expected, not yet written */
	char			 last[REPORT_MAX_UNIT + 1]; /* reported */

	/* Where the records go: gp-report's standard input, or with
	 * --data a file. */
	char			*program;
	struct gpreport		 child;
	struct outfile		*file;
	FILE			*out;
	size_t			 written;	/* unit records */
	size_t			 with_report;
	size_t			 previous_written;
};

/* --- small things -------------------------------------------------------- */

static void
report_units_free(struct report_run *r)
{
	size_t	i;

	for (i = 0; i < r->nunits; i++) {
		free(r->units[i].code);
		free(r->units[i].name);
		free(r->units[i].type_label);
	}
	free(r->units);
	for (i = 0; i < r->nexpected; i++) {
		free(r->expected[i].code);
		free(r->expected[i].name);
		free(r->expected[i].status);
		free(r->expected[i].first);
	}
	free(r->expected);
}

/* strdup of a text that may be NULL; *failed set when memory runs out. */
static char *
run_strdup(const char *s, int *failed)
{
	char	*copy;

	if (s == NULL)
		return NULL;
	if ((copy = strdup(s)) == NULL)
		*failed = 1;
	return copy;
}

static int
report_unit_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct report_unit *)elem)->code);
}

/* A unit of the registry by code (the registry comes sorted), or NULL. */
static const struct report_unit *
report_unit_find(const struct report_run *r, const char *code)
{
	if (code == NULL || r->nunits == 0)
		return NULL;
	return bsearch(code, r->units, r->nunits, sizeof(*r->units),
	    report_unit_cmp);
}

/*
 * The server's RFC 3339 UTC time ("2022-06-10T03:14:00Z") in the
 * federation's zone, which the server names in its answers
 * ("2022-06-10T10:14:00+07:00", zone.h): the day gp-report shows is the
 * day in Lai Châu. A time in another form is passed as it came, for
 * gp-report to judge; NULL stays NULL.
 */
static json_t *
report_time(const char *utc)
{
	return zone_json(utc);
}

/*
 * The review state of a stored revision ("received", "returned",
 * "accepted"), or NULL when the server keeps none (a gpd from before the
 * province's review): the one place that reads it, for the unit records
 * and for --accepted.
 */
static const char *
report_review(const Gp__ReportRow *meta)
{
	return meta->review_state;
}

/* {"id": ..., "kind": ..., "year": ..., "from", "to", "due"}. */
static json_t *
report_period_json(const char *id, const struct period *p)
{
	char	from[DATE_LEN + 1], to[DATE_LEN + 1], due[DATE_LEN + 1];

	date_format(p->from, from);
	date_format(p->to, to);
	date_format(p->due, due);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "id", id,
	    "kind", p->kind == PERIOD_HALF ? "H1" : "annual", "year", p->year,
	    "from", from, "to", to, "due", due);
}

/* The form as the server serves it: its canonical bytes. */
static json_t *
report_form_json(const struct form *f)
{
	const char	*bytes;
	size_t		 len;

	if ((bytes = form_canonical(f, &len)) == NULL)
		return NULL;
	return json_loadb(bytes, len, 0, NULL);
}

/* --- the records --------------------------------------------------------- */

/* Writes one record (taken) and a newline: 0, or the exit status. */
static int
report_put(struct admin *a, struct report_run *r, json_t *o)
{
	int	rv;

	if (o == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	rv = fmt_json_dumpf(o, r->out, JSON_COMPACT);
	json_decref(o);
	if (rv == -1 || fputc('\n', r->out) == EOF || ferror(r->out)) {
		/* gp-report stopped reading: it says why when it is waited
		 * for. */
		return r->data_only ? admin_fail(a, EX_IOERR, _("cannot write "
		    "%s"), r->output) : EX_IOERR;
	}
	return 0;
}

/* Starts gp-report (or the --data file) and writes the header. */
static int
report_start(struct admin *a, struct report_run *r, const struct client *cl)
{
	json_t	*h, *prev;
	char	*cause = NULL;
	int	 status;

	if (r->data_only) {
		if (strcmp(r->output, "-") == 0)
			r->out = stdout;
		else if ((r->file = outfile_open(r->output, &cause)) == NULL) {
			status = admin_fail(a, EX_CANTCREAT, "%s", cause !=
			    NULL ? cause : _("out of memory"));
			free(cause);
			return status;
		} else
			r->out = outfile_stream(r->file);
	} else {
		if (gpreport_start(&r->child, r->program, r->output,
		    &cause) == -1) {
			status = admin_fail(a, EX_OSERR, "%s", cause != NULL ?
			    cause : _("out of memory"));
			free(cause);
			return status;
		}
		r->out = r->child.in;
	}

	h = json_pack("{s:i, s:o, s:b, s:o, s:o}",
	    "gp_report_data", REPORT_DATA_VERSION,
	    "period", report_period_json(r->period, &r->pd),
	    "accepted_only", r->accepted,
	    "form", report_form_json(r->form),
	    "document", report_conf_document(&cl->file.report, r->date));
	if (h != NULL && r->prev_reports > 0) {
		prev = report_period_json(r->prev_id, &r->prev_pd);
		if (prev != NULL && r->prev_form != r->form &&
		    json_object_set_new(prev, "form",
		    report_form_json(r->prev_form)) == -1) {
			json_decref(prev);
			prev = NULL;
		}
		if (prev == NULL || json_object_set_new(h, "previous",
		    prev) == -1) {
			json_decref(h);
			h = NULL;
		}
	}
	return report_put(a, r, h);
}

/*
 * One unit's record: e, the unit as expected (NULL for a unit that
 * reported without being expected now), meta and report (taken) its
 * latest revision when it has one, previous for the year before.
 */
static int
report_unit_record(struct admin *a, struct report_run *r,
    const struct report_expected *e, const Gp__ReportRow *meta,
    json_t *report, int previous)
{
	const struct report_unit	*u;
	const char			*code, *name, *status, *review;
	json_t				*o;
	uint32_t			 revision;

	code = e != NULL ? e->code : meta->unit;
	u = report_unit_find(r, code);
	name = e != NULL && e->name != NULL ? e->name : u != NULL &&
	    u->name != NULL ? u->name : meta != NULL &&
	    meta->unit_name != NULL ? meta->unit_name : code;
	if (e != NULL && e->status != NULL)
		status = e->status;
	else
		status = meta == NULL ? "missing" : meta->late ? "late" :
		    "on_time";
	o = json_pack("{s:o, s:o, s:s}", "code", fmt_json_text(code),
	    "name", fmt_json_text(name), "submission", status);
	if (o == NULL)
		goto fail;
	if (u != NULL && u->type_label != NULL && json_object_set_new(o,
	    "type_label", fmt_json_text(u->type_label)) == -1)
		goto fail;
	if (strcmp(status, "missing") != 0 && json_object_set_new(o,
	    "submitted", report_time(e != NULL && e->first != NULL ?
	    e->first : meta != NULL ? meta->received_at : NULL)) == -1)
		goto fail;
	revision = meta != NULL ? meta->revision : e != NULL ? e->revision : 0;
	if (revision > 0 && json_object_set_new(o, "revision",
	    json_integer(revision)) == -1)
		goto fail;
	if (meta != NULL && revision > 1 && json_object_set_new(o, "updated",
	    report_time(meta->received_at)) == -1)
		goto fail;
	if (meta != NULL && (review = report_review(meta)) != NULL &&
	    json_object_set_new(o, "review", json_string(review)) == -1)
		goto fail;
	if (report != NULL) {
		if (json_object_set_new(o, "report", report) == -1) {
			report = NULL;
			goto fail;
		}
		report = NULL;
	}
	if (previous)
		r->previous_written++;
	else
		r->written++;
	return report_put(a, r, json_pack("{s:o}", previous ?
	    "previous_unit" : "unit", o));
fail:
	json_decref(report);
	json_decref(o);
	return admin_fail(a, EX_OSERR, _("out of memory"));
}

/* The expected units before code (all that are left for NULL), which
 * have no report. */
static int
report_units_before(struct admin *a, struct report_run *r, const char *code)
{
	int	status;

	while (r->next < r->nexpected && (code == NULL ||
	    strcmp(r->expected[r->next].code, code) < 0)) {
		if ((status = report_unit_record(a, r, &r->expected[r->next],
		    NULL, NULL, 0)) != 0)
			return status;
		r->next++;
	}
	return 0;
}

/* A stored revision as the report JSON of its unit (report-data.md). */
static int
report_stored_json(struct admin *a, const Gp__StoredReport *s,
    const struct form *f, json_t **out)
{
	struct report_errors	*errs;
	struct report		*rep = NULL;
	const char		*errstr = NULL;
	const char		*unit = s->meta->unit;
	int			 legacy;

	*out = NULL;
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	if (!s->has_report || report_unpack(s->report.data, s->report.len,
	    &rep, &legacy, errs, &errstr) == -1) {
		free(errs);
		return admin_fail(a, EX_PROTOCOL, _("the server sent a report "
		    "of %s that cannot be read; check that gp-client and gpd "
		    "versions match"), unit);
	}
	free(errs);
	*out = report_json_object(rep, f);
	report_free(rep);
	if (*out == NULL)
		return admin_fail(a, EX_PROTOCOL, _("the report of %s cannot "
		    "be written as report data (text that is not UTF-8?)"),
		    unit);
	return 0;
}

/* --- the frames ---------------------------------------------------------- */

static int
report_units_frame(struct admin *a, const Gp__Response *resp, int last)
{
	struct report_run	*r = a->cmd;
	const Gp__UnitsResponse	*ur = resp->units;
	struct report_unit	*nv, *u;
	size_t			 i;
	int			 failed = 0;

	(void)last;
	if (ur->n_units > REPORT_MAX_UNITS - r->nunits)
		return admin_fail(a, EX_PROTOCOL, _("the registry holds more "
		    "than %d units, more than a report takes"),
		    REPORT_MAX_UNITS);
	if (ur->n_units == 0)
		return 0;
	if ((nv = reallocarray(r->units, r->nunits + ur->n_units,
	    sizeof(*nv))) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	r->units = nv;
	for (i = 0; i < ur->n_units; i++) {
		if (ur->units[i]->code == NULL)
			continue;
		/* The registry is sorted: what is not, is ignored. */
		if (r->nunits > 0 && strcmp(r->units[r->nunits - 1].code,
		    ur->units[i]->code) >= 0)
			continue;
		u = &r->units[r->nunits++];
		u->code = run_strdup(ur->units[i]->code, &failed);
		u->name = run_strdup(ur->units[i]->name, &failed);
		u->type_label = run_strdup(ur->units[i]->type_label,
		    &failed);
		if (failed || u->code == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
	}
	return 0;
}

static int
report_missing_frame(struct admin *a, const Gp__Response *resp, int last)
{
	struct report_run		*r = a->cmd;
	const Gp__MissingResponse	*m = resp->missing;
	const Gp__MissingRow		*row;
	struct report_expected		*nv, *e;
	size_t				 i;
	int				 failed = 0;

	(void)last;
	if (m->n_rows > REPORT_MAX_UNITS - r->nexpected)
		return admin_fail(a, EX_PROTOCOL, _("more than %d units are "
		    "expected to report, more than a report takes"),
		    REPORT_MAX_UNITS);
	if (m->n_rows == 0)
		return 0;
	if ((nv = reallocarray(r->expected, r->nexpected + m->n_rows,
	    sizeof(*nv))) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	r->expected = nv;
	for (i = 0; i < m->n_rows; i++) {
		row = m->rows[i];
		/* In the order of the registry, each unit once: the reports
		 * are merged with them in that order. */
		if (row->unit == NULL || (r->nexpected > 0 &&
		    strcmp(r->expected[r->nexpected - 1].code,
		    row->unit) >= 0))
			return admin_fail(a, EX_PROTOCOL, _("the server's list "
			    "of units is not in order; check that gp-client "
			    "and gpd versions match"));
		e = &r->expected[r->nexpected++];
		memset(e, 0, sizeof(*e));
		e->code = run_strdup(row->unit, &failed);
		e->name = run_strdup(row->unit_name, &failed);
		e->status = run_strdup(row->status != NULL &&
		    (strcmp(row->status, "on_time") == 0 ||
		    strcmp(row->status, "late") == 0) ? row->status :
		    "missing", &failed);
		e->first = run_strdup(row->received_at, &failed);
		e->revision = row->has_revision ? row->revision : 0;
		if (failed)
			return admin_fail(a, EX_OSERR, _("out of memory"));
	}
	return 0;
}

static int
report_previous_summary_frame(struct admin *a, const Gp__Response *resp,
    int last)
{
	struct report_run	*r = a->cmd;

	if (last && resp->summary->total != NULL)
		r->prev_reports = resp->summary->total->reports;
	return 0;
}

/* The reports come one per unit, in the order of the codes. */
static int
report_in_order(struct admin *a, struct report_run *r, const char *code)
{
	if (code == NULL || strlen(code) > REPORT_MAX_UNIT ||
	    strcmp(r->last, code) >= 0)
		return admin_fail(a, EX_PROTOCOL, _("the server's reports are "
		    "not one per unit in order; check that gp-client and gpd "
		    "versions match"));
	memcpy(r->last, code, strlen(code) + 1);
	return 0;
}

static int
report_stored_frame(struct admin *a, const Gp__Response *resp, int last)
{
	struct report_run		*r = a->cmd;
	const Gp__ReportsResponse	*rr = resp->reports;
	const Gp__StoredReport		*s;
	const struct report_expected	*e;
	json_t				*report;
	size_t				 i;
	int				 status;

	for (i = 0; i < rr->n_reports; i++) {
		s = rr->reports[i];
		if (s->meta == NULL)
			return admin_fail(a, EX_PROTOCOL, _("the server sent a "
			    "report without its unit; check that gp-client "
			    "and gpd versions match"));
		if ((status = report_in_order(a, r, s->meta->unit)) != 0)
			return status;
		if (r->accepted && report_review(s->meta) == NULL)
			return admin_fail(a, EX_UNAVAILABLE, _("the server "
			    "keeps no review states, so --accepted cannot tell "
			    "which reports were accepted; leave it out"));
		if (r->out == NULL && (status = report_start(a, r,
		    a->client)) != 0)
			return status;
		if ((status = report_units_before(a, r, s->meta->unit)) != 0)
			return status;
		e = r->next < r->nexpected && strcmp(r->expected[r->next].code,
		    s->meta->unit) == 0 ? &r->expected[r->next] : NULL;
		if (e != NULL)
			r->next++;
		report = NULL;
		if ((!r->accepted || (report_review(s->meta) != NULL &&
		    strcmp(report_review(s->meta), "accepted") == 0)) &&
		    (status = report_stored_json(a, s, r->form, &report)) != 0)
			return status;
		if (report != NULL)
			r->with_report++;
		if ((status = report_unit_record(a, r, e, s->meta, report,
		    0)) != 0)
			return status;
	}
	if (!last)
		return 0;
	if (r->out == NULL && (status = report_start(a, r, a->client)) != 0)
		return status;
	return report_units_before(a, r, NULL);
}

static int
report_previous_frame(struct admin *a, const Gp__Response *resp, int last)
{
	struct report_run		*r = a->cmd;
	const Gp__ReportsResponse	*rr = resp->reports;
	const Gp__StoredReport		*s;
	json_t				*report;
	size_t				 i;
	int				 status;

	(void)last;
	for (i = 0; i < rr->n_reports; i++) {
		s = rr->reports[i];
		if (s->meta == NULL || s->meta->unit == NULL)
			return admin_fail(a, EX_PROTOCOL, _("the server sent a "
			    "report without its unit; check that gp-client "
			    "and gpd versions match"));
		if (r->accepted && (report_review(s->meta) == NULL ||
		    strcmp(report_review(s->meta), "accepted") != 0))
			continue;
		if (r->previous_written == REPORT_MAX_UNITS)
			return admin_fail(a, EX_PROTOCOL, _("more than %d "
			    "reports of %s"), REPORT_MAX_UNITS, r->prev_id);
		if ((status = report_stored_json(a, s, r->prev_form,
		    &report)) != 0 ||
		    (status = report_unit_record(a, r, NULL, s->meta, report,
		    1)) != 0)
			return status;
	}
	return 0;
}

/* --- the command --------------------------------------------------------- */

/* The same period a year before, and its form when the server has one. */
static int
report_previous(struct admin *a, struct report_run *r)
{
	Gp__Request		 req;
	Gp__SummaryRequest	 summary = GP__SUMMARY_REQUEST__INIT;
	char			*cause = NULL, *years = NULL;
	int			 status;

	if (r->pd.kind == PERIOD_HALF)
		snprintf(r->prev_id, sizeof(r->prev_id), "%d-H1",
		    r->pd.year - 1);
	else
		snprintf(r->prev_id, sizeof(r->prev_id), "%d", r->pd.year - 1);
	if ((status = forms_fetch_year(&a->forms, r->pd.year - 1,
	    &r->prev_form, &years, &cause)) != 0) {
		status = admin_fail(a, status, "%s", cause != NULL ? cause :
		    _("out of memory"));
		free(cause);
		free(years);
		return status;
	}
	free(years);
	/* No form of the year before: the report stands alone. */
	if (r->prev_form == NULL)
		return 0;
	if (form_set_period(a->forms.set, r->prev_id, &r->prev_form,
	    &r->prev_pd, &cause) == -1) {
		free(cause);
		r->prev_form = NULL;
		return 0;
	}
	summary.period = r->prev_id;
	admin_request(&req, ADMIN_SUMMARY_ID, GP__REQUEST__BODY_SUMMARY);
	req.summary = &summary;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SUMMARY,
	    N_("a summary"), report_previous_summary_frame, NULL);
}

/* The period's form as the server serves it now, and its dates. */
static int
report_form(struct admin *a, struct report_run *r)
{
	char	*cause = NULL, *years = NULL;
	int	 status;

	if ((status = forms_fetch_year(&a->forms, r->pd.year, &r->form,
	    &years, &cause)) != 0) {
		status = admin_fail(a, status, "%s", cause != NULL ? cause :
		    _("out of memory"));
		free(cause);
		free(years);
		return status;
	}
	if (r->form == NULL) {
		status = admin_fail(a, EX_DATAERR, _("no form for %d; the "
		    "server has forms for %s"), r->pd.year, years != NULL ?
		    years : _("no year"));
		free(years);
		return status;
	}
	free(years);
	if (form_set_period(a->forms.set, r->period, &r->form, &r->pd,
	    &cause) == -1) {
		status = admin_fail(a, EX_DATAERR, "%s", cause != NULL ? cause :
		    _("out of memory"));
		free(cause);
		return status;
	}
	return 0;
}

static int
report_gather(struct admin *a, struct report_run *r)
{
	Gp__Request		req;
	Gp__UnitsRequest	units = GP__UNITS_REQUEST__INIT;
	Gp__MissingRequest	missing = GP__MISSING_REQUEST__INIT;
	Gp__ReportsRequest	reports = GP__REPORTS_REQUEST__INIT;
	int			status;

	if ((status = admin_connect(a)) != 0)
		return status;
	forms_use_conn(&a->forms, a->conn);
	if ((status = report_form(a, r)) != 0 ||
	    (status = report_previous(a, r)) != 0)
		return status;

	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_UNITS);
	req.units = &units;
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_UNITS,
	    N_("the unit registry"), report_units_frame, NULL)) != 0)
		return status;
	missing.period = (char *)(uintptr_t)r->period;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_MISSING);
	req.missing = &missing;
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_MISSING,
	    N_("a completeness list"), report_missing_frame, NULL)) != 0)
		return status;

	reports.period = (char *)(uintptr_t)r->period;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_REPORTS);
	req.reports = &reports;
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_REPORTS,
	    N_("reports"), report_stored_frame, NULL)) != 0)
		return status;
	if (r->prev_reports == 0)
		return 0;
	reports.period = r->prev_id;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_REPORTS,
	    N_("reports"), report_previous_frame, NULL);
}

/* Hands the data over: gp-report writes the document, or the --data
 * file is put in place. */
static int
report_finish(struct admin *a, struct report_run *r)
{
	char	*cause = NULL;
	int	 status;

	if (r->data_only) {
		if (r->file == NULL) {
			if (fflush(stdout) == EOF)
				return admin_fail(a, EX_IOERR, _("cannot write "
				    "the report data to standard output"));
			return 0;
		}
		/* Freed by the caller, committed or not. */
		if ((status = outfile_commit(r->file, &cause)) == -1) {
			status = admin_fail(a, EX_IOERR, "%s", cause != NULL ?
			    cause : _("out of memory"));
			free(cause);
			return status;
		}
		return 0;
	}
	r->out = NULL;
	if ((status = gpreport_finish(&r->child, &cause)) != 0) {
		/* gp-report said why, unless it could not. */
		if (cause != NULL)
			admin_fail(a, status, "%s", cause);
		else
			admin_fail(a, status, _("%s wrote no document (exit "
			    "%d)"), GPREPORT_NAME, status);
		free(cause);
	}
	return status;
}

static int
report_done(struct admin *a, const struct report_run *r)
{
	json_t	*o;
	char	 units[64], reports[64];

	if (r->data_only && strcmp(r->output, "-") == 0)
		return 0;
	if (a->json) {
		o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:I, s:o}",
		    "status", "ok", "period", r->period,
		    "file", fmt_json_text(r->output),
		    "format", r->data_only ? "data" : "docx",
		    "units", (json_int_t)r->written,
		    "reports", (json_int_t)r->with_report,
		    "previous", r->prev_reports > 0 ?
		    json_string(r->prev_id) : json_null());
		if (o == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
		return admin_out(a);
	}
	snprintf(units, sizeof(units), ngettext("%zu unit", "%zu units",
	    r->written), r->written);
	snprintf(reports, sizeof(reports), ngettext("%zu report",
	    "%zu reports", r->with_report), r->with_report);
	/* TRANSLATORS: the period, the file, "11 units", "9 reports", and
	 * the period a year before. */
	if (r->data_only && r->prev_reports > 0)
		fmt_line(stdout, _("wrote the report data of %s to %s: %s, %s, "
		    "compared with %s"), r->period, r->output, units, reports,
		    r->prev_id);
	else if (r->data_only)
		fmt_line(stdout, _("wrote the report data of %s to %s: %s, %s"),
		    r->period, r->output, units, reports);
	else if (r->prev_reports > 0)
		fmt_line(stdout, _("wrote the report of %s to %s: %s, %s, "
		    "compared with %s"), r->period, r->output, units, reports,
		    r->prev_id);
	else
		fmt_line(stdout, _("wrote the report of %s to %s: %s, %s"),
		    r->period, r->output, units, reports);
	return admin_out(a);
}

static int
admin_report(struct admin *a, const struct cmd_args *args)
{
	struct report_run	 r;
	struct period_rules	 rules;
	const char		*errstr;
	char			*cause = NULL;
	int32_t			 day;
	int			 status;

	memset(&r, 0, sizeof(r));
	if ((status = admin_period(a, args->operands[0])) != 0)
		return status;
	r.period = args->operands[0];
	/* The year and kind; the dates are the form's. */
	period_rules_default(&rules);
	if (period_parse(r.period, &rules, &r.pd, &errstr) == -1)
		return admin_fail(a, EX_USAGE, _("bad period '%s': %s"),
		    r.period, errstr);
	r.output = cmd_value(args, "output");
	r.date = cmd_value(args, "date");
	r.data_only = cmd_value(args, "data") != NULL;
	r.accepted = cmd_value(args, "accepted") != NULL;
	if (r.date != NULL && date_parse(r.date, &day) == -1)
		return admin_fail(a, EX_USAGE, _("bad --date '%s': give the "
		    "day of the document as YYYY-MM-DD"), r.date);
	if (!r.data_only && strcmp(r.output, "-") == 0)
		return admin_fail(a, EX_USAGE, _("a .docx cannot go to "
		    "standard output: give -o FILE"));
	/* Before asking the server anything: gp-report is there. */
	if (!r.data_only && (r.program = gpreport_find(
	    a->client->file.report.gp_report, &cause)) == NULL) {
		status = admin_fail(a, EX_UNAVAILABLE, "%s", cause != NULL ?
		    cause : _("out of memory"));
		free(cause);
		return status;
	}
	if (r.data_only && strcmp(r.output, "-") == 0)
		a->started = 1;

	a->cmd = &r;
	status = report_gather(a, &r);
	if (status == 0)
		status = report_finish(a, &r);
	else if (!r.data_only)
		gpreport_abort(&r.child);
	a->cmd = NULL;
	if (status == 0)
		status = report_done(a, &r);
	outfile_free(r.file);
	report_units_free(&r);
	free(r.program);
	return status;
}

static int
admin_report_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_report);
}

const struct cmd_entry cmd_report_entry = {
	"report", N_("PERIOD"), 1, 1,
	N_("draft the province's report (báo cáo) of a period as a .docx"),
	N_("Gather everything the server holds for PERIOD (who reported, on "
	"time or late, and the latest revision of every unit's report in "
	"full, with the same period a year before when it is stored) and "
	"have gp-report draft the province's report from it: an editable "
	"Word document with tables and charts, in the layout of a "
	"Vietnamese administrative document, for the office to edit, "
	"number and sign. The issuing body, number, place, signer and "
	"recipients come from the [report] section of the configuration. "
	"FILE appears only once complete. Needs gp-report (the Debian "
	"package gp-report). For administrators."),
	"gp-client report 2022-H1 -o bao-cao-2022-H1.docx",
	{
		{ "output", 'o', N_("FILE"), 1, N_("the document to write") },
		{ "accepted", 0, NULL, 0, N_("only the reports the province "
		    "accepted") },
		{ "date", 0, "YYYY-MM-DD", 0, N_("the document's date "
		    "(default: left blank to fill in)") },
		{ "data", 0, NULL, 0, N_("write the report data gp-report "
		    "reads to FILE instead (- is standard output)") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD | CMD_FORMS,
	admin_report_exec
};
