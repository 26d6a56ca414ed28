/*
 * extend (admin.h): one unit's due date for a period moved later, with a
 * reason, or the extension taken away. The server keeps it with an audit
 * entry; missing and list show it; revisions already stored keep the
 * lateness they were given.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "period.h"
#include "admin.h"

static int
admin_extend_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ExtendResponse	*e = resp->extend;
	json_t				*o;

	(void)last;
	if (a->json) {
		o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b}",
		    "status", e->until != NULL ? "extended" : "cleared",
		    "unit", fmt_json_text(e->unit),
		    "period", fmt_json_text(e->period),
		    "due", fmt_json_text(e->due),
		    "until", fmt_json_text(e->until),
		    "previous_until", fmt_json_text(e->previous_until),
		    "changed", e->has_changed && e->changed);
		if (o == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else if (e->until != NULL && e->previous_until != NULL)
		fmt_line(stdout, _("%s %s: due %s now, extended from the "
		    "form's %s (was %s)"), admin_text(e->unit),
		    admin_text(e->period), e->until, admin_text(e->due),
		    e->previous_until);
	else if (e->until != NULL)
		fmt_line(stdout, _("%s %s: due %s now, extended from the "
		    "form's %s"), admin_text(e->unit), admin_text(e->period),
		    e->until, admin_text(e->due));
	else if (e->previous_until != NULL)
		fmt_line(stdout, _("%s %s: extension until %s cleared; due %s, "
		    "the form's"), admin_text(e->unit), admin_text(e->period),
		    e->previous_until, admin_text(e->due));
	else
		fmt_line(stdout, _("%s %s had no extension; due %s, the "
		    "form's"), admin_text(e->unit), admin_text(e->period),
		    admin_text(e->due));
	return admin_out(a);
}

static int
admin_extend(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ExtendRequest	 extend = GP__EXTEND_REQUEST__INIT;
	const char		*until, *reason;
	int32_t			 day;
	int			 status, clear;

	if ((status = admin_unit(a, args->operands[0])) != 0 ||
	    (status = admin_period(a, args->operands[1])) != 0)
		return status;
	until = cmd_value(args, "until");
	reason = cmd_value(args, "reason");
	clear = cmd_value(args, "clear") != NULL;
	if (clear == (until != NULL))
		return admin_fail(a, EX_USAGE, _("give --until YYYY-MM-DD to "
		    "extend the due date, or --clear to take the extension "
		    "away"));
	if (until != NULL && date_parse(until, &day) == -1)
		return admin_fail(a, EX_USAGE, _("bad --until '%s': give the "
		    "new due date as YYYY-MM-DD"), until);
	if (clear && reason != NULL)
		return admin_fail(a, EX_USAGE, _("--reason goes with --until: "
		    "the audit says when an extension was cleared"));
	extend.unit = args->operands[0];
	extend.period = args->operands[1];
	extend.until = (char *)(uintptr_t)until;
	if (reason != NULL) {
		extend.has_reason = 1;
		extend.reason.data = (uint8_t *)(uintptr_t)reason;
		extend.reason.len = strlen(reason);
	}
	if (clear) {
		extend.has_clear = 1;
		extend.clear = 1;
	}
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_EXTEND);
	req.extend = &extend;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_EXTEND,
	    N_("an extension"), admin_extend_frame, NULL);
}

static int
admin_extend_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_extend);
}

const struct cmd_entry cmd_extend_entry = {
	"extend", N_("UNIT PERIOD"), 2, 2,
	N_("move one unit's due date later, or clear its extension"),
	N_("Give one unit a later due date for PERIOD than the form's "
	"(--until), with the reason on record, or take the extension away "
	"(--clear). Revisions the unit sends from then on are judged late or "
	"on time against it; revisions already stored keep what they were "
	"given. missing and list show it; the audit keeps who did it and "
	"when. For administrators."),
	"gp-client extend lc-sinho 2022-H1 --until 2022-06-20 --reason "
	"\"lũ quét\"",
	{
		{ "until", 0, "YYYY-MM-DD", 0, N_("the unit's new due date, "
		    "after the form's") },
		{ "reason", 0, N_("TEXT"), 0, N_("why, for the audit and "
		    "missing") },
		{ "clear", 0, NULL, 0, N_("take the extension away: the "
		    "form's due date again") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	admin_extend_exec
};
