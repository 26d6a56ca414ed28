/*
 * Warnings that a reader is told in their own language. gpd words every
 * warning in English, which it stores and sends for any client; those
 * below also travel as a code and its arguments (PROTOCOL.md,
 * "Warnings"), from which gp-client says them again in the clerk's
 * language, with the very words and rules gpd used: both sides word them
 * here.
 *
 * Arguments are text that means the same in every language: codes of the
 * form, the form's labels (what Vietnamese messages name), ISO dates and
 * decimal numbers. Whoever says a warning checks them first: a code or
 * arguments it does not know (a newer or a lying server) are not said,
 * and the English words are shown instead.
 */
#ifndef GP_WARNING_H
#define GP_WARNING_H

#include <stddef.h>
#include <stdint.h>

#include "form.h"
#include "report.h"

enum warning_code {
	WARNING_TEXT = 0,		/* its message only */
	WARNING_LATE,			/* due, day of submission */
	WARNING_LATE_EXTENDED,		/* the same, due the unit's extension */
	WARNING_PLANNED_PAST,		/* activity's day, day of submission */
	WARNING_OCCASION_FAR,		/* occasion's code, label, activity's
					 * day, days away, its days ("8/3") */
	WARNING_NO_OCCASION,		/* "H1" or "annual", then the code and
					 * label of each occasion expected */
	WARNING_FEMALE_NOT_COUNTED,	/* indicator's code, label, form's
					 * year, the women's figure */
	WARNING_NCODES
};

/* At most this many arguments are said: the occasions a period expects
 * are entries of one list of the form. */
#define WARNING_ARGS_MAX	(1 + 2 * FORM_MAX_ENTRIES)

/* The code's name on the wire ("late"), or NULL for WARNING_TEXT and
 * codes out of range. */
const char	*warning_name(int code);

/* The code of a name on the wire; WARNING_TEXT for one unknown. */
int		 warning_code(const char *name);

/*
 * The message of code with its nargs arguments, in the current language
 * (i18n.h), into out. Returns 0, or -1 with out empty when the arguments
 * are not what the code takes (their number, a date that is not one, a
 * number that is not, text that is not clean UTF-8).
 */
int	 warning_say(int code, const char *const *args, size_t nargs,
	    char out[REPORT_MESSAGE_MAX]);

/*
 * Adds a warning to w: its message said in the current language, and its
 * code and arguments kept when they fit (REPORT_ARGS_MAX bytes,
 * WARNING_ARGS_MAX of them), a message only otherwise. Arguments that
 * warning_say refuses add nothing: that is a caller's mistake.
 */
void	 warning_add(struct report_errors *w, const char *field, int code,
	    const char *const *args, size_t nargs);

/* The lateness judged for a revision: due and the day of submission as
 * day numbers (period.h), extended when due is the unit's extension. */
void	 warning_add_late(struct report_errors *w, int32_t due, int32_t day,
	    int extended);

/* The arguments kept in e (warning_add), pointing into it; their
 * number. */
size_t	 warning_args(const struct report_error *e,
	    const char *args[WARNING_ARGS_MAX]);

#endif
