/*
 * gp-client: sends a unit's activity report to gpd over mutual TLS, or
 * checks one locally. Global options come first, then a command from the
 * table; each command reads only what it needs (no configuration file and
 * no TLS for validate and template).
 *
 * Exit statuses are <sysexits.h>, and every failure says in one sentence
 * what to do about it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"
#include "wire.h"
#include "conn.h"
#include "output.h"
#include "outbox.h"
#include "deliver.h"
#include "queue.h"
#include "doctor.h"
#include "admin.h"
#include "proof.h"

#define CLIENT_STDIN_NAME	"standard input"
#define CLIENT_CONF_ENV		"GP_CLIENT_CONF"

/* The settings a configuration file may hold, owned. */
struct client_file {
	char		*server;
	char		*ca;
	char		*cert;
	char		*key;
	char		*outbox;
	int		 timeout;
	int		 retries;	/* -1: not set */
	char		 error[160];	/* the first problem, for the user */
};

struct client {
	const char		*config;	/* -c or $GP_CLIENT_CONF */
	int			 json;
	int			 csv;		/* admin tables as CSV */
	struct conn_config	 args;		/* from the command line */
	const char		*outbox_arg;	/* --outbox */
	int			 retries_arg;	/* --retries; -1: not given */
	struct client_file	 file;
	struct conn_config	 conn;		/* args over file */
	char			*outbox;	/* the outbox's path, owned */
	char			*outbox_error;	/* or why there is none */
	char			*config_error;	/* for doctor */
	struct deliver_policy	 policy;
};

/* What a command needs before it runs (client_cmd.network). */
#define CLIENT_CONNECT	1	/* the server and the TLS files: required */
#define CLIENT_SETTINGS	2	/* the configuration file, the outbox path */
#define CLIENT_DOCTOR	4	/* as CLIENT_SETTINGS, problems not fatal */
#define CLIENT_CA	8	/* the CA file only: required */

struct client_cmd {
	const char	*name;
	const char	*args;
	const char	*summary;
	int		(*exec)(struct client *, const struct client_cmd *,
			    int, char **);
	int		 network;	/* CLIENT_CONNECT etc. */
};

