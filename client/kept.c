/*
 * What is kept on this machine (client.h): the outbox of reports waiting
 * to be sent (flush sends them, outbox lists and mends them) and the
 * signed receipts of what was delivered (receipts lists and writes them
 * out, verify-receipt checks one offline).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "form.h"
#include "report.h"
#include "report_json.h"
#include "admin.h"
#include "client.h"
#include "output.h"
#include "outfile.h"
#include "proof.h"

/* Opens the outbox, which need not exist yet (*ob NULL then). Returns 0,
 * or an exit status after saying why. */
static int
kept_outbox_open(struct client *cl, int create, struct outbox **ob)
{
	char	*cause = NULL;

	*ob = NULL;
	if (cl->outbox == NULL)
		return client_fail(cl, EX_CANTCREAT, "%s", cl->outbox_error !=
		    NULL ? cl->outbox_error : "out of memory");
	if ((*ob = outbox_open(cl->outbox, create, &cause)) == NULL &&
	    (cause != NULL || errno != ENOENT)) {
		output_failure(cl->json, EX_CANTCREAT, cause);
		free(cause);
		return EX_CANTCREAT;
	}
	return 0;
}

static int
kept_flush_exec(struct client *cl, const struct cmd_args *args)
{
	struct outbox	*ob = NULL;
	struct conn	*conn = NULL;
	struct queue	 q;
	char		*cause = NULL;
	int		 status;

	(void)args;
	if ((status = kept_outbox_open(cl, 0, &ob)) != 0)
		return status;
	if ((conn = conn_new(&cl->conn, &cause)) == NULL) {
		status = EX_CONFIG;
		output_failure(cl->json, status, cause);
		free(cause);
		outbox_close(ob);
		return status;
	}
	client_queue(cl, &q, conn, ob);
	q.tty = isatty(STDOUT_FILENO);
	if (ob == NULL) {
		/* Nothing was ever queued here. */
		output_flush_end(output_flush_new(cl->json, 0), 0, 0, EX_OK,
		    NULL);
		status = EX_OK;
	} else
		status = queue_flush(&q);
	conn_free(conn);
	outbox_close(ob);
	return status;
}

static int
kept_outbox_exec(struct client *cl, const struct cmd_args *args)
{
	struct outbox			*ob = NULL;
	struct outbox_entry		**v = NULL, *e = NULL;
	const char			*drop, *retry, *id;
	char				*cause = NULL;
	size_t				 n = 0;
	int				 status, rv;

	drop = cmd_value(args, "drop");
	retry = cmd_value(args, "retry");
	if (drop != NULL && retry != NULL)
		return client_fail(cl, EX_USAGE, _("--drop and --retry exclude "
		    "each other: give one"));
	if ((status = kept_outbox_open(cl, 0, &ob)) != 0)
		return status;

	if (drop == NULL && retry == NULL) {
		if (ob != NULL && outbox_list(ob, &v, &n, &cause) == -1) {
			status = EX_IOERR;
			output_failure(cl->json, status, cause);
		} else
			output_outbox(cl->json, v, n, cl->outbox);
		goto done;
	}

	id = drop != NULL ? drop : retry;
	if (ob != NULL && outbox_get(ob, id, &e, &cause) == -1) {
		status = EX_IOERR;
		output_failure(cl->json, status, cause);
		goto done;
	}
	if (e == NULL) {
		status = client_fail(cl, EX_USAGE, _("no report %s in the "
		    "outbox; run 'gp-client outbox' for the list"), id);
		goto done;
	}
	rv = drop != NULL ? outbox_drop(ob, id, time(NULL), &cause) :
	    outbox_retry(ob, id, &cause);
	if (rv == -1) {
		status = EX_IOERR;
		output_failure(cl->json, status, cause);
	} else if (rv == 2)
		status = client_fail(cl, EX_TEMPFAIL, _("another gp-client "
		    "process is sending %s right now; try again when it is "
		    "done"), id);
	else if (rv == 1 && drop != NULL)
		status = client_fail(cl, EX_USAGE, _("no report %s in the "
		    "outbox; run 'gp-client outbox' for the list"), id);
	else if (rv == 1 && e->state == OUTBOX_SENDING)
		status = client_fail(cl, EX_USAGE, _("report %s is being sent, "
		    "not refused: it needs no --retry"), id);
	else if (rv == 1)
		status = client_fail(cl, EX_USAGE, _("report %s is waiting, "
		    "not refused: 'gp-client flush' sends it"), id);
	else
		output_outbox_changed(cl->json, drop != NULL, e);

done:
	free(cause);
	outbox_entry_free(e);
	outbox_entries_free(v, n);
	outbox_close(ob);
	return status;
}

