/*
 * Unit tests for client/report_conf.c: the [report] section's keys, what
 * each refuses, and the "document" object the report data carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report_conf.h"

static int
key(struct report_conf *rc, const char *name, const char *value, char *error)
{
	error[0] = '\0';
	return report_conf_key(rc, name, value, error, 240);
}

static void
test_texts_and_document(void **state)
{
	struct report_conf	 rc;
	char			 error[240];
	json_t			*d;

	(void)state;
	report_conf_init(&rc);
	assert_int_equal(key(&rc, "body", "LĐLĐ TỈNH ĐIỆN BIÊN", error), 0);
	assert_int_equal(key(&rc, "signer_name", "Lò Thị Hương", error), 0);
	assert_int_equal(key(&rc, "signer_authority", "", error), 0);
	assert_int_equal(key(&rc, "recipient", "UBND tỉnh (b/c)", error), 0);
	assert_int_equal(key(&rc, "recipient", "Lưu: VT", error), 0);
	assert_int_equal(key(&rc, "highlights", "3", error), 0);
	/* The last value of a key wins. */
	assert_int_equal(key(&rc, "body", "LĐLĐ TỈNH LAI CHÂU", error), 0);

	d = report_conf_document(&rc, "2022-06-20");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "body")),
	    "LĐLĐ TỈNH LAI CHÂU");
	assert_string_equal(json_string_value(json_object_get(d,
	    "signer_name")), "Lò Thị Hương");
	assert_string_equal(json_string_value(json_object_get(d,
	    "signer_authority")), "");
	assert_int_equal(json_array_size(json_object_get(d, "recipients")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(d,
	    "recipients"), 1)), "Lưu: VT");
	assert_int_equal(json_integer_value(json_object_get(d, "highlights")),
	    3);
	assert_string_equal(json_string_value(json_object_get(d, "date")),
	    "2022-06-20");
	/* What is not set is gp-report's to default. */
	assert_null(json_object_get(d, "place"));
	assert_null(json_object_get(d, "parent_body"));
	json_decref(d);
	report_conf_free(&rc);
}

static void
test_nothing_set(void **state)
{
	struct report_conf	 rc;
	json_t			*d;

	(void)state;
	report_conf_init(&rc);
	d = report_conf_document(&rc, NULL);
	assert_non_null(d);
	assert_int_equal(json_object_size(d), 0);
	json_decref(d);
	report_conf_free(&rc);
}

static void
test_refused(void **state)
{
	struct report_conf	 rc;
	char			 error[240], big[600];
	int			 i;

	(void)state;
	report_conf_init(&rc);
	assert_int_equal(key(&rc, "signer", "X", error), -1);
	assert_non_null(strstr(error, "unknown key 'signer' in [report]"));
	assert_int_equal(key(&rc, "body", "", error), -1);
	assert_non_null(strstr(error, "'body' is empty"));
	assert_int_equal(key(&rc, "place", "Lai\xe2\x80\xae" "Châu", error),
	    -1);
	assert_non_null(strstr(error, "U+202E"));
	assert_int_equal(key(&rc, "place", "Lai \xc3" "Châu", error), -1);
	assert_non_null(strstr(error, "not UTF-8"));
	memset(big, 'a', 201);
	big[201] = '\0';
	assert_int_equal(key(&rc, "number", big, error), -1);
	assert_non_null(strstr(error, "longer than 200 bytes"));
	/* The subject may be longer. */
	assert_int_equal(key(&rc, "subject", big, error), 0);
	assert_int_equal(key(&rc, "highlights", "51", error), -1);
	assert_int_equal(key(&rc, "highlights", "-1", error), -1);
	assert_int_equal(key(&rc, "highlights", "5x", error), -1);
	assert_int_equal(key(&rc, "gp_report", "bin/gp-report", error), -1);
	assert_non_null(strstr(error, "absolute path"));
	assert_int_equal(key(&rc, "recipient", "", error), -1);
	for (i = 0; i < REPORT_CONF_MAX_RECIPIENTS; i++)
		assert_int_equal(key(&rc, "recipient", "Lưu", error), 0);
	assert_int_equal(key(&rc, "recipient", "Lưu", error), -1);
	assert_non_null(strstr(error, "more than 32 recipients"));
	report_conf_free(&rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_and_document),
		cmocka_unit_test(test_nothing_set),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
