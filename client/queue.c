/*
 * submit and flush through the outbox.
 *
 * Every entry is claimed before it is sent and its fate written right
 * after the answer: a receipt is kept and the entry removed in one
 * transaction; a refusal marks it failed (flush) or removes it (the
 * report submit was asked to send, whose refusal the user sees now); a
 * transient failure gives it back to wait. A process that dies holding a
 * claim leaves it to be taken back by the next one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "i18n.h"
#include "report.h"
#include "output.h"
#include "queue.h"
#include "trace.h"

#define QUEUE_LEASE_MARGIN	60	/* seconds */

/* What follows the reason a report stays queued: one whole sentence each
 * (queue_sentence). */
enum queue_then {
	QUEUE_QUEUED,		/* it is queued, flush sends it */
	QUEUE_NOT_QUEUED	/* the outbox failed: submit it again */
};

struct queue_try {
	struct queue	*q;
	const char	*id;
	int		 noted;
};

int64_t
queue_lease(const struct deliver_policy *p, int timeout)
{
	int64_t	wait;

	wait = p->cap_ms / 1000 > p->wait_max ? p->cap_ms / 1000 : p->wait_max;
	return (int64_t)(p->retries + 1) * timeout + p->retries * wait +
	    QUEUE_LEASE_MARGIN;
}

static void
queue_on_try(void *arg, int n)
{
	struct queue_try	*t = arg;
	char			*cause;

	(void)n;
	if (t->q->ob == NULL || t->id == NULL)
		return;
	if (outbox_attempt(t->q->ob, t->id, time(NULL), &cause) == -1) {
		if (!t->noted)
			output_note("%s", cause != NULL ? cause :
			    _("out of memory"));
		t->noted = 1;
		free(cause);
	}
}

static void
queue_on_wait(void *arg, int n, const char *reason, long ms)
{
	struct queue_try	*t = arg;

	if (!t->q->tty)
		return;
	/* TRANSLATORS: the server; why the try failed (English, as the
	 * outbox keeps it); seconds; the try; how many. */
	output_note(_("%s: %s; trying again in %ld.%01ld s (%d of %d)"),
	    conn_server(t->q->conn), reason, ms / 1000, ms % 1000 / 100, n,
	    t->q->policy->retries);
}

/* Canonical bytes, packed once: what the outbox keeps is what every try
 * sends. Their SHA-256 in hex (65 bytes). */
static int
queue_pack(const struct report *r, uint8_t **bytes, size_t *len,
    char *hash)
{
	uint8_t	h[32];

	if (report_pack(r, bytes, len) == -1)
		return -1;
	if (report_digest(*bytes, *len, h) == -1) {
		free(*bytes);
		*bytes = NULL;
		return -1;
	}
	report_hex(h, sizeof(h), hash);
	return 0;
}

/* Why a transient failure happened, for the outbox's last error: English,
 * as runs in any language read it back (po/README). */
static void
queue_reason(const struct queue *q, const struct deliver_result *res,
    char *buf, size_t len)
{
	if (res->network)
		snprintf(buf, len, U_("cannot reach %s: %s"),
		    conn_server(q->conn), res->reason);
	else
		snprintf(buf, len, "%s: %s", conn_server(q->conn),
		    res->reason);
}

/* The one sentence when a report stays queued, or could not be
 * (outbox_problem). */
static char *
queue_sentence(const struct queue *q, const struct deliver_result *res,
    enum queue_then then, const char *outbox_problem)
{
	const char	*server = conn_server(q->conn);
	char		*s;
	int		 n;

