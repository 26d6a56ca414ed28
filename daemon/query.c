/*
 * Read requests: the registry, lists, one report and its history,
 * completeness, totals, exports, the audit, and who the peer is. Each
 * reads through a connection of the worker's pool (readers.h): a one-shot
 * answer gives it back before it returns, a streamed answer keeps its own
 * for as long as it lasts and sends frames of REPLY_CHUNK_ROWS rows as
 * the peer reads them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "form.h"
#include "log.h"
#include "period.h"
#include "query.h"
#include "readers.h"
#include "reply.h"
#include "report.h"
#include "report_diff.h"
#include "request.h"
#include "review.h"
#include "settings.h"
#include "store.h"
#include "tz.h"
#include "units.h"
#include "validate.h"
#include "wire.h"

enum query_kind {
	QUERY_UNITS,
	QUERY_REPORTS,		/* list, history */
	QUERY_MISSING,
	QUERY_SUMMARY,
	QUERY_EXPORT,
	QUERY_STORED,		/* reports in full */
	QUERY_AUDIT
};

enum query_by {
	BY_NONE,
	BY_AREA,
	BY_KIND,
	BY_OCCASION,
	BY_STATUS,
	BY_UNIT,
	BY_TYPE		/* the units' types, of the registry */
};

struct query_stream {
	struct stream		 hs;		/* first: the stream itself */
	struct peer		*peer;
	struct store		*db;		/* its own snapshot */
	int			 kind;		/* enum query_kind */
	int			 by;		/* enum query_by */
	int			 with_indicators;
	struct store_cursor	*cursor;
	int			 cursor_done;
	struct period		 period;
	const struct form	*form;		/* the period's, of p->set */
	char			 period_id[REPORT_MAX_PERIOD + 1];
	size_t			 next_unit;	/* registry position */
	/* Missing: the next unit that reported, read ahead; the period's
	 * extensions, by unit, read ahead the same way. */
	int			 have_reported;
	char			 reported_unit[REPORT_MAX_UNIT + 1];
	struct store_missing_row reported;
	char			 reported_state[16];
	uint32_t		 expected, nreported, on_time;
	uint32_t		 nreturned, naccepted;
	int			 call_list;	/* missing --call-list */
	int			 counts;	/* missing --counts */
	int32_t			 today;
	struct store_cursor	*ext_cursor;
	int			 have_ext;
	char			 ext_unit[REPORT_MAX_UNIT + 1];
	char			 ext_until[DATE_LEN + 1];
	char			 ext_reason[REPORT_MAX_SHORT + 1];
	int			 labels_sent;	/* export: output labels */
	int			 accepted;	/* summary, export */
	/* history: the decisions first, then the revisions */
	struct store_cursor	*decisions;
	/* list, history: frames sent; history: the revision before, to say
	 * what changed */
	unsigned int		 frames;
	const char		*unit;		/* asked for, in the request */
	char			 unit_buf[REPORT_MAX_UNIT + 1];
	struct report		*prev;
	struct report_errors	*errs;
	struct report_changes	*changes;
};

static void
query_stream_free(struct stream *hs)
{
	struct query_stream	*qs = (struct query_stream *)hs;

	if (qs == NULL)
		return;
	store_cursor_close(qs->decisions);
	report_free(qs->prev);
	free(qs->errs);
	free(qs->changes);
	store_cursor_close(qs->ext_cursor);
	store_cursor_close(qs->cursor);
	readers_put(qs->peer->readers, qs->db);
	free(qs);
}

static enum request_result
query_internal(struct peer *p, struct reply *hr, struct store *db)
{
	log_warnx("session=%" PRIu64 " query failed: %s", p->id,
	    db != NULL ? store_error(db) : "no connection");
	reply_error(hr, GP__ERROR_CODE__INTERNAL,
	    "the server could not read the database; try again later");
	return REQUEST_REPLIED;
}

static enum request_result
query_nomem(struct reply *hr)
{
	reply_error(hr, GP__ERROR_CODE__INTERNAL,
	    "the server is out of memory; try again later");
	return REQUEST_REPLIED;
}

/* Every reader is taken: a clear answer to come back later. */
static enum request_result
query_busy(struct peer *p, struct reply *hr, const char *why)
{
	log_warnx("session=%" PRIu64 " query refused: %s", p->id, why);
	reply_error(hr, GP__ERROR_CODE__BUSY, "the server is busy (%s); "
	    "try again in %d seconds", why, QUERY_RETRY_BUSY);
	hr->error.retry_after = QUERY_RETRY_BUSY;
	hr->error.has_retry_after = 1;
	return REQUEST_REPLIED;
}

/*
 * A stream with a connection of its own, or NULL with the reply made
 * (*rv set).
 */
static struct query_stream *
query_stream_new(struct peer *p, struct reply *hr, int kind,
    int (*next)(struct stream *, struct reply *), int with_db,
    enum request_result *rv)
{
	struct query_stream	*qs;
	const char		*errstr;

	if ((qs = calloc(1, sizeof(*qs))) == NULL) {
		*rv = query_nomem(hr);
		return NULL;
	}
	qs->peer = p;
	qs->kind = kind;
	qs->hs.next = next;
	qs->hs.free = query_stream_free;
	if (with_db && (qs->db = readers_get(p->readers, &errstr)) == NULL) {
		free(qs);
		*rv = query_busy(p, hr, errstr);
		return NULL;
	}
	*rv = REQUEST_STREAM;
	return qs;
}

/* Checks a requested period: its year must have a form, whose dates
 * and labels the answer uses (*form, when not NULL). */
static int
query_period(struct peer *p, struct reply *hr, const char *id,
    struct period *pd, const struct form **form)
{
	const struct form	*f;
	char			*cause;

	if (id == NULL) {
		reply_invalid(hr, "period", "required", "no period given");
		return -1;
	}
	if (form_set_period(p->set->forms, id, &f, pd, &cause) == -1) {
		if (cause == NULL)
			query_nomem(hr);
		else if (strncmp(cause, "no form", 7) == 0)
			reply_invalid(hr, "period", cause, cause);
		else
			reply_invalid(hr, "period", cause,
			    "not a period: give YYYY-H1 or YYYY");
		free(cause);
		return -1;
	}
	if (form != NULL)
		*form = f;
	return 0;
}

/*
 * A unit certificate reads its own unit only: *unit becomes the
 * certificate's when none was asked for. Returns 0, or -1 with the
 * refusal queued (the caller returns REQUEST_PENDING).
 */
static int
query_own(struct peer *p, struct reply *hr, const char *what,
    const char *period, const char **unit, enum request_result *rv)
{
	if (p->role == ROLE_ADMIN)
		return 0;
	if (*unit == NULL) {
		*unit = p->cn;
		return 0;
	}
	if (strcmp(*unit, p->cn) == 0)
		return 0;
	/* On record with the unit that was asked for (request_refuse puts
	 * it in the audit's unit column, or quoted in the detail). */
	reply_error(hr, GP__ERROR_CODE__PERMISSION_DENIED, "permission "
	    "denied: certificate %s may read only its own unit's reports, "
	    "not %s's", p->cn, request_printable(*unit, REPORT_MAX_UNIT));
	*rv = request_refuse(p, hr, what, "another unit's reports", *unit,
	    period, "certificate may read only its own unit's reports");
	return -1;
}

/*
 * Nothing stored for a unit and period: a unit of the registry that has
 * not reported (NOT_FOUND, gp-client exit 66), or a code the registry
 * does not know (INVALID, exit 65). revision > 0: that revision.
 */
static enum request_result
query_absent(struct peer *p, struct reply *hr, const char *unit,
    const char *period, uint32_t revision)
{
	if (units_find(p->set->units, unit) == NULL)
		reply_error(hr, GP__ERROR_CODE__INVALID, "unit %s is not in the "
		    "unit registry: check the code (gp-client units lists "
		    "them)", unit);
	else if (revision > 0)
		reply_error(hr, GP__ERROR_CODE__NOT_FOUND, "no such report: %s "
		    "has no revision %u for %s", unit, revision, period);
	else
		reply_error(hr, GP__ERROR_CODE__NOT_FOUND, "no such report: %s "
		    "has not reported for %s", unit, period);
	return REQUEST_REPLIED;
}

/* The zone of the times an answer carries (UTC), in every frame. */
static char *
query_zone(const struct peer *p)
{
	return (char *)(uintptr_t)tz_name(p->set->zone);
}

/* Figures of done or planned activities, in hr. */
static Gp__Figures *
query_figures(struct reply *hr, uint64_t activities, uint64_t sessions,
    uint64_t participants, uint64_t female)
{
	Gp__Figures	*f;

	if ((f = reply_alloc(hr, sizeof(*f))) == NULL)
		return NULL;
	gp__figures__init(f);
	f->activities = activities;
	f->has_activities = 1;
	f->sessions = sessions;
	f->has_sessions = 1;
	f->participants = participants;
	f->has_participants = 1;
	f->female = female;
	f->has_female = 1;
	return f;
}

/* Done is every activity but the planned ones: the store keeps both
 * sums, never one added into the other. */
static uint64_t
query_minus(uint64_t all, uint64_t part)
{
	return all > part ? all - part : 0;
}

