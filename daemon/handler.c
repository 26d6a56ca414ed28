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
#include <openssl/evp.h>

#include "gpd.h"
#include "period.h"
#include "report.h"
#include "store.h"
#include "validate.h"
#include "wire.h"

/* Seconds a client is told to wait when the store is full. */
#define HANDLER_RETRY_FULL	60

#define HANDLER_WARNING_MAX	(REPORT_FIELD_MAX + REPORT_MESSAGE_MAX + 2)

/* Everything one Response points into, freed in one piece. */
struct handler_reply {
	Gp__Response		 resp;
	Gp__Error		 error;
	Gp__FieldError		 field_errors[REPORT_ERRORS_MAX];
	Gp__FieldError		*field_error_ptrs[REPORT_ERRORS_MAX];
	Gp__SubmitResponse	 submit;
	Gp__Receipt		 receipt;
	char			*warning_ptrs[REPORT_ERRORS_MAX];
	char			 warnings[REPORT_ERRORS_MAX]
				    [HANDLER_WARNING_MAX];
	char			 message[512];
	char			 received_at[32];
	char			 receipt_id[STORE_RECEIPT_LEN + 1];
	char			 submission_id[REPORT_MAX_ID + 1];
	char			 unit[REPORT_MAX_UNIT + 1];
	char			 period[REPORT_MAX_PERIOD + 1];
	struct report_errors	 errs;
	struct report_errors	 warns;
};

struct handler_entry {
	Gp__Request__BodyCase	 body;
	const char		*name;
	void			(*fn)(struct session *, const Gp__Request *,
				    struct handler_reply *);
};

static void	handler_submit(struct session *, const Gp__Request *,
		    struct handler_reply *);

static const struct handler_entry handler_table[] = {
	{ GP__REQUEST__BODY_SUBMIT, "submit", handler_submit },
};

