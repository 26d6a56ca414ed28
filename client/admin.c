/*
 * gp-client's administration commands (admin.h). One connection per run;
 * the answer is printed frame by frame as conn_stream hands it over, so a
 * long list never sits whole in memory.
 *
 * Until the first byte of an answer is on standard output a failure is
 * reported the usual way (with --json, one error object); after it, only
 * the sentence on standard error, and a JSON array is left unterminated so
 * that no script takes a partial answer for a whole one.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "period.h"
#include "report.h"
#include "report_json.h"
#include "validate.h"
#include "wire.h"
#include "conn.h"
#include "output.h"
#include "table.h"
#include "export.h"
#include "proof.h"
#include "admin.h"

#define ADMIN_REQUEST_ID	1
#define ADMIN_SUMMARY_ID	2
#define ADMIN_FP_SHORT		16	/* hex digits of a fingerprint shown */
/* Percentages print as 53.9, not 53.899999999999999. */
#define ADMIN_JSON_FLAGS	(JSON_COMPACT | JSON_REAL_PRECISION(15))

/* The figures of one revision, to tell what the next one changed. */
struct admin_figures {
	uint64_t	activities, sessions, participants, female;
	uint64_t	total[IND_COUNT], women[IND_COUNT];
};

struct admin_cmd;

struct admin {
	const struct conn_config	*cfg;
	const struct admin_cmd		*cmd;
	const char			*name;		/* the command */
	const char			*usage;		/* its arguments */
	int				 json;
	int				 csv;
	struct conn			*conn;
	int				 started;	/* on stdout */
	int				 status;	/* a frame handler's */
	size_t				 nitems;	/* rows so far */
	struct table			 table;

	/* Per command. */
	const char			*period;
	const char			*by;
	struct table_column		 columns[8];	/* summary */
	struct admin_figures		 prev;		/* history */
	struct export			*export;
	struct proof			*proof;		/* show --receipt */
	struct proof_out		 po;
	char				*proof_cause;
	int				 proof_done;	/* compared */
};

/* What each command may be given. */
struct admin_args {
	const char	*period;
	const char	*unit;
	const char	*revision;
	const char	*by;
	const char	*format;
	const char	*output;
	const char	*since;
	const char	*receipt;
	char		**operands;
	int		 noperands;
};

typedef int	admin_frame_fn(struct admin *, const Gp__Response *, int last);

struct admin_call {
	struct admin		*a;
	Gp__Response__BodyCase	 want;
	const char		*what;		/* for a wrong answer */
	admin_frame_fn		*handle;
};

struct admin_cmd {
	const char	*name;
	int		(*run)(struct admin *, int, char **);
	const char	*shortopts;
	const char	*longopts;	/* names, space-separated */
};

