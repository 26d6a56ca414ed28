/*
 * One client connection: TLS handshake under a deadline, identity check,
 * framed requests in, framed responses out, and one way to end it:
 * session_close(), idempotent and the last thing on any callback path.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/queue.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>

#include "config.h"
#include "dispatch.h"
#include "frame.h"
#include "halfopen.h"
#include "log.h"
#include "readers.h"
#include "reply.h"
#include "request.h"
#include "session.h"
#include "settings.h"
#include "tls.h"
#include "units.h"
#include "worker.h"
#include "writer.h"

/* Stop reading a peer whose unread replies pile up past this. */
#define SESSION_OUTPUT_MAX	(4 * 1024 * 1024)
/* A streamed answer makes its next frame when the output is below this. */
#define SESSION_STREAM_LOW	(128 * 1024)

/* Why a connection closed before its handshake, for the summary: these
 * are counted, not logged one by one. */
static const char	SESSION_DROPPED[] = "dropped for a newer connection";
static const char	SESSION_HS_TIMEOUT[] = "handshake timeout";
static const char	SESSION_HS_LOST[] = "connection lost during handshake";
static const char	SESSION_SHUTDOWN[] = "shutdown";

struct session {
	/* Established: in the host's sessions, oldest check first. */
	TAILQ_ENTRY(session)	 entry;
	/* Before the handshake: in the host's half-open set. */
	struct halfopen		 ho;
	struct session_host	*host;
	struct peer		 peer;	/* what handlers see of it */
	/* Newer settings, taken at the next request (a reload). */
	struct settings		*next_set;
	struct bufferevent	*bev;
	struct evbuffer_cb_entry *out_cb;	/* counts the output */
	/* The handshake's deadline, then each frame's once begun, or the
	 * pause before a close (linger). */
	struct event		*deadline;
	char			 addr[64];	/* address:port */
	int			 handshaking;	/* in the half-open set */
	int			 established;
	int			 busy;		/* a request is at the writer */
	int			 over;		/* past the connection cap */
	int			 closing;	/* close once the reply is out */
	int			 closed;	/* freed when no longer busy */
	unsigned int		 linger;	/* seconds before that close */
	int			 lingering;
	const char		*close_reason;
	time_t			 checked_at;	/* certificate, rights */
	struct stream		*stream;	/* an answer of many frames */
	/* Whether the peer reads a stream: checked each second. */
	struct event		*stall;
	uint64_t		 frames;	/* made for the stream */
	uint64_t		 frames_seen;
	size_t			 unsent_seen;	/* not yet read by the peer */
	time_t			 progress_at;
	uint64_t		 requests;
};

TAILQ_HEAD(sessions, session);

struct session_host {
	struct worker		*worker;
	struct writer		*writer;
	struct readers		*readers;
	struct settings_slot	*slot;
	struct session_hooks	 hooks;
	struct sessions		 sessions;	/* established */
	struct halfopen_set	 halfopen;	/* before the handshake */
	_Atomic unsigned int	 halfopen_now;	/* its count, for stats */
	unsigned int		 nsessions;	/* both */
	size_t			 output;	/* unsent, all sessions */
	struct event		*tick;		/* each second: rechecks */
	/* Closes before the handshake, for the listener's summary. */
	pthread_mutex_t		 stats_lock;
	struct session_stats	 stats;
	time_t			 log_second;	/* failures logged in it */
	unsigned int		 log_count;
	int			 stopping;	/* worker's thread */
	int			 stop_sent;	/* caller's thread */
	unsigned int		 stop_timeout;
	struct worker_msg	 stop_msg;
	struct event		*deadline;	/* bounded shutdown */
};

static _Atomic uint64_t	session_next_id;

static void	session_read(struct bufferevent *, void *);
static void	session_write(struct bufferevent *, void *);
static void	session_event(struct bufferevent *, short, void *);
static void	session_close(struct session *, const char *);

static void
session_addr(char *buf, size_t len, const struct sockaddr *sa)
{
	char	host[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)
		    (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%d", host, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)
		    (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%d", host, ntohs(sin6->sin6_port));
	} else
		snprintf(buf, len, "unknown");
}

static void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	settings_release(s->peer.set);
	settings_release(s->next_set);
	free(s);
}

static time_t
session_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct session *
session_of(struct halfopen *ho)
{
	return (struct session *)(void *)((char *)ho -
	    offsetof(struct session, ho));
}

