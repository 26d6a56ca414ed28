/*
 * Connections (session.c): the TLS handshake under a deadline, the
 * peer's identity, framed requests in and replies out, and one teardown.
 * The sessions of one worker belong to its session host, which the
 * listener makes; everything here runs on that worker's loop.
 */
#ifndef GPD_SESSION_H
#define GPD_SESSION_H

#include <stddef.h>

#include <stdint.h>

struct refusals;
struct sockaddr;
struct session_host;
struct settings_slot;
struct worker;
struct writer;

/* A connection may be refused this many times, then it is closed after
 * SESSION_LINGER seconds in which nothing more is read from it. */
#define SESSION_REFUSALS_MAX	16
#define SESSION_LINGER		2
/* Connections closed before their handshake for a reason other than a
 * timeout, a drop or a lost connection are logged one by one, up to this
 * many a second on each worker; the rest only in the summary. */
#define SESSION_FAILURES_LOGGED	5

/* What a host asks of whoever made it, on the worker's thread. */
struct session_hooks {
	/* A connection finished its handshake: 1 when it is past
	 * max_connections (answered BUSY, then closed). */
	int		(*established)(void *arg);
	/* A connection ended; established: whether it had finished its
	 * handshake (and established() was called for it). */
	void		(*gone)(void *arg, int established);
	void		*arg;
	/* The budgets of gpd.conf are shared among this many hosts. */
	size_t		 hosts;
	/* Refusals, coalesced across every host (NULL: each written). */
	struct refusals	*refusals;
};

/* What a host's connections did before their handshake since the last
 * session_host_stats(), for the listener's summary line. */
struct session_stats {
	uint64_t	 dropped;	/* for a newer connection */
	uint64_t	 timeouts;
	uint64_t	 lost;		/* closed by the peer, reset */
	uint64_t	 failed;	/* TLS or identity failures */
	uint64_t	 failed_unlogged;
	unsigned int	 halfopen;	/* open now */
	char		 last_dropped[64];	/* address:port */
};

/*
 * The sessions of one worker (hooks copied). NULL with *errstr when the
 * database cannot be read.
 */
struct session_host	*session_host_new(struct worker *, struct writer *,
			    struct settings_slot *,
			    const struct session_hooks *, const char **errstr);
/* Once the worker's thread has ended. NULL: no-op. */
void			 session_host_free(struct session_host *);
/* From any thread: the host stops taking connections, closes those that
 * wait for nothing, lets the others finish for up to timeout seconds,
 * then ends the worker's loop. Once: later calls do nothing. */
void			 session_host_stop(struct session_host *,
			    unsigned int timeout);
/* Closes its unused read connections (after the worker has ended). */
void			 session_host_close_readers(struct session_host *);
/* From any thread, after a reload: every established session is checked
 * on the worker's thread against the newest settings (certificate, CRL,
 * registry, administrators); one that lost its right is closed, logged
 * and audited, the others take the new settings (and role) from their
 * next request. Sessions are also checked so every idle_timeout. 0, or
 * -1 when out of memory. */
int			 session_host_recheck(struct session_host *);
/* From any thread, when descriptors ran out: up to SESSION_SHED of the
 * host's connections that have sent nothing are closed, so that accepting
 * can go on when it resumes. 0, or -1 when out of memory. */
#define SESSION_SHED		16
int			 session_host_shed(struct session_host *);
/* From any thread: the counts since the last call (then zeroed). */
void			 session_host_stats(struct session_host *,
			    struct session_stats *);

/* What the host holds now, on the worker's thread (or once it ended):
 * its open sessions, and its read connections taken by streams. */
unsigned int		 session_host_sessions(const struct session_host *);
size_t			 session_host_readers_out(const struct session_host *);

/* On the worker's thread: a new connection (fd is taken), admitted to
 * the handshake budget, perhaps in place of an older one. */
void	 session_accept(struct session_host *, int fd,
	    const struct sockaddr *, int socklen);

#endif
