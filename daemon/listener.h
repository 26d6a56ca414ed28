/*
 * The listener (listener.c): accepts on the main thread, counts the
 * connections against max_connections (past it a few more are answered
 * BUSY, then accepting pauses), pauses after EMFILE, and hands each
 * connection to the next worker's session host in turn.
 */
#ifndef GPD_LISTENER_H
#define GPD_LISTENER_H

#include <stddef.h>

struct event_base;
struct listener;
struct settings_slot;
struct worker;
struct writer;

/* Connections past max_connections still get a BUSY answer, up to this
 * many more; past that the listener pauses. */
#define LISTENER_BUSY_SLACK	64

/* One session host per worker; NULL with *errstr. */
struct listener	*listener_new(struct event_base *, struct settings_slot *,
		    struct writer *, struct worker **, size_t nworkers,
		    const char **errstr);
/* Listens on [server] listen, or on the socket systemd passed. 0, or -1
 * with *cause (malloc'd, never NULL). */
int		 listener_listen(struct listener *, char **cause);
/* After a reload: max_connections may have changed. */
void		 listener_update(struct listener *);
/* Stops accepting, and asks every worker to finish its sessions within
 * timeout seconds and end its loop. */
void		 listener_stop(struct listener *, unsigned int timeout);
/* Once the workers have ended: their unused read connections close, so
 * that the writer, closing last, checkpoints and removes the WAL. */
void		 listener_close_readers(struct listener *);
void		 listener_free(struct listener *);	/* NULL: no-op */

#endif
