/*
 * gp-client-web's JSON API (web_api.c, with web_form.c and web_draft.c)
 * without HTTP: the periods of the forms known, the form, drafts, and
 * the verdict of gp-client's checks, also on a report that cannot be
 * read whole. What sends (web_send.c: tests/web_send_stub.c) and the
 * run's time zone are stubbed: e2e/web.sh covers them with a real server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "period.h"
#include "web.h"
#include "zone.h"

#define T_INVALID	"tests/data/invalid-report.json"
#define T_SAMPLE	"tests/data/lc-tamduong-2022-H1.json"

/* The run's zone is gp-client's (client/zone.c, which e2e/web.sh runs):
 * here the federation's day, as UTC+07:00 without the tz database. */
int32_t
zone_today(void)
{
	return date_of(time(NULL) + 7 * 3600);
}

struct fixture {
	char		 dir[64];
	struct form_set	*set;		/* the built-in forms */
	struct web	 w;
	struct web_reply reply;
	json_t		*answer;
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		*cause = NULL;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_web_api.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(asprintf(&f->w.drafts, "%s/drafts", f->dir) > 0, 1);
	snprintf(f->w.unit, sizeof(f->w.unit), "lc-tamduong");
	pthread_mutex_init(&f->w.lock, NULL);
	f->w.conn.server = "127.0.0.1:7443";
	if (form_set_load(NULL, &f->set, &cause) == -1)
		fail_msg("forms: %s", cause);
	f->w.forms = f->set;
	*state = f;
	return 0;
}

static void
reset(struct fixture *f)
{
	if (!f->reply.static_body)
		free(f->reply.body);
	memset(&f->reply, 0, sizeof(f->reply));
	json_decref(f->answer);
	f->answer = NULL;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 cmd[160];

	reset(f);
	pthread_mutex_destroy(&f->w.lock);
	form_set_free(f->set);
	free(f->w.drafts);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	assert_non_null(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* One call; the answer parsed into f->answer. Returns the status. */
static unsigned int
call(struct fixture *f, const char *method, const char *path,
    const char *period, const char *body)
{
	struct web_request	req;
	json_error_t		jerr;

	reset(f);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = path;
	req.period = period;
	req.body = body != NULL ? body : "";
	req.len = strlen(req.body);
	web_api(&f->w, &req, &f->reply);
	if (f->reply.body != NULL)
		f->answer = json_loadb(f->reply.body, f->reply.len, 0, &jerr);
	return f->reply.status;
}

/* "FIELD FIELD ..." of the answer's errors (or warnings). */
static char *
fields(json_t *answer, const char *key)
{
	static char	 buf[1024];
	json_t		*e;
	size_t		 i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(answer, key), i, e) {
		if (i > 0)
			strcat(buf, " ");
		strncat(buf, json_string_value(json_object_get(e, "field")),
		    sizeof(buf) - strlen(buf) - 2);
	}
	return buf;
}

static void
test_periods(void **state)
{
	struct fixture	*f = *state;
	json_t		*p;

	assert_int_equal(call(f, "GET", "/api/periods", NULL, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(f->answer,
	    "unit")), "lc-tamduong");
	p = json_object_get(f->answer, "periods");
	assert_int_equal(json_array_size(p), 2);
	/* The annual report first: the later deadline. */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(p, 0), "id")), "2022");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(p, 1), "id")), "2022-H1");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(p, 1), "due")), "2022-06-10");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(p, 1), "label")), "Báo cáo 6 tháng đầu năm 2022");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(p, 1), "days_left")),
	    date_from_ymd(2022, 6, 10) - web_form_today());
	assert_true(json_is_null(json_object_get(json_array_get(p, 1),
	    "draft")));
}

/* The unit's name: unknown until the server gives it (/api/status,
 * /api/last), then in /api/periods for the page's header. */
