/*
 * history (admin.h): every revision of a unit's report for a period, and
 * what changed in its figures from one to the next.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "report.h"
#include "admin.h"

static const struct fmt_column admin_history_columns[] = {
	{ "revision", 0, FMT_RIGHT },
	{ "receipt", 0, FMT_LEFT },
	{ "received_at", 0, FMT_LEFT },
	{ "status", 0, FMT_LEFT },
	{ "cert_cn", 0, FMT_LEFT },
	{ "cert_fingerprint", 0, FMT_LEFT },
	{ "activities", 0, FMT_RIGHT },
	{ "sessions", 0, FMT_RIGHT },
	{ "participants", 0, FMT_RIGHT },
	{ "female", 0, FMT_RIGHT },
	{ "changes", 0, FMT_LEFT },
	{ "review", 0, FMT_LEFT }
};
#define ADMIN_HISTORY_COLUMNS	12

static char *
admin_history_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Keeps the decisions, which come first, for their revisions. */
static int
admin_history_keep(struct admin *a, const Gp__Decision *d)
{
	struct admin_decision	*v, *k;

	if ((v = reallocarray(a->decisions, a->ndecisions + 1,
	    sizeof(*v))) == NULL)
		return -1;
	a->decisions = v;
	k = &v[a->ndecisions++];
	memset(k, 0, sizeof(*k));
	k->revision = d->revision;
	k->action = admin_history_dup(d->action);
	k->state = admin_history_dup(d->state);
	k->comment = admin_history_dup(d->comment);
	k->decided_by = admin_history_dup(d->decided_by);
	k->decided_at = admin_history_dup(d->decided_at);
	k->decision = admin_history_dup(d->decision);
	if ((d->action != NULL && k->action == NULL) ||
	    (d->comment != NULL && k->comment == NULL))
		return -1;
	return 0;
}

/* The decisions on revision rev: as lines, a JSON array, or one CSV
 * cell ("returned by admin 2026-12-05T03:10:11Z: comment; ..."). */
static int
admin_history_decisions(struct admin *a, uint32_t rev, json_t **arr,
    char **cell)
{
	const struct admin_decision	*d;
	char				 when[24], *s;
	size_t				 i;

	for (i = 0; i < a->ndecisions; i++) {
		d = &a->decisions[i];
		if (d->revision != rev)
			continue;
		if (arr != NULL) {
			if (json_array_append_new(*arr, json_pack("{s:o, s:o, "
			    "s:o, s:o, s:o, s:o}",
			    "decision", fmt_json_text(d->decision),
			    "action", fmt_json_text(d->action),
			    "state", fmt_json_text(d->state),
			    "comment", fmt_json_text(d->comment),
			    "decided_by", fmt_json_text(d->decided_by),
			    "decided_at", fmt_json_text(d->decided_at))) == -1)
				return -1;
		} else if (cell != NULL) {
			if (asprintf(&s, "%s%s%s by %s %s%s%s",
			    *cell != NULL ? *cell : "", *cell != NULL ?
			    "; " : "", admin_state(d->state),
			    admin_text(d->decided_by),
			    admin_text(d->decided_at), d->comment != NULL ?
			    ": " : "", admin_text(d->comment)) == -1)
				return -1;
			free(*cell);
			*cell = s;
		} else {
			fmt_line(stdout, "  %s by %s at %s UTC%s%s",
			    strcmp(admin_text(d->action), "accept") == 0 ?
			    "accepted" : strcmp(admin_text(d->action),
			    "return") == 0 ? "returned" : "reopened",
			    admin_text(d->decided_by),
			    admin_when(d->decided_at, when, sizeof(when)),
			    d->comment != NULL ? ": " : "",
			    admin_text(d->comment));
		}
	}
	return 0;
}

static void
admin_figures_of(const Gp__ReportRow *r, struct admin_figures *f)
{
	struct admin_indicator	*v;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	f->activities = r->activities;
	f->sessions = r->sessions;
	f->participants = r->participants;
	f->female = r->female;
	for (i = 0; i < r->n_indicators && f->nind < REPORT_MAX_INDICATORS;
	    i++) {
		v = &f->ind[f->nind++];
		admin_code(&r->indicators[i]->code,
		    r->indicators[i]->has_code, v->code, sizeof(v->code));
		v->total = r->indicators[i]->total;
		v->women = r->indicators[i]->female;
		v->has_women = r->indicators[i]->has_female;
	}
}

