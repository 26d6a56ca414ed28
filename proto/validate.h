/*
 * The report's validation rules, one piece of code for both sides:
 * gp-client checks first, gpd is the authority. What a report may say is
 * the form of its year (form.h): its codes, its periods' dates, which
 * figures have a women's share, which texts are required.
 */
#ifndef GP_VALIDATE_H
#define GP_VALIDATE_H

#include "form.h"
#include "period.h"
#include "report.h"

/* Registry look-up: returns 0 with the unit's validity (INT32_MIN/INT32_MAX
 * when open-ended), or -1 when the unit is unknown. */
typedef int (*validate_unit_fn)(void *arg, const char *code,
    int32_t *valid_from, int32_t *valid_to);

struct validate_context {
	const struct form_set		*forms;	/* the forms by year */
	/* The day of submission in the federation's zone (tz.h, tz_day):
	 * not the UTC day, which starts at 07:00 in Lai Châu. */
	int32_t				 today;
	validate_unit_fn		 unit_lookup;	/* NULL: not checked */
	void				*arg;
	/* gpd judges lateness itself when it stores the revision, with
	 * the unit's extension (store.c): no warning from here then. */
	int				 late_elsewhere;
};

/* What the checks found the report's period to be. */
struct validate_outcome {
	const struct form	*form;		/* NULL: no form for it */
	struct period		 period;	/* with the form's dates */
};

/*
 * Checks every rule and records every failure in errs (all at once, each
 * naming its field) and every warning in warnings (may be NULL). The form
 * and period found go to out when it is not NULL. Returns 0 when errs is
 * empty, -1 otherwise.
 */
int	 validate_report(const struct report *,
	    const struct validate_context *, struct validate_outcome *out,
	    struct report_errors *errs, struct report_errors *warnings);

/* The warning of a late report submitted on day (day numbers), due on
 * due (the unit's extension when extended): "late: due 2022-06-10,
 * submitted 2022-06-12 (2 days late)". */
void	 validate_late_message(int32_t due, int32_t day, int extended,
	    char out[REPORT_MESSAGE_MAX]);

/* 0 when s is acceptable text (text.h, text_check): valid UTF-8 without
 * control characters (tab, and CR and LF when multiline is set, allowed)
 * or invisible ones; -1 otherwise. */
int	 validate_text(const char *s, size_t len, int multiline);

/* 0 when s is a UUID in canonical 8-4-4-4-12 lower- or upper-case hex. */
int	 validate_uuid(const char *s);

/* 0 when s is a unit code: 1..REPORT_MAX_UNIT of [a-z0-9-]. */
int	 validate_unit_code(const char *s);

/* 0 when s is a code of a form: 1..REPORT_MAX_CODE of [a-z0-9_]. */
int	 validate_code(const char *s);

#endif
