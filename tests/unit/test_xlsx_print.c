/*
 * Unit tests for client/xlsx_print.c: the text of a printed page's
 * header and footer made safe (a unit's name is the server's text), and
 * what a sheet is asked to do, through a libxlsxwriter of stubs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "xlsx.h"
#include "xlsx_print.h"

/* What the stubs were asked. */
static struct {
	int	paper, landscape, fit_width, fit_height, repeat_first,
		repeat_last, gridlines, margins;
	char	header[512], footer[512];
} seen;

static void
stub_paper(lxw_worksheet *ws, uint8_t paper)
{
	(void)ws;
	seen.paper = paper;
}

static void
stub_landscape(lxw_worksheet *ws)
{
	(void)ws;
	seen.landscape = 1;
}

static void
stub_fit(lxw_worksheet *ws, uint16_t width, uint16_t height)
{
	(void)ws;
	seen.fit_width = width;
	seen.fit_height = height;
}

static lxw_error
stub_repeat(lxw_worksheet *ws, lxw_row_t first, lxw_row_t last)
{
	(void)ws;
	seen.repeat_first = (int)first;
	seen.repeat_last = (int)last;
	return LXW_NO_ERROR;
}

static void
stub_gridlines(lxw_worksheet *ws, uint8_t option)
{
	(void)ws;
	seen.gridlines = option;
}

static void
stub_margins(lxw_worksheet *ws, double left, double right, double top,
    double bottom)
{
	(void)ws;
	(void)right;
	(void)bottom;
	seen.margins = left > 0 && top > left;
}

static lxw_error
stub_header(lxw_worksheet *ws, const char *s)
{
	(void)ws;
	snprintf(seen.header, sizeof(seen.header), "%s", s);
	return strlen(s) > LXW_HEADER_FOOTER_MAX ?
	    LXW_ERROR_255_STRING_LENGTH_EXCEEDED : LXW_NO_ERROR;
}

static lxw_error
stub_footer(lxw_worksheet *ws, const char *s)
{
	(void)ws;
	snprintf(seen.footer, sizeof(seen.footer), "%s", s);
	return strlen(s) > LXW_HEADER_FOOTER_MAX ?
	    LXW_ERROR_255_STRING_LENGTH_EXCEEDED : LXW_NO_ERROR;
}

static struct xlsx
stubs(void)
{
	struct xlsx	xl;

	memset(&xl, 0, sizeof(xl));
	xl.worksheet_set_paper = stub_paper;
	xl.worksheet_set_landscape = stub_landscape;
	xl.worksheet_fit_to_pages = stub_fit;
	xl.worksheet_repeat_rows = stub_repeat;
	xl.worksheet_gridlines = stub_gridlines;
	xl.worksheet_set_margins = stub_margins;
	xl.worksheet_set_header = stub_header;
	xl.worksheet_set_footer = stub_footer;
	return xl;
}

static void
test_text(void **state)
{
	char	out[XLSX_PRINT_TEXT_MAX + 1], small[8];

	(void)state;
	assert_string_equal(xlsx_print_text("LĐLĐ huyện Tam Đường", out,
	    sizeof(out)), "LĐLĐ huyện Tam Đường");
	/* & starts Excel's codes (&P, &N): doubled, it is printed. */
	assert_string_equal(xlsx_print_text("Văn hóa & Thể thao", out,
	    sizeof(out)), "Văn hóa && Thể thao");
	/* Escapes, bidi overrides, zero width, bytes that are not UTF-8,
	 * tabs and new lines: one '?' each. */
	assert_string_equal(xlsx_print_text("A\x1b[2J\xe2\x80\xae"
	    "B\xe2\x80\x8b\xff\tC\nD", out, sizeof(out)), "A?[2J?B???C?D");
	assert_string_equal(xlsx_print_text(NULL, out, sizeof(out)), "");
	/* Cut at a whole character, never half an "Đ" or half a "&&". */
	assert_string_equal(xlsx_print_text("ĐĐĐĐ", small, sizeof(small)),
	    "ĐĐĐ");
	assert_string_equal(xlsx_print_text("abcdef&x", small, sizeof(small)),
	    "abcdef");
}

static void
test_text_long(void **state)
{
	char	in[1000], out[200];
	size_t	i;

	(void)state;
	for (i = 0; i + 2 < sizeof(in); i += 2)
		memcpy(in + i, "Đ", 2);
	in[i] = '\0';
	xlsx_print_text(in, out, sizeof(out));
	assert_int_equal(strlen(out), XLSX_PRINT_TEXT_MAX);
	for (i = 0; i < sizeof(in) - 1; i++)
		in[i] = '&';
	in[i] = '\0';
	xlsx_print_text(in, out, sizeof(out));
	assert_int_equal(strlen(out), XLSX_PRINT_TEXT_MAX);
}

static void
test_page(void **state)
{
	struct xlsx		 xl = stubs();
	struct xlsx_page	 p;
	char			 who[600];

	(void)state;
	memset(&seen, 0, sizeof(seen));
	seen.repeat_first = seen.repeat_last = -1;
	memset(&p, 0, sizeof(p));
	p.landscape = 1;
	p.repeat_heading = 1;
	p.gridlines = 1;
	p.title = "Công tác bình đẳng giới – kỳ báo cáo 2022-H1";
	p.who = "Văn hóa & Thể thao\x1b]0;x\x07";
	p.made = "Xuất ngày 5/12/2026";
	assert_int_equal(xlsx_print(&xl, NULL, &p), 0);
	assert_int_equal(seen.paper, 9);
	assert_true(seen.landscape);
	assert_int_equal(seen.fit_width, 1);
	assert_int_equal(seen.fit_height, 0);
	assert_int_equal(seen.repeat_first, 0);
	assert_int_equal(seen.repeat_last, 0);
	assert_int_equal(seen.gridlines, LXW_SHOW_ALL_GRIDLINES);
	assert_true(seen.margins);
	assert_string_equal(seen.header, "&L&BCông tác bình đẳng giới – kỳ báo "
	    "cáo 2022-H1&B&RVăn hóa && Thể thao?]0;x?");
	assert_string_equal(seen.footer, "&LXuất ngày 5/12/2026&CTrang "
	    "&P/&N&R&A");

	/* Upright, no heading repeated, no gridlines; a name as long as a
	 * peer may send still fits Excel's 255 characters. */
	memset(&seen, 0, sizeof(seen));
	seen.repeat_first = seen.repeat_last = -1;
	memset(who, '&', sizeof(who) - 1);
	who[sizeof(who) - 1] = '\0';
	p.landscape = 0;
	p.repeat_heading = 0;
	p.gridlines = 0;
	p.who = who;
	assert_int_equal(xlsx_print(&xl, NULL, &p), 0);
	assert_false(seen.landscape);
	assert_int_equal(seen.repeat_first, -1);
	assert_int_equal(seen.gridlines, 0);
	assert_true(strlen(seen.header) <= LXW_HEADER_FOOTER_MAX);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_long),
		cmocka_unit_test(test_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
