/*
 * Vietnamese number and date formats (vnfmt.h).
 */
#include <stdio.h>
#include <string.h>

#include "vnfmt.h"

const char *
vnfmt_int(char *buf, size_t len, uint64_t v)
{
	char	digits[32];
	size_t	n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)v);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
vnfmt_tenths(char *buf, size_t len, long tenths, int percent)
{
	long	a = tenths < 0 ? -tenths : tenths;

	snprintf(buf, len, "%s%ld,%ld%s", tenths < 0 ? "-" : "", a / 10,
	    a % 10, percent ? "%" : "");
	return buf;
}

const char *
vnfmt_share(char *buf, size_t len, uint64_t part, uint64_t whole)
{
	if (whole == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* Rounded to the nearest tenth; counts are far below 2^54. */
	return vnfmt_tenths(buf, len,
	    (long)((part * 1000 + whole / 2) / whole), 1);
}

static int
vnfmt_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
vnfmt_parse_date(const char *s, int *y, int *m, int *d)
{
	static const int	 mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			 i, last;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *m < 1 || *m > 12)
		return -1;
	last = mdays[*m - 1] + (*m == 2 && vnfmt_leap(*y));
	if (*d < 1 || *d > last)
		return -1;
	return 0;
}

const char *
vnfmt_date(char *buf, size_t len, const char *iso)
{
	int	y, m, d;

	if (vnfmt_parse_date(iso, &y, &m, &d) == -1)
		return NULL;
	snprintf(buf, len, "%d/%d/%d", d, m, y);
	return buf;
}

const char *
vnfmt_date_range(char *buf, size_t len, const char *iso, const char *iso_end)
{
	int	y, m, d, y2, m2, d2;

	if (vnfmt_parse_date(iso, &y, &m, &d) == -1)
		return NULL;
	if (iso_end == NULL || strcmp(iso, iso_end) == 0)
		return vnfmt_date(buf, len, iso);
	if (vnfmt_parse_date(iso_end, &y2, &m2, &d2) == -1)
		return NULL;
	if (y == y2 && m == m2)
		snprintf(buf, len, "%d - %d/%d/%d", d, d2, m, y);
	else if (y == y2)
		snprintf(buf, len, "%d/%d - %d/%d/%d", d, m, d2, m2, y);
	else
		snprintf(buf, len, "%d/%d/%d - %d/%d/%d", d, m, y, d2, m2, y2);
	return buf;
}

const char *
vnfmt_place_date(char *buf, size_t len, const char *place, const char *iso,
    int year)
{
	int	y, m, d;

	if (vnfmt_parse_date(iso, &y, &m, &d) == -1) {
		/* Blanks the office fills in by hand when it signs. */
		snprintf(buf, len, "%s, ngày      tháng      năm %d", place,
		    year);
		return buf;
	}
	snprintf(buf, len, "%s, ngày %s%d tháng %s%d năm %d", place,
	    d < 10 ? "0" : "", d, m <= 2 ? "0" : "", m, y);
	return buf;
}
