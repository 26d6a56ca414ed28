/*
 * One report to the server, with retries. What is worth another try: the
 * network failing (conn_is_transient) and the server answering busy,
 * storage full or internal error. Everything else ends the tries at once.
 */
#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "wire.h"
#include "proof.h"
#include "deliver.h"
#include "trace.h"

#define DELIVER_REQUEST_ID	1

void
deliver_policy_default(struct deliver_policy *p)
{
	const char	*s;
	char		*end;
	long		 n;

	p->retries = DELIVER_RETRIES_DEFAULT;
	p->base_ms = DELIVER_BASE_MS;
	p->cap_ms = DELIVER_CAP_MS;
	p->wait_max = DELIVER_WAIT_MAX;
	if ((s = getenv(DELIVER_BASE_ENV)) != NULL && *s >= '0' && *s <= '9') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno == 0 && *end == '\0' && n <= DELIVER_CAP_MS) {
			p->base_ms = n;
			/* The same shape, scaled: cap = 30 bases. */
			p->cap_ms = n * (DELIVER_CAP_MS / DELIVER_BASE_MS);
		}
	}
}

/* A uniform random number in [0, n]. */
static long
deliver_random(long n)
{
	unsigned long	v;

	if (n <= 0)
		return 0;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^
		    (unsigned long)clock();
	return (long)(v % ((unsigned long)n + 1));
}

/* Full jitter: anywhere from 0 to min(cap, base * 2^(n-1)). */
static long
deliver_backoff(const struct deliver_policy *p, int n)
{
	long	ceiling = p->base_ms;
	int	i;

	for (i = 1; i < n && ceiling < p->cap_ms; i++)
		ceiling *= 2;
	if (ceiling > p->cap_ms)
		ceiling = p->cap_ms;
	return deliver_random(ceiling);
}

