/*
 * What changed in a report from one revision to the next, in words a
 * clerk can follow (history): the reporter, the plan, each activity by
 * its place (its dates, title, place, codes, figures), activities added
 * or removed, and each narrative text and section field. Fields are
 * named as the JSON names them ("activities[2].date",
 * "narrative.results"); long texts are shown as a few words around their
 * first difference. Indicators are left to the caller, which has them
 * as figures.
 */
#ifndef GP_REPORT_DIFF_H
#define GP_REPORT_DIFF_H

#include <stddef.h>

#include "report.h"

#define REPORT_DIFF_MAX		40	/* changes listed; the rest counted */
#define REPORT_DIFF_TEXT	100	/* bytes of text shown, about */
#define REPORT_DIFF_CELL	(REPORT_DIFF_TEXT + 16)

struct report_change {
	char	field[REPORT_FIELD_MAX];
	char	before[REPORT_DIFF_CELL];	/* "" with !has_before */
	char	after[REPORT_DIFF_CELL];
	int	has_before;			/* absent: added */
	int	has_after;			/* absent: removed */
};

struct report_changes {
	size_t			n;
	size_t			more;		/* beyond REPORT_DIFF_MAX */
	struct report_change	c[REPORT_DIFF_MAX];
};

/* The changes from a to b into out (emptied first). */
void	 report_diff(const struct report *a, const struct report *b,
	    struct report_changes *out);

#endif
