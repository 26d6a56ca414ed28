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

#include "admin.h"

/* Timeliness is the first revision's, as judged when it was stored; the
 * latest revision, what the totals count, is told apart. */
static const struct fmt_column admin_missing_columns[] = {
	{ "unit", 18, FMT_LEFT },
	{ "name", 30, FMT_LEFT },
	{ "first received", 23, FMT_LEFT },
	{ "timeliness", 28, FMT_LEFT },
	{ "latest rev", 10, FMT_RIGHT },
	{ "latest received", 23, FMT_LEFT },
	{ "due", 10, FMT_LEFT },
	{ "extension", 0, FMT_LEFT }
};
#define ADMIN_MISSING_NCOLUMNS	8

static const struct fmt_column admin_missing_csv[] = {
	{ "unit", 0, FMT_LEFT },
	{ "name", 0, FMT_LEFT },
	{ "first_received_at", 0, FMT_LEFT },
	{ "timeliness", 0, FMT_LEFT },
	{ "days_late", 0, FMT_RIGHT },
	{ "latest_revision", 0, FMT_RIGHT },
	{ "latest_received_at", 0, FMT_LEFT },
	{ "due", 0, FMT_LEFT },
	{ "extension", 0, FMT_LEFT }
};
#define ADMIN_MISSING_NCSV	9

static const char *
admin_missing_status(const Gp__MissingRow *r, char *buf, size_t len)
{
	if (r->status == NULL || strcmp(r->status, "missing") == 0)
		return "nothing yet";
	if (strcmp(r->status, "on_time") == 0)
		return r->first_extended ? "on time (extended)" : "on time";
	if (strcmp(r->status, "late") == 0) {
		admin_lateness(1, r->days_late, 0, NULL, buf, len);
		if (r->first_extended)
			snprintf(buf + strlen(buf), len - strlen(buf),
			    " (extended)");
		return buf;
	}
	return r->status;
}

/* "until 2022-06-20: the district's flood" */
static const char *
admin_missing_extension(const Gp__MissingRow *r, char *buf, size_t len)
{
	if (r->extended_until == NULL)
		return "";
	snprintf(buf, len, "until %s%s%s", r->extended_until,
	    r->extension_reason != NULL ? ": " : "",
	    r->extension_reason != NULL ? r->extension_reason : "");
	return buf;
}

/* "2 of 3 (66.7%)" */
static const char *
admin_rate(uint32_t n, uint32_t of, char *buf, size_t len)
{
	if (of == 0)
		snprintf(buf, len, "%u of 0", n);
	else
		snprintf(buf, len, "%u of %u (%.1f%%)", n, of,
		    100.0 * n / of);
	return buf;
}

