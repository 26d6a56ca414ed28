/*
 * Refusals on record: the audit entry is written before the refusal is
 * sent, so that what a peer was told is always in the audit table.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "validate.h"
#include "writer.h"

#define REQUEST_DETAIL_MAX	200

struct refusal {
	struct job	 job;		/* first */
	struct peer	*peer;
	struct reply	*reply;
	char		 unit[REPORT_MAX_UNIT + 1];
	char		 period[REPORT_MAX_PERIOD + 1];
	char		 detail[REQUEST_DETAIL_MAX];
};

const char *
request_printable(const char *s, size_t max)
{
	size_t	len;

	if (s == NULL)
		return "-";
	len = strlen(s);
	if (len > max || validate_text(s, len, 0) == -1)
		return "?";
	return s;
}

static void
request_refused(struct job *job)
{
	struct refusal	*rf = (struct refusal *)job;
	struct peer	*p = rf->peer;

	if (job->status != STORE_OK) {
		log_warnx("session=%" PRIu64 " cn=%s refusal of %s not "
		    "recorded: %s", p->id, p->cn, job->action, job->error);
		/* Not told as if on record. */
		rf->reply->error.n_field_errors = 0;
		if (job->status == STORE_FULL) {
			reply_error(rf->reply, GP__ERROR_CODE__STORAGE_FULL,
			    "server storage full: the request could not be "
			    "recorded; try later");
			rf->reply->error.retry_after = REQUEST_RETRY_FULL;
			rf->reply->error.has_retry_after = 1;
		} else
			reply_error(rf->reply, GP__ERROR_CODE__INTERNAL,
			    "the server could not record the request; nothing "
			    "was done, try again later");
	}
	p->answer(p->arg, rf->reply);
	reply_free(rf->reply);
	free(rf);
}

enum request_result
request_refuse(struct peer *p, struct reply *reply, const char *action,
    const char *unit, const char *period, const char *detail)
{
	struct refusal	*rf;
	struct job	*job;

	if ((rf = calloc(1, sizeof(*rf))) == NULL) {
		/* Nothing on record, so no refusal either. */
		reply->error.n_field_errors = 0;
		reply_error(reply, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return REQUEST_REPLIED;
	}
	rf->peer = p;
	rf->reply = reply;
	job = &rf->job;
	job->type = JOB_AUDIT;
	job->worker = p->worker;
	job->done = request_refused;
	job->meta.received_at = time(NULL);
	job->meta.cn = p->cn;
	job->meta.fingerprint = p->fingerprint;
	job->action = action;
	if (unit != NULL) {
		snprintf(rf->unit, sizeof(rf->unit), "%s", unit);
		job->unit = rf->unit;
	}
	if (period != NULL) {
		snprintf(rf->period, sizeof(rf->period), "%s", period);
		job->period = rf->period;
	}
	job->result = "refused";
	snprintf(rf->detail, sizeof(rf->detail), "%s", detail);
	job->detail = rf->detail;
	writer_queue(p->writer, job);
	return REQUEST_PENDING;
}

enum request_result
request_deny(struct peer *p, struct reply *reply, const char *action,
    const char *period, const char *fmt, ...)
{
	va_list	ap;
	char	detail[160];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	log_warnx("session=%" PRIu64 " cn=%s request=%s result=denied: %s",
	    p->id, p->cn, action, detail);
	reply_error(reply, GP__ERROR_CODE__PERMISSION_DENIED,
	    "permission denied: %s", detail);
	return request_refuse(p, reply, action, NULL, period != NULL ?
	    request_printable(period, REPORT_MAX_PERIOD) : NULL, detail);
}
