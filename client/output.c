/*
 * gp-client's messages: receipts, verdicts and failures, for people or as
 * one JSON object (jansson) for scripts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "i18n.h"
#include "proof.h"
#include "fmt.h"
#include "output.h"
#include "tz.h"
#include "warning.h"
#include "zone.h"

#define OUTPUT_PREFIX	"gp-client: "

/* The JSON "code" of a local failure, named after its exit status. */
static const struct {
	int		 status;
	const char	*code;
} output_statuses[] = {
	{ EX_USAGE,		"usage" },
	{ EX_DATAERR,		"invalid" },
	{ EX_NOINPUT,		"no_input" },
	{ EX_UNAVAILABLE,	"unavailable" },
	{ EX_SOFTWARE,		"internal" },
	{ EX_OSERR,		"system" },
	{ EX_TEMPFAIL,		"try_later" },
	{ EX_PROTOCOL,		"protocol" },
	{ EX_NOPERM,		"permission_denied" },
	{ EX_CONFIG,		"config" }
};

/*
 * The daemon's error codes: JSON name, exit status, what happened and
 * what to do. gpd words its message in English; a reader of another
 * language gets these two, and gpd's words only for a code it does not
 * know (they stay in --json).
 * In English gpd's message is the sentence, and the advice follows it
 * unless gpd's message already says what to do (advised).
 */
struct output_code {
	const char	*name;
	int		 status;
	const char	*what;
	const char	*advice;	/* NULL: try again (retry_after) */
	int		 advised;	/* gpd's message says what to do */
};

static const struct output_code output_codes[] = {
	[GP__ERROR_CODE__ERROR_UNSPECIFIED] = { "unspecified", EX_PROTOCOL,
	    N_("the server did not understand the request"),
	    N_("check that gp-client and gpd versions match"), 0 },
	[GP__ERROR_CODE__BAD_REQUEST] = { "bad_request", EX_PROTOCOL,
	    N_("the server did not understand the request"),
	    N_("check that gp-client and gpd versions match"), 0 },
	[GP__ERROR_CODE__INVALID] = { "invalid", EX_DATAERR,
	    N_("the server refused the report"),
	    N_("correct the fields listed and submit again"), 0 },
	[GP__ERROR_CODE__CONFLICT] = { "conflict", EX_DATAERR,
	    N_("this submission id was already used for a different report"),
	    N_("remove \"id\" from the file or give it a new one"), 1 },
	[GP__ERROR_CODE__PERMISSION_DENIED] = { "permission_denied",
	    EX_NOPERM, N_("the server refused: this certificate may not do "
	    "that"), N_("a certificate may act only for its own unit; ask the "
	    "provincial federation if this is wrong"), 0 },
	[GP__ERROR_CODE__LOCKED] = { "locked", EX_NOPERM,
	    N_("the period is locked: it takes no new revisions"),
	    N_("ask the provincial federation to unlock the period"), 1 },
	[GP__ERROR_CODE__BUSY] = { "busy", EX_TEMPFAIL,
	    N_("the server is busy"), NULL, 0 },
	[GP__ERROR_CODE__STORAGE_FULL] = { "storage_full", EX_TEMPFAIL,
	    N_("the server's storage is full"), NULL, 0 },
	[GP__ERROR_CODE__INTERNAL] = { "internal", EX_PROTOCOL,
	    N_("the server could not do it"),
	    N_("try later, and if it persists tell the provincial federation"),
	    0 },
	[GP__ERROR_CODE__FINAL] = { "final", EX_NOPERM,
	    N_("the province has accepted this report: it is final and takes "
	    "no new revision"),
	    N_("if it must still change, ask the provincial federation to "
	    "reopen it"), 1 },
	[GP__ERROR_CODE__NOT_FOUND] = { "not_found", EX_NOINPUT,
	    N_("no such report"),
	    N_("see 'gp-client list' for what is stored"), 0 }
};
#define OUTPUT_NCODES	(sizeof(output_codes) / sizeof(output_codes[0]))


/* Where this thread's JSON objects go instead of standard output. */
static _Thread_local json_t	**output_slot;

void
output_capture(json_t **slot)
{
	output_slot = slot;
}

/* Prints o as one line on standard output (or hands it to the capture
 * slot) and releases it. */
static void
output_json_print(json_t *o)
{
	if (output_slot != NULL) {
		json_decref(*output_slot);
		*output_slot = o;
		return;
	}
	if (o == NULL || fmt_json_dumpf(o, stdout, JSON_COMPACT) == -1)
		fprintf(stderr, OUTPUT_PREFIX "%s\n", _("out of memory"));
	else
		fputc('\n', stdout);
	json_decref(o);
}

static const char *
output_status_code(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(output_statuses) / sizeof(output_statuses[0]);
	    i++)
		if (output_statuses[i].status == status)
			return output_statuses[i].code;
	return "error";
}