static int	admin_fail(struct admin *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	admin_line(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

static int	admin_units(struct admin *, int, char **);
static int	admin_list(struct admin *, int, char **);
static int	admin_show(struct admin *, int, char **);
static int	admin_history(struct admin *, int, char **);
static int	admin_missing(struct admin *, int, char **);
static int	admin_summary(struct admin *, int, char **);
static int	admin_export(struct admin *, int, char **);
static int	admin_lock(struct admin *, int, char **);
static int	admin_audit(struct admin *, int, char **);

static const struct admin_cmd admin_cmds[] = {
	{ "units", admin_units, "", "json csv" },
	{ "list", admin_list, "p:u:", "period unit json csv" },
	{ "show", admin_show, "r:", "revision receipt json" },
	{ "history", admin_history, "", "json csv" },
	{ "missing", admin_missing, "", "json csv" },
	{ "summary", admin_summary, "b:", "by json csv" },
	{ "export", admin_export, "f:o:", "format output" },
	{ "lock", admin_lock, "", "json" },
	{ "unlock", admin_lock, "", "json" },
	{ "audit", admin_audit, "u:", "since unit json csv" }
};

enum {
	OPT_JSON = 256,
	OPT_CSV,
	OPT_SINCE,
	OPT_RECEIPT
};

static const struct option admin_options[] = {
	{ "by",		required_argument,	NULL,	'b' },
	{ "csv",	no_argument,		NULL,	OPT_CSV },
	{ "format",	required_argument,	NULL,	'f' },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "output",	required_argument,	NULL,	'o' },
	{ "period",	required_argument,	NULL,	'p' },
	{ "receipt",	required_argument,	NULL,	OPT_RECEIPT },
	{ "revision",	required_argument,	NULL,	'r' },
	{ "since",	required_argument,	NULL,	OPT_SINCE },
	{ "unit",	required_argument,	NULL,	'u' },
	{ NULL,		0,			NULL,	0 }
};

static const struct {
	const char	*id;
	const char	*label;
} admin_unit_types[] = {
	{ "district_federation", "LĐLĐ huyện/thành phố" },
	{ "sector_union", "Công đoàn ngành" },
	{ "civil_servants_union", "Công đoàn Viên chức tỉnh" }
};

/* --- saying things ------------------------------------------------------- */

static int
admin_fail(struct admin *a, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*cause;

	va_start(ap, fmt);
	if (vasprintf(&cause, fmt, ap) == -1)
		cause = NULL;
	va_end(ap);
	output_failure(a->json && !a->started, status, cause);
	free(cause);
	return status;
}

/* One line on standard output, text from the server made safe. */
static void
admin_line(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	table_put(stdout, s != NULL ? s : "(out of memory)", 0, TABLE_LEFT);
	fputc('\n', stdout);
	free(s);
}

/* Each line of a multi-line text, indented. */
static void
admin_paragraph(const char *indent, const char *s)
{
	const char	*nl;
	char		*line;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		line = nl != NULL ? strndup(s, (size_t)(nl - s)) : strdup(s);
		if (line != NULL) {
			if (line[0] != '\0' && line[strlen(line) - 1] == '\r')
				line[strlen(line) - 1] = '\0';
			fputs(indent, stdout);
			table_put(stdout, line, 0, TABLE_LEFT);
			fputc('\n', stdout);
			free(line);
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
}

/* After writing to standard output: 0, or the status of a failed write. */
static int
admin_out(struct admin *a)
{
	a->started = 1;
	if (ferror(stdout))
		return admin_fail(a, EX_IOERR, "cannot write the output: %s",
		    strerror(errno));
	return 0;
}

static const char *
admin_text(const char *s)
{
	return s != NULL ? s : "";
}

/* "2026-11-29 03:10" from RFC 3339 "2026-11-29T03:10:11Z"; anything
 * else as it came. */
static const char *
admin_when(const char *rfc3339, char *buf, size_t len)
{
	if (rfc3339 == NULL)
		return "";
	if (strlen(rfc3339) < 16 || rfc3339[10] != 'T' || len < 17)
		return rfc3339;
	memcpy(buf, rfc3339, 16);
	buf[10] = ' ';
	buf[16] = '\0';
	return buf;
}

/* "on time", "late by 3 days". */
static const char *
admin_lateness(int late, int32_t days, char *buf, size_t len)
{
	if (!late)
		return "on time";
	if (days <= 0)
		return "late";
	snprintf(buf, len, "late by %" PRId32 " day%s", days,
	    days == 1 ? "" : "s");
	return buf;
}

static const char *
admin_number(uint64_t n, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, n);
	return buf;
}

/* Women's share in percent with one decimal, "" without anyone. */
static const char *
admin_share(uint64_t female, uint64_t total, char *buf, size_t len)
{
	if (total == 0)
		return "";
	snprintf(buf, len, "%.1f", 100.0 * (double)female / (double)total);
	return buf;
}

static json_t *
admin_json_share(uint64_t part, uint64_t total)
{
	if (total == 0)
		return json_null();
	/* One decimal, as in the table. */
	return json_real((double)(int64_t)(1000.0 * (double)part /
	    (double)total + 0.5) / 10.0);
}

/* The first hex digits of a fingerprint and "…". */
static const char *
admin_fp_short(const char *fp, char *buf, size_t len)
{
	size_t	n = 0;

	if (fp == NULL)
		return "";
	for (; *fp != '\0' && n < ADMIN_FP_SHORT && n + 1 < len; fp++)
		if (*fp != ':')
			buf[n++] = *fp;
	buf[n] = '\0';
	if (*fp != '\0' && n + 4 <= len)
		strcat(buf, "\xe2\x80\xa6");
	return buf;
}

static const char *
admin_unit_type(const char *type)
{
	size_t	i;

	for (i = 0; i < sizeof(admin_unit_types) / sizeof(admin_unit_types[0]);
	    i++)
		if (type != NULL && strcmp(type, admin_unit_types[i].id) == 0)
			return admin_unit_types[i].label;
	return admin_text(type);
}

/* --- JSON ---------------------------------------------------------------- */

/* A JSON string or null; text that is not UTF-8 is cleaned. */
static json_t *
admin_json_text(const char *s)
{
	json_t	*j;
	char	*clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((clean = table_clean(s)) == NULL)
		return NULL;
	j = json_string(clean);
	free(clean);
	return j;
}

static void
admin_json_dump(json_t *o)
{
	if (json_dumpf(o, stdout, ADMIN_JSON_FLAGS) == -1)
		fputs("null", stdout);
}

/* Opens a JSON list answer with "[", once. */
static int
admin_json_array(struct admin *a)
{
	if (a->started)
		return 0;
	fputs("[", stdout);
	return admin_out(a);
}

/* Opens a JSON object answer, once: the members of head (dumped without
 * its closing brace) and "rows":[. Takes head. */
static int
admin_json_object(struct admin *a, json_t *head)
{
	char	*s;
	size_t	 len;

	if (a->started) {
		json_decref(head);
		return 0;
	}
	if (head == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	s = json_dumps(head, ADMIN_JSON_FLAGS);
	json_decref(head);
	if (s == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	len = strlen(s);
	/* "{...}" without the "}"; "{}" is just "{". */
	fwrite(s, 1, len - 1, stdout);
	fputs(len > 2 ? ",\"rows\":[" : "\"rows\":[", stdout);
	free(s);
	return admin_out(a);
}

/* One element of the rows array; takes o. */
static int
admin_json_item(struct admin *a, json_t *o)
{
	if (o == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	fputs(a->nitems++ == 0 ? "\n" : ",\n", stdout);
	admin_json_dump(o);
	json_decref(o);
	return admin_out(a);
}

/* Closes the rows array and, with tail, the object: tail's members
 * follow the rows. Takes tail. */
static int
admin_json_close(struct admin *a, json_t *tail)
{
	char	*s;

	fputs(a->nitems > 0 ? "\n]" : "]", stdout);
	if (tail != NULL) {
		s = json_dumps(tail, ADMIN_JSON_FLAGS);
		json_decref(tail);
		if (s == NULL)
			return admin_fail(a, EX_OSERR, "out of memory");
		fputs(strcmp(s, "{}") == 0 ? "}" : ",", stdout);
		if (strcmp(s, "{}") != 0)
			fputs(s + 1, stdout);
		free(s);
	}
	fputc('\n', stdout);
	return admin_out(a);
}

static json_t *
admin_json_indicators(Gp__Indicator *const *v, size_t n)
{
	json_t	*arr, *o;
	size_t	 i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:I, s:I}",
		    "code", report_label_id(report_indicators, IND_COUNT,
		    v[i]->code),
		    "total", (json_int_t)v[i]->total,
		    "female", (json_int_t)v[i]->female);
		if (json_array_append_new(arr, o) == -1) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* A ReportRow with its proto field names; with_indicators (history) adds
 * the indicators as submitted, codes by name. */
static json_t *
admin_json_row(const Gp__ReportRow *r, int with_indicators)
{
	json_t	*o;

	o = json_pack("{s:o, s:o, s:o, s:I, s:o, s:b, s:I, s:I, s:I, s:I, "
	    "s:I, s:o, s:o, s:o, s:o}",
	    "unit", admin_json_text(r->unit),
	    "unit_name", admin_json_text(r->unit_name),
	    "period", admin_json_text(r->period),
	    "revision", (json_int_t)r->revision,
	    "received_at", admin_json_text(r->received_at),
	    "late", r->late ? 1 : 0,
	    "days_late", (json_int_t)r->days_late,
	    "activities", (json_int_t)r->activities,
	    "sessions", (json_int_t)r->sessions,
	    "participants", (json_int_t)r->participants,
	    "female", (json_int_t)r->female,
	    "receipt", admin_json_text(r->receipt),
	    "submission_id", admin_json_text(r->submission_id),
	    "cert_cn", admin_json_text(r->cert_cn),
	    "cert_fingerprint", admin_json_text(r->cert_fingerprint));
	if (o != NULL && with_indicators && json_object_set_new(o,
	    "indicators", admin_json_indicators(r->indicators,
	    r->n_indicators)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* --- arguments ----------------------------------------------------------- */

static int
admin_misuse(struct admin *a, const char *what)
{
	return admin_fail(a, EX_USAGE, "%s; usage: gp-client %s %s", what,
	    a->name, a->usage);
}

/* Whether the option of code ch is one this command takes. */
static int
admin_takes(const struct admin_cmd *cmd, int ch)
{
	const struct option	*o;
	const char		*p;
	size_t			 len;

	for (o = admin_options; o->name != NULL; o++) {
		if (o->val != ch)
			continue;
		len = strlen(o->name);
		for (p = cmd->longopts; (p = strstr(p, o->name)) != NULL;
		    p += len)
			if ((p == cmd->longopts || p[-1] == ' ') &&
			    (p[len] == ' ' || p[len] == '\0'))
				return 1;
	}
	return 0;
}

static int
admin_parse(struct admin *a, int argc, char **argv, struct admin_args *args)
{
	const struct admin_cmd	*cmd = a->cmd;
	char			 shortopts[16], what[64];
	int			 ch;

	memset(args, 0, sizeof(*args));
	snprintf(shortopts, sizeof(shortopts), ":%s", cmd->shortopts);
	optind = 0;	/* glibc: start over on the command's arguments */
	opterr = 0;
	/* Options may follow the operands: show UNIT PERIOD --revision 2. */
	while ((ch = getopt_long(argc, argv, shortopts, admin_options,
	    NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			if (optopt != 0 && optopt < 256)
				snprintf(what, sizeof(what), "-%c", optopt);
			else
				snprintf(what, sizeof(what), "%s",
				    argv[optind - 1]);
			return admin_fail(a, EX_USAGE, "%s '%s'; usage: "
			    "gp-client %s %s", ch == ':' ? "no value for" :
			    "unknown option", what, a->name, a->usage);
		}
		if (!admin_takes(cmd, ch)) {
			snprintf(what, sizeof(what), "%s", argv[optind - 1]);
			return admin_fail(a, EX_USAGE, "%s does not take %s; "
			    "usage: gp-client %s %s", a->name, what, a->name,
			    a->usage);
		}
		switch (ch) {
		case 'b':
			args->by = optarg;
			break;
		case 'f':
			args->format = optarg;
			break;
		case 'o':
			args->output = optarg;
			break;
		case 'p':
			args->period = optarg;
			break;
		case 'r':
			args->revision = optarg;
			break;
		case 'u':
			args->unit = optarg;
			break;
		case OPT_SINCE:
			args->since = optarg;
			break;
		case OPT_RECEIPT:
			args->receipt = optarg;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_CSV:
			a->csv = 1;
			break;
		}
	}
	if (a->csv && !admin_takes(cmd, OPT_CSV))
		return admin_misuse(a, "--csv is only for tables");
	if (a->json && a->csv)
		return admin_misuse(a, "--json and --csv exclude each other");
	args->operands = argv + optind;
	args->noperands = argc - optind;
	return 0;
}

static int
admin_operands(struct admin *a, const struct admin_args *args, int n)
{
	if (args->noperands < n)
		return admin_misuse(a, "missing argument");
	if (args->noperands > n)
		return admin_misuse(a, "unexpected argument");
	return 0;
}

static int
admin_period(struct admin *a, const char *s)
{
	struct period_rules	 rules;
	struct period		 p;
	const char		*errstr;

	period_rules_default(&rules);
	if (period_parse(s, &rules, &p, &errstr) == -1)
		return admin_fail(a, EX_USAGE, "bad period '%s': %s; give "
		    "2022-H1 for the 6-month report or 2022 for the year", s,
		    errstr);
	return 0;
}

static int
admin_unit(struct admin *a, const char *s)
{
	if (validate_unit_code(s) != 0)
		return admin_fail(a, EX_USAGE, "bad unit code '%s': use the "
		    "unit's code, such as lc-tamduong (a-z, 0-9 and -)", s);
	return 0;
}

/* Two digits at s, in [0, max]. */
static int
admin_digits2(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out <= max ? 0 : -1;
}

/* YYYY-MM-DD (midnight UTC) or RFC 3339 with a zone, as Unix time. */
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
		*out = (int64_t)day * 86400;
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

/* --- the exchange -------------------------------------------------------- */

static const void *
admin_body(const Gp__Response *r)
{
	switch (r->body_case) {
	case GP__RESPONSE__BODY_UNITS:
		return r->units;
	case GP__RESPONSE__BODY_LIST:
		return r->list;
	case GP__RESPONSE__BODY_SHOW:
		return r->show;
	case GP__RESPONSE__BODY_HISTORY:
		return r->history;
	case GP__RESPONSE__BODY_MISSING:
		return r->missing;
	case GP__RESPONSE__BODY_SUMMARY:
		return r->summary;
	case GP__RESPONSE__BODY_EXPORT:
		return r->export;
	case GP__RESPONSE__BODY_LOCK:
		return r->lock;
	case GP__RESPONSE__BODY_AUDIT:
		return r->audit;
	default:
		return NULL;
	}
}

/*
 * The server's refusal, with advice that fits a query: output_error's is
 * for a report being submitted. INVALID without field errors is a
 * question about something that is not there (no such report or
 * revision).
 */
static int
admin_error(struct admin *a, const Gp__Error *err)
{
	const char	*code, *advice;
	json_t		*o;
	int		 status;

	if (err == NULL || !err->has_code || err->message == NULL ||
	    err->n_field_errors > 0)
		return output_error(a->json && !a->started, err);
	switch (err->code) {
	case GP__ERROR_CODE__INVALID:
		code = "invalid";
		advice = "see 'gp-client list' and 'gp-client history' for "
		    "what is stored";
		status = EX_DATAERR;
		break;
	case GP__ERROR_CODE__PERMISSION_DENIED:
		code = "permission_denied";
		advice = "ask the provincial federation if this certificate "
		    "should be allowed";
		status = EX_NOPERM;
		break;
	default:
		return output_error(a->json && !a->started, err);
	}
	table_put(stderr, "gp-client: ", 0, TABLE_LEFT);
	table_put(stderr, err->message, 0, TABLE_LEFT);
	fprintf(stderr, "; %s\n", advice);
	if (a->json && !a->started) {
		o = json_pack("{s:s, s:s, s:o, s:[]}", "status", "refused",
		    "code", code, "message", admin_json_text(err->message),
		    "errors");
		if (o != NULL) {
			admin_json_dump(o);
			json_decref(o);
			fputc('\n', stdout);
		}
	}
	return status;
}

/* show --receipt: the server has no such revision. */
static int
admin_receipt_absent(struct admin *a, const Gp__Error *err)
{
	const struct proof	*p = a->proof;

	a->proof_done = 1;
	proof_say(&a->po, "server", 0, "%s", err->message != NULL ?
	    err->message : "no such revision");
	if (asprintf(&a->proof_cause, "%s was never issued by this server, or "
	    "its revision was deleted: the server has no revision %u of %s "
	    "%s", p->path, p->revision, p->unit, p->period) == -1)
		a->proof_cause = NULL;
	return EX_DATAERR;
}

/* conn_stream's callback: errors and wrong answers stop the stream. */
static int
admin_frame(const Gp__Response *resp, void *arg)
{
	struct admin_call	*call = arg;
	struct admin		*a = call->a;

	if (resp->body_case == GP__RESPONSE__BODY_ERROR) {
		if (a->proof != NULL && resp->error != NULL &&
		    resp->error->has_code &&
		    resp->error->code == GP__ERROR_CODE__INVALID)
			a->status = admin_receipt_absent(a, resp->error);
		else
			a->status = admin_error(a, resp->error);
		return 1;
	}
	if (resp->body_case != call->want || admin_body(resp) == NULL) {
		a->status = admin_fail(a, EX_PROTOCOL, "the server's answer is "
		    "not %s; check that gp-client and gpd versions match",
		    call->what);
		return 1;
	}
	a->status = call->handle(a, resp, !(resp->has_more && resp->more));
	return a->status != 0;
}

static int
admin_connect(struct admin *a)
{
	char	*cause = NULL;
	int	 status;

	if ((a->conn = conn_new(a->cfg, &cause)) == NULL) {
		status = admin_fail(a, EX_CONFIG, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	if (conn_connect(a->conn, &cause) == -1) {
		status = conn_status(a->conn);
		output_failure(a->json, status, cause);
		free(cause);
		return status;
	}
	return 0;
}

/* Connects when not yet connected, sends req and hands each answer frame
 * of type want to handle. Returns the exit status. */
static int
admin_exchange(struct admin *a, Gp__Request *req, Gp__Response__BodyCase want,
    const char *what, admin_frame_fn *handle)
{
	struct admin_call	 call;
	char			*cause = NULL;
	int			 status;

	if (a->conn == NULL && (status = admin_connect(a)) != 0)
		return status;
	call.a = a;
	call.want = want;
	call.what = what;
	call.handle = handle;
	a->status = 0;
	if (conn_stream(a->conn, req, admin_frame, &call, &cause) == -1) {
		status = conn_status(a->conn);
		output_failure(a->json && !a->started, status, cause);
		free(cause);
		return status;
	}
	return a->status;
}

static void
admin_request(Gp__Request *req, uint32_t id, Gp__Request__BodyCase body)
{
	gp__request__init(req);
	req->has_id = 1;
	req->id = id;
	req->body_case = body;
}

/* After the last frame of a table: close the JSON array, or print the
 * header (tables print it last, when every width is known) or say that
 * there was nothing. */
static int
admin_table_end(struct admin *a, const char *empty)
{
	if (a->json)
		return admin_json_close(a, NULL);
	if (a->csv || a->nitems > 0)
		table_header(&a->table);
	else
		admin_line("%s", empty);
	return admin_out(a);
}

/* --- units --------------------------------------------------------------- */

static const struct table_column admin_units_columns[] = {
	{ "code", 18, TABLE_LEFT },
	{ "name", 30, TABLE_LEFT },
	{ "type", 24, TABLE_LEFT },
	{ "valid from", 10, TABLE_LEFT },
	{ "valid to", 10, TABLE_LEFT }
};

static int
admin_units_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__UnitsResponse	*u = resp->units;
	const Gp__UnitInfo	*ui;
	const char		*cells[5];
	size_t			 i;
	int			 status;

	if (a->json && (status = admin_json_array(a)) != 0)
		return status;
	for (i = 0; i < u->n_units; i++) {
		ui = u->units[i];
		if (a->json) {
			status = admin_json_item(a, json_pack("{s:o, s:o, s:o, "
			    "s:o, s:o}",
			    "code", admin_json_text(ui->code),
			    "name", admin_json_text(ui->name),
			    "type", admin_json_text(ui->type),
			    "valid_from", admin_json_text(ui->valid_from),
			    "valid_to", admin_json_text(ui->valid_to)));
			if (status != 0)
				return status;
			continue;
		}
		cells[0] = ui->code;
		cells[1] = ui->name;
		cells[2] = a->csv ? ui->type : admin_unit_type(ui->type);
		cells[3] = ui->valid_from;
		cells[4] = ui->valid_to;
		table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_table_end(a, "no units in the registry") : 0;
}

static int
admin_units(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__UnitsRequest	units = GP__UNITS_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 0)) != 0)
		return status;
	table_init(&a->table, stdout, admin_units_columns, 5,
	    a->csv ? TABLE_CSV : 0);
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_UNITS);
	req.units = &units;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_UNITS,
	    "the unit registry", admin_units_frame);
}

/* --- list ---------------------------------------------------------------- */

static const struct table_column admin_list_columns[] = {
	{ "unit", 16, TABLE_LEFT },
	{ "name", 24, TABLE_LEFT },
	{ "period", 7, TABLE_LEFT },
	{ "rev", 3, TABLE_RIGHT },
	{ "received (UTC)", 16, TABLE_LEFT },
	{ "status", 18, TABLE_LEFT },
	{ "activities", 10, TABLE_RIGHT },
	{ "participants", 12, TABLE_RIGHT },
	{ "women", 7, TABLE_RIGHT }
};

static int
admin_list_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ListResponse	*l = resp->list;
	const Gp__ReportRow	*r;
	const char		*cells[9];
	char			 rev[16], when[24], late[48], acts[24];
	char			 people[24], women[24];
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
		cells[0] = r->unit;
		cells[1] = r->unit_name;
		cells[2] = r->period;
		cells[3] = admin_number(r->revision, rev, sizeof(rev));
		cells[4] = a->csv ? r->received_at :
		    admin_when(r->received_at, when, sizeof(when));
		cells[5] = admin_lateness(r->late, r->days_late, late,
		    sizeof(late));
		cells[6] = admin_number(r->activities, acts, sizeof(acts));
		cells[7] = admin_number(r->participants, people,
		    sizeof(people));
		cells[8] = admin_number(r->female, women, sizeof(women));
		table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_table_end(a, "no reports") : 0;
}

static int
admin_list(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__ListRequest		list = GP__LIST_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 0)) != 0)
		return status;
	if (args.period != NULL && (status = admin_period(a,
	    args.period)) != 0)
		return status;
	if (args.unit != NULL && (status = admin_unit(a, args.unit)) != 0)
		return status;
	table_init(&a->table, stdout, admin_list_columns, 9,
	    a->csv ? TABLE_CSV : 0);
	list.period = (char *)(uintptr_t)args.period;
	list.unit = (char *)(uintptr_t)args.unit;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_LIST);
	req.list = &list;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_LIST, "a list",
	    admin_list_frame);
}