	if (then == QUEUE_QUEUED)
		n = res->network ? asprintf(&s, _("cannot reach %s (%s); the "
		    "report is queued in the outbox and will be sent by "
		    "'gp-client flush'"), server, res->reason) : asprintf(&s,
		    _("%s could not take the report (%s); the report is "
		    "queued in the outbox and will be sent by 'gp-client "
		    "flush'"), server, res->reason);
	else
		n = res->network ? asprintf(&s, _("cannot reach %s (%s); the "
		    "report could not be queued (%s): submit it again later"),
		    server, res->reason, outbox_problem) : asprintf(&s,
		    _("%s could not take the report (%s); the report could "
		    "not be queued (%s): submit it again later"), server,
		    res->reason, outbox_problem);
	return n == -1 ? NULL : s;
}

/* The one sentence when flush stops at a transient failure, with waiting
 * reports left. */
static char *
queue_flush_sentence(const char *server, int network, const char *reason,
    size_t waiting)
{
	char	*s;
	int	 n;

	n = network ? asprintf(&s, ngettext("cannot reach %s (%s); %zu "
	    "report waits in the outbox: run 'gp-client flush' again later",
	    "cannot reach %s (%s); %zu reports wait in the outbox: run "
	    "'gp-client flush' again later", waiting), server, reason,
	    waiting) : asprintf(&s, ngettext("%s could not take the report "
	    "(%s); %zu report waits in the outbox: run 'gp-client flush' "
	    "again later", "%s could not take the report (%s); %zu reports "
	    "wait in the outbox: run 'gp-client flush' again later", waiting),
	    server, reason, waiting);
	return n == -1 ? NULL : s;
}

/* A refusal as the outbox keeps it: "code: message". */
static void
queue_refusal(const Gp__Error *err, char *buf, size_t len)
{
	const char	*message = "";

	if (err != NULL && err->message != NULL)
		message = err->message;
	snprintf(buf, len, "%s%s%s", output_error_name(err),
	    message[0] != '\0' ? ": " : "", message);
}

/* The one sentence when the receipt for unit and period does not verify;
 * kept: the report stays in the outbox. */
static char *
queue_unproven(const struct queue *q, const char *unit, const char *period,
    const struct deliver_result *res, int kept)
{
	char	*s;

	if ((kept ? asprintf(&s, _("the receipt %s gave for %s %s cannot be "
	    "trusted (%s), so it was not kept as proof and the report stays "
	    "in the outbox; tell the provincial federation, and run "
	    "'gp-client flush' once they have checked the server"),
	    conn_server(q->conn), unit, period, res->reason) : asprintf(&s,
	    _("the receipt %s gave for %s %s cannot be trusted (%s), so it "
	    "was not kept as proof and the report was not queued; tell the "
	    "provincial federation, and submit the report again once they "
	    "have checked the server"), conn_server(q->conn), unit, period,
	    res->reason)) == -1)
		return NULL;
	return s;
}

/* What the outbox keeps as the last error of an unproven delivery. */
static void
queue_unproven_reason(const struct deliver_result *res, char *buf,
    size_t len)
{
	snprintf(buf, len, U_("the server's receipt cannot be trusted: %s"),
	    res->reason);
}

static void
queue_outbox_note(char *cause)
{
	output_note("%s", cause != NULL ? cause : _("out of memory"));
	free(cause);
}

/* Keeps the receipt, removing the entry of that id. The report was
 * delivered either way: failing to keep the proof is only a note. */
