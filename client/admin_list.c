/*
 * units and list (admin.h): the unit registry, and the latest revision of
 * each report.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"

/* Text: the type's label (the registry's), the person to call; the
 * e-mail address last, never cut. */
static const struct fmt_column admin_units_columns[] = {
	{ N_("code"), 18, FMT_LEFT },
	{ N_("name"), 30, FMT_LEFT },
	{ N_("type"), 24, FMT_LEFT },
	{ N_("valid from"), 10, FMT_LEFT },
	{ N_("valid to"), 10, FMT_LEFT },
	{ N_("contact"), 20, FMT_LEFT },
	{ N_("phone"), 14, FMT_LEFT },
	{ N_("email"), 0, FMT_LEFT }
};
#define ADMIN_UNITS_TEXT	8

/* CSV: the type's code and its label; headers as written, in English,
 * for the programs that read it. */
static const struct fmt_column admin_units_csv_columns[] = {
	{ "code", 0, FMT_LEFT },
	{ "name", 0, FMT_LEFT },
	{ "type", 0, FMT_LEFT },
	{ "type_label", 0, FMT_LEFT },
	{ "contact", 0, FMT_LEFT },
	{ "phone", 0, FMT_LEFT },
	{ "email", 0, FMT_LEFT },
	{ "valid_from", 0, FMT_LEFT },
	{ "valid_to", 0, FMT_LEFT }
};
#define ADMIN_UNITS_CSV		9

static int
admin_units_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__UnitsResponse	*u = resp->units;
	const Gp__UnitInfo	*ui;
	const char		*cells[ADMIN_UNITS_CSV];
	size_t			 i, n;
	int			 status;

	if (a->json && (status = admin_json_array(a)) != 0)
		return status;
	for (i = 0; i < u->n_units; i++) {
		ui = u->units[i];
		if (a->json) {
			status = admin_json_item(a, json_pack("{s:o, s:o, s:o, "
			    "s:o, s:o, s:o, s:o, s:o, s:o}",
			    "code", fmt_json_text(ui->code),
			    "name", fmt_json_text(ui->name),
			    "type", fmt_json_text(ui->type),
			    "type_label", fmt_json_text(ui->type_label),
			    "contact", fmt_json_text(ui->contact),
			    "phone", fmt_json_text(ui->phone),
			    "email", fmt_json_text(ui->email),
			    "valid_from", fmt_json_text(ui->valid_from),
			    "valid_to", fmt_json_text(ui->valid_to)));
			if (status != 0)
				return status;
			continue;
		}
		n = 0;
		cells[n++] = ui->code;
		cells[n++] = ui->name;
		if (a->csv) {
			cells[n++] = ui->type;
			cells[n++] = ui->type_label;
		} else {
			cells[n++] = ui->type_label != NULL ? ui->type_label :
			    admin_text(ui->type);
			cells[n++] = ui->valid_from;
			cells[n++] = ui->valid_to;
		}
		cells[n++] = ui->contact;
		cells[n++] = ui->phone;
		cells[n++] = ui->email;
		if (a->csv) {
			cells[n++] = ui->valid_from;
			cells[n++] = ui->valid_to;
		}
		fmt_table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_table_end(a, "no units in the registry") : 0;
}

static int
admin_units(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__UnitsRequest	units = GP__UNITS_REQUEST__INIT;

	(void)args;
	if (a->csv)
		fmt_table_init(&a->table, stdout, admin_units_csv_columns,
		    ADMIN_UNITS_CSV, FMT_CSV);
	else
		fmt_table_init(&a->table, stdout, admin_units_columns,
		    ADMIN_UNITS_TEXT, 0);
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_UNITS);
	req.units = &units;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_UNITS,
	    N_("the unit registry"), admin_units_frame, NULL);
}


/* Figures of done activities; planned ones ("ước thực hiện") apart, never
 * added in. */
static const struct fmt_column admin_list_columns[] = {
	{ N_("unit"), 16, FMT_LEFT },
	{ N_("name"), 24, FMT_LEFT },
	{ N_("period"), 7, FMT_LEFT },
	{ N_("rev"), 3, FMT_RIGHT },
	{ N_("received"), 23, FMT_LEFT },
	{ N_("status"), 28, FMT_LEFT },
	{ N_("done"), 5, FMT_RIGHT },
	{ N_("participants"), 12, FMT_RIGHT },
	{ N_("women"), 7, FMT_RIGHT },
	{ N_("planned"), 7, FMT_RIGHT },
	{ N_("planned part."), 13, FMT_RIGHT },
	{ N_("review"), 12, FMT_LEFT }
};
#define ADMIN_LIST_NCOLUMNS	12

