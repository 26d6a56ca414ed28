/* Report model: canonical bytes, wire round trip, derived ids, NUL refusal,
 * and reports packed before report forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "report.h"
#include "text.h"
#include "wire.h"

static struct report_text *
texts(size_t n, ...)
{
	struct report_text	*v;
	va_list			 ap;
	size_t			 i;

	assert_non_null(v = calloc(n, sizeof(*v)));
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		v[i].code = strdup(va_arg(ap, const char *));
		v[i].text = strdup(va_arg(ap, const char *));
	}
	va_end(ap);
	return v;
}

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
	r->activities[0].area = strdup("communication_training");
	r->activities[0].kind = strdup("seminar");
	r->activities[0].occasion = strdup("womens_day");
	r->activities[0].status = strdup("done");
	r->activities[0].date = strdup("2022-03-08");
	r->activities[0].title = strdup("Tọa đàm kỷ niệm ngày Quốc tế Phụ nữ");
	r->activities[0].sessions = 1;
	r->activities[0].participants = 120;
	r->activities[0].female = 85;
	r->nindicators = 1;
	r->indicators = calloc(1, sizeof(*r->indicators));
	r->indicators[0].code = strdup("members");
	r->indicators[0].total = 1200;
	r->indicators[0].female = 700;
	r->indicators[0].has_female = 1;
	r->narrative = texts(1, "results", "Hoàn thành kế hoạch.");
	r->nnarrative = 1;
	r->nsections = 1;
	r->sections = calloc(1, sizeof(*r->sections));
	r->sections[0].code = strdup("law_review");
	r->sections[0].fields = texts(1, "proposals", "Sửa đổi Điều 11.");
	r->sections[0].nfields = 1;
	return r;
}

/* sample() with what the 2022 form added: a meeting for members with
 * output counts, a plan, more narrative. */
static struct report *
sample_new(void)
{
	struct report		*r = sample();
	struct report_activity	*a = &r->activities[0];

	free(a->kind);
	a->kind = strdup("meeting");
	a->audience = strdup("members");
	a->topic = strdup("both");
	a->noutputs = 2;
	a->outputs = calloc(2, sizeof(*a->outputs));
	a->outputs[0].code = strdup("leaflets");
	a->outputs[0].count = 1500;
	a->outputs[1].code = strdup("articles");
	a->outputs[1].count = 12;
	r->plan_number = strdup("12/KH-LĐLĐ");
	r->plan_date = strdup("2022-04-20");
	free(r->narrative[0].code);
	free(r->narrative[0].text);
	free(r->narrative);
	r->narrative = texts(3, "next_tasks", "Tiếp tục.", "results",
	    "Hoàn thành kế hoạch.", "advantages", "Được quan tâm.");
	r->nnarrative = 3;
	return r;
}

static const struct report_text *
text_of(const struct report_text *v, size_t n, const char *code)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

