/*
 * log_quote: a peer's value in a log line cannot end its value, forge a
 * key or begin a line, and is cut, saying so, to fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

static void
test_plain_quoted(void **state)
{
	char	buf[LOG_QUOTE_MAX];

	(void)state;
	assert_string_equal(log_quote(buf, sizeof(buf), "lc-tamduong"),
	    "\"lc-tamduong\"");
	assert_string_equal(log_quote(buf, sizeof(buf), ""), "\"\"");
	assert_string_equal(log_quote(buf, sizeof(buf), NULL), "-");
}

/* A forged key stays inside the value. */
static void
test_forged_key(void **state)
{
	char	buf[LOG_QUOTE_MAX];

	(void)state;
	assert_string_equal(log_quote(buf, sizeof(buf),
	    "lc-tamduong result=accepted"),
	    "\"lc-tamduong result=accepted\"");
	assert_string_equal(log_quote(buf, sizeof(buf),
	    "x\" result=\"accepted"), "\"x\\\" result=\\\"accepted\"");
	assert_string_equal(log_quote(buf, sizeof(buf), "a\\b"),
	    "\"a\\\\b\"");
}

/* Control and invisible characters and bad bytes, byte by byte. */
static void
test_escapes(void **state)
{
	char	buf[LOG_QUOTE_MAX];

	(void)state;
	assert_string_equal(log_quote(buf, sizeof(buf),
	    "lc-sinho\ninfo: session=1 forged"),
	    "\"lc-sinho\\x0ainfo: session=1 forged\"");
	assert_string_equal(log_quote(buf, sizeof(buf), "\x1b[31mred\t"),
	    "\"\\x1b[31mred\\x09\"");
	/* U+202E (bidi override), U+200B (zero width), C1 NEL. */
	assert_string_equal(log_quote(buf, sizeof(buf),
	    "a\xe2\x80\xae" "b\xe2\x80\x8b" "c\xc2\x85"),
	    "\"a\\xe2\\x80\\xaeb\\xe2\\x80\\x8bc\\xc2\\x85\"");
	/* Invalid UTF-8: an overlong '/', a lone continuation byte. */
	assert_string_equal(log_quote(buf, sizeof(buf), "\xc0\xaf\x80"),
	    "\"\\xc0\\xaf\\x80\"");
	/* Vietnamese text is text. */
	assert_string_equal(log_quote(buf, sizeof(buf), "Tam Đường"),
	    "\"Tam Đường\"");
}

/* Cut at a character, with "..." inside the quotes; never past len. */
static void
test_cut(void **state)
{
	char	buf[16], big[LOG_QUOTE_MAX], s[400];
	size_t	len;

	(void)state;
	assert_string_equal(log_quote(buf, sizeof(buf), "0123456789abcdef"),
	    "\"0123456789...\"");
	assert_int_equal(strlen(buf), 15);
	/* Exactly as long as fits: no cut. */
	assert_string_equal(log_quote(buf, sizeof(buf), "0123456789abc"),
	    "\"0123456789abc\"");
	/* An escape is never cut in half. */
	assert_string_equal(log_quote(buf, sizeof(buf), "0123456\n\n"),
	    "\"0123456...\"");
	/* Nor a character. */
	assert_string_equal(log_quote(buf, sizeof(buf), "01234567ường"),
	    "\"01234567ư...\"");
	memset(s, '\n', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	len = strlen(log_quote(big, sizeof(big), s));
	assert_true(len < sizeof(big));
	assert_memory_equal(big + len - 4, "...\"", 4);
	/* Too small for anything but the quotes. */
	assert_string_equal(log_quote(buf, 8, "x"), "\"x\"");
	assert_string_equal(log_quote(buf, 8, "0123456789"), "\"01...\"");
	assert_string_equal(log_quote(buf, 4, "0123456789"), "\"\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_quoted),
		cmocka_unit_test(test_forged_key),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
