/*
 * A unit's status (client/status.c), shared by gp-client status and
 * gp-client-web's /api/status: what each period asks of the unit, the
 * JSON both print, and the one exchange, over a connection stubbed here
 * (e2e/review.sh and e2e/web.sh use a real gpd).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "period.h"
#include "status.h"

/* --- the connection, stubbed ------------------------------------------- */

enum stub_fail { STUB_OK, STUB_CONFIG, STUB_NETWORK };

static struct {
	enum stub_fail		 fail;
	Gp__Response__BodyCase	 answer;	/* the body of the answer */
	char			 period[32];	/* what the request asked */
	int			 asked_unit;
	Gp__Request__BodyCase	 asked;
	int			 freed;
} stub;

static char	stub_conn;

struct conn *
conn_new(const struct conn_config *cfg, char **cause)
{
	(void)cfg;
	if (stub.fail == STUB_CONFIG) {
		*cause = strdup("cannot read the certificate");
		return NULL;
	}
	return (struct conn *)(void *)&stub_conn;
}

int
conn_connect(struct conn *c, char **cause)
{
	(void)c;
	if (stub.fail == STUB_NETWORK) {
		*cause = strdup("cannot reach 127.0.0.1:1: Connection refused");
		return -1;
	}
	return 0;
}

int
conn_request(struct conn *c, const Gp__Request *req, Gp__Response **out,
    char **cause)
{
	Gp__Response	*resp;

	(void)c;
	(void)cause;
	stub.asked = req->body_case;
	snprintf(stub.period, sizeof(stub.period), "%s",
	    req->status != NULL && req->status->period != NULL ?
	    req->status->period : "");
	stub.asked_unit = req->status != NULL && req->status->unit != NULL;
	/* As the decoder would leave it: freed by the unpacked free. */
	assert_non_null(resp = calloc(1, sizeof(*resp)));
	gp__response__init(resp);
	resp->body_case = stub.answer;
	if (stub.answer == GP__RESPONSE__BODY_STATUS) {
		resp->status = calloc(1, sizeof(*resp->status));
		assert_non_null(resp->status);
		gp__status_response__init(resp->status);
	} else if (stub.answer == GP__RESPONSE__BODY_ERROR) {
		assert_non_null(resp->error = calloc(1, sizeof(*resp->error)));
		gp__error__init(resp->error);
	} else if (stub.answer == GP__RESPONSE__BODY_WHOAMI) {
		resp->whoami = calloc(1, sizeof(*resp->whoami));
		assert_non_null(resp->whoami);
		gp__whoami_response__init(resp->whoami);
	}
	*out = resp;
	return 0;
}

int
conn_is_transient(const struct conn *c)
{
	(void)c;
	return stub.fail == STUB_NETWORK;
}

void
conn_free(struct conn *c)
{
	if (c != NULL)
		stub.freed++;
}

/* --- periods ------------------------------------------------------------ */

static Gp__Decision *
decision(const char *action, uint32_t revision, const char *comment)
{
	static Gp__Decision	d[4];
	static size_t		n;
	Gp__Decision		*x = &d[n++ % 4];

	gp__decision__init(x);
	x->action = (char *)(uintptr_t)action;
	x->state = (char *)(uintptr_t)(strcmp(action, "accept") == 0 ?
	    "accepted" : strcmp(action, "return") == 0 ? "returned" :
	    "received");
	x->has_revision = 1;
	x->revision = revision;
	x->comment = (char *)(uintptr_t)comment;
	x->decided_by = (char *)(uintptr_t)"admin-test";
	x->decided_at = (char *)(uintptr_t)"2026-12-05T02:10:00Z";
	x->decision = (char *)(uintptr_t)"0123456789abcdef0123456789abcdef";
	return x;
}

static void
period(Gp__PeriodStatus *ps, const char *due)
{
	gp__period_status__init(ps);
	ps->period = (char *)(uintptr_t)"2022-H1";
	ps->label = (char *)(uintptr_t)"Báo cáo 6 tháng đầu năm 2022";
	ps->due = (char *)(uintptr_t)due;
	ps->has_expected = 1;
	ps->expected = 1;
}

static void
test_attention(void **state)
{
	Gp__PeriodStatus	ps;
	struct status_period	sp;
	int32_t			today = date_from_ymd(2022, 6, 3);

	(void)state;
	/* Nothing sent: within STATUS_SOON days of the due date, or late. */
	period(&ps, "2022-06-10");
	status_of(&ps, today, &sp);
	assert_int_equal(sp.days_left, 7);
	assert_true(sp.has_due && sp.attention);
	status_of(&ps, today - 1, &sp);
	assert_false(sp.attention);
	status_of(&ps, today + 30, &sp);
	assert_int_equal(sp.days_left, -23);
	assert_true(sp.attention);

	/* Sent: only a return asks something of the unit. */
	ps.has_revision = 1;
	ps.revision = 2;
	ps.review_state = (char *)(uintptr_t)"received";
	status_of(&ps, today + 30, &sp);
	assert_false(sp.attention);
	ps.review_state = (char *)(uintptr_t)"returned";
	status_of(&ps, today, &sp);
	assert_true(sp.attention);
	ps.review_state = (char *)(uintptr_t)"accepted";
	status_of(&ps, today, &sp);
	assert_false(sp.attention);

	/* Locked, or not expected of this unit: nothing to do. */
	ps.review_state = (char *)(uintptr_t)"returned";
	ps.locked = 1;
	status_of(&ps, today, &sp);
	assert_false(sp.attention);
	ps.locked = 0;
	ps.expected = 0;
	status_of(&ps, today, &sp);
	assert_false(sp.attention);

	/* No due date: no days. */
	period(&ps, NULL);
	status_of(&ps, today, &sp);
	assert_false(sp.has_due || sp.attention);
}

