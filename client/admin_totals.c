/*
 * missing and summary (admin.h): who has reported for a period, on time
 * or late, and the totals of the latest revisions by area, unit,
 * occasion or kind.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "i18n.h"
#include "admin.h"

/* Timeliness is the first revision's, as judged when it was stored; the
 * latest revision, what the totals count and the province reviews, is
 * told apart. */
static const struct fmt_column admin_missing_columns[] = {
	{ N_("unit"), 18, FMT_LEFT },
	{ N_("name"), 30, FMT_LEFT },
	{ N_("first received"), 23, FMT_LEFT },
	{ N_("timeliness"), 28, FMT_LEFT },
	{ N_("latest rev"), 10, FMT_RIGHT },
	{ N_("latest received"), 23, FMT_LEFT },
	{ N_("review"), 12, FMT_LEFT },
	{ N_("due"), 10, FMT_LEFT },
	{ N_("extension"), 0, FMT_LEFT }
};
#define ADMIN_MISSING_NCOLUMNS	9

static const struct fmt_column admin_missing_csv[] = {
	{ "unit", 0, FMT_LEFT },
	{ "name", 0, FMT_LEFT },
	{ "first_received_at", 0, FMT_LEFT },
	{ "timeliness", 0, FMT_LEFT },
	{ "days_late", 0, FMT_RIGHT },
	{ "latest_revision", 0, FMT_RIGHT },
	{ "latest_received_at", 0, FMT_LEFT },
	{ "review_state", 0, FMT_LEFT },
	{ "due", 0, FMT_LEFT },
	{ "extension", 0, FMT_LEFT }
};
#define ADMIN_MISSING_NCSV	10

/* The call list: whom to phone, most days late first. */
static const struct fmt_column admin_calls_columns[] = {
	{ N_("unit"), 18, FMT_LEFT },
	{ N_("name"), 26, FMT_LEFT },
	{ N_("status"), 11, FMT_LEFT },
	{ N_("days late"), 9, FMT_RIGHT },
	{ N_("due"), 10, FMT_LEFT },
	{ N_("contact"), 20, FMT_LEFT },
	{ N_("phone"), 14, FMT_LEFT },
	{ N_("email"), 0, FMT_LEFT }
};
static const struct fmt_column admin_calls_csv[] = {
	{ "unit", 0, FMT_LEFT },
	{ "name", 0, FMT_LEFT },
	{ "status", 0, FMT_LEFT },
	{ "days_late", 0, FMT_RIGHT },
	{ "due", 0, FMT_LEFT },
	{ "contact", 0, FMT_LEFT },
	{ "phone", 0, FMT_LEFT },
	{ "email", 0, FMT_LEFT }
};
#define ADMIN_CALLS_COLUMNS	8

static const char *
admin_missing_status(const Gp__MissingRow *r, char *buf, size_t len)
{
	if (r->status == NULL || strcmp(r->status, "missing") == 0)
		return _("nothing yet");
	if (strcmp(r->status, "on_time") == 0)
		return admin_lateness(0, 0, r->first_extended, NULL, buf, len);
	if (strcmp(r->status, "late") == 0)
		return admin_lateness(1, r->days_late, r->first_extended, NULL,
		    buf, len);
	return r->status;
}

/* "until 2022-06-20: the district's flood" */
static const char *
admin_missing_extension(const Gp__MissingRow *r, char *buf, size_t len)
{
	char	until[I18N_MAX];

	if (r->extended_until == NULL)
		return "";
	i18n_date(until, sizeof(until), r->extended_until);
	/* TRANSLATORS: the due date the province extended a unit's to,
	 * then the reason it gave. */
	if (r->extension_reason != NULL)
		snprintf(buf, len, _("until %s: %s"), until,
		    r->extension_reason);
	else
		/* TRANSLATORS: the due date the province extended a unit's
		 * to. */
		snprintf(buf, len, _("until %s"), until);
	return buf;
}

