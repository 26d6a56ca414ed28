/*
 * show (admin.h): one report in full, as text or JSON, or with --receipt
 * a receipt checked against the revision the server holds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "form.h"
#include "i18n.h"
#include "report.h"
#include "report_json.h"
#include "wire.h"
#include "admin.h"

static void
admin_show_meta(const Gp__ReportRow *m)
{
	char		when[ZONE_HUMAN_LEN + 1], late[80];
	uint64_t	done[4], planned[4];

	admin_figures(m->done, done);
	admin_figures(m->planned, planned);
	fmt_line(stdout, "%s  %s", admin_text(m->unit), admin_text(m->unit_name));
	fmt_line(stdout, _("period %s  revision %u  received %s  %s"),
	    admin_text(m->period), m->revision, admin_when(m->received_at,
	    when), admin_lateness(m->late, m->days_late, m->extended, m->due,
	    late, sizeof(late)));
	fmt_line(stdout, _("done: %" PRIu64 " activities, %" PRIu64
	    " sessions, %" PRIu64 " participants, %" PRIu64 " women; "
	    "planned: %" PRIu64 " activities, %" PRIu64 " participants"),
	    done[0], done[1], done[2], done[3], planned[0], planned[2]);
	fmt_line(stdout, _("receipt %s"), admin_text(m->receipt));
	fmt_line(stdout, _("submission %s"), admin_text(m->submission_id));
	fmt_line(stdout, _("certificate %s  SHA-256 %s"),
	    admin_text(m->cert_cn), admin_text(m->cert_fingerprint));
	if (m->review_state != NULL)
		fmt_line(stdout, _("review %s"), admin_state(m->review_state));
}

/* The label of a code in the form, or the code itself. */
static const char *
admin_show_label(const struct form *f, enum form_list list,
    const char *code)
{
	const char	*label;

	if (code == NULL)
		return "?";
	if (f != NULL && (label = form_label(f, list, code)) != NULL)
		return label;
	return code;
}

static void
admin_show_activity(const struct form *f, const struct report_activity *act,
    size_t idx)
{
	char	 more[256];
	size_t	 i, used;

	fmt_line(stdout, "  [%zu] %s%s%s  %s · %s · %s", idx, admin_text(act->date),
	    act->end_date != NULL ? " – " : "", admin_text(act->end_date),
	    admin_show_label(f, FORM_KINDS, act->kind),
	    admin_show_label(f, FORM_OCCASIONS, act->occasion),
	    admin_show_label(f, FORM_STATUSES, act->status));
	fmt_paragraph(stdout, "      ", act->title);
	if (act->location != NULL)
		fmt_line(stdout, "      Địa điểm: %s", act->location);
	if (act->audience != NULL || act->topic != NULL)
		fmt_line(stdout, "      %s%s%s",
		    act->audience != NULL ? admin_show_label(f, FORM_AUDIENCES,
		    act->audience) : "", act->audience != NULL &&
		    act->topic != NULL ? " · " : "", act->topic != NULL ?
		    admin_show_label(f, FORM_TOPICS, act->topic) : "");
	/* The report itself in Vietnamese, as its form's labels (U_). */
	fmt_line(stdout, U_("      %" PRIu64 " buổi · %" PRIu64 " người tham "
	    "gia · %" PRIu64 " nữ"), act->sessions, act->participants,
	    act->female);
	for (i = 0, more[0] = '\0'; i < act->noutputs; i++) {
		used = strlen(more);
		snprintf(more + used, sizeof(more) - used, "%s%" PRIu64 " %s",
		    i > 0 ? " · " : "", act->outputs[i].count,
		    admin_show_label(f, FORM_OUTPUTS, act->outputs[i].code));
	}
	if (act->noutputs > 0)
		fmt_line(stdout, "      %s", more);
	if (act->notes != NULL) {
		fmt_line(stdout, U_("      Ghi chú:"));
		fmt_paragraph(stdout, "        ", act->notes);
	}
}

/* Whether an activity's area is one of the form's (the rest are listed
 * after them, under their codes). */
static int
admin_show_known_area(const struct form *f, const char *area)
{
	return f != NULL && area != NULL && form_find(f, FORM_AREAS,
	    area) != NULL;
}

