/*
 * One client connection: TLS handshake under a deadline, identity check,
 * framed requests in, framed responses out, and one way to end it:
 * session_close(), idempotent and the last thing on any callback path.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>

#include "frame.h"
#include "gpd.h"

/* Stop reading a peer whose unread replies pile up past this. */
#define SESSION_OUTPUT_MAX	(4 * 1024 * 1024)
/* A streamed answer makes its next frame when the output is below this. */
#define SESSION_STREAM_LOW	(128 * 1024)

static void	session_read(struct bufferevent *, void *);
static void	session_write(struct bufferevent *, void *);
static void	session_event(struct bufferevent *, short, void *);

static void
session_peer(char *buf, size_t len, const struct sockaddr *sa)
{
	char	host[INET6_ADDRSTRLEN] = "?";
	int	port = 0;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)
		    (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		port = ntohs(sin->sin_port);
		snprintf(buf, len, "%s:%d", host, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)
		    (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		port = ntohs(sin6->sin6_port);
		snprintf(buf, len, "[%s]:%d", host, port);
	} else
		snprintf(buf, len, "unknown");
}

static void
session_free(struct session *s)
{
	settings_release(s->set);
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
 * for a frame begun; none while gpd itself works on a request or streams
 * an answer (the peer owes nothing then).
 */
static void
session_idle(struct session *s)
{
	struct timeval	 idle = { (time_t)s->set->conf->idle_timeout, 0 };
	struct timeval	 frame = { (time_t)s->set->conf->frame_timeout, 0 };
	int		 working = s->busy || s->stream != NULL;

	if (!s->established || s->closing)
		return;
	bufferevent_set_timeouts(s->bev, working ? NULL : &idle, &idle);
	if (!working &&
	    evbuffer_get_length(bufferevent_get_input(s->bev)) > 0) {
		if (!evtimer_pending(s->handshake_timer, NULL))
			evtimer_add(s->handshake_timer, &frame);
	} else
		evtimer_del(s->handshake_timer);
}

void
session_accept(struct worker *w, int fd, const struct sockaddr *sa,
    int socklen, int over)
{
	struct server	*srv = w->server;
	struct session	*s;
	struct timeval	 tv;
	SSL		*ssl;
	int		 nodelay;

	(void)socklen;
	/* Answers go out as soon as they are made, not after the peer's
	 * delayed acknowledgement. */
	nodelay = 1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
	    sizeof(nodelay));
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("accept: session");
		close(fd);
		server_session_gone(srv);
		return;
	}
	s->worker = w;
	s->server = srv;
	s->set = server_settings(srv);
	s->over = over;
	s->id = ++srv->next_session;
	session_peer(s->peer, sizeof(s->peer), sa);
	if ((ssl = SSL_new(s->set->ssl_ctx)) == NULL) {
		log_warnx("session=%" PRIu64 " cannot create TLS state",
		    s->id);
		close(fd);
		session_free(s);
		server_session_gone(srv);
		return;
	}
	/* From here the bufferevent owns fd and ssl, even if it fails. */
	s->bev = bufferevent_openssl_socket_new(w->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		log_warnx("session=%" PRIu64 " cannot create bufferevent",
		    s->id);
		session_free(s);
		server_session_gone(srv);
		return;
	}
	TAILQ_INSERT_TAIL(&w->sessions, s, entry);
	w->nsessions++;

	if ((s->handshake_timer = evtimer_new(w->base, session_deadline, s))
	    == NULL) {
		session_close(s, "out of memory");
		return;
	}
	tv.tv_sec = s->set->conf->handshake_timeout;
	tv.tv_usec = 0;
	evtimer_add(s->handshake_timer, &tv);
	/* A whole frame fits; nothing more is read until it is handled. */
	bufferevent_setwatermark(s->bev, EV_READ, 0,
	    FRAME_HEADER + (size_t)s->set->conf->max_frame);
	bufferevent_setcb(s->bev, session_read, session_write, session_event,
	    s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	log_debug("session=%" PRIu64 " accepted peer=%s worker=%zu", s->id,
	    s->peer, w->index);
}

