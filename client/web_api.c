/*
 * The JSON API of gp-client-web (gp-client(1), "WEB API"), reached once
 * web_http.c has judged the request. Every period-taking call names the
 * period in ?period=; its year must have a form. Report bodies are report
 * JSON as gp-client validate reads it; the unit and period in them are
 * always this certificate's and the query's, and an "id" is dropped: the
 * report's id is derived from its content, so sending the same report
 * twice is harmless.
 *
 *   GET    /api/periods		the unit (and its name, once the
 *				server gave it), today, the periods of
 *				the forms known, with draft, outbox and
 *				receipt at a glance
 *   GET    /api/form?period=P	the form of P's year (canonical JSON)
 *   GET    /api/draft?period=P	the saved draft, or 404
 *   PUT    /api/draft?period=P	saves the body as the draft
 *   DELETE /api/draft?period=P	removes it
 *   POST   /api/validate?period=P	every error and warning of the body
 *   POST   /api/submit?period=P	(web_send.c)
 *   POST   /api/retry?period=P	(web_send.c)
 *   GET    /api/status?period=P	(web_send.c)
 *   GET    /api/last?period=P	(web_send.c)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "period.h"
#include "report.h"
#include "report_json.h"
#include "text.h"
#include "web.h"

#define WEB_API_JSON	"application/json; charset=utf-8"

void
web_reply_json(struct web_reply *reply, unsigned int status, json_t *o)
{
	char	*s = NULL;

	if (o != NULL)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(reply->body);
	reply->type = WEB_API_JSON;
	reply->static_body = 0;
	if (s == NULL) {
		reply->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		reply->body = NULL;
		reply->len = 0;
		return;
	}
	reply->status = status;
	reply->body = s;
	reply->len = strlen(s);
}

/* Text for a JSON answer: what a peer sent may be quoted in it (a JSON
 * syntax error quotes the bytes), and only UTF-8 goes into JSON. */
static json_t *
web_api_string(const char *s)
{
	json_t	*o;
	char	*t;

	if ((t = text_repair(s, strlen(s))) == NULL)
		return NULL;
	o = json_string(t);
	free(t);
	return o;
}

void
web_reply_error(struct web_reply *reply, unsigned int status,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	web_reply_json(reply, status, s == NULL ? NULL :
	    json_pack("{s:o}", "error", web_api_string(s)));
	free(s);
}

void
web_api_set_unit_name(struct web *w, const char *name)
{
	if (name == NULL || name[0] == '\0' ||
	    strlen(name) >= sizeof(w->unit_name))
		return;
	pthread_mutex_lock(&w->lock);
	memcpy(w->unit_name, name, strlen(name) + 1);
	pthread_mutex_unlock(&w->lock);
}

const char *
web_api_unit_name(struct web *w, char *buf, size_t len)
{
	pthread_mutex_lock(&w->lock);
	snprintf(buf, len, "%s", w->unit_name);
	pthread_mutex_unlock(&w->lock);
	return buf;
}

static json_t *
web_api_date(int32_t day)
{
	char	buf[DATE_LEN + 1];

	date_format(day, buf);
	return json_string(buf);
}

static json_t *
web_api_period(struct web *w, const struct form *f, int kind)
{
	const struct form_period	*fp = form_period(f, kind);
	json_t				*o;
	char				 id[16], saved_at[32];
	char				*cause = NULL;
	json_t				*draft = NULL;
	uint32_t			 revision = 0;
	int				 waiting = 0;

	if (kind == PERIOD_HALF)
		snprintf(id, sizeof(id), "%d-H1", form_year(f));
	else
		snprintf(id, sizeof(id), "%d", form_year(f));
	saved_at[0] = '\0';
	if (web_draft_load(w, id, &draft, saved_at, sizeof(saved_at),
	    &cause) == -1)
		saved_at[0] = '\0';
	free(cause);
	json_decref(draft);
	if (web_send_summary(w, id, &waiting, &revision) == -1)
		waiting = 0;

	o = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:o, "
	    "s:i, s:o}",
	    "id", id,
	    "year", form_year(f),
	    "kind", kind == PERIOD_HALF ? "H1" : "annual",
	    "label", fp->label,
	    "from", web_api_date(fp->from),
	    "to", web_api_date(fp->to),
	    "due", web_api_date(fp->due),
	    "planned_until", web_api_date(fp->planned_until),
	    "days_left", (int)(fp->due - web_form_today()),
	    "draft", saved_at[0] != '\0' ? json_string(saved_at) : json_null(),
	    "waiting", waiting,
	    "revision", revision > 0 ? json_integer(revision) : json_null());
	return o;
}