/* "2 of 3 (66.7%)", or "2/3 (66,7%)" in Vietnamese */
static const char *
admin_rate(uint32_t n, uint32_t of, char *buf, size_t len)
{
	char	share[I18N_MAX];

	/* TRANSLATORS: units that reported of the units expected, and
	 * their share in percent. */
	if (of == 0)
		snprintf(buf, len, _("%u of 0"), n);
	else
		snprintf(buf, len, _("%u of %u (%s%%)"), n, of,
		    admin_share(n, of, share, sizeof(share)));
	return buf;
}

static int
admin_missing_end(struct admin *a, const Gp__MissingResponse *m)
{
	char	r1[48], r2[48], states[96];
	char	from[I18N_MAX], to[I18N_MAX], due[I18N_MAX];

	if (a->json)
		return admin_json_close(a, json_pack("{s:I, s:I, s:I, s:o, "
		    "s:o, s:o, s:o, s:o, s:o}",
		    "expected", (json_int_t)m->expected,
		    "reported", (json_int_t)m->reported,
		    "on_time", (json_int_t)m->on_time,
		    "reported_percent", admin_json_share(m->reported,
		    m->expected),
		    "on_time_percent", admin_json_share(m->on_time,
		    m->expected),
		    "due", fmt_json_text(m->due),
		    "coverage_from", fmt_json_text(m->coverage_from),
		    "coverage_to", fmt_json_text(m->coverage_to),
		    "review", admin_json_counts(m->review)));
	if (a->csv) {
		fmt_table_header(&a->table);
		return admin_out(a);
	}
	if (a->counts_only ? m->expected == 0 : a->nitems == 0)
		fmt_line(stdout, _("no unit is expected to report for %s"),
		    a->period);
	if (!a->counts_only || m->expected == 0)
		putchar('\n');
	/* TRANSLATORS: the period; the first and last day it covers; the
	 * day reports are due. */
	fmt_line(stdout, _("%s: coverage %s to %s, due %s (a unit's "
	    "extension moves its own)"), a->period,
	    i18n_date(from, sizeof(from), m->coverage_from),
	    i18n_date(to, sizeof(to), m->coverage_to),
	    i18n_date(due, sizeof(due), m->due));
	/* TRANSLATORS: the rates of units that reported and of those on
	 * time; the first revision's time is what counts. */
	fmt_line(stdout, _("reported %s; on time %s (the first revision "
	    "counts)"),
	    admin_rate(m->reported, m->expected, r1, sizeof(r1)),
	    admin_rate(m->on_time, m->expected, r2, sizeof(r2)));
	fmt_line(stdout, _("reports: %s"), admin_counts(m->review, states,
	    sizeof(states)));
	return admin_out(a);
}

static char *
admin_dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* Keeps a row of the call list until every row is in, in room that
 * admin_calls_keep made. */
static int
admin_call_keep(struct admin *a, const Gp__MissingRow *r)
{
	struct admin_call_row	*c;

	c = &a->calls[a->ncalls];
	memset(c, 0, sizeof(*c));
	a->ncalls++;
	c->days_late = r->days_late;
	c->extended = r->extended_until != NULL;
	if ((c->unit = admin_dup(r->unit)) == NULL ||
	    (c->name = admin_dup(r->unit_name)) == NULL ||
	    (c->status = admin_dup(r->status != NULL &&
	    strcmp(r->status, "missing") != 0 ? "returned" :
	    "missing")) == NULL ||
	    (c->due = admin_dup(r->due)) == NULL ||
	    (c->contact = admin_dup(r->contact)) == NULL ||
	    (c->phone = admin_dup(r->phone)) == NULL ||
	    (c->email = admin_dup(r->email)) == NULL)
		return -1;
	return 0;
}

/* A frame's rows of the call list: room for all of them at once, not a
 * larger array for each of 100,000 rows. */
static int
admin_calls_keep(struct admin *a, const Gp__MissingResponse *m)
{
	struct admin_call_row	*v;
	size_t			 i;

	if (m->n_rows == 0)
		return 0;
	if ((v = reallocarray(a->calls, a->ncalls + m->n_rows,
	    sizeof(*v))) == NULL)
		return -1;
	a->calls = v;
	for (i = 0; i < m->n_rows; i++)
		if (admin_call_keep(a, m->rows[i]) == -1)
			return -1;
	return 0;
}

