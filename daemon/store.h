/*
 * The report store: SQLite in WAL mode with synchronous=FULL. All SQL of
 * the project lives in store.c, as prepared statements from one table.
 * A function that returns success has committed.
 */
#ifndef GP_STORE_H
#define GP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_RECEIPT_LEN	32	/* hex characters */

struct store;

/* What the daemon knows of a submission besides the report itself. */
struct store_meta {
	const char			*cn;		/* certificate CN */
	const char			*fingerprint;	/* SHA-256 hex of the DER */
	int64_t				 received_at;	/* Unix time */
	int				 late;
	const uint8_t			*raw;		/* canonical bytes */
	size_t				 rawlen;
	const uint8_t			*hash;		/* SHA-256 of raw */
	const struct report_errors	*warnings;	/* stored with it */
};

struct store_receipt {
	char		receipt[STORE_RECEIPT_LEN + 1];
	uint32_t	revision;
	int64_t		received_at;
	int		late;
	int		duplicate;
};

enum store_status {
	STORE_OK = 0,		/* stored and committed */
	STORE_DUPLICATE,	/* same id and content: *out is the first receipt */
	STORE_CONFLICT,		/* same id, different content: nothing stored */
	STORE_FULL,		/* disk or database full: nothing stored, retry */
	STORE_FAIL		/* any other error: nothing stored; see store_error */
};

/*
 * Opens (creating when absent) and migrates the database. Returns NULL
 * with *errstr (static or owned by nothing the caller frees) on failure.
 */
struct store	*store_open(const char *path, const char **errstr);
void		 store_close(struct store *);	/* NULL is a no-op */

/* The last SQLite error message with the statement that caused it. */
const char	*store_error(const struct store *);

/*
 * Stores one submission in one transaction: the report row, its
 * activities, indicators, narrative texts and warnings, the canonical
 * bytes, and an audit entry. The revision is one more than the latest of
 * (unit, period). Same submission id again: STORE_DUPLICATE with the first
 * receipt when the hash matches, STORE_CONFLICT when it does not.
 */
enum store_status store_put_report(struct store *, const struct report *,
		    const struct store_meta *, struct store_receipt *out);

/*
 * Group commit: store_begin() opens one transaction, store_put() and
 * store_put_audit() add to it (a failed put is undone alone, under a
 * savepoint), store_commit() ends it. Nothing is durable, and no receipt
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

/* Appends an audit entry (refusals and other events) in its own
 * transaction. Any string may be NULL. Returns 0 or -1. */
int		 store_audit(struct store *, int64_t at, const char *cn,
		    const char *fingerprint, const char *action,
		    const char *unit, const char *period, const char *result,
		    const char *detail);

#endif
