/*
 * What every request handler shares (request.c): the peer it serves, the
 * results a handler returns, and refusals put on record before they are
 * sent. Handlers (submit.c, query.c, admin.c) see a connection only as a
 * struct peer, filled by the session.
 */
#ifndef GPD_REQUEST_H
#define GPD_REQUEST_H

#include <stdint.h>

#include "gp.pb-c.h"
#include "tls.h"

struct readers;
struct refusal_summary;
struct refusals;
struct reply;
struct settings;
struct stream;
struct worker;
struct writer;

enum peer_role {
	ROLE_NONE = 0,		/* CN neither a unit nor an administrator */
	ROLE_UNIT,
	ROLE_ADMIN
};

struct peer {
	uint64_t		 id;		/* the session's, for the log */
	char			 cn[GPD_CN_MAX + 1];
	char			 fingerprint[GPD_FINGERPRINT_LEN + 1];
	int			 role;		/* enum peer_role */
	struct settings		*set;		/* held by the session */
	struct worker		*worker;	/* whose loop serves it */
	struct writer		*writer;
	struct readers		*readers;	/* the worker's */
	struct refusals		*refusals;	/* every peer's, coalesced */
	unsigned int		 refused;	/* refusals on this connection */
	unsigned int		 unknown;	/* requests of unknown types */
	/*
	 * Set by the session: how a reply made later (once the writer is
	 * done) reaches it. The reply stays the caller's; the peer may be
	 * gone once answer returns.
	 */
	void			(*answer)(void *arg, const struct reply *);
	void			*arg;
};

enum request_result {
	REQUEST_REPLIED,	/* the reply is ready */
	REQUEST_PENDING,	/* at the writer: answer() follows; the
				 * handler took the reply */
	REQUEST_STREAM,		/* *stream set: frames follow */
	REQUEST_CLOSE		/* reply, then close the connection */
};

typedef enum request_result (*request_fn)(struct peer *,
		    const Gp__Request *, struct reply *, struct stream **);

/* Seconds a client is told to wait when the store is full. */
#define REQUEST_RETRY_FULL	60

/* A peer's string fit for a reply, or "?" when it is not one line of
 * valid UTF-8 of at most max bytes ("-" for NULL). */
const char	*request_printable(const char *, size_t max);

/*
 * Records the refusal already in reply as an audit entry, then answers
 * with it. kind (a static string) says why, in a few words: refusals are
 * coalesced per certificate (refusals.h), so that only the first of a
 * kind in a minute is written and logged at once, before the peer is
 * told (the reply is taken: REQUEST_PENDING); the same kind again within
 * the minute is counted and answered at once (REQUEST_REPLIED, reply not
 * taken), and written as one summary entry when the minute ends. When the
 * entry cannot be written, the refusal is not sent as if it were on
 * record: the peer is told the server could not record the request
 * instead. Out of memory: REQUEST_REPLIED with an internal error.
 *
 * unit goes into the audit's unit column only when it is a unit code,
 * period into its period column only when it is a period; otherwise they
 * are recorded escaped in the detail. All are copied. Every refusal
 * counts against the connection (peer->refused).
 */
enum request_result	request_refuse(struct peer *, struct reply *,
			    const char *action, const char *kind,
			    const char *unit, const char *period,
			    const char *detail);
/* PERMISSION_DENIED with detail, recorded as above. */
enum request_result	request_deny(struct peer *, struct reply *,
			    const char *action, const char *kind,
			    const char *period, const char *fmt, ...)
			    __attribute__((format(printf, 6, 7)));
/* What a window of refusals counted, on record: a log line and a chained
 * audit entry through the writer arg (for refusals_expire). */
void			request_summary(void *writer,
			    const struct refusal_summary *);

#endif
