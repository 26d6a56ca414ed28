/*
 * gp-client's administration commands (admin.h): the exchange with the
 * server and what every command prints with. One connection per run; the
 * answer is printed frame by frame as conn_stream hands it over, so a
 * long list never sits whole in memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "i18n.h"
#include "period.h"
#include "report.h"
#include "validate.h"
#include "cause.h"
#include "conn.h"
#include "output.h"
#include "export.h"
#include "admin.h"
#include "zone.h"

#define ADMIN_FP_SHORT		16	/* hex digits of a fingerprint shown */
/* Percentages print as 53.9, not 53.899999999999999. */
#define ADMIN_JSON_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15))

struct admin_call {
	struct admin		*a;
	Gp__Response__BodyCase	 want;
	const char		*what;		/* for a wrong answer */
	admin_frame_fn		*handle;
	admin_refused_fn	*refused;
};

/* --- saying things ------------------------------------------------------- */

int
admin_fail(struct admin *a, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*cause;

	va_start(ap, fmt);
	cause_vset(&cause, fmt, ap);
	va_end(ap);
	output_failure(a->json && !a->started, status, cause);
	free(cause);
	return status;
}

/* After writing to standard output: 0, or the status of a failed write. */
int
admin_out(struct admin *a)
{
	a->started = 1;
	if (ferror(stdout)) {
		if (errno == EPIPE)	/* the reader wanted no more */
			return EX_IOERR;
		return admin_fail(a, EX_IOERR, _("cannot write the output: %s"),
		    strerror(errno));
	}
	return 0;
}

const char *
admin_text(const char *s)
{
	return s != NULL ? s : "";
}

/* "2026-11-29 10:10 +07:00" in the federation's zone from the server's
 * "2026-11-29T03:10:11Z"; anything else as it came. */
const char *
admin_when(const char *utc, char buf[ZONE_HUMAN_LEN + 1])
{
	return zone_human(utc, buf);
}

/* "on time", "late by 3 days", "... (extended to 2022-06-20)": as judged
 * when the revision was stored. Without due, "... (extended)": for a
 * table's column, whose width the date would pass. "on time" and "late"
 * alone come back as the catalogue has them, copied nowhere: a national
 * list shows 100,000. */
const char *
admin_lateness(int late, int32_t days, int extended, const char *due,
    char *buf, size_t len)
{
	char	 what[64], date[I18N_MAX];

	if (!late || days <= 0) {
		if (!extended)
			return late ? _("late") : _("on time");
		snprintf(what, sizeof(what), "%s", late ? _("late") :
		    _("on time"));
	} else
		snprintf(what, sizeof(what), ngettext("late by %" PRId32
		    " day", "late by %" PRId32 " days", (unsigned long)days),
		    days);
	if (extended && due != NULL)
		/* TRANSLATORS: "on time" or "late by 3 days", then the due
		 * date the province extended the unit's to. */
		snprintf(buf, len, _("%s (extended to %s)"), what,
		    i18n_date(date, sizeof(date), due));
	else if (extended)
		/* TRANSLATORS: "on time" or "late by 3 days", against a due
		 * date the province extended for the unit. */
		snprintf(buf, len, _("%s (extended)"), what);
	else
		snprintf(buf, len, "%s", what);
	return buf;
}

/* Figures as the server sent them; absent ones (an older gpd) are 0. */
void
admin_figures(const Gp__Figures *f, uint64_t v[4])
{
	v[0] = f != NULL ? f->activities : 0;
	v[1] = f != NULL ? f->sessions : 0;
	v[2] = f != NULL ? f->participants : 0;
	v[3] = f != NULL ? f->female : 0;
}

json_t *
admin_json_figures(const Gp__Figures *f)
{
	uint64_t	v[4];

	admin_figures(f, v);
	return json_pack("{s:I, s:I, s:I, s:I, s:o}",
	    "activities", (json_int_t)v[0],
	    "sessions", (json_int_t)v[1],
	    "participants", (json_int_t)v[2],
	    "female", (json_int_t)v[3],
	    "female_percent", admin_json_share(v[3], v[2]));
}

