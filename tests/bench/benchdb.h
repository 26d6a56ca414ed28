/*
 * The rows of one submission, inserted with plain SQLite and
 * daemon/store.c's own statements (store_statement): the report (with its canonical bytes and
 * hash), its activities, indicators, narrative texts and warnings, and
 * the audit entry chained with store_audit_hash(). No look-ups, no
 * savepoints, no receipt computation: the raw cost of the rows.
 *
 * Used by sqlbase (durable: WAL, synchronous=FULL, foreign keys on, as
 * gpd) and natgen (bulk: no journal, no sync). The database must already
 * hold gpd's schema.
 */
#ifndef GP_BENCHDB_H
#define GP_BENCHDB_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

struct benchdb;

struct benchdb_row {
	const struct report		*report;
	const uint8_t			*raw;
	size_t				 rawlen;
	const uint8_t			*hash;		/* SHA-256 of raw */
	const char			*fingerprint;	/* 64 hex */
	const char			*receipt;	/* 32 hex */
	int64_t				 received_at;
	int				 late;
	int32_t				 due;		/* days since 1970 */
	int32_t				 days_late;	/* 0: on time */
	uint32_t			 revision;
	const struct report_errors	*warnings;
	const uint8_t			*form_sha256;	/* or NULL */
};

/* bulk: journal off, synchronous off, a large cache, foreign keys off.
 * Otherwise as gpd: WAL, synchronous=FULL, foreign keys on. Exits with a
 * message on any error (a benchmark has nothing to recover). */
struct benchdb	*benchdb_open(const char *path, int bulk);
void		 benchdb_close(struct benchdb *);
void		 benchdb_exec(struct benchdb *, const char *sql);
/* BEGIN IMMEDIATE and COMMIT, as gpd's writer. */
void		 benchdb_begin(struct benchdb *);
void		 benchdb_commit(struct benchdb *);
void		 benchdb_put(struct benchdb *, const struct benchdb_row *);
/* The latest revision stored for (unit, period), 0 when none. */
uint32_t	 benchdb_revision(struct benchdb *, const char *unit,
		    const char *period);

#endif