static void
admin_show_activities(const struct form *f, const struct report *r)
{
	const struct form_entry	*e;
	const struct report_activity *a;
	/* Done [0] and planned [1] ("ước thực hiện") apart, as the server
	 * sums them: planned is the status planned, done the rest. */
	uint64_t		 n_of[2] = { 0, 0 }, sessions[2] = { 0, 0 };
	uint64_t		 participants[2] = { 0, 0 }, female[2] = { 0, 0 };
	char			 n[4][I18N_MAX];
	size_t			 i, k, m, p;

	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		p = a->status != NULL && strcmp(a->status, "planned") == 0;
		n_of[p]++;
		sessions[p] += a->sessions;
		participants[p] += a->participants;
		female[p] += a->female;
	}
	putchar('\n');
	/* TRANSLATORS: the figures of the done activities: activities,
	 * sessions, participants, women. */
	fmt_line(stdout, _("Done: activities %s · sessions %s · participants "
	    "%s · women %s"), admin_number(n_of[0], n[0], sizeof(n[0])),
	    admin_number(sessions[0], n[1], sizeof(n[1])),
	    admin_number(participants[0], n[2], sizeof(n[2])),
	    admin_number(female[0], n[3], sizeof(n[3])));
	if (n_of[1] > 0)
		/* TRANSLATORS: the same of the planned activities ("ước
		 * thực hiện"), never added into the done ones. */
		fmt_line(stdout, _("Planned: activities %s · sessions %s · "
		    "participants %s · women %s"), admin_number(n_of[1], n[0],
		    sizeof(n[0])), admin_number(sessions[1], n[1],
		    sizeof(n[1])), admin_number(participants[1], n[2],
		    sizeof(n[2])), admin_number(female[1], n[3],
		    sizeof(n[3])));
	/* By area, in the order of the plan; [i] is the place in the
	 * report, as in a field name (activities[i]). */
	for (k = 0; f != NULL && (e = form_at(f, FORM_AREAS, k)) != NULL;
	    k++) {
		for (i = 0, m = 0; i < r->nactivities; i++) {
			if (r->activities[i].area == NULL ||
			    strcmp(r->activities[i].area, e->code) != 0)
				continue;
			if (m++ == 0) {
				putchar('\n');
				fmt_line(stdout, "%zu. %s", k + 1, e->label);
			}
			admin_show_activity(f, &r->activities[i], i);
		}
	}
	for (i = 0, m = 0; i < r->nactivities; i++) {
		if (admin_show_known_area(f, r->activities[i].area))
			continue;
		if (m++ == 0)
			putchar('\n');
		fmt_line(stdout, "%s", admin_text(r->activities[i].area));
		admin_show_activity(f, &r->activities[i], i);
	}
}

static void
admin_show_indicators(const struct form *f, const struct report *r)
{
	struct fmt_column	 cols[4] = {
		{ "Chỉ tiêu", 0, FMT_LEFT },
		{ "Tổng số", 9, FMT_RIGHT },
		{ "Nữ", 9, FMT_RIGHT },
		{ "Tỷ lệ nữ %", 10, FMT_RIGHT }
	};
	const struct report_indicator_value	*v;
	const struct form_entry			*e;
	struct fmt_table			 t;
	const char				*cells[4];
	char					 total[24], women[24];
	char					 share[16];
	size_t					 i, w;
	int					 shared;

	if (r->nindicators == 0)
		return;
	cols[0].width = fmt_width(cols[0].header);
	for (i = 0; i < r->nindicators; i++) {
		w = fmt_width(admin_show_label(f, FORM_INDICATORS,
		    r->indicators[i].code));
		if (w > cols[0].width)
			cols[0].width = w;
	}
	putchar('\n');
	fmt_table_init(&t, stdout, cols, 4, 0);
	for (i = 0; i < r->nindicators; i++) {
		v = &r->indicators[i];
		e = f != NULL ? form_find(f, FORM_INDICATORS, v->code) : NULL;
		/* No women's column where the form gives no share. */
		shared = e != NULL ? e->female_share : v->has_female;
		cells[0] = admin_show_label(f, FORM_INDICATORS, v->code);
		cells[1] = admin_number(v->total, total, sizeof(total));
		cells[2] = shared ? admin_number(v->female, women,
		    sizeof(women)) : "";
		cells[3] = shared ? admin_share(v->female, v->total, share,
		    sizeof(share)) : "";
		fmt_table_row(&t, cells);
	}
}

static void
admin_show_texts(const struct report_text *v, size_t n,
    const struct form_entry *list, size_t nlist, const char *indent)
{
	const char	*label;
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		if (v[i].text == NULL)
			continue;
		label = v[i].code;
		for (k = 0; k < nlist; k++)
			if (strcmp(list[k].code, v[i].code) == 0)
				label = list[k].label;
		putchar('\n');
		fmt_line(stdout, "%s%s", indent, admin_text(label));
		fmt_paragraph(stdout, indent[0] != '\0' ? "    " : "  ",
		    v[i].text);
	}
}

