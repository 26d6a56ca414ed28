/*
 * One named regression test per past fuzz finding (tests/fuzz/README.md,
 * "Findings"); the inputs are also replayed through their harnesses by
 * make fuzz-crashes (tests/fuzz/crashes/HARNESS/).
 */
#include <sys/mman.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report.h"
#include "report_json.h"
#include "units.h"
#include "validate.h"
#include "wire.h"

/* A file holding len bytes of data, as gpd opens its files. */
static const char *
memfile(const void *data, size_t len)
{
	static char	path[64];
	static int	fd = -1;

	if (fd == -1) {
		assert_int_not_equal(fd = memfd_create("test_findings", 0), -1);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	assert_int_equal(ftruncate(fd, 0), 0);
	if (len > 0)
		assert_int_equal(pwrite(fd, data, len, 0), (ssize_t)len);
	return path;
}

/* Finding 1: an empty registry reached qsort(NULL, 0, ...) (undefined
 * behaviour, an abort under UBSan); it is refused with "no units". */
static void
test_finding1_units_empty_registry(void **state)
{
	static const char	comments[] = "; nothing but a comment\n[]\n";
	struct units		*u;
	char			*cause = NULL;

	(void)state;
	assert_null(u = units_load(memfile("", 0), &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no units"));
	free(cause);
	cause = NULL;
	assert_null(u = units_load(memfile(comments, strlen(comments)),
	    &cause));
	assert_non_null(cause);
	free(cause);
}

/* Finding 2: protobuf-c keeps a field 0 written in a two-byte tag as an
 * unknown field (and would repack it as a tag it refuses). gpd decodes
 * such a request without harm and never repacks what it decoded. */
static void
test_finding2_field_zero_non_minimal_tag(void **state)
{
	static const uint8_t	input[] = {
		0x81, 0x00, 0x00, 0x00, 0x7a, 0x00, 0x79, 0x00, 0x88, 0xff
	};
	Gp__Request		*req;

	(void)state;
	req = wire_request_unpack(input, sizeof(input));
	if (req != NULL) {
		assert_int_equal(req->body_case, GP__REQUEST__BODY__NOT_SET);
		wire_request_free(req);
	}
}

static int
has_c1(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
			return 1;
	return 0;
}

/* Finding 3: C1 controls (U+0080..U+009F, one is CSI) reached a syntax
 * error's cause and "unknown value" messages, which terminals print. */
static void
test_finding3_json_c1_control_not_echoed(void **state)
{
	static const char	 c1[] = "\xc2\x91";
	static const char	 status[] = "{\"activities\": [{\"status\": "
				    "\"x\xc2\x9b" "31m\"}]}";
	struct validate_context	 ctx;
	struct form_set		*forms = NULL;
	struct report		*r = NULL;
	char			*fcause = NULL;
	struct report_errors	*errs;
	char			 cause[256];
	size_t			 i;

	(void)state;
	assert_non_null(errs = calloc(1, sizeof(*errs)));
	cause[0] = '\0';
	assert_int_equal(report_json_read(c1, strlen(c1), NULL, &r, errs, cause,
	    sizeof(cause)), -1);
	assert_true(cause[0] != '\0');
	assert_false(has_c1(cause));
	report_errors_clear(errs);
	cause[0] = '\0';
	/* A code is the validator's to refuse, naming it. */
	assert_int_equal(form_set_load(NULL, &forms, &fcause), 0);
	if (report_json_read(status, strlen(status), forms, &r, errs, cause,
	    sizeof(cause)) == 0) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.forms = forms;
		ctx.today = 19000;
		assert_int_equal(validate_report(r, &ctx, NULL, errs, NULL),
		    -1);
	}
	form_set_free(forms);
	assert_false(has_c1(cause));
	assert_true(errs->n > 0);
	for (i = 0; i < errs->n; i++) {
		assert_false(has_c1(errs->e[i].field));
		assert_false(has_c1(errs->e[i].message));
	}
	report_free(r);
	free(errs);
}

/* Finding 4: an empty key gave an error whose field name was empty
 * ("", or "reporter." nested): it names the key as "". */
static void
test_finding4_json_empty_key_named(void **state)
{
	static const char	 top[] = "{\"\": \"\"}";
	static const char	 nested[] = "{\"reporter\": {\"\": 1}}";
	struct report		*r = NULL;
	struct report_errors	*errs;
	char			 cause[256];
	size_t			 i;

	(void)state;
	assert_non_null(errs = calloc(1, sizeof(*errs)));
	assert_int_equal(report_json_read(top, strlen(top), NULL, &r, errs, cause,
	    sizeof(cause)), -1);
	assert_true(errs->n > 0);
	for (i = 0; i < errs->n; i++) {
		assert_true(errs->e[i].field[0] != '\0');
		assert_int_not_equal(errs->e[i].field[strlen(
		    errs->e[i].field) - 1], '.');
	}
	report_errors_clear(errs);
	assert_int_equal(report_json_read(nested, strlen(nested), NULL, &r, errs,
	    cause, sizeof(cause)), -1);
	assert_true(errs->n > 0);
	for (i = 0; i < errs->n; i++)
		assert_string_not_equal(errs->e[i].field, "reporter.");
	report_free(r);
	free(errs);
}

/* Finding 6: a key of the report that names no field of it is read as a
 * section, and its texts' errors named it as given, a DEL or any control
 * in it: the name is shown as an unknown field's is. */
static void
test_finding6_json_section_key_shown(void **state)
{
	static const char	 json[] = "{\"rep\x7frter\": {\"name\": 1, "
				    "\"x\": 2}, \"a\\u001b[2J\\u009b\": "
				    "{\"y\": []}}";
	struct report		*r = NULL;
	struct report_errors	*errs;
	char			 cause[256];
	size_t			 i;

	(void)state;
	assert_non_null(errs = calloc(1, sizeof(*errs)));
	assert_int_equal(report_json_read(json, strlen(json), NULL, &r, errs,
	    cause, sizeof(cause)), -1);
	assert_int_equal(errs->n, 3);
	for (i = 0; i < errs->n; i++) {
		assert_int_equal(validate_text(errs->e[i].field,
		    strlen(errs->e[i].field), 0), 0);
		assert_int_equal(validate_text(errs->e[i].message,
		    strlen(errs->e[i].message), 0), 0);
	}
	assert_string_equal(errs->e[0].field, "rep?rter.name");
	report_free(r);
	free(errs);
}

/* Request.submit (field 10) { report (1) { activities (5): {} ... } }
 * of about size bytes; *nact is how many activities. */
static uint8_t *
empty_activities(size_t size, size_t *len, size_t *nact)
{
	uint8_t	*buf, *p;
	size_t	 report_len, submit_len, i;

	*nact = (size - 16) / 2;
	report_len = 2 * *nact;
	submit_len = 1 + 3 + report_len;
	assert_true(submit_len < (1 << 21));
	assert_non_null(buf = malloc(size + 32));
	p = buf;
	*p++ = 0x52;
	*p++ = (uint8_t)(0x80 | (submit_len & 0x7f));
	*p++ = (uint8_t)(0x80 | ((submit_len >> 7) & 0x7f));
	*p++ = (uint8_t)(submit_len >> 14);
	*p++ = 0x0a;
	*p++ = (uint8_t)(0x80 | (report_len & 0x7f));
	*p++ = (uint8_t)(0x80 | ((report_len >> 7) & 0x7f));
	*p++ = (uint8_t)(report_len >> 14);
	for (i = 0; i < *nact; i++) {
		*p++ = 0x2a;
		*p++ = 0x00;
	}
	*len = (size_t)(p - buf);
	return buf;
}

/* Finding 5: a 1 MiB frame of empty Activity messages made protobuf-c
 * allocate ~155 MB before gpd could count them; the decoder's budget
 * refuses it (tests/fuzz/amplification.py writes the frame). The same
 * shape, small, decodes: the refusal is the budget's. */
static void
test_finding5_unpack_amplification_refused(void **state)
{
	Gp__Request	*req;
	uint8_t		*buf;
	size_t		 len, nact;

	(void)state;
	buf = empty_activities(512, &len, &nact);
	assert_non_null(req = wire_request_unpack(buf, len));
	assert_int_equal(req->body_case, GP__REQUEST__BODY_SUBMIT);
	assert_int_equal(req->submit->report->n_activities, nact);
	wire_request_free(req);
	free(buf);

	buf = empty_activities(1024 * 1024, &len, &nact);
	assert_null(wire_request_unpack(buf, len));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finding1_units_empty_registry),
		cmocka_unit_test(test_finding2_field_zero_non_minimal_tag),
		cmocka_unit_test(test_finding3_json_c1_control_not_echoed),
		cmocka_unit_test(test_finding4_json_empty_key_named),
		cmocka_unit_test(test_finding5_unpack_amplification_refused),
		cmocka_unit_test(test_finding6_json_section_key_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
