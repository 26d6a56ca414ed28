/*
 * The report's validation rules (report-model.md, "Validation"), one piece
 * of code for both sides: gp-client checks first, gpd is the authority.
 */
#ifndef GP_VALIDATE_H
#define GP_VALIDATE_H

#include "period.h"
#include "report.h"

/* Registry look-up: returns 0 with the unit's validity (INT32_MIN/INT32_MAX
 * when open-ended), or -1 when the unit is unknown. */
typedef int (*validate_unit_fn)(void *arg, const char *code,
    int32_t *valid_from, int32_t *valid_to);

struct validate_context {
	const struct period_rules	*rules;
	int32_t				 today;	/* day of submission (UTC) */
	validate_unit_fn		 unit_lookup;	/* NULL: not checked */
	void				*arg;
};

/*
 * Checks every rule and records every failure in errs (all at once, each
 * naming its field) and every warning in warnings. Returns 0 when errs is
 * empty, -1 otherwise.
 */
int	 validate_report(const struct report *,
	    const struct validate_context *, struct report_errors *errs,
	    struct report_errors *warnings);

/* 0 when s is acceptable text (text.h, text_check): valid UTF-8 without
 * control characters (tab, and CR and LF when multiline is set, allowed)
 * or invisible ones; -1 otherwise. */
int	 validate_text(const char *s, size_t len, int multiline);

/* 0 when s is a UUID in canonical 8-4-4-4-12 lower- or upper-case hex. */
int	 validate_uuid(const char *s);

/* 0 when s is a unit code: 1..REPORT_MAX_UNIT of [a-z0-9-]. */
int	 validate_unit_code(const char *s);

#endif