static void
deliver_sleep(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* Whether a server's error is worth another try. */
static int
deliver_retryable(const Gp__Error *err)
{
	if (err == NULL || !err->has_code)
		return 0;
	switch (err->code) {
	case GP__ERROR_CODE__BUSY:
	case GP__ERROR_CODE__STORAGE_FULL:
	case GP__ERROR_CODE__INTERNAL:
		return 1;
	default:
		return 0;
	}
}

/* The short reason the outbox keeps, in English as conn_reason's. */
static const char *
deliver_code_name(const Gp__Error *err)
{
	switch (err->code) {
	case GP__ERROR_CODE__BUSY:
		return "busy";
	case GP__ERROR_CODE__STORAGE_FULL:
		return "storage full";
	default:
		return "internal error";
	}
}

const Gp__Receipt *
deliver_receipt(const struct deliver_result *res)
{
	if (res->outcome != DELIVER_RECEIPT || res->resp == NULL ||
	    res->resp->submit == NULL)
		return NULL;
	return res->resp->submit->receipt;
}

/* Whether resp is a receipt at all, for this report or not. */
static int
deliver_is_receipt(const Gp__Response *resp)
{
	return resp->body_case == GP__RESPONSE__BODY_SUBMIT &&
	    resp->submit != NULL && resp->submit->receipt != NULL;
}

/* Whether the receipt in resp proves that the server stored item: the
 * entry is removed and the receipt kept on it. */
static int
deliver_proves(struct conn *c, const Gp__Response *resp,
    const struct deliver_item *item, const char **why)
{
	struct proof_expect	want;

	want.submission_id = item->id;
	want.unit = item->unit;
	want.period = item->period;
	want.report_sha256 = item->sha256;
	want.report = item->report;
	want.len = item->len;
	return proof_check_receipt(resp->submit->receipt, &want,
	    conn_ca_store(c), conn_peer_cert(c), why) == 0;
}

/* Drops what an earlier try left. */
static void
deliver_forget(struct deliver_result *res)
{
	if (res->resp != NULL)
		gp__response__free_unpacked(res->resp, NULL);
	res->resp = NULL;
	free(res->cause);
	res->cause = NULL;
}

static void
deliver_failed(struct deliver_result *res, int status, char *cause)
{
	deliver_forget(res);
	res->outcome = DELIVER_FAILED;
	res->status = status;
	res->cause = cause;
}

enum deliver_outcome
deliver_report(struct conn *c, const struct deliver_policy *p,
    const struct deliver_item *item, const struct deliver_hooks *hooks,
    struct deliver_result *res)
{
	Gp__Response		*resp;
	const Gp__Error		*err;
	const char		*why;
	uint8_t			*frame;
	size_t			 len;
	char			*cause;
	long			 wait_ms;
	int			 n;

	memset(res, 0, sizeof(*res));
	if (wire_pack_submit(DELIVER_REQUEST_ID, item->report, item->len,
	    &frame, &len) == -1) {
		deliver_failed(res, EX_OSERR, NULL);
		return res->outcome;
	}

	for (n = 1; ; n++) {
		if (hooks != NULL && hooks->on_try != NULL)
			hooks->on_try(hooks->arg, n);
		res->tries = n;
		wait_ms = -1;
		resp = NULL;
		cause = NULL;
		if (conn_connect(c, &cause) == -1 ||
		    conn_request_frame(c, frame, len, DELIVER_REQUEST_ID, &resp,
		    &cause) == -1) {
			if (!conn_is_transient(c)) {
				deliver_failed(res, conn_status(c), cause);
				break;
			}
			deliver_forget(res);
			res->cause = cause;
			res->status = conn_status(c);
			res->network = 1;
			snprintf(res->reason, sizeof(res->reason), "%s",
			    conn_reason(c));
		} else if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
			deliver_forget(res);
			res->resp = resp;
			err = resp->error;
			if (!deliver_retryable(err)) {
				res->outcome = DELIVER_REFUSED;
				break;
			}
			res->status = EX_TEMPFAIL;
			res->network = 0;
			snprintf(res->reason, sizeof(res->reason), "%s%s%s",
			    deliver_code_name(err),
			    err->message != NULL && err->message[0] != '\0' ?
			    ": " : "", err->message != NULL ? err->message :
			    "");
			if (err->has_retry_after && err->retry_after > 0) {
				if (err->retry_after > (uint32_t)p->wait_max) {
					/* Too long to wait here: later. */
					res->outcome = DELIVER_TRANSIENT;
					break;
				}
				wait_ms = (long)err->retry_after * 1000;
			}
		} else if (deliver_is_receipt(resp)) {
			trace_mark("answer");
			deliver_forget(res);
			if (deliver_proves(c, resp, item, &why)) {
				trace_mark("receipt checked");
				res->outcome = DELIVER_RECEIPT;
				res->status = EX_OK;
				res->resp = resp;
			} else {
				/* Asking again would bring the same one
				 * back, marked duplicate. */
				gp__response__free_unpacked(resp, NULL);
				res->outcome = DELIVER_UNPROVEN;
				res->status = EX_PROTOCOL;
				snprintf(res->reason, sizeof(res->reason), "%s",
				    why);
			}
			break;
		} else {
			gp__response__free_unpacked(resp, NULL);
			deliver_forget(res);
			if (asprintf(&cause, _("%s answered with something "
			    "that is not a receipt for this report; check that "
			    "gp-client and gpd versions match"),
			    conn_server(c)) == -1)
				cause = NULL;
			deliver_failed(res, EX_PROTOCOL, cause);
			break;
		}

		if (n > p->retries) {
			res->outcome = DELIVER_TRANSIENT;
			break;
		}
		if (wait_ms < 0)
			wait_ms = deliver_backoff(p, n);
		if (hooks != NULL && hooks->on_wait != NULL)
			hooks->on_wait(hooks->arg, n, res->reason, wait_ms);
		deliver_sleep(wait_ms);
	}
	free(frame);
	return res->outcome;
}

void
deliver_result_clear(struct deliver_result *res)
{
	if (res->resp != NULL)
		gp__response__free_unpacked(res->resp, NULL);
	free(res->cause);
	memset(res, 0, sizeof(*res));
}
