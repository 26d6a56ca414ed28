/*
 * Unit tests for report/chart.c: a valid PNG of the width asked and the
 * height it says, taller when a long Vietnamese label wraps, nothing drawn
 * past the right edge, bad input refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cairo.h>

#include "chart.h"

static const char *const areas[] = {
	"Tuyên truyền chủ trương, chính sách (NQ 11-NQ/TW, CT 21/CT-TW)",
	"Phối hợp thực hiện Chiến lược quốc gia về bình đẳng giới",
	"Kiểm tra, giám sát"
};
static const double done[] = { 2118, 583, 76 };
static const double female[] = { 1362, 360, 35 };

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Checks the PNG signature and IHDR; returns the height it declares. */
static int
png_height(const uint8_t *png, size_t len)
{
	static const uint8_t	sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
				    0x1a, '\n' };

	assert_true(len > 33);
	assert_memory_equal(png, sig, 8);
	assert_int_equal(be32(png + 8), 13);
	assert_memory_equal(png + 12, "IHDR", 4);
	assert_int_equal(be32(png + 16), CHART_WIDTH);
	return (int)be32(png + 20);
}

struct reader {
	const uint8_t	*p;
	size_t		 left;
};

static cairo_status_t
read_png(void *closure, unsigned char *data, unsigned int len)
{
	struct reader	*r = closure;

	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static struct chart
two_series(const char *const *cats, size_t n)
{
	struct chart	ch;

	memset(&ch, 0, sizeof(ch));
	ch.title = "Lượt người tham gia theo nội dung";
	ch.axis = "Số lượt người";
	ch.categories = cats;
	ch.ncategories = n;
	ch.nseries = 2;
	ch.series[0].name = "Lượt người tham gia";
	ch.series[0].values = done;
	ch.series[1].name = "Trong đó nữ";
	ch.series[1].values = female;
	return ch;
}

static void
test_png_valid(void **state)
{
	struct chart		 ch = two_series(areas, 3);
	struct reader		 r;
	cairo_surface_t		*s;
	uint8_t			*png;
	size_t			 len;
	int			 height, x, y, stride, dark = 0;
	unsigned char		*px;

	(void)state;
	assert_int_equal(chart_png(&ch, &png, &len, &height, NULL), 0);
	assert_int_equal(png_height(png, len), height);
	assert_true(height > 200 && height < CHART_MAX_HEIGHT);

	/* cairo reads it back: the size it says, something drawn, and
	 * nothing in the last pixels on the right. */
	r.p = png;
	r.left = len;
	s = cairo_image_surface_create_from_png_stream(read_png, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), CHART_WIDTH);
	assert_int_equal(cairo_image_surface_get_height(s), height);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < height; y++)
		for (x = 0; x < CHART_WIDTH; x++) {
			uint32_t	v;

			memcpy(&v, px + y * stride + x * 4, 4);
			if ((v & 0xffffff) < 0x404040)
				dark++;
			if (x >= CHART_WIDTH - 3)
				assert_int_equal(v & 0xffffff, 0xffffff);
		}
	assert_true(dark > 1000);
	cairo_surface_destroy(s);
	free(png);
}

static void
test_long_label_wraps(void **state)
{
	static const char *const short_labels[] = { "A", "B", "C" };
	static const char *const long_labels[] = { "A", "B",
		"Truyền thông, tọa đàm, nói chuyện chuyên đề, tập huấn về bình "
		"đẳng giới, phòng chống bạo lực trên cơ sở giới cho cán bộ công "
		"đoàn, đoàn viên, công nhân, viên chức, lao động ở các xã vùng "
		"cao của tỉnh Lai Châu" };
	struct chart	 a = two_series(short_labels, 3);
	struct chart	 b = two_series(long_labels, 3);
	uint8_t		*pa, *pb;
	size_t		 la, lb;
	int		 ha, hb;

	(void)state;
	assert_int_equal(chart_png(&a, &pa, &la, &ha, NULL), 0);
	assert_int_equal(chart_png(&b, &pb, &lb, &hb, NULL), 0);
	assert_int_equal(png_height(pa, la), ha);
	assert_int_equal(png_height(pb, lb), hb);
	/* Wrapped onto several lines, never wider. */
	assert_true(hb > ha + 40);
	free(pa);
	free(pb);
}

static void
test_percent_and_one_series(void **state)
{
	static const double	 share[] = { 47.2, 100, 0 };
	struct chart		 ch;
	uint8_t			*png;
	size_t			 len;
	int			 h;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.axis = "Tỷ lệ nữ (%)";
	ch.percent = 1;
	ch.categories = areas;
	ch.ncategories = 3;
	ch.nseries = 1;
	ch.series[0].name = "Tỷ lệ nữ";
	ch.series[0].values = share;
	assert_int_equal(chart_png(&ch, &png, &len, &h, NULL), 0);
	assert_int_equal(png_height(png, len), h);
	free(png);
}

static void
test_refused(void **state)
{
	static const double	 bad[] = { 1, -5, 2 };
	struct chart		 ch = two_series(areas, 3);
	uint8_t			*png;
	size_t			 len;
	int			 h;
	char			*cause = NULL;

	(void)state;
	ch.series[1].values = bad;
	assert_int_equal(chart_png(&ch, &png, &len, &h, &cause), -1);
	assert_non_null(strstr(cause, "negative"));
	free(cause);
	ch = two_series(areas, 0);
	assert_int_equal(chart_png(&ch, &png, &len, &h, &cause), -1);
	free(cause);
	ch = two_series(areas, 3);
	ch.nseries = 0;
	assert_int_equal(chart_png(&ch, &png, &len, &h, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_valid),
		cmocka_unit_test(test_long_label_wraps),
		cmocka_unit_test(test_percent_and_one_series),
		cmocka_unit_test(test_refused)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