/* 1745, or 1.745 in Vietnamese; plain in CSV (i18n.h). */
const char *
admin_number(uint64_t n, char *buf, size_t len)
{
	return i18n_int(buf, len, n);
}

/* Women's share in percent with one decimal (47.2, or 47,2), rounded as
 * the JSON answer rounds it; "" without anyone. */
const char *
admin_share(uint64_t female, uint64_t total, char *buf, size_t len)
{
	return i18n_share(buf, len, female, total);
}

json_t *
admin_json_share(uint64_t part, uint64_t total)
{
	if (total == 0)
		return json_null();
	/* One decimal, as in the table. */
	return json_real((double)(int64_t)(1000.0 * (double)part /
	    (double)total + 0.5) / 10.0);
}

/* The first hex digits of a fingerprint and "…". */
const char *
admin_fp_short(const char *fp, char *buf, size_t len)
{
	size_t	n = 0;

	if (fp == NULL)
		return "";
	for (; *fp != '\0' && n < ADMIN_FP_SHORT && n + 1 < len; fp++)
		if (*fp != ':')
			buf[n++] = *fp;
	buf[n] = '\0';
	if (*fp != '\0' && n + 4 <= len)
		strcat(buf, "\xe2\x80\xa6");
	return buf;
}

/* --- JSON ---------------------------------------------------------------- */

void
admin_json_dump(json_t *o)
{
	if (fmt_json_dumpf(o, stdout, ADMIN_JSON_FLAGS) == -1)
		fputs(U_("null"), stdout);
}

/* Opens a JSON list answer with "[", once. */
int
admin_json_array(struct admin *a)
{
	if (a->started)
		return 0;
	fputs("[", stdout);
	return admin_out(a);
}

/* Opens a JSON object answer, once: the members of head (dumped without
 * its closing brace) and "rows":[. Takes head. */
