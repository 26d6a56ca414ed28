/*
 * status (client.h): a unit's own view, in one request (status.h): for
 * every period whose form the server knows, its due date, the days left
 * or late, what this unit submitted, the province's review and its
 * comments, newest first. It exits 1 when something needs the unit: a
 * report due within STATUS_SOON days (or late) and not sent, or one
 * returned; 0 otherwise. With --remind it prints only that, in
 * Vietnamese, and where a desktop session exists shows it with
 * notify-send too (systemd/gp-client-remind.timer runs it daily); silent
 * when nothing is due.
 */
#include <sys/wait.h>

#include <inttypes.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "period.h"
#include "admin.h"
#include "status.h"

#define STATUS_NEEDS	1	/* the exit status when something is due */

extern char	**environ;

/* "Báo cáo 6 tháng đầu năm 2023 hạn nộp 10/6, còn 3 ngày": in
 * Vietnamese whatever the language, as the timer's reminder is for the
 * unit's staff (U_: not from the catalogue). */
static char *
status_cmd_reminder(const struct status_period *sp)
{
	const Gp__PeriodStatus	*ps = sp->ps;
	const Gp__Decision	*d;
	const char		*label = ps->label != NULL ? ps->label :
				    ps->period;
	char			*s = NULL;
	int32_t			 due;
	int			 y, m, dd, n;

	if (ps->has_revision) {
		d = status_return_comment(ps);
		n = asprintf(&s, U_("%s bị trả lại: %s"), label, d != NULL &&
		    d->comment != NULL ? d->comment :
		    U_("xem gp-client status"));
	} else {
		due = 0;
		date_parse(ps->due, &due);
		date_to_ymd(due, &y, &m, &dd);
		if (sp->days_left > 0)
			n = asprintf(&s, U_("%s hạn nộp %d/%d, còn %" PRId32
			    " ngày"), label, dd, m, sp->days_left);
		else if (sp->days_left == 0)
			n = asprintf(&s, U_("%s hạn nộp %d/%d, hôm nay là hạn "
			    "cuối"), label, dd, m);
		else
			n = asprintf(&s, U_("%s hạn nộp %d/%d, đã quá hạn %"
			    PRId32 " ngày"), label, dd, m, -sp->days_left);
	}
	return n == -1 ? NULL : s;
}

/* A desktop notification where a desktop session exists and notify-send
 * is installed; nothing otherwise, and never a failure. */
static void
status_cmd_notify(const char *text)
{
	const char	*d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
	char		*argv[] = { (char *)(uintptr_t)"notify-send",
			    (char *)(uintptr_t)"--app-name=gp-client",
			    (char *)(uintptr_t)"gp-client", NULL, NULL };
	pid_t		 pid;
	int		 st;

	if ((d == NULL || *d == '\0') && (w == NULL || *w == '\0'))
		return;
	argv[3] = (char *)(uintptr_t)text;
	fflush(stdout);
	if (posix_spawnp(&pid, "notify-send", NULL, NULL, argv, environ) != 0)
		return;
	while (waitpid(pid, &st, 0) == -1)
		;
}