static void
test_unit_name(void **state)
{
	struct fixture	*f = *state;
	char		*long_name, buf[WEB_UNIT_NAME_MAX];

	assert_int_equal(call(f, "GET", "/api/periods", NULL, NULL), 200);
	assert_true(json_is_null(json_object_get(f->answer, "unit_name")));
	assert_string_equal(web_api_unit_name(&f->w, buf, sizeof(buf)), "");

	web_api_set_unit_name(&f->w, "LĐLĐ huyện Tam Đường");
	assert_int_equal(call(f, "GET", "/api/periods", NULL, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(f->answer,
	    "unit_name")), "LĐLĐ huyện Tam Đường");

	/* Nothing, or a name that does not fit, leaves the one known. */
	web_api_set_unit_name(&f->w, NULL);
	web_api_set_unit_name(&f->w, "");
	assert_non_null(long_name = malloc(WEB_UNIT_NAME_MAX + 1));
	memset(long_name, 'x', WEB_UNIT_NAME_MAX);
	long_name[WEB_UNIT_NAME_MAX] = '\0';
	web_api_set_unit_name(&f->w, long_name);
	free(long_name);
	assert_string_equal(web_api_unit_name(&f->w, buf, sizeof(buf)),
	    "LĐLĐ huyện Tam Đường");
}

static void
test_form(void **state)
{
	struct fixture		*f = *state;
	const struct form	*form;
	size_t			 len;

	assert_int_equal(call(f, "GET", "/api/form", "2022-H1", NULL), 200);
	assert_non_null(form = form_set_year(f->w.forms, 2022));
	assert_memory_equal(f->reply.body, form_canonical(form, &len),
	    f->reply.len);
	assert_int_equal(f->reply.len, len);
	assert_int_equal(json_integer_value(json_object_get(f->answer,
	    "year")), 2022);
}

static void
test_periods_refused(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(call(f, "GET", "/api/form", NULL, NULL), 400);
	assert_int_equal(call(f, "GET", "/api/form", "../x", NULL), 400);
	assert_int_equal(call(f, "GET", "/api/form", "2031-H1", NULL), 400);
	assert_non_null(strstr(json_string_value(json_object_get(f->answer,
	    "error")), "no form for 2031"));
	assert_int_equal(call(f, "GET", "/api/nothing", "2022", NULL), 404);
	assert_int_equal(call(f, "PATCH", "/api/form", "2022", NULL), 405);
	assert_int_equal(call(f, "POST", "/api/periods", NULL, "{}"), 404);
}

static void
test_draft(void **state)
{
	struct fixture	*f = *state;
	json_t		*r;

	assert_int_equal(call(f, "GET", "/api/draft", "2022", NULL), 404);
	/* Unit and period are ours whatever the body says; no id. */
	assert_int_equal(call(f, "PUT", "/api/draft", "2022", "{\"unit\": "
	    "\"lc-sinho\", \"period\": \"2022-H1\", \"id\": \"x\", "
	    "\"activities\": [{\"participants\": null}]}"), 200);
	assert_non_null(json_object_get(f->answer, "saved_at"));
	assert_int_equal(call(f, "GET", "/api/draft", "2022", NULL), 200);
	r = json_object_get(f->answer, "report");
	assert_string_equal(json_string_value(json_object_get(r, "unit")),
	    "lc-tamduong");
	assert_string_equal(json_string_value(json_object_get(r, "period")),
	    "2022");
	assert_null(json_object_get(r, "id"));
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(r, "activities"), 0), "participants")));
	/* The list of periods says there is one. */
	call(f, "GET", "/api/periods", NULL, NULL);
	assert_true(json_is_string(json_object_get(json_array_get(
	    json_object_get(f->answer, "periods"), 0), "draft")));
	assert_int_equal(call(f, "DELETE", "/api/draft", "2022", NULL), 200);
	assert_int_equal(call(f, "GET", "/api/draft", "2022", NULL), 404);

	assert_int_equal(call(f, "PUT", "/api/draft", "2022", "[1]"), 400);
	assert_int_equal(call(f, "PUT", "/api/draft", "2022", "{"), 400);
	assert_int_equal(call(f, "PUT", "/api/draft", "2022", ""), 400);
}