/* --- show ---------------------------------------------------------------- */

static void
admin_show_meta(const Gp__ReportRow *m)
{
	char	when[24], late[48];

	admin_line("%s  %s", admin_text(m->unit), admin_text(m->unit_name));
	admin_line("period %s  revision %u  received %s UTC  %s",
	    admin_text(m->period), m->revision,
	    admin_when(m->received_at, when, sizeof(when)),
	    admin_lateness(m->late, m->days_late, late, sizeof(late)));
	admin_line("receipt %s", admin_text(m->receipt));
	admin_line("submission %s", admin_text(m->submission_id));
	admin_line("certificate %s  SHA-256 %s", admin_text(m->cert_cn),
	    admin_text(m->cert_fingerprint));
}

static void
admin_show_activity(const struct report_activity *act, size_t idx)
{
	admin_line("  [%zu] %s%s%s  %s · %s · %s", idx, admin_text(act->date),
	    act->end_date != NULL ? " – " : "", admin_text(act->end_date),
	    report_label_text(report_kinds, KIND_COUNT, act->kind),
	    report_label_text(report_occasions, OCCASION_COUNT, act->occasion),
	    report_label_text(report_statuses, STATUS_COUNT, act->status));
	admin_paragraph("      ", act->title);
	if (act->location != NULL)
		admin_line("      Địa điểm: %s", act->location);
	admin_line("      %" PRIu64 " buổi · %" PRIu64 " người tham gia · %"
	    PRIu64 " nữ", act->sessions, act->participants, act->female);
	if (act->notes != NULL) {
		admin_line("      Ghi chú:");
		admin_paragraph("        ", act->notes);
	}
}

