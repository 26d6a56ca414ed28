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
#include "log.h"
#include "readers.h"
#include "reply.h"
#include "request.h"
#include "session.h"
#include "settings.h"
#include "tls.h"
#include "units.h"
#include "worker.h"

/* Stop reading a peer whose unread replies pile up past this. */
#define SESSION_OUTPUT_MAX	(4 * 1024 * 1024)
/* A streamed answer makes its next frame when the output is below this. */
#define SESSION_STREAM_LOW	(128 * 1024)

struct session {
	TAILQ_ENTRY(session)	 entry;
	struct session_host	*host;
	struct peer		 peer;	/* what handlers see of it */
	struct bufferevent	*bev;
	/* The handshake's deadline, then each frame's once begun. */
	struct event		*deadline;
	char			 addr[64];	/* address:port */
	int			 established;
	int			 busy;		/* a request is at the writer */
	int			 over;		/* past the connection cap */
	int			 closing;	/* close once the reply is out */
	int			 closed;	/* freed when no longer busy */
	const char		*close_reason;
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
	void			(*gone)(void *);
	void			*arg;
	struct sessions		 sessions;
	unsigned int		 nsessions;
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
	free(s);
}

/* The handshake, then each frame once begun, must end by a deadline:
 * a peer trickling a byte now and then is not idle but not sending. */
static void
session_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct session	*s = arg;

	(void)fd;
	(void)what;
	session_close(s, s->established ? "frame timeout" :
	    "handshake timeout");
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

static time_t
session_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
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
	/* A reply was just queued: session_write closes after it. */
	if (s->closing)
		return;
	session_read(s->bev, s);
}

