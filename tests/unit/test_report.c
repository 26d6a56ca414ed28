/* Report model: canonical bytes, wire round trip, derived ids, NUL refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "wire.h"

static struct report *
sample(void)
{
	struct report	*r;

	r = report_new();
	assert_non_null(r);
	r->unit = strdup("lc-tamduong");
	r->period = strdup("2022-H1");
	r->reporter_name = strdup("Lò Thị Mai");
	r->nactivities = 1;
	r->activities = calloc(1, sizeof(*r->activities));
	r->activities[0].area = AREA_COMMUNICATION_TRAINING;
	r->activities[0].kind = KIND_SEMINAR;
	r->activities[0].occasion = OCCASION_WOMENS_DAY;
	r->activities[0].status = STATUS_DONE;
	r->activities[0].date = strdup("2022-03-08");
	r->activities[0].title = strdup("Tọa đàm kỷ niệm ngày Quốc tế Phụ nữ");
	r->activities[0].sessions = 1;
	r->activities[0].participants = 120;
	r->activities[0].female = 85;
	r->nindicators = 1;
	r->indicators = calloc(1, sizeof(*r->indicators));
	r->indicators[0].code = IND_MEMBERS;
	r->indicators[0].total = 1200;
	r->indicators[0].female = 700;
	r->narrative[TEXT_RESULTS] = strdup("Hoàn thành kế hoạch.");
	r->law_review[TEXT_PROPOSALS] = strdup("Sửa đổi Điều 11.");
	return r;
}

static void
test_pack_unpack_round_trip(void **state)
{
	struct report		*r = sample(), *back = NULL;
	struct report_errors	 errs = { 0 };
	const char		*errstr = NULL;
	uint8_t			*buf, *buf2;
	size_t			 len, len2;

	(void)state;
	assert_int_equal(report_pack(r, &buf, &len), 0);
	assert_int_equal(report_unpack(buf, len, &back, &errs, &errstr), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(back->unit, "lc-tamduong");
	assert_string_equal(back->reporter_name, "Lò Thị Mai");
	assert_null(back->reporter_phone);
	assert_int_equal(back->nactivities, 1);
	assert_string_equal(back->activities[0].title,
	    "Tọa đàm kỷ niệm ngày Quốc tế Phụ nữ");
	assert_int_equal(back->activities[0].female, 85);
	assert_int_equal(back->activities[0].occasion, OCCASION_WOMENS_DAY);
	assert_null(back->activities[0].end_date);
	assert_int_equal(back->indicators[0].total, 1200);
	assert_string_equal(back->law_review[TEXT_PROPOSALS],
	    "Sửa đổi Điều 11.");
	assert_null(back->narrative[TEXT_NEXT_TASKS]);
	/* Canonical: packing the decoded report gives the same bytes. */
	assert_int_equal(report_pack(back, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	report_free(r);
	report_free(back);
}

static void
test_nul_byte_refused_by_field(void **state)
{
	struct report		*r = sample(), *back = NULL;
	struct report_errors	 errs = { 0 };
	const char		*errstr = NULL;
	Gp__Report		*pb;
	uint8_t			 buf[4096];
	size_t			 len;

	(void)state;
	pb = wire_report_new(r);
	assert_non_null(pb);
	/* "Tọa\0..." : the decoder must not silently truncate. */
	pb->activities[0]->title.data = (uint8_t *)(uintptr_t)"ab\0cd";
	pb->activities[0]->title.len = 5;
	len = gp__report__pack(pb, buf);
	wire_report_free(pb);
	assert_int_equal(report_unpack(buf, len, &back, &errs, &errstr), -1);
	assert_null(back);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.e[0].field, "activities[0].title");
	assert_string_equal(errs.e[0].message, "contains a NUL byte");
	report_free(r);
}

static void
test_garbage_is_not_a_report(void **state)
{
	struct report		*back = NULL;
	struct report_errors	 errs = { 0 };
	const char		*errstr = NULL;
	const uint8_t		 junk[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };

	(void)state;
	assert_int_equal(report_unpack(junk, sizeof(junk), &back, &errs,
	    &errstr), -1);
	assert_null(back);
	assert_string_equal(errstr, "not a report message");
}

static void
test_derived_id_depends_on_content_only(void **state)
{
	struct report	*a = sample(), *b = sample();
	char		*first;

	(void)state;
	assert_int_equal(report_derive_id(a), 0);
	assert_int_equal(strlen(a->id), 36);
	assert_int_equal(a->id[14], '8');	/* version 8 */
	/* An id already there does not change the derived one. */
	b->id = strdup("00000000-0000-0000-0000-000000000000");
	assert_int_equal(report_derive_id(b), 0);
	assert_string_equal(a->id, b->id);
	first = strdup(a->id);
	a->activities[0].female = 86;
	assert_int_equal(report_derive_id(a), 0);
	assert_string_not_equal(first, a->id);
	free(first);
	report_free(a);
	report_free(b);
}

