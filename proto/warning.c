/*
 * Warnings said from a code and arguments (warning.h): the validator and
 * gpd's lateness add them here, gp-client says again what gpd sent.
 * Nothing here trusts its arguments: each is checked before it is said.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "report.h"
#include "text.h"
#include "validate.h"
#include "warning.h"

/* The occasion's days as the form gives them: "8/3", "15/11–15/12". */
#define WARNING_DAYS_MAX	32

static const char *const warning_names[WARNING_NCODES] = {
	[WARNING_TEXT] = NULL,
	[WARNING_LATE] = "late",
	[WARNING_LATE_EXTENDED] = "late_extended",
	[WARNING_PLANNED_PAST] = "planned_past",
	[WARNING_OCCASION_FAR] = "occasion_far",
	[WARNING_NO_OCCASION] = "no_occasion",
	[WARNING_FEMALE_NOT_COUNTED] = "female_not_counted",
};

const char *
warning_name(int code)
{
	if (code <= WARNING_TEXT || code >= WARNING_NCODES)
		return NULL;
	return warning_names[code];
}

int
warning_code(const char *name)
{
	int	code;

	for (code = WARNING_TEXT + 1; name != NULL && code < WARNING_NCODES;
	    code++)
		if (strcmp(name, warning_names[code]) == 0)
			return code;
	return WARNING_TEXT;
}

/* An ISO date, for a message: 2022-06-10, or 10/6/2022 in Vietnamese. */
static int
warning_date(const char *iso, int32_t *day, char *buf, size_t len)
{
	if (date_parse(iso, day) == -1)
		return -1;
	i18n_date(buf, len, iso);
	return 0;
}

