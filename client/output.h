/*
 * What gp-client tells its user: lines for people, or with --json exactly
 * one JSON object on standard output per run. Failures also always get one
 * sentence on standard error, prefixed "gp-client: ".
 *
 * Text that came from the server or from a report is printed with control
 * characters replaced, so that neither can drive the terminal.
 */
#ifndef GP_OUTPUT_H
#define GP_OUTPUT_H

#include "gp.pb-c.h"
#include "report.h"

/* A failure without details: the sentence, and with json
 * {"status":"error","code":...,"message":...}, code named after status. */
void	 output_failure(int json, int status, const char *cause);

/* A report that cannot be read or fails the local checks: each error as
 * "FILE: error: FIELD: MESSAGE", then one sentence. */
void	 output_invalid(int json, const char *file,
	    const struct report_errors *errs, const char *cause);

/* The validate command's verdict on a valid report, with its warnings. */
void	 output_valid(int json, const char *file, const struct report *,
	    const struct report_errors *warnings);

/* The answer to a submit: a receipt or an error. id is the submission id
 * that was sent. Returns the exit status (<sysexits.h>). */
int	 output_submit(int json, const Gp__Response *, const char *id);

/* The daemon's error answer, for any request. Returns the exit status. */
int	 output_error(int json, const Gp__Error *);

#endif
