/*
 * review (admin.h): the province's decision on a unit's report, accept,
 * return or reopen, on the revision named by --revision or else the
 * latest one this command reads just before deciding (both on one
 * connection). The answer is the decision signed by the server: with
 * --json, the decision file verify-receipt checks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "admin.h"
#include "output.h"

#define ADMIN_COMMENT_MAX	2000	/* bytes: gpd's STORE_COMMENT_MAX */

/* The latest revision of the report, read before deciding. */
static int
admin_review_list_frame(struct admin *a, const Gp__Response *resp, int last)
{
	size_t	i;

	(void)last;
	for (i = 0; i < resp->list->n_rows; i++)
		if (resp->list->rows[i]->revision > a->read_revision)
			a->read_revision = resp->list->rows[i]->revision;
	return 0;
}

/* The server's refusal of a decision: the sentence as it is (its advice
 * is in it), exit 65 for what does not fit the report as stored. */
static int
admin_review_refused(struct admin *a, const Gp__Error *err)
{
	json_t	*o;

	if (err == NULL || !err->has_code || err->message == NULL ||
	    (err->code != GP__ERROR_CODE__CONFLICT &&
	    (err->code != GP__ERROR_CODE__INVALID || err->n_field_errors > 0)))
		return -1;
	fmt_line(stderr, "gp-client: %s", err->message);
	if (a->json) {
		o = json_pack("{s:s, s:s, s:o, s:[]}", "status", "refused",
		    "code", err->code == GP__ERROR_CODE__CONFLICT ? "conflict" :
		    "invalid", "message", fmt_json_text(err->message),
		    "errors");
		if (o != NULL) {
			admin_json_dump(o);
			json_decref(o);
			fputc('\n', stdout);
		}
	}
	return EX_DATAERR;
}

/* The decision file: the signed fields, what the signature covers. */
json_t *
admin_decision_json(const Gp__Decision *d)
{
	json_t	*o;

	o = json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, "
	    "s:o}",
	    "kind", "decision",
	    "decision", fmt_json_text(d->decision),
	    "unit", fmt_json_text(d->unit),
	    "period", fmt_json_text(d->period),
	    "revision", (json_int_t)d->revision,
	    "action", fmt_json_text(d->action),
	    "state", fmt_json_text(d->state),
	    "comment", fmt_json_text(d->comment),
	    "decided_by", fmt_json_text(d->decided_by),
	    "decided_at", fmt_json_text(d->decided_at),
	    "report_sha256", fmt_json_text(d->report_sha256));
	if (o != NULL && proof_json_set(o, d->report_sha256,
	    d->has_signature ? d->signature.data : NULL,
	    d->has_signature ? d->signature.len : 0,
	    d->has_certificate ? d->certificate.data : NULL,
	    d->has_certificate ? d->certificate.len : 0) == -1) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static int
admin_review_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__Decision	*d = resp->review->decision;
	char			 cn[256], when[ZONE_HUMAN_LEN + 1];
	int			 latest;
	json_t			*o;

	(void)last;
	if (d == NULL || d->decision == NULL || d->unit == NULL ||
	    d->period == NULL || d->state == NULL || d->action == NULL)
		return admin_fail(a, EX_PROTOCOL, _("the server's answer is "
		    "not a decision; check that gp-client and gpd versions "
		    "match"));
	if (a->json) {
		if ((o = admin_decision_json(d)) == NULL)
			return admin_fail(a, EX_OSERR, _("out of memory"));
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
		return admin_out(a);
	}
	/* One whole sentence for each action, with the revision decided on
	 * read just now or named by --revision. */
	latest = a->read_revision > 0;
	admin_when(d->decided_at, when);
	if (strcmp(d->action, "accept") == 0)
		fmt_line(stdout, latest ? _("accepted %s %s revision %u (the "
		    "latest, read just now)  decision %s  %s") :
		    _("accepted %s %s revision %u  decision %s  %s"),
		    d->unit, d->period, d->revision, d->decision, when);
	else if (strcmp(d->action, "return") == 0)
		fmt_line(stdout, latest ? _("returned %s %s revision %u (the "
		    "latest, read just now)  decision %s  %s") :
		    _("returned %s %s revision %u  decision %s  %s"),
		    d->unit, d->period, d->revision, d->decision, when);
	else if (strcmp(d->action, "reopen") == 0)
		fmt_line(stdout, latest ? _("reopened %s %s revision %u (the "
		    "latest, read just now)  decision %s  %s") :
		    _("reopened %s %s revision %u  decision %s  %s"),
		    d->unit, d->period, d->revision, d->decision, when);
	else
		/* A newer (or lying) server's action, as it came: never
		 * taken for one gp-client knows. */
		/* TRANSLATORS: the action as the server sent it (not one of
		 * accept, return, reopen), unit, period, revision, the
		 * decision's id, when. */
		fmt_line(stdout, _("'%s' (an action gp-client does not know) "
		    "%s %s revision %u  decision %s  %s"), d->action, d->unit,
		    d->period, d->revision, d->decision, when);
	if (d->comment != NULL)
		fmt_line(stdout, _("comment: %s"), d->comment);
	if (strcmp(d->action, "accept") == 0)
		fmt_line(stdout, _("the report is final: a new revision is "
		    "refused unless it is reopened"));
	else if (strcmp(d->action, "return") == 0)
		fmt_line(stdout, _("the unit sees the comment with 'gp-client "
		    "status'; its next revision comes back for review"));
	else if (strcmp(d->action, "reopen") == 0)
		fmt_line(stdout, _("under review again: the unit may send a "
		    "new revision"));
	else
		/* TRANSLATORS: the review state as the server sent it. */
		fmt_line(stdout, _("the server says the report's review state "
		    "is now '%s'; check that gp-client and gpd versions match"),
		    admin_state(d->state));
	if (d->has_signature && d->signature.len > 0 && d->has_certificate &&
	    proof_signer(d->certificate.data, d->certificate.len, cn,
	    sizeof(cn)) == 0)
		fmt_line(stdout, _("signed by CN=%s"), cn);
	return admin_out(a);
}

