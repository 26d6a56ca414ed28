/*
 * export, lock and unlock (admin.h): a period's activity rows written to
 * a file as they arrive, and a period closed to new revisions or opened
 * again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "export.h"
#include "admin.h"

static int
admin_export_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ExportResponse	*e = resp->export;
	char				*cause = NULL;
	size_t				 i;
	int				 status;

	if (last && e->review != NULL) {
		a->counts = *e->review;
		a->has_counts = 1;
	}
	if (e->n_outputs > 0 && export_labels(a->export, e->outputs,
	    e->n_outputs) == -1)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	for (i = 0; i < e->n_rows; i++) {
		if (export_row(a->export, e->rows[i], &cause) == -1) {
			status = admin_fail(a, EX_IOERR, "%s", cause != NULL ?
			    cause : "out of memory");
			free(cause);
			return status;
		}
	}
	return 0;
}

static int
admin_export_summary_frame(struct admin *a, const Gp__Response *resp,
    int last)
{
	char	*cause = NULL;
	int	 status;

	if (export_summary(a->export, resp->summary, last, &cause) == -1) {
		status = admin_fail(a, EX_IOERR, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	return 0;
}

static int
admin_export_units_frame(struct admin *a, const Gp__Response *resp, int last)
{
	char	*cause = NULL;
	int	 status;

	(void)last;
	if (export_summary_units(a->export, resp->summary, &cause) == -1) {
		status = admin_fail(a, EX_IOERR, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	return 0;
}

static int
admin_export(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ExportRequest	 exp = GP__EXPORT_REQUEST__INIT;
	Gp__SummaryRequest	 summary = GP__SUMMARY_REQUEST__INIT;
	const char		*period, *fmtname, *output;
	char			*cause = NULL, states[96];
	json_t			*o;
	int			 status, format;

	if ((status = admin_period(a, args->operands[0])) != 0)
		return status;
	period = args->operands[0];
	fmtname = cmd_value(args, "format");
	output = cmd_value(args, "output");
	if (export_format_parse(fmtname, &format) == -1)
		return admin_fail(a, EX_USAGE, _("bad --format '%s': give csv, "
		    "json or xlsx"), fmtname);
	if (format == EXPORT_XLSX && strcmp(output, "-") == 0)
		return admin_fail(a, EX_USAGE, _("an xlsx file cannot go to "
		    "standard output: give -o FILE"));

	if ((status = admin_connect(a)) != 0)
		return status;
	if ((a->export = export_open(format, output, period,
	    &cause)) == NULL) {
		status = admin_fail(a, EX_CANTCREAT, "%s", cause != NULL ?
		    cause : "out of memory");
		free(cause);
		return status;
	}
	/* Standard output now carries the export itself. */
	if (strcmp(output, "-") == 0)
		a->started = 1;

	exp.period = (char *)(uintptr_t)period;
	a->accepted = cmd_value(args, "accepted") != NULL;
	exp.accepted = a->accepted;
	exp.has_accepted = a->accepted;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_EXPORT);
	req.export = &exp;
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_EXPORT,
	    N_("activity rows"), admin_export_frame, NULL)) != 0)
		return status;
	if (export_wants_summary(a->export)) {
		summary.period = (char *)(uintptr_t)period;
		summary.by = (char *)(uintptr_t)"area";
		summary.accepted = a->accepted;
		summary.has_accepted = a->accepted;
		admin_request(&req, ADMIN_SUMMARY_ID,
		    GP__REQUEST__BODY_SUMMARY);
		req.summary = &summary;
		if ((status = admin_exchange(a, &req,
		    GP__RESPONSE__BODY_SUMMARY, N_("a summary"),
		    admin_export_summary_frame, NULL)) != 0)
			return status;
		/* The same by unit, for the table and chart of units. */
		summary.by = (char *)(uintptr_t)"unit";
		if ((status = admin_exchange(a, &req,
		    GP__RESPONSE__BODY_SUMMARY, N_("a summary"),
		    admin_export_units_frame, NULL)) != 0)
			return status;
	}
	if (export_close(a->export, &cause) == -1) {
		status = admin_fail(a, EX_IOERR, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	if (strcmp(output, "-") == 0)
		return EX_OK;
	if (a->json) {
		o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:b, s:o}", "status",
		    "ok", "period", period, "file", fmt_json_text(output),
		    "format", fmtname,
		    "rows", (json_int_t)export_nrows(a->export),
		    "accepted_only", a->accepted,
		    "review", admin_json_counts(a->has_counts ? &a->counts :
		    NULL));
		if (o == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else
	{
		admin_counts(a->has_counts ? &a->counts : NULL, states,
		    sizeof(states));
		/* TRANSLATORS: rows; the period; the file; the reports by
		 * the province's review ("3 accepted, 1 returned, ..."). */
		if (a->accepted)
			fmt_line(stdout, ngettext("wrote %zu activity of %s "
			    "to %s; reports (accepted only) by review: %s",
			    "wrote %zu activities of %s to %s; reports "
			    "(accepted only) by review: %s",
			    export_nrows(a->export)), export_nrows(a->export),
			    period, output, states);
		else
			fmt_line(stdout, ngettext("wrote %zu activity of %s "
			    "to %s; reports by review: %s", "wrote %zu "
			    "activities of %s to %s; reports by review: %s",
			    export_nrows(a->export)), export_nrows(a->export),
			    period, output, states);
	}
	return admin_out(a);
}


static int
admin_lock_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__LockResponse	*l = resp->lock;
	const char		*period = l->period != NULL ? l->period :
				    a->period;
	json_t			*o;

	(void)last;
	if (a->json) {
		if ((o = json_pack("{s:o, s:b, s:b}", "period",
		    fmt_json_text(period), "locked", l->locked ? 1 : 0,
		    "changed", l->changed ? 1 : 0)) == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else if (l->changed && l->locked)
		fmt_line(stdout, _("locked %s: no new revisions are accepted"),
		    period);
	else if (l->changed)
		fmt_line(stdout, _("unlocked %s: revisions are accepted "
		    "again"), period);
	else if (l->locked)
		fmt_line(stdout, _("%s was already locked"), period);
	else
		fmt_line(stdout, _("%s was already unlocked"), period);
	return admin_out(a);
}

static int
admin_lock(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__LockRequest		lock = GP__LOCK_REQUEST__INIT;
	int			status;

	if ((status = admin_period(a, args->operands[0])) != 0)
		return status;
	a->period = args->operands[0];
	lock.period = args->operands[0];
	lock.has_lock = 1;
	lock.lock = strcmp(a->name, "lock") == 0;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_LOCK);
	req.lock = &lock;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_LOCK,
	    N_("a lock state"), admin_lock_frame, NULL);
}