static void
admin_show_activities(const struct report *r)
{
	uint64_t	sessions = 0, participants = 0, female = 0;
	uint32_t	area;
	size_t		i, n;

	for (i = 0; i < r->nactivities; i++) {
		sessions += r->activities[i].sessions;
		participants += r->activities[i].participants;
		female += r->activities[i].female;
	}
	putchar('\n');
	admin_line("Hoạt động: %zu · %" PRIu64 " buổi · %" PRIu64 " người "
	    "tham gia · %" PRIu64 " nữ", r->nactivities, sessions,
	    participants, female);
	/* By area, in the order of the plan; [i] is the place in the
	 * report, as in a field name (activities[i]). */
	for (area = 1; area < AREA_COUNT; area++) {
		for (i = 0, n = 0; i < r->nactivities; i++) {
			if (r->activities[i].area != area)
				continue;
			if (n++ == 0) {
				putchar('\n');
				admin_line("%u. %s", area, report_label_text(
				    report_areas, AREA_COUNT, area));
			}
			admin_show_activity(&r->activities[i], i);
		}
	}
}

static void
admin_show_indicators(const struct report *r)
{
	struct table_column	 cols[4] = {
		{ "Chỉ tiêu", 0, TABLE_LEFT },
		{ "Tổng số", 9, TABLE_RIGHT },
		{ "Nữ", 9, TABLE_RIGHT },
		{ "Tỷ lệ nữ %", 10, TABLE_RIGHT }
	};
	struct table		 t;
	const char		*cells[4], *label;
	char			 total[24], women[24], share[16];
	size_t			 i, w;

	if (r->nindicators == 0)
		return;
	cols[0].width = table_width(cols[0].header);
	for (i = 0; i < r->nindicators; i++) {
		label = report_label_text(report_indicators, IND_COUNT,
		    r->indicators[i].code);
		if ((w = table_width(label)) > cols[0].width)
			cols[0].width = w;
	}
	putchar('\n');
	table_init(&t, stdout, cols, 4, 0);
	for (i = 0; i < r->nindicators; i++) {
		cells[0] = report_label_text(report_indicators, IND_COUNT,
		    r->indicators[i].code);
		cells[1] = admin_number(r->indicators[i].total, total,
		    sizeof(total));
		cells[2] = admin_number(r->indicators[i].female, women,
		    sizeof(women));
		cells[3] = admin_share(r->indicators[i].female,
		    r->indicators[i].total, share, sizeof(share));
		table_row(&t, cells);
	}
}

static void
admin_show_texts(char *const *texts, size_t n, const char *indent)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (texts[i] == NULL)
			continue;
		putchar('\n');
		admin_line("%s%s", indent, report_texts[i].label);
		admin_paragraph(indent[0] != '\0' ? "    " : "  ", texts[i]);
	}
}

static void
admin_show_text(const Gp__ShowResponse *s, const struct report *r)
{
	size_t	i, n;

	admin_show_meta(s->meta);
	if (r->reporter_name != NULL || r->reporter_position != NULL ||
	    r->reporter_phone != NULL)
		admin_line("Người báo cáo: %s%s%s%s%s",
		    admin_text(r->reporter_name),
		    r->reporter_position != NULL ? " · " : "",
		    admin_text(r->reporter_position),
		    r->reporter_phone != NULL ? " · " : "",
		    admin_text(r->reporter_phone));
	admin_show_activities(r);
	admin_show_indicators(r);
	admin_show_texts(r->narrative, TEXT_COUNT, "");
	for (i = 0, n = 0; i < LAW_REVIEW_COUNT; i++)
		n += r->law_review[i] != NULL;
	if (n > 0) {
		putchar('\n');
		admin_line("%s", report_label_text(report_areas, AREA_COUNT,
		    AREA_GENDER_LAW_REVIEW));
		admin_show_texts(r->law_review, LAW_REVIEW_COUNT, "  ");
	}
	if (s->n_warnings > 0)
		putchar('\n');
	for (i = 0; i < s->n_warnings; i++)
		admin_line("warning: %s", admin_text(s->warnings[i]));
}