static int	client_submit(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_validate(struct client *, const struct client_cmd *,
		    int, char **);
static int	client_template(struct client *, const struct client_cmd *,
		    int, char **);
static int	client_help(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_flush(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_outbox(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_receipts(struct client *, const struct client_cmd *,
		    int, char **);
static int	client_verify_receipt(struct client *,
		    const struct client_cmd *, int, char **);
static int	client_doctor(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_admin(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_fail(const struct client *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static const struct client_cmd client_cmds[] = {
	{ "submit", "[--no-queue] FILE|-", "send a report; keep it in the "
	    "outbox when it cannot be delivered",
	    client_submit, CLIENT_CONNECT | CLIENT_SETTINGS },
	{ "flush", "[--json]", "send the reports waiting in the outbox",
	    client_flush, CLIENT_CONNECT | CLIENT_SETTINGS },
	{ "outbox", "[--drop ID | --retry ID]",
	    "list the reports waiting in the outbox", client_outbox,
	    CLIENT_SETTINGS },
	{ "receipts", "[--unit UNIT] [--period PERIOD] | --export RECEIPT "
	    "[-o FILE] [--report FILE]",
	    "list the receipts kept on this machine, or write one out",
	    client_receipts, CLIENT_SETTINGS },
	{ "verify-receipt", "RECEIPT.json [REPORT.json]",
	    "check a signed receipt, and the report it covers, offline",
	    client_verify_receipt, CLIENT_CA },
	{ "doctor", "[--json]", "check the set-up, the server and the outbox",
	    client_doctor, CLIENT_DOCTOR },
	{ "units", "[--csv]", "print the unit registry", client_admin,
	    CLIENT_CONNECT },
	{ "list", "[--period P] [--unit U] [--csv]",
	    "list the latest revision of each report", client_admin,
	    CLIENT_CONNECT },
	{ "show", "UNIT PERIOD [--revision N | --receipt FILE]",
	    "print one report in full, or check a receipt against it",
	    client_admin, CLIENT_CONNECT },
	{ "history", "UNIT PERIOD [--csv]",
	    "list every revision and what changed", client_admin,
	    CLIENT_CONNECT },
	{ "missing", "PERIOD [--csv]",
	    "who has reported for a period, on time or late", client_admin,
	    CLIENT_CONNECT },
	{ "summary", "PERIOD [--by KEY] [--csv]",
	    "totals by area, unit, occasion or kind", client_admin,
	    CLIENT_CONNECT },
	{ "export", "PERIOD --format FMT -o FILE",
	    "write the activity rows as csv, json or xlsx", client_admin,
	    CLIENT_CONNECT },
	{ "lock", "PERIOD", "refuse new revisions for a period",
	    client_admin, CLIENT_CONNECT },
	{ "unlock", "PERIOD", "accept revisions for a period again",
	    client_admin, CLIENT_CONNECT },
	{ "audit", "[--since DATE] [--unit U] [--csv]",
	    "who did what when: submissions, refusals, locks", client_admin,
	    CLIENT_CONNECT },
	{ "validate", "FILE|-", "check a report locally; nothing is sent",
	    client_validate, 0 },
	{ "template", "--unit UNIT --period PERIOD",
	    "print a valid report skeleton to fill in", client_template, 0 },
	{ "help", "[COMMAND]", "show the commands", client_help, 0 }
};
#define CLIENT_NCMDS	(sizeof(client_cmds) / sizeof(client_cmds[0]))

enum {
	OPT_CA = 256,
	OPT_CERT,
	OPT_KEY,
	OPT_JSON,
	OPT_CSV,
	OPT_OUTBOX,
	OPT_RETRIES,
	OPT_TIMEOUT
};

static const struct option client_options[] = {
	{ "ca",		required_argument,	NULL,	OPT_CA },
	{ "cert",	required_argument,	NULL,	OPT_CERT },
	{ "config",	required_argument,	NULL,	'c' },
	{ "csv",	no_argument,		NULL,	OPT_CSV },
	{ "help",	no_argument,		NULL,	'h' },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "key",	required_argument,	NULL,	OPT_KEY },
	{ "outbox",	required_argument,	NULL,	OPT_OUTBOX },
	{ "retries",	required_argument,	NULL,	OPT_RETRIES },
	{ "server",	required_argument,	NULL,	's' },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static int
client_fail(const struct client *cl, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*cause;

	va_start(ap, fmt);
	if (vasprintf(&cause, fmt, ap) == -1)
		cause = NULL;
	va_end(ap);
	output_failure(cl->json, status, cause);
	free(cause);
	return status;
}

static void
client_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: gp-client [-s HOST:PORT] [--ca FILE] [--cert FILE] "
	    "[--key FILE] [-c FILE]\n"
	    "                 [--json] [--timeout SECONDS] [--retries N] "
	    "[--outbox PATH]\n"
	    "                 COMMAND [ARG ...]\n"
	    "       gp-client --help | --version\n"
	    "commands:\n");
	for (i = 0; i < CLIENT_NCMDS; i++)
		fprintf(f, "  %-14s %-28s %s\n", client_cmds[i].name,
		    client_cmds[i].args, client_cmds[i].summary);
}

/* A usage mistake: one sentence that shows the right form. */
static int
client_misuse(const struct client *cl, const struct client_cmd *cmd,
    const char *what)
{
	return client_fail(cl, EX_USAGE, "%s; usage: gp-client %s %s", what,
	    cmd->name, cmd->args);
}

/* After getopt returned ch, '?' or ':', on a command's arguments. */
static int
client_badopt(const struct client *cl, const struct client_cmd *cmd,
    int ch, char **argv)
{
	char	what[64];

	if (ch != ':' && optopt != 0)
		snprintf(what, sizeof(what), "-%c", optopt);
	else
		snprintf(what, sizeof(what), "%s", argv[optind - 1]);
	return client_fail(cl, EX_USAGE, "%s '%s'; usage: gp-client %s %s",
	    ch == ':' ? "no value for" : "unknown option", what, cmd->name,
	    cmd->args);
}

/* A number from text, in [min, max]. */
static int
client_number(const char *s, long min, long max, int *out)
{
	long	 n;
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* Seconds from text, in [1, CONN_TIMEOUT_MAX]. */
static int
client_timeout(const char *s, int *out)
{
	return client_number(s, 1, CONN_TIMEOUT_MAX, out);
}

static int
client_retries(const char *s, int *out)
{
	return client_number(s, 0, DELIVER_RETRIES_MAX, out);
}

static int
client_config_set(char **field, const char *value)
{
	char	*copy;

	if ((copy = strdup(value)) == NULL)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

/* inih calls this for each key; returning 0 marks the line as bad. */
static int
client_config_key(void *arg, const char *section, const char *name,
    const char *value)
{
	struct client_file	*f = arg;
	char			**field = NULL;

	if (strcmp(section, "client") != 0) {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "unknown section "
			    "[%s]: the settings go in [client]", section);
		return 0;
	}
	if (strcmp(name, "server") == 0)
		field = &f->server;
	else if (strcmp(name, "ca") == 0)
		field = &f->ca;
	else if (strcmp(name, "cert") == 0)
		field = &f->cert;
	else if (strcmp(name, "key") == 0)
		field = &f->key;
	else if (strcmp(name, "outbox") == 0)
		field = &f->outbox;
	else if (strcmp(name, "retries") == 0) {
		if (client_retries(value, &f->retries) == 0)
			return 1;
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "bad retries "
			    "'%s': give a number from 0 to %d", value,
			    DELIVER_RETRIES_MAX);
		return 0;
	} else if (strcmp(name, "timeout") == 0) {
		if (client_timeout(value, &f->timeout) == 0)
			return 1;
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "bad timeout "
			    "'%s': give seconds from 1 to %d", value,
			    CONN_TIMEOUT_MAX);
		return 0;
	} else {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "unknown key "
			    "'%s': use server, ca, cert, key, timeout, retries "
			    "or outbox", name);
		return 0;
	}
	if (value[0] == '\0') {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "'%s' is empty",
			    name);
		return 0;
	}
	if (client_config_set(field, value) == -1) {
		if (f->error[0] == '\0')
			snprintf(f->error, sizeof(f->error), "out of memory");
		return 0;
	}
	return 1;
}

static void
client_config_free(struct client_file *f)
{
	free(f->server);
	free(f->ca);
	free(f->cert);
	free(f->key);
	free(f->outbox);
	memset(f, 0, sizeof(*f));
}

static void
client_free(struct client *cl)
{
	client_config_free(&cl->file);
	free(cl->outbox);
	free(cl->outbox_error);
	free(cl->config_error);
}

/* Reads the configuration file. Returns 0, or EX_CONFIG with *cause. */
static int
client_read_config(struct client *cl, char **cause)
{
	struct client_file	*f = &cl->file;
	int			 line, n = 0;

	*cause = NULL;
	f->retries = -1;
	if (cl->config == NULL)
		return 0;
	if ((line = ini_parse(cl->config, client_config_key, f)) == -1)
		n = asprintf(cause, "cannot read the configuration file %s: "
		    "%s; check -c or $%s", cl->config, strerror(errno),
		    CLIENT_CONF_ENV);
	else if (line == -2)
		n = asprintf(cause, "out of memory");
	else if (line != 0)
		n = asprintf(cause, "%s:%d: %s; correct the configuration file",
		    cl->config, line, f->error[0] != '\0' ? f->error :
		    "syntax error");
	else
		return 0;
	if (n == -1)
		*cause = NULL;
	return EX_CONFIG;
}

/* The outbox's path: --outbox, 'outbox' in the file, or the default. */
static void
client_outbox_path(struct client *cl)
{
	const char	*path;
	char		*cause = NULL;

	path = cl->outbox_arg != NULL ? cl->outbox_arg : cl->file.outbox;
	if (path != NULL)
		cl->outbox = strdup(path);
	else
		cl->outbox = outbox_default_path(&cause);
	if (cl->outbox == NULL)
		cl->outbox_error = cause != NULL ? cause :
		    strdup("out of memory");
	else
		free(cause);
}

/*
 * Reads the configuration file when there is one, then lets the command
 * line override it. Returns 0, or an exit status after saying why
 * (doctor: after noting why, for its first line).
 */
static int
client_settings(struct client *cl, int needs)
{
	char	*cause = NULL;
	int	 status;

	if ((status = client_read_config(cl, &cause)) != 0) {
		if (needs & CLIENT_DOCTOR) {
			cl->config_error = cause;
			cause = NULL;
		} else {
			output_failure(cl->json, status, cause);
			free(cause);
			return status;
		}
	}

	cl->conn = cl->args;
	if (cl->conn.server == NULL)
		cl->conn.server = cl->file.server;
	if (cl->conn.ca == NULL)
		cl->conn.ca = cl->file.ca;
	if (cl->conn.cert == NULL)
		cl->conn.cert = cl->file.cert;
	if (cl->conn.key == NULL)
		cl->conn.key = cl->file.key;
	if (cl->conn.timeout == 0)
		cl->conn.timeout = cl->file.timeout;
	if (cl->conn.timeout == 0)
		cl->conn.timeout = CONN_TIMEOUT_DEFAULT;
	deliver_policy_default(&cl->policy);
	if (cl->retries_arg >= 0)
		cl->policy.retries = cl->retries_arg;
	else if (cl->file.retries >= 0)
		cl->policy.retries = cl->file.retries;
	if (needs & (CLIENT_SETTINGS | CLIENT_DOCTOR))
		client_outbox_path(cl);
	if ((needs & CLIENT_CA) && cl->conn.ca == NULL)
		return client_fail(cl, EX_CONFIG, "no CA certificate given: "
		    "use --ca FILE or 'ca' in the configuration file");
	if (!(needs & CLIENT_CONNECT))
		return 0;

	if (cl->conn.server == NULL)
		return client_fail(cl, EX_CONFIG, "no server given: use -s "
		    "HOST:PORT or 'server' in the configuration file");
	if (cl->conn.ca == NULL)
		return client_fail(cl, EX_CONFIG, "no CA certificate given: "
		    "use --ca FILE or 'ca' in the configuration file");
	if (cl->conn.cert == NULL)
		return client_fail(cl, EX_CONFIG, "no certificate given: use "
		    "--cert FILE or 'cert' in the configuration file");
	if (cl->conn.key == NULL)
		return client_fail(cl, EX_CONFIG, "no private key given: use "
		    "--key FILE or 'key' in the configuration file");
	return 0;
}

/* The one operand of submit and validate, after an optional "--". */
static int
client_operand(const struct client *cl, const struct client_cmd *cmd,
    int argc, char **argv, const char **operand)
{
	int	ch;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	if ((ch = getopt(argc, argv, "+:")) != -1)
		return client_badopt(cl, cmd, ch, argv);
	if (argc - optind != 1)
		return client_misuse(cl, cmd, argc - optind == 0 ?
		    "no report given" : "one report at a time");
	*operand = argv[optind];
	return 0;
}

/*
 * Reads a report, gives it its content-derived id when it has none, and
 * runs every local check (no unit registry here: the daemon has it).
 * Returns 0 with *out set, or an exit status after printing every error.
 */
static int
client_load(const struct client *cl, const char *path, struct report **out,
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
	name = strcmp(path, "-") == 0 ? CLIENT_STDIN_NAME : path;

	if (report_json_read_file(path, &r, &errs, cause,
	    sizeof(cause)) == -1) {
		report_free(r);
		if (errs.n == 0 && errs.dropped == 0) {
			if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
				saved = errno;
				return client_fail(cl, EX_NOINPUT, "cannot read "
				    "%s: %s; check the file name", path,
				    strerror(saved));
			}
			return client_fail(cl, EX_DATAERR, "%s; correct the "
			    "JSON and try again", cause[0] != '\0' ? cause :
			    "cannot read the report");
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

	snprintf(sentence, sizeof(sentence), "%s is not a valid report (%zu "
	    "%s); correct the fields listed and try again", name,
	    errs.n + errs.dropped, errs.n + errs.dropped == 1 ? "error" :
	    "errors");
	output_invalid(cl->json, name, &errs, sentence);
	return EX_DATAERR;
}

/* The queue settings every command that sends shares. */
static void
client_queue(struct client *cl, struct queue *q, struct conn *conn,
    struct outbox *ob)
{
	memset(q, 0, sizeof(*q));
	q->ob = ob;
	q->conn = conn;
	q->policy = &cl->policy;
	q->json = cl->json;
	q->tty = isatty(STDERR_FILENO);
	q->self = getpid();
	q->lease = queue_lease(&cl->policy, cl->conn.timeout);
}

static int
client_submit(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	static const struct option	 opts[] = {
		{ "no-queue",	no_argument,	NULL,	'n' },
		{ NULL,		0,		NULL,	0 }
	};
	struct report_errors		 warnings;
	struct report			*r = NULL;
	struct conn			*conn = NULL;
	struct outbox			*ob = NULL;
	struct queue			 q;
	char				*cause = NULL, *problem = NULL;
	int				 ch, status, no_queue = 0;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (ch != 'n')
			return client_badopt(cl, cmd, ch, argv);
		no_queue = 1;
	}
	if (argc - optind != 1)
		return client_misuse(cl, cmd, argc - optind == 0 ?
		    "no report given" : "one report at a time");
	/* Local warnings are not shown: the daemon's receipt repeats them. */
	if ((status = client_load(cl, argv[optind], &r, &warnings)) != 0)
		return status;

	/* The files first: a configuration error queues nothing. */
	if ((conn = conn_new(&cl->conn, &cause)) == NULL) {
		status = EX_CONFIG;
		output_failure(cl->json, status, cause);
		goto done;
	}
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

/* Opens the outbox, which need not exist yet (*ob NULL then). Returns 0,
 * or an exit status after saying why. */
static int
client_outbox_open(struct client *cl, int create, struct outbox **ob)
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

/* Commands without operands or options of their own but --json, which
 * may also follow the command. */
static int
client_no_args(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	static const struct option	 opts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ NULL,		0,		NULL,	0 }
	};
	int				 ch;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (ch != 'j')
			return client_badopt(cl, cmd, ch, argv);
		cl->json = 1;
	}
	if (optind != argc)
		return client_misuse(cl, cmd, "unexpected argument");
	return 0;
}

