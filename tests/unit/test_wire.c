/*
 * The wire decoders under a failing allocator (the idea of protobuf-c's
 * test_alloc_fail): each decoder is run once to count its allocations,
 * then again with the first, the second, ... allocation failing. Every
 * such run must fail cleanly (NULL or -1, never a crash) and free all it
 * took. malloc, calloc, realloc and free are wrapped at link time
 * (-Wl,--wrap), so every allocation of the code under test is seen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "wire.h"

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	 __real_free(void *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	 __wrap_free(void *);

static int	counting;	/* only around the code under test */
static long	allocs;		/* allocations seen while counting */
static long	fail_at;	/* this one fails (1-based); 0: none */
static long	live;		/* taken and not yet freed while counting */

static int
alloc_fails(void)
{
	if (!counting)
		return 0;
	allocs++;
	return fail_at != 0 && allocs == fail_at;
}

void *
__wrap_malloc(size_t n)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_malloc(n)) != NULL && counting)
		live++;
	return p;
}

void *
__wrap_calloc(size_t n, size_t size)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_calloc(n, size)) != NULL && counting)
		live++;
	return p;
}

void *
__wrap_realloc(void *old, size_t n)
{
	void	*p;

	if (alloc_fails())
		return NULL;
	if ((p = __real_realloc(old, n)) != NULL && counting && old == NULL)
		live++;
	return p;
}

void
__wrap_free(void *p)
{
	if (p != NULL && counting)
		live--;
	__real_free(p);
}

/* A submit Request holding a report with every kind of field. */
static uint8_t *
sample_request(size_t *len)
{
	struct report	*r;
	Gp__Request	 req;
	Gp__SubmitRequest sub;
	uint8_t		*buf;
	size_t		 i;

	assert_non_null(r = report_new());
	assert_non_null(r->id = strdup("0b8f3c1e-5d2a-4c47-9a53-7f0e1d2c3b4a"));
	assert_non_null(r->unit = strdup("lc-tamduong"));
	assert_non_null(r->period = strdup("2022-H1"));
	assert_non_null(r->reporter_name = strdup("Lò Thị Hương"));
	assert_non_null(r->reporter_phone = strdup("0213 3876 123"));
	r->nactivities = 3;
	assert_non_null(r->activities = calloc(r->nactivities,
	    sizeof(*r->activities)));
	for (i = 0; i < r->nactivities; i++) {
		r->activities[i].area = 1 + i;
		r->activities[i].kind = 1;
		r->activities[i].occasion = 1;
		r->activities[i].status = 1;
		assert_non_null(r->activities[i].date = strdup("2022-03-08"));
		assert_non_null(r->activities[i].title =
		    strdup("Hội nghị tuyên truyền Luật Bình đẳng giới"));
		assert_non_null(r->activities[i].notes = strdup("Ghi chú"));
		r->activities[i].sessions = 1;
		r->activities[i].participants = 40;
		r->activities[i].female = 25;
	}
	r->nindicators = 2;
	assert_non_null(r->indicators = calloc(2, sizeof(*r->indicators)));
	r->indicators[0].code = 1;
	r->indicators[0].total = 10;
	r->indicators[1].code = 2;
	r->indicators[1].total = 5;
	assert_non_null(r->narrative[0] = strdup("Kết quả thử nghiệm."));
	assert_non_null(r->law_review[0] = strdup("Đề nghị sửa đổi."));

	gp__request__init(&req);
	gp__submit_request__init(&sub);
	assert_non_null(sub.report = wire_report_new(r));
	req.id = 7;
	req.has_id = 1;
	req.body_case = GP__REQUEST__BODY_SUBMIT;
	req.submit = &sub;
	assert_int_equal(wire_pack_request(&req, &buf, len), 0);
	wire_report_free(sub.report);
	report_free(r);
	return buf;
}

/* Runs fn(arg) with allocation k failing for every k, after a clean run
 * that counts them; fn returns 0 when the decoder failed, 1 when it
 * succeeded (and freed what it made). */
static void
each_failure(int (*fn)(const uint8_t *, size_t), const uint8_t *buf,
    size_t len, long min_allocs)
{
	long	n, k;

	counting = 1;
	allocs = live = 0;
	fail_at = 0;
	assert_int_equal(fn(buf, len), 1);
	counting = 0;
	n = allocs;
	assert_true(n >= min_allocs);
	assert_int_equal(live, 0);
	for (k = 1; k <= n; k++) {
		counting = 1;
		allocs = live = 0;
		fail_at = k;
		if (fn(buf, len) != 0) {
			counting = 0;
			fail_msg("allocation %ld of %ld failed, yet the decoder "
			    "succeeded", k, n);
		}
		counting = 0;
		if (live != 0)
			fail_msg("allocation %ld of %ld failed: %ld blocks not "
			    "freed", k, n, live);
	}
}

static int
decode_request(const uint8_t *buf, size_t len)
{
	Gp__Request	*req;

	if ((req = wire_request_unpack(buf, len)) == NULL)
		return 0;
	wire_request_free(req);
	return 1;
}

/* The request as the daemon takes it: decoded, then the report copied
 * into the model. */
static int
decode_submission(const uint8_t *buf, size_t len)
{
	Gp__Request		*req;
	struct report		*r = NULL;
	static struct report_errors errs;
	int			 rv;

	if ((req = wire_request_unpack(buf, len)) == NULL)
		return 0;
	report_errors_clear(&errs);
	rv = wire_report_copy(req->submit->report, &r, &errs);
	wire_request_free(req);
	if (rv == -1) {
		assert_null(r);
		assert_true(errs.n > 0);
		return 0;
	}
	report_free(r);
	return 1;
}

/* Canonical bytes read back, as the store and the outbox do. */
static int
decode_report(const uint8_t *buf, size_t len)
{
	static struct report_errors	 errs;
	struct report			*r = NULL;
	const char			*errstr = NULL;

	report_errors_clear(&errs);
	if (report_unpack(buf, len, &r, &errs, &errstr) == -1) {
		assert_null(r);
		assert_non_null(errstr);
		return 0;
	}
	report_free(r);
	return 1;
}

static void
test_request_unpack_alloc_fail(void **state)
{
	uint8_t	*buf;
	size_t	 len;

	(void)state;
	buf = sample_request(&len);
	each_failure(decode_request, buf + 4, len - 4, 10);
	free(buf);
}

static void
test_submission_copy_alloc_fail(void **state)
{
	uint8_t	*buf;
	size_t	 len;

	(void)state;
	buf = sample_request(&len);
	each_failure(decode_submission, buf + 4, len - 4, 20);
	free(buf);
}

static void
test_report_unpack_alloc_fail(void **state)
{
	Gp__Request	*req;
	uint8_t		*buf, *raw;
	size_t		 len, rawlen;

	(void)state;
	buf = sample_request(&len);
	assert_non_null(req = wire_request_unpack(buf + 4, len - 4));
	rawlen = gp__report__get_packed_size(req->submit->report);
	assert_non_null(raw = malloc(rawlen + 1));
	gp__report__pack(req->submit->report, raw);
	wire_request_free(req);
	each_failure(decode_report, raw, rawlen, 20);
	free(raw);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_unpack_alloc_fail),
		cmocka_unit_test(test_submission_copy_alloc_fail),
		cmocka_unit_test(test_report_unpack_alloc_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
