/*
 * Where the page's forms come from and how a report is checked (web.h):
 * the two things the client's form cache (issue 14) changes, kept here
 * so that nothing else in gp-client-web does.
 *
 * Today the forms are the built-in set (the 2022 form, as gp-client
 * validate and template know it), and a report is checked by the same
 * steps as gp-client validate: NFC, the derived id, validate_report.
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

struct form_set *
web_form_load(char **cause)
{
	struct form_set	*set;

	if (form_set_load(NULL, &set, cause) == -1)
		return NULL;
	return set;
}

const struct form *
web_form_of(struct web *w, const char *period, struct period *p,
    char **cause)
{
	const struct form	*f;

	if (period == NULL) {
		*cause = strdup("no period given");
		return NULL;
	}
	if (form_set_period(w->forms, period, &f, p, cause) == -1)
		return NULL;
	return f;
}

int32_t
web_form_today(void)
{
	return date_of(time(NULL));
}

int
web_form_check(struct web *w, struct report *r, struct report_errors *errs,
    struct report_errors *warnings)
{
	struct period_rules	 rules;
	struct validate_context	 vc;
	struct period		 p;
	const char		*errstr;
	char			*cause = NULL;

	if (report_normalize(r) == -1 ||
	    (r->id == NULL && report_derive_id(r) == -1))
		return -2;
	/* A period id whose year has no form: said as the server says it
	 * (validate_report judges the id itself). */
	period_rules_default(&rules);
	if (r->period != NULL && period_parse(r->period, &rules, &p,
	    &errstr) == 0 && web_form_of(w, r->period, &p, &cause) == NULL)
		report_errors_add(errs, "period", "%s", cause != NULL ? cause :
		    "out of memory");
	free(cause);
	vc.rules = &rules;
	vc.today = web_form_today();
	vc.unit_lookup = NULL;
	vc.arg = NULL;
	if (validate_report(r, &vc, errs, warnings) == 0 && errs->n == 0)
		return 0;
	return -1;
}

int
web_form_accepts(const char *probe, const char *field)
{
	struct report_errors	*errs;
	struct report		*r = NULL;
	char			 cause[256];
	size_t			 i;
	int			 accepted = 1;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return 0;
	if (report_json_read(probe, strlen(probe), &r, errs, cause,
	    sizeof(cause)) == -1) {
		for (i = 0; i < errs->n; i++)
			if (strcmp(errs->e[i].field, field) == 0 &&
			    strcmp(errs->e[i].message, "unknown field") == 0)
				accepted = 0;
		if (errs->n == 0)
			accepted = 0;
	}
	report_free(r);
	free(errs);
	return accepted;
}
