/*
 * A unit's status as gpd answers it (status.h): shared by the status
 * command and gp-client-web.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "period.h"
#include "fmt.h"
#include "status.h"

void
status_request(Gp__Request *req, Gp__StatusRequest *st, uint32_t id,
    const char *period, const char *unit)
{
	gp__request__init(req);
	gp__status_request__init(st);
	req->has_id = 1;
	req->id = id;
	req->body_case = GP__REQUEST__BODY_STATUS;
	req->status = st;
	st->period = (char *)(uintptr_t)period;
	st->unit = (char *)(uintptr_t)unit;
}

int
status_ask(const struct conn_config *cfg, const char *period,
    Gp__Response **out, int *transient, char **cause)
{
	Gp__Request		 req;
	Gp__StatusRequest	 st;
	struct conn		*c;
	Gp__Response		*resp = NULL;

	*out = NULL;
	*transient = 0;
	*cause = NULL;
	status_request(&req, &st, 1, period, NULL);
	if ((c = conn_new(cfg, cause)) == NULL)
		return -1;
	if (conn_connect(c, cause) == -1 ||
	    conn_request(c, &req, &resp, cause) == -1) {
		*transient = conn_is_transient(c);
		conn_free(c);
		return -1;
	}
	conn_free(c);
	if (resp->body_case != GP__RESPONSE__BODY_STATUS &&
	    resp->body_case != GP__RESPONSE__BODY_ERROR) {
		gp__response__free_unpacked(resp, NULL);
		*cause = strdup(_("the server's answer is not a status; check "
		    "that gp-client and gpd versions match"));
		return -1;
	}
	*out = resp;
	return 0;
}

void
status_of(const Gp__PeriodStatus *ps, int32_t today, struct status_period *sp)
{
	int32_t	due;

	memset(sp, 0, sizeof(*sp));
	sp->ps = ps;
	if (ps->due != NULL && date_parse(ps->due, &due) == 0) {
		sp->has_due = 1;
		sp->days_left = due - today;
	}
	if (!ps->expected || ps->locked)
		return;
	if (!ps->has_revision) {
		if (sp->has_due && sp->days_left < 0)
			sp->need = STATUS_NEED_OVERDUE;
		else if (sp->has_due && sp->days_left <= STATUS_SOON)
			sp->need = STATUS_NEED_SOON;
	} else if (ps->review_state != NULL &&
	    strcmp(ps->review_state, "returned") == 0)
		sp->need = STATUS_NEED_RETURNED;
	sp->attention = sp->need != STATUS_NEED_NONE;
}

const Gp__Decision *
status_return_comment(const Gp__PeriodStatus *ps)
{
	size_t	i;

	for (i = 0; i < ps->n_comments; i++)
		if (ps->comments[i]->action != NULL &&
		    strcmp(ps->comments[i]->action, "return") == 0)
			return ps->comments[i];
	return NULL;
}

static json_t *
status_json_decision(const Gp__Decision *d)
{
	return json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:o}",
	    "decision", fmt_json_text(d->decision),
	    "revision", (json_int_t)d->revision,
	    "action", fmt_json_text(d->action),
	    "state", fmt_json_text(d->state),
	    "comment", fmt_json_text(d->comment),
	    "decided_by", fmt_json_text(d->decided_by),
	    "decided_at", fmt_json_text(d->decided_at));
}

json_t *
status_json_period(const struct status_period *sp)
{
	const Gp__PeriodStatus	*ps = sp->ps;
	json_t			*o, *c;
	size_t			 i;

	if ((c = json_array()) == NULL)
		return NULL;
	for (i = 0; i < ps->n_comments; i++)
		if (json_array_append_new(c,
		    status_json_decision(ps->comments[i])) == -1) {
			json_decref(c);
			return NULL;
		}
	o = json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:b, s:b, s:b, "
	    "s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
	    "period", fmt_json_text(ps->period),
	    "label", fmt_json_text(ps->label),
	    "due", fmt_json_text(ps->due),
	    "extended", ps->extended ? 1 : 0,
	    "days_left", sp->has_due ? json_integer(sp->days_left) :
	    json_null(),
	    "coverage_from", fmt_json_text(ps->coverage_from),
	    "coverage_to", fmt_json_text(ps->coverage_to),
	    "expected", ps->expected ? 1 : 0,
	    "locked", ps->locked ? 1 : 0,
	    "submitted", ps->has_revision ? 1 : 0,
	    "revision", ps->has_revision ? json_integer(ps->revision) :
	    json_null(),
	    "receipt", fmt_json_text(ps->receipt),
	    "received_at", fmt_json_text(ps->received_at),
	    "late", ps->has_revision ? json_boolean(ps->late) : json_null(),
	    "review_state", fmt_json_text(ps->review_state),
	    "attention", sp->attention ? 1 : 0,
	    "comments", c);
	return o;
}
