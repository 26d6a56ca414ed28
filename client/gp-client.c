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

#include <openssl/crypto.h>

#include "i18n.h"
#include "cause.h"
#include "client.h"
#include "fmt.h"
#include "output.h"
#include "trace.h"
#include "tz.h"
#include "zone.h"

static int	client_help_exec(struct client *, const struct cmd_args *);

const struct cmd_entry cmd_help_entry = {
	"help", N_("[COMMAND]"), 0, 1,
	N_("show the commands, or everything about one"),
	N_("Without COMMAND, list the commands and the global options. With "
	"COMMAND, print its full usage, as 'gp-client COMMAND --help' does."),
	"gp-client help submit",
	{ { NULL, 0, NULL, 0, NULL } },
	0,
	client_help_exec
};

/* The commands, in the order the list shows them: a unit's first. */
static const struct cmd_entry *const client_cmds[] = {
	&cmd_submit_entry,
	&cmd_web_entry,
	&cmd_flush_entry,
	&cmd_outbox_entry,
	&cmd_receipts_entry,
	&cmd_status_entry,
	&cmd_verify_receipt_entry,
	&cmd_doctor_entry,
	&cmd_setup_entry,
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
	&cmd_report_entry,
	&cmd_lock_entry,
	&cmd_unlock_entry,
	&cmd_review_entry,
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

/* The same options as --help shows them. */
static const struct cmd_option client_global_help[] = {
	{ "server", 's', N_("HOST:PORT"), 0, N_("the server (or 'server' in "
	    "the configuration file)") },
	{ "ca", 0, N_("FILE"), 0, N_("the CA certificate, the only trust "
	    "anchor") },
	{ "cert", 0, N_("FILE"), 0, N_("this unit's certificate") },
	{ "key", 0, N_("FILE"), 0, N_("its private key") },
	{ "config", 'c', N_("FILE"), 0, N_("the configuration file "
	    "(default: $GP_CLIENT_CONF, ~/.config/gp/client.conf, "
	    "/etc/gp/client.conf)") },
	{ "json", 0, NULL, 0, N_("one JSON value on standard output (in "
	    "English, whatever the language)") },
	{ "csv", 0, NULL, 0, N_("tables as CSV (in English too)") },
	{ "timeout", 0, N_("SECONDS"), 0, N_("for each try on the network "
	    "(default 30)") },
	{ "retries", 0, N_("N"), 0, N_("tries after a transient failure "
	    "(default 3)") },
	{ "outbox", 0, N_("PATH"), 0, N_("the outbox file") },
	{ "help", 'h', NULL, 0, N_("print this help and exit") },
	{ "version", 'V', NULL, 0, N_("print the version and exit") },
	{ NULL, 0, NULL, 0, NULL }
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
	size_t	i, w, width = 0;

	/* TRANSLATORS: the synopsis of gp-client; translate the words in
	 * capitals as in the options below, keep the option names. */
	fputs(_("usage: gp-client [-s HOST:PORT] [--ca FILE] [--cert FILE] "
	    "[--key FILE] [-c FILE]\n"
	    "                 [--json | --csv] [--timeout SECONDS] "
	    "[--retries N] [--outbox PATH]\n"
	    "                 COMMAND [ARGUMENT ...]\n"
	    "       gp-client COMMAND --help\n"
	    "       gp-client --help | --version\n"), f);
	fprintf(f, "\n%s\n", _("commands:"));
	for (i = 0; i < CLIENT_NCMDS; i++)
		if ((w = fmt_width(client_cmds[i]->name)) > width)
			width = w;
	for (i = 0; i < CLIENT_NCMDS; i++) {
		fputs("  ", f);
		fmt_put(f, client_cmds[i]->name, width + 2, FMT_LEFT);
		cmd_wrap_at(f, _(client_cmds[i]->summary), width + 4);
	}
	fprintf(f, "\n%s\n", _("global options:"));
	cmd_help_options(f, client_global_help);
	fputc('\n', f);
	cmd_wrap(f, _("Options on the command line override the configuration "
	    "file. 'gp-client help COMMAND' prints everything about one "
	    "command; gp-client(1) has the rest."));
}

/* The command named name, after saying how to find the right one. */
static const struct cmd_entry *
client_command(const struct client *cl, const char *name)
{
	const struct cmd_entry	*e;

	if ((e = cmd_find(client_cmds, CLIENT_NCMDS, name)) == NULL)
		client_fail(cl, EX_USAGE, _("unknown command '%s'; run "
		    "'gp-client help' for the list"), name);
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

static void
client_free(struct client *cl)
{
	conf_free(&cl->file);
	free(cl->config_path);
	free(cl->config_looked);
	free(cl->outbox);
	free(cl->outbox_error);
	free(cl->config_error);
	free(cl->state_dir);
}

/*
 * Finds and reads the configuration file, whatever the command: its
 * language is every message's, and its problems are said only to the
 * commands that need it. explicit: -c or $GP_CLIENT_CONF.
 */
static void
client_read_config(struct client *cl, const char *explicit)
{
	char	*cause = NULL;

	if (conf_find(explicit, &cl->config_path, &cl->config_looked) == -1) {
		cl->config_error = strdup(_("out of memory"));
		return;
	}
	cl->config = cl->config_path;
	if (cl->config == NULL)
		return;
	if (conf_read(cl->config, &cl->file, &cause) == -1)
		cl->config_error = cause != NULL ? cause :
		    strdup(_("out of memory"));
}

char *
client_no_config(const struct client *cl)
{
	char	*s, *looked;

	if ((looked = conf_looked(cl->config_looked)) == NULL)
		return NULL;
	if (asprintf(&s, _("no configuration file (looked for %s): set this "
	    "computer up with 'gp-client setup UNIT.gpbundle', the file the "
	    "provincial federation gives each unit, or give -s, --ca, --cert "
	    "and --key"), looked) == -1)
		s = NULL;
	free(looked);
	return s;
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
		    strdup(_("out of memory"));
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

	/* A file with a problem stops only the commands that take their
	 * settings from it; doctor says it in its first line. */
	if (cl->config_error != NULL && !(needs & CMD_DOCTOR) &&
	    (needs & (CMD_CONNECT | CMD_SETTINGS | CMD_CA))) {
		output_failure(cl->json, EX_CONFIG, cl->config_error);
		return EX_CONFIG;
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
	if (!(needs & (CMD_CA | CMD_CONNECT)))
		return 0;
	/* Without a file, one sentence says where it was looked for and
	 * how to make it; with one, each missing setting is named. */
	if (cl->config == NULL && (cl->conn.ca == NULL || ((needs &
	    CMD_CONNECT) && (cl->conn.server == NULL || cl->conn.cert == NULL ||
	    cl->conn.key == NULL)))) {
		cause = client_no_config(cl);
		output_failure(cl->json, EX_CONFIG, cause);
		free(cause);
		return EX_CONFIG;
	}
	if (cl->conn.ca == NULL)
		return client_fail(cl, EX_CONFIG, _("no CA certificate: 'ca' "
		    "is not set in %s; set it, or give --ca FILE"), cl->config);
	if (!(needs & CMD_CONNECT))
		return 0;
	if (cl->conn.server == NULL)
		return client_fail(cl, EX_CONFIG, _("no server: 'server' is "
		    "not set in %s; set it, or give -s HOST:PORT"), cl->config);
	if (cl->conn.cert == NULL)
		return client_fail(cl, EX_CONFIG, _("no certificate: 'cert' is "
		    "not set in %s; set it, or give --cert FILE"), cl->config);
	if (cl->conn.key == NULL)
		return client_fail(cl, EX_CONFIG, _("no private key: 'key' is "
		    "not set in %s; set it, or give --key FILE"), cl->config);
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

/* A mistake among the global options, said once the language is known.
 * ch: getopt_long's answer; arg: the word it was about. */
static int
client_global_badopt(const struct client *cl, int ch, const char *arg,
    int letter)
{
	switch (ch) {
	case ':':
		return client_fail(cl, EX_USAGE, _("'%s' needs a value; run "
		    "'gp-client --help'"), arg);
	case OPT_OUTBOX:
		return client_fail(cl, EX_USAGE, "%s",
		    _("--outbox needs a path"));
	case OPT_RETRIES:
		return client_fail(cl, EX_USAGE, _("bad retries '%s': give a "
		    "number from 0 to %d"), arg, DELIVER_RETRIES_MAX);
	case OPT_TIMEOUT:
		return client_fail(cl, EX_USAGE, _("bad timeout '%s': give "
		    "seconds from 1 to %d"), arg, CONN_TIMEOUT_MAX);
	}
	if (letter != 0 && letter < 256)
		return client_fail(cl, EX_USAGE, _("unknown option '-%c'; run "
		    "'gp-client --help'"), letter);
	return client_fail(cl, EX_USAGE, _("unknown option '%s'; run "
	    "'gp-client --help'"), arg);
}

int
main(int argc, char **argv)
{
	struct client		 cl;
	struct cmd_args		 args;
	const struct cmd_entry	*e;
	const char		*env, *explicit, *badarg = NULL;
	char			*cause = NULL;
	int			 ch, status, bad = 0, badletter = 0;
	int			 help = 0, version = 0;

	/* The outbox, its log, receipts and exports are this user's alone,
	 * whatever umask the caller left (a timer, a shared account). */
	umask(077);
	trace_init();
	/* OpenSSL started as the connection wants it (conn.c): without the
	 * system's openssl.cnf, and leaving its tables to the kernel at
	 * exit. Its first user is often not the connection but a report's
	 * derived id or a kept form's digest, which would start it the
	 * default way: the file read, a cleanup run at exit. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_ATEXIT, NULL);
	memset(&cl, 0, sizeof(cl));
	cl.retries_arg = -1;
	cl.file.retries = -1;
	report_conf_init(&cl.file.report);
	opterr = 0;
	/* A mistake is said after the configuration is read: it may name
	 * the language to say it in. */
	while (!bad && !help && !version && (ch = getopt_long(argc, argv,
	    "+:c:hs:V", client_options, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cl.config_arg = optarg;
			break;
		case 'h':
			help = 1;
			break;
		case 's':
			cl.args.server = optarg;
			break;
		case 'V':
			version = 1;
			break;
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
				bad = ch;
			cl.outbox_arg = optarg;
			break;
		case OPT_RETRIES:
			if (conf_retries(optarg, &cl.retries_arg) == -1) {
				bad = ch;
				badarg = optarg;
			}
			break;
		case OPT_TIMEOUT:
			if (conf_timeout(optarg, &cl.args.timeout) == -1) {
				bad = ch;
				badarg = optarg;
			}
			break;
		default:
			bad = ch;
			badarg = argv[optind - 1];
			badletter = optopt;
			break;
		}
	}
	if (version) {
		printf("gp-client %s\n", GP_VERSION);
		return EX_OK;
	}
	explicit = cl.config_arg;
	if (explicit == NULL && (env = getenv(CONF_ENV)) != NULL &&
	    env[0] != '\0')
		explicit = env;
	/* The locale's language, then the file's: a file that cannot be
	 * read is said in the first. */
	i18n_init(I18N_GP_CLIENT, NULL);
	client_read_config(&cl, explicit);
	if (cl.file.language != NULL)
		i18n_init(I18N_GP_CLIENT, cl.file.language);
	/* What a program reads is the same in every language. */
	if (cl.json)
		i18n_english();
	if (bad) {
		status = client_global_badopt(&cl, bad, badarg, badletter);
		client_free(&cl);
		return status;
	}
	if (help) {
		client_usage(stdout);
		client_free(&cl);
		return EX_OK;
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		status = client_fail(&cl, EX_USAGE, "%s", _("no command given; "
		    "run 'gp-client help' for the list"));
		client_free(&cl);
		return status;
	}
	if ((e = client_command(&cl, argv[0])) == NULL) {
		client_free(&cl);
		return EX_USAGE;
	}
	if (cmd_wants_json(e, argc, argv)) {
		cl.json = 1;
		i18n_english();
	}

	/* The command's own arguments, before anything is read. */
	if (cmd_parse(e, argc, argv, &args, &cause) == -1) {
		status = client_fail(&cl, EX_USAGE, "%s", cause != NULL ?
		    cause : _("out of memory"));
		free(cause);
		cmd_args_free(&args);
		client_free(&cl);
		return status;
	}
	if (args.help) {
		cmd_help(stdout, e);
		cmd_args_free(&args);
		client_free(&cl);
		return EX_OK;
	}
	cl.csv |= args.csv;
	if (cl.csv && !(e->flags & CMD_CSV))
		status = client_fail(&cl, EX_USAGE, _("%s does not print a "
		    "table: --csv is for units, list, history, missing, "
		    "summary and audit"), e->name);
	else if (cl.json && cl.csv)
		status = client_fail(&cl, EX_USAGE, "%s", _("--json and --csv "
		    "exclude each other: choose one"));
	else
		status = 0;
	if (status != 0) {
		cmd_args_free(&args);
		client_free(&cl);
		return status;
	}
	/* CSV is read by programs too: its headers, cells and numbers are
	 * the same in every language. */
	if (cl.csv)
		i18n_english();

	if (e->flags & (CMD_CONNECT | CMD_SETTINGS | CMD_DOCTOR | CMD_CA |
	    CMD_FORMS)) {
		/* A closed connection is an error to report, not a signal. */
		signal(SIGPIPE, SIG_IGN);
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

	/* A reader that stopped early (gp-client help | head) wanted no
	 * more: nothing to say, as if the pipe's signal had ended us. */
	if (fflush(stdout) == EOF && status == EX_OK) {
		if (errno == EPIPE)
			return status;
		return client_fail(&cl, EX_IOERR, _("cannot write the output: "
		    "%s"), strerror(errno));
	}
	trace_mark("done");
	return status;
}