static int
admin_show_json(struct admin *a, const Gp__ShowResponse *s,
    const struct report *r)
{
	json_t		*o, *w, *report;
	json_error_t	 jerr;
	char		*text;
	size_t		 i;

	if ((text = report_json_write(r)) == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	report = json_loads(text, 0, &jerr);
	free(text);
	if ((w = json_array()) != NULL) {
		for (i = 0; i < s->n_warnings; i++) {
			if (json_array_append_new(w,
			    admin_json_text(s->warnings[i])) == -1) {
				json_decref(w);
				w = NULL;
				break;
			}
		}
	}
	if ((o = json_pack("{s:o, s:o, s:o}", "meta",
	    admin_json_row(s->meta, 0),
	    "report", report, "warnings", w)) == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
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
	int			 status;

	(void)last;
	if (a->started)
		return admin_fail(a, EX_PROTOCOL, "the server sent one report "
		    "in several answers; check that gp-client and gpd versions "
		    "match");
	if (s->meta == NULL || s->report == NULL)
		return admin_fail(a, EX_PROTOCOL, "the server's answer has no "
		    "report; check that gp-client and gpd versions match");
	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return admin_fail(a, EX_OSERR, "out of memory");
	if (wire_report_copy(s->report, &r, errs) == -1) {
		free(errs);
		return admin_fail(a, EX_PROTOCOL, "the server sent a report "
		    "that cannot be read; check that gp-client and gpd "
		    "versions match");
	}
	free(errs);
	if (a->json)
		status = admin_show_json(a, s, r);
	else {
		admin_show_text(s, r);
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
		return admin_fail(a, EX_PROTOCOL, "the server sent one report "
		    "in several answers; check that gp-client and gpd versions "
		    "match");
	if (s->meta == NULL || s->report == NULL)
		return admin_fail(a, EX_PROTOCOL, "the server's answer has no "
		    "report; check that gp-client and gpd versions match");
	a->proof_done = 1;
	return proof_check_stored(&a->po, a->proof, s, &a->proof_cause);
}

/*
 * show UNIT PERIOD --receipt FILE: the receipt is checked offline first
 * (certificate, signature), then against the revision it names on the
 * server (receipt, submission id, time, the recorded SHA-256 and the
 * SHA-256 of the stored bytes).
 */
static int
admin_show_receipt(struct admin *a, const struct admin_args *args)
{
	Gp__Request		 req;
	Gp__ShowRequest		 show = GP__SHOW_REQUEST__INIT;
	const struct proof	*p;
	char			*verdict = NULL;
	int			 status;

	proof_out_init(&a->po, a->json);
	if ((status = proof_read(args->receipt, &a->proof,
	    &a->proof_cause)) != 0)
		goto end;
	p = a->proof;
	if (strcmp(p->unit, args->operands[0]) != 0 ||
	    strcmp(p->period, args->operands[1]) != 0) {
		status = EX_DATAERR;
		if (asprintf(&a->proof_cause, "%s is a receipt for %s %s, not "
		    "%s %s", p->path, p->unit, p->period, args->operands[0],
		    args->operands[1]) == -1)
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
	status = admin_exchange(a, &req, GP__RESPONSE__BODY_SHOW, "a report",
	    admin_show_receipt_frame);
	if (!a->proof_done) {
		/* Not compared (no connection, refused): already said. */
		proof_out_clear(&a->po);
		return status;
	}
	if (status == 0 && asprintf(&verdict, "the server holds %s %s "
	    "revision %u, received %s with receipt %s, unchanged since",
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
admin_show(struct admin *a, int argc, char **argv)
{
	Gp__Request		 req;
	Gp__ShowRequest		 show = GP__SHOW_REQUEST__INIT;
	struct admin_args	 args;
	unsigned long		 n;
	char			*end;
	int			 status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 2)) != 0 ||
	    (status = admin_unit(a, args.operands[0])) != 0 ||
	    (status = admin_period(a, args.operands[1])) != 0)
		return status;
	if (args.receipt != NULL && args.revision != NULL)
		return admin_misuse(a, "--revision and --receipt exclude each "
		    "other: the receipt names its revision");
	if (args.receipt != NULL)
		return admin_show_receipt(a, &args);
	if (args.revision != NULL) {
		errno = 0;
		n = strtoul(args.revision, &end, 10);
		if (args.revision[0] < '1' || args.revision[0] > '9' ||
		    *end != '\0' || errno != 0 || n > UINT32_MAX)
			return admin_fail(a, EX_USAGE, "bad revision '%s': "
			    "give a revision number from 1, as history shows",
			    args.revision);
		show.has_revision = 1;
		show.revision = (uint32_t)n;
	}
	show.unit = args.operands[0];
	show.period = args.operands[1];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SHOW);
	req.show = &show;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SHOW, "a report",
	    admin_show_frame);
}

/* --- history ------------------------------------------------------------- */

static const struct table_column admin_history_columns[] = {
	{ "revision", 0, TABLE_RIGHT },
	{ "receipt", 0, TABLE_LEFT },
	{ "received_at", 0, TABLE_LEFT },
	{ "status", 0, TABLE_LEFT },
	{ "cert_cn", 0, TABLE_LEFT },
	{ "cert_fingerprint", 0, TABLE_LEFT },
	{ "activities", 0, TABLE_RIGHT },
	{ "sessions", 0, TABLE_RIGHT },
	{ "participants", 0, TABLE_RIGHT },
	{ "female", 0, TABLE_RIGHT },
	{ "changes", 0, TABLE_LEFT }
};

static void
admin_figures_of(const Gp__ReportRow *r, struct admin_figures *f)
{
	size_t	i;

	memset(f, 0, sizeof(*f));
	f->activities = r->activities;
	f->sessions = r->sessions;
	f->participants = r->participants;
	f->female = r->female;
	for (i = 0; i < r->n_indicators; i++) {
		if (r->indicators[i]->code == IND_UNSET ||
		    r->indicators[i]->code >= IND_COUNT)
			continue;
		f->total[r->indicators[i]->code] = r->indicators[i]->total;
		f->women[r->indicators[i]->code] = r->indicators[i]->female;
	}
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

/* What changed from prev to cur: "participants 448 → 478 (+30); ...",
 * NULL when nothing did (or out of memory: *nomem). */
static char *
admin_changes(const struct admin_figures *prev,
    const struct admin_figures *cur, json_t *changes, int *nomem)
{
	char		*text = NULL, field[64], shown[64];
	const char	*id;
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
	for (i = 1; i < IND_COUNT; i++) {
		id = report_label_id(report_indicators, IND_COUNT, (uint32_t)i);
		snprintf(field, sizeof(field), "%s.total", id);
		rv |= admin_change(field, id, prev->total[i], cur->total[i],
		    &text, changes);
		snprintf(field, sizeof(field), "%s.female", id);
		snprintf(shown, sizeof(shown), "%s women", id);
		rv |= admin_change(field, shown, prev->women[i],
		    cur->women[i], &text, changes);
	}
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
	char			 women[24];
	const char		*cells[11];
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
		if ((o = admin_json_row(r, 1)) != NULL &&
		    json_object_set_new(o, "changes", changes) == -1) {
			json_decref(o);
			o = NULL;
		} else if (o == NULL)
			json_decref(changes);
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
		table_row(&a->table, cells);
	} else {
		admin_line("revision %u  receipt %s", r->revision,
		    admin_text(r->receipt));
		admin_line("  received %s UTC  %s",
		    admin_when(r->received_at, when, sizeof(when)),
		    admin_lateness(r->late, r->days_late, late,
		    sizeof(late)));
		admin_line("  certificate %s  SHA-256 %s",
		    admin_text(r->cert_cn),
		    admin_fp_short(r->cert_fingerprint, fp, sizeof(fp)));
		admin_line("  activities %" PRIu64 "  sessions %" PRIu64
		    "  participants %" PRIu64 "  women %" PRIu64,
		    r->activities, r->sessions, r->participants, r->female);
		if (a->nitems == 0)
			admin_line("  first revision");
		else if (text == NULL)
			admin_line("  no change in the figures");
		else
			admin_line("  changed: %s", text);
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
		table_header(&a->table);
	else if (a->nitems == 0)
		admin_line("no reports");
	return admin_out(a);
}

static int
admin_history(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__HistoryRequest	history = GP__HISTORY_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 2)) != 0 ||
	    (status = admin_unit(a, args.operands[0])) != 0 ||
	    (status = admin_period(a, args.operands[1])) != 0)
		return status;
	table_init(&a->table, stdout, admin_history_columns, 11, TABLE_CSV);
	history.unit = args.operands[0];
	history.period = args.operands[1];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_HISTORY);
	req.history = &history;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_HISTORY,
	    "a history", admin_history_frame);
}