/* The indicator of a code in f, or NULL. */
static const struct admin_indicator *
admin_figure(const struct admin_figures *f, const char *code)
{
	size_t	i;

	for (i = 0; i < f->nind; i++)
		if (strcmp(f->ind[i].code, code) == 0)
			return &f->ind[i];
	return NULL;
}

/* Appends one change to the text list and the JSON array. */
static int
admin_change(const char *field, const char *shown, uint64_t from,
    uint64_t to, char **text, json_t *changes)
{
	char		*s;
	long long	 delta = (long long)to - (long long)from;

	if (from == to)
		return 0;
	if (asprintf(&s, "%s%s%s %" PRIu64 " → %" PRIu64 " (%+lld)",
	    *text != NULL ? *text : "", *text != NULL ? "; " : "", shown, from,
	    to, delta) == -1)
		return -1;
	free(*text);
	*text = s;
	if (changes != NULL && json_array_append_new(changes,
	    json_pack("{s:s, s:I, s:I, s:I}", "field", field,
	    "from", (json_int_t)from, "to", (json_int_t)to,
	    "delta", (json_int_t)delta)) == -1)
		return -1;
	return 0;
}

/* One indicator's change: absent is 0. */
static int
admin_indicator_change(const char *code, const struct admin_indicator *o,
    const struct admin_indicator *n, char **text, json_t *changes)
{
	char	field[REPORT_MAX_CODE + 16], shown[REPORT_MAX_CODE + 16];
	int	rv = 0;

	snprintf(field, sizeof(field), "%s.total", code);
	rv |= admin_change(field, code, o != NULL ? o->total : 0,
	    n != NULL ? n->total : 0, text, changes);
	snprintf(field, sizeof(field), "%s.female", code);
	snprintf(shown, sizeof(shown), "%s women", code);
	rv |= admin_change(field, shown, o != NULL && o->has_women ?
	    o->women : 0, n != NULL && n->has_women ? n->women : 0, text,
	    changes);
	return rv;
}

/* What changed from prev to cur: "participants 448 → 478 (+30); ...",
 * NULL when nothing did (or out of memory: *nomem). Indicators in the
 * order of the new revision, then those it left out. */
static char *
admin_changes(const struct admin_figures *prev,
    const struct admin_figures *cur, json_t *changes, int *nomem)
{
	char		*text = NULL;
	size_t		 i;
	int		 rv = 0;

	rv |= admin_change("activities", "activities", prev->activities,
	    cur->activities, &text, changes);
	rv |= admin_change("sessions", "sessions", prev->sessions,
	    cur->sessions, &text, changes);
	rv |= admin_change("participants", "participants",
	    prev->participants, cur->participants, &text, changes);
	rv |= admin_change("female", "women", prev->female, cur->female,
	    &text, changes);
	for (i = 0; i < cur->nind; i++)
		rv |= admin_indicator_change(cur->ind[i].code,
		    admin_figure(prev, cur->ind[i].code), &cur->ind[i], &text,
		    changes);
	for (i = 0; i < prev->nind; i++)
		if (admin_figure(cur, prev->ind[i].code) == NULL)
			rv |= admin_indicator_change(prev->ind[i].code,
			    &prev->ind[i], NULL, &text, changes);
	*nomem = rv != 0;
	return text;
}

