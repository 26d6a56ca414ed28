/*
 * The text gp-client's template puts where a unit writes its own
 * (report_template): fixed words for the reporter, the plan and places,
 * the form's hints for narrative texts and section fields, "(label)"
 * where an entry has none, and "(label)" titles for the example
 * activities of each area and media kind. Made here and recognised here,
 * so that a report still holding it is refused by field (validate.c):
 * an unedited template must not count as a unit's report.
 */
#ifndef GP_PLACEHOLDER_H
#define GP_PLACEHOLDER_H

#include "form.h"

#define PLACEHOLDER_REPORTER_NAME	"(Họ và tên người báo cáo)"
#define PLACEHOLDER_REPORTER_POSITION	"(Chức vụ)"
#define PLACEHOLDER_REPORTER_PHONE	"(Số điện thoại)"
#define PLACEHOLDER_PLAN_NUMBER		"(Số, ký hiệu kế hoạch của đơn vị)"
#define PLACEHOLDER_LOCATION		"(Địa điểm)"

/* The template's text for an entry (a narrative text, a section's
 * field): its hint, or "(label)". malloc'd; NULL when out of memory. */
char	*placeholder_text(const struct form_entry *);

/* "(label)", the title of an example activity. malloc'd, or NULL. */
char	*placeholder_title(const char *label);

/*
 * Whether s, spaces around it aside, is the template's: fixed is one of
 * the fixed words above (or NULL), e an entry whose hint and "(label)"
 * count (or NULL). 1 or 0.
 */
int	 placeholder_is(const char *s, const char *fixed,
	    const struct form_entry *e);

/* Whether s is the title of one of the template's example activities in
 * the form f: "(label)" of an area or of a kind. 1 or 0. */
int	 placeholder_is_title(const struct form *f, const char *s);

#endif