void
output_failure(int json, int status, const char *cause)
{
	if (cause == NULL)
		cause = _("out of memory");
	fmt_line(stderr, OUTPUT_PREFIX "%s", cause);
	if (json)
		output_json_print(json_pack("{s:s, s:s, s:o}",
		    "status", "error",
		    "code", output_status_code(status),
		    "message", fmt_json_text(cause)));
}

/* [{"field":..., "message":...}, ...], NULL on allocation failure. */
static json_t *
output_json_errors(const struct report_errors *errs)
{
	json_t	*a, *e;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < errs->n; i++) {
		e = json_pack("{s:o, s:o}",
		    "field", fmt_json_text(errs->e[i].field),
		    "message", fmt_json_text(errs->e[i].message));
		if (json_array_append_new(a, e) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Warnings as the daemon words them: "FIELD: MESSAGE" strings. */
static json_t *
output_json_warnings(const struct report_errors *warnings)
{
	json_t	*a;
	char	*s;
	size_t	 i;
	int	 n;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < warnings->n; i++) {
		if (warnings->e[i].field[0] != '\0')
			n = asprintf(&s, "%s: %s", warnings->e[i].field,
			    warnings->e[i].message);
		else
			n = asprintf(&s, "%s", warnings->e[i].message);
		if (n == -1 ||
		    json_array_append_new(a, fmt_json_text(s)) == -1) {
			if (n != -1)
				free(s);
			json_decref(a);
			return NULL;
		}
		free(s);
	}
	return a;
}

/* Each error as "FILE: error: FIELD: MESSAGE" (warning, with warnings);
 * the words "error" and "warning" in the reader's language. */
static void
output_errors(FILE *f, const char *file, int warnings,
    const struct report_errors *errs)
{
	/* TRANSLATORS: before each problem of a report: "bao-cao.json:
	 * error: activities[1].female: ...". */
	const char	*kind = warnings ? _("warning") : _("error");
	size_t		 i;

	for (i = 0; i < errs->n; i++) {
		if (errs->e[i].field[0] != '\0')
			fmt_line(f, "%s: %s: %s: %s", file, kind,
			    errs->e[i].field, errs->e[i].message);
		else
			fmt_line(f, "%s: %s: %s", file, kind,
			    errs->e[i].message);
	}
	if (errs->dropped > 0)
		fmt_line(f, ngettext("%s: %s: %zu more not shown",
		    "%s: %s: %zu more not shown", errs->dropped), file, kind,
		    errs->dropped);
}

void
output_invalid(int json, const char *file, const struct report_errors *errs,
    const char *cause)
{
	if (cause == NULL)
		cause = _("out of memory");
	if (json) {
		fmt_line(stderr, OUTPUT_PREFIX "%s", cause);
		output_json_print(json_pack("{s:s, s:s, s:o, s:o, s:o}",
		    "status", "error",
		    "code", "invalid",
		    "message", fmt_json_text(cause),
		    "file", fmt_json_text(file),
		    "errors", output_json_errors(errs)));
		return;
	}
	output_errors(stderr, file, 0, errs);
	fmt_line(stderr, OUTPUT_PREFIX "%s", cause);
}

void
output_valid(int json, const char *file, const struct report *r,
    const struct report_errors *warnings)
{
	if (json) {
		output_json_print(json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, "
		    "s:o}",
		    "status", "valid",
		    "file", fmt_json_text(file),
		    "unit", fmt_json_text(r->unit),
		    "period", fmt_json_text(r->period),
		    "activities", (json_int_t)r->nactivities,
		    "warnings", output_json_warnings(warnings),
		    "id", fmt_json_text(r->id)));
		return;
	}
	fmt_line(stdout, ngettext("%s: valid (%s %s, %zu activity)",
	    "%s: valid (%s %s, %zu activities)", r->nactivities), file,
	    r->unit, r->period, r->nactivities);
	output_errors(stdout, file, 1, warnings);
}

static const struct output_code *
output_code_of(const Gp__Error *err)
{
	if (err != NULL && err->has_code && (size_t)err->code < OUTPUT_NCODES &&
	    output_codes[err->code].name != NULL)
		return &output_codes[err->code];
	return &output_codes[GP__ERROR_CODE__ERROR_UNSPECIFIED];
}

int
output_error_status(const Gp__Error *err)
{
	return output_code_of(err)->status;
}

const char *
output_error_name(const Gp__Error *err)
{
	return output_code_of(err)->name;
}

/* The server's message, or the code's name when it sent none. */
static const char *
output_error_message(const Gp__Error *err)
{
	if (err != NULL && err->message != NULL && err->message[0] != '\0')
		return err->message;
	return output_code_of(err)->name;
}