static int
client_flush(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	struct outbox	*ob = NULL;
	struct conn	*conn = NULL;
	struct queue	 q;
	char		*cause = NULL;
	int		 status;

	if ((status = client_no_args(cl, cmd, argc, argv)) != 0)
		return status;
	if ((status = client_outbox_open(cl, 0, &ob)) != 0)
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
client_outbox(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	static const struct option	 opts[] = {
		{ "drop",	required_argument,	NULL,	'd' },
		{ "json",	no_argument,		NULL,	'j' },
		{ "retry",	required_argument,	NULL,	'r' },
		{ NULL,		0,			NULL,	0 }
	};
	struct outbox			*ob = NULL;
	struct outbox_entry		**v = NULL, *e = NULL;
	const char			*drop = NULL, *retry = NULL, *id;
	char				*cause = NULL;
	size_t				 n = 0;
	int				 ch, status, rv;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			drop = optarg;
			break;
		case 'j':
			cl->json = 1;
			break;
		case 'r':
			retry = optarg;
			break;
		default:
			return client_badopt(cl, cmd, ch, argv);
		}
	}
	if (optind != argc)
		return client_misuse(cl, cmd, "unexpected argument");
	if (drop != NULL && retry != NULL)
		return client_misuse(cl, cmd, "one of --drop and --retry");
	if ((status = client_outbox_open(cl, 0, &ob)) != 0)
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
		status = client_fail(cl, EX_USAGE, "no report %s in the outbox; "
		    "run 'gp-client outbox' for the list", id);
		goto done;
	}
	rv = drop != NULL ? outbox_drop(ob, id, time(NULL), &cause) :
	    outbox_retry(ob, id, &cause);
	if (rv == -1) {
		status = EX_IOERR;
		output_failure(cl->json, status, cause);
	} else if (rv == 2)
		status = client_fail(cl, EX_TEMPFAIL, "another gp-client "
		    "process is sending %s right now; try again when it is "
		    "done", id);
	else if (rv == 1 && drop != NULL)
		status = client_fail(cl, EX_USAGE, "no report %s in the "
		    "outbox; run 'gp-client outbox' for the list", id);
	else if (rv == 1)
		status = client_fail(cl, EX_USAGE, "report %s is %s, not "
		    "refused: 'gp-client flush' sends it", id,
		    outbox_state_name(e->state));
	else
		output_outbox_changed(cl->json, drop != NULL, e);