static int
admin_review(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ListRequest		 list = GP__LIST_REQUEST__INIT;
	Gp__ReviewRequest	 review = GP__REVIEW_REQUEST__INIT;
	const char		*unit = args->operands[0];
	const char		*period = args->operands[1];
	const char		*action = args->operands[2];
	const char		*comment, *rev, *s;
	char			*end;
	unsigned long		 n = 0;
	int			 status;

	if ((status = admin_unit(a, unit)) != 0 ||
	    (status = admin_period(a, period)) != 0)
		return status;
	if (strcmp(action, "accept") != 0 && strcmp(action, "return") != 0 &&
	    strcmp(action, "reopen") != 0)
		return admin_fail(a, EX_USAGE, _("bad decision '%s': give "
		    "accept, return or reopen"), action);
	comment = cmd_value(args, "comment");
	for (s = comment; s != NULL && (*s == ' ' || *s == '\t' ||
	    *s == '\n' || *s == '\r'); s++)
		;
	if (s != NULL && *s == '\0')
		comment = NULL;
	if (comment == NULL && strcmp(action, "return") == 0)
		return admin_fail(a, EX_USAGE, _("return needs --comment TEXT: "
		    "say what the unit must correct or complete"));
	if (comment == NULL && strcmp(action, "reopen") == 0)
		return admin_fail(a, EX_USAGE, _("reopen needs --comment TEXT: "
		    "say why the accepted report is opened again"));
	if (comment != NULL && strlen(comment) > ADMIN_COMMENT_MAX)
		return admin_fail(a, EX_USAGE, _("the comment is %zu bytes; at "
		    "most %d: say the essentials, the unit can call"),
		    strlen(comment), ADMIN_COMMENT_MAX);
	if ((rev = cmd_value(args, "revision")) != NULL) {
		errno = 0;
		n = strtoul(rev, &end, 10);
		if (rev[0] < '1' || rev[0] > '9' || *end != '\0' ||
		    errno != 0 || n > UINT32_MAX)
			return admin_fail(a, EX_USAGE, _("bad --revision '%s': "
			    "give the revision number, such as 2"), rev);
	} else {
		/* The revision decided on is the one read now, so that a
		 * revision arriving meanwhile is not decided unseen. */
		list.period = (char *)(uintptr_t)period;
		list.unit = (char *)(uintptr_t)unit;
		admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_LIST);
		req.list = &list;
		if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_LIST,
		    N_("a list"), admin_review_list_frame, NULL)) != 0)
			return status;
		if (a->read_revision == 0)
			return admin_fail(a, EX_DATAERR, _("%s has not "
			    "reported for %s: there is nothing to review"),
			    unit, period);
		n = a->read_revision;
	}
	review.unit = (char *)(uintptr_t)unit;
	review.period = (char *)(uintptr_t)period;
	review.action = (char *)(uintptr_t)action;
	review.revision = (uint32_t)n;
	review.has_revision = 1;
	if (comment != NULL) {
		review.comment.data = (uint8_t *)(uintptr_t)comment;
		review.comment.len = strlen(comment);
		review.has_comment = 1;
	}
	admin_request(&req, ADMIN_REVIEW_ID, GP__REQUEST__BODY_REVIEW);
	req.review = &review;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_REVIEW,
	    N_("a decision"), admin_review_frame, admin_review_refused);
}

static int
admin_review_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_review);
}

const struct cmd_entry cmd_review_entry = {
	"review", N_("UNIT PERIOD accept|return|reopen"), 3, 3,
	N_("accept a unit's report, return it with a comment, or reopen it"),
	N_("Decide on a unit's report for PERIOD: accept it (final: the unit's "
	"new revisions are refused until it is reopened), return it with a "
	"comment saying what to correct (the unit's next revision comes back "
	"for review), or reopen an accepted report with a comment. The "
	"decision is on --revision, or else on the latest revision, read "
	"just before deciding and shown in the confirmation; if another "
	"revision arrived meanwhile, nothing is decided (exit 65). The server "
	"signs the decision: with --json this prints the decision file that "
	"verify-receipt checks. For administrators."),
	"gp-client review lc-tamduong 2022-H1 return --comment \"Thiếu số "
	"liệu hội viên nữ\"",
	{
		{ "comment", 'm', N_("TEXT"), 0, N_("the comment to the unit "
		    "(required to return and reopen)") },
		{ "revision", 'r', "N", 0, N_("the revision decided on "
		    "(default: the latest, read now)") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD,
	admin_review_exec
};