/* Most days late first, then by unit. */
static int
admin_call_cmp(const void *x, const void *y)
{
	const struct admin_call_row	*a = x, *b = y;

	if (a->days_late != b->days_late)
		return a->days_late > b->days_late ? -1 : 1;
	return strcmp(a->unit, b->unit);
}

static int
admin_calls_end(struct admin *a, const Gp__MissingResponse *m)
{
	const struct admin_call_row	*c;
	const char			*cells[ADMIN_CALLS_COLUMNS];
	char				 days[16], due[I18N_MAX];
	size_t				 i;
	int				 status;

	qsort(a->calls, a->ncalls, sizeof(*a->calls), admin_call_cmp);
	if (a->json && (status = admin_json_object(a, json_pack("{s:s}",
	    "period", a->period))) != 0)
		return status;
	for (i = 0; i < a->ncalls; i++) {
		c = &a->calls[i];
		if (a->json) {
			if ((status = admin_json_item(a, json_pack("{s:o, s:o, "
			    "s:s, s:I, s:o, s:b, s:o, s:o, s:o}",
			    "unit", fmt_json_text(c->unit),
			    "unit_name", fmt_json_text(c->name),
			    "status", c->status,
			    "days_late", (json_int_t)c->days_late,
			    "due", fmt_json_text(c->due),
			    "extended", c->extended,
			    "contact", fmt_json_text(c->contact),
			    "phone", fmt_json_text(c->phone),
			    "email", fmt_json_text(c->email)))) != 0)
				return status;
			continue;
		}
		cells[0] = c->unit;
		cells[1] = c->name;
		/* As missing's table and CSV: the words and date of the
		 * clerk's language; JSON keeps the codes. */
		cells[2] = strcmp(c->status, "returned") == 0 ?
		    C_("review state", "returned") : _("nothing yet");
		cells[3] = admin_number((uint64_t)c->days_late, days,
		    sizeof(days));
		cells[4] = i18n_date(due, sizeof(due), c->due);
		cells[5] = c->contact;
		cells[6] = c->phone;
		cells[7] = c->email;
		fmt_table_row(&a->table, cells);
		a->nitems++;
		/* A phone round of 100,000 units: no flush per row. */
		if (ferror(stdout))
			return admin_out(a);
	}
	if (a->json)
		return admin_json_close(a, json_pack("{s:I, s:I, s:o}",
		    "expected", (json_int_t)m->expected,
		    "reported", (json_int_t)m->reported,
		    "due", fmt_json_text(m->due)));
	if (a->csv || a->nitems > 0)
		fmt_table_header(&a->table);
	else
		fmt_line(stdout, _("nobody to call for %s: every unit "
		    "expected has reported and no report is returned"),
		    a->period);
	return admin_out(a);
}

