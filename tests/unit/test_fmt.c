/*
 * Unit tests for client/fmt.c: display width of Vietnamese text in
 * precomposed and decomposed form and of CJK, alignment, truncation,
 * safe text and JSON text, and CSV.
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

#include "fmt.h"

/* "Đường" (Đ ư ờ n g), precomposed (NFC) and decomposed (NFD: ư is u +
 * U+031B horn, ờ is o + horn + U+0300 grave; Đ has no decomposition). */
#define DUONG_NFC	"\xc4\x90\xc6\xb0\xe1\xbb\x9dng"
#define DUONG_NFD	"\xc4\x90u\xcc\x9bo\xcc\x9b\xcc\x80ng"
/* "Nguyễn Thị" precomposed, and "Nguyễn" decomposed (ễ is e + U+0302
 * circumflex + U+0303 tilde). */
#define NGUYEN_THI	"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b"
#define NGUYEN_NFD	"Nguye\xcc\x82\xcc\x83n"
#define ELLIPSIS	"\xe2\x80\xa6"

/* What f wrote, as a string the caller frees. */
struct capture {
	FILE	*f;
	char	*buf;
	size_t	 len;
};

static void
capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	assert_non_null(c->f = open_memstream(&c->buf, &c->len));
}

static char *
capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static char *
put(const char *s, size_t width, int align)
{
	struct capture	c;

	capture_open(&c);
	fmt_put(c.f, s, width, align);
	return capture_close(&c);
}

static void
assert_put(const char *s, size_t width, int align, const char *want)
{
	char	*got;

	got = put(s, width, align);
	assert_string_equal(got, want);
	free(got);
}

static void
test_width_vietnamese(void **state)
{
	(void)state;
	assert_int_equal(strlen(DUONG_NFC), 9);
	assert_int_equal(strlen(DUONG_NFD), 12);
	assert_int_equal(fmt_width(DUONG_NFC), 5);
	assert_int_equal(fmt_width(DUONG_NFD), 5);
	assert_int_equal(fmt_width(NGUYEN_THI), 10);
	assert_int_equal(fmt_width(NGUYEN_NFD), 6);
	assert_int_equal(fmt_width("LĐLĐ huyện Tam Đường"), 20);
	assert_int_equal(fmt_width("Công đoàn ngành Giáo dục"), 24);
	assert_int_equal(fmt_width(""), 0);
	assert_int_equal(fmt_width(NULL), 0);
	assert_int_equal(fmt_width("\xe6\xbc\xa2\xe5\xad\x97"), 4);
	/* Shown as '?': one cell each. */
	assert_int_equal(fmt_width("a\xff" "b"), 3);
	assert_int_equal(fmt_width("a\x1b" "b"), 3);
}

static void
test_pad_left_right(void **state)
{
	(void)state;
	assert_put(DUONG_NFC, 8, FMT_LEFT, DUONG_NFC "   ");
	assert_put(DUONG_NFD, 8, FMT_LEFT, DUONG_NFD "   ");
	assert_put(DUONG_NFC, 8, FMT_RIGHT, "   " DUONG_NFC);
	assert_put(DUONG_NFD, 8, FMT_RIGHT, "   " DUONG_NFD);
	assert_put("42", 6, FMT_RIGHT, "    42");
	assert_put("42", 2, FMT_RIGHT, "42");
	assert_put(NULL, 3, FMT_LEFT, "   ");
	assert_put(DUONG_NFC, 5, FMT_LEFT, DUONG_NFC);
	/* Unbounded: whole, no padding. */
	assert_put(NGUYEN_THI, 0, FMT_LEFT, NGUYEN_THI);
}

static void
test_truncate(void **state)
{
	(void)state;
	/* Cut to width - 1 cells and the ellipsis. */
	assert_put(NGUYEN_THI, 8, FMT_LEFT, "Nguy\xe1\xbb\x85n " ELLIPSIS);
	assert_put(NGUYEN_THI, 9, FMT_RIGHT, "Nguy\xe1\xbb\x85n T" ELLIPSIS);
	assert_put(DUONG_NFC, 3, FMT_LEFT, "\xc4\x90\xc6\xb0" ELLIPSIS);
	/* Decomposed: the horn stays on its u, the tone marks on their o. */
	assert_put(DUONG_NFD, 3, FMT_LEFT, "\xc4\x90u\xcc\x9b" ELLIPSIS);
	assert_put(DUONG_NFD, 4, FMT_LEFT,
	    "\xc4\x90u\xcc\x9bo\xcc\x9b\xcc\x80" ELLIPSIS);
	assert_put(NGUYEN_NFD, 5, FMT_LEFT, "Nguy" ELLIPSIS);
	assert_put(NGUYEN_NFD " Th", 6, FMT_LEFT,
	    "Nguye\xcc\x82\xcc\x83" ELLIPSIS);
	assert_put(NGUYEN_NFD, 6, FMT_LEFT, NGUYEN_NFD);
	/* A wide letter that would straddle the edge leaves a space. */
	assert_put("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2", 4, FMT_LEFT,
	    "\xe6\xbc\xa2" ELLIPSIS " ");
	assert_put("abc", 1, FMT_LEFT, ELLIPSIS);
	assert_put("ab", 1, FMT_LEFT, ELLIPSIS);
}

