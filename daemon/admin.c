/*
 * Administrators' writes: locking and unlocking a period. The change and
 * its audit entry are one put in the writer's batch; the answer is sent
 * once that batch has committed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "config.h"
#include "log.h"
#include "period.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "settings.h"
#include "writer.h"

struct admin_lock {
	struct job	 job;		/* first */
	struct peer	*peer;
	struct reply	*reply;
	char		 period[REPORT_MAX_PERIOD + 1];
};

/* On the worker's loop, once the writer is done. */
static void
admin_lock_done(struct job *job)
{
	struct admin_lock	*al = (struct admin_lock *)job;
	struct peer		*p = al->peer;
	struct reply		*hr = al->reply;
	Gp__LockResponse	*lr;
	char			 qcn[LOG_QUOTE_MAX], qp[LOG_QUOTE_MAX];

	log_quote(qcn, sizeof(qcn), p->cn);
	log_quote(qp, sizeof(qp), al->period);
	if (job->status != STORE_OK) {
		log_warnx("session=%" PRIu64 " %s period=%s failed: %s", p->id,
		    job->lock ? "lock" : "unlock", qp, job->error);
		reply_error(hr, job->status == STORE_FULL ?
		    GP__ERROR_CODE__STORAGE_FULL : GP__ERROR_CODE__INTERNAL,
		    "the server could not change the lock; nothing was "
		    "changed, try again later");
	} else if ((lr = reply_alloc(hr, sizeof(*lr))) == NULL ||
	    (gp__lock_response__init(lr),
	    lr->period = reply_strdup(hr, al->period)) == NULL) {
		/* Done and on record, but not told: say so. */
		log_warnx("session=%" PRIu64 " %s period=%s done; out of memory "
		    "for the answer", p->id, job->lock ? "lock" : "unlock", qp);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the %s of %s was "
		    "recorded but the server ran out of memory for its answer",
		    job->lock ? "lock" : "unlock", al->period);
	} else {
		log_info("session=%" PRIu64 " cn=%s %s period=%s changed=%d",
		    p->id, qcn, job->lock ? "lock" : "unlock", qp,
		    job->changed);
		lr->locked = job->lock != 0;
		lr->has_locked = 1;
		lr->changed = job->changed != 0;
		lr->has_changed = 1;
		hr->resp.body_case = GP__RESPONSE__BODY_LOCK;
		hr->resp.lock = lr;
	}
	p->answer(p->arg, hr);
	reply_free(hr);
	free(al);
}

enum request_result
admin_lock(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	struct admin_lock	*al;
	struct period		 pd;
	const char		*errstr;

	(void)out;
	if (req->lock->period == NULL) {
		reply_invalid(hr, "period", "required", "no period given");
		return REQUEST_REPLIED;
	}
	if (period_parse(req->lock->period, &p->set->conf->periods, &pd,
	    &errstr) == -1) {
		reply_invalid(hr, "period", errstr,
		    "not a period: give YYYY-H1 or YYYY");
		return REQUEST_REPLIED;
	}
	if ((al = calloc(1, sizeof(*al))) == NULL) {
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return REQUEST_REPLIED;
	}
	al->peer = p;
	al->reply = hr;
	snprintf(al->period, sizeof(al->period), "%s", req->lock->period);
	al->job.type = JOB_LOCK;
	al->job.worker = p->worker;
	al->job.done = admin_lock_done;
	al->job.meta.received_at = time(NULL);
	al->job.meta.cn = p->cn;
	al->job.meta.fingerprint = p->fingerprint;
	al->job.period = al->period;
	al->job.lock = req->lock->has_lock && req->lock->lock;
	writer_queue(p->writer, &al->job);
	return REQUEST_PENDING;
}
