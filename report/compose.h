/*
 * The province's report, composed: what it says and in which order, as
 * a Vietnamese trade-union báo cáo is laid out (Decree 30/2020/NĐ-CP): the
 * two-column masthead, number, place and date, title, the sections I., II.
 * with their numbered parts, tables and charts, Nơi nhận and the
 * signature, then the annexes. It writes through wml and docx and draws
 * through chart; it knows nothing of XML or zip.
 */
#ifndef GP_REPORT_COMPOSE_H
#define GP_REPORT_COMPOSE_H

#include <stddef.h>

#include "data.h"
#include "docx.h"
#include "figures.h"

/* Writes the whole body of d. Returns 0, or -1 with *cause. */
int	 compose_report(struct docx *d, const struct data_header *,
	    struct data_unit *const *units, size_t nunits,
	    const struct figures *, char **cause);

/* "6 tháng đầu năm 2022" or "năm 2022". */
const char *compose_period_phrase(char *buf, size_t len,
	    const struct data_period *);

#endif