static int
query_unit_arg(struct reply *hr, const char *unit)
{
	if (unit != NULL && validate_unit_code(unit) == -1) {
		reply_invalid(hr, "unit", "not a unit code", "not a unit code");
		return -1;
	}
	return 0;
}

/* The unit's registry name, or NULL for a unit no longer listed. */
static const char *
query_unit_name(struct peer *p, const char *code)
{
	const struct unit	*u;

	if (code == NULL || (u = units_find(p->set->units, code)) == NULL)
		return NULL;
	return u->name;
}

int
query_due(struct store *db, const char *unit, const char *period_id,
    const struct period *pd, int32_t *due, int *extended)
{
	char	until[DATE_LEN + 1];
	int	rc;

	*due = pd->due;
	if (extended != NULL)
		*extended = 0;
	if ((rc = store_extension(db, unit, period_id, until, NULL, 0)) != 1)
		return rc;
	/* Dates are checked before they are stored (extend.c). */
	if (date_parse(until, due) == -1) {
		*due = pd->due;
		return 0;
	}
	if (extended != NULL)
		*extended = 1;
	return 0;
}

/* 64 hex digits of a stored hash, in hr; NULL for none. */
static char *
query_hex(struct reply *hr, const uint8_t *hash)
{
	char	*hex;

	if (hash == NULL || (hex = reply_alloc(hr, 2 * STORE_HASH_LEN + 1))
	    == NULL)
		return NULL;
	report_hex(hash, STORE_HASH_LEN, hex);
	return hex;
}

/* A stored report as a ReportRow allocated in hr. */
static Gp__ReportRow *
query_report_row(struct peer *p, struct reply *hr,
    const struct store_report_row *row)
{
	Gp__ReportRow	*rr;

	if ((rr = reply_alloc(hr, sizeof(*rr))) == NULL)
		return NULL;
	gp__report_row__init(rr);
	rr->unit = reply_strdup(hr, row->unit);
	rr->unit_name = reply_strdup(hr, query_unit_name(p, row->unit));
	rr->period = reply_strdup(hr, row->period);
	rr->revision = row->revision;
	rr->has_revision = 1;
	rr->received_at = reply_time(hr, row->received_at);
	/* Lateness as judged when the revision was stored. */
	rr->late = row->late != 0;
	rr->has_late = 1;
	rr->days_late = row->days_late;
	rr->has_days_late = 1;
	rr->due = reply_strdup(hr, row->due);
	rr->extended = row->extended != 0;
	rr->has_extended = 1;
	rr->activities = row->activities;
	rr->has_activities = 1;
	rr->sessions = row->sessions;
	rr->has_sessions = 1;
	rr->participants = row->participants;
	rr->has_participants = 1;
	rr->female = row->female;
	rr->has_female = 1;
	if ((rr->done = query_figures(hr, query_minus(row->activities,
	    row->planned_activities), query_minus(row->sessions,
	    row->planned_sessions), query_minus(row->participants,
	    row->planned_participants), query_minus(row->female,
	    row->planned_female))) == NULL ||
	    (rr->planned = query_figures(hr, row->planned_activities,
	    row->planned_sessions, row->planned_participants,
	    row->planned_female)) == NULL)
		return NULL;
	rr->receipt = reply_strdup(hr, row->receipt);
	rr->submission_id = reply_strdup(hr, row->submission_id);
	rr->cert_cn = reply_strdup(hr, row->cert_cn);
	rr->cert_fingerprint = reply_strdup(hr, row->cert_fingerprint);
	rr->report_sha256 = query_hex(hr, row->content_hash);
	rr->form_sha256 = query_hex(hr, row->form_sha256);
	rr->review_state = reply_strdup(hr, row->review_state);
	return rr;
}

/* The indicators of one stored report, into rr. */
static int
query_report_indicators(struct store *db, struct reply *hr,
    Gp__ReportRow *rr, int64_t report_id)
{
	struct store_args		 args;
	struct store_cursor		*c;
	struct store_indicator_row	 row;
	Gp__Indicator			*ind;
	int				 rc;

	memset(&args, 0, sizeof(args));
	args.report_id = report_id;
	if ((c = store_query(db, STORE_Q_INDICATORS_OF, &args)) == NULL)
		return -1;
	if ((rr->indicators = reply_alloc(hr, REPORT_MAX_INDICATORS *
	    sizeof(*rr->indicators))) == NULL) {
		store_cursor_close(c);
		return -1;
	}
	while (rr->n_indicators < REPORT_MAX_INDICATORS &&
	    (rc = store_next_indicator(c, &row)) == 1) {
		if ((ind = reply_alloc(hr, sizeof(*ind))) == NULL)
			break;
		gp__indicator__init(ind);
		if (row.code != NULL) {
			ind->code.len = strlen(row.code);
			if ((ind->code.data = (uint8_t *)reply_strdup(hr,
			    row.code)) == NULL)
				break;
			ind->has_code = 1;
		}
		ind->total = row.total;
		ind->has_total = 1;
		ind->female = row.female;
		ind->has_female = row.has_female != 0;
		rr->indicators[rr->n_indicators++] = ind;
	}
	store_cursor_close(c);
	return 0;
}

/* units */