/* --- missing ------------------------------------------------------------- */

static const struct table_column admin_missing_columns[] = {
	{ "unit", 18, TABLE_LEFT },
	{ "name", 30, TABLE_LEFT },
	{ "status", 18, TABLE_LEFT },
	{ "received (UTC)", 16, TABLE_LEFT },
	{ "rev", 3, TABLE_RIGHT }
};

static const char *
admin_missing_status(const Gp__MissingRow *r, char *buf, size_t len)
{
	if (r->status == NULL || strcmp(r->status, "missing") == 0)
		return "nothing yet";
	if (strcmp(r->status, "on_time") == 0)
		return "on time";
	if (strcmp(r->status, "late") == 0)
		return admin_lateness(1, r->days_late, buf, len);
	return r->status;
}

/* "2 of 3 (66.7%)" */
static const char *
admin_rate(uint32_t n, uint32_t of, char *buf, size_t len)
{
	if (of == 0)
		snprintf(buf, len, "%u of 0", n);
	else
		snprintf(buf, len, "%u of %u (%.1f%%)", n, of,
		    100.0 * n / of);
	return buf;
}

static int
admin_missing_end(struct admin *a, const Gp__MissingResponse *m)
{
	char	r1[48], r2[48];

	if (a->json)
		return admin_json_close(a, json_pack("{s:I, s:I, s:I, s:o, "
		    "s:o, s:o, s:o, s:o}",
		    "expected", (json_int_t)m->expected,
		    "reported", (json_int_t)m->reported,
		    "on_time", (json_int_t)m->on_time,
		    "reported_percent", admin_json_share(m->reported,
		    m->expected),
		    "on_time_percent", admin_json_share(m->on_time,
		    m->expected),
		    "due", admin_json_text(m->due),
		    "coverage_from", admin_json_text(m->coverage_from),
		    "coverage_to", admin_json_text(m->coverage_to)));
	if (a->csv) {
		table_header(&a->table);
		return admin_out(a);
	}
	if (a->nitems == 0)
		admin_line("no unit is expected to report for %s", a->period);
	putchar('\n');
	admin_line("%s: coverage %s to %s, due %s", a->period,
	    admin_text(m->coverage_from), admin_text(m->coverage_to),
	    admin_text(m->due));
	admin_line("reported %s; on time %s",
	    admin_rate(m->reported, m->expected, r1, sizeof(r1)),
	    admin_rate(m->on_time, m->expected, r2, sizeof(r2)));
	return admin_out(a);
}

static int
admin_missing_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__MissingResponse	*m = resp->missing;
	const Gp__MissingRow		*r;
	const char			*cells[5];
	char				 st[48], when[24], rev[16];
	size_t				 i;
	int				 status;

	if (a->json && (status = admin_json_object(a, json_pack("{s:s}",
	    "period", a->period))) != 0)
		return status;
	for (i = 0; i < m->n_rows; i++) {
		r = m->rows[i];
		if (a->json) {
			if ((status = admin_json_item(a, json_pack("{s:o, "
			    "s:o, s:o, s:I, s:o, s:o}",
			    "unit", admin_json_text(r->unit),
			    "unit_name", admin_json_text(r->unit_name),
			    "status", admin_json_text(r->status),
			    "days_late", (json_int_t)r->days_late,
			    "received_at", admin_json_text(r->received_at),
			    "revision", r->has_revision && r->revision > 0 ?
			    json_integer(r->revision) : json_null()))) != 0)
				return status;
			continue;
		}
		cells[0] = r->unit;
		cells[1] = r->unit_name;
		cells[2] = admin_missing_status(r, st, sizeof(st));
		cells[3] = a->csv ? r->received_at :
		    admin_when(r->received_at, when, sizeof(when));
		cells[4] = r->has_revision && r->revision > 0 ?
		    admin_number(r->revision, rev, sizeof(rev)) : "";
		table_row(&a->table, cells);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_missing_end(a, m) : 0;
}

static int
admin_missing(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__MissingRequest	missing = GP__MISSING_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 1)) != 0 ||
	    (status = admin_period(a, args.operands[0])) != 0)
		return status;
	a->period = args.operands[0];
	table_init(&a->table, stdout, admin_missing_columns, 5,
	    a->csv ? TABLE_CSV : 0);
	missing.period = args.operands[0];
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_MISSING);
	req.missing = &missing;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_MISSING,
	    "a completeness list", admin_missing_frame);
}

/* --- summary ------------------------------------------------------------- */

/* CSV: key and label first. */
#define ADMIN_SUMMARY_NCOLUMNS	8
static const struct table_column admin_summary_csv[] = {
	{ "key", 0, TABLE_LEFT },
	{ "label", 0, TABLE_LEFT },
	{ "reports", 0, TABLE_RIGHT },
	{ "activities", 0, TABLE_RIGHT },
	{ "sessions", 0, TABLE_RIGHT },
	{ "participants", 0, TABLE_RIGHT },
	{ "women", 0, TABLE_RIGHT },
	{ "women %", 0, TABLE_RIGHT }
};

/* Text: the long Vietnamese label last, never cut; the key only for
 * units (their code). Headers 0 and 7 are set by --by. */
static const struct table_column admin_summary_text[] = {
	{ "unit", 18, TABLE_LEFT },
	{ "reports", 7, TABLE_RIGHT },
	{ "activities", 10, TABLE_RIGHT },
	{ "sessions", 8, TABLE_RIGHT },
	{ "participants", 12, TABLE_RIGHT },
	{ "women", 7, TABLE_RIGHT },
	{ "women %", 7, TABLE_RIGHT },
	{ "", 0, TABLE_LEFT }
};

static json_t *
admin_json_summary_row(const Gp__SummaryRow *r)
{
	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "key", admin_json_text(r->key),
	    "label", admin_json_text(r->label),
	    "reports", (json_int_t)r->reports,
	    "activities", (json_int_t)r->activities,
	    "sessions", (json_int_t)r->sessions,
	    "participants", (json_int_t)r->participants,
	    "female", (json_int_t)r->female,
	    "female_percent", admin_json_share(r->female, r->participants));
}

static void
admin_summary_cells(struct admin *a, const Gp__SummaryRow *r,
    const char *key, const char *label)
{
	char		 reports[24], acts[24], sessions[24], people[24];
	char		 women[24], share[16];
	const char	*cells[ADMIN_SUMMARY_NCOLUMNS + 1];

	/* Text order, with the label also in front for CSV. */
	cells[0] = label;
	cells[1] = key;
	cells[2] = admin_number(r->reports, reports, sizeof(reports));
	cells[3] = admin_number(r->activities, acts, sizeof(acts));
	cells[4] = admin_number(r->sessions, sessions, sizeof(sessions));
	cells[5] = admin_number(r->participants, people, sizeof(people));
	cells[6] = admin_number(r->female, women, sizeof(women));
	cells[7] = admin_share(r->female, r->participants, share,
	    sizeof(share));
	cells[8] = label;
	if (a->csv) {
		cells[0] = key;
		cells[1] = label;
		table_row(&a->table, cells);
	} else if (a->by != NULL && strcmp(a->by, "unit") == 0)
		table_row(&a->table, cells + 1);
	else
		table_row(&a->table, cells + 2);
}

