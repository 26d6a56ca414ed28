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

/* A report with every kind of field the old encoding can hold. */
static struct report *
sample_report(void)
{
	static const char *const areas[] = {
		"policy_dissemination", "communication_training",
		"gender_law_review"
	};
	struct report	*r;
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
		assert_non_null(r->activities[i].area = strdup(areas[i]));
		assert_non_null(r->activities[i].kind = strdup("conference"));
		assert_non_null(r->activities[i].occasion =
		    strdup("womens_day"));
		assert_non_null(r->activities[i].status = strdup("done"));
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
	assert_non_null(r->indicators[0].code = strdup("members"));
	r->indicators[0].total = 10;
	r->indicators[0].female = 6;
	r->indicators[0].has_female = 1;
	assert_non_null(r->indicators[1].code = strdup("exec_committee"));
	r->indicators[1].total = 5;
	r->indicators[1].female = 2;
	r->indicators[1].has_female = 1;
	r->nnarrative = 2;
	assert_non_null(r->narrative = calloc(2, sizeof(*r->narrative)));
	assert_non_null(r->narrative[0].code = strdup("difficulties"));
	assert_non_null(r->narrative[0].text = strdup("Địa bàn rộng."));
	assert_non_null(r->narrative[1].code = strdup("results"));
	assert_non_null(r->narrative[1].text = strdup("Kết quả thử nghiệm."));
	r->nsections = 1;
	assert_non_null(r->sections = calloc(1, sizeof(*r->sections)));
	assert_non_null(r->sections[0].code = strdup("law_review"));
	r->sections[0].nfields = 1;
	assert_non_null(r->sections[0].fields = calloc(1,
	    sizeof(*r->sections[0].fields)));
	assert_non_null(r->sections[0].fields[0].code = strdup("results"));
	assert_non_null(r->sections[0].fields[0].text =
	    strdup("Đề nghị sửa đổi."));
	return r;
}

/* A submit Request holding the sample report. */
static uint8_t *
sample_request(size_t *len)
{
	struct report	*r;
	Gp__Request	 req;
	Gp__SubmitRequest sub;
	uint8_t		*buf;

	r = sample_report();
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
	if (report_unpack(buf, len, &r, NULL, &errs, &errstr) == -1) {
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

/* The same for bytes packed before report forms. */
static void
test_legacy_unpack_alloc_fail(void **state)
{
	struct report	*r;
	uint8_t		*raw;
	size_t		 rawlen;

	(void)state;
	r = sample_report();
	assert_int_equal(report_legacy_pack(r, &raw, &rawlen), 1);
	report_free(r);
	each_failure(decode_report, raw, rawlen, 20);
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_unpack_alloc_fail),
		cmocka_unit_test(test_submission_copy_alloc_fail),
		cmocka_unit_test(test_report_unpack_alloc_fail),
		cmocka_unit_test(test_legacy_unpack_alloc_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