/* Writes what write_fn makes of arg to path ("-": standard output),
 * whole or not at all (outfile.h). Returns 0, or an exit status after
 * saying why. */
static int
kept_write_file(struct client *cl, const char *path, int receipt,
    int (*write_fn)(FILE *, const void *), const void *arg)
{
	struct outfile	*o;
	char		*cause = NULL;
	int		 status;

	if (strcmp(path, "-") == 0) {
		if (write_fn(stdout, arg) == -1)
			return client_fail(cl, EX_IOERR, receipt ?
			    _("cannot write the receipt: %s") :
			    _("cannot write the report: %s"), strerror(errno));
		return 0;
	}
	if ((o = outfile_open(path, &cause)) == NULL) {
		status = cause != NULL ? EX_CANTCREAT : EX_OSERR;
		output_failure(cl->json, status, cause);
		free(cause);
		return status;
	}
	if (write_fn(outfile_stream(o), arg) == -1)
		status = client_fail(cl, EX_IOERR, receipt ?
		    _("cannot write the receipt to %s: %s") :
		    _("cannot write the report to %s: %s"), path,
		    strerror(errno));
	else if (outfile_commit(o, &cause) == -1) {
		status = EX_IOERR;
		output_failure(cl->json, status, cause);
		free(cause);
	} else
		status = 0;
	outfile_free(o);
	return status;
}

static int
kept_write_receipt(FILE *f, const void *arg)
{
	return output_receipt_export(f, arg);
}

static int
kept_write_report(FILE *f, const void *arg)
{
	return fputs(arg, f) == EOF ? -1 : 0;
}

/* The report bytes kept with a receipt, as the JSON submit reads; NULL
 * when they are not a report. */
static char *
kept_kept_report(const struct outbox_receipt *kept)
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	const char		*errstr;
	char			*text = NULL;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return NULL;
	/* Bytes kept before report forms read too: their receipt covers
	 * them, and verify-receipt packs the JSON either way. */
	if (report_unpack(kept->report, kept->len, &r, NULL, errs,
	    &errstr) == 0)
		text = report_json_write(r, NULL);
	report_free(r);
	free(errs);
	return text;
}

/* receipts --export: the receipt file of one kept receipt, and with
 * report_path the report it covers beside it. */
static int
kept_receipt_export(struct client *cl, struct outbox *ob, const char *id,
    const char *path, const char *report_path)
{
	struct outbox_receipt	*kept = NULL;
	char			*cause = NULL, *text = NULL, *lower;
	int			 status;

	/* A receipt's digits as gp-client prints them, whatever the case
	 * they were typed in. */
	if (strspn(id, "0123456789abcdefABCDEF") == strlen(id) &&
	    strpbrk(id, "ABCDEF") != NULL && (lower = strdup(id)) != NULL) {
		for (text = lower; *text != '\0'; text++)
			if (*text >= 'A' && *text <= 'F')
				*text += 'a' - 'A';
		text = NULL;
		status = kept_receipt_export(cl, ob, lower, path, report_path);
		free(lower);
		return status;
	}
	if (ob != NULL && outbox_receipt_get(ob, id, &kept, &cause) == -1) {
		output_failure(cl->json, EX_IOERR, cause);
		free(cause);
		return EX_IOERR;
	}
	if (kept == NULL)
		return client_fail(cl, EX_USAGE, _("no receipt %s is kept "
		    "here; run 'gp-client receipts' for the list"), id);
	if (kept->signature == NULL) {
		status = client_fail(cl, EX_DATAERR, _("receipt %s was not "
		    "signed by the server, so it proves nothing: ask the "
		    "provincial federation to check with 'gp-client show'"),
		    kept->receipt);
		goto done;
	}
	if (report_path != NULL && (text = kept_kept_report(kept)) == NULL) {
		status = client_fail(cl, EX_DATAERR, _("the report kept with "
		    "receipt %s cannot be read back"), kept->receipt);
		goto done;
	}
	if ((status = kept_write_file(cl, path, 1,
	    kept_write_receipt, kept)) != 0)
		goto done;
	if (report_path != NULL && (status = kept_write_file(cl,
	    report_path, 0, kept_write_report, text)) != 0)
		goto done;
	if (strcmp(path, "-") == 0 || (report_path != NULL &&
	    strcmp(report_path, "-") == 0))
		goto done;
	output_receipt_exported(cl->json, kept, path, report_path);
done:
	free(text);
	outbox_receipt_free(kept);
	return status;
}

