/*
 * A unit's report: template writes a skeleton to fill in, validate checks
 * a file locally, submit sends it (client.h). All three read a report
 * file the same way and run the same checks the server will.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"
#include "client.h"
#include "output.h"
#include "trace.h"

/*
 * Reads a report, gives it its content-derived id when it has none, and
 * runs every local check (no unit registry here: the daemon has it).
 * Returns 0 with *out set, or an exit status after printing every error.
 */
static int
submit_load(const struct client *cl, const char *path, struct report **out,
    struct report_errors *warnings)
{
	struct report_errors	 errs;
	struct period_rules	 rules;
	struct validate_context	 vc;
	struct report		*r = NULL;
	const char		*name;
	char			 cause[256], sentence[300];
	int			 saved;

	*out = NULL;
	memset(&errs, 0, sizeof(errs));
	memset(warnings, 0, sizeof(*warnings));
	name = strcmp(path, "-") == 0 ? _(CLIENT_STDIN_NAME) : path;

	if (report_json_read_file(path, &r, &errs, cause,
	    sizeof(cause)) == -1) {
		report_free(r);
		if (errs.n == 0 && errs.dropped == 0) {
			if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
				saved = errno;
				return client_fail(cl, EX_NOINPUT, _("cannot "
				    "read %s: %s; check the file name"), path,
				    strerror(saved));
			}
			return client_fail(cl, EX_DATAERR, _("%s; correct the "
			    "JSON and try again"), cause[0] != '\0' ? cause :
			    _("cannot read the report"));
		}
	} else {
		/* NFC first: the same words typed with precomposed or
		 * decomposed marks are one report, with one derived id. A
		 * derived id makes running the same submit twice harmless;
		 * the checks then see the id that will be sent. */
		if (report_normalize(r) == -1 ||
		    (r->id == NULL && report_derive_id(r) == -1)) {
			report_free(r);
			return client_fail(cl, EX_OSERR, "out of memory");
		}
		period_rules_default(&rules);
		vc.rules = &rules;
		vc.today = date_of(time(NULL));
		vc.unit_lookup = NULL;
		vc.arg = NULL;
		if (validate_report(r, &vc, &errs, warnings) == 0) {
			*out = r;
			return 0;
		}
		report_free(r);
	}

	snprintf(sentence, sizeof(sentence), ngettext("%s is not a valid "
	    "report (%zu error); correct the fields listed and try again",
	    "%s is not a valid report (%zu errors); correct the fields listed "
	    "and try again", errs.n + errs.dropped), name,
	    errs.n + errs.dropped);
	output_invalid(cl->json, name, &errs, sentence);
	return EX_DATAERR;
}

static int
submit_exec(struct client *cl, const struct cmd_args *args)
{
	struct report_errors		 warnings;
	struct report			*r = NULL;
	struct conn			*conn = NULL;
	struct outbox			*ob = NULL;
	struct queue			 q;
	char				*cause = NULL, *problem = NULL;
	int				 status, no_queue;

	no_queue = cmd_value(args, "no-queue") != NULL;
	/* Local warnings are not shown: the daemon's receipt repeats them. */
	if ((status = submit_load(cl, args->operands[0], &r, &warnings)) != 0)
		return status;
	trace_mark("report checked");

	/* The files first: a configuration error queues nothing. */
	if ((conn = conn_new(&cl->conn, &cause)) == NULL) {
		status = EX_CONFIG;
		output_failure(cl->json, status, cause);
		goto done;
	}
	trace_mark("tls set up");
	/* The handshake proceeds while the report is written to the outbox
	 * and synced: the report itself is sent only once it is kept. */
	conn_begin(conn);
	if (cl->outbox != NULL &&
	    (ob = outbox_open(cl->outbox, 1, &cause)) == NULL) {
		if (asprintf(&problem, "%s", cause != NULL ? cause :
		    "out of memory") == -1)
			problem = NULL;
		free(cause);
		cause = NULL;
	} else if (cl->outbox == NULL)
		problem = cl->outbox_error != NULL ?
		    strdup(cl->outbox_error) : NULL;
	trace_mark("outbox opened");

	client_queue(cl, &q, conn, ob);
	if (no_queue)
		status = queue_direct(&q, r, NULL);
	else if (ob == NULL)
		status = queue_direct(&q, r, problem != NULL ? problem :
		    "out of memory");
	else
		status = queue_submit(&q, r);

done:
	free(problem);
	free(cause);
	outbox_close(ob);
	conn_free(conn);
	report_free(r);
	return status;
}