/* One period as text: a line, the comments under it. */
static void
status_cmd_text_period(const struct status_period *sp)
{
	const Gp__PeriodStatus	*ps = sp->ps;
	const Gp__Decision	*d;
	char			 days[48], sent[200], when[ZONE_HUMAN_LEN + 1];
	char			 due[I18N_MAX];
	size_t			 i;

	/* Each part a whole phrase; the line lists them. Once a report is
	 * sent its due date is behind it: only a return asks for more. */
	if (sp->need == STATUS_NEED_RETURNED)
		snprintf(days, sizeof(days), "%s",
		    _("returned: send it again"));
	else if (ps->has_revision)
		/* TRANSLATORS: in place of the days left: the report was sent. */
		snprintf(days, sizeof(days), "%s", _("sent"));
	else if (!sp->has_due)
		snprintf(days, sizeof(days), "?");
	else if (sp->days_left > 0)
		snprintf(days, sizeof(days), ngettext("%" PRId32 " day left",
		    "%" PRId32 " days left", (unsigned long)sp->days_left),
		    sp->days_left);
	else if (sp->days_left == 0)
		snprintf(days, sizeof(days), "%s", _("due today"));
	else
		snprintf(days, sizeof(days), ngettext("%" PRId32 " day past "
		    "due", "%" PRId32 " days past due",
		    (unsigned long)-sp->days_left), -sp->days_left);
	if (ps->has_revision)
		snprintf(sent, sizeof(sent), ps->late ?
		    _("revision %u receipt %s received %s (late); %s") :
		    _("revision %u receipt %s received %s; %s"), ps->revision,
		    admin_text(ps->receipt),
		    admin_when(ps->received_at, when),
		    admin_state(ps->review_state));
	else if (!ps->expected)
		snprintf(sent, sizeof(sent), "%s",
		    _("not expected from this unit"));
	else
		snprintf(sent, sizeof(sent), "%s", _("nothing sent yet"));
	i18n_date(due, sizeof(due), admin_text(ps->due));
	fmt_line(stdout, "%s%-8s %s", sp->attention ? "! " : "  ",
	    admin_text(ps->period), admin_text(ps->label));
	/* TRANSLATORS: the due date, the days left or past it, then what
	 * was sent and its review. */
	if (ps->extended && ps->locked)
		fmt_line(stdout, _("    due %s (extended) (%s), locked; %s"),
		    due, days, sent);
	else if (ps->extended)
		fmt_line(stdout, _("    due %s (extended) (%s); %s"), due, days,
		    sent);
	else if (ps->locked)
		fmt_line(stdout, _("    due %s (%s), locked; %s"), due, days,
		    sent);
	else
		fmt_line(stdout, _("    due %s (%s); %s"), due, days, sent);
	for (i = 0; i < ps->n_comments; i++) {
		d = ps->comments[i];
		admin_when(d->decided_at, when);
		if (d->action != NULL && strcmp(d->action, "return") == 0)
			fmt_line(stdout, _("    %s returned revision %u "
			    "(%s): %s"), when, d->revision,
			    admin_text(d->decided_by), admin_text(d->comment));
		else if (d->action != NULL && strcmp(d->action, "reopen") == 0)
			fmt_line(stdout, _("    %s reopened revision %u "
			    "(%s): %s"), when, d->revision,
			    admin_text(d->decided_by), admin_text(d->comment));
		else if (d->action != NULL && strcmp(d->action, "accept") == 0)
			fmt_line(stdout, _("    %s accepted revision %u "
			    "(%s): %s"), when, d->revision,
			    admin_text(d->decided_by), admin_text(d->comment));
		else
			fmt_line(stdout, _("    %s %s revision %u (%s): %s"),
			    when, admin_text(d->action), d->revision,
			    admin_text(d->decided_by), admin_text(d->comment));
	}
}

