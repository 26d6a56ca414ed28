/*
 * gp-report, run by `gp-client report` as a program of its own: the
 * report data goes to its standard input through a pipe, and the .docx is
 * its work. gp-client thus never loads cairo, pango or the zip library
 * (report/report-data.md).
 */
#ifndef GP_GPREPORT_H
#define GP_GPREPORT_H

#include <stdio.h>
#include <sys/types.h>

#define GPREPORT_ENV		"GP_REPORT"
#define GPREPORT_NAME		"gp-report"
#define GPREPORT_PACKAGE	"gp-report"	/* the Debian package */

struct gpreport {
	pid_t	 pid;		/* 0: not running */
	FILE	*in;		/* its standard input */
};

/*
 * Where gp-report is: $GP_REPORT, else configured (the [report]
 * gp_report setting; may be NULL), else beside this gp-client, else in
 * the BINDIR it was installed to. Returns the path (malloc'd), or NULL
 * with *cause saying what was looked for and which package to install.
 */
char	*gpreport_find(const char *configured, char **cause);

/*
 * Starts path -o output with a pipe on its standard input; its standard
 * output and error are gp-client's. gp-report is ended (SIGTERM) if
 * gp-client dies before closing the pipe, so that an unfinished input is
 * never taken for a whole one. Returns 0, or -1 with *cause.
 */
int	 gpreport_start(struct gpreport *, const char *path,
	    const char *output, char **cause);

/*
 * Closes the pipe and waits: gp-report's exit status (0 when the
 * document was written; gp-report said why otherwise), or EX_SOFTWARE
 * with *cause when it was killed by a signal.
 */
int	 gpreport_finish(struct gpreport *, char **cause);

/* Gives up: ends gp-report before it writes anything and waits for it.
 * A no-op when it is not running. */
void	 gpreport_abort(struct gpreport *);

#endif
