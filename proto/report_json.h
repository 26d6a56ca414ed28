/*
 * The report as JSON: field names are the English identifiers of the
 * report model; enums are given by identifier (area also by number 1-6).
 */
#ifndef GP_REPORT_JSON_H
#define GP_REPORT_JSON_H

#include <stddef.h>

#include "period.h"
#include "report.h"

#define REPORT_JSON_MAX	(4 * 1024 * 1024)	/* bytes of JSON read at most */

/*
 * Parses a report. Syntax errors set *errstr (static buffer is not used:
 * the text is written into cause, which has causelen bytes, with line and
 * column). Field errors (wrong type, unknown field or enum value, negative
 * or fractional count) are all added to errs, each naming its field.
 * Returns 0 with *out set, or -1.
 */
int	 report_json_read(const char *text, size_t len, struct report **out,
	    struct report_errors *errs, char *cause, size_t causelen);

/* Reads a file ("-" is standard input) of at most REPORT_JSON_MAX bytes,
 * then as report_json_read. */
int	 report_json_read_file(const char *path, struct report **out,
	    struct report_errors *errs, char *cause, size_t causelen);

/* The report as indented JSON text, malloc'd; NULL on allocation failure.
 * Absent optional fields are left out; the output reads back equal. */
char	*report_json_write(const struct report *);

/* A complete, valid skeleton report for unit and period (one activity per
 * area, every indicator, every narrative text) for a unit to fill in.
 * NULL with *errstr when the period is not a period id. */
struct report	*report_template(const char *unit, const char *period,
		    const struct period_rules *, const char **errstr);

#endif