static void	handler_error(struct handler_reply *, Gp__ErrorCode,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

static void
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

static void
handler_audit(struct session *s, int64_t now, const char *action,
    const struct report *r, const char *result, const char *detail)
{
	if (store_audit(s->server->store, now, s->cn, s->fingerprint, action,
	    r != NULL ? r->unit : NULL, r != NULL ? r->period : NULL, result,
	    detail) == -1)
		log_warnx("session %" PRIu64 " audit not written: %s", s->id,
		    store_error(s->server->store));
}

static void
handler_receipt(struct handler_reply *hr, const struct report *r,
    const struct store_receipt *rc)
{
	time_t		t = (time_t)rc->received_at;
	struct tm	tm;
	size_t		i;

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

static void
handler_submit(struct session *s, const Gp__Request *req,
    struct handler_reply *hr)
{
	struct server		*srv = s->server;
	struct report		*r = NULL;
	struct validate_context	 ctx;
	struct store_meta	 meta;
	struct store_receipt	 rc;
	struct period		 period;
	const char		*errstr, *unit;
	char			 detail[160];
	uint8_t			*raw = NULL, hash[32];
	size_t			 rawlen;
	unsigned int		 hashlen = sizeof(hash);
	int64_t			 now = time(NULL);

	if (s->role == ROLE_NONE) {
		handler_audit(s, now, "submit", NULL, "refused",
		    "certificate CN is not a registered unit");
		handler_error(hr, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s is not a registered unit: ask the "
		    "provincial federation to add it to the unit registry",
		    s->cn);
		return;
	}
	if (req->submit->report == NULL) {
		report_errors_add(&hr->errs, "report", "missing");
		handler_error(hr, GP__ERROR_CODE__INVALID, "no report sent");
		return;
	}
	if (wire_report_copy(req->submit->report, &r, &hr->errs) == -1) {
		handler_error(hr, GP__ERROR_CODE__INVALID,
		    "report refused: %zu errors", hr->errs.n);
		handler_audit(s, now, "submit", NULL, "refused", "undecodable");
		return;
	}
	if (r->unit != NULL && strcmp(r->unit, s->cn) != 0) {
		unit = handler_printable(r->unit, REPORT_MAX_UNIT);
		snprintf(detail, sizeof(detail),
		    "permission denied: certificate %s for unit %s", s->cn,
		    unit);
		log_warnx("session %" PRIu64 " cn=%s unit=%s result=denied",
		    s->id, s->cn, unit);
		handler_audit(s, now, "submit", r, "refused", detail);
		handler_error(hr, GP__ERROR_CODE__PERMISSION_DENIED,
		    "certificate %s may not submit a report for unit %s",
		    s->cn, unit);
		goto done;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.rules = &srv->conf->periods;
	ctx.today = date_of((time_t)now);
	ctx.unit_lookup = units_lookup;
	ctx.arg = srv->units;
	if (validate_report(r, &ctx, &hr->errs, &hr->warns) == -1) {
		snprintf(detail, sizeof(detail), "invalid: %zu errors",
		    hr->errs.n + hr->errs.dropped);
		log_info("session %" PRIu64 " unit=%s period=%s result=invalid "
		    "errors=%zu", s->id, s->cn,
		    handler_printable(r->period, REPORT_MAX_PERIOD),
		    hr->errs.n + hr->errs.dropped);
		handler_error(hr, GP__ERROR_CODE__INVALID,
		    "report refused: %zu errors", hr->errs.n +
		    hr->errs.dropped);
		/* The period is not echoed into the audit unless valid. */
		free(r->period);
		r->period = NULL;
		handler_audit(s, now, "submit", r, "refused", detail);
		goto done;
	}
	if (period_parse(r->period, &srv->conf->periods, &period, &errstr)
	    == -1 || report_pack(r, &raw, &rawlen) == -1 ||
	    EVP_Digest(raw, rawlen, hash, &hashlen, EVP_sha256(), NULL) != 1) {
		handler_error(hr, GP__ERROR_CODE__INTERNAL,
		    "the server could not process the report; try again later");
		goto done;
	}

	memset(&meta, 0, sizeof(meta));
	meta.cn = s->cn;
	meta.fingerprint = s->fingerprint;
	meta.received_at = now;
	meta.late = ctx.today > period.due;
	meta.raw = raw;
	meta.rawlen = rawlen;
	meta.hash = hash;
	meta.warnings = &hr->warns;
	memset(&rc, 0, sizeof(rc));
	switch (store_put_report(srv->store, r, &meta, &rc)) {
	case STORE_OK:
	case STORE_DUPLICATE:
		handler_receipt(hr, r, &rc);
		log_info("session %" PRIu64 " unit=%s period=%s revision=%u "
		    "result=%s late=%d", s->id, r->unit, r->period,
		    rc.revision, rc.duplicate ? "duplicate" : "accepted",
		    rc.late);
		break;
	case STORE_CONFLICT:
		log_info("session %" PRIu64 " unit=%s period=%s "
		    "result=conflict", s->id, r->unit, r->period);
		handler_audit(s, now, "submit", r, "refused",
		    "conflict: submission id reused with other content");
		handler_error(hr, GP__ERROR_CODE__CONFLICT,
		    "submission %s was already stored with different content: "
		    "remove the \"id\" field or give a new one to send a new "
		    "revision", r->id);
		break;
	case STORE_FULL:
		log_warnx("session %" PRIu64 " unit=%s period=%s result=full: "
		    "%s", s->id, r->unit, r->period,
		    store_error(srv->store));
		handler_error(hr, GP__ERROR_CODE__STORAGE_FULL,
		    "server storage full, try later");
		hr->error.retry_after = HANDLER_RETRY_FULL;
		hr->error.has_retry_after = 1;
		break;
	case STORE_FAIL:
		log_warnx("session %" PRIu64 " unit=%s period=%s result=error: "
		    "%s", s->id, r->unit, r->period,
		    store_error(srv->store));
		handler_error(hr, GP__ERROR_CODE__INTERNAL,
		    "the server could not store the report; nothing was "
		    "stored, try again later");
		break;
	}
done:
	free(raw);
	report_free(r);
}

int
handler_dispatch(struct session *s, const uint8_t *buf, size_t len,
    struct evbuffer *out)
{
	struct handler_reply	*hr;
	Gp__Request		*req;
	size_t			 i;

	if ((hr = calloc(1, sizeof(*hr))) == NULL) {
		log_warn("session %" PRIu64 " reply", s->id);
		return -1;
	}
	gp__response__init(&hr->resp);
	if ((req = gp__request__unpack(NULL, len, buf)) == NULL) {
		log_warnx("session %" PRIu64 " cn=%s undecodable request "
		    "(%zu bytes)", s->id, s->cn, len);
		handler_error(hr, GP__ERROR_CODE__BAD_REQUEST,
		    "the request is not a gp/1 message");
		handler_pack(hr, out);
		free(hr);
		return -1;
	}
	hr->resp.id = req->id;
	hr->resp.has_id = 1;
	for (i = 0; i < sizeof(handler_table) / sizeof(*handler_table); i++)
		if (handler_table[i].body == req->body_case)
			break;
	if (i == sizeof(handler_table) / sizeof(*handler_table)) {
		log_warnx("session %" PRIu64 " cn=%s unknown request type %d",
		    s->id, s->cn, (int)req->body_case);
		handler_error(hr, GP__ERROR_CODE__BAD_REQUEST,
		    "unknown request type %d: is gp-client newer than the "
		    "server?", (int)req->body_case);
	} else {
		log_debug("session %" PRIu64 " request id=%u type=%s", s->id,
		    req->id, handler_table[i].name);
		handler_table[i].fn(s, req, hr);
	}
	handler_pack(hr, out);
	gp__request__free_unpacked(req, NULL);
	free(hr);
	return 0;
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
	    errstr, s->server->conf->max_frame);
	handler_pack(hr, out);
	free(hr);
}
