/*
 * history (admin.h): every revision of a unit's report for a period, and
 * what changed from one to the next: its figures (done and planned
 * apart, indicators), and, as gpd compared them, its dates, titles,
 * places, codes and texts.
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
	{ "done_activities", 0, FMT_RIGHT },
	{ "done_sessions", 0, FMT_RIGHT },
	{ "done_participants", 0, FMT_RIGHT },
	{ "done_female", 0, FMT_RIGHT },
	{ "planned_activities", 0, FMT_RIGHT },
	{ "planned_participants", 0, FMT_RIGHT },
	{ "changes", 0, FMT_LEFT },
	{ "report_changes", 0, FMT_LEFT },
	{ "review", 0, FMT_LEFT }
};
#define ADMIN_HISTORY_NCSV	15

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

/* A decision as a line of text: who took it, when, its comment. */
static void
admin_history_decision_line(const struct admin_decision *d,
    char when[ZONE_HUMAN_LEN + 1])
{
	const char	*by = admin_text(d->decided_by);
	const char	*at = admin_when(d->decided_at, when);

	if (strcmp(admin_text(d->action), "accept") == 0 && d->comment != NULL)
		fmt_line(stdout, _("  accepted by %s at %s: %s"), by, at,
		    d->comment);
	else if (strcmp(admin_text(d->action), "accept") == 0)
		fmt_line(stdout, _("  accepted by %s at %s"), by, at);
	else if (strcmp(admin_text(d->action), "return") == 0 &&
	    d->comment != NULL)
		fmt_line(stdout, _("  returned by %s at %s: %s"), by, at,
		    d->comment);
	else if (strcmp(admin_text(d->action), "return") == 0)
		fmt_line(stdout, _("  returned by %s at %s"), by, at);
	else if (strcmp(admin_text(d->action), "reopen") == 0 &&
	    d->comment != NULL)
		fmt_line(stdout, _("  reopened by %s at %s: %s"), by, at,
		    d->comment);
	else if (strcmp(admin_text(d->action), "reopen") == 0)
		fmt_line(stdout, _("  reopened by %s at %s"), by, at);
	/* A newer (or lying) server's action is shown as it came, never
	 * taken for one gp-client knows. */
	else if (d->comment != NULL)
		/* TRANSLATORS: the action as the server sent it (not one of
		 * accept, return, reopen), who took it, when, the comment. */
		fmt_line(stdout, _("  '%s' (an action gp-client does not "
		    "know) by %s at %s: %s"), admin_text(d->action), by, at,
		    d->comment);
	else
		fmt_line(stdout, _("  '%s' (an action gp-client does not "
		    "know) by %s at %s"), admin_text(d->action), by, at);
}

/* The decisions on revision rev: as lines, a JSON array, or one CSV
 * cell ("returned by admin 2026-12-05T10:10:11+07:00: comment; ..."). */
static int
admin_history_decisions(struct admin *a, uint32_t rev, json_t **arr,
    char **cell)
{
	const struct admin_decision	*d;
	char				 when[ZONE_HUMAN_LEN + 1], *s;
	char				 at[ZONE_RFC3339_LEN + 1];
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
			    "decided_at", zone_json(d->decided_at))) == -1)
				return -1;
		} else if (cell != NULL) {
			if (asprintf(&s, "%s%s%s by %s %s%s%s",
			    *cell != NULL ? *cell : "", *cell != NULL ?
			    "; " : "", admin_state(d->state),
			    admin_text(d->decided_by),
			    admin_text(zone_rfc3339(d->decided_at, at)),
			    d->comment != NULL ?
			    ": " : "", admin_text(d->comment)) == -1)
				return -1;
			free(*cell);
			*cell = s;
		} else
			admin_history_decision_line(d, when);
	}
	return 0;
}