static int
query_units_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	const struct units	*u = p->set->units;
	const struct unit	*v;
	Gp__UnitsResponse	*ur;
	Gp__UnitInfo		*ui;

	if ((ur = reply_alloc(hr, sizeof(*ur))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__units_response__init(ur);
	if ((ur->units = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*ur->units))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	for (; qs->next_unit < u->n && ur->n_units < REPLY_CHUNK_ROWS;
	    qs->next_unit++) {
		v = &u->v[qs->next_unit];
		if ((ui = reply_alloc(hr, sizeof(*ui))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__unit_info__init(ui);
		ui->code = v->code;
		ui->name = v->name;
		ui->type = v->type;
		ui->type_label = (char *)(uintptr_t)v->type_label;
		ui->contact = v->contact;
		ui->phone = v->phone;
		ui->email = v->email;
		if (v->valid_from != INT32_MIN)
			ui->valid_from = reply_date(hr, v->valid_from);
		if (v->valid_to != INT32_MAX)
			ui->valid_to = reply_date(hr, v->valid_to);
		ur->units[ur->n_units++] = ui;
	}
	hr->resp.body_case = GP__RESPONSE__BODY_UNITS;
	hr->resp.units = ur;
	reply_more(hr, qs->next_unit < u->n);
	return 0;
}

enum request_result
query_units(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	struct query_stream	*qs;
	enum request_result	 rv;

	(void)req;
	if ((qs = query_stream_new(p, hr, QUERY_UNITS, query_units_next, 0,
	    &rv)) != NULL)
		*out = &qs->hs;
	return rv;
}

/* list, history */

/* A frame of the decisions on a report, before its revisions; 1 when
 * there is none and the revisions' frame is to be made instead. */
static int
query_decisions_next(struct query_stream *qs, struct reply *hr)
{
	struct store_review_row	 row;
	Gp__HistoryResponse	*h;
	Gp__Decision		*d;
	int			 rc = 0;

	if ((h = reply_alloc(hr, sizeof(*h))) == NULL)
		goto nomem;
	gp__history_response__init(h);
	if ((h->decisions = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*h->decisions))) == NULL)
		goto nomem;
	while (h->n_decisions < REPLY_CHUNK_ROWS &&
	    (rc = store_next_review(qs->decisions, &row)) == 1) {
		if ((d = review_decision(hr, &row)) == NULL)
			goto nomem;
		h->decisions[h->n_decisions++] = d;
	}
	if (rc == -1) {
		query_internal(qs->peer, hr, qs->db);
		return -1;
	}
	if (rc == 0) {
		store_cursor_close(qs->decisions);
		qs->decisions = NULL;
		/* None at all: the revisions come first, and a unit with
		 * nothing stored is said to be absent as show says it. */
		if (h->n_decisions == 0)
			return 1;
	}
	h->timezone = query_zone(qs->peer);
	hr->resp.body_case = GP__RESPONSE__BODY_HISTORY;
	hr->resp.history = h;
	/* The revisions follow. */
	reply_more(hr, 1);
	return 0;
nomem:
	query_nomem(hr);
	return -1;
}

/* history: the stored bytes of a revision, decoded into *out. */
static int
query_history_raw(void *arg, const void *raw, size_t len)
{
	struct query_stream	*qs = arg;
	struct report		*r = NULL;
	const char		*errstr;
	int			 legacy;

	report_errors_clear(qs->errs);
	if (report_unpack(raw, len, &r, &legacy, qs->errs, &errstr) == -1)
		return -1;
	report_free(qs->prev);
	qs->prev = r;
	return 0;
}

/*
 * history: what changed in the report from the revision before, into
 * rr. A revision whose bytes no longer decode (verify-audit names it)
 * shows no changes, and the next is compared with nothing.
 */
static int
query_history_changes(struct query_stream *qs, struct reply *hr,
    Gp__ReportRow *rr, int64_t report_id)
{
	struct report		*before = qs->prev;
	struct report_change	*c;
	Gp__Change		*ch;
	size_t			 i;
	int			 rv = 0;

	qs->prev = NULL;
	if (store_show_raw(qs->db, report_id, qs, query_history_raw) == -1 ||
	    before == NULL) {
		report_free(before);
		return 0;
	}
	report_diff(before, qs->prev, qs->changes);
	report_free(before);
	if (qs->changes->n > 0 && (rr->changes = reply_alloc(hr,
	    qs->changes->n * sizeof(*rr->changes))) == NULL)
		return -1;
	for (i = 0; i < qs->changes->n; i++) {
		c = &qs->changes->c[i];
		if ((ch = reply_alloc(hr, sizeof(*ch))) == NULL ||
		    (gp__change__init(ch),
		    ch->field = reply_strdup(hr, c->field)) == NULL ||
		    (c->has_before && (ch->before = reply_strdup(hr,
		    c->before)) == NULL) ||
		    (c->has_after && (ch->after = reply_strdup(hr,
		    c->after)) == NULL)) {
			rv = -1;
			break;
		}
		rr->changes[rr->n_changes++] = ch;
	}
	if (qs->changes->more > 0) {
		rr->more_changes = (uint32_t)qs->changes->more;
		rr->has_more_changes = 1;
	}
	return rv;
}

static int
query_reports_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	struct store_report_row	 row;
	Gp__ReportRow		**rows, *rr;
	size_t			 n = 0;
	int			 rc = 0;

	if ((rows = reply_alloc(hr, REPLY_CHUNK_ROWS * sizeof(*rows)))
	    == NULL) {
		query_nomem(hr);
		return -1;
	}
	if (qs->decisions != NULL && (rc = query_decisions_next(qs, hr)) !=
	    1)
		return rc;
	rc = 0;
	while (n < REPLY_CHUNK_ROWS &&
	    (rc = store_next_report(qs->cursor, &row)) == 1) {
		if ((rr = query_report_row(p, hr, &row)) == NULL ||
		    (qs->with_indicators && (query_report_indicators(qs->db,
		    hr, rr, row.id) == -1 || query_history_changes(qs, hr, rr,
		    row.id) == -1))) {
			query_nomem(hr);
			return -1;
		}
		rows[n++] = rr;
	}
	if (rc == -1) {
		query_internal(p, hr, qs->db);
		return -1;
	}
	/* Nothing at all for one unit: said as show says it. A list of
	 * every unit may well be empty. */
	if (qs->frames++ == 0 && n == 0 && qs->unit != NULL &&
	    (qs->with_indicators || units_find(p->set->units, qs->unit) ==
	    NULL)) {
		query_absent(p, hr, qs->unit, qs->period_id, 0);
		return -1;
	}
	if (qs->with_indicators) {
		Gp__HistoryResponse	*h;

		if ((h = reply_alloc(hr, sizeof(*h))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__history_response__init(h);
		h->n_revisions = n;
		h->revisions = rows;
		h->timezone = query_zone(p);
		hr->resp.body_case = GP__RESPONSE__BODY_HISTORY;
		hr->resp.history = h;
	} else {
		Gp__ListResponse	*l;

		if ((l = reply_alloc(hr, sizeof(*l))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__list_response__init(l);
		l->n_rows = n;
		l->rows = rows;
		l->timezone = query_zone(p);
		hr->resp.body_case = GP__RESPONSE__BODY_LIST;
		hr->resp.list = l;
	}
	reply_more(hr, rc == 1);
	return 0;
}

static enum request_result
query_reports(struct peer *p, struct reply *hr, enum store_query q,
    const char *period, const char *unit, struct stream **out)
{
	struct query_stream	*qs;
	struct store_args	 args;
	enum request_result	 rv;

	memset(&args, 0, sizeof(args));
	args.period = period;
	args.unit = unit;
	if ((qs = query_stream_new(p, hr, QUERY_REPORTS, query_reports_next, 1,
	    &rv)) == NULL)
		return rv;
	qs->with_indicators = q == STORE_Q_HISTORY;
	if (unit != NULL) {
		snprintf(qs->unit_buf, sizeof(qs->unit_buf), "%s", unit);
		qs->unit = qs->unit_buf;
	}
	if (period != NULL)
		snprintf(qs->period_id, sizeof(qs->period_id), "%s", period);
	if (qs->with_indicators && ((qs->errs = calloc(1,
	    sizeof(*qs->errs))) == NULL || (qs->changes = calloc(1,
	    sizeof(*qs->changes))) == NULL)) {
		query_stream_free(&qs->hs);
		return query_nomem(hr);
	}
	if ((qs->cursor = store_query(qs->db, q, &args)) == NULL ||
	    (q == STORE_Q_HISTORY && (qs->decisions = store_query(qs->db,
	    STORE_Q_REVIEWS, &args)) == NULL)) {
		rv = query_internal(p, hr, qs->db);
		query_stream_free(&qs->hs);
		return rv;
	}
	*out = &qs->hs;
	return REQUEST_STREAM;
}

enum request_result
query_list(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const char		*period = req->list->period;
	const char		*unit = req->list->unit;
	struct period		 pd;
	enum request_result	 rv;

	if (period != NULL && query_period(p, hr, period, &pd, NULL) == -1)
		return REQUEST_REPLIED;
	if (query_unit_arg(hr, unit) == -1)
		return REQUEST_REPLIED;
	if (query_own(p, hr, "list", period, &unit, &rv) == -1)
		return rv;
	return query_reports(p, hr, STORE_Q_LIST, period, unit, out);
}

enum request_result
query_history(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const char		*unit = req->history->unit;
	struct period		 pd;
	enum request_result	 rv;

	if (query_period(p, hr, req->history->period, &pd, NULL) == -1)
		return REQUEST_REPLIED;
	if (unit == NULL) {
		reply_invalid(hr, "unit", "required", "no unit given");
		return REQUEST_REPLIED;
	}
	if (query_unit_arg(hr, unit) == -1)
		return REQUEST_REPLIED;
	if (query_own(p, hr, "history", req->history->period, &unit, &rv)
	    == -1)
		return rv;
	return query_reports(p, hr, STORE_Q_HISTORY, req->history->period,
	    unit, out);
}

/* show */

/*
 * The stored bytes as a Report of this schema: a revision stored before
 * report forms is decoded the old way, and its bytes go along (raw) for
 * the receipt that covers them.
 */
struct query_show_arg {
	struct reply		*hr;
	Gp__ShowResponse	*show;
};

static int
query_show_raw(void *arg, const void *raw, size_t len)
{
	struct query_show_arg	*sa = arg;
	struct reply		*hr = sa->hr;
	struct report_errors	*errs;
	const char		*errstr;
	int			 legacy = 0, rv = -1;

	if ((errs = calloc(1, sizeof(*errs))) == NULL)
		return -1;
	if (report_unpack(raw, len, &hr->model, &legacy, errs, &errstr) == 0 &&
	    (hr->built = wire_report_new(hr->model)) != NULL) {
		sa->show->report = hr->built;
		rv = 0;
		if (legacy) {
			if ((sa->show->raw.data = reply_alloc(hr, len)) == NULL)
				rv = -1;
			else {
				memcpy(sa->show->raw.data, raw, len);
				sa->show->raw.len = len;
				sa->show->has_raw = 1;
			}
		}
	}
	free(errs);
	return rv;
}

/* One revision, its bytes and its warnings, all from one snapshot. */
static enum request_result
query_show_read(struct peer *p, struct store *db, struct reply *hr,
    const struct store_args *args)
{
	struct store_args	 wargs;
	struct store_cursor	*c;
	struct store_report_row	 row;
	struct query_show_arg	 sa;
	Gp__ShowResponse	*show;
	const char		*field, *message;
	int64_t			 report_id;
	size_t			 len;
	int			 rc;

	if ((c = store_query(db, STORE_Q_SHOW, args)) == NULL)
		return query_internal(p, hr, db);
	if ((rc = store_next_report(c, &row)) != 1) {
		store_cursor_close(c);
		if (rc == -1)
			return query_internal(p, hr, db);
		return query_absent(p, hr, args->unit, args->period,
		    args->revision);
	}
	if ((show = reply_alloc(hr, sizeof(*show))) == NULL) {
		store_cursor_close(c);
		return query_nomem(hr);
	}
	gp__show_response__init(show);
	show->meta = query_report_row(p, hr, &row);
	report_id = row.id;
	store_cursor_close(c);
	if (show->meta == NULL)
		return query_nomem(hr);
	sa.hr = hr;
	sa.show = show;
	if (store_show_raw(db, report_id, &sa, query_show_raw) == -1)
		return query_internal(p, hr, db);

	memset(&wargs, 0, sizeof(wargs));
	wargs.report_id = report_id;
	if ((c = store_query(db, STORE_Q_WARNINGS_OF, &wargs)) == NULL)
		return query_internal(p, hr, db);
	if ((show->warnings = reply_alloc(hr, REPORT_ERRORS_MAX *
	    sizeof(*show->warnings))) == NULL) {
		store_cursor_close(c);
		return query_nomem(hr);
	}
	len = REPORT_FIELD_MAX + REPORT_MESSAGE_MAX + 2;
	while (show->n_warnings < REPORT_ERRORS_MAX &&
	    (rc = store_next_warning(c, &field, &message)) == 1) {
		if ((show->warnings[show->n_warnings] = reply_alloc(hr, len))
		    == NULL) {
			store_cursor_close(c);
			return query_nomem(hr);
		}
		snprintf(show->warnings[show->n_warnings], len, "%s: %s",
		    field != NULL ? field : "", message != NULL ? message : "");
		show->n_warnings++;
	}
	store_cursor_close(c);
	if (rc == -1)
		return query_internal(p, hr, db);
	show->timezone = query_zone(p);
	hr->resp.body_case = GP__RESPONSE__BODY_SHOW;
	hr->resp.show = show;
	return REQUEST_REPLIED;
}

enum request_result
query_show(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const Gp__ShowRequest	*sr = req->show;
	const char		*unit = sr->unit, *errstr;
	struct store_args	 args;
	struct store		*db;
	struct period		 pd;
	enum request_result	 rv;

	(void)out;
	if (query_period(p, hr, sr->period, &pd, NULL) == -1)
		return REQUEST_REPLIED;
	if (unit == NULL) {
		reply_invalid(hr, "unit", "required", "no unit given");
		return REQUEST_REPLIED;
	}
	if (query_unit_arg(hr, unit) == -1)
		return REQUEST_REPLIED;
	if (query_own(p, hr, "show", sr->period, &unit, &rv) == -1)
		return rv;

	memset(&args, 0, sizeof(args));
	args.period = sr->period;
	args.unit = unit;
	args.revision = sr->has_revision ? sr->revision : 0;
	/* A connection with nothing open: every commit so far is seen. */
	if ((db = readers_get(p->readers, &errstr)) == NULL)
		return query_busy(p, hr, errstr);
	rv = query_show_read(p, db, hr, &args);
	readers_put(p->readers, db);
	return rv;
}

/* missing */

/* Expected: the unit's validity overlaps the period's coverage. */
static int
query_expected(const struct unit *u, const struct period *pd)
{
	return u->valid_from <= pd->to && u->valid_to >= pd->from;
}

static Gp__ReviewCounts *
query_review_counts(struct reply *hr, uint32_t received, uint32_t returned,
    uint32_t accepted)
{
	Gp__ReviewCounts	*rc;

	if ((rc = reply_alloc(hr, sizeof(*rc))) == NULL)
		return NULL;
	gp__review_counts__init(rc);
	rc->received = received;
	rc->has_received = 1;
	rc->returned = returned;
	rc->has_returned = 1;
	rc->accepted = accepted;
	rc->has_accepted = 1;
	return rc;
}

/* The reports of the period included (every latest revision, or the
 * accepted ones), by state. */
static Gp__ReviewCounts *
query_states(struct query_stream *qs, struct reply *hr)
{
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_sum_row	 sr;
	uint32_t		 n[3] = { 0, 0, 0 };
	int			 rc;

	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	args.accepted = qs->accepted;
	if ((c = store_query(qs->db, STORE_Q_STATES, &args)) == NULL)
		return NULL;
	while ((rc = store_next_sum(c, &sr)) == 1) {
		if (sr.key == NULL)
			continue;
		if (strcmp(sr.key, STORE_STATE_RETURNED) == 0)
			n[1] = (uint32_t)sr.reports;
		else if (strcmp(sr.key, STORE_STATE_ACCEPTED) == 0)
			n[2] = (uint32_t)sr.reports;
		else
			n[0] = (uint32_t)sr.reports;
	}
	store_cursor_close(c);
	if (rc == -1)
		return NULL;
	return query_review_counts(hr, n[0], n[1], n[2]);
}

/* Reads the next unit that reported, or notes the end. */
static int
query_missing_advance(struct query_stream *qs)
{
	int	rc;

	if (qs->cursor_done)
		return 0;
	if ((rc = store_next_missing(qs->cursor, &qs->reported)) != 1) {
		qs->cursor_done = 1;
		qs->have_reported = 0;
		return rc;
	}
	snprintf(qs->reported_unit, sizeof(qs->reported_unit), "%s",
	    qs->reported.unit != NULL ? qs->reported.unit : "");
	qs->reported.unit = qs->reported_unit;
	snprintf(qs->reported_state, sizeof(qs->reported_state), "%s",
	    qs->reported.review_state);
	qs->reported.review_state = qs->reported_state;
	qs->have_reported = 1;
	return 0;
}

/* The last frame's figures, from what the merge counted or, with
 * --counts, from the aggregates. */
static int
query_missing_end(struct query_stream *qs, struct reply *hr,
    Gp__MissingResponse *mr)
{
	mr->expected = qs->expected;
	mr->has_expected = 1;
	mr->reported = qs->nreported;
	mr->has_reported = 1;
	mr->on_time = qs->on_time;
	mr->has_on_time = 1;
	mr->due = reply_date(hr, qs->period.due);
	mr->coverage_from = reply_date(hr, qs->period.from);
	mr->coverage_to = reply_date(hr, qs->period.to);
	if ((mr->review = query_review_counts(hr, qs->nreported -
	    qs->nreturned - qs->naccepted, qs->nreturned, qs->naccepted)) ==
	    NULL)
		return -1;
	return 0;
}

/*
 * missing --counts: the units the registry expects from its own copy,
 * those that reported by the state of their report from the aggregates
 * (the store's copy of the registry is this one: gpd brings it there at
 * start and reload), a handful of rows whatever the units.
 */
static int
query_missing_counts(struct query_stream *qs)
{
	const struct units	*u = qs->peer->set->units;
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_count_row	 row;
	size_t			 i;
	int			 rc;

	for (i = 0; i < u->n; i++)
		if (query_expected(&u->v[i], &qs->period))
			qs->expected++;
	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	args.from = qs->period.from;
	args.to = qs->period.to;
	if ((c = store_query(qs->db, STORE_Q_MISSING_COUNTS, &args)) == NULL)
		return -1;
	while ((rc = store_next_count(c, &row)) == 1) {
		qs->nreported += (uint32_t)row.reported;
		qs->on_time += (uint32_t)row.on_time;
		if (row.state != NULL &&
		    strcmp(row.state, STORE_STATE_RETURNED) == 0)
			qs->nreturned += (uint32_t)row.reported;
		else if (row.state != NULL &&
		    strcmp(row.state, STORE_STATE_ACCEPTED) == 0)
			qs->naccepted += (uint32_t)row.reported;
	}
	store_cursor_close(c);
	return rc == -1 ? -1 : 0;
}

/* Reads the next extension of the period, or notes the end. */
static int
query_extension_advance(struct query_stream *qs)
{
	struct store_extension_row	e;
	int				rc;

	if (qs->ext_cursor == NULL)
		return 0;
	if ((rc = store_next_extension(qs->ext_cursor, &e)) != 1) {
		store_cursor_close(qs->ext_cursor);
		qs->ext_cursor = NULL;
		qs->have_ext = 0;
		return rc;
	}
	snprintf(qs->ext_unit, sizeof(qs->ext_unit), "%s",
	    e.unit != NULL ? e.unit : "");
	snprintf(qs->ext_until, sizeof(qs->ext_until), "%s",
	    e.until != NULL ? e.until : "");
	snprintf(qs->ext_reason, sizeof(qs->ext_reason), "%s",
	    e.reason != NULL ? e.reason : "");
	qs->have_ext = 1;
	return 0;
}

/* The unit's due date now: its extension's, or the form's (form_due,
 * made once a frame); *due as a day number, what the call list counts
 * from (query_due's rule, for the period at once). */
static int
query_missing_due(struct query_stream *qs, struct reply *hr,
    Gp__MissingRow *row, const char *code, char *form_due, int32_t *due)
{
	while (qs->have_ext && strcmp(qs->ext_unit, code) < 0)
		if (query_extension_advance(qs) == -1)
			return -1;
	row->due = form_due;
	if (!qs->have_ext || strcmp(qs->ext_unit, code) != 0 ||
	    date_parse(qs->ext_until, due) == -1) {
		*due = qs->period.due;
		return 0;
	}
	if ((row->extended_until = reply_strdup(hr, qs->ext_until)) == NULL ||
	    (qs->ext_reason[0] != '\0' && (row->extension_reason =
	    reply_strdup(hr, qs->ext_reason)) == NULL))
		return -1;
	row->due = row->extended_until;
	return 0;
}

static int
query_missing_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	const struct units	*u = p->set->units;
	const struct unit	*v;
	Gp__MissingResponse	*mr;
	Gp__MissingRow		*row;
	char			*form_due;
	int32_t			 days, due;
	int			 cmp, call;

	if ((mr = reply_alloc(hr, sizeof(*mr))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__missing_response__init(mr);
	mr->timezone = query_zone(p);
	if (qs->counts) {
		if (query_missing_counts(qs) == -1)
			goto fail;
		if (query_missing_end(qs, hr, mr) == -1) {
			query_nomem(hr);
			return -1;
		}
		hr->resp.body_case = GP__RESPONSE__BODY_MISSING;
		hr->resp.missing = mr;
		reply_more(hr, 0);
		return 0;
	}
	if ((mr->rows = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*mr->rows))) == NULL ||
	    (form_due = reply_date(hr, qs->period.due)) == NULL) {
		query_nomem(hr);
		return -1;
	}
	/* Both the registry and the query are in unit order: merge. */
	for (; qs->next_unit < u->n && mr->n_rows < REPLY_CHUNK_ROWS;
	    qs->next_unit++) {
		v = &u->v[qs->next_unit];
		while (qs->have_reported &&
		    (cmp = strcmp(qs->reported_unit, v->code)) < 0)
			if (query_missing_advance(qs) == -1)
				goto fail;
		if (!query_expected(v, &qs->period))
			continue;
		if ((row = reply_alloc(hr, sizeof(*row))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__missing_row__init(row);
		row->unit = v->code;
		row->unit_name = v->name;
		qs->expected++;
		call = 1;
		if (query_missing_due(qs, hr, row, v->code, form_due, &due) ==
		    -1)
			goto fail;
		if (qs->have_reported &&
		    strcmp(qs->reported_unit, v->code) == 0) {
			/* The first revision's lateness, as kept. */
			qs->nreported++;
			if (qs->reported.days_late > 0) {
				row->status = (char *)(uintptr_t)"late";
				row->days_late = qs->reported.days_late;
				row->has_days_late = 1;
			} else {
				row->status = (char *)(uintptr_t)"on_time";
				qs->on_time++;
			}
			row->first_extended = qs->reported.extended != 0;
			row->has_first_extended = 1;
			row->received_at = reply_time(hr,
			    qs->reported.first_at);
			row->revision = qs->reported.revision;
			row->has_revision = 1;
			if (strcmp(qs->reported_state,
			    STORE_STATE_RETURNED) == 0) {
				row->review_state = (char *)(uintptr_t)
				    STORE_STATE_RETURNED;
				qs->nreturned++;
			} else if (strcmp(qs->reported_state,
			    STORE_STATE_ACCEPTED) == 0) {
				row->review_state = (char *)(uintptr_t)
				    STORE_STATE_ACCEPTED;
				qs->naccepted++;
				call = 0;
			} else {
				row->review_state = (char *)(uintptr_t)
				    STORE_STATE_RECEIVED;
				call = 0;
			}
			row->latest_received_at = reply_time(hr,
			    qs->reported.latest_at);
			if (query_missing_advance(qs) == -1)
				goto fail;
		} else
			row->status = (char *)(uintptr_t)"missing";
		if (qs->call_list) {
			/* Whom to call: nothing yet, or returned; late
			 * counted to today. */
			if (!call)
				continue;
			days = qs->today - due;
			row->days_late = days > 0 ? days : 0;
			row->has_days_late = 1;
			row->contact = v->contact;
			row->phone = v->phone;
			row->email = v->email;
		}
		mr->rows[mr->n_rows++] = row;
	}
	hr->resp.body_case = GP__RESPONSE__BODY_MISSING;
	hr->resp.missing = mr;
	if (qs->next_unit < u->n) {
		reply_more(hr, 1);
		return 0;
	}
	if (query_missing_end(qs, hr, mr) == -1) {
		query_nomem(hr);
		return -1;
	}
	reply_more(hr, 0);
	return 0;
fail:
	query_internal(p, hr, qs->db);
	return -1;
}

/* Opens a stream over a period with its cursor; *qsp set (and the
 * stream in *out) on REQUEST_STREAM. */
static enum request_result
query_period_stream(struct peer *p, struct reply *hr, const char *period,
    int kind, enum store_query q, int accepted, int (*next)(struct stream *,
    struct reply *), struct query_stream **qsp, struct stream **out)
{
	struct query_stream	*qs;
	struct store_args	 args;
	struct period		 pd;
	const struct form	*form;
	enum request_result	 rv;

	if (query_period(p, hr, period, &pd, &form) == -1)
		return REQUEST_REPLIED;
	if ((qs = query_stream_new(p, hr, kind, next, 1, &rv)) == NULL)
		return rv;
	qs->period = pd;
	qs->form = form;
	snprintf(qs->period_id, sizeof(qs->period_id), "%s", period);
	qs->accepted = accepted;
	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	args.accepted = accepted;
	if ((qs->cursor = store_query(qs->db, q, &args)) == NULL) {
		rv = query_internal(p, hr, qs->db);
		query_stream_free(&qs->hs);
		return rv;
	}
	if (qsp != NULL)
		*qsp = qs;
	*out = &qs->hs;
	return REQUEST_STREAM;
}

enum request_result
query_missing(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	struct query_stream	*qs = NULL;
	struct store_args	 args;
	struct period		 pd;
	enum request_result	 rv;

	if (req->missing->has_counts && req->missing->counts) {
		/* No rows: the counts alone, in one frame. */
		if (query_period(p, hr, req->missing->period, &pd, NULL) == -1)
			return REQUEST_REPLIED;
		if ((qs = query_stream_new(p, hr, QUERY_MISSING,
		    query_missing_next, 1, &rv)) == NULL)
			return rv;
		qs->period = pd;
		qs->counts = 1;
		snprintf(qs->period_id, sizeof(qs->period_id), "%s",
		    req->missing->period);
		*out = &qs->hs;
		return REQUEST_STREAM;
	}
	rv = query_period_stream(p, hr, req->missing->period, QUERY_MISSING,
	    STORE_Q_MISSING, 0, query_missing_next, &qs, out);
	if (rv != REQUEST_STREAM)
		return rv;
	qs->call_list = req->missing->has_call_list &&
	    req->missing->call_list;
	qs->today = tz_day(p->set->zone, (int64_t)time(NULL));
	/* The extensions from the same snapshot, merged by unit. */
	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	if (query_missing_advance(qs) == -1 || (qs->ext_cursor =
	    store_query(qs->db, STORE_Q_EXTENSIONS, &args)) == NULL ||
	    query_extension_advance(qs) == -1) {
		rv = query_internal(p, hr, qs->db);
		query_stream_free(&qs->hs);
		*out = NULL;
	}
	return rv;
}

/* summary */

static Gp__SummaryRow *
query_sum_row(struct reply *hr, const struct store_sum_row *sr)
{
	Gp__SummaryRow	*row;

	if ((row = reply_alloc(hr, sizeof(*row))) == NULL)
		return NULL;
	gp__summary_row__init(row);
	row->reports = sr->reports;
	row->has_reports = 1;
	row->activities = sr->activities;
	row->has_activities = 1;
	row->sessions = sr->sessions;
	row->has_sessions = 1;
	row->participants = sr->participants;
	row->has_participants = 1;
	row->female = sr->female;
	row->has_female = 1;
	/* Done and planned apart: what was done is never what was only
	 * planned. */
	if ((row->done = query_figures(hr, query_minus(sr->activities,
	    sr->planned_activities), query_minus(sr->sessions,
	    sr->planned_sessions), query_minus(sr->participants,
	    sr->planned_participants), query_minus(sr->female,
	    sr->planned_female))) == NULL ||
	    (row->planned = query_figures(hr, sr->planned_activities,
	    sr->planned_sessions, sr->planned_participants,
	    sr->planned_female)) == NULL)
		return NULL;
	return row;
}

/* The list of the form a summary groups by, or -1 (by unit). */
static int
query_by_list(int by)
{
	switch (by) {
	case BY_AREA:
		return FORM_AREAS;
	case BY_KIND:
		return FORM_KINDS;
	case BY_OCCASION:
		return FORM_OCCASIONS;
	case BY_STATUS:
		return FORM_STATUSES;
	default:
		return -1;
	}
}

/*
 * A row's key and label: a unit's name, or the label the form of the
 * period gives the code; *rank is where the form lists it (a code it
 * does not know, which the reload rule keeps out, after the others).
 */
static int
query_sum_key(struct query_stream *qs, struct reply *hr,
    Gp__SummaryRow *row, const struct store_sum_row *sr, size_t *rank)
{
	const struct form_entry	*e;
	int			 list = query_by_list(qs->by);

	*rank = FORM_MAX_ENTRIES;
	if (sr->key != NULL && (row->key = reply_strdup(hr, sr->key)) == NULL)
		return -1;
	if (qs->by == BY_UNIT)
		row->label = reply_strdup(hr, query_unit_name(qs->peer,
		    sr->key));
	else if (list >= 0 && sr->key != NULL &&
	    (e = form_find(qs->form, list, sr->key)) != NULL) {
		row->label = (char *)(uintptr_t)e->label;
		*rank = e->index;
	}
	return 0;
}

/* Sums of counts that validation keeps far from 2^64; one edited into the
 * database stops at the top rather than wrapping. */
static uint64_t
query_add(uint64_t sum, uint64_t v)
{
	return v > UINT64_MAX - sum ? UINT64_MAX : sum + v;
}

/* Codes of indicators the form of the period does not list, summed apart
 * (at most this many; the reload rule keeps them out). */
#define QUERY_OTHER_INDICATORS	64

struct query_ind_total {
	const struct form_entry	*e;		/* NULL: not the form's */
	char			 code[REPORT_MAX_CODE + 1];
	uint64_t		 total, female;
	int			 used, has_female;
};

/* The indicator totals of the period in the form's order, then codes the
 * form does not know; a women's figure only where the form has a
 * share. */
static int
query_indicator_totals(struct query_stream *qs, struct reply *hr,
    Gp__SummaryResponse *sum)
{
	struct store_args		 args;
	struct store_cursor		*c;
	struct store_indicator_row	 ir;
	struct query_ind_total		*tot, *t;
	Gp__IndicatorTotal		*it;
	const struct form_entry		*e;
	size_t				 nform, n, i;
	int				 rc, rv = -1;

	nform = form_count(qs->form, FORM_INDICATORS);
	n = nform + QUERY_OTHER_INDICATORS;
	if ((tot = calloc(n, sizeof(*tot))) == NULL)
		return -1;
	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	args.accepted = qs->accepted;
	if ((c = store_query(qs->db, STORE_Q_INDICATOR_TOTALS, &args))
	    == NULL)
		goto out;
	while ((rc = store_next_indicator(c, &ir)) == 1) {
		if (ir.code == NULL)
			continue;
		if ((e = form_find(qs->form, FORM_INDICATORS, ir.code))
		    != NULL)
			t = &tot[e->index];
		else {
			for (i = nform; i < n && tot[i].used &&
			    strcmp(tot[i].code, ir.code) != 0; i++)
				;
			if (i == n || strlen(ir.code) > REPORT_MAX_CODE)
				continue;
			t = &tot[i];
			memcpy(t->code, ir.code, strlen(ir.code) + 1);
		}
		t->e = e;
		t->used = 1;
		t->total = query_add(t->total, ir.total);
		if (ir.has_female) {
			t->female = query_add(t->female, ir.female);
			t->has_female = 1;
		}
	}
	store_cursor_close(c);
	if (rc == -1)
		goto out;
	if ((sum->indicators = reply_alloc(hr, n * sizeof(*sum->indicators)))
	    == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		t = &tot[i];
		if (!t->used)
			continue;
		if ((it = reply_alloc(hr, sizeof(*it))) == NULL)
			goto out;
		gp__indicator_total__init(it);
		if (t->e != NULL) {
			it->code = (char *)(uintptr_t)t->e->code;
			it->label = (char *)(uintptr_t)t->e->label;
		} else if ((it->code = reply_strdup(hr, t->code)) == NULL)
			goto out;
		it->total = t->total;
		it->has_total = 1;
		if (t->e != NULL ? t->e->female_share : t->has_female) {
			it->female = t->female;
			it->has_female = 1;
		}
		sum->indicators[sum->n_indicators++] = it;
	}
	rv = 0;
out:
	free(tot);
	return rv;
}

/* The last frame: the total, indicator totals and the expected count. */
static int
query_summary_totals(struct peer *p, struct query_stream *qs,
    struct reply *hr, Gp__SummaryResponse *sum)
{
	struct store_args	 args;
	struct store_cursor	*c;
	struct store_sum_row	 sr;
	const struct units	*u = p->set->units;
	size_t			 i;
	int			 rc;

	memset(&args, 0, sizeof(args));
	args.period = qs->period_id;
	args.accepted = qs->accepted;
	if ((c = store_query(qs->db, STORE_Q_SUM_TOTAL, &args))
	    == NULL)
		return -1;
	rc = store_next_sum(c, &sr);
	if (rc == 1 && (sum->total = query_sum_row(hr, &sr)) == NULL)
		rc = -1;
	store_cursor_close(c);
	if (rc == -1)
		return -1;
	if (query_indicator_totals(qs, hr, sum) == -1 ||
	    (sum->review = query_states(qs, hr)) == NULL)
		return -1;
	for (i = 0; i < u->n; i++)
		if (query_expected(&u->v[i], &qs->period))
			sum->expected++;
	sum->has_expected = 1;
	return 0;
}

/*
 * By unit type: the aggregates by the type the registry gives each unit
 * (gpd brings the store's copy of the registry to this one at start and
 * at reload), in the order of the registry's [types]; a unit it does not
 * list, or a type it no longer has, under "?". The types are few
 * (UNITS_MAX_TYPES): one frame, whatever the units.
 */
static int
query_summary_types(struct query_stream *qs, struct reply *hr,
    Gp__SummaryResponse *sum)
{
	const struct units	*u = qs->peer->set->units;
	struct store_sum_row	 sr, *tot;
	Gp__SummaryRow		*row;
	size_t			 i;
	int			 rc;

	if ((tot = calloc(u->ntypes + 1, sizeof(*tot))) == NULL)
		return -1;
	while ((rc = store_next_sum(qs->cursor, &sr)) == 1) {
		for (i = 0; sr.key != NULL && i < u->ntypes &&
		    strcmp(u->types[i].code, sr.key) != 0; i++)
			;
		if (sr.key == NULL)
			i = u->ntypes;
		tot[i].reports = query_add(tot[i].reports, sr.reports);
		tot[i].activities = query_add(tot[i].activities,
		    sr.activities);
		tot[i].sessions = query_add(tot[i].sessions, sr.sessions);
		tot[i].participants = query_add(tot[i].participants,
		    sr.participants);
		tot[i].female = query_add(tot[i].female, sr.female);
		tot[i].planned_activities = query_add(
		    tot[i].planned_activities, sr.planned_activities);
		tot[i].planned_sessions = query_add(tot[i].planned_sessions,
		    sr.planned_sessions);
		tot[i].planned_participants = query_add(
		    tot[i].planned_participants, sr.planned_participants);
		tot[i].planned_female = query_add(tot[i].planned_female,
		    sr.planned_female);
	}
	if (rc == -1 || (sum->rows = reply_alloc(hr, (u->ntypes + 1) *
	    sizeof(*sum->rows))) == NULL) {
		free(tot);
		return -1;
	}
	for (i = 0; i <= u->ntypes; i++) {
		if (tot[i].reports == 0)
			continue;
		if ((row = query_sum_row(hr, &tot[i])) == NULL) {
			free(tot);
			return -1;
		}
		if (i < u->ntypes) {
			row->key = u->types[i].code;
			row->label = u->types[i].label;
		} else
			row->key = (char *)(uintptr_t)"?";
		sum->rows[sum->n_rows++] = row;
	}
	free(tot);
	return 0;
}

static int
query_summary_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	struct store_sum_row	 sr;
	Gp__SummaryResponse	*sum;
	Gp__SummaryRow		*row;
	size_t			 rank[REPLY_CHUNK_ROWS], r, i;
	int			 rc = 0;

	if ((sum = reply_alloc(hr, sizeof(*sum))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__summary_response__init(sum);
	if (qs->cursor != NULL && qs->by == BY_TYPE) {
		if (query_summary_types(qs, hr, sum) == -1)
			goto fail;
		rc = 0;
	} else if (qs->cursor != NULL) {
		if ((sum->rows = reply_alloc(hr, REPLY_CHUNK_ROWS *
		    sizeof(*sum->rows))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		/* Codes come in the form's order: a form lists fewer than
		 * a frame holds. */
		while (sum->n_rows < REPLY_CHUNK_ROWS &&
		    (rc = store_next_sum(qs->cursor, &sr)) == 1) {
			if ((row = query_sum_row(hr, &sr)) == NULL ||
			    query_sum_key(qs, hr, row, &sr, &r) == -1) {
				query_nomem(hr);
				return -1;
			}
			for (i = sum->n_rows; i > 0 && rank[i - 1] > r; i--) {
				rank[i] = rank[i - 1];
				sum->rows[i] = sum->rows[i - 1];
			}
			rank[i] = r;
			sum->rows[i] = row;
			sum->n_rows++;
		}
		if (rc == -1)
			goto fail;
	}
	hr->resp.body_case = GP__RESPONSE__BODY_SUMMARY;
	hr->resp.summary = sum;
	if (rc == 1) {
		reply_more(hr, 1);
		return 0;
	}
	if (query_summary_totals(p, qs, hr, sum) == -1)
		goto fail;
	reply_more(hr, 0);
	return 0;
fail:
	query_internal(p, hr, qs->db);
	return -1;
}

enum request_result
query_summary(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	static const struct {
		const char		*name;
		int			 by;
		enum store_query	 q;
	} bys[] = {
		{ "area", BY_AREA, STORE_Q_SUM_AREA },
		{ "kind", BY_KIND, STORE_Q_SUM_KIND },
		{ "occasion", BY_OCCASION, STORE_Q_SUM_OCCASION },
		{ "status", BY_STATUS, STORE_Q_SUM_STATUS },
		{ "unit", BY_UNIT, STORE_Q_SUM_UNIT },
		{ "type", BY_TYPE, STORE_Q_SUM_TYPE },
	};
	struct query_stream	*qs = NULL;
	struct period		 pd;
	const struct form	*form;
	const char		*by = req->summary->by;
	int			 accepted = req->summary->has_accepted &&
				    req->summary->accepted;
	enum request_result	 rv;
	size_t			 i;

	if (by == NULL || *by == '\0') {
		if (query_period(p, hr, req->summary->period, &pd, &form) == -1)
			return REQUEST_REPLIED;
		/* No rows: the totals alone, in one frame. */
		if ((qs = query_stream_new(p, hr, QUERY_SUMMARY,
		    query_summary_next, 1, &rv)) == NULL)
			return rv;
		qs->period = pd;
		qs->form = form;
		qs->accepted = accepted;
		snprintf(qs->period_id, sizeof(qs->period_id), "%s",
		    req->summary->period);
		*out = &qs->hs;
		return REQUEST_STREAM;
	}
	for (i = 0; i < sizeof(bys) / sizeof(*bys); i++)
		if (strcmp(by, bys[i].name) == 0)
			break;
	if (i == sizeof(bys) / sizeof(*bys)) {
		reply_invalid(hr, "by", "one of: area, unit, occasion, kind, "
		    "status, type", "cannot group a summary by that");
		return REQUEST_REPLIED;
	}
	rv = query_period_stream(p, hr, req->summary->period, QUERY_SUMMARY,
	    bys[i].q, accepted, query_summary_next, &qs, out);
	if (rv == REQUEST_STREAM)
		qs->by = bys[i].by;
	return rv;
}

/* export */

/* A code of the row and its label in the period's form (NULL for a
 * code it does not list). */
static int
query_export_code(struct query_stream *qs, struct reply *hr, int list,
    const char *code, char **key, char **label)
{
	if (code == NULL)
		return 0;
	if ((*key = reply_strdup(hr, code)) == NULL)
		return -1;
	*label = (char *)(uintptr_t)form_label(qs->form, list, code);
	return 0;
}

/* "articles=12 leaflets=1500" (store.c) as output counts. */
static int
query_export_outputs(struct reply *hr, Gp__ExportRow *row, const char *s)
{
	Gp__OutputCount	*oc;
	const char	*eq, *end;
	char		*code;
	size_t		 n = 0, len;

	if (s == NULL || *s == '\0')
		return 0;
	for (end = s; *end != '\0'; end++)
		if (*end == ' ')
			n++;
	n++;
	if (n > REPORT_MAX_OUTPUTS)
		n = REPORT_MAX_OUTPUTS;
	if ((row->outputs = reply_alloc(hr, n * sizeof(*row->outputs)))
	    == NULL)
		return -1;
	while (*s != '\0' && row->n_outputs < n) {
		if ((end = strchr(s, ' ')) == NULL)
			end = s + strlen(s);
		if ((eq = memchr(s, '=', (size_t)(end - s))) != NULL &&
		    eq > s) {
			len = (size_t)(eq - s);
			if ((oc = reply_alloc(hr, sizeof(*oc))) == NULL ||
			    (code = reply_alloc(hr, len + 1)) == NULL)
				return -1;
			gp__output_count__init(oc);
			memcpy(code, s, len);
			oc->code.data = (uint8_t *)code;
			oc->code.len = len;
			oc->has_code = 1;
			oc->count = strtoull(eq + 1, NULL, 10);
			oc->has_count = 1;
			row->outputs[row->n_outputs++] = oc;
		}
		s = *end == ' ' ? end + 1 : end;
	}
	return 0;
}

/* The first frame: the labels of the form's media outputs. */
static int
query_export_labels(struct query_stream *qs, struct reply *hr,
    Gp__ExportResponse *er)
{
	const struct form_entry	*e;
	Gp__Label		*l;
	size_t			 i, n;

	n = form_count(qs->form, FORM_OUTPUTS);
	if (n == 0)
		return 0;
	if ((er->outputs = reply_alloc(hr, n * sizeof(*er->outputs))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		e = form_at(qs->form, FORM_OUTPUTS, i);
		if ((l = reply_alloc(hr, sizeof(*l))) == NULL)
			return -1;
		gp__label__init(l);
		l->code = (char *)(uintptr_t)e->code;
		l->label = (char *)(uintptr_t)e->label;
		er->outputs[er->n_outputs++] = l;
	}
	return 0;
}

static int
query_export_row(struct query_stream *qs, struct reply *hr,
    const struct store_activity_row *a, Gp__ExportRow **out)
{
	Gp__ExportRow	*row;

	if ((row = reply_alloc(hr, sizeof(*row))) == NULL)
		return -1;
	gp__export_row__init(row);
	row->unit = reply_strdup(hr, a->unit);
	row->unit_name = reply_strdup(hr, query_unit_name(qs->peer, a->unit));
	row->period = reply_strdup(hr, a->period);
	row->revision = a->revision;
	row->has_revision = 1;
	row->index = a->idx;
	row->has_index = 1;
	if (query_export_code(qs, hr, FORM_AREAS, a->area, &row->area,
	    &row->area_label) == -1 ||
	    query_export_code(qs, hr, FORM_KINDS, a->kind, &row->kind,
	    &row->kind_label) == -1 ||
	    query_export_code(qs, hr, FORM_OCCASIONS, a->occasion,
	    &row->occasion, &row->occasion_label) == -1 ||
	    query_export_code(qs, hr, FORM_STATUSES, a->status, &row->status,
	    &row->status_label) == -1 ||
	    query_export_code(qs, hr, FORM_AUDIENCES, a->audience,
	    &row->audience, &row->audience_label) == -1 ||
	    query_export_code(qs, hr, FORM_TOPICS, a->topic, &row->topic,
	    &row->topic_label) == -1 ||
	    query_export_outputs(hr, row, a->outputs) == -1)
		return -1;
	row->date = reply_strdup(hr, a->date);
	row->end_date = reply_strdup(hr, a->end_date);
	row->title = reply_strdup(hr, a->title);
	row->location = reply_strdup(hr, a->location);
	row->notes = reply_strdup(hr, a->notes);
	row->sessions = a->sessions;
	row->has_sessions = 1;
	row->participants = a->participants;
	row->has_participants = 1;
	row->female = a->female;
	row->has_female = 1;
	if (a->has_first) {
		row->first_received_at = reply_time(hr, a->first_at);
		row->timeliness = (char *)(uintptr_t)(a->first_days_late > 0 ?
		    "late" : "on_time");
		row->days_late = a->first_days_late;
		row->has_days_late = 1;
		row->extended = a->first_extended != 0;
		row->has_extended = 1;
		if (row->first_received_at == NULL || (a->first_due != NULL &&
		    (row->due = reply_strdup(hr, a->first_due)) == NULL))
			return -1;
	}
	*out = row;
	return 0;
}

static int
query_export_next(struct stream *hs, struct reply *hr)
{
	struct query_stream		*qs = (struct query_stream *)hs;
	struct peer			*p = qs->peer;
	struct store_activity_row	 a;
	Gp__ExportResponse		*er;
	Gp__ExportRow			*row;
	int				 rc = 0;

	if ((er = reply_alloc(hr, sizeof(*er))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__export_response__init(er);
	if ((er->rows = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*er->rows))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	if (!qs->labels_sent) {
		if (query_export_labels(qs, hr, er) == -1) {
			query_nomem(hr);
			return -1;
		}
		qs->labels_sent = 1;
	}
	while (er->n_rows < REPLY_CHUNK_ROWS &&
	    (rc = store_next_activity(qs->cursor, &a)) == 1) {
		if (query_export_row(qs, hr, &a, &row) == -1) {
			query_nomem(hr);
			return -1;
		}
		er->rows[er->n_rows++] = row;
	}
	if (rc == -1) {
		query_internal(p, hr, qs->db);
		return -1;
	}
	if (rc == 0 && (er->review = query_states(qs, hr)) == NULL) {
		query_internal(p, hr, qs->db);
		return -1;
	}
	hr->resp.body_case = GP__RESPONSE__BODY_EXPORT;
	hr->resp.export = er;
	reply_more(hr, rc == 1);
	return 0;
}

enum request_result
query_export(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	return query_period_stream(p, hr, req->export->period, QUERY_EXPORT,
	    STORE_Q_EXPORT, req->export->has_accepted &&
	    req->export->accepted, query_export_next, NULL, out);
}

/* reports: the latest revision of every unit's report of a period, in
 * full, as stored. */

/* Bytes of stored reports in one frame, about: a frame always holds at
 * least one, and a revision is at most max_frame bytes. */
#define QUERY_STORED_BYTES	(256 * 1024)

struct query_stored_arg {
	struct reply		*hr;
	Gp__StoredReport	*sr;
};

static int
query_stored_raw(void *arg, const void *raw, size_t len)
{
	struct query_stored_arg	*sa = arg;
	uint8_t			*copy;

	if ((copy = reply_alloc(sa->hr, len > 0 ? len : 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, raw, len);
	sa->sr->report.data = copy;
	sa->sr->report.len = len;
	sa->sr->has_report = 1;
	return 0;
}

static int
query_stored_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	struct store_report_row	 row;
	struct query_stored_arg	 sa;
	Gp__ReportsResponse	*rr;
	Gp__StoredReport	*sr;
	size_t			 bytes = 0;
	int			 rc = 0;

	if ((rr = reply_alloc(hr, sizeof(*rr))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__reports_response__init(rr);
	rr->timezone = query_zone(p);
	if ((rr->reports = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*rr->reports))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	while (rr->n_reports < REPLY_CHUNK_ROWS &&
	    bytes < QUERY_STORED_BYTES &&
	    (rc = store_next_report(qs->cursor, &row)) == 1) {
		if ((sr = reply_alloc(hr, sizeof(*sr))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__stored_report__init(sr);
		if ((sr->meta = query_report_row(p, hr, &row)) == NULL) {
			query_nomem(hr);
			return -1;
		}
		sa.hr = hr;
		sa.sr = sr;
		if (store_show_raw(qs->db, row.id, &sa, query_stored_raw) ==
		    -1) {
			query_internal(p, hr, qs->db);
			return -1;
		}
		bytes += sr->report.len;
		rr->reports[rr->n_reports++] = sr;
	}
	if (rc == -1) {
		query_internal(p, hr, qs->db);
		return -1;
	}
	hr->resp.body_case = GP__RESPONSE__BODY_REPORTS;
	hr->resp.reports = rr;
	reply_more(hr, rc == 1);
	return 0;
}

enum request_result
query_stored(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	/* Every state: gp-client report --accepted keeps the accepted
	 * ones, and names the others as not yet accepted. */
	return query_period_stream(p, hr, req->reports->period, QUERY_STORED,
	    STORE_Q_LIST, 0, query_stored_next, NULL, out);
}

/* audit */

static int
query_audit_next(struct stream *hs, struct reply *hr)
{
	struct query_stream	*qs = (struct query_stream *)hs;
	struct peer		*p = qs->peer;
	struct store_audit_row	 a;
	Gp__AuditResponse	*ar;
	Gp__AuditEntry		*e;
	int			 rc = 0;

	if ((ar = reply_alloc(hr, sizeof(*ar))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	gp__audit_response__init(ar);
	if ((ar->entries = reply_alloc(hr, REPLY_CHUNK_ROWS *
	    sizeof(*ar->entries))) == NULL) {
		query_nomem(hr);
		return -1;
	}
	while (ar->n_entries < REPLY_CHUNK_ROWS &&
	    (rc = store_next_audit(qs->cursor, &a)) == 1) {
		if ((e = reply_alloc(hr, sizeof(*e))) == NULL) {
			query_nomem(hr);
			return -1;
		}
		gp__audit_entry__init(e);
		e->id = a.id;
		e->has_id = 1;
		e->at = a.at;
		e->has_at = 1;
		e->cn = reply_strdup(hr, a.cn);
		e->fingerprint = reply_strdup(hr, a.fingerprint);
		e->action = reply_strdup(hr, a.action);
		e->unit = reply_strdup(hr, a.unit);
		e->period = reply_strdup(hr, a.period);
		e->result = reply_strdup(hr, a.result);
		e->detail = reply_strdup(hr, a.detail);
		if (a.hash != NULL && (e->hash = reply_alloc(hr,
		    2 * STORE_HASH_LEN + 1)) != NULL)
			report_hex(a.hash, STORE_HASH_LEN, e->hash);
		ar->entries[ar->n_entries++] = e;
	}
	if (rc == -1) {
		query_internal(p, hr, qs->db);
		return -1;
	}
	ar->timezone = query_zone(p);
	hr->resp.body_case = GP__RESPONSE__BODY_AUDIT;
	hr->resp.audit = ar;
	reply_more(hr, rc == 1);
	if (rc == 0) {
		/* The head of the whole chain, whatever the filter. */
		uint8_t	head[STORE_HASH_LEN];

		if (store_audit_head(qs->db, &ar->head_id, head)
		    == -1 || (ar->head_hash = reply_alloc(hr,
		    2 * STORE_HASH_LEN + 1)) == NULL) {
			query_internal(p, hr, qs->db);
			return -1;
		}
		ar->has_head_id = 1;
		report_hex(head, STORE_HASH_LEN, ar->head_hash);
	}
	return 0;
}

enum request_result
query_audit(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	struct query_stream	*qs;
	struct store_args	 args;
	enum request_result	 rv;

	if (query_unit_arg(hr, req->audit->unit) == -1)
		return REQUEST_REPLIED;
	if ((qs = query_stream_new(p, hr, QUERY_AUDIT, query_audit_next, 1,
	    &rv)) == NULL)
		return rv;
	memset(&args, 0, sizeof(args));
	args.since = req->audit->has_since ? req->audit->since : 0;
	args.unit = req->audit->unit;
	if ((qs->cursor = store_query(qs->db, STORE_Q_AUDIT, &args))
	    == NULL) {
		rv = query_internal(p, hr, qs->db);
		query_stream_free(&qs->hs);
		return rv;
	}
	*out = &qs->hs;
	return REQUEST_STREAM;
}


/* whoami: open to every certificate of the CA. */
enum request_result
query_whoami(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const struct unit	*u;
	Gp__WhoamiResponse	*w;

	(void)req;
	(void)out;
	if ((w = reply_alloc(hr, sizeof(*w))) == NULL)
		return query_nomem(hr);
	gp__whoami_response__init(w);
	w->cn = p->cn;
	w->role = (char *)(uintptr_t)(p->role == ROLE_ADMIN ? "admin" :
	    p->role == ROLE_UNIT ? "unit" : "none");
	if ((u = units_find(p->set->units, p->cn)) != NULL)
		w->unit_name = u->name;
	w->server_time = time(NULL);
	w->has_server_time = 1;
	w->version = (char *)(uintptr_t)GP_VERSION;
	w->timezone = query_zone(p);
	hr->resp.body_case = GP__RESPONSE__BODY_WHOAMI;
	hr->resp.whoami = w;
	return REQUEST_REPLIED;
}

/* form: a year's form, or one a stored report records, by its SHA-256. */

struct query_form_arg {
	struct reply		*hr;
	Gp__FormResponse	*fr;
};

static int
query_form_stored(void *arg, int year, const void *bytes, size_t len)
{
	struct query_form_arg	*fa = arg;

	if ((fa->fr->form.data = reply_alloc(fa->hr, len + 1)) == NULL)
		return -1;
	memcpy(fa->fr->form.data, bytes, len);
	fa->fr->form.len = len;
	fa->fr->has_form = 1;
	fa->fr->year = (uint32_t)year;
	fa->fr->has_year = 1;
	return 0;
}

static int
query_form_fill(Gp__FormResponse *fr, const struct form *f)
{
	const char	*bytes;
	size_t		 len;

	if ((bytes = form_canonical(f, &len)) == NULL)
		return -1;
	fr->year = (uint32_t)form_year(f);
	fr->has_year = 1;
	fr->form.data = (uint8_t *)(uintptr_t)bytes;
	fr->form.len = len;
	fr->has_form = 1;
	fr->sha256 = (char *)(uintptr_t)form_sha256_hex(f);
	return 0;
}

/* 64 hex digits into out; -1 when s is not that. */
static int
query_unhex(const char *s, uint8_t out[STORE_HASH_LEN])
{
	size_t	i;
	int	hi, lo;

	if (strlen(s) != 2 * STORE_HASH_LEN)
		return -1;
	for (i = 0; i < STORE_HASH_LEN; i++) {
		hi = s[2 * i];
		lo = s[2 * i + 1];
#define QUERY_HEXVAL(c)	((c) >= '0' && (c) <= '9' ? (c) - '0' :		\
	    (c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 : -1)
		hi = QUERY_HEXVAL(hi);
		lo = QUERY_HEXVAL(lo);
#undef QUERY_HEXVAL
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

enum request_result
query_form(struct peer *p, const Gp__Request *req, struct reply *hr,
    struct stream **out)
{
	const Gp__FormRequest	*rq = req->form;
	const struct form_set	*set = p->set->forms;
	const struct form	*f = NULL;
	struct query_form_arg	 fa;
	Gp__FormResponse	*fr;
	struct store		*db;
	uint8_t			 sha[STORE_HASH_LEN];
	const char		*errstr;
	size_t			 i, n;
	int			 rc;

	(void)out;
	if (rq->sha256 == NULL && !rq->has_year) {
		reply_invalid(hr, "year", "required",
		    "give a year or the SHA-256 of a form");
		return REQUEST_REPLIED;
	}
	if (rq->sha256 != NULL && query_unhex(rq->sha256, sha) == -1) {
		reply_invalid(hr, "sha256", "not 64 lower-case hex digits",
		    "not the SHA-256 of a form");
		return REQUEST_REPLIED;
	}
	if ((fr = reply_alloc(hr, sizeof(*fr))) == NULL)
		return query_nomem(hr);
	gp__form_response__init(fr);
	n = form_set_count(set);
	if ((fr->years = reply_alloc(hr, (n + 1) * sizeof(*fr->years)))
	    == NULL)
		return query_nomem(hr);
	for (i = 0; i < n; i++) {
		fr->years[fr->n_years++] = (uint32_t)form_year(
		    form_set_at(set, i));
		if (rq->sha256 != NULL && memcmp(form_sha256(form_set_at(set,
		    i)), sha, STORE_HASH_LEN) == 0)
			f = form_set_at(set, i);
	}
	if (rq->sha256 == NULL && rq->year <= INT32_MAX)
		f = form_set_year(set, (int)rq->year);
	if (f != NULL) {
		if (query_form_fill(fr, f) == -1)
			return query_nomem(hr);
	} else if (rq->sha256 != NULL) {
		/* One served no more: the copy kept with the reports. */
		if ((db = readers_get(p->readers, &errstr)) == NULL)
			return query_busy(p, hr, errstr);
		fa.hr = hr;
		fa.fr = fr;
		rc = store_form(db, sha, &fa, query_form_stored);
		if (rc == -1) {
			query_internal(p, hr, db);
			readers_put(p->readers, db);
			return REQUEST_REPLIED;
		}
		readers_put(p->readers, db);
		if (rc == 1 && (fr->sha256 = reply_strdup(hr, rq->sha256))
		    == NULL)
			return query_nomem(hr);
	}
	fr->timezone = query_zone(p);
	hr->resp.body_case = GP__RESPONSE__BODY_FORM;
	hr->resp.form = fr;
	return REQUEST_REPLIED;
}