/* What a certificate's CN may do under set. */
static int
session_role(const struct settings *set, const char *cn)
{
	if (config_is_admin(set->conf, cn))
		return ROLE_ADMIN;
	if (units_find(set->units, cn) != NULL)
		return ROLE_UNIT;
	return ROLE_NONE;
}

static const char *
session_role_name(int role)
{
	return role == ROLE_ADMIN ? "admin" : role == ROLE_UNIT ? "unit" :
	    "unknown";
}

/* The handshake, then each frame once begun, must end by a deadline:
 * a peer trickling a byte now and then is not idle but not sending. The
 * same timer holds a connection refused too often before its close. */
static void
session_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct session	*s = arg;

	(void)fd;
	(void)what;
	if (s->lingering)
		session_close(s, s->close_reason);
	else
		session_close(s, s->established ? "frame timeout" :
		    SESSION_HS_TIMEOUT);
}

/*
 * Timeouts while waiting for the peer: idle between requests, a deadline
 * for a frame begun, and for a streamed answer, how long the peer may
 * read nothing. None while gpd itself works on a request.
 */
static void
session_timeouts(struct session *s)
{
	const struct config	*conf = s->peer.set->conf;
	struct timeval		 idle = { (time_t)conf->idle_timeout, 0 };
	struct timeval		 frame = { (time_t)conf->frame_timeout, 0 };

	if (!s->established || s->closing)
		return;
	if (s->stream != NULL) {
		/* session_stall watches the peer instead. */
		bufferevent_set_timeouts(s->bev, NULL, NULL);
		evtimer_del(s->deadline);
		return;
	}
	bufferevent_set_timeouts(s->bev, s->busy ? NULL : &idle, &idle);
	if (!s->busy &&
	    evbuffer_get_length(bufferevent_get_input(s->bev)) > 0) {
		if (!evtimer_pending(s->deadline, NULL))
			evtimer_add(s->deadline, &frame);
	} else
		evtimer_del(s->deadline);
}

/* Bytes of the answer the peer has not read yet: in our buffer and in
 * the kernel's send queue (sent but not acknowledged, or not sent). */
static size_t
session_unsent(struct session *s)
{
	int	queued = 0;

	if (ioctl(bufferevent_getfd(s->bev), SIOCOUTQ, &queued) == -1 ||
	    queued < 0)
		queued = 0;
	return evbuffer_get_length(bufferevent_get_output(s->bev)) +
	    (size_t)queued;
}

/* Keeps the host's count of unsent replies exact, whoever changes the
 * output: a reply added, the TLS layer taking it. */
static void
session_output_changed(struct evbuffer *buf,
    const struct evbuffer_cb_info *info, void *arg)
{
	struct session	*s = arg;

	(void)buf;
	s->host->output += info->n_added;
	s->host->output -= info->n_deleted;
}

/*
 * The output budget (max_output, shared among the hosts): past it, the
 * sessions holding the most unread replies are closed until the host is
 * under its share again. A client that reads holds little (a stream
 * makes its next frame only when the previous ones are read); one that
 * stopped reading holds the most. -1 when s itself was closed.
 */
static int
session_output_budget(struct session *s)
{
	struct session_host	*h = s->host;
	struct session		*t, *big;
	size_t			 share, len, biglen;
	char			 reason[64];

	share = (size_t)(s->peer.set->conf->max_output /
	    (h->hooks.hosts > 0 ? h->hooks.hosts : 1));
	while (h->output > share) {
		big = NULL;
		biglen = 0;
		TAILQ_FOREACH(t, &h->sessions, entry) {
			len = evbuffer_get_length(bufferevent_get_output(t->bev));
			if (len > biglen) {
				big = t;
				biglen = len;
			}
		}
		if (big == NULL)
			break;
		snprintf(reason, sizeof(reason), "output budget: %zu bytes "
		    "unread", biglen);
		session_close(big, reason);
		if (big == s)
			return -1;
	}
	return 0;
}

/*
 * Each second of a stream: the peer made progress when a frame was made
 * or fewer bytes wait for it than a second ago. A peer that reads
 * nothing for stream_timeout is closed, so that its snapshot does not
 * keep the WAL from being checkpointed; a slow reader always progresses.
 */
static void
session_stall(evutil_socket_t fd, short what, void *arg)
{
	struct session	*s = arg;
	size_t		 unsent;
	time_t		 now = session_now();

	(void)fd;
	(void)what;
	if (s->stream == NULL) {
		evtimer_del(s->stall);
		return;
	}
	unsent = session_unsent(s);
	if (s->frames != s->frames_seen || unsent < s->unsent_seen)
		s->progress_at = now;
	s->frames_seen = s->frames;
	s->unsent_seen = unsent;
	if (now - s->progress_at >= (time_t)s->peer.set->conf->stream_timeout)
		session_close(s, "stream stalled");
}