static void
admin_figures_of(const Gp__ReportRow *r, struct admin_figures *f)
{
	struct admin_indicator	*v;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	admin_figures(r->done, f->done);
	admin_figures(r->planned, f->planned);
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
	/* TRANSLATORS: an indicator's code, then its women's figure. */
	snprintf(shown, sizeof(shown), _("%s women"), code);
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

	/* The JSON field, then the words a person reads. */
	static const char *const fields[4] = {
		"activities", "sessions", "participants", "female"
	};
	static const char *const done_shown[4] = {
		N_("done activities"), N_("done sessions"),
		N_("done participants"), N_("done women")
	};
	static const char *const planned_shown[4] = {
		N_("planned activities"), N_("planned sessions"),
		N_("planned participants"), N_("planned women")
	};
	char	 field[32];
	int	 k;

	for (k = 0; k < 4; k++) {
		snprintf(field, sizeof(field), "done.%s", fields[k]);
		rv |= admin_change(field, _(done_shown[k]), prev->done[k],
		    cur->done[k], &text, changes);
	}
	for (k = 0; k < 4; k++) {
		snprintf(field, sizeof(field), "planned.%s", fields[k]);
		rv |= admin_change(field, _(planned_shown[k]),
		    prev->planned[k], cur->planned[k], &text, changes);
	}
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

/* One change of the report's content, for a person: "activities[2].date
 * 2022-03-01 → 2022-03-08", "activities[3] added: Hội thi ...". */
static char *
admin_content_change(const Gp__Change *c)
{
	char	*s;
	int	 n;

	if (c->before == NULL && c->after != NULL)
		n = asprintf(&s, _("%s added: %s"), admin_text(c->field),
		    c->after);
	else if (c->before != NULL && c->after == NULL)
		n = asprintf(&s, _("%s removed: %s"), admin_text(c->field),
		    c->before);
	else
		n = asprintf(&s, "%s: %s → %s", admin_text(c->field),
		    admin_text(c->before), admin_text(c->after));
	return n == -1 ? NULL : s;
}

/* The content changes as one line ("; " between them), and as JSON. */
static char *
admin_content_changes(const Gp__ReportRow *r, json_t *arr, int *nomem)
{
	char	*text = NULL, *one, *joined;
	size_t	 i;

	for (i = 0; i < r->n_changes; i++) {
		if ((one = admin_content_change(r->changes[i])) == NULL ||
		    asprintf(&joined, "%s%s%s", text != NULL ? text : "",
		    text != NULL ? "; " : "", one) == -1) {
			free(one);
			*nomem = 1;
			return text;
		}
		free(one);
		free(text);
		text = joined;
		if (arr != NULL && json_array_append_new(arr, json_pack(
		    "{s:o, s:o, s:o}", "field",
		    fmt_json_text(r->changes[i]->field), "before",
		    fmt_json_text(r->changes[i]->before), "after",
		    fmt_json_text(r->changes[i]->after))) == -1)
			*nomem = 1;
	}
	if (r->has_more_changes && r->more_changes > 0) {
		/* TRANSLATORS: the changes listed, then how many more. */
		if (asprintf(&joined, _("%s; and %u more"), text != NULL ?
		    text : "", r->more_changes) == -1)
			*nomem = 1;
		else {
			free(text);
			text = joined;
		}
	}
	return text;
}

/* Text: each content change on a line of its own. */
static void
admin_history_content(const Gp__ReportRow *r)
{
	char	*one;
	size_t	 i;

	if (r->n_changes == 0) {
		fmt_line(stdout, _("  no change in the report's text, dates or "
		    "codes"));
		return;
	}
	for (i = 0; i < r->n_changes; i++) {
		if ((one = admin_content_change(r->changes[i])) == NULL)
			continue;
		fmt_line(stdout, _("  changed %s"), one);
		free(one);
	}
	if (r->has_more_changes && r->more_changes > 0)
		fmt_line(stdout, ngettext("  and %u more change (see "
		    "'gp-client show' of each revision)", "  and %u more "
		    "changes (see 'gp-client show' of each revision)",
		    r->more_changes), r->more_changes);
}

static int
admin_history_row(struct admin *a, const Gp__ReportRow *r)
{
	struct admin_figures	 cur;
	json_t			*o = NULL, *changes = NULL, *content = NULL;
	json_t			*decisions = NULL;
	char			*text = NULL, *report_text = NULL;
	char			*review = NULL;
	char			 when[ZONE_RFC3339_LEN + 1], late[80], fp[32];
	char			 rev[16], n[6][24];
	const char		*cells[ADMIN_HISTORY_NCSV];
	int			 nomem = 0, status;

	admin_figures_of(r, &cur);
	if (a->json && ((changes = json_array()) == NULL ||
	    (content = json_array()) == NULL)) {
		json_decref(changes);
		return admin_fail(a, EX_OSERR, _("out of memory"));
	}
	if (a->nitems > 0)
		text = admin_changes(&a->prev, &cur, changes, &nomem);
	a->prev = cur;
	report_text = admin_content_changes(r, content, &nomem);
	if (nomem) {
		free(text);
		free(report_text);
		json_decref(changes);
		json_decref(content);
		return admin_fail(a, EX_OSERR, _("out of memory"));
	}

	if (a->json) {
		free(text);
		free(report_text);
		if ((decisions = json_array()) == NULL ||
		    admin_history_decisions(a, r->revision, &decisions,
		    NULL) == -1) {
			json_decref(decisions);
			json_decref(changes);
			json_decref(content);
			return admin_fail(a, EX_OSERR, _("out of memory"));
		}
		if ((o = admin_json_row(r, 1)) != NULL &&
		    (json_object_set_new(o, "changes", changes) == -1 ||
		    json_object_set_new(o, "report_changes", content) == -1 ||
		    json_object_set_new(o, "decisions", decisions) == -1)) {
			json_decref(o);
			o = NULL;
		} else if (o == NULL) {
			json_decref(changes);
			json_decref(content);
			json_decref(decisions);
		}
		return admin_json_item(a, o);
	}
	if (a->csv) {
		cells[0] = admin_number(r->revision, rev, sizeof(rev));
		cells[1] = r->receipt;
		cells[2] = zone_rfc3339(r->received_at, when);
		cells[3] = admin_lateness(r->late, r->days_late, r->extended,
		    r->due, late, sizeof(late));
		cells[4] = r->cert_cn;
		cells[5] = r->cert_fingerprint;
		cells[6] = admin_number(cur.done[0], n[0], sizeof(n[0]));
		cells[7] = admin_number(cur.done[1], n[1], sizeof(n[1]));
		cells[8] = admin_number(cur.done[2], n[2], sizeof(n[2]));
		cells[9] = admin_number(cur.done[3], n[3], sizeof(n[3]));
		cells[10] = admin_number(cur.planned[0], n[4], sizeof(n[4]));
		cells[11] = admin_number(cur.planned[2], n[5], sizeof(n[5]));
		cells[12] = text;
		cells[13] = report_text;
		if (admin_history_decisions(a, r->revision, NULL, &review) ==
		    -1) {
			free(text);
			free(report_text);
			free(review);
			return admin_fail(a, EX_OSERR, _("out of memory"));
		}
		cells[14] = review;
		fmt_table_row(&a->table, cells);
		free(review);
	} else {
		fmt_line(stdout, _("revision %u  receipt %s"), r->revision,
		    admin_text(r->receipt));
		fmt_line(stdout, _("  received %s  %s"),
		    admin_when(r->received_at, when), admin_lateness(r->late,
		    r->days_late, r->extended, r->due, late, sizeof(late)));
		fmt_line(stdout, _("  certificate %s  SHA-256 %s"),
		    admin_text(r->cert_cn),
		    admin_fp_short(r->cert_fingerprint, fp, sizeof(fp)));
		fmt_line(stdout, _("  done: activities %" PRIu64 "  sessions %"
		    PRIu64 "  participants %" PRIu64 "  women %" PRIu64),
		    cur.done[0], cur.done[1], cur.done[2], cur.done[3]);
		fmt_line(stdout, _("  planned: activities %" PRIu64
		    "  sessions %" PRIu64 "  participants %" PRIu64
		    "  women %" PRIu64), cur.planned[0], cur.planned[1],
		    cur.planned[2], cur.planned[3]);
		if (a->nitems == 0)
			fmt_line(stdout, _("  first revision"));
		else {
			if (text == NULL)
				fmt_line(stdout, _("  no change in the "
				    "figures"));
			else
				fmt_line(stdout, _("  figures: %s"), text);
			admin_history_content(r);
		}
		admin_history_decisions(a, r->revision, NULL, NULL);
	}
	free(text);
	free(report_text);
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
			return admin_fail(a, EX_OSERR, _("out of memory"));
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
		fmt_line(stdout, "%s", _("no reports"));
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
	    ADMIN_HISTORY_NCSV, FMT_CSV);
	history.unit = args->operands[0];
	history.period = args->operands[1];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_HISTORY);
	req.history = &history;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_HISTORY,
	    N_("a history"), admin_history_frame, NULL);
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
	"its receipt, when it was received and whether it was late, the "
	"certificate that sent it, its totals (done and planned apart), what "
	"changed since the revision before (its figures, and its dates, "
	"titles, places, codes and texts), and the province's decisions on it "
	"(accepted, returned, reopened: who, when, the comment). For "
	"administrators; a unit sees its own."),
	"gp-client history lc-tamduong 2022-H1",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_history_exec
};