static void
web_api_periods(struct web *w, struct web_reply *reply)
{
	const struct form	*f;
	json_t			*o, *periods;
	char			 name[WEB_UNIT_NAME_MAX];
	size_t			 i, n;

	if ((periods = json_array()) == NULL) {
		web_reply_json(reply, 0, NULL);
		return;
	}
	/* Newest year first, the annual report before the six-month one:
	 * the order of their deadlines, latest first. */
	n = form_set_count(w->forms);
	for (i = n; i-- > 0; ) {
		f = form_set_at(w->forms, i);
		json_array_append_new(periods, web_api_period(w, f,
		    PERIOD_YEAR));
		json_array_append_new(periods, web_api_period(w, f,
		    PERIOD_HALF));
	}
	o = json_pack("{s:s, s:o, s:o, s:s, s:o}",
	    "unit", w->unit,
	    "unit_name", web_api_unit_name(w, name, sizeof(name))[0] != '\0' ?
	    web_api_string(name) : json_null(),
	    "today", web_api_date(web_form_today()),
	    "server", w->conn.server,
	    "periods", periods);
	web_reply_json(reply, MHD_HTTP_OK, o);
}

static void
web_api_form(const struct form *f, struct web_reply *reply)
{
	size_t	len;

	reply->status = MHD_HTTP_OK;
	reply->type = WEB_API_JSON;
	reply->body = (char *)(uintptr_t)form_canonical(f, &len);
	reply->len = len;
	reply->static_body = 1;
}

json_t *
web_api_report(struct web *w, const struct web_request *req,
    const char *period, struct web_reply *reply)
{
	json_error_t	 jerr;
	json_t		*o;

	if ((o = json_loadb(req->body, req->len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		web_reply_error(reply, MHD_HTTP_BAD_REQUEST, _("the body is "
		    "not JSON: line %d column %d: %s"), jerr.line, jerr.column,
		    jerr.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		web_reply_error(reply, MHD_HTTP_BAD_REQUEST, _("the body must "
		    "be a report: a JSON object"));
		return NULL;
	}
	json_object_del(o, "id");
	if (json_object_set_new(o, "unit", json_string(w->unit)) == -1 ||
	    json_object_set_new(o, "period", json_string(period)) == -1) {
		json_decref(o);
		web_reply_json(reply, 0, NULL);
		return NULL;
	}
	return o;
}

static void
web_api_draft(struct web *w, const struct web_request *req,
    const char *period, struct web_reply *reply)
{
	json_t	*report;
	char	 saved_at[32], *cause = NULL;

	if (strcmp(req->method, "GET") == 0) {
		if (web_draft_load(w, period, &report, saved_at,
		    sizeof(saved_at), &cause) == -1)
			web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "%s", cause != NULL ? cause : _("out of memory"));
		else if (report == NULL)
			web_reply_error(reply, MHD_HTTP_NOT_FOUND, _("no draft "
			    "of %s"), period);
		else
			web_reply_json(reply, MHD_HTTP_OK, json_pack(
			    "{s:s, s:o}", "saved_at", saved_at, "report",
			    report));
	} else if (strcmp(req->method, "PUT") == 0) {
		if ((report = web_api_report(w, req, period, reply)) == NULL)
			return;
		if (web_draft_save(w, period, report, saved_at,
		    sizeof(saved_at), &cause) == -1)
			web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "%s", cause != NULL ? cause : _("out of memory"));
		else
			web_reply_json(reply, MHD_HTTP_OK, json_pack("{s:s}",
			    "saved_at", saved_at));
		json_decref(report);
	} else if (strcmp(req->method, "DELETE") == 0) {
		if (web_draft_remove(w, period, &cause) == -1)
			web_reply_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "%s", cause != NULL ? cause : _("out of memory"));
		else
			web_reply_json(reply, MHD_HTTP_OK, json_pack("{s:b}",
			    "removed", 1));
	} else
		web_reply_error(reply, MHD_HTTP_METHOD_NOT_ALLOWED,
		    _("use GET, PUT or DELETE"));
	free(cause);
}