/* A stream begins: its watch starts (made at the first stream, so that
 * idle connections do not carry it). -1 when the session was closed. */
static int
session_stream_begin(struct session *s)
{
	struct timeval	tv = { 1, 0 };

	if (s->stall == NULL && (s->stall = event_new(
	    worker_base(s->host->worker), -1, EV_PERSIST, session_stall, s))
	    == NULL) {
		session_close(s, "out of memory");
		return -1;
	}
	s->frames = s->frames_seen = 0;
	s->unsent_seen = SIZE_MAX;
	s->progress_at = session_now();
	event_add(s->stall, &tv);
	return 0;
}

/* Called by a handler when a reply made later is ready. */
static void
session_answered(void *arg, const struct reply *reply)
{
	struct session	*s = arg;

	s->busy = 0;
	if (s->closed) {
		session_free(s);
		return;
	}
	if (reply_pack(reply, bufferevent_get_output(s->bev)) == -1) {
		session_close(s, "cannot send a reply");
		return;
	}
	if (session_output_budget(s) == -1)
		return;
	/* A reply was just queued: session_write closes after it. */
	if (s->closing)
		return;
	session_read(s->bev, s);
}

/*
 * How readily a connection before its handshake gives way to a new one
 * (enum halfopen_rank): first those that have sent nothing (no
 * ClientHello read by TLS, no byte waiting in the kernel), so that a
 * flood of silent connections only makes room for itself; last those
 * with bytes waiting that this server has not read yet, whose delay is
 * the server's, not the peer's.
 */
static int
session_rank(const struct halfopen *ho, void *arg)
{
	const struct session	*s = (const struct session *)(const void *)
	    ((const char *)ho - offsetof(struct session, ho));
	SSL			*ssl;
	int			 pending = 0;

	(void)arg;
	if (ioctl(bufferevent_getfd(s->bev), FIONREAD, &pending) == -1)
		pending = 0;
	if (pending > 0)
		return HALFOPEN_WORKING;
	if ((ssl = bufferevent_openssl_get_ssl(s->bev)) != NULL &&
	    SSL_get_state(ssl) == TLS_ST_BEFORE)
		return HALFOPEN_SILENT;
	return HALFOPEN_WAITING;
}

/* A connection closed before its handshake: counted for the summary,
 * and logged one by one only when it failed (a certificate refused),
 * a few a second at most. */
static void
session_tally(struct session *s, const char *reason)
{
	struct session_host	*h = s->host;
	time_t			 now;
	int			 logged = 0;

	if (reason == SESSION_SHUTDOWN)
		return;
	if (reason != SESSION_DROPPED && reason != SESSION_HS_TIMEOUT &&
	    reason != SESSION_HS_LOST) {
		if ((now = session_now()) != h->log_second) {
			h->log_second = now;
			h->log_count = 0;
		}
		if (h->log_count < SESSION_FAILURES_LOGGED) {
			h->log_count++;
			logged = 1;
			log_info("session=%" PRIu64 " closed reason=\"%s\" "
			    "peer=%s before its handshake", s->peer.id, reason,
			    s->addr);
		}
	}
	pthread_mutex_lock(&h->stats_lock);
	if (reason == SESSION_DROPPED) {
		h->stats.dropped++;
		snprintf(h->stats.last_dropped, sizeof(h->stats.last_dropped),
		    "%s", s->addr);
	} else if (reason == SESSION_HS_TIMEOUT)
		h->stats.timeouts++;
	else if (reason == SESSION_HS_LOST)
		h->stats.lost++;
	else {
		h->stats.failed++;
		if (!logged)
			h->stats.failed_unlogged++;
	}
	pthread_mutex_unlock(&h->stats_lock);
}

