/*
 * The province's review of stored reports (issue 17). A decision is
 * checked here, stored by the writer with its audit entry in the next
 * batch, and answered once that batch has committed: it is signed only
 * then, with the receipt key, over the text of receipt.h's
 * decision_payload. A unit's status reads one snapshot and answers in
 * one frame: every period whose form gpd serves.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "form.h"
#include "log.h"
#include "period.h"
#include "query.h"
#include "readers.h"
#include "receipt.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "review.h"
#include "settings.h"
#include "store.h"
#include "text.h"
#include "tls.h"
#include "tz.h"
#include "units.h"
#include "validate.h"
#include "writer.h"

struct review_job {
	struct job	 job;		/* first */
	struct peer	*peer;
	struct reply	*reply;
	char		 unit[REPORT_MAX_UNIT + 1];
	char		 period[REPORT_MAX_PERIOD + 1];
	char		 action[8];
	char		*comment;	/* NFC, or NULL */
};

static void
review_job_free(struct review_job *rj)
{
	if (rj == NULL)
		return;
	free(rj->comment);
	free(rj);
}

/* The signed decision in the reply. */
static int
review_signed(struct review_job *rj)
{
	struct peer			*p = rj->peer;
	struct reply			*hr = rj->reply;
	const struct store_decision	*d = &rj->job.decision;
	const struct store_review	*in = &rj->job.review;
	struct decision_fields		 f;
	Gp__ReviewResponse		*rr;
	Gp__Decision			*dm;
	char				 payload[RECEIPT_PAYLOAD_MAX];
	uint8_t				*sig = NULL;
	size_t				 siglen;
	int				 n;

	if ((rr = reply_alloc(hr, sizeof(*rr))) == NULL ||
	    (dm = reply_alloc(hr, sizeof(*dm))) == NULL)
		return -1;
	gp__review_response__init(rr);
	gp__decision__init(dm);
	dm->decision = reply_strdup(hr, d->decision);
	dm->unit = reply_strdup(hr, in->unit);
	dm->period = reply_strdup(hr, in->period);
	dm->revision = in->revision;
	dm->has_revision = 1;
	dm->report_sha256 = reply_strdup(hr, d->report_sha256);
	dm->action = reply_strdup(hr, in->action);
	dm->state = (char *)(uintptr_t)d->state;
	dm->comment = reply_strdup(hr, in->comment);
	dm->decided_by = reply_strdup(hr, in->cn);
	dm->decided_at = reply_strdup(hr, d->decided_at);
	if (dm->decision == NULL || dm->unit == NULL || dm->period == NULL ||
	    dm->report_sha256 == NULL || dm->action == NULL ||
	    dm->decided_by == NULL || dm->decided_at == NULL ||
	    (in->comment != NULL && dm->comment == NULL))
		return -1;

	memset(&f, 0, sizeof(f));
	f.decision = dm->decision;
	f.unit = dm->unit;
	f.period = dm->period;
	f.revision = dm->revision;
	f.report_sha256 = dm->report_sha256;
	f.action = dm->action;
	f.state = dm->state;
	f.comment_sha256 = d->comment_sha256;
	f.decided_by = dm->decided_by;
	f.decided_at = dm->decided_at;
	if ((n = decision_payload(&f, payload, sizeof(payload))) == -1 ||
	    tls_sign(p->set->receipt_key, payload, (size_t)n, &sig, &siglen)
	    == -1 || (dm->signature.data = reply_alloc(hr, siglen)) == NULL)
		log_warnx("session=%" PRIu64 " decision %s not signed", p->id,
		    dm->decision);
	else {
		memcpy(dm->signature.data, sig, siglen);
		dm->signature.len = siglen;
		dm->has_signature = 1;
		dm->certificate.data = p->set->receipt_cert;
		dm->certificate.len = p->set->receipt_certlen;
		dm->has_certificate = 1;
	}
	free(sig);
	rr->decision = dm;
	hr->resp.body_case = GP__RESPONSE__BODY_REVIEW;
	hr->resp.review = rr;
	return 0;
}

