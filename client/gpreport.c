/*
 * gp-report as a child of gp-client (gpreport.h).
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "i18n.h"
#include "cause.h"
#include "gpreport.h"

#ifndef GP_BINDIR
#define GP_BINDIR	"/usr/bin"
#endif

/* The exit status of a child that could not run gp-report at all. */
#define GPREPORT_EXEC_FAILED	127

static int
gpreport_runnable(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* "DIR/gp-report" beside this program, or NULL. */
static char *
gpreport_beside_self(void)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return NULL;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return NULL;
	*slash = '\0';
	if (asprintf(&path, "%s/%s", self, GPREPORT_NAME) == -1)
		return NULL;
	return path;
}

char *
gpreport_find(const char *configured, char **cause)
{
	const char	*env = getenv(GPREPORT_ENV);
	char		*path;

	*cause = NULL;
	if (env != NULL && env[0] != '\0') {
		if (gpreport_runnable(env) && (path = strdup(env)) != NULL)
			return path;
		cause_set(cause, _("$%s names %s, which is not a program that "
		    "can be run: correct or unset it"), GPREPORT_ENV, env);
		return NULL;
	}
	if (configured != NULL) {
		if (gpreport_runnable(configured) &&
		    (path = strdup(configured)) != NULL)
			return path;
		cause_set(cause, _("gp_report in [report] names %s, which is "
		    "not a program that can be run: install the Debian package "
		    "%s or correct the configuration"), configured,
		    GPREPORT_PACKAGE);
		return NULL;
	}
	if ((path = gpreport_beside_self()) != NULL) {
		if (gpreport_runnable(path))
			return path;
		free(path);
	}
	if (asprintf(&path, "%s/%s", GP_BINDIR, GPREPORT_NAME) == -1)
		return NULL;
	if (gpreport_runnable(path))
		return path;
	free(path);
	cause_set(cause, _("%s, which writes the document, is not installed "
	    "(not beside gp-client, nor in %s): install the Debian package "
	    "%s (apt install %s), or name it with gp_report in [report]"),
	    GPREPORT_NAME, GP_BINDIR, GPREPORT_PACKAGE, GPREPORT_PACKAGE);
	return NULL;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
gpreport_child(int rfd, pid_t parent, const char *path, const char *output)
{
	char	*argv[4];

	/* An unfinished input must not become a document: if gp-client
	 * dies, so does gp-report, before it writes anything. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		_exit(GPREPORT_EXEC_FAILED);
	if (rfd != STDIN_FILENO) {
		if (dup2(rfd, STDIN_FILENO) == -1)
			_exit(GPREPORT_EXEC_FAILED);
		close(rfd);
	}
	closefrom(STDERR_FILENO + 1);
	signal(SIGPIPE, SIG_DFL);
	argv[0] = (char *)(uintptr_t)GPREPORT_NAME;
	argv[1] = (char *)(uintptr_t)"-o";
	argv[2] = (char *)(uintptr_t)output;
	argv[3] = NULL;
	execv(path, argv);
	_exit(GPREPORT_EXEC_FAILED);
}

int
gpreport_start(struct gpreport *g, const char *path, const char *output,
    char **cause)
{
	int	fds[2];
	pid_t	parent = getpid();

	memset(g, 0, sizeof(*g));
	*cause = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return cause_set(cause, _("cannot make a pipe to %s: %s"),
		    GPREPORT_NAME, strerror(errno));
	fflush(NULL);
	switch (g->pid = fork()) {
	case -1:
		close(fds[0]);
		close(fds[1]);
		g->pid = 0;
		return cause_set(cause, _("cannot start %s: %s"), path,
		    strerror(errno));
	case 0:
		close(fds[1]);
		gpreport_child(fds[0], parent, path, output);
		break;
	default:
		break;
	}
	close(fds[0]);
	if ((g->in = fdopen(fds[1], "w")) == NULL) {
		close(fds[1]);
		gpreport_abort(g);
		return cause_set(cause, _("out of memory"));
	}
	return 0;
}

static int
gpreport_wait(struct gpreport *g, int *wstatus)
{
	pid_t	pid;

	do
		pid = waitpid(g->pid, wstatus, 0);
	while (pid == -1 && errno == EINTR);
	g->pid = 0;
	return pid == -1 ? -1 : 0;
}

int
gpreport_finish(struct gpreport *g, char **cause)
{
	int	wstatus, flushed;

	*cause = NULL;
	/* What could not be written must not end as a shorter input that
	 * reads whole: gp-report is ended before it sees the end. When it
	 * had stopped reading already (bad data), its status says why. */
	flushed = fflush(g->in) == 0 && !ferror(g->in);
	if (!flushed)
		kill(g->pid, SIGTERM);
	fclose(g->in);
	g->in = NULL;
	if (gpreport_wait(g, &wstatus) == -1) {
		cause_set(cause, _("lost %s: %s"), GPREPORT_NAME,
		    strerror(errno));
		return EX_OSERR;
	}
	if (WIFSIGNALED(wstatus) && !flushed) {
		cause_set(cause, _("the report data could not all be written "
		    "to %s; no document was written"), GPREPORT_NAME);
		return EX_IOERR;
	}
	if (WIFSIGNALED(wstatus)) {
		cause_set(cause, _("%s was killed by signal %d; no document "
		    "was written"), GPREPORT_NAME, WTERMSIG(wstatus));
		return EX_SOFTWARE;
	}
	if (WEXITSTATUS(wstatus) == GPREPORT_EXEC_FAILED) {
		cause_set(cause, _("%s could not be started; install the "
		    "Debian package %s"), GPREPORT_NAME, GPREPORT_PACKAGE);
		return EX_UNAVAILABLE;
	}
	return WEXITSTATUS(wstatus);
}

void
gpreport_abort(struct gpreport *g)
{
	int	wstatus;

	if (g->pid > 0)
		kill(g->pid, SIGTERM);
	if (g->in != NULL) {
		fclose(g->in);
		g->in = NULL;
	}
	if (g->pid > 0)
		gpreport_wait(g, &wstatus);
}