void
session_accept(struct session_host *h, int fd, const struct sockaddr *sa,
    int socklen)
{
	struct session		*s;
	struct settings		*set;
	struct halfopen		*victim;
	struct halfopen_addr	 key;
	struct timeval		 tv;
	SSL			*ssl;
	size_t			 n = h->hooks.hosts;
	int			 nodelay = 1;

	(void)socklen;
	if (h->stopping) {
		close(fd);
		h->hooks.gone(h->hooks.arg, 0);
		return;
	}
	/* Room before the handshake: an older connection may give way. */
	set = settings_get(h->slot);
	halfopen_limits(&h->halfopen, halfopen_share(set->conf->max_handshakes,
	    n), halfopen_share(set->conf->max_handshakes_per_address, n));
	halfopen_key(&key, sa);
	while ((victim = halfopen_victim(&h->halfopen, &key, session_rank,
	    NULL)) != NULL)
		session_close(session_of(victim), SESSION_DROPPED);
	tv.tv_sec = halfopen_timeout(&h->halfopen, &key,
	    set->conf->handshake_timeout);
	tv.tv_usec = 0;

	/* Answers go out as soon as they are made, not after the peer's
	 * delayed acknowledgement. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
	    sizeof(nodelay));
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("accept: session");
		settings_release(set);
		close(fd);
		h->hooks.gone(h->hooks.arg, 0);
		return;
	}
	s->host = h;
	s->peer.id = ++session_next_id;
	s->peer.set = set;
	s->peer.worker = h->worker;
	s->peer.writer = h->writer;
	s->peer.readers = h->readers;
	s->peer.refusals = h->hooks.refusals;
	s->peer.answer = session_answered;
	s->peer.arg = s;
	s->ho.addr = key;
	session_addr(s->addr, sizeof(s->addr), sa);
	if ((ssl = SSL_new(s->peer.set->ssl_ctx)) == NULL) {
		log_warnx("session=%" PRIu64 " cannot create TLS state",
		    s->peer.id);
		close(fd);
		session_free(s);
		h->hooks.gone(h->hooks.arg, 0);
		return;
	}
	/* From here the bufferevent owns fd and ssl, even if it fails. */
	s->bev = bufferevent_openssl_socket_new(worker_base(h->worker), fd,
	    ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		log_warnx("session=%" PRIu64 " cannot create bufferevent",
		    s->peer.id);
		session_free(s);
		h->hooks.gone(h->hooks.arg, 0);
		return;
	}
	halfopen_add(&h->halfopen, &s->ho);
	h->halfopen_now = h->halfopen.n;
	s->handshaking = 1;
	h->nsessions++;

	if ((s->deadline = evtimer_new(worker_base(h->worker),
	    session_deadline, s)) == NULL ||
	    (s->out_cb = evbuffer_add_cb(bufferevent_get_output(s->bev),
	    session_output_changed, s)) == NULL) {
		session_close(s, "out of memory");
		return;
	}
	evtimer_add(s->deadline, &tv);
	/* A whole frame fits; nothing more is read until it is handled. */
	bufferevent_setwatermark(s->bev, EV_READ, 0,
	    FRAME_HEADER + (size_t)s->peer.set->conf->max_frame);
	bufferevent_setcb(s->bev, session_read, session_write, session_event,
	    s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	log_debug("session=%" PRIu64 " accepted peer=%s handshake_timeout=%ld "
	    "worker=%zu", s->peer.id, s->addr, (long)tv.tv_sec,
	    worker_index(h->worker));
}

/* Takes s out of the order of checks and puts it last, checked now. */
static void
session_checked(struct session *s)
{
	struct session_host	*h = s->host;

	TAILQ_REMOVE(&h->sessions, s, entry);
	s->checked_at = session_now();
	TAILQ_INSERT_TAIL(&h->sessions, s, entry);
}

/*
 * Whether an established session keeps its right under set (the newest
 * settings): its certificate verified again against their CA and CRL,
 * its CN still an administrator or a unit when it was one. One that lost
 * it is closed, logged and audited (-1). The others take set at their
 * next request (session_adopt).
 */
static int
session_recheck(struct session *s, struct settings *set)
{
	struct peer	*p = &s->peer;
	const char	*reason = NULL;
	char		 detail[160];
	int		 role;

	session_checked(s);
	if (tls_peer_recheck(set->ssl_ctx, bufferevent_openssl_get_ssl(s->bev),
	    &reason) == 0) {
		role = session_role(set, p->cn);
		if (role == ROLE_NONE && p->role == ROLE_ADMIN)
			reason = "no longer an administrator";
		else if (role == ROLE_NONE && p->role == ROLE_UNIT)
			reason = "unit no longer in the registry";
	}
	if (reason != NULL) {
		snprintf(detail, sizeof(detail), "connection closed: %s",
		    reason);
		writer_event(s->host->writer, p->cn, p->fingerprint, "session",
		    "closed", detail);
		session_close(s, reason);
		return -1;
	}
	if (set != p->set && set != s->next_set) {
		settings_release(s->next_set);
		s->next_set = settings_get(s->host->slot);
	}
	return 0;
}

/* Between requests: the settings of the last reload, and the role they
 * give, from this request on. */
static void
session_adopt(struct session *s)
{
	struct peer	*p = &s->peer;
	int		 was = p->role;
	char		 qcn[LOG_QUOTE_MAX];

	settings_release(p->set);
	p->set = s->next_set;
	s->next_set = NULL;
	p->role = session_role(p->set, p->cn);
	bufferevent_setwatermark(s->bev, EV_READ, 0,
	    FRAME_HEADER + (size_t)p->set->conf->max_frame);
	if (p->role != was)
		log_info("session=%" PRIu64 " cn=%s role=%s was=%s after a "
		    "reload", p->id, log_quote(qcn, sizeof(qcn), p->cn),
		    session_role_name(p->role), session_role_name(was));
}

static void
session_established(struct session *s)
{
	struct session_host	*h = s->host;
	struct settings		*newest;
	struct timeval		 tv;
	const char		*reason;
	SSL			*ssl = bufferevent_openssl_get_ssl(s->bev);
	struct peer		*p = &s->peer;
	char			 qcn[LOG_QUOTE_MAX];

	if (tls_peer_identity(ssl, p->cn, p->fingerprint, &reason) == -1) {
		session_close(s, reason);
		return;
	}
	p->role = session_role(p->set, p->cn);
	halfopen_remove(&h->halfopen, &s->ho);
	h->halfopen_now = h->halfopen.n;
	s->handshaking = 0;
	s->established = 1;
	s->over = h->hooks.established(h->hooks.arg);
	s->checked_at = session_now();
	TAILQ_INSERT_TAIL(&h->sessions, s, entry);
	evtimer_del(s->deadline);
	tv.tv_sec = p->set->conf->idle_timeout;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(s->bev, &tv, &tv);
	log_info("session=%" PRIu64 " established peer=%s cn=%s role=%s "
	    "fingerprint=%s tls=%s", p->id, s->addr,
	    log_quote(qcn, sizeof(qcn), p->cn), session_role_name(p->role),
	    p->fingerprint, SSL_get_version(ssl));
	/* Its handshake began before a reload: checked against that. */
	newest = settings_get(h->slot);
	if (newest != p->set)
		(void)session_recheck(s, newest);
	settings_release(newest);
}

static void
session_stream_end(struct session *s)
{
	if (s->stream == NULL)
		return;
	s->stream->free(s->stream);
	s->stream = NULL;
	if (s->stall != NULL)
		evtimer_del(s->stall);
}

/*
 * Makes frames of a streamed answer while the peer keeps up; the write
 * callback asks for more as the output drains. -1 when the session was
 * closed.
 */
static int
session_pump(struct session *s)
{
	struct evbuffer	*out = bufferevent_get_output(s->bev);
	int		 rc = 0;

	while (s->stream != NULL &&
	    evbuffer_get_length(out) < SESSION_STREAM_LOW) {
		s->frames++;
		if ((rc = dispatch_next(&s->peer, s->stream, out)) != 0)
			session_stream_end(s);
		if (rc == -1) {
			session_close(s, "cannot make a frame");
			return -1;
		}
	}
	if (session_output_budget(s) == -1)
		return -1;
	bufferevent_setwatermark(s->bev, EV_WRITE,
	    s->stream != NULL ? SESSION_STREAM_LOW : 0, 0);
	return 0;
}

/* Sends what is queued, then closes (after linger seconds): the reply to
 * a bad frame, the last refusal. */
static void
session_finish(struct session *s, const char *reason, unsigned int linger)
{
	s->closing = 1;
	s->close_reason = reason;
	s->linger = linger;
	bufferevent_disable(s->bev, EV_READ);
}

/* Handles every whole frame there is; -1 when the session was closed. */
static int
session_frames(struct bufferevent *bev, struct session *s)
{
	struct evbuffer	*in = bufferevent_get_input(bev);
	struct evbuffer	*out = bufferevent_get_output(bev);
	const uint8_t		*buf;
	const char		*errstr = NULL;
	uint32_t		 n, max;
	size_t			 len;
	enum request_result	 rv;
	char			 qcn[LOG_QUOTE_MAX];

	while (!s->closing && s->established && !s->busy &&
	    s->stream == NULL) {
		if ((len = evbuffer_get_length(in)) < FRAME_HEADER)
			return 0;
		/* Between requests: a reload's settings take over. */
		if (s->next_set != NULL)
			session_adopt(s);
		max = s->peer.set->conf->max_frame;
		buf = evbuffer_pullup(in, FRAME_HEADER);
		switch (frame_check(buf, len, max, &n, &errstr)) {
		case FRAME_NEED_MORE:
			return 0;
		case FRAME_ERROR:
			log_warnx("session=%" PRIu64 " cn=%s bad frame: %s",
			    s->peer.id, log_quote(qcn, sizeof(qcn),
			    s->peer.cn), errstr);
			dispatch_frame_error(&s->peer, errstr, max, out);
			session_finish(s, "bad frame", 0);
			return 0;
		case FRAME_READY:
			break;
		}
		if ((buf = evbuffer_pullup(in, FRAME_HEADER + (size_t)n))
		    == NULL) {
			session_close(s, "out of memory");
			return -1;
		}
		s->requests++;
		/* The next frame gets a deadline of its own. */
		evtimer_del(s->deadline);
		rv = dispatch_request(&s->peer, buf + FRAME_HEADER, n,
		    s->over, out, &s->stream);
		/* Nothing refers to the frame once it is dispatched. */
		evbuffer_drain(in, FRAME_HEADER + (size_t)n);
		switch (rv) {
		case REQUEST_REPLIED:
			break;
		case REQUEST_PENDING:
			/* Answered by session_answered, in request order. */
			s->busy = 1;
			break;
		case REQUEST_STREAM:
			/* Later requests wait until the answer is out. */
			if (session_stream_begin(s) == -1 ||
			    session_pump(s) == -1)
				return -1;
			break;
		case REQUEST_CLOSE:
			session_finish(s, s->over ? "busy" : "bad request", 0);
			break;
		}
		/* Refused again and again: answered, then slowed and
		 * closed. */
		if (!s->closing && s->peer.refused >= SESSION_REFUSALS_MAX)
			session_finish(s, "refused too often", SESSION_LINGER);
		if (session_output_budget(s) == -1)
			return -1;
		if (evbuffer_get_length(out) > SESSION_OUTPUT_MAX) {
			/* Resumed by session_write once the peer reads. */
			bufferevent_disable(bev, EV_READ);
			return 0;
		}
	}
	return 0;
}

static void
session_read(struct bufferevent *bev, void *arg)
{
	struct session	*s = arg;

	if (session_frames(bev, s) == 0)
		session_timeouts(s);
}

static void
session_write(struct bufferevent *bev, void *arg)
{
	struct session	*s = arg;
	struct timeval	 tv;

	if (s->stream != NULL) {
		if (session_pump(s) == -1)
			return;
		if (s->stream == NULL)
			session_read(bev, s);
		return;
	}
	if (s->closing && !s->busy) {
		if (s->lingering)
			return;
		if (s->linger > 0) {
			/* Its last answer is out: nothing more is read, and
			 * the close comes later, so that reconnecting to be
			 * refused again costs the peer time. */
			s->lingering = 1;
			bufferevent_set_timeouts(s->bev, NULL, NULL);
			tv.tv_sec = s->linger;
			tv.tv_usec = 0;
			evtimer_add(s->deadline, &tv);
			return;
		}
		session_close(s, s->close_reason != NULL ? s->close_reason :
		    SESSION_SHUTDOWN);
		return;
	}
	if (s->established && !s->busy &&
	    !(bufferevent_get_enabled(bev) & EV_READ)) {
		bufferevent_enable(bev, EV_READ);
		session_read(bev, s);
	}
}

static void
session_event(struct bufferevent *bev, short what, void *arg)
{
	struct session	*s = arg;
	unsigned long	 e;
	long		 verify;
	char		 reason[256];

	if (what & BEV_EVENT_CONNECTED) {
		session_established(s);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		session_close(s, s->established ? "idle timeout" :
		    SESSION_HS_TIMEOUT);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		session_close(s, !s->established ? SESSION_HS_LOST :
		    evbuffer_get_length(bufferevent_get_input(bev)) > 0 ?
		    "eof mid-frame" : "eof");
		return;
	}
	if ((e = bufferevent_get_openssl_error(bev)) != 0) {
		snprintf(reason, sizeof(reason), "%s: ",
		    s->established ? "tls error" : "handshake failed");
		ERR_error_string_n(e, reason + strlen(reason),
		    sizeof(reason) - strlen(reason));
		/* Why the peer's certificate was refused: expired, revoked,
		 * not yet valid, wrong purpose, CRL expired... */
		verify = SSL_get_verify_result(bufferevent_openssl_get_ssl(bev));
		if (!s->established && verify != X509_V_OK)
			snprintf(reason + strlen(reason),
			    sizeof(reason) - strlen(reason), " (%s)",
			    X509_verify_cert_error_string(verify));
		/* Drain the rest so the next session starts clean. */
		while (bufferevent_get_openssl_error(bev) != 0)
			;
		session_close(s, reason);
	} else
		session_close(s, s->established ? "connection error" :
		    SESSION_HS_LOST);
}

static void
session_close(struct session *s, const char *reason)
{
	struct session_host	*h = s->host;
	struct evbuffer		*out;
	char			 qcn[LOG_QUOTE_MAX];

	if (s->closed)
		return;
	s->closed = 1;
	if (s->established) {
		log_info("session=%" PRIu64 " closed reason=\"%s\" peer=%s "
		    "cn=%s requests=%" PRIu64, s->peer.id, reason, s->addr,
		    log_quote(qcn, sizeof(qcn), s->peer.cn), s->requests);
		TAILQ_REMOVE(&h->sessions, s, entry);
	} else
		session_tally(s, reason);
	if (s->handshaking) {
		halfopen_remove(&h->halfopen, &s->ho);
		h->halfopen_now = h->halfopen.n;
	}
	s->handshaking = 0;
	h->nsessions--;
	if (s->deadline != NULL)
		event_free(s->deadline);
	s->deadline = NULL;
	/* Its snapshot goes back to the pool now, not when it is freed. */
	session_stream_end(s);
	if (s->stall != NULL)
		event_free(s->stall);
	s->stall = NULL;
	out = bufferevent_get_output(s->bev);
	if (s->out_cb != NULL) {
		evbuffer_remove_cb_entry(out, s->out_cb);
		h->output -= evbuffer_get_length(out);
	}
	s->out_cb = NULL;
	/* What was not sent is not sent (the socket closes): freed now,
	 * not when libevent finalizes the bufferevent later in the loop,
	 * so that closing for the output budget gives memory back at once. */
	evbuffer_drain(out, evbuffer_get_length(out));
	evbuffer_drain(bufferevent_get_input(s->bev),
	    evbuffer_get_length(bufferevent_get_input(s->bev)));
	/* Frees the SSL and closes the socket (BEV_OPT_CLOSE_ON_FREE). */
	bufferevent_free(s->bev);
	s->bev = NULL;
	h->hooks.gone(h->hooks.arg, s->established);
	/* A request at the writer still points here: freed when it is
	 * answered (session_answered). */
	if (!s->busy)
		session_free(s);
	if (h->stopping && h->nsessions == 0)
		worker_exit(h->worker);
}

/* Every session, those before their handshake too. */
static void
session_host_close_all(struct session_host *h, const char *reason)
{
	struct halfopen	*ho;
	struct session	*s;

	while ((ho = TAILQ_FIRST(&h->halfopen.list)) != NULL)
		session_close(session_of(ho), reason);
	while ((s = TAILQ_FIRST(&h->sessions)) != NULL)
		session_close(s, reason);
}

/* Closes what waits for nothing; a session waiting for the writer keeps
 * going until it has its answer, and closes once the reply is out. */
static void
session_host_stopping(void *arg)
{
	struct session_host	*h = arg;
	struct halfopen		*ho;
	struct session		*s, *next;
	struct timeval		 tv = { (time_t)h->stop_timeout, 0 };

	h->stopping = 1;
	evtimer_add(h->deadline, &tv);
	while ((ho = TAILQ_FIRST(&h->halfopen.list)) != NULL)
		session_close(session_of(ho), SESSION_SHUTDOWN);
	for (s = TAILQ_FIRST(&h->sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->busy)
			s->closing = 1;
		else
			session_close(s, SESSION_SHUTDOWN);
	}
	if (h->nsessions == 0)
		worker_exit(h->worker);
}

static void
session_host_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct session_host	*h = arg;

	(void)fd;
	(void)what;
	session_host_close_all(h, "shutdown deadline");
	worker_exit(h->worker);
}

