/*
 * The report as JSON: field names are the English identifiers of the
 * report model; areas, kinds, indicators, narrative texts and sections
 * are the codes of the form of the report's year (an area also by its
 * place in the form's list, from 1).
 */
#ifndef GP_REPORT_JSON_H
#define GP_REPORT_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "form.h"
#include "period.h"
#include "report.h"

#define REPORT_JSON_MAX	(4 * 1024 * 1024)	/* bytes of JSON read at most */

/*
 * Parses a report. Syntax errors are written into cause (causelen bytes)
 * with line and column. Field errors (wrong type, unknown field, negative
 * or fractional count) are all added to errs, each naming its field;
 * whether codes are the form's is the validator's to say. An area given
 * by number is looked up in the form of the report's period in forms
 * (may be NULL: a number is then an error). Returns 0 with *out set, or
 * -1.
 */
int	 report_json_read(const char *text, size_t len,
	    const struct form_set *forms, struct report **out,
	    struct report_errors *errs, char *cause, size_t causelen);

/* Reads a file ("-" is standard input) of at most REPORT_JSON_MAX bytes,
 * then as report_json_read. */
int	 report_json_read_file(const char *path,
	    const struct form_set *forms, struct report **out,
	    struct report_errors *errs, char *cause, size_t causelen);

/* As report_json_read_file, but a report with field errors is returned
 * too (-1 with *out set, the fields in error left out), so that the
 * validator can name everything else wrong with it in the same pass.
 * *out is NULL only when the file is not a JSON object. */
int	 report_json_read_file_all(const char *path,
	    const struct form_set *forms, struct report **out,
	    struct report_errors *errs, char *cause, size_t causelen);

/* The report as indented JSON text, malloc'd; NULL on allocation failure.
 * Absent optional fields are left out; narrative texts and sections in
 * the order of form when it is not NULL. The output reads back equal. */
char	*report_json_write(const struct report *, const struct form *form);

/* The same as a JSON object (its reference is the caller's); NULL on
 * allocation failure. */
json_t	*report_json_object(const struct report *, const struct form *form);

/* A complete skeleton report for unit and period from the form of the
 * period in forms: the form's labels and hints as the text to replace
 * (placeholder.h), which validation refuses by field until the unit has
 * written its own. NULL with *cause (malloc'd) when the period is not a
 * period id or has no form. */
struct report	*report_template(const char *unit, const char *period,
		    const struct form_set *forms, char **cause);

#endif