static int
kept_receipts_exec(struct client *cl, const struct cmd_args *args)
{
	struct outbox			*ob = NULL;
	struct outbox_receipt		**v = NULL;
	const char			*unit, *period, *export, *path;
	const char			*report_path;
	char				*cause = NULL;
	size_t				 n = 0;
	int				 status;

	unit = cmd_value(args, "unit");
	period = cmd_value(args, "period");
	export = cmd_value(args, "export");
	path = cmd_value(args, "output");
	report_path = cmd_value(args, "report");
	if (export != NULL && (unit != NULL || period != NULL))
		return client_fail(cl, EX_USAGE, _("--export takes no --unit "
		    "or --period: the receipt names its own"));
	if (export == NULL && (path != NULL || report_path != NULL))
		return client_fail(cl, EX_USAGE, _("-o and --report go with "
		    "--export RECEIPT"));
	if (path != NULL && report_path != NULL &&
	    strcmp(path, report_path) == 0)
		return client_fail(cl, EX_USAGE, _("the receipt and the "
		    "report need two files: give -o and --report different "
		    "names"));
	if ((status = kept_outbox_open(cl, 0, &ob)) != 0)
		return status;
	if (export != NULL) {
		status = kept_receipt_export(cl, ob, export,
		    path != NULL ? path : "-", report_path);
		outbox_close(ob);
		return status;
	}
	if (ob != NULL && outbox_receipts(ob, unit, period, &v, &n,
	    &cause) == -1) {
		status = EX_IOERR;
		output_failure(cl->json, status, cause);
		free(cause);
	} else
		output_receipts(cl->json, v, n);
	outbox_receipts_free(v, n);
	outbox_close(ob);
	return status;
}

/* The report file of verify-receipt. Returns 0 with *out, or an exit
 * status with *cause. */
static int
kept_report_of(const char *path, struct report **out, char **cause)
{
	struct report_errors	*errs;
	struct form_set		*forms = NULL;
	char			 text[256], *fcause = NULL;
	int			 saved, status = EX_DATAERR, n, rv;

	*cause = NULL;
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return EX_OSERR;
	text[0] = '\0';
	/* The built-in form, for a 2022 file that gives areas by number;
	 * codes need no form to be packed. */
	if (form_set_load(NULL, &forms, &fcause) == -1)
		free(fcause);
	rv = report_json_read_file(path, forms, out, errs, text,
	    sizeof(text));
	form_set_free(forms);
	if (rv == 0) {
		free(errs);
		return 0;
	}
	report_free(*out);
	*out = NULL;
	if (errs->n > 0 && errs->n + errs->dropped > 1)
		n = asprintf(cause, _("%s cannot be read as a report: %s: %s "
		    "(and more)"), path, errs->e[0].field, errs->e[0].message);
	else if (errs->n > 0)
		n = asprintf(cause, _("%s cannot be read as a report: %s: %s"),
		    path, errs->e[0].field, errs->e[0].message);
	else if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
		saved = errno;
		n = asprintf(cause, _("cannot read %s: %s; check the file "
		    "name"), path, strerror(saved));
		status = EX_NOINPUT;
	} else
		n = asprintf(cause, _("%s cannot be read as a report: %s"),
		    path, text[0] != '\0' ? text : _("not JSON"));
	if (n == -1)
		*cause = NULL;
	free(errs);
	return status;
}

