/*
 * Opening the page in the user's browser (web.h): xdg-open on Linux;
 * under WSL, where the browser is Windows's and WSL 2 forwards
 * 127.0.0.1 to it, wslview (wslu), else cmd.exe /c start. WSL is told by
 * /proc/version, which names Microsoft; $GP_WEB_PROC_VERSION names
 * another file, for the tests. (Debian has no wslu; cmd.exe is there
 * whenever WSL's interop is.)
 *
 * The opener runs detached (a grandchild, reparented to init) with its
 * output on standard error, so that the address stays the only line on
 * standard output and no zombie is left behind; a pipe closed on exec
 * tells whether any opener could be started at all.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cause.h"
#include "web.h"

#define WEB_OPEN_CMD_EXE	"/mnt/c/Windows/System32/cmd.exe"

int
web_open_is_wsl(void)
{
	const char	*path;
	char		 buf[1024];
	size_t		 n;
	FILE		*f;

	if ((path = getenv(WEB_PROC_VERSION_ENV)) == NULL || path[0] == '\0')
		path = "/proc/version";
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strcasestr(buf, "microsoft") != NULL ||
	    strstr(buf, "WSL") != NULL;
}

/* In the grandchild: every opener in turn; returns only when none could
 * be started. */
static void
web_open_exec(const char *url, int wsl)
{
	char	*argv[5];

	if (wsl) {
		argv[0] = (char *)(uintptr_t)"wslview";
		argv[1] = (char *)(uintptr_t)url;
		argv[2] = NULL;
		execvp(argv[0], argv);
		/* cmd.exe complains about a Linux working directory. */
		if (chdir("/mnt/c") == -1 && chdir("/") == -1)
			return;
		argv[0] = (char *)(uintptr_t)"cmd.exe";
		argv[1] = (char *)(uintptr_t)"/c";
		argv[2] = (char *)(uintptr_t)"start";
		argv[3] = (char *)(uintptr_t)url;
		argv[4] = NULL;
		execvp(argv[0], argv);
		/* Windows's directories left off PATH (appendWindowsPath =
		 * false in wsl.conf): where Windows keeps it. */
		execv(WEB_OPEN_CMD_EXE, argv);
		return;
	}
	argv[0] = (char *)(uintptr_t)"xdg-open";
	argv[1] = (char *)(uintptr_t)url;
	argv[2] = NULL;
	execvp(argv[0], argv);
}

int
web_open(const char *url, char **cause)
{
	pid_t	pid, grandchild;
	int	fds[2], wsl, status, err = 0, fd;
	ssize_t	n;

	*cause = NULL;
	wsl = web_open_is_wsl();
	if (pipe2(fds, O_CLOEXEC) == -1)
		return cause_set(cause, _("cannot open the browser: %s"),
		    strerror(errno));
	fflush(NULL);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return cause_set(cause, _("cannot open the browser: %s"),
		    strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		setsid();
		if ((grandchild = fork()) != 0)
			_exit(grandchild == -1 ? 1 : 0);
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		dup2(STDERR_FILENO, STDOUT_FILENO);
		web_open_exec(url, wsl);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	do
		n = read(fds[0], &err, sizeof(err));
	while (n == -1 && errno == EINTR);
	close(fds[0]);
	if (n == (ssize_t)sizeof(err))
		return cause_set(cause, _("cannot start %s: %s"), wsl ?
		    "wslview or cmd.exe" : "xdg-open", strerror(err));
	return 0;
}
