/*
 * The "Biểu đồ" sheet of an xlsx export: native Excel charts over the
 * tables of the summary sheet (export.c writes them and says where they
 * are), drawn by the spreadsheet from the cells, so that they follow any
 * figure the office corrects there.
 */
#ifndef GP_XLSX_CHARTS_H
#define GP_XLSX_CHARTS_H

#include "xlsx.h"

/* A table of the summary sheet: its first and last data rows (0-based),
 * or none. */
struct xlsx_rows {
	int		has;
	lxw_row_t	first, last;
};

/* Where the summary sheet (named sheet) holds what the charts show. The
 * area and unit tables have the label in column A, activities in C,
 * participants in E, women in F; the indicators with a women's share
 * have the label in A and the share in D. */
struct xlsx_chart_tables {
	const char	*sheet;
	struct xlsx_rows areas;
	struct xlsx_rows shares;
	struct xlsx_rows units;
};

/*
 * Adds to ws the charts of what t holds: activities by area, participants
 * and women by area, the women's share by indicator, participants and
 * women by unit. Returns 0, or -1 with *cause.
 */
int	 xlsx_charts(const struct xlsx *, lxw_workbook *, lxw_worksheet *ws,
	    const struct xlsx_chart_tables *t, char **cause);

#endif
