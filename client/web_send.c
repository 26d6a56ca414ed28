/*
 * The part of the API that sends or reads back (web.h): submit and retry
 * go through send_report, the very path of `gp-client submit` (outbox
 * first, never delivered twice); status reads the outbox and the receipt
 * book, then asks the server for the province's review as `gp-client
 * status` does (status.h), saying why when it cannot; last asks the
 * server for the unit's latest revision (a unit may read its own
 * reports), or else takes the one sent from this machine.
 *
 * Submit answers with the object `gp-client submit --json` prints
 * ("status": "accepted", "queued", "refused" or "error"), plus "exit",
 * its exit status, and for a receipt "notes", gpd's warnings said in the
 * page's language (output.h); a report that fails the local checks is
 * answered 422 with every error, and nothing is sent.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <microhttpd.h>

#include "report.h"
#include "report_json.h"
#include "wire.h"
#include "conn.h"
#include "outbox.h"
#include "output.h"
#include "send.h"
#include "status.h"
#include "fmt.h"
#include "web.h"

#define WEB_SEND_SHOW_ID	1
#define WEB_SEND_SHOW_TIMEOUT	10	/* seconds: the page is waiting */

static pthread_mutex_t	web_send_lock = PTHREAD_MUTEX_INITIALIZER;

/* Sends r as gp-client submit does; the answer object, or NULL. */
static json_t *
web_send_report(struct web *w, const char *period, const struct report *r)
{
	struct send_config	 sc;
	json_t			*answer = NULL;
	char			*cause = NULL;
	int			 status;

	memset(&sc, 0, sizeof(sc));
	sc.conn = &w->conn;
	sc.policy = &w->policy;
	sc.outbox = w->outbox;
	sc.outbox_error = w->outbox_error;
	sc.json = 1;
	sc.tty = 0;
	/* One at a time: the outbox tells claims apart by process, and
	 * every connection thread is this one process. */
	pthread_mutex_lock(&web_send_lock);
	output_capture(&answer);
	status = send_report(&sc, r);
	output_capture(NULL);
	pthread_mutex_unlock(&web_send_lock);
	if (answer == NULL)
		return NULL;
	if (json_object_set_new(answer, "exit", json_integer(status)) == -1) {
		json_decref(answer);
		return NULL;
	}
	/* Delivered: the last submitted revision is the place to start
	 * from now, not the draft. */
	if (status == EX_OK && web_draft_remove(w, period, &cause) == -1)
		web_say("%s", cause != NULL ? cause : _("out of memory"));
	free(cause);
	return answer;
}

void
web_send_submit(struct web *w, const char *period, json_t *report,
    struct web_reply *reply)
{
	struct report	*r = NULL;
	json_t		*verdict;

	if ((verdict = web_api_verdict(w, report, &r)) == NULL) {
		web_reply_json(reply, 0, NULL);
		return;
	}
	if (r == NULL) {
		json_object_set_new(verdict, "status", json_string("invalid"));
		web_reply_json(reply, MHD_HTTP_UNPROCESSABLE_CONTENT, verdict);
		return;
	}
	json_decref(verdict);
	web_reply_json(reply, MHD_HTTP_OK, web_send_report(w, period, r));
	report_free(r);
}

static struct outbox *
web_send_outbox(struct web *w, char **cause)
{
	*cause = NULL;
	if (w->outbox == NULL)
		return NULL;
	return outbox_open(w->outbox, 0, cause);
}

/* This unit's entries of period, oldest first: *out and *n. */
static int
web_send_entries(struct outbox *ob, const char *unit, const char *period,
    struct outbox_entry ***out, size_t *n, char **cause)
{
	struct outbox_entry	**v;
	size_t			  i, k, m;

	*out = NULL;
	*n = 0;
	if (outbox_list(ob, &v, &m, cause) == -1)
		return -1;
	for (i = 0, k = 0; i < m; i++) {
		if (strcmp(v[i]->unit, unit) == 0 &&
		    strcmp(v[i]->period, period) == 0)
			v[k++] = v[i];
		else
			outbox_entry_free(v[i]);
	}
	*out = v;
	*n = k;
	return 0;
}