static void
test_unsafe_text(void **state)
{
	(void)state;
	assert_put("a\x1b[31mb", 0, FMT_LEFT, "a?[31mb");
	assert_put("a\nb\tc", 6, FMT_LEFT, "a?b?c ");
	assert_put("x\xff" "y", 0, FMT_LEFT, "x?y");
	assert_put("\xc2\x9b" "1m", 0, FMT_LEFT, "?1m");	/* C1 CSI */
	assert_put("a\xe2\x80\xae" "b", 0, FMT_LEFT, "a?b");	/* RLO */
	assert_put("\xe1\xbb", 0, FMT_LEFT, "??");
	/* Invisible characters: zero width space, isolates, a tag, BOM. */
	assert_put("Tam\xe2\x80\x8b" "Đường", 0, FMT_LEFT, "Tam?Đường");
	assert_put("\xe2\x81\xa7" "x\xe2\x81\xa9", 0, FMT_LEFT, "?x?");
	assert_put("x\xf3\xa0\x81\x81", 0, FMT_LEFT, "x?");
	assert_put("\xef\xbb\xbfok", 4, FMT_RIGHT, " ?ok");
	/* Safe runs around a '?', cut and padded as one text. */
	assert_put("ab\x1b" "cdef", 5, FMT_LEFT, "ab?c" ELLIPSIS);
	assert_put("ab\x1b" "cd", 7, FMT_RIGHT, "  ab?cd");
	assert_put("\x1b" DUONG_NFD "\x1b", 8, FMT_LEFT,
	    "?" DUONG_NFD "? ");
	assert_put(DUONG_NFD "\x1b" "x", 6, FMT_LEFT,
	    DUONG_NFD ELLIPSIS);
	/* Wider than one run of padding. */
	assert_put("x", 40, FMT_RIGHT,
	    "                                       x");
}

/* CJK and fullwidth letters take two cells; a table lines them up with
 * Vietnamese and cuts before a wide letter that would straddle. */
static void
test_width_cjk(void **state)
{
	(void)state;
	assert_int_equal(fmt_width("\xe8\xb6\x8a\xe5\x8d\x97"), 4);
	assert_int_equal(fmt_width("\xea\xb0\x80\xeb\x82\x98"), 4);
	assert_int_equal(fmt_width("\xef\xbc\xa1" "B"), 3);
	assert_put("\xe8\xb6\x8a\xe5\x8d\x97", 6, FMT_LEFT,
	    "\xe8\xb6\x8a\xe5\x8d\x97  ");
	assert_put("\xe8\xb6\x8a\xe5\x8d\x97", 6, FMT_RIGHT,
	    "  \xe8\xb6\x8a\xe5\x8d\x97");
	/* 3 cells: one wide letter and the ellipsis; no room for half. */
	assert_put("\xe8\xb6\x8a\xe5\x8d\x97" "x", 3, FMT_LEFT,
	    "\xe8\xb6\x8a" ELLIPSIS);
	assert_put("\xe8\xb6\x8a\xe5\x8d\x97" "x", 4, FMT_LEFT,
	    "\xe8\xb6\x8a" ELLIPSIS " ");
}

static void
test_line_and_json(void **state)
{
	struct capture	 c;
	json_t		*j;
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_line(c.f, "unit %s: %d", "lc-\x1b[2Jx\xe2\x80\xae", 7);
	fmt_paragraph(c.f, "  ", "một\r\nhai\x07\nba");
	out = capture_close(&c);
	assert_string_equal(out, "unit lc-?[2Jx?: 7\n  một\n  hai?\n  ba\n");
	free(out);

	assert_true(json_is_null(j = fmt_json_text(NULL)));
	json_decref(j);
	assert_non_null(j = fmt_json_text(DUONG_NFD));
	assert_string_equal(json_string_value(j), DUONG_NFD);
	json_decref(j);
	/* Not UTF-8: each bad byte is U+FFFD, not a refusal; controls
	 * stay, for fmt_json_dumpf to escape. */
	assert_non_null(j = fmt_json_text("a\xff" "b\r\n"));
	assert_string_equal(json_string_value(j), "a\xef\xbf\xbd" "b\r\n");
	json_decref(j);
}

