/*
 * Requests: a table from message type to handler. Each handler fills a
 * reply; the dispatcher packs it into one framed Response. Nothing here
 * closes a session: a handler reports, the session decides.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <openssl/evp.h>

#include "gpd.h"
#include "handler.h"
#include "period.h"
#include "receipt.h"
#include "report.h"
#include "store.h"
#include "validate.h"
#include "wire.h"

/* Seconds a client is told to wait when the store is full. */
#define HANDLER_RETRY_FULL	60

/* Who may send a request; refusals are audited. */
enum handler_access {
	ACCESS_ANY,	/* the handler decides (submit, whoami) */
	ACCESS_OWN,	/* administrators, and units for their own unit */
	ACCESS_ADMIN	/* administrators only */
};

struct handler_entry {
	Gp__Request__BodyCase	 body;
	const char		*name;
	int			 access;	/* enum handler_access */
	enum handler_result	(*fn)(struct session *, const Gp__Request *,
				    struct handler_reply *);
};

static enum handler_result handler_submit(struct session *,
		    const Gp__Request *, struct handler_reply *);
static enum handler_result handler_whoami(struct session *,
		    const Gp__Request *, struct handler_reply *);

static const struct handler_entry handler_table[] = {
	{ GP__REQUEST__BODY_SUBMIT, "submit", ACCESS_ANY, handler_submit },
	{ GP__REQUEST__BODY_WHOAMI, "whoami", ACCESS_ANY, handler_whoami },
	{ GP__REQUEST__BODY_UNITS, "units", ACCESS_ADMIN, query_units },
	{ GP__REQUEST__BODY_LIST, "list", ACCESS_OWN, query_list },
	{ GP__REQUEST__BODY_SHOW, "show", ACCESS_OWN, query_show },
	{ GP__REQUEST__BODY_HISTORY, "history", ACCESS_OWN, query_history },
	{ GP__REQUEST__BODY_MISSING, "missing", ACCESS_ADMIN, query_missing },
	{ GP__REQUEST__BODY_SUMMARY, "summary", ACCESS_ADMIN, query_summary },
	{ GP__REQUEST__BODY_EXPORT, "export", ACCESS_ADMIN, query_export },
	{ GP__REQUEST__BODY_LOCK, "lock", ACCESS_ADMIN, query_lock },
	{ GP__REQUEST__BODY_AUDIT, "audit", ACCESS_ADMIN, query_audit },
};

struct handler_block {
	struct handler_block	*next;
	size_t			 used;
	size_t			 size;
	/* Followed by size bytes. */
};

#define HANDLER_BLOCK_SIZE	(64 * 1024)

