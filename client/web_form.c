/*
 * How the page's report is checked (web.h): against the forms of
 * gp-client's cache (web_main.c opens it), by validate_report, as
 * gp-client validate checks a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"
#include "web.h"
#include "zone.h"

const struct form *
web_form_of(struct web *w, const char *period, struct period *p,
    char **cause)
{
	const struct form	*f;

	if (period == NULL) {
		*cause = strdup(_("no period given"));
		return NULL;
	}
	if (form_set_period(w->forms, period, &f, p, cause) == -1)
		return NULL;
	return f;
}

int32_t
web_form_today(void)
{
	return zone_today();
}

int
web_form_check(struct web *w, struct report *r, struct report_errors *errs,
    struct report_errors *warnings)
{
	struct validate_context	 vc;

	if (report_normalize(r) == -1 ||
	    (r->id == NULL && report_derive_id(r) == -1))
		return -2;
	memset(&vc, 0, sizeof(vc));
	vc.forms = w->forms;
	vc.today = web_form_today();
	vc.unit_lookup = NULL;
	vc.arg = NULL;
	if (validate_report(r, &vc, NULL, errs, warnings) == 0 &&
	    errs->n == 0)
		return 0;
	return -1;
}