/* JSON text: the same value, with nothing that drives a terminal or
 * hides text left raw; Vietnamese and CJK stay as they are. */
static void
test_json_escaped(void **state)
{
	struct capture	 c;
	json_t		*o, *back;
	json_error_t	 jerr;
	char		*out;
	const char	*hostile = "x\x1b[2J\xc2\x9b" "1m\xe2\x80\xae" "y"
			    "\xe2\x80\x8b\xf3\xa0\x81\x81\x7f" "z\xff" DUONG_NFC;

	(void)state;
	assert_non_null(o = json_pack("{s:o, s:s}", "t", fmt_json_text(hostile),
	    "k", "\xe8\xb6\x8a"));
	capture_open(&c);
	assert_int_equal(fmt_json_dumpf(o, c.f, JSON_COMPACT), 0);
	out = capture_close(&c);
	assert_string_equal(out, "{\"t\":\"x\\u001B[2J\\u009B1m\\u202Ey"
	    "\\u200B\\uDB40\\uDC41\\u007Fz\xef\xbf\xbd" DUONG_NFC "\","
	    "\"k\":\"\xe8\xb6\x8a\"}");
	/* The same value, the bad byte aside. */
	assert_non_null(back = json_loads(out, 0, &jerr));
	assert_string_equal(json_string_value(json_object_get(back, "t")),
	    "x\x1b[2J\xc2\x9b" "1m\xe2\x80\xae" "y\xe2\x80\x8b"
	    "\xf3\xa0\x81\x81\x7f" "z\xef\xbf\xbd" DUONG_NFC);
	json_decref(back);
	json_decref(o);
	free(out);
}

static void
test_clean(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "", "" },
		{ DUONG_NFD, DUONG_NFD },
		{ "a\r\nb\tc", "a\nb\tc" },
		{ "x\x01y\x7f", "x?y?" },
		{ "bad \xff\xfe end", "bad ?? end" },
		{ "cut \xe1\xbb", "cut ??" },
		{ "\xc2\x85" "next line", "?next line" }
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_non_null(got = fmt_clean(cases[i].in));
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* The display column where each "|" of a line starts: the left edge of
 * the name column and of the last one, whose place depends on the right
 * alignment of the numbers before it. */
static void
bar_columns(const char *line, size_t *cols, size_t max, size_t *n)
{
	char		 buf[512];
	const char	*p;

	*n = 0;
	for (p = line; (p = strchr(p, '|')) != NULL && *n < max; p++) {
		assert_true((size_t)(p - line) < sizeof(buf));
		memcpy(buf, line, (size_t)(p - line));
		buf[p - line] = '\0';
		cols[(*n)++] = fmt_width(buf);
	}
}

static void
test_rows_line_up(void **state)
{
	static const struct fmt_column cols[] = {
		{ "unit", 12, FMT_LEFT },
		{ "|name", 14, FMT_LEFT },
		{ "women", 7, FMT_RIGHT },
		{ "|end", 0, FMT_LEFT }
	};
	const char	*rows[][4] = {
		{ "lc-tamduong", "|" DUONG_NFC, "12", "|x" },
		{ "lc-sinho", "|" DUONG_NFD, "3456", "|y" },
		{ "lc-nganh-giaoduc", "|Công đoàn ngành Giáo dục", "7", "|z" }
	};
	struct fmt_table	 t;
	struct capture	 c;
	char		*out, *line, *save = NULL;
	size_t		 want[2], got[2], n, i, lines = 0;

	(void)state;
	capture_open(&c);
	fmt_table_init(&t, c.f, cols, 4, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(fmt_table_row(&t, rows[i]), 0);
	out = capture_close(&c);

	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), lines++) {
		if (lines == 0) {
			bar_columns(line, want, 2, &n);
			assert_int_equal(n, 2);
			continue;
		}
		bar_columns(line, got, 2, &n);
		assert_int_equal(n, 2);
		for (i = 0; i < 2; i++)
			assert_int_equal(got[i], want[i]);
		/* No trailing blanks after the last column. */
		assert_int_not_equal(line[strlen(line) - 1], ' ');
	}
	assert_int_equal(lines, 4);
	free(out);
}