static int
kept_verify_exec(struct client *cl, const struct cmd_args *args)
{
	struct proof_out		 po;
	struct proof			*p = NULL;
	struct report			*r = NULL;
	const char			*report_path = NULL;
	char				*cause = NULL, *verdict = NULL;
	int				 status;

	if (args->noperands == 2) {
		report_path = args->operands[1];
		if (strcmp(report_path, "-") == 0 &&
		    strcmp(args->operands[0], "-") == 0)
			return client_fail(cl, EX_USAGE, _("the receipt and "
			    "the report cannot both be standard input: give "
			    "one as a file"));
	}

	proof_out_init(&po, cl->json);
	if ((status = proof_read(args->operands[0], &p, &cause)) != 0 ||
	    (status = proof_verify(&po, p, cl->conn.ca, &cause)) != 0)
		goto done;
	if (p->decision) {
		/* A decision covers a revision the province holds, named by
		 * its report_sha256: no report file of the unit's. */
		if (report_path != NULL) {
			status = EX_USAGE;
			if (asprintf(&cause, _("%s is a decision of the "
			    "province, not a receipt: it covers revision %u as "
			    "stored, not a report file; give the decision "
			    "alone"),
			    args->operands[0], p->revision) == -1)
				cause = NULL;
			goto done;
		}
		if ((p->comment != NULL ? asprintf(&verdict,
		    _("decision %s on %s %s revision %u: %s by %s at %s, "
		    "comment: %s"), p->receipt, p->unit, p->period,
		    p->revision, admin_state(p->state), p->decided_by,
		    p->received_at, p->comment) : asprintf(&verdict,
		    _("decision %s on %s %s revision %u: %s by %s at %s"),
		    p->receipt, p->unit, p->period, p->revision,
		    admin_state(p->state), p->decided_by,
		    p->received_at)) == -1) {
			verdict = NULL;
			status = EX_OSERR;
		}
		goto done;
	}
	if (report_path != NULL) {
		if ((status = kept_report_of(report_path, &r, &cause)) != 0) {
			proof_say(&po, "report", 0, _("cannot be read"));
			goto done;
		}
		if ((status = proof_check_report(&po, p, r, report_path,
		    &cause)) != 0)
			goto done;
	}
	if ((report_path != NULL ? asprintf(&verdict, _("%s %s revision %u "
	    "received %s, receipt %s, with this report"), p->unit, p->period,
	    p->revision, p->received_at, p->receipt) : asprintf(&verdict,
	    _("%s %s revision %u received %s, receipt %s"), p->unit,
	    p->period, p->revision, p->received_at, p->receipt)) == -1) {
		verdict = NULL;
		status = EX_OSERR;
	}
done:
	status = proof_out_end(&po, p, status, verdict, cause);
	free(verdict);
	free(cause);
	report_free(r);
	proof_free(p);
	return status;
}

const struct cmd_entry cmd_flush_entry = {
	"flush", "", 0, 0,
	N_("send the reports waiting in the outbox"),
	N_("Send every report waiting in the outbox, oldest first, and print "
	"each receipt. Stops at the first that cannot be delivered, keeping "
	"the order; exits 0 only when the outbox is empty afterwards. "
	"systemd/gp-client-flush.timer runs it."),
	"gp-client flush",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_SETTINGS | CMD_JSON,
	kept_flush_exec
};

const struct cmd_entry cmd_outbox_entry = {
	"outbox", "", 0, 0,
	N_("list the reports waiting in the outbox"),
	N_("List the reports waiting in the outbox: their state (waiting, "
	"sending, or refused by the server), the tries so far and the last "
	"error. A refused report stays until it is dropped, or made to "
	"wait again after the cause was fixed."),
	"gp-client outbox --retry 3f0c2a1e-5d2a-8c47-9a53-7f0e1d2c3b4a",
	{
		{ "drop", 0, N_("ID"), 0, N_("remove the report with this "
		    "submission id from the outbox") },
		{ "retry", 0, N_("ID"), 0, N_("make a refused report wait "
		    "again, for the next flush") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_SETTINGS | CMD_JSON,
	kept_outbox_exec
};

const struct cmd_entry cmd_receipts_entry = {
	"receipts", "", 0, 0,
	N_("list the receipts kept on this machine, or write one out"),
	N_("List the signed receipts kept on this machine for what was "
	"delivered, newest last. With --export, write one receipt as the "
	"file verify-receipt reads, and with --report the report it covers "
	"beside it. A receipt is named by its id, by its first 8 or more "
	"digits, or by the submission id it answered."),
	"gp-client receipts --export 9c1e0f3a -o bien-nhan.json",
	{
		{ "unit", 'u', N_("UNIT"), 0, N_("only the receipts of this "
		    "unit") },
		{ "period", 'p', N_("PERIOD"), 0, N_("only the receipts of "
		    "this period") },
		{ "export", 0, N_("RECEIPT"), 0, N_("write out this receipt "
		    "(its id, or its first 8 digits or more)") },
		{ "output", 'o', N_("FILE"), 0, N_("where --export writes (- "
		    "is standard output, the default)") },
		{ "report", 0, N_("FILE"), 0, N_("with --export, also write "
		    "the report the receipt covers") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_SETTINGS | CMD_JSON | CMD_PERIOD,
	kept_receipts_exec
};

const struct cmd_entry cmd_verify_receipt_entry = {
	"verify-receipt", N_("RECEIPT.json [REPORT.json]"), 1, 2,
	N_("check a signed receipt, and the report it covers, offline"),
	N_("Check offline that RECEIPT.json was signed by a server of the CA "
	"(--ca or 'ca' in the configuration file) and, with REPORT.json, "
	"that it covers that report. Anyone holding the CA certificate can "
	"check what a unit sent and when. A decision of the province (the "
	"file 'gp-client --json review' prints) is checked the same way: who "
	"decided what on which revision, when, with which comment."),
	"gp-client --ca ca.crt verify-receipt bien-nhan.json bao-cao.json",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CA | CMD_JSON,
	kept_verify_exec
};
