/*
 * form (client.h): the report form of a period's year, as gpd serves it
 * now (and kept here), or as kept here when gpd cannot be reached: what a
 * unit may report, each code with its Vietnamese label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "form.h"
#include "i18n.h"
#include "period.h"
#include "client.h"
#include "fmt.h"
#include "forms.h"
#include "output.h"

/* The heading of each list: in the reader's language, then the key of
 * the file, which stays as it is. */
static const char *const form_cmd_headings[FORM_LIST_COUNT] = {
	[FORM_AREAS] = N_("Content areas (areas)"),
	[FORM_KINDS] = N_("Kinds of activity (kinds)"),
	[FORM_OCCASIONS] = N_("Occasions (occasions)"),
	[FORM_STATUSES] = N_("Statuses of an activity (statuses)"),
	[FORM_AUDIENCES] = N_("Audiences (audiences)"),
	[FORM_TOPICS] = N_("Topics (topics)"),
	[FORM_OUTPUTS] = N_("Media outputs (outputs)"),
	[FORM_INDICATORS] = N_("Indicators (indicators)"),
	[FORM_NARRATIVE] = N_("Narrative texts (narrative)"),
	[FORM_SECTIONS] = N_("Sections (sections)"),
};

/* A day of the form, as the reader's language writes dates. */
static const char *
form_cmd_date(int32_t day, char *buf, size_t len)
{
	char	iso[DATE_LEN + 1];

	date_format(day, iso);
	return i18n_date(buf, len, iso);
}

static void
form_cmd_period(const struct form_period *p, const char *id)
{
	char	from[I18N_MAX], to[I18N_MAX], due[I18N_MAX];
	char	until[I18N_MAX], list[256];
	size_t	i, used;

	/* TRANSLATORS: the period's label (Vietnamese, from the form) and
	 * its name such as 2022-H1; the first and last day its figures
	 * cover; the day reports are due; the last day a planned activity
	 * of the report may reach. */
	fmt_line(stdout, _("%s (%s): figures from %s to %s, due %s; planned "
	    "activities until %s"), p->label, id,
	    form_cmd_date(p->from, from, sizeof(from)),
	    form_cmd_date(p->to, to, sizeof(to)),
	    form_cmd_date(p->due, due, sizeof(due)),
	    form_cmd_date(p->planned_until, until, sizeof(until)));
	if (p->nexpect == 0)
		return;
	list[0] = '\0';
	for (i = 0; i < p->nexpect; i++) {
		used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s",
		    i > 0 ? ", " : "", p->expect[i]->code);
	}
	/* TRANSLATORS: occasion codes, such as "action_month,
	 * vn_womens_day". */
	fmt_line(stdout, _("  a report should have an activity for %s"),
	    list);
}

/* What an entry's rules say, after its label. */
static void
form_cmd_rules(const struct form_entry *e, enum form_list list, char *buf,
    size_t len)
{
	char	days[32], before[48], after[48];

	buf[0] = '\0';
	switch (list) {
	case FORM_KINDS:
		if (e->media)
			snprintf(buf, len, "  %s", _("[media: output counts]"));
		break;
	case FORM_OCCASIONS:
		if (!e->has_window)
			break;
		if (e->from_month == e->to_month && e->from_day == e->to_day)
			snprintf(days, sizeof(days), "%d/%d", e->from_day,
			    e->from_month);
		else
			snprintf(days, sizeof(days), "%d/%d\xe2\x80\x93%d/%d",
			    e->from_day, e->from_month, e->to_day,
			    e->to_month);
		/* TRANSLATORS: the days an activity of the occasion may
		 * come before its first day, and after its last. */
		snprintf(before, sizeof(before), ngettext("%d day before",
		    "%d days before", (unsigned long)e->slack_before),
		    e->slack_before);
		snprintf(after, sizeof(after), ngettext("%d day after",
		    "%d days after", (unsigned long)e->slack_after),
		    e->slack_after);
		/* TRANSLATORS: the occasion's days, such as 8/3 or
		 * 15/11-15/12; "7 days before"; "7 days after". */
		snprintf(buf, len, _("  [%s, %s, %s]"), days, before, after);
		break;
	case FORM_INDICATORS:
		if (e->not_more_than == NULL)
			snprintf(buf, len, "  %s", e->female_share ?
			    _("[total and women]") :
			    _("[total only, no women's figure]"));
		else if (e->female_share)
			/* TRANSLATORS: the code of the indicator this one
			 * may not exceed. */
			snprintf(buf, len, _("  [total and women; at most %s]"),
			    e->not_more_than->code);
		else
			/* TRANSLATORS: as above. */
			snprintf(buf, len, _("  [total only, no women's "
			    "figure; at most %s]"), e->not_more_than->code);
		break;
	case FORM_NARRATIVE:
	case FORM_SECTIONS:
		if (e->required)
			snprintf(buf, len, "  %s", _("[required]"));
		break;
	default:
		break;
	}
}

