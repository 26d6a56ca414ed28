/*
 * gp-client's administration commands: units, list, show, history,
 * missing, summary, export, lock, unlock and audit. Each sends one request
 * and prints the answer as its frames arrive: a table (--csv: the same
 * columns as CSV), or with --json a JSON array of objects, or for missing
 * and summary one object with "rows" and the totals. The server decides
 * who may ask what; its refusals exit 77 with its sentence.
 */
#ifndef GP_ADMIN_H
#define GP_ADMIN_H

#include "conn.h"

/*
 * Runs the command argv[0] with its arguments argv[1..argc-1]. json and
 * csv are the global --json and --csv (both are also taken after the
 * command); usage is the command's argument synopsis, for usage errors.
 * Returns the exit status (<sysexits.h>), having said why on standard
 * error when it is not 0.
 */
int	 admin_run(const struct conn_config *, int json, int csv,
	    const char *usage, int argc, char **argv);

#endif