void
session_accept(struct session_host *h, int fd, const struct sockaddr *sa,
    int socklen, int over)
{
	struct session	*s;
	struct timeval	 tv;
	SSL		*ssl;
	int		 nodelay = 1;

	(void)socklen;
	if (h->stopping) {
		close(fd);
		h->gone(h->arg);
		return;
	}
	/* Answers go out as soon as they are made, not after the peer's
	 * delayed acknowledgement. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
	    sizeof(nodelay));
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("accept: session");
		close(fd);
		h->gone(h->arg);
		return;
	}
	s->host = h;
	s->over = over;
	s->peer.id = ++session_next_id;
	s->peer.set = settings_get(h->slot);
	s->peer.worker = h->worker;
	s->peer.writer = h->writer;
	s->peer.readers = h->readers;
	s->peer.answer = session_answered;
	s->peer.arg = s;
	session_addr(s->addr, sizeof(s->addr), sa);
	if ((ssl = SSL_new(s->peer.set->ssl_ctx)) == NULL) {
		log_warnx("session=%" PRIu64 " cannot create TLS state",
		    s->peer.id);
		close(fd);
		session_free(s);
		h->gone(h->arg);
		return;
	}
	/* From here the bufferevent owns fd and ssl, even if it fails. */
	s->bev = bufferevent_openssl_socket_new(worker_base(h->worker), fd,
	    ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		log_warnx("session=%" PRIu64 " cannot create bufferevent",
		    s->peer.id);
		session_free(s);
		h->gone(h->arg);
		return;
	}
	TAILQ_INSERT_TAIL(&h->sessions, s, entry);
	h->nsessions++;

	if ((s->deadline = evtimer_new(worker_base(h->worker),
	    session_deadline, s)) == NULL) {
		session_close(s, "out of memory");
		return;
	}
	tv.tv_sec = s->peer.set->conf->handshake_timeout;
	tv.tv_usec = 0;
	evtimer_add(s->deadline, &tv);
	/* A whole frame fits; nothing more is read until it is handled. */
	bufferevent_setwatermark(s->bev, EV_READ, 0,
	    FRAME_HEADER + (size_t)s->peer.set->conf->max_frame);
	bufferevent_setcb(s->bev, session_read, session_write, session_event,
	    s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	log_debug("session=%" PRIu64 " accepted peer=%s worker=%zu",
	    s->peer.id, s->addr, worker_index(h->worker));
}

static void
session_established(struct session *s)
{
	struct timeval	 tv;
	const char	*reason;
	SSL		*ssl = bufferevent_openssl_get_ssl(s->bev);
	struct peer	*p = &s->peer;

	if (tls_peer_identity(ssl, p->cn, p->fingerprint, &reason) == -1) {
		session_close(s, reason);
		return;
	}
	if (config_is_admin(p->set->conf, p->cn))
		p->role = ROLE_ADMIN;
	else if (units_find(p->set->units, p->cn) != NULL)
		p->role = ROLE_UNIT;
	else
		p->role = ROLE_NONE;
	s->established = 1;
	evtimer_del(s->deadline);
	tv.tv_sec = p->set->conf->idle_timeout;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(s->bev, &tv, &tv);
	log_info("session=%" PRIu64 " established peer=%s cn=%s role=%s "
	    "fingerprint=%s tls=%s", p->id, s->addr, p->cn,
	    p->role == ROLE_ADMIN ? "admin" : p->role == ROLE_UNIT ? "unit" :
	    "unknown", p->fingerprint, SSL_get_version(ssl));
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
	bufferevent_setwatermark(s->bev, EV_WRITE,
	    s->stream != NULL ? SESSION_STREAM_LOW : 0, 0);
	return 0;
}

/* Sends what is queued, then closes: the reply to a bad frame. */
static void
session_finish(struct session *s, const char *reason)
{
	s->closing = 1;
	s->close_reason = reason;
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
	uint32_t		 n, max = s->peer.set->conf->max_frame;
	size_t			 len;
	enum request_result	 rv;

	while (!s->closing && s->established && !s->busy &&
	    s->stream == NULL) {
		if ((len = evbuffer_get_length(in)) < FRAME_HEADER)
			return 0;
		buf = evbuffer_pullup(in, FRAME_HEADER);
		switch (frame_check(buf, len, max, &n, &errstr)) {
		case FRAME_NEED_MORE:
			return 0;
		case FRAME_ERROR:
			log_warnx("session=%" PRIu64 " cn=%s bad frame: %s",
			    s->peer.id, s->peer.cn, errstr);
			dispatch_frame_error(&s->peer, errstr, max, out);
			session_finish(s, "bad frame");
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
			session_finish(s, s->over ? "busy" : "bad request");
			break;
		}
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

	if (s->stream != NULL) {
		if (session_pump(s) == -1)
			return;
		if (s->stream == NULL)
			session_read(bev, s);
		return;
	}
	if (s->closing && !s->busy) {
		session_close(s, s->close_reason != NULL ? s->close_reason :
		    "shutdown");
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
		    "handshake timeout");
		return;
	}
	if (what & BEV_EVENT_EOF) {
		session_close(s, evbuffer_get_length(bufferevent_get_input(bev))
		    > 0 ? "eof mid-frame" : "eof");
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
			snprintf(reason + strlen(reason), sizeof(reason) -
			    strlen(reason), " (%s)",
			    X509_verify_cert_error_string(verify));
		/* Drain the rest so the next session starts clean. */
		while (bufferevent_get_openssl_error(bev) != 0)
			;
	} else
		snprintf(reason, sizeof(reason), "%s",
		    s->established ? "connection error" :
		    "connection lost during handshake");
	session_close(s, reason);
}

static void
session_close(struct session *s, const char *reason)
{
	struct session_host	*h = s->host;

	if (s->closed)
		return;
	s->closed = 1;
	log_info("session=%" PRIu64 " closed reason=\"%s\" peer=%s cn=%s "
	    "requests=%" PRIu64, s->peer.id, reason, s->addr,
	    s->peer.cn[0] != '\0' ? s->peer.cn : "-", s->requests);
	TAILQ_REMOVE(&h->sessions, s, entry);
	h->nsessions--;
	if (s->deadline != NULL)
		event_free(s->deadline);
	s->deadline = NULL;
	/* Its snapshot goes back to the pool now, not when it is freed. */
	session_stream_end(s);
	if (s->stall != NULL)
		event_free(s->stall);
	s->stall = NULL;
	/* Frees the SSL and closes the socket (BEV_OPT_CLOSE_ON_FREE). */
	bufferevent_free(s->bev);
	s->bev = NULL;
	h->gone(h->arg);
	/* A request at the writer still points here: freed when it is
	 * answered (session_answered). */
	if (!s->busy)
		session_free(s);
	if (h->stopping && h->nsessions == 0)
		worker_exit(h->worker);
}

/* Closes what waits for nothing; a session waiting for the writer keeps
 * going until it has its answer, and closes once the reply is out. */
static void
session_host_stopping(void *arg)
{
	struct session_host	*h = arg;
	struct session		*s, *next;
	struct timeval		 tv = { (time_t)h->stop_timeout, 0 };

	h->stopping = 1;
	evtimer_add(h->deadline, &tv);
	for (s = TAILQ_FIRST(&h->sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->busy)
			s->closing = 1;
		else
			session_close(s, "shutdown");
	}
	if (h->nsessions == 0)
		worker_exit(h->worker);
}

static void
session_host_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct session_host	*h = arg;
	struct session		*s;

	(void)fd;
	(void)what;
	while ((s = TAILQ_FIRST(&h->sessions)) != NULL)
		session_close(s, "shutdown deadline");
	worker_exit(h->worker);
}

struct session_host *
session_host_new(struct worker *w, struct writer *writer,
    struct settings_slot *slot, void (*gone)(void *), void *arg,
    const char **errstr)
{
	struct session_host	*h;
	struct settings		*set;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		*errstr = "out of memory";
		return NULL;
	}
	TAILQ_INIT(&h->sessions);
	h->worker = w;
	h->writer = writer;
	h->slot = slot;
	h->gone = gone;
	h->arg = arg;
	h->stop_msg.fn = session_host_stopping;
	h->stop_msg.arg = h;
	set = settings_get(slot);
	/* After the writer has created and migrated the database. */
	h->readers = readers_new(set->conf->database, errstr);
	settings_release(set);
	if (h->readers == NULL)
		goto fail;
	if ((h->deadline = evtimer_new(worker_base(w), session_host_deadline,
	    h)) == NULL) {
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
	readers_free(h->readers);
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
