/*
 * The report store: SQLite in WAL mode with synchronous=FULL. All SQL of
 * the project lives in store.c, as prepared statements from one table.
 * Writes go into a batch (store_begin ... store_commit): nothing is
 * durable before store_commit() returns STORE_OK.
 */
#ifndef GP_STORE_H
#define GP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"
#include "report.h"

#define STORE_SCHEMA_VERSION	8
#define STORE_HASH_LEN		32	/* SHA-256 */
#define STORE_RECEIPT_LEN	32	/* hex characters */

struct store;

/* What the daemon knows of a submission besides the report itself. */
struct store_meta {
	const char			*cn;		/* certificate CN */
	const char			*fingerprint;	/* SHA-256 hex of the DER */
	int64_t				 received_at;	/* Unix time */
	/* The day of submission in the federation's zone, and the due
	 * date of the period in the form it was checked against (day
	 * numbers): the store judges lateness with the unit's extension,
	 * if any, in the same transaction, and keeps it. */
	int32_t				 today;
	int32_t				 due;
	const uint8_t			*raw;		/* canonical bytes */
	size_t				 rawlen;
	const uint8_t			*hash;		/* SHA-256 of raw */
	/* SHA-256 of the report packed as before report forms, when that
	 * encoding can hold it (report_legacy_pack), or NULL: a revision
	 * stored before forms under the same id is the same report when
	 * its content hash is this. */
	const uint8_t			*legacy_hash;
	const struct report_errors	*warnings;	/* stored with it */
	/* The form it was checked against: kept with the first report. */
	const uint8_t			*form_sha256;
	int				 form_year;
	const char			*form_bytes;	/* canonical */
	size_t				 form_len;
};

struct store_receipt {
	char		receipt[STORE_RECEIPT_LEN + 1];
	uint32_t	revision;
	int64_t		received_at;
	int		late;
	int		duplicate;
	/* What the receipt signs as report_sha256: the content hash of the
	 * revision stored (for a duplicate of one stored before report
	 * forms, of the bytes it was received as). */
	uint8_t		content_hash[STORE_HASH_LEN];
	/* The revision before this one had been returned by the province:
	 * the report is under review again. */
	int		back_under_review;
	/* STORE_ACCEPTED: the revision the province accepted. */
	uint32_t	accepted_revision;
	/* The lateness kept with the revision: the due date it was judged
	 * against (day number; 0 unknown, for one stored before schema 6
	 * without a form), days late, whether an extension applied. */
	int32_t		due;
	int32_t		days_late;
	int		extended;
	/* The latest revision of (unit, period) now and its submission id:
	 * for a duplicate, which may be an older revision. */
	uint32_t	latest_revision;
	char		latest_submission_id[REPORT_MAX_ID + 1];
};

enum store_status {
	STORE_OK = 0,		/* stored and committed */
	STORE_DUPLICATE,	/* same id and content: *out is the first receipt */
	STORE_CONFLICT,		/* same id, different content: only the
				   refusal is audited */
	STORE_FULL,		/* disk or database full: nothing stored, retry */
	STORE_LOCKED,		/* period locked: only the refusal is audited */
	STORE_ACCEPTED,		/* the report was accepted by the province: its
				   latest revision is final until reopened;
				   only the refusal is audited */
	STORE_FAIL		/* any other error: nothing stored; see store_error */
};

/*
 * Opens (creating when absent) and migrates the database. Returns NULL
 * with *errstr (static or owned by nothing the caller frees) on failure.
 */
struct store	*store_open(const char *path, const char **errstr);
/* A read-only connection for queries (a worker's readers.c keeps a few);
 * the database must exist at the current schema version. */
struct store	*store_open_reader(const char *path, const char **errstr);
/* NULL is a no-op. A cursor still open may be closed afterwards; the
 * connection goes with the last of them. */
void		 store_close(struct store *);

/* An online, consistent copy of the database at path into dest (written
 * to dest.tmp, synced, renamed). Safe while gpd serves. Returns 0 or -1
 * with *errstr. */
int		 store_backup(const char *path, const char *dest,
		    const char **errstr);

/* Whether an error showed the database can no longer be written safely
 * (I/O error, read-only or replaced file): the daemon must stop. */
int		 store_broken(const struct store *);

/* The last SQLite error message with the statement that caused it. */
const char	*store_error(const struct store *);

/* Whether a statement is open on the connection (its read snapshot is
 * held). */
int		 store_reading(const struct store *);

/* The SQL of the named statement of the store's table (NULL: none), for
 * the benchmark's raw-SQLite baseline, which must run the same. */
const char	*store_statement(const char *name);

