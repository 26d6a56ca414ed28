/*
 * Refusals on record: the audit entry is written before the refusal is
 * sent, so that what a peer was told is always in the audit table. The
 * same refusal again from the same certificate within a minute is
 * counted, and the count written as one entry when the minute ends: a
 * peer cannot fill the disk with refusals.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "period.h"
#include "refusals.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "settings.h"
#include "validate.h"
#include "writer.h"

#define REQUEST_DETAIL_MAX	(200 + 2 * (LOG_QUOTE_MAX + 16))

struct refusal {
	struct job	 job;		/* first */
	struct peer	*peer;
	struct reply	*reply;
	const char	*kind;
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
	char		 qcn[LOG_QUOTE_MAX];

	if (job->status != STORE_OK) {
		log_warnx("session=%" PRIu64 " cn=%s refusal of %s not "
		    "recorded: %s", p->id, log_quote(qcn, sizeof(qcn), p->cn),
		    job->action, job->error);
		/* The next one of its kind is written again; what was
		 * counted meanwhile is written now if it can be. */
		if (p->refusals != NULL)
			refusals_forget(p->refusals, p->fingerprint,
			    job->action, rf->kind, request_summary, p->writer);
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

/* The unit and period of a refusal for the audit's columns: only what
 * has their form; the rest is kept, escaped, in the detail. */
static void
request_columns(struct refusal *rf, const char *unit,
    const char *period, const char *detail)
{
	struct period_rules rules;
	struct period	 pd;
	const char	*errstr;
	char		 q[LOG_QUOTE_MAX];
	size_t		 len;

	snprintf(rf->detail, sizeof(rf->detail), "%s", detail);
	if (unit != NULL && validate_unit_code(unit) == 0) {
		snprintf(rf->unit, sizeof(rf->unit), "%s", unit);
		rf->job.unit = rf->unit;
	} else if (unit != NULL) {
		len = strlen(rf->detail);
		snprintf(rf->detail + len, sizeof(rf->detail) - len,
		    " unit=%s", log_quote(q, sizeof(q), unit));
	}
	/* Its form: each year's form has its dates, the id its shape. */
	period_rules_default(&rules);
	if (period != NULL && strlen(period) <= REPORT_MAX_PERIOD &&
	    period_parse(period, &rules, &pd, &errstr) == 0) {
		snprintf(rf->period, sizeof(rf->period), "%s", period);
		rf->job.period = rf->period;
	} else if (period != NULL) {
		len = strlen(rf->detail);
		snprintf(rf->detail + len, sizeof(rf->detail) - len,
		    " period=%s", log_quote(q, sizeof(q), period));
	}
}

enum request_result
request_refuse(struct peer *p, struct reply *reply, const char *action,
    const char *kind, const char *unit, const char *period,
    const char *detail)
{
	struct refusal	*rf;
	struct job	*job;
	time_t		 now = time(NULL);
	char		 qcn[LOG_QUOTE_MAX], qu[LOG_QUOTE_MAX];
	char		 qp[LOG_QUOTE_MAX], qd[REQUEST_DETAIL_MAX + 16];

	p->refused++;
	/* Told at once; on record with the others of its minute. */
	if (p->refusals != NULL && refusals_note(p->refusals, p->fingerprint,
	    p->cn, action, kind, now) == REFUSAL_COUNTED)
		return REQUEST_REPLIED;
	if ((rf = calloc(1, sizeof(*rf))) == NULL) {
		/* Nothing on record, so no refusal either. */
		if (p->refusals != NULL)
			refusals_forget(p->refusals, p->fingerprint, action,
			    kind, request_summary, p->writer);
		reply->error.n_field_errors = 0;
		reply_error(reply, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return REQUEST_REPLIED;
	}
	rf->peer = p;
	rf->reply = reply;
	rf->kind = kind;
	job = &rf->job;
	job->type = JOB_AUDIT;
	job->worker = p->worker;
	job->done = request_refused;
	job->meta.received_at = now;
	job->meta.cn = p->cn;
	job->meta.fingerprint = p->fingerprint;
	job->action = action;
	job->result = "refused";
	request_columns(rf, unit, period, detail);
	job->detail = rf->detail;
	log_warnx("session=%" PRIu64 " cn=%s request=%s result=refused "
	    "unit=%s period=%s detail=%s", p->id,
	    log_quote(qcn, sizeof(qcn), p->cn), action,
	    log_quote(qu, sizeof(qu), rf->job.unit),
	    log_quote(qp, sizeof(qp), rf->job.period),
	    log_quote(qd, sizeof(qd), rf->detail));
	writer_queue(p->writer, job);
	return REQUEST_PENDING;
}

enum request_result
request_deny(struct peer *p, struct reply *reply, const char *action,
    const char *kind, const char *period, const char *fmt, ...)
{
	va_list	ap;
	char	detail[160];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	reply_error(reply, GP__ERROR_CODE__PERMISSION_DENIED,
	    "permission denied: %s", detail);
	return request_refuse(p, reply, action, kind, NULL, period, detail);
}

void
request_summary(void *arg, const struct refusal_summary *sum)
{
	struct writer	*writer = arg;
	struct tm	 tm;
	char		 since[32], detail[256], qcn[LOG_QUOTE_MAX];

	if (gmtime_r(&sum->since, &tm) == NULL ||
	    strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(since, sizeof(since), "?");
	snprintf(detail, sizeof(detail), "repeated %lu times in the minute "
	    "since %s: %s", sum->count, since, sum->kind);
	log_warnx("refusals cn=%s fingerprint=%s request=%s repeated=%lu "
	    "since=%s kind=\"%s\"", log_quote(qcn, sizeof(qcn), sum->cn),
	    sum->fingerprint, sum->action, sum->count, since, sum->kind);
	writer_event(writer, sum->cn, sum->fingerprint, sum->action,
	    "refused", detail);
}
