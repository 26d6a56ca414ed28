/*
 * The outbox in motion: submit and flush, on top of outbox.c (what is
 * stored) and deliver.c (one report to the server, with retries).
 *
 * submit queues the report first, then sends what waits for the same unit
 * and period in order, its own report last: so the report is never lost
 * between the office and the province, and revisions reach the server in
 * the order they were made. What the server refuses for good is shown
 * and not kept; what could not be delivered stays queued.
 */
#ifndef GP_QUEUE_H
#define GP_QUEUE_H

#include <sys/types.h>

#include <stdint.h>

#include "report.h"
#include "conn.h"
#include "deliver.h"
#include "outbox.h"

struct queue {
	struct outbox			*ob;	/* NULL: no outbox */
	struct conn			*conn;
	const struct deliver_policy	*policy;
	int				 json;
	int				 tty;	/* progress and retry notes */
	pid_t				 self;
	int64_t				 lease;	/* seconds a claim lasts */
};

/* The longest one delivery can take under policy and timeout, plus a
 * margin: how long a claim lasts. */
int64_t	 queue_lease(const struct deliver_policy *, int timeout);

/*
 * Sends r (valid, id set) through the outbox q->ob. Prints the receipt,
 * the refusal, or that the report is queued. Returns the exit status.
 */
int	 queue_submit(struct queue *, const struct report *r);

/*
 * Sends r without queueing it (q->ob NULL or not to be used for it): the
 * receipt is still kept in q->ob when there is one. outbox_problem, when
 * not NULL, says why the report could not be queued. Returns the exit
 * status.
 */
int	 queue_direct(struct queue *, const struct report *r,
	    const char *outbox_problem);

/*
 * submit --as-new: sends r now (never queued; outbox_problem says why
 * when the server cannot be reached) and, when the server holds it as
 * an older revision, again as a new revision under an id derived from
 * its content and the revision it supersedes (report_as_new_id), which
 * becomes r's. Prints the receipt or the refusal; returns the status.
 */
int	 queue_as_new(struct queue *, struct report *r,
	    const char *outbox_problem);

/* Sends every waiting entry, oldest first. Returns the exit status: 0 only
 * when the outbox is empty afterwards. */
int	 queue_flush(struct queue *);

#endif
