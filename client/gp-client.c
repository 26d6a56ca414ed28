/*
 * gp-client: sends a unit's activity report to gpd over mutual TLS, or
 * checks one locally. Global options come first, then a command from the
 * table (client.h); each command reads only what its entry says it needs
 * (no configuration file and no TLS for validate, template and --help).
 *
 * Exit statuses are <sysexits.h>, and every failure says in one sentence
 * what to do about it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <ini.h>

#include "cause.h"
#include "client.h"
#include "output.h"
#include "trace.h"
#include "tz.h"
#include "zone.h"

static int	client_help_exec(struct client *, const struct cmd_args *);

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND]", 0, 1,
	"show the commands, or everything about one",
	"Without COMMAND, list the commands and the global options. With "
	"COMMAND, print\nits full usage, as 'gp-client COMMAND --help' does.",
	"gp-client help submit",
	{ { NULL, 0, NULL, 0, NULL } },
	0,
	client_help_exec
};

/* The commands, in the order the list shows them: a unit's first. */
static const struct cmd_entry *const client_cmds[] = {
	&cmd_submit_entry,
	&cmd_flush_entry,
	&cmd_outbox_entry,
	&cmd_receipts_entry,
	&cmd_verify_receipt_entry,
	&cmd_doctor_entry,
	&cmd_validate_entry,
	&cmd_template_entry,
	&cmd_form_entry,
	&cmd_units_entry,
	&cmd_list_entry,
	&cmd_show_entry,
	&cmd_history_entry,
	&cmd_missing_entry,
	&cmd_summary_entry,
	&cmd_export_entry,
	&cmd_lock_entry,
	&cmd_unlock_entry,
	&cmd_extend_entry,
	&cmd_audit_entry,
	&cmd_help_entry
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

int
client_fail(const struct client *cl, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*cause;

	va_start(ap, fmt);
	cause_vset(&cause, fmt, ap);
	va_end(ap);
	output_failure(cl->json, status, cause);
	free(cause);
	return status;
}

static void
client_usage(FILE *f)
{
	size_t	i;

	fputs("usage: gp-client [-s HOST:PORT] [--ca FILE] [--cert FILE] "
	    "[--key FILE] [-c FILE]\n"
	    "                 [--json | --csv] [--timeout SECONDS] "
	    "[--retries N] [--outbox PATH]\n"
	    "                 COMMAND [ARGUMENT ...]\n"
	    "       gp-client COMMAND --help\n"
	    "       gp-client --help | --version\n"
	    "\ncommands:\n", f);
	for (i = 0; i < CLIENT_NCMDS; i++)
		fprintf(f, "  %-15s %s\n", client_cmds[i]->name,
		    client_cmds[i]->summary);
	fputs("\nglobal options:\n"
	    "  -s, --server HOST:PORT  the server (or 'server' in the "
	    "configuration file)\n"
	    "      --ca FILE           the CA certificate, the only trust "
	    "anchor\n"
	    "      --cert FILE         this unit's certificate\n"
	    "      --key FILE          its private key\n"
	    "  -c, --config FILE       the configuration file (default: "
	    "$GP_CLIENT_CONF)\n"
	    "      --json              one JSON value on standard output\n"
	    "      --csv               tables as CSV\n"
	    "      --timeout SECONDS   for each try on the network "
	    "(default 30)\n"
	    "      --retries N         tries after a transient failure "
	    "(default 3)\n"
	    "      --outbox PATH       the outbox file\n"
	    "\nOptions on the command line override the configuration "
	    "file. 'gp-client help\nCOMMAND' prints everything about one "
	    "command; gp-client(1) has the rest.\n", f);
}

/* The command named name, after saying how to find the right one. */
static const struct cmd_entry *
client_command(const struct client *cl, const char *name)
{
	const struct cmd_entry	*e;

	if ((e = cmd_find(client_cmds, CLIENT_NCMDS, name)) == NULL)
		client_fail(cl, EX_USAGE, "unknown command '%s'; run "
		    "'gp-client help' for the list", name);
	return e;
}

static int
client_help_exec(struct client *cl, const struct cmd_args *args)
{
	const struct cmd_entry	*e;

	if (args->noperands == 0) {
		client_usage(stdout);
		return EX_OK;
	}
	if ((e = client_command(cl, args->operands[0])) == NULL)
		return EX_USAGE;
	cmd_help(stdout, e);
	return EX_OK;
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
	else if (strcmp(name, "timezone") == 0) {
		if (tz_valid_name(value) == -1) {
			if (f->error[0] == '\0')
				snprintf(f->error, sizeof(f->error), "bad "
				    "timezone '%s': give a zone such as %s",
				    value, TZ_DEFAULT);
			return 0;
		}
		field = &f->timezone;
	} else if (strcmp(name, "retries") == 0) {
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
			    "'%s': use server, ca, cert, key, timeout, retries, "
			    "outbox or timezone", name);
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
	free(f->timezone);
	memset(f, 0, sizeof(*f));
}

static void
client_free(struct client *cl)
{
	client_config_free(&cl->file);
	free(cl->outbox);
	free(cl->outbox_error);
	free(cl->config_error);
	free(cl->state_dir);
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
		if (needs & CMD_DOCTOR) {
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
	if (needs & (CMD_SETTINGS | CMD_DOCTOR | CMD_FORMS))
		client_outbox_path(cl);
	/* Before anything is read from it or sent: doctor says it in its
	 * outbox line. */
	if ((needs & CMD_SETTINGS) && cl->outbox != NULL &&
	    outbox_check_dirs(cl->outbox, &cause) == -1) {
		output_failure(cl->json, EX_CONFIG, cause);
		free(cause);
		return EX_CONFIG;
	}
	if ((needs & CMD_CA) && cl->conn.ca == NULL)
		return client_fail(cl, EX_CONFIG, "no CA certificate given: "
		    "use --ca FILE or 'ca' in the configuration file");
	if (!(needs & CMD_CONNECT))
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

/* The queue settings every command that sends shares. */
void
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
client_global_badopt(const struct client *cl, int ch, char **argv)
{
	if (ch == ':')
		return client_fail(cl, EX_USAGE, "'%s' needs a value; run "
		    "'gp-client --help'", argv[optind - 1]);
	if (optopt != 0 && optopt < 256)
		return client_fail(cl, EX_USAGE, "unknown option '-%c'; run "
		    "'gp-client --help'", optopt);
	return client_fail(cl, EX_USAGE, "unknown option '%s'; run "
	    "'gp-client --help'", argv[optind - 1]);
}

int
main(int argc, char **argv)
{
	struct client		 cl;
	struct cmd_args		 args;
	const struct cmd_entry	*e;
	const char		*env;
	char			*cause = NULL;
	int			 ch, status;

	/* The outbox, its log, receipts and exports are this user's alone,
	 * whatever umask the caller left (a timer, a shared account). */
	umask(077);
	trace_init();
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
		default:
			return client_global_badopt(&cl, ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return client_fail(&cl, EX_USAGE, "no command given; run "
		    "'gp-client help' for the list");
	if ((e = client_command(&cl, argv[0])) == NULL)
		return EX_USAGE;

	/* The command's own arguments, before anything is read. */
	if (cmd_parse(e, argc, argv, &args, &cause) == -1) {
		cl.json |= args.json;
		status = client_fail(&cl, EX_USAGE, "%s", cause != NULL ?
		    cause : "out of memory");
		free(cause);
		cmd_args_free(&args);
		return status;
	}
	if (args.help) {
		cmd_help(stdout, e);
		cmd_args_free(&args);
		return EX_OK;
	}
	cl.json |= args.json;
	cl.csv |= args.csv;
	if (cl.csv && !(e->flags & CMD_CSV))
		status = client_fail(&cl, EX_USAGE, "%s does not print a "
		    "table: --csv is for units, list, history, missing, "
		    "summary and audit", e->name);
	else if (cl.json && cl.csv)
		status = client_fail(&cl, EX_USAGE, "--json and --csv exclude "
		    "each other: choose one");
	else
		status = 0;
	if (status != 0) {
		cmd_args_free(&args);
		return status;
	}

	if (e->flags & (CMD_CONNECT | CMD_SETTINGS | CMD_DOCTOR | CMD_CA |
	    CMD_FORMS)) {
		/* A closed connection is an error to report, not a signal. */
		signal(SIGPIPE, SIG_IGN);
		if (cl.config == NULL && (env = getenv(CLIENT_CONF_ENV)) !=
		    NULL && env[0] != '\0')
			cl.config = env;
		status = client_settings(&cl, e->flags);
	}
	/* Times are told in the federation's zone: the state directory
	 * keeps the one the server named last. */
	if (cl.outbox != NULL && strrchr(cl.outbox, '/') != NULL)
		cl.state_dir = strndup(cl.outbox, (size_t)(strrchr(cl.outbox,
		    '/') - cl.outbox));
	zone_setup(cl.file.timezone, cl.state_dir);
	if (status == 0)
		status = e->exec(&cl, &args);
	cmd_args_free(&args);
	zone_close();
	client_free(&cl);

	if (fflush(stdout) == EOF && status == EX_OK)
		return client_fail(&cl, EX_IOERR, "cannot write the output: "
		    "%s", strerror(errno));
	trace_mark("done");
	return status;
}
