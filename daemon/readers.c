/*
 * A worker's pool of read-only connections: taken by a query or a
 * stream, given back when it ends, kept open (a few) for the next.
 */
#include <stdlib.h>
#include <string.h>

#include "readers.h"
#include "store.h"

struct readers {
	char		*path;
	struct store	*idle[READERS_IDLE];
	size_t		 nidle;
	size_t		 out;		/* taken, not yet given back */
};

struct readers *
readers_new(const char *path, const char **errstr)
{
	struct readers	*r;
	struct store	*st;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->path = strdup(path)) == NULL) {
		free(r);
		*errstr = "out of memory";
		return NULL;
	}
	/* Refused now rather than at the first query. */
	if ((st = readers_get(r, errstr)) == NULL) {
		readers_free(r);
		return NULL;
	}
	readers_put(r, st);
	return r;
}

void
readers_close_idle(struct readers *r)
{
	if (r == NULL)
		return;
	while (r->nidle > 0)
		store_close(r->idle[--r->nidle]);
}

void
readers_free(struct readers *r)
{
	if (r == NULL)
		return;
	readers_close_idle(r);
	free(r->path);
	free(r);
}

struct store *
readers_get(struct readers *r, const char **errstr)
{
	struct store	*st;

	if (r->out >= READERS_MAX) {
		*errstr = "too many answers in progress";
		return NULL;
	}
	if (r->nidle > 0)
		st = r->idle[--r->nidle];
	else if ((st = store_open_reader(r->path, errstr)) == NULL)
		return NULL;
	r->out++;
	return st;
}

void
readers_put(struct readers *r, struct store *st)
{
	if (st == NULL)
		return;
	r->out--;
	/* One with a statement still open would hand its old snapshot to
	 * the next query: closed instead. */
	if (r->nidle < READERS_IDLE && !store_reading(st))
		r->idle[r->nidle++] = st;
	else
		store_close(st);
}

size_t
readers_out(const struct readers *r)
{
	return r->out;
}