static int
admin_missing_end(struct admin *a, const Gp__MissingResponse *m)
{
	char	r1[48], r2[48];

	if (a->json)
		return admin_json_close(a, json_pack("{s:I, s:I, s:I, s:o, "
		    "s:o, s:o, s:o, s:o}",
		    "expected", (json_int_t)m->expected,
		    "reported", (json_int_t)m->reported,
		    "on_time", (json_int_t)m->on_time,
		    "reported_percent", admin_json_share(m->reported,
		    m->expected),
		    "on_time_percent", admin_json_share(m->on_time,
		    m->expected),
		    "due", fmt_json_text(m->due),
		    "coverage_from", fmt_json_text(m->coverage_from),
		    "coverage_to", fmt_json_text(m->coverage_to)));
	if (a->csv) {
		fmt_table_header(&a->table);
		return admin_out(a);
	}
	if (a->nitems == 0)
		fmt_line(stdout, "no unit is expected to report for %s", a->period);
	putchar('\n');
	fmt_line(stdout, "%s: coverage %s to %s, due %s (a unit's extension "
	    "moves its own)", a->period, admin_text(m->coverage_from),
	    admin_text(m->coverage_to), admin_text(m->due));
	fmt_line(stdout, "reported %s; on time %s (the first revision counts)",
	    admin_rate(m->reported, m->expected, r1, sizeof(r1)),
	    admin_rate(m->on_time, m->expected, r2, sizeof(r2)));
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
	char				 ext[300], days[16];
	size_t				 i, n;
	int				 status;

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
			    "s:o}",
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
		cells[n++] = r->due;
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
	if (a->csv)
		fmt_table_init(&a->table, stdout, admin_missing_csv,
		    ADMIN_MISSING_NCSV, FMT_CSV);
	else
		fmt_table_init(&a->table, stdout, admin_missing_columns,
		    ADMIN_MISSING_NCOLUMNS, 0);
	missing.period = args->operands[0];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_MISSING);
	req.missing = &missing;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_MISSING,
	    "a completeness list", admin_missing_frame, NULL);
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
	{ "unit", 18, FMT_LEFT },
	{ "reports", 7, FMT_RIGHT },
	{ "done", 5, FMT_RIGHT },
	{ "sessions", 8, FMT_RIGHT },
	{ "participants", 12, FMT_RIGHT },
	{ "women", 7, FMT_RIGHT },
	{ "women %", 7, FMT_RIGHT },
	{ "planned", 7, FMT_RIGHT },
	{ "planned part.", 13, FMT_RIGHT },
	{ "planned women", 13, FMT_RIGHT },
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
		{ "indicator", 0, FMT_LEFT },
		{ "total", 10, FMT_RIGHT },
		{ "women", 10, FMT_RIGHT },
		{ "women %", 7, FMT_RIGHT }
	};
	struct fmt_table		 t;
	const char		*cells[4];
	char			 total[24], women[24], share[16];
	size_t			 i, w;

	cols[0].width = fmt_width(cols[0].header);
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
		return admin_json_close(a, json_pack("{s:o, s:o, s:o}",
		    "total", s->total != NULL ?
		    admin_json_summary_row(s->total) : json_null(),
		    "indicators", ind,
		    "expected", s->has_expected ?
		    json_integer(s->expected) : json_null()));
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
	if (s->has_expected && s->total != NULL)
		fmt_line(stdout, "%s: %" PRIu64 " report%s from %u unit%s "
		    "expected; done activities apart from planned ones (ước "
		    "thực hiện)", a->period, s->total->reports,
		    s->total->reports == 1 ? "" : "s", s->expected,
		    s->expected == 1 ? "" : "s");
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
		return admin_fail(a, EX_USAGE, "bad --by '%s': give area, "
		    "unit, occasion, kind, status or type", by);
	a->period = args->operands[0];
	a->by = by;
	if (a->csv)
		fmt_table_init(&a->table, stdout, admin_summary_csv,
		    ADMIN_SUMMARY_NCSV, FMT_CSV);
	else {
		memcpy(a->columns, admin_summary_text,
		    sizeof(admin_summary_text));
		a->columns[ADMIN_SUMMARY_NTEXT - 1].header = by == NULL ? "" :
		    strcmp(by, "unit") == 0 ? "name" : by;
		if (by != NULL && strcmp(by, "unit") == 0)
			fmt_table_init(&a->table, stdout, a->columns,
			    ADMIN_SUMMARY_NTEXT, 0);
		else
			fmt_table_init(&a->table, stdout, a->columns + 1,
			    ADMIN_SUMMARY_NTEXT - 1, 0);
	}
	summary.period = args->operands[0];
	summary.by = (char *)(uintptr_t)by;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SUMMARY);
	req.summary = &summary;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SUMMARY,
	    "a summary", admin_summary_frame, NULL);
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
	"missing", "PERIOD", 1, 1,
	"who has reported for a period, on time or late",
	"List every unit expected to report for PERIOD: when its first "
	"revision was\nreceived and whether that was on time or late by how "
	"many days (as judged when\nit was stored: what counts for "
	"timeliness), the latest revision's number and\ntime, the unit's due "
	"date and its extension if it has one; then the rates of\nreports "
	"received and on time. For administrators.",
	"gp-client missing 2022-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_missing_exec
};

const struct cmd_entry cmd_summary_entry = {
	"summary", "PERIOD", 1, 1,
	"totals by area, unit, occasion, kind, status or unit type",
	"Add up the latest revision of every report for PERIOD: reports, "
	"then the\nactivities, sessions, participants and women of done "
	"activities and, apart, of\nplanned ones (never added together), "
	"by the key --by names; then the\nindicators. For administrators.",
	"gp-client summary 2022-H1 --by area",
	{
		{ "by", 'b', "KEY", 0, "area, unit, occasion, kind, status or "
		    "type (of unit; default: the totals only)" },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_summary_exec
};
