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

#include "form.h"
#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"
#include "client.h"
#include "forms.h"
#include "output.h"
#include "send.h"
#include "trace.h"
#include "zone.h"

/*
 * The report file's period, read once before its form is known: the form
 * of a year that is not kept here yet is fetched (forms.h), and the file
 * read again, so that an area given by number finds its code. Returns 0,
 * or an exit status after saying why the form cannot be had. A period
 * that is not one is left to the validator to name.
 */
static int
submit_form(const struct client *cl, struct forms *fs, const char *path,
    struct report **r, struct report_errors *errs, char *cause,
    size_t causelen)
{
	const struct form	*f;
	struct period		 p;
	char			*why = NULL;
	int			 status;

	if (*r == NULL || (*r)->period == NULL)
		return 0;
	if ((status = forms_period(fs, (*r)->period, &f, &p, &why)) != 0) {
		if (status == EX_USAGE) {
			free(why);
			return 0;
		}
		output_failure(cl->json, status, why);
		free(why);
		return status;
	}
	if (!fs->fetched)
		return 0;
	report_free(*r);
	*r = NULL;
	report_errors_clear(errs);
	report_json_read_file_all(path, fs->set, r, errs, cause, causelen);
	return 0;
}

/* Whether the validator's error on field is one the JSON reading named
 * already (the field, or a part of it: "activities" covers
 * "activities[2].date"). */
static int
submit_named(const struct report_errors *json, size_t n, const char *field)
{
	size_t	i, len;

	for (i = 0; i < n; i++) {
		len = strlen(json->e[i].field);
		if (strncmp(field, json->e[i].field, len) == 0 &&
		    (field[len] == '\0' || field[len] == '.' ||
		    field[len] == '['))
			return 1;
	}
	return 0;
}

/* Every error in one pass: the validator's after the JSON reading's,
 * but for fields already named. */
static void
submit_merge(struct report_errors *errs, size_t njson,
    const struct report_errors *more)
{
	size_t	i;

	for (i = 0; i < more->n; i++)
		if (!submit_named(errs, njson, more->e[i].field))
			report_errors_add(errs, more->e[i].field, "%s",
			    more->e[i].message);
	errs->dropped += more->dropped;
}

/*
 * A report the kept form of its year refuses, when the client can reach
 * gpd and has not asked it this run: the year's form is fetched again,
 * in case gpd serves a newer one (a new area, say). 1 when it differs
 * from the form the report was checked against, so the file is read and
 * checked again; 0 otherwise, and the errors stand.
 */
static int
submit_refetch(struct forms *fs, const char *path, const struct report *r)
{
	const struct form	*f, *nf;
	struct period		 p;
	char			 old[2 * FORM_SHA256_LEN + 1], *why = NULL;

	if (strcmp(path, "-") == 0 || fs->fetched || !forms_can_fetch(fs) ||
	    r->period == NULL)
		return 0;
	if (form_set_period(fs->set, r->period, &f, &p, &why) == -1) {
		free(why);
		return 0;
	}
	snprintf(old, sizeof(old), "%s", form_sha256_hex(f));
	if (forms_fetch_year(fs, form_year(f), &nf, NULL, &why) != 0) {
		free(why);
		return 0;
	}
	return strcmp(old, form_sha256_hex(nf)) != 0;
}

/*
 * Reads a report, gives it its content-derived id when it has none, and
 * runs every local check against the form of its period (no unit
 * registry here: the daemon has it); when online (submit), a report
 * refused by a kept form is checked again against the one gpd serves
 * now. Returns 0 with *out set,
 * or an exit status after printing every error (errs: room for them).
 */
static int
submit_check(const struct client *cl, struct forms *fs, const char *path,
    int online, struct report **out, struct report_errors *warnings,
    struct report_errors *errs)
{
	struct report_errors	*more;
	struct validate_context	 vc;
	struct report		*r = NULL;
	const char		*name;
	char			 cause[256], sentence[300];
	size_t			 njson;
	int			 saved, status, again = 0;

	*out = NULL;
	name = strcmp(path, "-") == 0 ? _(CLIENT_STDIN_NAME) : path;
read:
	memset(errs, 0, sizeof(*errs));
	memset(warnings, 0, sizeof(*warnings));