done:
	free(cause);
	outbox_entry_free(e);
	outbox_entries_free(v, n);
	outbox_close(ob);
	return status;
}

/* Writes what write_fn makes of arg to path ("-": standard output):
 * path.tmp first, renamed once complete. Returns 0, or an exit status
 * after saying why. */
static int
client_write_file(struct client *cl, const char *path, const char *what,
    int (*write_fn)(FILE *, const void *), const void *arg)
{
	FILE	*f;
	char	*tmp;
	int	 saved, rv;

	if (strcmp(path, "-") == 0) {
		if (write_fn(stdout, arg) == -1)
			return client_fail(cl, EX_IOERR, "cannot write the %s: "
			    "%s", what, strerror(errno));
		return 0;
	}
	if (asprintf(&tmp, "%s.tmp", path) == -1)
		return client_fail(cl, EX_OSERR, "out of memory");
	if ((f = fopen(tmp, "w")) == NULL) {
		saved = errno;
		free(tmp);
		return client_fail(cl, EX_CANTCREAT, "cannot create %s.tmp: "
		    "%s; check -o", path, strerror(saved));
	}
	rv = write_fn(f, arg);
	saved = errno;
	if (fclose(f) == EOF && rv == 0) {
		rv = -1;
		saved = errno;
	}
	if (rv == 0 && rename(tmp, path) == -1) {
		rv = -1;
		saved = errno;
	}
	if (rv == -1) {
		unlink(tmp);
		free(tmp);
		return client_fail(cl, EX_IOERR, "cannot write the %s to %s: "
		    "%s", what, path, strerror(saved));
	}
	free(tmp);
	return 0;
}

