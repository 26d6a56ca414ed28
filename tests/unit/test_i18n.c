/*
 * Unit tests of proto/i18n.c: the language of messages, forced or not,
 * with the build's catalogue (TEST_LOCALEDIR), and numbers and dates for
 * the reader, Vietnamese only in Vietnamese and never after
 * i18n_english().
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i18n.h"

static void
english(void)
{
	unsetenv(I18N_LANGUAGE_ENV);
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	i18n_init(I18N_GP_CLIENT, "en");
}

static void
test_known(void **state)
{
	(void)state;
	assert_true(i18n_known("vi"));
	assert_true(i18n_known("en"));
	assert_false(i18n_known("fr"));
	assert_false(i18n_known("VI"));
	assert_false(i18n_known(""));
	assert_false(i18n_known(NULL));
}

static void
test_plain_forms(void **state)
{
	char	b[I18N_MAX];

	(void)state;
	english();
	assert_false(i18n_vietnamese());
	assert_string_equal(i18n_int(b, sizeof(b), 1745), "1745");
	assert_string_equal(i18n_share(b, sizeof(b), 583, 865), "67.4");
	assert_string_equal(i18n_share(b, sizeof(b), 1, 3), "33.3");
	/* Half up, as the JSON answers round: 1/16 is 6.25. */
	assert_string_equal(i18n_share(b, sizeof(b), 1, 16), "6.3");
	assert_string_equal(i18n_share(b, sizeof(b), 0, 0), "");
	assert_string_equal(i18n_share(b, sizeof(b), 7, 7), "100.0");
	assert_string_equal(i18n_date(b, sizeof(b), "2022-06-10"),
	    "2022-06-10");
	assert_string_equal(i18n_when(b, sizeof(b), "2026-11-29T03:10:11Z"),
	    "2026-11-29 03:10");
	assert_string_equal(i18n_when(b, sizeof(b), "soon"), "soon");
	assert_string_equal(i18n_when(b, sizeof(b), NULL), "");
	assert_string_equal(_("the outbox is empty (%s)"),
	    "the outbox is empty (%s)");
}

/* language = vi on a machine whose locale is C: C.UTF-8 and LANGUAGE. */
static void
test_forced_vietnamese(void **state)
{
	char	b[I18N_MAX];

	(void)state;
	unsetenv(I18N_LANGUAGE_ENV);
	setenv("LC_ALL", "C", 1);
	i18n_init(I18N_GP_CLIENT, "vi");
	assert_true(i18n_vietnamese());
	assert_string_equal(_("the outbox is empty (%s)"),
	    "hộp thư đi trống (%s)");
	/* gpd's own messages are in gpd.mo, not in gp-client's. */
	assert_string_equal(ngettext("%zu administrator", "%zu administrators",
	    1), "%zu administrator");
	assert_string_equal(i18n_int(b, sizeof(b), 1745), "1.745");
	assert_string_equal(i18n_int(b, sizeof(b), 999), "999");
	assert_string_equal(i18n_int(b, sizeof(b), 1234567), "1.234.567");
	assert_string_equal(i18n_share(b, sizeof(b), 583, 865), "67,4");
	assert_string_equal(i18n_date(b, sizeof(b), "2022-06-10"),
	    "10/6/2022");
	assert_string_equal(i18n_date(b, sizeof(b), "2022-13-10"),
	    "2022-13-10");
	assert_string_equal(i18n_when(b, sizeof(b), "2026-11-29T03:10:11Z"),
	    "29/11/2026 03:10");
	/* A table's empty header stays empty, not the catalogue's own. */
	assert_string_equal(i18n_text(""), "");
	assert_null(i18n_text(NULL));
	assert_string_equal(i18n_text("receipt"), "biên nhận");
	assert_string_equal(C_("nothing", "receipt"), "receipt");

	/* A run whose output a program reads: English, plain numbers. */
	i18n_english();
	assert_false(i18n_vietnamese());
	assert_string_equal(_("the outbox is empty (%s)"),
	    "the outbox is empty (%s)");
	assert_string_equal(i18n_int(b, sizeof(b), 1745), "1745");
	assert_string_equal(i18n_date(b, sizeof(b), "2022-06-10"),
	    "2022-06-10");
	english();
}

/* $GP_LANGUAGE wins over the configuration's language. */
static void
test_environment_wins(void **state)
{
	(void)state;
	setenv("LC_ALL", "C", 1);
	setenv(I18N_LANGUAGE_ENV, "en", 1);
	i18n_init(I18N_GP_CLIENT, "vi");
	assert_false(i18n_vietnamese());
	setenv(I18N_LANGUAGE_ENV, "vi", 1);
	i18n_init(I18N_GP_CLIENT, "en");
	assert_true(i18n_vietnamese());
	/* Not a language it knows: the configuration's. */
	setenv(I18N_LANGUAGE_ENV, "fr", 1);
	i18n_init(I18N_GP_CLIENT, "en");
	assert_false(i18n_vietnamese());
	english();
}

/* LC_NUMERIC is never the locale's: printf keeps its decimal point. */
static void
test_numeric_untouched(void **state)
{
	char	b[32];

	(void)state;
	setenv("LC_ALL", "vi_VN.UTF-8", 1);
	i18n_init(I18N_GP_CLIENT, NULL);
	snprintf(b, sizeof(b), "%.1f", 47.25);
	assert_string_equal(b, "47.2");
	assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
	english();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_plain_forms),
		cmocka_unit_test(test_forced_vietnamese),
		cmocka_unit_test(test_environment_wins),
		cmocka_unit_test(test_numeric_untouched),
	};

	setenv(I18N_LOCALEDIR_ENV, TEST_LOCALEDIR, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