static void
form_cmd_text(const struct form *f, const char *source)
{
	const struct form_entry	*e, *field;
	char			 rules[160], place[8];
	size_t			 i, k;
	int			 list;

	fmt_line(stdout, "%s", form_title(f));
	/* TRANSLATORS: the year; the form's SHA-256; where it comes from:
	 * "as the server serves it", "kept on this machine", "built into
	 * gp-client". */
	fmt_line(stdout, _("form of %d, SHA-256 %s (%s)"), form_year(f),
	    form_sha256_hex(f), _(source));
	putchar('\n');
	snprintf(place, sizeof(place), "%d-H1", form_year(f));
	form_cmd_period(form_period(f, PERIOD_HALF), place);
	snprintf(place, sizeof(place), "%d", form_year(f));
	form_cmd_period(form_period(f, PERIOD_YEAR), place);
	for (list = 0; list < FORM_LIST_COUNT; list++) {
		if (form_count(f, list) == 0)
			continue;
		putchar('\n');
		fmt_line(stdout, "%s", _(form_cmd_headings[list]));
		for (i = 0; (e = form_at(f, list, i)) != NULL; i++) {
			form_cmd_rules(e, list, rules, sizeof(rules));
			/* Areas may be given by number too. */
			if (list == FORM_AREAS)
				fmt_line(stdout, "  %2zu %-26s %s%s", i + 1,
				    e->code, e->label, rules);
			else
				fmt_line(stdout, "  %-29s %s%s", e->code,
				    e->label, rules);
			if (list == FORM_SECTIONS)
				fmt_line(stdout, "     %s",
				    form_section_in(e, PERIOD_HALF) ?
				    (form_section_in(e, PERIOD_YEAR) ?
				    _("in 6-month and annual reports") :
				    _("in 6-month reports")) :
				    _("in annual reports"));
			if (e->hint != NULL)
				fmt_line(stdout, "     %s", e->hint);
			for (k = 0; k < e->nfields; k++) {
				field = &e->fields[k];
				fmt_line(stdout, "     %-26s %s%s%s",
				    field->code, field->label,
				    field->required ? "  " : "",
				    field->required ? _("[required]") : "");
			}
		}
	}
}

static int
form_cmd_exec(struct client *cl, const struct cmd_args *args)
{
	struct forms		 fs;
	struct period_rules	 rules;
	struct period		 p;
	const struct form	*f = NULL;
	const char		*id = args->operands[0], *errstr;
	const char		*source = N_("kept on this machine");
	const char		*bytes;
	char			*cause = NULL, *years = NULL, known[512];
	size_t			 len;
	int			 status = 0;

	period_rules_default(&rules);
	if (period_parse(id, &rules, &p, &errstr) == -1)
		return client_fail(cl, EX_USAGE, _("bad period '%s': %s; give "
		    "2023-H1, or 2023 for the year"), id, errstr);
	if (forms_open(&fs, cl) == -1)
		return client_fail(cl, EX_OSERR, "%s", _("out of memory"));
	/* gpd's form of the year now, when it can be asked. */
	if (forms_can_fetch(&fs)) {
		status = forms_fetch_year(&fs, p.year, &f, &years, &cause);
		if (status == 0 && f == NULL) {
			status = client_fail(cl, EX_DATAERR, _("no form for "
			    "%d; the server has forms for %s"), p.year,
			    years != NULL ? years : _("no year"));
			goto done;
		}
		if (status == 0)
			source = N_("as the server serves it");
		else {
			output_note(_("%s; the form kept on this machine, if "
			    "any, follows"), cause != NULL ? cause :
			    _("out of memory"));
			status = 0;
		}
	}
	if (f == NULL && (f = form_set_year(fs.set, p.year)) == NULL) {
		form_set_years(fs.set, known, sizeof(known));
		status = client_fail(cl, EX_DATAERR, _("no form for %d on this "
		    "machine (it knows %s); run 'gp-client form %d' with a "
		    "configuration that reaches the server"), p.year, known,
		    p.year);
		goto done;
	}
	if (f != NULL && source[0] == 'k' && strncmp(form_name(f),
	    "built-in", 8) == 0)
		source = N_("built into gp-client");
	if (cl->json) {
		bytes = form_canonical(f, &len);
		fwrite(bytes, 1, len, stdout);
		putchar('\n');
	} else
		form_cmd_text(f, source);
done:
	free(years);
	free(cause);
	forms_close(&fs);
	return status;
}

const struct cmd_entry cmd_form_entry = {
	"form", N_("PERIOD"), 1, 1,
	N_("print the report form of a period's year"),
	N_("Print the form of the year of PERIOD: the periods and their due "
	"dates, the areas, kinds of activity, occasions, indicators, "
	"narrative texts and sections, each code a report uses with its "
	"Vietnamese label. The form is fetched from the server when the "
	"configuration reaches it, and kept, so that template and validate "
	"work offline; otherwise the form kept on this machine (2022 is "
	"built in). With --json, the form's canonical JSON (gp-forms(5))."),
	"gp-client form 2023-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_JSON | CMD_PERIOD | CMD_FORMS,
	form_cmd_exec
};