/* A decision that does not fit what is stored: why, in the reply. */
static void
review_refused(struct review_job *rj)
{
	const struct store_decision	*d = &rj->job.decision;
	const struct store_review	*in = &rj->job.review;
	struct reply			*hr = rj->reply;

	switch (d->refused) {
	case STORE_REVIEW_NO_REPORT:
		reply_error(hr, GP__ERROR_CODE__INVALID, "%s has not reported "
		    "for %s: there is nothing to review", in->unit,
		    in->period);
		break;
	case STORE_REVIEW_NO_REVISION:
		reply_error(hr, GP__ERROR_CODE__INVALID, "%s has no revision "
		    "%u for %s; the latest is revision %u", in->unit,
		    in->revision, in->period, d->latest);
		break;
	case STORE_REVIEW_STALE:
		reply_error(hr, GP__ERROR_CODE__CONFLICT, "revision %u arrived "
		    "after you read revision %u: nothing was decided; read "
		    "revision %u (gp-client show %s %s) and decide again",
		    d->latest, in->revision, d->latest, in->unit, in->period);
		break;
	default:
		if (strcmp(d->was, STORE_STATE_ACCEPTED) == 0)
			reply_error(hr, GP__ERROR_CODE__CONFLICT, "revision %u "
			    "of %s %s is already accepted%s", in->revision,
			    in->unit, in->period, strcmp(in->action,
			    "return") == 0 ? ": reopen it first, with a "
			    "comment saying why" : "");
		else if (strcmp(d->was, STORE_STATE_RETURNED) == 0)
			reply_error(hr, GP__ERROR_CODE__CONFLICT, "revision %u "
			    "of %s %s was already returned%s", in->revision,
			    in->unit, in->period, strcmp(in->action,
			    "reopen") == 0 ? ": only an accepted report is "
			    "reopened" : "; the unit's next revision comes "
			    "back for review");
		else
			reply_error(hr, GP__ERROR_CODE__CONFLICT, "revision %u "
			    "of %s %s is not accepted: there is nothing to "
			    "reopen", in->revision, in->unit, in->period);
		break;
	}
}

/* On the worker's loop, once the writer is done. */
static void
review_done(struct job *job)
{
	struct review_job	*rj = (struct review_job *)job;
	struct peer		*p = rj->peer;
	struct reply		*hr = rj->reply;
	char			 qcn[LOG_QUOTE_MAX], qu[LOG_QUOTE_MAX];
	char			 qp[LOG_QUOTE_MAX];

	/* The action is one of three words (review_decide); the rest came
	 * from the peer. */
	log_quote(qcn, sizeof(qcn), p->cn);
	log_quote(qu, sizeof(qu), rj->unit);
	log_quote(qp, sizeof(qp), rj->period);
	if (job->status != STORE_OK) {
		log_warnx("session=%" PRIu64 " cn=%s review %s unit=%s "
		    "period=%s failed: %s", p->id, qcn, rj->action, qu, qp,
		    job->error);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server could "
		    "not record the decision; nothing was decided, try again "
		    "later");
	} else if (job->decision.refused != STORE_REVIEW_DONE) {
		log_info("session=%" PRIu64 " cn=%s review %s unit=%s "
		    "period=%s revision=%u result=refused latest=%u", p->id,
		    qcn, rj->action, qu, qp, job->review.revision,
		    job->decision.latest);
		review_refused(rj);
	} else if (review_signed(rj) == -1) {
		/* Done and on record, but not told: say so. */
		log_warnx("session=%" PRIu64 " cn=%s review %s unit=%s "
		    "period=%s done; out of memory for the answer", p->id, qcn,
		    rj->action, qu, qp);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the decision was "
		    "recorded but the server ran out of memory for its answer; "
		    "see 'gp-client history %s %s'", rj->unit, rj->period);
	} else
		log_info("session=%" PRIu64 " cn=%s review %s unit=%s "
		    "period=%s revision=%u state=%s decision=%s", p->id, qcn,
		    rj->action, qu, qp, job->review.revision,
		    job->decision.state, job->decision.decision);
	p->answer(p->arg, hr);
	reply_free(hr);
	review_job_free(rj);
}

/*
 * The comment as sent: at most STORE_COMMENT_MAX bytes of text (lines
 * allowed), in NFC; blank is none. Returns 0 with *out (malloc'd, or
 * NULL), or -1 with the refusal in hr.
 */
