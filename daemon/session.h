/*
 * Connections (session.c): the TLS handshake under a deadline, the
 * peer's identity, framed requests in and replies out, and one teardown.
 * The sessions of one worker belong to its session host, which the
 * listener makes; everything here runs on that worker's loop.
 */
#ifndef GPD_SESSION_H
#define GPD_SESSION_H

#include <stddef.h>

struct sockaddr;
struct session_host;
struct settings_slot;
struct worker;
struct writer;

/*
 * The sessions of one worker. gone(arg) is called, on the worker's
 * thread, each time one of them ends (the listener counts them). NULL
 * with *errstr when the database cannot be read.
 */
struct session_host	*session_host_new(struct worker *, struct writer *,
			    struct settings_slot *, void (*gone)(void *),
			    void *arg, const char **errstr);
/* Once the worker's thread has ended. NULL: no-op. */
void			 session_host_free(struct session_host *);
/* From any thread: the host stops taking connections, closes those that
 * wait for nothing, lets the others finish for up to timeout seconds,
 * then ends the worker's loop. Once: later calls do nothing. */
void			 session_host_stop(struct session_host *,
			    unsigned int timeout);
/* Closes its unused read connections (after the worker has ended). */
void			 session_host_close_readers(struct session_host *);

/* What the host holds now, on the worker's thread (or once it ended):
 * its open sessions, and its read connections taken by streams. */
unsigned int		 session_host_sessions(const struct session_host *);
size_t			 session_host_readers_out(const struct session_host *);

/* On the worker's thread: a new connection (fd is taken). over: past
 * max_connections, answered BUSY and closed. */
void	 session_accept(struct session_host *, int fd,
	    const struct sockaddr *, int socklen, int over);

#endif