/*
 * Group commit: store_begin() opens one transaction, store_put() and
 * store_put_audit() add to it (a failed put is undone alone, under a
 * savepoint), store_commit() ends it.
 *
 * store_put() stores one submission: the report row, its activities,
 * indicators, totals, narrative texts and warnings, the canonical bytes,
 * and an audit entry. The revision is one more than the latest of (unit,
 * period). Same submission id again: STORE_DUPLICATE with the first
 * receipt when the hash matches, STORE_CONFLICT when it does not. Nothing is durable, and no receipt
 * may be sent, before store_commit() returns STORE_OK; when it does not,
 * every put of the batch is gone.
 */
int		 store_begin(struct store *);
enum store_status store_put(struct store *, const struct report *,
		    const struct store_meta *, struct store_receipt *out);
int		 store_put_audit(struct store *, int64_t at, const char *cn,
		    const char *fingerprint, const char *action,
		    const char *unit, const char *period, const char *result,
		    const char *detail);
enum store_status store_commit(struct store *);


/* Locks or unlocks a period inside a batch, with its audit entry;
 * *changed tells whether the state changed. Returns 0 or -1. */
int		 store_put_lock(struct store *, const char *period, int lock,
		    int64_t at, const char *cn, const char *fingerprint,
		    int *changed);

/*
 * The province's review of a report (issue 17). A decision names the
 * revision it is taken on; it is stored with who took it, when and its
 * comment, and chained into the audit with the SHA-256 of its signed
 * text (receipt.h, decision_payload).
 */
#define STORE_COMMENT_MAX	2000	/* bytes of a decision's comment */

enum store_review_refusal {
	STORE_REVIEW_DONE = 0,
	STORE_REVIEW_NO_REPORT,		/* nothing stored for (unit, period) */
	STORE_REVIEW_NO_REVISION,	/* the revision named does not exist */
	STORE_REVIEW_STALE,		/* a later revision exists */
	STORE_REVIEW_STATE		/* the action does not fit the state */
};

struct store_review {
	const char	*unit;
	const char	*period;
	uint32_t	 revision;	/* the revision decided on */
	const char	*action;	/* accept, return, reopen */
	const char	*comment;	/* NULL: none */
	int64_t		 at;
	const char	*cn;
	const char	*fingerprint;
};

struct store_decision {
	int		refused;	/* enum store_review_refusal */
	uint32_t	latest;		/* the latest revision stored */
	const char	*was;		/* its state before (static) */
	/* A decision taken: the fields of its signed text. */
	char		decision[STORE_RECEIPT_LEN + 1];
	const char	*state;		/* static */
	char		report_sha256[2 * STORE_HASH_LEN + 1];
	char		comment_sha256[2 * STORE_HASH_LEN + 1];
	char		decided_at[24];
};

/*
 * Stores a decision inside a batch, with its audit entry; a decision that
 * does not fit (out->refused) is not stored, but its refusal is audited.
 * The state after each action: accept (from received or returned) →
 * accepted; return (from received) → returned; reopen (from accepted) →
 * received. Returns 0 or -1.
 */
int		 store_put_review(struct store *, const struct store_review *,
		    struct store_decision *out);

/*
 * The unit registry the aggregates are kept by (issue 20): each unit's
 * code, type and validity (days since 1970, INT32_MIN and INT32_MAX when
 * open), in strcmp order of codes. Inside a batch, the registry kept in
 * the database is brought to this one, and the totals of every unit that
 * changed (type, validity, added, removed) move with it; *changed says
 * how many. gpd runs it at start and at each reload. Returns 0 or -1.
 */
struct store_unit {
	const char	*code;
	const char	*type;
	int32_t		 valid_from;
	int32_t		 valid_to;
};

int		 store_put_registry(struct store *, const struct store_unit *,
		    size_t n, size_t *changed);

/* The state names of a report's latest revision. */
#define STORE_STATE_RECEIVED	"received"
#define STORE_STATE_RETURNED	"returned"
#define STORE_STATE_ACCEPTED	"accepted"

/*
 * Moves one unit's due date for a period to until (YYYY-MM-DD), with a
 * reason (may be NULL), or takes the extension away (until NULL), inside
 * a batch, with its audit entry. previous gets the date it replaces (""
 * for none); *changed whether anything changed. Revisions already
 * stored keep their lateness. Returns 0 or -1.
 */
int		 store_put_extension(struct store *, const char *unit,
		    const char *period, const char *until, const char *reason,
		    int64_t at, const char *cn, const char *fingerprint,
		    char previous[DATE_LEN + 1], int *changed);

