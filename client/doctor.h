/*
 * gp-client doctor: what is wrong before the deadline, one line per check
 * with what to do. Checks that need what an earlier one found broken are
 * skipped rather than failed twice.
 */
#ifndef GP_DOCTOR_H
#define GP_DOCTOR_H

#include "conn.h"

#define DOCTOR_EXPIRY_WARN_DAYS	30
#define DOCTOR_CLOCK_WARN	60	/* seconds */
#define DOCTOR_CLOCK_FAIL	3600

struct doctor_input {
	const char		*config;	/* the file read, or NULL */
	const char		*config_error;	/* why not, or NULL */
	const char		*no_config;	/* without a file: where it
						   was looked for, what makes
						   it */
	struct conn_config	 conn;		/* NULL fields are missing */
	const char		*outbox;	/* path, or NULL */
	const char		*outbox_error;	/* why there is none */
};

/* Runs every check and prints them. Returns 0 when none failed (a WARN
 * passes), else the status of the first that failed. */
int	doctor_run(const struct doctor_input *, int json);

#endif
