/*
 * gp-client export: the activity rows of a period written as they arrive,
 * never held whole in memory.
 *
 *   csv   UTF-8 with a byte order mark, CRLF, RFC 4180 quoting: opens in
 *         Excel with the Vietnamese intact. Header: the ExportRow field
 *         names; outputs as "code=count" separated by spaces; then the
 *         report's lateness, its first revision's (first_received_at,
 *         timeliness, days_late, due, extended_due), empty from a gpd
 *         before the calendar.
 *   json  an array of objects with the ExportRow field names; outputs
 *         an object of counts by code.
 *   xlsx  sheet 1 "Hoạt động": the rows under Vietnamese headings, counts
 *         as numbers and dates as dates; sheet 2 "Tổng hợp": the summary
 *         by area, the totals and the indicator totals, from the
 *         SummaryResponse frames handed to export_summary, then the
 *         summary by unit (export_summary_units); sheet 3 "Biểu đồ":
 *         native charts of those tables (xlsx_charts.h). Each sheet
 *         prints as xlsx_print.h says.
 *
 * A file is written through outfile.h and put in place by export_close,
 * so that FILE is either the whole export or untouched, and private
 * (0600); "-" is standard output (csv and json).
 */
#ifndef GP_EXPORT_H
#define GP_EXPORT_H

#include <stddef.h>

#include "gp.pb-c.h"

enum export_format {
	EXPORT_CSV = 1,
	EXPORT_JSON,
	EXPORT_XLSX
};

struct export;

/* "csv", "json" or "xlsx". Returns 0 with *format set, or -1. */
int		 export_format_parse(const char *, int *format);

/* Starts the export of period to path. Returns NULL with *cause
 * (malloc'd, NULL when out of memory) when the file cannot be made. */
struct export	*export_open(int format, const char *path, const char *period,
		    char **cause);

/* The labels of the form's media outputs, from the first frame, for the
 * counts of the rows after. Returns 0, or -1 when out of memory. */
int		 export_labels(struct export *, Gp__Label *const *labels,
		    size_t n);

/* One activity row. Returns 0, or -1 with *cause. */
int		 export_row(struct export *, const Gp__ExportRow *,
		    char **cause);

/* Whether the format has a summary sheet, to fill with export_summary. */
int		 export_wants_summary(const struct export *);

/* One SummaryResponse frame (by area); last is the frame with the
 * totals. Returns 0, or -1 with *cause. */
int		 export_summary(struct export *, const Gp__SummaryResponse *,
		    int last, char **cause);

/* One SummaryResponse frame by unit, after the last of export_summary:
 * the table "Theo đơn vị". Returns 0, or -1 with *cause. */
int		 export_summary_units(struct export *,
		    const Gp__SummaryResponse *, char **cause);

/* Finishes the file and puts it in place. Returns 0, or -1 with *cause;
 * export_free it either way. */
int		 export_close(struct export *, char **cause);

/* Rows written so far. */
size_t		 export_nrows(const struct export *);

/* Releases; an export not closed leaves no file behind. */
void		 export_free(struct export *);

#endif