void
web_send_retry(struct web *w, const char *period, struct web_reply *reply)
{
	struct outbox		 *ob;
	struct outbox_entry	**v = NULL, *e = NULL;
	struct report_errors	 *errs = NULL;
	struct report		 *r = NULL;
	const char		 *errstr = NULL;
	char			 *cause = NULL;
	size_t			  n = 0, i;

	if ((ob = web_send_outbox(w, &cause)) == NULL) {
		if (cause != NULL)
			web_reply_error(reply, MHD_HTTP_NOT_FOUND,
			    _("nothing waits in the outbox: %s"), cause);
		else
			web_reply_error(reply, MHD_HTTP_NOT_FOUND,
			    _("nothing waits in the outbox"));
		free(cause);
		return;
	}
	if (web_send_entries(ob, w->unit, period, &v, &n, &cause) == -1)
		goto fail;
	/* The newest waiting one: sending it sends the earlier first. */
	for (i = n; i-- > 0; )
		if (v[i]->state != OUTBOX_FAILED)
			break;
	if (i == (size_t)-1) {
		web_reply_error(reply, MHD_HTTP_NOT_FOUND, _("nothing of %s "
		    "waits in the outbox"), period);
		goto done;
	}
	if (outbox_get(ob, v[i]->id, &e, &cause) == -1)
		goto fail;
	if (e == NULL) {
		/* Sent meanwhile (gp-client flush): status says how. */
		web_reply_error(reply, MHD_HTTP_NOT_FOUND, _("the report left "
		    "the outbox meanwhile"));
		goto done;
	}
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		goto fail;
	if (report_unpack(e->report, e->len, &r, NULL, errs, &errstr) == -1) {
		web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, _("the "
		    "outbox entry %s cannot be read back"), e->id);
		goto done;
	}
	outbox_close(ob);
	ob = NULL;
	web_reply_json(reply, MHD_HTTP_OK, web_send_report(w, period, r));
	goto done;

fail:
	web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s",
	    cause != NULL ? cause : _("out of memory"));
done:
	report_free(r);
	free(errs);
	free(cause);
	outbox_entry_free(e);
	outbox_entries_free(v, n);
	outbox_close(ob);
}