static int
submit_validate_exec(struct client *cl, const struct cmd_args *args)
{
	struct report_errors	 warnings;
	struct report		*r;
	const char		*path = args->operands[0];
	int			 status;

	if ((status = submit_load(cl, path, &r, &warnings)) != 0)
		return status;
	output_valid(cl->json, strcmp(path, "-") == 0 ? _(CLIENT_STDIN_NAME) :
	    path, r, &warnings);
	report_free(r);
	return EX_OK;
}

static int
submit_template_exec(struct client *cl, const struct cmd_args *args)
{
	struct period_rules	 rules;
	struct period		 p;
	struct report		*r;
	const char		*unit, *period, *errstr;
	char			*text;

	unit = cmd_value(args, "unit");
	period = cmd_value(args, "period");
	if (validate_unit_code(unit) != 0)
		return client_fail(cl, EX_USAGE, "bad unit code '%s': use the "
		    "unit's code, such as lc-tamduong (a-z, 0-9 and -)", unit);
	period_rules_default(&rules);
	if (period_parse(period, &rules, &p, &errstr) == -1)
		return client_fail(cl, EX_USAGE, "bad period '%s': %s; give "
		    "2022-H1 for the six-month report or 2022 for the year",
		    period, errstr);

	if ((r = report_template(unit, period, &rules, &errstr)) == NULL)
		return client_fail(cl, EX_OSERR, "cannot make the template: %s",
		    errstr);
	text = report_json_write(r);
	report_free(r);
	if (text == NULL)
		return client_fail(cl, EX_OSERR, "out of memory");
	fputs(text, stdout);
	free(text);
	return EX_OK;
}

const struct cmd_entry cmd_submit_entry = {
	"submit", N_("FILE|-"), 1, 1,
	N_("send a report; keep it in the outbox when it cannot be delivered"),
	N_("Read the report FILE (- is standard input), check it as validate "
	"does, send it to the server and print the signed receipt. When "
	"the server cannot be reached, the report is kept in the outbox "
	"(exit 75) and 'gp-client flush' sends it later. Sending the same "
	"report again is harmless: the server answers with the first "
	"receipt, marked duplicate."),
	"gp-client submit bao-cao-2022-H1.json",
	{
		{ "no-queue", 0, NULL, 0, N_("never keep the report in the "
		    "outbox: send it now or fail") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_SETTINGS | CMD_JSON,
	submit_exec
};

const struct cmd_entry cmd_validate_entry = {
	"validate", N_("FILE|-"), 1, 1,
	N_("check a report locally; nothing is sent"),
	N_("Read the report FILE (- is standard input) and run every check the "
	"server will run, except those that need its unit registry. Prints "
	"every error and warning with the field it is about. Needs no "
	"server and no configuration."),
	"gp-client validate bao-cao-2022-H1.json",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_JSON,
	submit_validate_exec
};

const struct cmd_entry cmd_template_entry = {
	"template", "", 0, 0,
	N_("print a valid report skeleton to fill in"),
	N_("Print a report for the unit and period that already passes "
	"validate: one activity per area, every indicator, every narrative "
	"text. Replace the examples with the unit's own. Needs no server "
	"and no configuration."),
	"gp-client template --unit lc-tamduong --period 2022-H1 > "
	"bao-cao.json",
	{
		{ "unit", 'u', N_("UNIT"), 1, N_("the unit's code, such as "
		    "lc-tamduong") },
		{ "period", 'p', N_("PERIOD"), 1, N_("the period reported "
		    "on") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_JSON | CMD_PERIOD,
	submit_template_exec
};