static int
admin_export_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_export);
}

static int
admin_lock_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_lock);
}

const struct cmd_entry cmd_export_entry = {
	"export", N_("PERIOD"), 1, 1,
	N_("write the activity rows as csv, json or xlsx"),
	N_("Write every activity of the latest revisions for PERIOD to FILE, "
	"as they arrive: csv (UTF-8 with a byte order mark, for Excel), json, "
	"or xlsx with a second sheet of totals by area and by unit and a "
	"third of charts (Biểu đồ). FILE appears only once complete. With "
	"--accepted, only the reports the province accepted; the last line "
	"says how many reports of each review state the file holds. For "
	"administrators."),
	"gp-client export 2022-H1 --format xlsx -o bao-cao-2022-H1.xlsx",
	{
		{ "format", 'f', N_("FORMAT"), 1, N_("csv, json or xlsx") },
		{ "output", 'o', N_("FILE"), 1, N_("the file to write (- is "
		    "standard output, not for xlsx)") },
		{ "accepted", 0, NULL, 0, N_("only the reports the province "
		    "accepted") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	admin_export_exec
};

const struct cmd_entry cmd_lock_entry = {
	"lock", N_("PERIOD"), 1, 1,
	N_("refuse new revisions for a period"),
	N_("Lock PERIOD: the server refuses new revisions for it (a report "
	"already stored is still answered as a duplicate). For "
	"administrators."),
	"gp-client lock 2022-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	admin_lock_exec
};

const struct cmd_entry cmd_unlock_entry = {
	"unlock", N_("PERIOD"), 1, 1,
	N_("accept revisions for a period again"),
	N_("Unlock PERIOD: the server accepts new revisions for it again. For "
	"administrators."),
	"gp-client unlock 2022-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	admin_lock_exec
};