static int
admin_missing_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__MissingResponse	*m = resp->missing;
	const Gp__MissingRow		*r;
	const char			*cells[ADMIN_MISSING_NCSV];
	char				 st[80], first[ZONE_RFC3339_LEN + 1];
	char				 latest[ZONE_RFC3339_LEN + 1], rev[16];
	char				 ext[300], days[16], due[I18N_MAX];
	size_t				 i, n;
	int				 status;

	if (a->call_list) {
		/* The call list: kept, sorted and printed at the end. */
		if (admin_calls_keep(a, m) == -1)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		return last ? admin_calls_end(a, m) : 0;
	}
	if (a->json && (status = admin_json_object(a, json_pack("{s:s}",
	    "period", a->period))) != 0)
		return status;
	for (i = 0; i < m->n_rows; i++) {
		r = m->rows[i];
		if (a->json) {
			/* received_at and status: the first revision's;
			 * revision: the latest's. */
			if ((status = admin_json_item(a, json_pack("{s:o, "
			    "s:o, s:o, s:I, s:o, s:b, s:o, s:o, s:o, s:o, "
			    "s:o, s:o}",
			    "unit", fmt_json_text(r->unit),
			    "unit_name", fmt_json_text(r->unit_name),
			    "status", fmt_json_text(r->status),
			    "days_late", (json_int_t)r->days_late,
			    "received_at", zone_json(r->received_at),
			    "first_extended", r->first_extended,
			    "revision", r->has_revision && r->revision > 0 ?
			    json_integer(r->revision) : json_null(),
			    "latest_received_at",
			    zone_json(r->latest_received_at),
			    "review_state", fmt_json_text(r->review_state),
			    "due", fmt_json_text(r->due),
			    "extended_until", fmt_json_text(r->extended_until),
			    "extension_reason",
			    fmt_json_text(r->extension_reason)))) != 0)
				return status;
			continue;
		}
		n = 0;
		cells[n++] = r->unit;
		cells[n++] = r->unit_name;
		cells[n++] = a->csv ? zone_rfc3339(r->received_at, first) :
		    admin_when(r->received_at, first);
		cells[n++] = admin_missing_status(r, st, sizeof(st));
		if (a->csv)
			cells[n++] = r->has_days_late ? admin_number(
			    (uint64_t)r->days_late, days, sizeof(days)) : "";
		cells[n++] = r->has_revision && r->revision > 0 ?
		    admin_number(r->revision, rev, sizeof(rev)) : "";
		cells[n++] = a->csv ? zone_rfc3339(r->latest_received_at,
		    latest) : admin_when(r->latest_received_at, latest);
		cells[n++] = a->csv ? admin_text(r->review_state) :
		    admin_state(r->review_state);
		cells[n++] = i18n_date(due, sizeof(due), r->due);
		cells[n++] = admin_missing_extension(r, ext, sizeof(ext));
		fmt_table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_missing_end(a, m) : 0;
}

static int
admin_missing(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__MissingRequest	missing = GP__MISSING_REQUEST__INIT;
	int			status;

	if ((status = admin_period(a, args->operands[0])) != 0)
		return status;
	a->period = args->operands[0];
	if (cmd_value(args, "counts") != NULL) {
		if (a->csv || cmd_value(args, "call-list") != NULL)
			return admin_fail(a, EX_USAGE, _("--counts prints no "
			    "list of units: it cannot go with --csv or "
			    "--call-list"));
		a->counts_only = 1;
		missing.counts = 1;
		missing.has_counts = 1;
	}
	if (cmd_value(args, "call-list") != NULL) {
		a->call_list = 1;
		missing.call_list = 1;
		missing.has_call_list = 1;
		if (a->csv)
			fmt_table_init(&a->table, stdout, admin_calls_csv,
			    ADMIN_CALLS_COLUMNS, FMT_CSV);
		else
			fmt_table_init(&a->table, stdout, admin_calls_columns,
			    ADMIN_CALLS_COLUMNS, 0);
	} else if (a->csv)
		fmt_table_init(&a->table, stdout, admin_missing_csv,
		    ADMIN_MISSING_NCSV, FMT_CSV);
	else
		fmt_table_init(&a->table, stdout, admin_missing_columns,
		    ADMIN_MISSING_NCOLUMNS, 0);
	missing.period = args->operands[0];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_MISSING);
	req.missing = &missing;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_MISSING,
	    N_("a completeness list"), admin_missing_frame, NULL);
}


/*
 * Done and planned ("ước thực hiện") apart in every total: planned
 * participants are never added into done ones. CSV: key and label first,
 * every figure of both.
 */
#define ADMIN_SUMMARY_NCSV	12
static const struct fmt_column admin_summary_csv[] = {
	{ "key", 0, FMT_LEFT },
	{ "label", 0, FMT_LEFT },
	{ "reports", 0, FMT_RIGHT },
	{ "done_activities", 0, FMT_RIGHT },
	{ "done_sessions", 0, FMT_RIGHT },
	{ "done_participants", 0, FMT_RIGHT },
	{ "done_women", 0, FMT_RIGHT },
	{ "done_women_percent", 0, FMT_RIGHT },
	{ "planned_activities", 0, FMT_RIGHT },
	{ "planned_sessions", 0, FMT_RIGHT },
	{ "planned_participants", 0, FMT_RIGHT },
	{ "planned_women", 0, FMT_RIGHT }
};

