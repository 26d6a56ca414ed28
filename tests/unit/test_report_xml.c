/*
 * Unit tests for report/xml.c (the one XML writer of gp-report: escaping,
 * characters XML cannot hold, nesting) and report/vnfmt.c (Vietnamese
 * numbers and dates).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vnfmt.h"
#include "xml.h"

#define FFFD	"\xef\xbf\xbd"

/* s escaped as text (attr 0) or as an attribute value; *bad: replaced. */
static char *
escaped(const char *s, size_t n, int attr, size_t *bad)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, b;

	assert_non_null(f = open_memstream(&buf, &len));
	b = xml_escape(f, s, n, attr);
	assert_int_equal(fclose(f), 0);
	if (bad != NULL)
		*bad = b;
	return buf;
}

static void
test_escape_markup(void **state)
{
	char	*s;
	size_t	 bad;

	(void)state;
	s = escaped("a < b && c > \"d\" 'e'", strlen("a < b && c > \"d\" 'e'"),
	    0, &bad);
	assert_string_equal(s, "a &lt; b &amp;&amp; c &gt; \"d\" 'e'");
	assert_int_equal(bad, 0);
	free(s);
	s = escaped("x=\"1\"\t<y>\n", strlen("x=\"1\"\t<y>\n"), 1, &bad);
	assert_string_equal(s, "x=&quot;1&quot;&#9;&lt;y&gt;&#10;");
	free(s);
	/* A carriage return would be normalised away by a parser. */
	s = escaped("a\r\nb", 4, 0, NULL);
	assert_string_equal(s, "a&#13;\nb");
	free(s);
}

static void
test_escape_vietnamese_kept(void **state)
{
	const char	*vn = "LĐLĐ huyện Sìn Hồ: Tháng hành động 15/11–15/12 😀";
	char		*s;
	size_t		 bad;

	(void)state;
	s = escaped(vn, strlen(vn), 0, &bad);
	assert_string_equal(s, vn);
	assert_int_equal(bad, 0);
	free(s);
}

static void
test_escape_invalid_characters(void **state)
{
	char	*s;
	size_t	 bad;

	(void)state;
	/* C0 controls but tab, newline, CR; DEL; a C1 control (one
	 * character, one replacement). */
	s = escaped("a\x01" "b\x1f" "c\x7f" "d\xc2\x85" "e", 10, 0, &bad);
	assert_string_equal(s, "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e");
	assert_int_equal(bad, 4);
	free(s);
	/* A NUL byte inside the given length. */
	s = escaped("a\0b", 3, 0, &bad);
	assert_string_equal(s, "a" FFFD "b");
	assert_int_equal(bad, 1);
	free(s);
	/* U+FFFE and U+FFFF are not XML characters. */
	s = escaped("\xef\xbf\xbe\xef\xbf\xbf", 6, 0, &bad);
	assert_string_equal(s, FFFD FFFD);
	assert_int_equal(bad, 2);
	free(s);
}

static void
test_escape_invalid_utf8(void **state)
{
	char	*s;
	size_t	 bad;

	(void)state;
	/* A lone continuation byte, an overlong '/', a surrogate, a byte
	 * that never starts UTF-8, a sequence cut at the end. */
	s = escaped("\x80|\xc0\xaf|\xed\xa0\x80|\xff|\xe1\xbb", 13, 0, &bad);
	assert_string_equal(s, FFFD "|" FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD
	    "|" FFFD FFFD);
	assert_int_equal(bad, 9);
	free(s);
}

static void
test_writer(void **state)
{
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0;
	struct xml	*x;
	const char	*errstr = NULL;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_non_null(x = xml_new(f));
	xml_start(x, "w:p", (char *)NULL);
	xml_empty(x, "w:pStyle", "w:val", "A&B", (char *)NULL);
	xml_start(x, "w:t", "xml:space", "preserve", (char *)NULL);
	xml_text(x, "<Hội thảo>");
	xml_end(x);
	xml_end(x);
	assert_int_equal(xml_finish(x, &errstr), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "<w:p><w:pStyle w:val=\"A&amp;B\"/>"
	    "<w:t xml:space=\"preserve\">&lt;Hội thảo&gt;</w:t></w:p>");
	free(buf);
}

