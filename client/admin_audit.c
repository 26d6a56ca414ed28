/*
 * audit (admin.h): who did what when, from the server's hash-chained
 * audit table, and the head of the chain to compare with gpd's log.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "period.h"
#include "admin.h"

/* Two digits at s, in [0, max]. */
static int
admin_digits2(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out <= max ? 0 : -1;
}

/* YYYY-MM-DD (midnight in the federation's zone) or RFC 3339 with a
 * zone, as Unix time. */
static int
admin_since(const char *s, int64_t *out)
{
	char		 date[DATE_LEN + 1];
	const char	*p;
	int32_t		 day;
	int		 h, m, sec, zh = 0, zm = 0, sign = 0;

	if (strlen(s) < DATE_LEN)
		return -1;
	memcpy(date, s, DATE_LEN);
	date[DATE_LEN] = '\0';
	if (date_parse(date, &day) == -1)
		return -1;
	p = s + DATE_LEN;
	if (*p == '\0') {
		*out = (int64_t)day * 86400 - tz_offset(zone_current(),
		    (int64_t)day * 86400);
		return 0;
	}
	if ((*p != 'T' && *p != 't' && *p != ' ') ||
	    admin_digits2(p + 1, 23, &h) == -1 || p[3] != ':' ||
	    admin_digits2(p + 4, 59, &m) == -1 || p[6] != ':' ||
	    admin_digits2(p + 7, 60, &sec) == -1)
		return -1;
	p += 9;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (admin_digits2(p + 1, 23, &zh) == -1 || p[3] != ':' ||
		    admin_digits2(p + 4, 59, &zm) == -1)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	if (sec == 60)
		sec = 59;	/* a leap second: near enough */
	*out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec -
	    sign * (zh * 3600 + zm * 60);
	return 0;
}

/* The chain hash is a CSV column only: the table is wide enough. */
#define ADMIN_AUDIT_TEXT_COLUMNS	8
static const struct fmt_column admin_audit_columns[] = {
	{ N_("time"), 23, FMT_LEFT },
	{ N_("cn"), 16, FMT_LEFT },
	{ N_("fingerprint"), 17, FMT_LEFT },
	{ N_("action"), 8, FMT_LEFT },
	{ N_("unit"), 16, FMT_LEFT },
	{ N_("period"), 7, FMT_LEFT },
	{ N_("result"), 10, FMT_LEFT },
	{ N_("detail"), 0, FMT_LEFT },
	{ N_("hash"), 0, FMT_LEFT }
};

/* The head of the chain, from the last frame: {"id":..,"hash":..} or
 * null for a server that sends none. */
static json_t *
admin_json_head(const Gp__AuditResponse *au)
{
	if (au->head_hash == NULL)
		return json_null();
	return json_pack("{s:I, s:o}", "id", (json_int_t)au->head_id,
	    "hash", fmt_json_text(au->head_hash));
}

static int
admin_audit_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__AuditResponse	*au = resp->audit;
	const Gp__AuditEntry	*e;
	const char		*cells[9];
	char			 when[TZ_RFC3339_LEN + 1], fp[32];
	size_t			 i;
	int			 status;

	if (a->json && (status = admin_json_object(a, json_object())) != 0)
		return status;
	for (i = 0; i < au->n_entries; i++) {
		e = au->entries[i];
		if (a->json) {
			tz_rfc3339(zone_current(), e->at, when);
			if ((status = admin_json_item(a, json_pack("{s:I, s:I, "
			    "s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			    "id", (json_int_t)e->id,
			    "at", (json_int_t)e->at,
			    "time", when,
			    "cn", fmt_json_text(e->cn),
			    "fingerprint", fmt_json_text(e->fingerprint),
			    "action", fmt_json_text(e->action),
			    "unit", fmt_json_text(e->unit),
			    "period", fmt_json_text(e->period),
			    "result", fmt_json_text(e->result),
			    "detail", fmt_json_text(e->detail),
			    "hash", fmt_json_text(e->hash)))) != 0)
				return status;
			continue;
		}
		if (a->csv)
			tz_rfc3339(zone_current(), e->at, when);
		else
			tz_human(zone_current(), e->at, when);
		cells[0] = when;
		cells[1] = e->cn;
		cells[2] = a->csv ? e->fingerprint :
		    admin_fp_short(e->fingerprint, fp, sizeof(fp));
		cells[3] = e->action;
		cells[4] = e->unit;
		cells[5] = e->period;
		cells[6] = e->result;
		cells[7] = e->detail;
		cells[8] = e->hash;
		fmt_table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	if (!last)
		return 0;
	if (a->json)
		return admin_json_close(a, json_pack("{s:o}", "head",
		    admin_json_head(au)));
	if (a->csv || a->nitems > 0)
		fmt_table_header(&a->table);
	else
		fmt_line(stdout, "%s", _("nothing in the audit trail"));
	/* As gpd's log writes it, to be compared with it (U_). */
	if (!a->csv && au->head_hash != NULL)
		fmt_line(stdout, U_("audit head: id %" PRId64 " hash %s"),
		    au->head_id, au->head_hash);
	return admin_out(a);
}

static int
admin_audit(struct admin *a, const struct cmd_args *args)
{
	Gp__Request		req;
	Gp__AuditRequest	 audit = GP__AUDIT_REQUEST__INIT;
	const char		*unit, *since_arg;
	int64_t			 since;
	int			 status;

	unit = cmd_value(args, "unit");
	since_arg = cmd_value(args, "since");
	if (unit != NULL && (status = admin_unit(a, unit)) != 0)
		return status;
	if (since_arg != NULL) {
		if (admin_since(since_arg, &since) == -1)
			return admin_fail(a, EX_USAGE, _("bad --since '%s': "
			    "give a date (2022-06-10) or a time "
			    "(2022-06-10T08:00:00+07:00)"), since_arg);
		audit.has_since = 1;
		audit.since = since;
	}
	fmt_table_init(&a->table, stdout, admin_audit_columns, a->csv ?
	    sizeof(admin_audit_columns) / sizeof(admin_audit_columns[0]) :
	    ADMIN_AUDIT_TEXT_COLUMNS, a->csv ? FMT_CSV : 0);
	audit.unit = (char *)(uintptr_t)unit;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_AUDIT);
	req.audit = &audit;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_AUDIT,
	    N_("an audit trail"), admin_audit_frame, NULL);
}


static int
admin_audit_exec(struct client *cl, const struct cmd_args *args)
{
	return admin_run(cl, args, admin_audit);
}

const struct cmd_entry cmd_audit_entry = {
	"audit", "", 0, 0,
	N_("who did what when: submissions, refusals, locks"),
	N_("List the server's audit trail: every submission, refusal, lock and "
	"unlock, with the certificate that did it; then the head of the "
	"hash chain, to compare with the 'audit head' lines of gpd's log. "
	"For administrators."),
	"gp-client audit --since 2022-06-01 --unit lc-tamduong",
	{
		{ "since", 0, N_("DATE"), 0, N_("from this day (2022-06-10) or "
		    "time (2022-06-10T08:00:00+07:00)") },
		{ "unit", 'u', N_("UNIT"), 0, N_("only what concerns this "
		    "unit") },
		{ NULL, 0, NULL, 0, NULL }
	},
	CMD_CONNECT | CMD_JSON | CMD_CSV,
	admin_audit_exec
};