/* Text: the long Vietnamese label last, never cut; the key only for
 * units (their code). Headers 0 and 10 are set by --by. */
#define ADMIN_SUMMARY_NTEXT	11
static const struct fmt_column admin_summary_text[] = {
	{ N_("unit"), 18, FMT_LEFT },
	{ N_("reports"), 7, FMT_RIGHT },
	{ N_("done"), 5, FMT_RIGHT },
	{ N_("sessions"), 8, FMT_RIGHT },
	{ N_("participants"), 12, FMT_RIGHT },
	{ N_("women"), 7, FMT_RIGHT },
	{ N_("women %"), 7, FMT_RIGHT },
	{ N_("planned"), 7, FMT_RIGHT },
	{ N_("planned part."), 13, FMT_RIGHT },
	{ N_("planned women"), 13, FMT_RIGHT },
	{ "", 0, FMT_LEFT }
};

static json_t *
admin_json_summary_row(const Gp__SummaryRow *r)
{
	return json_pack("{s:o, s:o, s:I, s:o, s:o}",
	    "key", fmt_json_text(r->key),
	    "label", fmt_json_text(r->label),
	    "reports", (json_int_t)r->reports,
	    "done", admin_json_figures(r->done),
	    "planned", admin_json_figures(r->planned));
}

static void
admin_summary_cells(struct admin *a, const Gp__SummaryRow *r,
    const char *key, const char *label)
{
	char		 reports[24], n[8][24], share[16];
	const char	*cells[ADMIN_SUMMARY_NCSV];
	uint64_t	 done[4], planned[4];
	size_t		 k = 0, i;

	admin_figures(r->done, done);
	admin_figures(r->planned, planned);
	/* A code the form of the period does not know shows as itself. */
	if (label == NULL)
		label = key;
	if (a->csv) {
		cells[k++] = key;
		cells[k++] = label;
	} else if (a->by != NULL && strcmp(a->by, "unit") == 0)
		cells[k++] = key;
	cells[k++] = admin_number(r->reports, reports, sizeof(reports));
	for (i = 0; i < 4; i++)
		cells[k++] = admin_number(done[i], n[i], sizeof(n[i]));
	cells[k++] = admin_share(done[3], done[2], share, sizeof(share));
	cells[k++] = admin_number(planned[0], n[4], sizeof(n[4]));
	if (a->csv)
		cells[k++] = admin_number(planned[1], n[5], sizeof(n[5]));
	cells[k++] = admin_number(planned[2], n[6], sizeof(n[6]));
	cells[k++] = admin_number(planned[3], n[7], sizeof(n[7]));
	if (!a->csv)
		cells[k++] = label;
	fmt_table_row(&a->table, cells);
}

static void
admin_summary_indicators(const Gp__SummaryResponse *s)
{
	struct fmt_column	 cols[4] = {
		{ N_("indicator"), 0, FMT_LEFT },
		{ N_("total"), 10, FMT_RIGHT },
		{ N_("women"), 10, FMT_RIGHT },
		{ N_("women %"), 7, FMT_RIGHT }
	};
	struct fmt_table		 t;
	const char		*cells[4];
	char			 total[24], women[24], share[16];
	size_t			 i, w;

	cols[0].width = fmt_width(_(cols[0].header));
	for (i = 0; i < s->n_indicators; i++)
		if ((w = fmt_width(s->indicators[i]->label)) > cols[0].width)
			cols[0].width = w;
	fmt_table_init(&t, stdout, cols, 4, 0);
	for (i = 0; i < s->n_indicators; i++) {
		cells[0] = s->indicators[i]->label != NULL ?
		    s->indicators[i]->label : s->indicators[i]->code;
		cells[1] = admin_number(s->indicators[i]->total, total,
		    sizeof(total));
		/* No women's column where the form gives no share. */
		cells[2] = cells[3] = NULL;
		if (s->indicators[i]->has_female) {
			cells[2] = admin_number(s->indicators[i]->female,
			    women, sizeof(women));
			cells[3] = admin_share(s->indicators[i]->female,
			    s->indicators[i]->total, share, sizeof(share));
		}
		fmt_table_row(&t, cells);
	}
}

