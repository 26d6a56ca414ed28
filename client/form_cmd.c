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
#include "period.h"
#include "client.h"
#include "fmt.h"
#include "forms.h"
#include "output.h"

/* The heading of each list: Vietnamese, then the key of the file. */
static const char *const form_cmd_headings[FORM_LIST_COUNT] = {
	[FORM_AREAS] = "Lĩnh vực (areas)",
	[FORM_KINDS] = "Hình thức hoạt động (kinds)",
	[FORM_OCCASIONS] = "Dịp (occasions)",
	[FORM_STATUSES] = "Tình trạng (statuses)",
	[FORM_AUDIENCES] = "Đối tượng (audiences)",
	[FORM_TOPICS] = "Chủ đề (topics)",
	[FORM_OUTPUTS] = "Sản phẩm truyền thông (outputs)",
	[FORM_INDICATORS] = "Chỉ tiêu (indicators)",
	[FORM_NARRATIVE] = "Nội dung báo cáo (narrative)",
	[FORM_SECTIONS] = "Phần riêng (sections)",
};

static void
form_cmd_period(const struct form_period *p, const char *id)
{
	char	from[DATE_LEN + 1], to[DATE_LEN + 1], due[DATE_LEN + 1];
	char	until[DATE_LEN + 1], list[256];
	size_t	i, used;

	date_format(p->from, from);
	date_format(p->to, to);
	date_format(p->due, due);
	date_format(p->planned_until, until);
	fmt_line(stdout, "%s (%s): %s .. %s, hạn nộp %s; ước thực hiện đến %s",
	    p->label, id, from, to, due, until);
	if (p->nexpect == 0)
		return;
	list[0] = '\0';
	for (i = 0; i < p->nexpect; i++) {
		used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s",
		    i > 0 ? ", " : "", p->expect[i]->code);
	}
	fmt_line(stdout, "  a report should have an activity for %s", list);
}

/* What an entry's rules say, after its label. */
static void
form_cmd_rules(const struct form_entry *e, enum form_list list, char *buf,
    size_t len)
{
	char	days[32];

	buf[0] = '\0';
	switch (list) {
	case FORM_KINDS:
		if (e->media)
			snprintf(buf, len, "  [media: output counts]");
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
		snprintf(buf, len, "  [%s, %d days before, %d after]", days,
		    e->slack_before, e->slack_after);
		break;
	case FORM_INDICATORS:
		snprintf(buf, len, "  [%s%s%s]", e->female_share ?
		    "total, women" : "total, no women's figure",
		    e->not_more_than != NULL ? "; at most " : "",
		    e->not_more_than != NULL ? e->not_more_than->code : "");
		break;
	case FORM_NARRATIVE:
	case FORM_SECTIONS:
		if (e->required)
			snprintf(buf, len, "  [required]");
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
	fmt_line(stdout, "form of %d, SHA-256 %s (%s)", form_year(f),
	    form_sha256_hex(f), source);
	putchar('\n');
	snprintf(place, sizeof(place), "%d-H1", form_year(f));
	form_cmd_period(form_period(f, PERIOD_HALF), place);
	snprintf(place, sizeof(place), "%d", form_year(f));
	form_cmd_period(form_period(f, PERIOD_YEAR), place);
	for (list = 0; list < FORM_LIST_COUNT; list++) {
		if (form_count(f, list) == 0)
			continue;
		putchar('\n');
		fmt_line(stdout, "%s", form_cmd_headings[list]);
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
				fmt_line(stdout, "     in %s reports",
				    form_section_in(e, PERIOD_HALF) ?
				    (form_section_in(e, PERIOD_YEAR) ?
				    "6-month and annual" : "6-month") :
				    "annual");
			if (e->hint != NULL)
				fmt_line(stdout, "     %s", e->hint);
			for (k = 0; k < e->nfields; k++) {
				field = &e->fields[k];
				fmt_line(stdout, "     %-26s %s%s", field->code,
				    field->label, field->required ?
				    "  [required]" : "");
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
	const char		*source = "kept on this machine";
	const char		*bytes;
	char			*cause = NULL, *years = NULL, known[512];
	size_t			 len;
	int			 status = 0;

	period_rules_default(&rules);
	if (period_parse(id, &rules, &p, &errstr) == -1)
		return client_fail(cl, EX_USAGE, "bad period '%s': %s; give "
		    "2023-H1, or 2023 for the year", id, errstr);
	if (forms_open(&fs, cl) == -1)
		return client_fail(cl, EX_OSERR, "out of memory");
	/* gpd's form of the year now, when it can be asked. */
	if (forms_can_fetch(&fs)) {
		status = forms_fetch_year(&fs, p.year, &f, &years, &cause);
		if (status == 0 && f == NULL) {
			status = client_fail(cl, EX_DATAERR, "no form for %d; "
			    "the server has forms for %s", p.year,
			    years != NULL ? years : "no year");
			goto done;
		}
		if (status == 0)
			source = "as the server serves it";
		else {
			output_note("%s; the form kept on this machine, if "
			    "any, follows", cause != NULL ? cause :
			    "out of memory");
			status = 0;
		}
	}
	if (f == NULL && (f = form_set_year(fs.set, p.year)) == NULL) {
		form_set_years(fs.set, known, sizeof(known));
		status = client_fail(cl, EX_DATAERR, "no form for %d on this "
		    "machine (it knows %s); run 'gp-client form %d' with a "
		    "configuration that reaches the server", p.year, known,
		    p.year);
		goto done;
	}
	if (f != NULL && source[0] == 'k' && strncmp(form_name(f),
	    "built-in", 8) == 0)
		source = "built into gp-client";
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
	"form", "PERIOD", 1, 1,
	"print the report form of a period's year",
	"Print the form of the year of PERIOD: the periods and their due "
	"dates, the\nareas, kinds of activity, occasions, indicators, "
	"narrative texts and sections,\neach code a report uses with its "
	"Vietnamese label. The form is fetched from\nthe server when the "
	"configuration reaches it, and kept, so that template and\nvalidate "
	"work offline; otherwise the form kept on this machine (2022 is "
	"built\nin). With --json, the form's canonical JSON (gp-forms(5)).",
	"gp-client form 2023-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_JSON | CMD_PERIOD | CMD_FORMS,
	form_cmd_exec
};