static void
queue_keep(struct queue *q, const struct deliver_result *res, const char *id,
    const uint8_t *bytes, size_t len, const char *hash)
{
	const Gp__Receipt	*rc = deliver_receipt(res);
	struct outbox_proof	 p;
	char			*cause;

	if (q->ob == NULL || rc == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.receipt = rc->receipt;
	p.submission_id = id;
	p.unit = rc->unit;
	p.period = rc->period;
	p.revision = rc->revision;
	p.received_at = rc->received_at;
	p.duplicate = rc->has_duplicate && rc->duplicate;
	p.late = rc->has_late && rc->late;
	p.server = conn_server(q->conn);
	p.stored_at = time(NULL);
	p.content_hash = hash;
	p.report = bytes;
	p.len = len;
	p.report_sha256 = rc->report_sha256;
	if (rc->has_signature && rc->signature.len > 0) {
		p.signature = rc->signature.data;
		p.signature_len = rc->signature.len;
	}
	if (rc->has_certificate && rc->certificate.len > 0) {
		p.certificate = rc->certificate.data;
		p.certificate_len = rc->certificate.len;
	}
	if (outbox_delivered(q->ob, &p, &cause) == -1)
		queue_outbox_note(cause);
	trace_mark("receipt kept");
}

/*
 * Sends the claimed entry e, its report's bytes as the outbox keeps them,
 * and writes what became of it. own: the report submit was asked for,
 * whose refusal is shown now rather than kept.
 */
static enum deliver_outcome
queue_send(struct queue *q, const struct outbox_entry *e, int own,
    struct deliver_result *res)
{
	struct queue_try	 t = { q, e->id, 0 };
	struct deliver_hooks	 hooks = { queue_on_try, queue_on_wait, &t };
	struct deliver_item	 item = { e->id, e->unit, e->period, e->report,
				    e->len, e->content_hash };
	char			 why[320], *cause = NULL;
	int			 rv = 0;

	deliver_report(q->conn, q->policy, &item, &hooks, res);
	switch (res->outcome) {
	case DELIVER_RECEIPT:
		queue_keep(q, res, e->id, e->report, e->len, e->content_hash);
		break;
	case DELIVER_REFUSED:
		queue_refusal(res->resp->error, why, sizeof(why));
		rv = own ? outbox_remove(q->ob, e->id, &cause) :
		    outbox_fail(q->ob, e->id, why, &cause);
		break;
	case DELIVER_TRANSIENT:
		queue_reason(q, res, why, sizeof(why));
		rv = outbox_release(q->ob, e->id, q->self, why, &cause);
		break;
	case DELIVER_UNPROVEN:
		/* Nothing proves the server has it: it waits, own or not. */
		queue_unproven_reason(res, why, sizeof(why));
		rv = outbox_release(q->ob, e->id, q->self, why, &cause);
		break;
	case DELIVER_FAILED:
		rv = own ? outbox_remove(q->ob, e->id, &cause) :
		    outbox_release(q->ob, e->id, q->self, res->cause != NULL ?
		    res->cause : U_("not sent"), &cause);
		break;
	}
	if (rv == -1)
		queue_outbox_note(cause);
	return res->outcome;
}

/* What submit prints for its own report's outcome. Returns the status. */
static int
queue_outcome(struct queue *q, const struct report *r,
    struct deliver_result *res)
{
	char	*sentence;

	switch (res->outcome) {
	case DELIVER_RECEIPT:
		return output_submit(q->json, res->resp, r->id);
	case DELIVER_REFUSED:
		return output_error(q->json, res->resp->error);
	case DELIVER_FAILED:
		output_failure(q->json, res->status, res->cause);
		return res->status;
	case DELIVER_UNPROVEN:
		/* From the outbox: queue_direct says its own. */
		sentence = queue_unproven(q, r->unit, r->period, res, 1);
		output_failure(q->json, res->status, sentence);
		free(sentence);
		return res->status;
	case DELIVER_TRANSIENT:
		break;
	}
	return EX_SOFTWARE;
}

static int
queue_queued(struct queue *q, const struct report *r, const char *sentence,
    const char *reason)
{
	output_queued(q->json, sentence, r->id, r->unit, r->period, reason,
	    outbox_path(q->ob));
	return EX_TEMPFAIL;
}

/* Sends r now, not through the outbox; a receipt is kept. 0, or -1
 * when out of memory (res untouched). */
static int
queue_now(struct queue *q, const struct report *r,
    struct deliver_result *res)
{
	struct queue_try	 t = { q, NULL, 0 };
	struct deliver_hooks	 hooks = { NULL, queue_on_wait, &t };
	struct deliver_item	 item;
	uint8_t			*bytes = NULL;
	size_t			 len = 0;
	char			 hash[65];

	if (queue_pack(r, &bytes, &len, hash) == -1)
		return -1;
	item.id = r->id;
	item.unit = r->unit;
	item.period = r->period;
	item.report = bytes;
	item.len = len;
	item.sha256 = hash;
	deliver_report(q->conn, q->policy, &item, &hooks, res);
	if (res->outcome == DELIVER_RECEIPT)
		queue_keep(q, res, r->id, bytes, len, hash);
	free(bytes);
	return 0;
}

/* What a delivery made without the outbox comes to, said. */
static int
queue_said(struct queue *q, const struct report *r,
    struct deliver_result *res, const char *outbox_problem)
{
	char	*sentence;
	int	 status;

	if (res->outcome == DELIVER_UNPROVEN) {
		sentence = queue_unproven(q, r->unit, r->period, res, 0);
		output_failure(q->json, res->status, sentence);
		free(sentence);
		status = res->status;
	} else if (res->outcome != DELIVER_TRANSIENT)
		status = queue_outcome(q, r, res);
	else if (outbox_problem != NULL) {
		sentence = queue_sentence(q, res, QUEUE_NOT_QUEUED,
		    outbox_problem);
		output_failure(q->json, res->status, sentence);
		free(sentence);
		status = res->status;
	} else if (res->resp != NULL)
		status = output_error(q->json, res->resp->error);
	else {
		output_failure(q->json, res->status, res->cause);
		status = res->status;
	}
	deliver_result_clear(res);
	return status;
}

/*
 * submit --as-new: r is sent as it is first (a report not stored yet is
 * a new revision anyway). When the server already has it as an older
 * revision, it is sent again under the id report_as_new_id() derives
 * from its content and the latest revision, which it supersedes; when
 * the latest revision is already that (a receipt lost on the way), under
 * the id it was stored with, whose receipt comes back. No outbox: the
 * unit asks for it now.
 */
int
queue_as_new(struct queue *q, struct report *r, const char *outbox_problem)
{
	const Gp__Receipt	*rc;
	const Gp__SubmitResponse *sr;
	struct deliver_result	 res;
	uint32_t		 latest;
	int			 mine;

	if (queue_now(q, r, &res) == -1)
		goto nomem;
	if (res.outcome != DELIVER_RECEIPT ||
	    (rc = deliver_receipt(&res)) == NULL || !rc->duplicate ||
	    (sr = res.resp->submit) == NULL || !sr->has_latest_revision ||
	    sr->latest_revision <= rc->revision ||
	    sr->latest_submission_id == NULL)
		return queue_said(q, r, &res, outbox_problem);
	latest = sr->latest_revision;
	if (report_as_new_id(r, latest - 1) == -1) {
		deliver_result_clear(&res);
		goto nomem;
	}
	mine = strcmp(r->id, sr->latest_submission_id) == 0;
	deliver_result_clear(&res);
	if (!mine && report_as_new_id(r, latest) == -1)
		goto nomem;
	if (queue_now(q, r, &res) == -1)
		goto nomem;
	return queue_said(q, r, &res, outbox_problem);
nomem:
	output_failure(q->json, EX_OSERR, _("out of memory"));
	return EX_OSERR;
}

int
queue_direct(struct queue *q, const struct report *r,
    const char *outbox_problem)
{
	struct deliver_result	 res;

	if (queue_now(q, r, &res) == -1) {
		output_failure(q->json, EX_OSERR, _("out of memory"));
		return EX_OSERR;
	}
	return queue_said(q, r, &res, outbox_problem);
}

/* Prints a receipt kept by another process that delivered r meanwhile. */
static int
queue_kept(struct queue *q, const struct report *r,
    struct outbox_receipt *kept)
{
	Gp__Response		resp = GP__RESPONSE__INIT;
	Gp__SubmitResponse	sr = GP__SUBMIT_RESPONSE__INIT;
	Gp__Receipt		rc = GP__RECEIPT__INIT;

	rc.receipt = kept->receipt;
	rc.submission_id = kept->submission_id;
	rc.unit = kept->unit;
	rc.period = kept->period;
	rc.has_revision = 1;
	rc.revision = kept->revision;
	rc.received_at = kept->received_at;
	rc.has_duplicate = 1;
	rc.duplicate = kept->duplicate;
	rc.has_late = 1;
	rc.late = kept->late;
	rc.report_sha256 = kept->report_sha256;
	if (kept->signature != NULL) {
		rc.has_signature = 1;
		rc.signature.data = kept->signature;
		rc.signature.len = kept->signature_len;
	}
	if (kept->certificate != NULL) {
		rc.has_certificate = 1;
		rc.certificate.data = kept->certificate;
		rc.certificate.len = kept->certificate_len;
	}
	sr.receipt = &rc;
	resp.body_case = GP__RESPONSE__BODY_SUBMIT;
	resp.submit = &sr;
	return output_submit(q->json, &resp, r->id);
}

/* Nothing of r's unit and period can be claimed: say where r stands. */
static int
queue_blocked(struct queue *q, const struct report *r)
{
	struct outbox_entry	*own = NULL;
	struct outbox_receipt	*kept = NULL;
	char			*cause = NULL;
	int			 status;

	if (outbox_get(q->ob, r->id, &own, &cause) == -1) {
		output_queued(q->json, cause, r->id, r->unit, r->period,
		    "outbox", outbox_path(q->ob));
		free(cause);
		return EX_TEMPFAIL;
	}
	if (own == NULL) {
		/* Another gp-client delivered it meanwhile. */
		if (outbox_receipt_of(q->ob, r->id, &kept, &cause) == -1 ||
		    kept == NULL) {
			output_failure(q->json, EX_TEMPFAIL, cause != NULL ?
			    cause : _("the report left the outbox without a "
			    "receipt (dropped by another gp-client?); submit "
			    "it again"));
			free(cause);
			return EX_TEMPFAIL;
		}
		status = queue_kept(q, r, kept);
		outbox_receipt_free(kept);
		return status;
	}
	if (own->state == OUTBOX_FAILED) {
		status = EX_DATAERR;
		output_failure(q->json, status, own->last_error != NULL ?
		    own->last_error : _("the server refused the report"));
	} else
		status = queue_queued(q, r, _("another gp-client process is "
		    "sending a report for the same unit and period right now; "
		    "the report is queued in the outbox and will be sent by "
		    "'gp-client flush'"), U_("busy here"));
	outbox_entry_free(own);
	return status;
}

/* An earlier report of the same unit and period, sent before r. Returns
 * -1 to go on, or the exit status of submit. */
static int
queue_earlier(struct queue *q, const struct report *r,
    const struct outbox_entry *e)
{
	struct deliver_result	 res;
	const Gp__Receipt	*rc;
	char			*cause = NULL, *sentence, why[320];
	int			 status = -1;

	output_note(_("first sending the earlier report %s for %s %s, "
	    "waiting in the outbox, so that revisions arrive in order"),
	    e->id, e->unit, e->period);
	switch (queue_send(q, e, 0, &res)) {
	case DELIVER_RECEIPT:
		rc = deliver_receipt(&res);
		if (rc->duplicate)
			output_note(_("earlier report %s: duplicate revision "
			    "%u receipt %s"), e->id, rc->revision,
			    rc->receipt);
		else
			output_note(_("earlier report %s: accepted revision %u "
			    "receipt %s"), e->id, rc->revision, rc->receipt);
		break;
	case DELIVER_REFUSED:
		queue_refusal(res.resp->error, why, sizeof(why));
		output_note(_("earlier report %s refused (%s); it stays in "
		    "the outbox as refused"), e->id, why);
		break;
	case DELIVER_TRANSIENT:
		sentence = queue_sentence(q, &res, QUEUE_QUEUED, NULL);
		status = queue_queued(q, r, sentence, res.reason);
		free(sentence);
		break;
	case DELIVER_FAILED:
		if (outbox_remove(q->ob, r->id, &cause) == -1)
			queue_outbox_note(cause);
		output_failure(q->json, res.status, res.cause);
		status = res.status;
		break;
	case DELIVER_UNPROVEN:
		/* Both wait: r must not overtake the earlier report. */
		sentence = queue_unproven(q, e->unit, e->period, &res, 1);
		output_failure(q->json, res.status, sentence);
		free(sentence);
		status = res.status;
		break;
	}
	deliver_result_clear(&res);
	return status;
}

int
queue_submit(struct queue *q, const struct report *r)
{
	struct outbox_item	 it;
	struct outbox_entry	*e = NULL;
	struct deliver_result	 res;
	enum outbox_put_result	 put;
	uint8_t			*bytes = NULL;
	size_t			 len = 0;
	pid_t			 owner;
	char			 hash[65], *cause = NULL, *sentence;
	int			 status;

	if (queue_pack(r, &bytes, &len, hash) == -1) {
		output_failure(q->json, EX_OSERR, _("out of memory"));
		return EX_OSERR;
	}
	it.id = r->id;
	it.unit = r->unit;
	it.period = r->period;
	it.report = bytes;
	it.len = len;
	it.content_hash = hash;
	if (outbox_put(q->ob, &it, time(NULL), &put, &owner, &cause) == -1) {
		free(bytes);
		status = queue_direct(q, r, cause != NULL ? cause :
		    _("out of memory"));
		free(cause);
		return status;
	}
	free(bytes);
	trace_mark("queued");

	switch (put) {
	case OUTBOX_PUT_CONFLICT:
		if (asprintf(&sentence, _("the outbox already holds a "
		    "different report with the id %s: give this one another "
		    "id, or drop the other with 'gp-client outbox --drop %s'"),
		    r->id, r->id) == -1)
			sentence = NULL;
		output_failure(q->json, EX_DATAERR, sentence);
		free(sentence);
		return EX_DATAERR;
	case OUTBOX_PUT_SENDING:
		if (asprintf(&sentence, _("another gp-client process (pid "
		    "%ld) is sending this report right now; see 'gp-client "
		    "receipts' in a moment"), (long)owner) == -1)
			sentence = NULL;
		status = queue_queued(q, r, sentence, U_("busy here"));
		free(sentence);
		return status;
	default:
		break;
	}

	for (;;) {
		if (outbox_claim(q->ob, r->unit, r->period, q->self, time(NULL),
		    q->lease, &e, &cause) == -1) {
			if (asprintf(&sentence, _("%s; the report is queued in "
			    "the outbox and will be sent by 'gp-client "
			    "flush'"), cause != NULL ? cause :
			    _("out of memory")) == -1)
				sentence = NULL;
			status = queue_queued(q, r, sentence, U_("outbox"));
			free(sentence);
			free(cause);
			return status;
		}
		if (e == NULL)
			return queue_blocked(q, r);
		if (strcmp(e->id, r->id) != 0) {
			status = queue_earlier(q, r, e);
			outbox_entry_free(e);
			if (status != -1)
				return status;
			continue;
		}
		break;
	}

	if (queue_send(q, e, 1, &res) == DELIVER_TRANSIENT) {
		sentence = queue_sentence(q, &res, QUEUE_QUEUED, NULL);
		status = queue_queued(q, r, sentence, res.reason);
		free(sentence);
	} else
		status = queue_outcome(q, r, &res);
	deliver_result_clear(&res);
	outbox_entry_free(e);
	return status;
}

/* Entries still waiting (or being sent by someone) and failed ones. */
static int
queue_count(struct queue *q, size_t *waiting, size_t *failed, char **cause)
{
	struct outbox_entry	**v;
	size_t			  n, i;

	*waiting = *failed = 0;
	if (outbox_list(q->ob, &v, &n, cause) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i]->state == OUTBOX_FAILED)
			(*failed)++;
		else
			(*waiting)++;
	}
	outbox_entries_free(v, n);
	return 0;
}

