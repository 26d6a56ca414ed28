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
 *   web.c	web (runs gp-client-web, the form in the browser: web.h)
 *   setup.c	setup (a unit's bundle from gp-ca, installed)
 *   admin*.c	the administrators' queries and writes
 */
#ifndef GP_CLIENT_H
#define GP_CLIENT_H

#include <sys/types.h>

#include "cmd.h"
#include "conf.h"
#include "conn.h"
#include "deliver.h"
#include "outbox.h"
#include "queue.h"
#include "report_conf.h"

#define CLIENT_STDIN_NAME	N_("standard input")

struct client {
	const char		*config;	/* the file read, or NULL */
	const char		*config_arg;	/* -c */
	char			*config_path;	/* owned */
	char			*config_looked;	/* the user's, when none */
	int			 json;		/* before or after the command */
	int			 csv;
	struct conn_config	 args;		/* from the command line */
	const char		*outbox_arg;	/* --outbox */
	int			 retries_arg;	/* --retries; -1: not given */
	struct conf		 file;
	struct conn_config	 conn;		/* args over file */
	char			*outbox;	/* the outbox's path, owned */
	char			*state_dir;	/* its directory, or NULL */
	char			*outbox_error;	/* or why there is none */
	char			*config_error;	/* why it is refused */
	struct deliver_policy	 policy;
};

/* Where a command without its settings can find them: the configuration
 * looked for and the command that makes it (malloc'd; NULL when out of
 * memory). */
char	*client_no_config(const struct client *);

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
extern const struct cmd_entry	cmd_web_entry;
extern const struct cmd_entry	cmd_setup_entry;
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
extern const struct cmd_entry	cmd_review_entry;
extern const struct cmd_entry	cmd_status_entry;
extern const struct cmd_entry	cmd_report_entry;

#endif
