/*
 * A submission: decoded, checked against the certificate and validated
 * here, stored by the writer in its next batch, and answered once that
 * batch has committed: the receipt is signed only then.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "config.h"
#include "form.h"
#include "log.h"
#include "period.h"
#include "receipt.h"
#include "reply.h"
#include "report.h"
#include "request.h"
#include "settings.h"
#include "submit.h"
#include "tls.h"
#include "tz.h"
#include "units.h"
#include "validate.h"
#include "warning.h"
#include "wire.h"
#include "writer.h"

/* Everything a submission needs until it is answered. */
struct submission {
	struct job		 job;		/* first */
	struct peer		*peer;
	struct reply		*reply;
	struct report		*report;
	uint8_t			*raw;
	uint8_t			 hash[STORE_HASH_LEN];
	uint8_t			 legacy_hash[STORE_HASH_LEN];
	struct report_errors	 warns;		/* stored with it */
	const struct form	*form;		/* of p->set, which it holds */
};

static void
submission_free(struct submission *sub)
{
	if (sub == NULL)
		return;
	report_free(sub->report);
	free(sub->raw);
	free(sub);
}

/* One warning as a code and its arguments; NULL when out of memory. */
static Gp__Warning *
submit_warning_code(struct reply *reply, const struct report_error *e)
{
	Gp__Warning	*w;
	const char	*args[WARNING_ARGS_MAX];
	size_t		 i, n;

	if ((w = reply_alloc(reply, sizeof(*w))) == NULL)
		return NULL;
	gp__warning__init(w);
	if ((w->field = reply_strdup(reply, e->field)) == NULL)
		return NULL;
	if (warning_name(e->code) == NULL)
		return w;	/* words only */
	w->code = reply_strdup(reply, warning_name(e->code));
	n = warning_args(e, args);
	if (w->code == NULL || (w->args = reply_alloc(reply,
	    (n + 1) * sizeof(*w->args))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((w->args[i] = reply_strdup(reply, args[i])) == NULL)
			return NULL;
	w->n_args = n;
	return w;
}

/*
 * The warnings in English, as "field: message" (what an older client
 * shows), and the same one for one as codes and arguments
 * (warning_codes): none of those when one of them cannot be made.
 */
static void
submit_warnings(struct reply *reply, Gp__SubmitResponse *sr,
    const struct report_errors *warns)
{
	size_t	i;

	if (warns->n == 0 || (sr->warnings = reply_alloc(reply,
	    warns->n * sizeof(*sr->warnings))) == NULL)
		return;
	for (i = 0; i < warns->n; i++) {
		sr->warnings[sr->n_warnings] = reply_alloc(reply,
		    REPORT_FIELD_MAX + REPORT_MESSAGE_MAX + 2);
		if (sr->warnings[sr->n_warnings] == NULL)
			break;
		snprintf(sr->warnings[sr->n_warnings],
		    REPORT_FIELD_MAX + REPORT_MESSAGE_MAX + 2,
		    "%s: %s", warns->e[i].field, warns->e[i].message);
		sr->n_warnings++;
	}
	if (sr->n_warnings != warns->n || (sr->warning_codes =
	    reply_alloc(reply, warns->n * sizeof(*sr->warning_codes))) ==
	    NULL)
		return;
	for (i = 0; i < warns->n; i++)
		if ((sr->warning_codes[i] = submit_warning_code(reply,
		    &warns->e[i])) == NULL)
			return;
	sr->n_warning_codes = warns->n;
}

/* The receipt in the reply, signed with the settings' receipt key. */
static void
submit_receipt(struct submission *sub)
{
	struct peer		*p = sub->peer;
	struct reply		*reply = sub->reply;
	const struct report	*r = sub->report;
	const struct store_receipt *rc = &sub->job.receipt;
	struct receipt_fields	 f;
	Gp__SubmitResponse	*sr;
	Gp__Receipt		*rec;
	char			 payload[RECEIPT_PAYLOAD_MAX];
	char			 sha[2 * STORE_HASH_LEN + 1];
	uint8_t			*sig = NULL;
	size_t			 siglen;
	int			 n;

	if ((sr = reply_alloc(reply, sizeof(*sr))) == NULL ||
	    (rec = reply_alloc(reply, sizeof(*rec))) == NULL) {
		reply_error(reply, GP__ERROR_CODE__INTERNAL, "the report was "
		    "stored but the server ran out of memory for its receipt; "
		    "send it again to get the receipt");
		return;
	}
	gp__submit_response__init(sr);
	gp__receipt__init(rec);
	/* The content hash of the revision stored: for a duplicate of one
	 * stored before report forms, of the bytes received then. */
	report_hex(rc->content_hash, STORE_HASH_LEN, sha);
	rec->receipt = reply_strdup(reply, rc->receipt);
	rec->submission_id = reply_strdup(reply, r->id);
	rec->unit = reply_strdup(reply, r->unit);
	rec->period = reply_strdup(reply, r->period);
	rec->revision = rc->revision;
	rec->has_revision = 1;
	rec->received_at = reply_time(reply, rc->received_at);
	rec->duplicate = rc->duplicate != 0;
	rec->has_duplicate = 1;
	rec->late = rc->late != 0;
	rec->has_late = 1;
	rec->report_sha256 = reply_strdup(reply, sha);
	if (rec->receipt == NULL || rec->submission_id == NULL ||
	    rec->unit == NULL || rec->period == NULL ||
	    rec->received_at == NULL || rec->report_sha256 == NULL) {
		reply_error(reply, GP__ERROR_CODE__INTERNAL, "the report was "
		    "stored but the server ran out of memory for its receipt; "
		    "send it again to get the receipt");
		return;
	}

	/* Signed after the commit, each time it is given: a duplicate gets
	 * a fresh signature over the same fields. */
	memset(&f, 0, sizeof(f));
	f.receipt = rec->receipt;
	f.submission_id = rec->submission_id;
	f.unit = rec->unit;
	f.period = rec->period;
	f.revision = rc->revision;
	f.report_sha256 = rec->report_sha256;
	f.received_at = rec->received_at;
	if ((n = receipt_payload(&f, payload, sizeof(payload))) == -1 ||
	    tls_sign(p->set->receipt_key, payload, (size_t)n, &sig, &siglen)
	    == -1 || (rec->signature.data = reply_alloc(reply, siglen))
	    == NULL)
		log_warnx("session=%" PRIu64 " receipt %s not signed", p->id,
		    rec->receipt);
	else {
		memcpy(rec->signature.data, sig, siglen);
		rec->signature.len = siglen;
		rec->has_signature = 1;
		rec->certificate.data = p->set->receipt_cert;
		rec->certificate.len = p->set->receipt_certlen;
		rec->has_certificate = 1;
	}
	free(sig);
	sr->receipt = rec;
	if (rc->back_under_review) {
		sr->back_under_review = 1;
		sr->has_back_under_review = 1;
	}
	if (sub->form != NULL)
		sr->form_sha256 = reply_strdup(reply,
		    form_sha256_hex(sub->form));
	/* The lateness the store judged and kept: for a duplicate, the
	 * first receipt's, whatever the due date is now. */
	if (rc->days_late > 0 && sub->warns.n < REPORT_ERRORS_MAX)
		warning_add_late(&sub->warns, rc->due, rc->due + rc->days_late,
		    rc->extended);
	submit_warnings(reply, sr, &sub->warns);
	if (rc->latest_revision > 0) {
		sr->latest_revision = rc->latest_revision;
		sr->has_latest_revision = 1;
		sr->latest_submission_id = reply_strdup(reply,
		    rc->latest_submission_id);
	}
	sr->timezone = reply_strdup(reply, tz_name(p->set->zone));
	reply->resp.body_case = GP__RESPONSE__BODY_SUBMIT;
	reply->resp.submit = sr;
}

/* On the worker's loop, once the writer committed (or failed) it. */
static void
submit_done(struct job *job)
{
	struct submission	*sub = (struct submission *)job;
	struct peer		*p = sub->peer;
	struct reply		*reply = sub->reply;
	const struct report	*r = sub->report;
	char			 qu[LOG_QUOTE_MAX], qp[LOG_QUOTE_MAX];

	log_quote(qu, sizeof(qu), r->unit);
	log_quote(qp, sizeof(qp), r->period);
	switch (job->status) {
	case STORE_OK:
	case STORE_DUPLICATE:
		submit_receipt(sub);
		log_info("session=%" PRIu64 " unit=%s period=%s revision=%u "
		    "result=%s late=%d", p->id, qu, qp,
		    job->receipt.revision, job->receipt.duplicate ?
		    "duplicate" : "accepted", job->receipt.late);
		break;
	case STORE_CONFLICT:
		log_info("session=%" PRIu64 " unit=%s period=%s "
		    "result=conflict", p->id, qu, qp);
		reply_error(reply, GP__ERROR_CODE__CONFLICT,
		    "submission %s was already stored with different content: "
		    "remove the \"id\" field or give a new one to send a new "
		    "revision", r->id);
		break;
	case STORE_LOCKED:
		log_info("session=%" PRIu64 " unit=%s period=%s result=locked",
		    p->id, qu, qp);
		reply_error(reply, GP__ERROR_CODE__LOCKED,
		    "period %s is locked: it takes no new revisions; contact %s "
		    "to have it unlocked", r->period, p->set->conf->contact);
		break;
	case STORE_ACCEPTED:
		log_info("session=%" PRIu64 " unit=%s period=%s "
		    "result=accepted-final", p->id, qu, qp);
		reply_error(reply, GP__ERROR_CODE__FINAL,
		    "the report of %s for %s was accepted by the province "
		    "(revision %u): it is final and takes no new revision "
		    "unless the province reopens it; contact %s", r->unit,
		    r->period, job->receipt.accepted_revision,
		    p->set->conf->contact);
		break;
	case STORE_FULL:
		log_warnx("session=%" PRIu64 " unit=%s period=%s result=full: "
		    "%s", p->id, qu, qp, job->error);
		reply_error(reply, GP__ERROR_CODE__STORAGE_FULL,
		    "server storage full, try later");
		reply->error.retry_after = REQUEST_RETRY_FULL;
		reply->error.has_retry_after = 1;
		break;
	case STORE_FAIL:
		log_warnx("session=%" PRIu64 " unit=%s period=%s result=error: "
		    "%s", p->id, qu, qp, job->error);
		reply_error(reply, GP__ERROR_CODE__INTERNAL,
		    "the server could not store the report; nothing was "
		    "stored, try again later");
		break;
	}
	p->answer(p->arg, reply);
	reply_free(reply);
	submission_free(sub);
}

/* Refused before the writer: the refusal is recorded, then sent. */
static enum request_result
submit_refuse(struct peer *p, struct reply *reply, struct submission *sub,
    const char *kind, const char *unit, const char *period,
    const char *detail)
{
	enum request_result	rv;

	rv = request_refuse(p, reply, "submit", kind, unit, period, detail);
	submission_free(sub);
	return rv;
}

enum request_result
submit_report(struct peer *p, const Gp__Request *req, struct reply *reply,
    struct stream **stream)
{
	struct submission	*sub;
	struct report_errors	*errs = NULL;
	struct report		*r;
	struct validate_context	 ctx;
	struct validate_outcome	 outcome;
	struct period		 period;
	const char		*unit, *form_bytes = NULL;
	char			 detail[200], where[REPORT_FIELD_MAX];
	char			 qcn[LOG_QUOTE_MAX], qp[LOG_QUOTE_MAX];
	uint8_t			*old = NULL;
	size_t			 nerrs, rawlen, formlen = 0, oldlen = 0;
	int			 legacy = 0;
	unsigned int		 hashlen = STORE_HASH_LEN;
	int64_t			 now = time(NULL);
	enum request_result	 rv;

	(void)stream;
	if (p->role == ROLE_NONE) {
		reply_error(reply, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s is not a registered unit: ask the "
		    "provincial federation to add it to the unit registry",
		    p->cn);
		return request_refuse(p, reply, "submit",
		    "not a registered unit", NULL, NULL,
		    "certificate CN is not a registered unit");
	}
	if (req->submit->report == NULL) {
		reply_invalid(reply, "report", "missing", "no report sent");
		return REQUEST_REPLIED;
	}
	/* A client of gp/1 before report forms sends its enums as numbers,
	 * in fields reserved now: refused, never read as something else. */
	if (wire_report_unknown(req->submit->report, where, sizeof(where))) {
		/* Logged by request_refuse, the first of a minute. */
		reply_error(reply, GP__ERROR_CODE__BAD_REQUEST, "this report "
		    "carries fields gpd does not know (%s): it was packed by a "
		    "gp-client older than report forms; upgrade gp-client and "
		    "send it again (a report kept in the outbox is sent again "
		    "as it should be)", where);
		snprintf(detail, sizeof(detail), "report of a gp-client older "
		    "than report forms (%s)", where);
		return request_refuse(p, reply, "submit",
		    "report of an older gp-client", NULL, NULL, detail);
	}
	if ((sub = calloc(1, sizeof(*sub))) == NULL ||
	    (errs = calloc(1, sizeof(*errs))) == NULL) {
		free(sub);
		reply_error(reply, GP__ERROR_CODE__INTERNAL, "the server is "
		    "out of memory; try again later");
		return REQUEST_REPLIED;
	}
	sub->peer = p;
	if (wire_report_copy(req->submit->report, &sub->report, errs) == -1) {
		reply_fields(reply, errs);
		reply_error(reply, GP__ERROR_CODE__INVALID,
		    "report refused: %zu error%s", errs->n,
		    errs->n == 1 ? "" : "s");
		free(errs);
		return submit_refuse(p, reply, sub, "undecodable report", NULL,
		    NULL, "undecodable report");
	}
	r = sub->report;
	/* Both in NFC: the report's text by wire_report_copy, the CN by
	 * tls_peer_identity. */
	if (r->unit != NULL && strcmp(r->unit, p->cn) != 0) {
		/* What a peer sent goes into the audit only as a unit code,
		 * or escaped in the detail (request_refuse). */
		unit = request_printable(r->unit, REPORT_MAX_UNIT);
		snprintf(detail, sizeof(detail),
		    "permission denied: certificate %s for another unit",
		    p->cn);
		reply_error(reply, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s may not submit a report for unit %s",
		    p->cn, unit);
		free(errs);
		return submit_refuse(p, reply, sub, "another unit's report",
		    r->unit, r->period, detail);
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.forms = p->set->forms;
	/* The day in Lai Châu, not in Greenwich. */
	ctx.today = tz_day(p->set->zone, now);
	ctx.unit_lookup = units_lookup;
	ctx.arg = p->set->units;
	ctx.late_elsewhere = 1;
	if (validate_report(r, &ctx, &outcome, errs, &sub->warns) == -1) {
		nerrs = errs->n + errs->dropped;
		snprintf(detail, sizeof(detail), "invalid: %zu error%s", nerrs,
		    nerrs == 1 ? "" : "s");
		log_info("session=%" PRIu64 " unit=%s period=%s result=invalid "
		    "errors=%zu", p->id, log_quote(qcn, sizeof(qcn), p->cn),
		    log_quote(qp, sizeof(qp), r->period), nerrs);
		reply_fields(reply, errs);
		reply_error(reply, GP__ERROR_CODE__INVALID,
		    "report refused: %zu error%s", nerrs,
		    nerrs == 1 ? "" : "s");
		free(errs);
		/* Only a period goes into the audit's period column. */
		return submit_refuse(p, reply, sub, "invalid report", r->unit,
		    r->period, detail);
	}
	free(errs);
	sub->form = outcome.form;
	period = outcome.period;
	if (sub->form == NULL || (form_bytes = form_canonical(sub->form,
	    &formlen)) == NULL ||
	    report_pack(r, &sub->raw, &rawlen) == -1 ||
	    EVP_Digest(sub->raw, rawlen, sub->hash, &hashlen, EVP_sha256(),
	    NULL) != 1 ||
	    (legacy = report_legacy_pack(r, &old, &oldlen)) == -1 ||
	    (legacy == 1 && report_digest(old, oldlen, sub->legacy_hash) ==
	    -1)) {
		free(old);
		reply_error(reply, GP__ERROR_CODE__INTERNAL,
		    "the server could not process the report; try again later");
		submission_free(sub);
		return REQUEST_REPLIED;
	}
	free(old);

	sub->reply = reply;
	sub->job.type = JOB_SUBMIT;
	sub->job.worker = p->worker;
	sub->job.done = submit_done;
	sub->job.report = r;
	sub->job.meta.cn = p->cn;
	sub->job.meta.fingerprint = p->fingerprint;
	sub->job.meta.received_at = now;
	sub->job.meta.today = ctx.today;
	sub->job.meta.due = period.due;
	sub->job.meta.raw = sub->raw;
	sub->job.meta.rawlen = rawlen;
	sub->job.meta.hash = sub->hash;
	sub->job.meta.legacy_hash = legacy == 1 ? sub->legacy_hash : NULL;
	sub->job.meta.warnings = &sub->warns;
	sub->job.meta.form_sha256 = form_sha256(sub->form);
	sub->job.meta.form_year = form_year(sub->form);
	sub->job.meta.form_bytes = form_bytes;
	sub->job.meta.form_len = formlen;
	writer_queue(p->writer, &sub->job);
	rv = REQUEST_PENDING;
	return rv;
}