static void
test_csv_quoting(void **state)
{
	struct capture	 c;
	const char	*fields[] = {
		"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "",
		NULL, "=1+2", "-5, x", "@SUM(A1)", "+1", "Tọa đàm \"Phụ nữ\"",
		"2022-03-08", "320", "-12", "-3.5", "-1+2", "-", "-4.",
		"\"", "\"\"x\"", "a\x1b\"b"
	};
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_csv_record(c.f, fields, sizeof(fields) / sizeof(fields[0]));
	out = capture_close(&c);
	/* A negative number stays a number; anything more is text. */
	assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\","
	    "\"two\nlines\",crhere,,,'=1+2,\"'-5, x\",'@SUM(A1),'+1,"
	    "\"Tọa đàm \"\"Phụ nữ\"\"\",2022-03-08,320,-12,-3.5,'-1+2,'-,"
	    "'-4.,\"\"\"\",\"\"\"\"\"x\"\"\",\"a?\"\"b\"\r\n");
	free(out);
}

/* CSV goes to terminals too: what a table would show as '?' is '?' in
 * a cell; lines and TABs stay, CR goes. */
static void
test_csv_safe(void **state)
{
	struct capture	 c;
	const char	*fields[] = {
		"a\x1b]0;pwned\x07" "b", "\xc2\x9b" "31m", "x\x9by",
		"T\xe2\x80\xae" "am\xe2\x81\xa6", "Tam\xe2\x80\x8b"
		"\xf3\xa0\x81\x81" "x", "one\r\ntwo\tthree", "\r=1+1"
	};
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_csv_record(c.f, fields, sizeof(fields) / sizeof(fields[0]));
	out = capture_close(&c);
	assert_string_equal(out, "a?]0;pwned?b,?31m,x?y,T?am?,Tam??x,"
	    "\"one\ntwo\tthree\",'=1+1\r\n");
	free(out);
}

static void
test_csv_table(void **state)
{
	static const struct fmt_column cols[] = {
		{ "unit", 4, FMT_LEFT },
		{ "name", 3, FMT_LEFT },
		{ "women", 2, FMT_RIGHT }
	};
	const char	*row[] = { "lc-tamduong",
	    "LĐLĐ huyện Tam Đường, Lai Châu", "1088" };
	struct fmt_table	 t;
	struct capture	 c;
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_table_init(&t, c.f, cols, 3, FMT_CSV | FMT_CSV_BOM);
	assert_int_equal(fmt_table_row(&t, row), 0);
	fmt_table_header(&t);	/* once only */
	out = capture_close(&c);
	/* Whole cells, never cut, never padded. */
	assert_string_equal(out, "\xef\xbb\xbfunit,name,women\r\n"
	    "lc-tamduong,\"LĐLĐ huyện Tam Đường, Lai Châu\",1088\r\n");
	free(out);
}

static void
test_header_only(void **state)
{
	static const struct fmt_column cols[] = {
		{ "unit", 6, FMT_LEFT },
		{ "n", 3, FMT_RIGHT }
	};
	struct fmt_table	 t;
	struct capture	 c;
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_table_init(&t, c.f, cols, 2, 0);
	fmt_table_header(&t);
	out = capture_close(&c);
	assert_string_equal(out, "unit      n\n");
	free(out);
}

static void
test_trailing_empty(void **state)
{
	static const struct fmt_column cols[] = {
		{ "a", 4, FMT_LEFT },
		{ "b", 4, FMT_RIGHT },
		{ "c", 4, FMT_LEFT }
	};
	const char	*first[] = { "x", "", "" };
	const char	*middle[] = { "x", "", "z" };
	const char	*right[] = { "x", "7", NULL };
	struct fmt_table	 t;
	struct capture	 c;
	char		*out;

	(void)state;
	capture_open(&c);
	fmt_table_init(&t, c.f, cols, 3, 0);
	fmt_table_row(&t, first);
	fmt_table_row(&t, middle);
	fmt_table_row(&t, right);
	out = capture_close(&c);
	assert_string_equal(out, "a        b  c\n"
	    "x\n"
	    "x           z\n"
	    "x        7\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_vietnamese),
		cmocka_unit_test(test_pad_left_right),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_unsafe_text),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_width_cjk),
		cmocka_unit_test(test_line_and_json),
		cmocka_unit_test(test_json_escaped),
		cmocka_unit_test(test_csv_safe),
		cmocka_unit_test(test_rows_line_up),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_trailing_empty)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