static void
test_pack_unpack_round_trip(void **state)
{
	struct report		*r = sample_new(), *back = NULL;
	struct report_errors	 errs = { 0 };
	const char		*errstr = NULL;
	uint8_t			*buf, *buf2;
	size_t			 len, len2;
	int			 legacy = -1;

	(void)state;
	assert_int_equal(report_pack(r, &buf, &len), 0);
	assert_int_equal(report_unpack(buf, len, &back, &legacy, &errs,
	    &errstr), 0);
	assert_int_equal(legacy, 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(back->unit, "lc-tamduong");
	assert_string_equal(back->reporter_name, "Lò Thị Mai");
	assert_null(back->reporter_phone);
	assert_string_equal(back->plan_number, "12/KH-LĐLĐ");
	assert_string_equal(back->plan_date, "2022-04-20");
	assert_int_equal(back->nactivities, 1);
	assert_string_equal(back->activities[0].title,
	    "Tọa đàm kỷ niệm ngày Quốc tế Phụ nữ");
	assert_int_equal(back->activities[0].female, 85);
	assert_string_equal(back->activities[0].kind, "meeting");
	assert_string_equal(back->activities[0].occasion, "womens_day");
	assert_string_equal(back->activities[0].audience, "members");
	assert_string_equal(back->activities[0].topic, "both");
	assert_null(back->activities[0].end_date);
	/* Output counts come back by code. */
	assert_int_equal(back->activities[0].noutputs, 2);
	assert_string_equal(back->activities[0].outputs[0].code, "articles");
	assert_int_equal(back->activities[0].outputs[0].count, 12);
	assert_string_equal(back->activities[0].outputs[1].code, "leaflets");
	assert_string_equal(back->indicators[0].code, "members");
	assert_int_equal(back->indicators[0].total, 1200);
	assert_true(back->indicators[0].has_female);
	/* results first (its own field), then the others by code. */
	assert_int_equal(back->nnarrative, 3);
	assert_string_equal(back->narrative[0].code, "results");
	assert_string_equal(back->narrative[1].code, "advantages");
	assert_string_equal(back->narrative[2].code, "next_tasks");
	assert_int_equal(back->nsections, 1);
	assert_string_equal(back->sections[0].code, "law_review");
	assert_string_equal(text_of(back->sections[0].fields,
	    back->sections[0].nfields, "proposals")->text, "Sửa đổi Điều 11.");
	/* Canonical: packing the decoded report gives the same bytes. */
	assert_int_equal(report_pack(back, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	report_free(r);
	report_free(back);
}

/* Texts, sections and output counts in any order: the same bytes. */
static void
test_canonical_order(void **state)
{
	struct report		*a = sample_new(), *b = sample_new();
	struct report_text	 t;
	struct report_count	 c;
	uint8_t			 h1[32], h2[32];

	(void)state;
	t = b->narrative[0];
	b->narrative[0] = b->narrative[2];
	b->narrative[2] = t;
	c = b->activities[0].outputs[0];
	b->activities[0].outputs[0] = b->activities[0].outputs[1];
	b->activities[0].outputs[1] = c;
	assert_int_equal(report_hash(a, h1), 0);
	assert_int_equal(report_hash(b, h2), 0);
	assert_memory_equal(h1, h2, 32);
	/* A women's figure given as 0 is not one left out. */
	b->indicators[0].female = 0;
	a->indicators[0].female = 0;
	a->indicators[0].has_female = 0;
	assert_int_equal(report_hash(a, h1), 0);
	assert_int_equal(report_hash(b, h2), 0);
	assert_memory_not_equal(h1, h2, 32);
	report_free(a);
	report_free(b);
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
	assert_int_equal(report_unpack(buf, len, &back, NULL, &errs, &errstr),
	    -1);
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
	assert_int_equal(report_unpack(junk, sizeof(junk), &back, NULL, &errs,
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

	assert_int_equal(report_unpack(buf, len, &back, NULL, &errs, &errstr),
	    0);
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
	free(r->narrative[0].text);
	/* Long enough that the lengths take more than one varint byte. */
	assert_non_null(r->narrative[0].text = calloc(1, 20001));
	memset(r->narrative[0].text, 'x', 20000);
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
test_errors_cap(void **state)
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
}

/* A message longer than the room for it (Vietnamese takes more bytes
 * than English) is cut after a whole character, never inside one. */
static void
test_errors_cut_whole(void **state)
{
	struct report_errors	*errs;
	char			 many[3 * REPORT_MESSAGE_MAX + 1];
	size_t			 i, len;

	(void)state;
	assert_non_null(errs = calloc(1, sizeof(*errs)));
	for (i = 0; i < REPORT_MESSAGE_MAX; i++)	/* "ệ", 3 bytes each */
		memcpy(many + 3 * i, "\xe1\xbb\x87", 3);
	many[3 * REPORT_MESSAGE_MAX] = '\0';
	/* 2 + 197 bytes fit: 65 whole characters and 2 bytes of one. */
	report_errors_add(errs, "narrative.results", "xy%s", many);
	len = strlen(errs->e[0].message);
	assert_int_equal(len, 2 + 3 * ((REPORT_MESSAGE_MAX - 1 - 2) / 3));
	assert_int_equal(text_whole(errs->e[0].message, len), len);
	/* One that fits is kept whole. */
	report_errors_add(errs, "narrative.results", "%s", "s\xe1\xbb\x91");
	assert_string_equal(errs->e[1].message, "s\xe1\xbb\x91");
	free(errs);
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

/* --- gp/1 before report forms ------------------------------------------ */

/* A report as gp-client packed it before report forms: every enum, count
 * and the law review always there. */
static void
legacy_bytes(uint8_t **buf, size_t *len, int with_law_review)
{
	Gp__LegacyReport	 r = GP__LEGACY_REPORT__INIT;
	Gp__Reporter		 rep = GP__REPORTER__INIT;
	Gp__LegacyActivity	 a = GP__LEGACY_ACTIVITY__INIT, *ap = &a;
	Gp__LegacyIndicator	 i = GP__LEGACY_INDICATOR__INIT, *ip = &i;
	Gp__LegacyNarrative	 n = GP__LEGACY_NARRATIVE__INIT;
	Gp__LegacyNarrative	 law = GP__LEGACY_NARRATIVE__INIT;

#define B(f, s)	do { (f).data = (uint8_t *)(uintptr_t)(s); \
		(f).len = strlen(s); } while (0)
	B(r.unit, "lc-tamduong"); r.has_unit = 1;
	B(r.period, "2022-H1"); r.has_period = 1;
	B(rep.name, "Lò Thị Mai"); rep.has_name = 1;
	r.reporter = &rep;
	a.area = 3; a.kind = 3; a.occasion = 2; a.status = 1;
	a.has_area = a.has_kind = a.has_occasion = a.has_status = 1;
	B(a.date, "2022-03-08"); a.has_date = 1;
	B(a.title, "Tọa đàm"); a.has_title = 1;
	a.sessions = 1; a.participants = 120; a.female = 85;
	a.has_sessions = a.has_participants = a.has_female = 1;
	r.n_activities = 1;
	r.activities = &ap;
	i.code = 8; i.total = 4; i.female = 4;
	i.has_code = i.has_total = i.has_female = 1;
	r.n_indicators = 1;
	r.indicators = &ip;
	B(n.results, "Hoàn thành."); n.has_results = 1;
	B(n.advantages, ""); n.has_advantages = 1;
	r.narrative = &n;
	if (with_law_review) {
		B(law.proposals, "Sửa đổi Điều 11."); law.has_proposals = 1;
	}
	r.law_review = &law;
#undef B
	*len = gp__legacy_report__get_packed_size(&r);
	assert_non_null(*buf = malloc(*len));
	gp__legacy_report__pack(&r, *buf);
}

static void
test_legacy_round_trip(void **state)
{
	struct report		*back = NULL, *again = NULL;
	struct report_errors	 errs = { 0 };
	const char		*errstr = NULL;
	uint8_t			*buf, *old, *fresh;
	size_t			 len, oldlen, freshlen;
	int			 legacy = 0;

	(void)state;
	legacy_bytes(&buf, &len, 1);
	assert_int_equal(report_unpack(buf, len, &back, &legacy, &errs,
	    &errstr), 0);
	assert_int_equal(legacy, 1);
	/* Numbers of the 2022 model, not places in the 2022 form (where
	 * meeting is the third kind). */
	assert_string_equal(back->activities[0].area, "communication_training");
	assert_string_equal(back->activities[0].kind, "seminar");
	assert_string_equal(back->activities[0].occasion, "womens_day");
	assert_string_equal(back->activities[0].status, "done");
	assert_string_equal(back->indicators[0].code, "gbv_cases_detected");
	assert_true(back->indicators[0].has_female);
	assert_int_equal(back->nnarrative, 2);
	assert_string_equal(back->narrative[1].code, "advantages");
	assert_string_equal(back->narrative[1].text, "");
	assert_int_equal(back->nsections, 1);
	assert_string_equal(back->sections[0].code, "law_review");
	assert_string_equal(back->sections[0].fields[0].code, "proposals");

	/* Packed the old way again: the very bytes. */
	assert_int_equal(report_legacy_pack(back, &old, &oldlen), 1);
	assert_int_equal(oldlen, len);
	assert_memory_equal(old, buf, len);

	/* In the new encoding, then read back: nothing lost. */
	assert_int_equal(report_pack(back, &fresh, &freshlen), 0);
	assert_int_equal(report_unpack(fresh, freshlen, &again, &legacy,
	    &errs, &errstr), 0);
	assert_int_equal(legacy, 0);
	free(old);
	assert_int_equal(report_legacy_pack(again, &old, &oldlen), 1);
	assert_int_equal(oldlen, len);
	assert_memory_equal(old, buf, len);
	free(old);
	free(fresh);
	free(buf);
	report_free(again);
	report_free(back);

	/* An empty law review (gp-client always sent one) is no section. */
	legacy_bytes(&buf, &len, 0);
	assert_int_equal(report_legacy_unpack(buf, len, &back, &errs,
	    &errstr), 0);
	assert_int_equal(back->nsections, 0);
	assert_int_equal(report_legacy_pack(back, &old, &oldlen), 1);
	assert_int_equal(oldlen, len);
	assert_memory_equal(old, buf, len);
	free(old);
	free(buf);
	report_free(back);
}

/* The numbers are frozen, and every code they stand for is in the
 * built-in 2022 form, in the same list. */
static void
test_legacy_codes_in_2022_form(void **state)
{
	static const int	 lists[] = { FORM_AREAS, FORM_KINDS,
	    FORM_OCCASIONS, FORM_STATUSES, FORM_INDICATORS };
	static const uint32_t	 counts[] = { 6, 14, 5, 2, 10 };
	struct form		*f;
	const struct form_entry	*law;
	const char		*code;
	char			*cause = NULL;
	uint32_t		 n;
	size_t			 i;

	(void)state;
	assert_int_equal(form_builtin(&f, &cause), 0);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		assert_null(report_legacy_code(lists[i], 0));
		for (n = 1; n <= counts[i]; n++) {
			assert_non_null(code = report_legacy_code(lists[i], n));
			if (form_find(f, lists[i], code) == NULL)
				fail_msg("%s %s is not in 2022.json",
				    form_list_name(lists[i]), code);
		}
		assert_null(report_legacy_code(lists[i], n));
	}
	assert_string_equal(report_legacy_code(FORM_KINDS, 3), "seminar");
	assert_string_equal(form_at(f, FORM_KINDS, 2)->code, "meeting");
	law = form_find(f, FORM_SECTIONS, "law_review");
	assert_non_null(law);
	for (n = 0; n < 6; n++) {
		code = report_legacy_code(FORM_NARRATIVE, n);
		assert_non_null(form_find(f, FORM_NARRATIVE, code));
		if (n < 5)
			assert_non_null(form_field(law, code));
	}
	form_free(f);
}

/* What the old encoding cannot hold is packed the new way only. */
static void
test_legacy_representable(void **state)
{
	struct report	*r = sample(), *n = sample_new();
	uint8_t		*buf;
	size_t		 len;

	(void)state;
	assert_int_equal(report_legacy_pack(r, &buf, &len), 1);
	free(buf);
	assert_int_equal(report_legacy_pack(n, &buf, &len), 0);
	assert_null(buf);
	/* Only the kind: meeting had no number. */
	free(r->activities[0].kind);
	r->activities[0].kind = strdup("meeting");
	assert_int_equal(report_legacy_pack(r, &buf, &len), 0);
	free(r->activities[0].kind);
	r->activities[0].kind = strdup("seminar");
	r->plan_date = strdup("2022-04-20");
	assert_int_equal(report_legacy_pack(r, &buf, &len), 0);
	report_free(r);
	report_free(n);
}

static void
uuid_of(const uint8_t *buf, size_t len, char out[37])
{
	uint8_t	h[32];

	assert_int_equal(report_digest(buf, len, h), 0);
	h[6] = (h[6] & 0x0f) | 0x80;
	h[8] = (h[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2], h[3], h[4], h[5],
	    h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* A file sent before report forms keeps the id derived then: from the
 * old encoding, when it can hold the report. */
static void
test_derived_id_keeps_legacy(void **state)
{
	struct report	*r = sample(), *n = sample_new();
	uint8_t		*buf;
	size_t		 len;
	char		 want[37];

	(void)state;
	assert_int_equal(report_legacy_pack(r, &buf, &len), 1);
	uuid_of(buf, len, want);
	free(buf);
	assert_int_equal(report_derive_id(r), 0);
	assert_string_equal(r->id, want);

	assert_int_equal(report_pack(n, &buf, &len), 0);
	uuid_of(buf, len, want);
	free(buf);
	assert_int_equal(report_derive_id(n), 0);
	assert_string_equal(n->id, want);
	report_free(r);
	report_free(n);
}

/* The numbers of an old client's report are fields the schema no longer
 * knows: seen, never read as something else. */
static void
test_unknown_fields_seen(void **state)
{
	struct report	*r = sample();
	Gp__Report	*pb;
	uint8_t		*buf;
	size_t		 len;
	unsigned	 top, narrative;
	char		 where[64];

	(void)state;
	legacy_bytes(&buf, &len, 0);
	assert_non_null(pb = gp__report__unpack(NULL, len, buf));
	assert_int_equal(wire_report_unknown(pb, where, sizeof(where)), 1);
	assert_string_equal(where, "field 8");
	/* Without the law review, the narrative's and the activity's
	 * numbers (the counts put back for free). */
	top = pb->base.n_unknown_fields;
	pb->base.n_unknown_fields = 0;
	assert_int_equal(wire_report_unknown(pb, where, sizeof(where)), 1);
	assert_string_equal(where, "narrative field 2");
	narrative = pb->narrative->base.n_unknown_fields;
	pb->narrative->base.n_unknown_fields = 0;
	assert_int_equal(wire_report_unknown(pb, where, sizeof(where)), 1);
	assert_string_equal(where, "activities[0] field 1");
	pb->base.n_unknown_fields = top;
	pb->narrative->base.n_unknown_fields = narrative;
	gp__report__free_unpacked(pb, NULL);
	free(buf);

	assert_int_equal(report_pack(r, &buf, &len), 0);
	assert_non_null(pb = gp__report__unpack(NULL, len, buf));
	assert_int_equal(wire_report_unknown(pb, where, sizeof(where)), 0);
	gp__report__free_unpacked(pb, NULL);
	free(buf);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_unpack_round_trip),
		cmocka_unit_test(test_canonical_order),
		cmocka_unit_test(test_nul_byte_refused_by_field),
		cmocka_unit_test(test_garbage_is_not_a_report),
		cmocka_unit_test(test_derived_id_depends_on_content_only),
		cmocka_unit_test(test_hash_changes_with_any_figure),
		cmocka_unit_test(test_nfd_twin_same_report),
		cmocka_unit_test(test_pack_submit_carries_bytes),
		cmocka_unit_test(test_wire_normalises_peer_not_stored),
		cmocka_unit_test(test_errors_cap),
		cmocka_unit_test(test_errors_cut_whole),
		cmocka_unit_test(test_request_budget),
		cmocka_unit_test(test_legacy_round_trip),
		cmocka_unit_test(test_legacy_codes_in_2022_form),
		cmocka_unit_test(test_legacy_representable),
		cmocka_unit_test(test_derived_id_keeps_legacy),
		cmocka_unit_test(test_unknown_fields_seen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