static void
admin_summary_indicators(const Gp__SummaryResponse *s)
{
	struct table_column	 cols[4] = {
		{ "indicator", 0, TABLE_LEFT },
		{ "total", 10, TABLE_RIGHT },
		{ "women", 10, TABLE_RIGHT },
		{ "women %", 7, TABLE_RIGHT }
	};
	struct table		 t;
	const char		*cells[4];
	char			 total[24], women[24], share[16];
	size_t			 i, w;

	cols[0].width = table_width(cols[0].header);
	for (i = 0; i < s->n_indicators; i++)
		if ((w = table_width(s->indicators[i]->label)) > cols[0].width)
			cols[0].width = w;
	table_init(&t, stdout, cols, 4, 0);
	for (i = 0; i < s->n_indicators; i++) {
		cells[0] = s->indicators[i]->label != NULL ?
		    s->indicators[i]->label : s->indicators[i]->code;
		cells[1] = admin_number(s->indicators[i]->total, total,
		    sizeof(total));
		cells[2] = admin_number(s->indicators[i]->female, women,
		    sizeof(women));
		cells[3] = admin_share(s->indicators[i]->female,
		    s->indicators[i]->total, share, sizeof(share));
		table_row(&t, cells);
	}
}

static int
admin_summary_end(struct admin *a, const Gp__SummaryResponse *s)
{
	const Gp__IndicatorTotal	*it;
	json_t				*ind, *o;
	size_t				 i;

	if (a->json) {
		if ((ind = json_array()) != NULL) {
			for (i = 0; i < s->n_indicators; i++) {
				it = s->indicators[i];
				o = json_pack("{s:o, s:o, s:I, s:I, s:o}",
				    "code", admin_json_text(it->code),
				    "label", admin_json_text(it->label),
				    "total", (json_int_t)it->total,
				    "female", (json_int_t)it->female,
				    "female_percent", admin_json_share(
				    it->female, it->total));
				if (json_array_append_new(ind, o) == -1) {
					json_decref(ind);
					ind = NULL;
					break;
				}
			}
		}
		return admin_json_close(a, json_pack("{s:o, s:o, s:o}",
		    "total", s->total != NULL ?
		    admin_json_summary_row(s->total) : json_null(),
		    "indicators", ind,
		    "expected", s->has_expected ?
		    json_integer(s->expected) : json_null()));
	}
	if (s->total != NULL)
		admin_summary_cells(a, s->total, "total", "Tổng cộng");
	else
		table_header(&a->table);
	if (a->csv)
		return admin_out(a);
	if (s->n_indicators > 0) {
		putchar('\n');
		admin_summary_indicators(s);
	}
	putchar('\n');
	if (s->has_expected && s->total != NULL)
		admin_line("%s: %" PRIu64 " report%s from %u unit%s expected",
		    a->period, s->total->reports,
		    s->total->reports == 1 ? "" : "s", s->expected,
		    s->expected == 1 ? "" : "s");
	return admin_out(a);
}

static int
admin_summary_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__SummaryResponse	*s = resp->summary;
	size_t				 i;
	int				 status;

	if (a->json && (status = admin_json_object(a, json_pack("{s:s, s:o}",
	    "period", a->period, "by", admin_json_text(a->by)))) != 0)
		return status;
	for (i = 0; i < s->n_rows; i++) {
		if (a->json) {
			if ((status = admin_json_item(a,
			    admin_json_summary_row(s->rows[i]))) != 0)
				return status;
			continue;
		}
		admin_summary_cells(a, s->rows[i], s->rows[i]->key,
		    s->rows[i]->label);
		a->nitems++;
		if ((status = admin_out(a)) != 0)
			return status;
	}
	return last ? admin_summary_end(a, s) : 0;
}

static int
admin_summary(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__SummaryRequest	summary = GP__SUMMARY_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 1)) != 0 ||
	    (status = admin_period(a, args.operands[0])) != 0)
		return status;
	if (args.by != NULL && strcmp(args.by, "area") != 0 &&
	    strcmp(args.by, "unit") != 0 && strcmp(args.by, "occasion") != 0 &&
	    strcmp(args.by, "kind") != 0)
		return admin_fail(a, EX_USAGE, "bad --by '%s': give area, "
		    "unit, occasion or kind", args.by);
	a->period = args.operands[0];
	a->by = args.by;
	if (a->csv)
		table_init(&a->table, stdout, admin_summary_csv,
		    ADMIN_SUMMARY_NCOLUMNS, TABLE_CSV);
	else {
		memcpy(a->columns, admin_summary_text, sizeof(a->columns));
		a->columns[7].header = args.by == NULL ? "" :
		    strcmp(args.by, "unit") == 0 ? "name" : args.by;
		if (args.by != NULL && strcmp(args.by, "unit") == 0)
			table_init(&a->table, stdout, a->columns,
			    ADMIN_SUMMARY_NCOLUMNS, 0);
		else
			table_init(&a->table, stdout, a->columns + 1,
			    ADMIN_SUMMARY_NCOLUMNS - 1, 0);
	}
	summary.period = args.operands[0];
	summary.by = (char *)(uintptr_t)args.by;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_SUMMARY);
	req.summary = &summary;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_SUMMARY,
	    "a summary", admin_summary_frame);
}

/* --- export -------------------------------------------------------------- */

static int
admin_export_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__ExportResponse	*e = resp->export;
	char				*cause = NULL;
	size_t				 i;
	int				 status;

	(void)last;
	for (i = 0; i < e->n_rows; i++) {
		if (export_row(a->export, e->rows[i], &cause) == -1) {
			status = admin_fail(a, EX_IOERR, "%s", cause != NULL ?
			    cause : "out of memory");
			free(cause);
			return status;
		}
	}
	return 0;
}