/* Each second: the sessions whose last check is idle_timeout old are
 * checked against the newest settings (a certificate that expired, a CRL
 * that did). */
static void
session_host_tick(evutil_socket_t fd, short what, void *arg)
{
	struct session_host	*h = arg;
	struct settings		*set = NULL;
	struct session		*s;
	time_t			 now = session_now();

	(void)fd;
	(void)what;
	while (!h->stopping && (s = TAILQ_FIRST(&h->sessions)) != NULL &&
	    now - s->checked_at >= (time_t)s->peer.set->conf->idle_timeout) {
		if (set == NULL)
			set = settings_get(h->slot);
		(void)session_recheck(s, set);
	}
	settings_release(set);
}

/* On the worker's thread, after a reload. */
static void
session_host_rechecking(void *arg)
{
	struct session_host	*h = arg;
	struct settings		*set;
	struct session		*s;
	unsigned int		 n = 0, i, closed = 0;

	if (h->stopping)
		return;
	set = settings_get(h->slot);
	TAILQ_FOREACH(s, &h->sessions, entry)
		n++;
	/* Each one checked goes last, or away. */
	for (i = 0; i < n && (s = TAILQ_FIRST(&h->sessions)) != NULL; i++)
		if (session_recheck(s, set) == -1)
			closed++;
	settings_release(set);
	log_info("reload: worker=%zu sessions=%u checked, %u closed",
	    worker_index(h->worker), n, closed);
}

