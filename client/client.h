/*
 * gp-client's state for one run, and its commands. main (gp-client.c)
 * reads the global options and, for the commands that need them, the
 * configuration file, then runs one command of the table through its
 * entry (cmd.h). Each command lives with its kind:
 *
 *   submit.c	a unit's report: submit, validate, template, form
 *   kept.c	what is kept on this machine: flush, outbox, receipts,
 *		verify-receipt
 *   doctor.c	doctor
 *   admin*.c	the administrators' queries and writes
 */
#ifndef GP_CLIENT_H
#define GP_CLIENT_H

#include <sys/types.h>

#include "cmd.h"
#include "conn.h"
#include "deliver.h"
#include "outbox.h"
#include "queue.h"

#define CLIENT_STDIN_NAME	"standard input"
#define CLIENT_CONF_ENV		"GP_CLIENT_CONF"

/* The settings a configuration file may hold, owned. */
struct client_file {
	char		*server;
	char		*ca;
	char		*cert;
	char		*key;
	char		*outbox;
	char		*timezone;	/* before the server names one */
	int		 timeout;
	int		 retries;	/* -1: not set */
	char		 error[160];	/* the first problem, for the user */
};

struct client {
	const char		*config;	/* -c or $GP_CLIENT_CONF */
	int			 json;		/* before or after the command */
	int			 csv;
	struct conn_config	 args;		/* from the command line */
	const char		*outbox_arg;	/* --outbox */
	int			 retries_arg;	/* --retries; -1: not given */
	struct client_file	 file;
	struct conn_config	 conn;		/* args over file */
	char			*outbox;	/* the outbox's path, owned */
	char			*state_dir;	/* its directory, or NULL */
	char			*outbox_error;	/* or why there is none */
	char			*config_error;	/* for doctor */
	struct deliver_policy	 policy;
};

/* A failure said the usual way (output_failure, with cl's --json).
 * Returns status. */
int	 client_fail(const struct client *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The queue settings every command that sends shares. */
void	 client_queue(struct client *, struct queue *, struct conn *,
	    struct outbox *);

extern const struct cmd_entry	cmd_submit_entry;
extern const struct cmd_entry	cmd_validate_entry;
extern const struct cmd_entry	cmd_template_entry;
extern const struct cmd_entry	cmd_form_entry;
extern const struct cmd_entry	cmd_flush_entry;
extern const struct cmd_entry	cmd_outbox_entry;
extern const struct cmd_entry	cmd_receipts_entry;
extern const struct cmd_entry	cmd_verify_receipt_entry;
extern const struct cmd_entry	cmd_doctor_entry;
extern const struct cmd_entry	cmd_units_entry;
extern const struct cmd_entry	cmd_list_entry;
extern const struct cmd_entry	cmd_show_entry;
extern const struct cmd_entry	cmd_history_entry;
extern const struct cmd_entry	cmd_missing_entry;
extern const struct cmd_entry	cmd_summary_entry;
extern const struct cmd_entry	cmd_export_entry;
extern const struct cmd_entry	cmd_lock_entry;
extern const struct cmd_entry	cmd_unlock_entry;
extern const struct cmd_entry	cmd_extend_entry;
extern const struct cmd_entry	cmd_audit_entry;

#endif
