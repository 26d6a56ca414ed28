/*
 * fuzz_web_verdict: what gp-client-web answers a page's POST
 * /api/validate and PUT-free calls with a body (web_api.c): the body is
 * read as report JSON, a reading that fails has its fields stripped and
 * the rest judged, and errors are merged by field. Checked: the answer is
 * 200 with a verdict (valid, errors, warnings, more) or 400 with an error;
 * a verdict's every field and message is one line of UTF-8; "valid"
 * only when there is no error, and then the body, read as
 * gp-client validate reads it, validates.
 *
 * What sends (web_send.c) is not linked: tests/web_send_stub.c refuses its
 * calls; nor is the run's time zone (client/zone.c): today is the
 * machine's day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "check.h"
#include "period.h"
#include "report_json.h"
#include "web.h"
#include "zone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int32_t
zone_today(void)
{
	return date_of(time(NULL));
}

static struct web	 fuzz_web;
static struct form_set	*fuzz_set;

static void
fuzz_setup(void)
{
	char	*cause = NULL;

	if (fuzz_web.forms != NULL)
		return;
	snprintf(fuzz_web.unit, sizeof(fuzz_web.unit), "lc-tamduong");
	fuzz_web.drafts = (char *)(uintptr_t)"/nonexistent/drafts";
	fuzz_web.conn.server = "127.0.0.1:9";
	CHECK(form_set_load(NULL, &fuzz_set, &cause) == 0);
	fuzz_web.forms = fuzz_set;
}

static void
fuzz_list(json_t *list)
{
	json_t		*e;
	const char	*field, *message;
	size_t		 i;

	CHECK(json_is_array(list));
	json_array_foreach(list, i, e) {
		field = json_string_value(json_object_get(e, "field"));
		message = json_string_value(json_object_get(e, "message"));
		CHECK(field != NULL && message != NULL && message[0] != '\0');
		check_line(field);
		check_line(message);
	}
}

/* A valid verdict holds: the body, as gp-client validate reads it. */
static void
fuzz_valid(const char *body, size_t len)
{
	struct report_errors	*errs, *warns;
	struct report		*r = NULL;
	json_t			*o;
	json_error_t		 jerr;
	char			 cause[256], *text;

	CHECK((o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) !=
	    NULL);
	json_object_del(o, "id");
	json_object_set_new(o, "unit", json_string("lc-tamduong"));
	json_object_set_new(o, "period", json_string("2022-H1"));
	CHECK((text = json_dumps(o, JSON_COMPACT)) != NULL);
	json_decref(o);
	CHECK((errs = calloc(1, sizeof(*errs))) != NULL);
	CHECK((warns = calloc(1, sizeof(*warns))) != NULL);
	CHECK(report_json_read(text, strlen(text), fuzz_set, &r, errs, cause,
	    sizeof(cause)) == 0);
	CHECK(web_form_check(&fuzz_web, r, errs, warns) == 0);
	report_free(r);
	free(text);
	free(errs);
	free(warns);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_request	 req;
	struct web_reply	 reply;
	json_t			*o;
	json_error_t		 jerr;
	char			*body;

	fuzz_setup();
	/* The body as MHD hands it over: NUL-terminated. */
	CHECK((body = malloc(size + 1)) != NULL);
	memcpy(body, data, size);
	body[size] = '\0';
	memset(&req, 0, sizeof(req));
	memset(&reply, 0, sizeof(reply));
	req.method = "POST";
	req.path = "/api/validate";
	req.period = "2022-H1";
	req.body = body;
	req.len = size;
	web_api(&fuzz_web, &req, &reply);
	CHECK(reply.body != NULL && !reply.static_body);
	CHECK((o = json_loadb(reply.body, reply.len, 0, &jerr)) != NULL);
	if (reply.status == 400) {
		CHECK(json_is_string(json_object_get(o, "error")));
	} else {
		CHECK(reply.status == 200);
		fuzz_list(json_object_get(o, "errors"));
		fuzz_list(json_object_get(o, "warnings"));
		CHECK(json_is_integer(json_object_get(o, "more")));
		if (json_is_true(json_object_get(o, "valid"))) {
			CHECK(json_array_size(json_object_get(o, "errors")) ==
			    0);
			fuzz_valid(body, size);
		} else
			CHECK(json_array_size(json_object_get(o, "errors")) >
			    0 || json_integer_value(json_object_get(o,
			    "more")) > 0);
	}
	json_decref(o);
	free(reply.body);
	free(body);
	return 0;
}