static int
status_cmd_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__StatusResponse	*sr = resp->status;
	struct status_period		 sp;
	json_t				*o, *arr;
	char				*text, day[DATE_LEN + 1];
	int32_t				 today = zone_today();
	size_t				 i, need = 0;
	size_t				 why[STATUS_NEED_RETURNED + 1] = { 0 };
	int				 remind = a->by != NULL;

	(void)last;
	if ((arr = json_array()) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	if (!a->json && !remind)
		fmt_line(stdout, "%s  %s", admin_text(sr->unit),
		    admin_text(sr->unit_name));
	for (i = 0; i < sr->n_periods; i++) {
		if (sr->periods[i] == NULL || sr->periods[i]->period == NULL)
			continue;
		status_of(sr->periods[i], today, &sp);
		need += sp.attention != 0;
		why[sp.need]++;
		if (a->json) {
			if (json_array_append_new(arr,
			    status_json_period(&sp)) == -1) {
				json_decref(arr);
				return admin_fail(a, EX_OSERR,
				    _("out of memory"));
			}
		} else if (!remind)
			status_cmd_text_period(&sp);
		else if (sp.attention) {
			if ((text = status_cmd_reminder(&sp)) == NULL) {
				json_decref(arr);
				return admin_fail(a, EX_OSERR,
				    _("out of memory"));
			}
			fmt_line(stdout, "%s", text);
			status_cmd_notify(text);
			free(text);
		}
	}
	if (a->json) {
		date_format(today, day);
		if ((o = json_pack("{s:o, s:o, s:s, s:b, s:o}",
		    "unit", fmt_json_text(sr->unit),
		    "unit_name", fmt_json_text(sr->unit_name),
		    "today", day,
		    "attention", need > 0,
		    "periods", arr)) == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else {
		json_decref(arr);
		if (!remind && why[STATUS_NEED_OVERDUE] > 0)
			fmt_line(stdout, ngettext("%zu report needs this unit: "
			    "past its due date and not sent",
			    "%zu reports need this unit: past their due date "
			    "and not sent", why[STATUS_NEED_OVERDUE]),
			    why[STATUS_NEED_OVERDUE]);
		if (!remind && why[STATUS_NEED_SOON] > 0)
			fmt_line(stdout, ngettext("%zu report needs this unit: "
			    "due within %d days and not sent",
			    "%zu reports need this unit: due within %d days "
			    "and not sent", why[STATUS_NEED_SOON]),
			    why[STATUS_NEED_SOON], STATUS_SOON);
		if (!remind && why[STATUS_NEED_RETURNED] > 0)
			fmt_line(stdout, ngettext("%zu report needs this unit: "
			    "returned, to be sent again",
			    "%zu reports need this unit: returned, to be sent "
			    "again", why[STATUS_NEED_RETURNED]),
			    why[STATUS_NEED_RETURNED]);
	}
	if ((a->status = admin_out(a)) != 0)
		return a->status;
	a->nitems = need;
	return 0;
}

static int
status_cmd_run(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__StatusRequest	 st;
	const char		*unit = cmd_value(args, "unit");
	int			 status;

	if (args->noperands == 1 &&
	    (status = admin_period(a, args->operands[0])) != 0)
		return status;
	if (unit != NULL && (status = admin_unit(a, unit)) != 0)
		return status;
	/* --remind: a->by marks it, as summary's --by marks its key. */
	a->by = cmd_value(args, "remind");
	status_request(&req, &st, ADMIN_REQUEST_ID, args->noperands == 1 ?
	    args->operands[0] : NULL, unit);
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_STATUS,
	    N_("a status"), status_cmd_frame, NULL)) != 0)
		return status;
	return a->nitems > 0 ? STATUS_NEEDS : EX_OK;
}

static int
status_cmd_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, status_cmd_run);
}

const struct cmd_entry cmd_status_entry = {
	"status", N_("[PERIOD]"), 0, 1,
	N_("what is due, what was sent, and the province's review"),
	N_("For every period whose form the server knows (or PERIOD): its due "
	"date (with an extension, if any), the days left or past it, whether "
	"this unit has sent its report (revision, receipt), the province's "
	"review (under review, returned, accepted) and its comments, newest "
	"first. Exits 1 when a report is due within 7 days (or late) and not "
	"sent, or returned; 0 otherwise. With --remind, prints only those, "
	"as reminders (always in Vietnamese), and shows them on the desktop "
	"with notify-send where there is one; nothing when nothing is due. A "
	"unit sees only its own."),
	"gp-client status --remind",
	{
		{ "remind", 0, NULL, 0, N_("only what is due or returned, as "
		    "reminders (and notify-send)") },
		{ "unit", 'u', N_("UNIT"), 0, N_("the unit (administrators; a "
		    "unit sees its own)") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	status_cmd_exec
};
