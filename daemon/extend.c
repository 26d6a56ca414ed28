/*
 * gp-client extend: one unit's due date for a period moved later, or the
 * extension taken away. Checked here against the registry and the form
 * of the period; the change and its audit entry are one put in the
 * writer's batch, answered once that batch has committed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extend.h"
#include "form.h"
#include "log.h"
#include "period.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "settings.h"
#include "units.h"
#include "validate.h"
#include "writer.h"

struct extend_job {
	struct job	 job;		/* first */
	struct peer	*peer;
	struct reply	*reply;
	char		 unit[REPORT_MAX_UNIT + 1];
	char		 period[REPORT_MAX_PERIOD + 1];
	char		 until[DATE_LEN + 1];
	char		 reason[REPORT_MAX_SHORT + 1];
	int32_t		 due;		/* the form's */
};

/* On the worker's loop, once the writer is done. */
static void
extend_done(struct job *job)
{
	struct extend_job	*ej = (struct extend_job *)job;
	struct peer		*p = ej->peer;
	struct reply		*hr = ej->reply;
	Gp__ExtendResponse	*er;
	char			 qcn[LOG_QUOTE_MAX];

	if (job->status != STORE_OK) {
		log_warnx("session=%" PRIu64 " extend %s %s failed: %s", p->id,
		    ej->unit, ej->period, job->error);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server could "
		    "not change the due date; nothing was changed, try again "
		    "later");
	} else if ((er = reply_alloc(hr, sizeof(*er))) == NULL ||
	    (gp__extend_response__init(er),
	    er->unit = reply_strdup(hr, ej->unit)) == NULL ||
	    (er->period = reply_strdup(hr, ej->period)) == NULL ||
	    (er->due = reply_date(hr, ej->due)) == NULL ||
	    (ej->until[0] != '\0' && (er->until = reply_strdup(hr,
	    ej->until)) == NULL) ||
	    (job->previous[0] != '\0' && (er->previous_until =
	    reply_strdup(hr, job->previous)) == NULL)) {
		log_warnx("session=%" PRIu64 " extend %s %s done; out of "
		    "memory for the answer", p->id, ej->unit, ej->period);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the due date of %s "
		    "for %s was changed but the server ran out of memory for "
		    "its answer", ej->unit, ej->period);
	} else {
		log_info("session=%" PRIu64 " cn=%s extend unit=%s period=%s "
		    "until=%s changed=%d", p->id, log_quote(qcn, sizeof(qcn),
		    p->cn), ej->unit, ej->period, ej->until[0] != '\0' ?
		    ej->until : "-", job->changed);
		er->changed = job->changed != 0;
		er->has_changed = 1;
		hr->resp.body_case = GP__RESPONSE__BODY_EXTEND;
		hr->resp.extend = er;
	}
	p->answer(p->arg, hr);
	reply_free(hr);
	free(ej);
}

/* The reason: optional text of one line, as a report's short fields. */
static int
extend_reason(struct reply *hr, const Gp__ExtendRequest *rq, char *out)
{
	if (!rq->has_reason || rq->reason.len == 0) {
		out[0] = '\0';
		return 0;
	}
	if (rq->reason.len > REPORT_MAX_SHORT) {
		reply_invalid(hr, "reason", "too long", "the reason is longer "
		    "than 200 bytes: say it in fewer words");
		return -1;
	}
	if (memchr(rq->reason.data, '\0', rq->reason.len) != NULL ||
	    validate_text((const char *)rq->reason.data, rq->reason.len, 0) ==
	    -1) {
		reply_invalid(hr, "reason", "not text", "the reason holds "
		    "bytes that are not text (invalid UTF-8, control or "
		    "invisible characters): type it again");
		return -1;
	}
	memcpy(out, rq->reason.data, rq->reason.len);
	out[rq->reason.len] = '\0';
	return 0;
}

enum request_result
extend_request(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const Gp__ExtendRequest	*rq = req->extend;
	const struct unit	*u;
	const struct form	*f;
	struct extend_job	*ej;
	struct period		 pd;
	char			*cause = NULL, due[DATE_LEN + 1];
	int32_t			 until = 0;

	(void)out;
	if (rq->unit == NULL || validate_unit_code(rq->unit) == -1) {
		reply_invalid(hr, "unit", "not a unit code", "give the unit's "
		    "code, such as lc-tamduong");
		return REQUEST_REPLIED;
	}
	if ((u = units_find(p->set->units, rq->unit)) == NULL) {
		reply_error(hr, GP__ERROR_CODE__INVALID, "unit %s is not in "
		    "the unit registry: see 'gp-client units'", rq->unit);
		return REQUEST_REPLIED;
	}
	if (rq->period == NULL || form_set_period(p->set->forms, rq->period,
	    &f, &pd, &cause) == -1) {
		reply_invalid(hr, "period", cause != NULL ? cause : "required",
		    cause != NULL ? cause : "no period given");
		free(cause);
		return REQUEST_REPLIED;
	}
	if (u->valid_from > pd.to || u->valid_to < pd.from) {
		reply_error(hr, GP__ERROR_CODE__INVALID, "unit %s is not "
		    "expected to report for %s (not valid during its "
		    "coverage)", rq->unit, rq->period);
		return REQUEST_REPLIED;
	}
	date_format(pd.due, due);
	if (rq->has_clear && rq->clear) {
		if (rq->until != NULL) {
			reply_invalid(hr, "until", "with clear", "give a new "
			    "due date or clear the extension, not both");
			return REQUEST_REPLIED;
		}
	} else if (rq->until == NULL || date_parse(rq->until, &until) == -1) {
		reply_invalid(hr, "until", "not a date", "give the new due "
		    "date as YYYY-MM-DD");
		return REQUEST_REPLIED;
	} else if (until <= pd.due || until > pd.due + EXTEND_DAYS_MAX) {
		reply_error(hr, GP__ERROR_CODE__INVALID, "%s is not after the "
		    "due date %s of %s or is more than a year after it: give "
		    "a date between", rq->until, due, rq->period);
		return REQUEST_REPLIED;
	}
	if ((ej = calloc(1, sizeof(*ej))) == NULL) {
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return REQUEST_REPLIED;
	}
	if (extend_reason(hr, rq, ej->reason) == -1) {
		free(ej);
		return REQUEST_REPLIED;
	}
	ej->peer = p;
	ej->reply = hr;
	ej->due = pd.due;
	snprintf(ej->unit, sizeof(ej->unit), "%s", rq->unit);
	snprintf(ej->period, sizeof(ej->period), "%s", rq->period);
	if (rq->until != NULL)
		date_format(until, ej->until);
	ej->job.type = JOB_EXTEND;
	ej->job.worker = p->worker;
	ej->job.done = extend_done;
	ej->job.meta.received_at = time(NULL);
	ej->job.meta.cn = p->cn;
	ej->job.meta.fingerprint = p->fingerprint;
	ej->job.unit = ej->unit;
	ej->job.period = ej->period;
	ej->job.until = ej->until[0] != '\0' ? ej->until : NULL;
	ej->job.detail = ej->reason;
	writer_queue(p->writer, &ej->job);
	return REQUEST_PENDING;
}
