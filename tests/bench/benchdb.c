/*
 * Plain SQLite inserts of a submission's rows: see benchdb.h. The
 * statements are daemon/store.c's own, taken from its table by name, so
 * that the baseline and gpd cannot drift apart; what is left here is the
 * binding of values, without gpd's look-ups, savepoints and receipts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "benchdb.h"
#include "period.h"
#include "store.h"

/* The statements of daemon/store.c's table, by name: the baseline runs
 * exactly the SQL gpd runs (store_statement). */
static const char *const names[] = {
	"begin", "commit", "insert-report", "insert-activity",
	"insert-indicator", "insert-totals", "insert-text", "insert-warning",
	"insert-audit", "last-revision", "audit-head", "insert-output",
};

enum { S_BEGIN, S_COMMIT, S_REPORT, S_ACTIVITY, S_INDICATOR, S_TOTALS,
    S_TEXT, S_WARNING, S_AUDIT, S_REVISION, S_HEAD, S_OUTPUT, S__MAX };

_Static_assert(sizeof(names) / sizeof(*names) == S__MAX,
    "one statement name per S_");

struct benchdb {
	sqlite3		*db;
	sqlite3_stmt	*st[S__MAX];
	const char	*sql[S__MAX];
	/* The audit chain's head, as store.c keeps it. */
	int64_t		 head_id;
	uint8_t		 head_hash[STORE_HASH_LEN];
};

static void
benchdb_die(struct benchdb *b, const char *what)
{
	fprintf(stderr, "benchdb: %s: %s\n", what, b->db != NULL ?
	    sqlite3_errmsg(b->db) : "out of memory");
	exit(1);
}

static void
step(struct benchdb *b, int i)
{
	if (sqlite3_step(b->st[i]) != SQLITE_DONE)
		benchdb_die(b, b->sql[i]);
	sqlite3_reset(b->st[i]);
	sqlite3_clear_bindings(b->st[i]);
}

static void
text(struct benchdb *b, int i, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(b->st[i], col);
	else
		sqlite3_bind_text64(b->st[i], col, s, strlen(s), SQLITE_STATIC,
		    SQLITE_UTF8);
}

static void
integer(struct benchdb *b, int i, int col, int64_t v)
{
	sqlite3_bind_int64(b->st[i], col, v);
}

static void
blob(struct benchdb *b, int i, int col, const void *p, size_t n)
{
	sqlite3_bind_blob64(b->st[i], col, p, n, SQLITE_STATIC);
}

void
benchdb_exec(struct benchdb *b, const char *q)
{
	if (sqlite3_exec(b->db, q, NULL, NULL, NULL) != SQLITE_OK)
		benchdb_die(b, q);
}

struct benchdb *
benchdb_open(const char *path, int bulk)
{
	struct benchdb	*b;
	int		 i;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		benchdb_die(b, path);
	if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		benchdb_die(b, path);
	sqlite3_busy_timeout(b->db, 5000);
	if (bulk) {
		benchdb_exec(b, "PRAGMA journal_mode = DELETE");
		benchdb_exec(b, "PRAGMA journal_mode = OFF");
		benchdb_exec(b, "PRAGMA synchronous = OFF");
		benchdb_exec(b, "PRAGMA locking_mode = EXCLUSIVE");
		benchdb_exec(b, "PRAGMA cache_size = -65536");
		benchdb_exec(b, "PRAGMA foreign_keys = OFF");
	} else {
		/* What store_open() does for gpd's writer. */
		benchdb_exec(b, "PRAGMA journal_mode = WAL");
		benchdb_exec(b, "PRAGMA synchronous = FULL");
		benchdb_exec(b, "PRAGMA foreign_keys = ON");
		benchdb_exec(b, "PRAGMA cache_size = -65536");
		benchdb_exec(b, "PRAGMA journal_size_limit = 16777216");
	}
	for (i = 0; i < S__MAX; i++) {
		if ((b->sql[i] = store_statement(names[i])) == NULL) {
			fprintf(stderr, "benchdb: store.c has no statement "
			    "%s\n", names[i]);
			exit(1);
		}
		if (sqlite3_prepare_v3(b->db, b->sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &b->st[i], NULL) != SQLITE_OK)
			benchdb_die(b, b->sql[i]);
	}
	if (sqlite3_step(b->st[S_HEAD]) == SQLITE_ROW) {
		b->head_id = sqlite3_column_int64(b->st[S_HEAD], 0);
		if (sqlite3_column_bytes(b->st[S_HEAD], 1) == STORE_HASH_LEN)
			memcpy(b->head_hash, sqlite3_column_blob(b->st[S_HEAD],
			    1), STORE_HASH_LEN);
	}
	sqlite3_reset(b->st[S_HEAD]);
	return b;
}

