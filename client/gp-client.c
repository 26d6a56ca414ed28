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

#define CLIENT_REQUEST_ID	1
#define CLIENT_STDIN_NAME	"standard input"
#define CLIENT_CONF_ENV		"GP_CLIENT_CONF"

/* The settings a configuration file may hold, owned. */
struct client_file {
	char		*server;
	char		*ca;
	char		*cert;
	char		*key;
	int		 timeout;
	char		 error[160];	/* the first problem, for the user */
};

struct client {
	const char		*config;	/* -c or $GP_CLIENT_CONF */
	int			 json;
	struct conn_config	 args;		/* from the command line */
	struct client_file	 file;
	struct conn_config	 conn;		/* args over file */
};

struct client_cmd {
	const char	*name;
	const char	*args;
	const char	*summary;
	int		(*exec)(struct client *, const struct client_cmd *,
			    int, char **);
	int		 network;
};

static int	client_submit(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_validate(struct client *, const struct client_cmd *,
		    int, char **);
static int	client_template(struct client *, const struct client_cmd *,
		    int, char **);
static int	client_help(struct client *, const struct client_cmd *, int,
		    char **);
static int	client_fail(const struct client *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static const struct client_cmd client_cmds[] = {
	{ "submit", "FILE|-", "send a report and print its receipt",
	    client_submit, 1 },
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
	OPT_TIMEOUT
};

static const struct option client_options[] = {
	{ "ca",		required_argument,	NULL,	OPT_CA },
	{ "cert",	required_argument,	NULL,	OPT_CERT },
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "key",	required_argument,	NULL,	OPT_KEY },
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
	    "                 [--json] [--timeout SECONDS] COMMAND [ARG ...]\n"
	    "       gp-client --help | --version\n"
	    "commands:\n");
	for (i = 0; i < CLIENT_NCMDS; i++)
		fprintf(f, "  %-9s %-28s %s\n", client_cmds[i].name,
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

/* Seconds from text, in [1, CONN_TIMEOUT_MAX]. */
static int
client_timeout(const char *s, int *out)
{
	long	 n;
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > CONN_TIMEOUT_MAX)
		return -1;
	*out = (int)n;
	return 0;
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
	else if (strcmp(name, "timeout") == 0) {
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
			    "'%s': use server, ca, cert, key or timeout", name);
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
	memset(f, 0, sizeof(*f));
}

/*
 * Reads the configuration file when there is one, then lets the command
 * line override it. Returns 0, or an exit status after saying why.
 */
static int
client_settings(struct client *cl)
{
	struct client_file	*f = &cl->file;
	int			 line;

	if (cl->config != NULL) {
		if ((line = ini_parse(cl->config, client_config_key, f)) == -1)
			return client_fail(cl, EX_CONFIG, "cannot read the "
			    "configuration file %s: %s; check -c or $%s",
			    cl->config, strerror(errno), CLIENT_CONF_ENV);
		if (line == -2)
			return client_fail(cl, EX_CONFIG, "out of memory");
		if (line != 0)
			return client_fail(cl, EX_CONFIG, "%s:%d: %s; correct "
			    "the configuration file", cl->config, line,
			    f->error[0] != '\0' ? f->error : "syntax error");
	}

	cl->conn = cl->args;
	if (cl->conn.server == NULL)
		cl->conn.server = f->server;
	if (cl->conn.ca == NULL)
		cl->conn.ca = f->ca;
	if (cl->conn.cert == NULL)
		cl->conn.cert = f->cert;
	if (cl->conn.key == NULL)
		cl->conn.key = f->key;
	if (cl->conn.timeout == 0)
		cl->conn.timeout = f->timeout;
	if (cl->conn.timeout == 0)
		cl->conn.timeout = CONN_TIMEOUT_DEFAULT;

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
		/* A derived id makes running the same submit twice harmless;
		 * the checks then see the id that will be sent. */
		if (r->id == NULL && report_derive_id(r) == -1) {
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

static int
client_submit(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	struct report_errors	 warnings;
	struct report		*r = NULL;
	struct conn		*conn = NULL;
	Gp__Request		 req = GP__REQUEST__INIT;
	Gp__SubmitRequest	 submit = GP__SUBMIT_REQUEST__INIT;
	Gp__Response		*resp = NULL;
	const char		*path;
	char			*cause = NULL;
	int			 status;

	if ((status = client_operand(cl, cmd, argc, argv, &path)) != 0)
		return status;
	/* Local warnings are not shown: the daemon's receipt repeats them. */
	if ((status = client_load(cl, path, &r, &warnings)) != 0)
		return status;

	if ((conn = conn_new(&cl->conn, &cause)) == NULL) {
		status = EX_CONFIG;
		output_failure(cl->json, status, cause);
		goto done;
	}
	if (conn_connect(conn, &cause) == -1) {
		status = conn_status(conn);
		output_failure(cl->json, status, cause);
		goto done;
	}
	if ((submit.report = wire_report_new(r)) == NULL) {
		status = client_fail(cl, EX_OSERR, "out of memory");
		goto done;
	}
	req.has_id = 1;
	req.id = CLIENT_REQUEST_ID;
	req.body_case = GP__REQUEST__BODY_SUBMIT;
	req.submit = &submit;
	if (conn_request(conn, &req, &resp, &cause) == -1) {
		status = conn_status(conn);
		output_failure(cl->json, status, cause);
		goto done;
	}
	status = output_submit(cl->json, resp, r->id);

done:
	if (resp != NULL)
		gp__response__free_unpacked(resp, NULL);
	wire_report_free(submit.report);
	free(cause);
	conn_free(conn);
	report_free(r);
	return status;
}

static int
client_validate(struct client *cl, const struct client_cmd *cmd, int argc,
    char **argv)
{
	struct report_errors	 warnings;
	struct report		*r;
	const char		*path;
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

int
main(int argc, char **argv)
{
	struct client		 cl;
	const struct client_cmd	*cmd = NULL;
	const char		*env;
	size_t			 i;
	int			 ch, status;

	memset(&cl, 0, sizeof(cl));
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
		case OPT_KEY:
			cl.args.key = optarg;
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

	if (cmd->network) {
		/* A closed connection is an error to report, not a signal. */
		signal(SIGPIPE, SIG_IGN);
		if (cl.config == NULL && (env = getenv(CLIENT_CONF_ENV)) != NULL &&
		    env[0] != '\0')
			cl.config = env;
		if ((status = client_settings(&cl)) != 0) {
			client_config_free(&cl.file);
			return status;
		}
	}
	status = cmd->exec(&cl, cmd, argc, argv);
	client_config_free(&cl.file);

	if (fflush(stdout) == EOF && status == EX_OK)
		return client_fail(&cl, EX_IOERR, "cannot write the output: "
		    "%s", strerror(errno));
	return status;
}