static int
client_write_receipt(FILE *f, const void *arg)
{
	return output_receipt_export(f, arg);
}

static int
client_write_report(FILE *f, const void *arg)
{
	return fputs(arg, f) == EOF ? -1 : 0;
}

/* The report bytes kept with a receipt, as the JSON submit reads; NULL
 * when they are not a report. */
static char *
client_kept_report(const struct outbox_receipt *kept)
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	const char		*errstr;
	char			*text = NULL;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return NULL;
	if (report_unpack(kept->report, kept->len, &r, errs, &errstr) == 0)
		text = report_json_write(r);
	report_free(r);
	free(errs);
	return text;
}

/* receipts --export: the receipt file of one kept receipt, and with
 * report_path the report it covers beside it. */
static int
client_receipt_export(struct client *cl, struct outbox *ob, const char *id,
    const char *path, const char *report_path)
{
	struct outbox_receipt	*kept = NULL;
	char			*cause = NULL, *text = NULL;
	int			 status;

	if (ob != NULL && outbox_receipt_get(ob, id, &kept, &cause) == -1) {
		output_failure(cl->json, EX_IOERR, cause);
		free(cause);
		return EX_IOERR;
	}
	if (kept == NULL)
		return client_fail(cl, EX_USAGE, "no receipt %s is kept here; "
		    "run 'gp-client receipts' for the list", id);
	if (kept->signature == NULL) {
		status = client_fail(cl, EX_DATAERR, "receipt %s was not "
		    "signed by the server, so it proves nothing: ask the "
		    "provincial federation to check with 'gp-client show'",
		    kept->receipt);
		goto done;
	}
	if (report_path != NULL && (text = client_kept_report(kept)) == NULL) {
		status = client_fail(cl, EX_DATAERR, "the report kept with "
		    "receipt %s cannot be read back", kept->receipt);
		goto done;
	}
	if ((status = client_write_file(cl, path, "receipt",
	    client_write_receipt, kept)) != 0)
		goto done;
	if (report_path != NULL && (status = client_write_file(cl,
	    report_path, "report", client_write_report, text)) != 0)
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
client_receipts(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	static const struct option	 opts[] = {
		{ "export",	required_argument,	NULL,	'e' },
		{ "json",	no_argument,		NULL,	'j' },
		{ "output",	required_argument,	NULL,	'o' },
		{ "period",	required_argument,	NULL,	'p' },
		{ "report",	required_argument,	NULL,	'r' },
		{ "unit",	required_argument,	NULL,	'u' },
		{ NULL,		0,			NULL,	0 }
	};
	struct outbox			*ob = NULL;
	struct outbox_receipt		**v = NULL;
	const char			*unit = NULL, *period = NULL;
	const char			*export = NULL, *path = NULL;
	const char			*report_path = NULL;
	char				*cause = NULL;
	size_t				 n = 0;
	int				 ch, status;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:o:p:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			export = optarg;
			break;
		case 'j':
			cl->json = 1;
			break;
		case 'o':
			path = optarg;
			break;
		case 'p':
			period = optarg;
			break;
		case 'r':
			report_path = optarg;
			break;
		case 'u':
			unit = optarg;
			break;
		default:
			return client_badopt(cl, cmd, ch, argv);
		}
	}
	if (optind != argc)
		return client_misuse(cl, cmd, "unexpected argument");
	if (export != NULL && (unit != NULL || period != NULL))
		return client_misuse(cl, cmd, "--export takes no --unit or "
		    "--period");
	if (export == NULL && (path != NULL || report_path != NULL))
		return client_misuse(cl, cmd, "-o and --report go with "
		    "--export");
	if (path != NULL && report_path != NULL &&
	    strcmp(path, report_path) == 0)
		return client_misuse(cl, cmd, "the receipt and the report "
		    "need two files");
	if ((status = client_outbox_open(cl, 0, &ob)) != 0)
		return status;
	if (export != NULL) {
		status = client_receipt_export(cl, ob, export,
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
client_report_of(const char *path, struct report **out, char **cause)
{
	struct report_errors	*errs;
	char			 text[256];
	int			 saved, status = EX_DATAERR, n;

	*cause = NULL;
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return EX_OSERR;
	text[0] = '\0';
	if (report_json_read_file(path, out, errs, text, sizeof(text)) == 0) {
		free(errs);
		return 0;
	}
	report_free(*out);
	*out = NULL;
	if (errs->n > 0)
		n = asprintf(cause, "%s cannot be read as a report: %s: %s%s",
		    path, errs->e[0].field, errs->e[0].message,
		    errs->n + errs->dropped > 1 ? " (and more)" : "");
	else if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
		saved = errno;
		n = asprintf(cause, "cannot read %s: %s; check the file name",
		    path, strerror(saved));
		status = EX_NOINPUT;
	} else
		n = asprintf(cause, "%s cannot be read as a report: %s", path,
		    text[0] != '\0' ? text : "not JSON");
	if (n == -1)
		*cause = NULL;
	free(errs);
	return status;
}

static int
client_verify_receipt(struct client *cl, const struct client_cmd *cmd,
    int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ NULL,		0,		NULL,	0 }
	};
	struct proof_out		 po;
	struct proof			*p = NULL;
	struct report			*r = NULL;
	const char			*report_path = NULL;
	char				*cause = NULL, *verdict = NULL;
	int				 ch, status;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (ch != 'j')
			return client_badopt(cl, cmd, ch, argv);
		cl->json = 1;
	}
	if (argc - optind < 1)
		return client_misuse(cl, cmd, "no receipt given");
	if (argc - optind > 2)
		return client_misuse(cl, cmd, "one receipt and one report at "
		    "most");
	if (argc - optind == 2) {
		report_path = argv[optind + 1];
		if (strcmp(report_path, "-") == 0 &&
		    strcmp(argv[optind], "-") == 0)
			return client_misuse(cl, cmd, "the receipt and the "
			    "report cannot both be standard input");
	}

	proof_out_init(&po, cl->json);
	if ((status = proof_read(argv[optind], &p, &cause)) != 0 ||
	    (status = proof_verify(&po, p, cl->conn.ca, &cause)) != 0)
		goto done;
	if (report_path != NULL) {
		if ((status = client_report_of(report_path, &r, &cause)) != 0) {
			proof_say(&po, "report", 0, "cannot be read");
			goto done;
		}
		if ((status = proof_check_report(&po, p, r, report_path,
		    &cause)) != 0)
			goto done;
	}
	if (asprintf(&verdict, "%s %s revision %u received %s, receipt %s%s",
	    p->unit, p->period, p->revision, p->received_at, p->receipt,
	    report_path != NULL ? ", with this report" : "") == -1) {
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

static int
client_doctor(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	struct doctor_input	in;
	int			status;

	if ((status = client_no_args(cl, cmd, argc, argv)) != 0)
		return status;
	memset(&in, 0, sizeof(in));
	in.config = cl->config;
	in.config_error = cl->config_error;
	in.conn = cl->conn;
	in.outbox = cl->outbox;
	in.outbox_error = cl->outbox_error;
	return doctor_run(&in, cl->json);
}

static int
client_validate(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	struct report_errors	 warnings;
	struct report		*r;
	const char		*path = NULL;
	int			 status;

	if ((status = client_operand(cl, cmd, argc, argv, &path)) != 0)
		return status;
	if ((status = client_load(cl, path, &r, &warnings)) != 0)
		return status;
	output_valid(cl->json, strcmp(path, "-") == 0 ? CLIENT_STDIN_NAME :
	    path, r, &warnings);
	report_free(r);
	return EX_OK;
}

static int
client_template(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	static const struct option	 opts[] = {
		{ "period",	required_argument,	NULL,	'p' },
		{ "unit",	required_argument,	NULL,	'u' },
		{ NULL,		0,			NULL,	0 }
	};
	struct period_rules		 rules;
	struct period			 p;
	struct report			*r;
	const char			*unit = NULL, *period = NULL;
	const char			*errstr;
	char				*text;
	int				 ch;

	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:p:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			period = optarg;
			break;
		case 'u':
			unit = optarg;
			break;
		default:
			return client_badopt(cl, cmd, ch, argv);
		}
	}
	if (optind != argc)
		return client_misuse(cl, cmd, "unexpected argument");
	if (unit == NULL || period == NULL)
		return client_misuse(cl, cmd, "both --unit and --period are "
		    "needed");
	if (validate_unit_code(unit) != 0)
		return client_fail(cl, EX_USAGE, "bad unit code '%s': use the "
		    "unit's code, such as lc-tamduong (a-z, 0-9 and -)", unit);
	period_rules_default(&rules);
	if (period_parse(period, &rules, &p, &errstr) == -1)
		return client_fail(cl, EX_USAGE, "bad period '%s': %s", period,
		    errstr);

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