static void
admin_show_text(const Gp__ShowResponse *s, const struct form *f,
    const struct report *r)
{
	const struct form_entry	*e;
	size_t			 i;

	admin_show_meta(s->meta);
	if (r->reporter_name != NULL || r->reporter_position != NULL ||
	    r->reporter_phone != NULL)
		fmt_line(stdout, "Người báo cáo: %s%s%s%s%s",
		    admin_text(r->reporter_name),
		    r->reporter_position != NULL ? " · " : "",
		    admin_text(r->reporter_position),
		    r->reporter_phone != NULL ? " · " : "",
		    admin_text(r->reporter_phone));
	if (r->plan_number != NULL || r->plan_date != NULL)
		fmt_line(stdout, "Kế hoạch của đơn vị: %s%s%s",
		    admin_text(r->plan_number), r->plan_date != NULL ?
		    " ngày " : "", admin_text(r->plan_date));
	admin_show_activities(f, r);
	admin_show_indicators(f, r);
	admin_show_texts(r->narrative, r->nnarrative,
	    f != NULL ? form_at(f, FORM_NARRATIVE, 0) : NULL,
	    f != NULL ? form_count(f, FORM_NARRATIVE) : 0, "");
	for (i = 0; i < r->nsections; i++) {
		if (r->sections[i].nfields == 0)
			continue;
		e = f != NULL ? form_find(f, FORM_SECTIONS,
		    r->sections[i].code) : NULL;
		putchar('\n');
		fmt_line(stdout, "%s", e != NULL ? e->label :
		    admin_text(r->sections[i].code));
		admin_show_texts(r->sections[i].fields, r->sections[i].nfields,
		    e != NULL ? e->fields : NULL, e != NULL ? e->nfields : 0,
		    "  ");
	}
	if (s->n_warnings > 0)
		putchar('\n');
	for (i = 0; i < s->n_warnings; i++)
		fmt_line(stdout, _("warning: %s"), admin_text(s->warnings[i]));
}

static int
admin_show_json(struct admin *a, const Gp__ShowResponse *s,
    const struct form *f, const struct report *r)
{
	json_t		*o, *w, *report;
	json_error_t	 jerr;
	char		*text;
	size_t		 i;

	if ((text = report_json_write(r, f)) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	report = json_loads(text, 0, &jerr);
	free(text);
	if ((w = json_array()) != NULL) {
		for (i = 0; i < s->n_warnings; i++) {
			if (json_array_append_new(w,
			    fmt_json_text(s->warnings[i])) == -1) {
				json_decref(w);
				w = NULL;
				break;
			}
		}
	}
	if ((o = json_pack("{s:o, s:o, s:o}", "meta",
	    admin_json_row(s->meta, 0),
	    "report", report, "warnings", w)) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	admin_json_dump(o);
	json_decref(o);
	fputc('\n', stdout);
	return admin_out(a);
}

static int
admin_show_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ShowResponse	*s = resp->show;
	struct report_errors	*errs;
	struct report		*r = NULL;
	const struct form	*f;
	int			 status;

	(void)last;
	if (a->started)
		return admin_fail(a, EX_PROTOCOL, _("the server sent one "
		    "report in several answers; check that gp-client and gpd "
		    "versions match"));
	if (s->meta == NULL || s->report == NULL)
		return admin_fail(a, EX_PROTOCOL, _("the server's answer has "
		    "no report; check that gp-client and gpd versions match"));
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return admin_fail(a, EX_OSERR, _("out of memory"));
	if (wire_report_copy(s->report, &r, errs) == -1) {
		free(errs);
		return admin_fail(a, EX_PROTOCOL, _("the server sent a report "
		    "that cannot be read; check that gp-client and gpd "
		    "versions match"));
	}
	free(errs);
	/* The labels of the form the report was checked against. */
	f = admin_form(a, s->meta);
	if (a->json)
		status = admin_show_json(a, s, f, r);
	else {
		admin_show_text(s, f, r);
		status = admin_out(a);
	}
	report_free(r);
	return status;
}

/* show --receipt: the stored revision the receipt names, compared. */
static int
admin_show_receipt_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ShowResponse	*s = resp->show;

	(void)last;
	if (a->proof_done)
		return admin_fail(a, EX_PROTOCOL, _("the server sent one "
		    "report in several answers; check that gp-client and gpd "
		    "versions match"));
	if (s->meta == NULL || s->report == NULL)
		return admin_fail(a, EX_PROTOCOL, _("the server's answer has "
		    "no report; check that gp-client and gpd versions match"));
	a->proof_done = 1;
	return proof_check_stored(&a->po, a->proof, s, &a->proof_cause);
}

