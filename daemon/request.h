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

/* A peer's string fit for a log line or a reply, or "?" when it is not
 * one line of valid UTF-8 of at most max bytes ("-" for NULL). */
const char	*request_printable(const char *, size_t max);

/*
 * Records the refusal already in reply (the reply is taken) as an audit
 * entry, then answers with it. When the entry cannot be written, the
 * refusal is not sent as if it were on record: the peer is told the
 * server could not record the request instead. Returns REQUEST_PENDING,
 * or REQUEST_REPLIED (reply not taken) with an internal error when out of
 * memory. unit, period and detail are copied.
 */
enum request_result	request_refuse(struct peer *, struct reply *,
			    const char *action, const char *unit,
			    const char *period, const char *detail);
/* PERMISSION_DENIED with detail, logged and recorded as above. */
enum request_result	request_deny(struct peer *, struct reply *,
			    const char *action, const char *period,
			    const char *fmt, ...)
			    __attribute__((format(printf, 5, 6)));

#endif