static int
review_comment(struct reply *hr, const Gp__ReviewRequest *rq, char **out)
{
	const char	*s = (const char *)rq->comment.data;
	size_t		 len = rq->comment.len, i, nlen;
	char		*nfc;

	*out = NULL;
	if (!rq->has_comment || len == 0)
		return 0;
	if (len > STORE_COMMENT_MAX) {
		reply_invalid(hr, "comment", "too long", "a comment is at most "
		    "2000 bytes: say the essentials, the unit can call");
		return -1;
	}
	if (memchr(s, '\0', len) != NULL || validate_text(s, len, 1) == -1) {
		reply_invalid(hr, "comment", "not text", "a comment must be "
		    "UTF-8 text without control or invisible characters");
		return -1;
	}
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r')
			break;
	if (i == len)
		return 0;
	if ((nfc = text_nfc(s, len, &nlen)) == NULL) {
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return -1;
	}
	if (nlen > STORE_COMMENT_MAX) {
		free(nfc);
		reply_invalid(hr, "comment", "too long", "a comment is at most "
		    "2000 bytes: say the essentials, the unit can call");
		return -1;
	}
	*out = nfc;
	return 0;
}

enum request_result
review_decide(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const Gp__ReviewRequest	*rq = req->review;
	const struct form	*f;
	struct review_job	*rj;
	struct period		 pd;
	char			*cause = NULL, *comment = NULL;

	(void)out;
	if (rq->unit == NULL || validate_unit_code(rq->unit) == -1) {
		reply_invalid(hr, "unit", rq->unit == NULL ? "required" :
		    "not a unit code", "give the unit's code, such as "
		    "lc-tamduong");
		return REQUEST_REPLIED;
	}
	if (rq->period == NULL) {
		reply_invalid(hr, "period", "required", "no period given");
		return REQUEST_REPLIED;
	}
	if (form_set_period(p->set->forms, rq->period, &f, &pd, &cause) ==
	    -1) {
		reply_invalid(hr, "period", cause != NULL ? cause : "not a "
		    "period", cause != NULL ? cause : "not a period: give "
		    "YYYY-H1 or YYYY");
		free(cause);
		return REQUEST_REPLIED;
	}
	if (rq->action == NULL || (strcmp(rq->action, "accept") != 0 &&
	    strcmp(rq->action, "return") != 0 &&
	    strcmp(rq->action, "reopen") != 0)) {
		reply_invalid(hr, "action", "one of: accept, return, reopen",
		    "a decision is accept, return or reopen");
		return REQUEST_REPLIED;
	}
	if (!rq->has_revision || rq->revision == 0) {
		reply_invalid(hr, "revision", "required", "a decision names the "
		    "revision it is taken on");
		return REQUEST_REPLIED;
	}
	if (review_comment(hr, rq, &comment) == -1)
		return REQUEST_REPLIED;
	if (comment == NULL && strcmp(rq->action, "accept") != 0) {
		reply_invalid(hr, "comment", "required", strcmp(rq->action,
		    "return") == 0 ? "a report is returned with a comment "
		    "saying what to correct" : "a report is reopened with a "
		    "comment saying why");
		return REQUEST_REPLIED;
	}
	if ((rj = calloc(1, sizeof(*rj))) == NULL) {
		free(comment);
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server is out "
		    "of memory; try again later");
		return REQUEST_REPLIED;
	}
	rj->peer = p;
	rj->reply = hr;
	rj->comment = comment;
	snprintf(rj->unit, sizeof(rj->unit), "%s", rq->unit);
	snprintf(rj->period, sizeof(rj->period), "%s", rq->period);
	snprintf(rj->action, sizeof(rj->action), "%s", rq->action);
	rj->job.type = JOB_REVIEW;
	rj->job.worker = p->worker;
	rj->job.done = review_done;
	rj->job.review.unit = rj->unit;
	rj->job.review.period = rj->period;
	rj->job.review.revision = rq->revision;
	rj->job.review.action = rj->action;
	rj->job.review.comment = rj->comment;
	rj->job.review.at = time(NULL);
	rj->job.review.cn = p->cn;
	rj->job.review.fingerprint = p->fingerprint;
	writer_queue(p->writer, &rj->job);
	return REQUEST_PENDING;
}

Gp__Decision *
review_decision(struct reply *hr, const struct store_review_row *row)
{
	Gp__Decision	*dm;
	char		*hex = NULL;

	if ((dm = reply_alloc(hr, sizeof(*dm))) == NULL)
		return NULL;
	gp__decision__init(dm);
	if (row->report_hash != NULL && (hex = reply_alloc(hr,
	    2 * STORE_HASH_LEN + 1)) != NULL)
		report_hex(row->report_hash, STORE_HASH_LEN, hex);
	dm->decision = reply_strdup(hr, row->decision);
	dm->unit = reply_strdup(hr, row->unit);
	dm->period = reply_strdup(hr, row->period);
	dm->revision = row->revision;
	dm->has_revision = 1;
	dm->report_sha256 = hex;
	dm->action = reply_strdup(hr, row->action);
	dm->state = reply_strdup(hr, row->state);
	dm->comment = reply_strdup(hr, row->comment);
	dm->decided_by = reply_strdup(hr, row->cn);
	dm->decided_at = reply_time(hr, row->decided_at);
	if ((row->decision != NULL && dm->decision == NULL) ||
	    (row->comment != NULL && dm->comment == NULL) ||
	    dm->decided_at == NULL)
		return NULL;
	return dm;
}