/* show --receipt: the server has no such revision. */
static int
admin_show_absent(struct admin *a, const Gp__Error *err)
{
	const struct proof	*p = a->proof;

	if (!err->has_code || (err->code != GP__ERROR_CODE__INVALID &&
	    err->code != GP__ERROR_CODE__NOT_FOUND))
		return -1;
	a->proof_done = 1;
	proof_say(&a->po, "server", 0, "%s", err->message != NULL ?
	    err->message : _("no such revision"));
	if (asprintf(&a->proof_cause, _("%s was never issued by this server, "
	    "or its revision was deleted: the server has no revision %u of "
	    "%s %s"), p->path, p->revision, p->unit, p->period) == -1)
		a->proof_cause = NULL;
	return EX_DATAERR;
}

/*
 * show UNIT PERIOD --receipt FILE: the receipt is checked offline first
 * (certificate, signature), then against the revision it names on the
 * server (receipt, submission id, time, the recorded SHA-256 and the
 * SHA-256 of the stored bytes).
 */
static int
admin_show_receipt(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ShowRequest		 show = GP__SHOW_REQUEST__INIT;
	const struct proof	*p;
	char			*verdict = NULL;
	int			 status;

	proof_out_init(&a->po, a->json);
	if ((status = proof_read(cmd_value(args, "receipt"), &a->proof,
	    &a->proof_cause)) != 0)
		goto end;
	p = a->proof;
	if (strcmp(p->unit, args->operands[0]) != 0 ||
	    strcmp(p->period, args->operands[1]) != 0) {
		status = EX_DATAERR;
		if (asprintf(&a->proof_cause, _("%s is a receipt for %s %s, "
		    "not %s %s"), p->path, p->unit, p->period,
		    args->operands[0], args->operands[1]) == -1)
			a->proof_cause = NULL;
		goto end;
	}
	if ((status = proof_verify(&a->po, p, a->cfg->ca,
	    &a->proof_cause)) != 0)
		goto end;

	show.unit = p->unit;
	show.period = p->period;
	show.has_revision = 1;
	show.revision = p->revision;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SHOW);
	req.show = &show;
	status = admin_exchange(a, &req, GP__RESPONSE__BODY_SHOW,
	    N_("a report"), admin_show_receipt_frame, admin_show_absent);
	if (!a->proof_done) {
		/* Not compared (no connection, refused): already said. */
		proof_out_clear(&a->po);
		return status;
	}
	if (status == 0 && asprintf(&verdict, _("the server holds %s %s "
	    "revision %u, received %s with receipt %s, unchanged since"),
	    p->unit, p->period, p->revision, p->received_at,
	    p->receipt) == -1) {
		verdict = NULL;
		status = EX_OSERR;
	}
end:
	status = proof_out_end(&a->po, a->proof, status, verdict,
	    a->proof_cause);
	free(verdict);
	return status;
}

static int
admin_show(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ShowRequest		 show = GP__SHOW_REQUEST__INIT;
	const char		*revision, *receipt;
	unsigned long		 n;
	char			*end;
	int			 status;

	if ((status = admin_unit(a, args->operands[0])) != 0 ||
	    (status = admin_period(a, args->operands[1])) != 0)
		return status;
	revision = cmd_value(args, "revision");
	receipt = cmd_value(args, "receipt");
	if (receipt != NULL && revision != NULL)
		return admin_fail(a, EX_USAGE, _("--revision and --receipt "
		    "exclude each other: the receipt names its revision"));
	if (receipt != NULL)
		return admin_show_receipt(a, args);
	if (revision != NULL) {
		errno = 0;
		n = strtoul(revision, &end, 10);
		if (revision[0] < '1' || revision[0] > '9' || *end != '\0' ||
		    errno != 0 || n > UINT32_MAX)
			return admin_fail(a, EX_USAGE, _("bad revision '%s': "
			    "give a revision number from 1, as history shows"),
			    revision);
		show.has_revision = 1;
		show.revision = (uint32_t)n;
	}
	show.unit = args->operands[0];
	show.period = args->operands[1];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SHOW);
	req.show = &show;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SHOW, N_("a report"),
	    admin_show_frame, NULL);
}

static int
admin_show_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_show);
}

const struct cmd_entry cmd_show_entry = {
	"show", N_("UNIT PERIOD"), 2, 2,
	N_("print one report in full, or check a receipt against it"),
	N_("Print a unit's report for a period in full: who received it when, "
	"its activities by area, indicators and narrative. The latest "
	"revision, or the one --revision names. With --receipt, check a "
	"receipt file offline and then against the revision the server "
	"holds: that it was issued for it and that the stored report is "
	"unchanged since. For administrators."),
	"gp-client show lc-tamduong 2022-H1 --revision 2",
	{
		{ "revision", 'r', N_("N"), 0, N_("that revision, as history "
		    "lists them") },
		{ "receipt", 0, N_("FILE"), 0, N_("check this receipt file "
		    "against the server's copy") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_PERIOD | CMD_FORMS,
	admin_show_exec
};
