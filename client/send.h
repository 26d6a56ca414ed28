/*
 * Sending one valid report the way `gp-client submit` does: through the
 * outbox (queued first, sent in order, kept when the server cannot be
 * reached, never delivered twice), or straight to the server when there
 * is no outbox or the user asked for none. gp-client submit and
 * gp-client-web (the page's "gửi báo cáo") both send through here.
 *
 * The outcome is said through output.c: a receipt, a refusal, that the
 * report waits in the outbox, or a failure; with json, as the one object
 * `submit --json` prints (output_capture takes it instead of standard
 * output).
 */
#ifndef GP_SEND_H
#define GP_SEND_H

#include "report.h"
#include "conn.h"
#include "deliver.h"

struct send_config {
	const struct conn_config	*conn;
	const struct deliver_policy	*policy;
	const char			*outbox;	/* path; NULL: none */
	const char			*outbox_error;	/* why there is none */
	int				 json;
	int				 tty;		/* retry notes */
	int				 no_queue;	/* never queue this one */
};

/* Sends r (valid, its id set). Returns the exit status (<sysexits.h>):
 * 0 for a receipt (also a duplicate), 75 when it waits in the outbox. */
int	 send_report(const struct send_config *, const struct report *r);
/* submit --as-new: r sent now, never queued, and stored again as the
 * latest revision when the server holds it as an older one; r gets the
 * id it was stored under (queue_as_new). */
int	 send_report_as_new(const struct send_config *, struct report *r);

#endif