/*
 * Queries for administrators. store_query() opens a cursor; the
 * store_next_*() of its row type returns 1 with a row (its strings valid
 * until the next call), 0 at the end, -1 on error (store_error()).
 */
enum store_query {
	STORE_Q_LIST,		/* period?, unit?: latest revisions (report) */
	STORE_Q_HISTORY,	/* period, unit: every revision (report) */
	STORE_Q_SHOW,		/* period, unit, revision (0: latest) (report) */
	STORE_Q_INDICATORS_OF,	/* report_id (indicator) */
	STORE_Q_WARNINGS_OF,	/* report_id (warning) */
	STORE_Q_MISSING,	/* period: units that reported (missing) */
	STORE_Q_SUM_TOTAL,	/* period (sum), latest revisions only */
	STORE_Q_SUM_AREA,
	STORE_Q_SUM_KIND,
	STORE_Q_SUM_OCCASION,
	STORE_Q_SUM_STATUS,
	STORE_Q_SUM_UNIT,
	STORE_Q_INDICATOR_TOTALS, /* period (indicator) */
	STORE_Q_EXPORT,		/* period: activities of latest (activity) */
	STORE_Q_AUDIT,		/* since, unit? (audit) */
	STORE_Q_REVIEWS,	/* period, unit: decisions, oldest first
				   (review) */
	STORE_Q_COMMENTS,	/* period?, unit: decisions with a comment,
				   newest first (review) */
	STORE_Q_LOCKS,		/* the locked periods (sum: key only) */
	STORE_Q_STATES,		/* period, accepted: latest revisions by
				   state (sum: key, reports) */
	STORE_Q_SUM_TYPE,	/* period, accepted: by the unit's type in
				   the registry, "" for none (sum) */
	STORE_Q_MISSING_COUNTS,	/* period, from, to: the expected
				   units that reported, by state (count) */
	STORE_Q_EXTENSIONS,	/* period, unit?: by unit (extension) */
	STORE_Q__MAX
};

struct store_args {
	const char	*period;
	const char	*unit;
	uint32_t	 revision;
	int64_t		 since;
	int64_t		 report_id;
	int		 accepted;	/* sums, export: accepted reports only */
	/* missing's counts: the period's coverage, in days since 1970
	 * (UTC), as struct period has them. */
	int32_t		 from, to;
};

/* missing's counts of the units expected that reported, in one state. */
struct store_count_row {
	const char	*state;
	uint64_t	 reported;
	uint64_t	 on_time;	/* the first revision not late, as kept */
};

struct store_report_row {
	int64_t		 id;
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	int64_t		 received_at;
	int		 late;
	const char	*receipt;
	const char	*submission_id;
	const char	*cert_cn;
	const char	*cert_fingerprint;
	/* Every activity, then the planned ones among them: done is the
	 * difference. */
	uint64_t	 activities;
	uint64_t	 sessions;
	uint64_t	 participants;
	uint64_t	 female;
	uint64_t	 planned_activities;
	uint64_t	 planned_sessions;
	uint64_t	 planned_participants;
	uint64_t	 planned_female;
	const uint8_t	*content_hash;	/* as received, which receipts sign */
	const uint8_t	*form_sha256;	/* the form it was checked against */
	/* Differs from content_hash for a revision stored before report
	 * forms, whose bytes are packed the old way. */
	const uint8_t	*canonical_hash;
	/* Its lateness, as kept when it was stored. */
	const char	*due;		/* YYYY-MM-DD, or NULL: unknown */
	int32_t		 days_late;
	int		 extended;
	const char	*review_state;	/* of this revision */
};

/* A decision as stored. */
struct store_review_row {
	const char	*decision;
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	const uint8_t	*report_hash;
	const char	*action;
	const char	*state;
	const char	*comment;	/* or NULL */
	const char	*cn;
	int64_t		 decided_at;
};

struct store_indicator_row {
	const char	*code;
	uint64_t	 total;
	uint64_t	 female;
	int		 has_female;	/* a women's figure was given */
};

struct store_missing_row {
	const char	*unit;
	int64_t		 first_at;	/* first revision received */
	int32_t		 days_late;	/* of the first revision, kept */
	int		 extended;	/* its due date was an extension */
	uint32_t	 revision;	/* latest */
	const char	*review_state;	/* of the latest */
	int64_t		 latest_at;	/* latest received */
};

/* One unit's extension of a period's due date. */
struct store_extension_row {
	const char	*unit;
	const char	*period;
	const char	*until;		/* YYYY-MM-DD */
	const char	*reason;	/* or NULL */
	int64_t		 at;
	const char	*cn;
};

