/*
 * gp-client's messages: receipts, verdicts and failures, for people or as
 * one JSON object (jansson) for scripts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "output.h"

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

/* The daemon's error codes: JSON name, exit status, what to do. */
struct output_code {
	const char	*name;
	int		 status;
	const char	*advice;	/* NULL: try again (retry_after) */
};

static const struct output_code output_codes[] = {
	[GP__ERROR_CODE__ERROR_UNSPECIFIED] = { "unspecified", EX_PROTOCOL,
	    "check that gp-client and gpd versions match" },
	[GP__ERROR_CODE__BAD_REQUEST] = { "bad_request", EX_PROTOCOL,
	    "check that gp-client and gpd versions match" },
	[GP__ERROR_CODE__INVALID] = { "invalid", EX_DATAERR,
	    "correct the fields listed and submit again" },
	[GP__ERROR_CODE__CONFLICT] = { "conflict", EX_DATAERR,
	    "this submission id was already used for a different report: "
	    "remove \"id\" from the file or give it a new one" },
	[GP__ERROR_CODE__PERMISSION_DENIED] = { "permission_denied",
	    EX_NOPERM, "a certificate may act only for its own unit; ask the "
	    "provincial federation if this is wrong" },
	[GP__ERROR_CODE__LOCKED] = { "locked", EX_NOPERM,
	    "ask the provincial federation to unlock the period" },
	[GP__ERROR_CODE__BUSY] = { "busy", EX_TEMPFAIL, NULL },
	[GP__ERROR_CODE__STORAGE_FULL] = { "storage_full", EX_TEMPFAIL, NULL },
	[GP__ERROR_CODE__INTERNAL] = { "internal", EX_PROTOCOL,
	    "try later, and if it persists tell the provincial federation" }
};
#define OUTPUT_NCODES	(sizeof(output_codes) / sizeof(output_codes[0]))

static void	output_line(FILE *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Prints s with C0 and C1 control characters (and DEL) as '?': text from
 * the server or a report must not move the cursor or retitle the window.
 */
static void
output_safe(FILE *f, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fputc('?', f);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc('?', f);
			p++;
		} else
			fputc(*p, f);
	}
}

/* One line, everything in it made safe. */
static void
output_line(FILE *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1) {
		fputs(OUTPUT_PREFIX "out of memory\n", f);
		return;
	}
	output_safe(f, s);
	fputc('\n', f);
	free(s);
}

/* A JSON string for text that should be UTF-8 but may not be: what is
 * not valid becomes '?' rather than failing the whole answer. */
static json_t *
output_json_text(const char *s)
{
	json_t	*j;
	char	*copy;
	size_t	 i;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((copy = strdup(s)) == NULL)
		return NULL;
	for (i = 0; copy[i] != '\0'; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* Prints o as one line on standard output and releases it. */
static void
output_json_print(json_t *o)
{
	if (o == NULL || json_dumpf(o, stdout, JSON_COMPACT) == -1)
		fputs(OUTPUT_PREFIX "out of memory\n", stderr);
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
		cause = "out of memory";
	output_line(stderr, OUTPUT_PREFIX "%s", cause);
	if (json)
		output_json_print(json_pack("{s:s, s:s, s:o}",
		    "status", "error",
		    "code", output_status_code(status),
		    "message", output_json_text(cause)));
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
		    "field", output_json_text(errs->e[i].field),
		    "message", output_json_text(errs->e[i].message));
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
		    json_array_append_new(a, output_json_text(s)) == -1) {
			if (n != -1)
				free(s);
			json_decref(a);
			return NULL;
		}
		free(s);
	}
	return a;
}

static void
output_errors(FILE *f, const char *file, const char *kind,
    const struct report_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++) {
		if (errs->e[i].field[0] != '\0')
			output_line(f, "%s: %s: %s: %s", file, kind,
			    errs->e[i].field, errs->e[i].message);
		else
			output_line(f, "%s: %s: %s", file, kind,
			    errs->e[i].message);
	}
	if (errs->dropped > 0)
		output_line(f, "%s: %s: %zu more not shown", file, kind,
		    errs->dropped);
}

void
output_invalid(int json, const char *file, const struct report_errors *errs,
    const char *cause)
{
	if (cause == NULL)
		cause = "out of memory";
	if (json) {
		output_line(stderr, OUTPUT_PREFIX "%s", cause);
		output_json_print(json_pack("{s:s, s:s, s:o, s:o, s:o}",
		    "status", "error",
		    "code", "invalid",
		    "message", output_json_text(cause),
		    "file", output_json_text(file),
		    "errors", output_json_errors(errs)));
		return;
	}
	output_errors(stderr, file, "error", errs);
	output_line(stderr, OUTPUT_PREFIX "%s", cause);
}