	/* A report with fields in error comes back too: the validator
	 * names everything else wrong with it in the same pass. */
	if (report_json_read_file_all(path, fs->set, &r, errs, cause,
	    sizeof(cause)) == -1 && r == NULL) {
		report_free(r);
		if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
			saved = errno;
			return client_fail(cl, EX_NOINPUT, _("cannot read %s: "
			    "%s; check the file name"), path, strerror(saved));
		}
		return client_fail(cl, EX_DATAERR, _("%s; correct the JSON and "
		    "try again"), cause[0] != '\0' ? cause :
		    _("cannot read the report"));
	}
	/* Standard input cannot be read twice: its form must be here. */
	if (strcmp(path, "-") != 0 &&
	    (status = submit_form(cl, fs, path, &r, errs, cause,
	    sizeof(cause))) != 0) {
		report_free(r);
		return status;
	}
	if (r != NULL) {
		/* NFC first: the same words typed with precomposed or
		 * decomposed marks are one report, with one derived id. A
		 * derived id makes running the same submit twice harmless;
		 * the checks then see the id that will be sent. */
		if (report_normalize(r) == -1 ||
		    (r->id == NULL && report_derive_id(r) == -1)) {
			report_free(r);
			return client_fail(cl, EX_OSERR, _("out of memory"));
		}
		memset(&vc, 0, sizeof(vc));
		vc.forms = fs->set;
		/* The day of submission in the federation's zone. */
		vc.today = zone_today();
		njson = errs->n;
		if ((more = calloc(1, sizeof(*more))) == NULL) {
			report_free(r);
			return client_fail(cl, EX_OSERR, _("out of memory"));
		}
		if (validate_report(r, &vc, NULL, more, warnings) == 0 &&
		    njson == 0 && errs->dropped == 0) {
			free(more);
			*out = r;
			return 0;
		}
		submit_merge(errs, njson, more);
		free(more);
		if (online && !again && submit_refetch(fs, path, r)) {
			again = 1;
			report_free(r);
			r = NULL;
			goto read;
		}
		report_free(r);
	}

	snprintf(sentence, sizeof(sentence), ngettext("%s is not a valid "
	    "report (%zu error); correct the fields listed and try again",
	    "%s is not a valid report (%zu errors); correct the fields listed "
	    "and try again", errs->n + errs->dropped), name,
	    errs->n + errs->dropped);
	output_invalid(cl->json, name, errs, sentence);
	return EX_DATAERR;
}

/* submit_check with its errors off the stack (report.h). */
static int
submit_load(const struct client *cl, struct forms *fs, const char *path,
    int online, struct report **out, struct report_errors *warnings)
{
	struct report_errors	*errs;
	int			 status;

	*out = NULL;
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return client_fail(cl, EX_OSERR, _("out of memory"));
	status = submit_check(cl, fs, path, online, out, warnings, errs);
	free(errs);
	return status;
}

static int
submit_exec(struct client *cl, const struct cmd_args *args)
{
	struct forms		 fs;
	struct report_errors	*warnings;
	struct report		*r = NULL;
	struct send_config	 sc;
	int			 status;

	/* Local warnings are not shown: the daemon's receipt repeats them. */
	if ((warnings = calloc(1, sizeof(*warnings))) == NULL)
		return client_fail(cl, EX_OSERR, _("out of memory"));
	if (forms_open(&fs, cl) == -1) {
		free(warnings);
		return client_fail(cl, EX_OSERR, _("out of memory"));
	}
	status = submit_load(cl, &fs, args->operands[0], 1, &r, warnings);
	forms_close(&fs);
	free(warnings);
	if (status != 0)
		return status;
	trace_mark("report checked");
	memset(&sc, 0, sizeof(sc));
	sc.conn = &cl->conn;
	sc.policy = &cl->policy;
	sc.outbox = cl->outbox;
	sc.outbox_error = cl->outbox_error;
	sc.json = cl->json;
	sc.tty = isatty(STDERR_FILENO);
	sc.no_queue = cmd_value(args, "no-queue") != NULL;
	if (cmd_value(args, "as-new") != NULL)
		status = send_report_as_new(&sc, r);
	else
		status = send_report(&sc, r);
	report_free(r);
	return status;
}

