/*
 * The listener (listener.c): accepts on the main thread, counts the
 * connections that finished their handshake against max_connections
 * (past it a few more are answered BUSY, then accepting pauses; those
 * before their handshake have a budget of their own, kept by the
 * hosts), pauses after EMFILE, hands each connection to the next
 * worker's session host in turn, and logs a line a second of what
 * happened before handshakes.
 */
#ifndef GPD_LISTENER_H
#define GPD_LISTENER_H

#include <stddef.h>

struct event_base;
struct listener;
struct refusals;
struct settings_slot;
struct worker;
struct writer;

/* Connections past max_connections still get a BUSY answer, up to this
 * many more; past that the listener pauses. */
#define LISTENER_BUSY_SLACK	64

/* One session host per worker, refusals shared by all (may be NULL);
 * NULL with *errstr. */
struct listener	*listener_new(struct event_base *, struct settings_slot *,
		    struct writer *, struct worker **, size_t nworkers,
		    struct refusals *, const char **errstr);
/* Listens on [server] listen, or on the socket systemd passed. 0, or -1
 * with *cause (malloc'd, never NULL). */
int		 listener_listen(struct listener *, char **cause);
/* After a reload: max_connections may have changed. */
void		 listener_update(struct listener *);
/* After a reload: every open session is checked against the new
 * settings on its worker's thread (session_host_recheck). */
void		 listener_recheck(struct listener *);
/* Stops accepting, and asks every worker to finish its sessions within
 * timeout seconds and end its loop. */
void		 listener_stop(struct listener *, unsigned int timeout);
/* Once the workers have ended: their unused read connections close, so
 * that the writer, closing last, checkpoints and removes the WAL. */
void		 listener_close_readers(struct listener *);
void		 listener_free(struct listener *);	/* NULL: no-op */

#endif