static int
admin_summary_end(struct admin *a, const Gp__SummaryResponse *s)
{
	const Gp__IndicatorTotal	*it;
	json_t				*ind, *o;
	char				 states[96], units[64];
	char				 reports[64];
	size_t				 i;

	if (a->json) {
		if ((ind = json_array()) != NULL) {
			for (i = 0; i < s->n_indicators; i++) {
				it = s->indicators[i];
				o = json_pack("{s:o, s:o, s:I, s:o, s:o}",
				    "code", fmt_json_text(it->code),
				    "label", fmt_json_text(it->label),
				    "total", (json_int_t)it->total,
				    "female", it->has_female ?
				    json_integer((json_int_t)it->female) :
				    json_null(),
				    "female_percent", it->has_female ?
				    admin_json_share(it->female, it->total) :
				    json_null());
				if (json_array_append_new(ind, o) == -1) {
					json_decref(ind);
					ind = NULL;
					break;
				}
			}
		}
		return admin_json_close(a, json_pack("{s:o, s:o, s:o, s:b, "
		    "s:o}",
		    "total", s->total != NULL ?
		    admin_json_summary_row(s->total) : json_null(),
		    "indicators", ind,
		    "expected", s->has_expected ?
		    json_integer(s->expected) : json_null(),
		    "accepted_only", a->accepted,
		    "review", admin_json_counts(s->review)));
	}
	if (s->total != NULL)
		admin_summary_cells(a, s->total, "total", "Tổng cộng");
	else
		fmt_table_header(&a->table);
	if (a->csv)
		return admin_out(a);
	if (s->n_indicators > 0) {
		putchar('\n');
		admin_summary_indicators(s);
	}
	putchar('\n');
	if (s->has_expected && s->total != NULL) {
		snprintf(reports, sizeof(reports), ngettext("%" PRIu64
		    " report", "%" PRIu64 " reports", (unsigned long)
		    s->total->reports), s->total->reports);
		snprintf(units, sizeof(units), ngettext("%u unit expected",
		    "%u units expected", s->expected), s->expected);
		admin_counts(s->review, states, sizeof(states));
		/* TRANSLATORS: the period; "3 reports"; "11 units expected";
		 * the reports by the province's review. */
		if (a->accepted)
			fmt_line(stdout, _("%s: %s from %s, accepted reports "
			    "only; by review: %s"), a->period, reports, units,
			    states);
		else
			fmt_line(stdout, _("%s: %s from %s; by review: %s"),
			    a->period, reports, units, states);
		/* TRANSLATORS: "ước thực hiện" is the federation's word for
		 * planned activities, which a Vietnamese reader knows. */
		fmt_line(stdout, "%s", _("done activities apart from planned "
		    "ones (ước thực hiện), never added together"));
	}
	return admin_out(a);
}

static int
admin_summary_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__SummaryResponse	*s = resp->summary;
	size_t				 i;
	int				 status;

	if (a->json && (status = admin_json_object(a, json_pack("{s:s, s:o}",
	    "period", a->period, "by", fmt_json_text(a->by)))) != 0)
		return status;
	for (i = 0; i < s->n_rows; i++) {
		if (a->json) {
			if ((status = admin_json_item(a,
			    admin_json_summary_row(s->rows[i]))) != 0)
				return status;
			continue;
		}
		admin_summary_cells(a, s->rows[i], s->rows[i]->key,
		    s->rows[i]->label);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_summary_end(a, s) : 0;
}