void
output_valid(int json, const char *file, const struct report *r,
    const struct report_errors *warnings)
{
	if (json) {
		output_json_print(json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, "
		    "s:o}",
		    "status", "valid",
		    "file", output_json_text(file),
		    "unit", output_json_text(r->unit),
		    "period", output_json_text(r->period),
		    "activities", (json_int_t)r->nactivities,
		    "warnings", output_json_warnings(warnings),
		    "id", output_json_text(r->id)));
		return;
	}
	output_line(stdout, "%s: valid (%s %s, %zu %s)", file, r->unit,
	    r->period, r->nactivities,
	    r->nactivities == 1 ? "activity" : "activities");
	output_errors(stdout, file, "warning", warnings);
}

int
output_error(int json, const Gp__Error *err)
{
	const struct output_code	*code;
	const char			*message;
	json_t				*o, *a, *e;
	size_t				 i;

	if (err == NULL) {
		output_failure(json, EX_PROTOCOL, "the server sent an empty "
		    "error; check that gp-client and gpd versions match");
		return EX_PROTOCOL;
	}
	code = &output_codes[GP__ERROR_CODE__ERROR_UNSPECIFIED];
	if (err->has_code && (size_t)err->code < OUTPUT_NCODES)
		code = &output_codes[err->code];
	message = err->message != NULL && err->message[0] != '\0' ?
	    err->message : code->name;

	if (code->advice != NULL)
		output_line(stderr, OUTPUT_PREFIX "%s; %s", message,
		    code->advice);
	else if (err->has_retry_after && err->retry_after > 0)
		output_line(stderr, OUTPUT_PREFIX "%s; try again in %u seconds",
		    message, err->retry_after);
	else
		output_line(stderr, OUTPUT_PREFIX "%s; try again later",
		    message);

	if (!json) {
		for (i = 0; i < err->n_field_errors; i++)
			output_line(stderr, "error: %s: %s",
			    err->field_errors[i]->field != NULL ?
			    err->field_errors[i]->field : "",
			    err->field_errors[i]->message != NULL ?
			    err->field_errors[i]->message : "");
		return code->status;
	}

	if ((a = json_array()) != NULL) {
		for (i = 0; i < err->n_field_errors; i++) {
			e = json_pack("{s:o, s:o}", "field",
			    output_json_text(err->field_errors[i]->field),
			    "message",
			    output_json_text(err->field_errors[i]->message));
			if (json_array_append_new(a, e) == -1) {
				json_decref(a);
				a = NULL;
				break;
			}
		}
	}
	o = json_pack("{s:s, s:s, s:o, s:o}",
	    "status", "refused",
	    "code", code->name,
	    "message", output_json_text(message),
	    "errors", a);
	if (o != NULL && err->has_retry_after &&
	    json_object_set_new(o, "retry_after",
	    json_integer(err->retry_after)) == -1) {
		json_decref(o);
		o = NULL;
	}
	output_json_print(o);
	return code->status;
}

int
output_submit(int json, const Gp__Response *resp, const char *id)
{
	const Gp__Receipt	*rc;
	json_t			*w;
	size_t			 i;

	if (resp->body_case == GP__RESPONSE__BODY_ERROR)
		return output_error(json, resp->error);
	if (resp->body_case != GP__RESPONSE__BODY_SUBMIT ||
	    resp->submit == NULL || (rc = resp->submit->receipt) == NULL ||
	    rc->receipt == NULL || rc->unit == NULL || rc->period == NULL ||
	    rc->received_at == NULL || !rc->has_revision) {
		output_failure(json, EX_PROTOCOL, "the server's answer is not "
		    "a receipt; check that gp-client and gpd versions match");
		return EX_PROTOCOL;
	}
	if (rc->submission_id != NULL)
		id = rc->submission_id;

	if (json) {
		if ((w = json_array()) != NULL) {
			for (i = 0; i < resp->submit->n_warnings; i++) {
				if (json_array_append_new(w, output_json_text(
				    resp->submit->warnings[i])) == -1) {
					json_decref(w);
					w = NULL;
					break;
				}
			}
		}
		output_json_print(json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, "
		    "s:b, s:b, s:o, s:o}",
		    "status", "accepted",
		    "unit", output_json_text(rc->unit),
		    "period", output_json_text(rc->period),
		    "revision", (json_int_t)rc->revision,
		    "receipt", output_json_text(rc->receipt),
		    "received_at", output_json_text(rc->received_at),
		    "duplicate", rc->has_duplicate && rc->duplicate,
		    "late", rc->has_late && rc->late,
		    "warnings", w,
		    "id", output_json_text(id)));
		return EX_OK;
	}

	output_line(stdout, "%s %s %s revision %u receipt %s  received %s%s%s",
	    rc->duplicate ? "duplicate" : "accepted", rc->unit, rc->period,
	    rc->revision, rc->receipt, rc->received_at,
	    rc->late ? "  late" : "",
	    rc->duplicate ? " (already stored; nothing new)" : "");
	for (i = 0; i < resp->submit->n_warnings; i++)
		output_line(stdout, "warning: %s",
		    resp->submit->warnings[i] != NULL ?
		    resp->submit->warnings[i] : "");
	return EX_OK;
}