static void
test_hash_changes_with_any_figure(void **state)
{
	struct report	*r = sample();
	uint8_t		 h1[32], h2[32];

	(void)state;
	assert_int_equal(report_hash(r, h1), 0);
	r->indicators[0].female = 701;
	assert_int_equal(report_hash(r, h2), 0);
	assert_memory_not_equal(h1, h2, 32);
	report_free(r);
}

/* "Tọa đàm kỷ niệm" as typed with decomposed marks (Unikey's "Unicode
 * tổ hợp"): ọ = o + dot below, à = a + grave, ỷ = y + hook, ệ = e + dot
 * below + circumflex. */
#define TOA_DAM_NFD	"To\xcc\xa3" "a da\xcc\x80m ky\xcc\x89 " \
			"nie\xcc\xa3\xcc\x82m"
#define TOA_DAM_NFC	"T\xe1\xbb\x8d" "a d\xc3\xa0m k\xe1\xbb\xb7 " \
			"ni\xe1\xbb\x87m"

/* The same report typed in NFD and in NFC is one report once
 * normalised: the same canonical bytes, hash and derived id. */
static void
test_nfd_twin_same_report(void **state)
{
	struct report	*nfc = sample(), *nfd = sample();
	uint8_t		 h1[32], h2[32];

	(void)state;
	free(nfc->activities[0].title);
	nfc->activities[0].title = strdup(TOA_DAM_NFC);
	free(nfd->activities[0].title);
	nfd->activities[0].title = strdup(TOA_DAM_NFD);
	free(nfd->reporter_name);
	nfd->reporter_name = strdup("Lo\xcc\x80 Thi\xcc\xa3 Mai");
	assert_int_equal(report_hash(nfc, h1), 0);
	assert_int_equal(report_hash(nfd, h2), 0);
	assert_memory_not_equal(h1, h2, 32);

	assert_int_equal(report_normalize(nfd), 0);
	assert_int_equal(report_normalize(nfc), 0);
	assert_string_equal(nfd->activities[0].title, TOA_DAM_NFC);
	assert_string_equal(nfd->reporter_name, "Lò Thị Mai");
	assert_int_equal(report_hash(nfc, h1), 0);
	assert_int_equal(report_hash(nfd, h2), 0);
	assert_memory_equal(h1, h2, 32);
	assert_int_equal(report_derive_id(nfc), 0);
	assert_int_equal(report_derive_id(nfd), 0);
	assert_string_equal(nfc->id, nfd->id);
	report_free(nfc);
	report_free(nfd);
}

/* What a peer sends is normalised on the way in (wire_report_copy: gpd
 * stores and hashes NFC); canonical bytes read back stay as they were
 * stored (report_unpack), so that old records still verify. */