struct store_sum_row {
	const char	*key;		/* the code or unit grouped by */
	uint64_t	 reports;
	uint64_t	 activities;
	uint64_t	 sessions;
	uint64_t	 participants;
	uint64_t	 female;
	uint64_t	 planned_activities;	/* among those above */
	uint64_t	 planned_sessions;
	uint64_t	 planned_participants;
	uint64_t	 planned_female;
};

struct store_activity_row {
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	uint32_t	 idx;
	const char	*area, *kind, *occasion, *status;
	const char	*audience, *topic;	/* or NULL */
	const char	*outputs;	/* "articles=12 leaflets=1500", NULL */
	const char	*date;
	const char	*end_date;
	const char	*title;
	const char	*location;
	const char	*notes;
	uint64_t	 sessions;
	uint64_t	 participants;
	uint64_t	 female;
	/* The report's first revision's lateness, as kept when it was
	 * stored (what missing shows); none without a revision 1. */
	int		 has_first;
	int64_t		 first_at;	/* received */
	int32_t		 first_days_late;
	int		 first_extended;	/* first_due is an extension */
	const char	*first_due;	/* YYYY-MM-DD, or NULL: unknown */
};

struct store_audit_row {
	int64_t		 id;
	int64_t		 at;
	const char	*cn;
	const char	*fingerprint;
	const char	*action;
	const char	*unit;
	const char	*period;
	const char	*result;
	const char	*detail;
	const uint8_t	*content_hash;	/* of the report, for submissions */
	const uint8_t	*prev_hash;
	const uint8_t	*hash;
};

struct store_cursor;

/* The chain hash of an audit entry (its id and fields) after prev. */
int	 store_audit_hash(const uint8_t prev[STORE_HASH_LEN],
	    const struct store_audit_row *, uint8_t out[STORE_HASH_LEN]);
/* Checks the audit chain and every stored revision against its bytes and
 * the chain, telling each problem (and two summary lines) to say().
 * Returns the number of problems, or -1 with *errstr. */
long	 store_verify(const char *path, void (*say)(void *, const char *),
	    void *arg, const char **errstr);
/* The newest entry's id and hash (0 and zeros when there is none). */
int	 store_audit_head(struct store *, int64_t *id,
	    uint8_t hash[STORE_HASH_LEN]);

struct store_cursor	*store_query(struct store *, enum store_query,
			    const struct store_args *);
void			 store_cursor_close(struct store_cursor *);
int	 store_next_report(struct store_cursor *, struct store_report_row *);
int	 store_next_indicator(struct store_cursor *,
	    struct store_indicator_row *);
int	 store_next_warning(struct store_cursor *, const char **field,
	    const char **message);
int	 store_next_missing(struct store_cursor *, struct store_missing_row *);
int	 store_next_sum(struct store_cursor *, struct store_sum_row *);
int	 store_next_count(struct store_cursor *, struct store_count_row *);
int	 store_next_activity(struct store_cursor *,
	    struct store_activity_row *);
int	 store_next_audit(struct store_cursor *, struct store_audit_row *);
int	 store_next_review(struct store_cursor *, struct store_review_row *);
int	 store_next_extension(struct store_cursor *,
	    struct store_extension_row *);
/*
 * The extension of one unit's due date for a period: 1 with until
 * (YYYY-MM-DD) and, when reason is not NULL, the reason (cut to
 * reasonlen, "" for none) copied, 0 when there is none, -1 on error. What
 * submit judges lateness by; what missing, status and call lists show
 * (a period's at once: STORE_Q_EXTENSIONS).
 */
int	 store_extension(struct store *, const char *unit, const char *period,
	    char until[DATE_LEN + 1], char *reason, size_t reasonlen);
/* Hands the stored canonical bytes of a report to fn; returns fn's
 * result, or -1 when the report cannot be read. */
int	 store_show_raw(struct store *, int64_t report_id, void *arg,
	    int (*fn)(void *, const void *, size_t));

/* A form kept by its SHA-256: 1 with fn(arg, year, bytes, len) called,
 * 0 when there is none, -1 on error. */
int	 store_form(struct store *, const uint8_t sha256[STORE_HASH_LEN],
	    void *arg, int (*fn)(void *, int, const void *, size_t));

/*
 * How many units' reports of a year use a code: list is an enum
 * form_list, or FORM_PERIODS (code "H1" or "annual": the reports of that
 * period) or FORM_WHOLE (every report of the year); a section's field is
 * "section.field". Returns the count, or -1 with store_error().
 */
long	 store_count_using(struct store *, int year, int list,
	    const char *code);

#endif