static int
client_help(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	size_t	i;

	if (argc > 2)
		return client_misuse(cl, cmd, "one command at a time");
	if (argc == 2) {
		for (i = 0; i < CLIENT_NCMDS; i++) {
			if (strcmp(argv[1], client_cmds[i].name) == 0) {
				printf("usage: gp-client %s %s\n  %s\n",
				    client_cmds[i].name, client_cmds[i].args,
				    client_cmds[i].summary);
				return EX_OK;
			}
		}
		return client_fail(cl, EX_USAGE, "unknown command '%s'; run "
		    "'gp-client help' for the list", argv[1]);
	}
	client_usage(stdout);
	return EX_OK;
}

/* The administration commands live in admin.c. */
static int
client_admin(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	return admin_run(&cl->conn, cl->json, cl->csv, cmd->args, argc,
	    argv);
}

int
main(int argc, char **argv)
{
	struct client		 cl;
	const struct client_cmd	*cmd = NULL;
	const char		*env;
	size_t			 i;
	int			 ch, status;

	memset(&cl, 0, sizeof(cl));
	cl.retries_arg = -1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:hs:V", client_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			cl.config = optarg;
			break;
		case 'h':
			client_usage(stdout);
			return EX_OK;
		case 's':
			cl.args.server = optarg;
			break;
		case 'V':
			printf("gp-client %s\n", GP_VERSION);
			return EX_OK;
		case OPT_CA:
			cl.args.ca = optarg;
			break;
		case OPT_CERT:
			cl.args.cert = optarg;
			break;
		case OPT_JSON:
			cl.json = 1;
			break;
		case OPT_CSV:
			cl.csv = 1;
			break;
		case OPT_KEY:
			cl.args.key = optarg;
			break;
		case OPT_OUTBOX:
			if (optarg[0] == '\0')
				return client_fail(&cl, EX_USAGE, "--outbox "
				    "needs a path");
			cl.outbox_arg = optarg;
			break;
		case OPT_RETRIES:
			if (client_retries(optarg, &cl.retries_arg) == -1)
				return client_fail(&cl, EX_USAGE, "bad retries "
				    "'%s': give a number from 0 to %d", optarg,
				    DELIVER_RETRIES_MAX);
			break;
		case OPT_TIMEOUT:
			if (client_timeout(optarg, &cl.args.timeout) == -1)
				return client_fail(&cl, EX_USAGE, "bad timeout "
				    "'%s': give seconds from 1 to %d", optarg,
				    CONN_TIMEOUT_MAX);
			break;
		case ':':
			return client_fail(&cl, EX_USAGE, "%s needs a value; "
			    "run 'gp-client --help'", argv[optind - 1]);
		default:
			if (optopt != 0)
				return client_fail(&cl, EX_USAGE, "unknown "
				    "option '-%c'; run 'gp-client --help'",
				    optopt);
			return client_fail(&cl, EX_USAGE, "unknown option "
			    "'%s'; run 'gp-client --help'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return client_fail(&cl, EX_USAGE, "no command given; run "
		    "'gp-client help' for the list");
	for (i = 0; i < CLIENT_NCMDS; i++)
		if (strcmp(argv[0], client_cmds[i].name) == 0)
			cmd = &client_cmds[i];
	if (cmd == NULL)
		return client_fail(&cl, EX_USAGE, "unknown command '%s'; run "
		    "'gp-client help' for the list", argv[0]);
	if (cl.csv && cmd->exec != client_admin)
		return client_fail(&cl, EX_USAGE, "%s does not print a table: "
		    "--csv is for units, list, history, missing, summary and "
		    "audit", cmd->name);

	if (cmd->network) {
		/* A closed connection is an error to report, not a signal. */
		signal(SIGPIPE, SIG_IGN);
		if (cl.config == NULL && (env = getenv(CLIENT_CONF_ENV)) != NULL &&
		    env[0] != '\0')
			cl.config = env;
		if ((status = client_settings(&cl, cmd->network)) != 0) {
			client_free(&cl);
			return status;
		}
	}
	status = cmd->exec(&cl, cmd, argc, argv);
	client_free(&cl);

	if (fflush(stdout) == EOF && status == EX_OK)
		return client_fail(&cl, EX_IOERR, "cannot write the output: "
		    "%s", strerror(errno));
	return status;
}