/* status */

/* The periods a status answer holds: every form's, in order. Returns 0,
 * -1 when the store could not be read, -2 out of memory. */
static int
review_periods(struct peer *p, const char *only, struct reply *hr,
    Gp__StatusResponse *sr, const struct unit *u, struct store *db)
{
	const struct form_set	*set = p->set->forms;
	const struct form	*f;
	const struct form_period *fp;
	Gp__PeriodStatus	*ps;
	struct period		 pd;
	char			 id[REPORT_MAX_PERIOD + 1], *cause;
	size_t			 i, n = form_set_count(set);
	int32_t			 due;
	int			 k, extended;
	static const int	 kinds[] = { PERIOD_HALF, PERIOD_YEAR };

	if ((sr->periods = reply_alloc(hr, 2 * n * sizeof(*sr->periods))) ==
	    NULL)
		return -2;
	for (i = 0; i < n; i++) {
		f = form_set_at(set, i);
		for (k = 0; k < 2; k++) {
			if (kinds[k] == PERIOD_HALF)
				snprintf(id, sizeof(id), "%d-H1", form_year(f));
			else
				snprintf(id, sizeof(id), "%d", form_year(f));
			if (only != NULL && strcmp(only, id) != 0)
				continue;
			cause = NULL;
			if ((fp = form_period(f, kinds[k])) == NULL ||
			    form_set_period(set, id, &f, &pd, &cause) == -1) {
				free(cause);
				continue;
			}
			if ((ps = reply_alloc(hr, sizeof(*ps))) == NULL)
				return -2;
			gp__period_status__init(ps);
			if ((ps->comments = reply_alloc(hr,
			    REVIEW_STATUS_COMMENTS * sizeof(*ps->comments))) ==
			    NULL)
				return -2;
			if ((ps->period = reply_strdup(hr, id)) == NULL)
				return -2;
			ps->label = (char *)(uintptr_t)fp->label;
			if (query_due(db, u->code, id, &pd, &due, &extended) ==
			    -1)
				return -1;
			if ((ps->due = reply_date(hr, due)) == NULL)
				return -2;
			ps->extended = extended != 0;
			ps->has_extended = 1;
			ps->coverage_from = reply_date(hr, pd.from);
			ps->coverage_to = reply_date(hr, pd.to);
			ps->expected = u->valid_from <= pd.to &&
			    u->valid_to >= pd.from;
			ps->has_expected = 1;
			ps->has_locked = 1;
			sr->periods[sr->n_periods++] = ps;
		}
	}
	return 0;
}

static Gp__PeriodStatus *
review_find(Gp__StatusResponse *sr, const char *period)
{
	size_t	i;

	for (i = 0; period != NULL && i < sr->n_periods; i++)
		if (strcmp(sr->periods[i]->period, period) == 0)
			return sr->periods[i];
	return NULL;
}