/*
 * Removes what a field name ("activities[2].female",
 * "indicators.members.total") points at, so that the rest of a report
 * whose reading failed can still be checked; an array element becomes
 * an empty object (the indexes of the others stay). Returns 0, or -1
 * when the name does not lead anywhere.
 */
static int
web_api_strip(json_t *root, const char *field)
{
	json_t		*at = root, *next;
	const char	*p = field;
	char		 key[REPORT_FIELD_MAX], *end;
	size_t		 len, idx = 0;
	int		 is_index;

	for (;;) {
		if (*p == '[') {
			idx = strtoul(p + 1, &end, 10);
			if (*end != ']' || !json_is_array(at) ||
			    idx >= json_array_size(at))
				return -1;
			is_index = 1;
			p = end + 1;
		} else {
			len = strcspn(p, ".[");
			if (len == 0 || len >= sizeof(key) || !json_is_object(at))
				return -1;
			memcpy(key, p, len);
			key[len] = '\0';
			is_index = 0;
			p += len;
		}
		if (*p == '.')
			p++;
		next = is_index ? json_array_get(at, idx) :
		    json_object_get(at, key);
		if (next == NULL)
			return -1;
		if (*p == '\0')
			break;
		at = next;
	}
	if (is_index)
		return json_array_set_new(at, idx, json_object());
	return json_object_del(at, key);
}

static json_t *
web_api_errors(const struct report_errors *errs, const struct report_errors
    *skip)
{
	json_t	*a;
	size_t	 i, j;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < errs->n; i++) {
		for (j = 0; skip != NULL && j < skip->n; j++)
			if (strcmp(skip->e[j].field, errs->e[i].field) == 0)
				break;
		if (skip != NULL && j < skip->n)
			continue;
		json_array_append_new(a, json_pack("{s:o, s:o}",
		    "field", web_api_string(errs->e[i].field),
		    "message", web_api_string(errs->e[i].message)));
	}
	return a;
}

/* Reads report (JSON) as gp-client validate reads a file. Returns the
 * report, or NULL with errs (field errors) or cause (anything else). */
static struct report *
web_api_read(struct web *w, json_t *report, struct report_errors *errs,
    char *cause, size_t len)
{
	struct report	*r = NULL;
	char		*text;

	cause[0] = '\0';
	if ((text = json_dumps(report, JSON_COMPACT)) == NULL) {
		snprintf(cause, len, "%s", _("out of memory"));
		return NULL;
	}
	if (report_json_read(text, strlen(text), w->forms, &r, errs, cause,
	    len) == -1)
		r = NULL;
	free(text);
	return r;
}

/*
 * Every error and warning of a report, by the C rules (web_form_check):
 * a field that cannot be read (a number left empty) is named, and the
 * rest of the report is still checked without it, so that the page can
 * show every error at once. Returns the JSON answer, or NULL.
 */