static int
admin_history_row(struct admin *a, const Gp__ReportRow *r)
{
	struct admin_figures	 cur;
	json_t			*o = NULL, *changes = NULL;
	char			*text = NULL, when[24], late[48], fp[32];
	char			 rev[16], acts[24], sessions[24], people[24];
	char			 women[24], *review = NULL;
	json_t			*decisions = NULL;
	const char		*cells[ADMIN_HISTORY_COLUMNS];
	int			 nomem = 0, status;

	admin_figures_of(r, &cur);
	if (a->json && (changes = json_array()) == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	if (a->nitems > 0)
		text = admin_changes(&a->prev, &cur, changes, &nomem);
	a->prev = cur;
	if (nomem) {
		free(text);
		json_decref(changes);
		return admin_fail(a, EX_OSERR, "out of memory");
	}

	if (a->json) {
		free(text);
		if ((decisions = json_array()) == NULL ||
		    admin_history_decisions(a, r->revision, &decisions,
		    NULL) == -1) {
			json_decref(decisions);
			json_decref(changes);
			return admin_fail(a, EX_OSERR, "out of memory");
		}
		if ((o = admin_json_row(r, 1)) != NULL &&
		    (json_object_set_new(o, "changes", changes) == -1 ||
		    json_object_set_new(o, "decisions", decisions) == -1)) {
			json_decref(o);
			o = NULL;
		} else if (o == NULL) {
			json_decref(changes);
			json_decref(decisions);
		}
		return admin_json_item(a, o);
	}
	if (a->csv) {
		cells[0] = admin_number(r->revision, rev, sizeof(rev));
		cells[1] = r->receipt;
		cells[2] = r->received_at;
		cells[3] = admin_lateness(r->late, r->days_late, late,
		    sizeof(late));
		cells[4] = r->cert_cn;
		cells[5] = r->cert_fingerprint;
		cells[6] = admin_number(r->activities, acts, sizeof(acts));
		cells[7] = admin_number(r->sessions, sessions,
		    sizeof(sessions));
		cells[8] = admin_number(r->participants, people,
		    sizeof(people));
		cells[9] = admin_number(r->female, women, sizeof(women));
		cells[10] = text;
		if (admin_history_decisions(a, r->revision, NULL, &review) ==
		    -1) {
			free(text);
			free(review);
			return admin_fail(a, EX_OSERR, "out of memory");
		}
		cells[11] = review;
		fmt_table_row(&a->table, cells);
		free(review);
	} else {
		fmt_line(stdout, "revision %u  receipt %s", r->revision,
		    admin_text(r->receipt));
		fmt_line(stdout, "  received %s UTC  %s",
		    admin_when(r->received_at, when, sizeof(when)),
		    admin_lateness(r->late, r->days_late, late,
		    sizeof(late)));
		fmt_line(stdout, "  certificate %s  SHA-256 %s",
		    admin_text(r->cert_cn),
		    admin_fp_short(r->cert_fingerprint, fp, sizeof(fp)));
		fmt_line(stdout, "  activities %" PRIu64 "  sessions %" PRIu64
		    "  participants %" PRIu64 "  women %" PRIu64,
		    r->activities, r->sessions, r->participants, r->female);
		if (a->nitems == 0)
			fmt_line(stdout, "  first revision");
		else if (text == NULL)
			fmt_line(stdout, "  no change in the figures");
		else
			fmt_line(stdout, "  changed: %s", text);
		admin_history_decisions(a, r->revision, NULL, NULL);
	}
	free(text);
	a->nitems++;
	status = admin_out(a);
	return status;
}

static int
admin_history_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__HistoryResponse	*h = resp->history;
	size_t				 i;
	int				 status;

	for (i = 0; i < h->n_decisions; i++)
		if (admin_history_keep(a, h->decisions[i]) == -1)
			return admin_fail(a, EX_OSERR, "out of memory");
	if (a->json && (status = admin_json_array(a)) != 0)
		return status;
	for (i = 0; i < h->n_revisions; i++)
		if ((status = admin_history_row(a, h->revisions[i])) != 0)
			return status;
	if (!last)
		return 0;
	if (a->json)
		return admin_json_close(a, NULL);
	if (a->csv)
		fmt_table_header(&a->table);
	else if (a->nitems == 0)
		fmt_line(stdout, "no reports");
	return admin_out(a);
}

static int
admin_history(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__HistoryRequest	history = GP__HISTORY_REQUEST__INIT;
	int			status;

	if ((status = admin_unit(a, args->operands[0])) != 0 ||
	    (status = admin_period(a, args->operands[1])) != 0)
		return status;
	fmt_table_init(&a->table, stdout, admin_history_columns,
	    ADMIN_HISTORY_COLUMNS, FMT_CSV);
	history.unit = args->operands[0];
	history.period = args->operands[1];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_HISTORY);
	req.history = &history;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_HISTORY,
	    "a history", admin_history_frame, NULL);
}


static int
admin_history_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_history);
}

const struct cmd_entry cmd_history_entry = {
	"history", N_("UNIT PERIOD"), 2, 2,
	N_("list every revision and what changed"),
	N_("List every revision of a unit's report for a period, oldest first: "
	"its receipt, when it was received, the certificate that sent it, "
	"its totals, what changed in the figures since the revision before, "
	"and the province's decisions on it (accepted, returned, reopened: "
	"who, when, the comment). For administrators."),
	"gp-client history lc-tamduong 2022-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_history_exec
};