static int
admin_export_summary_frame(struct admin *a, const Gp__Response *resp,
    int last)
{
	char	*cause = NULL;
	int	 status;

	if (export_summary(a->export, resp->summary, last, &cause) == -1) {
		status = admin_fail(a, EX_IOERR, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	return 0;
}

static int
admin_export(struct admin *a, int argc, char **argv)
{
	Gp__Request		 req;
	Gp__ExportRequest	 exp = GP__EXPORT_REQUEST__INIT;
	Gp__SummaryRequest	 summary = GP__SUMMARY_REQUEST__INIT;
	struct admin_args	 args;
	const char		*period;
	char			*cause = NULL;
	json_t			*o;
	int			 status, format;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 1)) != 0 ||
	    (status = admin_period(a, args.operands[0])) != 0)
		return status;
	period = args.operands[0];
	if (args.format == NULL || args.output == NULL)
		return admin_misuse(a, "both --format and -o are needed");
	if (export_format_parse(args.format, &format) == -1)
		return admin_fail(a, EX_USAGE, "bad --format '%s': give csv, "
		    "json or xlsx", args.format);
	if (format == EXPORT_XLSX && strcmp(args.output, "-") == 0)
		return admin_fail(a, EX_USAGE, "an xlsx file cannot go to "
		    "standard output: give -o FILE");

	if ((status = admin_connect(a)) != 0)
		return status;
	if ((a->export = export_open(format, args.output, period,
	    &cause)) == NULL) {
		status = admin_fail(a, EX_CANTCREAT, "%s", cause != NULL ?
		    cause : "out of memory");
		free(cause);
		return status;
	}
	/* Standard output now carries the export itself. */
	if (strcmp(args.output, "-") == 0)
		a->started = 1;

	exp.period = (char *)(uintptr_t)period;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_EXPORT);
	req.export = &exp;
	if ((status = admin_exchange(a, &req, GP__RESPONSE__BODY_EXPORT,
	    "activity rows", admin_export_frame)) != 0)
		return status;
	if (export_wants_summary(a->export)) {
		summary.period = (char *)(uintptr_t)period;
		summary.by = (char *)(uintptr_t)"area";
		admin_request(&req, ADMIN_SUMMARY_ID,
		    GP__REQUEST__BODY_SUMMARY);
		req.summary = &summary;
		if ((status = admin_exchange(a, &req,
		    GP__RESPONSE__BODY_SUMMARY, "a summary",
		    admin_export_summary_frame)) != 0)
			return status;
	}
	if (export_close(a->export, &cause) == -1) {
		status = admin_fail(a, EX_IOERR, "%s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return status;
	}
	if (strcmp(args.output, "-") == 0)
		return EX_OK;
	if (a->json) {
		o = json_pack("{s:s, s:s, s:o, s:s, s:I}", "status", "ok",
		    "period", period, "file", admin_json_text(args.output),
		    "format", args.format,
		    "rows", (json_int_t)export_nrows(a->export));
		if (o == NULL)
			return admin_fail(a, EX_OSERR, "out of memory");
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else
		admin_line("wrote %zu activit%s of %s to %s",
		    export_nrows(a->export),
		    export_nrows(a->export) == 1 ? "y" : "ies", period,
		    args.output);
	return admin_out(a);
}

/* --- lock, unlock -------------------------------------------------------- */

static int
admin_lock_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__LockResponse	*l = resp->lock;
	const char		*period = l->period != NULL ? l->period :
				    a->period;
	json_t			*o;

	(void)last;
	if (a->json) {
		if ((o = json_pack("{s:o, s:b, s:b}", "period",
		    admin_json_text(period), "locked", l->locked ? 1 : 0,
		    "changed", l->changed ? 1 : 0)) == NULL)
			return admin_fail(a, EX_OSERR, "out of memory");
		admin_json_dump(o);
		json_decref(o);
		fputc('\n', stdout);
	} else if (l->changed)
		admin_line("%s %s: %s", l->locked ? "locked" : "unlocked",
		    period, l->locked ? "no new revisions are accepted" :
		    "revisions are accepted again");
	else
		admin_line("%s was already %s", period, l->locked ? "locked" :
		    "unlocked");
	return admin_out(a);
}

static int
admin_lock(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__LockRequest		lock = GP__LOCK_REQUEST__INIT;
	struct admin_args	args;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 1)) != 0 ||
	    (status = admin_period(a, args.operands[0])) != 0)
		return status;
	a->period = args.operands[0];
	lock.period = args.operands[0];
	lock.has_lock = 1;
	lock.lock = strcmp(a->name, "lock") == 0;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_LOCK);
	req.lock = &lock;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_LOCK,
	    "a lock state", admin_lock_frame);
}

/* --- audit --------------------------------------------------------------- */

/* The chain hash is a CSV column only: the table is wide enough. */
#define ADMIN_AUDIT_TEXT_COLUMNS	8
static const struct table_column admin_audit_columns[] = {
	{ "time (UTC)", 19, TABLE_LEFT },
	{ "cn", 16, TABLE_LEFT },
	{ "fingerprint", 17, TABLE_LEFT },
	{ "action", 8, TABLE_LEFT },
	{ "unit", 16, TABLE_LEFT },
	{ "period", 7, TABLE_LEFT },
	{ "result", 10, TABLE_LEFT },
	{ "detail", 0, TABLE_LEFT },
	{ "hash", 0, TABLE_LEFT }
};

/* The head of the chain, from the last frame: {"id":..,"hash":..} or
 * null for a server that sends none. */
static json_t *
admin_json_head(const Gp__AuditResponse *au)
{
	if (au->head_hash == NULL)
		return json_null();
	return json_pack("{s:I, s:o}", "id", (json_int_t)au->head_id,
	    "hash", admin_json_text(au->head_hash));
}

static int
admin_audit_frame(struct admin *a, const Gp__Response *resp, int last)
{
	const Gp__AuditResponse	*au = resp->audit;
	const Gp__AuditEntry	*e;
	const char		*cells[9];
	char			 when[32], fp[32];
	struct tm		 tm;
	time_t			 t;
	size_t			 i;
	int			 status;

	if (a->json && (status = admin_json_object(a, json_object())) != 0)
		return status;
	for (i = 0; i < au->n_entries; i++) {
		e = au->entries[i];
		if (a->json) {
			if ((status = admin_json_item(a, json_pack("{s:I, s:I, "
			    "s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			    "id", (json_int_t)e->id,
			    "at", (json_int_t)e->at,
			    "cn", admin_json_text(e->cn),
			    "fingerprint", admin_json_text(e->fingerprint),
			    "action", admin_json_text(e->action),
			    "unit", admin_json_text(e->unit),
			    "period", admin_json_text(e->period),
			    "result", admin_json_text(e->result),
			    "detail", admin_json_text(e->detail),
			    "hash", admin_json_text(e->hash)))) != 0)
				return status;
			continue;
		}
		t = (time_t)e->at;
		if (gmtime_r(&t, &tm) == NULL || strftime(when, sizeof(when),
		    a->csv ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
		    &tm) == 0)
			snprintf(when, sizeof(when), "%" PRId64, e->at);
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
		table_row(&a->table, cells);
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
		table_header(&a->table);
	else
		admin_line("nothing in the audit trail");
	if (!a->csv && au->head_hash != NULL)
		admin_line("audit head: id %" PRId64 " hash %s", au->head_id,
		    au->head_hash);
	return admin_out(a);
}

static int
admin_audit(struct admin *a, int argc, char **argv)
{
	Gp__Request		req;
	Gp__AuditRequest	audit = GP__AUDIT_REQUEST__INIT;
	struct admin_args	args;
	int64_t			since;
	int			status;

	if ((status = admin_parse(a, argc, argv, &args)) != 0 ||
	    (status = admin_operands(a, &args, 0)) != 0)
		return status;
	if (args.unit != NULL && (status = admin_unit(a, args.unit)) != 0)
		return status;
	if (args.since != NULL) {
		if (admin_since(args.since, &since) == -1)
			return admin_fail(a, EX_USAGE, "bad --since '%s': give "
			    "a date (2022-06-10) or a time "
			    "(2022-06-10T08:00:00+07:00)", args.since);
		audit.has_since = 1;
		audit.since = since;
	}
	table_init(&a->table, stdout, admin_audit_columns, a->csv ?
	    sizeof(admin_audit_columns) / sizeof(admin_audit_columns[0]) :
	    ADMIN_AUDIT_TEXT_COLUMNS, a->csv ? TABLE_CSV : 0);
	audit.unit = (char *)(uintptr_t)args.unit;
	admin_request(&req, ADMIN_REQUEST_ID, GP__REQUEST__BODY_AUDIT);
	req.audit = &audit;
	return admin_exchange(a, &req, GP__RESPONSE__BODY_AUDIT,
	    "an audit trail", admin_audit_frame);
}

/* --- entry --------------------------------------------------------------- */

int
admin_run(const struct conn_config *cfg, int json, int csv,
    const char *usage, int argc, char **argv)
{
	struct admin	a;
	size_t		i;
	int		status;

	memset(&a, 0, sizeof(a));
	a.cfg = cfg;
	a.json = json;
	a.csv = csv;
	a.name = argv[0];
	a.usage = usage;
	for (i = 0; i < sizeof(admin_cmds) / sizeof(admin_cmds[0]); i++)
		if (strcmp(argv[0], admin_cmds[i].name) == 0)
			break;
	if (i == sizeof(admin_cmds) / sizeof(admin_cmds[0]))
		return admin_fail(&a, EX_SOFTWARE, "no administration command "
		    "'%s'", argv[0]);
	a.cmd = &admin_cmds[i];
	status = a.cmd->run(&a, argc, argv);
	proof_free(a.proof);
	free(a.proof_cause);
	export_free(a.export);
	conn_free(a.conn);
	return status;
}