static void
test_writer_unbalanced(void **state)
{
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0;
	struct xml	*x;
	const char	*errstr = NULL;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_non_null(x = xml_new(f));
	xml_start(x, "a", (char *)NULL);
	assert_int_equal(xml_finish(x, &errstr), -1);
	assert_non_null(errstr);

	assert_non_null(x = xml_new(f));
	xml_end(x);
	assert_int_equal(xml_finish(x, &errstr), -1);
	assert_string_equal(errstr, "closing an element that was not opened");
	assert_int_equal(fclose(f), 0);
	free(buf);
}

static void
test_vnfmt_numbers(void **state)
{
	char	b[VNFMT_MAX];

	(void)state;
	assert_string_equal(vnfmt_int(b, sizeof(b), 0), "0");
	assert_string_equal(vnfmt_int(b, sizeof(b), 999), "999");
	assert_string_equal(vnfmt_int(b, sizeof(b), 1745), "1.745");
	assert_string_equal(vnfmt_int(b, sizeof(b), 10000000), "10.000.000");
	assert_string_equal(vnfmt_share(b, sizeof(b), 583, 865), "67,4%");
	assert_string_equal(vnfmt_share(b, sizeof(b), 1, 3), "33,3%");
	assert_string_equal(vnfmt_share(b, sizeof(b), 2, 3), "66,7%");
	assert_string_equal(vnfmt_share(b, sizeof(b), 5, 5), "100,0%");
	assert_string_equal(vnfmt_share(b, sizeof(b), 0, 0), "-");
	assert_string_equal(vnfmt_tenths(b, sizeof(b), -30, 1), "-3,0%");
}

static void
test_vnfmt_dates(void **state)
{
	char	b[VNFMT_MAX * 2];
	int	y, m, d;

	(void)state;
	assert_string_equal(vnfmt_date(b, sizeof(b), "2022-06-10"),
	    "10/6/2022");
	assert_null(vnfmt_date(b, sizeof(b), "2022-02-30"));
	assert_null(vnfmt_date(b, sizeof(b), "2022-6-10"));
	assert_int_equal(vnfmt_parse_date("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(vnfmt_parse_date("2023-02-29", &y, &m, &d), -1);
	assert_string_equal(vnfmt_date_range(b, sizeof(b), "2022-01-12",
	    "2022-01-14"), "12 - 14/1/2022");
	assert_string_equal(vnfmt_date_range(b, sizeof(b), "2022-04-25",
	    "2022-05-02"), "25/4 - 2/5/2022");
	assert_string_equal(vnfmt_date_range(b, sizeof(b), "2021-12-15",
	    "2022-01-15"), "15/12/2021 - 15/1/2022");
	assert_string_equal(vnfmt_date_range(b, sizeof(b), "2022-03-08",
	    NULL), "8/3/2022");
	/* Decree 30: a zero before days under 10 and months 1 and 2. */
	assert_string_equal(vnfmt_place_date(b, sizeof(b), "Lai Châu",
	    "2022-06-10", 2022), "Lai Châu, ngày 10 tháng 6 năm 2022");
	assert_string_equal(vnfmt_place_date(b, sizeof(b), "Lai Châu",
	    "2023-02-05", 2023), "Lai Châu, ngày 05 tháng 02 năm 2023");
	assert_string_equal(vnfmt_place_date(b, sizeof(b), "Lai Châu", NULL,
	    2022), "Lai Châu, ngày      tháng      năm 2022");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_markup),
		cmocka_unit_test(test_escape_vietnamese_kept),
		cmocka_unit_test(test_escape_invalid_characters),
		cmocka_unit_test(test_escape_invalid_utf8),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_writer_unbalanced),
		cmocka_unit_test(test_vnfmt_numbers),
		cmocka_unit_test(test_vnfmt_dates)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