json_t *
web_api_verdict(struct web *w, json_t *report, struct report **out)
{
	struct report_errors	*read = NULL, *errs = NULL, *warns = NULL;
	struct report		*r = NULL;
	json_t			*copy = NULL, *o = NULL, *a, *b;
	char			 cause[256];
	size_t			 i;

	if (out != NULL)
		*out = NULL;
	if ((read = calloc(1, sizeof(*read))) == NULL ||
	    (errs = calloc(1, sizeof(*errs))) == NULL ||
	    (warns = calloc(1, sizeof(*warns))) == NULL)
		goto done;
	if ((r = web_api_read(w, report, read, cause, sizeof(cause))) ==
	    NULL) {
		if (read->n == 0) {
			report_errors_add(read, "", "%s", cause);
			goto answer;
		}
		if ((copy = json_deep_copy(report)) == NULL)
			goto done;
		for (i = 0; i < read->n; i++)
			if (web_api_strip(copy, read->e[i].field) == -1)
				goto answer;
		if ((r = web_api_read(w, copy, errs, cause, sizeof(cause))) ==
		    NULL)
			goto answer;
	}
	if (web_form_check(w, r, errs, warns) == -2)
		goto done;

answer:
	a = web_api_errors(read, NULL);
	b = web_api_errors(errs, read);
	if (a != NULL && b != NULL)
		json_array_extend(a, b);
	json_decref(b);
	o = json_pack("{s:b, s:o, s:o, s:i}",
	    "valid", a != NULL && json_array_size(a) == 0 && read->dropped == 0 &&
	    errs->dropped == 0,
	    "errors", a,
	    "warnings", web_api_errors(warns, NULL),
	    "more", (int)(read->dropped + errs->dropped));
	if (out != NULL && o != NULL && json_is_true(json_object_get(o,
	    "valid"))) {
		*out = r;
		r = NULL;
	}

done:
	report_free(r);
	json_decref(copy);
	free(read);
	free(errs);
	free(warns);
	return o;
}

static void
web_api_validate(struct web *w, const struct web_request *req,
    const char *period, struct web_reply *reply)
{
	json_t	*report;

	if ((report = web_api_report(w, req, period, reply)) == NULL)
		return;
	web_reply_json(reply, MHD_HTTP_OK, web_api_verdict(w, report, NULL));
	json_decref(report);
}

static int
web_api_is(const struct web_request *req, const char *method,
    const char *path)
{
	return strcmp(req->path, path) == 0 &&
	    (method == NULL || strcmp(req->method, method) == 0);
}

void
web_api(struct web *w, const struct web_request *req,
    struct web_reply *reply)
{
	const struct form	*f;
	struct period		 p;
	json_t			*report;
	char			*cause = NULL;

	if (web_api_is(req, "GET", "/api/periods")) {
		web_api_periods(w, reply);
		return;
	}
	if (!web_api_is(req, NULL, "/api/form") &&
	    !web_api_is(req, NULL, "/api/draft") &&
	    !web_api_is(req, NULL, "/api/validate") &&
	    !web_api_is(req, NULL, "/api/submit") &&
	    !web_api_is(req, NULL, "/api/retry") &&
	    !web_api_is(req, NULL, "/api/status") &&
	    !web_api_is(req, NULL, "/api/last")) {
		web_reply_error(reply, MHD_HTTP_NOT_FOUND,
		    _("no such call: %s"), req->path);
		return;
	}
	if ((f = web_form_of(w, req->period, &p, &cause)) == NULL) {
		web_reply_error(reply, MHD_HTTP_BAD_REQUEST, _("period: %s"),
		    cause != NULL ? cause : _("out of memory"));
		free(cause);
		return;
	}

	if (web_api_is(req, "GET", "/api/form"))
		web_api_form(f, reply);
	else if (web_api_is(req, NULL, "/api/draft"))
		web_api_draft(w, req, req->period, reply);
	else if (web_api_is(req, "POST", "/api/validate"))
		web_api_validate(w, req, req->period, reply);
	else if (web_api_is(req, "POST", "/api/submit")) {
		if ((report = web_api_report(w, req, req->period, reply)) !=
		    NULL)
			web_send_submit(w, req->period, report, reply);
		json_decref(report);
	} else if (web_api_is(req, "POST", "/api/retry"))
		web_send_retry(w, req->period, reply);
	else if (web_api_is(req, "GET", "/api/status"))
		web_send_status(w, req->period, reply);
	else if (web_api_is(req, "GET", "/api/last"))
		web_send_last(w, req->period, reply);
	else
		web_reply_error(reply, MHD_HTTP_METHOD_NOT_ALLOWED,
		    _("method %s not allowed for %s"), req->method, req->path);
}