/* On the worker's thread: descriptors ran out. */
static void
session_host_shedding(void *arg)
{
	struct session_host	*h = arg;
	struct halfopen		*ho;
	int			 i;

	for (i = 0; i < SESSION_SHED && (ho = halfopen_oldest_silent(
	    &h->halfopen, session_rank, NULL)) != NULL; i++)
		session_close(session_of(ho), SESSION_DROPPED);
}

struct session_host *
session_host_new(struct worker *w, struct writer *writer,
    struct settings_slot *slot, const struct session_hooks *hooks,
    const char **errstr)
{
	struct session_host	*h;
	struct settings		*set;
	struct timeval		 tv = { 1, 0 };

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		*errstr = "out of memory";
		return NULL;
	}
	TAILQ_INIT(&h->sessions);
	pthread_mutex_init(&h->stats_lock, NULL);
	h->worker = w;
	h->writer = writer;
	h->slot = slot;
	h->hooks = *hooks;
	h->stop_msg.fn = session_host_stopping;
	h->stop_msg.arg = h;
	set = settings_get(slot);
	halfopen_init(&h->halfopen, halfopen_share(set->conf->max_handshakes,
	    hooks->hosts), halfopen_share(
	    set->conf->max_handshakes_per_address, hooks->hosts));
	/* After the writer has created and migrated the database. */
	h->readers = readers_new(set->conf->database, errstr);
	settings_release(set);
	if (h->readers == NULL)
		goto fail;
	if ((h->deadline = evtimer_new(worker_base(w), session_host_deadline,
	    h)) == NULL || (h->tick = event_new(worker_base(w), -1,
	    EV_PERSIST, session_host_tick, h)) == NULL ||
	    event_add(h->tick, &tv) == -1) {
		*errstr = "cannot create a timer";
		goto fail;
	}
	return h;