static json_t *
web_send_time(int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		buf[32];

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static json_t *
web_send_text(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
web_send_entry(const struct outbox_entry *e)
{
	return json_pack("{s:o, s:s, s:I, s:o, s:o, s:o}",
	    "id", web_send_text(e->id),
	    "state", outbox_state_name(e->state),
	    "attempts", (json_int_t)e->attempts,
	    "first_attempt", web_send_time(e->first_attempt),
	    "last_attempt", web_send_time(e->last_attempt),
	    "last_error", web_send_text(e->last_error));
}

static json_t *
web_send_kept(const struct outbox_receipt *k)
{
	return json_pack("{s:s, s:o, s:o, s:I, s:o, s:b, s:b, s:o, s:o}",
	    "status", "accepted",
	    "receipt", web_send_text(k->receipt),
	    "id", web_send_text(k->submission_id),
	    "revision", (json_int_t)k->revision,
	    "received_at", web_send_text(k->received_at),
	    "duplicate", k->duplicate,
	    "late", k->late,
	    "server", web_send_text(k->server),
	    "stored_at", web_send_time(k->stored_at));
}

int
web_send_summary(struct web *w, const char *period, int *waiting,
    uint32_t *revision)
{
	struct outbox		 *ob;
	struct outbox_entry	**v = NULL;
	struct outbox_receipt	**k = NULL;
	char			 *cause = NULL;
	size_t			  n = 0, m = 0, i;
	int			  rv = -1;

	*waiting = 0;
	*revision = 0;
	if ((ob = web_send_outbox(w, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	if (web_send_entries(ob, w->unit, period, &v, &n, &cause) == -1 ||
	    outbox_receipts(ob, w->unit, period, &k, &m, &cause) == -1)
		goto done;
	for (i = 0; i < n; i++)
		if (v[i]->state != OUTBOX_FAILED)
			(*waiting)++;
	for (i = 0; i < m; i++)
		if (k[i]->revision > *revision)
			*revision = k[i]->revision;
	rv = 0;
done:
	free(cause);
	outbox_entries_free(v, n);
	outbox_receipts_free(k, m);
	outbox_close(ob);
	return rv;
}

/*
 * The province's review of period, asked as gp-client status asks it
 * (status.h), into o: "review", the period as `gp-client status --json`
 * writes it (null when the server could not be asked, or knows no such
 * period), and "offline", null or why the server could not be asked
 * ("reason", and "network": whether it was the network's fault, so that
 * trying later may help). The unit's name it gives is kept for the
 * page's header.
 */
static int
web_send_review(struct web *w, const char *period, json_t *o)
{
	struct conn_config		 cfg = w->conn;
	struct status_period		 sp;
	const Gp__StatusResponse	*sr;
	const Gp__PeriodStatus		*ps;
	Gp__Response			*resp = NULL;
	json_t				*review = NULL, *offline = NULL;
	char				*cause = NULL;
	size_t				 i;
	int				 network = 0, rv;

	if (cfg.timeout > WEB_SEND_SHOW_TIMEOUT)
		cfg.timeout = WEB_SEND_SHOW_TIMEOUT;
	if (status_ask(&cfg, period, &resp, &network, &cause) == -1) {
		if ((offline = json_pack("{s:o, s:b}", "reason",
		    fmt_json_text(cause != NULL ? cause : _("out of memory")),
		    "network", network)) == NULL)
			goto fail;
	} else if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
		if ((offline = json_pack("{s:o, s:b}", "reason", fmt_json_text(
		    resp->error != NULL && resp->error->message != NULL ?
		    resp->error->message : "refused"), "network", 0)) == NULL)
			goto fail;
	} else if ((sr = resp->status) != NULL) {
		web_api_set_unit_name(w, sr->unit_name);
		for (i = 0; i < sr->n_periods; i++) {
			ps = sr->periods[i];
			if (ps == NULL || ps->period == NULL ||
			    strcmp(ps->period, period) != 0)
				continue;
			status_of(ps, web_form_today(), &sp);
			if ((review = status_json_period(&sp)) == NULL)
				goto fail;
			break;
		}
	}
	rv = json_object_set_new(o, "review", review != NULL ? review :
	    json_null());
	review = NULL;
	if (rv == -1 || json_object_set_new(o, "offline", offline != NULL ?
	    offline : json_null()) == -1) {
		offline = NULL;
		goto fail;
	}
	free(cause);
	if (resp != NULL)
		gp__response__free_unpacked(resp, NULL);
	return 0;
fail:
	json_decref(review);
	json_decref(offline);
	free(cause);
	if (resp != NULL)
		gp__response__free_unpacked(resp, NULL);
	return -1;
}

void
web_send_status(struct web *w, const char *period, struct web_reply *reply)
{
	struct outbox		 *ob;
	struct outbox_entry	**v = NULL;
	struct outbox_receipt	**k = NULL;
	json_t			 *entries, *receipt = NULL, *o = NULL;
	char			 *cause = NULL, name[WEB_UNIT_NAME_MAX];
	size_t			  n = 0, m = 0, i;

	if ((entries = json_array()) == NULL) {
		web_reply_json(reply, 0, NULL);
		return;
	}
	if ((ob = web_send_outbox(w, &cause)) != NULL) {
		if (web_send_entries(ob, w->unit, period, &v, &n, &cause) ==
		    -1 || outbox_receipts(ob, w->unit, period, &k, &m,
		    &cause) == -1) {
			web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "%s", cause != NULL ? cause : _("out of memory"));
			json_decref(entries);
			goto done;
		}
		for (i = 0; i < n; i++)
			json_array_append_new(entries, web_send_entry(v[i]));
		/* The latest receipt: the newest revision kept. */
		for (i = 0; i < m; i++)
			if (receipt == NULL || k[i]->revision >=
			    json_integer_value(json_object_get(receipt,
			    "revision"))) {
				json_decref(receipt);
				receipt = web_send_kept(k[i]);
			}
	}
	/* The outbox is read before the server is asked: the page must not
	 * wait on the network for what this machine knows. */
	outbox_close(ob);
	ob = NULL;
	o = json_pack("{s:s, s:o, s:o}",
	    "period", period,
	    "outbox", entries,
	    "receipt", receipt != NULL ? receipt : json_null());
	if (o == NULL || web_send_review(w, period, o) == -1 ||
	    json_object_set_new(o, "unit_name", web_api_unit_name(w, name,
	    sizeof(name))[0] != '\0' ? fmt_json_text(name) : json_null()) ==
	    -1) {
		json_decref(o);
		o = NULL;
	}
	web_reply_json(reply, MHD_HTTP_OK, o);
done:
	free(cause);
	outbox_entries_free(v, n);
	outbox_receipts_free(k, m);
	outbox_close(ob);
}

/* A report as the page edits it: report JSON without its id, its codes
 * those of its period's form. */
static json_t *
web_send_report_json(struct web *w, const struct report *r)
{
	const struct form	*f;
	struct period		 p;
	json_error_t		 jerr;
	json_t			*o;
	char			*text, *cause = NULL;

	f = web_form_of(w, r->period, &p, &cause);
	free(cause);
	if ((text = report_json_write(r, f)) == NULL)
		return NULL;
	o = json_loads(text, 0, &jerr);
	free(text);
	if (o != NULL)
		json_object_del(o, "id");
	return o;
}

/* The latest revision sent from this machine, from its receipt book. */
static void
web_send_last_local(struct web *w, const char *period, const char *why,
    struct web_reply *reply)
{
	struct outbox		 *ob;
	struct outbox_receipt	**k = NULL, *full = NULL;
	struct report_errors	 *errs = NULL;
	struct report		 *r = NULL;
	const char		 *errstr;
	char			 *cause = NULL;
	size_t			  m = 0, i, best = 0;

	if ((ob = web_send_outbox(w, &cause)) == NULL ||
	    outbox_receipts(ob, w->unit, period, &k, &m, &cause) == -1 ||
	    m == 0) {
		web_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", why);
		goto done;
	}
	for (i = 1; i < m; i++)
		if (k[i]->revision >= k[best]->revision)
			best = i;
	if (outbox_receipt_get(ob, k[best]->receipt, &full, &cause) == -1 ||
	    full == NULL || full->report == NULL ||
	    (errs = calloc(1, sizeof(*errs))) == NULL ||
	    report_unpack(full->report, full->len, &r, NULL, errs,
	    &errstr) == -1) {
		web_reply_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", why);
		goto done;
	}
	web_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s, s:s, s:I, s:o, "
	    "s:o, s:b, s:o}",
	    "source", "local",
	    "note", why,
	    "revision", (json_int_t)full->revision,
	    "received_at", web_send_text(full->received_at),
	    "receipt", web_send_text(full->receipt),
	    "late", full->late,
	    "report", web_send_report_json(w, r)));
done:
	report_free(r);
	free(errs);
	free(cause);
	outbox_receipt_free(full);
	outbox_receipts_free(k, m);
	outbox_close(ob);
}

void
web_send_last(struct web *w, const char *period, struct web_reply *reply)
{
	struct conn_config	 cfg = w->conn;
	struct conn		*c = NULL;
	Gp__Request		 req = GP__REQUEST__INIT;
	Gp__ShowRequest		 show = GP__SHOW_REQUEST__INIT;
	Gp__Response		*resp = NULL;
	const Gp__ShowResponse	*s;
	struct report_errors	*errs = NULL;
	struct report		*r = NULL;
	const Gp__ReportRow	*m;
	char			*cause = NULL;

	if (cfg.timeout > WEB_SEND_SHOW_TIMEOUT)
		cfg.timeout = WEB_SEND_SHOW_TIMEOUT;
	req.has_id = 1;
	req.id = WEB_SEND_SHOW_ID;
	req.body_case = GP__REQUEST__BODY_SHOW;
	req.show = &show;
	show.unit = w->unit;
	show.period = (char *)(uintptr_t)period;
	if ((c = conn_new(&cfg, &cause)) == NULL ||
	    conn_connect(c, &cause) == -1 ||
	    conn_request(c, &req, &resp, &cause) == -1) {
		web_send_last_local(w, period, cause != NULL ? cause :
		    _("out of memory"), reply);
		goto done;
	}
	if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
		if (resp->error != NULL && resp->error->has_code &&
		    resp->error->code == GP__ERROR_CODE__INVALID)
			web_reply_error(reply, MHD_HTTP_NOT_FOUND, "%s",
			    resp->error->message != NULL ?
			    resp->error->message : "no report");
		else
			web_reply_error(reply, MHD_HTTP_BAD_GATEWAY, "%s",
			    resp->error != NULL && resp->error->message !=
			    NULL ? resp->error->message : "refused");
		goto done;
	}
	if (resp->body_case != GP__RESPONSE__BODY_SHOW ||
	    (s = resp->show) == NULL || (m = s->meta) == NULL ||
	    s->report == NULL || (errs = calloc(1, sizeof(*errs))) == NULL ||
	    wire_report_copy(s->report, &r, errs) == -1) {
		web_reply_error(reply, MHD_HTTP_BAD_GATEWAY, _("the server's "
		    "answer is not a report; check that gp-client and gpd "
		    "versions match"));
		goto done;
	}
	web_api_set_unit_name(w, m->unit_name);
	web_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s, s:o, s:I, s:o, "
	    "s:o, s:b, s:o}",
	    "source", "server",
	    "unit_name", web_send_text(m->unit_name),
	    "revision", (json_int_t)m->revision,
	    "received_at", web_send_text(m->received_at),
	    "receipt", web_send_text(m->receipt),
	    "late", m->late,
	    "report", web_send_report_json(w, r)));
done:
	report_free(r);
	free(errs);
	free(cause);
	if (resp != NULL)
		gp__response__free_unpacked(resp, NULL);
	conn_free(c);
}