static void
test_validate(void **state)
{
	struct fixture	*f = *state;
	char		*body;
	size_t		 len;

	body = slurp(T_INVALID, &len);
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1", body),
	    200);
	assert_false(json_is_true(json_object_get(f->answer, "valid")));
	assert_string_equal(fields(f->answer, "errors"),
	    "activities[1].female narrative.results");
	/* The sample gives women among GBV cases, which the 2022 form does
	 * not count: warnings, as validate gives them. */
	assert_string_equal(fields(f->answer, "warnings"),
	    "indicators.gbv_cases_detected.female "
	    "indicators.gbv_cases_handled.female period");
	free(body);

	body = slurp(T_SAMPLE, &len);
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1", body),
	    200);
	assert_true(json_is_true(json_object_get(f->answer, "valid")));
	/* As the annual report it is valid too: its dates lie in the
	 * year's coverage, and it has an action-month activity. */
	assert_int_equal(call(f, "POST", "/api/validate", "2022", body), 200);
	assert_true(json_is_true(json_object_get(f->answer, "valid")));
	free(body);
}

/* A report whose reading fails still has the rest of it judged: an empty
 * number, an area not chosen, an activity that is not an object. */
static void
test_validate_unreadable(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1",
	    "{\"activities\": [{\"area\": \"policy_dissemination\", \"kind\": "
	    "\"talk\", \"occasion\": \"none\", \"status\": \"done\", \"date\": "
	    "\"2022-03-01\", \"title\": \"Nói chuyện\", \"sessions\": null, "
	    "\"participants\": 10, \"female\": 11}, 7], "
	    "\"narrative\": {\"results\": \"Kết quả\"}}"), 200);
	assert_string_equal(fields(f->answer, "errors"),
	    "activities[0].sessions activities[1] reporter.name "
	    "activities[0].female "
	    "activities[1].area activities[1].kind activities[1].occasion "
	    "activities[1].status activities[1].date activities[1].title "
	    "activities[1].sessions");
	/* An unknown key: named, and the rest judged without it. */
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1",
	    "{\"surprise\": 1, \"narrative\": {}}"), 200);
	assert_string_equal(fields(f->answer, "errors"),
	    "surprise reporter.name narrative.results");
	/* One whose name, cut in the message, leads nowhere: only what
	 * the reading found. */
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1",
	    "{\"a_key_far_longer_than_any_field_name_shown\": 1, "
	    "\"narrative\": {}}"), 200);
	assert_string_equal(fields(f->answer, "errors"),
	    "a_key_far_longer_than_any_fie...");
	assert_false(json_is_true(json_object_get(f->answer, "valid")));
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1", "[]"),
	    400);
	/* Regression (fuzz_web_verdict): a key that is no field of a report
	 * is read as a section, and its members were named after the key
	 * as sent, control characters and all. */
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1",
	    "{\"indicat\\u007frs\": {\"members\": {\"total\": 1}}}"), 200);
	assert_null(strchr(fields(f->answer, "errors"), 0x7f));
	assert_non_null(strstr(fields(f->answer, "errors"),
	    "indicat?rs.members"));
	/* Regression (fuzz_web_verdict): jansson's syntax error quotes the
	 * input up to a bad escape, here half of "ệ"; the answer is still a
	 * 400 in JSON. */
	assert_int_equal(call(f, "POST", "/api/validate", "2022-H1",
	    "{\"a\": \"\\\xe1\xbb\x87\"}"), 400);
	assert_non_null(f->answer);
	assert_true(json_is_string(json_object_get(f->answer, "error")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unit_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_periods_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_draft, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_validate_unreadable, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