static void
session_established(struct session *s)
{
	struct timeval	 tv;
	const char	*reason;
	SSL		*ssl = bufferevent_openssl_get_ssl(s->bev);

	if (tls_peer_identity(ssl, s->cn, s->fingerprint, &reason) == -1) {
		session_close(s, reason);
		return;
	}
	if (config_is_admin(s->set->conf, s->cn))
		s->role = ROLE_ADMIN;
	else if (units_find(s->set->units, s->cn) != NULL)
		s->role = ROLE_UNIT;
	else
		s->role = ROLE_NONE;
	s->established = 1;
	evtimer_del(s->handshake_timer);
	tv.tv_sec = s->set->conf->idle_timeout;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(s->bev, &tv, &tv);
	log_info("session=%" PRIu64 " established peer=%s cn=%s role=%s "
	    "fingerprint=%s tls=%s", s->id, s->peer, s->cn,
	    s->role == ROLE_ADMIN ? "admin" : s->role == ROLE_UNIT ? "unit" :
	    "unknown", s->fingerprint, SSL_get_version(ssl));
}

/*
 * Makes frames of a streamed answer while the peer keeps up; the write
 * callback asks for more as the output drains.
 */
static void
session_pump(struct session *s)
{
	struct evbuffer	*out = bufferevent_get_output(s->bev);

	while (s->stream != NULL &&
	    evbuffer_get_length(out) < SESSION_STREAM_LOW)
		handler_stream_next(s, out);
	bufferevent_setwatermark(s->bev, EV_WRITE,
	    s->stream != NULL ? SESSION_STREAM_LOW : 0, 0);
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
	const uint8_t	*buf;
	const char	*errstr = NULL;
	uint32_t	 n;
	size_t		 len;

	while (!s->closing && s->established && !s->busy &&
	    s->stream == NULL) {
		if ((len = evbuffer_get_length(in)) < FRAME_HEADER)
			return 0;
		buf = evbuffer_pullup(in, FRAME_HEADER);
		switch (frame_check(buf, len, s->set->conf->max_frame, &n,
		    &errstr)) {
		case FRAME_NEED_MORE:
			return 0;
		case FRAME_ERROR:
			log_warnx("session=%" PRIu64 " cn=%s bad frame: %s",
			    s->id, s->cn, errstr);
			handler_frame_error(s, errstr, out);
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
		evtimer_del(s->handshake_timer);
		switch (handler_dispatch(s, buf + FRAME_HEADER, n, out)) {
		case HANDLER_REPLIED:
			break;
		case HANDLER_PENDING:
			/* Answered by session_resume, in request order. */
			s->busy = 1;
			break;
		case HANDLER_STREAM:
			/* Later requests wait until the answer is out. */
			session_pump(s);
			break;
		case HANDLER_CLOSE:
			session_finish(s, s->over ? "busy" : "bad request");
			break;
		}
		evbuffer_drain(in, FRAME_HEADER + (size_t)n);
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
		session_idle(s);
}

static void
session_write(struct bufferevent *bev, void *arg)
{
	struct session	*s = arg;

	if (s->stream != NULL) {
		session_pump(s);
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

void
session_resume(struct session *s)
{
	s->busy = 0;
	if (s->closed) {
		session_free(s);
		return;
	}
	/* A reply was just queued: session_write closes after it. */
	if (s->closing)
		return;
	session_read(s->bev, s);
}

void
session_close(struct session *s, const char *reason)
{
	struct worker	*w = s->worker;

	if (s->closed)
		return;
	s->closed = 1;
	log_info("session=%" PRIu64 " closed reason=\"%s\" peer=%s cn=%s "
	    "requests=%" PRIu64, s->id, reason, s->peer,
	    s->cn[0] != '\0' ? s->cn : "-", s->requests);
	TAILQ_REMOVE(&w->sessions, s, entry);
	w->nsessions--;
	if (s->handshake_timer != NULL)
		event_free(s->handshake_timer);
	s->handshake_timer = NULL;
	handler_stream_free(s);
	/* Frees the SSL and closes the socket (BEV_OPT_CLOSE_ON_FREE). */
	bufferevent_free(s->bev);
	s->bev = NULL;
	server_session_gone(s->server);
	/* A request at the writer still points here: freed when it is
	 * answered (session_resume). */
	if (!s->busy)
		session_free(s);
	worker_session_gone(w);
}