/* Digits only, at most max. */
static int
warning_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	n = 0, d;

	if (s[0] == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (uint64_t)(*s - '0');
		if (n > (max - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

/* Clean one-line text of at most max bytes. */
static int
warning_text(const char *s, size_t max)
{
	size_t	len = strlen(s);

	return len <= max && validate_text(s, len, 0) == 0 ? 0 : -1;
}

/* What the form names: its code, or in Vietnamese its label (a reader
 * knows the label, not the code). */
static int
warning_entry(const char *code, const char *label, const char **name)
{
	if (validate_code(code) == -1 || warning_text(label, FORM_MAX_LABEL)
	    == -1)
		return -1;
	*name = i18n_vietnamese() && label[0] != '\0' ? label : code;
	return 0;
}

static int
warning_late(const char *const *args, int extended,
    char out[REPORT_MESSAGE_MAX])
{
	char	 d[I18N_MAX], t[I18N_MAX], n[I18N_MAX];
	int32_t	 due, day;
	long	 late;

	if (warning_date(args[0], &due, d, sizeof(d)) == -1 ||
	    warning_date(args[1], &day, t, sizeof(t)) == -1 || day <= due)
		return -1;
	late = (long)day - due;
	i18n_int(n, sizeof(n), (uint64_t)late);
	if (!extended)
		/* TRANSLATORS: the due date, the day of submission, the
		 * days. */
		snprintf(out, REPORT_MESSAGE_MAX, ngettext("late: due %s, "
		    "submitted %s (%s day late)", "late: due %s, submitted %s "
		    "(%s days late)", (unsigned long)late), d, t, n);
	else
		/* TRANSLATORS: the due date, extended for the unit by the
		 * province, the day of submission, the days. */
		snprintf(out, REPORT_MESSAGE_MAX, ngettext("late: due %s "
		    "(extended), submitted %s (%s day late)", "late: due %s "
		    "(extended), submitted %s (%s days late)",
		    (unsigned long)late), d, t, n);
	return 0;
}

static int
warning_planned_past(const char *const *args, char out[REPORT_MESSAGE_MAX])
{
	char	 s[I18N_MAX], today[I18N_MAX];
	int32_t	 start, day;

	if (warning_date(args[0], &start, s, sizeof(s)) == -1 ||
	    warning_date(args[1], &day, today, sizeof(today)) == -1)
		return -1;
	/* TRANSLATORS: the activity's day, the day of submission. */
	snprintf(out, REPORT_MESSAGE_MAX, _("planned activity dated %s, before "
	    "the day of submission %s: was it done? Then mark it done, with "
	    "its figures"), s, today);
	return 0;
}

static int
warning_occasion_far(const char *const *args, char out[REPORT_MESSAGE_MAX])
{
	const char	*name;
	char		 s[I18N_MAX];
	int32_t		 start;
	uint64_t	 dist;

	if (warning_entry(args[0], args[1], &name) == -1 ||
	    warning_date(args[2], &start, s, sizeof(s)) == -1 ||
	    warning_number(args[3], INT32_MAX, &dist) == -1 ||
	    warning_text(args[4], WARNING_DAYS_MAX) == -1)
		return -1;
	/* TRANSLATORS: the occasion (in Vietnamese its label), the
	 * activity's day, how many days from the occasion's days (8/3). */
	snprintf(out, REPORT_MESSAGE_MAX, ngettext("%s activity dated %s, %ld "
	    "day from %s", "%s activity dated %s, %ld days from %s",
	    (unsigned long)dist), name, s, (long)dist, args[4]);
	return 0;
}

static int
warning_no_occasion(const char *const *args, size_t nargs,
    char out[REPORT_MESSAGE_MAX])
{
	const char	*name;
	char		 list[REPORT_MESSAGE_MAX];
	char		 head[REPORT_MESSAGE_MAX];
	char		 item[REPORT_MESSAGE_MAX];
	size_t		 k, n, used;
	int		 annual;

	if (nargs < 3 || nargs % 2 != 1)
		return -1;
	if (strcmp(args[0], "annual") == 0)
		annual = 1;
	else if (strcmp(args[0], "H1") == 0)
		annual = 0;
	else
		return -1;
	n = (nargs - 1) / 2;
	for (k = 0; k < n; k++)
		if (warning_entry(args[1 + 2 * k], args[2 + 2 * k], &name) ==
		    -1)
			return -1;
	/* "a, b or c": in Vietnamese the labels, each in quotes. */
	list[0] = '\0';
	for (k = 0; k < n; k++) {
		warning_entry(args[1 + 2 * k], args[2 + 2 * k], &name);
		snprintf(item, sizeof(item), i18n_vietnamese() ?
		    "\xe2\x80\x9c%s\xe2\x80\x9d" : "%s", name);
		used = strlen(list);
		if (k == 0)
			snprintf(list, sizeof(list), "%s", item);
		else if (k + 1 < n) {
			if (snprintf(list + used, sizeof(list) - used, ", %s",
			    item) >= (int)(sizeof(list) - used))
				break;
		} else {
			snprintf(head, sizeof(head), "%s", list);
			/* TRANSLATORS: the last two of a list of occasions:
			 * "action_month, vn_womens_day or womens_day". */
			snprintf(list, sizeof(list), _("%s or %s"), head, item);
		}
	}
	if (annual)
		snprintf(out, REPORT_MESSAGE_MAX, _("annual report without an "
		    "activity for %s"), list);
	else
		snprintf(out, REPORT_MESSAGE_MAX, _("6-month report without an "
		    "activity for %s"), list);
	return 0;
}

static int
warning_female_not_counted(const char *const *args,
    char out[REPORT_MESSAGE_MAX])
{
	const char	*name;
	char		 n[I18N_MAX];
	uint64_t	 year, female;

	if (warning_entry(args[0], args[1], &name) == -1 ||
	    warning_number(args[2], FORM_YEAR_MAX, &year) == -1 ||
	    warning_number(args[3], UINT64_MAX, &female) == -1)
		return -1;
	/* TRANSLATORS: the indicator (in Vietnamese its label), the form's
	 * year, the women's figure. */
	snprintf(out, REPORT_MESSAGE_MAX, _("%s has no women's figure in the "
	    "%d form: %s is kept but not counted"), name, (int)year,
	    i18n_int(n, sizeof(n), female));
	return 0;
}

int
warning_say(int code, const char *const *args, size_t nargs,
    char out[REPORT_MESSAGE_MAX])
{
	static const size_t	 want[WARNING_NCODES] = {
		[WARNING_LATE] = 2,
		[WARNING_LATE_EXTENDED] = 2,
		[WARNING_PLANNED_PAST] = 2,
		[WARNING_OCCASION_FAR] = 5,
		[WARNING_FEMALE_NOT_COUNTED] = 4,
	};
	size_t			 i;
	int			 rv = -1;

	out[0] = '\0';
	if (code <= WARNING_TEXT || code >= WARNING_NCODES ||
	    nargs > WARNING_ARGS_MAX ||
	    (want[code] != 0 && nargs != want[code]))
		return -1;
	for (i = 0; i < nargs; i++)
		if (args[i] == NULL)
			return -1;
	switch (code) {
	case WARNING_LATE:
	case WARNING_LATE_EXTENDED:
		rv = warning_late(args, code == WARNING_LATE_EXTENDED, out);
		break;
	case WARNING_PLANNED_PAST:
		rv = warning_planned_past(args, out);
		break;
	case WARNING_OCCASION_FAR:
		rv = warning_occasion_far(args, out);
		break;
	case WARNING_NO_OCCASION:
		rv = warning_no_occasion(args, nargs, out);
		break;
	case WARNING_FEMALE_NOT_COUNTED:
		rv = warning_female_not_counted(args, out);
		break;
	}
	if (rv == -1) {
		out[0] = '\0';
		return -1;
	}
	/* A message cut short (Vietnamese takes more bytes than English)
	 * ends with a whole character. */
	out[text_whole(out, strlen(out))] = '\0';
	return 0;
}

void
warning_add(struct report_errors *w, const char *field, int code,
    const char *const *args, size_t nargs)
{
	struct report_error	*e;
	char			 msg[REPORT_MESSAGE_MAX];
	size_t			 i, len, before, used = 0;

	if (warning_say(code, args, nargs, msg) == -1)
		return;
	before = w->n;
	report_errors_add(w, field, "%s", msg);
	if (w->n == before)
		return;		/* dropped: too many */
	e = &w->e[w->n - 1];
	for (i = 0; i < nargs; i++) {
		len = strlen(args[i]) + 1;
		if (len > sizeof(e->args) - used)
			return;		/* the message alone */
		memcpy(e->args + used, args[i], len);
		used += len;
	}
	e->code = code;
	e->nargs = nargs;
}

void
warning_add_late(struct report_errors *w, int32_t due, int32_t day,
    int extended)
{
	char		 d[DATE_LEN + 1], t[DATE_LEN + 1];
	const char	*args[2] = { d, t };

	date_format(due, d);
	date_format(day, t);
	warning_add(w, "period", extended ? WARNING_LATE_EXTENDED :
	    WARNING_LATE, args, 2);
}

size_t
warning_args(const struct report_error *e, const char *args[WARNING_ARGS_MAX])
{
	size_t	i, used = 0;

	for (i = 0; i < e->nargs && i < WARNING_ARGS_MAX &&
	    used < sizeof(e->args); i++) {
		args[i] = e->args + used;
		used += strnlen(e->args + used, sizeof(e->args) - used) + 1;
	}
	return i;
}