int
queue_flush(struct queue *q)
{
	struct output_flush	*f;
	struct outbox_entry	*e;
	struct deliver_result	 res;
	char			*cause = NULL, *sentence = NULL, why[320];
	char			 reason[sizeof(res.reason)];
	size_t			 n, total, waiting, failed;
	int			 status = EX_OK, transient = 0, network = 0;

	if (queue_count(q, &total, &failed, &cause) == -1) {
		output_failure(q->json, EX_IOERR, cause);
		free(cause);
		return EX_IOERR;
	}
	if ((f = output_flush_new(q->json, q->tty)) == NULL) {
		output_failure(q->json, EX_OSERR, _("out of memory"));
		return EX_OSERR;
	}

	for (n = 1; ; n++) {
		if (outbox_claim(q->ob, NULL, NULL, q->self, time(NULL),
		    q->lease, &e, &cause) == -1) {
			status = EX_IOERR;
			sentence = cause;
			cause = NULL;
			break;
		}
		if (e == NULL)
			break;
		output_flush_sending(f, n, total, e);

		switch (queue_send(q, e, 0, &res)) {
		case DELIVER_RECEIPT:
			output_flush_receipt(f, res.resp, e->id);
			break;
		case DELIVER_REFUSED:
			queue_refusal(res.resp->error, why, sizeof(why));
			output_flush_refused(f, e, res.resp->error, why);
			break;
		case DELIVER_TRANSIENT:
			/* The next report would meet the same: stop here,
			 * keeping the order. */
			queue_reason(q, &res, why, sizeof(why));
			output_flush_kept(f, e, why);
			transient = 1;
			network = res.network;
			snprintf(reason, sizeof(reason), "%s", res.reason);
			break;
		case DELIVER_FAILED:
			output_flush_kept(f, e, res.cause != NULL ?
			    res.cause : U_("not sent"));
			status = res.status;
			sentence = res.cause;
			res.cause = NULL;
			break;
		case DELIVER_UNPROVEN:
			queue_unproven_reason(&res, why, sizeof(why));
			output_flush_kept(f, e, why);
			status = res.status;
			sentence = queue_unproven(q, e->unit, e->period, &res,
			    1);
			break;
		}
		deliver_result_clear(&res);
		outbox_entry_free(e);
		if (transient || status != EX_OK)
			break;
	}

	if (queue_count(q, &waiting, &failed, &cause) == -1) {
		queue_outbox_note(cause);
		if (status == EX_OK)
			status = EX_IOERR;
	}
	if (status == EX_OK && waiting > 0)
		status = EX_TEMPFAIL;
	else if (status == EX_OK && failed > 0)
		status = EX_DATAERR;

	if (transient)
		sentence = queue_flush_sentence(conn_server(q->conn), network,
		    reason, waiting);
	else if (sentence == NULL && status == EX_TEMPFAIL) {
		if (asprintf(&sentence, ngettext("%zu report in the outbox "
		    "is being sent by another gp-client process; run "
		    "'gp-client outbox' in a moment", "%zu reports in the "
		    "outbox are being sent by another gp-client process; run "
		    "'gp-client outbox' in a moment", waiting), waiting) == -1)
			sentence = NULL;
	} else if (sentence == NULL && status == EX_DATAERR) {
		if (asprintf(&sentence, ngettext("%zu report the server "
		    "refused stays in the outbox: see 'gp-client outbox', "
		    "correct and submit again, or remove with 'gp-client "
		    "outbox --drop ID'", "%zu reports the server refused stay "
		    "in the outbox: see 'gp-client outbox', correct and submit "
		    "again, or remove with 'gp-client outbox --drop ID'",
		    failed), failed) == -1)
			sentence = NULL;
	}
	output_flush_end(f, waiting, failed, status, sentence);
	free(sentence);
	return status;
}