int
admin_json_object(struct admin *a, json_t *head)
{
	char	*s;
	size_t	 len;

	if (a->started) {
		json_decref(head);
		return 0;
	}
	if (head == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	s = json_dumps(head, ADMIN_JSON_FLAGS);
	json_decref(head);
	if (s == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	len = strlen(s);
	/* "{...}" without the "}"; "{}" is just "{". */
	s[len - 1] = '\0';
	fmt_json_write(stdout, s);
	/* JSON, for programs (U_: not for the catalogue). */
	fputs(len > 2 ? U_(",\"rows\":[") : U_("\"rows\":["), stdout);
	free(s);
	return admin_out(a);
}

/* One element of the rows array; takes o. */
int
admin_json_item(struct admin *a, json_t *o)
{
	if (o == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	fputs(a->nitems++ == 0 ? "\n" : ",\n", stdout);
	admin_json_dump(o);
	json_decref(o);
	return admin_out(a);
}

/* Closes the rows array and, with tail, the object: tail's members
 * follow the rows. Takes tail. */
int
admin_json_close(struct admin *a, json_t *tail)
{
	char	*s;

	fputs(a->nitems > 0 ? "\n]" : "]", stdout);
	if (tail != NULL) {
		s = json_dumps(tail, ADMIN_JSON_FLAGS);
		json_decref(tail);
		if (s == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		fputs(strcmp(s, "{}") == 0 ? "}" : ",", stdout);
		if (strcmp(s, "{}") != 0)
			fmt_json_write(stdout, s + 1);
		free(s);
	}
	fputc('\n', stdout);
	return admin_out(a);
}

const char *
admin_code(const ProtobufCBinaryData *b, protobuf_c_boolean has, char *buf,
    size_t len)
{
	size_t	n;

	if (!has || len == 0) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	n = b->len < len - 1 ? b->len : len - 1;
	memcpy(buf, b->data, n);
	buf[n] = '\0';
	return buf;
}

static json_t *
admin_json_indicators(Gp__Indicator *const *v, size_t n)
{
	json_t	*arr, *o;
	char	 code[REPORT_MAX_CODE + 1];
	size_t	 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		o = json_pack("{s:o, s:I}",
		    "code", fmt_json_text(admin_code(&v[i]->code,
		    v[i]->has_code, code, sizeof(code))),
		    "total", (json_int_t)v[i]->total);
		if (o != NULL && v[i]->has_female && json_object_set_new(o,
		    "female", json_integer((json_int_t)v[i]->female)) == -1) {
			json_decref(o);
			o = NULL;
		}
		if (json_array_append_new(arr, o) == -1) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* A ReportRow with its proto field names; with_indicators (history) adds
 * the indicators as submitted, codes by name. */
json_t *
admin_json_row(const Gp__ReportRow *r, int with_indicators)
{
	json_t	*o;

	/* Done and planned apart: no figure adds one into the other. */
	o = json_pack("{s:o, s:o, s:o, s:I, s:o, s:b, s:I, s:o, s:b, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:o}",
	    "unit", fmt_json_text(r->unit),
	    "unit_name", fmt_json_text(r->unit_name),
	    "period", fmt_json_text(r->period),
	    "revision", (json_int_t)r->revision,
	    "received_at", zone_json(r->received_at),
	    "late", r->late ? 1 : 0,
	    "days_late", (json_int_t)r->days_late,
	    "due", fmt_json_text(r->due),
	    "extended", r->extended ? 1 : 0,
	    "done", admin_json_figures(r->done),
	    "planned", admin_json_figures(r->planned),
	    "receipt", fmt_json_text(r->receipt),
	    "submission_id", fmt_json_text(r->submission_id),
	    "cert_cn", fmt_json_text(r->cert_cn),
	    "cert_fingerprint", fmt_json_text(r->cert_fingerprint),
	    "form_sha256", fmt_json_text(r->form_sha256));
	if (o != NULL && json_object_set_new(o, "review_state",
	    fmt_json_text(r->review_state)) == -1) {
		json_decref(o);
		o = NULL;
	}
	if (o != NULL && with_indicators && json_object_set_new(o,
	    "indicators", admin_json_indicators(r->indicators,
	    r->n_indicators)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return o;
}
const char *
admin_state(const char *state)
{
	if (state == NULL)
		return "";
	/* Text tables only: CSV and JSON keep the codes. */
	if (strcmp(state, "received") == 0)
		return _("under review");
	if (strcmp(state, "returned") == 0)
		return C_("review state", "returned");
	if (strcmp(state, "accepted") == 0)
		return C_("review state", "accepted");
	return state;
}

json_t *
admin_json_counts(const Gp__ReviewCounts *c)
{
	if (c == NULL)
		return json_null();
	return json_pack("{s:I, s:I, s:I}", "received", (json_int_t)c->received,
	    "returned", (json_int_t)c->returned,
	    "accepted", (json_int_t)c->accepted);
}

const char *
admin_counts(const Gp__ReviewCounts *c, char *buf, size_t len)
{
	if (c == NULL)
		snprintf(buf, len, "%s", _("review states not given by the "
		    "server"));
	else
		snprintf(buf, len, _("%u accepted, %u returned, %u under "
		    "review"),
		    c->accepted, c->returned, c->received);
	return buf;
}

/* --- arguments ----------------------------------------------------------- */

int
admin_period(struct admin *a, const char *s)
{
	struct period_rules	 rules;
	struct period		 p;
	const char		*errstr;

	period_rules_default(&rules);
	if (period_parse(s, &rules, &p, &errstr) == -1)
		return admin_fail(a, EX_USAGE, _("bad period '%s': %s; give "
		    "2022-H1 for the 6-month report or 2022 for the year"), s,
		    errstr);
	return 0;
}

int
admin_unit(struct admin *a, const char *s)
{
	if (validate_unit_code(s) != 0)
		return admin_fail(a, EX_USAGE, _("bad unit code '%s': use the "
		    "unit's code, such as lc-tamduong (a-z, 0-9 and -)"), s);
	return 0;
}

/* --- the exchange -------------------------------------------------------- */

static const void *
admin_body(const Gp__Response *r)
{
	switch (r->body_case) {
	case GP__RESPONSE__BODY_UNITS:
		return r->units;
	case GP__RESPONSE__BODY_LIST:
		return r->list;
	case GP__RESPONSE__BODY_SHOW:
		return r->show;
	case GP__RESPONSE__BODY_HISTORY:
		return r->history;
	case GP__RESPONSE__BODY_MISSING:
		return r->missing;
	case GP__RESPONSE__BODY_SUMMARY:
		return r->summary;
	case GP__RESPONSE__BODY_EXPORT:
		return r->export;
	case GP__RESPONSE__BODY_LOCK:
		return r->lock;
	case GP__RESPONSE__BODY_AUDIT:
		return r->audit;
	case GP__RESPONSE__BODY_REVIEW:
		return r->review;
	case GP__RESPONSE__BODY_STATUS:
		return r->status;
	case GP__RESPONSE__BODY_REPORTS:
		return r->reports;
	case GP__RESPONSE__BODY_EXTEND:
		return r->extend;
	default:
		return NULL;
	}
}

/* The zone an answer names for its times, or NULL. */
static const char *
admin_zone(const Gp__Response *r)
{
	switch (r->body_case) {
	case GP__RESPONSE__BODY_LIST:
		return r->list->timezone;
	case GP__RESPONSE__BODY_SHOW:
		return r->show->timezone;
	case GP__RESPONSE__BODY_HISTORY:
		return r->history->timezone;
	case GP__RESPONSE__BODY_MISSING:
		return r->missing->timezone;
	case GP__RESPONSE__BODY_AUDIT:
		return r->audit->timezone;
	case GP__RESPONSE__BODY_STATUS:
		return r->status->timezone;
	case GP__RESPONSE__BODY_REPORTS:
		return r->reports->timezone;
	default:
		return NULL;
	}
}

/*
 * The server's refusal, with advice that fits a query: output_error's is
 * for a report being submitted. INVALID without field errors is a
 * question about something that is not there (no such report or
 * revision).
 */
static int
admin_error(struct admin *a, const Gp__Error *err)
{
	const char	*code, *advice;
	json_t		*o;
	int		 status;

	if (err == NULL || !err->has_code || err->message == NULL ||
	    err->n_field_errors > 0)
		return output_request_error(a->json && !a->started, err);
	switch (err->code) {
	case GP__ERROR_CODE__INVALID:
		code = "invalid";
		advice = "see 'gp-client list' and 'gp-client history' for "
		    "what is stored";
		status = EX_DATAERR;
		break;
	case GP__ERROR_CODE__PERMISSION_DENIED:
		code = "permission_denied";
		advice = "ask the provincial federation if this certificate "
		    "should be allowed";
		status = EX_NOPERM;
		break;
	default:
		return output_request_error(a->json && !a->started, err);
	}
	fmt_put(stderr, "gp-client: ", 0, FMT_LEFT);
	fmt_put(stderr, err->message, 0, FMT_LEFT);
	fprintf(stderr, "; %s\n", advice);
	if (a->json && !a->started) {
		o = json_pack("{s:s, s:s, s:o, s:[]}", "status", "refused",
		    "code", code, "message", fmt_json_text(err->message),
		    "errors");
		if (o != NULL) {
			admin_json_dump(o);
			json_decref(o);
			fputc('\n', stdout);
		}
	}
	return status;
}

/* conn_stream's callback: errors and wrong answers stop the stream. */
static int
admin_frame(const Gp__Response *resp, void *arg)
{
	struct admin_call	*call = arg;
	struct admin		*a = call->a;

	if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
		if (call->refused == NULL || resp->error == NULL ||
		    (a->status = call->refused(a, resp->error)) == -1)
			a->status = admin_error(a, resp->error);
		return 1;
	}
	if (resp->body_case != call->want || admin_body(resp) == NULL) {
		/* TRANSLATORS: what was asked for: "a list", "a report". */
		a->status = admin_fail(a, EX_PROTOCOL, _("the server's answer "
		    "is not %s; check that gp-client and gpd versions match"),
		    _(call->what));
		return 1;
	}
	zone_heard(admin_zone(resp));
	a->status = call->handle(a, resp, !(resp->has_more && resp->more));
	return a->status != 0;
}

int
admin_connect(struct admin *a)
{
	char	*cause = NULL;
	int	 status;

	if ((a->conn = conn_new(a->cfg, &cause)) == NULL) {
		status = admin_fail(a, EX_CONFIG, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	if (conn_connect(a->conn, &cause) == -1) {
		status = conn_status(a->conn);
		output_failure(a->json, status, cause);
		free(cause);
		return status;
	}
	return 0;
}

int
admin_exchange(struct admin *a, Gp__Request *req, Gp__Response__BodyCase want,
    const char *what, admin_frame_fn *handle, admin_refused_fn *refused)
{
	struct admin_call	 call;
	char			*cause = NULL;
	int			 status;

	if (a->conn == NULL && (status = admin_connect(a)) != 0)
		return status;
	call.a = a;
	call.want = want;
	call.what = what;
	call.handle = handle;
	call.refused = refused;
	a->status = 0;
	if (conn_stream(a->conn, req, admin_frame, &call, &cause) == -1) {
		status = conn_status(a->conn);
		output_failure(a->json && !a->started, status, cause);
		free(cause);
		return status;
	}
	return a->status;
}

void
admin_request(Gp__Request *req, uint32_t id, Gp__Request__BodyCase body)
{
	gp__request__init(req);
	req->has_id = 1;
	req->id = id;
	req->body_case = body;
}

int
admin_table_end(struct admin *a, const char *empty)
{
	if (a->json)
		return admin_json_close(a, NULL);
	if (a->csv || a->nitems > 0)
		fmt_table_header(&a->table);
	else
		fmt_line(stdout, "%s", empty);
	return admin_out(a);
}
/* --- entry --------------------------------------------------------------- */

const struct form *
admin_form(struct admin *a, const Gp__ReportRow *m)
{
	const struct form	*f;
	struct period		 p;
	char			*cause = NULL;

	if (a->conn != NULL)
		forms_use_conn(&a->forms, a->conn);
	if (m->form_sha256 != NULL &&
	    (f = forms_by_sha(&a->forms, m->form_sha256)) != NULL)
		return f;
	if (m->period != NULL && forms_period(&a->forms, m->period, &f, &p,
	    &cause) == 0)
		return f;
	free(cause);
	return NULL;
}

/* What history and the call list kept between frames. */
static void
admin_free_kept(struct admin *a)
{
	size_t	i;

	for (i = 0; i < a->ndecisions; i++) {
		free(a->decisions[i].action);
		free(a->decisions[i].state);
		free(a->decisions[i].comment);
		free(a->decisions[i].decided_by);
		free(a->decisions[i].decided_at);
		free(a->decisions[i].decision);
	}
	free(a->decisions);
	for (i = 0; i < a->ncalls; i++) {
		free(a->calls[i].unit);
		free(a->calls[i].name);
		free(a->calls[i].status);
		free(a->calls[i].due);
		free(a->calls[i].contact);
		free(a->calls[i].phone);
		free(a->calls[i].email);
	}
	free(a->calls);
}

int
admin_run(struct client *cl, const struct cmd_args *args, admin_run_fn *run)
{
	struct admin	a;
	int		status;

	memset(&a, 0, sizeof(a));
	a.client = cl;
	a.cfg = &cl->conn;
	a.json = cl->json;
	a.csv = cl->csv;
	a.name = args->entry->name;
	if (forms_open(&a.forms, cl) == -1)
		return client_fail(cl, EX_OSERR, _("out of memory"));
	status = run(&a, args);
	admin_free_kept(&a);
	forms_close(&a.forms);
	proof_free(a.proof);
	free(a.proof_cause);
	export_free(a.export);
	conn_free(a.conn);
	return status;
}