static const struct fmt_column admin_list_csv[] = {
	{ "unit", 0, FMT_LEFT },
	{ "name", 0, FMT_LEFT },
	{ "period", 0, FMT_LEFT },
	{ "revision", 0, FMT_RIGHT },
	{ "received_at", 0, FMT_LEFT },
	{ "status", 0, FMT_LEFT },
	{ "done_activities", 0, FMT_RIGHT },
	{ "done_participants", 0, FMT_RIGHT },
	{ "done_women", 0, FMT_RIGHT },
	{ "planned_activities", 0, FMT_RIGHT },
	{ "planned_participants", 0, FMT_RIGHT },
	{ "review_state", 0, FMT_LEFT }
};

static int
admin_list_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ListResponse	*l = resp->list;
	const Gp__ReportRow	*r;
	const char		*cells[ADMIN_LIST_NCOLUMNS];
	char			 rev[16], when[ZONE_RFC3339_LEN + 1], late[80];
	char			 acts[24], people[24], women[24], pacts[24];
	char			 ppeople[24];
	uint64_t		 done[4], planned[4];
	size_t			 i;
	int			 status;

	if (a->json && (status = admin_json_array(a)) != 0)
		return status;
	for (i = 0; i < l->n_rows; i++) {
		r = l->rows[i];
		if (a->json) {
			if ((status = admin_json_item(a,
			    admin_json_row(r, 0))) != 0)
				return status;
			continue;
		}
		admin_figures(r->done, done);
		admin_figures(r->planned, planned);
		cells[0] = r->unit;
		cells[1] = r->unit_name;
		cells[2] = r->period;
		cells[3] = admin_number(r->revision, rev, sizeof(rev));
		cells[4] = a->csv ? zone_rfc3339(r->received_at, when) :
		    admin_when(r->received_at, when);
		cells[5] = admin_lateness(r->late, r->days_late, r->extended,
		    a->csv ? r->due : NULL, late, sizeof(late));
		cells[6] = admin_number(done[0], acts, sizeof(acts));
		cells[7] = admin_number(done[2], people, sizeof(people));
		cells[8] = admin_number(done[3], women, sizeof(women));
		cells[9] = admin_number(planned[0], pacts, sizeof(pacts));
		cells[10] = admin_number(planned[2], ppeople,
		    sizeof(ppeople));
		cells[11] = a->csv ? admin_text(r->review_state) :
		    admin_state(r->review_state);
		fmt_table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_table_end(a, "no reports") : 0;
}

static int
admin_list(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		 req;
	Gp__ListRequest		 list = GP__LIST_REQUEST__INIT;
	const char		*period, *unit;
	int			 status;

	period = cmd_value(args, "period");
	unit = cmd_value(args, "unit");
	if (period != NULL && (status = admin_period(a, period)) != 0)
		return status;
	if (unit != NULL && (status = admin_unit(a, unit)) != 0)
		return status;
	fmt_table_init(&a->table, stdout, a->csv ? admin_list_csv :
	    admin_list_columns, ADMIN_LIST_NCOLUMNS, a->csv ? FMT_CSV : 0);
	list.period = (char *)(uintptr_t)period;
	list.unit = (char *)(uintptr_t)unit;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_LIST);
	req.list = &list;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_LIST, N_("a list"),
	    admin_list_frame, NULL);
}


static int
admin_units_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_units);
}

static int
admin_list_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_list);
}

const struct cmd_entry cmd_units_entry = {
	"units", "", 0, 0,
	N_("print the unit registry"),
	N_("Print the units the server knows (its registry): code, name, type, "
	"the dates between which each may report, and whom to call (contact, "
	"phone, e-mail). For administrators."),
	"gp-client units --csv > don-vi.csv",
	{ { NULL, 0, NULL, 0, NULL } },
	CMD_CONNECT | CMD_JSON | CMD_CSV,
	admin_units_exec
};

const struct cmd_entry cmd_list_entry = {
	"list", "", 0, 0,
	N_("list the latest revision of each report"),
	N_("List the latest revision of each stored report: unit, period, "
	"revision, when it was received, whether it was late (as judged when "
	"it was stored, against the unit's extension if it had one), the "
	"figures of its done activities and, apart, of its planned ones, and "
	"the province's review (under review, returned, accepted). For "
	"administrators."),
	"gp-client list --period 2022-H1",
	{
		{ "period", 'p', N_("PERIOD"), 0, N_("only the reports of this "
		    "period") },
		{ "unit", 'u', N_("UNIT"), 0, N_("only this unit's reports") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV | CMD_PERIOD,
	admin_list_exec
};