static void
test_return_comment(void **state)
{
	Gp__PeriodStatus	 ps;
	Gp__Decision		*c[3];

	(void)state;
	period(&ps, "2022-06-10");
	assert_null(status_return_comment(&ps));
	/* Newest first: the return to act on is the first one. */
	c[0] = decision("accept", 3, "Đã đủ.");
	c[1] = decision("return", 2, "Bổ sung mục II.");
	c[2] = decision("return", 1, "Thiếu số liệu.");
	ps.comments = c;
	ps.n_comments = 3;
	assert_ptr_equal(status_return_comment(&ps), c[1]);
}

static void
test_json(void **state)
{
	Gp__PeriodStatus	 ps;
	Gp__Decision		*c[1];
	struct status_period	 sp;
	json_t			*o, *d;

	(void)state;
	period(&ps, "2022-06-10");
	ps.has_revision = 1;
	ps.revision = 2;
	ps.receipt = (char *)(uintptr_t)"c3dbc66354659d39e18cd5381fa2cf5e";
	ps.received_at = (char *)(uintptr_t)"2026-12-05T01:05:00Z";
	ps.has_late = 1;
	ps.late = 1;
	ps.review_state = (char *)(uintptr_t)"returned";
	c[0] = decision("return", 2, "Mục II: số đoàn viên nữ chưa khớp.");
	ps.comments = c;
	ps.n_comments = 1;
	status_of(&ps, date_from_ymd(2026, 12, 5), &sp);
	assert_non_null(o = status_json_period(&sp));
	assert_string_equal(json_string_value(json_object_get(o, "period")),
	    "2022-H1");
	assert_string_equal(json_string_value(json_object_get(o,
	    "review_state")), "returned");
	assert_int_equal(json_integer_value(json_object_get(o, "revision")), 2);
	assert_true(json_is_true(json_object_get(o, "submitted")));
	assert_true(json_is_true(json_object_get(o, "late")));
	assert_true(json_is_true(json_object_get(o, "attention")));
	assert_int_equal(json_integer_value(json_object_get(o, "days_left")),
	    date_from_ymd(2022, 6, 10) - date_from_ymd(2026, 12, 5));
	assert_int_equal(json_array_size(json_object_get(o, "comments")), 1);
	d = json_array_get(json_object_get(o, "comments"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "comment")),
	    "Mục II: số đoàn viên nữ chưa khớp.");
	assert_string_equal(json_string_value(json_object_get(d, "action")),
	    "return");
	assert_int_equal(json_integer_value(json_object_get(d, "revision")), 2);
	json_decref(o);

	/* Nothing sent: no revision, no lateness, null where unknown. */
	period(&ps, NULL);
	status_of(&ps, date_from_ymd(2026, 12, 5), &sp);
	assert_non_null(o = status_json_period(&sp));
	assert_true(json_is_null(json_object_get(o, "revision")));
	assert_true(json_is_null(json_object_get(o, "late")));
	assert_true(json_is_null(json_object_get(o, "days_left")));
	assert_true(json_is_null(json_object_get(o, "review_state")));
	assert_int_equal(json_array_size(json_object_get(o, "comments")), 0);
	json_decref(o);
}

/* --- the exchange ------------------------------------------------------ */

static void
test_ask(void **state)
{
	struct conn_config	 cfg;
	Gp__Response		*resp;
	char			*cause;
	int			 transient;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&stub, 0, sizeof(stub));

	/* One request for the period, of this certificate's own status. */
	stub.answer = GP__RESPONSE__BODY_STATUS;
	assert_int_equal(status_ask(&cfg, "2022-H1", &resp, &transient,
	    &cause), 0);
	assert_int_equal(stub.asked, GP__REQUEST__BODY_STATUS);
	assert_string_equal(stub.period, "2022-H1");
	assert_false(stub.asked_unit);
	assert_int_equal(resp->body_case, GP__RESPONSE__BODY_STATUS);
	assert_null(cause);
	assert_int_equal(stub.freed, 1);
	gp__response__free_unpacked(resp, NULL);

	/* A refusal is the server's answer, for the caller to say. */
	stub.answer = GP__RESPONSE__BODY_ERROR;
	assert_int_equal(status_ask(&cfg, NULL, &resp, &transient, &cause),
	    0);
	assert_int_equal(resp->body_case, GP__RESPONSE__BODY_ERROR);
	assert_string_equal(stub.period, "");
	gp__response__free_unpacked(resp, NULL);

	/* Another answer: gp-client and gpd do not match. */
	stub.answer = GP__RESPONSE__BODY_WHOAMI;
	assert_int_equal(status_ask(&cfg, "2022-H1", &resp, &transient,
	    &cause), -1);
	assert_null(resp);
	assert_false(transient);
	assert_non_null(strstr(cause, "versions match"));
	free(cause);

	/* Unreachable: the network's fault, worth trying later. */
	stub.fail = STUB_NETWORK;
	assert_int_equal(status_ask(&cfg, "2022-H1", &resp, &transient,
	    &cause), -1);
	assert_null(resp);
	assert_true(transient);
	assert_non_null(strstr(cause, "Connection refused"));
	free(cause);

	/* A configuration that cannot connect at all: not the network's. */
	stub.fail = STUB_CONFIG;
	assert_int_equal(status_ask(&cfg, "2022-H1", &resp, &transient,
	    &cause), -1);
	assert_false(transient);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(stub.freed, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attention),
		cmocka_unit_test(test_return_comment),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_ask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