static int
submit_validate_exec(struct client *cl, const struct cmd_args *args)
{
	struct forms		 fs;
	struct report_errors	*warnings;
	struct report		*r;
	const char		*path = args->operands[0];
	int			 status;

	if ((warnings = calloc(1, sizeof(*warnings))) == NULL)
		return client_fail(cl, EX_OSERR, _("out of memory"));
	if (forms_open(&fs, cl) == -1) {
		free(warnings);
		return client_fail(cl, EX_OSERR, _("out of memory"));
	}
	if ((status = submit_load(cl, &fs, path, 0, &r, warnings)) == 0) {
		output_valid(cl->json, strcmp(path, "-") == 0 ?
		    _(CLIENT_STDIN_NAME) : path, r, warnings);
		report_free(r);
	}
	forms_close(&fs);
	free(warnings);
	return status;
}

static int
submit_template_exec(struct client *cl, const struct cmd_args *args)
{
	struct forms		 fs;
	struct period		 p;
	const struct form	*f;
	struct report		*r;
	const char		*unit, *period;
	char			*text, *cause = NULL;
	int			 status;

	unit = cmd_value(args, "unit");
	period = cmd_value(args, "period");
	if (validate_unit_code(unit) != 0)
		return client_fail(cl, EX_USAGE, _("bad unit code '%s': use "
		    "the unit's code, such as lc-tamduong (a-z, 0-9 and -)"),
		    unit);
	if (forms_open(&fs, cl) == -1)
		return client_fail(cl, EX_OSERR, _("out of memory"));
	if ((status = forms_period(&fs, period, &f, &p, &cause)) != 0) {
		if (status == EX_USAGE)
			status = client_fail(cl, EX_USAGE, _("bad period '%s': "
			    "%s; give 2022-H1 for the six-month report or 2022 "
			    "for the year"), period, cause);
		else
			output_failure(cl->json, status, cause);
		free(cause);
		forms_close(&fs);
		return status;
	}
	if ((r = report_template(unit, period, fs.set, &cause)) == NULL) {
		status = client_fail(cl, EX_OSERR, _("cannot make the "
		    "template: %s"), cause != NULL ? cause : "out of memory");
		free(cause);
		forms_close(&fs);
		return status;
	}
	text = report_json_write(r, f);
	report_free(r);
	forms_close(&fs);
	if (text == NULL)
		return client_fail(cl, EX_OSERR, _("out of memory"));
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
	"receipt, marked duplicate, and says which revision is the latest. "
	"With --as-new, a report the server holds as an older revision is "
	"stored again as the latest, under an id made from its content and "
	"the revision it supersedes: running the same command again does not "
	"store it twice."),
	"gp-client submit bao-cao-2022-H1.json",
	{
		{ "no-queue", 0, NULL, 0, N_("never keep the report in the "
		    "outbox: send it now or fail") },
		{ "as-new", 0, NULL, 0, N_("store an older report again as "
		    "the latest revision (sent now, never queued)") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_SETTINGS | CMD_JSON,
	submit_exec
};

const struct cmd_entry cmd_validate_entry = {
	"validate", N_("FILE|-"), 1, 1,
	N_("check a report locally; nothing is sent"),
	N_("Read the report FILE (- is standard input) and run every check the "
	"server will run against the form of its period, except those that "
	"need its unit registry. Prints every error and warning with the "
	"field it is about. Works offline: the 2022 form is built in, and "
	"the form of another year is fetched once from the server of the "
	"configuration, then kept."),
	"gp-client validate bao-cao-2022-H1.json",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_JSON | CMD_FORMS,
	submit_validate_exec
};

const struct cmd_entry cmd_template_entry = {
	"template", "", 0, 0,
	N_("print a report skeleton to fill in"),
	N_("Print a report for the unit and period from the form of the "
	"period: one example activity per area (and one of the media kind, "
	"with its output counts), every indicator, every narrative text and "
	"section, with the form's Vietnamese labels and hints as the text to "
	"replace with the unit's own. Until it is replaced, validate and the "
	"server refuse the report, naming each field still holding it: an "
	"unedited template is never a unit's report. Works offline once the "
	"form of the year is kept here (2022 is built in)."),
	"gp-client template --unit lc-tamduong --period 2022-H1 > "
	"bao-cao.json",
	{
		{ "unit", 'u', N_("UNIT"), 1, N_("the unit's code, such as "
		    "lc-tamduong") },
		{ "period", 'p', N_("PERIOD"), 1, N_("the period reported "
		    "on") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_JSON | CMD_PERIOD | CMD_FORMS,
	submit_template_exec
};
