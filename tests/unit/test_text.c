/*
 * Unit tests for proto/text.c: decoding, NFC of Vietnamese typed in
 * either form, display widths of Vietnamese and CJK, and the characters a
 * report may not hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

/* "Đường" precomposed, and decomposed: ư is u + U+031B horn, ờ is o +
 * horn + U+0300 grave; Đ has no decomposition. */
#define DUONG_NFC	"\xc4\x90\xc6\xb0\xe1\xbb\x9dng"
#define DUONG_NFD	"\xc4\x90u\xcc\x9bo\xcc\x9b\xcc\x80ng"
/* "Hội nghị" with ộ as o + dot below + circumflex, in that order and in
 * the other: both are "ộ" in NFC (canonical ordering). */
#define HOI_NGHI_NFC	"H\xe1\xbb\x99i ngh\xe1\xbb\x8b"
#define HOI_NGHI_NFD	"Ho\xcc\xa3\xcc\x82i nghi\xcc\xa3"
#define HOI_NGHI_NFD2	"Ho\xcc\x82\xcc\xa3i nghi\xcc\xa3"

static void
test_decode(void **state)
{
	uint32_t	cp;

	(void)state;
	assert_int_equal(text_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(text_decode("\xc4\x90", 2, &cp), 2);
	assert_int_equal(cp, 0x110);
	assert_int_equal(text_decode("\xe1\xbb\x9d", 3, &cp), 3);
	assert_int_equal(cp, 0x1edd);
	assert_int_equal(text_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* Overlong, surrogate, past U+10FFFF, stray continuation, cut. */
	assert_int_equal(text_decode("\xc0\x80", 2, &cp), 0);
	assert_int_equal(text_decode("\xe0\x80\x80", 3, &cp), 0);
	assert_int_equal(text_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(text_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(text_decode("\x80", 1, &cp), 0);
	assert_int_equal(text_decode("\xff", 1, &cp), 0);
	/* The length bounds the read: a whole sequence past it is cut. */
	assert_int_equal(text_decode("\xe1\xbb\x9d", 2, &cp), 0);
	assert_int_equal(text_decode("a", 0, &cp), 0);
}

static void
test_next(void **state)
{
	struct text_char	ch;

	(void)state;
	text_next("\xe1\xbb\x9dng", &ch);
	assert_true(ch.valid);
	assert_int_equal(ch.len, 3);
	assert_int_equal(ch.width, 1);
	assert_int_equal(ch.kind, TEXT_VISIBLE);
	/* A sequence cut by the end of the string: one bad byte. */
	text_next("\xe1\xbb", &ch);
	assert_false(ch.valid);
	assert_int_equal(ch.len, 1);
	assert_int_equal(ch.width, 1);
	text_next("\x1b[31m", &ch);
	assert_true(ch.valid);
	assert_int_equal(ch.kind, TEXT_CONTROL);
	text_next("\xe2\x80\xae" "abc", &ch);
	assert_true(ch.valid);
	assert_int_equal(ch.len, 3);
	assert_int_equal(ch.kind, TEXT_INVISIBLE);
}

/* text_next takes printable ASCII without utf8proc's tables: the same
 * answer as the tables, for every ASCII byte. */
static void
test_next_ascii(void **state)
{
	struct text_char	ch;
	char			s[2] = "";
	uint32_t		c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		s[0] = (char)c;
		text_next(s, &ch);
		assert_true(ch.valid);
		assert_int_equal(ch.cp, c);
		assert_int_equal(ch.len, 1);
		assert_int_equal(ch.kind, text_kind(c));
		assert_int_equal(ch.width, ch.kind == TEXT_VISIBLE ?
		    text_char_width(c) : 0);
		if (c >= 0x20 && c < 0x7f) {
			assert_int_equal(ch.kind, TEXT_VISIBLE);
			assert_int_equal(ch.width, 1);
		}
	}
}

/* The run shown as it is: up to the first bad byte, control or
 * invisible character, or the first that would pass the width. */
static void
test_visible(void **state)
{
	size_t	w = 99;

	(void)state;
	assert_int_equal(text_visible("", 10, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(text_visible("abc", SIZE_MAX, &w), 3);
	assert_int_equal(w, 3);
	/* Vietnamese: bytes are not cells. */
	assert_int_equal(text_visible(DUONG_NFC " x", SIZE_MAX, &w), 11);
	assert_int_equal(w, 7);
	/* Combining marks take no cell, and stay with their letter. */
	assert_int_equal(text_visible(DUONG_NFD, 3, &w), 10);
	assert_int_equal(w, 3);
	assert_int_equal(text_visible(DUONG_NFD, 2, &w), 5);
	assert_int_equal(w, 2);
	assert_int_equal(text_visible("abc", 2, &w), 2);
	assert_int_equal(w, 2);
	assert_int_equal(text_visible("abc", 0, &w), 0);
	assert_int_equal(w, 0);
	/* A wide letter that would pass the width is left out. */
	assert_int_equal(text_visible("a\xe4\xb8\x80", 2, &w), 1);
	assert_int_equal(w, 1);
	assert_int_equal(text_visible("a\xe4\xb8\x80", 3, &w), 4);
	assert_int_equal(w, 3);
	/* Stops at what a terminal must not get. */
	assert_int_equal(text_visible("ab\x1b[31m", SIZE_MAX, &w), 2);
	assert_int_equal(w, 2);
	assert_int_equal(text_visible("ab\tc", SIZE_MAX, &w), 2);
	assert_int_equal(text_visible("ab\x7f", SIZE_MAX, &w), 2);
	assert_int_equal(text_visible("a\xe2\x80\xae" "bc", SIZE_MAX, &w), 1);
	assert_int_equal(text_visible("a\xc2\x9b" "1m", SIZE_MAX, &w), 1);
	assert_int_equal(text_visible("a\xe2\x80\x8b", SIZE_MAX, &w), 1);
	assert_int_equal(text_visible("ab\xff", SIZE_MAX, &w), 2);
	assert_int_equal(text_visible("ab\xe1\xbb", SIZE_MAX, &w), 2);
	assert_int_equal(text_visible("ab\xc0\x80", SIZE_MAX, &w), 2);
	assert_int_equal(w, 2);
}

/* Vietnamese letters are one cell, whatever their marks; CJK, Hangul and
 * fullwidth forms two; combining marks none. */
static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_char_width('a'), 1);
	assert_int_equal(text_char_width(0x110), 1);	/* Đ */
	assert_int_equal(text_char_width(0x1b0), 1);	/* ư */
	assert_int_equal(text_char_width(0x1edd), 1);	/* ờ */
	assert_int_equal(text_char_width(0x1ef9), 1);	/* ỹ */
	assert_int_equal(text_char_width(0x0300), 0);	/* grave */
	assert_int_equal(text_char_width(0x031b), 0);	/* horn */
	assert_int_equal(text_char_width(0x0323), 0);	/* dot below */
	assert_int_equal(text_char_width(0x4e00), 2);	/* 一 */
	assert_int_equal(text_char_width(0x8d8a), 2);	/* 越 */
	assert_int_equal(text_char_width(0xac00), 2);	/* 가 */
	assert_int_equal(text_char_width(0x3000), 2);	/* ideographic space */
	assert_int_equal(text_char_width(0xff21), 2);	/* fullwidth A */
	assert_int_equal(text_char_width(0x1f600), 2);	/* emoji */
	assert_int_equal(text_char_width(0x2026), 1);	/* … */
}

static void
test_kind(void **state)
{
	static const uint32_t	invisible[] = {
		0x200b, 0x200c, 0x200d,		/* zero width */
		0x200e, 0x200f,			/* marks LRM, RLM */
		0x202a, 0x202b, 0x202c, 0x202d, 0x202e,	/* embeddings */
		0x2066, 0x2067, 0x2068, 0x2069,	/* isolates */
		0x2028, 0x2029,			/* line, paragraph separator */
		0xfeff, 0x00ad, 0x2060,		/* BOM, soft hyphen, WJ */
		0xe0001, 0xe0041, 0xe007f	/* tags */
	};
	static const uint32_t	control[] = {
		0x00, 0x09, 0x0a, 0x1b, 0x7f, 0x80, 0x85, 0x9b, 0x9f
	};
	static const uint32_t	visible[] = {
		'a', ' ', 0xa0, 0x110, 0x1edd, 0x0300, 0x3000, 0x4e00,
		0x1f600, 0xe000
	};
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++)
		assert_int_equal(text_kind(invisible[i]), TEXT_INVISIBLE);
	for (i = 0; i < sizeof(control) / sizeof(control[0]); i++)
		assert_int_equal(text_kind(control[i]), TEXT_CONTROL);
	for (i = 0; i < sizeof(visible) / sizeof(visible[0]); i++)
		assert_int_equal(text_kind(visible[i]), TEXT_VISIBLE);
}

static void
assert_check(const char *s, size_t len, int multiline, int want,
    size_t want_at, uint32_t want_cp)
{
	size_t		at = 999;
	uint32_t	cp = 999;

	assert_int_equal(text_check(s, len, multiline, &at, &cp), want);
	if (want == TEXT_OK)
		return;
	assert_int_equal(at, want_at);
	assert_int_equal(cp, want_cp);
}

static void
test_check(void **state)
{
	(void)state;
	assert_check(DUONG_NFC, strlen(DUONG_NFC), 0, TEXT_OK, 0, 0);
	assert_check(DUONG_NFD, strlen(DUONG_NFD), 0, TEXT_OK, 0, 0);
	assert_check("a\tb", 3, 0, TEXT_OK, 0, 0);
	assert_check("", 0, 0, TEXT_OK, 0, 0);
	assert_check("a\r\nb", 4, 1, TEXT_OK, 0, 0);
	assert_check("a\r\nb", 4, 0, TEXT_HAS_CONTROL, 1, '\r');
	assert_check("ab\x1b[2J", 6, 1, TEXT_HAS_CONTROL, 2, 0x1b);
	assert_check("\xc4\x90\xc2\x9b", 4, 1, TEXT_HAS_CONTROL, 2, 0x9b);
	assert_check("ab\0cd", 5, 1, TEXT_HAS_CONTROL, 2, 0);
	assert_check("ab\0cd", 2, 1, TEXT_OK, 0, 0);
	/* The invisible: zero width space, RLO, isolates, a tag. */
	assert_check("Tam\xe2\x80\x8b" "Đường", 14, 0, TEXT_HAS_INVISIBLE, 3,
	    0x200b);
	assert_check("abc\xe2\x80\xae" "fdp.exe", 13, 1, TEXT_HAS_INVISIBLE,
	    3, 0x202e);
	assert_check("x\xe2\x81\xa6y\xe2\x81\xa9", 8, 0, TEXT_HAS_INVISIBLE,
	    1, 0x2066);
	assert_check("x\xf3\xa0\x81\x81", 5, 0, TEXT_HAS_INVISIBLE, 1,
	    0xe0041);
	assert_check("a\xe2\x80\xa8" "b", 5, 1, TEXT_HAS_INVISIBLE, 1, 0x2028);
	/* Not UTF-8: cp 0 at the offending byte. */
	assert_check("ok \xc0\xaf", 5, 0, TEXT_NOT_UTF8, 3, 0);
	assert_check("\xed\xa0\x80", 3, 0, TEXT_NOT_UTF8, 0, 0);
	assert_check("\xc3\xa9", 1, 0, TEXT_NOT_UTF8, 0, 0);
}

static void
assert_nfc(const char *in, const char *want)
{
	char	*got;
	size_t	 len;

	assert_non_null(got = text_nfc(in, strlen(in), &len));
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

static void
test_nfc(void **state)
{
	char	*got;
	size_t	 len;

	(void)state;
	assert_nfc(DUONG_NFD, DUONG_NFC);
	assert_nfc(DUONG_NFC, DUONG_NFC);
	assert_nfc(HOI_NGHI_NFD, HOI_NGHI_NFC);
	/* The marks in the other order are the same letter. */
	assert_nfc(HOI_NGHI_NFD2, HOI_NGHI_NFC);
	assert_nfc("Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3", "Nguy\xe1\xbb\x85n "
	    "Th\xe1\xbb\x8b");
	assert_nfc("", "");
	assert_nfc("lc-tamduong 2022-H1", "lc-tamduong 2022-H1");
	/* Hangul jamo compose; CJK stays. */
	assert_nfc("\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80");
	assert_nfc("\xe8\xb6\x8a\xe5\x8d\x97", "\xe8\xb6\x8a\xe5\x8d\x97");
	/* A composition exclusion stays decomposed (U+0958 is not NFC). */
	assert_nfc("\xe0\xa5\x98", "\xe0\xa4\x95\xe0\xa4\xbc");

	/* Bytes that are not UTF-8 come back as they were, for the checks
	 * to refuse by field; so do NUL bytes within the length. */
	assert_non_null(got = text_nfc("a\xffo\xcc\x82", 5, &len));
	assert_int_equal(len, 5);
	assert_memory_equal(got, "a\xffo\xcc\x82", 6);
	free(got);
	assert_non_null(got = text_nfc("ab\0c", 4, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(got, "ab\0c", 5);
	free(got);
	assert_non_null(got = text_nfc(NULL, 0, NULL));
	assert_string_equal(got, "");
	free(got);
}

/* The quick look that spares utf8proc: sure only of composed Vietnamese
 * and what cannot compose; everything else is left to normalising. */
static void
test_is_nfc(void **state)
{
	static const struct {
		const char	*s;
		int		 sure;
	} cases[] = {
		{ "", 1 },
		{ "lc-tamduong 2022-H1", 1 },
		{ "Tổng kết 15 năm thi hành Luật Bình đẳng giới", 1 },
		{ "Tháng hành động 15/11\xe2\x80\x93" "15/12 \xe2\x80\x9cx\xe2\x80\x9d", 1 },
		/* o + combining dot below: decomposed */
		{ "To\xcc\xa3" "a da\xcc\x80m", 0 },
		/* U+2000 normalises to U+2002 */
		{ "a\xe2\x80\x80" "b", 0 },
		/* U+212B ANGSTROM SIGN normalises to U+00C5 */
		{ "\xe2\x84\xab", 0 },
		{ "\xe4\xb8\xad", 0 },	/* not Latin: utf8proc decides */
		{ "\xc3", 0 },			/* not UTF-8 */
	};
	char	*nfc;
	size_t	 i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = strlen(cases[i].s);
		if (text_is_nfc(cases[i].s, len) != cases[i].sure)
			fail_msg("case %zu", i);
		/* Sure means right: NFC leaves it as it is. */
		assert_non_null(nfc = text_nfc(cases[i].s, len, NULL));
		if (cases[i].sure)
			assert_string_equal(nfc, cases[i].s);
		free(nfc);
	}
}

/* Each byte that does not start UTF-8 becomes U+FFFD; the rest, controls
 * and a NUL inside len too, is kept as it is. */
static void
test_repair(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
	} cases[] = {
		{ "", 0, "" },
		{ "\xc4\x90u\xcc\x9b", 5, "\xc4\x90u\xcc\x9b" },
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b" },
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd" },	/* overlong */
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "cut \xe1\xbb", 6, "cut \xef\xbf\xbd\xef\xbf\xbd" },
		{ "\x1b[2J\x9b", 5, "\x1b[2J\xef\xbf\xbd" }
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_non_null(got = text_repair(cases[i].in, cases[i].len));
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* Whole characters from the start: where to end text cut at a byte
 * count. */
static void
test_whole(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
		size_t		 want;
	} cases[] = {
		{ "", 0, 0 },
		{ "abc", 3, 3 },
		{ "s\xe1\xbb\x91", 4, 4 },		/* "số" */
		{ "s\xe1\xbb\x91", 3, 1 },		/* "ố" cut after 2 */
		{ "s\xe1\xbb\x91", 2, 1 },
		{ "\xc4\x90\xc4", 3, 2 },		/* "Đ", half of "Đ" */
		{ "a\xff" "b", 3, 1 }			/* not UTF-8: stops */
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(text_whole(cases[i].in, cases[i].len),
		    cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_nfc),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_ascii),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_whole)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