/* Locks, latest revisions and comments into the periods of sr. */
static int
review_status_read(struct store *db, struct reply *hr,
    Gp__StatusResponse *sr, const char *unit, const char *period)
{
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_sum_row	 lock;
	struct store_report_row	 row;
	struct store_review_row	 rv;
	Gp__PeriodStatus	*ps;
	Gp__Decision		*dm;
	int			 rc;

	memset(&args, 0, sizeof(args));
	if ((c = store_query(db, STORE_Q_LOCKS, &args)) == NULL)
		return -1;
	while ((rc = store_next_sum(c, &lock)) == 1)
		if ((ps = review_find(sr, lock.key)) != NULL)
			ps->locked = 1;
	store_cursor_close(c);
	if (rc == -1)
		return -1;

	args.unit = unit;
	args.period = period;
	if ((c = store_query(db, STORE_Q_LIST, &args)) == NULL)
		return -1;
	while ((rc = store_next_report(c, &row)) == 1) {
		if ((ps = review_find(sr, row.period)) == NULL)
			continue;
		ps->revision = row.revision;
		ps->has_revision = 1;
		ps->receipt = reply_strdup(hr, row.receipt);
		ps->received_at = reply_time(hr, row.received_at);
		ps->late = row.late != 0;
		ps->has_late = 1;
		ps->review_state = reply_strdup(hr, row.review_state);
		if (ps->receipt == NULL || ps->received_at == NULL ||
		    ps->review_state == NULL) {
			rc = -1;
			break;
		}
	}
	store_cursor_close(c);
	if (rc == -1)
		return -1;

	if ((c = store_query(db, STORE_Q_COMMENTS, &args)) == NULL)
		return -1;
	while ((rc = store_next_review(c, &rv)) == 1) {
		if ((ps = review_find(sr, rv.period)) == NULL ||
		    ps->n_comments == REVIEW_STATUS_COMMENTS)
			continue;
		if ((dm = review_decision(hr, &rv)) == NULL) {
			rc = -1;
			break;
		}
		ps->comments[ps->n_comments++] = dm;
	}
	store_cursor_close(c);
	return rc == -1 ? -1 : 0;
}

enum request_result
review_status(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const Gp__StatusRequest	*rq = req->status;
	const char		*unit = rq->unit, *errstr;
	const struct unit	*u;
	const struct form	*f;
	Gp__StatusResponse	*sr;
	struct period		 pd;
	struct store		*db;
	char			*cause = NULL;
	int			 rv;

	(void)out;
	if (rq->period != NULL && form_set_period(p->set->forms, rq->period,
	    &f, &pd, &cause) == -1) {
		reply_invalid(hr, "period", cause != NULL ? cause : "not a "
		    "period", cause != NULL ? cause : "not a period: give "
		    "YYYY-H1 or YYYY");
		free(cause);
		return REQUEST_REPLIED;
	}
	if (unit != NULL && validate_unit_code(unit) == -1) {
		reply_invalid(hr, "unit", "not a unit code", "not a unit code");
		return REQUEST_REPLIED;
	}
	if (p->role != ROLE_ADMIN) {
		if (unit != NULL && strcmp(unit, p->cn) != 0)
			return request_deny(p, hr, "status",
			    "another unit's status", rq->period,
			    "certificate %s may see only its own unit's "
			    "status", p->cn);
		unit = p->cn;
	} else if (unit == NULL) {
		reply_invalid(hr, "unit", "required", "an administrator names "
		    "the unit whose status to show");
		return REQUEST_REPLIED;
	}
	if ((u = units_find(p->set->units, unit)) == NULL) {
		reply_invalid(hr, "unit", "not in the registry", "no such unit "
		    "in the registry");
		return REQUEST_REPLIED;
	}
	if ((sr = reply_alloc(hr, sizeof(*sr))) == NULL)
		goto nomem;
	gp__status_response__init(sr);
	sr->unit = u->code;
	sr->unit_name = u->name;
	sr->server_time = time(NULL);
	sr->has_server_time = 1;
	sr->timezone = (char *)(uintptr_t)tz_name(p->set->zone);
	/* One snapshot: every commit so far is seen. */
	if ((db = readers_get(p->readers, &errstr)) == NULL) {
		log_warnx("session=%" PRIu64 " status refused: %s", p->id,
		    errstr);
		reply_error(hr, GP__ERROR_CODE__BUSY, "the server is busy (%s); "
		    "try again in %d seconds", errstr, QUERY_RETRY_BUSY);
		hr->error.retry_after = QUERY_RETRY_BUSY;
		hr->error.has_retry_after = 1;
		return REQUEST_REPLIED;
	}
	if ((rv = review_periods(p, rq->period, hr, sr, u, db)) == 0)
		rv = review_status_read(db, hr, sr, u->code, rq->period);
	if (rv == -1) {
		log_warnx("session=%" PRIu64 " status failed: %s", p->id,
		    store_error(db));
		reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server could not "
		    "read the database; try again later");
	}
	readers_put(p->readers, db);
	if (rv == -2)
		goto nomem;
	if (rv == -1)
		return REQUEST_REPLIED;
	hr->resp.body_case = GP__RESPONSE__BODY_STATUS;
	hr->resp.status = sr;
	return REQUEST_REPLIED;
nomem:
	reply_error(hr, GP__ERROR_CODE__INTERNAL, "the server is out of "
	    "memory; try again later");
	return REQUEST_REPLIED;
}
