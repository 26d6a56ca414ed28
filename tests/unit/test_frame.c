/* Frame codec: whole, split, empty and oversize frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"

static void
test_header_round_trip(void **state)
{
	uint8_t		buf[FRAME_HEADER + 3] = { 0 };
	uint32_t	n = 0;
	const char	*err = NULL;

	(void)state;
	frame_header(buf, 3);
	assert_memory_equal(buf, "\0\0\0\3", 4);
	assert_int_equal(frame_check(buf, sizeof(buf), 10, &n, &err),
	    FRAME_READY);
	assert_int_equal(n, 3);
	frame_header(buf, 0x01020304);
	assert_memory_equal(buf, "\1\2\3\4", 4);
}

static void
test_split_frame(void **state)
{
	uint8_t		buf[FRAME_HEADER + 5];
	uint32_t	n = 0;
	const char	*err = NULL;
	size_t		have;

	(void)state;
	frame_header(buf, 5);
	memcpy(buf + FRAME_HEADER, "hello", 5);
	/* Every prefix short of the whole frame asks for more. */
	for (have = 0; have < sizeof(buf); have++)
		assert_int_equal(frame_check(buf, have, 100, &n, &err),
		    FRAME_NEED_MORE);
	assert_int_equal(frame_check(buf, sizeof(buf), 100, &n, &err),
	    FRAME_READY);
	assert_int_equal(n, 5);
}

static void
test_two_frames_back_to_back(void **state)
{
	uint8_t		buf[2 * FRAME_HEADER + 3];
	uint32_t	n = 0;
	const char	*err = NULL;

	(void)state;
	frame_header(buf, 1);
	buf[4] = 'a';
	frame_header(buf + 5, 2);
	buf[9] = 'b';
	buf[10] = 'c';
	assert_int_equal(frame_check(buf, sizeof(buf), 100, &n, &err),
	    FRAME_READY);
	assert_int_equal(n, 1);
	assert_int_equal(frame_check(buf + 5, sizeof(buf) - 5, 100, &n, &err),
	    FRAME_READY);
	assert_int_equal(n, 2);
}

static void
test_empty_frame_refused(void **state)
{
	uint8_t		buf[FRAME_HEADER] = { 0, 0, 0, 0 };
	uint32_t	n = 0;
	const char	*err = NULL;

	(void)state;
	assert_int_equal(frame_check(buf, sizeof(buf), 100, &n, &err),
	    FRAME_ERROR);
	assert_string_equal(err, "empty frame");
}

static void
test_oversize_refused_from_header_alone(void **state)
{
	uint8_t		buf[FRAME_HEADER];
	uint32_t	n = 0;
	const char	*err = NULL;

	(void)state;
	/* max + 1 is refused before any payload byte has arrived. */
	frame_header(buf, 101);
	assert_int_equal(frame_check(buf, sizeof(buf), 100, &n, &err),
	    FRAME_ERROR);
	assert_string_equal(err, "frame longer than max_frame");
	frame_header(buf, 100);
	assert_int_equal(frame_check(buf, sizeof(buf), 100, &n, &err),
	    FRAME_NEED_MORE);
	memset(buf, 0xff, sizeof(buf));
	err = NULL;
	assert_int_equal(frame_check(buf, sizeof(buf), FRAME_MAX_LIMIT, &n,
	    &err), FRAME_ERROR);
	assert_non_null(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_split_frame),
		cmocka_unit_test(test_two_frames_back_to_back),
		cmocka_unit_test(test_empty_frame_refused),
		cmocka_unit_test(test_oversize_refused_from_header_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
