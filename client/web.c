/*
 * gp-client web (client.h): runs gp-client-web, the report form in the
 * browser, with this run's settings (the configuration file and the
 * global options, read as submit reads them). It is a program of its own
 * so that gp-client itself never loads the HTTP library.
 *
 * gp-client-web is looked for, in order, at $GP_CLIENT_WEB, in
 * ../libexec/gp beside this gp-client (an installed tree, whatever its
 * prefix), beside this gp-client (the build directory), and in the
 * libexec directory it was built for.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "client.h"

#ifndef GP_LIBEXECDIR
#define GP_LIBEXECDIR	"/usr/local/libexec/gp"
#endif
#define WEB_PROGRAM	"gp-client-web"
#define WEB_PROGRAM_ENV	"GP_CLIENT_WEB"
#define WEB_ARGS_MAX	24

static int	web_exec(struct client *, const struct cmd_args *);

const struct cmd_entry cmd_web_entry = {
	"web", "", 0, 0,
	N_("fill in and send the report in a web browser on this computer"),
	N_("Start the report form on this computer only (127.0.0.1) and open "
	"it in the browser. The page, in Vietnamese, lets the unit choose the "
	"period, start from its last submitted report, its saved draft or "
	"an empty one, fill in activities, indicators and texts with the "
	"choices of the period's form, see every error as it types (the "
	"checks of validate), save a draft, and send the report through the "
	"outbox as submit does: the page shows the signed receipt, or that "
	"the report waits in the outbox.\n\nThe first line on standard "
	"output is the address to open, with its secret: give it to no one. "
	"It stops after --idle minutes without use, and on Ctrl+C; drafts "
	"are kept in the state directory."),
	"gp-client web",
	{
		{ "port", 0, "N", 0, N_("listen on this port of 127.0.0.1 "
		    "(default: a free one)") },
		{ "no-browser", 0, NULL, 0, N_("print the address only; open "
		    "no browser") },
		{ "idle", 0, N_("MINUTES"), 0, N_("stop after this many "
		    "minutes without use (default 60)") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_SETTINGS,
	web_exec
};

static int
web_executable(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* Where gp-client-web is: into buf (len bytes). */
static const char *
web_program(char *buf, size_t len)
{
	const char	*env;
	char		 self[PATH_MAX], *dir;
	ssize_t		 n;

	if ((env = getenv(WEB_PROGRAM_ENV)) != NULL && env[0] != '\0')
		return env;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		dir = dirname(self);
		snprintf(buf, len, "%s/../libexec/gp/%s", dir, WEB_PROGRAM);
		if (web_executable(buf))
			return buf;
		snprintf(buf, len, "%s/%s", dir, WEB_PROGRAM);
		if (web_executable(buf))
			return buf;
	}
	snprintf(buf, len, "%s/%s", GP_LIBEXECDIR, WEB_PROGRAM);
	return buf;
}

static int
web_whole(const char *s, long min, long max)
{
	char	*end;
	long	 n;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	return *end != '\0' || n < min || n > max ? -1 : 0;
}

static int
web_exec(struct client *cl, const struct cmd_args *args)
{
	const char	*port, *idle, *program;
	char		*argv[WEB_ARGS_MAX], timeout[16], retries[16];
	char		 path[PATH_MAX + 64];
	int		 n = 0;

	port = cmd_value(args, "port");
	idle = cmd_value(args, "idle");
	if (port != NULL && web_whole(port, 1, 65535) == -1)
		return client_fail(cl, EX_USAGE, _("bad port '%s': give a "
		    "number from 1 to 65535, or leave --port out for a free "
		    "one"), port);
	if (idle != NULL && web_whole(idle, 1, 7 * 24 * 60) == -1)
		return client_fail(cl, EX_USAGE, _("bad idle time '%s': give "
		    "minutes from 1 to %d"), idle, 7 * 24 * 60);

	program = web_program(path, sizeof(path));
	snprintf(timeout, sizeof(timeout), "%d", cl->conn.timeout);
	snprintf(retries, sizeof(retries), "%d", cl->policy.retries);
	argv[n++] = (char *)(uintptr_t)program;
	argv[n++] = (char *)(uintptr_t)"--server";
	argv[n++] = (char *)(uintptr_t)cl->conn.server;
	argv[n++] = (char *)(uintptr_t)"--ca";
	argv[n++] = (char *)(uintptr_t)cl->conn.ca;
	argv[n++] = (char *)(uintptr_t)"--cert";
	argv[n++] = (char *)(uintptr_t)cl->conn.cert;
	argv[n++] = (char *)(uintptr_t)"--key";
	argv[n++] = (char *)(uintptr_t)cl->conn.key;
	argv[n++] = (char *)(uintptr_t)"--timeout";
	argv[n++] = timeout;
	argv[n++] = (char *)(uintptr_t)"--retries";
	argv[n++] = retries;
	if (cl->outbox != NULL) {
		argv[n++] = (char *)(uintptr_t)"--outbox";
		argv[n++] = cl->outbox;
	}
	if (port != NULL) {
		argv[n++] = (char *)(uintptr_t)"--port";
		argv[n++] = (char *)(uintptr_t)port;
	}
	if (cmd_value(args, "no-browser") != NULL)
		argv[n++] = (char *)(uintptr_t)"--no-browser";
	if (idle != NULL) {
		argv[n++] = (char *)(uintptr_t)"--idle";
		argv[n++] = (char *)(uintptr_t)idle;
	}
	argv[n] = NULL;

	/* Its terminal lines in gp-client's language, which the
	 * configuration may have chosen (its page is Vietnamese). */
	setenv(I18N_LANGUAGE_ENV, i18n_vietnamese() ? "vi" : "en", 1);
	fflush(NULL);
	execv(program, argv);
	return client_fail(cl, EX_UNAVAILABLE, _("cannot run %s: %s; install "
	    "it with gp-client (make install), or set $%s to its path"),
	    program, strerror(errno), WEB_PROGRAM_ENV);
}