void
benchdb_close(struct benchdb *b)
{
	int	i;

	if (b == NULL)
		return;
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(b->st[i]);
	sqlite3_close(b->db);
	free(b);
}

void
benchdb_begin(struct benchdb *b)
{
	step(b, S_BEGIN);
}

void
benchdb_commit(struct benchdb *b)
{
	step(b, S_COMMIT);
}

uint32_t
benchdb_revision(struct benchdb *b, const char *unit, const char *period)
{
	uint32_t	rev;

	text(b, S_REVISION, 1, unit);
	text(b, S_REVISION, 2, period);
	if (sqlite3_step(b->st[S_REVISION]) != SQLITE_ROW)
		benchdb_die(b, b->sql[S_REVISION]);
	rev = (uint32_t)sqlite3_column_int64(b->st[S_REVISION], 0);
	sqlite3_reset(b->st[S_REVISION]);
	return rev;
}

static void
put_audit(struct benchdb *b, const struct benchdb_row *w)
{
	const struct report	*r = w->report;
	struct store_audit_row	 e;
	uint8_t			 hash[STORE_HASH_LEN];
	char			 detail[32];

	snprintf(detail, sizeof(detail), "revision %" PRIu32, w->revision);
	memset(&e, 0, sizeof(e));
	e.id = b->head_id + 1;
	e.at = w->received_at;
	e.cn = r->unit;
	e.fingerprint = w->fingerprint;
	e.action = "submit";
	e.unit = r->unit;
	e.period = r->period;
	e.result = "accepted";
	e.detail = detail;
	e.content_hash = w->hash;
	if (store_audit_hash(b->head_hash, &e, hash) == -1)
		benchdb_die(b, "audit hash");
	integer(b, S_AUDIT, 1, e.id);
	integer(b, S_AUDIT, 2, e.at);
	text(b, S_AUDIT, 3, e.cn);
	text(b, S_AUDIT, 4, e.fingerprint);
	text(b, S_AUDIT, 5, e.action);
	text(b, S_AUDIT, 6, e.unit);
	text(b, S_AUDIT, 7, e.period);
	text(b, S_AUDIT, 8, e.result);
	text(b, S_AUDIT, 9, e.detail);
	blob(b, S_AUDIT, 10, w->hash, STORE_HASH_LEN);
	blob(b, S_AUDIT, 11, b->head_hash, STORE_HASH_LEN);
	blob(b, S_AUDIT, 12, hash, STORE_HASH_LEN);
	step(b, S_AUDIT);
	b->head_id = e.id;
	memcpy(b->head_hash, hash, STORE_HASH_LEN);
}