static int
admin_summary(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__SummaryRequest	summary = GP__SUMMARY_REQUEST__INIT;
	const char		*by;
	int			status;

	if ((status = admin_period(a, args->operands[0])) != 0)
		return status;
	by = cmd_value(args, "by");
	if (by != NULL && strcmp(by, "area") != 0 && strcmp(by, "unit") != 0 &&
	    strcmp(by, "occasion") != 0 && strcmp(by, "kind") != 0 &&
	    strcmp(by, "status") != 0 && strcmp(by, "type") != 0)
		return admin_fail(a, EX_USAGE, _("bad --by '%s': give area, "
		    "unit, occasion, kind, status or type"), by);
	if (cmd_value(args, "compare") != NULL)
		return admin_compare(a, args->operands[0],
		    cmd_value(args, "compare"), by);
	a->period = args->operands[0];
	a->by = by;
	if (a->csv)
		fmt_table_init(&a->table, stdout, admin_summary_csv,
		    ADMIN_SUMMARY_NCSV, FMT_CSV);
	else {
		memcpy(a->columns, admin_summary_text,
		    sizeof(admin_summary_text));
		/* The last column's header: what --by names. */
		a->columns[ADMIN_SUMMARY_NTEXT - 1].header = by == NULL ? "" :
		    strcmp(by, "unit") == 0 ? N_("name") :
		    strcmp(by, "area") == 0 ? N_("area") :
		    strcmp(by, "occasion") == 0 ? N_("occasion") :
		    strcmp(by, "kind") == 0 ? N_("kind") :
		    strcmp(by, "status") == 0 ? N_("status") : N_("type");
		if (by != NULL && strcmp(by, "unit") == 0)
			fmt_table_init(&a->table, stdout, a->columns,
			    ADMIN_SUMMARY_NTEXT, 0);
		else
			fmt_table_init(&a->table, stdout, a->columns + 1,
			    ADMIN_SUMMARY_NTEXT - 1, 0);
	}
	summary.period = args->operands[0];
	summary.by = (char *)(uintptr_t)by;
	a->accepted = cmd_value(args, "accepted") != NULL;
	summary.accepted = a->accepted;
	summary.has_accepted = a->accepted;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SUMMARY);
	req.summary = &summary;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SUMMARY,
	    N_("a summary"), admin_summary_frame, NULL);
}


static int
admin_missing_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_missing);
}

static int
admin_summary_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_summary);
}

const struct cmd_entry cmd_missing_entry = {
	"missing", N_("PERIOD"), 1, 1,
	N_("who has reported for a period, on time or late"),
	N_("List every unit expected to report for PERIOD: when its first "
	"revision was received and whether that was on time or late by how "
	"many days (as judged when it was stored: what counts for "
	"timeliness), the latest revision's number, time and the province's "
	"review of it, the unit's due date and its extension if it has one; "
	"then the rates of reports received and on time, and the reports by "
	"the province's review. With --call-list, only the units to phone: "
	"nothing reported yet, or the report returned, with the contact, "
	"phone and e-mail of the registry and the days late today (against "
	"the unit's extension if it has one), most late first (--csv for a "
	"spreadsheet). With --counts, only the rates and the reports by "
	"review, without the list. For administrators."),
	"gp-client missing 2022-H1 --call-list --csv > goi-dien.csv",
	{
		{ "call-list", 0, NULL, 0, N_("only the units to call, with "
		    "contact, phone, e-mail, days late") },
		{ "counts", 0, NULL, 0, N_("only the counts, not the units") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_missing_exec
};

const struct cmd_entry cmd_summary_entry = {
	"summary", N_("PERIOD"), 1, 1,
	N_("totals by area, unit, occasion, kind, status or unit type"),
	N_("Add up the latest revision of every report for PERIOD: reports, "
	"then the activities, sessions, participants and women of done "
	"activities and, apart, of planned ones (never added together), by "
	"the key --by names; then the indicators, and how many reports of "
	"each review state it includes. With --accepted, only the reports the "
	"province accepted. With --compare, PERIOD2 beside it and the change, "
	"each key with the label of its year's form. For administrators."),
	"gp-client summary 2022-H1 --by area --compare 2021-H1",
	{
		{ "by", 'b', N_("KEY"), 0, N_("area, unit, occasion, kind, "
		    "status or type (of unit; default: the totals only)") },
		{ "accepted", 0, NULL, 0, N_("only the reports the province "
		    "accepted") },
		{ "compare", 0, N_("PERIOD2"), 0, N_("beside another period, "
		    "with the change") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_summary_exec
};