fail:
	session_host_free(h);
	return NULL;
}

void
session_host_stop(struct session_host *h, unsigned int timeout)
{
	if (h->stop_sent)
		return;
	h->stop_sent = 1;
	h->stop_timeout = timeout;
	worker_send(h->worker, &h->stop_msg);
}

int
session_host_recheck(struct session_host *h)
{
	return worker_post(h->worker, session_host_rechecking, h);
}

int
session_host_shed(struct session_host *h)
{
	return worker_post(h->worker, session_host_shedding, h);
}

void
session_host_stats(struct session_host *h, struct session_stats *out)
{
	pthread_mutex_lock(&h->stats_lock);
	*out = h->stats;
	memset(&h->stats, 0, sizeof(h->stats));
	pthread_mutex_unlock(&h->stats_lock);
	out->halfopen = h->halfopen_now;
}

void
session_host_close_readers(struct session_host *h)
{
	readers_close_idle(h->readers);
}

void
session_host_free(struct session_host *h)
{
	if (h == NULL)
		return;
	if (h->deadline != NULL)
		event_free(h->deadline);
	if (h->tick != NULL)
		event_free(h->tick);
	readers_free(h->readers);
	pthread_mutex_destroy(&h->stats_lock);
	free(h);
}

unsigned int
session_host_sessions(const struct session_host *h)
{
	return h->nsessions;
}

size_t
session_host_readers_out(const struct session_host *h)
{
	return readers_out(h->readers);
}