void
benchdb_put(struct benchdb *b, const struct benchdb_row *w)
{
	const struct report		*r = w->report;
	const struct report_activity	*a;
	const struct report_text	*t;
	int64_t				 rid;
	uint64_t			 tot[7] = { 0, 0, 0, 0, 0, 0, 0 };
	char				 due[DATE_LEN + 1];
	size_t				 i, k, n;

	text(b, S_REPORT, 1, r->id);
	text(b, S_REPORT, 2, r->unit);
	text(b, S_REPORT, 3, r->period);
	integer(b, S_REPORT, 4, w->revision);
	text(b, S_REPORT, 5, w->receipt);
	integer(b, S_REPORT, 6, w->received_at);
	integer(b, S_REPORT, 7, w->late != 0);
	text(b, S_REPORT, 8, r->unit);
	text(b, S_REPORT, 9, w->fingerprint);
	blob(b, S_REPORT, 10, w->hash, STORE_HASH_LEN);
	text(b, S_REPORT, 11, r->reporter_name);
	text(b, S_REPORT, 12, r->reporter_position);
	text(b, S_REPORT, 13, r->reporter_phone);
	blob(b, S_REPORT, 14, w->raw, w->rawlen);
	if (w->form_sha256 != NULL)
		blob(b, S_REPORT, 15, w->form_sha256, STORE_HASH_LEN);
	text(b, S_REPORT, 16, r->plan_number);
	text(b, S_REPORT, 17, r->plan_date);
	/* The lateness kept with the revision (schema 6). */
	date_format(w->due, due);
	text(b, S_REPORT, 18, due);
	integer(b, S_REPORT, 19, w->days_late);
	integer(b, S_REPORT, 20, 0);
	step(b, S_REPORT);
	rid = sqlite3_last_insert_rowid(b->db);
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		integer(b, S_ACTIVITY, 1, rid);
		integer(b, S_ACTIVITY, 2, (int64_t)i);
		text(b, S_ACTIVITY, 3, a->area);
		text(b, S_ACTIVITY, 4, a->kind);
		text(b, S_ACTIVITY, 5, a->occasion);
		text(b, S_ACTIVITY, 6, a->status);
		text(b, S_ACTIVITY, 7, a->audience);
		text(b, S_ACTIVITY, 8, a->topic);
		text(b, S_ACTIVITY, 9, a->date);
		text(b, S_ACTIVITY, 10, a->end_date);
		text(b, S_ACTIVITY, 11, a->title);
		text(b, S_ACTIVITY, 12, a->location);
		integer(b, S_ACTIVITY, 13, (int64_t)a->sessions);
		integer(b, S_ACTIVITY, 14, (int64_t)a->participants);
		integer(b, S_ACTIVITY, 15, (int64_t)a->female);
		text(b, S_ACTIVITY, 16, a->notes);
		step(b, S_ACTIVITY);
		for (k = 0; k < a->noutputs; k++) {
			integer(b, S_OUTPUT, 1, rid);
			integer(b, S_OUTPUT, 2, (int64_t)i);
			text(b, S_OUTPUT, 3, a->outputs[k].code);
			integer(b, S_OUTPUT, 4, (int64_t)a->outputs[k].count);
			step(b, S_OUTPUT);
		}
	}
	/* Done and planned apart, as store_totals() adds them. */
	for (i = 0; i < r->nactivities; i++) {
		a = &r->activities[i];
		tot[0] += a->sessions;
		tot[1] += a->participants;
		tot[2] += a->female;
		if (a->status == NULL || strcmp(a->status, "planned") != 0)
			continue;
		tot[3]++;
		tot[4] += a->sessions;
		tot[5] += a->participants;
		tot[6] += a->female;
	}
	integer(b, S_TOTALS, 1, rid);
	integer(b, S_TOTALS, 2, (int64_t)r->nactivities);
	for (i = 0; i < 7; i++)
		integer(b, S_TOTALS, 3 + (int)i, (int64_t)tot[i]);
	step(b, S_TOTALS);
	for (i = 0; i < r->nindicators; i++) {
		integer(b, S_INDICATOR, 1, rid);
		text(b, S_INDICATOR, 2, r->indicators[i].code);
		integer(b, S_INDICATOR, 3, (int64_t)i);
		integer(b, S_INDICATOR, 4, (int64_t)r->indicators[i].total);
		if (r->indicators[i].has_female)
			integer(b, S_INDICATOR, 5,
			    (int64_t)r->indicators[i].female);
		step(b, S_INDICATOR);
	}
	for (i = 0; i <= r->nsections; i++) {
		/* The narrative, then each section's fields. */
		t = i == 0 ? r->narrative : r->sections[i - 1].fields;
		n = i == 0 ? r->nnarrative : r->sections[i - 1].nfields;
		for (k = 0; k < n; k++) {
			if (t[k].text == NULL)
				continue;
			integer(b, S_TEXT, 1, rid);
			text(b, S_TEXT, 2, i == 0 ? "narrative" :
			    r->sections[i - 1].code);
			text(b, S_TEXT, 3, t[k].code);
			text(b, S_TEXT, 4, t[k].text);
			step(b, S_TEXT);
		}
	}
	for (i = 0; w->warnings != NULL && i < w->warnings->n; i++) {
		integer(b, S_WARNING, 1, rid);
		integer(b, S_WARNING, 2, (int64_t)i);
		text(b, S_WARNING, 3, w->warnings->e[i].field);
		text(b, S_WARNING, 4, w->warnings->e[i].message);
		step(b, S_WARNING);
	}
	put_audit(b, w);
}
