/*
 * A worker's read-only connections (readers.c). SQLite gives each
 * connection one snapshot while any of its statements is open, so a
 * streamed answer takes a connection of its own for as long as it lasts,
 * and a one-shot query takes one with nothing open: it sees every
 * transaction committed before it started. Used by one thread only.
 */
#ifndef GPD_READERS_H
#define GPD_READERS_H

#include <stddef.h>

struct readers;
struct store;

/* Connections open at once, per worker; past this readers_get fails. */
#define READERS_MAX	16
/* Connections kept open while unused. */
#define READERS_IDLE	4

/* Opens one connection to check the database; NULL with *errstr. */
struct readers	*readers_new(const char *path, const char **errstr);
void		 readers_free(struct readers *);	/* NULL: no-op */
/* A connection with nothing open, or NULL with *errstr (all
 * READERS_MAX are out, or the database cannot be opened). */
struct store	*readers_get(struct readers *, const char **errstr);
/* Gives it back; every cursor on it must be closed. */
void		 readers_put(struct readers *, struct store *);
/* Closes the unused connections (before the writer's last checkpoint). */
void		 readers_close_idle(struct readers *);
size_t		 readers_out(const struct readers *);

#endif