static void
test_wire_normalises_peer_not_stored(void **state)
{
	struct report		*r = sample(), *back = NULL;
	struct report_errors	 errs = { 0 };
	Gp__Report		*pb;
	const char		*errstr = NULL;
	uint8_t			*buf, *buf2;
	size_t			 len, len2;

	(void)state;
	free(r->activities[0].title);
	r->activities[0].title = strdup(TOA_DAM_NFD);
	assert_int_equal(report_pack(r, &buf, &len), 0);

	assert_non_null(pb = gp__report__unpack(NULL, len, buf));
	assert_int_equal(wire_report_copy(pb, &back, &errs), 0);
	assert_string_equal(back->activities[0].title, TOA_DAM_NFC);
	report_free(back);
	back = NULL;
	gp__report__free_unpacked(pb, NULL);

	assert_int_equal(report_unpack(buf, len, &back, &errs, &errstr), 0);
	assert_string_equal(back->activities[0].title, TOA_DAM_NFD);
	assert_int_equal(report_pack(back, &buf2, &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	report_free(back);
	report_free(r);
}

/* A submit framed around packed bytes is the frame protobuf-c makes of
 * the same request, and carries the bytes as they are. */
static void
test_pack_submit_carries_bytes(void **state)
{
	struct report		*r = sample();
	Gp__Request		 req = GP__REQUEST__INIT, *back;
	Gp__SubmitRequest	 submit = GP__SUBMIT_REQUEST__INIT;
	uint8_t			*bytes, *frame, *want, *repacked;
	size_t			 len, flen, wlen, i;
	uint32_t		 ids[] = { 1, 300, UINT32_MAX };

	(void)state;
	free(r->narrative[TEXT_RESULTS]);
	/* Long enough that the lengths take more than one varint byte. */
	assert_non_null(r->narrative[TEXT_RESULTS] = calloc(1, 20001));
	memset(r->narrative[TEXT_RESULTS], 'x', 20000);
	assert_int_equal(report_pack(r, &bytes, &len), 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(wire_pack_submit(ids[i], bytes, len, &frame,
		    &flen), 0);
		assert_non_null(submit.report = gp__report__unpack(NULL, len,
		    bytes));
		req.has_id = 1;
		req.id = ids[i];
		req.body_case = GP__REQUEST__BODY_SUBMIT;
		req.submit = &submit;
		assert_int_equal(wire_pack_request(&req, &want, &wlen), 0);
		gp__report__free_unpacked(submit.report, NULL);
		assert_int_equal(flen, wlen);
		assert_memory_equal(frame, want, wlen);
		/* The report's bytes end the frame, untouched. */
		assert_memory_equal(frame + flen - len, bytes, len);
		assert_non_null(back = gp__request__unpack(NULL, flen - 4,
		    frame + 4));
		assert_int_equal(back->id, ids[i]);
		assert_int_equal(back->body_case, GP__REQUEST__BODY_SUBMIT);
		assert_int_equal(gp__report__get_packed_size(
		    back->submit->report), len);
		assert_non_null(repacked = malloc(len));
		gp__report__pack(back->submit->report, repacked);
		assert_memory_equal(repacked, bytes, len);
		free(repacked);
		gp__request__free_unpacked(back, NULL);
		free(frame);
		free(want);
	}
	free(bytes);
	report_free(r);
}

static void
test_errors_cap_and_labels(void **state)
{
	struct report_errors	*errs;
	int			 i;

	(void)state;
	errs = calloc(1, sizeof(*errs));
	for (i = 0; i < REPORT_ERRORS_MAX + 5; i++)
		report_errors_add(errs, "activities[0].female", "n=%d", i);
	assert_int_equal(errs->n, REPORT_ERRORS_MAX);
	assert_int_equal(errs->dropped, 5);
	assert_string_equal(errs->e[3].message, "n=3");
	free(errs);
	assert_int_equal(report_label_find(report_kinds, KIND_COUNT,
	    "seminar"), KIND_SEMINAR);
	assert_int_equal(report_label_find(report_kinds, KIND_COUNT,
	    "Seminar"), 0);
	assert_string_equal(report_label_text(report_occasions,
	    OCCASION_COUNT, OCCASION_VN_WOMENS_DAY),
	    "Ngày Phụ nữ Việt Nam 20/10");
	assert_string_equal(report_label_id(report_areas, AREA_COUNT, 99),
	    "?");
}

/* Many empty activities: refused for memory, not decoded into ~150x. */
static void
test_request_budget(void **state)
{
	Gp__Request		 req = GP__REQUEST__INIT, *got;
	Gp__SubmitRequest	 sub = GP__SUBMIT_REQUEST__INIT;
	Gp__Report		 empty = GP__REPORT__INIT;
	Gp__Activity		 nothing = GP__ACTIVITY__INIT, **many;
	struct report		*r = sample();
	uint8_t			*frame;
	size_t			 framelen, i, n = 200000;

	(void)state;
	/* Each empty activity is two bytes on the wire. */
	many = calloc(n, sizeof(*many));
	for (i = 0; i < n; i++)
		many[i] = &nothing;
	empty.n_activities = n;
	empty.activities = many;
	sub.report = &empty;
	req.body_case = GP__REQUEST__BODY_SUBMIT;
	req.submit = &sub;
	assert_int_equal(wire_pack_request(&req, &frame, &framelen), 0);
	assert_true(framelen < 3 * n);
	/* The library alone decodes it, for ~150 bytes a byte... */
	got = gp__request__unpack(NULL, framelen - 4, frame + 4);
	assert_non_null(got);
	assert_int_equal(got->submit->report->n_activities, n);
	gp__request__free_unpacked(got, NULL);
	/* ...ours refuses it. */
	assert_null(wire_request_unpack(frame + 4, framelen - 4));
	free(frame);
	free(many);

	/* An honest report decodes within the budget. */
	sub.report = wire_report_new(r);
	assert_int_equal(wire_pack_request(&req, &frame, &framelen), 0);
	got = wire_request_unpack(frame + 4, framelen - 4);
	assert_non_null(got);
	assert_int_equal(got->submit->report->n_activities, 1);
	wire_request_free(got);
	free(frame);
	wire_report_free(sub.report);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_unpack_round_trip),
		cmocka_unit_test(test_nul_byte_refused_by_field),
		cmocka_unit_test(test_garbage_is_not_a_report),
		cmocka_unit_test(test_derived_id_depends_on_content_only),
		cmocka_unit_test(test_hash_changes_with_any_figure),
		cmocka_unit_test(test_nfd_twin_same_report),
		cmocka_unit_test(test_pack_submit_carries_bytes),
		cmocka_unit_test(test_wire_normalises_peer_not_stored),
		cmocka_unit_test(test_errors_cap_and_labels),
		cmocka_unit_test(test_request_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
