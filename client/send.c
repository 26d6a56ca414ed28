/*
 * submit's sending (send.h): the files, the outbox, then the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "output.h"
#include "outbox.h"
#include "queue.h"
#include "send.h"
#include "trace.h"

/* Sends r; as_new, when not NULL, is r itself, sent by queue_as_new. */
static int
send_run(const struct send_config *sc, const struct report *r,
    struct report *as_new)
{
	struct conn	*conn = NULL;
	struct outbox	*ob = NULL;
	struct queue	 q;
	char		*cause = NULL, *problem = NULL;
	int		 status;

	/* The files first: a configuration error queues nothing. */
	if ((conn = conn_new(sc->conn, &cause)) == NULL) {
		status = EX_CONFIG;
		output_failure(sc->json, status, cause);
		goto done;
	}
	trace_mark("tls set up");
	/* The handshake proceeds while the report is written to the outbox
	 * and synced: the report itself is sent only once it is kept. */
	conn_begin(conn);
	if (sc->outbox != NULL &&
	    (ob = outbox_open(sc->outbox, 1, &cause)) == NULL) {
		if (asprintf(&problem, "%s", cause != NULL ? cause :
		    "out of memory") == -1)
			problem = NULL;
		free(cause);
		cause = NULL;
	} else if (sc->outbox == NULL)
		problem = sc->outbox_error != NULL ?
		    strdup(sc->outbox_error) : NULL;
	trace_mark("outbox opened");

	memset(&q, 0, sizeof(q));
	q.ob = ob;
	q.conn = conn;
	q.policy = sc->policy;
	q.json = sc->json;
	q.tty = sc->tty;
	q.self = getpid();
	q.lease = queue_lease(sc->policy, sc->conn->timeout);
	if (as_new != NULL)
		status = queue_as_new(&q, as_new, "--as-new sends the report "
		    "now or not at all");
	else if (sc->no_queue)
		status = queue_direct(&q, r, NULL);
	else if (ob == NULL)
		status = queue_direct(&q, r, problem != NULL ? problem :
		    "out of memory");
	else
		status = queue_submit(&q, r);

done:
	free(problem);
	free(cause);
	outbox_close(ob);
	conn_free(conn);
	return status;
}

int
send_report(const struct send_config *sc, const struct report *r)
{
	return send_run(sc, r, NULL);
}

int
send_report_as_new(const struct send_config *sc, struct report *r)
{
	return send_run(sc, r, r);
}