/* [{"field":..., "message":...}, ...] of a server's error. */
static json_t *
output_json_field_errors(const Gp__Error *err)
{
	json_t	*a, *e;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; err != NULL && i < err->n_field_errors; i++) {
		e = json_pack("{s:o, s:o}", "field",
		    fmt_json_text(err->field_errors[i]->field),
		    "message",
		    fmt_json_text(err->field_errors[i]->message));
		if (json_array_append_new(a, e) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static void
output_field_errors(FILE *f, const char *indent, const Gp__Error *err)
{
	size_t	i;

	for (i = 0; i < err->n_field_errors; i++)
		fmt_line(f, "%s%s: %s: %s", indent, _("error"),
		    err->field_errors[i]->field != NULL ?
		    err->field_errors[i]->field : "",
		    err->field_errors[i]->message != NULL ?
		    err->field_errors[i]->message : "");
}

/* What to do after a refusal of that code, in the reader's language. */
static void
output_advice(const struct output_code *code, const Gp__Error *err,
    char *buf, size_t len)
{
	if (code->advice != NULL)
		snprintf(buf, len, "%s", _(code->advice));
	else if (err->has_retry_after && err->retry_after > 0)
		snprintf(buf, len, ngettext("try again in %u second",
		    "try again in %u seconds", err->retry_after),
		    err->retry_after);
	else
		snprintf(buf, len, "%s", _("try again later"));
}

/*
 * The one sentence of a refusal, after the field errors it is about: the
 * last line says what to do, as it does for a report checked here.
 */
static void
output_refusal(const struct output_code *code, const Gp__Error *err,
    const char *message, int report)
{
	char	advice[256], line[1024];

	output_advice(code, err, advice, sizeof(advice));
	if (code == &output_codes[GP__ERROR_CODE__INVALID] &&
	    err->n_field_errors > 0 && !report) {
		/* A query, not a report: what it asked is named above. */
		snprintf(line, sizeof(line), ngettext("the server refused the "
		    "request (%zu error): see above", "the server refused the "
		    "request (%zu errors): see above", err->n_field_errors),
		    err->n_field_errors);
		fmt_line(stderr, OUTPUT_PREFIX "%s", line);
	} else if (code == &output_codes[GP__ERROR_CODE__INVALID] &&
	    err->n_field_errors > 0) {
		snprintf(line, sizeof(line), ngettext("the server refused the "
		    "report (%zu error); correct the fields listed and submit "
		    "again", "the server refused the report (%zu errors); "
		    "correct the fields listed and submit again",
		    err->n_field_errors), err->n_field_errors);
		fmt_line(stderr, OUTPUT_PREFIX "%s", line);
	} else if (!i18n_vietnamese() && code->advised)
		fmt_line(stderr, OUTPUT_PREFIX "%s", message);
	else if (!i18n_vietnamese())
		fmt_line(stderr, OUTPUT_PREFIX "%s; %s", message, advice);
	else if (code != &output_codes[GP__ERROR_CODE__ERROR_UNSPECIFIED]) {
		/* A code this client knows says it all in the reader's
		 * language; gpd's English words stay in --json. */
		snprintf(line, sizeof(line), "%s; %s",
		    !report && code == &output_codes[GP__ERROR_CODE__INVALID] ?
		    _("the server refused the request") : _(code->what),
		    advice);
		fmt_line(stderr, OUTPUT_PREFIX "%s", line);
	} else {
		/* TRANSLATORS: what happened; what to do; the server's own
		 * words, in English. */
		snprintf(line, sizeof(line), _("%s; %s (the server says: %s)"),
		    !report && code == &output_codes[GP__ERROR_CODE__INVALID] ?
		    _("the server refused the request") : _(code->what),
		    advice, message);
		fmt_line(stderr, OUTPUT_PREFIX "%s", line);
	}
}

static int	output_error_about(int, const Gp__Error *, int);

int
output_error(int json, const Gp__Error *err)
{
	return output_error_about(json, err, 1);
}

int
output_request_error(int json, const Gp__Error *err)
{
	return output_error_about(json, err, 0);
}

/* A server's refusal of a report (report) or of another request. */
static int
output_error_about(int json, const Gp__Error *err, int report)
{
	const struct output_code	*code;
	const char			*message;
	json_t				*o;

	if (err == NULL) {
		output_failure(json, EX_PROTOCOL, _("the server sent an empty "
		    "error; check that gp-client and gpd versions match"));
		return EX_PROTOCOL;
	}
	code = output_code_of(err);
	message = output_error_message(err);

	if (!json) {
		output_field_errors(stderr, "", err);
		output_refusal(code, err, message, report);
		return code->status;
	}
	output_refusal(code, err, message, report);

	o = json_pack("{s:s, s:s, s:o, s:o}",
	    "status", "refused",
	    "code", code->name,
	    "message", fmt_json_text(message),
	    "errors", output_json_field_errors(err));
	if (o != NULL && err->has_retry_after &&
	    json_object_set_new(o, "retry_after",
	    json_integer(err->retry_after)) == -1) {
		json_decref(o);
		o = NULL;
	}
	output_json_print(o);
	return code->status;
}


/* A Unix time as RFC 3339 with the zone's offset. */
static json_t *
output_json_time(int64_t t)
{
	char	buf[TZ_RFC3339_LEN + 1];

	if (t == 0)
		return json_null();
	tz_rfc3339(zone_current(), t, buf);
	return json_string(buf);
}

/* The warnings of a submit answer as a JSON array of strings. */
static json_t *
output_json_answer_warnings(const Gp__SubmitResponse *sr)
{
	json_t	*w;
	size_t	 i;

	if ((w = json_array()) == NULL)
		return NULL;
	for (i = 0; i < sr->n_warnings; i++) {
		if (json_array_append_new(w,
		    fmt_json_text(sr->warnings[i])) == -1) {
			json_decref(w);
			return NULL;
		}
	}
	return w;
}

/*
 * Warning i of a submit answer said in the reader's language from its
 * code and arguments: 1 with *field and out set; 0 when the English
 * words are to be shown instead, because the server sent no codes (an
 * older one), not one for each warning, a code gp-client does not know
 * (a newer one) or arguments that are not what the code takes.
 */
static int
output_warning_said(const Gp__SubmitResponse *sr, size_t i,
    const char **field, char out[REPORT_MESSAGE_MAX])
{
	const Gp__Warning	*w;

	if (sr->n_warning_codes != sr->n_warnings || i >= sr->n_warnings ||
	    (w = sr->warning_codes[i]) == NULL || w->field == NULL ||
	    strlen(w->field) >= REPORT_FIELD_MAX ||
	    warning_say(warning_code(w->code), (const char *const *)w->args,
	    w->n_args, out) == -1)
		return 0;
	*field = w->field;
	return 1;
}

/*
 * The warnings of a submit answer as the page of gp-client-web shows
 * them, in its language: [{"field": F, "message": M}], each said from
 * its code, or split from gpd's English words.
 */
static json_t *
output_json_notes(const Gp__SubmitResponse *sr)
{
	json_t		*a, *o;
	const char	*field, *words, *colon;
	char		 msg[REPORT_MESSAGE_MAX], head[REPORT_FIELD_MAX];
	size_t		 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < sr->n_warnings; i++) {
		if (!output_warning_said(sr, i, &field, msg)) {
			words = sr->warnings[i] != NULL ? sr->warnings[i] : "";
			field = "";
			if ((colon = strstr(words, ": ")) != NULL &&
			    (size_t)(colon - words) < sizeof(head)) {
				snprintf(head, sizeof(head), "%.*s",
				    (int)(colon - words), words);
				field = head;
				words = colon + 2;
			}
			snprintf(msg, sizeof(msg), "%s", words);
		}
		o = json_pack("{s:o, s:o}", "field", fmt_json_text(field),
		    "message", fmt_json_text(msg));
		if (json_array_append_new(a, o) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Whether resp is a receipt with every field a user is shown. */
static const Gp__Receipt *
output_receipt_of(const Gp__Response *resp)
{
	const Gp__Receipt	*rc;

	if (resp->body_case != GP__RESPONSE__BODY_SUBMIT ||
	    resp->submit == NULL || (rc = resp->submit->receipt) == NULL ||
	    rc->receipt == NULL || rc->unit == NULL || rc->period == NULL ||
	    rc->received_at == NULL || !rc->has_revision)
		return NULL;
	return rc;
}

/*
 * The signed receipt rc as one JSON object: what verify-receipt reads.
 * warnings (taken) are left out when NULL: a kept receipt has none.
 */
static json_t *
output_json_signed(const Gp__Receipt *rc, const char *id, json_t *warnings)
{
	json_t	*o;

	if (rc->submission_id != NULL)
		id = rc->submission_id;
	o = json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:b, s:b}",
	    "status", "accepted",
	    "unit", fmt_json_text(rc->unit),
	    "period", fmt_json_text(rc->period),
	    "revision", (json_int_t)rc->revision,
	    "receipt", fmt_json_text(rc->receipt),
	    "received_at", fmt_json_text(rc->received_at),
	    "duplicate", rc->has_duplicate && rc->duplicate,
	    "late", rc->has_late && rc->late);
	if (o == NULL || (warnings != NULL &&
	    json_object_set_new(o, "warnings", warnings) == -1) ||
	    json_object_set_new(o, "id", fmt_json_text(id)) == -1 ||
	    proof_json_set(o, rc->report_sha256,
	    rc->has_signature ? rc->signature.data : NULL,
	    rc->has_signature ? rc->signature.len : 0,
	    rc->has_certificate ? rc->certificate.data : NULL,
	    rc->has_certificate ? rc->certificate.len : 0) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
output_json_receipt(const Gp__Response *resp, const char *id)
{
	json_t	*w, *o;

	zone_heard(resp->submit->timezone);
	if ((w = output_json_answer_warnings(resp->submit)) == NULL)
		return NULL;
	o = output_json_signed(resp->submit->receipt, id, w);
	if (o != NULL && resp->submit->has_back_under_review &&
	    resp->submit->back_under_review && json_object_set_new(o,
	    "back_under_review", json_true()) == -1) {
		json_decref(o);
		o = NULL;
	}
	/* Not signed: what the server says now, beside the receipt. */
	if (o != NULL && resp->submit->has_latest_revision &&
	    json_object_set_new(o, "latest_revision",
	    json_integer(resp->submit->latest_revision)) == -1) {
		json_decref(o);
		o = NULL;
	}
	/* For gp-client-web's page only: a receipt file (--json) has the
	 * members verify-receipt knows, the same in every language. */
	if (o != NULL && output_slot != NULL &&
	    json_object_set_new(o, "notes", output_json_notes(resp->submit))
	    == -1) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static void
output_receipt_lines(const Gp__Response *resp)
{
	const Gp__Receipt	*rc = resp->submit->receipt;
	const char		*when, *field;
	char			 cn[256], buf[ZONE_HUMAN_LEN + 1];
	char			 msg[REPORT_MESSAGE_MAX];
	size_t			 i;

	zone_heard(resp->submit->timezone);
	when = zone_human(rc->received_at, buf);
	/* TRANSLATORS: the receipt line after a submit: unit code, period,
	 * revision (1 for the first report of that unit and period, 2 for
	 * the first correction), the receipt id, the time the server
	 * received it (in the federation's time zone, with its offset). A
	 * script may read the English one: keep the words in this order
	 * there. */
	if (rc->duplicate && rc->late)
		fmt_line(stdout, _("duplicate %s %s revision %u receipt %s  "
		    "received %s  late (already stored; nothing new)"),
		    rc->unit, rc->period, rc->revision, rc->receipt, when);
	else if (rc->duplicate)
		fmt_line(stdout, _("duplicate %s %s revision %u receipt %s  "
		    "received %s (already stored; nothing new)"), rc->unit,
		    rc->period, rc->revision, rc->receipt, when);
	else if (rc->late)
		fmt_line(stdout, _("accepted %s %s revision %u receipt %s  "
		    "received %s  late"), rc->unit, rc->period, rc->revision,
		    rc->receipt, when);
	else
		fmt_line(stdout, _("accepted %s %s revision %u receipt %s  "
		    "received %s"), rc->unit, rc->period, rc->revision,
		    rc->receipt, when);
	if (resp->submit->has_back_under_review &&
	    resp->submit->back_under_review)
		fmt_line(stdout, "%s", _("back under review (the province had "
		    "returned the revision before)"));
	/* An older report sent again is not the latest because of it. */
	if (rc->duplicate && resp->submit->has_latest_revision &&
	    resp->submit->latest_revision > rc->revision)
		/* TRANSLATORS: the revision the report sent again was stored
		 * as; the latest revision; keep 'gp-client submit --as-new'
		 * as it is: it is a command to type. */
		fmt_line(stdout, _("this report is revision %u, stored before; "
		    "the latest revision is still %u (to make this report the "
		    "latest, send it with 'gp-client submit --as-new')"),
		    rc->revision, resp->submit->latest_revision);
	for (i = 0; i < resp->submit->n_warnings; i++) {
		if (output_warning_said(resp->submit, i, &field, msg))
			fmt_line(stdout, "%s: %s: %s", _("warning"), field,
			    msg);
		else
			fmt_line(stdout, "%s: %s", _("warning"),
			    resp->submit->warnings[i] != NULL ?
			    resp->submit->warnings[i] : "");
	}
	if (rc->has_signature && rc->signature.len > 0 &&
	    rc->has_certificate && proof_signer(rc->certificate.data,
	    rc->certificate.len, cn, sizeof(cn)) == 0)
		fmt_line(stdout, _("signed by CN=%s"), cn);
}

/* The kept receipt as Gp__Receipt, borrowing r's fields. */
static void
output_kept_receipt(const struct outbox_receipt *r, Gp__Receipt *rc)
{
	gp__receipt__init(rc);
	rc->receipt = r->receipt;
	rc->submission_id = r->submission_id;
	rc->unit = r->unit;
	rc->period = r->period;
	rc->has_revision = 1;
	rc->revision = r->revision;
	rc->received_at = r->received_at;
	rc->has_duplicate = 1;
	rc->duplicate = r->duplicate;
	rc->has_late = 1;
	rc->late = r->late;
	rc->report_sha256 = r->report_sha256;
	if (r->signature != NULL) {
		rc->has_signature = 1;
		rc->signature.data = r->signature;
		rc->signature.len = r->signature_len;
	}
	if (r->certificate != NULL) {
		rc->has_certificate = 1;
		rc->certificate.data = r->certificate;
		rc->certificate.len = r->certificate_len;
	}
}

int
output_receipt_export(FILE *f, const struct outbox_receipt *r)
{
	Gp__Receipt	 rc;
	json_t		*o;
	int		 rv;

	output_kept_receipt(r, &rc);
	if ((o = output_json_signed(&rc, r->submission_id, NULL)) == NULL)
		return -1;
	rv = fmt_json_dumpf(o, f, JSON_COMPACT);
	json_decref(o);
	if (rv == -1 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

int
output_submit(int json, const Gp__Response *resp, const char *id)
{
	if (resp->body_case == GP__RESPONSE__BODY_ERROR)
		return output_error(json, resp->error);
	if (output_receipt_of(resp) == NULL) {
		output_failure(json, EX_PROTOCOL, _("the server's answer is "
		    "not a receipt; check that gp-client and gpd versions "
		    "match"));
		return EX_PROTOCOL;
	}
	if (json)
		output_json_print(output_json_receipt(resp, id));
	else
		output_receipt_lines(resp);
	return EX_OK;
}

void
output_queued(int json, const char *sentence, const char *id,
    const char *unit, const char *period, const char *reason,
    const char *outbox)
{
	if (sentence == NULL)
		sentence = _("out of memory");
	fmt_line(stderr, OUTPUT_PREFIX "%s", sentence);
	if (json)
		output_json_print(json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, "
		    "s:o, s:o}",
		    "status", "queued",
		    "code", "try_later",
		    "message", fmt_json_text(sentence),
		    "id", fmt_json_text(id),
		    "unit", fmt_json_text(unit),
		    "period", fmt_json_text(period),
		    "reason", fmt_json_text(reason),
		    "outbox", fmt_json_text(outbox)));
}

void
output_note(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1) {
		fprintf(stderr, OUTPUT_PREFIX "%s\n", _("out of memory"));
		return;
	}
	fmt_line(stderr, OUTPUT_PREFIX "%s", s);
	free(s);
}

static json_t *
output_json_entry(const struct outbox_entry *e)
{
	return json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:o, s:o}",
	    "id", fmt_json_text(e->id),
	    "unit", fmt_json_text(e->unit),
	    "period", fmt_json_text(e->period),
	    "state", outbox_state_name(e->state),
	    "first_attempt", output_json_time(e->first_attempt),
	    "last_attempt", output_json_time(e->last_attempt),
	    "attempts", (json_int_t)e->attempts,
	    "last_error", fmt_json_text(e->last_error),
	    "content_hash", fmt_json_text(e->content_hash));
}

/* The tables of the outbox and of the receipts: headers in lower case, as
 * every table of gp-client, translated as they are printed. */
static const struct fmt_column output_outbox_columns[] = {
	{ N_("state"), 7, FMT_LEFT },
	{ N_("unit"), 16, FMT_LEFT },
	{ N_("period"), 7, FMT_LEFT },
	{ N_("id"), 36, FMT_LEFT },
	{ N_("first try"), 23, FMT_LEFT },
	{ N_("tries"), 5, FMT_RIGHT },
	{ N_("last error"), 0, FMT_LEFT }
};
#define OUTPUT_OUTBOX_NCOLUMNS	7

static const struct fmt_column output_receipts_columns[] = {
	{ N_("received"), 23, FMT_LEFT },
	{ N_("unit"), 16, FMT_LEFT },
	{ N_("period"), 7, FMT_LEFT },
	/* TRANSLATORS: a table's header: the revision of a report (1 the
	 * first, 2 its first correction); short. */
	{ N_("rev"), 3, FMT_RIGHT },
	{ N_("receipt"), 32, FMT_LEFT },
	{ N_("note"), 0, FMT_LEFT }
};
#define OUTPUT_RECEIPTS_NCOLUMNS	6

/* An outbox entry's state, as the outbox table shows it. */
static const char *
output_state_label(enum outbox_state state)
{
	switch (state) {
	case OUTBOX_WAITING:
		return _("waiting");
	case OUTBOX_SENDING:
		return _("sending");
	case OUTBOX_FAILED:
		/* TRANSLATORS: the state of a report the server refused,
		 * kept in the outbox until it is dropped or retried. */
		return _("failed");
	}
	return "?";
}

void
output_outbox(int json, struct outbox_entry **v, size_t n, const char *path)
{
	struct fmt_table	 table;
	const char		*cells[OUTPUT_OUTBOX_NCOLUMNS];
	json_t			*a;
	char			 when[ZONE_HUMAN_LEN + 1], tries[I18N_MAX];
	size_t			 i;

	if (json) {
		if ((a = json_array()) == NULL) {
			output_json_print(NULL);
			return;
		}
		for (i = 0; i < n; i++) {
			if (json_array_append_new(a,
			    output_json_entry(v[i])) == -1) {
				json_decref(a);
				a = NULL;
				break;
			}
		}
		output_json_print(a);
		return;
	}
	if (n == 0) {
		fmt_line(stdout, _("the outbox is empty (%s)"), path);
		return;
	}
	fmt_table_init(&table, stdout, output_outbox_columns,
	    OUTPUT_OUTBOX_NCOLUMNS, 0);
	for (i = 0; i < n; i++) {
		cells[0] = output_state_label(v[i]->state);
		cells[1] = v[i]->unit;
		cells[2] = v[i]->period;
		cells[3] = v[i]->id;
		cells[4] = zone_human_at(v[i]->first_attempt, when);
		cells[5] = i18n_int(tries, sizeof(tries),
		    (uint64_t)v[i]->attempts);
		cells[6] = v[i]->last_error != NULL ? v[i]->last_error : "-";
		fmt_table_row(&table, cells);
	}
}

void
output_outbox_changed(int json, int dropped, const struct outbox_entry *e)
{
	if (json)
		output_json_print(json_pack("{s:s, s:o, s:o, s:o}",
		    "status", dropped ? "dropped" : "waiting",
		    "id", fmt_json_text(e->id),
		    "unit", fmt_json_text(e->unit),
		    "period", fmt_json_text(e->period)));
	else if (dropped)
		fmt_line(stdout, _("dropped %s %s %s from the outbox"),
		    e->unit, e->period, e->id);
	else
		fmt_line(stdout, _("%s %s %s waits again; 'gp-client flush' "
		    "sends it"), e->unit, e->period, e->id);
}

static json_t *
output_json_kept_receipt(const struct outbox_receipt *r)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:I, s:o, s:b, s:b, s:o, s:o, "
	    "s:o, s:o, s:b}",
	    "receipt", fmt_json_text(r->receipt),
	    "id", fmt_json_text(r->submission_id),
	    "unit", fmt_json_text(r->unit),
	    "period", fmt_json_text(r->period),
	    "revision", (json_int_t)r->revision,
	    "received_at", fmt_json_text(r->received_at),
	    "duplicate", r->duplicate,
	    "late", r->late,
	    "server", fmt_json_text(r->server),
	    "stored_at", output_json_time(r->stored_at),
	    "content_hash", fmt_json_text(r->content_hash),
	    "report_sha256", fmt_json_text(r->report_sha256),
	    "signed", r->signature != NULL);
}

void
output_receipts(int json, struct outbox_receipt **v, size_t n)
{
	struct fmt_table	 table;
	const char		*cells[OUTPUT_RECEIPTS_NCOLUMNS];
	json_t			*a;
	char			 when[ZONE_HUMAN_LEN + 1], rev[I18N_MAX];
	size_t			 i;

	if (json) {
		if ((a = json_array()) == NULL) {
			output_json_print(NULL);
			return;
		}
		for (i = 0; i < n; i++) {
			if (json_array_append_new(a,
			    output_json_kept_receipt(v[i])) == -1) {
				json_decref(a);
				a = NULL;
				break;
			}
		}
		output_json_print(a);
		return;
	}
	if (n == 0) {
		fmt_line(stdout, "%s", _("no receipts kept"));
		return;
	}
	fmt_table_init(&table, stdout, output_receipts_columns,
	    OUTPUT_RECEIPTS_NCOLUMNS, 0);
	for (i = 0; i < n; i++) {
		cells[0] = zone_human(v[i]->received_at, when);
		cells[1] = v[i]->unit;
		cells[2] = v[i]->period;
		cells[3] = i18n_int(rev, sizeof(rev), v[i]->revision);
		cells[4] = v[i]->receipt;
		/* TRANSLATORS: the note of a receipt in the receipts table. */
		cells[5] = v[i]->duplicate && v[i]->late ?
		    _("duplicate, late") : v[i]->duplicate ? _("duplicate") :
		    v[i]->late ? _("late") : "";
		fmt_table_row(&table, cells);
	}
}

void
output_receipt_exported(int json, const struct outbox_receipt *r,
    const char *path, const char *report_path)
{
	if (json)
		output_json_print(json_pack("{s:s, s:o, s:o, s:o}",
		    "status", "exported",
		    "receipt", fmt_json_text(r->receipt),
		    "file", fmt_json_text(path),
		    "report", fmt_json_text(report_path)));
	else if (report_path != NULL)
		fmt_line(stdout, _("wrote receipt %s (%s %s revision %u) to %s "
		    "and its report to %s"), r->receipt, r->unit, r->period,
		    r->revision, path, report_path);
	else
		fmt_line(stdout, _("wrote receipt %s (%s %s revision %u) to "
		    "%s"), r->receipt, r->unit, r->period, r->revision, path);
}

struct output_flush {
	int	 json;
	int	 progress;
	size_t	 delivered;
	size_t	 duplicates;
	size_t	 refused;
	json_t	*sent;		/* with json */
	json_t	*refusals;
};

struct output_flush *
output_flush_new(int json, int progress)
{
	struct output_flush	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->json = json;
	f->progress = progress && !json;
	if (json && ((f->sent = json_array()) == NULL ||
	    (f->refusals = json_array()) == NULL)) {
		json_decref(f->sent);
		free(f);
		return NULL;
	}
	return f;
}

void
output_flush_sending(struct output_flush *f, size_t n, size_t total,
    const struct outbox_entry *e)
{
	char	t[ZONE_HUMAN_LEN + 1];

	if (!f->progress)
		return;
	/* TRANSLATORS: n of total; unit, period, submission id; when it was
	 * first queued (in the federation's time zone); the tries so far. */
	fmt_line(stdout, ngettext("[%zu/%zu] sending %s %s %s (queued %s, "
	    "%lld earlier try)", "[%zu/%zu] sending %s %s %s (queued %s, "
	    "%lld earlier tries)", (unsigned long)e->attempts), n,
	    total < n ? n : total, e->unit, e->period, e->id,
	    zone_human_at(e->first_attempt, t), (long long)e->attempts);
	fflush(stdout);
}

void
output_flush_receipt(struct output_flush *f, const Gp__Response *resp,
    const char *id)
{
	const Gp__Receipt	*rc = resp->submit->receipt;

	f->delivered++;
	if (rc->has_duplicate && rc->duplicate)
		f->duplicates++;
	if (f->json) {
		json_array_append_new(f->sent, output_json_receipt(resp, id));
		return;
	}
	output_receipt_lines(resp);
}

void
output_flush_refused(struct output_flush *f, const struct outbox_entry *e,
    const Gp__Error *err, const char *message)
{
	f->refused++;
	if (f->json) {
		json_array_append_new(f->refusals, json_pack("{s:o, s:o, s:o, "
		    "s:s, s:o, s:o}",
		    "id", fmt_json_text(e->id),
		    "unit", fmt_json_text(e->unit),
		    "period", fmt_json_text(e->period),
		    "code", err != NULL ? output_error_name(err) : "protocol",
		    "message", fmt_json_text(message),
		    "errors", output_json_field_errors(err)));
		return;
	}
	fmt_line(stdout, _("refused %s %s %s: %s; kept in the outbox "
	    "('gp-client outbox --drop %s' removes it)"), e->unit, e->period,
	    e->id, message, e->id);
	if (err != NULL)
		output_field_errors(stdout, "  ", err);
}

void
output_flush_kept(struct output_flush *f, const struct outbox_entry *e,
    const char *reason)
{
	if (f->json)
		return;
	fmt_line(stdout, _("waiting %s %s %s: %s"), e->unit, e->period,
	    e->id, reason);
}

void
output_flush_end(struct output_flush *f, size_t waiting, size_t failed,
    int status, const char *sentence)
{
	const char	*state;

	state = status == EX_OK ? "empty" : waiting > 0 ? "waiting" :
	    failed > 0 ? "refused" : "error";
	if (sentence != NULL)
		fmt_line(stderr, OUTPUT_PREFIX "%s", sentence);
	if (f->json) {
		output_json_print(json_pack("{s:s, s:o, s:o, s:I, s:I, s:o}",
		    "status", state,
		    "delivered", f->sent,
		    "refused", f->refusals,
		    "waiting", (json_int_t)waiting,
		    "failed", (json_int_t)failed,
		    "message", fmt_json_text(sentence)));
		f->sent = f->refusals = NULL;
	} else
		/* TRANSLATORS: reports delivered, of them duplicates,
		 * refused; what the outbox holds after: waiting, refused. */
		fmt_line(stdout, ngettext("flush: %zu delivered (%zu "
		    "duplicate), %zu refused; the outbox holds %zu waiting, "
		    "%zu refused", "flush: %zu delivered (%zu duplicates), "
		    "%zu refused; the outbox holds %zu waiting, %zu refused",
		    f->duplicates), f->delivered, f->duplicates, f->refused,
		    waiting, failed);
	json_decref(f->sent);
	json_decref(f->refusals);
	free(f);
}

/* The result of a check: in --json, and as a person reads it. */
static const char *const output_levels[] = {
	[OUTPUT_OK] = "OK",
	[OUTPUT_WARN] = "WARN",
	[OUTPUT_FAIL] = "FAIL",
	[OUTPUT_SKIP] = "SKIP"
};
/* TRANSLATORS: doctor's results, first on each line: passed, passed
 * with something to do soon, failed, not checked. Short, in capitals. */
static const char *const output_level_labels[] = {
	[OUTPUT_OK] = N_("OK"),
	[OUTPUT_WARN] = N_("WARN"),
	[OUTPUT_FAIL] = N_("FAIL"),
	[OUTPUT_SKIP] = N_("SKIP")
};

void
output_check(int json, const struct output_check *c)
{
	size_t	i, w, width = 0;

	if (json)
		return;
	for (i = 0; i < sizeof(output_level_labels) /
	    sizeof(output_level_labels[0]); i++)
		if ((w = fmt_width(_(output_level_labels[i]))) > width)
			width = w;
	fmt_put(stdout, _(output_level_labels[c->level]), width, FMT_LEFT);
	fputc(' ', stdout);
	fmt_put(stdout, c->label, c->width, FMT_LEFT);
	fmt_line(stdout, " %s", c->message);
	fflush(stdout);
}

void
output_doctor(int json, const struct output_check *v, size_t n, int status)
{
	json_t	*a;
	size_t	 i;

	if (!json)
		return;
	if ((a = json_array()) == NULL) {
		output_json_print(NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (json_array_append_new(a, json_pack("{s:s, s:s, s:o}",
		    "check", v[i].name,
		    "result", output_levels[v[i].level],
		    "message", fmt_json_text(v[i].message))) == -1) {
			json_decref(a);
			output_json_print(NULL);
			return;
		}
	}
	output_json_print(json_pack("{s:s, s:i, s:o}",
	    "status", status == EX_OK ? "ok" : "fail",
	    "exit", status,
	    "checks", a));
}