void *
handler_alloc(struct handler_reply *hr, size_t n)
{
	struct handler_block	*b = hr->blocks;
	size_t			 size;
	char			*p;

	n = (n + 15) & ~(size_t)15;
	if (b == NULL || b->size - b->used < n) {
		size = n > HANDLER_BLOCK_SIZE ? n : HANDLER_BLOCK_SIZE;
		if ((b = malloc(sizeof(*b) + 16 + size)) == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = hr->blocks;
		hr->blocks = b;
	}
	/* The header is padded to 16 bytes so every block is aligned. */
	p = (char *)b + ((sizeof(*b) + 15) & ~(size_t)15) + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
handler_strdup(struct handler_reply *hr, const char *s)
{
	size_t	 len;
	char	*p;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if ((p = handler_alloc(hr, len + 1)) != NULL)
		memcpy(p, s, len + 1);
	return p;
}

char *
handler_date(struct handler_reply *hr, int32_t day)
{
	char	*p;

	if ((p = handler_alloc(hr, DATE_LEN + 1)) != NULL)
		date_format(day, p);
	return p;
}

char *
handler_time(struct handler_reply *hr, int64_t at)
{
	time_t		 t = (time_t)at;
	struct tm	 tm;
	char		*p;

	if ((p = handler_alloc(hr, 24)) == NULL)
		return NULL;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(p, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(p, 24, "?");
	return p;
}

void
handler_error(struct handler_reply *hr, Gp__ErrorCode code, const char *fmt,
    ...)
{
	va_list	ap;
	size_t	i;

	va_start(ap, fmt);
	vsnprintf(hr->message, sizeof(hr->message), fmt, ap);
	va_end(ap);
	gp__error__init(&hr->error);
	hr->error.code = code;
	hr->error.has_code = 1;
	hr->error.message = hr->message;
	for (i = 0; i < hr->errs.n; i++) {
		gp__field_error__init(&hr->field_errors[i]);
		hr->field_errors[i].field = hr->errs.e[i].field;
		hr->field_errors[i].message = hr->errs.e[i].message;
		hr->field_error_ptrs[i] = &hr->field_errors[i];
	}
	hr->error.n_field_errors = hr->errs.n;
	hr->error.field_errors = hr->field_error_ptrs;
	hr->resp.body_case = GP__RESPONSE__BODY_ERROR;
	hr->resp.error = &hr->error;
}

/* A peer's string fit for a log line or a reply, or "?" when it is not
 * one line of valid UTF-8 of at most max bytes. */
static const char *
handler_printable(const char *s, size_t max)
{
	size_t	len;

	if (s == NULL)
		return "-";
	len = strlen(s);
	if (len > max || validate_text(s, len, 0) == -1)
		return "?";
	return s;
}

static enum handler_result handler_audit(struct session *,
		    struct handler_reply *, int64_t, const char *,
		    const char *, const char *, const char *, const char *);

enum handler_result
handler_deny(struct session *s, struct handler_reply *hr, const char *action,
    const char *period, const char *fmt, ...)
{
	va_list	ap;
	char	detail[160];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	log_warnx("session=%" PRIu64 " cn=%s request=%s result=denied: %s",
	    s->id, s->cn, action, detail);
	handler_error(hr, GP__ERROR_CODE__PERMISSION_DENIED,
	    "permission denied: %s", detail);
	snprintf(hr->period, sizeof(hr->period), "%s",
	    handler_printable(period, REPORT_MAX_PERIOD));
	return handler_audit(s, hr, time(NULL), action, NULL,
	    period != NULL ? hr->period : NULL, "refused", detail);
}

static void
handler_pack(struct handler_reply *hr, struct evbuffer *out)
{
	uint8_t	*buf;
	size_t	 len;

	if (wire_pack_response(&hr->resp, &buf, &len) == -1) {
		log_warnx("cannot pack a response");
		return;
	}
	evbuffer_add(out, buf, len);
	free(buf);
}

/*
 * Refusals are written to the audit table before the refusal is sent, so
 * that what a peer was told is always on record. The reply in hr is ready;
 * the writer only adds the audit row.
 */
/* unit and period must live in hr (or be static). */
static enum handler_result
handler_audit(struct session *s, struct handler_reply *hr, int64_t now,
    const char *action, const char *unit, const char *period,
    const char *result, const char *detail)
{
	struct job	*job = &hr->job;

	snprintf(hr->detail, sizeof(hr->detail), "%s", detail);
	memset(job, 0, sizeof(*job));
	job->type = JOB_AUDIT;
	job->worker = s->worker;
	job->session = s;
	job->reply = hr;
	job->meta.received_at = now;
	job->meta.cn = s->cn;
	job->meta.fingerprint = s->fingerprint;
	job->action = action;
	job->unit = unit;
	job->period = period;
	job->result = result;
	job->detail = hr->detail;
	writer_queue(s->server->writer, job);
	return HANDLER_PENDING;
}

static void
handler_receipt(struct session *s, struct handler_reply *hr,
    const struct report *r, const struct store_receipt *rc)
{
	struct receipt_fields	 f;
	time_t			 t = (time_t)rc->received_at;
	struct tm		 tm;
	char			 payload[RECEIPT_PAYLOAD_MAX];
	size_t			 i, siglen;
	int			 n;

	gmtime_r(&t, &tm);
	strftime(hr->received_at, sizeof(hr->received_at),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(hr->submission_id, sizeof(hr->submission_id), "%s", r->id);
	snprintf(hr->unit, sizeof(hr->unit), "%s", r->unit);
	snprintf(hr->period, sizeof(hr->period), "%s", r->period);
	gp__receipt__init(&hr->receipt);
	snprintf(hr->receipt_id, sizeof(hr->receipt_id), "%s", rc->receipt);
	hr->receipt.receipt = hr->receipt_id;
	hr->receipt.submission_id = hr->submission_id;
	hr->receipt.unit = hr->unit;
	hr->receipt.period = hr->period;
	hr->receipt.revision = rc->revision;
	hr->receipt.has_revision = 1;
	hr->receipt.received_at = hr->received_at;
	hr->receipt.duplicate = rc->duplicate != 0;
	hr->receipt.has_duplicate = 1;
	hr->receipt.late = rc->late != 0;
	hr->receipt.has_late = 1;
	report_hex(hr->hash, sizeof(hr->hash), hr->report_sha256);
	hr->receipt.report_sha256 = hr->report_sha256;

	/* Signed after the commit, each time it is given: a duplicate gets
	 * a fresh signature over the same fields. */
	memset(&f, 0, sizeof(f));
	f.receipt = hr->receipt_id;
	f.submission_id = hr->submission_id;
	f.unit = hr->unit;
	f.period = hr->period;
	f.revision = rc->revision;
	f.report_sha256 = hr->report_sha256;
	f.received_at = hr->received_at;
	if ((n = receipt_payload(&f, payload, sizeof(payload))) == -1 ||
	    tls_sign(s->set->receipt_key, payload, (size_t)n, &hr->signature,
	    &siglen) == -1)
		log_warnx("session=%" PRIu64 " receipt %s not signed", s->id,
		    hr->receipt_id);
	else {
		hr->receipt.signature.data = hr->signature;
		hr->receipt.signature.len = siglen;
		hr->receipt.has_signature = 1;
		hr->receipt.certificate.data = s->set->receipt_cert;
		hr->receipt.certificate.len = s->set->receipt_certlen;
		hr->receipt.has_certificate = 1;
	}
	gp__submit_response__init(&hr->submit);
	hr->submit.receipt = &hr->receipt;
	for (i = 0; i < hr->warns.n; i++) {
		snprintf(hr->warnings[i], sizeof(hr->warnings[i]), "%s: %s",
		    hr->warns.e[i].field, hr->warns.e[i].message);
		hr->warning_ptrs[i] = hr->warnings[i];
	}
	hr->submit.n_warnings = hr->warns.n;
	hr->submit.warnings = hr->warning_ptrs;
	hr->resp.body_case = GP__RESPONSE__BODY_SUBMIT;
	hr->resp.submit = &hr->submit;
}

static enum handler_result
handler_submit(struct session *s, const Gp__Request *req,
    struct handler_reply *hr)
{
	struct server		*srv = s->server;
	struct report		*r;
	struct validate_context	 ctx;
	struct period		 period;
	struct job		*job = &hr->job;
	const char		*errstr, *unit;
	char			 detail[200];
	size_t			 nerrs;
	unsigned int		 hashlen = sizeof(hr->hash);
	int64_t			 now = time(NULL);

	if (s->role == ROLE_NONE) {
		handler_error(hr, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s is not a registered unit: ask the "
		    "provincial federation to add it to the unit registry",
		    s->cn);
		return handler_audit(s, hr, now, "submit", NULL, NULL, "refused",
		    "certificate CN is not a registered unit");
	}
	if (req->submit->report == NULL) {
		report_errors_add(&hr->errs, "report", "missing");
		handler_error(hr, GP__ERROR_CODE__INVALID, "no report sent");
		return HANDLER_REPLIED;
	}
	if (wire_report_copy(req->submit->report, &hr->report, &hr->errs)
	    == -1) {
		handler_error(hr, GP__ERROR_CODE__INVALID,
		    "report refused: %zu errors", hr->errs.n);
		return handler_audit(s, hr, now, "submit", NULL, NULL, "refused",
		    "undecodable report");
	}
	r = hr->report;
	if (r->unit != NULL && strcmp(r->unit, s->cn) != 0) {
		/* What a peer sent goes into the audit only as text. */
		snprintf(hr->unit, sizeof(hr->unit), "%s",
		    handler_printable(r->unit, REPORT_MAX_UNIT));
		unit = hr->unit;
		snprintf(detail, sizeof(detail),
		    "permission denied: certificate %s for unit %s", s->cn,
		    unit);
		log_warnx("session=%" PRIu64 " cn=%s unit=%s result=denied",
		    s->id, s->cn, unit);
		handler_error(hr, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s may not submit a report for unit %s",
		    s->cn, unit);
		snprintf(hr->period, sizeof(hr->period), "%s",
		    handler_printable(r->period, REPORT_MAX_PERIOD));
		return handler_audit(s, hr, now, "submit", hr->unit,
		    hr->period, "refused", detail);
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.rules = &s->set->conf->periods;
	ctx.today = date_of((time_t)now);
	ctx.unit_lookup = units_lookup;
	ctx.arg = s->set->units;
	if (validate_report(r, &ctx, &hr->errs, &hr->warns) == -1) {
		nerrs = hr->errs.n + hr->errs.dropped;
		snprintf(detail, sizeof(detail), "invalid: %zu errors", nerrs);
		log_info("session=%" PRIu64 " unit=%s period=%s result=invalid "
		    "errors=%zu", s->id, s->cn,
		    handler_printable(r->period, REPORT_MAX_PERIOD), nerrs);
		handler_error(hr, GP__ERROR_CODE__INVALID,
		    "report refused: %zu errors", nerrs);
		/* Only a valid period goes into the audit table. */
		if (period_parse(r->period, ctx.rules, &period, &errstr)
		    == -1) {
			free(r->period);
			r->period = NULL;
		}
		return handler_audit(s, hr, now, "submit", r->unit, r->period,
		    "refused",
		    detail);
	}
	if (period_parse(r->period, ctx.rules, &period, &errstr) == -1 ||
	    report_pack(r, &hr->raw, &job->meta.rawlen) == -1 ||
	    EVP_Digest(hr->raw, job->meta.rawlen, hr->hash, &hashlen,
	    EVP_sha256(), NULL) != 1) {
		handler_error(hr, GP__ERROR_CODE__INTERNAL,
		    "the server could not process the report; try again later");
		return HANDLER_REPLIED;
	}

	job->type = JOB_SUBMIT;
	job->worker = s->worker;
	job->session = s;
	job->reply = hr;
	job->report = r;
	job->meta.cn = s->cn;
	job->meta.fingerprint = s->fingerprint;
	job->meta.received_at = now;
	job->meta.late = ctx.today > period.due;
	job->meta.raw = hr->raw;
	job->meta.hash = hr->hash;
	job->meta.warnings = &hr->warns;
	writer_queue(srv->writer, job);
	return HANDLER_PENDING;
}

/* The writer committed (or failed) a submission: the reply. */
static void
handler_submit_done(struct session *s, struct handler_reply *hr)
{
	struct job	*job = &hr->job;
	struct report	*r = job->report;

	switch (job->status) {
	case STORE_OK:
	case STORE_DUPLICATE:
		handler_receipt(s, hr, r, &job->receipt);
		log_info("session=%" PRIu64 " unit=%s period=%s revision=%u "
		    "result=%s late=%d", s->id, r->unit, r->period,
		    job->receipt.revision, job->receipt.duplicate ?
		    "duplicate" : "accepted", job->receipt.late);
		break;
	case STORE_CONFLICT:
		log_info("session=%" PRIu64 " unit=%s period=%s "
		    "result=conflict", s->id, r->unit, r->period);
		handler_error(hr, GP__ERROR_CODE__CONFLICT,
		    "submission %s was already stored with different content: "
		    "remove the \"id\" field or give a new one to send a new "
		    "revision", r->id);
		break;
	case STORE_LOCKED:
		log_info("session=%" PRIu64 " unit=%s period=%s result=locked",
		    s->id, r->unit, r->period);
		handler_error(hr, GP__ERROR_CODE__LOCKED,
		    "period %s is locked: it takes no new revisions; contact %s "
		    "to have it unlocked", r->period, s->set->conf->contact);
		break;
	case STORE_FULL:
		log_warnx("session=%" PRIu64 " unit=%s period=%s result=full: "
		    "%s", s->id, r->unit, r->period, job->error);
		handler_error(hr, GP__ERROR_CODE__STORAGE_FULL,
		    "server storage full, try later");
		hr->error.retry_after = HANDLER_RETRY_FULL;
		hr->error.has_retry_after = 1;
		break;
	case STORE_FAIL:
		log_warnx("session=%" PRIu64 " unit=%s period=%s result=error: "
		    "%s", s->id, r->unit, r->period, job->error);
		handler_error(hr, GP__ERROR_CODE__INTERNAL,
		    "the server could not store the report; nothing was "
		    "stored, try again later");
		break;
	}
}

static enum handler_result
handler_whoami(struct session *s, const Gp__Request *req,
    struct handler_reply *hr)
{
	const struct unit	*u;

	(void)req;
	gp__whoami_response__init(&hr->whoami);
	hr->whoami.cn = s->cn;
	hr->whoami.role = (char *)(uintptr_t)(s->role == ROLE_ADMIN ? "admin" :
	    s->role == ROLE_UNIT ? "unit" : "none");
	if ((u = units_find(s->set->units, s->cn)) != NULL)
		hr->whoami.unit_name = u->name;
	hr->whoami.server_time = time(NULL);
	hr->whoami.has_server_time = 1;
	hr->whoami.version = (char *)(uintptr_t)GP_VERSION;
	hr->resp.body_case = GP__RESPONSE__BODY_WHOAMI;
	hr->resp.whoami = &hr->whoami;
	return HANDLER_REPLIED;
}

static void
handler_reply_free(struct handler_reply *hr)
{
	struct handler_block	*b;

	if (hr == NULL)
		return;
	while ((b = hr->blocks) != NULL) {
		hr->blocks = b->next;
		free(b);
	}
	if (hr->unpacked != NULL)
		gp__report__free_unpacked(hr->unpacked, NULL);
	report_free(hr->report);
	free(hr->raw);
	free(hr->signature);
	free(hr);
}

void
handler_job_done(struct job *job)
{
	struct handler_reply	*hr = job->reply;
	struct session		*s = job->session;

	if (job->type == JOB_SUBMIT)
		handler_submit_done(s, hr);
	else if (job->type == JOB_LOCK)
		query_lock_done(s, hr);
	else if (job->status != STORE_OK)
		log_warnx("session=%" PRIu64 " audit not written: %s", s->id,
		    job->error);
	if (!s->closed)
		handler_pack(hr, bufferevent_get_output(s->bev));
	handler_reply_free(hr);
	session_resume(s);
}

enum handler_result
handler_dispatch(struct session *s, const uint8_t *buf, size_t len,
    struct evbuffer *out)
{
	struct handler_reply	*hr;
	Gp__Request		*req;
	enum handler_result	 rv = HANDLER_REPLIED;
	uint32_t		 hr_id;
	size_t			 i;

	if ((hr = calloc(1, sizeof(*hr))) == NULL) {
		log_warn("session=%" PRIu64 " reply", s->id);
		return HANDLER_CLOSE;
	}
	gp__response__init(&hr->resp);
	if ((req = wire_request_unpack(buf, len)) == NULL) {
		log_warnx("session=%" PRIu64 " cn=%s undecodable request "
		    "(%zu bytes)", s->id, s->cn, len);
		handler_error(hr, GP__ERROR_CODE__BAD_REQUEST,
		    "the request is not a gp/1 message");
		handler_pack(hr, out);
		handler_reply_free(hr);
		return HANDLER_CLOSE;
	}
	hr->resp.id = req->id;
	hr->resp.has_id = 1;
	hr_id = req->id;
	if (s->over) {
		/* Past the connection cap: a clear answer, not a hang. */
		handler_error(hr, GP__ERROR_CODE__BUSY, "the server is at its "
		    "connection limit; try again in %d seconds",
		    GPD_BUSY_RETRY);
		hr->error.retry_after = GPD_BUSY_RETRY;
		hr->error.has_retry_after = 1;
		wire_request_free(req);
		handler_pack(hr, out);
		handler_reply_free(hr);
		return HANDLER_CLOSE;
	}
	for (i = 0; i < sizeof(handler_table) / sizeof(*handler_table); i++)
		if (handler_table[i].body == req->body_case)
			break;
	if (i == sizeof(handler_table) / sizeof(*handler_table)) {
		log_warnx("session=%" PRIu64 " cn=%s unknown request type %d",
		    s->id, s->cn, (int)req->body_case);
		handler_error(hr, GP__ERROR_CODE__BAD_REQUEST,
		    "unknown request type %d: is gp-client newer than the "
		    "server?", (int)req->body_case);
	} else if ((handler_table[i].access == ACCESS_ADMIN &&
	    s->role != ROLE_ADMIN) || (handler_table[i].access == ACCESS_OWN &&
	    s->role == ROLE_NONE)) {
		rv = handler_deny(s, hr, handler_table[i].name, NULL,
		    "%s is for administrators; certificate %s is %s",
		    handler_table[i].name, s->cn, s->role == ROLE_UNIT ?
		    "a unit's" : "not registered");
	} else {
		log_debug("session=%" PRIu64 " request id=%u type=%s", s->id,
		    req->id, handler_table[i].name);
		rv = handler_table[i].fn(s, req, hr);
	}
	/* Nothing in hr points into req once a handler has returned. */
	wire_request_free(req);
	if (rv == HANDLER_PENDING)
		return rv;
	if (rv == HANDLER_STREAM) {
		/* The first frame is made by the stream, like the others. */
		handler_reply_free(hr);
		s->stream->id = hr_id;
		return rv;
	}
	handler_pack(hr, out);
	handler_reply_free(hr);
	return rv;
}

void
handler_frame_error(struct session *s, const char *errstr,
    struct evbuffer *out)
{
	struct handler_reply	*hr;

	if ((hr = calloc(1, sizeof(*hr))) == NULL)
		return;
	gp__response__init(&hr->resp);
	handler_error(hr, GP__ERROR_CODE__BAD_REQUEST, "%s (max_frame is %u)",
	    errstr, s->set->conf->max_frame);
	handler_pack(hr, out);
	handler_reply_free(hr);
}

int
handler_stream_next(struct session *s, struct evbuffer *out)
{
	struct handler_stream	*st = s->stream;
	struct handler_reply	*hr;
	int			 done;

	if ((hr = calloc(1, sizeof(*hr))) == NULL) {
		log_warn("session=%" PRIu64 " stream", s->id);
		handler_stream_free(s);
		return 1;
	}
	gp__response__init(&hr->resp);
	hr->resp.id = st->id;
	hr->resp.has_id = 1;
	if (st->next(s, st, hr) == -1) {
		hr->resp.more = 0;
		hr->resp.has_more = 0;
	}
	done = !hr->resp.more;
	handler_pack(hr, out);
	handler_reply_free(hr);
	if (done)
		handler_stream_free(s);
	return done;
}

void
handler_stream_free(struct session *s)
{
	if (s->stream == NULL)
		return;
	s->stream->free(s->stream);
	s->stream = NULL;
}
