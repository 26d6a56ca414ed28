/*
 * Numbers and dates as a Vietnamese document writes them: 1.745 (a dot
 * between thousands), 47,2% (a decimal comma), 10/6/2022, and the place
 * and date line "ngày 05 tháng 02 năm 2022" of Decree 30/2020/NĐ-CP.
 * gp-report writes its document with these, and gp-client its tables and
 * messages when it speaks Vietnamese (i18n.h): one set of rules for both.
 */
#ifndef GP_VNFMT_H
#define GP_VNFMT_H

#include <stddef.h>
#include <stdint.h>

#define VNFMT_MAX	64	/* enough for any of these */

/* 1745 -> "1.745" */
const char	*vnfmt_int(char *buf, size_t len, uint64_t);
/* part/whole as a percentage with one decimal, "47,2%"; "-" when whole is 0 */
const char	*vnfmt_share(char *buf, size_t len, uint64_t part, uint64_t whole);
/* a percentage given in tenths: 472 -> "47,2%" */
const char	*vnfmt_tenths(char *buf, size_t len, long tenths, int percent);
/* "2022-06-10" -> "10/6/2022"; NULL when the date is not YYYY-MM-DD */
const char	*vnfmt_date(char *buf, size_t len, const char *iso);
/* A span: "12 - 14/1/2022" within a month, "25/4 - 2/5/2022" within a
 * year, "15/12/2021 - 15/1/2022" across years; one date when iso_end is
 * NULL or equal. NULL when either is not a date. */
const char	*vnfmt_date_range(char *buf, size_t len, const char *iso,
		    const char *iso_end);
/*
 * The place and date line: "Lai Châu, ngày 10 tháng 6 năm 2022", with the
 * leading zero Decree 30 asks for (days below 10, months 1 and 2). Without
 * a date (iso NULL), blanks for the office to fill and the given year.
 */
const char	*vnfmt_place_date(char *buf, size_t len, const char *place,
		    const char *iso, int year);
/* Splits YYYY-MM-DD; returns 0 or -1 when it is not a real date. */
int		 vnfmt_parse_date(const char *, int *y, int *m, int *d);

#endif
